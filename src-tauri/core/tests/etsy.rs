//! An Etsy shop connected through OAuth 2.0 with PKCE and a loopback redirect (the test plays the
//! browser), then synced by offset to the last page; the rotating refresh token reaches the
//! keychain at once; a refused answer or a wrong API key are clear errors.

mod common;

use std::time::Duration;

use dropdock_core::secrets::store_token_key;
use dropdock_core::ErrorCode;
use dropdock_sandbox::SandboxConfig;

/// The seller's browser: opens the authorize URL and follows Etsy's redirect to Dropdock.
async fn allow_in_browser(url: &str) -> String {
    reqwest::get(url).await.unwrap().text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_etsy_shop_is_connected_with_pkce_and_synced() {
    let (sandbox, dd, _shop, dir) =
        common::synced_sandbox(SandboxConfig { orders: 600, restore_rate: 100_000.0, ..SandboxConfig::default() })
            .await;
    let etsy = sandbox.etsy();
    let (keystring, secret) = etsy.app_keys();

    // The seller refuses: a clear error, nothing stored.
    let pending = dd.begin_etsy_connect("Etsy", &etsy.url(), &keystring, &secret, 0).await.unwrap();
    let callback = pending.authorize_url.clone();
    let port = reqwest::Url::parse(&callback)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "redirect_uri")
        .unwrap()
        .1
        .into_owned();
    reqwest::get(format!("{port}?error=access_denied&state=x")).await.unwrap();
    let refused = dd.finish_etsy_connect(pending, Duration::from_secs(5)).await.unwrap_err();
    assert!(refused.to_string().contains("did not give access"), "{refused}");
    assert!(dd.store_by_name("Etsy").is_err());

    // The seller allows access: the code and verifier are traded for tokens, the shop found.
    let pending = dd.begin_etsy_connect("Etsy", &etsy.url(), &keystring, &secret, 0).await.unwrap();
    assert!(pending.authorize_url.contains("code_challenge_method=S256"));
    assert!(pending.authorize_url.contains("scope=transactions_r+transactions_w"), "{}", pending.authorize_url);
    let page = allow_in_browser(&pending.authorize_url).await;
    assert!(page.contains("connected to Dropdock"), "{page}");
    let store = dd.finish_etsy_connect(pending, Duration::from_secs(5)).await.unwrap();
    assert_eq!(store.platform, "etsy");
    dd.test_store_connection(store.id).await.unwrap();

    // 120 receipts: two pages by offset, to the last.
    let run = dd.sync(store.id, 60).await.unwrap();
    assert_eq!((run.additions, run.failures.len()), (120, 0), "{}", run.line);
    let receipt = &etsy.receipts()[0];
    let id = dd.order_id_by_name(&format!("#{}", receipt["receipt_id"])).unwrap();
    assert_eq!(dd.order_detail(id).unwrap().line_items[0].sku.as_deref(), receipt["transactions"][0]["sku"].as_str());

    // The catalogue: every listing (getListingsByShop, state by state) with its inventory
    // products (getListingInventory), as the receipts' transactions name them.
    let catalogue = dd.sync_catalogue(store.id).await.unwrap();
    assert_eq!(catalogue.error, None, "{}", catalogue.line);
    assert!(!catalogue.from_order_lines);
    assert_eq!((catalogue.products, catalogue.variants), (10, 11), "{}", catalogue.line);
    let rows = dd
        .list_products(&dropdock_core::products::ProductQuery { store_id: Some(store.id), ..Default::default() })
        .unwrap()
        .rows;
    let line = &dd.order_detail(id).unwrap().line_items[0];
    let sold = rows
        .iter()
        .find(|r| {
            Some(&r.product_id) == line.store_product_id.as_ref()
                && Some(&r.variant_id) == line.store_variant_id.as_ref()
        })
        .expect("the receipt's listing and product are in the catalogue");
    assert_eq!(sold.sku.as_deref(), line.sku.as_deref());
    let scarf: Vec<_> = rows.iter().filter(|r| r.product_title == "Hand-knit Scarf").collect();
    assert_eq!(scarf.len(), 2, "the deleted inventory product is left out");
    assert!(scarf.iter().all(|r| r.status == dropdock_core::stores::ProductStatus::Draft));
    assert!(
        scarf.iter().any(|r| r.variant_title == "Blue" && r.price_minor.is_none()),
        "a disabled offering gives no price"
    );
    assert!(scarf.iter().any(|r| r.variant_title == "Red" && r.sku.is_none() && r.price_minor == Some(3900)));

    // Etsy receipts carry no phone and CJ requires one: the shop's paid orders for CJ are held
    // with the field named until the merchant sets a default phone, which then ships them.
    let etsy_orders: Vec<_> = dd
        .orders(Some(dropdock_core::model::OrderStatus::ToOrder), 1000)
        .unwrap()
        .into_iter()
        .filter(|o| o.store_name == "Etsy")
        .collect();
    let held_for_phone = |dd: &dropdock_core::app::Dropdock| {
        etsy_orders
            .iter()
            .filter(|o| {
                let d = dd.order_detail(o.id).unwrap();
                d.order.hold_kind == Some(dropdock_core::fulfillment::HoldKind::AddressInvalid)
                    && d.order.hold_params.as_ref().and_then(|p| p.get("field")).map(String::as_str) == Some("phone")
            })
            .count()
    };
    let before = held_for_phone(&dd);
    assert!(before > 0, "paid Etsy orders for CJ are held for the phone");
    let input = dropdock_core::auto_fulfillment::AutoSettingsInput {
        default_phone: Some(" 12 ".into()),
        ..(&dd.auto_settings().unwrap()).into()
    };
    assert_eq!(dd.save_auto_settings(&input).unwrap_err().code(), ErrorCode::InvalidInput, "too few digits");
    let settings = dd
        .save_auto_settings(&dropdock_core::auto_fulfillment::AutoSettingsInput {
            default_phone: Some(" +1 555 0142 ".into()),
            ..input
        })
        .unwrap();
    assert_eq!(settings.default_phone.as_deref(), Some("+1 555 0142"));
    assert_eq!(held_for_phone(&dd), 0, "the default phone cleared every phone hold at once");

    // Tracking goes back to Etsy (createReceiptShipment), once, even after a crash-rerun.
    let paid = dd
        .orders(Some(dropdock_core::model::OrderStatus::ToOrder), 1000)
        .unwrap()
        .into_iter()
        .find(|o| o.store_name == "Etsy" && dd.order_detail(o.id).unwrap().hold_reason.is_none())
        .expect("a paid Etsy order");
    let shipped = dd.ship(paid.id).await.unwrap();
    assert!(shipped.sub_orders.iter().all(|s| s.state == "paid"), "{shipped:?}");
    let phones: Vec<String> = (0..sandbox.supplier_count())
        .flat_map(|i| sandbox.supplier(i).orders())
        .filter_map(|o| o.shipping.get("shippingPhone").cloned())
        .collect();
    assert!(phones.iter().any(|p| p == "+1 555 0142"), "CJ got the default phone: {phones:?}");
    for i in 0..sandbox.supplier_count() {
        sandbox.supplier(i).ship_all_now();
    }
    let tracked = dd.track().await.unwrap();
    assert!(tracked.errors.is_empty(), "{:?}", tracked.errors);
    let remote: u64 = paid.name.trim_start_matches('#').parse().unwrap();
    let at_etsy = || etsy.receipts().into_iter().find(|r| r["receipt_id"].as_u64() == Some(remote)).unwrap();
    let codes: Vec<String> = at_etsy()["shipments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["tracking_code"].as_str().unwrap().to_owned())
        .collect();
    let detail = dd.order_detail(paid.id).unwrap();
    let number = detail.sub_orders[0].shipment.as_ref().unwrap().tracking_number.clone();
    assert_eq!(codes, vec![number]);
    assert_eq!(at_etsy()["is_shipped"], true);
    assert_eq!(detail.order.status, dropdock_core::model::OrderStatus::Fulfilled);
    let conn = rusqlite::Connection::open(dir.path().join(dropdock_core::db::DB_FILE)).unwrap();
    conn.execute("UPDATE shipment SET pushed_at = NULL", []).unwrap();
    dd.track().await.unwrap();
    assert_eq!(at_etsy()["shipments"].as_array().unwrap().len(), 1, "no second shipment");

    // Etsy says no call is left this second: the next page waits for the next second.
    etsy.exhaust_second(1);
    let before = etsy.receipt_calls().len();
    let again = dd.sync(store.id, 60).await.unwrap();
    assert_eq!((again.additions, again.updates), (0, 1), "only the receipt just shipped changed: {}", again.line);
    let calls = etsy.receipt_calls();
    assert_eq!(calls.len() - before, 2, "two pages");
    assert!(
        calls[before + 1] - calls[before] >= Duration::from_millis(900),
        "the second page waited for the next second"
    );

    // Through faults (a burst of 429, 500 and a cut reply, then 10 % at random), another app's
    // sync stores exactly what this clean one did.
    std::env::set_var("DROPDOCK_RETRY_DELAY_MS", "5");
    let other_dir = tempfile::tempdir().unwrap();
    let other = dropdock_core::app::Dropdock::new(
        dropdock_core::db::Db::open_dir(other_dir.path()).unwrap(),
        std::sync::Arc::new(dropdock_core::secrets::MemorySecrets::default()),
        dropdock_core::app::http_client(Duration::from_secs(5)),
    );
    let pending = other.begin_etsy_connect("Etsy", &etsy.url(), &keystring, &secret, 0).await.unwrap();
    allow_in_browser(&pending.authorize_url).await;
    let other_store = other.finish_etsy_connect(pending, Duration::from_secs(5)).await.unwrap();
    etsy.fail_next(&[
        dropdock_sandbox::Fault::TooManyRequests { retry_after_secs: 0 },
        dropdock_sandbox::Fault::ServerError,
        dropdock_sandbox::Fault::Truncated,
    ]);
    etsy.set_fault_rate(0.1);
    let faulty = other.sync(other_store.id, 60).await.unwrap();
    etsy.set_fault_rate(0.0);
    assert_eq!((faulty.additions, faulty.error.as_deref()), (120, None), "{}", faulty.line);
    let snapshot = |d: &std::path::Path| -> Vec<(String, String)> {
        let conn = rusqlite::Connection::open(d.join(dropdock_core::db::DB_FILE)).unwrap();
        let mut stmt = conn
            .prepare("SELECT o.remote_id, o.content_hash FROM orders o JOIN store s ON s.id = o.store_id WHERE s.platform = 'etsy' ORDER BY 1")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<rusqlite::Result<_>>().unwrap()
    };
    assert_eq!(snapshot(other_dir.path()), snapshot(dir.path()), "the same receipts, field for field");

    // An access token near its end is renewed; the new refresh token is in the keychain at once
    // and the old one no longer works at Etsy.
    let key = store_token_key(store.id);
    let mut kept: serde_json::Value = serde_json::from_str(&dd.secrets().get(&key).unwrap().unwrap()).unwrap();
    let old_refresh = kept["refresh_token"].as_str().unwrap().to_owned();
    kept["expires_at"] = (chrono::Utc::now() + chrono::Duration::minutes(1)).to_rfc3339().into();
    dd.secrets().set(&key, &kept.to_string()).unwrap();
    dd.test_store_connection(store.id).await.unwrap();
    assert_eq!(etsy.refreshes(), 1);
    let now_kept: serde_json::Value = serde_json::from_str(&dd.secrets().get(&key).unwrap().unwrap()).unwrap();
    assert_ne!(now_kept["refresh_token"].as_str().unwrap(), old_refresh);
    assert!(!etsy.refresh_token_valid(&old_refresh), "Etsy retired the old refresh token");
    assert!(etsy.refresh_token_valid(now_kept["refresh_token"].as_str().unwrap()));

    // A wrong shared secret (x-api-key): "reconnect".
    let mut wrong = now_kept.clone();
    wrong["shared_secret"] = "nope".into();
    dd.secrets().set(&key, &wrong.to_string()).unwrap();
    let err = dd.test_store_connection(store.id).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Auth, "{err}");
}
