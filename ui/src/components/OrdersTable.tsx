import { memo, useEffect, useMemo, useRef, useState } from "react";
import { Badge, Center, Loader, Stack, Table, Text, ThemeIcon } from "@mantine/core";
import { IconClockPause, IconHandStop, IconInbox } from "@tabler/icons-react";
import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useTranslation } from "react-i18next";
import { api } from "../api";
import type { OrderQuery } from "../bindings/OrderQuery";
import type { OrderRow } from "../bindings/OrderRow";
import type { OrderCursor } from "../bindings/OrderCursor";
import classes from "./OrdersTable.module.css";
import { QueryState } from "./QueryState";
import { statusColor } from "../status";
import { dateTime, money } from "../format";
import { holdText } from "../holds";

const ROW_HEIGHT = 45;
const PAGE = 100;
/** More than the rows on screen plus overscan: see the row keys below. */
const ROW_SLOTS = 128;

/**
 * One row, memoised: while scrolling, rows that stay on screen are not rendered again. Kept lean
 * (a native checkbox, a `title` for the hold reason) because fast scrolling mounts a screenful of
 * new rows every frame.
 */
const OrderTableRow = memo(function OrderTableRow({
  order: o,
  ticked,
  profitCurrency,
  onOpen,
  onSelect,
}: {
  order: OrderRow;
  ticked: boolean;
  profitCurrency: string;
  onOpen: (id: number) => void;
  onSelect: (ids: number[], checked: boolean) => void;
}) {
  const { t } = useTranslation();
  return (
    <Table.Tr
      onClick={() => onOpen(o.id)}
      className={classes.row}
      bg={ticked ? "var(--mantine-color-blue-0)" : undefined}
      data-testid="order-row"
      data-order-name={o.name}
      data-status={o.status}
      data-hold={o.hold_kind ?? ""}
      data-queued={o.queued}
    >
      <Table.Td onClick={(e) => e.stopPropagation()}>
        <input
          type="checkbox"
          className={classes.tick}
          aria-label={t("orders.selectOrder", { name: o.name })}
          checked={ticked}
          onChange={(e) => onSelect([o.id], e.currentTarget.checked)}
          data-testid="select-order"
        />
      </Table.Td>
      <Table.Td fw={600}>
        <div className={classes.ellipsis} title={o.name}>{o.name}</div>
      </Table.Td>
      <Table.Td c="dimmed" style={{ whiteSpace: "nowrap" }}>{dateTime(o.created_at)}</Table.Td>
      <Table.Td>
        <div className={classes.ellipsis} title={o.customer_name ?? undefined} data-testid="order-customer">{o.customer_name ?? "—"}</div>
      </Table.Td>
      <Table.Td>{o.country_code ?? "—"}</Table.Td>
      <Table.Td ta="right">{o.item_count}</Table.Td>
      <Table.Td ta="right">{money(o.total_minor, o.currency)}</Table.Td>
      <Table.Td ta="right" c={o.profit_minor == null ? "dimmed" : o.profit_minor < 0 ? "red.7" : undefined} fs={o.profit_estimated ? "italic" : undefined} title={o.profit_estimated ? t("profit.estimateHint") : undefined} data-testid="order-profit">
        {o.profit_minor == null ? "—" : `${o.profit_estimated ? "≈ " : ""}${money(o.profit_minor, profitCurrency)}`}
      </Table.Td>
      <Table.Td>
        <div className={classes.status}>
          <Badge color={statusColor(o.status)} variant="light">{t(`status.${o.status}`)}</Badge>
          {o.hold_reason && (
            <span className={classes.hold} data-kind={o.hold_kind} title={holdText(t, o.hold_kind, o.hold_params, o.hold_reason) ?? undefined} data-testid="hold-icon">
              <IconHandStop size={14} />
            </span>
          )}
          {o.queued && (
            <Badge size="sm" color="orange" variant="outline" leftSection={<IconClockPause size={12} />} title={t("orders.queuedHint")}>
              {t("orders.queued")}
            </Badge>
          )}
        </div>
      </Table.Td>
    </Table.Tr>
  );
});

/** Where a page starts: after (older than) or before (newer than) a row; the first page has none. */
type PageParam = { after?: OrderCursor; before?: OrderCursor } | undefined;
const MAX_PAGES = 8;

/**
 * The position in the whole list of the window's first row. When the window slides (a page
 * dropped at one end, one added at the other), a row present before and after anchors it; a new
 * query starts at 0.
 */
function useWindowOffset(rows: OrderRow[], query: OrderQuery): number {
  const previous = useRef<{ rows: OrderRow[]; offset: number; query: OrderQuery }>({ rows: [], offset: 0, query });
  return useMemo(() => {
    const before = previous.current;
    let offset = 0;
    if (before.query === query && rows.length > 0 && before.rows.length > 0) {
      const moved = rows.findIndex((r) => r.id === before.rows[0].id);
      if (moved >= 0) {
        offset = Math.max(0, before.offset - moved);
      } else {
        const dropped = before.rows.findIndex((r) => r.id === rows[0].id);
        offset = dropped >= 0 ? before.offset + dropped : 0;
      }
    }
    previous.current = { rows, offset, query };
    return offset;
  }, [rows, query]);
}

/**
 * The virtual list's length: exact once the last page is in; before that, what is loaded rounded
 * up to a power of two (the rest shows as loading rows). Every change of length makes the
 * virtualizer rebuild its position arrays, O(length): growing by doubling does that 17 times on
 * the way to 100,000 rows instead of 1,000 times.
 */
function useListLength(loaded: number, more: boolean): number {
  const grown = useRef(0);
  if (!more) {
    grown.current = 0;
    return loaded;
  }
  let length = Math.max(grown.current, 1024);
  while (length < loaded + PAGE) length *= 2;
  grown.current = length;
  return length;
}

