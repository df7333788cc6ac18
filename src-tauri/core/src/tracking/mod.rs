//! The tracking poller: ask suppliers for tracking numbers of sub-orders they have, record each
//! shipment once, and push it to the store (Shopify `fulfillmentCreate`, WooCommerce
//! fulfillments / Shipment Tracking / a note, Etsy `createReceiptShipment`) so the order becomes
//! Fulfilled there. Safe to rerun at any point: a shipment row is unique per sub-order, and each
//! store push first looks for a fulfilment already carrying the tracking number.
//!
//! A supplier sometimes replaces a tracking number (a new last-mile carrier): shipped sub-orders
//! are asked again every [`RECHECK_AFTER`] for [`RECHECK_FOR_DAYS`] days, and a changed number
//! updates the store's fulfilment instead of adding one.

pub mod carriers;
pub mod exceptions;
pub mod queries;

use chrono::Utc;
use serde::Serialize;

use crate::context::Ctx;
use crate::error::Result;
use crate::stores::sync::refresh_order_status;
use crate::stores::{ShippedLine, TrackingInfo};
use crate::tracking::carriers::{map_carrier_with, mappings};
use crate::tracking::queries::StoredTracking;

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
    /// Shipments that began to need attention in this poll (announced once per quiet spell).
    pub attention: Vec<exceptions::TrackingException>,
    /// Refund and replacement requests the suppliers answered in this poll.
    pub disputes: Vec<crate::orders::disputes::DisputeNotice>,
}

/// How long after its last check a shipped sub-order is asked about again.
pub const RECHECK_AFTER: chrono::Duration = chrono::Duration::hours(6);
/// For how many days after it shipped a sub-order's tracking number is rechecked.
pub const RECHECK_FOR_DAYS: i64 = 30;

/// One poll over every supplier and store.
pub async fn poll_once(dd: &Ctx) -> Result<TrackReport> {
    let mut report = TrackReport::default();
    let table = dd.db.read(mappings)?;
    // Requests first: a resend's replacement sub-order is then asked about in this same poll.
    report.disputes = crate::orders::disputes::follow_disputes(dd).await?;
    recheck_shipped(dd, &table, &mut report).await?;
    // 1. Ask the suppliers about sub-orders they have and that have not shipped yet.
    for sub in dd.db.read(queries::awaiting_shipment)? {
        report.checked += 1;
        let detail = match dd.supplier_client(sub.supplier_id)?.order_detail(&sub.supplier_order_id).await {
            Ok(Some(detail)) => detail,
            Ok(None) => {
                report
                    .errors
                    .push(format!("{}: the supplier does not know order {}", sub.order_name, sub.supplier_order_id));
                continue;
            }
            Err(e) => {
                report.errors.push(format!("{}: {e}", sub.order_name));
                continue;
            }
        };
        let Some(number) = detail.track_number else { continue };
        let carrier = carrier_of(dd, sub.supplier_id, &number, detail.carrier).await;
        let mapped = map_carrier_with(&table, &carrier, &number);
        let stored = StoredTracking { number: &number, carrier: &carrier, company: &mapped.company, url: &mapped.url };
        let inserted = dd.db.write(|tx| {
            let new = queries::record_shipment(tx, sub.sub_id, &stored, Utc::now())?;
            if new {
                queries::replace_original_at_store(tx, sub.sub_id)?;
            }
            refresh_order_status(tx, sub.order_id)?;
            crate::orders::search::reindex_order(tx, sub.order_id)?;
            Ok(new)
        })?;
        if inserted {
            report.new_shipments.push(ShipmentNotice {
                order_id: sub.order_id,
                order_name: sub.order_name,
                tracking_number: number,
                company: mapped.company,
                url: mapped.url,
            });
        }
    }
    // 2. Push every shipment the store has not accepted yet: new shipments, and shipments whose
    // tracking number the supplier replaced.
    for shipment in dd.db.read(queries::unpushed)? {
        let mapped = map_carrier_with(&table, &shipment.carrier, &shipment.number);
        let tracking = TrackingInfo {
            number: shipment.number,
            company: mapped.company,
            url: mapped.url,
            etsy_carrier: mapped.etsy_carrier,
            woo_provider: mapped.woo_provider,
            replaces: shipment.replaces,
            completes_order: shipment.completes_order,
        };
        let lines: Vec<ShippedLine> = dd
            .db
            .read(|c| queries::shipped_lines(c, shipment.sub_id))?
            .into_iter()
            .map(|(line_item_remote_id, quantity)| ShippedLine { line_item_remote_id, quantity })
            .collect();
        let store = dd.store_connector(shipment.store_id)?;
        let result = store.push_tracking(&shipment.remote_id, &lines, &tracking).await;
        dd.db.write(|tx| {
            match &result {
                Ok(fulfillment_id) => queries::mark_pushed(
                    tx,
                    shipment.shipment_id,
                    fulfillment_id,
                    &tracking.company,
                    &tracking.url,
                    Utc::now(),
                )?,
                Err(e) => queries::mark_push_failed(tx, shipment.shipment_id, &e.to_string())?,
            }
            refresh_order_status(tx, shipment.order_id)
        })?;
        match result {
            Ok(_) => report.pushed += 1,
            Err(e) => report.errors.push(format!("{}: tracking not accepted by the store: {e}", shipment.order_name)),
        }
    }
    // 3. Shipments that stopped moving, announced once per quiet spell.
    report.attention = dd.db.write(|tx| exceptions::take_new_attention(tx, Utc::now()))?;
    Ok(report)
}

