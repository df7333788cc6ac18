//! Shopify through the GraphQL Admin API (REST is legacy since 2024-10).
//!
//! Sources: shopify.dev "GraphQL Admin API" `orders` query (cursor pagination, `sortKey:
//! UPDATED_AT`, search syntax `updated_at:>=`), "API rate limits" (calculated query cost,
//! `extensions.cost.throttleStatus`, `THROTTLED` errors), `fulfillmentOrders` and
//! `fulfillmentCreate` (FulfillmentOrder flow, `trackingInfo { number company url }`).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};

use super::{ConnectorError, OrdersPage, RejectedOrder, ShippedLine, StoreConnector, SyncWindow, TrackingInfo};
use crate::countries::is_known_country;
use crate::model::{Address, LineItem, Order};
use crate::money::{clip, parse_minor};

/// The pinned Admin API version.
pub const API_VERSION: &str = "2025-10";
/// Line items read with each order. An order with more is reported as a failure, never truncated.
pub const LINE_ITEMS_PER_ORDER: u32 = 20;
/// Orders per page, chosen so that [`requested_cost`] stays under Shopify's 1,000-point cap.
pub const ORDERS_PER_PAGE: u32 = 40;
/// The most a single query may cost (Shopify "API rate limits").
pub const MAX_QUERY_COST: u32 = 1000;
const SERVICE: &str = "Shopify store";
const MAX_THROTTLED_RETRIES: u32 = 8;

/// The requested cost of the orders query, by Shopify's rule: a connection costs 2 plus `first`
/// times the cost of one node; an object costs 1. An order node holds a line-item connection.
pub const fn requested_cost(orders: u32, line_items: u32) -> u32 {
    2 + orders * (1 + 2 + line_items)
}

const _: () = assert!(requested_cost(ORDERS_PER_PAGE, LINE_ITEMS_PER_ORDER) <= MAX_QUERY_COST);

const ORDERS_QUERY: &str = r#"query DropdockOrders($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, sortKey: UPDATED_AT, query: $query) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id name createdAt updatedAt email
      displayFinancialStatus displayFulfillmentStatus
      customer { displayName }
      totalPriceSet { shopMoney { amount currencyCode } }
      shippingAddress { name address1 address2 city province zip countryCodeV2 phone }
      lineItems(first: 20) {
        pageInfo { hasNextPage }
        nodes { id sku name quantity requiresShipping originalUnitPriceSet { shopMoney { amount currencyCode } } }
      }
    }
  }
}"#;

const FULFILLMENT_ORDERS_QUERY: &str = r#"query DropdockFulfillmentOrders($id: ID!) {
  order(id: $id) {
    fulfillments(first: 20) { id trackingInfo { number } }
    fulfillmentOrders(first: 5) {
      nodes { id status lineItems(first: 50) { nodes { id remainingQuantity lineItem { id } } } }
    }
  }
}"#;

/// Requested cost of [`FULFILLMENT_ORDERS_QUERY`] by the same rule as [`requested_cost`].
const FULFILLMENT_ORDERS_COST: u32 = 1 + (2 + 20) + 2 + 5 * (1 + 2 + 50 * 2);
const _: () = assert!(FULFILLMENT_ORDERS_COST <= MAX_QUERY_COST);

const FULFILLMENT_CREATE: &str = r#"mutation DropdockFulfillmentCreate($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment { id status }
    userErrors { field message }
  }
}"#;

const TRACKING_INFO_UPDATE: &str = r#"mutation DropdockTrackingInfoUpdate($fulfillmentId: ID!, $trackingInfoInput: FulfillmentTrackingInput!) {
  fulfillmentTrackingInfoUpdate(fulfillmentId: $fulfillmentId, trackingInfoInput: $trackingInfoInput, notifyCustomer: true) {
    fulfillment { id }
    userErrors { field message }
  }
}"#;

/// The leaky bucket as the last reply described it.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    available: f64,
    restore_per_sec: f64,
    seen_at: Instant,
}

