//! The CLI's output in one place: money as the app shows it, and the bulk actions' lines.

use dropdock_core::money::format_minor;
use dropdock_core::orders::actions::BulkResult;

pub(crate) fn money(minor: i64, currency: &str) -> String {
    let symbol = if currency == "USD" { "$" } else { "" };
    let suffix = if currency == "USD" { String::new() } else { format!(" {currency}") };
    format!("{symbol}{}{suffix}", format_minor(minor, currency))
}

pub(crate) fn print_bulk(result: &BulkResult, verb: &str) {
    println!("{}", result.summary(verb));
    for s in &result.skipped {
        println!("skipped {}: {}", s.order_name, s.reason);
    }
}
