import { Alert, Button, Card, Group, SimpleGrid, Stack, Text } from "@mantine/core";
import { IconAlertTriangle, IconRefresh } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { api } from "../api";
import { PageHeader } from "../components/PageHeader";
import { QueryState } from "../components/QueryState";
import { dateTime, money, number } from "../format";

/** Finance → My Wallet: each supplier account's balance, as the supplier reports it. */
export function WalletPage() {
  const live = useQuery({ queryKey: ["wallet", "live"], queryFn: () => api.wallet(true) });
  const cached = useQuery({ queryKey: ["wallet", "cached"], queryFn: () => api.wallet(false), enabled: live.isError });
  const shown = live.isError ? cached : live;
  return (
    <>
      <PageHeader
        title="My Wallet"
        description="Your balance at each supplier. Orders are paid from it; Auto Fulfillment needs at least $1,000."
        right={<Button variant="default" leftSection={<IconRefresh size={16} />} onClick={() => live.refetch()} loading={live.isFetching}>Refresh</Button>}
      />
      {live.isError && (
        <Alert color="yellow" icon={<IconAlertTriangle />} mb="md" title="Balance not refreshed">
          {live.error.message}. Showing the last known balance.
        </Alert>
      )}
      <QueryState query={shown}>
        {(suppliers) =>
          suppliers.length === 0 ? (
            <Text c="dimmed">No supplier connected yet.</Text>
          ) : (
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              {suppliers.map((s) => (
                <Card key={s.id} withBorder padding="lg" data-testid="wallet-card">
                  <Stack gap={4}>
                    <Text fw={600}>{s.name}</Text>
                    <Text size="xl" fw={700} data-testid="wallet-balance">{s.balance_minor == null ? "—" : money(s.balance_minor, "USD")}</Text>
                    <Text size="sm" c="dimmed">{s.balance_checked_at ? `Checked ${dateTime(s.balance_checked_at)}` : "Not checked yet"}</Text>
                    <Group gap="xs" mt="xs">
                      <Text size="sm">Charged for {number(s.charged_sub_orders)} sub-orders: {money(-s.ledger_total_minor, "USD")}</Text>
                    </Group>
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
