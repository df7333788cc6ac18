//! Refund and replacement requests to suppliers ("disputes"), per sub-order: the buyer's
//! parcel did not arrive, arrived damaged, held the wrong item or missed one. The merchant names
//! the items and quantities, adds photos (damage needs one), and asks for a refund to My Wallet
//! or a resend.
//!
//! Where the platform has a dispute API (CJ, see `suppliers::cj::disputes`) the request goes
//! through it: its lines and allowed outcomes are read first (`dispute_quote`), the request is
//! written here as `submitting` under its key (CJ's `businessDisputeId`) before it is sent, so a
//! lost reply is looked up by its order and lines on the next follow-up (and sent again under
//! the same key, which CJ keeps unique), never doubled. [`follow_disputes`] (run with every
//! tracking poll) reads each open request's status: a refund enters the ledger as a `refund`
//! entry in the same transaction as the request's new state; a resend becomes a replacement
//! sub-order (CJ's reissue order, `resendOrderCode`) under its own key, which the tracking poller
//! follows and pushes to the store like any other (updating the store's fulfilment of the
//! original, whose items it ships again); a rejection is recorded. Where the platform has none
//! (Printful), the request is recorded with where to file it.
//!
//! Network calls happen outside any write transaction.

pub mod queries;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::context::Ctx;
use crate::error::{CoreError, Result};
use crate::fulfillment::sub_order::SubOrderState;
use crate::stores::sync::refresh_order_status;
use crate::suppliers::cj::CJ_CURRENCY;
use crate::suppliers::{DisputeOutcome, DisputeQuote, NewDispute, SupplierItem, SupplierPlatform};

/// Why the merchant asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisputeReason {
    NotReceived,
    Damaged,
    WrongItem,
    MissingItem,
}

impl DisputeReason {
    pub const ALL: [DisputeReason; 4] =
        [DisputeReason::NotReceived, DisputeReason::Damaged, DisputeReason::WrongItem, DisputeReason::MissingItem];

    /// The stored name: `not_received`, `damaged`, `wrong_item`, `missing_item`.
    pub fn as_str(self) -> &'static str {
        match self {
            DisputeReason::NotReceived => "not_received",
            DisputeReason::Damaged => "damaged",
            DisputeReason::WrongItem => "wrong_item",
            DisputeReason::MissingItem => "missing_item",
        }
    }

    /// Errors: a name that is not one of [`DisputeReason::as_str`]'s.
    pub fn parse(s: &str) -> Result<DisputeReason> {
        DisputeReason::ALL.into_iter().find(|r| r.as_str() == s.trim()).ok_or_else(|| {
            CoreError::InvalidInput(format!(
                "the reason is one of not_received, damaged, wrong_item, missing_item (not '{}')",
                crate::money::clip(s)
            ))
        })
    }

    /// Words of the supplier's own reason names that mean this one (CJ lists its reasons per
    /// order in `disputeReasonList`, by name; the page does not enumerate them).
    fn words(self) -> &'static [&'static str] {
        match self {
            DisputeReason::NotReceived => &["not received", "not arrived", "never arrived", "lost", "undelivered"],
            DisputeReason::Damaged => &["damage", "broken", "defect"],
            DisputeReason::WrongItem => &["wrong", "incorrect", "not as described"],
            DisputeReason::MissingItem => &["missing", "incomplete", "short"],
        }
    }

    /// What is sent when the merchant writes nothing (CJ requires `messageText`).
    fn default_message(self) -> &'static str {
        match self {
            DisputeReason::NotReceived => "The buyer has not received the parcel.",
            DisputeReason::Damaged => "The buyer received the item damaged; photos attached.",
            DisputeReason::WrongItem => "The buyer received a different item from the one ordered.",
            DisputeReason::MissingItem => "The parcel arrived without some of the items ordered.",
        }
    }
}

