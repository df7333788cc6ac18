import { useState } from "react";
import { Alert, Badge, Button, Card, Checkbox, Group, NumberInput, SegmentedControl, Select, Stack, TagsInput, Text, Textarea } from "@mantine/core";
import { IconMessageReport, IconX } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { notifications } from "@mantine/notifications";
import { useTranslation } from "react-i18next";
import { api } from "../api";
import { ErrorAlert, notifyError } from "../errors";
import { money } from "../format";
import type { OrderDetail } from "../bindings/OrderDetail";
import type { DisputeView } from "../bindings/DisputeView";

const REASONS = ["not_received", "damaged", "wrong_item", "missing_item"] as const;

const STATE_COLORS: Record<string, string> = {
  submitting: "yellow",
  open: "blue",
  recorded: "grape",
  refunded: "green",
  resent: "teal",
  rejected: "red",
  cancelled: "gray",
  failed: "red",
};

/** One request: its state, what was asked, and the supplier's answer. */
function DisputeCard({ d }: { d: DisputeView }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => api.cancelDispute(d.id),
    onError: (e: Error) => notifyError(t, e, t("disputes.cancelFailed")),
    onSettled: () => client.invalidateQueries({ queryKey: ["orders"] }),
  });
  const canCancel = d.state === "open" || d.state === "recorded";
  return (
    <Card withBorder padding="sm" data-testid="dispute" data-state={d.state}>
      <Group justify="space-between" wrap="nowrap">
        <Text fw={600} truncate>
          D{d.id} · {t(`disputes.reason.${d.reason}`)} · {t(`disputes.wanted.${d.wanted}`)}
        </Text>
        <Badge color={STATE_COLORS[d.state] ?? "gray"} variant="light" data-testid="dispute-state">
          {t(`disputes.state.${d.state}`)}
        </Badge>
      </Group>
      <Text size="sm" c="dimmed" lineClamp={1}>
        {d.supplier_name} · {d.items.map((i) => `${i.variant_id} ×${i.quantity}`).join(", ")}
      </Text>
      <Text size="sm" lineClamp={3}>{d.message}</Text>
      {d.platform_status && (
        <Text size="xs" c="dimmed">{t("disputes.atSupplier", { id: d.platform_dispute_id ?? "—", status: d.platform_status })}</Text>
      )}
      {d.state === "refunded" && d.refund_minor != null && (
        <Text size="sm" c="green.8" data-testid="dispute-refund">{t("disputes.refunded", { amount: money(d.refund_minor, "USD") })}</Text>
      )}
      {d.replacement_order_number && (
        <Text size="sm" c="teal.8" data-testid="dispute-replacement">
          {t("disputes.replacement", { order: d.replacement_order_number })}
          {d.replacement_tracking ? ` · ${d.replacement_tracking}` : ""}
        </Text>
      )}
      {d.file_at && <Alert color="grape" mt={4} p="xs" data-testid="dispute-file-at"><Text size="xs">{t("disputes.fileByHand")} {d.file_at}</Text></Alert>}
      {d.error && <Text size="xs" c="orange.8" lineClamp={2}>{d.error}</Text>}
      {canCancel && (
        <Group justify="flex-end" mt={4}>
          <Button size="compact-xs" variant="subtle" color="red" leftSection={<IconX size={12} />} loading={cancel.isPending} onClick={() => cancel.mutate()} data-testid="dispute-cancel">
            {t("disputes.cancel")}
          </Button>
        </Group>
      )}
    </Card>
  );
}

