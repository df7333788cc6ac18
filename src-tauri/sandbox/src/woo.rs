//! A WooCommerce store behind the REST API v3, served over plain HTTP on loopback.
//!
//! Source: woocommerce.github.io/woocommerce-rest-api-docs. Over plain HTTP WooCommerce accepts
//! only OAuth 1.0a "one-legged" requests: the `oauth_*` parameters in the query string, signed
//! with HMAC-SHA1 or HMAC-SHA256, the key being the consumer secret followed by `&`, a timestamp
//! within 15 minutes, and a nonce used once. `GET /wp-json/wc/v3/orders` takes `per_page` (at
//! most 100), `page`, `modified_after` (with `dates_are_gmt`), `orderby=date`, `order`, and
//! answers the totals in `X-WP-Total` and `X-WP-TotalPages`. Errors are `{code, message, data:
//! {status}}`.
//!
//! Tracking back (the store answers in one of three ways, chosen with [`WooTrackingSupport`]):
//! - core order fulfillments (developer.woocommerce.com "Order fulfillments"):
//!   `GET|POST /wp-json/wc/v3/orders/{id}/fulfillments`, `PUT …/fulfillments/{fid}`, a
//!   fulfillment being `{id, entity_type, entity_id, status, is_fulfilled, meta_data}` with the meta
//!   keys `_items` (`[{item_id, qty}]`), `_tracking_number`, `_tracking_url`, `_shipment_provider`;
//!   404 `rest_no_route` when the store has not enabled the feature;
//! - the Shipment Tracking extension (woocommerce.com "Shipment Tracking REST API"):
//!   `GET|POST /wp-json/wc-shipment-tracking/v3/orders/{id}/shipment-trackings` with
//!   `tracking_provider` or `custom_tracking_provider` + `custom_tracking_link`, `tracking_number`,
//!   `date_shipped`; `DELETE …/shipment-trackings/{tracking_id}`; 404 `rest_no_route` without it;
//! - always: order notes (`GET|POST /wp-json/wc/v3/orders/{id}/notes {note, customer_note}`) and
//!   `PUT /wp-json/wc/v3/orders/{id} {status}`.
//!
//! The signature check is written out here (the server side of OAuth 1.0a, from RFC 5849 §3.4)
//! rather than reusing the client crate Dropdock signs with, so that a mistake in one is caught
//! by the other.

use std::collections::HashSet;

use axum::extract::{Path, Query, State};
use axum::http::Method;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, put};
use axum::{Json, Router};
use base64::Engine;
use chrono::{DateTime, NaiveDateTime, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::SharedWorld;

/// The store's data: its keys and its orders in WooCommerce's JSON shape.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WooStoreData {
    pub site_name: String,
    pub consumer_key: String,
    pub consumer_secret: String,
    /// Orders as `GET /orders` returns them.
    pub orders: Vec<Value>,
    /// Products as `GET /products` returns them (a store saved before it had them gets the
    /// demo's), and the variations of its variable products, each with its `parent_id`.
    #[serde(default = "crate::seed::woo_products")]
    pub products: Vec<Value>,
    #[serde(default = "crate::seed::woo_variations")]
    pub variations: Vec<Value>,
    /// The `woocommerce_currency` setting.
    #[serde(default = "default_currency")]
    pub currency: String,
    /// How this store takes tracking numbers.
    #[serde(default)]
    pub tracking_support: WooTrackingSupport,
    /// Core order fulfillments, each with its order's id in `entity_id`.
    #[serde(default)]
    pub fulfillments: Vec<Value>,
    /// Shipment Tracking items, each with its order's id in `order_id`.
    #[serde(default)]
    pub shipment_trackings: Vec<Value>,
    /// Order notes, each with its order's id in `order_id`.
    #[serde(default)]
    pub notes: Vec<Value>,
}

/// What a WooCommerce store offers for tracking numbers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum WooTrackingSupport {
    /// WooCommerce's core order fulfillments are enabled.
    Fulfillments,
    /// The Shipment Tracking extension is installed (the most common set-up; the demo's).
    #[default]
    ShipmentTracking,
    /// Neither: only order notes and statuses.
    NotesOnly,
}

