import { useState } from "react";
import { ActionIcon, Button, Group, NumberInput, Stack, Table, Text, TextInput } from "@mantine/core";
import { IconTrash } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../api";
import { ErrorAlert, notifyError } from "../errors";
import { dateTime } from "../format";

/** Settings → Profit: the merchant's currency, the payment fee, and exchange rates. */
export function ProfitSettingsSection() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const settings = useQuery({ queryKey: ["profit", "settings"], queryFn: api.profitSettings });
  const [rateCurrency, setRateCurrency] = useState("");
  const [rate, setRate] = useState("");
  const done = (saved: Awaited<ReturnType<typeof api.profitSettings>>) => {
    client.setQueryData(["profit", "settings"], saved);
    void client.invalidateQueries({ queryKey: ["orders"] });
    void client.invalidateQueries({ queryKey: ["dashboard"] });
  };
  const save = useMutation({
    mutationFn: (v: { currency: string; feeBps: number; feeFixedMinor: number }) => api.saveProfitSettings(v.currency, v.feeBps, v.feeFixedMinor),
    onSuccess: done,
    onError: (e: Error) => notifyError(t, e, t("settings.failed")),
  });
  const setRateM = useMutation({
    mutationFn: (v: { currency: string; rate: string | null }) => api.setExchangeRate(v.currency, v.rate),
    onSuccess: (saved) => {
      done(saved);
      setRateCurrency("");
      setRate("");
    },
    onError: (e: Error) => notifyError(t, e, t("settings.failed")),
  });
  if (settings.isError) return <ErrorAlert error={settings.error} title={t("settings.failed")} />;
  const s = settings.data;
  if (!s) return <Text size="sm" c="dimmed">{t("profit.loading")}</Text>;
  const submit = (currency: string, pct: number, fixed: number) =>
    save.mutate({ currency: currency.trim().toUpperCase(), feeBps: Math.round(pct * 100), feeFixedMinor: Math.round(fixed * 100) });
  return (
    <Stack gap="xs" data-testid="profit-settings">
      <Group align="flex-end" gap="sm" key={`${s.currency}-${s.fee_bps}-${s.fee_fixed_minor}`}>
        <TextInput
          label={t("profit.currency")}
          defaultValue={s.currency}
          maxLength={3}
          w={110}
          onBlur={(e) => e.currentTarget.value.trim().toUpperCase() !== s.currency && submit(e.currentTarget.value, s.fee_bps / 100, s.fee_fixed_minor / 100)}
          data-testid="profit-currency"
        />
        <NumberInput
          label={t("profit.feePercent")}
          defaultValue={s.fee_bps / 100}
          min={0}
          max={100}
          decimalScale={2}
          suffix=" %"
          w={140}
          onBlur={(e) => {
            const pct = Number.parseFloat(e.currentTarget.value);
            if (Number.isFinite(pct) && Math.round(pct * 100) !== s.fee_bps) submit(s.currency, pct, s.fee_fixed_minor / 100);
          }}
          data-testid="profit-fee-percent"
        />
        <NumberInput
          label={t("profit.feeFixed", { currency: s.currency })}
          defaultValue={s.fee_fixed_minor / 100}
          min={0}
          decimalScale={2}
          w={160}
          onBlur={(e) => {
            const fixed = Number.parseFloat(e.currentTarget.value);
            if (Number.isFinite(fixed) && Math.round(fixed * 100) !== s.fee_fixed_minor) submit(s.currency, s.fee_bps / 100, fixed);
          }}
          data-testid="profit-fee-fixed"
        />
      </Group>
      <Text size="xs" c="dimmed">{t("profit.settingsHint")}</Text>
      {s.rates.length > 0 && (
        <Table verticalSpacing={4} maw={520} data-testid="profit-rates">
          <Table.Tbody>
            {s.rates.map((r) => (
              <Table.Tr key={r.currency}>
                <Table.Td>{t("profit.rateLine", { currency: r.currency, rate: r.rate, to: s.currency })}</Table.Td>
                <Table.Td c="dimmed">{dateTime(r.recorded_at)}</Table.Td>
                <Table.Td w={40}>
                  <ActionIcon variant="subtle" color="red" aria-label={t("profit.removeRate")} onClick={() => setRateM.mutate({ currency: r.currency, rate: null })}>
                    <IconTrash size={14} />
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group align="flex-end" gap="sm">
        <TextInput label={t("profit.rateCurrency")} placeholder="EUR" maxLength={3} w={110} value={rateCurrency} onChange={(e) => setRateCurrency(e.currentTarget.value.toUpperCase())} data-testid="profit-rate-currency" />
        <TextInput label={t("profit.rate", { to: s.currency })} placeholder="1.08" w={160} value={rate} onChange={(e) => setRate(e.currentTarget.value)} data-testid="profit-rate" />
        <Button variant="default" disabled={rateCurrency.length !== 3 || !rate.trim()} loading={setRateM.isPending} onClick={() => setRateM.mutate({ currency: rateCurrency, rate: rate.trim() })} data-testid="profit-rate-save">
          {t("profit.saveRate")}
        </Button>
      </Group>
    </Stack>
  );
}
