//! Finance → My Wallet: the local ledger of each supplier wallet, its reconciliation against the
//! balance the supplier reports, recharges and adjustments, the forecast of what waiting orders
//! will cost, and invoices for a period (CSV with the `csv` crate, PDF with `printpdf`).
//!
//! Money is US cents (CJ's wallet currency) throughout; times are UTC.
//!
//! The ledger (`wallet_entry`): positive entries are money in (recharge, refund, a positive
//! adjustment), negative ones money out (an order charge, linked to its sub-order). It opens with
//! the supplier's balance at the first refresh ("Opening balance", an adjustment); from then on
//! the ledger's sum should equal the supplier's balance, and any difference is shown as it is.

pub mod queries;

use crate::context::Ctx;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use crate::error::{CoreError, Result};
use crate::money::format_minor;

/// The note of the entry that opens a supplier's ledger.
pub const OPENING_NOTE: &str = "Opening balance";
/// The largest single recharge or adjustment: $1,000,000.
pub const MAX_ENTRY_MINOR: i64 = 100_000_000;

/// One ledger entry, newest first in [`ledger`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct LedgerEntry {
    #[ts(type = "number")]
    pub id: i64,
    pub supplier_name: String,
    /// `recharge`, `charge`, `refund` or `adjustment`.
    pub kind: String,
    /// US cents; negative for money out.
    #[ts(type = "number")]
    pub amount_minor: i64,
    /// The ledger's balance after this entry, US cents.
    #[ts(type = "number")]
    pub balance_after_minor: i64,
    /// For charges and refunds: the store order (`#1001`) and the supplier's order number.
    #[ts(type = "number | null")]
    pub order_id: Option<i64>,
    pub order_name: Option<String>,
    pub supplier_order_number: Option<String>,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The ledger, newest first, at most `limit` entries, optionally for one supplier.
pub fn ledger(conn: &Connection, supplier_id: Option<i64>, limit: u32) -> Result<Vec<LedgerEntry>> {
    queries::ledger(conn, supplier_id, limit)
}

/// One supplier wallet: the ledger against the supplier's own figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Reconciliation {
    #[ts(type = "number")]
    pub supplier_id: i64,
    pub supplier_name: String,
    /// The sum of the ledger, US cents.
    #[ts(type = "number")]
    pub ledger_balance_minor: i64,
    /// The balance the supplier reported at its last refresh; `None` before the first.
    #[ts(type = "number | null")]
    pub supplier_balance_minor: Option<i64>,
    pub checked_at: Option<DateTime<Utc>>,
    /// Supplier's balance less the ledger's (positive: the supplier holds more than the ledger
    /// explains, e.g. a recharge made on the supplier's site); `None` until both are known.
    #[ts(type = "number | null")]
    pub difference_minor: Option<i64>,
    /// Charges in the ledger and what they add up to (negative), US cents.
    #[ts(type = "number")]
    pub charges: i64,
    #[ts(type = "number")]
    pub charged_minor: i64,
}

/// Every supplier's reconciliation, by name.
pub fn reconcile(conn: &Connection) -> Result<Vec<Reconciliation>> {
    queries::reconciliations(conn)
}

/// Records the balance a supplier just reported. The first time, the ledger is opened with an
/// "Opening balance" adjustment that makes its sum equal the report; later reports only update
/// the figure the ledger is reconciled against.
pub fn record_reported_balance(tx: &Connection, supplier_id: i64, balance_minor: i64) -> Result<()> {
    let now = Utc::now();
    queries::set_reported_balance(tx, supplier_id, balance_minor, now)?;
    if !queries::ledger_opened(tx, supplier_id)? {
        let sum = queries::ledger_sum(tx, supplier_id)?;
        queries::insert_entry(tx, supplier_id, "adjustment", balance_minor - sum, Some(OPENING_NOTE), now)?;
        queries::open_ledger(tx, supplier_id, now)?;
    }
    Ok(())
}

