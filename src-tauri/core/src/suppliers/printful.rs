//! Printful, API v2 (2.0.0-beta), as a [`SupplierConnector`].
//!
//! Source: Printful's OpenAPI document "API Documentation v2 | Printful", version 2.0.0-beta
//! (<https://developers.printful.com/docs/v2-beta/>): operations `createOrder`
//! (`POST /v2/orders`), `getOrder` (`GET /v2/orders/{order_id}`), `confirmOrder`
//! (`POST /v2/orders/{order_id}/confirmation`), `deleteOrder` (`DELETE /v2/orders/{order_id}`),
//! `getShipments` (`GET /v2/orders/{order_id}/shipments`), `calculateShppingRates`
//! (`POST /v2/shipping-rates`), `getVariantById` (`GET /v2/catalog-variants/{id}`) and
//! `getVariantPricesById` (`GET /v2/catalog-variants/{id}/prices`), the `X-PF-Store-Id` header
//! parameter, the schemas `Order`, `Address`, `Costs`, `Shipment` and `WebhookShipmentData`, and
//! the sections "Errors" and "Are there any changes to API Rate Limits?".
//!
//! What the document says and this client relies on:
//! - Authentication is a private token (`Authorization: Bearer`); `X-PF-Store-Id` is "required
//!   only for account level token", so it is sent when the merchant gave a store.
//! - A new order is a `draft` (nothing is charged); `confirmOrder` "confirm[s] the order and
//!   start[s] the fulfillment", charging the merchant's billing method on Printful. It takes no
//!   body. Every order endpoint takes "Order ID (integer) or Order External ID (string prepended
//!   with "@" symbol)": our idempotency key is the order's `external_id`, so after a lost reply
//!   the order is found with `GET /v2/orders/@{key}`, never created twice.
//! - Order `status`: `draft`, `failed`, `pending` (submitted), `canceled`, `onhold`,
//!   `inprocess`, `partial`, `fulfilled`. Only `pending`, `inprocess`, `partial` and
//!   `fulfilled` count as paid; `failed` and `onhold` are neither paid nor payable (looked at by
//!   the merchant, never assumed).
//! - Money is "a string with up to 2 decimal points"; `Costs` members are nullable (the costs
//!   may still be calculating): an order without a `total` is read back, never recorded as
//!   paid on a guess.
//! - `DELETE` deletes an order only while it is `draft`, `failed` or `cancelled` and not charged
//!   (409 otherwise): a confirmed order cannot be cancelled through the API.
//! - Tracking: v2's `Shipment` carries `carrier`, `service`, `shipment_status`,
//!   `delivery_status` and `tracking_url`, but **no tracking number**. The document gives the
//!   number only in the `shipment_sent` webhook payload (`WebhookShipmentData.tracking_number`),
//!   which a desktop app cannot receive (it has no public address). The number is therefore read
//!   from the last path segment or `tracking`/`tracking_number`/`trackingNumber`/`tLabels` query
//!   parameter of `tracking_url` when the URL carries it; a shipment whose URL does not is
//!   reported without a number (the tracking URL is still the merchant's link) rather than
//!   guessed.
//! - Errors come in two shapes: RFC 9457 problem details (`{type, status, title, detail}`) and,
//!   for the operations the document lists as "not supporting this format yet" (every order
//!   operation among them), `{code, result, error: {reason, message}}`. Both are read.
//! - Rate limit: 120 requests a minute by default (leaky bucket, `X-Ratelimit-*` headers);
//!   calls are paced at that rate and a 429 is retried after its `Retry-After`.

use std::time::Duration;

use async_trait::async_trait;
use serde_json::{json, Map, Value};
use zeroize::Zeroizing;

use super::{
    CancelAnswer, CardToken, CreatedOrder, NewSupplierOrder, SearchedVariant, ShippingLine, SupplierConnector,
    SupplierItem, SupplierOrder, SupplierOrderStatus, SupplierPlatform, SupplierVariant, TrackInfo, VariantCheck,
};
use crate::error::{CoreError, Result};
use crate::model::Address;
use crate::money::parse_minor;
use crate::stores::ConnectorError;

