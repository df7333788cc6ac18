//! A shop behind the Shopify GraphQL Admin API, as far as Dropdock uses it.
//!
//! Source: shopify.dev GraphQL Admin API reference (`orders`, `order`, `shop`,
//! `fulfillmentCreate`, `FulfillmentOrder`) and "API rate limits" (calculated query cost, leaky
//! bucket, `extensions.cost`, `THROTTLED`).
//!
//! This is not a GraphQL engine: the server reads the operation's root field and its variables,
//! and answers with the documented shape of the fields Dropdock selects. A query selecting
//! other fields gets Shopify's "Field doesn't exist" error. (A full GraphQL executor with a
//! Shopify schema would be a far larger piece than the three operations it would serve.)

use std::time::Instant;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::SharedWorld;

/// A line item of a sandbox order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShopLineItem {
    pub id: u64,
    pub sku: Option<String>,
    pub title: String,
    pub quantity: i64,
    /// Decimal string, as Shopify's `MoneyV2.amount`.
    pub price: String,
    pub requires_shipping: bool,
}

/// A fulfilment made through `fulfillmentCreate`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ShopFulfillment {
    pub id: u64,
    /// `(line item id, quantity)` covered by this fulfilment.
    pub line_items: Vec<(u64, i64)>,
    pub tracking_number: String,
    pub tracking_company: String,
    pub tracking_url: String,
}

/// A sandbox order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShopOrder {
    pub id: u64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub email: Option<String>,
    pub customer_name: Option<String>,
    /// `OrderDisplayFinancialStatus`: PAID, PENDING, AUTHORIZED...
    pub financial_status: String,
    pub currency: String,
    /// The Admin API's `MailingAddress` fields, as JSON (`null` for nothing to ship).
    pub shipping_address: Value,
    pub line_items: Vec<ShopLineItem>,
    /// Decimal string.
    pub shipping_price: String,
    pub fulfillments: Vec<ShopFulfillment>,
    /// When set, the order node is served exactly as this JSON (to test malformed replies).
    pub raw_node: Option<Value>,
}

impl ShopOrder {
    fn fulfilled_quantity(&self, line_id: u64) -> i64 {
        self.fulfillments.iter().flat_map(|f| &f.line_items).filter(|(id, _)| *id == line_id).map(|(_, q)| q).sum()
    }

    fn shippable(&self) -> impl Iterator<Item = &ShopLineItem> {
        self.line_items.iter().filter(|l| l.requires_shipping)
    }

    /// Shopify's `displayFulfillmentStatus` derived from the fulfilments.
    pub fn display_fulfillment_status(&self) -> &'static str {
        let total: i64 = self.shippable().map(|l| l.quantity).sum();
        let done: i64 = self.shippable().map(|l| self.fulfilled_quantity(l.id).min(l.quantity)).sum();
        if total > 0 && done >= total {
            "FULFILLED"
        } else if done > 0 {
            "PARTIALLY_FULFILLED"
        } else {
            "UNFULFILLED"
        }
    }

    fn total(&self) -> String {
        let cents: i64 =
            self.line_items.iter().map(|l| cents(&l.price) * l.quantity).sum::<i64>() + cents(&self.shipping_price);
        format!("{}.{:02}", cents / 100, cents % 100)
    }
}

/// The sandbox's own money strings (seeded, always valid) in cents.
fn cents(decimal: &str) -> i64 {
    crate::parse_cents(decimal).unwrap_or(0)
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn demo_client_id() -> String {
    "dd-demo-client-id".into()
}

fn demo_client_secret() -> String {
    "dd-demo-client-secret".into()
}

/// The shop's persistent data.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShopData {
    pub shop_name: String,
    pub access_token: String,
    /// The Dev Dashboard app installed in the shop: its client id and secret (the client
    /// credentials grant).
    #[serde(default = "demo_client_id")]
    pub app_client_id: String,
    #[serde(default = "demo_client_secret")]
    pub app_client_secret: String,
    pub orders: Vec<ShopOrder>,
    pub next_id: u64,
}

