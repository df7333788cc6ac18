//! Auto Fulfillment, as the seed's AutoFulfillment page describes it: a payment method (My Wallet,
//! with its two checkboxes and a balance threshold, default $1,000; or a credit card, tokenized by
//! each supplier's payment endpoint, see [`crate::fulfillment::payment_card`]), default shipping methods (see
//! `fulfillment::choose_line`), and the switch. The payment method applies to "Ship order" too.
//!
//! While on, every paid order that can go is sent to its suppliers once it has waited the
//! approval delay (so the merchant can still hold it), through the same exactly-once path as
//! "Ship order". Auto mode runs only while each supplier wallet holds at least the threshold
//! (below it, auto mode pauses with the reason, and resumes by itself once the balance is back:
//! the seed's FAQ) and covers the order (else the order is held "waiting for funds", not failed).
//! Paying by card, the wallet is not looked at; the card on file must not have expired.

use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub mod queries;

use crate::context::Ctx;
use crate::error::{CoreError, Result};
use crate::fulfillment::payment_card::{is_expired, CardBrand, CardInput, SavedCard};
use crate::fulfillment::{Hold, HoldKind};
use crate::money::format_minor;
use crate::suppliers::cj::CJ_CURRENCY;

/// How Auto Fulfillment pays the suppliers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PaymentMethod {
    Wallet,
    Card,
}

impl PaymentMethod {
    /// The stored spelling (`auto_fulfillment.payment_method`, `supplier_order.payment_method`).
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Wallet => "wallet",
            PaymentMethod::Card => "card",
        }
    }
}

/// The Auto Fulfillment page's settings, as stored (table `auto_fulfillment`, migration 04).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AutoSettings {
    pub enabled: bool,
    pub payment_method: PaymentMethod,
    /// Both checkboxes of the My Wallet tab were ticked and saved.
    pub wallet_terms_accepted: bool,
    /// The Credit Card tab's terms were accepted with a card confirmed.
    pub card_terms_accepted: bool,
    /// The balance each supplier wallet must hold for auto mode to run, US cents.
    #[ts(type = "number")]
    pub threshold_minor: i64,
    /// Minutes a paid order waits before it is sent (0: at once).
    pub approval_delay_minutes: u32,
    /// Or once a day: the minute of the merchant's day (0 to 1439) at which the orders placed
    /// before it are sent; `approval_delay_minutes` is then not used.
    pub daily_at_minute: Option<u32>,
    /// The merchant's offset from UTC for `daily_at_minute`, in minutes.
    pub utc_offset_minutes: i32,
    /// "Choose the most suitable shipping method": the cheapest line arriving within this many
    /// days, else the fastest; `None` when off.
    pub most_suitable_within_days: Option<u32>,
    /// Orders whose products cost more than this (US cents) are held, not sent; `None`: no limit.
    #[ts(type = "number | null")]
    pub max_order_cost_minor: Option<i64>,
    /// Hold, instead of sending, orders the store rates MEDIUM risk of fraud (Shopify's
    /// `Order.risk`); HIGH ones are held on every path whatever this says.
    pub hold_medium_risk: bool,
    /// The phone sent for an order that has none, on every path (Etsy receipts carry none; CJ
    /// requires `shippingPhone`); `None`: such an order is held for a supplier that needs one.
    pub default_phone: Option<String>,
    /// Before sending, a mapped supplier variant whose price now differs from its mapped cost by
    /// more than this many percent holds the order (`cost_changed`), on every path.
    pub cost_change_limit_pct: u32,
    /// Why auto mode is paused (the wallet is below the threshold), while it is.
    pub paused_reason: Option<String>,
}

