//! The sandbox shop's GraphQL: answers an operation from the shop's data the way the Admin API
//! does, and prices it by Shopify's published cost rule. This is the sandbox's own reading of
//! shopify.dev, written apart from Dropdock's client:
//!
//! - "GraphQL Admin API rate limits" → "Cost calculation"
//!   (<https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits>): scalars and enums 0,
//!   objects 1, connections 2 plus `first` times their node, interfaces the most of their
//!   fragments, mutations 10; the requested cost is computed before the query runs, the actual
//!   cost counts what was returned.
//! - "Pagination" (Relay connections): `first`/`after`, `pageInfo { hasNextPage endCursor }`,
//!   `edges { cursor node }` and the `nodes` shortcut.
//!
//! The shop's data is JSON: an object carries `__typename` and every field the sandbox knows
//! (null where the value is null), a connection is `{"__connection": [nodes]}` whose nodes carry
//! an opaque `__cursor` that sorts in connection order, a plain list is an array. A selected
//! field the object lacks is Shopify's "Field 'x' doesn't exist on type 'T'" error. The query is
//! parsed with `graphql-parser`.

use std::cell::Cell;

use graphql_parser::query::{
    Definition, Document, Field, OperationDefinition, Selection, SelectionSet, Value as GqlValue,
};
use serde_json::{json, Map, Value};

/// A parsed operation: its kind and its root fields.
pub(crate) struct Operation<'a> {
    pub(crate) is_mutation: bool,
    document: Document<'a, &'a str>,
}

/// Reads `query`; errors with the parser's message.
pub(crate) fn parse(query: &str) -> Result<Operation<'_>, String> {
    let document = graphql_parser::parse_query::<&str>(query).map_err(|e| format!("syntax error: {e}"))?;
    let operations = document.definitions.iter().filter(|d| matches!(d, Definition::Operation(_))).count();
    if operations != 1 {
        return Err(format!("expected one operation, found {operations}"));
    }
    let is_mutation =
        document.definitions.iter().any(|d| matches!(d, Definition::Operation(OperationDefinition::Mutation(_))));
    Ok(Operation { is_mutation, document })
}

impl<'a> Operation<'a> {
    fn root_set(&self) -> &SelectionSet<'a, &'a str> {
        self.document
            .definitions
            .iter()
            .find_map(|d| match d {
                Definition::Operation(OperationDefinition::Query(q)) => Some(&q.selection_set),
                Definition::Operation(OperationDefinition::Mutation(m)) => Some(&m.selection_set),
                Definition::Operation(OperationDefinition::SelectionSet(s)) => Some(s),
                Definition::Operation(OperationDefinition::Subscription(s)) => Some(&s.selection_set),
                Definition::Fragment(_) => None,
            })
            .expect("parse checked there is one operation")
    }

    /// The operation's root fields (each answered on its own; its response key is its alias or name).
    pub(crate) fn root_fields(&self) -> Vec<&Field<'a, &'a str>> {
        self.root_set()
            .items
            .iter()
            .filter_map(|s| match s {
                Selection::Field(f) => Some(f),
                _ => None,
            })
            .collect()
    }

    /// The requested cost: what the selection could return at most, priced by the rule.
    pub(crate) fn requested_cost(&self, variables: &Value) -> Result<f64, String> {
        if self.is_mutation {
            return Ok(10.0);
        }
        self.priced(self.root_set(), variables, 1.0, 0)
    }

