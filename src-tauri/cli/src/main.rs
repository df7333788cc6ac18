//! `dropdock-cli`: Dropdock without a window, on the same core and database as the desktop app.
//!
//! Commands and their summary lines are a public interface that merchants script: keep them
//! stable. Errors print one line `error: …` on stderr and exit non-zero; nothing stored is lost.

//!
//! This file only parses the command line and dispatches: each command group lives in
//! `commands/` (one module per group, over one [`commands::Ctx`]), the output helpers in
//! `output.rs`.

mod bench;
mod bench_sync;
mod commands;
mod output;

use std::path::PathBuf;

use anyhow::Result;
use clap::{Parser, Subcommand};
use commands::auto::{AutoCommand, CardCommand};
use commands::orders::{OrdersCommand, QueueCommand};
use commands::products::ProductsCommand;
use commands::settings::{CarriersCommand, OnOff};
use commands::store::{ImportCommand, StoreCommand};
use commands::supplier::{MappingCommand, ShippingCommand, SupplierCommand};
use commands::wallet::{InvoicesCommand, WalletCommand};
use commands::{auto, demo, orders, products, settings, store, supplier, wallet, Ctx};

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
    /// Store variant (or SKU) → supplier variant mappings, and Auto-map by SKU.
    #[command(subcommand)]
    Mapping(MappingCommand),
    /// The store catalogue: sync it, list each variant with what ships it.
    #[command(subcommand)]
    Products(ProductsCommand),
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
        /// on or off: a shipment stopped moving (tracking needs attention).
        #[arg(long)]
        tracking_attention: Option<OnOff>,
    },
    /// Profit per order in your currency: `show` one order, `summary` of a period, the payment
    /// fee (`settings`) and exchange rates (`rate`).
    #[command(subcommand)]
    Profit(commands::profit::ProfitCommand),
    /// Refund and replacement requests to suppliers: `open`, `list`, `show`, `cancel`.
    #[command(subcommand)]
    Disputes(commands::disputes::DisputesCommand),
    /// Shipments that stopped moving: `list` them (needs attention, expired), or `set` after how
    /// many days without news a shipment needs attention.
    #[command(subcommand)]
    Tracking(orders::TrackingCommand),
    /// The language of the tray menu and desktop notifications (en, zh-CN, es); with no code,
    /// prints it.
    Language { code: Option<String> },
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
        /// Internal: time the first queries of a fresh process on the database in DIR (the bench
        /// runs itself so after its own run, to measure a cold start).
        #[arg(long, value_name = "DIR", hide = true)]
        reopen: Option<PathBuf>,
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
        /// Catalogue variants in the shop for the catalogue row (0: no catalogue row).
        #[arg(long, default_value_t = 10_000)]
        catalogue_variants: usize,
    },
    /// The whole job on a fresh embedded sandbox, step by step.
    Demo {
        /// How many paid orders to ship.
        #[arg(long, default_value_t = 5)]
        ship: usize,
    },
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
    let ctx = Ctx { data_dir: cli.data_dir };
    match cli.command {
        Command::Sandbox { orders } => demo::sandbox(&ctx, orders).await,
        Command::Store(command) => store::run(&ctx, command).await,
        Command::Supplier(command) => supplier::run(&ctx, command).await,
        Command::Mapping(command) => supplier::mapping(&ctx, command).await,
        Command::Products(command) => products::run(&ctx, command).await,
        Command::Shipping(command) => supplier::shipping(&ctx, command).await,
        Command::Sync { store, days } => store::sync(&ctx, store, days).await,
        Command::Import(command) => store::import(&ctx, command).await,
        Command::Counts => orders::counts(&ctx).await,
        Command::SyncDue => store::sync_due(&ctx).await,
        Command::Orders(command) => orders::run(&ctx, command).await,
        Command::Queue(command) => orders::queue(&ctx, command).await,
        Command::Auto(command) => auto::auto(&ctx, command).await,
        Command::Card(command) => auto::card(&ctx, command).await,
        Command::Dashboard { days, late_days, json } => orders::dashboard(&ctx, days, late_days, json).await,
        Command::Ship { order } => orders::ship(&ctx, order).await,
        Command::Track => orders::track(&ctx).await,
        Command::Wallet { action } => wallet::wallet(&ctx, action).await,
        Command::Invoices(command) => wallet::invoices(&ctx, command).await,
        Command::Carriers(command) => settings::carriers(&ctx, command).await,
        Command::Notifications { shipment, auto_paused, sync_failed, tracking_attention } => {
            settings::notifications(&ctx, shipment, auto_paused, sync_failed, tracking_attention).await
        }
        Command::Tracking(command) => orders::tracking(&ctx, command).await,
        Command::Disputes(command) => commands::disputes::run(&ctx, command).await,
        Command::Profit(command) => commands::profit::run(&ctx, command).await,
        Command::Language { code } => settings::language(&ctx, code).await,
        Command::Demo { ship } => demo::demo(&ctx, ship).await,
        Command::Bench { reopen: Some(dir), .. } => bench::reopened(&dir),
        Command::Bench { orders, runs, keep, reopen: None } => bench::run(orders, runs, keep),
        Command::BenchSync { orders, bucket, restore_rate, catalogue_variants } => {
            bench_sync::run(orders, bucket, restore_rate, catalogue_variants).await
        }
    }
}
