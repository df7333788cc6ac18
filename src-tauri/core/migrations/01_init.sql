-- Dropdock schema v1. Money is INTEGER minor units beside an ISO 4217 code; time is UTC RFC 3339 text.

CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE store (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL UNIQUE,
    platform         TEXT NOT NULL CHECK (platform IN ('shopify')),
    base_url         TEXT NOT NULL,
    is_sandbox       INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    last_sync_at     TEXT,
    last_sync_status TEXT,
    last_sync_error  TEXT
) STRICT;

CREATE TABLE supplier (
    id                 INTEGER PRIMARY KEY,
    name               TEXT NOT NULL UNIQUE,
    kind               TEXT NOT NULL CHECK (kind IN ('cj')),
    base_url           TEXT NOT NULL,
    is_sandbox         INTEGER NOT NULL DEFAULT 0,
    created_at         TEXT NOT NULL,
    balance_minor      INTEGER,
    balance_checked_at TEXT
) STRICT;

CREATE TABLE orders (
    id                       INTEGER PRIMARY KEY,
    store_id                 INTEGER NOT NULL REFERENCES store(id) ON DELETE CASCADE,
    remote_id                TEXT NOT NULL,
    name                     TEXT NOT NULL,
    created_at               TEXT NOT NULL,
    updated_at               TEXT NOT NULL,
    financial_status         TEXT NOT NULL,
    store_fulfillment_status TEXT NOT NULL,
    status                   TEXT NOT NULL,
    email                    TEXT,
    customer_name            TEXT,
    total_minor              INTEGER NOT NULL,
    currency                 TEXT NOT NULL,
    content_hash             TEXT NOT NULL,
    synced_at                TEXT NOT NULL,
    UNIQUE (store_id, remote_id)
) STRICT;
CREATE INDEX orders_by_status ON orders (status, created_at DESC, id DESC);
CREATE INDEX orders_by_created ON orders (created_at DESC, id DESC);

CREATE TABLE address (
    order_id     INTEGER PRIMARY KEY REFERENCES orders(id) ON DELETE CASCADE,
    name         TEXT,
    address1     TEXT NOT NULL,
    address2     TEXT,
    city         TEXT,
    province     TEXT,
    zip          TEXT,
    country_code TEXT NOT NULL,
    phone        TEXT
) STRICT;

CREATE TABLE line_item (
    id                INTEGER PRIMARY KEY,
    order_id          INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    remote_id         TEXT NOT NULL,
    position          INTEGER NOT NULL,
    sku               TEXT,
    title             TEXT NOT NULL,
    quantity          INTEGER NOT NULL,
    unit_price_minor  INTEGER NOT NULL,
    requires_shipping INTEGER NOT NULL,
    UNIQUE (order_id, remote_id)
) STRICT;
CREATE INDEX line_item_by_sku ON line_item (sku);

-- SKU -> the supplier variant that ships it, and what it costs there.
CREATE TABLE product_mapping (
    sku         TEXT PRIMARY KEY,
    supplier_id INTEGER NOT NULL REFERENCES supplier(id) ON DELETE CASCADE,
    variant_id  TEXT NOT NULL,
    cost_minor  INTEGER NOT NULL,
    currency    TEXT NOT NULL
) STRICT;

-- Default logistics line per destination country (ISO 3166-1 alpha-2).
CREATE TABLE shipping_default (
    country_code  TEXT PRIMARY KEY,
    logistic_name TEXT NOT NULL
) STRICT;

-- One sub-order per (order, supplier). The row is written before any call to the supplier;
-- idempotency_key is sent as the supplier's order number.
CREATE TABLE supplier_order (
    id                INTEGER PRIMARY KEY,
    order_id          INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    supplier_id       INTEGER NOT NULL REFERENCES supplier(id),
    idempotency_key   TEXT NOT NULL UNIQUE,
    state             TEXT NOT NULL CHECK (state IN ('pending','submitting','submitted','paid','shipped','delivered','held','failed','cancelled','ambiguous')),
    shipping_line     TEXT,
    supplier_order_id TEXT,
    cost_minor        INTEGER,
    currency          TEXT,
    error             TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    UNIQUE (order_id, supplier_id)
) STRICT;
CREATE INDEX supplier_order_by_state ON supplier_order (state);

CREATE TABLE supplier_order_item (
    supplier_order_id INTEGER NOT NULL REFERENCES supplier_order(id) ON DELETE CASCADE,
    line_item_id      INTEGER NOT NULL REFERENCES line_item(id) ON DELETE CASCADE,
    variant_id        TEXT NOT NULL,
    quantity          INTEGER NOT NULL,
    PRIMARY KEY (supplier_order_id, line_item_id)
) STRICT;

CREATE TABLE shipment (
    id                   INTEGER PRIMARY KEY,
    supplier_order_id    INTEGER NOT NULL UNIQUE REFERENCES supplier_order(id) ON DELETE CASCADE,
    tracking_number      TEXT NOT NULL,
    carrier              TEXT NOT NULL,
    tracking_company     TEXT NOT NULL,
    tracking_url         TEXT NOT NULL,
    detected_at          TEXT NOT NULL,
    store_fulfillment_id TEXT,
    pushed_at            TEXT,
    push_error           TEXT,
    notified_at          TEXT
) STRICT;

-- Wallet ledger: positive = money in (recharge, refund), negative = charges.
CREATE TABLE wallet_entry (
    id                INTEGER PRIMARY KEY,
    supplier_id       INTEGER NOT NULL REFERENCES supplier(id),
    kind              TEXT NOT NULL CHECK (kind IN ('recharge','charge','refund','adjustment')),
    amount_minor      INTEGER NOT NULL,
    currency          TEXT NOT NULL,
    supplier_order_id INTEGER REFERENCES supplier_order(id),
    note              TEXT,
    created_at        TEXT NOT NULL
) STRICT;

CREATE TABLE sync_run (
    id          INTEGER PRIMARY KEY,
    store_id    INTEGER NOT NULL REFERENCES store(id) ON DELETE CASCADE,
    window_days INTEGER NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    additions   INTEGER NOT NULL DEFAULT 0,
    updates     INTEGER NOT NULL DEFAULT 0,
    failures    INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL CHECK (status IN ('running','complete','partial','failed')),
    error       TEXT
) STRICT;

CREATE TABLE sync_failure (
    id          INTEGER PRIMARY KEY,
    sync_run_id INTEGER NOT NULL REFERENCES sync_run(id) ON DELETE CASCADE,
    reference   TEXT NOT NULL,
    reason      TEXT NOT NULL
) STRICT;
