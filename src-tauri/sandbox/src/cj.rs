//! A CJdropshipping API 2.0 account, as CJ's published pages describe it (read for the sandbox
//! on its own, not from Dropdock's client).
//!
//! Source: developers.cjdropshipping.com "API 2.0": Authentication `getAccessToken` (at most once
//! per 5 minutes); Logistics `freightCalculate`, `trackInfo`; Shopping
//! (<https://developers.cjdropshipping.com/en/api/api2/api/shopping.html>) `createOrderV2` —
//! its request table's required fields (a missing one is the pages' 1600100 "Param error"),
//! `orderNumber` unique per account (a second create is 1603003), `payType` 2 pays from the
//! balance at once and 3 creates only, and the published success reply with its amounts as
//! empty strings — then `getOrderDetail` (an unknown order is 1600300 on its page), `deleteOrder`,
//! `getBalance`, `payBalance` (1604000 when the balance is short); Product `product/query` (by
//! `pid`, `productSku` or `variantSku`) and `product/variant/query` (by `pid` or `productSku`).
//! Codes and meanings from "Appendix 1: Global Error Codes". Replies use the `{code, result,
//! message, data, requestId}` envelope; success is `code` 200. Orders are `CREATED` until paid,
//! then `UNSHIPPED`, `SHIPPED`, `DELIVERED`; a cancelled paid order is refunded to the balance.
//!
//! CJ documents no card API, so the account has none: a card sent to it gets HTTP 404 like any
//! interface CJ does not have.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::SharedWorld;

/// A product variant the supplier sells.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CatalogVariant {
    /// CJ's variant id (`vid`).
    pub vid: String,
    /// The merchant's SKU this variant is sold under in the demo store.
    pub sku: String,
    pub name: String,
    /// Price to the merchant, US cents.
    pub cost_minor: i64,
    /// Units in stock, all warehouses (`stock/queryByVid`); a world saved before it had none
    /// reads as well stocked.
    #[serde(default = "plenty")]
    pub stock: i64,
    /// The warehouse it ships from (ISO 3166-1 alpha-2).
    #[serde(default = "china")]
    pub warehouse: String,
    /// No longer sold: CJ answers "variant not found" for it, and refuses it in an order.
    #[serde(default)]
    pub discontinued: bool,
}

fn plenty() -> i64 {
    5000
}

fn china() -> String {
    "CN".into()
}

/// A logistics line to one destination.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct LogisticLine {
    pub name: String,
    /// Postage for the first item, US cents; each further item adds 25%.
    pub price_minor: i64,
    pub aging: String,
    /// Destinations (ISO 3166-1 alpha-2); empty = everywhere.
    pub countries: Vec<String>,
    /// Tracking number prefix and digits.
    pub tracking_prefix: String,
    /// The carrier that delivers the last mile, as `trackInfo`'s `lastMileCarrier` names it
    /// (empty when CJ names none).
    #[serde(default)]
    pub last_mile_carrier: String,
}

/// An order created at the supplier.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CjOrder {
    pub order_id: String,
    pub order_number: String,
    pub country_code: String,
    pub logistic_name: String,
    pub products: Vec<(String, i64)>,
    /// Products + postage, US cents.
    pub amount_minor: i64,
    /// The postage part of `amount_minor`.
    #[serde(default)]
    pub postage_minor: i64,
    pub paid: bool,
    /// Paid with a card on file rather than the balance.
    #[serde(default)]
    pub paid_by_card: bool,
    /// Cancelled with `deleteOrder` (and refunded, if it was paid).
    #[serde(default)]
    pub cancelled: bool,
    /// Delivered ahead of time (tests); otherwise a parcel is delivered a day after it ships.
    #[serde(default)]
    pub delivered: bool,
    pub created_at: DateTime<Utc>,
    pub ships_at: DateTime<Utc>,
    pub track_number: String,
    /// The request's `shipping*` fields as received (e.g. `shippingZip`, `shippingPhone`), for
    /// tests to read what was sent.
    #[serde(default)]
    pub shipping: std::collections::BTreeMap<String, String>,
}

/// One supplier account's persistent data.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CjAccountData {
    pub name: String,
    pub api_key: String,
    pub balance_minor: i64,
    pub catalog: Vec<CatalogVariant>,
    pub lines: Vec<LogisticLine>,
    pub orders: Vec<CjOrder>,
    pub next_order: u64,
    /// Cards on file: token, brand, last 4 digits and expiry only.
    #[serde(default)]
    pub cards: Vec<CardOnFile>,
    /// Charges (positive) and refunds (negative) made to cards, US cents.
    #[serde(default)]
    pub card_charges: Vec<(String, i64)>,
    /// Refund and reissue requests (the Dispute interface).
    #[serde(default)]
    pub disputes: Vec<crate::cj_disputes::CjDispute>,
    #[serde(default)]
    pub next_dispute: u64,
}

/// A tokenized card, as the account keeps it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CardOnFile {
    pub token: String,
    pub brand: String,
    pub last4: String,
    pub exp_month: u32,
    pub exp_year: u32,
}

