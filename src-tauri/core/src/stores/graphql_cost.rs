//! The requested cost of a Shopify GraphQL Admin API operation, computed from its text.
//!
//! Source: shopify.dev "GraphQL Admin API rate limits" → "Cost calculation"
//! (<https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits>): a field returning a
//! scalar or an enum costs 0, an object 1, an interface or union the most of its possible
//! selections; a connection costs 2 plus `first` (or `last`) times the cost of one of its nodes,
//! its `pageInfo` (an object) once; a mutation costs 10. A single query may cost at most 1,000.
//! The docs' worked example, `products(first: 10) { edges { node { title variants(first: 5) {
//! edges { node { price } } } } } }`, costs 2 + 10 × (1 + 2 + 5 × 1) = 82.
//!
//! Without the schema, the text tells the kinds apart well enough for the rule: a field with a
//! selection set returns an object (1), one without returns a scalar or enum (0), a field with a
//! `first`/`last` argument is a connection (or a list sized by it), and inline fragments on an
//! interface count as the most expensive of them. The query is parsed with `graphql-parser`
//! (not by hand): fragments, aliases, arguments and comments all read as GraphQL defines them.

use graphql_parser::query::{Definition, Field, OperationDefinition, Selection, SelectionSet, Value as GqlValue};
use serde_json::Value;

/// What a mutation costs, whatever it selects (the "Cost calculation" table).
pub const MUTATION_COST: u32 = 10;

/// The most a single query may cost: over it Shopify answers `MAX_COST_EXCEEDED`.
pub const MAX_QUERY_COST: u32 = 1000;

