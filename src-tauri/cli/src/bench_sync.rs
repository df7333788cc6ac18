//! `dropdock-cli bench-sync`: order sync against the loopback Shopify mock configured like a
//! Standard plan (a 1,000-point bucket restoring 100 points/s), printed. The mock prices every
//! query by Shopify's documented cost rule on its own and deducts the actual cost of what it
//! returned. Two floors: every requested point at the restore rate (what a client that waits
//! for a full page's requested cost can reach), and the actual points spent beyond the first
//! bucket (no client can sync faster without breaking the limit). Also printed: THROTTLED
//! replies (the client paces itself from `throttleStatus`, so there should be none), and a sync
//! of the WooCommerce mock through 10 % faults compared with a clean one.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use dropdock_core::app::{http_client, Dropdock};
use dropdock_core::db::Db;
use dropdock_core::secrets::MemorySecrets;
use dropdock_core::stores::shopify::{orders_page_cost, orders_per_page};
use dropdock_sandbox::{Sandbox, SandboxConfig};

fn app(dir: &std::path::Path, timeout: Duration) -> Result<Dropdock> {
    Ok(Dropdock::new(Db::open_dir(dir)?, Arc::new(MemorySecrets::default()), http_client(timeout)))
}

/// Every stored order's (remote id, content hash), to compare two databases.
fn snapshot(dir: &std::path::Path) -> Result<Vec<(String, String)>> {
    let conn = rusqlite::Connection::open(dir.join(dropdock_core::db::DB_FILE))?;
    let mut stmt = conn.prepare("SELECT remote_id, content_hash FROM orders ORDER BY remote_id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub async fn run(orders: usize, bucket: f64, restore_rate: f64, catalogue_variants: usize) -> Result<()> {
    println!("bench-sync: {orders} orders, bucket {bucket} points, restoring {restore_rate} points/s");
    let sandbox =
        Sandbox::start(SandboxConfig { orders, bucket_size: bucket, restore_rate, ..SandboxConfig::default() }).await?;
    let dir = tempfile::tempdir()?;
    let dd = app(dir.path(), Duration::from_secs(30))?;
    let store = dd.connect_shopify("Bench shop", &sandbox.shopify_url(), &sandbox.shopify_token(), false).await?;
    // Let the bucket refill after the connection check, so the run starts from a full bucket.
    tokio::time::sleep(Duration::from_secs_f64(1.0 / restore_rate.max(1.0)).max(Duration::from_millis(50))).await;
    let throttled_before = sandbox.shop().throttled_replies();
    let (requested_before, spent_before) = sandbox.shop().points();
    let started = Instant::now();
    let run = dd.sync(store.id, 60).await?;
    let wall = started.elapsed();
    if run.error.is_some() || run.additions as usize != orders {
        bail!("the sync did not store every order: {}", run.line);
    }
    let page = orders_per_page();
    let pages = orders.div_ceil(page as usize);
    let per_page = orders_page_cost(page);
    let (requested, spent) = sandbox.shop().points();
    let (requested, actual) = (requested - requested_before, spent - spent_before);
    let requested_floor = (requested - bucket).max(0.0) / restore_rate;
    let actual_floor = (actual - bucket).max(0.0) / restore_rate;
    println!("{}", run.line);
    println!(
        "sync: {:.1} s for {orders} orders in {pages} pages of {page} (requested {per_page} points a page by the documented rule; {requested:.0} requested, {actual:.0} spent in all)",
        wall.as_secs_f64(),
    );
    println!(
        "floor by requested cost: {requested_floor:.1} s (ratio {:.3}); floor by actual cost: {actual_floor:.1} s (ratio {:.3})",
        wall.as_secs_f64() / requested_floor.max(0.001),
        wall.as_secs_f64() / actual_floor.max(0.001)
    );
    let throttled = sandbox.shop().throttled_replies() - throttled_before;
    println!("THROTTLED replies during the run: {throttled} (target 0)");

    // The catalogue: products of 20 variants each (Shopify's page reads 20 with each product).
    if catalogue_variants > 0 {
        let shop = sandbox.shop();
        shop.add_products(catalogue_variants.div_ceil(20), 20);
        let (products, variants) =
            shop.products().iter().fold((0usize, 0usize), |(p, v), product| (p + 1, v + product.variants.len()));
        tokio::time::sleep(Duration::from_secs_f64(bucket / restore_rate.max(1.0))).await;
        let throttled_before = shop.throttled_replies();
        let (requested_before, spent_before) = shop.points();
        let started = Instant::now();
        let run = dd.sync_catalogue(store.id).await?;
        let wall = started.elapsed();
        if run.error.is_some() || run.variants as usize != variants {
            bail!("the catalogue sync did not store every variant: {}", run.line);
        }
        let (requested, spent) = shop.points();
        let (requested, actual) = (requested - requested_before, spent - spent_before);
        let page = dropdock_core::stores::shopify::catalogue::products_per_page();
        println!("{}", run.line);
        println!(
            "catalogue: {:.1} s for {products} products, {variants} variants in {} pages of {page} ({requested:.0} points requested, {actual:.0} spent); floor by actual cost {:.1} s; {:.0} variants/s; THROTTLED replies: {}",
            wall.as_secs_f64(),
            products.div_ceil(page as usize),
            (actual - bucket).max(0.0) / restore_rate,
            variants as f64 / wall.as_secs_f64().max(0.001),
            shop.throttled_replies() - throttled_before
        );
    }

    // Faults: the WooCommerce mock answers 10 % of reads with 429, 500, a cut body or a stall.
    std::env::set_var("DROPDOCK_RETRY_DELAY_MS", "20");
    let woo = sandbox.woo();
    let clean_dir = tempfile::tempdir()?;
    let clean = app(clean_dir.path(), Duration::from_secs(5))?;
    let clean_store = clean.connect_woocommerce("Woo", &woo.url(), &woo.consumer_key(), &woo.consumer_secret()).await?;
    clean.sync(clean_store.id, 60).await?;
    let faulty_dir = tempfile::tempdir()?;
    let faulty = app(faulty_dir.path(), Duration::from_millis(800))?;
    let faulty_store =
        faulty.connect_woocommerce("Woo", &woo.url(), &woo.consumer_key(), &woo.consumer_secret()).await?;
    woo.set_fault_rate(0.1);
    let requests = woo.requests();
    let faulty_run = faulty.sync(faulty_store.id, 60).await?;
    woo.set_fault_rate(0.0);
    let same = snapshot(clean_dir.path())? == snapshot(faulty_dir.path())?;
    println!(
        "fault injection (WooCommerce, 10 %): {} requests for {} pages; {}; database {} a clean run's",
        woo.requests() - requests,
        woo.orders().len().div_ceil(100),
        faulty_run.line,
        if same { "equals" } else { "DIFFERS FROM" }
    );
    if !same {
        bail!("the database after faults differs from a clean run's");
    }
    Ok(())
}
