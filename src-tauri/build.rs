//! tauri-build: generates the context from tauri.conf.json and a permission per app command,
//! so `src-tauri/capabilities/` can grant each window exactly the commands it uses.

/// Every `#[tauri::command]` the shell registers (src-tauri/src/commands/*).
const COMMANDS: &[&str] = &[
    "app_status",
    "query_orders",
    "order_counts",
    "order_countries",
    "order_detail",
    "ship_orders",
    "hold_orders",
    "release_orders",
    "cancel_fulfillment",
    "find_supplier_variants",
    "map_sku",
    "export_orders_csv",
    "reveal_export",
    "dashboard",
    "network_status",
    "country_codes",
    "set_sandbox_serving",
    "list_stores",
    "demo_woo_store",
    "connect_woocommerce",
    "connect_shopify",
    "connect_shopify_app",
    "demo_etsy_shop",
    "connect_etsy",
    "preview_csv_import",
    "import_csv",
    "test_store_connection",
    "sync_store_now",
    "set_store_paused",
    "set_store_sync_interval",
    "disconnect_store",
    "rename_store",
    "update_store_credentials",
    "auto_settings",
    "save_auto_settings",
    "check_auto_ready",
    "enable_auto",
    "disable_auto",
    "shipping_rules",
    "set_shipping_rule",
    "shipping_options",
    "saved_cards",
    "save_card",
    "remove_card",
    "sync_orders",
    "wallet",
    "sandbox_recharge",
    "track_now",
    "open_link",
    "desktop_settings",
    "set_autostart",
    "open_logs_folder",
    "check_for_updates",
    "install_update",
];

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("tauri-build failed");
}
