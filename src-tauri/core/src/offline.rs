//! Working without a network: whether the accounts can be reached, and the queue of actions
//! asked for while they could not ("Ship order"), run once they can.
//!
//! Everything already synced stays browsable offline because every screen reads SQLite. Only
//! actions that talk to a store or supplier need the network; when one fails because the remote
//! is unreachable (refused, timed out, connection lost), the order goes into `queued_action` and
//! Dropdock says so. A queued ship is safe to run twice: [`crate::fulfillment`] sends only the
//! sub-orders not yet with their supplier, and looks up an ambiguous one before resending it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde::Serialize;
use ts_rs::TS;

use crate::context::Ctx;
use crate::error::Result;
use crate::fulfillment::ShipResult;
use crate::orders::actions::SkippedOrder;

/// How long a reachability probe waits for a TCP connection.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// Whether the last contact with the accounts worked. Starts online; set by every remote call
/// that fails as unreachable, and by [`probe_network`].
#[derive(Debug)]
pub struct NetworkState {
    online: AtomicBool,
}

impl Default for NetworkState {
    fn default() -> Self {
        NetworkState { online: AtomicBool::new(true) }
    }
}

impl NetworkState {
    pub fn is_online(&self) -> bool {
        self.online.load(Ordering::Relaxed)
    }

    /// Records the state; returns true when it changed.
    pub fn set_online(&self, online: bool) -> bool {
        self.online.swap(online, Ordering::Relaxed) != online
    }
}

/// What the offline badge shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct NetworkStatus {
    pub online: bool,
    /// Actions waiting for the network.
    #[ts(type = "number")]
    pub queued: i64,
}

/// The result of "Ship orders" on a selection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ShipOrdersResult {
    /// Orders sent to their suppliers now (each sub-order's outcome inside).
    pub shipped: Vec<ShipResult>,
    /// Orders that will be sent once the network is back.
    pub queued: Vec<String>,
    /// Orders that cannot go (held, already sent...), each with the reason.
    pub skipped: Vec<SkippedOrder>,
}

impl ShipOrdersResult {
    /// The CLI's summary line, e.g. `Shipped 3 orders, queued 1, skipped 2`.
    pub fn summary(&self) -> String {
        let n = self.shipped.len();
        format!(
            "Shipped {n} order{}, queued {}, skipped {}",
            if n == 1 { "" } else { "s" },
            self.queued.len(),
            self.skipped.len()
        )
    }
}

/// `host:port` of a base URL, the port defaulted from the scheme.
fn socket_of(base_url: &str) -> Option<String> {
    let url = reqwest::Url::parse(base_url).ok()?;
    Some(format!("{}:{}", url.host_str()?, url.port_or_known_default()?))
}

/// The offline badge: network state and the number of queued actions.
pub fn network_status(ctx: &Ctx) -> Result<NetworkStatus> {
    let queued = ctx.db.read(|c| Ok(c.query_row("SELECT COUNT(*) FROM queued_action", [], |r| r.get(0))?))?;
    Ok(NetworkStatus { online: ctx.network.is_online(), queued })
}

/// Tries a TCP connection to every connected store and supplier (in parallel, at most
/// [`PROBE_TIMEOUT`] each) and records the result: online when any answers, or when there is
/// no account to reach. Returns true when the state changed.
pub async fn probe_network(ctx: &Ctx) -> Result<bool> {
    let mut targets: Vec<String> =
        ctx.db.read(crate::orders::views::list_stores)?.iter().filter_map(|s| socket_of(&s.base_url)).collect();
    targets.extend(ctx.db.read(crate::orders::views::list_suppliers)?.iter().filter_map(|s| socket_of(&s.base_url)));
    targets.sort();
    targets.dedup();
    let online = if targets.is_empty() {
        true
    } else {
        let mut probes = tokio::task::JoinSet::new();
        for target in targets {
            probes.spawn(async move {
                matches!(tokio::time::timeout(PROBE_TIMEOUT, tokio::net::TcpStream::connect(target)).await, Ok(Ok(_)))
            });
        }
        let mut any = false;
        while let Some(reached) = probes.join_next().await {
            any |= reached.unwrap_or(false);
        }
        any
    };
    let changed = ctx.network.set_online(online);
    if changed {
        tracing::info!(online, "network state changed");
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_targets_default_the_port_from_the_scheme() {
        assert_eq!(socket_of("https://shop.myshopify.com").as_deref(), Some("shop.myshopify.com:443"));
        assert_eq!(socket_of("http://127.0.0.1:4123/api2.0/v1").as_deref(), Some("127.0.0.1:4123"));
        assert_eq!(socket_of("not a url"), None);
    }

    #[test]
    fn network_state_reports_changes_once() {
        let state = NetworkState::default();
        assert!(state.is_online());
        assert!(state.set_online(false));
        assert!(!state.set_online(false));
        assert!(state.set_online(true));
    }
}
