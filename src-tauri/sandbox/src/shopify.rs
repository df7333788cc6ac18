//! A shop behind the Shopify GraphQL Admin API, as far as Dropdock uses it.
//!
//! Source: shopify.dev GraphQL Admin API reference (`orders`, `order`, `shop`,
//! `fulfillmentCreate`, `FulfillmentOrder`) and "API rate limits" (calculated query cost, leaky
//! bucket, `extensions.cost`, `THROTTLED`).
//!
//! Queries are answered by [`crate::graphql`]: the shop's orders, line items, fulfilment orders
//! and shop are JSON objects with the Admin API's field names, and a query gets exactly what it
//! selects (a field the sandbox does not know is Shopify's "Field doesn't exist" error). Its
//! requested cost is priced by the documented rule from the query text, refused over the
//! single-query limit (`MAX_COST_EXCEEDED`, 1,000 points) and charged to the leaky bucket.

use std::cell::Cell;
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
    /// The product and variant sold (`Product.legacyResourceId`, `ProductVariant.legacyResourceId`);
    /// `None` for a custom line item.
    #[serde(default)]
    pub product_id: Option<u64>,
    #[serde(default)]
    pub variant_id: Option<u64>,
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
    /// When the merchant cancelled the order in the shop (`Order.cancelledAt`).
    #[serde(default)]
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Shopify's fraud analysis (`Order.risk`); `None` is served as the documented summary with
    /// no assessment (`recommendation: NONE`, `assessments: []`: the field is non-null).
    #[serde(default)]
    pub risk: Option<ShopRisk>,
    /// What the merchant refunded the buyer, cents (`Order.totalRefundedSet`).
    #[serde(default)]
    pub refunded_cents: i64,
}

/// An `OrderRiskSummary`: `recommendation` (`OrderRiskRecommendationResult`: ACCEPT, CANCEL,
/// INVESTIGATE, NONE) and each assessment's `riskLevel` (`RiskAssessmentResult`: HIGH, MEDIUM,
/// LOW, NONE, PENDING), from shopify.dev's GraphQL Admin reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopRisk {
    pub recommendation: String,
    pub levels: Vec<String>,
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

/// A product of the shop's catalogue (the Admin API's `Product`, with its `ProductVariant`s).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopProduct {
    /// `Product.legacyResourceId`.
    pub id: u64,
    pub title: String,
    /// `ProductStatus`: ACTIVE, ARCHIVED, DRAFT, UNLISTED.
    pub status: String,
    /// The featured image's URL; `None` serves `featuredMedia: null`.
    pub image_url: Option<String>,
    pub variants: Vec<ShopVariant>,
}

/// A `ProductVariant`: `sku` is nullable in the schema (`None` serves `null`; a blank SKU is an
/// empty string, as a shop with no SKU set answers), `price` is `Money!`, a decimal string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopVariant {
    pub id: u64,
    /// "Default Title" for a product without options.
    pub title: String,
    pub sku: Option<String>,
    pub price: String,
    pub image_url: Option<String>,
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
    /// The catalogue (a shop saved before it had one gets the demo's).
    #[serde(default = "crate::seed::shop_products")]
    pub products: Vec<ShopProduct>,
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
    /// The most a single query may cost (Shopify: 1,000 points); over it, `MAX_COST_EXCEEDED`.
    pub(crate) max_query_cost: f64,
    /// Replies served MAX_COST_EXCEEDED so far (tests read it).
    pub(crate) over_cost_replies: u64,
    /// Requested and actual points of every query answered, in all (benches read them).
    pub(crate) points_requested: f64,
    pub(crate) points_spent: f64,
}

