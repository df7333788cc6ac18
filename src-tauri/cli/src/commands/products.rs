//! `products …`: the store catalogue (Products page): sync it, list it with what ships each
//! variant. Lines are tab-separated and stable: merchants script them.

use anyhow::{bail, Result};
use clap::Subcommand;
use dropdock_core::products::{MappingKind, ProductQuery, ProductTab};

use super::Ctx;
use crate::output::money;

#[derive(Subcommand)]
pub(crate) enum ProductsCommand {
    /// Read one store's catalogue (products and variants) now; prints `Catalogue {time}
    /// complete, products X, variants Y, removed Z, fail F` and a `fail REFERENCE: REASON` line
    /// per product that could not be read.
    Sync {
        #[arg(long)]
        store: String,
    },
    /// Every store variant, one a line: `STORE PRODUCT[/VARIANT] SKU TITLE STATUS MAPPING
    /// SUPPLIER VID COST WAITING` (tab-separated, `-` for none; MAPPING is `variant`, `sku` or
    /// `unmapped`; WAITING counts the paid orders it holds). Unmapped variants with orders
    /// waiting come first.
    List {
        #[arg(long)]
        store: Option<String>,
        /// Only variants nothing ships yet.
        #[arg(long)]
        unmapped: bool,
        /// A substring of a title or SKU, or an exact product or variant id.
        #[arg(long)]
        search: Option<String>,
        /// The rows as JSON (`{rows, counts}`), every field.
        #[arg(long)]
        json: bool,
    },
}

pub(crate) async fn run(ctx: &Ctx, command: ProductsCommand) -> Result<()> {
    match command {
        ProductsCommand::Sync { store } => {
            let dd = ctx.open()?;
            let store = dd.store_by_name(&store)?;
            let summary = dd.sync_catalogue(store.id).await?;
            println!("{}", summary.line);
            if summary.from_order_lines {
                println!("{}: products listed from its orders' line items", summary.store_name);
            }
            for f in &summary.failures {
                println!("fail {}: {}", f.reference, f.reason);
            }
            if let Some(error) = summary.error {
                bail!("the catalogue sync stopped early, keeping what was stored: {error}");
            }
            Ok(())
        }
        ProductsCommand::List { store, unmapped, search, json } => {
            let dd = ctx.open()?;
            let store_id = store.map(|s| dd.store_by_name(&s)).transpose()?.map(|s| s.id);
            let tab = if unmapped { ProductTab::Unmapped } else { ProductTab::All };
            // Every page (the core serves at most 500 rows at a time); the counts are the first's.
            let page = |offset: usize| {
                dd.list_products(&ProductQuery {
                    store_id,
                    tab,
                    search: search.clone(),
                    offset: offset as i64,
                    limit: 500,
                })
            };
            let first = page(0)?;
            let counts = first.counts;
            let mut rows = first.rows;
            while rows.len() % 500 == 0 && !rows.is_empty() {
                let more = page(rows.len())?.rows;
                if more.is_empty() {
                    break;
                }
                rows.extend(more);
            }
            if json {
                println!("{}", serde_json::json!({ "rows": rows, "counts": counts }));
                return Ok(());
            }
            let dash = |v: Option<&str>| v.filter(|s| !s.is_empty()).unwrap_or("-").to_owned();
            for r in rows {
                let which = if r.variant_id.is_empty() {
                    r.product_id.clone()
                } else {
                    format!("{}/{}", r.product_id, r.variant_id)
                };
                let title = if r.variant_title.is_empty() || r.variant_title == "Default Title" {
                    r.product_title.clone()
                } else {
                    format!("{} - {}", r.product_title, r.variant_title)
                };
                let mapping = match r.mapping {
                    MappingKind::Variant => "variant",
                    MappingKind::Sku => "sku",
                    MappingKind::None => "unmapped",
                };
                println!(
                    "{}\t{which}\t{}\t{title}\t{}\t{mapping}\t{}\t{}\t{}\t{}",
                    r.store_name,
                    dash(r.sku.as_deref()),
                    r.status.as_str(),
                    dash(r.supplier_name.as_deref()),
                    dash(r.supplier_variant_id.as_deref()),
                    r.cost_minor.map(|c| money(c, "USD")).unwrap_or_else(|| "-".into()),
                    r.waiting_orders
                );
            }
            Ok(())
        }
    }
}
