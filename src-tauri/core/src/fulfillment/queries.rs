//! The fulfillment area's SQL: an order's plan (head, mapped lines, suppliers already sent),
//! the hold columns, and the sub-order rows of one "Ship order": created in `submitting`
//! before any call, then moved by [`Transition`] guards, so a late or repeated reply changes
//! nothing (exactly once across crashes: `cli/tests/crash.rs`).

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::{HoldKind, PlannedItem};
use crate::error::{CoreError, Result};
use crate::fulfillment::sub_order::{SubOrderState, Transition};
use crate::suppliers::cj::CJ_CURRENCY;

/// Writes the order's hold (kind, English sentence, values as JSON), unless it is there already.
pub fn store_hold(conn: &Connection, order_id: i64, kind: HoldKind, reason: &str, params_json: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE orders SET hold_kind = ?2, hold_reason = ?3, hold_params = ?4 WHERE id = ?1
           AND (hold_kind IS NOT ?2 OR hold_reason IS NOT ?3 OR hold_params IS NOT ?4)",
    )?
    .execute(params![order_id, kind.as_str(), reason, params_json])?;
    Ok(())
}

/// The order's stored hold kind, as its name.
pub fn hold_kind(conn: &Connection, order_id: i64) -> Result<Option<String>> {
    Ok(conn.prepare_cached("SELECT hold_kind FROM orders WHERE id = ?1")?.query_row([order_id], |r| r.get(0))?)
}

/// The order's hold params as stored (JSON object of strings), `None` without a hold.
pub fn hold_params(conn: &Connection, order_id: i64) -> Result<Option<super::HoldParams>> {
    let text: Option<String> = conn
        .prepare_cached("SELECT hold_params FROM orders WHERE id = ?1")?
        .query_row([order_id], |r| r.get(0))
        .optional()?
        .flatten();
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
}

/// Clears the order's hold.
pub fn clear_hold(conn: &Connection, order_id: i64) -> Result<()> {
    conn.prepare_cached("UPDATE orders SET hold_kind = NULL, hold_reason = NULL, hold_params = NULL WHERE id = ?1")?
        .execute([order_id])?;
    Ok(())
}

/// Orders not with their suppliers (awaiting payment, To order, failed).
pub fn orders_not_sent(conn: &Connection) -> Result<Vec<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM orders WHERE status IN ('awaiting_payment', 'to_order', 'failed')")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Sets a one-off marker setting to `1` (a backfill that ran).
pub fn mark_setting(conn: &Connection, key: &str) -> Result<()> {
    conn.prepare_cached("INSERT INTO setting (key, value) VALUES (?1, '1')")?.execute([key])?;
    Ok(())
}

/// What planning reads of the order itself.
pub struct OrderHead {
    pub order_name: String,
    pub store_id: i64,
    pub remote_id: String,
    /// The store's financial status as it sent it (`PAID`, `pending`...).
    pub financial: String,
    pub email: Option<String>,
    pub merchant_hold_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    /// The store's fraud analysis, when it gave one.
    pub risk: Option<crate::model::OrderRisk>,
    /// The merchant released the order after its risk hold.
    pub risk_accepted: bool,
}