/// What the merchant records by hand: a recharge made on the supplier's site, or an adjustment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum ManualEntryKind {
    Recharge,
    Adjustment,
}

/// Adds a recharge (positive) or an adjustment (either sign) to the ledger; returns its id.
/// Errors (`InvalidInput`): zero, a recharge that is not positive, more than
/// [`MAX_ENTRY_MINOR`] either way, a note over 200 characters.
pub fn record_entry(
    tx: &Connection,
    supplier_id: i64,
    kind: ManualEntryKind,
    amount_minor: i64,
    note: &str,
) -> Result<i64> {
    let invalid = |m: String| Err(CoreError::InvalidInput(m));
    if amount_minor == 0 || amount_minor.abs() > MAX_ENTRY_MINOR {
        return invalid(format!("amount: between $0.01 and ${} either way", format_minor(MAX_ENTRY_MINOR, "USD")));
    }
    if kind == ManualEntryKind::Recharge && amount_minor < 0 {
        return invalid("amount: a recharge adds money; record a withdrawal as an adjustment".into());
    }
    let note = note.trim();
    if note.chars().count() > 200 {
        return invalid("note: at most 200 characters".into());
    }
    let kind = match kind {
        ManualEntryKind::Recharge => "recharge",
        ManualEntryKind::Adjustment => "adjustment",
    };
    queries::insert_entry(tx, supplier_id, kind, amount_minor, (!note.is_empty()).then_some(note), Utc::now())
}

/// What the orders waiting at one supplier will cost, against its balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Forecast {
    #[ts(type = "number")]
    pub supplier_id: i64,
    pub supplier_name: String,
    #[ts(type = "number")]
    pub balance_minor: i64,
    /// Paid store orders not sent yet and not held: their products at the mapped cost plus
    /// the estimated postage, US cents.
    #[ts(type = "number")]
    pub to_order_minor: i64,
    /// Orders held (by the merchant, or waiting for funds), likewise.
    #[ts(type = "number")]
    pub held_minor: i64,
    /// Orders queued while the network was down, likewise.
    #[ts(type = "number")]
    pub queued_minor: i64,
    /// Orders counted in the three figures above.
    #[ts(type = "number")]
    pub orders: i64,
    /// The postage assumed per order: the average of the last 100 charged at this supplier.
    #[ts(type = "number")]
    pub postage_estimate_minor: i64,
    /// Balance less the three figures.
    #[ts(type = "number")]
    pub after_minor: i64,
    /// The Auto Fulfillment threshold, US cents.
    #[ts(type = "number")]
    pub threshold_minor: i64,
    /// True when sending everything waiting would leave the balance below the threshold
    /// (never for a platform without a balance).
    pub below_threshold: bool,
    /// False for a platform that charges a billing method instead (Printful): `balance_minor`
    /// and `after_minor` then mean nothing, and My Wallet says so.
    pub has_balance: bool,
}

/// The forecast for every supplier, by name. `threshold_minor` is Auto Fulfillment's.
pub fn forecast(conn: &Connection, threshold_minor: i64) -> Result<Vec<Forecast>> {
    let suppliers = queries::balances(conn)?;
    let mut out = Vec::with_capacity(suppliers.len());
    for (supplier_id, supplier_name, balance_minor, kind) in suppliers {
        let has_balance =
            crate::suppliers::SupplierPlatform::parse(&kind).map(|p| p.capabilities().balance).unwrap_or(true);
        let postage = queries::average_postage(conn, supplier_id)?;
        let (mut to_order, mut held, mut queued, mut orders) = (0i64, 0i64, 0i64, 0i64);
        for (bucket, cost) in queries::waiting_order_costs(conn, supplier_id)? {
            let cost = cost + postage;
            orders += 1;
            match bucket.as_str() {
                "queued" => queued += cost,
                "held" => held += cost,
                _ => to_order += cost,
            }
        }
        let after_minor = balance_minor - to_order - held - queued;
        out.push(Forecast {
            supplier_id,
            supplier_name,
            balance_minor,
            to_order_minor: to_order,
            held_minor: held,
            queued_minor: queued,
            orders,
            postage_estimate_minor: postage,
            after_minor,
            threshold_minor,
            below_threshold: has_balance && after_minor < threshold_minor,
            has_balance,
        });
    }
    Ok(out)
}

