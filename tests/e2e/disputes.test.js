// Refund and replacement requests on the real app: an order shipped by hand is dispatched by the
// sandbox CJ, the merchant asks from the order drawer (a parcel not received, a refund), the
// request opens at the supplier and is withdrawn.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, byTestId, clickTestId, syncDemo, waitStill, withScreenshot, settled, By, until } from "./driver.js";

let app;
before(async () => {
  app = await launch();
});
after(async () => {
  await app?.close();
});

test("Refund or replacement: asked from the drawer once the parcel ships, open at the supplier, withdrawn", { timeout: 300_000 }, (t) => withScreenshot(t, async () => {
  const d = app.driver;
  await syncDemo(d);
  await clickTestId(d, "nav-orders");
  await clickTestId(d, "tab-to_order");
  await settled(d, async () => {
    const rows = await d.findElements(By.css('[data-testid="order-row"]'));
    return rows.length > 0 && (await rows[0].getAttribute("data-status")) === "to_order";
  }, 30_000, "orders to send");
  await (await d.findElements(By.css('[data-testid="order-row"] td')))[1].click();
  const ship = await byTestId(d, "ship-order");
  await d.wait(until.elementIsEnabled(ship), 20_000);
  await waitStill(d, ship);
  await ship.click();
  // Before dispatch the drawer offers the request form, but nothing is open yet.
  await byTestId(d, "disputes-section", 30_000);
  // The sandbox dispatches after 30 s; the tracking poll records it.
  await settled(d, async () => (await d.findElements(By.css('[data-testid="sub-order"][data-state="shipped"], [data-testid="sub-order"][data-state="delivered"]'))).length > 0, 120_000, "dispatched");

  await clickTestId(d, "dispute-new");
  await byTestId(d, "dispute-form");
  const submit = await byTestId(d, "dispute-submit");
  await waitStill(d, submit);
  await submit.click();
  const card = await settled(d, async () => {
    const cards = await d.findElements(By.css('[data-testid="dispute"][data-state="open"]'));
    return cards[0] ?? false;
  }, 30_000, "the request is open at the supplier");
  assert.match(await card.getText(), /Not received · Refund to My Wallet/);
  assert.match(await card.getText(), /At the supplier: \d+ · Processing/);
  assert.equal((await d.findElements(By.css('[data-testid="dispute-new"]'))).length, 0, "one open request at a time");

  const withdraw = await byTestId(d, "dispute-cancel");
  await waitStill(d, withdraw);
  await withdraw.click();
  await settled(d, async () => (await d.findElements(By.css('[data-testid="dispute"][data-state="cancelled"]'))).length === 1, 30_000, "withdrawn");
  await byTestId(d, "dispute-new", 20_000);
}));
