//! Settings: the language Dropdock speaks in (the tray, notifications, the UI's choice) and which
//! desktop notifications the merchant wants.

pub mod locale;
pub mod notifications;
