import { Alert, Card, Group, Stack, Switch, Text } from "@mantine/core";
import { IconInfoCircle } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../api";
import { PageHeader } from "../components/PageHeader";
import { money } from "../format";

const THRESHOLD_MINOR = 100_000;

/** Auto Fulfillment: today Dropdock fulfils by hand only; this page shows that state truthfully. */
export function AutoFulfillmentPage() {
  const { t } = useTranslation();
  const wallet = useQuery({ queryKey: ["wallet", "cached"], queryFn: () => api.wallet(false) });
  return (
    <>
      <PageHeader title={t("auto.title")} description={t("auto.description")} />
      <Stack gap="md" maw={720}>
        <Card withBorder padding="lg">
          <Group justify="space-between">
            <Stack gap={2}>
              <Text fw={600}>{t("auto.switchTitle")}</Text>
              <Text size="sm" c="dimmed">{t("auto.off")}</Text>
            </Stack>
            <Switch checked={false} disabled aria-label={t("auto.switchTitle")} />
          </Group>
        </Card>
        <Card withBorder padding="lg">
          <Text fw={600}>{t("auto.walletTitle")}</Text>
          <Text size="sm" c="dimmed" mb="xs">{t("auto.threshold", { amount: money(THRESHOLD_MINOR, "USD") })}</Text>
          {wallet.data?.length === 0 && <Text size="sm">{t("auto.noSupplier")}</Text>}
          {wallet.data?.map((s) => (
            <Group key={s.id} justify="space-between">
              <Text size="sm">{s.name}</Text>
              <Text size="sm" fw={500} c={(s.balance_minor ?? 0) >= THRESHOLD_MINOR ? undefined : "orange"}>
                {s.balance_minor == null ? t("auto.notChecked") : money(s.balance_minor, "USD")}
              </Text>
            </Group>
          ))}
        </Card>
        <Alert icon={<IconInfoCircle />} color="blue">
          {t("auto.notYet")}
        </Alert>
      </Stack>
    </>
  );
}