/// The supplier's reason for ours: the first of its names that carries one of our words.
fn platform_reason(quote: &DisputeQuote, reason: DisputeReason) -> Option<(i64, String)> {
    quote
        .reasons
        .iter()
        .find(|(_, name)| {
            let name = name.to_lowercase();
            reason.words().iter().any(|w| name.contains(w))
        })
        .cloned()
}

/// A supplier variant and how many units of it a request names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DisputeItem {
    pub variant_id: String,
    #[ts(type = "number")]
    pub quantity: i64,
}

/// What the merchant asks (the drawer's form, `dropdock-cli disputes open`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DisputeInput {
    #[ts(type = "number")]
    pub order_id: i64,
    /// The sub-order's supplier; may be left out when the order went to one supplier.
    #[ts(type = "number | null")]
    pub supplier_id: Option<i64>,
    /// `not_received`, `damaged`, `wrong_item` or `missing_item`.
    pub reason: String,
    /// `refund` (to My Wallet) or `resend`.
    pub wanted: String,
    /// The items and units; empty: everything the sub-order shipped.
    pub items: Vec<DisputeItem>,
    /// Photo URLs (http or https, at most 200 characters each, at most 10); damage needs one.
    pub photos: Vec<String>,
    /// At most 500 characters; empty: a sentence for the reason.
    pub message: String,
}

/// A request, as the order drawer, the Disputes filter and the CLI show it. Money in US cents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DisputeView {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub order_id: i64,
    pub order_name: String,
    pub supplier_name: String,
    pub supplier_order_number: Option<String>,
    pub reason: String,
    pub wanted: String,
    pub message: String,
    pub photos: Vec<String>,
    pub items: Vec<DisputeItem>,
    /// `submitting`, `open`, `refunded`, `resent`, `rejected`, `cancelled`, `recorded` (filed by
    /// the merchant where `file_at` says) or `failed` (refused before anything was opened).
    pub state: String,
    /// The supplier's name of the reason, and its id and status text for the request.
    pub platform_reason: Option<String>,
    pub platform_dispute_id: Option<String>,
    pub platform_status: Option<String>,
    #[ts(type = "number | null")]
    pub max_amount_minor: Option<i64>,
    #[ts(type = "number | null")]
    pub refund_minor: Option<i64>,
    /// The replacement sub-order of a resend: the supplier's order number, its state and
    /// tracking number once shipped.
    pub replacement_order_number: Option<String>,
    pub replacement_state: Option<String>,
    pub replacement_tracking: Option<String>,
    pub file_at: Option<String>,
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
}

/// A request that changed in a follow-up: what the tray says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DisputeNotice {
    #[ts(type = "number")]
    pub dispute_id: i64,
    #[ts(type = "number")]
    pub order_id: i64,
    pub order_name: String,
    pub supplier_name: String,
    /// The request's new state (`open`, `refunded`, `resent`, `rejected`).
    pub state: String,
    /// One sentence for the merchant.
    pub answer: String,
}

/// The most photos a request takes.
pub const MAX_PHOTOS: usize = 10;
/// A request `submitting` for less than this may still be on its way.
const IN_FLIGHT: chrono::Duration = chrono::Duration::minutes(2);

fn check_photos(photos: &[String], reason: DisputeReason) -> Result<Vec<String>> {
    let photos: Vec<String> = photos.iter().map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()).collect();
    if photos.len() > MAX_PHOTOS {
        return Err(CoreError::InvalidInput(format!("at most {MAX_PHOTOS} photos")));
    }
    for p in &photos {
        let ok = (p.starts_with("https://") || p.starts_with("http://"))
            && p.len() <= 200
            && !p.chars().any(|c| c.is_control() || c.is_whitespace());
        if !ok {
            return Err(CoreError::InvalidInput(format!(
                "a photo is a web address (http or https, at most 200 characters): '{}'",
                crate::money::clip(p)
            )));
        }
    }
    if reason == DisputeReason::Damaged && photos.is_empty() {
        return Err(CoreError::InvalidInput("a damaged item needs at least one photo".into()));
    }
    Ok(photos)
}

