//! The Dashboard's figures, from the local database only (so it works offline): orders per
//! status, orders per day, supplier spend per day, held orders and late shipments.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use rusqlite::{params, Connection};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{CoreError, Result};
use crate::model::OrderStatus;
use crate::orders::views::{status_counts, StatusCount};

/// What the Dashboard asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DashboardRequest {
    /// Days of history in the charts, today included (1 to 366).
    pub days: u32,
    /// A paid order with no tracking number this many days after it was placed is late.
    pub late_after_days: u32,
    /// The merchant's offset from UTC in minutes (e.g. -300 for New York in winter): days in the
    /// charts are the merchant's calendar days.
    pub utc_offset_minutes: i32,
}

impl Default for DashboardRequest {
    fn default() -> Self {
        DashboardRequest { days: 30, late_after_days: 7, utc_offset_minutes: 0 }
    }
}

/// Orders placed on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DailyOrders {
    /// The merchant's calendar day, `YYYY-MM-DD`.
    pub day: String,
    #[ts(type = "number")]
    pub orders: i64,
}

/// What one supplier charged the wallet on one day (sub-order charges less refunds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DailySpend {
    pub day: String,
    pub supplier_name: String,
    /// Minor units of `Dashboard::spend_currency`.
    #[ts(type = "number")]
    pub amount_minor: i64,
}

/// Profit on one day (the orders placed that day), minor units of `Dashboard::profit_currency`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DailyProfit {
    pub day: String,
    #[ts(type = "number")]
    pub profit_minor: i64,
}

/// A product's share of the period's profit: each order's profit split over its line items by
/// their share of what the items sold for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ProductProfit {
    pub title: String,
    #[ts(type = "number")]
    pub units: i64,
    #[ts(type = "number")]
    pub profit_minor: i64,
}

/// Everything the Dashboard shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Dashboard {
    pub counts: Vec<StatusCount>,
    /// Every day of the period, oldest first, days without orders included.
    pub orders_per_day: Vec<DailyOrders>,
    /// Days with supplier charges, oldest first.
    pub spend_per_day: Vec<DailySpend>,
    /// The supplier wallet's currency (CJ bills in USD).
    pub spend_currency: String,
    /// Orders waiting with a hold reason.
    #[ts(type = "number")]
    pub held: i64,
    /// Paid orders still without tracking `late_after_days` after they were placed.
    #[ts(type = "number")]
    pub late: i64,
    pub late_after_days: u32,
    /// Orders placed before this time (UTC) and not shipped are late: the Order page's
    /// `late_since` filter lists them.
    pub late_since: DateTime<Utc>,
    /// Shipments that need attention (no news for the merchant's number of days) and that
    /// expired (none for 30), now: the Order page's `tracking` filter lists their orders.
    #[ts(type = "number")]
    pub tracking_attention: i64,
    #[ts(type = "number")]
    pub tracking_expired: i64,
    /// Profit of the period's paid orders (see [`crate::orders::profit`]), in the merchant's
    /// currency: per day, in total, and as a margin of revenue (basis points); orders whose
    /// figure is an estimate, and orders left out for a missing exchange rate. Per product:
    /// [`profit_per_product`], read apart (it reads every line item of the period).
    pub profit_currency: String,
    pub profit_per_day: Vec<DailyProfit>,
    #[ts(type = "number")]
    pub profit_minor: i64,
    #[ts(type = "number | null")]
    pub margin_bps: Option<i64>,
    #[ts(type = "number")]
    pub profit_estimated_orders: i64,
    #[ts(type = "number")]
    pub profit_unknown_orders: i64,
}

/// The span of one `order_stats_bucket` row (migration 26): a quarter hour.
const BUCKET_SECONDS: i64 = 900;

