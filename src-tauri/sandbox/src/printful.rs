//! A Printful account behind API v2, written from Printful's OpenAPI document "API
//! Documentation v2 | Printful" (version 2.0.0-beta, <https://developers.printful.com/docs/v2-beta/>),
//! not from Dropdock's client: the operations, shapes, types and error replies below are the
//! document's, awkward parts included.
//!
//! - Authentication: `Authorization: Bearer <private token>`; `X-PF-Store-Id` is needed only by
//!   an account-level token. This demo token is store-level: the header may be left out, and
//!   when sent it must name the store. A refusal is 401 `Malformed Authorization header.` in
//!   the older `{code, result, error: {reason, message}}` shape that the order operations use.
//! - Rate limit ("Are there any changes to API Rate Limits?"): a leaky bucket, by default 120
//!   requests a minute, announced in `X-Ratelimit-Policy`, `X-Ratelimit-Limit`,
//!   `X-Ratelimit-Remaining` and `X-Ratelimit-Reset`, refused with 429 and `retry-after` (in
//!   seconds) when empty. The demo's bucket is set by [`crate::SandboxConfig`].
//! - `GET /v2/oauth-scopes`: the token's scopes.
//! - `GET /v2/catalog-products` (`limit`, `offset`, `paging`), `GET /v2/catalog-variants/{id}`
//!   (`Variant`: id, catalog_product_id, name, size, color, color_code, color_code2, image),
//!   `GET /v2/catalog-variants/{id}/prices` (`currency`; the variant's `techniques[]` with
//!   `price` and `discounted_price` as strings) and `/availability` (`techniques`, selling
//!   regions with `in stock` / `not in stock`).
//! - `POST /v2/shipping-rates` (`recipient.country_code`, `order_items[]` with `source:
//!   "catalog"`, `catalog_variant_id`, `quantity`): rates with `shipping`, `shipping_method_name`
//!   (with the document's trailing space), `rate` as a string, `currency`, and
//!   `min_delivery_days` left out where it is not known ("may not be present").
//! - `POST /v2/orders`: a `draft` with the request's `external_id`, `shipping`, `recipient` and
//!   `order_items`; the reply's `costs` are still `calculating` (every amount `null`); reading the
//!   order later gives them `done`. Every `{order_id}` is the integer id or `@` + external id.
//! - `POST /v2/orders/{order_id}/confirmation` (no body): `draft` → `pending`; the order is then
//!   charged to the merchant's billing method on Printful (there is no balance). It goes
//!   `inprocess`, then `fulfilled` with one shipment (`carrier`, `service`, `shipment_status`,
//!   `delivery_status`, `tracking_url`, no tracking-number field: the document gives the number
//!   only in webhook payloads), delivered a day after it ships.
//! - `DELETE /v2/orders/{order_id}`: 204 while `draft`, `failed` or `canceled` and not charged;
//!   409 otherwise, in the document's `Conflict` shape (whose `error.reason` is an integer).
//! - `GET /v2/orders/{order_id}/shipments`: the shipments with `paging`.
//!
//! The document is silent on a second order with an `external_id` already used; this sandbox
//! refuses it with 400 (a client must look the order up instead, and Dropdock does).

use std::time::{Duration, Instant};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::SharedWorld;

/// One variant of the demo catalogue: a print-on-demand product in one size and colour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintfulVariant {
    /// Printful's catalog variant id.
    pub id: i64,
    pub product_id: i64,
    pub product_name: String,
    pub product_type: String,
    pub name: String,
    pub size: String,
    pub color: String,
    pub color_code: String,
    /// The demo store's SKU this variant is printed for (the demo maps it).
    pub sku: String,
    /// Price of the variant with its default technique, US cents.
    pub cost_minor: i64,
    pub in_stock: bool,
}

