//! Shared by the CLI's integration tests: running `dropdock-cli` on a data directory and reading
//! what it printed, and a data directory connected to a sandbox as the app would leave it.

#![allow(dead_code)] // each test file uses its own part

use std::process::{Command, Output};
use std::sync::Arc;

use dropdock_core::secrets::{OsKeychain, SecretStore};
use dropdock_core::Dropdock;
use dropdock_demo::{connect_sandbox, sandbox_endpoints};
use dropdock_sandbox::Sandbox;

/// `dropdock-cli --data-dir DIR ARGS…`, quiet logs.
pub fn cli(dir: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dropdock-cli"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("DROPDOCK_LOG", "off")
        .output()
        .expect("the CLI runs")
}

/// What a successful run printed; a failed one fails the test with both outputs.
pub fn ok(out: Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "stdout:\n{stdout}\nstderr:\n{}", String::from_utf8_lossy(&out.stderr));
    stdout
}

/// The core on `dir` with the OS keychain (as the CLI opens it), connected to the sandbox's
/// store and suppliers and synced over 60 days.
pub async fn connected(sandbox: &Sandbox, dir: &std::path::Path) -> Dropdock {
    let dd = Dropdock::open(dir, |id| Arc::new(OsKeychain::new(id)) as Arc<dyn SecretStore>).unwrap();
    let store = connect_sandbox(&dd, &sandbox_endpoints(sandbox)).await.unwrap();
    dd.sync(store, 60).await.unwrap();
    dd
}
