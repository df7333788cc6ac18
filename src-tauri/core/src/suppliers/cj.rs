//! CJdropshipping API 2.0.
//!
//! Source: developers.cjdropshipping.com, "API 2.0" → 02 Authentication (`getAccessToken`,
//! `refreshAccessToken`), 03 Product (`product/query` by `pid`, `productSku` or `variantSku`;
//! `product/variant/query` by `pid` or `productSku`), Logistics (`freightCalculate`,
//! `trackInfo`), 05 Shopping (<https://developers.cjdropshipping.com/en/api/api2/api/shopping.html>:
//! `createOrderV2`'s request table, `getOrderDetail`, `deleteOrder`, `getBalance`,
//! `payBalance`), and "Appendix 1: Global Error Codes"
//! (<https://developers.cjdropshipping.com/en/api/api2/standard/ps-code.html>). Every reply is
//! wrapped `{code, result, message, data, requestId}`; success is `code == 200`.
//!
//! What the published replies do and this client relies on:
//! - `createOrderV2`'s success example carries empty strings for its amounts, and `orderId` may
//!   be absent: a created order whose id or cost is not in the reply is read back with
//!   `getOrderDetail` by our `orderNumber`, never recorded as paid on a guess.
//! - Orders are `CREATED` / `IN_CART` / `UNPAID` until paid; only `UNSHIPPED`, `SHIPPED` and
//!   `DELIVERED` are paid ([`CjOrderStatus`]).
//! - `getOrderDetail` answers an unknown order with 1600300 (its own page) or 1603100 ("Order
//!   not found" in the global table): both mean not found.
//!
//! Cards: CJ documents no card API. Its site takes cards on its own payment page (`payType` 1
//! returns a `cjPayUrl`), so a CJ account pays from its balance here and the Credit Card tab
//! says so ([`CjClient::tokenize_card`]).

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration as ChronoDuration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{CancelAnswer, CardToken, SearchedVariant, ShippingLine, SupplierVariant, TrackInfo, VariantCheck};
use crate::error::{CoreError, Result};
use crate::money::parse_minor;
use crate::secrets::{supplier_token_key, SecretStore};
use crate::stores::ConnectorError;

mod disputes;

const SERVICE: &str = "CJdropshipping";
/// CJ prices, balances and charges are in US dollars.
pub const CJ_CURRENCY: &str = "USD";
/// Warehouses ship from China unless a line says otherwise.
pub const DEFAULT_FROM_COUNTRY: &str = "CN";

/// A product variant and quantity, as CJ's `products[]` takes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CjProduct {
    pub vid: String,
    pub quantity: i64,
}

/// The sub-order as sent with `createOrderV2`, field by field as its request table names them.
/// Required there: `orderNumber` (≤ 50), `shippingCountryCode`, `shippingCountry` (the country's
/// name, ≤ 50), `shippingProvince`, `shippingCity`, `shippingAddress`, `shippingCustomerName`,
/// `shippingPhone`, `logisticName`, `fromCountryCode`, `products` (`vid`, `quantity`). Optional
/// and sent: `shippingZip` (≤ 20), `shippingAddress2`, `email` (≤ 50), `payType`. Optional and
/// left out on purpose: `shopLogisticsType` and `storageId` (orders shipped on the platform's own
/// logistics, not CJ's lines), `iossType`/`iossNumber` (an EU VAT registration Dropdock does not
/// hold), `platformToken` (a header CJ says may be empty), `houseNumber`, `taxId`, `consigneeID`.
/// Build it with [`CreateOrderRequest::clipped`] so no field is over its documented length.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateOrderRequest {
    /// Our idempotency key: CJ keeps `orderNumber` unique per account.
    pub order_number: String,
    pub shipping_country_code: String,
    /// The destination country's English name (the table's `shippingCountry`).
    pub shipping_country: String,
    pub shipping_province: String,
    pub shipping_city: String,
    pub shipping_zip: String,
    pub shipping_address: String,
    pub shipping_address2: String,
    pub shipping_customer_name: String,
    pub shipping_phone: String,
    pub email: String,
    pub logistic_name: String,
    pub from_country_code: String,
    /// 1 (or absent) = pay on CJ's page (`cjPayUrl`), 2 = pay from the CJ balance at once,
    /// 3 = create only. Dropdock sends 2 or 3.
    pub pay_type: u8,
    pub products: Vec<CjProduct>,
}

impl CreateOrderRequest {
    /// The request with every text field cut to the length CJ's table allows (characters):
    /// 50 for the order number, the country name and the e-mail, 20 for the postal code and the
    /// country code, 200 for the rest.
    pub fn clipped(mut self) -> Self {
        let cut = |s: &mut String, n: usize| {
            if s.chars().count() > n {
                *s = s.chars().take(n).collect();
            }
        };
        cut(&mut self.order_number, 50);
        cut(&mut self.shipping_country, 50);
        cut(&mut self.email, 50);
        cut(&mut self.shipping_zip, 20);
        cut(&mut self.shipping_country_code, 20);
        for field in [
            &mut self.shipping_province,
            &mut self.shipping_city,
            &mut self.shipping_address,
            &mut self.shipping_address2,
            &mut self.shipping_customer_name,
            &mut self.shipping_phone,
            &mut self.logistic_name,
        ] {
            cut(field, 200);
        }
        self
    }
}

/// The English name of a country for `shippingCountry` (ISO 3166-1, from the `isocountry`
/// data); the code itself for one that has none there (Kosovo's user-assigned `XK`).
pub fn country_name(code: &str) -> String {
    match isocountry::CountryCode::for_alpha2(code) {
        Ok(country) => country.name().to_owned(),
        Err(_) if code == "XK" => "Kosovo".to_owned(),
        Err(_) => code.to_owned(),
    }
}

/// An order's state at CJ (`orderStatus`). Only the paid states are paid; a state CJ adds later
/// is kept as it was spelled and counts as neither paid nor payable (fail safe: looked at, not
/// assumed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CjOrderStatus {
    /// Created, not yet in the cart or confirmed (`payType` 3).
    Created,
    /// In CJ's cart, not confirmed.
    InCart,
    /// Confirmed, waiting for payment.
    Unpaid,
    /// Paid, waiting to ship.
    Unshipped,
    Shipped,
    Delivered,
    Cancelled,
    Other(String),
}

impl CjOrderStatus {
    pub fn parse(status: &str) -> Self {
        match status.trim().to_ascii_uppercase().as_str() {
            "CREATED" => Self::Created,
            "IN_CART" => Self::InCart,
            "UNPAID" => Self::Unpaid,
            "UNSHIPPED" => Self::Unshipped,
            "SHIPPED" => Self::Shipped,
            "DELIVERED" => Self::Delivered,
            "CANCELLED" | "CANCELED" => Self::Cancelled,
            other => Self::Other(other.to_owned()),
        }
    }

