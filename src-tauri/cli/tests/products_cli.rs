//! The CLI's catalogue commands against the sandbox WooCommerce store and CJ account, in this
//! test process: `products sync` prints its summary line, `products list` one tab-separated
//! line per variant (unmapped first, `--unmapped`, `--json`), `mapping automap` proposes
//! without writing and maps with `--accept`, and `mapping add --store --product --variant`
//! maps a variation by its ids.

mod common;

use common::{cli, ok};

use dropdock_sandbox::{Sandbox, SandboxConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_catalogue_is_synced_listed_and_auto_mapped_from_the_command_line() {
    let sandbox = Sandbox::start(SandboxConfig { orders: 40, ..SandboxConfig::default() }).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap().to_owned();
    let (woo, cj) = (sandbox.woo(), sandbox.supplier(0));
    let secret = woo.consumer_secret();
    let key = woo.consumer_key();
    ok(cli(
        &d,
        &[
            "store",
            "add",
            "woocommerce",
            "--name",
            "Woo",
            "--url",
            &woo.url(),
            "--consumer-key",
            &key,
            "--consumer-secret",
            &secret,
        ],
    ));
    ok(cli(&d, &["supplier", "add", "cj", "--name", "CJ", "--url", &cj.url(), "--api-key", &cj.api_key()]));

    let synced = ok(cli(&d, &["products", "sync", "--store", "Woo"]));
    let line = synced.lines().next().unwrap();
    // The demo store: one simple product per CJ item, and a variable one with two variations.
    let simple = 9;
    assert!(
        line.starts_with("Catalogue ")
            && line.ends_with(&format!(
                " complete, products {}, variants {}, removed 0, fail 0",
                simple + 1,
                simple + 2
            )),
        "{line}"
    );

    let listed = ok(cli(&d, &["products", "list", "--store", "Woo"]));
    let rows: Vec<Vec<&str>> = listed.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), simple + 2);
    assert!(rows.iter().all(|r| r.len() == 10 && r[0] == "Woo" && r[5] == "unmapped"), "{listed}");
    let tote = rows.iter().find(|r| r[1] == "300/302").expect("a variation is PRODUCT/VARIANT");
    assert_eq!((tote[2], tote[3], tote[4], tote[6]), ("-", "Canvas Tote Bag - Black", "active", "-"));
    let json: serde_json::Value =
        serde_json::from_str(&ok(cli(&d, &["products", "list", "--json", "--search", "mug"]))).unwrap();
    assert_eq!(json["rows"][0]["sku"], "DD-MUG-WHT");
    assert_eq!(json["counts"]["all"], 1);

    // Auto-map by SKU: CJ's first account sells six of the store's SKUs; nothing written until --accept.
    let proposed = ok(cli(&d, &["mapping", "automap", "--store", "Woo"]));
    let sells: Vec<String> = cj.catalog().iter().map(|v| v.sku.clone()).collect();
    let lines: Vec<&str> = proposed.lines().filter(|l| l.starts_with("propose\t")).collect();
    assert_eq!(lines.len(), sells.len(), "{proposed}");
    assert!(lines.iter().all(|l| l.ends_with("\tsupplier_catalogue")), "{proposed}");
    assert!(proposed
        .trim_end()
        .ends_with(&format!("Auto-map by SKU: {} proposed (add --accept to map them)", sells.len())));
    assert!(ok(cli(&d, &["mapping", "list"])).is_empty(), "a proposal writes nothing");
    let accepted = ok(cli(&d, &["mapping", "automap", "--store", "Woo", "--accept"]));
    assert!(accepted.trim_end().ends_with(&format!("Auto-map by SKU: {} mapped", sells.len())), "{accepted}");
    assert_eq!(
        ok(cli(&d, &["mapping", "list"])).lines().filter(|l| l.starts_with("variant\tWoo\t")).count(),
        sells.len()
    );
    let unmapped = ok(cli(&d, &["products", "list", "--store", "Woo", "--unmapped"]));
    assert_eq!(unmapped.lines().count(), simple + 2 - sells.len());

    // The blank-SKU variation is mapped by its ids.
    let vid = &cj.catalog()[0].vid;
    let added = ok(cli(
        &d,
        &[
            "mapping",
            "add",
            "--store",
            "Woo",
            "--product",
            "300",
            "--variant",
            "302",
            "--supplier",
            "CJ",
            "--vid",
            vid,
            "--cost",
            "4.10",
        ],
    ));
    assert_eq!(added.trim(), format!("Mapped Woo product 300 variant 302 to CJ variant {vid} at $4.10"));
    let tote = ok(cli(&d, &["products", "list", "--search", "302"]));
    assert!(tote.contains("\tvariant\tCJ\t") && tote.contains("\t$4.10\t"), "{tote}");

    // By destination country: another variant for Great Britain only; a bad code is refused.
    let other = &cj.catalog()[1].vid;
    let bad = cli(
        &d,
        &[
            "mapping",
            "add",
            "--store",
            "Woo",
            "--product",
            "300",
            "--variant",
            "302",
            "--country",
            "XX",
            "--supplier",
            "CJ",
            "--vid",
            other,
            "--cost",
            "5",
        ],
    );
    assert!(
        !bad.status.success()
            && String::from_utf8_lossy(&bad.stderr).contains("'XX' is not a two-letter ISO country code")
    );
    let gb = ok(cli(
        &d,
        &[
            "mapping",
            "add",
            "--store",
            "Woo",
            "--product",
            "300",
            "--variant",
            "302",
            "--country",
            "gb",
            "--supplier",
            "CJ",
            "--vid",
            other,
            "--cost",
            "5",
        ],
    ));
    assert_eq!(gb.trim(), format!("Mapped Woo product 300 variant 302 for GB to CJ variant {other} at $5.00"));
    let listed = ok(cli(&d, &["mapping", "list", "--store", "Woo"]));
    assert!(listed.lines().any(|l| l == format!("country\tWoo\t300/302\tGB\tCJ\t{other}\t$5.00")), "{listed}");
    let removed = ok(cli(
        &d,
        &["mapping", "remove", "--store", "Woo", "--product", "300", "--variant", "302", "--country", "GB"],
    ));
    assert_eq!(removed.trim(), "Removed the mapping of Woo product 300 for GB");
    assert!(!ok(cli(&d, &["mapping", "list"])).contains("country\t"));

    // A "2 for 1" primary, a backup, and a bundle part: `mapping list` adds quantity and
    // priority where they are not the basic 1 and 1.
    let add = |vid: &str, extra: &[&str]| {
        let mut args = vec![
            "mapping",
            "add",
            "--store",
            "Woo",
            "--product",
            "300",
            "--variant",
            "302",
            "--supplier",
            "CJ",
            "--vid",
            vid,
            "--cost",
            "4.10",
        ];
        args.extend_from_slice(extra);
        cli(&d, &args)
    };
    let two = ok(add(vid, &["--priority", "1", "--quantity", "2"]));
    assert_eq!(two.trim(), format!("Mapped Woo product 300 variant 302 (primary) to CJ variant {vid} x2 at $4.10"));
    let backup = ok(add(other, &["--priority", "2"]));
    assert_eq!(
        backup.trim(),
        format!("Mapped Woo product 300 variant 302 (backup 2) to CJ variant {other} x1 at $4.10")
    );
    let refused = add(other, &["--priority", "10"]);
    assert!(!refused.status.success() && String::from_utf8_lossy(&refused.stderr).contains("priority"));
    let listed = ok(cli(&d, &["mapping", "list", "--store", "Woo"]));
    assert!(
        listed.lines().any(|l| l == format!("variant\tWoo\t300/302\tCJ\t{vid}\t$4.10\tx2\tpriority 1")),
        "{listed}"
    );
    assert!(
        listed.lines().any(|l| l == format!("variant\tWoo\t300/302\tCJ\t{other}\t$4.10\tx1\tpriority 2")),
        "{listed}"
    );
    let limit =
        ok(cli(&d, &["mapping", "limit", "--store", "Woo", "--product", "300", "--variant", "302", "--cost", "9"]));
    assert_eq!(limit.trim(), "Cost limit of Woo product 300: $9.00 a unit");
    let gone = ok(cli(
        &d,
        &["mapping", "remove", "--store", "Woo", "--product", "300", "--variant", "302", "--priority", "2"],
    ));
    assert_eq!(gone.trim(), "Removed option 2 of Woo product 300");
    assert!(!ok(cli(&d, &["mapping", "list"])).contains("priority 2"));

    // The supplier search: by SKU and by words, with stock and warehouse.
    let mug = cj.catalog().into_iter().find(|v| v.sku == "DD-MUG-WHT").unwrap();
    let found = ok(cli(&d, &["supplier", "search", "DD-MUG-WHT"]));
    let row = found.lines().find(|l| l.contains(&mug.vid)).unwrap_or_else(|| panic!("{found}"));
    let cols: Vec<&str> = row.split('\t').collect();
    assert_eq!((cols[0], cols[2], cols[4], cols[5]), ("CJ", "DD-MUG-WHT", "5000", "CN"), "{row}");
    cj.set_stock(&mug.vid, 0);
    let words = mug.name.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
    let found = ok(cli(&d, &["supplier", "search", &words]));
    assert!(found.starts_with("Found ") && found.contains(&format!("{}\tDD-MUG-WHT", mug.vid)), "{found}");
    assert!(found.lines().any(|l| l.contains(&mug.vid) && l.split('\t').nth(4) == Some("0")), "{found}");
}
