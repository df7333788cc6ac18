//! Supplier platforms: where sub-orders are sent, paid, and shipped from.
//!
//! Every platform is a [`SupplierConnector`]: the rest of the core (Ship order, Auto
//! Fulfillment, tracking, cancellation, My Wallet, "Find at suppliers") speaks only the neutral
//! types below (minor units, ISO country codes, a neutral [`SupplierOrderStatus`]), and each
//! connector keeps its platform's strings and codes inside itself. What a platform cannot do
//! (no balance, no card API) is in its [`Capabilities`], so callers give a clear reason instead
//! of calling. Platforms: CJdropshipping ([`cj`]) and Printful ([`printful`]).

pub mod cj;
pub mod printful;
pub mod queries;

pub use cj::CjClient;
pub use printful::PrintfulClient;

use std::sync::Arc;

use async_trait::async_trait;
use chrono::Utc;
use serde::Serialize;

use crate::context::Ctx;
use crate::error::{CoreError, Result};
use crate::orders::views::{self, SupplierView};

/// A supplier platform, as stored in `supplier.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupplierPlatform {
    /// CJdropshipping, API 2.0 (`cj`).
    Cj,
    /// Printful, API v2 (`printful`).
    Printful,
}

impl SupplierPlatform {
    /// Every platform Dropdock connects to.
    pub const ALL: [SupplierPlatform; 2] = [SupplierPlatform::Cj, SupplierPlatform::Printful];

    /// The stored name (`supplier.kind`).
    pub fn kind(self) -> &'static str {
        match self {
            SupplierPlatform::Cj => "cj",
            SupplierPlatform::Printful => "printful",
        }
    }

    /// The platform's name, as merchants know it.
    pub fn name(self) -> &'static str {
        match self {
            SupplierPlatform::Cj => "CJdropshipping",
            SupplierPlatform::Printful => "Printful",
        }
    }

    /// What the platform can do, from its documents. CJdropshipping: a balance (`getBalance`,
    /// `payBalance`), no card API (cards only on its own payment page), `payType` 2 pays on
    /// create, and `deleteOrder` refuses once CJ processes an order. Printful: no balance (the
    /// billing method on Printful pays), no card API, created as a draft and paid by confirming
    /// it, and no cancel once confirmed (`deleteOrder` refuses).
    pub const fn capabilities(self) -> Capabilities {
        match self {
            SupplierPlatform::Cj => Capabilities {
                balance: true,
                card: false,
                pay_on_create: true,
                cancel_after_payment: false,
                phone_required: true,
                latin_labels: true,
                disputes: true,
            },
            SupplierPlatform::Printful => Capabilities {
                balance: false,
                card: false,
                pay_on_create: false,
                cancel_after_payment: false,
                phone_required: false,
                latin_labels: false,
                disputes: false,
            },
        }
    }

    /// Where a merchant files a refund or replacement request by hand, on a platform with no
    /// dispute API (Printful: its dashboard's order page, "Report a problem", within 30 days of
    /// delivery, or of the estimated delivery for a lost parcel). `None` where the API takes it.
    pub const fn dispute_instructions(self) -> Option<&'static str> {
        match self {
            SupplierPlatform::Cj => None,
            SupplierPlatform::Printful => Some(
                "Printful takes problem reports on its dashboard: https://www.printful.com/dashboard/default/orders → the order → Report a problem (within 30 days; attach the photos)",
            ),
        }
    }

    /// The stored kinds of the platforms with a balance, as an SQL list: `('cj')`.
    pub fn balance_kinds_sql() -> &'static str {
        static KINDS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            let kinds: Vec<String> = SupplierPlatform::ALL
                .into_iter()
                .filter(|p| p.capabilities().balance)
                .map(|p| format!("'{}'", p.kind()))
                .collect();
            format!("({})", kinds.join(", "))
        });
        &KINDS
    }

    /// The platform of a stored `kind`. Errors: a kind this version does not know (a database
    /// written by a newer Dropdock): `InvalidInput`, never a guess.
    pub fn parse(kind: &str) -> Result<SupplierPlatform> {
        SupplierPlatform::ALL
            .into_iter()
            .find(|p| p.kind() == kind)
            .ok_or_else(|| CoreError::InvalidInput(format!("supplier platform '{kind}' is not known to this version")))
    }
}