/// An order as the account holds it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PrintfulOrder {
    pub id: i64,
    pub external_id: String,
    /// `draft`, `pending` (confirmed), `canceled`; `inprocess` and `fulfilled` follow from the
    /// times below when read.
    pub status: String,
    pub shipping: String,
    pub recipient: Value,
    pub order_items: Vec<Value>,
    pub subtotal_minor: i64,
    pub shipping_minor: i64,
    pub created_at: DateTime<Utc>,
    pub confirmed_at: Option<DateTime<Utc>>,
    /// When the parcel leaves (set at confirmation).
    pub ships_at: Option<DateTime<Utc>>,
    pub carrier: String,
    pub tracking_number: String,
    /// Delivered ahead of time (tests); otherwise a day after it ships.
    #[serde(default)]
    pub delivered: bool,
}

/// The whole account.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PrintfulAccountData {
    pub name: String,
    pub token: String,
    pub store_id: i64,
    pub catalog: Vec<PrintfulVariant>,
    pub orders: Vec<PrintfulOrder>,
    pub next_order: i64,
}

/// What is not saved: the rate-limit bucket and the test switches.
pub(crate) struct PrintfulRuntime {
    capacity: f64,
    tokens: f64,
    refilled: Instant,
    /// Confirmations still to perform without their reply arriving in time (tests).
    lose_confirmation_replies: u32,
    /// Every `POST /v2/orders` and `/confirmation` call, accepted or refused (tests read them).
    create_calls: u32,
    confirm_calls: u32,
    /// Creations refused because the `external_id` was taken, and confirmations refused because
    /// the order was no draft any more: a client that looks up before it resends makes none.
    repeats: u32,
}

impl PrintfulRuntime {
    /// A bucket of `per_minute` requests that refills at that rate.
    pub(crate) fn new(per_minute: u32) -> Self {
        let capacity = per_minute.max(1) as f64;
        PrintfulRuntime {
            capacity,
            tokens: capacity,
            refilled: Instant::now(),
            lose_confirmation_replies: 0,
            create_calls: 0,
            confirm_calls: 0,
            repeats: 0,
        }
    }

    /// Takes one request from the bucket: `Ok(remaining)`, or `Err(seconds until one is back)`.
    fn take(&mut self) -> Result<u32, u64> {
        let per_second = self.capacity / 60.0;
        self.tokens = (self.tokens + self.refilled.elapsed().as_secs_f64() * per_second).min(self.capacity);
        self.refilled = Instant::now();
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(self.tokens as u32)
        } else {
            Err(((1.0 - self.tokens) / per_second).ceil().max(1.0) as u64)
        }
    }
}

pub(crate) fn router(world: SharedWorld) -> Router {
    Router::new()
        .route("/v2/oauth-scopes", get(scopes))
        .route("/v2/catalog-products", get(catalog_products))
        .route("/v2/catalog-variants/{id}", get(catalog_variant))
        .route("/v2/catalog-variants/{id}/prices", get(variant_prices))
        .route("/v2/catalog-variants/{id}/availability", get(variant_availability))
        .route("/v2/shipping-rates", post(shipping_rates))
        .route("/v2/orders", post(create_order))
        .route("/v2/orders/{order_id}", get(get_order).delete(delete_order))
        .route("/v2/orders/{order_id}/confirmation", post(confirm_order))
        .route("/v2/orders/{order_id}/shipments", get(shipments))
        .with_state(world)
}

/// The older error shape: `{code, result, error: {reason, message}}`.
fn old_error(status: StatusCode, reason: Value, message: &str) -> Response {
    (
        status,
        Json(json!({ "code": status.as_u16(), "result": message, "error": { "reason": reason, "message": message } })),
    )
        .into_response()
}

fn bad_request(message: &str) -> Response {
    old_error(StatusCode::BAD_REQUEST, json!("BadRequest"), message)
}

fn not_found() -> Response {
    old_error(StatusCode::NOT_FOUND, json!("NotFound"), "Not found")
}

/// The document's `Conflict`: `error.reason` is the integer 409.
fn conflict(message: &str) -> Response {
    old_error(StatusCode::CONFLICT, json!(409), message)
}

/// Money as the document writes it: a string with two decimals.
fn money(minor: i64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}

