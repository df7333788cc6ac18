import { Badge, Card, Group, Stack, Table, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { api } from "../api";
import { PageHeader } from "../components/PageHeader";
import { QueryState } from "../components/QueryState";
import { dateTime, number } from "../format";

const SYNC_COLORS: Record<string, string> = { complete: "green", partial: "yellow", failed: "red" };

/** Store → Integrations: the connected stores and suppliers, with their last sync. */
export function IntegrationsPage() {
  const stores = useQuery({ queryKey: ["stores"], queryFn: api.listStores });
  const suppliers = useQuery({ queryKey: ["wallet", "cached"], queryFn: () => api.wallet(false) });
  return (
    <>
      <PageHeader title="Integrations" description="Your stores and supplier accounts. Credentials are kept in your system's keychain." />
      <Stack gap="lg">
        <Card withBorder padding={0}>
          <Text fw={600} p="md">Stores</Text>
          <QueryState query={stores}>
            {(rows) =>
              rows.length === 0 ? (
                <Text c="dimmed" p="md">No store connected.</Text>
              ) : (
                <Table verticalSpacing="sm" horizontalSpacing="md">
                  <Table.Thead>
                    <Table.Tr><Table.Th>Store</Table.Th><Table.Th>Platform</Table.Th><Table.Th ta="right">Orders</Table.Th><Table.Th>Last sync</Table.Th></Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {rows.map((s) => (
                      <Table.Tr key={s.id}>
                        <Table.Td>
                          <Group gap="xs">{s.name}{s.is_sandbox && <Badge size="sm" color="grape" variant="light">sandbox</Badge>}</Group>
                          <Text size="xs" c="dimmed">{s.base_url}</Text>
                        </Table.Td>
                        <Table.Td tt="capitalize">{s.platform}</Table.Td>
                        <Table.Td ta="right">{number(s.order_count)}</Table.Td>
                        <Table.Td>
                          {s.last_sync_at ? (
                            <Group gap="xs">
                              <Text size="sm">{dateTime(s.last_sync_at)}</Text>
                              <Badge size="sm" variant="light" color={SYNC_COLORS[s.last_sync_status ?? ""] ?? "gray"}>{s.last_sync_status}</Badge>
                            </Group>
                          ) : (
                            <Text size="sm" c="dimmed">Never synced</Text>
                          )}
                          {s.last_sync_error && <Text size="xs" c="red">{s.last_sync_error}</Text>}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )
            }
          </QueryState>
        </Card>
        <Card withBorder padding={0}>
          <Text fw={600} p="md">Suppliers</Text>
          <QueryState query={suppliers}>
            {(rows) =>
              rows.length === 0 ? (
                <Text c="dimmed" p="md">No supplier connected.</Text>
              ) : (
                <Table verticalSpacing="sm" horizontalSpacing="md">
                  <Table.Tbody>
                    {rows.map((s) => (
                      <Table.Tr key={s.id}>
                        <Table.Td><Group gap="xs">{s.name}{s.is_sandbox && <Badge size="sm" color="grape" variant="light">sandbox</Badge>}</Group></Table.Td>
                        <Table.Td>CJdropshipping</Table.Td>
                        <Table.Td><Text size="xs" c="dimmed">{s.base_url}</Text></Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )
            }
          </QueryState>
        </Card>
      </Stack>
    </>
  );
}
