//! The whole job against the embedded sandbox's real-protocol servers: sync, update detection,
//! Ship order (split by supplier, exactly once), tracking pushed back to the store.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use dropdock_core::app::{http_client, Dropdock};
use dropdock_core::db::Db;
use dropdock_core::model::OrderStatus;
use dropdock_core::secrets::MemorySecrets;
use dropdock_core::tracking::carriers::map_carrier;
use dropdock_core::ErrorCode;
use dropdock_demo::{connect_sandbox, sandbox_endpoints};
use dropdock_sandbox::{Sandbox, SandboxConfig};
use serde_json::json;

struct Setup {
    sandbox: Sandbox,
    dd: Dropdock,
    store_id: i64,
    _dir: tempfile::TempDir,
}

async fn setup(config: SandboxConfig, timeout: Duration) -> Setup {
    let sandbox = Sandbox::start(config).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dd = Dropdock::new(Db::open_dir(dir.path()).unwrap(), Arc::new(MemorySecrets::default()), http_client(timeout));
    let store_id = connect_sandbox(&dd, &sandbox_endpoints(&sandbox)).await.unwrap();
    Setup { sandbox, dd, store_id, _dir: dir }
}

fn is_paid(status: &str) -> bool {
    matches!(status, "PAID" | "PARTIALLY_REFUNDED")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_ship_track_end_to_end() {
    let Setup { sandbox, dd, store_id, _dir } = setup(SandboxConfig::default(), Duration::from_secs(10)).await;
    let shop = sandbox.shop();
    let seeded = shop.order_names();
    assert_eq!(seeded.len(), 200);

    // Sync 60 days: every seeded order is added; the statuses follow the store's payment state.
    let first = dd.sync(store_id, 60).await.unwrap();
    assert_eq!((first.additions, first.updates, first.failures.len()), (200, 0, 0), "{}", first.line);
    assert!(
        first.line.starts_with("Synchronize ") && first.line.ends_with("Total additions 200, To update 0, fail 0"),
        "{}",
        first.line
    );
    let unpaid = seeded.iter().filter(|n| !is_paid(&shop.order(n).unwrap().financial_status)).count();
    assert!(unpaid > 0);
    assert_eq!(dd.orders(Some(OrderStatus::AwaitingPayment), 1000).unwrap().len(), unpaid);
    assert_eq!(dd.orders(Some(OrderStatus::ToOrder), 1000).unwrap().len(), 200 - unpaid);

    // The same sync again adds and updates nothing.
    let again = dd.sync(store_id, 60).await.unwrap();
    assert_eq!((again.additions, again.updates, again.failures.len()), (0, 0, 0), "{}", again.line);

    // Three orders edited at the store: To update 3.
    let edited = shop.edit_orders(3);
    let third = dd.sync(store_id, 7).await.unwrap();
    assert_eq!((third.additions, third.updates), (0, 3), "{}", third.line);
    for name in &edited {
        let id = dd.order_id_by_name(name).unwrap();
        assert_eq!(dd.order_detail(id).unwrap().email, shop.order(name).unwrap().email);
    }

    // Ship 3 paid orders, at least one of them with items from both suppliers.
    for country in ["US", "GB", "DE", "CA", "AU", "FR", "NL", "ES"] {
        dd.set_shipping_default(country, "YunExpress Standard").unwrap();
    }
    let to_order = dd.orders(Some(OrderStatus::ToOrder), 1000).unwrap();
    let two_suppliers = |id: i64| {
        dd.order_detail(id)
            .unwrap()
            .line_items
            .iter()
            .filter_map(|l| l.supplier_name.clone())
            .collect::<HashSet<_>>()
            .len()
            == 2
    };
    let mixed = to_order.iter().find(|o| two_suppliers(o.id)).expect("the seed has multi-supplier orders");
    let mut chosen = vec![mixed.clone()];
    chosen.extend(to_order.iter().filter(|o| o.id != mixed.id && !two_suppliers(o.id)).take(2).cloned());
    let mut keys = HashSet::new();
    for order in &chosen {
        let result = dd.ship(order.id).await.unwrap();
        assert!(result.sub_orders.iter().all(|s| s.state == "paid"), "{result:?}");
        let detail = dd.order_detail(order.id).unwrap();
        assert_eq!(detail.order.status, OrderStatus::Processing);
        keys.extend(detail.sub_orders.iter().map(|s| s.idempotency_key.clone()));
    }
    assert_eq!(keys.len(), 4, "the mixed order splits into two sub-orders, the others one each");
    // At every platform (CJ, and Printful for a print-on-demand item), by our key.
    let at_supplier = || sandbox.supplier_orders();
    let numbers: HashSet<String> = at_supplier().into_iter().map(|o| o.key).collect();
    assert_eq!(numbers, keys, "exactly one supplier order per sub-order");

    // Shipping an order again sends nothing.
    let err = dd.ship(chosen[1].id).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(at_supplier().len(), 4);

    // Nothing shipped yet: a poll finds nothing.
    let quiet = dd.track().await.unwrap();
    assert_eq!((quiet.checked, quiet.new_shipments.len()), (4, 0));

    // The suppliers ship; one poll records the shipments and pushes them to the store.
    sandbox.ship_all_now();
    let report = dd.track().await.unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!((report.new_shipments.len(), report.pushed), (4, 4));
    for order in &chosen {
        assert_eq!(shop.fulfillment_status(&order.name), Some("FULFILLED"), "{}", order.name);
        assert_eq!(dd.order_detail(order.id).unwrap().order.status, OrderStatus::Fulfilled);
        let detail = dd.order_detail(order.id).unwrap();
        let fulfillments = shop.fulfillments(&order.name);
        assert_eq!(fulfillments.len(), detail.sub_orders.len());
        for sub in &detail.sub_orders {
            let at_cj = (0..sandbox.supplier_count())
                .flat_map(|i| sandbox.supplier(i).orders())
                .find(|o| o.order_number == sub.idempotency_key);
            match at_cj {
                Some(supplier_order) => {
                    let f = fulfillments
                        .iter()
                        .find(|f| f.tracking_number == supplier_order.track_number)
                        .expect("tracking number reached the store");
                    assert_eq!(f.tracking_company, "YunExpress");
                    assert_eq!(f.tracking_company, map_carrier(&supplier_order.logistic_name, "").company);
                }
                None => {
                    // At Printful: the number its tracking URL carries, under its own carrier.
                    let at_printful = sandbox.printful().orders();
                    let pf = at_printful.iter().find(|o| o.external_id == sub.idempotency_key).expect("at Printful");
                    let f = fulfillments
                        .iter()
                        .find(|f| f.tracking_number == pf.tracking_number)
                        .expect("tracking number reached the store");
                    assert_eq!(f.tracking_company, map_carrier(&pf.carrier, "").company);
                }
            }
        }
    }
    // The mixed order's two fulfilments hold different suppliers' line items.
    let mixed_fulfillments = shop.fulfillments(&mixed.name);
    assert_eq!(mixed_fulfillments.len(), 2);
    assert!(mixed_fulfillments.iter().all(|f| !f.line_item_skus.is_empty()));

    // The tray: 4 shipments today (on any clock whose day began before them), none processing.
    let tray = dd.tray_counts(0).unwrap();
    assert_eq!(tray.shipped_today, 4);
    assert_eq!(tray.processing, dd.orders(Some(OrderStatus::Processing), 1000).unwrap().len() as i64);
    assert_eq!(tray.to_order, dd.orders(Some(OrderStatus::ToOrder), 1000).unwrap().len() as i64);
    assert!(dd.tray_counts(24 * 60).is_err());

    // A second poll changes nothing at the store.
    let rerun = dd.track().await.unwrap();
    assert_eq!((rerun.new_shipments.len(), rerun.pushed), (0, 0));
    assert_eq!(shop.fulfillments(&mixed.name).len(), 2);

    // The wallet ledger matches what the suppliers charged.
    let charged: i64 = at_supplier().iter().map(|o| o.amount_minor).sum();
    let suppliers = dd.refresh_wallet().await.unwrap();
    let ledger: i64 = suppliers.iter().map(|s| s.ledger_total_minor).sum();
    assert_eq!(ledger, -charged);
    // The CJ wallets paid their part; Printful (no balance) charged its billing method.
    let balances: i64 = suppliers.iter().filter_map(|s| s.balance_minor).sum();
    let at_printful: i64 =
        at_supplier().iter().filter(|o| o.account == "Printful (demo)").map(|o| o.amount_minor).sum();
    assert_eq!(balances, 2 * SandboxConfig::default().opening_balance_minor - (charged - at_printful));
    assert!(suppliers.iter().any(|s| s.kind == "printful" && s.balance_minor.is_none()));
}

fn valid_node(id: u64, name: &str) -> serde_json::Value {
    json!({
        "id": format!("gid://shopify/Order/{id}"), "name": name,
        "createdAt": "2026-11-01T10:00:00Z", "updatedAt": chrono::Utc::now().to_rfc3339(),
        "email": null, "displayFinancialStatus": "PAID", "displayFulfillmentStatus": "UNFULFILLED",
        "customer": null,
        "totalPriceSet": { "shopMoney": { "amount": "10.00", "currencyCode": "USD" } },
        "shippingAddress": { "name": "T", "address1": "1 Test Rd", "address2": null, "city": "Austin", "province": "Texas", "zip": "78701", "countryCodeV2": "US", "phone": null },
        "lineItems": { "pageInfo": { "hasNextPage": false }, "nodes": [{ "id": format!("gid://shopify/LineItem/{id}1"), "sku": "DD-MUG-WHT", "name": "Mug", "quantity": 1, "requiresShipping": true, "originalUnitPriceSet": { "shopMoney": { "amount": "10.00", "currencyCode": "USD" } } }] }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_orders_are_counted_in_fail_and_the_page_is_kept() {
    let config = SandboxConfig { orders: 30, ..SandboxConfig::default() };
    let Setup { sandbox, dd, store_id, _dir } = setup(config, Duration::from_secs(10)).await;
    let shop = sandbox.shop();
    let mut no_street = valid_node(1, "#BAD-ADDRESS");
    no_street["shippingAddress"]["address1"] = json!(null);
    let mut bad_country = valid_node(2, "#BAD-COUNTRY");
    bad_country["shippingAddress"]["countryCodeV2"] = json!("XX");
    let mut bad_money = valid_node(3, "#BAD-MONEY");
    bad_money["totalPriceSet"]["shopMoney"]["amount"] = json!("12,00 USD");
    let mut digital = valid_node(4, "#DIGITAL");
    digital["shippingAddress"] = json!(null);
    for node in [no_street, bad_country, bad_money, digital, valid_node(5, "#GOOD")] {
        shop.add_raw_order(node);
    }
    let summary = dd.sync(store_id, 30).await.unwrap();
    assert_eq!(summary.failures.len(), 3, "{:?}", summary.failures);
    assert!(summary.line.ends_with("fail 3"), "{}", summary.line);
    let reason =
        |r: &str| summary.failures.iter().find(|f| f.reference == r).map(|f| f.reason.clone()).unwrap_or_default();
    assert!(reason("#BAD-ADDRESS").contains("address1"), "{}", reason("#BAD-ADDRESS"));
    assert!(reason("#BAD-COUNTRY").contains("unknown country code 'XX'"));
    assert!(reason("#BAD-MONEY").contains("not a decimal amount"));
    // The rest of the page is stored, the digital order too (held, not failed).
    let in_window = shop.orders_updated_since(summary.finished_at - chrono::Duration::days(30)).len();
    assert_eq!(summary.additions as usize, in_window - 3);
    let digital = dd.order_detail(dd.order_id_by_name("#DIGITAL").unwrap()).unwrap();
    assert!(digital.hold_reason.unwrap().contains("no shipping address"));
    dd.order_id_by_name("#GOOD").unwrap();
    assert!(dd.order_id_by_name("#BAD-MONEY").is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_create_reply_ends_with_one_supplier_order() {
    let config = SandboxConfig { orders: 40, ..SandboxConfig::default() };
    let Setup { sandbox, dd, store_id, _dir } = setup(config, Duration::from_secs(10)).await;
    dd.sync(store_id, 60).await.unwrap();
    let supplier = sandbox.supplier(0);
    let order = dd
        .orders(Some(OrderStatus::ToOrder), 100)
        .unwrap()
        .into_iter()
        .find(|o| {
            dd.order_detail(o.id)
                .unwrap()
                .line_items
                .iter()
                .all(|l| l.supplier_name.as_deref() == Some(supplier.name().as_str()) || !l.requires_shipping)
        })
        .expect("an order from the first supplier only");
    // The reply comes back without the order (CJ created it): the order is looked up by our
    // number in the same attempt, recorded paid, and never sent twice.
    supplier.drop_create_replies(1);
    let first = dd.ship(order.id).await.unwrap();
    assert_eq!(first.sub_orders[0].state, "paid", "{first:?}");
    assert_eq!(supplier.orders().len(), 1, "the supplier did create it");
    assert_eq!(first.sub_orders[0].supplier_order_id.as_deref(), Some(supplier.orders()[0].order_id.as_str()));
    assert_eq!(first.sub_orders[0].cost_minor, Some(supplier.orders()[0].amount_minor));
    assert!(dd.ship(order.id).await.is_err(), "already with its supplier");
    assert_eq!(supplier.orders().len(), 1, "looked up, not sent twice");
    let charges = dd.suppliers().unwrap().iter().map(|s| s.charged_sub_orders).sum::<i64>();
    assert_eq!(charges, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_credentials_and_dead_urls_are_clear_errors_and_store_nothing() {
    let sandbox = Sandbox::start(SandboxConfig { orders: 1, ..SandboxConfig::default() }).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dd = Dropdock::new(
        Db::open_dir(dir.path()).unwrap(),
        Arc::new(MemorySecrets::default()),
        http_client(Duration::from_secs(5)),
    );
    let err = dd.connect_shopify("Shop", &sandbox.shopify_url(), "shpat_wrong", false).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Auth);
    assert!(err.to_string().contains("reconnect"), "{err}");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let err = dd.connect_shopify("Shop", &dead, "t", false).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Network, "{err}");
    let err = dd.connect_cj("CJ", &sandbox.supplier(0).url(), "not-the-key", false).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Auth, "{err}");
    assert!(dd.stores().unwrap().is_empty() && dd.suppliers().unwrap().is_empty());
    assert_eq!(dd.sync(1, 30).await.unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!(dd.sync(1, 31).await.unwrap_err().code(), ErrorCode::InvalidInput);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supplier_calls_keep_to_the_account_rate_limit() {
    let Setup { sandbox, dd, _dir, .. } =
        setup(SandboxConfig { orders: 10, ..SandboxConfig::default() }, Duration::from_secs(10)).await;
    // A real account connected at CJ's free level: 1 request per second.
    let supplier = sandbox.supplier(0);
    sandbox.supplier(0).allow_token_call();
    let real = dd.connect_cj("CJ free level", &supplier.url(), &supplier.api_key(), false).await.unwrap();
    assert_eq!(real.requests_per_second, 1);
    let client = dd.supplier_client(real.id).unwrap();
    let started = std::time::Instant::now();
    for _ in 0..3 {
        client.balance().await.unwrap();
    }
    // The first call may go at once; the next two wait their turn.
    assert!(started.elapsed() >= Duration::from_millis(1900), "{:?}", started.elapsed());
    assert!(dd.set_supplier_rate_limit(real.id, 0).is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expiring_access_token_is_renewed_with_the_refresh_token() {
    let Setup { sandbox, dd, _dir, .. } =
        setup(SandboxConfig { orders: 10, ..SandboxConfig::default() }, Duration::from_secs(10)).await;
    // Tokens that last 30 minutes: each is "about to expire" by the time it is used again.
    let cj = sandbox.supplier(1);
    cj.set_access_token_lifetime(chrono::Duration::minutes(30));
    cj.allow_token_call();
    let supplier = dd.connect_cj("CJ expiring tokens", &cj.url(), &cj.api_key(), false).await.unwrap();
    dd.set_supplier_rate_limit(supplier.id, 100).unwrap();
    let client = dd.supplier_client(supplier.id).unwrap();
    // getAccessToken was just used (once per 5 minutes): only the refresh token can renew it.
    for _ in 0..3 {
        client.balance().await.unwrap();
    }
    assert_eq!(cj.refreshes(), 3);
}

/// A two-supplier order whose suppliers ship at different times: partially fulfilled in the
/// store and on the Order page after the first, fulfilled after the second, with two fulfilments
/// each holding its supplier's line items.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_two_supplier_order_is_partially_then_fully_fulfilled() {
    let Setup { sandbox, dd, store_id, _dir } = setup(
        SandboxConfig { orders: 60, ship_after: Duration::from_secs(3600), ..SandboxConfig::default() },
        Duration::from_secs(10),
    )
    .await;
    dd.sync(store_id, 60).await.unwrap();
    let shop = sandbox.shop();
    let mixed = dd
        .orders(Some(OrderStatus::ToOrder), 1000)
        .unwrap()
        .into_iter()
        .find(|o| {
            let d = dd.order_detail(o.id).unwrap();
            let suppliers: HashSet<String> = d.line_items.iter().filter_map(|l| l.supplier_name.clone()).collect();
            // The two CJ accounts (the CJ + Printful split has its own test below).
            d.hold_reason.is_none() && suppliers.len() == 2 && suppliers.iter().all(|n| n.starts_with("CJ "))
        })
        .expect("a multi-supplier order");
    dd.ship(mixed.id).await.unwrap();
    let supplier_skus =
        |i: usize| -> HashSet<String> { sandbox.supplier(i).catalog().into_iter().map(|v| v.sku).collect() };

    sandbox.supplier(0).ship_all_now();
    let first = dd.track().await.unwrap();
    assert_eq!(first.pushed, 1, "{first:?}");
    assert_eq!(shop.fulfillment_status(&mixed.name), Some("PARTIALLY_FULFILLED"));
    assert_eq!(dd.order_detail(mixed.id).unwrap().order.status, OrderStatus::PartiallyFulfilled);
    assert_eq!(dd.tray_counts(0).unwrap().shipped_today, 1);
    let one = shop.fulfillments(&mixed.name);
    assert_eq!(one.len(), 1);
    assert!(one[0].line_item_skus.iter().all(|s| supplier_skus(0).contains(s)), "{one:?}");

    sandbox.supplier(1).ship_all_now();
    let second = dd.track().await.unwrap();
    assert_eq!(second.pushed, 1, "{second:?}");
    assert_eq!(shop.fulfillment_status(&mixed.name), Some("FULFILLED"));
    assert_eq!(dd.order_detail(mixed.id).unwrap().order.status, OrderStatus::Fulfilled);
    let two = shop.fulfillments(&mixed.name);
    assert_eq!(two.len(), 2);
    assert!(
        two.iter()
            .any(|f| !f.line_item_skus.is_empty() && f.line_item_skus.iter().all(|s| supplier_skus(1).contains(s))),
        "{two:?}"
    );
    // A crash between the store's reply and Dropdock's record: the pushes are forgotten locally;
    // the rerun finds the fulfilments by their tracking numbers and creates no third.
    let conn = rusqlite::Connection::open(_dir.path().join(dropdock_core::db::DB_FILE)).unwrap();
    conn.execute("UPDATE shipment SET pushed_at = NULL, store_fulfillment_id = NULL", []).unwrap();
    let rerun = dd.track().await.unwrap();
    assert_eq!(rerun.pushed, 2, "{rerun:?}");
    assert_eq!(shop.fulfillments(&mixed.name).len(), 2);
    assert_eq!(dd.order_detail(mixed.id).unwrap().order.status, OrderStatus::Fulfilled);

    // The supplier replaces a tracking number: Shopify's fulfilment is updated
    // (fulfillmentTrackingInfoUpdate), still two fulfilments, the right carrier name.
    let sub = dd.order_detail(mixed.id).unwrap().sub_orders.remove(0);
    let cj_order = sub.supplier_order_id.clone().unwrap();
    let old_number = sub.shipment.unwrap().tracking_number;
    let i = (0..2).find(|i| sandbox.supplier(*i).orders().iter().any(|o| o.order_id == cj_order)).unwrap();
    sandbox.supplier(i).replace_track_number(&cj_order, "9400111899560000000001");
    conn.execute("UPDATE shipment SET checked_at = NULL", []).unwrap(); // six hours pass
    let changed = dd.track().await.unwrap();
    assert!(changed.errors.is_empty(), "{:?}", changed.errors);
    let after = shop.fulfillments(&mixed.name);
    assert_eq!(after.len(), 2, "{after:?}");
    assert!(after.iter().any(|f| f.tracking_number == "9400111899560000000001"));
    assert!(!after.iter().any(|f| f.tracking_number == old_number));

    // The parcels arrive: the supplier says DELIVERED, and the order is Delivered.
    sandbox.supplier(0).deliver_all_now();
    conn.execute("UPDATE shipment SET checked_at = NULL", []).unwrap();
    dd.track().await.unwrap();
    assert_eq!(dd.order_detail(mixed.id).unwrap().order.status, OrderStatus::Fulfilled, "one of two parcels delivered");
    sandbox.supplier(1).deliver_all_now();
    conn.execute("UPDATE shipment SET checked_at = NULL", []).unwrap();
    dd.track().await.unwrap();
    assert_eq!(dd.order_detail(mixed.id).unwrap().order.status, OrderStatus::Delivered);
    let tab = dd.status_counts().unwrap().into_iter().find(|c| c.status == OrderStatus::Delivered).unwrap();
    assert_eq!(tab.count, 1, "the Delivered tab counts it");
    conn.execute("UPDATE shipment SET checked_at = NULL", []).unwrap();
    assert_eq!(dd.track().await.unwrap().checked, 0, "a delivered sub-order is not asked about again");
}

/// One demo order with a CJ item and a print-on-demand item: two sub-orders on two platforms,
/// CJ paid from My Wallet and Printful drafted then confirmed under our key, tracked and pushed
/// to the store separately: Partially fulfilled, then Fulfilled, then Delivered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_split_across_cj_and_printful_is_sent_tracked_and_pushed_per_platform() {
    const PRINTFUL: &str = "Printful (demo)";
    let Setup { sandbox, dd, store_id, _dir } = setup(
        SandboxConfig { orders: 60, ship_after: Duration::from_secs(3600), ..SandboxConfig::default() },
        Duration::from_secs(10),
    )
    .await;
    dd.sync(store_id, 60).await.unwrap();
    let shop = sandbox.shop();
    let split = dd
        .orders(Some(OrderStatus::ToOrder), 1000)
        .unwrap()
        .into_iter()
        .find(|o| {
            let d = dd.order_detail(o.id).unwrap();
            let suppliers: HashSet<String> = d.line_items.iter().filter_map(|l| l.supplier_name.clone()).collect();
            d.hold_reason.is_none() && suppliers.len() == 2 && suppliers.contains(PRINTFUL)
        })
        .expect("the demo has orders split across CJ and Printful");
    let shipped = dd.ship(split.id).await.unwrap();
    assert_eq!(shipped.sub_orders.len(), 2, "{shipped:?}");
    assert!(shipped.sub_orders.iter().all(|s| s.state == "paid"), "{shipped:?}");

    // At each platform, one order under its sub-order's key; Printful's confirmed (charged).
    let detail = dd.order_detail(split.id).unwrap();
    let at_suppliers = sandbox.supplier_orders();
    assert_eq!(at_suppliers.len(), 2, "{at_suppliers:?}");
    for sub in &detail.sub_orders {
        let there: Vec<_> = at_suppliers.iter().filter(|o| o.key == sub.idempotency_key).collect();
        assert_eq!(there.len(), 1, "{sub:?} {at_suppliers:?}");
        assert_eq!(there[0].account, sub.supplier_name);
        assert!(there[0].paid);
        assert_eq!(sub.cost_minor, Some(there[0].amount_minor), "the charge is the platform's");
    }
    assert_eq!((sandbox.printful().create_calls(), sandbox.printful().confirm_calls()), (1, 1));
    let printful_sub = detail.sub_orders.iter().find(|s| s.supplier_name == PRINTFUL).unwrap();
    assert_eq!(printful_sub.payment_method.as_deref(), Some("billing"), "Printful charges its billing method");
    let printful_skus: HashSet<String> = sandbox.printful().catalog().into_iter().map(|v| v.sku).collect();

    // Printful ships first: its line items alone are fulfilled in the store.
    sandbox.printful().ship_all_now();
    let first = dd.track().await.unwrap();
    assert!(first.errors.is_empty(), "{:?}", first.errors);
    assert_eq!(first.pushed, 1, "{first:?}");
    assert_eq!(shop.fulfillment_status(&split.name), Some("PARTIALLY_FULFILLED"));
    assert_eq!(dd.order_detail(split.id).unwrap().order.status, OrderStatus::PartiallyFulfilled);
    let one = shop.fulfillments(&split.name);
    assert_eq!(one.len(), 1, "{one:?}");
    assert!(one[0].line_item_skus.iter().all(|s| printful_skus.contains(s)), "{one:?}");
    let number = &sandbox.printful().orders()[0].tracking_number;
    assert_eq!(&one[0].tracking_number, number, "the number Printful's tracking URL carries");

    // Then CJ: a second fulfilment with the CJ items, and the order is whole.
    sandbox.ship_all_now();
    let second = dd.track().await.unwrap();
    assert_eq!(second.pushed, 1, "{second:?}");
    assert_eq!(shop.fulfillment_status(&split.name), Some("FULFILLED"));
    assert_eq!(dd.order_detail(split.id).unwrap().order.status, OrderStatus::Fulfilled);
    let two = shop.fulfillments(&split.name);
    assert_eq!(two.len(), 2, "{two:?}");
    assert!(two
        .iter()
        .any(|f| !f.line_item_skus.is_empty() && f.line_item_skus.iter().all(|s| !printful_skus.contains(s))));

    // Both parcels arrive: Delivered, and not asked about again.
    sandbox.deliver_all_now();
    let conn = rusqlite::Connection::open(_dir.path().join(dropdock_core::db::DB_FILE)).unwrap();
    conn.execute("UPDATE shipment SET checked_at = NULL", []).unwrap();
    dd.track().await.unwrap();
    assert_eq!(dd.order_detail(split.id).unwrap().order.status, OrderStatus::Delivered);
    assert_eq!(sandbox.printful().create_calls(), 1, "nothing was created twice");
}
