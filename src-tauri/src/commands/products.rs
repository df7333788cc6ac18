//! Products: the store catalogue, each variant's mapping, catalogue sync and Auto-map by SKU.

use dropdock_core::products::catalogue::{CatalogueRun, CatalogueSummary};
use dropdock_core::products::{AutomapProposal, ProductList, ProductQuery};
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
