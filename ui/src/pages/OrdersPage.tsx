import { useState } from "react";
import { Badge, Button, Card, Center, Group, Menu, Stack, Table, Tabs, Text, ThemeIcon } from "@mantine/core";
import { IconBolt, IconChevronDown, IconInbox, IconRefresh, IconTruckDelivery } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { notifications } from "@mantine/notifications";
import { useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { api } from "../api";
import type { OrderStatus } from "../bindings/OrderStatus";
import { PageHeader } from "../components/PageHeader";
import { QueryState } from "../components/QueryState";
import { SyncOrderModal } from "../components/SyncOrderModal";
import { OrderDrawer } from "../components/OrderDrawer";
import { STATUS_TABS, statusColor } from "../status";
import { dateTime, money, number } from "../format";

export function OrdersPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [tab, setTab] = useState<OrderStatus | "all">("all");
  const [syncOpen, setSyncOpen] = useState(false);
  const [openOrder, setOpenOrder] = useState<number | null>(null);
  const status = tab === "all" ? null : tab;
  const orders = useQuery({ queryKey: ["orders", "list", status], queryFn: () => api.listOrders(status) });
  const counts = useQuery({ queryKey: ["orders", "counts"], queryFn: api.orderCounts });
  const count = (s: OrderStatus) => counts.data?.find((c) => c.status === s)?.count ?? 0;
  const total = counts.data?.reduce((sum, c) => sum + c.count, 0) ?? 0;

  const checkTracking = async () => {
    try {
      const report = await api.trackNow();
      notifications.show({ title: t("orders.trackingChecked"), message: t("orders.trackingSummary", { shipments: report.new_shipments.length, pushed: report.pushed }) });
    } catch (e) {
      notifications.show({ color: "red", title: t("orders.trackingFailed"), message: (e as Error).message });
    }
  };

  return (
    <>
      <PageHeader
        title={t("orders.title")}
        description={t("orders.description")}
      />
      <Group justify="space-between" mb="md">
        <Button leftSection={<IconBolt size={16} />} variant="light" onClick={() => navigate("/auto-fulfillment")} data-testid="auto-fulfillment-button">
          {t("orders.autoFulfillment")}
        </Button>
        <Menu position="bottom-end" width={200}>
          <Menu.Target>
            <Button rightSection={<IconChevronDown size={16} />} data-testid="action-menu">
              {t("orders.action")}
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item leftSection={<IconRefresh size={16} />} onClick={() => setSyncOpen(true)} data-testid="action-sync-order">
              {t("orders.syncOrder")}
            </Menu.Item>
            <Menu.Item leftSection={<IconTruckDelivery size={16} />} onClick={checkTracking} data-testid="action-check-tracking">
              {t("orders.checkTracking")}
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </Group>
      <Card withBorder padding={0}>
        <Tabs value={tab} onChange={(v) => setTab((v as OrderStatus | "all") ?? "all")} px="md" pt="xs">
          <Tabs.List>
            <Tabs.Tab value="all" data-testid="tab-all">
              {t("orders.all")} <Badge size="sm" variant="light" color="gray" ml={4}>{number(total)}</Badge>
            </Tabs.Tab>
            {STATUS_TABS.map((tab) => (
              <Tabs.Tab key={tab.status} value={tab.status} data-testid={`tab-${tab.status}`}>
                {t(`status.${tab.status}`)}{" "}
                <Badge size="sm" variant="light" color={tab.color} ml={4} data-testid={`count-${tab.status}`}>
                  {number(count(tab.status))}
                </Badge>
              </Tabs.Tab>
            ))}
          </Tabs.List>
        </Tabs>
        <QueryState query={orders}>
          {(rows) =>
            rows.length === 0 ? (
              <Center py={64} data-testid="orders-empty">
                <Stack align="center" gap="xs">
                  <ThemeIcon size={48} radius="xl" variant="light" color="gray">
                    <IconInbox />
                  </ThemeIcon>
                  <Text fw={500}>{t("orders.emptyTitle")}</Text>
                  <Text c="dimmed" size="sm">
                    {total === 0 ? t("orders.emptyNoOrders") : t("orders.emptyNoStatus")}
                  </Text>
                </Stack>
              </Center>
            ) : (
              <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="md" data-testid="orders-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("orders.colOrder")}</Table.Th>
                    <Table.Th>{t("orders.colDate")}</Table.Th>
                    <Table.Th>{t("orders.colCustomer")}</Table.Th>
                    <Table.Th>{t("orders.colCountry")}</Table.Th>
                    <Table.Th ta="right">{t("orders.colItems")}</Table.Th>
                    <Table.Th ta="right">{t("orders.colTotal")}</Table.Th>
                    <Table.Th>{t("orders.colStatus")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((o) => (
                    <Table.Tr key={o.id} onClick={() => setOpenOrder(o.id)} style={{ cursor: "pointer" }} data-testid="order-row" data-order-name={o.name} data-status={o.status}>
                      <Table.Td fw={600}>{o.name}</Table.Td>
                      <Table.Td c="dimmed">{dateTime(o.created_at)}</Table.Td>
                      <Table.Td>{o.customer_name ?? "—"}</Table.Td>
                      <Table.Td>{o.country_code ?? "—"}</Table.Td>
                      <Table.Td ta="right">{o.item_count}</Table.Td>
                      <Table.Td ta="right">{money(o.total_minor, o.currency)}</Table.Td>
                      <Table.Td>
                        <Badge color={statusColor(o.status)} variant="light">{t(`status.${o.status}`)}</Badge>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )
          }
        </QueryState>
      </Card>
      <SyncOrderModal opened={syncOpen} onClose={() => setSyncOpen(false)} />
      <OrderDrawer orderId={openOrder} onClose={() => setOpenOrder(null)} />
    </>
  );
}