/// Tokens and call times (not persisted: a restarted sandbox issues new tokens).
#[derive(Default)]
pub(crate) struct CjRuntime {
    tokens: HashMap<String, DateTime<Utc>>,
    last_token_call: Option<Instant>,
    /// createOrderV2 replies still to drop after creating the order (lost-reply tests).
    drop_create_replies: u32,
    /// How long createOrderV2 waits, after creating the order, before it replies.
    create_reply_delay: Duration,
    /// Refresh tokens issued, with their expiry.
    refresh_tokens: HashMap<String, DateTime<Utc>>,
    /// How long new access tokens last (CJ: about 15 days).
    access_token_lifetime: Option<chrono::Duration>,
    /// How many times refreshAccessToken succeeded.
    pub(crate) refreshes: u32,
    /// createOrderV2 replies that leave out `orderId` (the docs say it may be absent).
    omit_order_id: bool,
    /// createOrderV2 requests still to lose before they create anything (the connection drops).
    lose_create_requests: u32,
    /// `payType` 2 orders stay `CREATED` until `payBalance` (CJ's cart → confirm → deduct
    /// pipeline not done by the time it replies).
    defer_balance_payment: bool,
    /// Every createOrderV2 call, accepted or refused (tests read it).
    pub(crate) create_calls: u32,
}

/// CJ allows getAccessToken once per 5 minutes.
const TOKEN_CALL_INTERVAL: Duration = Duration::from_secs(300);

pub(crate) fn router(world: SharedWorld, index: usize) -> Router {
    Router::new()
        .route("/api2.0/v1/authentication/getAccessToken", post(get_access_token))
        .route("/api2.0/v1/authentication/refreshAccessToken", post(refresh_access_token))
        .route("/api2.0/v1/logistic/freightCalculate", post(freight_calculate))
        .route("/api2.0/v1/shopping/order/createOrderV2", post(create_order))
        .route("/api2.0/v1/shopping/order/getOrderDetail", get(order_detail))
        .route("/api2.0/v1/shopping/order/deleteOrder", axum::routing::delete(delete_order))
        .route("/api2.0/v1/shopping/pay/getBalance", get(balance))
        .route("/api2.0/v1/sandbox/recharge", post(sandbox_recharge))
        .route("/api2.0/v1/shopping/pay/payBalance", post(pay_balance))
        .route("/api2.0/v1/product/query", get(product_query))
        .route("/api2.0/v1/product/variant/query", get(variant_query))
        .route("/api2.0/v1/product/variant/queryByVid", get(variant_by_vid))
        .route("/api2.0/v1/product/stock/queryByVid", get(stock_by_vid))
        .route("/api2.0/v1/product/list", get(product_list))
        .route("/api2.0/v1/logistic/trackInfo", get(track_info))
        .route("/api2.0/v1/disputes/disputeProducts", get(crate::cj_disputes::dispute_products))
        .route("/api2.0/v1/disputes/disputeConfirmInfo", post(crate::cj_disputes::dispute_confirm_info))
        .route("/api2.0/v1/disputes/create", post(crate::cj_disputes::dispute_create))
        .route("/api2.0/v1/disputes/cancel", post(crate::cj_disputes::dispute_cancel))
        .route("/api2.0/v1/disputes/getDisputeList", get(crate::cj_disputes::dispute_list))
        .with_state((world, index))
}

pub(crate) type Ctx = State<(SharedWorld, usize)>;

pub(crate) fn envelope(code: i64, message: &str, data: Value) -> Json<Value> {
    let request_id = format!("{:032x}", rand::random::<u128>());
    Json(json!({ "code": code, "result": code == 200, "message": message, "data": data, "requestId": request_id }))
}

pub(crate) fn ok(data: Value) -> Json<Value> {
    envelope(200, "Success", data)
}

pub(crate) fn dollars(minor: i64) -> Value {
    // A JSON number with two decimals, as CJ sends prices.
    serde_json::from_str(&format!("{}.{:02}", minor / 100, minor % 100)).unwrap_or(Value::Null)
}

pub(crate) fn authorised(w: &crate::World, index: usize, headers: &HeaderMap) -> bool {
    let token = headers.get("CJ-Access-Token").and_then(|v| v.to_str().ok()).unwrap_or("");
    w.supplier_runtime[index].tokens.get(token).is_some_and(|exp| *exp > Utc::now())
}

async fn get_access_token(State((world, index)): Ctx, Json(body): Json<Value>) -> Json<Value> {
    let mut w = world.lock().expect("world");
    if body["apiKey"].as_str() != Some(w.suppliers[index].api_key.as_str()) {
        return envelope(1600001, "Invalid API key", Value::Null);
    }
    let rt = &mut w.supplier_runtime[index];
    if rt.last_token_call.is_some_and(|t| t.elapsed() < TOKEN_CALL_INTERVAL) {
        return envelope(1600200, "Too many requests: getAccessToken may be called once every 5 minutes", Value::Null);
    }
    rt.last_token_call = Some(Instant::now());
    ok(issue_tokens(rt))
}

/// A new access token and a new refresh token (the old refresh token stops working).
fn issue_tokens(rt: &mut CjRuntime) -> Value {
    let token = format!("cjtok{:024x}", rand::random::<u128>());
    let expires = Utc::now() + rt.access_token_lifetime.unwrap_or_else(|| chrono::Duration::days(15));
    rt.tokens.insert(token.clone(), expires);
    let refresh = format!("cjref{:024x}", rand::random::<u128>());
    let refresh_expires = Utc::now() + chrono::Duration::days(180);
    rt.refresh_tokens.insert(refresh.clone(), refresh_expires);
    json!({
        "accessToken": token,
        "accessTokenExpiryDate": expires.to_rfc3339(),
        "refreshToken": refresh,
        "refreshTokenExpiryDate": refresh_expires.to_rfc3339(),
    })
}

/// `POST authentication/refreshAccessToken {refreshToken}`: not bound by getAccessToken's
/// once-per-5-minutes rule.
async fn refresh_access_token(State((world, index)): Ctx, Json(body): Json<Value>) -> Json<Value> {
    let mut w = world.lock().expect("world");
    let rt = &mut w.supplier_runtime[index];
    let presented = body["refreshToken"].as_str().unwrap_or_default();
    match rt.refresh_tokens.remove(presented) {
        Some(expiry) if expiry > Utc::now() => {
            rt.refreshes += 1;
            ok(issue_tokens(rt))
        }
        _ => envelope(1600001, "Invalid refresh token", Value::Null),
    }
}

