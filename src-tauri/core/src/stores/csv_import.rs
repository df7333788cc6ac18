//! Other stores: orders imported from a CSV file, read with the `csv` crate.
//!
//! Two formats, told apart by their header row:
//! - **Shopify's order export** (Shopify admin → Orders → Export, "CSV for Excel, Numbers, or other
//!   spreadsheet programs"): one row per line item; an order's first row carries its fields
//!   (`Name`, `Email`, `Financial Status`, `Fulfillment Status`, `Currency`, `Total`, `Created at`
//!   as `2026-03-01 10:15:22 -0500`, `Shipping Name` … `Shipping Country` as a two-letter code,
//!   `Shipping Phone`), every row its line item's (`Lineitem quantity`, `Lineitem name`,
//!   `Lineitem price`, `Lineitem sku`, `Lineitem requires shipping`).
//! - **Dropdock's template** ([`TEMPLATE_HEADER`]): one row per line item, every row complete.
//!
//! A preview parses the whole file and compares it with what is stored, before anything is
//! written: each row that cannot be read is reported with its line number (the physical line
//! where it starts) and reason, and its whole order is left out (never half an order). A quote
//! that is never closed, or closed lines later, makes the `csv` crate read the rows after it as
//! one field: such a row is reported with the line where the quote opens and the lines it
//! swallowed, never imported as if those orders were not there. Files are read as UTF-8, UTF-16
//! (by its byte-order mark, or its zero bytes) or Windows-1252 (Latin-1's superset, what Excel
//! writes on Western Windows), with `encoding_rs`; the size is checked before anything is read. Importing stores the readable orders through
//! the same upsert as a sync, so importing the same file again changes nothing, and a changed
//! order counts as "To update".

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use crate::context::Ctx;
use crate::countries::is_known_country;
use crate::error::{CoreError, Result};
use crate::model::{Address, LineItem, Order};
use crate::money::parse_minor;
use crate::stores::shopify::clean_text;

/// Dropdock's own CSV template: the header row.
pub const TEMPLATE_HEADER: &[&str] = &[
    "order_number",
    "created_at",
    "financial_status",
    "currency",
    "order_total",
    "email",
    "customer_name",
    "shipping_name",
    "shipping_address1",
    "shipping_address2",
    "shipping_city",
    "shipping_province",
    "shipping_zip",
    "shipping_country",
    "shipping_phone",
    "sku",
    "item_title",
    "quantity",
    "unit_price",
    "requires_shipping",
];

/// Files larger than this are refused (a CSV of orders is rarely a tenth of it).
pub const MAX_CSV_BYTES: usize = 50 * 1024 * 1024;

/// Which format a file is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CsvFormat {
    ShopifyExport,
    DropdockTemplate,
}

/// A row that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CsvRowError {
    /// The line in the file (the header is line 1).
    #[ts(type = "number")]
    pub line: u64,
    /// The order the row belongs to, when it says.
    pub order: Option<String>,
    pub reason: String,
}

/// What an import would do (the preview) or did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CsvImport {
    pub store_name: String,
    pub format: CsvFormat,
    /// The encoding the file was read in: `UTF-8`, `UTF-16LE`, `UTF-16BE` or `windows-1252`.
    pub encoding: String,
    /// Orders readable in the file.
    pub orders: u32,
    /// Of them: new to Dropdock, changed since the last import, and the same.
    pub additions: u32,
    pub updates: u32,
    pub unchanged: u32,
    /// Rows that cannot be read; their orders are left out.
    pub errors: Vec<CsvRowError>,
    /// True once stored (false for a preview).
    pub imported: bool,
    /// The summary line, in the seed's shape: `Import {time} complete, Plan execution: Total
    /// additions X, To update Y, fail Z` (`Preview` for a preview; Z counts the orders left out).
    pub line: String,
}

/// The readable orders of a file, and the rows that were not.
pub struct ParsedCsv {
    pub format: CsvFormat,
    pub orders: Vec<Order>,
    pub errors: Vec<CsvRowError>,
}

/// Columns by name, from the header row.
struct Columns(HashMap<String, usize>);

impl Columns {
    fn get<'a>(&self, record: &'a csv::StringRecord, name: &str) -> &'a str {
        self.0.get(name).and_then(|i| record.get(*i)).map(str::trim).unwrap_or("")
    }
}