/// What the page saves (everything but the switch).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[ts(export)]
pub struct AutoSettingsInput {
    pub payment_method: PaymentMethod,
    pub wallet_terms_accepted: bool,
    #[ts(type = "number")]
    pub threshold_minor: i64,
    pub approval_delay_minutes: u32,
    pub daily_at_minute: Option<u32>,
    pub utc_offset_minutes: i32,
    pub most_suitable_within_days: Option<u32>,
    #[ts(type = "number | null")]
    pub max_order_cost_minor: Option<i64>,
    /// See [`AutoSettings::hold_medium_risk`]; off when left out.
    #[serde(default)]
    pub hold_medium_risk: bool,
    /// See [`AutoSettings::default_phone`]; none when left out or blank. At most 30 characters,
    /// with at least 5 digits.
    #[serde(default)]
    pub default_phone: Option<String>,
    /// See [`AutoSettings::cost_change_limit_pct`]; 10 when left out; 0 to 1000.
    #[serde(default = "default_cost_change_limit_pct")]
    pub cost_change_limit_pct: u32,
}

/// The cost-change limit of a database that never saved one (migration 21's default).
pub const DEFAULT_COST_CHANGE_LIMIT_PCT: u32 = 10;

fn default_cost_change_limit_pct() -> u32 {
    DEFAULT_COST_CHANGE_LIMIT_PCT
}

impl From<&AutoSettings> for AutoSettingsInput {
    /// The saved settings as the input that saves them again (change a field on top of it).
    fn from(s: &AutoSettings) -> Self {
        AutoSettingsInput {
            payment_method: s.payment_method,
            wallet_terms_accepted: s.wallet_terms_accepted,
            threshold_minor: s.threshold_minor,
            approval_delay_minutes: s.approval_delay_minutes,
            daily_at_minute: s.daily_at_minute,
            utc_offset_minutes: s.utc_offset_minutes,
            most_suitable_within_days: s.most_suitable_within_days,
            max_order_cost_minor: s.max_order_cost_minor,
            hold_medium_risk: s.hold_medium_risk,
            default_phone: s.default_phone.clone(),
            cost_change_limit_pct: s.cost_change_limit_pct,
        }
    }
}

/// The approval delays the page offers, in minutes: at once, after 1 hour, after 24 hours.
pub const APPROVAL_DELAYS: [u32; 3] = [0, 60, 1440];

/// At most this many orders are sent per run; the next run continues.
pub const BATCH: usize = 50;

/// What one run of auto mode did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AutoRunReport {
    /// False when auto mode is off.
    pub ran: bool,
    /// Orders sent to their suppliers.
    pub submitted: Vec<String>,
    /// Orders queued because a supplier could not be reached.
    pub queued: Vec<String>,
    /// Orders held, each with its reason (waiting for funds, no shipping line...).
    pub held: Vec<String>,
    /// Set when auto mode is paused: why.
    pub paused: Option<String>,
    /// True when this run paused auto mode (notify once).
    pub newly_paused: bool,
    /// True when this run found the wallet back above the threshold and resumed.
    pub resumed: bool,
}

impl AutoRunReport {
    /// The CLI's summary line, e.g. `Auto Fulfillment: submitted 3, queued 0, held 1`.
    pub fn summary(&self) -> String {
        match (&self.paused, self.ran) {
            (_, false) => "Auto Fulfillment is off".into(),
            (Some(reason), _) => format!("Auto Fulfillment paused: {reason}"),
            (None, true) => format!(
                "Auto Fulfillment: submitted {}, queued {}, held {}",
                self.submitted.len(),
                self.queued.len(),
                self.held.len()
            ),
        }
    }
}

pub(crate) fn load(conn: &Connection) -> Result<AutoSettings> {
    queries::settings(conn)
}

/// Suppliers whose balance is below `threshold`, as a sentence for the merchant; `None` if all
/// hold enough. Balances are the last ones refreshed.
fn short_wallets(conn: &Connection, threshold: i64) -> Result<Option<String>> {
    let short = queries::wallets_below(conn, threshold)?;
    if short.is_empty() {
        return Ok(None);
    }
    let parts: Vec<String> =
        short.iter().map(|(name, balance)| format!("{} at {name}", format_money(balance.unwrap_or(0)))).collect();
    Ok(Some(format!(
        "My Wallet holds {}, below the {} Auto Fulfillment needs: recharge it in Finance → My Wallet",
        parts.join(" and "),
        format_money(threshold)
    )))
}

fn format_money(minor: i64) -> String {
    format!("${}", format_minor(minor, CJ_CURRENCY))
}

