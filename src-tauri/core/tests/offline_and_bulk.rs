//! Working offline (the sandbox's servers taken down and brought back) and the Order page's bulk
//! actions: Ship orders, Hold, Release, Export CSV.

mod common;

use std::collections::HashSet;

use dropdock_core::app::Dropdock;
use dropdock_core::fulfillment::HoldKind;
use dropdock_core::model::OrderStatus;
use dropdock_core::orders::actions::{OrderSelection, CSV_HEADER};
use dropdock_core::orders::dashboard::DashboardRequest;
use dropdock_core::orders::search::OrderQuery;
use dropdock_core::ErrorCode;
use dropdock_sandbox::{Sandbox, SandboxConfig};

async fn setup(orders: usize) -> (Sandbox, Dropdock, i64, tempfile::TempDir) {
    common::synced_sandbox(SandboxConfig { orders, ..SandboxConfig::default() }).await
}

/// Every supplier order the sandbox holds, as (supplier index, order number).
/// Every order at the suppliers, CJ and Printful: (account, our key).
fn supplier_orders(sandbox: &Sandbox) -> Vec<(String, String)> {
    sandbox.supplier_orders().into_iter().map(|o| (o.account, o.key)).collect()
}

/// Paid orders that can go now: the first with items from two suppliers, then others.
fn shippable(dd: &Dropdock, n: usize) -> Vec<i64> {
    let rows =
        dd.query_orders(&OrderQuery { status: Some(OrderStatus::ToOrder), limit: Some(500), ..Default::default() });
    let mut ids: Vec<(usize, i64)> = rows
        .unwrap()
        .rows
        .iter()
        .filter(|r| r.hold_kind.is_none())
        .map(|r| {
            let detail = dd.order_detail(r.id).unwrap();
            let suppliers: HashSet<_> = detail.line_items.iter().filter_map(|l| l.supplier_name.clone()).collect();
            (suppliers.len(), r.id)
        })
        .collect();
    ids.sort_by_key(|(suppliers, _)| std::cmp::Reverse(*suppliers));
    assert!(ids[0].0 >= 2, "the demo has orders from several suppliers");
    ids.into_iter().take(n).map(|(_, id)| id).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_the_orders_stay_browsable_and_a_queued_ship_runs_once_the_network_is_back() {
    let (mut sandbox, dd, store_id, _dir) = setup(60).await;
    let orders = shippable(&dd, 2);
    let sub_orders_expected: usize = orders
        .iter()
        .map(|id| {
            let d = dd.order_detail(*id).unwrap();
            d.line_items.iter().filter_map(|l| l.supplier_name.clone()).collect::<HashSet<_>>().len()
        })
        .sum();
    let stored = dd.query_orders(&OrderQuery { limit: Some(500), ..Default::default() }).unwrap().rows;

    // The network goes.
    sandbox.stop_servers().await;
    assert!(dd.probe_network().await.unwrap(), "the state changes to offline");
    assert!(!dd.network_status().unwrap().online);

    // Everything synced is still there: the table, a search, an order's detail.
    let offline_rows = dd.query_orders(&OrderQuery { limit: Some(500), ..Default::default() }).unwrap().rows;
    assert_eq!(offline_rows, stored);
    let detail = dd.order_detail(orders[0]).unwrap();
    let hits = dd.query_orders(&OrderQuery { search: Some(detail.order.name.clone()), ..Default::default() }).unwrap();
    assert_eq!(hits.rows[0].id, orders[0]);
    // A sync stops with a clear error and loses nothing.
    let summary = dd.sync(store_id, 7).await.unwrap();
    assert!(summary.error.as_deref().unwrap().starts_with("cannot reach"), "{summary:?}");
    assert!(summary.line.contains(" failed, Plan execution: Total additions 0"), "{}", summary.line);
    assert_eq!(
        dd.query_orders(&OrderQuery { limit: Some(500), ..Default::default() }).unwrap().rows.len(),
        stored.len()
    );

    // "Ship orders" queues both; nothing reaches a supplier.
    let result = dd.ship_orders(&orders).await.unwrap();
    assert_eq!(result.queued.len(), 2, "{result:?}");
    assert!(result.shipped.is_empty() && result.skipped.is_empty());
    assert_eq!(result.summary(), "Shipped 0 orders, queued 2, skipped 0");
    assert_eq!(dd.network_status().unwrap().queued, 2);
    assert!(dd.order_detail(orders[0]).unwrap().order.queued);
    // Running the queue while still offline keeps it.
    let early = dd.run_queue().await.unwrap();
    assert!(early.shipped.is_empty());
    assert_eq!(dd.network_status().unwrap().queued, 2);
    // Asking again queues once.
    dd.ship_orders(&orders[..1]).await.unwrap();
    assert_eq!(dd.network_status().unwrap().queued, 2);

    // The network comes back: the queue runs, each sub-order reaches its supplier exactly once.
    sandbox.restart_servers().await.unwrap();
    assert!(dd.probe_network().await.unwrap());
    let ran = dd.run_queue().await.unwrap();
    assert_eq!(ran.shipped.len(), 2, "{ran:?}");
    assert_eq!(dd.network_status().unwrap(), dropdock_core::offline::NetworkStatus { online: true, queued: 0 });
    let at_suppliers = supplier_orders(&sandbox);
    assert_eq!(at_suppliers.len(), sub_orders_expected, "{at_suppliers:?}");
    assert_eq!(at_suppliers.iter().map(|o| &o.1).collect::<HashSet<_>>().len(), at_suppliers.len());
    for id in &orders {
        let detail = dd.order_detail(*id).unwrap();
        assert_eq!(detail.order.status, OrderStatus::Processing);
        assert!(!detail.order.queued);
        assert!(detail.sub_orders.iter().all(|s| s.state == "paid"), "{:?}", detail.sub_orders);
    }
    // Nothing is sent twice.
    assert!(dd.run_queue().await.unwrap().shipped.is_empty());
    let again = dd.ship_orders(&orders).await.unwrap();
    assert_eq!(again.skipped.len(), 2);
    assert_eq!(supplier_orders(&sandbox).len(), sub_orders_expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hold_release_and_export_csv_on_a_selection() {
    let (sandbox, dd, _store_id, _dir) = setup(60).await;
    let picked = shippable(&dd, 3);

    // Hold: the orders show the merchant's hold, the filter finds exactly them, and Ship skips them.
    let held = dd.hold_orders(&picked).unwrap();
    assert_eq!((held.done.len(), held.skipped.len()), (3, 0));
    assert_eq!(held.summary("Held"), "Held 3 orders, skipped 0");
    let by_hold = dd
        .query_orders(&OrderQuery { hold_kind: Some(HoldKind::Merchant), limit: Some(500), ..Default::default() })
        .unwrap()
        .rows;
    let mut found: Vec<i64> = by_hold.iter().map(|r| r.id).collect();
    let mut wanted = picked.clone();
    found.sort();
    wanted.sort();
    assert_eq!(found, wanted);
    assert!(by_hold.iter().all(|r| r.hold_reason.as_deref().unwrap().starts_with("held by you")));
    let shipped = dd.ship_orders(&picked).await.unwrap();
    assert_eq!(shipped.skipped.len(), 3, "{shipped:?}");
    assert!(supplier_orders(&sandbox).is_empty(), "a held order never reaches a supplier");

    // Release one and ship it; then Hold on it is refused (already with its suppliers).
    let released = dd.release_orders(&picked[..1]).unwrap();
    assert_eq!(released.done.len(), 1);
    assert_eq!(dd.order_detail(picked[0]).unwrap().hold_reason, None);
    let shipped = dd.ship_orders(&picked[..1]).await.unwrap();
    assert_eq!(shipped.shipped.len(), 1, "{shipped:?}");
    let late_hold = dd.hold_orders(&picked[..1]).unwrap();
    assert_eq!(late_hold.skipped.len(), 1);
    assert!(late_hold.skipped[0].reason.contains("already with its suppliers"), "{late_hold:?}");
    // Releasing an order that is not held says so.
    assert_eq!(dd.release_orders(&picked[..1]).unwrap().skipped[0].reason, "not held by you");

    // Unpaid orders carry the payment hold, and the filter lists them all.
    let unpaid = dd
        .query_orders(&OrderQuery {
            status: Some(OrderStatus::AwaitingPayment),
            limit: Some(500),
            ..Default::default()
        })
        .unwrap()
        .rows;
    let payment_hold = dd
        .query_orders(&OrderQuery { hold_kind: Some(HoldKind::PaymentPending), limit: Some(500), ..Default::default() })
        .unwrap()
        .rows;
    assert!(!unpaid.is_empty());
    assert_eq!(unpaid, payment_hold);

    // Export CSV of the selection: a header and one row per order, newest first.
    let mut out = Vec::new();
    let written = dd.export_orders_csv(&OrderSelection::Ids(picked.clone()), &mut out).unwrap();
    assert_eq!(written, 3);
    let mut reader = csv::Reader::from_reader(out.as_slice());
    assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), CSV_HEADER.to_vec());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 3);
    for record in &records {
        let id = dd.order_id_by_name(&record[0]).unwrap();
        let detail = dd.order_detail(id).unwrap();
        assert!(picked.contains(&id));
        assert_eq!(record[5], *detail.address.as_ref().unwrap().country_code);
        assert_eq!(record[9], *detail.order.status.label());
        let total: rust_decimal::Decimal = record[7].parse().unwrap();
        assert_eq!(total * rust_decimal::Decimal::from(100), rust_decimal::Decimal::from(detail.order.total_minor));
    }
    let shipped_row = records.iter().find(|r| dd.order_id_by_name(&r[0]).unwrap() == picked[0]).unwrap();
    assert!(!shipped_row[13].is_empty(), "the shipped order lists its supplier order numbers");
    // Export of a query: every order that matches.
    let mut out = Vec::new();
    let query = OrderQuery { status: Some(OrderStatus::AwaitingPayment), ..Default::default() };
    assert_eq!(dd.export_orders_csv(&OrderSelection::Query(query), &mut out).unwrap(), unpaid.len());
    // An unknown id is an error, not a short file.
    let err = dd.export_orders_csv(&OrderSelection::Ids(vec![picked[0], 999_999]), Vec::new()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_figures_agree_with_the_orders_and_the_ledger() {
    let (sandbox, dd, _store_id, _dir) = setup(120).await;
    let picked = shippable(&dd, 4);
    assert_eq!(dd.ship_orders(&picked).await.unwrap().shipped.len(), 4);
    let all = dd.query_orders(&OrderQuery { limit: Some(500), ..Default::default() }).unwrap().rows;

    for offset in [0, -300, 330] {
        let request = DashboardRequest { days: 60, late_after_days: 7, utc_offset_minutes: offset };
        let board = dd.dashboard(request).unwrap();
        assert_eq!(board.orders_per_day.len(), 60);
        // Orders per day: each order on its merchant-local calendar day.
        let zone = chrono::FixedOffset::east_opt(offset * 60).unwrap();
        for day in &board.orders_per_day {
            let expected = all
                .iter()
                .filter(|r| r.created_at.with_timezone(&zone).format("%Y-%m-%d").to_string() == day.day)
                .count() as i64;
            assert_eq!(day.orders, expected, "{} at offset {offset}", day.day);
        }
        // Spend: what the suppliers charged, to the cent.
        let charged: i64 = sandbox.supplier_orders().iter().filter(|o| o.paid).map(|o| o.amount_minor).sum();
        assert!(charged > 0);
        assert_eq!(board.spend_per_day.iter().map(|d| d.amount_minor).sum::<i64>(), charged);
        // Late shipments: the count matches the list the link opens.
        let late = dd
            .query_orders(&OrderQuery { late_since: Some(board.late_since), limit: Some(500), ..Default::default() })
            .unwrap()
            .rows;
        assert_eq!(board.late, late.len() as i64);
        assert!(board.late > 0, "the demo has paid orders older than a week");
        let counted: i64 = board.counts.iter().map(|c| c.count).sum();
        assert_eq!(counted, all.len() as i64);
        assert_eq!(board.held, all.iter().filter(|r| r.hold_kind.is_some()).count() as i64);
    }
    assert!(dd.dashboard(DashboardRequest { days: 0, ..Default::default() }).is_err());
}
