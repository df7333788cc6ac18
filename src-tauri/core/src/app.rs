//! [`Dropdock`]: the one entry point the desktop shell and the CLI share.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::auto_fulfillment::{AutoRunReport, AutoSettings, AutoSettingsInput, ShippingOption};
use crate::context::Ctx;
use crate::db::Db;
use crate::error::Result;
use crate::fulfillment::payment_card::{CardInput, SavedCard};
use crate::fulfillment::{self, ShipResult};
use crate::model::OrderStatus;
use crate::offline::{NetworkStatus, ShipOrdersResult};
use crate::orders::cancellation::CancelResult;
use crate::orders::views::{self, OrderDetail, OrderRow, StatusCount, StoreView, SupplierView};
use crate::secrets::SecretStore;
use crate::stores::csv_import::CsvImport;
use crate::stores::etsy_connect::PendingEtsyConnect;
use crate::stores::integrations::{BackgroundSync, StoreCredentialsInput};
use crate::stores::sync::SyncSummary;
use crate::tracking::{self, TrackReport};

/// CJ's My Wallet page, where a real CJ wallet is recharged (CJ has no recharge API).
pub const CJ_WALLET_PAGE: &str = "https://cjdropshipping.com/myCJ.html#/myWallet";

/// Timeout for every remote call; a write that hits it becomes `ambiguous`, never blindly resent.
pub const REMOTE_TIMEOUT: Duration = Duration::from_secs(30);

/// The application as the front ends see it: one method per user action, each a thin call into
/// its area module over the shared [`Ctx`] (reachable as `dd.db`, `dd.secrets()`… through
/// `Deref`). Area code takes `&Ctx`, never `&Dropdock`, so no area calls back into the facade.
pub struct Dropdock {
    ctx: Ctx,
}

impl std::ops::Deref for Dropdock {
    type Target = Ctx;

    fn deref(&self) -> &Ctx {
        &self.ctx
    }
}

impl Dropdock {
    /// The context the area modules work over.
    pub fn ctx(&self) -> &Ctx {
        &self.ctx
    }
}