/// One charged sub-order on an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct InvoiceLine {
    pub paid_at: DateTime<Utc>,
    pub store_name: String,
    /// The store's order number, e.g. `#1001`.
    pub order_name: String,
    pub supplier_name: String,
    /// The supplier's order number, e.g. CJ's `CJ2611220000001`.
    pub supplier_order_number: String,
    /// Who the order ships to (the shipping address's name), when it has one.
    pub ship_to: Option<String>,
    /// `2 x SKU-A; 1 x SKU-B`.
    pub items: String,
    /// The products' part of the charge, US cents; `None` when the supplier gave only a total.
    #[ts(type = "number | null")]
    pub products_minor: Option<i64>,
    #[ts(type = "number | null")]
    pub shipping_minor: Option<i64>,
    #[ts(type = "number")]
    pub total_minor: i64,
    /// `wallet`, `card`, or `billing` (a platform without a balance, such as Printful, charged
    /// the billing method on the merchant's account there).
    pub paid_with: String,
}

/// Every sub-order charged in `[from, to)` (UTC), oldest first, with the period's totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Invoice {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub lines: Vec<InvoiceLine>,
    #[ts(type = "number")]
    pub products_minor: i64,
    #[ts(type = "number")]
    pub shipping_minor: i64,
    #[ts(type = "number")]
    pub total_minor: i64,
    /// Refunds to the wallet in the period (positive), US cents: shown, not netted.
    #[ts(type = "number")]
    pub refunds_minor: i64,
}

/// The invoice for `[from, to)`. Errors: `from` not before `to` (`InvalidInput`).
pub fn invoice(conn: &Connection, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Invoice> {
    if from >= to {
        return Err(CoreError::InvalidInput("period: the start must be before the end".into()));
    }
    let lines = queries::invoice_lines(conn, from, to)?;
    let refunds_minor = queries::refunds(conn, from, to)?;
    Ok(Invoice {
        from,
        to,
        products_minor: lines.iter().filter_map(|l| l.products_minor).sum(),
        shipping_minor: lines.iter().filter_map(|l| l.shipping_minor).sum(),
        total_minor: lines.iter().map(|l| l.total_minor).sum(),
        refunds_minor,
        lines,
    })
}

/// Cents as a plain decimal for spreadsheets: `-1234` → `-12.34`.
fn decimal(minor: i64) -> String {
    format_minor(minor, "USD")
}

/// The two export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceFormat {
    Csv,
    Pdf,
}

/// The CSV columns, in order.
pub const INVOICE_CSV_HEADER: [&str; 10] = [
    "Paid (UTC)",
    "Store",
    "Order",
    "Supplier",
    "Supplier order",
    "Items",
    "Products (USD)",
    "Shipping (USD)",
    "Total (USD)",
    "Paid with",
];

