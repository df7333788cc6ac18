//! The tracking poller: ask suppliers for tracking numbers of sub-orders they have, record each
//! shipment once, and push it to the store (Shopify `fulfillmentCreate`, WooCommerce
//! fulfillments / Shipment Tracking / a note, Etsy `createReceiptShipment`) so the order becomes
//! Fulfilled there. Safe to rerun at any point: a shipment row is unique per sub-order, and each
//! store push first looks for a fulfilment already carrying the tracking number.
//!
//! A supplier sometimes replaces a tracking number (a new last-mile carrier): shipped sub-orders
//! are asked again every [`RECHECK_AFTER`] for [`RECHECK_FOR_DAYS`] days, and a changed number
//! updates the store's fulfilment instead of adding one.

use chrono::Utc;
use rusqlite::params;
use serde::Serialize;

use crate::carriers::{map_carrier_with, mappings};
use crate::context::Ctx;
use crate::error::Result;
use crate::stores::{ShippedLine, TrackingInfo};
use crate::sub_order::{SubOrderState, Transition};
use crate::sync::refresh_order_status;

/// A shipment seen for the first time: what the tray notification says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ShipmentNotice {
    pub order_id: i64,
    pub order_name: String,
    pub tracking_number: String,
    /// The carrier as the store knows it (Shopify's exact name when on its list).
    pub company: String,
    pub url: String,
}

/// What one poll did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct TrackReport {
    /// Sub-orders asked about.
    pub checked: u32,
    pub new_shipments: Vec<ShipmentNotice>,
    /// Shipments the store accepted in this poll.
    pub pushed: u32,
    /// One line per sub-order or shipment that could not be handled; the rest went on.
    pub errors: Vec<String>,
}

/// How long after its last check a shipped sub-order is asked about again.
pub const RECHECK_AFTER: chrono::Duration = chrono::Duration::hours(6);
/// For how many days after it shipped a sub-order's tracking number is rechecked.
pub const RECHECK_FOR_DAYS: i64 = 30;