    /// Paid at CJ: `UNSHIPPED`, `SHIPPED`, `DELIVERED`.
    pub fn is_paid(&self) -> bool {
        matches!(self, Self::Unshipped | Self::Shipped | Self::Delivered)
    }

    /// Created and waiting for its payment: `CREATED`, `IN_CART`, `UNPAID`.
    pub fn awaits_payment(&self) -> bool {
        matches!(self, Self::Created | Self::InCart | Self::Unpaid)
    }

    /// CJ's spelling.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Created => "CREATED",
            Self::InCart => "IN_CART",
            Self::Unpaid => "UNPAID",
            Self::Unshipped => "UNSHIPPED",
            Self::Shipped => "SHIPPED",
            Self::Delivered => "DELIVERED",
            Self::Cancelled => "CANCELLED",
            Self::Other(s) => s,
        }
    }
}

/// What `createOrderV2` answered. CJ's published example leaves the amounts empty and may
/// leave out `orderId`: `None` is "not in the reply", to be read with `getOrderDetail`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedOrder {
    pub supplier_order_id: Option<String>,
    /// What CJ charges (products + postage), US cents.
    pub amount_minor: Option<i64>,
    /// The postage part (`postageAmount`).
    pub shipping_minor: Option<i64>,
    /// `orderStatus`, when the reply has one.
    pub status: Option<CjOrderStatus>,
}

/// What `getOrderDetail` tells about an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplierOrderDetail {
    pub supplier_order_id: String,
    pub order_number: String,
    /// CJ's `orderStatus`.
    pub status: CjOrderStatus,
    /// `None` until CJ has a tracking number.
    pub track_number: Option<String>,
    pub logistic_name: Option<String>,
    pub amount_minor: Option<i64>,
    /// The postage part (`postageAmount`), when CJ says.
    pub shipping_minor: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CachedToken {
    access_token: String,
    expires_at: DateTime<Utc>,
    /// CJ's refresh token (about 180 days): exchanged for a new access token before the old one
    /// expires, without getAccessToken's once-per-5-minutes limit. Absent in tokens cached by
    /// older versions.
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    refresh_expires_at: Option<DateTime<Utc>>,
}

/// A client for one CJ account. The API key and the access token come from the keychain; the
/// token is fetched with `getAccessToken` only when none is cached or it is about to expire
/// (CJ allows that call once per 5 minutes).
pub struct CjClient {
    http: reqwest::Client,
    base: String,
    api_key: String,
    supplier_id: i64,
    secrets: Arc<dyn SecretStore>,
    token: Mutex<Option<CachedToken>>,
    /// CJ's per-account rate limit (governor, a GCRA limiter): every call waits for its turn, so
    /// a burst of orders is spread out instead of being refused.
    limiter: governor::DefaultDirectRateLimiter,
}

impl CjClient {
    /// `base_url` is the API root ending in `/api2.0/v1` (or a loopback server's).
    /// `requests_per_second` is the account's API rate limit (1 on CJ's free level).
    pub fn new(
        http: reqwest::Client,
        base_url: &str,
        api_key: String,
        supplier_id: i64,
        secrets: Arc<dyn SecretStore>,
        requests_per_second: u32,
    ) -> Self {
        let rate = std::num::NonZeroU32::new(requests_per_second).unwrap_or(std::num::NonZeroU32::MIN);
        Self {
            http,
            base: base_url.trim_end_matches('/').to_owned(),
            api_key,
            supplier_id,
            secrets,
            token: Mutex::new(None),
            limiter: governor::RateLimiter::direct(governor::Quota::per_second(rate)),
        }
    }

    async fn access_token(&self) -> Result<String> {
        let soon = Utc::now() + ChronoDuration::hours(1);
        if let Some(t) = self.token.lock().expect("token lock").as_ref().filter(|t| t.expires_at > soon) {
            return Ok(t.access_token.clone());
        }
        let key = supplier_token_key(self.supplier_id);
        let mut refresh: Option<String> = None;
        if let Some(stored) = self.secrets.get(&key)? {
            if let Ok(t) = serde_json::from_str::<CachedToken>(&stored) {
                if t.expires_at > soon {
                    let token = t.access_token.clone();
                    *self.token.lock().expect("token lock") = Some(t);
                    return Ok(token);
                }
                refresh = t.refresh_token.filter(|_| t.refresh_expires_at.is_some_and(|e| e > Utc::now()));
            }
        }
        // Before it expires, the token is renewed with the refresh token; getAccessToken (once per
        // 5 minutes) only when there is none or CJ refuses it.
        let refreshed = match refresh {
            Some(refresh_token) => {
                match self
                    .call(
                        reqwest::Method::POST,
                        "authentication/refreshAccessToken",
                        None,
                        &[],
                        Some(json!({ "refreshToken": refresh_token })),
                    )
                    .await
                {
                    Ok(data) => Some(data),
                    Err(CoreError::Connector(ConnectorError::Auth(_))) => None,
                    Err(e) => return Err(e),
                }
            }
            None => None,
        };
        let data = match refreshed {
            Some(data) => data,
            None => {
                self.call(
                    reqwest::Method::POST,
                    "authentication/getAccessToken",
                    None,
                    &[],
                    Some(json!({ "apiKey": self.api_key })),
                )
                .await?
            }
        };
        let access_token = data["accessToken"]
            .as_str()
            .filter(|t| !t.is_empty())
            .ok_or_else(|| malformed("getAccessToken returned no accessToken"))?;
        let date = |field: &str| {
            data[field].as_str().and_then(|s| DateTime::parse_from_rfc3339(s).ok()).map(|t| t.with_timezone(&Utc))
        };
        let cached = CachedToken {
            access_token: access_token.to_owned(),
            expires_at: date("accessTokenExpiryDate").unwrap_or_else(|| Utc::now() + ChronoDuration::days(14)),
            refresh_token: data["refreshToken"].as_str().filter(|t| !t.is_empty()).map(str::to_owned),
            refresh_expires_at: date("refreshTokenExpiryDate"),
        };
        self.secrets.set(&key, &serde_json::to_string(&cached).expect("token serialises"))?;
        *self.token.lock().expect("token lock") = Some(cached);
        Ok(access_token.to_owned())
    }

