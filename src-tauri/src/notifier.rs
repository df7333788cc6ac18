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
