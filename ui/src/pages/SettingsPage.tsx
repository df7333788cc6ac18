import { Alert, Button, Card, Divider, Group, NativeSelect, NumberInput, Stack, Switch, Text, Typography } from "@mantine/core";
import { IconDownload, IconFolderOpen, IconRefresh } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { notifyError } from "../errors";
import { api } from "../api";
import { PageHeader } from "../components/PageHeader";
import { LANGUAGES, setLanguage } from "../i18n";
import type { UpdateStatus } from "../bindings/UpdateStatus";
import type { NotificationSettings } from "../bindings/NotificationSettings";
import { CarrierMappingSection } from "../components/CarrierMappingSection";
import { ProfitSettingsSection } from "../components/ProfitSettingsSection";

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div>
      <Text fw={600} mb={4}>{title}</Text>
      {children}
    </div>
  );
}

function UpdateLine({ update }: { update: UpdateStatus }) {
  const { t } = useTranslation();
  switch (update.state) {
    case "checking":
      return <Text size="sm" c="dimmed">{t("settings.updateChecking")}</Text>;
    case "up_to_date":
      return <Text size="sm" c="dimmed">{t("settings.updateUpToDate")}</Text>;
    case "available":
      return <Text size="sm" fw={500} data-testid="update-available">{t("settings.updateAvailable", { version: update.available_version })}</Text>;
    case "unreachable":
      return <Text size="sm" c="dimmed" data-testid="update-unreachable">{t("settings.updateUnreachable", { error: update.error })}</Text>;
    default:
      return <Text size="sm" c="dimmed">{t("settings.updateUnchecked")}</Text>;
  }
}

