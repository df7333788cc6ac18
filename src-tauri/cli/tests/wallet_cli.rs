//! The CLI's My Wallet, invoices, carriers and notifications commands against a sandbox in this
//! test process: the ledger opens with the supplier's balance and lists the charge of an order
//! shipped; a recharge made at the supplier shows as a difference until it is recorded; a real
//! CJ account's recharge prints its page; invoices go to a CSV whose total is the ledger's.

mod common;

use common::{cli, ok};

use dropdock_sandbox::{Sandbox, SandboxConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wallet_invoices_carriers_and_notifications_commands() {
    let sandbox = Sandbox::start(SandboxConfig { orders: 20, ..SandboxConfig::default() }).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap().to_owned();
    let (shop_url, shop_token) = (sandbox.shopify_url(), sandbox.shopify_token());
    ok(cli(&d, &["store", "add", "shopify", "--name", "Shop", "--url", &shop_url, "--token", &shop_token]));
    let mut names = Vec::new();
    for i in 0..sandbox.supplier_count() {
        let s = sandbox.supplier(i);
        let (name, url, key) = (s.name(), s.url(), s.api_key());
        ok(cli(
            &d,
            &[
                "supplier",
                "add",
                "cj",
                "--name",
                &name,
                "--url",
                &url,
                "--api-key",
                &key,
                "--requests-per-second",
                "100",
            ],
        ));
        for v in s.catalog() {
            let cost = format!("{}.{:02}", v.cost_minor / 100, v.cost_minor % 100);
            ok(cli(&d, &["mapping", "add", "--sku", &v.sku, "--supplier", &name, "--vid", &v.vid, "--cost", &cost]));
        }
        names.push(name);
    }
    ok(cli(&d, &["sync", "--store", "Shop", "--days", "60"]));

    // The first look opens the ledger with each balance.
    let wallet = ok(cli(&d, &["wallet"]));
    assert_eq!(wallet.lines().count(), 2, "{wallet}");
    let reconciled = ok(cli(&d, &["wallet", "reconcile"]));
    assert_eq!(reconciled.lines().filter(|l| l.ends_with("\treconciled")).count(), 2, "{reconciled}");

    // An order shipped: its charge is in the ledger with the order and the supplier's number.
    // (One whose items are all at the CJ accounts connected here: the demo's print-on-demand
    // items are Printful's, which this test leaves out.)
    let cj_skus: std::collections::HashSet<String> =
        (0..sandbox.supplier_count()).flat_map(|i| sandbox.supplier(i).catalog()).map(|v| v.sku).collect();
    let listed = ok(cli(&d, &["orders", "list", "--status", "to_order", "--limit", "50"]));
    let order = listed
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_owned())
        .find(|name| {
            let o = sandbox.shop().order(name).unwrap();
            o.line_items
                .iter()
                .filter(|l| l.requires_shipping)
                .all(|l| l.sku.as_ref().is_some_and(|s| cj_skus.contains(s)))
        })
        .expect("an order at CJ only");
    ok(cli(&d, &["orders", "ship", &order]));
    let ledger = ok(cli(&d, &["wallet", "ledger"]));
    let charge = ledger.lines().find(|l| l.contains("\tcharge\t")).unwrap_or_else(|| panic!("{ledger}"));
    assert!(charge.contains(&format!("{order} (CJ")), "{charge}");
    assert!(
        ledger.lines().filter(|l| l.contains("\tadjustment\t") && l.ends_with("Opening balance")).count() == 2,
        "{ledger}"
    );
    let one = ok(cli(&d, &["wallet", "ledger", "--supplier", &names[0]]));
    assert!(one.lines().all(|l| l.split('\t').nth(1) == Some(names[0].as_str())), "{one}");

    // A recharge on the supplier's own site: a difference, until recorded.
    sandbox.supplier(0).recharge(5_000);
    let off = ok(cli(&d, &["wallet", "reconcile"]));
    assert!(
        off.lines().any(|l| l.starts_with(&names[0]) && l.ends_with("difference $50.00 (supplier less ledger)")),
        "{off}"
    );
    let bad = cli(&d, &["wallet", "record", "--supplier", &names[0], "--kind", "recharge", "--amount", "-50"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("a recharge adds money"));
    ok(cli(
        &d,
        &["wallet", "record", "--supplier", &names[0], "--kind", "recharge", "--amount", "50", "--note", "on CJ"],
    ));
    let back = ok(cli(&d, &["wallet", "reconcile"]));
    assert_eq!(back.lines().filter(|l| l.ends_with("\treconciled")).count(), 2, "{back}");
    // A real CJ account has no recharge API: the page to recharge on.
    let page = ok(cli(&d, &["wallet", "recharge", "--supplier", &names[0], "--amount", "100"]));
    assert!(page.contains("on its own site: https://cjdropshipping.com/"), "{page}");
    let forecast = ok(cli(&d, &["wallet", "forecast"]));
    assert_eq!(forecast.lines().count(), 2, "{forecast}");
    assert!(forecast.lines().all(|l| l.contains("orders waiting")), "{forecast}");

    // Invoices for today: the shipped order's sub-orders; the CSV total is what the ledger charged.
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let out = dir.path().join("invoices.csv");
    let exported = ok(cli(
        &d,
        &["invoices", "export", "--from", &today, "--to", &today, "--format", "csv", "--out", out.to_str().unwrap()],
    ));
    assert!(exported.starts_with(&format!("Invoices {today} to {today}: ")), "{exported}");
    let csv = std::fs::read_to_string(&out).unwrap();
    let total_row = csv.lines().last().unwrap();
    assert!(total_row.starts_with("Total,"), "{csv}");
    let charged: i64 =
        sandbox.supplier(0).orders().iter().chain(sandbox.supplier(1).orders().iter()).map(|o| o.amount_minor).sum();
    let total = total_row.split(',').nth(8).unwrap();
    assert_eq!(total, format!("{}.{:02}", charged / 100, charged % 100), "{csv}");
    let pdf = dir.path().join("invoices.pdf");
    ok(cli(
        &d,
        &["invoices", "export", "--from", &today, "--to", &today, "--format", "pdf", "--out", pdf.to_str().unwrap()],
    ));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));

    // Carriers: a row of the merchant's comes first and can be removed.
    let set = ok(cli(
        &d,
        &[
            "carriers",
            "set",
            "--supplier-carrier",
            "CJPacket",
            "--shopify",
            "CJ Packet",
            "--url",
            "https://track.example/{n}",
        ],
    ));
    assert!(
        set.lines().next().unwrap().starts_with(
            "cjpacket\tShopify CJ Packet\tEtsy other\tWooCommerce (custom)\thttps://track.example/{n}\tcustom"
        ),
        "{set}"
    );
    let refused = cli(&d, &["carriers", "set", "--supplier-carrier", "x", "--shopify", "X", "--url", "http://x/{n}"]);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("tracking link"), "{:?}", refused);
    let listed = ok(cli(&d, &["carriers", "remove", "cjpacket"]));
    assert!(!listed.contains("cjpacket") && listed.contains("yunexpress\tShopify YunExpress"), "{listed}");
    assert_eq!(cli(&d, &["carriers", "remove", "cjpacket"]).status.code(), Some(1));

    // Notifications: each kind can be turned off, and stays off.
    assert_eq!(
        ok(cli(&d, &["notifications"])).trim(),
        "Notifications: shipments on, Auto Fulfillment paused on, store sync failing on, tracking attention on"
    );
    ok(cli(&d, &["notifications", "--shipment", "off", "--sync-failed", "off", "--tracking-attention", "off"]));
    assert_eq!(
        ok(cli(&d, &["notifications"])).trim(),
        "Notifications: shipments off, Auto Fulfillment paused on, store sync failing off, tracking attention off"
    );

    // Tracking exceptions: none yet; the days are checked; `orders list --tracking` filters.
    assert_eq!(
        ok(cli(&d, &["tracking", "list"])).trim(),
        "Tracking exceptions: 0 need attention, 0 expired (attention after 7 days without news)"
    );
    assert_eq!(cli(&d, &["tracking", "set", "--attention-days", "45"]).status.code(), Some(1));
    assert_eq!(
        ok(cli(&d, &["tracking", "set", "--attention-days", "10"])).trim(),
        "A shipment needs attention after 10 days without news"
    );
    assert!(ok(cli(&d, &["tracking", "list"])).contains("attention after 10 days"));
    assert!(ok(cli(&d, &["orders", "list", "--tracking", "attention"])).is_empty());
    let bad = cli(&d, &["orders", "list", "--tracking", "late"]);
    assert!(!bad.status.success() && String::from_utf8_lossy(&bad.stderr).contains("attention, expired"));
}
