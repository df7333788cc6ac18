//! Order page: the table and its tabs, the detail, bulk actions (Ship orders, Hold, Release,
//! Export CSV), Sync Order, and the Dashboard's figures.

use std::path::PathBuf;

use dropdock_core::app::FoundVariant;
use dropdock_core::error::{ErrorBody, ErrorCode};
use dropdock_core::offline::ShipOrdersResult;
use dropdock_core::orders::actions::{BulkResult, ExportedFile, OrderSelection};
use dropdock_core::orders::cancellation::CancelResult;
use dropdock_core::orders::dashboard::{Dashboard, DashboardRequest};
use dropdock_core::orders::search::{OrderPage, OrderQuery};
use dropdock_core::orders::views::{OrderDetail, StatusCount};
use dropdock_core::stores::progress::SyncProgress;
use dropdock_core::stores::sync::SyncSummary;
use tauri::{AppHandle, Emitter, Manager, State};
use tauri_plugin_opener::OpenerExt;

use super::{blocking, to_body, CommandResult};
use crate::state::{AppState, NETWORK_CHANGED};

/// A page of the orders table: filters, search, keyset pagination (`query.after`).
#[tauri::command]
pub async fn query_orders(state: State<'_, AppState>, query: OrderQuery) -> CommandResult<OrderPage> {
    blocking(&state.dd, move |dd| dd.query_orders(&query)).await
}

/// The country filter's choices: destinations of the stored orders.
#[tauri::command]
pub async fn order_countries(state: State<'_, AppState>) -> CommandResult<Vec<String>> {
    blocking(&state.dd, move |dd| dd.order_countries()).await
}

#[tauri::command]
pub async fn order_counts(state: State<'_, AppState>) -> CommandResult<Vec<StatusCount>> {
    blocking(&state.dd, move |dd| dd.status_counts()).await
}

#[tauri::command]
pub async fn order_detail(state: State<'_, AppState>, id: i64) -> CommandResult<OrderDetail> {
    blocking(&state.dd, move |dd| dd.order_detail(id)).await
}

/// "Ship order(s)": each order split by supplier, sent and paid from the wallet now, or queued
/// while its supplier cannot be reached, or skipped with the reason (held, already sent).
#[tauri::command]
pub async fn ship_orders(app: AppHandle, state: State<'_, AppState>, ids: Vec<i64>) -> CommandResult<ShipOrdersResult> {
    let result = state.dd.ship_orders(&ids).await;
    let _ = app.emit(NETWORK_CHANGED, ());
    result.map_err(to_body)
}

/// "Cancel fulfilment" on an order or a selection: out of the queue, or the suppliers are asked
/// and their answers returned.
#[tauri::command]
pub async fn cancel_fulfillment(
    app: AppHandle,
    state: State<'_, AppState>,
    ids: Vec<i64>,
) -> CommandResult<CancelResult> {
    let result = state.dd.cancel_fulfillment(&ids).await;
    let _ = app.emit(NETWORK_CHANGED, ());
    result.map_err(to_body)
}

/// The order drawer's "Request refund or replacement": opens a request at the supplier (or
/// records it where the platform takes none through its API).
#[tauri::command]
pub async fn open_dispute(
    app: AppHandle,
    state: State<'_, AppState>,
    input: dropdock_core::orders::disputes::DisputeInput,
) -> CommandResult<dropdock_core::orders::disputes::DisputeView> {
    let result = state.dd.open_dispute(&input).await;
    let _ = app.emit(NETWORK_CHANGED, ());
    result.map_err(to_body)
}

/// The requests of one order (`order_id`), or every request (`filter` `open`, `resolved`,
/// `all`), newest first.
#[tauri::command]
pub async fn order_disputes(
    state: State<'_, AppState>,
    order_id: Option<i64>,
    filter: String,
) -> CommandResult<Vec<dropdock_core::orders::disputes::DisputeView>> {
    let result = blocking(&state.dd, move |dd| dd.disputes(&filter, order_id)).await;
    result
}

/// The order drawer's Profit section: the order's figures, worked out now.
#[tauri::command]
pub async fn order_profit(
    state: State<'_, AppState>,
    id: i64,
) -> CommandResult<dropdock_core::orders::profit::OrderProfit> {
    let result = blocking(&state.dd, move |dd| dd.order_profit(id)).await;
    result
}

/// The Dashboard's profit per product: the 10 that made most over the last `days` days.
#[tauri::command]
pub async fn profit_per_product(
    state: State<'_, AppState>,
    days: u32,
) -> CommandResult<Vec<dropdock_core::orders::dashboard::ProductProfit>> {
    let result = blocking(&state.dd, move |dd| dd.profit_per_product(days)).await;
    result
}

