//! Products: the store catalogue ([`catalogue`]: each store's products and variants), which
//! supplier variant ships each store variant (by the store's own product and variant ids, else
//! by SKU), the list of those mappings and their removal, "Auto-map by SKU", and finding the
//! variants a supplier sells under a SKU ("Find at suppliers" on an unmapped line item).

pub mod catalogue;
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

/// Which tab of the Products page: every variant; those that need mapping (nothing maps them
/// and the store still lists them, or paid orders wait on them); the mapped rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ProductTab {
    #[default]
    All,
    Unmapped,
    Mapped,
}

/// What the Products page asks for: a store (or all), a tab, a search over product and variant
/// titles and SKUs (a substring, case-insensitive for ASCII) or an exact product or variant id,
/// and a page (`limit` 1 to 500).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ProductQuery {
    #[ts(type = "number | null")]
    pub store_id: Option<i64>,
    pub tab: ProductTab,
    pub search: Option<String>,
    #[ts(type = "number")]
    pub offset: i64,
    #[ts(type = "number")]
    pub limit: i64,
}

impl Default for ProductQuery {
    fn default() -> Self {
        ProductQuery { store_id: None, tab: ProductTab::All, search: None, offset: 0, limit: 100 }
    }
}

/// How a store variant is mapped: by its own ids, through its SKU's mapping, or not at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MappingKind {
    Variant,
    Sku,
    None,
}

/// One store variant on the Products page, with what ships it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct VariantRow {
    #[ts(type = "number")]
    pub store_id: i64,
    pub store_name: String,
    pub product_id: String,
    /// '' for a product without variants.
    pub variant_id: String,
    pub product_title: String,
    pub variant_title: String,
    pub sku: Option<String>,
    /// The store's price, minor units of `currency`.
    #[ts(type = "number | null")]
    pub price_minor: Option<i64>,
    pub currency: Option<String>,
    pub image_url: Option<String>,
    pub status: crate::stores::ProductStatus,
    pub mapping: MappingKind,
    pub supplier_name: Option<String>,
    pub supplier_variant_id: Option<String>,
    /// The supplier's cost per unit, US cents.
    #[ts(type = "number | null")]
    pub cost_minor: Option<i64>,
    /// Paid orders held because a line of theirs is unmapped, with a line of this variant.
    #[ts(type = "number")]
    pub waiting_orders: i64,
    /// Other supplier variants for some destination countries (they win for those countries).
    pub countries: Vec<CountryMapping>,
    /// The mapping by the variant's ids, option by option (primary first, then backups); empty
    /// when it has none.
    pub options: Vec<MappingOption>,
    /// The most one store unit may cost under an option (US cents); over it, the next option.
    #[ts(type = "number | null")]
    pub cost_limit_minor: Option<i64>,
    /// The variant's last sub-order went to a backup (the primary could not ship it).
    pub backup_in_use: bool,
}

/// One option of a store variant's mapping: a priority (1 the primary, 2.. backups, tried in
/// order), one supplier, and the supplier variants one store unit ships as (one part for a
/// basic mapping; several, or a quantity above 1, for a bundle or "2 for 1").
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct MappingOption {
    #[ts(type = "number")]
    pub priority: i64,
    #[ts(type = "number")]
    pub supplier_id: i64,
    pub supplier_name: String,
    pub parts: Vec<MappingPart>,
}

impl MappingOption {
    /// What one store unit costs under this option at the mapped costs, US cents.
    pub fn unit_cost_minor(&self) -> i64 {
        self.parts.iter().map(|p| p.quantity.saturating_mul(p.cost_minor)).fold(0, i64::saturating_add)
    }
}

/// One supplier variant of a [`MappingOption`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct MappingPart {
    /// The supplier's variant id (CJ `vid`).
    pub variant_id: String,
    /// Supplier units per store unit.
    #[ts(type = "number")]
    pub quantity: i64,
    /// Per supplier unit, US cents.
    #[ts(type = "number")]
    pub cost_minor: i64,
}

/// A store variant shipped by another supplier variant to one destination country.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct CountryMapping {
    /// ISO 3166-1 alpha-2.
    pub country: String,
    #[ts(type = "number")]
    pub supplier_id: i64,
    pub supplier_name: String,
    pub variant_id: String,
    /// US cents per unit.
    #[ts(type = "number")]
    pub cost_minor: i64,
}

