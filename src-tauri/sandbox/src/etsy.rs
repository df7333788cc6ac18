//! An Etsy shop behind the Open API v3, with Etsy's OAuth 2.0 (authorization code with PKCE).
//!
//! Source: developers.etsy.com "Authentication": `GET /oauth/connect` (here it approves at once
//! and redirects back with `code` and `state`, as Etsy does once the seller clicks "Allow
//! access"), `POST /v3/public/oauth/token` for `authorization_code` (the S256 `code_verifier` is
//! checked) and `refresh_token` (each refresh token works once: a new one comes with every
//! refresh), access tokens prefixed with the user id and lasting an hour; every API call needs
//! `x-api-key: {keystring}:{shared_secret}` (403 otherwise). `getShopByOwnerUserId`, `getShop` and
//! `getShopReceipts` (`min_last_modified`, `limit` ≤ 100, `offset`, `sort_on=updated`) reply
//! with the documented shapes and the rate headers `x-remaining-this-second`, `x-remaining-today`.

use std::collections::{HashMap, HashSet};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::Digest;

use crate::SharedWorld;

/// The shop's data: the app's keys, the seller and the receipts (Etsy's `ShopReceipt` shape).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EtsyShopData {
    pub keystring: String,
    pub shared_secret: String,
    pub user_id: u64,
    pub shop_id: u64,
    pub shop_name: String,
    pub receipts: Vec<Value>,
    /// Listings (`ShopListing`), each with its `inventory` (`ListingInventory`), served apart by
    /// `getListingInventory` (a shop saved before it had listings gets the demo's).
    #[serde(default = "crate::seed::etsy_listings")]
    pub listings: Vec<Value>,
    /// Tokens issued (kept with the shop, so a connection survives a restart of the sandbox).
    #[serde(default)]
    pub access: HashMap<String, DateTime<Utc>>,
    #[serde(default)]
    pub refresh: HashSet<String>,
}

/// OAuth state and counters (not persisted).
#[derive(Default)]
pub(crate) struct EtsyRuntime {
    /// code → (code_challenge, redirect_uri)
    codes: HashMap<String, (String, String)>,
    pub(crate) access_lifetime_secs: Option<i64>,
    pub(crate) refreshes: u32,
    calls_today: i64,
    /// Faults to answer receipts reads with (429, 500, cut replies, stalls).
    pub(crate) faults: crate::Faults,
    /// Answer `x-remaining-this-second: 0` on the next replies (the caller must wait a second).
    pub(crate) exhaust_second: u32,
    /// Receipts requests answered, with when.
    pub(crate) receipt_calls: Vec<std::time::Instant>,
}

