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
//! The signature check is written out here (the server side of OAuth 1.0a, from RFC 5849 §3.4)
//! rather than reusing the client crate Dropdock signs with, so that a mistake in one is caught
//! by the other.

use std::collections::HashSet;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
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
    Router::new().route("/wp-json/wc/v3/orders", get(list_orders)).with_state(world)
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({ "code": code, "message": message, "data": { "status": status.as_u16() } }))).into_response()
}

/// RFC 3986 unreserved characters stay; everything else is percent-encoded (RFC 5849 §3.6).
fn encode(s: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
    percent_encoding::utf8_percent_encode(s, SET).to_string()
}

/// Checks an OAuth 1.0a one-legged request: consumer key, signature method, timestamp, nonce and
/// signature. `url` is the request URL without its query, as the client signed it.
fn check_oauth(
    store: &WooStoreData,
    runtime: &mut WooRuntime,
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
    let base = format!("GET&{}&{}", encode(url), encode(&normalized));
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

async fn list_orders(
    State(world): State<SharedWorld>,
    headers: HeaderMap,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    let mut w = world.lock().expect("world");
    let w = &mut *w;
    w.woo_runtime.requests += 1;
    if headers.contains_key("authorization") {
        // Over plain HTTP WooCommerce ignores Basic auth: the request is anonymous.
        return error(StatusCode::UNAUTHORIZED, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.");
    }
    let host = headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1");
    let url = format!("http://{host}/wp-json/wc/v3/orders");
    if let Err(rejected) = check_oauth(&w.woo, &mut w.woo_runtime, &url, &params) {
        return rejected;
    }
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
            Err(_) => return error(StatusCode::BAD_REQUEST, "rest_invalid_param", "Invalid parameter(s): modified_after"),
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
    crate::reply_with(fault, text, vec![("X-WP-Total", HeaderValue::from(total)), ("X-WP-TotalPages", HeaderValue::from(pages))])
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

    /// Answers the next list requests with these faults, in order, then one good answer.
    pub fn fail_next(&self, faults: &[crate::Fault]) {
        self.world.lock().expect("world").woo_runtime.faults.burst(faults);
    }

    /// Answers this share (0 to 1) of list requests with a random fault: 429, 500, a reply cut
    /// in half, or a 1.5 s stall.
    pub fn set_fault_rate(&self, rate: f64) {
        self.world.lock().expect("world").woo_runtime.faults.rate = rate.clamp(0.0, 1.0);
    }

    /// Requests the store has answered.
    pub fn requests(&self) -> u32 {
        self.world.lock().expect("world").woo_runtime.requests
    }
}
