//! Store → Integrations: the connected stores, connecting a WooCommerce store, and each store's
//! Test connection / Sync now / Pause / Resume / Disconnect; the supplier accounts, Connect a
//! supplier (CJdropshipping or Printful), and each account's Test connection / Edit (name, rate
//! limit, keys) / Disconnect.

use dropdock_core::orders::views::{StoreView, SupplierView};
use dropdock_core::stores::csv_import::CsvImport;
use dropdock_core::stores::integrations::BackgroundSync;
use dropdock_demo::{DemoEtsyShop, DemoSupplierAccount, DemoWooStore};
use tauri::{AppHandle, Emitter, State};
use tauri_plugin_opener::OpenerExt;

use super::{blocking, to_body, CommandResult};
use crate::state::{AppState, STATUS_CHANGED};

#[tauri::command]
pub async fn list_stores(state: State<'_, AppState>) -> CommandResult<Vec<StoreView>> {
    blocking(&state.dd, move |dd| dd.stores()).await
}

/// The sandbox's WooCommerce store and its keys, offered on the connect form (sandbox only).
#[tauri::command]
pub async fn demo_woo_store(state: State<'_, AppState>) -> Result<Option<DemoWooStore>, ()> {
    Ok(state.demo_woo())
}

/// Connect a store → WooCommerce: the keys are checked with one read, then kept in the keychain.
/// The sandbox's own store is marked as the demo's, so it follows the sandbox between launches.
#[tauri::command]
pub async fn connect_woocommerce(
    app: AppHandle,
    state: State<'_, AppState>,
    name: String,
    base_url: String,
    consumer_key: String,
    consumer_secret: String,
) -> CommandResult<StoreView> {
    let is_demo =
        state.demo_woo().is_some_and(|d| d.base_url.trim_end_matches('/') == base_url.trim().trim_end_matches('/'));
    let store = state
        .dd
        .connect_woocommerce_account(&name, &base_url, &consumer_key, &consumer_secret, is_demo)
        .await
        .map_err(to_body)?;
    let _ = app.emit(STATUS_CHANGED, ());
    Ok(store)
}

/// Connect a store → Shopify with an Admin API access token (checked with `shop { name }`).
#[tauri::command]
pub async fn connect_shopify(
    app: AppHandle,
    state: State<'_, AppState>,
    name: String,
    base_url: String,
    token: String,
) -> CommandResult<StoreView> {
    let store = state.dd.connect_shopify(&name, &base_url, &token, false).await.map_err(to_body)?;
    let _ = app.emit(STATUS_CHANGED, ());
    Ok(store)
}

/// Connect a store → Shopify with a Dev Dashboard app's client id and secret (client credentials
/// grant; the token is renewed by itself).
#[tauri::command]
pub async fn connect_shopify_app(
    app: AppHandle,
    state: State<'_, AppState>,
    name: String,
    base_url: String,
    client_id: String,
    client_secret: String,
) -> CommandResult<StoreView> {
    let store = state.dd.connect_shopify_app(&name, &base_url, &client_id, &client_secret).await.map_err(to_body)?;
    let _ = app.emit(STATUS_CHANGED, ());
    Ok(store)
}

/// The file's bytes from the web view's base64 (a file is sent whole, as the picker read it;
/// its encoding is worked out by the core), decoded and read on the blocking pool.
async fn csv_file<T: Send + 'static>(
    state: &AppState,
    data: String,
    work: impl FnOnce(&dropdock_core::app::Dropdock, &[u8]) -> dropdock_core::error::Result<T> + Send + 'static,
) -> CommandResult<T> {
    use base64::Engine;
    blocking(&state.dd, move |dd| {
        if data.len() > dropdock_core::stores::csv_import::MAX_CSV_BYTES / 3 * 4 + 4 {
            return Err(dropdock_core::stores::csv_import::too_large());
        }
        let bytes = base64::engine::general_purpose::STANDARD.decode(data.as_bytes()).map_err(|_| {
            dropdock_core::CoreError::InvalidInput("the file did not arrive whole: choose it again".into())
        })?;
        work(dd, &bytes)
    })
    .await
}

