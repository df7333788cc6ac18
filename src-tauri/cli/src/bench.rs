//! `dropdock-cli bench`: the core's figures on a large local database, printed. Speed targets live
//! here, not in timed tests (run it with `--release`).
//!
//! - ingest: parse + upsert of recorded Admin API order nodes, pages of 250 in one transaction
//!   each (`upsert_page`, as a sync stores a page), one core, no network;
//! - the Order page's queries with N orders stored: first page of 50, a full-text search, a
//!   filter change (p50/p95/max over `runs` calls each), the Dashboard, a CSV export of 1,000.
//!
//! `--keep DIR` leaves the database in DIR, for the desktop app's own figures
//! (`tests/e2e/perf-bench.js` opens it with DROPDOCK_DATA_DIR).

use std::time::{Duration, Instant};

use anyhow::Result;
use chrono::Utc;
use dropdock_core::db::Db;
use dropdock_core::fulfillment::HoldKind;
use dropdock_core::model::OrderStatus;
use dropdock_core::orders::actions::{export_orders_csv, OrderSelection};
use dropdock_core::orders::dashboard::{dashboard, DashboardRequest};
use dropdock_core::orders::search::{query_orders, OrderQuery};
use dropdock_core::stores::shopify::parse_order;
use dropdock_core::stores::sync::upsert_page;
use dropdock_sandbox::{seed, shopify::order_node, SandboxConfig};
use rusqlite::params;

/// `dropdock-cli bench --reopen DIR`: opens the database (migrations, as the app does) and
/// times the Order page's first page, a search and the Dashboard, the first call of each apart.
pub fn reopened(dir: &std::path::Path) -> Result<()> {
    let t = Instant::now();
    let db = Db::open_dir(dir)?;
    let open = t.elapsed();
    let first_page = OrderQuery { limit: Some(50), ..OrderQuery::default() };
    let search = OrderQuery { search: Some("muller".into()), limit: Some(50), ..OrderQuery::default() };
    let time = |f: &dyn Fn() -> Result<()>| -> Result<Duration> {
        let t = Instant::now();
        f()?;
        Ok(t.elapsed())
    };
    let page = || -> Result<()> {
        std::hint::black_box(db.read(|c| query_orders(c, &first_page))?);
        Ok(())
    };
    let find = || -> Result<()> {
        std::hint::black_box(db.read(|c| query_orders(c, &search))?);
        Ok(())
    };
    let board = || -> Result<()> {
        std::hint::black_box(db.read(|c| dashboard(c, DashboardRequest::default(), Utc::now()))?);
        Ok(())
    };
    let (cold_page, cold_search, cold_board) = (time(&page)?, time(&find)?, time(&board)?);
    let mut warm = Vec::new();
    for _ in 0..50 {
        warm.push(time(&page)?);
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "reopened (a fresh process): open {:.1} ms; first page {:.2} ms, then {}; first search {:.2} ms; first dashboard {:.2} ms",
        ms(open),
        ms(cold_page),
        percentiles(warm),
        ms(cold_search),
        ms(cold_board)
    );
    Ok(())
}

fn percentiles(mut samples: Vec<Duration>) -> String {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 * q).ceil() as usize).saturating_sub(1).min(samples.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms ({} runs)",
        ms(at(0.5)),
        ms(at(0.95)),
        ms(*samples.last().unwrap()),
        samples.len()
    )
}