/// The invoice as CSV (RFC 4180, written by the `csv` crate): a header, one row per charged
/// sub-order, then a `Total` row; and, when there were refunds, a `Refunds` row. Amounts are
/// plain decimals in US dollars. A cell that a spreadsheet would run as a formula (`=`, `+`,
/// `-`, `@` at the start of a text field) is prefixed with `'`.
pub fn invoice_csv(invoice: &Invoice) -> Result<Vec<u8>> {
    let text = |s: &str| -> String {
        if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{s}")
        } else {
            s.to_owned()
        }
    };
    let opt = |m: Option<i64>| m.map(decimal).unwrap_or_default();
    let mut w = csv::Writer::from_writer(Vec::new());
    let csv_err = |e: csv::Error| CoreError::File(format!("writing the invoice CSV: {e}"));
    w.write_record(INVOICE_CSV_HEADER).map_err(csv_err)?;
    for l in &invoice.lines {
        w.write_record([
            l.paid_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            text(&l.store_name),
            text(&l.order_name),
            text(&l.supplier_name),
            text(&l.supplier_order_number),
            text(&l.items),
            opt(l.products_minor),
            opt(l.shipping_minor),
            decimal(l.total_minor),
            l.paid_with.clone(),
        ])
        .map_err(csv_err)?;
    }
    w.write_record([
        "Total".to_owned(),
        String::new(),
        format!("{} sub-orders", invoice.lines.len()),
        String::new(),
        String::new(),
        format!("{} to {}", invoice.from.format("%Y-%m-%d"), invoice.to.format("%Y-%m-%d")),
        decimal(invoice.products_minor),
        decimal(invoice.shipping_minor),
        decimal(invoice.total_minor),
        String::new(),
    ])
    .map_err(csv_err)?;
    if invoice.refunds_minor != 0 {
        let mut row = vec![String::new(); 10];
        row[0] = "Refunds".into();
        row[8] = decimal(invoice.refunds_minor);
        w.write_record(row).map_err(csv_err)?;
    }
    w.into_inner().map_err(|e| CoreError::File(format!("writing the invoice CSV: {e}")))
}

/// The fonts the invoice PDF embeds (see `core/fonts/README.md`): Noto Sans for Latin, Greek and
/// Cyrillic, Droid Sans Fallback for Chinese and kana. printpdf keeps only the glyphs a
/// document uses.
const LATIN_FONT: &[u8] = include_bytes!("../../fonts/NotoSans-subset.ttf");
const CJK_FONT: &[u8] = include_bytes!("../../fonts/DroidSansFallback-subset.ttf");

/// `s` cut to `max_chars` characters (an ellipsis marks the cut).
fn pdf_text(s: &str, max_chars: usize) -> String {
    if s.chars().count() > max_chars {
        s.chars().take(max_chars.saturating_sub(1)).collect::<String>() + "…"
    } else {
        s.to_owned()
    }
}

/// Writes text in the embedded fonts: each run of characters in the font that has them (Latin
/// first, then CJK), one after the other on the line; a character neither has prints as `?`.
struct PdfWriter {
    latin: printpdf::IndirectFontRef,
    cjk: printpdf::IndirectFontRef,
    /// The characters the Latin font has (read from its `cmap` once).
    latin_chars: std::collections::HashSet<char>,
    cjk_chars: std::collections::HashSet<char>,
}

impl PdfWriter {
    fn new(doc: &printpdf::PdfDocumentReference) -> Result<PdfWriter> {
        let pdf_err = |e: printpdf::Error| CoreError::File(format!("writing the invoice PDF: {e}"));
        let chars = |bytes: &[u8]| -> Result<std::collections::HashSet<char>> {
            let face = ttf_parser::Face::parse(bytes, 0)
                .map_err(|e| CoreError::File(format!("the invoice font is unreadable: {e}")))?;
            let mut set = std::collections::HashSet::new();
            if let Some(cmap) = face.tables().cmap {
                for table in cmap.subtables.into_iter().filter(|t| t.is_unicode()) {
                    table.codepoints(|c| {
                        if let Some(ch) = char::from_u32(c) {
                            set.insert(ch);
                        }
                    });
                }
            }
            Ok(set)
        };
        Ok(PdfWriter {
            latin: doc.add_external_font(LATIN_FONT).map_err(pdf_err)?,
            cjk: doc.add_external_font(CJK_FONT).map_err(pdf_err)?,
            latin_chars: chars(LATIN_FONT)?,
            cjk_chars: chars(CJK_FONT)?,
        })
    }

