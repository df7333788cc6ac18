//! Addresses are checked against their country's postal data before any supplier sees them: a
//! US ZIP in letters, a Brazilian address without its state and a Canadian postal code in the
//! wrong format are held with the field named; the merchant's correction ships (to the supplier,
//! with marks transliterated for CJ's labels) while the store's address stays as the store has it.

mod common;

use dropdock_core::fulfillment::address_check::{AddressField, AddressRule};
use dropdock_core::fulfillment::HoldKind;
use dropdock_core::model::OrderStatus;
use dropdock_core::ErrorCode;
use dropdock_sandbox::SandboxConfig;
use serde_json::json;

fn mailing(name: &str, city: &str, province: Option<&str>, zip: &str, country: &str) -> serde_json::Value {
    json!({ "name": name, "address1": "12 Rua Augusta", "address2": null, "city": city, "province": province,
            "zip": zip, "countryCodeV2": country, "phone": "+55 11 5555 0100" })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_addresses_are_held_with_the_field_and_a_correction_ships_without_touching_the_store() {
    let (sandbox, dd, store_id, _dir) =
        common::synced_sandbox(SandboxConfig { orders: 40, ..SandboxConfig::default() }).await;
    let shop = sandbox.shop();
    let ready: Vec<_> = dd
        .orders(Some(OrderStatus::ToOrder), 100)
        .unwrap()
        .into_iter()
        .filter(|o| dd.order_detail(o.id).unwrap().hold_reason.is_none())
        .take(3)
        .collect();
    assert_eq!(ready.len(), 3, "three demo orders ready to ship");
    let (us, br, ca) = (&ready[0], &ready[1], &ready[2]);
    shop.set_shipping_address(&us.name, mailing("Ana Núñez", "Austin", Some("Texas"), "ABCDE", "US"));
    shop.set_shipping_address(&br.name, mailing("João Silva", "São Paulo", None, "01310-100", "BR"));
    shop.set_shipping_address(&ca.name, mailing("Chloé Roy", "Toronto", Some("Ontario"), "12345", "CA"));
    let run = dd.sync(store_id, 7).await.unwrap();
    assert_eq!(run.updates, 3, "{}", run.line);

    for (order, field, rule) in
        [(us, "zip", AddressRule::Format), (br, "province", AddressRule::Required), (ca, "zip", AddressRule::Format)]
    {
        let detail = dd.order_detail(order.id).unwrap();
        assert_eq!(detail.order.hold_kind, Some(HoldKind::AddressInvalid), "{}: {:?}", order.name, detail.hold_reason);
        let params = detail.order.hold_params.clone().unwrap();
        assert_eq!(params["field"], field, "{}", order.name);
        assert_eq!(params["rule"], rule.as_str());
        assert!(detail.address_problems.iter().any(|p| p.blocking && p.field.as_str() == field && p.rule == rule));
        // Neither Ship order nor Auto Fulfillment's path sends it.
        assert_eq!(dd.ship(order.id).await.unwrap_err().code(), ErrorCode::Held);
    }
    let reason = dd.order_detail(us.id).unwrap().hold_reason.unwrap();
    assert!(reason.contains("the ZIP code \"ABCDE\" is not in the US format (e.g. 95014)"), "{reason}");
    let sent = |sandbox: &dropdock_sandbox::Sandbox| -> usize {
        (0..sandbox.supplier_count()).map(|i| sandbox.supplier(i).orders().len()).sum()
    };
    assert_eq!(sent(&sandbox), 0, "nothing reached a supplier");

    // The merchant corrects the US ZIP in the order: the hold clears at once and it ships.
    let mut corrected = dd.order_detail(us.id).unwrap().address.unwrap();
    corrected.zip = Some("78701".into());
    let problems = dd.correct_address(us.id, corrected.clone()).unwrap();
    assert!(problems.iter().all(|p| !p.blocking), "{problems:?}");
    let detail = dd.order_detail(us.id).unwrap();
    assert_eq!(detail.order.hold_kind, None, "{:?}", detail.hold_reason);
    assert_eq!(detail.address.as_ref().unwrap().zip.as_deref(), Some("ABCDE"), "the store's address is kept");
    assert_eq!(detail.address_override.as_ref().unwrap().zip.as_deref(), Some("78701"));
    let shipped = dd.ship(us.id).await.unwrap();
    assert!(shipped.sub_orders.iter().all(|s| s.state == "paid"), "{shipped:?}");
    let at_cj: Vec<_> = (0..sandbox.supplier_count()).flat_map(|i| sandbox.supplier(i).orders()).collect();
    assert!(!at_cj.is_empty());
    for order in &at_cj {
        assert_eq!(order.shipping.get("shippingZip").map(String::as_str), Some("78701"), "the corrected ZIP");
        assert_eq!(order.shipping.get("shippingCustomerName").map(String::as_str), Some("Ana Nunez"), "Latin labels");
    }
    // Nothing went back to the store, and a later sync does not undo the correction.
    assert_eq!(shop.order(&us.name).unwrap().shipping_address["zip"], "ABCDE");
    dd.sync(store_id, 7).await.unwrap();
    assert_eq!(dd.order_detail(us.id).unwrap().address_override.unwrap().zip.as_deref(), Some("78701"));
    // Sent: a correction would not reach the supplier, so it is refused.
    assert_eq!(dd.correct_address(us.id, corrected).unwrap_err().code(), ErrorCode::InvalidInput);

    // A correction that still breaks a rule keeps the order held, with the new finding.
    let mut br_fix = dd.order_detail(br.id).unwrap().address.unwrap();
    br_fix.zip = Some("0131".into());
    br_fix.province = Some("SP".into());
    let problems = dd.correct_address(br.id, br_fix.clone()).unwrap();
    assert_eq!(problems[0].field, AddressField::Zip);
    let params = dd.order_detail(br.id).unwrap().order.hold_params.unwrap();
    assert_eq!((params["field"].as_str(), params["rule"].as_str()), ("zip", "format"));
    // "Use the store's address" goes back to the first hold.
    assert!(dd.use_store_address(br.id).unwrap());
    assert_eq!(dd.order_detail(br.id).unwrap().order.hold_params.unwrap()["field"], "province");
    assert!(!dd.use_store_address(br.id).unwrap(), "nothing left to remove");
    br_fix.zip = Some("01310-100".into());
    assert!(dd.correct_address(br.id, br_fix).unwrap().iter().all(|p| !p.blocking));
    assert_eq!(dd.order_detail(br.id).unwrap().order.hold_kind, None);
    assert_eq!(shop.order(&br.name).unwrap().shipping_address["province"], serde_json::Value::Null);
}
