//! The products area's SQL: the store variant → supplier variant mapping (and the SKU one
//! before it), and the line items a mapping frees.

use rusqlite::{params, Connection};

use crate::error::Result;

/// Joins the supplier variant that ships line item `li` of order `o` (both in the FROM clause):
/// the mapping of its store variant for the order's destination country (`vc`) when there is
/// one, else the mapping of its store variant (`vm`, by store, product id and variant id), else
/// the mapping of its SKU (`sm`). Read it through [`MAPPED_SUPPLIER`], [`MAPPED_VARIANT`] and
/// [`MAPPED_COST`]; every lookup is on a primary key.
pub const MAPPING_JOINS: &str = "LEFT JOIN address mapping_to ON mapping_to.order_id = o.id
     LEFT JOIN variant_mapping_country vc ON vc.store_id = o.store_id
        AND vc.store_product_id = li.store_product_id AND vc.store_variant_id = IFNULL(li.store_variant_id, '')
        AND vc.country_code = mapping_to.country_code
     LEFT JOIN variant_mapping vm ON vm.store_id = o.store_id
        AND vm.store_product_id = li.store_product_id AND vm.store_variant_id = IFNULL(li.store_variant_id, '')
        AND vc.supplier_id IS NULL
     LEFT JOIN product_mapping sm ON sm.sku = li.sku AND vm.supplier_id IS NULL AND vc.supplier_id IS NULL";
/// The mapped supplier's id (NULL: unmapped), under [`MAPPING_JOINS`].
pub const MAPPED_SUPPLIER: &str = "COALESCE(vc.supplier_id, vm.supplier_id, sm.supplier_id)";
/// The mapped supplier variant's id, under [`MAPPING_JOINS`].
pub const MAPPED_VARIANT: &str = "COALESCE(vc.variant_id, vm.variant_id, sm.variant_id)";
/// The mapped cost per unit, minor units, under [`MAPPING_JOINS`].
pub const MAPPED_COST: &str = "COALESCE(vc.cost_minor, vm.cost_minor, sm.cost_minor)";

/// Sets the supplier variant and cost (minor units, USD) that ship a store variant (`variant`:
/// '' for none) to `country` (ISO 3166-1 alpha-2, upper case), replacing any earlier.
#[allow(clippy::too_many_arguments)]
pub fn upsert_country_mapping(
    conn: &Connection,
    store_id: i64,
    product: &str,
    variant: &str,
    country: &str,
    supplier_id: i64,
    variant_id: &str,
    cost_minor: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO variant_mapping_country (store_id, store_product_id, store_variant_id, country_code, supplier_id,
             variant_id, cost_minor, currency)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'USD')
         ON CONFLICT(store_id, store_product_id, store_variant_id, country_code) DO UPDATE SET
             supplier_id=excluded.supplier_id, variant_id=excluded.variant_id, cost_minor=excluded.cost_minor",
    )?
    .execute(params![store_id, product, variant, country, supplier_id, variant_id, cost_minor])?;
    Ok(())
}

/// Deletes a store variant's mapping for `country`; false when there was none.
pub fn delete_country_mapping(
    conn: &Connection,
    store_id: i64,
    product: &str,
    variant: &str,
    country: &str,
) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "DELETE FROM variant_mapping_country
             WHERE store_id = ?1 AND store_product_id = ?2 AND store_variant_id = ?3 AND country_code = ?4",
        )?
        .execute(params![store_id, product, variant, country])?
        > 0)
}

