//! Dropdock's domain, free of any GUI toolkit: the SQLite store of orders, the store and
//! supplier connectors, order sync, fulfilment ("Ship order"), tracking and the wallet.
//!
//! The desktop shell (`dropdock` crate) and the headless CLI (`dropdock-cli`) are thin front ends
//! over [`app::Dropdock`]. Conventions: money is `i64` minor units plus an ISO 4217 code, time is
//! UTC ([`chrono::DateTime<Utc>`]), secrets live only behind [`secrets::SecretStore`].

pub mod app;
pub mod auto_fulfillment;
pub mod context;
pub mod countries;
pub mod db;
pub mod error;
pub mod fulfillment;
pub mod memo;
pub mod model;
pub mod money;
pub mod offline;
pub mod orders;
pub mod products;
pub mod secrets;
pub mod settings;
pub mod stores;
pub mod suppliers;
pub mod tracking;
pub mod wallet;

pub use app::Dropdock;

/// The app's identifier: its data directory is `{OS data dir}/{APP_IDENTIFIER}`, shared by the
/// desktop app and the CLI.
pub const APP_IDENTIFIER: &str = "app.dropdock.desktop";
pub use error::{CoreError, ErrorCode};