/// The one HTTP client: rustls, timeouts on connect and on the whole call.
pub fn http_client(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(timeout)
        .user_agent(concat!("Dropdock/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("the TLS backend initialises")
}

pub use crate::stores::connect::validate_base_url;

pub use crate::products::FoundVariant;

impl Dropdock {
    /// Opens the data directory. `secrets_for` receives the database's install id and returns
    /// the secret store to use (the OS keychain in the app and CLI).
    pub fn open(data_dir: &Path, secrets_for: impl FnOnce(&str) -> Arc<dyn SecretStore>) -> Result<Self> {
        let db = Db::open_dir(data_dir)?;
        let install_id = db.install_id()?;
        fulfillment::backfill_holds(&db)?;
        crate::orders::profit::backfill(&db)?;
        Ok(Self::new(db, secrets_for(&install_id), http_client(REMOTE_TIMEOUT)))
    }

    pub fn new(db: Db, secrets: Arc<dyn SecretStore>, http: reqwest::Client) -> Self {
        Self { ctx: Ctx::new(db, secrets, http) }
    }

    // ---- suppliers ----------------------------------------------------------------------

    /// Refreshes every supplier's wallet balance (`getBalance`) and returns the suppliers. The
    /// first report of a supplier opens its ledger (see [`crate::wallet`]).
    pub async fn refresh_wallet(&self) -> Result<Vec<SupplierView>> {
        crate::wallet::refresh(self).await
    }

    /// The ledger, newest first (see [`crate::wallet::ledger`]).
    pub fn wallet_ledger(&self, supplier_id: Option<i64>, limit: u32) -> Result<Vec<crate::wallet::LedgerEntry>> {
        self.db.read(|c| crate::wallet::ledger(c, supplier_id, limit))
    }

    /// Each supplier's ledger against its last reported balance.
    pub fn wallet_reconciliation(&self) -> Result<Vec<crate::wallet::Reconciliation>> {
        self.db.read(crate::wallet::reconcile)
    }

    /// What the orders waiting at each supplier will cost against its balance and the Auto
    /// Fulfillment threshold.
    pub fn wallet_forecast(&self) -> Result<Vec<crate::wallet::Forecast>> {
        let threshold = self.auto_settings()?.threshold_minor;
        self.db.read(|c| crate::wallet::forecast(c, threshold))
    }

    /// The invoice for `[from, to)` (UTC).
    pub fn invoice(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<crate::wallet::Invoice> {
        self.db.read(|c| crate::wallet::invoice(c, from, to))
    }

    // ---- the job ------------------------------------------------------------------------

    /// "Ship order" on one order. An unreachable supplier is an error here; [`Self::ship_orders`]
    /// queues the order instead.
    pub async fn ship(&self, order_id: i64) -> Result<ShipResult> {
        crate::orders::ship_one(self, order_id).await
    }

    /// One tracking poll: new shipments recorded and pushed to the stores.
    pub async fn track(&self) -> Result<TrackReport> {
        let report = tracking::poll_once(self.ctx()).await;
        self.observe(report)
    }

    /// One order's profit, worked out now (see [`crate::orders::profit`]). Errors: `NotFound`.
    pub fn order_profit(&self, order_id: i64) -> Result<crate::orders::profit::OrderProfit> {
        self.db.read(|c| crate::orders::profit::order_profit(c, order_id))
    }

    /// The merchant's currency, payment fee and exchange rates.
    pub fn profit_settings(&self) -> Result<crate::orders::profit::ProfitSettings> {
        self.db.read(crate::orders::profit::settings)
    }

    /// Saves the currency and payment fee (`fee_bps` basis points, `fee_fixed_minor` in the
    /// merchant's currency) and works every order's profit out again, in one transaction.
    pub fn save_profit_settings(
        &self,
        currency: &str,
        fee_bps: u32,
        fee_fixed_minor: i64,
    ) -> Result<crate::orders::profit::ProfitSettings> {
        self.db.write(|tx| {
            crate::orders::profit::save_settings(tx, currency, fee_bps, fee_fixed_minor)?;
            crate::orders::profit::refresh_all(tx)?;
            crate::orders::profit::settings(tx)
        })
    }

    /// Records a rate (one `currency` is `rate` of the merchant's currency) and works every
    /// order's profit out again; `rate` `None` forgets the currency's rate.
    pub fn set_exchange_rate(
        &self,
        currency: &str,
        rate: Option<&str>,
    ) -> Result<crate::orders::profit::ProfitSettings> {
        self.db.write(|tx| {
            match rate {
                Some(rate) => crate::orders::profit::record_rate(tx, currency, rate, Utc::now())?,
                None => {
                    crate::orders::profit::remove_rate(tx, currency)?;
                }
            }
            crate::orders::profit::refresh_all(tx)?;
            crate::orders::profit::settings(tx)
        })
    }

    /// Profit of the paid orders of the last `days` days (1 to 366), per day.
    pub fn profit_summary(&self, days: u32) -> Result<crate::orders::profit::ProfitSummary> {
        if !(1..=366).contains(&days) {
            return Err(crate::CoreError::InvalidInput("the period is 1 to 366 days".into()));
        }
        let now = Utc::now();
        self.db.read(|c| crate::orders::profit::summary(c, now - chrono::Duration::days(i64::from(days)), now))
    }

    /// The 10 products that made most profit over the last `days` days (1 to 366).
    pub fn profit_per_product(&self, days: u32) -> Result<Vec<crate::orders::dashboard::ProductProfit>> {
        if !(1..=366).contains(&days) {
            return Err(crate::CoreError::InvalidInput("the period is 1 to 366 days".into()));
        }
        let from = Utc::now() - chrono::Duration::days(i64::from(days));
        self.db.read(|c| crate::orders::dashboard::profit_per_product(c, from))
    }

    /// Opens a refund or replacement request (see [`crate::orders::disputes::open_dispute`]).
    pub async fn open_dispute(
        &self,
        input: &crate::orders::disputes::DisputeInput,
    ) -> Result<crate::orders::disputes::DisputeView> {
        crate::orders::disputes::open_dispute(self.ctx(), input).await
    }

    /// The requests: `open`, `resolved` or `all`, optionally of one order, newest first.
    pub fn disputes(&self, filter: &str, order_id: Option<i64>) -> Result<Vec<crate::orders::disputes::DisputeView>> {
        crate::orders::disputes::disputes(self.ctx(), filter, order_id)
    }

    /// One request. Errors: `NotFound`.
    pub fn dispute(&self, id: i64) -> Result<crate::orders::disputes::DisputeView> {
        crate::orders::disputes::dispute(self.ctx(), id)
    }

    /// Withdraws a request (see [`crate::orders::disputes::cancel_dispute`]).
    pub async fn cancel_dispute(&self, id: i64) -> Result<crate::orders::disputes::DisputeView> {
        crate::orders::disputes::cancel_dispute(self.ctx(), id).await
    }

    /// "Hold" on a selection (see [`crate::orders::actions::hold_orders`]).
    pub fn hold_orders(&self, order_ids: &[i64]) -> Result<crate::orders::actions::BulkResult> {
        crate::orders::actions::hold_orders(&self.db, order_ids, Utc::now())
    }

    /// "Release" on a selection.
    pub fn release_orders(&self, order_ids: &[i64]) -> Result<crate::orders::actions::BulkResult> {
        crate::orders::actions::release_orders(&self.db, order_ids)
    }

    /// The Dashboard's figures at this moment.
    pub fn dashboard(
        &self,
        request: crate::orders::dashboard::DashboardRequest,
    ) -> Result<crate::orders::dashboard::Dashboard> {
        self.db.read(|c| crate::orders::dashboard::dashboard(c, request, Utc::now()))
    }

    /// The tray menu's figures (see [`crate::orders::dashboard::TrayCounts`]).
    pub fn tray_counts(&self, utc_offset_minutes: i32) -> Result<crate::orders::dashboard::TrayCounts> {
        self.db.read(|c| crate::orders::dashboard::tray_counts(c, utc_offset_minutes, Utc::now()))
    }

    // ---- reads --------------------------------------------------------------------------

    pub fn orders(&self, status: Option<OrderStatus>, limit: u32) -> Result<Vec<OrderRow>> {
        self.db.read(|c| views::list_orders(c, status, limit))
    }

    /// A page of the orders table: filters, full-text search, keyset pagination.
    pub fn query_orders(&self, query: &crate::orders::search::OrderQuery) -> Result<crate::orders::search::OrderPage> {
        self.db.read(|c| crate::orders::search::query_orders(c, query))
    }

    pub fn order_detail(&self, order_id: i64) -> Result<OrderDetail> {
        self.db.read(|c| views::order_detail(c, order_id))
    }

    /// See [`crate::orders::address::correct_address`].
    pub fn correct_address(
        &self,
        order_id: i64,
        address: crate::model::Address,
    ) -> Result<Vec<crate::fulfillment::address_check::AddressProblem>> {
        crate::orders::address::correct_address(&self.db, order_id, address, chrono::Utc::now())
    }

    /// See [`crate::orders::address::use_store_address`].
    pub fn use_store_address(&self, order_id: i64) -> Result<bool> {
        crate::orders::address::use_store_address(&self.db, order_id)
    }

    pub fn order_id_by_name(&self, name: &str) -> Result<i64> {
        self.db.read(|c| views::find_order_by_name(c, name))
    }

    pub fn status_counts(&self) -> Result<Vec<StatusCount>> {
        self.db.read(views::status_counts)
    }
}

// ---- Auto Fulfillment ([`crate::auto_fulfillment`]) and Cancel fulfilment ([`crate::orders::cancellation`]):
// the front ends' entry points, each a call into its area over the context.
impl Dropdock {
    /// See [`crate::auto_fulfillment::auto_settings`].
    pub fn auto_settings(&self) -> Result<AutoSettings> {
        crate::auto_fulfillment::auto_settings(self)
    }

    /// See [`crate::auto_fulfillment::save_auto_settings`].
    pub fn save_auto_settings(&self, input: &AutoSettingsInput) -> Result<AutoSettings> {
        crate::auto_fulfillment::save_auto_settings(self, input)
    }

    /// See [`crate::auto_fulfillment::enable_auto`].
    pub async fn enable_auto(&self) -> Result<AutoSettings> {
        crate::auto_fulfillment::enable_auto(self).await
    }

    /// See [`crate::auto_fulfillment::check_auto_ready`].
    pub async fn check_auto_ready(&self) -> Result<()> {
        crate::auto_fulfillment::check_auto_ready(self).await
    }

    /// See [`crate::auto_fulfillment::disable_auto`].
    pub fn disable_auto(&self) -> Result<AutoSettings> {
        crate::auto_fulfillment::disable_auto(self)
    }

    /// See [`crate::auto_fulfillment::run_auto`].
    pub async fn run_auto(&self, now: DateTime<Utc>) -> Result<AutoRunReport> {
        crate::auto_fulfillment::run_auto(self, now).await
    }

    /// See [`crate::orders::cancellation::cancel_fulfillment`].
    pub async fn cancel_fulfillment(&self, order_ids: &[i64]) -> Result<CancelResult> {
        crate::orders::cancellation::cancel_fulfillment(self, order_ids).await
    }
    /// See [`crate::auto_fulfillment::save_card`].
    pub async fn save_card(&self, card: &CardInput, terms_accepted: bool) -> Result<Vec<SavedCard>> {
        crate::auto_fulfillment::save_card(self, card, terms_accepted).await
    }

    /// See [`crate::auto_fulfillment::saved_cards`].
    pub fn saved_cards(&self) -> Result<Vec<SavedCard>> {
        crate::auto_fulfillment::saved_cards(self)
    }

    /// See [`crate::auto_fulfillment::remove_card`].
    pub fn remove_card(&self) -> Result<AutoSettings> {
        crate::auto_fulfillment::remove_card(self)
    }
    /// See [`crate::auto_fulfillment::shipping_options`].
    pub async fn shipping_options(&self, country: &str) -> Result<Vec<ShippingOption>> {
        crate::auto_fulfillment::shipping_options(self, country).await
    }
    /// See [`crate::offline::network_status`].
    pub fn network_status(&self) -> Result<NetworkStatus> {
        crate::offline::network_status(self)
    }

    /// See [`crate::offline::probe_network`].
    pub async fn probe_network(&self) -> Result<bool> {
        crate::offline::probe_network(self).await
    }
    /// Queues "Ship order" for when the network is back .
    pub fn queue_ship(&self, order_id: i64) -> Result<()> {
        crate::orders::queue_ship(self, order_id)
    }

    /// "Ship orders" on a selection.
    pub async fn ship_orders(&self, order_ids: &[i64]) -> Result<ShipOrdersResult> {
        crate::orders::ship(self, order_ids).await
    }

    /// Runs the queued actions.
    pub async fn run_queue(&self) -> Result<ShipOrdersResult> {
        crate::orders::run_queue(self).await
    }
    /// See [`crate::stores::integrations::stores`].
    pub fn stores(&self) -> Result<Vec<StoreView>> {
        crate::stores::integrations::stores(self)
    }

    /// See [`crate::stores::integrations::store`].
    pub fn store(&self, id: i64) -> Result<StoreView> {
        crate::stores::integrations::store(self, id)
    }

    /// See [`crate::stores::integrations::store_by_name`].
    pub fn store_by_name(&self, name: &str) -> Result<StoreView> {
        crate::stores::integrations::store_by_name(self, name)
    }

    /// See [`crate::stores::integrations::test_store_connection`].
    pub async fn test_store_connection(&self, store_id: i64) -> Result<()> {
        crate::stores::integrations::test_store_connection(self, store_id).await
    }

    /// See [`crate::stores::integrations::set_store_paused`].
    pub fn set_store_paused(&self, store_id: i64, paused: bool) -> Result<StoreView> {
        crate::stores::integrations::set_store_paused(self, store_id, paused)
    }

    /// See [`crate::stores::integrations::set_store_sync_interval`].
    pub fn set_store_sync_interval(&self, store_id: i64, minutes: u32) -> Result<StoreView> {
        crate::stores::integrations::set_store_sync_interval(self, store_id, minutes)
    }

    /// See [`crate::stores::integrations::rename_store`].
    pub fn rename_store(&self, store_id: i64, name: &str) -> Result<StoreView> {
        crate::stores::integrations::rename_store(self, store_id, name)
    }

    /// See [`crate::stores::integrations::update_store_credentials`].
    pub async fn update_store_credentials(
        &self,
        store_id: i64,
        credentials: &StoreCredentialsInput,
    ) -> Result<StoreView> {
        crate::stores::integrations::update_store_credentials(self, store_id, credentials).await
    }

    /// See [`crate::stores::integrations::disconnect_store`].
    pub fn disconnect_store(&self, store_id: i64) -> Result<StoreView> {
        crate::stores::integrations::disconnect_store(self, store_id)
    }

    /// See [`crate::stores::integrations::sync_store_in_background`].
    pub async fn sync_store_in_background(&self, store_id: i64, now: DateTime<Utc>) -> Result<BackgroundSync> {
        crate::stores::integrations::sync_store_in_background(self, store_id, now).await
    }

    /// See [`crate::stores::integrations::stores_due`].
    pub fn stores_due(&self, now: DateTime<Utc>) -> Result<Vec<i64>> {
        crate::stores::integrations::stores_due(self, now)
    }

    /// See [`crate::stores::integrations::sync_due_stores`].
    pub async fn sync_due_stores(&self, now: DateTime<Utc>) -> Result<Vec<Result<BackgroundSync>>> {
        crate::stores::integrations::sync_due_stores(self, now).await
    }
    /// See [`crate::products::catalogue::sync_due_catalogues`].
    pub async fn sync_due_catalogues(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Vec<Result<crate::products::catalogue::CatalogueSummary>>> {
        crate::products::catalogue::sync_due_catalogues(self, now).await
    }
    /// See [`crate::products::catalogue::sync_catalogue`].
    pub async fn sync_catalogue(&self, store_id: i64) -> Result<crate::products::catalogue::CatalogueSummary> {
        crate::products::catalogue::sync_catalogue(self, store_id).await
    }
    /// See [`crate::products::list_products`].
    pub fn list_products(&self, query: &crate::products::ProductQuery) -> Result<crate::products::ProductList> {
        crate::products::list_products(self, query)
    }
    /// See [`crate::products::map_variant_for_country`].
    #[allow(clippy::too_many_arguments)]
    pub fn map_variant_for_country(
        &self,
        store_id: i64,
        store_product: &str,
        store_variant: Option<&str>,
        country: &str,
        supplier_id: i64,
        variant_id: &str,
        cost_minor: i64,
    ) -> Result<()> {
        crate::products::map_variant_for_country(
            self,
            store_id,
            store_product,
            store_variant,
            country,
            supplier_id,
            variant_id,
            cost_minor,
        )
    }
    /// See [`crate::products::remove_variant_country_mapping`].
    pub fn remove_variant_country_mapping(
        &self,
        store_id: i64,
        store_product: &str,
        store_variant: Option<&str>,
        country: &str,
    ) -> Result<()> {
        crate::products::remove_variant_country_mapping(self, store_id, store_product, store_variant, country)
    }
    /// See [`crate::products::add_mapping_part`].
    pub fn add_mapping_part(
        &self,
        store_id: i64,
        store_product: &str,
        store_variant: Option<&str>,
        part: &crate::products::PartInput,
    ) -> Result<()> {
        crate::products::add_mapping_part(self, store_id, store_product, store_variant, part)
    }
    /// See [`crate::products::remove_mapping_part`].
    pub fn remove_mapping_part(
        &self,
        store_id: i64,
        store_product: &str,
        store_variant: Option<&str>,
        priority: i64,
        variant_id: Option<&str>,
    ) -> Result<()> {
        crate::products::remove_mapping_part(self, store_id, store_product, store_variant, priority, variant_id)
    }
    /// See [`crate::products::set_mapping_cost_limit`].
    pub fn set_mapping_cost_limit(
        &self,
        store_id: i64,
        store_product: &str,
        store_variant: Option<&str>,
        limit_minor: Option<i64>,
    ) -> Result<()> {
        crate::products::set_mapping_cost_limit(self, store_id, store_product, store_variant, limit_minor)
    }
    /// See [`crate::tracking::exceptions::list`].
    pub fn tracking_exceptions(&self) -> Result<Vec<crate::tracking::exceptions::TrackingException>> {
        crate::tracking::exceptions::list(self)
    }
    /// See [`crate::tracking::exceptions::exceptions`] (at another time: tests, the CLI's `--at`).
    pub fn tracking_exceptions_at(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<crate::tracking::exceptions::TrackingException>> {
        self.db.read(|c| crate::tracking::exceptions::exceptions(c, now))
    }
    /// See [`crate::tracking::exceptions::attention_days`].
    pub fn tracking_attention_days(&self) -> Result<u32> {
        self.db.read(crate::tracking::exceptions::attention_days)
    }
    /// See [`crate::tracking::exceptions::set_attention_days`].
    pub fn set_tracking_attention_days(&self, days: u32) -> Result<()> {
        crate::tracking::exceptions::set_attention_days(self, days)
    }
    /// See [`crate::products::search_supplier_variants`].
    pub async fn search_supplier_variants(&self, query: &str) -> Result<Vec<crate::products::SearchHit>> {
        crate::products::search_supplier_variants(self, query).await
    }
    /// See [`crate::products::catalogue::last_runs`].
    pub fn catalogue_runs(&self) -> Result<Vec<crate::products::catalogue::CatalogueRun>> {
        crate::products::catalogue::last_runs(self)
    }
    /// See [`crate::products::automap`].
    pub async fn automap(&self, store_id: i64, accept: bool) -> Result<Vec<crate::products::AutomapProposal>> {
        crate::products::automap(self, store_id, accept).await
    }
    /// See [`crate::stores::csv_import::preview_csv_import`].
    pub fn preview_csv_import(&self, store_name: &str, bytes: &[u8]) -> Result<CsvImport> {
        crate::stores::csv_import::preview_csv_import(self, store_name, bytes)
    }

    /// See [`crate::stores::csv_import::import_csv`].
    pub fn import_csv(&self, store_name: &str, bytes: &[u8]) -> Result<CsvImport> {
        crate::stores::csv_import::import_csv(self, store_name, bytes)
    }
    /// See [`crate::stores::connect::connect_woocommerce`].
    pub async fn connect_woocommerce(
        &self,
        name: &str,
        base_url: &str,
        consumer_key: &str,
        consumer_secret: &str,
    ) -> Result<StoreView> {
        crate::stores::connect::connect_woocommerce(self, name, base_url, consumer_key, consumer_secret).await
    }

    /// See [`crate::stores::connect::connect_woocommerce_account`].
    pub async fn connect_woocommerce_account(
        &self,
        name: &str,
        base_url: &str,
        consumer_key: &str,
        consumer_secret: &str,
        is_sandbox: bool,
    ) -> Result<StoreView> {
        crate::stores::connect::connect_woocommerce_account(
            self,
            name,
            base_url,
            consumer_key,
            consumer_secret,
            is_sandbox,
        )
        .await
    }

    /// See [`crate::stores::connect::repoint_sandbox_store`].
    pub fn repoint_sandbox_store(&self, store_id: i64, base_url: &str) -> Result<()> {
        crate::stores::connect::repoint_sandbox_store(self, store_id, base_url)
    }

    /// See [`crate::stores::connect::connect_shopify_app`].
    pub async fn connect_shopify_app(
        &self,
        name: &str,
        base_url: &str,
        client_id: &str,
        client_secret: &str,
    ) -> Result<StoreView> {
        crate::stores::connect::connect_shopify_app(self, name, base_url, client_id, client_secret).await
    }

    /// See [`crate::stores::connect::connect_shopify`].
    pub async fn connect_shopify(
        &self,
        name: &str,
        base_url: &str,
        token: &str,
        is_sandbox: bool,
    ) -> Result<StoreView> {
        crate::stores::connect::connect_shopify(self, name, base_url, token, is_sandbox).await
    }

    /// See [`crate::stores::connect::connect_cj`].
    pub async fn connect_cj(
        &self,
        name: &str,
        base_url: &str,
        api_key: &str,
        is_sandbox: bool,
    ) -> Result<SupplierView> {
        crate::stores::connect::connect_cj(self, name, base_url, api_key, is_sandbox).await
    }
    /// See [`crate::stores::connect::connect_printful`].
    pub async fn connect_printful(
        &self,
        name: &str,
        base_url: &str,
        token: &str,
        store_id: Option<&str>,
        is_sandbox: bool,
    ) -> Result<SupplierView> {
        crate::stores::connect::connect_printful(self, name, base_url, token, store_id, is_sandbox).await
    }
    /// See [`crate::stores::etsy_connect::begin_etsy_connect`].
    pub async fn begin_etsy_connect(
        &self,
        name: &str,
        api: &str,
        keystring: &str,
        shared_secret: &str,
        port: u16,
    ) -> Result<PendingEtsyConnect> {
        crate::stores::etsy_connect::begin_etsy_connect(self, name, api, keystring, shared_secret, port).await
    }

    /// See [`crate::stores::etsy_connect::finish_etsy_connect`].
    pub async fn finish_etsy_connect(&self, pending: PendingEtsyConnect, timeout: Duration) -> Result<StoreView> {
        crate::stores::etsy_connect::finish_etsy_connect(self, pending, timeout).await
    }
    /// See [`crate::wallet::record_wallet_entry`].
    pub fn record_wallet_entry(
        &self,
        supplier_id: i64,
        kind: crate::wallet::ManualEntryKind,
        amount_minor: i64,
        note: &str,
    ) -> Result<i64> {
        crate::wallet::record_wallet_entry(self, supplier_id, kind, amount_minor, note)
    }

    /// See [`crate::wallet::recharge_wallet`].
    pub async fn recharge_wallet(&self, supplier_id: i64, amount_minor: i64) -> Result<Option<String>> {
        crate::wallet::recharge_wallet(self, supplier_id, amount_minor).await
    }

    /// See [`crate::wallet::export_invoice`].
    pub fn export_invoice(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        format: crate::wallet::InvoiceFormat,
        path: &std::path::Path,
    ) -> Result<crate::wallet::Invoice> {
        crate::wallet::export_invoice(self, from, to, format, path)
    }
    /// "Export CSV": writes the selection to `out` (see [`crate::orders::actions::export_orders_csv`]).
    pub fn export_orders_csv(
        &self,
        selection: &crate::orders::actions::OrderSelection,
        out: impl std::io::Write,
    ) -> Result<usize> {
        self.db.read(|c| crate::orders::actions::export_orders_csv(c, selection, out))
    }

    /// See [`crate::orders::actions::order_countries`].
    pub fn order_countries(&self) -> Result<Vec<String>> {
        crate::orders::actions::order_countries(self)
    }

    /// See [`crate::orders::actions::export_orders_csv_to`].
    pub fn export_orders_csv_to(
        &self,
        selection: &crate::orders::actions::OrderSelection,
        path: &Path,
    ) -> Result<usize> {
        crate::orders::actions::export_orders_csv_to(self, selection, path)
    }
    /// See [`crate::stores::sync::sync`].
    pub async fn sync(&self, store_id: i64, days: u32) -> Result<SyncSummary> {
        crate::stores::sync::sync(self, store_id, days).await
    }

    /// See [`crate::stores::progress::running`].
    pub fn sync_progress(&self) -> Vec<crate::stores::progress::SyncProgress> {
        crate::stores::progress::running(self)
    }

    /// See [`crate::stores::progress::cancel`].
    pub fn cancel_sync(&self, store_id: i64) -> Result<crate::stores::progress::SyncProgress> {
        crate::stores::progress::cancel(self, store_id)
    }
    /// See [`crate::products::map_sku`].
    pub fn map_sku(&self, sku: &str, supplier_id: i64, variant_id: &str, cost_minor: i64) -> Result<()> {
        crate::products::map_sku(self, sku, supplier_id, variant_id, cost_minor)
    }

    /// See [`crate::products::map_variant`].
    #[allow(clippy::too_many_arguments)]
    pub fn map_variant(
        &self,
        store_id: i64,
        store_product: &str,
        store_variant: Option<&str>,
        supplier_id: i64,
        variant_id: &str,
        cost_minor: i64,
    ) -> Result<()> {
        crate::products::map_variant(self, store_id, store_product, store_variant, supplier_id, variant_id, cost_minor)
    }

    /// See [`crate::products::mappings`].
    pub fn mappings(&self, store_id: Option<i64>) -> Result<Vec<crate::products::MappingView>> {
        crate::products::mappings(self, store_id)
    }

    /// See [`crate::products::remove_sku_mapping`].
    pub fn remove_sku_mapping(&self, sku: &str) -> Result<()> {
        crate::products::remove_sku_mapping(self, sku)
    }

    /// See [`crate::products::remove_variant_mapping`].
    pub fn remove_variant_mapping(
        &self,
        store_id: i64,
        store_product: &str,
        store_variant: Option<&str>,
    ) -> Result<()> {
        crate::products::remove_variant_mapping(self, store_id, store_product, store_variant)
    }

    /// See [`crate::products::map_variant_of_order`].
    #[allow(clippy::too_many_arguments)]
    pub fn map_variant_of_order(
        &self,
        order_id: i64,
        store_product: &str,
        store_variant: Option<&str>,
        supplier_id: i64,
        variant_id: &str,
        cost_minor: i64,
    ) -> Result<()> {
        crate::products::map_variant_of_order(
            self,
            order_id,
            store_product,
            store_variant,
            supplier_id,
            variant_id,
            cost_minor,
        )
    }

    /// See [`crate::products::find_supplier_variants`].
    pub async fn find_supplier_variants(&self, sku: &str) -> Result<Vec<FoundVariant>> {
        crate::products::find_supplier_variants(self, sku).await
    }
    /// See [`crate::fulfillment::shipping::set_shipping_default`].
    pub fn set_shipping_default(&self, country_code: &str, logistic_name: &str) -> Result<()> {
        crate::fulfillment::shipping::set_shipping_default(self, country_code, logistic_name)
    }

    /// See [`crate::fulfillment::shipping::set_shipping_rule`].
    pub fn set_shipping_rule(&self, country_code: &str, lines: &[String]) -> Result<()> {
        crate::fulfillment::shipping::set_shipping_rule(self, country_code, lines)
    }

    /// See [`crate::fulfillment::shipping::shipping_rules`].
    pub fn shipping_rules(&self) -> Result<Vec<(String, Vec<String>)>> {
        crate::fulfillment::shipping::shipping_rules(self)
    }
    /// See [`crate::suppliers::suppliers`].
    pub fn suppliers(&self) -> Result<Vec<SupplierView>> {
        crate::suppliers::suppliers(self)
    }

    /// See [`crate::suppliers::supplier`].
    pub fn supplier(&self, supplier_id: i64) -> Result<SupplierView> {
        crate::suppliers::supplier(self, supplier_id)
    }

    /// See [`crate::suppliers::supplier_by_name`].
    pub fn supplier_by_name(&self, name: &str) -> Result<SupplierView> {
        crate::suppliers::supplier_by_name(self, name)
    }

    /// See [`crate::suppliers::test_supplier_connection`].
    pub async fn test_supplier_connection(&self, supplier_id: i64) -> Result<()> {
        crate::suppliers::test_supplier_connection(self, supplier_id).await
    }

    /// See [`crate::suppliers::rename_supplier`].
    pub fn rename_supplier(&self, supplier_id: i64, name: &str) -> Result<SupplierView> {
        crate::suppliers::rename_supplier(self, supplier_id, name)
    }

    /// See [`crate::suppliers::disconnect_supplier`].
    pub fn disconnect_supplier(&self, supplier_id: i64) -> Result<SupplierView> {
        crate::suppliers::disconnect_supplier(self, supplier_id)
    }

    /// See [`crate::suppliers::update_supplier_keys`].
    pub async fn update_supplier_keys(
        &self,
        supplier_id: i64,
        key: &str,
        store_id: Option<&str>,
    ) -> Result<SupplierView> {
        crate::suppliers::update_supplier_keys(self, supplier_id, key, store_id).await
    }

    /// See [`crate::suppliers::set_supplier_rate_limit`].
    pub fn set_supplier_rate_limit(&self, supplier_id: i64, requests_per_second: u32) -> Result<()> {
        crate::suppliers::set_supplier_rate_limit(self, supplier_id, requests_per_second)
    }

    /// Settings → Carriers: the mapping in force (see [`crate::tracking::carriers::mappings`]).
    pub fn carrier_mappings(&self) -> Result<Vec<crate::tracking::carriers::CarrierMapping>> {
        self.db.read(crate::tracking::carriers::mappings)
    }

    /// Saves the merchant's carrier row (see [`crate::tracking::carriers::save_mapping`]).
    pub fn save_carrier_mapping(&self, row: &crate::tracking::carriers::CarrierMapping) -> Result<()> {
        self.db.write(|tx| crate::tracking::carriers::save_mapping(tx, row))
    }

    /// Removes the merchant's carrier row; returns whether there was one (see
    /// [`crate::tracking::carriers::remove_mapping`]).
    pub fn remove_carrier_mapping(&self, supplier_carrier: &str) -> Result<bool> {
        self.db.write(|tx| crate::tracking::carriers::remove_mapping(tx, supplier_carrier))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked() {
        assert_eq!(validate_base_url("https://shop.myshopify.com/").unwrap(), "https://shop.myshopify.com");
        assert_eq!(validate_base_url("ftp://x").unwrap_err().code(), crate::ErrorCode::InvalidInput);
        assert!(validate_base_url("not a url").is_err());
        assert!(validate_base_url("https://user:pw@shop.example").is_err());
    }
}
