//! Refund and replacement requests, against the sandbox CJ's Dispute interface (built from CJ's
//! page on its own): a damaged item refunded into the ledger, a resend that ships under its own
//! key and reaches the store once, a withdrawn request, and requests CJ would not take.

mod common;

use dropdock_core::app::Dropdock;
use dropdock_core::model::OrderStatus;
use dropdock_core::orders::disputes::{DisputeInput, DisputeItem};
use dropdock_core::ErrorCode;
use dropdock_sandbox::cj_disputes::Settlement;
use dropdock_sandbox::{Sandbox, SandboxConfig};

/// A paid order whose lines all go to one CJ account, sent; with `shipped`, dispatched and its
/// tracking pushed to the store. Returns (order id, order name, the CJ account's index, its CJ
/// order id).
async fn sent_cj_order(sandbox: &Sandbox, dd: &Dropdock, shipped: bool, skip: usize) -> (i64, String, usize, String) {
    let order = dd
        .orders(Some(OrderStatus::ToOrder), 200)
        .unwrap()
        .into_iter()
        .filter(|o| {
            let d = dd.order_detail(o.id).unwrap();
            let suppliers: std::collections::BTreeSet<_> =
                d.line_items.iter().filter(|l| l.requires_shipping).map(|l| l.supplier_name.clone()).collect();
            d.hold_reason.is_none()
                && suppliers.len() == 1
                && suppliers.iter().all(|s| s.as_deref().is_some_and(|s| s.starts_with("CJ")))
        })
        .nth(skip)
        .expect("a CJ-only order");
    dd.ship(order.id).await.unwrap();
    let key = dd.order_detail(order.id).unwrap().sub_orders[0].idempotency_key.clone();
    let (index, cj) = (0..sandbox.supplier_count())
        .find_map(|i| sandbox.supplier(i).orders().into_iter().find(|o| o.order_number == key).map(|o| (i, o)))
        .expect("at CJ");
    if shipped {
        sandbox.supplier(index).ship_now(&cj.order_id);
        dd.track().await.unwrap();
        assert_eq!(dd.order_detail(order.id).unwrap().order.status, OrderStatus::Fulfilled);
    }
    (order.id, order.name, index, cj.order_id)
}

