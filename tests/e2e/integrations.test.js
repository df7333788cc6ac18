// Store → Integrations on the real app: connect the sandbox's WooCommerce store through the
// connect form (wrong keys first: refused with the reason), test the connection, sync it, and
// its orders appear on the Order page beside the Shopify store's.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Key } from "selenium-webdriver";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, byTestId, clickFound, clickTestId, waitStill, withScreenshot, settled, By, until } from "./driver.js";

let app;
before(async () => {
  app = await launch();
});
after(async () => {
  await app?.close();
});

/** The store row named `name`, or null. */
async function row(d, name) {
  return (await d.findElements(By.css(`[data-testid="store-row"][data-name="${name}"]`)))[0] ?? null;
}

/** Clears the Order page's filters when any is set (the button shows only then). */
async function clearFilters(d) {
  for (const b of await d.findElements(By.css('[data-testid="clear-filters"]'))) await b.click();
}

async function openRowMenu(d, name) {
  // Found again at each try: a closing notification or modal may cover it a moment.
  await clickFound(async () => (await row(d, name)).findElement(By.css('[data-testid="store-menu"]')));
}

test("Integrations: connect the demo WooCommerce store, test the connection, sync it", { timeout: 240_000 }, (t) => withScreenshot(t, async () => {
  const d = app.driver;
  await byTestId(d, "sandbox-badge", 60_000);
  await clickTestId(d, "nav-integrations");
  await settled(d, async () => (await row(d, "Demo Shopify store")) !== null, 30_000, "the demo Shopify store is listed");

  // Connect a store → WooCommerce, with the demo store's details; a wrong secret is refused.
  await clickTestId(d, "connect-store");
  const fill = await byTestId(d, "woo-demo-fill", 20_000);
  await waitStill(d, fill);
  await fill.click();
  const secret = await byTestId(d, "connect-secret");
  await secret.sendKeys("x"); // now wrong
  await clickTestId(d, "connect-submit");
  const error = await byTestId(d, "connect-error-text", 30_000);
  assert.match(await error.getText(), /rejected the credentials: reconnect this account/);
  await secret.sendKeys(Key.BACK_SPACE);
  await clickTestId(d, "connect-submit");
  await settled(d, async () => (await row(d, "Demo WooCommerce store")) !== null, 30_000, "the WooCommerce store is listed");
  const woo = await row(d, "Demo WooCommerce store");
  assert.equal(await woo.getAttribute("data-platform"), "woocommerce");

  // Test connection.
  await openRowMenu(d, "Demo WooCommerce store");
  await clickTestId(d, "store-test");
  const result = await byTestId(d, "store-test-result", 30_000);
  assert.equal(await result.getAttribute("data-ok"), "true");
  assert.match(await result.getText(), /Connection OK/);

  // Sync now: its 50 orders are stored, and the run is complete.
  await openRowMenu(d, "Demo WooCommerce store");
  await clickTestId(d, "store-sync-now");
  await settled(d, async () => (await (await row(d, "Demo WooCommerce store")).getAttribute("data-orders")) === "50", 60_000, "50 orders synced");
  const status = await (await row(d, "Demo WooCommerce store")).findElement(By.css('[data-testid="store-sync-status"]'));
  assert.equal(await status.getAttribute("data-status"), "complete");

  // Edit: a new name.
  await openRowMenu(d, "Demo WooCommerce store");
  await clickTestId(d, "store-edit");
  const name = await byTestId(d, "edit-name");
  await waitStill(d, name);
  await name.sendKeys(Key.CONTROL, "a");
  await name.sendKeys(Key.BACK_SPACE);
  await name.sendKeys("Woo EU");
  await clickTestId(d, "edit-save");
  await settled(d, async () => (await row(d, "Woo EU")) !== null, 20_000, "the store is renamed");

  // On the Order page, the WooCommerce orders are there (numbered from #5001).
  await clickTestId(d, "nav-orders");
  const search = await byTestId(d, "orders-search", 20_000);
  await search.sendKeys("5001");
  await settled(d, async () => {
    const rows = await d.findElements(By.css('[data-testid="order-row"]'));
    // The row's text as the page holds it: WebDriver's visible-text reading leaves out text in
    // cells that cut long text with an ellipsis (overflow: hidden), though it is on screen.
    for (const r of rows) if ((await d.executeScript("return arguments[0].textContent", r)).includes("#5001")) return true;
    return false;
  }, 30_000, "order #5001 is listed");
}));