/// The shop's leaky bucket (not persisted).
pub(crate) struct ShopRuntime {
    pub(crate) maximum: f64,
    pub(crate) restore_rate: f64,
    available: f64,
    at: Instant,
    /// Replies served THROTTLED so far (tests read it).
    pub(crate) throttled_replies: u64,
    /// Faults to answer `orders` reads with (429, 500, cut replies, stalls).
    pub(crate) faults: crate::Faults,
    /// Tokens issued by the client credentials grant, with their expiry.
    pub(crate) granted: std::collections::HashMap<String, DateTime<Utc>>,
    /// How long granted tokens last (Shopify: about 24 hours).
    pub(crate) grant_lifetime: chrono::Duration,
    /// Grants made so far (tests read it).
    pub(crate) grants: u32,
}

impl ShopRuntime {
    pub(crate) fn new(maximum: f64, restore_rate: f64) -> Self {
        Self { maximum, restore_rate, available: maximum, at: Instant::now(), throttled_replies: 0,
            faults: crate::Faults::default(),
            granted: std::collections::HashMap::new(),
            grant_lifetime: chrono::Duration::seconds(86_399),
            grants: 0,
        }
    }

    fn refill(&mut self) {
        let now = Instant::now();
        self.available =
            (self.available + self.restore_rate * now.duration_since(self.at).as_secs_f64()).min(self.maximum);
        self.at = now;
    }

    fn status(&self) -> Value {
        json!({ "maximumAvailable": self.maximum, "currentlyAvailable": self.available.floor(), "restoreRate": self.restore_rate })
    }
}

pub(crate) fn router(world: SharedWorld) -> Router {
    Router::new()
        .route("/admin/api/{version}/graphql.json", post(graphql))
        .route("/admin/oauth/access_token", post(client_credentials_grant))
        .with_state(world)
}

#[derive(Deserialize)]
struct GraphqlRequest {
    query: String,
    #[serde(default)]
    variables: Value,
}

/// The first field selected by the operation: `orders`, `order`, `shop`, `fulfillmentCreate`.
fn root_field(query: &str) -> Option<&str> {
    let body = &query[query.find('{')? + 1..];
    let body = body.trim_start();
    let end = body.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(body.len());
    Some(&body[..end]).filter(|f| !f.is_empty())
}

/// The `first:` argument of connection `field` in the query text (10 when absent).
fn connection_first(query: &str, field: &str) -> u32 {
    let needle = format!("{field}(first:");
    query
        .find(&needle)
        .map(|i| &query[i + needle.len()..])
        .and_then(|rest| rest.trim_start().split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(10)
}

/// `updated_at:>='…'` and `updated_at:<='…'` bounds of Shopify's search syntax (the subset
/// Dropdock sends; other terms are ignored, as Shopify ignores unknown fields).
fn updated_bounds(filter: &str) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
    let mut lower = None;
    let mut upper = None;
    for term in filter.split_whitespace() {
        let Some(rest) = term.strip_prefix("updated_at:") else { continue };
        let (op, value) = if let Some(v) = rest.strip_prefix(">=") {
            (">=", v)
        } else if let Some(v) = rest.strip_prefix("<=") {
            ("<=", v)
        } else {
            continue;
        };
        let value = value.trim_matches(|c| c == '\'' || c == '"');
        if let Ok(t) = DateTime::parse_from_rfc3339(value) {
            if op == ">=" {
                lower = Some(t.with_timezone(&Utc))
            } else {
                upper = Some(t.with_timezone(&Utc))
            }
        }
    }
    (lower, upper)
}

