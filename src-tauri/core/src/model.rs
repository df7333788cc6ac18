//! The domain as it comes from a store, before it is stored: what a connector returns.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A shipping address. Free-text fields are kept as the store sent them (trimmed), never
/// interpreted; `country_code` is an assigned ISO 3166-1 alpha-2 code, checked on parse.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Address {
    pub name: Option<String>,
    pub address1: String,
    pub address2: Option<String>,
    pub city: Option<String>,
    pub province: Option<String>,
    pub zip: Option<String>,
    pub country_code: String,
    pub phone: Option<String>,
}

/// One line of an order, as sold by the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineItem {
    /// The store's id of the line item (Shopify `LineItem.id` gid).
    pub remote_id: String,
    /// The SKU; `None` when the store has none (Shopify allows it).
    pub sku: Option<String>,
    pub title: String,
    pub quantity: i64,
    /// Unit price in minor units of the order's currency.
    pub unit_price_minor: i64,
    /// False for digital goods and services: nothing for a supplier to ship.
    pub requires_shipping: bool,
    /// The store's product reference when it has one beside the SKU, e.g. WooCommerce
    /// `woo:variation:123` (line items there may have an empty SKU). Left out of the content hash
    /// when absent, so orders stored before it existed keep their hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_ref: Option<String>,
    /// The store's id of the product sold (Shopify `Product.legacyResourceId`, WooCommerce
    /// `product_id`, Etsy `listing_id`); `None` for custom line items. Left out of the content
    /// hash when absent, like `product_ref`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_product_id: Option<String>,
    /// The store's id of the variant sold (Shopify `ProductVariant.legacyResourceId`,
    /// WooCommerce `variation_id`, Etsy `product_id`); `None` when the product has no variants
    /// or the line is custom.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_variant_id: Option<String>,
}

/// The most units of one line item Dropdock stores; past it the order is refused with the
/// reason (hostile or broken input), so quantities and their sums stay far inside `i64`.
pub const MAX_QUANTITY: i64 = 100_000;

/// A line item's quantity, read from `value` (a JSON number): a whole number from 1 to
/// [`MAX_QUANTITY`], else the reason, naming `field`.
pub fn check_quantity(value: &serde_json::Value, field: &str) -> Result<i64, String> {
    match value.as_i64() {
        Some(q) if (1..=MAX_QUANTITY).contains(&q) => Ok(q),
        Some(q) if q > MAX_QUANTITY => Err(format!("{field} has a quantity of {q}, over the limit of {MAX_QUANTITY}")),
        _ if value.is_u64() || value.is_f64() => {
            Err(format!("{field} has a quantity of {value}, not a whole number from 1 to {MAX_QUANTITY}"))
        }
        _ => Err(format!("{field} has no positive quantity")),
    }
}

fn is_zero(v: &i64) -> bool {
    *v == 0
}

/// An order as a store connector returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    /// The store's id (Shopify `Order.id` gid, WooCommerce numeric id...).
    pub remote_id: String,
    /// The merchant-facing number, e.g. `#1001`.
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The store's payment state, upper case (Shopify `displayFinancialStatus`: `PAID`, `PENDING`...).
    pub financial_status: String,
    /// The store's fulfilment state, upper case (Shopify `displayFulfillmentStatus`).
    pub fulfillment_status: String,
    pub email: Option<String>,
    pub customer_name: Option<String>,
    /// Order total in minor units of `currency`.
    pub total_minor: i64,
    /// What the store refunded the buyer, minor units of `currency` (Shopify `totalRefundedSet`,
    /// WooCommerce `refunds[].total`); 0 when none or not read. Left out of the content hash
    /// when 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub refunded_minor: i64,
    /// ISO 4217 code.
    pub currency: String,
    /// `None` for orders with nothing to ship (digital goods, local pickup).
    pub shipping_address: Option<Address>,
    pub line_items: Vec<LineItem>,
    /// When the store cancelled the order (UTC): such an order is never sent to a supplier,
    /// even if its payment state still reads paid. Left out of the content hash when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled_at: Option<DateTime<Utc>>,
    /// The store's fraud analysis, where it gives one (Shopify's `Order.risk`). Left out of the
    /// content hash when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk: Option<OrderRisk>,
}

/// Shopify's `OrderRiskSummary` as sent: its `recommendation` (`OrderRiskRecommendationResult`:
/// ACCEPT, CANCEL, INVESTIGATE, NONE) and the highest `riskLevel` among its `assessments`
/// (`RiskAssessmentResult`: HIGH, MEDIUM, LOW, NONE, PENDING; `None` with no assessment).
/// Source: shopify.dev GraphQL Admin `OrderRiskSummary`, `OrderRiskAssessment`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRisk {
    pub recommendation: String,
    pub level: Option<String>,
}