type Props = {
  query: OrderQuery;
  emptyHint: string;
  onOpen: (id: number) => void;
  selected: Set<number>;
  onSelect: (ids: number[], checked: boolean) => void;
};

/**
 * The orders table: pages of 100 fetched with the core's keyset cursors as the user scrolls, at
 * most MAX_PAGES of them kept (older ones are fetched again when scrolled back to), and only the
 * rows on screen rendered (TanStack Virtual), so 100,000 orders scroll like 100.
 * Rows can be ticked for the bulk actions; the header box ticks every loaded row.
 * Sets the performance mark `orders-first-rows` when the first rows are on screen (read by the
 * e2e bench through WebDriver).
 */
export function OrdersTable({ query, emptyHint, onOpen, selected, onSelect }: Props) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const queryKey = useMemo(() => ["orders", "page", query] as const, [query]);
  const profitCurrency = useQuery({ queryKey: ["profit", "settings"], queryFn: api.profitSettings, staleTime: 60_000 }).data?.currency ?? "USD";
  const pages = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => api.queryOrders({ ...query, ...pageParam, limit: PAGE }),
    initialPageParam: undefined as PageParam,
    getNextPageParam: (last): PageParam => (last.next ? { after: last.next } : undefined),
    getPreviousPageParam: (first): PageParam => (first.prev ? { before: first.prev } : undefined),
    // A sliding window: memory and refetches stay the same at row 100 and at row 100,000.
    maxPages: MAX_PAGES,
  });
  // Rebuilt only when a page arrives, not on every scroll frame.
  const rows = useMemo(() => pages.data?.pages.flatMap((p) => p.rows) ?? [], [pages.data]);
  const offset = useWindowOffset(rows, query);
  useEffect(() => {
    if (rows.length > 0 && performance.getEntriesByName("orders-first-rows").length === 0) performance.mark("orders-first-rows");
  }, [rows.length > 0]); // eslint-disable-line react-hooks/exhaustive-deps
  const [allTicked, someTicked] = useMemo(
    () => [rows.length > 0 && selected.size >= rows.length && rows.every((r) => selected.has(r.id)), selected.size > 0 && rows.some((r) => selected.has(r.id))],
    [rows, selected],
  );
  const scroller = useRef<HTMLDivElement>(null);
  const count = useListLength(offset + rows.length, pages.hasNextPage);
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const first = items[0];
  const last = items[items.length - 1];
  const wantNext = last !== undefined && last.index >= offset + rows.length - 20 && pages.hasNextPage;
  const wantPrevious = first !== undefined && first.index < offset + 20 && pages.hasPreviousPage;
  const [, setRecheck] = useState(0);
  // After every render: fetch the page the screen reaches into. A fetch asked for while another
  // one settles can be dropped by the query, so while the screen still waits, look again shortly.
  useEffect(() => {
    if (!wantNext && !wantPrevious) return;
    if (wantNext && !pages.isFetchingNextPage) {
      void pages.fetchNextPage();
    } else if (wantPrevious && !wantNext && !pages.isFetchingPreviousPage) {
      // Far above the window and near the top (the scrollbar dragged up): start again from the
      // first page rather than walking back page by page.
      if (last.index < offset - PAGE && first.index < PAGE) void client.resetQueries({ queryKey, exact: true });
      else void pages.fetchPreviousPage();
    }
    const retry = setTimeout(() => setRecheck((n) => n + 1), 300);
    return () => clearTimeout(retry);
  });

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
          <div ref={scroller} style={{ height: "calc(100vh - 290px)", minHeight: 240, overflow: "auto" }} data-testid="orders-scroller" data-count={count} data-complete={!pages.hasNextPage}>
            <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="md" stickyHeader data-testid="orders-table" style={{ tableLayout: "fixed" }}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={44}>
                    <input
                      type="checkbox"
                      className={classes.tick}
                      aria-label={t("orders.selectAll")}
                      checked={allTicked}
                      ref={(el) => {
                        if (el) el.indeterminate = someTicked && !allTicked;
                      }}
                      onChange={(e) => onSelect(rows.map((r) => r.id), e.currentTarget.checked)}
                      data-testid="select-all"
                    />
                  </Table.Th>
                  <Table.Th w={96}>{t("orders.colOrder")}</Table.Th>
                  <Table.Th w={192}>{t("orders.colDate")}</Table.Th>
                  <Table.Th>{t("orders.colCustomer")}</Table.Th>
                  <Table.Th w={84}>{t("orders.colCountry")}</Table.Th>
                  <Table.Th w={64} ta="right">{t("orders.colItems")}</Table.Th>
                  <Table.Th w={104} ta="right">{t("orders.colTotal")}</Table.Th>
                  <Table.Th w={110} ta="right">{t("profit.column")}</Table.Th>
                  <Table.Th w={174}>{t("orders.colStatus")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.length > 0 && <tr style={{ height: items[0].start }} />}
                {items.map((item) => {
                  const o = rows[item.index - offset];
                  // Keyed by screen slot, not by order: scrolling reuses the same table rows and
                  // only their text changes, instead of building and discarding rows every frame.
                  const slot = item.index % ROW_SLOTS;
                  return o ? (
                    <OrderTableRow key={slot} order={o} ticked={selected.has(o.id)} profitCurrency={profitCurrency} onOpen={onOpen} onSelect={onSelect} />
                  ) : (
                    <tr key={slot} className={classes.row} data-testid="order-row-loading">
                      <td colSpan={9}>
                        <div className={classes.placeholder} />
                      </td>
                    </tr>
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
