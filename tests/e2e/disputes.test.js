// Refund and replacement requests on the real app: an order shipped by hand is paid at the
// sandbox CJ; asked from the order drawer before dispatch, "not received" is refused with CJ's
// own reasons, shown in the form, and nothing is opened. (Open, settled and withdrawn requests
// are shown by core/tests/disputes.rs and cli/tests/disputes_cli.rs against the same sandbox.)
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

test("Refund or replacement: asked from the drawer, refused with the supplier's reasons before dispatch", { timeout: 300_000 }, (t) => withScreenshot(t, async () => {
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
  // Paid at CJ, not dispatched yet: CJ (the sandbox, from its Dispute page) takes only
  // "Unfulfilled order cancellation" for it.
  await settled(d, async () => (await d.findElements(By.css('[data-testid="sub-order"][data-state="paid"]'))).length > 0, 30_000, "paid at CJ");
  await byTestId(d, "disputes-section", 30_000);
  await clickTestId(d, "dispute-new");
  await byTestId(d, "dispute-form");
  const submit = await byTestId(d, "dispute-submit");
  await waitStill(d, submit);
  await submit.click();
  const refused = await settled(d, async () => {
    // The form's text as rendered, wherever the drawer is scrolled.
    const text = await d.executeScript('return document.querySelector(\'[data-testid="dispute-form"]\')?.innerText ?? ""');
    return /The request was not sent/.test(text) ? text : false;
  }, 30_000, "refused with the supplier's reasons");
  assert.match(refused, /offers no reason like 'not received'.*Unfulfilled order cancellation/s);
  assert.equal((await d.findElements(By.css('[data-testid="dispute"]'))).length, 0, "nothing opened");
}));
