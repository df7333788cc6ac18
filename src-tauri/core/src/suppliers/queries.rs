//! The suppliers area's SQL: account settings kept on the `supplier` row.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;

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
