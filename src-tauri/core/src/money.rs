//! Exact money: decimal strings from the APIs become `i64` minor units. Never `f64`.

use std::str::FromStr;

use rust_decimal::Decimal;

/// Number of minor-unit digits of an ISO 4217 currency (ISO 4217 "minor unit" column).
/// Zero-decimal currencies are listed; the three-decimal dinars too; everything else has 2.
pub fn minor_digits(currency: &str) -> u32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX" | "VND" | "VUV"
        | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// The largest amount Dropdock stores, in minor units either way (10^12: ten billion dollars).
/// Anything past it is hostile or broken input, refused when it is read, so every sum of
/// amounts stays far inside `i64`.
pub const MAX_MINOR: i64 = 1_000_000_000_000;

/// `minor` when it is within ±[`MAX_MINOR`]; else the reason, naming `field`.
pub fn bounded(minor: i64, field: &str) -> Result<i64, String> {
    if minor.unsigned_abs() > MAX_MINOR as u64 {
        return Err(format!("{field} {minor} is out of range (over 10^12 minor units)"));
    }
    Ok(minor)
}

/// Whether `code` is an ISO 4217 currency code (the `iso_currency` crate's list), e.g. `USD`;
/// `XYZ` is not.
pub fn is_known_currency(code: &str) -> bool {
    iso_currency::Currency::from_code(code).is_some()
}

/// Parses a decimal amount such as `"12.30"` (Shopify `MoneyV2.amount`, WooCommerce money
/// strings, CJ numbers) into minor units of `currency`.
///
/// Errors (as a message fit for a per-order failure reason) when the text is not a plain
/// decimal number, has more fractional digits than the currency allows, or is past
/// ±[`MAX_MINOR`].
pub fn parse_minor(amount: &str, currency: &str) -> Result<i64, String> {
    let text = amount.trim();
    let value = Decimal::from_str(text).map_err(|_| format!("'{}' is not a decimal amount", clip(amount)))?;
    let digits = minor_digits(currency);
    let scaled = value * Decimal::from(10i64.pow(digits));
    if scaled.fract() != Decimal::ZERO {
        return Err(format!("'{text}' has more than {digits} decimals for {currency}"));
    }
    let minor = i64::try_from(scaled.trunc()).map_err(|_| format!("'{}' is out of range", clip(text)))?;
    if minor.unsigned_abs() > MAX_MINOR as u64 {
        return Err(format!("'{}' is out of range (over 10^12 minor units)", clip(text)));
    }
    Ok(minor)
}

/// Formats minor units as a plain decimal string, e.g. `1230, "USD"` → `"12.30"`.
pub fn format_minor(minor: i64, currency: &str) -> String {
    let digits = minor_digits(currency);
    let mut d = Decimal::from(minor);
    d.set_scale(digits).expect("scale within range");
    d.to_string()
}

/// Shortens hostile input before it is echoed into an error message.
pub(crate) fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exact_amounts() {
        assert_eq!(parse_minor("12.30", "USD"), Ok(1230));
        assert_eq!(parse_minor("0.1", "USD"), Ok(10));
        assert_eq!(parse_minor("1500", "JPY"), Ok(1500));
        assert_eq!(parse_minor("-3.5", "EUR"), Ok(-350));
    }

    #[test]
    fn rejects_garbage_and_sub_cent_amounts() {
        assert!(parse_minor("12,30", "USD").unwrap_err().contains("not a decimal"));
        assert!(parse_minor("abc", "USD").is_err());
        assert!(parse_minor("1.001", "USD").unwrap_err().contains("decimals"));
        assert!(parse_minor("15.5", "JPY").is_err());
        assert!(parse_minor("99999999999999999999999", "USD").is_err());
    }

    #[test]
    fn formats_minor_units() {
        assert_eq!(format_minor(1230, "USD"), "12.30");
        assert_eq!(format_minor(-5, "USD"), "-0.05");
        assert_eq!(format_minor(1500, "JPY"), "1500");
    }
}
