//! The whole sandbox job with known credentials and a card typed in, then a search for every
//! secret (credentials, the card's number and CVC) in the logs (all targets at
//! TRACE, HTTP clients included), the database files, and every result a front end receives
//! (command results, errors and event payloads are these same serialised views).

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dropdock_core::app::{http_client, Dropdock};
use dropdock_core::db::Db;
use dropdock_core::fulfillment::payment_card::CardInput;
use dropdock_core::model::OrderStatus;
use dropdock_core::secrets::{
    supplier_card_token_key as card_token_key, supplier_token_key, MemorySecrets, SecretStore,
};
use dropdock_demo::{connect_sandbox, sandbox_endpoints};
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

/// Occurrences of `needle` not touching another letter or digit: a short secret such as a CVC
/// standing as a value of its own, not inside a timestamp's nanoseconds or an order id.
fn count_token(haystack: &[u8], needle: &str) -> usize {
    let n = needle.len();
    (0..haystack.len().saturating_sub(n - 1))
        .filter(|&i| {
            &haystack[i..i + n] == needle.as_bytes()
                && (i == 0 || !haystack[i - 1].is_ascii_alphanumeric())
                && haystack.get(i + n).is_none_or(|b| !b.is_ascii_alphanumeric())
        })
        .count()
}

/// The card typed in the test: an American Express test number (its CVC has 4 digits).
const CARD_AS_TYPED: &str = "3714 496353 98431";
const CARD_NUMBER: &str = "371449635398431";
const CVC: &str = "8969";

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
    // The Credit Card tab: one mistyped attempt, then the card, which CJ (no card API) cannot
    // take: refused with the reason. Orders are paid from My Wallet.
    let mut card = CardInput {
        number: "3714 496353 98432".into(),
        name_on_card: "Ada Lovelace".into(),
        exp_month: 9,
        exp_year: 2031,
        cvc: CVC.into(),
        country_code: "GB".into(),
    };
    results.push(dd.save_card(&card, true).await.unwrap_err().to_string());
    card.number = CARD_AS_TYPED.into();
    results.push(format!("{card:?}"));
    results.push(dd.save_card(&card, true).await.unwrap_err().to_string());
    results.push(serde_json::to_string(&dd.auto_settings().unwrap()).unwrap());
    drop(card);
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
    assert!(results.iter().any(|r| r.contains("own payment page")), "the card was refused with the reason");
    assert!(results.iter().any(|r| r.contains("\"payment_method\":\"wallet\"")), "orders were paid from My Wallet");

    // The secrets: the store token, each CJ account's API key and the access token CJ issued,
    // and the Printful token.
    let mut known = vec![sandbox.shopify_token(), sandbox.printful().token()];
    for i in 0..sandbox.supplier_count() {
        let cj = sandbox.supplier(i);
        let supplier = dd.suppliers().unwrap().into_iter().find(|s| s.name == cj.name()).unwrap();
        known.push(cj.api_key());
        let cached = secrets.get(&supplier_token_key(supplier.id)).unwrap().expect("a CJ access token was issued");
        let token: serde_json::Value = serde_json::from_str(&cached).unwrap();
        known.push(token["access_token"].as_str().unwrap().to_owned());
    }
    assert_eq!(known.len(), 6);
    for supplier in dd.suppliers().unwrap() {
        assert_eq!(secrets.get(&card_token_key(supplier.id)).unwrap(), None, "no card token");
    }
    known.extend([CARD_NUMBER.to_owned(), CARD_AS_TYPED.to_owned(), "371449635398432".to_owned()]);

    let log_text = logs.0.lock().unwrap().clone();
    assert!(count(&log_text, "sync finished") >= 1, "the log capture works");
    drop(dd);
    let mut db_files = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        db_files.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    assert!(count(&db_files, "DD-MUG-WHT") + count(&db_files, "DD-LED-5M") > 0, "the database files were read");
    let results = results.join("\n");
    // The CVC is short: it is looked for as a value of its own. The scan finds one where it is.
    assert_eq!(count_token(br#"{"cvc":"8969"}"#, CVC), 1);
    assert_eq!(count_token(b"2026-11-22T05:49:26.189690+00:00 CJ26112289690", CVC), 0);
    assert_eq!(count_token(&log_text, CVC), 0, "the CVC is in the logs");
    assert_eq!(count_token(&db_files, CVC), 0, "the CVC is in the database files");
    assert_eq!(count_token(results.as_bytes(), CVC), 0, "the CVC is in a command result");
    for secret in &known {
        assert!(secret.len() >= 15, "a real secret: {secret}");
        assert_eq!(count(&log_text, secret), 0, "a secret is in the logs");
        assert_eq!(count(&db_files, secret), 0, "a secret is in the database files");
        assert_eq!(count(results.as_bytes(), secret), 0, "a secret is in a command result");
    }
}
