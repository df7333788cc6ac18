//! The signed updater (tauri-plugin-updater): a check at start and from Settings, release notes,
//! install and restart. Updates are verified against the public key in tauri.conf.json; with no
//! reachable endpoint the app runs on and Settings says so.

use chrono::Utc;
use dropdock_core::orders::views::UpdateStatus;
use tauri::{AppHandle, Manager};
use tauri_plugin_updater::UpdaterExt;

use crate::state::AppState;

/// Asks the update server. `DROPDOCK_UPDATE_ENDPOINT` replaces the configured endpoint (tests,
/// staging).
pub async fn check(app: &AppHandle) -> UpdateStatus {
    let state = app.state::<AppState>();
    let current_version = app.package_info().version.to_string();
    let mut status =
        UpdateStatus { state: "checking".into(), current_version: current_version.clone(), ..UpdateStatus::default() };
    *state.update.write().expect("update lock") = status.clone();
    let result = async {
        let mut builder = app.updater_builder();
        if let Ok(endpoint) = std::env::var("DROPDOCK_UPDATE_ENDPOINT") {
            let url = endpoint.parse().map_err(|e| format!("DROPDOCK_UPDATE_ENDPOINT: {e}"))?;
            builder = builder.endpoints(vec![url]).map_err(|e| e.to_string())?;
        }
        builder.build().map_err(|e| e.to_string())?.check().await.map_err(|e| e.to_string())
    }
    .await;
    status.checked_at = Some(Utc::now());
    match result {
        Ok(Some(update)) => {
            status.state = "available".into();
            status.available_version = Some(update.version.clone());
            status.notes = update.body.clone();
            *state.pending_update.lock().expect("update lock") = Some(update);
        }
        Ok(None) => status.state = "up_to_date".into(),
        Err(e) => {
            tracing::info!(error = %e, "update server not reachable; running on");
            status.state = "unreachable".into();
            status.error = Some(e);
        }
    }
    *state.update.write().expect("update lock") = status.clone();
    status
}

/// Downloads, verifies and installs the update found by the last check, then restarts.
pub async fn install(app: &AppHandle) -> Result<(), String> {
    let update = app.state::<AppState>().pending_update.lock().expect("update lock").take();
    let update = update.ok_or("no update to install: check for updates first")?;
    update.download_and_install(|_, _| {}, || tracing::info!("update downloaded")).await.map_err(|e| e.to_string())?;
    app.restart();
}
