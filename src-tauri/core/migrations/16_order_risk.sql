-- Shopify's fraud analysis of an order (`Order.risk`: `recommendation`, and the highest
-- `riskLevel` of its `assessments`), kept as the store sent it; NULL for a store that gives
-- none. A HIGH level or a CANCEL recommendation holds the order (`high_risk`) until the
-- merchant releases it, which is recorded in `risk_accepted_at` (UTC).
ALTER TABLE orders ADD COLUMN risk_recommendation TEXT;
ALTER TABLE orders ADD COLUMN risk_level TEXT;
ALTER TABLE orders ADD COLUMN risk_accepted_at TEXT;
