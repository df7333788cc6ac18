//! Bulk actions of the Order page on a selection of orders: Hold, Release and Export CSV.
//! ("Ship orders" is [`crate::orders::ship`], because it queues when the network is down.)

use std::io::Write;

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::context::Ctx;
use crate::db::Db;
use crate::error::{CoreError, Result};
use crate::model::OrderStatus;
use crate::orders::queries;
use crate::orders::search::{query_orders, OrderQuery};
use crate::orders::views::OrderRow;
use crate::stores::sync::refresh_order_status;

/// At most this many orders in one bulk action (the Order page selects within what it loaded).
pub const MAX_SELECTION: usize = 10_000;

/// What a bulk action did to each order of the selection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct BulkResult {
    /// Order numbers the action applied to.
    pub done: Vec<String>,
    /// Orders left as they were, each with the reason.
    pub skipped: Vec<SkippedOrder>,
}

/// An order a bulk action left alone, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SkippedOrder {
    pub order_name: String,
    /// The English sentence (the CLI's).
    pub reason: String,
    /// The reason for a front end to word in the merchant's language (see
    /// [`crate::error::CoreError::detail`]); `None` when only `reason` says it.
    pub detail: Option<crate::error::ErrorDetail>,
}

impl SkippedOrder {
    /// Skipped because of `error` (a hold, an unreachable supplier...).
    pub fn because(order_name: String, error: &CoreError) -> Self {
        SkippedOrder { order_name, reason: error.to_string(), detail: error.detail() }
    }

    /// Skipped for a reason of this module's: `key` under `skipped.` in the front ends'
    /// catalogues, with its values.
    fn local<const N: usize>(order_name: String, reason: String, key: &str, params: [(&str, String); N]) -> Self {
        let params = params.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        SkippedOrder {
            order_name,
            reason,
            detail: Some(crate::error::ErrorDetail { key: format!("skipped.{key}"), params }),
        }
    }
}

impl BulkResult {
    /// The CLI's summary line, e.g. `Held 3 orders, skipped 1`.
    pub fn summary(&self, verb: &str) -> String {
        let n = self.done.len();
        format!("{verb} {n} order{}, skipped {}", if n == 1 { "" } else { "s" }, self.skipped.len())
    }
}

fn check_selection(ids: &[i64]) -> Result<()> {
    if ids.is_empty() {
        return Err(CoreError::InvalidInput("select at least one order".into()));
    }
    if ids.len() > MAX_SELECTION {
        return Err(CoreError::InvalidInput(format!("{} orders selected; at most {MAX_SELECTION} at once", ids.len())));
    }
    Ok(())
}

/// "Hold": keeps orders that are not with their suppliers yet from being shipped, by hand or by
/// Auto Fulfillment, until released; a queued "Ship order" of them is dropped. Orders already
/// with their suppliers are skipped with the reason. One transaction: all or nothing.
pub fn hold_orders(db: &Db, ids: &[i64], now: DateTime<Utc>) -> Result<BulkResult> {
    check_selection(ids)?;
    db.write(|tx| {
        let mut result = BulkResult::default();
        for &id in ids {
            let (name, status) = queries::name_and_status(tx, id)?;
            if !matches!(status, OrderStatus::AwaitingPayment | OrderStatus::ToOrder | OrderStatus::Failed) {
                result.skipped.push(SkippedOrder::local(
                    name,
                    format!("already with its suppliers ({})", status.label().to_lowercase()),
                    "already_with_suppliers",
                    [("status", status.as_str().to_owned())],
                ));
                continue;
            }
            queries::hold_by_merchant(tx, id, now)?;
            queries::dequeue_order(tx, id)?;
            refresh_order_status(tx, id)?;
            result.done.push(name);
        }
        Ok(result)
    })
}

/// "Release": lifts the merchant's hold, and a "no shipping line" hold so the next Ship order
/// asks the supplier again. Orders that were not held are skipped.
pub fn release_orders(db: &Db, ids: &[i64]) -> Result<BulkResult> {
    check_selection(ids)?;
    db.write(|tx| {
        let mut result = BulkResult::default();
        for &id in ids {
            let (name, _) = queries::name_and_status(tx, id)?;
            accept_new_cost(tx, id)?;
            if !queries::release(tx, id)? {
                result.skipped.push(SkippedOrder::local(name, "not held by you".into(), "not_held", []));
                continue;
            }
            refresh_order_status(tx, id)?;
            result.done.push(name);
        }
        Ok(result)
    })
}

/// Releasing an order held `cost_changed` accepts the supplier's new price: it becomes the
/// mapped cost of that supplier variant in every mapping that names it (so the next check
/// passes and the cost estimates follow). Other holds are left to [`queries::release`].
fn accept_new_cost(tx: &Connection, order_id: i64) -> Result<()> {
    use crate::fulfillment::{queries as fq, HoldKind};
    if fq::hold_kind(tx, order_id)?.as_deref() != Some(HoldKind::CostChanged.as_str()) {
        return Ok(());
    }
    let params = fq::hold_params(tx, order_id)?.unwrap_or_default();
    let (Some(supplier), Some(vid), Some(new)) = (
        params.get("supplier_id").and_then(|s| s.parse::<i64>().ok()),
        params.get("vid"),
        params.get("new").and_then(|s| s.parse::<i64>().ok()),
    ) else {
        return Ok(());
    };
    crate::products::queries::reprice_supplier_variant(tx, supplier, vid, new)
}