fn opt(s: &str) -> Option<String> {
    let s = clean_text(s);
    (!s.is_empty()).then_some(s)
}

fn date(s: &str) -> std::result::Result<DateTime<Utc>, String> {
    let s = s.trim();
    DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S %z")
        .map(|t| t.with_timezone(&Utc))
        .or_else(|_| DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)))
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").map(|t| t.and_utc()))
        .map_err(|_| format!("'{}' is not a date (2026-03-01 10:15:22 -0500, or RFC 3339)", crate::money::clip(s)))
}

fn boolean(s: &str, field: &str) -> std::result::Result<bool, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "" | "true" | "yes" | "1" => Ok(true),
        "false" | "no" | "0" => Ok(false),
        other => Err(format!("{field} '{}' is not true or false", crate::money::clip(other))),
    }
}

/// One order being read: its fields from its first row, its line items from every row.
struct Building {
    order: Order,
    first_line: u64,
    broken: bool,
}

/// The error for a file over [`MAX_CSV_BYTES`] (checked before it is read where the size is
/// known: the CLI's file, the app's file picker).
pub fn too_large() -> CoreError {
    CoreError::InvalidInput(format!("the file is larger than {} MB", MAX_CSV_BYTES / 1024 / 1024))
}

/// A file's text and the encoding it was read in: UTF-16 by its byte-order mark or, without
/// one, by its zero bytes (ASCII in UTF-16 is every other byte zero); else UTF-8 when it is
/// valid UTF-8 (a UTF-8 byte-order mark is dropped); else Windows-1252, which reads every byte
/// (Latin-1 files included). Errors: over [`MAX_CSV_BYTES`], or UTF-16 that does not decode,
/// with the line of the first bad unit.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str)> {
    if bytes.len() > MAX_CSV_BYTES {
        return Err(too_large());
    }
    let utf16 = match bytes {
        [0xFF, 0xFE, ..] => Some((encoding_rs::UTF_16LE, &bytes[2..])),
        [0xFE, 0xFF, ..] => Some((encoding_rs::UTF_16BE, &bytes[2..])),
        _ => {
            let sample = &bytes[..bytes.len().min(4096)];
            let zeros_at = |parity: usize| sample.iter().skip(parity).step_by(2).filter(|b| **b == 0).count();
            let half = sample.len() / 2;
            if half >= 2 && zeros_at(1) * 10 >= half * 9 {
                Some((encoding_rs::UTF_16LE, bytes))
            } else if half >= 2 && zeros_at(0) * 10 >= half * 9 {
                Some((encoding_rs::UTF_16BE, bytes))
            } else {
                None
            }
        }
    };
    if let Some((encoding, body)) = utf16 {
        return match encoding.decode_without_bom_handling_and_without_replacement(body) {
            Some(text) => Ok((text.into_owned(), encoding.name())),
            None => {
                // The first unit that does not decode, as a line of the file.
                let (text, _) = encoding.decode_without_bom_handling(body);
                let line = text.split('\u{FFFD}').next().map_or(1, |before| before.matches('\n').count() + 1);
                Err(CoreError::InvalidInput(format!(
                    "the file is not valid {}: line {line} has a bad character",
                    encoding.name()
                )))
            }
        };
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(text) => Ok((text.to_owned(), "UTF-8")),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(body);
            Ok((text.into_owned(), "windows-1252"))
        }
    }
}

