-- Profit per order (issue 18). What the store refunded the buyer, in the order's currency
-- (Shopify `totalRefundedSet`, WooCommerce `refunds[].total`); 0 until a refund is read.
ALTER TABLE orders ADD COLUMN refunded_minor INTEGER NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0);
-- The order's figures in the merchant's currency, as last worked out (orders::profit, on every
-- change of the order, its sub-orders or the ledger): revenue and profit (NULL: unknown, with the
-- currency missing a rate in `profit_note`), whether the cost is an estimate, and when.
-- `profit_at` NULL: not worked out yet (done when the database opens).
ALTER TABLE orders ADD COLUMN profit_revenue_minor INTEGER;
ALTER TABLE orders ADD COLUMN profit_minor INTEGER;
ALTER TABLE orders ADD COLUMN profit_estimated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN profit_note TEXT;
ALTER TABLE orders ADD COLUMN profit_at TEXT;
-- The merchant's exchange rates: one unit of `currency` is `rate` units of the merchant's
-- currency (a decimal as text, kept exact), as the merchant recorded it.
CREATE TABLE exchange_rate (
    currency    TEXT PRIMARY KEY CHECK (length(currency) = 3),
    rate        TEXT NOT NULL,
    recorded_at TEXT NOT NULL
) STRICT;