    /// Prices a selection set whose objects come `times` over (the product of the `first`s of the
    /// connections around it).
    fn priced(
        &self,
        set: &SelectionSet<'a, &'a str>,
        variables: &Value,
        times: f64,
        depth: u32,
    ) -> Result<f64, String> {
        if depth > 50 {
            return Err("the query nests too deep".into());
        }
        let mut sum = 0.0;
        let mut costliest_fragment: f64 = 0.0;
        for selection in &set.items {
            match selection {
                Selection::Field(field) if field.selection_set.items.is_empty() => {}
                Selection::Field(field) => match page_size(field, variables)? {
                    None => sum += times + self.priced(&field.selection_set, variables, times, depth + 1)?,
                    Some(n) => {
                        sum += 2.0 * times;
                        let each = times * n as f64;
                        let mut wrapped = false;
                        for child in fields_of(&field.selection_set) {
                            match child.name {
                                "pageInfo" => {
                                    wrapped = true;
                                    sum += times;
                                }
                                "nodes" => {
                                    wrapped = true;
                                    sum += each + self.priced(&child.selection_set, variables, each, depth + 1)?;
                                }
                                "edges" => {
                                    wrapped = true;
                                    for node in fields_of(&child.selection_set).filter(|f| f.name == "node") {
                                        sum += each + self.priced(&node.selection_set, variables, each, depth + 2)?;
                                    }
                                }
                                _ => {}
                            }
                        }
                        if !wrapped {
                            // A list sized by `first`: each element is an object.
                            sum += each + self.priced(&field.selection_set, variables, each, depth + 1)?;
                        }
                    }
                },
                Selection::InlineFragment(fragment) => {
                    costliest_fragment =
                        costliest_fragment.max(self.priced(&fragment.selection_set, variables, times, depth + 1)?)
                }
                Selection::FragmentSpread(spread) => {
                    let set = self.fragment(spread.fragment_name)?.1;
                    costliest_fragment = costliest_fragment.max(self.priced(set, variables, times, depth + 1)?)
                }
            }
        }
        Ok(sum + costliest_fragment)
    }

    fn fragment(&self, name: &str) -> Result<(&str, &SelectionSet<'a, &'a str>), String> {
        self.document
            .definitions
            .iter()
            .find_map(|d| match d {
                Definition::Fragment(f) if f.name == name => {
                    let graphql_parser::query::TypeCondition::On(on) = f.type_condition;
                    Some((on, &f.selection_set))
                }
                _ => None,
            })
            .ok_or_else(|| format!("Fragment {name} was used, but not defined"))
    }

    /// Answers `field` from `source` (the field's value in the shop's data). `spent` counts the
    /// actual cost: 1 per object returned, 2 per connection.
    pub(crate) fn answer(
        &self,
        field: &Field<'a, &'a str>,
        source: &Value,
        variables: &Value,
        spent: &Cell<f64>,
    ) -> Result<Value, String> {
        if field.selection_set.items.is_empty() {
            if source.is_object() {
                return Err(format!("Field '{}' of an object type must have a selection of subfields", field.name));
            }
            return Ok(source.clone());
        }
        match source {
            Value::Null => Ok(Value::Null),
            Value::Object(map) if map.contains_key("__connection") => {
                let nodes = map["__connection"].as_array().cloned().unwrap_or_default();
                self.connection(field, &nodes, variables, spent)
            }
            Value::Array(items) => {
                let n = page_size(field, variables)?.map_or(items.len(), |n| n as usize);
                items.iter().take(n).map(|item| self.object(&field.selection_set, item, variables, spent)).collect()
            }
            Value::Object(_) => self.object(&field.selection_set, source, variables, spent),
            _ => Err(format!("Selections can't be made on scalars (field '{}')", field.name)),
        }
    }