impl Bucket {
    /// How long to wait until `cost` points are available.
    fn wait_for(&self, cost: f64) -> Duration {
        let now_available = self.available + self.restore_per_sec * self.seen_at.elapsed().as_secs_f64();
        if now_available >= cost || self.restore_per_sec <= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64((cost - now_available) / self.restore_per_sec)
        }
    }
}

/// A Dev Dashboard app installed in the merchant's store: its client id and secret, exchanged
/// for access tokens with the client credentials grant (shopify.dev "Using the client credentials
/// grant": `POST /admin/oauth/access_token`, form-encoded, tokens last about 24 hours). Kept in the
/// keychain as one JSON entry with the current token, which is renewed 5 minutes before it ends.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct ShopifyAppCredentials {
    pub client_id: String,
    pub client_secret: String,
    #[serde(default)]
    pub access_token: Option<String>,
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for ShopifyAppCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShopifyAppCredentials").field("expires_at", &self.expires_at).finish_non_exhaustive()
    }
}

/// How a client authenticates.
enum Auth {
    /// An Admin API access token (apps made before 2026 in the store admin).
    Token(String),
    /// A Dev Dashboard app; every renewed token is handed to `persist` (the keychain).
    App { credentials: tokio::sync::Mutex<ShopifyAppCredentials>, persist: Box<dyn Fn(&ShopifyAppCredentials) + Send + Sync> },
}

/// Renew a granted token this long before it ends.
const RENEW_BEFORE: chrono::Duration = chrono::Duration::minutes(5);

/// A client for one shop. `base_url` is the shop's origin (`https://{shop}.myshopify.com`, or a
/// loopback server); the access token goes in `X-Shopify-Access-Token`.
pub struct ShopifyClient {
    http: reqwest::Client,
    base: String,
    endpoint: String,
    auth: Auth,
    bucket: Mutex<Option<Bucket>>,
}

impl ShopifyClient {
    /// A client with an Admin API access token.
    pub fn new(http: reqwest::Client, base_url: &str, token: String) -> Self {
        Self::with_auth(http, base_url, Auth::Token(token))
    }

    /// A client for a Dev Dashboard app: tokens come from the client credentials grant and are
    /// renewed before they end; `persist` receives the credentials with each new token.
    pub fn with_app(
        http: reqwest::Client,
        base_url: &str,
        credentials: ShopifyAppCredentials,
        persist: impl Fn(&ShopifyAppCredentials) + Send + Sync + 'static,
    ) -> Self {
        Self::with_auth(
            http,
            base_url,
            Auth::App { credentials: tokio::sync::Mutex::new(credentials), persist: Box::new(persist) },
        )
    }

    fn with_auth(http: reqwest::Client, base_url: &str, auth: Auth) -> Self {
        let base = base_url.trim_end_matches('/').to_owned();
        let endpoint = format!("{base}/admin/api/{API_VERSION}/graphql.json");
        Self { http, base, endpoint, auth, bucket: Mutex::new(None) }
    }

