//! Shopify through the GraphQL Admin API (REST is legacy since 2024-10).
//!
//! Sources: shopify.dev "GraphQL Admin API" `orders` query (cursor pagination, `sortKey:
//! UPDATED_AT`, search syntax `updated_at:>=`), `Order.lineItems` and `LineItem.variant` /
//! `LineItem.product` (`legacyResourceId`), `shop` (`myshopifyDomain`, `currencyCode`,
//! `ianaTimezone`), "GraphQL Admin API rate limits"
//! (<https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits>: calculated query cost,
//! the 1,000-point cap and `MAX_COST_EXCEEDED`, `extensions.cost.throttleStatus`, `THROTTLED`),
//! `fulfillmentOrders`, `fulfillmentOrder.lineItems` and `fulfillmentCreate` (FulfillmentOrder
//! flow, `trackingInfo { number company url }`), `Order.risk` (`OrderRiskSummary`:
//! `recommendation`, `assessments { riskLevel }`; <https://shopify.dev/docs/api/admin-graphql/latest/objects/OrderRiskSummary>),
//! "API versioning" (each stable version is supported for at least 12 months).
//!
//! Every query's requested cost is computed from its text by the documented rule
//! ([`graphql_cost`](super::graphql_cost)), and pages are sized from it. A server that still
//! answers `MAX_COST_EXCEEDED` gets the same cursor again with a smaller page.

pub mod catalogue;

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};

use super::graphql_cost::{largest_first_within, requested_cost, MAX_QUERY_COST};
use super::{
    ConnectorError, OrdersPage, ProductsPage, RejectedOrder, ShippedLine, StoreConnector, SyncWindow, TrackingInfo,
};
use crate::countries::is_known_country;
use crate::model::{Address, LineItem, Order, OrderRisk};
use crate::money::{clip, parse_minor};

/// The pinned Admin API version: the newest stable release (Shopify releases quarterly and
/// supports each version for at least 12 months; 2025-10 leaves support in 2026-10).
pub const API_VERSION: &str = "2026-10";
/// Line items read with each order in a page; an order with more gets the rest from
/// [`ORDER_LINE_ITEMS_QUERY`] before it is stored (whole, never truncated). Most orders have
/// one to three, and each line item costs 5 points in every order of the page.
pub const LINE_ITEMS_PER_ORDER: u32 = 5;
const SERVICE: &str = "Shopify store";
const MAX_THROTTLED_RETRIES: u32 = 8;

/// The line-item fields both order queries read (a macro, so that `concat!` can join it).
macro_rules! line_item_fragment {
    () => {
        r#"
fragment DropdockLineItem on LineItem {
  id sku name quantity requiresShipping
  originalUnitPriceSet { shopMoney { amount currencyCode } }
  variant { id legacyResourceId }
  product { id legacyResourceId }
}"#
    };
}

/// The orders page. `$first` is sized so that its requested cost stays within the cap.
pub const ORDERS_QUERY: &str = concat!(
    r#"query DropdockOrders($first: Int!, $lines: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, sortKey: UPDATED_AT, query: $query) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id name createdAt updatedAt cancelledAt email
      displayFinancialStatus displayFulfillmentStatus
      risk { recommendation assessments { riskLevel } }
      customer { displayName }
      totalPriceSet { shopMoney { amount currencyCode } }
      totalRefundedSet { shopMoney { amount currencyCode } }
      shippingAddress { name address1 address2 city province zip countryCodeV2 phone }
      lineItems(first: $lines) {
        pageInfo { hasNextPage endCursor }
        nodes { ...DropdockLineItem }
      }
    }
  }
}
"#,
    line_item_fragment!()
);

/// The rest of an order's line items, after the first page read with the order.
pub const ORDER_LINE_ITEMS_QUERY: &str = concat!(
    r#"query DropdockOrderLineItems($id: ID!, $first: Int!, $after: String) {
  order(id: $id) {
    lineItems(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { ...DropdockLineItem }
    }
  }
}
"#,
    line_item_fragment!()
);

const SHOP_QUERY: &str = "query DropdockShop { shop { name myshopifyDomain currencyCode ianaTimezone } }";

