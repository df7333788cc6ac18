//! A CJdropshipping account's Dispute interface, as CJ's page publishes it (read for the
//! sandbox on its own, not from Dropdock's client).
//!
//! Source: developers.cjdropshipping.com "API 2.0" → 07 Dispute
//! (<https://developers.cjdropshipping.com/en/api/api2/api/dispute.html>):
//! `GET disputes/disputeProducts?orderId=` (the order's lines: `lineItemId`, `cjProductId`,
//! `cjVariantId`, `canChoose`, `price` USD, `quantity`, `cjProductName`, `cjImage`, `sku`,
//! `supplierName`; `canChoose` false while an unfinished request names the line);
//! `POST disputes/disputeConfirmInfo` (`expectResultOptionList` as strings, `maxProductPrice`,
//! `maxPostage`, `maxAmount`, the lines, `disputeReasonList[{disputeReasonId, reasonName}]`);
//! `POST disputes/create` (its required fields; `businessDisputeId` unique); `POST
//! disputes/cancel {orderId, disputeId}`; `GET disputes/getDisputeList` (`pageNum`, `pageSize`
//! default 10; rows `id`, `status`, `disputeReason`, `replacementAmount`, `resendOrderCode`,
//! `money`, `finallyDeal` 1 refund / 2 reissue / 3 reject, `createDate`, `productList`). Errors
//! use the pages' error example, 1600100 "Param error".
//!
//! The page does not list CJ's reason names, its status strings or a success body for create:
//! the sandbox names its own reasons (only "Unfulfilled order cancellation" for an order not
//! shipped yet), says `Processing` / `Completed` / `Cancelled`, answers create with `true`, and
//! leaves `resendOrderCode` an empty string and `money` null until the request is settled.

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::cj::{authorised, dollars, envelope, ok, status_of, CjAccountData, CjOrder, Ctx};

/// A request as the account keeps it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CjDispute {
    pub id: String,
    pub business_id: String,
    pub order_id: String,
    pub reason_id: i64,
    /// 1 refund, 2 reissue.
    pub expect_type: i64,
    pub refund_type: i64,
    pub message: String,
    pub images: Vec<String>,
    /// `(lineItemId, vid, quantity, unit price in US cents)`.
    pub lines: Vec<(String, String, i64, i64)>,
    /// `Processing`, `Completed` or `Cancelled`.
    pub status: String,
    pub finally_deal: Option<i64>,
    pub money_minor: Option<i64>,
    pub resend_order_code: String,
    pub created_at: DateTime<Utc>,
}

/// How a request is settled (tests, the demo).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settlement {
    /// Refunded to the balance, US cents.
    Refund(i64),
    /// Reissued as a new order that ships like any other.
    Reissue,
    Reject,
}

const REASONS_SHIPPED: [(i64, &str); 5] = [
    (101, "Package not received"),
    (102, "Product damaged or defective"),
    (103, "Wrong product received"),
    (104, "Missing items in the package"),
    (105, "Other"),
];
const REASON_UNSHIPPED: (i64, &str) = (100, "Unfulfilled order cancellation");

/// CJ's `lineItemId` of the order's `n`th product (digits, as the page's example).
pub(crate) fn line_item_id(order: &CjOrder, n: usize) -> String {
    let digits: String = order.order_id.chars().filter(char::is_ascii_digit).collect();
    format!("{digits}{:03}", n + 1)
}

fn price_of(account: &CjAccountData, vid: &str) -> i64 {
    account.catalog.iter().find(|v| v.vid == vid).map_or(0, |v| v.cost_minor)
}

/// Units of a line already named by requests not cancelled, and whether one is unfinished.
fn claimed(account: &CjAccountData, order_id: &str, line: &str) -> (i64, bool) {
    let mut units = 0;
    let mut open = false;
    for d in account.disputes.iter().filter(|d| d.order_id == order_id && d.status != "Cancelled") {
        for l in d.lines.iter().filter(|l| l.0 == line) {
            units += l.2;
            open |= d.status == "Processing";
        }
    }
    (units, open)
}

