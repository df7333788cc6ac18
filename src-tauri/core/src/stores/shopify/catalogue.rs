//! The shop's product catalogue through the GraphQL Admin API.
//!
//! Sources: shopify.dev GraphQL Admin `products` query (cursor pagination, `sortKey: ID`),
//! `Product` (`legacyResourceId`, `title`, `status`: `ProductStatus` ACTIVE / ARCHIVED / DRAFT /
//! UNLISTED, `featuredMedia { preview { image { url } } }`, `variants`), `ProductVariant`
//! (`legacyResourceId`, `title`, `sku`: nullable, `price`: `Money!`, a decimal string in the
//! shop's currency, `image`), `shop { currencyCode }`; "GraphQL Admin API rate limits" for the
//! cost rule the page is sized by, as the orders page is. A product has at least one variant
//! (a product without options has one titled "Default Title"); a product with more variants than
//! a page reads gets the rest from [`PRODUCT_VARIANTS_QUERY`], so it is never stored cut.

use std::sync::atomic::Ordering;

use serde_json::{json, Value};

use super::super::graphql_cost::{largest_first_within, MAX_QUERY_COST};
use super::super::{CatalogueProduct, CatalogueVariant, ConnectorError, ProductStatus, ProductsPage, RejectedOrder};
use super::{next_cursor, opt_text, ShopifyClient, SERVICE};
use crate::money::parse_minor;

/// Variants read with each product in a page: most products have a few (one per size and
/// colour); each costs 2 points in every product of the page.
pub const VARIANTS_PER_PRODUCT: u32 = 20;

macro_rules! variant_fragment {
    () => {
        r#"
fragment DropdockVariant on ProductVariant { legacyResourceId title sku price image { url } }"#
    };
}

/// A page of products with their first variants. `$first` is sized so that its requested cost
/// stays within the cap.
pub const PRODUCTS_QUERY: &str = concat!(
    r#"query DropdockProducts($first: Int!, $variants: Int!, $after: String) {
  shop { currencyCode }
  products(first: $first, after: $after, sortKey: ID) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id legacyResourceId title status
      featuredMedia { preview { image { url } } }
      variants(first: $variants) {
        pageInfo { hasNextPage endCursor }
        nodes { ...DropdockVariant }
      }
    }
  }
}
"#,
    variant_fragment!()
);

/// The rest of a product's variants, after those read with the product.
pub const PRODUCT_VARIANTS_QUERY: &str = concat!(
    r#"query DropdockProductVariants($id: ID!, $first: Int!, $after: String) {
  product(id: $id) {
    variants(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { ...DropdockVariant }
    }
  }
}
"#,
    variant_fragment!()
);

/// The most products a page may hold within the 1,000-point cap (21 with today's query).
pub fn products_per_page() -> u32 {
    largest_first_within(PRODUCTS_QUERY, &json!({ "variants": VARIANTS_PER_PRODUCT }), "first", MAX_QUERY_COST)
        .unwrap_or(1)
        .max(1)
}

impl ShopifyClient {
    /// One page of [`PRODUCTS_QUERY`]; a product with more variants than the page read is
    /// completed with [`PRODUCT_VARIANTS_QUERY`] before it is parsed. A `MAX_COST_EXCEEDED`
    /// reply shrinks the page and asks for the same cursor.
    pub(crate) async fn catalogue_page(&self, cursor: Option<&str>) -> Result<ProductsPage, ConnectorError> {
        let data = loop {
            let first = self.products_page_size.load(Ordering::Relaxed);
            let variables = json!({ "first": first, "variants": VARIANTS_PER_PRODUCT, "after": cursor });
            match self.run(PRODUCTS_QUERY, variables).await? {
                Ok(data) => break data,
                Err(over) => self.products_page_size.store(self.shrunk(first, over)?, Ordering::Relaxed),
            }
        };
        let currency = data["shop"]["currencyCode"].as_str().filter(|c| crate::money::is_known_currency(c));
        let connection = &data["products"];
        let nodes = connection["nodes"].as_array().ok_or_else(|| ConnectorError::Malformed {
            service: SERVICE.into(),
            detail: "products.nodes is missing".into(),
        })?;
        let next = if nodes.is_empty() { None } else { next_cursor(connection)? };
        let mut products = Vec::with_capacity(nodes.len());
        for node in nodes {
            let mut variants = node["variants"]["nodes"].as_array().cloned().unwrap_or_default();
            if let (Some(id), Ok(Some(after))) = (node["id"].as_str(), next_cursor(&node["variants"])) {
                variants.extend(self.remaining_variants(id, after).await?);
            }
            products.push(parse_product(node, &variants, currency));
        }
        Ok(ProductsPage { products, next_cursor: next })
    }

    /// Every variant of product `id` after `cursor`, each query sized within the cost cap.
    async fn remaining_variants(&self, id: &str, mut cursor: String) -> Result<Vec<Value>, ConnectorError> {
        let mut first = largest_first_within(PRODUCT_VARIANTS_QUERY, &json!({ "id": id }), "first", MAX_QUERY_COST)
            .unwrap_or(1)
            .max(1);
        let mut variants = Vec::new();
        loop {
            let data =
                match self.run(PRODUCT_VARIANTS_QUERY, json!({ "id": id, "first": first, "after": cursor })).await? {
                    Ok(data) => data,
                    Err(over) => {
                        first = self.shrunk(first, over)?;
                        continue;
                    }
                };
            let connection = &data["product"]["variants"];
            variants.extend(connection["nodes"].as_array().cloned().unwrap_or_default());
            match next_cursor(connection)? {
                Some(next) => cursor = next,
                None => return Ok(variants),
            }
        }
    }
}

