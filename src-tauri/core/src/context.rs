//! What every area works over: the database, the keychain, one HTTP client, the cached
//! connectors (which keep rate-limit state and access tokens between calls) and the network
//! state. Areas (orders, fulfillment, tracking, …) take `&Ctx`; the [`crate::Dropdock`] facade
//! owns one and only delegates.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::db::Db;
use crate::error::{CoreError, Result};
use crate::offline::NetworkState;
use crate::orders::views;
use crate::secrets::{self, SecretStore};
use crate::stores::shopify::ShopifyClient;
use crate::stores::StoreConnector;
use crate::suppliers::{CjClient, PrintfulClient, SupplierConnector, SupplierPlatform};

/// The shared context of the core's areas.
pub struct Ctx {
    pub db: Db,
    pub(crate) secrets: Arc<dyn SecretStore>,
    pub(crate) http: reqwest::Client,
    pub(crate) stores: Mutex<HashMap<i64, Arc<dyn StoreConnector>>>,
    pub(crate) suppliers: Mutex<HashMap<i64, Arc<dyn SupplierConnector>>>,
    /// Whether the accounts could be reached last time (see [`crate::offline`]).
    pub(crate) network: NetworkState,
    /// The syncs running now, with their progress (see [`crate::stores::progress`]).
    pub(crate) sync_runs: crate::stores::progress::SyncRuns,
}

impl Ctx {
    pub fn new(db: Db, secrets: Arc<dyn SecretStore>, http: reqwest::Client) -> Ctx {
        Ctx {
            db,
            secrets,
            http,
            stores: Mutex::default(),
            suppliers: Mutex::default(),
            network: NetworkState::default(),
            sync_runs: Default::default(),
        }
    }

    pub fn secrets(&self) -> &Arc<dyn SecretStore> {
        &self.secrets
    }

    /// The HTTP client every connector shares.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.http
    }

    /// Passes `result` through, noting an unreachable remote as offline and any success as online.
    pub(crate) fn observe<T>(&self, result: Result<T>) -> Result<T> {
        match &result {
            Err(e) if e.is_unreachable() => {
                self.network.set_online(false);
            }
            Ok(_) => {
                self.network.set_online(true);
            }
            Err(_) => {}
        }
        result
    }

    /// The connector of a store, cached so its rate-limit state carries over between calls.
    /// Errors: the store is unknown, or its credentials are missing from the keychain.
    pub fn store_connector(&self, store_id: i64) -> Result<Arc<dyn StoreConnector>> {
        if let Some(c) = self.stores.lock().expect("stores lock").get(&store_id) {
            return Ok(c.clone());
        }
        let store = self
            .db
            .read(views::list_stores)?
            .into_iter()
            .find(|s| s.id == store_id)
            .ok_or_else(|| CoreError::NotFound(format!("store {store_id} not found")))?;
        if store.platform == "csv" {
            return Err(CoreError::InvalidInput(format!(
                "{} is imported from CSV files: import the file again to update it",
                store.name
            )));
        }
        let secret = secrets::require(
            self.secrets.as_ref(),
            &secrets::store_token_key(store_id),
            &format!("credentials for store {}", store.name),
        )?;
        let client: Arc<dyn StoreConnector> = match store.platform.as_str() {
            "woocommerce" => {
                let credentials: crate::stores::woocommerce::WooCredentials =
                    serde_json::from_str(&secret).map_err(|_| {
                        CoreError::Keychain(format!("the keys of store {} are unreadable; reconnect it", store.name))
                    })?;
                Arc::new(crate::stores::woocommerce::WooClient::new(self.http.clone(), &store.base_url, credentials))
            }
            // A Dev Dashboard app's credentials are a JSON entry; a plain token is an Admin API token.
            "shopify" if secret.trim_start().starts_with('{') => {
                let app: crate::stores::shopify::ShopifyAppCredentials =
                    serde_json::from_str(&secret).map_err(|_| {
                        CoreError::Keychain(format!(
                            "the app credentials of store {} are unreadable; reconnect it",
                            store.name
                        ))
                    })?;
                Arc::new(ShopifyClient::with_app(
                    self.http.clone(),
                    &store.base_url,
                    app,
                    self.persist_store_secret::<crate::stores::shopify::ShopifyAppCredentials>(store_id),
                ))
            }
            "shopify" => Arc::new(ShopifyClient::new(self.http.clone(), &store.base_url, secret)),
            "etsy" => {
                let credentials: crate::stores::etsy::EtsyCredentials =
                    serde_json::from_str(&secret).map_err(|_| {
                        CoreError::Keychain(format!(
                            "the Etsy tokens of store {} are unreadable; reconnect it",
                            store.name
                        ))
                    })?;
                Arc::new(crate::stores::etsy::EtsyClient::new(
                    self.http.clone(),
                    &store.base_url,
                    credentials,
                    self.persist_store_secret(store_id),
                ))
            }
            other => return Err(CoreError::InvalidInput(format!("{other} stores cannot be synced yet"))),
        };
        self.stores.lock().expect("stores lock").insert(store_id, client.clone());
        Ok(client)
    }

    pub(crate) fn persist_store_secret<T: serde::Serialize>(
        &self,
        store_id: i64,
    ) -> impl Fn(&T) + Send + Sync + 'static {
        let secrets = self.secrets.clone();
        let key = secrets::store_token_key(store_id);
        move |credentials: &T| {
            let json = serde_json::to_string(credentials).expect("credentials serialise");
            if let Err(e) = secrets.set(&key, &json) {
                tracing::warn!(error = %e, "renewed store credentials could not be kept in the keychain");
            }
        }
    }

    /// The connector of a supplier account, for its platform (`supplier.kind`), cached with its
    /// access token and rate limiter. Errors: an unknown supplier, a platform this version does
    /// not know, no API key in the keychain.
    pub fn supplier_client(&self, supplier_id: i64) -> Result<Arc<dyn SupplierConnector>> {
        if let Some(c) = self.suppliers.lock().expect("suppliers lock").get(&supplier_id) {
            return Ok(c.clone());
        }
        let supplier = crate::suppliers::supplier(self, supplier_id)?;
        if supplier.disconnected {
            return Err(CoreError::InvalidInput(format!(
                "{} is disconnected: connect it again in Store → Integrations",
                supplier.name
            )));
        }
        let key = secrets::require(
            self.secrets.as_ref(),
            &secrets::supplier_api_key_key(supplier_id),
            &format!("API key for supplier {}", supplier.name),
        )?;
        let client: Arc<dyn SupplierConnector> = match SupplierPlatform::parse(&supplier.kind)? {
            SupplierPlatform::Cj => Arc::new(CjClient::new(
                self.http.clone(),
                &supplier.base_url,
                key,
                supplier_id,
                self.secrets.clone(),
                supplier.requests_per_second,
            )),
            // The account's limit is kept per second; Printful's is documented per minute.
            SupplierPlatform::Printful => Arc::new(PrintfulClient::new(
                self.http.clone(),
                &supplier.base_url,
                key,
                self.db.read(|c| crate::suppliers::queries::store_ref(c, supplier_id))?,
                supplier.requests_per_second.saturating_mul(60),
            )),
        };
        self.suppliers.lock().expect("suppliers lock").insert(supplier_id, client.clone());
        Ok(client)
    }
}
