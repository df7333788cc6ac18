//! IPC commands, one module per sidebar area. Each is a thin call into the core; errors cross
//! as `{ code, message }` ([`dropdock_core::error::ErrorBody`]).

pub mod app;
pub mod auto;
pub mod finance;
pub mod orders;
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
    use std::time::{Duration, Instant};

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

    /// Long work (the dashboard over a million orders) runs on the blocking pool: while it runs,
    /// another command's work is answered at once.
    #[test]
    fn long_work_does_not_hold_up_other_commands() {
        let dir = tempfile::tempdir().unwrap();
        let dd = std::sync::Arc::new(
            dropdock_core::Dropdock::open(dir.path(), |_| {
                std::sync::Arc::new(dropdock_core::secrets::MemorySecrets::default())
                    as std::sync::Arc<dyn dropdock_core::secrets::SecretStore>
            })
            .unwrap(),
        );
        tauri::async_runtime::block_on(async {
            let slow = super::blocking(&dd, |_| {
                std::thread::sleep(Duration::from_secs(2));
                Ok(())
            });
            let started = Instant::now();
            let quick = super::blocking(&dd, |dd| dd.network_status());
            let (slow, (quick, answered)) = tokio::join!(slow, async {
                let r = quick.await;
                (r, started.elapsed())
            });
            assert!(slow.is_ok() && quick.is_ok());
            assert!(answered < Duration::from_secs(1), "the quick command waited {answered:?}");
        });
    }
}
