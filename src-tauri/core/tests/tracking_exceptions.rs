//! Tracking exceptions (issue 18, after sending): a shipment the carrier knows nothing of 8 days
//! after it shipped, or with no new event for 8 days, needs attention; with none for 30 it has
//! expired; a delivered one is neither. The sandbox CJ's `trackInfo` gives the carrier's word;
//! time is moved by rewriting the stored times, as a week passing would.

mod common;

use chrono::{Duration, Utc};
use dropdock_core::model::OrderStatus;
use dropdock_core::orders::search::OrderQuery;
use dropdock_core::tracking::exceptions::TrackingFlag;
use dropdock_core::ErrorCode;
use dropdock_sandbox::SandboxConfig;

/// Moves every stored shipment time `days` into the past.
fn age_shipments(dir: &std::path::Path, days: i64) {
    let conn = rusqlite::Connection::open(dir.join(dropdock_core::db::DB_FILE)).unwrap();
    let back = format!("-{days} days");
    for column in ["detected_at", "last_event_at", "checked_at"] {
        conn.execute(
            &format!(
                "UPDATE shipment SET {column} = strftime('%Y-%m-%d %H:%M:%f+00:00', {column}, ?1) WHERE {column} IS NOT NULL"
            ),
            [&back],
        )
        .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quiet_shipment_needs_attention_then_expires_and_a_delivered_one_does_not() {
    let (sandbox, dd, _store, dir) =
        common::synced_sandbox(SandboxConfig { orders: 40, ..SandboxConfig::default() }).await;
    // A paid order whose every line ships from a CJ account (both can be told to ship now).
    let order = dd
        .orders(Some(OrderStatus::ToOrder), 1000)
        .unwrap()
        .into_iter()
        .find(|o| {
            let d = dd.order_detail(o.id).unwrap();
            d.hold_reason.is_none()
                && d.line_items.iter().all(|l| l.supplier_name.as_deref().is_some_and(|s| s.starts_with("CJ")))
        })
        .expect("a paid order for CJ");
    dd.ship(order.id).await.unwrap();
    for i in 0..2 {
        sandbox.supplier(i).ship_all_now();
    }
    dd.track().await.unwrap();
    let detail = dd.order_detail(order.id).unwrap();
    assert!(detail.sub_orders.iter().all(|s| s.shipment.is_some()), "shipped: {:?}", detail.sub_orders);
    let flagged = |at| -> Vec<TrackingFlag> {
        dd.tracking_exceptions_at(at).unwrap().into_iter().filter(|e| e.order_id == order.id).map(|e| e.flag).collect()
    };
    let now = Utc::now();
    assert!(flagged(now).is_empty(), "just shipped");
    assert!(flagged(now + Duration::days(6)).is_empty(), "6 quiet days are not yet 7");

    // Eight days on and the carrier still has nothing: Attention, and the Order page lists it.
    age_shipments(dir.path(), 8);
    let exceptions: Vec<_> = dd.tracking_exceptions().unwrap().into_iter().filter(|e| e.order_id == order.id).collect();
    assert!(!exceptions.is_empty());
    assert!(exceptions
        .iter()
        .all(|e| e.flag == TrackingFlag::Attention && e.quiet_days >= 8 && e.last_status.is_none()));
    let listed =
        dd.query_orders(&OrderQuery { tracking: Some(TrackingFlag::Attention), ..Default::default() }).unwrap();
    assert!(listed.rows.iter().any(|r| r.id == order.id));
    let expired = dd.query_orders(&OrderQuery { tracking: Some(TrackingFlag::Expired), ..Default::default() }).unwrap();
    assert!(!expired.rows.iter().any(|r| r.id == order.id));
    let board = dd.dashboard(Default::default()).unwrap();
    assert!(board.tracking_attention >= 1 && board.tracking_expired == 0, "{board:?}");

    // The next poll asks the carrier: its word is an event, the shipment moved, no attention.
    let report = dd.track().await.unwrap();
    let moved: Vec<_> = dd.tracking_exceptions().unwrap().into_iter().filter(|e| e.order_id == order.id).collect();
    assert!(moved.is_empty(), "an event today: {moved:?} ({report:?})");
    // Then nothing for 8 days: Attention again, with the carrier's last word; 31: Expired.
    let later = Utc::now() + Duration::days(8);
    let again = dd.tracking_exceptions_at(later).unwrap();
    let mine: Vec<_> = again.iter().filter(|e| e.order_id == order.id).collect();
    assert!(!mine.is_empty() && mine.iter().all(|e| e.last_status.as_deref() == Some("In transit")), "{mine:?}");
    assert!(flagged(Utc::now() + Duration::days(31)).iter().all(|f| *f == TrackingFlag::Expired));
    assert!(!flagged(Utc::now() + Duration::days(31)).is_empty());

    // Announced once per quiet spell: the poll that finds it reports it, the next does not.
    age_shipments(dir.path(), 9);
    let first = dd.track().await.unwrap();
    // The recheck asks the carrier again (the same word: no new event), so it stays quiet.
    let announced: Vec<_> = first.attention.iter().filter(|e| e.order_id == order.id).collect();
    assert!(!announced.is_empty(), "{first:?}");
    let second = dd.track().await.unwrap();
    assert!(second.attention.iter().all(|e| e.order_id != order.id));

    // Delivered: neither, whatever the time.
    for i in 0..2 {
        sandbox.supplier(i).deliver_all_now();
    }
    age_shipments(dir.path(), 1);
    dd.track().await.unwrap();
    assert!(flagged(Utc::now() + Duration::days(40)).is_empty(), "delivered parcels are not exceptions");

    // The merchant's number of days: 1 to 29.
    assert_eq!(dd.set_tracking_attention_days(0).unwrap_err().code(), ErrorCode::InvalidInput);
    assert_eq!(dd.set_tracking_attention_days(30).unwrap_err().code(), ErrorCode::InvalidInput);
    dd.set_tracking_attention_days(3).unwrap();
    assert_eq!(dd.tracking_attention_days().unwrap(), 3);
}
