import { useState } from "react";
import { Alert, Badge, Button, Group, List, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { IconAlertTriangle, IconArrowBackUp, IconPencil } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { notifications } from "@mantine/notifications";
import { useTranslation } from "react-i18next";
import { api } from "../api";
import { addressLine, addressProblemText } from "../address";
import { notifyError } from "../errors";
import type { OrderDetail } from "../bindings/OrderDetail";
import type { Address } from "../bindings/Address";

type Field = keyof Address;
const FIELDS: { key: Field; span: number }[] = [
  { key: "name", span: 12 },
  { key: "address1", span: 12 },
  { key: "address2", span: 12 },
  { key: "city", span: 6 },
  { key: "province", span: 6 },
  { key: "zip", span: 6 },
  { key: "country_code", span: 6 },
  { key: "phone", span: 12 },
];

/** The form: every field of the address the suppliers get, prefilled with it. */
function AddressForm({ orderId, initial, onDone }: { orderId: number; initial: Address; onDone: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [form, setForm] = useState<Address>(initial);
  const save = useMutation({
    mutationFn: () => api.correctAddress(orderId, form),
    onSuccess: (problems) => {
      const blocking = problems.filter((p) => p.blocking);
      notifications.show({
        color: blocking.length ? "orange" : "green",
        title: t("address.savedTitle"),
        message: blocking.length ? addressProblemText(t, blocking[0]) : t("address.saved"),
      });
      onDone();
    },
    onError: (e: Error) => notifyError(t, e, t("address.saveFailed")),
    onSettled: () => client.invalidateQueries({ queryKey: ["orders"] }),
  });
  const set = (key: Field, value: string) =>
    setForm((f) => ({ ...f, [key]: key === "address1" || key === "country_code" ? value : value === "" ? null : value }));
  return (
    <Stack gap="xs" data-testid="address-form">
      <SimpleGrid cols={2} spacing="xs" verticalSpacing="xs">
        {FIELDS.map(({ key, span }) => (
          <TextInput
            key={key}
            style={span === 12 ? { gridColumn: "1 / -1" } : undefined}
            size="xs"
            label={t(`address.label.${key}`)}
            value={form[key] ?? ""}
            maxLength={key === "country_code" ? 2 : 200}
            required={key === "address1" || key === "country_code"}
            onChange={(e) => set(key, key === "country_code" ? e.currentTarget.value.toUpperCase() : e.currentTarget.value)}
            data-testid={`address-${key}`}
          />
        ))}
      </SimpleGrid>
      <Text size="xs" c="dimmed">{t("address.hint")}</Text>
      <Group gap="xs">
        <Button size="xs" onClick={() => save.mutate()} loading={save.isPending} disabled={!form.address1.trim() || form.country_code.length !== 2} data-testid="address-save">
          {t("address.save")}
        </Button>
        <Button size="xs" variant="default" onClick={onDone}>{t("address.cancel")}</Button>
      </Group>
    </Stack>
  );
}

/**
 * "Ship to" in the order drawer: the store's address, the merchant's correction (what the
 * suppliers get; never pushed to the store), what the address check finds, and the form that
 * corrects it. The correction can be made until the order is with its suppliers.
 */
export function AddressSection({ detail: d }: { detail: OrderDetail }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [editing, setEditing] = useState(false);
  const editable = ["awaiting_payment", "to_order", "failed"].includes(d.order.status);
  const used = d.address_override ?? d.address;
  const revert = useMutation({
    mutationFn: () => api.useStoreAddress(d.order.id),
    onError: (e: Error) => notifyError(t, e, t("address.saveFailed")),
    onSettled: () => client.invalidateQueries({ queryKey: ["orders"] }),
  });
  if (!used) return <Text size="sm" c="dimmed">{t("detail.noAddress")}</Text>;
  return (
    <Stack gap="xs" data-testid="address-section">
      {d.address_override ? (
        <>
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Badge size="sm" variant="light" color="blue" style={{ flexShrink: 0 }}>{t("address.corrected")}</Badge>
            <Text size="sm" data-testid="address-corrected">{addressLine(d.address_override)}</Text>
          </Group>
          {d.address && (
            <Group gap="xs" wrap="nowrap" align="flex-start">
              <Badge size="sm" variant="outline" color="gray" style={{ flexShrink: 0 }}>{t("address.inStore")}</Badge>
              <Text size="sm" c="dimmed" data-testid="address-store">{addressLine(d.address)}</Text>
            </Group>
          )}
        </>
      ) : (
        <Text size="sm" data-testid="address-store">{addressLine(used)}</Text>
      )}
      {(used.phone || d.email) && (
        <Text size="sm" c="dimmed" lineClamp={1}>{[used.phone, d.email].filter(Boolean).join(" · ")}</Text>
      )}
      {d.address_problems.length > 0 && (
        <Alert
          color={d.address_problems.some((p) => p.blocking) ? "red" : "yellow"}
          icon={<IconAlertTriangle />}
          title={t("address.checkTitle")}
          p="xs"
          data-testid="address-problems"
        >
          <List size="sm" spacing={2}>
            {d.address_problems.map((p, i) => (
              <List.Item key={i} data-field={p.field} data-rule={p.rule} data-blocking={p.blocking}>
                {addressProblemText(t, p)}
                {!p.blocking && <Text span size="xs" c="dimmed"> · {t("address.warningOnly")}</Text>}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {editing ? (
        <AddressForm orderId={d.order.id} initial={used} onDone={() => setEditing(false)} />
      ) : (
        editable && (
          <Group gap="xs">
            <Button size="xs" variant="light" leftSection={<IconPencil size={14} />} onClick={() => setEditing(true)} data-testid="address-edit">
              {t("address.edit")}
            </Button>
            {d.address_override && d.address && (
              <Button size="xs" variant="subtle" leftSection={<IconArrowBackUp size={14} />} onClick={() => revert.mutate()} loading={revert.isPending} data-testid="address-revert">
                {t("address.useStore")}
              </Button>
            )}
          </Group>
        )
      )}
    </Stack>
  );
}
