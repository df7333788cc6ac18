//! `dropdock-cli`: Dropdock without a window, on the same core and database as the desktop app.
//!
//! Commands and their summary lines are a public interface that merchants script: keep them
//! stable. Errors print one line `error: …` on stderr and exit non-zero; nothing stored is lost.

mod bench;
mod bench_sync;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use dropdock_core::autofulfill::{AutoSettings, AutoSettingsInput, PaymentMethod};
use dropdock_core::dashboard::DashboardRequest;
use dropdock_core::fulfillment::HoldKind;
use dropdock_core::model::OrderStatus;
use dropdock_core::money::format_minor;
use dropdock_core::order_actions::{BulkResult, OrderSelection};
use dropdock_core::search::OrderQuery;
use dropdock_core::secrets::{MemorySecrets, OsKeychain, SecretStore};
use dropdock_core::{Dropdock, APP_IDENTIFIER};
use dropdock_demo::{connect_sandbox, sandbox_endpoints};
use dropdock_sandbox::{Sandbox, SandboxConfig};

#[derive(Parser)]
#[command(
    name = "dropdock-cli",
    version,
    about = "Dropdock from the command line: sync orders, ship them, push tracking"
)]
struct Cli {
    /// Data directory (default: the desktop app's, e.g. ~/.local/share/app.dropdock.desktop).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the embedded sandbox (a Shopify store and CJ supplier accounts on loopback), print
    /// their URLs and credentials, and run until stopped (Ctrl-C).
    Sandbox {
        /// How many demo orders the store holds.
        #[arg(long, default_value_t = 200)]
        orders: usize,
    },
    /// Connected stores.
    #[command(subcommand)]
    Store(StoreCommand),
    /// Connected supplier accounts.
    #[command(subcommand)]
    Supplier(SupplierCommand),
    /// SKU → supplier variant mappings.
    #[command(subcommand)]
    Mapping(MappingCommand),
    /// Default shipping line per destination country.
    #[command(subcommand)]
    Shipping(ShippingCommand),
    /// Sync Order: pull one store's orders of the last 7, 14, 30 or 60 days.
    Sync {
        #[arg(long)]
        store: String,
        #[arg(long, value_parser = ["7", "14", "30", "60"])]
        days: String,
    },
    /// Orders from a CSV file (other stores): Shopify's order export or Dropdock's template.
    #[command(subcommand)]
    Import(ImportCommand),
    /// The tray's figures: orders to send, orders with their suppliers, shipments today (this
    /// computer's clock).
    Counts,
    /// Background sync, once: every store that is due (never synced, or its interval passed),
    /// since its watermark. Prints one summary line per store.
    SyncDue,
    /// Local orders: list, ship, hold, release, export.
    #[command(subcommand)]
    Orders(OrdersCommand),
    /// Actions queued while the network was down.
    #[command(subcommand)]
    Queue(QueueCommand),
    /// Auto Fulfillment: send paid orders to their suppliers automatically, paid from My Wallet.
    #[command(subcommand)]
    Auto(AutoCommand),
    /// The card on file (Auto Fulfillment's Credit Card tab).
    #[command(subcommand)]
    Card(CardCommand),
    /// The Dashboard: orders per status, held and late orders, orders and supplier spend per day.
    Dashboard {
        /// Days of history.
        #[arg(long, default_value_t = 30)]
        days: u32,
        /// A paid order without tracking this many days after it was placed is late.
        #[arg(long, default_value_t = 7)]
        late_days: u32,
        #[arg(long)]
        json: bool,
    },
    /// Ship order: send an order (e.g. "#1001") to its suppliers, split by supplier.
    Ship { order: String },
    /// One tracking poll: new shipments recorded and pushed to the stores.
    Track,
    /// My Wallet: each supplier's balance, refreshed from the supplier; with a subcommand, the
    /// ledger, reconciliation, recharges, adjustments and the forecast.
    Wallet {
        #[command(subcommand)]
        action: Option<WalletCommand>,
    },
    /// Export invoices ("How to Export Invoices?"): every charged sub-order of a period.
    #[command(subcommand)]
    Invoices(InvoicesCommand),
    /// The carrier mapping (supplier carrier → Shopify, Etsy and WooCommerce names, tracking link).
    #[command(subcommand)]
    Carriers(CarriersCommand),
    /// Which desktop notifications the app shows; with no flag, prints them.
    Notifications {
        /// on or off: a notification per shipment (grouped when many arrive together).
        #[arg(long)]
        shipment: Option<OnOff>,
        /// on or off: Auto Fulfillment paused itself.
        #[arg(long)]
        auto_paused: Option<OnOff>,
        /// on or off: a store's sync failed three times in a row.
        #[arg(long)]
        sync_failed: Option<OnOff>,
    },
    /// Measure the core on a large throwaway database (ingest, first page, search, filters).
    Bench {
        #[arg(long, default_value_t = 100_000)]
        orders: usize,
        #[arg(long, default_value_t = 200)]
        runs: usize,
        /// Keep the database in this (new or empty) directory, e.g. to open it in the app with
        /// DROPDOCK_DATA_DIR; default: a temporary directory removed afterwards.
        #[arg(long, value_name = "DIR")]
        keep: Option<PathBuf>,
    },
    /// Order sync figures: the Shopify mock as a Standard plan against the floor, and a sync
    /// through 10 % faults against a clean one (run it with --release).
    BenchSync {
        #[arg(long, default_value_t = 10_000)]
        orders: usize,
        /// The shop's query-cost bucket, points (Standard: 1000).
        #[arg(long, default_value_t = 1000.0)]
        bucket: f64,
        /// Points restored per second (Standard: 100).
        #[arg(long, default_value_t = 100.0)]
        restore_rate: f64,
    },
    /// The whole job on a fresh embedded sandbox, step by step.
    Demo {
        /// How many paid orders to ship.
        #[arg(long, default_value_t = 5)]
        ship: usize,
    },
}