fn lines_for<'a>(account: &'a CjAccountData, country: &str) -> Vec<&'a LogisticLine> {
    account.lines.iter().filter(|l| l.countries.is_empty() || l.countries.iter().any(|c| c == country)).collect()
}

fn postage(line: &LogisticLine, items: i64) -> i64 {
    line.price_minor + (items - 1).max(0) * line.price_minor / 4
}

/// `(vid, quantity)` pairs from a `products` array; `Err` names the first unknown variant.
fn read_products(account: &CjAccountData, products: &Value) -> Result<Vec<(String, i64)>, String> {
    let list = products.as_array().filter(|l| !l.is_empty()).ok_or("products is required")?;
    list.iter()
        .map(|p| {
            let vid = p["vid"].as_str().unwrap_or_default();
            let quantity = p["quantity"].as_i64().filter(|q| *q > 0).ok_or(format!("invalid quantity for {vid}"))?;
            if !account.catalog.iter().any(|v| v.vid == vid && !v.discontinued) {
                return Err(format!("variant {vid} not found"));
            }
            Ok((vid.to_owned(), quantity))
        })
        .collect()
}

async fn freight_calculate(State((world, index)): Ctx, headers: HeaderMap, Json(body): Json<Value>) -> Json<Value> {
    let w = world.lock().expect("world");
    if !authorised(&w, index, &headers) {
        return envelope(1600001, "Invalid access token", Value::Null);
    }
    let account = &w.suppliers[index];
    let products = match read_products(account, &body["products"]) {
        Ok(p) => p,
        Err(e) => return envelope(1602000, &format!("Variant not found: {e}"), Value::Null),
    };
    let items: i64 = products.iter().map(|p| p.1).sum();
    let country = body["endCountryCode"].as_str().unwrap_or_default();
    let lines: Vec<Value> = lines_for(account, country)
        .into_iter()
        .map(|l| json!({ "logisticName": l.name, "logisticPrice": dollars(postage(l, items)), "logisticAging": l.aging, "logisticPriceCn": Value::Null }))
        .collect();
    ok(Value::Array(lines))
}

pub(crate) fn status_of(o: &CjOrder) -> &'static str {
    if o.cancelled {
        "CANCELLED"
    } else if o.paid && (o.delivered || Utc::now() >= o.ships_at + chrono::Duration::days(1)) {
        "DELIVERED"
    } else if o.paid && Utc::now() >= o.ships_at {
        "SHIPPED"
    } else if o.paid {
        "UNSHIPPED"
    } else {
        "CREATED"
    }
}

/// createOrderV2's reply as CJ publishes it: the order's number and id, and its amounts as
/// empty strings (CJ computes them after the reply; `getOrderDetail` has them).
fn created_reply(o: &CjOrder, with_id: bool) -> Value {
    let mut data = json!({
        "orderNumber": o.order_number, "shipmentOrderId": "", "cjPayUrl": "",
        "productAmount": "", "postageAmount": "", "productOriginalAmount": "", "postageOriginalAmount": "",
        "totalDiscountAmount": "", "actualPayment": "", "orderAmount": "",
    });
    if with_id {
        data["orderId"] = Value::from(o.order_id.clone());
    }
    data
}

/// createOrderV2's required fields (its request table's "Y" rows; `shippingZip` is "N").
const REQUIRED_FIELDS: [&str; 9] = [
    "orderNumber",
    "shippingCountryCode",
    "shippingCountry",
    "shippingProvince",
    "shippingCity",
    "shippingAddress",
    "shippingCustomerName",
    "logisticName",
    "fromCountryCode",
];

async fn create_order(State((world, index)): Ctx, headers: HeaderMap, Json(body): Json<Value>) -> Json<Value> {
    let (reply, delay) = {
        let mut w = world.lock().expect("world");
        let delay = w.supplier_runtime[index].create_reply_delay;
        (create_order_now(&mut w, index, &headers, &body), delay)
    };
    // The order exists from here on; a slow reply widens the window in which a caller can die
    // or give up without knowing (crash tests).
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    reply
}

