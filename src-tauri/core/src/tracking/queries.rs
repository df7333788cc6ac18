//! The tracking area's SQL: sub-orders waiting for a tracking number, shipments not yet with the
//! store, and shipped parcels due for a recheck. One statement per function; the state changes go
//! through [`Transition`] guards, so a rerun never moves a sub-order back.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};

use crate::error::Result;
use crate::fulfillment::sub_order::{SubOrderState, Transition};

/// A sub-order the supplier has and that has no shipment yet.
pub struct AwaitingShipment {
    pub sub_id: i64,
    pub order_id: i64,
    pub supplier_id: i64,
    pub supplier_order_id: String,
    pub order_name: String,
}

/// Every sub-order with its supplier that has not shipped yet (at a connected supplier: a
/// disconnected account is not asked).
pub fn awaiting_shipment(conn: &Connection) -> Result<Vec<AwaitingShipment>> {
    let sql = format!(
        "SELECT so.id, so.order_id, so.supplier_id, so.supplier_order_id, o.name
         FROM supplier_order so JOIN orders o ON o.id = so.order_id JOIN supplier s ON s.id = so.supplier_id
         LEFT JOIN shipment sh ON sh.supplier_order_id = so.id
         WHERE so.state IN {} AND so.supplier_order_id IS NOT NULL AND sh.id IS NULL AND s.disconnected_at IS NULL",
        SubOrderState::sql_set(SubOrderState::awaits_shipment)
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_map([], |r| {
            Ok(AwaitingShipment {
                sub_id: r.get(0)?,
                order_id: r.get(1)?,
                supplier_id: r.get(2)?,
                supplier_order_id: r.get(3)?,
                order_name: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// A tracking number as stored: the supplier's carrier name and the store-side company and URL.
pub struct StoredTracking<'a> {
    pub number: &'a str,
    pub carrier: &'a str,
    pub company: &'a str,
    pub url: &'a str,
}

/// Records the sub-order's shipment (once: a second call changes nothing) and moves the
/// sub-order to shipped. Returns whether the shipment is new.
pub fn record_shipment(conn: &Connection, sub_id: i64, tracking: &StoredTracking, now: DateTime<Utc>) -> Result<bool> {
    let inserted = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO shipment (supplier_order_id, tracking_number, carrier, tracking_company, tracking_url, detected_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![sub_id, tracking.number, tracking.carrier, tracking.company, tracking.url, now])?;
    move_sub_order(conn, sub_id, Transition::Shipped, now)?;
    Ok(inserted == 1)
}

/// A replacement sub-order (a resend) ships again items the store already has as fulfilled with
/// the original's tracking number: its shipment replaces that number at the store (the store's
/// fulfilment is updated, never a second one made for the same items). Nothing for a sub-order
/// that replaces none, or whose original the store never got.
pub fn replace_original_at_store(conn: &Connection, sub_id: i64) -> Result<()> {
    conn.prepare_cached(
        "UPDATE shipment SET replaced_tracking_number =
           (SELECT osh.tracking_number FROM supplier_order so JOIN shipment osh ON osh.supplier_order_id = so.replaces_id
            WHERE so.id = ?1 AND osh.pushed_at IS NOT NULL)
         WHERE supplier_order_id = ?1 AND pushed_at IS NULL",
    )?
    .execute([sub_id])?;
    Ok(())
}

/// Moves a sub-order by `transition` when its guard allows (else leaves it as it is).
fn move_sub_order(conn: &Connection, sub_id: i64, transition: Transition, now: DateTime<Utc>) -> Result<()> {
    let sql = format!("UPDATE supplier_order SET state=?3, updated_at=?2 WHERE id=?1 AND {}", transition.guard());
    conn.prepare_cached(&sql)?.execute(params![sub_id, now, transition.to()])?;
    Ok(())
}

/// A shipment the store has not accepted yet (new, or its number replaced).
pub struct Unpushed {
    pub shipment_id: i64,
    pub sub_id: i64,
    pub order_id: i64,
    pub store_id: i64,
    pub remote_id: String,
    pub order_name: String,
    pub number: String,
    pub carrier: String,
    /// The number this one replaces at the store, if the supplier changed it.
    pub replaces: Option<String>,
    /// True when no other active sub-order of the order still waits for its push: this push
    /// completes the order at the store.
    pub completes_order: bool,
}

/// Every shipment not yet pushed, or pushed with a number since replaced.
pub fn unpushed(conn: &Connection) -> Result<Vec<Unpushed>> {
    let sql = format!(
        "SELECT sh.id, so.id, o.id, o.store_id, o.remote_id, o.name, sh.tracking_number, sh.carrier, sh.replaced_tracking_number,
                NOT EXISTS (SELECT 1 FROM supplier_order other LEFT JOIN shipment osh ON osh.supplier_order_id = other.id
                            WHERE other.order_id = o.id AND other.id <> so.id AND other.state IN {}
                              AND osh.pushed_at IS NULL)
         FROM shipment sh JOIN supplier_order so ON so.id = sh.supplier_order_id JOIN orders o ON o.id = so.order_id
         WHERE sh.pushed_at IS NULL OR sh.replaced_tracking_number IS NOT NULL",
        SubOrderState::sql_set(SubOrderState::is_active)
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_map([], |r| {
            Ok(Unpushed {
                shipment_id: r.get(0)?,
                sub_id: r.get(1)?,
                order_id: r.get(2)?,
                store_id: r.get(3)?,
                remote_id: r.get(4)?,
                order_name: r.get(5)?,
                number: r.get(6)?,
                carrier: r.get(7)?,
                replaces: r.get(8)?,
                completes_order: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// The store line items a sub-order ships, as `(line item remote id, quantity)`: the store's
/// quantity, whatever the supplier variants it ships as (a bundle is several rows of one line).
pub fn shipped_lines(conn: &Connection, sub_id: i64) -> Result<Vec<(String, i64)>> {
    Ok(conn
        .prepare_cached(
            "SELECT li.remote_id, MAX(soi.line_quantity) FROM supplier_order_item soi JOIN line_item li ON li.id = soi.line_item_id
             WHERE soi.supplier_order_id = ?1 GROUP BY soi.line_item_id ORDER BY soi.line_item_id",
        )?
        .query_map([sub_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// The store accepted the shipment as its fulfilment `fulfillment_id`: pushed (first time kept),
/// no error, no replaced number pending.
pub fn mark_pushed(
    conn: &Connection,
    shipment_id: i64,
    fulfillment_id: &str,
    company: &str,
    url: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE shipment SET pushed_at=COALESCE(pushed_at, ?2), store_fulfillment_id=?3, push_error=NULL,
                replaced_tracking_number=NULL, tracking_company=?4, tracking_url=?5
         WHERE id=?1",
    )?
    .execute(params![shipment_id, now, fulfillment_id, company, url])?;
    Ok(())
}

/// The store refused the shipment: the reason is kept and it is pushed again next poll.
pub fn mark_push_failed(conn: &Connection, shipment_id: i64, error: &str) -> Result<()> {
    conn.prepare_cached("UPDATE shipment SET push_error=?2 WHERE id=?1")?.execute(params![shipment_id, error])?;
    Ok(())
}

/// A shipped parcel due for a recheck with its supplier.
pub struct DueForRecheck {
    pub shipment_id: i64,
    pub sub_id: i64,
    pub order_id: i64,
    pub supplier_id: i64,
    pub supplier_order_id: String,
    pub order_name: String,
    pub number: String,
    pub carrier: String,
}

/// Shipments detected since `shipped_since`, not checked since `checked_before`, not delivered,
/// and with no replaced number still to push.
pub fn due_for_recheck(
    conn: &Connection,
    shipped_since: DateTime<Utc>,
    checked_before: DateTime<Utc>,
) -> Result<Vec<DueForRecheck>> {
    let sql = format!(
        "SELECT sh.id, so.id, so.order_id, so.supplier_id, so.supplier_order_id, o.name, sh.tracking_number, sh.carrier
         FROM shipment sh JOIN supplier_order so ON so.id = sh.supplier_order_id JOIN orders o ON o.id = so.order_id
         JOIN supplier s ON s.id = so.supplier_id
         WHERE so.{} AND so.supplier_order_id IS NOT NULL AND sh.detected_at >= ?1 AND s.disconnected_at IS NULL
           AND (sh.checked_at IS NULL OR sh.checked_at < ?2) AND sh.replaced_tracking_number IS NULL",
        Transition::Delivered.guard()
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_map(params![shipped_since, checked_before], |r| {
            Ok(DueForRecheck {
                shipment_id: r.get(0)?,
                sub_id: r.get(1)?,
                order_id: r.get(2)?,
                supplier_id: r.get(3)?,
                supplier_order_id: r.get(4)?,
                order_name: r.get(5)?,
                number: r.get(6)?,
                carrier: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// The shipment was asked about at `now`.
pub fn mark_checked(conn: &Connection, shipment_id: i64, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached("UPDATE shipment SET checked_at=?2 WHERE id=?1")?.execute(params![shipment_id, now])?;
    Ok(())
}

/// The supplier reports the parcel delivered: the sub-order becomes delivered.
pub fn mark_delivered(conn: &Connection, sub_id: i64, now: DateTime<Utc>) -> Result<()> {
    move_sub_order(conn, sub_id, Transition::Delivered, now)
}

/// The supplier replaced the number: the old one is kept as `replaced_tracking_number` until
/// the store has the new one, and the shipment is announced again.
pub fn replace_number(conn: &Connection, shipment_id: i64, tracking: &StoredTracking) -> Result<()> {
    conn.prepare_cached(
        "UPDATE shipment SET replaced_tracking_number=tracking_number, tracking_number=?2, carrier=?3,
                tracking_company=?4, tracking_url=?5, notified_at=NULL
         WHERE id=?1",
    )?
    .execute(params![shipment_id, tracking.number, tracking.carrier, tracking.company, tracking.url])?;
    Ok(())
}
