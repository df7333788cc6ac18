//! Settings: start with the system, logs, updates.

use dropdock_core::error::{ErrorBody, ErrorCode};
use dropdock_core::views::{DesktopSettings, UpdateStatus};
use tauri::{AppHandle, State};
use tauri_plugin_autostart::ManagerExt;
use tauri_plugin_opener::OpenerExt;

use super::CommandResult;
use crate::state::AppState;

fn failed(message: String) -> ErrorBody {
    ErrorBody { code: ErrorCode::InvalidInput, message }
}

#[tauri::command]
pub fn desktop_settings(app: AppHandle, state: State<'_, AppState>) -> DesktopSettings {
    DesktopSettings {
        autostart: app.autolaunch().is_enabled().unwrap_or(false),
        log_dir: state.log_dir.display().to_string(),
        update: state.update.read().expect("update lock").clone(),
    }
}

/// Turns "start with the system (minimised to the tray)" on or off.
#[tauri::command]
pub fn set_autostart(app: AppHandle, enabled: bool) -> CommandResult<bool> {
    let launcher = app.autolaunch();
    let result = if enabled { launcher.enable() } else { launcher.disable() };
    result.map_err(|e| failed(format!("could not change start with the system: {e}")))?;
    launcher.is_enabled().map_err(|e| failed(e.to_string()))
}

#[tauri::command]
pub fn open_logs_folder(app: AppHandle, state: State<'_, AppState>) -> CommandResult<()> {
    app.opener()
        .open_path(state.log_dir.display().to_string(), None::<&str>)
        .map_err(|e| failed(format!("could not open the logs folder: {e}")))
}

#[tauri::command]
pub async fn check_for_updates(app: AppHandle) -> UpdateStatus {
    crate::updates::check(&app).await
}

#[tauri::command]
pub async fn install_update(app: AppHandle) -> CommandResult<()> {
    crate::updates::install(&app).await.map_err(failed)
}
