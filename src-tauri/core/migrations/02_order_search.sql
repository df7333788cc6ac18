-- Full-text search over what a merchant types to find an order: its number, the customer's name
-- and e-mail, SKUs and product titles, tracking numbers. unicode61 with remove_diacritics 2 lets
-- "Nunez" find "Núñez". Rows are keyed by orders.id and rewritten by the core on every change.
CREATE VIRTUAL TABLE order_search USING fts5(
    name, customer, email, skus, titles, tracking,
    tokenize = "unicode61 remove_diacritics 2"
);

INSERT INTO order_search (rowid, name, customer, email, skus, titles, tracking)
SELECT o.id, o.name, COALESCE(o.customer_name, ''), COALESCE(o.email, ''),
       COALESCE((SELECT group_concat(li.sku, ' ') FROM line_item li WHERE li.order_id = o.id), ''),
       COALESCE((SELECT group_concat(li.title, ' ') FROM line_item li WHERE li.order_id = o.id), ''),
       COALESCE((SELECT group_concat(sh.tracking_number, ' ') FROM supplier_order so
                 JOIN shipment sh ON sh.supplier_order_id = so.id WHERE so.order_id = o.id), '')
FROM orders o;

-- The store filter of the Order page, newest first. (Country has no index on purpose: walking
-- the newest orders and skipping other countries beats sorting every order of one country.)
CREATE INDEX orders_by_store ON orders (store_id, created_at DESC, id DESC);