fn create_order_now(w: &mut crate::World, index: usize, headers: &HeaderMap, body: &Value) -> Json<Value> {
    if !authorised(w, index, headers) {
        return envelope(1600001, "Invalid API key or access token", Value::Null);
    }
    w.supplier_runtime[index].create_calls += 1;
    if w.supplier_runtime[index].lose_create_requests > 0 {
        w.supplier_runtime[index].lose_create_requests -= 1;
        return Json(json!("connection reset"));
    }
    let defer_payment = w.supplier_runtime[index].defer_balance_payment;
    let ship_after = w.ship_after;
    let account = &mut w.suppliers[index];
    // A required field missing (or not a string) is a parameter error; empty province and city
    // are accepted, as for countries that have none.
    for field in REQUIRED_FIELDS {
        let present = body[field]
            .as_str()
            .is_some_and(|v| !v.trim().is_empty() || matches!(field, "shippingProvince" | "shippingCity"));
        if !present {
            return envelope(1600100, &format!("Param error: {field} is required"), Value::Null);
        }
    }
    let number = body["orderNumber"].as_str().unwrap_or_default();
    if number.chars().count() > 50 || body["shippingCountry"].as_str().is_some_and(|c| c.chars().count() > 50) {
        return envelope(
            1600100,
            "Param error: orderNumber and shippingCountry are at most 50 characters",
            Value::Null,
        );
    }
    if account.orders.iter().any(|o| o.order_number == number) {
        return envelope(1603003, "The order number already exists", Value::Null);
    }
    let products = match read_products(account, &body["products"]) {
        Ok(p) => p,
        Err(e) if e == "products is required" => return envelope(1600100, &format!("Param error: {e}"), Value::Null),
        Err(e) => return envelope(1602000, &format!("Variant not found: {e}"), Value::Null),
    };
    let country = body["shippingCountryCode"].as_str().unwrap_or_default().to_owned();
    let logistic = body["logisticName"].as_str().unwrap_or_default();
    let Some(line) = lines_for(account, &country).into_iter().find(|l| l.name == logistic).cloned() else {
        return envelope(1605001, &format!("Logistic invalid: {logistic} does not ship to {country}"), Value::Null);
    };
    let items: i64 = products.iter().map(|p| p.1).sum();
    let product_cost: i64 = products
        .iter()
        .map(|(vid, q)| account.catalog.iter().find(|v| &v.vid == vid).map_or(0, |v| v.cost_minor) * q)
        .sum();
    let amount = product_cost + postage(&line, items);
    let pay_now = body["payType"].as_i64() == Some(2) || body["payType"].as_str() == Some("2");
    if pay_now && account.balance_minor < amount {
        return envelope(1604000, "Balance is insufficient", Value::Null);
    }
    let pay_now = pay_now && !defer_payment;
    if pay_now {
        account.balance_minor -= amount;
    }
    account.next_order += 1;
    let now = Utc::now();
    let order = CjOrder {
        order_id: format!("CJ{}{:07}", now.format("%y%m%d"), account.next_order),
        order_number: number.to_owned(),
        country_code: country,
        logistic_name: line.name.clone(),
        products,
        amount_minor: amount,
        postage_minor: postage(&line, items),
        paid: pay_now,
        paid_by_card: false,
        cancelled: false,
        delivered: false,
        created_at: now,
        ships_at: now + chrono::Duration::from_std(ship_after).unwrap_or_default(),
        track_number: format!("{}{:012}", line.tracking_prefix, rand::random::<u64>() % 1_000_000_000_000),
        shipping: body
            .as_object()
            .map(|o| {
                o.iter()
                    .filter(|(k, _)| k.starts_with("shipping"))
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                    .collect()
            })
            .unwrap_or_default(),
    };
    let with_id = !w.supplier_runtime[index].omit_order_id;
    let data = created_reply(&order, with_id);
    w.suppliers[index].orders.push(order);
    let drop_reply = {
        let rt = &mut w.supplier_runtime[index];
        let d = rt.drop_create_replies > 0;
        rt.drop_create_replies = rt.drop_create_replies.saturating_sub(1);
        d
    };
    w.save();
    if drop_reply {
        // The order exists; the reply is lost on the way back.
        return Json(json!({ "code": 200, "result": true, "message": "Success" }));
    }
    ok(data)
}

#[derive(Deserialize)]
struct DetailQuery {
    #[serde(rename = "orderId")]
    order_id: String,
}

async fn order_detail(State((world, index)): Ctx, headers: HeaderMap, Query(q): Query<DetailQuery>) -> Json<Value> {
    let w = world.lock().expect("world");
    if !authorised(&w, index, &headers) {
        return envelope(1600001, "Invalid access token", Value::Null);
    }
    // Looked up by CJ's id or by the merchant's order number.
    let Some(o) = w.suppliers[index].orders.iter().find(|o| o.order_id == q.order_id || o.order_number == q.order_id)
    else {
        return envelope(1600300, "Order not found", Value::Null);
    };
    let shipped = matches!(status_of(o), "SHIPPED" | "DELIVERED");
    ok(json!({
        "orderId": o.order_id, "orderNum": o.order_number, "cjOrderId": o.order_id,
        "shippingCountryCode": o.country_code, "logisticName": o.logistic_name,
        "orderAmount": dollars(o.amount_minor),
        "productAmount": dollars(o.amount_minor - o.postage_minor), "postageAmount": dollars(o.postage_minor),
        "orderStatus": status_of(o),
        "trackNumber": if shipped { Value::from(o.track_number.clone()) } else { Value::Null },
        "createDate": o.created_at.to_rfc3339(),
    }))
}

async fn balance(State((world, index)): Ctx, headers: HeaderMap) -> Json<Value> {
    let w = world.lock().expect("world");
    if !authorised(&w, index, &headers) {
        return envelope(1600001, "Invalid access token", Value::Null);
    }
    ok(json!({ "amount": dollars(w.suppliers[index].balance_minor), "noWithdrawalAmount": 0, "freezeAmount": 0 }))
}

/// `POST sandbox/recharge {amount}`: the sandbox's stand-in for recharging on CJ's site (CJ has
/// no recharge API; this route exists only here). `amount` in dollars, 0.01 to 1,000,000.
async fn sandbox_recharge(State((world, index)): Ctx, headers: HeaderMap, Json(body): Json<Value>) -> Json<Value> {
    let mut w = world.lock().expect("world");
    if !authorised(&w, index, &headers) {
        return envelope(1600001, "Invalid access token", Value::Null);
    }
    let amount =
        body["amount"].as_str().map(str::to_owned).or_else(|| body["amount"].as_f64().map(|f| format!("{f:.2}")));
    let Some(minor) = amount.and_then(|a| crate::parse_cents(&a)).filter(|m| (1..=100_000_000).contains(m)) else {
        return envelope(1600100, "amount must be between 0.01 and 1000000", Value::Null);
    };
    w.suppliers[index].balance_minor += minor;
    let balance = w.suppliers[index].balance_minor;
    w.save();
    ok(json!({ "amount": dollars(balance) }))
}

