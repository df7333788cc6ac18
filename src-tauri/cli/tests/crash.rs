//! Exactly once across crashes: the sandbox runs in this test process while `dropdock-cli auto
//! run` processes fulfil its paid orders and are SIGKILLed at staggered moments, 50 times over.
//! The catalogue spans two platforms: CJ (created and paid in one call) and Printful (a draft,
//! then a confirmation), and some orders split across them. Afterwards every sub-order is at its
//! platform exactly once (Printful: one order per key, confirmed once), none is missing, the
//! local ledger equals the platforms' charges to the cent, and SQLite's integrity check passes.

mod common;

use common::{cli, ok};

use std::collections::{HashMap, HashSet};
use std::process::{Command, Stdio};
use std::time::Duration;

use dropdock_sandbox::{Sandbox, SandboxConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_fulfilment_processes_never_send_a_sub_order_twice_nor_lose_one() {
    let sandbox = Sandbox::start(SandboxConfig {
        orders: 200,
        opening_balance_minor: 10_000_000,
        ship_after: Duration::from_secs(3600),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    // Each supplier replies 40 ms after creating an order: kills often land between the order
    // existing at the supplier and Dropdock recording it.
    for i in 0..sandbox.supplier_count() {
        sandbox.supplier(i).set_create_reply_delay(Duration::from_millis(40));
    }
    let printful = sandbox.printful();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap().to_owned();

    // Connect the sandbox as a merchant would, map every SKU, sync, turn Auto Fulfillment on.
    ok(cli(
        &d,
        &[
            "store",
            "add",
            "shopify",
            "--name",
            "Shop",
            "--url",
            &sandbox.shopify_url(),
            "--token",
            &sandbox.shopify_token(),
        ],
    ));
    let mut sku_supplier = HashMap::new();
    for i in 0..sandbox.supplier_count() {
        let supplier = sandbox.supplier(i);
        ok(cli(
            &d,
            &[
                "supplier",
                "add",
                "cj",
                "--name",
                &supplier.name(),
                "--url",
                &supplier.url(),
                "--api-key",
                &supplier.api_key(),
                "--requests-per-second",
                "500",
            ],
        ));
        for variant in supplier.catalog() {
            let cost = format!("{}.{:02}", variant.cost_minor / 100, variant.cost_minor % 100);
            ok(cli(
                &d,
                &[
                    "mapping",
                    "add",
                    "--sku",
                    &variant.sku,
                    "--supplier",
                    &supplier.name(),
                    "--vid",
                    &variant.vid,
                    "--cost",
                    &cost,
                ],
            ));
            sku_supplier.insert(variant.sku.clone(), i);
        }
    }
    // The Printful account prints the print-on-demand SKUs (its catalog variant ids as vids).
    ok(cli(
        &d,
        &[
            "supplier",
            "add",
            "printful",
            "--name",
            &printful.name(),
            "--url",
            &printful.url(),
            "--token",
            &printful.token(),
            "--requests-per-second",
            "500",
        ],
    ));
    const PRINTFUL: usize = usize::MAX;
    for variant in printful.catalog() {
        let cost = format!("{}.{:02}", variant.cost_minor / 100, variant.cost_minor % 100);
        let vid = variant.id.to_string();
        let name = printful.name();
        let args = ["mapping", "add", "--sku", &variant.sku, "--supplier", &name, "--vid", &vid, "--cost", &cost];
        ok(cli(&d, &args));
        sku_supplier.insert(variant.sku.clone(), PRINTFUL);
    }
    let synced = ok(cli(&d, &["sync", "--store", "Shop", "--days", "60"]));
    assert!(synced.contains("Total additions 200"), "{synced}");
    ok(cli(&d, &["auto", "set", "--accept-terms", "--threshold", "0"]));
    ok(cli(&d, &["auto", "enable"]));

    // 50 fulfilment processes, each killed after 0 to ~700 ms (staggered so kills land before,
    // during and after supplier calls and database commits).
    let mut killed_mid_run = 0;
    for n in 0..50u64 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dropdock-cli"))
            .args(["--data-dir", &d, "auto", "run"])
            .env("DROPDOCK_LOG", "off")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis((n * 137) % 700));
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        child.kill().ok(); // SIGKILL
        child.wait().unwrap();
    }
    assert!(killed_mid_run >= 10, "only {killed_mid_run} processes were killed mid-run");

    // Then runs to completion, unkilled: until a run sends nothing and no sub-order is left
    // waiting for its supplier's answer (a quiet run alone can come before the last one is
    // looked up).
    let unfinished_now = || -> i64 {
        rusqlite::Connection::open(dir.path().join("dropdock.sqlite3"))
            .unwrap()
            .query_row(
                "SELECT COUNT(*) FROM supplier_order WHERE state IN ('submitting', 'ambiguous', 'pending')",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    for _ in 0..20 {
        let out = ok(cli(&d, &["auto", "run"]));
        if out.starts_with("Auto Fulfillment: submitted 0, queued 0") && unfinished_now() == 0 {
            break;
        }
    }

    // Every sub-order is at its platform exactly once, and none is missing.
    let at_suppliers = sandbox.supplier_orders();
    let numbers: HashSet<&String> = at_suppliers.iter().map(|o| &o.key).collect();
    assert_eq!(numbers.len(), at_suppliers.len(), "a sub-order reached its supplier twice");
    assert!(at_suppliers.iter().all(|o| o.paid), "every order there is paid or confirmed");
    let at_printful = printful.orders().len();
    assert!(at_printful >= 5, "the run spanned Printful: {at_printful} orders there");
    assert_eq!(printful.repeats(), 0, "no Printful order was created or confirmed a second time");
    let shop = sandbox.shop();
    let mut expected = HashSet::new();
    for name in shop.order_names() {
        let order = shop.order(&name).unwrap();
        if !matches!(order.financial_status.as_str(), "PAID" | "PARTIALLY_REFUNDED") || order.shipping_address.is_null()
        {
            continue;
        }
        // Held for its risk of fraud (HIGH, or a CANCEL recommendation): never sent.
        if order.risk.as_ref().is_some_and(|r| r.recommendation == "CANCEL" || r.levels.iter().any(|l| l == "HIGH")) {
            continue;
        }
        for line in order.line_items.iter().filter(|l| l.requires_shipping) {
            if let Some(i) = line.sku.as_ref().and_then(|s| sku_supplier.get(s)) {
                expected.insert((order.id, *i));
            }
        }
    }
    assert_eq!(at_suppliers.len(), expected.len(), "every paid order's sub-orders, none missing");

    // The ledger equals the suppliers' charges, and the database is sound.
    let conn = rusqlite::Connection::open(dir.path().join("dropdock.sqlite3")).unwrap();
    let ledger: i64 = conn
        .query_row("SELECT -COALESCE(SUM(amount_minor), 0) FROM wallet_entry WHERE kind = 'charge'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ledger, at_suppliers.iter().map(|o| o.amount_minor).sum::<i64>());
    let unfinished: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM supplier_order WHERE state IN ('submitting', 'ambiguous', 'pending')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(unfinished, 0);
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
}
