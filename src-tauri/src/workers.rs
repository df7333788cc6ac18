//! Background work spawned at start and stopped on exit: the tracking poller.

use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager};

use crate::state::{AppState, ORDERS_CHANGED};

/// How often suppliers are asked for tracking numbers (10 s on the sandbox, so the demo moves).
fn tracking_interval(on_sandbox: bool) -> Duration {
    if on_sandbox {
        Duration::from_secs(10)
    } else {
        Duration::from_secs(600)
    }
}

/// One tracking poll: records shipments, pushes them to the store, notifies, tells the UI.
pub async fn poll_tracking(app: &AppHandle) -> Result<dropdock_core::tracking::TrackReport, dropdock_core::CoreError> {
    let state = app.state::<AppState>();
    let report = state.dd.track().await?;
    crate::notifier::shipments(app, &report.new_shipments);
    if !report.new_shipments.is_empty() || report.pushed > 0 {
        let _ = app.emit(ORDERS_CHANGED, ());
    }
    for e in &report.errors {
        tracing::warn!("tracking: {e}");
    }
    Ok(report)
}

pub fn start(app: AppHandle) {
    let handle = app.clone();
    let tracking = tauri::async_runtime::spawn(async move {
        loop {
            let on_sandbox = handle.state::<AppState>().on_sandbox();
            tokio::time::sleep(tracking_interval(on_sandbox)).await;
            if let Err(e) = poll_tracking(&handle).await {
                tracing::warn!(error = %e, "tracking poll failed");
            }
        }
    });
    app.state::<AppState>().workers.lock().expect("workers lock").push(tracking);
}

pub fn stop(app: &AppHandle) {
    if let Some(state) = app.try_state::<AppState>() {
        for worker in state.workers.lock().expect("workers lock").drain(..) {
            worker.abort();
        }
    }
}