/// What a platform can do, so callers give a reason instead of calling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Capabilities {
    /// The account holds a balance Dropdock can read and pay from (My Wallet).
    pub balance: bool,
    /// The platform documents an API to charge a card on file.
    pub card: bool,
    /// An order can be created and paid from the balance in one call (else: created, then paid
    /// or confirmed in a second call).
    pub pay_on_create: bool,
    /// An order can still be cancelled through the API after it was paid.
    pub cancel_after_payment: bool,
    /// The order must carry the recipient's phone (CJ's `createOrderV2` table marks
    /// `shippingPhone` required; Printful's `recipient.phone` is optional).
    pub phone_required: bool,
    /// Labels are printed in Latin letters: names with marks are transliterated before sending,
    /// other scripts warned of (see `fulfillment::address_check`). CJ ships from its warehouses
    /// on postal and express lines that print Latin labels; Printful takes UTF-8 as given.
    pub latin_labels: bool,
    /// Refund and replacement requests go through the API (CJ's Dispute calls); else they are
    /// recorded locally and filed by the merchant ([`SupplierPlatform::dispute_instructions`]).
    pub disputes: bool,
}

/// A shipping line a supplier offers for a destination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ShippingLine {
    /// The platform's name of the line (e.g. CJ's `logisticName` `CJPacket Ordinary`); sent back
    /// as-is when the order is created.
    pub name: String,
    /// Postage for the parcel, minor units of the platform's currency.
    pub price_minor: i64,
    /// Delivery time in days as the platform gives it, e.g. `"7-12"`.
    pub aging: String,
}

impl ShippingLine {
    /// The slowest delivery day of the aging range, for "fastest line" comparisons.
    pub fn max_days(&self) -> u32 {
        self.aging.rsplit('-').next().and_then(|d| d.trim().parse().ok()).unwrap_or(u32::MAX)
    }
}

/// Who carries a parcel, as the platform's tracking lookup says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackInfo {
    /// The carrier that delivers (the last-mile carrier when the platform names one).
    pub carrier: Option<String>,
    /// The platform's tracking status text.
    pub status: Option<String>,
}

/// A supplier variant found by SKU, for mapping a store SKU to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct SupplierVariant {
    /// The platform's variant id, sent when an order is created (CJ's `vid`).
    pub vid: String,
    /// The platform's product id (CJ's `pid`).
    pub pid: String,
    /// The platform's SKU of the variant.
    pub variant_sku: String,
    pub name: String,
    /// The price to the merchant, minor units (US cents).
    #[ts(type = "number")]
    pub price_minor: i64,
}

/// A supplier variant as a search shows it: what it costs, how many are in stock and where
/// they ship from. Stock and warehouses are `None`/empty when the platform did not say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct SearchedVariant {
    pub variant: SupplierVariant,
    /// Units in stock over every warehouse.
    #[ts(type = "number | null")]
    pub stock: Option<i64>,
    /// The countries (ISO 3166-1 alpha-2) of the warehouses holding stock.
    pub ships_from: Vec<String>,
}

/// A supplier variant as the platform shows it just before sending: whether it still sells it,
/// how many are in stock, and its price now. `None` fields: the platform did not say (not
/// checked; the supplier remains the judge when the order is created).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VariantCheck {
    /// False when the platform no longer knows the variant (discontinued).
    pub found: bool,
    /// Units in stock over every warehouse.
    pub stock: Option<i64>,
    /// The price to the merchant now, minor units (US cents).
    pub price_minor: Option<i64>,
}

/// A card tokenized by the supplier's payment endpoint: the token to charge it by, and what may
/// be shown of it.
#[derive(Clone, PartialEq, Eq)]
pub struct CardToken {
    pub token: String,
    pub brand: String,
    pub last4: String,
}

