//! The Credit Card tab of Auto Fulfillment: checking a card the merchant typed, and what is kept
//! of it once the supplier's payment endpoint has tokenized it.
//!
//! The full number and the CVC live only in a [`CardInput`], which wipes them from memory when
//! dropped (`zeroize`) and never prints them (its `Debug` shows the last 4 digits). They are sent
//! once, to the supplier's tokenization endpoint, and never reach SQLite, the logs, events or
//! command results: the database keeps a [`SavedCard`] (brand, last 4 digits, expiry) and the
//! OS keychain keeps the token.
//!
//! The checks are written here rather than taken from a crate: Rust has no maintained card
//! validation crate, and the rules are short and fixed by the card networks: the Luhn check
//! digit (ISO/IEC 7812-1), the issuer prefixes and lengths each network publishes, the CVC length
//! (4 digits for American Express, 3 for the others), and "valid through" meaning the last day
//! of the expiry month. The UI checks the same rules with Braintree's `card-validator` before it
//! sends anything; the core checks again because the CLI and any other caller come through here.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::{CoreError, Result};

/// A card network, as far as the number's prefix tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CardBrand {
    Visa,
    Mastercard,
    Amex,
    Discover,
    Jcb,
    DinersClub,
    UnionPay,
}

impl CardBrand {
    /// The name shown to the merchant, e.g. `American Express`.
    pub fn display_name(self) -> &'static str {
        match self {
            CardBrand::Visa => "Visa",
            CardBrand::Mastercard => "Mastercard",
            CardBrand::Amex => "American Express",
            CardBrand::Discover => "Discover",
            CardBrand::Jcb => "JCB",
            CardBrand::DinersClub => "Diners Club",
            CardBrand::UnionPay => "UnionPay",
        }
    }

    /// The stored name (`amex`, `visa`...).
    pub fn as_str(self) -> &'static str {
        match self {
            CardBrand::Visa => "visa",
            CardBrand::Mastercard => "mastercard",
            CardBrand::Amex => "amex",
            CardBrand::Discover => "discover",
            CardBrand::Jcb => "jcb",
            CardBrand::DinersClub => "diners_club",
            CardBrand::UnionPay => "union_pay",
        }
    }

    /// Parses [`Self::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Visa, Self::Mastercard, Self::Amex, Self::Discover, Self::Jcb, Self::DinersClub, Self::UnionPay]
            .into_iter()
            .find(|b| b.as_str() == s)
    }

    /// The lengths of a valid number.
    fn lengths(self) -> &'static [usize] {
        match self {
            CardBrand::Visa => &[13, 16, 19],
            CardBrand::Mastercard => &[16],
            CardBrand::Amex => &[15],
            CardBrand::Discover | CardBrand::Jcb | CardBrand::UnionPay => &[16, 17, 18, 19],
            CardBrand::DinersClub => &[14, 15, 16, 17, 18, 19],
        }
    }

    /// The CVC's length: 4 digits on American Express (the "CID" on the front), else 3.
    pub fn cvc_length(self) -> usize {
        if self == CardBrand::Amex {
            4
        } else {
            3
        }
    }

    /// The network of a number (digits only) by its issuer prefix; `None` when unknown.
    pub fn of(digits: &str) -> Option<Self> {
        let prefix = |n: usize| digits.get(..n).and_then(|p| p.parse::<u32>().ok());
        let within = |n: usize, lo: u32, hi: u32| prefix(n).is_some_and(|p| (lo..=hi).contains(&p));
        if digits.starts_with('4') {
            Some(CardBrand::Visa)
        } else if within(2, 51, 55) || within(4, 2221, 2720) {
            Some(CardBrand::Mastercard)
        } else if within(2, 34, 34) || within(2, 37, 37) {
            Some(CardBrand::Amex)
        } else if within(4, 6011, 6011) || within(3, 644, 649) || within(2, 65, 65) {
            Some(CardBrand::Discover)
        } else if within(4, 3528, 3589) {
            Some(CardBrand::Jcb)
        } else if within(3, 300, 305) || within(2, 36, 36) || within(2, 38, 39) {
            Some(CardBrand::DinersClub)
        } else if within(2, 62, 62) {
            Some(CardBrand::UnionPay)
        } else {
            None
        }
    }
}

