-- Issue 13: what the platforms' documents say a line item and a shop are.
-- The store's own product and variant ids of each line item (Shopify Product / ProductVariant
-- legacyResourceId, WooCommerce product_id / variation_id, Etsy listing_id / product_id): the
-- keys product mapping needs when a line has no SKU. NULL for custom lines and older rows.
ALTER TABLE line_item ADD COLUMN store_product_id TEXT;
ALTER TABLE line_item ADD COLUMN store_variant_id TEXT;

-- What the store says of itself at connect (Shopify `shop { name currencyCode ianaTimezone
-- myshopifyDomain }`), shown in Store → Integrations. NULL where the platform did not say.
ALTER TABLE store ADD COLUMN shop_name TEXT;
ALTER TABLE store ADD COLUMN shop_currency TEXT;
ALTER TABLE store ADD COLUMN shop_timezone TEXT;
ALTER TABLE store ADD COLUMN shop_domain TEXT;
