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