    /// One API call; returns the envelope's `data`. `token` is `None` only for getAccessToken.
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        query: &[(&str, &str)],
        body: Option<Value>,
    ) -> Result<Value> {
        self.limiter.until_ready().await;
        let mut request = self.http.request(method, format!("{}/{}", self.base, path)).query(query);
        if let Some(token) = token {
            request = request.header("CJ-Access-Token", token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.map_err(|e| ConnectorError::from_transport(SERVICE, &e))?;
        let status = response.status();
        if status == reqwest::StatusCode::NOT_FOUND {
            return Err(CoreError::Connector(ConnectorError::Remote {
                service: SERVICE.into(),
                code: Some(404),
                message: format!("this account does not offer {path}"),
            }));
        }
        let text = response.text().await.map_err(|e| ConnectorError::from_transport(SERVICE, &e))?;
        let envelope: Value =
            serde_json::from_str(&text).map_err(|_| malformed(&format!("HTTP {status}, body is not JSON")))?;
        let code = envelope["code"].as_i64().ok_or_else(|| malformed("reply has no numeric code"))?;
        if code != 200 {
            let message = envelope["message"].as_str().unwrap_or("no message").to_owned();
            return Err(CoreError::Connector(error_for_code(code, message)));
        }
        Ok(envelope["data"].clone())
    }

    /// A call with the access token; on an auth error the cached token is dropped and the call
    /// is made once more with a fresh one.
    pub(super) async fn authed(
        &self,
        method: reqwest::Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<Value>,
    ) -> Result<Value> {
        let token = self.access_token().await?;
        match self.call(method.clone(), path, Some(&token), query, body.clone()).await {
            Err(CoreError::Connector(ConnectorError::Auth(_))) => {
                *self.token.lock().expect("token lock") = None;
                self.secrets.delete(&supplier_token_key(self.supplier_id))?;
                let token = self.access_token().await?;
                self.call(method, path, Some(&token), query, body).await
            }
            other => other,
        }
    }

    /// Checks the credentials by fetching (or reusing) an access token.
    pub async fn verify(&self) -> Result<()> {
        self.access_token().await.map(|_| ())
    }

    /// The logistics lines for sending `products` to `country_code`, cheapest first.
    pub async fn shipping_lines(
        &self,
        country_code: &str,
        zip: &str,
        products: &[CjProduct],
    ) -> Result<Vec<ShippingLine>> {
        let body = json!({ "startCountryCode": DEFAULT_FROM_COUNTRY, "endCountryCode": country_code, "zip": zip, "products": products });
        let data = self.authed(reqwest::Method::POST, "logistic/freightCalculate", &[], Some(body)).await?;
        let mut lines = Vec::new();
        for line in data.as_array().ok_or_else(|| malformed("freightCalculate data is not a list"))? {
            let name =
                line["logisticName"].as_str().ok_or_else(|| malformed("a logistics line has no logisticName"))?;
            let price = number_text(&line["logisticPrice"])
                .ok_or_else(|| malformed("a logistics line has no logisticPrice"))?;
            lines.push(ShippingLine {
                name: name.to_owned(),
                price_minor: parse_minor(&price, CJ_CURRENCY).map_err(|e| malformed(&format!("logisticPrice {e}")))?,
                aging: line["logisticAging"].as_str().unwrap_or("").to_owned(),
            });
        }
        lines.sort_by_key(|l| l.price_minor);
        Ok(lines)
    }

    /// Creates (and with `pay_type` 2, pays) an order. CJ keeps `orderNumber` unique (a second
    /// create is its error 1603003), so the caller looks an order up by that number before any
    /// resend. The reply's id and amounts may be missing or empty (see [`CreatedOrder`]).
    pub async fn create_order(&self, request: &CreateOrderRequest) -> Result<CreatedOrder> {
        let body = serde_json::to_value(request.clone().clipped()).expect("request serialises");
        let data = self.authed(reqwest::Method::POST, "shopping/order/createOrderV2", &[], Some(body)).await?;
        Ok(parse_created(&data))
    }

    /// The order by CJ's id or by our order number; `None` when CJ does not know it.
    pub async fn order_detail(&self, id_or_number: &str) -> Result<Option<SupplierOrderDetail>> {
        let query = [("orderId", id_or_number)];
        let data = match self.authed(reqwest::Method::GET, "shopping/order/getOrderDetail", &query, None).await {
            Err(CoreError::Connector(ConnectorError::Remote { code: Some(code), .. }))
                if ORDER_NOT_FOUND.contains(&code) =>
            {
                return Ok(None)
            }
            other => other?,
        };
        if data.is_null() {
            return Ok(None);
        }
        let text = |k: &str| data[k].as_str().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        Ok(Some(SupplierOrderDetail {
            supplier_order_id: text("orderId").ok_or_else(|| malformed("getOrderDetail returned no orderId"))?,
            order_number: text("orderNum").or_else(|| text("orderNumber")).unwrap_or_default(),
            status: CjOrderStatus::parse(&text("orderStatus").unwrap_or_else(|| "UNKNOWN".into())),
            track_number: text("trackNumber"),
            logistic_name: text("logisticName"),
            amount_minor: number_text(&data["orderAmount"]).and_then(|a| parse_minor(&a, CJ_CURRENCY).ok()),
            shipping_minor: number_text(&data["postageAmount"]).and_then(|a| parse_minor(&a, CJ_CURRENCY).ok()),
        }))
    }

    /// Pays an order created with `payType` 3 from the wallet (`POST shopping/pay/payBalance
    /// {orderId}`). Errors: 1604000 (the balance is short) and 1603101 (payment failed) with
    /// their documented meaning. The caller pays only an order CJ shows awaiting payment.
    pub async fn pay_balance(&self, supplier_order_id: &str) -> Result<()> {
        let body = json!({ "orderId": supplier_order_id });
        self.authed(reqwest::Method::POST, "shopping/pay/payBalance", &[], Some(body)).await.map(|_| ())
    }

    /// The carrier of a tracking number (`GET logistic/trackInfo?trackNumber=`): the last-mile
    /// carrier when CJ names one, else its line. `None` when CJ has nothing on the number yet.
    pub async fn track_info(&self, track_number: &str) -> Result<Option<TrackInfo>> {
        let data =
            match self.authed(reqwest::Method::GET, "logistic/trackInfo", &[("trackNumber", track_number)], None).await
            {
                Err(CoreError::Connector(ConnectorError::Remote { code: Some(code), .. }))
                    if code == CODE_ILLEGAL_PARAMETER || code == 404 =>
                {
                    return Ok(None)
                }
                other => other?,
            };
        let entry = match &data {
            Value::Array(list) => list.iter().find(|e| e["trackingNumber"] == track_number).or(list.first()),
            Value::Object(_) => Some(&data),
            _ => None,
        };
        let Some(entry) = entry else { return Ok(None) };
        let text = |k: &str| entry[k].as_str().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        Ok(Some(TrackInfo {
            carrier: text("lastMileCarrier").or_else(|| text("logisticName")),
            status: text("trackingStatus"),
        }))
    }

    /// CJ documents no card API: its site takes a card on its own payment page (createOrderV2
    /// with `payType` 1 answers a `cjPayUrl`). Dropdock therefore never sends a card number to
    /// CJ; the Credit Card tab shows this error, and CJ orders are paid from My Wallet.
    pub async fn tokenize_card(&self, _card: &crate::fulfillment::payment_card::CheckedCard) -> Result<CardToken> {
        Err(CoreError::InvalidInput(CARDS_UNSUPPORTED.into()))
    }

    /// Never called for CJ (see [`Self::tokenize_card`]); kept so a card already on file from an
    /// older version gets the same clear error instead of a charge.
    pub async fn pay_with_card(&self, _supplier_order_id: &str, _card_token: &str) -> Result<i64> {
        Err(CoreError::InvalidInput(CARDS_UNSUPPORTED.into()))
    }

    /// Asks CJ to cancel an order (`DELETE shopping/order/deleteOrder?orderId=`). A refusal (the
    /// order is being processed or has shipped) is an answer, not an error; an order CJ does not
    /// know counts as cancelled.
    pub async fn cancel_order(&self, supplier_order_id: &str) -> Result<CancelAnswer> {
        let query = [("orderId", supplier_order_id)];
        match self.authed(reqwest::Method::DELETE, "shopping/order/deleteOrder", &query, None).await {
            Ok(_) => Ok(CancelAnswer::Cancelled),
            Err(CoreError::Connector(ConnectorError::Remote { code: Some(CODE_ORDER_NOT_FOUND), .. })) => {
                Ok(CancelAnswer::Cancelled)
            }
            Err(CoreError::Connector(ConnectorError::Remote { code: Some(code), message, .. }))
                if code == CODE_CANNOT_CANCEL =>
            {
                Ok(CancelAnswer::Refused(message))
            }
            Err(e) => Err(e),
        }
    }

    /// The variants CJ sells under `sku`, for mapping a store SKU: first as a variant SKU
    /// (`GET product/query?variantSku=`, the product with its variants, of which those whose
    /// `variantSku` is `sku`), else as a product SKU (`GET product/variant/query?productSku=`,
    /// every variant of that product). Empty when CJ sells nothing under it.
    pub async fn variants_by_sku(&self, sku: &str) -> Result<Vec<SupplierVariant>> {
        let sku = sku.trim();
        if sku.is_empty() {
            return Ok(Vec::new());
        }
        let product = self.lookup(reqwest::Method::GET, "product/query", &[("variantSku", sku)]).await?;
        let mut found: Vec<SupplierVariant> = match &product {
            Value::Object(p) => p
                .get("variants")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|v| v["variantSku"].as_str().is_some_and(|s| s.trim().eq_ignore_ascii_case(sku)))
                .map(|v| parse_variant(v, &product))
                .collect::<Result<_>>()?,
            _ => Vec::new(),
        };
        if found.is_empty() {
            let variants = self.lookup(reqwest::Method::GET, "product/variant/query", &[("productSku", sku)]).await?;
            found = match &variants {
                Value::Array(list) => list.iter().map(|v| parse_variant(v, &Value::Null)).collect::<Result<_>>()?,
                Value::Null => Vec::new(),
                _ => return Err(malformed("variant/query data is not a list")),
            };
        }
        Ok(found)
    }

    /// What a merchant typed in the supplier search, in this order: a CJ product URL (its
    /// `…-p-{pid}.html` tail) or a product id → `product/variant/query?pid=`; a SKU →
    /// [`Self::variants_by_sku`]; else keywords → `product/list?productNameEn=` (page 1, CJ's
    /// documented list), each product's variants by its `pid`. At most `limit` variants, each with
    /// its stock and warehouses ([`Self::stock`]; a stock that cannot be read is left unknown).
    /// Source: 03 Product (<https://developers.cjdropshipping.com/en/api/api2/api/product.html>):
    /// 1.2 Product List, 1.3 Product Details, 2.1 Variant query, 3.1 Inventory by variant.
    pub async fn search_variants(&self, query: &str, limit: usize) -> Result<Vec<SearchedVariant>> {
        let query = query.trim();
        if query.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let mut found = match product_id_in(query) {
            Some(pid) => self.variants_of_product(&pid).await?,
            None => Vec::new(),
        };
        if found.is_empty() && !query.contains(char::is_whitespace) {
            found = self.variants_by_sku(query).await?;
        }
        if found.is_empty() {
            let list = self
                .lookup(
                    reqwest::Method::GET,
                    "product/list",
                    &[("productNameEn", query), ("pageNum", "1"), ("pageSize", "10")],
                )
                .await?;
            let pids: Vec<String> = list["list"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| p["pid"].as_str().map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned))
                .collect();
            for pid in pids {
                if found.len() >= limit {
                    break;
                }
                found.extend(self.variants_of_product(&pid).await?);
            }
        }
        found.truncate(limit);
        let mut out = Vec::with_capacity(found.len());
        for variant in found {
            let (stock, ships_from) = match self.stock(&variant.vid).await {
                Ok(Some((stock, from))) => (Some(stock), from),
                Ok(None) => (Some(0), Vec::new()),
                Err(e) if e.is_unreachable() => return Err(e),
                Err(e) => {
                    tracing::warn!(vid = %variant.vid, error = %e, "CJ stock unreadable");
                    (None, Vec::new())
                }
            };
            out.push(SearchedVariant { variant, stock, ships_from });
        }
        Ok(out)
    }

    /// A product's variants (`product/variant/query?pid=`); an unknown product has none.
    async fn variants_of_product(&self, pid: &str) -> Result<Vec<SupplierVariant>> {
        match self.lookup(reqwest::Method::GET, "product/variant/query", &[("pid", pid)]).await? {
            Value::Array(list) => list.iter().map(|v| parse_variant(v, &json!({ "pid": pid }))).collect(),
            Value::Null => Ok(Vec::new()),
            _ => Err(malformed("variant/query data is not a list")),
        }
    }

    /// `GET product/stock/queryByVid?vid=` (03 Product, inventory by variant): `data` is a list
    /// of warehouses, each `{vid, areaId, areaEn, countryCode, totalInventoryNum, cjInventoryNum,
    /// factoryInventoryNum}`. The stock is the sum of `totalInventoryNum` (a warehouse that gives
    /// only `storageNum` counts that); the warehouses holding any are where it ships from.
    /// `Ok(None)`: CJ does not know the variant (its "variant not found" code, or no data).
    /// A count that is not a whole number of at least zero is unreadable, never read as stock.
    pub async fn stock(&self, vid: &str) -> Result<Option<(i64, Vec<String>)>> {
        let data = self.lookup(reqwest::Method::GET, "product/stock/queryByVid", &[("vid", vid)]).await?;
        let warehouses = match &data {
            Value::Null => return Ok(None),
            Value::Array(list) => list,
            _ => return Err(malformed("stock/queryByVid data is not a list")),
        };
        let mut total: i64 = 0;
        let mut from: Vec<String> = Vec::new();
        for w in warehouses {
            let count = [&w["totalInventoryNum"], &w["storageNum"]]
                .into_iter()
                .find(|v| !v.is_null())
                .map(|v| match v {
                    Value::Number(n) => n.as_i64().filter(|n| *n >= 0),
                    Value::String(s) => s.trim().parse::<i64>().ok().filter(|n| *n >= 0),
                    _ => None,
                })
                .unwrap_or(Some(0))
                .ok_or_else(|| malformed("a warehouse's totalInventoryNum is not a count"))?;
            total = total.saturating_add(count);
            let country = w["countryCode"].as_str().map(str::trim).unwrap_or_default().to_ascii_uppercase();
            if count > 0 && !country.is_empty() && !from.contains(&country) {
                from.push(country);
            }
        }
        Ok(Some((total, from)))
    }

    /// The check before sending: [`Self::stock`], and the variant's price now from
    /// `GET product/variant/queryByVid?vid=` (`variantSellPrice`, USD). A variant CJ no longer
    /// knows (1602000, or no data) is not found: discontinued.
    pub async fn variant_check(&self, vid: &str) -> Result<VariantCheck> {
        let variant = self.lookup(reqwest::Method::GET, "product/variant/queryByVid", &[("vid", vid)]).await?;
        let price_minor = match &variant {
            Value::Null => return Ok(VariantCheck { found: false, stock: None, price_minor: None }),
            Value::Object(_) => Some(parse_variant(&variant, &Value::Null)?.price_minor),
            _ => return Err(malformed("variant/queryByVid data is not a variant")),
        };
        let stock = match self.stock(vid).await? {
            Some((stock, _)) => Some(stock),
            None => return Ok(VariantCheck { found: false, stock: None, price_minor }),
        };
        Ok(VariantCheck { found: true, stock, price_minor })
    }

    /// A catalogue read whose "not found" codes (1602000 variant, 1602001 product) are `Null`.
    async fn lookup(&self, method: reqwest::Method, path: &str, query: &[(&str, &str)]) -> Result<Value> {
        match self.authed(method, path, query, None).await {
            Err(CoreError::Connector(ConnectorError::Remote { code: Some(code), .. }))
                if code == CODE_VARIANT_NOT_FOUND || code == CODE_PRODUCT_NOT_FOUND =>
            {
                Ok(Value::Null)
            }
            other => other,
        }
    }

    /// The embedded sandbox only (`POST sandbox/recharge {amount}`; CJ has no recharge API, a
    /// real wallet is recharged on CJ's site): adds `amount_minor` US cents, returns the balance.
    pub async fn sandbox_recharge(&self, amount_minor: i64) -> Result<i64> {
        let body = json!({ "amount": crate::money::format_minor(amount_minor, CJ_CURRENCY) });
        let data = self.authed(reqwest::Method::POST, "sandbox/recharge", &[], Some(body)).await?;
        let amount = number_text(&data["amount"]).ok_or_else(|| malformed("sandbox/recharge returned no amount"))?;
        parse_minor(&amount, CJ_CURRENCY).map_err(|e| malformed(&format!("balance {e}")))
    }

    /// The wallet balance available for orders, in US cents.
    pub async fn balance(&self) -> Result<i64> {
        let data = self.authed(reqwest::Method::GET, "shopping/pay/getBalance", &[], None).await?;
        let amount = number_text(&data["amount"]).ok_or_else(|| malformed("getBalance returned no amount"))?;
        parse_minor(&amount, CJ_CURRENCY).map_err(|e| malformed(&format!("balance {e}")))
    }
}

