-- Refund and replacement requests to suppliers (issue 18): one row per request about a
-- sub-order, with the items and quantities it names. `business_key` is our id for it at the
-- supplier (CJ's `businessDisputeId`, unique there), written before the request goes out so a
-- lost reply is looked up, never sent twice. States: `submitting` (sent, the answer not known
-- yet), `open` (the supplier has it), `refunded` / `resent` / `rejected` (its final answer),
-- `cancelled` (withdrawn by the merchant), `recorded` (the platform has no dispute API: kept
-- here, filed by the merchant where `file_at` says), `failed` (the supplier refused it before
-- creating anything; nothing is open).
CREATE TABLE dispute (
    id                 INTEGER PRIMARY KEY,
    supplier_order_id  INTEGER NOT NULL REFERENCES supplier_order(id) ON DELETE CASCADE,
    business_key       TEXT NOT NULL UNIQUE CHECK (length(business_key) BETWEEN 1 AND 100),
    reason             TEXT NOT NULL CHECK (reason IN ('not_received', 'damaged', 'wrong_item', 'missing_item')),
    wanted             TEXT NOT NULL CHECK (wanted IN ('refund', 'resend')),
    message            TEXT NOT NULL CHECK (length(message) BETWEEN 1 AND 500),
    photos             TEXT NOT NULL DEFAULT '[]',
    state              TEXT NOT NULL CHECK (state IN ('submitting', 'open', 'refunded', 'resent', 'rejected', 'cancelled', 'recorded', 'failed')),
    platform_reason    TEXT,
    platform_dispute_id TEXT,
    platform_status    TEXT,
    -- What the supplier allowed to be claimed (CJ's maxAmount), and what it refunded, US cents.
    max_amount_minor   INTEGER CHECK (max_amount_minor IS NULL OR max_amount_minor >= 0),
    refund_minor       INTEGER CHECK (refund_minor IS NULL OR refund_minor >= 0),
    -- The replacement sub-order a resend ships as.
    replacement_id     INTEGER UNIQUE REFERENCES supplier_order(id),
    file_at            TEXT,
    error              TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    resolved_at        TEXT
) STRICT;
CREATE INDEX dispute_by_sub_order ON dispute (supplier_order_id);
CREATE INDEX dispute_by_state ON dispute (state);

CREATE TABLE dispute_item (
    dispute_id  INTEGER NOT NULL REFERENCES dispute(id) ON DELETE CASCADE,
    variant_id  TEXT NOT NULL,
    quantity    INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 10000),
    -- The supplier's own reference of the line (CJ's lineItemId), once known.
    line_ref    TEXT,
    PRIMARY KEY (dispute_id, variant_id)
) STRICT;

-- A replacement sub-order ships again what its original shipped (a resend): it is a sub-order
-- like any other (tracked, pushed to the store) under its own idempotency key, so the one
-- sub-order per order and supplier rule holds for originals only. SQLite cannot drop a table
-- constraint in place: the table is rebuilt by the documented procedure (Db::open runs
-- migrations with foreign keys off; this step checks them afterwards), every column and row kept.
CREATE TABLE supplier_order_new (
    id                   INTEGER PRIMARY KEY,
    order_id             INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    supplier_id          INTEGER NOT NULL REFERENCES supplier(id),
    idempotency_key      TEXT NOT NULL UNIQUE,
    state                TEXT NOT NULL CHECK (state IN ('pending','submitting','submitted','paid','shipped','delivered','held','failed','cancelled','ambiguous')),
    shipping_line        TEXT,
    supplier_order_id    TEXT,
    cost_minor           INTEGER,
    currency             TEXT,
    error                TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    payment_method       TEXT CHECK (payment_method IN ('wallet', 'card')),
    cancel_answer        TEXT,
    product_cost_minor   INTEGER,
    shipping_cost_minor  INTEGER,
    paid_at              TEXT,
    store_cancel_outcome TEXT CHECK (store_cancel_outcome IS NULL OR store_cancel_outcome IN ('cancelled', 'too_late', 'unknown')),
    store_cancel_at      TEXT,
    replaces_id          INTEGER REFERENCES supplier_order(id)
) STRICT;
INSERT INTO supplier_order_new (id, order_id, supplier_id, idempotency_key, state, shipping_line, supplier_order_id,
                                cost_minor, currency, error, created_at, updated_at, payment_method, cancel_answer,
                                product_cost_minor, shipping_cost_minor, paid_at, store_cancel_outcome, store_cancel_at)
SELECT id, order_id, supplier_id, idempotency_key, state, shipping_line, supplier_order_id,
       cost_minor, currency, error, created_at, updated_at, payment_method, cancel_answer,
       product_cost_minor, shipping_cost_minor, paid_at, store_cancel_outcome, store_cancel_at
FROM supplier_order;
DROP TABLE supplier_order;
ALTER TABLE supplier_order_new RENAME TO supplier_order;
CREATE UNIQUE INDEX supplier_order_one_per_supplier ON supplier_order (order_id, supplier_id) WHERE replaces_id IS NULL;
CREATE INDEX supplier_order_by_state ON supplier_order (state);
CREATE INDEX supplier_order_by_paid_at ON supplier_order (paid_at) WHERE paid_at IS NOT NULL;
CREATE INDEX supplier_order_by_order ON supplier_order (order_id);
