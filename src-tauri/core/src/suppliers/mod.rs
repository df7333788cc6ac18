//! Supplier connectors: where sub-orders are sent, paid, and shipped from.

pub mod cj;

pub use cj::CjClient;