/// Variants per tab (see [`ProductTab`]), under the same store and search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ProductCounts {
    #[ts(type = "number")]
    pub all: i64,
    #[ts(type = "number")]
    pub unmapped: i64,
    #[ts(type = "number")]
    pub mapped: i64,
}

/// A page of the Products page: variants that need mapping first, those with the most paid
/// orders waiting first among them, then by product title.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ProductList {
    pub rows: Vec<VariantRow>,
    pub counts: ProductCounts,
}

/// The store variants `query` asks for (see [`ProductList`]).
pub fn list_products(ctx: &Ctx, query: &ProductQuery) -> Result<ProductList> {
    ctx.db.read(|c| queries::variant_rows(c, query))
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
    /// `Some` for a mapping of a store variant for one destination country (ISO 3166-1 alpha-2).
    pub country: Option<String>,
    pub supplier_name: String,
    pub variant_id: String,
    /// Per unit, US cents.
    pub cost_minor: i64,
    /// Supplier units per store unit (above 1: "2 for 1"); 1 for SKU and country mappings.
    pub quantity: i64,
    /// The option it belongs to: 1 the primary, 2.. backups; 1 for SKU and country mappings.
    pub priority: i64,
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
    let (product, variant) = checked_ids(store_product, store_variant, variant_id, cost_minor)?;
    crate::stores::integrations::store(ctx, store_id)?;
    crate::suppliers::supplier(ctx, supplier_id)?;
    ctx.db.write(|tx| {
        queries::upsert_variant_mapping(tx, store_id, &product, &variant, supplier_id, variant_id.trim(), cost_minor)?;
        for order_id in queries::orders_with_variant(tx, store_id, &product, &variant)? {
            crate::stores::sync::refresh_order_status(tx, order_id)?;
        }
        Ok(())
    })
}

/// Maps a store variant, for orders to `country` (ISO 3166-1 alpha-2) only, to another supplier
/// variant and its cost (US cents): "by destination country". For those orders it wins over
/// the variant's own mapping and its SKU's; the orders with that variant are planned again.
/// Errors: as [`map_variant`], and a country code that is not an assigned one.
#[allow(clippy::too_many_arguments)]
pub fn map_variant_for_country(
    ctx: &Ctx,
    store_id: i64,
    store_product: &str,
    store_variant: Option<&str>,
    country: &str,
    supplier_id: i64,
    variant_id: &str,
    cost_minor: i64,
) -> Result<()> {
    let country = country.trim().to_ascii_uppercase();
    if !crate::countries::is_known_country(&country) {
        return Err(CoreError::InvalidInput(format!(
            "'{}' is not a two-letter ISO country code",
            crate::money::clip(&country)
        )));
    }
    let (product, variant) = checked_ids(store_product, store_variant, variant_id, cost_minor)?;
    crate::stores::integrations::store(ctx, store_id)?;
    crate::suppliers::supplier(ctx, supplier_id)?;
    ctx.db.write(|tx| {
        queries::upsert_country_mapping(
            tx,
            store_id,
            &product,
            &variant,
            &country,
            supplier_id,
            variant_id.trim(),
            cost_minor,
        )?;
        for order_id in queries::orders_with_variant(tx, store_id, &product, &variant)? {
            crate::stores::sync::refresh_order_status(tx, order_id)?;
        }
        Ok(())
    })
}

/// Removes a store variant's mapping for `country`; its orders there take the variant's own
/// mapping (or its SKU's) again. Errors: no such mapping.
pub fn remove_variant_country_mapping(
    ctx: &Ctx,
    store_id: i64,
    store_product: &str,
    store_variant: Option<&str>,
    country: &str,
) -> Result<()> {
    let (product, variant) = (store_product.trim(), store_variant.map(str::trim).unwrap_or_default());
    let country = country.trim().to_ascii_uppercase();
    ctx.db.write(|tx| {
        if !queries::delete_country_mapping(tx, store_id, product, variant, &country)? {
            return Err(CoreError::NotFound(format!("no mapping of product {product} for {country} in that store")));
        }
        for order_id in queries::orders_with_variant(tx, store_id, product, variant)? {
            crate::stores::sync::refresh_order_status(tx, order_id)?;
        }
        Ok(())
    })
}

