//! `profit show|settings|rate|summary`: profit per order in the merchant's currency (the order
//! drawer's Profit section, the Order page's column, the Dashboard), the payment fee and the
//! exchange rates it is worked out with.

use super::prelude::*;
use dropdock_core::money::{format_minor, parse_minor};
use dropdock_core::orders::profit::ProfitSettings;

#[derive(Subcommand)]
pub(crate) enum ProfitCommand {
    /// One order's profit: `Profit ORDER: AMOUNT CUR` (with `(estimate)` before a supplier has
    /// charged it, or `unknown: no rate for CUR`), then revenue, supplier cost, fee and margin.
    Show {
        order: String,
        #[arg(long)]
        json: bool,
    },
    /// The merchant's currency and payment fee; with no flag, prints them and the rates.
    Settings {
        /// ISO 4217 code, e.g. USD or EUR.
        #[arg(long)]
        currency: Option<String>,
        /// The fee's percentage of what the buyer paid, e.g. 2.9.
        #[arg(long, value_name = "PERCENT")]
        fee_percent: Option<String>,
        /// The fee's fixed part per order, in the merchant's currency, e.g. 0.30.
        #[arg(long, value_name = "AMOUNT")]
        fee_fixed: Option<String>,
    },
    /// Records what one unit of CURRENCY is in the merchant's currency (e.g. `rate EUR 1.08`),
    /// or forgets it with `--remove`.
    Rate {
        currency: String,
        rate: Option<String>,
        #[arg(long)]
        remove: bool,
    },
    /// The 10 products that made most profit over the last DAYS days, one a line:
    /// `PROFIT UNITS TITLE` (tab-separated), most first.
    Products {
        #[arg(long, default_value_t = 30)]
        days: u32,
    },
    /// The paid orders of the last DAYS days: one `DAY PROFIT` line per day with orders, then
    /// `Profit: AMOUNT CUR over N orders (E estimated, U unknown), margin M%`.
    Summary {
        #[arg(long, default_value_t = 30)]
        days: u32,
        #[arg(long)]
        json: bool,
    },
}

/// Basis points as a percentage with two decimals (290 → `2.90`, -1250 → `-12.50`): the same
/// decimal shift as an amount in a two-digit currency (`XXX`, ISO 4217's "no currency").
fn percent_text(bps: i64) -> String {
    format_minor(bps, "XXX")
}

/// `Profit in CUR, payment fee P% + F`, then a `  rate CUR RATE (DATE)` line per rate.
fn print_settings(s: &ProfitSettings) {
    println!(
        "Profit in {}, payment fee {}% + {}",
        s.currency,
        percent_text(i64::from(s.fee_bps)),
        format_minor(s.fee_fixed_minor, &s.currency)
    );
    for r in &s.rates {
        println!("  rate {} {} ({})", r.currency, r.rate, r.recorded_at.format("%Y-%m-%d"));
    }
}

/// `2.9` → 290 basis points. Errors: not a decimal with at most two places.
fn basis_points(percent: &str) -> Result<u32> {
    let bps = parse_minor(percent, "USD").map_err(|e| anyhow!("the fee's percentage: {e}"))?;
    u32::try_from(bps).map_err(|_| anyhow!("the fee's percentage is 0 to 100"))
}

pub(crate) async fn run(ctx: &Ctx, command: ProfitCommand) -> Result<()> {
    let dd = ctx.open()?;
    match command {
        ProfitCommand::Show { order, json } => {
            let id = dd.order_id_by_name(&order)?;
            let name = dd.order_detail(id)?.order.name;
            let p = dd.order_profit(id)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&p)?);
                return Ok(());
            }
            let cur = p.currency.as_str();
            match (p.profit_minor, &p.missing_rate) {
                (Some(profit), _) => println!(
                    "Profit {name}: {} {cur}{}",
                    format_minor(profit, cur),
                    if p.estimated { " (estimate)" } else { "" }
                ),
                (None, Some(missing)) => println!("Profit {name}: unknown: no rate for {missing}"),
                (None, None) => println!("Profit {name}: unknown"),
            }
            let line = |label: &str, v: Option<i64>| {
                if let Some(v) = v {
                    println!("  {label} {} {cur}", format_minor(v, cur));
                }
            };
            line("revenue", p.revenue_minor);
            line("supplier cost", p.supplier_cost_minor);
            line("fee", p.fee_minor);
            if let Some(m) = p.margin_bps {
                println!("  margin {}%", percent_text(m));
            }
        }
        ProfitCommand::Settings { currency, fee_percent, fee_fixed } => {
            let now = dd.profit_settings()?;
            let s = if currency.is_none() && fee_percent.is_none() && fee_fixed.is_none() {
                now
            } else {
                let currency = currency.unwrap_or(now.currency.clone()).trim().to_ascii_uppercase();
                let bps = fee_percent.as_deref().map(basis_points).transpose()?.unwrap_or(now.fee_bps);
                let fixed = match fee_fixed.as_deref() {
                    Some(f) => parse_minor(f, &currency).map_err(|e| anyhow!("the fixed fee: {e}"))?,
                    None => now.fee_fixed_minor,
                };
                dd.save_profit_settings(&currency, bps, fixed)?
            };
            print_settings(&s);
        }
        ProfitCommand::Rate { currency, rate, remove } => {
            let s = match (rate.as_deref(), remove) {
                (Some(_), true) => bail!("give a rate or --remove, not both"),
                (None, false) => bail!("give the rate, e.g. `profit rate EUR 1.08`, or --remove"),
                (rate, _) => dd.set_exchange_rate(&currency, rate)?,
            };
            print_settings(&s);
        }
        ProfitCommand::Products { days } => {
            let currency = dd.profit_settings()?.currency;
            for p in dd.profit_per_product(days)? {
                println!("{}\t{}\t{}", format_minor(p.profit_minor, &currency), p.units, p.title);
            }
        }
        ProfitCommand::Summary { days, json } => {
            let s = dd.profit_summary(days)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&s)?);
                return Ok(());
            }
            for (day, profit) in &s.per_day {
                println!("{day}\t{}", format_minor(*profit, &s.currency));
            }
            println!(
                "Profit: {} {} over {} orders ({} estimated, {} unknown), margin {}",
                format_minor(s.profit_minor, &s.currency),
                s.currency,
                s.orders,
                s.estimated,
                s.unknown,
                s.margin_bps.map(|m| format!("{}%", percent_text(m))).unwrap_or_else(|| "-".into())
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_percentage_becomes_basis_points() {
        assert_eq!(basis_points("2.9").unwrap(), 290);
        assert_eq!(basis_points("0").unwrap(), 0);
        assert!(basis_points("2.955").is_err());
        assert!(basis_points("-1").is_err());
    }
}