/// The Admin API `Order` node of a sandbox order, as the `orders` query serves it.
pub fn order_node(o: &ShopOrder) -> Value {
    if let Some(raw) = &o.raw_node {
        return raw.clone();
    }
    let money = |amount: &str| json!({ "shopMoney": { "amount": amount, "currencyCode": o.currency } });
    json!({
        "id": format!("gid://shopify/Order/{}", o.id),
        "name": o.name,
        "createdAt": ts(o.created_at),
        "updatedAt": ts(o.updated_at),
        "email": o.email,
        "displayFinancialStatus": o.financial_status,
        "displayFulfillmentStatus": o.display_fulfillment_status(),
        "customer": o.customer_name.as_ref().map(|n| json!({ "displayName": n })),
        "totalPriceSet": money(&o.total()),
        "shippingAddress": o.shipping_address,
        "lineItems": {
            "pageInfo": { "hasNextPage": false },
            "nodes": o.line_items.iter().map(|l| json!({
                "id": format!("gid://shopify/LineItem/{}", l.id),
                "sku": l.sku, "name": l.title, "quantity": l.quantity, "requiresShipping": l.requires_shipping,
                "originalUnitPriceSet": money(&l.price),
            })).collect::<Vec<_>>(),
        },
    })
}

fn gid_number(v: &Value) -> Option<u64> {
    v.as_str()?.rsplit('/').next()?.parse().ok()
}

fn error(message: &str) -> Value {
    json!({ "errors": [{ "message": message, "extensions": { "code": "BAD_REQUEST" } }] })
}

