//! Supplier connectors: where sub-orders are sent, paid, and shipped from.

pub mod cj;

pub use cj::CjClient;

use rusqlite::params;

use crate::context::Ctx;
use crate::error::{CoreError, Result};
use crate::orders::views::{self, SupplierView};

/// Whether a supplier platform (`supplier.kind`) documents an API to charge a card on file.
/// CJdropshipping documents none (it takes cards on its own payment page, see
/// [`CjClient::tokenize_card`]), and it is the only platform Dropdock connects to today; a
/// platform that documents one answers true here.
pub fn accepts_cards(kind: &str) -> bool {
    // CJdropshipping ("cj"): cards only on its own payment page. No other platform is connected
    // yet; one that documents a card API is named here.
    const WITH_CARD_API: &[&str] = &[];
    WITH_CARD_API.contains(&kind)
}

pub fn suppliers(ctx: &Ctx) -> Result<Vec<SupplierView>> {
    ctx.db.read(views::list_suppliers)
}

/// Finds a supplier by name (case-insensitive).
pub fn supplier_by_name(ctx: &Ctx, name: &str) -> Result<SupplierView> {
    suppliers(ctx)?
        .into_iter()
        .find(|s| s.name.eq_ignore_ascii_case(name.trim()))
        .ok_or_else(|| CoreError::NotFound(format!("no supplier named '{name}'")))
}

/// Sets a supplier account's API rate limit, requests per second (1 to 1000; CJ's free level
/// allows 1). Takes effect on the next call.
pub fn set_supplier_rate_limit(ctx: &Ctx, supplier_id: i64, requests_per_second: u32) -> Result<()> {
    if !(1..=1000).contains(&requests_per_second) {
        return Err(CoreError::InvalidInput("the rate limit is 1 to 1000 requests per second".into()));
    }
    let changed = ctx.db.write(|tx| {
        Ok(tx.execute(
            "UPDATE supplier SET requests_per_second = ?2 WHERE id = ?1",
            params![supplier_id, requests_per_second],
        )?)
    })?;
    if changed == 0 {
        return Err(CoreError::NotFound(format!("supplier {supplier_id} not found")));
    }
    ctx.suppliers.lock().expect("suppliers lock").remove(&supplier_id);
    Ok(())
}
