//! `wallet …` and `invoices …`: My Wallet, its ledger, and invoices.

use super::prelude::*;

#[derive(Subcommand)]
pub(crate) enum WalletCommand {
    /// The ledger, newest first: recharges, charges (with their order), refunds, adjustments.
    Ledger {
        /// Only this supplier.
        #[arg(long)]
        supplier: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Refresh the balances and compare each with the ledger; a difference is printed as it is.
    Reconcile,
    /// Recharge. On the sandbox: the supplier's recharge call. A real CJ wallet: prints the page
    /// to recharge on; run `wallet record --kind recharge` or `wallet reconcile` afterwards.
    Recharge {
        #[arg(long)]
        supplier: String,
        /// Dollars, e.g. 500 or 250.50.
        #[arg(long)]
        amount: String,
    },
    /// Record a recharge made on the supplier's site, or an adjustment (negative: money out).
    Record {
        #[arg(long)]
        supplier: String,
        #[arg(long, value_enum)]
        kind: EntryKind,
        /// Dollars, e.g. 500 or -12.30.
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// What waiting orders will cost against each balance and the Auto Fulfillment threshold.
    Forecast,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum EntryKind {
    Recharge,
    Adjustment,
}

#[derive(Subcommand)]
pub(crate) enum InvoicesCommand {
    /// Write the invoices of a period to a CSV or PDF file.
    Export {
        /// First day, YYYY-MM-DD (UTC).
        #[arg(long)]
        from: chrono::NaiveDate,
        /// Last day, YYYY-MM-DD (UTC), included.
        #[arg(long)]
        to: chrono::NaiveDate,
        #[arg(long, value_enum, default_value = "csv")]
        format: InvoiceFileFormat,
        /// The file to write.
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum InvoiceFileFormat {
    Csv,
    Pdf,
}

/// `wallet` and its subcommands.
pub(crate) async fn wallet(ctx: &Ctx, action: Option<WalletCommand>) -> Result<()> {
    use dropdock_core::wallet::ManualEntryKind;
    let dd = ctx.open()?;
    let dollars = |text: &str| dropdock_core::money::parse_minor(text, "USD").map_err(|e| anyhow!("--amount: {e}"));
    match action {
        None => {
            for s in dd.refresh_wallet().await? {
                println!(
                    "{}\tbalance {}\tcharged {} sub-orders, {}",
                    s.name,
                    money(s.balance_minor.unwrap_or(0), "USD"),
                    s.charged_sub_orders,
                    money(-s.ledger_total_minor, "USD")
                );
            }
        }
        Some(WalletCommand::Ledger { supplier, limit }) => {
            let supplier_id = match supplier {
                Some(name) => Some(dd.supplier_by_name(&name)?.id),
                None => None,
            };
            for e in dd.wallet_ledger(supplier_id, limit)? {
                let what = match (&e.order_name, &e.supplier_order_number) {
                    (Some(order), Some(number)) => format!("{order} ({number})"),
                    _ => e.note.clone().unwrap_or_default(),
                };
                println!(
                    "{}\t{}\t{}\t{}\tbalance {}\t{what}",
                    e.created_at.format("%Y-%m-%d %H:%M:%S"),
                    e.supplier_name,
                    e.kind,
                    money(e.amount_minor, "USD"),
                    money(e.balance_after_minor, "USD")
                );
            }
        }
        Some(WalletCommand::Reconcile) => {
            dd.refresh_wallet().await?;
            for r in dd.wallet_reconciliation()? {
                let difference = match r.difference_minor {
                    Some(0) => "reconciled".to_owned(),
                    Some(d) => format!("difference {} (supplier less ledger)", money(d, "USD")),
                    None => "not checked yet".to_owned(),
                };
                println!(
                    "{}\tledger {}\tsupplier {}\t{difference}",
                    r.supplier_name,
                    money(r.ledger_balance_minor, "USD"),
                    r.supplier_balance_minor.map(|b| money(b, "USD")).unwrap_or_else(|| "-".into())
                );
            }
        }
        Some(WalletCommand::Recharge { supplier, amount }) => {
            let supplier = dd.supplier_by_name(&supplier)?;
            match dd.recharge_wallet(supplier.id, dollars(&amount)?).await? {
                None => {
                    let now = dd
                        .suppliers()?
                        .into_iter()
                        .find(|s| s.id == supplier.id)
                        .and_then(|s| s.balance_minor)
                        .unwrap_or(0);
                    println!(
                        "Recharged {} at {}; balance {}",
                        money(dollars(&amount)?, "USD"),
                        supplier.name,
                        money(now, "USD")
                    );
                }
                Some(page) => println!(
                    "Recharge {} on its own site: {page}\nThen run: dropdock-cli wallet reconcile",
                    supplier.name
                ),
            }
        }
        Some(WalletCommand::Record { supplier, kind, amount, note }) => {
            let supplier = dd.supplier_by_name(&supplier)?;
            let kind = match kind {
                EntryKind::Recharge => ManualEntryKind::Recharge,
                EntryKind::Adjustment => ManualEntryKind::Adjustment,
            };
            let amount = dollars(&amount)?;
            dd.record_wallet_entry(supplier.id, kind, amount, &note)?;
            println!("Recorded {} at {}", money(amount, "USD"), supplier.name);
        }
        Some(WalletCommand::Forecast) => {
            for f in dd.wallet_forecast()? {
                println!(
                    "{}\tbalance {}\t{} orders waiting: to order {}, held {}, queued {}\tafter {}\t{}",
                    f.supplier_name,
                    money(f.balance_minor, "USD"),
                    f.orders,
                    money(f.to_order_minor, "USD"),
                    money(f.held_minor, "USD"),
                    money(f.queued_minor, "USD"),
                    money(f.after_minor, "USD"),
                    if f.below_threshold {
                        format!("below the {} threshold: recharge", money(f.threshold_minor, "USD"))
                    } else {
                        "above the threshold".to_owned()
                    }
                );
            }
        }
    }
    Ok(())
}

/// `invoices …`
pub(crate) async fn invoices(ctx: &Ctx, command: InvoicesCommand) -> Result<()> {
    match command {
        InvoicesCommand::Export { from, to, format, out } => {
            let dd = ctx.open()?;
            let start = from.and_hms_opt(0, 0, 0).expect("midnight").and_utc();
            let end = to
                .succ_opt()
                .ok_or_else(|| anyhow!("--to is out of range"))?
                .and_hms_opt(0, 0, 0)
                .expect("midnight")
                .and_utc();
            let format = match format {
                InvoiceFileFormat::Csv => dropdock_core::wallet::InvoiceFormat::Csv,
                InvoiceFileFormat::Pdf => dropdock_core::wallet::InvoiceFormat::Pdf,
            };
            let invoice = dd.export_invoice(start, end, format, &out)?;
            println!(
                "Invoices {from} to {to}: {} charged sub-orders, products {}, shipping {}, total {}; written to {}",
                invoice.lines.len(),
                money(invoice.products_minor, "USD"),
                money(invoice.shipping_minor, "USD"),
                money(invoice.total_minor, "USD"),
                out.display()
            );
            Ok(())
        }
    }
}
