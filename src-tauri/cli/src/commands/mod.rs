//! The CLI's commands, one module per command group (as the app's sidebar reads), over one
//! [`Ctx`]. Each module owns its clap types and prints its own lines; the lines are a public
//! interface merchants script, so they stay as they are.

pub(crate) mod auto;
pub(crate) mod demo;
pub(crate) mod disputes;
pub(crate) mod orders;
pub(crate) mod products;
pub(crate) mod profit;
pub(crate) mod settings;
pub(crate) mod store;
pub(crate) mod supplier;
pub(crate) mod wallet;

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{anyhow, Result};
use dropdock_core::secrets::{OsKeychain, SecretStore};
use dropdock_core::{Dropdock, APP_IDENTIFIER};

/// What every command runs in: the data directory it was given (`--data-dir`), opened on demand.
pub(crate) struct Ctx {
    /// `--data-dir`, when given; else the desktop app's.
    pub data_dir: Option<PathBuf>,
}

impl Ctx {
    /// The data directory: `--data-dir`, else the desktop app's (e.g.
    /// `~/.local/share/app.dropdock.desktop`). Errors on a system without a data directory.
    pub fn dir(&self) -> Result<PathBuf> {
        match &self.data_dir {
            Some(dir) => Ok(dir.clone()),
            None => Ok(dirs::data_dir()
                .ok_or_else(|| anyhow!("no data directory on this system; pass --data-dir"))?
                .join(APP_IDENTIFIER)),
        }
    }

    /// The core over the data directory, with the OS keychain.
    pub fn open(&self) -> Result<Dropdock> {
        open(&self.dir()?)
    }
}

/// The core over `dir`, with the OS keychain.
pub(crate) fn open(dir: &std::path::Path) -> Result<Dropdock> {
    Ok(Dropdock::open(dir, |install_id| Arc::new(OsKeychain::new(install_id)) as Arc<dyn SecretStore>)?)
}

/// What the command modules share: their imports, the context and the output helpers.
pub(crate) mod prelude {
    pub(crate) use super::{open, Ctx};
    pub(crate) use crate::output::{money, print_bulk};
    pub(crate) use anyhow::{anyhow, bail, Context, Result};
    pub(crate) use clap::{Subcommand, ValueEnum};
    pub(crate) use dropdock_core::auto_fulfillment::{AutoSettings, AutoSettingsInput, PaymentMethod};
    pub(crate) use dropdock_core::fulfillment::HoldKind;
    pub(crate) use dropdock_core::model::OrderStatus;
    pub(crate) use dropdock_core::orders::actions::OrderSelection;
    pub(crate) use dropdock_core::orders::dashboard::DashboardRequest;
    pub(crate) use dropdock_core::orders::search::OrderQuery;
    pub(crate) use dropdock_core::secrets::{MemorySecrets, SecretStore};
    pub(crate) use dropdock_core::Dropdock;
    pub(crate) use dropdock_demo::{connect_sandbox, sandbox_endpoints};
    pub(crate) use dropdock_sandbox::{Sandbox, SandboxConfig};
    pub(crate) use std::path::PathBuf;
    pub(crate) use std::sync::Arc;
    pub(crate) use std::time::Duration;
}
