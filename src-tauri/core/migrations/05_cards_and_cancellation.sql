-- The Credit Card tab of Auto Fulfillment, and cancelling sub-orders.

-- A card on file at each supplier: the supplier's payment endpoint tokenized it; the token is in
-- the OS keychain. Only the brand, the last 4 digits and the expiry are kept here: never the
-- number, the CVC or the name on the card.
CREATE TABLE supplier_card (
    supplier_id INTEGER PRIMARY KEY REFERENCES supplier(id) ON DELETE CASCADE,
    brand       TEXT NOT NULL,
    last4       TEXT NOT NULL CHECK (length(last4) = 4),
    exp_month   INTEGER NOT NULL CHECK (exp_month BETWEEN 1 AND 12),
    exp_year    INTEGER NOT NULL CHECK (exp_year BETWEEN 2000 AND 2200),
    saved_at    TEXT NOT NULL
) STRICT;

-- The Credit Card tab's terms checkbox, ticked and confirmed.
ALTER TABLE auto_fulfillment ADD COLUMN card_terms_accepted_at TEXT;

-- How a sub-order was (or is to be) paid: 'wallet' (My Wallet, a ledger charge) or 'card' (the
-- card on file; no ledger entry). NULL for sub-orders made before cards existed: the wallet.
ALTER TABLE supplier_order ADD COLUMN payment_method TEXT CHECK (payment_method IN ('wallet', 'card'));

-- The supplier's answer to the last cancellation request, shown on the order.
ALTER TABLE supplier_order ADD COLUMN cancel_answer TEXT;