async fn graphql(
    State(world): State<SharedWorld>,
    Path(_version): Path<String>,
    headers: HeaderMap,
    Json(request): Json<GraphqlRequest>,
) -> Response {
    let mut w = world.lock().expect("world");
    let presented = headers.get("X-Shopify-Access-Token").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let granted = w.shop_runtime.granted.get(presented).is_some_and(|expiry| *expiry > Utc::now());
    if presented != w.shop.access_token && !granted {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({ "errors": "[API] Invalid API key or access token (unrecognized login or wrong password)" })),
        )
            .into_response();
    }
    let vars = &request.variables;
    let field = root_field(&request.query).unwrap_or_default().to_owned();
    let first = vars["first"].as_u64().unwrap_or(10).min(250) as u32;
    let per_order = 3 + connection_first(&request.query, "lineItems");
    let requested = match field.as_str() {
        "orders" => 2 + first * per_order,
        // order + fulfillments(first: F) + fulfillmentOrders(first: N) { lineItems(first: M) { lineItem } }
        "order" => {
            let q = &request.query;
            1 + 2
                + connection_first(q, "fulfillments")
                + 2
                + connection_first(q, "fulfillmentOrders") * (3 + 2 * connection_first(q, "lineItems"))
        }
        "fulfillmentCreate" | "fulfillmentTrackingInfoUpdate" => 10,
        _ => 1,
    } as f64;
    w.shop_runtime.refill();
    // A fault costs nothing: the reply never got to the bucket.
    let fault = if field == "orders" { w.shop_runtime.faults.next() } else { None };
    if matches!(fault, Some(crate::Fault::TooManyRequests { .. } | crate::Fault::ServerError)) {
        return crate::reply_with(fault, String::new(), vec![]);
    }
    if requested > w.shop_runtime.maximum {
        return Json(json!({ "errors": [{ "message": format!("Query cost is {requested}, which exceeds the single query max cost limit ({}).", w.shop_runtime.maximum), "extensions": { "code": "MAX_COST_EXCEEDED", "cost": requested, "maxCost": w.shop_runtime.maximum } }] })).into_response();
    }
    if requested > w.shop_runtime.available {
        w.shop_runtime.throttled_replies += 1;
        let cost = json!({ "requestedQueryCost": requested, "actualQueryCost": null, "throttleStatus": w.shop_runtime.status() });
        return Json(json!({ "errors": [{ "message": "Throttled", "extensions": { "code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits" } }], "extensions": { "cost": cost } })).into_response();
    }
    let (mut body, actual) = match field.as_str() {
        "shop" => (json!({ "data": { "shop": { "name": w.shop.shop_name } } }), 1.0),
        "orders" => {
            let (lower, upper) = updated_bounds(vars["query"].as_str().unwrap_or(""));
            let after: Option<(DateTime<Utc>, u64)> = vars["after"].as_str().and_then(|c| {
                let (t, id) = c.split_once('|')?;
                Some((DateTime::parse_from_rfc3339(t).ok()?.with_timezone(&Utc), id.parse().ok()?))
            });
            if vars["after"].is_string() && after.is_none() {
                return Json(error("Invalid cursor for current pagination sort.")).into_response();
            }
            let mut matching: Vec<&ShopOrder> = w
                .shop
                .orders
                .iter()
                .filter(|o| lower.is_none_or(|l| o.updated_at >= l) && upper.is_none_or(|u| o.updated_at <= u))
                .filter(|o| after.is_none_or(|a| (o.updated_at, o.id) > a))
                .collect();
            matching.sort_by_key(|o| (o.updated_at, o.id));
            let page: Vec<&ShopOrder> = matching.iter().take(first as usize).copied().collect();
            let has_next = matching.len() > page.len();
            let end_cursor = page.last().map(|o| format!("{}|{}", o.updated_at.to_rfc3339(), o.id));
            let actual = 2.0 + page.iter().map(|o| 3.0 + o.line_items.len() as f64).sum::<f64>();
            let nodes: Vec<Value> = page.iter().map(|o| order_node(o)).collect();
            (
                json!({ "data": { "orders": { "pageInfo": { "hasNextPage": has_next, "endCursor": end_cursor }, "nodes": nodes } } }),
                actual,
            )
        }
        "order" => {
            let order = gid_number(&vars["id"]).and_then(|id| w.shop.orders.iter().find(|o| o.id == id));
            let node = order.map(|o| {
                let open = o.display_fulfillment_status() != "FULFILLED";
                json!({
                    "fulfillments": o.fulfillments.iter().map(|f| json!({
                        "id": format!("gid://shopify/Fulfillment/{}", f.id),
                        "trackingInfo": [{ "number": f.tracking_number, "company": f.tracking_company, "url": f.tracking_url }],
                    })).collect::<Vec<_>>(),
                    "fulfillmentOrders": { "nodes": [{
                        "id": format!("gid://shopify/FulfillmentOrder/{}", o.id),
                        "status": if open { "OPEN" } else { "CLOSED" },
                        "lineItems": { "nodes": o.shippable().map(|l| json!({
                            "id": format!("gid://shopify/FulfillmentOrderLineItem/{}", l.id),
                            "remainingQuantity": l.quantity - o.fulfilled_quantity(l.id),
                            "lineItem": { "id": format!("gid://shopify/LineItem/{}", l.id) },
                        })).collect::<Vec<_>>() },
                    }] },
                })
            });
            (json!({ "data": { "order": node } }), 20.0)
        }
        "fulfillmentCreate" => (fulfillment_create(&mut w, &vars["fulfillment"]), 10.0),
        "fulfillmentTrackingInfoUpdate" => {
            (tracking_info_update(&mut w, &vars["fulfillmentId"], &vars["trackingInfoInput"]), 10.0)
        }
        other => return Json(error(&format!("Field '{other}' doesn't exist on type 'QueryRoot'"))).into_response(),
    };
    w.shop_runtime.available -= actual;
    body["extensions"] = json!({ "cost": { "requestedQueryCost": requested, "actualQueryCost": actual, "throttleStatus": w.shop_runtime.status() } });
    crate::reply_with(fault, body.to_string(), vec![])
}