    /// The token to send: the fixed one, or the app's current token, granted anew when missing,
    /// ending within 5 minutes, or (`renew`) just refused.
    async fn token(&self, renew: bool) -> Result<String, ConnectorError> {
        let (credentials, persist) = match &self.auth {
            Auth::Token(token) => return Ok(token.clone()),
            Auth::App { credentials, persist } => (credentials, persist),
        };
        let mut app = credentials.lock().await;
        let fresh = app.expires_at.is_some_and(|end| end - RENEW_BEFORE > Utc::now());
        if let (Some(token), true, false) = (&app.access_token, fresh, renew) {
            return Ok(token.clone());
        }
        let response = self
            .http
            .post(format!("{}/admin/oauth/access_token", self.base))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", app.client_id.as_str()),
                ("client_secret", app.client_secret.as_str()),
            ])
            .send()
            .await
            .map_err(|e| ConnectorError::from_transport(SERVICE, &e))?;
        let status = response.status();
        if status.is_client_error() {
            return Err(ConnectorError::Auth(SERVICE.into()));
        }
        if status.is_server_error() {
            return Err(ConnectorError::Busy { service: SERVICE.into(), status: status.as_u16(), retry_after: None });
        }
        let body: Value = response.json().await.map_err(|_| ConnectorError::Malformed {
            service: SERVICE.into(),
            detail: "the access token reply is not JSON".into(),
        })?;
        let token = body["access_token"].as_str().filter(|t| !t.is_empty()).ok_or_else(|| ConnectorError::Malformed {
            service: SERVICE.into(),
            detail: "the access token reply has no access_token".into(),
        })?;
        let lifetime = body["expires_in"].as_i64().unwrap_or(86_399);
        app.access_token = Some(token.to_owned());
        app.expires_at = Some(Utc::now() + chrono::Duration::seconds(lifetime));
        persist(&app);
        tracing::info!(expires_in = lifetime, "Shopify access token granted (client credentials)");
        Ok(token.to_owned())
    }

    /// Runs one GraphQL operation and returns its `data`. Paces itself from the last reply's
    /// `throttleStatus`, and waits out `THROTTLED` replies (detected in the body, whatever the
    /// HTTP status) the same way; a query is never sent blind into an empty bucket.
    pub async fn graphql(&self, query: &str, variables: Value, expected_cost: u32) -> Result<Value, ConnectorError> {
        let mut attempt = 0;
        let mut renewed = false;
        loop {
            let token = self.token(false).await?;
            let wait = self.bucket.lock().expect("bucket lock").map(|b| b.wait_for(expected_cost as f64));
            if let Some(wait) = wait.filter(|w| !w.is_zero()) {
                tracing::debug!(?wait, "pacing Shopify request from throttleStatus");
                tokio::time::sleep(wait).await;
            }
            let response = self
                .http
                .post(&self.endpoint)
                .header("X-Shopify-Access-Token", &token)
                .json(&json!({ "query": query, "variables": variables }))
                .send()
                .await
                .map_err(|e| ConnectorError::from_transport(SERVICE, &e))?;
            let status = response.status();
            let retry_after = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<f64>().ok());
            if status == reqwest::StatusCode::UNAUTHORIZED || status == reqwest::StatusCode::FORBIDDEN {
                // An app's token may have been revoked early: one new grant, one more try.
                if matches!(self.auth, Auth::App { .. }) && !renewed {
                    renewed = true;
                    self.token(true).await?;
                    continue;
                }
                return Err(ConnectorError::Auth(SERVICE.into()));
            }
            if status.is_server_error() {
                // Shopify's 5xx: worth another try (by the caller's retry policy).
                let retry_after = retry_after.map(Duration::from_secs_f64);
                return Err(ConnectorError::Busy { service: SERVICE.into(), status: status.as_u16(), retry_after });
            }
            let text = response.text().await.map_err(|e| ConnectorError::from_transport(SERVICE, &e))?;
            let body: Value = serde_json::from_str(&text).map_err(|_| ConnectorError::Malformed {
                service: SERVICE.into(),
                detail: format!("HTTP {status}, body is not JSON"),
            })?;
            self.remember_bucket(&body);
            let throttled = is_throttled(&body) || status == reqwest::StatusCode::TOO_MANY_REQUESTS;
            if throttled {
                attempt += 1;
                if attempt > MAX_THROTTLED_RETRIES {
                    return Err(ConnectorError::Throttled(SERVICE.into()));
                }
                let wait = retry_after.map(Duration::from_secs_f64).unwrap_or_else(|| {
                    self.bucket
                        .lock()
                        .expect("bucket lock")
                        .map(|b| b.wait_for(expected_cost as f64))
                        .unwrap_or(Duration::from_secs(1))
                });
                tracing::info!(?wait, attempt, "Shopify replied THROTTLED; waiting for the bucket");
                tokio::time::sleep(wait.max(Duration::from_millis(50))).await;
                continue;
            }
            if let Some(errors) = body.get("errors").filter(|e| !e.is_null()) {
                return Err(ConnectorError::Remote {
                    service: SERVICE.into(),
                    code: None,
                    message: error_messages(errors),
                });
            }
            if !status.is_success() {
                return Err(ConnectorError::Remote {
                    service: SERVICE.into(),
                    code: Some(status.as_u16() as i64),
                    message: "HTTP error".into(),
                });
            }
            return body.get("data").cloned().ok_or_else(|| ConnectorError::Malformed {
                service: SERVICE.into(),
                detail: "reply has neither data nor errors".into(),
            });
        }
    }

    fn remember_bucket(&self, body: &Value) {
        let status = &body["extensions"]["cost"]["throttleStatus"];
        if let (Some(available), Some(restore)) =
            (status["currentlyAvailable"].as_f64(), status["restoreRate"].as_f64())
        {
            *self.bucket.lock().expect("bucket lock") =
                Some(Bucket { available, restore_per_sec: restore, seen_at: Instant::now() });
        }
    }
}

