//! `carriers …` and `notifications`: Settings.

use super::prelude::*;

#[derive(Subcommand)]
pub(crate) enum CarriersCommand {
    /// The mapping in force: the merchant's rows (custom), then the built-in ones.
    List,
    /// Add or replace a row.
    Set {
        /// A word or phrase of the supplier's line name, e.g. "cjpacket".
        #[arg(long)]
        supplier_carrier: String,
        /// Shopify's exact tracking company name.
        #[arg(long)]
        shopify: String,
        /// Etsy's carrier name, or other.
        #[arg(long, default_value = "other")]
        etsy: String,
        /// The Shipment Tracking provider; empty for a custom provider.
        #[arg(long, default_value = "")]
        woo: String,
        /// The tracking link, https, with {n} for the number.
        #[arg(long)]
        url: String,
    },
    /// Remove the merchant's row (the built-in row applies again).
    Remove { supplier_carrier: String },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum OnOff {
    On,
    Off,
}

/// `carriers list|set|remove`: the carrier mapping, printed after any change.
pub(crate) async fn carriers(ctx: &Ctx, command: CarriersCommand) -> Result<()> {
    let dd = ctx.open()?;
    match command {
        CarriersCommand::List => {}
        CarriersCommand::Set { supplier_carrier, shopify, etsy, woo, url } => {
            let row = dropdock_core::tracking::carriers::CarrierMapping {
                supplier_carrier,
                shopify_company: shopify,
                etsy_carrier: etsy,
                woo_provider: woo,
                url_template: url,
                custom: true,
            };
            dd.save_carrier_mapping(&row)?;
        }
        CarriersCommand::Remove { supplier_carrier } => {
            if !dd.remove_carrier_mapping(&supplier_carrier)? {
                bail!("no row of yours for {supplier_carrier}");
            }
        }
    }
    for m in dd.carrier_mappings()? {
        println!(
            "{}\tShopify {}\tEtsy {}\tWooCommerce {}\t{}\t{}",
            m.supplier_carrier,
            m.shopify_company,
            m.etsy_carrier,
            if m.woo_provider.is_empty() { "(custom)" } else { &m.woo_provider },
            m.url_template,
            if m.custom { "custom" } else { "built-in" }
        );
    }
    Ok(())
}

/// `notifications`: which desktop notifications the app shows.
pub(crate) async fn notifications(
    ctx: &Ctx,
    shipment: Option<OnOff>,
    auto_paused: Option<OnOff>,
    sync_failed: Option<OnOff>,
    tracking_attention: Option<OnOff>,
) -> Result<()> {
    let dd = ctx.open()?;
    let mut settings = dropdock_core::settings::notifications::settings(&dd.db)?;
    let on = |v: OnOff| matches!(v, OnOff::On);
    if let Some(v) = shipment {
        settings.shipment = on(v);
    }
    if let Some(v) = auto_paused {
        settings.auto_paused = on(v);
    }
    if let Some(v) = sync_failed {
        settings.sync_failed = on(v);
    }
    if let Some(v) = tracking_attention {
        settings.tracking_attention = on(v);
    }
    dropdock_core::settings::notifications::save_settings(&dd.db, settings)?;
    let word = |b: bool| if b { "on" } else { "off" };
    println!(
        "Notifications: shipments {}, Auto Fulfillment paused {}, store sync failing {}, tracking attention {}",
        word(settings.shipment),
        word(settings.auto_paused),
        word(settings.sync_failed),
        word(settings.tracking_attention)
    );
    Ok(())
}

/// `language [CODE]`: the language of the tray menu and desktop notifications (`en`, `zh-CN`,
/// `es`; the app sets it from Settings). With no code, prints it.
pub(crate) async fn language(ctx: &Ctx, code: Option<String>) -> Result<()> {
    let dd = ctx.open()?;
    let language = match code {
        Some(code) => dropdock_core::settings::locale::set_language(&dd.db, &code)?,
        None => dropdock_core::settings::locale::language(&dd.db)?,
    };
    println!("Language: {}", language.code());
    Ok(())
}
