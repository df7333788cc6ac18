//! Profit per order: what the buyer paid (less the store's refunds), minus what the suppliers
//! charged for products and postage (less their refunds to My Wallet), minus the payment fee the
//! merchant sets (a percentage of what the buyer paid, plus a fixed amount per order), all in the
//! merchant's currency at the rates the merchant recorded.
//!
//! - Revenue: `orders.total_minor − orders.refunded_minor`, the order's currency.
//! - Supplier cost: the charged sub-orders' `cost_minor` (products + postage as charged; a
//!   replacement is charged nothing) less the ledger's `refund` entries of those sub-orders (a
//!   cancellation, a refund request), the sub-orders' currency (US dollars).
//! - An order no supplier has charged yet gets an **estimate**, marked as such: its lines at
//!   the mapped cost, plus each mapped supplier's average postage (its last 100 charges).
//! - Fee: `total × fee_bps / 10 000` in the order's currency, converted, plus `fee_fixed_minor`
//!   in the merchant's currency.
//! - Conversion: `minor × rate`, scaled between the currencies' minor digits, rounded half away
//!   from zero, once per figure. An amount in a currency with no recorded rate leaves the profit
//!   unknown (`missing_rate` names it), never a guess.
//!
//! Settings keys: `profit.currency` (ISO 4217, default USD), `profit.fee_bps` (0 to 10 000,
//! default 0), `profit.fee_fixed_minor` (0 to 10 000 000, default 0); rates in `exchange_rate`
//! (migration 25).
//!
//! The figures are worked out on every change of the order ([`refresh`], from
//! `stores::sync::refresh_order_status`, in the writer's transaction) and kept on the order
//! (`orders.profit_*`), so the Order page's column, the CSV export and the Dashboard read them
//! without working anything out; a new fee or rate works every order out again
//! ([`refresh_all`]), and orders stored before migration 25 are worked out when the database
//! opens ([`backfill`]).

use std::collections::HashMap;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, Result};
use crate::memo::Memo;
use crate::money::minor_digits;

const CURRENCY_KEY: &str = "profit.currency";
const FEE_BPS_KEY: &str = "profit.fee_bps";
const FEE_FIXED_KEY: &str = "profit.fee_fixed_minor";
/// The currency suppliers charge in when a sub-order does not say (CJ's).
const SUPPLIER_CURRENCY: &str = "USD";

/// The merchant's profit settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProfitSettings {
    /// The merchant's currency (ISO 4217), in which profit is shown.
    pub currency: String,
    /// The payment fee's percentage part, basis points (290 = 2.9 %).
    pub fee_bps: u32,
    /// The payment fee's fixed part per order, minor units of the merchant's currency.
    #[ts(type = "number")]
    pub fee_fixed_minor: i64,
    /// The recorded rates: one unit of `currency` is `rate` units of the merchant's currency.
    pub rates: Vec<ExchangeRate>,
}

/// One recorded exchange rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExchangeRate {
    pub currency: String,
    /// A decimal, e.g. `"1.0843"`.
    pub rate: String,
    pub recorded_at: DateTime<Utc>,
}

/// One order's profit, minor units of the merchant's currency (`currency`). `None` figures:
/// not known (`missing_rate` says why).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct OrderProfit {
    #[ts(type = "number")]
    pub order_id: i64,
    pub currency: String,
    /// What the buyer paid, less the store's refunds.
    #[ts(type = "number | null")]
    pub revenue_minor: Option<i64>,
    /// What the suppliers charged (products and postage), less their refunds.
    #[ts(type = "number | null")]
    pub supplier_cost_minor: Option<i64>,
    #[ts(type = "number | null")]
    pub fee_minor: Option<i64>,
    #[ts(type = "number | null")]
    pub profit_minor: Option<i64>,
    /// Profit over revenue, basis points.
    #[ts(type = "number | null")]
    pub margin_bps: Option<i64>,
    /// No supplier has charged the order yet: the cost is the mapped one with average postage.
    pub estimated: bool,
    /// A currency the figures need and that has no recorded rate.
    pub missing_rate: Option<String>,
}

