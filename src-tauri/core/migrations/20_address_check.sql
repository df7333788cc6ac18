-- The merchant's correction of an order's shipping address (issue 18): used for the suppliers
-- and shown beside the store's, never pushed back to the store. A sync that rewrites `address`
-- leaves it as it is; "Use the store's address" deletes it. Same columns as `address`.
CREATE TABLE address_override (
    order_id     INTEGER PRIMARY KEY REFERENCES orders(id) ON DELETE CASCADE,
    name         TEXT,
    address1     TEXT NOT NULL,
    address2     TEXT,
    city         TEXT,
    province     TEXT,
    zip          TEXT,
    country_code TEXT NOT NULL,
    phone        TEXT,
    updated_at   TEXT NOT NULL
) STRICT;

-- The phone sent for an order that has none (Etsy receipts never carry one; CJ requires
-- `shippingPhone`): NULL sends none, and such an order is held for a supplier that needs one.
ALTER TABLE auto_fulfillment ADD COLUMN default_phone TEXT;
