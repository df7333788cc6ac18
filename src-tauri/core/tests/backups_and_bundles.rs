//! Backups and bundles (issue 17), and the check before sending: a store variant mapped by its
//! ids ships as a bundle of supplier variants with their quantities (the store still gets its
//! own quantity back); a backup goes when the primary is out of stock at the sandbox CJ, and the
//! sub-order says which and why; with no option left the order is held and nothing is sent; a
//! supplier price that moved past the merchant's limit holds the order with both prices, and
//! releasing it accepts the new one.

mod common;

use dropdock_core::fulfillment::sub_order::SubOrderState;
use dropdock_core::model::OrderStatus;
use dropdock_core::orders::views::OrderDetail;
use dropdock_core::products::PartInput;
use dropdock_core::{Dropdock, ErrorCode};
use dropdock_sandbox::SandboxConfig;

/// The paid orders with a mug line (product 9000, variant 19000) that nothing holds, oldest first.
fn mug_orders(dd: &Dropdock) -> Vec<OrderDetail> {
    let mut found: Vec<OrderDetail> = dd
        .orders(Some(OrderStatus::ToOrder), 1000)
        .unwrap()
        .into_iter()
        .map(|o| dd.order_detail(o.id).unwrap())
        .filter(|d| d.hold_reason.is_none())
        .filter(|d| d.line_items.iter().any(|l| l.sku.as_deref() == Some("DD-MUG-WHT")))
        .collect();
    found.sort_by_key(|d| d.order.id);
    found
}

