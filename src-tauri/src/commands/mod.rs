//! IPC commands, one module per sidebar area. Each is a thin call into the core; errors cross
//! as `{ code, message }` ([`dropdock_core::error::ErrorBody`]).

pub mod app;
pub mod auto;
pub mod finance;
pub mod orders;
pub mod products;
pub mod settings;
pub mod store;

use dropdock_core::error::ErrorBody;
use dropdock_core::CoreError;

pub type CommandResult<T> = Result<T, ErrorBody>;

pub fn to_body(e: CoreError) -> ErrorBody {
    ErrorBody::from(&e)
}

/// Runs the core's blocking work (SQLite, files, the keychain, CSV and PDF writing) on the
/// blocking thread pool: every command is `async`, so none holds the main thread (Tauri runs
/// synchronous commands there) or an async worker while it reads a million orders.
pub async fn blocking<T, F>(dd: &std::sync::Arc<dropdock_core::Dropdock>, work: F) -> CommandResult<T>
where
    T: Send + 'static,
    F: FnOnce(&dropdock_core::Dropdock) -> dropdock_core::error::Result<T> + Send + 'static,
{
    let dd = dd.clone();
    tauri::async_runtime::spawn_blocking(move || work(&dd))
        .await
        .map_err(|e| to_body(CoreError::InvalidInput(format!("the work stopped before it ended: {e}"))))?
        .map_err(to_body)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    /// Every Tauri command is `async`: Tauri runs a synchronous command on the main thread,
    /// which would freeze the window while it reads a million orders. Read from the sources, so
    /// a new synchronous command fails here.
    #[test]
    fn every_command_is_async() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src-tauri/src/commands");
        let mut commands = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let mut lines = text.lines();
            while let Some(line) = lines.next() {
                if line.trim() != "#[tauri::command]" {
                    continue;
                }
                let signature = lines.find(|l| l.trim_start().starts_with("pub ")).unwrap_or_default();
                assert!(signature.contains("pub async fn"), "{}: not async: {signature}", path.display());
                commands += 1;
            }
        }
        assert!(commands > 60, "found only {commands} commands");
    }

    /// A million orders, as the fixture for the Dashboard below: one store, orders spread over
    /// the last 60 days, a tenth of them still To order. Written in SQL (not through sync) so the
    /// test takes seconds.
    fn a_million_orders(dd: &dropdock_core::Dropdock) {
        dd.db
            .write(|tx| {
                tx.execute_batch(
                    "INSERT INTO store (id, name, platform, base_url, created_at)
                     VALUES (1, 'Big shop', 'shopify', 'https://big.example', '2026-01-01T00:00:00Z');
                     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
                     INSERT INTO orders (id, store_id, remote_id, name, created_at, updated_at, financial_status,
                                         store_fulfillment_status, status, total_minor, currency, content_hash, synced_at)
                     SELECT i, 1, 'gid://shopify/Order/' || i, '#' || (1000 + i),
                            strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-' || (i % 86400) || ' minutes'),
                            strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'PAID', 'UNFULFILLED',
                            CASE WHEN i % 10 = 0 THEN 'to_order' ELSE 'completed' END,
                            1999, 'USD', 'h', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
                     FROM n;",
                )?;
                Ok(())
            })
            .unwrap();
    }

    /// The Dashboard over a million orders runs on the blocking pool and its own read
    /// connection: while it runs, the Order page's status tabs (another read) are answered.
    /// Ordered, not timed: the tabs must come back before the Dashboard does.
    #[test]
    fn the_dashboard_on_a_million_orders_does_not_hold_up_other_commands() {
        use std::sync::atomic::{AtomicBool, Ordering};
        let dir = tempfile::tempdir().unwrap();
        let dd = std::sync::Arc::new(
            dropdock_core::Dropdock::open(dir.path(), |_| {
                std::sync::Arc::new(dropdock_core::secrets::MemorySecrets::default())
                    as std::sync::Arc<dyn dropdock_core::secrets::SecretStore>
            })
            .unwrap(),
        );
        a_million_orders(&dd);
        let dashboard_done = std::sync::Arc::new(AtomicBool::new(false));
        let request = dropdock_core::orders::dashboard::DashboardRequest { days: 60, ..Default::default() };
        tauri::async_runtime::block_on(async {
            let done = dashboard_done.clone();
            let dashboard = super::blocking(&dd, move |dd| {
                let board = dd.dashboard(request);
                done.store(true, Ordering::SeqCst);
                board
            });
            let tabs = async {
                // Let the Dashboard start first, then ask for the tabs while it runs.
                tokio::time::sleep(Duration::from_millis(20)).await;
                let tabs = super::blocking(&dd, |dd| dd.status_counts()).await;
                (tabs, dashboard_done.load(Ordering::SeqCst))
            };
            let (board, (tabs, board_finished_first)) = tokio::join!(dashboard, tabs);
            let board = board.unwrap();
            let per_day: i64 = board.orders_per_day.iter().map(|d| d.orders).sum();
            assert!(per_day > 900_000, "the Dashboard counted {per_day} orders in 60 days");
            let tabs = tabs.unwrap();
            assert!(tabs.iter().any(|t| t.count == 100_000), "the To order tab: {tabs:?}");
            assert!(!board_finished_first, "the status tabs waited for the Dashboard");
        });
    }
}
