//! Carrier names: what a supplier calls a logistics line → the exact tracking company Shopify
//! knows (source: shopify.dev `FulfillmentTrackingInfo.company`, whose names are case-sensitive)
//! and a tracking link. An unknown carrier keeps its own name and gets an explicit 17TRACK URL,
//! as Shopify asks for carriers off its list.

/// One known carrier: substrings of supplier line names that mean it, Shopify's exact name,
/// and the tracking-link template (`{n}` = tracking number).
struct Carrier {
    patterns: &'static [&'static str],
    shopify_name: &'static str,
    url_template: &'static str,
}

const GENERIC_URL: &str = "https://t.17track.net/en#nums={n}";

/// Longer, more specific patterns come first (`dhl ecommerce` before `dhl`).
const CARRIERS: &[Carrier] = &[
    Carrier {
        patterns: &["yunexpress", "yun express"],
        shopify_name: "YunExpress",
        url_template: "https://www.yuntrack.com/parcelTracking?id={n}",
    },
    Carrier { patterns: &["4px"], shopify_name: "4PX", url_template: "https://track.4px.com/#/result/0/{n}" },
    Carrier {
        patterns: &["usps"],
        shopify_name: "USPS",
        url_template: "https://tools.usps.com/go/TrackConfirmAction?tLabels={n}",
    },
    Carrier { patterns: &["ups"], shopify_name: "UPS", url_template: "https://www.ups.com/track?tracknum={n}" },
    Carrier {
        patterns: &["fedex"],
        shopify_name: "FedEx",
        url_template: "https://www.fedex.com/fedextrack/?trknbr={n}",
    },
    Carrier {
        patterns: &["dhl ecommerce", "dhl e-commerce"],
        shopify_name: "DHL eCommerce",
        url_template: GENERIC_URL,
    },
    Carrier {
        patterns: &["dhl"],
        shopify_name: "DHL Express",
        url_template: "https://www.dhl.com/en/express/tracking.html?AWB={n}&brand=DHL",
    },
    Carrier { patterns: &["china post", "chinapost"], shopify_name: "China Post", url_template: GENERIC_URL },
    Carrier { patterns: &["sf express", "sfexpress"], shopify_name: "SF Express", url_template: GENERIC_URL },
    Carrier { patterns: &["wanb"], shopify_name: "WanbExpress", url_template: GENERIC_URL },
    Carrier { patterns: &["royal mail"], shopify_name: "Royal Mail", url_template: GENERIC_URL },
    Carrier { patterns: &["canada post"], shopify_name: "Canada Post", url_template: GENERIC_URL },
    Carrier { patterns: &["australia post"], shopify_name: "Australia Post", url_template: GENERIC_URL },
    Carrier { patterns: &["postnl"], shopify_name: "PostNL", url_template: GENERIC_URL },
];

/// A carrier as it will be shown and sent to the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappedCarrier {
    /// Shopify's exact tracking company name, or the supplier's name when it is off the list.
    pub company: String,
    pub url: String,
}

fn word_match(haystack: &str, needle: &str) -> bool {
    haystack.match_indices(needle).any(|(i, _)| {
        let before = haystack[..i].chars().next_back();
        let after = haystack[i + needle.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric()) && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

/// Maps a supplier's logistics name (e.g. CJ `logisticName` "YunExpress Standard") and a
/// tracking number to the store's carrier name and a tracking link.
pub fn map_carrier(supplier_name: &str, tracking_number: &str) -> MappedCarrier {
    let lower = supplier_name.to_ascii_lowercase();
    let encoded: String = tracking_number.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    match CARRIERS.iter().find(|c| c.patterns.iter().any(|p| word_match(&lower, p))) {
        Some(c) => MappedCarrier { company: c.shopify_name.to_owned(), url: c.url_template.replace("{n}", &encoded) },
        None => MappedCarrier { company: supplier_name.trim().to_owned(), url: GENERIC_URL.replace("{n}", &encoded) },
    }
}

#[cfg(test)]
mod tests {
    use super::map_carrier;

    #[test]
    fn supplier_lines_map_to_shopify_exact_names() {
        assert_eq!(map_carrier("YunExpress Standard", "YT1").company, "YunExpress");
        assert_eq!(map_carrier("USPS+", "9400").company, "USPS");
        assert_eq!(map_carrier("DHL Official", "1").company, "DHL Express");
        assert_eq!(map_carrier("DHL eCommerce Packet", "1").company, "DHL eCommerce");
        assert_eq!(map_carrier("4PX Singapore Line", "1").company, "4PX");
        assert_eq!(map_carrier("Groupes", "1").company, "Groupes", "'ups' inside a word is not UPS");
    }

    #[test]
    fn links_use_the_carrier_template_or_17track() {
        assert_eq!(map_carrier("USPS", "9400 1").url, "https://tools.usps.com/go/TrackConfirmAction?tLabels=94001");
        let unknown = map_carrier("CJPacket Ordinary", "CJPKL7");
        assert_eq!(unknown.company, "CJPacket Ordinary");
        assert_eq!(unknown.url, "https://t.17track.net/en#nums=CJPKL7");
    }
}