fn is_currency(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

/// The merchant's settings and rates.
pub fn settings(conn: &Connection) -> Result<ProfitSettings> {
    let get = |key: &str| -> Result<Option<String>> {
        Ok(conn
            .prepare_cached("SELECT value FROM setting WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    };
    let rates = conn
        .prepare_cached("SELECT currency, rate, recorded_at FROM exchange_rate ORDER BY currency")?
        .query_map([], |r| Ok(ExchangeRate { currency: r.get(0)?, rate: r.get(1)?, recorded_at: r.get(2)? }))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ProfitSettings {
        currency: get(CURRENCY_KEY)?.filter(|c| is_currency(c)).unwrap_or_else(|| SUPPLIER_CURRENCY.into()),
        fee_bps: get(FEE_BPS_KEY)?.and_then(|v| v.parse().ok()).filter(|b| *b <= 10_000).unwrap_or(0),
        fee_fixed_minor: get(FEE_FIXED_KEY)?
            .and_then(|v| v.parse().ok())
            .filter(|f| (0..=10_000_000).contains(f))
            .unwrap_or(0),
        rates,
    })
}

/// Saves the currency and the fee. Errors: a currency that is not three capital letters, a
/// percentage over 100 % (10 000 basis points), a fixed fee outside 0 to 100 000.00.
pub fn save_settings(conn: &Connection, currency: &str, fee_bps: u32, fee_fixed_minor: i64) -> Result<()> {
    let currency = currency.trim().to_ascii_uppercase();
    if !is_currency(&currency) {
        return Err(CoreError::InvalidInput(format!(
            "'{}' is not a currency code (e.g. USD, EUR)",
            crate::money::clip(&currency)
        )));
    }
    if fee_bps > 10_000 {
        return Err(CoreError::InvalidInput("the fee's percentage is 0 to 100 %".into()));
    }
    if !(0..=10_000_000).contains(&fee_fixed_minor) {
        return Err(CoreError::InvalidInput("the fixed fee is 0 to 100,000.00".into()));
    }
    let mut set = conn.prepare_cached(
        "INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )?;
    set.execute(params![CURRENCY_KEY, currency])?;
    set.execute(params![FEE_BPS_KEY, fee_bps.to_string()])?;
    set.execute(params![FEE_FIXED_KEY, fee_fixed_minor.to_string()])?;
    Ok(())
}

/// Records (or replaces) a rate: one `currency` is `rate` of the merchant's currency. Errors: a
/// bad code, a rate that is not a positive decimal under 1,000,000.
pub fn record_rate(conn: &Connection, currency: &str, rate: &str, now: DateTime<Utc>) -> Result<()> {
    let currency = currency.trim().to_ascii_uppercase();
    if !is_currency(&currency) {
        return Err(CoreError::InvalidInput(format!("'{}' is not a currency code", crate::money::clip(&currency))));
    }
    let value = Decimal::from_str(rate.trim())
        .ok()
        .filter(|r| *r > Decimal::ZERO && *r < Decimal::from(1_000_000))
        .ok_or_else(|| CoreError::InvalidInput(format!("'{}' is not a positive rate", crate::money::clip(rate))))?;
    conn.prepare_cached(
        "INSERT INTO exchange_rate (currency, rate, recorded_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (currency) DO UPDATE SET rate = excluded.rate, recorded_at = excluded.recorded_at",
    )?
    .execute(params![currency, value.normalize().to_string(), now])?;
    Ok(())
}

/// Forgets a rate; returns whether there was one.
pub fn remove_rate(conn: &Connection, currency: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("DELETE FROM exchange_rate WHERE currency = ?1")?
        .execute([currency.trim().to_ascii_uppercase()])?
        == 1)
}

/// Converts with the merchant's rates.
/// The settings and their rates, ready to convert (one per write: [`crate::memo::Memo`]).
pub(crate) struct Pricing {
    settings: ProfitSettings,
    fx: Converter,
}

impl Pricing {
    pub(crate) fn read(conn: &Connection) -> Result<Pricing> {
        let settings = settings(conn)?;
        let fx = Converter::new(&settings);
        Ok(Pricing { settings, fx })
    }
}

struct Converter {
    to: String,
    rates: HashMap<String, Decimal>,
}

impl Converter {
    fn new(settings: &ProfitSettings) -> Converter {
        let rates = settings
            .rates
            .iter()
            .filter_map(|r| Some((r.currency.clone(), Decimal::from_str(&r.rate).ok()?)))
            .collect();
        Converter { to: settings.currency.clone(), rates }
    }

    /// `minor` of `from` in the merchant's minor units; `Err(from)` without a rate.
    fn convert(&self, minor: Decimal, from: &str) -> std::result::Result<i64, String> {
        let rate = if from == self.to { Decimal::ONE } else { *self.rates.get(from).ok_or_else(|| from.to_owned())? };
        let scale = i64::from(minor_digits(&self.to)) - i64::from(minor_digits(from));
        let mut value = minor * rate;
        if scale > 0 {
            value *= Decimal::from(10i64.pow(scale as u32));
        } else if scale < 0 {
            value /= Decimal::from(10i64.pow((-scale) as u32));
        }
        let rounded = value.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
        Ok(i64::try_from(rounded).unwrap_or(i64::MAX))
    }
}

/// What one order's figures are made of, as stored.
#[derive(Debug, Clone, Default)]
struct Stored {
    total_minor: i64,
    refunded_minor: i64,
    currency: String,
    charged_minor: i64,
    charged_subs: i64,
    supplier_currency: Option<String>,
    supplier_refunds_minor: i64,
    mapped_products_minor: i64,
    mapped_suppliers: Vec<i64>,
}

/// Run for every order a write touches: the SQL is built once.
static STORED: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let charged =
        "(so.paid_at IS NOT NULL OR so.state IN ('paid', 'shipped', 'delivered')) AND so.cost_minor IS NOT NULL";
    // One pass over the order's charged sub-orders for their sum, count and currency.
    format!(
        "SELECT o.total_minor, o.refunded_minor, o.currency, COALESCE(SUM(so.cost_minor), 0), COUNT(so.id), MIN(so.currency),
                (SELECT COALESCE(SUM(w.amount_minor), 0) FROM wallet_entry w JOIN supplier_order s2 ON s2.id = w.supplier_order_id
                 WHERE s2.order_id = o.id AND w.kind = 'refund')
         FROM orders o LEFT JOIN supplier_order so ON so.order_id = o.id AND {charged}
         WHERE o.id = ?1 GROUP BY o.id"
    )
});

/// The mapped products of an order not charged yet, per supplier (the estimate's cost).
static MAPPED: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    use crate::products::queries::{MAPPED_COST, MAPPED_SUPPLIER, MAPPING_JOINS};
    format!(
        "SELECT {MAPPED_SUPPLIER}, CAST(TOTAL({MAPPED_COST} * li.quantity) AS INTEGER)
         FROM orders o JOIN line_item li ON li.order_id = o.id {MAPPING_JOINS}
         WHERE o.id = ?1 AND li.requires_shipping = 1 AND li.quantity > 0 AND {MAPPED_SUPPLIER} IS NOT NULL
         GROUP BY 1"
    )
});