    /// `text` at (`x`, `y`) in `size` points.
    fn text(&self, layer: &printpdf::PdfLayerReference, text: &str, size: f32, x: printpdf::Mm, y: printpdf::Mm) {
        let mut runs: Vec<(bool, String)> = Vec::new();
        for c in text.chars() {
            let (cjk, c) = if self.latin_chars.contains(&c) {
                (false, c)
            } else if self.cjk_chars.contains(&c) {
                (true, c)
            } else {
                (false, '?')
            };
            match runs.last_mut() {
                Some((font, run)) if *font == cjk => run.push(c),
                _ => runs.push((cjk, c.to_string())),
            }
        }
        layer.begin_text_section();
        layer.set_text_cursor(x, y);
        for (cjk, run) in runs {
            let font = if cjk { &self.cjk } else { &self.latin };
            layer.set_font(font, size);
            layer.write_text(run, font);
        }
        layer.end_text_section();
    }
}

/// The invoice as an A4 landscape PDF made with `printpdf`, its text in the embedded fonts so
/// every name prints as written (张伟, Núñez): a title with the period, one row per charged
/// sub-order, page breaks with the column heads repeated, and the totals at the end.
pub fn invoice_pdf(invoice: &Invoice, title: &str) -> Result<Vec<u8>> {
    use printpdf::{BuiltinFont, Mm, PdfDocument};
    let (width, height) = (Mm(297.0), Mm(210.0));
    let (doc, page, layer) = PdfDocument::new(pdf_text(title, 80), width, height, "invoice");
    let pdf_err = |e: printpdf::Error| CoreError::File(format!("writing the invoice PDF: {e}"));
    let font = PdfWriter::new(&doc)?;
    let bold = doc.add_builtin_font(BuiltinFont::HelveticaBold).map_err(pdf_err)?;
    // x positions (mm) of: paid, order, ship to, supplier order, items, products, shipping, total.
    const COLUMNS: [f32; 8] = [12.0, 40.0, 62.0, 104.0, 140.0, 222.0, 246.0, 268.0];
    const HEADS: [&str; 8] =
        ["Paid (UTC)", "Order", "Ship to", "Supplier order", "Items", "Products", "Shipping", "Total"];
    let mut layer = doc.get_page(page).get_layer(layer);
    let mut y = 190.0f32;
    let heads = |layer: &printpdf::PdfLayerReference, y: f32| {
        for (x, head) in COLUMNS.iter().zip(HEADS) {
            layer.use_text(head, 9.0, Mm(*x), Mm(y), &bold);
        }
    };
    font.text(&layer, &pdf_text(title, 80), 16.0, Mm(12.0), Mm(y));
    y -= 8.0;
    let period = format!(
        "{} to {} (UTC) - {} charged sub-orders - amounts in USD",
        invoice.from.format("%Y-%m-%d"),
        invoice.to.format("%Y-%m-%d"),
        invoice.lines.len()
    );
    font.text(&layer, &period, 10.0, Mm(12.0), Mm(y));
    y -= 10.0;
    heads(&layer, y);
    y -= 6.0;
    let money = |m: Option<i64>| m.map(decimal).unwrap_or_else(|| "-".into());
    for line in &invoice.lines {
        if y < 18.0 {
            let (next_page, next_layer) = doc.add_page(width, height, "invoice");
            layer = doc.get_page(next_page).get_layer(next_layer);
            y = 190.0;
            heads(&layer, y);
            y -= 6.0;
        }
        let cells = [
            line.paid_at.format("%Y-%m-%d %H:%M").to_string(),
            pdf_text(&line.order_name, 12),
            pdf_text(line.ship_to.as_deref().unwrap_or("-"), 22),
            pdf_text(&line.supplier_order_number, 20),
            pdf_text(&line.items, 46),
            money(line.products_minor),
            money(line.shipping_minor),
            decimal(line.total_minor),
        ];
        for (x, cell) in COLUMNS.iter().zip(cells) {
            font.text(&layer, &cell, 8.5, Mm(*x), Mm(y));
        }
        y -= 5.0;
    }
    if y < 30.0 {
        let (next_page, next_layer) = doc.add_page(width, height, "invoice");
        layer = doc.get_page(next_page).get_layer(next_layer);
        y = 190.0;
    }
    y -= 4.0;
    layer.use_text("Total", 10.0, Mm(COLUMNS[4]), Mm(y), &bold);
    for (x, amount) in COLUMNS[5..].iter().zip([invoice.products_minor, invoice.shipping_minor, invoice.total_minor]) {
        layer.use_text(decimal(amount), 10.0, Mm(*x), Mm(y), &bold);
    }
    if invoice.refunds_minor != 0 {
        y -= 6.0;
        font.text(&layer, "Refunds to the wallet in the period", 9.0, Mm(COLUMNS[4]), Mm(y));
        font.text(&layer, &decimal(invoice.refunds_minor), 9.0, Mm(COLUMNS[7]), Mm(y));
    }
    doc.save_to_bytes().map_err(pdf_err)
}

