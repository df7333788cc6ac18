//! The store's product catalogue through the WooCommerce REST API.
//!
//! Sources: WooCommerce REST API docs (woocommerce/woocommerce-rest-api-docs, `wp-api-v3`)
//! "Products" → "List all products" (`GET /wp-json/wc/v3/products`, `per_page` ≤ 100, `page`,
//! `orderby=id`, `order=asc`; properties `id`, `name`, `type`: simple / grouped / external /
//! variable, `status`: draft / pending / private / publish, `sku`, `price`: a string, "" when
//! unset, `images[].src`) and "Product variations" → "List all product variations"
//! (`GET /products/<product_id>/variations`; `id`, `sku`, `price`, `status`, `image.src`,
//! `attributes[]` `{name, option}`). Line items name a simple product by `product_id` with
//! `variation_id` 0, a variation by both, so a simple product is one variant with id ''.
//! Pages are read entry by entry ([`crate::stores::page`]): one unreadable product fails alone.

use serde_json::Value;

use super::super::page::{pick, split_array, Fields};
use super::super::{CatalogueProduct, CatalogueVariant, ConnectorError, ProductStatus, ProductsPage, RejectedOrder};
use super::{remote_error, WooClient, SERVICE};
use crate::money::parse_minor;
use crate::stores::shopify::opt_text;

/// WooCommerce caps `per_page` at 100.
pub const PRODUCTS_PER_PAGE: u32 = 100;
/// The most pages of one product's variations read (10,000 variations), whatever the headers claim.
const MAX_VARIATION_PAGES: u32 = 100;
/// The most catalogue pages one sync reads (1,000,000 products).
const MAX_PAGES: u32 = 10_000;

const PRODUCT_FIELDS: Fields = Fields { keys: &["id", "name", "type", "status", "sku", "price", "images"], lists: &[] };
const VARIATION_FIELDS: Fields = Fields { keys: &["id", "sku", "price", "status", "image", "attributes"], lists: &[] };

impl WooClient {
    /// The store's currency code, read once: "Setting options" →
    /// `GET /settings/general/woocommerce_currency` answers `{id, value, ...}`. A store that
    /// refuses it (an older WooCommerce, keys without the setting's permission) or answers a
    /// code Dropdock does not know gives `None`: the catalogue is listed without prices.
    /// Errors: the store cannot be reached or refuses the keys.
    pub(crate) async fn store_currency(&self) -> Result<Option<String>, ConnectorError> {
        self.currency
            .get_or_try_init(|| async {
                match self.get("settings/general/woocommerce_currency", &[]).await {
                    Ok((body, _)) => Ok(body["value"]
                        .as_str()
                        .map(str::trim)
                        .filter(|c| crate::money::is_known_currency(c))
                        .map(str::to_owned)),
                    Err(e @ (ConnectorError::Auth(_) | ConnectorError::Network(_) | ConnectorError::Timeout(_))) => {
                        Err(e)
                    }
                    Err(e) => {
                        tracing::info!(error = %e, "the store's currency could not be read; products are listed without prices");
                        Ok(None)
                    }
                }
            })
            .await
            .cloned()
    }

    /// One page of `/products` (`cursor`: its page number), each variable product completed
    /// with every page of its `/variations`. `currency` prices them (the store's, from its
    /// orders; `None`: prices are left out).
    pub(crate) async fn catalogue_page(
        &self,
        cursor: Option<&str>,
        currency: Option<&str>,
    ) -> Result<ProductsPage, ConnectorError> {
        let page: u32 = cursor.and_then(|c| c.parse().ok()).unwrap_or(1);
        let params = [
            ("per_page", PRODUCTS_PER_PAGE.to_string()),
            ("page", page.to_string()),
            ("orderby", "id".into()),
            ("order", "asc".into()),
        ];
        let raw = self.list("wc/v3/products", &params).await?;
        let mut products = Vec::with_capacity(raw.0.len());
        for (i, entry) in raw.0.iter().enumerate() {
            let node = match pick(entry, &PRODUCT_FIELDS) {
                Ok(node) => node,
                Err(reason) => {
                    products.push(Err(RejectedOrder {
                        reference: format!("product {} of page {page}", i + 1),
                        reason: format!("the product cannot be read: {reason}"),
                    }));
                    continue;
                }
            };
            let variations = match (node["type"].as_str(), node["id"].as_u64()) {
                (Some("variable"), Some(id)) => self.variations(id).await?,
                _ => Vec::new(),
            };
            products.push(parse_product(&node, &variations, currency));
        }
        let more = !raw.0.is_empty() && page < raw.1.min(MAX_PAGES);
        Ok(ProductsPage { products, next_cursor: more.then(|| (page + 1).to_string()) })
    }

    /// Every variation of variable product `id`, page by page; an unreadable one is left out.
    async fn variations(&self, id: u64) -> Result<Vec<Value>, ConnectorError> {
        let mut read = Vec::new();
        for page in 1..=MAX_VARIATION_PAGES {
            let params = [("per_page", PRODUCTS_PER_PAGE.to_string()), ("page", page.to_string())];
            let (entries, pages) = self.list(&format!("wc/v3/products/{id}/variations"), &params).await?;
            read.extend(entries.iter().filter_map(|e| pick(e, &VARIATION_FIELDS).ok()));
            if entries.is_empty() || page >= pages {
                break;
            }
        }
        Ok(read)
    }

