//! Finance → My Wallet.

use dropdock_core::views::SupplierView;
use tauri::State;

use super::{to_body, CommandResult};
use crate::state::AppState;

/// Each supplier account with its balance; `refresh` asks the suppliers first (`getBalance`).
#[tauri::command]
pub async fn wallet(state: State<'_, AppState>, refresh: bool) -> CommandResult<Vec<SupplierView>> {
    if refresh {
        state.dd.refresh_wallet().await.map_err(to_body)
    } else {
        state.dd.suppliers().map_err(to_body)
    }
}