/// A store variant's mappings by country, by country code.
pub fn country_mappings(
    conn: &Connection,
    store_id: i64,
    product: &str,
    variant: &str,
) -> Result<Vec<crate::products::CountryMapping>> {
    Ok(conn
        .prepare_cached(
            "SELECT vc.country_code, vc.supplier_id, s.name, vc.variant_id, vc.cost_minor
             FROM variant_mapping_country vc JOIN supplier s ON s.id = vc.supplier_id
             WHERE vc.store_id = ?1 AND vc.store_product_id = ?2 AND vc.store_variant_id = ?3
             ORDER BY vc.country_code",
        )?
        .query_map(params![store_id, product, variant], |r| {
            Ok(crate::products::CountryMapping {
                country: r.get(0)?,
                supplier_id: r.get(1)?,
                supplier_name: r.get(2)?,
                variant_id: r.get(3)?,
                cost_minor: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Makes one supplier variant, one unit, at `cost_minor` (US cents) the primary option of a
/// store variant (`variant`: '' for a product without variants), replacing the primary's parts
/// (backups stay).
pub fn upsert_variant_mapping(
    conn: &Connection,
    store_id: i64,
    product: &str,
    variant: &str,
    supplier_id: i64,
    variant_id: &str,
    cost_minor: i64,
) -> Result<()> {
    let key = VariantKey { store_id, product, variant };
    delete_parts(conn, &key, Some(1), None)?;
    upsert_part(conn, &key, &NewPart { priority: 1, supplier_id, variant_id, quantity: 1, cost_minor })?;
    refresh_summary(conn, &key)
}

/// A store variant, by the store's ids (`variant` '' for a product without variants).
#[derive(Debug, Clone, Copy)]
pub struct VariantKey<'a> {
    pub store_id: i64,
    pub product: &'a str,
    pub variant: &'a str,
}

/// One supplier variant of a mapping option, as written.
pub struct NewPart<'a> {
    /// 1 the primary, 2.. backups.
    pub priority: i64,
    pub supplier_id: i64,
    pub variant_id: &'a str,
    /// Supplier units per store unit.
    pub quantity: i64,
    /// Per supplier unit, US cents.
    pub cost_minor: i64,
}

/// Adds a part to an option, or sets the quantity and cost of the one already there.
pub fn upsert_part(conn: &Connection, key: &VariantKey, part: &NewPart) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO variant_mapping_part (store_id, store_product_id, store_variant_id, priority, supplier_id,
             variant_id, quantity, cost_minor, currency)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'USD')
         ON CONFLICT(store_id, store_product_id, store_variant_id, priority, variant_id) DO UPDATE SET
             supplier_id = excluded.supplier_id, quantity = excluded.quantity, cost_minor = excluded.cost_minor",
    )?
    .execute(params![
        key.store_id,
        key.product,
        key.variant,
        part.priority,
        part.supplier_id,
        part.variant_id,
        part.quantity,
        part.cost_minor
    ])?;
    Ok(())
}

/// Deletes a store variant's parts: every one, one option's (`priority`), or one supplier
/// variant of it (`variant_id`); the number deleted.
pub fn delete_parts(
    conn: &Connection,
    key: &VariantKey,
    priority: Option<i64>,
    variant_id: Option<&str>,
) -> Result<usize> {
    Ok(conn
        .prepare_cached(
            "DELETE FROM variant_mapping_part
             WHERE store_id = ?1 AND store_product_id = ?2 AND store_variant_id = ?3
               AND (?4 IS NULL OR priority = ?4) AND (?5 IS NULL OR variant_id = ?5)",
        )?
        .execute(params![key.store_id, key.product, key.variant, priority, variant_id])?)
}

/// The supplier of an option's parts (they are all at one), if it has any.
pub fn option_supplier(conn: &Connection, key: &VariantKey, priority: i64) -> Result<Option<i64>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached(
            "SELECT supplier_id FROM variant_mapping_part
             WHERE store_id = ?1 AND store_product_id = ?2 AND store_variant_id = ?3 AND priority = ?4 LIMIT 1",
        )?
        .query_row(params![key.store_id, key.product, key.variant, priority], |r| r.get(0))
        .optional()?)
}

