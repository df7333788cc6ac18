// Bad input on the real app: a Windows-1252 CSV (as Excel writes it) with an order whose line
// quantities add past 64 bits and an order whose customer name is 500 characters without a
// space. The file is read in its encoding, the overflowing order is refused with its line, the
// long one imported; the Order page's All tab still lists every order, the long name is cut with
// an ellipsis inside its cell (Qty and Total stay in view), and the order drawer wraps it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, byTestId, clickTestId, syncDemo, waitStill, withScreenshot, settled, By } from "./driver.js";

let app;
before(async () => {
  app = await launch();
});
after(async () => {
  await app?.close();
});

const LONG = "N" + "ú".repeat(10) + "x".repeat(489);

test("Bad input: overflowing quantities are refused, a 500-character name is cut in its cell and wrapped in the drawer", { timeout: 180_000 }, (t) => withScreenshot(t, async () => {
  const d = app.driver;
  await syncDemo(d);
  const header = "order_number,created_at,financial_status,currency,order_total,email,customer_name,shipping_name,shipping_address1,shipping_address2,shipping_city,shipping_province,shipping_zip,shipping_country,shipping_phone,sku,item_title,quantity,unit_price,requires_shipping";
  const text = [
    header,
    "BIG-1,2026-11-01T10:00:00Z,paid,USD,2.00,big@example.com,Big,Big,1 High St,,Leeds,,LS1 4DY,GB,,DD-CASE-14,Phone Case,9223372036854775807,1.00,true",
    "BIG-1,2026-11-01T10:00:00Z,paid,USD,2.00,big@example.com,Big,Big,1 High St,,Leeds,,LS1 4DY,GB,,DD-CASE-15,Phone Case,1,1.00,true",
    `LONG-1,2026-11-02T10:00:00Z,paid,USD,14.99,long@example.com,${LONG},${LONG},9 Oak Avenue,,Austin,Texas,78701,US,,DD-MUG-WHT,Ceramic Mug,1,14.99,true`,
  ].join("\r\n") + "\r\n";
  const file = join(mkdtempSync(join(tmpdir(), "dropdock-bad-")), "orders.csv");
  writeFileSync(file, Buffer.from(text, "latin1")); // one byte a character: Windows-1252, not UTF-8

  await clickTestId(d, "nav-integrations");
  await clickTestId(d, "import-csv");
  const store = await byTestId(d, "csv-store");
  await waitStill(d, store);
  await store.sendKeys("Excel (CSV)");
  await (await d.findElement(By.css('input[type="file"]'))).sendKeys(file);
  const previewButton = await byTestId(d, "csv-preview-button");
  await settled(d, async () => previewButton.isEnabled(), 10_000, "the file is read");
  await previewButton.click();
  await byTestId(d, "csv-preview", 20_000);
  assert.match(await (await byTestId(d, "csv-encoding")).getText(), /windows-1252/);
  assert.equal(await (await byTestId(d, "csv-additions")).getAttribute("data-value"), "1");
  assert.equal(await (await byTestId(d, "csv-errors")).getAttribute("data-value"), "1");
  assert.match(await (await byTestId(d, "csv-error-rows")).getText(), /2\s*#BIG-1\s*quantity 9223372036854775807 is over the limit of 100000/);
  await clickTestId(d, "csv-import");

  // The All tab lists every order; the long name stays inside its cell.
  await clickTestId(d, "nav-orders");
  await clickTestId(d, "tab-all");
  await (await byTestId(d, "orders-search")).sendKeys("LONG-1");
  await settled(d, async () => (await d.findElements(By.css('[data-testid="order-row"][data-order-name="#LONG-1"]'))).length === 1, 30_000, "#LONG-1 is listed");
  const row = await d.findElement(By.css('[data-testid="order-row"][data-order-name="#LONG-1"]'));
  const cell = await row.findElement(By.css('[data-testid="order-customer"]'));
  const [scroll, client, title] = await d.executeScript("const c = arguments[0]; return [c.scrollWidth, c.clientWidth, c.title];", cell);
  assert.ok(scroll > client, `the name is cut (${scroll} > ${client})`);
  assert.equal(title, LONG, "the whole name is in the tooltip");
  const [rowHeight, tableWidth, viewWidth] = await d.executeScript(
    "const r = arguments[0]; const t = r.closest('table'); return [r.getBoundingClientRect().height, t.scrollWidth, t.parentElement.clientWidth];",
    row,
  );
  assert.ok(rowHeight <= 60, `one line high (${rowHeight}px)`);
  assert.ok(tableWidth <= viewWidth + 1, `no column pushed out (${tableWidth} <= ${viewWidth})`);

  // The drawer wraps the name: nothing wider than the drawer.
  await (await row.findElements(By.css("td")))[1].click();
  const detail = await byTestId(d, "order-detail", 20_000);
  await settled(d, async () => (await detail.getText()).includes("Ceramic Mug"), 20_000, "the detail shows");
  const [inner, outer] = await d.executeScript("const e = arguments[0]; return [e.scrollWidth, e.clientWidth];", detail);
  assert.ok(inner <= outer + 1, `the drawer wraps long words (${inner} <= ${outer})`);
}));