/// The most options a store variant has (primary and backups), and parts an option has.
pub const MAX_PRIORITY: i64 = 9;
pub const MAX_PARTS: usize = 10;
/// The most supplier units one store unit may ship as.
pub const MAX_PART_QUANTITY: i64 = 100;

/// One part of a mapping option, as the merchant gives it (`mapping add --priority`, the
/// Products drawer's "Add backup" and "Add to bundle").
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct PartInput {
    /// 1 the primary, 2.. backups (at most [`MAX_PRIORITY`]).
    #[ts(type = "number")]
    pub priority: i64,
    #[ts(type = "number")]
    pub supplier_id: i64,
    pub variant_id: String,
    /// Supplier units per store unit, 1 to [`MAX_PART_QUANTITY`].
    #[ts(type = "number")]
    pub quantity: i64,
    /// Per supplier unit, US cents.
    #[ts(type = "number")]
    pub cost_minor: i64,
}

/// Adds a supplier variant to option `part.priority` of a store variant's mapping (a backup
/// when the priority is above 1; a bundle when the option has other supplier variants), or sets
/// the quantity and cost of one already there. The orders with that variant are planned again.
/// Errors: the checks of [`map_variant`], a priority outside 1 to 9, a quantity outside 1 to
/// 100, an option whose parts are at another supplier (a bundle ships as one parcel), more than
/// 10 parts in an option, a supplier variant that is another option already.
pub fn add_mapping_part(
    ctx: &Ctx,
    store_id: i64,
    store_product: &str,
    store_variant: Option<&str>,
    part: &PartInput,
) -> Result<()> {
    let (product, variant) = checked_ids(store_product, store_variant, &part.variant_id, part.cost_minor)?;
    if !(1..=MAX_PRIORITY).contains(&part.priority) {
        return Err(CoreError::InvalidInput(format!(
            "a priority is 1 (the primary) to {MAX_PRIORITY} (the last backup), not {}",
            part.priority
        )));
    }
    if !(1..=MAX_PART_QUANTITY).contains(&part.quantity) {
        return Err(CoreError::InvalidInput(format!(
            "a quantity per store unit is 1 to {MAX_PART_QUANTITY}, not {}",
            part.quantity
        )));
    }
    crate::stores::integrations::store(ctx, store_id)?;
    let supplier = crate::suppliers::supplier(ctx, part.supplier_id)?;
    let vid = part.variant_id.trim();
    ctx.db.write(|tx| {
        let key = queries::VariantKey { store_id, product: &product, variant: &variant };
        let (options, _) = queries::mapping_options(tx, &key)?;
        if let Some(other) = options.iter().find(|o| {
            o.priority != part.priority
                && o.supplier_id == part.supplier_id
                && o.parts.iter().any(|p| p.variant_id == vid)
        }) {
            return Err(CoreError::InvalidInput(format!(
                "{vid} at {} is option {} already: a backup is another supplier variant",
                supplier.name, other.priority
            )));
        }
        if let Some(option) = options.iter().find(|o| o.priority == part.priority) {
            if option.supplier_id != part.supplier_id {
                return Err(CoreError::InvalidInput(format!(
                    "option {} ships from {}: a bundle's variants come from one supplier (give {} another priority)",
                    part.priority, option.supplier_name, supplier.name
                )));
            }
            if option.parts.len() >= MAX_PARTS && !option.parts.iter().any(|p| p.variant_id == vid) {
                return Err(CoreError::InvalidInput(format!("an option has at most {MAX_PARTS} supplier variants")));
            }
        }
        let new = queries::NewPart {
            priority: part.priority,
            supplier_id: part.supplier_id,
            variant_id: vid,
            quantity: part.quantity,
            cost_minor: part.cost_minor,
        };
        queries::upsert_part(tx, &key, &new)?;
        queries::refresh_summary(tx, &key)?;
        replan_variant(tx, &key)
    })
}