fn check_message(message: &str, reason: DisputeReason) -> Result<String> {
    let message = message.trim();
    if message.chars().any(|c| c.is_control() && c != '\n') {
        return Err(CoreError::InvalidInput("the message has control characters".into()));
    }
    if message.chars().count() > 500 {
        return Err(CoreError::InvalidInput("the message is at most 500 characters".into()));
    }
    Ok(if message.is_empty() { reason.default_message().to_owned() } else { message.to_owned() })
}

/// The items a request names: those asked for, each within what the sub-order shipped, or
/// everything it shipped.
fn check_items(asked: &[DisputeItem], shipped: &[(String, i64)]) -> Result<Vec<SupplierItem>> {
    if asked.is_empty() {
        return Ok(shipped.iter().map(|(v, q)| SupplierItem { variant_id: v.clone(), quantity: *q }).collect());
    }
    let mut items: Vec<SupplierItem> = Vec::new();
    for item in asked {
        let vid = item.variant_id.trim();
        let Some((_, sent)) = shipped.iter().find(|(v, _)| v == vid) else {
            return Err(CoreError::InvalidInput(format!(
                "{} is not in this sub-order (it has {})",
                crate::money::clip(vid),
                shipped.iter().map(|(v, _)| v.as_str()).collect::<Vec<_>>().join(", ")
            )));
        };
        let total = items.iter().filter(|i| i.variant_id == vid).map(|i| i.quantity).sum::<i64>() + item.quantity;
        if item.quantity < 1 || total > *sent {
            return Err(CoreError::InvalidInput(format!("{vid}: between 1 and {sent} unit(s), as shipped")));
        }
        match items.iter_mut().find(|i| i.variant_id == vid) {
            Some(i) => i.quantity += item.quantity,
            None => items.push(SupplierItem { variant_id: vid.to_owned(), quantity: item.quantity }),
        }
    }
    Ok(items)
}

