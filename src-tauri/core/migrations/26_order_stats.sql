-- Issue 19: the Dashboard's figures kept up to date on every write instead of a scan of the
-- period's orders per open (437 ms at a million orders). Triggers keep them, so no write path
-- can miss one.
--
-- `order_stats_bucket`: per quarter hour of creation (UTC, `unixepoch(created_at) / 900`; every
-- UTC offset in use is whole quarter hours, so the buckets add up to any merchant's calendar
-- days): orders placed; of the paid ones (status not awaiting_payment) the sum of their profit
-- and revenue (orders::profit), how many are estimates and how many unknown (a missing rate);
-- and how many wait for tracking (status to_order or processing), for the late count.
CREATE TABLE order_stats_bucket (
    bucket        INTEGER PRIMARY KEY,
    orders        INTEGER NOT NULL DEFAULT 0,
    profit_minor  INTEGER NOT NULL DEFAULT 0,
    revenue_minor INTEGER NOT NULL DEFAULT 0,
    estimated     INTEGER NOT NULL DEFAULT 0,
    unknown       INTEGER NOT NULL DEFAULT 0,
    unshipped     INTEGER NOT NULL DEFAULT 0
) STRICT;

-- `order_total`: orders per status (`status:to_order`, …) and orders with a hold (`held`).
CREATE TABLE order_total (
    key TEXT PRIMARY KEY,
    n   INTEGER NOT NULL
) STRICT;

INSERT INTO order_stats_bucket (bucket, orders, profit_minor, revenue_minor, estimated, unknown, unshipped)
SELECT unixepoch(o.created_at) / 900, COUNT(*), SUM(CASE WHEN o.status <> 'awaiting_payment' THEN IFNULL(o.profit_minor, 0) ELSE 0 END), SUM(CASE WHEN o.status <> 'awaiting_payment' THEN IFNULL(o.profit_revenue_minor, 0) ELSE 0 END), SUM((o.status <> 'awaiting_payment' AND o.profit_minor IS NOT NULL AND o.profit_estimated)),
       SUM((o.status <> 'awaiting_payment' AND o.profit_minor IS NULL)), SUM((o.status IN ('to_order', 'processing')))
FROM orders o GROUP BY 1;
INSERT INTO order_total (key, n) SELECT 'status:' || status, COUNT(*) FROM orders GROUP BY status;
INSERT INTO order_total (key, n) SELECT 'held', COUNT(*) FROM orders WHERE hold_kind IS NOT NULL;

