//! The CLI's supplier-account commands against the sandbox's Printful and CJ accounts, in this
//! test process: connect (a refused token is one clear line and leaves nothing), test, replace
//! the key (a refused one leaves the old one working), disconnect (nothing more is asked of the
//! account; its sub-orders and ledger stay) and reconnect under the same name.

use std::process::{Command, Output};

use dropdock_sandbox::{Sandbox, SandboxConfig};

fn cli(dir: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dropdock-cli"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("DROPDOCK_LOG", "off")
        .output()
        .expect("the CLI runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "stdout:\n{}\nstderr:\n{}", stdout(&out), stderr(&out));
    stdout(&out)
}

/// The one line a failed command prints, checked to be one line.
fn refused(out: Output) -> String {
    assert_eq!(out.status.code(), Some(1), "stdout:\n{}", stdout(&out));
    let err = stderr(&out);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    err.trim().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supplier_accounts_connect_test_rekey_disconnect_and_come_back() {
    let sandbox = Sandbox::start(SandboxConfig { orders: 10, ..SandboxConfig::default() }).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap().to_owned();
    let printful = sandbox.printful();
    let (url, token) = (printful.url(), printful.token());

    // A wrong token is refused before anything is kept.
    let wrong = cli(&d, &["supplier", "add", "printful", "--name", "Shirts", "--url", &url, "--token", "pf-wrong"]);
    let err = refused(wrong);
    assert!(err.starts_with("error: ") && err.contains("Printful token"), "{err}");
    assert_eq!(ok(cli(&d, &["supplier", "list"])), "");

    // The right one: connected at Printful's documented 2 requests a second, and it answers.
    let added = ok(cli(&d, &["supplier", "add", "printful", "--name", "Shirts", "--url", &url, "--token", &token]));
    assert_eq!(added.trim(), format!("Connected supplier Shirts ({url})"));
    assert_eq!(ok(cli(&d, &["supplier", "list"])).trim(), format!("Shirts\tprintful\t{url}"));
    assert_eq!(ok(cli(&d, &["supplier", "test", "--name", "Shirts"])).trim(), "Shirts answered: the connection works");

    // A new token is checked first: a refused one leaves the old one in place and working.
    let bad = refused(cli(&d, &["supplier", "keys", "--name", "Shirts", "--token", "pf-also-wrong"]));
    assert!(bad.contains("Printful token"), "{bad}");
    ok(cli(&d, &["supplier", "test", "--name", "Shirts"]));
    let rekeyed = ok(cli(&d, &["supplier", "keys", "--name", "Shirts", "--token", &token]));
    assert_eq!(rekeyed.trim(), "Shirts: the new key works and replaced the old one");

    // The same for a CJ account's API key (CJ's access token, fetched once, is kept for it).
    let cj = sandbox.supplier(0);
    ok(cli(&d, &["supplier", "add", "cj", "--name", "CJ", "--url", &cj.url(), "--api-key", &cj.api_key()]));
    let bad = refused(cli(&d, &["supplier", "keys", "--name", "CJ", "--api-key", "CJ-not-a-key"]));
    assert!(bad.starts_with("error: "), "{bad}");
    ok(cli(&d, &["supplier", "test", "--name", "CJ"]));

    // Disconnected: listed as such, its keys gone, nothing asked of it any more.
    let gone = ok(cli(&d, &["supplier", "remove", "--name", "Shirts"]));
    assert_eq!(gone.trim(), "Disconnected supplier Shirts: its keys are removed; its sub-orders and ledger are kept");
    let listed = ok(cli(&d, &["supplier", "list"]));
    assert!(listed.lines().any(|l| l == format!("Shirts\tprintful\t{url}\tdisconnected")), "{listed}");
    let asked = printful.create_calls();
    let test = refused(cli(&d, &["supplier", "test", "--name", "Shirts"]));
    assert!(test.contains("Shirts is disconnected"), "{test}");
    let rekey = refused(cli(&d, &["supplier", "keys", "--name", "Shirts", "--token", &token]));
    assert!(rekey.contains("connect it again"), "{rekey}");
    assert_eq!(printful.create_calls(), asked);

    // Connected again under the same name: the same account comes back.
    ok(cli(&d, &["supplier", "add", "printful", "--name", "Shirts", "--url", &url, "--token", &token]));
    let listed = ok(cli(&d, &["supplier", "list"]));
    assert!(listed.lines().any(|l| l == format!("Shirts\tprintful\t{url}")), "{listed}");
    assert_eq!(listed.lines().count(), 2, "{listed}");
    ok(cli(&d, &["supplier", "test", "--name", "Shirts"]));
    // Mapping by the store's ids names a store; by SKU it needs none (and not both at once).
    let nowhere = refused(cli(
        &d,
        &[
            "mapping",
            "add",
            "--store",
            "Nowhere",
            "--product",
            "93",
            "--supplier",
            "Shirts",
            "--vid",
            "4017",
            "--cost",
            "11.95",
        ],
    ));
    assert!(nowhere.contains("Nowhere"), "{nowhere}");
    let both = cli(
        &d,
        &[
            "mapping",
            "add",
            "--sku",
            "A",
            "--store",
            "S",
            "--product",
            "1",
            "--supplier",
            "Shirts",
            "--vid",
            "1",
            "--cost",
            "1",
        ],
    );
    assert_eq!(both.status.code(), Some(2), "clap refuses --sku with --store");
    let mapped = ok(cli(
        &d,
        &["mapping", "add", "--sku", "DD-TEE-BLK-M", "--supplier", "Shirts", "--vid", "4017", "--cost", "11.95"],
    ));
    assert_eq!(mapped.trim(), "Mapped DD-TEE-BLK-M to Shirts variant 4017 at $11.95");
    // By the store's ids, listed, then removed (the SKU mapping stays).
    let (shop_url, shop_token) = (sandbox.shopify_url(), sandbox.shopify_token());
    ok(cli(&d, &["store", "add", "shopify", "--name", "Shop", "--url", &shop_url, "--token", &shop_token]));
    let by_ids = ok(cli(
        &d,
        &[
            "mapping",
            "add",
            "--store",
            "Shop",
            "--product",
            "9100",
            "--variant",
            "19100",
            "--supplier",
            "Shirts",
            "--vid",
            "4017",
            "--cost",
            "11.95",
        ],
    ));
    assert_eq!(by_ids.trim(), "Mapped Shop product 9100 variant 19100 to Shirts variant 4017 at $11.95");
    let listed = ok(cli(&d, &["mapping", "list"]));
    assert_eq!(
        listed.lines().collect::<Vec<_>>(),
        ["variant\tShop\t9100/19100\tShirts\t4017\t$11.95", "sku\tDD-TEE-BLK-M\tShirts\t4017\t$11.95"],
        "{listed}"
    );
    let removed = ok(cli(&d, &["mapping", "remove", "--store", "Shop", "--product", "9100", "--variant", "19100"]));
    assert_eq!(removed.trim(), "Removed the mapping of Shop product 9100");
    let again = refused(cli(&d, &["mapping", "remove", "--store", "Shop", "--product", "9100", "--variant", "19100"]));
    assert!(again.contains("no mapping for product 9100"), "{again}");
    assert_eq!(ok(cli(&d, &["mapping", "list", "--store", "Shop"])).lines().count(), 1, "the SKU mapping stays");
    // A disconnected name comes back only on its own platform.
    ok(cli(&d, &["supplier", "remove", "--name", "CJ"]));
    let other = refused(cli(&d, &["supplier", "add", "printful", "--name", "CJ", "--url", &url, "--token", &token]));
    assert!(other.contains("was on another platform"), "{other}");
}