impl From<&CjOrderStatus> for super::SupplierOrderStatus {
    /// CJ's `CREATED`, `IN_CART` and `UNPAID` await payment; `UNSHIPPED` is paid.
    fn from(status: &CjOrderStatus) -> Self {
        use super::SupplierOrderStatus as S;
        match status {
            CjOrderStatus::Created | CjOrderStatus::InCart | CjOrderStatus::Unpaid => S::AwaitingPayment,
            CjOrderStatus::Unshipped => S::Paid,
            CjOrderStatus::Shipped => S::Shipped,
            CjOrderStatus::Delivered => S::Delivered,
            CjOrderStatus::Cancelled => S::Cancelled,
            CjOrderStatus::Other(s) => S::Other(s.clone()),
        }
    }
}

/// `createOrderV2`'s request for a sub-order: the address field by field as its table names
/// them, our key as `orderNumber`, `payType` 2 (pay from the balance at once) when
/// `pay_now`, else 3 (create only).
fn request_for(order: &super::NewSupplierOrder) -> CreateOrderRequest {
    let a = &order.address;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    CreateOrderRequest {
        order_number: order.key.clone(),
        shipping_country_code: a.country_code.clone(),
        shipping_country: country_name(&a.country_code),
        shipping_province: text(&a.province),
        shipping_city: text(&a.city),
        shipping_zip: text(&a.zip),
        shipping_address: a.address1.clone(),
        shipping_address2: text(&a.address2),
        shipping_customer_name: text(&a.name),
        shipping_phone: text(&a.phone),
        email: text(&order.email),
        logistic_name: order.shipping_line.clone(),
        from_country_code: DEFAULT_FROM_COUNTRY.to_owned(),
        pay_type: if order.pay_now { 2 } else { 3 },
        products: order.items.iter().map(|i| CjProduct { vid: i.variant_id.clone(), quantity: i.quantity }).collect(),
    }
}

