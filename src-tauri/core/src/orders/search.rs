//! Finding orders offline, fast: keyset pagination (newest first, no OFFSET scans), filters, and
//! full-text search (SQLite FTS5, table `order_search`, migration 02).

use chrono::{DateTime, Utc};
use rusqlite::{params_from_iter, Connection, ToSql};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::fulfillment::HoldKind;
use crate::model::OrderStatus;
use crate::orders::views::{order_row, OrderRow, ORDER_ROW_SELECT};

/// Rewrites the search row of one order from what is stored (call after any change to the
/// order, its line items or its shipments).
pub fn reindex_order(conn: &Connection, order_id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM order_search WHERE rowid = ?1")?.execute([order_id])?;
    index_orders(conn, &[order_id])
}

/// Indexes orders that have no entry yet (new orders), all in one statement.
pub fn index_orders(conn: &Connection, order_ids: &[i64]) -> Result<()> {
    if order_ids.is_empty() {
        return Ok(());
    }
    let ids = serde_json::to_string(order_ids).expect("ids serialise");
    conn.prepare_cached(
        "INSERT INTO order_search (rowid, name, customer, email, skus, titles, tracking)
         SELECT o.id, o.name, COALESCE(o.customer_name, ''), COALESCE(o.email, ''),
                COALESCE((SELECT group_concat(li.sku, ' ') FROM line_item li WHERE li.order_id = o.id), ''),
                COALESCE((SELECT group_concat(li.title, ' ') FROM line_item li WHERE li.order_id = o.id), ''),
                COALESCE((SELECT group_concat(sh.tracking_number, ' ') FROM supplier_order so
                          JOIN shipment sh ON sh.supplier_order_id = so.id WHERE so.order_id = o.id), '')
         FROM orders o WHERE o.id IN (SELECT value FROM json_each(?1))",
    )?
    .execute([ids])?;
    Ok(())
}

/// Turns what a person typed into a safe FTS5 query: each word becomes a quoted phrase (quotes
/// doubled) matched as a prefix, and all words must match; a word of one letter or digit is
/// matched whole (a prefix of one character would read the list of nearly every order, see
/// migration 27). Words with no letter or digit are dropped, so any input (`"`, `*`, `OR`, `-`,
/// `:`, `'); DROP TABLE`) is a valid query. `None` when nothing searchable is left.
pub fn match_expression(input: &str) -> Option<String> {
    let phrases: Vec<String> = input
        .split_whitespace()
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .take(16)
        .map(|word| {
            let whole = word.chars().filter(|c| c.is_alphanumeric()).count() == 1;
            format!("\"{}\"{}", word.replace('"', "\"\""), if whole { "" } else { "*" })
        })
        .collect();
    (!phrases.is_empty()).then(|| phrases.join(" "))
}

/// Where the previous page ended: the last row's creation time and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OrderCursor {
    pub created_at: DateTime<Utc>,
    #[ts(type = "number")]
    pub id: i64,
}

/// The Order page's Disputes filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DisputeFilter {
    Open,
    Resolved,
}

/// A page request of the orders table. Every filter is optional; together they all apply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export, optional_fields)]
pub struct OrderQuery {
    #[ts(type = "number", optional)]
    pub store_id: Option<i64>,
    pub status: Option<OrderStatus>,
    /// Created at or after (UTC).
    pub created_from: Option<DateTime<Utc>>,
    /// Created before (UTC).
    pub created_to: Option<DateTime<Utc>>,
    /// Destination country, ISO 3166-1 alpha-2.
    pub country_code: Option<String>,
    /// Orders with at least one line item mapped to this supplier.
    #[ts(type = "number", optional)]
    pub supplier_id: Option<i64>,
    /// Orders held for this reason.
    pub hold_kind: Option<HoldKind>,
    /// Late shipments: paid orders created before this time (UTC) that still have no tracking
    /// number (status To order or Processing). See [`crate::orders::dashboard`].
    pub late_since: Option<DateTime<Utc>>,
    /// Orders with a shipment that needs attention or has expired (see
    /// [`crate::tracking::exceptions`]), worked out at the time of asking.
    #[serde(default)]
    #[ts(optional)]
    pub tracking: Option<crate::tracking::exceptions::TrackingFlag>,
    /// Orders with a refund or replacement request still open (`open`: sent, open at the
    /// supplier, or recorded to be filed by hand) or settled (`resolved`).
    #[serde(default)]
    #[ts(optional)]
    pub dispute: Option<DisputeFilter>,
    /// Free text: order number, customer, e-mail, SKU, product title, tracking number.
    pub search: Option<String>,
    /// Continue after this row (from the previous page's `next`): older rows.
    pub after: Option<OrderCursor>,
    /// The page just before this row (from a page's `prev`): newer rows, still newest first.
    /// Lets a window of pages slide back up without keeping every page in memory.
    pub before: Option<OrderCursor>,
    /// Rows per page, 1 to 500 (default 50).
    pub limit: Option<u32>,
}

