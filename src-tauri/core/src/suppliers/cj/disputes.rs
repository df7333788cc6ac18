//! CJdropshipping's Dispute calls: refund and replacement requests about a paid order.
//!
//! Source: developers.cjdropshipping.com "API 2.0" → 07 Dispute
//! (<https://developers.cjdropshipping.com/en/api/api2/api/dispute.html>):
//! 1. `GET disputes/disputeProducts?orderId=`: the order's lines (`lineItemId`, `cjVariantId`,
//!    `price` in USD, `quantity`, `canChoose`: false when a request is already open on it);
//! 2. `POST disputes/disputeConfirmInfo {orderId, productInfoList[{lineItemId, quantity, price}]}`:
//!    what may be asked for those lines: `expectResultOptionList` (strings, "1" refund,
//!    "2" reissue), `maxAmount` (USD) and `disputeReasonList[{disputeReasonId, reasonName}]`;
//! 3. `POST disputes/create {businessDisputeId, orderId, disputeReasonId, expectType, refundType,
//!    messageText (≤ 500), imageUrl[] (≤ 200 each), productInfoList}`: `businessDisputeId` is
//!    "the customer business id, unique"; the page shows no success body, so nothing is read
//!    from it and the request's id comes from the list;
//! 4. `POST disputes/cancel {orderId, disputeId}`;
//! 5. `GET disputes/getDisputeList?orderId=&pageNum=&pageSize=` (default page size 10): `list[]`
//!    of `id`, `status` (a string the page does not enumerate: shown as it is), `money` (the
//!    final refund, USD), `finallyDeal` (1 refund, 2 reissue, 3 reject; absent until settled),
//!    `resendOrderCode` (the reissue order), `productList[{lineItemId, cjVariantId}]`.
//!
//! The list does not carry `businessDisputeId`: a request is recognised by its order and its
//! lines (CJ lets one request at a time name a line, `canChoose`). Ids, prices and quantities
//! are read whether CJ sends them as numbers or strings.

use serde_json::{json, Value};

use super::{malformed, number_text, CjClient, CJ_CURRENCY};
use crate::error::{CoreError, Result};
use crate::money::parse_minor;
use crate::suppliers::{DisputeLine, DisputeOutcome, DisputeQuote, NewDispute, SupplierDispute, SupplierItem};

/// `refundType` 1: the refund goes to the CJ balance (My Wallet), where the order was paid from.
const REFUND_TO_BALANCE: u8 = 1;
/// Requests listed per page (CJ's default is 10).
const LIST_PAGE_SIZE: u32 = 50;
/// Pages read at most when looking for a request (250 requests about one order).
const LIST_PAGES: u32 = 5;

/// A line of `disputeProducts` as CJ offers it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct OfferedLine {
    line_ref: String,
    vid: String,
    quantity: i64,
    price_minor: i64,
    can_choose: bool,
}

fn text_of(v: &Value) -> Option<String> {
    number_text(v)
}

fn money_of(v: &Value, what: &str) -> Result<i64> {
    let text = text_of(v).ok_or_else(|| malformed(&format!("{what} has no price")))?;
    parse_minor(&text, CJ_CURRENCY).map_err(|e| malformed(&format!("{what} price {e}")))
}

fn count_of(v: &Value) -> Option<i64> {
    text_of(v).and_then(|t| t.parse::<i64>().ok())
}

fn offered_lines(data: &Value) -> Result<Vec<OfferedLine>> {
    let Some(list) = data["productInfoList"].as_array() else {
        return Err(malformed("disputeProducts has no productInfoList"));
    };
    list.iter()
        .map(|p| {
            Ok(OfferedLine {
                line_ref: text_of(&p["lineItemId"]).ok_or_else(|| malformed("a disputable line has no lineItemId"))?,
                vid: text_of(&p["cjVariantId"]).unwrap_or_default(),
                quantity: count_of(&p["quantity"]).unwrap_or(0),
                price_minor: money_of(&p["price"], "a disputable line")?,
                can_choose: p["canChoose"].as_bool().unwrap_or(false),
            })
        })
        .collect()
}

