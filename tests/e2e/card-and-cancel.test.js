// The Credit Card tab and Cancel fulfilment on the real app. With only $500 in the demo wallets,
// a card confirmed on the Credit Card tab lets Auto Fulfillment run; the orders are paid with it;
// one is then cancelled and the suppliers' answers are shown. Afterwards the typed card number
// and CVC are searched for in every file of the app's data directory (database, WAL, logs, the
// sandbox's state) and in every reply the web view received over IPC: they are in none.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Key } from "selenium-webdriver";
import { launch, byTestId, clickHidden, clickTestId, syncDemo, waitStill, withScreenshot, settled, By, until } from "./driver.js";

const NUMBER = "371449635398431"; // an American Express test number: its CVC has 4 digits
const TYPED = "3714 496353 98431";
const CVC = "8969";

let app;
before(async () => {
  app = await launch({ DROPDOCK_SANDBOX_BALANCE: "50000", DROPDOCK_LOG: "debug" });
});
after(async () => {
  await app?.close();
});

/** Every file under `dir`, as one buffer. */
function everyFile(dir) {
  const parts = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) parts.push(everyFile(path));
    else parts.push(readFileSync(path));
  }
  return Buffer.concat(parts);
}

/** Occurrences of `needle` standing alone (not inside a longer run of letters or digits). */
function countToken(text, needle) {
  return [...text.matchAll(new RegExp(`(?<![0-9A-Za-z])${needle}(?![0-9A-Za-z])`, "g"))].length;
}

/** Replaces a field's text by typing (WebDriver's clear() bypasses React's onChange). */
async function typeInto(d, id, text) {
  const input = await byTestId(d, id);
  await input.sendKeys(Key.CONTROL, "a");
  await input.sendKeys(Key.BACK_SPACE);
  await input.sendKeys(text);
}

test("Credit Card: checked as typed, confirmed, pays the orders; Cancel fulfilment shows the answers; the card is stored nowhere", { timeout: 300_000 }, (t) => withScreenshot(t, async () => {
  const d = app.driver;
  await syncDemo(d);
  // Record every IPC reply the page receives from here on: Tauri's IPC is a fetch of ipc://
  // (its invoke function cannot be replaced; fetch can).
  await d.executeScript(`
    window.__ipcReplies = [];
    const originalFetch = window.fetch;
    window.fetch = async (...args) => {
      const response = await originalFetch(...args);
      if (String(args[0]).startsWith("ipc:")) window.__ipcReplies.push(await response.clone().text());
      return response;
    };`);

  await clickTestId(d, "auto-fulfillment-button");
  await byTestId(d, "auto-state", 30_000);
  await clickTestId(d, "tab-card");

  // A mistyped number is flagged as soon as the field is left; Confirm stays shut without the terms.
  await typeInto(d, "card-number", "4242 4242 4242 4241");
  await (await byTestId(d, "card-name")).click();
  await settled(d, async () => (await d.findElement(By.css('[data-testid="card-number"]')).getAttribute("aria-invalid")) === "true", 10_000, "the number is flagged");
  assert.equal(await (await byTestId(d, "card-confirm")).isEnabled(), false);

  // The card, as a merchant types it.
  await typeInto(d, "card-number", TYPED);
  assert.equal(await (await byTestId(d, "card-number")).getAttribute("value"), TYPED, "grouped the American Express way");
  await typeInto(d, "card-name", "Ada Lovelace");
  await typeInto(d, "card-expiry", "0931");
  assert.equal(await (await byTestId(d, "card-expiry")).getAttribute("value"), "09/31");
  await typeInto(d, "card-cvc", CVC);
  const country = await byTestId(d, "card-country");
  await country.click();
  await country.sendKeys("United Kingdom");
  const option = await d.wait(until.elementLocated(By.xpath("//*[@role='option'][normalize-space()='United Kingdom']")), 10_000);
  await d.executeScript("arguments[0].click()", option);
  await clickHidden(d, "card-terms");
  const confirm = await byTestId(d, "card-confirm");
  await d.wait(until.elementIsEnabled(confirm), 10_000);
  await confirm.click();
  const onFile = await byTestId(d, "card-on-file", 30_000);
  assert.equal(await onFile.getAttribute("data-last4"), "8431");
  assert.equal(await onFile.getAttribute("data-in-use"), "true");

  // With $500 in each wallet, paying by card still lets Auto Fulfillment on.
  await clickHidden(d, "auto-switch");
  const question = await byTestId(d, "auto-confirm-text", 30_000);
  assert.equal(await question.getText(), "Are you sure you want to turn on the Auto Fulfillment function?");
  const yes = await byTestId(d, "auto-confirm");
  await waitStill(d, yes);
  await yes.click();
  await settled(d, async () => (await (await byTestId(d, "auto-state")).getAttribute("data-state")) === "on", 30_000, "Auto Fulfillment on");

  // Orders reach Processing, paid with the card.
  await clickTestId(d, "nav-orders");
  await settled(d, async () => Number(await (await byTestId(d, "count-processing")).getAttribute("data-count")) > 0, 60_000, "orders reach Processing");
  await clickTestId(d, "tab-processing");
  await settled(d, async () => (await d.findElements(By.css('[data-testid="order-row"][data-status="processing"]'))).length > 0, 30_000);
  await (await d.findElements(By.css('[data-testid="order-row"][data-status="processing"] td')))[1].click();
  const sub = await byTestId(d, "sub-order", 20_000);
  assert.match(await sub.getText(), /Paid with the card on file/);

  // Cancel fulfilment: asked first, then each supplier's answer is shown.
  await clickTestId(d, "cancel-fulfillment");
  const cancelConfirm = await byTestId(d, "cancel-confirm");
  await waitStill(d, cancelConfirm);
  await cancelConfirm.click();
  const answers = await byTestId(d, "cancel-result", 30_000);
  assert.equal(await answers.getAttribute("data-all-cancelled"), "true");
  assert.match(await answers.getText(), /cancelled order CJ\w+; the charge goes back to your card/);
  await settled(d, async () => (await d.findElements(By.css('[data-testid="sub-order"][data-state="cancelled"]'))).length > 0, 20_000, "sub-order cancelled");
  await byTestId(d, "hold-reason", 20_000);

  // The number and the CVC: in no file of the data directory and no IPC reply.
  const replies = (await d.executeScript("return window.__ipcReplies.join('\\n')")) ?? "";
  assert.ok(replies.includes('"last4":"8431"'), "the IPC log recorded the replies");
  const files = everyFile(app.dataDir).toString("latin1");
  assert.ok(files.includes("Dropdock starting"), "the logs were read");
  for (const [where, text] of [["the data directory", files], ["an IPC reply", replies]]) {
    assert.equal(text.includes(NUMBER), false, `the card number is in ${where}`);
    assert.equal(text.includes(TYPED), false, `the typed card number is in ${where}`);
    assert.equal(countToken(text, CVC), 0, `the CVC is in ${where}`);
  }
}));
