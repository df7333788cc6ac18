//! CJdropshipping API 2.0.
//!
//! Source: developers.cjdropshipping.com, "API 2.0" → Authentication (`getAccessToken`,
//! `refreshAccessToken`), Product (`variant/query`), Logistics (`freightCalculate`), Shopping
//! (`createOrderV2`, `getOrderDetail`, `deleteOrder`, `getBalance`, `payBalance`), and
//! "Appendix 1: Global Error Codes". Every reply is wrapped `{code, result, message, data,
//! requestId}`; success is `code == 200`.
//!
//! Cards: CJ documents no API for a card on file (its site takes cards through Stripe). Dropdock
//! speaks a tokenize-then-charge pair, `shopping/pay/tokenizeCard` and `shopping/pay/payWithCard`,
//! shaped like `payBalance`; the embedded sandbox implements it, and an account that does not
//! (HTTP 404) gets a clear "pay from My Wallet" error.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration as ChronoDuration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::error::{CoreError, Result};
use crate::money::parse_minor;
use crate::secrets::{supplier_token_key, SecretStore};
use crate::stores::ConnectorError;

const SERVICE: &str = "CJdropshipping";
/// CJ prices, balances and charges are in US dollars.
pub const CJ_CURRENCY: &str = "USD";
/// Warehouses ship from China unless a line says otherwise.
pub const DEFAULT_FROM_COUNTRY: &str = "CN";

/// A logistics line CJ offers for a destination (`freightCalculate`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ShippingLine {
    /// CJ's `logisticName`, e.g. `CJPacket Ordinary`; sent back as-is in `createOrderV2`.
    pub name: String,
    /// Postage in US cents.
    pub price_minor: i64,
    /// Delivery time in days as CJ gives it, e.g. `"7-12"`.
    pub aging: String,
}

impl ShippingLine {
    /// The slowest delivery day of the aging range, for "fastest line" comparisons.
    pub fn max_days(&self) -> u32 {
        self.aging.rsplit('-').next().and_then(|d| d.trim().parse().ok()).unwrap_or(u32::MAX)
    }
}

/// A product variant and quantity, as CJ's `products[]` takes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CjProduct {
    pub vid: String,
    pub quantity: i64,
}

/// The sub-order as sent with `createOrderV2`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateOrderRequest {
    /// Our idempotency key: CJ keeps `orderNumber` unique per account.
    pub order_number: String,
    pub shipping_country_code: String,
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
    /// 2 = pay from the CJ balance at once; 3 = create only.
    pub pay_type: u8,
    pub products: Vec<CjProduct>,
}

/// What `createOrderV2` answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedOrder {
    pub supplier_order_id: String,
    /// What CJ charged (products + postage), US cents.
    pub amount_minor: i64,
    /// The postage part (`postageAmount`), when CJ says.
    pub shipping_minor: Option<i64>,
}

/// A supplier variant found by SKU (`product/variant/query`), for mapping a store SKU to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct SupplierVariant {
    /// CJ's variant id (`vid`), sent in `createOrderV2`'s `products`.
    pub vid: String,
    /// CJ's product id (`pid`).
    pub pid: String,
    /// CJ's SKU of the variant (`variantSku`).
    pub variant_sku: String,
    /// `variantNameEn`.
    pub name: String,
    /// `variantSellPrice`: the price to the merchant, US cents.
    #[ts(type = "number")]
    pub price_minor: i64,
}

/// A card tokenized by the supplier's payment endpoint: the token to charge it by, and what may
/// be shown of it.
#[derive(Clone, PartialEq, Eq)]
pub struct CardToken {
    pub token: String,
    pub brand: String,
    pub last4: String,
}

impl std::fmt::Debug for CardToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardToken").field("brand", &self.brand).field("last4", &self.last4).finish_non_exhaustive()
    }
}

/// The supplier's answer to a cancellation request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CancelAnswer {
    /// The order is cancelled at the supplier.
    Cancelled,
    /// The supplier refused, with its reason (e.g. the order has shipped).
    Refused(String),
}

