//! The tray icon. On Linux tray clicks do not fire, so every action is in the menu: the counts
//! (To order, Processing, Shipped today), Open, Sync now, Pause/Resume Auto Fulfillment, Quit.
//! The menu is rebuilt whenever the database changes (`workers::forward_changes`), in the
//! language the merchant chose in Settings.

use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Wry};

use crate::state::AppState;
use dropdock_core::settings::locale::Text;

const TRAY_ID: &str = "main";

/// The merchant's offset from UTC now, in minutes ("shipped today" is their day).
fn local_offset_minutes() -> i32 {
    chrono::Local::now().offset().local_minus_utc() / 60
}

fn build_menu(app: &AppHandle) -> tauri::Result<Menu<Wry>> {
    let state = app.state::<AppState>();
    let counts = state.dd.tray_counts(local_offset_minutes()).ok();
    let auto = state.dd.auto_settings().ok();
    let lang = dropdock_core::settings::locale::language(&state.dd.db).unwrap_or_default();
    let line = |id: &str, label: String| MenuItem::with_id(app, id, label, false, None::<&str>);
    let (to_order, processing, shipped) = match counts {
        Some(c) => (c.to_order.to_string(), c.processing.to_string(), c.shipped_today.to_string()),
        None => ("–".into(), "–".into(), "–".into()),
    };
    let to_order = line("count-to-order", Text::TrayToOrder(&to_order).render(lang))?;
    let processing = line("count-processing", Text::TrayProcessing(&processing).render(lang))?;
    let shipped = line("count-shipped", Text::TrayShippedToday(&shipped).render(lang))?;
    let open = MenuItem::with_id(app, "open", Text::TrayOpen.render(lang), true, None::<&str>)?;
    let sync = MenuItem::with_id(app, "sync", Text::TraySyncNow.render(lang), true, None::<&str>)?;
    let auto_label = match &auto {
        Some(a) if a.enabled => Text::TrayPauseAuto,
        _ => Text::TrayResumeAuto,
    };
    let auto_item = MenuItem::with_id(app, "auto", auto_label.render(lang), auto.is_some(), None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", Text::TrayQuit.render(lang), true, None::<&str>)?;
    Menu::with_items(
        app,
        &[
            &to_order,
            &processing,
            &shipped,
            &PredefinedMenuItem::separator(app)?,
            &open,
            &sync,
            &auto_item,
            &PredefinedMenuItem::separator(app)?,
            &quit,
        ],
    )
}

/// Rebuilds the menu with fresh counts and the Auto Fulfillment switch's state.
pub fn refresh(app: &AppHandle) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else { return };
    match build_menu(app) {
        Ok(menu) => {
            let _ = tray.set_menu(Some(menu));
        }
        Err(e) => tracing::warn!(error = %e, "tray menu not rebuilt"),
    }
}

pub fn create(app: &AppHandle) -> tauri::Result<()> {
    let menu = build_menu(app)?;
    let mut builder = TrayIconBuilder::with_id(TRAY_ID).tooltip("Dropdock").menu(&menu).show_menu_on_left_click(true);
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder
        .on_menu_event(|app, event| match event.id.as_ref() {
            "open" => show_main_window(app),
            "sync" => {
                let app = app.clone();
                tauri::async_runtime::spawn(async move { sync_all(&app).await });
            }
            "auto" => {
                let app = app.clone();
                tauri::async_runtime::spawn(async move { toggle_auto(&app).await });
            }
            "quit" => app.exit(0),
            _ => {}
        })
        .build(app)?;
    Ok(())
}

/// "Sync now": every connected store at once, from where its last clean sync left off.
async fn sync_all(app: &AppHandle) {
    let state = app.state::<AppState>();
    let Ok(stores) = state.dd.stores() else { return };
    let now = chrono::Utc::now();
    for store in stores.into_iter().filter(|s| !s.disconnected && s.platform != "csv") {
        match state.dd.sync_store_in_background(store.id, now).await {
            Ok(run) => crate::notifier::notify(app, &store.name, &run.summary.line),
            Err(e) => crate::notifier::notify(
                app,
                &crate::notifier::text(app, Text::StoreSyncFailed(&store.name)),
                &e.to_string(),
            ),
        }
    }
}

/// "Pause/Resume Auto Fulfillment": the page's switch, from the tray. Turning it on checks the
/// payment method like the page does; a refusal is a notification with what to do.
async fn toggle_auto(app: &AppHandle) {
    let state = app.state::<AppState>();
    let enabled = state.dd.auto_settings().map(|s| s.enabled).unwrap_or(false);
    let result = if enabled { state.dd.disable_auto().map(|_| ()) } else { state.dd.enable_auto().await.map(|_| ()) };
    let text = |t: Text| crate::notifier::text(app, t);
    match result {
        Ok(()) => crate::notifier::notify(
            app,
            "Auto Fulfillment",
            &text(if enabled { Text::PausedFromTray } else { Text::ResumedFromTray }),
        ),
        Err(e) => crate::notifier::notify(app, &text(Text::AutoNotResumed), &e.to_string()),
    }
}

/// Shows, restores and focuses the main window (tray "Open", a second launch).
pub fn show_main_window(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}