impl std::fmt::Debug for CardToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardToken").field("brand", &self.brand).field("last4", &self.last4).finish_non_exhaustive()
    }
}

/// The supplier's answer to a cancellation request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CancelAnswer {
    /// The order is cancelled at the supplier.
    Cancelled,
    /// The supplier refused, with its reason (e.g. the order has shipped).
    Refused(String),
}

/// An order's state at its supplier, in neutral terms. A state a platform adds later is
/// `Other` with its spelling, and counts as neither paid nor payable (fail safe: looked at,
/// never assumed paid).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SupplierOrderStatus {
    /// Created (a draft, in a cart), waiting for its payment or confirmation.
    AwaitingPayment,
    /// Paid or confirmed, not shipped yet.
    Paid,
    Shipped,
    Delivered,
    Cancelled,
    Other(String),
}

impl SupplierOrderStatus {
    /// Paid at the supplier: `Paid`, `Shipped`, `Delivered`.
    pub fn is_paid(&self) -> bool {
        matches!(self, Self::Paid | Self::Shipped | Self::Delivered)
    }

    /// Created and waiting for its payment.
    pub fn awaits_payment(&self) -> bool {
        matches!(self, Self::AwaitingPayment)
    }
}

/// An order as its supplier shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplierOrder {
    /// The platform's order id.
    pub supplier_order_id: String,
    /// Our idempotency key, as the platform keeps it (CJ's `orderNum`, Printful's
    /// `external_id`); empty when the reply leaves it out.
    pub key: String,
    pub status: SupplierOrderStatus,
    /// The platform's own spelling of the status, for messages.
    pub platform_status: String,
    /// `None` until the supplier has a tracking number.
    pub track_number: Option<String>,
    /// The carrier or shipping line the parcel went with.
    pub carrier: Option<String>,
    /// What the supplier charges (products + postage), minor units; `None` when unknown.
    pub amount_minor: Option<i64>,
    /// The postage part, when the supplier says.
    pub shipping_minor: Option<i64>,
}

/// What a create call answered. A platform's reply may leave any of it out: `None` is "not in
/// the reply", to be read back with [`SupplierConnector::order_detail`] by our key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedOrder {
    pub supplier_order_id: Option<String>,
    /// What the supplier charges (products + postage), minor units.
    pub amount_minor: Option<i64>,
    /// The postage part.
    pub shipping_minor: Option<i64>,
    pub status: Option<SupplierOrderStatus>,
}

/// A supplier variant and how many of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplierItem {
    pub variant_id: String,
    pub quantity: i64,
}

/// A line of a supplier order that a refund or replacement request may name, as the platform
/// offers it (CJ's `disputeProducts` / `disputeConfirmInfo` `productInfoList`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisputeLine {
    /// The platform's reference of the line (CJ's `lineItemId`), sent back with the request.
    pub line_ref: String,
    /// The supplier variant (CJ's `cjVariantId`).
    pub vid: String,
    /// How many units the request names (at most what the platform allows).
    pub quantity: i64,
    /// The unit price, minor units (US cents).
    pub price_minor: i64,
}

/// What the platform allows for a request about some lines: its reasons (its own ids and
/// names), whether a refund and a resend may be asked for, and the most it refunds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisputeQuote {
    /// The lines the request names, with the platform's references and prices.
    pub lines: Vec<DisputeLine>,
    /// `(platform reason id, reason name)` as offered.
    pub reasons: Vec<(i64, String)>,
    pub refund: bool,
    pub resend: bool,
    /// The most the platform refunds for these lines (CJ's `maxAmount`), minor units.
    pub max_amount_minor: Option<i64>,
}