/// Which orders to export: the ones ticked on the Order page, or all that match a query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OrderSelection {
    Ids(#[ts(type = "Array<number>")] Vec<i64>),
    Query(OrderQuery),
}

/// The rows of `ids`, newest first. Unknown ids are an error: an export must not be silently short.
fn rows_for_ids(conn: &Connection, ids: &[i64]) -> Result<Vec<OrderRow>> {
    check_selection(ids)?;
    let mut rows = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        rows.extend(queries::order_rows(conn, chunk)?);
    }
    let mut wanted: Vec<i64> = ids.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    if rows.len() != wanted.len() {
        let missing = wanted.iter().find(|id| !rows.iter().any(|r| r.id == **id)).copied().unwrap_or_default();
        return Err(CoreError::NotFound(format!("order {missing} not found")));
    }
    rows.sort_by_key(|r| std::cmp::Reverse((r.created_at, r.id)));
    Ok(rows)
}

/// Where the desktop app wrote an export, and how many orders it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ExportedFile {
    pub path: String,
    #[ts(type = "number")]
    pub orders: usize,
}

/// The columns of the orders CSV, in order. A public interface: merchants import it elsewhere.
pub const CSV_HEADER: [&str; 17] = [
    "Order",
    "Store",
    "Created (UTC)",
    "Customer",
    "Email",
    "Country",
    "Items",
    "Total",
    "Currency",
    "Status",
    "Financial status",
    "Hold reason",
    "Tracking numbers",
    "Supplier order numbers",
    "Profit",
    "Profit currency",
    "Profit estimated",
];

/// Spreadsheet programs run a cell that starts with `=`, `+`, `-`, `@`, tab or CR as a formula;
/// order fields come from buyers, so such cells get a leading `'` (OWASP "CSV injection").
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// Writes the selected orders as CSV (RFC 4180, UTF-8, header row [`CSV_HEADER`]), newest first;
/// totals as decimal amounts (`12.50`). Returns how many orders were written.
/// Errors: an unknown id in `Ids`, more than [`MAX_SELECTION`] ids, or a failed write.
pub fn export_orders_csv(conn: &Connection, selection: &OrderSelection, out: impl Write) -> Result<usize> {
    let mut writer = csv::Writer::from_writer(out);
    let io = |e: csv::Error| CoreError::InvalidInput(format!("could not write the CSV: {e}"));
    writer.write_record(CSV_HEADER).map_err(io)?;
    let profit_currency = crate::orders::profit::settings(conn)?.currency;
    let mut written = 0;
    let mut write_rows = |rows: Vec<OrderRow>| -> Result<()> {
        for row in rows {
            let (email, tracking, supplier_orders) = queries::export_extras(conn, row.id)?;
            writer
                .write_record([
                    cell(&row.name),
                    cell(&row.store_name),
                    row.created_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                    cell(row.customer_name.as_deref().unwrap_or("")),
                    cell(&email),
                    row.country_code.clone().unwrap_or_default(),
                    row.item_count.to_string(),
                    crate::money::format_minor(row.total_minor, &row.currency),
                    row.currency.clone(),
                    row.status.label().to_owned(),
                    row.financial_status.clone(),
                    cell(row.hold_reason.as_deref().unwrap_or("")),
                    cell(&tracking),
                    cell(&supplier_orders),
                    row.profit_minor.map(|p| crate::money::format_minor(p, &profit_currency)).unwrap_or_default(),
                    profit_currency.clone(),
                    if row.profit_estimated { "yes" } else { "no" }.to_owned(),
                ])
                .map_err(io)?;
            written += 1;
        }
        Ok(())
    };
    match selection {
        OrderSelection::Ids(ids) => write_rows(rows_for_ids(conn, ids)?)?,
        OrderSelection::Query(query) => {
            let mut query = OrderQuery { limit: Some(500), after: None, ..query.clone() };
            loop {
                let page = query_orders(conn, &query)?;
                write_rows(page.rows)?;
                match page.next {
                    Some(next) => query.after = Some(next),
                    None => break,
                }
            }
        }
    }
    writer.flush().map_err(|e| CoreError::InvalidInput(format!("could not write the CSV: {e}")))?;
    Ok(written)
}

/// The destination countries (ISO 3166-1 alpha-2) of the stored orders, sorted: the Order
/// page's country filter offers these.
pub fn order_countries(ctx: &Ctx) -> Result<Vec<String>> {
    ctx.db.read(queries::countries)
}

/// "Export CSV" into a file: written beside `path` under a temporary name and renamed, so a
/// failed export (full disk, unknown order) never leaves half a file. Returns the orders written.
pub fn export_orders_csv_to(ctx: &Ctx, selection: &OrderSelection, path: &std::path::Path) -> Result<usize> {
    let io =
        |e: std::io::Error, p: &std::path::Path| CoreError::InvalidInput(format!("cannot write {}: {e}", p.display()));
    let tmp = path.with_extension("csv.partial");
    let file = std::fs::File::create(&tmp).map_err(|e| io(e, &tmp))?;
    let written = match ctx.db.read(|c| export_orders_csv(c, selection, std::io::BufWriter::new(file))) {
        Ok(n) => n,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    };
    std::fs::rename(&tmp, path).map_err(|e| io(e, path))?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_defused() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("Ana Núñez"), "Ana Núñez");
    }

    #[test]
    fn summary_line_counts() {
        let r = BulkResult {
            done: vec!["#1".into()],
            skipped: vec![SkippedOrder { order_name: "#2".into(), reason: "x".into(), detail: None }],
        };
        assert_eq!(r.summary("Held"), "Held 1 order, skipped 1");
    }
}
