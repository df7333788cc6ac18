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
