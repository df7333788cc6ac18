//! Finance → My Wallet.

use dropdock_core::error::{ErrorBody, ErrorCode};
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

/// My Wallet → Recharge on the sandbox: adds `amount_minor` (US cents) to a demo supplier wallet,
/// then refreshes the balances. (A real CJ wallet is recharged on CJ's own site.)
#[tauri::command]
pub async fn sandbox_recharge(
    state: State<'_, AppState>,
    supplier_name: String,
    amount_minor: i64,
) -> CommandResult<Vec<SupplierView>> {
    if !(1..=10_000_000).contains(&amount_minor) {
        return Err(ErrorBody { code: ErrorCode::InvalidInput, message: "recharge between $0.01 and $100,000".into() });
    }
    state
        .sandbox_recharge(&supplier_name, amount_minor)
        .map_err(|message| ErrorBody { code: ErrorCode::InvalidInput, message })?;
    state.dd.refresh_wallet().await.map_err(to_body)
}
