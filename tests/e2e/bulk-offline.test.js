// Working through many orders on the real app: select rows, Hold / Release / Export CSV, filter by
// hold reason, the Dashboard's late-shipments link, and the offline mode (demo servers off: the
// orders stay browsable, Ship order is queued, and it runs once the servers are back).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, byTestId, clickHidden, clickTestId, syncDemo, waitStill, withScreenshot, settled, By, until } from "./driver.js";

const exportDir = mkdtempSync(join(tmpdir(), "dropdock-exports-"));
let app;
before(async () => {
  app = await launch({ DROPDOCK_EXPORT_DIR: exportDir });
});
after(async () => {
  await app?.close();
});


const rows = (d) => d.findElements(By.css('[data-testid="order-row"]'));
const attr = (el, name) => el.getAttribute(name);

/** Picks `label` in the Mantine Select with this test id. */
async function choose(d, id, label) {
  await clickTestId(d, id);
  const option = await d.wait(until.elementLocated(By.xpath(`//*[@role="option"][normalize-space(.)="${label}"]`)), 10_000);
  await d.wait(until.elementIsVisible(option), 10_000);
  await option.click();
}

async function tick(d, count) {
  const boxes = await d.findElements(By.css('[data-testid="select-order"]'));
  const names = [];
  for (let i = 0; i < count; i++) {
    await d.executeScript("arguments[0].click()", boxes[i]);
    names.push(await attr((await rows(d))[i], "data-order-name"));
  }
  await settled(d, async () => (await attr(await byTestId(d, "selected-count"), "data-count")) === String(count), 10_000);
  return names;
}

test("Hold and Release a selection, filter by hold reason, export it as CSV", { timeout: 180_000 }, (t) => withScreenshot(t, async () => {
  const d = app.driver;
  await clickTestId(d, "nav-orders", 60_000);
  await syncDemo(d);
  await clickTestId(d, "tab-to_order");
  await settled(d, async () => (await rows(d)).length > 3 && (await attr((await rows(d))[0], "data-status")) === "to_order", 20_000);

  // Hold two orders: each shows the hold, and the hold-reason filter lists exactly them.
  const held = await tick(d, 2);
  await clickTestId(d, "bulk-hold");
  await byTestId(d, "filter-bar");
  for (const name of held) {
    await settled(d, async () => (await attr(await d.findElement(By.css(`[data-testid="order-row"][data-order-name="${name}"]`)), "data-hold")) === "merchant", 10_000, `${name} held`);
  }
  await choose(d, "filter-hold", "Held by you");
  await settled(d, async () => {
    const shown = await Promise.all((await rows(d)).map((r) => attr(r, "data-order-name")));
    return shown.length === 2 && held.every((n) => shown.includes(n));
  }, 20_000, "the hold filter shows the two held orders");

  // Export the selection: a CSV with a header and the two orders lands in the exports folder.
  await clickHidden(d, "select-all");
  await clickTestId(d, "bulk-export");
  await settled(d, () => readdirSync(exportDir).some((f) => f.endsWith(".csv")), 20_000, "the CSV is written");
  const csv = readFileSync(join(exportDir, readdirSync(exportDir).find((f) => f.endsWith(".csv"))), "utf8").trim().split("\n");
  assert.match(csv[0], /^Order,Store,Created \(UTC\),Customer/);
  assert.deepEqual(csv.slice(1).map((l) => l.split(",")[0]).sort(), [...held].sort());
  assert.ok(csv.slice(1).every((l) => l.includes("held by you")), csv.join("\n"));
  await clickTestId(d, "bulk-clear");
  await byTestId(d, "filter-bar");

  // Release them: the filter empties, the orders are free to ship again.
  await tick(d, 2);
  await clickTestId(d, "bulk-release");
  await byTestId(d, "orders-empty", 20_000);
  await clickTestId(d, "clear-filters");
  await settled(d, async () => (await rows(d)).length > 2, 20_000);
  for (const name of held) {
    assert.equal(await attr(await d.findElement(By.css(`[data-testid="order-row"][data-order-name="${name}"]`)), "data-hold"), "");
  }
}));

test("The Dashboard's late shipments open the matching orders", { timeout: 120_000 }, (t) => withScreenshot(t, async () => {
  const d = app.driver;
  await clickTestId(d, "nav-dashboard");
  const late = await byTestId(d, "dashboard-late", 30_000);
  const count = Number(await attr(late, "data-count"));
  assert.ok(count > 0, "the demo has paid orders older than a week without tracking");
  await byTestId(d, "chart-orders");
  await clickTestId(d, "dashboard-late-link");
  await new Promise((r) => setTimeout(r, 1500));
  const lateFilter = await byTestId(d, "filter-late");
  await settled(d, async () => (await rows(d)).length > 0, 20_000);
  for (const row of (await rows(d)).slice(0, 10)) {
    assert.ok(["to_order", "processing"].includes(await attr(row, "data-status")));
  }
  await clickTestId(d, "clear-filters");
  await d.wait(until.stalenessOf(lateFilter), 10_000);
}));

test("Offline: orders stay browsable, Ship order is queued and runs once the network is back", { timeout: 180_000 }, (t) => withScreenshot(t, async () => {
  const d = app.driver;
  await clickTestId(d, "nav-settings");
  await clickHidden(d, "sandbox-serving-switch");
  const badge = await byTestId(d, "offline-badge", 30_000);
  assert.equal(await attr(badge, "data-online"), "false");

  // The Order page and an order's detail work from the local database.
  await clickTestId(d, "nav-orders");
  await clickTestId(d, "tab-to_order");
  await settled(d, async () => (await rows(d)).length > 0 && (await attr((await rows(d))[0], "data-status")) === "to_order", 20_000);
  const row = (await rows(d))[0];
  const name = await attr(row, "data-order-name");
  await row.findElement(By.css("td:nth-child(2)")).click();
  const ship = await byTestId(d, "ship-order");
  await d.wait(until.elementIsEnabled(ship), 20_000);
  await waitStill(d, ship);
  await ship.click();
  await byTestId(d, "queued-alert", 30_000);
  await settled(d, async () => (await attr(await byTestId(d, "offline-badge"), "data-queued")) === "1", 20_000, "the badge counts the queued order");
  const detail = await byTestId(d, "order-detail");
  await d.actions().sendKeys("\uE00C").perform();
  await d.wait(until.stalenessOf(detail), 10_000);

  // The network comes back: the queued order goes to its suppliers by itself.
  await clickTestId(d, "nav-settings");
  await clickHidden(d, "sandbox-serving-switch");
  await clickTestId(d, "nav-orders");
  await clickTestId(d, "tab-processing");
  await settled(d, async () => (await d.findElements(By.css(`[data-testid="order-row"][data-order-name="${name}"]`))).length === 1, 60_000, `${name} reaches Processing`);
  await settled(d, async () => (await d.findElements(By.css('[data-testid="offline-badge"]'))).length === 0, 30_000, "the offline badge goes");
}));
