//! The Auto Fulfillment area's SQL: its one settings row, the orders a run picks, what they
//! cost at the suppliers against the wallet, and the cards on file (brand, last 4, expiry: the
//! tokens are in the keychain, never here).

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::{AutoSettings, AutoSettingsInput, PaymentMethod};
use crate::error::Result;
use crate::fulfillment::sub_order::SubOrderState;
use crate::fulfillment::HoldKind;
use crate::suppliers::SupplierPlatform;

/// The settings row.
pub fn settings(conn: &Connection) -> Result<AutoSettings> {
    Ok(conn
        .prepare_cached(
            "SELECT enabled, payment_method, wallet_terms_accepted_at IS NOT NULL, threshold_minor,
                    approval_delay_minutes, most_suitable_within_days, paused_reason, max_order_cost_minor,
                    daily_at_minute, utc_offset_minutes, card_terms_accepted_at IS NOT NULL, hold_medium_risk,
                    default_phone, cost_change_limit_pct
             FROM auto_fulfillment WHERE id = 1",
        )?
        .query_row([], |r| {
            let method: String = r.get(1)?;
            Ok(AutoSettings {
                enabled: r.get(0)?,
                payment_method: if method == "card" { PaymentMethod::Card } else { PaymentMethod::Wallet },
                wallet_terms_accepted: r.get(2)?,
                threshold_minor: r.get(3)?,
                approval_delay_minutes: r.get(4)?,
                most_suitable_within_days: r.get(5)?,
                paused_reason: r.get(6)?,
                max_order_cost_minor: r.get(7)?,
                daily_at_minute: r.get(8)?,
                utc_offset_minutes: r.get(9)?,
                card_terms_accepted: r.get(10)?,
                hold_medium_risk: r.get(11)?,
                default_phone: r.get(12)?,
                cost_change_limit_pct: r.get(13)?,
            })
        })?)
}

/// Saves the page's settings (checked by the caller). Unticking the My Wallet boxes while
/// paying from the wallet turns Auto Fulfillment off.
pub fn save_settings(conn: &Connection, input: &AutoSettingsInput, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached(
        "UPDATE auto_fulfillment SET payment_method = ?9,
           wallet_terms_accepted_at = CASE WHEN ?1 THEN COALESCE(wallet_terms_accepted_at, ?5) END,
           threshold_minor = ?2, approval_delay_minutes = ?3, most_suitable_within_days = ?4,
           max_order_cost_minor = ?6, daily_at_minute = ?7, utc_offset_minutes = ?8, hold_medium_risk = ?10,
           default_phone = ?11, cost_change_limit_pct = ?12,
           enabled = CASE WHEN ?1 OR ?9 = 'card' THEN enabled ELSE 0 END, updated_at = ?5
         WHERE id = 1",
    )?
    .execute(params![
        input.wallet_terms_accepted,
        input.threshold_minor,
        input.approval_delay_minutes,
        input.most_suitable_within_days,
        now,
        input.max_order_cost_minor,
        input.daily_at_minute,
        input.utc_offset_minutes,
        input.payment_method.as_str(),
        input.hold_medium_risk,
        input.default_phone.as_deref().map(str::trim).filter(|p| !p.is_empty()),
        input.cost_change_limit_pct
    ])?;
    Ok(())
}

/// The orders held `address_invalid`: re-planned when the default phone changes.
pub fn orders_held_for_address(conn: &Connection) -> Result<Vec<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM orders WHERE hold_kind = ?1")?
        .query_map([HoldKind::AddressInvalid.as_str()], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// The store's risk level of an order (`orders.risk_level`: HIGH, MEDIUM, LOW, NONE, PENDING)
/// unless the merchant accepted the risk when releasing it; `None` when it has none.
pub fn unaccepted_risk_level(conn: &Connection, order_id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT risk_level FROM orders WHERE id = ?1 AND risk_accepted_at IS NULL")?
        .query_row([order_id], |r| r.get::<_, Option<String>>(0))
        .optional()?
        .flatten())
}

