-- Backups and bundles (issue 17). A store variant's mapping is a list of options in priority
-- order (1 the primary, 2.. backups); each option is one or more supplier variants, each with
-- a quantity per store unit (a bundle, "2 for 1"), all at one supplier. Every part of every
-- option lives here; `variant_mapping` stays the primary option in brief, for the joins that
-- only need the supplier and the cost (see products::queries::refresh_summary, which rewrites
-- it in the same transaction as the parts).
CREATE TABLE variant_mapping_part (
    store_id          INTEGER NOT NULL REFERENCES store(id) ON DELETE CASCADE,
    store_product_id  TEXT NOT NULL CHECK (length(store_product_id) BETWEEN 1 AND 64),
    store_variant_id  TEXT NOT NULL DEFAULT '' CHECK (length(store_variant_id) <= 64),
    priority          INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 9),
    supplier_id       INTEGER NOT NULL REFERENCES supplier(id) ON DELETE CASCADE,
    variant_id        TEXT NOT NULL CHECK (length(variant_id) BETWEEN 1 AND 200),
    quantity          INTEGER NOT NULL DEFAULT 1 CHECK (quantity BETWEEN 1 AND 100),
    cost_minor        INTEGER NOT NULL CHECK (cost_minor >= 0),
    currency          TEXT NOT NULL,
    PRIMARY KEY (store_id, store_product_id, store_variant_id, priority, variant_id)
) STRICT;
CREATE INDEX variant_mapping_part_by_supplier ON variant_mapping_part (supplier_id, variant_id);

-- Today's mappings are each a primary option of one part, one unit.
INSERT INTO variant_mapping_part (store_id, store_product_id, store_variant_id, priority, supplier_id, variant_id,
                                  quantity, cost_minor, currency)
SELECT store_id, store_product_id, store_variant_id, 1, supplier_id, variant_id, 1, cost_minor, currency
FROM variant_mapping;

-- The merchant's limit on what one store unit may cost at the supplier (US cents): an option
-- that costs more now is passed over for the next. NULL: no limit.
ALTER TABLE variant_mapping ADD COLUMN cost_limit_minor INTEGER CHECK (cost_limit_minor IS NULL OR cost_limit_minor >= 0);

-- A sub-order's items, one row per supplier variant of a line item (a bundle ships one line
-- item as several), keyed so. `quantity` is the supplier's (the line's quantity times the
-- part's); `line_quantity` the store line item's quantity this sub-order ships (what is pushed
-- to the store); `priority` the mapping option used (1 the primary) and `backup_reason` why the
-- earlier ones were passed over.
CREATE TABLE supplier_order_item_v2 (
    supplier_order_id INTEGER NOT NULL REFERENCES supplier_order(id) ON DELETE CASCADE,
    line_item_id      INTEGER NOT NULL REFERENCES line_item(id) ON DELETE CASCADE,
    variant_id        TEXT NOT NULL,
    quantity          INTEGER NOT NULL,
    line_quantity     INTEGER NOT NULL,
    priority          INTEGER NOT NULL DEFAULT 1,
    backup_reason     TEXT,
    PRIMARY KEY (supplier_order_id, line_item_id, variant_id)
) STRICT;
INSERT INTO supplier_order_item_v2 (supplier_order_id, line_item_id, variant_id, quantity, line_quantity)
SELECT supplier_order_id, line_item_id, variant_id, quantity, quantity FROM supplier_order_item;
DROP TABLE supplier_order_item;
ALTER TABLE supplier_order_item_v2 RENAME TO supplier_order_item;

-- Before sending, the supplier's current price is compared with the mapped cost: a move of
-- more than this many percent holds the order (`cost_changed`) with the old and new price.
ALTER TABLE auto_fulfillment ADD COLUMN cost_change_limit_pct INTEGER NOT NULL DEFAULT 10
    CHECK (cost_change_limit_pct BETWEEN 0 AND 1000);
