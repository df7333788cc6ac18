//! IPC commands, one module per sidebar area. Each is a thin call into the core; errors cross
//! as `{ code, message }` ([`dropdock_core::error::ErrorBody`]).

pub mod app;
pub mod auto;
pub mod finance;
pub mod orders;
pub mod settings;
pub mod store;

use dropdock_core::error::ErrorBody;
use dropdock_core::CoreError;

pub type CommandResult<T> = Result<T, ErrorBody>;

pub fn to_body(e: CoreError) -> ErrorBody {
    ErrorBody::from(&e)
}

/// Runs the core's blocking work (SQLite, files, the keychain, CSV and PDF writing) on the
/// blocking thread pool: every command is `async`, so none holds the main thread (Tauri runs
/// synchronous commands there) or an async worker while it reads a million orders.
pub async fn blocking<T, F>(dd: &std::sync::Arc<dropdock_core::Dropdock>, work: F) -> CommandResult<T>
where
    T: Send + 'static,
    F: FnOnce(&dropdock_core::Dropdock) -> dropdock_core::error::Result<T> + Send + 'static,
{
    let dd = dd.clone();
    tauri::async_runtime::spawn_blocking(move || work(&dd))
        .await
        .map_err(|e| to_body(CoreError::InvalidInput(format!("the work stopped before it ended: {e}"))))?
        .map_err(to_body)
}
