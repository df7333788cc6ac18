//! App-wide commands: start-up status, a manual tracking poll, opening links.

use dropdock_core::error::{ErrorBody, ErrorCode};
use dropdock_core::offline::NetworkStatus;
use dropdock_core::orders::views::AppStatus;
use dropdock_core::tracking::TrackReport;
use tauri::{AppHandle, Emitter, State};
use tauri_plugin_opener::OpenerExt;

use super::{blocking, to_body, CommandResult};
use crate::state::{AppState, NETWORK_CHANGED};

#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> Result<AppStatus, ()> {
    let mut status = state.status.read().expect("status lock").clone();
    status.sandbox_serving = state.sandbox_serving().unwrap_or(false);
    Ok(status)
}

/// One tracking poll now (Order page → Action → Check tracking).
#[tauri::command]
pub async fn track_now(app: AppHandle) -> CommandResult<TrackReport> {
    crate::workers::poll_tracking(&app).await.map_err(to_body)
}

/// Opens an https link (a tracking page) in the system browser. The web view has no opener
/// permission of its own: only links that pass this check leave the app.
#[tauri::command]
pub async fn open_link(app: AppHandle, url: String) -> CommandResult<()> {
    let invalid = |message: String| ErrorBody::new(ErrorCode::InvalidInput, message);
    let parsed = tauri::Url::parse(&url).map_err(|_| invalid(format!("not a link: {url}")))?;
    if parsed.scheme() != "https" {
        return Err(invalid("only https links are opened".into()));
    }
    app.opener()
        .open_url(parsed.as_str(), None::<&str>)
        .map_err(|e| invalid(format!("could not open the browser: {e}")))
}

/// The offline badge: whether the stores and suppliers answer, and how many actions wait.
#[tauri::command]
pub async fn network_status(state: State<'_, AppState>) -> CommandResult<NetworkStatus> {
    blocking(&state.dd, move |dd| dd.network_status()).await
}

/// Settings → Demo sandbox: stop or restart the embedded sandbox's servers, to see Dropdock
/// work offline. Probes the network at once so the badge follows.
#[tauri::command]
pub async fn set_sandbox_serving(app: AppHandle, state: State<'_, AppState>, serving: bool) -> CommandResult<bool> {
    let now =
        state.set_sandbox_serving(serving).await.map_err(|message| ErrorBody::new(ErrorCode::InvalidInput, message))?;
    crate::workers::check_network(&app).await;
    let _ = app.emit(NETWORK_CHANGED, ());
    let _ = app.emit(crate::state::STATUS_CHANGED, ());
    Ok(now)
}

/// The ISO 3166-1 alpha-2 codes a country field offers (the core's list), e.g. a card's billing
/// country.
#[tauri::command]
pub async fn country_codes() -> Vec<&'static str> {
    dropdock_core::countries::country_codes().to_vec()
}