const FULFILLMENT_ORDERS_QUERY: &str = r#"query DropdockFulfillmentOrders($id: ID!) {
  order(id: $id) {
    fulfillments(first: 20) { id trackingInfo { number } }
    fulfillmentOrders(first: 5) {
      nodes { id status lineItems(first: 50) { pageInfo { hasNextPage endCursor } nodes { id remainingQuantity lineItem { id } } } }
    }
  }
}"#;

/// The rest of a fulfillment order's line items (more than the 50 read with the order).
const FULFILLMENT_ORDER_LINE_ITEMS_QUERY: &str = r#"query DropdockFulfillmentOrderLineItems($id: ID!, $first: Int!, $after: String) {
  fulfillmentOrder(id: $id) {
    lineItems(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { id remainingQuantity lineItem { id } } }
  }
}"#;

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

/// The shop as `shop { name myshopifyDomain currencyCode ianaTimezone }` describes it, read at
/// connect and shown in Store → Integrations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopInfo {
    /// The shop's own name.
    pub name: String,
    /// `{shop}.myshopify.com`.
    pub domain: String,
    /// The shop's currency (ISO 4217), in which its orders are priced.
    pub currency: String,
    /// The shop's time zone (IANA, e.g. `America/New_York`).
    pub timezone: String,
}

/// The requested cost of the orders page of `first` orders, by the documented rule.
pub fn orders_page_cost(first: u32) -> u32 {
    requested_cost(ORDERS_QUERY, &json!({ "first": first, "lines": LINE_ITEMS_PER_ORDER })).unwrap_or(u32::MAX)
}

/// The most orders a page may hold within the 1,000-point cap (30 with today's query).
pub fn orders_per_page() -> u32 {
    largest_first_within(ORDERS_QUERY, &json!({ "lines": LINE_ITEMS_PER_ORDER }), "first", MAX_QUERY_COST)
        .unwrap_or(1)
        .max(1)
}

