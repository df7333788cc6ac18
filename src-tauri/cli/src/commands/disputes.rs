//! `disputes open|list|show|cancel`: refund and replacement requests to suppliers, per
//! sub-order (the order drawer's "Refund or replacement" section, the Order page's Disputes
//! filter). Requests are named `D<id>`; their answers are followed by `track`.

use super::prelude::*;
use dropdock_core::orders::disputes::{DisputeInput, DisputeItem, DisputeView};

#[derive(Subcommand)]
pub(crate) enum DisputesCommand {
    /// Ask the supplier for a refund (to My Wallet) or a resend about a sent order. Prints
    /// `Request D<id> for ORDER at SUPPLIER: STATE`, then what the supplier allows.
    Open {
        /// The store order, e.g. "#1001".
        #[arg(long)]
        order: String,
        /// The supplier of the sub-order (needed when the order went to several).
        #[arg(long)]
        supplier: Option<String>,
        #[arg(long, value_enum)]
        reason: Reason,
        /// The outcome wanted.
        #[arg(long, value_enum)]
        want: Wanted,
        /// A supplier variant and units, `VID` (every unit shipped) or `VID:QTY`; repeat for
        /// several. None: everything the sub-order shipped.
        #[arg(long = "item", value_name = "VID[:QTY]")]
        items: Vec<String>,
        /// A photo's web address (damage needs one); repeat for several.
        #[arg(long = "photo", value_name = "URL")]
        photos: Vec<String>,
        /// What to tell the supplier (at most 500 characters; default: a sentence for the reason).
        #[arg(long, default_value = "")]
        message: String,
    },
    /// The requests, newest first, one a line: `D<id> ORDER SUPPLIER REASON WANTED STATE OUTCOME`
    /// (tab-separated; OUTCOME the refund, the replacement order, or `-`), then a summary line.
    List {
        #[arg(long, value_enum, default_value_t = Filter::All)]
        state: Filter,
        /// Only this store order's.
        #[arg(long)]
        order: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// One request in full.
    Show {
        /// `D12` or `12`.
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Withdraw an open request (at the supplier where it is open there).
    Cancel { id: String },
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Reason {
    NotReceived,
    Damaged,
    WrongItem,
    MissingItem,
}

impl Reason {
    fn as_str(self) -> &'static str {
        match self {
            Reason::NotReceived => "not_received",
            Reason::Damaged => "damaged",
            Reason::WrongItem => "wrong_item",
            Reason::MissingItem => "missing_item",
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Wanted {
    Refund,
    Resend,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Filter {
    Open,
    Resolved,
    All,
}

fn parse_id(id: &str) -> Result<i64> {
    id.trim()
        .trim_start_matches(['D', 'd'])
        .parse()
        .map_err(|_| anyhow!("a request is named D<number> (e.g. D12), not '{id}'"))
}

/// `VID` or `VID:QTY`; `VID` alone names every unit of it the sub-order shipped (`shipped`:
/// `(variant id, units)`), else 1 (the core then refuses a variant not shipped).
fn parse_item(text: &str, shipped: &[(String, i64)]) -> Result<DisputeItem> {
    let (vid, qty) = match text.rsplit_once(':') {
        Some((vid, q)) => (vid.trim(), Some(q.trim().parse::<i64>().map_err(|_| anyhow!("'{q}' is not a quantity"))?)),
        None => (text.trim(), None),
    };
    let quantity = match qty {
        Some(q) => q,
        None => shipped.iter().find(|(v, _)| v == vid).map(|(_, q)| *q).unwrap_or(1),
    };
    Ok(DisputeItem { variant_id: vid.to_owned(), quantity })
}

fn outcome(d: &DisputeView) -> String {
    match (d.refund_minor, d.replacement_order_number.as_deref()) {
        (Some(r), _) if d.state == "refunded" => format!("refunded {}", money(r, "USD")),
        (_, Some(order)) => format!("replacement {order}"),
        _ => "-".into(),
    }
}

fn print_full(d: &DisputeView) {
    println!("Request D{} for {} at {}: {}", d.id, d.order_name, d.supplier_name, d.state);
    println!("  reason {} ({}), wanted {}", d.reason, d.platform_reason.as_deref().unwrap_or("-"), d.wanted);
    for i in &d.items {
        println!("  item {} x{}", i.variant_id, i.quantity);
    }
    for p in &d.photos {
        println!("  photo {p}");
    }
    println!("  message {}", d.message);
    if let Some(id) = &d.platform_dispute_id {
        println!("  at the supplier: {id} ({})", d.platform_status.as_deref().unwrap_or("-"));
    }
    if let Some(max) = d.max_amount_minor {
        println!("  the supplier refunds {} at most", money(max, "USD"));
    }
    if outcome(d) != "-" {
        println!("  outcome {}", outcome(d));
    }
    if let Some(t) = &d.replacement_tracking {
        println!("  replacement tracking {t}");
    }
    if let Some(f) = &d.file_at {
        println!("  file it by hand: {f}");
    }
    if let Some(e) = &d.error {
        println!("  note {e}");
    }
}

pub(crate) async fn run(ctx: &Ctx, command: DisputesCommand) -> Result<()> {
    let dd = ctx.open()?;
    match command {
        DisputesCommand::Open { order, supplier, reason, want, items, photos, message } => {
            let order_id = dd.order_id_by_name(&order)?;
            let supplier = supplier.as_deref().map(|n| dd.supplier_by_name(n)).transpose()?;
            let detail = dd.order_detail(order_id)?;
            let shipped: Vec<(String, i64)> = detail
                .sub_orders
                .iter()
                .filter(|s| !s.replacement && supplier.as_ref().is_none_or(|x| x.name == s.supplier_name))
                .flat_map(|s| s.items.iter().map(|i| (i.variant_id.clone(), i.quantity)))
                .collect();
            let items = items.iter().map(|t| parse_item(t, &shipped)).collect::<Result<Vec<_>>>()?;
            let input = DisputeInput {
                order_id,
                supplier_id: supplier.map(|s| s.id),
                reason: reason.as_str().into(),
                wanted: match want {
                    Wanted::Refund => "refund".into(),
                    Wanted::Resend => "resend".into(),
                },
                items,
                photos,
                message,
            };
            let d = dd.open_dispute(&input).await?;
            print_full(&d);
        }
        DisputesCommand::List { state, order, json } => {
            let order_id = order.as_deref().map(|n| dd.order_id_by_name(n)).transpose()?;
            let filter = match state {
                Filter::Open => "open",
                Filter::Resolved => "resolved",
                Filter::All => "all",
            };
            let found = dd.disputes(filter, order_id)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&found)?);
                return Ok(());
            }
            for d in &found {
                println!(
                    "D{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    d.id,
                    d.order_name,
                    d.supplier_name,
                    d.reason,
                    d.wanted,
                    d.state,
                    outcome(d)
                );
            }
            let open = found.iter().filter(|d| matches!(d.state.as_str(), "submitting" | "open" | "recorded")).count();
            println!("Disputes: {open} open, {} resolved", found.len() - open);
        }
        DisputesCommand::Show { id, json } => {
            let d = dd.dispute(parse_id(&id)?)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&d)?);
            } else {
                print_full(&d);
            }
        }
        DisputesCommand::Cancel { id } => {
            let d = dd.cancel_dispute(parse_id(&id)?).await?;
            println!("Request D{} for {} at {}: {}", d.id, d.order_name, d.supplier_name, d.state);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_items_are_read_as_merchants_type_them() {
        assert_eq!(parse_id("D12").unwrap(), 12);
        assert_eq!(parse_id(" 7 ").unwrap(), 7);
        assert!(parse_id("#1001").is_err());
        let shipped = vec![("VID-A".to_owned(), 3)];
        assert_eq!(parse_item("VID-A", &shipped).unwrap().quantity, 3, "every unit shipped");
        assert_eq!(parse_item("VID-A:2", &shipped).unwrap().quantity, 2);
        assert!(parse_item("VID-A:two", &shipped).is_err());
    }
}