fn lines_json(account: &CjAccountData, order: &CjOrder) -> Vec<Value> {
    order
        .products
        .iter()
        .enumerate()
        .map(|(n, (vid, quantity))| {
            let line = line_item_id(order, n);
            let (units, open) = claimed(account, &order.order_id, &line);
            let name = account.catalog.iter().find(|v| &v.vid == vid).map_or("", |v| v.name.as_str());
            json!({
                "lineItemId": line, "cjProductId": format!("PID-{}", vid.trim_start_matches("VID-")),
                "cjVariantId": vid, "canChoose": !open && units < *quantity,
                "price": dollars(price_of(account, vid)), "quantity": (quantity - units).max(0),
                "cjProductName": name, "cjImage": "", "sku": "", "supplierName": account.name,
            })
        })
        .collect()
}

fn find<'a>(account: &'a CjAccountData, order_id: &str) -> Option<&'a CjOrder> {
    account.orders.iter().find(|o| !order_id.is_empty() && (o.order_id == order_id || o.order_number == order_id))
}

fn param_error(what: &str) -> Json<Value> {
    envelope(1600100, &format!("Param error: {what}"), Value::Null)
}

/// The account's paid, not cancelled order `order_id` names, or the page's error reply.
fn disputable<'a>(account: &'a CjAccountData, order_id: &str) -> Result<&'a CjOrder, Json<Value>> {
    let order = find(account, order_id).ok_or_else(|| param_error("orderId is not an order of this account"))?;
    if !order.paid || order.cancelled {
        return Err(param_error("Order cannot be disputed"));
    }
    Ok(order)
}

#[derive(Deserialize)]
pub(crate) struct OrderQuery {
    #[serde(rename = "orderId", default)]
    order_id: String,
}

/// `GET disputes/disputeProducts?orderId=`: a paid order's lines.
pub(crate) async fn dispute_products(
    State((world, index)): Ctx,
    headers: HeaderMap,
    Query(q): Query<OrderQuery>,
) -> Json<Value> {
    let w = world.lock().expect("world");
    if !authorised(&w, index, &headers) {
        return envelope(1600001, "Invalid access token", Value::Null);
    }
    let account = &w.suppliers[index];
    let order = match disputable(account, &q.order_id) {
        Ok(o) => o,
        Err(reply) => return reply,
    };
    ok(
        json!({ "orderId": order.order_id, "orderNumber": order.order_number, "productInfoList": lines_json(account, order) }),
    )
}

/// The request's lines as `(lineItemId, vid, quantity, price)`, checked against the order.
fn read_lines(
    account: &CjAccountData,
    order: &CjOrder,
    list: &Value,
) -> Result<Vec<(String, String, i64, i64)>, String> {
    let Some(list) = list.as_array().filter(|l| !l.is_empty()) else {
        return Err("productInfoList is required".into());
    };
    let offered = lines_json(account, order);
    let mut lines = Vec::new();
    for item in list {
        let id = match &item["lineItemId"] {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return Err("lineItemId is required".into()),
        };
        let quantity = item["quantity"].as_i64().or_else(|| item["quantity"].as_str()?.parse().ok()).unwrap_or(0);
        if item["price"].is_null() {
            return Err("price is required".into());
        }
        let Some(line) = offered.iter().find(|l| l["lineItemId"] == id.as_str()) else {
            return Err(format!("lineItemId {id} is not on the order"));
        };
        if line["canChoose"] != true || quantity < 1 || quantity > line["quantity"].as_i64().unwrap_or(0) {
            return Err(format!("lineItemId {id} cannot be disputed for {quantity}"));
        }
        let vid = line["cjVariantId"].as_str().unwrap_or_default().to_owned();
        let price = price_of(account, &vid);
        lines.push((id, vid, quantity, price));
    }
    Ok(lines)
}

fn reasons_for(order: &CjOrder) -> Vec<(i64, &'static str)> {
    if matches!(status_of(order), "SHIPPED" | "DELIVERED") {
        REASONS_SHIPPED.to_vec()
    } else {
        vec![REASON_UNSHIPPED]
    }
}

