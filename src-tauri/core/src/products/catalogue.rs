//! Catalogue sync: the store's products and variants read into `store_variant`, beside order
//! sync (by hand with "Sync catalogue" / `products sync`, and in the background, less often).
//!
//! A run reads every page ([`StoreConnector::products_page`]), each stored in its own
//! transaction; a product that cannot be read fails alone, with its reason. Only a complete run
//! marks what it did not see as `removed` (a run cut short by a dead network removes nothing).
//! A platform whose catalogue is not read, and a CSV store, list the products their orders'
//! line items name instead (`source = 'order_lines'`). Every run ends recorded in
//! `catalogue_run`, as order sync runs do in `sync_run`.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::context::Ctx;
use crate::error::Result;
use crate::products::queries;
use crate::stores::sync::SyncFailure;
use crate::stores::{CatalogueProduct, StoreConnector};

/// The outcome of a catalogue sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct CatalogueSummary {
    pub store_name: String,
    /// When the run ended (UTC).
    pub finished_at: DateTime<Utc>,
    /// Products and variants read (new or not).
    pub products: u32,
    pub variants: u32,
    /// Variants the store no longer lists (marked `removed`; only after a complete run).
    pub removed: u32,
    /// Products that could not be read, each with its reason.
    pub failures: Vec<SyncFailure>,
    /// Set when a page could not be fetched or stored: the run stopped early, keeping what was
    /// stored.
    pub error: Option<String>,
    /// True when the products come from the store's order lines (CSV stores; platforms whose
    /// catalogue Dropdock does not read yet).
    pub from_order_lines: bool,
    /// `Catalogue {time} complete, products X, variants Y, removed Z, fail F` (`partial` or
    /// `failed` in place of `complete`), the line the CLI prints.
    pub line: String,
}

/// Formats the summary line; the time is UTC, written `YYYY-MM-DD HH:MM:SS UTC`.
pub fn summary_line(
    finished_at: DateTime<Utc>,
    outcome: &str,
    products: u32,
    variants: u32,
    removed: u32,
    failures: usize,
) -> String {
    format!(
        "Catalogue {} {outcome}, products {products}, variants {variants}, removed {removed}, fail {failures}",
        finished_at.format("%Y-%m-%d %H:%M:%S UTC")
    )
}

/// Syncs the catalogue of `store_id` (see the module). Errors: an unknown store, missing
/// credentials, or a database that cannot record the run; a store that cannot be read ends the
/// run `partial`/`failed` with `error` set instead.
pub async fn sync_catalogue(ctx: &Ctx, store_id: i64) -> Result<CatalogueSummary> {
    let store = crate::stores::integrations::store(ctx, store_id)?;
    let connector = if store.platform == "csv" { None } else { Some(ctx.store_connector(store_id)?) };
    let summary = run_catalogue_sync(ctx, store_id, &store.name, connector.as_deref()).await;
    ctx.observe(summary)
}

