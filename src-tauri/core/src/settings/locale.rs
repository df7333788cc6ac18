//! The merchant's language for what the desktop shows outside the web view: the tray menu and
//! desktop notifications. The UI words everything else itself (i18next, en/zh/es); it tells the
//! core its choice (`setting` key `ui.language`) so these follow it.
//!
//! A small fixed catalogue of sentences with their values, one `match` per language: the texts
//! are few and each needs its own word order (Chinese puts the count first), which a format
//! string per language gives without a message-format library.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::db::Db;
use crate::error::Result;

/// The `setting` key of the chosen language.
const KEY: &str = "ui.language";

/// A language the app is translated into.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum Language {
    #[default]
    #[serde(rename = "en")]
    English,
    #[serde(rename = "zh-CN")]
    Chinese,
    #[serde(rename = "es")]
    Spanish,
}

impl Language {
    /// From the UI's code (`en`, `zh-CN`, `es`; a region or case variant is accepted, e.g.
    /// `zh`, `es-MX`); `None` for a language the app does not have.
    pub fn from_code(code: &str) -> Option<Language> {
        let code = code.trim().to_ascii_lowercase();
        match code.split(['-', '_']).next().unwrap_or("") {
            "en" => Some(Language::English),
            "zh" => Some(Language::Chinese),
            "es" => Some(Language::Spanish),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Chinese => "zh-CN",
            Language::Spanish => "es",
        }
    }
}

/// The chosen language (English until the UI says otherwise).
pub fn language(db: &Db) -> Result<Language> {
    Ok(db.setting(KEY)?.as_deref().and_then(Language::from_code).unwrap_or_default())
}

/// Keeps the UI's choice. Errors: a language the app does not have.
pub fn set_language(db: &Db, code: &str) -> Result<Language> {
    let language = Language::from_code(code)
        .ok_or_else(|| crate::CoreError::InvalidInput(format!("Dropdock is not translated into {code:?}")))?;
    // The UI says it at every start: an unchanged choice writes nothing (and announces nothing).
    if db.setting(KEY)?.as_deref() != Some(language.code()) {
        db.set_setting(KEY, language.code())?;
    }
    Ok(language)
}

