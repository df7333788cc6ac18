//! Cards (CJ takes none through its API), cancelling sub-orders before and after submission, and
//! looking up supplier variants by SKU, against the sandbox.

mod common;

use std::collections::HashSet;

use dropdock_core::app::Dropdock;
use dropdock_core::fulfillment::payment_card::CardInput;
use dropdock_core::model::OrderStatus;
use dropdock_core::secrets::supplier_card_token_key;
use dropdock_core::ErrorCode;
use dropdock_sandbox::{Sandbox, SandboxConfig};

fn card(number: &str) -> CardInput {
    CardInput {
        number: number.into(),
        name_on_card: "Ada Lovelace".into(),
        exp_month: 12,
        exp_year: 2030,
        cvc: "123".into(),
        country_code: "GB".into(),
    }
}

fn ledger(dir: &std::path::Path) -> Vec<(String, i64)> {
    let conn = rusqlite::Connection::open(dir.join(dropdock_core::db::DB_FILE)).unwrap();
    let mut stmt = conn.prepare("SELECT kind, amount_minor FROM wallet_entry ORDER BY id").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<rusqlite::Result<_>>().unwrap()
}

fn two_suppliers(dd: &Dropdock, id: i64) -> bool {
    dd.order_detail(id).unwrap().line_items.iter().filter_map(|l| l.supplier_name.clone()).collect::<HashSet<_>>().len()
        == 2
}

/// Whether any of the order's line items goes to the Printful account.
fn at_printful(dd: &Dropdock, id: i64) -> bool {
    dd.order_detail(id).unwrap().line_items.iter().any(|l| l.supplier_name.as_deref() == Some(PRINTFUL))
}

const PRINTFUL: &str = "Printful (demo)";