/// True when `digits` (ASCII digits only) passes the Luhn check (ISO/IEC 7812-1).
pub fn luhn_valid(digits: &str) -> bool {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// A card as typed on the Credit Card tab. The number and the CVC are wiped from memory when
/// this is dropped, and `Debug` never shows them.
#[derive(Clone, Deserialize, TS, Zeroize, ZeroizeOnDrop)]
#[ts(export)]
pub struct CardInput {
    /// As typed: spaces and dashes are allowed between digits.
    pub number: String,
    pub name_on_card: String,
    pub exp_month: u32,
    /// Four digits (two are read as 20xx).
    pub exp_year: u32,
    pub cvc: String,
    /// The billing country, ISO 3166-1 alpha-2.
    pub country_code: String,
}

impl std::fmt::Debug for CardInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let digits: String = self.number.chars().filter(char::is_ascii_digit).collect();
        let last4 = digits.get(digits.len().saturating_sub(4)..).unwrap_or("");
        f.debug_struct("CardInput")
            .field("number", &format_args!("•••• {last4}"))
            .field("exp", &format_args!("{:02}/{}", self.exp_month, self.exp_year))
            .field("cvc", &"•••")
            .finish_non_exhaustive()
    }
}

/// A card that passed every check, ready to be tokenized. Wiped from memory when dropped.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct CheckedCard {
    /// Digits only.
    pub(crate) number: String,
    pub(crate) cvc: String,
    pub(crate) name_on_card: String,
    pub(crate) country_code: String,
    #[zeroize(skip)]
    pub brand: CardBrand,
    pub exp_month: u32,
    pub exp_year: u32,
}

impl CheckedCard {
    /// The last 4 digits of the number.
    pub fn last4(&self) -> &str {
        &self.number[self.number.len() - 4..]
    }
}

impl CardInput {
    /// Checks the card on `today` (the merchant's date): the number's digits, its network, its
    /// length for that network and its Luhn check digit; the expiry (a month not yet over, at most
    /// 20 years ahead); the CVC's length for the network; a name; a known country.
    /// Errors: [`CoreError::InvalidInput`] naming the field and what is wrong with it.
    pub fn check(&self, today: NaiveDate) -> Result<CheckedCard> {
        let invalid = |m: &str| Err(CoreError::InvalidInput(m.to_owned()));
        let number: String = self.number.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            return invalid("card number: use digits only");
        }
        let Some(brand) = CardBrand::of(&number) else {
            return invalid(
                "card number: not a Visa, Mastercard, American Express, Discover, JCB, Diners Club or UnionPay card",
            );
        };
        if !brand.lengths().contains(&number.len()) {
            return Err(CoreError::InvalidInput(format!(
                "card number: a {} card number has {} digits, this one has {}",
                brand.display_name(),
                brand.lengths().iter().map(|l| l.to_string()).collect::<Vec<_>>().join(" or "),
                number.len()
            )));
        }
        if !luhn_valid(&number) {
            return invalid("card number: the number is mistyped (its check digit does not match)");
        }
        if !(1..=12).contains(&self.exp_month) {
            return invalid("expiry: the month is 01 to 12");
        }
        let exp_year = if self.exp_year < 100 { 2000 + self.exp_year } else { self.exp_year };
        if (exp_year, self.exp_month) < (today.year() as u32, today.month()) {
            return invalid("expiry: this card has expired");
        }
        if exp_year > today.year() as u32 + 20 {
            return invalid("expiry: the year is too far ahead");
        }
        let cvc = self.cvc.trim();
        if cvc.len() != brand.cvc_length() || !cvc.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CoreError::InvalidInput(format!(
                "CVC: {} cards have a {}-digit CVC",
                brand.display_name(),
                brand.cvc_length()
            )));
        }
        let name = self.name_on_card.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return invalid("name on card: type the name as printed on the card");
        }
        let country = self.country_code.trim().to_ascii_uppercase();
        if !crate::countries::is_known_country(&country) {
            return invalid("country: choose the card's billing country");
        }
        Ok(CheckedCard {
            number,
            cvc: cvc.to_owned(),
            name_on_card: name.to_owned(),
            country_code: country,
            brand,
            exp_month: self.exp_month,
            exp_year,
        })
    }
}

/// What Dropdock keeps of a card on file at one supplier (table `supplier_card`); the token is
/// in the OS keychain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SavedCard {
    pub supplier_name: String,
    pub brand: CardBrand,
    pub last4: String,
    pub exp_month: u32,
    pub exp_year: u32,
    /// True once the expiry month is over: auto mode will not use it.
    pub expired: bool,
}