/// What `getOrderDetail` tells about an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplierOrderDetail {
    pub supplier_order_id: String,
    pub order_number: String,
    /// CJ's `orderStatus`, e.g. `UNSHIPPED`, `SHIPPED`, `DELIVERED`, `CANCELLED`.
    pub status: String,
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
    async fn authed(
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

    /// Creates (and with `pay_type` 2, pays) an order. CJ keeps `orderNumber` unique, so sending
    /// the same request again returns the first order instead of making a second one.
    pub async fn create_order(&self, request: &CreateOrderRequest) -> Result<CreatedOrder> {
        let body = serde_json::to_value(request).expect("request serialises");
        let data = self.authed(reqwest::Method::POST, "shopping/order/createOrderV2", &[], Some(body)).await?;
        let supplier_order_id = data["orderId"]
            .as_str()
            .filter(|s| !s.is_empty())
            .ok_or_else(|| malformed("createOrderV2 returned no orderId"))?;
        let amount =
            number_text(&data["orderAmount"]).ok_or_else(|| malformed("createOrderV2 returned no orderAmount"))?;
        Ok(CreatedOrder {
            supplier_order_id: supplier_order_id.to_owned(),
            amount_minor: parse_minor(&amount, CJ_CURRENCY).map_err(|e| malformed(&format!("orderAmount {e}")))?,
            shipping_minor: number_text(&data["postageAmount"]).and_then(|a| parse_minor(&a, CJ_CURRENCY).ok()),
        })
    }

    /// The order by CJ's id or by our order number; `None` when CJ does not know it.
    pub async fn order_detail(&self, id_or_number: &str) -> Result<Option<SupplierOrderDetail>> {
        let query = [("orderId", id_or_number)];
        let data = match self.authed(reqwest::Method::GET, "shopping/order/getOrderDetail", &query, None).await {
            Err(CoreError::Connector(ConnectorError::Remote { code: Some(code), .. }))
                if code == CODE_ORDER_NOT_FOUND =>
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
            order_number: text("orderNum").unwrap_or_default(),
            status: text("orderStatus").unwrap_or_else(|| "UNKNOWN".into()),
            track_number: text("trackNumber"),
            logistic_name: text("logisticName"),
            amount_minor: number_text(&data["orderAmount"]).and_then(|a| parse_minor(&a, CJ_CURRENCY).ok()),
            shipping_minor: number_text(&data["postageAmount"]).and_then(|a| parse_minor(&a, CJ_CURRENCY).ok()),
        }))
    }

    /// Pays an order created with `payType` 3 from the wallet (`POST shopping/pay/payBalance
    /// {orderId}`). Paying an order already paid is not an error: the supplier charges once.
    pub async fn pay_balance(&self, supplier_order_id: &str) -> Result<()> {
        let body = json!({ "orderId": supplier_order_id });
        match self.authed(reqwest::Method::POST, "shopping/pay/payBalance", &[], Some(body)).await {
            Err(CoreError::Connector(ConnectorError::Remote { code: Some(CODE_ALREADY_PAID), .. })) => Ok(()),
            other => other.map(|_| ()),
        }
    }

    /// Tokenizes a card at the supplier's payment endpoint (`POST shopping/pay/tokenizeCard`):
    /// the number and CVC go there and nowhere else. Errors: the card declined (with the
    /// supplier's reason), or `InvalidInput` when the account takes no card through its API.
    pub async fn tokenize_card(&self, card: &crate::payment_card::CheckedCard) -> Result<CardToken> {
        let body = json!({
            "cardNumber": card.number, "cvc": card.cvc, "expMonth": card.exp_month, "expYear": card.exp_year,
            "holderName": card.name_on_card, "countryCode": card.country_code,
        });
        let data = match self.authed(reqwest::Method::POST, "shopping/pay/tokenizeCard", &[], Some(body)).await {
            Err(CoreError::Connector(ConnectorError::Remote { code: Some(404), .. })) => {
                return Err(CoreError::InvalidInput(
                    "this CJdropshipping account takes no card through its API: pay from My Wallet, or add the card on CJ's site".into(),
                ))
            }
            other => other?,
        };
        let text = |k: &str| data[k].as_str().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        let last4 = text("last4").filter(|l| l.len() == 4).ok_or_else(|| malformed("tokenizeCard returned no last4"))?;
        Ok(CardToken {
            token: text("cardToken").ok_or_else(|| malformed("tokenizeCard returned no cardToken"))?,
            brand: text("brand").unwrap_or_else(|| card.brand.as_str().to_owned()),
            last4,
        })
    }

    /// Pays an order created with `payType` 3 with the card on file (`POST
    /// shopping/pay/payWithCard {orderId, cardToken}`); returns the amount charged, US cents.
    /// Paying an order already paid charges nothing more and returns what was charged.
    pub async fn pay_with_card(&self, supplier_order_id: &str, card_token: &str) -> Result<i64> {
        let body = json!({ "orderId": supplier_order_id, "cardToken": card_token });
        let data = self.authed(reqwest::Method::POST, "shopping/pay/payWithCard", &[], Some(body)).await?;
        let amount = number_text(&data["payAmount"]).ok_or_else(|| malformed("payWithCard returned no payAmount"))?;
        parse_minor(&amount, CJ_CURRENCY).map_err(|e| malformed(&format!("payAmount {e}")))
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

    /// The variants whose CJ SKU is `sku` (`GET product/variant/query?variantSku=`), for mapping
    /// a store SKU; empty when CJ sells none under it.
    pub async fn variants_by_sku(&self, sku: &str) -> Result<Vec<SupplierVariant>> {
        let data = self.authed(reqwest::Method::GET, "product/variant/query", &[("variantSku", sku)], None).await?;
        let list = match &data {
            Value::Null => return Ok(Vec::new()),
            Value::Array(list) => list,
            _ => return Err(malformed("variant/query data is not a list")),
        };
        list.iter()
            .map(|v| {
                let text = |k: &str| v[k].as_str().map(str::trim).unwrap_or_default().to_owned();
                let price = number_text(&v["variantSellPrice"])
                    .ok_or_else(|| malformed("a variant has no variantSellPrice"))?;
                let vid = text("vid");
                if vid.is_empty() {
                    return Err(malformed("a variant has no vid"));
                }
                Ok(SupplierVariant {
                    vid,
                    pid: text("pid"),
                    variant_sku: text("variantSku"),
                    name: text("variantNameEn"),
                    price_minor: parse_minor(&price, CJ_CURRENCY)
                        .map_err(|e| malformed(&format!("variantSellPrice {e}")))?,
                })
            })
            .collect()
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

/// CJ's code for an order id or number it does not know.
pub const CODE_ORDER_NOT_FOUND: i64 = 1_603_001;
/// CJ's code for an order that can no longer be cancelled (processing or shipped).
pub const CODE_CANNOT_CANCEL: i64 = 1_603_003;
/// CJ's code for paying an order that is already paid.
pub const CODE_ALREADY_PAID: i64 = 1_603_004;

/// What a merchant should read for CJ's numeric codes ("Appendix 1: Global Error Codes"; CJ asks
/// callers to act on the code, not the message, which may change). `None`: CJ's own message is
/// shown with its code.
fn message_for_code(code: i64) -> Option<&'static str> {
    Some(match code {
        1_600_000 => "CJdropshipping is busy; Dropdock will try again later",
        1_600_007 => "this CJ account is bound to another developer account",
        1_600_100 => "a required field is missing or invalid",
        1_603_000 => "the order is missing a required field",
        CODE_ORDER_NOT_FOUND => "CJdropshipping has no such order",
        CODE_CANNOT_CANCEL => "the order is being processed or has shipped, so it can no longer be cancelled",
        CODE_ALREADY_PAID => "the order is already paid",
        1_603_100 => "My Wallet at CJdropshipping is short for this order: recharge it in Finance → My Wallet",
        1_603_101 => "a product variant is unknown at CJdropshipping: check the SKU mapping",
        1_603_102 => "the shipping line does not deliver to this country: choose another default shipping method",
        1_605_001 => "the card was declined: check it or use another card",
        1_605_002 => "the card on file is no longer valid: add the card again",
        _ => return None,
    })
}

/// Maps CJ's numeric error codes to errors a merchant can act on: credential codes ask to
/// reconnect, rate-limit codes are throttling, the rest carry a clear sentence beside CJ's code.
fn error_for_code(code: i64, message: String) -> ConnectorError {
    match code {
        1_600_001..=1_600_006 | 1_600_008 | 1_600_030 | 1_600_031 | 401 | 403 => {
            ConnectorError::Auth("CJdropshipping account".into())
        }
        429 | 1_600_200 => ConnectorError::Throttled(SERVICE.into()),
        _ => ConnectorError::Remote {
            service: SERVICE.into(),
            code: Some(code),
            message: match message_for_code(code) {
                Some(clear) if message.trim().is_empty() || message == clear => clear.to_owned(),
                Some(clear) => format!("{clear} (CJ: {message})"),
                None => message,
            },
        },
    }
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
    fn aging_range_gives_the_slowest_day() {
        let line = ShippingLine { name: "x".into(), price_minor: 1, aging: "7-12".into() };
        assert_eq!(line.max_days(), 12);
        assert_eq!(ShippingLine { aging: "".into(), ..line }.max_days(), u32::MAX);
    }

    #[test]
    fn error_codes_map_to_actionable_errors() {
        assert!(matches!(error_for_code(1_600_001, "bad key".into()), ConnectorError::Auth(_)));
        assert!(matches!(error_for_code(1_600_003, "Invalid Refresh token".into()), ConnectorError::Auth(_)));
        assert!(matches!(error_for_code(1_600_200, "Too many requests".into()), ConnectorError::Throttled(_)));
        let e = error_for_code(1_603_100, "Insufficient balance".into());
        assert_eq!(
            e.to_string(),
            "CJdropshipping error 1603100: My Wallet at CJdropshipping is short for this order: recharge it in Finance → My Wallet (CJ: Insufficient balance)"
        );
        // A code without a sentence of ours keeps CJ's message.
        assert_eq!(error_for_code(1_609_999, "Odd".into()).to_string(), "CJdropshipping error 1609999: Odd");
    }
}
