//! `store …`: connect, test, pause, resume, rename, re-key and remove stores; `sync` and
//! `sync-due`; `import` (CSV stores).

use super::prelude::*;

#[derive(Subcommand)]
pub(crate) enum StoreCommand {
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
        #[arg(long, default_value_t = dropdock_core::stores::etsy_connect::ETSY_REDIRECT_PORT)]
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
pub(crate) enum StorePlatform {
    Shopify,
    Woocommerce,
    Etsy,
}

#[derive(Subcommand)]
pub(crate) enum ImportCommand {
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

/// `store …`
pub(crate) async fn run(ctx: &Ctx, command: StoreCommand) -> Result<()> {
    match command {
        StoreCommand::Add {
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
        } => {
            let dd = ctx.open()?;
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
        StoreCommand::Test { name } => {
            let dd = ctx.open()?;
            let store = dd.store_by_name(&name)?;
            dd.test_store_connection(store.id).await?;
            println!("Connection OK: {} answered", store.name);
            Ok(())
        }
        StoreCommand::Pause { name } => {
            let dd = ctx.open()?;
            let store = dd.set_store_paused(dd.store_by_name(&name)?.id, true)?;
            println!("Background sync paused for {}", store.name);
            Ok(())
        }
        StoreCommand::Resume { name } => {
            let dd = ctx.open()?;
            let store = dd.set_store_paused(dd.store_by_name(&name)?.id, false)?;
            println!("Background sync resumed for {} (every {} minutes)", store.name, store.sync_interval_minutes);
            Ok(())
        }
        StoreCommand::Interval { name, minutes } => {
            let dd = ctx.open()?;
            let store = dd.set_store_sync_interval(dd.store_by_name(&name)?.id, minutes)?;
            println!("{} syncs every {} minutes", store.name, store.sync_interval_minutes);
            Ok(())
        }
        StoreCommand::Rename { name, to } => {
            let dd = ctx.open()?;
            let store = dd.rename_store(dd.store_by_name(&name)?.id, &to)?;
            println!("Renamed {name} to {}", store.name);
            Ok(())
        }
        StoreCommand::Keys { name, token, consumer_key, consumer_secret } => {
            use dropdock_core::stores::integrations::StoreCredentialsInput;
            let dd = ctx.open()?;
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
        StoreCommand::Remove { name } => {
            let dd = ctx.open()?;
            let store = dd.disconnect_store(dd.store_by_name(&name)?.id)?;
            println!("Disconnected {}: its credentials are removed, its {} orders stay", store.name, store.order_count);
            Ok(())
        }
        StoreCommand::List => {
            let dd = ctx.open()?;
            for s in dd.stores()? {
                let last = s
                    .last_sync_at
                    .map(|t| format!("{} ({})", t.format("%Y-%m-%d %H:%M UTC"), s.last_sync_status.unwrap_or_default()))
                    .unwrap_or_else(|| "never synced".into());
                println!("{}\t{}\t{}\t{} orders\t{}", s.name, s.platform, s.base_url, s.order_count, last);
            }
            Ok(())
        }
    }
}

/// `import …`
pub(crate) async fn import(ctx: &Ctx, command: ImportCommand) -> Result<()> {
    match command {
        ImportCommand::Csv { store, file, preview } => {
            let dd = ctx.open()?;
            // The size first: a file over the limit is refused before it is read.
            let size = std::fs::metadata(&file).map_err(|e| anyhow!("cannot read {}: {e}", file.display()))?.len();
            if size > dropdock_core::stores::csv_import::MAX_CSV_BYTES as u64 {
                return Err(dropdock_core::stores::csv_import::too_large().into());
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
        ImportCommand::Template => {
            println!("{}", dropdock_core::stores::csv_import::TEMPLATE_HEADER.join(","));
            println!("1001,2026-11-01T10:00:00Z,paid,USD,29.98,ann@example.com,Ann Lee,Ann Lee,1 High Street,,Leeds,,LS1 4DY,GB,+44 113 496 0000,MUG-01,Ceramic Mug,2,14.99,true");
            Ok(())
        }
    }
}

pub(crate) async fn sync(ctx: &Ctx, store: String, days: String) -> Result<()> {
    let days: u32 = days.parse()?;
    let dd = ctx.open()?;
    let store = dd.store_by_name(&store)?;
    // The summary line stays the only line on stdout; progress goes to stderr, a line per page,
    // and Ctrl-C stops the run after its page (what it stored is kept).
    let run = dd.sync(store.id, days);
    tokio::pin!(run);
    let mut ticker = tokio::time::interval(std::time::Duration::from_millis(500));
    let (mut pages, mut asked) = (0, false);
    let summary = loop {
        tokio::select! {
            summary = &mut run => break summary?,
            _ = tokio::signal::ctrl_c(), if !asked => {
                asked = true;
                if dd.cancel_sync(store.id).is_ok() {
                    eprintln!("stopping after this page (Ctrl-C)…");
                }
            }
            _ = ticker.tick() => {
                if let Some(p) = dd.sync_progress().into_iter().find(|p| p.store_id == store.id && p.pages != pages) {
                    pages = p.pages;
                    let left = p.seconds_left.map(|s| format!(", about {} min left", s.div_ceil(60))).unwrap_or_default();
                    eprintln!(
                        "progress: page {}, {} orders read ({} new, {} updated){left}",
                        p.pages, p.orders, p.additions, p.updates
                    );
                }
            }
        }
    };
    println!("{}", summary.line);
    for f in &summary.failures {
        println!("fail {}: {}", f.reference, f.reason);
    }
    print_cancelled_after_sending(&summary.cancelled_after_sending);
    if let Some(error) = summary.error {
        bail!("the sync stopped early, keeping what was stored: {error}");
    }
    Ok(())
}

/// `cancelled after sending ORDER SUPPLIER: cancelled|too_late: ANSWER`, one line per sub-order
/// of an order the store cancelled after it reached its supplier.
fn print_cancelled_after_sending(outcomes: &[dropdock_core::orders::cancellation::StoreCancelOutcome]) {
    for o in outcomes {
        println!("cancelled after sending {} {}: {}: {}", o.order_name, o.supplier_name, o.outcome, o.answer);
    }
}

pub(crate) async fn sync_due(ctx: &Ctx) -> Result<()> {
    let dd = ctx.open()?;
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
                print_cancelled_after_sending(&run.summary.cancelled_after_sending);
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

/// The WooCommerce consumer secret: the flag's value, unless it is `-` or absent; then the
/// `DROPDOCK_WOO_CONSUMER_SECRET` environment variable, else the first line of standard input.
pub(crate) fn woo_consumer_secret(flag: Option<String>) -> Result<String> {
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
