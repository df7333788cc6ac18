//! The orders table's queries against a brute-force filter over the same data, and full-text
//! search as a merchant types it.

use std::sync::Arc;

use chrono::{Duration, Utc};
use dropdock_core::app::{http_client, Dropdock};
use dropdock_core::db::Db;
use dropdock_core::fulfillment::HoldKind;
use dropdock_core::model::OrderStatus;
use dropdock_core::orders::search::{OrderPage, OrderQuery};
use dropdock_core::orders::views::OrderRow;
use dropdock_core::secrets::MemorySecrets;
use dropdock_core::stores::shopify::parse_order;
use dropdock_core::stores::sync::upsert_order;
use dropdock_sandbox::{seed, shopify::order_node, SandboxConfig};
use rusqlite::params;

struct Fixture {
    dd: Dropdock,
    _dir: tempfile::TempDir,
    /// (order id, store id, supplier ids of its SKUs, tracking numbers)
    facts: Vec<(i64, i64, Vec<i64>, Vec<String>)>,
}

/// 600 demo orders split over two stores, both demo suppliers mapped, and a shipment with a
/// tracking number on every tenth order.
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let dd = Dropdock::new(
        Db::open_dir(dir.path()).unwrap(),
        Arc::new(MemorySecrets::default()),
        http_client(std::time::Duration::from_secs(1)),
    );
    let state = seed::generate(&SandboxConfig { orders: 600, ..SandboxConfig::default() });
    let facts = dd
        .db
        .write(|tx| {
            let now = Utc::now();
            for (id, name) in [(1, "Shop A"), (2, "Shop B")] {
                tx.execute("INSERT INTO store (id, name, platform, base_url, created_at) VALUES (?1, ?2, 'shopify', 'https://x', ?3)", params![id, name, now])?;
            }
            for (i, supplier) in state.suppliers.iter().enumerate() {
                let supplier_id = i as i64 + 1;
                tx.execute("INSERT INTO supplier (id, name, kind, base_url, created_at) VALUES (?1, ?2, 'cj', 'https://x', ?3)", params![supplier_id, supplier.name, now])?;
                for v in &supplier.catalog {
                    tx.execute("INSERT INTO product_mapping (sku, supplier_id, variant_id, cost_minor, currency) VALUES (?1, ?2, ?3, ?4, 'USD')", params![v.sku, supplier_id, v.vid, v.cost_minor])?;
                }
            }
            let mut facts = Vec::new();
            for (i, shop_order) in state.shop.orders.iter().enumerate() {
                let store_id = 1 + (i % 2) as i64;
                let order = parse_order(&order_node(shop_order)).expect("demo orders parse");
                let (order_id, _) = upsert_order(tx, store_id, &order, now)?;
                let mut suppliers: Vec<i64> = order
                    .line_items
                    .iter()
                    .filter_map(|l| state.suppliers.iter().position(|s| s.catalog.iter().any(|v| Some(&v.sku) == l.sku.as_ref())))
                    .map(|p| p as i64 + 1)
                    .collect();
                suppliers.sort();
                suppliers.dedup();
                let mut tracking = Vec::new();
                if i % 10 == 0 {
                    let number = format!("YT{:016}", 4_000_000_000_000_000u64 + i as u64);
                    tx.execute(
                        "INSERT INTO supplier_order (order_id, supplier_id, idempotency_key, state, created_at, updated_at) VALUES (?1, 1, ?2, 'shipped', ?3, ?3)",
                        params![order_id, format!("K{order_id}"), now],
                    )?;
                    tx.execute(
                        "INSERT INTO shipment (supplier_order_id, tracking_number, carrier, tracking_company, tracking_url, detected_at) VALUES (?1, ?2, 'YunExpress', 'YunExpress', 'https://x', ?3)",
                        params![tx.last_insert_rowid(), number, now],
                    )?;
                    dropdock_core::stores::sync::refresh_order_status(tx, order_id)?;
                    dropdock_core::orders::search::reindex_order(tx, order_id)?;
                    tracking.push(number);
                }
                facts.push((order_id, store_id, suppliers, tracking));
            }
            Ok(facts)
        })
        .unwrap();
    Fixture { dd, _dir: dir, facts }
}

/// Every page of a query, following the cursors.
fn all_pages(dd: &Dropdock, mut query: OrderQuery) -> Vec<OrderRow> {
    let mut rows = Vec::new();
    loop {
        let OrderPage { rows: page, next, .. } = dd.query_orders(&query).unwrap();
        assert!(page.len() <= query.limit.unwrap_or(50) as usize);
        rows.extend(page);
        match next {
            Some(cursor) => query.after = Some(cursor),
            None => return rows,
        }
    }
}