fn is_throttled(body: &Value) -> bool {
    body["errors"].as_array().is_some_and(|errs| errs.iter().any(|e| e["extensions"]["code"] == "THROTTLED"))
}

fn error_messages(errors: &Value) -> String {
    match errors {
        Value::Array(list) => {
            list.iter().filter_map(|e| e["message"].as_str()).map(clip).collect::<Vec<_>>().join("; ")
        }
        Value::String(s) => clip(s),
        other => clip(&other.to_string()),
    }
}

/// The search-syntax filter for a window: `updated_at:>='2026-11-01T00:00:00Z'`.
pub fn window_filter(window: &SyncWindow) -> String {
    format!("updated_at:>='{}'", window.updated_since.to_rfc3339_opts(SecondsFormat::Secs, true))
}

#[async_trait]
impl StoreConnector for ShopifyClient {
    async fn verify(&self) -> Result<(), ConnectorError> {
        self.graphql("query DropdockShop { shop { name } }", json!({}), 1).await.map(|_| ())
    }

    async fn orders_page(&self, window: &SyncWindow, cursor: Option<&str>) -> Result<OrdersPage, ConnectorError> {
        let variables = json!({ "first": ORDERS_PER_PAGE, "after": cursor, "query": window_filter(window) });
        let data = self.graphql(ORDERS_QUERY, variables, requested_cost(ORDERS_PER_PAGE, LINE_ITEMS_PER_ORDER)).await?;
        let connection = &data["orders"];
        let nodes = connection["nodes"].as_array().ok_or_else(|| ConnectorError::Malformed {
            service: SERVICE.into(),
            detail: "orders.nodes is missing".into(),
        })?;
        let has_next = connection["pageInfo"]["hasNextPage"].as_bool().unwrap_or(false);
        let next_cursor = if has_next {
            Some(connection["pageInfo"]["endCursor"].as_str().map(str::to_owned).ok_or_else(|| {
                ConnectorError::Malformed { service: SERVICE.into(), detail: "hasNextPage without endCursor".into() }
            })?)
        } else {
            None
        };
        Ok(OrdersPage { orders: nodes.iter().map(parse_order).collect(), next_cursor })
    }