/// Opens a refund or replacement request (see the module doc). Errors (nothing is written):
/// a bad reason, outcome, item, photo or message; an order with no sub-order at a supplier (or
/// several, and no supplier named); a sub-order not paid yet (cancel it instead) or with a
/// request still open; a supplier that offers no such reason or outcome for these items. A
/// reply lost after sending leaves the request `submitting`, looked up on the next follow-up.
pub async fn open_dispute(ctx: &Ctx, input: &DisputeInput) -> Result<DisputeView> {
    let reason = DisputeReason::parse(&input.reason)?;
    let resend = match input.wanted.trim() {
        "refund" => false,
        "resend" => true,
        other => {
            return Err(CoreError::InvalidInput(format!(
                "the outcome wanted is refund or resend (not '{}')",
                crate::money::clip(other)
            )))
        }
    };
    let photos = check_photos(&input.photos, reason)?;
    let message = check_message(&input.message, reason)?;
    let (sub, shipped, count, open) = ctx.db.read(|c| {
        let subs = queries::sub_orders(c, input.order_id)?;
        let order = crate::orders::queries::order_name(c, input.order_id)?;
        let at_supplier: Vec<_> = subs.into_iter().filter(|s| s.supplier_order_id.is_some()).collect();
        let sub = match input.supplier_id {
            Some(id) => at_supplier
                .into_iter()
                .find(|s| s.supplier_id == id)
                .ok_or_else(|| CoreError::InvalidInput(format!("{order} has no sub-order at that supplier")))?,
            None if at_supplier.len() == 1 => at_supplier.into_iter().next().expect("one"),
            None if at_supplier.is_empty() => {
                return Err(CoreError::InvalidInput(format!(
                    "{order} has not reached a supplier: nothing to ask about"
                )))
            }
            None => {
                return Err(CoreError::InvalidInput(format!(
                    "{order} went to several suppliers: name one ({})",
                    at_supplier.iter().map(|s| s.supplier_name.as_str()).collect::<Vec<_>>().join(", ")
                )))
            }
        };
        let shipped = queries::sub_order_units(c, sub.id)?;
        let (count, open) = queries::request_counts(c, sub.id)?;
        Ok((sub, shipped, count, open))
    })?;
    if !matches!(sub.state, SubOrderState::Paid | SubOrderState::Shipped | SubOrderState::Delivered) {
        return Err(CoreError::InvalidInput(format!(
            "the sub-order at {} is {}: a request is for a paid order (cancel an unpaid one instead)",
            sub.supplier_name, sub.state
        )));
    }
    if let Some(open) = open {
        return Err(CoreError::InvalidInput(format!(
            "request D{open} about this sub-order is still open: wait for its answer or cancel it"
        )));
    }
    let items = check_items(&input.items, &shipped)?;
    let key = format!("{}-D{}", sub.key, count + 1);
    let supplier_order_id = sub.supplier_order_id.clone().expect("at the supplier");
    let platform = SupplierPlatform::parse(&sub.supplier_kind)?;
    let now = Utc::now();
    let base = |state, platform_reason, max_amount_minor, file_at, items: &[(String, i64, Option<String>)]| {
        let row = queries::NewRow {
            sub_id: sub.id,
            key: &key,
            reason: reason.as_str(),
            wanted: if resend { "resend" } else { "refund" },
            message: &message,
            photos: &photos,
            state,
            platform_reason,
            max_amount_minor,
            file_at,
            items,
            now,
        };
        ctx.db.write(|tx| queries::insert(tx, &row))
    };
    if !platform.capabilities().disputes {
        let items: Vec<_> = items.iter().map(|i| (i.variant_id.clone(), i.quantity, None)).collect();
        let id = base("recorded", None, None, platform.dispute_instructions(), &items)?;
        return dispute(ctx, id);
    }
    let client = ctx.supplier_client(sub.supplier_id)?;
    let quote = ctx.observe(client.dispute_quote(&supplier_order_id, &items).await)?;
    let Some((reason_id, reason_name)) = platform_reason(&quote, reason) else {
        return Err(CoreError::InvalidInput(format!(
            "{} offers no reason like '{}' for these items (it offers: {})",
            sub.supplier_name,
            reason.as_str().replace('_', " "),
            quote.reasons.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(", ")
        )));
    };
    if (resend && !quote.resend) || (!resend && !quote.refund) {
        return Err(CoreError::InvalidInput(format!(
            "{} does not offer a {} for these items",
            sub.supplier_name,
            if resend { "resend" } else { "refund" }
        )));
    }
    let mut rows: Vec<(String, i64, Option<String>)> = Vec::new();
    for line in &quote.lines {
        rows.push((line.vid.clone(), line.quantity, Some(line.line_ref.clone())));
    }
    let id = base("submitting", Some(reason_name.as_str()), quote.max_amount_minor, None, &rows)?;
    let request = NewDispute {
        key: key.clone(),
        supplier_order_id: supplier_order_id.clone(),
        reason_id,
        resend,
        message,
        photos,
        lines: quote.lines.clone(),
    };
    match ctx.observe(client.create_dispute(&request).await) {
        Ok(()) => {
            ctx.db.write(|tx| queries::set_state(tx, id, &["submitting"], "open", None, None, None, Utc::now()))?;
            // Its id at the supplier, when the list already shows it (else the next follow-up).
            if let Err(e) = follow_one(ctx, id).await {
                tracing::info!(dispute = id, error = %e, "the new request is not listed yet");
            }
        }
        Err(CoreError::Connector(e)) if e.is_ambiguous() => {
            let note = format!("sent, but the answer was lost ({e}): Dropdock looks it up at the supplier");
            ctx.db.write(|tx| {
                queries::set_state(tx, id, &["submitting"], "submitting", None, None, Some(&note), Utc::now())
            })?;
        }
        Err(e) => {
            ctx.db.write(|tx| {
                queries::set_state(tx, id, &["submitting"], "failed", None, None, Some(&e.to_string()), Utc::now())
            })?;
            return Err(e);
        }
    }
    dispute(ctx, id)
}

