//! The local SQLite database: numbered migrations, WAL, foreign keys, one writer connection
//! and a small pool of read-only connections ([`r2d2_sqlite`]): WAL lets reads proceed while
//! the writer commits, and the pool lets a long read (the Dashboard over a million orders) run
//! while the Order page's own reads are answered.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::{params, Connection, OptionalExtension, Transaction};
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
        M::up(include_str!("../migrations/11_hold_params.sql")),
        M::up(include_str!("../migrations/12_change_log.sql")),
        M::up(include_str!("../migrations/13_supplier_platforms.sql")).foreign_key_check(),
        M::up(include_str!("../migrations/14_supplier_disconnect.sql")),
        M::up(include_str!("../migrations/15_variant_mapping.sql")),
        M::up(include_str!("../migrations/16_order_risk.sql")),
        M::up(include_str!("../migrations/17_store_catalogue.sql")),
        M::up(include_str!("../migrations/18_country_mapping.sql")),
        M::up(include_str!("../migrations/19_medium_risk.sql")),
        M::up(include_str!("../migrations/20_address_check.sql")),
        M::up(include_str!("../migrations/21_backups_and_bundles.sql")),
        M::up(include_str!("../migrations/22_tracking_exceptions.sql")),
        M::up(include_str!("../migrations/23_cancelled_after_sending.sql")),
        M::up(include_str!("../migrations/24_disputes.sql")).foreign_key_check(),
        M::up(include_str!("../migrations/25_profit.sql")),
        M::up(include_str!("../migrations/26_order_stats.sql")),
        M::up(include_str!("../migrations/27_order_search_prefixes.sql")),
    ])
}

/// The database file name inside the data directory.
pub const DB_FILE: &str = "dropdock.sqlite3";

/// A handle to the database, cheap to clone.
#[derive(Clone)]
pub struct Db {
    path: PathBuf,
    writer: Arc<Mutex<Connection>>,
    readers: r2d2::Pool<r2d2_sqlite::SqliteConnectionManager>,
    /// The tables the current write transaction touched (filled by SQLite's update hook).
    touched: Arc<Mutex<BTreeSet<String>>>,
    changes: tokio::sync::broadcast::Sender<Change>,
    /// This handle's process, as written in `change_log.origin`.
    origin: String,
}

/// One committed write: the tables it changed (e.g. `orders`, `supplier_order`), and whether it
/// came from this process or another one (the CLI writing while the app is open).
///
/// Raised by the write path itself ([`Db::write`]), never by hand: every front end subscribes
/// with [`Db::subscribe`] and refreshes what shows those tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub tables: BTreeSet<String>,
    pub external: bool,
}

/// Tables whose changes are not announced: the change log itself and SQLite's own bookkeeping.
fn announced(table: &str) -> bool {
    table != "change_log" && !table.starts_with("sqlite_") && !table.starts_with("order_fts")
}

/// How many read connections may be open at once: the app's concurrent readers are the Order
/// page, the Dashboard, the tray and the background workers.
const READERS: u32 = 4;

