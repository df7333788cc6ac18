//! `profit settings|show|rate|summary` against the sandbox in this test process: the fee is
//! set, an order sent to CJ shows its profit (and one not sent an estimate), a currency without a
//! rate is unknown until the rate is recorded, and the summary ends with its one line.

mod common;

use common::{cli, ok};

use dropdock_core::model::OrderStatus;
use dropdock_sandbox::{Sandbox, SandboxConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fee_rates_and_profit_from_the_command_line() {
    let sandbox = Sandbox::start(SandboxConfig { orders: 40, ..SandboxConfig::default() }).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap().to_owned();
    let (sent, waiting, charged) = {
        let dd = common::connected(&sandbox, dir.path()).await;
        let to_order = dd.orders(Some(OrderStatus::ToOrder), 100).unwrap();
        let sent = to_order.iter().find(|o| dd.order_detail(o.id).unwrap().hold_reason.is_none()).unwrap().clone();
        let waiting = to_order.iter().find(|o| o.id != sent.id).unwrap().clone();
        let result = dd.ship(sent.id).await.unwrap();
        let charged: i64 = result.sub_orders.iter().map(|s| s.cost_minor.unwrap_or(0)).sum();
        (sent, waiting, charged)
    };

    let set = ok(cli(&d, &["profit", "settings", "--fee-percent", "2.9", "--fee-fixed", "0.30"]));
    assert_eq!(set.lines().next(), Some("Profit in USD, payment fee 2.90% + 0.30"));
    let shown = ok(cli(&d, &["profit", "show", &sent.name]));
    let fee = (sent.total_minor * 290 + 5_000) / 10_000 + 30;
    let profit = sent.total_minor - charged - fee;
    let amount = format!("{}{}.{:02}", if profit < 0 { "-" } else { "" }, profit.abs() / 100, profit.abs() % 100);
    assert_eq!(shown.lines().next().unwrap(), format!("Profit {}: {amount} USD", sent.name), "{shown}");
    assert!(shown.contains(&format!("  supplier cost {}.{:02} USD", charged / 100, charged % 100)), "{shown}");
    let estimate = ok(cli(&d, &["profit", "show", &waiting.name]));
    assert!(estimate.lines().next().unwrap().ends_with(" USD (estimate)"), "{estimate}");

    ok(cli(&d, &["profit", "settings", "--currency", "EUR"]));
    let unknown = ok(cli(&d, &["profit", "show", &sent.name]));
    assert_eq!(unknown.lines().next().unwrap(), format!("Profit {}: unknown: no rate for USD", sent.name));
    let rated = ok(cli(&d, &["profit", "rate", "USD", "0.92"]));
    assert!(rated.contains("  rate USD 0.92 ("), "{rated}");
    let json: serde_json::Value =
        serde_json::from_str(&ok(cli(&d, &["profit", "show", &sent.name, "--json"]))).unwrap();
    assert_eq!(json["currency"], "EUR");
    assert!(json["profit_minor"].is_i64());

    let summary = ok(cli(&d, &["profit", "summary", "--days", "60"]));
    let last = summary.lines().last().unwrap();
    assert!(
        last.starts_with("Profit: ") && last.contains(" EUR over ") && last.contains(" estimated, 0 unknown), margin "),
        "{last}"
    );
    let products = ok(cli(&d, &["profit", "products", "--days", "60"]));
    let first: Vec<&str> = products.lines().next().unwrap().split('\t').collect();
    assert!(first.len() == 3 && first[1].parse::<i64>().unwrap() > 0, "{products}");
    let bad = cli(&d, &["profit", "rate", "GBP", "0"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a positive rate"));
}