/// One run against `connector` (`None`: from the order lines).
pub async fn run_catalogue_sync(
    ctx: &Ctx,
    store_id: i64,
    store_name: &str,
    connector: Option<&dyn StoreConnector>,
) -> Result<CatalogueSummary> {
    let started = Utc::now();
    let stamp = started.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let run_id = ctx.db.write(|tx| queries::start_catalogue_run(tx, store_id, started))?;
    let (mut products, mut variants, mut removed) = (0u32, 0u32, 0u32);
    let (mut failures, mut error, mut from_order_lines) = (Vec::new(), None, connector.is_none());
    let policy = crate::stores::integrations::retry_policy();
    let mut cursor: Option<String> = None;
    if let Some(connector) = connector {
        loop {
            let read =
                crate::stores::read_page_bounded(&policy, store_name, || connector.products_page(cursor.as_deref()))
                    .await;
            let page = match read {
                Ok(Some(page)) => page,
                Ok(None) => {
                    from_order_lines = true;
                    break;
                }
                Err(e) => {
                    if e.is_unreachable() {
                        ctx.network.set_online(false);
                    }
                    error = Some(e.to_string());
                    break;
                }
            };
            let mut readable: Vec<&CatalogueProduct> = Vec::with_capacity(page.products.len());
            for entry in &page.products {
                match entry {
                    Ok(product) => readable.push(product),
                    Err(rejected) => {
                        tracing::warn!(store = %store_name, reference = %rejected.reference, reason = %rejected.reason, "product rejected");
                        failures.push(SyncFailure {
                            reference: rejected.reference.clone(),
                            reason: rejected.reason.clone(),
                        });
                    }
                }
            }
            let stored = ctx.db.write(|tx| {
                for product in &readable {
                    queries::upsert_catalogue_product(tx, store_id, product, &stamp)?;
                }
                Ok(())
            });
            if let Err(e) = stored {
                tracing::error!(store = %store_name, error = %e, "a catalogue page could not be stored");
                error = Some(format!("a page could not be stored: {e}"));
                break;
            }
            products += readable.len() as u32;
            variants += readable.iter().map(|p| p.variants.len() as u32).sum::<u32>();
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
    }
    if from_order_lines && error.is_none() {
        match ctx.db.write(|tx| queries::catalogue_from_order_lines(tx, store_id, &stamp)) {
            Ok((p, v)) => (products, variants) = (p, v),
            Err(e) => error = Some(format!("the products could not be stored: {e}")),
        }
    }
    let finished_at = Utc::now();
    let status = match &error {
        None => "complete",
        Some(_) if products == 0 && cursor.is_none() => "failed",
        Some(_) => "partial",
    };
    let recorded = ctx.db.write(|tx| {
        if status == "complete" {
            let source = if from_order_lines { "order_lines" } else { "catalogue" };
            removed = queries::mark_unseen_removed(tx, store_id, source, &stamp)?;
        }
        queries::finish_catalogue_run(
            tx,
            run_id,
            finished_at,
            [products, variants, removed, failures.len() as u32],
            status,
            error.as_deref(),
        )
    });
    if let Err(e) = recorded {
        tracing::error!(store = %store_name, error = %e, "the catalogue run could not be recorded");
        ctx.db.write(|tx| {
            queries::finish_catalogue_run(
                tx,
                run_id,
                finished_at,
                [products, variants, 0, 0],
                "failed",
                Some(&e.to_string()),
            )
        })?;
        return Err(e);
    }
    let line = summary_line(finished_at, status, products, variants, removed, failures.len());
    tracing::info!(store = %store_name, %line, "catalogue sync finished");
    Ok(CatalogueSummary {
        store_name: store_name.to_owned(),
        finished_at,
        products,
        variants,
        removed,
        failures,
        error,
        from_order_lines,
        line,
    })
}

/// A store's latest catalogue run, as recorded (`running` while one is under way).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct CatalogueRun {
    #[ts(type = "number")]
    pub store_id: i64,
    pub store_name: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// `running`, `complete`, `partial` or `failed`.
    pub status: String,
    pub products: u32,
    pub variants: u32,
    pub removed: u32,
    pub failures: u32,
    pub error: Option<String>,
}

/// Each store's latest catalogue run (stores never synced are left out).
pub fn last_runs(ctx: &Ctx) -> Result<Vec<CatalogueRun>> {
    ctx.db.read(queries::last_catalogue_runs)
}

/// How often the background re-reads a store's catalogue: products change far less often than
/// orders, and a full read of a large Shopify catalogue spends minutes of its query budget.
pub const CATALOGUE_INTERVAL: chrono::Duration = chrono::Duration::hours(6);

/// The stores whose catalogue is due at `now`: connected, not paused, and never read or last
/// read [`CATALOGUE_INTERVAL`] ago; a demo store after its first Sync Order (as order sync).
pub fn catalogues_due(ctx: &Ctx, now: DateTime<Utc>) -> Result<Vec<i64>> {
    let since = now - CATALOGUE_INTERVAL;
    ctx.db.read(|c| {
        Ok(c.prepare_cached(
            "SELECT st.id FROM store st
             WHERE st.paused = 0 AND st.disconnected_at IS NULL AND NOT (st.is_sandbox = 1 AND st.last_sync_at IS NULL)
               AND NOT EXISTS (SELECT 1 FROM catalogue_run r WHERE r.store_id = st.id AND r.started_at > ?1)
             ORDER BY st.id",
        )?
        .query_map([since], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
    })
}

/// Syncs every due catalogue, one store after another (the background's cheaper pace), and
/// returns what each did; a store whose run could not start is an error in its place.
pub async fn sync_due_catalogues(ctx: &Ctx, now: DateTime<Utc>) -> Result<Vec<Result<CatalogueSummary>>> {
    let mut runs = Vec::new();
    for store_id in catalogues_due(ctx, now)? {
        runs.push(sync_catalogue(ctx, store_id).await);
    }
    Ok(runs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_summary_line_names_each_count() {
        let t = Utc.with_ymd_and_hms(2026, 12, 2, 9, 5, 7).unwrap();
        assert_eq!(
            summary_line(t, "partial", 12, 30, 2, 1),
            "Catalogue 2026-12-02 09:05:07 UTC partial, products 12, variants 30, removed 2, fail 1"
        );
    }
}