/// The order `orderId` names (CJ's id or the merchant's number), for the payment endpoints.
fn find_order<'a>(account: &'a mut CjAccountData, id: &str) -> Option<&'a mut CjOrder> {
    account.orders.iter_mut().find(|o| !id.is_empty() && (o.order_id == id || o.order_number == id))
}

/// `POST shopping/pay/payBalance {orderId}`.
async fn pay_balance(State((world, index)): Ctx, headers: HeaderMap, Json(body): Json<Value>) -> Json<Value> {
    let mut w = world.lock().expect("world");
    if !authorised(&w, index, &headers) {
        return envelope(1600001, "Invalid access token", Value::Null);
    }
    let account = &mut w.suppliers[index];
    let balance = account.balance_minor;
    let Some(order) = find_order(account, body["orderId"].as_str().unwrap_or_default()) else {
        return envelope(1603100, "Order not found, Please check the CJ order id", Value::Null);
    };
    if order.cancelled || order.paid {
        return envelope(1603101, "Order pay fail, Please contact CJ Order Center", Value::Null);
    }
    if balance < order.amount_minor {
        return envelope(1604000, "Balance is insufficient", Value::Null);
    }
    order.paid = true;
    let amount = order.amount_minor;
    let data = json!({ "orderId": order.order_id, "payAmount": dollars(amount) });
    account.balance_minor -= amount;
    w.save();
    ok(data)
}

#[derive(Deserialize)]
struct DeleteQuery {
    #[serde(rename = "orderId")]
    order_id: String,
}

/// `DELETE shopping/order/deleteOrder?orderId=`: cancels an order that has not shipped, and
/// refunds it to where it was paid from.
async fn delete_order(State((world, index)): Ctx, headers: HeaderMap, Query(q): Query<DeleteQuery>) -> Json<Value> {
    let mut w = world.lock().expect("world");
    if !authorised(&w, index, &headers) {
        return envelope(1600001, "Invalid access token", Value::Null);
    }
    let account = &mut w.suppliers[index];
    let Some(order) = find_order(account, &q.order_id) else {
        return envelope(1603100, "Order not found, Please check the CJ order id", Value::Null);
    };
    if order.cancelled {
        return ok(Value::from(order.order_id.clone()));
    }
    if matches!(status_of(order), "SHIPPED" | "DELIVERED") {
        return envelope(1603002, "Order delete fail: the order has shipped", Value::Null);
    }
    order.cancelled = true;
    let (id, refund, by_card) =
        (order.order_id.clone(), if order.paid { order.amount_minor } else { 0 }, order.paid_by_card);
    if refund > 0 && by_card {
        account.card_charges.push((id.clone(), -refund));
    } else {
        account.balance_minor += refund;
    }
    w.save();
    ok(Value::from(id))
}

#[derive(Deserialize)]
struct ProductQuery {
    #[serde(default)]
    pid: String,
    #[serde(rename = "productSku", default)]
    product_sku: String,
    #[serde(rename = "variantSku", default)]
    variant_sku: String,
}

/// Each catalogue variant is a product of its own here: `pid` from its `vid`, the product SKU
/// the variant SKU without its last `-` part (`DD-MUG-WHT` → `DD-MUG`).
fn pid_of(v: &CatalogVariant) -> String {
    format!("PID-{}", v.vid.trim_start_matches("VID-"))
}

fn product_sku_of(v: &CatalogVariant) -> String {
    v.sku.rsplit_once('-').map_or(v.sku.clone(), |(head, _)| head.to_owned())
}

fn variant_json(v: &CatalogVariant) -> Value {
    json!({
        "vid": v.vid, "pid": pid_of(v), "variantSku": v.sku, "variantNameEn": v.name, "variantName": v.name,
        "variantSellPrice": dollars(v.cost_minor), "variantImage": "", "variantKey": v.name,
    })
}

/// `GET product/query?pid=|productSku=|variantSku=` → the product with its `variants`;
/// none of the three is a parameter error, no match is 1602001 "Product not found".
async fn product_query(State((world, index)): Ctx, headers: HeaderMap, Query(q): Query<ProductQuery>) -> Json<Value> {
    let w = world.lock().expect("world");
    if !authorised(&w, index, &headers) {
        return envelope(1600001, "Invalid API key or access token", Value::Null);
    }
    let (pid, product_sku, variant_sku) = (q.pid.trim(), q.product_sku.trim(), q.variant_sku.trim());
    if pid.is_empty() && product_sku.is_empty() && variant_sku.is_empty() {
        return envelope(1600100, "Param error: pid, productSku or variantSku is required", Value::Null);
    }
    let catalog = &w.suppliers[index].catalog;
    let Some(hit) = catalog.iter().find(|v| {
        (!pid.is_empty() && pid_of(v) == pid)
            || (!product_sku.is_empty() && product_sku_of(v).eq_ignore_ascii_case(product_sku))
            || (!variant_sku.is_empty() && v.sku.eq_ignore_ascii_case(variant_sku))
    }) else {
        return envelope(1602001, "Product not found", Value::Null);
    };
    let variants: Vec<Value> =
        catalog.iter().filter(|v| product_sku_of(v) == product_sku_of(hit)).map(variant_json).collect();
    ok(json!({
        "pid": pid_of(hit), "productSku": product_sku_of(hit), "productNameEn": hit.name,
        "sellPrice": dollars(hit.cost_minor), "variants": variants,
    }))
}

