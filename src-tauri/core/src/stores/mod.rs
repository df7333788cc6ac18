//! Store connectors: where orders come from and where tracking goes back to.

pub mod connect;
pub mod csv_import;
pub mod etsy;
pub mod etsy_connect;
pub mod graphql_cost;
pub mod integrations;
pub mod page;
pub mod progress;
pub mod queries;
pub mod shopify;
pub mod sync;
pub mod woocommerce;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::model::Order;

/// Errors from any remote API, store or supplier.
#[derive(Debug, thiserror::Error)]
pub enum ConnectorError {
    /// 401/403 or an invalid-token reply: the merchant must reconnect the account.
    #[error("the {0} rejected the credentials: reconnect this account")]
    Auth(String),
    /// The remote could not be reached at all (refused, DNS, TLS).
    #[error("cannot reach {0}")]
    Network(String),
    /// No reply in time. For a write, the outcome is unknown (ambiguous).
    #[error("no reply in time from {0}")]
    Timeout(String),
    /// The connection broke after the request went out. For a write, the outcome is unknown.
    #[error("the connection to {0} broke before its reply")]
    ReplyLost(String),
    /// Still throttled after honouring the platform's own pacing for several attempts.
    #[error("{0} kept throttling the requests; try again later")]
    Throttled(String),
    /// HTTP 429 or 5xx from a REST API: worth retrying, after `retry_after` when the reply said
    /// (`Retry-After`, in seconds).
    #[error("{service} is busy (HTTP {status}); Dropdock tries again later")]
    Busy { service: String, status: u16, retry_after: Option<std::time::Duration> },
    /// The remote answered with an error: code (when it gives one) and its message.
    #[error("{service} error{}: {message}", code.map(|c| format!(" {c}")).unwrap_or_default())]
    Remote { service: String, code: Option<i64>, message: String },
    /// The reply was not what the API documents.
    #[error("unreadable reply from {service}: {detail}")]
    Malformed { service: String, detail: String },
}

impl ConnectorError {
    /// Classifies a transport failure of `reqwest`: a failed connect means nothing was sent
    /// (`Network`); any later failure may have reached the remote (`Timeout`, `ReplyLost`).
    pub fn from_transport(service: &str, e: &reqwest::Error) -> Self {
        if e.is_timeout() {
            ConnectorError::Timeout(service.to_owned())
        } else if e.is_connect() || e.is_builder() {
            ConnectorError::Network(format!("{service} ({})", e.without_url_text()))
        } else {
            ConnectorError::ReplyLost(format!("{service} ({})", e.without_url_text()))
        }
    }

    /// True when a write may or may not have happened at the remote.
    pub fn is_ambiguous(&self) -> bool {
        matches!(self, ConnectorError::Timeout(_) | ConnectorError::ReplyLost(_) | ConnectorError::Malformed { .. })
    }

    /// True when asking again may well succeed: 429 and 5xx, timeouts, replies cut short or
    /// unreadable. For reads only: a write that timed out is ambiguous, never simply resent.
    pub fn is_retryable(&self) -> bool {
        match self {
            ConnectorError::Busy { .. }
            | ConnectorError::Timeout(_)
            | ConnectorError::ReplyLost(_)
            | ConnectorError::Malformed { .. } => true,
            ConnectorError::Remote { code: Some(code), .. } => (500..=599).contains(code),
            _ => false,
        }
    }

