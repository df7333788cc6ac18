-- An order the store cancelled (or refunded) after its sub-orders reached their suppliers
-- (issue 18): Dropdock asks each supplier to cancel (CJ deleteOrder before dispatch) and keeps
-- what came of it here, once per sub-order: `cancelled` (cancelled at the supplier, the wallet
-- charge refunded), `too_late` (shipped already, or the supplier refused: flagged "cancelled in
-- the store after sending", for a refund request), or `unknown` (the supplier could not be asked;
-- tried again on the next sync). NULL: not concerned, or not looked at yet.
ALTER TABLE supplier_order ADD COLUMN store_cancel_outcome TEXT
    CHECK (store_cancel_outcome IS NULL OR store_cancel_outcome IN ('cancelled', 'too_late', 'unknown'));
ALTER TABLE supplier_order ADD COLUMN store_cancel_at TEXT;