/// CJ behind the neutral connector: its strings and codes stay here.
#[async_trait::async_trait]
impl super::SupplierConnector for CjClient {
    fn platform(&self) -> super::SupplierPlatform {
        super::SupplierPlatform::Cj
    }

    /// One authenticated read (`getBalance`): a cached access token alone proves nothing about
    /// the account now.
    async fn verify(&self) -> Result<()> {
        CjClient::balance(self).await.map(|_| ())
    }

    async fn shipping_lines(
        &self,
        to: &crate::model::Address,
        items: &[super::SupplierItem],
    ) -> Result<Vec<ShippingLine>> {
        let products: Vec<CjProduct> =
            items.iter().map(|i| CjProduct { vid: i.variant_id.clone(), quantity: i.quantity }).collect();
        CjClient::shipping_lines(self, &to.country_code, to.zip.as_deref().unwrap_or(""), &products).await
    }

    /// CJ's 1603003 (an order with this `orderNumber` exists) is `Ok(None)`.
    async fn create_order(&self, order: &super::NewSupplierOrder) -> Result<Option<super::CreatedOrder>> {
        match CjClient::create_order(self, &request_for(order)).await {
            Err(CoreError::Connector(ConnectorError::Remote { code: Some(CODE_ORDER_EXISTS), .. })) => Ok(None),
            Err(e) => Err(e),
            Ok(created) => Ok(Some(super::CreatedOrder {
                supplier_order_id: created.supplier_order_id,
                amount_minor: created.amount_minor,
                shipping_minor: created.shipping_minor,
                status: created.status.as_ref().map(Into::into),
            })),
        }
    }

