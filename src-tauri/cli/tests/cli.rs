//! The CLI as merchants script it: exit codes, the one-line errors, the demo's closing line.

use std::process::{Command, Output};

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dropdock-cli"))
        .args(args)
        .env("DROPDOCK_LOG", "off")
        .output()
        .expect("the CLI runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn demo_runs_the_whole_job_and_ends_with_fulfilled_orders() {
    let out = cli(&["demo", "--ship", "3"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "stdout:\n{stdout}\nstderr:\n{}", text(&out.stderr));
    assert!(stdout.contains("Plan execution: Total additions 200, To update 0, fail 0"), "{stdout}");
    assert_eq!(stdout.matches(" shipped: ").count(), stdout.matches("4. Ship order").count());
    let last = stdout.lines().last().unwrap();
    assert!(last.starts_with("Done: 3 orders are Fulfilled in the store"), "{last}");
}

#[test]
fn bad_input_is_one_clear_line_and_a_non_zero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let unknown = cli(&["--data-dir", d, "sync", "--store", "Nope", "--days", "30"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert_eq!(text(&unknown.stderr).trim(), "error: no store named 'Nope' (connected: none)");

    let window = cli(&["--data-dir", d, "sync", "--store", "Nope", "--days", "45"]);
    assert!(!window.status.success());
    assert!(text(&window.stderr).contains("possible values: 7, 14, 30, 60"));

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let unreachable =
        cli(&["--data-dir", d, "store", "add", "shopify", "--name", "Shop", "--url", &dead, "--token", "t"]);
    assert_eq!(unreachable.status.code(), Some(1));
    let err = text(&unreachable.stderr);
    assert!(err.starts_with("error: cannot reach Shopify store") && err.lines().count() == 1, "{err}");

    let bad_url =
        cli(&["--data-dir", d, "store", "add", "shopify", "--name", "Shop", "--url", "shop.example", "--token", "t"]);
    assert!(text(&bad_url.stderr).contains("is not a URL"));

    let status = cli(&["--data-dir", d, "orders", "list", "--status", "lost"]);
    assert!(text(&status.stderr).contains("unknown status 'lost'"));

    // Nothing was stored by any of it.
    let stores = cli(&["--data-dir", d, "store", "list"]);
    assert!(stores.status.success() && stores.stdout.is_empty());
}

#[test]
fn bulk_actions_filters_export_and_the_offline_queue() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    // The demo syncs and ships, then its sandbox stops: from here on the suppliers are unreachable.
    let demo = cli(&["--data-dir", d, "demo", "--ship", "1"]);
    assert!(demo.status.success(), "{}", text(&demo.stderr));
    let to_order = cli(&["--data-dir", d, "orders", "list", "--status", "to_order", "--limit", "3"]);
    let names: Vec<String> = text(&to_order.stdout).lines().map(|l| l.split('\t').next().unwrap().to_owned()).collect();
    assert_eq!(names.len(), 3, "{}", text(&to_order.stdout));

    // Hold two; the hold filter lists exactly them.
    let held = cli(&["--data-dir", d, "orders", "hold", &names[0], &names[1]]);
    assert_eq!(text(&held.stdout).lines().next(), Some("Held 2 orders, skipped 0"));
    let listed = cli(&["--data-dir", d, "orders", "list", "--hold", "merchant"]);
    let listed = text(&listed.stdout);
    assert_eq!(listed.lines().count(), 2, "{listed}");
    assert!(listed.lines().all(|l| l.contains("\theld: held by you")), "{listed}");

    // Ship: the held ones are skipped, the other is queued (the sandbox is gone), nothing fails.
    let ship = cli(&["--data-dir", d, "orders", "ship", &names[0], &names[1], &names[2]]);
    let out = text(&ship.stdout);
    assert!(ship.status.success(), "{out}{}", text(&ship.stderr));
    assert_eq!(out.lines().next(), Some("Shipped 0 orders, queued 1, skipped 2"), "{out}");
    assert!(out.contains(&format!("queued {}", names[2])), "{out}");
    assert_eq!(text(&cli(&["--data-dir", d, "queue", "list"]).stdout).trim(), "1 actions queued");
    let run = cli(&["--data-dir", d, "queue", "run"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(text(&run.stderr).contains("the queue is kept"));

    // Release one.
    let released = cli(&["--data-dir", d, "orders", "release", &names[0], &names[2]]);
    let released = text(&released.stdout);
    assert!(released.starts_with("Released 1 order, skipped 1\n"), "{released}");
    assert!(released.contains(&format!("skipped {}: not held by you", names[2])), "{released}");

    // Export: the named orders, then every order a filter matches, to a file.
    let csv = cli(&["--data-dir", d, "orders", "export", &names[0], &names[1]]);
    let csv = text(&csv.stdout);
    assert!(csv.starts_with("Order,Store,Created (UTC),Customer,Email,Country,Items,Total,Currency,Status"), "{csv}");
    assert_eq!(csv.lines().count(), 3);
    let file = dir.path().join("unpaid.csv");
    let export =
        cli(&["--data-dir", d, "orders", "export", "--status", "awaiting_payment", "-o", file.to_str().unwrap()]);
    let unpaid = cli(&["--data-dir", d, "orders", "list", "--status", "awaiting_payment", "--limit", "1000"]);
    let count = text(&unpaid.stdout).lines().count();
    assert_eq!(text(&export.stdout).trim(), format!("Exported {count} orders to {}", file.display()));
    assert_eq!(std::fs::read_to_string(&file).unwrap().lines().count(), count + 1);

    // The dashboard counts what the list shows.
    let board = text(&cli(&["--data-dir", d, "dashboard"]).stdout);
    assert!(board.contains(&format!("Awaiting payment\t{count}\n")), "{board}");
    assert!(board.contains("Held\t"), "{board}");
    let bad = cli(&["--data-dir", d, "orders", "list", "--hold", "lost"]);
    assert!(text(&bad.stderr).starts_with("error: unknown hold reason 'lost' (merchant, payment_pending"));

    // Supplier accounts: Test connection says the supplier is gone; a rename keeps the account.
    let listed = text(&cli(&["--data-dir", d, "supplier", "list"]).stdout);
    let names: Vec<&str> = listed.lines().map(|l| l.split('\t').next().unwrap()).collect();
    assert!(names.len() >= 2, "{listed}");
    let test = cli(&["--data-dir", d, "supplier", "test", "--name", names[0]]);
    assert_eq!(test.status.code(), Some(1));
    let err = text(&test.stderr);
    assert!(err.starts_with("error: cannot reach") && err.lines().count() == 1, "{err}");
    let renamed = cli(&["--data-dir", d, "supplier", "rename", "--name", names[0], "--to", "CJ main"]);
    assert_eq!(text(&renamed.stdout).trim(), format!("Renamed supplier {} to CJ main", names[0]));
    assert!(text(&cli(&["--data-dir", d, "supplier", "list"]).stdout).contains("CJ main\tcj\t"));
    let clash = cli(&["--data-dir", d, "supplier", "rename", "--name", names[1], "--to", "cj MAIN"]);
    assert_eq!(text(&clash.stderr).trim(), "error: a supplier named cj MAIN is already connected");
}

#[test]
fn auto_fulfillment_settings_and_shipping_rules() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let status = cli(&["--data-dir", d, "auto", "status"]);
    assert!(text(&status.stdout).starts_with("Auto Fulfillment off; My Wallet, boxes not ticked, threshold $1000.00"));
    // The switch needs the My Wallet boxes first.
    let enable = cli(&["--data-dir", d, "auto", "enable"]);
    assert_eq!(enable.status.code(), Some(1));
    assert!(text(&enable.stderr).contains("tick both boxes of the My Wallet tab"), "{}", text(&enable.stderr));
    let bad = cli(&["--data-dir", d, "auto", "set", "--accept-terms", "--threshold", "lots"]);
    assert!(text(&bad.stderr).starts_with("error: the threshold must be dollars"));
    let set = cli(&[
        "--data-dir",
        d,
        "auto",
        "set",
        "--accept-terms",
        "--threshold",
        "1500",
        "--delay",
        "1h",
        "--most-suitable-within",
        "15",
    ]);
    let out = text(&set.stdout);
    assert!(
        out.contains("boxes ticked, threshold $1500.00, approval delay 60 min, most suitable line within 15 days"),
        "{out}"
    );
    let daily = cli(&["--data-dir", d, "auto", "set", "--accept-terms", "--delay", "daily", "--at", "09:30"]);
    assert!(text(&daily.stdout).contains("approval delay daily at 09:30"), "{}", text(&daily.stdout));
    let no_time = cli(&["--data-dir", d, "auto", "set", "--accept-terms", "--delay", "daily"]);
    assert_eq!(text(&no_time.stderr).trim(), "error: --delay daily needs --at HH:MM");
    // With no supplier connected, turning it on says what is missing.
    let enable = cli(&["--data-dir", d, "auto", "enable"]);
    assert!(text(&enable.stderr).contains("connect a supplier"), "{}", text(&enable.stderr));

    // Default shipping lines with a fallback, per country.
    let rule = cli(&[
        "--data-dir",
        d,
        "shipping",
        "set",
        "--country",
        "us",
        "--line",
        "CJPacket Ordinary",
        "--line",
        "YunExpress Standard",
    ]);
    assert_eq!(
        text(&rule.stdout).trim(),
        "Default shipping line for US is CJPacket Ordinary, then YunExpress Standard"
    );
    cli(&["--data-dir", d, "shipping", "set", "--country", "DE", "--line", "DHL"]);
    let list = text(&cli(&["--data-dir", d, "shipping", "list"]).stdout);
    assert_eq!(list, "DE\tDHL\nUS\tCJPacket Ordinary, then YunExpress Standard\n");
    let unknown = cli(&["--data-dir", d, "shipping", "set", "--country", "XX", "--line", "DHL"]);
    assert!(text(&unknown.stderr).contains("'XX' is not an ISO 3166-1 country code"));
}

#[test]
fn an_address_is_shown_checked_corrected_and_reverted_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let demo = cli(&["--data-dir", d, "demo", "--ship", "0"]);
    assert!(demo.status.success(), "{}", text(&demo.stderr));
    let to_order = cli(&["--data-dir", d, "orders", "list", "--status", "to_order", "--limit", "50"]);
    let us = text(&to_order.stdout)
        .lines()
        .find(|l| l.split('\t').nth(3) == Some("US") && !l.contains("\theld: "))
        .map(|l| l.split('\t').next().unwrap().to_owned())
        .expect("a US demo order ready to ship");

    let shown = text(&cli(&["--data-dir", d, "orders", "address", &us]).stdout);
    assert!(shown.starts_with("store: ") && shown.trim_end().ends_with("address: ok"), "{shown}");
    assert!(!shown.contains("corrected: "), "{shown}");

    // A ZIP in letters: saved as a correction, held with the field named, the store's kept.
    let bad = cli(&["--data-dir", d, "orders", "address", &us, "--zip", "ABCDE"]);
    let out = text(&bad.stdout);
    assert!(bad.status.success(), "{out}{}", text(&bad.stderr));
    assert!(out.starts_with(&format!("{us}: address corrected (the store's is unchanged)\n")), "{out}");
    assert!(out.contains(", ABCDE, US"), "{out}");
    assert!(out.contains("problem: zip format: the ZIP code \"ABCDE\" is not in the US format (e.g. 95014)"), "{out}");
    let held = text(&cli(&["--data-dir", d, "orders", "list", "--hold", "address_invalid"]).stdout);
    assert!(held.lines().any(|l| l.starts_with(&format!("{us}\t"))), "{held}");

    // Back to the store's address: the hold is gone.
    let reverted = text(&cli(&["--data-dir", d, "orders", "address", &us, "--use-store-address"]).stdout);
    assert!(reverted.starts_with(&format!("{us}: the store's address is used again\n")), "{reverted}");
    assert!(reverted.trim_end().ends_with("address: ok"), "{reverted}");
    let held = text(&cli(&["--data-dir", d, "orders", "list", "--hold", "address_invalid"]).stdout);
    assert!(!held.contains(&us), "{held}");
    // A correction that is not an address is refused, naming the field.
    let refused = cli(&["--data-dir", d, "orders", "address", &us, "--country", "ZZ"]);
    assert!(!refused.status.success());
    assert!(text(&refused.stderr).contains("country_code"), "{}", text(&refused.stderr));
}
