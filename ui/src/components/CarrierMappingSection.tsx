import { ActionIcon, Badge, Button, Group, Modal, ScrollArea, Stack, Table, Text, TextInput, Tooltip } from "@mantine/core";
import { IconPencil, IconPlus, IconTrash } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { notifyError } from "../errors";
import { api } from "../api";
import { QueryState } from "./QueryState";
import type { CarrierMapping } from "../bindings/CarrierMapping";

const EMPTY: CarrierMapping = { supplier_carrier: "", shopify_company: "", etsy_carrier: "other", woo_provider: "", url_template: "https://t.17track.net/en#nums={n}", custom: true };

/** The form for one row; the core checks it and names the field it refuses. */
function CarrierForm({ initial, onDone }: { initial: CarrierMapping; onDone: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [row, setRow] = useState<CarrierMapping>(initial);
  const field = (key: keyof CarrierMapping) => ({
    value: String(row[key]),
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setRow({ ...row, [key]: e.currentTarget.value }),
  });
  const save = useMutation({
    mutationFn: () => api.saveCarrierMapping({ ...row, custom: true }),
    onSuccess: (rows) => {
      client.setQueryData(["carriers"], rows);
      notifications.show({ color: "green", message: t("settings.carrierSaved") });
      onDone();
    },
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack gap="sm">
        <TextInput label={t("settings.carrierSupplier")} placeholder="cjpacket" required readOnly={!!initial.supplier_carrier} {...field("supplier_carrier")} data-testid="carrier-supplier" />
        <TextInput label={t("settings.carrierShopify")} placeholder="YunExpress" required {...field("shopify_company")} data-testid="carrier-shopify" />
        <Group grow align="flex-start">
          <TextInput label={t("settings.carrierEtsy")} placeholder="other" required {...field("etsy_carrier")} />
          <TextInput label={t("settings.carrierWoo")} description={t("settings.carrierWooHint")} {...field("woo_provider")} />
        </Group>
        <TextInput label={t("settings.carrierLink")} description={t("settings.carrierLinkHint")} required {...field("url_template")} data-testid="carrier-link" />
        {save.isError && <Text size="sm" c="red" data-testid="carrier-error">{save.error.message}</Text>}
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending} data-testid="carrier-save">{t("settings.carrierSave")}</Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Settings → Carriers: the mapping in force, editable. */
export function CarrierMappingSection() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const carriers = useQuery({ queryKey: ["carriers"], queryFn: api.carrierMappings });
  const [editing, setEditing] = useState<CarrierMapping | null>(null);
  const remove = useMutation({
    mutationFn: api.removeCarrierMapping,
    onSuccess: (rows) => client.setQueryData(["carriers"], rows),
    onError: (e: Error) => notifyError(t, e),
  });
  return (
    <>
      <QueryState query={carriers}>
        {(rows) => (
          <ScrollArea h={260} type="auto">
            <Table stickyHeader verticalSpacing={4} fz="sm" data-testid="carrier-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("settings.carrierSupplier")}</Table.Th>
                  <Table.Th>{t("settings.carrierShopify")}</Table.Th>
                  <Table.Th>{t("settings.carrierEtsy")}</Table.Th>
                  <Table.Th>{t("settings.carrierWoo")}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((row) => (
                  <Table.Tr key={row.supplier_carrier} data-testid="carrier-row" data-carrier={row.supplier_carrier}>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <Text size="sm" ff="monospace">{row.supplier_carrier}</Text>
                        {row.custom && <Badge size="xs" variant="light">{t("settings.carrierCustom")}</Badge>}
                      </Group>
                    </Table.Td>
                    <Table.Td>{row.shopify_company}</Table.Td>
                    <Table.Td>{row.etsy_carrier}</Table.Td>
                    <Table.Td c={row.woo_provider ? undefined : "dimmed"}>{row.woo_provider || "—"}</Table.Td>
                    <Table.Td>
                      <Group gap={2} justify="flex-end" wrap="nowrap">
                        <Tooltip label={t("settings.carrierEdit")}>
                          <ActionIcon variant="subtle" color="gray" onClick={() => setEditing(row)} aria-label={t("settings.carrierEdit")}>
                            <IconPencil size={14} />
                          </ActionIcon>
                        </Tooltip>
                        {row.custom && (
                          <Tooltip label={t("settings.carrierRemove")}>
                            <ActionIcon variant="subtle" color="red" onClick={() => remove.mutate(row.supplier_carrier)} aria-label={t("settings.carrierRemove")}>
                              <IconTrash size={14} />
                            </ActionIcon>
                          </Tooltip>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        )}
      </QueryState>
      <Button mt="xs" size="xs" variant="default" leftSection={<IconPlus size={14} />} onClick={() => setEditing(EMPTY)} data-testid="carrier-add">
        {t("settings.carrierAdd")}
      </Button>
      <Modal opened={editing != null} onClose={() => setEditing(null)} title={editing?.supplier_carrier ? editing.supplier_carrier : t("settings.carrierAdd")} size="lg">
        {editing && <CarrierForm key={editing.supplier_carrier} initial={editing} onDone={() => setEditing(null)} />}
      </Modal>
    </>
  );
}