/// Shopify refused a query as over its single-query cost limit (`MAX_COST_EXCEEDED`).
#[derive(Debug, Clone, Copy)]
struct OverCost {
    cost: f64,
    max: f64,
}

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
    App {
        credentials: tokio::sync::Mutex<ShopifyAppCredentials>,
        persist: Box<dyn Fn(&ShopifyAppCredentials) + Send + Sync>,
    },
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
    /// Orders asked for per page: [`orders_per_page`], lowered for the client's life when the
    /// server refuses a page as over its cost limit.
    page_size: AtomicU32,
    /// Products asked for per catalogue page ([`catalogue::products_per_page`]), lowered like
    /// `page_size`.
    products_page_size: AtomicU32,
    /// Whether that lowering was logged (once per client).
    shrink_logged: AtomicBool,
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
        Self {
            http,
            base,
            endpoint,
            auth,
            bucket: Mutex::new(None),
            page_size: AtomicU32::new(orders_per_page()),
            products_page_size: AtomicU32::new(catalogue::products_per_page()),
            shrink_logged: AtomicBool::new(false),
        }
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
        let token =
            body["access_token"].as_str().filter(|t| !t.is_empty()).ok_or_else(|| ConnectorError::Malformed {
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

    /// Runs one GraphQL operation and returns its `data`. Its requested cost is computed from
    /// the text and `variables` by the documented rule; the client paces itself from the last
    /// reply's `throttleStatus`, and waits out `THROTTLED` replies (detected in the body, whatever
    /// the HTTP status) the same way, so a query is never sent blind into an empty bucket.
    /// Errors: those of [`ConnectorError`]; `MAX_COST_EXCEEDED` is a `Remote` error here (the
    /// orders page shrinks instead, see [`StoreConnector::orders_page`]).
    pub async fn graphql(&self, query: &str, variables: Value) -> Result<Value, ConnectorError> {
        match self.run(query, variables).await? {
            Ok(data) => Ok(data),
            Err(over) => Err(ConnectorError::Remote {
                service: SERVICE.into(),
                code: None,
                message: format!("the query costs {} points, over the shop's limit of {}", over.cost, over.max),
            }),
        }
    }

    /// [`graphql`](Self::graphql), with a `MAX_COST_EXCEEDED` refusal as a value.
    async fn run(&self, query: &str, variables: Value) -> Result<Result<Value, OverCost>, ConnectorError> {
        let expected_cost = requested_cost(query, &variables).map_err(|e| ConnectorError::Malformed {
            service: SERVICE.into(),
            detail: format!("query not sent: {e}"),
        })?;
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
            if let Some(over) = over_cost(&body) {
                return Ok(Err(over));
            }
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
            return body.get("data").cloned().map(Ok).ok_or_else(|| ConnectorError::Malformed {
                service: SERVICE.into(),
                detail: "reply has neither data nor errors".into(),
            });
        }
    }

    /// The shop's name, domain, currency and time zone (`shop`), read at connect.
    pub async fn shop_info(&self) -> Result<ShopInfo, ConnectorError> {
        let data = self.graphql(SHOP_QUERY, json!({})).await?;
        let shop = &data["shop"];
        let text = |k: &str| opt_text(&shop[k]).unwrap_or_default();
        let name = opt_text(&shop["name"])
            .ok_or_else(|| ConnectorError::Malformed { service: SERVICE.into(), detail: "shop has no name".into() })?;
        Ok(ShopInfo {
            name,
            domain: text("myshopifyDomain"),
            currency: text("currencyCode"),
            timezone: text("ianaTimezone"),
        })
    }

    /// The line items of order `order_id` after `cursor`, every page of them, each query sized
    /// within the cost cap (and smaller again if the server refuses it as over its limit).
    /// `Ok(None)` when the order is gone (deleted since the page was read).
    async fn remaining_line_items(
        &self,
        order_id: &str,
        mut cursor: String,
    ) -> Result<Option<Vec<Value>>, ConnectorError> {
        let mut first =
            largest_first_within(ORDER_LINE_ITEMS_QUERY, &json!({ "id": order_id }), "first", MAX_QUERY_COST)
                .unwrap_or(1)
                .max(1);
        let mut items = Vec::new();
        loop {
            let variables = json!({ "id": order_id, "first": first, "after": cursor });
            let data = match self.run(ORDER_LINE_ITEMS_QUERY, variables).await? {
                Ok(data) => data,
                Err(over) => {
                    first = self.shrunk(first, over)?;
                    continue;
                }
            };
            let connection = &data["order"]["lineItems"];
            if data["order"].is_null() {
                return Ok(None);
            }
            items.extend(connection["nodes"].as_array().cloned().unwrap_or_default());
            match next_cursor(connection)? {
                Some(next) => cursor = next,
                None => return Ok(Some(items)),
            }
        }
    }

    /// Reads the rest of each fulfillment order's line items when it has more than the first
    /// query read ([`FULFILLMENT_ORDER_LINE_ITEMS_QUERY`]), so every line can be fulfilled.
    async fn complete_fulfillment_order_lines(&self, order: &mut Value) -> Result<(), ConnectorError> {
        let Some(fulfillment_orders) = order["fulfillmentOrders"]["nodes"].as_array_mut() else { return Ok(()) };
        let first =
            largest_first_within(FULFILLMENT_ORDER_LINE_ITEMS_QUERY, &json!({ "id": "" }), "first", MAX_QUERY_COST)
                .unwrap_or(1)
                .max(1);
        for fo in fulfillment_orders {
            let Some(id) = fo["id"].as_str().map(str::to_owned) else { continue };
            let mut after = next_cursor_of_lines(&fo["lineItems"]);
            while let Some(cursor) = after {
                let data = self
                    .graphql(FULFILLMENT_ORDER_LINE_ITEMS_QUERY, json!({ "id": id, "first": first, "after": cursor }))
                    .await?;
                let connection = &data["fulfillmentOrder"]["lineItems"];
                let rest = connection["nodes"].as_array().cloned().unwrap_or_default();
                if let Some(list) = fo["lineItems"]["nodes"].as_array_mut() {
                    list.extend(rest);
                }
                after = next_cursor(connection)?;
            }
        }
        Ok(())
    }

    /// A smaller page after a `MAX_COST_EXCEEDED` refusal of one of `first` nodes: scaled by the
    /// server's limit over the refused cost, and at least one fewer. Logged once per client.
    /// Errors when a single node is already over the server's limit.
    fn shrunk(&self, first: u32, over: OverCost) -> Result<u32, ConnectorError> {
        let scaled = if over.cost > 0.0 && over.max > 0.0 {
            (f64::from(first) * over.max / over.cost).floor() as u32
        } else {
            first / 2
        };
        let smaller = scaled.min(first.saturating_sub(1));
        if smaller == 0 {
            return Err(ConnectorError::Remote {
                service: SERVICE.into(),
                code: None,
                message: format!("even the smallest page costs more than the shop's limit of {} points", over.max),
            });
        }
        if !self.shrink_logged.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                cost = over.cost,
                max_cost = over.max,
                from = first,
                to = smaller,
                "Shopify refused a page as over its cost limit; asking for smaller pages"
            );
        }
        Ok(smaller)
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