const SERVICE: &str = "Printful";
/// Dropdock's ledger and My Wallet are in US dollars: rates and costs are asked for in USD, and
/// a reply in another currency is refused rather than mixed in.
pub const PRINTFUL_CURRENCY: &str = "USD";
/// The documented default: 120 requests a minute.
pub const DEFAULT_REQUESTS_PER_MINUTE: u32 = 120;
/// How many times a call refused with 429 is sent again (a 429 was not performed, so resending
/// even a write is safe).
const THROTTLE_RETRIES: usize = 3;
/// The longest `Retry-After` honoured within a call.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// What a merchant reads when a Printful account is asked for a balance or a card.
const NO_BALANCE: &str =
    "Printful has no balance: orders are charged to your Printful billing method when they are confirmed";
const NO_CARD_API: &str =
    "Printful charges the billing method set on your Printful account: Dropdock never sends it a card";

/// One Printful account (a private token, and the store when the token spans several).
pub struct PrintfulClient {
    http: reqwest::Client,
    base: String,
    token: Zeroizing<String>,
    store_id: Option<String>,
    limiter: governor::DefaultDirectRateLimiter,
}

impl PrintfulClient {
    /// `base` is `https://api.printful.com` (or the sandbox); `requests_per_minute` is the
    /// account's limit (0 is taken as 1).
    pub fn new(
        http: reqwest::Client,
        base: &str,
        token: String,
        store_id: Option<String>,
        requests_per_minute: u32,
    ) -> PrintfulClient {
        let rate = std::num::NonZeroU32::new(requests_per_minute.max(1)).expect("at least 1");
        PrintfulClient {
            http,
            base: base.trim_end_matches('/').to_owned(),
            token: Zeroizing::new(token),
            store_id: store_id.filter(|s| !s.trim().is_empty()),
            limiter: governor::RateLimiter::direct(governor::Quota::per_minute(rate)),
        }
    }

    /// One call, retried after a 429 (`Retry-After`, at most [`MAX_RETRY_AFTER`]) up to
    /// [`THROTTLE_RETRIES`] times with backon. Returns the body (`Null` for 204).
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<&Value>) -> Result<Value> {
        use backon::Retryable;
        let backoff =
            backon::ConstantBuilder::default().with_delay(Duration::from_secs(1)).with_max_times(THROTTLE_RETRIES);
        let result = (|| self.call_once(method.clone(), path, body))
            .retry(backoff)
            .when(|e| matches!(e, ConnectorError::Busy { status: 429, .. }))
            .adjust(|e, delay| match e {
                ConnectorError::Busy { retry_after: Some(after), .. } => delay.map(|_| (*after).min(MAX_RETRY_AFTER)),
                _ => delay,
            })
            .notify(|e, delay| tracing::info!(error = %e, ?delay, "Printful throttled the call; waiting"))
            .await;
        match result {
            Err(ConnectorError::Busy { status: 429, .. }) => Err(ConnectorError::Throttled(SERVICE.into()).into()),
            other => other.map_err(CoreError::Connector),
        }
    }

    async fn call_once(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> std::result::Result<Value, ConnectorError> {
        self.limiter.until_ready().await;
        let mut request = self.http.request(method, format!("{}{path}", self.base)).bearer_auth(self.token.as_str());
        if let Some(store) = &self.store_id {
            request = request.header("X-PF-Store-Id", store);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(|e| ConnectorError::from_transport(SERVICE, &e))?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let text = response.text().await.map_err(|e| ConnectorError::from_transport(SERVICE, &e))?;
        if status.is_success() {
            if text.trim().is_empty() {
                return Ok(Value::Null);
            }
            return serde_json::from_str(&text).map_err(|_| ConnectorError::Malformed {
                service: SERVICE.into(),
                detail: format!("HTTP {status}, body is not JSON"),
            });
        }
        let message = error_message(&text).unwrap_or_else(|| format!("HTTP {}", status.as_u16()));
        Err(match status.as_u16() {
            401 | 403 => ConnectorError::Auth(format!("{SERVICE} token ({message})")),
            429 => ConnectorError::Busy { service: SERVICE.into(), status: 429, retry_after },
            code @ 500..=599 => ConnectorError::Busy { service: SERVICE.into(), status: code, retry_after },
            code => ConnectorError::Remote { service: SERVICE.into(), code: Some(code as i64), message },
        })
    }

    /// `Ok(None)` for a 404 (the resource does not exist).
    async fn get_optional(&self, path: &str) -> Result<Option<Value>> {
        match self.call(reqwest::Method::GET, path, None).await {
            Err(CoreError::Connector(ConnectorError::Remote { code: Some(404), .. })) => Ok(None),
            other => other.map(Some),
        }
    }

    /// The order by Printful's id (digits) or by our key (`@` + external id).
    async fn order(&self, id_or_key: &str) -> Result<Option<Value>> {
        let reference = order_reference(id_or_key);
        Ok(self.get_optional(&format!("/v2/orders/{reference}")).await?.map(|v| v["data"].clone()))
    }
}

/// The path segment of an order: its id when all digits, else `@` + our external id
/// (percent-encoded: an external id is free text).
fn order_reference(id_or_key: &str) -> String {
    let id = id_or_key.trim();
    if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
        id.to_owned()
    } else {
        let encoded: String = id
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect();
        format!("@{encoded}")
    }
}

