-- When the store cancelled the order (Shopify `cancelledAt`; WooCommerce `cancelled`/`refunded`
-- and Etsy `canceled`/`fully refunded`, at their last change), UTC. A cancelled order is never
-- sent to a supplier, whatever its payment state says. NULL when it is not cancelled.
ALTER TABLE orders ADD COLUMN cancelled_at TEXT;
