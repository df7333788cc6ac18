//! Fault injection: while the store mocks answer 10 % of their order reads with a 429, a 500, a
//! body cut in half or a stall past the client's timeout (and a few such faults in a row to
//! start with), a sync still ends complete, and the database holds exactly what a clean run
//! stored: the same orders with the same content, on Shopify and on WooCommerce.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use dropdock_core::app::{http_client, Dropdock};
use dropdock_core::db::{Db, DB_FILE};
use dropdock_core::secrets::MemorySecrets;
use dropdock_demo::{connect_sandbox, sandbox_endpoints};
use dropdock_sandbox::{Fault, Sandbox, SandboxConfig};

/// Every stored order: (platform, remote id) → content hash.
fn snapshot(dir: &std::path::Path) -> BTreeMap<(String, String), String> {
    let conn = rusqlite::Connection::open(dir.join(DB_FILE)).unwrap();
    let mut stmt = conn
        .prepare("SELECT s.platform, o.remote_id, o.content_hash FROM orders o JOIN store s ON s.id = o.store_id")
        .unwrap();
    stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?))).unwrap().collect::<rusqlite::Result<_>>().unwrap()
}

async fn app(sandbox: &Sandbox, timeout: Duration) -> (Dropdock, tempfile::TempDir, i64, i64) {
    // Each app gets its own CJ token: the sandbox, like CJ, allows getAccessToken once per 5 min.
    for i in 0..sandbox.supplier_count() {
        sandbox.supplier(i).allow_token_call();
    }
    let dir = tempfile::tempdir().unwrap();
    let dd = Dropdock::new(Db::open_dir(dir.path()).unwrap(), Arc::new(MemorySecrets::default()), http_client(timeout));
    let shop = connect_sandbox(&dd, &sandbox_endpoints(sandbox)).await.unwrap();
    let woo = sandbox.woo();
    let woo = dd.connect_woocommerce("Woo", &woo.url(), &woo.consumer_key(), &woo.consumer_secret()).await.unwrap();
    (dd, dir, shop, woo.id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_through_faults_stores_what_a_clean_sync_stores() {
    std::env::set_var("DROPDOCK_RETRY_DELAY_MS", "5");
    let sandbox = Sandbox::start(SandboxConfig { orders: 600, restore_rate: 100_000.0, ..SandboxConfig::default() })
        .await
        .unwrap();
    let (clean, clean_dir, shop, woo) = app(&sandbox, Duration::from_secs(5)).await;
    for store in [shop, woo] {
        let run = clean.sync(store, 60).await.unwrap();
        assert_eq!(run.error, None, "{}", run.line);
    }
    let expected = snapshot(clean_dir.path());
    assert_eq!(expected.len(), 600 + 150);

    // The faulty run: its client gives up after 800 ms, so a stall is a timeout.
    let (faulty, faulty_dir, shop, woo) = app(&sandbox, Duration::from_millis(800)).await;
    let start = [Fault::Stall { millis: 1_500 }, Fault::Truncated, Fault::ServerError];
    sandbox.shop().fail_next(&start);
    sandbox.woo().fail_next(&[
        Fault::Truncated,
        Fault::TooManyRequests { retry_after_secs: 0 },
        Fault::Stall { millis: 1_500 },
    ]);
    sandbox.shop().set_fault_rate(0.1);
    sandbox.woo().set_fault_rate(0.1);
    let woo_requests = sandbox.woo().requests();
    for store in [shop, woo] {
        let run = faulty.sync(store, 60).await.unwrap();
        assert_eq!(run.error, None, "every page was read in the end: {}", run.line);
        assert!(run.line.contains(" complete, "), "{}", run.line);
    }
    assert!(sandbox.woo().requests() - woo_requests >= 2 + 3, "the faults were served and retried");
    assert_eq!(snapshot(faulty_dir.path()), expected, "the same orders, field for field");
}
