//! Read models for the screens and the CLI: plain rows straight from SQLite, serialisable, with
//! TypeScript twins generated into `ui/src/bindings` by ts-rs (`cargo test` writes them).
//! Money is minor units (`*_minor`) beside its ISO 4217 currency; times are UTC RFC 3339.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{CoreError, Result};
use crate::fulfillment::sub_order::{OrderActions, SubOrderState};
use crate::fulfillment::HoldKind;
use crate::model::{Address, OrderStatus};

/// A row of the orders table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct OrderRow {
    #[ts(type = "number")]
    pub id: i64,
    pub store_name: String,
    /// The store's order number, e.g. `#1001`.
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub customer_name: Option<String>,
    /// Destination country (ISO 3166-1 alpha-2), when the order ships.
    pub country_code: Option<String>,
    #[ts(type = "number")]
    pub item_count: i64,
    #[ts(type = "number")]
    pub total_minor: i64,
    pub currency: String,
    pub status: OrderStatus,
    /// The store's payment state, e.g. `PAID`.
    pub financial_status: String,
    /// Why the order cannot go to its suppliers now (see [`HoldKind`]); `None` when it can or has.
    pub hold_kind: Option<HoldKind>,
    /// The hold as an English sentence (the CLI's; the UI's fallback).
    pub hold_reason: Option<String>,
    /// The values the hold's sentence is made of, by name (see [`crate::fulfillment::HoldParams`]):
    /// the UI words the hold from `hold_kind` and these. `None` for a hold recorded before them.
    #[ts(type = "Record<string, string> | null")]
    pub hold_params: Option<crate::fulfillment::HoldParams>,
    /// A "Ship order" asked for while offline waits for the network.
    pub queued: bool,
    /// The order's profit in the merchant's currency (see [`crate::orders::profit`]); `None`
    /// when a rate is missing.
    #[ts(type = "number | null")]
    pub profit_minor: Option<i64>,
    /// The profit is an estimate: no supplier has charged the order yet.
    pub profit_estimated: bool,
}

pub(crate) const ORDER_ROW_SELECT: &str = "SELECT o.id, s.name, o.name, o.created_at, o.customer_name, a.country_code,
        (SELECT CAST(TOTAL(quantity) AS INTEGER) FROM line_item li WHERE li.order_id = o.id),
        o.total_minor, o.currency, o.status, o.financial_status, o.hold_kind, o.hold_reason,
        EXISTS (SELECT 1 FROM queued_action q WHERE q.kind = 'ship_order' AND q.order_id = o.id), o.hold_params,
        o.profit_minor, o.profit_estimated
    FROM orders o JOIN store s ON s.id = o.store_id LEFT JOIN address a ON a.order_id = o.id";

pub(crate) fn order_row(r: &Row<'_>) -> rusqlite::Result<OrderRow> {
    let status: String = r.get(9)?;
    Ok(OrderRow {
        id: r.get(0)?,
        store_name: r.get(1)?,
        name: r.get(2)?,
        created_at: r.get(3)?,
        customer_name: r.get(4)?,
        country_code: r.get(5)?,
        item_count: r.get(6)?,
        total_minor: r.get(7)?,
        currency: r.get(8)?,
        status: OrderStatus::parse(&status).unwrap_or(OrderStatus::ToOrder),
        financial_status: r.get(10)?,
        hold_kind: r.get::<_, Option<String>>(11)?.as_deref().and_then(HoldKind::parse),
        hold_reason: r.get(12)?,
        queued: r.get(13)?,
        // Unreadable values (never written so) fall back to the sentence.
        hold_params: r.get::<_, Option<String>>(14)?.and_then(|j| serde_json::from_str(&j).ok()),
        profit_minor: r.get(15)?,
        profit_estimated: r.get(16)?,
    })
}