#[test]
fn filters_combine_like_a_brute_force_filter() {
    let f = fixture();
    let everything = all_pages(&f.dd, OrderQuery { limit: Some(500), ..OrderQuery::default() });
    assert_eq!(everything.len(), 600);
    assert!(
        everything.windows(2).all(|w| (w[0].created_at, w[0].id) > (w[1].created_at, w[1].id)),
        "newest first, no duplicates"
    );
    let fact = |id: i64| f.facts.iter().find(|x| x.0 == id).unwrap();
    let now = Utc::now();
    // The merchant holds every ninth order waiting to be ordered.
    let held: Vec<i64> =
        everything.iter().filter(|r| r.status == OrderStatus::ToOrder).step_by(9).map(|r| r.id).collect();
    assert_eq!(f.dd.hold_orders(&held).unwrap().done.len(), held.len());
    let everything = all_pages(&f.dd, OrderQuery { limit: Some(500), ..OrderQuery::default() });
    let paid = |r: &OrderRow| matches!(r.financial_status.as_str(), "PAID" | "PARTIALLY_REFUNDED");
    let late_since = now - Duration::days(10);
    let queries = [
        OrderQuery { status: Some(OrderStatus::ToOrder), ..OrderQuery::default() },
        OrderQuery { store_id: Some(2), country_code: Some("us".into()), ..OrderQuery::default() },
        OrderQuery { supplier_id: Some(2), status: Some(OrderStatus::AwaitingPayment), ..OrderQuery::default() },
        OrderQuery {
            created_from: Some(now - Duration::days(20)),
            created_to: Some(now - Duration::days(5)),
            store_id: Some(1),
            ..OrderQuery::default()
        },
        OrderQuery {
            country_code: Some("DE".into()),
            supplier_id: Some(1),
            created_from: Some(now - Duration::days(40)),
            ..OrderQuery::default()
        },
        OrderQuery { status: Some(OrderStatus::Shipped), ..OrderQuery::default() },
        OrderQuery { hold_kind: Some(HoldKind::Merchant), store_id: Some(1), ..OrderQuery::default() },
        OrderQuery {
            hold_kind: Some(HoldKind::PaymentPending),
            country_code: Some("US".into()),
            ..OrderQuery::default()
        },
        OrderQuery { late_since: Some(late_since), supplier_id: Some(2), ..OrderQuery::default() },
        OrderQuery { late_since: Some(late_since), hold_kind: Some(HoldKind::Merchant), ..OrderQuery::default() },
    ];
    for (n, query) in queries.into_iter().enumerate() {
        for limit in [7, 50] {
            let got: Vec<i64> =
                all_pages(&f.dd, OrderQuery { limit: Some(limit), ..query.clone() }).iter().map(|r| r.id).collect();
            let expected: Vec<i64> = everything
                .iter()
                .filter(|r| query.store_id.is_none_or(|s| fact(r.id).1 == s))
                .filter(|r| query.status.is_none_or(|s| r.status == s))
                .filter(|r| query.created_from.is_none_or(|t| r.created_at >= t))
                .filter(|r| query.created_to.is_none_or(|t| r.created_at < t))
                .filter(|r| {
                    query
                        .country_code
                        .as_ref()
                        .is_none_or(|c| r.country_code.as_deref() == Some(c.to_uppercase().as_str()))
                })
                .filter(|r| query.supplier_id.is_none_or(|s| fact(r.id).2.contains(&s)))
                .filter(|r| match query.hold_kind {
                    None => true,
                    Some(HoldKind::Merchant) => held.contains(&r.id),
                    Some(HoldKind::PaymentPending) => {
                        !paid(r) && r.status == OrderStatus::AwaitingPayment && !held.contains(&r.id)
                    }
                    Some(other) => panic!("no brute force for {other:?}"),
                })
                .filter(|r| {
                    query.late_since.is_none_or(|t| {
                        matches!(r.status, OrderStatus::ToOrder | OrderStatus::Processing) && r.created_at < t
                    })
                })
                .map(|r| r.id)
                .collect();
            assert!(!expected.is_empty(), "query {n} selects something");
            assert_eq!(got, expected, "query {n}, pages of {limit}");
        }
    }
}