/// The message of either documented error shape: RFC 9457's `detail` (or `title`), or the older
/// `error.message` / `result`.
fn error_message(text: &str) -> Option<String> {
    let v: Value = serde_json::from_str(text).ok()?;
    let pick = |x: &Value| x.as_str().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    pick(&v["detail"])
        .or_else(|| pick(&v["error"]["message"]))
        .or_else(|| pick(&v["result"]))
        .or_else(|| pick(&v["title"]))
        .map(|m| m.chars().take(300).collect())
}

fn malformed(detail: impl Into<String>) -> CoreError {
    CoreError::Connector(ConnectorError::Malformed { service: SERVICE.into(), detail: detail.into() })
}

/// A documented money string (`"13.60"`) in minor units; `None` for null, absent or empty.
fn money(v: &Value) -> Result<Option<i64>> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => parse_minor(s, PRINTFUL_CURRENCY).map(Some).map_err(|e| malformed(format!("amount {e}"))),
        Value::Number(n) => {
            parse_minor(&n.to_string(), PRINTFUL_CURRENCY).map(Some).map_err(|e| malformed(format!("amount {e}")))
        }
        _ => Err(malformed("an amount is neither a string nor a number")),
    }
}

/// The order's costs must be in USD when they are there (see [`PRINTFUL_CURRENCY`]).
fn check_currency(costs: &Value) -> Result<()> {
    match costs["currency"].as_str().map(str::trim) {
        None | Some("") => Ok(()),
        Some(c) if c.eq_ignore_ascii_case(PRINTFUL_CURRENCY) => Ok(()),
        Some(other) => Err(malformed(format!("costs are in {other}, not {PRINTFUL_CURRENCY}"))),
    }
}

/// The documented order statuses in neutral terms.
pub fn status_of(status: &str) -> SupplierOrderStatus {
    match status.trim().to_ascii_lowercase().as_str() {
        "draft" => SupplierOrderStatus::AwaitingPayment,
        "pending" | "inprocess" => SupplierOrderStatus::Paid,
        "partial" | "fulfilled" => SupplierOrderStatus::Shipped,
        "canceled" | "cancelled" => SupplierOrderStatus::Cancelled,
        other => SupplierOrderStatus::Other(other.to_owned()),
    }
}

/// An order id as text: the document types it as an integer; a string is taken as it is.
fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => None,
    }
}

/// The recipient as `Address` documents it: strings, each left out when Dropdock has no value
/// (never `null`, never invented).
fn recipient(a: &Address, email: Option<&str>) -> Value {
    let mut r = Map::new();
    let mut put = |key: &str, value: Option<&str>| {
        if let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) {
            r.insert(key.to_owned(), Value::String(v.to_owned()));
        }
    };
    put("name", a.name.as_deref());
    put("address1", Some(a.address1.as_str()));
    put("address2", a.address2.as_deref());
    put("city", a.city.as_deref());
    put("state_code", a.province.as_deref());
    put("country_code", Some(a.country_code.as_str()));
    put("zip", a.zip.as_deref());
    put("phone", a.phone.as_deref());
    put("email", email);
    Value::Object(r)
}

/// Catalog items (`source: catalog`): the variant id is the catalog variant's integer id.
fn catalog_items(items: &[SupplierItem]) -> Result<Vec<Value>> {
    items
        .iter()
        .map(|i| {
            let id: i64 = i.variant_id.trim().parse().map_err(|_| {
                CoreError::InvalidInput(format!(
                    "'{}' is not a Printful catalog variant id (a number): map the SKU to a Printful variant",
                    i.variant_id
                ))
            })?;
            Ok(json!({ "source": "catalog", "catalog_variant_id": id, "quantity": i.quantity }))
        })
        .collect()
}