/// `GET product/variant/query?pid=|productSku=` (+ `countryCode`) → the product's variants.
/// Other parameters (a `variantSku`) are not in its table: a parameter error.
async fn variant_query(State((world, index)): Ctx, headers: HeaderMap, Query(q): Query<ProductQuery>) -> Json<Value> {
    let w = world.lock().expect("world");
    if !authorised(&w, index, &headers) {
        return envelope(1600001, "Invalid API key or access token", Value::Null);
    }
    let (pid, product_sku) = (q.pid.trim(), q.product_sku.trim());
    if pid.is_empty() && product_sku.is_empty() {
        return envelope(1600100, "Param error: pid or productSku is required", Value::Null);
    }
    let found: Vec<Value> = w.suppliers[index]
        .catalog
        .iter()
        .filter(|v| {
            (!pid.is_empty() && pid_of(v) == pid)
                || (!product_sku.is_empty() && product_sku_of(v).eq_ignore_ascii_case(product_sku))
        })
        .map(variant_json)
        .collect();
    ok(Value::Array(found))
}

#[derive(Deserialize)]
struct VidQuery {
    #[serde(default)]
    vid: String,
}

/// `GET product/variant/queryByVid?vid=` → the variant object; an unknown (or discontinued)
/// variant is 1602000 "Variant not found"; no `vid` is a parameter error.
async fn variant_by_vid(State((world, index)): Ctx, headers: HeaderMap, Query(q): Query<VidQuery>) -> Json<Value> {
    let w = world.lock().expect("world");
    if !authorised(&w, index, &headers) {
        return envelope(1600001, "Invalid API key or access token", Value::Null);
    }
    if q.vid.trim().is_empty() {
        return envelope(1600100, "Param error: vid is required", Value::Null);
    }
    match w.suppliers[index].catalog.iter().find(|v| v.vid == q.vid.trim() && !v.discontinued) {
        Some(v) => ok(variant_json(v)),
        None => envelope(1602000, "Variant not found", Value::Null),
    }
}

/// `GET product/stock/queryByVid?vid=` → a list of warehouses, as the inventory section of the
/// product docs shows them: `areaId` and `areaEn` (numbers and names of CJ's areas),
/// `countryCode`, `totalInventoryNum` with its `cjInventoryNum` / `factoryInventoryNum` split
/// (all numbers). The demo keeps every unit in one warehouse and shows an empty second one, as
/// real replies list warehouses holding none. An unknown variant is 1602000.
async fn stock_by_vid(State((world, index)): Ctx, headers: HeaderMap, Query(q): Query<VidQuery>) -> Json<Value> {
    let w = world.lock().expect("world");
    if !authorised(&w, index, &headers) {
        return envelope(1600001, "Invalid API key or access token", Value::Null);
    }
    if q.vid.trim().is_empty() {
        return envelope(1600100, "Param error: vid is required", Value::Null);
    }
    let Some(v) = w.suppliers[index].catalog.iter().find(|v| v.vid == q.vid.trim() && !v.discontinued) else {
        return envelope(1602000, "Variant not found", Value::Null);
    };
    let (home, other) = if v.warehouse == "US" {
        ((2, "US Warehouse"), (1, "China Warehouse", "CN"))
    } else {
        ((1, "China Warehouse"), (2, "US Warehouse", "US"))
    };
    ok(json!([
        { "vid": v.vid, "areaId": home.0, "areaEn": home.1, "countryCode": v.warehouse,
          "totalInventoryNum": v.stock, "cjInventoryNum": v.stock, "factoryInventoryNum": 0 },
        { "vid": v.vid, "areaId": other.0, "areaEn": other.1, "countryCode": other.2,
          "totalInventoryNum": 0, "cjInventoryNum": 0, "factoryInventoryNum": 0 },
    ]))
}

#[derive(Deserialize)]
struct ListQuery {
    #[serde(rename = "productNameEn", default)]
    product_name_en: String,
    #[serde(rename = "pageNum", default)]
    page_num: Option<String>,
    #[serde(rename = "pageSize", default)]
    page_size: Option<String>,
}

/// `GET product/list` (page `pageNum`, `pageSize` 10 to 200, filtered by `productNameEn`) →
/// `{pageNum, pageSize, total, list: [{pid, productNameEn, productSku, productImage,
/// sellPrice}]}`; `sellPrice` is text and, for a product whose variants differ, a range
/// ("1.20 -- 2.40"), so a caller reads prices from the variants.
async fn product_list(State((world, index)): Ctx, headers: HeaderMap, Query(q): Query<ListQuery>) -> Json<Value> {
    let w = world.lock().expect("world");
    if !authorised(&w, index, &headers) {
        return envelope(1600001, "Invalid API key or access token", Value::Null);
    }
    let page: usize = q.page_num.as_deref().and_then(|p| p.parse().ok()).unwrap_or(1).max(1);
    let size: usize = q.page_size.as_deref().and_then(|p| p.parse().ok()).unwrap_or(20).clamp(10, 200);
    let words: Vec<String> = q.product_name_en.split_whitespace().map(str::to_lowercase).collect();
    let catalog = &w.suppliers[index].catalog;
    let mut products: Vec<&CatalogVariant> = Vec::new();
    for v in catalog.iter().filter(|v| !v.discontinued) {
        let name = v.name.to_lowercase();
        if words.iter().all(|word| name.contains(word))
            && !products.iter().any(|p| product_sku_of(p) == product_sku_of(v))
        {
            products.push(v);
        }
    }
    let total = products.len();
    let list: Vec<Value> = products
        .into_iter()
        .skip((page - 1) * size)
        .take(size)
        .map(|head| {
            let prices: Vec<i64> =
                catalog.iter().filter(|v| product_sku_of(v) == product_sku_of(head)).map(|v| v.cost_minor).collect();
            let (lo, hi) = (prices.iter().min().copied().unwrap_or(0), prices.iter().max().copied().unwrap_or(0));
            let text = |m: i64| format!("{}.{:02}", m / 100, m % 100);
            let sell = if lo == hi { text(lo) } else { format!("{} -- {}", text(lo), text(hi)) };
            json!({ "pid": pid_of(head), "productNameEn": head.name, "productSku": product_sku_of(head),
                    "productImage": "", "sellPrice": sell })
        })
        .collect();
    ok(json!({ "pageNum": page, "pageSize": size, "total": total, "list": list }))
}