#[derive(Subcommand)]
enum StoreCommand {
    /// Connect a store; its credentials go to the OS keychain. Shopify takes --client-id and
    /// --client-secret (a Dev Dashboard app installed in the store; tokens are renewed by
    /// themselves) or --token (an Admin API access token); WooCommerce takes --consumer-key and
    /// --consumer-secret (WooCommerce → Settings → Advanced → REST API).
    Add {
        platform: StorePlatform,
        #[arg(long)]
        name: String,
        /// The shop's origin, e.g. https://my-shop.myshopify.com or https://shop.example.com
        #[arg(long)]
        url: String,
        /// Shopify: Admin API access token.
        #[arg(long, conflicts_with_all = ["client_id", "client_secret"])]
        token: Option<String>,
        /// Shopify: the Dev Dashboard app's client id.
        #[arg(long, requires = "client_secret")]
        client_id: Option<String>,
        /// Shopify: the Dev Dashboard app's client secret.
        #[arg(long, requires = "client_id")]
        client_secret: Option<String>,
        /// Etsy: the app's keystring (etsy.com/developers).
        #[arg(long, required_if_eq("platform", "etsy"))]
        keystring: Option<String>,
        /// Etsy: the app's shared secret.
        #[arg(long, required_if_eq("platform", "etsy"))]
        shared_secret: Option<String>,
        /// Etsy: the loopback port Etsy redirects to (register http://localhost:PORT/etsy/callback).
        #[arg(long, default_value_t = dropdock_core::etsy_connect::ETSY_REDIRECT_PORT)]
        port: u16,
        /// WooCommerce: the REST API consumer key (ck_…).
        #[arg(long, required_if_eq("platform", "woocommerce"))]
        consumer_key: Option<String>,
        /// WooCommerce: the REST API consumer secret (cs_…). `-`, or left out, reads it from
        /// the `DROPDOCK_WOO_CONSUMER_SECRET` environment variable or else from standard input,
        /// so it stays out of the shell history and `ps`.
        #[arg(long)]
        consumer_secret: Option<String>,
    },
    /// Connected stores: name, platform, URL, last sync.
    List,
    /// Test connection: one read with the stored credentials.
    Test {
        #[arg(long)]
        name: String,
    },
    /// Pause background sync (Sync Order by hand still works).
    Pause {
        #[arg(long)]
        name: String,
    },
    /// Resume background sync.
    Resume {
        #[arg(long)]
        name: String,
    },
    /// How often the store syncs in the background.
    Interval {
        #[arg(long)]
        name: String,
        #[arg(long)]
        minutes: u32,
    },
    /// Rename a store.
    Rename {
        #[arg(long)]
        name: String,
        #[arg(long)]
        to: String,
    },
    /// New credentials for a connected store, checked before they replace the old ones:
    /// WooCommerce --consumer-key and --consumer-secret, Shopify --token.
    Keys {
        #[arg(long)]
        name: String,
        #[arg(long, conflicts_with_all = ["consumer_key", "consumer_secret"])]
        token: Option<String>,
        #[arg(long, requires = "consumer_secret")]
        consumer_key: Option<String>,
        #[arg(long, requires = "consumer_key")]
        consumer_secret: Option<String>,
    },
    /// Disconnect: the credentials leave the keychain, the orders stay.
    Remove {
        #[arg(long)]
        name: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum StorePlatform {
    Shopify,
    Woocommerce,
    Etsy,
}

#[derive(Subcommand)]
enum SupplierCommand {
    /// Connect a supplier account; the API key goes to the OS keychain.
    Add {
        kind: SupplierKind,
        #[arg(long)]
        name: String,
        /// API root, e.g. https://developers.cjdropshipping.com/api2.0/v1
        #[arg(long)]
        url: String,
        #[arg(long)]
        api_key: String,
        /// The account's API rate limit (CJ's free level: 1 request per second).
        #[arg(long, default_value_t = 1)]
        requests_per_second: u32,
    },
    /// The variants each connected supplier sells under a SKU (to map it with `mapping add`).
    Variants {
        #[arg(long)]
        sku: String,
    },
    /// Change a connected account's API rate limit, e.g. after upgrading the CJ account level.
    RateLimit {
        #[arg(long)]
        name: String,
        #[arg(long)]
        requests_per_second: u32,
    },
    List,
}

#[derive(Clone, Copy, ValueEnum)]
enum SupplierKind {
    Cj,
}

#[derive(Subcommand)]
enum MappingCommand {
    /// Map a store SKU to a supplier variant.
    Add {
        #[arg(long)]
        sku: String,
        #[arg(long)]
        supplier: String,
        #[arg(long)]
        vid: String,
        /// Cost at the supplier in US dollars, e.g. 3.20
        #[arg(long)]
        cost: String,
    },
}

#[derive(Subcommand)]
enum ShippingCommand {
    /// Set the default shipping line for a country, e.g. --country US --line "YunExpress Standard";
    /// repeat --line for fallbacks, in order (the first line the supplier offers is used).
    Set {
        #[arg(long)]
        country: String,
        #[arg(long, required = true)]
        line: Vec<String>,
    },
    /// Every country's default shipping lines.
    List,
}

#[derive(Subcommand)]
enum AutoCommand {
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
    },
    /// Turn Auto Fulfillment on (the wallet must hold the threshold at each supplier).
    Enable,
    /// Turn Auto Fulfillment off.
    Disable,
    /// One run now: send the paid orders that can go.
    Run,
}

/// The Order page's filters, all optional, all combined.
#[derive(clap::Args, Default)]
struct OrderFilter {
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
            ..OrderQuery::default()
        })
    }
}