/// The latest moment, at or before `now`, when the merchant's clock (UTC offset `offset_minutes`)
/// showed `minute` past midnight: orders placed before it are due in "daily" mode.
pub fn last_daily_time(now: DateTime<Utc>, minute: u32, offset_minutes: i32) -> DateTime<Utc> {
    let local = now + Duration::minutes(offset_minutes as i64);
    let midnight = local.date_naive().and_hms_opt(0, 0, 0).expect("midnight exists").and_utc();
    let mut at = midnight + Duration::minutes(minute as i64);
    if at > local {
        at -= Duration::days(1);
    }
    at - Duration::minutes(offset_minutes as i64)
}

/// The Auto Fulfillment page's settings.
pub fn auto_settings(ctx: &Ctx) -> Result<AutoSettings> {
    ctx.db.read(load)
}

/// Saves the payment method, the two My Wallet checkboxes (both or neither: the page enables
/// Save only with both), the threshold, the approval delay and "most suitable".
/// Errors: the card chosen with no card confirmed on the Credit Card tab, a negative
/// threshold, a delay other than 0, 60 or 1440 minutes, "most suitable" outside 1 to 90 days.
pub fn save_auto_settings(ctx: &Ctx, input: &AutoSettingsInput) -> Result<AutoSettings> {
    if input.payment_method == PaymentMethod::Card && saved_cards(ctx)?.is_empty() {
        return Err(CoreError::InvalidInput(
            "add your card on the Credit Card tab and Confirm before paying by card".into(),
        ));
    }
    if input.threshold_minor < 0 {
        return Err(CoreError::InvalidInput("the wallet threshold cannot be negative".into()));
    }
    if !APPROVAL_DELAYS.contains(&input.approval_delay_minutes) {
        return Err(CoreError::InvalidInput("the approval delay is at once, 1 hour or 24 hours".into()));
    }
    if input.daily_at_minute.is_some_and(|m| m > 1439) {
        return Err(CoreError::InvalidInput("the daily time must be between 00:00 and 23:59".into()));
    }
    if input.utc_offset_minutes.abs() > 18 * 60 {
        return Err(CoreError::InvalidInput("a UTC offset is at most 18 hours".into()));
    }
    if input.max_order_cost_minor.is_some_and(|m| m <= 0) {
        return Err(CoreError::InvalidInput("the order cost limit must be above zero".into()));
    }
    if input.most_suitable_within_days.is_some_and(|d| !(1..=90).contains(&d)) {
        return Err(CoreError::InvalidInput("the most suitable line must arrive within 1 to 90 days".into()));
    }
    if input.cost_change_limit_pct > 1000 {
        return Err(CoreError::InvalidInput("the cost change limit is 0 to 1000 percent".into()));
    }
    if let Some(phone) = input.default_phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        if phone.chars().count() > 30 || !crate::fulfillment::address_check::phone_has_enough_digits(phone) {
            return Err(CoreError::InvalidInput(
                "the default phone needs at least 5 digits and at most 30 characters, e.g. +1 555 0100".into(),
            ));
        }
    }
    ctx.db.write(|tx| {
        let phone_before = queries::settings(tx)?.default_phone;
        queries::save_settings(tx, input, Utc::now())?;
        let settings = load(tx)?;
        // A new default phone may clear (or set) an address hold on a phone.
        if settings.default_phone != phone_before {
            for order_id in queries::orders_held_for_address(tx)? {
                crate::stores::sync::refresh_order_status(tx, order_id)?;
            }
        }
        Ok(settings)
    })
}

/// Turns Auto Fulfillment on (after the page's "Are you sure you want to turn on the Auto
/// Fulfillment function?"). Refreshes the wallet first. Errors, with what to do: the My
/// Wallet boxes not saved, no supplier connected, a wallet below the threshold; paying by
/// card, no card (or an expired one) at a supplier.
pub async fn enable_auto(ctx: &Ctx) -> Result<AutoSettings> {
    check_auto_ready(ctx).await?;
    ctx.db.write(|tx| {
        queries::set_enabled(tx, true, Utc::now())?;
        load(tx)
    })
}

