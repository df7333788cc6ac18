// The Order page on the real app: Sync Order (30 Days) shows the seed's summary line and the rows;
// Ship order moves the order to Processing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, byTestId, chooseRadio, clickTestId, syncDemo, waitStill, withScreenshot, settled, By, until } from "./driver.js";

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

test("A high-risk order is held until released with its risk confirmed, then Ship order is open", { timeout: 120_000 }, (t) => withScreenshot(t, async () => {
  // The demo shop rates its oldest paid order HIGH (Shopify's Order.risk): Sync Order over 60
  // days brings it.
  const d = app.driver;
  await syncDemo(d);
  await clickTestId(d, "tab-all");
  await clickTestId(d, "filter-hold");
  const option = await d.wait(until.elementLocated(By.xpath('//*[@role="option"][normalize-space(.)="High risk of fraud"]')), 10_000);
  await d.wait(until.elementIsVisible(option), 10_000);
  await option.click();
  await settled(d, async () => (await d.findElements(By.css('[data-testid="order-row"]'))).length === 1, 30_000, "one high-risk order");
  await (await d.findElement(By.css('[data-testid="order-row"] td:nth-child(2)'))).click();
  const hold = await byTestId(d, "hold-reason", 20_000);
  assert.equal(await hold.getAttribute("data-kind"), "high_risk");
  assert.match(await d.executeScript("return arguments[0].textContent", hold), /risk of fraud HIGH/);
  assert.equal(await (await byTestId(d, "ship-order")).isEnabled(), false, "not shipped on a click");
  await clickTestId(d, "release-order");
  const confirm = await byTestId(d, "accept-risk-confirm", 10_000);
  await waitStill(d, confirm);
  await confirm.click();
  const ship = await byTestId(d, "ship-order");
  await d.wait(until.elementIsEnabled(ship), 20_000, "Ship order opens once the risk is accepted");
  assert.equal((await d.findElements(By.css('[data-testid="hold-reason"]'))).length, 0);
}));