    /// How long the remote asked to be left alone (`Retry-After` of a 429 or 5xx), if it said.
    pub fn asked_wait(&self) -> Option<std::time::Duration> {
        match self {
            ConnectorError::Busy { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// True when the remote could not be reached or did not answer: the network is the suspect,
    /// and the action is worth queuing until it is back.
    pub fn is_unreachable(&self) -> bool {
        matches!(self, ConnectorError::Network(_) | ConnectorError::Timeout(_) | ConnectorError::ReplyLost(_))
    }
}

trait WithoutUrl {
    fn without_url_text(&self) -> String;
}
impl WithoutUrl for reqwest::Error {
    fn without_url_text(&self) -> String {
        // The URL may carry a query with identifiers; the kind is what a person needs.
        if self.is_connect() {
            "connection refused or host unreachable".into()
        } else if self.is_decode() {
            "reply could not be decoded".into()
        } else {
            "request failed".into()
        }
    }
}

/// The lower bound of a sync: orders updated at or after `updated_since` (UTC).
#[derive(Debug, Clone, Copy)]
pub struct SyncWindow {
    pub updated_since: DateTime<Utc>,
}

/// An order the connector could not turn into an [`Order`], with the reason shown to the merchant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedOrder {
    /// What identifies it to a person: its name (`#1001`) if readable, else its remote id.
    pub reference: String,
    pub reason: String,
}

/// One page of a listing: each entry parsed on its own, so one bad order never spoils its page.
#[derive(Debug)]
pub struct OrdersPage {
    pub orders: Vec<Result<Order, RejectedOrder>>,
    /// `Some` when there is a next page.
    pub next_cursor: Option<String>,
}

/// A shipment to report to the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackingInfo {
    pub number: String,
    /// Shopify's exact tracking company name, or the carrier's own name when off Shopify's list
    /// (see [`crate::tracking::carriers`]); also the name shown to buyers by the other platforms.
    pub company: String,
    /// The tracking link (the carrier's page, or a template's).
    pub url: String,
    /// Etsy's `carrier_name` (`other` when off Etsy's list).
    pub etsy_carrier: String,
    /// The Shipment Tracking extension's predefined provider name; empty means a custom
    /// provider (the company and the link are sent instead).
    pub woo_provider: String,
    /// True when, with this shipment, every sub-order of the order has shipped: a platform that
    /// tracks the order rather than its items (WooCommerce without core fulfillments) completes it.
    pub completes_order: bool,
    /// The tracking number this one replaces (the supplier changed it): the store's fulfilment
    /// carrying the old number is updated instead of a second one being made.
    pub replaces: Option<String>,
}

/// A line item of the store's order with the quantity a shipment covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShippedLine {
    pub line_item_remote_id: String,
    pub quantity: i64,
}

/// Where a product stands at the store, normalised across platforms (Shopify `ProductStatus`
/// ACTIVE/DRAFT/ARCHIVED/UNLISTED; WooCommerce `publish`/`draft`/`pending`/`private`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ProductStatus {
    /// For sale.
    Active,
    /// Not published yet (Shopify DRAFT, WooCommerce `draft`/`pending`/`private`).
    Draft,
    /// No longer sold (Shopify ARCHIVED or UNLISTED).
    Archived,
    /// No longer listed by the store at all: the last complete catalogue sync did not see it.
    Removed,
}

impl ProductStatus {
    /// The stored name (`store_variant.status`).
    pub fn as_str(self) -> &'static str {
        match self {
            ProductStatus::Active => "active",
            ProductStatus::Draft => "draft",
            ProductStatus::Archived => "archived",
            ProductStatus::Removed => "removed",
        }
    }

    /// The stored name read back; an unknown one is `Active` (the CHECK allows no other).
    pub fn parse(name: &str) -> Self {
        match name {
            "draft" => ProductStatus::Draft,
            "archived" => ProductStatus::Archived,
            "removed" => ProductStatus::Removed,
            _ => ProductStatus::Active,
        }
    }
}

/// One variant of a catalogue product, as the store lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueVariant {
    /// The store's variant id (Shopify `ProductVariant.legacyResourceId`, WooCommerce variation
    /// `id`); '' for a product without variants (a WooCommerce simple product), which is how its
    /// line items name it (`variation_id` 0).
    pub variant_id: String,
    /// The variant's own title ("Black / M"); '' when the product has no variants.
    pub title: String,
    pub sku: Option<String>,
    /// The selling price, minor units of the store's currency; `None` when the store gives none
    /// (WooCommerce `price` ""), or a price Dropdock cannot read.
    pub price_minor: Option<i64>,
    pub image_url: Option<String>,
}

/// A product of the store's catalogue with its variants (at least one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueProduct {
    /// The store's product id (Shopify `Product.legacyResourceId`, WooCommerce product `id`):
    /// what line items carry as `store_product_id`.
    pub product_id: String,
    pub title: String,
    pub status: ProductStatus,
    pub image_url: Option<String>,
    /// The currency (ISO 4217) of its variants' prices: the shop's.
    pub currency: Option<String>,
    pub variants: Vec<CatalogueVariant>,
}

