import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  ScrollArea,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { DatePickerInput } from "@mantine/dates";
import { IconAlertTriangle, IconCalendar, IconExternalLink, IconFileTypeCsv, IconFileTypePdf, IconPlus, IconRefresh } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { notifications } from "@mantine/notifications";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { notifyError } from "../errors";
import { api } from "../api";
import { PageHeader } from "../components/PageHeader";
import { QueryState } from "../components/QueryState";
import { showExported } from "../components/showExported";
import { dateTime, money } from "../format";
import type { Reconciliation } from "../bindings/Reconciliation";
import type { SupplierView } from "../bindings/SupplierView";
import type { InvoiceFormat } from "../bindings/InvoiceFormat";

const USD = "USD";

/** A signed amount: green for money in, default for money out. */
function Amount({ minor }: { minor: number }) {
  return (
    <Text size="sm" ta="right" c={minor > 0 ? "teal.7" : undefined} ff="monospace">
      {minor > 0 ? "+" : ""}
      {money(minor, USD)}
    </Text>
  );
}

/** One supplier wallet: the supplier's balance, the ledger's, and what is done about a difference. */
function WalletCard({ supplier, reconciliation, sandbox }: { supplier: SupplierView; reconciliation?: Reconciliation; sandbox: boolean }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ["wallet"] });
    void client.invalidateQueries({ queryKey: ["auto"] });
  };
  const failed = (e: Error) => notifyError(t, e, t("wallet.notRefreshed"));
  const recharge = useMutation({
    mutationFn: () => api.rechargeWallet(supplier.id, 100_000),
    onSuccess: (page) => {
      if (page) {
        void api.openLink(page).catch(failed);
        notifications.show({ title: t("wallet.rechargeOpened"), message: t("wallet.rechargeOpenedHint", { supplier: supplier.name }) });
      } else {
        notifications.show({ color: "green", title: t("wallet.title"), message: t("wallet.recharged") });
      }
    },
    onError: failed,
    onSettled: refresh,
  });
  const difference = reconciliation?.difference_minor ?? null;
  const record = useMutation({
    mutationFn: () => api.recordWalletEntry(supplier.id, difference! > 0 ? "recharge" : "adjustment", difference!, t("wallet.recordedNote")),
    onSuccess: () => notifications.show({ color: "green", title: t("wallet.title"), message: t("wallet.recorded") }),
    onError: failed,
    onSettled: refresh,
  });
  return (
    <Card withBorder padding="lg" data-testid="wallet-card">
      <Stack gap={6}>
        <Group justify="space-between" align="flex-start">
          <Text fw={600}>{supplier.name}</Text>
          {difference === 0 && (
            <Badge color="teal" variant="light" data-testid="wallet-reconciled">
              {t("wallet.reconciled")}
            </Badge>
          )}
        </Group>
        {supplier.has_balance ? (
          <>
            <Text size="xl" fw={700} data-testid="wallet-balance">
              {supplier.balance_minor == null ? "—" : money(supplier.balance_minor, USD)}
            </Text>
            <Text size="sm" c="dimmed">
              {supplier.balance_checked_at ? t("wallet.checked", { when: dateTime(supplier.balance_checked_at) }) : t("wallet.notChecked")}
            </Text>
          </>
        ) : (
          <>
            <Text size="xl" fw={700} c="dimmed" data-testid="wallet-no-balance">{t("wallet.noBalanceTitle")}</Text>
            <Text size="sm" c="dimmed">{t("wallet.noBalance", { supplier: supplier.name })}</Text>
          </>
        )}
        {reconciliation && (
          <Text size="sm">
            {t("wallet.ledgerBalance", { amount: money(reconciliation.ledger_balance_minor, USD) })} ·{" "}
            {t("wallet.charged", { count: reconciliation.charges, amount: money(-reconciliation.charged_minor, USD) })}
          </Text>
        )}
        {difference != null && difference !== 0 && (
          <Alert color="orange" icon={<IconAlertTriangle />} p="xs" data-testid="wallet-difference" data-difference={difference}>
            <Text size="sm">{t("wallet.difference", { amount: money(difference, USD) })}</Text>
            <Button size="xs" variant="light" color="orange" mt={6} onClick={() => record.mutate()} loading={record.isPending} data-testid="wallet-record-difference">
              {difference > 0 ? t("wallet.recordRecharge") : t("wallet.recordAdjustment")}
            </Button>
          </Alert>
        )}
        <Group gap="xs" mt={4}>
          {!supplier.has_balance ? null : sandbox && supplier.is_sandbox ? (
            <Button variant="light" size="xs" leftSection={<IconPlus size={14} />} onClick={() => recharge.mutate()} loading={recharge.isPending} data-testid="wallet-recharge">
              {t("wallet.rechargeDemo")}
            </Button>
          ) : (
            <Button variant="light" size="xs" leftSection={<IconExternalLink size={14} />} onClick={() => recharge.mutate()} loading={recharge.isPending} data-testid="wallet-recharge-page">
              {t("wallet.rechargeAt", { supplier: supplier.name })}
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}

/** Forecast: what waiting orders will cost against each balance and the Auto Fulfillment threshold. */
function ForecastCard() {
  const { t } = useTranslation();
  const forecast = useQuery({ queryKey: ["wallet", "forecast"], queryFn: api.walletForecast });
  return (
    <Card withBorder padding="lg">
      <Title order={4} mb={4}>{t("wallet.forecast")}</Title>
      <Text size="sm" c="dimmed" mb="sm">{t("wallet.forecastHint")}</Text>
      <QueryState query={forecast}>
        {(rows) => (
          <Stack gap="sm">
            {rows.filter((f) => f.below_threshold).map((f) => (
              <Alert key={f.supplier_id} color="yellow" icon={<IconAlertTriangle />} data-testid="forecast-warning">
                {t("wallet.forecastWarning", { supplier: f.supplier_name, after: money(f.after_minor, USD), threshold: money(f.threshold_minor, USD) })}
              </Alert>
            ))}
            <Table withTableBorder={false} verticalSpacing={6} data-testid="forecast-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("wallet.supplier")}</Table.Th>
                  <Table.Th ta="right">{t("wallet.waitingOrders")}</Table.Th>
                  <Table.Th ta="right">{t("wallet.toOrder")}</Table.Th>
                  <Table.Th ta="right">{t("wallet.held")}</Table.Th>
                  <Table.Th ta="right">{t("wallet.queued")}</Table.Th>
                  <Table.Th ta="right">{t("wallet.after")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((f) => (
                  <Table.Tr key={f.supplier_id}>
                    <Table.Td>{f.supplier_name}</Table.Td>
                    <Table.Td ta="right">{f.orders}</Table.Td>
                    <Table.Td ta="right">{money(f.to_order_minor, USD)}</Table.Td>
                    <Table.Td ta="right">{money(f.held_minor, USD)}</Table.Td>
                    <Table.Td ta="right">{money(f.queued_minor, USD)}</Table.Td>
                    {f.has_balance ? (
                      <Table.Td ta="right" c={f.below_threshold ? "orange.8" : undefined} fw={600}>
                        {money(f.after_minor, USD)}
                      </Table.Td>
                    ) : (
                      <Table.Td ta="right" c="dimmed" data-testid="forecast-no-balance">
                        <Text size="xs" truncate title={t("wallet.noBalance", { supplier: f.supplier_name })}>
                          {t("wallet.noBalanceShort")}
                        </Text>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        )}
      </QueryState>
    </Card>
  );
}

/** The ledger, newest first, optionally for one supplier. */
function LedgerCard({ suppliers }: { suppliers: SupplierView[] }) {
  const { t } = useTranslation();
  const [supplier, setSupplier] = useState<string | null>(null);
  const ledger = useQuery({
    queryKey: ["wallet", "ledger", supplier],
    queryFn: () => api.walletLedger(supplier == null ? null : Number(supplier), 500),
  });
  const kindColor: Record<string, string> = { recharge: "teal", refund: "blue", charge: "gray", adjustment: "grape" };
  return (
    <Card withBorder padding="lg">
      <Group justify="space-between" mb="sm">
        <div>
          <Title order={4}>{t("wallet.ledger")}</Title>
          <Text size="sm" c="dimmed">{t("wallet.ledgerHint")}</Text>
        </div>
        <Select
          size="xs"
          w={220}
          placeholder={t("wallet.allSuppliers")}
          clearable
          value={supplier}
          onChange={setSupplier}
          data={suppliers.map((s) => ({ value: String(s.id), label: s.name }))}
          data-testid="ledger-supplier"
        />
      </Group>
      <QueryState query={ledger}>
        {(entries) =>
          entries.length === 0 ? (
            <Text c="dimmed" size="sm" py="md" ta="center" data-testid="ledger-empty">{t("wallet.ledgerEmpty")}</Text>
          ) : (
            <ScrollArea h={360} type="auto">
              <Table stickyHeader verticalSpacing={6} data-testid="ledger-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("wallet.when")}</Table.Th>
                    <Table.Th>{t("wallet.supplier")}</Table.Th>
                    <Table.Th>{t("wallet.kind")}</Table.Th>
                    <Table.Th>{t("wallet.what")}</Table.Th>
                    <Table.Th ta="right">{t("wallet.amount")}</Table.Th>
                    <Table.Th ta="right">{t("wallet.balanceAfter")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {entries.map((e) => (
                    <Table.Tr key={e.id} data-testid="ledger-row" data-kind={e.kind}>
                      <Table.Td><Text size="sm" c="dimmed">{dateTime(e.created_at)}</Text></Table.Td>
                      <Table.Td><Text size="sm">{e.supplier_name}</Text></Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={kindColor[e.kind] ?? "gray"}>{t(`wallet.kinds.${e.kind}`)}</Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" lineClamp={1}>
                          {e.order_name ? `${e.order_name} · ${e.supplier_order_number ?? ""}` : e.note ?? ""}
                        </Text>
                      </Table.Td>
                      <Table.Td><Amount minor={e.amount_minor} /></Table.Td>
                      <Table.Td><Text size="sm" ta="right" ff="monospace">{money(e.balance_after_minor, USD)}</Text></Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea>
          )
        }
      </QueryState>
    </Card>
  );
}

/** Export invoices for a period (the seed's "How to Export Invoices?"), as CSV or PDF. */
function InvoicesCard() {
  const { t } = useTranslation();
  const [period, setPeriod] = useState<[string | null, string | null]>([
    dayjs().startOf("month").format("YYYY-MM-DD"),
    dayjs().format("YYYY-MM-DD"),
  ]);
  const failed = (e: Error) => notifyError(t, e, t("wallet.exportFailed"));
  const exportInvoices = useMutation({
    mutationFn: (format: InvoiceFormat) => {
      const [from, to] = period;
      // The merchant's days, as UTC instants: from the first day's midnight to the day after the last.
      const start = dayjs(from!).startOf("day").toISOString();
      const end = dayjs(to ?? from!).add(1, "day").startOf("day").toISOString();
      return api.exportInvoices(start, end, format);
    },
    onSuccess: (file) => showExported(t("wallet.exported", { count: file.orders }), file, t("orders.showInFolder"), failed),
    onError: failed,
  });
  return (
    <Card withBorder padding="lg">
      <Title order={4} mb={4}>{t("wallet.invoices")}</Title>
      <Text size="sm" c="dimmed" mb="sm">{t("wallet.invoicesHint")}</Text>
      <Group align="flex-end">
        <DatePickerInput
          type="range"
          label={t("wallet.period")}
          w={280}
          leftSection={<IconCalendar size={14} />}
          value={period}
          onChange={(v) => setPeriod(v as [string | null, string | null])}
          valueFormat="MMM D, YYYY"
          allowSingleDateInRange
          data-testid="invoice-period"
        />
        <Button variant="default" leftSection={<IconFileTypeCsv size={16} />} disabled={!period[0]} onClick={() => exportInvoices.mutate("csv")} loading={exportInvoices.isPending && exportInvoices.variables === "csv"} data-testid="export-invoices-csv">
          {t("wallet.exportCsv")}
        </Button>
        <Button variant="default" leftSection={<IconFileTypePdf size={16} />} disabled={!period[0]} onClick={() => exportInvoices.mutate("pdf")} loading={exportInvoices.isPending && exportInvoices.variables === "pdf"} data-testid="export-invoices-pdf">
          {t("wallet.exportPdf")}
        </Button>
      </Group>
    </Card>
  );
}

/** Finance → My Wallet: balances reconciled with the ledger, recharge, forecast, ledger, invoices. */
export function WalletPage() {
  const { t } = useTranslation();
  const live = useQuery({ queryKey: ["wallet", "live"], queryFn: () => api.wallet(true), meta: { remote: true } });
  const cached = useQuery({ queryKey: ["wallet", "cached"], queryFn: () => api.wallet(false), enabled: live.isError });
  const shown = live.isError ? cached : live;
  const reconciliation = useQuery({ queryKey: ["wallet", "reconciliation", live.dataUpdatedAt], queryFn: api.walletReconciliation });
  const status = useQuery({ queryKey: ["status"], queryFn: api.appStatus });
  return (
    <>
      <PageHeader
        title={t("wallet.title")}
        description={t("wallet.description")}
        right={
          <Button variant="default" leftSection={<IconRefresh size={16} />} onClick={() => live.refetch()} loading={live.isFetching} data-testid="wallet-refresh">
            {t("common.refresh")}
          </Button>
        }
      />
      {live.isError && (
        <Alert color="yellow" icon={<IconAlertTriangle />} mb="md" title={t("wallet.notRefreshed")}>
          {t("wallet.showingLast", { error: live.error.message })}
        </Alert>
      )}
      <QueryState query={shown}>
        {(suppliers) =>
          suppliers.length === 0 ? (
            <Text c="dimmed">{t("wallet.noSupplier")}</Text>
          ) : (
            <Stack gap="md">
              <SimpleGrid cols={{ base: 1, md: 2 }}>
                {suppliers.map((s) => (
                  <WalletCard
                    key={s.id}
                    supplier={s}
                    reconciliation={reconciliation.data?.find((r) => r.supplier_id === s.id)}
                    sandbox={status.data?.sandbox ?? false}
                  />
                ))}
              </SimpleGrid>
              <ForecastCard />
              <LedgerCard suppliers={suppliers} />
              <InvoicesCard />
            </Stack>
          )
        }
      </QueryState>
    </>
  );
}
