//! Auto Fulfillment against the sandbox: turning it on needs the My Wallet boxes and a wallet at
//! the threshold; paid orders go after the approval delay, exactly once; a wallet that runs low
//! pauses auto mode and holds orders "waiting for funds", and a recharge resumes it.

mod common;

use std::collections::HashSet;

use chrono::Utc;
use dropdock_core::app::Dropdock;
use dropdock_core::auto_fulfillment::{AutoSettingsInput, PaymentMethod};
use dropdock_core::fulfillment::HoldKind;
use dropdock_core::model::OrderStatus;
use dropdock_core::orders::search::OrderQuery;
use dropdock_core::ErrorCode;
use dropdock_sandbox::{Sandbox, SandboxConfig};

fn wallet_input(delay: u32) -> AutoSettingsInput {
    AutoSettingsInput {
        payment_method: PaymentMethod::Wallet,
        wallet_terms_accepted: true,
        threshold_minor: 100_000,
        approval_delay_minutes: delay,
        daily_at_minute: None,
        utc_offset_minutes: 0,
        most_suitable_within_days: None,
        max_order_cost_minor: None,
        hold_medium_risk: false,
        default_phone: None,
        cost_change_limit_pct: dropdock_core::auto_fulfillment::DEFAULT_COST_CHANGE_LIMIT_PCT,
    }
}