#[derive(Subcommand)]
enum OrdersCommand {
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
enum ImportCommand {
    /// Import a CSV file into a CSV store (created on first import). Rows that cannot be read
    /// are printed with their line; their orders are left out. The same file twice changes nothing.
    Csv {
        /// The store the orders come from, e.g. "Etsy (CSV)".
        #[arg(long)]
        store: String,
        file: PathBuf,
        /// Only show what the import would do.
        #[arg(long)]
        preview: bool,
    },
    /// Print Dropdock's CSV template: the header and an example row.
    Template,
}

#[derive(Subcommand)]
enum CardCommand {
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

#[derive(Clone, Copy, clap::ValueEnum)]
enum OnOff {
    On,
    Off,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum EntryKind {
    Recharge,
    Adjustment,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum InvoiceFileFormat {
    Csv,
    Pdf,
}

#[derive(Subcommand)]
enum WalletCommand {
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

#[derive(Subcommand)]
enum InvoicesCommand {
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

#[derive(Subcommand)]
enum CarriersCommand {
    /// The mapping in force: the merchant's rows (custom), then the built-in ones.
    List,
    /// Add or replace a row.
    Set {
        /// A word or phrase of the supplier's line name, e.g. "cjpacket".
        #[arg(long)]
        supplier_carrier: String,
        /// Shopify's exact tracking company name.
        #[arg(long)]
        shopify: String,
        /// Etsy's carrier name, or other.
        #[arg(long, default_value = "other")]
        etsy: String,
        /// The Shipment Tracking provider; empty for a custom provider.
        #[arg(long, default_value = "")]
        woo: String,
        /// The tracking link, https, with {n} for the number.
        #[arg(long)]
        url: String,
    },
    /// Remove the merchant's row (the built-in row applies again).
    Remove { supplier_carrier: String },
}

#[derive(Subcommand)]
enum QueueCommand {
    /// Actions waiting for the network.
    List,
    /// Check the network and run what is queued.
    Run,
}

fn order_ids(dd: &Dropdock, names: &[String]) -> Result<Vec<i64>> {
    names.iter().map(|n| Ok(dd.order_id_by_name(n)?)).collect()
}

fn print_bulk(result: &BulkResult, verb: &str) {
    println!("{}", result.summary(verb));
    for s in &result.skipped {
        println!("skipped {}: {}", s.order_name, s.reason);
    }
}

fn data_dir(cli: &Option<PathBuf>) -> Result<PathBuf> {
    match cli {
        Some(dir) => Ok(dir.clone()),
        None => Ok(dirs::data_dir()
            .ok_or_else(|| anyhow!("no data directory on this system; pass --data-dir"))?
            .join(APP_IDENTIFIER)),
    }
}

fn open(dir: &std::path::Path) -> Result<Dropdock> {
    Ok(Dropdock::open(dir, |install_id| Arc::new(OsKeychain::new(install_id)) as Arc<dyn SecretStore>)?)
}

/// `wallet` and its subcommands.
async fn wallet(dir: &std::path::Path, action: Option<WalletCommand>) -> Result<()> {
    use dropdock_core::wallet::ManualEntryKind;
    let dd = open(dir)?;
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

fn money(minor: i64, currency: &str) -> String {
    let symbol = if currency == "USD" { "$" } else { "" };
    let suffix = if currency == "USD" { String::new() } else { format!(" {currency}") };
    format!("{symbol}{}{suffix}", format_minor(minor, currency))
}

/// The WooCommerce consumer secret: the flag's value, unless it is `-` or absent; then the
/// `DROPDOCK_WOO_CONSUMER_SECRET` environment variable, else the first line of standard input.
fn woo_consumer_secret(flag: Option<String>) -> Result<String> {
    if let Some(secret) = flag.filter(|s| s != "-") {
        return Ok(secret);
    }
    if let Some(secret) = std::env::var("DROPDOCK_WOO_CONSUMER_SECRET").ok().filter(|s| !s.trim().is_empty()) {
        return Ok(secret.trim().to_owned());
    }
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        eprint!("WooCommerce consumer secret (cs_…): ");
    }
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::stdin().lock(), &mut line)?;
    let secret = line.trim().to_owned();
    if secret.is_empty() {
        bail!("give the consumer secret: --consumer-secret, DROPDOCK_WOO_CONSUMER_SECRET, or on standard input");
    }
    Ok(secret)
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("DROPDOCK_LOG").unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        // Colour codes only for a terminal: a log file or a pipe gets plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let cli = Cli::parse();
    if let Err(e) = run(cli).await {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Sandbox { orders } => {
            let state_file = cli.data_dir.as_ref().map(|d| {
                let _ = std::fs::create_dir_all(d);
                d.join("sandbox-state.json")
            });
            let sandbox = Sandbox::start(SandboxConfig { orders, state_file, ..SandboxConfig::default() })
                .await
                .context("starting the sandbox")?;
            println!("Shopify store:  {}  (Admin API token {})", sandbox.shopify_url(), sandbox.shopify_token());
            for i in 0..sandbox.supplier_count() {
                let s = sandbox.supplier(i);
                println!("CJ supplier:    {}  \"{}\" (API key {})", s.url(), s.name(), s.api_key());
            }
            println!("Running until stopped (Ctrl-C).");
            tokio::signal::ctrl_c().await?;
            Ok(())
        }
        Command::Store(StoreCommand::Add {
            platform,
            name,
            url,
            token,
            client_id,
            client_secret,
            keystring,
            shared_secret,
            port,
            consumer_key,
            consumer_secret,
        }) => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
            let store = match platform {
                StorePlatform::Shopify => match (token, client_id, client_secret) {
                    (Some(token), _, _) => dd.connect_shopify(&name, &url, &token, false).await?,
                    (None, Some(id), Some(secret)) => dd.connect_shopify_app(&name, &url, &id, &secret).await?,
                    _ => bail!("Shopify needs --client-id and --client-secret (a Dev Dashboard app) or --token"),
                },
                StorePlatform::Woocommerce => {
                    let key = consumer_key.unwrap_or_default();
                    let secret = woo_consumer_secret(consumer_secret)?;
                    dd.connect_woocommerce(&name, &url, &key, &secret).await?
                }
                StorePlatform::Etsy => {
                    let (key, secret) = (keystring.unwrap_or_default(), shared_secret.unwrap_or_default());
                    let pending = dd.begin_etsy_connect(&name, &url, &key, &secret, port).await?;
                    println!("Open this address in your browser and allow Dropdock access to your Etsy shop:");
                    println!("{}", pending.authorize_url);
                    use std::io::Write;
                    std::io::stdout().flush()?;
                    dd.finish_etsy_connect(pending, std::time::Duration::from_secs(300)).await?
                }
            };
            println!("Connected store {} ({})", store.name, store.base_url);
            Ok(())
        }
        Command::Store(StoreCommand::Test { name }) => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
            let store = dd.store_by_name(&name)?;
            dd.test_store_connection(store.id).await?;
            println!("Connection OK: {} answered", store.name);
            Ok(())
        }
        Command::Store(StoreCommand::Pause { name }) => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
            let store = dd.set_store_paused(dd.store_by_name(&name)?.id, true)?;
            println!("Background sync paused for {}", store.name);
            Ok(())
        }
        Command::Store(StoreCommand::Resume { name }) => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
            let store = dd.set_store_paused(dd.store_by_name(&name)?.id, false)?;
            println!("Background sync resumed for {} (every {} minutes)", store.name, store.sync_interval_minutes);
            Ok(())
        }
        Command::Store(StoreCommand::Interval { name, minutes }) => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
            let store = dd.set_store_sync_interval(dd.store_by_name(&name)?.id, minutes)?;
            println!("{} syncs every {} minutes", store.name, store.sync_interval_minutes);
            Ok(())
        }
        Command::Store(StoreCommand::Rename { name, to }) => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
            let store = dd.rename_store(dd.store_by_name(&name)?.id, &to)?;
            println!("Renamed {name} to {}", store.name);
            Ok(())
        }
        Command::Store(StoreCommand::Keys { name, token, consumer_key, consumer_secret }) => {
            use dropdock_core::integrations::StoreCredentialsInput;
            let dd = open(&data_dir(&cli.data_dir)?)?;
            let credentials = match (token, consumer_key, consumer_secret) {
                (Some(token), _, _) => StoreCredentialsInput::ShopifyToken { token },
                (None, Some(consumer_key), Some(consumer_secret)) => {
                    StoreCredentialsInput::WooCommerce { consumer_key, consumer_secret }
                }
                _ => bail!("give --token (Shopify) or --consumer-key and --consumer-secret (WooCommerce)"),
            };
            let store = dd.update_store_credentials(dd.store_by_name(&name)?.id, &credentials).await?;
            println!("New credentials for {} are checked and kept", store.name);
            Ok(())
        }
        Command::Store(StoreCommand::Remove { name }) => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
            let store = dd.disconnect_store(dd.store_by_name(&name)?.id)?;
            println!("Disconnected {}: its credentials are removed, its {} orders stay", store.name, store.order_count);
            Ok(())
        }
        Command::Import(ImportCommand::Csv { store, file, preview }) => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
            // The size first: a file over the limit is refused before it is read.
            let size = std::fs::metadata(&file).map_err(|e| anyhow!("cannot read {}: {e}", file.display()))?.len();
            if size > dropdock_core::csv_import::MAX_CSV_BYTES as u64 {
                return Err(dropdock_core::csv_import::too_large().into());
            }
            let bytes = std::fs::read(&file).map_err(|e| anyhow!("cannot read {}: {e}", file.display()))?;
            let result = if preview { dd.preview_csv_import(&store, &bytes)? } else { dd.import_csv(&store, &bytes)? };
            println!("{}", result.line);
            for e in &result.errors {
                println!(
                    "line {}{}: {}",
                    e.line,
                    e.order.as_ref().map(|o| format!(" ({o})")).unwrap_or_default(),
                    e.reason
                );
            }
            Ok(())
        }
        Command::Import(ImportCommand::Template) => {
            println!("{}", dropdock_core::csv_import::TEMPLATE_HEADER.join(","));
            println!("1001,2026-11-01T10:00:00Z,paid,USD,29.98,ann@example.com,Ann Lee,Ann Lee,1 High Street,,Leeds,,LS1 4DY,GB,+44 113 496 0000,MUG-01,Ceramic Mug,2,14.99,true");
            Ok(())
        }
        Command::Counts => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
            let offset = chrono::Local::now().offset().local_minus_utc() / 60;
            let c = dd.tray_counts(offset)?;
            println!("To order {}, Processing {}, Shipped today {}", c.to_order, c.processing, c.shipped_today);
            Ok(())
        }
        Command::SyncDue => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
            let runs = dd.sync_due_stores(chrono::Utc::now()).await?;
            if runs.is_empty() {
                println!("No store is due");
            }
            let mut failed = 0;
            for run in runs {
                match run {
                    Ok(run) => {
                        let name = run.summary.store_name.clone();
                        println!("{name}: {}", run.summary.line);
                        if let Some(error) = &run.summary.error {
                            failed += 1;
                            println!("{name}: {error}");
                        }
                        if let Some(alert) = &run.alert {
                            println!("{name}: {alert}");
                        }
                    }
                    Err(e) => {
                        failed += 1;
                        println!("error: {e}");
                    }
                }
            }
            if failed > 0 {
                bail!("{failed} store(s) did not sync completely");
            }
            Ok(())
        }
        Command::Store(StoreCommand::List) => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
            for s in dd.stores()? {
                let last = s
                    .last_sync_at
                    .map(|t| format!("{} ({})", t.format("%Y-%m-%d %H:%M UTC"), s.last_sync_status.unwrap_or_default()))
                    .unwrap_or_else(|| "never synced".into());
                println!("{}\t{}\t{}\t{} orders\t{}", s.name, s.platform, s.base_url, s.order_count, last);
            }
            Ok(())
        }
        Command::Supplier(SupplierCommand::Add { kind: SupplierKind::Cj, name, url, api_key, requests_per_second }) => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
            let supplier = dd.connect_cj(&name, &url, &api_key, false).await?;
            dd.set_supplier_rate_limit(supplier.id, requests_per_second)?;
            println!("Connected supplier {} ({})", supplier.name, supplier.base_url);
            Ok(())
        }
        Command::Supplier(SupplierCommand::RateLimit { name, requests_per_second }) => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
            let supplier = dd.supplier_by_name(&name)?;
            dd.set_supplier_rate_limit(supplier.id, requests_per_second)?;
            println!("{} is called at most {requests_per_second} times per second", supplier.name);
            Ok(())
        }
        Command::Supplier(SupplierCommand::List) => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
            for s in dd.suppliers()? {
                println!("{}\t{}\t{}", s.name, s.kind, s.base_url);
            }
            Ok(())
        }
        Command::Supplier(SupplierCommand::Variants { sku }) => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
            let found = dd.find_supplier_variants(&sku).await?;
            println!("Found {} variant{} for {sku}", found.len(), if found.len() == 1 { "" } else { "s" });
            for f in &found {
                println!(
                    "{}	{}	{}	{}	{}",
                    f.supplier_name,
                    f.variant.vid,
                    f.variant.variant_sku,
                    money(f.variant.price_minor, "USD"),
                    f.variant.name
                );
            }
            Ok(())
        }
        Command::Card(command) => card(&data_dir(&cli.data_dir)?, command).await,
        Command::Mapping(MappingCommand::Add { sku, supplier, vid, cost }) => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
            let supplier = dd.supplier_by_name(&supplier)?;
            let cost_minor = dropdock_core::money::parse_minor(&cost, "USD").map_err(|e| anyhow!("--cost: {e}"))?;
            dd.map_sku(&sku, supplier.id, &vid, cost_minor)?;
            println!("Mapped {sku} to {} variant {vid} at {}", supplier.name, money(cost_minor, "USD"));
            Ok(())
        }
        Command::Shipping(ShippingCommand::Set { country, line }) => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
            dd.set_shipping_rule(&country, &line)?;
            println!("Default shipping line for {} is {}", country.to_uppercase(), line.join(", then "));
            Ok(())
        }
        Command::Shipping(ShippingCommand::List) => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
            for (country, lines) in dd.shipping_rules()? {
                println!("{country}\t{}", lines.join(", then "));
            }
            Ok(())
        }
        Command::Auto(command) => auto(&data_dir(&cli.data_dir)?, command).await,
        Command::Sync { store, days } => {
            let days: u32 = days.parse()?;
            let dd = open(&data_dir(&cli.data_dir)?)?;
            let store = dd.store_by_name(&store)?;
            let summary = dd.sync(store.id, days).await?;
            println!("{}", summary.line);
            for f in &summary.failures {
                println!("fail {}: {}", f.reference, f.reason);
            }
            if let Some(error) = summary.error {
                bail!("the sync stopped early, keeping what was stored: {error}");
            }
            Ok(())
        }
        Command::Orders(OrdersCommand::List { filter, limit, json }) => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
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
        Command::Orders(OrdersCommand::Ship { orders }) => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
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
        Command::Orders(OrdersCommand::Cancel { orders }) => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
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
        Command::Orders(OrdersCommand::Hold { orders }) => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
            print_bulk(&dd.hold_orders(&order_ids(&dd, &orders)?)?, "Held");
            Ok(())
        }
        Command::Orders(OrdersCommand::Release { orders }) => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
            print_bulk(&dd.release_orders(&order_ids(&dd, &orders)?)?, "Released");
            Ok(())
        }
        Command::Orders(OrdersCommand::Export { orders, filter, output }) => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
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
        Command::Queue(QueueCommand::List) => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
            println!("{} actions queued", dd.network_status()?.queued);
            Ok(())
        }
        Command::Queue(QueueCommand::Run) => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
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
        Command::Dashboard { days, late_days, json } => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
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
        Command::Ship { order } => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
            let id = dd.order_id_by_name(&order)?;
            let result = dd.ship(id).await?;
            let mut failed = false;
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
            }
            if failed {
                bail!("not every sub-order reached its supplier; run ship again to retry (it never sends one twice)");
            }
            Ok(())
        }
        Command::Track => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
            let report = dd.track().await?;
            for s in &report.new_shipments {
                println!("{} shipped: {} {} {}", s.order_name, s.company, s.tracking_number, s.url);
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
        Command::Wallet { action } => wallet(&data_dir(&cli.data_dir)?, action).await,
        Command::Invoices(InvoicesCommand::Export { from, to, format, out }) => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
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
        Command::Carriers(command) => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
            match command {
                CarriersCommand::List => {}
                CarriersCommand::Set { supplier_carrier, shopify, etsy, woo, url } => {
                    let row = dropdock_core::carriers::CarrierMapping {
                        supplier_carrier,
                        shopify_company: shopify,
                        etsy_carrier: etsy,
                        woo_provider: woo,
                        url_template: url,
                        custom: true,
                    };
                    dd.db.write(|tx| dropdock_core::carriers::save_mapping(tx, &row))?;
                }
                CarriersCommand::Remove { supplier_carrier } => {
                    if !dd.db.write(|tx| dropdock_core::carriers::remove_mapping(tx, &supplier_carrier))? {
                        bail!("no row of yours for {supplier_carrier}");
                    }
                }
            }
            for m in dd.db.read(dropdock_core::carriers::mappings)? {
                println!(
                    "{}\tShopify {}\tEtsy {}\tWooCommerce {}\t{}\t{}",
                    m.supplier_carrier,
                    m.shopify_company,
                    m.etsy_carrier,
                    if m.woo_provider.is_empty() { "(custom)" } else { &m.woo_provider },
                    m.url_template,
                    if m.custom { "custom" } else { "built-in" }
                );
            }
            Ok(())
        }
        Command::Notifications { shipment, auto_paused, sync_failed } => {
            let dd = open(&data_dir(&cli.data_dir)?)?;
            let mut settings = dropdock_core::notifications::settings(&dd.db)?;
            let on = |v: OnOff| matches!(v, OnOff::On);
            if let Some(v) = shipment {
                settings.shipment = on(v);
            }
            if let Some(v) = auto_paused {
                settings.auto_paused = on(v);
            }
            if let Some(v) = sync_failed {
                settings.sync_failed = on(v);
            }
            dropdock_core::notifications::save_settings(&dd.db, settings)?;
            let word = |b: bool| if b { "on" } else { "off" };
            println!(
                "Notifications: shipments {}, Auto Fulfillment paused {}, store sync failing {}",
                word(settings.shipment),
                word(settings.auto_paused),
                word(settings.sync_failed)
            );
            Ok(())
        }
        Command::Demo { ship } => demo(cli.data_dir, ship).await,
        Command::Bench { orders, runs, keep } => bench::run(orders, runs, keep),
        Command::BenchSync { orders, bucket, restore_rate } => bench_sync::run(orders, bucket, restore_rate).await,
    }
}