/// What [`enable_auto`] checks, without turning anything on: the page asks before it
/// shows its "Are you sure…?" pop-up. Refreshes the wallet.
pub async fn check_auto_ready(ctx: &Ctx) -> Result<()> {
    let settings = auto_settings(ctx)?;
    if settings.payment_method == PaymentMethod::Card {
        return check_cards_ready(ctx);
    }
    if !settings.wallet_terms_accepted {
        return Err(CoreError::InvalidInput(
            "tick both boxes of the My Wallet tab and Save before turning Auto Fulfillment on".into(),
        ));
    }
    let suppliers = crate::wallet::refresh(ctx).await?;
    if suppliers.is_empty() {
        return Err(CoreError::InvalidInput("connect a supplier before turning Auto Fulfillment on".into()));
    }
    match ctx.db.read(|c| short_wallets(c, settings.threshold_minor))? {
        Some(reason) => Err(CoreError::InvalidInput(reason)),
        None => Ok(()),
    }
}

/// Turns Auto Fulfillment off; orders already sent stay with their suppliers.
pub fn disable_auto(ctx: &Ctx) -> Result<AutoSettings> {
    ctx.db.write(|tx| {
        queries::set_enabled(tx, false, Utc::now())?;
        load(tx)
    })
}

/// One run of auto mode at `now` (the shell runs it on a timer; CLI `auto run`).
pub async fn run_auto(ctx: &Ctx, now: DateTime<Utc>) -> Result<AutoRunReport> {
    let settings = auto_settings(ctx)?;
    let mut report = AutoRunReport::default();
    if !settings.enabled {
        return Ok(report);
    }
    report.ran = true;
    let by_card = settings.payment_method == PaymentMethod::Card;
    let short = if by_card {
        // Paying by card, the wallet does not matter; an expired card pauses auto mode.
        check_cards_ready(ctx).err().map(|e| e.to_string())
    } else {
        // Without fresh balances nothing is sent: a dead network is not a reason to pause.
        ctx.observe(crate::wallet::refresh(ctx).await)?;
        ctx.db.read(|c| short_wallets(c, settings.threshold_minor))?
    };
    let was_paused = settings.paused_reason.is_some();
    ctx.db.write(|tx| {
        queries::set_paused(tx, short.as_deref())?;
        // Funds and the cost limit are looked at again on every run.
        for kind in HoldKind::ALL.into_iter().filter(|k| k.is_auto_only()) {
            queries::clear_holds_of(tx, kind)?;
        }
        Ok(())
    })?;
    if let Some(reason) = short {
        report.newly_paused = !was_paused;
        report.paused = Some(reason);
        return Ok(report);
    }
    report.resumed = was_paused;
    let cutoff = match settings.daily_at_minute {
        Some(minute) => last_daily_time(now, minute, settings.utc_offset_minutes),
        None => now - Duration::minutes(settings.approval_delay_minutes as i64),
    };
    let candidates = ctx.db.read(|c| queries::candidates(c, cutoff, BATCH as i64))?;
    for (order_id, name) in candidates {
        if settings.hold_medium_risk {
            if let Some(level) = ctx.db.read(|c| queries::unaccepted_risk_level(c, order_id))?.filter(|l| l == "MEDIUM")
            {
                let hold = Hold::new(
                    HoldKind::MediumRisk,
                    format!(
                        "the store rates the risk of fraud {level}, and you chose to check such orders before Auto Fulfillment sends them: ship it by hand or release it"
                    ),
                    [("level", level)],
                );
                ctx.db.write(|tx| hold.store(tx, order_id))?;
                report.held.push(name);
                continue;
            }
        }
        if let Some(limit) = settings.max_order_cost_minor {
            let cost = ctx.db.read(|c| queries::mapped_cost(c, order_id))?;
            if cost > limit {
                let (cost, limit) = (format_money(cost), format_money(limit));
                let hold = Hold::new(
                    HoldKind::CostAboveGuard,
                    format!(
                        "costs {cost} at the suppliers, above your {limit} limit for Auto Fulfillment: ship it by hand or raise the limit"
                    ),
                    [("cost", cost), ("limit", limit)],
                );
                ctx.db.write(|tx| hold.store(tx, order_id))?;
                report.held.push(name);
                continue;
            }
        }
        // The wallet must cover the order's products at each supplier (postage is quoted at
        // submission; the threshold leaves room for it).
        let shortfall = if by_card { None } else { ctx.db.read(|c| queries::shortfall(c, order_id))? };
        if let Some((supplier, cost, balance)) = shortfall {
            let (cost, balance) = (format_money(cost), format_money(balance));
            let hold = Hold::new(
                HoldKind::WaitingForFunds,
                format!("waiting for funds: {cost} needed at {supplier}, {balance} in My Wallet"),
                [("cost", cost), ("supplier", supplier), ("balance", balance)],
            );
            ctx.db.write(|tx| hold.store(tx, order_id))?;
            report.held.push(name);
            continue;
        }
        let result = crate::orders::ship(ctx, &[order_id]).await?;
        report.submitted.extend(result.shipped.iter().map(|s| s.order_name.clone()));
        report.queued.extend(result.queued);
        report.held.extend(result.skipped.into_iter().map(|s| s.order_name));
        if by_card {
            continue;
        }
        if let Some(reason) = ctx.db.read(|c| short_wallets(c, settings.threshold_minor))? {
            ctx.db.write(|tx| queries::set_paused(tx, Some(&reason)))?;
            report.newly_paused = true;
            report.paused = Some(reason);
            break;
        }
    }
    Ok(report)
}

