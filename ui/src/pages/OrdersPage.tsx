import { useEffect, useMemo, useState } from "react";
import { Badge, Button, Card, CloseButton, Group, Menu, NativeSelect, Select, Tabs, Text, TextInput } from "@mantine/core";
import { DatePickerInput } from "@mantine/dates";
import {
  IconBolt,
  IconCalendar,
  IconChevronDown,
  IconDownload,
  IconHandStop,
  IconPlayerPlay,
  IconRefresh,
  IconSearch,
  IconSend,
  IconTruckDelivery,
} from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { notifications } from "@mantine/notifications";
import { useLocation, useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { detailText, notifyError } from "../errors";
import type { TFunction } from "i18next";
import { useDebouncedValue } from "@mantine/hooks";
import { api } from "../api";
import type { OrderStatus } from "../bindings/OrderStatus";
import type { OrderQuery } from "../bindings/OrderQuery";
import type { HoldKind } from "../bindings/HoldKind";
import type { TrackingFlag } from "../bindings/TrackingFlag";
import type { DisputeFilter } from "../bindings/DisputeFilter";
import type { OrderSelection } from "../bindings/OrderSelection";
import type { BulkResult } from "../bindings/BulkResult";
import type { SkippedOrder } from "../bindings/SkippedOrder";
import { PageHeader } from "../components/PageHeader";
import { OrdersTable } from "../components/OrdersTable";
import { SyncOrderModal } from "../components/SyncOrderModal";
import { OrderDrawer } from "../components/OrderDrawer";
import { STATUS_TABS } from "../status";
import { showExported } from "../components/showExported";
import { countryName, number } from "../format";

/** What another screen may ask the Order page to show (the Dashboard's links). */
export type OrdersLinkState = { status?: OrderStatus; lateSince?: string; lateDays?: number; holdKind?: HoldKind; tracking?: TrackingFlag; dispute?: DisputeFilter };

const HOLD_KINDS: HoldKind[] = ["merchant", "payment_pending", "no_address", "unmapped_sku", "nothing_to_ship", "no_shipping_line", "waiting_for_funds", "cost_above_guard", "cancelled_in_store", "high_risk", "medium_risk", "address_invalid", "cost_changed", "supplier_unavailable"];

/** Midnight (local) of a `YYYY-MM-DD` day as UTC RFC 3339, optionally a day later (exclusive end). */
function dayBoundary(day: string, nextDay = false): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y, m - 1, d + (nextDay ? 1 : 0)).toISOString();
}

function skippedLines(t: TFunction, skipped: SkippedOrder[]): string {
  const shown = skipped.slice(0, 4).map((s) => `${s.order_name}: ${detailText(t, s.detail, s.reason)}`);
  return skipped.length > 4 ? [...shown, `+${skipped.length - 4}`].join("\n") : shown.join("\n");
}

