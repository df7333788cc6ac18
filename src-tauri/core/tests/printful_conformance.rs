//! Printful against a server written from Printful's published OpenAPI document (API v2,
//! 2.0.0-beta), not from the client: the shapes, types and status codes below are the
//! document's, with its awkward parts: a draft's `costs` all `null` while they are calculating,
//! order ids as integers, money as strings, `min_delivery_days` left out of a rate ("may not
//! be present"), 404s and 409s in the older `{code, result, error: {reason, message}}` shape
//! that the order operations still use, and no tracking number on a v2 shipment (only its
//! `tracking_url`).
//!
//! The store side is the embedded sandbox's Shopify; one order's SKU is mapped to Printful, so
//! that order splits into a CJ sub-order and a Printful one.

mod common;

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use dropdock_core::model::OrderStatus;
use dropdock_core::suppliers::SupplierItem;
use dropdock_core::ErrorCode;
use serde_json::{json, Value};

const TOKEN: &str = "pf-private-token-7Hk2";
const STORE: &str = "10";
/// The order's costs once calculated (the document's example figures).
const TOTAL: &str = "26.50";
const SHIPPING: &str = "4.79";

#[derive(Default)]
struct World {
    orders: Vec<Value>,
    creates: usize,
    confirmations: usize,
    /// Bodies sent with a confirmation (the document defines none).
    confirmation_bodies: Vec<String>,
    /// Requests without the token or the store header.
    unauthorized: usize,
    /// The next confirmation is performed but its reply never comes in time.
    lose_next_confirmation_reply: bool,
    /// Recipient members sent as `null` (the document types them as strings).
    null_fields: usize,
    shipments: BTreeMap<i64, Vec<Value>>,
}

type Shared = Arc<Mutex<World>>;

/// The order operations' older error shape.
fn old_error(status: StatusCode, reason: &str, message: &str) -> Response {
    (
        status,
        Json(json!({ "code": status.as_u16(), "result": message, "error": { "reason": reason, "message": message } })),
    )
        .into_response()
}

/// The refusal of a request without the token or the store header; `None` when it has both.
fn refused(world: &Shared, headers: &HeaderMap) -> Option<Response> {
    let bearer = headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(&format!("Bearer {TOKEN}"));
    let store = headers.get("x-pf-store-id").and_then(|v| v.to_str().ok()) == Some(STORE);
    if bearer && store {
        return None;
    }
    world.lock().unwrap().unauthorized += 1;
    Some(old_error(StatusCode::UNAUTHORIZED, "BadRequest", "Malformed Authorization header."))
}

/// `{order_id}`: an integer id, or `@` + external id (percent-decoded by the router).
fn find(world: &World, reference: &str) -> Option<usize> {
    match reference.strip_prefix('@') {
        Some(external) => world.orders.iter().position(|o| o["external_id"] == external),
        None => world.orders.iter().position(|o| o["id"].as_i64().map(|i| i.to_string()).as_deref() == Some(reference)),
    }
}

fn links(id: i64) -> Value {
    json!({
        "self": { "href": format!("https://api.printful.com/v2/orders/{id}") },
        "order_confirmation": { "href": format!("https://api.printful.com/v2/orders/{id}/confirmation") },
        "shipments": { "href": format!("https://api.printful.com/v2/orders/{id}/shipments") }
    })
}

fn calculated_costs() -> Value {
    json!({
        "calculation_status": "done", "currency": "USD", "subtotal": "21.71", "discount": "0.00",
        "shipping": SHIPPING, "digitization": "0.00", "additional_fee": "0.00", "fulfillment_fee": "0.00",
        "retail_delivery_fee": "0.00", "vat": "0.00", "tax": "0.00", "total": TOTAL
    })
}

async fn scopes(State(world): State<Shared>, headers: HeaderMap) -> Response {
    if let Some(r) = refused(&world, &headers) {
        return r;
    }
    Json(json!({ "data": [{ "name": "View and manage orders of the authorized store", "value": "orders" }] }))
        .into_response()
}

