-- A supplier account can be disconnected (Store → Integrations, `dropdock-cli supplier remove`):
-- its keys leave the keychain, its sub-orders and ledger stay, and connecting the same name on
-- the same platform again revives the row. NULL: connected.
ALTER TABLE supplier ADD COLUMN disconnected_at TEXT;