/// The phone the merchant set for orders that have none (Auto Fulfillment settings), if any.
pub fn default_phone(conn: &Connection) -> Result<Option<String>> {
    let phone: Option<Option<String>> = conn
        .prepare_cached("SELECT default_phone FROM auto_fulfillment WHERE id = 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    Ok(phone.flatten().filter(|p| !p.trim().is_empty()))
}

/// The platform of a connected supplier (`supplier.kind`). Errors: `NotFound`.
pub fn supplier_platform(conn: &Connection, supplier_id: i64) -> Result<crate::suppliers::SupplierPlatform> {
    let kind: Option<String> = conn
        .prepare_cached("SELECT kind FROM supplier WHERE id = ?1")?
        .query_row([supplier_id], |r| r.get(0))
        .optional()?;
    crate::suppliers::SupplierPlatform::parse(
        &kind.ok_or_else(|| CoreError::NotFound(format!("supplier {supplier_id}")))?,
    )
}

/// The order's head. Errors: `NotFound` for an unknown id.
pub fn order_head(conn: &Connection, order_id: i64) -> Result<OrderHead> {
    conn.prepare_cached(
        "SELECT name, store_id, remote_id, financial_status, email, merchant_hold_at, cancelled_at,
                risk_recommendation, risk_level, risk_accepted_at IS NOT NULL
         FROM orders WHERE id = ?1",
    )?
    .query_row([order_id], |r| {
        Ok(OrderHead {
            order_name: r.get(0)?,
            store_id: r.get(1)?,
            remote_id: r.get(2)?,
            financial: r.get(3)?,
            email: r.get(4)?,
            merchant_hold_at: r.get(5)?,
            cancelled_at: r.get(6)?,
            risk: r
                .get::<_, Option<String>>(7)?
                .map(|recommendation| crate::model::OrderRisk { recommendation, level: r.get(8).ok().flatten() }),
            risk_accepted: r.get(9)?,
        })
    })
    .optional()?
    .ok_or_else(|| CoreError::NotFound(format!("order {order_id} not found")))
}

/// The suppliers that already hold their sub-order of the order.
pub fn suppliers_with_sub_order(conn: &Connection, order_id: i64) -> Result<Vec<i64>> {
    // Planned for every order a sync touches (holds are refreshed): the SQL is built once.
    static SENT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "SELECT supplier_id FROM supplier_order WHERE order_id = ?1 AND state IN {}",
            SubOrderState::sql_set(SubOrderState::is_with_supplier)
        )
    });
    Ok(conn.prepare_cached(&SENT)?.query_map([order_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?)
}

/// A line item that ships, with its mapped supplier variant when there is one.
pub struct PlanLine {
    pub line_item_id: i64,
    pub sku: Option<String>,
    pub title: String,
    pub quantity: i64,
    pub supplier_id: Option<i64>,
    pub supplier_name: Option<String>,
    pub variant_id: Option<String>,
    /// The mapped cost per unit (US cents).
    pub cost_minor: Option<i64>,
    /// The mapping is the store variant's own (by its ids, every destination): its options
    /// and parts are read with `products::queries::mapping_options`.
    pub by_variant: bool,
    pub store_id: i64,
    pub store_product_id: String,
    pub store_variant_id: String,
}

static PLAN_LINES: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    use crate::products::queries::{MAPPED_COST, MAPPED_SUPPLIER, MAPPED_VARIANT, MAPPING_JOINS};
    format!(
        "SELECT li.id, li.sku, li.title, li.quantity, {MAPPED_SUPPLIER}, s.name, {MAPPED_VARIANT}, {MAPPED_COST},
                vc.supplier_id IS NULL AND vm.supplier_id IS NOT NULL, o.store_id, IFNULL(li.store_product_id, ''),
                IFNULL(li.store_variant_id, '')
         FROM line_item li JOIN orders o ON o.id = li.order_id
         {MAPPING_JOINS}
         LEFT JOIN supplier s ON s.id = {MAPPED_SUPPLIER}
         WHERE li.order_id = ?1 AND li.requires_shipping = 1 AND li.quantity > 0
         ORDER BY li.position"
    )
});