/// A refund or replacement request to create at the platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDispute {
    /// Our id for it (CJ's `businessDisputeId`, unique at CJ).
    pub key: String,
    pub supplier_order_id: String,
    pub reason_id: i64,
    /// True for a resend, false for a refund.
    pub resend: bool,
    /// At most 500 characters (CJ's `messageText`).
    pub message: String,
    /// Photo URLs (CJ's `imageUrl`, each at most 200 characters).
    pub photos: Vec<String>,
    pub lines: Vec<DisputeLine>,
}

/// How the supplier settled a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisputeOutcome {
    Refund,
    Resend,
    Rejected,
}

/// A request as the platform shows it (CJ's `getDisputeList` rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplierDispute {
    /// The platform's id of the request.
    pub id: String,
    /// The platform's status text, shown as it is.
    pub status: String,
    /// The final answer; `None` while the supplier is still deciding.
    pub outcome: Option<DisputeOutcome>,
    /// What was refunded, minor units, when the supplier says.
    pub refund_minor: Option<i64>,
    /// The order the supplier ships the replacement as.
    pub resend_order_id: Option<String>,
    /// The line references the request names.
    pub line_refs: Vec<String>,
}

/// A sub-order to create at its supplier.
#[derive(Debug, Clone)]
pub struct NewSupplierOrder {
    /// Our idempotency key (see [`crate::fulfillment::idempotency_key`]): the platform keeps it
    /// unique, and an order is found by it after a lost reply.
    pub key: String,
    pub address: crate::model::Address,
    pub email: Option<String>,
    /// The [`ShippingLine::name`] chosen.
    pub shipping_line: String,
    pub items: Vec<SupplierItem>,
    /// Pay from the account's balance in the create call itself (only where
    /// [`Capabilities::pay_on_create`]); else the order is created unpaid and paid after.
    pub pay_now: bool,
}

/// One supplier account on its platform. Every call is authenticated and paced by the
/// account's rate limit; errors are [`crate::stores::ConnectorError`]s (auth, network,
/// ambiguous timeouts, remote codes) inside [`CoreError::Connector`].
#[async_trait]
pub trait SupplierConnector: Send + Sync {
    fn platform(&self) -> SupplierPlatform;
    /// The platform's [`SupplierPlatform::capabilities`].
    fn capabilities(&self) -> Capabilities {
        self.platform().capabilities()
    }
    /// One authenticated read: the credentials work.
    async fn verify(&self) -> Result<()>;
    /// The lines offered to the address for these items, cheapest first. `to` may carry only a
    /// country (ISO 3166-1 alpha-2) when no order is at hand (the shipping-method settings).
    async fn shipping_lines(&self, to: &crate::model::Address, items: &[SupplierItem]) -> Result<Vec<ShippingLine>>;
    /// Creates the order under its key. `Ok(None)`: the platform already holds an order with
    /// this key (look it up; never create twice).
    async fn create_order(&self, order: &NewSupplierOrder) -> Result<Option<CreatedOrder>>;
    /// The order by the platform's id or by our key; `None` when the platform does not know it.
    async fn order_detail(&self, id_or_key: &str) -> Result<Option<SupplierOrder>>;
    /// Pays (or confirms) a created order from the account.
    async fn pay(&self, supplier_order_id: &str) -> Result<()>;
    /// Tokenizes a card at the platform's payment endpoint (only where [`Capabilities::card`]).
    async fn tokenize_card(&self, card: &crate::fulfillment::payment_card::CheckedCard) -> Result<CardToken>;
    /// Charges a created order to the card token; returns the amount charged, minor units.
    async fn pay_with_card(&self, supplier_order_id: &str, card_token: &str) -> Result<i64>;
    /// Asks the platform to cancel the order; a refusal is an answer, not an error.
    async fn cancel_order(&self, supplier_order_id: &str) -> Result<CancelAnswer>;
    /// Who carries a tracking number; `None` when the platform has nothing on it yet.
    async fn track_info(&self, track_number: &str) -> Result<Option<TrackInfo>>;
    /// The variants the platform sells under `sku`.
    async fn variants_by_sku(&self, sku: &str) -> Result<Vec<SupplierVariant>>;
    /// The variants matching what a merchant typed: a product URL, a SKU, a product id, else
    /// keywords of the product name; at most `limit`, with stock and warehouses where the
    /// platform gives them.
    async fn search_variants(&self, query: &str, limit: usize) -> Result<Vec<SearchedVariant>>;
    /// The variant's stock and price now, for the check before sending; `Ok(None)` where the
    /// platform has no such call (nothing checked).
    async fn variant_check(&self, vid: &str) -> Result<Option<VariantCheck>>;
    /// The balance available for orders, minor units; `None` where the platform has none
    /// (charged to a billing method instead).
    async fn balance(&self) -> Result<Option<i64>>;
    /// The embedded sandbox only: adds to the balance, returns the new balance.
    async fn sandbox_recharge(&self, amount_minor: i64) -> Result<i64>;
    /// What a refund or replacement request about `items` of the supplier order may be (only
    /// where [`Capabilities::disputes`]). Errors: an item the supplier does not let be named
    /// (not on the order, a request already open on it, more units than it allows).
    async fn dispute_quote(&self, _supplier_order_id: &str, _items: &[SupplierItem]) -> Result<DisputeQuote> {
        Err(no_disputes(self.platform()))
    }
    /// Creates the request under its key (only where [`Capabilities::disputes`]).
    async fn create_dispute(&self, _dispute: &NewDispute) -> Result<()> {
        Err(no_disputes(self.platform()))
    }
    /// The requests the platform holds about a supplier order, newest first.
    async fn disputes_of(&self, _supplier_order_id: &str) -> Result<Vec<SupplierDispute>> {
        Err(no_disputes(self.platform()))
    }
    /// Withdraws an open request.
    async fn cancel_dispute(&self, _supplier_order_id: &str, _dispute_id: &str) -> Result<()> {
        Err(no_disputes(self.platform()))
    }
}

