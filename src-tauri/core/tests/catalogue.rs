//! The store catalogue (issue 17): products and variants read from the sandbox Shopify (by the
//! documented `products` query and cost rule) and WooCommerce (`/products`, `/variations`), or
//! from a CSV store's lines; what the Products page lists (mapping, orders waiting, tabs,
//! search); a product the store removed; "Auto-map by SKU" proposing before it writes, and the
//! orders an accepted mapping frees.

mod common;

use dropdock_core::fulfillment::HoldKind;
use dropdock_core::model::OrderStatus;
use dropdock_core::products::{MappingKind, ProductQuery, ProductTab, ProposalSource};
use dropdock_core::stores::ProductStatus;
use dropdock_sandbox::SandboxConfig;
use serde_json::json;

fn query(store_id: i64, tab: ProductTab, search: Option<&str>) -> ProductQuery {
    ProductQuery { store_id: Some(store_id), tab, search: search.map(str::to_owned), offset: 0, limit: 500 }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shopify_catalogue_is_listed_with_what_ships_each_variant() {
    let (sandbox, dd, store_id, _dir) =
        common::synced_sandbox(SandboxConfig { orders: 80, ..SandboxConfig::default() }).await;
    let shop = sandbox.shop();
    // Products with more variants than a page reads with each product (20), without SKUs (so
    // that Auto-map by SKU below does not look each one up at the suppliers).
    shop.add_products(3, 45);
    let mut in_shop = shop.products();
    for v in in_shop.iter_mut().filter(|p| p.title.starts_with("Bulk")).flat_map(|p| p.variants.iter_mut()) {
        v.sku = None;
    }
    shop.set_products(in_shop.clone());
    let variants_in_shop: usize = in_shop.iter().map(|p| p.variants.len()).sum();

    let run = dd.sync_catalogue(store_id).await.unwrap();
    assert_eq!((run.products as usize, run.variants as usize), (in_shop.len(), variants_in_shop), "{run:?}");
    assert_eq!((run.removed, run.failures.len(), run.error.clone()), (0, 0, None));
    assert!(!run.from_order_lines);
    assert!(run.line.starts_with("Catalogue ") && run.line.contains(" complete, products "), "{}", run.line);
    assert_eq!(shop.over_cost_replies(), 0, "every page within the cost cap");

    let all = dd.list_products(&query(store_id, ProductTab::All, None)).unwrap();
    assert_eq!(all.counts.all as usize, variants_in_shop);
    // The demo maps its CJ and Printful SKUs: those variants ship through their SKU's mapping.
    let mug = all.rows.iter().find(|r| r.sku.as_deref() == Some("DD-MUG-WHT")).expect("the mug");
    assert_eq!((mug.product_id.as_str(), mug.variant_id.as_str()), ("9000", "19000"), "the ids its orders carry");
    assert_eq!((mug.mapping, mug.price_minor, mug.currency.as_deref()), (MappingKind::Sku, Some(1499), Some("USD")));
    assert!(mug.supplier_name.is_some() && mug.cost_minor.is_some());
    assert!(mug.image_url.as_deref().unwrap_or_default().starts_with("https://"), "the featured image");
    // The awkward parts as the shop serves them: a null SKU on a draft, a blank one on an archived product.
    let board = all.rows.iter().find(|r| r.product_title == "Bamboo Cutting Board").unwrap();
    assert_eq!((board.sku.as_deref(), board.status, board.mapping), (None, ProductStatus::Draft, MappingKind::None));
    let spinner = all.rows.iter().find(|r| r.product_title == "Fidget Spinner").unwrap();
    assert_eq!((spinner.sku.as_deref(), spinner.status), (None, ProductStatus::Archived));
    let big: Vec<_> = all.rows.iter().filter(|r| r.product_title.starts_with("Bulk product")).collect();
    assert_eq!(big.len(), 3 * 45, "every variant of a product with more than a page of them");
    assert_eq!(all.counts.unmapped + all.counts.mapped, all.counts.all);
    // Search by title, SKU or exact id; tabs count under the search.
    let found = dd.list_products(&query(store_id, ProductTab::All, Some("mug"))).unwrap();
    assert!(found.rows.iter().all(|r| r.product_title.to_lowercase().contains("mug")), "{:?}", found.rows);
    assert_eq!(dd.list_products(&query(store_id, ProductTab::All, Some("19000"))).unwrap().rows.len(), 1);
    let odd = dd.list_products(&query(store_id, ProductTab::All, Some("100%_"))).unwrap();
    assert!(odd.rows.is_empty(), "% and _ are searched as text");

    // The merchant unmaps the mug: its paid orders are held, and it leads the Unmapped tab.
    dd.remove_sku_mapping("DD-MUG-WHT").unwrap();
    let unmapped = dd.list_products(&query(store_id, ProductTab::Unmapped, None)).unwrap();
    let first = &unmapped.rows[0];
    assert_eq!(first.sku.as_deref(), Some("DD-MUG-WHT"), "unmapped with paid orders waiting comes first");
    assert!(first.waiting_orders > 0);
    assert!(unmapped.rows.iter().all(|r| r.mapping == MappingKind::None && r.status != ProductStatus::Removed));
    let held = dd.orders(Some(OrderStatus::ToOrder), 1000).unwrap();
    let held_mug: Vec<i64> = held
        .iter()
        .filter(|o| o.hold_kind == Some(HoldKind::UnmappedSku))
        .map(|o| o.id)
        .filter(|id| dd.order_detail(*id).unwrap().line_items.iter().any(|l| l.sku.as_deref() == Some("DD-MUG-WHT")))
        .collect();
    assert!(!held_mug.is_empty());

    // Auto-map by SKU proposes what CJ sells under that SKU, and writes nothing until accepted.
    let cj = sandbox.supplier(0);
    let proposed = dd.automap(store_id, false).await.unwrap();
    let for_mug = proposed.iter().find(|p| p.variant.sku == "DD-MUG-WHT").expect("CJ sells the mug's SKU");
    assert_eq!(for_mug.source, ProposalSource::SupplierCatalogue);
    assert_eq!(Some(&for_mug.supplier_variant_id), cj.catalog().iter().find(|v| v.sku == "DD-MUG-WHT").map(|v| &v.vid));
    assert!(proposed.iter().any(|p| p.variant.sku == "DD-LED-5M" && p.source == ProposalSource::SkuMapping));
    assert!(!proposed.iter().any(|p| p.variant.product_title.starts_with("Bulk")), "no SKU, nothing to match");
    assert!(!proposed.iter().any(|p| p.variant.sku == "DD-EBOOK"), "no supplier sells the e-book");
    assert!(dd.order_detail(held_mug[0]).unwrap().hold_reason.is_some(), "a proposal writes nothing");
    dd.automap(store_id, true).await.unwrap();
    let mug = dd.list_products(&query(store_id, ProductTab::All, Some("DD-MUG-WHT"))).unwrap().rows.remove(0);
    assert_eq!(mug.mapping, MappingKind::Variant, "now mapped by its own ids");
    for id in &held_mug {
        assert_eq!(dd.order_detail(*id).unwrap().hold_reason, None, "the accepted mapping frees order {id}");
    }

    // A product deleted in the shop is kept as removed (its mapping stays), after a complete run.
    let lamp = in_shop.iter().find(|p| p.title == "Desk Lamp LED").unwrap().id;
    shop.set_products(in_shop.iter().filter(|p| p.id != lamp).cloned().collect());
    let again = dd.sync_catalogue(store_id).await.unwrap();
    assert_eq!(again.removed, 1, "{again:?}");
    let gone = dd.list_products(&query(store_id, ProductTab::All, Some("Desk Lamp"))).unwrap().rows.remove(0);
    assert_eq!((gone.status, gone.mapping), (ProductStatus::Removed, MappingKind::Variant));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_woocommerce_catalogue_gives_lines_without_skus_a_variant_to_map() {
    let (sandbox, dd, _shop, _dir) =
        common::synced_sandbox(SandboxConfig { orders: 40, ..SandboxConfig::default() }).await;
    let woo = sandbox.woo();
    // The docs' example order: product 93 (simple) and product 22 / variation 23, empty SKUs.
    woo.add_product(
        json!({ "id": 93, "name": "Woo Single #1", "type": "simple", "status": "publish", "sku": "", "price": "3.00", "images": [] }),
        vec![],
    );
    woo.add_product(
        json!({ "id": 22, "name": "Ship Your Idea", "type": "variable", "status": "publish", "sku": "", "price": "", "images": [] }),
        vec![json!({ "id": 23, "parent_id": 22, "sku": "", "price": "20.00", "image": { "id": 0, "src": "" }, "attributes": [{ "id": 6, "name": "Color", "option": "Black" }] })],
    );
    woo.add_order(json!({
        "id": 727, "parent_id": 0, "number": "727", "status": "processing", "currency": "USD",
        "date_created_gmt": chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string(),
        "date_modified_gmt": chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string(),
        "total": "29.35", "shipping_total": "10.00",
        "billing": { "first_name": "John", "last_name": "Doe", "email": "john.doe@example.com", "phone": "(555) 555-5555", "country": "US" },
        "shipping": { "first_name": "John", "last_name": "Doe", "company": "", "address_1": "969 Market", "address_2": "",
                      "city": "San Francisco", "state": "CA", "postcode": "94103", "country": "US" },
        "line_items": [
            { "id": 315, "name": "Woo Single #1", "product_id": 93, "variation_id": 0, "quantity": 2, "subtotal": "6.00", "total": "6.00", "sku": "", "price": 3 },
            { "id": 316, "name": "Ship Your Idea &ndash; Color: Black", "product_id": 22, "variation_id": 23, "quantity": 1, "subtotal": "12.00", "total": "12.00", "sku": "", "price": 12 }
        ],
    }));
    let store = dd.connect_woocommerce("Woo", &woo.url(), &woo.consumer_key(), &woo.consumer_secret()).await.unwrap();
    dd.sync(store.id, 60).await.unwrap();
    let run = dd.sync_catalogue(store.id).await.unwrap();
    assert_eq!(run.error, None, "{run:?}");
    let rows = dd.list_products(&query(store.id, ProductTab::All, None)).unwrap().rows;
    let single = rows.iter().find(|r| r.product_id == "93").expect("the simple product");
    assert_eq!((single.variant_id.as_str(), single.sku.as_deref(), single.price_minor), ("", None, Some(300)));
    let black = rows.iter().find(|r| r.product_id == "22").expect("the variation");
    assert_eq!(
        (black.variant_id.as_str(), black.variant_title.as_str(), black.price_minor),
        ("23", "Black", Some(2000))
    );
    assert_eq!(black.image_url, None, "an empty image src is no image");
    let tote: Vec<_> = rows.iter().filter(|r| r.product_id == "300").collect();
    assert_eq!(tote.len(), 2, "the demo's variable product lists its variations");
    assert!(tote.iter().any(|r| r.sku.is_none() && r.price_minor.is_none()), "blank SKU, empty price");

    // Both lines hold the order; each waits on its own variant, and mapping both frees it.
    let order = dd.orders(Some(OrderStatus::ToOrder), 1000).unwrap().into_iter().find(|o| o.name == "#727").unwrap();
    assert_eq!(order.hold_kind, Some(HoldKind::UnmappedSku));
    assert!(single.waiting_orders == 1 && black.waiting_orders == 1, "{single:?} {black:?}");
    let cj = sandbox.supplier(0);
    let supplier = dd.supplier_by_name(&cj.name()).unwrap();
    let (a, b) = (&cj.catalog()[0], &cj.catalog()[1]);
    dd.map_variant(store.id, "93", None, supplier.id, &a.vid, a.cost_minor).unwrap();
    dd.map_variant(store.id, "22", Some("23"), supplier.id, &b.vid, b.cost_minor).unwrap();
    assert_eq!(dd.order_detail(order.id).unwrap().hold_reason, None);
    let shipped = dd.ship(order.id).await.unwrap();
    assert!(shipped.sub_orders.iter().all(|s| s.state == "paid"), "{shipped:?}");
    let key = dd.order_detail(order.id).unwrap().sub_orders[0].idempotency_key.clone();
    let at_cj = cj.orders().into_iter().find(|o| o.order_number == key).expect("sent to CJ");
    assert!(
        at_cj.products.contains(&(a.vid.clone(), 2)) && at_cj.products.contains(&(b.vid.clone(), 1)),
        "{:?}",
        at_cj.products
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_csv_store_lists_the_products_its_lines_name() {
    let (_sandbox, dd, _shop, _dir) =
        common::synced_sandbox(SandboxConfig { orders: 5, ..SandboxConfig::default() }).await;
    let header = dropdock_core::stores::csv_import::TEMPLATE_HEADER.join(",");
    let text = format!(
        "{header}\nC-1,2026-11-01T10:00:00Z,paid,USD,29.98,ann@example.com,Ann Lee,Ann Lee,1 High St,,Leeds,,LS1 4DY,GB,,DD-CASE-14,Phone Case,2,14.99,true\nC-2,2026-11-02T10:00:00Z,paid,USD,9.99,bo@example.com,Bo,Bo,9 Oak Avenue,,Austin,Texas,78701,US,,,Gift Wrap,1,9.99,true\n"
    );
    dd.import_csv("Market CSV", text.as_bytes()).unwrap();
    let store = dd.store_by_name("Market CSV").unwrap();
    let run = dd.sync_catalogue(store.id).await.unwrap();
    assert!(run.from_order_lines && run.error.is_none(), "{run:?}");
    assert_eq!((run.products, run.variants), (2, 2));
    let rows = dd.list_products(&query(store.id, ProductTab::All, None)).unwrap().rows;
    let case = rows.iter().find(|r| r.product_id == "DD-CASE-14").expect("named by its SKU");
    assert_eq!((case.price_minor, case.mapping), (Some(1499), MappingKind::Sku));
    let wrap = rows.iter().find(|r| r.product_id == "Gift Wrap").expect("no SKU: named by its title");
    assert_eq!((wrap.mapping, wrap.waiting_orders), (MappingKind::None, 1));
}