/// Picks CJ's lines for the items asked about: each item's units from the lines of its variant
/// that may be chosen, in CJ's order. Errors name the variant and why.
fn choose_lines(offered: &[OfferedLine], items: &[SupplierItem]) -> Result<Vec<DisputeLine>> {
    let mut chosen = Vec::new();
    for item in items {
        let mut left = item.quantity;
        let of_variant: Vec<&OfferedLine> = offered.iter().filter(|l| l.vid == item.variant_id).collect();
        if of_variant.is_empty() {
            return Err(CoreError::InvalidInput(format!(
                "CJdropshipping has no line of {} on this order",
                item.variant_id
            )));
        }
        for line in of_variant.iter().filter(|l| l.can_choose && l.quantity > 0) {
            if left == 0 {
                break;
            }
            let take = left.min(line.quantity);
            chosen.push(DisputeLine {
                line_ref: line.line_ref.clone(),
                vid: line.vid.clone(),
                quantity: take,
                price_minor: line.price_minor,
            });
            left -= take;
        }
        if left == item.quantity {
            return Err(CoreError::InvalidInput(format!(
                "CJdropshipping does not let a request name {} now (a request is already open on it, or its time is over)",
                item.variant_id
            )));
        }
        if left > 0 {
            return Err(CoreError::InvalidInput(format!(
                "CJdropshipping allows a request about {} unit(s) of {} at most",
                item.quantity - left,
                item.variant_id
            )));
        }
    }
    Ok(chosen)
}

fn wire_lines(lines: &[DisputeLine]) -> Value {
    Value::Array(
        lines
            .iter()
            .map(|l| {
                json!({
                    "lineItemId": l.line_ref,
                    "quantity": l.quantity,
                    "price": crate::money::format_minor(l.price_minor, CJ_CURRENCY).parse::<f64>().unwrap_or(0.0),
                })
            })
            .collect(),
    )
}