/// Asks the suppliers again about sub-orders shipped in the last [`RECHECK_FOR_DAYS`] days and
/// not checked for [`RECHECK_AFTER`]: a replaced tracking number is recorded (the old one kept in
/// `replaced_tracking_number` until the store has the new one) and reported as a new shipment; a
/// parcel the supplier reports `DELIVERED` makes its sub-order `delivered` (and the order
/// Delivered once all are), after which it is not asked about again.
async fn recheck_shipped(
    dd: &Ctx,
    table: &[crate::tracking::carriers::CarrierMapping],
    report: &mut TrackReport,
) -> Result<()> {
    let now = Utc::now();
    let due = dd
        .db
        .read(|c| queries::due_for_recheck(c, now - chrono::Duration::days(RECHECK_FOR_DAYS), now - RECHECK_AFTER))?;
    for parcel in due {
        report.checked += 1;
        let detail = match dd.supplier_client(parcel.supplier_id)?.order_detail(&parcel.supplier_order_id).await {
            Ok(Some(detail)) => detail,
            Ok(None) => continue,
            Err(e) => {
                report.errors.push(format!("{}: {e}", parcel.order_name));
                continue;
            }
        };
        let delivered = detail.status == crate::suppliers::SupplierOrderStatus::Delivered;
        // What the carrier says now: a change is a tracking event (a lookup that fails is
        // logged; the shipment is only rechecked later).
        let said = match dd.supplier_client(parcel.supplier_id)?.track_info(&parcel.number).await {
            Ok(info) => info.and_then(|i| i.status),
            Err(e) => {
                tracing::info!(order = %parcel.order_name, error = %e, "tracking lookup failed");
                None
            }
        };
        let new_number = detail.track_number.filter(|n| *n != parcel.number);
        let carrier = detail.carrier.unwrap_or(parcel.carrier);
        let changed = dd.db.write(|tx| {
            queries::mark_checked(tx, parcel.shipment_id, Utc::now())?;
            if let Some(status) = &said {
                exceptions::record_event(tx, parcel.shipment_id, status, Utc::now())?;
            }
            if delivered {
                queries::mark_delivered(tx, parcel.sub_id, Utc::now())?;
                refresh_order_status(tx, parcel.order_id)?;
            }
            let Some(number) = &new_number else { return Ok(None) };
            let mapped = map_carrier_with(table, &carrier, number);
            let stored = StoredTracking { number, carrier: &carrier, company: &mapped.company, url: &mapped.url };
            queries::replace_number(tx, parcel.shipment_id, &stored)?;
            crate::orders::search::reindex_order(tx, parcel.order_id)?;
            Ok(Some(mapped))
        })?;
        if let (Some(mapped), Some(number)) = (changed, new_number) {
            report.new_shipments.push(ShipmentNotice {
                order_id: parcel.order_id,
                order_name: parcel.order_name,
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
