import { useEffect, useState } from "react";
import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Input,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  TagsInput,
  TextInput,
} from "@mantine/core";
import { modals } from "@mantine/modals";
import { TimeInput } from "@mantine/dates";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconCreditCard, IconPlayerPause, IconWallet } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { notifyError } from "../errors";
import { api, autoInput } from "../api";
import type { AutoSettings } from "../bindings/AutoSettings";
import { CreditCardTab } from "../components/CreditCardTab";
import { PageHeader } from "../components/PageHeader";
import { QueryState } from "../components/QueryState";
import { countryName, money } from "../format";

const DELAYS = [0, 60, 1440];

/** `HH:MM` → minutes after midnight. */
function minuteOfDay(time: string): number {
  const [h, m] = time.split(":").map(Number);
  return (h || 0) * 60 + (m || 0);
}

/** Step 2 of the seed: the payment method. My Wallet with its two boxes and Save, or a card. */
function PaymentCard({ settings }: { settings: AutoSettings }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  // Fresh balances when the page opens; the last known ones when the suppliers cannot be reached.
  const wallet = useQuery({ queryKey: ["wallet", "auto"], queryFn: () => api.wallet(true).catch(() => api.wallet(false)), meta: { remote: true } });
  const [onlyIfEnough, setOnlyIfEnough] = useState(settings.wallet_terms_accepted);
  const [terms, setTerms] = useState(settings.wallet_terms_accepted);
  const [threshold, setThreshold] = useState<number>(settings.threshold_minor / 100);
  const [delay, setDelay] = useState(settings.daily_at_minute != null ? "daily" : String(settings.approval_delay_minutes));
  const [dailyAt, setDailyAt] = useState(
    settings.daily_at_minute != null ? `${String(Math.floor(settings.daily_at_minute / 60)).padStart(2, "0")}:${String(settings.daily_at_minute % 60).padStart(2, "0")}` : "09:00",
  );
  const [maxCost, setMaxCost] = useState<number | "">(settings.max_order_cost_minor == null ? "" : settings.max_order_cost_minor / 100);
  const [holdMedium, setHoldMedium] = useState(settings.hold_medium_risk);
  const [defaultPhone, setDefaultPhone] = useState(settings.default_phone ?? "");
  const [costChange, setCostChange] = useState<number | string>(settings.cost_change_limit_pct);
  useEffect(() => {
    setOnlyIfEnough(settings.wallet_terms_accepted);
    setTerms(settings.wallet_terms_accepted);
  }, [settings.wallet_terms_accepted]);
  const save = useMutation({
    mutationFn: () =>
      api.saveAutoSettings(
        autoInput(settings, {
          payment_method: "wallet",
          wallet_terms_accepted: onlyIfEnough && terms,
          threshold_minor: Math.round(threshold * 100),
          approval_delay_minutes: delay === "daily" ? 0 : Number(delay),
          daily_at_minute: delay === "daily" ? minuteOfDay(dailyAt) : null,
          utc_offset_minutes: -new Date().getTimezoneOffset(),
          max_order_cost_minor: maxCost === "" ? null : Math.round(maxCost * 100),
          hold_medium_risk: holdMedium,
          default_phone: defaultPhone.trim() === "" ? null : defaultPhone.trim(),
          cost_change_limit_pct: Math.min(1000, Math.max(0, Math.round(Number(costChange) || 0))),
        }),
      ),
    onSuccess: () => notifications.show({ color: "green", title: t("auto.title"), message: t("auto.saved") }),
    onError: (e: Error) => notifyError(t, e, t("auto.saveFailed")),
    onSettled: () => client.invalidateQueries({ queryKey: ["auto"] }),
  });
  return (
    <Card withBorder padding="lg">
      <Text fw={600} mb="sm">{t("auto.paymentMethod")}</Text>
      <Tabs defaultValue={settings.payment_method}>
        <Tabs.List mb="md">
          <Tabs.Tab value="wallet" leftSection={<IconWallet size={16} />} rightSection={settings.payment_method === "wallet" ? <Badge size="xs" variant="light" color="green">{t("card.inUse")}</Badge> : null}>
            {t("auto.myWallet")}
          </Tabs.Tab>
          <Tabs.Tab value="card" leftSection={<IconCreditCard size={16} />} rightSection={settings.payment_method === "card" ? <Badge size="xs" variant="light" color="green">{t("card.inUse")}</Badge> : null} data-testid="tab-card">
            {t("auto.creditCard")}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="wallet">
          <Stack gap="sm">
            <Text size="sm" c="dimmed">{t("auto.walletHint", { amount: money(settings.threshold_minor, "USD") })}</Text>
            {wallet.data?.map((s) => (
              <Group key={s.id} justify="space-between" data-testid="auto-wallet-row">
                <Text size="sm">{s.name}</Text>
                <Text size="sm" fw={600} c={(s.balance_minor ?? 0) >= settings.threshold_minor ? "green.7" : "orange.7"}>
                  {s.balance_minor == null ? t("auto.notChecked") : money(s.balance_minor, "USD")}
                </Text>
              </Group>
            ))}
            <Group grow align="flex-end">
              <NumberInput label={t("auto.thresholdLabel")} prefix="$" min={0} thousandSeparator="," value={threshold} onChange={(v) => setThreshold(Number(v) || 0)} data-testid="auto-threshold" />
              <Input.Wrapper label={t("auto.delayLabel")}>
                <SegmentedControl
                  fullWidth
                  value={delay}
                  onChange={setDelay}
                  data={[...DELAYS.map((d) => ({ value: String(d), label: t(`auto.delay${d}`) })), { value: "daily", label: t("auto.delayDaily") }]}
                />
              </Input.Wrapper>
            </Group>
            {delay === "daily" && (
              <TimeInput label={t("auto.dailyAt")} description={t("auto.dailyAtHint")} value={dailyAt} onChange={(e) => setDailyAt(e.currentTarget.value)} maw={200} data-testid="auto-daily-at" />
            )}
            <NumberInput
              label={t("auto.maxCostLabel")}
              description={t("auto.maxCostHint")}
              prefix="$"
              min={1}
              thousandSeparator=","
              placeholder={t("auto.noLimit")}
              value={maxCost}
              onChange={(v) => setMaxCost(v === "" ? "" : Number(v))}
              maw={320}
              data-testid="auto-max-cost"
            />
            <Checkbox
              label={t("auto.holdMediumRisk")}
              description={t("auto.holdMediumRiskHint")}
              checked={holdMedium}
              onChange={(e) => setHoldMedium(e.currentTarget.checked)}
              data-testid="auto-hold-medium-risk"
            />
            <TextInput
              label={t("auto.defaultPhone")}
              description={t("auto.defaultPhoneHint")}
              placeholder="+1 555 0100"
              value={defaultPhone}
              maxLength={30}
              onChange={(e) => setDefaultPhone(e.currentTarget.value)}
              style={{ maxWidth: 360 }}
              data-testid="auto-default-phone"
            />
            <NumberInput
              label={t("auto.costChangeLimit")}
              description={t("auto.costChangeLimitHint")}
              min={0}
              max={1000}
              allowDecimal={false}
              suffix="%"
              value={costChange}
              onChange={setCostChange}
              style={{ maxWidth: 360 }}
              data-testid="auto-cost-change-limit"
            />
            <Checkbox label={t("auto.onlyIfEnough")} checked={onlyIfEnough} onChange={(e) => setOnlyIfEnough(e.currentTarget.checked)} data-testid="auto-only-if-enough" />
            <Checkbox label={t("auto.agreeTerms")} checked={terms} onChange={(e) => setTerms(e.currentTarget.checked)} data-testid="auto-terms" />
            <Group>
              <Button onClick={() => save.mutate()} loading={save.isPending} disabled={!onlyIfEnough || !terms} data-testid="auto-save">
                {t("auto.save")}
              </Button>
            </Group>
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="card">
          <CreditCardTab settings={settings} />
        </Tabs.Panel>
      </Tabs>
    </Card>
  );
}

