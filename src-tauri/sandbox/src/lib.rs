//! The embedded sandbox: loopback HTTP servers that speak the real protocols Dropdock talks to,
//! seeded with demo data.
//!
//! - [`shopify`]: a shop behind the Shopify GraphQL Admin API (`orders` with cursor pagination and
//!   the `updated_at` filter, `extensions.cost` with a leaky bucket and THROTTLED replies,
//!   `order.fulfillmentOrders`, `fulfillmentCreate`).
//! - [`woo`]: a WooCommerce store behind the REST API v3 (OAuth 1.0a over plain HTTP, page
//!   numbers and `X-WP-TotalPages`, `modified_after`). The demo does not connect it: it is there
//!   to be connected in Store → Integrations.
//! - [`etsy`]: an Etsy shop behind the Open API v3 with OAuth 2.0 + PKCE (rotating refresh tokens,
//!   `x-api-key`, receipts by `offset`). Not connected by the demo either.
//! - [`cj`]: CJdropshipping API 2.0 accounts (getAccessToken, freightCalculate, createOrderV2 with
//!   a unique `orderNumber`, getBalance, getOrderDetail) whose orders ship after a delay.
//! - [`printful`]: a Printful account behind API v2 (drafts under an `external_id`, body-less
//!   confirmation, `@external_id` lookup, shipments with a tracking URL, shipping rates, the
//!   catalogue), selling the shop's print-on-demand products; no balance.
//!
//! The app uses it when no real account is connected; the tests use it as their remote peers.
//! Every server binds `127.0.0.1` on a free port and stops when its [`Sandbox`] is dropped.

// The servers' checks return the reply to send as their error (`Result<(), Response>`), the
// way axum handlers exit early; a `Response` is large, but boxing each would only add noise to
// test servers that answer one request at a time.
#![allow(clippy::result_large_err)]

pub mod cj;
pub mod cj_disputes;
pub mod etsy;
mod graphql;
pub mod printful;
pub mod seed;
pub mod shopify;
pub mod woo;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// A fault a store mock can answer a read with instead of the data (tests and the
/// fault-injection bench): the failures a real store's API shows under load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// 429 with `Retry-After` in seconds.
    TooManyRequests { retry_after_secs: u64 },
    /// 500 with an error body.
    ServerError,
    /// The reply starts, then stops short: a body that is not valid JSON.
    Truncated,
    /// The body comes only after this long (the client's timeout should fire first).
    Stall { millis: u64 },
}

/// Faults still to serve, in order (`None`: answer this one), then a share of replies (0 to 1)
/// to answer with a random one.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    queue: std::collections::VecDeque<Option<Fault>>,
    pub(crate) rate: f64,
}

impl Faults {
    /// Serves `faults` in a row, then one good answer, before any random fault.
    pub(crate) fn burst(&mut self, faults: &[Fault]) {
        self.queue.extend(faults.iter().copied().map(Some));
        self.queue.push_back(None);
    }

    /// The fault for this reply, if any.
    pub(crate) fn next(&mut self) -> Option<Fault> {
        if let Some(queued) = self.queue.pop_front() {
            return queued;
        }
        (self.rate > 0.0 && rand::random::<f64>() < self.rate).then(|| match rand::random::<u8>() % 4 {
            0 => Fault::TooManyRequests { retry_after_secs: 0 },
            1 => Fault::ServerError,
            2 => Fault::Truncated,
            _ => Fault::Stall { millis: 1_500 },
        })
    }
}

/// A non-negative dollar string with at most two decimals (`"12.5"`, `"3"`) in cents; `None`
/// for anything else. Money the sandbox reads from requests and from its own seed goes through it.
pub(crate) fn parse_cents(text: &str) -> Option<i64> {
    let text = text.trim();
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || frac.len() > 2 || !digits(whole) || !digits(frac) {
        return None;
    }
    Some(whole.parse::<i64>().ok()?.checked_mul(100)? + format!("{frac:0<2}").parse::<i64>().ok()?)
}

/// Answers with `fault`, or with `text` (a JSON body) and `headers` when there is none.
pub(crate) fn reply_with(
    fault: Option<Fault>,
    text: String,
    headers: Vec<(&'static str, axum::http::HeaderValue)>,
) -> axum::response::Response {
    use axum::http::{HeaderValue, StatusCode};
    use axum::response::IntoResponse;
    let ok = |text: String| {
        let mut response = ([("content-type", "application/json")], text).into_response();
        for (name, value) in &headers {
            response.headers_mut().insert(*name, value.clone());
        }
        response
    };
    let error = |status: StatusCode, body: serde_json::Value| (status, axum::Json(body)).into_response();
    match fault {
        None => ok(text),
        Some(Fault::TooManyRequests { retry_after_secs }) => {
            let mut r = error(
                StatusCode::TOO_MANY_REQUESTS,
                serde_json::json!({ "code": "rest_too_many_requests", "errors": "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service." }),
            );
            r.headers_mut().insert("Retry-After", HeaderValue::from(retry_after_secs));
            r
        }
        Some(Fault::ServerError) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            serde_json::json!({ "code": "internal_server_error", "errors": "Internal Server Error" }),
        ),
        Some(Fault::Truncated) => ok(text[..text.len() / 2].to_owned()),
        Some(Fault::Stall { millis }) => {
            use futures_util::StreamExt;
            let (parts, body) = ok(text).into_parts();
            let delay = futures_util::stream::once(async move {
                tokio::time::sleep(Duration::from_millis(millis)).await;
                Ok::<_, axum::Error>(axum::body::Bytes::new())
            });
            axum::response::Response::from_parts(
                parts,
                axum::body::Body::from_stream(delay.chain(body.into_data_stream())),
            )
        }
    }
}