#[derive(Deserialize)]
struct TrackQuery {
    #[serde(rename = "trackNumber", default)]
    track_number: String,
}

/// `GET logistic/trackInfo?trackNumber=` → `[{trackingNumber, logisticName, trackingFrom,
/// trackingTo, deliveryDay, deliveryTime, trackingStatus, lastMileCarrier, lastTrackNumber}]`
/// for a shipped order's number; an empty list for a number CJ has nothing on.
async fn track_info(State((world, index)): Ctx, headers: HeaderMap, Query(q): Query<TrackQuery>) -> Json<Value> {
    let w = world.lock().expect("world");
    if !authorised(&w, index, &headers) {
        return envelope(1600001, "Invalid API key or access token", Value::Null);
    }
    let account = &w.suppliers[index];
    let found = account
        .orders
        .iter()
        .filter(|o| o.track_number == q.track_number.trim() && matches!(status_of(o), "SHIPPED" | "DELIVERED"))
        .map(|o| {
            let line = account.lines.iter().find(|l| l.name == o.logistic_name);
            let delivered = status_of(o) == "DELIVERED";
            json!({
                "trackingNumber": o.track_number, "logisticName": o.logistic_name,
                "trackingFrom": "CN", "trackingTo": o.country_code,
                "deliveryDay": line.map(|l| l.aging.clone()).unwrap_or_default(),
                "deliveryTime": if delivered { (o.ships_at + chrono::Duration::days(1)).to_rfc3339() } else { String::new() },
                "trackingStatus": if delivered { "Delivered" } else { "In transit" },
                "lastMileCarrier": line.map(|l| l.last_mile_carrier.clone()).unwrap_or_default(),
                "lastTrackNumber": o.track_number,
            })
        })
        .collect::<Vec<_>>();
    ok(Value::Array(found))
}

/// What the supplier shows of one of its orders (tests, the demo command).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CjOrderInfo {
    pub order_id: String,
    pub order_number: String,
    pub amount_minor: i64,
    pub logistic_name: String,
    pub track_number: String,
    /// The variants ordered (`vid`) and their quantities.
    pub products: Vec<(String, i64)>,
    /// Paid, from the wallet or by card.
    pub paid: bool,
    pub paid_by_card: bool,
    pub cancelled: bool,
    /// The `shipping*` fields the order was created with.
    pub shipping: std::collections::BTreeMap<String, String>,
}

/// Inspect and change one sandbox supplier account from Rust.
#[derive(Clone)]
pub struct CjHandle {
    pub(crate) world: SharedWorld,
    pub(crate) index: usize,
    pub(crate) url: String,
}

impl CjHandle {
    fn with<T>(&self, f: impl FnOnce(&mut crate::World) -> T) -> T {
        crate::with_saved(&self.world, f)
    }