/// A `MAX_COST_EXCEEDED` error with its `cost` and `maxCost` (shopify.dev "rate limits").
fn over_cost(body: &Value) -> Option<OverCost> {
    let error = body["errors"].as_array()?.iter().find(|e| e["extensions"]["code"] == "MAX_COST_EXCEEDED")?;
    let number = |v: &Value| v.as_f64().or_else(|| v.as_str().and_then(|s| s.parse().ok())).unwrap_or(0.0);
    Some(OverCost { cost: number(&error["extensions"]["cost"]), max: number(&error["extensions"]["maxCost"]) })
}

/// The cursor after a line-item connection's first page, when it has more.
fn next_cursor_of_lines(connection: &Value) -> Option<String> {
    next_cursor(connection).ok().flatten()
}

/// A connection's `endCursor` when `hasNextPage`; an error when it claims a next page but
/// gives no cursor to it.
fn next_cursor(connection: &Value) -> Result<Option<String>, ConnectorError> {
    if connection["pageInfo"]["hasNextPage"].as_bool() != Some(true) {
        return Ok(None);
    }
    connection["pageInfo"]["endCursor"].as_str().filter(|c| !c.is_empty()).map(|c| Some(c.to_owned())).ok_or_else(
        || ConnectorError::Malformed { service: SERVICE.into(), detail: "hasNextPage without endCursor".into() },
    )
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
        self.shop_info().await.map(|_| ())
    }

    /// See [`catalogue`]: products with every variant, pages sized by the cost rule.
    async fn products_page(&self, cursor: Option<&str>) -> Result<Option<ProductsPage>, ConnectorError> {
        self.catalogue_page(cursor).await.map(Some)
    }

    /// One page of [`ORDERS_QUERY`], as many orders as fit the cost cap; an order with more
    /// line items than the page reads is completed with [`ORDER_LINE_ITEMS_QUERY`] before it
    /// is parsed. A `MAX_COST_EXCEEDED` reply shrinks the page and asks for the same cursor.
    async fn orders_page(&self, window: &SyncWindow, cursor: Option<&str>) -> Result<OrdersPage, ConnectorError> {
        let data = loop {
            let first = self.page_size.load(Ordering::Relaxed);
            let variables = json!({ "first": first, "lines": LINE_ITEMS_PER_ORDER, "after": cursor, "query": window_filter(window) });
            match self.run(ORDERS_QUERY, variables).await? {
                Ok(data) => break data,
                Err(over) => self.page_size.store(self.shrunk(first, over)?, Ordering::Relaxed),
            }
        };
        let connection = &data["orders"];
        let nodes = connection["nodes"].as_array().ok_or_else(|| ConnectorError::Malformed {
            service: SERVICE.into(),
            detail: "orders.nodes is missing".into(),
        })?;
        // An empty page is the last, whatever `hasNextPage` claims (a store cannot hold a run).
        let next_cursor = if nodes.is_empty() { None } else { next_cursor(connection)? };
        let mut orders = Vec::with_capacity(nodes.len());
        for node in nodes {
            let lines = &node["lineItems"];
            let more = match (node["id"].as_str(), next_cursor_of_lines(lines)) {
                (Some(id), Some(after)) => self.remaining_line_items(id, after).await?,
                _ => None,
            };
            match more {
                Some(rest) => {
                    let mut whole = node.clone();
                    if let Some(list) = whole["lineItems"]["nodes"].as_array_mut() {
                        list.extend(rest);
                    }
                    whole["lineItems"]["pageInfo"] = json!({ "hasNextPage": false });
                    orders.push(parse_order(&whole));
                }
                None => orders.push(parse_order(node)),
            }
        }
        Ok(OrdersPage { orders, next_cursor })
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
        let mut data = self.graphql(FULFILLMENT_ORDERS_QUERY, json!({ "id": order_remote_id })).await?;
        self.complete_fulfillment_order_lines(&mut data["order"]).await?;
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
            f["trackingInfo"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|t| Some(t["number"].as_str().unwrap_or_default()) == tracking.replaces.as_deref())
        }) {
            let input = json!({ "number": tracking.number, "company": tracking.company, "url": tracking.url });
            let data = self
                .graphql(TRACKING_INFO_UPDATE, json!({ "fulfillmentId": old["id"], "trackingInfoInput": input }))
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
        let data = self.graphql(FULFILLMENT_CREATE, json!({ "fulfillment": fulfillment })).await?;
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
    let currency = money["currencyCode"].as_str().filter(|c| crate::money::is_known_currency(c));
    let currency = currency.ok_or_else(|| format!("{field} has no ISO 4217 currency code"))?;
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
    // `Order.totalRefundedSet` (MoneyBag!, <https://shopify.dev/docs/api/admin-graphql/latest/objects/Order>):
    // what was refunded to the buyer; left out by an older query, it is none.
    let refunded_minor = match &node["totalRefundedSet"] {
        Value::Null => 0,
        bag => {
            let (refunded, refund_currency) = parse_money(bag, "total refunded").map_err(&reject)?;
            if refund_currency != currency {
                return Err(reject(format!("its refunds are in {refund_currency}, the order in {currency}")));
            }
            if !(0..=total_minor).contains(&refunded) {
                return Err(reject("it was refunded more than its total".into()));
            }
            refunded
        }
    };
    let shipping_address = parse_address(&node["shippingAddress"]).map_err(&reject)?;
    let lines = &node["lineItems"];
    if lines["pageInfo"]["hasNextPage"].as_bool() == Some(true) {
        return Err(reject("its line items could not all be read (the store gave no way to the next page)".into()));
    }
    let mut line_items = Vec::new();
    for (i, item) in
        lines["nodes"].as_array().ok_or_else(|| reject("line items are missing".into()))?.iter().enumerate()
    {
        let field = format!("line item {}", i + 1);
        let remote_id = opt_text(&item["id"]).ok_or_else(|| reject(format!("{field} has no id")))?;
        let quantity = crate::model::check_quantity(&item["quantity"], &field).map_err(&reject)?;
        let (unit_price_minor, line_currency) = parse_money(&item["originalUnitPriceSet"], &field).map_err(&reject)?;
        // `legacyResourceId` is an `UnsignedInt64` scalar, serialised as a string.
        let legacy = |v: &Value| match &v["legacyResourceId"] {
            Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => Some(s.clone()),
            Value::Number(n) => n.as_u64().map(|n| n.to_string()),
            _ => None,
        };
        let (variant_id, product_id) = (legacy(&item["variant"]), legacy(&item["product"]));
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
            product_ref: match (&variant_id, &product_id) {
                (Some(v), _) => Some(format!("shopify:variant:{v}")),
                (None, Some(p)) => Some(format!("shopify:product:{p}")),
                _ => None,
            },
            store_product_id: product_id,
            store_variant_id: variant_id,
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
        refunded_minor,
        currency,
        shipping_address,
        line_items,
        cancelled_at: match &node["cancelledAt"] {
            Value::Null => None,
            v => Some(parse_time(v, "cancelledAt").map_err(&reject)?),
        },
        risk: parse_risk(&node["risk"]),
    })
}

