//! The disputes area's SQL: requests and their items, the sub-orders they are about, and the
//! replacement sub-order a resend ships as. One statement per function; money in US cents,
//! times UTC.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;
use crate::fulfillment::sub_order::SubOrderState;

/// A sub-order a request may be about.
#[derive(Debug, Clone)]
pub struct DisputableSubOrder {
    pub id: i64,
    pub supplier_id: i64,
    pub supplier_name: String,
    pub supplier_kind: String,
    pub key: String,
    pub state: SubOrderState,
    pub supplier_order_id: Option<String>,
    pub shipping_line: Option<String>,
}

/// The order's original sub-orders, with their supplier.
pub fn sub_orders(conn: &Connection, order_id: i64) -> Result<Vec<DisputableSubOrder>> {
    Ok(conn
        .prepare_cached(
            "SELECT so.id, so.supplier_id, s.name, s.kind, so.idempotency_key, so.state, so.supplier_order_id, so.shipping_line
             FROM supplier_order so JOIN supplier s ON s.id = so.supplier_id
             WHERE so.order_id = ?1 AND so.replaces_id IS NULL ORDER BY so.id",
        )?
        .query_map([order_id], |r| {
            Ok(DisputableSubOrder {
                id: r.get(0)?,
                supplier_id: r.get(1)?,
                supplier_name: r.get(2)?,
                supplier_kind: r.get(3)?,
                key: r.get(4)?,
                state: r.get(5)?,
                supplier_order_id: r.get(6)?,
                shipping_line: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// The supplier variants a sub-order ships, `(variant id, units)`, in line order.
pub fn sub_order_units(conn: &Connection, sub_id: i64) -> Result<Vec<(String, i64)>> {
    Ok(conn
        .prepare_cached(
            "SELECT variant_id, SUM(quantity) FROM supplier_order_item WHERE supplier_order_id = ?1
             GROUP BY variant_id ORDER BY MIN(line_item_id), MIN(rowid)",
        )?
        .query_map([sub_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// How many requests were ever made about the sub-order, and the id of one still open.
pub fn request_counts(conn: &Connection, sub_id: i64) -> Result<(i64, Option<i64>)> {
    Ok(conn
        .prepare_cached(
            "SELECT COUNT(*), MAX(CASE WHEN state IN ('submitting', 'open', 'recorded') THEN id END)
             FROM dispute WHERE supplier_order_id = ?1",
        )?
        .query_row([sub_id], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// A request as first written.
pub struct NewRow<'a> {
    pub sub_id: i64,
    pub key: &'a str,
    pub reason: &'a str,
    pub wanted: &'a str,
    pub message: &'a str,
    pub photos: &'a [String],
    pub state: &'a str,
    pub platform_reason: Option<&'a str>,
    pub max_amount_minor: Option<i64>,
    pub file_at: Option<&'a str>,
    /// `(variant id, units, the platform's line reference)`.
    pub items: &'a [(String, i64, Option<String>)],
    pub now: DateTime<Utc>,
}

/// Writes a request and its items; returns its id.
pub fn insert(conn: &Connection, row: &NewRow) -> Result<i64> {
    let photos = serde_json::to_string(row.photos).expect("photo list serialises");
    conn.prepare_cached(
        "INSERT INTO dispute (supplier_order_id, business_key, reason, wanted, message, photos, state, platform_reason,
                              max_amount_minor, file_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
    )?
    .execute(params![
        row.sub_id,
        row.key,
        row.reason,
        row.wanted,
        row.message,
        photos,
        row.state,
        row.platform_reason,
        row.max_amount_minor,
        row.file_at,
        row.now
    ])?;
    let id = conn.last_insert_rowid();
    let mut item = conn.prepare_cached(
        "INSERT INTO dispute_item (dispute_id, variant_id, quantity, line_ref) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (dispute_id, variant_id) DO UPDATE SET quantity = quantity + excluded.quantity",
    )?;
    for (vid, units, line_ref) in row.items {
        item.execute(params![id, vid, units, line_ref])?;
    }
    Ok(id)
}

/// Moves a request to `state` (only from one of `from`), with the platform's id and status when
/// given, an error text (or none), and `resolved_at` for a final state. Returns whether it moved.
#[allow(clippy::too_many_arguments)]
pub fn set_state(
    conn: &Connection,
    id: i64,
    from: &[&str],
    state: &str,
    platform_id: Option<&str>,
    platform_status: Option<&str>,
    error: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let from = from.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(", ");
    let resolved = matches!(state, "refunded" | "resent" | "rejected" | "cancelled");
    let sql = format!(
        "UPDATE dispute SET state = ?2, platform_dispute_id = COALESCE(?3, platform_dispute_id),
                platform_status = COALESCE(?4, platform_status), error = ?5, updated_at = ?6,
                resolved_at = CASE WHEN ?7 THEN ?6 ELSE resolved_at END
         WHERE id = ?1 AND state IN ({from})"
    );
    Ok(conn.prepare(&sql)?.execute(params![id, state, platform_id, platform_status, error, now, resolved])? == 1)
}

/// Records the refund the supplier made.
pub fn set_refund(conn: &Connection, id: i64, refund_minor: i64) -> Result<()> {
    conn.prepare_cached("UPDATE dispute SET refund_minor = ?2 WHERE id = ?1")?.execute(params![id, refund_minor])?;
    Ok(())
}

/// A request being followed at its supplier.
#[derive(Debug, Clone)]
pub struct Followed {
    pub id: i64,
    pub order_id: i64,
    pub order_name: String,
    pub sub_id: i64,
    pub supplier_id: i64,
    pub supplier_name: String,
    pub supplier_order_id: String,
    pub key: String,
    pub state: String,
    pub platform_id: Option<String>,
    pub reason: String,
    pub updated_at: DateTime<Utc>,
}

const FOLLOWED: &str =
    "SELECT d.id, so.order_id, o.name, so.id, so.supplier_id, s.name, so.supplier_order_id, d.business_key,
                               d.state, d.platform_dispute_id, d.reason, d.updated_at
                        FROM dispute d JOIN supplier_order so ON so.id = d.supplier_order_id
                        JOIN orders o ON o.id = so.order_id JOIN supplier s ON s.id = so.supplier_id";

fn followed(r: &rusqlite::Row) -> rusqlite::Result<Followed> {
    Ok(Followed {
        id: r.get(0)?,
        order_id: r.get(1)?,
        order_name: r.get(2)?,
        sub_id: r.get(3)?,
        supplier_id: r.get(4)?,
        supplier_name: r.get(5)?,
        supplier_order_id: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
        key: r.get(7)?,
        state: r.get(8)?,
        platform_id: r.get(9)?,
        reason: r.get(10)?,
        updated_at: r.get(11)?,
    })
}

/// Requests sent or open at a connected supplier, oldest first.
pub fn to_follow(conn: &Connection) -> Result<Vec<Followed>> {
    let sql = format!(
        "{FOLLOWED} WHERE d.state IN ('submitting', 'open') AND s.disconnected_at IS NULL AND so.supplier_order_id IS NOT NULL
         ORDER BY d.id"
    );
    Ok(conn.prepare_cached(&sql)?.query_map([], followed)?.collect::<rusqlite::Result<_>>()?)
}

/// One request, for its follow-up or cancellation.
pub fn followed_one(conn: &Connection, id: i64) -> Result<Option<Followed>> {
    let sql = format!("{FOLLOWED} WHERE d.id = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([id], followed).optional()?)
}

/// The request's items, `(variant id, units, the platform's line reference)`.
pub fn items(conn: &Connection, id: i64) -> Result<Vec<(String, i64, Option<String>)>> {
    Ok(conn
        .prepare_cached("SELECT variant_id, quantity, line_ref FROM dispute_item WHERE dispute_id = ?1 ORDER BY rowid")?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Platform ids other requests about the same sub-order already hold.
pub fn linked_ids(conn: &Connection, sub_id: i64, except: i64) -> Result<Vec<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT platform_dispute_id FROM dispute WHERE supplier_order_id = ?1 AND id <> ?2 AND platform_dispute_id IS NOT NULL",
        )?
        .query_map(params![sub_id, except], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Writes the replacement sub-order a resend ships as: with its supplier (`paid`, nothing
/// charged), under its own key, the request's items on the original's lines; returns its id.
pub fn insert_replacement(
    conn: &Connection,
    original: i64,
    key: &str,
    supplier_order_id: &str,
    dispute_id: i64,
    now: DateTime<Utc>,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO supplier_order (order_id, supplier_id, idempotency_key, state, shipping_line, supplier_order_id,
                                     cost_minor, currency, product_cost_minor, shipping_cost_minor, paid_at,
                                     created_at, updated_at, replaces_id)
         SELECT order_id, supplier_id, ?2, 'paid', shipping_line, ?3, 0, currency, 0, 0, ?4, ?4, ?4, id
         FROM supplier_order WHERE id = ?1",
    )?
    .execute(params![original, key, supplier_order_id, now])?;
    let id = conn.last_insert_rowid();
    conn.prepare_cached(
        "INSERT INTO supplier_order_item (supplier_order_id, line_item_id, variant_id, quantity, line_quantity, priority)
         SELECT ?1, soi.line_item_id, di.variant_id, di.quantity, soi.line_quantity, soi.priority
         FROM dispute_item di
         JOIN supplier_order_item soi ON soi.supplier_order_id = ?2 AND soi.variant_id = di.variant_id
         WHERE di.dispute_id = ?3
         GROUP BY di.variant_id",
    )?
    .execute(params![id, original, dispute_id])?;
    conn.prepare_cached("UPDATE dispute SET replacement_id = ?2 WHERE id = ?1")?.execute(params![dispute_id, id])?;
    Ok(id)
}

/// A request as the drawer, the list and the CLI show it.
pub fn view_rows(
    conn: &Connection,
    filter: &str,
    order_id: Option<i64>,
    id: Option<i64>,
) -> Result<Vec<super::DisputeView>> {
    let states = match filter {
        "open" => "d.state IN ('submitting', 'open', 'recorded')",
        "resolved" => "d.state IN ('refunded', 'resent', 'rejected', 'cancelled', 'failed')",
        _ => "1",
    };
    let sql = format!(
        "SELECT d.id, so.order_id, o.name, s.name, so.supplier_order_id, d.reason, d.wanted, d.message, d.photos, d.state,
                d.platform_reason, d.platform_dispute_id, d.platform_status, d.max_amount_minor, d.refund_minor,
                r.supplier_order_id, r.state, rsh.tracking_number, d.file_at, d.error, d.created_at, d.resolved_at
         FROM dispute d JOIN supplier_order so ON so.id = d.supplier_order_id JOIN orders o ON o.id = so.order_id
         JOIN supplier s ON s.id = so.supplier_id
         LEFT JOIN supplier_order r ON r.id = d.replacement_id LEFT JOIN shipment rsh ON rsh.supplier_order_id = r.id
         WHERE {states} AND (?1 IS NULL OR so.order_id = ?1) AND (?2 IS NULL OR d.id = ?2)
         ORDER BY d.id DESC LIMIT 500"
    );
    let mut rows: Vec<super::DisputeView> = conn
        .prepare_cached(&sql)?
        .query_map(params![order_id, id], |r| {
            let photos: String = r.get(8)?;
            Ok(super::DisputeView {
                id: r.get(0)?,
                order_id: r.get(1)?,
                order_name: r.get(2)?,
                supplier_name: r.get(3)?,
                supplier_order_number: r.get(4)?,
                reason: r.get(5)?,
                wanted: r.get(6)?,
                message: r.get(7)?,
                photos: serde_json::from_str(&photos).unwrap_or_default(),
                state: r.get(9)?,
                platform_reason: r.get(10)?,
                platform_dispute_id: r.get(11)?,
                platform_status: r.get(12)?,
                max_amount_minor: r.get(13)?,
                refund_minor: r.get(14)?,
                replacement_order_number: r.get(15)?,
                replacement_state: r.get::<_, Option<SubOrderState>>(16)?.map(|s| s.as_str().to_owned()),
                replacement_tracking: r.get(17)?,
                file_at: r.get(18)?,
                error: r.get(19)?,
                created_at: r.get(20)?,
                resolved_at: r.get(21)?,
                items: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    for row in &mut rows {
        row.items = items(conn, row.id)?
            .into_iter()
            .map(|(variant_id, quantity, _)| super::DisputeItem { variant_id, quantity })
            .collect();
    }
    Ok(rows)
}
