//! Desktop notifications (the notification plugin; a missing notification daemon is logged,
//! never fatal).

use dropdock_core::tracking::ShipmentNotice;
use tauri::AppHandle;
use tauri_plugin_notification::NotificationExt;

pub fn notify(app: &AppHandle, title: &str, body: &str) {
    if let Err(e) = app.notification().builder().title(title).body(body).show() {
        tracing::warn!(error = %e, "notification not shown");
    }
}

/// One notification per new shipment.
pub fn shipments(app: &AppHandle, notices: &[ShipmentNotice]) {
    for n in notices {
        notify(app, &format!("Order {} shipped", n.order_name), &format!("{} {}", n.company, n.tracking_number));
    }
}

/// After the network came back and the queue ran: what was sent, and what could not go.
pub fn queue_ran(app: &AppHandle, result: &dropdock_core::offline::ShipOrdersResult) {
    if result.shipped.is_empty() && result.skipped.is_empty() {
        return;
    }
    let mut body = format!("{} queued order(s) sent to their suppliers.", result.shipped.len());
    if !result.skipped.is_empty() {
        body.push_str(&format!(" {} could not go: see the Order page.", result.skipped.len()));
    }
    notify(app, "Back online", &body);
}
