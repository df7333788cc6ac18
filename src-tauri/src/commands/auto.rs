//! Order → Auto Fulfillment: payment method, default shipping methods, the switch.

use dropdock_core::auto_fulfillment::{AutoSettings, AutoSettingsInput, ShippingOption, ShippingRule};
use dropdock_core::fulfillment::payment_card::{CardInput, SavedCard};
use tauri::{AppHandle, State};

use super::{blocking, to_body, CommandResult};
use crate::state::AppState;

#[tauri::command]
pub async fn auto_settings(state: State<'_, AppState>) -> CommandResult<AutoSettings> {
    blocking(&state.dd, move |dd| dd.auto_settings()).await
}

/// My Wallet tab → Save (and the approval delay, "most suitable").
#[tauri::command]
pub async fn save_auto_settings(state: State<'_, AppState>, input: AutoSettingsInput) -> CommandResult<AutoSettings> {
    let result = blocking(&state.dd, move |dd| dd.save_auto_settings(&input)).await;
    result
}

/// Before the pop-up: can Auto Fulfillment be turned on? (My Wallet boxes saved, each wallet at
/// the threshold; the wallet is refreshed.) The error says what to do.
#[tauri::command]
pub async fn check_auto_ready(state: State<'_, AppState>) -> CommandResult<()> {
    state.dd.check_auto_ready().await.map_err(to_body)
}

/// The switch, after "Are you sure you want to turn on the Auto Fulfillment function?" → Confirm.
/// Runs auto mode once at once, so paid orders start moving without waiting for the timer.
#[tauri::command]
pub async fn enable_auto(app: AppHandle, state: State<'_, AppState>) -> CommandResult<AutoSettings> {
    let settings = state.dd.enable_auto().await.map_err(to_body)?;
    let handle = app.clone();
    tauri::async_runtime::spawn(async move { crate::workers::run_auto(&handle).await });
    Ok(settings)
}

#[tauri::command]
pub async fn disable_auto(state: State<'_, AppState>) -> CommandResult<AutoSettings> {
    let result = blocking(&state.dd, move |dd| dd.disable_auto()).await;
    result
}

/// The card on file at each supplier: brand, last 4 digits, expiry.
#[tauri::command]
pub async fn saved_cards(state: State<'_, AppState>) -> CommandResult<Vec<SavedCard>> {
    blocking(&state.dd, move |dd| dd.saved_cards()).await
}

/// Credit Card tab → Confirm. The number and CVC go to the suppliers' payment endpoints and are
/// wiped from memory when `card` is dropped; the reply holds only brand, last 4 digits, expiry.
#[tauri::command]
pub async fn save_card(
    state: State<'_, AppState>,
    card: CardInput,
    terms_accepted: bool,
) -> CommandResult<Vec<SavedCard>> {
    let result = state.dd.save_card(&card, terms_accepted).await.map_err(to_body);
    drop(card);
    result
}

/// Credit Card tab → Remove card: back to My Wallet.
#[tauri::command]
pub async fn remove_card(state: State<'_, AppState>) -> CommandResult<AutoSettings> {
    let result = blocking(&state.dd, move |dd| dd.remove_card()).await;
    result
}

#[tauri::command]
pub async fn shipping_rules(state: State<'_, AppState>) -> CommandResult<Vec<ShippingRule>> {
    blocking(&state.dd, |dd| {
        dd.shipping_rules()
            .map(|rules| rules.into_iter().map(|(country_code, lines)| ShippingRule { country_code, lines }).collect())
    })
    .await
}

/// Default shipping method → Confirm, for one country (an empty list removes it).
#[tauri::command]
pub async fn set_shipping_rule(state: State<'_, AppState>, rule: ShippingRule) -> CommandResult<()> {
    blocking(&state.dd, move |dd| dd.set_shipping_rule(&rule.country_code, &rule.lines)).await
}

/// The lines the suppliers quote to a country, to choose from.
#[tauri::command]
pub async fn shipping_options(state: State<'_, AppState>, country: String) -> CommandResult<Vec<ShippingOption>> {
    state.dd.shipping_options(&country).await.map_err(to_body)
}
