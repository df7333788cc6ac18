//! WooCommerce through its REST API v3.
//!
//! Sources: woocommerce.github.io/woocommerce-rest-api-docs ("Authentication": HTTP Basic with the
//! consumer key and secret over HTTPS, OAuth 1.0a "one-legged" over plain HTTP with the OAuth
//! parameters in the query string; "Pagination": `per_page` at most 100, `X-WP-Total` and
//! `X-WP-TotalPages`; "Orders": `GET /wp-json/wc/v3/orders` with `modified_after` (WC 5.8+),
//! `dates_are_gmt`, the order and line item properties, money as decimal strings).
//!
//! Statuses: `processing` (paid, to fulfil) and `completed` (paid and shipped) are paid;
//! `pending`, `on-hold`, `failed`, `cancelled`, `refunded`, `trash` are not. Statuses added by
//! plugins are kept as the store names them (upper case) and shown; they count as not paid until
//! the merchant says otherwise, so nothing unknown is ever sent to a supplier.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::{json, Value};

use super::{ConnectorError, OrdersPage, RejectedOrder, ShippedLine, StoreConnector, SyncWindow, TrackingInfo};
use crate::countries::is_known_country;
pub mod catalogue;

use crate::model::{Address, LineItem, Order};
use crate::money::{clip, parse_minor};
use crate::stores::shopify::{clean_text, opt_text};

const SERVICE: &str = "WooCommerce store";
/// WooCommerce caps `per_page` at 100.
pub const ORDERS_PER_PAGE: u32 = 100;

/// A WooCommerce store's REST API credentials (WooCommerce → Settings → Advanced → REST API).
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct WooCredentials {
    pub consumer_key: String,
    pub consumer_secret: String,
}

impl std::fmt::Debug for WooCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WooCredentials").finish_non_exhaustive()
    }
}

/// A client for one WooCommerce store. `base_url` is the site's origin (and path, for a
/// WordPress in a sub-folder); the API is below `/wp-json/wc/v3`.
pub struct WooClient {
    http: reqwest::Client,
    /// `{site}/wp-json`: the REST API root (WooCommerce below `wc/v3`, extensions beside it).
    site: String,
    credentials: WooCredentials,
    over_https: bool,
    /// The store's currency (`settings/general/woocommerce_currency`), read once for the
    /// catalogue's prices; `None` inside when the store would not say.
    currency: tokio::sync::OnceCell<Option<String>>,
}

impl WooClient {
    pub fn new(http: reqwest::Client, base_url: &str, credentials: WooCredentials) -> Self {
        let base = base_url.trim_end_matches('/');
        Self {
            http,
            site: format!("{base}/wp-json"),
            credentials,
            over_https: base.starts_with("https://"),
            currency: tokio::sync::OnceCell::new(),
        }
    }

    /// One authenticated GET of `path` (below `/wp-json/wc/v3`) with `params`. Returns the JSON
    /// body and the total number of pages (`X-WP-TotalPages`, 1 when absent). See
    /// [`Self::request`] for the errors.
    pub async fn get(&self, path: &str, params: &[(&str, String)]) -> Result<(Value, u32), ConnectorError> {
        self.request(reqwest::Method::GET, &format!("wc/v3/{}", path.trim_start_matches('/')), params, None).await
    }

