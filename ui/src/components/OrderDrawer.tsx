import { useState } from "react";
import { Alert, Anchor, Badge, Button, Card, Divider, Drawer, Group, List, Loader, NumberInput, Popover, Select, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { modals } from "@mantine/modals";
import { IconBan, IconClockPause, IconExternalLink, IconHandStop, IconLink, IconPlayerPlay, IconSearch, IconSend } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { notifications } from "@mantine/notifications";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { ErrorAlert, detailText, notifyError } from "../errors";
import { api } from "../api";
import { QueryState } from "./QueryState";
import { AddressSection } from "./AddressSection";
import { DisputesSection } from "./DisputesSection";
import { ProfitSection } from "./ProfitSection";
import { statusColor } from "../status";
import { dateTime, money } from "../format";
import { holdText } from "../holds";
import type { SubOrderView } from "../bindings/SubOrderView";
import type { SubOrderState } from "../bindings/SubOrderState";

const SUB_ORDER_COLORS: Record<SubOrderState, string> = {
  pending: "gray",
  submitting: "yellow",
  submitted: "blue",
  paid: "blue",
  shipped: "cyan",
  delivered: "green",
  held: "grape",
  failed: "red",
  cancelled: "gray",
  ambiguous: "orange",
};

/** "Find at suppliers" for an unmapped SKU: the variants each supplier sells under it, to map. */
function MapSkuButton({ sku }: { sku: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const found = useQuery({ queryKey: ["variants", sku], queryFn: () => api.findSupplierVariants(sku), enabled: false, retry: false });
  const map = useMutation({
    mutationFn: (v: { supplierId: number; vid: string; price: number }) => api.mapSku(sku, v.supplierId, v.vid, v.price),
    onSuccess: () => notifications.show({ color: "green", title: sku, message: t("detail.mapped") }),
    onError: (e: Error) => notifyError(t, e, t("orders.actionFailed")),
    onSettled: () => client.invalidateQueries({ queryKey: ["orders"] }),
  });
  return (
    <Popover width={420} position="bottom-start" withArrow shadow="md" onOpen={() => void found.refetch()}>
      <Popover.Target>
        <Button size="compact-xs" variant="light" color="orange" leftSection={<IconSearch size={12} />} data-testid="find-variants">
          {t("detail.findAtSuppliers")}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        {found.isFetching ? (
          <Group gap="xs"><Loader size="xs" /><Text size="sm">{t("detail.searching", { sku })}</Text></Group>
        ) : found.isError ? (
          <Text size="sm" c="red">{found.error.message}</Text>
        ) : (found.data?.length ?? 0) === 0 ? (
          <Text size="sm" c="dimmed">{t("detail.noVariants", { sku })}</Text>
        ) : (
          <Stack gap="xs" data-testid="variant-results">
            {found.data!.map((f) => (
              <Group key={`${f.supplier_id}-${f.variant.vid}`} justify="space-between" wrap="nowrap">
                <Stack gap={0}>
                  <Text size="sm" fw={600}>{f.variant.name || f.variant.variant_sku}</Text>
                  <Text size="xs" c="dimmed">{f.supplier_name} · {f.variant.vid} · {money(f.variant.price_minor, "USD")}</Text>
                </Stack>
                <Button size="compact-sm" onClick={() => map.mutate({ supplierId: f.supplier_id, vid: f.variant.vid, price: f.variant.price_minor })} loading={map.isPending} data-testid="map-variant">
                  {t("detail.map")}
                </Button>
              </Group>
            ))}
          </Stack>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}

/**
 * "Map product" for a line without a SKU: its store product (and variant) is mapped, in the
 * order's store, to a supplier variant the merchant names (the supplier's variant id and cost).
 */
function MapProductButton({ orderId, productId, variantId }: { orderId: number; productId: string; variantId: string | null }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const suppliers = useQuery({ queryKey: ["suppliers"], queryFn: api.listSuppliers });
  const [supplier, setSupplier] = useState<string | null>(null);
  const [vid, setVid] = useState("");
  const [cost, setCost] = useState<number | string>("");
  const map = useMutation({
    mutationFn: () => api.mapVariant(orderId, productId, variantId, Number(supplier), vid, Math.round(Number(cost) * 100)),
    onSuccess: () => notifications.show({ color: "green", title: t("detail.productId", { id: productId }), message: t("detail.mapped") }),
    onError: (e: Error) => notifyError(t, e, t("orders.actionFailed")),
    onSettled: () => client.invalidateQueries({ queryKey: ["orders"] }),
  });
  const options = (suppliers.data ?? []).filter((s) => !s.disconnected).map((s) => ({ value: String(s.id), label: s.name }));
  const ready = supplier != null && vid.trim() !== "" && cost !== "" && Number(cost) >= 0;
  return (
    <Popover width={360} position="bottom-start" withArrow shadow="md" trapFocus>
      <Popover.Target>
        <Button size="compact-xs" variant="light" color="orange" leftSection={<IconLink size={12} />} data-testid="map-product">
          {t("detail.mapProduct")}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (ready) map.mutate();
          }}
        >
          <Stack gap="xs">
            <Text size="xs" c="dimmed">
              {variantId ? t("detail.mapProductHintVariant", { product: productId, variant: variantId }) : t("detail.mapProductHint", { product: productId })}
            </Text>
            <Select label={t("detail.supplier")} data={options} value={supplier} onChange={setSupplier} comboboxProps={{ withinPortal: false }} data-testid="map-product-supplier" />
            <TextInput label={t("detail.supplierVariant")} value={vid} onChange={(e) => setVid(e.currentTarget.value)} data-testid="map-product-vid" />
            <NumberInput label={t("detail.costUsd")} min={0} decimalScale={2} value={cost} onChange={setCost} data-testid="map-product-cost" />
            <Button type="submit" size="xs" disabled={!ready} loading={map.isPending} data-testid="map-product-save">{t("detail.map")}</Button>
          </Stack>
        </form>
      </Popover.Dropdown>
    </Popover>
  );
}

function SubOrderCard({ sub }: { sub: SubOrderView }) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="sm" data-testid="sub-order" data-state={sub.state}>
      <Group justify="space-between">
        <Group gap={6}>
          <Text fw={600}>{sub.supplier_name}</Text>
          {sub.replacement && <Badge size="sm" color="teal" variant="outline" data-testid="replacement-badge">{t("disputes.replacementBadge")}</Badge>}
        </Group>
        <Badge color={SUB_ORDER_COLORS[sub.state]} variant="light">{t(`subOrderState.${sub.state}`)}</Badge>
      </Group>
      <Text size="sm" c="dimmed">{t("detail.supplierOrder", { id: sub.supplier_order_id ?? "—", key: sub.idempotency_key })}</Text>
      <Text size="sm">
        {t("detail.shippingLine", { line: sub.shipping_line ?? "—" })}
        {sub.cost_minor != null && ` · ${t("detail.charged", { amount: money(sub.cost_minor, sub.currency ?? "USD") })}`}
      </Text>
      {sub.payment_method && sub.state !== "cancelled" && (
        <Text size="xs" c="dimmed">{sub.payment_method === "card"
            ? t("detail.paidByCard")
            : sub.payment_method === "billing"
              ? t("detail.chargedToBilling", { supplier: sub.supplier_name })
              : t("detail.paidFromWallet")}</Text>
      )}
      {sub.items.filter((i) => i.priority > 1).map((i) => (
        <Text key={`${i.line}-${i.variant_id}`} size="xs" c="orange.8" lineClamp={2} data-testid="backup-used">
          {i.line}: {t("detail.backupUsed", { priority: i.priority, reason: i.backup_reason ?? "" })}
        </Text>
      ))}
      {sub.store_cancel_outcome && sub.store_cancel_outcome !== "unknown" && (
        <Badge size="sm" color={sub.store_cancel_outcome === "cancelled" ? "gray" : "red"} variant="light" data-testid="store-cancel-outcome" data-outcome={sub.store_cancel_outcome}>
          {t(`detail.storeCancel.${sub.store_cancel_outcome}`)}
        </Badge>
      )}
      {sub.error && <Text size="sm" c="red">{sub.error}</Text>}
      {sub.cancel_answer && <Text size="sm" c={sub.state === "cancelled" ? "dimmed" : "orange.8"} data-testid="cancel-answer">{sub.cancel_answer}</Text>}
      {sub.shipment && (
        <Group gap="xs" mt={4}>
          <Text size="sm">{t("detail.tracking", { company: sub.shipment.company })}</Text>
          <Anchor size="sm" onClick={() => api.openLink(sub.shipment!.url)} data-testid="tracking-link">
            {sub.shipment.tracking_number} <IconExternalLink size={12} />
          </Anchor>
          <Badge size="sm" color={sub.shipment.pushed_at ? "green" : "gray"} variant="light">
            {sub.shipment.pushed_at ? t("detail.inStore") : sub.shipment.push_error ? t("detail.pushFailed") : t("detail.waitingPush")}
          </Badge>
        </Group>
      )}
    </Card>
  );
}

/** The order detail: line items, shipping address, sub-orders with tracking, and "Ship order". */
export function OrderDrawer({ orderId, onClose }: { orderId: number | null; onClose: () => void }) {
  const navigate = useNavigate();
  const { t } = useTranslation();
  const client = useQueryClient();
  const detail = useQuery({ queryKey: ["orders", "detail", orderId], queryFn: () => api.orderDetail(orderId!), enabled: orderId != null });
  const ship = useMutation({
    mutationFn: () => api.shipOrders([orderId!]),
    onSuccess: (r) => {
      if (r.queued.length) {
        notifications.show({ color: "orange", title: t("detail.orderTitle", { name: r.queued[0] }), message: t("orders.queuedHint") });
        return;
      }
      if (r.skipped.length) {
        notifications.show({ color: "orange", title: t("detail.orderTitle", { name: r.skipped[0].order_name }), message: detailText(t, r.skipped[0].detail, r.skipped[0].reason) });
        return;
      }
      const result = r.shipped[0];
      const failed = result.sub_orders.filter((s) => s.state !== "paid");
      notifications.show({
        color: failed.length ? "orange" : "green",
        title: t("detail.orderTitle", { name: result.order_name }),
        message: failed.length
          ? t("detail.notThrough", { count: failed.length, errors: failed.map((f) => f.error).join("; ") })
          : t("detail.sentTo", { suppliers: result.sub_orders.map((s) => s.supplier_name).join(", ") }),
      });
    },
    onSettled: () => client.invalidateQueries({ queryKey: ["orders"] }),
  });
  const holdOrRelease = useMutation({
    mutationFn: (hold: boolean) => (hold ? api.holdOrders([orderId!]) : api.releaseOrders([orderId!])),
    onSuccess: (r) => r.skipped.length > 0 && notifications.show({ color: "orange", title: r.skipped[0].order_name, message: detailText(t, r.skipped[0].detail, r.skipped[0].reason) }),
    onError: (e: Error) => notifyError(t, e, t("orders.actionFailed")),
    onSettled: () => client.invalidateQueries({ queryKey: ["orders"] }),
  });
  const cancel = useMutation({
    mutationFn: () => api.cancelFulfillment([orderId!]),
    onSettled: () => client.invalidateQueries({ queryKey: ["orders"] }),
  });
  const askCancel = (name: string) =>
    modals.openConfirmModal({
      title: t("detail.cancelTitle", { name }),
      children: <Text size="sm">{t("detail.cancelBody")}</Text>,
      labels: { confirm: t("detail.cancelConfirm"), cancel: t("detail.keep") },
      confirmProps: { color: "red", "data-testid": "cancel-confirm" } as Record<string, string>,
      onConfirm: () => cancel.mutate(),
    });
  return (
    <Drawer opened={orderId != null} onClose={onClose} position="right" size="xl" title={<Text fw={600}>{t("detail.title")}</Text>}>
      <QueryState query={detail}>
        {(d) => {
          // What the order allows now is the core's decision (`OrderActions`), never re-derived here.
          const { can_ship: canShip, can_hold: canHold, can_release: canRelease, can_cancel: canCancel } = d.actions;
          return (
            // Long words (a name without spaces) wrap instead of pushing Qty and Price out.
            <Stack gap="md" data-testid="order-detail" style={{ overflowWrap: "anywhere" }}>
              <Group justify="space-between">
                <Stack gap={0}>
                  <Title order={3}>{d.order.name}</Title>
                  <Text size="sm" c="dimmed">{d.order.store_name} · {dateTime(d.order.created_at)}</Text>
                </Stack>
                <Badge size="lg" color={statusColor(d.order.status)} variant="light" data-testid="order-status" data-status={d.order.status}>
                  {t(`status.${d.order.status}`)}
                </Badge>
              </Group>
              {d.hold_reason && (
                <Alert
                  color={d.order.hold_kind === "merchant" ? "grape" : d.order.hold_kind === "high_risk" ? "red" : "yellow"}
                  icon={<IconHandStop />}
                  title={t("detail.held")}
                  data-testid="hold-reason"
                  data-kind={d.order.hold_kind ?? ""}
                >
                  {holdText(t, d.order.hold_kind, d.order.hold_params, d.hold_reason)}
                </Alert>
              )}
              {d.order.queued && (
                <Alert color="orange" icon={<IconClockPause />} title={t("orders.queued")} data-testid="queued-alert">
                  {t("orders.queuedHint")}
                </Alert>
              )}
              {ship.isError && <ErrorAlert error={ship.error} title={t("detail.shipFailed")} />}
              <Group>
                <Button leftSection={<IconSend size={16} />} onClick={() => ship.mutate()} loading={ship.isPending} disabled={!canShip} data-testid="ship-order">
                  {t("detail.ship")}
                </Button>
                {canRelease && (
                  <Button
                    variant="default"
                    leftSection={<IconPlayerPlay size={16} />}
                    onClick={() =>
                      d.order.hold_kind === "high_risk"
                        ? modals.openConfirmModal({
                            title: t("detail.acceptRiskTitle", { name: d.order.name }),
                            children: <Text size="sm">{holdText(t, d.order.hold_kind, d.order.hold_params, d.hold_reason)}. {t("detail.acceptRiskBody")}</Text>,
                            labels: { confirm: t("detail.acceptRisk"), cancel: t("auto.cancel") },
                            confirmProps: { color: "red", "data-testid": "accept-risk-confirm" } as Record<string, string>,
                            onConfirm: () => holdOrRelease.mutate(false),
                          })
                        : holdOrRelease.mutate(false)
                    }
                    loading={holdOrRelease.isPending}
                    data-testid="release-order"
                  >
                    {t("orders.release")}
                  </Button>
                )}
                {canHold && (
                  <Button variant="default" leftSection={<IconHandStop size={16} />} onClick={() => holdOrRelease.mutate(true)} loading={holdOrRelease.isPending} data-testid="hold-order">
                    {t("orders.hold")}
                  </Button>
                )}
                {canCancel && (
                  <Button variant="subtle" color="red" leftSection={<IconBan size={16} />} onClick={() => askCancel(d.order.name)} loading={cancel.isPending} data-testid="cancel-fulfillment">
                    {t("detail.cancel")}
                  </Button>
                )}
                <Text size="sm" c="dimmed" style={{ flex: 1 }}>{t("detail.shipHint")}</Text>
              </Group>
              {cancel.isError && <ErrorAlert error={cancel.error} title={t("detail.cancelFailed")} />}
              {cancel.data && (
                <Alert
                  color={cancel.data.outcomes.every((o) => o.cancelled) ? "gray" : "orange"}
                  icon={<IconBan />}
                  title={t("detail.cancelAnswers")}
                  withCloseButton
                  onClose={() => cancel.reset()}
                  data-testid="cancel-result"
                  data-all-cancelled={cancel.data.outcomes.every((o) => o.cancelled)}
                >
                  <List size="sm" spacing={2}>
                    {cancel.data.outcomes.map((o, i) => (
                      <List.Item key={i}>
                        {o.supplier_name && <Text span fw={600} size="sm">{o.supplier_name}: </Text>}
                        {o.answer}
                      </List.Item>
                    ))}
                  </List>
                </Alert>
              )}
              <Divider label={t("detail.lineItems")} labelPosition="left" />
              <Table verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("detail.item")}</Table.Th>
                    <Table.Th>{t("detail.sku")}</Table.Th>
                    <Table.Th>{t("detail.supplier")}</Table.Th>
                    <Table.Th ta="right">{t("detail.qty")}</Table.Th>
                    <Table.Th ta="right">{t("detail.price")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {d.line_items.map((l, i) => (
                    <Table.Tr key={i}>
                      <Table.Td>{l.title}{!l.requires_shipping && <Badge size="xs" ml={6} variant="outline">{t("detail.noShipping")}</Badge>}</Table.Td>
                      <Table.Td>{l.sku ?? "—"}</Table.Td>
                      <Table.Td>
                        {l.supplier_name ??
                          (l.requires_shipping ? (
                            <Group gap={6} wrap="nowrap">
                              <Text span c="orange" size="sm">{t("detail.notMapped")}</Text>
                              {l.sku ? (
                                <MapSkuButton sku={l.sku} />
                              ) : (
                                l.store_product_id && <MapProductButton orderId={d.order.id} productId={l.store_product_id} variantId={l.store_variant_id} />
                              )}
                              {l.store_product_id && (
                                <Anchor
                                  size="xs"
                                  data-testid="open-in-products"
                                  onClick={() =>
                                    navigate(
                                      `/products?${new URLSearchParams({
                                        search: l.store_variant_id ?? l.store_product_id!,
                                        open: `${l.store_product_id}/${l.store_variant_id ?? ""}`,
                                        openStore: d.order.store_name,
                                      })}`,
                                    )
                                  }
                                >
                                  {t("products.openInProducts")}
                                </Anchor>
                              )}
                            </Group>
                          ) : (
                            "—"
                          ))}
                      </Table.Td>
                      <Table.Td ta="right">{l.quantity}</Table.Td>
                      <Table.Td ta="right">{money(l.unit_price_minor, d.order.currency)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <Group justify="flex-end">
                <Text fw={600}>{t("detail.total", { amount: money(d.order.total_minor, d.order.currency) })}</Text>
              </Group>
              <Divider label={t("profit.column")} labelPosition="left" />
              <ProfitSection orderId={d.order.id} />
              <Divider label={t("detail.shipTo")} labelPosition="left" />
              <AddressSection detail={d} />
              <Divider label={t("detail.subOrders")} labelPosition="left" />
              {d.sub_orders.length === 0 ? <Text size="sm" c="dimmed">{t("detail.notSent")}</Text> : d.sub_orders.map((s) => <SubOrderCard key={s.id} sub={s} />)}
              {d.sub_orders.length > 0 && (
                <>
                  <Divider label={t("disputes.section")} labelPosition="left" />
                  <DisputesSection detail={d} />
                </>
              )}
            </Stack>
          );
        }}
      </QueryState>
    </Drawer>
  );
}
