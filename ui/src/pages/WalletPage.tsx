import { Alert, Button, Card, SimpleGrid, Stack, Text } from "@mantine/core";
import { IconAlertTriangle, IconRefresh } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../api";
import { PageHeader } from "../components/PageHeader";
import { QueryState } from "../components/QueryState";
import { dateTime, money } from "../format";

/** Finance → My Wallet: each supplier account's balance, as the supplier reports it. */
export function WalletPage() {
  const { t } = useTranslation();
  const live = useQuery({ queryKey: ["wallet", "live"], queryFn: () => api.wallet(true) });
  const cached = useQuery({ queryKey: ["wallet", "cached"], queryFn: () => api.wallet(false), enabled: live.isError });
  const shown = live.isError ? cached : live;
  return (
    <>
      <PageHeader
        title={t("wallet.title")}
        description={t("wallet.description")}
        right={
          <Button variant="default" leftSection={<IconRefresh size={16} />} onClick={() => live.refetch()} loading={live.isFetching}>
            {t("common.refresh")}
          </Button>
        }
      />
      {live.isError && (
        <Alert color="yellow" icon={<IconAlertTriangle />} mb="md" title={t("wallet.notRefreshed")}>
          {t("wallet.showingLast", { error: live.error.message })}
        </Alert>
      )}
      <QueryState query={shown}>
        {(suppliers) =>
          suppliers.length === 0 ? (
            <Text c="dimmed">{t("wallet.noSupplier")}</Text>
          ) : (
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              {suppliers.map((s) => (
                <Card key={s.id} withBorder padding="lg" data-testid="wallet-card">
                  <Stack gap={4}>
                    <Text fw={600}>{s.name}</Text>
                    <Text size="xl" fw={700} data-testid="wallet-balance">
                      {s.balance_minor == null ? "—" : money(s.balance_minor, "USD")}
                    </Text>
                    <Text size="sm" c="dimmed">
                      {s.balance_checked_at ? t("wallet.checked", { when: dateTime(s.balance_checked_at) }) : t("wallet.notChecked")}
                    </Text>
                    <Text size="sm" mt="xs">
                      {t("wallet.charged", { count: s.charged_sub_orders, amount: money(-s.ledger_total_minor, "USD") })}
                    </Text>
                  </Stack>
                </Card>
              ))}
            </SimpleGrid>
          )
        }
      </QueryState>
    </>
  );
}