CREATE TRIGGER order_stats_insert AFTER INSERT ON orders BEGIN
    INSERT INTO order_stats_bucket (bucket, orders, profit_minor, revenue_minor, estimated, unknown, unshipped)
    VALUES (unixepoch(NEW.created_at) / 900, 1, CASE WHEN NEW.status <> 'awaiting_payment' THEN IFNULL(NEW.profit_minor, 0) ELSE 0 END, CASE WHEN NEW.status <> 'awaiting_payment' THEN IFNULL(NEW.profit_revenue_minor, 0) ELSE 0 END, (NEW.status <> 'awaiting_payment' AND NEW.profit_minor IS NOT NULL AND NEW.profit_estimated), (NEW.status <> 'awaiting_payment' AND NEW.profit_minor IS NULL), (NEW.status IN ('to_order', 'processing')))
    ON CONFLICT (bucket) DO UPDATE SET orders = orders + excluded.orders, profit_minor = profit_minor + excluded.profit_minor, revenue_minor = revenue_minor + excluded.revenue_minor, estimated = estimated + excluded.estimated, unknown = unknown + excluded.unknown, unshipped = unshipped + excluded.unshipped;
    INSERT INTO order_total (key, n) VALUES ('status:' || NEW.status, 1)
    ON CONFLICT (key) DO UPDATE SET n = n + excluded.n;
    INSERT INTO order_total (key, n) SELECT 'held', 1 WHERE NEW.hold_kind IS NOT NULL
    ON CONFLICT (key) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER order_stats_delete AFTER DELETE ON orders BEGIN
    INSERT INTO order_stats_bucket (bucket, orders, profit_minor, revenue_minor, estimated, unknown, unshipped)
    VALUES (unixepoch(OLD.created_at) / 900, -1, -CASE WHEN OLD.status <> 'awaiting_payment' THEN IFNULL(OLD.profit_minor, 0) ELSE 0 END, -CASE WHEN OLD.status <> 'awaiting_payment' THEN IFNULL(OLD.profit_revenue_minor, 0) ELSE 0 END, -(OLD.status <> 'awaiting_payment' AND OLD.profit_minor IS NOT NULL AND OLD.profit_estimated), -(OLD.status <> 'awaiting_payment' AND OLD.profit_minor IS NULL), -(OLD.status IN ('to_order', 'processing')))
    ON CONFLICT (bucket) DO UPDATE SET orders = orders + excluded.orders, profit_minor = profit_minor + excluded.profit_minor, revenue_minor = revenue_minor + excluded.revenue_minor, estimated = estimated + excluded.estimated, unknown = unknown + excluded.unknown, unshipped = unshipped + excluded.unshipped;
    INSERT INTO order_total (key, n) VALUES ('status:' || OLD.status, -1)
    ON CONFLICT (key) DO UPDATE SET n = n + excluded.n;
    INSERT INTO order_total (key, n) SELECT 'held', -1 WHERE OLD.hold_kind IS NOT NULL
    ON CONFLICT (key) DO UPDATE SET n = n + excluded.n;
END;

-- A change within the same quarter hour (a new status, hold or profit: most writes) is one
-- upsert of the difference; an order whose creation time moved is taken out of its old quarter
-- hour and put in the new one.
CREATE TRIGGER order_stats_update AFTER UPDATE OF status, profit_minor, profit_revenue_minor, profit_estimated ON orders
WHEN unixepoch(OLD.created_at) / 900 = unixepoch(NEW.created_at) / 900 AND (OLD.status IS NOT NEW.status OR OLD.profit_minor IS NOT NEW.profit_minor
  OR OLD.profit_revenue_minor IS NOT NEW.profit_revenue_minor OR OLD.profit_estimated IS NOT NEW.profit_estimated)
BEGIN
    INSERT INTO order_stats_bucket (bucket, orders, profit_minor, revenue_minor, estimated, unknown, unshipped)
    VALUES (unixepoch(NEW.created_at) / 900, 0,
            (CASE WHEN NEW.status <> 'awaiting_payment' THEN IFNULL(NEW.profit_minor, 0) ELSE 0 END) - (CASE WHEN OLD.status <> 'awaiting_payment' THEN IFNULL(OLD.profit_minor, 0) ELSE 0 END),
            (CASE WHEN NEW.status <> 'awaiting_payment' THEN IFNULL(NEW.profit_revenue_minor, 0) ELSE 0 END) - (CASE WHEN OLD.status <> 'awaiting_payment' THEN IFNULL(OLD.profit_revenue_minor, 0) ELSE 0 END),
            ((NEW.status <> 'awaiting_payment' AND NEW.profit_minor IS NOT NULL AND NEW.profit_estimated)) - ((OLD.status <> 'awaiting_payment' AND OLD.profit_minor IS NOT NULL AND OLD.profit_estimated)),
            ((NEW.status <> 'awaiting_payment' AND NEW.profit_minor IS NULL)) - ((OLD.status <> 'awaiting_payment' AND OLD.profit_minor IS NULL)),
            ((NEW.status IN ('to_order', 'processing'))) - ((OLD.status IN ('to_order', 'processing'))))
    ON CONFLICT (bucket) DO UPDATE SET orders = orders + excluded.orders, profit_minor = profit_minor + excluded.profit_minor, revenue_minor = revenue_minor + excluded.revenue_minor, estimated = estimated + excluded.estimated, unknown = unknown + excluded.unknown, unshipped = unshipped + excluded.unshipped;
