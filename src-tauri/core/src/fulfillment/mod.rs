//! "Ship order": split an order by supplier into sub-orders, choose each one's shipping line,
//! and send each to its supplier exactly once.
//!
//! Exactly once: the `supplier_order` row, with its deterministic idempotency key, is committed
//! before the network call; the key is sent as the supplier's own order reference, which the
//! platform keeps unique (CJ's `orderNumber`, Printful's `external_id`). A timeout or an
//! unreadable reply marks the row `ambiguous`, and an ambiguous row is looked up at the supplier
//! (by its id when known, else by that key) before anything is created or paid again. The
//! platform is reached only through its [`crate::suppliers::SupplierConnector`].

pub mod address_check;
pub mod payment_card;
pub mod queries;
pub mod shipping;
pub mod sub_order;

use chrono::Utc;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::auto_fulfillment::PaymentMethod;
use crate::context::Ctx;
use crate::error::{CoreError, Result};
use crate::fulfillment::sub_order::{SubOrderState, Transition};
use crate::memo::Memo;
use crate::model::{is_paid_status, Address, OrderStatus};
use crate::stores::sync::refresh_order_status;
use crate::suppliers::{NewSupplierOrder, ShippingLine, SupplierItem, SupplierOrder, SupplierOrderStatus};

/// One supplier variant going to a supplier for a line item (a bundle ships one line item as
/// several).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedItem {
    pub line_item_id: i64,
    pub variant_id: String,
    /// Supplier units: the line's quantity times the part's.
    pub quantity: i64,
    /// The store line item's quantity (what is pushed to the store when it ships).
    pub line_quantity: i64,
    /// The mapping option used: 1 the primary, 2.. a backup.
    pub priority: i64,
    /// Why the earlier options were passed over (a backup only).
    pub backup_reason: Option<String>,
}

/// The part of an order one supplier ships.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedSubOrder {
    pub supplier_id: i64,
    pub supplier_name: String,
    pub items: Vec<PlannedItem>,
}

/// One line item still to send, with the mapping options it may go by.
#[derive(Debug, Clone)]
pub struct PlannedLine {
    pub line_item_id: i64,
    /// Its SKU, else its title: how holds name it.
    pub label: String,
    pub quantity: i64,
    /// Primary first, then backups (one option for a mapping by SKU or by country).
    pub options: Vec<crate::products::MappingOption>,
    /// The most one store unit may cost under an option (US cents).
    pub cost_limit_minor: Option<i64>,
    /// Items recorded on a sub-order whose outcome is unknown or that is created but unpaid, as
    /// `(supplier id, supplier name, items)`: they go as recorded, never re-chosen (the lookup
    /// by our number must find what was sent).
    pub pinned: Option<(i64, String, Vec<PlannedItem>)>,
}

/// An order ready to go: its address, its lines with their options, and one sub-order per
/// supplier under the primary options (the check before sending may swap in backups:
/// [`choose_options`]).
#[derive(Debug, Clone)]
pub struct ShipPlan {
    pub order_id: i64,
    pub order_name: String,
    pub store_id: i64,
    pub remote_id: String,
    pub email: Option<String>,
    pub address: Address,
    pub lines: Vec<PlannedLine>,
    pub sub_orders: Vec<PlannedSubOrder>,
}

/// The items one option ships for `line` (priority and reason recorded).
fn items_of(line: &PlannedLine, option: &crate::products::MappingOption, reason: Option<String>) -> Vec<PlannedItem> {
    option
        .parts
        .iter()
        .map(|p| PlannedItem {
            line_item_id: line.line_item_id,
            variant_id: p.variant_id.clone(),
            quantity: line.quantity.saturating_mul(p.quantity),
            line_quantity: line.quantity,
            priority: option.priority,
            backup_reason: reason.clone(),
        })
        .collect()
}

/// Groups items by supplier, in the order the suppliers first appear.
fn group_by_supplier(items: impl IntoIterator<Item = (i64, String, PlannedItem)>) -> Vec<PlannedSubOrder> {
    let mut subs: Vec<PlannedSubOrder> = Vec::new();
    for (supplier_id, supplier_name, item) in items {
        match subs.iter_mut().find(|s| s.supplier_id == supplier_id) {
            Some(sub) => sub.items.push(item),
            None => subs.push(PlannedSubOrder { supplier_id, supplier_name, items: vec![item] }),
        }
    }
    subs
}

/// The idempotency key of a sub-order, sent as the supplier's order number: stable for the same
/// store order and supplier, whatever happens to the local database.
pub fn idempotency_key(store_id: i64, remote_order_id: &str, supplier_id: i64) -> String {
    let order_ref: String = remote_order_id
        .rsplit('/')
        .next()
        .unwrap_or(remote_order_id)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    format!("DD{store_id}-{order_ref}-S{supplier_id}")
}