/// One order at a supplier account, whatever its platform (tests, the demo command).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplierSideOrder {
    /// The account's name ("CJ Shenzhen (demo)", "Printful (demo)").
    pub account: String,
    /// The client's key for it: CJ's `orderNumber`, Printful's `external_id`.
    pub key: String,
    /// What it costs, US cents (products and shipping).
    pub amount_minor: i64,
    /// Paid from the CJ wallet or by card; for Printful, confirmed (charged to the billing method).
    pub paid: bool,
    pub cancelled: bool,
    pub paid_by_card: bool,
}

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
    /// The Printful account's leaky bucket, requests a minute (Printful's default is 120; the
    /// demo's is larger so that it stays quick).
    pub printful_requests_per_minute: u32,
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
            printful_requests_per_minute: 6_000,
        }
    }
}

/// Everything the sandbox holds, saved to `state_file` after each change.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SandboxState {
    pub shop: shopify::ShopData,
    pub suppliers: Vec<cj::CjAccountData>,
    /// Absent in state files written before the WooCommerce store existed: seeded then.
    #[serde(default)]
    pub woo: Option<woo::WooStoreData>,
    /// Likewise for the Etsy shop.
    #[serde(default)]
    pub etsy: Option<etsy::EtsyShopData>,
    /// Likewise for the Printful account.
    #[serde(default)]
    pub printful: Option<printful::PrintfulAccountData>,
}

pub(crate) struct Persist {
    path: Option<PathBuf>,
}

