//! Tracking numbers back to WooCommerce, detected per store: core order fulfillments, else the
//! Shipment Tracking extension, else a customer note plus status `completed`. Each way is
//! idempotent across a crash, and a tracking number the supplier replaces updates what the store
//! already has instead of adding a second one.

mod common;

use dropdock_core::model::OrderStatus;
use dropdock_sandbox::woo::WooTrackingSupport;
use dropdock_sandbox::SandboxConfig;
use serde_json::Value;

fn meta<'a>(fulfillment: &'a Value, key: &str) -> &'a Value {
    fulfillment["meta_data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["key"] == key)
        .map(|m| &m["value"])
        .unwrap_or(&Value::Null)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tracking_reaches_woocommerce_by_whichever_way_the_store_offers() {
    let (sandbox, dd, _shop, dir) =
        common::synced_sandbox(SandboxConfig { orders: 200, restore_rate: 100_000.0, ..SandboxConfig::default() })
            .await;
    let woo = sandbox.woo();
    let store = dd.connect_woocommerce("Woo", &woo.url(), &woo.consumer_key(), &woo.consumer_secret()).await.unwrap();
    dd.sync(store.id, 60).await.unwrap();
    let db = rusqlite::Connection::open(dir.path().join(dropdock_core::db::DB_FILE)).unwrap();

    // Three paid orders with every SKU mapped, one per way of taking tracking numbers.
    let ready: Vec<_> = dd
        .orders(None, 1000)
        .unwrap()
        .into_iter()
        .filter(|o| {
            o.store_name == "Woo"
                && o.status == OrderStatus::ToOrder
                && dd.order_detail(o.id).unwrap().hold_reason.is_none()
        })
        .take(3)
        .collect();
    assert_eq!(ready.len(), 3);
    let woo_id = |name: &str| -> u64 {
        let number = name.trim_start_matches('#');
        woo.orders().iter().find(|o| o["number"] == number).unwrap()["id"].as_u64().unwrap()
    };

    for (order, support) in ready.iter().zip([
        WooTrackingSupport::Fulfillments,
        WooTrackingSupport::ShipmentTracking,
        WooTrackingSupport::NotesOnly,
    ]) {
        woo.set_tracking_support(support);
        let shipped = dd.ship(order.id).await.unwrap();
        assert!(shipped.sub_orders.iter().all(|s| s.state == "paid"), "{shipped:?}");
        for i in 0..2 {
            sandbox.supplier(i).ship_all_now();
        }
        let report = dd.track().await.unwrap();
        assert!(report.errors.is_empty(), "{support:?}: {:?}", report.errors);
        let detail = dd.order_detail(order.id).unwrap();
        assert_eq!(detail.order.status, OrderStatus::Fulfilled, "{support:?}");
        let numbers: Vec<String> =
            detail.sub_orders.iter().map(|s| s.shipment.as_ref().unwrap().tracking_number.clone()).collect();
        let id = woo_id(&order.name);
        let at_store = woo.orders().into_iter().find(|o| o["id"] == id).unwrap();
        match support {
            WooTrackingSupport::Fulfillments => {
                let list = woo.fulfillments(id);
                assert_eq!(list.len(), numbers.len(), "one fulfillment per sub-order");
                for f in &list {
                    assert_eq!(f["status"], "fulfilled");
                    assert!(numbers.iter().any(|n| meta(f, "_tracking_number") == n.as_str()));
                    assert!(meta(f, "_tracking_url").as_str().unwrap().starts_with("https://"));
                    let items = meta(f, "_items").as_array().unwrap();
                    assert!(!items.is_empty() && items.iter().all(|i| i["qty"].as_i64().unwrap() > 0), "{f}");
                }
                let item_ids: Vec<u64> = list
                    .iter()
                    .flat_map(|f| {
                        meta(f, "_items")
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|i| i["item_id"].as_u64().unwrap())
                            .collect::<Vec<_>>()
                    })
                    .collect();
                let line_ids: Vec<u64> =
                    at_store["line_items"].as_array().unwrap().iter().map(|l| l["id"].as_u64().unwrap()).collect();
                assert!(
                    item_ids.iter().all(|i| line_ids.contains(i)),
                    "the fulfillments name the order's own line items"
                );
                assert!(woo.notes(id).is_empty(), "no note when fulfillments exist");
            }
            WooTrackingSupport::ShipmentTracking => {
                let list = woo.shipment_trackings(id);
                assert_eq!(list.len(), numbers.len());
                for t in &list {
                    assert!(numbers.iter().any(|n| t["tracking_number"] == n.as_str()));
                    let named = !t["tracking_provider"].as_str().unwrap().is_empty()
                        || (!t["custom_tracking_provider"].as_str().unwrap().is_empty()
                            && t["custom_tracking_link"].as_str().unwrap().starts_with("https://"));
                    assert!(named, "a provider, or a custom one with its link: {t}");
                }
                assert_eq!(at_store["status"], "completed", "completed once every sub-order is at the store");
            }
            WooTrackingSupport::NotesOnly => {
                let notes = woo.notes(id);
                assert_eq!(notes.len(), numbers.len());
                assert!(notes.iter().all(|n| n["customer_note"] == true));
                for n in &numbers {
                    assert!(notes.iter().any(|note| note["note"].as_str().unwrap().contains(n.as_str())));
                }
                assert_eq!(at_store["status"], "completed");
            }
        }

        // A crash between the store's reply and Dropdock's record: the rerun finds what it made.
        db.execute("UPDATE shipment SET pushed_at = NULL, store_fulfillment_id = NULL", []).unwrap();
        let rerun = dd.track().await.unwrap();
        assert!(rerun.errors.is_empty(), "{:?}", rerun.errors);
        assert_eq!(
            woo.fulfillments(id).len() + woo.shipment_trackings(id).len() + woo.notes(id).len(),
            numbers.len(),
            "{support:?}: nothing made twice"
        );
    }

    // The supplier replaces a tracking number: the existing fulfillment is updated, not doubled.
    let first = &ready[0];
    woo.set_tracking_support(WooTrackingSupport::Fulfillments);
    let sub = dd.order_detail(first.id).unwrap().sub_orders.remove(0);
    let cj_order = sub.supplier_order_id.clone().unwrap();
    let supplier = (0..2).find(|i| sandbox.supplier(*i).orders().iter().any(|o| o.order_id == cj_order)).unwrap();
    sandbox.supplier(supplier).replace_track_number(&cj_order, "YT9999999999");
    db.execute("UPDATE shipment SET checked_at = NULL", []).unwrap(); // six hours pass
    let report = dd.track().await.unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(
        report.new_shipments.iter().filter(|s| s.tracking_number == "YT9999999999").count(),
        1,
        "announced once"
    );
    let id = woo_id(&first.name);
    let list = woo.fulfillments(id);
    assert_eq!(list.len(), dd.order_detail(first.id).unwrap().sub_orders.len(), "updated in place");
    assert!(list.iter().any(|f| meta(f, "_tracking_number") == "YT9999999999"));
    assert!(!list
        .iter()
        .any(|f| meta(f, "_tracking_number") == sub.shipment.as_ref().unwrap().tracking_number.as_str()));
    let shown = dd.order_detail(first.id).unwrap();
    assert_eq!(shown.order.status, OrderStatus::Fulfilled, "stays Fulfilled throughout");
    assert!(shown.sub_orders.iter().any(|s| s.shipment.as_ref().unwrap().tracking_number == "YT9999999999"));
    // Asked again within six hours: nothing new.
    let quiet = dd.track().await.unwrap();
    assert!(quiet.new_shipments.is_empty() && quiet.pushed == 0, "{quiet:?}");
}