pub fn run(orders: usize, runs: usize, keep: Option<std::path::PathBuf>) -> Result<()> {
    let temp = tempfile::tempdir()?;
    let dir = match &keep {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            if std::fs::read_dir(dir)?.next().is_some() {
                anyhow::bail!("{} is not empty: --keep needs a new or empty directory", dir.display());
            }
            dir.clone()
        }
        None => temp.path().to_owned(),
    };
    let db = Db::open_dir(&dir)?;
    println!("bench: {orders} demo orders, {runs} runs per query");
    let state = seed::generate(&SandboxConfig { orders, ..SandboxConfig::default() });

    db.write(|tx| {
        tx.execute("INSERT INTO store (id, name, platform, base_url, created_at) VALUES (1, 'Bench A', 'shopify', 'http://127.0.0.1:9', ?1)", [Utc::now()])?;
        tx.execute("INSERT INTO store (id, name, platform, base_url, created_at) VALUES (2, 'Bench B', 'shopify', 'http://127.0.0.1:9', ?1)", [Utc::now()])?;
        for (i, supplier) in state.suppliers.iter().enumerate() {
            tx.execute("INSERT INTO supplier (id, name, kind, base_url, created_at) VALUES (?1, ?2, 'cj', 'http://127.0.0.1:9', ?3)", params![i as i64 + 1, supplier.name, Utc::now()])?;
            for v in &supplier.catalog {
                tx.execute("INSERT INTO product_mapping (sku, supplier_id, variant_id, cost_minor, currency) VALUES (?1, ?2, ?3, ?4, 'USD')", params![v.sku, i as i64 + 1, v.vid, v.cost_minor])?;
            }
        }
        Ok(())
    })?;

    // The recorded pages as the connector reads them (Admin API order nodes), made a page at a
    // time outside the clock: a million nodes held at once would take some 16 GB. Parsing alone
    // is timed on its own, then parse + upsert + index together; the figure every tenth of the
    // run shows whether ingest slows as the database grows.
    let mut parse = Duration::ZERO;
    let mut ingest = Duration::ZERO;
    let mut parsed = 0usize;
    let mut tenths = Vec::new();
    let tenth = (orders / 10).max(250);
    let mut since_mark = (Duration::ZERO, 0usize);
    for (page, chunk) in state.shop.orders.chunks(250).enumerate() {
        let nodes: Vec<serde_json::Value> = chunk.iter().map(order_node).collect();
        let t = Instant::now();
        parsed += nodes.iter().filter(|node| parse_order(node).is_ok()).count();
        parse += t.elapsed();
        let t = Instant::now();
        db.write(|tx| {
            let orders = nodes
                .iter()
                .map(|node| parse_order(node).map_err(|r| dropdock_core::CoreError::InvalidInput(r.reason)))
                .collect::<dropdock_core::error::Result<Vec<_>>>()?;
            upsert_page(tx, 1 + (page % 2) as i64, &orders, Utc::now())?;
            Ok(())
        })?;
        let took = t.elapsed();
        ingest += took;
        since_mark = (since_mark.0 + took, since_mark.1 + chunk.len());
        if since_mark.1 >= tenth {
            tenths.push(since_mark.1 as f64 / since_mark.0.as_secs_f64());
            since_mark = (Duration::ZERO, 0);
        }
    }
    drop(state);
    println!(
        "ingest (parse + upsert + index, one core): {:.0} orders/s ({:.1} s); parsing alone: {:.0} orders/s",
        orders as f64 / ingest.as_secs_f64(),
        ingest.as_secs_f64(),
        parsed as f64 / parse.as_secs_f64()
    );
    println!(
        "  ingest per tenth of the run, orders/s: {}",
        tenths.iter().map(|r| format!("{r:.0}")).collect::<Vec<_>>().join(", ")
    );

    let first_page = OrderQuery { limit: Some(50), ..OrderQuery::default() };
    let searches = ["muller", "DD-LAMP", "nunez yoga", "#1050", "chloe", "backpack", "example.com", "patel"];
    let filters = [
        OrderQuery { status: Some(OrderStatus::ToOrder), limit: Some(50), ..OrderQuery::default() },
        OrderQuery { country_code: Some("DE".into()), limit: Some(50), ..OrderQuery::default() },
        OrderQuery {
            store_id: Some(2),
            status: Some(OrderStatus::AwaitingPayment),
            limit: Some(50),
            ..OrderQuery::default()
        },
        OrderQuery { supplier_id: Some(2), country_code: Some("US".into()), limit: Some(50), ..OrderQuery::default() },
        OrderQuery {
            created_from: Some(Utc::now() - chrono::Duration::days(7)),
            limit: Some(50),
            ..OrderQuery::default()
        },
        OrderQuery { hold_kind: Some(HoldKind::PaymentPending), limit: Some(50), ..OrderQuery::default() },
        OrderQuery {
            late_since: Some(Utc::now() - chrono::Duration::days(7)),
            limit: Some(50),
            ..OrderQuery::default()
        },
    ];
    let timed = |query: &OrderQuery| -> Result<Duration> {
        let t = Instant::now();
        let page = db.read(|c| query_orders(c, query))?;
        let elapsed = t.elapsed();
        std::hint::black_box(page);
        Ok(elapsed)
    };
    let t = Instant::now();
    std::hint::black_box(db.read(|c| query_orders(c, &first_page))?);
    println!("first page of 50, the first query after the ingest: {:.2} ms", t.elapsed().as_secs_f64() * 1000.0);
    let mut first = Vec::new();
    let mut search = Vec::new();
    let mut filter = Vec::new();
    for i in 0..runs {
        first.push(timed(&first_page)?);
        search.push(timed(&OrderQuery {
            search: Some(searches[i % searches.len()].into()),
            limit: Some(50),
            ..OrderQuery::default()
        })?);
        filter.push(timed(&filters[i % filters.len()])?);
    }
    println!("first page of 50: {}", percentiles(first));
    println!("full-text search, first page: {}", percentiles(search));
    println!("filter change, first page: {}", percentiles(filter.clone()));
    for n in 0..filters.len() {
        let samples: Vec<Duration> = filter.iter().skip(n).step_by(filters.len()).copied().collect();
        println!("  filter {}: {}", n + 1, percentiles(samples));
    }
    let mut board = Vec::new();
    for _ in 0..runs.clamp(1, 50) {
        let t = Instant::now();
        std::hint::black_box(db.read(|c| dashboard(c, DashboardRequest::default(), Utc::now()))?);
        board.push(t.elapsed());
    }
    println!("dashboard (30 days): {}", percentiles(board));
    let ids: Vec<i64> = db.read(|c| {
        Ok(c.prepare("SELECT id FROM orders ORDER BY id DESC LIMIT 1000")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    })?;
    let t = Instant::now();
    let mut csv = Vec::new();
    db.read(|c| export_orders_csv(c, &OrderSelection::Ids(ids.clone()), &mut csv))?;
    println!(
        "export CSV of {} selected orders: {:.1} ms ({} KB)",
        ids.len(),
        t.elapsed().as_secs_f64() * 1000.0,
        csv.len() / 1024
    );
    drop(db);
    // A fresh process on the same database: its first page is the cold start a merchant waits
    // for when opening the app on a million orders.
    let out = std::process::Command::new(std::env::current_exe()?).args(["bench", "--reopen"]).arg(&dir).output()?;
    anyhow::ensure!(out.status.success(), "the reopened bench failed: {}", String::from_utf8_lossy(&out.stderr));
    print!("{}", String::from_utf8_lossy(&out.stdout));
    let db_bytes: u64 = std::fs::read_dir(&dir)?.filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum();
    // The desktop app's own memory with this database open: tests/e2e/perf-bench.js.
    println!("database files: {:.0} MB", db_bytes as f64 / 1e6);
    if let Some(dir) = keep {
        println!("database kept in {}", dir.display());
    }
    Ok(())
}