impl OrderRisk {
    /// HIGH risk, or a CANCEL recommendation: not sent until the merchant releases the order.
    pub fn holds(&self) -> bool {
        self.recommendation.eq_ignore_ascii_case("CANCEL")
            || self.level.as_deref().is_some_and(|l| l.eq_ignore_ascii_case("HIGH"))
    }
}

impl Order {
    /// True when the store considers the order paid, i.e. ready to be fulfilled.
    pub fn is_paid(&self) -> bool {
        is_paid_status(&self.financial_status)
    }
}

/// Shopify `OrderDisplayFinancialStatus` values that mean the buyer has paid.
pub fn is_paid_status(financial_status: &str) -> bool {
    matches!(financial_status, "PAID" | "PARTIALLY_REFUNDED")
}

/// Dropdock's own status of an order: the tabs of the Order page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OrderStatus {
    /// Not paid yet at the store: nothing can be sent to a supplier.
    AwaitingPayment,
    /// Paid, nothing sent to a supplier yet.
    ToOrder,
    /// At least one sub-order is with a supplier and not everything has shipped.
    Processing,
    /// Every sub-order shipped; tracking not yet accepted by the store.
    Shipped,
    /// The store accepted the tracking of some sub-orders, not all yet (a multi-supplier order
    /// whose suppliers ship at different times).
    PartiallyFulfilled,
    /// The store shows the order fulfilled.
    Fulfilled,
    /// Fulfilled, and every sub-order's parcel delivered (the supplier's `DELIVERED`).
    Delivered,
    /// A sub-order was refused by the supplier: the merchant must act.
    Failed,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 8] = [
        OrderStatus::AwaitingPayment,
        OrderStatus::ToOrder,
        OrderStatus::Processing,
        OrderStatus::Shipped,
        OrderStatus::PartiallyFulfilled,
        OrderStatus::Fulfilled,
        OrderStatus::Delivered,
        OrderStatus::Failed,
    ];

    /// The stored and CLI spelling, e.g. `to_order`.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::AwaitingPayment => "awaiting_payment",
            OrderStatus::ToOrder => "to_order",
            OrderStatus::Processing => "processing",
            OrderStatus::Shipped => "shipped",
            OrderStatus::PartiallyFulfilled => "partially_fulfilled",
            OrderStatus::Fulfilled => "fulfilled",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Failed => "failed",
        }
    }

    /// The tab label, e.g. `To order`.
    pub fn label(self) -> &'static str {
        match self {
            OrderStatus::AwaitingPayment => "Awaiting payment",
            OrderStatus::ToOrder => "To order",
            OrderStatus::Processing => "Processing",
            OrderStatus::Shipped => "Shipped",
            OrderStatus::PartiallyFulfilled => "Partially fulfilled",
            OrderStatus::Fulfilled => "Fulfilled",
            OrderStatus::Delivered => "Delivered",
            OrderStatus::Failed => "Failed",
        }
    }

    /// Parses the stored spelling; also accepts the label in any case (`"To order"`).
    pub fn parse(s: &str) -> Option<Self> {
        let norm = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        Self::ALL.into_iter().find(|st| st.as_str() == norm)
    }
}

/// The sync window of the seed's Sync Order dialog: 7, 14, 30 or 60 days back from now.
/// 60 is the ceiling because Shopify serves only the last 60 days without `read_all_orders`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncWindowDays(u32);

impl SyncWindowDays {
    pub const ALLOWED: [u32; 4] = [7, 14, 30, 60];

    /// Errors with a message naming the allowed values.
    pub fn new(days: u32) -> Result<Self, crate::CoreError> {
        if Self::ALLOWED.contains(&days) {
            Ok(Self(days))
        } else {
            Err(crate::CoreError::InvalidInput(format!("sync window must be 7, 14, 30 or 60 days, not {days}")))
        }
    }

    pub fn days(self) -> u32 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_parses_both_spellings() {
        assert_eq!(OrderStatus::parse("to_order"), Some(OrderStatus::ToOrder));
        assert_eq!(OrderStatus::parse("Awaiting payment"), Some(OrderStatus::AwaitingPayment));
        assert_eq!(OrderStatus::parse("shipping"), None);
    }

    #[test]
    fn sync_window_accepts_only_the_seed_values() {
        assert!(SyncWindowDays::new(30).is_ok());
        let err = SyncWindowDays::new(31).unwrap_err();
        assert!(err.to_string().contains("7, 14, 30 or 60"));
    }
}
