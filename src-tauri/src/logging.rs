//! `tracing` to stderr and to a daily-rotated file in the app's log directory (7 files kept).
//! Secrets never reach a log line: the core logs names and ids, never tokens or keys.

use std::path::Path;

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter, Layer};

/// The log files' name prefix: `dropdock.YYYY-MM-DD.log`.
pub const LOG_PREFIX: &str = "dropdock";

pub fn init(log_dir: &Path) {
    let _ = std::fs::create_dir_all(log_dir);
    let filter = || EnvFilter::try_from_env("DROPDOCK_LOG").unwrap_or_else(|_| "info,tao=warn,wry=warn".into());
    let file = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix(LOG_PREFIX)
        .filename_suffix("log")
        .max_log_files(7)
        .build(log_dir);
    let registry = tracing_subscriber::registry().with(fmt::layer().with_writer(std::io::stderr).with_filter(filter()));
    let result = match file {
        Ok(appender) => {
            registry.with(fmt::layer().with_ansi(false).with_writer(appender).with_filter(filter())).try_init()
        }
        Err(e) => {
            eprintln!("logs stay on stderr: cannot write to {}: {e}", log_dir.display());
            registry.try_init()
        }
    };
    if result.is_ok() {
        tracing::info!(version = env!("CARGO_PKG_VERSION"), log_dir = %log_dir.display(), "Dropdock starting");
    }
}