/// Why an order is held: a stable code, stored in `orders.hold_kind`, offered as a filter of the
/// Order page and accepted by `dropdock-cli orders list --hold`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum HoldKind {
    /// The merchant chose "Hold"; "Release" lets it go.
    Merchant,
    /// The store does not show the order as paid.
    PaymentPending,
    /// Something ships but there is no shipping address.
    NoAddress,
    /// A line item's SKU has no supplier variant (or no SKU at all).
    UnmappedSku,
    /// No line item requires shipping (digital goods).
    NothingToShip,
    /// The supplier quotes no shipping line to the destination (found on the last "Ship order").
    NoShippingLine,
    /// Auto Fulfillment: the supplier wallet does not cover the order yet.
    WaitingForFunds,
    /// Auto Fulfillment: the order costs more than the merchant's limit for automatic sending.
    CostAboveGuard,
    /// The store cancelled the order: it is never sent, whatever its payment state says.
    CancelledInStore,
    /// The store rates the risk of fraud HIGH, or recommends cancelling (Shopify's `Order.risk`):
    /// not sent on any path until the merchant releases it after checking.
    HighRisk,
    /// Auto Fulfillment, when the merchant chose so: the store rates the risk of fraud MEDIUM;
    /// left for the merchant to check (Ship order by hand still sends it).
    MediumRisk,
    /// The shipping address breaks a rule of its country's postal data or of the supplier (a
    /// postal code format, a required state, a phone): the params name the field and the rule.
    /// Corrected in the order (a local correction, never pushed to the store), it ships.
    AddressInvalid,
    /// The supplier's price of a mapped variant moved by more than the merchant's limit since it
    /// was mapped (found by the check before sending): the params carry both prices; releasing
    /// the order accepts the new price into the mapping.
    CostChanged,
    /// No mapping option can ship a line now (out of stock, discontinued, above the cost limit):
    /// looked at again on every Auto Fulfillment run and on every Ship order.
    SupplierUnavailable,
}

impl HoldKind {
    pub const ALL: [HoldKind; 14] = [
        HoldKind::Merchant,
        HoldKind::PaymentPending,
        HoldKind::NoAddress,
        HoldKind::UnmappedSku,
        HoldKind::NothingToShip,
        HoldKind::NoShippingLine,
        HoldKind::WaitingForFunds,
        HoldKind::CostAboveGuard,
        HoldKind::CancelledInStore,
        HoldKind::HighRisk,
        HoldKind::MediumRisk,
        HoldKind::AddressInvalid,
        HoldKind::CostChanged,
        HoldKind::SupplierUnavailable,
    ];

    /// The stored and CLI spelling, e.g. `unmapped_sku`.
    pub fn as_str(self) -> &'static str {
        match self {
            HoldKind::Merchant => "merchant",
            HoldKind::PaymentPending => "payment_pending",
            HoldKind::NoAddress => "no_address",
            HoldKind::UnmappedSku => "unmapped_sku",
            HoldKind::NothingToShip => "nothing_to_ship",
            HoldKind::NoShippingLine => "no_shipping_line",
            HoldKind::WaitingForFunds => "waiting_for_funds",
            HoldKind::CostAboveGuard => "cost_above_guard",
            HoldKind::CancelledInStore => "cancelled_in_store",
            HoldKind::HighRisk => "high_risk",
            HoldKind::MediumRisk => "medium_risk",
            HoldKind::AddressInvalid => "address_invalid",
            HoldKind::CostChanged => "cost_changed",
            HoldKind::SupplierUnavailable => "supplier_unavailable",
        }
    }

    /// True for the holds Auto Fulfillment re-checks on every run (its own, and the suppliers'
    /// stock); "Ship order" by hand may still try such an order (and checks again).
    pub fn is_auto_only(self) -> bool {
        matches!(
            self,
            HoldKind::WaitingForFunds | HoldKind::CostAboveGuard | HoldKind::MediumRisk | HoldKind::SupplierUnavailable
        )
    }

    /// True for holds found by an action rather than derived from the order (the last Ship
    /// order, an Auto Fulfillment run): recomputing the order keeps them until that action looks
    /// again or the merchant releases the order.
    pub fn is_kept_until_rechecked(self) -> bool {
        matches!(self, HoldKind::NoShippingLine | HoldKind::CostChanged) || self.is_auto_only()
    }

    pub fn parse(s: &str) -> Option<Self> {
        let norm = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        Self::ALL.into_iter().find(|k| k.as_str() == norm)
    }
}

/// The values a hold's sentence is made of, by name (e.g. `sku`, `date`, `country`): the UI
/// words the hold from its kind and these, in the merchant's language (`holdReason.<kind>`).
pub type HoldParams = std::collections::BTreeMap<String, String>;

/// An order that cannot go now: the kind (for filters), the English sentence (the CLI's, the
/// CSV export's, and the fallback) and the values it is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    pub kind: HoldKind,
    pub reason: String,
    pub params: HoldParams,
}

impl Hold {
    /// `params`: the values the sentence names, as `(name, value)` pairs.
    pub fn new<const N: usize>(kind: HoldKind, reason: impl Into<String>, params: [(&str, String); N]) -> Self {
        Hold { kind, reason: reason.into(), params: params.into_iter().map(|(k, v)| (k.to_owned(), v)).collect() }
    }

    /// Records this hold on the order (kind, sentence and values), unless it is there already.
    pub fn store(&self, conn: &Connection, order_id: i64) -> Result<()> {
        let params_json = serde_json::to_string(&self.params).map_err(|e| CoreError::InvalidInput(e.to_string()))?;
        queries::store_hold(conn, order_id, self.kind, &self.reason, &params_json)
    }
}

/// Why an order cannot be shipped now, or `None` when it can (or is already with its suppliers).
/// Read-only.
pub fn hold_reason(conn: &Connection, order_id: i64) -> Result<Option<Hold>> {
    hold_reason_with(conn, order_id, &Memo::default())
}

