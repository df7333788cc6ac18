//! Connecting accounts (Store → Integrations → Connect, `dropdock-cli store add` / `supplier add`):
//! the credentials are checked with the platform first, then the account row and its keychain
//! entries are kept both or neither (no keychain call inside a write transaction: the row is
//! committed, the entries written, and a refused entry takes the row back).

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

use crate::context::Ctx;
use crate::error::{CoreError, Result};
use crate::orders::views::{StoreView, SupplierView};
use crate::secrets;
use crate::stores::shopify::ShopifyClient;
use crate::suppliers::{Probe, SupplierPlatform};

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

pub(crate) fn validate_name(name: &str) -> Result<String> {
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
    Disconnect { table: &'static str, id: i64, base_url: String, disconnected_at: Option<DateTime<Utc>> },
}

impl Undo {
    fn apply(&self, tx: &rusqlite::Transaction<'_>) -> Result<()> {
        match self {
            Undo::Remove { table, id } => tx.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [id])?,
            Undo::Repoint { table, id, base_url } => {
                tx.execute(&format!("UPDATE {table} SET base_url = ?2 WHERE id = ?1"), params![id, base_url])?
            }
            Undo::Disconnect { table: "store", id, base_url, disconnected_at } => tx.execute(
                "UPDATE store SET base_url = ?2, disconnected_at = ?3, paused = 1 WHERE id = ?1",
                params![id, base_url, disconnected_at],
            )?,
            Undo::Disconnect { table, id, base_url, disconnected_at } => tx.execute(
                &format!("UPDATE {table} SET base_url = ?2, disconnected_at = ?3 WHERE id = ?1"),
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
    type Existing = (i64, bool, Option<DateTime<Utc>>, String);
    let existing: Option<Existing> = tx
        .query_row(
            &format!("SELECT id, is_sandbox, disconnected_at, base_url FROM {table} WHERE name = ?1"),
            [name],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    match existing {
        Some((id, true, _, old_url)) if is_sandbox => {
            tx.execute(&format!("UPDATE {table} SET base_url = ?2 WHERE id = ?1"), params![id, base_url])?;
            Ok((id, Undo::Repoint { table, id, base_url: old_url }))
        }
        // An account the merchant disconnected comes back, with its orders (a supplier: its
        // sub-orders and ledger), on the same platform.
        Some((id, false, Some(at), old_url)) if !is_sandbox => {
            let revive = match table {
                "store" => {
                    "UPDATE store SET base_url = ?2, disconnected_at = NULL, paused = 0, consecutive_failures = 0
                            WHERE id = ?1 AND platform = ?3"
                }
                _ => "UPDATE supplier SET base_url = ?2, disconnected_at = NULL WHERE id = ?1 AND kind = ?3",
            };
            if tx.execute(revive, params![id, base_url, kind])? == 0 {
                return Err(CoreError::InvalidInput(format!(
                    "a {noun} named {name} was on another platform: choose another name"
                )));
            }
            Ok((id, Undo::Disconnect { table, id, base_url: old_url, disconnected_at: Some(at) }))
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

/// Connects a WooCommerce store: checks the URL and that the consumer key and secret are
/// accepted (one order is read), then stores the row and the keys in the keychain (both or
/// neither). Errors: a bad URL, empty keys, the store unreachable, keys refused.
pub async fn connect_woocommerce(
    ctx: &Ctx,
    name: &str,
    base_url: &str,
    consumer_key: &str,
    consumer_secret: &str,
) -> Result<StoreView> {
    connect_woocommerce_account(ctx, name, base_url, consumer_key, consumer_secret, false).await
}

/// [`connect_woocommerce`]; `is_sandbox` marks the embedded sandbox's demo store (its
/// port changes at every launch, and it is re-pointed then).
pub async fn connect_woocommerce_account(
    ctx: &Ctx,
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
        ctx.http.clone(),
        &base_url,
        credentials.clone(),
    ))
    .await?;
    let keys = serde_json::to_string(&credentials).expect("keys serialise");
    let id = keep_account(
        ctx,
        AccountTable::Store,
        &name,
        "woocommerce",
        &base_url,
        is_sandbox,
        |_, _| Ok(()),
        |id| vec![(secrets::store_token_key(id), Some(keys))],
    )?;
    ctx.stores.lock().expect("stores lock").remove(&id);
    crate::stores::integrations::store(ctx, id)
}

/// Keeps a store's renewed credentials in the keychain (a failure is logged: the token in
/// memory still works until the app restarts).
/// Points a sandbox store at the sandbox's new address (its port changes at every launch).
pub fn repoint_sandbox_store(ctx: &Ctx, store_id: i64, base_url: &str) -> Result<()> {
    ctx.db.write(|tx| {
        tx.execute("UPDATE store SET base_url = ?2 WHERE id = ?1 AND is_sandbox = 1", params![store_id, base_url])?;
        Ok(())
    })?;
    ctx.stores.lock().expect("stores lock").remove(&store_id);
    Ok(())
}

/// Writes an account's row (with `also`'s writes, in the same transaction) and then its
/// keychain entries (`entries(id)`: key and value, `None` to delete), both or neither, and no
/// keychain call inside the write transaction. If an entry cannot be kept, the entries
/// already written get their old values back and the row is taken back ([`Undo`]).
#[allow(clippy::too_many_arguments)]
fn keep_account(
    ctx: &Ctx,
    table: AccountTable,
    name: &str,
    kind: &str,
    base_url: &str,
    is_sandbox: bool,
    also: impl FnOnce(&rusqlite::Transaction<'_>, i64) -> Result<()>,
    entries: impl FnOnce(i64) -> Vec<(String, Option<String>)>,
) -> Result<i64> {
    let (id, undo) = ctx.db.write(|tx| {
        let (id, undo) = upsert_account(tx, table, name, kind, base_url, is_sandbox)?;
        also(tx, id)?;
        Ok((id, undo))
    })?;
    let mut written: Vec<(String, Option<String>)> = Vec::new();
    for (key, value) in entries(id) {
        let kept = ctx.secrets.get(&key).and_then(|previous| {
            match &value {
                Some(v) => ctx.secrets.set(&key, v)?,
                None => ctx.secrets.delete(&key)?,
            }
            Ok(previous)
        });
        match kept {
            Ok(previous) => written.push((key, previous)),
            Err(e) => {
                for (key, previous) in written {
                    let restored = match previous {
                        Some(p) => ctx.secrets.set(&key, &p),
                        None => ctx.secrets.delete(&key),
                    };
                    if let Err(e) = restored {
                        tracing::warn!(error = %e, "a keychain entry could not be put back");
                    }
                }
                ctx.db.write(|tx| undo.apply(tx))?;
                return Err(e);
            }
        }
    }
    Ok(id)
}

/// Stores a store's row and its credentials (both or neither), for connections whose
/// credentials were checked elsewhere (Etsy's OAuth flow).
pub(crate) fn keep_store_credentials(
    ctx: &Ctx,
    name: &str,
    platform: &str,
    base_url: &str,
    secret: &str,
    is_sandbox: bool,
) -> Result<StoreView> {
    let name = validate_name(name)?;
    let id = keep_account(
        ctx,
        AccountTable::Store,
        &name,
        platform,
        base_url,
        is_sandbox,
        |_, _| Ok(()),
        |id| vec![(secrets::store_token_key(id), Some(secret.to_owned()))],
    )?;
    ctx.stores.lock().expect("stores lock").remove(&id);
    crate::stores::integrations::store(ctx, id)
}

/// Connects a Shopify store through a Dev Dashboard app installed in it: the client id and
/// secret are exchanged for a token (client credentials grant), `shop { name }` is read with
/// it, then the store and the credentials (with the token, renewed before it ends) are kept.
/// Errors: a bad URL, empty credentials, credentials refused, the shop unreachable.
pub async fn connect_shopify_app(
    ctx: &Ctx,
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
        ctx.http.clone(),
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
    let id = keep_account(
        ctx,
        AccountTable::Store,
        &name,
        "shopify",
        &base_url,
        false,
        |tx, id| record_shop(tx, id, &shop),
        |id| vec![(secrets::store_token_key(id), Some(credentials))],
    )?;
    ctx.stores.lock().expect("stores lock").remove(&id);
    crate::stores::integrations::store(ctx, id)
}

/// Connects a Shopify store: checks the URL and that the token is accepted (`shop { name }`),
/// then stores the row and puts the token in the keychain (both or neither).
/// A store of the same name that `is_sandbox` is updated in place (the sandbox's port changes).
pub async fn connect_shopify(
    ctx: &Ctx,
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
    let probe = ShopifyClient::new(ctx.http.clone(), &base_url, token.trim().to_owned());
    let shop = probe.shop_info().await?;
    let id = keep_account(
        ctx,
        AccountTable::Store,
        &name,
        "shopify",
        &base_url,
        is_sandbox,
        |tx, id| record_shop(tx, id, &shop),
        |id| vec![(secrets::store_token_key(id), Some(token.trim().to_owned()))],
    )?;
    ctx.stores.lock().expect("stores lock").remove(&id);
    crate::stores::integrations::store(ctx, id)
}

/// Connects a CJdropshipping account: checks the API key (`getAccessToken`), then stores the
/// row and the key in the keychain. A sandbox supplier of the same name is updated in place.
pub async fn connect_cj(
    ctx: &Ctx,
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
    let probe = Probe::new(ctx, SupplierPlatform::Cj, &base_url, api_key.trim(), None, 1);
    probe.connector.verify().await?;
    // CJ allows getAccessToken once per 5 minutes: keep the probe's token for the real client.
    let probe_token = probe.issued_token()?;
    let id = keep_account(
        ctx,
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
    connected_supplier(ctx, id)
}

/// The supplier just connected, as listed; its cached connector is dropped so the next call
/// uses the new credentials.
fn connected_supplier(ctx: &Ctx, id: i64) -> Result<SupplierView> {
    ctx.suppliers.lock().expect("suppliers lock").remove(&id);
    crate::suppliers::supplier(ctx, id)
}

/// Connects a Printful account (API v2): checks the private token with one authenticated read
/// (`GET /v2/oauth-scopes`, with `X-PF-Store-Id` when the token spans several stores and
/// `store_id` names one), then stores the row (platform `printful`, 2 requests a second:
/// Printful's documented 120 a minute) and the token in the keychain, both or neither.
/// Errors: an empty token, a store id that is not a number, a refused token (`Auth`).
pub async fn connect_printful(
    ctx: &Ctx,
    name: &str,
    base_url: &str,
    token: &str,
    store_id: Option<&str>,
    is_sandbox: bool,
) -> Result<SupplierView> {
    let name = validate_name(name)?;
    let base_url = validate_base_url(base_url)?;
    let token = token.trim();
    if token.is_empty() {
        return Err(CoreError::InvalidInput("the Printful token is empty".into()));
    }
    let store_id = store_id.map(str::trim).filter(|s| !s.is_empty());
    if store_id.is_some_and(|s| !s.bytes().all(|b| b.is_ascii_digit())) {
        return Err(CoreError::InvalidInput("the Printful store id is a number".into()));
    }
    let per_minute = crate::suppliers::printful::DEFAULT_REQUESTS_PER_MINUTE;
    let probe =
        Probe::new(ctx, SupplierPlatform::Printful, &base_url, token, store_id.map(str::to_owned), per_minute / 60);
    probe.connector.verify().await?;
    let id = keep_account(
        ctx,
        AccountTable::Supplier,
        &name,
        crate::suppliers::SupplierPlatform::Printful.kind(),
        &base_url,
        is_sandbox,
        |tx, id| {
            tx.execute(
                "UPDATE supplier SET store_ref = ?2, requests_per_second = ?3 WHERE id = ?1",
                params![id, store_id, per_minute / 60],
            )?;
            Ok(())
        },
        |id| vec![(secrets::supplier_api_key_key(id), Some(token.to_owned()))],
    )?;
    connected_supplier(ctx, id)
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
