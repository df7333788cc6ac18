// Finance → My Wallet and Settings on the real app: after an order is shipped from the demo
// wallet, each supplier's ledger is reconciled with its balance and lists the order's charge; the
// demo recharge is a ledger entry; invoices export as CSV (one line per charged sub-order, the
// ledger's total) and PDF; Settings keeps a notification turned off and a carrier row added.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Key } from "selenium-webdriver";
import { launch, byTestId, clickHidden, clickTestId, syncDemo, waitStill, withScreenshot, settled, By, until } from "./driver.js";

const exportDir = mkdtempSync(join(tmpdir(), "dropdock-invoices-"));
let app;
before(async () => {
  app = await launch({ DROPDOCK_EXPORT_DIR: exportDir });
});
after(async () => {
  await app?.close();
});

const all = (d, id) => d.findElements(By.css(`[data-testid="${id}"]`));
const kinds = async (d) => Promise.all((await all(d, "ledger-row")).map((r) => r.getAttribute("data-kind")));

test("My Wallet: reconciled ledger with the order's charge, recharge, invoices as CSV and PDF", { timeout: 240_000 }, (t) => withScreenshot(t, async () => {
  const d = app.driver;
  await syncDemo(d);
  // Ship one order from the wallet.
  await clickTestId(d, "tab-to_order");
  await settled(d, async () => (await all(d, "order-row")).length > 0, 20_000);
  const row = (await all(d, "order-row"))[0];
  const name = await row.getAttribute("data-order-name");
  await row.findElement(By.css("td:nth-child(2)")).click();
  const ship = await byTestId(d, "ship-order");
  await d.wait(until.elementIsEnabled(ship), 20_000);
  await waitStill(d, ship);
  await ship.click();
  const detail = await byTestId(d, "order-detail");
  await d.actions().sendKeys(Key.ESCAPE).perform();
  await d.wait(until.stalenessOf(detail), 10_000);
  await clickTestId(d, "tab-processing");
  await settled(d, async () => (await d.findElements(By.css(`[data-testid="order-row"][data-order-name="${name}"]`))).length === 1, 60_000, `${name} reaches Processing`);

  // My Wallet: both wallets reconciled; the ledger opened with each balance and holds the charge.
  await clickTestId(d, "nav-wallet");
  await settled(d, async () => (await all(d, "wallet-reconciled")).length === 2, 30_000, "both wallets reconciled");
  await settled(d, async () => {
    const k = await kinds(d);
    return k.filter((x) => x === "adjustment").length === 2 && k.includes("charge");
  }, 30_000, "opening balances and the charge in the ledger");
  const charges = (await kinds(d)).filter((x) => x === "charge").length;
  const ledgerText = await d.executeScript("return arguments[0].textContent", await byTestId(d, "ledger-table"));
  assert.ok(ledgerText.includes(name), `the charge names ${name}`);

  // The demo recharge: a ledger entry, still reconciled.
  await (await all(d, "wallet-recharge"))[0].click();
  await settled(d, async () => (await kinds(d)).includes("recharge"), 30_000, "the recharge is in the ledger");
  await settled(d, async () => (await all(d, "wallet-reconciled")).length === 2, 30_000, "still reconciled");
  assert.equal((await all(d, "wallet-difference")).length, 0);
  assert.ok((await all(d, "forecast-table")).length === 1);

  // Invoices for this month: a CSV line per charged sub-order, the ledger's total; and a PDF.
  await clickTestId(d, "export-invoices-csv");
  await settled(d, () => readdirSync(exportDir).some((f) => f.endsWith(".csv")), 20_000, `the CSV is written (${exportDir}: ${readdirSync(exportDir).join(", ")})`);
  const csv = readFileSync(join(exportDir, readdirSync(exportDir).find((f) => f.endsWith(".csv"))), "utf8").trim().split("\n");
  assert.match(csv[0], /^Paid \(UTC\),Store,Order,Supplier,Supplier order,Items,Products \(USD\),Shipping \(USD\),Total \(USD\),Paid with$/);
  const lines = csv.slice(1, -1);
  assert.equal(lines.length, charges, csv.join("\n"));
  assert.ok(lines.every((l) => l.includes(name)), csv.join("\n"));
  const cents = (s) => Math.round(Number(s) * 100);
  const sum = lines.reduce((a, l) => a + cents(l.split(",")[8]), 0);
  assert.equal(cents(csv.at(-1).split(",")[8]), sum, "the total row is the lines' sum");
  await clickTestId(d, "export-invoices-pdf");
  await settled(d, () => readdirSync(exportDir).some((f) => f.endsWith(".pdf")), 20_000, "the PDF is written");
  const pdf = readFileSync(join(exportDir, readdirSync(exportDir).find((f) => f.endsWith(".pdf"))));
  assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");
}));

test("Settings: a notification kind turned off stays off; a carrier row is added", { timeout: 120_000 }, (t) => withScreenshot(t, async () => {
  const d = app.driver;
  // Mantine keeps the switch's input hidden: its state is read through the DOM.
  const checked = (id) => d.executeScript(`const el = document.querySelector('[data-testid="${id}"]'); return el && !el.disabled ? el.checked : null;`);
  await clickTestId(d, "nav-settings");
  await settled(d, async () => (await checked("notify-shipment")) === true, 20_000, "the switch is loaded, on");
  await clickHidden(d, "notify-shipment");
  await settled(d, async () => (await checked("notify-shipment")) === false, 10_000, "switched off");
  await clickTestId(d, "nav-orders");
  await clickTestId(d, "nav-settings");
  // One read decides (a second read may land while the page refetches and the switch is
  // disabled for a moment).
  let shipment = null;
  await settled(d, async () => (shipment = await checked("notify-shipment")) !== null, 20_000, "the switch is loaded again");
  assert.equal(shipment, false, "still off after leaving the page");
  let syncFailed = null;
  await settled(d, async () => (syncFailed = await checked("notify-sync-failed")) !== null, 20_000);
  assert.equal(syncFailed, true);

  await settled(d, async () => (await all(d, "carrier-row")).length >= 10, 20_000, "the built-in carriers");
  await clickTestId(d, "carrier-add");
  const supplier = await byTestId(d, "carrier-supplier");
  await waitStill(d, supplier);
  await supplier.sendKeys("cjpacket");
  await (await byTestId(d, "carrier-shopify")).sendKeys("CJ Packet");
  const link = await byTestId(d, "carrier-link");
  await link.sendKeys(Key.CONTROL, "a");
  await link.sendKeys(Key.BACK_SPACE);
  await link.sendKeys("http://track.example/{n}");
  await clickTestId(d, "carrier-save");
  const error = await byTestId(d, "carrier-error", 10_000);
  assert.match(await error.getText(), /tracking link/);
  await link.sendKeys(Key.CONTROL, "a");
  await link.sendKeys(Key.BACK_SPACE);
  await link.sendKeys("https://track.example/{n}");
  await clickTestId(d, "carrier-save");
  await settled(d, async () => (await d.findElements(By.css('[data-testid="carrier-row"][data-carrier="cjpacket"]'))).length === 1, 20_000, "the row is listed");
}));
