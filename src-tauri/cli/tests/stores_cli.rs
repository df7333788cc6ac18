//! The CLI's store commands against the sandbox's WooCommerce store, in this test process:
//! connect (refused keys are one clear line), test, background sync once, pause, disconnect.

use std::process::{Command, Output};

use dropdock_sandbox::{Sandbox, SandboxConfig};

fn cli(dir: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dropdock-cli"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("DROPDOCK_LOG", "off")
        .env("DROPDOCK_RETRY_DELAY_MS", "5")
        .output()
        .expect("the CLI runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "stdout:\n{}\nstderr:\n{}", stdout(&out), String::from_utf8_lossy(&out.stderr));
    stdout(&out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn woocommerce_store_commands() {
    let sandbox = Sandbox::start(SandboxConfig { orders: 200, ..SandboxConfig::default() }).await.unwrap();
    let woo = sandbox.woo();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap().to_owned();
    let (url, key, secret) = (woo.url(), woo.consumer_key(), woo.consumer_secret());

    let refused = cli(
        &d,
        &[
            "store",
            "add",
            "woocommerce",
            "--name",
            "Woo",
            "--url",
            &url,
            "--consumer-key",
            &key,
            "--consumer-secret",
            "cs_wrong",
        ],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&refused.stderr).trim(),
        "error: the WooCommerce store rejected the credentials: reconnect this account"
    );
    let missing = cli(&d, &["store", "add", "woocommerce", "--name", "Woo", "--url", &url]);
    assert!(String::from_utf8_lossy(&missing.stderr).contains("--consumer-key"));
    let no_secret = cli(&d, &["store", "add", "woocommerce", "--name", "Woo", "--url", &url, "--consumer-key", &key]);
    assert_eq!(
        String::from_utf8_lossy(&no_secret.stderr).trim(),
        "error: give the consumer secret: --consumer-secret, DROPDOCK_WOO_CONSUMER_SECRET, or on standard input"
    );

    // The secret from the environment (it stays out of the shell history and `ps`).
    let added = ok(Command::new(env!("CARGO_BIN_EXE_dropdock-cli"))
        .args(["--data-dir", &d, "store", "add", "woocommerce", "--name", "Woo", "--url", &url, "--consumer-key", &key])
        .env("DROPDOCK_LOG", "off")
        .env("DROPDOCK_WOO_CONSUMER_SECRET", &secret)
        .output()
        .unwrap());
    assert_eq!(added.trim(), format!("Connected store Woo ({url})"));
    assert_eq!(ok(cli(&d, &["store", "test", "--name", "Woo"])).trim(), "Connection OK: Woo answered");

    // Background sync, once: the new store is due; then it is not.
    let logged = Command::new(env!("CARGO_BIN_EXE_dropdock-cli"))
        .args(["--data-dir", &d, "sync-due"])
        .env("DROPDOCK_LOG", "info")
        .env("DROPDOCK_RETRY_DELAY_MS", "5")
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&logged.stderr).into_owned();
    assert!(log.contains("sync finished"), "{log}");
    assert!(!log.contains('\u{1b}'), "no colour codes in a log that is not a terminal: {log}");
    let first = ok(logged);
    assert!(
        first.trim().starts_with("Woo: Synchronize ")
            && first.trim().ends_with("Total additions 50, To update 0, fail 0"),
        "{first}"
    );
    assert_eq!(ok(cli(&d, &["sync-due"])).trim(), "No store is due");
    let paid = woo.orders().iter().filter(|o| o["status"] == "processing").count();
    assert_eq!(ok(cli(&d, &["counts"])).trim(), format!("To order {paid}, Processing 0, Shipped today 0"));

    assert_eq!(ok(cli(&d, &["store", "rename", "--name", "Woo", "--to", "Woo EU"])).trim(), "Renamed Woo to Woo EU");
    let wrong = cli(&d, &["store", "keys", "--name", "Woo EU", "--consumer-key", &key, "--consumer-secret", "cs_bad"]);
    assert_eq!(wrong.status.code(), Some(1));
    assert_eq!(
        ok(cli(&d, &["store", "keys", "--name", "Woo EU", "--consumer-key", &key, "--consumer-secret", &secret]))
            .trim(),
        "New credentials for Woo EU are checked and kept"
    );
    ok(cli(&d, &["store", "rename", "--name", "Woo EU", "--to", "Woo"]));
    assert_eq!(ok(cli(&d, &["store", "pause", "--name", "Woo"])).trim(), "Background sync paused for Woo");
    assert_eq!(
        ok(cli(&d, &["store", "interval", "--name", "Woo", "--minutes", "30"])).trim(),
        "Woo syncs every 30 minutes"
    );
    assert_eq!(
        ok(cli(&d, &["store", "resume", "--name", "Woo"])).trim(),
        "Background sync resumed for Woo (every 30 minutes)"
    );
    assert_eq!(
        ok(cli(&d, &["store", "remove", "--name", "Woo"])).trim(),
        "Disconnected Woo: its credentials are removed, its 50 orders stay"
    );
    let after = cli(&d, &["store", "test", "--name", "Woo"]);
    assert_eq!(after.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&after.stderr).contains("reconnect it"),
        "{}",
        String::from_utf8_lossy(&after.stderr)
    );
    let listed = ok(cli(&d, &["orders", "list", "--store", "Woo", "--limit", "100"]));
    assert_eq!(listed.lines().count(), 50);

    // Shopify through a Dev Dashboard app (client credentials), or nothing: one clear line.
    let shop = sandbox.shopify_url();
    let none = cli(&d, &["store", "add", "shopify", "--name", "Shop", "--url", &shop]);
    assert_eq!(
        String::from_utf8_lossy(&none.stderr).trim(),
        "error: Shopify needs --client-id and --client-secret (a Dev Dashboard app) or --token"
    );
    let (id, app_secret) = sandbox.shop().app_credentials();
    let added = ok(cli(
        &d,
        &[
            "store",
            "add",
            "shopify",
            "--name",
            "Shop",
            "--url",
            &shop,
            "--client-id",
            &id,
            "--client-secret",
            &app_secret,
        ],
    ));
    assert_eq!(added.trim(), format!("Connected store Shop ({shop})"));
    assert_eq!(ok(cli(&d, &["store", "test", "--name", "Shop"])).trim(), "Connection OK: Shop answered");
    assert_eq!(sandbox.shop().grants(), 1, "the second command reused the token kept in the keychain");
}

