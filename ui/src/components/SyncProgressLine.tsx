import { Button, Group, Progress, Stack, Text } from "@mantine/core";
import { IconPlayerStop } from "@tabler/icons-react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../api";
import { notifyError } from "../errors";
import { number } from "../format";
import type { SyncProgress } from "../bindings/SyncProgress";

/** The syncs running now, polled every half second while `enabled` (a run takes minutes). */
export function useSyncProgress(enabled: boolean) {
  return useQuery({ queryKey: ["syncProgress"], queryFn: api.syncProgress, enabled, refetchInterval: enabled ? 500 : false });
}

function minutesLeft(seconds: number): number {
  return Math.max(1, Math.round(seconds / 60));
}

/** One running sync: a bar (how far through the window), pages and orders so far, the time left, and Cancel. */
export function SyncProgressLine({ progress }: { progress: SyncProgress }) {
  const { t } = useTranslation();
  const cancel = useMutation({
    mutationFn: () => api.cancelSync(progress.store_id),
    onError: (e: Error) => notifyError(t, e, progress.store_name),
  });
  const permille = progress.done_permille;
  return (
    <Stack gap={4} data-testid="sync-progress" data-store={progress.store_id} data-orders={progress.orders}>
      <Progress value={permille == null ? 100 : permille / 10} animated striped={permille == null} size="sm" />
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text size="xs" c="dimmed" truncate>
          {t("sync.progress", { pages: number(progress.pages), orders: number(progress.orders), additions: number(progress.additions), updates: number(progress.updates) })}
          {progress.seconds_left != null && ` · ${t("sync.minutesLeft", { count: minutesLeft(progress.seconds_left) })}`}
        </Text>
        <Button
          size="compact-xs"
          variant="subtle"
          color="red"
          leftSection={<IconPlayerStop size={12} />}
          onClick={() => cancel.mutate()}
          loading={cancel.isPending}
          disabled={progress.cancelling}
          data-testid="sync-cancel"
        >
          {progress.cancelling ? t("sync.cancelling") : t("sync.cancel")}
        </Button>
      </Group>
    </Stack>
  );
}
