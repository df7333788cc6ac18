//! The life of a sub-order (one supplier's part of an order), in one place: its typed state,
//! every transition with the states it may start from, and the actions it allows.
//!
//! Stored as the state's name in `supplier_order.state` (the schema's CHECK lists the same
//! names), exported to TypeScript as a union type. Every write of a state goes through a
//! [`Transition`]: its SQL guard (`state IN (…)`) makes a transition that no longer applies (a
//! reply that arrives after another worker recorded the order as paid) change nothing, so a
//! paid sub-order is never written back to `failed`.
//!
//! ```text
//!            ┌──── Send ────┐        Created          Paid
//! (none) ──▶ │  submitting  │ ──────▶ submitted ─────────▶ paid ──Shipped──▶ shipped ──Delivered──▶ delivered
//!            └──────────────┘ ─────────────── Paid ───────▶
//!               │  Unknown ▶ ambiguous   Unreachable ▶ pending   Refused ▶ failed
//!               ▼  (each of these, and cancelled, may be sent again: Send)
//! any state but shipped/delivered ── Cancelled ──▶ cancelled
//! ```

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where a sub-order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SubOrderState {
    /// Waiting to be sent (queued offline, or unreachable before anything was sent).
    Pending,
    /// The row is committed and the request may be in flight: its outcome is unknown until the
    /// reply is recorded, so a crash here is looked up by our order number before any resend.
    Submitting,
    /// The supplier created the order; it is not paid yet (a retry pays it, never re-creates).
    Submitted,
    /// The supplier has it and was paid.
    Paid,
    /// The supplier shipped it: it has a tracking number.
    Shipped,
    /// The carrier delivered it.
    Delivered,
    /// Kept back (a legacy state: holds live on the order today).
    Held,
    /// The supplier refused it; the error says why. May be sent again.
    Failed,
    /// Cancelled at the supplier (or before it reached one). Sent again under a new number.
    Cancelled,
    /// The reply was lost or unreadable: the supplier may or may not hold it. Looked up by our
    /// order number before anything is sent again; never counted as paid.
    Ambiguous,
}

impl SubOrderState {
    pub const ALL: [SubOrderState; 10] = [
        SubOrderState::Pending,
        SubOrderState::Submitting,
        SubOrderState::Submitted,
        SubOrderState::Paid,
        SubOrderState::Shipped,
        SubOrderState::Delivered,
        SubOrderState::Held,
        SubOrderState::Failed,
        SubOrderState::Cancelled,
        SubOrderState::Ambiguous,
    ];

    /// The stored spelling, e.g. `submitting`.
    pub const fn as_str(self) -> &'static str {
        match self {
            SubOrderState::Pending => "pending",
            SubOrderState::Submitting => "submitting",
            SubOrderState::Submitted => "submitted",
            SubOrderState::Paid => "paid",
            SubOrderState::Shipped => "shipped",
            SubOrderState::Delivered => "delivered",
            SubOrderState::Held => "held",
            SubOrderState::Failed => "failed",
            SubOrderState::Cancelled => "cancelled",
            SubOrderState::Ambiguous => "ambiguous",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The supplier has it and was paid: a retry of the order leaves this supplier out, and it
    /// counts in the wallet's spending.
    pub const fn is_with_supplier(self) -> bool {
        matches!(self, SubOrderState::Paid | SubOrderState::Shipped | SubOrderState::Delivered)
    }

    /// Counts toward the order's status (Processing, Shipped…): sent or being sent.
    pub const fn is_active(self) -> bool {
        !matches!(self, SubOrderState::Cancelled | SubOrderState::Held | SubOrderState::Pending)
    }

    /// Waiting for its tracking number: the supplier holds it and has not shipped.
    pub const fn awaits_shipment(self) -> bool {
        matches!(self, SubOrderState::Submitted | SubOrderState::Paid)
    }

    /// Its last attempt may have reached the supplier without a readable reply: look it up by
    /// our order number before sending anything.
    pub const fn needs_lookup(self) -> bool {
        matches!(self, SubOrderState::Submitting | SubOrderState::Ambiguous)
    }

    /// "Cancel fulfilment" may act on it (before or after submission; the supplier may refuse).
    pub const fn can_cancel(self) -> bool {
        !matches!(self, SubOrderState::Shipped | SubOrderState::Delivered | SubOrderState::Cancelled)
    }

    /// The SQL list of the states for which `keep` is true, e.g. `('paid', 'shipped', 'delivered')`,
    /// for `state IN …` (never empty: `keep` must hold for some state).
    pub fn sql_set(keep: impl Fn(SubOrderState) -> bool) -> String {
        sql_list(Self::ALL.into_iter().filter(|s| keep(*s)))
    }
}

fn sql_list(states: impl Iterator<Item = SubOrderState>) -> String {
    let names: Vec<String> = states.map(|s| format!("'{}'", s.as_str())).collect();
    assert!(!names.is_empty(), "an empty state set matches nothing");
    format!("({})", names.join(", "))
}

impl std::fmt::Display for SubOrderState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// Compares with the stored spelling (`state == "paid"`), as scripts and tests read it.
impl PartialEq<&str> for SubOrderState {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl ToSql for SubOrderState {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for SubOrderState {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let s = value.as_str()?;
        SubOrderState::parse(s).ok_or_else(|| FromSqlError::Other(format!("unknown sub-order state {s:?}").into()))
    }
}

/// Every change of a sub-order's state. [`Transition::to`] is where it goes;
/// [`Transition::from`] the states it may start from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// "Ship order" (by hand, bulk, queue or Auto Fulfillment) starts sending: the row is
    /// committed as `submitting` before any call to the supplier.
    Send,
    /// The supplier created the order but it is not paid yet.
    Created,
    /// The supplier accepted the order and was paid (wallet or card).
    Paid,
    /// The reply was lost or unreadable: the supplier may hold the order.
    Unknown,
    /// The supplier could not be reached before anything was sent: back to waiting.
    Unreachable,
    /// The supplier refused the order (its error is kept).
    Refused,
    /// The supplier gave a tracking number.
    Shipped,
    /// The carrier delivered it.
    Delivered,
    /// Cancelled at the supplier, or taken out before it reached one.
    Cancelled,
}

impl Transition {
    /// The state it leads to.
    pub const fn to(self) -> SubOrderState {
        match self {
            Transition::Send => SubOrderState::Submitting,
            Transition::Created => SubOrderState::Submitted,
            Transition::Paid => SubOrderState::Paid,
            Transition::Unknown => SubOrderState::Ambiguous,
            Transition::Unreachable => SubOrderState::Pending,
            Transition::Refused => SubOrderState::Failed,
            Transition::Shipped => SubOrderState::Shipped,
            Transition::Delivered => SubOrderState::Delivered,
            Transition::Cancelled => SubOrderState::Cancelled,
        }
    }

