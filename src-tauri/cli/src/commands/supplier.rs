//! `supplier …`, `mapping …` and `shipping …`: supplier accounts, SKU mappings, shipping lines.

use super::prelude::*;

#[derive(Subcommand)]
pub(crate) enum SupplierCommand {
    /// Connect a supplier account; its key or token goes to the OS keychain. CJdropshipping:
    /// `--api-key`. Printful: `--token` (a private token), and `--store-id` when the token spans
    /// several stores.
    Add {
        kind: SupplierKind,
        #[arg(long)]
        name: String,
        /// API root, e.g. https://developers.cjdropshipping.com/api2.0/v1 or https://api.printful.com
        #[arg(long)]
        url: String,
        /// CJdropshipping's API key.
        #[arg(long, required_if_eq("kind", "cj"))]
        api_key: Option<String>,
        /// Printful's private token.
        #[arg(long, required_if_eq("kind", "printful"))]
        token: Option<String>,
        /// Printful's store id (X-PF-Store-Id), for a token that spans several stores.
        #[arg(long)]
        store_id: Option<String>,
        /// The account's API rate limit (CJ's free level: 1 request per second; Printful: 2).
        #[arg(long)]
        requests_per_second: Option<u32>,
    },
    /// The variants each connected supplier sells under a SKU (to map it with `mapping add`).
    Variants {
        #[arg(long)]
        sku: String,
    },
    /// Search every connected supplier's catalogue by a SKU, a product id, a product link or
    /// words of the name: one variant a line, `SUPPLIER VID SKU PRICE STOCK SHIPS_FROM NAME`
    /// (tab-separated; STOCK `unknown` and SHIPS_FROM `-` where the platform does not say).
    Search { query: String },
    /// Change a connected account's API rate limit, e.g. after upgrading the CJ account level.
    RateLimit {
        #[arg(long)]
        name: String,
        #[arg(long)]
        requests_per_second: u32,
    },
    /// Test connection: one authenticated read with the account's stored key or token.
    Test {
        #[arg(long)]
        name: String,
    },
    /// Rename a connected supplier account.
    Rename {
        #[arg(long)]
        name: String,
        #[arg(long)]
        to: String,
    },
    /// Replace an account's API key (CJ) or token (Printful): the new one is checked first and
    /// replaces the old one only if the platform accepts it.
    Keys {
        #[arg(long)]
        name: String,
        /// CJdropshipping's new API key.
        #[arg(long, conflicts_with = "token", required_unless_present = "token")]
        api_key: Option<String>,
        /// Printful's new private token.
        #[arg(long)]
        token: Option<String>,
        /// Printful's store id (X-PF-Store-Id), for a token that spans several stores.
        #[arg(long)]
        store_id: Option<String>,
    },
    /// Disconnect an account: its keys leave the keychain; its sub-orders and ledger stay, and
    /// `supplier add` with the same name brings it back.
    Remove {
        #[arg(long)]
        name: String,
    },
    /// Every account: name, platform, API root (and `disconnected` for one that is).
    List,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum SupplierKind {
    Cj,
    Printful,
}

#[derive(Subcommand)]
pub(crate) enum MappingCommand {
    /// Map a store variant to a supplier variant: by the store's own ids (`--store`, `--product`
    /// and, for a product with variants, `--variant`), which wins over a SKU mapping and needs
    /// no SKU, or by `--sku`; with `--country CC`, for orders to that country only (it wins
    /// there). Orders it frees are planned again at once.
    Add {
        #[command(flatten)]
        target: MappingTarget,
        #[arg(long)]
        supplier: String,
        #[arg(long)]
        vid: String,
        /// Cost at the supplier in US dollars, e.g. 3.20
        #[arg(long)]
        cost: String,
        /// Supplier units per store unit (a "2 for 1" is 2); with --store and --product.
        #[arg(long, value_name = "N")]
        quantity: Option<i64>,
        /// The option this variant belongs to: 1 the primary, 2.. backups tried in order when
        /// the earlier ones are out of stock, discontinued or above the cost limit. Several with
        /// one priority and different --vid make a bundle. Without it, the primary is replaced.
        #[arg(long, value_name = "N")]
        priority: Option<i64>,
    },
    /// Every mapping, one a line: `variant STORE PRODUCT[/VARIANT] SUPPLIER VID COST` (by the
    /// store's ids), then `country STORE PRODUCT[/VARIANT] CC SUPPLIER VID COST` (for one
    /// destination country), then `sku SKU SUPPLIER VID COST`, tab-separated.
    List {
        /// Only this store's variant mappings (SKU mappings apply to every store).
        #[arg(long)]
        store: Option<String>,
    },
    /// Remove a mapping: `--sku`, or `--store` and `--product` (and `--variant`; `--country` for
    /// one country's). Its orders are
    /// planned again (held where nothing else maps them).
    Remove {
        #[command(flatten)]
        target: MappingTarget,
        /// Only this option of a mapping by the store's ids (1 the primary, 2.. backups).
        #[arg(long, value_name = "N")]
        priority: Option<i64>,
        /// Only this supplier variant of that option (a bundle's part); needs --priority.
        #[arg(long, requires = "priority")]
        vid: Option<String>,
    },
    /// The most one store unit may cost at the supplier (`--cost` dollars, or `--none`): before
    /// sending, an option that costs more now is passed over for the next backup.
    Limit {
        #[arg(long)]
        store: String,
        #[arg(long)]
        product: String,
        #[arg(long)]
        variant: Option<String>,
        #[arg(long, required_unless_present = "none", conflicts_with = "none")]
        cost: Option<String>,
        #[arg(long)]
        none: bool,
    },
    /// Auto-map by SKU: propose, for each store variant not mapped by its ids, the mapping its
    /// SKU suggests (its SKU mapping, or the one variant a supplier sells under that SKU), one a
    /// line `propose STORE PRODUCT[/VARIANT] SKU SUPPLIER VID COST SOURCE`; with `--accept`,
    /// make them (`mapped …` lines) and re-plan the orders they free. Run `products sync` first.
    Automap {
        #[arg(long)]
        store: String,
        #[arg(long)]
        accept: bool,
    },
}

/// What a mapping is for: `--sku`, or the store's own ids (`--store`, `--product` and, for a
/// product with variants, `--variant`).
#[derive(clap::Args)]
pub(crate) struct MappingTarget {
    #[arg(long, required_unless_present = "product", conflicts_with_all = ["store", "product", "variant"])]
    sku: Option<String>,
    /// The store (its name), with --product.
    #[arg(long, requires = "product")]
    store: Option<String>,
    /// The store's product id (Shopify product, WooCommerce product_id, Etsy listing_id).
    #[arg(long, requires = "store")]
    product: Option<String>,
    /// The store's variant id (Shopify variant, WooCommerce variation_id, Etsy product_id).
    #[arg(long, requires = "product")]
    variant: Option<String>,
    /// Only for orders to this destination country (ISO 3166-1 alpha-2): it wins there over
    /// the variant's own mapping and its SKU's.
    #[arg(long, requires = "product")]
    country: Option<String>,
}

/// A [`MappingTarget`] with its store looked up.
enum Target {
    Sku(String),
    Variant { store_id: i64, store_name: String, product: String, variant: Option<String>, country: Option<String> },
}

impl MappingTarget {
    fn resolve(self, dd: &Dropdock) -> Result<Target> {
        match (self.sku, self.store, self.product) {
            (Some(sku), _, _) => Ok(Target::Sku(sku)),
            (None, Some(store), Some(product)) => {
                let variant = self.variant.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
                let store = dd.store_by_name(&store)?;
                Ok(Target::Variant {
                    store_id: store.id,
                    store_name: store.name,
                    product: product.trim().to_owned(),
                    variant,
                    country: self.country.map(|c| c.trim().to_ascii_uppercase()),
                })
            }
            _ => bail!("give --sku, or --store and --product"),
        }
    }
}

#[derive(Subcommand)]
pub(crate) enum ShippingCommand {
    /// Set the default shipping line for a country, e.g. --country US --line "YunExpress Standard";
    /// repeat --line for fallbacks, in order (the first line the supplier offers is used).
    Set {
        #[arg(long)]
        country: String,
        #[arg(long, required = true)]
        line: Vec<String>,
    },
    /// Every country's default shipping lines.
    List,
}

/// `supplier …`
pub(crate) async fn run(ctx: &Ctx, command: SupplierCommand) -> Result<()> {
    match command {
        SupplierCommand::Add { kind, name, url, api_key, token, store_id, requests_per_second } => {
            let dd = ctx.open()?;
            let supplier = match kind {
                SupplierKind::Cj => {
                    let api_key = api_key.ok_or_else(|| anyhow!("--api-key is required for cj"))?;
                    dd.connect_cj(&name, &url, &api_key, false).await?
                }
                SupplierKind::Printful => {
                    let token = token.ok_or_else(|| anyhow!("--token is required for printful"))?;
                    dd.connect_printful(&name, &url, &token, store_id.as_deref(), false).await?
                }
            };
            let default = if matches!(kind, SupplierKind::Cj) { 1 } else { supplier.requests_per_second };
            dd.set_supplier_rate_limit(supplier.id, requests_per_second.unwrap_or(default))?;
            println!("Connected supplier {} ({})", supplier.name, supplier.base_url);
            Ok(())
        }
        SupplierCommand::RateLimit { name, requests_per_second } => {
            let dd = ctx.open()?;
            let supplier = dd.supplier_by_name(&name)?;
            dd.set_supplier_rate_limit(supplier.id, requests_per_second)?;
            println!("{} is called at most {requests_per_second} times per second", supplier.name);
            Ok(())
        }
        SupplierCommand::Test { name } => {
            let dd = ctx.open()?;
            let supplier = dd.supplier_by_name(&name)?;
            dd.test_supplier_connection(supplier.id).await?;
            println!("{} answered: the connection works", supplier.name);
            Ok(())
        }
        SupplierCommand::Rename { name, to } => {
            let dd = ctx.open()?;
            let supplier = dd.supplier_by_name(&name)?;
            let renamed = dd.rename_supplier(supplier.id, &to)?;
            println!("Renamed supplier {} to {}", supplier.name, renamed.name);
            Ok(())
        }
        SupplierCommand::Keys { name, api_key, token, store_id } => {
            let dd = ctx.open()?;
            let supplier = dd.supplier_by_name(&name)?;
            let key = api_key.or(token).ok_or_else(|| anyhow!("give --api-key (CJ) or --token (Printful)"))?;
            let updated = dd.update_supplier_keys(supplier.id, &key, store_id.as_deref()).await?;
            println!("{}: the new key works and replaced the old one", updated.name);
            Ok(())
        }
        SupplierCommand::Remove { name } => {
            let dd = ctx.open()?;
            let supplier = dd.supplier_by_name(&name)?;
            let gone = dd.disconnect_supplier(supplier.id)?;
            println!("Disconnected supplier {}: its keys are removed; its sub-orders and ledger are kept", gone.name);
            Ok(())
        }
        SupplierCommand::List => {
            let dd = ctx.open()?;
            for s in dd.suppliers()? {
                let state = if s.disconnected { "\tdisconnected" } else { "" };
                println!("{}\t{}\t{}{state}", s.name, s.kind, s.base_url);
            }
            Ok(())
        }
        SupplierCommand::Search { query } => {
            let dd = ctx.open()?;
            let hits = dd.search_supplier_variants(&query).await?;
            println!("Found {} variant{} for {}", hits.len(), if hits.len() == 1 { "" } else { "s" }, query.trim());
            for h in &hits {
                let v = &h.found.variant;
                let from = if h.found.ships_from.is_empty() { "-".to_owned() } else { h.found.ships_from.join(",") };
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{from}\t{}",
                    h.supplier_name,
                    v.vid,
                    v.variant_sku,
                    money(v.price_minor, "USD"),
                    h.found.stock.map(|s| s.to_string()).unwrap_or_else(|| "unknown".into()),
                    v.name
                );
            }
            Ok(())
        }
        SupplierCommand::Variants { sku } => {
            let dd = ctx.open()?;
            let found = dd.find_supplier_variants(&sku).await?;
            println!("Found {} variant{} for {sku}", found.len(), if found.len() == 1 { "" } else { "s" });
            for f in &found {
                println!(
                    "{}	{}	{}	{}	{}",
                    f.supplier_name,
                    f.variant.vid,
                    f.variant.variant_sku,
                    money(f.variant.price_minor, "USD"),
                    f.variant.name
                );
            }
            Ok(())
        }
    }
}