/// One page of orders: newest first; with search text, most recently synced first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct OrderPage {
    pub rows: Vec<OrderRow>,
    /// The cursor of the next (older) page; `None` on the last page.
    pub next: Option<OrderCursor>,
    /// The cursor of the previous (newer) page, for `before`; `None` on the first page.
    pub prev: Option<OrderCursor>,
}

/// Runs `query`: filters in SQL, keyset pagination on `(created_at, id)` in both directions
/// (`after` for older rows, `before` for newer ones; `before` wins if both are given).
pub fn query_orders(conn: &Connection, query: &OrderQuery) -> Result<OrderPage> {
    let limit = query.limit.unwrap_or(50).clamp(1, 500);
    let mut sql = format!("{ORDER_ROW_SELECT} WHERE 1 = 1");
    let mut args: Vec<Box<dyn ToSql>> = Vec::new();
    let mut bind = |sql: &mut String, clause: &str, value: Box<dyn ToSql>| {
        args.push(value);
        sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
    };
    if let Some(store_id) = query.store_id {
        bind(&mut sql, " AND o.store_id = ?", Box::new(store_id));
    }
    if let Some(status) = query.status {
        bind(&mut sql, " AND o.status = ?", Box::new(status.as_str()));
    }
    if let Some(from) = query.created_from {
        bind(&mut sql, " AND o.created_at >= ?", Box::new(from));
    }
    if let Some(to) = query.created_to {
        bind(&mut sql, " AND o.created_at < ?", Box::new(to));
    }
    if let Some(country) = query.country_code.as_deref().filter(|c| !c.is_empty()) {
        // A per-row lookup keeps the plan on the orders' date index (see migration 02).
        bind(
            &mut sql,
            " AND (SELECT ad.country_code FROM address ad WHERE ad.order_id = o.id) = ?",
            Box::new(country.to_ascii_uppercase()),
        );
    }
    if let Some(kind) = query.hold_kind {
        bind(&mut sql, " AND o.hold_kind = ?", Box::new(kind.as_str()));
    }
    if let Some(cutoff) = query.late_since {
        // Spelled exactly as the partial index `orders_unshipped` (migration 03), which is used below.
        bind(&mut sql, " AND o.status IN ('to_order', 'processing') AND o.created_at < ?", Box::new(cutoff));
    }
    if let Some(flag) = query.tracking {
        use crate::tracking::exceptions::{attention_days, cutoffs, flag_sql, TrackingFlag};
        let (attention, expired) = cutoffs(Utc::now(), attention_days(conn)?);
        let clause = format!(
            " AND EXISTS (SELECT 1 FROM supplier_order so JOIN shipment sh ON sh.supplier_order_id = so.id
                          WHERE so.order_id = o.id AND {})",
            flag_sql(flag, "?", "?")
        );
        // The condition's placeholders in order: the attention cut-off (Attention only), then
        // the expiry one.
        let values = match flag {
            TrackingFlag::Attention => vec![attention, expired],
            TrackingFlag::Expired => vec![expired],
        };
        let mut rest = clause.as_str();
        for value in values {
            let (head, tail) = rest.split_once('?').expect("one placeholder per cut-off");
            bind(&mut sql, &format!("{head}?"), Box::new(value));
            rest = tail;
        }
        sql.push_str(rest);
    }
    if let Some(filter) = query.dispute {
        let states = match filter {
            DisputeFilter::Open => "('submitting', 'open', 'recorded')",
            DisputeFilter::Resolved => "('refunded', 'resent', 'rejected', 'cancelled', 'failed')",
        };
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM supplier_order so JOIN dispute d ON d.supplier_order_id = so.id
                          WHERE so.order_id = o.id AND d.state IN {states})"
        ));
    }
    if let Some(supplier_id) = query.supplier_id {
        use crate::products::queries::{MAPPED_SUPPLIER, MAPPING_JOINS};
        let filter = format!(
            " AND EXISTS (SELECT 1 FROM line_item li {MAPPING_JOINS}
                          WHERE li.order_id = o.id AND {MAPPED_SUPPLIER} = ?)"
        );
        bind(&mut sql, &filter, Box::new(supplier_id));
    }
    // With search text, FTS5 streams its matches newest-synced first (rowid = orders.id,
    // descending) and the filters apply to each; the page stops after `limit` rows, so a word
    // that matches every order costs as little as a rare one. Without search, pages follow
    // (created_at, id) on the orders indexes.
    let expression = query.search.as_deref().and_then(match_expression);
    if let Some(expression) = expression.clone() {
        bind(&mut sql, " AND fts.order_search MATCH ?", Box::new(expression));
    }
    // `before` reads towards newer rows (ascending), then the page is turned back to newest first.
    let backwards = query.before.is_some();
    match (query.before.or(query.after), backwards, expression.is_some()) {
        (Some(at), false, true) => bind(&mut sql, " AND fts.rowid < ?", Box::new(at.id)),
        (Some(at), true, true) => bind(&mut sql, " AND fts.rowid > ?", Box::new(at.id)),
        (Some(at), false, false) => {
            bind(&mut sql, " AND (o.created_at < ?", Box::new(at.created_at));
            bind(&mut sql, " OR (o.created_at = ?", Box::new(at.created_at));
            bind(&mut sql, " AND o.id < ?))", Box::new(at.id));
        }
        (Some(at), true, false) => {
            bind(&mut sql, " AND (o.created_at > ?", Box::new(at.created_at));
            bind(&mut sql, " OR (o.created_at = ?", Box::new(at.created_at));
            bind(&mut sql, " AND o.id > ?))", Box::new(at.id));
        }
        (None, _, _) => {}
    }
    let order_by = match (expression.is_some(), backwards) {
        (true, false) => " ORDER BY fts.rowid DESC",
        (true, true) => " ORDER BY fts.rowid ASC",
        (false, false) => " ORDER BY o.created_at DESC, o.id DESC",
        (false, true) => " ORDER BY o.created_at ASC, o.id ASC",
    };
    bind(&mut sql, &format!("{order_by} LIMIT ?"), Box::new(limit as i64 + 1));
    if expression.is_some() {
        sql = sql.replacen(" FROM orders o ", " FROM order_search fts JOIN orders o ON o.id = fts.rowid ", 1);
    } else if query.late_since.is_some() && query.status.is_none() {
        // Left alone, SQLite walks the status index for both statuses and sorts them all (35 ms
        // at 100k orders); the partial index is already in page order (0.2 ms).
        sql = sql.replacen(" FROM orders o ", " FROM orders o INDEXED BY orders_unshipped ", 1);
    }
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows: Vec<OrderRow> = stmt
        .query_map(params_from_iter(args.iter().map(|a| a.as_ref())), order_row)?
        .collect::<rusqlite::Result<_>>()?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    if backwards {
        rows.reverse();
    }
    let cursor = |r: &OrderRow| OrderCursor { created_at: r.created_at, id: r.id };
    // Older rows exist past the last row when this read found more, or when it read backwards
    // (the `before` row itself is older). Newer rows exist before the first likewise.
    let next = if (more && !backwards) || (backwards && !rows.is_empty()) { rows.last().map(cursor) } else { None };
    let prev =
        if (more && backwards) || (query.after.is_some() && !backwards) { rows.first().map(cursor) } else { None };
    Ok(OrderPage { rows, next, prev })
}

#[cfg(test)]
mod tests {
    use super::match_expression;

    #[test]
    fn any_input_becomes_a_valid_quoted_query() {
        assert_eq!(match_expression("  "), None);
        assert_eq!(match_expression("\" * - :"), None);
        assert_eq!(match_expression("ana OR bob").unwrap(), "\"ana\"* \"OR\"* \"bob\"*");
        assert_eq!(match_expression("a\"b").unwrap(), "\"a\"\"b\"*");
        assert_eq!(match_expression("m #5").unwrap(), "\"m\" \"#5\"");
        assert_eq!(match_expression("'); DROP TABLE orders;--").unwrap(), "\"DROP\"* \"TABLE\"* \"orders;--\"*");
    }
}
