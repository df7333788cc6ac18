//! Tracking exceptions: shipments that stopped moving. Each recheck of a shipped sub-order asks
//! the supplier's tracking lookup what the carrier says (CJ `logistic/trackInfo`'s
//! `trackingStatus`; see [`crate::suppliers::SupplierConnector::track_info`]) and records a
//! [`tracking_event`](record_event) when it changed. A shipment not delivered is:
//! - **Attention** when its last event (else, the carrier knowing nothing yet, its detection)
//!   is older than the merchant's number of days ([`attention_days`], 7 by default);
//! - **Expired** when that is older than [`EXPIRED_AFTER_DAYS`].
//!
//! Both are worked out from stored times at the moment of asking (no flag to go stale): the
//! Order page's filter, the Dashboard card, the CLI (`orders list --tracking attention`,
//! `tracking list`) and the notification read the same SQL ([`flag_sql`]).

use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::context::Ctx;
use crate::error::{CoreError, Result};

/// After this many days without an event a shipment has expired.
pub const EXPIRED_AFTER_DAYS: i64 = 30;
/// The merchant's days without an event before Attention, when never set.
pub const DEFAULT_ATTENTION_DAYS: u32 = 7;
const ATTENTION_KEY: &str = "tracking.attention_days";

/// A shipment's tracking exception.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TrackingFlag {
    /// No new event (or still unknown to the carrier) for the merchant's number of days.
    Attention,
    /// No event for [`EXPIRED_AFTER_DAYS`] days.
    Expired,
}

impl TrackingFlag {
    pub fn as_str(self) -> &'static str {
        match self {
            TrackingFlag::Attention => "attention",
            TrackingFlag::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "attention" => Some(TrackingFlag::Attention),
            "expired" => Some(TrackingFlag::Expired),
            _ => None,
        }
    }
}

/// The SQL condition for `flag` over a shipment `sh` of a sub-order `so`, with two parameters
/// in this order: the attention cut-off and the expiry cut-off (see [`cutoffs`]).
pub fn flag_sql(flag: TrackingFlag, attention: &str, expired: &str) -> String {
    let moved = "COALESCE(sh.last_event_at, sh.detected_at)";
    match flag {
        TrackingFlag::Attention => {
            format!("(so.state = 'shipped' AND {moved} < {attention} AND {moved} >= {expired})")
        }
        TrackingFlag::Expired => format!("(so.state = 'shipped' AND {moved} < {expired})"),
    }
}

/// The attention and expiry cut-offs at `now` for `attention_days`: a shipment that last moved
/// before the first needs attention, before the second it has expired.
pub fn cutoffs(now: DateTime<Utc>, attention_days: u32) -> (DateTime<Utc>, DateTime<Utc>) {
    (now - Duration::days(i64::from(attention_days)), now - Duration::days(EXPIRED_AFTER_DAYS))
}

/// The merchant's days without an event before Attention.
pub fn attention_days(conn: &Connection) -> Result<u32> {
    let value: Option<String> = conn
        .prepare_cached("SELECT value FROM setting WHERE key = ?1")?
        .query_row([ATTENTION_KEY], |r| r.get(0))
        .optional()?;
    Ok(value.and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_ATTENTION_DAYS))
}

/// Sets the days without an event before Attention, 1 to 29 (30 is Expired). Errors: outside.
pub fn set_attention_days(ctx: &Ctx, days: u32) -> Result<()> {
    if !(1..EXPIRED_AFTER_DAYS as u32).contains(&days) {
        return Err(CoreError::InvalidInput(format!(
            "a shipment needs attention after 1 to {} days without news, not {days}",
            EXPIRED_AFTER_DAYS - 1
        )));
    }
    ctx.db.set_setting(ATTENTION_KEY, &days.to_string())
}

/// Records what the carrier says of a shipment at `now` when it differs from the last word
/// (a new event); true when it did.
pub fn record_event(conn: &Connection, shipment_id: i64, status: &str, now: DateTime<Utc>) -> Result<bool> {
    let status: String = status.trim().chars().take(200).collect();
    if status.is_empty() {
        return Ok(false);
    }
    let changed = conn
        .prepare_cached(
            "UPDATE shipment SET last_status = ?2, last_event_at = ?3, attention_notified_at = NULL
             WHERE id = ?1 AND last_status IS NOT ?2",
        )?
        .execute(params![shipment_id, status, now])?
        > 0;
    if changed {
        conn.prepare_cached("INSERT INTO tracking_event (shipment_id, status, seen_at) VALUES (?1, ?2, ?3)")?
            .execute(params![shipment_id, status, now])?;
    }
    Ok(changed)
}

