//! The Order page's actions that reach suppliers: "Ship order" (one order, or a selection) and
//! the queue of those asked for while offline. One entry point per action: [`ship`] decides
//! itself whether an order goes now, waits in the queue, or is skipped with its reason.
//!
//! Dependencies point one way: orders → [`crate::fulfillment`] (plan, submit) → the supplier's
//! connector. A queued ship is safe to run twice: fulfilment sends only the sub-orders not yet
//! with their supplier, and looks up an ambiguous one before resending it.

pub mod actions;
pub mod address;
pub mod cancellation;
pub mod dashboard;
pub mod disputes;
pub mod profit;
pub mod queries;
pub mod search;
pub mod views;

use chrono::Utc;

use crate::context::Ctx;
use crate::error::{CoreError, Result};
use crate::fulfillment::ShipResult;
use crate::offline::ShipOrdersResult;
use crate::orders::actions::SkippedOrder;

fn order_name(ctx: &Ctx, order_id: i64) -> Result<String> {
    ctx.db.read(|c| queries::order_name(c, order_id))
}

/// "Ship order" on one order, now. An unreachable supplier is an error here (and marks the
/// network offline); [`ship`] queues the order instead.
pub async fn ship_one(ctx: &Ctx, order_id: i64) -> Result<ShipResult> {
    let result = crate::fulfillment::ship_order(ctx, order_id).await;
    ctx.observe(result)
}

/// Queues "Ship order" for when the network is back. Asking twice queues once.
pub fn queue_ship(ctx: &Ctx, order_id: i64) -> Result<()> {
    ctx.db.write(|tx| queries::queue_ship(tx, order_id, Utc::now()))
}

/// "Ship orders" on a selection: each order is sent now, or queued when the network is down
/// (known offline, or its supplier unreachable now), or skipped with the reason.
pub async fn ship(ctx: &Ctx, order_ids: &[i64]) -> Result<ShipOrdersResult> {
    if order_ids.is_empty() {
        return Err(CoreError::InvalidInput("select at least one order".into()));
    }
    let mut result = ShipOrdersResult::default();
    for &order_id in order_ids {
        let name = order_name(ctx, order_id)?;
        if !ctx.network.is_online() {
            // Hold and "already sent" are local facts: report them even while offline.
            match ctx.db.read(|c| crate::fulfillment::plan(c, order_id)) {
                Err(e @ (CoreError::Held(_) | CoreError::InvalidInput(_))) => {
                    result.skipped.push(SkippedOrder::because(name, &e));
                }
                Err(e) => return Err(e),
                Ok(_) => {
                    queue_ship(ctx, order_id)?;
                    result.queued.push(name);
                }
            }
            continue;
        }
        // Online, Ship order plans (and reports a hold) itself.
        match ship_one(ctx, order_id).await {
            Ok(shipped) => result.shipped.push(shipped),
            Err(e) if e.is_unreachable() => {
                queue_ship(ctx, order_id)?;
                result.queued.push(name);
            }
            Err(e) => result.skipped.push(SkippedOrder::because(name, &e)),
        }
    }
    Ok(result)
}

/// Runs the queued actions, oldest first. Stops at the first unreachable remote (the rest
/// stay queued); an order that can no longer go (held, already sent) leaves the queue and is
/// reported in `skipped`.
pub async fn run_queue(ctx: &Ctx) -> Result<ShipOrdersResult> {
    let queued = ctx.db.read(queries::queued_ships)?;
    let mut result = ShipOrdersResult::default();
    for (queue_id, order_id) in queued {
        let name = order_name(ctx, order_id)?;
        let attempt = ship_one(ctx, order_id).await;
        let finished = |error: Option<String>| {
            ctx.db.write(|tx| match &error {
                Some(error) => queries::queue_attempt_failed(tx, queue_id, error),
                None => queries::dequeue(tx, queue_id),
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
                result.skipped.push(SkippedOrder::because(name, &e));
            }
        }
    }
    Ok(result)
}
