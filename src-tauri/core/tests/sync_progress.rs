//! A long Sync Order shows its progress while it runs and stops when the merchant cancels it:
//! what it stored stays, the run ends recorded as cancelled without counting as a failure, the
//! watermark does not move, and a second run of the same store meanwhile is refused.

mod common;

use std::time::Duration;

use dropdock_core::ErrorCode;
use dropdock_sandbox::SandboxConfig;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_sync_shows_its_progress_and_stops_when_cancelled() {
    // A Standard plan (1000 points, 100 a second): after the first pages each page waits for
    // the bucket, as a 60-day backfill of a busy shop does.
    let (_sandbox, dd, store_id, _dir) =
        common::connected_sandbox(SandboxConfig { orders: 2_000, ..SandboxConfig::default() }).await;
    assert!(dd.sync_progress().is_empty(), "nothing runs yet");
    assert_eq!(dd.cancel_sync(store_id).unwrap_err().code(), ErrorCode::NotFound);

    let watch = async {
        // Wait for two stored pages, looking as the Sync Order dialog does.
        let mut seen = Vec::new();
        let progress = loop {
            tokio::time::sleep(Duration::from_millis(20)).await;
            if let Some(p) = dd.sync_progress().into_iter().find(|p| p.store_id == store_id) {
                seen.push(p.orders);
                if p.pages >= 2 {
                    break p;
                }
            }
        };
        assert!(seen.windows(2).all(|w| w[0] <= w[1]), "the count only grows: {seen:?}");
        assert_eq!(progress.window_days, 60);
        assert!(progress.orders > 0 && progress.additions == progress.orders, "{progress:?}");
        assert!(progress.done_permille.is_some_and(|d| d > 0 && d < 1000), "{progress:?}");
        // A second run of the same store is refused while this one goes.
        let second = dd.sync(store_id, 7).await.unwrap_err();
        assert_eq!(second.code(), ErrorCode::InvalidInput);
        assert!(second.to_string().contains("already running"), "{second}");
        let asked = dd.cancel_sync(store_id).unwrap();
        assert!(asked.cancelling);
        progress
    };
    let (summary, at_cancel) = tokio::join!(dd.sync(store_id, 60), watch);
    let summary = summary.unwrap();

    assert!(summary.cancelled, "{}", summary.line);
    assert!(summary.line.contains(" cancelled, Plan execution: Total additions "), "{}", summary.line);
    assert!(summary.additions >= at_cancel.additions && summary.additions < 2_000, "{}", summary.line);
    let store = dd.stores().unwrap().into_iter().find(|s| s.id == store_id).unwrap();
    assert_eq!(store.order_count, summary.additions as i64, "every stored page is kept");
    assert_eq!(store.watermark, None, "a stopped run does not move the watermark");
    assert_eq!(store.consecutive_failures, 0, "a stopped run is not a failed run");
    assert_eq!(store.last_sync_status.as_deref(), Some("partial"));
    assert!(store.last_sync_error.as_deref().is_some_and(|e| e.contains("cancelled by you")));
    assert!(dd.sync_progress().is_empty(), "the run is off the list once it ended");
}