#[test]
fn csv_import_from_the_template() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap().to_owned();
    let template = ok(cli(&d, &["import", "template"]));
    let mut lines = template.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("order_number,created_at,financial_status,currency,"), "{header}");
    let file = dir.path().join("orders.csv");
    let bad = lines.next().unwrap().replacen("1001,", "1002,", 1).replace(",GB,", ",Britain,");
    std::fs::write(&file, format!("{template}{bad}\n")).unwrap();
    let f = file.to_str().unwrap();
    let preview = ok(cli(&d, &["import", "csv", "--store", "Etsy (CSV)", f, "--preview"]));
    assert_eq!(
        preview.trim(),
        "Preview: Total additions 1, To update 0, fail 1\nline 3 (#1002): shipping country 'BRITAIN' is not a two-letter ISO code"
    );
    assert!(ok(cli(&d, &["store", "list"])).is_empty(), "a preview stores nothing");
    let first = ok(cli(&d, &["import", "csv", "--store", "Etsy (CSV)", f]));
    assert!(
        first.lines().next().unwrap().ends_with(" partial, Plan execution: Total additions 1, To update 0, fail 1"),
        "{first}"
    );
    let again = ok(cli(&d, &["import", "csv", "--store", "Etsy (CSV)", f]));
    assert!(again.lines().next().unwrap().ends_with("Total additions 0, To update 0, fail 1"), "{again}");
    let missing = cli(&d, &["import", "csv", "--store", "Etsy (CSV)", "/nonexistent.csv"]);
    assert!(String::from_utf8_lossy(&missing.stderr).starts_with("error: cannot read /nonexistent.csv"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn etsy_is_connected_by_allowing_access_in_a_browser() {
    use std::io::BufRead;
    let sandbox = Sandbox::start(SandboxConfig { orders: 100, ..SandboxConfig::default() }).await.unwrap();
    let etsy = sandbox.etsy();
    let (keystring, secret) = etsy.app_keys();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap().to_owned();
    let api = etsy.url();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dropdock-cli"))
        .args(["--data-dir", &d, "store", "add", "etsy", "--name", "Etsy", "--url", &api])
        .args(["--keystring", &keystring, "--shared-secret", &secret, "--port", "0"])
        .env("DROPDOCK_LOG", "off")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    assert_eq!(first.trim(), "Open this address in your browser and allow Dropdock access to your Etsy shop:");
    let mut url = String::new();
    out.read_line(&mut url).unwrap();
    // The browser: Etsy's page, then its redirect to Dropdock's loopback address.
    let page = reqwest::get(url.trim()).await.unwrap().text().await.unwrap();
    assert!(page.contains("connected to Dropdock"));
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut out, &mut rest).unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(rest.trim(), format!("Connected store Etsy ({api})"));
    let first_sync = ok(cli(&d, &["sync-due"]));
    assert!(first_sync.trim().ends_with("Total additions 20, To update 0, fail 0"), "{first_sync}");
}