/** "Request refund or replacement": what went wrong, with which items, and what the merchant wants. */
function DisputeForm({ detail, onDone }: { detail: OrderDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const subs = detail.sub_orders.filter((s) => !s.replacement && ["paid", "shipped", "delivered"].includes(s.state));
  const [subId, setSubId] = useState<string>(String(subs[0]?.id ?? ""));
  const sub = subs.find((s) => String(s.id) === subId) ?? subs[0];
  const [reason, setReason] = useState<string>("not_received");
  const [wanted, setWanted] = useState<string>("refund");
  const [units, setUnits] = useState<Record<string, number>>({});
  const [photos, setPhotos] = useState<string[]>([]);
  const [message, setMessage] = useState("");
  const open = useMutation({
    mutationFn: () =>
      api.openDispute({
        order_id: detail.order.id,
        supplier_id: sub ? Number(sub.supplier_id) : null,
        reason,
        wanted,
        items: Object.entries(units).filter(([, q]) => q > 0).map(([variant_id, quantity]) => ({ variant_id, quantity })),
        photos,
        message,
      }),
    onSuccess: (d) => {
      notifications.show({ color: "green", title: t("disputes.openedTitle", { id: d.id }), message: t(`disputes.state.${d.state}`) });
      onDone();
    },
    onSettled: () => client.invalidateQueries({ queryKey: ["orders"] }),
  });
  if (!sub) return null;
  return (
    <Card withBorder padding="sm" data-testid="dispute-form">
      <Stack gap="xs">
        {subs.length > 1 && (
          <Select size="xs" label={t("detail.supplier")} value={subId} onChange={(v) => v && setSubId(v)} data={subs.map((s) => ({ value: String(s.id), label: s.supplier_name }))} />
        )}
        <Select
          size="xs"
          label={t("disputes.reasonLabel")}
          value={reason}
          onChange={(v) => v && setReason(v)}
          data={REASONS.map((r) => ({ value: r, label: t(`disputes.reason.${r}`) }))}
          data-testid="dispute-reason"
        />
        <Text size="xs" fw={500}>{t("disputes.items")}</Text>
        {sub.items.map((i) => (
          <Group key={i.variant_id} gap="xs" wrap="nowrap">
            <Checkbox
              size="xs"
              checked={(units[i.variant_id] ?? 0) > 0}
              onChange={(e) => setUnits({ ...units, [i.variant_id]: e.currentTarget.checked ? i.quantity : 0 })}
              label={<Text size="xs" truncate maw={320}>{i.line} · {i.variant_id}</Text>}
              data-testid="dispute-item"
            />
            <NumberInput size="xs" w={80} min={0} max={i.quantity} value={units[i.variant_id] ?? 0} onChange={(v) => setUnits({ ...units, [i.variant_id]: Number(v) || 0 })} />
            <Text size="xs" c="dimmed">/ {i.quantity}</Text>
          </Group>
        ))}
        <Text size="xs" c="dimmed">{t("disputes.itemsHint")}</Text>
        <TagsInput
          size="xs"
          label={t("disputes.photos")}
          description={reason === "damaged" ? t("disputes.photosNeeded") : t("disputes.photosHint")}
          value={photos}
          onChange={setPhotos}
          maxTags={10}
          data-testid="dispute-photos"
        />
        <Textarea size="xs" label={t("disputes.message")} placeholder={t("disputes.messageHint")} maxLength={500} autosize minRows={2} value={message} onChange={(e) => setMessage(e.currentTarget.value)} />
        <SegmentedControl
          size="xs"
          value={wanted}
          onChange={setWanted}
          data={[
            { value: "refund", label: t("disputes.wanted.refund") },
            { value: "resend", label: t("disputes.wanted.resend") },
          ]}
          data-testid="dispute-wanted"
        />
        {open.isError && <ErrorAlert error={open.error} title={t("disputes.openFailed")} />}
        <Group justify="flex-end">
          <Button size="xs" variant="default" onClick={onDone}>{t("auto.cancel")}</Button>
          <Button size="xs" loading={open.isPending} onClick={() => open.mutate()} data-testid="dispute-submit">{t("disputes.submit")}</Button>
        </Group>
      </Stack>
    </Card>
  );
}

/** The order drawer's "Refund or replacement" section: the order's requests and a form for a new one. */
export function DisputesSection({ detail }: { detail: OrderDetail }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const disputes = useQuery({ queryKey: ["orders", "disputes", detail.order.id], queryFn: () => api.orderDisputes(detail.order.id) });
  const canAsk = detail.sub_orders.some((s) => !s.replacement && ["paid", "shipped", "delivered"].includes(s.state));
  const anyOpen = (disputes.data ?? []).some((d) => ["submitting", "open", "recorded"].includes(d.state));
  return (
    <Stack gap="xs" data-testid="disputes-section">
      {disputes.isError && <ErrorAlert error={disputes.error} title={t("disputes.loadFailed")} />}
      {(disputes.data ?? []).map((d) => <DisputeCard key={d.id} d={d} />)}
      {disputes.data?.length === 0 && !asking && <Text size="sm" c="dimmed">{canAsk ? t("disputes.none") : t("disputes.notYet")}</Text>}
      {asking ? (
        <DisputeForm detail={detail} onDone={() => setAsking(false)} />
      ) : (
        canAsk && !anyOpen && (
          <Group>
            <Button size="xs" variant="light" leftSection={<IconMessageReport size={14} />} onClick={() => setAsking(true)} data-testid="dispute-new">
              {t("disputes.new")}
            </Button>
          </Group>
        )
      )}
    </Stack>
  );
}