/// One shipment that stopped moving.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct TrackingException {
    #[ts(type = "number")]
    pub shipment_id: i64,
    #[ts(type = "number")]
    pub order_id: i64,
    pub order_name: String,
    pub supplier_name: String,
    pub tracking_number: String,
    pub company: String,
    pub url: String,
    pub flag: TrackingFlag,
    /// The carrier's last word, `None` when it has said nothing yet.
    pub last_status: Option<String>,
    /// When the shipment last moved (its last event, else its detection), UTC.
    pub last_moved_at: DateTime<Utc>,
    /// Whole days since then.
    #[ts(type = "number")]
    pub quiet_days: i64,
}

/// Every shipment with a tracking exception at `now`, quietest first.
pub fn exceptions(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<TrackingException>> {
    let (attention, expired) = cutoffs(now, attention_days(conn)?);
    let sql = format!(
        "SELECT o.id, o.name, s.name, sh.tracking_number, sh.tracking_company, sh.tracking_url, sh.last_status,
                COALESCE(sh.last_event_at, sh.detected_at), {expired_sql}, sh.id
         FROM shipment sh JOIN supplier_order so ON so.id = sh.supplier_order_id
         JOIN orders o ON o.id = so.order_id JOIN supplier s ON s.id = so.supplier_id
         WHERE {attention_sql} OR {expired_sql}
         ORDER BY COALESCE(sh.last_event_at, sh.detected_at), o.id",
        attention_sql = flag_sql(TrackingFlag::Attention, "?1", "?2"),
        expired_sql = flag_sql(TrackingFlag::Expired, "?1", "?2"),
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_map(params![attention, expired], |r| {
            let moved: DateTime<Utc> = r.get(7)?;
            Ok(TrackingException {
                shipment_id: r.get(9)?,
                order_id: r.get(0)?,
                order_name: r.get(1)?,
                supplier_name: r.get(2)?,
                tracking_number: r.get(3)?,
                company: r.get(4)?,
                url: r.get(5)?,
                last_status: r.get(6)?,
                flag: if r.get(8)? { TrackingFlag::Expired } else { TrackingFlag::Attention },
                last_moved_at: moved,
                quiet_days: (now - moved).num_days(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// How many shipments need attention and how many expired at `now` (the Dashboard card).
pub fn counts(conn: &Connection, now: DateTime<Utc>) -> Result<(i64, i64)> {
    let (attention, expired) = cutoffs(now, attention_days(conn)?);
    let sql = format!(
        "SELECT IFNULL(SUM({}), 0), IFNULL(SUM({}), 0)
         FROM shipment sh JOIN supplier_order so ON so.id = sh.supplier_order_id WHERE so.state = 'shipped'",
        flag_sql(TrackingFlag::Attention, "?1", "?2"),
        flag_sql(TrackingFlag::Expired, "?1", "?2"),
    );
    Ok(conn.prepare_cached(&sql)?.query_row(params![attention, expired], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// The shipments that need attention at `now` and were not announced since they last moved:
/// marked announced, returned for the notification (once per quiet spell).
pub fn take_new_attention(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<TrackingException>> {
    let fresh: Vec<TrackingException> =
        exceptions(conn, now)?.into_iter().filter(|e| e.flag == TrackingFlag::Attention).collect();
    let mut out = Vec::new();
    let mut mark = conn.prepare_cached(
        "UPDATE shipment SET attention_notified_at = ?2 WHERE id = ?1 AND attention_notified_at IS NULL",
    )?;
    for e in fresh {
        if mark.execute(params![e.shipment_id, now])? > 0 {
            out.push(e);
        }
    }
    Ok(out)
}

/// [`exceptions`] now, for the UI and the CLI.
pub fn list(ctx: &Ctx) -> Result<Vec<TrackingException>> {
    ctx.db.read(|c| exceptions(c, Utc::now()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_parse_and_the_cutoffs_follow_the_days() {
        assert_eq!(TrackingFlag::parse(" Attention "), Some(TrackingFlag::Attention));
        assert_eq!(TrackingFlag::parse("expired"), Some(TrackingFlag::Expired));
        assert_eq!(TrackingFlag::parse("late"), None);
        let now = DateTime::parse_from_rfc3339("2026-12-10T12:00:00Z").unwrap().with_timezone(&Utc);
        let (attention, expired) = cutoffs(now, 7);
        assert_eq!(attention.to_rfc3339(), "2026-12-03T12:00:00+00:00");
        assert_eq!(expired.to_rfc3339(), "2026-11-10T12:00:00+00:00");
    }
}
