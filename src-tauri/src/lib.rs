//! The Dropdock desktop shell: Tauri wiring only. The domain lives in `dropdock-core`.
//!
//! - `state`: the [`dropdock_core::Dropdock`] instance, start-up (embedded sandbox when no real
//!   account is connected) and the status the UI reads;
//! - `commands`: one module per sidebar area, thin calls into the core;
//! - `tray`: the tray icon and its menu; `workers`: background tracking, stopped on exit.

mod commands;
mod notifier;
mod state;
mod tray;
mod workers;

use tauri::{Manager, RunEvent};

/// Builds and runs the app.
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("DROPDOCK_LOG")
                .unwrap_or_else(|_| "info,tao=warn,wry=warn".into()),
        )
        .init();
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init())
        .invoke_handler(tauri::generate_handler![
            commands::app::app_status,
            commands::app::track_now,
            commands::app::open_link,
            commands::orders::list_orders,
            commands::orders::order_counts,
            commands::orders::order_detail,
            commands::orders::ship_order,
            commands::orders::sync_orders,
            commands::store::list_stores,
            commands::finance::wallet,
        ])
        .setup(|app| {
            let state = state::AppState::open(app.handle())?;
            app.manage(state);
            state::AppState::finish_start_up(app.handle());
            tray::create(app.handle())?;
            workers::start(app.handle().clone());
            Ok(())
        })
        .build(tauri::generate_context!())
        .expect("the Tauri application could not be built");
    app.run(|handle, event| {
        if let RunEvent::Exit = event {
            workers::stop(handle);
        }
    });
}