/// `POST /admin/oauth/access_token` with `grant_type=client_credentials`, the app's `client_id`
/// and `client_secret` (form-encoded): a token lasting about 24 hours (Shopify's "Using the client
/// credentials grant").
async fn client_credentials_grant(
    State(world): State<SharedWorld>,
    axum::extract::Form(form): axum::extract::Form<std::collections::HashMap<String, String>>,
) -> Response {
    let mut w = world.lock().expect("world");
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
    if field("grant_type") != "client_credentials" {
        return (StatusCode::BAD_REQUEST, Json(json!({ "error": "unsupported_grant_type" }))).into_response();
    }
    if field("client_id") != w.shop.app_client_id || field("client_secret") != w.shop.app_client_secret {
        return (StatusCode::BAD_REQUEST, Json(json!({ "error": "invalid_client", "error_description": "Client credentials are invalid" }))).into_response();
    }
    let token = format!("shpat_{:032x}", rand::random::<u128>());
    let lifetime = w.shop_runtime.grant_lifetime;
    w.shop_runtime.granted.insert(token.clone(), Utc::now() + lifetime);
    w.shop_runtime.grants += 1;
    Json(json!({ "access_token": token, "scope": "read_orders,read_merchant_managed_fulfillment_orders,write_merchant_managed_fulfillment_orders", "expires_in": lifetime.num_seconds() })).into_response()
}

fn user_error(field: &str, message: &str) -> Value {
    json!({ "data": { "fulfillmentCreate": { "fulfillment": null, "userErrors": [{ "field": [field], "message": message }] } } })
}

fn fulfillment_create(w: &mut crate::World, input: &Value) -> Value {
    let tracking = &input["trackingInfo"];
    let groups = input["lineItemsByFulfillmentOrder"].as_array().cloned().unwrap_or_default();
    let Some(order_id) = groups.first().and_then(|g| gid_number(&g["fulfillmentOrderId"])) else {
        return user_error("lineItemsByFulfillmentOrder", "At least one fulfillment order is required.");
    };
    let next_id = w.shop.next_id;
    let Some(order) = w.shop.orders.iter_mut().find(|o| o.id == order_id) else {
        return user_error("fulfillmentOrderId", "Fulfillment order does not exist.");
    };
    let mut covered = Vec::new();
    for item in groups.iter().flat_map(|g| g["fulfillmentOrderLineItems"].as_array().cloned().unwrap_or_default()) {
        let (Some(line_id), Some(quantity)) = (gid_number(&item["id"]), item["quantity"].as_i64()) else {
            return user_error("fulfillmentOrderLineItems", "Invalid fulfillment order line item.");
        };
        let Some(line) = order.line_items.iter().find(|l| l.id == line_id && l.requires_shipping) else {
            return user_error("fulfillmentOrderLineItems", "Fulfillment order line item does not exist.");
        };
        if quantity <= 0 || quantity > line.quantity - order.fulfilled_quantity(line_id) {
            return user_error("fulfillmentOrderLineItems", "Invalid quantity: exceeds the remaining quantity.");
        }
        covered.push((line_id, quantity));
    }
    let fulfillment = ShopFulfillment {
        id: next_id,
        line_items: covered,
        tracking_number: tracking["number"].as_str().unwrap_or_default().to_owned(),
        tracking_company: tracking["company"].as_str().unwrap_or_default().to_owned(),
        tracking_url: tracking["url"].as_str().unwrap_or_default().to_owned(),
    };
    order.fulfillments.push(fulfillment);
    order.updated_at = Utc::now();
    w.shop.next_id += 1;
    w.save();
    json!({ "data": { "fulfillmentCreate": { "fulfillment": { "id": format!("gid://shopify/Fulfillment/{next_id}"), "status": "SUCCESS" }, "userErrors": [] } } })
}