    /// `fulfillmentCreate` on the open fulfillment order line items that hold `lines`; a
    /// fulfilment already carrying the number is ours, and one carrying the number it replaces
    /// gets `fulfillmentTrackingInfoUpdate` (shopify.dev, Admin GraphQL).
    async fn push_tracking(
        &self,
        order_remote_id: &str,
        lines: &[ShippedLine],
        tracking: &TrackingInfo,
    ) -> Result<String, ConnectorError> {
        let data =
            self.graphql(FULFILLMENT_ORDERS_QUERY, json!({ "id": order_remote_id }), FULFILLMENT_ORDERS_COST).await?;
        let order = &data["order"];
        if order.is_null() {
            return Err(ConnectorError::Remote {
                service: SERVICE.into(),
                code: None,
                message: format!("order {order_remote_id} not found"),
            });
        }
        // Idempotent: a fulfilment already carrying this tracking number is the one we made.
        if let Some(existing) = order["fulfillments"].as_array().into_iter().flatten().find(|f| {
            f["trackingInfo"].as_array().into_iter().flatten().any(|t| t["number"] == tracking.number.as_str())
        }) {
            return Ok(existing["id"].as_str().unwrap_or_default().to_owned());
        }
        // A replaced tracking number: update the fulfilment that carries the old one.
        if let Some(old) = order["fulfillments"].as_array().into_iter().flatten().find(|f| {
            f["trackingInfo"].as_array().into_iter().flatten().any(|t| Some(t["number"].as_str().unwrap_or_default()) == tracking.replaces.as_deref())
        }) {
            let input = json!({ "number": tracking.number, "company": tracking.company, "url": tracking.url });
            let data = self
                .graphql(TRACKING_INFO_UPDATE, json!({ "fulfillmentId": old["id"], "trackingInfoInput": input }), 10)
                .await?;
            let result = &data["fulfillmentTrackingInfoUpdate"];
            if let Some(errs) = result["userErrors"].as_array().filter(|e| !e.is_empty()) {
                return Err(ConnectorError::Remote {
                    service: SERVICE.into(),
                    code: None,
                    message: error_messages(&Value::Array(errs.clone())),
                });
            }
            return Ok(old["id"].as_str().unwrap_or_default().to_owned());
        }
        let mut by_fulfillment_order = Vec::new();
        for fo in order["fulfillmentOrders"]["nodes"].as_array().into_iter().flatten() {
            if !matches!(fo["status"].as_str(), Some("OPEN" | "IN_PROGRESS")) {
                continue;
            }
            let mut items = Vec::new();
            for item in fo["lineItems"]["nodes"].as_array().into_iter().flatten() {
                let line_id = item["lineItem"]["id"].as_str().unwrap_or_default();
                let remaining = item["remainingQuantity"].as_i64().unwrap_or(0);
                if let Some(line) = lines.iter().find(|l| l.line_item_remote_id == line_id) {
                    let quantity = remaining.min(line.quantity);
                    if quantity > 0 {
                        items.push(json!({ "id": item["id"], "quantity": quantity }));
                    }
                }
            }
            if !items.is_empty() {
                by_fulfillment_order
                    .push(json!({ "fulfillmentOrderId": fo["id"], "fulfillmentOrderLineItems": items }));
            }
        }
        if by_fulfillment_order.is_empty() {
            return Err(ConnectorError::Remote {
                service: SERVICE.into(),
                code: None,
                message: "no open fulfillment order holds these line items (fulfilled or cancelled in Shopify?)".into(),
            });
        }
        let fulfillment = json!({
            "notifyCustomer": true,
            "trackingInfo": { "number": tracking.number, "company": tracking.company, "url": tracking.url },
            "lineItemsByFulfillmentOrder": by_fulfillment_order,
        });
        let data = self.graphql(FULFILLMENT_CREATE, json!({ "fulfillment": fulfillment }), 10).await?;
        let result = &data["fulfillmentCreate"];
        if let Some(errs) = result["userErrors"].as_array().filter(|e| !e.is_empty()) {
            return Err(ConnectorError::Remote {
                service: SERVICE.into(),
                code: None,
                message: error_messages(&Value::Array(errs.clone())),
            });
        }
        result["fulfillment"]["id"].as_str().map(str::to_owned).ok_or_else(|| ConnectorError::Malformed {
            service: SERVICE.into(),
            detail: "fulfillmentCreate returned no fulfillment id".into(),
        })
    }
}

/// Longest free text kept from a store field; longer text is cut (hostile or broken input).
const MAX_TEXT: usize = 500;

/// Trims, drops control characters and caps the length of store-provided text.
pub(crate) fn clean_text(s: &str) -> String {
    s.trim().chars().filter(|c| !c.is_control()).take(MAX_TEXT).collect()
}

/// A JSON string field as cleaned text; `None` when absent, not a string, or blank.
pub(crate) fn opt_text(v: &Value) -> Option<String> {
    v.as_str().map(clean_text).filter(|s| !s.is_empty())
}

fn parse_time(v: &Value, field: &str) -> Result<DateTime<Utc>, String> {
    let s = v.as_str().ok_or_else(|| format!("{field} is missing"))?;
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| format!("{field} '{}' is not a timestamp", clip(s)))
}

