-- Issue 5: the merchant's carrier mapping rows, the supplier's split of each charge (invoices),
-- the wallet ledger's opening, and tracking numbers a supplier replaced.
-- Money is US cents (the supplier wallet's currency); times are UTC RFC 3339.

-- Settings → Carriers: rows that replace or extend the built-in mapping (carriers.rs).
CREATE TABLE carrier_mapping (
    supplier_carrier TEXT PRIMARY KEY,   -- lower case: a word or phrase of the supplier's line name
    shopify_company  TEXT NOT NULL,      -- Shopify's exact tracking company name
    etsy_carrier     TEXT NOT NULL,      -- Etsy carrier_name, 'other' when Etsy has none
    woo_provider     TEXT NOT NULL,      -- Shipment Tracking provider; '' = custom provider
    url_template     TEXT NOT NULL,      -- https link with {n} for the tracking number
    updated_at       TEXT NOT NULL
) STRICT;

-- What the supplier charged for the products and for postage (createOrderV2's productAmount and
-- postageAmount); NULL when the supplier did not say. cost_minor stays the total charged.
ALTER TABLE supplier_order ADD COLUMN product_cost_minor INTEGER;
ALTER TABLE supplier_order ADD COLUMN shipping_cost_minor INTEGER;

-- When the ledger was opened with the supplier's balance (an 'adjustment' entry "Opening
-- balance"); from then on the ledger's sum should equal the supplier's balance.
ALTER TABLE supplier ADD COLUMN ledger_opened_at TEXT;

-- The tracking number a shipment had before the supplier replaced it; the store's fulfilment
-- carrying it is updated on the next push.
ALTER TABLE shipment ADD COLUMN replaced_tracking_number TEXT;
CREATE INDEX wallet_entry_by_time ON wallet_entry (created_at);
-- When the supplier was last asked about a shipped sub-order (its tracking number may change).
ALTER TABLE shipment ADD COLUMN checked_at TEXT;
-- When the supplier was paid (invoices are by this date). Earlier sub-orders: their ledger
-- charge's time, else their last change.
ALTER TABLE supplier_order ADD COLUMN paid_at TEXT;
UPDATE supplier_order SET paid_at = COALESCE(
    (SELECT MIN(w.created_at) FROM wallet_entry w WHERE w.supplier_order_id = supplier_order.id AND w.kind = 'charge'),
    updated_at)
WHERE state IN ('paid', 'shipped', 'delivered') AND cost_minor IS NOT NULL;
CREATE INDEX supplier_order_by_paid_at ON supplier_order (paid_at) WHERE paid_at IS NOT NULL;