/// `Order.risk` (`OrderRiskSummary`): the recommendation and the highest assessed level. An
/// absent or unreadable summary is `None` (no hold on a guess either way); an unknown level
/// ranks above every documented one, so a new, graver level is not taken for a mild one.
fn parse_risk(risk: &Value) -> Option<OrderRisk> {
    let recommendation = opt_text(&risk["recommendation"])?.to_ascii_uppercase();
    let rank = |level: &str| match level {
        "NONE" | "PENDING" => 0,
        "LOW" => 1,
        "MEDIUM" => 2,
        "HIGH" => 3,
        _ => 4,
    };
    let level = risk["assessments"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| opt_text(&a["riskLevel"]).map(|l| l.to_ascii_uppercase()))
        .max_by_key(|l| rank(l));
    Some(OrderRisk { recommendation, level })
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
    fn every_query_is_priced_by_the_documented_rule_and_fits_the_cap() {
        // orders 2 + pageInfo 1 + n × (order 1 + customer 1 + totalPriceSet 2 + totalRefundedSet 2
        //   + shippingAddress 1
        //   + lineItems (2 + pageInfo 1 + 5 × (line 1 + originalUnitPriceSet 2 + variant 1 + product 1))).
        // + risk 1 + assessments 1.
        let per_order = 1 + 1 + 2 + 2 + 1 + 2 + (2 + 1 + LINE_ITEMS_PER_ORDER * 5);
        assert_eq!(orders_page_cost(1), 3 + per_order);
        assert_eq!(orders_page_cost(40), 3 + 40 * per_order, "40 orders would cost {}", 3 + 40 * per_order);
        let page = orders_per_page();
        assert_eq!(page, (MAX_QUERY_COST - 3) / per_order);
        assert!(orders_page_cost(page) <= MAX_QUERY_COST && orders_page_cost(page + 1) > MAX_QUERY_COST);
        // The follow-up queries: order line items, fulfillment orders, their line items, the shop.
        let lines = largest_first_within(ORDER_LINE_ITEMS_QUERY, &json!({}), "first", MAX_QUERY_COST).unwrap();
        assert_eq!(requested_cost(ORDER_LINE_ITEMS_QUERY, &json!({ "first": lines })).unwrap(), 1 + 2 + 1 + lines * 5);
        assert_eq!(
            requested_cost(FULFILLMENT_ORDERS_QUERY, &json!({})).unwrap(),
            1 + (2 + 20 * 2) + (2 + 5 * (1 + 2 + 1 + 50 * 2))
        );
        let fo_lines =
            largest_first_within(FULFILLMENT_ORDER_LINE_ITEMS_QUERY, &json!({}), "first", MAX_QUERY_COST).unwrap();
        assert!(
            requested_cost(FULFILLMENT_ORDER_LINE_ITEMS_QUERY, &json!({ "first": fo_lines })).unwrap()
                <= MAX_QUERY_COST
        );
        assert_eq!(requested_cost(SHOP_QUERY, &json!({})).unwrap(), 1);
        assert_eq!(requested_cost(FULFILLMENT_CREATE, &json!({})).unwrap(), 10);
        assert_eq!(requested_cost(TRACKING_INFO_UPDATE, &json!({})).unwrap(), 10);
    }

    #[test]
    fn line_items_keep_the_store_product_and_variant() {
        let mut node = sample();
        node["lineItems"]["nodes"][0]["variant"] =
            json!({ "id": "gid://shopify/ProductVariant/42", "legacyResourceId": "42" });
        node["lineItems"]["nodes"][0]["product"] = json!({ "id": "gid://shopify/Product/7", "legacyResourceId": "7" });
        let item = &parse_order(&node).unwrap().line_items[0];
        assert_eq!((item.store_product_id.as_deref(), item.store_variant_id.as_deref()), (Some("7"), Some("42")));
        assert_eq!(item.product_ref.as_deref(), Some("shopify:variant:42"));
        // A custom line item has neither, and that is no failure.
        let item = &parse_order(&sample()).unwrap().line_items[0];
        assert_eq!((item.store_product_id.as_deref(), item.store_variant_id.as_deref()), (None, None));
    }

    #[test]
    fn a_max_cost_refusal_is_read_with_its_figures() {
        let body = json!({ "errors": [{ "message": "Query cost is 2723, which exceeds the single query max cost limit (1000).",
            "extensions": { "code": "MAX_COST_EXCEEDED", "cost": 2723, "maxCost": 1000 } }] });
        let over = over_cost(&body).unwrap();
        assert_eq!((over.cost, over.max), (2723.0, 1000.0));
        assert!(over_cost(&json!({ "errors": [{ "extensions": { "code": "THROTTLED" } }] })).is_none());
    }
}
