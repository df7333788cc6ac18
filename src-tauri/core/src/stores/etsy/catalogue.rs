//! The shop's catalogue through the Etsy Open API v3.
//!
//! Sources: developers.etsy.com reference `getListingsByShop` (`GET /v3/application/shops/
//! {shop_id}/listings`, `state`: active / inactive / sold_out / draft / expired, `limit` up to
//! 100, `offset`; `{count, results}` of `ShopListing`: `listing_id`, `title`, `state`) and
//! `getListingInventory` (`GET /v3/application/listings/{listing_id}/inventory`:
//! `ListingInventory.products[]` of `ListingInventoryProduct`: `product_id`, `sku`, `is_deleted`,
//! `offerings[]` with `price` as `Money {amount, divisor, currency_code}` and `is_enabled`,
//! `property_values[]` with `values`). Receipt transactions name a listing by `listing_id` and
//! its product by `product_id`, so a listing is a product and each inventory product a variant.
//! Listings are read state by state (active, sold out, inactive, draft; expired ones are left
//! out: they no longer sell), each listing's inventory with one more call.

use serde_json::Value;

use super::super::{CatalogueProduct, CatalogueVariant, ConnectorError, ProductStatus, ProductsPage, RejectedOrder};
use super::{money, EtsyClient};
use crate::stores::shopify::opt_text;

/// Etsy's page size limit for listings.
pub const LISTINGS_PER_PAGE: u32 = 100;
/// The listing states read, in this order, with the status each stands for.
const STATES: &[(&str, ProductStatus)] = &[
    ("active", ProductStatus::Active),
    ("sold_out", ProductStatus::Active),
    ("inactive", ProductStatus::Archived),
    ("draft", ProductStatus::Draft),
];

impl EtsyClient {
    /// One page of listings of one state; `cursor` is `{state index}:{offset}`.
    pub(crate) async fn catalogue_page(&self, cursor: Option<&str>) -> Result<ProductsPage, ConnectorError> {
        let (state_index, offset) = cursor
            .and_then(|c| c.split_once(':'))
            .and_then(|(s, o)| Some((s.parse::<usize>().ok()?, o.parse::<u64>().ok()?)))
            .unwrap_or((0, 0));
        let Some(&(state, status)) = STATES.get(state_index) else {
            return Ok(ProductsPage { products: Vec::new(), next_cursor: None });
        };
        let shop = self.shop_id().await;
        let page = self
            .get(
                &format!("shops/{shop}/listings"),
                &[("state", state.into()), ("limit", LISTINGS_PER_PAGE.to_string()), ("offset", offset.to_string())],
            )
            .await?;
        let results = page["results"].as_array().cloned().unwrap_or_default();
        let mut products = Vec::with_capacity(results.len());
        for listing in &results {
            let Some(id) = listing["listing_id"].as_u64() else {
                products.push(Err(RejectedOrder {
                    reference: opt_text(&listing["title"]).unwrap_or_else(|| "(listing without id)".into()),
                    reason: "listing_id is missing".into(),
                }));
                continue;
            };
            let inventory = self.get(&format!("listings/{id}/inventory"), &[]).await?;
            products.push(parse_listing(listing, &inventory, status));
        }
        let next = offset + results.len() as u64;
        let more_here = !results.is_empty() && next < page["count"].as_u64().unwrap_or(0);
        let next_cursor = if more_here {
            Some(format!("{state_index}:{next}"))
        } else {
            (state_index + 1 < STATES.len()).then(|| format!("{}:0", state_index + 1))
        };
        Ok(ProductsPage { products, next_cursor })
    }
}

/// One listing with its inventory, or the reason it cannot be listed. Deleted inventory products
/// are left out; a product's price is its first enabled, undeleted offering's (`None` when it has
/// none, or one Dropdock cannot read); its title is its property values ("Blue / L").
pub fn parse_listing(
    listing: &Value,
    inventory: &Value,
    status: ProductStatus,
) -> Result<CatalogueProduct, RejectedOrder> {
    let title = opt_text(&listing["title"]);
    let id = listing["listing_id"].as_u64();
    let reference =
        title.clone().or_else(|| id.map(|i| i.to_string())).unwrap_or_else(|| "(listing without id)".into());
    let reject = |reason: &str| RejectedOrder { reference: reference.clone(), reason: reason.to_owned() };
    let id = id.ok_or_else(|| reject("listing_id is missing"))?;
    let mut currency = None;
    let mut variants = Vec::new();
    for product in inventory["products"].as_array().map(Vec::as_slice).unwrap_or_default() {
        if product["is_deleted"].as_bool() == Some(true) {
            continue;
        }
        let Some(product_id) = product["product_id"].as_u64() else { continue };
        let offering = product["offerings"].as_array().and_then(|list| {
            list.iter().find(|o| o["is_enabled"].as_bool() != Some(false) && o["is_deleted"].as_bool() != Some(true))
        });
        let price = offering.and_then(|o| money(&o["price"], "price").ok());
        if let Some((_, c)) = &price {
            currency.get_or_insert_with(|| c.clone());
        }
        let title = product["property_values"]
            .as_array()
            .map(|values| {
                values
                    .iter()
                    .flat_map(|v| v["values"].as_array().cloned().unwrap_or_default())
                    .filter_map(|v| opt_text(&v))
                    .collect::<Vec<_>>()
                    .join(" / ")
            })
            .unwrap_or_default();
        variants.push(CatalogueVariant {
            variant_id: product_id.to_string(),
            title,
            sku: opt_text(&product["sku"]),
            price_minor: price.filter(|(_, c)| Some(c) == currency.as_ref()).map(|(p, _)| p),
            image_url: None,
        });
    }
    if variants.is_empty() {
        return Err(reject("its inventory lists no product"));
    }
    Ok(CatalogueProduct {
        product_id: id.to_string(),
        title: title.unwrap_or_else(|| "(untitled listing)".into()),
        status,
        image_url: None,
        currency,
        variants,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_listing_is_a_product_and_each_undeleted_inventory_product_a_variant() {
        let listing = json!({ "listing_id": 1234, "title": "Scarf", "state": "draft" });
        let inventory = json!({ "products": [
            { "product_id": 1, "sku": "", "is_deleted": false, "property_values": [{ "property_name": "Color", "values": ["Red"] }],
              "offerings": [{ "is_enabled": true, "is_deleted": false, "price": { "amount": 3900, "divisor": 100, "currency_code": "USD" } }] },
            { "product_id": 2, "sku": "BLU", "is_deleted": false, "property_values": [{ "values": ["Blue", "L"] }],
              "offerings": [{ "is_enabled": false, "price": { "amount": 4100, "divisor": 100, "currency_code": "USD" } }] },
            { "product_id": 3, "sku": "OLD", "is_deleted": true, "offerings": [], "property_values": [] }
        ] });
        let p = parse_listing(&listing, &inventory, ProductStatus::Draft).unwrap();
        assert_eq!(
            (p.product_id.as_str(), p.currency.as_deref(), p.status),
            ("1234", Some("USD"), ProductStatus::Draft)
        );
        let read: Vec<_> = p
            .variants
            .iter()
            .map(|v| (v.variant_id.as_str(), v.title.as_str(), v.sku.as_deref(), v.price_minor))
            .collect();
        assert_eq!(read, [("1", "Red", None, Some(3900)), ("2", "Blue / L", Some("BLU"), None)]);
        assert!(parse_listing(&listing, &json!({ "products": [] }), ProductStatus::Active).is_err());
    }
}