export function OrdersPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const link = (useLocation().state ?? {}) as OrdersLinkState;
  const [tab, setTab] = useState<OrderStatus | "all">(link.status ?? "all");
  const [syncOpen, setSyncOpen] = useState(false);
  const [openOrder, setOpenOrder] = useState<number | null>(null);
  const [search, setSearch] = useState("");
  const [debouncedSearch] = useDebouncedValue(search, 250);
  const [storeId, setStoreId] = useState("");
  const [dates, setDates] = useState<[string | null, string | null]>([null, null]);
  const [country, setCountry] = useState<string | null>(null);
  const [supplierId, setSupplierId] = useState<string | null>(null);
  const [holdKind, setHoldKind] = useState<string | null>(link.holdKind ?? null);
  const [lateSince, setLateSince] = useState<string | undefined>(link.lateSince);
  const [tracking, setTracking] = useState<string | null>(link.tracking ?? null);
  const [dispute, setDispute] = useState<string | null>(link.dispute ?? null);
  const [selected, setSelected] = useState<Set<number>>(new Set());

  const stores = useQuery({ queryKey: ["stores"], queryFn: api.listStores });
  const suppliers = useQuery({ queryKey: ["wallet", false], queryFn: () => api.wallet(false) });
  const countries = useQuery({ queryKey: ["orders", "countries"], queryFn: api.orderCountries });
  const counts = useQuery({ queryKey: ["orders", "counts"], queryFn: api.orderCounts });
  const count = (s: OrderStatus) => counts.data?.find((c) => c.status === s)?.count ?? 0;
  const total = counts.data?.reduce((sum, c) => sum + c.count, 0) ?? 0;

  const query: OrderQuery = useMemo(
    () => ({
      status: tab === "all" ? undefined : tab,
      search: debouncedSearch.trim() || undefined,
      store_id: storeId ? Number(storeId) : undefined,
      created_from: dates[0] ? dayBoundary(dates[0]) : undefined,
      created_to: dates[1] ? dayBoundary(dates[1], true) : undefined,
      country_code: country ?? undefined,
      supplier_id: supplierId ? Number(supplierId) : undefined,
      hold_kind: (holdKind as HoldKind | null) ?? undefined,
      late_since: lateSince,
      tracking: (tracking as TrackingFlag | null) ?? undefined,
      dispute: (dispute as DisputeFilter | null) ?? undefined,
    }),
    [tab, debouncedSearch, storeId, dates, country, supplierId, holdKind, lateSince, tracking, dispute],
  );
  // A selection belongs to what is on screen: a new filter, tab or search starts a new one.
  useEffect(() => setSelected(new Set()), [query]);
  const filtered = Boolean(query.search || query.store_id || query.created_from || query.country_code || query.supplier_id || query.hold_kind || query.late_since || query.tracking || query.dispute);
  const clearFilters = () => {
    setSearch("");
    setStoreId("");
    setDates([null, null]);
    setCountry(null);
    setSupplierId(null);
    setHoldKind(null);
    setLateSince(undefined);
    setTracking(null);
    setDispute(null);
  };
  const select = (ids: number[], checked: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      ids.forEach((id) => (checked ? next.add(id) : next.delete(id)));
      return next;
    });
  const ids = [...selected];

  const done = () => {
    setSelected(new Set());
    void client.invalidateQueries({ queryKey: ["orders"] });
  };
  const showBulk = (title: string) => (result: BulkResult) =>
    notifications.show({
      color: result.skipped.length ? "orange" : "green",
      title,
      message: [t("orders.bulkDone", { done: result.done.length, skipped: result.skipped.length }), skippedLines(t, result.skipped)].filter(Boolean).join("\n"),
      style: { whiteSpace: "pre-line" },
    });
  const failed = (e: Error) => notifyError(t, e, t("orders.actionFailed"));
  const ship = useMutation({
    mutationFn: () => api.shipOrders(ids),
    onSuccess: (r) =>
      notifications.show({
        color: r.skipped.length || r.queued.length ? "orange" : "green",
        title: t("orders.shipOrders"),
        message: [
          t("orders.shipSummary", { shipped: r.shipped.length, queued: r.queued.length, skipped: r.skipped.length }),
          r.queued.length ? t("orders.queuedHint") : "",
          skippedLines(t, r.skipped),
        ].filter(Boolean).join("\n"),
        style: { whiteSpace: "pre-line" },
      }),
    onError: failed,
    onSettled: done,
  });
  const hold = useMutation({ mutationFn: () => api.holdOrders(ids), onSuccess: showBulk(t("orders.hold")), onError: failed, onSettled: done });
  const release = useMutation({ mutationFn: () => api.releaseOrders(ids), onSuccess: showBulk(t("orders.release")), onError: failed, onSettled: done });
  const exportCsv = useMutation({
    mutationFn: (selection: OrderSelection) => api.exportOrdersCsv(selection),
    onSuccess: (file) => showExported(t("orders.exported", { count: file.orders }), file, t("orders.showInFolder"), failed),
    onError: failed,
  });
  const busy = ship.isPending || hold.isPending || release.isPending || exportCsv.isPending;

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
      <PageHeader title={t("orders.title")} description={t("orders.description")} />
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
          <Menu position="bottom-end" width={240}>
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
              <Menu.Item leftSection={<IconDownload size={16} />} onClick={() => exportCsv.mutate({ query })} data-testid="action-export-all">
                {t("orders.exportMatching")}
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </Group>
      <Card withBorder padding={0}>
        <Tabs
          value={tab}
          onChange={(v) => setTab((v as OrderStatus | "all") ?? "all")}
          px="sm"
          pt="xs"
          // One row of tabs: tighter padding, and a scroll on narrow windows instead of a wrap.
          styles={{ list: { flexWrap: "nowrap", overflowX: "auto", scrollbarWidth: "thin" }, tab: { paddingInline: 7, flexShrink: 0 } }}
        >
          <Tabs.List>
            <Tabs.Tab value="all" data-testid="tab-all">
              {t("orders.all")} <Badge size="sm" variant="light" color="gray" ml={2} data-testid="count-all" data-count={total}>{number(total)}</Badge>
            </Tabs.Tab>
            {STATUS_TABS.map((tab) => (
              <Tabs.Tab key={tab.status} value={tab.status} data-testid={`tab-${tab.status}`}>
                {t(`status.${tab.status}`)}{" "}
                <Badge size="sm" variant="light" color={tab.color} ml={2} data-testid={`count-${tab.status}`} data-count={count(tab.status)}>
                  {number(count(tab.status))}
                </Badge>
              </Tabs.Tab>
            ))}
          </Tabs.List>
        </Tabs>
        {selected.size > 0 ? (
          <Group px="md" py="sm" gap="sm" bg="var(--mantine-color-blue-light)" data-testid="bulk-bar">
            <Text fw={600} size="sm" data-testid="selected-count" data-count={selected.size}>
              {t("orders.selected", { count: selected.size })}
            </Text>
            <Button size="xs" leftSection={<IconSend size={14} />} onClick={() => ship.mutate()} loading={ship.isPending} disabled={busy} data-testid="bulk-ship">
              {t("orders.shipOrders")}
            </Button>
            <Button size="xs" variant="default" leftSection={<IconHandStop size={14} />} onClick={() => hold.mutate()} loading={hold.isPending} disabled={busy} data-testid="bulk-hold">
              {t("orders.hold")}
            </Button>
            <Button size="xs" variant="default" leftSection={<IconPlayerPlay size={14} />} onClick={() => release.mutate()} loading={release.isPending} disabled={busy} data-testid="bulk-release">
              {t("orders.release")}
            </Button>
            <Button size="xs" variant="default" leftSection={<IconDownload size={14} />} onClick={() => exportCsv.mutate({ ids })} loading={exportCsv.isPending} disabled={busy} data-testid="bulk-export">
              {t("orders.exportCsv")}
            </Button>
            <Button size="xs" variant="subtle" color="gray" onClick={() => setSelected(new Set())} data-testid="bulk-clear">
              {t("orders.clearSelection")}
            </Button>
          </Group>
        ) : (
          <Group px="md" py="sm" gap="sm" data-testid="filter-bar">
            <DatePickerInput
              type="range"
              size="xs"
              w={230}
              clearable
              leftSection={<IconCalendar size={14} />}
              placeholder={t("orders.filterDates")}
              value={dates}
              onChange={(v) => setDates(v as [string | null, string | null])}
              valueFormat="MMM D, YYYY"
              data-testid="filter-dates"
            />
            <Select
              size="xs"
              w={180}
              searchable
              clearable
              placeholder={t("orders.filterCountry")}
              value={country}
              onChange={setCountry}
              data={(countries.data ?? []).map((c) => ({ value: c, label: `${countryName(c)} (${c})` }))}
              data-testid="filter-country"
            />
            <Select
              size="xs"
              w={200}
              clearable
              placeholder={t("orders.filterSupplier")}
              value={supplierId}
              onChange={setSupplierId}
              data={(suppliers.data ?? []).map((s) => ({ value: String(s.id), label: s.name }))}
              data-testid="filter-supplier"
            />
            <Select
              size="xs"
              w={200}
              clearable
              placeholder={t("orders.filterHold")}
              value={holdKind}
              onChange={setHoldKind}
              data={HOLD_KINDS.map((k) => ({ value: k, label: t(`hold.${k}`) }))}
              data-testid="filter-hold"
            />
            <Select
              size="xs"
              w={180}
              clearable
              placeholder={t("orders.filterTracking")}
              value={tracking}
              onChange={setTracking}
              data={(["attention", "expired"] as TrackingFlag[]).map((f) => ({ value: f, label: t(`tracking.${f}`) }))}
              data-testid="filter-tracking"
            />
            <Select
              size="xs"
              w={170}
              clearable
              placeholder={t("disputes.filter")}
              value={dispute}
              onChange={setDispute}
              data={(["open", "resolved"] as DisputeFilter[]).map((f) => ({ value: f, label: t(`disputes.filterValue.${f}`) }))}
              data-testid="filter-dispute"
            />
            {lateSince && (
              <Badge size="lg" color="red" variant="light" rightSection={<CloseButton size="xs" onClick={() => setLateSince(undefined)} aria-label={t("orders.clearFilters")} />} data-testid="filter-late">
                {t("orders.lateFilter", { days: link.lateDays ?? 7 })}
              </Badge>
            )}
            {filtered && (
              <Button size="xs" variant="subtle" color="gray" onClick={clearFilters} data-testid="clear-filters">
                {t("orders.clearFilters")}
              </Button>
            )}
          </Group>
        )}
        <OrdersTable
          query={query}
          emptyHint={total === 0 ? t("orders.emptyNoOrders") : t("orders.emptyNoMatch")}
          onOpen={setOpenOrder}
          selected={selected}
          onSelect={select}
        />
      </Card>
      <SyncOrderModal opened={syncOpen} onClose={() => setSyncOpen(false)} />
      <OrderDrawer orderId={openOrder} onClose={() => setOpenOrder(null)} />
    </>
  );
}
