//! The tracking poller: ask suppliers for tracking numbers of sub-orders they have, record each
//! shipment once, and push it to the store (Shopify `fulfillmentCreate`) so the order becomes
//! Fulfilled there. Safe to rerun at any point: a shipment row is unique per sub-order, and the
//! store push first looks for a fulfilment already carrying the tracking number.

use chrono::Utc;
use rusqlite::params;
use serde::Serialize;

use crate::app::Dropdock;
use crate::carriers::map_carrier;
use crate::error::Result;
use crate::stores::{ShippedLine, TrackingInfo};
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

/// One poll over every supplier and store.
pub async fn poll_once(dd: &Dropdock) -> Result<TrackReport> {
    let mut report = TrackReport::default();
    // 1. Ask the suppliers about sub-orders they have and that have not shipped yet.
    let pending: Vec<(i64, i64, i64, String, String)> = dd.db.read(|c| {
        let mut stmt = c.prepare(
            "SELECT so.id, so.order_id, so.supplier_id, so.supplier_order_id, o.name
             FROM supplier_order so JOIN orders o ON o.id = so.order_id
             LEFT JOIN shipment sh ON sh.supplier_order_id = so.id
             WHERE so.state IN ('submitted', 'paid') AND so.supplier_order_id IS NOT NULL AND sh.id IS NULL",
        )?;
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
        let carrier = detail.logistic_name.unwrap_or_else(|| "Other".into());
        let mapped = map_carrier(&carrier, &number);
        let inserted = dd.db.write(|tx| {
            let n = tx.execute(
                "INSERT OR IGNORE INTO shipment (supplier_order_id, tracking_number, carrier, tracking_company, tracking_url, detected_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![sub_id, number, carrier, mapped.company, mapped.url, Utc::now()],
            )?;
            tx.execute("UPDATE supplier_order SET state='shipped', updated_at=?2 WHERE id=?1", params![sub_id, Utc::now()])?;
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
        let mut stmt = c.prepare(
            "SELECT sh.id, so.id, o.id, o.store_id, o.remote_id, o.name, sh.tracking_number, sh.tracking_company, sh.tracking_url
             FROM shipment sh JOIN supplier_order so ON so.id = sh.supplier_order_id JOIN orders o ON o.id = so.order_id
             WHERE sh.pushed_at IS NULL",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Unpushed {
                    shipment_id: r.get(0)?,
                    sub_id: r.get(1)?,
                    order_id: r.get(2)?,
                    store_id: r.get(3)?,
                    remote_id: r.get(4)?,
                    order_name: r.get(5)?,
                    tracking: TrackingInfo { number: r.get(6)?, company: r.get(7)?, url: r.get(8)? },
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
                        "UPDATE shipment SET pushed_at=?2, store_fulfillment_id=?3, push_error=NULL WHERE id=?1",
                        params![shipment_id, Utc::now(), fulfillment_id],
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