/// `ProductStatus` as Dropdock keeps it: UNLISTED (sold by link only, since 2025-10) counts as
/// archived for mapping, an unknown value as active (it may still sell).
fn status(value: &Value) -> ProductStatus {
    match value.as_str() {
        Some("DRAFT") => ProductStatus::Draft,
        Some("ARCHIVED" | "UNLISTED") => ProductStatus::Archived,
        _ => ProductStatus::Active,
    }
}

/// One `Product` node with all its variant nodes, or the reason it cannot be listed. A variant
/// without an id is refused with its product (a mapping could never name it); an unreadable
/// price is left out (`None`), not fatal.
pub fn parse_product(
    node: &Value,
    variants: &[Value],
    currency: Option<&str>,
) -> Result<CatalogueProduct, RejectedOrder> {
    let product_id = opt_text(&node["legacyResourceId"]).filter(|id| id.len() <= 64);
    let title = opt_text(&node["title"]);
    let reference = title.clone().or_else(|| product_id.clone()).unwrap_or_else(|| "(product without id)".into());
    let reject = |reason: &str| RejectedOrder { reference: reference.clone(), reason: reason.to_owned() };
    let product_id = product_id.ok_or_else(|| reject("product id (legacyResourceId) is missing"))?;
    let mut read = Vec::with_capacity(variants.len());
    for (i, v) in variants.iter().enumerate() {
        let variant_id = opt_text(&v["legacyResourceId"])
            .filter(|id| id.len() <= 64)
            .ok_or_else(|| reject(&format!("variant {} has no id", i + 1)))?;
        read.push(CatalogueVariant {
            variant_id,
            title: opt_text(&v["title"]).unwrap_or_default(),
            sku: opt_text(&v["sku"]),
            price_minor: match (v["price"].as_str(), currency) {
                (Some(amount), Some(currency)) => parse_minor(amount, currency).ok().filter(|p| *p >= 0),
                _ => None,
            },
            image_url: opt_text(&v["image"]["url"]),
        });
    }
    if read.is_empty() {
        return Err(reject("it has no variants"));
    }
    Ok(CatalogueProduct {
        product_id,
        title: title.unwrap_or_else(|| "(untitled product)".into()),
        status: status(&node["status"]),
        image_url: opt_text(&node["featuredMedia"]["preview"]["image"]["url"]),
        currency: currency.map(str::to_owned),
        variants: read,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stores::graphql_cost::requested_cost;

    #[test]
    fn the_products_page_is_priced_by_the_documented_rule_and_fits_the_cap() {
        // shop 1 + products (2 + pageInfo 1 + first × (product 1 + featuredMedia 1 + preview 1
        // + image 1 + variants (2 + pageInfo 1 + 20 × (variant 1 + image 1)))).
        let per_product = 1 + 3 + (2 + 1 + VARIANTS_PER_PRODUCT * 2);
        let cost = requested_cost(PRODUCTS_QUERY, &json!({ "first": 10, "variants": VARIANTS_PER_PRODUCT })).unwrap();
        assert_eq!(cost, 1 + 2 + 1 + 10 * per_product);
        let first = products_per_page();
        assert!(
            requested_cost(PRODUCTS_QUERY, &json!({ "first": first, "variants": VARIANTS_PER_PRODUCT })).unwrap()
                <= 1000
        );
        assert!(
            requested_cost(PRODUCTS_QUERY, &json!({ "first": first + 1, "variants": VARIANTS_PER_PRODUCT })).unwrap()
                > 1000
        );
    }

    #[test]
    fn a_documented_product_is_read_with_its_awkward_parts() {
        let node = json!({
            "id": "gid://shopify/Product/108828309", "legacyResourceId": "108828309", "title": "Draft",
            "status": "UNLISTED", "featuredMedia": null,
        });
        let variants = [
            json!({ "legacyResourceId": "30322695", "title": "Default Title", "sku": "", "price": "0.00", "image": null }),
            json!({ "legacyResourceId": "30322696", "title": "Red", "sku": null, "price": "not money", "image": { "url": "https://cdn.shopify.com/x.jpg" } }),
        ];
        let p = parse_product(&node, &variants, Some("JPY")).unwrap();
        assert_eq!(p.status, ProductStatus::Archived);
        assert_eq!(p.image_url, None);
        assert_eq!((p.variants[0].sku.as_deref(), p.variants[0].price_minor), (None, Some(0)));
        assert_eq!(
            (p.variants[1].price_minor, p.variants[1].image_url.as_deref()),
            (None, Some("https://cdn.shopify.com/x.jpg"))
        );
        let no_id = json!({ "title": "Lost" });
        assert_eq!(parse_product(&no_id, &variants, Some("USD")).unwrap_err().reference, "Lost");
        assert!(parse_product(&node, &[json!({ "title": "x" })], Some("USD"))
            .unwrap_err()
            .reason
            .contains("variant 1 has no id"));
    }
}
