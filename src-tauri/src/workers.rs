//! Background work spawned at start and stopped on exit: background store sync, the tracking
//! poller, Auto Fulfillment, and the network watcher that runs the actions queued while offline
//! once the accounts answer again.

use std::collections::BTreeSet;
use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager};

use crate::state::{AppState, DB_CHANGED, NETWORK_CHANGED};
use dropdock_core::settings::locale::Text;

/// How often the network is checked: often while offline or with queued actions, so they run
/// soon after the network returns; rarely otherwise (every failed call also marks it offline).
fn network_interval(online: bool, queued: i64) -> Duration {
    if online && queued == 0 {
        Duration::from_secs(30)
    } else {
        Duration::from_secs(5)
    }
}

/// Probes the accounts; when they answer, runs the queue. Tells the UI what changed.
pub async fn check_network(app: &AppHandle) {
    let state = app.state::<AppState>();
    match state.dd.probe_network().await {
        Ok(true) => {
            let _ = app.emit(NETWORK_CHANGED, ());
        }
        Ok(false) => {}
        Err(e) => tracing::warn!(error = %e, "network probe failed"),
    }
    let Ok(status) = state.dd.network_status() else { return };
    if status.online && status.queued > 0 {
        match state.dd.run_queue().await {
            Ok(result) => {
                tracing::info!(summary = %result.summary(), "queued actions ran");
                crate::notifier::queue_ran(app, &result);
            }
            Err(e) => tracing::warn!(error = %e, "queued actions failed"),
        }
        let _ = app.emit(NETWORK_CHANGED, ());
    }
}

/// How often suppliers are asked for tracking numbers (10 s on the sandbox, so the demo moves).
fn tracking_interval(on_sandbox: bool) -> Duration {
    if on_sandbox {
        Duration::from_secs(10)
    } else {
        Duration::from_secs(600)
    }
}

/// Forwards every committed database write to the UI as one `db-changed` event per 200 ms
/// (`{ tables, external }`: the tables written, merged), and refreshes the tray's counts. Writes
/// by another process (`dropdock-cli`) are found by polling the change log every 250 ms.
pub async fn forward_changes(app: AppHandle) {
    use tokio::sync::broadcast::error::RecvError;
    let mut feed = app.state::<AppState>().dd.db.subscribe();
    /// The changes gathered for one event: false once the feed is closed.
    fn gather(
        next: Result<dropdock_core::db::Change, RecvError>,
        tables: &mut BTreeSet<String>,
        external: &mut bool,
    ) -> bool {
        match next {
            Ok(change) => {
                *external |= change.external;
                tables.extend(change.tables);
            }
            // Fallen behind: refresh everything.
            Err(RecvError::Lagged(_)) => {
                tables.insert("*".to_owned());
            }
            Err(RecvError::Closed) => return false,
        }
        true
    }
    loop {
        let (mut tables, mut external) = (BTreeSet::new(), false);
        if !gather(feed.recv().await, &mut tables, &mut external) {
            return;
        }
        // Merge what follows within 200 ms: a sync commits page after page.
        let window = tokio::time::sleep(Duration::from_millis(200));
        tokio::pin!(window);
        loop {
            tokio::select! {
                _ = &mut window => break,
                next = feed.recv() => if !gather(next, &mut tables, &mut external) { break },
            }
        }
        let _ = app.emit(DB_CHANGED, serde_json::json!({ "tables": tables, "external": external }));
        let handle = app.clone();
        let _ = tauri::async_runtime::spawn_blocking(move || crate::tray::refresh(&handle)).await;
    }
}

/// Finds the writes of other processes every 250 ms (see [`forward_changes`]): one indexed
/// read of `change_log` past the cursor.
pub async fn poll_external_changes(app: AppHandle) {
    let db = app.state::<AppState>().dd.db.clone();
    let start = db.clone();
    let mut cursor = tauri::async_runtime::spawn_blocking(move || start.change_cursor())
        .await
        .ok()
        .and_then(|r| r.ok())
        .unwrap_or(0);
    loop {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let db = db.clone();
        match tauri::async_runtime::spawn_blocking(move || db.poll_external(cursor)).await {
            Ok(Ok(next)) => cursor = next,
            Ok(Err(e)) => tracing::warn!(error = %e, "change log not readable"),
            Err(_) => return,
        }
    }
}

/// One tracking poll: records shipments, pushes them to the store, notifies, tells the UI.
pub async fn poll_tracking(app: &AppHandle) -> Result<dropdock_core::tracking::TrackReport, dropdock_core::CoreError> {
    let state = app.state::<AppState>();
    let report = state.dd.track().await?;
    crate::notifier::shipments(app, &report.new_shipments);
    crate::notifier::tracking_attention(app, &report.attention);
    crate::notifier::disputes(app, &report.disputes);
    for e in &report.errors {
        tracing::warn!("tracking: {e}");
    }
    Ok(report)
}