/** Step 3: the default shipping method per destination country, with fallbacks. */
function ShippingCard({ settings }: { settings: AutoSettings }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const rules = useQuery({ queryKey: ["auto", "rules"], queryFn: api.shippingRules });
  const countries = useQuery({ queryKey: ["orders", "countries"], queryFn: api.orderCountries });
  const [country, setCountry] = useState<string | null>(null);
  const [lines, setLines] = useState<string[]>([]);
  const [withinDays, setWithinDays] = useState<number | "">(settings.most_suitable_within_days ?? "");
  const options = useQuery({ queryKey: ["auto", "options", country], queryFn: () => api.shippingOptions(country!), enabled: country != null, meta: { remote: true } });
  useEffect(() => setLines(rules.data?.find((r) => r.country_code === country)?.lines ?? []), [country, rules.data]);
  const confirm = useMutation({
    mutationFn: async () => {
      if (country) await api.setShippingRule({ country_code: country, lines });
      await api.saveAutoSettings(autoInput(settings, { most_suitable_within_days: withinDays === "" ? null : withinDays }));
    },
    onSuccess: () => notifications.show({ color: "green", title: t("auto.shippingTitle"), message: t("auto.saved") }),
    onError: (e: Error) => notifyError(t, e, t("auto.saveFailed")),
    onSettled: () => client.invalidateQueries({ queryKey: ["auto"] }),
  });
  return (
    <Card withBorder padding="lg">
      <Text fw={600}>{t("auto.shippingTitle")}</Text>
      <Text size="sm" c="dimmed" mb="sm">{t("auto.shippingHint")}</Text>
      {(rules.data?.length ?? 0) > 0 && (
        <Table mb="md" verticalSpacing={6} data-testid="shipping-rules">
          <Table.Tbody>
            {rules.data!.map((r) => (
              <Table.Tr key={r.country_code} style={{ cursor: "pointer" }} onClick={() => setCountry(r.country_code)}>
                <Table.Td w={200}>{countryName(r.country_code)}</Table.Td>
                <Table.Td>{r.lines.join(" → ")}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group grow align="flex-start">
        <Select
          label={t("auto.country")}
          searchable
          value={country}
          onChange={setCountry}
          data={(countries.data ?? []).map((c) => ({ value: c, label: `${countryName(c)} (${c})` }))}
          data-testid="shipping-country"
        />
        <TagsInput
          label={t("auto.lines")}
          description={options.isFetching ? t("auto.loadingLines") : options.isError ? options.error.message : t("auto.linesHint")}
          value={lines}
          onChange={setLines}
          data={[...new Set((options.data ?? []).map((o) => o.name))]}
          disabled={!country}
          data-testid="shipping-lines"
        />
      </Group>
      <Group mt="md" align="flex-end">
        <Checkbox
          label={t("auto.mostSuitable")}
          checked={withinDays !== ""}
          onChange={(e) => setWithinDays(e.currentTarget.checked ? 15 : "")}
          data-testid="auto-most-suitable"
        />
        {withinDays !== "" && <NumberInput w={160} min={1} max={90} suffix={` ${t("auto.days")}`} value={withinDays} onChange={(v) => setWithinDays(Number(v) || 1)} />}
      </Group>
      <Group mt="md">
        <Button onClick={() => confirm.mutate()} loading={confirm.isPending} data-testid="shipping-confirm">
          {t("auto.confirm")}
        </Button>
      </Group>
    </Card>
  );
}

/**
 * Order → Auto Fulfillment, following the seed: payment method (My Wallet: two boxes, Save),
 * default shipping method, then the switch with "Are you sure you want to turn on the Auto
 * Fulfillment function?".
 */
export function AutoFulfillmentPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const settings = useQuery({ queryKey: ["auto", "settings"], queryFn: api.autoSettings });
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ["auto"] });
    void client.invalidateQueries({ queryKey: ["wallet"] });
  };
  const enable = useMutation({
    mutationFn: api.enableAuto,
    onSuccess: () => notifications.show({ color: "green", title: t("auto.title"), message: t("auto.enabled") }),
    onSettled: refresh,
  });
  const disable = useMutation({ mutationFn: api.disableAuto, onSettled: refresh });
  // The switch first checks the wallet: a refusal says what to do, and only then the seed's pop-up.
  const ready = useMutation({ mutationFn: api.checkAutoReady, onSuccess: () => ask(), onSettled: refresh });
  const ask = () =>
    modals.openConfirmModal({
      title: t("auto.title"),
      children: <Text size="sm" data-testid="auto-confirm-text">{t("auto.areYouSure")}</Text>,
      labels: { confirm: t("auto.confirm"), cancel: t("auto.cancel") },
      confirmProps: { "data-testid": "auto-confirm" } as Record<string, string>,
      onConfirm: () => enable.mutate(),
    });
  return (
    <>
      <PageHeader title={t("auto.title")} description={t("auto.description")} />
      <QueryState query={settings}>
        {(s) => (
          <Stack gap="md" maw={820}>
            <Card withBorder padding="lg">
              <Group justify="space-between" wrap="nowrap">
                <Stack gap={2}>
                  <Group gap="xs">
                    <Text fw={600}>{t("auto.switchTitle")}</Text>
                    <Badge color={s.enabled ? (s.paused_reason ? "orange" : "green") : "gray"} variant="light" data-testid="auto-state" data-state={s.enabled ? (s.paused_reason ? "paused" : "on") : "off"}>
                      {s.enabled ? (s.paused_reason ? t("auto.paused") : t("auto.on")) : t("auto.offBadge")}
                    </Badge>
                  </Group>
                  <Text size="sm" c="dimmed">{s.enabled ? t("auto.onHint") : t("auto.off")}</Text>
                </Stack>
                <Switch
                  size="lg"
                  checked={s.enabled}
                  onChange={(e) => (e.currentTarget.checked ? ready.mutate() : disable.mutate())}
                  disabled={ready.isPending || enable.isPending || disable.isPending}
                  aria-label={t("auto.switchTitle")}
                  data-testid="auto-switch"
                />
              </Group>
              {s.paused_reason && (
                <Alert mt="md" color="orange" icon={<IconPlayerPause />} title={t("auto.paused")} data-testid="auto-paused">
                  {s.paused_reason}
                </Alert>
              )}
              {(ready.isError || enable.isError) && (
                <Alert mt="md" color="red" icon={<IconAlertTriangle />} title={t("auto.notEnabled")} data-testid="auto-enable-error">
                  <Text size="sm" data-testid="auto-enable-error-text">{(ready.error ?? enable.error)?.message}</Text>
                </Alert>
              )}
            </Card>
            <PaymentCard settings={s} />
            <ShippingCard settings={s} />
          </Stack>
        )}
      </QueryState>
    </>
  );
}