/// Paid orders created before `late_since` (UTC) still without tracking (To order or
/// Processing): the whole quarter hours before it from `order_stats_bucket`, the part of its
/// own quarter hour from the orders (the `orders_unshipped` index).
fn late_orders(conn: &Connection, late_since: DateTime<Utc>) -> Result<i64> {
    let bucket = late_since.timestamp().div_euclid(BUCKET_SECONDS);
    let whole: i64 = conn
        .prepare_cached("SELECT TOTAL(unshipped) FROM order_stats_bucket WHERE bucket < ?1")?
        .query_row([bucket], |r| r.get::<_, f64>(0))? as i64;
    let start = DateTime::<Utc>::from_timestamp(bucket * BUCKET_SECONDS, 0).unwrap_or(late_since);
    let part: i64 = conn
        .prepare_cached(
            "SELECT COUNT(*) FROM orders INDEXED BY orders_unshipped
             WHERE status IN ('to_order', 'processing') AND created_at >= ?1 AND created_at < ?2",
        )?
        .query_row(params![start, late_since], |r| r.get(0))?;
    Ok(whole + part)
}

/// Builds the Dashboard at `now` from the figures kept per quarter hour (migration 26), so it
/// costs the same at a million orders as at a hundred. Errors: `days` outside 1..=366, an
/// offset beyond ±18 hours or not whole quarter hours.
pub fn dashboard(conn: &Connection, request: DashboardRequest, now: DateTime<Utc>) -> Result<Dashboard> {
    if !(1..=366).contains(&request.days) {
        return Err(CoreError::InvalidInput("the dashboard shows 1 to 366 days".into()));
    }
    let offset = FixedOffset::east_opt(request.utc_offset_minutes * 60)
        .filter(|_| request.utc_offset_minutes.abs() <= 18 * 60)
        .ok_or_else(|| CoreError::InvalidInput("a UTC offset is at most 18 hours".into()))?;
    if request.utc_offset_minutes % 15 != 0 {
        return Err(CoreError::InvalidInput("a UTC offset is whole quarter hours (as every time zone's is)".into()));
    }
    let today: NaiveDate = now.with_timezone(&offset).date_naive();
    let first_day = today - Duration::days(request.days as i64 - 1);
    // Midnight of the first day, merchant time, as UTC.
    let from_utc = first_day.and_hms_opt(0, 0, 0).expect("midnight exists").and_local_timezone(offset).unwrap();
    let from_utc = from_utc.with_timezone(&Utc);
    let shift = format!("{:+} minutes", request.utc_offset_minutes);

    // The period's quarter hours (migration 26, kept by triggers on every write): orders per
    // day, and the paid ones' profit, revenue, estimates and unknowns.
    let mut per_day = std::collections::HashMap::<String, i64>::new();
    let mut profit_by_day = std::collections::HashMap::<String, i64>::new();
    let (mut profit_minor, mut revenue_minor, mut estimated, mut unknown) = (0i64, 0i64, 0i64, 0i64);
    let mut stmt = conn.prepare_cached(
        "SELECT bucket, orders, profit_minor, revenue_minor, estimated, unknown FROM order_stats_bucket
         WHERE bucket >= ?1 AND orders > 0",
    )?;
    let mut rows = stmt.query([from_utc.timestamp().div_euclid(BUCKET_SECONDS)])?;
    while let Some(r) = rows.next()? {
        let at = DateTime::<Utc>::from_timestamp(r.get::<_, i64>(0)? * BUCKET_SECONDS, 0)
            .ok_or_else(|| CoreError::InvalidInput("a stored order date is out of range".into()))?;
        let day = at.with_timezone(&offset).format("%Y-%m-%d").to_string();
        let profit: i64 = r.get(2)?;
        *profit_by_day.entry(day.clone()).or_default() += profit;
        *per_day.entry(day).or_default() += r.get::<_, i64>(1)?;
        profit_minor += profit;
        revenue_minor += r.get::<_, i64>(3)?;
        estimated += r.get::<_, i64>(4)?;
        unknown += r.get::<_, i64>(5)?;
    }
    let orders_per_day = first_day
        .iter_days()
        .take(request.days as usize)
        .map(|d| {
            let day = d.format("%Y-%m-%d").to_string();
            DailyOrders { orders: per_day.get(&day).copied().unwrap_or(0), day }
        })
        .collect();

    let spend_per_day = conn
        .prepare_cached(
            "SELECT date(w.created_at, ?2) AS day, s.name, -SUM(w.amount_minor)
             FROM wallet_entry w JOIN supplier s ON s.id = w.supplier_id
             WHERE w.created_at >= ?1 AND w.kind IN ('charge', 'refund') AND w.supplier_order_id IS NOT NULL
             GROUP BY day, s.name ORDER BY day, s.name",
        )?
        .query_map(params![from_utc, shift], |r| {
            Ok(DailySpend { day: r.get(0)?, supplier_name: r.get(1)?, amount_minor: r.get(2)? })
        })?
        .collect::<rusqlite::Result<_>>()?;

    let late_since = now - Duration::days(request.late_after_days as i64);
    let late = late_orders(conn, late_since)?;
    let held = crate::orders::views::order_total(conn, "held")?;
    let (tracking_attention, tracking_expired) = crate::tracking::exceptions::counts(conn, now)?;
    let profit_per_day = first_day
        .iter_days()
        .take(request.days as usize)
        .map(|d| {
            let day = d.format("%Y-%m-%d").to_string();
            DailyProfit { profit_minor: profit_by_day.get(&day).copied().unwrap_or(0), day }
        })
        .collect();

    Ok(Dashboard {
        counts: status_counts(conn)?,
        orders_per_day,
        spend_per_day,
        spend_currency: crate::suppliers::cj::CJ_CURRENCY.to_owned(),
        held,
        late,
        late_after_days: request.late_after_days,
        late_since,
        tracking_attention,
        tracking_expired,
        profit_currency: crate::orders::profit::settings(conn)?.currency,
        profit_per_day,
        profit_minor,
        margin_bps: (revenue_minor != 0).then(|| profit_minor * 10_000 / revenue_minor),
        profit_estimated_orders: estimated,
        profit_unknown_orders: unknown,
    })
}

