-- Why an order cannot go to its suppliers now, kept on the order so the Order page can filter by
-- it: hold_kind is a stable code (see fulfillment::HoldKind), hold_reason the sentence shown.
-- Both are rewritten by the core whenever the order, its sub-orders or the SKU mapping change.
ALTER TABLE orders ADD COLUMN hold_kind TEXT;
ALTER TABLE orders ADD COLUMN hold_reason TEXT;
-- The merchant's own "Hold" (until "Release"): Ship order and Auto Fulfillment leave it alone.
ALTER TABLE orders ADD COLUMN merchant_hold_at TEXT;
CREATE INDEX orders_by_hold ON orders (hold_kind, created_at DESC, id DESC) WHERE hold_kind IS NOT NULL;
-- Late shipments (paid, no tracking yet, placed before a cutoff), newest first: only the orders
-- still waiting are in it, so the list is quick whether most orders wait or almost none do.
CREATE INDEX orders_unshipped ON orders (created_at DESC, id DESC) WHERE status IN ('to_order', 'processing');

-- Actions that need the network, asked for while it was down: run in order once it is back.
-- One row per (kind, order): asking twice queues once.
CREATE TABLE queued_action (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('ship_order')),
    order_id   INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    queued_at  TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    UNIQUE (kind, order_id)
) STRICT;
