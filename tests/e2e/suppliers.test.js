// Store → Integrations → Connect a supplier on the real app: the sandbox's Printful account is
// connected under a new name through the form (a wrong token first: refused with the reason and
// nothing kept), tested, its rate limit edited, then disconnected (listed as such, its sub-orders
// and ledger kept). The demo's own accounts show how each platform is paid.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Key } from "selenium-webdriver";
import { launch, byTestId, clickFound, clickTestId, waitStill, withScreenshot, settled, By } from "./driver.js";

let app;
before(async () => {
  app = await launch();
});
after(async () => {
  await app?.close();
});

/** The supplier row named `name`, or null. */
async function row(d, name) {
  return (await d.findElements(By.css(`[data-testid="supplier-row"][data-name="${name}"]`)))[0] ?? null;
}

/** Opens the row's menu once nothing (a closing dialog, a notification) covers its button. */
async function openRowMenu(d, name) {
  await clickFound(async () => (await row(d, name)).findElement(By.css('[data-testid="supplier-menu"]')));
}

test("Integrations: a Printful account is connected (a wrong token refused first), tested, edited and disconnected", { timeout: 180_000 }, (t) => withScreenshot(t, async () => {
  const d = app.driver;
  await byTestId(d, "sandbox-badge", 60_000);
  await clickTestId(d, "nav-integrations");
  await settled(d, async () => (await row(d, "Printful (demo)")) !== null, 30_000, "the demo Printful account is listed");
  const demo = await row(d, "Printful (demo)");
  assert.equal(await demo.getAttribute("data-kind"), "printful");
  assert.match(await demo.getText(), /Charged to its billing method/);
  assert.match(await (await row(d, "CJ Shenzhen (demo)")).getText(), /Paid from My Wallet/);

  // Connect a supplier → Printful with the sandbox account's details, the token spoilt first.
  await clickTestId(d, "connect-supplier");
  const fill = await byTestId(d, "supplier-fill-demo", 20_000);
  await waitStill(d, fill);
  await fill.click();
  const name = await byTestId(d, "supplier-name");
  await name.sendKeys(Key.CONTROL, "a");
  await name.sendKeys(Key.BACK_SPACE);
  await name.sendKeys("Shirts on Printful");
  const key = await byTestId(d, "supplier-key");
  await key.sendKeys("x"); // now wrong
  await clickTestId(d, "supplier-connect");
  const error = await byTestId(d, "supplier-connect-error", 30_000);
  assert.match(await error.getText(), /Printful token/);
  assert.equal(await row(d, "Shirts on Printful"), null, "nothing kept");
  await key.sendKeys(Key.BACK_SPACE);
  await clickTestId(d, "supplier-connect");
  await settled(d, async () => (await row(d, "Shirts on Printful")) !== null, 30_000, "the account is listed");

  // Test connection: one authenticated read.
  await openRowMenu(d, "Shirts on Printful");
  await clickTestId(d, "supplier-test");
  const result = await byTestId(d, "supplier-test-result", 30_000);
  assert.equal(await result.getAttribute("data-ok"), "true");

  // Edit: the rate limit, shown on the row.
  await openRowMenu(d, "Shirts on Printful");
  await clickTestId(d, "supplier-edit");
  const rate = await byTestId(d, "supplier-edit-rate");
  await waitStill(d, rate);
  await rate.sendKeys(Key.CONTROL, "a");
  await rate.sendKeys(Key.BACK_SPACE);
  await rate.sendKeys("1");
  await clickTestId(d, "supplier-edit-save");
  await settled(d, async () => /up to 1 call/.test(await (await (await row(d, "Shirts on Printful")).findElement(By.css('[data-testid="supplier-rate"]'))).getText()), 20_000, "the rate limit is saved");

  // Disconnect: confirmed, then listed as disconnected with nothing left to test.
  await openRowMenu(d, "Shirts on Printful");
  await clickTestId(d, "supplier-disconnect");
  const confirm = await byTestId(d, "supplier-disconnect-confirm", 20_000);
  await waitStill(d, confirm);
  await confirm.click();
  await settled(d, async () => (await (await row(d, "Shirts on Printful")).getAttribute("data-disconnected")) === "true", 30_000, "listed as disconnected");
  await openRowMenu(d, "Shirts on Printful");
  const testItem = await byTestId(d, "supplier-test");
  assert.equal(await testItem.getAttribute("data-disabled"), "true");
  // The demo accounts cannot be disconnected: they come with the sandbox.
  await d.actions().sendKeys(Key.ESCAPE).perform();
  await openRowMenu(d, "Printful (demo)");
  assert.equal((await d.findElements(By.css('[data-testid="supplier-disconnect"]'))).length, 0);
}));
