// Desktop integration on the real app: languages, the signed updater, a single instance.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { APP, TEST_ENV, killAppsUsing, launch, byTestId, clickTestId, settled, By } from "./driver.js";

// A loopback update server: latest.json announcing 9.9.9, and a bundle with a well-formed minisign
// signature made by a throwaway test key (its private half was discarded), not by Dropdock's
// release key: the app must offer the update, then refuse to install it.
const BUNDLE = "not a real bundle";
const TEST_KEY_SIGNATURE =
  "dW50cnVzdGVkIGNvbW1lbnQ6IHNpZ25hdHVyZSBmcm9tIHRhdXJpIHNlY3JldCBrZXkKUlVUWk1Hc3FSZlVlV0ZNTWFtbnR4bXJwZERaRGtxWlpSVWhEbmV4T3NHUmlMREwvUEtBZ0VRTEpxNmd2MlUzVGRLRElodGxzM2UrVm5hVmpCRUhpUnJxQ05RQjRTdHYxM2dFPQp0cnVzdGVkIGNvbW1lbnQ6IHRpbWVzdGFtcDoxNzk1MzExNTM1CWZpbGU6YnVuZGxlLmJpbgpCMEpJelpkNUdVZ1g4clhacGZQSHFiR3pOMW91QnBGdVFOUFI5L1pnVVAzNnNWdU5tU2NOdE5tak5tcktnd1REc0RNd0ord2Vpc2xqV0lSaHlBWWdCZz09Cg==";
const NOTES = "Faster order sync\nYunExpress tracking links";
let server;
let endpoint;
before(async () => {
  server = createServer((req, res) => {
    const base = `http://127.0.0.1:${server.address().port}`;
    if (req.url === "/latest.json") {
      const platform = { signature: TEST_KEY_SIGNATURE, url: `${base}/dropdock_9.9.9_amd64.AppImage` };
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ version: "9.9.9", notes: NOTES, pub_date: "2026-11-20T10:00:00Z", platforms: { "linux-x86_64": platform, "linux-x86_64-appimage": platform, "linux-x86_64-deb": platform } }));
    } else {
      res.end(BUNDLE);
    }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  endpoint = `http://127.0.0.1:${server.address().port}/latest.json`;
});
after(() => {
  server?.closeAllConnections();
  server?.close();
});

test("the language switches to Chinese and is remembered", { timeout: 120_000 }, async () => {
  const app = await launch();
  try {
    const d = app.driver;
    await byTestId(d, "sandbox-badge", 60_000);
    assert.equal(await (await byTestId(d, "nav-orders")).getText(), "Order");
    await clickTestId(d, "nav-settings");
    const select = await byTestId(d, "language-select");
    await select.findElement(By.css('option[value="zh-CN"]')).click();
    await settled(d, async () => (await (await byTestId(d, "nav-orders")).getText()) === "订单", 10_000, "sidebar in Chinese");
    assert.equal(await (await byTestId(d, "nav-settings")).getText(), "设置");
    assert.equal(await (await byTestId(d, "nav-wallet")).getText(), "我的钱包");
    await d.navigate().refresh();
    await settled(d, async () => (await (await byTestId(d, "nav-orders", 30_000)).getText()) === "订单", 30_000, "still Chinese after a reload");
    const select2 = await byTestId(d, "nav-settings");
    await select2.click();
    await (await byTestId(d, "language-select")).findElement(By.css('option[value="en"]')).click();
    await settled(d, async () => (await (await byTestId(d, "nav-orders")).getText()) === "Order", 10_000);
  } finally {
    await app.close();
  }
});