/// Import orders (CSV) → Preview: what importing the file would do; nothing is stored. `data`
/// is the file, base64.
#[tauri::command]
pub async fn preview_csv_import(
    state: State<'_, AppState>,
    store_name: String,
    data: String,
) -> CommandResult<CsvImport> {
    csv_file(&state, data, move |dd, bytes| dd.preview_csv_import(&store_name, bytes)).await
}

/// Import orders (CSV) → Import. `data` is the file, base64.
#[tauri::command]
pub async fn import_csv(
    app: AppHandle,
    state: State<'_, AppState>,
    store_name: String,
    data: String,
) -> CommandResult<CsvImport> {
    let result = csv_file(&state, data, move |dd, bytes| dd.import_csv(&store_name, bytes)).await;
    let _ = app.emit(STATUS_CHANGED, ());
    result
}

/// The sandbox's Etsy shop and its app keys, offered on the connect form (sandbox only).
#[tauri::command]
pub async fn demo_etsy_shop(state: State<'_, AppState>) -> Result<Option<DemoEtsyShop>, ()> {
    Ok(state.demo_etsy())
}

/// Connect a store → Etsy: opens Etsy's "Allow access" page in the system browser (OAuth 2.0 with
/// PKCE), waits up to 5 minutes for the seller to allow it, then keeps the shop and its tokens.
#[tauri::command]
pub async fn connect_etsy(
    app: AppHandle,
    state: State<'_, AppState>,
    name: String,
    api_url: String,
    keystring: String,
    shared_secret: String,
) -> CommandResult<StoreView> {
    let is_demo = state.demo_etsy().is_some_and(|d| d.api_url == api_url.trim().trim_end_matches('/'));
    let port = if is_demo { 0 } else { dropdock_core::stores::etsy_connect::ETSY_REDIRECT_PORT };
    let mut pending =
        state.dd.begin_etsy_connect(&name, &api_url, &keystring, &shared_secret, port).await.map_err(to_body)?;
    pending.is_sandbox = is_demo;
    let browser_error =
        |message: String| dropdock_core::error::ErrorBody::new(dropdock_core::ErrorCode::InvalidInput, message);
    if is_demo {
        // The demo shop's "Allow access" page approves at once: follow it here, no browser needed.
        let url = pending.authorize_url.clone();
        tauri::async_runtime::spawn(async move {
            if let Err(e) = reqwest::get(url).await {
                tracing::warn!(error = %e, "the demo Etsy page did not answer");
            }
        });
    } else {
        app.opener()
            .open_url(pending.authorize_url.clone(), None::<&str>)
            .map_err(|e| browser_error(format!("could not open the browser: {e}")))?;
    }
    let store = state.dd.finish_etsy_connect(pending, std::time::Duration::from_secs(300)).await.map_err(to_body)?;
    let _ = app.emit(STATUS_CHANGED, ());
    Ok(store)
}

/// Test connection: one read with the stored credentials.
#[tauri::command]
pub async fn test_store_connection(state: State<'_, AppState>, id: i64) -> CommandResult<()> {
    state.dd.test_store_connection(id).await.map_err(to_body)
}

/// Sync now: the store's background run, at once (since its watermark).
#[tauri::command]
pub async fn sync_store_now(state: State<'_, AppState>, id: i64) -> CommandResult<BackgroundSync> {
    let result = state.dd.sync_store_in_background(id, chrono::Utc::now()).await.map_err(to_body);
    result
}

/// Pause or resume background sync.
#[tauri::command]
pub async fn set_store_paused(state: State<'_, AppState>, id: i64, paused: bool) -> CommandResult<StoreView> {
    blocking(&state.dd, move |dd| dd.set_store_paused(id, paused)).await
}

/// How often the store syncs in the background, in minutes.
#[tauri::command]
pub async fn set_store_sync_interval(state: State<'_, AppState>, id: i64, minutes: u32) -> CommandResult<StoreView> {
    blocking(&state.dd, move |dd| dd.set_store_sync_interval(id, minutes)).await
}

