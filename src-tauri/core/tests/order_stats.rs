//! The Dashboard's figures kept by triggers (migration 26) stay equal to the orders they sum,
//! through every kind of write a merchant makes: a sync, Ship order, holds and releases, a new
//! profit setting (every order worked out again), a store disconnected with its orders.

mod common;

use dropdock_core::model::OrderStatus;
use dropdock_core::orders::dashboard::DashboardRequest;
use dropdock_sandbox::SandboxConfig;

/// The figures per quarter hour (bucket and its six counts), and the totals per status and held.
type Figures = (Vec<Vec<i64>>, Vec<(String, i64)>);

/// The kept figures, and the same figures summed from the orders now.
fn kept_and_summed(dir: &std::path::Path) -> (Figures, Figures) {
    let conn = rusqlite::Connection::open(dir.join("dropdock.sqlite3")).unwrap();
    let rows = |sql: &str| -> Vec<Vec<i64>> {
        let mut stmt = conn.prepare(sql).unwrap();
        stmt.query_map([], |r| (0..7).map(|i| r.get::<_, i64>(i)).collect::<rusqlite::Result<Vec<i64>>>())
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    let totals = |sql: &str| -> Vec<(String, i64)> {
        let mut stmt = conn.prepare(sql).unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<rusqlite::Result<_>>().unwrap()
    };
    let kept = (
        rows(
            "SELECT bucket, orders, profit_minor, revenue_minor, estimated, unknown, unshipped
              FROM order_stats_bucket WHERE orders <> 0 ORDER BY bucket",
        ),
        totals("SELECT key, n FROM order_total WHERE n <> 0 ORDER BY key"),
    );
    // Written apart from the migration: quarter hours of the UTC creation time, paid = any
    // status but awaiting payment, unshipped = To order or Processing.
    let summed = (
        rows("SELECT CAST(strftime('%s', created_at) AS INTEGER) / 900 AS b, COUNT(*),
                     SUM(CASE WHEN status = 'awaiting_payment' THEN 0 ELSE IFNULL(profit_minor, 0) END),
                     SUM(CASE WHEN status = 'awaiting_payment' THEN 0 ELSE IFNULL(profit_revenue_minor, 0) END),
                     SUM(CASE WHEN status <> 'awaiting_payment' AND profit_minor IS NOT NULL AND profit_estimated = 1 THEN 1 ELSE 0 END),
                     SUM(CASE WHEN status <> 'awaiting_payment' AND profit_minor IS NULL THEN 1 ELSE 0 END),
                     SUM(CASE WHEN status IN ('to_order', 'processing') THEN 1 ELSE 0 END)
              FROM orders GROUP BY b ORDER BY b"),
        totals("SELECT key, n FROM (SELECT 'status:' || status AS key, COUNT(*) AS n FROM orders GROUP BY status
                                     UNION ALL SELECT 'held', COUNT(*) FROM orders WHERE hold_kind IS NOT NULL)
                WHERE n <> 0 ORDER BY key"),
    );
    (kept, summed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kept_figures_equal_the_orders_after_every_kind_of_write() {
    let (_sandbox, dd, store_id, dir) = common::synced_sandbox(SandboxConfig {
        orders: 150,
        // A shop on a large plan, so the syncs take seconds (the cost rule still applies).
        bucket_size: 20_000.0,
        restore_rate: 20_000.0,
        ..SandboxConfig::default()
    })
    .await;
    let check = |step: &str| {
        let (kept, summed) = kept_and_summed(dir.path());
        assert!(!summed.0.is_empty(), "{step}: orders to sum");
        assert_eq!(kept, summed, "after {step}");
    };
    check("the first sync");

    let to_order: Vec<i64> = dd.orders(Some(OrderStatus::ToOrder), 500).unwrap().iter().map(|o| o.id).collect();
    let shippable: Vec<i64> =
        to_order.iter().copied().filter(|id| dd.order_detail(*id).unwrap().hold_reason.is_none()).take(5).collect();
    assert_eq!(dd.ship_orders(&shippable).await.unwrap().shipped.len(), shippable.len());
    check("Ship order");
    let board = dd.dashboard(DashboardRequest { days: 60, ..DashboardRequest::default() }).unwrap();
    let processing = board.counts.iter().find(|c| c.status == OrderStatus::Processing).unwrap().count;
    assert!(processing >= shippable.len() as i64, "the shipped orders count as Processing");

    dd.hold_orders(&to_order[..10]).unwrap();
    check("holding 10 orders");
    dd.release_orders(&to_order[..4]).unwrap();
    check("releasing 4");

    dd.save_profit_settings("USD", 290, 30).unwrap();
    check("a new fee (every order's profit worked out again)");

    dd.sync(store_id, 60).await.unwrap();
    check("a second sync");

    // Writes no screen makes today, straight in SQL: an order whose creation time moved to
    // another quarter hour, and orders deleted.
    let conn = rusqlite::Connection::open(dir.path().join("dropdock.sqlite3")).unwrap();
    conn.pragma_update(None, "foreign_keys", "ON").unwrap();
    let moved = conn
        .execute(
            "UPDATE orders SET created_at = strftime('%Y-%m-%d %H:%M:%f+00:00', created_at, '-3 hours', '+7 minutes')
             WHERE id IN (SELECT id FROM orders ORDER BY id LIMIT 7)",
            [],
        )
        .unwrap();
    assert_eq!(moved, 7);
    check("creation times moved");
    let deleted = conn
        .execute(
            "DELETE FROM orders WHERE id IN (SELECT id FROM orders o WHERE NOT EXISTS
               (SELECT 1 FROM supplier_order so WHERE so.order_id = o.id) ORDER BY id DESC LIMIT 9)",
            [],
        )
        .unwrap();
    assert_eq!(deleted, 9);
    check("orders deleted");
}
