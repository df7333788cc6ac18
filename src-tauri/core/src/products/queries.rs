//! The products area's SQL: the store variant → supplier variant mapping (and the SKU one
//! before it), and the line items a mapping frees.

use rusqlite::{params, Connection};

use crate::error::Result;

/// Joins the supplier variant that ships line item `li` of order `o` (both in the FROM clause):
/// the mapping of its store variant (`vm`, by store, product id and variant id) when there is
/// one, else the mapping of its SKU (`sm`). Read it through [`MAPPED_SUPPLIER`],
/// [`MAPPED_VARIANT`] and [`MAPPED_COST`]; every lookup is on a primary key.
pub const MAPPING_JOINS: &str = "LEFT JOIN variant_mapping vm ON vm.store_id = o.store_id
        AND vm.store_product_id = li.store_product_id AND vm.store_variant_id = IFNULL(li.store_variant_id, '')
     LEFT JOIN product_mapping sm ON sm.sku = li.sku AND vm.supplier_id IS NULL";
/// The mapped supplier's id (NULL: unmapped), under [`MAPPING_JOINS`].
pub const MAPPED_SUPPLIER: &str = "COALESCE(vm.supplier_id, sm.supplier_id)";
/// The mapped supplier variant's id, under [`MAPPING_JOINS`].
pub const MAPPED_VARIANT: &str = "COALESCE(vm.variant_id, sm.variant_id)";
/// The mapped cost per unit, minor units, under [`MAPPING_JOINS`].
pub const MAPPED_COST: &str = "COALESCE(vm.cost_minor, sm.cost_minor)";

/// Sets the supplier variant and cost (minor units, USD) that ship a store variant (`variant`:
/// '' for a product without variants), replacing any earlier.
pub fn upsert_variant_mapping(
    conn: &Connection,
    store_id: i64,
    product: &str,
    variant: &str,
    supplier_id: i64,
    variant_id: &str,
    cost_minor: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO variant_mapping (store_id, store_product_id, store_variant_id, supplier_id, variant_id, cost_minor, currency)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'USD')
         ON CONFLICT(store_id, store_product_id, store_variant_id) DO UPDATE SET
             supplier_id=excluded.supplier_id, variant_id=excluded.variant_id, cost_minor=excluded.cost_minor",
    )?
    .execute(params![store_id, product, variant, supplier_id, variant_id, cost_minor])?;
    Ok(())
}

/// The orders of `store_id` with a line item of this store variant.
pub fn orders_with_variant(conn: &Connection, store_id: i64, product: &str, variant: &str) -> Result<Vec<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT DISTINCT li.order_id FROM line_item li JOIN orders o ON o.id = li.order_id
             WHERE li.store_product_id = ?2 AND IFNULL(li.store_variant_id, '') = ?3 AND o.store_id = ?1",
        )?
        .query_map(params![store_id, product, variant], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

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

/// The store an order came from.
pub fn store_of_order(conn: &Connection, order_id: i64) -> Result<Option<i64>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached("SELECT store_id FROM orders WHERE id = ?1")?
        .query_row([order_id], |r| r.get(0))
        .optional()?)
}

/// Every mapping (see [`crate::products::mappings`]).
pub fn mappings(conn: &Connection, store_id: Option<i64>) -> Result<Vec<crate::products::MappingView>> {
    let by_variant = conn
        .prepare_cached(
            "SELECT st.name, vm.store_product_id, vm.store_variant_id, s.name, vm.variant_id, vm.cost_minor
             FROM variant_mapping vm JOIN store st ON st.id = vm.store_id JOIN supplier s ON s.id = vm.supplier_id
             WHERE ?1 IS NULL OR vm.store_id = ?1
             ORDER BY st.name, vm.store_product_id, vm.store_variant_id",
        )?
        .query_map([store_id], |r| {
            Ok(crate::products::MappingView {
                sku: None,
                store_name: r.get(0)?,
                store_product_id: r.get(1)?,
                store_variant_id: r.get(2)?,
                supplier_name: r.get(3)?,
                variant_id: r.get(4)?,
                cost_minor: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let by_sku = conn
        .prepare_cached(
            "SELECT pm.sku, s.name, pm.variant_id, pm.cost_minor FROM product_mapping pm JOIN supplier s ON s.id = pm.supplier_id
             ORDER BY pm.sku",
        )?
        .query_map([], |r| {
            Ok(crate::products::MappingView {
                sku: r.get(0)?,
                store_name: None,
                store_product_id: None,
                store_variant_id: None,
                supplier_name: r.get(1)?,
                variant_id: r.get(2)?,
                cost_minor: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(by_variant.into_iter().chain(by_sku).collect())
}

/// Deletes the SKU's mapping; false when there was none.
pub fn delete_sku_mapping(conn: &Connection, sku: &str) -> Result<bool> {
    Ok(conn.prepare_cached("DELETE FROM product_mapping WHERE sku = ?1")?.execute([sku])? > 0)
}

/// Deletes a store variant's mapping; false when there was none.
pub fn delete_variant_mapping(conn: &Connection, store_id: i64, product: &str, variant: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "DELETE FROM variant_mapping WHERE store_id = ?1 AND store_product_id = ?2 AND store_variant_id = ?3",
        )?
        .execute(params![store_id, product, variant])?
        > 0)
}