/// One page of the catalogue: each product read on its own, like an orders page.
#[derive(Debug)]
pub struct ProductsPage {
    pub products: Vec<Result<CatalogueProduct, RejectedOrder>>,
    /// `Some` when there is a next page.
    pub next_cursor: Option<String>,
}

/// A store platform: Shopify, WooCommerce, Etsy...
#[async_trait]
pub trait StoreConnector: Send + Sync {
    /// One page of the store's product catalogue, products in the store's own order; `cursor`
    /// is the `next_cursor` of the previous page. `Ok(None)`: this platform's catalogue is not
    /// read, and Dropdock lists the products its orders' line items name instead (every store
    /// platform reads its catalogue today; CSV stores have no connector and always list lines).
    async fn products_page(&self, cursor: Option<&str>) -> Result<Option<ProductsPage>, ConnectorError> {
        let _ = cursor;
        Ok(None)
    }

    /// One page of orders updated within `window`, oldest update first. `cursor` is the
    /// `next_cursor` of the previous page.
    async fn orders_page(&self, window: &SyncWindow, cursor: Option<&str>) -> Result<OrdersPage, ConnectorError>;

    /// Checks the URL and the credentials with the cheapest authenticated read ("Test
    /// connection" in Store → Integrations).
    async fn verify(&self) -> Result<(), ConnectorError>;

    /// Marks `lines` of the order shipped with `tracking` and returns the store's fulfilment id.
    async fn push_tracking(
        &self,
        order_remote_id: &str,
        lines: &[ShippedLine],
        tracking: &TrackingInfo,
    ) -> Result<String, ConnectorError>;
}

/// Reads one page, retrying what is worth retrying (see [`ConnectorError::is_retryable`]) up to
/// `policy.attempts` times in all, with exponential backoff from `policy.first_delay` (jittered)
/// that gives way to the server's `Retry-After` when it sent one, unless that is longer than
/// `policy.max_server_wait`: such a reply ends the read at once (the run reports the wait). The
/// retry loop is `backon`'s; the caller bounds the whole read in time.
pub async fn orders_page_with_retry(
    connector: &dyn StoreConnector,
    window: &SyncWindow,
    cursor: Option<&str>,
    policy: &crate::stores::sync::RetryPolicy,
) -> Result<OrdersPage, ConnectorError> {
    read_with_retry(policy, || connector.orders_page(window, cursor)).await
}

/// One page read within `policy.page_bound`, retries included ([`read_with_retry`]): past it the
/// read is a `Timeout` naming `store_name` (a server trickling its reply cannot hold a run).
pub async fn read_page_bounded<T, F, Fut>(
    policy: &crate::stores::sync::RetryPolicy,
    store_name: &str,
    read: F,
) -> Result<T, ConnectorError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, ConnectorError>>,
{
    tokio::time::timeout(policy.page_bound, read_with_retry(policy, read)).await.unwrap_or_else(|_| {
        Err(ConnectorError::Timeout(format!("{store_name} within {} s, retries included", policy.page_bound.as_secs())))
    })
}

/// Any one read (a page of orders or of products) under [`orders_page_with_retry`]'s policy.
pub async fn read_with_retry<T, F, Fut>(policy: &crate::stores::sync::RetryPolicy, read: F) -> Result<T, ConnectorError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, ConnectorError>>,
{
    use backon::Retryable;
    let backoff = backon::ExponentialBuilder::default()
        .with_min_delay(policy.first_delay)
        .with_max_delay(policy.first_delay * 16)
        .with_jitter()
        .with_max_times(policy.attempts.saturating_sub(1));
    let too_long = |e: &ConnectorError| e.asked_wait().is_some_and(|w| w > policy.max_server_wait);
    read.retry(backoff)
        .when(|e| e.is_retryable() && !too_long(e))
        .adjust(|e, delay| match e {
            ConnectorError::Busy { retry_after: Some(after), .. } => delay.map(|_| *after),
            _ => delay,
        })
        .notify(|e, delay| tracing::info!(error = %e, ?delay, "page read failed; retrying"))
        .await
}