fn mug_quantity(d: &OrderDetail) -> i64 {
    d.line_items.iter().find(|l| l.sku.as_deref() == Some("DD-MUG-WHT")).unwrap().quantity
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bundle_ships_as_its_supplier_variants_and_a_backup_covers_an_empty_stock() {
    let (sandbox, dd, store_id, _dir) =
        common::synced_sandbox(SandboxConfig { orders: 120, ..SandboxConfig::default() }).await;
    let (sz, us) = (sandbox.supplier(0), sandbox.supplier(1));
    let sz_id = dd.supplier_by_name(&sz.name()).unwrap().id;
    let us_id = dd.supplier_by_name(&us.name()).unwrap().id;
    let catalog = sz.catalog();
    let mug = catalog.iter().find(|v| v.sku == "DD-MUG-WHT").unwrap().clone();
    let gift = catalog.iter().find(|v| v.vid != mug.vid).unwrap().clone();
    let part = |priority, supplier_id, vid: &str, quantity, cost_minor| PartInput {
        priority,
        supplier_id,
        variant_id: vid.to_owned(),
        quantity,
        cost_minor,
    };

    // A gift set: each mug sold ships as 2 mugs and 1 other item, from CJ Shenzhen.
    dd.add_mapping_part(store_id, "9000", Some("19000"), &part(1, sz_id, &mug.vid, 2, mug.cost_minor)).unwrap();
    dd.add_mapping_part(store_id, "9000", Some("19000"), &part(1, sz_id, &gift.vid, 1, gift.cost_minor)).unwrap();
    // A bundle's variants come from one supplier; absurd priorities and quantities are refused.
    let other_supplier = dd.add_mapping_part(store_id, "9000", Some("19000"), &part(1, us_id, "VID-X", 1, 100));
    assert_eq!(other_supplier.unwrap_err().code(), ErrorCode::InvalidInput);
    for bad in [part(0, sz_id, &mug.vid, 1, 100), part(10, sz_id, &mug.vid, 1, 100), part(2, sz_id, &mug.vid, 0, 100)] {
        let refused = dd.add_mapping_part(store_id, "9000", Some("19000"), &bad).unwrap_err();
        assert_eq!(refused.code(), ErrorCode::InvalidInput, "{bad:?}");
    }
    // The same supplier variant cannot be its own backup.
    let again = dd.add_mapping_part(store_id, "9000", Some("19000"), &part(2, sz_id, &mug.vid, 1, mug.cost_minor));
    assert_eq!(again.unwrap_err().code(), ErrorCode::InvalidInput);
    let listed: Vec<_> = dd
        .mappings(Some(store_id))
        .unwrap()
        .into_iter()
        .filter(|m| m.store_product_id.as_deref() == Some("9000"))
        .collect();
    assert_eq!(
        listed.iter().map(|m| (m.variant_id.as_str(), m.quantity)).collect::<Vec<_>>(),
        [(mug.vid.as_str(), 2), (gift.vid.as_str(), 1)]
    );

    let orders = mug_orders(&dd);
    assert!(orders.len() >= 4, "the demo has paid mug orders: {}", orders.len());
    let first = &orders[0];
    let qty = mug_quantity(first);
    dd.ship(first.order.id).await.unwrap();
    let detail = dd.order_detail(first.order.id).unwrap();
    let sub = detail.sub_orders.iter().find(|s| s.supplier_name == sz.name()).expect("a CJ Shenzhen sub-order");
    assert_eq!(sub.state, SubOrderState::Paid);
    let placed = sz.orders().into_iter().find(|o| o.order_number == sub.idempotency_key).unwrap();
    assert!(placed.products.contains(&(mug.vid.clone(), 2 * qty)), "{:?}", placed.products);
    assert!(placed.products.contains(&(gift.vid.clone(), qty)), "{:?}", placed.products);
    let items: Vec<_> = sub.items.iter().filter(|i| i.line == "DD-MUG-WHT").collect();
    assert_eq!(items.len(), 2, "the mug line is two supplier variants: {:?}", sub.items);
    assert!(items.iter().all(|i| i.priority == 1 && i.backup_reason.is_none()));
    // Shipped and tracked: the store gets its own line back, once.
    sz.ship_all_now();
    dd.track().await.unwrap();
    let shop = sandbox.shop();
    let pushed = shop.fulfillments(&first.order.name);
    assert_eq!(pushed.iter().filter(|f| f.line_item_skus.iter().any(|s| s == "DD-MUG-WHT")).count(), 1, "{pushed:?}");

    // Back to one mug, with the US warehouse's mug as the backup; CJ Shenzhen runs out.
    let mug_us = us.catalog()[0].clone();
    dd.remove_mapping_part(store_id, "9000", Some("19000"), 1, Some(&gift.vid)).unwrap();
    dd.add_mapping_part(store_id, "9000", Some("19000"), &part(1, sz_id, &mug.vid, 1, mug.cost_minor)).unwrap();
    dd.add_mapping_part(store_id, "9000", Some("19000"), &part(2, us_id, &mug_us.vid, 1, mug_us.cost_minor)).unwrap();
    sz.set_stock(&mug.vid, 0);
    let second = &orders[1];
    dd.ship(second.order.id).await.unwrap();
    let detail = dd.order_detail(second.order.id).unwrap();
    let at_us = detail.sub_orders.iter().find(|s| s.supplier_name == us.name()).expect("the backup's sub-order");
    let item = at_us.items.iter().find(|i| i.line == "DD-MUG-WHT").unwrap();
    assert_eq!((item.variant_id.as_str(), item.priority), (mug_us.vid.as_str(), 2));
    let why = item.backup_reason.clone().unwrap();
    assert!(why.contains("0 of") && why.contains(&sz.name()), "{why}");
    let placed = us.orders().into_iter().find(|o| o.order_number == at_us.idempotency_key).unwrap();
    assert!(placed.products.iter().any(|(vid, _)| *vid == mug_us.vid));
    for o in sz.orders().into_iter().filter(|o| o.order_number.contains(&format!("-{}-", second.order.id))) {
        assert!(!o.products.iter().any(|(vid, _)| *vid == mug.vid), "the empty mug is never ordered: {o:?}");
    }
    dd.sync_catalogue(store_id).await.unwrap();
    let row = dd
        .list_products(&dropdock_core::products::ProductQuery { search: Some("19000".into()), ..Default::default() })
        .unwrap()
        .rows
        .into_iter()
        .find(|r| r.variant_id == "19000")
        .unwrap();
    assert!(row.backup_in_use, "the Products page shows the backup in use");
    assert_eq!(row.options.len(), 2);

    // Nothing left: held with the reasons, nothing created anywhere; stock back, it ships.
    us.set_stock(&mug_us.vid, 0);
    let third = &orders[2];
    let calls = (sz.create_calls(), us.create_calls());
    let held = dd.ship(third.order.id).await.unwrap_err();
    assert_eq!(held.code(), ErrorCode::Held, "{held}");
    let detail = dd.order_detail(third.order.id).unwrap();
    assert_eq!(detail.order.hold_kind.map(|k| k.as_str()), Some("supplier_unavailable"));
    assert!(detail.hold_reason.as_deref().unwrap_or_default().contains("in stock"), "{:?}", detail.hold_reason);
    assert_eq!((sz.create_calls(), us.create_calls()), calls, "nothing was sent");
    assert!(detail.actions.can_ship, "Ship order checks again");
    sz.set_stock(&mug.vid, 50);
    dd.ship(third.order.id).await.unwrap();
    let detail = dd.order_detail(third.order.id).unwrap();
    assert!(detail.order.hold_kind.is_none());
    assert!(detail.sub_orders.iter().any(|s| s.supplier_name == sz.name() && s.state == SubOrderState::Paid));

    // The primary's supplier does not ship to the destination: the backup goes, and says why.
    us.set_stock(&mug_us.vid, 50);
    sz.set_line_countries(&["ZZ"]);
    let fourth = &orders[3];
    let country = fourth.address.as_ref().unwrap().country_code.clone();
    dd.ship(fourth.order.id).await.unwrap();
    let detail = dd.order_detail(fourth.order.id).unwrap();
    let at_us = detail.sub_orders.iter().find(|s| s.supplier_name == us.name()).expect("sent through the backup");
    let item = at_us.items.iter().find(|i| i.line == "DD-MUG-WHT").unwrap();
    assert_eq!(item.priority, 2);
    assert!(
        item.backup_reason.as_deref().unwrap_or_default().contains(&format!("does not ship to {country}")),
        "{item:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moved_price_holds_the_order_until_the_merchant_accepts_it() {
    let (sandbox, dd, store_id, _dir) =
        common::synced_sandbox(SandboxConfig { orders: 120, ..SandboxConfig::default() }).await;
    let sz = sandbox.supplier(0);
    let sz_id = dd.supplier_by_name(&sz.name()).unwrap().id;
    let mug = sz.catalog().into_iter().find(|v| v.sku == "DD-MUG-WHT").unwrap();
    dd.map_variant(store_id, "9000", Some("19000"), sz_id, &mug.vid, mug.cost_minor).unwrap();
    // The supplier's price rises by half.
    let new_cost = mug.cost_minor * 3 / 2;
    sz.set_cost(&mug.vid, new_cost);
    let order = mug_orders(&dd).into_iter().next().unwrap();
    let calls = sz.create_calls();
    assert_eq!(dd.ship(order.order.id).await.unwrap_err().code(), ErrorCode::Held);
    let detail = dd.order_detail(order.order.id).unwrap();
    assert_eq!(detail.order.hold_kind.map(|k| k.as_str()), Some("cost_changed"));
    let params = detail.order.hold_params.clone().unwrap_or_default();
    assert_eq!(params.get("old"), Some(&mug.cost_minor.to_string()));
    assert_eq!(params.get("new"), Some(&new_cost.to_string()));
    assert_eq!(sz.create_calls(), calls, "nothing was sent");
    assert!(detail.actions.can_release && !detail.actions.can_ship);
    // Released: the mapping takes the new price, and the order ships.
    dd.release_orders(&[order.order.id]).unwrap();
    let mapped = dd
        .mappings(Some(store_id))
        .unwrap()
        .into_iter()
        .find(|m| m.store_product_id.as_deref() == Some("9000"))
        .unwrap();
    assert_eq!(mapped.cost_minor, new_cost);
    dd.ship(order.order.id).await.unwrap();
    assert!(dd.order_detail(order.order.id).unwrap().sub_orders.iter().any(|s| s.state == SubOrderState::Paid));

    // A cost limit passes over an option that costs more now; with nothing else, it is held.
    dd.set_mapping_cost_limit(store_id, "9000", Some("19000"), Some(new_cost - 1)).unwrap();
    let next = mug_orders(&dd).into_iter().next().unwrap();
    assert_eq!(dd.ship(next.order.id).await.unwrap_err().code(), ErrorCode::Held);
    let detail = dd.order_detail(next.order.id).unwrap();
    assert_eq!(detail.order.hold_kind.map(|k| k.as_str()), Some("supplier_unavailable"));
    assert!(detail.hold_reason.as_deref().unwrap_or_default().contains("above your limit"), "{:?}", detail.hold_reason);
}
