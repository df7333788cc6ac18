//! Desktop notifications: which kinds the merchant wants (Settings → Notifications), and how a
//! batch of shipments becomes one notification or a grouped one ("12 orders shipped").

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::db::Db;
use crate::error::Result;
use crate::settings::locale::{Language, Text};
use crate::tracking::ShipmentNotice;

/// Up to this many shipments found together get one notification each; more are grouped.
pub const GROUP_ABOVE: usize = 3;

/// The kinds of notification, each on unless turned off. Stored as settings
/// `notify.shipment`, `notify.auto_paused`, `notify.sync_failed`, `notify.tracking_attention`
/// (`"0"` = off).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NotificationSettings {
    /// A shipment was found (tracking number from the supplier).
    pub shipment: bool,
    /// Auto Fulfillment paused itself (wallet below the threshold, card expired).
    pub auto_paused: bool,
    /// A store's background sync failed three times in a row.
    pub sync_failed: bool,
    /// A shipment stopped moving (see [`crate::tracking::exceptions`]).
    #[serde(default = "on")]
    pub tracking_attention: bool,
}

fn on() -> bool {
    true
}

const KEYS: [&str; 4] = ["notify.shipment", "notify.auto_paused", "notify.sync_failed", "notify.tracking_attention"];

/// The merchant's choices (every kind on by default).
pub fn settings(db: &Db) -> Result<NotificationSettings> {
    let on = |key: &str| -> Result<bool> { Ok(db.setting(key)?.as_deref() != Some("0")) };
    Ok(NotificationSettings {
        shipment: on(KEYS[0])?,
        auto_paused: on(KEYS[1])?,
        sync_failed: on(KEYS[2])?,
        tracking_attention: on(KEYS[3])?,
    })
}

/// Saves the merchant's choices.
pub fn save_settings(db: &Db, s: NotificationSettings) -> Result<()> {
    for (key, on) in KEYS.iter().zip([s.shipment, s.auto_paused, s.sync_failed, s.tracking_attention]) {
        db.set_setting(key, if on { "1" } else { "0" })?;
    }
    Ok(())
}

/// One desktop notification: a title, a body, and the order to open when it is clicked (`None`
/// for a group: the Order page's Shipped tab).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Notice {
    pub title: String,
    pub body: String,
    #[ts(type = "number | null")]
    pub order_id: Option<i64>,
}

/// One notice per item up to [`GROUP_ABOVE`] (`each`), else one for all: `many` titled with the
/// number of orders, its body naming the first three ("#1, #2, #3 and 9 more").
fn one_each_or_grouped<T>(
    items: &[T],
    order_name: impl Fn(&T) -> &str,
    each: impl Fn(&T) -> Notice,
    many: impl Fn(usize) -> String,
    language: Language,
) -> Vec<Notice> {
    if items.len() <= GROUP_ABOVE {
        return items.iter().map(each).collect();
    }
    let mut orders: Vec<&str> = items.iter().map(order_name).collect();
    orders.dedup();
    let named: Vec<&str> = orders.iter().take(3).copied().collect();
    let more = orders.len().saturating_sub(named.len());
    let body = if more > 0 { Text::AndMore(&named.join(", "), more).render(language) } else { named.join(", ") };
    vec![Notice { title: many(orders.len()), body, order_id: None }]
}

/// The notifications for shipments that began to need attention in one poll, worded in
/// `language`: one each up to [`GROUP_ABOVE`], else one for all, naming the first few orders.
pub fn attention_notices_in(
    shipments: &[crate::tracking::exceptions::TrackingException],
    language: Language,
) -> Vec<Notice> {
    one_each_or_grouped(
        shipments,
        |s| s.order_name.as_str(),
        |s| Notice {
            title: Text::TrackingAttention(&s.order_name).render(language),
            body: Text::QuietDays(&s.tracking_number, s.quiet_days).render(language),
            order_id: Some(s.order_id),
        },
        |n| Text::TrackingAttentionMany(n).render(language),
        language,
    )
}

