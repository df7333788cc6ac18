//! Supplier connectors: where sub-orders are sent, paid, and shipped from.

pub mod cj;

pub use cj::CjClient;

/// Whether a supplier platform (`supplier.kind`) documents an API to charge a card on file.
/// CJdropshipping documents none (it takes cards on its own payment page, see
/// [`CjClient::tokenize_card`]), and it is the only platform Dropdock connects to today; a
/// platform that documents one answers true here.
pub fn accepts_cards(kind: &str) -> bool {
    // CJdropshipping ("cj"): cards only on its own payment page. No other platform is connected
    // yet; one that documents a card API is named here.
    const WITH_CARD_API: &[&str] = &[];
    WITH_CARD_API.contains(&kind)
}
