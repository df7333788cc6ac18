//! The one error type every front end sees, with stable machine-readable codes.
//!
//! Commands cross the IPC boundary as `{ code, message }` (see [`CoreError::code`]); the codes
//! are a public interface pinned by tests, the messages are for people.

use serde::Serialize;

use crate::stores::ConnectorError;

/// Stable error codes. Serialised in `snake_case`, e.g. `"not_found"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// The named store, supplier or order does not exist locally.
    NotFound,
    /// The caller's input was rejected (bad window, bad URL, duplicate name...).
    InvalidInput,
    /// The remote rejected our credentials: the user must reconnect the account.
    Auth,
    /// The remote could not be reached, or timed out.
    Network,
    /// The remote answered with an error or an unreadable reply.
    Remote,
    /// The order cannot be fulfilled as it is (unpaid, unmapped SKU, no shipping line...).
    Held,
    /// The local database failed (disk full, corrupt file...). Nothing stored was changed.
    Database,
    /// The OS keychain is missing or refused access.
    Keychain,
    /// A file could not be written or made (disk full, no permission, a bad path).
    File,
}

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    InvalidInput(String),
    #[error("{0}")]
    Held(String),
    #[error(transparent)]
    Connector(#[from] ConnectorError),
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    /// No database connection could be had in time (every reader busy, the file unreadable).
    #[error("database error: {0}")]
    DatabaseBusy(String),
    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("OS keychain: {0}")]
    Keychain(String),
    /// Writing or making a file (an export) failed; the message says which and why.
    #[error("{0}")]
    File(String),
}

impl CoreError {
    /// True when the network is the suspect (see [`ConnectorError::is_unreachable`]).
    pub fn is_unreachable(&self) -> bool {
        matches!(self, CoreError::Connector(c) if c.is_unreachable())
    }

    /// The stable code for this error (see [`ErrorCode`]).
    pub fn code(&self) -> ErrorCode {
        match self {
            CoreError::NotFound(_) => ErrorCode::NotFound,
            CoreError::InvalidInput(_) => ErrorCode::InvalidInput,
            CoreError::Held(_) => ErrorCode::Held,
            CoreError::Connector(e) => match e {
                ConnectorError::Auth(_) => ErrorCode::Auth,
                ConnectorError::Network(_) | ConnectorError::Timeout(_) | ConnectorError::ReplyLost(_) => {
                    ErrorCode::Network
                }
                _ => ErrorCode::Remote,
            },
            CoreError::Database(_) | CoreError::DatabaseBusy(_) | CoreError::Migration(_) => ErrorCode::Database,
            CoreError::Keychain(_) => ErrorCode::Keychain,
            CoreError::File(_) => ErrorCode::File,
        }
    }
}

/// The shape errors take across IPC and in `--json` CLI output: `{ "code": "...", "message": "..." }`.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
}

impl From<&CoreError> for ErrorBody {
    fn from(e: &CoreError) -> Self {
        ErrorBody { code: e.code(), message: e.to_string() }
    }
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;