fn parse_money(v: &Value, field: &str) -> Result<(i64, String), String> {
    let money = &v["shopMoney"];
    let currency =
        money["currencyCode"].as_str().filter(|c| c.len() == 3 && c.chars().all(|ch| ch.is_ascii_uppercase()));
    let currency = currency.ok_or_else(|| format!("{field} has no valid currency code"))?;
    let amount = money["amount"].as_str().ok_or_else(|| format!("{field} has no amount"))?;
    let minor = parse_minor(amount, currency).map_err(|e| format!("{field}: {e}"))?;
    Ok((minor, currency.to_owned()))
}

fn parse_address(v: &Value) -> Result<Option<Address>, String> {
    if v.is_null() {
        return Ok(None); // digital goods or local pickup: valid, held from fulfilment later
    }
    if !v.is_object() {
        return Err("shipping address cannot be read".into());
    }
    let address1 = opt_text(&v["address1"]).ok_or("shipping address cannot be read: street (address1) is missing")?;
    let country = v["countryCodeV2"].as_str().map(str::trim).unwrap_or_default();
    if country.is_empty() {
        return Err("shipping address cannot be read: country code is missing".into());
    }
    if !is_known_country(country) {
        return Err(format!("shipping address has an unknown country code '{}'", clip(country)));
    }
    Ok(Some(Address {
        name: opt_text(&v["name"]),
        address1,
        address2: opt_text(&v["address2"]),
        city: opt_text(&v["city"]),
        province: opt_text(&v["province"]),
        zip: opt_text(&v["zip"]),
        country_code: country.to_owned(),
        phone: opt_text(&v["phone"]),
    }))
}

