-- Suppliers on any platform (CJdropshipping today, Printful next): `kind` names the platform,
-- and the core refuses a kind it does not know when it builds the connector
-- (SupplierPlatform::parse), so the schema no longer lists them. SQLite cannot change a CHECK
-- constraint in place: the table is rebuilt by the documented procedure (Db::open runs
-- migrations with foreign keys off; this step checks them afterwards). Every column and row
-- is kept (and `store_ref` added); the tables pointing at supplier(id) keep pointing at the
-- same ids.
CREATE TABLE supplier_new (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL UNIQUE,
    kind                TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 32),
    base_url            TEXT NOT NULL,
    is_sandbox          INTEGER NOT NULL DEFAULT 0,
    created_at          TEXT NOT NULL,
    balance_minor       INTEGER,
    balance_checked_at  TEXT,
    requests_per_second INTEGER NOT NULL DEFAULT 1 CHECK (requests_per_second BETWEEN 1 AND 1000),
    ledger_opened_at    TEXT,
    -- The platform's store within the account, when its token spans several (Printful's
    -- X-PF-Store-Id); NULL otherwise.
    store_ref           TEXT
) STRICT;
INSERT INTO supplier_new (id, name, kind, base_url, is_sandbox, created_at, balance_minor, balance_checked_at,
                          requests_per_second, ledger_opened_at)
SELECT id, name, kind, base_url, is_sandbox, created_at, balance_minor, balance_checked_at,
       requests_per_second, ledger_opened_at FROM supplier;
DROP TABLE supplier;
ALTER TABLE supplier_new RENAME TO supplier;
