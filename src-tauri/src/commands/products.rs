//! Products: the store catalogue, each variant's mapping, catalogue sync and Auto-map by SKU.

use dropdock_core::products::catalogue::{CatalogueRun, CatalogueSummary};
use dropdock_core::products::{AutomapProposal, PartInput, ProductList, ProductQuery, SearchHit};
use tauri::State;

use super::{blocking, to_body, CommandResult};
use crate::state::AppState;

/// One page of the Products page (see [`dropdock_core::products::list_products`]).
#[tauri::command]
pub async fn list_products(state: State<'_, AppState>, query: ProductQuery) -> CommandResult<ProductList> {
    blocking(&state.dd, move |dd| dd.list_products(&query)).await
}

/// "Sync catalogue" for one store; the page follows through `db-changed`.
#[tauri::command]
pub async fn sync_catalogue(state: State<'_, AppState>, store_id: i64) -> CommandResult<CatalogueSummary> {
    state.dd.sync_catalogue(store_id).await.map_err(to_body)
}

/// Each store's latest catalogue run (`running` while one is under way).
#[tauri::command]
pub async fn catalogue_runs(state: State<'_, AppState>) -> CommandResult<Vec<CatalogueRun>> {
    blocking(&state.dd, |dd| dd.catalogue_runs()).await
}

/// "Auto-map by SKU": the proposals, made into mappings when `accept`.
#[tauri::command]
pub async fn automap_products(
    state: State<'_, AppState>,
    store_id: i64,
    accept: bool,
) -> CommandResult<Vec<AutomapProposal>> {
    state.dd.automap(store_id, accept).await.map_err(to_body)
}

/// Maps a store variant (`variant_id` '' for a product without variants) to a supplier variant
/// at `cost_minor` US cents, for every destination or (`country`) for one; the orders it frees
/// are planned again.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn map_store_variant(
    state: State<'_, AppState>,
    store_id: i64,
    product_id: String,
    variant_id: String,
    country: Option<String>,
    supplier_id: i64,
    supplier_variant_id: String,
    cost_minor: i64,
) -> CommandResult<()> {
    blocking(&state.dd, move |dd| match country.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(cc) => dd.map_variant_for_country(
            store_id,
            &product_id,
            Some(&variant_id),
            cc,
            supplier_id,
            &supplier_variant_id,
            cost_minor,
        ),
        None => dd.map_variant(store_id, &product_id, Some(&variant_id), supplier_id, &supplier_variant_id, cost_minor),
    })
    .await
}

/// Removes a store variant's own mapping (its SKU's mapping, if any, applies again), or
/// (`country`) its mapping for one destination country.
#[tauri::command]
pub async fn unmap_store_variant(
    state: State<'_, AppState>,
    store_id: i64,
    product_id: String,
    variant_id: String,
    country: Option<String>,
) -> CommandResult<()> {
    blocking(&state.dd, move |dd| match country.as_deref() {
        Some(cc) => dd.remove_variant_country_mapping(store_id, &product_id, Some(&variant_id), cc),
        None => dd.remove_variant_mapping(store_id, &product_id, Some(&variant_id)),
    })
    .await
}

/// Adds a supplier variant to an option of a store variant's mapping (a backup, a bundle's
/// part), or sets its quantity and cost; the orders it frees are planned again.
#[tauri::command]
pub async fn add_mapping_part(
    state: State<'_, AppState>,
    store_id: i64,
    product_id: String,
    variant_id: String,
    part: PartInput,
) -> CommandResult<()> {
    blocking(&state.dd, move |dd| dd.add_mapping_part(store_id, &product_id, Some(&variant_id), &part)).await
}

/// Removes an option of a store variant's mapping, or one supplier variant of it.
#[tauri::command]
pub async fn remove_mapping_part(
    state: State<'_, AppState>,
    store_id: i64,
    product_id: String,
    variant_id: String,
    priority: i64,
    supplier_variant_id: Option<String>,
) -> CommandResult<()> {
    blocking(&state.dd, move |dd| {
        dd.remove_mapping_part(store_id, &product_id, Some(&variant_id), priority, supplier_variant_id.as_deref())
    })
    .await
}

/// Sets (or clears) the most one store unit may cost at the supplier, US cents.
#[tauri::command]
pub async fn set_mapping_cost_limit(
    state: State<'_, AppState>,
    store_id: i64,
    product_id: String,
    variant_id: String,
    limit_minor: Option<i64>,
) -> CommandResult<()> {
    blocking(&state.dd, move |dd| dd.set_mapping_cost_limit(store_id, &product_id, Some(&variant_id), limit_minor))
        .await
}

/// Searches the connected suppliers' catalogues (SKU, product id, product link or words).
#[tauri::command]
pub async fn search_supplier_variants(state: State<'_, AppState>, query: String) -> CommandResult<Vec<SearchHit>> {
    state.dd.search_supplier_variants(&query).await.map_err(to_body)
}
