//! Carrier names: what a supplier calls a logistics line → the name each store platform knows,
//! and a tracking link.
//!
//! Sources: Shopify's exact tracking company names (shopify.dev `FulfillmentTrackingInfo.company`,
//! case-sensitive; for a name off the list Shopify shows the company as given and needs the URL);
//! Etsy's `carrier_name` of `createReceiptShipment` (from `getShippingCarriers`, else `other`);
//! the WooCommerce Shipment Tracking extension's predefined providers (else a custom provider with
//! a link). An unknown carrier keeps its own name and gets an explicit 17TRACK link.
//!
//! The built-in table below is the default; the merchant's rows (Settings → Carriers, table
//! `carrier_mapping`) come first and replace a built-in row with the same supplier carrier.

use chrono::Utc;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};

/// The link used for carriers without a template of their own (`{n}` = tracking number).
pub const GENERIC_URL: &str = "https://t.17track.net/en#nums={n}";

/// One row of the mapping: a supplier's carrier (a word or phrase found in its logistics line
/// name, matched case-insensitively on word boundaries) and the names each platform gets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct CarrierMapping {
    /// E.g. `yunexpress`, `dhl ecommerce`; longer phrases win over shorter ones.
    pub supplier_carrier: String,
    /// Shopify's exact tracking company name (e.g. `YunExpress`, `DHL Express`).
    pub shopify_company: String,
    /// Etsy's carrier name (e.g. `usps`, `canada-post`), `other` when Etsy has none.
    pub etsy_carrier: String,
    /// The Shipment Tracking provider name (e.g. `USPS`); empty for a custom provider.
    pub woo_provider: String,
    /// The tracking link with `{n}` where the tracking number goes; https only.
    pub url_template: String,
    /// True for the merchant's own row (editable, removable); false for a built-in default.
    pub custom: bool,
}

/// Built-in rows: (supplier carrier, Shopify name, Etsy name, Shipment Tracking provider, link).
const BUILT_IN: &[(&str, &str, &str, &str, &str)] = &[
    ("yunexpress", "YunExpress", "other", "", "https://www.yuntrack.com/parcelTracking?id={n}"),
    ("yun express", "YunExpress", "other", "", "https://www.yuntrack.com/parcelTracking?id={n}"),
    ("4px", "4PX", "other", "", "https://track.4px.com/#/result/0/{n}"),
    ("usps", "USPS", "usps", "USPS", "https://tools.usps.com/go/TrackConfirmAction?tLabels={n}"),
    ("ups", "UPS", "ups", "UPS", "https://www.ups.com/track?tracknum={n}"),
    ("fedex", "FedEx", "fedex", "Fedex", "https://www.fedex.com/fedextrack/?trknbr={n}"),
    ("dhl ecommerce", "DHL eCommerce", "dhl", "", GENERIC_URL),
    ("dhl e-commerce", "DHL eCommerce", "dhl", "", GENERIC_URL),
    ("dhl", "DHL Express", "dhl", "", "https://www.dhl.com/en/express/tracking.html?AWB={n}&brand=DHL"),
    ("china post", "China Post", "china-post", "", GENERIC_URL),
    ("chinapost", "China Post", "china-post", "", GENERIC_URL),
    ("epacket", "China EMS (ePacket)", "other", "", GENERIC_URL),
    ("yanwen", "Yanwen", "other", "", GENERIC_URL),
    ("sf express", "SF Express", "other", "", GENERIC_URL),
    ("sfexpress", "SF Express", "other", "", GENERIC_URL),
    ("wanb", "WanbExpress", "other", "", GENERIC_URL),
    ("royal mail", "Royal Mail", "royal-mail", "Royal Mail", GENERIC_URL),
    ("canada post", "Canada Post", "canada-post", "Canada Post", GENERIC_URL),
    ("australia post", "Australia Post", "australia-post", "Australia Post", GENERIC_URL),
    ("postnl", "PostNL", "postnl", "PostNL", GENERIC_URL),
];

/// The built-in rows, as [`CarrierMapping`]s.
pub fn built_in() -> Vec<CarrierMapping> {
    BUILT_IN
        .iter()
        .map(|(carrier, shopify, etsy, woo, url)| CarrierMapping {
            supplier_carrier: (*carrier).into(),
            shopify_company: (*shopify).into(),
            etsy_carrier: (*etsy).into(),
            woo_provider: (*woo).into(),
            url_template: (*url).into(),
            custom: false,
        })
        .collect()
}