fn no_disputes(platform: SupplierPlatform) -> CoreError {
    CoreError::InvalidInput(format!("{} takes no refund or replacement requests through its API", platform.name()))
}

/// Whether a supplier platform (`supplier.kind`) documents an API to charge a card on file.
/// Neither does: CJdropshipping takes cards only on its own payment page (see
/// [`CjClient::tokenize_card`]) and Printful charges the billing method set on the Printful
/// account. An unknown kind takes no card.
pub fn accepts_cards(kind: &str) -> bool {
    SupplierPlatform::parse(kind).is_ok_and(|p| p.capabilities().card)
}

pub fn suppliers(ctx: &Ctx) -> Result<Vec<SupplierView>> {
    ctx.db.read(views::list_suppliers)
}

/// One supplier account by id, as listed. Errors: `NotFound`.
pub fn supplier(ctx: &Ctx, supplier_id: i64) -> Result<SupplierView> {
    suppliers(ctx)?
        .into_iter()
        .find(|s| s.id == supplier_id)
        .ok_or_else(|| CoreError::NotFound(format!("supplier {supplier_id} not found")))
}

/// Finds a supplier by name (case-insensitive).
pub fn supplier_by_name(ctx: &Ctx, name: &str) -> Result<SupplierView> {
    suppliers(ctx)?
        .into_iter()
        .find(|s| s.name.eq_ignore_ascii_case(name.trim()))
        .ok_or_else(|| CoreError::NotFound(format!("no supplier named '{name}'")))
}

/// Test connection: one authenticated read with the account's stored key or token (CJ: an
/// access token; Printful: `GET /v2/oauth-scopes`). The cached connector is dropped first, so a
/// key changed elsewhere is the one tried. Errors: a refused key (`Auth`), an unreachable
/// platform (`Network`), no key in the keychain.
pub async fn test_supplier_connection(ctx: &Ctx, supplier_id: i64) -> Result<()> {
    ctx.suppliers.lock().expect("suppliers lock").remove(&supplier_id);
    let connector = ctx.supplier_client(supplier_id)?;
    ctx.observe(connector.verify().await)
}

