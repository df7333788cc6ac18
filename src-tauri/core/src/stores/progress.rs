//! A running sync's live progress, and how the merchant stops it (issue 19: "long syncs show
//! it"). Sync Order, Integrations and `dropdock-cli sync` read [`SyncProgress`] while a run
//! goes; [`cancel`] asks the run to stop before its next page. A stopped run keeps every page it
//! stored, ends recorded (`partial`, "cancelled by you"), does not count as a failed run, and
//! never moves the store's watermark, so the next run reads what this one did not.
//!
//! One run per store at a time: a second Sync Order while one runs is refused.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::context::Ctx;
use crate::error::{CoreError, Result};

/// What a running sync has done so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SyncProgress {
    #[ts(type = "number")]
    pub store_id: i64,
    pub store_name: String,
    /// The window in days (0: a background run since the watermark).
    pub window_days: u32,
    /// When the run started (UTC).
    pub started_at: DateTime<Utc>,
    /// Pages read and stored so far.
    pub pages: u32,
    /// Orders read so far (stored, unchanged or rejected).
    pub orders: u32,
    pub additions: u32,
    pub updates: u32,
    pub failures: u32,
    /// How far through the window the run is, 0 to 1000 (per mille): the newest update time
    /// read so far between the window's start and the run's start. Shopify (`sortKey:
    /// UPDATED_AT`) and Etsy (`sort_on=updated`) list oldest update first, so it is exact there;
    /// WooCommerce lists by creation date, so there it is an estimate. `None` before the first
    /// page.
    pub done_permille: Option<u32>,
    /// Seconds left at the pace so far (pages come as fast as the store's rate limit lets
    /// them), `None` until a tenth of the window is read.
    pub seconds_left: Option<u32>,
    /// The merchant asked the run to stop; it stops before its next page.
    pub cancelling: bool,
}

/// One run's shared state: its progress and its stop flag.
#[derive(Debug)]
pub struct SyncControl {
    cancel: AtomicBool,
    progress: Mutex<SyncProgress>,
    since: DateTime<Utc>,
}

impl SyncControl {
    /// A control for a run of `store_name` over orders updated since `since` (UTC).
    pub fn new(store_id: i64, store_name: &str, window_days: u32, since: DateTime<Utc>, now: DateTime<Utc>) -> Self {
        SyncControl {
            cancel: AtomicBool::new(false),
            since,
            progress: Mutex::new(SyncProgress {
                store_id,
                store_name: store_name.to_owned(),
                window_days,
                started_at: now,
                pages: 0,
                orders: 0,
                additions: 0,
                updates: 0,
                failures: 0,
                done_permille: None,
                seconds_left: None,
                cancelling: false,
            }),
        }
    }

    /// Asks the run to stop before its next page.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::SeqCst);
        self.lock().cancelling = true;
    }

    /// True once [`SyncControl::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }

    /// The progress now.
    pub fn progress(&self) -> SyncProgress {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, SyncProgress> {
        self.progress.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records one stored page: the orders it held, what came of them, and the newest update
    /// time read so far; works out how far the run is and the time left at `now`.
    pub(crate) fn page_done(
        &self,
        orders: u32,
        counts: (u32, u32, u32),
        newest: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) {
        let mut p = self.lock();
        p.pages += 1;
        p.orders += orders;
        p.additions = counts.0;
        p.updates = counts.1;
        p.failures = counts.2;
        let span = (p.started_at - self.since).num_seconds().max(1);
        if let Some(newest) = newest {
            let done = ((newest - self.since).num_seconds().clamp(0, span) * 1000 / span) as u32;
            p.done_permille = Some(done.max(p.done_permille.unwrap_or(0)));
        }
        let elapsed = (now - p.started_at).num_seconds().max(0) as u64;
        p.seconds_left = match p.done_permille {
            Some(done) if done >= 100 => Some((elapsed * u64::from(1000 - done) / u64::from(done)) as u32),
            _ => None,
        };
    }
}

/// The runs going on now, by store.
#[derive(Debug, Default)]
pub struct SyncRuns(Mutex<HashMap<i64, Arc<SyncControl>>>);

impl SyncRuns {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Arc<SyncControl>>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A registered run; dropping it takes the run off the list (however the run ended).
pub struct RunGuard<'a> {
    runs: &'a SyncRuns,
    store_id: i64,
    pub control: Arc<SyncControl>,
}

impl Drop for RunGuard<'_> {
    fn drop(&mut self) {
        self.runs.map().remove(&self.store_id);
    }
}

/// Registers a run of the store. Errors: `InvalidInput` when one is already running.
pub(crate) fn register<'a>(ctx: &'a Ctx, control: SyncControl) -> Result<RunGuard<'a>> {
    let store_id = control.progress().store_id;
    let mut map = ctx.sync_runs.map();
    if let Some(running) = map.get(&store_id) {
        return Err(CoreError::InvalidInput(format!(
            "a sync of {} is already running ({} orders so far)",
            running.progress().store_name,
            running.progress().orders
        )));
    }
    let control = Arc::new(control);
    map.insert(store_id, control.clone());
    Ok(RunGuard { runs: &ctx.sync_runs, store_id, control })
}

/// Every running sync's progress, by store id.
pub fn running(ctx: &Ctx) -> Vec<SyncProgress> {
    let mut all: Vec<SyncProgress> = ctx.sync_runs.map().values().map(|c| c.progress()).collect();
    all.sort_by_key(|p| p.store_id);
    all
}

/// Asks the store's running sync to stop before its next page; returns its progress then.
/// Errors: `NotFound` when no sync of that store is running.
pub fn cancel(ctx: &Ctx, store_id: i64) -> Result<SyncProgress> {
    let control = ctx.sync_runs.map().get(&store_id).cloned();
    let control = control.ok_or_else(|| CoreError::NotFound(format!("no sync of store {store_id} is running")))?;
    control.cancel();
    Ok(control.progress())
}