/// Reads a whole file. Errors only when it is not a CSV of orders at all (empty, unreadable
/// header, neither format); a bad row is a [`CsvRowError`], never an error of the file.
pub fn parse(text: &str) -> Result<ParsedCsv> {
    if text.len() > MAX_CSV_BYTES {
        return Err(too_large());
    }
    let text = text.trim_start_matches('\u{feff}'); // Excel's byte-order mark
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| CoreError::InvalidInput(format!("the file is not a CSV: {e}")))?.clone();
    let columns = Columns(header.iter().enumerate().map(|(i, h)| (h.trim().to_owned(), i)).collect());
    let format = if columns.0.contains_key("Lineitem quantity") && columns.0.contains_key("Name") {
        CsvFormat::ShopifyExport
    } else if TEMPLATE_HEADER.iter().all(|c| columns.0.contains_key(*c)) {
        CsvFormat::DropdockTemplate
    } else {
        return Err(CoreError::InvalidInput(
            "this CSV is neither Shopify's order export nor Dropdock's template: check its header row".into(),
        ));
    };
    let mut orders: Vec<Building> = Vec::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let mut errors = Vec::new();
    let mut next_line = 2;
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(next_line, |p| line_at(text, p.byte()));
                errors.push(CsvRowError { line, order: None, reason: format!("unreadable row: {e}") });
                continue;
            }
        };
        // The physical line the row starts on (a quoted field may hold line breaks); read from
        // the byte offset, past the line break the reader stops before (CRLF files).
        let line = record.position().map_or(next_line, |p| line_at(text, p.byte()));
        let spans = record.iter().map(|f| f.matches('\n').count() as u64).sum::<u64>();
        next_line = line + spans + 1;
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if let Some(swallowed) = swallowed_rows(&record, header.len()) {
            let name = clean_text(record.get(0).unwrap_or_default());
            errors.push(CsvRowError {
                line,
                order: Some(name).filter(|n| !n.is_empty()),
                reason: format!(
                    "a quote opened on line {line} is {}: lines {}–{} were read as part of one field ({swallowed} rows in it); fix the quote and import again",
                    if text.matches('"').count() % 2 == 1 { "never closed" } else { "closed only lines later" },
                    line + 1,
                    line + record.iter().map(|f| f.trim_end_matches(['\r', '\n']).matches('\n').count() as u64).sum::<u64>()
                ),
            });
            continue;
        }
        let (name_col, row) = match format {
            CsvFormat::ShopifyExport => ("Name", read_shopify_row(&columns, &record)),
            CsvFormat::DropdockTemplate => ("order_number", read_template_row(&columns, &record)),
        };
        let name = clean_text(columns.get(&record, name_col));
        if name.is_empty() {
            errors.push(CsvRowError { line, order: None, reason: format!("{name_col} is empty") });
            continue;
        }
        let name =
            if format == CsvFormat::DropdockTemplate && !name.starts_with('#') { format!("#{name}") } else { name };
        let index = *by_name.entry(name.clone()).or_insert_with(|| {
            orders.push(Building { order: empty_order(&name), first_line: line, broken: false });
            orders.len() - 1
        });
        let building = &mut orders[index];
        let first_row = building.first_line == line;
        match row {
            Ok((head, item)) => {
                if first_row {
                    match head {
                        Some(head) => apply_head(&mut building.order, head),
                        None => {
                            building.broken = true;
                            errors.push(CsvRowError {
                                line,
                                order: Some(name.clone()),
                                reason: "the order's first row has no order fields".into(),
                            });
                            continue;
                        }
                    }
                }
                let mut item = item;
                item.remote_id = (building.order.line_items.len() + 1).to_string();
                building.order.line_items.push(item);
            }
            Err(reason) => {
                building.broken = true;
                errors.push(CsvRowError { line, order: Some(name.clone()), reason });
            }
        }
    }
    let orders = orders.into_iter().filter(|b| !b.broken).map(|b| b.order).collect();
    Ok(ParsedCsv { format, orders, errors })
}

/// The line (from 1) of the first character at or after byte `offset` that is not a line break.
fn line_at(text: &str, offset: u64) -> u64 {
    let bytes = text.as_bytes();
    let mut at = (offset as usize).min(bytes.len());
    while matches!(bytes.get(at), Some(b'\r' | b'\n')) {
        at += 1;
    }
    bytes[..at].iter().filter(|b| **b == b'\n').count() as u64 + 1
}

/// How many rows of the file one field of `record` holds when a stray quote has made the rows
/// after it part of the field: its inner lines that split into at least half a row's columns
/// (at least 3; a row cut short by the closing quote still counts). `None` for a field that is
/// only text with line breaks.
fn swallowed_rows(record: &csv::StringRecord, columns: usize) -> Option<usize> {
    let enough = (columns / 2).max(3);
    let rows = record
        .iter()
        .filter(|f| f.contains('\n'))
        .map(|f| f.lines().skip(1).filter(|l| l.matches(',').count() + 1 >= enough).count())
        .sum::<usize>();
    (rows > 0).then_some(rows)
}

