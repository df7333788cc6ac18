//! Fraud risk before sending (issue 18, first part): Shopify's `Order.risk` (recommendation and
//! the assessments' levels, served by the sandbox in the documented shape) is read with each
//! order. A HIGH level or a CANCEL recommendation holds the order on every path (Ship order,
//! Auto Fulfillment) until the merchant releases it; a MEDIUM one ships, unless the merchant chose
//! in Auto Fulfillment's settings to check those first (then it waits for Ship order by hand).

mod common;

use chrono::Utc;
use dropdock_core::auto_fulfillment::{AutoSettingsInput, PaymentMethod};
use dropdock_core::fulfillment::HoldKind;
use dropdock_core::model::OrderStatus;
use dropdock_core::CoreError;
use dropdock_sandbox::SandboxConfig;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_high_risk_order_is_held_on_every_path_until_released() {
    let (sandbox, dd, store, _dir) =
        common::synced_sandbox(SandboxConfig { orders: 40, ..SandboxConfig::default() }).await;
    let shop = sandbox.shop();
    // Four paid orders waiting, each at CJ only (so that Auto Fulfillment can send them).
    let waiting: Vec<(i64, String)> = dd
        .orders(Some(OrderStatus::ToOrder), 1000)
        .unwrap()
        .into_iter()
        .filter(|o| {
            let d = dd.order_detail(o.id).unwrap();
            d.hold_reason.is_none()
                && d.line_items.iter().all(|l| l.supplier_name.as_deref().is_none_or(|n| n.starts_with("CJ ")))
        })
        .map(|o| (o.id, o.name))
        .take(4)
        .collect();
    assert_eq!(waiting.len(), 4);
    let [(high, high_name), (cancel, cancel_name), (medium, medium_name), (checked, checked_name)] =
        <[_; 4]>::try_from(waiting).unwrap();
    shop.set_risk(&high_name, "INVESTIGATE", &["LOW", "HIGH"]);
    shop.set_risk(&cancel_name, "CANCEL", &["LOW"]);
    shop.set_risk(&medium_name, "INVESTIGATE", &["MEDIUM"]);
    shop.set_risk(&checked_name, "ACCEPT", &["LOW", "MEDIUM"]);
    let resync = dd.sync(store, 60).await.unwrap();
    assert_eq!(resync.updates, 4, "{}", resync.line);

    // Held, with the level and the recommendation; the MEDIUM one is not.
    for (id, level, recommendation) in [(high, "HIGH", "INVESTIGATE"), (cancel, "LOW", "CANCEL")] {
        let d = dd.order_detail(id).unwrap();
        assert_eq!(d.order.hold_kind, Some(HoldKind::HighRisk), "{:?}", d.hold_reason);
        let params = d.order.hold_params.clone().unwrap();
        assert_eq!((params["level"].as_str(), params["recommendation"].as_str()), (level, recommendation));
        assert!(d.actions.can_release && !d.actions.can_ship, "{:?}", d.actions);
    }
    assert_eq!(dd.order_detail(medium).unwrap().hold_reason, None);

    // Ship order refuses it; Auto Fulfillment sends the others and never it.
    match dd.ship(high).await {
        Err(CoreError::Held(hold)) => assert_eq!(hold.kind, HoldKind::HighRisk),
        other => panic!("a high-risk order was not held: {other:?}"),
    }
    let settings = |hold_medium_risk: bool| AutoSettingsInput {
        payment_method: PaymentMethod::Wallet,
        wallet_terms_accepted: true,
        threshold_minor: 100_000,
        approval_delay_minutes: 0,
        daily_at_minute: None,
        utc_offset_minutes: 0,
        most_suitable_within_days: None,
        max_order_cost_minor: None,
        hold_medium_risk,
        default_phone: None,
        cost_change_limit_pct: dropdock_core::auto_fulfillment::DEFAULT_COST_CHANGE_LIMIT_PCT,
    };
    // With "hold MEDIUM risk" chosen, Auto Fulfillment leaves both MEDIUM orders for the merchant.
    assert!(dd.save_auto_settings(&settings(true)).unwrap().hold_medium_risk);
    dd.enable_auto().await.unwrap();
    let run = dd.run_auto(Utc::now()).await.unwrap();
    for (id, name) in [(medium, &medium_name), (checked, &checked_name)] {
        assert!(run.held.contains(name) && !run.submitted.contains(name), "{run:?}");
        let d = dd.order_detail(id).unwrap();
        assert_eq!(d.order.hold_kind, Some(HoldKind::MediumRisk), "{:?}", d.hold_reason);
        assert_eq!(d.order.hold_params.clone().unwrap()["level"].as_str(), "MEDIUM");
        assert!(d.sub_orders.is_empty(), "never sent");
    }
    // Checked by the merchant: Ship order by hand sends it.
    let by_hand = dd.ship(checked).await.unwrap();
    assert!(by_hand.sub_orders.iter().all(|s| s.state == "paid"), "{by_hand:?}");
    // Not chosen (the default): the MEDIUM order ships on the next run, the HIGH ones never.
    dd.save_auto_settings(&settings(false)).unwrap();
    let run = dd.run_auto(Utc::now()).await.unwrap();
    assert!(run.submitted.contains(&medium_name), "{run:?}");
    assert!(!run.submitted.contains(&high_name) && !run.submitted.contains(&cancel_name), "{run:?}");
    assert!(dd.order_detail(high).unwrap().sub_orders.is_empty());
    assert!(dd.order_detail(cancel).unwrap().sub_orders.is_empty());
    dd.disable_auto().unwrap();

    // Released after checking: the risk is accepted, and it ships.
    let released = dd.release_orders(&[high]).unwrap();
    assert_eq!(released.done, vec![high_name.clone()]);
    assert_eq!(dd.order_detail(high).unwrap().hold_reason, None);
    let shipped = dd.ship(high).await.unwrap();
    assert!(shipped.sub_orders.iter().all(|s| s.state == "paid"), "{shipped:?}");
    // The other stays held through another sync.
    dd.sync(store, 60).await.unwrap();
    assert_eq!(dd.order_detail(cancel).unwrap().order.hold_kind, Some(HoldKind::HighRisk));
}