fn hold_reason_with(conn: &Connection, order_id: i64, memo: &Memo) -> Result<Option<Hold>> {
    match plan_or_hold(conn, order_id, memo) {
        Ok(Ok(_)) => Ok(None),
        Ok(Err(hold)) => Ok(Some(hold)),
        Err(CoreError::InvalidInput(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Rewrites `orders.hold_kind` and `hold_reason` of one order from what is stored. Orders already
/// with their suppliers carry no hold. A "no shipping line" found by the last Ship order, and
/// Auto Fulfillment's "waiting for funds", are kept until the order changes in a way that holds
/// it for another reason, the merchant releases it, or (funds) the next auto run looks again.
pub fn refresh_hold(conn: &Connection, order_id: i64, status: OrderStatus) -> Result<()> {
    refresh_hold_with(conn, order_id, status, &Memo::default())
}

/// [`refresh_hold`], reading what every order reads alike through the write's `memo`.
pub fn refresh_hold_with(conn: &Connection, order_id: i64, status: OrderStatus, memo: &Memo) -> Result<()> {
    let hold = match status {
        OrderStatus::AwaitingPayment | OrderStatus::ToOrder | OrderStatus::Failed => {
            hold_reason_with(conn, order_id, memo)?
        }
        OrderStatus::Processing
        | OrderStatus::Shipped
        | OrderStatus::PartiallyFulfilled
        | OrderStatus::Fulfilled
        | OrderStatus::Delivered => None,
    };
    match hold {
        Some(hold) => hold.store(conn, order_id)?,
        None => {
            let current = queries::hold_kind(conn, order_id)?;
            let waiting = matches!(status, OrderStatus::ToOrder | OrderStatus::Failed);
            let kept =
                current.as_deref().and_then(HoldKind::parse).is_some_and(|k| waiting && k.is_kept_until_rechecked());
            if current.is_none() || kept {
                return Ok(());
            }
            queries::clear_hold(conn, order_id)?;
        }
    }
    Ok(())
}

/// Fills the hold columns of orders stored before they existed (migration 03), once.
pub fn backfill_holds(db: &crate::db::Db) -> Result<()> {
    const DONE: &str = "holds_backfilled";
    if db.setting(DONE)?.is_some() {
        return Ok(());
    }
    db.write(|tx| {
        for order_id in queries::orders_not_sent(tx)? {
            crate::stores::sync::refresh_order_status(tx, order_id)?;
        }
        queries::mark_setting(tx, DONE)?;
        Ok(())
    })
}

/// The address the order's suppliers get: the merchant's correction, else the store's
/// ([`crate::orders::views::load_address`]), with the default phone of Auto Fulfillment's settings
/// when it has none. `None` when the order has no shipping address.
pub fn supplier_address(conn: &Connection, order_id: i64) -> Result<Option<Address>> {
    supplier_address_with(conn, order_id, &Memo::default())
}

fn supplier_address_with(conn: &Connection, order_id: i64, memo: &Memo) -> Result<Option<Address>> {
    let Some(mut address) = crate::orders::views::load_address(conn, order_id)? else { return Ok(None) };
    if address.phone.as_deref().is_none_or(|p| p.trim().is_empty()) {
        address.phone = memo.default_phone(conn)?.or(address.phone);
    }
    Ok(Some(address))
}

/// Splits an order into sub-orders by supplier. Errors with [`CoreError::Held`] and the reason
/// when the order cannot go (held by the merchant, unpaid, no address, unmapped SKU), and with
/// `InvalidInput` when it is already with its suppliers.
pub fn plan(conn: &Connection, order_id: i64) -> Result<ShipPlan> {
    plan_or_hold(conn, order_id, &Memo::default())?.map_err(|hold| CoreError::Held(Box::new(hold)))
}

/// [`plan`], with a hold as a value: `Ok(Err(hold))`.
fn plan_or_hold(conn: &Connection, order_id: i64, memo: &Memo) -> Result<Result<ShipPlan, Hold>> {
    let queries::OrderHead {
        order_name,
        store_id,
        remote_id,
        financial,
        email,
        merchant_hold_at,
        cancelled_at,
        risk,
        risk_accepted,
    } = queries::order_head(conn, order_id)?;
    // Suppliers that already have their sub-order: a retry sends only the rest.
    let fresh = memo.is_inserted(order_id);
    let sent = if fresh { Vec::new() } else { queries::suppliers_with_sub_order(conn, order_id)? };
    if let Some(at) = cancelled_at {
        let date = at.format("%Y-%m-%d").to_string();
        return Ok(Err(Hold::new(
            HoldKind::CancelledInStore,
            format!("cancelled in the store on {date}: it is not sent to a supplier"),
            [("date", date)],
        )));
    }
    if let Some(at) = merchant_hold_at {
        let date = at.format("%Y-%m-%d").to_string();
        return Ok(Err(Hold::new(
            HoldKind::Merchant,
            format!("held by you on {date}: release it to ship"),
            [("date", date)],
        )));
    }
    if !is_paid_status(&financial) {
        let financial = financial.to_lowercase();
        return Ok(Err(Hold::new(
            HoldKind::PaymentPending,
            format!("payment pending: the store shows {order_name} as {financial}"),
            [("order", order_name), ("financial", financial)],
        )));
    }
    if let Some(risk) = risk.filter(|r| r.holds() && !risk_accepted) {
        let level = risk.level.clone().unwrap_or_else(|| "NONE".into());
        return Ok(Err(Hold::new(
            HoldKind::HighRisk,
            format!(
                "the store rates the risk of fraud {level} (recommendation: {}): check it, then release it to ship",
                risk.recommendation
            ),
            [("level", level), ("recommendation", risk.recommendation.clone())],
        )));
    }
    let Some(address) = supplier_address_with(conn, order_id, memo)? else {
        return Ok(Err(Hold::new(HoldKind::NoAddress, "no shipping address: nothing for a supplier to ship to", [])));
    };
    let rows = queries::plan_lines(conn, order_id)?;
    if rows.is_empty() {
        return Ok(Err(Hold::new(HoldKind::NothingToShip, "nothing to ship: no line item requires shipping", [])));
    }
    // Lines already with a supplier are done; lines on a sub-order whose outcome is unknown (or
    // created, unpaid) go as recorded.
    let (with_supplier, pinned): (Vec<_>, Vec<_>) =
        if fresh { Vec::new() } else { queries::recorded_items(conn, order_id)? }
            .into_iter()
            .partition(|(state, ..)| state.is_with_supplier());
    let done: Vec<i64> = with_supplier.into_iter().map(|r| r.3.line_item_id).collect();
    let pinned: Vec<(i64, String, PlannedItem)> =
        pinned.into_iter().map(|(_, supplier_id, name, item)| (supplier_id, name, item)).collect();
    let mut lines: Vec<PlannedLine> = Vec::new();
    for row in rows {
        let queries::PlanLine { line_item_id, sku, title, quantity, supplier_id, supplier_name, variant_id, .. } = &row;
        let (Some(supplier_id), Some(supplier_name), Some(variant_id)) = (supplier_id, supplier_name, variant_id)
        else {
            return Ok(Err(match sku.clone() {
                Some(sku) => Hold::new(
                    HoldKind::UnmappedSku,
                    format!("SKU {sku} is not mapped to a supplier variant"),
                    [("sku", sku)],
                ),
                None => Hold::new(
                    HoldKind::UnmappedSku,
                    format!("line item \"{title}\" has no SKU: map its store product to a supplier variant"),
                    [("title", title.clone())],
                ),
            }));
        };
        if done.contains(line_item_id) || sent.contains(supplier_id) {
            continue;
        }
        let (options, cost_limit_minor) = if row.by_variant {
            let key = crate::products::queries::VariantKey {
                store_id: row.store_id,
                product: &row.store_product_id,
                variant: &row.store_variant_id,
            };
            crate::products::queries::mapping_options(conn, &key)?
        } else {
            let part = crate::products::MappingPart {
                variant_id: variant_id.clone(),
                quantity: 1,
                cost_minor: row.cost_minor.unwrap_or_default(),
            };
            let option = crate::products::MappingOption {
                priority: 1,
                supplier_id: *supplier_id,
                supplier_name: supplier_name.clone(),
                parts: vec![part],
            };
            (vec![option], None)
        };
        let recorded: Vec<PlannedItem> =
            pinned.iter().filter(|p| p.2.line_item_id == *line_item_id).map(|p| p.2.clone()).collect();
        let pinned = pinned
            .iter()
            .find(|p| p.2.line_item_id == *line_item_id)
            .map(|(id, name, _)| (*id, name.clone(), recorded));
        lines.push(PlannedLine {
            line_item_id: *line_item_id,
            label: sku.clone().unwrap_or_else(|| title.clone()),
            quantity: *quantity,
            options,
            cost_limit_minor,
            pinned,
        });
    }
    // Under the primary options (what the check before sending starts from).
    let sub_orders = group_by_supplier(lines.iter().flat_map(|line| {
        match &line.pinned {
            Some((id, name, items)) => items.iter().map(|i| (*id, name.clone(), i.clone())).collect::<Vec<_>>(),
            None => line
                .options
                .first()
                .map(|o| {
                    items_of(line, o, None).into_iter().map(|i| (o.supplier_id, o.supplier_name.clone(), i)).collect()
                })
                .unwrap_or_default(),
        }
    }));
    // The address, as the suppliers still to be sent need it.
    for sub in &sub_orders {
        let needs = memo.supplier_platform(conn, sub.supplier_id)?.capabilities();
        if let Some(problem) = address_check::first_blocking(&address, needs) {
            let country = address.country_code.to_ascii_uppercase();
            return Ok(Err(Hold::new(
                HoldKind::AddressInvalid,
                format!(
                    "address for {}: {}; correct the address in the order to ship",
                    sub.supplier_name,
                    problem.sentence(&country)
                ),
                [
                    ("field", problem.field.as_str().to_owned()),
                    ("rule", problem.rule.as_str().to_owned()),
                    ("value", problem.value.clone().unwrap_or_default()),
                    ("example", problem.example.clone().unwrap_or_default()),
                    ("country", country),
                    ("supplier", sub.supplier_name.clone()),
                ],
            )));
        }
    }
    Ok(Ok(ShipPlan { order_id, order_name, store_id, remote_id, email, address, lines, sub_orders }))
}

/// A line's option passed over by an earlier round of the choice (its supplier has no shipping
/// line to the destination), with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclusion {
    pub line_item_id: i64,
    pub priority: i64,
    pub reason: String,
}

/// Passes the lines of `sub` that have another option left to it (`reason` recorded); false
/// when none has, and the sub-order stays as it is (pinned lines never move).
fn pass_to_next_options(plan: &ShipPlan, sub: &PlannedSubOrder, reason: &str, excluded: &mut Vec<Exclusion>) -> bool {
    let mut moved = false;
    for item in &sub.items {
        let Some(line) = plan.lines.iter().find(|l| l.line_item_id == item.line_item_id && l.pinned.is_none()) else {
            continue;
        };
        if excluded.iter().any(|e| e.line_item_id == line.line_item_id && e.priority == item.priority) {
            continue;
        }
        let left = line.options.iter().any(|o| {
            o.priority != item.priority
                && !excluded.iter().any(|e| e.line_item_id == line.line_item_id && e.priority == o.priority)
        });
        if left {
            excluded.push(Exclusion {
                line_item_id: line.line_item_id,
                priority: item.priority,
                reason: reason.to_owned(),
            });
            moved = true;
        }
    }
    moved
}

/// US cents as `$12.30`, for messages.
fn usd(minor: i64) -> String {
    format!("${}", crate::money::format_minor(minor, "USD"))
}

/// Why an option cannot ship a line now, in words (recorded on the sub-order when a backup
/// is used, and in the hold when none can).
fn passed_over(option: &crate::products::MappingOption, why: &str) -> String {
    format!("option {} at {} {why}", option.priority, option.supplier_name)
}

/// Whether the supplier's price now moved from the mapped cost by more than `limit_pct`
/// percent (either way). A mapped cost of 0 moves by any price above it.
fn price_moved(mapped_minor: i64, now_minor: i64, limit_pct: u32) -> bool {
    let diff = i128::from(now_minor) - i128::from(mapped_minor);
    diff.abs() * 100 > i128::from(mapped_minor) * i128::from(limit_pct)
}

/// The check before sending, for every line not pinned to a sub-order: each option in priority
/// order (those in `excluded` passed over with their reason) is asked of its supplier ([`crate::suppliers::SupplierConnector::variant_check`]: CJ's
/// inventory and variant calls); the first whose every part is still sold, in stock for the
/// line's quantity, and (under the merchant's cost limit) not too dear now, ships the line, and
/// a backup records why the earlier ones were passed over. What the platform does not say is
/// not held against an option (the supplier judges when the order is created); a supplier that
/// cannot be reached stops the check (the caller may queue the order).
///
/// Holds (as a value): `cost_changed` when the chosen option's price moved from the mapped cost
/// by more than `limit_pct` percent (with both prices: releasing it accepts the new one);
/// `supplier_unavailable` when no option can ship a line.
pub async fn choose_options(
    dd: &Ctx,
    plan: &ShipPlan,
    limit_pct: u32,
    excluded: &[Exclusion],
) -> Result<Result<Vec<PlannedSubOrder>, Hold>> {
    let mut checks: std::collections::HashMap<(i64, String), Option<crate::suppliers::VariantCheck>> =
        std::collections::HashMap::new();
    let mut chosen: Vec<(i64, String, PlannedItem)> = Vec::new();
    for line in &plan.lines {
        if let Some((id, name, items)) = &line.pinned {
            chosen.extend(items.iter().map(|i| (*id, name.clone(), i.clone())));
            continue;
        }
        let mut reasons: Vec<String> = Vec::new();
        let mut picked = None;
        'options: for option in &line.options {
            if let Some(e) =
                excluded.iter().find(|e| e.line_item_id == line.line_item_id && e.priority == option.priority)
            {
                reasons.push(passed_over(option, &e.reason));
                continue;
            }
            let client = dd.supplier_client(option.supplier_id)?;
            let mut unit_now: i64 = 0;
            let mut moved = None;
            for part in &option.parts {
                let key = (option.supplier_id, part.variant_id.clone());
                let check = match checks.get(&key) {
                    Some(c) => c.clone(),
                    None => {
                        let c = match client.variant_check(&part.variant_id).await {
                            Ok(c) => c,
                            Err(e) if e.is_unreachable() => return Err(e),
                            // An unreadable answer says nothing: the supplier judges at creation.
                            Err(e) => {
                                tracing::warn!(vid = %part.variant_id, error = %e, "variant check unreadable");
                                None
                            }
                        };
                        checks.insert(key, c.clone());
                        c
                    }
                };
                let needed = line.quantity.saturating_mul(part.quantity);
                let price = check.as_ref().and_then(|c| c.price_minor).unwrap_or(part.cost_minor);
                unit_now = unit_now.saturating_add(price.saturating_mul(part.quantity));
                if let Some(check) = &check {
                    if !check.found {
                        reasons.push(passed_over(option, &format!("no longer sells {}", part.variant_id)));
                        continue 'options;
                    }
                    if let Some(stock) = check.stock.filter(|s| *s < needed) {
                        reasons.push(passed_over(
                            option,
                            &format!("has {stock} of {} in stock, {needed} needed", part.variant_id),
                        ));
                        continue 'options;
                    }
                    if moved.is_none() && price_moved(part.cost_minor, price, limit_pct) {
                        moved = Some((part.variant_id.clone(), part.cost_minor, price));
                    }
                }
            }
            if let Some(limit) = line.cost_limit_minor.filter(|l| unit_now > *l) {
                reasons.push(passed_over(
                    option,
                    &format!("costs {} a unit now, above your limit of {}", usd(unit_now), usd(limit)),
                ));
                continue;
            }
            if let Some((vid, old, new)) = moved {
                let (old_text, new_text) = (usd(old), usd(new));
                return Ok(Err(Hold::new(
                    HoldKind::CostChanged,
                    format!(
                        "{} now charges {new_text} for {vid} (mapped at {old_text}), more than {limit_pct}% apart: release it to accept the new cost",
                        option.supplier_name
                    ),
                    [
                        ("item", line.label.clone()),
                        ("supplier", option.supplier_name.clone()),
                        ("supplier_id", option.supplier_id.to_string()),
                        ("vid", vid),
                        ("old", old.to_string()),
                        ("new", new.to_string()),
                    ],
                )));
            }
            picked = Some(option);
            break;
        }
        let Some(option) = picked else {
            let why = if reasons.is_empty() { "it has no supplier variant".to_owned() } else { reasons.join("; ") };
            return Ok(Err(Hold::new(
                HoldKind::SupplierUnavailable,
                format!("no supplier can ship {} now: {why}", line.label),
                [("item", line.label.clone()), ("reasons", why)],
            )));
        };
        let reason = (option.priority > 1 || !reasons.is_empty()).then(|| reasons.join("; "));
        chosen.extend(
            items_of(line, option, reason).into_iter().map(|i| (option.supplier_id, option.supplier_name.clone(), i)),
        );
    }
    // A backup at a supplier the order has already sent to is not sent twice.
    let sent = dd.db.read(|c| queries::suppliers_with_sub_order(c, plan.order_id))?;
    Ok(Ok(group_by_supplier(chosen.into_iter().filter(|(s, _, _)| !sent.contains(s)))))
}

/// What happened to one sub-order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct SubOrderOutcome {
    pub supplier_name: String,
    /// `paid`, `ambiguous`, `pending` (the supplier could not be reached) or `failed`.
    pub state: SubOrderState,
    pub supplier_order_id: Option<String>,
    pub shipping_line: String,
    /// What the supplier charged, US cents.
    pub cost_minor: Option<i64>,
    pub error: Option<String>,
}

/// The result of "Ship order".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ShipResult {
    pub order_name: String,
    pub sub_orders: Vec<SubOrderOutcome>,
}

