import { useMemo, useState } from "react";
import { Anchor, Card, Center, Group, Loader, SegmentedControl, SimpleGrid, Stack, Text, ThemeIcon, Title } from "@mantine/core";
import { AreaChart, BarChart } from "@mantine/charts";
import "@mantine/charts/styles.css";
import { IconAlertTriangle, IconChartBar, IconHandStop, IconTruckOff } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { api } from "../api";
import { ErrorAlert } from "../errors";
import type { Dashboard } from "../bindings/Dashboard";
import { PageHeader } from "../components/PageHeader";
import { QueryState } from "../components/QueryState";
import { STATUS_TABS } from "../status";
import { money, number, shortDay } from "../format";
import type { OrdersLinkState } from "./OrdersPage";

/** A paid order with no tracking number after this many days is late. */
const LATE_AFTER_DAYS = 7;
const SUPPLIER_COLORS = ["blue.6", "teal.6", "grape.6", "orange.6", "cyan.6", "pink.6"];

/** Spend rows pivoted for a stacked bar chart: one row per day, one key per supplier (dollars). */
function spendSeries(board: Dashboard) {
  const suppliers = [...new Set(board.spend_per_day.map((s) => s.supplier_name))];
  const byDay = new Map<string, Record<string, number | string>>();
  for (const d of board.orders_per_day) byDay.set(d.day, { day: shortDay(d.day) });
  for (const s of board.spend_per_day) {
    const row = byDay.get(s.day);
    if (row) row[s.supplier_name] = s.amount_minor / 100;
  }
  const data = [...byDay.values()].map((row) => Object.fromEntries([["day", row.day], ...suppliers.map((name) => [name, row[name] ?? 0])]));
  return { data, series: suppliers.map((name, i) => ({ name, color: SUPPLIER_COLORS[i % SUPPLIER_COLORS.length] })) };
}

function EmptyChart({ text }: { text: string }) {
  return (
    <Stack h={220} align="center" justify="center" gap="xs">
      <ThemeIcon size={40} radius="xl" variant="light" color="gray">
        <IconChartBar />
      </ThemeIcon>
      <Text size="sm" c="dimmed">{text}</Text>
    </Stack>
  );
}