/// How many `change_log` rows are kept: enough for any reader polling every second.
const CHANGE_LOG_KEEP: i64 = 1_000;

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
        // The writer's page cache, 64 MB (SQLite's default is 2 MB): a sync's upserts touch the
        // orders' and line items' indexes all over, and with a million orders a small cache
        // made every page read a disk read, so ingest slowed as the database grew.
        writer.pragma_update(None, "cache_size", -65_536)?;
        // The WAL is copied back into the database every 40 MB of pages instead of every 4 MB:
        // a sync writes each index page many times over, and a checkpoint per few pages rewrote
        // them as often (a quarter of the commit time at 100,000 orders).
        writer.pragma_update(None, "wal_autocheckpoint", 10_000)?;
        // Foreign keys off while migrating, as SQLite asks for table rebuilds (a DROP TABLE would
        // otherwise cascade); steps that rebuild tables run `PRAGMA foreign_key_check`.
        writer.pragma_update(None, "foreign_keys", "OFF")?;
        migrations().to_latest(&mut writer)?;
        writer.pragma_update(None, "foreign_keys", "ON")?;
        let touched: Arc<Mutex<BTreeSet<String>>> = Arc::default();
        let sink = touched.clone();
        writer.update_hook(Some(move |_: rusqlite::hooks::Action, _: &str, table: &str, _: i64| {
            let mut set = sink.lock().unwrap_or_else(|p| p.into_inner());
            if !set.contains(table) && announced(table) {
                set.insert(table.to_owned());
            }
        }));
        let manager = r2d2_sqlite::SqliteConnectionManager::file(path).with_init(|c| {
            configure(c)?;
            // Readers map the file (256 MB) and share the OS page cache instead of copying
            // every page into their own 2 MB caches.
            c.pragma_update(None, "mmap_size", 268_435_456)?;
            c.pragma_update(None, "query_only", "ON")
        });
        // One connection at once (a file that cannot be read fails here), the rest on demand.
        let readers = r2d2::Pool::builder()
            .max_size(READERS)
            .min_idle(Some(1))
            .connection_timeout(std::time::Duration::from_secs(30))
            .build(manager)
            .map_err(|e| crate::CoreError::DatabaseBusy(format!("cannot open the database for reading: {e}")))?;
        let (changes, _) = tokio::sync::broadcast::channel(256);
        Ok(Db {
            path: path.to_owned(),
            writer: Arc::new(Mutex::new(writer)),
            readers,
            touched,
            changes,
            origin: format!("{}:{:08x}", std::process::id(), rand::random::<u32>()),
        })
    }

    /// Every committed write from now on, this process's at once and (through
    /// [`Db::poll_external`]) other processes'. A slow subscriber that falls behind receives
    /// `Lagged` and should refresh everything.
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Change> {
        self.changes.subscribe()
    }

    /// The last `change_log` row now (0 when empty): where [`Db::poll_external`] starts.
    pub fn change_cursor(&self) -> Result<i64> {
        self.read(|c| Ok(c.query_row("SELECT COALESCE(MAX(id), 0) FROM change_log", [], |r| r.get(0))?))
    }

    /// Writes other processes committed after `cursor` (a `change_log` id): announces them to
    /// [`Db::subscribe`]rs as one external [`Change`] and returns the new cursor. Call it every
    /// second or so (the app does, so a write from `dropdock-cli` shows without a reload). When
    /// rows were pruned past `cursor`, every table is announced.
    pub fn poll_external(&self, cursor: i64) -> Result<i64> {
        let rows: Vec<(i64, String, String)> = self.read(|c| {
            Ok(c.prepare_cached("SELECT id, origin, tables FROM change_log WHERE id > ?1 ORDER BY id")?
                .query_map([cursor], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?)
        })?;
        let Some(last) = rows.last().map(|r| r.0) else { return Ok(cursor) };
        // Rows were pruned past the cursor when the first one read is not the next id.
        let oldest = rows[0].0;
        let mut tables = BTreeSet::new();
        for (_, _, names) in rows.iter().filter(|r| r.1 != self.origin) {
            tables.extend(names.split(',').filter(|t| !t.is_empty()).map(str::to_owned));
        }
        if oldest > cursor + 1 && cursor > 0 {
            tables.insert("*".to_owned());
        }
        if !tables.is_empty() {
            let _ = self.changes.send(Change { tables, external: true });
        }
        Ok(last)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in one write transaction; it commits only if `f` returns `Ok`. A commit that
    /// changed rows is announced to [`Db::subscribe`]rs and logged in `change_log` (in the same
    /// transaction) for other processes.
    pub fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        self.take_touched();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let out = f(&tx);
        let tables = self.take_touched();
        let out = out?;
        if !tables.is_empty() {
            let names = tables.iter().map(String::as_str).collect::<Vec<_>>().join(",");
            let id = tx
                .prepare_cached("INSERT INTO change_log (origin, tables) VALUES (?1, ?2)")?
                .execute(params![self.origin, names])
                .map(|_| tx.last_insert_rowid())?;
            if id % 100 == 0 {
                tx.prepare_cached("DELETE FROM change_log WHERE id <= ?1")?.execute([id - CHANGE_LOG_KEEP])?;
            }
        }
        tx.commit()?;
        if !tables.is_empty() {
            let _ = self.changes.send(Change { tables, external: false });
        }
        Ok(out)
    }

    fn take_touched(&self) -> BTreeSet<String> {
        std::mem::take(&mut *self.touched.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Runs `f` on a read-only connection from the pool (it sees the last commit). Errors: every
    /// read connection stayed busy for 30 s ([`crate::CoreError::DatabaseBusy`]).
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self
            .readers
            .get()
            .map_err(|e| crate::CoreError::DatabaseBusy(format!("every read connection is busy: {e}")))?;
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
    fn writes_announce_their_tables_here_and_to_other_processes() {
        let dir = tempfile::tempdir().unwrap();
        let app = Db::open_dir(dir.path()).unwrap();
        let cli = Db::open_dir(dir.path()).unwrap(); // another process: its own origin
        let mut feed = app.subscribe();
        let cursor = app.change_cursor().unwrap();
        app.set_setting("a", "1").unwrap();
        let own = feed.try_recv().unwrap();
        assert_eq!((own.tables.iter().map(String::as_str).collect::<Vec<_>>(), own.external), (vec!["setting"], false));
        // A write that fails is rolled back and announces nothing.
        let failed: Result<()> = app.write(|tx| {
            tx.execute("INSERT INTO setting (key, value) VALUES ('b', '2')", [])?;
            Err(crate::CoreError::InvalidInput("no".into()))
        });
        assert!(failed.is_err());
        assert!(feed.try_recv().is_err());
        // The other process's write reaches this one's subscribers through the poll; this
        // process's own writes are not announced twice.
        cli.set_setting("c", "3").unwrap();
        let cursor = app.poll_external(cursor).unwrap();
        let external = feed.try_recv().unwrap();
        assert!(external.external && external.tables.contains("setting"), "{external:?}");
        assert!(feed.try_recv().is_err());
        assert_eq!(app.poll_external(cursor).unwrap(), cursor, "nothing new");
        assert!(feed.try_recv().is_err());
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

    /// Migration 13 rebuilds `supplier` to take any platform: every column and row survives,
    /// the tables pointing at it still do, and a kind the schema used to refuse is stored.
    #[test]
    fn rebuilding_the_supplier_table_keeps_every_account_and_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DB_FILE);
        let columns = |c: &Connection| -> Vec<String> {
            c.prepare("SELECT name FROM pragma_table_info('supplier') ORDER BY name")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap()
        };
        let before = {
            let mut conn = Connection::open(&path).unwrap();
            migrations().to_version(&mut conn, 12).unwrap();
            assert!(conn
                .execute("INSERT INTO supplier (name, kind, base_url, created_at) VALUES ('PF', 'printful', 'https://p.example', 'now')", [])
                .is_err(), "before 13 the schema knew only CJ");
            conn.execute_batch(
                "INSERT INTO supplier (id, name, kind, base_url, created_at, balance_minor, requests_per_second, ledger_opened_at)
                 VALUES (3, 'CJ main', 'cj', 'https://cj.example', '2026-01-01T00:00:00Z', 123456, 4, '2026-01-02T00:00:00Z');
                 INSERT INTO supplier_card (supplier_id, brand, last4, exp_month, exp_year, saved_at)
                 VALUES (3, 'visa', '4242', 12, 2030, '2026-01-03T00:00:00Z');
                 INSERT INTO wallet_entry (supplier_id, kind, amount_minor, currency, created_at)
                 VALUES (3, 'recharge', 5000, 'USD', '2026-01-04T00:00:00Z');",
            )
            .unwrap();
            columns(&conn)
        };
        let db = Db::open(&path).unwrap();
        let (after, kept, printful, empty) = db
            .write(|tx| {
                let kept: (String, i64, i64, Option<String>) = tx.query_row(
                    "SELECT kind, balance_minor, requests_per_second, ledger_opened_at FROM supplier WHERE id = 3",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )?;
                let printful = tx
                    .execute("INSERT INTO supplier (name, kind, base_url, created_at) VALUES ('PF', 'printful', 'https://p.example', 'now')", [])
                    .is_ok();
                let empty = tx
                    .execute("INSERT INTO supplier (name, kind, base_url, created_at) VALUES ('X', '', 'https://x.example', 'now')", [])
                    .is_ok();
                Ok((columns(tx), kept, printful, empty))
            })
            .unwrap();
        let mut expected = before.clone();
        expected.extend(["store_ref".to_owned(), "disconnected_at".to_owned()]);
        expected.sort();
        assert_eq!(after, expected, "the same columns, the platform's store (13) and when it was disconnected (14)");
        assert_eq!(kept, ("cj".to_owned(), 123456, 4, Some("2026-01-02T00:00:00Z".to_owned())));
        assert!(printful && !empty, "any named platform, never an empty kind");
        // The card and the ledger still point at the account; removing it cascades to its card.
        let (cards, entries): (i64, i64) = db
            .read(|c| {
                Ok(c.query_row(
                    "SELECT (SELECT COUNT(*) FROM supplier_card WHERE supplier_id = 3), (SELECT COUNT(*) FROM wallet_entry WHERE supplier_id = 3)",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?)
            })
            .unwrap();
        assert_eq!((cards, entries), (1, 1));
        db.write(|tx| Ok(tx.execute("DELETE FROM wallet_entry WHERE supplier_id = 3", [])?)).unwrap();
        db.write(|tx| Ok(tx.execute("DELETE FROM supplier WHERE id = 3", [])?)).unwrap();
        let cards: i64 = db.read(|c| Ok(c.query_row("SELECT COUNT(*) FROM supplier_card", [], |r| r.get(0))?)).unwrap();
        assert_eq!(cards, 0, "the foreign key survived the rebuild");
    }

    /// Migration 21: each mapping by store variant becomes the primary option of one part and
    /// one unit, and each sub-order item keeps its quantity as the store line's, so a database
    /// from before ships (and pushes back) the same orders the same way.
    #[test]
    fn mappings_and_sub_order_items_from_before_21_keep_their_meaning() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DB_FILE);
        {
            let mut conn = Connection::open(&path).unwrap();
            migrations().to_version(&mut conn, 20).unwrap();
            conn.execute_batch(
                "INSERT INTO store (id, name, platform, base_url, created_at) VALUES (7, 'Woo', 'woocommerce', 'https://w.example', 'now');
                 INSERT INTO supplier (id, name, kind, base_url, created_at) VALUES (3, 'CJ', 'cj', 'https://cj.example', 'now');
                 INSERT INTO variant_mapping (store_id, store_product_id, store_variant_id, supplier_id, variant_id, cost_minor, currency)
                 VALUES (7, '22', '23', 3, 'VID-A', 410, 'USD');
                 INSERT INTO orders (id, store_id, remote_id, name, created_at, updated_at, financial_status, store_fulfillment_status, status, total_minor, currency, content_hash, synced_at)
                 VALUES (1, 7, '727', '#727', 'now', 'now', 'PAID', 'UNFULFILLED', 'processing', 100, 'USD', 'h', 'now');
                 INSERT INTO line_item (id, order_id, remote_id, position, sku, title, quantity, unit_price_minor, requires_shipping, store_product_id, store_variant_id)
                 VALUES (5, 1, '315', 0, NULL, 'Ship Your Idea', 3, 1000, 1, '22', '23');
                 INSERT INTO supplier_order (id, order_id, supplier_id, idempotency_key, state, created_at, updated_at)
                 VALUES (9, 1, 3, 'DD7-727-S3', 'paid', 'now', 'now');
                 INSERT INTO supplier_order_item (supplier_order_id, line_item_id, variant_id, quantity) VALUES (9, 5, 'VID-A', 3);",
            )
            .unwrap();
        }
        let db = Db::open(&path).unwrap();
        let part: (i64, String, i64, i64) = db
            .read(|c| {
                Ok(c.query_row(
                    "SELECT priority, variant_id, quantity, cost_minor FROM variant_mapping_part
                     WHERE store_id = 7 AND store_product_id = '22' AND store_variant_id = '23'",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )?)
            })
            .unwrap();
        let item: (i64, i64, i64, Option<String>) = db
            .read(|c| {
                Ok(c.query_row(
                    "SELECT quantity, line_quantity, priority, backup_reason FROM supplier_order_item WHERE supplier_order_id = 9",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )?)
            })
            .unwrap();
        let summary: (String, i64) = db
            .read(|c| {
                Ok(c.query_row("SELECT variant_id, cost_minor FROM variant_mapping WHERE store_id = 7", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?)
            })
            .unwrap();
        assert_eq!(part, (1, "VID-A".to_owned(), 1, 410));
        assert_eq!(item, (3, 3, 1, None));
        assert_eq!(summary, ("VID-A".to_owned(), 410));
        // The rebuilt item table still cascades from its sub-order.
        db.write(|tx| Ok(tx.execute("DELETE FROM supplier_order WHERE id = 9", [])?)).unwrap();
        let left: i64 =
            db.read(|c| Ok(c.query_row("SELECT COUNT(*) FROM supplier_order_item", [], |r| r.get(0))?)).unwrap();
        assert_eq!(left, 0);
    }

    /// Migration 24 rebuilds `supplier_order` (a replacement sub-order beside its original):
    /// every row and column is kept, items, shipments and ledger entries still point at their
    /// sub-order, and one original sub-order per order and supplier still holds.
    #[test]
    fn sub_orders_from_before_24_are_kept_and_one_original_per_supplier_still_holds() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DB_FILE);
        {
            let mut conn = Connection::open(&path).unwrap();
            migrations().to_version(&mut conn, 23).unwrap();
            conn.execute_batch(
                "INSERT INTO store (id, name, platform, base_url, created_at) VALUES (7, 'Shop', 'shopify', 'https://s.example', 'now');
                 INSERT INTO supplier (id, name, kind, base_url, created_at) VALUES (3, 'CJ', 'cj', 'https://cj.example', 'now');
                 INSERT INTO orders (id, store_id, remote_id, name, created_at, updated_at, financial_status, store_fulfillment_status, status, total_minor, currency, content_hash, synced_at)
                 VALUES (1, 7, '727', '#727', 'now', 'now', 'PAID', 'FULFILLED', 'fulfilled', 100, 'USD', 'h', 'now');
                 INSERT INTO line_item (id, order_id, remote_id, position, sku, title, quantity, unit_price_minor, requires_shipping)
                 VALUES (5, 1, '315', 0, 'MUG', 'Mug', 1, 1000, 1);
                 INSERT INTO supplier_order (id, order_id, supplier_id, idempotency_key, state, supplier_order_id, cost_minor, currency,
                                             created_at, updated_at, payment_method, paid_at, store_cancel_outcome)
                 VALUES (9, 1, 3, 'DD7-727-S3', 'shipped', 'CJ1', 812, 'USD', 'now', 'now', 'wallet', 'now', 'too_late');
                 INSERT INTO supplier_order_item (supplier_order_id, line_item_id, variant_id, quantity, line_quantity) VALUES (9, 5, 'VID-A', 1, 1);
                 INSERT INTO shipment (supplier_order_id, tracking_number, carrier, tracking_company, tracking_url, detected_at)
                 VALUES (9, 'CJPKL1', 'CJPacket', 'Other', '', 'now');
                 INSERT INTO wallet_entry (supplier_id, kind, amount_minor, currency, supplier_order_id, created_at)
                 VALUES (3, 'charge', -812, 'USD', 9, 'now');",
            )
            .unwrap();
        }
        let db = Db::open(&path).unwrap();
        let row: (String, String, i64, String, String, Option<i64>) = db
            .read(|c| {
                Ok(c.query_row(
                    "SELECT idempotency_key, state, cost_minor, payment_method, store_cancel_outcome, replaces_id
                     FROM supplier_order WHERE id = 9",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
                )?)
            })
            .unwrap();
        assert_eq!(row, ("DD7-727-S3".into(), "shipped".into(), 812, "wallet".into(), "too_late".into(), None));
        let linked: (i64, i64, i64) = db
            .read(|c| {
                Ok(c.query_row(
                    "SELECT (SELECT COUNT(*) FROM supplier_order_item WHERE supplier_order_id = 9),
                            (SELECT COUNT(*) FROM shipment WHERE supplier_order_id = 9),
                            (SELECT COUNT(*) FROM wallet_entry WHERE supplier_order_id = 9)",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )?)
            })
            .unwrap();
        assert_eq!(linked, (1, 1, 1));
        // A second original at the same supplier is refused; a replacement of it is not.
        let second = db.write(|tx| {
            Ok(tx.execute(
                "INSERT INTO supplier_order (order_id, supplier_id, idempotency_key, state, created_at, updated_at)
                 VALUES (1, 3, 'DD7-727-S3-X', 'pending', 'now', 'now')",
                [],
            )?)
        });
        assert!(second.is_err(), "one original sub-order per order and supplier");
        db.write(|tx| {
            Ok(tx.execute(
                "INSERT INTO supplier_order (order_id, supplier_id, idempotency_key, state, created_at, updated_at, replaces_id)
                 VALUES (1, 3, 'DD7-727-S3-D1-RS', 'paid', 'now', 'now', 9)",
                [],
            )?)
        })
        .unwrap();
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
