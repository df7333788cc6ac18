//! The embedded sandbox as an account: connects the demo store, CJ accounts and Printful account that
//! `dropdock-sandbox` serves on loopback, and maps the demo catalog's SKUs, so a new user sees
//! the whole job work before connecting anything real.
//!
//! A crate of its own so that the domain (`dropdock-core`) knows no simulator: the desktop app
//! and the CLI use it, and the core's tests (as a dev-dependency).

use serde::Serialize;

use dropdock_core::app::Dropdock;
use dropdock_core::error::Result;

/// The name of the demo store in Store → Integrations.
pub const DEMO_STORE_NAME: &str = "Demo Shopify store";
/// The name the demo WooCommerce store gets when the merchant connects it.
pub const DEMO_WOO_STORE_NAME: &str = "Demo WooCommerce store";

/// The name the demo Etsy shop gets when the merchant connects it.
pub const DEMO_ETSY_STORE_NAME: &str = "Demo Etsy shop";

/// The sandbox's Etsy shop and its app's keys, offered in Store → Integrations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct DemoEtsyShop {
    pub name: String,
    /// The API origin (its OAuth pages are there too).
    pub api_url: String,
    pub keystring: String,
    pub shared_secret: String,
}

/// The sandbox's WooCommerce store: not connected by the demo, offered in Store → Integrations
/// so the merchant can try connecting a store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct DemoWooStore {
    pub name: String,
    pub base_url: String,
    pub consumer_key: String,
    pub consumer_secret: String,
}

/// A demo supplier account offered on Store → Integrations → Connect a supplier, so the merchant
/// can try connecting one (the sandbox's Printful account: its API origin and token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct DemoSupplierAccount {
    /// `printful`.
    pub platform: String,
    pub base_url: String,
    pub token: String,
}

/// A demo catalog entry: store SKU → supplier variant id and cost (US cents).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogEntry {
    pub sku: String,
    pub variant_id: String,
    pub cost_minor: i64,
}

/// One demo supplier account.
#[derive(Debug, Clone)]
pub struct SandboxSupplier {
    pub name: String,
    pub base_url: String,
    pub api_key: String,
    pub catalog: Vec<CatalogEntry>,
}

/// The demo Printful account: its API origin, store-level token, and the print-on-demand
/// catalogue (store SKU → catalog variant id and Printful's price).
#[derive(Debug, Clone)]
pub struct SandboxPrintful {
    pub name: String,
    pub base_url: String,
    pub token: String,
    pub catalog: Vec<CatalogEntry>,
}

/// Where the running sandbox listens, and the credentials it accepts.
#[derive(Debug, Clone)]
pub struct SandboxEndpoints {
    pub shopify_url: String,
    pub shopify_token: String,
    /// The CJ accounts.
    pub suppliers: Vec<SandboxSupplier>,
    pub printful: SandboxPrintful,
    pub woo: DemoWooStore,
    pub etsy: DemoEtsyShop,
}

/// Connects (or re-points, since ports change between launches) the demo store and suppliers,
/// with their credentials in the keychain, and maps the demo catalog. Returns the store id.
pub async fn connect_sandbox(dd: &Dropdock, endpoints: &SandboxEndpoints) -> Result<i64> {
    let store = dd.connect_shopify(DEMO_STORE_NAME, &endpoints.shopify_url, &endpoints.shopify_token, true).await?;
    for supplier in &endpoints.suppliers {
        let view = dd.connect_cj(&supplier.name, &supplier.base_url, &supplier.api_key, true).await?;
        // The sandbox has no rate limit of its own: keep the demo (and the tests) quick.
        dd.set_supplier_rate_limit(view.id, 200)?;
        for entry in &supplier.catalog {
            dd.map_sku(&entry.sku, view.id, &entry.variant_id, entry.cost_minor)?;
        }
    }
    // The Printful account prints the shop's print-on-demand products. Its token is
    // store-level, so no store id; its rate limit is raised like the CJ accounts' (the sandbox's
    // bucket is large).
    let p = &endpoints.printful;
    let printful = dd.connect_printful(&p.name, &p.base_url, &p.token, None, true).await?;
    dd.set_supplier_rate_limit(printful.id, 200)?;
    for entry in &p.catalog {
        dd.map_sku(&entry.sku, printful.id, &entry.variant_id, entry.cost_minor)?;
    }
    // The demo WooCommerce store, if the merchant connected it: re-pointed at the new port.
    let demo_woo = dd.stores()?.into_iter().find(|s| s.is_sandbox && s.platform == "woocommerce");
    if let Some(woo) = demo_woo.filter(|s| !s.disconnected) {
        let w = &endpoints.woo;
        dd.connect_woocommerce_account(&woo.name, &w.base_url, &w.consumer_key, &w.consumer_secret, true).await?;
    }
    // Likewise the demo Etsy shop (its tokens live on in the sandbox's state).
    for etsy in dd.stores()?.into_iter().filter(|s| s.is_sandbox && s.platform == "etsy") {
        dd.repoint_sandbox_store(etsy.id, &endpoints.etsy.api_url)?;
    }
    Ok(store.id)
}

/// The endpoints, credentials and catalogs of a running sandbox.
pub fn sandbox_endpoints(sandbox: &dropdock_sandbox::Sandbox) -> SandboxEndpoints {
    SandboxEndpoints {
        shopify_url: sandbox.shopify_url(),
        shopify_token: sandbox.shopify_token(),
        etsy: {
            let etsy = sandbox.etsy();
            let (keystring, shared_secret) = etsy.app_keys();
            DemoEtsyShop { name: DEMO_ETSY_STORE_NAME.into(), api_url: etsy.url(), keystring, shared_secret }
        },
        woo: {
            let woo = sandbox.woo();
            DemoWooStore {
                name: DEMO_WOO_STORE_NAME.into(),
                base_url: woo.url(),
                consumer_key: woo.consumer_key(),
                consumer_secret: woo.consumer_secret(),
            }
        },
        printful: {
            let p = sandbox.printful();
            SandboxPrintful {
                name: p.name(),
                base_url: p.url(),
                token: p.token(),
                catalog: p
                    .catalog()
                    .into_iter()
                    .map(|v| CatalogEntry { sku: v.sku, variant_id: v.id.to_string(), cost_minor: v.cost_minor })
                    .collect(),
            }
        },
        suppliers: (0..sandbox.supplier_count())
            .map(|i| {
                let s = sandbox.supplier(i);
                SandboxSupplier {
                    name: s.name(),
                    base_url: s.url(),
                    api_key: s.api_key(),
                    catalog: s
                        .catalog()
                        .into_iter()
                        .map(|v| CatalogEntry { sku: v.sku, variant_id: v.vid, cost_minor: v.cost_minor })
                        .collect(),
                }
            })
            .collect(),
    }
}