/// One poll over every supplier and store.
pub async fn poll_once(dd: &Ctx) -> Result<TrackReport> {
    let mut report = TrackReport::default();
    let table = dd.db.read(mappings)?;
    recheck_shipped(dd, &table, &mut report).await?;
    // 1. Ask the suppliers about sub-orders they have and that have not shipped yet.
    let pending: Vec<(i64, i64, i64, String, String)> = dd.db.read(|c| {
        let mut stmt = c.prepare(&format!(
            "SELECT so.id, so.order_id, so.supplier_id, so.supplier_order_id, o.name
             FROM supplier_order so JOIN orders o ON o.id = so.order_id
             LEFT JOIN shipment sh ON sh.supplier_order_id = so.id
             WHERE so.state IN {} AND so.supplier_order_id IS NOT NULL AND sh.id IS NULL",
            SubOrderState::sql_set(SubOrderState::awaits_shipment)
        ))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    })?;
    for (sub_id, order_id, supplier_id, supplier_order_id, order_name) in pending {
        report.checked += 1;
        let detail = match dd.supplier_client(supplier_id)?.order_detail(&supplier_order_id).await {
            Ok(Some(detail)) => detail,
            Ok(None) => {
                report.errors.push(format!("{order_name}: the supplier does not know order {supplier_order_id}"));
                continue;
            }
            Err(e) => {
                report.errors.push(format!("{order_name}: {e}"));
                continue;
            }
        };
        let Some(number) = detail.track_number else { continue };
        let carrier = carrier_of(dd, supplier_id, &number, detail.logistic_name).await;
        let mapped = map_carrier_with(&table, &carrier, &number);
        let inserted = dd.db.write(|tx| {
            let n = tx.execute(
                "INSERT OR IGNORE INTO shipment (supplier_order_id, tracking_number, carrier, tracking_company, tracking_url, detected_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![sub_id, number, carrier, mapped.company, mapped.url, Utc::now()],
            )?;
            tx.execute(
                &format!("UPDATE supplier_order SET state=?3, updated_at=?2 WHERE id=?1 AND {}", Transition::Shipped.guard()),
                params![sub_id, Utc::now(), Transition::Shipped.to()],
            )?;
            refresh_order_status(tx, order_id)?;
            crate::search::reindex_order(tx, order_id)?;
            Ok(n == 1)
        })?;
        if inserted {
            report.new_shipments.push(ShipmentNotice {
                order_id,
                order_name,
                tracking_number: number,
                company: mapped.company,
                url: mapped.url,
            });
        }
    }
    // 2. Push every shipment the store has not accepted yet.
    // New shipments, and shipments whose tracking number the supplier replaced.
    struct Unpushed {
        shipment_id: i64,
        sub_id: i64,
        order_id: i64,
        store_id: i64,
        remote_id: String,
        order_name: String,
        tracking: TrackingInfo,
    }
    let unpushed: Vec<Unpushed> = dd.db.read(|c| {
        let mut stmt = c.prepare(&format!(
            "SELECT sh.id, so.id, o.id, o.store_id, o.remote_id, o.name, sh.tracking_number, sh.carrier, sh.replaced_tracking_number,
                    NOT EXISTS (SELECT 1 FROM supplier_order other LEFT JOIN shipment osh ON osh.supplier_order_id = other.id
                                WHERE other.order_id = o.id AND other.id <> so.id AND other.state IN {}
                                  AND osh.pushed_at IS NULL)
             FROM shipment sh JOIN supplier_order so ON so.id = sh.supplier_order_id JOIN orders o ON o.id = so.order_id
             WHERE sh.pushed_at IS NULL OR sh.replaced_tracking_number IS NOT NULL",
            SubOrderState::sql_set(SubOrderState::is_active)
        ))?;
        let rows = stmt
            .query_map([], |r| {
                let number: String = r.get(6)?;
                let carrier: String = r.get(7)?;
                let mapped = map_carrier_with(&table, &carrier, &number);
                Ok(Unpushed {
                    shipment_id: r.get(0)?,
                    sub_id: r.get(1)?,
                    order_id: r.get(2)?,
                    store_id: r.get(3)?,
                    remote_id: r.get(4)?,
                    order_name: r.get(5)?,
                    tracking: TrackingInfo {
                        number,
                        company: mapped.company,
                        url: mapped.url,
                        etsy_carrier: mapped.etsy_carrier,
                        woo_provider: mapped.woo_provider,
                        replaces: r.get(8)?,
                        completes_order: r.get(9)?,
                    },
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    })?;
    for Unpushed { shipment_id, sub_id, order_id, store_id, remote_id, order_name, tracking } in unpushed {
        let lines: Vec<ShippedLine> = dd.db.read(|c| {
            let mut stmt = c.prepare(
                "SELECT li.remote_id, soi.quantity FROM supplier_order_item soi JOIN line_item li ON li.id = soi.line_item_id WHERE soi.supplier_order_id = ?1",
            )?;
            let rows = stmt.query_map([sub_id], |r| Ok(ShippedLine { line_item_remote_id: r.get(0)?, quantity: r.get(1)? }))?.collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        })?;
        let store = dd.store_connector(store_id)?;
        let result = store.push_tracking(&remote_id, &lines, &tracking).await;
        dd.db.write(|tx| {
            match &result {
                Ok(fulfillment_id) => {
                    tx.execute(
                        "UPDATE shipment SET pushed_at=COALESCE(pushed_at, ?2), store_fulfillment_id=?3, push_error=NULL,
                                replaced_tracking_number=NULL, tracking_company=?4, tracking_url=?5
                         WHERE id=?1",
                        params![shipment_id, Utc::now(), fulfillment_id, tracking.company, tracking.url],
                    )?;
                }
                Err(e) => {
                    tx.execute("UPDATE shipment SET push_error=?2 WHERE id=?1", params![shipment_id, e.to_string()])?;
                }
            }
            refresh_order_status(tx, order_id)?;
            Ok(())
        })?;
        match result {
            Ok(_) => report.pushed += 1,
            Err(e) => report.errors.push(format!("{order_name}: tracking not accepted by the store: {e}")),
        }
    }
    Ok(report)
}

/// Asks the suppliers again about sub-orders shipped in the last [`RECHECK_FOR_DAYS`] days and
/// not checked for [`RECHECK_AFTER`]: a replaced tracking number is recorded (the old one kept in
/// `replaced_tracking_number` until the store has the new one) and reported as a new shipment; a
/// parcel the supplier reports `DELIVERED` makes its sub-order `delivered` (and the order
/// Delivered once all are), after which it is not asked about again.
async fn recheck_shipped(dd: &Ctx, table: &[crate::carriers::CarrierMapping], report: &mut TrackReport) -> Result<()> {
    let now = Utc::now();
    /// shipment id, sub-order id, order id, supplier id, supplier order id, order name, number, carrier.
    type Due = (i64, i64, i64, i64, String, String, String, String);
    let due: Vec<Due> = dd.db.read(|c| {
        let mut stmt = c.prepare(&format!(
            "SELECT sh.id, so.id, so.order_id, so.supplier_id, so.supplier_order_id, o.name, sh.tracking_number, sh.carrier
             FROM shipment sh JOIN supplier_order so ON so.id = sh.supplier_order_id JOIN orders o ON o.id = so.order_id
             WHERE so.{} AND so.supplier_order_id IS NOT NULL AND sh.detected_at >= ?1
               AND (sh.checked_at IS NULL OR sh.checked_at < ?2) AND sh.replaced_tracking_number IS NULL",
            Transition::Delivered.guard()
        ))?;
        let rows = stmt
            .query_map(params![now - chrono::Duration::days(RECHECK_FOR_DAYS), now - RECHECK_AFTER], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    })?;
    for (shipment_id, sub_id, order_id, supplier_id, supplier_order_id, order_name, old_number, old_carrier) in due {
        report.checked += 1;
        let detail = match dd.supplier_client(supplier_id)?.order_detail(&supplier_order_id).await {
            Ok(Some(detail)) => detail,
            Ok(None) => continue,
            Err(e) => {
                report.errors.push(format!("{order_name}: {e}"));
                continue;
            }
        };
        let delivered = detail.status == crate::suppliers::cj::CjOrderStatus::Delivered;
        let new_number = detail.track_number.filter(|n| *n != old_number);
        let carrier = detail.logistic_name.unwrap_or(old_carrier);
        let changed = dd.db.write(|tx| {
            tx.execute("UPDATE shipment SET checked_at=?2 WHERE id=?1", params![shipment_id, Utc::now()])?;
            if delivered {
                tx.execute(
                    &format!(
                        "UPDATE supplier_order SET state=?3, updated_at=?2 WHERE id=?1 AND {}",
                        Transition::Delivered.guard()
                    ),
                    params![sub_id, Utc::now(), Transition::Delivered.to()],
                )?;
                refresh_order_status(tx, order_id)?;
            }
            let Some(number) = &new_number else { return Ok(None) };
            let mapped = map_carrier_with(table, &carrier, number);
            tx.execute(
                "UPDATE shipment SET replaced_tracking_number=tracking_number, tracking_number=?2, carrier=?3,
                        tracking_company=?4, tracking_url=?5, notified_at=NULL
                 WHERE id=?1",
                params![shipment_id, number, carrier, mapped.company, mapped.url],
            )?;
            crate::search::reindex_order(tx, order_id)?;
            Ok(Some(mapped))
        })?;
        if let (Some(mapped), Some(number)) = (changed, new_number) {
            report.new_shipments.push(ShipmentNotice {
                order_id,
                order_name,
                tracking_number: number,
                company: mapped.company,
                url: mapped.url,
            });
        }
    }
    Ok(())
}

/// The carrier of a new tracking number: what CJ's `logistic/trackInfo` says carries it (its
/// last-mile carrier, else its line), else the line of `getOrderDetail`, else `Other`. A failed
/// trackInfo call is logged and falls back: the shipment is not held up for the carrier's name.
async fn carrier_of(dd: &Ctx, supplier_id: i64, number: &str, logistic_name: Option<String>) -> String {
    let tracked = match dd.supplier_client(supplier_id) {
        Ok(client) => match client.track_info(number).await {
            Ok(info) => info.and_then(|i| i.carrier),
            Err(e) => {
                tracing::info!(error = %e, "trackInfo failed; the carrier comes from the order's line");
                None
            }
        },
        Err(_) => None,
    };
    tracked.or(logistic_name).unwrap_or_else(|| "Other".into())
}
