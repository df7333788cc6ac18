//! A sync run: one store, one window, every page upserted in its own transaction, ending with
//! the seed's summary line ("How to Sync Orders?", Step 4).

use crate::context::Ctx;
use chrono::{DateTime, Duration, Utc};
use rusqlite::Transaction;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::db::Db;
use crate::error::Result;
use crate::fulfillment::sub_order::SubOrderState;
use crate::memo::Memo;
use crate::model::{is_paid_status, Order, OrderStatus};
use crate::stores::queries;
use crate::stores::{StoreConnector, SyncWindow};

/// An order that could not be stored, with the reason shown to the merchant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct SyncFailure {
    /// The order's name (`#1001`) or, when unreadable, the store's id for it.
    pub reference: String,
    pub reason: String,
}

/// The outcome of a sync run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct SyncSummary {
    pub store_name: String,
    pub window_days: u32,
    /// When the run ended (UTC).
    pub finished_at: DateTime<Utc>,
    /// Orders new to Dropdock.
    pub additions: u32,
    /// Orders whose content changed at the store (a re-fetched, unchanged order is not counted).
    pub updates: u32,
    /// Orders that could not be parsed or stored, each with its reason.
    pub failures: Vec<SyncFailure>,
    /// Set when a page could not be fetched: the run stopped early, keeping what was stored.
    pub error: Option<String>,
    /// The seed's line: `Synchronize {date time} complete, Plan execution: Total additions X, To update Y, fail Z`
    /// (`partial` or `failed` in place of `complete` when a page could not be fetched).
    pub line: String,
    /// True when the run stopped because the store could not be reached (the network is the suspect).
    #[serde(skip)]
    #[ts(skip)]
    pub unreachable: bool,
    /// Orders the store cancelled after they reached their suppliers, and what came of it (see
    /// [`crate::orders::cancellation::follow_store_cancellations`]).
    pub cancelled_after_sending: Vec<crate::orders::cancellation::StoreCancelOutcome>,
    /// The merchant stopped the run ([`crate::stores::progress::cancel`]): what it stored is
    /// kept, the watermark did not move.
    pub cancelled: bool,
}

/// Formats the seed's summary line; the time is UTC, written `YYYY-MM-DD HH:MM:SS UTC`.
/// `outcome` is `complete`, `partial` / `failed` when a page could not be fetched, or
/// `cancelled` when the merchant stopped the run.
pub fn summary_line(
    finished_at: DateTime<Utc>,
    outcome: &str,
    additions: u32,
    updates: u32,
    failures: usize,
) -> String {
    format!(
        "Synchronize {} {outcome}, Plan execution: Total additions {additions}, To update {updates}, fail {failures}",
        finished_at.format("%Y-%m-%d %H:%M:%S UTC")
    )
}

/// What an upsert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upsert {
    Added,
    Updated,
    Unchanged,
}

/// The hash an order is compared by: an order counts as updated only when it changes.
pub(crate) fn content_hash(order: &Order) -> String {
    let bytes = serde_json::to_vec(order).expect("orders serialise");
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Inserts or updates one order with its address and line items, and its search index entry;
/// returns its local id. An order whose content hash is unchanged is left untouched.
pub fn upsert_order(tx: &Transaction<'_>, store_id: i64, order: &Order, now: DateTime<Utc>) -> Result<(i64, Upsert)> {
    Ok(upsert_page(tx, store_id, [order], now)?.remove(0))
}

/// A page of orders: each stored as [`upsert_order`] does, then the new ones indexed in one
/// statement (FTS5 flushes its pending terms at every statement savepoint, so indexing a page at
/// once, after the other writes, is several times cheaper than order by order).
pub fn upsert_page<'a>(
    tx: &Transaction<'_>,
    store_id: i64,
    orders: impl IntoIterator<Item = &'a Order>,
    now: DateTime<Utc>,
) -> Result<Vec<(i64, Upsert)>> {
    let memo = Memo::default();
    let mut outcomes = Vec::new();
    for order in orders {
        outcomes.push(store_order(tx, store_id, order, now, &memo)?);
    }
    for (id, outcome) in &outcomes {
        if *outcome == Upsert::Updated {
            crate::orders::search::reindex_order(tx, *id)?;
        }
    }
    let fresh: Vec<i64> = outcomes.iter().filter(|(_, o)| *o == Upsert::Added).map(|(id, _)| *id).collect();
    crate::orders::search::index_orders(tx, &fresh)?;
    Ok(outcomes)
}

