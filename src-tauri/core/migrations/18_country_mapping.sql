-- A store variant shipped by another supplier variant to some destination countries (issue 17,
-- "by destination country"): for an order to `country_code`, this row wins over the variant's
-- own mapping and its SKU's; every other country keeps those.
CREATE TABLE variant_mapping_country (
    store_id          INTEGER NOT NULL REFERENCES store(id) ON DELETE CASCADE,
    store_product_id  TEXT NOT NULL CHECK (length(store_product_id) BETWEEN 1 AND 64),
    store_variant_id  TEXT NOT NULL DEFAULT '' CHECK (length(store_variant_id) <= 64),
    country_code      TEXT NOT NULL CHECK (length(country_code) = 2 AND country_code = upper(country_code)),
    supplier_id       INTEGER NOT NULL REFERENCES supplier(id) ON DELETE CASCADE,
    variant_id        TEXT NOT NULL,
    cost_minor        INTEGER NOT NULL CHECK (cost_minor >= 0),
    currency          TEXT NOT NULL,
    PRIMARY KEY (store_id, store_product_id, store_variant_id, country_code)
) STRICT;
CREATE INDEX variant_mapping_country_by_supplier ON variant_mapping_country (supplier_id);
