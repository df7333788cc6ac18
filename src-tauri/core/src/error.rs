//! The one error type every front end sees, with stable machine-readable codes.
//!
//! Commands cross the IPC boundary as `{ code, message, detail }` (see [`CoreError::code`] and
//! [`CoreError::detail`]); the codes are a public interface pinned by tests, the message is the
//! core's English sentence (logs, the CLI), and the detail is what a front end words in the
//! merchant's language: a message key and the values it names.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::fulfillment::Hold;
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
    /// The order cannot be sent as it is; the hold says why (its kind and values).
    #[error("{}", .0.reason)]
    Held(Box<Hold>),
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

impl CoreError {
    /// What went wrong as a message key and its values, for a front end to word in the
    /// merchant's language; `None` when only the English message says it.
    ///
    /// Keys: `hold.<hold kind>` (the hold's values, see [`crate::fulfillment::HoldKind`]),
    /// `connector.<auth|network|timeout|reply_lost|throttled|busy|remote|malformed>` (`service`,
    /// and `status` or `message` where the reply gave one), `database_busy`.
    pub fn detail(&self) -> Option<ErrorDetail> {
        let detail = |key: &str, params: &[(&str, String)]| {
            Some(ErrorDetail {
                key: key.to_owned(),
                params: params.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect(),
            })
        };
        match self {
            CoreError::Held(hold) => {
                Some(ErrorDetail { key: format!("hold.{}", hold.kind.as_str()), params: hold.params.clone() })
            }
            CoreError::Connector(e) => match e {
                ConnectorError::Auth(s) => detail("connector.auth", &[("service", s.clone())]),
                ConnectorError::Network(s) => detail("connector.network", &[("service", s.clone())]),
                ConnectorError::Timeout(s) => detail("connector.timeout", &[("service", s.clone())]),
                ConnectorError::ReplyLost(s) => detail("connector.reply_lost", &[("service", s.clone())]),
                ConnectorError::Throttled(s) => detail("connector.throttled", &[("service", s.clone())]),
                ConnectorError::Busy { service, status, .. } => {
                    detail("connector.busy", &[("service", service.clone()), ("status", status.to_string())])
                }
                ConnectorError::Remote { service, message, .. } => {
                    detail("connector.remote", &[("service", service.clone()), ("message", message.clone())])
                }
                ConnectorError::Malformed { service, .. } => {
                    detail("connector.malformed", &[("service", service.clone())])
                }
            },
            CoreError::DatabaseBusy(_) => detail("database_busy", &[]),
            _ => None,
        }
    }
}

/// An error's statement for translation: `key` names a message in each front end's catalogue
/// (e.g. `hold.unmapped_sku`, `connector.auth`), `params` the values it names (`sku`,
/// `service`...). Front ends fall back to the English message for a key they do not know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ErrorDetail {
    pub key: String,
    pub params: BTreeMap<String, String>,
}

/// The shape errors take across IPC and in `--json` CLI output:
/// `{ "code": "held", "message": "…", "detail": { "key": "hold.unmapped_sku", "params": { "sku": "…" } } }`
/// (`detail` is `null` when there is none).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
    pub detail: Option<ErrorDetail>,
}

impl ErrorBody {
    /// An error of a front end's own (a bad path, a bad argument), with no detail to word.
    pub fn new(code: ErrorCode, message: String) -> Self {
        ErrorBody { code, message, detail: None }
    }
}

impl From<&CoreError> for ErrorBody {
    fn from(e: &CoreError) -> Self {
        ErrorBody { code: e.code(), message: e.to_string(), detail: e.detail() }
    }
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fulfillment::HoldKind;

    /// A hold and a rejected key cross to the UI as a key and values it can word in any
    /// language, beside the English sentence the CLI prints.
    #[test]
    fn errors_carry_a_key_and_values_to_word() {
        let held = CoreError::Held(Box::new(Hold::new(
            HoldKind::UnmappedSku,
            "SKU MUG-1 has no supplier variant",
            [("sku", "MUG-1".to_owned())],
        )));
        let body = serde_json::to_value(ErrorBody::from(&held)).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "code": "held",
                "message": "SKU MUG-1 has no supplier variant",
                "detail": { "key": "hold.unmapped_sku", "params": { "sku": "MUG-1" } }
            })
        );
        let auth = CoreError::Connector(ConnectorError::Auth("CJdropshipping".into()));
        let detail = auth.detail().unwrap();
        assert_eq!((detail.key.as_str(), detail.params["service"].as_str()), ("connector.auth", "CJdropshipping"));
        let plain = ErrorBody::from(&CoreError::NotFound("order 9 not found".into()));
        assert_eq!((plain.code, plain.detail), (ErrorCode::NotFound, None));
    }
}