test("Order: a WooCommerce line without a SKU is mapped by its store product in the drawer, and the order is free to ship", { timeout: 180_000 }, (t) => withScreenshot(t, async () => {
  // The WooCommerce store connected and synced above: some of its lines have no SKU (WooCommerce
  // allows it), and those orders are held as unmapped.
  const d = app.driver;
  await clickTestId(d, "nav-orders");
  await clickTestId(d, "tab-all");
  const search = await byTestId(d, "orders-search", 20_000);
  await search.sendKeys(Key.CONTROL, "a");
  await search.sendKeys(Key.BACK_SPACE);
  await clickTestId(d, "filter-hold");
  const option = await d.wait(until.elementLocated(By.xpath('//*[@role="option"][normalize-space(.)="SKU not mapped"]')), 10_000);
  await d.wait(until.elementIsVisible(option), 10_000);
  await option.click();
  await settled(d, async () => (await d.findElements(By.css('[data-testid="order-row"]'))).length > 0, 30_000, "orders held as unmapped");
  const row = (await d.findElements(By.css('[data-testid="order-row"]')))[0];
  const name = await row.getAttribute("data-order-name");
  await row.findElement(By.css("td:nth-child(2)")).click();
  await byTestId(d, "hold-reason", 20_000);
  const map = await byTestId(d, "map-product", 20_000);
  await waitStill(d, map);
  await map.click();
  await clickTestId(d, "map-product-supplier");
  // The visible option (the page's supplier filter holds options of the same name).
  await settled(d, async () => {
    for (const o of await d.findElements(By.xpath('//*[@role="option"][normalize-space(.)="CJ Shenzhen (demo)"]'))) {
      if (await o.isDisplayed()) {
        await o.click();
        return true;
      }
    }
    return false;
  }, 10_000, "the supplier is chosen");
  await (await byTestId(d, "map-product-vid")).sendKeys("VID-1001-MUG-WHT");
  await (await byTestId(d, "map-product-cost")).sendKeys("3.20");
  await clickTestId(d, "map-product-save");
  // Mapped: the drawer shows the supplier on the line, and no hold is left (or another line's).
  await settled(d, async () => (await d.findElements(By.css('[data-testid="map-product"]'))).length === 0, 30_000, `${name}'s line is mapped`);
  const detail = await byTestId(d, "order-detail");
  assert.match(await detail.getText(), /CJ Shenzhen \(demo\)/);
  // Leave the page as the next test expects it: the drawer closed, no filter.
  await d.actions().sendKeys(Key.ESCAPE).perform();
  await d.wait(until.stalenessOf(detail), 10_000, "the order detail closes");
  await clickTestId(d, "clear-filters");
}));