    /// One authenticated request to `path` below `/wp-json` (e.g. `wc/v3/orders/7/notes`) with the
    /// query `params` and an optional JSON body: HTTP Basic over HTTPS; over plain HTTP, OAuth
    /// 1.0a one-legged (HMAC-SHA1, the consumer secret plus `&` as key, no `oauth_version`),
    /// signed by the `oauth1-request` crate over the method, URL and query (a JSON body is not
    /// signed, RFC 5849 §3.4.1.3), with the OAuth parameters in the query string as WooCommerce
    /// requires. Returns the JSON body and `X-WP-TotalPages` (1 when absent).
    /// Errors: 401/403 (reconnect), 429 and 5xx (busy, with `Retry-After`), other HTTP errors as
    /// `Remote` with the status as code and WooCommerce's `code: message` (see [`is_no_route`]),
    /// a body that is not JSON (malformed: a truncated reply is one).
    pub async fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        params: &[(&str, String)],
        body: Option<&Value>,
    ) -> Result<(Value, u32), ConnectorError> {
        let (status, paging, text) = self.send(method, path, params, body).await?;
        if !status.is_success() {
            return Err(remote_error(status, &text));
        }
        let body: Value = serde_json::from_str(&text).map_err(|_| ConnectorError::Malformed {
            service: SERVICE.into(),
            detail: format!("HTTP {status}, body is not JSON"),
        })?;
        Ok((body, paging.total_pages.unwrap_or(1)))
    }

    /// [`request`](Self::request) up to the body: the status, the paging headers, and the body
    /// as text (a listing is split into its orders before any is parsed, see [`super::page`]).
    /// Errors: 401/403, 429 and 5xx as `request`'s.
    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        params: &[(&str, String)],
        body: Option<&Value>,
    ) -> Result<(reqwest::StatusCode, Paging, String), ConnectorError> {
        let url = format!("{}/{}", self.site, path.trim_start_matches('/'));
        let request = if self.over_https {
            self.http
                .request(method.clone(), &url)
                .basic_auth(&self.credentials.consumer_key, Some(&self.credentials.consumer_secret))
                .query(params)
        } else {
            // oauth1-request signs every parameter but appends only the `oauth_*` ones to the
            // URL; the request's own parameters are added by reqwest.
            let list: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let client = oauth1_request::Credentials::new(
                self.credentials.consumer_key.as_str(),
                self.credentials.consumer_secret.as_str(),
            );
            let mut builder = oauth1_request::Builder::<_, _>::new(client, oauth1_request::HMAC_SHA1);
            builder.version(false);
            let signed = builder.to_query(method.as_str(), url.clone(), &oauth1_request::ParameterList::new(list));
            self.http.request(method.clone(), signed).query(params)
        };
        let request = match body {
            Some(body) => request.json(body),
            None => request,
        };
        let response = request.send().await.map_err(|e| ConnectorError::from_transport(SERVICE, &e))?;
        let status = response.status();
        if status == reqwest::StatusCode::UNAUTHORIZED || status == reqwest::StatusCode::FORBIDDEN {
            return Err(ConnectorError::Auth(SERVICE.into()));
        }
        if status == reqwest::StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
            let retry_after = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(std::time::Duration::from_secs);
            return Err(ConnectorError::Busy { service: SERVICE.into(), status: status.as_u16(), retry_after });
        }
        let header =
            |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(|v| v.trim().to_owned());
        let paging = Paging {
            total_pages: header("x-wp-totalpages").and_then(|v| v.parse().ok()),
            total: header("x-wp-total").and_then(|v| v.parse().ok()),
        };
        let text = response.text().await.map_err(|e| ConnectorError::from_transport(SERVICE, &e))?;
        Ok((status, paging, text))
    }

    /// Tracking through WooCommerce's core order fulfillments (developer.woocommerce.com, "Order
    /// fulfillments"): the fulfillment whose `_tracking_number` meta is this number is ours; one
    /// carrying the number it replaces is updated (`PUT`); else one is created, fulfilled, with
    /// `_items` (`[{item_id, qty}]`), `_tracking_number`, `_tracking_url` and
    /// `_shipment_provider`, and the customer notified. `Ok(None)` when the store has not
    /// enabled the feature (404 `rest_no_route`).
    async fn push_fulfillment(
        &self,
        order_id: &str,
        lines: &[ShippedLine],
        tracking: &TrackingInfo,
    ) -> Result<Option<String>, ConnectorError> {
        let path = format!("wc/v3/orders/{order_id}/fulfillments");
        let existing = match self.request(reqwest::Method::GET, &path, &[], None).await {
            Ok((list, _)) => list,
            Err(e) if is_no_route(&e) => return Ok(None),
            Err(e) => return Err(e),
        };
        let carrying = |number: &str| {
            existing.as_array().into_iter().flatten().find(|f| {
                f["meta_data"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|m| m["key"] == "_tracking_number" && m["value"] == number)
            })
        };
        let id_of = |f: &Value| f["id"].as_u64().map(|id| format!("fulfillment:{id}"));
        if let Some(found) = carrying(&tracking.number) {
            return Ok(Some(id_of(found).unwrap_or_default()));
        }
        let items: Vec<Value> = lines
            .iter()
            .filter_map(|l| {
                l.line_item_remote_id.parse::<u64>().ok().map(|id| json!({ "item_id": id, "qty": l.quantity }))
            })
            .collect();
        let provider =
            if tracking.woo_provider.is_empty() { tracking.company.clone() } else { tracking.woo_provider.clone() };
        let body = json!({
            "status": "fulfilled",
            "is_fulfilled": true,
            "meta_data": [
                { "key": "_items", "value": items },
                { "key": "_tracking_number", "value": tracking.number },
                { "key": "_tracking_url", "value": tracking.url },
                { "key": "_shipment_provider", "value": provider },
            ],
        });
        let notify = [("notify_customer", "true".to_owned())];
        let replaced = tracking.replaces.as_deref().and_then(carrying).and_then(|f| f["id"].as_u64());
        let (saved, _) = match replaced {
            Some(fid) => self.request(reqwest::Method::PUT, &format!("{path}/{fid}"), &notify, Some(&body)).await?,
            None => self.request(reqwest::Method::POST, &path, &notify, Some(&body)).await?,
        };
        id_of(&saved).map(Some).ok_or_else(|| ConnectorError::Malformed {
            service: SERVICE.into(),
            detail: "the fulfillment reply has no id".into(),
        })
    }

    /// Tracking through the Shipment Tracking extension (woocommerce.com, "Shipment Tracking
    /// REST API"): an item with this number is ours; an item with the number it replaces is
    /// deleted; a new item names the predefined provider, or the carrier as a custom provider
    /// with the tracking link. `Ok(None)` without the extension (404 `rest_no_route`).
    async fn push_shipment_tracking(
        &self,
        order_id: &str,
        tracking: &TrackingInfo,
    ) -> Result<Option<String>, ConnectorError> {
        let path = format!("wc-shipment-tracking/v3/orders/{order_id}/shipment-trackings");
        let existing = match self.request(reqwest::Method::GET, &path, &[], None).await {
            Ok((list, _)) => list,
            Err(e) if is_no_route(&e) => return Ok(None),
            Err(e) => return Err(e),
        };
        let carrying =
            |number: &str| existing.as_array().into_iter().flatten().find(|t| t["tracking_number"] == number).cloned();
        let id_of = |t: &Value| format!("shipment-tracking:{}", t["tracking_id"].as_str().unwrap_or_default());
        if let Some(found) = carrying(&tracking.number) {
            return Ok(Some(id_of(&found)));
        }
        if let Some(old) = tracking.replaces.as_deref().and_then(carrying) {
            let old_id = old["tracking_id"].as_str().unwrap_or_default();
            self.request(reqwest::Method::DELETE, &format!("{path}/{old_id}"), &[], None).await?;
        }
        let mut body = json!({
            "tracking_number": tracking.number,
            "date_shipped": chrono::Utc::now().format("%Y-%m-%d").to_string(),
        });
        if tracking.woo_provider.is_empty() {
            body["custom_tracking_provider"] = json!(tracking.company);
            body["custom_tracking_link"] = json!(tracking.url);
        } else {
            body["tracking_provider"] = json!(tracking.woo_provider);
        }
        let (saved, _) = self.request(reqwest::Method::POST, &path, &[], Some(&body)).await?;
        Ok(Some(id_of(&saved)))
    }

    /// The last resort: a customer note with the carrier, number and link (WooCommerce e-mails
    /// customer notes to the buyer). A note already holding the number is ours.
    async fn push_note(&self, order_id: &str, tracking: &TrackingInfo) -> Result<String, ConnectorError> {
        let path = format!("wc/v3/orders/{order_id}/notes");
        let (existing, _) = self.request(reqwest::Method::GET, &path, &[], None).await?;
        if let Some(found) = existing.as_array().into_iter().flatten().find(|n| {
            n["note"].as_str().is_some_and(|text| text.contains(&format!("tracking number {}", tracking.number)))
        }) {
            return Ok(format!("note:{}", found["id"].as_u64().unwrap_or_default()));
        }
        let mut note = format!(
            "Your order has shipped with {}, tracking number {}: {}",
            tracking.company, tracking.number, tracking.url
        );
        if let Some(old) = &tracking.replaces {
            note.push_str(&format!(" (this replaces tracking number {old})"));
        }
        let (saved, _) = self
            .request(reqwest::Method::POST, &path, &[], Some(&json!({ "note": note, "customer_note": true })))
            .await?;
        Ok(format!("note:{}", saved["id"].as_u64().unwrap_or_default()))
    }
}

