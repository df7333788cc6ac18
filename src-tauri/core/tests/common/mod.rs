//! Shared by the integration tests: a sandbox, a Dropdock on a fresh database connected to it
//! (secrets in memory), and the sandbox store synced over 60 days.

use std::sync::Arc;
use std::time::Duration;

use dropdock_core::app::{http_client, Dropdock};
use dropdock_core::db::Db;
use dropdock_core::secrets::MemorySecrets;
use dropdock_demo::{connect_sandbox, sandbox_endpoints};
use dropdock_sandbox::{Sandbox, SandboxConfig};

/// The sandbox, the app, the sandbox store's id, and the data directory (kept alive).
#[allow(dead_code)] // Each test file compiles this module apart; not all of them use it.
pub async fn synced_sandbox(config: SandboxConfig) -> (Sandbox, Dropdock, i64, tempfile::TempDir) {
    let (sandbox, dd, store_id, dir) = connected_sandbox(config).await;
    dd.sync(store_id, 60).await.unwrap();
    (sandbox, dd, store_id, dir)
}

/// [`synced_sandbox`] before its sync: the store connected, nothing stored yet.
#[allow(dead_code)] // Each test file compiles this module apart; not all of them use it.
pub async fn connected_sandbox(config: SandboxConfig) -> (Sandbox, Dropdock, i64, tempfile::TempDir) {
    let sandbox = Sandbox::start(config).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dd = Dropdock::new(
        Db::open_dir(dir.path()).unwrap(),
        Arc::new(MemorySecrets::default()),
        http_client(Duration::from_secs(5)),
    );
    let store_id = connect_sandbox(&dd, &sandbox_endpoints(&sandbox)).await.unwrap();
    (sandbox, dd, store_id, dir)
}
