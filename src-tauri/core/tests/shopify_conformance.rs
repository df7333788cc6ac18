//! Shopify as its documents describe it (shopify.dev "GraphQL Admin API rate limits", `orders`,
//! `Order.lineItems`, `fulfillmentOrder.lineItems`), against the sandbox shop, which prices every
//! query by the documented cost rule on its own and answers exactly what a query selects.

mod common;

use dropdock_core::model::OrderStatus;
use dropdock_sandbox::SandboxConfig;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shop_that_refuses_costly_queries_gets_smaller_pages_and_every_order() {
    let (sandbox, dd, store_id, _dir) =
        common::synced_sandbox(SandboxConfig { orders: 80, ..SandboxConfig::default() }).await;
    let shop = sandbox.shop();
    assert_eq!(shop.over_cost_replies(), 0, "within the documented 1,000-point cap, nothing is refused");
    assert_eq!(shop.throttled_replies(), 0);
    // A server whose single-query limit is far below 1,000 points: the first page is refused as
    // over it; the sync shrinks the page, asks for the same cursor and completes.
    shop.set_max_query_cost(300.0);
    let edited = shop.edit_orders(80);
    let run = dd.sync(store_id, 60).await.unwrap();
    assert!(run.error.is_none(), "{}", run.line);
    assert_eq!((run.additions, run.updates, run.failures.len()), (0, 80, 0), "{}", run.line);
    assert!(run.line.ends_with("Total additions 0, To update 80, fail 0"), "{}", run.line);
    assert!(shop.over_cost_replies() >= 1, "the shop refused a page");
    for name in edited.iter().take(5) {
        let detail = dd.order_detail(dd.order_id_by_name(name).unwrap()).unwrap();
        assert_eq!(detail.email, shop.order(name).unwrap().email, "{name} was updated");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_with_55_line_items_syncs_whole_and_ships_whole() {
    let (sandbox, dd, store_id, _dir) =
        common::synced_sandbox(SandboxConfig { orders: 10, ..SandboxConfig::default() }).await;
    let shop = sandbox.shop();
    shop.add_order_with_lines("#MANY", "MANY", 55);
    let run = dd.sync(store_id, 7).await.unwrap();
    assert_eq!((run.additions, run.failures.len()), (1, 0), "{}", run.line);
    let id = dd.order_id_by_name("#MANY").unwrap();
    let detail = dd.order_detail(id).unwrap();
    assert_eq!(detail.line_items.len(), 55, "every line item is stored, past the first page of 5");
    let skus: Vec<String> = detail.line_items.iter().filter_map(|l| l.sku.clone()).collect();
    assert_eq!(skus, (1..=55).map(|k| format!("MANY-{k}")).collect::<Vec<_>>(), "in the store's order");
    // The store's product and variant ids are kept on each line.
    let last = &detail.line_items[54];
    assert_eq!((last.store_product_id.as_deref(), last.store_variant_id.as_deref()), (Some("700055"), Some("800055")));

    // Every line mapped to one supplier variant: one sub-order with all 55 lines.
    let supplier = dd.supplier_by_name(&sandbox.supplier(0).name()).unwrap();
    let variant = sandbox.supplier(0).catalog()[0].clone();
    for sku in &skus {
        dd.map_sku(sku, supplier.id, &variant.vid, variant.cost_minor).unwrap();
    }
    dd.set_shipping_default("US", "YunExpress Standard").unwrap();
    let result = dd.ship(id).await.unwrap();
    assert!(result.sub_orders.iter().all(|s| s.state == "paid"), "{result:?}");
    let at_supplier = sandbox.supplier(0).orders();
    assert_eq!(at_supplier.len(), 1);

    // Shipped: one fulfilment in Shopify covering all 55 lines (the fulfillment order's line
    // items are read past the first 50).
    sandbox.supplier(0).ship_all_now();
    let report = dd.track().await.unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let fulfillments = shop.fulfillments("#MANY");
    assert_eq!(fulfillments.len(), 1);
    assert_eq!(fulfillments[0].line_item_skus.len(), 55);
    assert_eq!(shop.fulfillment_status("#MANY"), Some("FULFILLED"));
    assert_eq!(dd.order_detail(id).unwrap().order.status, OrderStatus::Fulfilled);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connecting_reads_the_shop_name_and_currency() {
    let (_sandbox, dd, store_id, _dir) =
        common::synced_sandbox(SandboxConfig { orders: 1, ..SandboxConfig::default() }).await;
    let store = dd.store(store_id).unwrap();
    assert_eq!(store.shop_currency.as_deref(), Some("USD"));
    assert!(store.shop_name.as_deref().is_some_and(|n| !n.is_empty()), "{:?}", store.shop_name);
}
