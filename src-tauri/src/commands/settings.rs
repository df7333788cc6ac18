//! Settings: start with the system, logs, updates.

use dropdock_core::error::{ErrorBody, ErrorCode};
use dropdock_core::orders::profit::ProfitSettings;
use dropdock_core::orders::views::{DesktopSettings, UpdateStatus};
use dropdock_core::settings::notifications::NotificationSettings;
use dropdock_core::tracking::carriers::CarrierMapping;
use tauri::{AppHandle, State};
use tauri_plugin_autostart::ManagerExt;
use tauri_plugin_opener::OpenerExt;

use super::{blocking, CommandResult};
use crate::state::AppState;

fn failed(message: String) -> ErrorBody {
    ErrorBody::new(ErrorCode::InvalidInput, message)
}

#[tauri::command]
pub async fn desktop_settings(app: AppHandle, state: State<'_, AppState>) -> Result<DesktopSettings, ()> {
    Ok(DesktopSettings {
        autostart: app.autolaunch().is_enabled().unwrap_or(false),
        log_dir: state.log_dir.display().to_string(),
        update: state.update.read().expect("update lock").clone(),
    })
}

/// Turns "start with the system (minimised to the tray)" on or off.
#[tauri::command]
pub async fn set_autostart(app: AppHandle, enabled: bool) -> CommandResult<bool> {
    let launcher = app.autolaunch();
    let result = if enabled { launcher.enable() } else { launcher.disable() };
    result.map_err(|e| failed(format!("could not change start with the system: {e}")))?;
    launcher.is_enabled().map_err(|e| failed(e.to_string()))
}

#[tauri::command]
pub async fn open_logs_folder(app: AppHandle, state: State<'_, AppState>) -> CommandResult<()> {
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

/// Settings → Notifications: which kinds are on.
#[tauri::command]
pub async fn notification_settings(state: State<'_, AppState>) -> CommandResult<NotificationSettings> {
    blocking(&state.dd, |dd| dropdock_core::settings::notifications::settings(&dd.db)).await
}

#[tauri::command]
pub async fn save_notification_settings(
    state: State<'_, AppState>,
    settings: NotificationSettings,
) -> CommandResult<NotificationSettings> {
    blocking(&state.dd, move |dd| {
        dropdock_core::settings::notifications::save_settings(&dd.db, settings)?;
        dropdock_core::settings::notifications::settings(&dd.db)
    })
    .await
}

/// Settings → Language: the UI tells the core its choice (`en`, `zh-CN`, `es`), so the tray
/// menu and desktop notifications follow it. Errors: a language Dropdock is not translated into.
#[tauri::command]
pub async fn set_language(
    state: State<'_, AppState>,
    code: String,
) -> CommandResult<dropdock_core::settings::locale::Language> {
    blocking(&state.dd, move |dd| dropdock_core::settings::locale::set_language(&dd.db, &code)).await
}

/// Settings → Carriers: the mapping in force (the merchant's rows, then the built-in ones).
#[tauri::command]
pub async fn carrier_mappings(state: State<'_, AppState>) -> CommandResult<Vec<CarrierMapping>> {
    blocking(&state.dd, move |dd| dd.carrier_mappings()).await
}

/// Saves a row (replacing the row for the same supplier carrier); returns the mapping.
#[tauri::command]
pub async fn save_carrier_mapping(
    state: State<'_, AppState>,
    row: CarrierMapping,
) -> CommandResult<Vec<CarrierMapping>> {
    blocking(&state.dd, move |dd| {
        dd.save_carrier_mapping(&row)?;
        dd.carrier_mappings()
    })
    .await
}

/// Removes the merchant's row (a built-in row for the carrier applies again).
#[tauri::command]
pub async fn remove_carrier_mapping(
    state: State<'_, AppState>,
    supplier_carrier: String,
) -> CommandResult<Vec<CarrierMapping>> {
    blocking(&state.dd, move |dd| {
        dd.remove_carrier_mapping(&supplier_carrier)?;
        dd.carrier_mappings()
    })
    .await
}

/// Settings → Profit: the merchant's currency, payment fee and exchange rates.
#[tauri::command]
pub async fn profit_settings(state: State<'_, AppState>) -> CommandResult<ProfitSettings> {
    blocking(&state.dd, |dd| dd.profit_settings()).await
}

/// Saves the currency and fee (`fee_bps` basis points, `fee_fixed_minor` in the currency);
/// every order's profit is worked out again.
#[tauri::command]
pub async fn save_profit_settings(
    state: State<'_, AppState>,
    currency: String,
    fee_bps: u32,
    fee_fixed_minor: i64,
) -> CommandResult<ProfitSettings> {
    blocking(&state.dd, move |dd| dd.save_profit_settings(&currency, fee_bps, fee_fixed_minor)).await
}

/// Records a rate (one `currency` is `rate` of the merchant's currency), or forgets it (`rate`
/// null); every order's profit is worked out again.
#[tauri::command]
pub async fn set_exchange_rate(
    state: State<'_, AppState>,
    currency: String,
    rate: Option<String>,
) -> CommandResult<ProfitSettings> {
    blocking(&state.dd, move |dd| dd.set_exchange_rate(&currency, rate.as_deref())).await
}

/// After how many days without news a shipment needs attention (Settings → Notifications).
#[tauri::command]
pub async fn tracking_attention_days(state: State<'_, AppState>) -> CommandResult<u32> {
    blocking(&state.dd, |dd| dd.tracking_attention_days()).await
}

/// Sets it (1 to 29 days); returns the value saved.
#[tauri::command]
pub async fn set_tracking_attention_days(state: State<'_, AppState>, days: u32) -> CommandResult<u32> {
    blocking(&state.dd, move |dd| {
        dd.set_tracking_attention_days(days)?;
        dd.tracking_attention_days()
    })
    .await
}