/// Checks the token and the store header and takes one request from the bucket. `Err` is the
/// reply to send; `Ok` carries the rate-limit headers for the reply.
fn admit(world: &SharedWorld, headers: &HeaderMap) -> Result<Vec<(&'static str, HeaderValue)>, Response> {
    let mut w = world.lock().expect("world");
    let account = &w.printful;
    let bearer = headers.get("authorization").and_then(|v| v.to_str().ok());
    let store_ok = match headers.get("x-pf-store-id").and_then(|v| v.to_str().ok()) {
        None => true,
        Some(store) => store.trim() == account.store_id.to_string(),
    };
    if bearer != Some(format!("Bearer {}", account.token).as_str()) || !store_ok {
        return Err(old_error(StatusCode::UNAUTHORIZED, json!("BadRequest"), "Malformed Authorization header."));
    }
    let rt = &mut w.printful_runtime;
    let limit = rt.capacity as u32;
    let policy = HeaderValue::from_str(&format!("{limit};w=60")).expect("ascii");
    match rt.take() {
        Ok(remaining) => Ok(vec![
            ("x-ratelimit-policy", policy),
            ("x-ratelimit-limit", HeaderValue::from(limit)),
            ("x-ratelimit-remaining", HeaderValue::from(remaining)),
            ("x-ratelimit-reset", HeaderValue::from(60u32)),
        ]),
        Err(wait) => {
            let mut r = (
                StatusCode::TOO_MANY_REQUESTS,
                Json(json!({ "code": 429, "result": "Too Many Requests", "error": { "reason": "TooManyRequests", "message": format!("Too many requests. Please try again after {wait} seconds") } })),
            )
                .into_response();
            r.headers_mut().insert("retry-after", HeaderValue::from(wait));
            r.headers_mut().insert("x-ratelimit-policy", policy);
            r.headers_mut().insert("x-ratelimit-limit", HeaderValue::from(limit));
            r.headers_mut().insert("x-ratelimit-remaining", HeaderValue::from(0u32));
            Err(r)
        }
    }
}

