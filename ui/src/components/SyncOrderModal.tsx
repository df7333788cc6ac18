import { useEffect, useState } from "react";
import { Alert, Button, List, Modal, NativeSelect, Radio, Group, Stack, Text } from "@mantine/core";
import { IconAlertTriangle, IconCircleCheck } from "@tabler/icons-react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../api";
import type { SyncSummary } from "../bindings/SyncSummary";
import { SyncProgressLine, useSyncProgress } from "./SyncProgressLine";

const WINDOWS = [7, 14, 30, 60];

/** The seed's "Sync Order" page: Your Store*, Sync Time*, "Start Syncing Your Stores". */
export function SyncOrderModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const stores = useQuery({ queryKey: ["stores"], queryFn: api.listStores, enabled: opened });
  const [storeId, setStoreId] = useState<string>("");
  const [days, setDays] = useState<string>("");
  const sync = useMutation<SyncSummary, Error, void>({ mutationFn: () => api.syncOrders(Number(storeId), Number(days)) });
  // CSV stores are imported, and disconnected ones have no credentials: neither can sync.
  const syncable = (stores.data ?? []).filter((s) => s.platform !== "csv" && !s.disconnected);

  useEffect(() => {
    if (opened) sync.reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened]);
  useEffect(() => {
    if (!storeId && syncable.length) setStoreId(String(syncable[0].id));
  }, [syncable, storeId]);

  const summary = sync.data;
  const progress = useSyncProgress(sync.isPending).data?.find((p) => p.store_id === Number(storeId));
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>{t("sync.title")}</Text>} size="lg" centered>
      <Stack gap="md">
        <NativeSelect
          label={t("sync.store")}
          withAsterisk
          value={storeId}
          onChange={(e) => setStoreId(e.currentTarget.value)}
          data={syncable.map((s) => ({ value: String(s.id), label: s.name }))}
          disabled={!syncable.length}
          description={stores.data && syncable.length === 0 ? t("sync.noStore") : undefined}
          data-testid="sync-store"
        />
        <Radio.Group label={t("sync.time")} withAsterisk value={days} onChange={setDays}>
          <Group mt="xs">
            {WINDOWS.map((d) => (
              <Radio key={d} value={String(d)} label={t("sync.days", { count: d })} data-testid={`sync-days-${d}`} />
            ))}
          </Group>
        </Radio.Group>
        {sync.isPending && progress && <SyncProgressLine progress={progress} />}
        {summary && (
          <Alert color={summary.error || summary.failures.length ? "yellow" : "green"} icon={summary.error ? <IconAlertTriangle /> : <IconCircleCheck />}>
            <Text size="sm" data-testid="sync-summary">{summary.line}</Text>
            {summary.cancelled && <Text size="sm" mt="xs" data-testid="sync-cancelled">{t("sync.cancelledKept")}</Text>}
            {summary.error && !summary.cancelled && <Text size="sm" mt="xs" c="red">{t("sync.stoppedEarly", { error: summary.error })}</Text>}
            {summary.failures.length > 0 && (
              <List size="sm" mt="xs" data-testid="sync-failures">
                {summary.failures.map((f, i) => (
                  <List.Item key={i}>
                    {f.reference}: {f.reason}
                  </List.Item>
                ))}
              </List>
            )}
          </Alert>
        )}
        {sync.isError && (
          <Alert color="red" icon={<IconAlertTriangle />} title={t("sync.failed")} data-testid="sync-error">
            {sync.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-testid="sync-close">{t("common.close")}</Button>
          <Button onClick={() => sync.mutate()} loading={sync.isPending} disabled={!storeId || !days} data-testid="sync-start">
            {t("sync.start")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
