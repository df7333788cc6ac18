// Auto Fulfillment on the real app, as the seed walks through it: the My Wallet boxes and Save;
// with $500 in the demo wallets the switch is refused with what to do; after a recharge in
// Finance → My Wallet the seed's pop-up appears, and paid orders move to Processing by themselves.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, byTestId, clickHidden, clickTestId, syncDemo, waitStill, withScreenshot, settled, By, until } from "./driver.js";

let app;
before(async () => {
  app = await launch({ DROPDOCK_SANDBOX_BALANCE: "50000" });
});
after(async () => {
  await app?.close();
});



test("Auto Fulfillment: refused below $1,000, then on after a recharge, and paid orders go", { timeout: 240_000 }, (t) => withScreenshot(t, async () => {
  const d = app.driver;
  await syncDemo(d);

  // Step 1: the Auto Fulfillment button at the top left of the Order page.
  await clickTestId(d, "auto-fulfillment-button");
  const state = await byTestId(d, "auto-state", 30_000);
  assert.equal(await state.getAttribute("data-state"), "off");
  // Step 2: My Wallet, both boxes, Save (disabled until both are ticked).
  const save = await byTestId(d, "auto-save");
  assert.equal(await save.isEnabled(), false);
  await clickHidden(d, "auto-only-if-enough");
  await clickHidden(d, "auto-terms");
  await d.wait(until.elementIsEnabled(save), 10_000);
  await save.click();
  // Saved (its notification shows) before the switch is tried: the switch asks for saved settings.
  await settled(d, async () => /Saved\./.test(await d.executeScript("return document.body.innerText")), 20_000, "the settings are saved");
  // The switch with $500 in each wallet: refused, with what to do; no pop-up.
  await clickHidden(d, "auto-switch");
  const error = await byTestId(d, "auto-enable-error-text", 30_000);
  assert.match(await error.getText(), /My Wallet holds \$500\.00 at CJ .*below the \$1000\.00 Auto Fulfillment needs: recharge it in Finance → My Wallet/);
  assert.equal((await d.findElements(By.css('[data-testid="auto-confirm-text"]'))).length, 0);
  assert.equal(await (await byTestId(d, "auto-state")).getAttribute("data-state"), "off");

  // Recharge both demo wallets in Finance → My Wallet.
  await clickTestId(d, "nav-wallet");
  await settled(d, async () => (await d.findElements(By.css('[data-testid="wallet-recharge"]'))).length === 2, 30_000);
  for (let i = 0; i < 2; i++) {
    await (await d.findElements(By.css('[data-testid="wallet-recharge"]')))[i].click();
    await settled(d, async () => {
      const balances = await d.findElements(By.css('[data-testid="wallet-balance"]'));
      return (await balances[i].getText()).includes("1,500.00");
    }, 30_000, `wallet ${i} recharged`);
  }

  // Step 4: the switch now shows the seed's pop-up; Confirm turns it on.
  await clickTestId(d, "nav-orders");
  await clickTestId(d, "auto-fulfillment-button");
  await byTestId(d, "auto-state", 30_000);
  await clickHidden(d, "auto-switch");
  const question = await byTestId(d, "auto-confirm-text", 30_000);
  assert.equal(await question.getText(), "Are you sure you want to turn on the Auto Fulfillment function?");
  const confirm = await byTestId(d, "auto-confirm");
  await waitStill(d, confirm);
  await confirm.click();
  await settled(d, async () => ["on", "paused"].includes(await (await byTestId(d, "auto-state")).getAttribute("data-state")), 30_000, "Auto Fulfillment on");

  // Paid orders move to Processing without anyone clicking Ship order.
  await clickTestId(d, "nav-orders");
  await settled(d, async () => Number(await (await byTestId(d, "count-processing")).getAttribute("data-count")) > 0, 60_000, "orders reach Processing");
  await clickTestId(d, "tab-processing");
  await settled(d, async () => (await d.findElements(By.css('[data-testid="order-row"][data-status="processing"]'))).length > 0, 30_000);
}));