test("Products: an order held as unmapped opens its variant in Products; mapped through the supplier search, its hold clears and Ship order sends it", { timeout: 240_000 }, (t) => withScreenshot(t, async () => {
  // The WooCommerce store connected above still has orders held by lines without a SKU. Every
  // element is found again at its click (clickFound): the drawer and the table re-render as
  // the change feed refreshes them.
  const d = app.driver;
  const gone = (css, message) => settled(d, async () => (await d.findElements(By.css(css))).length === 0, 20_000, message);
  await clickTestId(d, "nav-orders");
  await clickTestId(d, "tab-all");
  await clickTestId(d, "filter-hold");
  await clickFound(async () => {
    const option = await d.wait(until.elementLocated(By.xpath('//*[@role="option"][normalize-space(.)="SKU not mapped"]')), 10_000);
    await d.wait(until.elementIsVisible(option), 10_000);
    return option;
  });
  let name = null;
  await settled(d, async () => {
    const rows = await d.findElements(By.css('[data-testid="order-row"]'));
    name = rows.length > 0 ? await rows[0].getAttribute("data-order-name") : null;
    return name !== null;
  }, 30_000, "orders held as unmapped");
  const openOrder = () => clickFound(() => d.findElement(By.css(`[data-testid="order-row"][data-order-name="${name}"] td:nth-child(2)`)));
  await openOrder();
  await byTestId(d, "hold-reason", 20_000);
  // Each unmapped line: "Open in Products" opens its variant's mapping (after a catalogue sync,
  // which lists it), the supplier search finds it by its SKU, and Map maps it.
  for (let line = 0; line < 3; line += 1) {
    await byTestId(d, "order-detail", 20_000);
    if ((await d.findElements(By.css('[data-testid="open-in-products"]'))).length === 0) break;
    await clickFound(() => d.findElement(By.css('[data-testid="open-in-products"]')));
    await clickTestId(d, "sync-catalogue");
    await byTestId(d, "supplier-search", 60_000);
    await clickTestId(d, "supplier-search-go");
    await clickFound(() => byTestId(d, "map-result", 30_000), 30_000);
    await gone('[data-testid="supplier-search"]', "the mapping drawer closes once mapped");
    // Back to the order: the line is mapped.
    await clickTestId(d, "nav-orders");
    await clearFilters(d);
    await clickFound(async () => {
      const orders = await byTestId(d, "orders-search", 20_000);
      await orders.sendKeys(Key.CONTROL, "a");
      await orders.sendKeys(Key.BACK_SPACE);
      await orders.sendKeys(name);
      return orders;
    });
    await settled(d, async () => {
      const rows = await d.findElements(By.css('[data-testid="order-row"]'));
      return rows.length === 1 && (await rows[0].getAttribute("data-order-name")) === name;
    }, 20_000, `search for ${name}`);
    await openOrder();
  }
  // Free to go: no hold left, and Ship order sends it.
  await settled(d, async () => (await d.findElements(By.css('[data-testid="hold-reason"]'))).length === 0, 20_000, `${name} is no longer held`);
  const ship = await byTestId(d, "ship-order");
  await d.wait(until.elementIsEnabled(ship), 20_000);
  await clickTestId(d, "ship-order");
  await settled(d, async () => (await d.findElements(By.css('[data-testid="sub-order"][data-state="paid"]'))).length > 0, 30_000, `${name} is sent to its supplier`);
  // The Products page shows the variant mapped by its ids.
  await d.actions().sendKeys(Key.ESCAPE).perform();
  await clickTestId(d, "nav-products");
  await clickTestId(d, "products-tab-mapped");
  const mappedRow = '[data-testid="product-row"][data-mapping="variant"]';
  await settled(d, async () => (await d.findElements(By.css(mappedRow))).length > 0, 20_000, "a variant mapped by its ids");
  // By destination country: the same variant, for Great Britain only, from the supplier search.
  let key = null;
  await settled(d, async () => {
    const row = (await d.findElements(By.css(mappedRow)))[0];
    key = [await row.getAttribute("data-product"), await row.getAttribute("data-variant")];
    return true;
  }, 20_000, "the mapped row's ids");
  const productRow = `[data-testid="product-row"][data-product="${key[0]}"][data-variant="${key[1]}"] td`;
  await clickFound(() => d.findElement(By.css(productRow)));
  await clickFound(async () => {
    const country = await byTestId(d, "map-country", 20_000);
    await country.click();
    await country.sendKeys(Key.CONTROL, "a");
    await country.sendKeys(Key.BACK_SPACE);
    await country.sendKeys("GB");
    return d.wait(until.elementLocated(By.xpath('//*[@role="option"][normalize-space(.)="GB"]')), 10_000);
  });
  await clickTestId(d, "supplier-search-go");
  await clickFound(() => byTestId(d, "map-result", 30_000), 30_000);
  await gone('[data-testid="map-country"]', "the drawer closes once mapped");
  await clickFound(() => d.findElement(By.css(productRow)));
  await d.wait(until.elementLocated(By.css('[data-testid="country-mapping"][data-country="GB"]')), 20_000, "the GB mapping is listed");
  await clickTestId(d, "unmap-country");
  await gone('[data-testid="map-country"]', "the drawer closes once removed");
  // A backup from the supplier search (by words: another supplier's variant): listed as
  // option 2, then removed.
  await clickFound(() => d.findElement(By.css(productRow)));
  const mappedVid = await (await byTestId(d, "ships-with", 20_000)).getAttribute("data-vid");
  const words = await byTestId(d, "supplier-search", 20_000);
  await words.sendKeys(Key.CONTROL, "a");
  await words.sendKeys(Key.BACK_SPACE);
  await words.sendKeys(mappedVid.includes("LAMP") ? "Hoodie" : "Desk Lamp");
  await clickTestId(d, "supplier-search-go");
  await clickFound(() => byTestId(d, "add-backup", 30_000), 30_000);
  await gone('[data-testid="map-country"]', "the drawer closes once the backup is added");
  await clickFound(() => d.findElement(By.css(productRow)));
  const backup = '[data-testid="mapping-option"][data-priority="2"]';
  await d.wait(until.elementLocated(By.css(backup)), 20_000, "the backup is listed as option 2");
  await clickFound(() => d.findElement(By.css(`${backup} [data-testid="remove-part"]`)));
  await gone('[data-testid="map-country"]', "the drawer closes once the backup is removed");
  await clickFound(() => d.findElement(By.css(productRow)));
  await byTestId(d, "map-country", 20_000);
  assert.equal((await d.findElements(By.css(backup))).length, 0, "the backup is gone");
  await d.actions().sendKeys(Key.ESCAPE).perform();
  await gone('[data-testid="map-country"]', "the drawer closes");
  // Leave the Order page as the next test expects it: no filter, no search.
  await clickTestId(d, "nav-orders");
  const orders = await byTestId(d, "orders-search", 20_000);
  await orders.sendKeys(Key.CONTROL, "a");
  await orders.sendKeys(Key.BACK_SPACE);
  await clearFilters(d);
}));