    /// The API root, ending in `/api2.0/v1`.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    pub fn name(&self) -> String {
        self.with(|w| w.suppliers[self.index].name.clone())
    }

    pub fn api_key(&self) -> String {
        self.with(|w| w.suppliers[self.index].api_key.clone())
    }

    pub fn catalog(&self) -> Vec<CatalogVariant> {
        self.with(|w| w.suppliers[self.index].catalog.clone())
    }

    /// Every order the supplier holds.
    pub fn orders(&self) -> Vec<CjOrderInfo> {
        self.with(|w| {
            w.suppliers[self.index]
                .orders
                .iter()
                .map(|o| CjOrderInfo {
                    order_id: o.order_id.clone(),
                    order_number: o.order_number.clone(),
                    amount_minor: o.amount_minor,
                    logistic_name: o.logistic_name.clone(),
                    track_number: o.track_number.clone(),
                    products: o.products.clone(),
                    shipping: o.shipping.clone(),
                    paid: o.paid,
                    paid_by_card: o.paid_by_card,
                    cancelled: o.cancelled,
                })
                .collect()
        })
    }

    /// Balance in US cents.
    pub fn balance_minor(&self) -> i64 {
        self.with(|w| w.suppliers[self.index].balance_minor)
    }

    /// A recharge (or, negative, a withdrawal) of the wallet.
    pub fn recharge(&self, minor: i64) {
        self.with(|w| w.suppliers[self.index].balance_minor += minor)
    }

    /// The cards on file (token, brand, last 4 digits, expiry).
    pub fn cards(&self) -> Vec<CardOnFile> {
        self.with(|w| w.suppliers[self.index].cards.clone())
    }

    /// Net charges to cards (charges less refunds), US cents.
    /// Sets how many units of `vid` are in stock.
    pub fn set_stock(&self, vid: &str, stock: i64) {
        self.with(|w| {
            if let Some(v) = w.suppliers[self.index].catalog.iter_mut().find(|v| v.vid == vid) {
                v.stock = stock;
            }
            w.save();
        })
    }

    /// Sets the price of `vid` to the merchant, US cents.
    pub fn set_cost(&self, vid: &str, cost_minor: i64) {
        self.with(|w| {
            if let Some(v) = w.suppliers[self.index].catalog.iter_mut().find(|v| v.vid == vid) {
                v.cost_minor = cost_minor;
            }
            w.save();
        })
    }

    /// Makes every logistics line ship only to `countries` (ISO 3166-1 alpha-2).
    pub fn set_line_countries(&self, countries: &[&str]) {
        self.with(|w| {
            for line in &mut w.suppliers[self.index].lines {
                line.countries = countries.iter().map(|c| c.to_string()).collect();
            }
            w.save();
        })
    }

    /// Stops selling `vid` (CJ answers "variant not found" for it from now on).
    pub fn discontinue(&self, vid: &str) {
        self.with(|w| {
            if let Some(v) = w.suppliers[self.index].catalog.iter_mut().find(|v| v.vid == vid) {
                v.discontinued = true;
            }
            w.save();
        })
    }

    /// Adds variants to the catalogue.
    pub fn add_variants(&self, variants: Vec<CatalogVariant>) {
        self.with(|w| {
            w.suppliers[self.index].catalog.extend(variants);
            w.save();
        })
    }

    pub fn card_charges_minor(&self) -> i64 {
        self.with(|w| w.suppliers[self.index].card_charges.iter().map(|c| c.1).sum())
    }

    /// Ships one paid order (by CJ's order id) now.
    pub fn ship_now(&self, order_id: &str) {
        self.with(|w| {
            let now = Utc::now();
            for o in w.suppliers[self.index].orders.iter_mut().filter(|o| o.order_id == order_id) {
                if o.paid && o.ships_at > now {
                    o.ships_at = now;
                }
            }
        })
    }

    /// Every refund or reissue request the account received, oldest first.
    pub fn disputes(&self) -> Vec<crate::cj_disputes::CjDispute> {
        self.with(|w| w.suppliers[self.index].disputes.clone())
    }

    /// Settles the newest unfinished request about CJ order `order_id` (see
    /// [`crate::cj_disputes::Settlement`]); returns the reissue order's id for a reissue.
    pub fn settle_dispute(&self, order_id: &str, how: crate::cj_disputes::Settlement) -> Option<String> {
        self.with(|w| {
            let after = chrono::Duration::from_std(w.ship_after).unwrap_or_default();
            crate::cj_disputes::settle(&mut w.suppliers[self.index], order_id, how, after)
        })
    }

    /// Ships every paid order now.
    pub fn ship_all_now(&self) {
        self.with(|w| {
            let now = Utc::now();
            for o in &mut w.suppliers[self.index].orders {
                if o.paid && o.ships_at > now {
                    o.ships_at = now;
                }
            }
        })
    }

    /// Delivers every shipped order now.
    pub fn deliver_all_now(&self) {
        self.with(|w| {
            let now = Utc::now();
            for o in &mut w.suppliers[self.index].orders {
                if o.paid && o.ships_at <= now {
                    o.delivered = true;
                }
            }
        })
    }

    /// Replaces an order's tracking number (a carrier change at the supplier).
    pub fn replace_track_number(&self, order_id: &str, number: &str) {
        self.with(|w| {
            if let Some(o) = w.suppliers[self.index].orders.iter_mut().find(|o| o.order_id == order_id) {
                o.track_number = number.to_owned();
            }
        })
    }

    /// Makes createOrderV2 reply `delay` after creating the order (crash tests).
    pub fn set_create_reply_delay(&self, delay: Duration) {
        self.with(|w| w.supplier_runtime[self.index].create_reply_delay = delay)
    }

    /// The next `n` createOrderV2 calls create the order but lose the reply.
    pub fn drop_create_replies(&self, n: u32) {
        self.with(|w| w.supplier_runtime[self.index].drop_create_replies = n)
    }

    /// createOrderV2 replies leave out `orderId` from now on (`true`), as CJ says they may.
    pub fn omit_order_id(&self, omit: bool) {
        self.with(|w| w.supplier_runtime[self.index].omit_order_id = omit)
    }

    /// The next `n` createOrderV2 requests are lost before CJ creates anything (the reply is
    /// not CJ's JSON envelope).
    pub fn lose_create_requests(&self, n: u32) {
        self.with(|w| w.supplier_runtime[self.index].lose_create_requests = n)
    }

    /// `payType` 2 orders are left `CREATED`, to be paid with `payBalance` (`true`).
    pub fn defer_balance_payment(&self, defer: bool) {
        self.with(|w| w.supplier_runtime[self.index].defer_balance_payment = defer)
    }

    /// Whether CJ holds the order with this number as paid.
    pub fn is_paid(&self, order_number: &str) -> Option<bool> {
        self.with(|w| w.suppliers[self.index].orders.iter().find(|o| o.order_number == order_number).map(|o| o.paid))
    }

    /// createOrderV2 calls so far, accepted or refused.
    pub fn create_calls(&self) -> u32 {
        self.with(|w| w.supplier_runtime[self.index].create_calls)
    }

    /// New access tokens last `lifetime` (e.g. minutes, to see Dropdock refresh them).
    pub fn set_access_token_lifetime(&self, lifetime: chrono::Duration) {
        self.with(|w| w.supplier_runtime[self.index].access_token_lifetime = Some(lifetime))
    }

    /// How many times a refresh token was exchanged.
    pub fn refreshes(&self) -> u32 {
        self.with(|w| w.supplier_runtime[self.index].refreshes)
    }

    /// Forgets the getAccessToken call time, as five minutes passing would.
    pub fn allow_token_call(&self) {
        self.with(|w| w.supplier_runtime[self.index].last_token_call = None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postage_grows_with_items() {
        let line = LogisticLine {
            name: "x".into(),
            price_minor: 400,
            aging: "1-2".into(),
            countries: vec![],
            tracking_prefix: "X".into(),
            last_mile_carrier: String::new(),
        };
        assert_eq!(postage(&line, 1), 400);
        assert_eq!(postage(&line, 3), 600);
        assert_eq!(dollars(1234), json!(12.34));
        assert_eq!(dollars(500), json!(5.0));
    }
}
