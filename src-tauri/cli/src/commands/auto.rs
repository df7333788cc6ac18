//! `auto …` and `card …`: Auto Fulfillment and the card on file.

use super::prelude::*;

#[derive(Subcommand)]
pub(crate) enum AutoCommand {
    /// The Auto Fulfillment settings and state.
    Status,
    /// Save the settings: My Wallet with both boxes ticked (--accept-terms), the threshold, the
    /// approval delay, and "choose the most suitable shipping method".
    Set {
        /// Tick "… will only fulfill orders if there is enough amount in My Wallet." and "I agree to
        /// the Terms of Service, Privacy and Shipping Policy …".
        #[arg(long)]
        accept_terms: bool,
        /// Dollars each supplier wallet must hold.
        #[arg(long, default_value = "1000")]
        threshold: String,
        /// How long a paid order waits before it is sent; `daily` sends once a day at --at.
        #[arg(long, value_parser = ["now", "1h", "24h", "daily"], default_value = "now")]
        delay: String,
        /// With --delay daily: the local time, HH:MM.
        #[arg(long, value_name = "HH:MM")]
        at: Option<chrono::NaiveTime>,
        /// The cheapest line arriving within this many days, else the fastest (omit: off).
        #[arg(long, value_name = "DAYS")]
        most_suitable_within: Option<u32>,
        /// Hold, instead of sending, orders whose products cost more than this many dollars.
        #[arg(long, value_name = "DOLLARS")]
        max_order_cost: Option<String>,
        /// Hold, instead of sending, orders the store rates MEDIUM risk of fraud (HIGH ones are
        /// always held).
        #[arg(long)]
        hold_medium_risk: bool,
        /// The phone sent for orders that have none (Etsy receipts carry none; CJ requires one);
        /// omit: none, and such orders are held for CJ with their address.
        #[arg(long, value_name = "PHONE")]
        default_phone: Option<String>,
        /// Before sending, hold an order whose supplier price moved from the mapped cost by more
        /// than this many percent (releasing it accepts the new price).
        #[arg(long, value_name = "PERCENT", default_value_t = dropdock_core::auto_fulfillment::DEFAULT_COST_CHANGE_LIMIT_PCT)]
        cost_change_limit: u32,
    },
    /// Turn Auto Fulfillment on (the wallet must hold the threshold at each supplier).
    Enable,
    /// Turn Auto Fulfillment off.
    Disable,
    /// One run now: send the paid orders that can go.
    Run,
}

#[derive(Subcommand)]
pub(crate) enum CardCommand {
    /// Add the card suppliers are paid with (the Credit Card tab). The number and the CVC are
    /// read from standard input, one per line, so they stay out of the shell's history and the
    /// process list; only the brand, last 4 digits and expiry are kept.
    Add {
        /// As printed on the card.
        #[arg(long)]
        name: String,
        /// Expiry, MM/YY or MM/YYYY.
        #[arg(long)]
        exp: String,
        /// Billing country, ISO 3166-1 alpha-2.
        #[arg(long)]
        country: String,
        /// Accept the terms (the tab's checkbox).
        #[arg(long)]
        accept_terms: bool,
    },
    /// The card on file at each supplier.
    Show,
    /// Remove the card and go back to paying from My Wallet.
    Remove,
}

pub(crate) async fn auto(ctx: &Ctx, command: AutoCommand) -> Result<()> {
    let dd = ctx.open()?;
    match command {
        AutoCommand::Status => print_auto(&dd.auto_settings()?),
        AutoCommand::Set {
            accept_terms,
            threshold,
            delay,
            at,
            most_suitable_within,
            max_order_cost,
            hold_medium_risk,
            default_phone,
            cost_change_limit,
        } => {
            let daily_at_minute = match (delay.as_str(), at) {
                ("daily", Some(at)) => Some(chrono::Timelike::hour(&at) * 60 + chrono::Timelike::minute(&at)),
                ("daily", None) => bail!("--delay daily needs --at HH:MM"),
                _ => None,
            };
            let utc_offset_minutes = chrono::Local::now().offset().local_minus_utc() / 60;
            let max_order_cost_minor = max_order_cost
                .map(|m| dropdock_core::money::parse_minor(&m, "USD"))
                .transpose()
                .map_err(|e| anyhow!("the order cost limit must be dollars, e.g. 150: {e}"))?;
            let threshold_minor = dropdock_core::money::parse_minor(&threshold, "USD")
                .map_err(|e| anyhow!("the threshold must be dollars, e.g. 1000: {e}"))?;
            let approval_delay_minutes = match delay.as_str() {
                "1h" => 60,
                "24h" => 1440,
                _ => 0,
            };
            let input = AutoSettingsInput {
                payment_method: PaymentMethod::Wallet,
                wallet_terms_accepted: accept_terms,
                threshold_minor,
                approval_delay_minutes,
                daily_at_minute,
                utc_offset_minutes,
                most_suitable_within_days: most_suitable_within,
                max_order_cost_minor,
                hold_medium_risk,
                default_phone,
                cost_change_limit_pct: cost_change_limit,
            };
            print_auto(&dd.save_auto_settings(&input)?);
        }
        AutoCommand::Enable => print_auto(&dd.enable_auto().await?),
        AutoCommand::Disable => print_auto(&dd.disable_auto()?),
        AutoCommand::Run => {
            let report = dd.run_auto(chrono::Utc::now()).await?;
            println!("{}", report.summary());
            for name in &report.submitted {
                println!("submitted {name}");
            }
            for name in &report.held {
                println!("held {name}");
            }
        }
    }
    Ok(())
}

