//! The local SQLite database: numbered migrations, WAL, foreign keys, one writer connection
//! and one reader connection (WAL lets reads proceed while the writer commits).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OptionalExtension, Transaction};
use rusqlite_migration::{Migrations, M};

use crate::error::Result;

/// The schema, one numbered file per step. Never edit a shipped step; add a new one.
fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("../migrations/01_init.sql")),
        M::up(include_str!("../migrations/02_order_search.sql")),
        M::up(include_str!("../migrations/03_holds_and_queue.sql")),
        M::up(include_str!("../migrations/04_auto_fulfillment.sql")),
        M::up(include_str!("../migrations/05_cards_and_cancellation.sql")),
        M::up(include_str!("../migrations/06_store_platforms_and_background_sync.sql")).foreign_key_check(),
        M::up(include_str!("../migrations/07_carriers_wallet_and_tracking_changes.sql")),
        M::up(include_str!("../migrations/08_platform_conformance.sql")),
        M::up(include_str!("../migrations/09_bad_input.sql")),
        M::up(include_str!("../migrations/10_cancelled_in_store.sql")),
    ])
}

/// The database file name inside the data directory.
pub const DB_FILE: &str = "dropdock.sqlite3";

/// A handle to the database, cheap to clone.
#[derive(Clone)]
pub struct Db {
    path: PathBuf,
    writer: Arc<Mutex<Connection>>,
    reader: Arc<Mutex<Connection>>,
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // Sync and the Order page reuse a few dozen statements; keep them all prepared.
    conn.set_prepared_statement_cache_capacity(64);
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(())
}

impl Db {
    /// Opens (creating if needed) `dir/dropdock.sqlite3` and brings the schema up to date.
    /// Errors: the directory cannot be created, the file is not a database, a migration fails.
    pub fn open_dir(dir: &Path) -> Result<Db> {
        std::fs::create_dir_all(dir).map_err(|e| {
            crate::CoreError::InvalidInput(format!("cannot create data directory {}: {e}", dir.display()))
        })?;
        Self::open(&dir.join(DB_FILE))
    }

    /// Opens the database file at `path` and migrates it.
    pub fn open(path: &Path) -> Result<Db> {
        let mut writer = Connection::open(path)?;
        writer.pragma_update(None, "journal_mode", "WAL")?;
        configure(&writer)?;
        // Foreign keys off while migrating, as SQLite asks for table rebuilds (a DROP TABLE would
        // otherwise cascade); steps that rebuild tables run `PRAGMA foreign_key_check`.
        writer.pragma_update(None, "foreign_keys", "OFF")?;
        migrations().to_latest(&mut writer)?;
        writer.pragma_update(None, "foreign_keys", "ON")?;
        let reader = Connection::open(path)?;
        configure(&reader)?;
        reader.pragma_update(None, "query_only", "ON")?;
        Ok(Db { path: path.to_owned(), writer: Arc::new(Mutex::new(writer)), reader: Arc::new(Mutex::new(reader)) })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in one write transaction; it commits only if `f` returns `Ok`.
    pub fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` on the read connection.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.reader.lock().unwrap_or_else(|p| p.into_inner());
        f(&conn)
    }

    /// A setting's value, if set.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.read(|c| Ok(c.query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| r.get(0)).optional()?))
    }

    /// Sets a setting.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute("INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])?;
            Ok(())
        })
    }

    /// This database's random install id: it namespaces the keychain entries.
    pub fn install_id(&self) -> Result<String> {
        if let Some(id) = self.setting("install_id")? {
            return Ok(id);
        }
        let id = format!("{:016x}", rand::random::<u64>());
        self.write(|tx| {
            tx.execute("INSERT OR IGNORE INTO setting (key, value) VALUES ('install_id', ?1)", [&id])?;
            Ok(())
        })?;
        Ok(self.setting("install_id")?.unwrap_or(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid_and_idempotent() {
        migrations().validate().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open_dir(dir.path()).unwrap();
        let id = db.install_id().unwrap();
        drop(db);
        let db = Db::open_dir(dir.path()).unwrap();
        assert_eq!(db.install_id().unwrap(), id, "reopening keeps data and does not re-run migrations");
        let fk: i64 = db.read(|c| Ok(c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?)).unwrap();
        assert_eq!(fk, 1);
    }

    #[test]
    fn rebuilding_the_store_table_keeps_every_order() {
        // A database from before migration 06 (stores limited to Shopify), with an order.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DB_FILE);
        {
            let mut conn = Connection::open(&path).unwrap();
            migrations().to_version(&mut conn, 5).unwrap();
            conn.execute_batch(
                "INSERT INTO store (id, name, platform, base_url, created_at, last_sync_status) VALUES (7, 'Shop', 'shopify', 'https://s.example', '2026-01-01T00:00:00Z', 'complete');
                 INSERT INTO orders (id, store_id, remote_id, name, created_at, updated_at, financial_status, store_fulfillment_status, status, total_minor, currency, content_hash, synced_at)
                 VALUES (1, 7, 'gid://shopify/Order/1', '#1001', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'PAID', 'UNFULFILLED', 'to_order', 100, 'USD', 'h', '2026-01-01T00:00:00Z');",
            )
            .unwrap();
        }
        let db = Db::open(&path).unwrap();
        let (orders, status, platform_ok): (i64, String, bool) = db
            .write(|tx| {
                let orders = tx.query_row("SELECT COUNT(*) FROM orders WHERE store_id = 7", [], |r| r.get(0))?;
                let status = tx.query_row("SELECT last_sync_status FROM store WHERE id = 7", [], |r| r.get(0))?;
                let ok = tx
                    .execute("INSERT INTO store (name, platform, base_url, created_at) VALUES ('W', 'woocommerce', 'https://w.example', 'now')", [])
                    .is_ok();
                Ok((orders, status, ok))
            })
            .unwrap();
        assert_eq!((orders, status.as_str(), platform_ok), (1, "complete", true));
        // Deleting the store still cascades to its orders (the foreign key survived the rebuild).
        db.write(|tx| Ok(tx.execute("DELETE FROM store WHERE id = 7", [])?)).unwrap();
        let left: i64 = db.read(|c| Ok(c.query_row("SELECT COUNT(*) FROM orders", [], |r| r.get(0))?)).unwrap();
        assert_eq!(left, 0);
    }

    #[test]
    fn a_file_that_is_not_a_database_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(DB_FILE), b"this is not sqlite, it is a text file that is long enough").unwrap();
        let err = Db::open_dir(dir.path()).err().expect("must fail");
        assert_eq!(err.code(), crate::ErrorCode::Database);
        assert_eq!(std::fs::read(dir.path().join(DB_FILE)).unwrap().len(), 57, "the file is left as it was");
    }
}
