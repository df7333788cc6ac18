-- More store platforms (WooCommerce, Etsy, CSV imports) and background sync per store.
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt (the documented
-- "other kinds of table schema changes" procedure; Db::open runs migrations with foreign keys
-- off and this step checks them afterwards).
CREATE TABLE store_new (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL UNIQUE,
    platform         TEXT NOT NULL CHECK (platform IN ('shopify', 'woocommerce', 'etsy', 'csv')),
    base_url         TEXT NOT NULL,
    is_sandbox       INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    last_sync_at     TEXT,
    last_sync_status TEXT,
    last_sync_error  TEXT,
    -- Background sync: paused by the merchant, and how often it runs.
    paused                INTEGER NOT NULL DEFAULT 0,
    sync_interval_minutes INTEGER NOT NULL DEFAULT 10 CHECK (sync_interval_minutes BETWEEN 1 AND 1440),
    -- The incremental cursor (UTC): the newest (updated_at, remote id) stored by the last clean
    -- run. The next run starts a few minutes before it (the overlap); it only moves after a run
    -- that fetched every page.
    watermark_updated_at  TEXT,
    watermark_remote_id   TEXT,
    last_clean_sync_at    TEXT,
    -- Runs that failed in a row (shown on the store; the third raises a notification).
    consecutive_failures  INTEGER NOT NULL DEFAULT 0,
    -- Disconnected by the merchant: the credentials left the keychain, the orders stay (the
    -- ledger and invoices point at them); connecting a store of the same name revives it.
    disconnected_at       TEXT
) STRICT;
INSERT INTO store_new (id, name, platform, base_url, is_sandbox, created_at, last_sync_at, last_sync_status, last_sync_error)
SELECT id, name, platform, base_url, is_sandbox, created_at, last_sync_at, last_sync_status, last_sync_error FROM store;
DROP TABLE store;
ALTER TABLE store_new RENAME TO store;

-- WooCommerce line items may have no SKU: they can be mapped by the store's product id.
ALTER TABLE line_item ADD COLUMN product_ref TEXT;
