//! Order page: the table and its tabs, the detail, Ship order, Sync Order.

use dropdock_core::fulfillment::ShipResult;
use dropdock_core::search::{OrderPage, OrderQuery};
use dropdock_core::sync::SyncSummary;
use dropdock_core::views::{OrderDetail, StatusCount};
use tauri::{AppHandle, Emitter, State};

use super::{to_body, CommandResult};
use crate::state::{AppState, ORDERS_CHANGED};

/// A page of the orders table: filters, search, keyset pagination (`query.after`).
#[tauri::command]
pub fn query_orders(state: State<'_, AppState>, query: OrderQuery) -> CommandResult<OrderPage> {
    state.dd.query_orders(&query).map_err(to_body)
}

#[tauri::command]
pub fn order_counts(state: State<'_, AppState>) -> CommandResult<Vec<StatusCount>> {
    state.dd.status_counts().map_err(to_body)
}

#[tauri::command]
pub fn order_detail(state: State<'_, AppState>, id: i64) -> CommandResult<OrderDetail> {
    state.dd.order_detail(id).map_err(to_body)
}

/// "Ship order": split by supplier, send, pay from the wallet.
#[tauri::command]
pub async fn ship_order(app: AppHandle, state: State<'_, AppState>, id: i64) -> CommandResult<ShipResult> {
    let result = state.dd.ship(id).await;
    let _ = app.emit(ORDERS_CHANGED, ());
    result.map_err(to_body)
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
    let _ = app.emit(ORDERS_CHANGED, ());
    result.map_err(to_body)
}
