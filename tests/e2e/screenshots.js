// Screenshots of every screen of the real app, for reviewing the UI by eye (not a test).
// Usage (headless): xvfb-run -a tests/support/keyring-session.sh node tests/e2e/screenshots.js OUT_DIR
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, byTestId, chooseRadio, clickTestId, screenshot, waitStill, By, until } from "./driver.js";
import { Key } from "selenium-webdriver";

const out = process.argv[2] ?? "screenshots";
mkdirSync(out, { recursive: true });
const app = await launch();
const d = app.driver;
const shot = async (name) => screenshot(join(out, `${name}.png`));
try {
  await byTestId(d, "sandbox-badge", 60_000);
  // Products before any catalogue sync: the empty state.
  await clickTestId(d, "nav-products");
  await byTestId(d, "products-empty", 20_000);
  await shot("products-empty");
  await clickTestId(d, "nav-orders");
  await clickTestId(d, "action-menu");
  await clickTestId(d, "action-sync-order");
  await waitStill(d, await byTestId(d, "sync-start"));
  await chooseRadio(d, "60 Days");
  await clickTestId(d, "sync-start");
  // The running sync's progress (bar, pages and orders so far, Cancel), when the run is long
  // enough to see it.
  try {
    await byTestId(d, "sync-progress", 5_000);
    await shot("sync-order-progress");
  } catch {
    console.log("the sync ended before its progress showed");
  }
  await byTestId(d, "sync-summary", 180_000);
  await shot("sync-order");
  await clickTestId(d, "sync-close");
  await clickTestId(d, "tab-to_order");
  await new Promise((r) => setTimeout(r, 500));
  await shot("orders");
  await (await d.findElements(By.css('[data-testid="order-row"] td')))[1].click();
  await clickTestId(d, "ship-order");
  await new Promise((r) => setTimeout(r, 1500));
  await shot("order-detail");
  // The drawer's Profit section and, for the sent order, Refund or replacement with its form.
  await d.executeScript("arguments[0].scrollIntoView({ block: 'center' })", await byTestId(d, "disputes-section", 20_000));
  await new Promise((r) => setTimeout(r, 800));
  await shot("order-detail-profit-disputes");
  await clickTestId(d, "dispute-new");
  await d.executeScript("arguments[0].scrollIntoView({ block: 'end' })", await byTestId(d, "dispute-form"));
  await new Promise((r) => setTimeout(r, 800));
  await shot("order-dispute-form");
  // Out of the form's field first, then the drawer closes.
  await d.actions().sendKeys("\uE00C").perform();
  await new Promise((r) => setTimeout(r, 500));
  await d.actions().sendKeys("\uE00C").perform();
  await new Promise((r) => setTimeout(r, 1500));
  // Correct address: a ZIP the country's data rejects is saved as a correction; the drawer shows
  // it beside the store's address, with the address check's finding and the hold.
  await (await d.findElements(By.css('[data-testid="order-row"] td')))[1].click();
  await clickTestId(d, "address-edit");
  const zip = await d.wait(until.elementLocated(By.css('[data-testid="address-zip"]')), 20_000);
  await zip.sendKeys(Key.CONTROL, "a");
  await zip.sendKeys(Key.BACK_SPACE);
  await zip.sendKeys("ABCDE");
  await shot("order-address-form");
  await clickTestId(d, "address-save");
  await new Promise((r) => setTimeout(r, 1500));
  await shot("order-address-corrected");
  await d.actions().sendKeys("\uE00C").perform();
  await new Promise((r) => setTimeout(r, 800));
  // Bulk actions: tick three rows, hold them.
  const boxes = await d.findElements(By.css('[data-testid="select-order"]'));
  for (const box of boxes.slice(0, 3)) await d.executeScript("arguments[0].click()", box);
  await byTestId(d, "bulk-bar");
  await shot("orders-selection");
  await clickTestId(d, "bulk-hold");
  await new Promise((r) => setTimeout(r, 1500));
  await shot("orders-held");
  // A held order's drawer: the hold worded from its kind and values, in English and in Chinese.
  const heldRow = await d.wait(until.elementLocated(By.css('[data-testid="order-row"][data-hold="merchant"]')), 10_000);
  await d.executeScript("arguments[0].click()", heldRow);
  await byTestId(d, "hold-reason");
  await new Promise((r) => setTimeout(r, 800));
  await shot("order-held-detail");
  await d.actions().sendKeys("\uE00C").perform();
  await clickTestId(d, "nav-settings");
  await (await byTestId(d, "language-select")).findElement(By.css('option[value="zh-CN"]')).click();
  await clickTestId(d, "nav-orders");
  await d.executeScript("arguments[0].click()", await d.wait(until.elementLocated(By.css('[data-testid="order-row"][data-hold="merchant"]')), 10_000));
  await byTestId(d, "hold-reason");
  await new Promise((r) => setTimeout(r, 800));
  await shot("order-held-detail-zh");
  await d.actions().sendKeys("\uE00C").perform();
  await clickTestId(d, "nav-settings");
  await (await byTestId(d, "language-select")).findElement(By.css('option[value="en"]')).click();
  for (const [nav, name] of [["nav-dashboard", "dashboard"], ["nav-wallet", "wallet"], ["nav-auto-fulfillment", "auto-fulfillment"], ["nav-integrations", "integrations"], ["nav-settings", "settings"]]) {
    await clickTestId(d, nav);
    await new Promise((r) => setTimeout(r, 1500));
    await shot(name);
    if (name === "dashboard" || name === "settings") {
      await d.executeScript("arguments[0].scrollIntoView({ block: 'center' })", await byTestId(d, name === "dashboard" ? "chart-profit" : "profit-settings", 20_000));
      await new Promise((r) => setTimeout(r, 800));
      await shot(`${name}-profit`);
    }
    if (name === "auto-fulfillment") {
      await clickTestId(d, "tab-card");
      await new Promise((r) => setTimeout(r, 800));
      await shot("auto-fulfillment-card");
    }
  }
  // Products: the catalogue synced, a variant's mapping drawer with the supplier search's results,
  // Auto-map by SKU's proposals, and the page in Chinese.
  await clickTestId(d, "nav-products");
  await clickTestId(d, "sync-catalogue");
  await d.wait(until.elementLocated(By.css('[data-testid="product-row"]')), 60_000);
  await new Promise((r) => setTimeout(r, 1500));
  await shot("products");
  await (await byTestId(d, "products-search")).sendKeys("DD-MUG-WHT");
  await d.wait(async () => (await d.findElements(By.css('[data-testid="product-row"]'))).length === 1, 20_000);
  await d.executeScript("arguments[0].click()", (await d.findElements(By.css('[data-testid="product-row"] td')))[0]);
  const supplierSearch = await byTestId(d, "supplier-search", 20_000);
  await waitStill(d, supplierSearch);
  await clickTestId(d, "supplier-search-go");
  await byTestId(d, "supplier-results", 30_000);
  await new Promise((r) => setTimeout(r, 800));
  await shot("products-map-drawer");
  // Mapped by its ids, then a backup from the search: the drawer lists both options.
  const drawerGone = () => d.wait(async () => (await d.findElements(By.css('[data-testid="supplier-search"]'))).length === 0, 20_000);
  const reopen = async () => {
    await new Promise((r) => setTimeout(r, 1200));
    await d.executeScript("arguments[0].click()", (await d.findElements(By.css('[data-testid="product-row"] td')))[0]);
    await waitStill(d, await byTestId(d, "supplier-search", 20_000));
  };
  await clickTestId(d, "map-result");
  await drawerGone();
  await reopen();
  const words = await byTestId(d, "supplier-search");
  await words.sendKeys(Key.CONTROL, "a");
  await words.sendKeys(Key.BACK_SPACE);
  await words.sendKeys("Desk Lamp");
  await clickTestId(d, "supplier-search-go");
  await clickTestId(d, "add-backup");
  await drawerGone();
  await reopen();
  await byTestId(d, "mapping-options", 20_000);
  await new Promise((r) => setTimeout(r, 800));
  await shot("products-map-options");
  await d.actions().sendKeys(Key.ESCAPE).perform();
  await new Promise((r) => setTimeout(r, 800));
  await clickTestId(d, "nav-settings");
  await (await byTestId(d, "language-select")).findElement(By.css('option[value="zh-CN"]')).click();
  await clickTestId(d, "nav-products");
  await new Promise((r) => setTimeout(r, 1500));
  await shot("products-zh");
  await clickTestId(d, "nav-settings");
  await (await byTestId(d, "language-select")).findElement(By.css('option[value="en"]')).click();
  // Connect a supplier, with the demo Printful account filled in.
  await clickTestId(d, "nav-integrations");
  await clickTestId(d, "connect-supplier");
  const fillSupplier = await byTestId(d, "supplier-fill-demo", 20_000);
  await waitStill(d, fillSupplier);
  await fillSupplier.click();
  await new Promise((r) => setTimeout(r, 500));
  await shot("connect-supplier");
  await d.actions().sendKeys(Key.ESCAPE).perform();
  await new Promise((r) => setTimeout(r, 500));
  // Import orders (CSV): a Windows-1252 file with a refused row, then a 500-character name on the
  // Order page (cut in its cell) and in the order drawer (wrapped).
  const long = "N" + "ú".repeat(10) + "x".repeat(489);
  const csv = join(mkdtempSync(join(tmpdir(), "dropdock-shots-")), "orders.csv");
  writeFileSync(csv, Buffer.from([
    "order_number,created_at,financial_status,currency,order_total,email,customer_name,shipping_name,shipping_address1,shipping_address2,shipping_city,shipping_province,shipping_zip,shipping_country,shipping_phone,sku,item_title,quantity,unit_price,requires_shipping",
    "BIG-1,2026-11-01T10:00:00Z,paid,USD,2.00,big@example.com,Big,Big,1 High St,,Leeds,,LS1 4DY,GB,,DD-CASE-14,Phone Case,9223372036854775807,1.00,true",
    `LONG-1,2026-11-02T10:00:00Z,paid,USD,14.99,long@example.com,${long},${long},9 Oak Avenue,,Austin,Texas,78701,US,,DD-MUG-WHT,Ceramic Mug,1,14.99,true`,
  ].join("\r\n") + "\r\n", "latin1"));
  await clickTestId(d, "nav-integrations");
  await clickTestId(d, "import-csv");
  const csvStore = await byTestId(d, "csv-store");
  await waitStill(d, csvStore);
  await csvStore.sendKeys("Excel (CSV)");
  await (await d.findElement(By.css('input[type="file"]'))).sendKeys(csv);
  await new Promise((r) => setTimeout(r, 800));
  await clickTestId(d, "csv-preview-button");
  await byTestId(d, "csv-preview", 20_000);
  await shot("csv-preview");
  await clickTestId(d, "csv-import");
  await new Promise((r) => setTimeout(r, 1500));
  await clickTestId(d, "nav-orders");
  await clickTestId(d, "tab-all");
  await (await byTestId(d, "orders-search")).sendKeys("LONG-1");
  await new Promise((r) => setTimeout(r, 1500));
  await shot("orders-long-name");
  await (await d.findElements(By.css('[data-testid="order-row"] td')))[1].click();
  await byTestId(d, "order-detail", 20_000);
  await new Promise((r) => setTimeout(r, 1000));
  await shot("order-detail-long-name");
  await d.actions().sendKeys("\uE00C").perform();
  await new Promise((r) => setTimeout(r, 800));
  await clickTestId(d, "nav-settings");
  // Offline: the demo servers off, the badge, the Order page still browsable.
  await d.executeScript("arguments[0].click()", await d.wait(until.elementLocated(By.css('[data-testid="sandbox-serving-switch"]')), 20_000));
  await byTestId(d, "offline-badge", 20_000);
  await clickTestId(d, "nav-orders");
  await new Promise((r) => setTimeout(r, 1000));
  await shot("orders-offline");
  await clickTestId(d, "nav-settings");
  await d.executeScript("arguments[0].click()", await d.wait(until.elementLocated(By.css('[data-testid="sandbox-serving-switch"]')), 20_000));
} finally {
  await app.close();
}
