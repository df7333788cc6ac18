-- A store variant → the supplier variant that ships it (issue 17, first step): keyed by the
-- store's own ids, so a line item with no SKU (common in WooCommerce and Shopify) can be mapped.
-- `store_variant_id` is '' for a product without variants (WooCommerce `variation_id` 0). A line
-- item takes its variant's mapping when there is one, else its SKU's (`product_mapping`, kept).
CREATE TABLE variant_mapping (
    store_id          INTEGER NOT NULL REFERENCES store(id) ON DELETE CASCADE,
    store_product_id  TEXT NOT NULL CHECK (length(store_product_id) BETWEEN 1 AND 64),
    store_variant_id  TEXT NOT NULL DEFAULT '' CHECK (length(store_variant_id) <= 64),
    supplier_id       INTEGER NOT NULL REFERENCES supplier(id) ON DELETE CASCADE,
    variant_id        TEXT NOT NULL,
    cost_minor        INTEGER NOT NULL CHECK (cost_minor >= 0),
    currency          TEXT NOT NULL,
    PRIMARY KEY (store_id, store_product_id, store_variant_id)
) STRICT;
CREATE INDEX variant_mapping_by_supplier ON variant_mapping (supplier_id);
-- The orders a new variant mapping frees are found through their line items' store ids.
CREATE INDEX line_item_by_store_product ON line_item (store_product_id, store_variant_id);