/// Asks every supplier for its balance and records it (the ledger's reconciliation compares the
/// two), then returns the suppliers as stored. A platform with no balance (charged to a
/// billing method) has nothing to record. Errors: a supplier unreachable or refusing.
pub async fn refresh(ctx: &crate::context::Ctx) -> Result<Vec<crate::orders::views::SupplierView>> {
    for supplier in ctx.db.read(crate::orders::views::list_suppliers)?.into_iter().filter(|s| !s.disconnected) {
        if let Some(balance) = ctx.supplier_client(supplier.id)?.balance().await? {
            ctx.db.write(|tx| record_reported_balance(tx, supplier.id, balance))?;
        }
    }
    ctx.db.read(crate::orders::views::list_suppliers)
}

/// Records a recharge made on the supplier's site, or an adjustment (see
/// [`crate::wallet::record_entry`]).
pub fn record_wallet_entry(
    ctx: &Ctx,
    supplier_id: i64,
    kind: crate::wallet::ManualEntryKind,
    amount_minor: i64,
    note: &str,
) -> Result<i64> {
    ctx.db.write(|tx| {
        if !queries::supplier_exists(tx, supplier_id)? {
            return Err(CoreError::NotFound(format!("no supplier with id {supplier_id}")));
        }
        crate::wallet::record_entry(tx, supplier_id, kind, amount_minor, note)
    })
}

/// My Wallet → Recharge. On the embedded sandbox: the sandbox supplier's recharge call, a
/// `recharge` ledger entry, and a refresh. On a real CJ account (CJ has no recharge API):
/// `Ok(Some(url))`, the page to open in the browser; refresh afterwards.
pub async fn recharge_wallet(ctx: &Ctx, supplier_id: i64, amount_minor: i64) -> Result<Option<String>> {
    let supplier = crate::suppliers::supplier(ctx, supplier_id)?;
    if !supplier.is_sandbox {
        return Ok(Some(crate::app::CJ_WALLET_PAGE.to_owned()));
    }
    if !(1..=crate::wallet::MAX_ENTRY_MINOR).contains(&amount_minor) {
        return Err(CoreError::InvalidInput("amount: between $0.01 and $1000000.00".into()));
    }
    // The ledger is opened with the balance before the recharge, so the recharge is its own entry.
    if !ctx.db.read(|c| queries::ledger_opened(c, supplier_id))? {
        if let Some(before) = ctx.supplier_client(supplier_id)?.balance().await? {
            ctx.db.write(|tx| crate::wallet::record_reported_balance(tx, supplier_id, before))?;
        }
    }
    let balance = ctx.supplier_client(supplier_id)?.sandbox_recharge(amount_minor).await?;
    ctx.db.write(|tx| {
        crate::wallet::record_entry(
            tx,
            supplier_id,
            crate::wallet::ManualEntryKind::Recharge,
            amount_minor,
            "Recharged in the sandbox",
        )?;
        crate::wallet::record_reported_balance(tx, supplier_id, balance)
    })?;
    Ok(None)
}

