// The Credit Card tab and Cancel fulfilment on the real app. CJdropshipping documents no card API
// (it takes cards on its own payment page), so with only CJ accounts the Credit Card tab says so
// and points to My Wallet rather than offering a form that could not work. An order shipped from
// My Wallet is then cancelled, and the suppliers' answers are shown.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, byTestId, clickTestId, syncDemo, waitStill, withScreenshot, settled, By, until } from "./driver.js";

let app;
before(async () => {
  app = await launch({ DROPDOCK_LOG: "debug" });
});
after(async () => {
  await app?.close();
});

test("Credit Card: CJ takes cards only on its own page, so the tab says so; Cancel fulfilment shows the suppliers' answers", { timeout: 300_000 }, (t) => withScreenshot(t, async () => {
  const d = app.driver;
  await syncDemo(d);

  await clickTestId(d, "auto-fulfillment-button");
  await byTestId(d, "auto-state", 30_000);
  await clickTestId(d, "tab-card");
  const notice = await byTestId(d, "card-unsupported", 30_000);
  assert.match(await notice.getText(), /CJdropshipping takes cards only on its own payment page/);
  assert.equal((await d.findElements(By.css('[data-testid="card-number"]'))).length, 0, "no card form that could not work");
  await clickTestId(d, "card-unsupported-wallet");
  await byTestId(d, "wallet-card", 30_000);

  // An order shipped by hand, paid from My Wallet.
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
  await settled(d, async () => (await (await byTestId(d, "order-status")).getAttribute("data-status")) === "processing", 30_000, "sent to the suppliers");
  const sub = await byTestId(d, "sub-order", 20_000);
  assert.equal(await sub.getAttribute("data-state"), "paid");

  // Cancel fulfilment: asked first, then each supplier's answer is shown.
  await clickTestId(d, "cancel-fulfillment");
  const cancelConfirm = await byTestId(d, "cancel-confirm");
  await waitStill(d, cancelConfirm);
  await cancelConfirm.click();
  const answers = await byTestId(d, "cancel-result", 30_000);
  assert.equal(await answers.getAttribute("data-all-cancelled"), "true");
  assert.match(await answers.getText(), /cancelled order CJ\w+; the charge is refunded to My Wallet/);
  await settled(d, async () => (await d.findElements(By.css('[data-testid="sub-order"][data-state="cancelled"]'))).length > 0, 20_000, "sub-order cancelled");
  await byTestId(d, "hold-reason", 20_000);
}));
