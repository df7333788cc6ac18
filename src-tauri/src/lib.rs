//! The Dropdock desktop shell: Tauri wiring only. The domain lives in `dropdock-core`.
//!
//! - `state`: the [`dropdock_core::Dropdock`] instance, start-up (embedded sandbox when no real
//!   account is connected) and the status the UI reads;
//! - `commands`: one module per sidebar area, thin calls into the core;
//! - `tray`: the tray icon and its menu; `workers`: background tracking, stopped on exit;
//! - `logging`: `tracing` to stderr and a rotating file; `updates`: the signed updater;
//! - `webview`: the main window's web view, reloaded after its process ends, its console logged
//!   on request.

mod commands;
mod logging;
mod notifier;
mod state;
mod tray;
mod updates;
mod webview;
mod workers;

use tauri::{Manager, RunEvent, WindowEvent};
use tauri_plugin_window_state::StateFlags;

/// The argument autostart launches Dropdock with: start hidden in the tray.
pub const MINIMIZED_ARG: &str = "--minimized";

/// The app's context from `tauri.conf.json`. In debug builds `DROPDOCK_UI_URL`, a loopback
/// `http://` address, loads the UI from there instead of the embedded `ui/dist`: the end-to-end
/// tests' fallback for a machine whose web view stays blank on the embedded assets (they serve
/// the same `ui/dist`). Release builds, and any address off the machine, keep the embedded UI.
fn context() -> tauri::Context<tauri::Wry> {
    #[allow(unused_mut)]
    let mut context = tauri::generate_context!();
    #[cfg(debug_assertions)]
    if let Ok(address) = std::env::var("DROPDOCK_UI_URL") {
        match tauri::Url::parse(&address) {
            Ok(url) if url.scheme() == "http" && matches!(url.host_str(), Some("127.0.0.1" | "localhost")) => {
                eprintln!("Dropdock: the UI is loaded from {url}, not from the embedded assets");
                context.config_mut().build.dev_url = Some(url);
            }
            _ => eprintln!("Dropdock: DROPDOCK_UI_URL must be a loopback http:// address; the embedded UI is used"),
        }
    }
    context
}

/// Builds and runs the app.
pub fn run() {
    let app = tauri::Builder::default()
        // First: a second launch hands over to the running instance and exits.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            tracing::info!("another launch: focusing the open window");
            tray::show_main_window(app);
        }))
        // Size and position are remembered; visibility is not (autostart starts hidden).
        .plugin(
            tauri_plugin_window_state::Builder::default()
                .with_state_flags(StateFlags::all() & !StateFlags::VISIBLE)
                .build(),
        )
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            Some(vec![MINIMIZED_ARG]),
        ))
        .plugin(tauri_plugin_updater::Builder::new().build())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init())
        .invoke_handler(tauri::generate_handler![
            commands::app::app_status,
            commands::app::track_now,
            commands::app::open_link,
            commands::orders::query_orders,
            commands::orders::order_counts,
            commands::orders::order_countries,
            commands::orders::order_detail,
            commands::orders::ship_orders,
            commands::orders::hold_orders,
            commands::orders::release_orders,
            commands::orders::correct_address,
            commands::orders::use_store_address,
            commands::orders::cancel_fulfillment,
            commands::orders::open_dispute,
            commands::orders::order_disputes,
            commands::orders::cancel_dispute,
            commands::orders::order_profit,
            commands::orders::profit_per_product,
            commands::settings::profit_settings,
            commands::settings::save_profit_settings,
            commands::settings::set_exchange_rate,
            commands::orders::find_supplier_variants,
            commands::orders::map_sku,
            commands::orders::map_variant,
            commands::products::list_products,
            commands::products::sync_catalogue,
            commands::products::catalogue_runs,
            commands::products::automap_products,
            commands::products::map_store_variant,
            commands::products::unmap_store_variant,
            commands::products::add_mapping_part,
            commands::products::remove_mapping_part,
            commands::products::set_mapping_cost_limit,
            commands::products::search_supplier_variants,
            commands::orders::export_orders_csv,
            commands::orders::reveal_export,
            commands::orders::dashboard,
            commands::orders::sync_orders,
            commands::orders::sync_progress,
            commands::orders::cancel_sync,
            commands::app::network_status,
            commands::app::country_codes,
            commands::app::set_sandbox_serving,
            commands::store::list_stores,
            commands::store::demo_woo_store,
            commands::store::connect_woocommerce,
            commands::store::connect_shopify,
            commands::store::connect_shopify_app,
            commands::store::demo_etsy_shop,
            commands::store::connect_etsy,
            commands::store::preview_csv_import,
            commands::store::import_csv,
            commands::store::test_store_connection,
            commands::store::sync_store_now,
            commands::store::set_store_paused,
            commands::store::set_store_sync_interval,
            commands::store::disconnect_store,
            commands::store::list_suppliers,
            commands::store::demo_supplier_account,
            commands::store::connect_supplier,
            commands::store::test_supplier_connection,
            commands::store::update_supplier_keys,
            commands::store::rename_supplier,
            commands::store::set_supplier_rate_limit,
            commands::store::disconnect_supplier,
            commands::store::rename_store,
            commands::store::update_store_credentials,
            commands::auto::auto_settings,
            commands::auto::save_auto_settings,
            commands::auto::check_auto_ready,
            commands::auto::enable_auto,
            commands::auto::disable_auto,
            commands::auto::shipping_rules,
            commands::auto::set_shipping_rule,
            commands::auto::shipping_options,
            commands::auto::saved_cards,
            commands::auto::save_card,
            commands::auto::remove_card,
            commands::finance::wallet,
            commands::finance::wallet_ledger,
            commands::finance::wallet_reconciliation,
            commands::finance::record_wallet_entry,
            commands::finance::recharge_wallet,
            commands::finance::wallet_forecast,
            commands::finance::export_invoices,
            commands::settings::notification_settings,
            commands::settings::save_notification_settings,
            commands::settings::tracking_attention_days,
            commands::settings::set_tracking_attention_days,
            commands::settings::set_language,
            commands::settings::carrier_mappings,
            commands::settings::save_carrier_mapping,
            commands::settings::remove_carrier_mapping,
            commands::settings::desktop_settings,
            commands::settings::set_autostart,
            commands::settings::open_logs_folder,
            commands::settings::check_for_updates,
            commands::settings::install_update,
        ])
        .on_window_event(|window, event| {
            // Closing the window keeps Dropdock running in the tray; Quit is in the tray menu.
            if let WindowEvent::CloseRequested { api, .. } = event {
                if window.label() == "main" {
                    api.prevent_close();
                    let _ = window.hide();
                    tracing::info!("window closed: Dropdock keeps running in the tray");
                }
            }
        })
        .setup(|app| {
            let state = state::AppState::open(app.handle())?;
            logging::init(&state.log_dir);
            app.manage(state);
            if std::env::args().any(|a| a == MINIMIZED_ARG) {
                if let Some(window) = app.get_webview_window("main") {
                    window.hide()?;
                }
            }
            webview::watch(app.handle());
            tray::create(app.handle())?;
            state::AppState::finish_start_up(app.handle());
            workers::start(app.handle().clone());
            Ok(())
        })
        .build(context())
        .expect("the Tauri application could not be built");
    app.run(|handle, event| {
        if let RunEvent::Exit = event {
            workers::stop(handle);
        }
    });
}
