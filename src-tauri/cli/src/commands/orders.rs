//! `orders …`, `queue …`, `ship`, `track`, `counts` and `dashboard`: the Order page's work.

use super::prelude::*;

/// The Order page's filters, all optional, all combined.
#[derive(clap::Args, Default)]
pub(crate) struct OrderFilter {
    /// awaiting_payment, to_order, processing, shipped, fulfilled or failed.
    #[arg(long)]
    status: Option<String>,
    /// A connected store's name.
    #[arg(long)]
    store: Option<String>,
    /// Destination country, ISO 3166-1 alpha-2 (e.g. US).
    #[arg(long)]
    country: Option<String>,
    /// Orders with items from this supplier (its name).
    #[arg(long)]
    supplier: Option<String>,
    /// Held for this reason: merchant, payment_pending, no_address, unmapped_sku,
    /// nothing_to_ship or no_shipping_line.
    #[arg(long)]
    hold: Option<String>,
    /// Late shipments: paid, no tracking number this many days after the order was placed.
    #[arg(long, value_name = "DAYS")]
    late: Option<u32>,
    /// Placed on or after this day (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DAY")]
    from: Option<chrono::NaiveDate>,
    /// Placed on or before this day (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DAY")]
    to: Option<chrono::NaiveDate>,
    /// Full-text search: order number, customer, e-mail, SKU, product title, tracking number.
    #[arg(long)]
    search: Option<String>,
    /// Orders with a shipment that stopped moving: `attention` (no news for the set number of
    /// days, 7 unless `tracking set --attention-days`), or `expired` (none for 30).
    #[arg(long, value_name = "FLAG")]
    tracking: Option<String>,
}

impl OrderFilter {
    /// The core query; names are resolved against the database.
    fn query(&self, dd: &Dropdock) -> Result<OrderQuery> {
        let status = match &self.status {
            Some(s) => Some(OrderStatus::parse(s).ok_or_else(|| {
                anyhow!("unknown status '{s}' (awaiting_payment, to_order, processing, shipped, fulfilled, failed)")
            })?),
            None => None,
        };
        let hold_kind = match &self.hold {
            Some(h) => Some(HoldKind::parse(h).ok_or_else(|| {
                let known: Vec<&str> = HoldKind::ALL.iter().map(|k| k.as_str()).collect();
                anyhow!("unknown hold reason '{h}' ({})", known.join(", "))
            })?),
            None => None,
        };
        let tracking = match &self.tracking {
            Some(t) => Some(
                dropdock_core::tracking::exceptions::TrackingFlag::parse(t)
                    .ok_or_else(|| anyhow!("unknown tracking flag '{t}' (attention, expired)"))?,
            ),
            None => None,
        };
        let midnight = |d: chrono::NaiveDate| d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc();
        Ok(OrderQuery {
            status,
            store_id: self.store.as_deref().map(|n| dd.store_by_name(n)).transpose()?.map(|s| s.id),
            country_code: self.country.clone(),
            supplier_id: self.supplier.as_deref().map(|n| dd.supplier_by_name(n)).transpose()?.map(|s| s.id),
            hold_kind,
            late_since: self.late.map(|days| chrono::Utc::now() - chrono::Duration::days(days as i64)),
            created_from: self.from.map(midnight),
            created_to: self.to.map(|d| midnight(d + chrono::Duration::days(1))),
            search: self.search.clone(),
            tracking,
            ..OrderQuery::default()
        })
    }
}

