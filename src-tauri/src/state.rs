//! App state: the core instance and start-up.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use dropdock_core::orders::views::{AppStatus, UpdateStatus};
use dropdock_core::secrets::{OsKeychain, SecretStore};
use dropdock_core::Dropdock;
use dropdock_demo::{connect_sandbox, sandbox_endpoints};
use dropdock_sandbox::{Sandbox, SandboxConfig};
use tauri::{AppHandle, Emitter, Manager};

/// Event the UI listens to: committed database writes, `{ tables: string[], external: bool }`
/// ("*" among the tables: refresh everything). Raised from the write path
/// ([`crate::workers::forward_changes`]), never by a command.
pub const DB_CHANGED: &str = "db-changed";
/// Event: the start-up status changed.
pub const STATUS_CHANGED: &str = "status-changed";
/// Event: online/offline or the number of queued actions may have changed; refetch the badge.
pub const NETWORK_CHANGED: &str = "network-changed";

pub struct AppState {
    pub dd: Arc<Dropdock>,
    data_dir: PathBuf,
    pub status: RwLock<AppStatus>,
    /// The embedded sandbox, while Dropdock runs on it.
    sandbox: Mutex<Option<Sandbox>>,
    pub workers: Mutex<Vec<tauri::async_runtime::JoinHandle<()>>>,
    /// Where the rotating log files go.
    pub log_dir: PathBuf,
    pub update: RwLock<UpdateStatus>,
    /// The update found by the last check, ready to install.
    pub pending_update: Mutex<Option<tauri_plugin_updater::Update>>,
}

fn data_dir(app: &AppHandle) -> tauri::Result<PathBuf> {
    // DROPDOCK_DATA_DIR lets tests and power users point the app at another database.
    match std::env::var_os("DROPDOCK_DATA_DIR") {
        Some(dir) => Ok(PathBuf::from(dir)),
        None => app.path().app_data_dir(),
    }
}

impl AppState {
    /// Opens the database (fast, synchronous). The rest of start-up runs in [`finish_start_up`]
    /// once the state is managed.
    pub fn open(app: &AppHandle) -> Result<AppState, Box<dyn std::error::Error>> {
        let dir = data_dir(app)?;
        // With DROPDOCK_DATA_DIR, logs go beside that database, not into the user's log folder.
        let log_dir = match std::env::var_os("DROPDOCK_DATA_DIR") {
            Some(_) => dir.join("logs"),
            None => app.path().app_log_dir()?,
        };
        let dd = Dropdock::open(&dir, |install_id| Arc::new(OsKeychain::new(install_id)) as Arc<dyn SecretStore>)?;
        let state = AppState {
            dd: Arc::new(dd),
            data_dir: dir.clone(),
            status: RwLock::new(AppStatus { data_dir: dir.display().to_string(), ..AppStatus::default() }),
            sandbox: Mutex::new(None),
            workers: Mutex::new(Vec::new()),
            log_dir,
            update: RwLock::new(UpdateStatus {
                state: "unchecked".into(),
                current_version: app.package_info().version.to_string(),
                ..UpdateStatus::default()
            }),
            pending_update: Mutex::new(None),
        };
        Ok(state)
    }

    /// The rest of start-up, in the background; call after `app.manage(state)`.
    pub fn finish_start_up(app: &AppHandle) {
        let handle = app.clone();
        tauri::async_runtime::spawn(async move {
            let state = handle.state::<AppState>();
            let result = state.start(&state.data_dir).await;
            {
                let mut status = state.status.write().expect("status lock");
                status.ready = true;
                status.error = result.err();
            }
            let _ = handle.emit(STATUS_CHANGED, ());
            crate::updates::check(&handle).await;
            let _ = handle.emit(STATUS_CHANGED, ());
        });
    }

    /// With no real store connected, starts the embedded sandbox and connects it (credentials
    /// through the OS keychain like any account).
    async fn start(&self, dir: &std::path::Path) -> Result<(), String> {
        let stores = self.dd.stores().map_err(|e| e.to_string())?;
        if stores.iter().any(|s| !s.is_sandbox) {
            return Ok(());
        }
        // DROPDOCK_SANDBOX_BALANCE (US cents) sets the demo wallets' opening balance, e.g. to see
        // Auto Fulfillment refuse a wallet below $1,000.
        let opening_balance_minor = std::env::var("DROPDOCK_SANDBOX_BALANCE")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(SandboxConfig::default().opening_balance_minor);
        let config = SandboxConfig {
            opening_balance_minor,
            state_file: Some(dir.join("sandbox-state.json")),
            ship_after: Duration::from_secs(30),
            restore_rate: 1000.0,
            ..SandboxConfig::default()
        };
        let sandbox = Sandbox::start(config).await.map_err(|e| format!("the embedded sandbox could not start: {e}"))?;
        connect_sandbox(&self.dd, &sandbox_endpoints(&sandbox)).await.map_err(|e| e.to_string())?;
        self.status.write().expect("status lock").sandbox = true;
        *self.sandbox.lock().expect("sandbox lock") = Some(sandbox);
        tracing::info!("running on the embedded sandbox");
        Ok(())
    }

    pub fn on_sandbox(&self) -> bool {
        self.status.read().expect("status lock").sandbox
    }

    /// The data directory (the database, the sandbox's state, logs when overridden).
    pub fn data_dir(&self) -> &std::path::Path {
        &self.data_dir
    }

    /// Takes the embedded sandbox's servers down or brings them back (Settings → Demo sandbox:
    /// see what Dropdock does when the network goes). Returns whether they now serve.
    /// Errors when Dropdock does not run on the sandbox.
    pub async fn set_sandbox_serving(&self, serving: bool) -> Result<bool, String> {
        let taken = self.sandbox.lock().expect("sandbox lock").take();
        let Some(mut sandbox) = taken else {
            return Err("Dropdock is not running on the demo sandbox".into());
        };
        let result = if serving {
            sandbox.restart_servers().await.map_err(|e| format!("the sandbox could not restart: {e}"))
        } else {
            sandbox.stop_servers().await;
            Ok(())
        };
        let now_serving = sandbox.is_serving();
        *self.sandbox.lock().expect("sandbox lock") = Some(sandbox);
        result.map(|_| now_serving)
    }

    /// The sandbox's WooCommerce store, to try connecting a store (`None` when not on the sandbox).
    pub fn demo_woo(&self) -> Option<dropdock_demo::DemoWooStore> {
        self.sandbox.lock().expect("sandbox lock").as_ref().map(|s| sandbox_endpoints(s).woo)
    }

    /// The sandbox's Printful account, offered on Connect a supplier (`None` when not on the
    /// sandbox).
    pub fn demo_supplier(&self) -> Option<dropdock_demo::DemoSupplierAccount> {
        self.sandbox.lock().expect("sandbox lock").as_ref().map(|s| {
            let p = sandbox_endpoints(s).printful;
            dropdock_demo::DemoSupplierAccount { platform: "printful".into(), base_url: p.base_url, token: p.token }
        })
    }

    /// The sandbox's Etsy shop and its app keys (`None` when not on the sandbox).
    pub fn demo_etsy(&self) -> Option<dropdock_demo::DemoEtsyShop> {
        self.sandbox.lock().expect("sandbox lock").as_ref().map(|s| sandbox_endpoints(s).etsy)
    }

    /// Whether the embedded sandbox's servers run (`None` when not on the sandbox).
    pub fn sandbox_serving(&self) -> Option<bool> {
        self.sandbox.lock().expect("sandbox lock").as_ref().map(|s| s.is_serving())
    }
}