test("an update on the server is offered with its notes; a bad signature is refused", { timeout: 120_000 }, async () => {
  const app = await launch({ DROPDOCK_UPDATE_ENDPOINT: endpoint });
  try {
    const d = app.driver;
    await byTestId(d, "sandbox-badge", 60_000);
    await clickTestId(d, "nav-settings");
    await clickTestId(d, "check-updates");
    const available = await byTestId(d, "update-available", 30_000);
    assert.match(await available.getText(), /9\.9\.9/);
    const notes = await (await byTestId(d, "update-notes")).getText();
    assert.match(notes, /Faster order sync/);
    assert.match(notes, /YunExpress tracking links/);
    await clickTestId(d, "install-update");
    const refusal = await byTestId(d, "update-error", 30_000);
    let message = "";
    await settled(d, async () => (message = await refusal.getText()).length > 0, 10_000, "the refusal is shown");
    assert.match(message, /signature/i, message);
  } finally {
    await app.close();
  }
});

test("with no reachable update server the app runs and Settings says so", { timeout: 120_000 }, async () => {
  const app = await launch({ DROPDOCK_UPDATE_ENDPOINT: "http://127.0.0.1:9/latest.json" });
  try {
    const d = app.driver;
    await byTestId(d, "sandbox-badge", 60_000);
    await clickTestId(d, "nav-settings");
    await byTestId(d, "update-unreachable", 30_000);
    await clickTestId(d, "nav-orders");
    await byTestId(d, "orders-empty");
  } finally {
    await app.close();
  }
});

test("start with the system writes a minimised autostart entry, and removes it", { timeout: 120_000 }, async () => {
  // A throwaway home: the entry goes to ~/.config/autostart (XDG autostart).
  const home = mkdtempSync(join(tmpdir(), "dropdock-home-"));
  const entry = join(home, ".config", "autostart", "Dropdock.desktop");
  const app = await launch({ HOME: home });
  try {
    const d = app.driver;
    await byTestId(d, "sandbox-badge", 60_000);
    await clickTestId(d, "nav-settings");
    // Mantine's switch hides its checkbox: read and click the input itself.
    const toggle = () => d.findElement(By.css('input[data-testid="autostart-switch"]'));
    await settled(d, async () => {
      const found = await d.findElements(By.css('input[data-testid="autostart-switch"]'));
      return found.length === 1 && (await found[0].isEnabled());
    }, 20_000, "settings loaded");
    assert.equal(await toggle().isSelected(), false);
    const flip = async () => d.executeScript("arguments[0].click()", await toggle());
    await flip();
    await until(() => existsSync(entry), 10_000, "the autostart entry is written");
    const desktopEntry = readFileSync(entry, "utf8");
    assert.match(desktopEntry, /^Exec=.*--minimized/m);
    await settled(d, async () => (await toggle().isSelected()) === true, 10_000, "the switch shows on");
    await flip();
    await until(() => !existsSync(entry), 10_000, "the autostart entry is removed");
  } finally {
    await app.close();
  }
});

function logText(dataDir) {
  const dir = join(dataDir, "logs");
  if (!existsSync(dir)) return "";
  return readdirSync(dir).map((f) => readFileSync(join(dir, f), "utf8")).join("\n");
}

async function until(predicate, ms, what) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out: ${what}`);
}

test("a second launch hands over to the running app and exits", { timeout: 120_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "dropdock-single-"));
  const env = { ...process.env, ...TEST_ENV, DROPDOCK_DATA_DIR: dataDir, WEBKIT_DISABLE_COMPOSITING_MODE: "1" };
  const first = spawn(APP, [], { env, stdio: "ignore" });
  let firstExited = false;
  first.on("exit", () => (firstExited = true));
  try {
    await until(() => logText(dataDir).includes("Dropdock starting"), 60_000, "first instance started");
    const second = spawn(APP, [], { env, stdio: "ignore" });
    const code = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the second launch did not exit")), 20_000);
      second.on("exit", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    assert.equal(code, 0);
    await until(() => logText(dataDir).includes("another launch: focusing the open window"), 10_000, "the first instance was told");
    assert.equal(firstExited, false, "the first instance keeps running");
    assert.equal((logText(dataDir).match(/Dropdock starting/g) ?? []).length, 1, "only one instance started");
  } finally {
    first.kill("SIGKILL");
    killAppsUsing(dataDir);
  }
});