/// Removes option `priority` of a store variant's mapping, or one supplier variant of it
/// (`variant_id`); the next option moves up when the primary goes. Errors: no such part.
pub fn remove_mapping_part(
    ctx: &Ctx,
    store_id: i64,
    store_product: &str,
    store_variant: Option<&str>,
    priority: i64,
    variant_id: Option<&str>,
) -> Result<()> {
    let (product, variant) = (store_product.trim(), store_variant.map(str::trim).unwrap_or_default());
    let vid = variant_id.map(str::trim).filter(|v| !v.is_empty());
    ctx.db.write(|tx| {
        let key = queries::VariantKey { store_id, product, variant };
        if queries::delete_parts(tx, &key, Some(priority), vid)? == 0 {
            return Err(CoreError::NotFound(format!("no option {priority} in the mapping of product {product}")));
        }
        queries::refresh_summary(tx, &key)?;
        replan_variant(tx, &key)
    })
}

/// Sets (or clears, `None`) the most one store unit of the variant may cost at the supplier
/// (US cents): before sending, an option that costs more now is passed over for the next.
/// Errors: a negative limit, a variant without a mapping by its ids.
pub fn set_mapping_cost_limit(
    ctx: &Ctx,
    store_id: i64,
    store_product: &str,
    store_variant: Option<&str>,
    limit_minor: Option<i64>,
) -> Result<()> {
    if limit_minor.is_some_and(|l| l < 0) {
        return Err(CoreError::InvalidInput("a cost limit cannot be negative".into()));
    }
    let (product, variant) = (store_product.trim(), store_variant.map(str::trim).unwrap_or_default());
    ctx.db.write(|tx| {
        let key = queries::VariantKey { store_id, product, variant };
        if !queries::set_cost_limit(tx, &key, limit_minor)? {
            return Err(CoreError::NotFound(format!("product {product} has no mapping by its ids in that store")));
        }
        Ok(())
    })
}

/// Plans again the orders with a line of this store variant.
fn replan_variant(tx: &rusqlite::Transaction<'_>, key: &queries::VariantKey) -> Result<()> {
    for order_id in queries::orders_with_variant(tx, key.store_id, key.product, key.variant)? {
        crate::stores::sync::refresh_order_status(tx, order_id)?;
    }
    Ok(())
}

/// The store product and variant ids of a mapping, trimmed, with its supplier variant and cost
/// checked: see [`map_variant`]'s errors.
fn checked_ids(
    store_product: &str,
    store_variant: Option<&str>,
    variant_id: &str,
    cost_minor: i64,
) -> Result<(String, String)> {
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
    Ok((product.to_owned(), variant.to_owned()))
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

/// A supplier variant a search found, and whose it is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct SearchHit {
    #[ts(type = "number")]
    pub supplier_id: i64,
    pub supplier_name: String,
    pub found: crate::suppliers::SearchedVariant,
}

/// The most variants a supplier search returns per supplier.
pub const SEARCH_LIMIT: usize = 20;

/// Searches every connected supplier's catalogue for what the merchant typed: a product URL, a
/// SKU, a product id or keywords (CJ's product list, query, variant and inventory calls; see
/// [`crate::suppliers::SupplierConnector::search_variants`]), each variant with its cost, stock
/// and warehouses. Errors: nothing typed, over 300 characters, a supplier that cannot be
/// reached or refuses the credentials.
pub async fn search_supplier_variants(ctx: &Ctx, query: &str) -> Result<Vec<SearchHit>> {
    let query = query.trim();
    if query.is_empty() {
        return Err(CoreError::InvalidInput("type a SKU, product id, product link or words to search for".into()));
    }
    if query.chars().count() > 300 {
        return Err(CoreError::InvalidInput("a search is at most 300 characters".into()));
    }
    let mut hits = Vec::new();
    for supplier in ctx.db.read(crate::orders::views::list_suppliers)?.into_iter().filter(|s| !s.disconnected) {
        let found = ctx.observe(ctx.supplier_client(supplier.id)?.search_variants(query, SEARCH_LIMIT).await)?;
        hits.extend(found.into_iter().map(|found| SearchHit {
            supplier_id: supplier.id,
            supplier_name: supplier.name.clone(),
            found,
        }));
    }
    Ok(hits)
}

/// Where an "Auto-map by SKU" proposal comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ProposalSource {
    /// The variant's SKU already has a SKU mapping: it becomes the variant's own.
    SkuMapping,
    /// A connected supplier sells exactly one variant under the same SKU.
    SupplierCatalogue,
}

/// A store variant "Auto-map by SKU" may map: not mapped by its own ids, with a SKU.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct AutomapVariant {
    #[ts(type = "number")]
    pub store_id: i64,
    pub product_id: String,
    pub variant_id: String,
    pub product_title: String,
    pub variant_title: String,
    pub sku: String,
}

