//! The shipping method per destination country (Auto Fulfillment → Shipping method): the
//! supplier's lines tried in the merchant's order, and the default line of a country.

use rusqlite::params;

use crate::context::Ctx;
use crate::error::{CoreError, Result};

/// Sets the default logistics line for a destination country (ISO 3166-1 alpha-2); it is used
/// whenever the supplier offers it, else the cheapest line is. Same as
/// [`set_shipping_rule`] with one line.
pub fn set_shipping_default(ctx: &Ctx, country_code: &str, logistic_name: &str) -> Result<()> {
    set_shipping_rule(ctx, country_code, &[logistic_name.to_owned()])
}

/// Sets the default shipping method of a destination country with ordered fallbacks: the
/// first line the supplier offers is used. An empty list removes the rule.
/// Errors: an unknown country code, an empty line name, more than 5 lines.
pub fn set_shipping_rule(ctx: &Ctx, country_code: &str, lines: &[String]) -> Result<()> {
    let country = country_code.trim().to_ascii_uppercase();
    if !crate::countries::is_known_country(&country) {
        return Err(CoreError::InvalidInput(format!("'{country_code}' is not an ISO 3166-1 country code")));
    }
    if lines.iter().any(|l| l.trim().is_empty()) {
        return Err(CoreError::InvalidInput("the shipping line name is empty".into()));
    }
    if lines.len() > 5 {
        return Err(CoreError::InvalidInput("at most 5 shipping lines per country".into()));
    }
    ctx.db.write(|tx| {
        tx.execute("DELETE FROM shipping_rule WHERE country_code = ?1", [&country])?;
        for (position, line) in lines.iter().enumerate() {
            tx.execute(
                "INSERT INTO shipping_rule (country_code, position, logistic_name) VALUES (?1, ?2, ?3)",
                params![country, position as i64, line.trim()],
            )?;
        }
        Ok(())
    })
}

/// Every country's shipping rule, as `(country, lines in order)`, sorted by country.
pub fn shipping_rules(ctx: &Ctx) -> Result<Vec<(String, Vec<String>)>> {
    ctx.db.read(|c| {
        let mut rules: Vec<(String, Vec<String>)> = Vec::new();
        let mut stmt =
            c.prepare("SELECT country_code, logistic_name FROM shipping_rule ORDER BY country_code, position")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            let (country, line) = row?;
            match rules.last_mut() {
                Some((c, lines)) if *c == country => lines.push(line),
                _ => rules.push((country, vec![line])),
            }
        }
        Ok(rules)
    })
}