/// The shipping line for a parcel: the first of the country's rule lines the supplier offers;
/// else, with "most suitable" on, the cheapest line arriving within `within_days` (else the
/// fastest); else the cheapest line. `None` when the supplier offers no line at all.
fn choose_line(rule: &[String], within_days: Option<u32>, lines: &[ShippingLine]) -> Option<ShippingLine> {
    if let Some(line) = rule.iter().find_map(|name| lines.iter().find(|l| &l.name == name)) {
        return Some(line.clone());
    }
    let cheapest =
        |candidates: &mut dyn Iterator<Item = &ShippingLine>| candidates.min_by_key(|l| l.price_minor).cloned();
    match within_days {
        Some(days) => cheapest(&mut lines.iter().filter(|l| l.max_days() <= days))
            .or_else(|| lines.iter().min_by_key(|l| (l.max_days(), l.price_minor)).cloned()),
        None => cheapest(&mut lines.iter()),
    }
}

/// The request for one sub-order; the address as `needs` takes it ([`address_check::for_supplier`]).
fn new_order(
    plan: &ShipPlan,
    needs: crate::suppliers::Capabilities,
    key: &str,
    line: &str,
    items: Vec<SupplierItem>,
    pay_now: bool,
) -> NewSupplierOrder {
    NewSupplierOrder {
        key: key.to_owned(),
        address: address_check::for_supplier(&plan.address, needs),
        email: plan.email.clone(),
        shipping_line: line.to_owned(),
        items,
        pay_now,
    }
}
/// How a sub-order is paid: from My Wallet at the supplier, or with the card on file there.
#[derive(Clone, PartialEq, Eq)]
enum Payment {
    Wallet,
    /// The card token (from the OS keychain).
    Card(String),
}