/// An order's own fields, as its first row gives them.
struct Head {
    financial_status: String,
    fulfillment_status: String,
    currency: String,
    total_minor: i64,
    created_at: DateTime<Utc>,
    email: Option<String>,
    customer_name: Option<String>,
    address: Option<Address>,
}

fn empty_order(name: &str) -> Order {
    Order {
        remote_id: format!("csv:{name}"),
        name: name.to_owned(),
        created_at: DateTime::<Utc>::UNIX_EPOCH,
        updated_at: DateTime::<Utc>::UNIX_EPOCH,
        financial_status: String::new(),
        fulfillment_status: String::new(),
        email: None,
        customer_name: None,
        total_minor: 0,
        refunded_minor: 0,
        currency: String::new(),
        shipping_address: None,
        line_items: Vec::new(),
        cancelled_at: None,
        risk: None,
    }
}

fn apply_head(order: &mut Order, head: Head) {
    order.created_at = head.created_at;
    // A file has no "updated at": the creation time keeps re-imports unchanged.
    order.updated_at = head.created_at;
    order.financial_status = head.financial_status;
    order.fulfillment_status = head.fulfillment_status;
    order.currency = head.currency;
    order.total_minor = head.total_minor;
    order.email = head.email;
    order.customer_name = head.customer_name;
    order.shipping_address = head.address;
}

/// A shipping address from its fields (name, address 1, address 2, city, province, zip, country,
/// phone); `None` when it has neither street nor country (nothing to ship).
fn address(
    [name, address1, address2, city, province, zip, country, phone]: [&str; 8],
) -> std::result::Result<Option<Address>, String> {
    if address1.trim().is_empty() && country.trim().is_empty() {
        return Ok(None);
    }
    let address1 = opt(address1).ok_or("the shipping street (address 1) is empty")?;
    let country = country.trim().to_ascii_uppercase();
    if !is_known_country(&country) {
        return Err(format!("shipping country '{}' is not a two-letter ISO code", crate::money::clip(&country)));
    }
    Ok(Some(Address {
        name: opt(name),
        address1,
        address2: opt(address2),
        city: opt(city),
        province: opt(province),
        zip: opt(zip),
        country_code: country,
        phone: opt(phone),
    }))
}

fn currency_code(s: &str) -> std::result::Result<String, String> {
    let c = s.trim().to_ascii_uppercase();
    if crate::money::is_known_currency(&c) {
        Ok(c)
    } else {
        Err(format!("currency '{}' is not an ISO 4217 code", crate::money::clip(s)))
    }
}

fn line_item(
    sku: &str,
    title: &str,
    quantity: &str,
    price: &str,
    currency: &str,
    requires: &str,
) -> std::result::Result<LineItem, String> {
    let quantity: i64 = match quantity.trim().parse::<i64>() {
        Ok(q) if (1..=crate::model::MAX_QUANTITY).contains(&q) => q,
        Ok(q) if q > crate::model::MAX_QUANTITY => {
            return Err(format!("quantity {q} is over the limit of {}", crate::model::MAX_QUANTITY))
        }
        _ => return Err(format!("quantity '{}' is not a positive whole number", crate::money::clip(quantity))),
    };
    // A CSV names no product id: the SKU stands for the product (else its title), so the
    // Products page lists it and a mapping by product reaches these lines.
    let product_id: Option<String> = opt(sku).or_else(|| opt(title)).map(|p| p.chars().take(64).collect());
    Ok(LineItem {
        remote_id: String::new(),
        sku: opt(sku),
        title: opt(title).unwrap_or_else(|| "(untitled item)".into()),
        quantity,
        unit_price_minor: parse_minor(price.trim(), currency).map_err(|e| format!("price: {e}"))?,
        requires_shipping: boolean(requires, "requires shipping")?,
        product_ref: None,
        store_product_id: product_id,
        store_variant_id: None,
    })
}

