//! The whole sandbox job with known credentials, then a search for every secret in the logs (all
//! targets at TRACE, HTTP clients included), the database files, and every result a front end
//! receives (command results and event payloads are these same serialised views).

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dropdock_core::app::{http_client, Dropdock};
use dropdock_core::db::Db;
use dropdock_core::demo::{connect_sandbox, sandbox_endpoints};
use dropdock_core::model::OrderStatus;
use dropdock_core::secrets::{supplier_token_key, MemorySecrets, SecretStore};
use dropdock_sandbox::{Sandbox, SandboxConfig};

/// Everything logged, as text.
#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn count(haystack: &[u8], needle: &str) -> usize {
    haystack.windows(needle.len()).filter(|w| *w == needle.as_bytes()).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_reaches_logs_database_or_results() {
    let logs = LogBuffer::default();
    let writer = logs.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .init();

    let sandbox = Sandbox::start(SandboxConfig { orders: 60, ship_after: Duration::ZERO, ..SandboxConfig::default() })
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecrets::default());
    let dd = Dropdock::new(Db::open_dir(dir.path()).unwrap(), secrets.clone(), http_client(Duration::from_secs(10)));
    let store_id = connect_sandbox(&dd, &sandbox_endpoints(&sandbox)).await.unwrap();

    let mut results = Vec::new();
    results.push(serde_json::to_string(&dd.sync(store_id, 60).await.unwrap()).unwrap());
    for order in dd.orders(Some(OrderStatus::ToOrder), 5).unwrap() {
        results.push(serde_json::to_string(&dd.ship(order.id).await.unwrap()).unwrap());
    }
    results.push(serde_json::to_string(&dd.track().await.unwrap()).unwrap());
    results.push(serde_json::to_string(&dd.refresh_wallet().await.unwrap()).unwrap());
    results.push(serde_json::to_string(&dd.stores().unwrap()).unwrap());
    for order in dd.orders(None, 1000).unwrap() {
        results.push(serde_json::to_string(&dd.order_detail(order.id).unwrap()).unwrap());
    }
    assert!(results.iter().any(|r| r.contains("\"pushed\":")), "the job ran to tracking");

    // The secrets: the store token, each supplier's API key, and the access tokens CJ issued.
    let mut known = vec![sandbox.shopify_token()];
    for (i, supplier) in dd.suppliers().unwrap().iter().enumerate() {
        known.push(sandbox.supplier(i).api_key());
        let cached = secrets.get(&supplier_token_key(supplier.id)).unwrap().expect("a CJ access token was issued");
        let token: serde_json::Value = serde_json::from_str(&cached).unwrap();
        known.push(token["access_token"].as_str().unwrap().to_owned());
    }
    assert_eq!(known.len(), 5);

    let log_text = logs.0.lock().unwrap().clone();
    assert!(count(&log_text, "sync finished") >= 1, "the log capture works");
    drop(dd);
    let mut db_files = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        db_files.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    assert!(count(&db_files, "DD-MUG-WHT") + count(&db_files, "DD-LED-5M") > 0, "the database files were read");
    let results = results.join("\n");
    for secret in &known {
        assert!(secret.len() >= 16, "a real secret: {secret}");
        assert_eq!(count(&log_text, secret), 0, "a secret is in the logs");
        assert_eq!(count(&db_files, secret), 0, "a secret is in the database files");
        assert_eq!(count(results.as_bytes(), secret), 0, "a secret is in a command result");
    }
}