pub(crate) fn router(world: SharedWorld) -> Router {
    Router::new()
        .route("/oauth/connect", get(authorize))
        .route("/v3/public/oauth/token", post(token))
        .route("/v3/application/users/{user_id}/shops", get(shop_by_owner))
        .route("/v3/application/shops/{shop_id}", get(shop))
        .route("/v3/application/shops/{shop_id}/receipts", get(receipts))
        .route("/v3/application/shops/{shop_id}/listings", get(listings))
        .route("/v3/application/listings/{listing_id}/inventory", get(inventory))
        .route("/v3/application/shops/{shop_id}/receipts/{receipt_id}", get(receipt))
        .route("/v3/application/shops/{shop_id}/receipts/{receipt_id}/tracking", post(create_shipment))
        .with_state(world)
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

/// The seller clicks "Allow access": back to the app with a code.
async fn authorize(State(world): State<SharedWorld>, Query(q): Query<HashMap<String, String>>) -> Response {
    let mut w = world.lock().expect("world");
    let field = |k: &str| q.get(k).cloned().unwrap_or_default();
    if field("client_id") != w.etsy.keystring {
        return error(StatusCode::BAD_REQUEST, "invalid client_id");
    }
    if field("response_type") != "code"
        || field("code_challenge_method") != "S256"
        || field("code_challenge").is_empty()
    {
        return error(StatusCode::BAD_REQUEST, "a PKCE S256 code_challenge and response_type=code are required");
    }
    let code = format!("code{:024x}", rand::random::<u128>());
    w.etsy_runtime.codes.insert(code.clone(), (field("code_challenge"), field("redirect_uri")));
    let separator = if field("redirect_uri").contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{}{separator}code={code}&state={}", field("redirect_uri"), field("state"))).into_response()
}

fn issue(w: &mut crate::World) -> Value {
    let user = w.etsy.user_id;
    let lifetime = w.etsy_runtime.access_lifetime_secs.unwrap_or(3600);
    let access = format!("{user}.{:032x}", rand::random::<u128>());
    let refresh = format!("{user}.{:032x}", rand::random::<u128>());
    w.etsy.access.insert(access.clone(), Utc::now() + chrono::Duration::seconds(lifetime));
    w.etsy.refresh.insert(refresh.clone());
    w.save();
    json!({ "access_token": access, "token_type": "Bearer", "expires_in": lifetime, "refresh_token": refresh })
}

async fn token(State(world): State<SharedWorld>, Form(form): Form<HashMap<String, String>>) -> Response {
    let mut w = world.lock().expect("world");
    let field = |k: &str| form.get(k).cloned().unwrap_or_default();
    if field("client_id") != w.etsy.keystring {
        return error(StatusCode::UNAUTHORIZED, "invalid_client");
    }
    match field("grant_type").as_str() {
        "authorization_code" => {
            let Some((challenge, redirect)) = w.etsy_runtime.codes.remove(&field("code")) else {
                return (
                    StatusCode::BAD_REQUEST,
                    Json(json!({ "error": "invalid_grant", "error_description": "code is invalid or used" })),
                )
                    .into_response();
            };
            let computed = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(sha2::Sha256::digest(field("code_verifier").as_bytes()));
            if computed != challenge || redirect != field("redirect_uri") {
                return (StatusCode::BAD_REQUEST, Json(json!({ "error": "invalid_grant", "error_description": "code_verifier or redirect_uri does not match" }))).into_response();
            }
            Json(issue(&mut w)).into_response()
        }
        "refresh_token" => {
            if !w.etsy.refresh.remove(&field("refresh_token")) {
                return (
                    StatusCode::BAD_REQUEST,
                    Json(json!({ "error": "invalid_grant", "error_description": "refresh token is invalid or used" })),
                )
                    .into_response();
            }
            w.etsy_runtime.refreshes += 1;
            Json(issue(&mut w)).into_response()
        }
        _ => (StatusCode::BAD_REQUEST, Json(json!({ "error": "unsupported_grant_type" }))).into_response(),
    }
}

/// The API key alone, which every call needs (public endpoints such as `getShop` need nothing
/// more); `Err` is the reply to send.
fn check_key(w: &mut crate::World, headers: &HeaderMap) -> Result<(), Response> {
    let key = headers.get("x-api-key").and_then(|v| v.to_str().ok()).unwrap_or_default();
    if key != format!("{}:{}", w.etsy.keystring, w.etsy.shared_secret) {
        return Err(error(
            StatusCode::FORBIDDEN,
            "Invalid API key: the x-api-key header must be keystring:shared_secret",
        ));
    }
    Ok(())
}

/// The API key and the bearer token (endpoints that need an OAuth scope); `Err` is the reply.
fn check(w: &mut crate::World, headers: &HeaderMap) -> Result<(), Response> {
    check_key(w, headers)?;
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if w.etsy.access.get(bearer).is_none_or(|end| *end <= Utc::now()) {
        return Err(error(StatusCode::UNAUTHORIZED, "invalid_token"));
    }
    w.etsy_runtime.calls_today += 1;
    Ok(())
}

fn with_rate_headers(w: &mut crate::World, mut response: Response) -> Response {
    let left = if w.etsy_runtime.exhaust_second > 0 {
        w.etsy_runtime.exhaust_second -= 1;
        0
    } else {
        9
    };
    let h = response.headers_mut();
    h.insert("x-remaining-this-second", HeaderValue::from(left));
    h.insert("x-remaining-today", HeaderValue::from(10_000 - w.etsy_runtime.calls_today));
    response
}

async fn shop_by_owner(State(world): State<SharedWorld>, headers: HeaderMap, Path(user_id): Path<u64>) -> Response {
    let mut w = world.lock().expect("world");
    if let Err(r) = check(&mut w, &headers) {
        return r;
    }
    if user_id != w.etsy.user_id {
        return error(StatusCode::NOT_FOUND, "no shop for this user");
    }
    let body = Json(json!({ "shop_id": w.etsy.shop_id, "shop_name": w.etsy.shop_name, "user_id": w.etsy.user_id }))
        .into_response();
    with_rate_headers(&mut w, body)
}

/// `getShop`: a public endpoint, `x-api-key` only (no OAuth scope in the spec).
async fn shop(State(world): State<SharedWorld>, headers: HeaderMap, Path(shop_id): Path<u64>) -> Response {
    let mut w = world.lock().expect("world");
    if let Err(r) = check_key(&mut w, &headers) {
        return r;
    }
    w.etsy_runtime.calls_today += 1;
    if shop_id != w.etsy.shop_id {
        return error(StatusCode::NOT_FOUND, "shop not found");
    }
    let body = Json(json!({ "shop_id": w.etsy.shop_id, "shop_name": w.etsy.shop_name, "currency_code": "USD" }))
        .into_response();
    with_rate_headers(&mut w, body)
}

/// A query parameter as a number, `default` when absent or unreadable.
fn num(q: &HashMap<String, String>, key: &str, default: i64) -> i64 {
    q.get(key).and_then(|v| v.parse::<i64>().ok()).unwrap_or(default)
}

/// What every shop listing call checks first: the credentials, the shop, and `limit` (1 to 100,
/// default 25) with `offset` (default 0). Returns `(limit, offset)` or the refusal.
fn shop_listing(
    w: &mut crate::World,
    headers: &HeaderMap,
    shop_id: u64,
    q: &HashMap<String, String>,
) -> Result<(usize, usize), Response> {
    check(w, headers)?;
    if shop_id != w.etsy.shop_id {
        return Err(error(StatusCode::NOT_FOUND, "shop not found"));
    }
    let limit = num(q, "limit", 25);
    if !(1..=100).contains(&limit) {
        return Err(error(StatusCode::BAD_REQUEST, "limit must be between 1 and 100"));
    }
    Ok((limit as usize, num(q, "offset", 0).max(0) as usize))
}

async fn receipts(
    State(world): State<SharedWorld>,
    headers: HeaderMap,
    Path(shop_id): Path<u64>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut w = world.lock().expect("world");
    let (limit, offset) = match shop_listing(&mut w, &headers, shop_id, &q) {
        Ok(page) => page,
        Err(refused) => return refused,
    };
    let since = num(&q, "min_last_modified", 0);
    let mut matching: Vec<&Value> =
        w.etsy.receipts.iter().filter(|r| r["updated_timestamp"].as_i64().unwrap_or(0) >= since).collect();
    matching.sort_by_key(|r| (r["updated_timestamp"].as_i64(), r["receipt_id"].as_u64()));
    if q.get("sort_order").map(String::as_str) == Some("desc") {
        matching.reverse();
    }
    let count = matching.len();
    let results: Vec<Value> = matching.into_iter().skip(offset).take(limit).cloned().collect();
    let text = json!({ "count": count, "results": results }).to_string();
    w.etsy_runtime.receipt_calls.push(std::time::Instant::now());
    let fault = w.etsy_runtime.faults.next();
    let body = crate::reply_with(fault, text, vec![]);
    with_rate_headers(&mut w, body)
}

/// `getListingsByShop`: `state` (default `active`; also `inactive`, `sold_out`, `draft`,
/// `expired`), `limit` 1 to 100 (default 25), `offset`; `{count, results}` without the
/// inventory (that is `getListingInventory`'s).
async fn listings(
    State(world): State<SharedWorld>,
    headers: HeaderMap,
    Path(shop_id): Path<u64>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut w = world.lock().expect("world");
    let (limit, offset) = match shop_listing(&mut w, &headers, shop_id, &q) {
        Ok(page) => page,
        Err(refused) => return refused,
    };
    let state = q.get("state").cloned().unwrap_or_else(|| "active".into());
    if !["active", "inactive", "sold_out", "draft", "expired"].contains(&state.as_str()) {
        return error(StatusCode::BAD_REQUEST, "state must be one of active, inactive, sold_out, draft, expired");
    }
    let matching: Vec<Value> = w
        .etsy
        .listings
        .iter()
        .filter(|l| l["state"] == state.as_str())
        .map(|l| {
            let mut listing = l.clone();
            if let Some(map) = listing.as_object_mut() {
                map.remove("inventory");
            }
            listing
        })
        .collect();
    let count = matching.len();
    let results: Vec<Value> = matching.into_iter().skip(offset).take(limit).collect();
    let body = Json(json!({ "count": count, "results": results })).into_response();
    with_rate_headers(&mut w, body)
}

/// `getListingInventory`: the listing's `ListingInventory`; 404 for a listing of no shop here.
async fn inventory(State(world): State<SharedWorld>, headers: HeaderMap, Path(listing_id): Path<u64>) -> Response {
    let mut w = world.lock().expect("world");
    if let Err(r) = check(&mut w, &headers) {
        return r;
    }
    let found =
        w.etsy.listings.iter().find(|l| l["listing_id"].as_u64() == Some(listing_id)).map(|l| l["inventory"].clone());
    match found {
        Some(inventory) => {
            let body = Json(inventory).into_response();
            with_rate_headers(&mut w, body)
        }
        None => error(StatusCode::NOT_FOUND, &format!("Could not find a Listing with listing_id = {listing_id}")),
    }
}

/// `getShopReceipt`.
async fn receipt(
    State(world): State<SharedWorld>,
    headers: HeaderMap,
    Path((shop_id, receipt_id)): Path<(u64, u64)>,
) -> Response {
    let mut w = world.lock().expect("world");
    if let Err(r) = check(&mut w, &headers) {
        return r;
    }
    let found = w
        .etsy
        .receipts
        .iter()
        .find(|r| shop_id == w.etsy.shop_id && r["receipt_id"].as_u64() == Some(receipt_id))
        .cloned();
    match found {
        Some(r) => with_rate_headers(&mut w, Json(r).into_response()),
        None => error(StatusCode::NOT_FOUND, "receipt not found"),
    }
}

/// `createReceiptShipment`: a shipment with the tracking code; the receipt is shipped.
async fn create_shipment(
    State(world): State<SharedWorld>,
    headers: HeaderMap,
    Path((shop_id, receipt_id)): Path<(u64, u64)>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut w = world.lock().expect("world");
    if let Err(r) = check(&mut w, &headers) {
        return r;
    }
    let code = form.get("tracking_code").cloned().unwrap_or_default();
    let carrier = form.get("carrier_name").cloned().unwrap_or_default();
    if code.is_empty() || carrier.is_empty() {
        return error(StatusCode::BAD_REQUEST, "tracking_code and carrier_name are required");
    }
    let shop = w.etsy.shop_id;
    let Some(r) = w.etsy.receipts.iter_mut().find(|r| shop_id == shop && r["receipt_id"].as_u64() == Some(receipt_id))
    else {
        return error(StatusCode::NOT_FOUND, "receipt not found");
    };
    let shipments = r["shipments"].as_array().map(|l| l.len()).unwrap_or(0) as u64;
    let shipment = json!({
        "receipt_shipping_id": receipt_id * 10 + shipments + 1,
        "shipment_notification_timestamp": Utc::now().timestamp(),
        "carrier_name": carrier, "tracking_code": code,
    });
    match r["shipments"].as_array_mut() {
        Some(list) => list.push(shipment),
        None => r["shipments"] = json!([shipment]),
    }
    r["is_shipped"] = json!(true);
    r["updated_timestamp"] = json!(Utc::now().timestamp());
    let reply = r.clone();
    w.save();
    with_rate_headers(&mut w, Json(reply).into_response())
}

/// Inspect and change the shop from Rust (tests, the demo).
#[derive(Clone)]
pub struct EtsyHandle {
    pub(crate) world: SharedWorld,
    pub(crate) url: String,
}

impl EtsyHandle {
    /// The API origin (the OAuth pages are on it too).
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The app's keystring and shared secret.
    pub fn app_keys(&self) -> (String, String) {
        let w = self.world.lock().expect("world");
        (w.etsy.keystring.clone(), w.etsy.shared_secret.clone())
    }

    pub fn receipts(&self) -> Vec<Value> {
        self.world.lock().expect("world").etsy.receipts.clone()
    }

    /// Adds a receipt (Etsy's `ShopReceipt` shape).
    pub fn add_receipt(&self, receipt: Value) {
        let mut w = self.world.lock().expect("world");
        w.etsy.receipts.push(receipt);
        w.save();
    }

    /// New access tokens last this long.
    pub fn set_access_lifetime(&self, seconds: i64) {
        self.world.lock().expect("world").etsy_runtime.access_lifetime_secs = Some(seconds);
    }

    /// Refresh tokens exchanged so far.
    pub fn refreshes(&self) -> u32 {
        self.world.lock().expect("world").etsy_runtime.refreshes
    }

    /// Answers the next receipts reads with these faults, in order, then one good answer.
    pub fn fail_next(&self, faults: &[crate::Fault]) {
        self.world.lock().expect("world").etsy_runtime.faults.burst(faults);
    }

    /// Answers this share (0 to 1) of receipts reads with a random fault.
    pub fn set_fault_rate(&self, rate: f64) {
        self.world.lock().expect("world").etsy_runtime.faults.rate = rate.clamp(0.0, 1.0);
    }

    /// The next `n` replies say no call is left this second.
    pub fn exhaust_second(&self, n: u32) {
        self.world.lock().expect("world").etsy_runtime.exhaust_second = n;
    }

    /// When each receipts request was answered.
    pub fn receipt_calls(&self) -> Vec<std::time::Instant> {
        self.world.lock().expect("world").etsy_runtime.receipt_calls.clone()
    }

    /// Whether a refresh token would still be accepted.
    pub fn refresh_token_valid(&self, token: &str) -> bool {
        self.world.lock().expect("world").etsy.refresh.contains(token)
    }
}