/// `POST disputes/disputeConfirmInfo {orderId, productInfoList}`.
pub(crate) async fn dispute_confirm_info(
    State((world, index)): Ctx,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Json<Value> {
    let w = world.lock().expect("world");
    if !authorised(&w, index, &headers) {
        return envelope(1600001, "Invalid access token", Value::Null);
    }
    let account = &w.suppliers[index];
    let order = match disputable(account, body["orderId"].as_str().unwrap_or_default()) {
        Ok(o) => o,
        Err(reply) => return reply,
    };
    let lines = match read_lines(account, order, &body["productInfoList"]) {
        Ok(l) => l,
        Err(e) => return param_error(&e),
    };
    let products: i64 = lines.iter().map(|l| l.2 * l.3).sum();
    let shipped = matches!(status_of(order), "SHIPPED" | "DELIVERED");
    let postage = if shipped { order.postage_minor } else { 0 };
    let offered = lines_json(account, order);
    ok(json!({
        "orderId": order.order_id, "orderNumber": order.order_number,
        "expectResultOptionList": if shipped { json!(["1", "2"]) } else { json!(["1"]) },
        "maxProductPrice": dollars(products), "maxPostage": dollars(postage),
        "maxIossTaxAmount": 0, "maxIossHandTaxAmount": 0, "maxAmount": dollars(products + postage),
        "productInfoList": offered.into_iter().filter(|l| lines.iter().any(|x| l["lineItemId"] == x.0.as_str())).collect::<Vec<_>>(),
        "disputeReasonList": reasons_for(order).into_iter()
            .map(|(id, name)| json!({ "disputeReasonId": id, "reasonName": name })).collect::<Vec<_>>(),
    }))
}

/// `POST disputes/create`.
pub(crate) async fn dispute_create(
    State((world, index)): Ctx,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Json<Value> {
    let mut w = world.lock().expect("world");
    if !authorised(&w, index, &headers) {
        return envelope(1600001, "Invalid access token", Value::Null);
    }
    let text = |k: &str| body[k].as_str().map(str::trim).unwrap_or_default().to_owned();
    let number = |k: &str| body[k].as_i64().or_else(|| body[k].as_str()?.parse().ok());
    let business_id = text("businessDisputeId");
    let message = text("messageText");
    if business_id.is_empty() || business_id.chars().count() > 100 {
        return param_error("businessDisputeId is required (at most 100 characters)");
    }
    if message.is_empty() || message.chars().count() > 500 {
        return param_error("messageText is required (at most 500 characters)");
    }
    let (Some(reason_id), Some(expect_type), Some(refund_type)) =
        (number("disputeReasonId"), number("expectType"), number("refundType"))
    else {
        return param_error("disputeReasonId, expectType and refundType are required");
    };
    let images: Vec<String> = body["imageUrl"]
        .as_array()
        .map(|l| l.iter().filter_map(|u| u.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    if images.iter().any(|u| u.chars().count() > 200) {
        return param_error("an imageUrl is over 200 characters");
    }
    let account = &w.suppliers[index];
    if account.disputes.iter().any(|d| d.business_id == business_id) {
        return param_error("businessDisputeId already exists");
    }
    let order = match disputable(account, &text("orderId")) {
        Ok(o) => o.clone(),
        Err(reply) => return reply,
    };
    if !reasons_for(&order).iter().any(|r| r.0 == reason_id) {
        return param_error("disputeReasonId is not offered for this order");
    }
    let shipped = matches!(status_of(&order), "SHIPPED" | "DELIVERED");
    if !(expect_type == 1 || (expect_type == 2 && shipped)) || !(1..=2).contains(&refund_type) {
        return param_error("expectType or refundType is not offered");
    }
    let lines = match read_lines(account, &order, &body["productInfoList"]) {
        Ok(l) => l,
        Err(e) => return param_error(&e),
    };
    let account = &mut w.suppliers[index];
    account.next_dispute += 1;
    let id = format!("{}", 880_000 + account.next_dispute);
    account.disputes.push(CjDispute {
        id,
        business_id,
        order_id: order.order_id.clone(),
        reason_id,
        expect_type,
        refund_type,
        message,
        images,
        lines,
        status: "Processing".into(),
        finally_deal: None,
        money_minor: None,
        resend_order_code: String::new(),
        created_at: Utc::now(),
    });
    w.save();
    ok(Value::Bool(true))
}

/// `POST disputes/cancel {orderId, disputeId}`.
pub(crate) async fn dispute_cancel(
    State((world, index)): Ctx,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Json<Value> {
    let mut w = world.lock().expect("world");
    if !authorised(&w, index, &headers) {
        return envelope(1600001, "Invalid access token", Value::Null);
    }
    let id = match &body["disputeId"] {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return param_error("disputeId is required"),
    };
    let order_id = body["orderId"].as_str().unwrap_or_default().to_owned();
    let account = &mut w.suppliers[index];
    let Some(d) = account.disputes.iter_mut().find(|d| d.id == id && d.order_id == order_id) else {
        return param_error("no such dispute on this order");
    };
    if d.status != "Processing" {
        return param_error("the dispute is finished");
    }
    d.status = "Cancelled".into();
    w.save();
    ok(Value::Bool(true))
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    #[serde(rename = "orderId", default)]
    order_id: String,
    #[serde(rename = "disputeId", default)]
    dispute_id: String,
    #[serde(rename = "orderNumber", default)]
    order_number: String,
    #[serde(rename = "pageNum")]
    page_num: Option<usize>,
    #[serde(rename = "pageSize")]
    page_size: Option<usize>,
}

/// `GET disputes/getDisputeList`.
pub(crate) async fn dispute_list(
    State((world, index)): Ctx,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Json<Value> {
    let w = world.lock().expect("world");
    if !authorised(&w, index, &headers) {
        return envelope(1600001, "Invalid access token", Value::Null);
    }
    let account = &w.suppliers[index];
    let (page, size) = (q.page_num.unwrap_or(1).max(1), q.page_size.unwrap_or(10).clamp(1, 100));
    let rows: Vec<&CjDispute> = account
        .disputes
        .iter()
        .rev()
        .filter(|d| q.order_id.is_empty() || d.order_id == q.order_id)
        .filter(|d| q.dispute_id.is_empty() || d.id == q.dispute_id)
        .filter(|d| {
            q.order_number.is_empty() || find(account, &d.order_id).is_some_and(|o| o.order_number == q.order_number)
        })
        .collect();
    let list: Vec<Value> = rows
        .iter()
        .skip((page - 1) * size)
        .take(size)
        .map(|d| {
            let reason = REASONS_SHIPPED.iter().chain([&REASON_UNSHIPPED]).find(|r| r.0 == d.reason_id).map_or("", |r| r.1);
            let mut row = json!({
                "id": d.id, "status": d.status, "disputeReason": reason,
                "replacementAmount": if d.finally_deal == Some(2) {
                    dollars(d.lines.iter().map(|l| l.2 * l.3).sum())
                } else { Value::Null },
                "resendOrderCode": d.resend_order_code,
                "money": d.money_minor.map_or(Value::Null, dollars),
                "createDate": d.created_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                "productList": d.lines.iter().map(|l| json!({
                    "image": "", "price": dollars(l.3), "lineItemId": l.0, "cjProductId": format!("PID-{}", l.1.trim_start_matches("VID-")),
                    "cjVariantId": l.1, "productName": "", "supplierName": account.name,
                })).collect::<Vec<_>>(),
            });
            if let Some(deal) = d.finally_deal {
                row["finallyDeal"] = json!(deal);
            }
            row
        })
        .collect();
    ok(json!({ "pageNum": page, "pageSize": size, "total": rows.len(), "list": list }))
}

/// Settles the newest unfinished request about CJ order `order_id` (tests, the demo). A refund
/// goes to the balance; a reissue is a new paid order of the request's lines, shipping like any
/// other. Returns the reissue order's id. Does nothing when no request is unfinished.
pub(crate) fn settle(
    account: &mut CjAccountData,
    order_id: &str,
    how: Settlement,
    ship_after: chrono::Duration,
) -> Option<String> {
    let original = account.orders.iter().find(|o| o.order_id == order_id)?.clone();
    let d = account.disputes.iter_mut().rev().find(|d| d.order_id == order_id && d.status == "Processing")?;
    d.status = "Completed".into();
    match how {
        Settlement::Refund(minor) => {
            d.finally_deal = Some(1);
            d.money_minor = Some(minor);
            account.balance_minor += minor;
            None
        }
        Settlement::Reject => {
            d.finally_deal = Some(3);
            d.money_minor = Some(0);
            None
        }
        Settlement::Reissue => {
            d.finally_deal = Some(2);
            let products: Vec<(String, i64)> = d.lines.iter().map(|l| (l.1.clone(), l.2)).collect();
            account.next_order += 1;
            let now = Utc::now();
            let id = format!("CJ{}{:07}", now.format("%y%m%d"), account.next_order);
            d.resend_order_code = id.clone();
            let prefix: String = original.track_number.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
            account.orders.push(CjOrder {
                order_id: id.clone(),
                order_number: format!("{}-RS", original.order_number),
                products,
                amount_minor: 0,
                postage_minor: 0,
                paid: true,
                paid_by_card: false,
                cancelled: false,
                delivered: false,
                created_at: now,
                ships_at: now + ship_after,
                track_number: format!("{prefix}{:012}", rand::random::<u64>() % 1_000_000_000_000),
                ..original
            });
            Some(id)
        }
    }
}