/// The notifications for shipments found in one poll: one each up to [`GROUP_ABOVE`], else one
/// for all ("12 orders shipped"), naming the first few orders.
pub fn shipment_notices(shipments: &[ShipmentNotice]) -> Vec<Notice> {
    shipment_notices_in(shipments, Language::English)
}

/// [`shipment_notices`], worded in `language` (the merchant's choice, [`crate::settings::locale`]).
pub fn shipment_notices_in(shipments: &[ShipmentNotice], language: Language) -> Vec<Notice> {
    one_each_or_grouped(
        shipments,
        |s| s.order_name.as_str(),
        |s| Notice {
            title: Text::OrderShipped(&s.order_name).render(language),
            body: format!("{} {}", s.company, s.tracking_number),
            order_id: Some(s.order_id),
        },
        |n| Text::OrdersShipped(n).render(language),
        language,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(n: i64) -> ShipmentNotice {
        ShipmentNotice {
            order_id: n,
            order_name: format!("#{n}"),
            tracking_number: format!("YT{n}"),
            company: "YunExpress".into(),
            url: String::new(),
        }
    }

    #[test]
    fn quiet_shipments_are_announced_each_then_grouped() {
        let quiet = |n: i64| crate::tracking::exceptions::TrackingException {
            shipment_id: n,
            order_id: n,
            order_name: format!("#{n}"),
            supplier_name: "CJ".into(),
            tracking_number: format!("YT{n}"),
            company: "YunExpress".into(),
            url: String::new(),
            flag: crate::tracking::exceptions::TrackingFlag::Attention,
            last_status: None,
            last_moved_at: chrono::Utc::now(),
            quiet_days: 8,
        };
        let two = attention_notices_in(&[quiet(1), quiet(2)], Language::English);
        assert_eq!(two.len(), 2);
        assert_eq!(two[0].title, "Order #1: tracking needs attention");
        assert_eq!(two[0].body, "YT1: no news for 8 days");
        let many: Vec<_> = (1..=5).map(quiet).collect();
        let grouped = attention_notices_in(&many, Language::English);
        assert_eq!(grouped.len(), 1);
        assert_eq!(grouped[0].title, "5 shipments need attention");
        assert_eq!(grouped[0].body, "#1, #2, #3 and 2 more");
    }

    #[test]
    fn a_few_shipments_are_told_one_by_one_and_many_are_grouped() {
        let three: Vec<_> = (1..=3).map(notice).collect();
        let each = shipment_notices(&three);
        assert_eq!(each.len(), 3);
        assert_eq!(
            (each[0].title.as_str(), each[0].body.as_str(), each[0].order_id),
            ("Order #1 shipped", "YunExpress YT1", Some(1))
        );
        let twelve: Vec<_> = (1..=12).map(notice).collect();
        let grouped = shipment_notices(&twelve);
        assert_eq!(grouped.len(), 1);
        assert_eq!(grouped[0].title, "12 orders shipped");
        assert_eq!(grouped[0].body, "#1, #2, #3 and 9 more");
        assert!(shipment_notices(&[]).is_empty());
        // In the merchant's language.
        assert_eq!(shipment_notices_in(&three, Language::Chinese)[0].title, "订单 #1 已发货");
        assert_eq!(shipment_notices_in(&twelve, Language::Chinese)[0].title, "12 个订单已发货");
    }

    #[test]
    fn each_kind_can_be_turned_off_and_stays_off() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open_dir(dir.path()).unwrap();
        assert_eq!(
            settings(&db).unwrap(),
            NotificationSettings { shipment: true, auto_paused: true, sync_failed: true, tracking_attention: true }
        );
        save_settings(
            &db,
            NotificationSettings { shipment: false, auto_paused: true, sync_failed: false, tracking_attention: false },
        )
        .unwrap();
        let reopened = Db::open_dir(dir.path()).unwrap();
        assert_eq!(
            settings(&reopened).unwrap(),
            NotificationSettings { shipment: false, auto_paused: true, sync_failed: false, tracking_attention: false }
        );
    }
}