    async fn order_detail(&self, id_or_key: &str) -> Result<Option<super::SupplierOrder>> {
        Ok(CjClient::order_detail(self, id_or_key).await?.map(|d| super::SupplierOrder {
            status: (&d.status).into(),
            platform_status: d.status.as_str().to_owned(),
            supplier_order_id: d.supplier_order_id,
            key: d.order_number,
            track_number: d.track_number,
            carrier: d.logistic_name,
            amount_minor: d.amount_minor,
            shipping_minor: d.shipping_minor,
        }))
    }

    async fn pay(&self, supplier_order_id: &str) -> Result<()> {
        self.pay_balance(supplier_order_id).await
    }

    async fn tokenize_card(&self, card: &crate::fulfillment::payment_card::CheckedCard) -> Result<CardToken> {
        CjClient::tokenize_card(self, card).await
    }

    async fn pay_with_card(&self, supplier_order_id: &str, card_token: &str) -> Result<i64> {
        CjClient::pay_with_card(self, supplier_order_id, card_token).await
    }

    async fn cancel_order(&self, supplier_order_id: &str) -> Result<CancelAnswer> {
        CjClient::cancel_order(self, supplier_order_id).await
    }

    async fn track_info(&self, track_number: &str) -> Result<Option<TrackInfo>> {
        CjClient::track_info(self, track_number).await
    }

    async fn variants_by_sku(&self, sku: &str) -> Result<Vec<SupplierVariant>> {
        CjClient::variants_by_sku(self, sku).await
    }

    async fn search_variants(&self, query: &str, limit: usize) -> Result<Vec<SearchedVariant>> {
        CjClient::search_variants(self, query, limit).await
    }

    async fn variant_check(&self, vid: &str) -> Result<Option<VariantCheck>> {
        CjClient::variant_check(self, vid).await.map(Some)
    }

    async fn balance(&self) -> Result<Option<i64>> {
        CjClient::balance(self).await.map(Some)
    }

    async fn dispute_quote(
        &self,
        supplier_order_id: &str,
        items: &[super::SupplierItem],
    ) -> Result<super::DisputeQuote> {
        CjClient::dispute_quote(self, supplier_order_id, items).await
    }
    async fn create_dispute(&self, dispute: &super::NewDispute) -> Result<()> {
        CjClient::create_dispute(self, dispute).await
    }
    async fn disputes_of(&self, supplier_order_id: &str) -> Result<Vec<super::SupplierDispute>> {
        CjClient::disputes_of(self, supplier_order_id).await
    }
    async fn cancel_dispute(&self, supplier_order_id: &str, dispute_id: &str) -> Result<()> {
        CjClient::cancel_dispute(self, supplier_order_id, dispute_id).await
    }
    async fn sandbox_recharge(&self, amount_minor: i64) -> Result<i64> {
        CjClient::sandbox_recharge(self, amount_minor).await
    }
}

/// What a merchant reads when a CJ account is asked to take a card.
const CARDS_UNSUPPORTED: &str = "CJdropshipping takes cards only on its own payment page, not through its API: Dropdock pays CJ orders from My Wallet (recharge it on CJ's site, by card if you like)";

/// `getOrderDetail`'s "order not found": 1600300 on its own page, 1603100 in the global table.
pub const ORDER_NOT_FOUND: [i64; 2] = [CODE_ILLEGAL_PARAMETER, CODE_ORDER_NOT_FOUND];
/// "Illegal parameter" (global table); `getOrderDetail`'s page uses it for an unknown order.
pub const CODE_ILLEGAL_PARAMETER: i64 = 1_600_300;
/// "Order not found, Please check the CJ order id".
pub const CODE_ORDER_NOT_FOUND: i64 = 1_603_100;
/// createOrderV2: an order with this `orderNumber` exists already.
pub const CODE_ORDER_EXISTS: i64 = 1_603_003;
/// "Order delete fail": deleteOrder refused (the order is being processed or has shipped).
pub const CODE_CANNOT_CANCEL: i64 = 1_603_002;
/// "Variant not found" and "Product not found".
pub const CODE_VARIANT_NOT_FOUND: i64 = 1_602_000;
pub const CODE_PRODUCT_NOT_FOUND: i64 = 1_602_001;

/// What a merchant should read for CJ's numeric codes, from "Appendix 1: Global Error Codes"
/// (each code with its documented meaning; CJ asks callers to act on the code, not the message,
/// which may change) and the codes the endpoint pages add (1600100 "Param error" in their error
/// examples, 1603003 for a duplicate `orderNumber`, 1605001 an invalid logistics line). `None`:
/// CJ's own message is shown with its code.
fn message_for_code(code: i64) -> Option<&'static str> {
    Some(match code {
        1_600_000 => "CJdropshipping is busy; Dropdock will try again later",
        1_600_001 => "the access token is not valid: Dropdock gets a new one",
        1_600_002 => "no access token was sent",
        1_600_003 => "the refresh token is not valid: Dropdock signs in again with the API key",
        1_600_004 | 1_600_008 => "authorisation failed: check the CJ account's e-mail and API key",
        1_600_005 => "the API key is wrong: copy it again from CJ's developer page",
        1_600_006 => "no CJ developer account has this API key",
        1_600_007 => "this CJ account is bound to another developer account",
        1_600_030 | 1_600_031 => "the token is no longer valid: reconnect the CJ account",
        1_600_100 => "a parameter is missing or invalid",
        1_600_101 => "CJdropshipping has no such interface",
        1_600_200 => "too many requests to CJdropshipping; Dropdock slows down and tries again",
        1_600_201 => "this CJ account's API quota is used up; Dropdock tries again later",
        CODE_ILLEGAL_PARAMETER => "CJdropshipping found an illegal parameter, or has no such order",
        1_601_000 => "CJdropshipping has no such user: check the account's e-mail",
        CODE_VARIANT_NOT_FOUND => "a product variant is unknown at CJdropshipping: check the mapping",
        CODE_PRODUCT_NOT_FOUND => "the product is unknown or offline at CJdropshipping",
        1_603_000 => "CJdropshipping could not create the order",
        1_603_001 => "CJdropshipping could not confirm the order",
        CODE_CANNOT_CANCEL => "CJdropshipping could not delete the order: it is being processed or has shipped",
        CODE_ORDER_EXISTS => "CJdropshipping already has an order with this number",
        CODE_ORDER_NOT_FOUND => "CJdropshipping has no such order",
        1_603_101 => "CJdropshipping could not take the payment",
        1_604_000 => "My Wallet at CJdropshipping is short for this order: recharge it in Finance → My Wallet",
        1_605_000 => "CJdropshipping does not know this shipping line",
        1_605_001 => "the shipping line is not valid for this order: choose another default shipping method",
        _ => return None,
    })
}

