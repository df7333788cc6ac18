//! The tray icon. On Linux tray clicks do not fire, so every action is in the menu.

use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Emitter, Manager};

use crate::state::{AppState, ORDERS_CHANGED};

pub fn create(app: &AppHandle) -> tauri::Result<()> {
    let open = MenuItem::with_id(app, "open", "Open Dropdock", true, None::<&str>)?;
    let sync = MenuItem::with_id(app, "sync", "Sync now", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&open, &sync, &PredefinedMenuItem::separator(app)?, &quit])?;
    let mut builder = TrayIconBuilder::with_id("main").tooltip("Dropdock").menu(&menu).show_menu_on_left_click(true);
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
            "quit" => app.exit(0),
            _ => {}
        })
        .build(app)?;
    Ok(())
}

/// "Sync now": every store, last 7 days, one after the other (the seed: one store at a time).
async fn sync_all(app: &AppHandle) {
    let state = app.state::<AppState>();
    let Ok(stores) = state.dd.stores() else { return };
    for store in stores {
        match state.dd.sync(store.id, 7).await {
            Ok(summary) => crate::notifier::notify(app, &store.name, &summary.line),
            Err(e) => crate::notifier::notify(app, &format!("{}: sync failed", store.name), &e.to_string()),
        }
    }
    let _ = app.emit(ORDERS_CHANGED, ());
}

/// Shows, restores and focuses the main window (tray "Open", a second launch).
pub fn show_main_window(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}