END;

CREATE TRIGGER order_stats_moved AFTER UPDATE OF created_at ON orders
WHEN unixepoch(OLD.created_at) / 900 <> unixepoch(NEW.created_at) / 900
BEGIN
    INSERT INTO order_stats_bucket (bucket, orders, profit_minor, revenue_minor, estimated, unknown, unshipped)
    VALUES (unixepoch(OLD.created_at) / 900, -1, -CASE WHEN OLD.status <> 'awaiting_payment' THEN IFNULL(OLD.profit_minor, 0) ELSE 0 END, -CASE WHEN OLD.status <> 'awaiting_payment' THEN IFNULL(OLD.profit_revenue_minor, 0) ELSE 0 END, -(OLD.status <> 'awaiting_payment' AND OLD.profit_minor IS NOT NULL AND OLD.profit_estimated), -(OLD.status <> 'awaiting_payment' AND OLD.profit_minor IS NULL), -(OLD.status IN ('to_order', 'processing')))
    ON CONFLICT (bucket) DO UPDATE SET orders = orders + excluded.orders, profit_minor = profit_minor + excluded.profit_minor, revenue_minor = revenue_minor + excluded.revenue_minor, estimated = estimated + excluded.estimated, unknown = unknown + excluded.unknown, unshipped = unshipped + excluded.unshipped;
    INSERT INTO order_stats_bucket (bucket, orders, profit_minor, revenue_minor, estimated, unknown, unshipped)
    VALUES (unixepoch(NEW.created_at) / 900, 1, CASE WHEN NEW.status <> 'awaiting_payment' THEN IFNULL(NEW.profit_minor, 0) ELSE 0 END, CASE WHEN NEW.status <> 'awaiting_payment' THEN IFNULL(NEW.profit_revenue_minor, 0) ELSE 0 END, (NEW.status <> 'awaiting_payment' AND NEW.profit_minor IS NOT NULL AND NEW.profit_estimated), (NEW.status <> 'awaiting_payment' AND NEW.profit_minor IS NULL), (NEW.status IN ('to_order', 'processing')))
    ON CONFLICT (bucket) DO UPDATE SET orders = orders + excluded.orders, profit_minor = profit_minor + excluded.profit_minor, revenue_minor = revenue_minor + excluded.revenue_minor, estimated = estimated + excluded.estimated, unknown = unknown + excluded.unknown, unshipped = unshipped + excluded.unshipped;
END;

CREATE TRIGGER order_total_update AFTER UPDATE OF status, hold_kind ON orders
WHEN OLD.status IS NOT NEW.status OR (OLD.hold_kind IS NULL) <> (NEW.hold_kind IS NULL)
BEGIN
    INSERT INTO order_total (key, n) VALUES ('status:' || OLD.status, -1)
    ON CONFLICT (key) DO UPDATE SET n = n + excluded.n;
    INSERT INTO order_total (key, n) SELECT 'held', -1 WHERE OLD.hold_kind IS NOT NULL
    ON CONFLICT (key) DO UPDATE SET n = n + excluded.n;
    INSERT INTO order_total (key, n) VALUES ('status:' || NEW.status, 1)
    ON CONFLICT (key) DO UPDATE SET n = n + excluded.n;
    INSERT INTO order_total (key, n) SELECT 'held', 1 WHERE NEW.hold_kind IS NOT NULL
    ON CONFLICT (key) DO UPDATE SET n = n + excluded.n;
END;

-- The average postage of a supplier's last 100 charged sub-orders (an unsent order's profit
-- estimate, worked out for every order a sync stores) read those rows in order, not all of the
-- supplier's sub-orders.
CREATE INDEX supplier_order_postage ON supplier_order (supplier_id, paid_at DESC) WHERE shipping_cost_minor IS NOT NULL;
