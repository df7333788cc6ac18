import { useEffect, useRef } from "react";
import { Badge, Center, Checkbox, Group, Loader, Stack, Table, Text, ThemeIcon, Tooltip } from "@mantine/core";
import { IconClockPause, IconHandStop, IconInbox } from "@tabler/icons-react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useTranslation } from "react-i18next";
import { api } from "../api";
import type { OrderQuery } from "../bindings/OrderQuery";
import { QueryState } from "./QueryState";
import { statusColor } from "../status";
import { dateTime, money } from "../format";

const ROW_HEIGHT = 45;
const PAGE = 100;

type Props = {
  query: OrderQuery;
  emptyHint: string;
  onOpen: (id: number) => void;
  selected: Set<number>;
  onSelect: (ids: number[], checked: boolean) => void;
};

/**
 * The orders table: pages of 100 fetched with the core's keyset cursor as the user scrolls, and
 * only the rows on screen rendered (TanStack Virtual), so 100,000 orders scroll like 100.
 * Rows can be ticked for the bulk actions; the header box ticks every loaded row.
 * Sets the performance mark `orders-first-rows` when the first rows are on screen (read by the
 * e2e bench through WebDriver).
 */
export function OrdersTable({ query, emptyHint, onOpen, selected, onSelect }: Props) {
  const { t } = useTranslation();
  const pages = useInfiniteQuery({
    queryKey: ["orders", "page", query],
    queryFn: ({ pageParam }) => api.queryOrders({ ...query, after: pageParam, limit: PAGE }),
    initialPageParam: undefined as OrderQuery["after"],
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const rows = pages.data?.pages.flatMap((p) => p.rows) ?? [];
  useEffect(() => {
    if (rows.length > 0 && performance.getEntriesByName("orders-first-rows").length === 0) performance.mark("orders-first-rows");
  }, [rows.length > 0]); // eslint-disable-line react-hooks/exhaustive-deps
  const allTicked = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const someTicked = rows.some((r) => selected.has(r.id));
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];
  useEffect(() => {
    if (last && last.index >= rows.length - 20 && pages.hasNextPage && !pages.isFetchingNextPage) void pages.fetchNextPage();
  }, [last?.index, rows.length, pages.hasNextPage, pages.isFetchingNextPage]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <QueryState query={pages}>
      {() =>
        rows.length === 0 ? (
          <Center py={64} data-testid="orders-empty">
            <Stack align="center" gap="xs">
              <ThemeIcon size={48} radius="xl" variant="light" color="gray">
                <IconInbox />
              </ThemeIcon>
              <Text fw={500}>{t("orders.emptyTitle")}</Text>
              <Text c="dimmed" size="sm">{emptyHint}</Text>
            </Stack>
          </Center>
        ) : (
          <div ref={scroller} style={{ height: "calc(100vh - 290px)", minHeight: 240, overflow: "auto" }} data-testid="orders-scroller">
            <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="md" stickyHeader data-testid="orders-table" style={{ tableLayout: "fixed" }}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={44}>
                    <Checkbox
                      aria-label={t("orders.selectAll")}
                      checked={allTicked}
                      indeterminate={someTicked && !allTicked}
                      onChange={(e) => onSelect(rows.map((r) => r.id), e.currentTarget.checked)}
                      data-testid="select-all"
                    />
                  </Table.Th>
                  <Table.Th w={110}>{t("orders.colOrder")}</Table.Th>
                  <Table.Th w={200}>{t("orders.colDate")}</Table.Th>
                  <Table.Th>{t("orders.colCustomer")}</Table.Th>
                  <Table.Th w={90}>{t("orders.colCountry")}</Table.Th>
                  <Table.Th w={80} ta="right">{t("orders.colItems")}</Table.Th>
                  <Table.Th w={120} ta="right">{t("orders.colTotal")}</Table.Th>
                  <Table.Th w={210}>{t("orders.colStatus")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.length > 0 && <tr style={{ height: items[0].start }} />}
                {items.map((item) => {
                  const o = rows[item.index];
                  return (
                    <Table.Tr
                      key={o.id}
                      onClick={() => onOpen(o.id)}
                      style={{ cursor: "pointer", height: ROW_HEIGHT }}
                      bg={selected.has(o.id) ? "var(--mantine-color-blue-0)" : undefined}
                      data-testid="order-row"
                      data-order-name={o.name}
                      data-status={o.status}
                      data-hold={o.hold_kind ?? ""}
                      data-queued={o.queued}
                    >
                      <Table.Td onClick={(e) => e.stopPropagation()}>
                        <Checkbox
                          aria-label={t("orders.selectOrder", { name: o.name })}
                          checked={selected.has(o.id)}
                          onChange={(e) => onSelect([o.id], e.currentTarget.checked)}
                          data-testid="select-order"
                        />
                      </Table.Td>
                      <Table.Td fw={600}>{o.name}</Table.Td>
                      <Table.Td c="dimmed">{dateTime(o.created_at)}</Table.Td>
                      <Table.Td style={{ overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}>{o.customer_name ?? "—"}</Table.Td>
                      <Table.Td>{o.country_code ?? "—"}</Table.Td>
                      <Table.Td ta="right">{o.item_count}</Table.Td>
                      <Table.Td ta="right">{money(o.total_minor, o.currency)}</Table.Td>
                      <Table.Td>
                        <Group gap={6} wrap="nowrap">
                          <Badge color={statusColor(o.status)} variant="light">{t(`status.${o.status}`)}</Badge>
                          {o.hold_reason && (
                            <Tooltip label={o.hold_reason} multiline w={280} withArrow>
                              <ThemeIcon size="sm" variant="light" color={o.hold_kind === "merchant" ? "grape" : "yellow"} data-testid="hold-icon">
                                <IconHandStop size={14} />
                              </ThemeIcon>
                            </Tooltip>
                          )}
                          {o.queued && (
                            <Tooltip label={t("orders.queuedHint")} withArrow>
                              <Badge size="sm" color="orange" variant="outline" leftSection={<IconClockPause size={12} />}>
                                {t("orders.queued")}
                              </Badge>
                            </Tooltip>
                          )}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
                {items.length > 0 && <tr style={{ height: virtualizer.getTotalSize() - items[items.length - 1].end }} />}
              </Table.Tbody>
            </Table>
            {pages.isFetchingNextPage && (
              <Center py="sm">
                <Loader size="sm" />
              </Center>
            )}
          </div>
        )
      }
    </QueryState>
  );
}
