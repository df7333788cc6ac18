//! A hostile WooCommerce store: a server of this test's own that answers the orders listing with
//! crafted pages (each bad order beside a good one) and crafted replies (claimed pages without
//! end, hour-long `Retry-After`, a reply trickling a byte at a time). Every run ends within its
//! bound and is recorded, the good order is stored wherever the page is readable, each bad order
//! fails alone with its number and reason, and nothing stored before is lost.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::Utc;
use dropdock_core::app::{http_client, Dropdock};
use dropdock_core::db::Db;
use dropdock_core::secrets::MemorySecrets;
use dropdock_core::stores::sync::{run_sync_window, RetryPolicy, RunWindow};
use serde_json::{json, Value};

/// What the server answers: a body per page (page 1 first; later pages `[]`), extra headers,
/// a status, and whether to trickle the body out a byte every half second.
#[derive(Clone, Default)]
struct Scenario {
    pages: Vec<String>,
    headers: Vec<(&'static str, String)>,
    status: Option<u16>,
    trickle: bool,
}

#[derive(Clone, Default)]
struct Server {
    scenario: Arc<Mutex<Scenario>>,
    requests: Arc<AtomicUsize>,
}

async fn orders(State(server): State<Server>, Query(q): Query<std::collections::HashMap<String, String>>) -> Response {
    server.requests.fetch_add(1, Ordering::SeqCst);
    let scenario = server.scenario.lock().unwrap().clone();
    let page: usize = q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
    let body = scenario.pages.get(page - 1).cloned().unwrap_or_else(|| "[]".into());
    let mut headers = HeaderMap::new();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    for (name, value) in &scenario.headers {
        headers.insert(HeaderName::from_static(name), HeaderValue::from_str(value).unwrap());
    }
    let status = StatusCode::from_u16(scenario.status.unwrap_or(200)).unwrap();
    if scenario.trickle {
        let bytes: Vec<u8> = body.into_bytes();
        let stream = futures_util::stream::unfold(0usize, move |i| {
            let bytes = bytes.clone();
            async move {
                if i >= bytes.len() {
                    return None;
                }
                tokio::time::sleep(Duration::from_millis(500)).await;
                Some((Ok::<_, std::io::Error>(axum::body::Bytes::from(vec![bytes[i]])), i + 1))
            }
        });
        return (status, headers, axum::body::Body::from_stream(stream)).into_response();
    }
    (status, headers, body).into_response()
}

async fn start(server: Server) -> String {
    let app = Router::new().route("/wp-json/wc/v3/orders", get(orders)).with_state(server);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// A valid WooCommerce order (the documented `GET /orders` shape) with `id` and `number`.
fn order(id: u64, number: &str) -> Value {
    let now = Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string();
    json!({
        "id": id, "number": number, "status": "processing", "currency": "USD",
        "date_created_gmt": now, "date_modified_gmt": now, "total": "12.00",
        "billing": { "first_name": "Ana", "last_name": "Núñez", "email": "ana@example.com", "phone": "" },
        "shipping": { "first_name": "Ana", "last_name": "Núñez", "address_1": "1 Main St", "address_2": "", "city": "Austin",
            "state": "TX", "postcode": "78701", "country": "US", "company": "" },
        "line_items": [{ "id": id * 10, "name": "Mug", "sku": "", "quantity": 1, "price": 12, "subtotal": "12.00",
            "product_id": 93, "variation_id": 0, "meta_data": [] }],
        "meta_data": []
    })
}

struct Setup {
    dd: Dropdock,
    store_id: i64,
    server: Server,
    _dir: tempfile::TempDir,
}

async fn setup() -> Setup {
    let server = Server::default();
    server.scenario.lock().unwrap().pages = vec![json!([order(1, "1")]).to_string()];
    let url = start(server.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let dd = Dropdock::new(
        Db::open_dir(dir.path()).unwrap(),
        Arc::new(MemorySecrets::default()),
        http_client(Duration::from_secs(5)),
    );
    let store = dd.connect_woocommerce("Hostile", &url, "ck_test", "cs_test").await.unwrap();
    // A first, clean run stores order #1: it must survive everything below.
    let first = dd.sync(store.id, 30).await.unwrap();
    assert_eq!((first.additions, first.failures.len()), (1, 0), "{}", first.line);
    Setup { dd, store_id: store.id, server, _dir: dir }
}

/// `order` as JSON text with `key` set to `raw` (text no JSON value can hold), written first:
/// a later `key` of the order is dropped.
fn with_raw_field(order: &Value, key: &str, raw: &str) -> String {
    let mut order = order.clone();
    order.as_object_mut().unwrap().remove(key);
    format!("{{\"{key}\":{raw},{}", &order.to_string()[1..])
}

fn serve(server: &Server, scenario: Scenario) {
    *server.scenario.lock().unwrap() = scenario;
}

fn page(orders: &[String]) -> String {
    format!("[{}]", orders.join(","))
}

/// A run with a short page bound and no retry delay, as the background worker runs it.
async fn run(s: &Setup) -> dropdock_core::stores::sync::SyncSummary {
    let retry = RetryPolicy {
        attempts: 2,
        first_delay: Duration::from_millis(10),
        max_server_wait: Duration::from_secs(60),
        page_bound: Duration::from_secs(3),
    };
    let window = RunWindow { updated_since: Utc::now() - chrono::Duration::days(30), window_days: 30, retry };
    let connector = s.dd.store_connector(s.store_id).unwrap();
    let control =
        dropdock_core::stores::progress::SyncControl::new(s.store_id, "hostile", 0, window.updated_since, Utc::now());
    run_sync_window(&s.dd.db, connector.as_ref(), s.store_id, window, Utc::now(), &control).await.unwrap()
}

/// The database is sound, order #1 is still there, and the Order page lists every order.
fn intact(s: &Setup) {
    let check: String = s.dd.db.read(|c| Ok(c.query_row("PRAGMA integrity_check", [], |r| r.get(0))?)).unwrap();
    assert_eq!(check, "ok");
    s.dd.order_id_by_name("#1").expect("the order stored before is kept");
    let all = s.dd.orders(None, 1000).unwrap();
    assert!(!all.is_empty());
    s.dd.query_orders(&Default::default()).expect("the Order page reads");
    let running: i64 =
        s.dd.db
            .read(|c| Ok(c.query_row("SELECT COUNT(*) FROM sync_run WHERE status = 'running'", [], |r| r.get(0))?))
            .unwrap();
    assert_eq!(running, 0, "every run ends recorded");
}

fn reason<'a>(summary: &'a dropdock_core::stores::sync::SyncSummary, reference: &str) -> &'a str {
    summary
        .failures
        .iter()
        .find(|f| f.reference == reference)
        .map(|f| f.reason.as_str())
        .unwrap_or_else(|| panic!("{reference} did not fail: {:?}", summary.failures))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_unreadable_order_fails_alone_beside_the_good_one() {
    let s = setup().await;
    let good = order(2, "2").to_string();
    // Quantities adding past i64: refused at the line, not summed on the Order page.
    let mut overflow = order(3, "3");
    overflow["line_items"] = json!([
        { "id": 31, "name": "A", "sku": "", "quantity": 9_223_372_036_854_775_807i64, "price": 1, "product_id": 1, "variation_id": 0 },
        { "id": 32, "name": "B", "sku": "", "quantity": 1, "price": 1, "product_id": 1, "variation_id": 0 }
    ]);
    // Nesting past any parser's limit, in a field Dropdock does not read: no harm.
    let deep = with_raw_field(&order(4, "4"), "meta_data", &format!("{}{}", "[".repeat(5000), "]".repeat(5000)));
    // A lone surrogate in a field Dropdock reads: that order fails, naming the field.
    let surrogate = order(5, "5").to_string().replacen("\"Ana\"", "\"An\\ud800a\"", 1);
    // 1e309 where Dropdock does not look, and where it does.
    let unused_huge = with_raw_field(&order(6, "6"), "meta_data", r#"[{"key":"x","value":1e309}]"#);
    let huge_total = order(7, "7").to_string().replacen("\"total\":\"12.00\"", "\"total\":1e309", 1);
    let mut string_id = order(8, "8");
    string_id["id"] = json!("abc");
    let mut bad_currency = order(9, "9");
    bad_currency["currency"] = json!("XYZ");
    let mut money_out_of_range = order(10, "10");
    money_out_of_range["total"] = json!("99999999999999.00");
    serve(
        &s.server,
        Scenario {
            pages: vec![page(&[
                good,
                overflow.to_string(),
                deep,
                surrogate,
                unused_huge,
                huge_total,
                string_id.to_string(),
                bad_currency.to_string(),
                money_out_of_range.to_string(),
            ])],
            ..Scenario::default()
        },
    );
    let summary = run(&s).await;
    assert!(summary.error.is_none(), "{}", summary.line);
    assert_eq!(summary.additions, 3, "#2, #4 and #6 are stored: {}", summary.line);
    for name in ["#2", "#4", "#6"] {
        s.dd.order_id_by_name(name).unwrap_or_else(|_| panic!("{name} stored"));
    }
    assert!(reason(&summary, "#3").contains("over the limit of 100000"), "{}", reason(&summary, "#3"));
    assert!(reason(&summary, "#5").contains("billing cannot be read"), "{}", reason(&summary, "#5"));
    assert!(reason(&summary, "#7").contains("total cannot be read"), "{}", reason(&summary, "#7"));
    assert!(reason(&summary, "#8").contains("order id \"abc\" is not a number"), "{}", reason(&summary, "#8"));
    assert!(reason(&summary, "#9").contains("'XYZ' is not an ISO 4217 code"), "{}", reason(&summary, "#9"));
    assert!(reason(&summary, "#10").contains("out of range"), "{}", reason(&summary, "#10"));
    assert_eq!(summary.failures.len(), 6, "{:?}", summary.failures);
    assert!(summary.line.ends_with("Total additions 3, To update 0, fail 6"), "{}", summary.line);
    intact(&s);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duplicate_id_in_a_page_keeps_its_last_version_and_the_run_is_recorded() {
    let s = setup().await;
    let first = order(20, "20");
    let mut last = order(20, "20");
    last["billing"]["email"] = json!("last@example.com");
    serve(&s.server, Scenario { pages: vec![page(&[first.to_string(), last.to_string()])], ..Scenario::default() });
    let summary = run(&s).await;
    assert!(summary.error.is_none(), "{}", summary.line);
    assert_eq!((summary.additions, summary.failures.len()), (1, 0), "{}", summary.line);
    let detail = s.dd.order_detail(s.dd.order_id_by_name("#20").unwrap()).unwrap();
    assert_eq!(detail.email.as_deref(), Some("last@example.com"), "the last version wins");
    // And again: the same page changes nothing.
    let again = run(&s).await;
    assert_eq!((again.additions, again.updates, again.failures.len()), (0, 0, 0), "{}", again.line);
    let store = s.dd.store(s.store_id).unwrap();
    assert_eq!(store.last_sync_status.as_deref(), Some("complete"));
    intact(&s);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claimed_pages_without_orders_end_the_run_at_once() {
    let s = setup().await;
    serve(
        &s.server,
        Scenario {
            pages: vec!["[]".into()],
            headers: vec![("x-wp-totalpages", "4294967295".into()), ("x-wp-total", "429496729500".into())],
            ..Scenario::default()
        },
    );
    let before = s.server.requests.load(Ordering::SeqCst);
    let summary = run(&s).await;
    assert!(summary.error.is_none(), "{}", summary.line);
    assert_eq!(s.server.requests.load(Ordering::SeqCst) - before, 1, "an empty page is the last");
    // A total that fills one page caps the pages, whatever TotalPages says.
    serve(
        &s.server,
        Scenario {
            pages: vec![page(&[order(30, "30").to_string()]), page(&[order(31, "31").to_string()])],
            headers: vec![("x-wp-totalpages", "4294967295".into()), ("x-wp-total", "1".into())],
            ..Scenario::default()
        },
    );
    let before = s.server.requests.load(Ordering::SeqCst);
    let capped = run(&s).await;
    assert_eq!(s.server.requests.load(Ordering::SeqCst) - before, 1, "X-WP-Total: 1 is one page");
    assert_eq!(capped.additions, 1, "{}", capped.line);
    intact(&s);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_hour_long_retry_after_ends_the_run_partial_and_the_store_is_left_alone() {
    let s = setup().await;
    serve(
        &s.server,
        Scenario {
            pages: vec![r#"{"code":"rest_too_many_requests","message":"slow down"}"#.into()],
            headers: vec![("retry-after", "3600".into())],
            status: Some(429),
            ..Scenario::default()
        },
    );
    let started = Instant::now();
    let summary = run(&s).await;
    assert!(started.elapsed() < Duration::from_secs(5), "not waited out: {:?}", started.elapsed());
    let error = summary.error.clone().unwrap_or_default();
    assert!(error.starts_with("the store asked to wait 60 minutes; next try at "), "{error}");
    assert!(summary.line.contains(" partial, "), "{}", summary.line);
    let store = s.dd.store(s.store_id).unwrap();
    assert_eq!(store.last_sync_error.as_deref(), Some(error.as_str()), "shown on the store");
    assert!(!s.dd.stores_due(Utc::now() + chrono::Duration::minutes(30)).unwrap().contains(&s.store_id));
    assert!(s.dd.stores_due(Utc::now() + chrono::Duration::minutes(61)).unwrap().contains(&s.store_id));
    intact(&s);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_trickled_a_byte_at_a_time_ends_the_run_within_its_bound() {
    let s = setup().await;
    serve(
        &s.server,
        Scenario { pages: vec![page(&[order(40, "40").to_string()])], trickle: true, ..Scenario::default() },
    );
    let started = Instant::now();
    let summary = run(&s).await;
    assert!(started.elapsed() < Duration::from_secs(5), "bounded: {:?}", started.elapsed());
    assert!(summary.error.as_deref().unwrap_or_default().contains("retries included"), "{:?}", summary.error);
    assert!(summary.line.contains(" failed, "), "{}", summary.line);
    let store = s.dd.store(s.store_id).unwrap();
    assert_eq!(store.last_sync_status.as_deref(), Some("failed"));
    assert_eq!(store.consecutive_failures, 1);
    intact(&s);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_that_cannot_be_stored_ends_the_run_recorded_as_failed() {
    let s = setup().await;
    // The database refuses the page (as a full disk would): the write fails, the run is recorded.
    s.dd.db
        .write(|tx| {
            tx.execute_batch(
                "CREATE TRIGGER refuse BEFORE INSERT ON orders WHEN NEW.name = '#50' BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;",
            )?;
            Ok(())
        })
        .unwrap();
    serve(&s.server, Scenario { pages: vec![page(&[order(50, "50").to_string()])], ..Scenario::default() });
    let summary = run(&s).await;
    let error = summary.error.clone().unwrap_or_default();
    assert!(error.starts_with("a page could not be stored") && error.contains("disk is full"), "{error}");
    assert!(summary.line.contains(" failed, "), "{}", summary.line);
    let (status, recorded_error): (String, String) =
        s.dd.db
            .read(|c| {
                Ok(c.query_row("SELECT status, error FROM sync_run ORDER BY id DESC LIMIT 1", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?)
            })
            .unwrap();
    assert_eq!((status.as_str(), recorded_error.as_str()), ("failed", error.as_str()));
    let store = s.dd.store(s.store_id).unwrap();
    assert_eq!((store.last_sync_status.as_deref(), store.consecutive_failures), (Some("failed"), 1));
    s.dd.db.write(|tx| Ok(tx.execute_batch("DROP TRIGGER refuse")?)).unwrap();
    intact(&s);
    // The next run stores it.
    assert_eq!(run(&s).await.additions, 1);
}
