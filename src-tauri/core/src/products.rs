//! Products: which supplier variant ships each store product (today by SKU), and finding the
//! variants a supplier sells under a SKU ("Find at suppliers" on an unmapped line item).

use rusqlite::params;

use crate::context::Ctx;
use crate::error::{CoreError, Result};

/// A supplier variant found for a SKU, and whose it is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct FoundVariant {
    #[ts(type = "number")]
    pub supplier_id: i64,
    pub supplier_name: String,
    pub variant: crate::suppliers::cj::SupplierVariant,
}

/// Maps a store SKU to a supplier variant and its cost (US cents).
pub fn map_sku(ctx: &Ctx, sku: &str, supplier_id: i64, variant_id: &str, cost_minor: i64) -> Result<()> {
    if sku.trim().is_empty() || variant_id.trim().is_empty() {
        return Err(CoreError::InvalidInput("SKU and variant id must not be empty".into()));
    }
    ctx.db.write(|tx| {
        tx.execute(
            "INSERT INTO product_mapping (sku, supplier_id, variant_id, cost_minor, currency) VALUES (?1, ?2, ?3, ?4, 'USD')
             ON CONFLICT(sku) DO UPDATE SET supplier_id=excluded.supplier_id, variant_id=excluded.variant_id, cost_minor=excluded.cost_minor",
            params![sku.trim(), supplier_id, variant_id.trim(), cost_minor],
        )?;
        // Orders held for this SKU may be free to go now.
        let orders: Vec<i64> = tx
            .prepare("SELECT DISTINCT order_id FROM line_item WHERE sku = ?1")?
            .query_map([sku.trim()], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for order_id in orders {
            crate::sync::refresh_order_status(tx, order_id)?;
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
    for supplier in ctx.db.read(crate::views::list_suppliers)? {
        let variants = ctx.observe(ctx.supplier_client(supplier.id)?.variants_by_sku(sku).await)?;
        found.extend(variants.into_iter().map(|variant| FoundVariant {
            supplier_id: supplier.id,
            supplier_name: supplier.name.clone(),
            variant,
        }));
    }
    Ok(found)
}