/// What the store remembers between requests (not persisted).
#[derive(Default)]
pub(crate) struct WooRuntime {
    used_nonces: HashSet<String>,
    /// Requests answered, for tests.
    pub(crate) requests: u32,
    /// Faults to answer list requests with.
    pub(crate) faults: crate::Faults,
}

pub(crate) fn router(world: SharedWorld) -> Router {
    Router::new()
        .route("/wp-json/wc/v3/orders", get(list_orders))
        .route("/wp-json/wc/v3/products", get(list_products))
        .route("/wp-json/wc/v3/products/{id}/variations", get(list_variations))
        .route("/wp-json/wc/v3/settings/general/woocommerce_currency", get(currency_setting))
        .route("/wp-json/wc/v3/orders/{id}", put(update_order))
        .route("/wp-json/wc/v3/orders/{id}/fulfillments", get(list_fulfillments).post(create_fulfillment))
        .route("/wp-json/wc/v3/orders/{id}/fulfillments/{fid}", put(update_fulfillment))
        .route(
            "/wp-json/wc-shipment-tracking/v3/orders/{id}/shipment-trackings",
            get(list_trackings).post(create_tracking),
        )
        .route("/wp-json/wc-shipment-tracking/v3/orders/{id}/shipment-trackings/{tid}", delete(delete_tracking))
        .route("/wp-json/wc/v3/orders/{id}/notes", get(list_notes).post(create_note))
        .with_state(world)
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({ "code": code, "message": message, "data": { "status": status.as_u16() } }))).into_response()
}

/// RFC 3986 unreserved characters stay; everything else is percent-encoded (RFC 5849 §3.6).
fn encode(s: &str) -> String {
    const SET: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
    percent_encoding::utf8_percent_encode(s, SET).to_string()
}

/// Checks an OAuth 1.0a one-legged request: consumer key, signature method, timestamp, nonce and
/// signature. `url` is the request URL without its query, as the client signed it.
fn check_oauth(
    store: &WooStoreData,
    runtime: &mut WooRuntime,
    http_method: &Method,
    url: &str,
    params: &[(String, String)],
) -> Result<(), Response> {
    let get = |k: &str| params.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
    let unauthorized = |m: &str| error(StatusCode::UNAUTHORIZED, "woocommerce_rest_authentication_error", m);
    if get("oauth_consumer_key") != Some(store.consumer_key.as_str()) {
        return Err(unauthorized("Consumer key is invalid."));
    }
    let method = get("oauth_signature_method").unwrap_or_default();
    if method != "HMAC-SHA1" && method != "HMAC-SHA256" {
        return Err(unauthorized("Invalid signature - signature method is invalid."));
    }
    let timestamp: i64 = get("oauth_timestamp").and_then(|t| t.parse().ok()).unwrap_or(0);
    if (Utc::now().timestamp() - timestamp).abs() > 15 * 60 {
        return Err(unauthorized("Invalid timestamp."));
    }
    let nonce = get("oauth_nonce").unwrap_or_default().to_owned();
    if nonce.is_empty() || !runtime.used_nonces.insert(format!("{timestamp}:{nonce}")) {
        return Err(unauthorized("Invalid nonce - nonce has already been used."));
    }
    let mut pairs: Vec<(String, String)> =
        params.iter().filter(|(k, _)| k != "oauth_signature").map(|(k, v)| (encode(k), encode(v))).collect();
    pairs.sort();
    let normalized = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
    let base = format!("{}&{}&{}", http_method.as_str(), encode(url), encode(&normalized));
    let key = format!("{}&", encode(&store.consumer_secret));
    let expected = match method {
        "HMAC-SHA1" => {
            let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key.as_bytes()).expect("any key length");
            mac.update(base.as_bytes());
            mac.finalize().into_bytes().to_vec()
        }
        _ => {
            let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).expect("any key length");
            mac.update(base.as_bytes());
            mac.finalize().into_bytes().to_vec()
        }
    };
    let expected = base64::engine::general_purpose::STANDARD.encode(expected);
    if get("oauth_signature") != Some(expected.as_str()) {
        return Err(unauthorized("Invalid signature - provided signature does not match."));
    }
    Ok(())
}

