//! Credentials: access tokens, API keys and supplier tokens live only behind [`SecretStore`],
//! which the desktop shell and the CLI back with the OS keychain ([`OsKeychain`], the `keyring`
//! crate with a real backend) and tests back with [`MemorySecrets`]. Never in SQLite, logs,
//! events or command results.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::error::{CoreError, Result};

/// A place to keep secrets, addressed by a key such as `store:3:access_token`.
pub trait SecretStore: Send + Sync {
    /// The secret, or `Ok(None)` when nothing is stored under `key`.
    fn get(&self, key: &str) -> Result<Option<String>>;
    /// Stores or replaces the secret.
    fn set(&self, key: &str, value: &str) -> Result<()>;
    /// Removes the secret; removing a missing one is not an error.
    fn delete(&self, key: &str) -> Result<()>;
}

/// In-process secrets for tests and for the sandbox's throwaway data directories.
#[derive(Default)]
pub struct MemorySecrets(Mutex<HashMap<String, String>>);

impl SecretStore for MemorySecrets {
    fn get(&self, key: &str) -> Result<Option<String>> {
        Ok(self.0.lock().expect("secrets lock").get(key).cloned())
    }
    fn set(&self, key: &str, value: &str) -> Result<()> {
        self.0.lock().expect("secrets lock").insert(key.to_owned(), value.to_owned());
        Ok(())
    }
    fn delete(&self, key: &str) -> Result<()> {
        self.0.lock().expect("secrets lock").remove(key);
        Ok(())
    }
}

/// The OS keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows).
///
/// Entries are named service `dropdock`, user `{namespace}/{key}`; the namespace is the
/// database's install id, so two data directories never read each other's secrets.
#[cfg(feature = "os-keychain")]
pub struct OsKeychain {
    namespace: String,
}

#[cfg(feature = "os-keychain")]
impl OsKeychain {
    pub const SERVICE: &'static str = "dropdock";

    pub fn new(namespace: impl Into<String>) -> Self {
        Self { namespace: namespace.into() }
    }

    fn entry(&self, key: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(Self::SERVICE, &format!("{}/{}", self.namespace, key)).map_err(keychain_error)
    }
}

#[cfg(feature = "os-keychain")]
fn keychain_error(e: keyring::Error) -> CoreError {
    CoreError::Keychain(match e {
        keyring::Error::NoStorageAccess(inner) | keyring::Error::PlatformFailure(inner) => format!(
            "the OS keychain is not available ({inner}); on Linux start a Secret Service such as gnome-keyring and unlock it"
        ),
        other => other.to_string(),
    })
}

#[cfg(feature = "os-keychain")]
impl SecretStore for OsKeychain {
    fn get(&self, key: &str) -> Result<Option<String>> {
        match self.entry(key)?.get_password() {
            Ok(v) => Ok(Some(v)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keychain_error(e)),
        }
    }
    fn set(&self, key: &str, value: &str) -> Result<()> {
        self.entry(key)?.set_password(value).map_err(keychain_error)
    }
    fn delete(&self, key: &str) -> Result<()> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keychain_error(e)),
        }
    }
}

/// The key of a store's access token.
pub fn store_token_key(store_id: i64) -> String {
    format!("store:{store_id}:access_token")
}

/// The key of a supplier's API key.
pub fn supplier_api_key_key(supplier_id: i64) -> String {
    format!("supplier:{supplier_id}:api_key")
}

/// The key of the token of the card on file at a supplier (from its payment endpoint).
pub fn supplier_card_token_key(supplier_id: i64) -> String {
    format!("supplier:{supplier_id}:card_token")
}

/// The key of a supplier's cached access token (JSON: token and expiry).
pub fn supplier_token_key(supplier_id: i64) -> String {
    format!("supplier:{supplier_id}:access_token")
}

/// Fails with a clear error when a required secret is missing.
pub fn require(secrets: &dyn SecretStore, key: &str, what: &str) -> Result<String> {
    secrets.get(key)?.ok_or_else(|| CoreError::Keychain(format!("no {what} in the OS keychain; reconnect it")))
}