impl Persist {
    pub(crate) fn save(&self, w: &World) {
        if let Some(path) = &self.path {
            let state = SandboxState {
                shop: w.shop.clone(),
                suppliers: w.suppliers.clone(),
                woo: Some(w.woo.clone()),
                etsy: Some(w.etsy.clone()),
                printful: Some(w.printful.clone()),
            };
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
    pub(crate) woo: woo::WooStoreData,
    pub(crate) woo_runtime: woo::WooRuntime,
    pub(crate) etsy: etsy::EtsyShopData,
    pub(crate) etsy_runtime: etsy::EtsyRuntime,
    pub(crate) printful: printful::PrintfulAccountData,
    pub(crate) printful_runtime: printful::PrintfulRuntime,
    pub(crate) ship_after: Duration,
    pub(crate) persist: Persist,
}

impl World {
    pub(crate) fn save(&self) {
        self.persist.save(self);
    }
}

pub(crate) type SharedWorld = Arc<Mutex<World>>;

/// Runs `f` on the world and saves it after: how every handle inspects and changes the sandbox.
pub(crate) fn with_saved<T>(world: &SharedWorld, f: impl FnOnce(&mut World) -> T) -> T {
    let mut w = world.lock().expect("world");
    let out = f(&mut w);
    w.save();
    out
}

/// A running sandbox. Dropping it stops its servers.
pub struct Sandbox {
    world: SharedWorld,
    shopify_addr: SocketAddr,
    woo_addr: SocketAddr,
    etsy_addr: SocketAddr,
    printful_addr: SocketAddr,
    supplier_addrs: Vec<SocketAddr>,
    servers: Vec<Server>,
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        for server in &self.servers {
            server.task.abort();
        }
    }
}

/// A running server: its task and the switch that shuts it down gracefully.
struct Server {
    task: JoinHandle<()>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

/// Serves `router` on `addr` (port 0: a free one). Shutting down stops accepting and closes
/// every connection once its request is answered, like a server going down.
async fn serve(router: axum::Router, addr: SocketAddr) -> std::io::Result<(SocketAddr, Server)> {
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let stopped = async move {
            let _ = stopped.await;
        };
        if let Err(e) = axum::serve(listener, router).with_graceful_shutdown(stopped).await {
            tracing::error!(error = %e, "sandbox server stopped");
        }
    });
    Ok((addr, Server { task, shutdown: Some(shutdown) }))
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
            woo: state.woo.unwrap_or_else(|| seed::generate_woo(&config)),
            woo_runtime: woo::WooRuntime::default(),
            etsy: state.etsy.unwrap_or_else(|| seed::generate_etsy(&config)),
            etsy_runtime: etsy::EtsyRuntime::default(),
            printful: state.printful.unwrap_or_else(|| seed::generate_printful(&config)),
            printful_runtime: printful::PrintfulRuntime::new(config.printful_requests_per_minute),
            shop: state.shop,
            suppliers: state.suppliers,
            ship_after: config.ship_after,
            persist: Persist { path: config.state_file.clone() },
        };
        let count = world.suppliers.len();
        let world: SharedWorld = Arc::new(Mutex::new(world));
        world.lock().expect("world").save();
        let any_port = SocketAddr::from(([127, 0, 0, 1], 0));
        let mut sandbox = Sandbox {
            world,
            shopify_addr: any_port,
            woo_addr: any_port,
            etsy_addr: any_port,
            printful_addr: any_port,
            supplier_addrs: vec![any_port; count],
            servers: Vec::new(),
        };
        sandbox.start_servers().await?;
        Ok(sandbox)
    }

    async fn start_servers(&mut self) -> std::io::Result<()> {
        let (addr, server) = serve(shopify::router(self.world.clone()), self.shopify_addr).await?;
        self.shopify_addr = addr;
        self.servers.push(server);
        let (addr, server) = serve(woo::router(self.world.clone()), self.woo_addr).await?;
        self.woo_addr = addr;
        self.servers.push(server);
        let (addr, server) = serve(etsy::router(self.world.clone()), self.etsy_addr).await?;
        self.etsy_addr = addr;
        self.servers.push(server);
        let (addr, server) = serve(printful::router(self.world.clone()), self.printful_addr).await?;
        self.printful_addr = addr;
        self.servers.push(server);
        for index in 0..self.supplier_addrs.len() {
            let (addr, server) = serve(cj::router(self.world.clone(), index), self.supplier_addrs[index]).await?;
            self.supplier_addrs[index] = addr;
            self.servers.push(server);
        }
        Ok(())
    }

    /// True while the servers run (see [`Sandbox::stop_servers`]).
    pub fn is_serving(&self) -> bool {
        !self.servers.is_empty()
    }

    /// Takes the servers down, as if the network had gone: new connections are refused and open
    /// ones are closed once their request is answered. The data stays; see
    /// [`Sandbox::restart_servers`].
    pub async fn stop_servers(&mut self) {
        for mut server in self.servers.drain(..) {
            if let Some(shutdown) = server.shutdown.take() {
                let _ = shutdown.send(());
            }
            if tokio::time::timeout(Duration::from_secs(5), &mut server.task).await.is_err() {
                server.task.abort();
            }
        }
    }

    /// Brings the servers back on the same ports, with the same data.
    pub async fn restart_servers(&mut self) -> std::io::Result<()> {
        if self.is_serving() {
            return Ok(());
        }
        self.start_servers().await
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

    /// A handle to the demo WooCommerce store.
    pub fn woo(&self) -> woo::WooHandle {
        woo::WooHandle { world: self.world.clone(), url: format!("http://{}", self.woo_addr) }
    }

    /// A handle to the demo Etsy shop.
    pub fn etsy(&self) -> etsy::EtsyHandle {
        etsy::EtsyHandle { world: self.world.clone(), url: format!("http://{}", self.etsy_addr) }
    }

    /// A handle to the demo Printful account.
    pub fn printful(&self) -> printful::PrintfulHandle {
        printful::PrintfulHandle { world: self.world.clone(), url: format!("http://{}", self.printful_addr) }
    }

    /// How many CJ supplier accounts the sandbox runs (the Printful account is apart: [`Sandbox::printful`]).
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

    /// Every order the supplier accounts hold, CJ and Printful alike, in one shape.
    pub fn supplier_orders(&self) -> Vec<SupplierSideOrder> {
        let mut out: Vec<SupplierSideOrder> = (0..self.supplier_count())
            .flat_map(|i| {
                let account = self.supplier(i).name();
                self.supplier(i).orders().into_iter().map(move |o| SupplierSideOrder {
                    account: account.clone(),
                    key: o.order_number,
                    amount_minor: o.amount_minor,
                    paid: o.paid,
                    cancelled: o.cancelled,
                    paid_by_card: o.paid_by_card,
                })
            })
            .collect();
        let printful = self.printful();
        let account = printful.name();
        out.extend(printful.orders().into_iter().map(|o| SupplierSideOrder {
            account: account.clone(),
            key: o.external_id,
            amount_minor: o.total_minor,
            paid: o.confirmed,
            cancelled: o.status == "canceled",
            paid_by_card: false,
        }));
        out
    }

    /// Every paid order at every supplier account ships now.
    pub fn ship_all_now(&self) {
        for i in 0..self.supplier_count() {
            self.supplier(i).ship_all_now();
        }
        self.printful().ship_all_now();
    }

    /// Every shipped parcel at every supplier account is delivered now.
    pub fn deliver_all_now(&self) {
        for i in 0..self.supplier_count() {
            self.supplier(i).deliver_all_now();
        }
        self.printful().deliver_all_now();
    }

    /// Sets how long after payment new and unshipped supplier orders ship.
    pub fn set_ship_after(&self, delay: Duration) {
        self.world.lock().expect("world").ship_after = delay;
    }
}