async fn shipping_rates(State(world): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if let Some(r) = refused(&world, &headers) {
        return r;
    }
    let items_ok = body["order_items"].as_array().is_some_and(|items| {
        !items.is_empty() && items.iter().all(|i| i["source"] == "catalog" && i["catalog_variant_id"].is_i64())
    });
    if body["recipient"]["country_code"].as_str().is_none() || !items_ok {
        return (StatusCode::BAD_REQUEST, Json(json!({ "code": 400, "data": "Missing required parameters", "error": { "reason": "BadRequest", "message": "Missing required parameters" } }))).into_response();
    }
    Json(json!({ "data": [
        { "shipping": "EXPRESS", "shipping_method_name": "Express (Estimated delivery: May 16–18) ", "rate": "12.50", "currency": "USD", "min_delivery_days": 2, "max_delivery_days": 4 },
        { "shipping": "STANDARD", "shipping_method_name": "Flat Rate (Estimated delivery: May 19–24) ", "rate": SHIPPING, "currency": "USD", "max_delivery_days": 7 }
    ] }))
    .into_response()
}

async fn create_order(State(world): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if let Some(r) = refused(&world, &headers) {
        return r;
    }
    let mut w = world.lock().unwrap();
    w.null_fields += body["recipient"].as_object().map_or(0, |r| r.values().filter(|v| v.is_null()).count());
    let external = body["external_id"].as_str().unwrap_or_default().to_owned();
    if w.orders.iter().any(|o| o["external_id"] == external.as_str()) {
        return old_error(StatusCode::BAD_REQUEST, "BadRequest", "Order with this external ID already exists");
    }
    w.creates += 1;
    let id = 1000 + w.orders.len() as i64;
    let order = json!({
        "id": id, "external_id": external, "store_id": 10, "shipping": body["shipping"].as_str().unwrap_or("STANDARD"),
        "status": "draft", "created_at": "2026-12-02T06:07:08Z", "updated_at": "2026-12-02T06:07:08Z",
        "recipient": body["recipient"], "costs": calculated_costs(),
        "retail_costs": { "currency": null, "subtotal": null, "discount": null, "shipping": null, "tax": null, "vat": null, "total": null },
        "order_items": body["order_items"], "_links": links(id)
    });
    w.orders.push(order.clone());
    // The reply of a fresh draft: its costs are still being calculated.
    let mut reply = order;
    reply["costs"] = json!({
        "calculation_status": "calculating", "currency": "USD", "subtotal": null, "discount": null, "shipping": null,
        "digitization": null, "additional_fee": null, "fulfillment_fee": null, "retail_delivery_fee": null,
        "vat": null, "tax": null, "total": null
    });
    Json(json!({ "data": reply })).into_response()
}

async fn get_order(State(world): State<Shared>, headers: HeaderMap, Path(reference): Path<String>) -> Response {
    if let Some(r) = refused(&world, &headers) {
        return r;
    }
    let w = world.lock().unwrap();
    match find(&w, &reference) {
        Some(i) => Json(json!({ "data": w.orders[i] })).into_response(),
        None => old_error(StatusCode::NOT_FOUND, "NotFound", "Not found"),
    }
}

async fn delete_order(State(world): State<Shared>, headers: HeaderMap, Path(reference): Path<String>) -> Response {
    if let Some(r) = refused(&world, &headers) {
        return r;
    }
    let mut w = world.lock().unwrap();
    let Some(i) = find(&w, &reference) else { return old_error(StatusCode::NOT_FOUND, "NotFound", "Not found") };
    if !matches!(w.orders[i]["status"].as_str(), Some("draft" | "failed" | "canceled")) {
        return old_error(
            StatusCode::CONFLICT,
            "Conflict",
            "The order cannot be deleted: it was submitted for fulfillment",
        );
    }
    w.orders.remove(i);
    StatusCode::NO_CONTENT.into_response()
}