    fn connection(
        &self,
        field: &Field<'a, &'a str>,
        nodes: &[Value],
        variables: &Value,
        spent: &Cell<f64>,
    ) -> Result<Value, String> {
        let first = page_size(field, variables)?
            .ok_or_else(|| format!("you must provide one of first or last for the {} connection", field.name))?;
        if first > 250 {
            return Err(format!("The {} connection's first is over the maximum of 250", field.name));
        }
        let after = match argument(field, "after", variables) {
            Some(Value::String(c)) => Some(c),
            Some(Value::Null) | None => None,
            Some(_) => return Err("after must be a cursor string".into()),
        };
        if let Some(after) = &after {
            if !after.starts_with("sbx:") {
                return Err("Invalid cursor for current pagination sort.".into());
            }
        }
        let cursor = |node: &Value| node["__cursor"].as_str().unwrap_or_default().to_owned();
        let rest: Vec<&Value> = nodes.iter().filter(|n| after.as_ref().is_none_or(|a| cursor(n) > *a)).collect();
        let page: Vec<&Value> = rest.iter().take(first as usize).copied().collect();
        spent.set(spent.get() + 2.0);
        let mut out = Map::new();
        for child in fields_of(&field.selection_set) {
            let key = child.alias.unwrap_or(child.name).to_owned();
            let value = match child.name {
                "pageInfo" => {
                    let info = json!({
                        "__typename": "PageInfo",
                        "hasNextPage": rest.len() > page.len(),
                        "hasPreviousPage": after.is_some(),
                        "startCursor": page.first().map(|n| cursor(n)),
                        "endCursor": page.last().map(|n| cursor(n)),
                    });
                    self.object(&child.selection_set, &info, variables, spent)?
                }
                "nodes" => Value::Array(
                    page.iter()
                        .map(|n| self.object(&child.selection_set, n, variables, spent))
                        .collect::<Result<_, _>>()?,
                ),
                "edges" => {
                    let mut edges = Vec::new();
                    for n in &page {
                        let edge = json!({ "__typename": "Edge", "cursor": cursor(n), "node": n });
                        edges.push(self.object(&child.selection_set, &edge, variables, spent)?);
                    }
                    Value::Array(edges)
                }
                "__typename" => Value::from("Connection"),
                other => return Err(format!("Field '{other}' doesn't exist on a connection")),
            };
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }

    /// Answers a selection set on one object.
    fn object(
        &self,
        set: &SelectionSet<'a, &'a str>,
        source: &Value,
        variables: &Value,
        spent: &Cell<f64>,
    ) -> Result<Value, String> {
        let Value::Object(map) = source else { return Ok(source.clone()) };
        if let Some(raw) = map.get("__raw") {
            return Ok(raw.clone()); // served exactly as given (tests of malformed replies)
        }
        if map.contains_key("__typename") && map["__typename"] != "Edge" && map["__typename"] != "PageInfo" {
            spent.set(spent.get() + 1.0);
        }
        let type_name = map.get("__typename").and_then(Value::as_str).unwrap_or("Object").to_owned();
        let mut out = Map::new();
        self.fill(set, source, &type_name, variables, spent, &mut out, 0)?;
        Ok(Value::Object(out))
    }

    #[allow(clippy::too_many_arguments)]
    fn fill(
        &self,
        set: &SelectionSet<'a, &'a str>,
        source: &Value,
        type_name: &str,
        variables: &Value,
        spent: &Cell<f64>,
        out: &mut Map<String, Value>,
        depth: u32,
    ) -> Result<(), String> {
        if depth > 50 {
            return Err("fragments nest too deep".into());
        }
        for selection in &set.items {
            match selection {
                Selection::Field(field) => {
                    let key = field.alias.unwrap_or(field.name).to_owned();
                    let value = match source.get(field.name) {
                        Some(value) => self.answer(field, value, variables, spent)?,
                        None if field.name == "__typename" => Value::from(type_name),
                        None => return Err(format!("Field '{}' doesn't exist on type '{type_name}'", field.name)),
                    };
                    out.insert(key, value);
                }
                Selection::InlineFragment(fragment) => {
                    let applies = match &fragment.type_condition {
                        Some(graphql_parser::query::TypeCondition::On(on)) => *on == type_name,
                        None => true,
                    };
                    if applies {
                        self.fill(&fragment.selection_set, source, type_name, variables, spent, out, depth + 1)?;
                    }
                }
                Selection::FragmentSpread(spread) => {
                    let (on, set) = self.fragment(spread.fragment_name)?;
                    if on == type_name {
                        self.fill(set, source, type_name, variables, spent, out, depth + 1)?;
                    }
                }
            }
        }
        Ok(())
    }
}

fn fields_of<'s, 'a>(set: &'s SelectionSet<'a, &'a str>) -> impl Iterator<Item = &'s Field<'a, &'a str>> {
    set.items.iter().filter_map(|s| match s {
        Selection::Field(f) => Some(f),
        _ => None,
    })
}

/// An argument's value as JSON, variables substituted.
pub(crate) fn argument<'a>(field: &Field<'a, &'a str>, name: &str, variables: &Value) -> Option<Value> {
    let (_, value) = field.arguments.iter().find(|(n, _)| *n == name)?;
    Some(to_json(value, variables))
}

fn to_json<'a>(value: &GqlValue<'a, &'a str>, variables: &Value) -> Value {
    match value {
        GqlValue::Variable(name) => variables.get(*name).cloned().unwrap_or(Value::Null),
        GqlValue::Int(n) => n.as_i64().map(Value::from).unwrap_or(Value::Null),
        GqlValue::Float(f) => json!(f),
        GqlValue::String(s) => Value::from(s.clone()),
        GqlValue::Boolean(b) => Value::from(*b),
        GqlValue::Null => Value::Null,
        GqlValue::Enum(e) => Value::from(*e),
        GqlValue::List(items) => Value::Array(items.iter().map(|v| to_json(v, variables)).collect()),
        GqlValue::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| ((*k).to_owned(), to_json(v, variables))).collect())
        }
    }
}

