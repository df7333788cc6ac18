//! CJdropshipping as its API 2.0 pages describe it, against the sandbox account written from the
//! same pages: createOrderV2's published reply (empty amounts, `orderId` maybe absent), orders
//! `CREATED` until paid, 1600300 for an unknown order, the documented error codes.

mod common;

use dropdock_core::model::OrderStatus;
use dropdock_sandbox::SandboxConfig;

/// The first order to send that only one supplier ships, with its supplier's index.
fn single_supplier_order(dd: &dropdock_core::app::Dropdock, sandbox: &dropdock_sandbox::Sandbox) -> (i64, usize) {
    for order in dd.orders(Some(OrderStatus::ToOrder), 1000).unwrap() {
        let detail = dd.order_detail(order.id).unwrap();
        let suppliers: std::collections::HashSet<_> =
            detail.line_items.iter().filter_map(|l| l.supplier_name.clone()).collect();
        if suppliers.len() == 1 {
            let name = suppliers.into_iter().next().unwrap();
            let index = (0..sandbox.supplier_count()).find(|i| sandbox.supplier(*i).name() == name).unwrap();
            return (order.id, index);
        }
    }
    panic!("the seed has single-supplier orders");
}

fn defaults(dd: &dropdock_core::app::Dropdock) {
    for country in ["US", "GB", "DE", "CA", "AU", "FR", "NL", "ES"] {
        dd.set_shipping_default(country, "YunExpress Standard").unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_published_reply_without_amounts_or_id_is_read_back_and_recorded_once() {
    let (sandbox, dd, _store, _dir) =
        common::synced_sandbox(SandboxConfig { orders: 40, ..SandboxConfig::default() }).await;
    defaults(&dd);
    let (order_id, i) = single_supplier_order(&dd, &sandbox);
    let cj = sandbox.supplier(i);
    cj.omit_order_id(true);
    let before = cj.balance_minor();
    let result = dd.ship(order_id).await.unwrap();
    let sub = &result.sub_orders[0];
    assert_eq!(sub.state, "paid", "{result:?}");
    let at_cj = cj.orders();
    assert_eq!(at_cj.len(), 1);
    assert_eq!(sub.supplier_order_id.as_deref(), Some(at_cj[0].order_id.as_str()), "the id read back by our number");
    assert_eq!(sub.cost_minor, Some(at_cj[0].amount_minor), "the amount read back, not the reply's empty string");
    assert_eq!(cj.balance_minor(), before - at_cj[0].amount_minor);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_request_then_order_not_found_sends_exactly_one_order() {
    let (sandbox, dd, _store, _dir) =
        common::synced_sandbox(SandboxConfig { orders: 40, ..SandboxConfig::default() }).await;
    defaults(&dd);
    let (order_id, i) = single_supplier_order(&dd, &sandbox);
    let cj = sandbox.supplier(i);
    // The request is lost before CJ creates anything: the outcome is unknown to Dropdock.
    cj.lose_create_requests(1);
    let first = dd.ship(order_id).await.unwrap();
    assert_eq!(first.sub_orders[0].state, "ambiguous", "{first:?}");
    assert!(cj.orders().is_empty());
    assert_eq!(dd.order_detail(order_id).unwrap().sub_orders[0].state, "ambiguous");
    // The retry asks CJ by our number first (1600300: not found), then creates it once.
    let retry = dd.ship(order_id).await.unwrap();
    assert_eq!(retry.sub_orders[0].state, "paid", "{retry:?}");
    assert_eq!(cj.orders().len(), 1);
    assert_eq!(cj.create_calls(), 2, "one lost request, one create: never a second order");

    // A reply lost after CJ created the order: found by its number in the same attempt.
    let (other, j) = single_supplier_order(&dd, &sandbox);
    let cj = sandbox.supplier(j);
    let orders_before = cj.orders().len();
    cj.drop_create_replies(1);
    let result = dd.ship(other).await.unwrap();
    assert_eq!(result.sub_orders[0].state, "paid", "{result:?}");
    assert_eq!(cj.orders().len(), orders_before + 1);
    // Shipping it again sends nothing.
    let again = dd.ship(other).await;
    assert!(again.is_err(), "{again:?} {:?}", dd.order_detail(other).unwrap().sub_orders);
    assert_eq!(cj.orders().len(), orders_before + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_created_order_is_paid_not_recorded_as_paid() {
    let (sandbox, dd, _store, dir) =
        common::synced_sandbox(SandboxConfig { orders: 40, ..SandboxConfig::default() }).await;
    defaults(&dd);
    let (order_id, i) = single_supplier_order(&dd, &sandbox);
    let cj = sandbox.supplier(i);
    // CJ replies before its cart → confirm → deduct pipeline is done: the order is CREATED.
    cj.defer_balance_payment(true);
    let before = cj.balance_minor();
    let result = dd.ship(order_id).await.unwrap();
    let sub = &result.sub_orders[0];
    assert_eq!(sub.state, "paid", "{result:?}");
    let key = dd.order_detail(order_id).unwrap().sub_orders[0].idempotency_key.clone();
    assert_eq!(cj.is_paid(&key), Some(true), "Dropdock paid it with payBalance");
    let at_cj = cj.orders();
    assert_eq!(at_cj.len(), 1);
    assert_eq!(cj.balance_minor(), before - at_cj[0].amount_minor, "charged once");
    let conn = rusqlite::Connection::open(dir.path().join(dropdock_core::db::DB_FILE)).unwrap();
    let charges: i64 =
        conn.query_row("SELECT COUNT(*) FROM wallet_entry WHERE kind = 'charge'", [], |r| r.get(0)).unwrap();
    assert_eq!(charges, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cj_error_codes_show_their_documented_meaning() {
    let config = SandboxConfig { orders: 40, opening_balance_minor: 100, ..SandboxConfig::default() };
    let (sandbox, dd, _store, _dir) = common::synced_sandbox(config).await;
    defaults(&dd);
    let (order_id, _) = single_supplier_order(&dd, &sandbox);
    // 1604000 "Balance is insufficient".
    let short = dd.ship(order_id).await.unwrap();
    let error = short.sub_orders[0].error.clone().unwrap_or_default();
    assert_eq!(short.sub_orders[0].state, "failed");
    assert!(error.contains("1604000") && error.contains("My Wallet at CJdropshipping is short"), "{error}");
    // Find at suppliers: a variant SKU through product/query; an unknown one is nothing.
    let found = dd.find_supplier_variants(&sandbox.supplier(0).catalog()[0].sku).await.unwrap();
    assert_eq!(found.len(), 1, "found by its variant SKU through product/query");
    let by_product = dd.find_supplier_variants("NO-SUCH-SKU").await.unwrap();
    assert!(by_product.is_empty(), "1602001 Product not found is no error, just nothing");
}