/// Maps CJ's numeric error codes to errors a merchant can act on: credential codes ask to
/// reconnect (a bad token is renewed first, see `authed`), limit and quota codes are throttling,
/// the rest carry the documented meaning beside CJ's own message.
fn error_for_code(code: i64, message: String) -> ConnectorError {
    match code {
        1_600_001..=1_600_008 | 1_600_030 | 1_600_031 | 1_601_000 | 401 | 403 if code != 1_600_007 => {
            ConnectorError::Auth(match message_for_code(code) {
                Some(clear) => format!("CJdropshipping account ({clear})"),
                None => "CJdropshipping account".into(),
            })
        }
        429 | 1_600_200 | 1_600_201 => ConnectorError::Throttled(match code {
            1_600_201 => format!("{SERVICE} (the account's quota is used up)"),
            _ => SERVICE.into(),
        }),
        _ => ConnectorError::Remote {
            service: SERVICE.into(),
            code: Some(code),
            message: match message_for_code(code) {
                Some(clear) if message.trim().is_empty() || message == clear => clear.to_owned(),
                Some(clear) => format!("{clear} (CJ: {})", crate::money::clip(&message)),
                None => crate::money::clip(&message),
            },
        },
    }
}

/// A `createOrderV2` reply's `data`: the created order, or the order id alone (older replies
/// carry it as a bare string). Empty strings are "not said".
fn parse_created(data: &Value) -> CreatedOrder {
    if let Some(id) = data.as_str().map(str::trim).filter(|s| !s.is_empty()) {
        return CreatedOrder {
            supplier_order_id: Some(id.to_owned()),
            amount_minor: None,
            shipping_minor: None,
            status: None,
        };
    }
    let money = |k: &str| number_text(&data[k]).and_then(|a| parse_minor(&a, CJ_CURRENCY).ok());
    CreatedOrder {
        supplier_order_id: data["orderId"].as_str().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned),
        amount_minor: money("orderAmount"),
        shipping_minor: money("postageAmount"),
        status: data["orderStatus"].as_str().filter(|s| !s.trim().is_empty()).map(CjOrderStatus::parse),
    }
}

/// A variant of `product/query`'s `variants` or `product/variant/query`'s list; `product` gives
/// the `pid` when the variant does not.
fn parse_variant(v: &Value, product: &Value) -> Result<SupplierVariant> {
    let text = |k: &str| v[k].as_str().map(str::trim).unwrap_or_default().to_owned();
    let price = number_text(&v["variantSellPrice"]).ok_or_else(|| malformed("a variant has no variantSellPrice"))?;
    let vid = text("vid");
    if vid.is_empty() {
        return Err(malformed("a variant has no vid"));
    }
    let pid = Some(text("pid")).filter(|p| !p.is_empty()).or_else(|| product["pid"].as_str().map(str::to_owned));
    Ok(SupplierVariant {
        vid,
        pid: pid.unwrap_or_default(),
        variant_sku: text("variantSku"),
        name: Some(text("variantNameEn")).filter(|n| !n.is_empty()).unwrap_or_else(|| text("variantName")),
        price_minor: parse_minor(&price, CJ_CURRENCY).map_err(|e| malformed(&format!("variantSellPrice {e}")))?,
    })
}