impl Payment {
    fn as_str(&self) -> &'static str {
        match self {
            Payment::Wallet => PaymentMethod::Wallet.as_str(),
            Payment::Card(_) => PaymentMethod::Card.as_str(),
        }
    }
}

/// How `supplier_id`'s sub-orders are paid under `method`, the Auto Fulfillment page's payment
/// method (it applies to "Ship order" too). A platform with neither a balance nor a card API
/// (Printful) charges the billing method on the merchant's account there when the order is
/// confirmed, whatever the method: its sub-orders take the account's own path (`pay`, then the
/// charge in the ledger), shown as `billing`. Errors: the card is chosen but none is on file for
/// the supplier.
fn payment_for(
    dd: &Ctx,
    method: PaymentMethod,
    capabilities: crate::suppliers::Capabilities,
    supplier_id: i64,
    supplier_name: &str,
) -> Result<Payment> {
    if method == PaymentMethod::Wallet || (!capabilities.balance && !capabilities.card) {
        return Ok(Payment::Wallet);
    }
    match dd.secrets().get(&crate::secrets::supplier_card_token_key(supplier_id))? {
        Some(token) => Ok(Payment::Card(token)),
        None => Err(CoreError::InvalidInput(format!(
            "no card on file at {supplier_name}: add your card on the Credit Card tab of Auto Fulfillment"
        ))),
    }
}