test("Integrations: a CSV is previewed with its unreadable rows, then imported", { timeout: 120_000 }, (t) => withScreenshot(t, async () => {
  const d = app.driver;
  const header = "order_number,created_at,financial_status,currency,order_total,email,customer_name,shipping_name,shipping_address1,shipping_address2,shipping_city,shipping_province,shipping_zip,shipping_country,shipping_phone,sku,item_title,quantity,unit_price,requires_shipping";
  const file = join(mkdtempSync(join(tmpdir(), "dropdock-csv-")), "orders.csv");
  writeFileSync(file, [
    header,
    "E-1,2026-11-01T10:00:00Z,paid,USD,29.98,ann@example.com,Ann Lee,Ann Lee,1 High St,,Leeds,,LS1 4DY,GB,,DD-CASE-14,Phone Case,2,14.99,true",
    "E-2,2026-11-02T10:00:00Z,paid,USD,14.99,bo@example.com,Bo Chen,Bo Chen,9 Oak Avenue,,Austin,Texas,78701,US,,DD-MUG-WHT,Ceramic Mug,1,14.99,true",
    "E-3,2026-11-03T10:00:00Z,paid,USD,9.99,cy@example.com,Cy,Cy,3 Rue,,Lyon,,69001,Francia,,DD-BAND-42,Band,1,9.99,true",
  ].join("\n") + "\n");
  await clickTestId(d, "nav-integrations");
  await clickTestId(d, "import-csv");
  const store = await byTestId(d, "csv-store");
  await waitStill(d, store);
  await store.sendKeys("Etsy (CSV)");
  const input = await d.findElement(By.css('input[type="file"]'));
  await input.sendKeys(file);
  const previewButton = await byTestId(d, "csv-preview-button");
  await settled(d, async () => previewButton.isEnabled(), 10_000, "the file is read");
  await previewButton.click();
  await byTestId(d, "csv-preview", 20_000);
  assert.equal(await (await byTestId(d, "csv-additions")).getAttribute("data-value"), "2");
  assert.equal(await (await byTestId(d, "csv-errors")).getAttribute("data-value"), "1");
  assert.match(await (await byTestId(d, "csv-error-rows")).getText(), /4\s*#E-3\s*shipping country 'FRANCIA' is not a two-letter ISO code/);
  await clickTestId(d, "csv-import");
  await settled(d, async () => (await row(d, "Etsy (CSV)")) !== null && (await (await row(d, "Etsy (CSV)")).getAttribute("data-orders")) === "2", 30_000, "the CSV store holds 2 orders");
}));

test("Integrations: the demo Etsy shop is connected through Etsy's Allow access page", { timeout: 120_000 }, (t) => withScreenshot(t, async () => {
  const d = app.driver;
  await clickTestId(d, "nav-integrations");
  await clickTestId(d, "connect-store");
  const etsy = await d.wait(until.elementLocated(By.xpath("//label[normalize-space()='Etsy']")), 20_000);
  await waitStill(d, etsy);
  await etsy.click();
  const fill = await d.wait(until.elementLocated(By.xpath("//button[normalize-space()='Fill in its details']")), 20_000);
  await fill.click();
  await clickTestId(d, "connect-submit");
  await settled(d, async () => (await row(d, "Demo Etsy shop")) !== null, 60_000, "the Etsy shop is listed");
  assert.equal(await (await row(d, "Demo Etsy shop")).getAttribute("data-platform"), "etsy");
  await openRowMenu(d, "Demo Etsy shop");
  await clickTestId(d, "store-sync-now");
  await settled(d, async () => Number(await (await row(d, "Demo Etsy shop")).getAttribute("data-orders")) === 40, 60_000, "40 receipts synced");
}));
