//! Demo data: a shop with orders over the last 60 days, two CJ accounts whose catalogs cover the
//! shop's SKUs, and a Printful account for its print-on-demand products (on about one order in
//! seven, beside CJ items, so those orders split across the two platforms). Deterministic for a given seed (times are relative to the first start).

use chrono::{Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

use crate::cj::{CatalogVariant, CjAccountData, LogisticLine};
use crate::etsy::EtsyShopData;
use crate::printful::{PrintfulAccountData, PrintfulVariant};
use crate::shopify::{ShopData, ShopLineItem, ShopOrder, ShopProduct, ShopVariant};
use crate::woo::WooStoreData;
use crate::{SandboxConfig, SandboxState};

/// (SKU, title, retail price in cents, supplier index, supplier cost in cents)
const PRODUCTS: &[(&str, &str, i64, usize, i64)] = &[
    ("DD-MUG-WHT", "Ceramic Mug - White", 1499, 0, 320),
    ("DD-LED-5M", "LED Strip Lights 5 m", 2499, 0, 680),
    ("DD-CASE-14", "Phone Case - Clear", 1299, 0, 190),
    ("DD-YOGA-MAT", "Yoga Mat 6 mm", 3499, 0, 950),
    ("DD-PET-BRUSH", "Pet Grooming Brush", 1599, 0, 240),
    ("DD-BAND-42", "Watch Band 42 mm", 999, 0, 160),
    ("DD-HOODIE-M", "Hoodie - Grey M", 4499, 1, 1400),
    ("DD-BACKPACK", "Travel Backpack", 5999, 1, 1250),
    ("DD-LAMP", "Desk Lamp LED", 3999, 1, 890),
];

/// The print-on-demand products, printed by Printful: (SKU, title, retail price in cents,
/// Printful catalog product id, product type, catalog variant id, size, colour, colour code,
/// Printful's price in cents). Ids and prices in the range of Printful's own catalogue.
type PodProduct =
    (&'static str, &'static str, i64, i64, &'static str, i64, &'static str, &'static str, &'static str, i64);
const POD_PRODUCTS: &[PodProduct] = &[
    ("DD-TEE-BLK-M", "Printed T-Shirt - Black M", 2499, 71, "T-Shirt", 4017, "M", "Black", "#0c0c0c", 1195),
    ("DD-TEE-WHT-L", "Printed T-Shirt - White L", 2499, 71, "T-Shirt", 4013, "L", "White", "#ffffff", 1195),
    ("DD-MUG-PRINT", "Printed Mug 11 oz", 1799, 19, "Mug", 1320, "11 oz", "White", "#ffffff", 795),
    ("DD-POSTER-A3", "Art Poster 30x40 cm", 2199, 1, "Poster", 1349, "30x40 cm", "", "", 1050),
];

/// (city, province, zip)
type City = (&'static str, &'static str, &'static str);

/// (country, share of orders in percent, cities)
const COUNTRIES: &[(&str, u32, &[City])] = &[
    (
        "US",
        45,
        &[
            ("Austin", "Texas", "78701"),
            ("Portland", "Oregon", "97205"),
            ("Columbus", "Ohio", "43215"),
            ("Miami", "Florida", "33130"),
        ],
    ),
    ("GB", 12, &[("Manchester", "England", "M1 1AE"), ("Leeds", "England", "LS1 4DY")]),
    ("DE", 10, &[("München", "Bayern", "80331"), ("Köln", "Nordrhein-Westfalen", "50667")]),
    ("CA", 10, &[("Toronto", "Ontario", "M5H 2N2"), ("Montréal", "Quebec", "H2Y 1C6")]),
    ("AU", 8, &[("Sydney", "New South Wales", "2000"), ("Perth", "Western Australia", "6000")]),
    ("FR", 8, &[("Lyon", "Auvergne-Rhône-Alpes", "69001"), ("Nantes", "Pays de la Loire", "44000")]),
    ("NL", 4, &[("Utrecht", "Utrecht", "3511 LN")]),
    ("ES", 3, &[("Sevilla", "Sevilla", "41001")]),
];

const FIRST: &[&str] = &[
    "Ana", "James", "Chloé", "Lukas", "Mia", "Noah", "Sofía", "Oliver", "Zoë", "Mateo", "Emma", "Jürgen", "Priya",
    "Liam", "Aisha", "Kenji",
];
const LAST: &[&str] = &[
    "Núñez", "Smith", "Dubois", "Müller", "Brown", "Wilson", "García", "Taylor", "Kowalski", "Rossi", "Nguyen",
    "Schäfer", "Patel", "O'Brien", "Khan", "Tanaka",
];
const STREETS: &[&str] =
    &["Main St", "High Street", "Hauptstraße", "Rue de la Paix", "King St W", "George St", "Calle Mayor", "Oak Avenue"];

fn pick_country(
    rng: &mut StdRng,
) -> &'static (&'static str, u32, &'static [(&'static str, &'static str, &'static str)]) {
    let total: u32 = COUNTRIES.iter().map(|c| c.1).sum();
    let mut roll = rng.gen_range(0..total);
    for c in COUNTRIES {
        if roll < c.1 {
            return c;
        }
        roll -= c.1;
    }
    &COUNTRIES[0]
}

