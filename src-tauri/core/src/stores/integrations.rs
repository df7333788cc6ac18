//! Store → Integrations: test, pause, resume, re-key and disconnect a connected store, and the
//! background sync that keeps every store current.
//!
//! Background sync: each store that is connected and not paused syncs on launch and then every
//! `sync_interval_minutes` (default 10). A run reads the orders updated since the store's
//! watermark less [`WATERMARK_OVERLAP`] (or the last 60 days the first time: Shopify's limit
//! without `read_all_orders`), and moves the watermark only after a clean run (see
//! [`crate::stores::sync::run_sync_window`]). Several stores sync at once, each through its own client
//! and so within its own platform's limits. A run that is not complete counts as a failure in a
//! row; the third in a row is reported (`BackgroundSync::alert`) so the shell can notify: a sync
//! that dies silently is what merchants hate most about the peers.

use chrono::{DateTime, Duration, Utc};
use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

use crate::context::Ctx;
use crate::error::{CoreError, Result};
use crate::orders::views::StoreView;
use crate::stores::sync::{RetryPolicy, RunWindow, SyncSummary, WATERMARK_OVERLAP};

/// The first background run of a store reaches back this far (Shopify's 60-day limit).
pub const FIRST_RUN_DAYS: i64 = 60;
/// Failures in a row that raise an alert.
pub const ALERT_AFTER_FAILURES: u32 = 3;
/// A Shopify store whose last clean sync is older than this is warned about: past 60 days,
/// orders fall out of what Shopify lets an app read.
pub const SHOPIFY_STALE_AFTER_DAYS: i64 = 50;

/// New credentials for a connected store (Integrations → Edit).
#[derive(Debug, Clone, serde::Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum StoreCredentialsInput {
    WooCommerce { consumer_key: String, consumer_secret: String },
    ShopifyToken { token: String },
}

/// What one background run of one store did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct BackgroundSync {
    #[ts(type = "number")]
    pub store_id: i64,
    pub summary: SyncSummary,
    /// Set when this run made it `ALERT_AFTER_FAILURES` failed runs in a row: the message to show.
    pub alert: Option<String>,
}

/// Every connected store.
pub fn stores(ctx: &Ctx) -> Result<Vec<StoreView>> {
    ctx.db.read(crate::orders::views::list_stores)
}

pub fn store(ctx: &Ctx, id: i64) -> Result<StoreView> {
    stores(ctx)?.into_iter().find(|s| s.id == id).ok_or_else(|| CoreError::NotFound(format!("store {id} not found")))
}

/// Finds a store by its name (case-insensitive).
pub fn store_by_name(ctx: &Ctx, name: &str) -> Result<StoreView> {
    let stores = stores(ctx)?;
    let known = stores.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", ");
    stores.iter().find(|s| s.name.eq_ignore_ascii_case(name.trim())).cloned().ok_or_else(|| {
        CoreError::NotFound(format!(
            "no store named '{name}' (connected: {})",
            if known.is_empty() { "none" } else { &known }
        ))
    })
}

/// "Test connection": one authenticated read with the stored credentials, through a fresh
/// client. Errors: credentials refused (reconnect), store unreachable, keys missing.
pub async fn test_store_connection(ctx: &Ctx, store_id: i64) -> Result<()> {
    ctx.stores.lock().expect("stores lock").remove(&store_id);
    let connector = ctx.store_connector(store_id)?;
    ctx.observe(connector.verify().await.map_err(CoreError::from))
}

/// Pauses or resumes a store's background sync (Sync Order by hand still works).
pub fn set_store_paused(ctx: &Ctx, store_id: i64, paused: bool) -> Result<StoreView> {
    update_store(ctx, store_id, "paused = ?2", params![store_id, paused])
}

/// How often the store syncs in the background, 1 to 1440 minutes.
pub fn set_store_sync_interval(ctx: &Ctx, store_id: i64, minutes: u32) -> Result<StoreView> {
    if !(1..=1440).contains(&minutes) {
        return Err(CoreError::InvalidInput("the sync interval is 1 to 1440 minutes".into()));
    }
    update_store(ctx, store_id, "sync_interval_minutes = ?2", params![store_id, minutes])
}

/// Renames a store (Integrations → Edit). Errors: an empty or too long name, a name another
/// store has.
pub fn rename_store(ctx: &Ctx, store_id: i64, name: &str) -> Result<StoreView> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 || name.chars().any(char::is_control) {
        return Err(CoreError::InvalidInput("a name must be 1 to 80 printable characters".into()));
    }
    let taken = stores(ctx)?.iter().any(|s| s.id != store_id && s.name.eq_ignore_ascii_case(name));
    if taken {
        return Err(CoreError::InvalidInput(format!("a store named {name} is already connected")));
    }
    update_store(ctx, store_id, "name = ?2", params![store_id, name])
}

