//! A WooCommerce store (the sandbox's, over plain HTTP with OAuth 1.0a) connected and synced:
//! every page to the last, statuses kept, edits counted once, refused keys a clear error.

mod common;

use dropdock_core::model::OrderStatus;
use dropdock_core::ErrorCode;
use dropdock_sandbox::SandboxConfig;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_woocommerce_store_is_connected_and_synced_page_by_page() {
    // 440 shop orders → 110 WooCommerce orders: two pages of 100.
    let (sandbox, dd, _shop, _dir) =
        common::synced_sandbox(SandboxConfig { orders: 440, restore_rate: 100_000.0, ..SandboxConfig::default() })
            .await;
    let woo = sandbox.woo();
    assert_eq!(woo.orders().len(), 110);

    // Keys the store refuses: a clear "reconnect" error, nothing stored.
    let err = dd.connect_woocommerce("Woo", &woo.url(), &woo.consumer_key(), "cs_wrong").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Auth, "{err}");
    assert!(err.to_string().contains("reconnect"), "{err}");
    assert!(dd.store_by_name("Woo").is_err());
    let empty = dd.connect_woocommerce("Woo", &woo.url(), "", "x").await.unwrap_err();
    assert_eq!(empty.code(), ErrorCode::InvalidInput);

    let store = dd.connect_woocommerce("Woo", &woo.url(), &woo.consumer_key(), &woo.consumer_secret()).await.unwrap();
    assert_eq!(store.platform, "woocommerce");
    let before = woo.requests();
    let first = dd.sync(store.id, 60).await.unwrap();
    assert_eq!((first.additions, first.updates, first.failures.len()), (110, 0, 0), "{}", first.line);
    assert!(first.line.ends_with("Plan execution: Total additions 110, To update 0, fail 0"), "{}", first.line);
    assert_eq!(woo.requests() - before, 2, "two pages of 100, to the last");

    // Every order is there, named by its number, with its status mapped or kept.
    let stored = dd.orders(None, 1000).unwrap().into_iter().filter(|o| o.store_name == "Woo").collect::<Vec<_>>();
    assert_eq!(stored.len(), 110);
    let by_status = |status: &str| woo.orders().iter().filter(|o| o["status"] == status).count();
    let paid = by_status("processing");
    assert_eq!(stored.iter().filter(|o| o.status == OrderStatus::ToOrder).count(), paid);
    let plugin = woo.orders().into_iter().find(|o| o["status"] == "awaiting-shipment").unwrap();
    let id = dd.order_id_by_name(&format!("#{}", plugin["number"].as_str().unwrap())).unwrap();
    let detail = dd.order_detail(id).unwrap();
    assert_eq!(detail.order.status, OrderStatus::AwaitingPayment, "an unknown status is never taken for paid");
    assert!(detail.hold_reason.unwrap().contains("awaiting-shipment"), "and it is shown as the store names it");

    // Nothing changed: nothing to add or update. One order edited in wp-admin: To update 1.
    let again = dd.sync(store.id, 60).await.unwrap();
    assert_eq!((again.additions, again.updates), (0, 0), "{}", again.line);
    let edited = woo.orders()[3]["id"].as_u64().unwrap();
    woo.edit_order(edited, None, |o| o["billing"]["email"] = "new@example.com".into());
    let third = dd.sync(store.id, 7).await.unwrap();
    assert_eq!((third.additions, third.updates), (0, 1), "{}", third.line);

    // A paid WooCommerce order goes to the suppliers like any other.
    let to_ship = stored
        .iter()
        .find(|o| o.status == OrderStatus::ToOrder && dd.order_detail(o.id).unwrap().hold_reason.is_none())
        .expect("a paid order with every SKU mapped");
    let shipped = dd.ship(to_ship.id).await.unwrap();
    assert!(shipped.sub_orders.iter().all(|s| s.state == "paid"), "{shipped:?}");

    // Keys revoked in WooCommerce: the next sync says to reconnect, and keeps what was stored.
    let err = dd.connect_woocommerce("Woo 2", &woo.url(), "ck_revoked", "cs_revoked").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Auth);
    assert_eq!(dd.orders(None, 1000).unwrap().iter().filter(|o| o.store_name == "Woo").count(), 110);
}