/// The order's line items that require shipping (quantity above zero), in the store's order,
/// each with the supplier variant its store variant (else its SKU) is mapped to.
pub fn plan_lines(conn: &Connection, order_id: i64) -> Result<Vec<PlanLine>> {
    Ok(conn
        .prepare_cached(&PLAN_LINES)?
        .query_map([order_id], |r| {
            Ok(PlanLine {
                line_item_id: r.get(0)?,
                sku: r.get(1)?,
                title: r.get(2)?,
                quantity: r.get(3)?,
                supplier_id: r.get(4)?,
                supplier_name: r.get(5)?,
                variant_id: r.get(6)?,
                cost_minor: r.get(7)?,
                by_variant: r.get(8)?,
                store_id: r.get(9)?,
                store_product_id: r.get(10)?,
                store_variant_id: r.get(11)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// The items recorded on the order's original sub-orders that are with their supplier (paid,
/// shipped, delivered) or whose sending is in flight (submitting, ambiguous, submitted), as
/// `(state, supplier id, supplier name, item)`, by sub-order and line. Original sub-orders only:
/// a replacement (a resend) ships again what its original shipped.
pub fn recorded_items(conn: &Connection, order_id: i64) -> Result<Vec<(SubOrderState, i64, String, PlannedItem)>> {
    // Planned for every order a sync touches (holds are refreshed): the SQL is built once.
    static RECORDED: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "SELECT so.state, so.supplier_id, s.name, soi.line_item_id, soi.variant_id, soi.quantity, soi.line_quantity,
                    soi.priority, soi.backup_reason
             FROM supplier_order_item soi JOIN supplier_order so ON so.id = soi.supplier_order_id
             JOIN supplier s ON s.id = so.supplier_id
             WHERE so.order_id = ?1 AND so.replaces_id IS NULL AND so.state IN {}
             ORDER BY so.id, soi.line_item_id, soi.rowid",
            SubOrderState::sql_set(|s| s.is_with_supplier() || s.needs_lookup() || s == SubOrderState::Submitted)
        )
    });
    Ok(conn
        .prepare_cached(&RECORDED)?
        .query_map([order_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                PlannedItem {
                    line_item_id: r.get(3)?,
                    variant_id: r.get(4)?,
                    quantity: r.get(5)?,
                    line_quantity: r.get(6)?,
                    priority: r.get(7)?,
                    backup_reason: r.get(8)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Takes the line items that now go to `supplier_id` off the order's other sub-orders that
/// never reached their supplier (failed, pending, cancelled): a line sent through a backup at
/// another supplier leaves nothing behind there. Such a sub-order left with no item is
/// cancelled, so it no longer counts toward the order's status.
pub fn move_lines_off_other_sub_orders(
    conn: &Connection,
    order_id: i64,
    supplier_id: i64,
    lines: &[i64],
) -> Result<()> {
    let free = SubOrderState::sql_set(|s| {
        matches!(s, SubOrderState::Failed | SubOrderState::Pending | SubOrderState::Cancelled)
    });
    let mut delete = conn.prepare_cached(&format!(
        "DELETE FROM supplier_order_item WHERE line_item_id = ?3 AND supplier_order_id IN
           (SELECT id FROM supplier_order WHERE order_id = ?1 AND supplier_id <> ?2 AND state IN {free})"
    ))?;
    for line in lines {
        delete.execute(params![order_id, supplier_id, line])?;
    }
    conn.prepare_cached(&format!(
        "UPDATE supplier_order SET state = '{}', updated_at = ?3
         WHERE order_id = ?1 AND supplier_id <> ?2 AND {}
           AND NOT EXISTS (SELECT 1 FROM supplier_order_item soi WHERE soi.supplier_order_id = supplier_order.id)",
        Transition::Cancelled.to().as_str(),
        Transition::Cancelled.guard(),
    ))?
    .execute(params![order_id, supplier_id, chrono::Utc::now()])?;
    Ok(())
}

/// The merchant's default shipping lines to a country (ISO 3166-1 alpha-2), in order.
pub fn shipping_rule(conn: &Connection, country: &str) -> Result<Vec<String>> {
    Ok(conn
        .prepare_cached("SELECT logistic_name FROM shipping_rule WHERE country_code = ?1 ORDER BY position")?
        .query_map([country], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// A sub-order row already there for this order and supplier.
pub struct ExistingSubOrder {
    pub id: i64,
    pub key: String,
    pub state: SubOrderState,
    pub supplier_order_id: Option<String>,
    pub cost_minor: Option<i64>,
}

/// The order's sub-order at this supplier, if one was ever written.
pub fn sub_order_of(conn: &Connection, order_id: i64, supplier_id: i64) -> Result<Option<ExistingSubOrder>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, idempotency_key, state, supplier_order_id, cost_minor FROM supplier_order
             WHERE order_id = ?1 AND supplier_id = ?2 AND replaces_id IS NULL",
        )?
        .query_row(params![order_id, supplier_id], |r| {
            Ok(ExistingSubOrder {
                id: r.get(0)?,
                key: r.get(1)?,
                state: r.get(2)?,
                supplier_order_id: r.get(3)?,
                cost_minor: r.get(4)?,
            })
        })
        .optional()?)
}

/// What a send writes on its sub-order row: the number sent as, the shipping line, how it is
/// paid (`wallet` or `card`), and when.
pub struct Send<'a> {
    pub key: &'a str,
    pub shipping_line: &'a str,
    pub payment_method: &'a str,
    pub now: DateTime<Utc>,
}

/// Moves an existing sub-order back to `submitting` for another send; its supplier order id is
/// kept only when `keep_supplier_order` (the retry pays that order instead of creating one).
pub fn resend_sub_order(conn: &Connection, sub_id: i64, send: &Send, keep_supplier_order: bool) -> Result<()> {
    conn.prepare_cached(
        "UPDATE supplier_order SET state=?7, idempotency_key=?2, shipping_line=?3, error=NULL,
           cancel_answer=NULL, payment_method=?4, updated_at=?5,
           supplier_order_id = CASE WHEN ?6 THEN supplier_order_id END
         WHERE id=?1",
    )?
    .execute(params![
        sub_id,
        send.key,
        send.shipping_line,
        send.payment_method,
        send.now,
        keep_supplier_order,
        Transition::Send.to()
    ])?;
    Ok(())
}

/// Writes a new sub-order in `submitting`; returns its id.
pub fn insert_sub_order(conn: &Connection, order_id: i64, supplier_id: i64, send: &Send) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO supplier_order (order_id, supplier_id, idempotency_key, state, shipping_line, payment_method, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?7, ?4, ?5, ?6, ?6)",
    )?
    .execute(params![order_id, supplier_id, send.key, send.shipping_line, send.payment_method, send.now, Transition::Send.to()])?;
    Ok(conn.last_insert_rowid())
}

/// Sets the sub-order's items (line item, supplier variant, quantity), replacing any earlier.
pub fn replace_items(conn: &Connection, sub_id: i64, items: &[PlannedItem]) -> Result<()> {
    conn.prepare_cached("DELETE FROM supplier_order_item WHERE supplier_order_id = ?1")?.execute([sub_id])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO supplier_order_item (supplier_order_id, line_item_id, variant_id, quantity, line_quantity, priority,
             backup_reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (supplier_order_id, line_item_id, variant_id) DO UPDATE SET quantity = quantity + excluded.quantity",
    )?;
    for item in items {
        insert.execute(params![
            sub_id,
            item.line_item_id,
            item.variant_id,
            item.quantity,
            item.line_quantity,
            item.priority,
            item.backup_reason
        ])?;
    }
    Ok(())
}

/// A supplier order that is paid: its number, charge and (when the supplier said) postage, in
/// minor units.
pub struct Paid<'a> {
    pub id: &'a str,
    pub amount_minor: i64,
    pub shipping_minor: Option<i64>,
}

/// Records an order the supplier created but has not been paid for yet (`payType` 3): state
/// `submitted`, with its id and amount, so a retry pays it instead of creating it again.
pub fn record_created(
    tx: &rusqlite::Transaction<'_>,
    sub_id: i64,
    supplier_order_id: &str,
    amount_minor: i64,
) -> Result<()> {
    tx.prepare_cached(&format!(
        "UPDATE supplier_order SET state=?6, supplier_order_id=?2, cost_minor=?3, currency=?4, error=NULL, updated_at=?5
         WHERE id=?1 AND {}",
        Transition::Created.guard()
    ))?
    .execute(params![
        sub_id,
        supplier_order_id,
        amount_minor,
        CJ_CURRENCY,
        Utc::now(),
        Transition::Created.to()
    ])?;
    Ok(())
}

/// Records a supplier's acceptance: id, charge, state `paid`, and, when paid from My Wallet, the
/// wallet charge in the same transaction so the ledger never disagrees with the sub-orders; the
/// cached balance is lowered with it (never below zero: the next refresh brings the supplier's
/// figure). Only the first record of a sub-order counts, however many workers get its reply. A
/// card payment leaves the wallet alone (the sub-order's `payment_method` says `card`).
pub fn record_paid(
    tx: &rusqlite::Transaction<'_>,
    sub_id: i64,
    supplier_id: i64,
    order: &Paid,
    payment_method: &str,
) -> Result<()> {
    let now = Utc::now();
    let (supplier_order_id, amount_minor) = (order.id, order.amount_minor);
    let shipping = order.shipping_minor.filter(|s| (0..=amount_minor).contains(s));
    let changed = tx
        .prepare_cached(&format!(
            "UPDATE supplier_order SET state=?8, supplier_order_id=?2, cost_minor=?3, currency=?4, error=NULL, updated_at=?5,
                    payment_method=?6, paid_at=?5, shipping_cost_minor=?7, product_cost_minor=?3 - ?7
             WHERE id=?1 AND {}",
            Transition::Paid.guard()
        ))?
        .execute(params![
            sub_id,
            supplier_order_id,
            amount_minor,
            CJ_CURRENCY,
            now,
            payment_method,
            shipping,
            Transition::Paid.to()
        ])?;
    if changed == 1 && payment_method == "wallet" {
        tx.prepare_cached(
            "INSERT INTO wallet_entry (supplier_id, kind, amount_minor, currency, supplier_order_id, note, created_at)
             VALUES (?1, 'charge', ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            supplier_id,
            -amount_minor,
            CJ_CURRENCY,
            sub_id,
            format!("order {supplier_order_id}"),
            now
        ])?;
        tx.prepare_cached("UPDATE supplier SET balance_minor = MAX(balance_minor - ?2, 0) WHERE id = ?1")?
            .execute(params![supplier_id, amount_minor])?;
    }
    Ok(())
}

/// Records a send that did not end paid: `transition` is [`Transition::Unknown`],
/// [`Transition::Unreachable`] or [`Transition::Refused`], with the error kept for the merchant.
/// Guarded: a sub-order another worker recorded as paid meanwhile stays paid.
pub fn record_failure(
    tx: &rusqlite::Transaction<'_>,
    sub_id: i64,
    transition: Transition,
    e: &CoreError,
) -> Result<()> {
    tx.prepare_cached(&format!(
        "UPDATE supplier_order SET state=?2, error=?3, updated_at=?4 WHERE id=?1 AND {}",
        transition.guard()
    ))?
    .execute(params![sub_id, transition.to(), e.to_string(), Utc::now()])?;
    Ok(())
}