/// New credentials for a connected store (Integrations → Edit): checked with one read
/// against the store before they replace the old ones in the keychain. `credentials` is, by
/// platform: WooCommerce `consumer_key` + `consumer_secret`; Shopify `token`, or `client_id`
/// + `client_secret`. Errors: the wrong kind for the platform, credentials refused.
pub async fn update_store_credentials(
    ctx: &Ctx,
    store_id: i64,
    credentials: &StoreCredentialsInput,
) -> Result<StoreView> {
    let store = store(ctx, store_id)?;
    let secret = match (store.platform.as_str(), credentials) {
        ("woocommerce", StoreCredentialsInput::WooCommerce { consumer_key, consumer_secret }) => {
            let keys = crate::stores::woocommerce::WooCredentials {
                consumer_key: consumer_key.trim().to_owned(),
                consumer_secret: consumer_secret.trim().to_owned(),
            };
            let client =
                crate::stores::woocommerce::WooClient::new(ctx.http_client().clone(), &store.base_url, keys.clone());
            crate::stores::StoreConnector::verify(&client).await?;
            serde_json::to_string(&keys).expect("keys serialise")
        }
        ("shopify", StoreCredentialsInput::ShopifyToken { token }) => {
            let client = crate::stores::shopify::ShopifyClient::new(
                ctx.http_client().clone(),
                &store.base_url,
                token.trim().to_owned(),
            );
            crate::stores::StoreConnector::verify(&client).await?;
            token.trim().to_owned()
        }
        (platform, _) => {
            return Err(CoreError::InvalidInput(format!(
                "these are not credentials a {platform} store takes; for Etsy, connect again to allow access"
            )))
        }
    };
    ctx.secrets().set(&crate::secrets::store_token_key(store_id), &secret)?;
    ctx.stores.lock().expect("stores lock").remove(&store_id);
    update_store(ctx, store_id, "consecutive_failures = 0, last_sync_error = NULL", params![store_id])
}

/// Disconnects a store: its credentials leave the keychain and background sync stops. Its
/// orders stay (sub-orders, the ledger and invoices point at them); connecting a store of the
/// same name later revives it.
pub fn disconnect_store(ctx: &Ctx, store_id: i64) -> Result<StoreView> {
    let store = store(ctx, store_id)?;
    if store.is_sandbox {
        return Err(CoreError::InvalidInput(
            "the demo store comes with the sandbox; connect your own store and the demo steps aside".into(),
        ));
    }
    ctx.secrets().delete(&crate::secrets::store_token_key(store_id))?;
    ctx.stores.lock().expect("stores lock").remove(&store_id);
    update_store(ctx, store_id, "disconnected_at = ?2, paused = 1", params![store_id, Utc::now()])
}

fn update_store(ctx: &Ctx, store_id: i64, set: &str, values: impl rusqlite::Params) -> Result<StoreView> {
    let changed = ctx.db.write(|tx| Ok(tx.execute(&format!("UPDATE store SET {set} WHERE id = ?1"), values)?))?;
    if changed == 0 {
        return Err(CoreError::NotFound(format!("store {store_id} not found")));
    }
    store(ctx, store_id)
}

/// One background run of a store at `now`: since the watermark less the overlap, or the last
/// 60 days the first time. See the module doc.
pub async fn sync_store_in_background(ctx: &Ctx, store_id: i64, now: DateTime<Utc>) -> Result<BackgroundSync> {
    let watermark = ctx.db.read(|c| crate::stores::sync::load_watermark(c, store_id))?;
    let floor = now - Duration::days(FIRST_RUN_DAYS);
    let updated_since = watermark.map(|w| w.updated_at - WATERMARK_OVERLAP).unwrap_or(floor).max(floor);
    let connector = ctx.store_connector(store_id)?;
    let window = RunWindow { updated_since, window_days: 0, retry: retry_policy() };
    let summary = crate::stores::sync::run_registered(ctx, connector.as_ref(), store_id, window, now).await?;
    let failures: u32 = ctx
        .db
        .read(|c| Ok(c.query_row("SELECT consecutive_failures FROM store WHERE id = ?1", [store_id], |r| r.get(0))?))?;
    let alert = (summary.error.is_some() && failures == ALERT_AFTER_FAILURES).then(|| {
        format!(
            "{}: the last {ALERT_AFTER_FAILURES} syncs failed ({}). Open Store → Integrations.",
            summary.store_name,
            summary.error.clone().unwrap_or_default()
        )
    });
    Ok(BackgroundSync { store_id, summary, alert })
}

/// The stores due for a background run at `now`: connected, not paused, not a CSV import,
/// and never synced or last synced at least their interval ago. A demo store waits for its
/// first Sync Order by hand: the demo walks the merchant through the seed's flow.
pub fn stores_due(ctx: &Ctx, now: DateTime<Utc>) -> Result<Vec<i64>> {
    type Candidate = (i64, Option<DateTime<Utc>>, i64, Option<DateTime<Utc>>);
    let candidates: Vec<Candidate> = ctx.db.read(|c| {
        Ok(c.prepare_cached(
            "SELECT id, last_sync_at, sync_interval_minutes, retry_not_before FROM store
             WHERE paused = 0 AND disconnected_at IS NULL AND platform <> 'csv'
               AND NOT (is_sandbox = 1 AND last_sync_at IS NULL)",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?)
    })?;
    // A store that asked to be left alone until some time is not due before it.
    Ok(candidates
        .into_iter()
        .filter(|(_, last, minutes, not_before)| {
            last.is_none_or(|at| now - at >= Duration::minutes(*minutes)) && not_before.is_none_or(|t| now >= t)
        })
        .map(|(id, ..)| id)
        .collect())
}

/// Runs every due store at once (each within its own platform's limits) and returns what
/// each did; a store whose run could not even start is reported as an error in its place.
pub async fn sync_due_stores(ctx: &Ctx, now: DateTime<Utc>) -> Result<Vec<Result<BackgroundSync>>> {
    let due = stores_due(ctx, now)?;
    let runs = due.into_iter().map(|id| sync_store_in_background(ctx, id, now));
    Ok(futures_util::future::join_all(runs).await)
}

/// The retry policy of page reads: the default, or `DROPDOCK_RETRY_DELAY_MS` for tests and
/// the fault-injection bench.
pub fn retry_policy() -> RetryPolicy {
    let mut policy = RetryPolicy::default();
    if let Some(ms) = std::env::var("DROPDOCK_RETRY_DELAY_MS").ok().and_then(|v| v.parse().ok()) {
        policy.first_delay = std::time::Duration::from_millis(ms);
    }
    policy
}
