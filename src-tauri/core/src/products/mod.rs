//! Products: which supplier variant ships each store product (today by SKU), and finding the
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

/// The variants each connected supplier sells under `sku` (CJ `product/variant/query`), for
/// mapping a store SKU: "Find at suppliers" on an order held for an unmapped SKU.
/// Errors: an empty SKU, a supplier that cannot be reached or rejects the credentials.
pub async fn find_supplier_variants(ctx: &Ctx, sku: &str) -> Result<Vec<FoundVariant>> {
    let sku = sku.trim();
    if sku.is_empty() {
        return Err(CoreError::InvalidInput("type a SKU to look up".into()));
    }
    let mut found = Vec::new();
    for supplier in ctx.db.read(crate::orders::views::list_suppliers)? {
        let variants = ctx.observe(ctx.supplier_client(supplier.id)?.variants_by_sku(sku).await)?;
        found.extend(variants.into_iter().map(|variant| FoundVariant {
            supplier_id: supplier.id,
            supplier_name: supplier.name.clone(),
            variant,
        }));
    }
    Ok(found)
}