/// Writes one order's rows (not its search index entry); see [`upsert_order`].
fn store_order(
    tx: &Transaction<'_>,
    store_id: i64,
    order: &Order,
    now: DateTime<Utc>,
    memo: &Memo,
) -> Result<(i64, Upsert)> {
    let hash = content_hash(order);
    // A new order has no sub-order yet: its status follows from what the store sent alone, and
    // is written with the row.
    let new_status = status_of(&order.financial_status, &order.fulfillment_status, &[]);
    let (order_id, outcome) = match queries::find_order(tx, store_id, &order.remote_id)? {
        Some((id, old_hash)) if old_hash == hash => return Ok((id, Upsert::Unchanged)),
        Some((id, _)) => {
            queries::update_order(tx, id, order, &hash, now)?;
            (id, Upsert::Updated)
        }
        None => (queries::insert_order(tx, store_id, order, new_status, &hash, now)?, Upsert::Added),
    };
    // A new order has nothing to replace: its old address, line items and index entry are skipped.
    let fresh = outcome == Upsert::Added;
    if fresh {
        memo.record_inserted(order_id);
    }
    if !fresh {
        queries::delete_address(tx, order_id)?;
    }
    if let Some(a) = &order.shipping_address {
        queries::insert_address(tx, order_id, a)?;
    }
    // Line items keep their local ids (sub-orders point at them); removed lines drop to quantity 0.
    if !fresh {
        queries::zero_line_items(tx, order_id)?;
    }
    for (position, item) in order.line_items.iter().enumerate() {
        queries::upsert_line_item(tx, order_id, position as i64, item)?;
    }
    if fresh {
        refresh_derived(tx, order_id, new_status, memo)?;
    } else {
        refresh_order_status_with(tx, order_id, memo)?;
    }
    Ok((order_id, outcome))
}

/// Recomputes the Order-page status of one order from the store's state and its sub-orders,
/// then its hold and its profit.
pub fn refresh_order_status(tx: &Transaction<'_>, order_id: i64) -> Result<OrderStatus> {
    refresh_order_status_with(tx, order_id, &Memo::default())
}

/// [`refresh_order_status`], reading what every order of the write reads alike through `memo`.
pub fn refresh_order_status_with(tx: &Transaction<'_>, order_id: i64, memo: &Memo) -> Result<OrderStatus> {
    let (financial, store_fulfillment) = queries::store_statuses(tx, order_id)?;
    let subs = queries::active_sub_orders(tx, order_id)?;
    let status = status_of(&financial, &store_fulfillment, &subs);
    queries::set_status(tx, order_id, status)?;
    refresh_derived(tx, order_id, status, memo)?;
    Ok(status)
}

/// The hold and the profit of an order whose status is `status`.
fn refresh_derived(tx: &Transaction<'_>, order_id: i64, status: OrderStatus, memo: &Memo) -> Result<()> {
    crate::fulfillment::refresh_hold_with(tx, order_id, status, memo)?;
    crate::orders::profit::refresh_with(tx, order_id, memo)
}

/// The Order-page status from the store's financial and fulfillment status and the order's
/// active sub-orders as `(state, has a shipment, shipment pushed to the store)`.
fn status_of(financial: &str, store_fulfillment: &str, subs: &[(SubOrderState, bool, bool)]) -> OrderStatus {
    if !subs.is_empty() && subs.iter().all(|s| s.2 && s.0 == SubOrderState::Delivered) {
        OrderStatus::Delivered
    } else if store_fulfillment == "FULFILLED" || (!subs.is_empty() && subs.iter().all(|s| s.2)) {
        OrderStatus::Fulfilled
    } else if subs.iter().any(|s| s.0 == SubOrderState::Failed) {
        OrderStatus::Failed
    } else if subs.iter().any(|s| s.2) {
        // The store has some sub-orders' tracking, not all yet.
        OrderStatus::PartiallyFulfilled
    } else if !subs.is_empty() && subs.iter().all(|s| s.1) {
        OrderStatus::Shipped
    } else if !subs.is_empty() {
        OrderStatus::Processing
    } else if !is_paid_status(financial) {
        OrderStatus::AwaitingPayment
    } else {
        OrderStatus::ToOrder
    }
}

/// How a run reads its pages: how many attempts per page, the first backoff delay, the longest
/// wait a store may ask for within a run, and the time one page may take, retries included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub attempts: usize,
    pub first_delay: std::time::Duration,
    /// A `Retry-After` longer than this is not waited out: the run ends `partial` and the store
    /// is left alone until then ("the store asked to wait N minutes; next try at HH:MM").
    pub max_server_wait: std::time::Duration,
    /// The most one page may take, every attempt and wait included; past it the run ends with a
    /// timeout (a server trickling its reply a byte at a time cannot hold a run).
    pub page_bound: std::time::Duration,
}

impl Default for RetryPolicy {
    /// 4 attempts per page, waiting about 1 s, 2 s, 4 s (or what `Retry-After` says, up to
    /// 60 s); 75 s at most per page.
    fn default() -> Self {
        RetryPolicy {
            attempts: 4,
            first_delay: std::time::Duration::from_secs(1),
            max_server_wait: std::time::Duration::from_secs(60),
            page_bound: std::time::Duration::from_secs(75),
        }
    }
}

