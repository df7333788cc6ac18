//! Background sync against the sandbox's WooCommerce store: the first run reaches back 60 days,
//! later runs start at the watermark (less the overlap), an order updated exactly at the
//! watermark is neither lost nor counted twice, failed runs never move the watermark and the
//! third in a row raises an alert, retries ride out 429/500/cut replies, and Integrations can
//! test, pause, disconnect and revive a store.

mod common;

use chrono::{Duration, Utc};
use dropdock_core::app::Dropdock;
use dropdock_core::ErrorCode;
use dropdock_sandbox::Fault as WooFault;
use dropdock_sandbox::SandboxConfig;

fn woo_store(dd: &Dropdock) -> dropdock_core::orders::views::StoreView {
    dd.store_by_name("Woo").unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn background_runs_follow_the_watermark_and_survive_faults() {
    std::env::set_var("DROPDOCK_RETRY_DELAY_MS", "5");
    let (mut sandbox, dd, shop_id, _dir) =
        common::synced_sandbox(SandboxConfig { orders: 200, restore_rate: 100_000.0, ..SandboxConfig::default() })
            .await;
    let woo = sandbox.woo();
    let store = dd.connect_woocommerce("Woo", &woo.url(), &woo.consumer_key(), &woo.consumer_secret()).await.unwrap();
    dd.test_store_connection(store.id).await.unwrap();
    let now = Utc::now();

    // Due: the new store (never synced); the demo shop was synced a moment ago.
    assert_eq!(dd.stores_due(now).unwrap(), vec![store.id]);
    assert!(dd.stores_due(now + Duration::minutes(10)).unwrap().contains(&shop_id));

    // First run: the last 60 days. The watermark is the newest (updated_at, id) it stored.
    let first = dd.sync_store_in_background(store.id, now).await.unwrap();
    assert_eq!((first.summary.additions, first.summary.updates), (50, 0), "{}", first.summary.line);
    let newest = woo.orders().iter().map(|o| o["date_modified_gmt"].as_str().unwrap().to_owned()).max().unwrap();
    let mark = woo_store(&dd).watermark.unwrap();
    assert_eq!(mark.format("%Y-%m-%dT%H:%M:%S").to_string(), newest);
    assert!(!dd.stores_due(now).unwrap().contains(&store.id), "synced: not due until its interval passes");

    // An order updated exactly at the watermark, never seen before (taken while the last run
    // read its pages): the next run picks it up once; the order that set the watermark is read
    // again but unchanged, so it is not counted.
    let mut late = woo.orders()[0].clone();
    late["id"] = 9_999.into();
    late["number"] = "9999".into();
    late["date_modified_gmt"] = newest.clone().into();
    woo.add_order(late);
    let second = dd.sync_store_in_background(store.id, now + Duration::minutes(10)).await.unwrap();
    assert_eq!((second.summary.additions, second.summary.updates), (1, 0), "{}", second.summary.line);
    let third = dd.sync_store_in_background(store.id, now + Duration::minutes(20)).await.unwrap();
    assert_eq!((third.summary.additions, third.summary.updates), (0, 0), "{}", third.summary.line);
    dd.order_id_by_name("#9999").unwrap();

    // 429 (honouring Retry-After), 500 and a reply cut in half: each page is read again.
    woo.edit_order(4_001, None, |o| o["billing"]["email"] = "edited@example.com".into());
    woo.fail_next(&[WooFault::TooManyRequests { retry_after_secs: 0 }, WooFault::ServerError, WooFault::Truncated]);
    let retried = dd.sync_store_in_background(store.id, now + Duration::minutes(30)).await.unwrap();
    assert_eq!(retried.summary.error, None, "{}", retried.summary.line);
    assert_eq!((retried.summary.additions, retried.summary.updates), (0, 1), "{}", retried.summary.line);
    let moved = woo_store(&dd).watermark.unwrap();
    assert!(moved > mark, "a clean run moves the watermark");

    // Faults beyond the retries: the run fails, keeps the watermark, and the third failure in a
    // row raises one alert. Then a clean run clears it.
    // Twelve 500s in a row: each run's four attempts at its first page fail, three runs over.
    woo.fail_next(&[WooFault::ServerError; 12]);
    for run in 1..=3 {
        let failed = dd.sync_store_in_background(store.id, now + Duration::minutes(40 + run)).await.unwrap();
        assert!(failed.summary.line.contains(" failed, "), "{}", failed.summary.line);
        assert_eq!(woo_store(&dd).watermark.unwrap(), moved, "a failed run never moves the watermark");
        assert_eq!(woo_store(&dd).consecutive_failures, run as u32);
        assert_eq!(failed.alert.is_some(), run == 3, "{:?}", failed.alert);
    }
    assert!(woo_store(&dd).warning.unwrap().contains("the last 3 syncs failed"));
    let alert = dd.sync_store_in_background(store.id, now + Duration::minutes(50)).await.unwrap();
    assert!(alert.alert.is_none() && alert.summary.error.is_none());
    assert_eq!(woo_store(&dd).consecutive_failures, 0);
    assert_eq!(woo_store(&dd).warning, None);

    // Unreachable: the run fails as offline, nothing stored is lost.
    sandbox.stop_servers().await;
    let offline = dd.sync_store_in_background(store.id, now + Duration::minutes(60)).await.unwrap();
    assert!(offline.summary.unreachable && offline.summary.error.unwrap().contains("cannot reach WooCommerce store"));
    assert!(!dd.network_status().unwrap().online);
    assert_eq!(woo_store(&dd).consecutive_failures, 1);
    sandbox.restart_servers().await.unwrap();
    assert_eq!(dd.orders(None, 1000).unwrap().iter().filter(|o| o.store_name == "Woo").count(), 51);

    // Pause and resume; the interval.
    assert!(dd.set_store_paused(store.id, true).unwrap().paused);
    assert!(!dd.stores_due(now + Duration::days(1)).unwrap().contains(&store.id));
    dd.set_store_paused(store.id, false).unwrap();
    assert_eq!(dd.set_store_sync_interval(store.id, 0).unwrap_err().code(), ErrorCode::InvalidInput);
    assert_eq!(dd.set_store_sync_interval(store.id, 30).unwrap().sync_interval_minutes, 30);

    // Edit: a new name (not one another store has), and new keys, checked before they replace
    // the old ones.
    use dropdock_core::stores::integrations::StoreCredentialsInput;
    assert_eq!(dd.rename_store(store.id, "Demo Shopify store").unwrap_err().code(), ErrorCode::InvalidInput);
    assert_eq!(dd.rename_store(store.id, "Woo EU").unwrap().name, "Woo EU");
    let wrong =
        StoreCredentialsInput::WooCommerce { consumer_key: woo.consumer_key(), consumer_secret: "cs_wrong".into() };
    assert_eq!(dd.update_store_credentials(store.id, &wrong).await.unwrap_err().code(), ErrorCode::Auth);
    dd.test_store_connection(store.id).await.unwrap(); // the old keys are still there
    let token = StoreCredentialsInput::ShopifyToken { token: "shpat_x".into() };
    assert_eq!(dd.update_store_credentials(store.id, &token).await.unwrap_err().code(), ErrorCode::InvalidInput);
    let right =
        StoreCredentialsInput::WooCommerce { consumer_key: woo.consumer_key(), consumer_secret: woo.consumer_secret() };
    dd.update_store_credentials(store.id, &right).await.unwrap();
    dd.rename_store(store.id, "Woo").unwrap();

    // Disconnect: the keys leave the keychain, the orders stay, sync stops; connecting the same
    // name again revives the store with its orders.
    let gone = dd.disconnect_store(store.id).unwrap();
    assert!(gone.disconnected && gone.paused);
    assert_eq!(dd.secrets().get(&dropdock_core::secrets::store_token_key(store.id)).unwrap(), None);
    assert!(!dd.stores_due(now + Duration::days(1)).unwrap().contains(&store.id));
    assert_eq!(dd.test_store_connection(store.id).await.unwrap_err().code(), ErrorCode::Keychain);
    assert_eq!(dd.disconnect_store(shop_id).unwrap_err().code(), ErrorCode::InvalidInput, "the demo store stays");
    let back = dd.connect_woocommerce("Woo", &woo.url(), &woo.consumer_key(), &woo.consumer_secret()).await.unwrap();
    assert_eq!(back.id, store.id);
    assert!(!back.disconnected && !back.paused);
    assert_eq!(back.order_count, 51);
}

/// On Shopify (`updated_at:>=`) and Etsy (`min_last_modified`, whole seconds) too: an order
/// updated exactly at the watermark, never seen, is picked up once; the order that set the
/// watermark is read again but not counted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orders_at_the_watermark_are_neither_lost_nor_counted_twice_on_shopify_and_etsy() {
    let (sandbox, dd, shop_id, _dir) =
        common::synced_sandbox(SandboxConfig { orders: 100, restore_rate: 100_000.0, ..SandboxConfig::default() })
            .await;
    let now = Utc::now();

    // Shopify: the demo's Sync Order set the watermark.
    let mark = dd.store(shop_id).unwrap().watermark.expect("a clean 60-day run sets the watermark");
    let template = sandbox.shop().order_names()[0].clone();
    sandbox.shop().add_copy(&template, "#9001", mark);
    let run = dd.sync_store_in_background(shop_id, now + Duration::minutes(10)).await.unwrap();
    assert_eq!((run.summary.additions, run.summary.updates), (1, 0), "{}", run.summary.line);
    let again = dd.sync_store_in_background(shop_id, now + Duration::minutes(20)).await.unwrap();
    assert_eq!((again.summary.additions, again.summary.updates), (0, 0), "{}", again.summary.line);
    dd.order_id_by_name("#9001").unwrap();

    // Etsy.
    let etsy = sandbox.etsy();
    let (keystring, secret) = etsy.app_keys();
    let pending = dd.begin_etsy_connect("Etsy", &etsy.url(), &keystring, &secret, 0).await.unwrap();
    reqwest::get(&pending.authorize_url).await.unwrap();
    let store = dd.finish_etsy_connect(pending, std::time::Duration::from_secs(5)).await.unwrap();
    let first = dd.sync_store_in_background(store.id, now).await.unwrap();
    assert_eq!(first.summary.additions, 20, "{}", first.summary.line);
    let mark = dd.store(store.id).unwrap().watermark.unwrap();
    let mut late = etsy.receipts()[0].clone();
    late["receipt_id"] = 3_199_999_999u64.into();
    late["updated_timestamp"] = mark.timestamp().into();
    etsy.add_receipt(late);
    let run = dd.sync_store_in_background(store.id, now + Duration::minutes(10)).await.unwrap();
    assert_eq!((run.summary.additions, run.summary.updates), (1, 0), "{}", run.summary.line);
    let again = dd.sync_store_in_background(store.id, now + Duration::minutes(20)).await.unwrap();
    assert_eq!((again.summary.additions, again.summary.updates), (0, 0), "{}", again.summary.line);
}