#[derive(Subcommand)]
pub(crate) enum OrdersCommand {
    /// List orders, newest first.
    List {
        #[command(flatten)]
        filter: OrderFilter,
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// One JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Ship orders: send each to its suppliers now, or queue it while they cannot be reached.
    Ship {
        /// Order numbers, e.g. "#1001" 1002.
        #[arg(required = true)]
        orders: Vec<String>,
    },
    /// Hold: keep orders from being shipped (by hand or automatically) until released.
    Hold {
        #[arg(required = true)]
        orders: Vec<String>,
    },
    /// Release held orders.
    Release {
        #[arg(required = true)]
        orders: Vec<String>,
    },
    /// Cancel fulfilment: take orders out of the queue, or ask their suppliers to cancel the
    /// sub-orders they hold (each answer is printed). The orders are then held.
    Cancel {
        #[arg(required = true)]
        orders: Vec<String>,
    },
    /// The order's shipping address: the store's, the correction (what the suppliers get) and
    /// what the address check finds. With a field option, corrects it locally (never pushed to
    /// the store) and re-plans the order; blank values clear a field.
    Address {
        /// Order number, e.g. "#1001".
        order: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        address1: Option<String>,
        #[arg(long)]
        address2: Option<String>,
        #[arg(long)]
        city: Option<String>,
        /// State or province: its code or name, e.g. TX or Texas.
        #[arg(long)]
        province: Option<String>,
        /// ZIP or postal code.
        #[arg(long)]
        zip: Option<String>,
        /// ISO 3166-1 alpha-2, e.g. US.
        #[arg(long)]
        country: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        /// Remove the correction: the store's address is used again.
        #[arg(long, conflicts_with_all = ["name", "address1", "address2", "city", "province", "zip", "country", "phone"])]
        use_store_address: bool,
    },
    /// Export CSV: the named orders, or every order the filters match.
    Export {
        /// Order numbers; none means every order the filters match.
        orders: Vec<String>,
        #[command(flatten)]
        filter: OrderFilter,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub(crate) enum QueueCommand {
    /// Actions waiting for the network.
    List,
    /// Check the network and run what is queued.
    Run,
}

/// `orders …`
pub(crate) async fn run(ctx: &Ctx, command: OrdersCommand) -> Result<()> {
    match command {
        OrdersCommand::List { filter, limit, json } => {
            let dd = ctx.open()?;
            let mut query = OrderQuery { limit: Some(limit.clamp(1, 500)), ..filter.query(&dd)? };
            let mut orders = Vec::new();
            while orders.len() < limit as usize {
                let page = dd.query_orders(&query)?;
                orders.extend(page.rows);
                match page.next {
                    Some(next) => query.after = Some(next),
                    None => break,
                }
            }
            orders.truncate(limit as usize);
            if json {
                println!("{}", serde_json::to_string_pretty(&orders)?);
            } else {
                for o in orders {
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}{}",
                        o.name,
                        o.status.label(),
                        o.customer_name.unwrap_or_default(),
                        o.country_code.unwrap_or_default(),
                        money(o.total_minor, &o.currency),
                        o.created_at.format("%Y-%m-%d %H:%M UTC"),
                        o.hold_reason.map(|r| format!("\theld: {r}")).unwrap_or_default()
                    );
                }
            }
            Ok(())
        }
        OrdersCommand::Ship { orders } => {
            let dd = ctx.open()?;
            let result = dd.ship_orders(&order_ids(&dd, &orders)?).await?;
            println!("{}", result.summary());
            for s in &result.skipped {
                println!("skipped {}: {}", s.order_name, s.reason);
            }
            for name in &result.queued {
                println!("queued {name}: its supplier cannot be reached; `dropdock-cli queue run` sends it");
            }
            Ok(())
        }
        OrdersCommand::Cancel { orders } => {
            let dd = ctx.open()?;
            let result = dd.cancel_fulfillment(&order_ids(&dd, &orders)?).await?;
            println!("{}", result.summary());
            for o in &result.outcomes {
                let verdict = if o.cancelled { "cancelled" } else { "not cancelled" };
                match &o.supplier_name {
                    Some(supplier) => println!("{} at {supplier}: {verdict}: {}", o.order_name, o.answer),
                    None => println!("{}: {verdict}: {}", o.order_name, o.answer),
                }
            }
            Ok(())
        }
        OrdersCommand::Address {
            order,
            name,
            address1,
            address2,
            city,
            province,
            zip,
            country,
            phone,
            use_store_address,
        } => {
            let dd = ctx.open()?;
            let id = order_ids(&dd, std::slice::from_ref(&order))?[0];
            let detail = dd.order_detail(id)?;
            let edits = [&name, &address1, &address2, &city, &province, &zip, &country, &phone];
            if use_store_address {
                let removed = dd.use_store_address(id)?;
                println!(
                    "{}: {}",
                    detail.order.name,
                    if removed { "the store's address is used again" } else { "no correction to remove" }
                );
            } else if edits.iter().any(|e| e.is_some()) {
                let Some(mut address) = detail.address_override.clone().or(detail.address.clone()) else {
                    bail!("order {} has no shipping address to correct", detail.order.name);
                };
                let set = |field: &mut Option<String>, value: Option<String>| {
                    if let Some(v) = value {
                        *field = Some(v);
                    }
                };
                set(&mut address.name, name);
                set(&mut address.address2, address2);
                set(&mut address.city, city);
                set(&mut address.province, province);
                set(&mut address.zip, zip);
                set(&mut address.phone, phone);
                if let Some(a) = address1 {
                    address.address1 = a;
                }
                if let Some(c) = country {
                    address.country_code = c;
                }
                dd.correct_address(id, address)?;
                println!("{}: address corrected (the store's is unchanged)", detail.order.name);
            }
            print_addresses(&dd.order_detail(id)?);
            Ok(())
        }
        OrdersCommand::Hold { orders } => {
            let dd = ctx.open()?;
            print_bulk(&dd.hold_orders(&order_ids(&dd, &orders)?)?, "Held");
            Ok(())
        }
        OrdersCommand::Release { orders } => {
            let dd = ctx.open()?;
            print_bulk(&dd.release_orders(&order_ids(&dd, &orders)?)?, "Released");
            Ok(())
        }
        OrdersCommand::Export { orders, filter, output } => {
            let dd = ctx.open()?;
            let selection = if orders.is_empty() {
                OrderSelection::Query(filter.query(&dd)?)
            } else {
                OrderSelection::Ids(order_ids(&dd, &orders)?)
            };
            match output {
                Some(path) => {
                    let written = dd.export_orders_csv_to(&selection, &path)?;
                    println!("Exported {written} orders to {}", path.display());
                }
                None => {
                    dd.export_orders_csv(&selection, std::io::stdout().lock())?;
                }
            }
            Ok(())
        }
    }
}

/// `queue …`
pub(crate) async fn queue(ctx: &Ctx, command: QueueCommand) -> Result<()> {
    match command {
        QueueCommand::List => {
            let dd = ctx.open()?;
            println!("{} actions queued", dd.network_status()?.queued);
            Ok(())
        }
        QueueCommand::Run => {
            let dd = ctx.open()?;
            dd.probe_network().await?;
            if !dd.network_status()?.online {
                bail!("the stores and suppliers cannot be reached; the queue is kept");
            }
            let result = dd.run_queue().await?;
            println!("{}", result.summary());
            for s in &result.skipped {
                println!("skipped {}: {}", s.order_name, s.reason);
            }
            Ok(())
        }
    }
}

pub(crate) async fn ship(ctx: &Ctx, order: String) -> Result<()> {
    let dd = ctx.open()?;
    let id = dd.order_id_by_name(&order)?;
    let result = dd.ship(id).await?;
    let mut failed = false;
    // What went through a backup, and why, beneath the sub-order lines.
    let backups: Vec<(String, String)> = dd
        .order_detail(id)?
        .sub_orders
        .into_iter()
        .flat_map(|sub| {
            sub.items.into_iter().filter(|i| i.priority > 1).map(move |i| {
                let why = i.backup_reason.unwrap_or_default();
                (sub.supplier_name.clone(), format!("  {}: backup {} {} ({why})", i.line, i.priority, i.variant_id))
            })
        })
        .collect();
    for s in &result.sub_orders {
        match &s.supplier_order_id {
            Some(id) => println!(
                "Ship order {} -> {}: {} via {} ({}, paid {})",
                result.order_name,
                s.supplier_name,
                id,
                s.shipping_line,
                s.state,
                money(s.cost_minor.unwrap_or(0), "USD")
            ),
            None => {
                failed = true;
                println!(
                    "Ship order {} -> {}: {} ({})",
                    result.order_name,
                    s.supplier_name,
                    s.state,
                    s.error.clone().unwrap_or_default()
                );
            }
        }
        for (_, line) in backups.iter().filter(|(supplier, _)| *supplier == s.supplier_name) {
            println!("{line}");
        }
    }
    if failed {
        bail!("not every sub-order reached its supplier; run ship again to retry (it never sends one twice)");
    }
    Ok(())
}

pub(crate) async fn track(ctx: &Ctx) -> Result<()> {
    let dd = ctx.open()?;
    let report = dd.track().await?;
    for s in &report.new_shipments {
        println!("{} shipped: {} {} {}", s.order_name, s.company, s.tracking_number, s.url);
    }
    for a in &report.attention {
        println!("{} needs attention: {} no news for {} days", a.order_name, a.tracking_number, a.quiet_days);
    }
    for d in &report.disputes {
        println!("{} request D{} {}: {}", d.order_name, d.dispute_id, d.state, d.answer);
    }
    println!(
        "Tracking: checked {} sub-orders, {} new shipments, {} pushed to the store",
        report.checked,
        report.new_shipments.len(),
        report.pushed
    );
    for e in &report.errors {
        eprintln!("warning: {e}");
    }
    Ok(())
}

#[derive(Subcommand)]
pub(crate) enum TrackingCommand {
    /// Every shipment that stopped moving, quietest first, one a line:
    /// `ORDER FLAG QUIET_DAYS SUPPLIER TRACKING_NUMBER LAST_STATUS` (tab-separated; FLAG
    /// `attention` or `expired`, LAST_STATUS `-` when the carrier has said nothing), then a
    /// summary line.
    List,
    /// After how many days without news (1 to 29) a shipment needs attention (default 7).
    Set {
        #[arg(long, value_name = "DAYS")]
        attention_days: u32,
    },
}

/// `tracking list|set`.
pub(crate) async fn tracking(ctx: &Ctx, command: TrackingCommand) -> Result<()> {
    let dd = ctx.open()?;
    match command {
        TrackingCommand::List => {
            let found = dd.tracking_exceptions()?;
            for e in &found {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    e.order_name,
                    e.flag.as_str(),
                    e.quiet_days,
                    e.supplier_name,
                    e.tracking_number,
                    e.last_status.as_deref().unwrap_or("-")
                );
            }
            let attention = found.iter().filter(|e| e.flag.as_str() == "attention").count();
            println!(
                "Tracking exceptions: {attention} need attention, {} expired (attention after {} days without news)",
                found.len() - attention,
                dd.tracking_attention_days()?
            );
        }
        TrackingCommand::Set { attention_days } => {
            dd.set_tracking_attention_days(attention_days)?;
            println!("A shipment needs attention after {attention_days} days without news");
        }
    }
    Ok(())
}