impl SavedCard {
    /// The brand as shown, e.g. `Visa`.
    pub fn brand_name(&self) -> &'static str {
        self.brand.display_name()
    }
}

/// True when a card valid through `exp_month`/`exp_year` can no longer be used on `today`.
pub fn is_expired(exp_month: u32, exp_year: u32, today: NaiveDate) -> bool {
    (exp_year, exp_month) < (today.year() as u32, today.month())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(number: &str, month: u32, year: u32, cvc: &str) -> CardInput {
        CardInput {
            number: number.into(),
            name_on_card: "Ada Lovelace".into(),
            exp_month: month,
            exp_year: year,
            cvc: cvc.into(),
            country_code: "us".into(),
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    #[test]
    fn luhn_accepts_network_test_numbers_and_rejects_one_digit_off() {
        for good in ["4242424242424242", "5555555555554444", "378282246310005", "6011111111111117", "3566002020360505"]
        {
            assert!(luhn_valid(good), "{good}");
        }
        assert!(!luhn_valid("4242424242424241"));
        assert!(!luhn_valid("4242 4242"));
        assert!(!luhn_valid(""));
    }

    #[test]
    fn brands_come_from_issuer_prefixes() {
        assert_eq!(CardBrand::of("4242424242424242"), Some(CardBrand::Visa));
        assert_eq!(CardBrand::of("2223003122003222"), Some(CardBrand::Mastercard));
        assert_eq!(CardBrand::of("5105105105105100"), Some(CardBrand::Mastercard));
        assert_eq!(CardBrand::of("371449635398431"), Some(CardBrand::Amex));
        assert_eq!(CardBrand::of("6011000990139424"), Some(CardBrand::Discover));
        assert_eq!(CardBrand::of("3530111333300000"), Some(CardBrand::Jcb));
        assert_eq!(CardBrand::of("36227206271667"), Some(CardBrand::DinersClub));
        assert_eq!(CardBrand::of("6200000000000005"), Some(CardBrand::UnionPay));
        assert_eq!(CardBrand::of("9999999999999995"), None);
    }

    #[test]
    fn a_good_card_passes_with_spaces_and_a_two_digit_year() {
        let checked = card("4242 4242-4242 4242", 12, 27, "123").check(today()).unwrap();
        assert_eq!(checked.brand, CardBrand::Visa);
        assert_eq!(checked.last4(), "4242");
        assert_eq!((checked.exp_month, checked.exp_year), (12, 2027));
        assert_eq!(checked.country_code, "US");
        // This month is still good: valid through its last day.
        assert!(card("4242424242424242", 11, 2026, "123").check(today()).is_ok());
    }

    #[test]
    fn each_mistake_names_its_field() {
        let error = |c: CardInput| c.check(today()).err().unwrap().to_string();
        assert!(error(card("4242424242424241", 12, 2027, "123")).contains("check digit"));
        assert!(error(card("4242abcd42424242", 12, 2027, "123")).starts_with("card number"));
        assert!(error(card("424242424242424", 12, 2027, "123")).contains("13 or 16 or 19 digits"));
        assert!(error(card("4242424242424242", 10, 2026, "123")).contains("expired"));
        assert!(error(card("4242424242424242", 13, 2027, "123")).starts_with("expiry"));
        assert_eq!(error(card("378282246310005", 12, 2027, "123")), "CVC: American Express cards have a 4-digit CVC");
        assert_eq!(error(card("4242424242424242", 12, 2027, "1234")), "CVC: Visa cards have a 3-digit CVC");
        assert!(card("378282246310005", 12, 2027, "1234").check(today()).is_ok());
        let mut no_name = card("4242424242424242", 12, 2027, "123");
        no_name.name_on_card = "  ".into();
        assert!(error(no_name).starts_with("name on card"));
        let mut no_country = card("4242424242424242", 12, 2027, "123");
        no_country.country_code = "XX".into();
        assert!(error(no_country).starts_with("country"));
    }

    #[test]
    fn debug_never_shows_the_number_or_the_cvc() {
        let shown = format!("{:?}", card("4242424242424242", 12, 2027, "987"));
        assert!(shown.contains("•••• 4242"), "{shown}");
        assert!(!shown.contains("424242424242") && !shown.contains("987"), "{shown}");
    }

    #[test]
    fn expiry_runs_to_the_end_of_the_month() {
        assert!(!is_expired(11, 2026, today()));
        assert!(is_expired(10, 2026, today()));
        assert!(is_expired(12, 2025, today()));
    }
}
