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
