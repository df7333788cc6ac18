//! `sandbox` and `demo`: the embedded sandbox, and the whole job on it.

use super::prelude::*;

/// `sandbox`: the embedded sandbox on loopback until Ctrl-C.
pub(crate) async fn sandbox(ctx: &Ctx, orders: usize) -> Result<()> {
    let state_file = ctx.data_dir.as_ref().map(|d| {
        let _ = std::fs::create_dir_all(d);
        d.join("sandbox-state.json")
    });
    let sandbox = Sandbox::start(SandboxConfig { orders, state_file, ..SandboxConfig::default() })
        .await
        .context("starting the sandbox")?;
    println!("Shopify store:  {}  (Admin API token {})", sandbox.shopify_url(), sandbox.shopify_token());
    for i in 0..sandbox.supplier_count() {
        let s = sandbox.supplier(i);
        println!("CJ supplier:    {}  \"{}\" (API key {})", s.url(), s.name(), s.api_key());
    }
    let p = sandbox.printful();
    println!("Printful:       {}  \"{}\" (token {})", p.url(), p.name(), p.token());
    println!("Running until stopped (Ctrl-C).");
    tokio::signal::ctrl_c().await?;
    Ok(())
}

/// The whole job on a fresh sandbox: sync 60 days, ship paid orders, wait for the suppliers to
/// ship, push tracking, and count what the store shows as Fulfilled.
pub(crate) async fn demo(ctx: &Ctx, ship: usize) -> Result<()> {
    let _temp: tempfile::TempDir;
    let dd = match &ctx.data_dir {
        Some(dir) => open(dir)?,
        None => {
            // A throwaway directory, removed at the end: its credentials stay in memory, not in
            // the OS keychain.
            _temp = tempfile::tempdir().context("creating a temporary data directory")?;
            Dropdock::open(_temp.path(), |_| Arc::new(MemorySecrets::default()) as Arc<dyn SecretStore>)?
        }
    };
    let sandbox = Sandbox::start(SandboxConfig {
        ship_after: Duration::from_secs(3),
        restore_rate: 1000.0,
        ..SandboxConfig::default()
    })
    .await?;
    println!(
        "1. Sandbox: Shopify store at {}, {} CJdropshipping supplier accounts",
        sandbox.shopify_url(),
        sandbox.supplier_count()
    );
    let store_id = connect_sandbox(&dd, &sandbox_endpoints(&sandbox)).await?;
    println!("2. Connected the demo store and suppliers; demo SKUs mapped");
    let summary = dd.sync(store_id, 60).await?;
    println!("3. {}", summary.line);
    let candidates = dd.orders(Some(OrderStatus::ToOrder), 1000)?;
    let mut shipped = Vec::new();
    for order in candidates {
        if shipped.len() == ship {
            break;
        }
        if dd.order_detail(order.id)?.hold_reason.is_some() {
            continue;
        }
        let result = dd.ship(order.id).await?;
        for s in &result.sub_orders {
            println!(
                "4. Ship order {} -> {}: {} via {} ({})",
                result.order_name,
                s.supplier_name,
                s.supplier_order_id.clone().unwrap_or_default(),
                s.shipping_line,
                s.state
            );
        }
        shipped.push(order.name);
    }
    println!("5. Waiting for the suppliers to ship...");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let mut fulfilled_locally = 0;
    while tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let report = dd.track().await?;
        for s in &report.new_shipments {
            println!("6. {} shipped: {} {} -> pushed to the store", s.order_name, s.company, s.tracking_number);
        }
        fulfilled_locally = shipped
            .iter()
            .filter(|n| {
                dd.order_id_by_name(n)
                    .and_then(|id| dd.order_detail(id))
                    .is_ok_and(|d| d.order.status == OrderStatus::Fulfilled)
            })
            .count();
        if fulfilled_locally == shipped.len() {
            break;
        }
    }
    let in_store = sandbox.shop().fulfilled_count();
    println!(
        "Done: {in_store} orders are Fulfilled in the store ({fulfilled_locally} of {} shipped here)",
        shipped.len()
    );
    if fulfilled_locally < shipped.len() {
        bail!("{} orders did not reach Fulfilled within 60 s", shipped.len() - fulfilled_locally);
    }
    Ok(())
}
