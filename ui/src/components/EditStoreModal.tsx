import { useEffect, useState } from "react";
import { Alert, Button, Group, Modal, PasswordInput, Select, Stack, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../api";
import type { StoreView } from "../bindings/StoreView";

const INTERVALS = [5, 10, 15, 30, 60, 120, 360];

/**
 * Store → Integrations → Edit: the store's name, how often it syncs in the background, and new
 * credentials (WooCommerce keys or a Shopify token), checked with one read before they replace
 * the old ones. Etsy shops get new tokens by connecting again.
 */
export function EditStoreModal({ store, onClose }: { store: StoreView | null; onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [name, setName] = useState("");
  const [interval, setInterval] = useState("10");
  const [key, setKey] = useState("");
  const [secret, setSecret] = useState("");
  const [token, setToken] = useState("");
  useEffect(() => {
    if (!store) return;
    setName(store.name);
    setInterval(String(store.sync_interval_minutes));
    setKey("");
    setSecret("");
    setToken("");
  }, [store]);
  const save = useMutation({
    mutationFn: async () => {
      if (!store) return;
      if (name.trim() !== store.name) await api.renameStore(store.id, name);
      if (Number(interval) !== store.sync_interval_minutes) await api.setStoreSyncInterval(store.id, Number(interval));
      if (store.platform === "woocommerce" && (key.trim() || secret.trim())) {
        await api.updateStoreCredentials(store.id, { kind: "woo_commerce", consumer_key: key, consumer_secret: secret });
      }
      if (store.platform === "shopify" && token.trim()) {
        await api.updateStoreCredentials(store.id, { kind: "shopify_token", token });
      }
    },
    onSuccess: () => {
      notifications.show({ color: "green", title: name, message: t("integrations.saved") });
      onClose();
    },
    onSettled: () => client.invalidateQueries({ queryKey: ["stores"] }),
  });
  const intervalOptions = [...new Set([...INTERVALS, store?.sync_interval_minutes ?? 10])]
    .sort((a, b) => a - b)
    .map((m) => ({ value: String(m), label: t("integrations.every", { count: m }) }));
  return (
    <Modal opened={store != null} onClose={onClose} title={<Text fw={600}>{t("integrations.editTitle", { name: store?.name ?? "" })}</Text>}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack gap="sm">
          <TextInput label={t("integrations.storeName")} value={name} onChange={(e) => setName(e.currentTarget.value)} data-testid="edit-name" />
          {store?.platform !== "csv" && (
            <Select label={t("integrations.interval")} value={interval} onChange={(v) => setInterval(v ?? "10")} data={intervalOptions} allowDeselect={false} />
          )}
          {store?.platform === "woocommerce" && (
            <>
              <Text size="xs" c="dimmed">{t("integrations.newKeysHint")}</Text>
              <TextInput label={t("integrations.consumerKey")} placeholder="ck_…" value={key} onChange={(e) => setKey(e.currentTarget.value)} />
              <PasswordInput label={t("integrations.consumerSecret")} placeholder="cs_…" value={secret} onChange={(e) => setSecret(e.currentTarget.value)} />
            </>
          )}
          {store?.platform === "shopify" && !store.is_sandbox && (
            <>
              <Text size="xs" c="dimmed">{t("integrations.newKeysHint")}</Text>
              <PasswordInput label={t("integrations.accessToken")} placeholder="shpat_…" value={token} onChange={(e) => setToken(e.currentTarget.value)} />
            </>
          )}
          {store?.platform === "etsy" && <Text size="xs" c="dimmed">{t("integrations.etsyReconnectHint")}</Text>}
          {save.isError && (
            <Alert color="red" icon={<IconAlertTriangle />} title={t("integrations.notSaved")}>
              <Text size="sm">{save.error.message}</Text>
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t("auto.cancel")}</Button>
            <Button type="submit" loading={save.isPending} data-testid="edit-save">{t("auto.save")}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