/// The idempotency key for sending a sub-order again after it was cancelled at the supplier:
/// the supplier keeps the cancelled order under the old number, so the new one needs its own.
/// `DD1-1001-S2` → `DD1-1001-S2-R2` → `DD1-1001-S2-R3`.
pub fn resend_key(key: &str) -> String {
    match key.rsplit_once("-R").and_then(|(base, n)| n.parse::<u32>().ok().map(|n| (base, n))) {
        Some((base, n)) => format!("{base}-R{}", n + 1),
        None => format!("{key}-R2"),
    }
}

/// A sub-order the supplier holds: its id, what it costs, and whether it is paid.
struct AtSupplier {
    id: String,
    amount_minor: i64,
    /// The postage part of the charge, when the supplier said.
    shipping_minor: Option<i64>,
    paid: bool,
}

impl AtSupplier {
    /// What the supplier shows (CJ's `getOrderDetail`): `Ok(None)` for a cancelled order (nothing to pay or
    /// record), a paid or payable order with its amount, and an error (kept ambiguous, looked up
    /// again) for an order whose amount or state Dropdock cannot read: never recorded as paid on
    /// a guess.
    fn from_detail(platform: &str, found: SupplierOrder) -> Result<Option<AtSupplier>> {
        let unreadable = |detail: String| {
            CoreError::Connector(crate::stores::ConnectorError::Malformed { service: platform.to_owned(), detail })
        };
        if found.status == SupplierOrderStatus::Cancelled {
            return Ok(None);
        }
        if !found.status.is_paid() && !found.status.awaits_payment() {
            return Err(unreadable(format!(
                "order {} is {} at the supplier: check it there",
                found.supplier_order_id, found.platform_status
            )));
        }
        let amount_minor = found
            .amount_minor
            .ok_or_else(|| unreadable(format!("order {} shows no amount", found.supplier_order_id)))?;
        Ok(Some(AtSupplier {
            id: found.supplier_order_id,
            amount_minor,
            shipping_minor: found.shipping_minor,
            paid: found.status.is_paid(),
        }))
    }
}