/// Edit → name.
#[tauri::command]
pub async fn rename_store(state: State<'_, AppState>, id: i64, name: String) -> CommandResult<StoreView> {
    let result = blocking(&state.dd, move |dd| dd.rename_store(id, &name)).await;
    result
}

/// Edit → new credentials, checked before they replace the old ones.
#[tauri::command]
pub async fn update_store_credentials(
    state: State<'_, AppState>,
    id: i64,
    credentials: dropdock_core::stores::integrations::StoreCredentialsInput,
) -> CommandResult<StoreView> {
    state.dd.update_store_credentials(id, &credentials).await.map_err(to_body)
}

/// Disconnect: the credentials leave the keychain; the orders stay.
#[tauri::command]
pub async fn disconnect_store(app: AppHandle, state: State<'_, AppState>, id: i64) -> CommandResult<StoreView> {
    let result = blocking(&state.dd, move |dd| dd.disconnect_store(id)).await;
    let _ = app.emit(STATUS_CHANGED, ());
    result
}

/// The supplier accounts, connected and disconnected, by name.
#[tauri::command]
pub async fn list_suppliers(state: State<'_, AppState>) -> CommandResult<Vec<SupplierView>> {
    blocking(&state.dd, move |dd| dd.suppliers()).await
}

/// The sandbox's Printful account, offered on Connect a supplier (sandbox only).
#[tauri::command]
pub async fn demo_supplier_account(state: State<'_, AppState>) -> Result<Option<DemoSupplierAccount>, ()> {
    Ok(state.demo_supplier())
}

/// Connect a supplier: `platform` `cj` (its API key) or `printful` (a private token, and the
/// store id when the token spans several stores). The key is checked with one authenticated
/// read, then kept in the keychain with the account's row (both or neither).
#[tauri::command]
pub async fn connect_supplier(
    app: AppHandle,
    state: State<'_, AppState>,
    platform: String,
    name: String,
    base_url: String,
    key: String,
    store_id: Option<String>,
) -> CommandResult<SupplierView> {
    let dd = &state.dd;
    let supplier = match platform.as_str() {
        "cj" => dd.connect_cj(&name, &base_url, &key, false).await,
        "printful" => dd.connect_printful(&name, &base_url, &key, store_id.as_deref(), false).await,
        other => Err(dropdock_core::CoreError::InvalidInput(format!("unknown supplier platform {other}"))),
    }
    .map_err(to_body)?;
    let _ = app.emit(STATUS_CHANGED, ());
    Ok(supplier)
}

/// Test connection: one authenticated read with the stored key or token.
#[tauri::command]
pub async fn test_supplier_connection(state: State<'_, AppState>, id: i64) -> CommandResult<()> {
    state.dd.test_supplier_connection(id).await.map_err(to_body)
}

/// Edit → new key or token, checked before it replaces the old one.
#[tauri::command]
pub async fn update_supplier_keys(
    state: State<'_, AppState>,
    id: i64,
    key: String,
    store_id: Option<String>,
) -> CommandResult<SupplierView> {
    state.dd.update_supplier_keys(id, &key, store_id.as_deref()).await.map_err(to_body)
}

/// Edit → name.
#[tauri::command]
pub async fn rename_supplier(state: State<'_, AppState>, id: i64, name: String) -> CommandResult<SupplierView> {
    blocking(&state.dd, move |dd| dd.rename_supplier(id, &name)).await
}

/// Edit → rate limit, requests per second.
#[tauri::command]
pub async fn set_supplier_rate_limit(
    state: State<'_, AppState>,
    id: i64,
    requests_per_second: u32,
) -> CommandResult<SupplierView> {
    blocking(&state.dd, move |dd| {
        dd.set_supplier_rate_limit(id, requests_per_second)?;
        dd.supplier(id)
    })
    .await
}

/// Disconnect: the keys leave the keychain; the sub-orders and ledger stay.
#[tauri::command]
pub async fn disconnect_supplier(app: AppHandle, state: State<'_, AppState>, id: i64) -> CommandResult<SupplierView> {
    let result = blocking(&state.dd, move |dd| dd.disconnect_supplier(id)).await;
    let _ = app.emit(STATUS_CHANGED, ());
    result
}
