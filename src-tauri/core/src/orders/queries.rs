//! The orders area's SQL: order heads, the merchant's hold, the offline ship queue and the
//! Order page's export columns. Each function is one statement (cached), over a connection or
//! the caller's write transaction; the area's modules hold the rules, this file the SQL.

use chrono::{DateTime, Utc};
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};

use crate::error::{CoreError, Result};
use crate::fulfillment::sub_order::{SubOrderState, Transition};
use crate::model::OrderStatus;
use crate::orders::views::{order_row, OrderRow, ORDER_ROW_SELECT};

/// An order's number (`#1001`). Errors: `NotFound` for an unknown id.
pub fn order_name(conn: &Connection, order_id: i64) -> Result<String> {
    conn.prepare_cached("SELECT name FROM orders WHERE id = ?1")?
        .query_row([order_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| CoreError::NotFound(format!("order {order_id} not found")))
}

/// An order's number and Dropdock status. Errors: `NotFound` for an unknown id.
pub fn name_and_status(conn: &Connection, order_id: i64) -> Result<(String, OrderStatus)> {
    let (name, status): (String, String) = conn
        .prepare_cached("SELECT name, status FROM orders WHERE id = ?1")?
        .query_row([order_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| CoreError::NotFound(format!("order {order_id} not found")))?;
    Ok((name, OrderStatus::parse(&status).unwrap_or(OrderStatus::ToOrder)))
}

/// Marks the order held by the merchant since `now` (an earlier hold keeps its time).
pub fn hold_by_merchant(conn: &Connection, order_id: i64, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached("UPDATE orders SET merchant_hold_at = COALESCE(merchant_hold_at, ?2) WHERE id = ?1")?
        .execute(params![order_id, now])?;
    Ok(())
}

/// Lifts the merchant's hold, and a "no shipping line" hold. Returns whether the order was held.
pub fn release(conn: &Connection, order_id: i64) -> Result<bool> {
    let released = conn
        .prepare_cached(
            "UPDATE orders SET merchant_hold_at = NULL, hold_kind = NULL, hold_reason = NULL, hold_params = NULL,
                    risk_accepted_at = CASE WHEN hold_kind = 'high_risk' THEN ?2 ELSE risk_accepted_at END
             WHERE id = ?1 AND (merchant_hold_at IS NOT NULL OR hold_kind IN ('no_shipping_line', 'high_risk', 'cost_changed'))",
        )?
        .execute(params![order_id, Utc::now()])?;
    Ok(released > 0)
}

/// Queues "Ship order" for the order; queuing it twice keeps one entry.
pub fn queue_ship(conn: &Connection, order_id: i64, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO queued_action (kind, order_id, queued_at) VALUES ('ship_order', ?1, ?2)
         ON CONFLICT(kind, order_id) DO NOTHING",
    )?
    .execute(params![order_id, now])?;
    Ok(())
}

/// The queued "Ship order"s, oldest first, as `(queue id, order id)`.
pub fn queued_ships(conn: &Connection) -> Result<Vec<(i64, i64)>> {
    Ok(conn
        .prepare_cached("SELECT id, order_id FROM queued_action WHERE kind = 'ship_order' ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Records a failed attempt of a queued action (it stays queued).
pub fn queue_attempt_failed(conn: &Connection, queue_id: i64, error: &str) -> Result<()> {
    conn.prepare_cached("UPDATE queued_action SET attempts = attempts + 1, last_error = ?2 WHERE id = ?1")?
        .execute(params![queue_id, error])?;
    Ok(())
}

/// Takes one entry off the queue.
pub fn dequeue(conn: &Connection, queue_id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM queued_action WHERE id = ?1")?.execute([queue_id])?;
    Ok(())
}

/// Drops every queued action of the order (it was held, or cancelled); returns whether there
/// was one.
pub fn dequeue_order(conn: &Connection, order_id: i64) -> Result<bool> {
    Ok(conn.prepare_cached("DELETE FROM queued_action WHERE order_id = ?1")?.execute([order_id])? > 0)
}

/// The Order page rows of these ids (at most a few hundred at once), in no order.
pub fn order_rows(conn: &Connection, ids: &[i64]) -> Result<Vec<OrderRow>> {
    let marks = vec!["?"; ids.len()].join(",");
    let mut stmt = conn.prepare(&format!("{ORDER_ROW_SELECT} WHERE o.id IN ({marks})"))?;
    let rows = stmt.query_map(params_from_iter(ids.iter()), order_row)?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The export's columns the Order page row does not carry: the buyer's e-mail, the tracking
/// numbers and the supplier order numbers (space-separated; empty strings when none).
pub fn export_extras(conn: &Connection, order_id: i64) -> Result<(String, String, String)> {
    Ok(conn
        .prepare_cached(
            "SELECT COALESCE(o.email, ''),
                    COALESCE((SELECT group_concat(sh.tracking_number, ' ') FROM supplier_order so
                              JOIN shipment sh ON sh.supplier_order_id = so.id WHERE so.order_id = o.id), ''),
                    COALESCE((SELECT group_concat(so.supplier_order_id, ' ') FROM supplier_order so
                              WHERE so.order_id = o.id AND so.supplier_order_id IS NOT NULL), '')
             FROM orders o WHERE o.id = ?1",
        )?
        .query_row([order_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?)
}

/// The destination countries (ISO 3166-1 alpha-2) of the stored orders, sorted.
pub fn countries(conn: &Connection) -> Result<Vec<String>> {
    Ok(conn
        .prepare_cached("SELECT DISTINCT country_code FROM address ORDER BY country_code")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// One sub-order as cancellation sees it.
pub struct SubOrderRow {
    pub id: i64,
    pub supplier_id: i64,
    pub supplier_name: String,
    pub idempotency_key: String,
    pub state: SubOrderState,
    pub supplier_order_id: Option<String>,
    /// What the supplier charged, minor units.
    pub cost_minor: Option<i64>,
    /// `wallet` or `card`.
    pub payment_method: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// Every sub-order of the order, by supplier name.
pub fn sub_orders_to_cancel(conn: &Connection, order_id: i64) -> Result<Vec<SubOrderRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT so.id, so.supplier_id, s.name, so.idempotency_key, so.state, so.supplier_order_id,
                    so.cost_minor, so.payment_method, so.updated_at
             FROM supplier_order so JOIN supplier s ON s.id = so.supplier_id
             WHERE so.order_id = ?1 ORDER BY s.name",
        )?
        .query_map([order_id], |r| {
            Ok(SubOrderRow {
                id: r.get(0)?,
                supplier_id: r.get(1)?,
                supplier_name: r.get(2)?,
                idempotency_key: r.get(3)?,
                state: r.get(4)?,
                supplier_order_id: r.get(5)?,
                cost_minor: r.get(6)?,
                payment_method: r.get(7)?,
                updated_at: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Sub-orders that reached their supplier (or may have) of orders the store cancelled, not yet
/// followed up (or last time the supplier could not be asked), as `(order id, order name, row)`.
pub fn sent_but_cancelled_in_store(conn: &Connection) -> Result<Vec<(i64, String, SubOrderRow)>> {
    let sql = format!(
        "SELECT o.id, o.name, so.id, so.supplier_id, s.name, so.idempotency_key, so.state, so.supplier_order_id,
                so.cost_minor, so.payment_method, so.updated_at
         FROM supplier_order so JOIN orders o ON o.id = so.order_id JOIN supplier s ON s.id = so.supplier_id
         WHERE o.cancelled_at IS NOT NULL AND (so.store_cancel_outcome IS NULL OR so.store_cancel_outcome = 'unknown')
           AND so.state IN {}
         ORDER BY o.id, s.name",
        SubOrderState::sql_set(|s| s.is_active() && s != SubOrderState::Failed)
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                SubOrderRow {
                    id: r.get(2)?,
                    supplier_id: r.get(3)?,
                    supplier_name: r.get(4)?,
                    idempotency_key: r.get(5)?,
                    state: r.get(6)?,
                    supplier_order_id: r.get(7)?,
                    cost_minor: r.get(8)?,
                    payment_method: r.get(9)?,
                    updated_at: r.get(10)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Records what came of the store's cancellation for a sub-order (`cancelled`, `too_late`,
/// `unknown`), with the answer shown to the merchant.
pub fn set_store_cancel_outcome(
    conn: &Connection,
    sub_id: i64,
    outcome: &str,
    answer: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE supplier_order SET store_cancel_outcome = ?2, store_cancel_at = ?3,
                cancel_answer = COALESCE(cancel_answer, ?4)
         WHERE id = ?1",
    )?
    .execute(params![sub_id, outcome, now, answer])?;
    Ok(())
}

/// Keeps the supplier's answer to a cancellation it refused.
pub fn set_cancel_answer(conn: &Connection, sub_id: i64, answer: &str, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached("UPDATE supplier_order SET cancel_answer = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![sub_id, answer, now])?;
    Ok(())
}

/// Marks the sub-order cancelled with the answer, when its state allows; returns whether it
/// changed (a second cancel of the same sub-order changes nothing).
pub fn mark_cancelled(conn: &Connection, sub_id: i64, answer: &str, now: DateTime<Utc>) -> Result<bool> {
    let sql = format!(
        "UPDATE supplier_order SET state = ?4, cancel_answer = ?2, error = NULL, updated_at = ?3 WHERE id = ?1 AND {}",
        Transition::Cancelled.guard()
    );
    Ok(conn.prepare_cached(&sql)?.execute(params![sub_id, answer, now, Transition::Cancelled.to()])? == 1)
}

/// Gives a cancelled sub-order's wallet charge back: a `refund` ledger entry and the local
/// balance raised by `amount_minor`, in the caller's transaction.
pub fn refund_to_wallet(
    conn: &Connection,
    supplier_id: i64,
    sub_id: i64,
    amount_minor: i64,
    currency: &str,
    note: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO wallet_entry (supplier_id, kind, amount_minor, currency, supplier_order_id, note, created_at)
         VALUES (?1, 'refund', ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![supplier_id, amount_minor, currency, sub_id, note, now])?;
    conn.prepare_cached("UPDATE supplier SET balance_minor = balance_minor + ?2 WHERE id = ?1")?
        .execute(params![supplier_id, amount_minor])?;
    Ok(())
}