/// The mapping in force: the merchant's rows, then the built-in rows they do not replace.
pub fn mappings(conn: &Connection) -> Result<Vec<CarrierMapping>> {
    let mut rows: Vec<CarrierMapping> = conn
        .prepare(
            "SELECT supplier_carrier, shopify_company, etsy_carrier, woo_provider, url_template
             FROM carrier_mapping ORDER BY supplier_carrier",
        )?
        .query_map([], |r| {
            Ok(CarrierMapping {
                supplier_carrier: r.get(0)?,
                shopify_company: r.get(1)?,
                etsy_carrier: r.get(2)?,
                woo_provider: r.get(3)?,
                url_template: r.get(4)?,
                custom: true,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let taken: Vec<String> = rows.iter().map(|r| r.supplier_carrier.to_lowercase()).collect();
    rows.extend(built_in().into_iter().filter(|b| !taken.contains(&b.supplier_carrier)));
    Ok(rows)
}

/// Saves the merchant's row (replacing any row, built-in or theirs, for the same supplier
/// carrier). Errors (`InvalidInput`, naming the field): an empty supplier carrier or Shopify
/// name, an Etsy name that is not a lower-case slug, a link that is not `https://` or lacks `{n}`.
pub fn save_mapping(conn: &Connection, row: &CarrierMapping) -> Result<()> {
    let carrier = row.supplier_carrier.trim().to_lowercase();
    let invalid = |m: &str| Err(CoreError::InvalidInput(m.into()));
    if carrier.is_empty() || carrier.len() > 60 {
        return invalid("supplier carrier: give the word or phrase of the supplier's line name (up to 60 characters)");
    }
    if row.shopify_company.trim().is_empty() || row.shopify_company.len() > 80 {
        return invalid("Shopify name: required (up to 80 characters)");
    }
    let etsy = row.etsy_carrier.trim();
    if etsy.is_empty() || !etsy.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_') {
        return invalid("Etsy carrier: a lower-case name such as usps or canada-post, or other");
    }
    let url = row.url_template.trim();
    if !url.starts_with("https://") || !url.contains("{n}") || url.len() > 300 {
        return invalid("tracking link: an https:// address with {n} where the tracking number goes");
    }
    conn.execute(
        "INSERT INTO carrier_mapping (supplier_carrier, shopify_company, etsy_carrier, woo_provider, url_template, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (supplier_carrier) DO UPDATE SET shopify_company=?2, etsy_carrier=?3, woo_provider=?4, url_template=?5, updated_at=?6",
        params![carrier, row.shopify_company.trim(), etsy, row.woo_provider.trim(), url, Utc::now()],
    )?;
    Ok(())
}

/// Removes the merchant's row; a built-in row for the same carrier applies again. Returns
/// whether there was one.
pub fn remove_mapping(conn: &Connection, supplier_carrier: &str) -> Result<bool> {
    Ok(conn
        .execute("DELETE FROM carrier_mapping WHERE supplier_carrier = ?1", [supplier_carrier.trim().to_lowercase()])?
        > 0)
}

/// A carrier as it will be shown and sent to each store platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappedCarrier {
    /// Shopify's exact tracking company name, or the supplier's name when it is off the list.
    pub company: String,
    pub url: String,
    pub etsy_carrier: String,
    /// Empty: a custom provider.
    pub woo_provider: String,
}

fn word_match(haystack: &str, needle: &str) -> bool {
    haystack.match_indices(needle).any(|(i, _)| {
        let before = haystack[..i].chars().next_back();
        let after = haystack[i + needle.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric()) && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

/// Maps a supplier's logistics name (e.g. CJ `logisticName` "YunExpress Standard") and a
/// tracking number with `table` (see [`mappings`]): the merchant's rows first, and within them
/// and within the built-in rows the longest matching phrase.
pub fn map_carrier_with(table: &[CarrierMapping], supplier_name: &str, tracking_number: &str) -> MappedCarrier {
    let lower = supplier_name.to_lowercase();
    let encoded: String = tracking_number.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let best = |custom: bool| {
        table
            .iter()
            .filter(|m| m.custom == custom && word_match(&lower, &m.supplier_carrier.to_lowercase()))
            .max_by_key(|m| m.supplier_carrier.len())
    };
    match best(true).or_else(|| best(false)) {
        Some(m) => MappedCarrier {
            company: m.shopify_company.clone(),
            url: m.url_template.replace("{n}", &encoded),
            etsy_carrier: m.etsy_carrier.clone(),
            woo_provider: m.woo_provider.clone(),
        },
        None => MappedCarrier {
            company: supplier_name.trim().to_owned(),
            url: GENERIC_URL.replace("{n}", &encoded),
            etsy_carrier: "other".into(),
            woo_provider: String::new(),
        },
    }
}

/// [`map_carrier_with`] the built-in rows only.
pub fn map_carrier(supplier_name: &str, tracking_number: &str) -> MappedCarrier {
    map_carrier_with(&built_in(), supplier_name, tracking_number)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The logistics lines the sandbox suppliers offer and CJ's common ones, with Shopify's
    /// exact names (shopify.dev, `FulfillmentTrackingInfo.company`, "Supported tracking
    /// companies").
    #[test]
    fn supplier_lines_map_to_shopify_exact_names() {
        for (line, shopify) in [
            ("YunExpress Standard", "YunExpress"),
            ("USPS+", "USPS"),
            ("DHL Official", "DHL Express"),
            ("DHL eCommerce Packet", "DHL eCommerce"),
            ("4PX Singapore Line", "4PX"),
            ("China Post Registered Air Mail", "China Post"),
            ("ePacket", "China EMS (ePacket)"),
            ("YanWen Economy", "Yanwen"),
            ("Wanb Express", "WanbExpress"),
            ("FedEx International Priority", "FedEx"),
            ("UPS Ground", "UPS"),
        ] {
            assert_eq!(map_carrier(line, "1").company, shopify, "{line}");
        }
        assert_eq!(map_carrier("Groupes", "1").company, "Groupes", "'ups' inside a word is not UPS");
        assert_eq!(map_carrier("CJPacket Ordinary", "1").company, "CJPacket Ordinary", "off Shopify's list: kept");
    }

    #[test]
    fn links_use_the_carrier_template_or_17track() {
        assert_eq!(map_carrier("USPS", "9400 1").url, "https://tools.usps.com/go/TrackConfirmAction?tLabels=94001");
        let unknown = map_carrier("CJPacket Ordinary", "CJPKL7");
        assert_eq!(unknown.company, "CJPacket Ordinary");
        assert_eq!(unknown.url, "https://t.17track.net/en#nums=CJPKL7");
        assert_eq!(unknown.etsy_carrier, "other");
        assert_eq!(unknown.woo_provider, "");
    }

    #[test]
    fn the_merchants_rows_come_first_and_can_be_removed() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::db::Db::open_dir(dir.path()).unwrap();
        db.write(|tx| {
            save_mapping(
                tx,
                &CarrierMapping {
                    supplier_carrier: "CJPacket".into(),
                    shopify_company: "CJ Packet".into(),
                    etsy_carrier: "other".into(),
                    woo_provider: String::new(),
                    url_template: "https://www.cjpacket.com/track?n={n}".into(),
                    custom: true,
                },
            )?;
            save_mapping(
                tx,
                &CarrierMapping {
                    supplier_carrier: "dhl".into(),
                    shopify_company: "DHL eCommerce".into(),
                    etsy_carrier: "dhl".into(),
                    woo_provider: String::new(),
                    url_template: GENERIC_URL.into(),
                    custom: true,
                },
            )
        })
        .unwrap();
        let table = db.read(mappings).unwrap();
        let cj = map_carrier_with(&table, "CJPacket Ordinary", "CJ 1");
        assert_eq!((cj.company.as_str(), cj.url.as_str()), ("CJ Packet", "https://www.cjpacket.com/track?n=CJ1"));
        assert_eq!(map_carrier_with(&table, "DHL Official", "1").company, "DHL eCommerce", "the merchant's row wins");
        assert_eq!(table.iter().filter(|m| m.supplier_carrier == "dhl").count(), 1, "replaced, not listed twice");
        let bad = CarrierMapping { url_template: "http://x/{n}".into(), ..table[0].clone() };
        assert!(db.write(|tx| save_mapping(tx, &bad)).unwrap_err().to_string().contains("tracking link"));
        assert!(db.write(|tx| remove_mapping(tx, "DHL")).unwrap());
        let table = db.read(mappings).unwrap();
        assert_eq!(map_carrier_with(&table, "DHL Official", "1").company, "DHL Express", "the built-in row is back");
    }
}
