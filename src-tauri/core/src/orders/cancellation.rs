//! "Cancel fulfilment": the merchant takes an order back from fulfilment.
//!
//! Before submission the order simply leaves the queue: its queued "Ship order" is dropped and
//! its sub-orders that never reached a supplier become `cancelled`. After submission Dropdock
//! asks each supplier (CJ `deleteOrder`) and shows the answer: a cancelled sub-order paid from My
//! Wallet gets its refund in the ledger, in the same transaction; a refusal (the order is being
//! processed or has shipped) leaves the sub-order as it was, with the supplier's words.
//!
//! Either way the order is then held by the merchant, so Auto Fulfillment does not send it
//! again; "Release" puts it back, and a sub-order cancelled at the supplier is then sent under a
//! new order number (`fulfillment::resend_key`).

use chrono::Utc;
use serde::Serialize;
use ts_rs::TS;

use crate::context::Ctx;
use crate::error::{CoreError, Result};
use crate::fulfillment::sub_order::SubOrderState;
use crate::orders::queries::{self, SubOrderRow};
use crate::stores::sync::refresh_order_status;
use crate::suppliers::cj::CJ_CURRENCY;
use crate::suppliers::CancelAnswer;

/// What happened to one sub-order (or, for an order never sent, to the order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CancelOutcome {
    pub order_name: String,
    /// `None` for an order that had no sub-order yet.
    pub supplier_name: Option<String>,
    /// True when it is cancelled (or was never sent, and now will not be).
    pub cancelled: bool,
    /// What to tell the merchant: "taken out of the queue", or the supplier's answer (shown
    /// after `supplier_name`).
    pub answer: String,
}

/// The result of "Cancel fulfilment" on a selection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CancelResult {
    pub outcomes: Vec<CancelOutcome>,
}

impl CancelResult {
    /// The CLI's summary line, e.g. `Cancelled 2 sub-orders, refused 1`.
    pub fn summary(&self) -> String {
        let cancelled = self.outcomes.iter().filter(|o| o.cancelled).count();
        format!(
            "Cancelled {cancelled} sub-order{}, refused {}",
            if cancelled == 1 { "" } else { "s" },
            self.outcomes.len() - cancelled
        )
    }
}

/// What came of the store's cancellation of an order for one sub-order that had reached its
/// supplier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct StoreCancelOutcome {
    #[ts(type = "number")]
    pub order_id: i64,
    pub order_name: String,
    pub supplier_name: String,
    /// `cancelled` at the supplier (a wallet charge refunded), or `too_late` (it had shipped,
    /// or the supplier refused): "cancelled in the store after sending", ask for a refund.
    pub outcome: String,
    /// The supplier's answer, or what to do.
    pub answer: String,
}

/// Follows up orders the store cancelled (Shopify `cancelledAt`, WooCommerce `cancelled` /
/// `refunded`, Etsy `canceled` / `fully refunded`) after their sub-orders reached a supplier:
/// each one not shipped is cancelled there where the platform allows it (CJ `deleteOrder`
/// before dispatch; the wallet charge refunded in the same transaction), else it is flagged
/// `too_late` ("cancelled in the store after sending": the merchant asks the supplier for a
/// refund). Once per sub-order; one the supplier could not be asked about is tried again on the
/// next call and not reported. Run after every order sync; network calls happen outside any
/// write transaction.
pub async fn follow_store_cancellations(ctx: &Ctx) -> Result<Vec<StoreCancelOutcome>> {
    let due = ctx.db.read(queries::sent_but_cancelled_in_store)?;
    let mut outcomes = Vec::new();
    for (order_id, order_name, sub) in due {
        let (outcome, answer) = if matches!(sub.state, SubOrderState::Shipped | SubOrderState::Delivered) {
            (
                "too_late",
                format!("it had shipped before the store cancelled the order: ask {} for a refund", sub.supplier_name),
            )
        } else {
            match cancel_sub_order(ctx, order_id, &sub).await? {
                (true, answer) => ("cancelled", answer),
                (false, answer) if answer.starts_with("could not ask") || answer.starts_with("being sent") => {
                    ("unknown", answer)
                }
                (false, answer) => ("too_late", format!("{answer}: ask {} for a refund", sub.supplier_name)),
            }
        };
        ctx.db.write(|tx| {
            queries::set_store_cancel_outcome(tx, sub.id, outcome, &answer, Utc::now())?;
            refresh_order_status(tx, order_id)?;
            Ok(())
        })?;
        tracing::info!(order = %order_name, supplier = %sub.supplier_name, outcome, "cancelled in the store after sending");
        if outcome != "unknown" {
            outcomes.push(StoreCancelOutcome {
                order_id,
                order_name,
                supplier_name: sub.supplier_name.clone(),
                outcome: outcome.to_owned(),
                answer,
            });
        }
    }
    Ok(outcomes)
}

/// A sub-order `submitting` for less than this may have its request in flight in another worker:
/// cancelling it now could race the supplier's reply, so the merchant is asked to retry.
const IN_FLIGHT: chrono::Duration = chrono::Duration::minutes(2);