/// The newest orders first, optionally of one status, at most `limit` rows.
pub fn list_orders(conn: &Connection, status: Option<OrderStatus>, limit: u32) -> Result<Vec<OrderRow>> {
    let sql = format!(
        "{ORDER_ROW_SELECT} WHERE (?1 IS NULL OR o.status = ?1) ORDER BY o.created_at DESC, o.id DESC LIMIT ?2"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows =
        stmt.query_map(params![status.map(|s| s.as_str()), limit], order_row)?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Finds an order by its number (`#1001` or `1001`), across stores.
pub fn find_order_by_name(conn: &Connection, name: &str) -> Result<i64> {
    let wanted = name.trim().trim_start_matches('#');
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM orders WHERE name = ?1 OR name = '#' || ?1")?
        .query_map([wanted], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    match ids.as_slice() {
        [id] => Ok(*id),
        [] => Err(CoreError::NotFound(format!("no order named {name}; sync the store first"))),
        _ => Err(CoreError::InvalidInput(format!(
            "{} orders are named {name} (several stores); use the order id",
            ids.len()
        ))),
    }
}

/// How many orders each status tab holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct StatusCount {
    pub status: OrderStatus,
    pub label: String,
    #[ts(type = "number")]
    pub count: i64,
}

pub fn status_counts(conn: &Connection) -> Result<Vec<StatusCount>> {
    // One read of the kept totals (migration 26) for every tab; a status no order has is 0.
    let kept: std::collections::HashMap<String, i64> = conn
        .prepare_cached("SELECT key, n FROM order_total WHERE key LIKE 'status:%'")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(OrderStatus::ALL
        .into_iter()
        .map(|status| StatusCount {
            status,
            label: status.label().into(),
            count: kept.get(&format!("status:{}", status.as_str())).copied().unwrap_or(0),
        })
        .collect())
}

/// One of the totals kept by triggers on every write (migration 26, `order_total`): orders with
/// a status (`status:to_order`, …) or with a hold (`held`); 0 when none ever had it.
pub fn order_total(conn: &Connection, key: &str) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT n FROM order_total WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

/// A line item with the supplier its SKU maps to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct LineItemView {
    pub sku: Option<String>,
    pub title: String,
    #[ts(type = "number")]
    pub quantity: i64,
    #[ts(type = "number")]
    pub unit_price_minor: i64,
    pub requires_shipping: bool,
    pub supplier_name: Option<String>,
    /// The store's product and variant ids of the line (Shopify `legacyResourceId`s,
    /// WooCommerce `product_id`/`variation_id`, Etsy `listing_id`/`product_id`), when it has them.
    pub store_product_id: Option<String>,
    pub store_variant_id: Option<String>,
}

/// A shipment of a sub-order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ShipmentView {
    pub tracking_number: String,
    /// The supplier's carrier name.
    pub carrier: String,
    /// The name sent to the store.
    pub company: String,
    pub url: String,
    pub detected_at: DateTime<Utc>,
    /// When the store accepted it; `None` while it is waiting to be pushed.
    pub pushed_at: Option<DateTime<Utc>>,
    pub push_error: Option<String>,
}

/// One supplier's part of an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SubOrderView {
    #[ts(type = "number")]
    pub id: i64,
    pub supplier_name: String,
    pub state: SubOrderState,
    /// Sent as the supplier's order number.
    pub idempotency_key: String,
    pub shipping_line: Option<String>,
    pub supplier_order_id: Option<String>,
    /// What the supplier charged, in minor units of `currency`.
    #[ts(type = "number | null")]
    pub cost_minor: Option<i64>,
    pub currency: Option<String>,
    pub error: Option<String>,
    /// `wallet` (paid from My Wallet), `card`, or `billing` (a platform without a balance, such
    /// as Printful, charged the billing method on the merchant's account there); `None` before it
    /// was sent.
    pub payment_method: Option<String>,
    /// The supplier's answer to the last cancellation request.
    pub cancel_answer: Option<String>,
    /// The store cancelled the order after this sub-order reached its supplier: `cancelled`
    /// there, or `too_late` (cancelled in the store after sending: ask for a refund).
    pub store_cancel_outcome: Option<String>,
    /// A replacement the supplier ships for a refund-or-replacement request (a resend).
    pub replacement: bool,
    #[ts(type = "number")]
    pub supplier_id: i64,
    pub shipment: Option<ShipmentView>,
    /// The supplier variants it carries, line item by line item.
    pub items: Vec<SubOrderItemView>,
}