/// A sentence the desktop shows outside the web view, with its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text<'a> {
    TrayToOrder(&'a str),
    TrayProcessing(&'a str),
    TrayShippedToday(&'a str),
    TrayOpen,
    TraySyncNow,
    TrayPauseAuto,
    TrayResumeAuto,
    TrayQuit,
    /// "Order #1001 shipped".
    OrderShipped(&'a str),
    /// "12 orders shipped".
    OrdersShipped(usize),
    /// "#1, #2, #3 and 9 more".
    AndMore(&'a str, usize),
    /// A shipment of this order stopped moving.
    TrackingAttention(&'a str),
    /// Several shipments stopped moving.
    TrackingAttentionMany(usize),
    /// A tracking number and its days without news.
    QuietDays(&'a str, i64),
    /// The store cancelled this order after it was sent.
    CancelledAfterSending(&'a str),
    /// A supplier answered a refund or replacement request about this order.
    DisputeAnswered(&'a str),
    AutoPaused,
    AutoResumed,
    AutoResumedBody,
    /// "3 order(s) sent to their suppliers."
    AutoSent(usize),
    PausedFromTray,
    ResumedFromTray,
    AutoNotResumed,
    SyncFailing,
    /// "Shop: sync failed".
    StoreSyncFailed(&'a str),
    BackOnline,
    /// "2 queued order(s) sent to their suppliers."
    QueueSent(usize),
    /// " 1 could not go: see the Order page."
    QueueSkipped(usize),
}

impl Text<'_> {
    /// The sentence in `language`.
    pub fn render(&self, language: Language) -> String {
        use Language::*;
        use Text::*;
        match (self, language) {
            (TrayToOrder(n), English) => format!("To order: {n}"),
            (TrayToOrder(n), Chinese) => format!("待下单：{n}"),
            (TrayToOrder(n), Spanish) => format!("Por pedir: {n}"),
            (TrayProcessing(n), English) => format!("Processing: {n}"),
            (TrayProcessing(n), Chinese) => format!("处理中：{n}"),
            (TrayProcessing(n), Spanish) => format!("En proceso: {n}"),
            (TrayShippedToday(n), English) => format!("Shipped today: {n}"),
            (TrayShippedToday(n), Chinese) => format!("今日发货：{n}"),
            (TrayShippedToday(n), Spanish) => format!("Enviados hoy: {n}"),
            (TrayOpen, English) => "Open Dropdock".into(),
            (TrayOpen, Chinese) => "打开 Dropdock".into(),
            (TrayOpen, Spanish) => "Abrir Dropdock".into(),
            (TraySyncNow, English) => "Sync now".into(),
            (TraySyncNow, Chinese) => "立即同步".into(),
            (TraySyncNow, Spanish) => "Sincronizar ahora".into(),
            (TrayPauseAuto, English) => "Pause Auto Fulfillment".into(),
            (TrayPauseAuto, Chinese) => "暂停自动履约".into(),
            (TrayPauseAuto, Spanish) => "Pausar el cumplimiento automático".into(),
            (TrayResumeAuto, English) => "Resume Auto Fulfillment".into(),
            (TrayResumeAuto, Chinese) => "恢复自动履约".into(),
            (TrayResumeAuto, Spanish) => "Reanudar el cumplimiento automático".into(),
            (TrayQuit, English) => "Quit".into(),
            (TrayQuit, Chinese) => "退出".into(),
            (TrayQuit, Spanish) => "Salir".into(),
            (OrderShipped(name), English) => format!("Order {name} shipped"),
            (OrderShipped(name), Chinese) => format!("订单 {name} 已发货"),
            (OrderShipped(name), Spanish) => format!("Pedido {name} enviado"),
            (OrdersShipped(n), English) => format!("{n} orders shipped"),
            (OrdersShipped(n), Chinese) => format!("{n} 个订单已发货"),
            (OrdersShipped(n), Spanish) => format!("{n} pedidos enviados"),
            (TrackingAttention(name), English) => format!("Order {name}: tracking needs attention"),
            (TrackingAttention(name), Chinese) => format!("订单 {name}：物流需要关注"),
            (TrackingAttention(name), Spanish) => format!("Pedido {name}: el seguimiento requiere atención"),
            (TrackingAttentionMany(n), English) => format!("{n} shipments need attention"),
            (TrackingAttentionMany(n), Chinese) => format!("{n} 个包裹需要关注"),
            (TrackingAttentionMany(n), Spanish) => format!("{n} envíos requieren atención"),
            (CancelledAfterSending(name), English) => format!("Order {name} was cancelled in the store after sending"),
            (CancelledAfterSending(name), Chinese) => format!("订单 {name} 发出后在店铺中被取消"),
            (CancelledAfterSending(name), Spanish) => {
                format!("El pedido {name} se canceló en la tienda después de enviarlo")
            }
            (DisputeAnswered(name), English) => format!("Order {name}: the supplier answered your request"),
            (DisputeAnswered(name), Chinese) => format!("订单 {name}：供应商已回复您的售后申请"),
            (DisputeAnswered(name), Spanish) => format!("Pedido {name}: el proveedor respondió a su solicitud"),
            (QuietDays(number, days), English) => format!("{number}: no news for {days} days"),
            (QuietDays(number, days), Chinese) => format!("{number}：{days} 天无更新"),
            (QuietDays(number, days), Spanish) => format!("{number}: sin novedades desde hace {days} días"),
            (AndMore(names, more), English) => format!("{names} and {more} more"),
            (AndMore(names, more), Chinese) => format!("{names} 等另外 {more} 个"),
            (AndMore(names, more), Spanish) => format!("{names} y {more} más"),
            (AutoPaused, English) => "Auto Fulfillment paused".into(),
            (AutoPaused, Chinese) => "自动履约已暂停".into(),
            (AutoPaused, Spanish) => "Cumplimiento automático en pausa".into(),
            (AutoResumed, English) => "Auto Fulfillment resumed".into(),
            (AutoResumed, Chinese) => "自动履约已恢复".into(),
            (AutoResumed, Spanish) => "Cumplimiento automático reanudado".into(),
            (AutoResumedBody, English) => "My Wallet is back above the threshold.".into(),
            (AutoResumedBody, Chinese) => "我的钱包余额已回到阈值以上。".into(),
            (AutoResumedBody, Spanish) => "Mi billetera vuelve a superar el umbral.".into(),
            (AutoSent(n), English) => format!("{n} order(s) sent to their suppliers."),
            (AutoSent(n), Chinese) => format!("已将 {n} 个订单发给供应商。"),
            (AutoSent(n), Spanish) => format!("{n} pedido(s) enviado(s) a sus proveedores."),
            (PausedFromTray, English) => "Paused from the tray.".into(),
            (PausedFromTray, Chinese) => "已从托盘暂停。".into(),
            (PausedFromTray, Spanish) => "En pausa desde la bandeja.".into(),
            (ResumedFromTray, English) => "Resumed from the tray.".into(),
            (ResumedFromTray, Chinese) => "已从托盘恢复。".into(),
            (ResumedFromTray, Spanish) => "Reanudado desde la bandeja.".into(),
            (AutoNotResumed, English) => "Auto Fulfillment was not resumed".into(),
            (AutoNotResumed, Chinese) => "自动履约未能恢复".into(),
            (AutoNotResumed, Spanish) => "El cumplimiento automático no se reanudó".into(),
            (SyncFailing, English) => "Store sync failing".into(),
            (SyncFailing, Chinese) => "店铺同步失败".into(),
            (SyncFailing, Spanish) => "Falla la sincronización de la tienda".into(),
            (StoreSyncFailed(store), English) => format!("{store}: sync failed"),
            (StoreSyncFailed(store), Chinese) => format!("{store}：同步失败"),
            (StoreSyncFailed(store), Spanish) => format!("{store}: falló la sincronización"),
            (BackOnline, English) => "Back online".into(),
            (BackOnline, Chinese) => "已恢复联网".into(),
            (BackOnline, Spanish) => "Conexión restablecida".into(),
            (QueueSent(n), English) => format!("{n} queued order(s) sent to their suppliers."),
            (QueueSent(n), Chinese) => format!("已将排队的 {n} 个订单发给供应商。"),
            (QueueSent(n), Spanish) => format!("{n} pedido(s) en cola enviado(s) a sus proveedores."),
            (QueueSkipped(n), English) => format!(" {n} could not go: see the Order page."),
            (QueueSkipped(n), Chinese) => format!(" {n} 个无法发出：请查看订单页面。"),
            (QueueSkipped(n), Spanish) => format!(" {n} no pudieron salir: vea la página de pedidos."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_choice_is_kept_and_worded() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open_dir(dir.path()).unwrap();
        assert_eq!(language(&db).unwrap(), Language::English);
        assert_eq!(set_language(&db, "zh-CN").unwrap(), Language::Chinese);
        assert_eq!(language(&db).unwrap(), Language::Chinese);
        assert_eq!(Text::OrderShipped("#1001").render(language(&db).unwrap()), "订单 #1001 已发货");
        assert_eq!(Text::OrdersShipped(12).render(Language::Spanish), "12 pedidos enviados");
        assert!(set_language(&db, "fr").is_err());
        assert_eq!(language(&db).unwrap(), Language::Chinese, "a refused choice changes nothing");
        assert_eq!(Language::from_code("es-MX"), Some(Language::Spanish));
    }
}
