//! Desktop notifications (the notification plugin; a missing notification daemon is logged,
//! never fatal).

use dropdock_core::settings::locale::Text;
use dropdock_core::settings::notifications::NotificationSettings;
use dropdock_core::tracking::ShipmentNotice;
use tauri::{AppHandle, Manager};
use tauri_plugin_notification::NotificationExt;

/// `text` in the merchant's language (Settings; English when it cannot be read).
pub fn text(app: &AppHandle, text: Text<'_>) -> String {
    let state = app.state::<crate::state::AppState>();
    text.render(dropdock_core::settings::locale::language(&state.dd.db).unwrap_or_default())
}

pub fn notify(app: &AppHandle, title: &str, body: &str) {
    if let Err(e) = app.notification().builder().title(title).body(body).show() {
        tracing::warn!(error = %e, "notification not shown");
    }
}

/// The merchant's choices in Settings → Notifications (all on if they cannot be read).
fn wanted(app: &AppHandle) -> NotificationSettings {
    let state = app.state::<crate::state::AppState>();
    dropdock_core::settings::notifications::settings(&state.dd.db).unwrap_or(NotificationSettings {
        shipment: true,
        auto_paused: true,
        sync_failed: true,
        tracking_attention: true,
    })
}

/// One notification per new shipment, grouped when many arrive together ("12 orders
/// shipped"), unless the merchant turned shipment notifications off.
pub fn shipments(app: &AppHandle, notices: &[ShipmentNotice]) {
    if notices.is_empty() || !wanted(app).shipment {
        return;
    }
    let state = app.state::<crate::state::AppState>();
    let language = dropdock_core::settings::locale::language(&state.dd.db).unwrap_or_default();
    for n in dropdock_core::settings::notifications::shipment_notices_in(notices, language) {
        notify(app, &n.title, &n.body);
    }
}

/// Shipments that began to need attention in a poll, unless turned off.
pub fn tracking_attention(app: &AppHandle, shipments: &[dropdock_core::tracking::exceptions::TrackingException]) {
    if shipments.is_empty() || !wanted(app).tracking_attention {
        return;
    }
    let state = app.state::<crate::state::AppState>();
    let language = dropdock_core::settings::locale::language(&state.dd.db).unwrap_or_default();
    for n in dropdock_core::settings::notifications::attention_notices_in(shipments, language) {
        notify(app, &n.title, &n.body);
    }
}

/// Orders the store cancelled after they reached their suppliers: what came of each (cancelled
/// at the supplier, or too late: ask for a refund). Always shown: money is at stake.
pub fn cancelled_after_sending(app: &AppHandle, outcomes: &[dropdock_core::orders::cancellation::StoreCancelOutcome]) {
    for o in outcomes {
        notify(
            app,
            &text(app, Text::CancelledAfterSending(&o.order_name)),
            &format!("{}: {}", o.supplier_name, o.answer),
        );
    }
}

/// Suppliers' answers to refund and replacement requests. Always shown: money is at stake.
pub fn disputes(app: &AppHandle, notices: &[dropdock_core::orders::disputes::DisputeNotice]) {
    for n in notices {
        notify(app, &text(app, Text::DisputeAnswered(&n.order_name)), &n.answer);
    }
}

/// Auto Fulfillment paused itself, unless turned off.
pub fn auto_paused(app: &AppHandle, reason: &str) {
    if wanted(app).auto_paused {
        notify(app, &text(app, Text::AutoPaused), reason);
    }
}

/// A store's sync failed three times in a row, unless turned off.
pub fn sync_failing(app: &AppHandle, alert: &str) {
    if wanted(app).sync_failed {
        notify(app, &text(app, Text::SyncFailing), alert);
    }
}

/// After the network came back and the queue ran: what was sent, and what could not go.
pub fn queue_ran(app: &AppHandle, result: &dropdock_core::offline::ShipOrdersResult) {
    if result.shipped.is_empty() && result.skipped.is_empty() {
        return;
    }
    let mut body = text(app, Text::QueueSent(result.shipped.len()));
    if !result.skipped.is_empty() {
        body.push_str(&text(app, Text::QueueSkipped(result.skipped.len())));
    }
    notify(app, &text(app, Text::BackOnline), &body);
}
