import { useState } from "react";
import { ActionIcon, Alert, Badge, Button, Card, Group, Menu, Stack, Table, Text, Tooltip } from "@mantine/core";
import { modals } from "@mantine/modals";
import { notifications } from "@mantine/notifications";
import {
  IconAlertTriangle,
  IconDots,
  IconPencil,
  IconFileImport,
  IconPlayerPause,
  IconPlayerPlay,
  IconPlugConnected,
  IconPlus,
  IconRefresh,
  IconUnlink,
} from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { notifyError } from "../errors";
import { api } from "../api";
import type { StoreView } from "../bindings/StoreView";
import { ConnectStoreModal } from "../components/ConnectStoreModal";
import { EditStoreModal } from "../components/EditStoreModal";
import { ImportCsvModal } from "../components/ImportCsvModal";
import { ConnectSupplierModal, SupplierAccounts } from "../components/SupplierAccounts";
import { PageHeader } from "../components/PageHeader";
import { QueryState } from "../components/QueryState";
import { SyncProgressLine } from "../components/SyncProgressLine";
import type { SyncProgress } from "../bindings/SyncProgress";
import { dateTime, number } from "../format";

const SYNC_COLORS: Record<string, string> = { complete: "green", partial: "yellow", failed: "red" };
const PLATFORM_NAMES: Record<string, string> = { shopify: "Shopify", woocommerce: "WooCommerce", etsy: "Etsy", csv: "CSV" };