/// One request. Errors: `NotFound`.
pub fn dispute(ctx: &Ctx, id: i64) -> Result<DisputeView> {
    ctx.db
        .read(|c| queries::view_rows(c, "all", None, Some(id)))?
        .into_iter()
        .next()
        .ok_or_else(|| CoreError::NotFound(format!("no request D{id}")))
}

/// The requests, newest first (at most 500): `open` (sent, open, or recorded to be filed by
/// hand), `resolved`, or `all`; optionally of one order. Errors: another filter.
pub fn disputes(ctx: &Ctx, filter: &str, order_id: Option<i64>) -> Result<Vec<DisputeView>> {
    if !matches!(filter, "open" | "resolved" | "all") {
        return Err(CoreError::InvalidInput(format!(
            "the filter is open, resolved or all (not '{}')",
            crate::money::clip(filter)
        )));
    }
    ctx.db.read(|c| queries::view_rows(c, filter, order_id, None))
}

/// Follows every request sent or open at its supplier (see the module doc); returns those whose
/// state changed. A supplier that cannot be asked is skipped (and asked again next time).
pub async fn follow_disputes(ctx: &Ctx) -> Result<Vec<DisputeNotice>> {
    let due = ctx.db.read(queries::to_follow)?;
    let mut notices = Vec::new();
    for d in due {
        match follow_one(ctx, d.id).await {
            Ok(Some(notice)) => notices.push(notice),
            Ok(None) => {}
            Err(e) => tracing::info!(dispute = d.id, error = %e, "request not followed this time"),
        }
    }
    Ok(notices)
}

