//! My Wallet's SQL: the ledger (`wallet_entry`, one row per charge, refund, recharge or
//! adjustment, minor units, USD), the supplier's reported balance it is reconciled against,
//! the costs of orders still waiting, and the paid sub-orders an invoice lists. Times are UTC.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::{InvoiceLine, LedgerEntry, Reconciliation};
use crate::error::Result;
use crate::fulfillment::sub_order::SubOrderState;

/// The ledger, newest first, at most `limit` entries, optionally of one supplier, each with the
/// supplier's balance after it (a running sum in entry order).
pub fn ledger(conn: &Connection, supplier_id: Option<i64>, limit: u32) -> Result<Vec<LedgerEntry>> {
    Ok(conn
        .prepare_cached(
            "SELECT w.id, s.name, w.kind, w.amount_minor,
                    SUM(w.amount_minor) OVER (PARTITION BY w.supplier_id ORDER BY w.created_at, w.id),
                    o.id, o.name, so.supplier_order_id, w.note, w.created_at
             FROM wallet_entry w JOIN supplier s ON s.id = w.supplier_id
             LEFT JOIN supplier_order so ON so.id = w.supplier_order_id LEFT JOIN orders o ON o.id = so.order_id
             WHERE ?1 IS NULL OR w.supplier_id = ?1
             ORDER BY w.created_at DESC, w.id DESC LIMIT ?2",
        )?
        .query_map(params![supplier_id, limit], |r| {
            Ok(LedgerEntry {
                id: r.get(0)?,
                supplier_name: r.get(1)?,
                kind: r.get(2)?,
                amount_minor: r.get(3)?,
                balance_after_minor: r.get(4)?,
                order_id: r.get(5)?,
                order_name: r.get(6)?,
                supplier_order_number: r.get(7)?,
                note: r.get(8)?,
                created_at: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Every supplier's ledger sum against its last reported balance, by name. The difference is
/// known only once the ledger was opened with a reported balance.
pub fn reconciliations(conn: &Connection) -> Result<Vec<Reconciliation>> {
    Ok(conn
        .prepare_cached(
            "SELECT s.id, s.name, COALESCE(SUM(w.amount_minor), 0), s.balance_minor, s.balance_checked_at, s.ledger_opened_at,
                    COUNT(w.id) FILTER (WHERE w.kind = 'charge'), COALESCE(SUM(w.amount_minor) FILTER (WHERE w.kind = 'charge'), 0)
             FROM supplier s LEFT JOIN wallet_entry w ON w.supplier_id = s.id
             GROUP BY s.id ORDER BY s.name",
        )?
        .query_map([], |r| {
            let ledger: i64 = r.get(2)?;
            let reported: Option<i64> = r.get(3)?;
            let opened: Option<String> = r.get(5)?;
            Ok(Reconciliation {
                supplier_id: r.get(0)?,
                supplier_name: r.get(1)?,
                ledger_balance_minor: ledger,
                supplier_balance_minor: reported,
                checked_at: r.get(4)?,
                difference_minor: reported.filter(|_| opened.is_some()).map(|b| b - ledger),
                charges: r.get(6)?,
                charged_minor: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Keeps the balance the supplier reported at `now`.
pub fn set_reported_balance(conn: &Connection, supplier_id: i64, balance_minor: i64, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached("UPDATE supplier SET balance_minor=?2, balance_checked_at=?3 WHERE id=?1")?
        .execute(params![supplier_id, balance_minor, now])?;
    Ok(())
}

/// Whether the supplier's ledger was opened (with its first reported balance).
pub fn ledger_opened(conn: &Connection, supplier_id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT ledger_opened_at IS NOT NULL FROM supplier WHERE id=?1")?
        .query_row([supplier_id], |r| r.get(0))?)
}

/// Marks the supplier's ledger opened at `now`.
pub fn open_ledger(conn: &Connection, supplier_id: i64, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached("UPDATE supplier SET ledger_opened_at=?2 WHERE id=?1")?.execute(params![supplier_id, now])?;
    Ok(())
}

/// The sum of the supplier's ledger entries.
pub fn ledger_sum(conn: &Connection, supplier_id: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT COALESCE(SUM(amount_minor), 0) FROM wallet_entry WHERE supplier_id=?1")?
        .query_row([supplier_id], |r| r.get(0))?)
}

/// Adds a ledger entry not tied to a sub-order (`recharge` or `adjustment`); returns its id.
pub fn insert_entry(
    conn: &Connection,
    supplier_id: i64,
    kind: &str,
    amount_minor: i64,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO wallet_entry (supplier_id, kind, amount_minor, currency, note, created_at) VALUES (?1, ?2, ?3, 'USD', ?4, ?5)",
    )?
    .execute(params![supplier_id, kind, amount_minor, note, now])?;
    Ok(conn.last_insert_rowid())
}

/// Whether a supplier with this id is connected (or was: disconnected rows are kept).
pub fn supplier_exists(conn: &Connection, supplier_id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM supplier WHERE id = ?1")?
        .query_row([supplier_id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Every connected supplier's last reported balance (0 before the first) and platform kind, as
/// `(id, name, balance, kind)`, by name (a disconnected account has nothing to forecast).
pub fn balances(conn: &Connection) -> Result<Vec<(i64, String, i64, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, name, COALESCE(balance_minor, 0), kind FROM supplier WHERE disconnected_at IS NULL ORDER BY name",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// The average postage of the supplier's last 100 paid sub-orders that gave it (0 when none).
pub fn average_postage(conn: &Connection, supplier_id: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT COALESCE(CAST(AVG(shipping_cost_minor) AS INTEGER), 0) FROM (
                 SELECT shipping_cost_minor FROM supplier_order
                 WHERE supplier_id = ?1 AND shipping_cost_minor IS NOT NULL ORDER BY paid_at DESC LIMIT 100)",
        )?
        .query_row([supplier_id], |r| r.get(0))?)
}

/// Each order To order whose part at this supplier is not with it yet: which bucket it is in
/// (`queued`, `held` or `to_order`) and that part's products at the mapped cost.
pub fn waiting_order_costs(conn: &Connection, supplier_id: i64) -> Result<Vec<(String, i64)>> {
    static WAITING: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM queued_action q WHERE q.order_id = o.id) THEN 'queued'
                         WHEN o.hold_kind IS NOT NULL OR o.merchant_hold_at IS NOT NULL THEN 'held'
                         ELSE 'to_order' END,
                    CAST(TOTAL({cost} * li.quantity) AS INTEGER)
             FROM orders o JOIN line_item li ON li.order_id = o.id {joins}
             WHERE o.status = 'to_order' AND {supplier} = ?1 AND li.requires_shipping = 1 AND li.quantity > 0
               AND NOT EXISTS (SELECT 1 FROM supplier_order so WHERE so.order_id = o.id AND so.supplier_id = ?1
                               AND so.state IN {})
             GROUP BY o.id",
            SubOrderState::sql_set(SubOrderState::is_with_supplier),
            cost = crate::products::queries::MAPPED_COST,
            joins = crate::products::queries::MAPPING_JOINS,
            supplier = crate::products::queries::MAPPED_SUPPLIER,
        )
    });
    Ok(conn
        .prepare_cached(&WAITING)?
        .query_map([supplier_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// The sub-orders paid in `[from, to)`, oldest first, one invoice line each.
pub fn invoice_lines(conn: &Connection, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<InvoiceLine>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT so.paid_at, st.name, o.name, s.name, so.supplier_order_id,
                    (SELECT GROUP_CONCAT(soi.quantity || ' x ' || COALESCE(li.sku, li.title), '; ')
                     FROM supplier_order_item soi JOIN line_item li ON li.id = soi.line_item_id WHERE soi.supplier_order_id = so.id),
                    so.product_cost_minor, so.shipping_cost_minor, so.cost_minor,
                    CASE WHEN s.kind NOT IN {} THEN 'billing' ELSE COALESCE(so.payment_method, 'wallet') END,
                    (SELECT a.name FROM address a WHERE a.order_id = o.id)
             FROM supplier_order so JOIN orders o ON o.id = so.order_id JOIN store st ON st.id = o.store_id
             JOIN supplier s ON s.id = so.supplier_id
             WHERE so.paid_at >= ?1 AND so.paid_at < ?2 AND so.cost_minor IS NOT NULL AND so.supplier_order_id IS NOT NULL
             ORDER BY so.paid_at, so.id",
            crate::suppliers::SupplierPlatform::balance_kinds_sql()
        ))?
        .query_map(params![from, to], |r| {
            Ok(InvoiceLine {
                paid_at: r.get(0)?,
                store_name: r.get(1)?,
                order_name: r.get(2)?,
                supplier_name: r.get(3)?,
                supplier_order_number: r.get(4)?,
                ship_to: r.get(10)?,
                items: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                products_minor: r.get(6)?,
                shipping_minor: r.get(7)?,
                total_minor: r.get(8)?,
                paid_with: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// The refunds to the wallet in `[from, to)` (positive; 0 when none).
pub fn refunds(conn: &Connection, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT SUM(amount_minor) FROM wallet_entry WHERE kind = 'refund' AND created_at >= ?1 AND created_at < ?2",
        )?
        .query_row(params![from, to], |r| r.get::<_, Option<i64>>(0))?
        .unwrap_or(0))
}