impl ShopRuntime {
    pub(crate) fn new(maximum: f64, restore_rate: f64) -> Self {
        Self {
            maximum,
            restore_rate,
            available: maximum,
            at: Instant::now(),
            throttled_replies: 0,
            faults: crate::Faults::default(),
            granted: std::collections::HashMap::new(),
            grant_lifetime: chrono::Duration::seconds(86_399),
            grants: 0,
            max_query_cost: 1000.0,
            over_cost_replies: 0,
            points_requested: 0.0,
            points_spent: 0.0,
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

fn money_bag(amount: &str, currency: &str) -> Value {
    let money = json!({ "__typename": "MoneyV2", "amount": amount, "currencyCode": currency });
    json!({ "__typename": "MoneyBag", "shopMoney": money, "presentmentMoney": money })
}

fn line_item_node(o: &ShopOrder, l: &ShopLineItem) -> Value {
    json!({
        "__typename": "LineItem",
        "id": format!("gid://shopify/LineItem/{}", l.id),
        "sku": l.sku, "name": l.title, "title": l.title, "quantity": l.quantity,
        "requiresShipping": l.requires_shipping,
        "originalUnitPriceSet": money_bag(&l.price, &o.currency),
        "variant": l.variant_id.map(|v| json!({ "__typename": "ProductVariant", "id": format!("gid://shopify/ProductVariant/{v}"), "legacyResourceId": v.to_string(), "sku": l.sku, "title": l.title })),
        "product": l.product_id.map(|p| json!({ "__typename": "Product", "id": format!("gid://shopify/Product/{p}"), "legacyResourceId": p.to_string(), "title": l.title })),
    })
}

/// The order as the shop's data holds it: every field the sandbox serves, line items and
/// fulfilment orders as connections.
fn full_order(o: &ShopOrder) -> Value {
    if let Some(raw) = &o.raw_node {
        return json!({ "__raw": raw });
    }
    let mut address = o.shipping_address.clone();
    if let Some(a) = address.as_object_mut() {
        a.insert("__typename".into(), Value::from("MailingAddress"));
        for field in [
            "name",
            "address1",
            "address2",
            "city",
            "province",
            "zip",
            "countryCodeV2",
            "phone",
            "company",
            "provinceCode",
        ] {
            a.entry(field).or_insert(Value::Null);
        }
    }
    let open = o.display_fulfillment_status() != "FULFILLED";
    let fo_lines: Vec<Value> = o
        .shippable()
        .map(|l| {
            json!({
                "__typename": "FulfillmentOrderLineItem",
                "id": format!("gid://shopify/FulfillmentOrderLineItem/{}", l.id),
                "remainingQuantity": l.quantity - o.fulfilled_quantity(l.id),
                "totalQuantity": l.quantity,
                "lineItem": line_item_node(o, l),
            })
        })
        .collect();
    let fulfillment_order = json!({
        "__typename": "FulfillmentOrder",
        "id": format!("gid://shopify/FulfillmentOrder/{}", o.id),
        "status": if open { "OPEN" } else { "CLOSED" },
        "lineItems": crate::graphql::connection(fo_lines, |n| n["id"].as_str().and_then(|id| id.rsplit('/').next()).map(|id| format!("{id:0>20}")).unwrap_or_default()),
    });
    json!({
        "__typename": "Order",
        "id": format!("gid://shopify/Order/{}", o.id),
        "legacyResourceId": o.id.to_string(),
        "name": o.name,
        "createdAt": ts(o.created_at),
        "updatedAt": ts(o.updated_at),
        "email": o.email,
        "cancelledAt": o.cancelled_at.map(ts),
        "risk": {
            "__typename": "OrderRiskSummary",
            "recommendation": o.risk.as_ref().map_or("NONE", |r| r.recommendation.as_str()),
            "assessments": o.risk.as_ref().map(|r| r.levels.clone()).unwrap_or_default().iter().map(|level| json!({
                "__typename": "OrderRiskAssessment", "riskLevel": level, "facts": [], "provider": null,
            })).collect::<Vec<_>>(),
        },
        "cancelReason": o.cancelled_at.map(|_| "CUSTOMER"),
        "displayFinancialStatus": o.financial_status,
        "displayFulfillmentStatus": o.display_fulfillment_status(),
        "customer": o.customer_name.as_ref().map(|n| json!({ "__typename": "Customer", "id": format!("gid://shopify/Customer/{}", o.id), "displayName": n })),
        "totalPriceSet": money_bag(&o.total(), &o.currency),
        "totalRefundedSet": money_bag(&format!("{}.{:02}", o.refunded_cents / 100, o.refunded_cents % 100), &o.currency),
        "shippingAddress": address,
        "lineItems": crate::graphql::connection(
            o.line_items.iter().map(|l| line_item_node(o, l)).collect(),
            |n| n["id"].as_str().and_then(|id| id.rsplit('/').next()).map(|id| format!("{id:0>20}")).unwrap_or_default(),
        ),
        "fulfillments": o.fulfillments.iter().map(|f| json!({
            "__typename": "Fulfillment",
            "id": format!("gid://shopify/Fulfillment/{}", f.id),
            "trackingInfo": [{ "__typename": "FulfillmentTrackingInfo", "number": f.tracking_number, "company": f.tracking_company, "url": f.tracking_url }],
        })).collect::<Vec<_>>(),
        "fulfillmentOrders": crate::graphql::connection(vec![fulfillment_order], |_| "0".into()),
    })
}

/// The Admin API `Order` node of a sandbox order with every line item, in the documented shape
/// (what an `orders` query selecting these fields returns), for benches and parser tests.
pub fn order_node(o: &ShopOrder) -> Value {
    if let Some(raw) = &o.raw_node {
        return raw.clone();
    }
    let op = crate::graphql::parse(
        "{ order { id name createdAt updatedAt email displayFinancialStatus displayFulfillmentStatus
           customer { displayName } totalPriceSet { shopMoney { amount currencyCode } }
           shippingAddress { name address1 address2 city province zip countryCodeV2 phone }
           lineItems(first: 250) { pageInfo { hasNextPage } nodes { id sku name quantity requiresShipping
             originalUnitPriceSet { shopMoney { amount currencyCode } } variant { id legacyResourceId } product { id legacyResourceId } } } } }",
    )
    .expect("the node query parses");
    op.answer(op.root_fields()[0], &full_order(o), &Value::Null, &Cell::new(0.0)).expect("the node query answers")
}

fn gid_number(v: &Value) -> Option<u64> {
    v.as_str()?.rsplit('/').next()?.parse().ok()
}

fn error(message: &str) -> Value {
    json!({ "errors": [{ "message": message, "extensions": { "code": "BAD_REQUEST" } }] })
}

/// The `orders` connection for `query` (its `updated_at` bounds), ordered by `(updatedAt, id)`.
/// Only the page asked for (`after`, `first`, and one more to tell `hasNextPage`) is built into
/// JSON: a shop of 10,000 orders does not build them all for every page.
fn orders_connection(shop: &ShopData, filter: &str, after: Option<&str>, first: Option<u64>) -> Value {
    let (lower, upper) = updated_bounds(filter);
    let sort_key = |o: &ShopOrder| format!("{:020}|{:020}", o.updated_at.timestamp_micros(), o.id);
    let mut matching: Vec<&ShopOrder> = shop
        .orders
        .iter()
        .filter(|o| lower.is_none_or(|l| o.updated_at >= l) && upper.is_none_or(|u| o.updated_at <= u))
        .filter(|o| after.is_none_or(|a| format!("sbx:{}", sort_key(o)).as_str() > a))
        .collect();
    matching.sort_by_key(|o| (o.updated_at, o.id));
    let take = first.map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX).saturating_add(1));
    let nodes: Vec<Value> = matching
        .iter()
        .take(take)
        .map(|o| {
            let mut node = full_order(o);
            node["__sort"] = Value::from(sort_key(o));
            node
        })
        .collect();
    crate::graphql::connection(nodes, |n| n["__sort"].as_str().unwrap_or_default().to_owned())
}