    /// A listing's entries as raw JSON and its `X-WP-TotalPages` (1 when absent).
    async fn list(
        &self,
        path: &str,
        params: &[(&str, String)],
    ) -> Result<(Vec<Box<serde_json::value::RawValue>>, u32), ConnectorError> {
        let (status, paging, text) = self.send(reqwest::Method::GET, path, params, None).await?;
        if !status.is_success() {
            return Err(remote_error(status, &text));
        }
        let entries = split_array(&text).map_err(|detail| ConnectorError::Malformed {
            service: SERVICE.into(),
            detail: format!("{path}: {detail}"),
        })?;
        Ok((entries, paging.total_pages.unwrap_or(1)))
    }
}

/// A post status as Dropdock keeps it: `publish` sells, `draft` / `pending` / `private` do not
/// (yet); an unknown status is active (it may still sell).
fn status(value: &Value) -> ProductStatus {
    match value.as_str() {
        Some("draft" | "pending" | "private") => ProductStatus::Draft,
        _ => ProductStatus::Active,
    }
}

fn price(value: &Value, currency: Option<&str>) -> Option<i64> {
    let amount = value.as_str().map(str::trim).filter(|s| !s.is_empty())?;
    parse_minor(amount, currency?).ok().filter(|p| *p >= 0)
}

/// One product (its fields as [`PRODUCT_FIELDS`] picked them) with its variations, or the reason
/// it cannot be listed. A simple (or grouped, external) product is one variant with id ''; a
/// variable product lists its variations, titled by their attribute options ("Blue / XL"). A
/// variable product without variations is listed as itself (its orders name it that way).
pub fn parse_product(
    node: &Value,
    variations: &[Value],
    currency: Option<&str>,
) -> Result<CatalogueProduct, RejectedOrder> {
    let title = opt_text(&node["name"]);
    let id = node["id"].as_u64().filter(|id| *id > 0);
    let reference =
        title.clone().or_else(|| id.map(|i| i.to_string())).unwrap_or_else(|| "(product without id)".into());
    let Some(id) = id else {
        return Err(RejectedOrder { reference, reason: "product id is missing".into() });
    };
    let image = |v: &Value| opt_text(&v["src"]);
    let product_image = node["images"].as_array().and_then(|list| list.first()).and_then(image);
    let mut variants: Vec<CatalogueVariant> = variations
        .iter()
        .filter_map(|v| {
            let variant_id = v["id"].as_u64().filter(|id| *id > 0)?;
            let title = v["attributes"]
                .as_array()
                .map(|list| list.iter().filter_map(|a| opt_text(&a["option"])).collect::<Vec<_>>().join(" / "))
                .unwrap_or_default();
            Some(CatalogueVariant {
                variant_id: variant_id.to_string(),
                title,
                sku: opt_text(&v["sku"]),
                price_minor: price(&v["price"], currency),
                image_url: image(&v["image"]),
            })
        })
        .collect();
    if variants.is_empty() {
        variants.push(CatalogueVariant {
            variant_id: String::new(),
            title: String::new(),
            sku: opt_text(&node["sku"]),
            price_minor: price(&node["price"], currency),
            image_url: product_image.clone(),
        });
    }
    Ok(CatalogueProduct {
        product_id: id.to_string(),
        title: title.unwrap_or_else(|| "(untitled product)".into()),
        status: status(&node["status"]),
        image_url: product_image,
        currency: currency.map(str::to_owned),
        variants,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn simple_and_variable_products_are_read_as_their_orders_name_them() {
        // The docs' "Retrieve a product" example shape: a simple product with an empty SKU
        // and an empty price, and a variable one with two variations.
        let simple = json!({ "id": 794, "name": "Premium Quality", "type": "simple", "status": "publish", "sku": "", "price": "", "images": [] });
        let p = parse_product(&simple, &[], Some("USD")).unwrap();
        assert_eq!(p.variants.len(), 1);
        assert_eq!(
            (p.variants[0].variant_id.as_str(), p.variants[0].sku.as_deref(), p.variants[0].price_minor),
            ("", None, None)
        );
        let variable = json!({ "id": 22, "name": "Ship Your Idea", "type": "variable", "status": "draft", "images": [{ "id": 1, "src": "https://example.com/ship.jpg" }] });
        let variations = [
            json!({ "id": 23, "sku": "", "price": "20.00", "status": "publish", "image": { "src": "https://example.com/23.jpg" }, "attributes": [{ "id": 6, "name": "Color", "option": "Black" }] }),
            json!({ "id": 24, "sku": "SHIP-GREEN", "price": "9.5", "image": null, "attributes": [{ "name": "Color", "option": "Green" }, { "name": "Size", "option": "XL" }] }),
        ];
        let p = parse_product(&variable, &variations, Some("USD")).unwrap();
        assert_eq!(p.status, ProductStatus::Draft);
        assert_eq!(p.image_url.as_deref(), Some("https://example.com/ship.jpg"));
        let read: Vec<_> = p
            .variants
            .iter()
            .map(|v| (v.variant_id.as_str(), v.title.as_str(), v.sku.as_deref(), v.price_minor))
            .collect();
        assert_eq!(read, [("23", "Black", None, Some(2000)), ("24", "Green / XL", Some("SHIP-GREEN"), Some(950))]);
        assert!(parse_product(&json!({ "name": "x", "id": 0 }), &[], None).is_err());
    }
}