fn stored(conn: &Connection, order_id: i64) -> Result<Option<Stored>> {
    let Some(mut s) = conn
        .prepare_cached(&STORED)?
        .query_row([order_id], |r| {
            Ok(Stored {
                total_minor: r.get(0)?,
                refunded_minor: r.get(1)?,
                currency: r.get(2)?,
                charged_minor: r.get(3)?,
                charged_subs: r.get(4)?,
                supplier_currency: r.get(5)?,
                supplier_refunds_minor: r.get(6)?,
                ..Stored::default()
            })
        })
        .optional()?
    else {
        return Ok(None);
    };
    if s.charged_subs == 0 {
        for row in
            conn.prepare_cached(&MAPPED)?.query_map([order_id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?
        {
            let (supplier, cost) = row?;
            s.mapped_products_minor += cost;
            s.mapped_suppliers.push(supplier);
        }
    }
    Ok(Some(s))
}

fn compute(conn: &Connection, order_id: i64, memo: &Memo) -> Result<Option<OrderProfit>> {
    let Some(s) = stored(conn, order_id)? else { return Ok(None) };
    let pricing = memo.pricing(conn)?;
    let (settings, fx) = (&pricing.settings, &pricing.fx);
    let estimated = s.charged_subs == 0;
    let cost_usd = if estimated {
        let mut postage = 0;
        for supplier in &s.mapped_suppliers {
            postage += memo.average_postage(conn, *supplier)?;
        }
        s.mapped_products_minor + postage
    } else {
        s.charged_minor - s.supplier_refunds_minor
    };
    let supplier_currency = s.supplier_currency.clone().unwrap_or_else(|| SUPPLIER_CURRENCY.into());
    let fee_order_ccy = Decimal::from(s.total_minor) * Decimal::from(settings.fee_bps) / Decimal::from(10_000);
    let converted = (|| -> std::result::Result<(i64, i64, i64), String> {
        let revenue = fx.convert(Decimal::from(s.total_minor - s.refunded_minor), &s.currency)?;
        let cost = fx.convert(Decimal::from(cost_usd), &supplier_currency)?;
        let fee = fx.convert(fee_order_ccy, &s.currency)? + settings.fee_fixed_minor;
        Ok((revenue, cost, fee))
    })();
    Ok(Some(match converted {
        Ok((revenue, cost, fee)) => {
            let profit = revenue - cost - fee;
            OrderProfit {
                order_id,
                currency: settings.currency.clone(),
                revenue_minor: Some(revenue),
                supplier_cost_minor: Some(cost),
                fee_minor: Some(fee),
                profit_minor: Some(profit),
                margin_bps: (revenue != 0).then(|| {
                    (Decimal::from(profit) * Decimal::from(10_000) / Decimal::from(revenue))
                        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
                        .try_into()
                        .unwrap_or(0)
                }),
                estimated,
                missing_rate: None,
            }
        }
        Err(currency) => OrderProfit {
            order_id,
            currency: settings.currency.clone(),
            revenue_minor: None,
            supplier_cost_minor: None,
            fee_minor: None,
            profit_minor: None,
            margin_bps: None,
            estimated,
            missing_rate: Some(currency),
        },
    }))
}

/// Works the order's figures out again and keeps them on the order (see the module doc).
pub fn refresh(conn: &Connection, order_id: i64) -> Result<()> {
    refresh_with(conn, order_id, &Memo::default())
}

/// [`refresh`], reading the settings, rates and postage averages through the write's `memo`.
pub fn refresh_with(conn: &Connection, order_id: i64, memo: &Memo) -> Result<()> {
    let Some(p) = compute(conn, order_id, memo)? else { return Ok(()) };
    conn.prepare_cached(
        "UPDATE orders SET profit_revenue_minor = ?2, profit_minor = ?3, profit_estimated = ?4, profit_note = ?5,
                profit_at = ?6 WHERE id = ?1",
    )?
    .execute(params![order_id, p.revenue_minor, p.profit_minor, p.estimated, p.missing_rate, Utc::now()])?;
    Ok(())
}

/// Works every order out again (a new currency, fee or rate); returns how many.
pub fn refresh_all(conn: &Connection) -> Result<usize> {
    refresh_where(conn, "1")
}

fn refresh_where(conn: &Connection, filter: &str) -> Result<usize> {
    let memo = Memo::default();
    let ids: Vec<i64> = conn
        .prepare(&format!("SELECT id FROM orders WHERE {filter}"))?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for &id in &ids {
        refresh_with(conn, id, &memo)?;
    }
    Ok(ids.len())
}

/// Works out the orders stored before their figures existed (migration 25), once each, a
/// thousand orders a transaction so the writer is never held for long.
pub fn backfill(db: &crate::db::Db) -> Result<()> {
    while db.write(|tx| refresh_where(tx, "profit_at IS NULL LIMIT 1000"))? > 0 {}
    Ok(())
}

/// The profit of each order in `order_ids` that exists, in the same order, worked out now.
pub fn order_profits(conn: &Connection, order_ids: &[i64]) -> Result<Vec<OrderProfit>> {
    let memo = Memo::default();
    let mut out = Vec::with_capacity(order_ids.len());
    for &id in order_ids {
        if let Some(p) = compute(conn, id, &memo)? {
            out.push(p);
        }
    }
    Ok(out)
}

/// One order's profit. Errors: `NotFound`.
pub fn order_profit(conn: &Connection, order_id: i64) -> Result<OrderProfit> {
    order_profits(conn, &[order_id])?.pop().ok_or_else(|| CoreError::NotFound(format!("order {order_id} not found")))
}

/// Profit over a period: per day (UTC dates of the orders' creation), in total and as a margin.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ProfitSummary {
    pub currency: String,
    /// `(YYYY-MM-DD, profit minor units)`, oldest first, days with orders only.
    #[ts(type = "Array<[string, number]>")]
    pub per_day: Vec<(String, i64)>,
    #[ts(type = "number")]
    pub revenue_minor: i64,
    #[ts(type = "number")]
    pub profit_minor: i64,
    #[ts(type = "number | null")]
    pub margin_bps: Option<i64>,
    /// Orders counted; of them, estimated; orders left out for a missing rate.
    #[ts(type = "number")]
    pub orders: i64,
    #[ts(type = "number")]
    pub estimated: i64,
    #[ts(type = "number")]
    pub unknown: i64,
}

/// The profit of the paid orders created in `[from, to)` (those awaiting payment have earned
/// nothing yet), from the figures kept on the orders; days are UTC dates.
pub fn summary(conn: &Connection, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<ProfitSummary> {
    let mut out = ProfitSummary { currency: settings(conn)?.currency, ..ProfitSummary::default() };
    let mut rows = conn.prepare_cached(
        "SELECT substr(created_at, 1, 10), COUNT(profit_minor), TOTAL(profit_minor), TOTAL(profit_revenue_minor),
                SUM(profit_minor IS NOT NULL AND profit_estimated), SUM(profit_minor IS NULL)
         FROM orders WHERE created_at >= ?1 AND created_at < ?2 AND status <> 'awaiting_payment'
         GROUP BY 1 ORDER BY 1",
    )?;
    let mut q = rows.query(params![from, to])?;
    while let Some(r) = q.next()? {
        let (day, counted, profit, revenue, estimated, unknown): (String, i64, f64, f64, i64, i64) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?);
        out.orders += counted;
        out.estimated += estimated;
        out.unknown += unknown;
        out.profit_minor += profit as i64;
        out.revenue_minor += revenue as i64;
        if counted > 0 {
            out.per_day.push((day, profit as i64));
        }
    }
    out.margin_bps = (out.revenue_minor != 0).then(|| out.profit_minor * 10_000 / out.revenue_minor);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fx(to: &str, rates: &[(&str, &str)]) -> Converter {
        Converter {
            to: to.into(),
            rates: rates.iter().map(|(c, r)| ((*c).to_owned(), Decimal::from_str(r).unwrap())).collect(),
        }
    }

    #[test]
    fn conversion_scales_between_minor_digits_and_rounds_half_away_from_zero() {
        let eur = fx("EUR", &[("USD", "0.9"), ("JPY", "0.0062")]);
        assert_eq!(eur.convert(Decimal::from(1000), "USD"), Ok(900));
        assert_eq!(eur.convert(Decimal::from(1000), "EUR"), Ok(1000));
        // ¥1000 (no minor digits) is €6.20.
        assert_eq!(eur.convert(Decimal::from(1000), "JPY"), Ok(620));
        assert_eq!(eur.convert(Decimal::from(5), "USD"), Ok(5), "4.5 cents rounds to 5");
        assert_eq!(eur.convert(Decimal::from(-5), "USD"), Ok(-5));
        assert_eq!(eur.convert(Decimal::from(1), "GBP"), Err("GBP".into()), "no rate: unknown, not guessed");
    }
}