fn parse_quote(data: &Value, lines: Vec<DisputeLine>) -> Result<DisputeQuote> {
    let options: Vec<String> =
        data["expectResultOptionList"].as_array().map(|l| l.iter().filter_map(text_of).collect()).unwrap_or_default();
    let reasons = data["disputeReasonList"]
        .as_array()
        .map(|l| {
            l.iter()
                .filter_map(|r| {
                    let id = count_of(&r["disputeReasonId"])?;
                    let name = r["reasonName"].as_str().map(str::trim).filter(|n| !n.is_empty())?;
                    Some((id, name.to_owned()))
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(DisputeQuote {
        lines,
        reasons,
        refund: options.iter().any(|o| o == "1"),
        resend: options.iter().any(|o| o == "2"),
        max_amount_minor: text_of(&data["maxAmount"]).and_then(|t| parse_minor(&t, CJ_CURRENCY).ok()),
    })
}

fn parse_dispute(row: &Value) -> Result<SupplierDispute> {
    let id = text_of(&row["id"]).ok_or_else(|| malformed("a dispute has no id"))?;
    let status = row["status"].as_str().map(str::trim).unwrap_or("").to_owned();
    let outcome = match count_of(&row["finallyDeal"]) {
        Some(1) => Some(DisputeOutcome::Refund),
        Some(2) => Some(DisputeOutcome::Resend),
        Some(3) => Some(DisputeOutcome::Rejected),
        _ => None,
    };
    Ok(SupplierDispute {
        id,
        status,
        outcome,
        refund_minor: text_of(&row["money"]).and_then(|t| parse_minor(&t, CJ_CURRENCY).ok()),
        resend_order_id: text_of(&row["resendOrderCode"]),
        line_refs: row["productList"]
            .as_array()
            .map(|l| l.iter().filter_map(|p| text_of(&p["lineItemId"])).collect())
            .unwrap_or_default(),
    })
}

impl CjClient {
    /// Steps 1 and 2: the lines for `items` and what may be asked for them.
    pub async fn dispute_quote(&self, cj_order_id: &str, items: &[SupplierItem]) -> Result<DisputeQuote> {
        let data =
            self.authed(reqwest::Method::GET, "disputes/disputeProducts", &[("orderId", cj_order_id)], None).await?;
        let lines = choose_lines(&offered_lines(&data)?, items)?;
        let body = json!({ "orderId": cj_order_id, "productInfoList": wire_lines(&lines) });
        let data = self.authed(reqwest::Method::POST, "disputes/disputeConfirmInfo", &[], Some(body)).await?;
        parse_quote(&data, lines)
    }

    /// Step 3: creates the request; the reply's body is not read (the page shows none).
    pub async fn create_dispute(&self, dispute: &NewDispute) -> Result<()> {
        let mut body = json!({
            "businessDisputeId": dispute.key,
            "orderId": dispute.supplier_order_id,
            "disputeReasonId": dispute.reason_id,
            "expectType": if dispute.resend { 2 } else { 1 },
            "refundType": REFUND_TO_BALANCE,
            "messageText": dispute.message.chars().take(500).collect::<String>(),
            "productInfoList": wire_lines(&dispute.lines),
        });
        if !dispute.photos.is_empty() {
            body["imageUrl"] = json!(dispute.photos);
        }
        self.authed(reqwest::Method::POST, "disputes/create", &[], Some(body)).await.map(|_| ())
    }

    /// Step 5: every request about the order, as listed (up to [`LIST_PAGES`] pages).
    pub async fn disputes_of(&self, cj_order_id: &str) -> Result<Vec<SupplierDispute>> {
        let mut found = Vec::new();
        for page in 1..=LIST_PAGES {
            let (page_text, size_text) = (page.to_string(), LIST_PAGE_SIZE.to_string());
            let query = [("orderId", cj_order_id), ("pageNum", page_text.as_str()), ("pageSize", size_text.as_str())];
            let data = self.authed(reqwest::Method::GET, "disputes/getDisputeList", &query, None).await?;
            let list = match &data["list"] {
                Value::Array(l) => l.clone(),
                Value::Null => Vec::new(),
                _ => return Err(malformed("getDisputeList's list is not a list")),
            };
            let last = (list.len() as u32) < LIST_PAGE_SIZE
                || count_of(&data["total"]).is_some_and(|t| t <= i64::from(page * LIST_PAGE_SIZE));
            for row in &list {
                found.push(parse_dispute(row)?);
            }
            if last {
                break;
            }
        }
        Ok(found)
    }

    /// Step 4: withdraws a request.
    pub async fn cancel_dispute(&self, cj_order_id: &str, dispute_id: &str) -> Result<()> {
        let body = json!({ "orderId": cj_order_id, "disputeId": dispute_id });
        self.authed(reqwest::Method::POST, "disputes/cancel", &[], Some(body)).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offered() -> Vec<OfferedLine> {
        // The page's example line, with its awkward parts: ids as numbers or strings.
        offered_lines(&json!({
            "orderId": "75727832844206081",
            "productInfoList": [
                { "lineItemId": "27572784056172547", "cjVariantId": "70030020612476928", "canChoose": true,
                  "price": 23.00, "quantity": 1, "sku": "CJSJ1041743" },
                { "lineItemId": 27572784056172548_i64, "cjVariantId": "V2", "canChoose": false, "price": "4.50", "quantity": "3" }
            ]
        }))
        .unwrap()
    }

    #[test]
    fn lines_are_read_from_numbers_or_strings() {
        let lines = offered();
        assert_eq!(lines[0].price_minor, 2300);
        assert_eq!(lines[1].line_ref, "27572784056172548");
        assert_eq!((lines[1].quantity, lines[1].price_minor, lines[1].can_choose), (3, 450, false));
    }

    #[test]
    fn a_line_that_cannot_be_chosen_or_too_many_units_is_refused_with_the_variant() {
        let lines = offered();
        let ok = choose_lines(&lines, &[SupplierItem { variant_id: "70030020612476928".into(), quantity: 1 }]).unwrap();
        assert_eq!(ok[0].line_ref, "27572784056172547");
        let busy = choose_lines(&lines, &[SupplierItem { variant_id: "V2".into(), quantity: 1 }]).unwrap_err();
        assert!(busy.to_string().contains("already open"), "{busy}");
        let many =
            choose_lines(&lines, &[SupplierItem { variant_id: "70030020612476928".into(), quantity: 2 }]).unwrap_err();
        assert!(many.to_string().contains("1 unit(s)"), "{many}");
        let absent = choose_lines(&lines, &[SupplierItem { variant_id: "nope".into(), quantity: 1 }]).unwrap_err();
        assert!(absent.to_string().contains("no line of nope"), "{absent}");
    }

    #[test]
    fn the_options_are_strings_and_the_final_deal_a_number_or_absent() {
        let quote = parse_quote(
            &json!({ "expectResultOptionList": ["1"], "maxAmount": 25.5,
                     "disputeReasonList": [{ "disputeReasonId": 3, "reasonName": "Damaged" }, { "disputeReasonId": 9, "reasonName": "" }] }),
            Vec::new(),
        )
        .unwrap();
        assert!(quote.refund && !quote.resend);
        assert_eq!(quote.max_amount_minor, Some(2550));
        assert_eq!(quote.reasons, vec![(3, "Damaged".to_owned())]);
        let open = parse_dispute(&json!({ "id": 1001, "status": "Processing", "money": null, "resendOrderCode": "" }))
            .unwrap();
        assert_eq!(
            (open.id.as_str(), open.outcome, open.refund_minor, open.resend_order_id),
            ("1001", None, None, None)
        );
        let settled = parse_dispute(&json!({ "id": "7", "status": "Finished", "finallyDeal": "1", "money": "12.30",
                                             "productList": [{ "lineItemId": "L1" }] }))
        .unwrap();
        assert_eq!((settled.outcome, settled.refund_minor), (Some(DisputeOutcome::Refund), Some(1230)));
        assert_eq!(settled.line_refs, vec!["L1".to_owned()]);
        assert!(parse_dispute(&json!({ "status": "x" })).is_err(), "a request without an id is not guessed");
    }
}