/// `body` as JSON with the rate-limit headers.
fn reply(headers: Vec<(&'static str, HeaderValue)>, body: Value) -> Response {
    let mut r = Json(body).into_response();
    for (name, value) in headers {
        r.headers_mut().insert(name, value);
    }
    r
}

macro_rules! admitted {
    ($world:expr, $headers:expr) => {
        match admit(&$world, &$headers) {
            Ok(h) => h,
            Err(r) => return r,
        }
    };
}

async fn scopes(State(world): State<SharedWorld>, headers: HeaderMap) -> Response {
    let h = admitted!(world, headers);
    reply(
        h,
        json!({ "data": [
            { "name": "View and manage orders of the authorized store", "value": "orders" },
            { "name": "View store products", "value": "sync_products/read" }
        ] }),
    )
}

#[derive(Deserialize)]
struct Paging {
    limit: Option<usize>,
    offset: Option<usize>,
}

async fn catalog_products(
    State(world): State<SharedWorld>,
    headers: HeaderMap,
    Query(paging): Query<Paging>,
) -> Response {
    let h = admitted!(world, headers);
    let w = world.lock().expect("world");
    let mut products: Vec<(i64, &PrintfulVariant, Vec<&PrintfulVariant>)> = Vec::new();
    for v in &w.printful.catalog {
        match products.iter_mut().find(|p| p.0 == v.product_id) {
            Some(p) => p.2.push(v),
            None => products.push((v.product_id, v, vec![v])),
        }
    }
    let (limit, offset) = (paging.limit.unwrap_or(20).clamp(1, 100), paging.offset.unwrap_or(0));
    let page: Vec<Value> = products
        .iter()
        .skip(offset)
        .take(limit)
        .map(|(id, first, variants)| {
            json!({
                "id": id, "main_category_id": 24, "type": first.product_type, "name": first.product_name,
                "brand": "Printful", "model": first.product_name,
                "image": format!("https://files.cdn.printful.com/products/{id}/product.jpg"),
                "variant_count": variants.len(), "is_discontinued": false,
                "sizes": variants.iter().map(|v| v.size.clone()).collect::<Vec<_>>(),
                "colors": [{ "name": first.color, "value": first.color_code }],
                "techniques": [{ "key": "dtg", "display_name": "DTG printing", "is_default": true }],
                "placements": [], "product_options": [],
                "_links": { "self": { "href": format!("https://api.printful.com/v2/catalog-products/{id}") } }
            })
        })
        .collect();
    reply(h, json!({ "data": page, "paging": { "total": products.len(), "offset": offset, "limit": limit } }))
}

fn variant_by_path(w: &crate::World, id: &str) -> Option<PrintfulVariant> {
    let id: i64 = id.parse().ok()?;
    w.printful.catalog.iter().find(|v| v.id == id).cloned()
}

async fn catalog_variant(State(world): State<SharedWorld>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let h = admitted!(world, headers);
    let Some(v) = variant_by_path(&world.lock().expect("world"), &id) else { return not_found() };
    reply(
        h,
        json!({ "data": {
            "id": v.id, "catalog_product_id": v.product_id, "name": v.name, "size": v.size, "color": v.color,
            "color_code": v.color_code, "color_code2": null,
            "image": format!("https://files.cdn.printful.com/products/{}/{}_variant.jpg", v.product_id, v.id),
            "_links": { "self": { "href": format!("https://api.printful.com/v2/catalog-variants/{}", v.id) } }
        } }),
    )
}

#[derive(Deserialize)]
struct Currency {
    currency: Option<String>,
}

async fn variant_prices(
    State(world): State<SharedWorld>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<Currency>,
) -> Response {
    let h = admitted!(world, headers);
    let Some(v) = variant_by_path(&world.lock().expect("world"), &id) else { return not_found() };
    // The demo account prices in US dollars only: another currency is refused, not converted.
    if q.currency.as_deref().is_some_and(|c| !c.eq_ignore_ascii_case("USD")) {
        return bad_request("Currency is not supported");
    }
    reply(
        h,
        json!({ "data": {
            "currency": "USD",
            "product": { "id": v.product_id, "placements": [
                { "id": "front", "type": "DTG printing", "technique_key": "dtg", "price": "5.95", "discounted_price": "5.95", "placement_options": [], "layers": [] }
            ] },
            "variant": { "id": v.id, "techniques": [
                { "technique_key": "dtg", "technique_display_name": "DTG printing", "price": money(v.cost_minor), "discounted_price": money(v.cost_minor) }
            ] }
        } }),
    )
}

async fn variant_availability(
    State(world): State<SharedWorld>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let h = admitted!(world, headers);
    let Some(v) = variant_by_path(&world.lock().expect("world"), &id) else { return not_found() };
    let stock = if v.in_stock { "in stock" } else { "not in stock" };
    reply(
        h,
        json!({ "data": { "catalog_variant_id": v.id, "techniques": [{ "technique": "dtg", "selling_regions": [
            { "name": "worldwide", "availability": stock, "placement_option_availability": [] }
        ] }] } }),
    )
}

/// The rates for `country` and `pieces` items: STANDARD always, EXPRESS to a few countries.
fn rates(country: &str, pieces: i64) -> Vec<(&'static str, &'static str, i64, Option<i64>, i64)> {
    let extra = 150 * (pieces - 1).max(0);
    let (standard, express) = match country {
        "US" => (479, Some(1250)),
        "CA" | "GB" | "DE" | "FR" | "NL" | "ES" => (699, Some(1799)),
        _ => (899, None),
    };
    let mut out = vec![("STANDARD", "Flat Rate (Estimated delivery: 4-7 business days) ", standard + extra, None, 7)];
    if let Some(express) = express {
        out.push(("EXPRESS", "Express (Estimated delivery: 2-4 business days) ", express + extra, Some(2), 4));
    }
    out
}

/// The catalog items of a request, checked: `Err` is the 400 to send.
fn catalog_items(w: &crate::World, items: &Value) -> Result<Vec<(PrintfulVariant, i64)>, Response> {
    let Some(items) = items.as_array().filter(|i| !i.is_empty()) else {
        return Err(bad_request("Missing required parameters"));
    };
    let mut out = Vec::new();
    for (n, item) in items.iter().enumerate() {
        if item["source"] != "catalog" {
            return Err(bad_request(&format!("Item {n}: only catalog items are accepted")));
        }
        let quantity = item["quantity"].as_i64().unwrap_or(1);
        if !(1..=10_000).contains(&quantity) {
            return Err(bad_request(&format!("Item {n}: quantity must be a positive integer")));
        }
        let Some(variant) =
            item["catalog_variant_id"].as_i64().and_then(|id| w.printful.catalog.iter().find(|v| v.id == id))
        else {
            return Err(bad_request(&format!("Item {n}: Variant not found")));
        };
        out.push((variant.clone(), quantity));
    }
    Ok(out)
}

async fn shipping_rates(State(world): State<SharedWorld>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    let h = admitted!(world, headers);
    let w = world.lock().expect("world");
    let Some(country) = body["recipient"]["country_code"].as_str() else {
        return bad_request("Missing required parameters");
    };
    let items = match catalog_items(&w, &body["order_items"]) {
        Ok(items) => items,
        Err(r) => return r,
    };
    let pieces = items.iter().map(|(_, q)| q).sum();
    let today = Utc::now().date_naive();
    let data: Vec<Value> = rates(country, pieces)
        .into_iter()
        .map(|(shipping, name, rate, min, max)| {
            let mut r = json!({
                "shipping": shipping, "shipping_method_name": name, "rate": money(rate), "currency": "USD",
                "max_delivery_days": max, "max_delivery_date": (today + chrono::Days::new(max as u64)).to_string(),
            });
            // "May not be present": the minimum is left out where it is not known.
            if let Some(min) = min {
                r["min_delivery_days"] = json!(min);
                r["min_delivery_date"] = json!((today + chrono::Days::new(min as u64)).to_string());
            }
            r
        })
        .collect();
    reply(h, json!({ "data": data }))
}

/// `{order_id}`: the integer id, or `@` + external id.
fn find(w: &crate::World, reference: &str) -> Option<usize> {
    match reference.strip_prefix('@') {
        Some(external) => w.printful.orders.iter().position(|o| o.external_id == external),
        None => {
            let id: i64 = reference.parse().ok()?;
            w.printful.orders.iter().position(|o| o.id == id)
        }
    }
}

/// The status as read now: a confirmed order goes `inprocess`, then `fulfilled` once it ships.
fn status_of(o: &PrintfulOrder) -> &str {
    match (o.status.as_str(), o.ships_at) {
        ("pending", Some(ships)) if Utc::now() >= ships => "fulfilled",
        ("pending", Some(_)) if o.confirmed_at.is_some_and(|c| Utc::now() >= c + chrono::Duration::seconds(2)) => {
            "inprocess"
        }
        (status, _) => status,
    }
}

fn links(id: i64) -> Value {
    json!({
        "self": { "href": format!("https://api.printful.com/v2/orders/{id}") },
        "order_items": { "href": format!("https://api.printful.com/v2/orders/{id}/order-items") },
        "order_confirmation": { "href": format!("https://api.printful.com/v2/orders/{id}/confirmation") },
        "shipments": { "href": format!("https://api.printful.com/v2/orders/{id}/shipments") }
    })
}

/// The `Order` object; `calculating`: the costs as a fresh draft's reply shows them.
fn order_json(o: &PrintfulOrder, store_id: i64, calculating: bool) -> Value {
    let costs = if calculating {
        json!({ "calculation_status": "calculating", "currency": "USD", "subtotal": null, "discount": null,
                "shipping": null, "digitization": null, "additional_fee": null, "fulfillment_fee": null,
                "retail_delivery_fee": null, "vat": null, "tax": null, "total": null })
    } else {
        json!({ "calculation_status": "done", "currency": "USD", "subtotal": money(o.subtotal_minor), "discount": "0.00",
                "shipping": money(o.shipping_minor), "digitization": "0.00", "additional_fee": "0.00",
                "fulfillment_fee": "0.00", "retail_delivery_fee": "0.00", "vat": "0.00", "tax": "0.00",
                "total": money(o.subtotal_minor + o.shipping_minor) })
    };
    json!({
        "id": o.id, "external_id": o.external_id, "store_id": store_id, "shipping": o.shipping, "status": status_of(o),
        "created_at": o.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "updated_at": o.confirmed_at.unwrap_or(o.created_at).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "recipient": o.recipient, "costs": costs,
        "retail_costs": { "calculation_status": "done", "currency": null, "subtotal": null, "discount": null,
                          "shipping": null, "vat": null, "tax": null, "total": null },
        "order_items": o.order_items, "customization": { "gift": null, "packing_slip": null },
        "_links": links(o.id)
    })
}

async fn create_order(State(world): State<SharedWorld>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    world.lock().expect("world").printful_runtime.create_calls += 1;
    let h = admitted!(world, headers);
    let mut w = world.lock().expect("world");
    let recipient = &body["recipient"];
    let required = ["address1", "city", "country_code"];
    if !recipient.is_object() || required.iter().any(|k| recipient[k].as_str().is_none_or(|s| s.trim().is_empty())) {
        return bad_request("Missing required parameters");
    }
    // The document types every recipient member as a string: null is not one.
    if let Some(k) = recipient.as_object().and_then(|r| r.iter().find(|(_, v)| v.is_null()).map(|(k, _)| k.clone())) {
        return bad_request(&format!("recipient.{k} must be a string"));
    }
    let items = match catalog_items(&w, &body["order_items"]) {
        Ok(items) => items,
        Err(r) => return r,
    };
    let external_id = body["external_id"].as_str().unwrap_or_default().to_owned();
    if !external_id.is_empty() && w.printful.orders.iter().any(|o| o.external_id == external_id) {
        w.printful_runtime.repeats += 1;
        return bad_request("Order with this external ID already exists");
    }
    let country = recipient["country_code"].as_str().unwrap_or_default();
    let pieces = items.iter().map(|(_, q)| q).sum();
    let shipping = body["shipping"].as_str().unwrap_or("STANDARD").to_owned();
    let Some(rate) = rates(country, pieces).into_iter().find(|r| r.0 == shipping) else {
        return bad_request(&format!("Shipping method {shipping} is not available to {country}"));
    };
    w.printful.next_order += 1;
    let id = 130_000_000 + w.printful.next_order;
    let order_items: Vec<Value> = body["order_items"]
        .as_array()
        .into_iter()
        .flatten()
        .zip(&items)
        .enumerate()
        .map(|(n, (item, (variant, quantity)))| {
            json!({
                "source": "catalog", "catalog_variant_id": variant.id, "id": id * 10 + n as i64,
                "external_id": item["external_id"], "quantity": quantity, "retail_price": item["retail_price"],
                "name": item["name"].as_str().unwrap_or(&variant.name), "placements": item["placements"],
                "product_options": [], "_links": {}
            })
        })
        .collect();
    let order = PrintfulOrder {
        id,
        external_id,
        status: "draft".into(),
        shipping,
        recipient: recipient.clone(),
        order_items,
        subtotal_minor: items.iter().map(|(v, q)| v.cost_minor * q).sum(),
        shipping_minor: rate.2,
        created_at: Utc::now(),
        confirmed_at: None,
        ships_at: None,
        carrier: if country == "US" { "USPS".into() } else { "DHL".into() },
        tracking_number: String::new(),
        delivered: false,
    };
    let body = json!({ "data": order_json(&order, w.printful.store_id, true) });
    w.printful.orders.push(order);
    w.save();
    reply(h, body)
}

async fn get_order(State(world): State<SharedWorld>, headers: HeaderMap, Path(reference): Path<String>) -> Response {
    let h = admitted!(world, headers);
    let w = world.lock().expect("world");
    match find(&w, &reference) {
        Some(i) => reply(h, json!({ "data": order_json(&w.printful.orders[i], w.printful.store_id, false) })),
        None => not_found(),
    }
}

async fn delete_order(State(world): State<SharedWorld>, headers: HeaderMap, Path(reference): Path<String>) -> Response {
    let _h = admitted!(world, headers);
    let mut w = world.lock().expect("world");
    let Some(i) = find(&w, &reference) else { return not_found() };
    let o = &w.printful.orders[i];
    if !matches!(status_of(o), "draft" | "failed" | "canceled") || o.confirmed_at.is_some() {
        return conflict("The order cannot be deleted: it was confirmed and charged");
    }
    w.printful.orders.remove(i);
    w.save();
    StatusCode::NO_CONTENT.into_response()
}

async fn confirm_order(
    State(world): State<SharedWorld>,
    headers: HeaderMap,
    Path(reference): Path<String>,
) -> Response {
    world.lock().expect("world").printful_runtime.confirm_calls += 1;
    let h = admitted!(world, headers);
    let (body, lose) = {
        let mut w = world.lock().expect("world");
        let ship_after = w.ship_after;
        let Some(i) = find(&w, &reference) else { return not_found() };
        if w.printful.orders[i].status != "draft" {
            w.printful_runtime.repeats += 1;
            return conflict("Only a draft order can be confirmed");
        }
        let now = Utc::now();
        let number = format!(
            "{}{:010}",
            if w.printful.orders[i].carrier == "USPS" { "9400111" } else { "GM60" },
            rand::random::<u32>()
        );
        let store_id = w.printful.store_id;
        let o = &mut w.printful.orders[i];
        o.status = "pending".into();
        o.confirmed_at = Some(now);
        o.ships_at = Some(now + chrono::Duration::from_std(ship_after).unwrap_or_default());
        o.tracking_number = number;
        let body = json!({ "data": order_json(o, store_id, false),
                           "_links": { "self": { "href": format!("https://api.printful.com/v2/orders/{}/confirmation", o.id) } } });
        let rt = &mut w.printful_runtime;
        let lose = rt.lose_confirmation_replies > 0;
        rt.lose_confirmation_replies = rt.lose_confirmation_replies.saturating_sub(1);
        w.save();
        (body, lose)
    };
    if lose {
        // Confirmed and charged; the reply comes after any client has given up.
        tokio::time::sleep(Duration::from_secs(120)).await;
    }
    reply(h, body)
}

/// The tracking URL of a shipment: the carrier's own page for USPS, else the shape of the
/// document's example (a zero-width space, then a tracking page with the number last).
fn tracking_url(o: &PrintfulOrder) -> String {
    if o.carrier == "USPS" {
        format!("https://tools.usps.com/go/TrackConfirmAction?tLabels={}", o.tracking_number)
    } else {
        format!("\u{200b}https://myorders.com/tracking/{}", o.tracking_number)
    }
}

async fn shipments(State(world): State<SharedWorld>, headers: HeaderMap, Path(reference): Path<String>) -> Response {
    let h = admitted!(world, headers);
    let w = world.lock().expect("world");
    let Some(i) = find(&w, &reference) else { return not_found() };
    let o = &w.printful.orders[i];
    let list: Vec<Value> = match o.ships_at {
        Some(ships) if status_of(o) == "fulfilled" => {
            let delivered = o.delivered || Utc::now() >= ships + chrono::Duration::days(1);
            let stamp = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            vec![json!({
                "id": o.id * 10 + 1, "order_id": o.id, "order_external_id": o.external_id,
                "carrier": o.carrier, "service": if o.carrier == "USPS" { "USPS Priority Mail" } else { "DHL eCommerce Parcel International Standard" },
                "shipment_status": "shipped", "shipped_at": stamp(ships),
                "delivery_status": if delivered { "delivered" } else { "in_transit" },
                "delivered_at": if delivered { Value::from(stamp(ships + chrono::Duration::days(1))) } else { Value::Null },
                "departure_address": { "country_name": "United States", "country_code": "US", "state_code": "NC" },
                "is_reshipment": false, "tracking_url": tracking_url(o), "tracking_events": [],
                "estimated_delivery": { "from_date": (ships.date_naive() + chrono::Days::new(2)).to_string(), "to_date": (ships.date_naive() + chrono::Days::new(7)).to_string(), "calculated_at": stamp(ships) },
                "shipment_items": o.order_items.iter().map(|item| json!({ "id": item["id"], "order_item_id": item["id"], "order_item_external_id": item["external_id"], "order_item_name": item["name"], "quantity": item["quantity"] })).collect::<Vec<_>>(),
                "_links": { "self": { "href": format!("https://api.printful.com/v2/shipments/{}", o.id * 10 + 1) } }
            })]
        }
        _ => Vec::new(),
    };
    let total = list.len();
    reply(
        h,
        json!({ "data": list, "paging": { "total": total, "offset": 0, "limit": 20 },
                "_links": { "self": { "href": format!("https://api.printful.com/v2/orders/{}/shipments?limit=20&offset=0", o.id) } } }),
    )
}

/// What the account shows of one of its orders (tests, the demo command).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintfulOrderInfo {
    pub id: i64,
    pub external_id: String,
    /// As read now (`draft`, `pending`, `inprocess`, `fulfilled`, `canceled`).
    pub status: String,
    /// Products plus shipping, US cents; charged once confirmed.
    pub total_minor: i64,
    pub confirmed: bool,
    pub carrier: String,
    pub tracking_number: String,
}