fn input(order_id: i64, reason: &str, wanted: &str, photos: &[&str]) -> DisputeInput {
    DisputeInput {
        order_id,
        supplier_id: None,
        reason: reason.into(),
        wanted: wanted.into(),
        items: Vec::new(),
        photos: photos.iter().map(|p| (*p).to_owned()).collect(),
        message: String::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_item_refund_enters_the_ledger_once_equal_to_the_suppliers() {
    let (sandbox, dd, _store, _dir) =
        common::synced_sandbox(SandboxConfig { orders: 40, ..SandboxConfig::default() }).await;
    let (order_id, _name, index, cj_order) = sent_cj_order(&sandbox, &dd, true, 0).await;
    let cj = sandbox.supplier(index);

    // Damage needs a photo: refused, nothing written here or sent there.
    let err = dd.open_dispute(&input(order_id, "damaged", "refund", &[])).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("photo"), "{err}");
    assert!(dd.disputes("all", Some(order_id)).unwrap().is_empty());
    assert!(cj.disputes().is_empty());

    let photo = "https://photos.example/box-crushed.jpg";
    let opened = dd.open_dispute(&input(order_id, "damaged", "refund", &[photo])).await.unwrap();
    assert_eq!(opened.state, "open", "{opened:?}");
    assert_eq!(opened.platform_reason.as_deref(), Some("Product damaged or defective"));
    let sent = cj.disputes();
    assert_eq!(sent.len(), 1);
    let sub = &dd.order_detail(order_id).unwrap().sub_orders[0];
    assert_eq!(sent[0].business_id, format!("{}-D1", sub.idempotency_key), "our key, unique at CJ");
    assert_eq!((sent[0].expect_type, sent[0].refund_type), (1, 1), "a refund, to the balance");
    assert_eq!(sent[0].images, vec![photo.to_owned()]);
    assert_eq!(opened.platform_dispute_id.as_deref(), Some(sent[0].id.as_str()), "its id read back from the list");
    let units: i64 = sent[0].lines.iter().map(|l| l.2).sum();
    let shipped_units: i64 = sub.items.iter().map(|i| i.quantity).sum();
    assert_eq!(units, shipped_units, "every item the sub-order shipped");

    // One open request per sub-order.
    let again = dd.open_dispute(&input(order_id, "damaged", "refund", &[photo])).await.unwrap_err();
    assert!(again.to_string().contains("still open"), "{again}");

    // Still deciding: nothing moves.
    let report = dd.track().await.unwrap();
    assert!(report.disputes.is_empty(), "{:?}", report.disputes);

    let refund = opened.max_amount_minor.expect("CJ's maxAmount") - 100;
    let (cj_before, ledger_before) = (cj.balance_minor(), ledger_total(&dd));
    cj.settle_dispute(&cj_order, Settlement::Refund(refund));
    let report = dd.track().await.unwrap();
    assert_eq!(report.disputes.len(), 1, "{:?}", report.disputes);
    assert_eq!(report.disputes[0].state, "refunded");
    let settled = dd.dispute(opened.id).unwrap();
    assert_eq!((settled.state.as_str(), settled.refund_minor), ("refunded", Some(refund)));
    assert!(settled.resolved_at.is_some());
    assert_eq!(cj.balance_minor() - cj_before, refund, "the supplier refunded");
    assert_eq!(ledger_total(&dd) - ledger_before, refund, "the ledger holds the supplier's refund");
    let entry = dd.wallet_ledger(None, 5).unwrap().remove(0);
    assert_eq!((entry.kind.as_str(), entry.amount_minor, entry.order_id), ("refund", refund, Some(order_id)));

    // Once: later polls add nothing.
    dd.track().await.unwrap();
    assert_eq!(ledger_total(&dd) - ledger_before, refund);
    assert_eq!(dd.disputes("resolved", None).unwrap().len(), 1);
    assert!(dd.disputes("open", None).unwrap().is_empty());
}

fn ledger_total(dd: &Dropdock) -> i64 {
    dd.suppliers().unwrap().iter().map(|s| s.ledger_total_minor).sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resend_ships_under_a_new_key_and_reaches_the_store_once() {
    let (sandbox, dd, _store, _dir) =
        common::synced_sandbox(SandboxConfig { orders: 40, ..SandboxConfig::default() }).await;
    let (order_id, name, index, cj_order) = sent_cj_order(&sandbox, &dd, true, 1).await;
    let cj = sandbox.supplier(index);
    let shop = sandbox.shop();
    let original = dd.order_detail(order_id).unwrap().sub_orders.remove(0);
    let old_number = original.shipment.as_ref().unwrap().tracking_number.clone();
    let item = original.items[0].clone();
    let fulfillments_before = shop.fulfillments(&name);
    assert!(fulfillments_before.iter().any(|f| f.tracking_number == old_number));

    // One unit of one item was wrong: a resend of that unit.
    let mut asked = input(order_id, "wrong_item", "resend", &[]);
    asked.items = vec![DisputeItem { variant_id: item.variant_id.clone(), quantity: 1 }];
    let opened = dd.open_dispute(&asked).await.unwrap();
    assert_eq!(opened.state, "open");
    assert_eq!(cj.disputes()[0].expect_type, 2, "a reissue");
    assert_eq!(cj.disputes()[0].lines.iter().map(|l| l.2).sum::<i64>(), 1);

    let reissue = cj.settle_dispute(&cj_order, Settlement::Reissue).expect("a reissue order");
    let report = dd.track().await.unwrap();
    assert_eq!(report.disputes.iter().map(|d| d.state.as_str()).collect::<Vec<_>>(), ["resent"]);
    let detail = dd.order_detail(order_id).unwrap();
    let replacement = detail.sub_orders.iter().find(|s| s.replacement).expect("a replacement sub-order");
    assert_ne!(replacement.idempotency_key, original.idempotency_key, "its own key");
    assert_eq!(replacement.supplier_order_id.as_deref(), Some(reissue.as_str()));
    assert_eq!(replacement.items.len(), 1);
    assert_eq!(
        (replacement.items[0].variant_id.as_str(), replacement.items[0].quantity),
        (item.variant_id.as_str(), 1)
    );
    assert_eq!(replacement.cost_minor, Some(0), "nothing charged for a reissue");
    assert!(
        cj.orders().iter().all(|o| o.order_number != replacement.idempotency_key),
        "Dropdock never created it at CJ: CJ reissued it"
    );
    let view = dd.dispute(opened.id).unwrap();
    assert_eq!((view.state.as_str(), view.replacement_order_number.as_deref()), ("resent", Some(reissue.as_str())));

    // It ships, and the store's fulfilment of those items gets the new number: once.
    cj.ship_now(&reissue);
    let report = dd.track().await.unwrap();
    assert_eq!(report.new_shipments.len(), 1, "{report:?}");
    let new_number = report.new_shipments[0].tracking_number.clone();
    assert_ne!(new_number, old_number);
    let after = shop.fulfillments(&name);
    assert_eq!(after.len(), fulfillments_before.len(), "no second fulfilment for the same items: {after:?}");
    assert!(after.iter().any(|f| f.tracking_number == new_number), "{after:?}");
    let report = dd.track().await.unwrap();
    assert_eq!(report.pushed, 0, "pushed once");
    assert_eq!(shop.fulfillments(&name), after);
    let detail = dd.order_detail(order_id).unwrap();
    let replacement = detail.sub_orders.iter().find(|s| s.replacement).unwrap();
    assert!(replacement.shipment.as_ref().is_some_and(|s| s.pushed_at.is_some()));
    assert_eq!(detail.order.status, OrderStatus::Fulfilled);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_can_be_withdrawn_and_one_cj_would_not_take_is_refused_with_its_reasons() {
    let (sandbox, dd, _store, _dir) =
        common::synced_sandbox(SandboxConfig { orders: 40, ..SandboxConfig::default() }).await;
    // Paid, not dispatched: CJ offers only "Unfulfilled order cancellation" and a refund.
    let (waiting, _, index, _) = sent_cj_order(&sandbox, &dd, false, 2).await;
    let err = dd.open_dispute(&input(waiting, "not_received", "refund", &[])).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("Unfulfilled order cancellation"), "{err}");
    assert!(dd.disputes("all", None).unwrap().is_empty(), "nothing recorded");
    assert!(sandbox.supplier(index).disputes().is_empty(), "nothing sent");

    // A delivered parcel the buyer says never came: opened, then withdrawn at CJ; a new one can
    // be opened after, under the next key.
    let (order_id, _, index, _) = sent_cj_order(&sandbox, &dd, true, 3).await;
    let cj = sandbox.supplier(index);
    let opened = dd.open_dispute(&input(order_id, "not_received", "refund", &[])).await.unwrap();
    assert!(!opened.message.is_empty(), "a sentence for the reason when none is written");
    let cancelled = dd.cancel_dispute(opened.id).await.unwrap();
    assert_eq!(cancelled.state, "cancelled");
    assert_eq!(cj.disputes()[0].status, "Cancelled");
    let err = dd.cancel_dispute(opened.id).await.unwrap_err();
    assert!(err.to_string().contains("nothing to cancel"), "{err}");
    // Bad input is refused before anything is asked.
    let mut bad = input(order_id, "late", "refund", &[]);
    assert!(dd.open_dispute(&bad).await.unwrap_err().to_string().contains("not_received"));
    bad.reason = "missing_item".into();
    bad.items = vec![DisputeItem { variant_id: "VID-NOPE".into(), quantity: 1 }];
    assert!(dd.open_dispute(&bad).await.unwrap_err().to_string().contains("not in this sub-order"));
    bad.items.clear();
    bad.wanted = "money".into();
    assert!(dd.open_dispute(&bad).await.unwrap_err().to_string().contains("refund or resend"));
    let second = dd.open_dispute(&input(order_id, "not_received", "refund", &[])).await.unwrap();
    assert_eq!(second.state, "open");
    assert!(cj.disputes()[1].business_id.ends_with("-D2"), "{:?}", cj.disputes()[1]);
}