/// True for WooCommerce's 404 `rest_no_route`: the store does not have this API (a feature
/// not enabled, an extension not installed).
pub fn is_no_route(e: &ConnectorError) -> bool {
    matches!(e, ConnectorError::Remote { code: Some(404), message, .. } if message.starts_with("rest_no_route"))
}

/// `modified_after` as WooCommerce reads it with `dates_are_gmt=true`: ISO 8601 in UTC.
pub fn modified_after(window: &SyncWindow) -> String {
    window.updated_since.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// What a listing's headers say of the whole: `X-WP-TotalPages` and `X-WP-Total`.
#[derive(Debug, Clone, Copy, Default)]
struct Paging {
    total_pages: Option<u32>,
    total: Option<u64>,
}

/// The order fields [`parse_order`] reads; every other field of an order is skipped unread (see
/// [`super::page`]), so `meta_data` and the like can never fail an order.
const ORDER_FIELDS: super::page::Fields = super::page::Fields {
    keys: &[
        "id",
        "number",
        "status",
        "currency",
        "date_created_gmt",
        "date_modified_gmt",
        "total",
        "billing",
        "shipping",
    ],
    lists: &[(
        "line_items",
        super::page::Fields {
            keys: &["id", "sku", "name", "quantity", "price", "subtotal", "product_id", "variation_id"],
            lists: &[],
        },
    )],
};

/// The most pages one run reads from a store, whatever its headers claim (2,000,000 orders).
const MAX_PAGES: u32 = 20_000;

#[async_trait]
impl StoreConnector for WooClient {
    /// The cheapest authenticated read: one order.
    async fn verify(&self) -> Result<(), ConnectorError> {
        let (body, _) = self.get("orders", &[("per_page", "1".into())]).await?;
        if body.is_array() {
            Ok(())
        } else {
            Err(ConnectorError::Malformed { service: SERVICE.into(), detail: "orders is not a list".into() })
        }
    }

    /// See [`catalogue`]: products with every variation, priced in the store's currency.
    async fn products_page(&self, cursor: Option<&str>) -> Result<Option<super::ProductsPage>, ConnectorError> {
        let currency = self.store_currency().await?;
        self.catalogue_page(cursor, currency.as_deref()).await.map(Some)
    }

    /// Pages are numbered (`page=N`); `cursor` is the next page's number. A page is split into
    /// its orders first and each order read on its own ([`super::page`]), so an unreadable one
    /// is a failure with its number and reason beside the good ones. Paging stops at an empty
    /// page, at the last page `X-WP-TotalPages` claims, at the pages `X-WP-Total` orders fill,
    /// and at [`MAX_PAGES`], whichever comes first: a store claiming billions of pages while
    /// serving nothing ends the run.
    async fn orders_page(&self, window: &SyncWindow, cursor: Option<&str>) -> Result<OrdersPage, ConnectorError> {
        let page: u32 = cursor.and_then(|c| c.parse().ok()).unwrap_or(1);
        let params = [
            ("per_page", ORDERS_PER_PAGE.to_string()),
            ("page", page.to_string()),
            ("modified_after", modified_after(window)),
            ("dates_are_gmt", "true".into()),
            ("orderby", "date".into()),
            ("order", "asc".into()),
        ];
        let path = "wc/v3/orders";
        let (status, paging, text) = self.send(reqwest::Method::GET, path, &params, None).await?;
        if !status.is_success() {
            return Err(remote_error(status, &text));
        }
        let raw = super::page::split_array(&text).map_err(|detail| ConnectorError::Malformed {
            service: SERVICE.into(),
            detail: format!("orders: {detail}"),
        })?;
        let orders: Vec<_> = raw
            .iter()
            .enumerate()
            .map(|(i, order)| match super::page::pick(order, &ORDER_FIELDS) {
                Ok(node) => parse_order(&node),
                Err(reason) => Err(RejectedOrder {
                    reference: unreadable_reference(order, page, i),
                    reason: format!("the order cannot be read: {reason}"),
                }),
            })
            .collect();
        let by_total = paging.total.map(|t| t.div_ceil(u64::from(ORDERS_PER_PAGE)).min(u64::from(u32::MAX)) as u32);
        let last = [paging.total_pages.or(Some(1)), by_total, Some(MAX_PAGES)].into_iter().flatten().min().unwrap_or(1);
        let more = !orders.is_empty() && page < last;
        Ok(OrdersPage { orders, next_cursor: more.then(|| (page + 1).to_string()) })
    }

    /// Tries, per store and in this order, core order fulfillments, the Shipment Tracking
    /// extension, then a customer note (source: `../reference` platform facts, WooCommerce's
    /// docs for each). Only fulfillments mark the items themselves; with the other two the order
    /// is set `completed` once its last shipment is pushed (`completes_order`), which also
    /// e-mails the buyer. Every step first looks for what an earlier run made, so a rerun after a
    /// crash adds nothing.
    async fn push_tracking(
        &self,
        order_remote_id: &str,
        lines: &[ShippedLine],
        tracking: &TrackingInfo,
    ) -> Result<String, ConnectorError> {
        if let Some(id) = self.push_fulfillment(order_remote_id, lines, tracking).await? {
            return Ok(id);
        }
        let id = match self.push_shipment_tracking(order_remote_id, tracking).await? {
            Some(id) => id,
            None => self.push_note(order_remote_id, tracking).await?,
        };
        if tracking.completes_order {
            let body = json!({ "status": "completed" });
            self.request(reqwest::Method::PUT, &format!("wc/v3/orders/{order_remote_id}"), &[], Some(&body)).await?;
        }
        Ok(id)
    }
}

/// An HTTP error reply: WooCommerce's `{code, message}` with the status as the code (see
/// [`is_no_route`]), or unreadable when the body is not JSON.
fn remote_error(status: reqwest::StatusCode, text: &str) -> ConnectorError {
    match serde_json::from_str::<Value>(text) {
        Ok(body) => ConnectorError::Remote {
            service: SERVICE.into(),
            code: Some(status.as_u16() as i64),
            message: format!(
                "{}: {}",
                body["code"].as_str().unwrap_or("error"),
                body["message"].as_str().map(clean_text).unwrap_or_else(|| "no message".into())
            ),
        },
        Err(_) => {
            ConnectorError::Malformed { service: SERVICE.into(), detail: format!("HTTP {status}, body is not JSON") }
        }
    }
}

/// What names an order that cannot be read: its `number` or `id` when those two fields read,
/// else its place in the listing.
fn unreadable_reference(raw: &serde_json::value::RawValue, page: u32, index: usize) -> String {
    const NAMING: super::page::Fields = super::page::Fields { keys: &["id", "number"], lists: &[] };
    let named = super::page::pick(raw, &NAMING).ok();
    let field = |k: &str| {
        named.as_ref().and_then(|v| match &v[k] {
            Value::String(s) => Some(clean_text(s)),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    };
    match (field("number"), field("id")) {
        (Some(number), _) if !number.is_empty() => format!("#{number}"),
        (_, Some(id)) => id,
        _ => format!("(order {} of page {page})", index + 1),
    }
}

/// WooCommerce's `*_gmt` dates: `2026-11-01T10:00:00`, UTC without an offset.
fn parse_gmt(v: &Value, field: &str) -> Result<DateTime<Utc>, String> {
    let s = v.as_str().ok_or_else(|| format!("{field} is missing"))?;
    NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%dT%H:%M:%S")
        .map(|t| t.and_utc())
        .or_else(|_| DateTime::parse_from_rfc3339(s.trim()).map(|t| t.with_timezone(&Utc)))
        .map_err(|_| format!("{field} '{}' is not a date", clip(s)))
}

/// Money: decimal strings (or, for a line item's `price`, a JSON number), parsed exactly.
fn money(v: &Value, currency: &str, field: &str) -> Result<i64, String> {
    let text = match v {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        _ => return Err(format!("{field} is missing")),
    };
    parse_minor(&text, currency).map_err(|e| format!("{field}: {e}"))
}

/// The order's payment state in Dropdock's terms: `PAID` for `processing` and `completed`, else
/// the store's own status in upper case (`PENDING`, `ON-HOLD`, a plugin's `AWAITING-SHIPMENT`).
pub fn financial_status(status: &str) -> String {
    match status {
        "processing" | "completed" => "PAID".into(),
        other => clean_text(other).to_uppercase(),
    }
}

fn parse_address(order: &Value) -> Result<Option<Address>, String> {
    let shipping = &order["shipping"];
    let address1 = opt_text(&shipping["address_1"]);
    let country = shipping["country"].as_str().map(str::trim).unwrap_or_default();
    if address1.is_none() && country.is_empty() {
        return Ok(None); // virtual products or local pickup: nothing to ship to
    }
    let address1 = address1.ok_or("shipping address cannot be read: street (address_1) is missing")?;
    if country.is_empty() {
        return Err("shipping address cannot be read: country is missing".into());
    }
    if !is_known_country(country) {
        return Err(format!("shipping address has an unknown country code '{}'", clip(country)));
    }
    let name = [opt_text(&shipping["first_name"]), opt_text(&shipping["last_name"])]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    Ok(Some(Address {
        name: Some(name).filter(|n| !n.is_empty()).or_else(|| opt_text(&shipping["company"])),
        address1,
        address2: opt_text(&shipping["address_2"]),
        city: opt_text(&shipping["city"]),
        province: opt_text(&shipping["state"]),
        zip: opt_text(&shipping["postcode"]),
        country_code: country.to_owned(),
        // WooCommerce has a shipping phone since 5.6; the billing phone otherwise.
        phone: opt_text(&shipping["phone"]).or_else(|| opt_text(&order["billing"]["phone"])),
    }))
}

/// Turns one order of `GET /orders` into an [`Order`], or the reason it cannot be stored.
pub fn parse_order(node: &Value) -> Result<Order, RejectedOrder> {
    let (remote_id, id_problem) = match &node["id"] {
        Value::Number(n) if n.as_u64().is_some() => (n.to_string(), None),
        Value::Null => (String::new(), Some("order id is missing".to_owned())),
        other => (String::new(), Some(format!("order id {} is not a number", clip(&other.to_string())))),
    };
    let number = opt_text(&node["number"]);
    let reference = number.as_ref().map(|n| format!("#{n}")).unwrap_or_else(|| {
        if remote_id.is_empty() {
            "(order without id)".into()
        } else {
            remote_id.clone()
        }
    });
    let reject = |reason: String| RejectedOrder { reference: reference.clone(), reason };
    if let Some(problem) = id_problem {
        return Err(reject(problem));
    }
    let status = opt_text(&node["status"]).ok_or_else(|| reject("status is missing".into()))?;
    let currency = node["currency"]
        .as_str()
        .filter(|c| crate::money::is_known_currency(c))
        .ok_or_else(|| {
            reject(format!("currency '{}' is not an ISO 4217 code", clip(node["currency"].as_str().unwrap_or(""))))
        })?
        .to_owned();
    let created_at = parse_gmt(&node["date_created_gmt"], "date_created_gmt").map_err(&reject)?;
    let updated_at = parse_gmt(&node["date_modified_gmt"], "date_modified_gmt").map_err(&reject)?;
    let total_minor = money(&node["total"], &currency, "total").map_err(&reject)?;
    // `refunds[]` (read-only: `id`, `reason`, `total`, a negative amount as text; WooCommerce
    // REST API v3, "Order - Refunds properties",
    // <https://woocommerce.github.io/woocommerce-rest-api-docs/#order-properties>): what was
    // refunded to the buyer.
    let mut refunded_minor = 0i64;
    for (i, refund) in node["refunds"].as_array().map(Vec::as_slice).unwrap_or_default().iter().enumerate() {
        let amount = money(&refund["total"], &currency, &format!("refund {}", i + 1)).map_err(&reject)?;
        refunded_minor = refunded_minor.saturating_add(amount.abs());
    }
    if refunded_minor > total_minor.max(0) {
        return Err(reject("it was refunded more than its total".into()));
    }
    let shipping_address = parse_address(node).map_err(&reject)?;
    let mut line_items = Vec::new();
    for (i, item) in
        node["line_items"].as_array().ok_or_else(|| reject("line_items is missing".into()))?.iter().enumerate()
    {
        let field = format!("line item {}", i + 1);
        let id = item["id"].as_u64().ok_or_else(|| reject(format!("{field} has no id")))?;
        let quantity = crate::model::check_quantity(&item["quantity"], &field).map_err(&reject)?;
        let unit_price_minor = match &item["price"] {
            Value::Null => {
                // Older stores: the line's subtotal over its quantity, when it divides exactly.
                let subtotal = money(&item["subtotal"], &currency, &field).map_err(&reject)?;
                if subtotal % quantity != 0 {
                    return Err(reject(format!("{field} has no unit price")));
                }
                subtotal / quantity
            }
            price => money(price, &currency, &format!("{field} price")).map_err(&reject)?,
        };
        let variation = item["variation_id"].as_u64().filter(|v| *v > 0);
        let product = item["product_id"].as_u64().filter(|p| *p > 0);
        line_items.push(LineItem {
            remote_id: id.to_string(),
            sku: opt_text(&item["sku"]),
            title: opt_text(&item["name"]).unwrap_or_else(|| "(untitled item)".into()),
            quantity,
            unit_price_minor,
            requires_shipping: true,
            product_ref: match (variation, product) {
                (Some(v), _) => Some(format!("woo:variation:{v}")),
                (None, Some(p)) => Some(format!("woo:product:{p}")),
                _ => None,
            },
            store_product_id: product.map(|p| p.to_string()),
            store_variant_id: variation.map(|v| v.to_string()),
        });
    }
    let billing = &node["billing"];
    let customer = [opt_text(&billing["first_name"]), opt_text(&billing["last_name"])]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    Ok(Order {
        remote_id,
        name: reference.clone(),
        created_at,
        updated_at,
        financial_status: financial_status(&status),
        fulfillment_status: if status == "completed" { "FULFILLED".into() } else { "UNFULFILLED".into() },
        email: opt_text(&billing["email"]),
        customer_name: Some(customer)
            .filter(|c| !c.is_empty())
            .or_else(|| shipping_address.as_ref().and_then(|a| a.name.clone())),
        total_minor,
        refunded_minor,
        currency,
        shipping_address,
        line_items,
        // WooCommerce has no cancellation date: a cancelled or refunded order was so at its last change.
        cancelled_at: matches!(status.as_str(), "cancelled" | "refunded").then_some(updated_at),
        risk: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The order of the WooCommerce REST API docs' "Retrieve an order" example, trimmed to the
    /// fields Dropdock reads (the values are the docs' own).
    fn documented_order() -> Value {
        json!({
            "id": 727, "parent_id": 0, "number": "727", "order_key": "wc_order_58d2d042d1d", "created_via": "rest-api",
            "version": "3.0.0", "status": "processing", "currency": "USD",
            "date_created": "2017-03-22T16:28:02", "date_created_gmt": "2017-03-22T19:28:02",
            "date_modified": "2017-03-22T16:28:08", "date_modified_gmt": "2017-03-22T19:28:08",
            "discount_total": "0.00", "shipping_total": "10.00", "total": "29.35", "total_tax": "1.35",
            "billing": { "first_name": "John", "last_name": "Doe", "company": "", "address_1": "969 Market", "address_2": "",
                         "city": "San Francisco", "state": "CA", "postcode": "94103", "country": "US",
                         "email": "john.doe@example.com", "phone": "(555) 555-5555" },
            "shipping": { "first_name": "John", "last_name": "Doe", "company": "", "address_1": "969 Market", "address_2": "",
                          "city": "San Francisco", "state": "CA", "postcode": "94103", "country": "US" },
            "line_items": [
                { "id": 315, "name": "Woo Single #1", "product_id": 93, "variation_id": 0, "quantity": 2, "tax_class": "",
                  "subtotal": "6.00", "subtotal_tax": "0.45", "total": "6.00", "total_tax": "0.45", "sku": "", "price": 3 },
                { "id": 316, "name": "Ship Your Idea &ndash; Color: Black, Size: M Test", "product_id": 22, "variation_id": 23,
                  "quantity": 1, "tax_class": "", "subtotal": "12.00", "subtotal_tax": "0.90", "total": "12.00",
                  "total_tax": "0.90", "sku": "Bar3", "price": 12 }
            ]
        })
    }

    #[test]
    fn cancelled_and_refunded_orders_are_cancelled_in_the_store() {
        for status in ["cancelled", "refunded"] {
            let mut node = documented_order();
            node["status"] = json!(status);
            let order = parse_order(&node).unwrap();
            assert_eq!(order.cancelled_at, Some(order.updated_at), "{status}");
        }
        assert_eq!(parse_order(&documented_order()).unwrap().cancelled_at, None);
    }

    #[test]
    fn the_documented_order_is_stored_field_for_field() {
        let order = parse_order(&documented_order()).unwrap();
        assert_eq!(order.remote_id, "727");
        assert_eq!(order.name, "#727");
        assert_eq!(order.created_at.to_rfc3339(), "2017-03-22T19:28:02+00:00", "the _gmt dates, as UTC");
        assert_eq!(order.updated_at.to_rfc3339(), "2017-03-22T19:28:08+00:00");
        assert_eq!((order.financial_status.as_str(), order.fulfillment_status.as_str()), ("PAID", "UNFULFILLED"));
        assert_eq!((order.total_minor, order.currency.as_str()), (2935, "USD"));
        assert_eq!(order.email.as_deref(), Some("john.doe@example.com"));
        assert_eq!(order.customer_name.as_deref(), Some("John Doe"));
        let address = order.shipping_address.unwrap();
        assert_eq!(address.name.as_deref(), Some("John Doe"));
        assert_eq!(address.address1, "969 Market");
        assert_eq!(address.address2, None);
        assert_eq!(
            (address.city.as_deref(), address.province.as_deref(), address.zip.as_deref()),
            (Some("San Francisco"), Some("CA"), Some("94103"))
        );
        assert_eq!(address.country_code, "US");
        assert_eq!(address.phone.as_deref(), Some("(555) 555-5555"), "the billing phone when shipping has none");
        let [single, variable] = &order.line_items[..] else { panic!("two line items") };
        assert_eq!(
            (single.remote_id.as_str(), single.sku.as_deref(), single.quantity, single.unit_price_minor),
            ("315", None, 2, 300)
        );
        assert_eq!(single.product_ref.as_deref(), Some("woo:product:93"), "no SKU: mapped by product");
        assert_eq!((variable.sku.as_deref(), variable.unit_price_minor), (Some("Bar3"), 1200));
        assert_eq!(variable.product_ref.as_deref(), Some("woo:variation:23"));
    }

    #[test]
    fn statuses_are_mapped_and_unknown_ones_kept() {
        assert_eq!(financial_status("processing"), "PAID");
        assert_eq!(financial_status("completed"), "PAID");
        assert_eq!(financial_status("on-hold"), "ON-HOLD");
        assert_eq!(financial_status("pending"), "PENDING");
        let mut order = documented_order();
        order["status"] = json!("awaiting-shipment");
        let parsed = parse_order(&order).unwrap();
        assert_eq!(parsed.financial_status, "AWAITING-SHIPMENT", "a plugin's status is kept, not dropped");
        assert!(!parsed.is_paid(), "and never taken for paid");
        order["status"] = json!("completed");
        assert_eq!(parse_order(&order).unwrap().fulfillment_status, "FULFILLED");
    }

    #[test]
    fn money_is_exact_and_bad_orders_give_reasons() {
        let mut order = documented_order();
        order["total"] = json!("0.30");
        order["line_items"][0]["price"] = json!(0.1);
        let parsed = parse_order(&order).unwrap();
        assert_eq!((parsed.total_minor, parsed.line_items[0].unit_price_minor), (30, 10));
        order["total"] = json!("12,50");
        assert!(parse_order(&order).unwrap_err().reason.starts_with("total"));
        let mut order = documented_order();
        order["shipping"]["country"] = json!("XX");
        assert_eq!(parse_order(&order).unwrap_err().reason, "shipping address has an unknown country code 'XX'");
        let mut order = documented_order();
        order["shipping"] = json!({ "address_1": "", "country": "" });
        assert!(parse_order(&order).unwrap().shipping_address.is_none(), "no address: valid, held later");
        let mut order = documented_order();
        order["date_modified_gmt"] = json!("yesterday");
        let err = parse_order(&order).unwrap_err();
        assert_eq!(
            (err.reference.as_str(), err.reason.as_str()),
            ("#727", "date_modified_gmt 'yesterday' is not a date")
        );
    }

    #[test]
    fn modified_after_is_utc_without_offset() {
        let window = SyncWindow {
            updated_since: DateTime::parse_from_rfc3339("2026-11-01T10:00:05+02:00").unwrap().with_timezone(&Utc),
        };
        assert_eq!(modified_after(&window), "2026-11-01T08:00:05");
    }
}