/// `fulfillmentTrackingInfoUpdate(fulfillmentId, trackingInfoInput: {number, company, url})`:
/// replaces the fulfilment's tracking (shopify.dev, Admin GraphQL).
fn tracking_info_update(w: &mut crate::World, id: &Value, input: &Value) -> Value {
    let refuse = |field: &str, message: &str| {
        json!({ "data": { "fulfillmentTrackingInfoUpdate": { "fulfillment": null, "userErrors": [{ "field": [field], "message": message }] } } })
    };
    let Some(fid) = gid_number(id) else { return refuse("fulfillmentId", "Fulfillment does not exist.") };
    let Some(number) = input["number"].as_str().filter(|n| !n.trim().is_empty()) else {
        return refuse("trackingInfoInput", "Tracking number can't be blank.");
    };
    let Some((o, f)) = w.shop.orders.iter().enumerate().find_map(|(o, order)| {
        order.fulfillments.iter().position(|f| f.id == fid).map(|f| (o, f))
    }) else {
        return refuse("fulfillmentId", "Fulfillment does not exist.");
    };
    let order = &mut w.shop.orders[o];
    let fulfillment = &mut order.fulfillments[f];
    fulfillment.tracking_number = number.to_owned();
    fulfillment.tracking_company = input["company"].as_str().unwrap_or_default().to_owned();
    fulfillment.tracking_url = input["url"].as_str().unwrap_or_default().to_owned();
    order.updated_at = Utc::now();
    w.save();
    json!({ "data": { "fulfillmentTrackingInfoUpdate": { "fulfillment": { "id": format!("gid://shopify/Fulfillment/{fid}"), "trackingInfo": [{ "number": number }] }, "userErrors": [] } } })
}

/// A fulfilment as the store shows it, for tests and the demo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FulfillmentInfo {
    pub tracking_number: String,
    pub tracking_company: String,
    pub line_item_skus: Vec<String>,
}

/// Inspect and change the sandbox shop from Rust (tests, the demo command).
#[derive(Clone)]
pub struct ShopHandle {
    pub(crate) world: SharedWorld,
}

impl ShopHandle {
    fn with<T>(&self, f: impl FnOnce(&mut crate::World) -> T) -> T {
        let mut w = self.world.lock().expect("world");
        let out = f(&mut w);
        w.save();
        out
    }

    /// All order names, oldest first.
    pub fn order_names(&self) -> Vec<String> {
        self.with(|w| w.shop.orders.iter().map(|o| o.name.clone()).collect())
    }

    /// A copy of one order.
    pub fn order(&self, name: &str) -> Option<ShopOrder> {
        self.with(|w| w.shop.orders.iter().find(|o| o.name == name).cloned())
    }

    /// Orders updated at or after `since`.
    pub fn orders_updated_since(&self, since: DateTime<Utc>) -> Vec<ShopOrder> {
        self.with(|w| w.shop.orders.iter().filter(|o| o.updated_at >= since).cloned().collect())
    }

    /// Edits `n` orders as a merchant would (a new e-mail address), bumping `updatedAt`.
    /// Returns their names.
    pub fn edit_orders(&self, n: usize) -> Vec<String> {
        self.with(|w| {
            let now = Utc::now();
            w.shop
                .orders
                .iter_mut()
                .filter(|o| o.raw_node.is_none())
                .rev()
                .take(n)
                .map(|o| {
                    o.email = Some(format!("changed.{}@example.com", o.id));
                    o.updated_at = now;
                    o.name.clone()
                })
                .collect()
        })
    }

    /// Adds a copy of order `template` as a new order `name`, updated at `updated_at` (orders
    /// taken while a sync ran, for watermark tests).
    pub fn add_copy(&self, template: &str, name: &str, updated_at: DateTime<Utc>) {
        self.with(|w| {
            let Some(mut order) = w.shop.orders.iter().find(|o| o.name == template).cloned() else { return };
            order.id = w.shop.next_id;
            w.shop.next_id += 1;
            order.name = name.to_owned();
            order.updated_at = updated_at;
            for (k, line) in order.line_items.iter_mut().enumerate() {
                line.id = order.id * 100 + k as u64;
            }
            w.shop.orders.push(order);
        })
    }

    /// Adds an order served exactly as `node` (any JSON), updated now. Returns its internal id.
    pub fn add_raw_order(&self, node: Value) -> u64 {
        self.with(|w| {
            let id = w.shop.next_id;
            w.shop.next_id += 1;
            let now = Utc::now();
            w.shop.orders.push(ShopOrder {
                id,
                name: format!("raw-{id}"),
                created_at: now,
                updated_at: now,
                email: None,
                customer_name: None,
                financial_status: "PAID".into(),
                currency: "USD".into(),
                shipping_address: Value::Null,
                line_items: vec![],
                shipping_price: "0.00".into(),
                fulfillments: vec![],
                raw_node: Some(node),
            });
            id
        })
    }

