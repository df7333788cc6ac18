import { Badge, Group, Stack, Table, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../api";
import { ErrorAlert } from "../errors";
import { money } from "../format";

/** The order drawer's Profit section: revenue, supplier cost, fee and profit in the merchant's currency. */
export function ProfitSection({ orderId }: { orderId: number }) {
  const { t } = useTranslation();
  const profit = useQuery({ queryKey: ["orders", "profit", orderId], queryFn: () => api.orderProfit(orderId) });
  if (profit.isError) return <ErrorAlert error={profit.error} title={t("profit.loadFailed")} />;
  const p = profit.data;
  if (!p) return <Text size="sm" c="dimmed">{t("profit.loading")}</Text>;
  if (p.profit_minor == null) {
    return <Text size="sm" c="orange.8" data-testid="profit-unknown">{t("profit.missingRate", { currency: p.missing_rate ?? "?", to: p.currency })}</Text>;
  }
  const row = (label: string, value: number | null, sign = "") => (
    <Table.Tr>
      <Table.Td>{label}</Table.Td>
      <Table.Td ta="right">{value == null ? "—" : `${sign}${money(value, p.currency)}`}</Table.Td>
    </Table.Tr>
  );
  return (
    <Stack gap={4} data-testid="profit-section" data-profit={p.profit_minor} data-estimated={p.estimated}>
      <Table verticalSpacing={4} withRowBorders={false}>
        <Table.Tbody>
          {row(t("profit.revenue"), p.revenue_minor)}
          {row(t("profit.supplierCost"), p.supplier_cost_minor, "− ")}
          {row(t("profit.fee"), p.fee_minor, "− ")}
        </Table.Tbody>
      </Table>
      <Group justify="space-between">
        <Group gap={6}>
          <Text fw={600}>{t("profit.column")}</Text>
          {p.estimated && <Badge size="sm" variant="light" color="gray" title={t("profit.estimateHint")} data-testid="profit-estimate">{t("profit.estimate")}</Badge>}
        </Group>
        <Text fw={700} c={p.profit_minor < 0 ? "red.7" : "teal.8"}>
          {money(p.profit_minor, p.currency)}
          {p.margin_bps != null && <Text span size="sm" c="dimmed" fw={400}> · {(p.margin_bps / 100).toFixed(1)}%</Text>}
        </Text>
      </Group>
    </Stack>
  );
}