/// Turns one `Order` node into an [`Order`], or the reason it cannot be stored.
pub fn parse_order(node: &Value) -> Result<Order, RejectedOrder> {
    let remote_id = node["id"].as_str().map(clean_text).unwrap_or_default();
    let name = opt_text(&node["name"]);
    let reference =
        name.clone()
            .unwrap_or_else(|| if remote_id.is_empty() { "(order without id)".into() } else { remote_id.clone() });
    let reject = |reason: String| RejectedOrder { reference: reference.clone(), reason };
    if remote_id.is_empty() {
        return Err(reject("order id is missing".into()));
    }
    let name = name.ok_or_else(|| reject("order name is missing".into()))?;
    let created_at = parse_time(&node["createdAt"], "createdAt").map_err(&reject)?;
    let updated_at = parse_time(&node["updatedAt"], "updatedAt").map_err(&reject)?;
    let (total_minor, currency) = parse_money(&node["totalPriceSet"], "total price").map_err(&reject)?;
    let shipping_address = parse_address(&node["shippingAddress"]).map_err(&reject)?;
    let lines = &node["lineItems"];
    if lines["pageInfo"]["hasNextPage"].as_bool() == Some(true) {
        return Err(reject(format!("more than {LINE_ITEMS_PER_ORDER} line items; not supported yet")));
    }
    let mut line_items = Vec::new();
    for (i, item) in
        lines["nodes"].as_array().ok_or_else(|| reject("line items are missing".into()))?.iter().enumerate()
    {
        let field = format!("line item {}", i + 1);
        let remote_id = opt_text(&item["id"]).ok_or_else(|| reject(format!("{field} has no id")))?;
        let quantity = item["quantity"]
            .as_i64()
            .filter(|q| *q > 0)
            .ok_or_else(|| reject(format!("{field} has no positive quantity")))?;
        let (unit_price_minor, line_currency) = parse_money(&item["originalUnitPriceSet"], &field).map_err(&reject)?;
        if line_currency != currency {
            return Err(reject(format!("{field} is priced in {line_currency}, the order in {currency}")));
        }
        line_items.push(LineItem {
            remote_id,
            sku: opt_text(&item["sku"]),
            title: opt_text(&item["name"]).unwrap_or_else(|| "(untitled item)".into()),
            quantity,
            unit_price_minor,
            requires_shipping: item["requiresShipping"].as_bool().unwrap_or(true),
            product_ref: None,
        });
    }
    Ok(Order {
        remote_id,
        name,
        created_at,
        updated_at,
        financial_status: opt_text(&node["displayFinancialStatus"]).unwrap_or_else(|| "UNKNOWN".into()),
        fulfillment_status: opt_text(&node["displayFulfillmentStatus"]).unwrap_or_else(|| "UNFULFILLED".into()),
        email: opt_text(&node["email"]),
        customer_name: opt_text(&node["customer"]["displayName"])
            .or_else(|| shipping_address.as_ref().and_then(|a| a.name.clone())),
        total_minor,
        currency,
        shipping_address,
        line_items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Value {
        json!({
            "id": "gid://shopify/Order/1001", "name": "#1001",
            "createdAt": "2026-11-01T10:00:00Z", "updatedAt": "2026-11-02T10:00:00Z",
            "email": "ana@example.com", "displayFinancialStatus": "PAID", "displayFulfillmentStatus": "UNFULFILLED",
            "customer": { "displayName": "Ana Núñez" },
            "totalPriceSet": { "shopMoney": { "amount": "42.50", "currencyCode": "USD" } },
            "shippingAddress": { "name": "Ana Núñez", "address1": "1 Main St", "address2": null, "city": "Austin",
                "province": "Texas", "zip": "78701", "countryCodeV2": "US", "phone": null },
            "lineItems": { "pageInfo": { "hasNextPage": false }, "nodes": [
                { "id": "gid://shopify/LineItem/1", "sku": "MUG-01", "name": "Mug", "quantity": 2, "requiresShipping": true,
                  "originalUnitPriceSet": { "shopMoney": { "amount": "21.25", "currencyCode": "USD" } } } ] }
        })
    }

    #[test]
    fn parses_the_documented_order_shape_field_by_field() {
        let order = parse_order(&sample()).unwrap();
        assert_eq!(order.name, "#1001");
        assert_eq!(order.total_minor, 4250);
        assert_eq!(order.customer_name.as_deref(), Some("Ana Núñez"));
        let address = order.shipping_address.clone().unwrap();
        assert_eq!((address.city.as_deref(), address.country_code.as_str()), (Some("Austin"), "US"));
        assert_eq!(order.line_items[0].sku.as_deref(), Some("MUG-01"));
        assert_eq!(order.line_items[0].unit_price_minor, 2125);
        assert!(order.is_paid());
    }

    #[test]
    fn null_address_is_valid_but_unreadable_address_is_rejected() {
        let mut node = sample();
        node["shippingAddress"] = Value::Null;
        assert!(parse_order(&node).unwrap().shipping_address.is_none());
        node["shippingAddress"] = json!({ "countryCodeV2": "US" });
        let rejected = parse_order(&node).unwrap_err();
        assert_eq!(rejected.reference, "#1001");
        assert!(rejected.reason.contains("address1"), "{}", rejected.reason);
    }

    #[test]
    fn garbage_money_and_unknown_country_are_rejected_with_reasons() {
        let mut node = sample();
        node["totalPriceSet"]["shopMoney"]["amount"] = json!("forty two");
        assert!(parse_order(&node).unwrap_err().reason.contains("not a decimal amount"));
        let mut node = sample();
        node["shippingAddress"]["countryCodeV2"] = json!("QQ");
        assert!(parse_order(&node).unwrap_err().reason.contains("unknown country code 'QQ'"));
    }

    #[test]
    fn hostile_text_is_cleaned() {
        let mut node = sample();
        node["customer"]["displayName"] = json!(format!("  Bob\u{0007}\u{001b}[31m {}", "x".repeat(2000)));
        let order = parse_order(&node).unwrap();
        let name = order.customer_name.unwrap();
        assert!(name.starts_with("Bob[31m"));
        assert_eq!(name.chars().count(), MAX_TEXT);
    }

    #[test]
    fn page_cost_stays_under_the_cap() {
        assert!(requested_cost(ORDERS_PER_PAGE, LINE_ITEMS_PER_ORDER) <= MAX_QUERY_COST);
        assert!(ORDERS_QUERY.contains(&format!("lineItems(first: {LINE_ITEMS_PER_ORDER})")));
    }
}