/// The incremental cursor of a store: the newest `(updated_at, remote id)` a clean run stored.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Watermark {
    pub updated_at: DateTime<Utc>,
    pub remote_id: String,
}

/// How far before the watermark a background run starts (the store's clock and its index may
/// lag a little; orders fetched twice are unchanged and not counted).
pub const WATERMARK_OVERLAP: Duration = Duration::minutes(5);

/// What a run covers.
#[derive(Debug, Clone, Copy)]
pub struct RunWindow {
    /// Orders updated at or after this instant (UTC).
    pub updated_since: DateTime<Utc>,
    /// The window as the summary reports it, in days (0: "since the last sync").
    pub window_days: u32,
    pub retry: RetryPolicy,
}

/// Syncs `store_id` for orders updated since `window.updated_since`, page by page.
///
/// Each page is stored in one transaction; a rejected order is counted in `fail` with its reason
/// and never spoils its page. A page is read again after a 429, a 5xx, a timeout or a reply cut
/// short ([`RetryPolicy`]); a page that still cannot be read ends the run early as `partial` (or
/// `failed`) with `error` set, keeping everything stored so far. The run and its failures are
/// recorded in `sync_run`. A complete run whose window reaches back to the store's watermark (or
/// that has none yet) moves the watermark to the newest order it saw; any other outcome leaves
/// it, so no order is ever skipped. Runs that are not complete count in `consecutive_failures`.
///
/// `control` receives the progress after every page, and its cancel stops the run before the
/// next page: the run ends `partial` with "cancelled by you", is not counted as a failure, and
/// leaves the watermark where it was.
pub async fn run_sync_window(
    db: &Db,
    connector: &dyn StoreConnector,
    store_id: i64,
    window: RunWindow,
    now: DateTime<Utc>,
    control: &crate::stores::progress::SyncControl,
) -> Result<SyncSummary> {
    let store_name = db.read(|c| queries::store_name(c, store_id))?;
    let run_id = db.write(|tx| queries::start_run(tx, store_id, window.window_days, now))?;
    let range = SyncWindow { updated_since: window.updated_since };
    let (mut additions, mut updates, mut failures, mut error) = (0u32, 0u32, Vec::new(), None);
    let mut unreachable = false;
    let mut retry_not_before: Option<DateTime<Utc>> = None;
    let mut newest: Option<Watermark> = None;
    let mut cursor: Option<String> = None;
    let mut cancelled = false;
    loop {
        if control.is_cancelled() {
            cancelled = true;
            error = Some("cancelled by you; what was read so far is kept".into());
            break;
        }
        let read = crate::stores::read_page_bounded(&window.retry, &store_name, || {
            connector.orders_page(&range, cursor.as_deref())
        })
        .await;
        let page = match read {
            Ok(page) => page,
            Err(e) => {
                unreachable = e.is_unreachable();
                error = Some(match e.asked_wait().filter(|w| *w > window.retry.max_server_wait) {
                    Some(wait) => {
                        let until =
                            Utc::now() + Duration::from_std(wait).unwrap_or(Duration::days(1)).min(Duration::days(1));
                        retry_not_before = Some(until);
                        format!(
                            "the store asked to wait {} minutes; next try at {}",
                            wait.as_secs().div_ceil(60),
                            until.format("%H:%M UTC")
                        )
                    }
                    None => e.to_string(),
                });
                break;
            }
        };
        // Within a page the last version of an order wins (a store listing one id twice).
        let mut readable: Vec<&Order> = Vec::with_capacity(page.orders.len());
        let mut at: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for entry in &page.orders {
            match entry {
                Ok(order) => {
                    let seen = Watermark { updated_at: order.updated_at, remote_id: order.remote_id.clone() };
                    if newest.as_ref().is_none_or(|n| seen > *n) {
                        newest = Some(seen);
                    }
                    match at.get(order.remote_id.as_str()) {
                        Some(&i) => readable[i] = order,
                        None => {
                            at.insert(&order.remote_id, readable.len());
                            readable.push(order);
                        }
                    }
                }
                Err(rejected) => {
                    tracing::warn!(store = %store_name, reference = %rejected.reference, reason = %rejected.reason, "order rejected");
                    failures
                        .push(SyncFailure { reference: rejected.reference.clone(), reason: rejected.reason.clone() });
                }
            }
        }
        let stored = db.write(|tx| upsert_page(tx, store_id, readable.iter().copied(), Utc::now()));
        match stored {
            Ok(outcomes) => {
                for (_, outcome) in outcomes {
                    match outcome {
                        Upsert::Added => additions += 1,
                        Upsert::Updated => updates += 1,
                        Upsert::Unchanged => {}
                    }
                }
                control.page_done(
                    page.orders.len() as u32,
                    (additions, updates, failures.len() as u32),
                    newest.as_ref().map(|n| n.updated_at),
                    Utc::now(),
                );
            }
            Err(e) => {
                // The page is not stored (a full disk, a broken database): the run ends, recorded.
                tracing::error!(store = %store_name, error = %e, "a page could not be stored");
                error = Some(format!("a page could not be stored: {e}"));
                break;
            }
        }
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    let finished_at = Utc::now();
    let status = match (&error, additions + updates) {
        (None, _) => "complete",
        (Some(_), _) if cancelled => "partial",
        (Some(_), _) if retry_not_before.is_some() => "partial",
        (Some(_), 0) if cursor.is_none() => "failed",
        _ => "partial",
    };
    let recorded = db.write(|tx| {
        let end = queries::RunEnd {
            finished_at,
            additions,
            updates,
            failures: &failures,
            status,
            error: error.as_deref(),
            retry_not_before,
            cancelled,
        };
        queries::finish_run(tx, run_id, store_id, &end)?;
        if status == "complete" {
            let current = queries::watermark(tx, store_id)?;
            if current.as_ref().is_none_or(|w| window.updated_since <= w.updated_at) {
                if let Some(seen) = newest.filter(|n| current.as_ref().is_none_or(|w| n > w)) {
                    queries::move_watermark(tx, store_id, &seen)?;
                }
                queries::mark_clean(tx, store_id, now)?;
            }
        }
        Ok(())
    });
    if let Err(e) = recorded {
        // The full record could not be written (its failures may be what filled the disk): the
        // run's outcome is still written, alone, so no run stays `running`.
        tracing::error!(store = %store_name, error = %e, "the sync record could not be written");
        db.write(|tx| {
            let error = error.clone().unwrap_or_else(|| e.to_string());
            queries::fail_run(tx, run_id, store_id, finished_at, &error)
        })?;
        return Err(e);
    }
    let line =
        summary_line(finished_at, if cancelled { "cancelled" } else { status }, additions, updates, failures.len());
    tracing::info!(store = %store_name, %line, "sync finished");
    Ok(SyncSummary {
        store_name,
        window_days: window.window_days,
        finished_at,
        additions,
        updates,
        failures,
        error,
        line,
        unreachable,
        cancelled_after_sending: Vec::new(),
        cancelled,
    })
}

/// A store's watermark, if a clean run set one.
pub fn load_watermark(conn: &rusqlite::Connection, store_id: i64) -> Result<Option<Watermark>> {
    queries::watermark(conn, store_id)
}

/// "Sync Order": one store, a window of 7, 14, 30 or 60 days.
pub async fn sync(ctx: &Ctx, store_id: i64, days: u32) -> Result<SyncSummary> {
    let days = crate::model::SyncWindowDays::new(days)?;
    let connector = ctx.store_connector(store_id)?;
    let now = Utc::now();
    let window = RunWindow {
        updated_since: now - chrono::Duration::days(days.days() as i64),
        window_days: days.days(),
        retry: crate::stores::integrations::retry_policy(),
    };
    run_registered(ctx, connector.as_ref(), store_id, window, now).await
}

/// One run of the store as Sync Order and the background loop make it: registered with its
/// progress ([`crate::stores::progress`]; a second run of the store is refused) for as long as
/// it reads, its outcome observed for the network state; an unreachable store marks the app
/// offline, else the store's cancellations of sent orders are followed.
pub(crate) async fn run_registered(
    ctx: &Ctx,
    connector: &dyn StoreConnector,
    store_id: i64,
    window: RunWindow,
    now: DateTime<Utc>,
) -> Result<SyncSummary> {
    let store_name = ctx.db.read(|c| queries::store_name(c, store_id))?;
    let control =
        crate::stores::progress::SyncControl::new(store_id, &store_name, window.window_days, window.updated_since, now);
    let run = crate::stores::progress::register(ctx, control)?;
    let read = run_sync_window(&ctx.db, connector, store_id, window, now, &run.control).await;
    drop(run);
    let mut summary = ctx.observe(read)?;
    if summary.unreachable {
        ctx.network.set_online(false);
    } else {
        summary.cancelled_after_sending = crate::orders::cancellation::follow_store_cancellations(ctx).await?;
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn summary_line_is_the_seed_wording() {
        let t = Utc.with_ymd_and_hms(2026, 11, 22, 9, 5, 7).unwrap();
        assert_eq!(
            summary_line(t, "complete", 12, 3, 1),
            "Synchronize 2026-11-22 09:05:07 UTC complete, Plan execution: Total additions 12, To update 3, fail 1"
        );
    }
}