/// A tracking number carried by a tracking URL, if it carries one (see the module's notes).
pub fn number_in_tracking_url(url: &str) -> Option<String> {
    let parsed = reqwest::Url::parse(url.trim().trim_start_matches('\u{200b}')).ok()?;
    for (key, value) in parsed.query_pairs() {
        if ["tracking", "tracking_number", "trackingnumber", "tlabels", "tracknum"]
            .contains(&key.to_ascii_lowercase().as_str())
        {
            let v = value.trim();
            if !v.is_empty() {
                return Some(v.to_owned());
            }
        }
    }
    let last = parsed.path_segments()?.rfind(|s| !s.is_empty())?.to_owned();
    // A carrier's number: letters and digits, long enough not to be a page name.
    (last.len() >= 8 && last.chars().all(|c| c.is_ascii_alphanumeric()) && last.chars().any(|c| c.is_ascii_digit()))
        .then_some(last)
}

#[async_trait]
impl SupplierConnector for PrintfulClient {
    fn platform(&self) -> SupplierPlatform {
        SupplierPlatform::Printful
    }

    /// One authenticated read: the token's scopes (`GET /v2/oauth-scopes`).
    async fn verify(&self) -> Result<()> {
        self.call(reqwest::Method::GET, "/v2/oauth-scopes", None).await.map(|_| ())
    }

    /// `POST /v2/shipping-rates` in USD: each `shipping` method id becomes a line (sent back as
    /// the order's `shipping`), its `rate` the postage, `min_delivery_days`-`max_delivery_days`
    /// the aging when present ("may not be present", says the document).
    async fn shipping_lines(&self, to: &Address, items: &[SupplierItem]) -> Result<Vec<ShippingLine>> {
        let mut address = recipient(to, None);
        if let Value::Object(a) = &mut address {
            for key in ["name", "phone"] {
                a.remove(key);
            }
        }
        let body = json!({ "recipient": address, "order_items": catalog_items(items)?, "currency": PRINTFUL_CURRENCY });
        let reply = self.call(reqwest::Method::POST, "/v2/shipping-rates", Some(&body)).await?;
        let rates = reply["data"].as_array().ok_or_else(|| malformed("shipping-rates data is not a list"))?;
        let mut lines = Vec::new();
        for rate in rates {
            let Some(name) = rate["shipping"].as_str().filter(|s| !s.trim().is_empty()) else {
                return Err(malformed("a shipping rate has no shipping method id"));
            };
            if rate["currency"].as_str().is_some_and(|c| !c.eq_ignore_ascii_case(PRINTFUL_CURRENCY)) {
                continue;
            }
            let Some(price_minor) = money(&rate["rate"])? else { continue };
            let aging = match (rate["min_delivery_days"].as_u64(), rate["max_delivery_days"].as_u64()) {
                (Some(min), Some(max)) => format!("{min}-{max}"),
                (None, Some(max)) => max.to_string(),
                _ => String::new(),
            };
            lines.push(ShippingLine { name: name.trim().to_owned(), price_minor, aging });
        }
        lines.sort_by_key(|l| l.price_minor);
        Ok(lines)
    }

    /// `POST /v2/orders` as a draft with our key as `external_id` (never `confirm`: payment is
    /// [`Self::pay`]). A refusal (4xx) is first checked against `GET /v2/orders/@{key}`: an
    /// order already holding our key is `Ok(None)`, to be looked up, never created twice.
    async fn create_order(&self, order: &NewSupplierOrder) -> Result<Option<CreatedOrder>> {
        let body = json!({
            "external_id": order.key,
            "shipping": order.shipping_line,
            "recipient": recipient(&order.address, order.email.as_deref()),
            "order_items": catalog_items(&order.items)?,
        });
        let reply = match self.call(reqwest::Method::POST, "/v2/orders", Some(&body)).await {
            Err(CoreError::Connector(ConnectorError::Remote { code: Some(code), message, service }))
                if (400..500).contains(&code) =>
            {
                if self.order(&order.key).await?.is_some() {
                    return Ok(None);
                }
                return Err(CoreError::Connector(ConnectorError::Remote { service, code: Some(code), message }));
            }
            other => other?,
        };
        let data = &reply["data"];
        check_currency(&data["costs"])?;
        Ok(Some(CreatedOrder {
            supplier_order_id: id_text(&data["id"]),
            amount_minor: money(&data["costs"]["total"])?,
            shipping_minor: money(&data["costs"]["shipping"])?,
            status: data["status"].as_str().map(status_of),
        }))
    }

