import { useState } from "react";
import { Badge, Button, Card, Group, Menu, NativeSelect, Tabs, TextInput } from "@mantine/core";
import { IconBolt, IconChevronDown, IconRefresh, IconSearch, IconTruckDelivery } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { notifications } from "@mantine/notifications";
import { useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { api } from "../api";
import type { OrderStatus } from "../bindings/OrderStatus";
import type { OrderQuery } from "../bindings/OrderQuery";
import { useDebouncedValue } from "@mantine/hooks";
import { PageHeader } from "../components/PageHeader";
import { OrdersTable } from "../components/OrdersTable";
import { SyncOrderModal } from "../components/SyncOrderModal";
import { OrderDrawer } from "../components/OrderDrawer";
import { STATUS_TABS } from "../status";
import { number } from "../format";

export function OrdersPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [tab, setTab] = useState<OrderStatus | "all">("all");
  const [syncOpen, setSyncOpen] = useState(false);
  const [openOrder, setOpenOrder] = useState<number | null>(null);
  const status = tab === "all" ? null : tab;
  const [search, setSearch] = useState("");
  const [debouncedSearch] = useDebouncedValue(search, 250);
  const [storeId, setStoreId] = useState("");
  const stores = useQuery({ queryKey: ["stores"], queryFn: api.listStores });
  const query: OrderQuery = { status: status ?? undefined, search: debouncedSearch.trim() || undefined, store_id: storeId ? Number(storeId) : undefined };
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
        <Group gap="sm" style={{ flex: 1 }} justify="flex-end">
          <TextInput
            placeholder={t("orders.searchPlaceholder")}
            leftSection={<IconSearch size={16} />}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            w={320}
            data-testid="orders-search"
          />
          {(stores.data?.length ?? 0) > 1 && (
            <NativeSelect
              value={storeId}
              onChange={(e) => setStoreId(e.currentTarget.value)}
              data={[{ value: "", label: t("orders.allStores") }, ...(stores.data ?? []).map((s) => ({ value: String(s.id), label: s.name }))]}
              w={200}
              data-testid="orders-store"
            />
          )}
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
      </Group>
      <Card withBorder padding={0}>
        <Tabs value={tab} onChange={(v) => setTab((v as OrderStatus | "all") ?? "all")} px="md" pt="xs">
          <Tabs.List>
            <Tabs.Tab value="all" data-testid="tab-all">
              {t("orders.all")} <Badge size="sm" variant="light" color="gray" ml={4} data-testid="count-all" data-count={total}>{number(total)}</Badge>
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
        <OrdersTable query={query} emptyHint={total === 0 ? t("orders.emptyNoOrders") : t("orders.emptyNoMatch")} onOpen={setOpenOrder} />
      </Card>
      <SyncOrderModal opened={syncOpen} onClose={() => setSyncOpen(false)} />
      <OrderDrawer orderId={openOrder} onClose={() => setOpenOrder(null)} />
    </>
  );
}