/// `mapping …`
pub(crate) async fn mapping(ctx: &Ctx, command: MappingCommand) -> Result<()> {
    match command {
        MappingCommand::Add { target, supplier, vid, cost, quantity, priority } => {
            let dd = ctx.open()?;
            let supplier = dd.supplier_by_name(&supplier)?;
            let cost_minor = dropdock_core::money::parse_minor(&cost, "USD").map_err(|e| anyhow!("--cost: {e}"))?;
            let target = target.resolve(&dd)?;
            if quantity.is_some() || priority.is_some() {
                let Target::Variant { store_id, store_name, product, variant, country: None } = target else {
                    bail!("--quantity and --priority are for a mapping by the store's ids (--store, --product), without --country");
                };
                let part = dropdock_core::products::PartInput {
                    priority: priority.unwrap_or(1),
                    supplier_id: supplier.id,
                    variant_id: vid.clone(),
                    quantity: quantity.unwrap_or(1),
                    cost_minor,
                };
                dd.add_mapping_part(store_id, &product, variant.as_deref(), &part)?;
                let which = match &variant {
                    Some(v) => format!("product {product} variant {v}"),
                    None => format!("product {product}"),
                };
                let role = if part.priority == 1 { "primary".to_owned() } else { format!("backup {}", part.priority) };
                println!(
                    "Mapped {store_name} {which} ({role}) to {} variant {vid} x{} at {}",
                    supplier.name,
                    part.quantity,
                    money(cost_minor, "USD")
                );
                return Ok(());
            }
            match target {
                Target::Sku(sku) => {
                    dd.map_sku(&sku, supplier.id, &vid, cost_minor)?;
                    println!("Mapped {sku} to {} variant {vid} at {}", supplier.name, money(cost_minor, "USD"));
                }
                Target::Variant { store_id, store_name, product, variant, country } => {
                    let mut which = match &variant {
                        Some(v) => format!("product {product} variant {v}"),
                        None => format!("product {product}"),
                    };
                    match &country {
                        Some(cc) => {
                            dd.map_variant_for_country(
                                store_id,
                                &product,
                                variant.as_deref(),
                                cc,
                                supplier.id,
                                &vid,
                                cost_minor,
                            )?;
                            which = format!("{which} for {cc}");
                        }
                        None => {
                            dd.map_variant(store_id, &product, variant.as_deref(), supplier.id, &vid, cost_minor)?
                        }
                    }
                    println!(
                        "Mapped {store_name} {which} to {} variant {vid} at {}",
                        supplier.name,
                        money(cost_minor, "USD")
                    );
                }
            }
            Ok(())
        }
        MappingCommand::List { store } => {
            let dd = ctx.open()?;
            let store_id = store.map(|s| dd.store_by_name(&s)).transpose()?.map(|s| s.id);
            for m in dd.mappings(store_id)? {
                let cost = money(m.cost_minor, "USD");
                match (m.sku, m.store_name, m.store_product_id) {
                    (Some(sku), _, _) => println!("sku\t{sku}\t{}\t{}\t{cost}", m.supplier_name, m.variant_id),
                    (None, Some(store), Some(product)) => {
                        let which = match m.store_variant_id.filter(|v| !v.is_empty()) {
                            Some(v) => format!("{product}/{v}"),
                            None => product,
                        };
                        match m.country {
                            Some(cc) => println!(
                                "country\t{store}\t{which}\t{cc}\t{}\t{}\t{cost}",
                                m.supplier_name, m.variant_id
                            ),
                            // A bundle's part or a backup adds its quantity and priority.
                            None if m.quantity == 1 && m.priority == 1 => {
                                println!("variant\t{store}\t{which}\t{}\t{}\t{cost}", m.supplier_name, m.variant_id)
                            }
                            None => println!(
                                "variant\t{store}\t{which}\t{}\t{}\t{cost}\tx{}\tpriority {}",
                                m.supplier_name, m.variant_id, m.quantity, m.priority
                            ),
                        }
                    }
                    _ => {}
                }
            }
            Ok(())
        }
        MappingCommand::Automap { store, accept } => {
            let dd = ctx.open()?;
            let store = dd.store_by_name(&store)?;
            let proposals = dd.automap(store.id, accept).await?;
            let verb = if accept { "mapped" } else { "propose" };
            for p in &proposals {
                let v = &p.variant;
                let which = if v.variant_id.is_empty() {
                    v.product_id.clone()
                } else {
                    format!("{}/{}", v.product_id, v.variant_id)
                };
                let source = match p.source {
                    dropdock_core::products::ProposalSource::SkuMapping => "sku_mapping",
                    dropdock_core::products::ProposalSource::SupplierCatalogue => "supplier_catalogue",
                };
                println!(
                    "{verb}\t{}\t{which}\t{}\t{}\t{}\t{}\t{source}",
                    store.name,
                    v.sku,
                    p.supplier_name,
                    p.supplier_variant_id,
                    money(p.cost_minor, "USD")
                );
            }
            println!(
                "Auto-map by SKU: {} {}",
                proposals.len(),
                if accept { "mapped" } else { "proposed (add --accept to map them)" }
            );
            Ok(())
        }
        MappingCommand::Limit { store, product, variant, cost, none: _ } => {
            let dd = ctx.open()?;
            let store = dd.store_by_name(&store)?;
            let limit = cost
                .map(|c| dropdock_core::money::parse_minor(&c, "USD").map_err(|e| anyhow!("--cost: {e}")))
                .transpose()?;
            let variant = variant.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
            dd.set_mapping_cost_limit(store.id, &product, variant.as_deref(), limit)?;
            match limit {
                Some(l) => {
                    println!("Cost limit of {} product {}: {} a unit", store.name, product.trim(), money(l, "USD"))
                }
                None => println!("Cost limit of {} product {}: none", store.name, product.trim()),
            }
            Ok(())
        }
        MappingCommand::Remove { target, priority: Some(priority), vid } => {
            let dd = ctx.open()?;
            let Target::Variant { store_id, store_name, product, variant, country: None } = target.resolve(&dd)? else {
                bail!("--priority is for a mapping by the store's ids (--store, --product), without --country");
            };
            dd.remove_mapping_part(store_id, &product, variant.as_deref(), priority, vid.as_deref())?;
            match vid {
                Some(vid) => println!("Removed {vid} from option {priority} of {store_name} product {product}"),
                None => println!("Removed option {priority} of {store_name} product {product}"),
            }
            Ok(())
        }
        MappingCommand::Remove { target, priority: None, vid: _ } => {
            let dd = ctx.open()?;
            match target.resolve(&dd)? {
                Target::Sku(sku) => {
                    dd.remove_sku_mapping(&sku)?;
                    println!("Removed the mapping of {}", sku.trim());
                }
                Target::Variant { store_id, store_name, product, variant, country: Some(cc) } => {
                    dd.remove_variant_country_mapping(store_id, &product, variant.as_deref(), &cc)?;
                    println!("Removed the mapping of {store_name} product {product} for {cc}");
                }
                Target::Variant { store_id, store_name, product, variant, country: None } => {
                    dd.remove_variant_mapping(store_id, &product, variant.as_deref())?;
                    println!("Removed the mapping of {store_name} product {product}");
                }
            }
            Ok(())
        }
    }
}

/// `shipping …`
pub(crate) async fn shipping(ctx: &Ctx, command: ShippingCommand) -> Result<()> {
    match command {
        ShippingCommand::Set { country, line } => {
            let dd = ctx.open()?;
            dd.set_shipping_rule(&country, &line)?;
            println!("Default shipping line for {} is {}", country.to_uppercase(), line.join(", then "));
            Ok(())
        }
        ShippingCommand::List => {
            let dd = ctx.open()?;
            for (country, lines) in dd.shipping_rules()? {
                println!("{country}\t{}", lines.join(", then "));
            }
            Ok(())
        }
    }
}
