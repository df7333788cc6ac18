//! `disputes open|list|show|cancel` and `track`'s request lines, against the sandbox in this
//! test process: a damaged item is asked about with its photo, listed, shown, refunded (the
//! answer printed by `track`), and a second request is withdrawn.

mod common;

use common::{cli, ok};

use dropdock_core::model::OrderStatus;
use dropdock_sandbox::cj_disputes::Settlement;
use dropdock_sandbox::{Sandbox, SandboxConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_is_opened_listed_refunded_and_another_withdrawn_from_the_command_line() {
    let sandbox = Sandbox::start(SandboxConfig { orders: 40, ..SandboxConfig::default() }).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap().to_owned();
    // Two CJ-only orders sent and delivered, as the app would have done.
    let (names, cj_orders) = {
        let dd = common::connected(&sandbox, dir.path()).await;
        let orders: Vec<_> = dd
            .orders(Some(OrderStatus::ToOrder), 200)
            .unwrap()
            .into_iter()
            .filter(|o| {
                let detail = dd.order_detail(o.id).unwrap();
                detail.hold_reason.is_none()
                    && detail
                        .line_items
                        .iter()
                        .filter(|l| l.requires_shipping)
                        .all(|l| l.supplier_name.as_deref() == Some(sandbox.supplier(0).name().as_str()))
            })
            .take(2)
            .collect();
        assert_eq!(orders.len(), 2);
        let mut cj_orders = Vec::new();
        for o in &orders {
            dd.ship(o.id).await.unwrap();
            let key = dd.order_detail(o.id).unwrap().sub_orders[0].idempotency_key.clone();
            let at_cj = sandbox.supplier(0).orders().into_iter().find(|c| c.order_number == key).unwrap();
            sandbox.supplier(0).ship_now(&at_cj.order_id);
            cj_orders.push(at_cj.order_id);
        }
        dd.track().await.unwrap();
        (orders.iter().map(|o| o.name.clone()).collect::<Vec<_>>(), cj_orders)
    };

    let refused = cli(&d, &["disputes", "open", "--order", &names[0], "--reason", "damaged", "--want", "refund"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("at least one photo"));

    let opened = ok(cli(
        &d,
        &[
            "disputes",
            "open",
            "--order",
            &names[0],
            "--reason",
            "damaged",
            "--want",
            "refund",
            "--photo",
            "https://photos.example/crushed.jpg",
            "--message",
            "Box crushed, mug broken",
        ],
    ));
    let first = opened.lines().next().unwrap();
    assert!(first.starts_with("Request D1 for ") && first.ends_with(": open"), "{opened}");
    assert!(opened.contains("  photo https://photos.example/crushed.jpg"), "{opened}");
    assert!(opened.contains("refunds $") && opened.contains(" at most"), "{opened}");

    let listed = ok(cli(&d, &["disputes", "list"]));
    let row: Vec<&str> = listed.lines().next().unwrap().split('\t').collect();
    assert_eq!(row, ["D1", names[0].as_str(), sandbox.supplier(0).name().as_str(), "damaged", "refund", "open", "-"]);
    assert_eq!(listed.lines().last(), Some("Disputes: 1 open, 0 resolved"));

    sandbox.supplier(0).settle_dispute(&cj_orders[0], Settlement::Refund(350));
    let tracked = ok(cli(&d, &["track"]));
    assert!(
        tracked.contains(&format!(
            "{} request D1 refunded: {} refunded $3.50 to My Wallet",
            names[0],
            sandbox.supplier(0).name()
        )),
        "{tracked}"
    );
    let shown = ok(cli(&d, &["disputes", "show", "D1"]));
    assert!(shown.contains("outcome refunded $3.50"), "{shown}");
    let json: serde_json::Value = serde_json::from_str(&ok(cli(&d, &["disputes", "show", "1", "--json"]))).unwrap();
    assert_eq!((json["state"].as_str(), json["refund_minor"].as_i64()), (Some("refunded"), Some(350)));

    ok(cli(&d, &["disputes", "open", "--order", &names[1], "--reason", "not-received", "--want", "resend"]));
    let cancelled = ok(cli(&d, &["disputes", "cancel", "D2"]));
    assert!(cancelled.trim_end().ends_with(": cancelled"), "{cancelled}");
    let open = ok(cli(&d, &["disputes", "list", "--state", "open"]));
    assert_eq!(open.trim_end(), "Disputes: 0 open, 0 resolved");
    assert_eq!(ok(cli(&d, &["disputes", "list"])).lines().last(), Some("Disputes: 0 open, 2 resolved"));
    let bad = cli(&d, &["disputes", "show", "#1001"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("D<number>"));
}