/// Rewrites the store variant's `variant_mapping` row from its parts: the first option present
/// in brief (its supplier, its first supplier variant, what one store unit costs under it), the
/// merchant's cost limit kept; no parts left, no row.
pub fn refresh_summary(conn: &Connection, key: &VariantKey) -> Result<()> {
    use rusqlite::OptionalExtension;
    let head: Option<(i64, String, i64)> = conn
        .prepare_cached(
            "SELECT supplier_id, variant_id,
                    (SELECT SUM(q.quantity * q.cost_minor) FROM variant_mapping_part q
                     WHERE q.store_id = p.store_id AND q.store_product_id = p.store_product_id
                       AND q.store_variant_id = p.store_variant_id AND q.priority = p.priority)
             FROM variant_mapping_part p
             WHERE store_id = ?1 AND store_product_id = ?2 AND store_variant_id = ?3
             ORDER BY priority, rowid LIMIT 1",
        )?
        .query_row(params![key.store_id, key.product, key.variant], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    match head {
        None => {
            conn.prepare_cached(
                "DELETE FROM variant_mapping WHERE store_id = ?1 AND store_product_id = ?2 AND store_variant_id = ?3",
            )?
            .execute(params![key.store_id, key.product, key.variant])?;
        }
        Some((supplier_id, variant_id, unit_cost)) => {
            conn.prepare_cached(
                "INSERT INTO variant_mapping (store_id, store_product_id, store_variant_id, supplier_id, variant_id, cost_minor, currency)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'USD')
                 ON CONFLICT(store_id, store_product_id, store_variant_id) DO UPDATE SET
                     supplier_id = excluded.supplier_id, variant_id = excluded.variant_id, cost_minor = excluded.cost_minor",
            )?
            .execute(params![key.store_id, key.product, key.variant, supplier_id, variant_id, unit_cost])?;
        }
    }
    Ok(())
}

/// Sets (or clears, `None`) the merchant's limit on what one store unit may cost under an
/// option (US cents); false when the variant has no mapping.
pub fn set_cost_limit(conn: &Connection, key: &VariantKey, limit_minor: Option<i64>) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE variant_mapping SET cost_limit_minor = ?4
             WHERE store_id = ?1 AND store_product_id = ?2 AND store_variant_id = ?3",
        )?
        .execute(params![key.store_id, key.product, key.variant, limit_minor])?
        > 0)
}

/// A store variant's mapping options, by priority, each with its parts in the order added, and
/// the merchant's cost limit.
pub fn mapping_options(
    conn: &Connection,
    key: &VariantKey,
) -> Result<(Vec<crate::products::MappingOption>, Option<i64>)> {
    let mut options: Vec<crate::products::MappingOption> = Vec::new();
    let rows = conn
        .prepare_cached(
            "SELECT p.priority, p.supplier_id, s.name, p.variant_id, p.quantity, p.cost_minor
             FROM variant_mapping_part p JOIN supplier s ON s.id = p.supplier_id
             WHERE p.store_id = ?1 AND p.store_product_id = ?2 AND p.store_variant_id = ?3
             ORDER BY p.priority, p.rowid",
        )?
        .query_map(params![key.store_id, key.product, key.variant], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                crate::products::MappingPart { variant_id: r.get(3)?, quantity: r.get(4)?, cost_minor: r.get(5)? },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (priority, supplier_id, supplier_name, part) in rows {
        match options.last_mut().filter(|o| o.priority == priority) {
            Some(option) => option.parts.push(part),
            None => {
                options.push(crate::products::MappingOption { priority, supplier_id, supplier_name, parts: vec![part] })
            }
        }
    }
    use rusqlite::OptionalExtension;
    let limit = conn
        .prepare_cached(
            "SELECT cost_limit_minor FROM variant_mapping WHERE store_id = ?1 AND store_product_id = ?2 AND store_variant_id = ?3",
        )?
        .query_row(params![key.store_id, key.product, key.variant], |r| r.get::<_, Option<i64>>(0))
        .optional()?
        .flatten();
    Ok((options, limit))
}

/// The mapping option the store variant's last sub-order used (1 the primary), if any was sent.
pub fn last_priority_used(conn: &Connection, key: &VariantKey) -> Result<Option<i64>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached(
            "SELECT soi.priority FROM supplier_order_item soi JOIN line_item li ON li.id = soi.line_item_id
             JOIN orders o ON o.id = li.order_id
             WHERE o.store_id = ?1 AND li.store_product_id = ?2 AND IFNULL(li.store_variant_id, '') = ?3
             ORDER BY soi.supplier_order_id DESC LIMIT 1",
        )?
        .query_row(params![key.store_id, key.product, key.variant], |r| r.get(0))
        .optional()?)
}