/// Follows one request; returns a notice when its state changed.
async fn follow_one(ctx: &Ctx, id: i64) -> Result<Option<DisputeNotice>> {
    let Some(d) = ctx.db.read(|c| queries::followed_one(c, id))? else { return Ok(None) };
    if !matches!(d.state.as_str(), "submitting" | "open") {
        return Ok(None);
    }
    let client = ctx.supplier_client(d.supplier_id)?;
    let listed = ctx.observe(client.disputes_of(&d.supplier_order_id).await)?;
    let (ours, taken) = ctx.db.read(|c| Ok((queries::items(c, id)?, queries::linked_ids(c, d.sub_id, id)?)))?;
    let found = match &d.platform_id {
        Some(pid) => listed.iter().find(|l| &l.id == pid),
        // Not known yet: the listed request on our lines that no other request of ours holds.
        None => listed.iter().find(|l| {
            !taken.contains(&l.id)
                && ours.iter().filter_map(|(_, _, r)| r.as_ref()).all(|r| l.line_refs.contains(r))
                && !l.line_refs.is_empty()
        }),
    };
    let Some(found) = found else {
        if d.state == "submitting" && Utc::now() - d.updated_at >= IN_FLIGHT {
            resend_request(ctx, &d, &ours).await?;
        }
        return Ok(None);
    };
    let notice = |state: &str, answer: String| DisputeNotice {
        dispute_id: id,
        order_id: d.order_id,
        order_name: d.order_name.clone(),
        supplier_name: d.supplier_name.clone(),
        state: state.to_owned(),
        answer,
    };
    let now = Utc::now();
    let from = ["submitting", "open"];
    match (found.outcome, found.refund_minor, found.resend_order_id.as_deref()) {
        (Some(DisputeOutcome::Refund), Some(money), _) => {
            let moved = ctx.db.write(|tx| {
                let moved =
                    queries::set_state(tx, id, &from, "refunded", Some(&found.id), Some(&found.status), None, now)?;
                if moved {
                    queries::set_refund(tx, id, money)?;
                    if money > 0 {
                        let note = format!("refund for request D{id} ({})", d.reason.replace('_', " "));
                        crate::orders::queries::refund_to_wallet(
                            tx,
                            d.supplier_id,
                            d.sub_id,
                            money,
                            CJ_CURRENCY,
                            &note,
                            now,
                        )?;
                    }
                    refresh_order_status(tx, d.order_id)?;
                }
                Ok(moved)
            })?;
            Ok(moved.then(|| {
                notice(
                    "refunded",
                    format!(
                        "{} refunded ${} to My Wallet",
                        d.supplier_name,
                        crate::money::format_minor(money, CJ_CURRENCY)
                    ),
                )
            }))
        }
        (Some(DisputeOutcome::Resend), _, Some(resend_order)) => {
            let key = format!("{}-RS", d.key);
            let moved = ctx.db.write(|tx| {
                let moved =
                    queries::set_state(tx, id, &from, "resent", Some(&found.id), Some(&found.status), None, now)?;
                if moved {
                    queries::insert_replacement(tx, d.sub_id, &key, resend_order, id, now)?;
                    refresh_order_status(tx, d.order_id)?;
                    crate::orders::search::reindex_order(tx, d.order_id)?;
                }
                Ok(moved)
            })?;
            Ok(moved
                .then(|| notice("resent", format!("{} sends a replacement as order {resend_order}", d.supplier_name))))
        }
        (Some(DisputeOutcome::Rejected), _, _) => {
            let moved = ctx.db.write(|tx| {
                queries::set_state(tx, id, &from, "rejected", Some(&found.id), Some(&found.status), None, now)
            })?;
            Ok(moved
                .then(|| notice("rejected", format!("{} rejected the request ({})", d.supplier_name, found.status))))
        }
        // Still deciding (or settled without the amount or reissue order yet): keep its status.
        _ => {
            let first_seen = d.platform_id.is_none() || d.state == "submitting";
            ctx.db.write(|tx| {
                queries::set_state(tx, id, &from, "open", Some(&found.id), Some(&found.status), None, now).map(|_| ())
            })?;
            Ok((first_seen && d.state == "submitting")
                .then(|| notice("open", format!("{} has the request ({})", d.supplier_name, found.status))))
        }
    }
}

/// A request whose reply was lost and that the supplier does not list: sent again under the
/// same key (CJ keeps `businessDisputeId` unique, so a second create cannot double it).
async fn resend_request(ctx: &Ctx, d: &queries::Followed, items: &[(String, i64, Option<String>)]) -> Result<()> {
    let view = dispute(ctx, d.id)?;
    let client = ctx.supplier_client(d.supplier_id)?;
    let asked: Vec<SupplierItem> =
        items.iter().map(|(v, q, _)| SupplierItem { variant_id: v.clone(), quantity: *q }).collect();
    let quote = ctx.observe(client.dispute_quote(&d.supplier_order_id, &asked).await)?;
    let reason = DisputeReason::parse(&view.reason)?;
    let Some((reason_id, _)) = platform_reason(&quote, reason) else { return Ok(()) };
    let request = NewDispute {
        key: d.key.clone(),
        supplier_order_id: d.supplier_order_id.clone(),
        reason_id,
        resend: view.wanted == "resend",
        message: view.message,
        photos: view.photos,
        lines: quote.lines,
    };
    let result = ctx.observe(client.create_dispute(&request).await);
    let note = match &result {
        Ok(()) => None,
        Err(e) => Some(format!("sent again, the supplier answered: {e}")),
    };
    let state = if result.is_ok() { "open" } else { "submitting" };
    ctx.db.write(|tx| queries::set_state(tx, d.id, &["submitting"], state, None, None, note.as_deref(), Utc::now()))?;
    Ok(())
}