    /// Whether it may start from `state`.
    pub const fn from(self, state: SubOrderState) -> bool {
        use SubOrderState as S;
        match self {
            // Anything the supplier does not hold paid may be (re)sent.
            Transition::Send => !state.is_with_supplier(),
            // A reply (or a look-up) about a send in progress, or about an order sent earlier
            // whose outcome was unknown or which was created but not paid.
            Transition::Created | Transition::Paid => {
                matches!(state, S::Submitting | S::Ambiguous | S::Pending | S::Submitted | S::Failed)
            }
            Transition::Unknown | Transition::Unreachable | Transition::Refused => {
                matches!(state, S::Submitting | S::Submitted | S::Ambiguous)
            }
            Transition::Shipped => state.awaits_shipment(),
            Transition::Delivered => matches!(state, S::Shipped),
            Transition::Cancelled => state.can_cancel(),
        }
    }

    /// The SQL guard of this transition, `state IN (…)` over the states it may start from.
    pub fn guard(self) -> String {
        format!("state IN {}", sql_list(SubOrderState::ALL.into_iter().filter(|s| self.from(*s))))
    }

    /// `Ok(to)` when it applies to `state`, else the refusal in words.
    pub fn apply(self, state: SubOrderState) -> Result<SubOrderState, String> {
        if self.from(state) {
            Ok(self.to())
        } else {
            Err(format!("a {state} sub-order cannot become {}", self.to()))
        }
    }
}

/// What the merchant may do with an order now, decided here once so no front end re-derives it:
/// the order drawer enables its buttons from these, the CLI refuses the same way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct OrderActions {
    /// "Ship order": the order waits for its suppliers (To order, or Failed), nothing holds it
    /// but Auto Fulfillment's own checks (funds, cost limit: by hand it may still go), and it is
    /// not queued already.
    pub can_ship: bool,
    /// "Hold": it has not gone to its suppliers and is not held by the merchant already.
    pub can_hold: bool,
    /// "Release": the merchant held it, the last Ship order found no shipping line, the store
    /// rates its risk of fraud high (releasing it accepts that risk), or a supplier's price moved
    /// (releasing it accepts the new price).
    pub can_release: bool,
    /// "Cancel fulfilment": it is queued, or one of its sub-orders may still be cancelled.
    pub can_cancel: bool,
}

