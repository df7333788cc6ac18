//! Mapping by the store's own ids (issue 17, first step): a WooCommerce line item with an empty
//! SKU (the documented order shape allows it: `"sku": ""`, `product_id`, `variation_id` 0) is
//! held as unmapped, is mapped by store and product id, and ships to the mapped supplier variant;
//! a variant mapping wins over the SKU mapping of the same line; bad input is refused.

mod common;

use dropdock_core::model::OrderStatus;
use dropdock_core::ErrorCode;
use dropdock_sandbox::SandboxConfig;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_line_without_a_sku_is_mapped_by_its_store_ids_and_ships() {
    let (sandbox, dd, _shop, _dir) =
        common::synced_sandbox(SandboxConfig { orders: 400, ..SandboxConfig::default() }).await;
    let woo = sandbox.woo();
    let store = dd.connect_woocommerce("Woo", &woo.url(), &woo.consumer_key(), &woo.consumer_secret()).await.unwrap();
    dd.sync(store.id, 60).await.unwrap();

    // A paid order one of whose lines has no SKU: held, and the hold says why.
    let waiting = dd.orders(Some(OrderStatus::ToOrder), 1000).unwrap();
    let (order, line) = waiting
        .iter()
        .filter(|o| o.store_name == "Woo")
        .find_map(|o| {
            let d = dd.order_detail(o.id).unwrap();
            let no_sku = d.line_items.iter().find(|l| l.sku.as_deref().unwrap_or("").is_empty())?.clone();
            // Every other line is mapped by SKU, so the empty one alone holds the order.
            d.line_items
                .iter()
                .all(|l| l.sku.as_deref().unwrap_or("").is_empty() || l.supplier_name.is_some())
                .then_some((d, no_sku))
        })
        .expect("the demo WooCommerce store has lines without a SKU");
    assert!(
        order.hold_reason.as_deref().unwrap_or_default().contains("has no SKU: map its store product"),
        "{:?}",
        order.hold_reason
    );
    assert!(order.line_items.iter().any(|l| l.supplier_name.is_none()));
    let product = line.store_product_id.clone().expect("WooCommerce gives every line its product_id");
    assert_eq!(line.store_variant_id, None, "variation_id 0: a product without variants");

    // Bad input first: nothing is mapped.
    let cj = sandbox.supplier(0);
    let supplier = dd.supplier_by_name(&cj.name()).unwrap();
    let variant = cj.catalog()[0].clone();
    let empty = dd.map_variant(store.id, " ", None, supplier.id, &variant.vid, 100).unwrap_err();
    assert_eq!(empty.code(), ErrorCode::InvalidInput);
    let negative = dd.map_variant(store.id, &product, None, supplier.id, &variant.vid, -1).unwrap_err();
    assert_eq!(negative.code(), ErrorCode::InvalidInput);
    assert_eq!(
        dd.map_variant(9_999, &product, None, supplier.id, &variant.vid, 100).unwrap_err().code(),
        ErrorCode::NotFound
    );
    assert!(dd.order_detail(order.order.id).unwrap().hold_reason.is_some());

    // Mapped by its store ids: the hold clears at once, and Ship order sends that variant.
    dd.map_variant(store.id, &product, None, supplier.id, &variant.vid, variant.cost_minor).unwrap();
    let freed = dd.order_detail(order.order.id).unwrap();
    assert_eq!(freed.hold_reason, None, "the new mapping frees the order");
    assert!(freed.line_items.iter().all(|l| l.supplier_name.is_some()), "{:?}", freed.line_items);
    let shipped = dd.ship(order.order.id).await.unwrap();
    assert!(shipped.sub_orders.iter().all(|s| s.state == "paid"), "{shipped:?}");
    let key = dd
        .order_detail(order.order.id)
        .unwrap()
        .sub_orders
        .into_iter()
        .find(|s| s.supplier_name == cj.name())
        .expect("a sub-order at the mapped supplier")
        .idempotency_key;
    let at_cj = cj.orders().into_iter().find(|o| o.order_number == key).expect("sent to CJ");
    assert!(at_cj.products.contains(&(variant.vid.clone(), line.quantity)), "{:?}", at_cj.products);

    // A variant mapping wins over the SKU mapping of the same line.
    let other = waiting
        .iter()
        .filter(|o| o.store_name == "Woo" && o.id != order.order.id)
        .find_map(|o| {
            let d = dd.order_detail(o.id).unwrap();
            d.line_items
                .iter()
                .find(|l| l.sku.as_deref().is_some_and(|s| !s.is_empty()) && l.supplier_name.is_some())
                .cloned()
        })
        .expect("a line mapped by SKU");
    let second = sandbox.supplier(1);
    let elsewhere = dd.supplier_by_name(&second.name()).unwrap();
    let by_sku = other.supplier_name.clone().unwrap();
    let pick = if by_sku == elsewhere.name { supplier.clone() } else { elsewhere.clone() };
    let other_product = other.store_product_id.clone().unwrap();
    dd.map_variant(store.id, &other_product, None, pick.id, "VID-OVERRIDE", 500).unwrap();
    let again = dd.orders(None, 2000).unwrap();
    let now = again
        .iter()
        .filter(|o| o.store_name == "Woo")
        .flat_map(|o| dd.order_detail(o.id).unwrap().line_items)
        .find(|l| l.store_product_id.as_deref() == Some(other_product.as_str()))
        .unwrap();
    assert_eq!(now.supplier_name.as_deref(), Some(pick.name.as_str()), "the variant's mapping, not the SKU's");
    // The same SKU in the Shopify store (another store) keeps its SKU mapping.
    let shop_line = again
        .iter()
        .filter(|o| o.store_name != "Woo")
        .flat_map(|o| dd.order_detail(o.id).unwrap().line_items)
        .find(|l| l.sku == other.sku)
        .expect("the shop sells that SKU too");
    assert_eq!(shop_line.supplier_name.as_deref(), Some(by_sku.as_str()));

    // Listed, then removed: the line falls back to its SKU's mapping; a second removal is refused.
    let listed = dd.mappings(Some(store.id)).unwrap();
    assert!(listed
        .iter()
        .any(|m| m.store_product_id.as_deref() == Some(other_product.as_str()) && m.variant_id == "VID-OVERRIDE"));
    dd.remove_variant_mapping(store.id, &other_product, None).unwrap();
    let back = dd
        .orders(None, 2000)
        .unwrap()
        .iter()
        .filter(|o| o.store_name == "Woo")
        .flat_map(|o| dd.order_detail(o.id).unwrap().line_items)
        .find(|l| l.store_product_id.as_deref() == Some(other_product.as_str()))
        .unwrap();
    assert_eq!(back.supplier_name.as_deref(), Some(by_sku.as_str()), "back to the SKU's mapping");
    assert_eq!(dd.remove_variant_mapping(store.id, &other_product, None).unwrap_err().code(), ErrorCode::NotFound);
}
