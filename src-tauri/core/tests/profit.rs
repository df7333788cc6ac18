//! Profit per order against a hand computation over the 500 orders of the sandbox shop: what the
//! buyers paid (less the shop's refunds, read from `totalRefundedSet`), what the sandbox CJ
//! accounts charged (less what they refunded: a cancellation, a damaged-item request), and the
//! merchant's payment fee; orders no supplier has charged are estimates; the Dashboard's sum is
//! the orders' sum; a currency without a rate leaves the profit unknown until one is recorded.

mod common;

use std::collections::HashMap;

use dropdock_core::model::OrderStatus;
use dropdock_core::orders::disputes::DisputeInput;
use dropdock_sandbox::cj_disputes::Settlement;
use dropdock_sandbox::SandboxConfig;

fn cents(decimal: &str) -> i64 {
    let (whole, frac) = decimal.split_once('.').unwrap_or((decimal, "0"));
    whole.parse::<i64>().unwrap() * 100 + format!("{frac:0<2}")[..2].parse::<i64>().unwrap()
}

/// The fee rule as the merchant set it: 2.9 % of what the buyer paid, rounded half away from
/// zero, plus 30 cents.
fn fee(total: i64) -> i64 {
    (total * 290 + 5_000) / 10_000 + 30
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profit_equals_a_hand_computation_over_500_orders() {
    let (sandbox, dd, store_id, _dir) = common::synced_sandbox(SandboxConfig {
        orders: 500,
        // A shop on a large plan, so the 500 orders sync in seconds (the cost rule still applies).
        bucket_size: 20_000.0,
        restore_rate: 20_000.0,
        // Enough in each wallet for every order.
        opening_balance_minor: 10_000_000,
        ..SandboxConfig::default()
    })
    .await;
    dd.save_profit_settings("USD", 290, 30).unwrap();
    let shop = sandbox.shop();

    // 12 orders whose lines all go to CJ, sent; two cancelled at CJ (refunded), one dispatched
    // and refunded in part for a damaged item; two refunded by the shop to their buyers.
    let cj_names: Vec<String> = (0..sandbox.supplier_count())
        .filter(|i| sandbox.supplier(*i).name().starts_with("CJ"))
        .map(|i| sandbox.supplier(i).name())
        .collect();
    let sent: Vec<_> = dd
        .orders(Some(OrderStatus::ToOrder), 500)
        .unwrap()
        .into_iter()
        .filter(|o| {
            let d = dd.order_detail(o.id).unwrap();
            d.hold_reason.is_none()
                && d.line_items
                    .iter()
                    .filter(|l| l.requires_shipping)
                    .all(|l| l.supplier_name.as_ref().is_some_and(|s| cj_names.contains(s)))
        })
        .take(12)
        .collect();
    assert_eq!(sent.len(), 12);
    for o in &sent {
        dd.ship(o.id).await.unwrap();
    }
    dd.cancel_fulfillment(&[sent[0].id, sent[1].id]).await.unwrap();
    let key_of =
        |id: i64| dd.order_detail(id).unwrap().sub_orders.iter().map(|s| s.idempotency_key.clone()).collect::<Vec<_>>();
    let at_cj = |id: i64| {
        let keys = key_of(id);
        (0..sandbox.supplier_count())
            .flat_map(|i| sandbox.supplier(i).orders().into_iter().map(move |o| (i, o)))
            .filter(|(_, o)| keys.contains(&o.order_number))
            .collect::<Vec<_>>()
    };
    let damaged = &sent[2];
    for (i, o) in at_cj(damaged.id) {
        sandbox.supplier(i).ship_now(&o.order_id);
    }
    dd.track().await.unwrap();
    dd.open_dispute(&DisputeInput {
        order_id: damaged.id,
        supplier_id: None,
        reason: "damaged".into(),
        wanted: "refund".into(),
        items: Vec::new(),
        photos: vec!["https://photos.example/broken.jpg".into()],
        message: String::new(),
    })
    .await
    .unwrap();
    let (cj_index, cj_order) = at_cj(damaged.id).remove(0);
    sandbox.supplier(cj_index).settle_dispute(&cj_order.order_id, Settlement::Refund(415));
    dd.track().await.unwrap();
    shop.refund_order(&sent[3].name, 1_000);
    shop.refund_order(&sent[4].name, 250);
    dd.sync(store_id, 60).await.unwrap();

    // Before the rest is sent: every other paid order is an estimate, marked so in the CSV.
    let rows = dd.orders(None, 500).unwrap();
    assert_eq!(rows.len(), 500);
    let unsent: Vec<_> =
        rows.iter().filter(|r| r.status == OrderStatus::ToOrder && !sent.iter().any(|s| s.id == r.id)).collect();
    assert!(unsent.len() > 100 && unsent.iter().all(|r| r.profit_estimated && r.profit_minor.is_some()));
    let mut csv = Vec::new();
    dd.export_orders_csv(&dropdock_core::orders::actions::OrderSelection::Ids(vec![unsent[0].id]), &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.lines().next().unwrap().ends_with(",Profit,Profit currency,Profit estimated"), "{csv}");
    assert!(csv.lines().nth(1).unwrap().ends_with(",USD,yes"), "{csv}");

    // Now every paid order that can go is sent (CJ and Printful), so most of the 500 are charged.
    let to_send: Vec<i64> = unsent.iter().map(|r| r.id).collect();
    dd.ship_orders(&to_send).await.unwrap();

    // The hand computation over all 500, from the shop's and the suppliers' own records: what the
    // buyer paid less the shop's refunds, less what the suppliers charged under the order's
    // numbers less what they gave back, less the fee.
    let at_suppliers = sandbox.supplier_orders();
    let supplier_refund: HashMap<i64, i64> = [(damaged.id, 415)].into_iter().collect();
    let rows = dd.orders(None, 500).unwrap();
    let mut charged_orders = 0;
    for r in &rows {
        let at_shop = shop.order(&r.name).unwrap();
        let total: i64 = at_shop.line_items.iter().map(|l| cents(&l.price) * l.quantity).sum::<i64>()
            + cents(&at_shop.shipping_price);
        let keys = key_of(r.id);
        let charges: Vec<_> = at_suppliers.iter().filter(|o| o.paid && keys.contains(&o.key)).collect();
        let p = dd.order_profit(r.id).unwrap();
        if charges.is_empty() {
            assert!(p.estimated, "{}: nothing charged, so an estimate", r.name);
            continue;
        }
        let charged: i64 = charges.iter().map(|o| o.amount_minor).sum();
        // A cancellation at CJ gives all of it back; a damaged-item refund what CJ settled on.
        let given_back: i64 = charges.iter().filter(|o| o.cancelled).map(|o| o.amount_minor).sum::<i64>()
            + supplier_refund.get(&r.id).copied().unwrap_or(0);
        let expected = (total - at_shop.refunded_cents) - (charged - given_back) - fee(total);
        assert!(!p.estimated, "{}: charged, not estimated", r.name);
        assert_eq!(p.profit_minor, Some(expected), "{} ({p:?})", r.name);
        assert_eq!(p.revenue_minor, Some(total - at_shop.refunded_cents), "{}", r.name);
        assert_eq!(p.fee_minor, Some(fee(total)), "{}", r.name);
        // The figure kept on the order (the list's column) is the same.
        assert_eq!((r.profit_minor, r.profit_estimated), (Some(expected), false), "{}", r.name);
        charged_orders += 1;
    }
    assert!(charged_orders > 300, "only {charged_orders} of 500 orders were charged");
    assert_eq!(shop.order(&sent[3].name).unwrap().refunded_cents, 1_000, "the shop refunded");

    // The Dashboard's and the summary's figures are the orders' sum.
    let summary = dd.profit_summary(366).unwrap();
    let paid: Vec<_> = rows.iter().filter(|r| r.status != OrderStatus::AwaitingPayment).collect();
    assert_eq!(summary.profit_minor, paid.iter().map(|r| r.profit_minor.unwrap()).sum::<i64>());
    assert_eq!(summary.orders as usize, paid.len());
    assert_eq!(summary.per_day.iter().map(|d| d.1).sum::<i64>(), summary.profit_minor);
    assert_eq!(summary.estimated as usize, paid.iter().filter(|r| r.profit_estimated).count());
    let dashboard =
        dd.dashboard(dropdock_core::orders::dashboard::DashboardRequest { days: 366, ..Default::default() }).unwrap();
    assert_eq!(dashboard.profit_minor, summary.profit_minor, "the Dashboard reads the same figures");
    assert_eq!(dashboard.profit_per_day.iter().map(|d| d.profit_minor).sum::<i64>(), summary.profit_minor);
    let products = dd.profit_per_product(366).unwrap();
    assert!(!products.is_empty() && products.len() <= 10);
    assert!(products.windows(2).all(|w| w[0].profit_minor >= w[1].profit_minor), "most profitable first");
    let mut csv = Vec::new();
    dd.export_orders_csv(&dropdock_core::orders::actions::OrderSelection::Ids(vec![sent[3].id]), &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let expected_sent3 = dd.order_profit(sent[3].id).unwrap().profit_minor.unwrap();
    let money = format!(
        "{}{}.{:02}",
        if expected_sent3 < 0 { "-" } else { "" },
        expected_sent3.abs() / 100,
        expected_sent3.abs() % 100
    );
    assert!(csv.lines().nth(1).unwrap().ends_with(&format!(",{money},USD,no")), "{csv}");

    // In euros without a rate for dollars: unknown, never guessed; with one, converted.
    dd.save_profit_settings("EUR", 290, 30).unwrap();
    let p = dd.order_profit(sent[5].id).unwrap();
    assert_eq!((p.profit_minor, p.missing_rate.as_deref()), (None, Some("USD")));
    assert_eq!(dd.profit_summary(366).unwrap().unknown as usize, paid.len());
    dd.set_exchange_rate("usd", Some("0.5")).unwrap();
    let p = dd.order_profit(sent[5].id).unwrap();
    let revenue = p.revenue_minor.unwrap();
    let at_shop = shop.order(&sent[5].name).unwrap();
    let total: i64 =
        at_shop.line_items.iter().map(|l| cents(&l.price) * l.quantity).sum::<i64>() + cents(&at_shop.shipping_price);
    assert_eq!(revenue, (total + 1) / 2, "half, rounded half away from zero");
    assert_eq!(p.fee_minor, Some((total * 290 + 10_000) / 20_000 + 30), "2.9 % converted, plus 30 euro cents");
    assert!(dd.save_profit_settings("euro", 0, 0).is_err());
    assert!(dd.set_exchange_rate("USD", Some("-1")).is_err());
}