#[test]
fn search_finds_by_tracking_number_sku_and_unaccented_name() {
    let f = fixture();
    let search = |text: &str| {
        all_pages(&f.dd, OrderQuery { search: Some(text.into()), limit: Some(500), ..OrderQuery::default() })
    };
    // A tracking number.
    let (order_id, _, _, tracking) = f.facts.iter().find(|x| !x.3.is_empty()).unwrap();
    assert_eq!(search(&tracking[0]).iter().map(|r| r.id).collect::<Vec<_>>(), vec![*order_id]);
    // An SKU, typed as printed: every hit has that SKU.
    let hits = search("DD-YOGA-MAT");
    assert!(!hits.is_empty());
    for hit in &hits {
        let detail = f.dd.order_detail(hit.id).unwrap();
        assert!(detail.line_items.iter().any(|l| l.sku.as_deref() == Some("DD-YOGA-MAT")), "{}", hit.name);
    }
    // An accented name typed without accents.
    let accented =
        f.dd.query_orders(&OrderQuery { limit: Some(500), ..OrderQuery::default() })
            .unwrap()
            .rows
            .into_iter()
            .find(|r| r.customer_name.as_deref().is_some_and(|n| n.contains("Núñez")))
            .unwrap();
    assert!(search("nunez").iter().any(|r| r.id == accented.id));
    assert!(search("nunez").iter().all(|r| r.customer_name.as_deref().unwrap_or("").contains("Núñez")));
    // The order number, with or without '#'.
    assert_eq!(search("#1005").first().map(|r| r.name.as_str()), Some("#1005"));
    // A word every order matches pages through all of them, each once.
    let all = search("example.com");
    let unique: std::collections::HashSet<i64> = all.iter().map(|r| r.id).collect();
    assert_eq!((all.len(), unique.len()), (600, 600));
    // Two words must both match.
    let both = search("nunez DD-YOGA-MAT");
    assert!(both.iter().all(|r| hits.iter().any(|h| h.id == r.id)));
}

#[test]
fn hostile_search_input_is_a_valid_search() {
    let f = fixture();
    for input in [
        "\"",
        "*",
        "OR",
        "-",
        ":",
        "'); DROP TABLE orders; --",
        "NEAR(a b)",
        "a AND",
        "\"unterminated",
        "^",
        "{x}",
        "日本",
    ] {
        let page = f.dd.query_orders(&OrderQuery { search: Some(input.into()), ..OrderQuery::default() });
        assert!(page.is_ok(), "{input}: {:?}", page.err());
    }
    // Nothing was dropped.
    assert_eq!(all_pages(&f.dd, OrderQuery { limit: Some(500), ..OrderQuery::default() }).len(), 600);
    // A term that matches nothing returns nothing rather than everything.
    assert!(f
        .dd
        .query_orders(&OrderQuery { search: Some("zzqqxx".into()), ..OrderQuery::default() })
        .unwrap()
        .rows
        .is_empty());
}

/// Every page from the newest back to the top, following `before` from the last page.
fn all_pages_backwards(
    dd: &Dropdock,
    query: OrderQuery,
    from: dropdock_core::orders::search::OrderCursor,
) -> Vec<OrderRow> {
    let mut pages = Vec::new();
    let mut before = Some(from);
    while let Some(cursor) = before {
        let page = dd.query_orders(&OrderQuery { before: Some(cursor), after: None, ..query.clone() }).unwrap();
        before = page.prev;
        pages.push(page.rows);
    }
    pages.into_iter().rev().flatten().collect()
}

#[test]
fn a_window_of_pages_slides_back_up_to_the_same_rows() {
    let f = fixture();
    for query in [
        OrderQuery { limit: Some(7), ..OrderQuery::default() },
        OrderQuery { limit: Some(50), status: Some(OrderStatus::ToOrder), ..OrderQuery::default() },
        OrderQuery { limit: Some(9), search: Some("example.com".into()), ..OrderQuery::default() },
        OrderQuery { limit: Some(11), late_since: Some(Utc::now() - Duration::days(3)), ..OrderQuery::default() },
    ] {
        let forward = all_pages(&f.dd, query.clone());
        assert!(forward.len() > 20, "{query:?}");
        // The first page has nothing before it; a later page points back.
        let first = f.dd.query_orders(&query).unwrap();
        assert_eq!(first.prev, None);
        let second = f.dd.query_orders(&OrderQuery { after: first.next, ..query.clone() }).unwrap();
        assert_eq!(second.prev.map(|c| c.id), second.rows.first().map(|r| r.id));
        // From the last row, back to the top: the same rows in the same order, each once.
        let last = forward.last().unwrap();
        let cursor = dropdock_core::orders::search::OrderCursor { created_at: last.created_at, id: last.id };
        let mut backward = all_pages_backwards(&f.dd, query.clone(), cursor);
        backward.push(last.clone());
        assert_eq!(
            backward.iter().map(|r| r.id).collect::<Vec<_>>(),
            forward.iter().map(|r| r.id).collect::<Vec<_>>(),
            "{query:?}"
        );
    }
}
