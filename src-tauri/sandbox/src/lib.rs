//! The embedded sandbox: loopback HTTP servers that speak the real protocols Dropdock talks to,
//! seeded with demo data.
//!
//! - [`shopify`]: a shop behind the Shopify GraphQL Admin API (`orders` with cursor pagination and
//!   the `updated_at` filter, `extensions.cost` with a leaky bucket and THROTTLED replies,
//!   `order.fulfillmentOrders`, `fulfillmentCreate`).
//! - [`cj`]: a CJdropshipping API 2.0 account (getAccessToken, freightCalculate, createOrderV2 with
//!   a unique `orderNumber`, getBalance, getOrderDetail) whose orders ship after a delay.
//!
//! The app uses it when no real account is connected; the tests use it as their remote peers.
//! Every server binds `127.0.0.1` on a free port and stops when its [`Sandbox`] is dropped.

pub mod cj;
pub mod seed;
pub mod shopify;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// How the sandbox is seeded and behaves.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Seed of the demo data: the same seed gives the same orders.
    pub seed: u64,
    /// How many store orders to create, spread over the last 60 days.
    pub orders: usize,
    /// How long after payment a supplier order ships.
    pub ship_after: Duration,
    /// The shop's query-cost bucket (Shopify Standard plan: 1000 points, 100 points/s).
    pub bucket_size: f64,
    pub restore_rate: f64,
    /// Opening wallet balance of each supplier account, US cents.
    pub opening_balance_minor: i64,
    /// Where to keep the sandbox's state between launches (`None`: in memory only).
    pub state_file: Option<PathBuf>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            seed: 20261122,
            orders: 200,
            ship_after: Duration::from_secs(20),
            bucket_size: 1000.0,
            restore_rate: 100.0,
            opening_balance_minor: 250_000,
            state_file: None,
        }
    }
}

/// Everything the sandbox holds, saved to `state_file` after each change.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SandboxState {
    pub shop: shopify::ShopData,
    pub suppliers: Vec<cj::CjAccountData>,
}

pub(crate) struct Persist {
    path: Option<PathBuf>,
}

impl Persist {
    pub(crate) fn save(&self, shop: &shopify::ShopData, suppliers: &[cj::CjAccountData]) {
        if let Some(path) = &self.path {
            let state = SandboxState { shop: shop.clone(), suppliers: suppliers.to_vec() };
            let tmp = path.with_extension("tmp");
            let written = serde_json::to_vec(&state)
                .map_err(std::io::Error::other)
                .and_then(|bytes| std::fs::write(&tmp, bytes))
                .and_then(|_| std::fs::rename(&tmp, path));
            if let Err(e) = written {
                tracing::warn!(error = %e, "sandbox state not saved");
            }
        }
    }
}

/// Shared state of the whole sandbox (one lock: the sandbox is small and its handlers are quick).
pub(crate) struct World {
    pub(crate) shop: shopify::ShopData,
    pub(crate) shop_runtime: shopify::ShopRuntime,
    pub(crate) suppliers: Vec<cj::CjAccountData>,
    pub(crate) supplier_runtime: Vec<cj::CjRuntime>,
    pub(crate) ship_after: Duration,
    pub(crate) persist: Persist,
}

impl World {
    pub(crate) fn save(&self) {
        self.persist.save(&self.shop, &self.suppliers);
    }
}

pub(crate) type SharedWorld = Arc<Mutex<World>>;

/// A running sandbox. Dropping it stops its servers.
pub struct Sandbox {
    world: SharedWorld,
    shopify_addr: SocketAddr,
    supplier_addrs: Vec<SocketAddr>,
    tasks: Vec<JoinHandle<()>>,
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

async fn serve(router: axum::Router) -> std::io::Result<(SocketAddr, JoinHandle<()>)> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, router).await {
            tracing::error!(error = %e, "sandbox server stopped");
        }
    });
    Ok((addr, task))
}

impl Sandbox {
    /// Seeds (or loads from `state_file`) and starts the servers on free loopback ports.
    pub async fn start(config: SandboxConfig) -> std::io::Result<Sandbox> {
        let loaded: Option<SandboxState> = config
            .state_file
            .as_ref()
            .and_then(|p| std::fs::read(p).ok())
            .and_then(|bytes| serde_json::from_slice(&bytes).ok());
        let state = loaded.unwrap_or_else(|| seed::generate(&config));
        let world = World {
            shop_runtime: shopify::ShopRuntime::new(config.bucket_size, config.restore_rate),
            supplier_runtime: state.suppliers.iter().map(|_| cj::CjRuntime::default()).collect(),
            shop: state.shop,
            suppliers: state.suppliers,
            ship_after: config.ship_after,
            persist: Persist { path: config.state_file.clone() },
        };
        let count = world.suppliers.len();
        let world: SharedWorld = Arc::new(Mutex::new(world));
        world.lock().expect("world").save();
        let (shopify_addr, shop_task) = serve(shopify::router(world.clone())).await?;
        let mut tasks = vec![shop_task];
        let mut supplier_addrs = Vec::new();
        for index in 0..count {
            let (addr, task) = serve(cj::router(world.clone(), index)).await?;
            supplier_addrs.push(addr);
            tasks.push(task);
        }
        Ok(Sandbox { world, shopify_addr, supplier_addrs, tasks })
    }

    /// The shop's origin, e.g. `http://127.0.0.1:41234` (the Admin API is below it).
    pub fn shopify_url(&self) -> String {
        format!("http://{}", self.shopify_addr)
    }

    /// The Admin API access token the shop accepts.
    pub fn shopify_token(&self) -> String {
        self.world.lock().expect("world").shop.access_token.clone()
    }

    /// A handle to inspect and change the shop, as a merchant or buyer would.
    pub fn shop(&self) -> shopify::ShopHandle {
        shopify::ShopHandle { world: self.world.clone() }
    }

    /// How many supplier accounts the sandbox runs.
    pub fn supplier_count(&self) -> usize {
        self.supplier_addrs.len()
    }

    /// A handle to supplier account `index`.
    pub fn supplier(&self, index: usize) -> cj::CjHandle {
        cj::CjHandle {
            world: self.world.clone(),
            index,
            url: format!("http://{}/api2.0/v1", self.supplier_addrs[index]),
        }
    }

    /// Sets how long after payment new and unshipped supplier orders ship.
    pub fn set_ship_after(&self, delay: Duration) {
        self.world.lock().expect("world").ship_after = delay;
    }
}