impl OrderActions {
    /// From the order's status, its hold, whether a Ship order waits in the offline queue, and
    /// its sub-orders' states.
    pub fn of(
        status: crate::model::OrderStatus,
        hold: Option<crate::fulfillment::HoldKind>,
        queued: bool,
        sub_orders: impl IntoIterator<Item = SubOrderState>,
    ) -> OrderActions {
        use crate::fulfillment::HoldKind;
        use crate::model::OrderStatus;
        let waiting = matches!(status, OrderStatus::ToOrder | OrderStatus::Failed);
        let can_release = matches!(
            hold,
            Some(HoldKind::Merchant | HoldKind::NoShippingLine | HoldKind::HighRisk | HoldKind::CostChanged)
        );
        OrderActions {
            can_ship: waiting && !queued && hold.is_none_or(|h| h.is_auto_only()),
            can_hold: !can_release && (waiting || status == OrderStatus::AwaitingPayment),
            can_release,
            can_cancel: queued || sub_orders.into_iter().any(SubOrderState::can_cancel),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRANSITIONS: [Transition; 9] = [
        Transition::Send,
        Transition::Created,
        Transition::Paid,
        Transition::Unknown,
        Transition::Unreachable,
        Transition::Refused,
        Transition::Shipped,
        Transition::Delivered,
        Transition::Cancelled,
    ];

    #[test]
    fn names_round_trip_and_match_the_schema() {
        for s in SubOrderState::ALL {
            assert_eq!(SubOrderState::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.as_str()));
        }
        // The schema's CHECK accepts exactly these names.
        let schema = include_str!("../../migrations/01_init.sql");
        let expected = SubOrderState::sql_set(|_| true).replace(' ', "");
        assert!(schema.replace(' ', "").contains(&format!("CHECK(stateIN{expected})")), "{expected}");
    }

    #[test]
    fn a_paid_sub_order_is_never_sent_again_nor_downgraded() {
        for s in [SubOrderState::Paid, SubOrderState::Shipped, SubOrderState::Delivered] {
            for t in [
                Transition::Send,
                Transition::Unknown,
                Transition::Refused,
                Transition::Unreachable,
                Transition::Created,
            ] {
                assert!(t.apply(s).is_err(), "{t:?} from {s}");
            }
        }
        // A lost reply and a crash mid-send are looked up, not counted as paid.
        assert!(!SubOrderState::Ambiguous.is_with_supplier());
        assert!(SubOrderState::Ambiguous.needs_lookup() && SubOrderState::Submitting.needs_lookup());
    }

    #[test]
    fn every_state_is_reachable_and_the_happy_path_holds() {
        let mut s = Transition::Send.to();
        for t in [Transition::Created, Transition::Paid, Transition::Shipped, Transition::Delivered] {
            s = t.apply(s).unwrap();
        }
        assert_eq!(s, SubOrderState::Delivered);
        let reached: Vec<SubOrderState> = TRANSITIONS.iter().map(|t| t.to()).collect();
        for state in SubOrderState::ALL.into_iter().filter(|s| *s != SubOrderState::Held) {
            assert!(reached.contains(&state), "{state} is never reached");
        }
        // Every transition starts from at least one state, so its guard is valid SQL.
        for t in TRANSITIONS {
            assert!(t.guard().starts_with("state IN ('"), "{t:?}");
        }
        assert_eq!(Transition::Delivered.guard(), "state IN ('shipped')");
        assert_eq!(SubOrderState::sql_set(SubOrderState::is_with_supplier), "('paid', 'shipped', 'delivered')");
    }

    #[test]
    fn order_actions_follow_status_hold_and_queue() {
        use crate::fulfillment::HoldKind;
        use crate::model::OrderStatus;
        let to_order = OrderActions::of(OrderStatus::ToOrder, None, false, []);
        assert!(to_order.can_ship && to_order.can_hold && !to_order.can_release && !to_order.can_cancel);
        // Auto Fulfillment's own holds leave Ship order by hand open; the others close it.
        assert!(OrderActions::of(OrderStatus::ToOrder, Some(HoldKind::WaitingForFunds), false, []).can_ship);
        let held = OrderActions::of(OrderStatus::ToOrder, Some(HoldKind::Merchant), false, []);
        assert!(!held.can_ship && held.can_release && !held.can_hold);
        assert!(!OrderActions::of(OrderStatus::ToOrder, Some(HoldKind::UnmappedSku), false, []).can_ship);
        // Queued: not twice, but it may be taken out.
        let queued = OrderActions::of(OrderStatus::ToOrder, None, true, []);
        assert!(!queued.can_ship && queued.can_cancel);
        let shipped = OrderActions::of(OrderStatus::Shipped, None, false, [SubOrderState::Shipped]);
        assert_eq!(shipped, OrderActions::default());
        assert!(OrderActions::of(OrderStatus::Processing, None, false, [SubOrderState::Paid]).can_cancel);
    }

    #[test]
    fn cancelling_stops_at_shipment() {
        assert!(Transition::Cancelled.apply(SubOrderState::Paid).is_ok());
        assert!(Transition::Cancelled.apply(SubOrderState::Shipped).is_err());
        assert!(Transition::Cancelled.apply(SubOrderState::Cancelled).is_err());
        // A cancelled sub-order may be sent again (under a new number).
        assert_eq!(Transition::Send.apply(SubOrderState::Cancelled), Ok(SubOrderState::Submitting));
    }
}