/// Cancels the fulfilment of each order in `order_ids` (see the module doc). Errors only
/// for an empty selection, an unknown order or a database failure; a supplier that cannot be
/// reached gives that sub-order's outcome "could not reach…", and nothing changes for it.
pub async fn cancel_fulfillment(ctx: &Ctx, order_ids: &[i64]) -> Result<CancelResult> {
    if order_ids.is_empty() {
        return Err(CoreError::InvalidInput("select at least one order".into()));
    }
    let mut result = CancelResult::default();
    for &order_id in order_ids {
        let (order_name, subs) =
            ctx.db.read(|c| Ok((queries::order_name(c, order_id)?, queries::sub_orders_to_cancel(c, order_id)?)))?;
        // First out of the queue and held, so nothing sends it while the suppliers answer.
        let was_queued = ctx.db.write(|tx| {
            let dropped = queries::dequeue_order(tx, order_id)?;
            queries::hold_by_merchant(tx, order_id, Utc::now())?;
            refresh_order_status(tx, order_id)?;
            Ok(dropped)
        })?;
        if subs.is_empty() {
            result.outcomes.push(CancelOutcome {
                order_name: order_name.clone(),
                supplier_name: None,
                cancelled: true,
                answer: if was_queued {
                    "taken out of the queue before it was sent; held until you release it".into()
                } else {
                    "not sent to any supplier; held until you release it".into()
                },
            });
        }
        for sub in subs {
            let outcome = cancel_sub_order(ctx, order_id, &sub).await?;
            result.outcomes.push(CancelOutcome {
                order_name: order_name.clone(),
                supplier_name: Some(sub.supplier_name.clone()),
                cancelled: outcome.0,
                answer: outcome.1,
            });
        }
    }
    Ok(result)
}

/// Cancels one sub-order; returns (cancelled, answer).
async fn cancel_sub_order(ctx: &Ctx, order_id: i64, sub: &SubOrderRow) -> Result<(bool, String)> {
    match sub.state {
        SubOrderState::Cancelled => return Ok((true, "already cancelled".into())),
        state if !state.can_cancel() => {
            return Ok((false, format!("already {state}: it can no longer be cancelled")));
        }
        SubOrderState::Submitting if Utc::now() - sub.updated_at < IN_FLIGHT => {
            return Ok((false, "being sent right now: try again in a minute".into()));
        }
        _ => {}
    }
    let client = ctx.supplier_client(sub.supplier_id)?;
    // Where a send may have reached the supplier, ask it by our order number.
    let mut supplier_order_id = sub.supplier_order_id.clone();
    if supplier_order_id.is_none() && sub.state.needs_lookup() {
        match ctx.observe(client.order_detail(&sub.idempotency_key).await) {
            Ok(found) => supplier_order_id = found.map(|f| f.supplier_order_id),
            Err(e) => return Ok((false, format!("could not ask the supplier ({e}); try again"))),
        }
    }
    let Some(supplier_order_id) = supplier_order_id else {
        record_cancelled(ctx, order_id, sub, "taken out of the queue before it was sent", false)?;
        return Ok((true, "taken out of the queue before it was sent".into()));
    };
    match ctx.observe(client.cancel_order(&supplier_order_id).await) {
        Ok(CancelAnswer::Cancelled) => {
            let paid = sub.state == SubOrderState::Paid;
            let answer = format!(
                "cancelled order {supplier_order_id}{}",
                match (paid, sub.payment_method.as_deref()) {
                    (true, Some("card")) => "; the charge goes back to your card",
                    (true, _) => "; the charge is refunded to My Wallet",
                    (false, _) => "",
                }
            );
            record_cancelled(ctx, order_id, sub, &answer, paid && sub.payment_method.as_deref() != Some("card"))?;
            Ok((true, answer))
        }
        Ok(CancelAnswer::Refused(reason)) => {
            let answer = format!("refused: {reason}");
            ctx.db.write(|tx| queries::set_cancel_answer(tx, sub.id, &answer, Utc::now()))?;
            Ok((false, answer))
        }
        Err(e) => Ok((false, format!("could not ask the supplier ({e}); try again"))),
    }
}

/// Marks a sub-order cancelled with the answer; with `refund`, the wallet charge comes back
/// to the ledger and the local balance in the same transaction.
fn record_cancelled(ctx: &Ctx, order_id: i64, sub: &SubOrderRow, answer: &str, refund: bool) -> Result<()> {
    ctx.db.write(|tx| {
        let now = Utc::now();
        let changed = queries::mark_cancelled(tx, sub.id, answer, now)?;
        let amount = sub.cost_minor.unwrap_or(0);
        if changed && refund && amount > 0 {
            let note = format!("order {} cancelled", sub.supplier_order_id.as_deref().unwrap_or(""));
            queries::refund_to_wallet(tx, sub.supplier_id, sub.id, amount, CJ_CURRENCY, &note, now)?;
        }
        refresh_order_status(tx, order_id)?;
        Ok(())
    })
}