    /// `GET /v2/orders/{id}` or `/v2/orders/@{key}`; once shipping has started, its shipments
    /// (`GET /v2/orders/{id}/shipments`) give the carrier, the tracking URL (and from it the
    /// number, see the module's notes) and whether every parcel is delivered.
    async fn order_detail(&self, id_or_key: &str) -> Result<Option<SupplierOrder>> {
        let Some(data) = self.order(id_or_key).await? else { return Ok(None) };
        let supplier_order_id = id_text(&data["id"]).ok_or_else(|| malformed("an order has no id"))?;
        let platform_status = data["status"].as_str().unwrap_or("unknown").trim().to_owned();
        let mut status = status_of(&platform_status);
        check_currency(&data["costs"])?;
        let (mut track_number, mut carrier) = (None, None);
        if status == SupplierOrderStatus::Shipped {
            let reply =
                self.call(reqwest::Method::GET, &format!("/v2/orders/{supplier_order_id}/shipments"), None).await?;
            let shipments = reply["data"].as_array().cloned().unwrap_or_default();
            let sent: Vec<&Value> = shipments
                .iter()
                .filter(|s| {
                    !matches!(s["shipment_status"].as_str(), Some("canceled" | "returned" | "onhold" | "pending"))
                })
                .collect();
            if let Some(first) = sent.first() {
                carrier = first["carrier"].as_str().or(first["service"].as_str()).map(str::to_owned);
                track_number = first["tracking_url"].as_str().and_then(number_in_tracking_url);
            }
            let fulfilled = platform_status.eq_ignore_ascii_case("fulfilled");
            if fulfilled && !sent.is_empty() && sent.iter().all(|s| s["delivery_status"] == "delivered") {
                status = SupplierOrderStatus::Delivered;
            }
        }
        Ok(Some(SupplierOrder {
            key: data["external_id"].as_str().unwrap_or_default().to_owned(),
            status,
            platform_status,
            track_number,
            carrier,
            amount_minor: money(&data["costs"]["total"])?,
            shipping_minor: money(&data["costs"]["shipping"])?,
            supplier_order_id,
        }))
    }

    /// `POST /v2/orders/{id}/confirmation`, no body: charges the billing method on Printful.
    async fn pay(&self, supplier_order_id: &str) -> Result<()> {
        let path = format!("/v2/orders/{}/confirmation", order_reference(supplier_order_id));
        self.call(reqwest::Method::POST, &path, None).await.map(|_| ())
    }

    async fn tokenize_card(&self, _card: &crate::fulfillment::payment_card::CheckedCard) -> Result<CardToken> {
        Err(CoreError::InvalidInput(NO_CARD_API.into()))
    }

    async fn pay_with_card(&self, _supplier_order_id: &str, _card_token: &str) -> Result<i64> {
        Err(CoreError::InvalidInput(NO_CARD_API.into()))
    }

    /// `DELETE /v2/orders/{id}`: 204 is cancelled (deleted), 404 counts as cancelled, 409 (or
    /// another refusal) is the platform's answer: a confirmed order is not cancelled here.
    async fn cancel_order(&self, supplier_order_id: &str) -> Result<CancelAnswer> {
        let path = format!("/v2/orders/{}", order_reference(supplier_order_id));
        match self.call(reqwest::Method::DELETE, &path, None).await {
            Ok(_) => Ok(CancelAnswer::Cancelled),
            Err(CoreError::Connector(ConnectorError::Remote { code: Some(404), .. })) => Ok(CancelAnswer::Cancelled),
            Err(CoreError::Connector(ConnectorError::Remote { code: Some(code), message, .. }))
                if (400..500).contains(&code) =>
            {
                Ok(CancelAnswer::Refused(message))
            }
            Err(e) => Err(e),
        }
    }

    /// Printful documents no lookup by tracking number: the carrier comes with the shipment.
    async fn track_info(&self, _track_number: &str) -> Result<Option<TrackInfo>> {
        Ok(None)
    }