/// Sets a supplier variant's cost (US cents per unit) in every mapping that names it (by store
/// variant, by country, by SKU), and rewrites the summaries of the store variants it touches.
pub fn reprice_supplier_variant(conn: &Connection, supplier_id: i64, variant_id: &str, cost_minor: i64) -> Result<()> {
    let params = params![supplier_id, variant_id, cost_minor];
    conn.prepare_cached("UPDATE variant_mapping_part SET cost_minor = ?3 WHERE supplier_id = ?1 AND variant_id = ?2")?
        .execute(params)?;
    conn.prepare_cached(
        "UPDATE variant_mapping_country SET cost_minor = ?3 WHERE supplier_id = ?1 AND variant_id = ?2",
    )?
    .execute(params)?;
    conn.prepare_cached("UPDATE product_mapping SET cost_minor = ?3 WHERE supplier_id = ?1 AND variant_id = ?2")?
        .execute(params)?;
    let keys: Vec<(i64, String, String)> = conn
        .prepare_cached(
            "SELECT DISTINCT store_id, store_product_id, store_variant_id FROM variant_mapping_part
             WHERE supplier_id = ?1 AND variant_id = ?2",
        )?
        .query_map(params![supplier_id, variant_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (store_id, product, variant) in &keys {
        refresh_summary(conn, &VariantKey { store_id: *store_id, product, variant })?;
    }
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
    // By store variant (every destination), then by country, in one pass over both tables.
    let by_variant = conn
        .prepare_cached(
            "SELECT st.name, m.store_product_id, m.store_variant_id, m.country, s.name, m.variant_id, m.cost_minor,
                    m.quantity, m.priority
             FROM (SELECT store_id, store_product_id, store_variant_id, NULL AS country, supplier_id, variant_id, cost_minor,
                          quantity, priority, rowid AS seq
                   FROM variant_mapping_part
                   UNION ALL
                   SELECT store_id, store_product_id, store_variant_id, country_code, supplier_id, variant_id, cost_minor,
                          1, 1, 0
                   FROM variant_mapping_country) m
             JOIN store st ON st.id = m.store_id JOIN supplier s ON s.id = m.supplier_id
             WHERE ?1 IS NULL OR m.store_id = ?1
             ORDER BY m.country IS NOT NULL, st.name, m.store_product_id, m.store_variant_id, m.country, m.priority, m.seq",
        )?
        .query_map([store_id], |r| {
            Ok(crate::products::MappingView {
                sku: None,
                store_name: r.get(0)?,
                store_product_id: r.get(1)?,
                store_variant_id: r.get(2)?,
                country: r.get(3)?,
                supplier_name: r.get(4)?,
                variant_id: r.get(5)?,
                cost_minor: r.get(6)?,
                quantity: r.get(7)?,
                priority: r.get(8)?,
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
                country: None,
                supplier_name: r.get(1)?,
                variant_id: r.get(2)?,
                cost_minor: r.get(3)?,
                quantity: 1,
                priority: 1,
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
    delete_parts(conn, &VariantKey { store_id, product, variant }, None, None)?;
    Ok(conn
        .prepare_cached(
            "DELETE FROM variant_mapping WHERE store_id = ?1 AND store_product_id = ?2 AND store_variant_id = ?3",
        )?
        .execute(params![store_id, product, variant])?
        > 0)
}

/// Opens a catalogue run (`running`) and returns its id.
pub fn start_catalogue_run(conn: &Connection, store_id: i64, now: chrono::DateTime<chrono::Utc>) -> Result<i64> {
    conn.prepare_cached("INSERT INTO catalogue_run (store_id, started_at, status) VALUES (?1, ?2, 'running')")?
        .execute(params![store_id, now])?;
    Ok(conn.last_insert_rowid())
}

/// Records a catalogue run's end: `counts` are products, variants, removed, failures.
pub fn finish_catalogue_run(
    conn: &Connection,
    run_id: i64,
    finished_at: chrono::DateTime<chrono::Utc>,
    counts: [u32; 4],
    status: &str,
    error: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE catalogue_run SET finished_at=?2, products=?3, variants=?4, removed=?5, failures=?6, status=?7, error=?8
         WHERE id=?1",
    )?
    .execute(params![run_id, finished_at, counts[0], counts[1], counts[2], counts[3], status, error])?;
    Ok(())
}

/// Stores every variant of `product` as the catalogue lists it, stamped `stamp` (the run's).
pub fn upsert_catalogue_product(
    conn: &Connection,
    store_id: i64,
    product: &crate::stores::CatalogueProduct,
    stamp: &str,
) -> Result<()> {
    let mut upsert = conn.prepare_cached(
        "INSERT INTO store_variant (store_id, product_id, variant_id, product_title, variant_title, sku, price_minor,
             currency, image_url, status, source, synced_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'catalogue', ?11)
         ON CONFLICT(store_id, product_id, variant_id) DO UPDATE SET
             product_title=excluded.product_title, variant_title=excluded.variant_title, sku=excluded.sku,
             price_minor=excluded.price_minor, currency=excluded.currency, image_url=excluded.image_url,
             status=excluded.status, source='catalogue', synced_at=excluded.synced_at",
    )?;
    for v in &product.variants {
        let image = v.image_url.as_ref().or(product.image_url.as_ref());
        upsert.execute(params![
            store_id,
            product.product_id,
            v.variant_id,
            product.title,
            v.title,
            v.sku,
            v.price_minor.filter(|_| product.currency.is_some()),
            product.currency,
            image,
            product.status.as_str(),
            stamp
        ])?;
    }
    Ok(())
}

/// Lists, as the store's products, what its orders' line items name (each store product and
/// variant once, titled and priced by its latest order); a variant the catalogue listed is left
/// as the catalogue has it. Returns the products and variants so listed.
pub fn catalogue_from_order_lines(conn: &Connection, store_id: i64, stamp: &str) -> Result<(u32, u32)> {
    conn.prepare_cached(
        "INSERT INTO store_variant (store_id, product_id, variant_id, product_title, variant_title, sku, price_minor,
             currency, image_url, status, source, synced_at)
         SELECT ?1, product_id, variant_id, title, '', sku, unit_price_minor, currency, NULL, 'active', 'order_lines', ?2
         FROM (SELECT li.store_product_id AS product_id, IFNULL(li.store_variant_id, '') AS variant_id, li.title,
                      li.sku, li.unit_price_minor, o.currency, max(o.id)
               FROM line_item li JOIN orders o ON o.id = li.order_id
               WHERE o.store_id = ?1 AND length(li.store_product_id) BETWEEN 1 AND 64
                 AND length(IFNULL(li.store_variant_id, '')) <= 64 AND li.unit_price_minor >= 0
               GROUP BY li.store_product_id, IFNULL(li.store_variant_id, ''))
         WHERE true
         ON CONFLICT(store_id, product_id, variant_id) DO UPDATE SET
             product_title=excluded.product_title, sku=excluded.sku, price_minor=excluded.price_minor,
             currency=excluded.currency, status='active', synced_at=excluded.synced_at
         WHERE store_variant.source = 'order_lines'",
    )?
    .execute(params![store_id, stamp])?;
    Ok(conn
        .prepare_cached(
            "SELECT count(DISTINCT product_id), count(*) FROM store_variant
             WHERE store_id = ?1 AND source = 'order_lines' AND synced_at = ?2",
        )?
        .query_row(params![store_id, stamp], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// After a complete run: what `source` listed before but this run (`stamp`) did not see is
/// `removed`. Returns how many.
pub fn mark_unseen_removed(conn: &Connection, store_id: i64, source: &str, stamp: &str) -> Result<u32> {
    Ok(conn
        .prepare_cached(
            "UPDATE store_variant SET status = 'removed'
             WHERE store_id = ?1 AND source = ?2 AND synced_at <> ?3 AND status <> 'removed'",
        )?
        .execute(params![store_id, source, stamp])? as u32)
}

/// The store variant columns, its mapping (`vm` by variant, else `sm` by SKU) and the paid
/// orders held for an unmapped line of it, as [`crate::products::VariantRow`] reads them.
const VARIANT_ROWS: &str = "FROM store_variant sv JOIN store st ON st.id = sv.store_id
     LEFT JOIN variant_mapping vm ON vm.store_id = sv.store_id AND vm.store_product_id = sv.product_id
         AND vm.store_variant_id = sv.variant_id
     LEFT JOIN product_mapping sm ON sm.sku = sv.sku AND vm.supplier_id IS NULL
     LEFT JOIN supplier s ON s.id = COALESCE(vm.supplier_id, sm.supplier_id)
     WHERE (?1 IS NULL OR sv.store_id = ?1)
       AND (?3 IS NULL OR sv.product_title LIKE ?3 ESCAPE '\\' OR sv.variant_title LIKE ?3 ESCAPE '\\'
            OR sv.sku LIKE ?3 ESCAPE '\\' OR sv.product_id = ?4 OR sv.variant_id = ?4)";

/// What a row's mapping is, in SQL over [`VARIANT_ROWS`]: 'variant', 'sku' or 'none'.
const MAPPING_OF_ROW: &str =
    "CASE WHEN vm.supplier_id IS NOT NULL THEN 'variant' WHEN sm.supplier_id IS NOT NULL THEN 'sku' ELSE 'none' END";

/// The paid orders held as unmapped by a line of the row's variant (a line to ship that neither
/// its variant's nor its own SKU's mapping covers), over [`VARIANT_ROWS`].
const WAITING_OF_ROW: &str = "(SELECT count(DISTINCT li.order_id) FROM line_item li JOIN orders o ON o.id = li.order_id
      WHERE li.store_product_id = sv.product_id AND IFNULL(li.store_variant_id, '') = sv.variant_id
        AND o.store_id = sv.store_id AND o.hold_kind = 'unmapped_sku' AND li.requires_shipping = 1 AND li.quantity > 0
        AND vm.supplier_id IS NULL
        AND NOT EXISTS (SELECT 1 FROM product_mapping p WHERE p.sku = li.sku))";

/// The page of store variants `query` asks for (see [`crate::products::list_products`]). A row
/// needs mapping when nothing maps it (and the store still lists it), or when paid orders wait
/// on it: a variant mapped through its SKU whose orders' lines carry no SKU is one.
pub fn variant_rows(conn: &Connection, query: &crate::products::ProductQuery) -> Result<crate::products::ProductList> {
    use crate::products::{MappingKind, ProductCounts, ProductList, ProductTab, VariantRow};
    let search = query.search.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let pattern = search.map(|s| format!("%{}%", s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")));
    let tab = match query.tab {
        ProductTab::All => "all",
        ProductTab::Unmapped => "unmapped",
        ProductTab::Mapped => "mapped",
    };
    let inner = format!(
        "SELECT sv.store_id, st.name, sv.product_id, sv.variant_id, sv.product_title, sv.variant_title, sv.sku,
                sv.price_minor, sv.currency, sv.image_url, sv.status, {MAPPING_OF_ROW} AS mapping, s.name,
                COALESCE(vm.variant_id, sm.variant_id), COALESCE(vm.cost_minor, sm.cost_minor), {WAITING_OF_ROW} AS waiting
         {VARIANT_ROWS}"
    );
    let needs = "((mapping = 'none' AND status <> 'removed') OR waiting > 0)";
    let sql = format!(
        "SELECT * FROM ({inner})
         WHERE ?2 = 'all' OR (?2 = 'unmapped') = {needs}
         ORDER BY {needs} DESC, waiting DESC, product_title, product_id, variant_id
         LIMIT ?5 OFFSET ?6"
    );
    let limit = query.limit.clamp(1, 500);
    let rows = conn
        .prepare_cached(&sql)?
        .query_map(params![query.store_id, tab, pattern, search, limit, query.offset.max(0)], |r| {
            let mapping: String = r.get(11)?;
            let status: String = r.get(10)?;
            Ok(VariantRow {
                store_id: r.get(0)?,
                store_name: r.get(1)?,
                product_id: r.get(2)?,
                variant_id: r.get(3)?,
                product_title: r.get(4)?,
                variant_title: r.get(5)?,
                sku: r.get(6)?,
                price_minor: r.get(7)?,
                currency: r.get(8)?,
                image_url: r.get(9)?,
                status: crate::stores::ProductStatus::parse(&status),
                mapping: match mapping.as_str() {
                    "variant" => MappingKind::Variant,
                    "sku" => MappingKind::Sku,
                    _ => MappingKind::None,
                },
                supplier_name: r.get(12)?,
                supplier_variant_id: r.get(13)?,
                cost_minor: r.get(14)?,
                waiting_orders: r.get(15)?,
                countries: Vec::new(),
                options: Vec::new(),
                cost_limit_minor: None,
                backup_in_use: false,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut rows = rows;
    for row in &mut rows {
        row.countries = country_mappings(conn, row.store_id, &row.product_id, &row.variant_id)?;
        let key = VariantKey { store_id: row.store_id, product: &row.product_id, variant: &row.variant_id };
        (row.options, row.cost_limit_minor) = mapping_options(conn, &key)?;
        row.backup_in_use = last_priority_used(conn, &key)?.is_some_and(|p| p > 1);
    }
    let counts = conn
        .prepare_cached(&format!(
            "SELECT count(*), IFNULL(sum({needs}), 0), IFNULL(sum(NOT {needs} AND mapping <> 'none'), 0)
             FROM ({inner}) WHERE ?2 IS NOT NULL"
        ))?
        .query_row(params![query.store_id, tab, pattern, search], |r| {
            Ok(ProductCounts { all: r.get(0)?, unmapped: r.get(1)?, mapped: r.get(2)? })
        })?;
    Ok(ProductList { rows, counts })
}

/// The last catalogue run of each store (see [`crate::products::catalogue::last_runs`]).
pub fn last_catalogue_runs(conn: &Connection) -> Result<Vec<crate::products::catalogue::CatalogueRun>> {
    Ok(conn
        .prepare_cached(
            "SELECT r.store_id, st.name, r.started_at, r.finished_at, r.status, r.products, r.variants, r.removed,
                    r.failures, r.error
             FROM catalogue_run r JOIN store st ON st.id = r.store_id
             WHERE r.id IN (SELECT max(id) FROM catalogue_run GROUP BY store_id)
             ORDER BY st.name",
        )?
        .query_map([], |r| {
            Ok(crate::products::catalogue::CatalogueRun {
                store_id: r.get(0)?,
                store_name: r.get(1)?,
                started_at: r.get(2)?,
                finished_at: r.get(3)?,
                status: r.get(4)?,
                products: r.get(5)?,
                variants: r.get(6)?,
                removed: r.get(7)?,
                failures: r.get(8)?,
                error: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// The variants of `store_id` "Auto-map by SKU" may map (see [`crate::products::automap`]),
/// those with paid orders waiting first.
pub fn automap_candidates(conn: &Connection, store_id: i64) -> Result<Vec<crate::products::AutomapCandidate>> {
    Ok(conn
        .prepare_cached(
            "SELECT sv.store_id, sv.product_id, sv.variant_id, sv.product_title, sv.variant_title, sv.sku,
                    sm.supplier_id, s.name, sm.variant_id, sm.cost_minor
             FROM store_variant sv
             LEFT JOIN variant_mapping vm ON vm.store_id = sv.store_id AND vm.store_product_id = sv.product_id
                 AND vm.store_variant_id = sv.variant_id
             LEFT JOIN product_mapping sm ON sm.sku = sv.sku
             LEFT JOIN supplier s ON s.id = sm.supplier_id
             WHERE sv.store_id = ?1 AND vm.supplier_id IS NULL AND sv.status <> 'removed'
               AND sv.sku IS NOT NULL AND trim(sv.sku) <> ''
             ORDER BY (SELECT count(*) FROM line_item li JOIN orders o ON o.id = li.order_id
                       WHERE li.store_product_id = sv.product_id AND IFNULL(li.store_variant_id, '') = sv.variant_id
                         AND o.store_id = sv.store_id AND o.hold_kind = 'unmapped_sku') DESC,
                      sv.product_title, sv.product_id, sv.variant_id",
        )?
        .query_map([store_id], |r| {
            let supplier: Option<i64> = r.get(6)?;
            Ok(crate::products::AutomapCandidate {
                variant: crate::products::AutomapVariant {
                    store_id: r.get(0)?,
                    product_id: r.get(1)?,
                    variant_id: r.get(2)?,
                    product_title: r.get(3)?,
                    variant_title: r.get(4)?,
                    sku: r.get(5)?,
                },
                sku_mapping: match supplier {
                    Some(id) => Some((id, r.get(7)?, r.get(8)?, r.get(9)?)),
                    None => None,
                },
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}