/// One supplier variant of a sub-order (a bundle's line item is several).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SubOrderItemView {
    /// The line item's SKU, else its title.
    pub line: String,
    /// The supplier's variant id.
    pub variant_id: String,
    /// Supplier units.
    #[ts(type = "number")]
    pub quantity: i64,
    /// The mapping option used: 1 the primary, 2.. a backup.
    #[ts(type = "number")]
    pub priority: i64,
    /// Why the earlier options were passed over, for a backup.
    pub backup_reason: Option<String>,
}

/// Everything the order detail shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct OrderDetail {
    pub order: OrderRow,
    pub email: Option<String>,
    /// The store's own fulfilment state, e.g. `UNFULFILLED`, `FULFILLED`.
    pub store_fulfillment_status: String,
    /// The shipping address as the store has it.
    pub address: Option<Address>,
    /// The merchant's correction of it, when there is one: what the suppliers get (never pushed
    /// to the store).
    pub address_override: Option<Address>,
    /// What the address check finds in the address the suppliers would get (the correction,
    /// else the store's), for the suppliers the line items map to; blocking ones first.
    pub address_problems: Vec<crate::fulfillment::address_check::AddressProblem>,
    pub line_items: Vec<LineItemView>,
    pub sub_orders: Vec<SubOrderView>,
    /// Why "Ship order" cannot run now, if it cannot.
    pub hold_reason: Option<String>,
    /// What the merchant may do with it now.
    pub actions: OrderActions,
}

