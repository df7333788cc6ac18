//! The web view's privileges, pinned: the main window may listen to events and call Dropdock's
//! own commands, nothing else (no shell, fs, http or opener from the page), and the CSP allows
//! no remote origin and no eval.

use std::collections::BTreeSet;

fn json(path: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/").to_owned() + path).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn main_window_has_only_its_own_commands() {
    let capability = json("src-tauri/capabilities/main-window.json");
    assert_eq!(capability["windows"], serde_json::json!(["main"]));
    let granted: BTreeSet<&str> =
        capability["permissions"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    let expected: BTreeSet<&str> = [
        "core:event:allow-listen",
        "core:event:allow-unlisten",
        // Read-only: the notification plugin's page script asks it at every start (refused, it
        // was an unhandled rejection in the page's console). Sending stays with the shell.
        "notification:allow-is-permission-granted",
        "allow-app-status",
        "allow-query-orders",
        "allow-order-counts",
        "allow-order-countries",
        "allow-order-detail",
        "allow-ship-orders",
        "allow-hold-orders",
        "allow-release-orders",
        "allow-correct-address",
        "allow-use-store-address",
        "allow-cancel-fulfillment",
        "allow-open-dispute",
        "allow-order-disputes",
        "allow-cancel-dispute",
        "allow-order-profit",
        "allow-profit-per-product",
        "allow-profit-settings",
        "allow-save-profit-settings",
        "allow-set-exchange-rate",
        "allow-find-supplier-variants",
        "allow-map-sku",
        "allow-map-variant",
        "allow-list-products",
        "allow-sync-catalogue",
        "allow-catalogue-runs",
        "allow-automap-products",
        "allow-map-store-variant",
        "allow-unmap-store-variant",
        "allow-add-mapping-part",
        "allow-remove-mapping-part",
        "allow-set-mapping-cost-limit",
        "allow-search-supplier-variants",
        "allow-export-orders-csv",
        "allow-reveal-export",
        "allow-dashboard",
        "allow-network-status",
        "allow-country-codes",
        "allow-set-sandbox-serving",
        "allow-list-stores",
        "allow-demo-woo-store",
        "allow-connect-woocommerce",
        "allow-connect-shopify",
        "allow-connect-shopify-app",
        "allow-demo-etsy-shop",
        "allow-connect-etsy",
        "allow-preview-csv-import",
        "allow-import-csv",
        "allow-test-store-connection",
        "allow-sync-store-now",
        "allow-set-store-paused",
        "allow-set-store-sync-interval",
        "allow-disconnect-store",
        "allow-rename-store",
        "allow-update-store-credentials",
        "allow-list-suppliers",
        "allow-demo-supplier-account",
        "allow-connect-supplier",
        "allow-test-supplier-connection",
        "allow-update-supplier-keys",
        "allow-rename-supplier",
        "allow-set-supplier-rate-limit",
        "allow-disconnect-supplier",
        "allow-auto-settings",
        "allow-save-auto-settings",
        "allow-check-auto-ready",
        "allow-enable-auto",
        "allow-disable-auto",
        "allow-shipping-rules",
        "allow-set-shipping-rule",
        "allow-shipping-options",
        "allow-saved-cards",
        "allow-save-card",
        "allow-remove-card",
        "allow-sync-orders",
        "allow-sync-progress",
        "allow-cancel-sync",
        "allow-wallet",
        "allow-wallet-ledger",
        "allow-wallet-reconciliation",
        "allow-record-wallet-entry",
        "allow-recharge-wallet",
        "allow-wallet-forecast",
        "allow-export-invoices",
        "allow-notification-settings",
        "allow-save-notification-settings",
        "allow-tracking-attention-days",
        "allow-set-tracking-attention-days",
        "allow-set-language",
        "allow-carrier-mappings",
        "allow-save-carrier-mapping",
        "allow-remove-carrier-mapping",
        "allow-track-now",
        "allow-open-link",
        "allow-desktop-settings",
        "allow-set-autostart",
        "allow-open-logs-folder",
        "allow-check-for-updates",
        "allow-install-update",
    ]
    .into_iter()
    .collect();
    assert_eq!(granted, expected);
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src-tauri/capabilities");
    assert_eq!(std::fs::read_dir(dir).unwrap().count(), 1, "one capability file, for the one window");
}

#[test]
fn csp_allows_no_remote_origin_and_no_eval() {
    let conf = json("tauri.conf.json");
    let csp = conf["app"]["security"]["csp"].as_str().unwrap();
    assert!(!csp.contains("unsafe-eval"), "{csp}");
    assert!(!csp.contains("https:") && !csp.contains("http: ") && !csp.contains('*'), "{csp}");
    assert!(csp.contains("script-src 'self'") && csp.contains("default-src 'self'"), "{csp}");
    assert!(conf["build"].get("devUrl").is_none(), "every build embeds ui/dist");
}