/** One connected store: its sync state and its actions (Test connection, Sync now, Edit, Pause, Disconnect). */
function StoreRow({ store, onEdit, running }: { store: StoreView; onEdit: () => void; running?: SyncProgress }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ["stores"] });
    void client.invalidateQueries({ queryKey: ["orders"] });
  };
  const [tested, setTested] = useState<{ ok: boolean; message: string } | null>(null);
  const test = useMutation({
    mutationFn: () => api.testStoreConnection(store.id),
    onSuccess: () => setTested({ ok: true, message: t("integrations.testOk") }),
    onError: (e: Error) => setTested({ ok: false, message: e.message }),
  });
  const syncNow = useMutation({
    mutationFn: () => api.syncStoreNow(store.id),
    onSuccess: (r) => notifications.show({ color: r.summary.error ? "orange" : "green", title: store.name, message: r.summary.line }),
    onError: (e: Error) => notifyError(t, e, store.name),
    onSettled: refresh,
  });
  const pause = useMutation({ mutationFn: (paused: boolean) => api.setStorePaused(store.id, paused), onSettled: refresh });
  const disconnect = useMutation({
    mutationFn: () => api.disconnectStore(store.id),
    onError: (e: Error) => notifyError(t, e, store.name),
    onSettled: refresh,
  });
  const askDisconnect = () =>
    modals.openConfirmModal({
      title: t("integrations.disconnectTitle", { name: store.name }),
      children: <Text size="sm">{t("integrations.disconnectBody")}</Text>,
      labels: { confirm: t("integrations.disconnect"), cancel: t("auto.cancel") },
      confirmProps: { color: "red", "data-testid": "disconnect-confirm" } as Record<string, string>,
      onConfirm: () => disconnect.mutate(),
    });
  const busy = test.isPending || syncNow.isPending;
  return (
    <Table.Tr data-testid="store-row" data-platform={store.platform} data-name={store.name} data-orders={store.order_count}>
      <Table.Td>
        <Group gap="xs">
          <Text size="sm" fw={500}>{store.name}</Text>
          {store.is_sandbox && <Badge size="sm" color="grape" variant="light">{t("integrations.sandbox")}</Badge>}
          {store.paused && !store.disconnected && store.platform !== "csv" && <Badge size="sm" color="gray" variant="light">{t("integrations.paused")}</Badge>}
          {store.disconnected && <Badge size="sm" color="red" variant="light">{t("integrations.disconnected")}</Badge>}
        </Group>
        {store.shop_name && (
          <Text size="xs" truncate maw={360} data-testid="store-shop" title={store.shop_name}>
            {t("integrations.shop", { name: store.shop_name, currency: store.shop_currency ?? "—" })}
          </Text>
        )}
        {store.platform !== "csv" && <Text size="xs" c="dimmed" truncate maw={360}>{store.base_url}</Text>}
        {tested && (
          <Text size="xs" c={tested.ok ? "green.7" : "red"} data-testid="store-test-result" data-ok={tested.ok}>
            {tested.message}
          </Text>
        )}
      </Table.Td>
      <Table.Td>{PLATFORM_NAMES[store.platform] ?? store.platform}</Table.Td>
      <Table.Td ta="right" data-testid="store-orders">{number(store.order_count)}</Table.Td>
      <Table.Td>
        {store.last_sync_at ? (
          <Group gap="xs">
            <Text size="sm">{dateTime(store.last_sync_at)}</Text>
            <Badge size="sm" variant="light" color={SYNC_COLORS[store.last_sync_status ?? ""] ?? "gray"} data-testid="store-sync-status" data-status={store.last_sync_status}>
              {store.last_sync_status}
            </Badge>
          </Group>
        ) : (
          <Text size="sm" c="dimmed">{t("integrations.neverSynced")}</Text>
        )}
        {store.platform === "csv" ? (
          <Text size="xs" c="dimmed">{t("csv.importedHint")}</Text>
        ) : !store.disconnected && (
          <Text size="xs" c="dimmed">
            {store.paused
              ? t("integrations.backgroundPaused")
              : store.is_sandbox && !store.last_sync_at
                ? t("integrations.firstSyncByHand")
                : t("integrations.every", { count: store.sync_interval_minutes })}
          </Text>
        )}
        {running && <SyncProgressLine progress={running} />}
        {store.last_sync_error && !running && <Text size="xs" c="red">{store.last_sync_error}</Text>}
        {store.warning && (
          <Group gap={4} mt={2}>
            <IconAlertTriangle size={14} color="var(--mantine-color-orange-7)" />
            <Text size="xs" c="orange.8" data-testid="store-warning">{store.warning}</Text>
          </Group>
        )}
      </Table.Td>
      <Table.Td w={60}>
        {store.platform !== "csv" && (
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <Tooltip label={t("integrations.actions")}>
              <ActionIcon variant="subtle" color="gray" loading={busy} aria-label={t("integrations.actions")} data-testid="store-menu">
                <IconDots size={18} />
              </ActionIcon>
            </Tooltip>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item leftSection={<IconPlugConnected size={16} />} onClick={() => test.mutate()} disabled={store.disconnected} data-testid="store-test">
              {t("integrations.test")}
            </Menu.Item>
            <Menu.Item leftSection={<IconRefresh size={16} />} onClick={() => syncNow.mutate()} disabled={store.disconnected} data-testid="store-sync-now">
              {t("integrations.syncNow")}
            </Menu.Item>
            {!store.disconnected && (
              <Menu.Item leftSection={<IconPencil size={16} />} onClick={onEdit} data-testid="store-edit">
                {t("integrations.edit")}
              </Menu.Item>
            )}
            {!store.disconnected &&
              (store.paused ? (
                <Menu.Item leftSection={<IconPlayerPlay size={16} />} onClick={() => pause.mutate(false)} data-testid="store-resume">
                  {t("integrations.resume")}
                </Menu.Item>
              ) : (
                <Menu.Item leftSection={<IconPlayerPause size={16} />} onClick={() => pause.mutate(true)} data-testid="store-pause">
                  {t("integrations.pause")}
                </Menu.Item>
              ))}
            {!store.is_sandbox && !store.disconnected && (
              <>
                <Menu.Divider />
                <Menu.Item color="red" leftSection={<IconUnlink size={16} />} onClick={askDisconnect} data-testid="store-disconnect">
                  {t("integrations.disconnect")}
                </Menu.Item>
              </>
            )}
          </Menu.Dropdown>
        </Menu>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** Store → Integrations: the connected stores (with their sync and actions) and suppliers. */
export function IntegrationsPage() {
  const { t } = useTranslation();
  const stores = useQuery({ queryKey: ["stores"], queryFn: api.listStores });
  const suppliers = useQuery({ queryKey: ["suppliers"], queryFn: api.listSuppliers });
  // Background runs start on their own: their progress is read every second while the page is open.
  const running = useQuery({ queryKey: ["syncProgress"], queryFn: api.syncProgress, refetchInterval: 1000 });
  const [connecting, setConnecting] = useState(false);
  const [connectingSupplier, setConnectingSupplier] = useState(false);
  const [importing, setImporting] = useState(false);
  const [editing, setEditing] = useState<StoreView | null>(null);
  return (
    <>
      <PageHeader
        title={t("integrations.title")}
        description={t("integrations.description")}
        right={
          <Group gap="sm">
            <Button variant="default" leftSection={<IconFileImport size={16} />} onClick={() => setImporting(true)} data-testid="import-csv">
              {t("csv.title")}
            </Button>
            <Button leftSection={<IconPlus size={16} />} onClick={() => setConnecting(true)} data-testid="connect-store">
              {t("integrations.connectStore")}
            </Button>
          </Group>
        }
      />
      <ConnectStoreModal opened={connecting} onClose={() => setConnecting(false)} />
      <ImportCsvModal opened={importing} onClose={() => setImporting(false)} />
      <EditStoreModal store={editing} onClose={() => setEditing(null)} />
      <ConnectSupplierModal opened={connectingSupplier} onClose={() => setConnectingSupplier(false)} />
      <Stack gap="lg">
        <Card withBorder padding={0}>
          <Text fw={600} p="md">{t("integrations.stores")}</Text>
          <QueryState query={stores}>
            {(rows) =>
              rows.length === 0 ? (
                <Alert m="md" color="gray" title={t("integrations.noStore")}>{t("integrations.noStoreHint")}</Alert>
              ) : (
                <Table verticalSpacing="sm" horizontalSpacing="md">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t("integrations.colStore")}</Table.Th>
                      <Table.Th>{t("integrations.colPlatform")}</Table.Th>
                      <Table.Th ta="right">{t("integrations.colOrders")}</Table.Th>
                      <Table.Th>{t("integrations.colLastSync")}</Table.Th>
                      <Table.Th />
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {rows.map((s) => (
                      <StoreRow key={s.id} store={s} onEdit={() => setEditing(s)} running={running.data?.find((p) => p.store_id === s.id)} />
                    ))}
                  </Table.Tbody>
                </Table>
              )
            }
          </QueryState>
        </Card>
        <Card withBorder padding={0}>
          <Group justify="space-between" p="md">
            <Text fw={600}>{t("integrations.suppliers")}</Text>
            <Button variant="light" size="xs" leftSection={<IconPlus size={14} />} onClick={() => setConnectingSupplier(true)} data-testid="connect-supplier">
              {t("suppliers.connectTitle")}
            </Button>
          </Group>
          <QueryState query={suppliers}>{(rows) => <SupplierAccounts rows={rows} />}</QueryState>
        </Card>
      </Stack>
    </>
  );
}