pub(crate) async fn counts(ctx: &Ctx) -> Result<()> {
    let dd = ctx.open()?;
    let offset = chrono::Local::now().offset().local_minus_utc() / 60;
    let c = dd.tray_counts(offset)?;
    println!("To order {}, Processing {}, Shipped today {}", c.to_order, c.processing, c.shipped_today);
    Ok(())
}

pub(crate) async fn dashboard(ctx: &Ctx, days: u32, late_days: u32, json: bool) -> Result<()> {
    let dd = ctx.open()?;
    let board = dd.dashboard(DashboardRequest { days, late_after_days: late_days, utc_offset_minutes: 0 })?;
    if json {
        println!("{}", serde_json::to_string_pretty(&board)?);
        return Ok(());
    }
    for c in &board.counts {
        println!("{}\t{}", c.label, c.count);
    }
    println!("Held\t{}", board.held);
    println!("Late (no tracking after {} days)\t{}", board.late_after_days, board.late);
    let orders: i64 = board.orders_per_day.iter().map(|d| d.orders).sum();
    let spend: i64 = board.spend_per_day.iter().map(|d| d.amount_minor).sum();
    println!("Last {days} days: {orders} orders, supplier spend {}", money(spend, &board.spend_currency));
    Ok(())
}

pub(crate) fn order_ids(dd: &Dropdock, names: &[String]) -> Result<Vec<i64>> {
    names.iter().map(|n| Ok(dd.order_id_by_name(n)?)).collect()
}

/// One line per address (`store: …`, `corrected: …`), then one per finding
/// (`problem: zip format: …` holds the order, `warning: …` does not).
fn print_addresses(detail: &dropdock_core::orders::views::OrderDetail) {
    let line = |a: &dropdock_core::model::Address| {
        [
            a.name.as_deref(),
            Some(a.address1.as_str()),
            a.address2.as_deref(),
            a.city.as_deref(),
            a.province.as_deref(),
            a.zip.as_deref(),
            Some(a.country_code.as_str()),
            a.phone.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
    };
    match &detail.address {
        Some(a) => println!("store: {}", line(a)),
        None => println!("store: no shipping address"),
    }
    if let Some(a) = &detail.address_override {
        println!("corrected: {}", line(a));
    }
    let country = detail.address_override.as_ref().or(detail.address.as_ref()).map(|a| a.country_code.clone());
    for p in &detail.address_problems {
        println!(
            "{}: {} {}: {}",
            if p.blocking { "problem" } else { "warning" },
            p.field.as_str(),
            p.rule.as_str(),
            p.sentence(country.as_deref().unwrap_or_default())
        );
    }
    if detail.address_problems.iter().all(|p| !p.blocking) {
        println!("address: ok");
    }
}
