//! Products: which supplier variant ships each store product (by the store's own product and
//! variant ids, else by SKU), the list of those mappings and their removal, and finding the
//! variants a supplier sells under a SKU ("Find at suppliers" on an unmapped line item).

pub mod queries;

use crate::context::Ctx;
use crate::error::{CoreError, Result};

/// A supplier variant found for a SKU, and whose it is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct FoundVariant {
    #[ts(type = "number")]
    pub supplier_id: i64,
    pub supplier_name: String,
    pub variant: crate::suppliers::SupplierVariant,
}

/// One mapping, by SKU or by store variant: what ships it and what it costs there.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MappingView {
    /// `Some` for a mapping by SKU.
    pub sku: Option<String>,
    /// The store, product id and variant id ('' for none) of a mapping by store variant.
    pub store_name: Option<String>,
    pub store_product_id: Option<String>,
    pub store_variant_id: Option<String>,
    pub supplier_name: String,
    pub variant_id: String,
    /// Per unit, US cents.
    pub cost_minor: i64,
}

/// Every mapping: by store variant first (by store, product, variant), then by SKU; `store_id`
/// keeps one store's variant mappings (and every SKU mapping, which is any store's).
pub fn mappings(ctx: &Ctx, store_id: Option<i64>) -> Result<Vec<MappingView>> {
    ctx.db.read(|c| queries::mappings(c, store_id))
}

/// Removes the mapping of `sku`; its orders are planned again (an "unmapped" hold comes back
/// where nothing else maps them). Errors: no such mapping.
pub fn remove_sku_mapping(ctx: &Ctx, sku: &str) -> Result<()> {
    let sku = sku.trim();
    ctx.db.write(|tx| {
        if !queries::delete_sku_mapping(tx, sku)? {
            return Err(CoreError::NotFound(format!("no mapping for SKU {sku}")));
        }
        for order_id in queries::orders_with_sku(tx, sku)? {
            crate::stores::sync::refresh_order_status(tx, order_id)?;
        }
        Ok(())
    })
}

/// Removes the mapping of a store variant (`store_variant` `None`: a product without
/// variants); its orders fall back to their SKU's mapping or are held. Errors: no such mapping.
pub fn remove_variant_mapping(
    ctx: &Ctx,
    store_id: i64,
    store_product: &str,
    store_variant: Option<&str>,
) -> Result<()> {
    let (product, variant) = (store_product.trim(), store_variant.map(str::trim).unwrap_or_default());
    ctx.db.write(|tx| {
        if !queries::delete_variant_mapping(tx, store_id, product, variant)? {
            return Err(CoreError::NotFound(format!("no mapping for product {product} in that store")));
        }
        for order_id in queries::orders_with_variant(tx, store_id, product, variant)? {
            crate::stores::sync::refresh_order_status(tx, order_id)?;
        }
        Ok(())
    })
}

/// Maps a store SKU to a supplier variant and its cost (US cents).
pub fn map_sku(ctx: &Ctx, sku: &str, supplier_id: i64, variant_id: &str, cost_minor: i64) -> Result<()> {
    if sku.trim().is_empty() || variant_id.trim().is_empty() {
        return Err(CoreError::InvalidInput("SKU and variant id must not be empty".into()));
    }
    ctx.db.write(|tx| {
        queries::upsert_mapping(tx, sku.trim(), supplier_id, variant_id.trim(), cost_minor)?;
        // Orders held for this SKU may be free to go now.
        for order_id in queries::orders_with_sku(tx, sku.trim())? {
            crate::stores::sync::refresh_order_status(tx, order_id)?;
        }
        Ok(())
    })
}

/// Maps a store variant, by the store's own ids, to the supplier variant that ships it and its
/// cost there (minor units, USD), replacing an earlier mapping of that variant; `store_variant`
/// `None` (or empty) is a product without variants (WooCommerce `variation_id` 0). A variant
/// mapping wins over a SKU mapping, so a line item without a SKU can be fulfilled. The orders
/// with that variant are planned again at once (an "unmapped" hold clears). Errors: an empty or
/// over-long id, a negative cost, an unknown store or supplier.
pub fn map_variant(
    ctx: &Ctx,
    store_id: i64,
    store_product: &str,
    store_variant: Option<&str>,
    supplier_id: i64,
    variant_id: &str,
    cost_minor: i64,
) -> Result<()> {
    let product = store_product.trim();
    let variant = store_variant.map(str::trim).unwrap_or_default();
    let supplier_variant = variant_id.trim();
    if product.is_empty() || supplier_variant.is_empty() {
        return Err(CoreError::InvalidInput(
            "the store product id and the supplier variant id must not be empty".into(),
        ));
    }
    if product.len() > 64 || variant.len() > 64 || supplier_variant.len() > 200 {
        return Err(CoreError::InvalidInput("an id is longer than any store or supplier gives".into()));
    }
    if cost_minor < 0 {
        return Err(CoreError::InvalidInput("a cost cannot be negative".into()));
    }
    crate::stores::integrations::store(ctx, store_id)?;
    crate::suppliers::supplier(ctx, supplier_id)?;
    ctx.db.write(|tx| {
        queries::upsert_variant_mapping(tx, store_id, product, variant, supplier_id, supplier_variant, cost_minor)?;
        for order_id in queries::orders_with_variant(tx, store_id, product, variant)? {
            crate::stores::sync::refresh_order_status(tx, order_id)?;
        }
        Ok(())
    })
}

/// [`map_variant`] for the store of order `order_id` (the order drawer maps a line item of the
/// order it shows). Errors: as [`map_variant`], and an unknown order.
pub fn map_variant_of_order(
    ctx: &Ctx,
    order_id: i64,
    store_product: &str,
    store_variant: Option<&str>,
    supplier_id: i64,
    variant_id: &str,
    cost_minor: i64,
) -> Result<()> {
    let store_id = ctx
        .db
        .read(|c| queries::store_of_order(c, order_id))?
        .ok_or_else(|| CoreError::NotFound(format!("order {order_id} not found")))?;
    map_variant(ctx, store_id, store_product, store_variant, supplier_id, variant_id, cost_minor)
}

/// The variants each connected supplier sells under `sku` (CJ `product/variant/query`), for
/// mapping a store SKU: "Find at suppliers" on an order held for an unmapped SKU.
/// Errors: an empty SKU, a supplier that cannot be reached or rejects the credentials.
pub async fn find_supplier_variants(ctx: &Ctx, sku: &str) -> Result<Vec<FoundVariant>> {
    let sku = sku.trim();
    if sku.is_empty() {
        return Err(CoreError::InvalidInput("type a SKU to look up".into()));
    }
    let mut found = Vec::new();
    for supplier in ctx.db.read(crate::orders::views::list_suppliers)?.into_iter().filter(|s| !s.disconnected) {
        let variants = ctx.observe(ctx.supplier_client(supplier.id)?.variants_by_sku(sku).await)?;
        found.extend(variants.into_iter().map(|variant| FoundVariant {
            supplier_id: supplier.id,
            supplier_name: supplier.name.clone(),
            variant,
        }));
    }
    Ok(found)
}