fn print_auto(settings: &AutoSettings) {
    println!(
        "Auto Fulfillment {}{}; My Wallet, boxes {}, threshold {}, approval delay {}, most suitable line {}, order cost limit {}",
        if settings.enabled { "on" } else { "off" },
        settings.paused_reason.as_ref().map(|r| format!(" (paused: {r})")).unwrap_or_default(),
        if settings.wallet_terms_accepted { "ticked" } else { "not ticked" },
        money(settings.threshold_minor, "USD"),
        match settings.daily_at_minute {
            Some(m) => format!("daily at {:02}:{:02}", m / 60, m % 60),
            None => format!("{} min", settings.approval_delay_minutes),
        },
        settings.most_suitable_within_days.map(|d| format!("within {d} days")).unwrap_or_else(|| "off".into()),
        settings.max_order_cost_minor.map(|m| money(m, "USD")).unwrap_or_else(|| "none".into())
    );
}

/// `card add|show|remove`.
async fn card(dir: &std::path::Path, command: CardCommand) -> Result<()> {
    let dd = open(dir)?;
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
            let input = dropdock_core::payment_card::CardInput {
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

async fn auto(dir: &std::path::Path, command: AutoCommand) -> Result<()> {
    let dd = open(dir)?;
    match command {
        AutoCommand::Status => print_auto(&dd.auto_settings()?),
        AutoCommand::Set { accept_terms, threshold, delay, at, most_suitable_within, max_order_cost } => {
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

/// The whole job on a fresh sandbox: sync 60 days, ship paid orders, wait for the suppliers to
/// ship, push tracking, and count what the store shows as Fulfilled.
async fn demo(data_dir: Option<PathBuf>, ship: usize) -> Result<()> {
    let _temp: tempfile::TempDir;
    let dd = match &data_dir {
        Some(dir) => open(dir)?,
        None => {
            // A throwaway directory, removed at the end: its credentials stay in memory, not in
            // the OS keychain.
            _temp = tempfile::tempdir().context("creating a temporary data directory")?;
            Dropdock::open(_temp.path(), |_| Arc::new(MemorySecrets::default()) as Arc<dyn SecretStore>)?
        }
    };
    let sandbox = Sandbox::start(SandboxConfig {
        ship_after: Duration::from_secs(3),
        restore_rate: 1000.0,
        ..SandboxConfig::default()
    })
    .await?;
    println!(
        "1. Sandbox: Shopify store at {}, {} CJdropshipping supplier accounts",
        sandbox.shopify_url(),
        sandbox.supplier_count()
    );
    let store_id = connect_sandbox(&dd, &sandbox_endpoints(&sandbox)).await?;
    println!("2. Connected the demo store and suppliers; demo SKUs mapped");
    let summary = dd.sync(store_id, 60).await?;
    println!("3. {}", summary.line);
    let candidates = dd.orders(Some(OrderStatus::ToOrder), 1000)?;
    let mut shipped = Vec::new();
    for order in candidates {
        if shipped.len() == ship {
            break;
        }
        if dd.order_detail(order.id)?.hold_reason.is_some() {
            continue;
        }
        let result = dd.ship(order.id).await?;
        for s in &result.sub_orders {
            println!(
                "4. Ship order {} -> {}: {} via {} ({})",
                result.order_name,
                s.supplier_name,
                s.supplier_order_id.clone().unwrap_or_default(),
                s.shipping_line,
                s.state
            );
        }
        shipped.push(order.name);
    }
    println!("5. Waiting for the suppliers to ship...");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let mut fulfilled_locally = 0;
    while tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let report = dd.track().await?;
        for s in &report.new_shipments {
            println!("6. {} shipped: {} {} -> pushed to the store", s.order_name, s.company, s.tracking_number);
        }
        fulfilled_locally = shipped
            .iter()
            .filter(|n| {
                dd.order_id_by_name(n)
                    .and_then(|id| dd.order_detail(id))
                    .is_ok_and(|d| d.order.status == OrderStatus::Fulfilled)
            })
            .count();
        if fulfilled_locally == shipped.len() {
            break;
        }
    }
    let in_store = sandbox.shop().fulfilled_count();
    println!(
        "Done: {in_store} orders are Fulfilled in the store ({fulfilled_locally} of {} shipped here)",
        shipped.len()
    );
    if fulfilled_locally < shipped.len() {
        bail!("{} orders did not reach Fulfilled within 60 s", shipped.len() - fulfilled_locally);
    }
    Ok(())
}