/// The Credit Card tab's Confirm: checks the card (see [`CardInput::check`]), has every
/// connected supplier's payment endpoint tokenize it, keeps each token in the OS keychain
/// and only the brand, last 4 digits and expiry in the database, and makes the card the
/// payment method. Nothing is changed unless every supplier accepted the card.
/// Errors: the terms not accepted, a field that fails its check (named), no supplier
/// connected, a supplier declining the card or taking none through its API.
pub async fn save_card(ctx: &Ctx, card: &CardInput, terms_accepted: bool) -> Result<Vec<SavedCard>> {
    if !terms_accepted {
        return Err(CoreError::InvalidInput("tick the box to accept the terms, then Confirm".into()));
    }
    let checked = card.check(Utc::now().date_naive())?;
    let suppliers = ctx.db.read(crate::orders::views::list_suppliers)?;
    if suppliers.is_empty() {
        return Err(CoreError::InvalidInput("connect a supplier before adding a card".into()));
    }
    let mut tokens = Vec::new();
    for supplier in &suppliers {
        let token = ctx.observe(ctx.supplier_client(supplier.id)?.tokenize_card(&checked).await)?;
        tokens.push((supplier.id, token));
    }
    for (supplier_id, token) in &tokens {
        ctx.secrets().set(&crate::secrets::supplier_card_token_key(*supplier_id), &token.token)?;
    }
    ctx.db.write(|tx| {
        let now = Utc::now();
        for (supplier_id, token) in &tokens {
            let card = queries::StoredCard {
                brand: checked.brand.as_str(),
                last4: &token.last4,
                exp_month: checked.exp_month,
                exp_year: checked.exp_year,
            };
            queries::upsert_card(tx, *supplier_id, &card, now)?;
        }
        queries::pay_by_card(tx, now)?;
        Ok(())
    })?;
    tracing::info!(brand = checked.brand.as_str(), suppliers = tokens.len(), "card on file saved");
    saved_cards(ctx)
}

/// The cards on file, one per supplier: brand, last 4 digits, expiry.
pub fn saved_cards(ctx: &Ctx) -> Result<Vec<SavedCard>> {
    let today = Utc::now().date_naive();
    Ok(ctx
        .db
        .read(queries::cards)?
        .into_iter()
        .map(|card| SavedCard {
            brand: CardBrand::parse(&card.brand).unwrap_or(CardBrand::Visa),
            expired: is_expired(card.exp_month, card.exp_year, today),
            supplier_name: card.supplier_name,
            last4: card.last4,
            exp_month: card.exp_month,
            exp_year: card.exp_year,
        })
        .collect())
}