/// How often Auto Fulfillment looks for paid orders (10 s on the sandbox, so the demo moves).
fn auto_interval(on_sandbox: bool) -> Duration {
    if on_sandbox {
        Duration::from_secs(10)
    } else {
        Duration::from_secs(60)
    }
}

/// One run of Auto Fulfillment: notifies a pause (once), a resume and what was sent.
pub async fn run_auto(app: &AppHandle) {
    let state = app.state::<AppState>();
    match state.dd.run_auto(chrono::Utc::now()).await {
        Ok(report) if report.ran => {
            if report.newly_paused {
                crate::notifier::auto_paused(app, report.paused.as_deref().unwrap_or_default());
            }
            if report.resumed {
                let text = |t| crate::notifier::text(app, t);
                crate::notifier::notify(app, &text(Text::AutoResumed), &text(Text::AutoResumedBody));
            }
            if !report.submitted.is_empty() {
                let body = crate::notifier::text(app, Text::AutoSent(report.submitted.len()));
                crate::notifier::notify(app, "Auto Fulfillment", &body);
            }
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "auto fulfillment run failed"),
    }
}

/// How often the stores are checked for a due background sync (each has its own interval).
fn store_sync_check(on_sandbox: bool) -> Duration {
    if on_sandbox {
        Duration::from_secs(10)
    } else {
        Duration::from_secs(60)
    }
}

/// Syncs every store that is due; tells the UI, and notifies a store whose third run in a row
/// failed. Offline, nothing is tried (the network watcher brings it back).
pub async fn sync_stores(app: &AppHandle) {
    let state = app.state::<AppState>();
    if !state.dd.network_status().map(|s| s.online).unwrap_or(true) {
        return;
    }
    match state.dd.sync_due_stores(chrono::Utc::now()).await {
        Ok(runs) => {
            for run in runs {
                match run {
                    Ok(run) => {
                        if let Some(alert) = &run.alert {
                            crate::notifier::sync_failing(app, alert);
                        }
                        crate::notifier::cancelled_after_sending(app, &run.summary.cancelled_after_sending);
                    }
                    Err(e) => tracing::warn!(error = %e, "background sync could not start"),
                }
            }
            let _ = app.emit(crate::state::STATUS_CHANGED, ());
        }
        Err(e) => tracing::warn!(error = %e, "background sync failed"),
    }
    // The catalogues, at their slower pace (the Products page follows through db-changed).
    match state.dd.sync_due_catalogues(chrono::Utc::now()).await {
        Ok(runs) => {
            for run in runs.into_iter().filter_map(|r| r.err()) {
                tracing::warn!(error = %run, "background catalogue sync could not start");
            }
        }
        Err(e) => tracing::warn!(error = %e, "background catalogue sync failed"),
    }
}

pub fn start(app: AppHandle) {
    let handle = app.clone();
    let store_sync = tauri::async_runtime::spawn(async move {
        // On launch first: orders taken while Dropdock was closed are caught up.
        loop {
            sync_stores(&handle).await;
            let on_sandbox = handle.state::<AppState>().on_sandbox();
            tokio::time::sleep(store_sync_check(on_sandbox)).await;
        }
    });
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
    let handle = app.clone();
    let network = tauri::async_runtime::spawn(async move {
        loop {
            let status = handle.state::<AppState>().dd.network_status();
            let (online, queued) = status.map(|s| (s.online, s.queued)).unwrap_or((true, 0));
            tokio::time::sleep(network_interval(online, queued)).await;
            check_network(&handle).await;
        }
    });
    let handle = app.clone();
    let auto = tauri::async_runtime::spawn(async move {
        loop {
            let on_sandbox = handle.state::<AppState>().on_sandbox();
            tokio::time::sleep(auto_interval(on_sandbox)).await;
            run_auto(&handle).await;
        }
    });
    let forward = tauri::async_runtime::spawn(forward_changes(app.clone()));
    let external = tauri::async_runtime::spawn(poll_external_changes(app.clone()));
    app.state::<AppState>()
        .workers
        .lock()
        .expect("workers lock")
        .extend([store_sync, tracking, network, auto, forward, external]);
}

pub fn stop(app: &AppHandle) {
    if let Some(state) = app.try_state::<AppState>() {
        for worker in state.workers.lock().expect("workers lock").drain(..) {
            worker.abort();
        }
    }
}