pub fn order_detail(conn: &Connection, order_id: i64) -> Result<OrderDetail> {
    let order = conn
        .query_row(&format!("{ORDER_ROW_SELECT} WHERE o.id = ?1"), [order_id], order_row)
        .optional()?
        .ok_or_else(|| CoreError::NotFound(format!("order {order_id} not found")))?;
    let (email, store_fulfillment_status) =
        conn.query_row("SELECT email, store_fulfillment_status FROM orders WHERE id = ?1", [order_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let address = load_store_address(conn, order_id)?;
    let address_override = load_address_override(conn, order_id)?;
    let address_problems = address_problems(conn, order_id)?;
    let line_items = conn
        .prepare_cached(&format!(
            "SELECT li.sku, li.title, li.quantity, li.unit_price_minor, li.requires_shipping, s.name,
                    li.store_product_id, li.store_variant_id
             FROM line_item li JOIN orders o ON o.id = li.order_id {joins}
             LEFT JOIN supplier s ON s.id = {supplier}
             WHERE li.order_id = ?1 AND li.quantity > 0 ORDER BY li.position",
            joins = crate::products::queries::MAPPING_JOINS,
            supplier = crate::products::queries::MAPPED_SUPPLIER,
        ))?
        .query_map([order_id], |r| {
            Ok(LineItemView {
                sku: r.get(0)?,
                title: r.get(1)?,
                quantity: r.get(2)?,
                unit_price_minor: r.get(3)?,
                requires_shipping: r.get(4)?,
                supplier_name: r.get(5)?,
                store_product_id: r.get(6)?,
                store_variant_id: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    // A platform without a balance was charged on its own billing method, whatever was chosen.
    let sub_orders: Vec<SubOrderView> = conn
        .prepare_cached(&format!(
            "SELECT so.id, s.name, so.state, so.idempotency_key, so.shipping_line, so.supplier_order_id, so.cost_minor, so.currency, so.error,
                    sh.tracking_number, sh.carrier, sh.tracking_company, sh.tracking_url, sh.detected_at, sh.pushed_at, sh.push_error,
                    CASE WHEN so.payment_method IS NOT NULL AND s.kind NOT IN {} THEN 'billing' ELSE so.payment_method END,
                    so.cancel_answer, so.store_cancel_outcome, so.replaces_id IS NOT NULL, so.supplier_id
             FROM supplier_order so JOIN supplier s ON s.id = so.supplier_id LEFT JOIN shipment sh ON sh.supplier_order_id = so.id
             WHERE so.order_id = ?1 ORDER BY so.id",
            crate::suppliers::SupplierPlatform::balance_kinds_sql()
        ))?
        .query_map([order_id], |r| {
            let tracking_number: Option<String> = r.get(9)?;
            let shipment = match tracking_number {
                Some(tracking_number) => Some(ShipmentView {
                    tracking_number,
                    carrier: r.get(10)?,
                    company: r.get(11)?,
                    url: r.get(12)?,
                    detected_at: r.get(13)?,
                    pushed_at: r.get(14)?,
                    push_error: r.get(15)?,
                }),
                None => None,
            };
            Ok(SubOrderView {
                id: r.get(0)?,
                supplier_name: r.get(1)?,
                state: r.get(2)?,
                idempotency_key: r.get(3)?,
                shipping_line: r.get(4)?,
                supplier_order_id: r.get(5)?,
                cost_minor: r.get(6)?,
                currency: r.get(7)?,
                error: r.get(8)?,
                payment_method: r.get(16)?,
                cancel_answer: r.get(17)?,
                store_cancel_outcome: r.get(18)?,
                replacement: r.get(19)?,
                supplier_id: r.get(20)?,
                shipment,
                items: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut sub_orders = sub_orders;
    for sub in &mut sub_orders {
        sub.items = conn
            .prepare_cached(
                "SELECT COALESCE(li.sku, li.title), soi.variant_id, soi.quantity, soi.priority, soi.backup_reason
                 FROM supplier_order_item soi JOIN line_item li ON li.id = soi.line_item_id
                 WHERE soi.supplier_order_id = ?1 ORDER BY li.position, soi.rowid",
            )?
            .query_map([sub.id], |r| {
                Ok(SubOrderItemView {
                    line: r.get(0)?,
                    variant_id: r.get(1)?,
                    quantity: r.get(2)?,
                    priority: r.get(3)?,
                    backup_reason: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
    }
    let hold_reason = order.hold_reason.clone();
    let actions = OrderActions::of(order.status, order.hold_kind, order.queued, sub_orders.iter().map(|s| s.state));
    Ok(OrderDetail {
        order,
        email,
        store_fulfillment_status,
        address,
        address_override,
        address_problems,
        line_items,
        sub_orders,
        hold_reason,
        actions,
    })
}

/// The address check of the address the order's suppliers get
/// ([`crate::fulfillment::supplier_address`]), for the suppliers its line items map to; blocking
/// findings first, none when there is no address.
pub fn address_problems(
    conn: &Connection,
    order_id: i64,
) -> Result<Vec<crate::fulfillment::address_check::AddressProblem>> {
    use crate::fulfillment::{address_check, queries as fq};
    let Some(address) = crate::fulfillment::supplier_address(conn, order_id)? else { return Ok(Vec::new()) };
    let mut suppliers: Vec<i64> = fq::plan_lines(conn, order_id)?.into_iter().filter_map(|l| l.supplier_id).collect();
    suppliers.sort_unstable();
    suppliers.dedup();
    let mut found: Vec<address_check::AddressProblem> = Vec::new();
    for supplier_id in suppliers {
        for problem in address_check::check(&address, fq::supplier_platform(conn, supplier_id)?.capabilities()) {
            if !found.contains(&problem) {
                found.push(problem);
            }
        }
    }
    found.sort_by_key(|p| !p.blocking);
    Ok(found)
}

/// The shipping address the suppliers get: the merchant's correction
/// ([`load_address_override`]) when there is one, else the store's; `None` when it has none.
pub fn load_address(conn: &Connection, order_id: i64) -> Result<Option<Address>> {
    match load_address_override(conn, order_id)? {
        Some(corrected) => Ok(Some(corrected)),
        None => load_store_address(conn, order_id),
    }
}

/// The merchant's correction of an order's shipping address (`address_override`), if any.
pub fn load_address_override(conn: &Connection, order_id: i64) -> Result<Option<Address>> {
    read_address(conn, "address_override", order_id)
}

/// The shipping address as the store has it, if the order has one.
pub fn load_store_address(conn: &Connection, order_id: i64) -> Result<Option<Address>> {
    read_address(conn, "address", order_id)
}

fn read_address(conn: &Connection, table: &str, order_id: i64) -> Result<Option<Address>> {
    let address = conn
        .prepare_cached(&format!(
            "SELECT name, address1, address2, city, province, zip, country_code, phone FROM {table} WHERE order_id = ?1"
        ))?
        .query_row([order_id], |r| {
            Ok(Address {
                name: r.get(0)?,
                address1: r.get(1)?,
                address2: r.get(2)?,
                city: r.get(3)?,
                province: r.get(4)?,
                zip: r.get(5)?,
                country_code: r.get(6)?,
                phone: r.get(7)?,
            })
        })
        .optional()?;
    Ok(address)
}

/// A connected store, for Store → Integrations and the Sync Order dialog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct StoreView {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub platform: String,
    pub base_url: String,
    /// True for the embedded demo store.
    pub is_sandbox: bool,
    pub last_sync_at: Option<DateTime<Utc>>,
    /// complete, partial or failed.
    pub last_sync_status: Option<String>,
    pub last_sync_error: Option<String>,
    #[ts(type = "number")]
    pub order_count: i64,
    /// Background sync paused by the merchant.
    pub paused: bool,
    pub sync_interval_minutes: u32,
    /// The incremental cursor: orders updated up to here are stored (UTC).
    pub watermark: Option<DateTime<Utc>>,
    pub last_clean_sync_at: Option<DateTime<Utc>>,
    /// Runs that failed in a row.
    pub consecutive_failures: u32,
    /// Disconnected: no credentials, no sync; its orders stay.
    pub disconnected: bool,
    /// Something the merchant should know, e.g. a Shopify store not cleanly synced for 50 days.
    pub warning: Option<String>,
    /// The shop's own name as the platform gives it (Shopify `shop.name`), when read.
    pub shop_name: Option<String>,
    /// The shop's currency (ISO 4217, Shopify `shop.currencyCode`), when read.
    pub shop_currency: Option<String>,
}

pub fn list_stores(conn: &Connection) -> Result<Vec<StoreView>> {
    let rows = conn
        .prepare(
            "SELECT s.id, s.name, s.platform, s.base_url, s.is_sandbox, s.last_sync_at, s.last_sync_status, s.last_sync_error,
                    (SELECT COUNT(*) FROM orders o WHERE o.store_id = s.id),
                    s.paused, s.sync_interval_minutes, s.watermark_updated_at, s.last_clean_sync_at,
                    s.consecutive_failures, s.disconnected_at IS NOT NULL, s.created_at, s.shop_name, s.shop_currency
             FROM store s ORDER BY s.name",
        )?
        .query_map([], |r| {
            let platform: String = r.get(2)?;
            let last_clean: Option<DateTime<Utc>> = r.get(12)?;
            let created_at: DateTime<Utc> = r.get(15)?;
            let failures: u32 = r.get(13)?;
            let stale_since = last_clean.unwrap_or(created_at);
            let warning = if failures >= crate::stores::integrations::ALERT_AFTER_FAILURES {
                Some(format!("the last {failures} syncs failed"))
            } else if platform == "shopify"
                && Utc::now() - stale_since > chrono::Duration::days(crate::stores::integrations::SHOPIFY_STALE_AFTER_DAYS)
            {
                Some(format!(
                    "no clean sync since {}: Shopify lets apps read only the last 60 days, so sync now",
                    stale_since.format("%Y-%m-%d")
                ))
            } else {
                None
            };
            Ok(StoreView {
                id: r.get(0)?,
                name: r.get(1)?,
                platform,
                base_url: r.get(3)?,
                is_sandbox: r.get(4)?,
                last_sync_at: r.get(5)?,
                last_sync_status: r.get(6)?,
                last_sync_error: r.get(7)?,
                order_count: r.get(8)?,
                paused: r.get(9)?,
                sync_interval_minutes: r.get(10)?,
                watermark: r.get(11)?,
                last_clean_sync_at: last_clean,
                consecutive_failures: failures,
                disconnected: r.get(14)?,
                warning,
                shop_name: r.get(16)?,
                shop_currency: r.get(17)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// A supplier account and its wallet, for Finance → My Wallet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SupplierView {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub base_url: String,
    pub is_sandbox: bool,
    /// The balance the supplier last reported, US cents; `None` before the first check.
    #[ts(type = "number | null")]
    pub balance_minor: Option<i64>,
    pub balance_checked_at: Option<DateTime<Utc>>,
    /// Order charges net of their refunds in the local ledger (negative = money out), US cents;
    /// recharges, adjustments and the opening balance are not in it (see [`crate::wallet`]).
    #[ts(type = "number")]
    pub ledger_total_minor: i64,
    #[ts(type = "number")]
    pub charged_sub_orders: i64,
    /// The API rate limit Dropdock keeps to with this account, requests per second.
    pub requests_per_second: u32,
    /// Whether the platform documents an API to charge a card on file (CJdropshipping does
    /// not: it takes cards on its own payment page). The Credit Card tab says so when none does.
    pub accepts_cards: bool,
    /// Whether the platform keeps a balance Dropdock pays from (CJ's wallet); false for one
    /// that charges the merchant's billing method there (Printful): no balance, no recharge.
    pub has_balance: bool,
    /// Disconnected by the merchant: its keys are gone from the keychain, nothing is sent to it;
    /// its sub-orders and ledger stay. Connecting the same name again revives it.
    pub disconnected: bool,
}

pub fn list_suppliers(conn: &Connection) -> Result<Vec<SupplierView>> {
    let rows = conn
        .prepare(
            "SELECT s.id, s.name, s.kind, s.base_url, s.is_sandbox, s.balance_minor, s.balance_checked_at,
                    (SELECT COALESCE(SUM(amount_minor), 0) FROM wallet_entry w WHERE w.supplier_id = s.id AND w.kind IN ('charge', 'refund')),
                    (SELECT COUNT(*) FROM wallet_entry w WHERE w.supplier_id = s.id AND w.kind = 'charge'),
                    s.requests_per_second, s.disconnected_at IS NOT NULL
             FROM supplier s ORDER BY s.name",
        )?
        .query_map([], |r| {
            Ok(SupplierView {
                id: r.get(0)?,
                name: r.get(1)?,
                kind: r.get(2)?,
                base_url: r.get(3)?,
                is_sandbox: r.get(4)?,
                balance_minor: r.get(5)?,
                balance_checked_at: r.get(6)?,
                ledger_total_minor: r.get(7)?,
                charged_sub_orders: r.get(8)?,
                requests_per_second: r.get(9)?,
                accepts_cards: crate::suppliers::accepts_cards(&r.get::<_, String>(2)?),
                has_balance: crate::suppliers::SupplierPlatform::parse(&r.get::<_, String>(2)?)
                    .is_ok_and(|p| p.capabilities().balance),
                disconnected: r.get(10)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// What the app is doing at start: the UI shows a loading state until `ready`, and `error`
/// (e.g. no OS keychain) in a banner.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AppStatus {
    pub ready: bool,
    /// True while Dropdock runs on its embedded sandbox (no real account connected).
    pub sandbox: bool,
    /// On the sandbox: whether its servers run (Settings → Demo sandbox can stop them).
    pub sandbox_serving: bool,
    pub error: Option<String>,
    /// Where the database lives.
    pub data_dir: String,
}

/// What the updater knows (Settings → Updates).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct UpdateStatus {
    /// `unchecked`, `checking`, `up_to_date`, `available` or `unreachable`.
    pub state: String,
    pub current_version: String,
    pub available_version: Option<String>,
    /// Release notes of the available version.
    pub notes: Option<String>,
    /// Why the update server could not be asked (offline, no endpoint, bad reply).
    pub error: Option<String>,
    pub checked_at: Option<DateTime<Utc>>,
}

/// Desktop integration settings (Settings page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DesktopSettings {
    /// Start with the system, minimised to the tray.
    pub autostart: bool,
    /// Where the rotating log files are written.
    pub log_dir: String,
    pub update: UpdateStatus,
}
