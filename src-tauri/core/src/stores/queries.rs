//! The stores area's SQL for sync: an order's rows as the store sent them (order, shipping
//! address, line items), its Order-page status, and the record of each run (`sync_run`,
//! `sync_failure`, the store's last-sync columns and watermark). One statement per function,
//! cached: a sync runs them for every order of every page.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;
use crate::fulfillment::sub_order::SubOrderState;
use crate::model::{Address, LineItem, Order, OrderStatus};
use crate::stores::sync::{SyncFailure, Watermark};

/// The stored order of this store and remote id, as `(id, content hash)`.
pub fn find_order(conn: &Connection, store_id: i64, remote_id: &str) -> Result<Option<(i64, String)>> {
    Ok(conn
        .prepare_cached("SELECT id, content_hash FROM orders WHERE store_id = ?1 AND remote_id = ?2")?
        .query_row(params![store_id, remote_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Overwrites a stored order's fields with the store's (its status is recomputed after).
pub fn update_order(conn: &Connection, id: i64, order: &Order, hash: &str, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached(
        "UPDATE orders SET name=?2, created_at=?3, updated_at=?4, financial_status=?5, store_fulfillment_status=?6,
         email=?7, customer_name=?8, total_minor=?9, currency=?10, content_hash=?11, synced_at=?12, cancelled_at=?13,
         risk_recommendation=?14, risk_level=?15, refunded_minor=?16 WHERE id=?1",
    )?
    .execute(params![
        id,
        order.name,
        order.created_at,
        order.updated_at,
        order.financial_status,
        order.fulfillment_status,
        order.email,
        order.customer_name,
        order.total_minor,
        order.currency,
        hash,
        now,
        order.cancelled_at,
        order.risk.as_ref().map(|r| r.recommendation.as_str()),
        order.risk.as_ref().and_then(|r| r.level.as_deref()),
        order.refunded_minor
    ])?;
    Ok(())
}

/// Stores a new order with its Order-page status; returns its id.
pub fn insert_order(
    conn: &Connection,
    store_id: i64,
    order: &Order,
    status: OrderStatus,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO orders (store_id, remote_id, name, created_at, updated_at, financial_status, store_fulfillment_status,
         status, email, customer_name, total_minor, currency, content_hash, synced_at, cancelled_at,
         risk_recommendation, risk_level, refunded_minor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?
    .execute(params![
        store_id,
        order.remote_id,
        order.name,
        order.created_at,
        order.updated_at,
        order.financial_status,
        order.fulfillment_status,
        status.as_str(),
        order.email,
        order.customer_name,
        order.total_minor,
        order.currency,
        hash,
        now,
        order.cancelled_at,
        order.risk.as_ref().map(|r| r.recommendation.as_str()),
        order.risk.as_ref().and_then(|r| r.level.as_deref()),
        order.refunded_minor
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Forgets the order's shipping address (before writing the store's current one).
pub fn delete_address(conn: &Connection, order_id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM address WHERE order_id = ?1")?.execute([order_id])?;
    Ok(())
}

/// Writes the order's shipping address.
pub fn insert_address(conn: &Connection, order_id: i64, a: &Address) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO address (order_id, name, address1, address2, city, province, zip, country_code, phone)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        order_id,
        a.name,
        a.address1,
        a.address2,
        a.city,
        a.province,
        a.zip,
        a.country_code,
        a.phone
    ])?;
    Ok(())
}

/// Sets every line item of the order to quantity 0: lines the store no longer sends stay (a
/// sub-order may point at them) but ship nothing.
pub fn zero_line_items(conn: &Connection, order_id: i64) -> Result<()> {
    conn.prepare_cached("UPDATE line_item SET quantity = 0 WHERE order_id = ?1")?.execute([order_id])?;
    Ok(())
}

/// Writes one line item, keeping its local id when the store's line id is already stored.
pub fn upsert_line_item(conn: &Connection, order_id: i64, position: i64, item: &LineItem) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO line_item (order_id, remote_id, position, sku, title, quantity, unit_price_minor, requires_shipping, product_ref,
           store_product_id, store_variant_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT(order_id, remote_id) DO UPDATE SET position=excluded.position, sku=excluded.sku, title=excluded.title,
           quantity=excluded.quantity, unit_price_minor=excluded.unit_price_minor, requires_shipping=excluded.requires_shipping,
           product_ref=excluded.product_ref, store_product_id=excluded.store_product_id, store_variant_id=excluded.store_variant_id",
    )?
    .execute(params![
        order_id,
        item.remote_id,
        position,
        item.sku,
        item.title,
        item.quantity,
        item.unit_price_minor,
        item.requires_shipping,
        item.product_ref,
        item.store_product_id,
        item.store_variant_id
    ])?;
    Ok(())
}

/// The store's own financial and fulfillment status of the order, as it sent them.
pub fn store_statuses(conn: &Connection, order_id: i64) -> Result<(String, String)> {
    Ok(conn
        .prepare_cached("SELECT financial_status, store_fulfillment_status FROM orders WHERE id = ?1")?
        .query_row([order_id], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// The order's active sub-orders as `(state, has a shipment, shipment pushed to the store)`.
pub fn active_sub_orders(conn: &Connection, order_id: i64) -> Result<Vec<(SubOrderState, bool, bool)>> {
    // Run for every order a sync upserts: the SQL is built once.
    static SUB_ORDERS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "SELECT so.state, sh.id IS NOT NULL, sh.pushed_at IS NOT NULL
             FROM supplier_order so LEFT JOIN shipment sh ON sh.supplier_order_id = so.id
             WHERE so.order_id = ?1 AND so.state IN {}",
            SubOrderState::sql_set(SubOrderState::is_active)
        )
    });
    Ok(conn
        .prepare_cached(&SUB_ORDERS)?
        .query_map([order_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Sets the order's Order-page status (a write only when it changed).
pub fn set_status(conn: &Connection, order_id: i64, status: OrderStatus) -> Result<()> {
    conn.prepare_cached("UPDATE orders SET status = ?2 WHERE id = ?1 AND status <> ?2")?
        .execute(params![order_id, status.as_str()])?;
    Ok(())
}

/// The store's name. Errors: an unknown store (a database error: the caller checked it).
pub fn store_name(conn: &Connection, store_id: i64) -> Result<String> {
    Ok(conn.prepare_cached("SELECT name FROM store WHERE id = ?1")?.query_row([store_id], |r| r.get(0))?)
}

/// Records a run as started (`running`); returns its id.
pub fn start_run(conn: &Connection, store_id: i64, window_days: u32, now: DateTime<Utc>) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO sync_run (store_id, window_days, started_at, status) VALUES (?1, ?2, ?3, 'running')",
    )?
    .execute(params![store_id, window_days, now])?;
    Ok(conn.last_insert_rowid())
}

/// How a run ended, as recorded.
pub struct RunEnd<'a> {
    pub finished_at: DateTime<Utc>,
    pub additions: u32,
    pub updates: u32,
    pub failures: &'a [SyncFailure],
    /// `complete`, `partial` or `failed`.
    pub status: &'a str,
    pub error: Option<&'a str>,
    /// When the store asked not to be called before (a long `Retry-After`).
    pub retry_not_before: Option<DateTime<Utc>>,
    /// The merchant stopped the run: not counted as a failure.
    pub cancelled: bool,
}

/// Records the run's end, its failures one row each, and the store's last-sync columns; a run
/// that is not complete counts as one more failure in a row (unless the merchant stopped it), a
/// complete one resets the count.
pub fn finish_run(conn: &Connection, run_id: i64, store_id: i64, end: &RunEnd) -> Result<()> {
    conn.prepare_cached(
        "UPDATE sync_run SET finished_at=?2, additions=?3, updates=?4, failures=?5, status=?6, error=?7 WHERE id=?1",
    )?
    .execute(params![
        run_id,
        end.finished_at,
        end.additions,
        end.updates,
        end.failures.len() as i64,
        end.status,
        end.error
    ])?;
    let mut failure =
        conn.prepare_cached("INSERT INTO sync_failure (sync_run_id, reference, reason) VALUES (?1, ?2, ?3)")?;
    for f in end.failures {
        failure.execute(params![run_id, f.reference, f.reason])?;
    }
    conn.prepare_cached(
        "UPDATE store SET last_sync_at=?2, last_sync_status=?3, last_sync_error=?4, retry_not_before=?5,
           consecutive_failures = CASE WHEN ?3 = 'complete' THEN 0 WHEN ?6 THEN consecutive_failures
                                       ELSE consecutive_failures + 1 END
         WHERE id=?1",
    )?
    .execute(params![store_id, end.finished_at, end.status, end.error, end.retry_not_before, end.cancelled])?;
    Ok(())
}

/// Records only that the run failed (when its full record could not be written).
pub fn fail_run(conn: &Connection, run_id: i64, store_id: i64, finished_at: DateTime<Utc>, error: &str) -> Result<()> {
    conn.prepare_cached("UPDATE sync_run SET finished_at=?2, status='failed', error=?3 WHERE id=?1")?
        .execute(params![run_id, finished_at, error])?;
    conn.prepare_cached(
        "UPDATE store SET last_sync_at=?2, last_sync_status='failed', last_sync_error=?3,
           consecutive_failures=consecutive_failures+1 WHERE id=?1",
    )?
    .execute(params![store_id, finished_at, error])?;
    Ok(())
}

/// The store's watermark, if a clean run set one.
pub fn watermark(conn: &Connection, store_id: i64) -> Result<Option<Watermark>> {
    let row: (Option<DateTime<Utc>>, Option<String>) = conn
        .prepare_cached("SELECT watermark_updated_at, watermark_remote_id FROM store WHERE id = ?1")?
        .query_row([store_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(match row {
        (Some(updated_at), Some(remote_id)) => Some(Watermark { updated_at, remote_id }),
        _ => None,
    })
}

/// Moves the store's watermark to the newest order a clean run saw.
pub fn move_watermark(conn: &Connection, store_id: i64, seen: &Watermark) -> Result<()> {
    conn.prepare_cached("UPDATE store SET watermark_updated_at=?2, watermark_remote_id=?3 WHERE id=?1")?
        .execute(params![store_id, seen.updated_at, seen.remote_id])?;
    Ok(())
}

/// Records when the store was last synced cleanly up to its watermark.
pub fn mark_clean(conn: &Connection, store_id: i64, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached("UPDATE store SET last_clean_sync_at=?2 WHERE id=?1")?.execute(params![store_id, now])?;
    Ok(())
}