fn gmt(v: &Value) -> Option<DateTime<Utc>> {
    v.as_str().and_then(|s| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").ok()).map(|t| t.and_utc())
}

async fn list_orders(State(world): State<SharedWorld>, request: Signed) -> Response {
    let mut w = world.lock().expect("world");
    let w = &mut *w;
    w.woo_runtime.requests += 1;
    if let Err(rejected) = authorise(w, &request) {
        return rejected;
    }
    let params = &request.params;
    let fault = w.woo_runtime.faults.next();
    let get = |k: &str| params.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
    let per_page: usize = get("per_page").and_then(|v| v.parse().ok()).unwrap_or(10);
    if !(1..=100).contains(&per_page) {
        return error(StatusCode::BAD_REQUEST, "rest_invalid_param", "Invalid parameter(s): per_page");
    }
    let page: usize = get("page").and_then(|v| v.parse().ok()).filter(|p| *p >= 1).unwrap_or(1);
    let modified_after = match get("modified_after") {
        None => None,
        Some(v) => match NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S") {
            Ok(t) => Some(t.and_utc()),
            Err(_) => {
                return error(StatusCode::BAD_REQUEST, "rest_invalid_param", "Invalid parameter(s): modified_after")
            }
        },
    };
    let mut matching: Vec<&Value> = w
        .woo
        .orders
        .iter()
        .filter(|o| modified_after.is_none_or(|after| gmt(&o["date_modified_gmt"]).is_some_and(|m| m > after)))
        .collect();
    matching.sort_by_key(|o| (gmt(&o["date_created_gmt"]), o["id"].as_u64()));
    if get("order") != Some("asc") {
        matching.reverse();
    }
    let total = matching.len();
    let pages = total.div_ceil(per_page).max(1);
    let body: Vec<Value> = matching.into_iter().skip((page - 1) * per_page).take(per_page).cloned().collect();
    let text = serde_json::to_string(&Value::Array(body)).expect("orders serialise");
    crate::reply_with(
        fault,
        text,
        vec![("X-WP-Total", HeaderValue::from(total)), ("X-WP-TotalPages", HeaderValue::from(pages))],
    )
}

fn default_currency() -> String {
    "USD".into()
}

/// `per_page` (1 to 100, default 10) and `page` (from 1) of a listing, or WooCommerce's
/// `rest_invalid_param` refusal.
fn paging(params: &[(String, String)]) -> Result<(usize, usize), Response> {
    let get = |k: &str| params.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
    let per_page: usize = get("per_page").and_then(|v| v.parse().ok()).unwrap_or(10);
    if !(1..=100).contains(&per_page) {
        return Err(error(StatusCode::BAD_REQUEST, "rest_invalid_param", "Invalid parameter(s): per_page"));
    }
    Ok((per_page, get("page").and_then(|v| v.parse().ok()).filter(|p| *p >= 1).unwrap_or(1)))
}

/// One page of `items` with `X-WP-Total` and `X-WP-TotalPages`.
fn listing(fault: Option<crate::Fault>, items: Vec<&Value>, per_page: usize, page: usize) -> Response {
    let total = items.len();
    let pages = total.div_ceil(per_page).max(1);
    let body: Vec<&Value> = items.into_iter().skip((page - 1) * per_page).take(per_page).collect();
    let text = serde_json::to_string(&body).expect("listing serialises");
    crate::reply_with(
        fault,
        text,
        vec![("X-WP-Total", HeaderValue::from(total)), ("X-WP-TotalPages", HeaderValue::from(pages))],
    )
}