/** Dashboard: orders per status, what needs attention (held, late), orders and supplier spend per day. */
export function DashboardPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [days, setDays] = useState("30");
  const board = useQuery({ queryKey: ["dashboard", days], queryFn: () => api.dashboard(Number(days), LATE_AFTER_DAYS) });
  // Read apart from the rest (it reads every line item of the period), so the page shows first.
  const products = useQuery({ queryKey: ["dashboard", "products", days], queryFn: () => api.profitPerProduct(Number(days)) });
  const open = (state: OrdersLinkState) => navigate("/orders", { state });
  const spend = useMemo(() => (board.data ? spendSeries(board.data) : null), [board.data]);
  return (
    <>
      <PageHeader title={t("dashboard.title")} description={t("dashboard.description")} />
      <QueryState query={board}>
        {(b) => {
          const orders = b.orders_per_day.map((d) => ({ day: shortDay(d.day), orders: d.orders }));
          const totalOrders = b.orders_per_day.reduce((sum, d) => sum + d.orders, 0);
          const totalSpend = b.spend_per_day.reduce((sum, d) => sum + d.amount_minor, 0);
          const profit = b.profit_per_day.map((d) => ({ day: shortDay(d.day), profit: d.profit_minor / 100 }));
          return (
            <Stack gap="lg">
              <SimpleGrid cols={{ base: 3, lg: 6 }} spacing="md">
                {STATUS_TABS.map((tab) => (
                  <Card key={tab.status} withBorder padding="md" onClick={() => open({ status: tab.status })} style={{ cursor: "pointer" }} data-testid={`dashboard-count-${tab.status}`}>
                    <Text size="sm" c="dimmed">{t(`status.${tab.status}`)}</Text>
                    <Text size="xl" fw={700} c={`${tab.color}.7`}>
                      {number(b.counts.find((c) => c.status === tab.status)?.count ?? 0)}
                    </Text>
                  </Card>
                ))}
              </SimpleGrid>
              <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
                <Card withBorder padding="md" data-testid="dashboard-late" data-count={b.late}>
                  <Group justify="space-between" wrap="nowrap">
                    <Group gap="sm" wrap="nowrap">
                      <ThemeIcon size="lg" variant="light" color={b.late > 0 ? "red" : "gray"}>
                        <IconAlertTriangle size={20} />
                      </ThemeIcon>
                      <div>
                        <Text fw={600}>{t("dashboard.late", { count: b.late })}</Text>
                        <Text size="sm" c="dimmed">{t("dashboard.lateHint", { days: b.late_after_days })}</Text>
                      </div>
                    </Group>
                    {b.late > 0 && (
                      <Anchor size="sm" onClick={() => open({ lateSince: b.late_since, lateDays: b.late_after_days })} data-testid="dashboard-late-link">
                        {t("dashboard.showOrders")}
                      </Anchor>
                    )}
                  </Group>
                </Card>
                <Card withBorder padding="md" data-testid="dashboard-tracking" data-count={b.tracking_attention + b.tracking_expired}>
                  <Group justify="space-between" wrap="nowrap">
                    <Group gap="sm" wrap="nowrap">
                      <ThemeIcon size="lg" variant="light" color={b.tracking_expired > 0 ? "red" : b.tracking_attention > 0 ? "orange" : "gray"}>
                        <IconTruckOff size={20} />
                      </ThemeIcon>
                      <div>
                        <Text fw={600}>{t("dashboard.tracking", { attention: b.tracking_attention, expired: b.tracking_expired })}</Text>
                        <Text size="sm" c="dimmed">{t("dashboard.trackingHint")}</Text>
                      </div>
                    </Group>
                    {b.tracking_attention + b.tracking_expired > 0 && (
                      <Anchor size="sm" onClick={() => open({ tracking: b.tracking_attention > 0 ? "attention" : "expired" })} data-testid="dashboard-tracking-link">
                        {t("dashboard.showOrders")}
                      </Anchor>
                    )}
                  </Group>
                </Card>
                <Card withBorder padding="md" data-testid="dashboard-held" data-count={b.held}>
                  <Group gap="sm" wrap="nowrap">
                    <ThemeIcon size="lg" variant="light" color={b.held > 0 ? "yellow" : "gray"}>
                      <IconHandStop size={20} />
                    </ThemeIcon>
                    <div>
                      <Text fw={600}>{t("dashboard.held", { count: b.held })}</Text>
                      <Text size="sm" c="dimmed">{t("dashboard.heldHint")}</Text>
                    </div>
                  </Group>
                </Card>
              </SimpleGrid>
              <Group justify="space-between">
                <Title order={4}>{t("dashboard.lastDays", { days })}</Title>
                <SegmentedControl value={days} onChange={setDays} data={["7", "30", "90"].map((d) => ({ value: d, label: t("dashboard.days", { count: Number(d) }) }))} data-testid="dashboard-period" />
              </Group>
              <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
                <Card withBorder padding="md" data-testid="chart-orders">
                  <Text fw={600}>{t("dashboard.ordersPerDay")}</Text>
                  <Text size="sm" c="dimmed" mb="md">{t("dashboard.ordersTotal", { count: totalOrders })}</Text>
                  {totalOrders === 0 ? (
                    <EmptyChart text={t("dashboard.noOrders")} />
                  ) : (
                    <AreaChart h={220} data={orders} dataKey="day" series={[{ name: "orders", label: t("dashboard.orders"), color: "blue.6" }]} curveType="monotone" withDots={false} tickLine="none" xAxisProps={{ minTickGap: 24 }} gridAxis="y" valueFormatter={number} />
                  )}
                </Card>
                <Card withBorder padding="md" data-testid="chart-spend">
                  <Text fw={600}>{t("dashboard.spendPerDay")}</Text>
                  <Text size="sm" c="dimmed" mb="md">{t("dashboard.spendTotal", { amount: money(totalSpend, b.spend_currency) })}</Text>
                  {totalSpend === 0 || !spend ? (
                    <EmptyChart text={t("dashboard.noSpend")} />
                  ) : (
                    <BarChart h={220} data={spend.data} dataKey="day" type="stacked" series={spend.series} tickLine="none" xAxisProps={{ minTickGap: 24 }} gridAxis="y" withLegend valueFormatter={(v) => money(Math.round(v * 100), b.spend_currency)} />
                  )}
                </Card>
              </SimpleGrid>
              <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
                <Card withBorder padding="md" data-testid="chart-profit" data-profit={b.profit_minor}>
                  <Text fw={600}>{t("profit.perDay")}</Text>
                  <Text size="sm" c="dimmed" mb="md" data-testid="profit-total">
                    {t("profit.total", { amount: money(b.profit_minor, b.profit_currency), margin: b.margin_bps == null ? "—" : `${(b.margin_bps / 100).toFixed(1)}%` })}
                    {b.profit_estimated_orders > 0 && ` · ${t("profit.estimatedOrders", { count: b.profit_estimated_orders })}`}
                    {b.profit_unknown_orders > 0 && ` · ${t("profit.unknownOrders", { count: b.profit_unknown_orders })}`}
                  </Text>
                  {totalOrders === 0 ? (
                    <EmptyChart text={t("dashboard.noOrders")} />
                  ) : (
                    <BarChart h={220} data={profit} dataKey="day" series={[{ name: "profit", label: t("profit.column"), color: "teal.6" }]} tickLine="none" xAxisProps={{ minTickGap: 24 }} gridAxis="y" valueFormatter={(v) => money(Math.round(v * 100), b.profit_currency)} />
                  )}
                </Card>
                <Card withBorder padding="md" data-testid="profit-products">
                  <Text fw={600}>{t("profit.perProduct")}</Text>
                  <Text size="sm" c="dimmed" mb="md">{t("profit.perProductHint")}</Text>
                  {products.isError ? (
                    <ErrorAlert error={products.error} title={t("profit.loadFailed")} />
                  ) : !products.data ? (
                    <Center h={220}><Loader size="sm" /></Center>
                  ) : products.data.length === 0 ? (
                    <EmptyChart text={t("dashboard.noOrders")} />
                  ) : (
                    <Stack gap={6}>
                      {products.data.map((p) => (
                        <Group key={p.title} justify="space-between" wrap="nowrap" gap="md">
                          <Text size="sm" truncate style={{ flex: 1 }} title={p.title}>{p.title}</Text>
                          <Text size="sm" c="dimmed" w={70} ta="right">{t("profit.units", { count: p.units })}</Text>
                          <Text size="sm" fw={600} w={110} ta="right" c={p.profit_minor < 0 ? "red.7" : undefined}>{money(p.profit_minor, b.profit_currency)}</Text>
                        </Group>
                      ))}
                    </Stack>
                  )}
                </Card>
              </SimpleGrid>
            </Stack>
          );
        }}
      </QueryState>
    </>
  );
}