/// Removes the card: the tokens leave the keychain, the payment method goes back to My
/// Wallet, and Auto Fulfillment turns off unless the My Wallet boxes were saved.
pub fn remove_card(ctx: &Ctx) -> Result<AutoSettings> {
    for supplier in ctx.db.read(crate::orders::views::list_suppliers)? {
        ctx.secrets().delete(&crate::secrets::supplier_card_token_key(supplier.id))?;
    }
    ctx.db.write(|tx| {
        queries::remove_cards(tx, Utc::now())?;
        load(tx)
    })
}

/// Paying by card: the terms accepted, and a card on file, not expired, at every supplier.
fn check_cards_ready(ctx: &Ctx) -> Result<()> {
    if !auto_settings(ctx)?.card_terms_accepted {
        return Err(CoreError::InvalidInput(
            "add your card on the Credit Card tab, accept the terms and Confirm before turning Auto Fulfillment on"
                .into(),
        ));
    }
    let cards = saved_cards(ctx)?;
    let suppliers = ctx.db.read(crate::orders::views::list_suppliers)?;
    if suppliers.is_empty() {
        return Err(CoreError::InvalidInput("connect a supplier before turning Auto Fulfillment on".into()));
    }
    for supplier in suppliers {
        match cards.iter().find(|c| c.supplier_name == supplier.name) {
            None => {
                return Err(CoreError::InvalidInput(format!(
                    "no card on file at {}: add your card again on the Credit Card tab",
                    supplier.name
                )))
            }
            Some(card) if card.expired => {
                return Err(CoreError::InvalidInput(format!(
                    "the card ending {} expired at the end of {:02}/{}: add a new card on the Credit Card tab",
                    card.last4, card.exp_month, card.exp_year
                )))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// A shipping line a supplier quotes to a country, for the page's choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ShippingOption {
    pub name: String,
    pub supplier_name: String,
    /// Postage for one item, US cents.
    #[ts(type = "number")]
    pub price_minor: i64,
    /// Delivery days as the supplier gives them, e.g. `7-12`.
    pub aging: String,
}

/// A country's default shipping lines, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ShippingRule {
    pub country_code: String,
    pub lines: Vec<String>,
}

/// The lines each supplier quotes to `country` for one of its mapped items (CJ
/// `freightCalculate`), cheapest first, for choosing a default shipping method.
pub async fn shipping_options(ctx: &Ctx, country: &str) -> Result<Vec<ShippingOption>> {
    let country = country.trim().to_ascii_uppercase();
    if !crate::countries::is_known_country(&country) {
        return Err(CoreError::InvalidInput(format!("'{country}' is not an ISO 3166-1 country code")));
    }
    let mut options = Vec::new();
    for supplier in ctx.db.read(crate::orders::views::list_suppliers)? {
        let sample = ctx.db.read(|c| queries::sample_variant(c, supplier.id))?;
        let Some(vid) = sample else { continue };
        let products = [crate::suppliers::SupplierItem { variant_id: vid, quantity: 1 }];
        let to = crate::model::Address { country_code: country.clone(), ..Default::default() };
        let lines = ctx.observe(ctx.supplier_client(supplier.id)?.shipping_lines(&to, &products).await)?;
        options.extend(lines.into_iter().map(|l| ShippingOption {
            name: l.name,
            supplier_name: supplier.name.clone(),
            price_minor: l.price_minor,
            aging: l.aging,
        }));
    }
    options.sort_by(|a, b| (a.price_minor, &a.name).cmp(&(b.price_minor, &b.name)));
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn daily_mode_sends_what_was_placed_before_the_last_daily_time() {
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 14, 30, 0).unwrap();
        // 09:00 UTC: today's 09:00 has passed.
        assert_eq!(last_daily_time(now, 9 * 60, 0), Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap());
        // 16:00 UTC: not yet today, so yesterday's.
        assert_eq!(last_daily_time(now, 16 * 60, 0), Utc.with_ymd_and_hms(2026, 11, 21, 16, 0, 0).unwrap());
        // 09:00 in New York (UTC-5) is 14:00 UTC: passed.
        assert_eq!(last_daily_time(now, 9 * 60, -300), Utc.with_ymd_and_hms(2026, 11, 22, 14, 0, 0).unwrap());
        // 09:00 in Tokyo (UTC+9) is 00:00 UTC.
        assert_eq!(last_daily_time(now, 9 * 60, 540), Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap());
    }
}
