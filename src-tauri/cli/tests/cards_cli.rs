//! The CLI's card, variant lookup and cancel commands against a sandbox in this test process:
//! a SKU is mapped from `supplier variants`, the card is read from standard input and never
//! printed (CJ takes no card through its API, so it is refused with the reason), an order is
//! paid from My Wallet, and `orders cancel` prints the supplier's answer.

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use dropdock_sandbox::{Sandbox, SandboxConfig};

fn cli(dir: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dropdock-cli"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("DROPDOCK_LOG", "info")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the CLI runs");
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn ok(out: Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "stdout:\n{stdout}\nstderr:\n{}", String::from_utf8_lossy(&out.stderr));
    stdout
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn card_variant_lookup_and_cancel_commands() {
    let sandbox =
        Sandbox::start(SandboxConfig { orders: 30, ship_after: Duration::from_secs(3600), ..SandboxConfig::default() })
            .await
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap().to_owned();
    let shop_url = sandbox.shopify_url();
    let shop_token = sandbox.shopify_token();
    ok(cli(&d, &["store", "add", "shopify", "--name", "Shop", "--url", &shop_url, "--token", &shop_token], None));
    for i in 0..sandbox.supplier_count() {
        let s = sandbox.supplier(i);
        let (name, url, key) = (s.name(), s.url(), s.api_key());
        let args = [
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
        ];
        ok(cli(&d, &args, None));
    }

    // Every SKU is mapped from what `supplier variants` finds.
    for i in 0..sandbox.supplier_count() {
        for variant in sandbox.supplier(i).catalog() {
            let found = ok(cli(&d, &["supplier", "variants", "--sku", &variant.sku], None));
            let mut lines = found.lines();
            assert_eq!(lines.next(), Some(format!("Found 1 variant for {}", variant.sku).as_str()), "{found}");
            let row: Vec<&str> = lines.next().unwrap().split('\t').collect();
            assert_eq!(row[1], variant.vid);
            let cost = row[3].trim_start_matches('$').replace(',', "");
            ok(cli(
                &d,
                &["mapping", "add", "--sku", &variant.sku, "--supplier", row[0], "--vid", row[1], "--cost", &cost],
                None,
            ));
        }
    }
    ok(cli(&d, &["sync", "--store", "Shop", "--days", "60"], None));

    // The card, from standard input: a mistyped number is refused with the field named.
    let bad = cli(
        &d,
        &["card", "add", "--name", "Ada Lovelace", "--exp", "09/31", "--country", "GB", "--accept-terms"],
        Some("4242424242424241\n123\n"),
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("card number: the number is mistyped"));
    let refused = cli(
        &d,
        &["card", "add", "--name", "Ada Lovelace", "--exp", "09/31", "--country", "GB", "--accept-terms"],
        Some("5555 5555 5555 4444\n321\n"),
    );
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        !stderr.contains("5555555555554444") && !stderr.contains("5555 5555 5555 4444"),
        "the number is not logged"
    );
    assert!(stderr.contains("error: CJdropshipping takes cards only on its own payment page"), "{stderr}");
    assert_eq!(ok(cli(&d, &["card", "show"], None)).trim(), "No card on file; suppliers are paid from My Wallet");

    // An order paid from My Wallet, then cancelled: the supplier's answer is printed.
    let listed = ok(cli(&d, &["orders", "list", "--status", "to_order", "--limit", "1"], None));
    let name = listed.lines().next().unwrap().split('\t').next().unwrap().to_owned();
    let shipped = ok(cli(&d, &["orders", "ship", &name], None));
    assert!(shipped.starts_with("Shipped 1 order"), "{shipped}");
    assert_eq!((0..2).map(|i| sandbox.supplier(i).card_charges_minor()).sum::<i64>(), 0, "nothing charged to a card");
    let cancelled = ok(cli(&d, &["orders", "cancel", &name], None));
    let mut lines = cancelled.lines();
    assert!(lines.next().unwrap().starts_with("Cancelled 1 sub-order"), "{cancelled}");
    assert!(
        lines.all(|l| l.contains(": cancelled: ") && l.contains("the charge is refunded to My Wallet")),
        "{cancelled}"
    );

    assert_eq!(ok(cli(&d, &["card", "show"], None)).trim(), "No card on file; suppliers are paid from My Wallet");
}
