// Screenshots of every screen of the real app, for reviewing the UI by eye (not a test).
// Usage (headless): xvfb-run -a tests/support/keyring-session.sh node tests/e2e/screenshots.js OUT_DIR
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launch, byTestId, chooseRadio, clickTestId, screenshot, waitStill, By, until } from "./driver.js";

const out = process.argv[2] ?? "screenshots";
mkdirSync(out, { recursive: true });
const app = await launch();
const d = app.driver;
const shot = async (name) => screenshot(join(out, `${name}.png`));
try {
  await byTestId(d, "sandbox-badge", 60_000);
  await clickTestId(d, "action-menu");
  await clickTestId(d, "action-sync-order");
  await waitStill(d, await byTestId(d, "sync-start"));
  await chooseRadio(d, "60 Days");
  await clickTestId(d, "sync-start");
  await byTestId(d, "sync-summary", 60_000);
  await shot("sync-order");
  await clickTestId(d, "sync-close");
  await clickTestId(d, "tab-to_order");
  await new Promise((r) => setTimeout(r, 500));
  await shot("orders");
  await (await d.findElements(By.css('[data-testid="order-row"] td')))[1].click();
  await clickTestId(d, "ship-order");
  await new Promise((r) => setTimeout(r, 1500));
  await shot("order-detail");
  await d.actions().sendKeys("\uE00C").perform();
  await new Promise((r) => setTimeout(r, 800));
  // Bulk actions: tick three rows, hold them.
  const boxes = await d.findElements(By.css('[data-testid="select-order"]'));
  for (const box of boxes.slice(0, 3)) await d.executeScript("arguments[0].click()", box);
  await byTestId(d, "bulk-bar");
  await shot("orders-selection");
  await clickTestId(d, "bulk-hold");
  await new Promise((r) => setTimeout(r, 1500));
  await shot("orders-held");
  for (const [nav, name] of [["nav-dashboard", "dashboard"], ["nav-wallet", "wallet"], ["nav-auto-fulfillment", "auto-fulfillment"], ["nav-integrations", "integrations"], ["nav-settings", "settings"]]) {
    await clickTestId(d, nav);
    await new Promise((r) => setTimeout(r, 1500));
    await shot(name);
    if (name === "auto-fulfillment") {
      await clickTestId(d, "tab-card");
      await new Promise((r) => setTimeout(r, 800));
      await shot("auto-fulfillment-card");
    }
  }
  // Offline: the demo servers off, the badge, the Order page still browsable.
  await d.executeScript("arguments[0].click()", await d.wait(until.elementLocated(By.css('[data-testid="sandbox-serving-switch"]')), 20_000));
  await byTestId(d, "offline-badge", 20_000);
  await clickTestId(d, "nav-orders");
  await new Promise((r) => setTimeout(r, 1000));
  await shot("orders-offline");
  await clickTestId(d, "nav-settings");
  await d.executeScript("arguments[0].click()", await d.wait(until.elementLocated(By.css('[data-testid="sandbox-serving-switch"]')), 20_000));
} finally {
  await app.close();
}