    /// The fulfilments of an order, with the SKUs each covers.
    pub fn fulfillments(&self, name: &str) -> Vec<FulfillmentInfo> {
        self.with(|w| {
            let Some(o) = w.shop.orders.iter().find(|o| o.name == name) else { return vec![] };
            o.fulfillments
                .iter()
                .map(|f| FulfillmentInfo {
                    tracking_number: f.tracking_number.clone(),
                    tracking_company: f.tracking_company.clone(),
                    line_item_skus: f
                        .line_items
                        .iter()
                        .filter_map(|(id, _)| o.line_items.iter().find(|l| l.id == *id).and_then(|l| l.sku.clone()))
                        .collect(),
                })
                .collect()
        })
    }

    /// Shopify's `displayFulfillmentStatus` of an order.
    pub fn fulfillment_status(&self, name: &str) -> Option<&'static str> {
        self.with(|w| w.shop.orders.iter().find(|o| o.name == name).map(|o| o.display_fulfillment_status()))
    }

    /// How many orders the shop shows as FULFILLED.
    pub fn fulfilled_count(&self) -> usize {
        self.with(|w| {
            w.shop
                .orders
                .iter()
                .filter(|o| o.raw_node.is_none() && o.display_fulfillment_status() == "FULFILLED")
                .count()
        })
    }

    /// Every order's (updated_at, number of line items), for cost figures.
    pub fn orders_line_counts(&self) -> Vec<(DateTime<Utc>, usize)> {
        self.with(|w| w.shop.orders.iter().map(|o| (o.updated_at, o.line_items.len())).collect())
    }

    /// Replies served THROTTLED so far.
    pub fn throttled_replies(&self) -> u64 {
        self.with(|w| w.shop_runtime.throttled_replies)
    }

    /// The Dev Dashboard app's client id and secret.
    pub fn app_credentials(&self) -> (String, String) {
        self.with(|w| (w.shop.app_client_id.clone(), w.shop.app_client_secret.clone()))
    }

    /// How long tokens from the client credentials grant last.
    pub fn set_grant_lifetime(&self, lifetime: chrono::Duration) {
        self.with(|w| w.shop_runtime.grant_lifetime = lifetime)
    }

    /// Client credentials grants made so far.
    pub fn grants(&self) -> u32 {
        self.with(|w| w.shop_runtime.grants)
    }

    /// Answers the next `orders` reads with these faults, in order, then one good answer.
    pub fn fail_next(&self, faults: &[crate::Fault]) {
        self.with(|w| w.shop_runtime.faults.burst(faults))
    }

    /// Answers this share (0 to 1) of `orders` reads with a random fault.
    pub fn set_fault_rate(&self, rate: f64) {
        self.with(|w| w.shop_runtime.faults.rate = rate.clamp(0.0, 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_root_field_and_filter() {
        assert_eq!(root_field("query X($a: Int) {\n  orders(first: $a) { id } }"), Some("orders"));
        assert_eq!(
            root_field("mutation M($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { x } }"),
            Some("fulfillmentCreate")
        );
        assert_eq!(connection_first("lineItems(first: 20) {", "lineItems"), 20);
        let (lower, upper) = updated_bounds("updated_at:>='2026-11-01T00:00:00Z' status:any");
        assert_eq!(lower.unwrap().to_rfc3339(), "2026-11-01T00:00:00+00:00");
        assert!(upper.is_none());
    }

    #[test]
    fn money_strings_become_cents() {
        assert_eq!(cents("12.5"), 1250);
        assert_eq!(cents("3"), 300);
        assert_eq!(cents("0.07"), 7);
    }
}