/** Settings: language, start with the system, logs, updates, and where data lives. */
export function SettingsPage() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const status = useQuery({ queryKey: ["status"], queryFn: api.appStatus });
  const settings = useQuery({ queryKey: ["settings"], queryFn: api.desktopSettings, refetchInterval: (q) => (q.state.data?.update.state === "checking" ? 500 : false) });
  const fail = (e: Error) => notifyError(t, e, t("settings.failed"));
  const autostart = useMutation({ mutationFn: api.setAutostart, onSettled: () => client.invalidateQueries({ queryKey: ["settings"] }), onError: fail });
  const check = useMutation({ mutationFn: api.checkForUpdates, onSettled: () => client.invalidateQueries({ queryKey: ["settings"] }) });
  const install = useMutation({ mutationFn: api.installUpdate });
  const serving = useMutation({
    mutationFn: api.setSandboxServing,
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ["status"] });
      void client.invalidateQueries({ queryKey: ["network"] });
    },
    onError: fail,
  });
  const notify = useQuery({ queryKey: ["notifications"], queryFn: api.notificationSettings });
  const saveNotify = useMutation({
    mutationFn: api.saveNotificationSettings,
    onSuccess: (saved) => client.setQueryData(["notifications"], saved),
    onError: fail,
  });
  const toggle = (key: keyof NotificationSettings) => (e: React.ChangeEvent<HTMLInputElement>) => {
    if (notify.data) saveNotify.mutate({ ...notify.data, [key]: e.currentTarget.checked });
  };
  const attentionDays = useQuery({ queryKey: ["tracking", "attention-days"], queryFn: api.trackingAttentionDays });
  const saveDays = useMutation({
    mutationFn: api.setTrackingAttentionDays,
    onSuccess: (saved) => client.setQueryData(["tracking", "attention-days"], saved),
    onError: fail,
    onSettled: () => void client.invalidateQueries({ queryKey: ["dashboard"] }),
  });
  const update = check.data ?? settings.data?.update;
  return (
    <>
      <PageHeader title={t("settings.title")} />
      <Card withBorder padding="lg" maw={860}>
        <Stack gap="md">
          <Section title={t("settings.language")}>
            <NativeSelect
              value={i18n.language}
              onChange={(e) => setLanguage(e.currentTarget.value)}
              data={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
              description={t("settings.languageHint")}
              maw={420}
              data-testid="language-select"
            />
          </Section>
          <Divider />
          <Section title={t("settings.autostart")}>
            <Switch
              checked={settings.data?.autostart ?? false}
              onChange={(e) => autostart.mutate(e.currentTarget.checked)}
              disabled={!settings.data || autostart.isPending}
              label={t("settings.autostartHint")}
              data-testid="autostart-switch"
            />
          </Section>
          <Divider />
          <Section title={t("settings.notifications")}>
            <Text size="sm" c="dimmed" mb="xs">{t("settings.notificationsHint")}</Text>
            <Stack gap={8}>
              <Switch checked={notify.data?.shipment ?? true} onChange={toggle("shipment")} disabled={!notify.data} label={t("settings.notifyShipment")} data-testid="notify-shipment" />
              <Switch checked={notify.data?.auto_paused ?? true} onChange={toggle("auto_paused")} disabled={!notify.data} label={t("settings.notifyAutoPaused")} data-testid="notify-auto-paused" />
              <Switch checked={notify.data?.sync_failed ?? true} onChange={toggle("sync_failed")} disabled={!notify.data} label={t("settings.notifySyncFailed")} data-testid="notify-sync-failed" />
              <Switch checked={notify.data?.tracking_attention ?? true} onChange={toggle("tracking_attention")} disabled={!notify.data} label={t("settings.notifyTracking")} data-testid="notify-tracking" />
              <NumberInput
                key={attentionDays.data ?? "loading"}
                label={t("settings.attentionDays")}
                description={t("settings.attentionDaysHint")}
                min={1}
                max={29}
                allowDecimal={false}
                defaultValue={attentionDays.data ?? 7}
                disabled={!attentionDays.data}
                onBlur={(e) => {
                  const days = Number(e.currentTarget.value);
                  if (Number.isInteger(days) && days >= 1 && days <= 29 && days !== attentionDays.data) saveDays.mutate(days);
                }}
                style={{ maxWidth: 360 }}
                data-testid="tracking-attention-days"
              />
            </Stack>
          </Section>
          <Divider />
          <Section title={t("profit.settingsTitle")}>
            <ProfitSettingsSection />
          </Section>
          <Divider />
          <Section title={t("settings.carriers")}>
            <Text size="sm" c="dimmed" mb="xs">{t("settings.carriersHint")}</Text>
            <CarrierMappingSection />
          </Section>
          <Divider />
          <Section title={t("settings.updates")}>
            <Text size="sm">{t("settings.currentVersion", { version: update?.current_version ?? "" })}</Text>
            {update && <UpdateLine update={update} />}
            {update?.state === "available" && update.notes && (
              <Alert color="blue" mt="xs" title={t("settings.releaseNotes")} data-testid="update-notes">
                <Typography><Text size="sm" style={{ whiteSpace: "pre-wrap" }}>{update.notes}</Text></Typography>
              </Alert>
            )}
            {install.isError && (
              <Alert color="red" mt="xs" title={t("settings.installFailed")}>
                <Text size="sm" data-testid="update-error">{install.error.message}</Text>
              </Alert>
            )}
            <Group mt="xs">
              <Button variant="default" leftSection={<IconRefresh size={16} />} onClick={() => check.mutate()} loading={check.isPending} data-testid="check-updates">
                {t("settings.checkUpdates")}
              </Button>
              {update?.state === "available" && (
                <Button leftSection={<IconDownload size={16} />} onClick={() => install.mutate()} loading={install.isPending} data-testid="install-update">
                  {t("settings.install")}
                </Button>
              )}
            </Group>
          </Section>
          <Divider />
          <Section title={t("settings.logs")}>
            <Group>
              <Text size="sm" c="dimmed" ff="monospace">{settings.data?.log_dir ?? "—"}</Text>
              <Button variant="subtle" size="xs" leftSection={<IconFolderOpen size={14} />} onClick={() => api.openLogsFolder().catch(fail)}>
                {t("settings.openLogs")}
              </Button>
            </Group>
          </Section>
          <Divider />
          <Section title={t("settings.mode")}>
            <Text size="sm" c="dimmed">{status.data?.sandbox ? t("settings.modeSandbox") : t("settings.modeReal")}</Text>
            {status.data?.sandbox && (
              <Switch
                mt="xs"
                checked={status.data.sandbox_serving}
                onChange={(e) => serving.mutate(e.currentTarget.checked)}
                disabled={serving.isPending}
                label={t("settings.sandboxServing")}
                description={t("settings.sandboxServingHint")}
                data-testid="sandbox-serving-switch"
              />
            )}
          </Section>
          <Section title={t("settings.dataFolder")}>
            <Text size="sm" c="dimmed" ff="monospace">{status.data?.data_dir ?? "—"}</Text>
          </Section>
          <Section title={t("settings.credentials")}>
            <Text size="sm" c="dimmed">{t("settings.credentialsHint")}</Text>
          </Section>
        </Stack>
      </Card>
    </>
  );
}