/// Writes the invoice for `[from, to)` to `path` as CSV or PDF (by `format`), through a
/// temporary file renamed into place, so a full disk never leaves half a file. Returns the
/// invoice written. Errors: `File` with the path and the reason.
pub fn export_invoice(
    ctx: &Ctx,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    format: crate::wallet::InvoiceFormat,
    path: &std::path::Path,
) -> Result<crate::wallet::Invoice> {
    let invoice = ctx.db.read(|c| invoice(c, from, to))?;
    let bytes = match format {
        crate::wallet::InvoiceFormat::Csv => crate::wallet::invoice_csv(&invoice)?,
        crate::wallet::InvoiceFormat::Pdf => crate::wallet::invoice_pdf(&invoice, "Dropdock supplier invoices")?,
    };
    let file_error = |e: std::io::Error| CoreError::File(format!("could not write {}: {e}", path.display()));
    let tmp = path.with_extension("dropdock-tmp");
    std::fs::write(&tmp, &bytes).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        file_error(e)
    })?;
    std::fs::rename(&tmp, path).map_err(file_error)?;
    Ok(invoice)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Invoice {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let line = |order: &str, ship_to: &str, total: i64, shipping: Option<i64>| InvoiceLine {
            paid_at: at("2026-11-02T10:00:00Z"),
            store_name: "Demo".into(),
            order_name: order.into(),
            supplier_name: "CJ".into(),
            supplier_order_number: "CJ1".into(),
            ship_to: Some(ship_to.into()),
            items: "2 x SKU-1 ✓".into(),
            products_minor: shipping.map(|s| total - s),
            shipping_minor: shipping,
            total_minor: total,
            paid_with: "wallet".into(),
        };
        let lines = vec![line("#1001", "张伟", 1234, Some(400)), line("=HYPERLINK(\"x\")", "Núñez", 99, None)];
        Invoice {
            from: at("2026-11-01T00:00:00Z"),
            to: at("2026-12-01T00:00:00Z"),
            products_minor: 834,
            shipping_minor: 400,
            total_minor: 1333,
            refunds_minor: 0,
            lines,
        }
    }

    #[test]
    fn the_csv_has_a_row_per_sub_order_and_the_totals_and_no_formulas() {
        let csv = String::from_utf8(invoice_csv(&sample()).unwrap()).unwrap();
        let rows: Vec<&str> = csv.lines().collect();
        assert_eq!(rows.len(), 4, "{csv}");
        assert!(rows[1].ends_with("8.34,4.00,12.34,wallet"), "{}", rows[1]);
        assert!(rows[2].contains("'=HYPERLINK"), "a formula is defused: {}", rows[2]);
        assert!(rows[3].starts_with("Total,,2 sub-orders") && rows[3].contains("8.34,4.00,13.33"), "{}", rows[3]);
        assert_eq!(decimal(-5), "-0.05");
    }

    #[test]
    fn the_pdf_is_a_pdf_with_the_totals() {
        let pdf = invoice_pdf(&sample(), "Dropdock invoices").unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        println!("invoice PDF of {} lines: {} bytes", sample().lines.len(), pdf.len());
        let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
        // Every name as written, in the embedded fonts; a character neither font has (✓) is `?`.
        for expected in ["Dropdock invoices", "#1001", "张伟", "Núñez", "CJ1", "2 x SKU-1 ?", "12.34", "Total", "13.33"]
        {
            assert!(text.contains(expected), "{expected} in {text}");
        }
    }
}