/// The 10 products that made most profit on the paid orders created since `from` (UTC): each
/// order's profit shared over its line items by their share of what the items sold for.
pub fn profit_per_product(conn: &Connection, from: DateTime<Utc>) -> Result<Vec<ProductProfit>> {
    Ok(conn
        .prepare_cached(
            "SELECT title, SUM(quantity), CAST(ROUND(TOTAL(profit * sold * 1.0 / NULLIF(order_sold, 0))) AS INTEGER) AS share
             FROM (SELECT li.title AS title, li.quantity AS quantity, o.profit_minor AS profit,
                          li.unit_price_minor * li.quantity AS sold,
                          SUM(li.unit_price_minor * li.quantity) OVER (PARTITION BY li.order_id) AS order_sold
                   FROM orders o JOIN line_item li ON li.order_id = o.id
                   WHERE o.created_at >= ?1 AND o.status <> 'awaiting_payment' AND o.profit_minor IS NOT NULL)
             GROUP BY title ORDER BY share DESC LIMIT 10",
        )?
        .query_map([from], |r| Ok(ProductProfit { title: r.get(0)?, units: r.get(1)?, profit_minor: r.get(2)? }))?
        .collect::<rusqlite::Result<_>>()?)
}

/// The tray menu's figures: orders to send, orders with their suppliers, and shipments detected
/// since midnight on the merchant's clock (`utc_offset_minutes` from UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct TrayCounts {
    #[ts(type = "number")]
    pub to_order: i64,
    #[ts(type = "number")]
    pub processing: i64,
    #[ts(type = "number")]
    pub shipped_today: i64,
}

/// [`TrayCounts`] at `now`. Errors: an offset beyond 18 hours.
pub fn tray_counts(conn: &Connection, utc_offset_minutes: i32, now: DateTime<Utc>) -> Result<TrayCounts> {
    let offset = FixedOffset::east_opt(utc_offset_minutes * 60)
        .filter(|_| utc_offset_minutes.abs() <= 18 * 60)
        .ok_or_else(|| CoreError::InvalidInput("a UTC offset is at most 18 hours".into()))?;
    let midnight = now
        .with_timezone(&offset)
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_local_timezone(offset)
        .unwrap()
        .with_timezone(&Utc);
    let counts = status_counts(conn)?;
    let count = |status: OrderStatus| counts.iter().find(|c| c.status == status).map_or(0, |c| c.count);
    Ok(TrayCounts {
        to_order: count(OrderStatus::ToOrder),
        processing: count(OrderStatus::Processing),
        shipped_today: conn
            .prepare_cached("SELECT COUNT(*) FROM shipment WHERE detected_at >= ?1")?
            .query_row([midnight], |r| r.get(0))?,
    })
}