/// Inspect and change the sandbox's Printful account from Rust.
#[derive(Clone)]
pub struct PrintfulHandle {
    pub(crate) world: SharedWorld,
    pub(crate) url: String,
}

impl PrintfulHandle {
    fn with<T>(&self, f: impl FnOnce(&mut crate::World) -> T) -> T {
        crate::with_saved(&self.world, f)
    }

    /// The API origin (`/v2/...` is below it).
    pub fn url(&self) -> String {
        self.url.clone()
    }

    pub fn name(&self) -> String {
        self.with(|w| w.printful.name.clone())
    }

    pub fn token(&self) -> String {
        self.with(|w| w.printful.token.clone())
    }

    pub fn store_id(&self) -> i64 {
        self.with(|w| w.printful.store_id)
    }

    pub fn catalog(&self) -> Vec<PrintfulVariant> {
        self.with(|w| w.printful.catalog.clone())
    }

    /// Every order the account holds.
    pub fn orders(&self) -> Vec<PrintfulOrderInfo> {
        self.with(|w| {
            w.printful
                .orders
                .iter()
                .map(|o| PrintfulOrderInfo {
                    id: o.id,
                    external_id: o.external_id.clone(),
                    status: status_of(o).to_owned(),
                    total_minor: o.subtotal_minor + o.shipping_minor,
                    confirmed: o.confirmed_at.is_some(),
                    carrier: o.carrier.clone(),
                    tracking_number: o.tracking_number.clone(),
                })
                .collect()
        })
    }

