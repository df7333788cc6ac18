//! The products area's SQL: the SKU → supplier variant mapping and the line items it frees.

use rusqlite::{params, Connection};

use crate::error::Result;

/// Sets the supplier variant and cost (minor units, USD) that ship `sku`, replacing any earlier.
pub fn upsert_mapping(conn: &Connection, sku: &str, supplier_id: i64, variant_id: &str, cost_minor: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO product_mapping (sku, supplier_id, variant_id, cost_minor, currency) VALUES (?1, ?2, ?3, ?4, 'USD')
         ON CONFLICT(sku) DO UPDATE SET supplier_id=excluded.supplier_id, variant_id=excluded.variant_id, cost_minor=excluded.cost_minor",
    )?
    .execute(params![sku, supplier_id, variant_id, cost_minor])?;
    Ok(())
}

/// The orders with a line item of this SKU.
pub fn orders_with_sku(conn: &Connection, sku: &str) -> Result<Vec<i64>> {
    Ok(conn
        .prepare_cached("SELECT DISTINCT order_id FROM line_item WHERE sku = ?1")?
        .query_map([sku], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}