/// "Ship order": sends every sub-order of `order_id` to its supplier, paid from the wallet or
/// with the card on file (the Auto Fulfillment page's payment method).
pub async fn ship_order(dd: &Ctx, order_id: i64) -> Result<ShipResult> {
    let mut plan = dd.db.read(|c| plan(c, order_id))?;
    // The payment method and "most suitable", read once for every sub-order.
    let settings = dd.db.read(crate::auto_fulfillment::load)?;
    // Stock and price at the suppliers, then a shipping line for each parcel, before anything is
    // written (a held order leaves no rows behind): backups swap in here. A supplier with no
    // line to the destination passes its lines to their next option, and the choice is made
    // again.
    let mut excluded: Vec<Exclusion> = Vec::new();
    let chosen = 'choose: loop {
        match choose_options(dd, &plan, settings.cost_change_limit_pct, &excluded).await? {
            Ok(sub_orders) if sub_orders.is_empty() => {
                return Err(CoreError::InvalidInput(format!(
                    "order {} was already sent to its suppliers",
                    plan.order_name
                )));
            }
            Ok(sub_orders) => plan.sub_orders = sub_orders,
            Err(hold) => {
                dd.db.write(|tx| hold.store(tx, order_id))?;
                return Err(CoreError::Held(Box::new(hold)));
            }
        }
        let mut chosen = Vec::new();
        for sub in &plan.sub_orders {
            let client = dd.supplier_client(sub.supplier_id)?;
            let payment =
                payment_for(dd, settings.payment_method, client.capabilities(), sub.supplier_id, &sub.supplier_name)?;
            let products: Vec<SupplierItem> = sub
                .items
                .iter()
                .map(|i| SupplierItem { variant_id: i.variant_id.clone(), quantity: i.quantity })
                .collect();
            let country = &plan.address.country_code;
            let lines = client.shipping_lines(&plan.address, &products).await?;
            let rule = dd.db.read(|c| queries::shipping_rule(c, country))?;
            let Some(line) = choose_line(&rule, settings.most_suitable_within_days, &lines) else {
                if pass_to_next_options(&plan, sub, &format!("does not ship to {country}"), &mut excluded) {
                    continue 'choose;
                }
                let hold = Hold::new(
                    HoldKind::NoShippingLine,
                    format!("no shipping line to {country} from {}", sub.supplier_name),
                    [("country", country.clone()), ("supplier", sub.supplier_name.clone())],
                );
                dd.db.write(|tx| hold.store(tx, order_id))?;
                return Err(CoreError::Held(Box::new(hold)));
            };
            chosen.push((sub.clone(), client, products, line, payment));
        }
        break chosen;
    };
    let mut outcomes = Vec::new();
    for (sub, client, products, line, payment) in chosen {
        let base_key = idempotency_key(plan.store_id, &plan.remote_id, sub.supplier_id);
        // 1. The row first, committed, in state `submitting`.
        let row = dd.db.write(|tx| {
            let now = Utc::now();
            let existing = queries::sub_order_of(tx, plan.order_id, sub.supplier_id)?;
            let (id, key, previous, known) = match existing {
                // Another worker sent it since this one planned: nothing to do.
                Some(existing) if Transition::Send.apply(existing.state).is_err() => {
                    return Ok(None);
                }
                Some(queries::ExistingSubOrder { id, key, state, supplier_order_id, cost_minor: cost }) => {
                    // Cancelled at the supplier: a new number, and nothing known of it yet.
                    let (key, known) = if state == SubOrderState::Cancelled {
                        (resend_key(&key), None)
                    } else {
                        (key, supplier_order_id.map(|s| (s, cost.unwrap_or(0))))
                    };
                    let send =
                        queries::Send { key: &key, shipping_line: &line.name, payment_method: payment.as_str(), now };
                    queries::resend_sub_order(tx, id, &send, known.is_some())?;
                    (id, key, Some(state), known)
                }
                None => {
                    let send = queries::Send {
                        key: &base_key,
                        shipping_line: &line.name,
                        payment_method: payment.as_str(),
                        now,
                    };
                    let id = queries::insert_sub_order(tx, plan.order_id, sub.supplier_id, &send)?;
                    (id, base_key.clone(), None, None)
                }
            };
            queries::replace_items(tx, id, &sub.items)?;
            let lines: Vec<i64> = sub.items.iter().map(|i| i.line_item_id).collect();
            queries::move_lines_off_other_sub_orders(tx, plan.order_id, sub.supplier_id, &lines)?;
            refresh_order_status(tx, plan.order_id)?;
            Ok(Some((id, key, previous, known)))
        })?;
        let Some((sub_id, key, previous_state, known)) = row else { continue };
        // 2. What the supplier already holds: an order created but not paid (a declined card, a
        //    crash between the two calls) is paid, not created again; a sub-order whose last
        //    attempt had an unknown outcome (a payment or confirmation whose reply was lost
        //    among them) is looked up first, by the supplier's id when known, else by our
        //    number, so nothing is created or paid twice.
        let lookup = previous_state.is_some_and(SubOrderState::needs_lookup);
        let mut at_supplier: Option<AtSupplier> = match &known {
            Some((id, amount_minor)) if !lookup => {
                Some(AtSupplier { id: id.clone(), amount_minor: *amount_minor, shipping_minor: None, paid: false })
            }
            _ => None,
        };
        if lookup {
            let platform = client.platform().name();
            let reference = known.as_ref().map(|(id, _)| id.as_str()).unwrap_or(&key);
            match client
                .order_detail(reference)
                .await
                .and_then(|found| found.map(|f| AtSupplier::from_detail(platform, f)).transpose())
            {
                Ok(found) => at_supplier = found.flatten(),
                Err(e) => {
                    // Still unknown: the row stays ambiguous, looked up again on the next attempt.
                    let unknown = e.is_unreachable() || matches!(&e, CoreError::Connector(c) if c.is_ambiguous());
                    let transition = if unknown { Transition::Unknown } else { Transition::Refused };
                    dd.db.write(|tx| {
                        queries::record_failure(tx, sub_id, transition, &e)?;
                        refresh_order_status(tx, plan.order_id)?;
                        Ok(())
                    })?;
                    return Err(e);
                }
            }
        }
        // 3. The calls: create (and, from My Wallet where the platform can, pay at once: CJ's
        //    `payType` 2), then pay what is not paid yet.
        let result: Result<AtSupplier> = async {
            let order = match at_supplier {
                Some(found) => found,
                None => {
                    let pay_now = payment == Payment::Wallet && client.capabilities().pay_on_create;
                    let request = new_order(&plan, client.capabilities(), &key, &line.name, products, pay_now);
                    // The platform already holding this key (`None`) is the order to look up.
                    let created = client.create_order(&request).await?;
                    match created.map(|c| (c.supplier_order_id, c.amount_minor, c.status, c.shipping_minor)) {
                        Some((Some(id), Some(amount_minor), Some(status), shipping_minor))
                            if status.is_paid() || status.awaits_payment() =>
                        {
                            AtSupplier { id, amount_minor, shipping_minor, paid: status.is_paid() }
                        }
                        // The reply left out the id, the amounts or the state (CJ's published
                        // example does): what it holds is read back by our number. Not there
                        // yet is an unknown outcome, looked up again before any resend.
                        _ => client
                            .order_detail(&key)
                            .await?
                            .map(|f| AtSupplier::from_detail(client.platform().name(), f))
                            .transpose()?
                            .flatten()
                            .ok_or_else(|| {
                                CoreError::Connector(crate::stores::ConnectorError::Malformed {
                                    service: sub.supplier_name.clone(),
                                    detail: format!("order {key} was accepted but cannot be found yet"),
                                })
                            })?,
                    }
                }
            };
            if order.paid {
                return Ok(order);
            }
            dd.db.write(|tx| queries::record_created(tx, sub_id, &order.id, order.amount_minor))?;
            let amount_minor = match &payment {
                Payment::Wallet => {
                    client.pay(&order.id).await?;
                    order.amount_minor
                }
                Payment::Card(token) => client.pay_with_card(&order.id, token).await?,
            };
            Ok(AtSupplier { amount_minor, paid: true, ..order })
        }
        .await;
        let outcome = dd.db.write(|tx| {
            let mut outcome = SubOrderOutcome {
                supplier_name: sub.supplier_name.clone(),
                state: Transition::Paid.to(),
                supplier_order_id: None,
                shipping_line: line.name.clone(),
                cost_minor: None,
                error: None,
            };
            match &result {
                Ok(order) => {
                    let paid = queries::Paid {
                        id: &order.id,
                        amount_minor: order.amount_minor,
                        shipping_minor: order.shipping_minor,
                    };
                    queries::record_paid(tx, sub_id, sub.supplier_id, &paid, payment.as_str())?;
                    outcome.state = Transition::Paid.to();
                    outcome.supplier_order_id = Some(order.id.clone());
                    outcome.cost_minor = Some(order.amount_minor);
                }
                Err(e) => {
                    let ambiguous = matches!(e, CoreError::Connector(c) if c.is_ambiguous());
                    // Unreachable before anything was sent: back to the queue's `pending`. A row
                    // with a supplier order id keeps it: the retry pays that order.
                    let transition = if ambiguous {
                        Transition::Unknown
                    } else if e.is_unreachable() {
                        Transition::Unreachable
                    } else {
                        Transition::Refused
                    };
                    queries::record_failure(tx, sub_id, transition, e)?;
                    outcome.state = transition.to();
                    outcome.error = Some(e.to_string());
                }
            }
            refresh_order_status(tx, plan.order_id)?;
            Ok(outcome)
        })?;
        tracing::info!(order = %plan.order_name, supplier = %sub.supplier_name, state = %outcome.state, "sub-order submitted");
        // The supplier could not be reached: the rest would fail the same way. The caller may
        // queue the order (see `offline`); a retry sends only what is not with its supplier yet.
        if let Err(e) = result {
            if e.is_unreachable() {
                return Err(e);
            }
        }
        outcomes.push(outcome);
    }
    Ok(ShipResult { order_name: plan.order_name, sub_orders: outcomes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotency_key_is_stable_and_plain() {
        assert_eq!(idempotency_key(1, "gid://shopify/Order/5550001", 2), "DD1-5550001-S2");
        assert_eq!(
            idempotency_key(1, "gid://shopify/Order/5550001", 2),
            idempotency_key(1, "gid://shopify/Order/5550001", 2)
        );
        assert_ne!(
            idempotency_key(1, "gid://shopify/Order/5550001", 3),
            idempotency_key(1, "gid://shopify/Order/5550001", 2)
        );
    }

    #[test]
    fn rule_lines_in_order_then_most_suitable_then_cheapest() {
        let lines = vec![
            ShippingLine { name: "Fast".into(), price_minor: 900, aging: "3-5".into() },
            ShippingLine { name: "Cheap".into(), price_minor: 300, aging: "10-20".into() },
            ShippingLine { name: "Middle".into(), price_minor: 500, aging: "7-12".into() },
        ];
        let rule = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert_eq!(choose_line(&rule(&["Fast"]), None, &lines).unwrap().name, "Fast");
        // The first line offered wins; a line the supplier does not offer is skipped.
        assert_eq!(choose_line(&rule(&["Gone", "Middle", "Fast"]), None, &lines).unwrap().name, "Middle");
        assert_eq!(choose_line(&rule(&["Gone"]), None, &lines).unwrap().name, "Cheap");
        // Most suitable: the cheapest that arrives in time, else the fastest.
        assert_eq!(choose_line(&[], Some(12), &lines).unwrap().name, "Middle");
        assert_eq!(choose_line(&[], Some(30), &lines).unwrap().name, "Cheap");
        assert_eq!(choose_line(&[], Some(2), &lines).unwrap().name, "Fast");
        assert_eq!(choose_line(&[], None, &[]), None);
    }
}
