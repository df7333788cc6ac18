//! An account and its keychain entries are kept both or neither, with no keychain call inside
//! the row's write transaction: a keychain that refuses an entry leaves no account behind and
//! puts back the entries already written.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use dropdock_core::app::{http_client, Dropdock};
use dropdock_core::db::Db;
use dropdock_core::error::Result;
use dropdock_core::secrets::{supplier_api_key_key, MemorySecrets, SecretStore};
use dropdock_core::CoreError;
use dropdock_sandbox::{Sandbox, SandboxConfig};

/// A keychain that refuses to store access tokens while `refuse` is set.
#[derive(Default)]
struct Refusing {
    inner: MemorySecrets,
    refuse: AtomicBool,
}

impl SecretStore for Refusing {
    fn get(&self, key: &str) -> Result<Option<String>> {
        self.inner.get(key)
    }
    fn set(&self, key: &str, value: &str) -> Result<()> {
        if self.refuse.load(Ordering::SeqCst) && key.contains("token") {
            return Err(CoreError::Keychain("the keychain is locked".into()));
        }
        self.inner.set(key, value)
    }
    fn delete(&self, key: &str) -> Result<()> {
        self.inner.delete(key)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_keychain_entry_leaves_no_account_and_no_entry() {
    let sandbox = Sandbox::start(SandboxConfig { orders: 1, ..SandboxConfig::default() }).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(Refusing::default());
    let dd = Dropdock::new(Db::open_dir(dir.path()).unwrap(), secrets.clone(), http_client(Duration::from_secs(5)));
    let cj = sandbox.supplier(0);
    secrets.refuse.store(true, Ordering::SeqCst);
    // The API key is written first, then the token is refused: both are gone, and the row.
    let err = dd.connect_cj("CJ", &cj.url(), &cj.api_key(), false).await.unwrap_err();
    assert!(err.to_string().contains("the keychain is locked"), "{err}");
    assert!(dd.suppliers().unwrap().is_empty(), "no supplier without its credentials");
    assert_eq!(secrets.get(&supplier_api_key_key(1)).unwrap(), None, "the API key written first is taken back");
    // A Shopify store likewise.
    let err = dd.connect_shopify("Shop", &sandbox.shopify_url(), &sandbox.shopify_token(), false).await.unwrap_err();
    assert!(err.to_string().contains("the keychain is locked"), "{err}");
    assert!(dd.stores().unwrap().is_empty());
    // With the keychain back, both connect.
    secrets.refuse.store(false, Ordering::SeqCst);
    // (CJ allows getAccessToken once per 5 minutes; the sandbox is told the time has passed.)
    cj.allow_token_call();
    let supplier = dd.connect_cj("CJ", &cj.url(), &cj.api_key(), false).await.unwrap();
    assert_eq!(secrets.get(&supplier_api_key_key(supplier.id)).unwrap().as_deref(), Some(cj.api_key().as_str()));
    dd.connect_shopify("Shop", &sandbox.shopify_url(), &sandbox.shopify_token(), false).await.unwrap();
    assert_eq!(dd.stores().unwrap().len(), 1);
}
