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
        migrations().to_latest(&mut writer)?;
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
    fn a_file_that_is_not_a_database_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(DB_FILE), b"this is not sqlite, it is a text file that is long enough").unwrap();
        let err = Db::open_dir(dir.path()).err().expect("must fail");
        assert_eq!(err.code(), crate::ErrorCode::Database);
        assert_eq!(std::fs::read(dir.path().join(DB_FILE)).unwrap().len(), 57, "the file is left as it was");
    }
}
