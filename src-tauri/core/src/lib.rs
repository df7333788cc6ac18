//! Dropdock's domain, free of any GUI toolkit: the SQLite store of orders, the store and
//! supplier connectors, order sync, fulfilment ("Ship order"), tracking and the wallet.
//!
//! The desktop shell (`dropdock` crate) and the headless CLI (`dropdock-cli`) are thin front ends
//! over [`app::Dropdock`]. Conventions: money is `i64` minor units plus an ISO 4217 code, time is
//! UTC ([`chrono::DateTime<Utc>`]), secrets live only behind [`secrets::SecretStore`].

pub mod app;
pub mod autofulfill;
pub mod cancellation;
pub mod carriers;
pub mod connect;
pub mod context;
pub mod countries;
pub mod csv_import;
pub mod dashboard;
pub mod db;
pub mod error;
pub mod etsy_connect;
pub mod fulfillment;
pub mod integrations;
pub mod locale;
pub mod model;
pub mod money;
pub mod notifications;
pub mod offline;
pub mod order_actions;
pub mod orders;
pub mod payment_card;
pub mod products;
pub mod search;
pub mod secrets;
pub mod shipping;
pub mod stores;
pub mod sub_order;
pub mod suppliers;
pub mod sync;
pub mod tracking;
pub mod views;
pub mod wallet;

pub use app::Dropdock;

/// The app's identifier: its data directory is `{OS data dir}/{APP_IDENTIFIER}`, shared by the
/// desktop app and the CLI.
pub const APP_IDENTIFIER: &str = "app.dropdock.desktop";
pub use error::{CoreError, ErrorCode};