fn image(url: &Option<String>) -> Value {
    match url {
        Some(url) => json!({ "__typename": "Image", "url": url }),
        None => Value::Null,
    }
}

fn variant_node(v: &ShopVariant) -> Value {
    json!({
        "__typename": "ProductVariant", "id": format!("gid://shopify/ProductVariant/{}", v.id),
        "legacyResourceId": v.id.to_string(), "title": v.title, "sku": v.sku, "price": v.price,
        "image": image(&v.image_url),
    })
}

fn product_node(p: &ShopProduct) -> Value {
    let media = match &p.image_url {
        Some(_) => {
            json!({ "__typename": "MediaImage", "preview": { "__typename": "MediaPreviewImage", "image": image(&p.image_url) } })
        }
        None => Value::Null,
    };
    let variants = p.variants.iter().map(variant_node).collect();
    json!({
        "__typename": "Product", "id": format!("gid://shopify/Product/{}", p.id), "legacyResourceId": p.id.to_string(),
        "title": p.title, "status": p.status, "featuredMedia": media,
        "variants": crate::graphql::connection(variants, |n| format!("{:020}", n["legacyResourceId"].as_str().unwrap_or("0").parse::<u64>().unwrap_or(0))),
    })
}

/// The `products` connection (`sortKey: ID`): only the page asked for is built into JSON.
fn products_connection(shop: &ShopData, after: Option<&str>, first: Option<u64>) -> Value {
    let key = |p: &ShopProduct| format!("{:020}", p.id);
    let mut matching: Vec<&ShopProduct> =
        shop.products.iter().filter(|p| after.is_none_or(|a| format!("sbx:{}", key(p)).as_str() > a)).collect();
    matching.sort_by_key(|p| p.id);
    let take = first.map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX).saturating_add(1));
    let nodes = matching.iter().take(take).map(|p| product_node(p)).collect();
    crate::graphql::connection(nodes, |n| {
        format!("{:020}", n["legacyResourceId"].as_str().unwrap_or("0").parse::<u64>().unwrap_or(0))
    })
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
    let op = match crate::graphql::parse(&request.query) {
        Ok(op) => op,
        Err(e) => return Json(error(&e)).into_response(),
    };
    let requested = match op.requested_cost(vars) {
        Ok(cost) => cost,
        Err(e) => return Json(error(&e)).into_response(),
    };
    let roots = op.root_fields();
    w.shop_runtime.refill();
    // A fault costs nothing: the reply never got to the bucket.
    let fault = if roots.iter().any(|f| f.name == "orders") { w.shop_runtime.faults.next() } else { None };
    if matches!(fault, Some(crate::Fault::TooManyRequests { .. } | crate::Fault::ServerError)) {
        return crate::reply_with(fault, String::new(), vec![]);
    }
    let max_cost = w.shop_runtime.max_query_cost;
    if requested > max_cost {
        w.shop_runtime.over_cost_replies += 1;
        return Json(json!({ "errors": [{ "message": format!("Query cost is {requested}, which exceeds the single query max cost limit ({max_cost})."), "extensions": { "code": "MAX_COST_EXCEEDED", "cost": requested, "maxCost": max_cost } }] })).into_response();
    }
    if requested > w.shop_runtime.available {
        w.shop_runtime.throttled_replies += 1;
        let cost = json!({ "requestedQueryCost": requested, "actualQueryCost": null, "throttleStatus": w.shop_runtime.status() });
        return Json(json!({ "errors": [{ "message": "Throttled", "extensions": { "code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits" } }], "extensions": { "cost": cost } })).into_response();
    }
    let spent = Cell::new(0.0);
    let mut data = serde_json::Map::new();
    for field in &roots {
        let key = field.alias.unwrap_or(field.name).to_owned();
        let id = || crate::graphql::argument(field, "id", vars).as_ref().and_then(gid_number);
        let value = if op.is_mutation {
            spent.set(10.0);
            match field.name {
                "fulfillmentCreate" => fulfillment_create(&mut w, &vars["fulfillment"]),
                "fulfillmentTrackingInfoUpdate" => {
                    tracking_info_update(&mut w, &vars["fulfillmentId"], &vars["trackingInfoInput"])
                }
                other => {
                    return Json(error(&format!("Field '{other}' doesn't exist on type 'Mutation'"))).into_response()
                }
            }
        } else {
            let source = match field.name {
                "shop" => json!({
                    "__typename": "Shop", "id": "gid://shopify/Shop/1", "name": w.shop.shop_name,
                    "myshopifyDomain": "dropdock-demo.myshopify.com", "currencyCode": "USD", "ianaTimezone": "America/New_York",
                }),
                "orders" => {
                    let arg = |name: &str| crate::graphql::argument(field, name, vars);
                    let (filter, after, first) = (arg("query"), arg("after"), arg("first"));
                    orders_connection(
                        &w.shop,
                        filter.as_ref().and_then(Value::as_str).unwrap_or(""),
                        after.as_ref().and_then(Value::as_str),
                        first.as_ref().and_then(Value::as_u64),
                    )
                }
                "order" => {
                    id().and_then(|id| w.shop.orders.iter().find(|o| o.id == id)).map(full_order).unwrap_or(Value::Null)
                }
                "products" => {
                    let arg = |name: &str| crate::graphql::argument(field, name, vars);
                    let (after, first) = (arg("after"), arg("first"));
                    products_connection(
                        &w.shop,
                        after.as_ref().and_then(Value::as_str),
                        first.as_ref().and_then(Value::as_u64),
                    )
                }
                "product" => id()
                    .and_then(|id| w.shop.products.iter().find(|p| p.id == id))
                    .map(product_node)
                    .unwrap_or(Value::Null),
                "fulfillmentOrder" => id()
                    .and_then(|id| w.shop.orders.iter().find(|o| o.id == id))
                    .map(|o| full_order(o)["fulfillmentOrders"]["__connection"][0].clone())
                    .unwrap_or(Value::Null),
                other => {
                    return Json(error(&format!("Field '{other}' doesn't exist on type 'QueryRoot'"))).into_response()
                }
            };
            match op.answer(field, &source, vars, &spent) {
                Ok(value) => value,
                Err(e) => {
                    return Json(json!({ "errors": [{ "message": e, "extensions": { "code": "undefinedField" } }] }))
                        .into_response()
                }
            }
        };
        data.insert(key, value);
    }
    // A mutation answers with its own `{data: {...}}` body.
    let mut body = if op.is_mutation {
        data.into_iter().next().map(|(_, v)| v).unwrap_or(Value::Null)
    } else {
        json!({ "data": data })
    };
    let actual = spent.get().min(requested);
    w.shop_runtime.available -= actual;
    w.shop_runtime.points_requested += requested;
    w.shop_runtime.points_spent += actual;
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
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({ "error": "invalid_client", "error_description": "Client credentials are invalid" })),
        )
            .into_response();
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
    let refuse = |field: &str, message: &str| json!({ "data": { "fulfillmentTrackingInfoUpdate": { "fulfillment": null, "userErrors": [{ "field": [field], "message": message }] } } });
    let Some(fid) = gid_number(id) else { return refuse("fulfillmentId", "Fulfillment does not exist.") };
    let Some(number) = input["number"].as_str().filter(|n| !n.trim().is_empty()) else {
        return refuse("trackingInfoInput", "Tracking number can't be blank.");
    };
    let Some((o, f)) = w
        .shop
        .orders
        .iter()
        .enumerate()
        .find_map(|(o, order)| order.fulfillments.iter().position(|f| f.id == fid).map(|f| (o, f)))
    else {
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
        crate::with_saved(&self.world, f)
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

    /// The shop's catalogue.
    pub fn products(&self) -> Vec<ShopProduct> {
        self.with(|w| w.shop.products.clone())
    }

    /// Replaces the shop's catalogue (a product deleted in the admin is simply gone).
    pub fn set_products(&self, products: Vec<ShopProduct>) {
        self.with(|w| w.shop.products = products);
    }

    /// Adds `count` active products of `variants` variants each (ids from 50,000,000 up; SKUs
    /// `BULK-{product}-{variant}`), for large-catalogue tests and the bench.
    pub fn add_products(&self, count: usize, variants: usize) {
        self.with(|w| {
            let start = w.shop.products.iter().map(|p| p.id).max().unwrap_or(0).max(50_000_000) + 1;
            for i in 0..count as u64 {
                let id = start + i;
                w.shop.products.push(ShopProduct {
                    id,
                    title: format!("Bulk product {id}"),
                    status: "ACTIVE".into(),
                    image_url: None,
                    variants: (0..variants as u64)
                        .map(|k| ShopVariant {
                            id: id * 1_000 + k,
                            title: format!("Option {}", k + 1),
                            sku: Some(format!("BULK-{id}-{k}")),
                            price: "9.99".into(),
                            image_url: None,
                        })
                        .collect(),
                });
            }
        });
    }

    /// Sets Shopify's fraud analysis of an order (as its risk apps and Shopify Protect would),
    /// bumping `updatedAt`.
    pub fn set_risk(&self, name: &str, recommendation: &str, levels: &[&str]) {
        self.with(|w| {
            if let Some(o) = w.shop.orders.iter_mut().find(|o| o.name == name) {
                o.risk = Some(ShopRisk {
                    recommendation: recommendation.to_owned(),
                    levels: levels.iter().map(|l| l.to_string()).collect(),
                });
                o.updated_at = Utc::now();
            }
        })
    }

    /// Replaces an order's `shippingAddress` (the Admin API's `MailingAddress` fields, as JSON)
    /// as a buyer's edit would, bumping `updatedAt`.
    pub fn set_shipping_address(&self, name: &str, address: Value) {
        self.with(|w| {
            if let Some(o) = w.shop.orders.iter_mut().find(|o| o.name == name) {
                o.shipping_address = address;
                o.updated_at = Utc::now();
            }
        })
    }

    /// Cancels an order in the shop as a merchant would (its payment stays as it was, as
    /// Shopify keeps `displayFinancialStatus` until a refund), bumping `updatedAt`.
    /// Refunds `cents` of an order to its buyer (Shopify's `refundCreate` as the merchant would
    /// use it): `totalRefundedSet` grows, the financial status becomes `PARTIALLY_REFUNDED` (or
    /// `REFUNDED` once all of it is), and the order is updated.
    pub fn refund_order(&self, name: &str, cents_refunded: i64) {
        self.with(|w| {
            if let Some(o) = w.shop.orders.iter_mut().find(|o| o.name == name) {
                let total = cents(&o.total());
                o.refunded_cents = (o.refunded_cents + cents_refunded).min(total);
                o.financial_status = if o.refunded_cents >= total { "REFUNDED" } else { "PARTIALLY_REFUNDED" }.into();
                o.updated_at = Utc::now();
            }
        })
    }

    pub fn cancel_order(&self, name: &str) {
        self.with(|w| {
            if let Some(o) = w.shop.orders.iter_mut().find(|o| o.name == name) {
                let now = Utc::now();
                o.cancelled_at = Some(now);
                o.updated_at = now;
            }
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
                cancelled_at: None,
                risk: None,
                refunded_cents: 0,
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

    /// Lowers (or raises) the single-query cost limit, as a shop whose limit differs would.
    pub fn set_max_query_cost(&self, points: f64) {
        self.with(|w| w.shop_runtime.max_query_cost = points)
    }

    /// The requested and the actual points of every query answered so far.
    pub fn points(&self) -> (f64, f64) {
        self.with(|w| (w.shop_runtime.points_requested, w.shop_runtime.points_spent))
    }

    /// Replies served MAX_COST_EXCEEDED so far.
    pub fn over_cost_replies(&self) -> u64 {
        self.with(|w| w.shop_runtime.over_cost_replies)
    }

    /// Adds a paid order `name` with `lines` line items (SKUs `{sku_prefix}-1`…), one of each,
    /// shipped to the first demo order's address, updated now. Returns its internal id.
    pub fn add_order_with_lines(&self, name: &str, sku_prefix: &str, lines: usize) -> u64 {
        self.with(|w| {
            let id = w.shop.next_id;
            w.shop.next_id += 1;
            let now = Utc::now();
            let address = w
                .shop
                .orders
                .iter()
                .find(|o| o.raw_node.is_none())
                .map(|o| o.shipping_address.clone())
                .unwrap_or(Value::Null);
            let line_items = (1..=lines)
                .map(|k| ShopLineItem {
                    id: id * 1000 + k as u64,
                    sku: Some(format!("{sku_prefix}-{k}")),
                    title: format!("Item {k}"),
                    quantity: 1,
                    price: "2.00".into(),
                    requires_shipping: true,
                    product_id: Some(700_000 + k as u64),
                    variant_id: Some(800_000 + k as u64),
                })
                .collect();
            w.shop.orders.push(ShopOrder {
                id,
                name: name.to_owned(),
                created_at: now,
                updated_at: now,
                email: Some("many.lines@example.com".into()),
                customer_name: Some("Many Lines".into()),
                financial_status: "PAID".into(),
                currency: "USD".into(),
                shipping_address: address,
                line_items,
                shipping_price: "0.00".into(),
                fulfillments: vec![],
                raw_node: None,
                cancelled_at: None,
                risk: None,
                refunded_cents: 0,
            });
            id
        })
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
    fn reads_the_updated_at_filter() {
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