/// The requested cost of `query` (one operation, with its fragments) when sent with `variables`.
/// Errors: the text is not GraphQL, a connection's `first`/`last` is neither a number nor a
/// variable holding one, or a fragment spread names no fragment of the document.
pub fn requested_cost(query: &str, variables: &Value) -> Result<u32, String> {
    let document = graphql_parser::parse_query::<&str>(query).map_err(|e| format!("not a GraphQL document: {e}"))?;
    let fragments: Vec<(&str, &SelectionSet<'_, &str>)> = document
        .definitions
        .iter()
        .filter_map(|d| match d {
            Definition::Fragment(f) => Some((f.name, &f.selection_set)),
            Definition::Operation(_) => None,
        })
        .collect();
    let reader = Reader { variables, fragments: &fragments };
    let mut total: u64 = 0;
    for definition in &document.definitions {
        total += match definition {
            Definition::Operation(OperationDefinition::Mutation(_)) => u64::from(MUTATION_COST),
            Definition::Operation(OperationDefinition::Query(q)) => reader.selection_cost(&q.selection_set, 0)?,
            Definition::Operation(OperationDefinition::SelectionSet(s)) => reader.selection_cost(s, 0)?,
            Definition::Operation(OperationDefinition::Subscription(s)) => {
                reader.selection_cost(&s.selection_set, 0)?
            }
            Definition::Fragment(_) => 0,
        };
    }
    Ok(u32::try_from(total).unwrap_or(u32::MAX))
}

/// The largest value of the `variable` (a connection's `first`) for which `query` costs at most
/// `cap`, up to Shopify's page maximum of 250; 0 when even one node is over the cap. The cost is
/// linear in a connection's size, so two evaluations give it.
pub fn largest_first_within(query: &str, variables: &Value, variable: &str, cap: u32) -> Result<u32, String> {
    let with = |n: u32| {
        let mut vars = variables.clone();
        vars[variable] = Value::from(n);
        requested_cost(query, &vars)
    };
    let (empty, one) = (with(0)?, with(1)?);
    let per_node = one.saturating_sub(empty).max(1);
    Ok((cap.saturating_sub(empty) / per_node).min(250))
}

struct Reader<'r, 'q> {
    variables: &'r Value,
    fragments: &'r [(&'q str, &'r SelectionSet<'q, &'q str>)],
}

/// Fragments nested deeper than this are a loop (`...A` inside `A`), not a query.
const MAX_DEPTH: usize = 64;

impl<'q> Reader<'_, 'q> {
    /// The cost of the fields of a selection set: the sum of its fields' costs; inline fragments
    /// and fragment spreads on interfaces count as the most expensive one.
    fn selection_cost(&self, set: &SelectionSet<'q, &'q str>, depth: usize) -> Result<u64, String> {
        if depth > MAX_DEPTH {
            return Err("fragments nest too deep (a fragment includes itself?)".into());
        }
        let mut fields = 0;
        let mut most_expensive_fragment = 0;
        for selection in &set.items {
            match selection {
                Selection::Field(field) => fields += self.field_cost(field, depth)?,
                Selection::InlineFragment(fragment) => {
                    most_expensive_fragment =
                        most_expensive_fragment.max(self.selection_cost(&fragment.selection_set, depth + 1)?)
                }
                Selection::FragmentSpread(spread) => {
                    let set = self
                        .fragments
                        .iter()
                        .find(|(name, _)| *name == spread.fragment_name)
                        .map(|(_, set)| *set)
                        .ok_or_else(|| format!("fragment {} is not defined", spread.fragment_name))?;
                    most_expensive_fragment = most_expensive_fragment.max(self.selection_cost(set, depth + 1)?)
                }
            }
        }
        Ok(fields + most_expensive_fragment)
    }

    fn field_cost(&self, field: &Field<'q, &'q str>, depth: usize) -> Result<u64, String> {
        if field.selection_set.items.is_empty() {
            return Ok(0); // a scalar or an enum
        }
        let Some(size) = self.page_size(field)? else {
            return Ok(1 + self.selection_cost(&field.selection_set, depth + 1)?);
            // an object
        };
        // A connection: 2, its pageInfo once, and `size` nodes (under `edges { node }` or
        // `nodes`). A list sized by `first` without those wrappers is `size` objects.
        let mut page_info = 0;
        let mut node = None;
        for selection in &field.selection_set.items {
            let Selection::Field(child) = selection else { continue };
            match child.name {
                "pageInfo" => page_info = 1,
                "nodes" => {
                    node = Some(node.unwrap_or(0).max(1 + self.selection_cost(&child.selection_set, depth + 1)?))
                }
                "edges" => {
                    let inner = child.selection_set.items.iter().filter_map(|s| match s {
                        Selection::Field(f) if f.name == "node" => Some(f),
                        _ => None,
                    });
                    for n in inner {
                        node = Some(node.unwrap_or(0).max(1 + self.selection_cost(&n.selection_set, depth + 2)?));
                    }
                }
                _ => {}
            }
        }
        let node = match node {
            Some(cost) => cost,
            None if page_info == 0 => 1 + self.selection_cost(&field.selection_set, depth + 1)?,
            None => 0,
        };
        Ok(2 + page_info + size * node)
    }

    /// The `first` or `last` argument of a field: `None` when it has neither.
    fn page_size(&self, field: &Field<'q, &'q str>) -> Result<Option<u64>, String> {
        let Some((_, value)) = field.arguments.iter().find(|(name, _)| *name == "first" || *name == "last") else {
            return Ok(None);
        };
        let n = match value {
            GqlValue::Int(n) => n.as_i64(),
            GqlValue::Variable(name) => self.variables.get(*name).and_then(Value::as_i64),
            _ => None,
        };
        n.filter(|n| *n >= 0)
            .map(|n| Some(n as u64))
            .ok_or_else(|| format!("{}'s page size is not a number", field.name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_docs_worked_example_costs_82() {
        let query =
            "{ products(first: 10) { edges { node { title variants(first: 5) { edges { node { price } } } } } } }";
        assert_eq!(requested_cost(query, &json!({})).unwrap(), 82);
    }

    #[test]
    fn objects_nested_in_a_node_count_and_page_info_counts_once() {
        // shop 1; orders 2 + pageInfo 1 + 3 × (order 1 + totalPriceSet 1 + shopMoney 1).
        let query = "query Q($n: Int!) { shop { name } orders(first: $n) { pageInfo { hasNextPage } nodes { id totalPriceSet { shopMoney { amount } } } } }";
        assert_eq!(requested_cost(query, &json!({ "n": 3 })).unwrap(), 1 + 2 + 1 + 3 * 3);
        assert_eq!(largest_first_within(query, &json!({}), "n", 1000).unwrap(), 250, "capped at 250");
        assert_eq!(largest_first_within(query, &json!({}), "n", 34).unwrap(), 10);
    }

    #[test]
    fn mutations_cost_10_and_fragments_count_as_their_costliest() {
        assert_eq!(
            requested_cost("mutation M { fulfillmentCreate(fulfillment: {}) { fulfillment { id } } }", &json!({}))
                .unwrap(),
            10
        );
        let query = "{ node(id: \"x\") { ... on Order { customer { id } shippingAddress { id } } ...P } } fragment P on Product { title }";
        assert_eq!(requested_cost(query, &json!({})).unwrap(), 1 + 2);
    }

    #[test]
    fn what_cannot_be_costed_is_an_error() {
        assert!(requested_cost("{ orders(first: $missing) { nodes { id } } }", &json!({})).is_err());
        assert!(requested_cost("{ orders(first: 1) { nodes { id }", &json!({})).is_err());
        assert!(requested_cost("{ a { ...F } } fragment F on A { b { ...F } }", &json!({})).is_err());
    }
}
