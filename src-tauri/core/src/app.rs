//! [`Dropdock`]: the one entry point the desktop shell and the CLI share.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

use crate::autofulfill::{AutoRunReport, AutoSettings, AutoSettingsInput, ShippingOption};
use crate::cancellation::CancelResult;
use crate::context::Ctx;
use crate::csv_import::CsvImport;
use crate::db::Db;
use crate::error::{CoreError, Result};
use crate::fulfillment::{self, ShipResult};
use crate::integrations::{BackgroundSync, StoreCredentialsInput};
use crate::model::{OrderStatus, SyncWindowDays};
use crate::offline::{NetworkStatus, ShipOrdersResult};
use crate::payment_card::{CardInput, SavedCard};
use crate::secrets::{self, SecretStore};
use crate::stores::shopify::ShopifyClient;
use crate::suppliers::CjClient;
use crate::sync::{self, SyncSummary};
use crate::tracking::{self, TrackReport};
use crate::views::{self, OrderDetail, OrderRow, StatusCount, StoreView, SupplierView};

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

/// Checks a base URL given by the merchant: absolute http(s), no credentials in it.
pub fn validate_base_url(url: &str) -> Result<String> {
    let parsed = reqwest::Url::parse(url.trim()).map_err(|_| {
        CoreError::InvalidInput(format!("'{url}' is not a URL (expected e.g. https://my-shop.myshopify.com)"))
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(CoreError::InvalidInput(format!("'{url}' must be an http or https URL")));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(CoreError::InvalidInput("put credentials in --token or --api-key, not in the URL".into()));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

fn validate_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 || name.chars().any(char::is_control) {
        return Err(CoreError::InvalidInput("a name must be 1 to 80 printable characters".into()));
    }
    Ok(name.to_owned())
}

/// The two kinds of connected account, each a table with a kind column.
#[derive(Clone, Copy)]
enum AccountTable {
    Store,
    Supplier,
}

/// How to take back an account row written by [`upsert_account`] when its keychain entries
/// cannot be kept: a new row is removed, a re-pointed or revived one gets its old state back.
enum Undo {
    Remove { table: &'static str, id: i64 },
    Repoint { table: &'static str, id: i64, base_url: String },
    Disconnect { id: i64, base_url: String, disconnected_at: Option<DateTime<Utc>> },
}

impl Undo {
    fn apply(&self, tx: &rusqlite::Transaction<'_>) -> Result<()> {
        match self {
            Undo::Remove { table, id } => tx.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [id])?,
            Undo::Repoint { table, id, base_url } => {
                tx.execute(&format!("UPDATE {table} SET base_url = ?2 WHERE id = ?1"), params![id, base_url])?
            }
            Undo::Disconnect { id, base_url, disconnected_at } => tx.execute(
                "UPDATE store SET base_url = ?2, disconnected_at = ?3, paused = 1 WHERE id = ?1",
                params![id, base_url, disconnected_at],
            )?,
        };
        Ok(())
    }
}

/// Inserts an account row, or re-points a sandbox account of the same name (its port changes at
/// every launch). A real account of the same name is an error: names identify accounts.
/// Returns the row's id and how to take the write back.
fn upsert_account(
    tx: &rusqlite::Transaction<'_>,
    table: AccountTable,
    name: &str,
    kind: &str,
    base_url: &str,
    is_sandbox: bool,
) -> Result<(i64, Undo)> {
    let (table, kind_column, noun) = match table {
        AccountTable::Store => ("store", "platform", "store"),
        AccountTable::Supplier => ("supplier", "kind", "supplier"),
    };
    let disconnected = if table == "store" { "disconnected_at" } else { "NULL" };
    type Existing = (i64, bool, Option<DateTime<Utc>>, String);
    let existing: Option<Existing> = tx
        .query_row(
            &format!("SELECT id, is_sandbox, {disconnected}, base_url FROM {table} WHERE name = ?1"),
            [name],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    match existing {
        Some((id, true, _, old_url)) if is_sandbox => {
            tx.execute(&format!("UPDATE {table} SET base_url = ?2 WHERE id = ?1"), params![id, base_url])?;
            Ok((id, Undo::Repoint { table, id, base_url: old_url }))
        }
        // A store the merchant disconnected comes back, with its orders, on the same platform.
        Some((id, false, Some(at), old_url)) if !is_sandbox => {
            let revived = tx.execute(
                "UPDATE store SET base_url = ?2, disconnected_at = NULL, paused = 0, consecutive_failures = 0
                 WHERE id = ?1 AND platform = ?3",
                params![id, base_url, kind],
            )?;
            if revived == 0 {
                return Err(CoreError::InvalidInput(format!(
                    "a store named {name} was on another platform: choose another name"
                )));
            }
            Ok((id, Undo::Disconnect { id, base_url: old_url, disconnected_at: Some(at) }))
        }
        Some(_) => Err(CoreError::InvalidInput(format!("a {noun} named {name} is already connected"))),
        None => {
            tx.execute(
                &format!("INSERT INTO {table} (name, {kind_column}, base_url, is_sandbox, created_at) VALUES (?1, ?2, ?3, ?4, ?5)"),
                params![name, kind, base_url, is_sandbox, Utc::now()],
            )?;
            let id = tx.last_insert_rowid();
            Ok((id, Undo::Remove { table, id }))
        }
    }
}

/// A supplier variant found for a SKU, and whose it is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct FoundVariant {
    #[ts(type = "number")]
    pub supplier_id: i64,
    pub supplier_name: String,
    pub variant: crate::suppliers::cj::SupplierVariant,
}

impl Dropdock {
    /// Opens the data directory. `secrets_for` receives the database's install id and returns
    /// the secret store to use (the OS keychain in the app and CLI).
    pub fn open(data_dir: &Path, secrets_for: impl FnOnce(&str) -> Arc<dyn SecretStore>) -> Result<Self> {
        let db = Db::open_dir(data_dir)?;
        let install_id = db.install_id()?;
        fulfillment::backfill_holds(&db)?;
        Ok(Self::new(db, secrets_for(&install_id), http_client(REMOTE_TIMEOUT)))
    }

    pub fn new(db: Db, secrets: Arc<dyn SecretStore>, http: reqwest::Client) -> Self {
        Self { ctx: Ctx::new(db, secrets, http) }
    }

    // ---- stores -------------------------------------------------------------------------

    /// Connects a WooCommerce store: checks the URL and that the consumer key and secret are
    /// accepted (one order is read), then stores the row and the keys in the keychain (both or
    /// neither). Errors: a bad URL, empty keys, the store unreachable, keys refused.
    pub async fn connect_woocommerce(
        &self,
        name: &str,
        base_url: &str,
        consumer_key: &str,
        consumer_secret: &str,
    ) -> Result<StoreView> {
        self.connect_woocommerce_account(name, base_url, consumer_key, consumer_secret, false).await
    }

    /// [`Self::connect_woocommerce`]; `is_sandbox` marks the embedded sandbox's demo store (its
    /// port changes at every launch, and it is re-pointed then).
    pub async fn connect_woocommerce_account(
        &self,
        name: &str,
        base_url: &str,
        consumer_key: &str,
        consumer_secret: &str,
        is_sandbox: bool,
    ) -> Result<StoreView> {
        let name = validate_name(name)?;
        let base_url = validate_base_url(base_url)?;
        let credentials = crate::stores::woocommerce::WooCredentials {
            consumer_key: consumer_key.trim().to_owned(),
            consumer_secret: consumer_secret.trim().to_owned(),
        };
        if credentials.consumer_key.is_empty() || credentials.consumer_secret.is_empty() {
            return Err(CoreError::InvalidInput("the consumer key and the consumer secret are both needed".into()));
        }
        crate::stores::StoreConnector::verify(&crate::stores::woocommerce::WooClient::new(
            self.http.clone(),
            &base_url,
            credentials.clone(),
        ))
        .await?;
        let keys = serde_json::to_string(&credentials).expect("keys serialise");
        let id = self.keep_account(
            AccountTable::Store,
            &name,
            "woocommerce",
            &base_url,
            is_sandbox,
            |_, _| Ok(()),
            |id| vec![(secrets::store_token_key(id), Some(keys))],
        )?;
        self.stores.lock().expect("stores lock").remove(&id);
        self.store(id)
    }

    /// Keeps a store's renewed credentials in the keychain (a failure is logged: the token in
    /// memory still works until the app restarts).
    /// Points a sandbox store at the sandbox's new address (its port changes at every launch).
    pub fn repoint_sandbox_store(&self, store_id: i64, base_url: &str) -> Result<()> {
        self.db.write(|tx| {
            tx.execute("UPDATE store SET base_url = ?2 WHERE id = ?1 AND is_sandbox = 1", params![store_id, base_url])?;
            Ok(())
        })?;
        self.stores.lock().expect("stores lock").remove(&store_id);
        Ok(())
    }

    /// Writes an account's row (with `also`'s writes, in the same transaction) and then its
    /// keychain entries (`entries(id)`: key and value, `None` to delete), both or neither, and no
    /// keychain call inside the write transaction. If an entry cannot be kept, the entries
    /// already written get their old values back and the row is taken back ([`Undo`]).
    #[allow(clippy::too_many_arguments)]
    fn keep_account(
        &self,
        table: AccountTable,
        name: &str,
        kind: &str,
        base_url: &str,
        is_sandbox: bool,
        also: impl FnOnce(&rusqlite::Transaction<'_>, i64) -> Result<()>,
        entries: impl FnOnce(i64) -> Vec<(String, Option<String>)>,
    ) -> Result<i64> {
        let (id, undo) = self.db.write(|tx| {
            let (id, undo) = upsert_account(tx, table, name, kind, base_url, is_sandbox)?;
            also(tx, id)?;
            Ok((id, undo))
        })?;
        let mut written: Vec<(String, Option<String>)> = Vec::new();
        for (key, value) in entries(id) {
            let kept = self.secrets.get(&key).and_then(|previous| {
                match &value {
                    Some(v) => self.secrets.set(&key, v)?,
                    None => self.secrets.delete(&key)?,
                }
                Ok(previous)
            });
            match kept {
                Ok(previous) => written.push((key, previous)),
                Err(e) => {
                    for (key, previous) in written {
                        let restored = match previous {
                            Some(p) => self.secrets.set(&key, &p),
                            None => self.secrets.delete(&key),
                        };
                        if let Err(e) = restored {
                            tracing::warn!(error = %e, "a keychain entry could not be put back");
                        }
                    }
                    self.db.write(|tx| undo.apply(tx))?;
                    return Err(e);
                }
            }
        }
        Ok(id)
    }

    /// Stores a store's row and its credentials (both or neither), for connections whose
    /// credentials were checked elsewhere (Etsy's OAuth flow).
    pub(crate) fn keep_store_credentials(
        &self,
        name: &str,
        platform: &str,
        base_url: &str,
        secret: &str,
        is_sandbox: bool,
    ) -> Result<StoreView> {
        let name = validate_name(name)?;
        let id = self.keep_account(
            AccountTable::Store,
            &name,
            platform,
            base_url,
            is_sandbox,
            |_, _| Ok(()),
            |id| vec![(secrets::store_token_key(id), Some(secret.to_owned()))],
        )?;
        self.stores.lock().expect("stores lock").remove(&id);
        self.store(id)
    }

    /// Connects a Shopify store through a Dev Dashboard app installed in it: the client id and
    /// secret are exchanged for a token (client credentials grant), `shop { name }` is read with
    /// it, then the store and the credentials (with the token, renewed before it ends) are kept.
    /// Errors: a bad URL, empty credentials, credentials refused, the shop unreachable.
    pub async fn connect_shopify_app(
        &self,
        name: &str,
        base_url: &str,
        client_id: &str,
        client_secret: &str,
    ) -> Result<StoreView> {
        let name = validate_name(name)?;
        let base_url = validate_base_url(base_url)?;
        let (client_id, client_secret) = (client_id.trim(), client_secret.trim());
        if client_id.is_empty() || client_secret.is_empty() {
            return Err(CoreError::InvalidInput("the app's client id and client secret are both needed".into()));
        }
        let granted = Arc::new(Mutex::new(None));
        let keep = granted.clone();
        let probe = ShopifyClient::with_app(
            self.http.clone(),
            &base_url,
            crate::stores::shopify::ShopifyAppCredentials {
                client_id: client_id.to_owned(),
                client_secret: client_secret.to_owned(),
                access_token: None,
                expires_at: None,
            },
            move |app| *keep.lock().expect("grant lock") = Some(app.clone()),
        );
        let shop = probe.shop_info().await?;
        let app = granted.lock().expect("grant lock").clone().expect("a token was granted");
        let credentials = serde_json::to_string(&app).expect("credentials serialise");
        let id = self.keep_account(
            AccountTable::Store,
            &name,
            "shopify",
            &base_url,
            false,
            |tx, id| record_shop(tx, id, &shop),
            |id| vec![(secrets::store_token_key(id), Some(credentials))],
        )?;
        self.stores.lock().expect("stores lock").remove(&id);
        self.store(id)
    }

    /// Connects a Shopify store: checks the URL and that the token is accepted (`shop { name }`),
    /// then stores the row and puts the token in the keychain (both or neither).
    /// A store of the same name that `is_sandbox` is updated in place (the sandbox's port changes).
    pub async fn connect_shopify(
        &self,
        name: &str,
        base_url: &str,
        token: &str,
        is_sandbox: bool,
    ) -> Result<StoreView> {
        let name = validate_name(name)?;
        let base_url = validate_base_url(base_url)?;
        if token.trim().is_empty() {
            return Err(CoreError::InvalidInput("the access token is empty".into()));
        }
        let probe = ShopifyClient::new(self.http.clone(), &base_url, token.trim().to_owned());
        let shop = probe.shop_info().await?;
        let id = self.keep_account(
            AccountTable::Store,
            &name,
            "shopify",
            &base_url,
            is_sandbox,
            |tx, id| record_shop(tx, id, &shop),
            |id| vec![(secrets::store_token_key(id), Some(token.trim().to_owned()))],
        )?;
        self.stores.lock().expect("stores lock").remove(&id);
        self.store(id)
    }

    // ---- suppliers ----------------------------------------------------------------------

    /// Connects a CJdropshipping account: checks the API key (`getAccessToken`), then stores the
    /// row and the key in the keychain. A sandbox supplier of the same name is updated in place.
    pub async fn connect_cj(
        &self,
        name: &str,
        base_url: &str,
        api_key: &str,
        is_sandbox: bool,
    ) -> Result<SupplierView> {
        let name = validate_name(name)?;
        let base_url = validate_base_url(base_url)?;
        if api_key.trim().is_empty() {
            return Err(CoreError::InvalidInput("the API key is empty".into()));
        }
        // A throwaway secret store: the probe's token must not land under someone else's id.
        let probe_secrets: Arc<dyn SecretStore> = Arc::new(secrets::MemorySecrets::default());
        CjClient::new(self.http.clone(), &base_url, api_key.trim().to_owned(), 0, probe_secrets.clone(), 1)
            .verify()
            .await?;
        // CJ allows getAccessToken once per 5 minutes: keep the probe's token for the real client.
        let probe_token = probe_secrets.get(&secrets::supplier_token_key(0))?;
        let id = self.keep_account(
            AccountTable::Supplier,
            &name,
            "cj",
            &base_url,
            is_sandbox,
            |_, _| Ok(()),
            |id| {
                vec![
                    (secrets::supplier_api_key_key(id), Some(api_key.trim().to_owned())),
                    (secrets::supplier_token_key(id), probe_token.clone()),
                ]
            },
        )?;
        self.suppliers.lock().expect("suppliers lock").remove(&id);
        self.suppliers()?
            .into_iter()
            .find(|s| s.id == id)
            .ok_or_else(|| CoreError::NotFound("supplier vanished".into()))
    }

    pub fn suppliers(&self) -> Result<Vec<SupplierView>> {
        self.db.read(views::list_suppliers)
    }

    /// Finds a supplier by name (case-insensitive).
    pub fn supplier_by_name(&self, name: &str) -> Result<SupplierView> {
        self.suppliers()?
            .into_iter()
            .find(|s| s.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| CoreError::NotFound(format!("no supplier named '{name}'")))
    }

    /// Sets a supplier account's API rate limit, requests per second (1 to 1000; CJ's free level
    /// allows 1). Takes effect on the next call.
    pub fn set_supplier_rate_limit(&self, supplier_id: i64, requests_per_second: u32) -> Result<()> {
        if !(1..=1000).contains(&requests_per_second) {
            return Err(CoreError::InvalidInput("the rate limit is 1 to 1000 requests per second".into()));
        }
        let changed = self.db.write(|tx| {
            Ok(tx.execute(
                "UPDATE supplier SET requests_per_second = ?2 WHERE id = ?1",
                params![supplier_id, requests_per_second],
            )?)
        })?;
        if changed == 0 {
            return Err(CoreError::NotFound(format!("supplier {supplier_id} not found")));
        }
        self.suppliers.lock().expect("suppliers lock").remove(&supplier_id);
        Ok(())
    }

    /// Maps a store SKU to a supplier variant and its cost (US cents).
    pub fn map_sku(&self, sku: &str, supplier_id: i64, variant_id: &str, cost_minor: i64) -> Result<()> {
        if sku.trim().is_empty() || variant_id.trim().is_empty() {
            return Err(CoreError::InvalidInput("SKU and variant id must not be empty".into()));
        }
        self.db.write(|tx| {
            tx.execute(
                "INSERT INTO product_mapping (sku, supplier_id, variant_id, cost_minor, currency) VALUES (?1, ?2, ?3, ?4, 'USD')
                 ON CONFLICT(sku) DO UPDATE SET supplier_id=excluded.supplier_id, variant_id=excluded.variant_id, cost_minor=excluded.cost_minor",
                params![sku.trim(), supplier_id, variant_id.trim(), cost_minor],
            )?;
            // Orders held for this SKU may be free to go now.
            let orders: Vec<i64> = tx
                .prepare("SELECT DISTINCT order_id FROM line_item WHERE sku = ?1")?
                .query_map([sku.trim()], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for order_id in orders {
                sync::refresh_order_status(tx, order_id)?;
            }
            Ok(())
        })
    }

    /// The variants each connected supplier sells under `sku` (CJ `product/variant/query`), for
    /// mapping a store SKU: "Find at suppliers" on an order held for an unmapped SKU.
    /// Errors: an empty SKU, a supplier that cannot be reached or rejects the credentials.
    pub async fn find_supplier_variants(&self, sku: &str) -> Result<Vec<FoundVariant>> {
        let sku = sku.trim();
        if sku.is_empty() {
            return Err(CoreError::InvalidInput("type a SKU to look up".into()));
        }
        let mut found = Vec::new();
        for supplier in self.suppliers()? {
            let variants = self.observe(self.supplier_client(supplier.id)?.variants_by_sku(sku).await)?;
            found.extend(variants.into_iter().map(|variant| FoundVariant {
                supplier_id: supplier.id,
                supplier_name: supplier.name.clone(),
                variant,
            }));
        }
        Ok(found)
    }

    /// Sets the default logistics line for a destination country (ISO 3166-1 alpha-2); it is used
    /// whenever the supplier offers it, else the cheapest line is. Same as
    /// [`Self::set_shipping_rule`] with one line.
    pub fn set_shipping_default(&self, country_code: &str, logistic_name: &str) -> Result<()> {
        self.set_shipping_rule(country_code, &[logistic_name.to_owned()])
    }

    /// Sets the default shipping method of a destination country with ordered fallbacks: the
    /// first line the supplier offers is used. An empty list removes the rule.
    /// Errors: an unknown country code, an empty line name, more than 5 lines.
    pub fn set_shipping_rule(&self, country_code: &str, lines: &[String]) -> Result<()> {
        let country = country_code.trim().to_ascii_uppercase();
        if !crate::countries::is_known_country(&country) {
            return Err(CoreError::InvalidInput(format!("'{country_code}' is not an ISO 3166-1 country code")));
        }
        if lines.iter().any(|l| l.trim().is_empty()) {
            return Err(CoreError::InvalidInput("the shipping line name is empty".into()));
        }
        if lines.len() > 5 {
            return Err(CoreError::InvalidInput("at most 5 shipping lines per country".into()));
        }
        self.db.write(|tx| {
            tx.execute("DELETE FROM shipping_rule WHERE country_code = ?1", [&country])?;
            for (position, line) in lines.iter().enumerate() {
                tx.execute(
                    "INSERT INTO shipping_rule (country_code, position, logistic_name) VALUES (?1, ?2, ?3)",
                    params![country, position as i64, line.trim()],
                )?;
            }
            Ok(())
        })
    }

    /// Every country's shipping rule, as `(country, lines in order)`, sorted by country.
    pub fn shipping_rules(&self) -> Result<Vec<(String, Vec<String>)>> {
        self.db.read(|c| {
            let mut rules: Vec<(String, Vec<String>)> = Vec::new();
            let mut stmt =
                c.prepare("SELECT country_code, logistic_name FROM shipping_rule ORDER BY country_code, position")?;
            for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
                let (country, line) = row?;
                match rules.last_mut() {
                    Some((c, lines)) if *c == country => lines.push(line),
                    _ => rules.push((country, vec![line])),
                }
            }
            Ok(rules)
        })
    }

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

    /// Records a recharge made on the supplier's site, or an adjustment (see
    /// [`crate::wallet::record_entry`]).
    pub fn record_wallet_entry(
        &self,
        supplier_id: i64,
        kind: crate::wallet::ManualEntryKind,
        amount_minor: i64,
        note: &str,
    ) -> Result<i64> {
        self.db.write(|tx| {
            tx.query_row("SELECT id FROM supplier WHERE id = ?1", [supplier_id], |r| r.get::<_, i64>(0))
                .optional()?
                .ok_or_else(|| CoreError::NotFound(format!("no supplier with id {supplier_id}")))?;
            crate::wallet::record_entry(tx, supplier_id, kind, amount_minor, note)
        })
    }

    /// My Wallet → Recharge. On the embedded sandbox: the sandbox supplier's recharge call, a
    /// `recharge` ledger entry, and a refresh. On a real CJ account (CJ has no recharge API):
    /// `Ok(Some(url))`, the page to open in the browser; refresh afterwards.
    pub async fn recharge_wallet(&self, supplier_id: i64, amount_minor: i64) -> Result<Option<String>> {
        let supplier = self
            .suppliers()?
            .into_iter()
            .find(|s| s.id == supplier_id)
            .ok_or_else(|| CoreError::NotFound(format!("no supplier with id {supplier_id}")))?;
        if !supplier.is_sandbox {
            return Ok(Some(CJ_WALLET_PAGE.to_owned()));
        }
        if !(1..=crate::wallet::MAX_ENTRY_MINOR).contains(&amount_minor) {
            return Err(CoreError::InvalidInput("amount: between $0.01 and $1000000.00".into()));
        }
        // The ledger is opened with the balance before the recharge, so the recharge is its own entry.
        if self.db.read(|c| {
            Ok(c.query_row("SELECT ledger_opened_at IS NULL FROM supplier WHERE id=?1", [supplier_id], |r| {
                r.get::<_, bool>(0)
            })?)
        })? {
            let before = self.supplier_client(supplier_id)?.balance().await?;
            self.db.write(|tx| crate::wallet::record_reported_balance(tx, supplier_id, before))?;
        }
        let balance = self.supplier_client(supplier_id)?.sandbox_recharge(amount_minor).await?;
        self.db.write(|tx| {
            crate::wallet::record_entry(
                tx,
                supplier_id,
                crate::wallet::ManualEntryKind::Recharge,
                amount_minor,
                "Recharged in the sandbox",
            )?;
            crate::wallet::record_reported_balance(tx, supplier_id, balance)
        })?;
        Ok(None)
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

    /// Writes the invoice for `[from, to)` to `path` as CSV or PDF (by `format`), through a
    /// temporary file renamed into place, so a full disk never leaves half a file. Returns the
    /// invoice written. Errors: `File` with the path and the reason.
    pub fn export_invoice(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        format: crate::wallet::InvoiceFormat,
        path: &std::path::Path,
    ) -> Result<crate::wallet::Invoice> {
        let invoice = self.invoice(from, to)?;
        let bytes = match format {
            crate::wallet::InvoiceFormat::Csv => crate::wallet::invoice_csv(&invoice)?,
            crate::wallet::InvoiceFormat::Pdf => crate::wallet::invoice_pdf(&invoice, "Dropdock supplier invoices")?,
        };
        let file_error = |e: std::io::Error| CoreError::File(format!("could not write {}: {e}", path.display()));
        let tmp = path.with_extension("dropdock-tmp");
        std::fs::write(&tmp, &bytes).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            file_error(e)
        })?;
        std::fs::rename(&tmp, path).map_err(file_error)?;
        Ok(invoice)
    }

    // ---- the job ------------------------------------------------------------------------

    /// "Sync Order": one store, a window of 7, 14, 30 or 60 days.
    pub async fn sync(&self, store_id: i64, days: u32) -> Result<SyncSummary> {
        let days = SyncWindowDays::new(days)?;
        let connector = self.store_connector(store_id)?;
        let now = Utc::now();
        let window = sync::RunWindow {
            updated_since: now - chrono::Duration::days(days.days() as i64),
            window_days: days.days(),
            retry: crate::integrations::retry_policy(),
        };
        let summary = self.observe(sync::run_sync_window(&self.db, connector.as_ref(), store_id, window, now).await)?;
        if summary.unreachable {
            self.network.set_online(false);
        }
        Ok(summary)
    }

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

    /// "Hold" on a selection (see [`crate::order_actions::hold_orders`]).
    pub fn hold_orders(&self, order_ids: &[i64]) -> Result<crate::order_actions::BulkResult> {
        crate::order_actions::hold_orders(&self.db, order_ids, Utc::now())
    }

    /// "Release" on a selection.
    pub fn release_orders(&self, order_ids: &[i64]) -> Result<crate::order_actions::BulkResult> {
        crate::order_actions::release_orders(&self.db, order_ids)
    }

    /// "Export CSV": writes the selection to `out`; returns the number of orders.
    pub fn export_orders_csv(
        &self,
        selection: &crate::order_actions::OrderSelection,
        out: impl std::io::Write,
    ) -> Result<usize> {
        self.db.read(|c| crate::order_actions::export_orders_csv(c, selection, out))
    }

    /// The destination countries (ISO 3166-1 alpha-2) of the stored orders, sorted: the Order
    /// page's country filter offers these.
    pub fn order_countries(&self) -> Result<Vec<String>> {
        self.db.read(|c| {
            Ok(c.prepare("SELECT DISTINCT country_code FROM address ORDER BY country_code")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?)
        })
    }

    /// "Export CSV" into a file: written beside `path` under a temporary name and renamed, so a
    /// failed export (full disk, unknown order) never leaves half a file. Returns the orders written.
    pub fn export_orders_csv_to(&self, selection: &crate::order_actions::OrderSelection, path: &Path) -> Result<usize> {
        let io = |e: std::io::Error, p: &Path| CoreError::InvalidInput(format!("cannot write {}: {e}", p.display()));
        let tmp = path.with_extension("csv.partial");
        let file = std::fs::File::create(&tmp).map_err(|e| io(e, &tmp))?;
        let written = match self.export_orders_csv(selection, std::io::BufWriter::new(file)) {
            Ok(n) => n,
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        };
        std::fs::rename(&tmp, path).map_err(|e| io(e, path))?;
        Ok(written)
    }

    /// The Dashboard's figures at this moment.
    pub fn dashboard(&self, request: crate::dashboard::DashboardRequest) -> Result<crate::dashboard::Dashboard> {
        self.db.read(|c| crate::dashboard::dashboard(c, request, Utc::now()))
    }

    /// The tray menu's figures (see [`crate::dashboard::TrayCounts`]).
    pub fn tray_counts(&self, utc_offset_minutes: i32) -> Result<crate::dashboard::TrayCounts> {
        self.db.read(|c| crate::dashboard::tray_counts(c, utc_offset_minutes, Utc::now()))
    }

    // ---- reads --------------------------------------------------------------------------

    pub fn orders(&self, status: Option<OrderStatus>, limit: u32) -> Result<Vec<OrderRow>> {
        self.db.read(|c| views::list_orders(c, status, limit))
    }

    /// A page of the orders table: filters, full-text search, keyset pagination.
    pub fn query_orders(&self, query: &crate::search::OrderQuery) -> Result<crate::search::OrderPage> {
        self.db.read(|c| crate::search::query_orders(c, query))
    }

    pub fn order_detail(&self, order_id: i64) -> Result<OrderDetail> {
        self.db.read(|c| views::order_detail(c, order_id))
    }

    pub fn order_id_by_name(&self, name: &str) -> Result<i64> {
        self.db.read(|c| views::find_order_by_name(c, name))
    }

    pub fn status_counts(&self) -> Result<Vec<StatusCount>> {
        self.db.read(views::status_counts)
    }
}

/// Keeps what a Shopify shop says of itself (name, currency, time zone, domain) on its store row.
fn record_shop(tx: &rusqlite::Transaction<'_>, store_id: i64, shop: &crate::stores::shopify::ShopInfo) -> Result<()> {
    let or_null = |s: &str| Some(s.to_owned()).filter(|s| !s.is_empty());
    tx.prepare_cached(
        "UPDATE store SET shop_name = ?2, shop_currency = ?3, shop_timezone = ?4, shop_domain = ?5 WHERE id = ?1",
    )?
    .execute(rusqlite::params![
        store_id,
        shop.name,
        or_null(&shop.currency),
        or_null(&shop.timezone),
        or_null(&shop.domain)
    ])?;
    Ok(())
}

// ---- Auto Fulfillment ([`crate::autofulfill`]) and Cancel fulfilment ([`crate::cancellation`]):
// the front ends' entry points, each a call into its area over the context.
impl Dropdock {
    /// See [`crate::autofulfill::auto_settings`].
    pub fn auto_settings(&self) -> Result<AutoSettings> {
        crate::autofulfill::auto_settings(self)
    }

    /// See [`crate::autofulfill::save_auto_settings`].
    pub fn save_auto_settings(&self, input: &AutoSettingsInput) -> Result<AutoSettings> {
        crate::autofulfill::save_auto_settings(self, input)
    }

    /// See [`crate::autofulfill::enable_auto`].
    pub async fn enable_auto(&self) -> Result<AutoSettings> {
        crate::autofulfill::enable_auto(self).await
    }

    /// See [`crate::autofulfill::check_auto_ready`].
    pub async fn check_auto_ready(&self) -> Result<()> {
        crate::autofulfill::check_auto_ready(self).await
    }

    /// See [`crate::autofulfill::disable_auto`].
    pub fn disable_auto(&self) -> Result<AutoSettings> {
        crate::autofulfill::disable_auto(self)
    }

    /// See [`crate::autofulfill::run_auto`].
    pub async fn run_auto(&self, now: DateTime<Utc>) -> Result<AutoRunReport> {
        crate::autofulfill::run_auto(self, now).await
    }

    /// See [`crate::cancellation::cancel_fulfillment`].
    pub async fn cancel_fulfillment(&self, order_ids: &[i64]) -> Result<CancelResult> {
        crate::cancellation::cancel_fulfillment(self, order_ids).await
    }
    /// See [`crate::autofulfill::save_card`].
    pub async fn save_card(&self, card: &CardInput, terms_accepted: bool) -> Result<Vec<SavedCard>> {
        crate::autofulfill::save_card(self, card, terms_accepted).await
    }

    /// See [`crate::autofulfill::saved_cards`].
    pub fn saved_cards(&self) -> Result<Vec<SavedCard>> {
        crate::autofulfill::saved_cards(self)
    }

    /// See [`crate::autofulfill::remove_card`].
    pub fn remove_card(&self) -> Result<AutoSettings> {
        crate::autofulfill::remove_card(self)
    }
    /// See [`crate::autofulfill::shipping_options`].
    pub async fn shipping_options(&self, country: &str) -> Result<Vec<ShippingOption>> {
        crate::autofulfill::shipping_options(self, country).await
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
    /// See [`crate::integrations::stores`].
    pub fn stores(&self) -> Result<Vec<StoreView>> {
        crate::integrations::stores(self)
    }

    /// See [`crate::integrations::store`].
    pub fn store(&self, id: i64) -> Result<StoreView> {
        crate::integrations::store(self, id)
    }

    /// See [`crate::integrations::store_by_name`].
    pub fn store_by_name(&self, name: &str) -> Result<StoreView> {
        crate::integrations::store_by_name(self, name)
    }

    /// See [`crate::integrations::test_store_connection`].
    pub async fn test_store_connection(&self, store_id: i64) -> Result<()> {
        crate::integrations::test_store_connection(self, store_id).await
    }

    /// See [`crate::integrations::set_store_paused`].
    pub fn set_store_paused(&self, store_id: i64, paused: bool) -> Result<StoreView> {
        crate::integrations::set_store_paused(self, store_id, paused)
    }

    /// See [`crate::integrations::set_store_sync_interval`].
    pub fn set_store_sync_interval(&self, store_id: i64, minutes: u32) -> Result<StoreView> {
        crate::integrations::set_store_sync_interval(self, store_id, minutes)
    }

    /// See [`crate::integrations::rename_store`].
    pub fn rename_store(&self, store_id: i64, name: &str) -> Result<StoreView> {
        crate::integrations::rename_store(self, store_id, name)
    }

    /// See [`crate::integrations::update_store_credentials`].
    pub async fn update_store_credentials(
        &self,
        store_id: i64,
        credentials: &StoreCredentialsInput,
    ) -> Result<StoreView> {
        crate::integrations::update_store_credentials(self, store_id, credentials).await
    }

    /// See [`crate::integrations::disconnect_store`].
    pub fn disconnect_store(&self, store_id: i64) -> Result<StoreView> {
        crate::integrations::disconnect_store(self, store_id)
    }

    /// See [`crate::integrations::sync_store_in_background`].
    pub async fn sync_store_in_background(&self, store_id: i64, now: DateTime<Utc>) -> Result<BackgroundSync> {
        crate::integrations::sync_store_in_background(self, store_id, now).await
    }

    /// See [`crate::integrations::stores_due`].
    pub fn stores_due(&self, now: DateTime<Utc>) -> Result<Vec<i64>> {
        crate::integrations::stores_due(self, now)
    }

    /// See [`crate::integrations::sync_due_stores`].
    pub async fn sync_due_stores(&self, now: DateTime<Utc>) -> Result<Vec<Result<BackgroundSync>>> {
        crate::integrations::sync_due_stores(self, now).await
    }
    /// See [`crate::csv_import::preview_csv_import`].
    pub fn preview_csv_import(&self, store_name: &str, bytes: &[u8]) -> Result<CsvImport> {
        crate::csv_import::preview_csv_import(self, store_name, bytes)
    }

    /// See [`crate::csv_import::import_csv`].
    pub fn import_csv(&self, store_name: &str, bytes: &[u8]) -> Result<CsvImport> {
        crate::csv_import::import_csv(self, store_name, bytes)
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