/// `first` (or `last`) of a field, `None` when it has neither.
fn page_size<'a>(field: &Field<'a, &'a str>, variables: &Value) -> Result<Option<u64>, String> {
    let value = argument(field, "first", variables).or_else(|| argument(field, "last", variables));
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_u64().map(Some).ok_or_else(|| format!("{}: first must be a non-negative integer", field.name)),
    }
}

/// A connection of `nodes`, each given a cursor that sorts as they are ordered.
pub(crate) fn connection(nodes: Vec<Value>, cursor_of: impl Fn(&Value) -> String) -> Value {
    let nodes = nodes
        .into_iter()
        .map(|mut n| {
            let cursor = format!("sbx:{}", cursor_of(&n));
            n["__cursor"] = Value::from(cursor);
            n
        })
        .collect::<Vec<_>>();
    json!({ "__connection": nodes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_the_docs_example_at_82() {
        let op = parse(
            "{ products(first: 10) { edges { node { title variants(first: 5) { edges { node { price } } } } } } }",
        )
        .unwrap();
        assert_eq!(op.requested_cost(&json!({})).unwrap(), 82.0);
        let op = parse("mutation { fulfillmentCreate(fulfillment: {}) { fulfillment { id } } }").unwrap();
        assert_eq!(op.requested_cost(&json!({})).unwrap(), 10.0);
    }

    #[test]
    fn answers_connections_page_by_page_and_refuses_unknown_fields() {
        let items: Vec<Value> = (0..7).map(|i| json!({ "__typename": "LineItem", "id": i, "sku": null })).collect();
        let source = connection(items, |n| format!("{:05}", n["id"].as_u64().unwrap()));
        let op = parse("query Q($after: String) { lineItems(first: 3, after: $after) { pageInfo { hasNextPage endCursor } nodes { id sku } } }").unwrap();
        let field = op.root_fields()[0];
        let spent = Cell::new(0.0);
        let page = op.answer(field, &source, &json!({}), &spent).unwrap();
        assert_eq!(page["nodes"].as_array().unwrap().len(), 3);
        assert_eq!(page["pageInfo"]["hasNextPage"], true);
        assert_eq!(spent.get(), 2.0 + 3.0);
        let after = page["pageInfo"]["endCursor"].clone();
        let last = op.answer(field, &source, &json!({ "after": after }), &spent).unwrap();
        assert_eq!(last["nodes"][0]["id"], 3);
        let op = parse("{ lineItems(first: 3) { nodes { id variant { id } } } }").unwrap();
        let err = op.answer(op.root_fields()[0], &source, &json!({}), &spent).unwrap_err();
        assert_eq!(err, "Field 'variant' doesn't exist on type 'LineItem'");
    }
}
