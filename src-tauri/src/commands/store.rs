//! Store → Integrations.

use dropdock_core::views::StoreView;
use tauri::State;

use super::{to_body, CommandResult};
use crate::state::AppState;

#[tauri::command]
pub fn list_stores(state: State<'_, AppState>) -> CommandResult<Vec<StoreView>> {
    state.dd.stores().map_err(to_body)
}