    /// Printful's catalogue has no SKU search: a SKU that is a catalog variant id is looked up
    /// (`GET /v2/catalog-variants/{id}` and its `/prices`); anything else finds nothing.
    async fn variants_by_sku(&self, sku: &str) -> Result<Vec<SupplierVariant>> {
        let id = sku.trim();
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(Vec::new());
        }
        let Some(variant) = self.get_optional(&format!("/v2/catalog-variants/{id}")).await? else {
            return Ok(Vec::new());
        };
        let v = &variant["data"];
        let prices =
            self.get_optional(&format!("/v2/catalog-variants/{id}/prices?currency={PRINTFUL_CURRENCY}")).await?;
        let price_minor = prices
            .as_ref()
            .map(|p| {
                check_currency(&p["data"])?;
                // The variant's first technique price: what the merchant pays for one.
                let price = &p["data"]["variant"]["techniques"][0];
                Ok::<_, CoreError>(money(&price["discounted_price"])?.or(money(&price["price"])?))
            })
            .transpose()?
            .flatten()
            .unwrap_or(0);
        Ok(vec![SupplierVariant {
            vid: id_text(&v["id"]).unwrap_or_else(|| id.to_owned()),
            pid: id_text(&v["catalog_product_id"]).unwrap_or_default(),
            variant_sku: id.to_owned(),
            name: v["name"].as_str().unwrap_or_default().to_owned(),
            price_minor,
        }])
    }

    /// A catalog variant id, looked up as [`Self::variants_by_sku`] does; Printful prints on
    /// demand and its catalogue shows no stock count, so none is given.
    async fn search_variants(&self, query: &str, limit: usize) -> Result<Vec<SearchedVariant>> {
        let found = SupplierConnector::variants_by_sku(self, query).await?;
        Ok(found
            .into_iter()
            .take(limit)
            .map(|variant| SearchedVariant { variant, stock: None, ships_from: Vec::new() })
            .collect())
    }

    /// Not checked: Printful prints on demand (no stock to run out of) and reprices in the order
    /// confirmation itself; the order's estimate is read when it is created.
    async fn variant_check(&self, _vid: &str) -> Result<Option<VariantCheck>> {
        Ok(None)
    }

    /// None: Printful charges the billing method; there is no balance to read or reconcile.
    async fn balance(&self) -> Result<Option<i64>> {
        Ok(None)
    }

    async fn sandbox_recharge(&self, _amount_minor: i64) -> Result<i64> {
        Err(CoreError::InvalidInput(NO_BALANCE.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_submitted_orders_count_as_paid() {
        for s in ["pending", "inprocess", "partial", "fulfilled"] {
            assert!(status_of(s).is_paid(), "{s}");
        }
        assert!(status_of("draft").awaits_payment());
        for s in ["failed", "onhold", "something_new"] {
            let status = status_of(s);
            assert!(!status.is_paid() && !status.awaits_payment(), "{s}: looked at, never assumed");
        }
        assert_eq!(status_of("canceled"), SupplierOrderStatus::Cancelled);
    }

    #[test]
    fn an_order_is_addressed_by_id_or_by_our_key() {
        assert_eq!(order_reference("123"), "123");
        assert_eq!(order_reference("DD1-1001-S2"), "@DD1-1001-S2");
        assert_eq!(order_reference("DD1 #1/2"), "@DD1%20%231%2F2");
    }

    #[test]
    fn the_recipient_leaves_out_what_is_missing_and_never_sends_null() {
        let a = Address {
            name: Some("Ana Núñez".into()),
            address1: "Calle 1".into(),
            city: Some("Madrid".into()),
            zip: Some(" ".into()),
            country_code: "ES".into(),
            ..Default::default()
        };
        let r = recipient(&a, None);
        assert_eq!(r, json!({ "name": "Ana Núñez", "address1": "Calle 1", "city": "Madrid", "country_code": "ES" }));
    }

    #[test]
    fn both_documented_error_shapes_are_read() {
        assert_eq!(error_message(r#"{"type":"x","status":404,"title":"Not Found","detail":"The resource that you tried to access does not exist."}"#).unwrap(), "The resource that you tried to access does not exist.");
        assert_eq!(
            error_message(r#"{"code":404,"result":"Not found","error":{"reason":"NotFound","message":"Not found"}}"#)
                .unwrap(),
            "Not found"
        );
        assert_eq!(error_message("<html>"), None);
    }

    #[test]
    fn a_tracking_number_is_read_from_the_url_only_when_it_is_there() {
        assert_eq!(
            number_in_tracking_url("https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111899223817612345")
                .as_deref(),
            Some("9400111899223817612345")
        );
        assert_eq!(
            number_in_tracking_url("\u{200b}https://myorders.com/tracking/39925631").as_deref(),
            Some("39925631")
        );
        assert_eq!(number_in_tracking_url("https://www.printful.com/dashboard"), None);
    }

    #[test]
    fn money_strings_and_nulls() {
        assert_eq!(money(&json!("13.60")).unwrap(), Some(1360));
        assert_eq!(money(&json!(null)).unwrap(), None);
        assert_eq!(money(&json!("")).unwrap(), None);
        assert!(money(&json!("12,50")).is_err());
        assert!(check_currency(&json!({ "currency": "EUR" })).is_err());
    }
}