/// Every order at the suppliers, CJ and Printful: (our key, what it charged in cents; nothing
/// for an order not paid or confirmed).
fn supplier_orders(sandbox: &Sandbox) -> Vec<(String, i64)> {
    sandbox.supplier_orders().into_iter().map(|o| (o.key, if o.paid { o.amount_minor } else { 0 })).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_mode_needs_the_wallet_sends_each_order_once_and_pauses_when_it_runs_low() {
    // $500 in each wallet: below the $1,000 Auto Fulfillment needs.
    let config = SandboxConfig { orders: 80, opening_balance_minor: 50_000, ..SandboxConfig::default() };
    let (sandbox, dd, _store_id, _dir) = common::synced_sandbox(config).await;

    // Off by default; the switch needs the My Wallet boxes saved, then a full enough wallet.
    assert!(!dd.auto_settings().unwrap().enabled);
    assert!(!dd.run_auto(Utc::now()).await.unwrap().ran);
    let err = dd.enable_auto().await.unwrap_err();
    assert!(err.to_string().contains("tick both boxes"), "{err}");
    let card = dd.save_auto_settings(&AutoSettingsInput { payment_method: PaymentMethod::Card, ..wallet_input(0) });
    assert_eq!(card.unwrap_err().code(), ErrorCode::InvalidInput);
    assert!(dd.save_auto_settings(&wallet_input(0)).unwrap().wallet_terms_accepted);
    let err = dd.enable_auto().await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("My Wallet holds $500.00 at CJ Shenzhen (demo)"), "{err}");
    assert!(err.to_string().contains("below the $1000.00 Auto Fulfillment needs"), "{err}");
    assert!(supplier_orders(&sandbox).is_empty());

    // After a recharge it turns on.
    for i in 0..sandbox.supplier_count() {
        sandbox.supplier(i).recharge(100_000);
    }
    assert!(dd.enable_auto().await.unwrap().enabled);

    // With a 1-hour approval delay, an order placed 30 minutes ago waits.
    dd.save_auto_settings(&wallet_input(60)).unwrap();
    let to_order = |dd: &Dropdock| {
        dd.query_orders(&OrderQuery { status: Some(OrderStatus::ToOrder), limit: Some(500), ..Default::default() })
            .unwrap()
            .rows
    };
    let oldest = to_order(&dd).iter().map(|r| r.created_at).min().unwrap();
    let early = dd.run_auto(oldest + chrono::Duration::minutes(30)).await.unwrap();
    assert!(early.ran && early.submitted.is_empty(), "{early:?}");
    assert!(supplier_orders(&sandbox).is_empty());
    // Daily at a time that, 30 minutes after the oldest order, last came before it: nothing is due.
    let at = oldest + chrono::Duration::hours(1);
    let minute = chrono::Timelike::hour(&at) * 60 + chrono::Timelike::minute(&at);
    dd.save_auto_settings(&AutoSettingsInput { daily_at_minute: Some(minute), ..wallet_input(0) }).unwrap();
    let daily = dd.run_auto(oldest + chrono::Duration::minutes(30)).await.unwrap();
    assert!(daily.ran && daily.submitted.is_empty(), "{daily:?}");
    assert!(supplier_orders(&sandbox).is_empty());

    // A $1 limit per order: every order is held for the merchant, nothing is sent; Ship order by
    // hand still may send such an order.
    dd.save_auto_settings(&AutoSettingsInput { max_order_cost_minor: Some(100), ..wallet_input(0) }).unwrap();
    let guarded = dd.run_auto(Utc::now()).await.unwrap();
    assert!(guarded.submitted.is_empty() && !guarded.held.is_empty(), "{guarded:?}");
    let above = dd
        .query_orders(&OrderQuery { hold_kind: Some(HoldKind::CostAboveGuard), limit: Some(500), ..Default::default() })
        .unwrap()
        .rows;
    assert_eq!(above.len(), guarded.held.len());
    assert!(above[0].hold_reason.as_deref().unwrap().contains("above your $1.00 limit for Auto Fulfillment"));
    assert!(supplier_orders(&sandbox).is_empty());

    // At once: paid orders go until the wallet falls below $1,000, then auto mode pauses.
    dd.save_auto_settings(&wallet_input(0)).unwrap();
    let held_by_merchant = to_order(&dd)[0].id;
    dd.hold_orders(&[held_by_merchant]).unwrap();
    let run = dd.run_auto(Utc::now()).await.unwrap();
    assert!(!run.submitted.is_empty(), "{run:?}");
    let sent = supplier_orders(&sandbox);
    let numbers: HashSet<&String> = sent.iter().map(|o| &o.0).collect();
    assert_eq!(numbers.len(), sent.len(), "one supplier order per sub-order");
    for name in &run.submitted {
        let detail = dd.order_detail(dd.order_id_by_name(name).unwrap()).unwrap();
        assert_eq!(detail.order.status, OrderStatus::Processing, "{name}");
    }
    {
        let reason = run
            .paused
            .as_ref()
            .unwrap_or_else(|| panic!("$500 of orders at one supplier takes its wallet below $1,000: {run:?}"));
        assert!(run.newly_paused && reason.contains("below the $1000.00"), "{run:?}");
        assert!(dd.auto_settings().unwrap().paused_reason.is_some());
        // Still paused: nothing more is sent.
        let again = dd.run_auto(Utc::now()).await.unwrap();
        assert!(again.paused.is_some() && !again.newly_paused && again.submitted.is_empty());
        assert_eq!(supplier_orders(&sandbox).len(), sent.len());
    }

    // A wallet above the threshold that cannot cover an order holds it "waiting for funds".
    dd.save_auto_settings(&AutoSettingsInput { threshold_minor: 0, ..wallet_input(0) }).unwrap();
    for i in 0..sandbox.supplier_count() {
        let balance = sandbox.supplier(i).balance_minor();
        sandbox.supplier(i).recharge(100 - balance); // $1.00 left
    }
    let starved = dd.run_auto(Utc::now()).await.unwrap();
    assert!(starved.submitted.is_empty() && !starved.held.is_empty(), "{starved:?}");
    let waiting = dd
        .query_orders(&OrderQuery {
            hold_kind: Some(HoldKind::WaitingForFunds),
            limit: Some(500),
            ..Default::default()
        })
        .unwrap()
        .rows;
    assert!(!waiting.is_empty());
    assert!(waiting[0].hold_reason.as_deref().unwrap().starts_with("waiting for funds: $"), "{:?}", waiting[0]);
    assert_eq!(waiting[0].status, OrderStatus::ToOrder, "waiting, not failed");

    // Recharged: auto mode resumes by itself and the waiting orders go.
    for i in 0..sandbox.supplier_count() {
        sandbox.supplier(i).recharge(1_000_000);
    }
    dd.save_auto_settings(&wallet_input(0)).unwrap();
    let resumed = dd.run_auto(Utc::now()).await.unwrap();
    assert!(resumed.paused.is_none(), "{resumed:?}");
    assert!(resumed.submitted.iter().any(|n| n == &waiting[0].name), "{resumed:?}");
    assert!(dd.auto_settings().unwrap().paused_reason.is_none());

    // The ledger equals the suppliers' charges, to the cent; nothing was sent twice.
    let sent = supplier_orders(&sandbox);
    assert_eq!(sent.iter().map(|o| &o.0).collect::<HashSet<_>>().len(), sent.len());
    let charged: i64 = sent.iter().map(|o| o.1).sum();
    let ledger: i64 = dd.suppliers().unwrap().iter().map(|s| -s.ledger_total_minor).sum();
    assert_eq!(ledger, charged);
    // The merchant's hold was respected throughout.
    assert!(dd.order_detail(held_by_merchant).unwrap().sub_orders.is_empty());
    assert!(!dd.disable_auto().unwrap().enabled);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_at_once_send_each_sub_order_once_and_the_ledger_matches_the_supplier() {
    // Two app instances on one database (the desktop app and a scripted `dropdock-cli auto run`)
    // run auto mode at the same moment, over and over, against slow supplier replies.
    let config = SandboxConfig { orders: 60, opening_balance_minor: 400_000, ..SandboxConfig::default() };
    let (sandbox, first, _store, dir) = common::synced_sandbox(config).await;
    for i in 0..sandbox.supplier_count() {
        sandbox.supplier(i).set_create_reply_delay(std::time::Duration::from_millis(30));
    }
    let second = Dropdock::new(
        dropdock_core::db::Db::open_dir(dir.path()).unwrap(),
        first.secrets().clone(),
        dropdock_core::app::http_client(std::time::Duration::from_secs(5)),
    );
    first.save_auto_settings(&AutoSettingsInput { threshold_minor: 0, ..wallet_input(0) }).unwrap();
    first.enable_auto().await.unwrap();
    for _ in 0..4 {
        let (a, b) = tokio::join!(first.run_auto(Utc::now()), second.run_auto(Utc::now()));
        a.unwrap();
        b.unwrap();
    }
    let sent = supplier_orders(&sandbox);
    assert!(sent.len() > 20, "the wallets covered many orders: {}", sent.len());
    assert_eq!(sent.iter().map(|o| &o.0).collect::<HashSet<_>>().len(), sent.len(), "no sub-order sent twice");
    let charged: i64 = sent.iter().map(|o| o.1).sum();
    let suppliers = first.suppliers().unwrap();
    let ledger: i64 = suppliers.iter().map(|s| -s.ledger_total_minor).sum();
    assert_eq!(ledger, charged, "one ledger charge per supplier order, to the cent");
    assert!(suppliers.iter().all(|s| s.balance_minor.is_none_or(|b| b >= 0)), "{suppliers:?}");
    // Every sub-order the suppliers hold is recorded paid, once.
    let paid: usize = first
        .orders(Some(OrderStatus::Processing), 1000)
        .unwrap()
        .iter()
        .map(|o| first.order_detail(o.id).unwrap().sub_orders.iter().filter(|s| s.state == "paid").count())
        .sum();
    assert_eq!(paid, sent.len());
}