async fn confirm_order(
    State(world): State<Shared>,
    headers: HeaderMap,
    Path(reference): Path<String>,
    body: String,
) -> Response {
    if let Some(r) = refused(&world, &headers) {
        return r;
    }
    let (reply, lose) = {
        let mut w = world.lock().unwrap();
        if !body.trim().is_empty() {
            w.confirmation_bodies.push(body);
        }
        let Some(i) = find(&w, &reference) else { return old_error(StatusCode::NOT_FOUND, "NotFound", "Not found") };
        if w.orders[i]["status"] != "draft" {
            return old_error(StatusCode::CONFLICT, "Conflict", "The order was already confirmed");
        }
        w.confirmations += 1;
        w.orders[i]["status"] = json!("pending");
        let lose = std::mem::take(&mut w.lose_next_confirmation_reply);
        (
            json!({ "data": w.orders[i], "_links": { "self": { "href": "https://api.printful.com/v2/orders/1/confirmation" } } }),
            lose,
        )
    };
    if lose {
        // Confirmed, but the reply comes after the client has given up.
        tokio::time::sleep(Duration::from_secs(6)).await;
    }
    Json(reply).into_response()
}

async fn shipments(State(world): State<Shared>, headers: HeaderMap, Path(reference): Path<String>) -> Response {
    if let Some(r) = refused(&world, &headers) {
        return r;
    }
    let w = world.lock().unwrap();
    let Some(i) = find(&w, &reference) else { return old_error(StatusCode::NOT_FOUND, "NotFound", "Not found") };
    let id = w.orders[i]["id"].as_i64().unwrap();
    let list = w.shipments.get(&id).cloned().unwrap_or_default();
    Json(json!({ "data": list, "_links": { "self": { "href": format!("https://api.printful.com/v2/orders/{id}/shipments?limit=20&offset=0") } }, "paging": { "total": list.len(), "offset": 0, "limit": 20 } }))
        .into_response()
}

struct Printful {
    url: String,
    world: Shared,
}

