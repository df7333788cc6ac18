-- The store's catalogue (issue 17): every product variant the store lists, as its last catalogue
-- sync read it (Shopify `products`, WooCommerce `/products` and `/variations`), or as the lines
-- of its orders name it where the catalogue is not read (CSV stores, Etsy for now). Keyed like
-- `variant_mapping`: `variant_id` is '' for a product without variants. A variant the store no
-- longer lists is kept as `removed` (its mapping and its orders still refer to it).
CREATE TABLE store_variant (
    store_id      INTEGER NOT NULL REFERENCES store(id) ON DELETE CASCADE,
    product_id    TEXT NOT NULL CHECK (length(product_id) BETWEEN 1 AND 64),
    variant_id    TEXT NOT NULL DEFAULT '' CHECK (length(variant_id) <= 64),
    product_title TEXT NOT NULL,
    variant_title TEXT NOT NULL DEFAULT '',
    sku           TEXT,
    -- The store's selling price, minor units of `currency`; NULL when the store gives none.
    price_minor   INTEGER CHECK (price_minor >= 0),
    currency      TEXT,
    image_url     TEXT,
    status        TEXT NOT NULL CHECK (status IN ('active','draft','archived','removed')),
    source        TEXT NOT NULL CHECK (source IN ('catalogue','order_lines')),
    synced_at     TEXT NOT NULL,
    PRIMARY KEY (store_id, product_id, variant_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX store_variant_by_sku ON store_variant (sku);

-- One catalogue sync: like `sync_run`, every run ends recorded.
CREATE TABLE catalogue_run (
    id          INTEGER PRIMARY KEY,
    store_id    INTEGER NOT NULL REFERENCES store(id) ON DELETE CASCADE,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    products    INTEGER NOT NULL DEFAULT 0,
    variants    INTEGER NOT NULL DEFAULT 0,
    removed     INTEGER NOT NULL DEFAULT 0,
    failures    INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL CHECK (status IN ('running','complete','partial','failed')),
    error       TEXT
) STRICT;
CREATE INDEX catalogue_run_by_store ON catalogue_run (store_id, id);
