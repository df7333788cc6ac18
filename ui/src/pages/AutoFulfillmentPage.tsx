import { Alert, Card, Group, Stack, Switch, Text } from "@mantine/core";
import { IconInfoCircle } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { api } from "../api";
import { PageHeader } from "../components/PageHeader";
import { money } from "../format";

const THRESHOLD_MINOR = 100_000;

/** Auto Fulfillment: today Dropdock fulfils by hand only; this page shows that state truthfully. */
export function AutoFulfillmentPage() {
  const wallet = useQuery({ queryKey: ["wallet", "cached"], queryFn: () => api.wallet(false) });
  return (
    <>
      <PageHeader title="Auto Fulfillment" description="Send paid orders to suppliers automatically, paid from My Wallet or a card." />
      <Stack gap="md" maw={720}>
        <Card withBorder padding="lg">
          <Group justify="space-between">
            <Stack gap={2}>
              <Text fw={600}>Automatic fulfilment</Text>
              <Text size="sm" c="dimmed">Off: orders are sent with "Ship order" on the Order page.</Text>
            </Stack>
            <Switch checked={false} disabled aria-label="Automatic fulfilment" />
          </Group>
        </Card>
        <Card withBorder padding="lg">
          <Text fw={600}>My Wallet</Text>
          <Text size="sm" c="dimmed" mb="xs">Auto Fulfillment needs at least {money(THRESHOLD_MINOR, "USD")} at each supplier it pays.</Text>
          {wallet.data?.length === 0 && <Text size="sm">No supplier connected.</Text>}
          {wallet.data?.map((s) => (
            <Group key={s.id} justify="space-between">
              <Text size="sm">{s.name}</Text>
              <Text size="sm" fw={500} c={(s.balance_minor ?? 0) >= THRESHOLD_MINOR ? undefined : "orange"}>
                {s.balance_minor == null ? "not checked yet" : money(s.balance_minor, "USD")}
              </Text>
            </Group>
          ))}
        </Card>
        <Alert icon={<IconInfoCircle />} color="blue">
          Payment method, default shipping method per country and the switch to turn Auto Fulfillment on are not available in this version yet.
        </Alert>
      </Stack>
    </>
  );
}