/// Every order at the suppliers, CJ and Printful.
fn all_supplier_orders(sandbox: &Sandbox) -> Vec<dropdock_sandbox::SupplierSideOrder> {
    sandbox.supplier_orders()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_is_checked_but_never_sent_to_cj_which_documents_no_card_api() {
    let config = SandboxConfig { orders: 20, opening_balance_minor: 50_000, ..SandboxConfig::default() };
    let (sandbox, dd, _store, dir) = common::synced_sandbox(config).await;

    // Bad cards are refused with the field named, before any supplier is asked.
    let err = dd.save_card(&card("4242424242424241"), true).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("check digit"), "{err}");
    assert!(dd.save_card(&card("4242424242424242"), false).await.unwrap_err().to_string().contains("terms"));

    // A good card: CJ takes cards only on its own payment page, so Dropdock says so and keeps
    // paying from My Wallet; nothing of the card is stored here or at the supplier.
    let refused = dd.save_card(&card("4242 4242 4242 4242"), true).await.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::InvalidInput);
    assert!(refused.to_string().contains("own payment page"), "{refused}");
    assert!(dd.saved_cards().unwrap().is_empty());
    assert!((0..2).all(|i| sandbox.supplier(i).cards().is_empty()));
    let settings = dd.auto_settings().unwrap();
    assert_eq!(settings.payment_method, dropdock_core::auto_fulfillment::PaymentMethod::Wallet);
    assert!(dd.suppliers().unwrap().iter().all(|s| !s.accepts_cards), "no connected platform takes a card by API");
    for supplier in dd.suppliers().unwrap() {
        assert_eq!(dd.secrets().get(&supplier_card_token_key(supplier.id)).unwrap(), None);
    }

    // Orders still ship, from My Wallet, with their ledger entries.
    let to_order = dd.orders(Some(OrderStatus::ToOrder), 1000).unwrap();
    let mixed = to_order.iter().find(|o| two_suppliers(&dd, o.id)).expect("a multi-supplier order");
    let shipped = dd.ship(mixed.id).await.unwrap();
    assert!(shipped.sub_orders.iter().all(|s| s.state == "paid"), "{shipped:?}");
    let detail = dd.order_detail(mixed.id).unwrap();
    // From My Wallet at CJ; Printful, which has no balance, charges its own billing method.
    for s in &detail.sub_orders {
        let expected = if s.supplier_name == PRINTFUL { "billing" } else { "wallet" };
        assert_eq!(s.payment_method.as_deref(), Some(expected), "{s:?}");
    }
    let charged: i64 = shipped.sub_orders.iter().map(|s| s.cost_minor.unwrap()).sum();
    let charges: i64 = ledger(dir.path()).iter().filter(|e| e.0 == "charge").map(|e| e.1).sum();
    assert_eq!(charges, -charged);
    assert_eq!(all_supplier_orders(&sandbox).len(), 2);
    assert!(all_supplier_orders(&sandbox).iter().all(|o| !o.paid_by_card));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_takes_orders_out_of_the_queue_or_asks_the_supplier_and_shows_its_answer() {
    let (mut sandbox, dd, _store, dir) =
        common::synced_sandbox(SandboxConfig { orders: 40, ..SandboxConfig::default() }).await;
    let to_order = dd.orders(Some(OrderStatus::ToOrder), 1000).unwrap();
    // Orders at CJ only (Printful cancels nothing once confirmed: see the end).
    let cj_only: Vec<i64> = to_order.iter().map(|o| o.id).filter(|id| !at_printful(&dd, *id)).collect();
    let (a, b, c) = (cj_only[0], cj_only[1], cj_only[2]);

    // Before submission: a queued Ship order leaves the queue, and nothing reaches a supplier.
    sandbox.stop_servers().await;
    let queued = dd.ship_orders(&[a]).await.unwrap();
    assert_eq!(queued.queued.len(), 1);
    let cancelled = dd.cancel_fulfillment(&[a]).await.unwrap();
    assert!(cancelled.outcomes[0].cancelled && cancelled.outcomes[0].answer.contains("taken out of the queue"));
    assert_eq!(dd.network_status().unwrap().queued, 0);
    sandbox.restart_servers().await.unwrap();
    dd.run_queue().await.unwrap();
    assert!(all_supplier_orders(&sandbox).is_empty());
    // It is held, so Auto Fulfillment will not send it.
    assert!(dd.order_detail(a).unwrap().hold_reason.unwrap().contains("held by you"));

    // After submission: the supplier cancels an unshipped order and refunds My Wallet.
    let balance_before = sandbox.supplier(0).balance_minor() + sandbox.supplier(1).balance_minor();
    let shipped = dd.ship(b).await.unwrap();
    let cost: i64 = shipped.sub_orders.iter().map(|s| s.cost_minor.unwrap()).sum();
    let result = dd.cancel_fulfillment(&[b]).await.unwrap();
    assert!(result.outcomes.iter().all(|o| o.cancelled), "{result:?}");
    assert!(result.outcomes[0].answer.contains("refunded to My Wallet"), "{result:?}");
    assert_eq!(
        result.summary(),
        format!(
            "Cancelled {} sub-order{}, refused 0",
            result.outcomes.len(),
            if result.outcomes.len() == 1 { "" } else { "s" }
        )
    );
    assert!(all_supplier_orders(&sandbox).iter().all(|o| o.cancelled));
    assert_eq!(sandbox.supplier(0).balance_minor() + sandbox.supplier(1).balance_minor(), balance_before);
    let entries = ledger(dir.path());
    assert_eq!(entries.iter().map(|e| e.1).sum::<i64>(), 0, "each charge has its refund: {entries:?}");
    assert!(
        entries.iter().any(|e| e.0 == "refund" && e.1 == cost)
            || entries.iter().filter(|e| e.0 == "refund").count() > 1
    );
    let detail = dd.order_detail(b).unwrap();
    assert!(detail.sub_orders.iter().all(|s| s.state == "cancelled" && s.cancel_answer.is_some()));
    assert_eq!(detail.order.status, OrderStatus::ToOrder);

    // Released and shipped again, it goes under a new order number: one live order per sub-order.
    dd.release_orders(&[b]).unwrap();
    let again = dd.ship(b).await.unwrap();
    assert!(again.sub_orders.iter().all(|s| s.state == "paid"), "{again:?}");
    let keys: Vec<String> = dd.order_detail(b).unwrap().sub_orders.iter().map(|s| s.idempotency_key.clone()).collect();
    assert!(keys.iter().all(|k| k.ends_with("-R2")), "{keys:?}");
    let live: Vec<_> = all_supplier_orders(&sandbox).into_iter().filter(|o| !o.cancelled).collect();
    assert_eq!(live.len(), keys.len());

    // Shipped at the supplier but not yet tracked here: the supplier refuses, and says why.
    dd.ship(c).await.unwrap();
    for i in 0..sandbox.supplier_count() {
        sandbox.supplier(i).ship_all_now();
    }
    let refused = dd.cancel_fulfillment(&[c]).await.unwrap();
    assert!(refused.outcomes.iter().all(|o| !o.cancelled), "{refused:?}");
    assert!(refused.outcomes[0].answer.contains("refused"), "{refused:?}");
    assert!(refused.outcomes[0].answer.contains("has shipped"), "{refused:?}");
    let detail = dd.order_detail(c).unwrap();
    assert!(detail
        .sub_orders
        .iter()
        .all(|s| s.state == "paid" && s.cancel_answer.as_deref().unwrap().contains("refused")));
    // Once tracked as shipped, Dropdock answers without asking.
    dd.track().await.unwrap();
    let local = dd.cancel_fulfillment(&[c]).await.unwrap();
    assert!(local.outcomes[0].answer.contains("already shipped"), "{local:?}");

    // Printful deletes only drafts: a confirmed order is refused with Printful's own answer,
    // and stays paid; its CJ part, unshipped, is cancelled and refunded.
    let d = to_order.iter().map(|o| o.id).find(|id| at_printful(&dd, *id)).expect("an order with a printed item");
    dd.ship(d).await.unwrap();
    let answered = dd.cancel_fulfillment(&[d]).await.unwrap();
    let printful =
        answered.outcomes.iter().find(|o| o.supplier_name.as_deref() == Some(PRINTFUL)).expect("Printful was asked");
    assert!(!printful.cancelled, "{answered:?}");
    assert!(printful.answer.contains("cannot be deleted"), "{answered:?}");
    assert!(
        answered.outcomes.iter().filter(|o| o.supplier_name.as_deref() != Some(PRINTFUL)).all(|o| o.cancelled),
        "{answered:?}"
    );
    let at_printful_now: Vec<_> = all_supplier_orders(&sandbox).into_iter().filter(|o| o.account == PRINTFUL).collect();
    assert_eq!(at_printful_now.len(), 1);
    assert!(at_printful_now[0].paid && !at_printful_now[0].cancelled);
    let detail = dd.order_detail(d).unwrap();
    assert!(detail.sub_orders.iter().any(|s| s.supplier_name == PRINTFUL && s.state == "paid"), "{detail:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supplier_variants_are_found_by_sku_for_mapping() {
    let (sandbox, dd, _store, _dir) =
        common::synced_sandbox(SandboxConfig { orders: 5, ..SandboxConfig::default() }).await;
    let variant = sandbox.supplier(1).catalog()[0].clone();
    let found = dd.find_supplier_variants(&variant.sku.to_lowercase()).await.unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].supplier_name, sandbox.supplier(1).name());
    assert_eq!(found[0].variant.vid, variant.vid);
    assert_eq!(found[0].variant.price_minor, variant.cost_minor);
    assert!(dd.find_supplier_variants("NO-SUCH-SKU").await.unwrap().is_empty());
    assert_eq!(dd.find_supplier_variants("  ").await.unwrap_err().code(), ErrorCode::InvalidInput);
}
