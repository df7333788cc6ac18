// The Order page on the real app: Sync Order (30 Days) shows the seed's summary line and the rows;
// Ship order moves the order to Processing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, byTestId, chooseRadio, clickTestId, waitStill, withScreenshot, settled, By, until } from "./driver.js";

let app;
before(async () => {
  app = await launch();
});
after(async () => {
  await app?.close();
});


test("Sync Order then Ship order", { timeout: 180_000 }, (t) => withScreenshot(t, async () => {
  const d = app.driver;
  await clickTestId(d, "nav-orders", 60_000);
  // Start-up done (sandbox connected): the Action menu is there and the table is empty.
  await byTestId(d, "sandbox-badge", 60_000);
  await byTestId(d, "orders-empty");

  await clickTestId(d, "action-menu");
  await clickTestId(d, "action-sync-order");
  const store = await byTestId(d, "sync-store");
  assert.match(await store.getText(), /Demo Shopify store/);
  await waitStill(d, await byTestId(d, "sync-start"));
  await chooseRadio(d, "30 Days");
  await clickTestId(d, "sync-start");
  const summary = await byTestId(d, "sync-summary", 60_000);
  const line = await summary.getText();
  assert.match(line, /^Synchronize \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC complete, Plan execution: Total additions \d+, To update 0, fail 0$/);
  const additions = Number(/Total additions (\d+)/.exec(line)[1]);
  assert.ok(additions > 50, `a 30-day window of the demo shop holds many orders (${additions})`);
  const close = await byTestId(d, "sync-close");
  await close.click();
  await d.wait(until.stalenessOf(close), 10_000, "the Sync Order dialog closes");

  // The rows are there: the All tab counts what the sync added; the table shows the newest.
  await settled(d, async () => (await (await byTestId(d, "count-all")).getAttribute("data-count")) === String(additions), 20_000, "All counts the synced orders");
  await settled(d, async () => (await d.findElements(By.css('[data-testid="order-row"]'))).length > 0, 20_000, "rows after sync");

  // Search narrows the table to the order typed.
  const newest = await (await d.findElements(By.css('[data-testid="order-row"]')))[0].getAttribute("data-order-name");
  await (await byTestId(d, "orders-search")).sendKeys(newest);
  await settled(d, async () => {
    const rows = await d.findElements(By.css('[data-testid="order-row"]'));
    return rows.length === 1 && (await rows[0].getAttribute("data-order-name")) === newest;
  }, 20_000, `search for ${newest}`);
  const search = await byTestId(d, "orders-search");
  await search.sendKeys("\uE009a\uE009", "\uE003"); // Ctrl+A, Backspace
  await settled(d, async () => (await d.findElements(By.css('[data-testid="order-row"]'))).length > 1, 20_000, "search cleared");

  // Ship the newest order of the To order tab.
  await clickTestId(d, "tab-to_order");
  await settled(d, async () => {
    const rows = await d.findElements(By.css('[data-testid="order-row"]'));
    return rows.length > 0 && (await rows[0].getAttribute("data-status")) === "to_order";
  }, 20_000);
  const row = (await d.findElements(By.css('[data-testid="order-row"]')))[0];
  const name = await row.getAttribute("data-order-name");
  await row.findElement(By.css("td:nth-child(2)")).click();
  const ship = await byTestId(d, "ship-order");
  await d.wait(until.elementIsEnabled(ship), 20_000);
  await waitStill(d, ship);
  await ship.click();
  const status = await byTestId(d, "order-status");
  await settled(d, async () => (await status.getAttribute("data-status")) === "processing", 30_000, "order moves to Processing");
  const subOrders = await d.findElements(By.css('[data-testid="sub-order"]'));
  assert.ok(subOrders.length >= 1);
  assert.equal(await subOrders[0].getAttribute("data-state"), "paid");
  assert.match(await subOrders[0].getText(), /Supplier order CJ\d+/);

  // Out of To order, into Processing.
  const detail = await byTestId(d, "order-detail");
  await d.actions().sendKeys("\uE00C").perform(); // Escape closes the drawer
  await d.wait(until.stalenessOf(detail), 10_000, "the order detail closes");
  await clickTestId(d, "tab-processing");
  await settled(d, async () => {
    const rows = await d.findElements(By.css(`[data-testid="order-row"][data-order-name="${name}"]`));
    return rows.length === 1;
  }, 20_000, `${name} under Processing`);
}));