/// Where a format keeps the shipping address and the line item: column names.
struct Layout {
    /// name, address 1, address 2, city, province, zip, country, phone
    address: [&'static str; 8],
    /// SKU, title, quantity, unit price, requires shipping
    item: [&'static str; 5],
}

const SHOPIFY_LAYOUT: Layout = Layout {
    address: [
        "Shipping Name",
        "Shipping Address1",
        "Shipping Address2",
        "Shipping City",
        "Shipping Province",
        "Shipping Zip",
        "Shipping Country",
        "Shipping Phone",
    ],
    item: ["Lineitem sku", "Lineitem name", "Lineitem quantity", "Lineitem price", "Lineitem requires shipping"],
};

const TEMPLATE_LAYOUT: Layout = Layout {
    address: [
        "shipping_name",
        "shipping_address1",
        "shipping_address2",
        "shipping_city",
        "shipping_province",
        "shipping_zip",
        "shipping_country",
        "shipping_phone",
    ],
    item: ["sku", "item_title", "quantity", "unit_price", "requires_shipping"],
};

impl Layout {
    fn address(&self, c: &Columns, r: &csv::StringRecord) -> std::result::Result<Option<Address>, String> {
        address(self.address.map(|col| c.get(r, col)))
    }

    fn line_item(&self, c: &Columns, r: &csv::StringRecord, currency: &str) -> std::result::Result<LineItem, String> {
        let [sku, title, quantity, price, requires] = self.item.map(|col| c.get(r, col));
        line_item(sku, title, quantity, price, currency, requires)
    }
}

/// A row of Shopify's export: the order's fields when the row carries them (its first row),
/// and its line item.
fn read_shopify_row(c: &Columns, r: &csv::StringRecord) -> std::result::Result<(Option<Head>, LineItem), String> {
    let has_head = !c.get(r, "Financial Status").is_empty() || !c.get(r, "Created at").is_empty();
    let currency =
        if c.get(r, "Currency").is_empty() { "USD".to_owned() } else { currency_code(c.get(r, "Currency"))? };
    let head = if has_head {
        let created_at = date(c.get(r, "Created at")).map_err(|e| format!("Created at {e}"))?;
        Some(Head {
            financial_status: c.get(r, "Financial Status").to_ascii_uppercase(),
            fulfillment_status: match c.get(r, "Fulfillment Status").to_ascii_lowercase().as_str() {
                "fulfilled" => "FULFILLED".into(),
                "partial" => "PARTIALLY_FULFILLED".into(),
                _ => "UNFULFILLED".into(),
            },
            total_minor: parse_minor(c.get(r, "Total"), &currency).map_err(|e| format!("Total: {e}"))?,
            currency: currency.clone(),
            created_at,
            email: opt(c.get(r, "Email")),
            customer_name: opt(c.get(r, "Billing Name")).or_else(|| opt(c.get(r, "Shipping Name"))),
            address: SHOPIFY_LAYOUT.address(c, r)?,
        })
    } else {
        None
    };
    Ok((head, SHOPIFY_LAYOUT.line_item(c, r, &currency)?))
}

/// A row of Dropdock's template: every row is complete; the first of an order gives its fields.
fn read_template_row(c: &Columns, r: &csv::StringRecord) -> std::result::Result<(Option<Head>, LineItem), String> {
    let currency = currency_code(c.get(r, "currency"))?;
    let status = c.get(r, "financial_status").to_ascii_lowercase();
    let financial_status = match status.as_str() {
        "paid" => "PAID".to_owned(),
        "pending" | "" => "PENDING".to_owned(),
        other => other.to_ascii_uppercase(),
    };
    let head = Head {
        financial_status,
        fulfillment_status: "UNFULFILLED".into(),
        total_minor: parse_minor(c.get(r, "order_total"), &currency).map_err(|e| format!("order_total: {e}"))?,
        currency: currency.clone(),
        created_at: date(c.get(r, "created_at")).map_err(|e| format!("created_at {e}"))?,
        email: opt(c.get(r, "email")),
        customer_name: opt(c.get(r, "customer_name")).or_else(|| opt(c.get(r, "shipping_name"))),
        address: TEMPLATE_LAYOUT.address(c, r)?,
    };
    Ok((Some(head), TEMPLATE_LAYOUT.line_item(c, r, &currency)?))
}

/// What importing the file `bytes` into the CSV store `store_name` would do: nothing is
/// written. Errors: the file is too large or not text ([`decode`]), not a CSV of orders, or
/// the name is taken by a store of another platform.
pub fn preview_csv_import(ctx: &Ctx, store_name: &str, bytes: &[u8]) -> Result<CsvImport> {
    csv_import(ctx, store_name, bytes, false)
}

/// Imports the file `bytes` into the CSV store `store_name` (created on first import):
/// readable orders are stored (new, or updated when changed); rows that cannot be read are
/// reported and their orders left out. Importing the same file again changes nothing.
pub fn import_csv(ctx: &Ctx, store_name: &str, bytes: &[u8]) -> Result<CsvImport> {
    csv_import(ctx, store_name, bytes, true)
}

fn csv_import(ctx: &Ctx, store_name: &str, bytes: &[u8], store: bool) -> Result<CsvImport> {
    let store_name = store_name.trim();
    if store_name.is_empty() || store_name.chars().count() > 80 || store_name.chars().any(char::is_control) {
        return Err(CoreError::InvalidInput("name the store the orders come from (1 to 80 characters)".into()));
    }
    let (text, encoding) = decode(bytes)?;
    let parsed = parse(&text)?;
    let existing: Option<(i64, String)> = ctx.db.read(|c| {
        Ok(c.query_row("SELECT id, platform FROM store WHERE name = ?1", [store_name], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    })?;
    if let Some((_, platform)) = existing.as_ref().filter(|(_, p)| p != "csv") {
        return Err(CoreError::InvalidInput(format!("{store_name} is a {platform} store: import into another name")));
    }
    let now = Utc::now();
    let (mut additions, mut updates, mut unchanged) = (0u32, 0u32, 0u32);
    if store {
        ctx.db.write(|tx| {
            let store_id = match existing.as_ref() {
                Some((id, _)) => *id,
                None => {
                    tx.execute(
                        "INSERT INTO store (name, platform, base_url, created_at, paused) VALUES (?1, 'csv', 'csv:', ?2, 1)",
                        params![store_name, now],
                    )?;
                    tx.last_insert_rowid()
                }
            };
            for (_, outcome) in crate::stores::sync::upsert_page(tx, store_id, &parsed.orders, now)? {
                match outcome {
                    crate::stores::sync::Upsert::Added => additions += 1,
                    crate::stores::sync::Upsert::Updated => updates += 1,
                    crate::stores::sync::Upsert::Unchanged => unchanged += 1,
                }
            }
            let status = if parsed.errors.is_empty() { "complete" } else { "partial" };
            tx.execute(
                "UPDATE store SET last_sync_at = ?2, last_sync_status = ?3, last_sync_error = ?4 WHERE id = ?1",
                params![store_id, now, status, (!parsed.errors.is_empty()).then(|| format!("{} row(s) could not be read", parsed.errors.len()))],
            )?;
            Ok(())
        })?;
    } else {
        ctx.db.read(|c| {
            let store_id = existing.as_ref().map(|(id, _)| *id);
            for order in &parsed.orders {
                let stored: Option<String> = match store_id {
                    Some(id) => c
                        .prepare_cached("SELECT content_hash FROM orders WHERE store_id = ?1 AND remote_id = ?2")?
                        .query_row(params![id, order.remote_id], |r| r.get(0))
                        .optional()?,
                    None => None,
                };
                match stored {
                    None => additions += 1,
                    Some(hash) if hash == crate::stores::sync::content_hash(order) => unchanged += 1,
                    Some(_) => updates += 1,
                }
            }
            Ok(())
        })?;
    }
    let failed_orders: std::collections::BTreeSet<&str> =
        parsed.errors.iter().map(|e| e.order.as_deref().unwrap_or("")).collect();
    let fail = failed_orders.len();
    let outcome = if parsed.errors.is_empty() { "complete" } else { "partial" };
    let line = if store {
        format!(
            "Import {} {outcome}, Plan execution: Total additions {additions}, To update {updates}, fail {fail}",
            now.format("%Y-%m-%d %H:%M:%S UTC")
        )
    } else {
        format!("Preview: Total additions {additions}, To update {updates}, fail {fail}")
    };
    Ok(CsvImport {
        store_name: store_name.to_owned(),
        format: parsed.format,
        encoding: encoding.to_owned(),
        orders: parsed.orders.len() as u32,
        additions,
        updates,
        unchanged,
        errors: parsed.errors,
        imported: store,
        line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHOPIFY: &str = "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,Shipping Name,Shipping Street,Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Id
#1001,ana@example.com,paid,2026-03-01 10:16:00 -0500,unfulfilled,,no,USD,39.98,4.99,0.00,44.97,,0.00,Standard,2026-03-01 10:15:22 -0500,2,Ceramic Mug - White,14.99,,DD-MUG-WHT,true,true,pending,Ana Núñez,Ana Núñez,12 Main St,12 Main St,Apt 4,,Austin,78701,TX,US,+1 555 0100,5550001
#1001,,,,,,,,,,,,,,,,1,Care Guide (e-book),9.99,,DD-EBOOK,false,true,pending,,,,,,,,,,,,
#1002,li@example.com,pending,,unfulfilled,,no,EUR,24.99,0.00,0.00,24.99,,0.00,,2026-03-02 08:00:00 +0100,1,LED Strip Lights 5 m,24.99,,DD-LED-5M,true,true,pending,Li Wei,Li Wei,Hauptstraße 1,Hauptstraße 1,,,Köln,50667,,DE,,5550002
";

    #[test]
    fn shopify_export_rows_become_orders_with_their_line_items() {
        let parsed = parse(SHOPIFY).unwrap();
        assert_eq!(parsed.format, CsvFormat::ShopifyExport);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let [first, second] = &parsed.orders[..] else { panic!("two orders") };
        assert_eq!((first.name.as_str(), first.remote_id.as_str()), ("#1001", "csv:#1001"));
        assert_eq!(
            (first.financial_status.as_str(), first.total_minor, first.currency.as_str()),
            ("PAID", 4497, "USD")
        );
        assert_eq!(first.created_at.to_rfc3339(), "2026-03-01T15:15:22+00:00");
        assert_eq!(first.line_items.len(), 2);
        assert_eq!(
            (first.line_items[0].sku.as_deref(), first.line_items[0].quantity, first.line_items[0].unit_price_minor),
            (Some("DD-MUG-WHT"), 2, 1499)
        );
        assert!(!first.line_items[1].requires_shipping);
        let address = first.shipping_address.as_ref().unwrap();
        assert_eq!(
            (address.address2.as_deref(), address.country_code.as_str(), address.phone.as_deref()),
            (Some("Apt 4"), "US", Some("+1 555 0100"))
        );
        assert_eq!(second.currency, "EUR");
        assert_eq!(second.financial_status, "PENDING");
    }

    #[test]
    fn a_bad_row_leaves_its_whole_order_out_with_the_line_and_reason() {
        let broken = SHOPIFY.replace(",1,Care Guide (e-book),9.99,", ",1,Care Guide (e-book),9.9x,");
        let parsed = parse(&broken).unwrap();
        assert_eq!(parsed.orders.len(), 1, "#1001 is left out, #1002 stays");
        assert_eq!(parsed.errors.len(), 1);
        let e = &parsed.errors[0];
        assert_eq!((e.line, e.order.as_deref()), (3, Some("#1001")));
        assert!(e.reason.starts_with("price"), "{}", e.reason);
        let country = SHOPIFY.replace(",Köln,50667,,DE,", ",Köln,50667,,Germany,");
        assert_eq!(
            parse(&country).unwrap().errors[0].reason,
            "shipping country 'GERMANY' is not a two-letter ISO code"
        );
    }

    #[test]
    fn the_template_reads_and_other_files_are_refused() {
        let template = format!(
            "{}\n1001,2026-03-01T10:00:00Z,paid,USD,29.98,a@example.com,Ann,Ann,1 High St,,Leeds,,LS1 4DY,GB,,DD-CASE-14,Phone Case,2,14.99,true\n",
            TEMPLATE_HEADER.join(",")
        );
        let parsed = parse(&template).unwrap();
        assert_eq!(parsed.format, CsvFormat::DropdockTemplate);
        assert_eq!(parsed.orders[0].name, "#1001");
        assert_eq!(parsed.orders[0].line_items[0].unit_price_minor, 1499);
        let err = parse("a,b,c\n1,2,3\n").err().unwrap();
        assert!(err.to_string().contains("neither Shopify's order export nor Dropdock's template"));
        assert!(parse("").is_err());
    }

    /// The template with one row per `(order number, item title, quantity)`.
    fn template(rows: &[(&str, &str, &str)]) -> String {
        let mut text = TEMPLATE_HEADER.join(",");
        for (number, title, quantity) in rows {
            text.push_str(&format!(
                "\n{number},2026-03-01T10:00:00Z,paid,EUR,14.99,a@example.com,Ann Núñez,Ann Núñez,1 High St,,Leeds,,LS1 4DY,GB,,DD-CASE-14,{title},{quantity},14.99,true"
            ));
        }
        text.push('\n');
        text
    }

    #[test]
    fn an_unterminated_quote_is_reported_with_its_line_and_the_lines_it_swallowed() {
        // Q2's item title opens a quote that never closes: Q3 and Q4 would vanish into it.
        let text = template(&[("Q1", "Ann", "1"), ("Q2", "\"Bea", "1"), ("Q3", "Cy", "1"), ("Q4", "Di", "1")]);
        let parsed = parse(&text).unwrap();
        assert_eq!(parsed.orders.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(), ["#Q1"]);
        let [e] = &parsed.errors[..] else { panic!("{:?}", parsed.errors) };
        assert_eq!(e.line, 3, "the line where the quote opens");
        assert!(e.reason.contains("never closed") && e.reason.contains("lines 4–5"), "{}", e.reason);
        assert!(e.reason.contains("2 rows"), "{}", e.reason);
        // A quote closed lines later swallows the rows between, and says so too; the row after
        // it keeps its own line number.
        let closed_late = template(&[("Q1", "Ann", "1"), ("Q2", "\"Bea", "1"), ("Q3", "Cy\"", "1"), ("Q4", "Di", "1")]);
        let parsed = parse(&closed_late).unwrap();
        assert_eq!(parsed.errors.len(), 1, "{:?}", parsed.errors);
        assert!(parsed.errors[0].reason.contains("closed only lines later"), "{}", parsed.errors[0].reason);
        assert_eq!(parsed.orders.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(), ["#Q1", "#Q4"]);
        // A field with a line break and no swallowed rows is text, read as such.
        let note = template(&[("Q1", "\"Ann\nSmith\"", "1"), ("Q2", "Bea", "x")]);
        let parsed = parse(&note).unwrap();
        assert_eq!(parsed.orders.len(), 1);
        assert_eq!((parsed.errors[0].line, parsed.errors[0].order.as_deref()), (4, Some("#Q2")), "physical line 4");
    }

    #[test]
    fn crlf_files_report_the_same_lines() {
        let text = template(&[("Q1", "Case", "1"), ("Q2", "Case", "x")]).replace('\n', "\r\n");
        let parsed = parse(&text).unwrap();
        assert_eq!((parsed.errors[0].line, parsed.orders.len()), (3, 1), "{:?}", parsed.errors);
    }

    #[test]
    fn quantities_past_the_limit_fail_their_order() {
        let text = template(&[("Q1", "Ann", "9223372036854775807"), ("Q2", "Bea", "100001"), ("Q3", "Cy", "100000")]);
        let parsed = parse(&text).unwrap();
        assert_eq!(parsed.orders.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(), ["#Q3"]);
        assert!(parsed.errors.iter().all(|e| e.reason.contains("over the limit of 100000")), "{:?}", parsed.errors);
    }

    #[test]
    fn latin_1_windows_1252_and_utf_16_files_are_detected_and_read() {
        let text = template(&[("Q1", "Núñez", "1")]);
        let latin1: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
        let (read, encoding) = decode(&latin1).unwrap();
        assert_eq!((read.as_str(), encoding), (text.as_str(), "windows-1252"));
        let mut utf16le = vec![0xFF, 0xFE];
        utf16le.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode(&utf16le).unwrap(), (text.clone(), "UTF-16LE"));
        let utf16be_no_bom: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(decode(&utf16be_no_bom).unwrap(), (text.clone(), "UTF-16BE"));
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend(text.as_bytes());
        assert_eq!(decode(&with_bom).unwrap(), (text.clone(), "UTF-8"));
        // A lone surrogate on line 2 of a UTF-16 file: refused with the line.
        let mut bad = vec![0xFF, 0xFE];
        bad.extend("a,b\nc".encode_utf16().flat_map(|u| u.to_le_bytes()));
        bad.extend(0xD800u16.to_le_bytes());
        let err = decode(&bad).unwrap_err().to_string();
        assert!(err.contains("UTF-16LE") && err.contains("line 2"), "{err}");
        assert!(decode(&vec![b'a'; MAX_CSV_BYTES + 1]).unwrap_err().to_string().contains("larger than 50 MB"));
    }
}