impl Printful {
    async fn start() -> Printful {
        let world: Shared = Arc::default();
        let app = Router::new()
            .route("/v2/oauth-scopes", get(scopes))
            .route("/v2/shipping-rates", post(shipping_rates))
            .route("/v2/orders", post(create_order))
            .route("/v2/orders/{order_id}", get(get_order).delete(delete_order))
            .route("/v2/orders/{order_id}/confirmation", post(confirm_order))
            .route("/v2/orders/{order_id}/shipments", get(shipments))
            .with_state(world.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Printful { url, world }
    }

    fn orders_with_key(&self, key: &str) -> Vec<Value> {
        self.world.lock().unwrap().orders.iter().filter(|o| o["external_id"] == key).cloned().collect()
    }

    /// The order ships: `fulfilled`, one shipment as the document shows it (no number field).
    fn ship(&self, id: i64, number: &str) {
        let mut w = self.world.lock().unwrap();
        let i = w.orders.iter().position(|o| o["id"] == id).unwrap();
        w.orders[i]["status"] = json!("fulfilled");
        let external = w.orders[i]["external_id"].clone();
        w.shipments.insert(
            id,
            vec![json!({
                "id": 1, "order_id": id, "order_external_id": external, "carrier": "USPS", "service": "USPS Priority Mail",
                "shipment_status": "shipped", "shipped_at": "2026-12-02T16:35:35Z", "delivery_status": "in_transit",
                "delivered_at": null, "departure_address": { "country_name": "United States", "country_code": "US", "state_code": "CA" },
                "is_reshipment": false,
                "tracking_url": format!("https://tools.usps.com/go/TrackConfirmAction?tLabels={number}"),
                "tracking_events": [], "estimated_delivery": null, "shipment_items": [],
                "_links": { "self": { "href": "https://api.printful.com/v2/shipments/1" } }
            })],
        );
    }
}

/// A Printful account on the mock, connected the way the merchant does it: the token checked
/// first, then the row and the keychain entry.
async fn add_printful(dd: &dropdock_core::Dropdock, printful: &Printful) -> i64 {
    // A wrong token is refused first, and nothing is kept.
    let refused = dd.connect_printful("Printful shirts", &printful.url, "not-the-token", Some(STORE), false).await;
    assert_eq!(refused.unwrap_err().code(), ErrorCode::Auth);
    assert!(!dd.suppliers().unwrap().iter().any(|s| s.name == "Printful shirts"));
    assert_eq!(std::mem::take(&mut printful.world.lock().unwrap().unauthorized), 1, "the probe was refused");
    let supplier = dd.connect_printful("Printful shirts", &printful.url, TOKEN, Some(STORE), false).await.unwrap();
    assert_eq!((supplier.kind.as_str(), supplier.requests_per_second), ("printful", 2));
    supplier.id
}

/// A paid order To order with line items at CJ suppliers' SKUs only; its first SKU is mapped to
/// the Printful catalog variant 4011, so the order splits across CJ and Printful.
fn split_order(dd: &dropdock_core::Dropdock, printful_id: i64, skip: &HashSet<i64>) -> (i64, String, String) {
    for o in dd.orders(Some(OrderStatus::ToOrder), 1000).unwrap() {
        if skip.contains(&o.id) {
            continue;
        }
        let d = dd.order_detail(o.id).unwrap();
        let skus: Vec<String> =
            d.line_items.iter().filter_map(|l| l.sku.clone()).collect::<HashSet<_>>().into_iter().collect();
        // Lines at CJ only: the sandbox's own Printful account stays out of these tests.
        let at_cj = d.line_items.iter().all(|l| l.supplier_name.as_deref().is_some_and(|n| n.starts_with("CJ ")));
        if d.hold_reason.is_none() && skus.len() >= 2 && at_cj {
            let sku = d.line_items[0].sku.clone().unwrap();
            dd.map_sku(&sku, printful_id, "4011", 1250).unwrap();
            if dd.order_detail(o.id).unwrap().hold_reason.is_none() {
                return (o.id, o.name, sku);
            }
        }
    }
    panic!("no order with two SKUs");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_split_across_cj_and_printful_is_drafted_confirmed_once_and_tracked() {
    let (sandbox, dd, _store, _dir) = common::synced_sandbox(dropdock_sandbox::SandboxConfig {
        orders: 40,
        ship_after: Duration::from_secs(3600),
        ..Default::default()
    })
    .await;
    let printful = Printful::start().await;
    let pf = add_printful(&dd, &printful).await;
    dd.supplier_client(pf).unwrap().verify().await.unwrap();
    let (order_id, name, _) = split_order(&dd, pf, &HashSet::new());

    let shipped = dd.ship(order_id).await.unwrap();
    assert!(shipped.sub_orders.iter().all(|s| s.state == "paid"), "{shipped:?}");
    assert_eq!(shipped.sub_orders.len(), 2, "{shipped:?}");

    // At Printful: one order under our key, made a draft then confirmed once, with no body, by
    // the cheapest line, and no recipient member sent as null.
    let detail = dd.order_detail(order_id).unwrap();
    let sub = detail.sub_orders.iter().find(|s| s.supplier_name == "Printful shirts").unwrap();
    let at_printful = printful.orders_with_key(&sub.idempotency_key);
    assert_eq!(at_printful.len(), 1, "{at_printful:?}");
    assert_eq!(at_printful[0]["status"], "pending");
    assert_eq!(at_printful[0]["shipping"], "STANDARD");
    assert_eq!(at_printful[0]["order_items"][0]["catalog_variant_id"], 4011);
    {
        let w = printful.world.lock().unwrap();
        assert_eq!((w.creates, w.confirmations, w.unauthorized, w.null_fields), (1, 1, 0, 0));
        assert!(w.confirmation_bodies.is_empty(), "{:?}", w.confirmation_bodies);
    }
    // In Dropdock: paid at the total the draft showed once calculated (its create reply had
    // none), Printful's order id kept, the charge in the ledger.
    assert_eq!(sub.supplier_order_id.as_deref(), Some(at_printful[0]["id"].to_string().as_str()));
    assert_eq!(sub.cost_minor, Some(2650));
    let ledger = dd.wallet_ledger(None, 100).unwrap();
    assert_eq!(
        ledger
            .iter()
            .filter(|e| e.supplier_name == "Printful shirts" && e.kind == "charge")
            .map(|e| e.amount_minor)
            .collect::<Vec<_>>(),
        vec![-2650]
    );
    // My Wallet refreshes with a platform that has no balance; its forecast says so and never
    // warns of a threshold, and Auto Fulfillment's wallet check leaves it out.
    dd.refresh_wallet().await.unwrap();
    let forecast = dd.wallet_forecast().unwrap();
    let pf_forecast = forecast.iter().find(|f| f.supplier_name == "Printful shirts").unwrap();
    assert!(!pf_forecast.has_balance && !pf_forecast.below_threshold, "{pf_forecast:?}");

    // Printful ships: the v2 shipment has a URL and no number field; the number is the URL's,
    // the carrier Printful's, and the store gets its own fulfilment for Printful's line.
    let id = at_printful[0]["id"].as_i64().unwrap();
    printful.ship(id, "9400111899223817612345");
    let report = dd.track().await.unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let shop = sandbox.shop();
    let fulfillments = shop.fulfillments(&name);
    assert!(fulfillments.iter().any(|f| f.tracking_number == "9400111899223817612345"), "{fulfillments:?}");
    let sub = dd
        .order_detail(order_id)
        .unwrap()
        .sub_orders
        .into_iter()
        .find(|s| s.supplier_name == "Printful shirts")
        .unwrap();
    let shipment = sub.shipment.expect("a shipment");
    assert_eq!((shipment.tracking_number.as_str(), shipment.carrier.as_str()), ("9400111899223817612345", "USPS"));
    // CJ has not shipped yet: the order is partially fulfilled; then CJ ships and it is whole.
    assert_eq!(dd.order_detail(order_id).unwrap().order.status, OrderStatus::PartiallyFulfilled);
    sandbox.ship_all_now();
    dd.track().await.unwrap();
    assert_eq!(dd.order_detail(order_id).unwrap().order.status, OrderStatus::Fulfilled);
    assert_eq!(shop.fulfillment_status(&name), Some("FULFILLED"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_confirmation_reply_is_recovered_by_external_id_never_confirmed_twice() {
    let sandbox =
        dropdock_sandbox::Sandbox::start(dropdock_sandbox::SandboxConfig { orders: 40, ..Default::default() })
            .await
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dd = dropdock_core::Dropdock::new(
        dropdock_core::db::Db::open_dir(dir.path()).unwrap(),
        Arc::new(dropdock_core::secrets::MemorySecrets::default()),
        dropdock_core::app::http_client(Duration::from_secs(2)),
    );
    let store = dropdock_demo::connect_sandbox(&dd, &dropdock_demo::sandbox_endpoints(&sandbox)).await.unwrap();
    dd.sync(store, 60).await.unwrap();
    let printful = Printful::start().await;
    let pf = add_printful(&dd, &printful).await;
    let (order_id, _, _) = split_order(&dd, pf, &HashSet::new());

    printful.world.lock().unwrap().lose_next_confirmation_reply = true;
    // No reply in time: Ship order says so (the network is the suspect), and the sub-order is
    // recorded as ambiguous, not as paid and not as failed.
    let err = dd.ship(order_id).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Network, "{err}");
    let detail = dd.order_detail(order_id).unwrap();
    let lost = detail.sub_orders.iter().find(|s| s.supplier_name == "Printful shirts").unwrap();
    assert_eq!(lost.state, "ambiguous", "{lost:?}");
    // Nothing is recorded as paid on a lost reply.
    assert!(!dd.wallet_ledger(None, 100).unwrap().iter().any(|e| e.supplier_name == "Printful shirts"));

    // Ship order again: the order is looked up (it is confirmed), recorded paid, not resent.
    let again = dd.ship(order_id).await.unwrap();
    assert!(again.sub_orders.iter().all(|s| s.state == "paid"), "{again:?}");
    let key = dd
        .order_detail(order_id)
        .unwrap()
        .sub_orders
        .into_iter()
        .find(|s| s.supplier_name == "Printful shirts")
        .unwrap()
        .idempotency_key;
    assert_eq!(printful.orders_with_key(&key).len(), 1);
    let w = printful.world.lock().unwrap();
    assert_eq!((w.creates, w.confirmations), (1, 1));
    drop(w);
    let charges: Vec<i64> = dd
        .wallet_ledger(None, 100)
        .unwrap()
        .into_iter()
        .filter(|e| e.supplier_name == "Printful shirts")
        .map(|e| e.amount_minor)
        .collect();
    assert_eq!(charges, vec![-2650], "one charge");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_is_cancelled_and_a_confirmed_order_is_refused_and_a_wrong_token_is_auth() {
    let (_sandbox, dd, _store, _dir) =
        common::synced_sandbox(dropdock_sandbox::SandboxConfig { orders: 5, ..Default::default() }).await;
    let printful = Printful::start().await;
    let pf = add_printful(&dd, &printful).await;
    dd.test_supplier_connection(pf).await.unwrap();
    assert_eq!(dd.rename_supplier(pf, "Printful posters").unwrap().name, "Printful posters");
    let client = dd.supplier_client(pf).unwrap();
    let order = dropdock_core::suppliers::NewSupplierOrder {
        key: "DD9-77-S3".into(),
        address: dropdock_core::model::Address {
            name: Some("张伟".into()),
            address1: "1 Main St".into(),
            city: Some("Chatsworth".into()),
            province: Some("CA".into()),
            zip: Some("91311".into()),
            country_code: "US".into(),
            ..Default::default()
        },
        email: None,
        shipping_line: "STANDARD".into(),
        items: vec![SupplierItem { variant_id: "4011".into(), quantity: 1 }],
        pay_now: false,
    };
    let lines = client.shipping_lines(&order.address, &order.items).await.unwrap();
    assert_eq!(
        lines.iter().map(|l| (l.name.as_str(), l.price_minor, l.aging.as_str())).collect::<Vec<_>>(),
        vec![("STANDARD", 479, "7"), ("EXPRESS", 1250, "2-4")]
    );
    let created = client.create_order(&order).await.unwrap().expect("created");
    assert_eq!(
        (created.amount_minor, created.status.as_ref().map(|s| s.awaits_payment())),
        (None, Some(true)),
        "a fresh draft's costs are still calculating"
    );
    // The same key again: Printful refuses, and the order it holds is reported, not a second one.
    assert_eq!(client.create_order(&order).await.unwrap(), None);
    assert_eq!(printful.orders_with_key("DD9-77-S3").len(), 1);
    let id = created.supplier_order_id.unwrap();
    assert_eq!(client.cancel_order(&id).await.unwrap(), dropdock_core::suppliers::CancelAnswer::Cancelled);
    assert!(printful.orders_with_key("DD9-77-S3").is_empty(), "the draft is deleted");
    assert_eq!(client.order_detail("DD9-77-S3").await.unwrap(), None);

    let confirmed = client.create_order(&order).await.unwrap().unwrap().supplier_order_id.unwrap();
    client.pay(&confirmed).await.unwrap();
    match client.cancel_order(&confirmed).await.unwrap() {
        dropdock_core::suppliers::CancelAnswer::Refused(reason) => assert!(reason.contains("submitted"), "{reason}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(client.balance().await.unwrap(), None, "no balance: charged to the billing method");

    // A wrong token is an authentication error, shown as "reconnect".
    dd.secrets().set(&dropdock_core::secrets::supplier_api_key_key(pf), "wrong").unwrap();
    let other = dropdock_core::suppliers::PrintfulClient::new(
        reqwest::Client::new(),
        &printful.url,
        "wrong".into(),
        Some(STORE.into()),
        120,
    );
    let err = dropdock_core::suppliers::SupplierConnector::verify(&other).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Auth, "{err}");
}
