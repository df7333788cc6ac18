//! Mapping by destination country (issue 17, "by destination country"): a store variant shipped
//! by one supplier variant everywhere is shipped by another to one country; orders to that
//! country go there, every other country's keep the variant's own mapping; removing it brings
//! them back; a bad country code is refused and changes nothing.

mod common;

use dropdock_core::model::OrderStatus;
use dropdock_core::ErrorCode;
use dropdock_sandbox::SandboxConfig;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_country_mapping_wins_for_its_country_only() {
    let (sandbox, dd, store_id, _dir) =
        common::synced_sandbox(SandboxConfig { orders: 120, ..SandboxConfig::default() }).await;
    let (sz, us) = (sandbox.supplier(0), sandbox.supplier(1));
    let us_supplier = dd.supplier_by_name(&us.name()).unwrap();
    // The mug (product 9000, variant 19000) ships from CJ Shenzhen through its SKU's mapping; to
    // Great Britain it ships from the US warehouse under another variant id and cost.
    let mug_sz = sz.catalog().into_iter().find(|v| v.sku == "DD-MUG-WHT").unwrap();
    let mug_us = us.catalog()[0].clone();
    let refused = dd.map_variant_for_country(store_id, "9000", Some("19000"), "UK", us_supplier.id, &mug_us.vid, 275);
    assert_eq!(refused.unwrap_err().code(), ErrorCode::InvalidInput, "UK is not an ISO code (GB is)");
    dd.map_variant_for_country(store_id, "9000", Some("19000"), "gb", us_supplier.id, &mug_us.vid, mug_us.cost_minor)
        .unwrap();
    let listed = dd.mappings(Some(store_id)).unwrap();
    assert!(listed.iter().any(|m| m.country.as_deref() == Some("GB") && m.variant_id == mug_us.vid), "{listed:?}");

    // The paid mug orders, by destination.
    let mut to_gb = None;
    let mut elsewhere = None;
    for o in dd.orders(Some(OrderStatus::ToOrder), 1000).unwrap() {
        let d = dd.order_detail(o.id).unwrap();
        if d.hold_reason.is_some() || !d.line_items.iter().any(|l| l.sku.as_deref() == Some("DD-MUG-WHT")) {
            continue;
        }
        match d.address.as_ref().map(|a| a.country_code.as_str()) {
            Some("GB") if to_gb.is_none() => to_gb = Some(d),
            Some(c) if c != "GB" && elsewhere.is_none() => elsewhere = Some(d),
            _ => {}
        }
    }
    let (to_gb, elsewhere) = (to_gb.expect("a paid mug order to GB"), elsewhere.expect("a paid mug order elsewhere"));
    let line = |d: &dropdock_core::orders::views::OrderDetail| {
        d.line_items.iter().find(|l| l.sku.as_deref() == Some("DD-MUG-WHT")).unwrap().supplier_name.clone()
    };
    assert_eq!(line(&to_gb), Some(us.name()), "the detail shows who ships the GB order's mug");
    assert_eq!(line(&elsewhere), Some(sz.name()));

    // Shipped: the GB order's mug goes to the US warehouse under the country mapping's variant.
    dd.ship(to_gb.order.id).await.unwrap();
    let sent = dd.order_detail(to_gb.order.id).unwrap().sub_orders;
    let at_us = sent.iter().find(|s| s.supplier_name == us.name()).expect("a sub-order at the US warehouse");
    let placed =
        us.orders().into_iter().find(|o| o.order_number == at_us.idempotency_key).expect("sent to the US warehouse");
    assert!(placed.products.iter().any(|(vid, _)| *vid == mug_us.vid), "{:?}", placed.products);
    if let Some(at_sz) = sent.iter().find(|s| s.supplier_name == sz.name()) {
        let placed = sz.orders().into_iter().find(|o| o.order_number == at_sz.idempotency_key).unwrap();
        assert!(!placed.products.iter().any(|(vid, _)| *vid == mug_sz.vid), "the mug is not sent twice");
    }

    // Removed: the GB orders take the variant's SKU mapping again; a second removal is refused.
    dd.remove_variant_country_mapping(store_id, "9000", Some("19000"), "GB").unwrap();
    assert_eq!(
        dd.remove_variant_country_mapping(store_id, "9000", Some("19000"), "GB").unwrap_err().code(),
        ErrorCode::NotFound
    );
    assert!(dd.mappings(Some(store_id)).unwrap().iter().all(|m| m.country.is_none()));
    let sent_elsewhere = dd.order_detail(elsewhere.order.id).unwrap();
    assert_eq!(line(&sent_elsewhere), Some(sz.name()));
}