/// Withdraws a request.
#[tauri::command]
pub async fn cancel_dispute(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> CommandResult<dropdock_core::orders::disputes::DisputeView> {
    let result = state.dd.cancel_dispute(id).await;
    let _ = app.emit(NETWORK_CHANGED, ());
    result.map_err(to_body)
}

/// "Find at suppliers" for an unmapped SKU.
#[tauri::command]
pub async fn find_supplier_variants(state: State<'_, AppState>, sku: String) -> CommandResult<Vec<FoundVariant>> {
    state.dd.find_supplier_variants(&sku).await.map_err(to_body)
}

/// Maps a store SKU to a supplier variant (cost in US cents); orders held for it are rechecked.
#[tauri::command]
pub async fn map_sku(
    state: State<'_, AppState>,
    sku: String,
    supplier_id: i64,
    variant_id: String,
    cost_minor: i64,
) -> CommandResult<()> {
    let result = blocking(&state.dd, move |dd| dd.map_sku(&sku, supplier_id, &variant_id, cost_minor)).await;
    result
}

/// Maps a line item's store product (and variant) to a supplier variant (cost in US cents), for
/// a line without a SKU; the store is the order's. Orders held for it are rechecked.
#[tauri::command]
pub async fn map_variant(
    state: State<'_, AppState>,
    order_id: i64,
    store_product_id: String,
    store_variant_id: Option<String>,
    supplier_id: i64,
    variant_id: String,
    cost_minor: i64,
) -> CommandResult<()> {
    blocking(&state.dd, move |dd| {
        dd.map_variant_of_order(
            order_id,
            &store_product_id,
            store_variant_id.as_deref(),
            supplier_id,
            &variant_id,
            cost_minor,
        )
    })
    .await
}

/// "Hold" on a selection.
#[tauri::command]
pub async fn hold_orders(state: State<'_, AppState>, ids: Vec<i64>) -> CommandResult<BulkResult> {
    let result = blocking(&state.dd, move |dd| dd.hold_orders(&ids)).await;
    result
}

/// "Release" on a selection.
#[tauri::command]
pub async fn release_orders(state: State<'_, AppState>, ids: Vec<i64>) -> CommandResult<BulkResult> {
    let result = blocking(&state.dd, move |dd| dd.release_orders(&ids)).await;
    result
}

/// "Correct address" in the order drawer: saves the merchant's correction (never pushed to the
/// store) and returns what the address check still finds.
#[tauri::command]
pub async fn correct_address(
    state: State<'_, AppState>,
    id: i64,
    address: dropdock_core::model::Address,
) -> CommandResult<Vec<dropdock_core::fulfillment::address_check::AddressProblem>> {
    let result = blocking(&state.dd, move |dd| dd.correct_address(id, address)).await;
    result
}

/// "Use the store's address": removes the correction. False when there was none.
#[tauri::command]
pub async fn use_store_address(state: State<'_, AppState>, id: i64) -> CommandResult<bool> {
    let result = blocking(&state.dd, move |dd| dd.use_store_address(id)).await;
    result
}

/// Exports land in the user's Downloads folder (the data directory's `exports` when there is
/// none), like a browser's downloads: no file dialog to drive, and the path is shown to the user.
fn exports_dir(app: &AppHandle) -> PathBuf {
    match std::env::var_os("DROPDOCK_EXPORT_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => app.path().download_dir().unwrap_or_else(|_| app.state::<AppState>().data_dir().join("exports")),
    }
}

/// Where an export named `file_name` goes: the exports folder, made if needed.
pub(crate) fn export_path(app: &AppHandle, file_name: &str) -> CommandResult<PathBuf> {
    let dir = exports_dir(app);
    std::fs::create_dir_all(&dir)
        .map_err(|e| ErrorBody::new(ErrorCode::File, format!("cannot create {}: {e}", dir.display())))?;
    Ok(dir.join(file_name))
}

fn io_error(message: String) -> ErrorBody {
    ErrorBody::new(ErrorCode::InvalidInput, message)
}

/// "Export CSV": writes `dropdock-orders-{UTC time}.csv` into the exports folder (atomically:
/// see `Dropdock::export_orders_csv_to`).
#[tauri::command]
pub async fn export_orders_csv(
    app: AppHandle,
    state: State<'_, AppState>,
    selection: OrderSelection,
) -> CommandResult<ExportedFile> {
    let path = export_path(&app, &format!("dropdock-orders-{}.csv", chrono::Utc::now().format("%Y%m%d-%H%M%S")))?;
    let target = path.clone();
    let orders = blocking(&state.dd, move |dd| dd.export_orders_csv_to(&selection, &target)).await?;
    tracing::info!(orders, path = %path.display(), "orders exported");
    Ok(ExportedFile { path: path.display().to_string(), orders })
}

/// Shows an exported file in the file manager; only files in the exports folder.
#[tauri::command]
pub async fn reveal_export(app: AppHandle, path: String) -> CommandResult<()> {
    let path = PathBuf::from(path);
    if path.parent() != Some(exports_dir(&app).as_path()) || path.extension().is_none_or(|e| e != "csv" && e != "pdf") {
        return Err(io_error("only Dropdock's own exports can be shown".into()));
    }
    app.opener().reveal_item_in_dir(&path).map_err(|e| io_error(format!("could not open the file manager: {e}")))
}

/// The Dashboard's figures. `utc_offset_minutes` is the merchant's offset from UTC (JavaScript's
/// `-new Date().getTimezoneOffset()`).
#[tauri::command]
pub async fn dashboard(
    state: State<'_, AppState>,
    days: u32,
    late_after_days: u32,
    utc_offset_minutes: i32,
) -> CommandResult<Dashboard> {
    blocking(&state.dd, move |dd| dd.dashboard(DashboardRequest { days, late_after_days, utc_offset_minutes })).await
}

/// "Sync Order": one store, 7/14/30/60 days; returns the summary with its seed line.
#[tauri::command]
pub async fn sync_orders(
    app: AppHandle,
    state: State<'_, AppState>,
    store_id: i64,
    days: u32,
) -> CommandResult<SyncSummary> {
    let result = state.dd.sync(store_id, days).await;
    let _ = app.emit(NETWORK_CHANGED, ());
    result.map_err(to_body)
}

/// The syncs running now (Sync Order's and the background ones), with their progress; the UI
/// polls it while a run goes.
#[tauri::command]
pub async fn sync_progress(state: State<'_, AppState>) -> CommandResult<Vec<SyncProgress>> {
    Ok(state.dd.sync_progress())
}

/// Stops the store's running sync before its next page (what it stored stays).
#[tauri::command]
pub async fn cancel_sync(state: State<'_, AppState>, store_id: i64) -> CommandResult<SyncProgress> {
    state.dd.cancel_sync(store_id).map_err(to_body)
}