/// Renames a supplier account. Errors: an empty or too long name, a name another supplier has,
/// an unknown supplier.
pub fn rename_supplier(ctx: &Ctx, supplier_id: i64, name: &str) -> Result<SupplierView> {
    let name = crate::stores::connect::validate_name(name)?;
    supplier(ctx, supplier_id)?;
    if suppliers(ctx)?.iter().any(|s| s.id != supplier_id && s.name.eq_ignore_ascii_case(&name)) {
        return Err(CoreError::InvalidInput(format!("a supplier named {name} is already connected")));
    }
    ctx.db.write(|tx| queries::rename(tx, supplier_id, &name))?;
    supplier(ctx, supplier_id)
}

/// A connector built from credentials not kept yet, to check them with one authenticated read
/// (connecting an account, replacing its key). Its keychain is a throwaway one, so it never
/// reads a cached access token of another key (that would prove nothing) nor writes one under
/// an account's id; what it was issued is read back with [`Probe::issued_token`].
pub(crate) struct Probe {
    pub connector: Arc<dyn SupplierConnector>,
    secrets: Arc<dyn crate::secrets::SecretStore>,
}

impl Probe {
    /// `store_ref`: Printful's store id for a token spanning stores; `requests_per_second`: the
    /// pace of the probe's calls.
    pub fn new(
        ctx: &Ctx,
        platform: SupplierPlatform,
        base_url: &str,
        key: &str,
        store_ref: Option<String>,
        requests_per_second: u32,
    ) -> Probe {
        let secrets: Arc<dyn crate::secrets::SecretStore> = Arc::new(crate::secrets::MemorySecrets::default());
        let connector: Arc<dyn SupplierConnector> = match platform {
            SupplierPlatform::Cj => Arc::new(CjClient::new(
                ctx.http.clone(),
                base_url,
                key.to_owned(),
                0,
                secrets.clone(),
                requests_per_second,
            )),
            SupplierPlatform::Printful => Arc::new(PrintfulClient::new(
                ctx.http.clone(),
                base_url,
                key.to_owned(),
                store_ref,
                requests_per_second.saturating_mul(60),
            )),
        };
        Probe { connector, secrets }
    }

    /// The access token the platform issued to the probe, if any (CJ allows getAccessToken once
    /// per 5 minutes, so the real client keeps it).
    pub fn issued_token(&self) -> Result<Option<String>> {
        self.secrets.get(&crate::secrets::supplier_token_key(0))
    }
}

/// Store → Integrations → Disconnect (`dropdock-cli supplier remove`): the account's keychain
/// entries (API key or token, CJ's cached access token, a card token) are deleted, its cached
/// connector dropped, and the row marked disconnected; its sub-orders and ledger stay, nothing
/// more is sent to it or asked of it, and connecting the same name on the same platform again
/// revives it. Errors: an unknown supplier; a demo account (it comes with the sandbox); a
/// sub-order whose outcome at the supplier is not known yet (it must be looked up there first);
/// the keychain refusing (the row is then left connected).
pub fn disconnect_supplier(ctx: &Ctx, supplier_id: i64) -> Result<SupplierView> {
    let account = supplier(ctx, supplier_id)?;
    if account.is_sandbox {
        return Err(CoreError::InvalidInput(
            "the demo suppliers come with the sandbox; connect your own account beside them".into(),
        ));
    }
    let unsettled = ctx.db.read(|c| queries::unsettled_sub_orders(c, supplier_id))?;
    if unsettled > 0 {
        return Err(CoreError::InvalidInput(format!(
            "{unsettled} sub-order(s) at {} are waiting for the supplier's answer: ship or track again, then disconnect",
            account.name
        )));
    }
    for key in [
        crate::secrets::supplier_api_key_key(supplier_id),
        crate::secrets::supplier_token_key(supplier_id),
        crate::secrets::supplier_card_token_key(supplier_id),
    ] {
        ctx.secrets().delete(&key)?;
    }
    ctx.suppliers.lock().expect("suppliers lock").remove(&supplier_id);
    ctx.db.write(|tx| queries::mark_disconnected(tx, supplier_id, Utc::now()))?;
    supplier(ctx, supplier_id)
}

