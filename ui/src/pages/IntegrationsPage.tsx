import { Badge, Card, Group, Stack, Table, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../api";
import { PageHeader } from "../components/PageHeader";
import { QueryState } from "../components/QueryState";
import { dateTime, number } from "../format";

const SYNC_COLORS: Record<string, string> = { complete: "green", partial: "yellow", failed: "red" };

/** Store → Integrations: the connected stores and suppliers, with their last sync. */
export function IntegrationsPage() {
  const { t } = useTranslation();
  const stores = useQuery({ queryKey: ["stores"], queryFn: api.listStores });
  const suppliers = useQuery({ queryKey: ["wallet", "cached"], queryFn: () => api.wallet(false) });
  const sandboxBadge = <Badge size="sm" color="grape" variant="light">{t("integrations.sandbox")}</Badge>;
  return (
    <>
      <PageHeader title={t("integrations.title")} description={t("integrations.description")} />
      <Stack gap="lg">
        <Card withBorder padding={0}>
          <Text fw={600} p="md">{t("integrations.stores")}</Text>
          <QueryState query={stores}>
            {(rows) =>
              rows.length === 0 ? (
                <Text c="dimmed" p="md">{t("integrations.noStore")}</Text>
              ) : (
                <Table verticalSpacing="sm" horizontalSpacing="md">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t("integrations.colStore")}</Table.Th>
                      <Table.Th>{t("integrations.colPlatform")}</Table.Th>
                      <Table.Th ta="right">{t("integrations.colOrders")}</Table.Th>
                      <Table.Th>{t("integrations.colLastSync")}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {rows.map((s) => (
                      <Table.Tr key={s.id}>
                        <Table.Td>
                          <Group gap="xs">{s.name}{s.is_sandbox && sandboxBadge}</Group>
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
                            <Text size="sm" c="dimmed">{t("integrations.neverSynced")}</Text>
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
          <Text fw={600} p="md">{t("integrations.suppliers")}</Text>
          <QueryState query={suppliers}>
            {(rows) =>
              rows.length === 0 ? (
                <Text c="dimmed" p="md">{t("integrations.noSupplier")}</Text>
              ) : (
                <Table verticalSpacing="sm" horizontalSpacing="md">
                  <Table.Tbody>
                    {rows.map((s) => (
                      <Table.Tr key={s.id}>
                        <Table.Td><Group gap="xs">{s.name}{s.is_sandbox && sandboxBadge}</Group></Table.Td>
                        <Table.Td>CJdropshipping</Table.Td>
                        <Table.Td><Text size="xs" c="dimmed">{s.base_url}</Text></Table.Td>
                        <Table.Td ta="right"><Text size="sm" c="dimmed">{t("integrations.rateLimit", { count: s.requests_per_second })}</Text></Table.Td>
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