fn price(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

fn lines(shop_countries_only: Option<&[&str]>, base: i64) -> Vec<LogisticLine> {
    let everywhere = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let all: Vec<String> = shop_countries_only.map(everywhere).unwrap_or_default();
    vec![
        LogisticLine {
            name: "CJPacket Ordinary".into(),
            price_minor: base,
            aging: "7-12".into(),
            countries: all.clone(),
            tracking_prefix: "CJPKL".into(),
            last_mile_carrier: "".into(),
        },
        LogisticLine {
            name: "YunExpress Standard".into(),
            price_minor: base + 170,
            aging: "6-10".into(),
            countries: all.clone(),
            tracking_prefix: "YT".into(),
            last_mile_carrier: "".into(),
        },
        LogisticLine {
            name: "USPS+".into(),
            price_minor: base + 260,
            aging: "4-7".into(),
            countries: vec!["US".into()],
            tracking_prefix: "9400".into(),
            last_mile_carrier: "USPS".into(),
        },
        LogisticLine {
            name: "DHL Official".into(),
            price_minor: base + 1450,
            aging: "3-5".into(),
            countries: all,
            tracking_prefix: "JD".into(),
            last_mile_carrier: "".into(),
        },
    ]
}

/// Generates the demo state for `config`.
pub fn generate(config: &SandboxConfig) -> SandboxState {
    let mut rng = StdRng::seed_from_u64(config.seed);
    let now = Utc::now();
    let mut orders = Vec::with_capacity(config.orders);
    let mut next_line = 9_000_000u64;
    for i in 0..config.orders {
        let id = 5_550_000 + i as u64;
        // Spread over 59 days so every order stays inside a 60-day window for the whole demo.
        let created_at = now - Duration::seconds(rng.gen_range(600..59 * 86_400));
        let (country, _, cities) = pick_country(&mut rng);
        let (city, province, zip) = cities[rng.gen_range(0..cities.len())];
        let first = FIRST[rng.gen_range(0..FIRST.len())];
        let last = LAST[rng.gen_range(0..LAST.len())];
        let roll: u32 = rng.gen_range(0..100);
        let financial_status = match roll {
            0..=79 => "PAID",
            80..=91 => "PENDING",
            92..=95 => "AUTHORIZED",
            _ => "PARTIALLY_REFUNDED",
        };
        let mut line_items = Vec::new();
        let n_items = match rng.gen_range(0..100) {
            0..=59 => 1,
            60..=84 => 2,
            _ => 3,
        };
        // About a quarter of orders mix both suppliers' products.
        let mixed = rng.gen_bool(0.25);
        for k in 0..n_items {
            let pool: Vec<&(&str, &str, i64, usize, i64)> = if mixed {
                PRODUCTS.iter().filter(|p| p.3 == k % 2).collect()
            } else {
                PRODUCTS.iter().filter(|p| p.3 == 0).collect()
            };
            let (sku, title, retail, _, _) = pool[rng.gen_range(0..pool.len())];
            if line_items.iter().any(|l: &ShopLineItem| l.sku.as_deref() == Some(*sku)) {
                continue;
            }
            next_line += 1;
            line_items.push(ShopLineItem {
                id: next_line,
                sku: Some(sku.to_string()),
                title: title.to_string(),
                quantity: rng.gen_range(1..=2),
                price: price(*retail),
                requires_shipping: true,
                // The demo catalogue's ids: product 9000 + its index, one variant each.
                product_id: PRODUCTS.iter().position(|p| p.0 == *sku).map(|i| 9_000 + i as u64),
                variant_id: PRODUCTS.iter().position(|p| p.0 == *sku).map(|i| 19_000 + i as u64),
            });
        }
        if rng.gen_bool(0.05) {
            next_line += 1;
            line_items.push(ShopLineItem {
                id: next_line,
                sku: Some("DD-EBOOK".into()),
                title: "Care Guide (e-book)".into(),
                quantity: 1,
                price: "4.99".into(),
                requires_shipping: false,
                product_id: Some(9_999),
                variant_id: Some(19_999),
            });
        }
        let name = format!("{first} {last}");
        let address: Value = json!({
            "name": name, "address1": format!("{} {}", rng.gen_range(1..400), STREETS[rng.gen_range(0..STREETS.len())]),
            "address2": if rng.gen_bool(0.2) { Value::from(format!("Apt {}", rng.gen_range(1..60))) } else { Value::Null },
            "city": city, "province": province, "zip": zip, "countryCodeV2": country,
            "phone": format!("+1 555 01{:02}", rng.gen_range(0..100)),
        });
        let updated_at = created_at + Duration::seconds(rng.gen_range(0..3_600));
        orders.push(ShopOrder {
            id,
            name: format!("#{}", 1001 + i),
            created_at,
            updated_at: updated_at.min(now),
            email: Some(format!("{}.{}@example.com", first.to_lowercase(), i)),
            customer_name: Some(name),
            financial_status: financial_status.into(),
            currency: "USD".into(),
            shipping_address: address,
            line_items,
            shipping_price: price([0, 499, 799][rng.gen_range(0..3)]),
            fulfillments: vec![],
            raw_node: None,
            cancelled_at: None,
            risk: None,
            refunded_cents: 0,
        });
    }
    add_printed_items(config, &mut orders);
    orders.sort_by_key(|o| o.created_at);
    for (i, o) in orders.iter_mut().enumerate() {
        o.name = format!("#{}", 1001 + i);
    }
    // Shopify's fraud analysis: the oldest paid order is rated HIGH (held until released), the
    // next one MEDIUM (it ships); every other order has no assessment.
    let mut paid = orders.iter_mut().filter(|o| o.financial_status == "PAID");
    if let Some(o) = paid.next() {
        o.risk = Some(crate::shopify::ShopRisk { recommendation: "INVESTIGATE".into(), levels: vec!["HIGH".into()] });
    }
    if let Some(o) = paid.next() {
        o.risk = Some(crate::shopify::ShopRisk { recommendation: "ACCEPT".into(), levels: vec!["MEDIUM".into()] });
    }
    let catalog = |supplier: usize| -> Vec<CatalogVariant> {
        PRODUCTS
            .iter()
            .filter(|p| p.3 == supplier)
            .enumerate()
            .map(|(k, (sku, title, _, _, cost))| CatalogVariant {
                vid: format!("VID-{}{:03}-{}", supplier + 1, k + 1, &sku[3..]),
                sku: sku.to_string(),
                name: title.to_string(),
                cost_minor: *cost,
                stock: 5000,
                warehouse: "CN".into(),
                discontinued: false,
            })
            .collect()
    };
    let suppliers = vec![
        CjAccountData {
            name: "CJ Shenzhen (demo)".into(),
            api_key: format!("CJ-DEMO-SZ-{:016x}", rng.gen::<u64>()),
            balance_minor: config.opening_balance_minor,
            catalog: catalog(0),
            lines: lines(None, 330),
            orders: vec![],
            next_order: 0,
            cards: vec![],
            card_charges: vec![],
            disputes: vec![],
            next_dispute: 0,
        },
        CjAccountData {
            name: "CJ US Warehouse (demo)".into(),
            api_key: format!("CJ-DEMO-US-{:016x}", rng.gen::<u64>()),
            balance_minor: config.opening_balance_minor,
            catalog: catalog(1),
            lines: lines(None, 450),
            orders: vec![],
            next_order: 0,
            cards: vec![],
            card_charges: vec![],
            disputes: vec![],
            next_dispute: 0,
        },
    ];
    SandboxState {
        shop: ShopData {
            shop_name: "Dropdock Demo Shop".into(),
            access_token: format!("shpat_demo{:024x}", rng.gen::<u128>()),
            app_client_id: format!("{:032x}", rng.gen::<u128>()),
            app_client_secret: format!("shpss_{:032x}", rng.gen::<u128>()),
            orders,
            next_id: 7_000_000,
            products: shop_products(),
        },
        suppliers,
        woo: Some(generate_woo(config)),
        etsy: Some(generate_etsy(config)),
        printful: Some(generate_printful(config)),
    }
}

/// The demo shop's catalogue, with the ids its orders' line items carry: one product per CJ item
/// (9000 + its index, one variant "Default Title", 19000 + its index), the print-on-demand items
/// (9100 +, 19100 +), the e-book (9999 / 19999), and two the orders never name: a draft
/// whose SKU is `null` and an archived one whose SKU is blank. Deterministic: a shop saved before it had a
/// catalogue gets the same one.
pub fn shop_products() -> Vec<ShopProduct> {
    let image = |sku: &str| Some(format!("https://cdn.shopify.com/s/files/1/demo/{}.jpg", sku.to_lowercase()));
    let one = |id: u64, variant: u64, title: &str, sku: Option<&str>, cents: i64, status: &str| ShopProduct {
        id,
        title: title.to_owned(),
        status: status.to_owned(),
        image_url: sku.and_then(image),
        variants: vec![ShopVariant {
            id: variant,
            title: "Default Title".into(),
            sku: sku.map(str::to_owned),
            price: price(cents),
            image_url: None,
        }],
    };
    let mut products: Vec<ShopProduct> = PRODUCTS
        .iter()
        .enumerate()
        .map(|(i, (sku, title, retail, ..))| {
            one(9_000 + i as u64, 19_000 + i as u64, title, Some(sku), *retail, "ACTIVE")
        })
        .collect();
    products.extend(POD_PRODUCTS.iter().enumerate().map(|(i, (sku, title, retail, ..))| {
        one(9_100 + i as u64, 19_100 + i as u64, title, Some(sku), *retail, "ACTIVE")
    }));
    products.push(one(9_999, 19_999, "Care Guide (e-book)", Some("DD-EBOOK"), 499, "ACTIVE"));
    products.push(one(9_500, 19_500, "Bamboo Cutting Board", None, 2299, "DRAFT"));
    products.push(one(9_501, 19_501, "Fidget Spinner", Some(""), 599, "ARCHIVED"));
    products
}

/// About one order in seven gets a print-on-demand line beside its CJ items. A pass of its own,
/// with its own random stream, after the orders are made: the rest of the demo stays as it was.
fn add_printed_items(config: &SandboxConfig, orders: &mut [ShopOrder]) {
    let mut rng = StdRng::seed_from_u64(config.seed ^ 0x0070_11f0);
    let mut next_line = 9_500_000u64;
    for order in orders.iter_mut() {
        if !rng.gen_bool(0.15) {
            continue;
        }
        let index = rng.gen_range(0..POD_PRODUCTS.len());
        let (sku, title, retail, ..) = POD_PRODUCTS[index];
        next_line += 1;
        order.line_items.push(ShopLineItem {
            id: next_line,
            sku: Some(sku.to_string()),
            title: title.to_string(),
            quantity: rng.gen_range(1..=2),
            price: price(retail),
            requires_shipping: true,
            product_id: Some(9_100 + index as u64),
            variant_id: Some(19_100 + index as u64),
        });
    }
}

/// The demo Printful account: the print-on-demand catalogue, a store-level token, no orders.
pub fn generate_printful(config: &SandboxConfig) -> PrintfulAccountData {
    let mut rng = StdRng::seed_from_u64(config.seed ^ 0x0070_7f00);
    PrintfulAccountData {
        name: "Printful (demo)".into(),
        token: format!("pf-demo-{:032x}", rng.gen::<u128>()),
        store_id: 15_000_001,
        catalog: POD_PRODUCTS
            .iter()
            .map(|&(sku, title, _, product_id, product_type, id, size, color, color_code, cost)| PrintfulVariant {
                id,
                product_id,
                product_name: title.split(" - ").next().unwrap_or(title).to_string(),
                product_type: product_type.into(),
                name: title.into(),
                size: size.into(),
                color: color.into(),
                color_code: color_code.into(),
                sku: sku.into(),
                cost_minor: cost,
                in_stock: true,
            })
            .collect(),
        orders: Vec::new(),
        next_order: 0,
    }
}

/// The demo WooCommerce store: a quarter as many orders as the shop (at least 10), in
/// WooCommerce's JSON shape, over the last 59 days; some lines without a SKU (WooCommerce allows
/// it), a few `pending`, `on-hold` and `completed` orders, and one with a plugin's own status.
pub fn generate_woo(config: &SandboxConfig) -> WooStoreData {
    let mut rng = StdRng::seed_from_u64(config.seed ^ 0x00c0_ffee);
    let now = Utc::now();
    let count = (config.orders / 4).max(10);
    let gmt = |t: chrono::DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%S").to_string();
    let mut created: Vec<chrono::DateTime<Utc>> =
        (0..count).map(|_| now - Duration::seconds(rng.gen_range(600..59 * 86_400))).collect();
    created.sort();
    let mut orders = Vec::with_capacity(count);
    for (i, created_at) in created.into_iter().enumerate() {
        let id = 4_000 + i as u64;
        let (country, _, cities) = pick_country(&mut rng);
        let (city, province, zip) = cities[rng.gen_range(0..cities.len())];
        let first = FIRST[rng.gen_range(0..FIRST.len())];
        let last = LAST[rng.gen_range(0..LAST.len())];
        let status = match (i, rng.gen_range(0..100)) {
            (7, _) => "awaiting-shipment", // a plugin's status: kept and shown, never taken for paid
            (_, 0..=77) => "processing",
            (_, 78..=87) => "pending",
            (_, 88..=93) => "on-hold",
            _ => "completed",
        };
        let mut total = 0i64;
        let mut line_items = Vec::new();
        for k in 0..rng.gen_range(1..=2) {
            let (sku, title, retail, _, _) = PRODUCTS[rng.gen_range(0..PRODUCTS.len())];
            if line_items.iter().any(|l: &Value| l["name"] == *title) {
                continue;
            }
            let quantity = rng.gen_range(1..=2);
            total += retail * quantity;
            // One line in ten has no SKU: WooCommerce allows it; it is mapped by product.
            let sku = if rng.gen_bool(0.1) { "" } else { sku };
            line_items.push(json!({
                "id": id * 10 + k, "name": title, "product_id": 100 + PRODUCTS.iter().position(|p| p.1 == title).unwrap_or(0),
                "variation_id": 0, "quantity": quantity, "tax_class": "", "subtotal": price(retail * quantity),
                "subtotal_tax": "0.00", "total": price(retail * quantity), "total_tax": "0.00", "sku": sku,
                "price": serde_json::Number::from_f64(retail as f64 / 100.0).map(Value::Number).unwrap_or(Value::Null),
            }));
        }
        let shipping = [0, 499][rng.gen_range(0..2)];
        total += shipping;
        let modified_at = (created_at + Duration::seconds(rng.gen_range(0..3_600))).min(now);
        orders.push(json!({
            "id": id, "parent_id": 0, "number": (5001 + i).to_string(), "status": status, "currency": "USD",
            "date_created_gmt": gmt(created_at), "date_modified_gmt": gmt(modified_at),
            "total": price(total), "shipping_total": price(shipping), "total_tax": "0.00",
            "billing": { "first_name": first, "last_name": last, "email": format!("{}.w{}@example.com", first.to_lowercase(), i),
                         "phone": format!("+1 555 02{:02}", rng.gen_range(0..100)), "country": country },
            "shipping": { "first_name": first, "last_name": last, "company": "",
                          "address_1": format!("{} {}", rng.gen_range(1..400), STREETS[rng.gen_range(0..STREETS.len())]),
                          "address_2": "", "city": city, "state": province, "postcode": zip, "country": country },
            "line_items": line_items,
        }));
    }
    WooStoreData {
        site_name: "Dropdock Demo WooCommerce".into(),
        consumer_key: format!("ck_{:032x}{:08x}", rng.gen::<u128>(), rng.gen::<u32>()),
        consumer_secret: format!("cs_{:032x}{:08x}", rng.gen::<u128>(), rng.gen::<u32>()),
        orders,
        products: woo_products(),
        variations: woo_variations(),
        currency: "USD".into(),
        tracking_support: Default::default(),
        fulfillments: Vec::new(),
        shipment_trackings: Vec::new(),
        notes: Vec::new(),
    }
}

/// The demo WooCommerce catalogue in the documented `Product` shape: one simple product per
/// CJ item (id 100 + its index, as the orders' `product_id`), and a variable one (300) whose two
/// variations show the awkward parts: a blank SKU and an empty `price`.
pub fn woo_products() -> Vec<Value> {
    let mut products: Vec<Value> = PRODUCTS
        .iter()
        .enumerate()
        .map(|(i, (sku, title, retail, ..))| {
            json!({
                "id": 100 + i, "name": title, "slug": title.to_lowercase().replace(' ', "-"), "type": "simple",
                "status": "publish", "sku": sku, "price": price(*retail), "regular_price": price(*retail), "sale_price": "",
                "images": [{ "id": 700 + i, "src": format!("https://example.com/wp-content/uploads/{}.jpg", sku.to_lowercase()), "name": title, "alt": "" }],
                "variations": [],
            })
        })
        .collect();
    products.push(json!({
        "id": 300, "name": "Canvas Tote Bag", "slug": "canvas-tote-bag", "type": "variable", "status": "publish",
        "sku": "", "price": "18.00", "regular_price": "", "sale_price": "", "images": [], "variations": [301, 302],
    }));
    products
}

/// The variations of [`woo_products`]' variable product.
pub fn woo_variations() -> Vec<Value> {
    vec![
        json!({ "id": 301, "parent_id": 300, "sku": "DD-TOTE-NAT", "price": "18.00", "regular_price": "18.00", "status": "publish",
                "image": { "id": 801, "src": "https://example.com/wp-content/uploads/tote-natural.jpg" },
                "attributes": [{ "id": 0, "name": "Color", "option": "Natural" }] }),
        json!({ "id": 302, "parent_id": 300, "sku": "", "price": "", "regular_price": "", "status": "publish",
                "image": { "id": 0, "src": "" },
                "attributes": [{ "id": 0, "name": "Color", "option": "Black" }] }),
    ]
}

/// The demo Etsy shop: a fifth as many receipts as the shop has orders (at least 10), in Etsy's
/// `ShopReceipt` shape (money as `{amount, divisor, currency_code}`, unix timestamps).
pub fn generate_etsy(config: &SandboxConfig) -> EtsyShopData {
    let mut rng = StdRng::seed_from_u64(config.seed ^ 0x00e7_5e11);
    let now = Utc::now();
    let count = (config.orders / 5).max(10);
    let mut receipts = Vec::with_capacity(count);
    for i in 0..count {
        let created = now - Duration::seconds(rng.gen_range(600..59 * 86_400));
        let updated = (created + Duration::seconds(rng.gen_range(0..3_600))).min(now);
        let (country, _, cities) = pick_country(&mut rng);
        let (city, province, zip) = cities[rng.gen_range(0..cities.len())];
        let name = format!("{} {}", FIRST[rng.gen_range(0..FIRST.len())], LAST[rng.gen_range(0..LAST.len())]);
        let index = rng.gen_range(0..PRODUCTS.len());
        let (sku, title, retail, _, _) = PRODUCTS[index];
        let quantity = rng.gen_range(1..=2);
        let paid = rng.gen_range(0..100) < 85;
        receipts.push(json!({
            "receipt_id": 3_100_000_000u64 + i as u64, "receipt_type": 0, "seller_user_id": 7_000_001,
            "buyer_user_id": 8_000_000 + i, "buyer_email": format!("etsy.buyer{i}@example.com"),
            "name": name, "first_line": format!("{} {}", rng.gen_range(1..400), STREETS[rng.gen_range(0..STREETS.len())]),
            "second_line": Value::Null, "city": city, "state": province, "zip": zip, "country_iso": country,
            "status": if paid { "paid" } else { "payment processing" }, "is_paid": paid, "is_shipped": false,
            "created_timestamp": created.timestamp(), "updated_timestamp": updated.timestamp(),
            "grandtotal": { "amount": retail * quantity, "divisor": 100, "currency_code": "USD" },
            "transactions": [{
                "transaction_id": 4_100_000_000u64 + i as u64, "title": title, "quantity": quantity, "sku": sku,
                "is_digital": false, "listing_id": ETSY_LISTING + index as u64, "product_id": ETSY_PRODUCT + index as u64,
                "price": { "amount": retail, "divisor": 100, "currency_code": "USD" },
            }],
        }));
    }
    EtsyShopData {
        keystring: format!("{:024x}", rng.gen::<u128>()),
        shared_secret: format!("{:010x}", rng.gen::<u64>()),
        user_id: 7_000_001,
        shop_id: 40_000_001,
        shop_name: "DropdockDemoCrafts".into(),
        receipts,
        listings: etsy_listings(),
        access: Default::default(),
        refresh: Default::default(),
    }
}

/// The demo Etsy shop's listing ids (one per CJ item, from this up) and their one product each.
const ETSY_LISTING: u64 = 1_500_000_000;
const ETSY_PRODUCT: u64 = 2_500_000_000;

/// The demo Etsy shop's listings, each with its inventory, in Etsy's `ShopListing` and
/// `ListingInventory` shapes: one active listing per CJ item with one product (the receipts'
/// `listing_id` and `product_id`), and one draft listing with two products (colours), one of
/// them deleted and one offering disabled.
pub fn etsy_listings() -> Vec<Value> {
    let money = |cents: i64| json!({ "amount": cents, "divisor": 100, "currency_code": "USD" });
    let mut listings: Vec<Value> = PRODUCTS
        .iter()
        .enumerate()
        .map(|(i, (sku, title, retail, ..))| {
            json!({
                "listing_id": ETSY_LISTING + i as u64, "shop_id": 40_000_001, "title": title, "state": "active",
                "quantity": 50, "skus": [sku], "price": money(*retail), "has_variations": false,
                "inventory": { "products": [{
                    "product_id": ETSY_PRODUCT + i as u64, "sku": sku, "is_deleted": false,
                    "offerings": [{ "offering_id": 3_500_000_000u64 + i as u64, "quantity": 50, "is_enabled": true, "is_deleted": false, "price": money(*retail) }],
                    "property_values": [],
                }], "price_on_property": [], "quantity_on_property": [], "sku_on_property": [] },
            })
        })
        .collect();
    listings.push(json!({
        "listing_id": ETSY_LISTING + 100, "shop_id": 40_000_001, "title": "Hand-knit Scarf", "state": "draft",
        "quantity": 3, "skus": ["", "DD-SCARF-BLU"], "price": money(3900), "has_variations": true,
        "inventory": { "products": [
            { "product_id": ETSY_PRODUCT + 100, "sku": "", "is_deleted": false,
              "offerings": [{ "offering_id": 3_500_000_100u64, "quantity": 2, "is_enabled": true, "is_deleted": false, "price": money(3900) }],
              "property_values": [{ "property_id": 200, "property_name": "Primary color", "scale_id": null, "scale_name": null, "value_ids": [1], "values": ["Red"] }] },
            { "product_id": ETSY_PRODUCT + 101, "sku": "DD-SCARF-BLU", "is_deleted": false,
              "offerings": [{ "offering_id": 3_500_000_101u64, "quantity": 1, "is_enabled": false, "is_deleted": false, "price": money(4100) }],
              "property_values": [{ "property_id": 200, "property_name": "Primary color", "scale_id": null, "scale_name": null, "value_ids": [2], "values": ["Blue"] }] },
            { "product_id": ETSY_PRODUCT + 102, "sku": "OLD", "is_deleted": true, "offerings": [], "property_values": [] }
        ], "price_on_property": [200], "quantity_on_property": [], "sku_on_property": [200] },
    }));
    listings
}