/// Turns Auto Fulfillment on or off; either way it is no longer paused.
pub fn set_enabled(conn: &Connection, enabled: bool, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached(
        "UPDATE auto_fulfillment SET enabled = ?1, paused_reason = NULL, updated_at = ?2 WHERE id = 1",
    )?
    .execute(params![enabled, now])?;
    Ok(())
}

/// Pauses Auto Fulfillment with the reason shown on the page, or resumes it (`None`).
pub fn set_paused(conn: &Connection, reason: Option<&str>) -> Result<()> {
    conn.prepare_cached("UPDATE auto_fulfillment SET paused_reason = ?1 WHERE id = 1")?.execute([reason])?;
    Ok(())
}

/// Lifts every hold of this kind (funds and the cost limit are looked at again each run).
pub fn clear_holds_of(conn: &Connection, kind: HoldKind) -> Result<()> {
    conn.prepare_cached(
        "UPDATE orders SET hold_kind = NULL, hold_reason = NULL, hold_params = NULL WHERE hold_kind = ?1",
    )?
    .execute([kind.as_str()])?;
    Ok(())
}

/// Suppliers on a platform with a balance whose last refreshed balance is below
/// `threshold_minor`, as `(name, balance)` (a platform that charges a billing method has no
/// wallet to fall short; a disconnected account is left out).
pub fn wallets_below(conn: &Connection, threshold_minor: i64) -> Result<Vec<(String, Option<i64>)>> {
    let sql = format!(
        "SELECT name, balance_minor FROM supplier
         WHERE COALESCE(balance_minor, 0) < ?1 AND kind IN {} AND disconnected_at IS NULL ORDER BY name",
        SupplierPlatform::balance_kinds_sql()
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_map([threshold_minor], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// The orders a run sends, at most `limit`, as `(id, number)`: first any a crash or a lost
/// reply left with a sub-order `submitting`, `ambiguous` or `pending` (Ship order finishes
/// those, looking ambiguous ones up before sending anything), then paid orders To order, not
/// held, placed at or before `cutoff`, oldest first. Never one the merchant held or queued.
pub fn candidates(conn: &Connection, cutoff: DateTime<Utc>, limit: i64) -> Result<Vec<(i64, String)>> {
    let sql = format!(
        "SELECT o.id, o.name FROM orders o
         WHERE ((o.status = 'to_order' AND o.hold_kind IS NULL AND o.created_at <= ?1)
                OR EXISTS (SELECT 1 FROM supplier_order so WHERE so.order_id = o.id
                           AND so.state IN {}))
           AND o.merchant_hold_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM queued_action q WHERE q.order_id = o.id)
         ORDER BY o.status = 'to_order', o.created_at, o.id LIMIT ?2",
        SubOrderState::sql_set(|s| s.needs_lookup() || s == SubOrderState::Pending)
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_map(params![cutoff, limit], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// What the order's shipped line items cost at their mapped supplier variants (minor units,
/// postage not included).
pub fn mapped_cost(conn: &Connection, order_id: i64) -> Result<i64> {
    use crate::products::queries::{MAPPED_COST, MAPPING_JOINS};
    let sql = format!(
        "SELECT CAST(TOTAL({MAPPED_COST} * li.quantity) AS INTEGER)
         FROM line_item li JOIN orders o ON o.id = li.order_id {MAPPING_JOINS}
         WHERE li.order_id = ?1 AND li.requires_shipping = 1 AND li.quantity > 0"
    );
    Ok(conn.prepare_cached(&sql)?.query_row([order_id], |r| r.get(0))?)
}

/// The first supplier (on a platform with a balance) whose balance does not cover its part of
/// the order, as `(supplier name, cost, balance)`; `None` when every one does.
pub fn shortfall(conn: &Connection, order_id: i64) -> Result<Option<(String, i64, i64)>> {
    use crate::products::queries::{MAPPED_COST, MAPPED_SUPPLIER, MAPPING_JOINS};
    let sql = format!(
        "SELECT s.name, CAST(TOTAL({MAPPED_COST} * li.quantity) AS INTEGER) AS cost, COALESCE(s.balance_minor, 0)
         FROM line_item li JOIN orders o ON o.id = li.order_id {MAPPING_JOINS} JOIN supplier s ON s.id = {MAPPED_SUPPLIER}
         WHERE li.order_id = ?1 AND li.requires_shipping = 1 AND li.quantity > 0 AND s.kind IN {}
         GROUP BY s.id HAVING cost > COALESCE(s.balance_minor, 0) LIMIT 1",
        SupplierPlatform::balance_kinds_sql()
    );
    Ok(conn.prepare_cached(&sql)?.query_row([order_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()?)
}

/// A card on file as stored: brand name, last 4 digits, expiry month and year.
pub struct StoredCard<'a> {
    pub brand: &'a str,
    pub last4: &'a str,
    pub exp_month: u32,
    pub exp_year: u32,
}

/// Keeps (or replaces) the supplier's card on file.
pub fn upsert_card(conn: &Connection, supplier_id: i64, card: &StoredCard, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO supplier_card (supplier_id, brand, last4, exp_month, exp_year, saved_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (supplier_id) DO UPDATE SET brand = excluded.brand, last4 = excluded.last4,
           exp_month = excluded.exp_month, exp_year = excluded.exp_year, saved_at = excluded.saved_at",
    )?
    .execute(params![supplier_id, card.brand, card.last4, card.exp_month, card.exp_year, now])?;
    Ok(())
}

/// Makes the card the payment method, its terms accepted at `now`.
pub fn pay_by_card(conn: &Connection, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached(
        "UPDATE auto_fulfillment SET payment_method = 'card', card_terms_accepted_at = ?1, updated_at = ?1 WHERE id = 1",
    )?
    .execute([now])?;
    Ok(())
}

/// A card on file at one supplier, as stored.
pub struct CardRow {
    pub supplier_name: String,
    pub brand: String,
    pub last4: String,
    pub exp_month: u32,
    pub exp_year: u32,
}

/// The cards on file, by supplier name.
pub fn cards(conn: &Connection) -> Result<Vec<CardRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT s.name, sc.brand, sc.last4, sc.exp_month, sc.exp_year
             FROM supplier_card sc JOIN supplier s ON s.id = sc.supplier_id ORDER BY s.name",
        )?
        .query_map([], |r| {
            Ok(CardRow {
                supplier_name: r.get(0)?,
                brand: r.get(1)?,
                last4: r.get(2)?,
                exp_month: r.get(3)?,
                exp_year: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Forgets every card; the wallet pays again, and Auto Fulfillment turns off unless the My
/// Wallet boxes were saved.
pub fn remove_cards(conn: &Connection, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached("DELETE FROM supplier_card")?.execute([])?;
    conn.prepare_cached(
        "UPDATE auto_fulfillment SET payment_method = 'wallet', card_terms_accepted_at = NULL,
           enabled = CASE WHEN wallet_terms_accepted_at IS NULL THEN 0 ELSE enabled END, updated_at = ?1
         WHERE id = 1",
    )?
    .execute([now])?;
    Ok(())
}

/// One mapped variant of the supplier (the first by SKU or store product id): what a shipping
/// quote is asked for.
pub fn sample_variant(conn: &Connection, supplier_id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT variant_id FROM (SELECT variant_id, sku AS k FROM product_mapping WHERE supplier_id = ?1
                                     UNION ALL SELECT variant_id, store_product_id FROM variant_mapping WHERE supplier_id = ?1)
             ORDER BY k LIMIT 1",
        )?
        .query_row([supplier_id], |r| r.get(0))
        .optional()?)
}
