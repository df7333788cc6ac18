//! An order the store cancelled is never sent to a supplier, even while its payment state still
//! reads paid (Shopify keeps `displayFinancialStatus` until a refund; `cancelledAt` says it).

mod common;

use dropdock_core::fulfillment::HoldKind;
use dropdock_core::model::OrderStatus;
use dropdock_core::ErrorCode;
use dropdock_sandbox::SandboxConfig;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paid_order_cancelled_in_shopify_is_held_and_never_sent() {
    let (sandbox, dd, store_id, _dir) =
        common::synced_sandbox(SandboxConfig { orders: 20, ..SandboxConfig::default() }).await;
    let order = dd.orders(Some(OrderStatus::ToOrder), 100).unwrap().remove(0);
    let shop = sandbox.shop();
    shop.cancel_order(&order.name);
    assert_eq!(shop.order(&order.name).unwrap().financial_status, "PAID", "still paid at the store");
    let run = dd.sync(store_id, 7).await.unwrap();
    assert_eq!(run.updates, 1, "{}", run.line);
    let detail = dd.order_detail(order.id).unwrap();
    assert_eq!(detail.order.hold_kind, Some(HoldKind::CancelledInStore));
    assert!(
        detail.hold_reason.as_deref().unwrap_or_default().starts_with("cancelled in the store on "),
        "{:?}",
        detail.hold_reason
    );
    let err = dd.ship(order.id).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Held);
    let sent: usize = (0..sandbox.supplier_count()).map(|i| sandbox.supplier(i).orders().len()).sum();
    assert_eq!(sent, 0, "nothing reached a supplier");
    // Bulk Ship order and the queue skip it too.
    let bulk = dd.ship_orders(&[order.id]).await.unwrap();
    assert_eq!(bulk.skipped.len(), 1, "{bulk:?}");
    assert_eq!((0..sandbox.supplier_count()).map(|i| sandbox.supplier(i).orders().len()).sum::<usize>(), 0);
}

/// Cancelled in the store after sending: a sub-order not yet dispatched is cancelled at the
/// sandbox CJ (its wallet charge refunded), one already dispatched is flagged for a refund
/// request; each is followed up once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_cancelled_after_sending_is_cancelled_at_cj_before_dispatch_and_flagged_after() {
    use dropdock_core::fulfillment::sub_order::SubOrderState;
    let (sandbox, dd, store_id, _dir) =
        common::synced_sandbox(SandboxConfig { orders: 40, ..SandboxConfig::default() }).await;
    // Two paid orders whose lines all ship from CJ accounts, sent.
    let cj_only: Vec<_> = dd
        .orders(Some(OrderStatus::ToOrder), 100)
        .unwrap()
        .into_iter()
        .filter(|o| {
            let d = dd.order_detail(o.id).unwrap();
            d.hold_reason.is_none()
                && d.line_items.iter().all(|l| l.supplier_name.as_deref().is_some_and(|s| s.starts_with("CJ")))
        })
        .take(2)
        .collect();
    assert_eq!(cj_only.len(), 2);
    let (before, shipped) = (&cj_only[0], &cj_only[1]);
    for o in &cj_only {
        dd.ship(o.id).await.unwrap();
    }
    // The second is dispatched (its tracking recorded) before the store cancels both.
    let shop = sandbox.shop();
    let at_cj = |name: &str| -> Vec<dropdock_sandbox::cj::CjOrderInfo> {
        let keys: Vec<String> = dd
            .order_detail(dd.order_id_by_name(name).unwrap())
            .unwrap()
            .sub_orders
            .into_iter()
            .map(|s| s.idempotency_key)
            .collect();
        (0..sandbox.supplier_count())
            .flat_map(|i| sandbox.supplier(i).orders())
            .filter(|o| keys.contains(&o.order_number))
            .collect()
    };
    let balances = || (0..sandbox.supplier_count()).map(|i| sandbox.supplier(i).balance_minor()).sum::<i64>();
    let paid_for_first: i64 = at_cj(&before.name).iter().map(|o| o.amount_minor).sum();
    for i in 0..sandbox.supplier_count() {
        let supplier = sandbox.supplier(i);
        for o in supplier.orders().into_iter().filter(|o| at_cj(&shipped.name).iter().any(|s| s.order_id == o.order_id))
        {
            supplier.ship_now(&o.order_id);
        }
    }
    dd.track().await.unwrap();
    let wallet_before = balances();
    shop.cancel_order(&before.name);
    shop.cancel_order(&shipped.name);
    let run = dd.sync(store_id, 7).await.unwrap();
    let outcome =
        |name: &str| run.cancelled_after_sending.iter().filter(|o| o.order_name == name).cloned().collect::<Vec<_>>();

    // Not dispatched: cancelled at CJ, the charge back in the CJ wallet, nothing left to ship.
    assert!(
        !outcome(&before.name).is_empty() && outcome(&before.name).iter().all(|o| o.outcome == "cancelled"),
        "{run:?}"
    );
    assert!(at_cj(&before.name).iter().all(|o| o.cancelled), "cancelled at the supplier");
    assert_eq!(balances(), wallet_before + paid_for_first, "refunded to the wallet");
    let detail = dd.order_detail(before.id).unwrap();
    assert!(detail.sub_orders.iter().all(|s| s.state == SubOrderState::Cancelled));
    assert_eq!(detail.order.hold_kind, Some(HoldKind::CancelledInStore), "and never sent again");

    // Dispatched: flagged for a refund request, still shipped, not cancelled at CJ.
    let late = outcome(&shipped.name);
    assert!(
        !late.is_empty() && late.iter().all(|o| o.outcome == "too_late" && o.answer.contains("refund")),
        "{late:?}"
    );
    let detail = dd.order_detail(shipped.id).unwrap();
    assert!(detail.sub_orders.iter().all(|s| s.store_cancel_outcome.as_deref() == Some("too_late")));
    assert!(at_cj(&shipped.name).iter().all(|o| !o.cancelled));

    // Once: the next sync reports nothing new.
    let again = dd.sync(store_id, 7).await.unwrap();
    assert!(again.cancelled_after_sending.is_empty(), "{:?}", again.cancelled_after_sending);
}
