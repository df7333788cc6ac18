//! Finance → My Wallet.

use chrono::{DateTime, Utc};
use dropdock_core::orders::actions::ExportedFile;
use dropdock_core::orders::views::SupplierView;
use dropdock_core::wallet::{Forecast, InvoiceFormat, LedgerEntry, ManualEntryKind, Reconciliation};
use tauri::{AppHandle, State};

use super::{blocking, to_body, CommandResult};
use crate::state::AppState;

/// Each supplier account with its balance; `refresh` asks the suppliers first (`getBalance`).
#[tauri::command]
pub async fn wallet(state: State<'_, AppState>, refresh: bool) -> CommandResult<Vec<SupplierView>> {
    if refresh {
        state.dd.refresh_wallet().await.map_err(to_body)
    } else {
        state.dd.suppliers().map_err(to_body)
    }
}

/// The ledger, newest first: every supplier, or one.
#[tauri::command]
pub async fn wallet_ledger(
    state: State<'_, AppState>,
    supplier_id: Option<i64>,
    limit: u32,
) -> CommandResult<Vec<LedgerEntry>> {
    blocking(&state.dd, move |dd| dd.wallet_ledger(supplier_id, limit.clamp(1, 5000))).await
}

/// Each supplier's ledger against the balance it last reported.
#[tauri::command]
pub async fn wallet_reconciliation(state: State<'_, AppState>) -> CommandResult<Vec<Reconciliation>> {
    blocking(&state.dd, move |dd| dd.wallet_reconciliation()).await
}

/// Records a recharge made on the supplier's site, or an adjustment (US cents).
#[tauri::command]
pub async fn record_wallet_entry(
    state: State<'_, AppState>,
    supplier_id: i64,
    kind: ManualEntryKind,
    amount_minor: i64,
    note: String,
) -> CommandResult<i64> {
    blocking(&state.dd, move |dd| dd.record_wallet_entry(supplier_id, kind, amount_minor, &note)).await
}

/// Recharge: on the sandbox the supplier's recharge call (and a ledger entry), answering `None`;
/// for a real CJ account the wallet page to open in the browser.
#[tauri::command]
pub async fn recharge_wallet(
    state: State<'_, AppState>,
    supplier_id: i64,
    amount_minor: i64,
) -> CommandResult<Option<String>> {
    let page = state.dd.recharge_wallet(supplier_id, amount_minor).await.map_err(to_body)?;
    Ok(page)
}

/// What waiting orders will cost at each supplier, against the balance and the threshold.
#[tauri::command]
pub async fn wallet_forecast(state: State<'_, AppState>) -> CommandResult<Vec<Forecast>> {
    blocking(&state.dd, move |dd| dd.wallet_forecast()).await
}

/// Export invoices for `[from, to)` (UTC) into the exports folder as CSV or PDF.
#[tauri::command]
pub async fn export_invoices(
    app: AppHandle,
    state: State<'_, AppState>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    format: InvoiceFormat,
) -> CommandResult<ExportedFile> {
    let extension = match format {
        InvoiceFormat::Csv => "csv",
        InvoiceFormat::Pdf => "pdf",
    };
    let name = format!("dropdock-invoices-{}-to-{}.{extension}", from.format("%Y%m%d"), to.format("%Y%m%d"));
    let path = super::orders::export_path(&app, &name)?;
    let target = path.clone();
    let invoice = blocking(&state.dd, move |dd| dd.export_invoice(from, to, format, &target)).await?;
    tracing::info!(lines = invoice.lines.len(), path = %path.display(), "invoices exported");
    Ok(ExportedFile { path: path.display().to_string(), orders: invoice.lines.len() })
}
