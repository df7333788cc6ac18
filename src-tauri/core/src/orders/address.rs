//! "Correct address" in the order drawer: the merchant's local correction of an order's shipping
//! address. It is what the suppliers get and is shown beside the store's; it is never pushed
//! back to the store, and a sync that rewrites the store's address leaves it as it is. Saving
//! or removing it re-plans the order at once (an `address_invalid` hold clears, or a new one is
//! set), in the same transaction.

use chrono::{DateTime, Utc};
use rusqlite::params;

use crate::db::Db;
use crate::error::{CoreError, Result};
use crate::fulfillment::address_check;
use crate::model::{Address, OrderStatus};
use crate::orders::queries;
use crate::stores::sync::refresh_order_status;

/// The longest text accepted in one field (characters): CJ's `createOrderV2` takes 200 for its
/// address fields; a longer correction is refused, never cut.
pub const MAX_FIELD_CHARS: usize = 200;

/// Only orders not yet with their suppliers take a correction: after sending, it would not reach
/// them (an order already there is changed at the supplier, if at all).
fn check_editable(status: OrderStatus, name: &str) -> Result<()> {
    match status {
        OrderStatus::AwaitingPayment | OrderStatus::ToOrder | OrderStatus::Failed => Ok(()),
        _ => Err(CoreError::InvalidInput(format!(
            "order {name} is already with its suppliers: a corrected address would not reach them"
        ))),
    }
}

/// Trims every field, turns blank optional fields into `None`, upper-cases the country code.
/// Errors (`InvalidInput`, naming the field): a blank street, a country code that is not an
/// assigned ISO 3166-1 alpha-2 code, a field over [`MAX_FIELD_CHARS`] or with control characters.
pub fn normalize(address: Address) -> Result<Address> {
    let clean = |field: &str, v: String| -> Result<String> {
        let v = v.trim().to_owned();
        if v.chars().count() > MAX_FIELD_CHARS {
            return Err(CoreError::InvalidInput(format!("{field}: at most {MAX_FIELD_CHARS} characters")));
        }
        if v.chars().any(char::is_control) {
            return Err(CoreError::InvalidInput(format!("{field}: control characters are not allowed")));
        }
        Ok(v)
    };
    let opt = |field: &str, v: Option<String>| -> Result<Option<String>> {
        Ok(v.map(|v| clean(field, v)).transpose()?.filter(|v| !v.is_empty()))
    };
    let country_code = clean("country_code", address.country_code)?.to_ascii_uppercase();
    if isocountry::CountryCode::for_alpha2(&country_code).is_err() && country_code != "XK" {
        return Err(CoreError::InvalidInput(format!(
            "country_code: \"{country_code}\" is not an ISO 3166-1 alpha-2 country code"
        )));
    }
    let address1 = clean("address1", address.address1)?;
    if address1.is_empty() {
        return Err(CoreError::InvalidInput("address1: the street address is required".into()));
    }
    Ok(Address {
        name: opt("name", address.name)?,
        address1,
        address2: opt("address2", address.address2)?,
        city: opt("city", address.city)?,
        province: opt("province", address.province)?,
        zip: opt("zip", address.zip)?,
        country_code,
        phone: opt("phone", address.phone)?,
    })
}

/// Saves `address` as the correction of order `order_id`'s shipping address and re-plans the
/// order. Returns what the address check still finds in it (for the suppliers the order maps
/// to; empty when it can go). Errors: `NotFound`; `InvalidInput` from [`normalize`], or for an
/// order already with its suppliers.
pub fn correct_address(
    db: &Db,
    order_id: i64,
    address: Address,
    now: DateTime<Utc>,
) -> Result<Vec<address_check::AddressProblem>> {
    let address = normalize(address)?;
    db.write(|tx| {
        let (name, status) = queries::name_and_status(tx, order_id)?;
        check_editable(status, &name)?;
        tx.prepare_cached(
            "INSERT INTO address_override (order_id, name, address1, address2, city, province, zip, country_code, phone, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT (order_id) DO UPDATE SET name = ?2, address1 = ?3, address2 = ?4, city = ?5, province = ?6,
                 zip = ?7, country_code = ?8, phone = ?9, updated_at = ?10",
        )?
        .execute(params![
            order_id,
            address.name,
            address.address1,
            address.address2,
            address.city,
            address.province,
            address.zip,
            address.country_code,
            address.phone,
            now
        ])?;
        refresh_order_status(tx, order_id)?;
        crate::orders::views::address_problems(tx, order_id)
    })
}

/// Removes the correction: the store's address is used again, and the order re-planned.
/// Returns false when there was none. Errors: `NotFound`; `InvalidInput` for an order already
/// with its suppliers.
pub fn use_store_address(db: &Db, order_id: i64) -> Result<bool> {
    db.write(|tx| {
        let (name, status) = queries::name_and_status(tx, order_id)?;
        check_editable(status, &name)?;
        let removed = tx.prepare_cached("DELETE FROM address_override WHERE order_id = ?1")?.execute([order_id])? == 1;
        if removed {
            refresh_order_status(tx, order_id)?;
        }
        Ok(removed)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> Address {
        Address {
            name: Some("  Ana ".into()),
            address1: " 1 Main St ".into(),
            address2: Some("   ".into()),
            city: Some("Austin".into()),
            province: Some("TX".into()),
            zip: Some("78701".into()),
            country_code: "us".into(),
            phone: None,
        }
    }

    #[test]
    fn a_correction_is_trimmed_and_its_country_checked() {
        let a = normalize(valid()).unwrap();
        assert_eq!(
            (a.name.as_deref(), a.address1.as_str(), a.address2, a.country_code.as_str()),
            (Some("Ana"), "1 Main St", None, "US")
        );
        let err = normalize(Address { country_code: "ZZ".into(), ..valid() }).unwrap_err();
        assert!(err.to_string().contains("country_code"), "{err}");
        let err = normalize(Address { address1: "  ".into(), ..valid() }).unwrap_err();
        assert!(err.to_string().contains("address1"), "{err}");
        let err = normalize(Address { city: Some("x".repeat(201)), ..valid() }).unwrap_err();
        assert!(err.to_string().contains("city: at most 200"), "{err}");
        let err = normalize(Address { zip: Some("787\u{0}01".into()), ..valid() }).unwrap_err();
        assert!(err.to_string().contains("zip"), "{err}");
    }
}
