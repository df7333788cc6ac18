//! Reading a page of orders one order at a time, so that one unreadable order fails alone.
//!
//! A store's page is JSON, but a hostile or broken store can put in it what a JSON parser refuses:
//! nesting deeper than its limit, a lone UTF-16 surrogate (`"\ud800"`), a number past `f64`
//! (`1e309`). Parsing the whole page as one value would lose every good order beside such a one,
//! and could not say which order it was. So a page is first split into its orders as raw text
//! (`serde_json`'s `RawValue`: brackets and strings are matched, nothing inside is interpreted,
//! no depth limit), and each order is then read on its own, and only in the fields Dropdock uses:
//! an unused field (WooCommerce `meta_data`, say) is skipped unread and cannot fail its order.
//! This is `serde_json`, not a parser of our own.

use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// The elements of the JSON array `body`, each as raw text. Errors when `body` is not an array
/// (the page itself is unreadable: a cut reply, an HTML error page).
pub fn split_array(body: &str) -> Result<Vec<Box<RawValue>>, String> {
    serde_json::from_str::<Vec<Box<RawValue>>>(body).map_err(|e| format!("the page is not a JSON list ({e})"))
}

/// Which fields of an order to read: plain fields, and list fields whose elements are objects
/// read with their own [`Fields`].
pub struct Fields {
    pub keys: &'static [&'static str],
    pub lists: &'static [(&'static str, Fields)],
}

/// The object `raw` with only `fields` read, each on its own; a field that cannot be read is an
/// error naming it. Fields not listed are never parsed. Errors when `raw` is not an object.
pub fn pick(raw: &RawValue, fields: &Fields) -> Result<Value, String> {
    let parts = serde_json::from_str::<std::collections::HashMap<String, Box<RawValue>>>(raw.get())
        .map_err(|e| format!("it is not a JSON object ({e})"))?;
    let mut object = Map::new();
    for key in fields.keys {
        if let Some(part) = parts.get(*key) {
            let value =
                serde_json::from_str::<Value>(part.get()).map_err(|e| format!("its {key} cannot be read ({e})"))?;
            object.insert((*key).to_owned(), value);
        }
    }
    for (key, inner) in fields.lists {
        if let Some(part) = parts.get(*key) {
            let items = serde_json::from_str::<Vec<Box<RawValue>>>(part.get())
                .map_err(|e| format!("its {key} is not a list ({e})"))?;
            let mut read = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                read.push(pick(item, inner).map_err(|e| format!("{key} {}: {e}", i + 1))?);
            }
            object.insert((*key).to_owned(), Value::Array(read));
        }
    }
    Ok(Value::Object(object))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: Fields = Fields { keys: &["id", "name"], lists: &[("lines", Fields { keys: &["qty"], lists: &[] })] };

    #[test]
    fn unused_fields_are_never_read_and_a_bad_used_field_is_named() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let page = format!(
            r#"[{{"id":1,"name":"ok","meta":{deep},"lines":[{{"qty":2,"meta":1e309}}]}},{{"id":2,"name":"bad\ud800"}},{{"id":3,"name":1e309}},7]"#
        );
        let orders = split_array(&page).unwrap();
        assert_eq!(orders.len(), 4, "split without reading inside");
        let first = pick(&orders[0], &FIELDS).unwrap();
        assert_eq!(first, serde_json::json!({ "id": 1, "name": "ok", "lines": [{ "qty": 2 }] }));
        assert!(pick(&orders[1], &FIELDS).unwrap_err().starts_with("its name cannot be read"));
        assert!(pick(&orders[2], &FIELDS).unwrap_err().starts_with("its name cannot be read"));
        assert!(pick(&orders[3], &FIELDS).unwrap_err().starts_with("it is not a JSON object"));
        assert!(split_array("<html>busy</html>").is_err());
    }
}