    /// What the merchant's billing method was charged: every confirmed order's total, US cents.
    pub fn charged_minor(&self) -> i64 {
        self.orders().iter().filter(|o| o.confirmed).map(|o| o.total_minor).sum()
    }

    /// Every confirmed order ships now.
    pub fn ship_all_now(&self) {
        self.with(|w| {
            let now = Utc::now();
            for o in w.printful.orders.iter_mut().filter(|o| o.confirmed_at.is_some()) {
                o.ships_at = Some(o.ships_at.map_or(now, |s| s.min(now)));
            }
        })
    }

    /// Every shipped order is delivered now.
    pub fn deliver_all_now(&self) {
        self.with(|w| {
            for o in w.printful.orders.iter_mut().filter(|o| status_of(o) == "fulfilled") {
                o.delivered = true;
            }
        })
    }

    /// The next `n` confirmations are performed (and charged) but their replies never come in time.
    pub fn lose_confirmation_replies(&self, n: u32) {
        self.with(|w| w.printful_runtime.lose_confirmation_replies = n)
    }

    /// `POST /v2/orders` calls so far, accepted or refused.
    pub fn create_calls(&self) -> u32 {
        self.with(|w| w.printful_runtime.create_calls)
    }

    /// Orders created again under a used `external_id`, or confirmed again (both refused).
    pub fn repeats(&self) -> u32 {
        self.with(|w| w.printful_runtime.repeats)
    }

    /// `POST /v2/orders/{id}/confirmation` calls so far, accepted or refused.
    pub fn confirm_calls(&self) -> u32 {
        self.with(|w| w.printful_runtime.confirm_calls)
    }
}