/// Withdraws a request: at the supplier where it is open there (CJ `disputes/cancel`), or here
/// for one recorded to be filed by hand. Errors: a request still being sent or not yet listed by
/// the supplier (try again shortly), one already settled, the supplier refusing or unreachable
/// (nothing changes).
pub async fn cancel_dispute(ctx: &Ctx, id: i64) -> Result<DisputeView> {
    let read = |ctx: &Ctx| {
        ctx.db.read(|c| queries::followed_one(c, id))?.ok_or_else(|| CoreError::NotFound(format!("no request D{id}")))
    };
    let mut d = read(ctx)?;
    match d.state.as_str() {
        "recorded" => {
            ctx.db.write(|tx| queries::set_state(tx, id, &["recorded"], "cancelled", None, None, None, Utc::now()))?;
            return dispute(ctx, id);
        }
        "submitting" => {
            return Err(CoreError::InvalidInput(format!("request D{id} is still being sent: try again in a minute")))
        }
        "open" => {}
        other => return Err(CoreError::InvalidInput(format!("request D{id} is {other}: nothing to cancel"))),
    }
    // Not listed when it was opened: ask the supplier for its id (it may also have settled).
    if d.platform_id.is_none() {
        follow_one(ctx, id).await?;
        d = read(ctx)?;
    }
    let Some(pid) = d.platform_id.as_deref() else {
        return Err(CoreError::InvalidInput(format!(
            "{} does not list request D{id} yet: try again in a minute",
            d.supplier_name
        )));
    };
    if d.state == "open" {
        ctx.observe(ctx.supplier_client(d.supplier_id)?.cancel_dispute(&d.supplier_order_id, pid).await)?;
        ctx.db.write(|tx| queries::set_state(tx, id, &["open"], "cancelled", None, None, None, Utc::now()))?;
    }
    dispute(ctx, id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_supplier_reason_is_found_by_its_words() {
        let quote = DisputeQuote {
            lines: Vec::new(),
            reasons: vec![
                (1, "Package Not Received".into()),
                (2, "Product damaged".into()),
                (3, "Wrong product".into()),
            ],
            refund: true,
            resend: true,
            max_amount_minor: None,
        };
        assert_eq!(platform_reason(&quote, DisputeReason::Damaged), Some((2, "Product damaged".into())));
        assert_eq!(platform_reason(&quote, DisputeReason::NotReceived).map(|r| r.0), Some(1));
        assert_eq!(platform_reason(&quote, DisputeReason::MissingItem), None, "none offered: none guessed");
    }

    #[test]
    fn items_are_within_what_shipped_and_damage_needs_a_photo() {
        let shipped = vec![("V1".to_owned(), 2), ("V2".to_owned(), 1)];
        let all = check_items(&[], &shipped).unwrap();
        assert_eq!(all.len(), 2);
        let one = check_items(&[DisputeItem { variant_id: "V1".into(), quantity: 2 }], &shipped).unwrap();
        assert_eq!(one, vec![SupplierItem { variant_id: "V1".into(), quantity: 2 }]);
        assert!(check_items(&[DisputeItem { variant_id: "V1".into(), quantity: 3 }], &shipped).is_err());
        assert!(check_items(&[DisputeItem { variant_id: "V9".into(), quantity: 1 }], &shipped).is_err());
        assert!(check_photos(&[], DisputeReason::Damaged).is_err());
        assert!(check_photos(&["file:///etc/passwd".into()], DisputeReason::NotReceived).is_err());
        assert_eq!(check_photos(&[" https://x.example/a.jpg ".into()], DisputeReason::Damaged).unwrap().len(), 1);
        assert_eq!(
            check_message("  ", DisputeReason::NotReceived).unwrap(),
            DisputeReason::NotReceived.default_message()
        );
        assert!(check_message(&"x".repeat(501), DisputeReason::NotReceived).is_err());
    }
}
