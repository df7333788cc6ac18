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

use chrono::Utc;
use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

use crate::app::Dropdock;
use crate::error::{CoreError, Result};
use crate::fulfillment::ShipResult;
use crate::order_actions::SkippedOrder;

/// How long a reachability probe waits for a TCP connection.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// Whether the last contact with the accounts worked. Starts online; set by every remote call
/// that fails as unreachable, and by [`Dropdock::probe_network`].
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

fn order_name(dd: &Dropdock, order_id: i64) -> Result<String> {
    dd.db.read(|c| {
        c.query_row("SELECT name FROM orders WHERE id = ?1", [order_id], |r| r.get(0))
            .map_err(|_| CoreError::NotFound(format!("order {order_id} not found")))
    })
}

impl Dropdock {
    /// The offline badge: network state and the number of queued actions.
    pub fn network_status(&self) -> Result<NetworkStatus> {
        let queued = self.db.read(|c| Ok(c.query_row("SELECT COUNT(*) FROM queued_action", [], |r| r.get(0))?))?;
        Ok(NetworkStatus { online: self.network.is_online(), queued })
    }

    /// Tries a TCP connection to every connected store and supplier (in parallel, at most
    /// [`PROBE_TIMEOUT`] each) and records the result: online when any answers, or when there is
    /// no account to reach. Returns true when the state changed.
    pub async fn probe_network(&self) -> Result<bool> {
        let mut targets: Vec<String> = self.stores()?.iter().filter_map(|s| socket_of(&s.base_url)).collect();
        targets.extend(self.suppliers()?.iter().filter_map(|s| socket_of(&s.base_url)));
        targets.sort();
        targets.dedup();
        let online = if targets.is_empty() {
            true
        } else {
            let mut probes = tokio::task::JoinSet::new();
            for target in targets {
                probes.spawn(async move {
                    matches!(
                        tokio::time::timeout(PROBE_TIMEOUT, tokio::net::TcpStream::connect(target)).await,
                        Ok(Ok(_))
                    )
                });
            }
            let mut any = false;
            while let Some(reached) = probes.join_next().await {
                any |= reached.unwrap_or(false);
            }
            any
        };
        let changed = self.network.set_online(online);
        if changed {
            tracing::info!(online, "network state changed");
        }
        Ok(changed)
    }

    /// Passes `result` through, noting an unreachable remote as offline and any success as online.
    pub(crate) fn observe<T>(&self, result: Result<T>) -> Result<T> {
        match &result {
            Err(e) if e.is_unreachable() => {
                self.network.set_online(false);
            }
            Ok(_) => {
                self.network.set_online(true);
            }
            Err(_) => {}
        }
        result
    }

    /// Queues "Ship order" for when the network is back. Asking twice queues once.
    pub fn queue_ship(&self, order_id: i64) -> Result<()> {
        self.db.write(|tx| {
            tx.execute(
                "INSERT INTO queued_action (kind, order_id, queued_at) VALUES ('ship_order', ?1, ?2)
                 ON CONFLICT(kind, order_id) DO NOTHING",
                params![order_id, Utc::now()],
            )?;
            Ok(())
        })
    }

    /// "Ship orders" on a selection: each order is sent now, or queued when the network is down
    /// (known offline, or its supplier unreachable now), or skipped with the reason.
    pub async fn ship_orders(&self, order_ids: &[i64]) -> Result<ShipOrdersResult> {
        if order_ids.is_empty() {
            return Err(CoreError::InvalidInput("select at least one order".into()));
        }
        let mut result = ShipOrdersResult::default();
        for &order_id in order_ids {
            let name = order_name(self, order_id)?;
            if !self.network.is_online() {
                // Hold and "already sent" are local facts: report them even while offline.
                match self.db.read(|c| crate::fulfillment::plan(c, order_id)) {
                    Err(CoreError::Held(reason) | CoreError::InvalidInput(reason)) => {
                        result.skipped.push(SkippedOrder { order_name: name, reason });
                    }
                    Err(e) => return Err(e),
                    Ok(_) => {
                        self.queue_ship(order_id)?;
                        result.queued.push(name);
                    }
                }
                continue;
            }
            // Online, Ship order plans (and reports a hold) itself.
            match self.ship(order_id).await {
                Ok(shipped) => result.shipped.push(shipped),
                Err(e) if e.is_unreachable() => {
                    self.queue_ship(order_id)?;
                    result.queued.push(name);
                }
                Err(CoreError::Held(reason) | CoreError::InvalidInput(reason)) => {
                    result.skipped.push(SkippedOrder { order_name: name, reason })
                }
                Err(e) => result.skipped.push(SkippedOrder { order_name: name, reason: e.to_string() }),
            }
        }
        Ok(result)
    }

    /// Runs the queued actions, oldest first. Stops at the first unreachable remote (the rest
    /// stay queued); an order that can no longer go (held, already sent) leaves the queue and is
    /// reported in `skipped`.
    pub async fn run_queue(&self) -> Result<ShipOrdersResult> {
        let queued: Vec<(i64, i64)> = self.db.read(|c| {
            Ok(c.prepare("SELECT id, order_id FROM queued_action WHERE kind = 'ship_order' ORDER BY id")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?)
        })?;
        let mut result = ShipOrdersResult::default();
        for (queue_id, order_id) in queued {
            let name = order_name(self, order_id)?;
            let attempt = self.ship(order_id).await;
            let finished = |error: Option<String>| {
                self.db.write(|tx| {
                    match &error {
                        Some(error) => tx.execute(
                            "UPDATE queued_action SET attempts = attempts + 1, last_error = ?2 WHERE id = ?1",
                            params![queue_id, error],
                        )?,
                        None => tx.execute("DELETE FROM queued_action WHERE id = ?1", [queue_id])?,
                    };
                    Ok(())
                })
            };
            match attempt {
                Ok(shipped) => {
                    finished(None)?;
                    result.shipped.push(shipped);
                }
                Err(e) if e.is_unreachable() => {
                    finished(Some(e.to_string()))?;
                    break;
                }
                Err(e) => {
                    finished(None)?;
                    tracing::warn!(order = %name, error = %e, "queued ship order dropped");
                    result.skipped.push(SkippedOrder { order_name: name, reason: e.to_string() });
                }
            }
        }
        Ok(result)
    }
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
