//! The suppliers area's SQL: account settings kept on the `supplier` row.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;
use crate::fulfillment::sub_order::SubOrderState;

/// The platform's store within the account (Printful's `X-PF-Store-Id`), when one was given.
pub fn store_ref(conn: &Connection, supplier_id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT store_ref FROM supplier WHERE id = ?1")?
        .query_row([supplier_id], |r| r.get::<_, Option<String>>(0))
        .optional()?
        .flatten())
}

/// Renames the account.
pub fn rename(conn: &Connection, supplier_id: i64, name: &str) -> Result<()> {
    conn.prepare_cached("UPDATE supplier SET name = ?2 WHERE id = ?1")?.execute(params![supplier_id, name])?;
    Ok(())
}

/// Sets the account's rate limit, requests per second; returns whether the supplier exists.
pub fn set_rate_limit(conn: &Connection, supplier_id: i64, requests_per_second: u32) -> Result<bool> {
    Ok(conn
        .prepare_cached("UPDATE supplier SET requests_per_second = ?2 WHERE id = ?1")?
        .execute(params![supplier_id, requests_per_second])?
        == 1)
}

/// Sub-orders at `supplier_id` whose outcome there is not known yet (the states that need a
/// lookup, [`SubOrderState::needs_lookup`]): they must be looked up before its keys go.
pub fn unsettled_sub_orders(conn: &Connection, supplier_id: i64) -> Result<i64> {
    let sql = format!(
        "SELECT COUNT(*) FROM supplier_order WHERE supplier_id = ?1 AND state IN {}",
        SubOrderState::sql_set(SubOrderState::needs_lookup)
    );
    Ok(conn.prepare_cached(&sql)?.query_row([supplier_id], |r| r.get(0))?)
}

/// Marks the account disconnected at `at` (UTC).
pub fn mark_disconnected(conn: &Connection, supplier_id: i64, at: chrono::DateTime<chrono::Utc>) -> Result<()> {
    conn.prepare_cached("UPDATE supplier SET disconnected_at = ?2 WHERE id = ?1")?.execute(params![supplier_id, at])?;
    Ok(())
}

/// Keeps the platform's store within the account (Printful's `X-PF-Store-Id`).
pub fn set_store_ref(conn: &Connection, supplier_id: i64, store_ref: &str) -> Result<()> {
    conn.prepare_cached("UPDATE supplier SET store_ref = ?2 WHERE id = ?1")?
        .execute(params![supplier_id, store_ref])?;
    Ok(())
}