/// `GET /products` ("List all products"), by `id` ascending when asked (`orderby=id&order=asc`),
/// else newest first as WooCommerce's default `date desc`.
async fn list_products(State(world): State<SharedWorld>, request: Signed) -> Response {
    let mut w = world.lock().expect("world");
    let w = &mut *w;
    w.woo_runtime.requests += 1;
    if let Err(rejected) = authorise(w, &request) {
        return rejected;
    }
    let (per_page, page) = match paging(&request.params) {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    let ascending = request.params.iter().any(|(k, v)| k == "order" && v == "asc");
    let mut items: Vec<&Value> = w.woo.products.iter().collect();
    items.sort_by_key(|p| p["id"].as_u64());
    if !ascending {
        items.reverse();
    }
    let fault = w.woo_runtime.faults.next();
    listing(fault, items, per_page, page)
}

/// `GET /products/{id}/variations` ("List all product variations"); 404
/// `woocommerce_rest_product_invalid_id` for an unknown product.
async fn list_variations(State(world): State<SharedWorld>, Path(id): Path<u64>, request: Signed) -> Response {
    let mut w = world.lock().expect("world");
    let w = &mut *w;
    w.woo_runtime.requests += 1;
    if let Err(rejected) = authorise(w, &request) {
        return rejected;
    }
    if !w.woo.products.iter().any(|p| p["id"].as_u64() == Some(id)) {
        return error(StatusCode::NOT_FOUND, "woocommerce_rest_product_invalid_id", "Invalid ID.");
    }
    let (per_page, page) = match paging(&request.params) {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    let items: Vec<&Value> = w.woo.variations.iter().filter(|v| v["parent_id"].as_u64() == Some(id)).collect();
    listing(None, items, per_page, page)
}

/// `GET /settings/general/woocommerce_currency` ("Retrieve a setting option").
async fn currency_setting(State(world): State<SharedWorld>, request: Signed) -> Response {
    let mut w = world.lock().expect("world");
    let w = &mut *w;
    if let Err(rejected) = authorise(w, &request) {
        return rejected;
    }
    Json(json!({
        "id": "woocommerce_currency", "label": "Currency", "description": "This controls what currency prices are listed at in the catalog and which currency gateways will take payments in.",
        "type": "select", "default": "GBP", "tip": "This controls what currency prices are listed at in the catalog and which currency gateways will take payments in.",
        "value": w.woo.currency, "group_id": "general",
    }))
    .into_response()
}

/// Checks a request's OAuth 1.0a signature (Basic auth over plain HTTP is anonymous, as in
/// WooCommerce).
fn authorise(w: &mut crate::World, request: &Signed) -> Result<(), Response> {
    if request.headers.contains_key("authorization") {
        // Over plain HTTP WooCommerce ignores Basic auth: the request is anonymous.
        return Err(error(
            StatusCode::UNAUTHORIZED,
            "woocommerce_rest_cannot_view",
            "Sorry, you cannot list resources.",
        ));
    }
    let host = request.headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1");
    let url = format!("http://{host}{}", request.path);
    check_oauth(&w.woo, &mut w.woo_runtime, &request.method, &url, &request.params)
}

fn no_route() -> Response {
    error(StatusCode::NOT_FOUND, "rest_no_route", "No route was found matching the URL and request method.")
}

fn order_exists(w: &crate::World, id: u64) -> bool {
    w.woo.orders.iter().any(|o| o["id"].as_u64() == Some(id))
}

fn invalid_order() -> Response {
    error(StatusCode::NOT_FOUND, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
}

fn now_gmt() -> String {
    Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// What the OAuth 1.0a check of a request needs, taken from the request itself: its method,
/// path (without the query), headers and query parameters.
struct Signed {
    method: Method,
    path: String,
    headers: HeaderMap,
    params: Vec<(String, String)>,
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Query(params) = Query::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map_err(|_| error(StatusCode::BAD_REQUEST, "rest_invalid_param", "Invalid query string."))?;
        Ok(Signed {
            method: parts.method.clone(),
            path: parts.uri.path().to_owned(),
            headers: parts.headers.clone(),
            params,
        })
    }
}

/// Runs `handle` on the world after the common checks: signature, the order's existence, and
/// (for the two tracking APIs) whether the store has the feature.
fn with_order(
    world: &SharedWorld,
    request: &Signed,
    order_id: u64,
    needs: Option<WooTrackingSupport>,
    handle: impl FnOnce(&mut crate::World) -> Response,
) -> Response {
    let mut w = world.lock().expect("world");
    let w = &mut *w;
    w.woo_runtime.requests += 1;
    if let Some(needed) = needs {
        if w.woo.tracking_support != needed {
            return no_route();
        }
    }
    if let Err(rejected) = authorise(w, request) {
        return rejected;
    }
    if !order_exists(w, order_id) {
        return invalid_order();
    }
    let response = handle(w);
    w.save();
    response
}

async fn update_order(
    State(world): State<SharedWorld>,
    Path(id): Path<u64>,
    request: Signed,
    Json(body): Json<Value>,
) -> Response {
    with_order(&world, &request, id, None, |w| {
        let order = w.woo.orders.iter_mut().find(|o| o["id"].as_u64() == Some(id)).expect("checked");
        if let Some(status) = body["status"].as_str() {
            order["status"] = Value::from(status);
            if status == "completed" && order["date_completed_gmt"].is_null() {
                order["date_completed_gmt"] = Value::from(now_gmt());
            }
        }
        order["date_modified_gmt"] = Value::from(now_gmt());
        Json(order.clone()).into_response()
    })
}

fn fulfillments_of(w: &crate::World, id: u64) -> Vec<Value> {
    w.woo.fulfillments.iter().filter(|f| f["entity_id"].as_str() == Some(id.to_string().as_str())).cloned().collect()
}

async fn list_fulfillments(State(world): State<SharedWorld>, Path(id): Path<u64>, request: Signed) -> Response {
    with_order(&world, &request, id, Some(WooTrackingSupport::Fulfillments), |w| {
        Json(Value::Array(fulfillments_of(w, id))).into_response()
    })
}

/// Meta data as sent (`[{key, value}]`) gets ids, as WooCommerce gives them.
fn numbered_meta(meta: &Value) -> Result<Value, Response> {
    let list = meta.as_array().ok_or_else(|| {
        error(StatusCode::BAD_REQUEST, "rest_missing_callback_param", "Missing parameter(s): meta_data")
    })?;
    Ok(Value::Array(
        list.iter().enumerate().map(|(i, m)| json!({ "id": i + 1, "key": m["key"], "value": m["value"] })).collect(),
    ))
}

async fn create_fulfillment(
    State(world): State<SharedWorld>,
    Path(id): Path<u64>,
    request: Signed,
    Json(body): Json<Value>,
) -> Response {
    with_order(&world, &request, id, Some(WooTrackingSupport::Fulfillments), |w| {
        let meta = match numbered_meta(&body["meta_data"]) {
            Ok(m) => m,
            Err(e) => return e,
        };
        let next = w.woo.fulfillments.iter().filter_map(|f| f["id"].as_u64()).max().unwrap_or(0) + 1;
        let fulfillment = json!({
            "id": next, "entity_type": "WC_Order", "entity_id": id.to_string(),
            "status": body["status"].as_str().unwrap_or("unfulfilled"),
            "is_fulfilled": body["is_fulfilled"].as_bool().unwrap_or(false),
            "date_updated": now_gmt(), "date_deleted": Value::Null, "meta_data": meta,
        });
        w.woo.fulfillments.push(fulfillment.clone());
        (StatusCode::CREATED, Json(fulfillment)).into_response()
    })
}

async fn update_fulfillment(
    State(world): State<SharedWorld>,
    Path((id, fid)): Path<(u64, u64)>,
    request: Signed,
    Json(body): Json<Value>,
) -> Response {
    with_order(&world, &request, id, Some(WooTrackingSupport::Fulfillments), |w| {
        let meta = match numbered_meta(&body["meta_data"]) {
            Ok(m) => m,
            Err(e) => return e,
        };
        let Some(f) = w
            .woo
            .fulfillments
            .iter_mut()
            .find(|f| f["id"].as_u64() == Some(fid) && f["entity_id"].as_str() == Some(id.to_string().as_str()))
        else {
            return error(StatusCode::NOT_FOUND, "woocommerce_rest_fulfillment_invalid_id", "Invalid fulfillment ID.");
        };
        f["meta_data"] = meta;
        f["date_updated"] = Value::from(now_gmt());
        Json(f.clone()).into_response()
    })
}

async fn list_trackings(State(world): State<SharedWorld>, Path(id): Path<u64>, request: Signed) -> Response {
    with_order(&world, &request, id, Some(WooTrackingSupport::ShipmentTracking), |w| {
        let list: Vec<Value> =
            w.woo.shipment_trackings.iter().filter(|t| t["order_id"].as_u64() == Some(id)).cloned().collect();
        Json(Value::Array(list)).into_response()
    })
}

async fn create_tracking(
    State(world): State<SharedWorld>,
    Path(id): Path<u64>,
    request: Signed,
    Json(body): Json<Value>,
) -> Response {
    with_order(&world, &request, id, Some(WooTrackingSupport::ShipmentTracking), |w| {
        let text = |k: &str| body[k].as_str().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
        let Some(number) = text("tracking_number") else {
            return error(
                StatusCode::BAD_REQUEST,
                "rest_missing_callback_param",
                "Missing parameter(s): tracking_number",
            );
        };
        let provider = text("tracking_provider");
        let custom = text("custom_tracking_provider");
        if provider.is_none() && (custom.is_none() || text("custom_tracking_link").is_none()) {
            return error(
                StatusCode::BAD_REQUEST,
                "woocommerce_shipment_tracking_invalid_provider",
                "A predefined or custom tracking provider is required.",
            );
        }
        let tracking_id = format!("{:032x}", w.woo.shipment_trackings.len() as u128 * 7919 + id as u128);
        let item = json!({
            "order_id": id, "tracking_id": tracking_id, "tracking_number": number,
            "tracking_provider": provider.unwrap_or_default(), "custom_tracking_provider": custom.unwrap_or_default(),
            "custom_tracking_link": text("custom_tracking_link").unwrap_or_default(),
            "date_shipped": text("date_shipped").unwrap_or_else(|| Utc::now().format("%Y-%m-%d").to_string()),
        });
        w.woo.shipment_trackings.push(item.clone());
        (StatusCode::CREATED, Json(item)).into_response()
    })
}

async fn delete_tracking(
    State(world): State<SharedWorld>,
    Path((id, tid)): Path<(u64, String)>,
    request: Signed,
) -> Response {
    with_order(&world, &request, id, Some(WooTrackingSupport::ShipmentTracking), |w| {
        let Some(at) = w
            .woo
            .shipment_trackings
            .iter()
            .position(|t| t["order_id"].as_u64() == Some(id) && t["tracking_id"].as_str() == Some(tid.as_str()))
        else {
            return error(StatusCode::NOT_FOUND, "woocommerce_shipment_tracking_invalid_id", "Invalid tracking ID.");
        };
        Json(w.woo.shipment_trackings.remove(at)).into_response()
    })
}

async fn list_notes(State(world): State<SharedWorld>, Path(id): Path<u64>, request: Signed) -> Response {
    with_order(&world, &request, id, None, |w| {
        let list: Vec<Value> = w.woo.notes.iter().filter(|n| n["order_id"].as_u64() == Some(id)).cloned().collect();
        Json(Value::Array(list)).into_response()
    })
}

async fn create_note(
    State(world): State<SharedWorld>,
    Path(id): Path<u64>,
    request: Signed,
    Json(body): Json<Value>,
) -> Response {
    with_order(&world, &request, id, None, |w| {
        let Some(note) = body["note"].as_str().filter(|n| !n.trim().is_empty()) else {
            return error(StatusCode::BAD_REQUEST, "rest_missing_callback_param", "Missing parameter(s): note");
        };
        let next = w.woo.notes.iter().filter_map(|n| n["id"].as_u64()).max().unwrap_or(0) + 1;
        let item = json!({
            "id": next, "order_id": id, "author": "WooCommerce", "date_created_gmt": now_gmt(), "note": note,
            "customer_note": body["customer_note"].as_bool().unwrap_or(false),
        });
        w.woo.notes.push(item.clone());
        (StatusCode::CREATED, Json(item)).into_response()
    })
}

/// Inspect and change the store from Rust (tests, the demo).
#[derive(Clone)]
pub struct WooHandle {
    pub(crate) world: SharedWorld,
    pub(crate) url: String,
}

impl WooHandle {
    /// The site's origin, e.g. `http://127.0.0.1:41235` (the API is below `/wp-json/wc/v3`).
    pub fn url(&self) -> String {
        self.url.clone()
    }

    pub fn consumer_key(&self) -> String {
        self.world.lock().expect("world").woo.consumer_key.clone()
    }

    pub fn consumer_secret(&self) -> String {
        self.world.lock().expect("world").woo.consumer_secret.clone()
    }

    /// Every order, as the API returns it.
    pub fn orders(&self) -> Vec<Value> {
        self.world.lock().expect("world").woo.orders.clone()
    }

    /// Changes an order as the merchant would in wp-admin: `edit` gets the order's JSON, and its
    /// `date_modified_gmt` becomes `modified_at` (default: now).
    pub fn edit_order(&self, id: u64, modified_at: Option<DateTime<Utc>>, edit: impl FnOnce(&mut Value)) {
        let mut w = self.world.lock().expect("world");
        if let Some(order) = w.woo.orders.iter_mut().find(|o| o["id"].as_u64() == Some(id)) {
            edit(order);
            let at = modified_at.unwrap_or_else(Utc::now).format("%Y-%m-%dT%H:%M:%S").to_string();
            order["date_modified_gmt"] = Value::from(at);
        }
        w.save();
    }

    /// Adds an order (its JSON as `GET /orders` returns it).
    pub fn add_order(&self, order: Value) {
        let mut w = self.world.lock().expect("world");
        w.woo.orders.push(order);
        w.save();
    }

    /// Adds a product (the documented `Product` shape) and its variations (each with its
    /// `parent_id`) to the catalogue.
    pub fn add_product(&self, product: Value, variations: Vec<Value>) {
        let mut w = self.world.lock().expect("world");
        w.woo.products.push(product);
        w.woo.variations.extend(variations);
        w.save();
    }

    /// Answers the next list requests with these faults, in order, then one good answer.
    pub fn fail_next(&self, faults: &[crate::Fault]) {
        self.world.lock().expect("world").woo_runtime.faults.burst(faults);
    }

    /// Answers this share (0 to 1) of list requests with a random fault: 429, 500, a reply cut
    /// in half, or a 1.5 s stall.
    pub fn set_fault_rate(&self, rate: f64) {
        self.world.lock().expect("world").woo_runtime.faults.rate = rate.clamp(0.0, 1.0);
    }

    /// Chooses how the store takes tracking numbers (core fulfillments, Shipment Tracking, notes).
    pub fn set_tracking_support(&self, support: WooTrackingSupport) {
        let mut w = self.world.lock().expect("world");
        w.woo.tracking_support = support;
        w.save();
    }

    /// The core fulfillments of an order.
    pub fn fulfillments(&self, order_id: u64) -> Vec<Value> {
        fulfillments_of(&self.world.lock().expect("world"), order_id)
    }

    /// The Shipment Tracking items of an order.
    pub fn shipment_trackings(&self, order_id: u64) -> Vec<Value> {
        let w = self.world.lock().expect("world");
        w.woo.shipment_trackings.iter().filter(|t| t["order_id"].as_u64() == Some(order_id)).cloned().collect()
    }

    /// The notes of an order.
    pub fn notes(&self, order_id: u64) -> Vec<Value> {
        let w = self.world.lock().expect("world");
        w.woo.notes.iter().filter(|n| n["order_id"].as_u64() == Some(order_id)).cloned().collect()
    }

    /// Requests the store has answered.
    pub fn requests(&self) -> u32 {
        self.world.lock().expect("world").woo_runtime.requests
    }
}