/// `card add|show|remove`.
pub(crate) async fn card(ctx: &Ctx, command: CardCommand) -> Result<()> {
    let dd = ctx.open()?;
    match command {
        CardCommand::Add { name, exp, country, accept_terms } => {
            let (month, year) = exp
                .split_once('/')
                .and_then(|(m, y)| Some((m.trim().parse::<u32>().ok()?, y.trim().parse::<u32>().ok()?)))
                .ok_or_else(|| anyhow!("--exp: write the expiry as MM/YY, e.g. 09/31"))?;
            use std::io::{BufRead, IsTerminal};
            let stdin = std::io::stdin();
            let interactive = stdin.is_terminal();
            let mut lines = stdin.lock().lines();
            let mut read = |prompt: &str| -> Result<zeroize::Zeroizing<String>> {
                if interactive {
                    eprint!("{prompt}: ");
                }
                let line = lines.next().ok_or_else(|| anyhow!("{prompt}: expected on standard input"))??;
                Ok(zeroize::Zeroizing::new(line.trim().to_owned()))
            };
            let number = read("Card number")?;
            let cvc = read("CVC")?;
            let input = dropdock_core::fulfillment::payment_card::CardInput {
                number: number.to_string(),
                name_on_card: name,
                exp_month: month,
                exp_year: year,
                cvc: cvc.to_string(),
                country_code: country,
            };
            let saved = dd.save_card(&input, accept_terms).await?;
            if let Some(card) = saved.first() {
                println!(
                    "Saved {} ending {} (expires {:02}/{}) at {} supplier{}; suppliers are now paid by card",
                    card.brand_name(),
                    card.last4,
                    card.exp_month,
                    card.exp_year,
                    saved.len(),
                    if saved.len() == 1 { "" } else { "s" }
                );
            }
        }
        CardCommand::Show => {
            let cards = dd.saved_cards()?;
            if cards.is_empty() {
                println!("No card on file; suppliers are paid from My Wallet");
            }
            for card in cards {
                println!(
                    "{}	{} ending {}	expires {:02}/{}{}",
                    card.supplier_name,
                    card.brand_name(),
                    card.last4,
                    card.exp_month,
                    card.exp_year,
                    if card.expired { "	expired" } else { "" }
                );
            }
        }
        CardCommand::Remove => {
            let settings = dd.remove_card()?;
            println!(
                "Card removed; suppliers are paid from My Wallet{}",
                if settings.enabled { "" } else { "; Auto Fulfillment is off" }
            );
        }
    }
    Ok(())
}

pub(crate) fn print_auto(settings: &AutoSettings) {
    println!(
        "Auto Fulfillment {}{}; My Wallet, boxes {}, threshold {}, approval delay {}, most suitable line {}, order cost limit {}, MEDIUM risk {}, default phone {}, cost change limit {}%",
        if settings.enabled { "on" } else { "off" },
        settings.paused_reason.as_ref().map(|r| format!(" (paused: {r})")).unwrap_or_default(),
        if settings.wallet_terms_accepted { "ticked" } else { "not ticked" },
        money(settings.threshold_minor, "USD"),
        match settings.daily_at_minute {
            Some(m) => format!("daily at {:02}:{:02}", m / 60, m % 60),
            None => format!("{} min", settings.approval_delay_minutes),
        },
        settings.most_suitable_within_days.map(|d| format!("within {d} days")).unwrap_or_else(|| "off".into()),
        settings.max_order_cost_minor.map(|m| money(m, "USD")).unwrap_or_else(|| "none".into()),
        if settings.hold_medium_risk { "held" } else { "sent" },
        settings.default_phone.as_deref().unwrap_or("none"),
        settings.cost_change_limit_pct
    );
}