/// A mapping "Auto-map by SKU" proposes for a store variant (made only when accepted).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct AutomapProposal {
    #[serde(flatten)]
    #[ts(flatten)]
    pub variant: AutomapVariant,
    #[ts(type = "number")]
    pub supplier_id: i64,
    pub supplier_name: String,
    pub supplier_variant_id: String,
    /// US cents per unit.
    #[ts(type = "number")]
    pub cost_minor: i64,
    pub source: ProposalSource,
}

/// The most SKUs one "Auto-map by SKU" looks up at the suppliers (each is a rate-limited call;
/// run it again for the rest).
pub const AUTOMAP_LOOKUPS: usize = 200;

/// "Auto-map by SKU" for `store_id`: for each of its variants that is not mapped by its own ids
/// and has a SKU, the mapping its SKU suggests: the SKU's existing mapping, else the one variant
/// a connected supplier sells under exactly that SKU (case-insensitive; several candidates, or
/// none, propose nothing). A SKU match is only a suggestion: with `accept` false nothing is
/// written; with `accept` true every proposal becomes a variant mapping in one transaction and
/// the orders they free are planned again. At most [`AUTOMAP_LOOKUPS`] SKUs are asked of the
/// suppliers per call. Errors: an unknown store; a supplier that cannot be reached.
pub async fn automap(ctx: &Ctx, store_id: i64, accept: bool) -> Result<Vec<AutomapProposal>> {
    crate::stores::integrations::store(ctx, store_id)?;
    let candidates = ctx.db.read(|c| queries::automap_candidates(c, store_id))?;
    let suppliers: Vec<_> =
        ctx.db.read(crate::orders::views::list_suppliers)?.into_iter().filter(|s| !s.disconnected).collect();
    let mut proposals = Vec::new();
    let mut looked_up = 0usize;
    for c in candidates {
        if let Some((supplier_id, supplier_name, variant, cost)) = c.sku_mapping.clone() {
            proposals.push(c.propose(supplier_id, supplier_name, variant, cost, ProposalSource::SkuMapping));
            continue;
        }
        if looked_up >= AUTOMAP_LOOKUPS {
            continue;
        }
        looked_up += 1;
        let mut found = Vec::new();
        for supplier in &suppliers {
            let variants = ctx.observe(ctx.supplier_client(supplier.id)?.variants_by_sku(&c.variant.sku).await)?;
            found.extend(
                variants
                    .into_iter()
                    .filter(|v| v.variant_sku.trim().eq_ignore_ascii_case(c.variant.sku.trim()))
                    .map(|v| (supplier.id, supplier.name.clone(), v)),
            );
        }
        if let [(supplier_id, supplier_name, variant)] = found.as_slice() {
            proposals.push(c.propose(
                *supplier_id,
                supplier_name.clone(),
                variant.vid.clone(),
                variant.price_minor,
                ProposalSource::SupplierCatalogue,
            ));
        }
    }
    if accept && !proposals.is_empty() {
        ctx.db.write(|tx| {
            for p in &proposals {
                let v = &p.variant;
                queries::upsert_variant_mapping(
                    tx,
                    v.store_id,
                    &v.product_id,
                    &v.variant_id,
                    p.supplier_id,
                    &p.supplier_variant_id,
                    p.cost_minor,
                )?;
                for order_id in queries::orders_with_variant(tx, v.store_id, &v.product_id, &v.variant_id)? {
                    crate::stores::sync::refresh_order_status(tx, order_id)?;
                }
            }
            Ok(())
        })?;
    }
    Ok(proposals)
}

/// A candidate of "Auto-map by SKU", with its SKU's mapping when it has one: supplier id and
/// name, supplier variant, cost.
#[derive(Debug, Clone)]
pub struct AutomapCandidate {
    pub variant: AutomapVariant,
    pub sku_mapping: Option<(i64, String, String, i64)>,
}

impl AutomapCandidate {
    fn propose(
        self,
        supplier_id: i64,
        supplier_name: String,
        supplier_variant_id: String,
        cost_minor: i64,
        source: ProposalSource,
    ) -> AutomapProposal {
        AutomapProposal { variant: self.variant, supplier_id, supplier_name, supplier_variant_id, cost_minor, source }
    }
}