/// The product id in what a merchant typed: a CJ product page URL ends `…-p-{pid}.html`
/// (the id CJ's API calls `pid`); a bare id is digits, or a UUID as CJ's older products have.
fn product_id_in(query: &str) -> Option<String> {
    if query.contains("cjdropshipping.com/") {
        let path = query.split(['?', '#']).next().unwrap_or(query);
        let tail = path.rsplit_once("-p-").map(|(_, t)| t)?;
        let pid = tail.trim_end_matches('/').trim_end_matches(".html");
        return (!pid.is_empty() && pid.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
            .then(|| pid.to_owned());
    }
    let digits = query.len() >= 10 && query.bytes().all(|b| b.is_ascii_digit());
    let uuid = query.len() == 36 && query.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
    (digits || uuid).then(|| query.to_owned())
}

fn malformed(detail: &str) -> CoreError {
    CoreError::Connector(ConnectorError::Malformed { service: SERVICE.into(), detail: detail.to_owned() })
}

/// CJ sends money as JSON numbers or strings; both become decimal text.
fn number_text(v: &Value) -> Option<String> {
    match v {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_product_url_or_id_names_the_product() {
        let url = "https://cjdropshipping.com/product/ceramic-mug-white-p-1424608189734850560.html?from=search";
        assert_eq!(product_id_in(url).as_deref(), Some("1424608189734850560"));
        assert_eq!(product_id_in("1424608189734850560").as_deref(), Some("1424608189734850560"));
        let uuid = "2A3D8B0C-6E1F-4B2A-9C3D-1E2F3A4B5C6D";
        assert_eq!(product_id_in(uuid).as_deref(), Some(uuid));
        // A SKU or words are not ids.
        assert_eq!(product_id_in("DD-MUG-WHT"), None);
        assert_eq!(product_id_in("ceramic mug"), None);
        assert_eq!(product_id_in("https://cjdropshipping.com/search?q=mug"), None);
    }

    #[test]
    fn aging_range_gives_the_slowest_day() {
        let line = ShippingLine { name: "x".into(), price_minor: 1, aging: "7-12".into() };
        assert_eq!(line.max_days(), 12);
        assert_eq!(ShippingLine { aging: "".into(), ..line }.max_days(), u32::MAX);
    }

    #[test]
    fn error_codes_carry_their_documented_meaning() {
        // Credentials: reconnect (after one fresh token, see `authed`).
        for code in [1_600_001, 1_600_003, 1_600_005, 1_601_000] {
            assert!(matches!(error_for_code(code, "x".into()), ConnectorError::Auth(_)), "{code}");
        }
        // Rate and quota limits are throttling, not failures.
        for code in [1_600_200, 1_600_201] {
            assert!(matches!(error_for_code(code, "limit".into()), ConnectorError::Throttled(_)), "{code}");
        }
        let said = |code: i64| error_for_code(code, "CJ's words".into()).to_string();
        assert_eq!(
            said(1_604_000),
            "CJdropshipping error 1604000: My Wallet at CJdropshipping is short for this order: recharge it in Finance → My Wallet (CJ: CJ's words)"
        );
        assert!(said(1_605_001).contains("shipping line is not valid"), "1605001 is Logistic invalid, not a card");
        assert!(said(CODE_ORDER_NOT_FOUND).contains("has no such order"), "1603100 is Order not found");
        assert!(said(1_603_101).contains("could not take the payment"));
        assert!(said(CODE_ORDER_EXISTS).contains("already has an order with this number"));
        assert!(said(1_600_100).contains("parameter is missing or invalid"));
        // A code without a sentence of ours keeps CJ's message.
        assert_eq!(error_for_code(1_609_999, "Odd".into()).to_string(), "CJdropshipping error 1609999: Odd");
    }

    #[test]
    fn the_published_create_reply_with_empty_amounts_is_read_as_unknown() {
        // createOrderV2's success example: amounts are empty strings; orderId may be absent.
        let published = json!({
            "orderNumber": "1234", "shipmentOrderId": "", "cjPayUrl": "",
            "productAmount": "", "postageAmount": "", "productOriginalAmount": "", "postageOriginalAmount": "",
            "totalDiscountAmount": "", "actualPayment": "", "orderAmount": ""
        });
        let created = parse_created(&published);
        assert_eq!(
            created,
            CreatedOrder { supplier_order_id: None, amount_minor: None, shipping_minor: None, status: None }
        );
        // The older reply: the order id alone, as a string.
        assert_eq!(
            parse_created(&json!("210711100018655344")).supplier_order_id.as_deref(),
            Some("210711100018655344")
        );
        // A full reply is read whole.
        let full = parse_created(
            &json!({ "orderId": "CJ1", "orderAmount": 12.5, "postageAmount": "3.20", "orderStatus": "UNSHIPPED" }),
        );
        assert_eq!(
            full,
            CreatedOrder {
                supplier_order_id: Some("CJ1".into()),
                amount_minor: Some(1250),
                shipping_minor: Some(320),
                status: Some(CjOrderStatus::Unshipped)
            }
        );
    }

    #[test]
    fn only_paid_states_are_paid() {
        for s in ["CREATED", "IN_CART", "UNPAID"] {
            let status = CjOrderStatus::parse(s);
            assert!(!status.is_paid() && status.awaits_payment(), "{s}");
        }
        for s in ["UNSHIPPED", "SHIPPED", "DELIVERED"] {
            assert!(CjOrderStatus::parse(s).is_paid(), "{s}");
        }
        let odd = CjOrderStatus::parse("PENDING_REVIEW");
        assert!(!odd.is_paid() && !odd.awaits_payment(), "a state CJ adds later is neither");
        assert_eq!(odd.as_str(), "PENDING_REVIEW");
        assert_eq!(CjOrderStatus::parse("CANCELLED"), CjOrderStatus::Cancelled);
    }

    /// Behind the neutral connector CJ's states keep their meaning: what awaits payment, what
    /// is paid, and a state CJ adds later stays neither (never assumed paid).
    #[test]
    fn cj_states_keep_their_meaning_in_neutral_terms() {
        use crate::suppliers::SupplierOrderStatus as S;
        for (cj, neutral) in [
            ("CREATED", S::AwaitingPayment),
            ("IN_CART", S::AwaitingPayment),
            ("UNPAID", S::AwaitingPayment),
            ("UNSHIPPED", S::Paid),
            ("SHIPPED", S::Shipped),
            ("DELIVERED", S::Delivered),
            ("CANCELLED", S::Cancelled),
        ] {
            let status = CjOrderStatus::parse(cj);
            let mapped = S::from(&status);
            assert_eq!(mapped, neutral, "{cj}");
            assert_eq!(
                (mapped.is_paid(), mapped.awaits_payment()),
                (status.is_paid(), status.awaits_payment()),
                "{cj}"
            );
        }
        let odd = S::from(&CjOrderStatus::parse("PENDING_REVIEW"));
        assert!(!odd.is_paid() && !odd.awaits_payment(), "{odd:?}");
    }

    /// A sub-order becomes CJ's createOrderV2 request: our key as `orderNumber`, `payType` 2
    /// only when paying on create, the address field by field.
    #[test]
    fn a_new_sub_order_becomes_cj_s_request() {
        let order = crate::suppliers::NewSupplierOrder {
            key: "DD1-1001-S2".into(),
            address: crate::model::Address {
                name: Some("Ana Núñez".into()),
                address1: "Calle 1".into(),
                address2: None,
                city: Some("Madrid".into()),
                province: None,
                zip: Some("28001".into()),
                country_code: "ES".into(),
                phone: None,
            },
            email: None,
            shipping_line: "CJPacket Ordinary".into(),
            items: vec![crate::suppliers::SupplierItem { variant_id: "V1".into(), quantity: 2 }],
            pay_now: true,
        };
        let request = request_for(&order);
        assert_eq!(
            (
                request.order_number.as_str(),
                request.pay_type,
                request.shipping_country.as_str(),
                request.products[0].vid.as_str()
            ),
            ("DD1-1001-S2", 2, "Spain", "V1")
        );
        assert_eq!(request_for(&crate::suppliers::NewSupplierOrder { pay_now: false, ..order }).pay_type, 3);
    }

    #[test]
    fn the_request_has_every_required_field_of_the_table_within_its_length() {
        let request = CreateOrderRequest {
            order_number: "DD1-5550001-S2".into(),
            shipping_country_code: "US".into(),
            shipping_country: country_name("US"),
            shipping_province: "Texas".into(),
            shipping_city: "Austin".into(),
            shipping_zip: "78701-123456789012345".into(),
            shipping_address: "1 Main St".into(),
            shipping_address2: String::new(),
            shipping_customer_name: "A".repeat(300),
            shipping_phone: "+1 555 0100".into(),
            email: String::new(),
            logistic_name: "YunExpress Standard".into(),
            from_country_code: "CN".into(),
            pay_type: 2,
            products: vec![CjProduct { vid: "VID-1".into(), quantity: 2 }],
        }
        .clipped();
        let body = serde_json::to_value(&request).unwrap();
        for field in [
            "orderNumber",
            "shippingCountryCode",
            "shippingCountry",
            "shippingProvince",
            "shippingCity",
            "shippingAddress",
            "shippingCustomerName",
            "shippingPhone",
            "logisticName",
            "fromCountryCode",
            "products",
        ] {
            assert!(!body[field].is_null(), "{field} is sent");
        }
        assert_eq!(body["shippingCountry"], "United States of America");
        assert_eq!(body["shippingZip"].as_str().unwrap().len(), 20);
        assert_eq!(body["shippingCustomerName"].as_str().unwrap().chars().count(), 200);
        assert_eq!(body["products"][0], json!({ "vid": "VID-1", "quantity": 2 }));
        assert!(body.get("shopLogisticsType").is_none() && body.get("iossType").is_none());
        assert_eq!(country_name("XK"), "Kosovo");
    }

    #[test]
    fn variants_read_from_product_query_take_the_products_pid() {
        let product = json!({ "pid": "P1", "variants": [{ "vid": "V1", "variantSku": "S-1", "variantNameEn": "Red", "variantSellPrice": "2.30" }] });
        let v = parse_variant(&product["variants"][0], &product).unwrap();
        assert_eq!((v.pid.as_str(), v.vid.as_str(), v.price_minor), ("P1", "V1", 230));
        assert!(parse_variant(&json!({ "vid": "", "variantSellPrice": 1 }), &Value::Null).is_err());
    }
}