/// Store → Integrations → Edit (`dropdock-cli supplier keys`): a new API key (CJ) or token
/// (Printful, with its store id where the token spans several) is checked with one
/// authenticated read first, and only then replaces the old one in the keychain; a refused key
/// leaves the old one working. Errors: an unknown or disconnected supplier, an empty key, the
/// new key refused ([`crate::error::ErrorCode::Auth`]) or the platform unreachable.
pub async fn update_supplier_keys(
    ctx: &Ctx,
    supplier_id: i64,
    key: &str,
    store_id: Option<&str>,
) -> Result<SupplierView> {
    let account = supplier(ctx, supplier_id)?;
    if account.disconnected {
        return Err(CoreError::InvalidInput(format!("{} is disconnected: connect it again instead", account.name)));
    }
    let key = key.trim();
    if key.is_empty() {
        return Err(CoreError::InvalidInput("the new key is empty".into()));
    }
    let store_id = store_id.map(str::trim).filter(|s| !s.is_empty());
    let platform = SupplierPlatform::parse(&account.kind)?;
    if store_id.is_some_and(|s| !s.bytes().all(|b| b.is_ascii_digit())) {
        return Err(CoreError::InvalidInput("the Printful store id is a number".into()));
    }
    let store = match store_id {
        Some(s) => Some(s.to_owned()),
        None => ctx.db.read(|c| queries::store_ref(c, supplier_id))?,
    };
    let probe = Probe::new(ctx, platform, &account.base_url, key, store, account.requests_per_second);
    ctx.observe(probe.connector.verify().await)?;
    // CJ allows getAccessToken once per 5 minutes: the probe's token (issued to the new key)
    // replaces the old key's, then the key itself; a key that cannot be kept puts the old token
    // back.
    let token_key = crate::secrets::supplier_token_key(supplier_id);
    let old_token = ctx.secrets().get(&token_key)?;
    match probe.issued_token()? {
        Some(token) => ctx.secrets().set(&token_key, &token)?,
        None => ctx.secrets().delete(&token_key)?,
    }
    if let Err(e) = ctx.secrets().set(&crate::secrets::supplier_api_key_key(supplier_id), key) {
        let restored = match old_token {
            Some(t) => ctx.secrets().set(&token_key, &t),
            None => ctx.secrets().delete(&token_key),
        };
        if let Err(r) = restored {
            tracing::warn!(error = %r, "the cached access token could not be put back");
        }
        return Err(e);
    }
    if let Some(store) = store_id {
        ctx.db.write(|tx| queries::set_store_ref(tx, supplier_id, store))?;
    }
    ctx.suppliers.lock().expect("suppliers lock").remove(&supplier_id);
    supplier(ctx, supplier_id)
}

/// Sets a supplier account's API rate limit, requests per second (1 to 1000; CJ's free level
/// allows 1). Takes effect on the next call.
pub fn set_supplier_rate_limit(ctx: &Ctx, supplier_id: i64, requests_per_second: u32) -> Result<()> {
    if !(1..=1000).contains(&requests_per_second) {
        return Err(CoreError::InvalidInput("the rate limit is 1 to 1000 requests per second".into()));
    }
    if !ctx.db.write(|tx| queries::set_rate_limit(tx, supplier_id, requests_per_second))? {
        return Err(CoreError::NotFound(format!("supplier {supplier_id} not found")));
    }
    ctx.suppliers.lock().expect("suppliers lock").remove(&supplier_id);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_platform_this_version_does_not_know_is_refused_not_guessed() {
        assert_eq!(SupplierPlatform::parse("cj").unwrap(), SupplierPlatform::Cj);
        assert_eq!(SupplierPlatform::parse("printful").unwrap(), SupplierPlatform::Printful);
        let err = SupplierPlatform::parse("aliexpress").unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
        assert!(err.to_string().contains("aliexpress"), "{err}");
    }
}
