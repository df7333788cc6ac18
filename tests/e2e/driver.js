// Starts tauri-driver and opens a WebDriver session on the real Dropdock binary.
// tauri-driver proxies to WebKitWebDriver (Debian's webkit2gtk-driver), which launches the app.
import { execFileSync, spawn } from "node:child_process";
import { createServer } from "node:net";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Builder, By, until } from "selenium-webdriver";

export const APP = resolve(process.env.DROPDOCK_APP ?? join(import.meta.dirname, "../../target/debug/dropdock"));

/** A free loopback port, so parallel or leftover runs never share a driver. */
async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/** Every app under test asks a dead loopback port for updates: no test reaches past 127.0.0.1. */
export const TEST_ENV = { DROPDOCK_UPDATE_ENDPOINT: "http://127.0.0.1:9/latest.json", ...webkitSandboxEnv() };

/**
 * WebKitGTK can run its web process inside bubblewrap, which needs user namespaces; some CI
 * containers refuse them even to root. Where `bwrap` cannot make a namespace here, the app under
 * test is told to run WebKit unsandboxed (its documented switch) instead of trying, and says so.
 * (Checked here with a bwrap that fails: WebKit copes either way; this only removes one unknown
 * from a machine whose web view once stayed blank, see `launch`.)
 */
function webkitSandboxEnv() {
  try {
    execFileSync("bwrap", ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "true"], { stdio: "ignore", timeout: 10_000 });
    return {};
  } catch {
    console.error("# bubblewrap cannot make a namespace here: WebKit runs unsandboxed in these tests");
    return { WEBKIT_DISABLE_SANDBOX_THIS_IS_DANGEROUS: "1" };
  }
}

async function waitForPort(url, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`tauri-driver did not listen on ${url}`);
}

/** The session the last `launch` opened (for failure reports). */
let currentDriver = null;

/** Set once an app's web view stayed blank under WebKit's sandbox: later apps start without it. */
let unsandboxed = false;

/** Whether the UI mounted (its sidebar is in the page) within `ms`. */
async function rendered(driver, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      if (await driver.executeScript("return !!document.querySelector('[data-testid=\"nav-orders\"]')")) return true;
    } catch {
      // the page is not there yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

/**
 * A fresh app (own data directory, embedded sandbox) driven through WebDriver; `dataDir` opens
 * an existing database instead (the perf bench's). A web view still blank after 30 s (seen once
 * on a CI machine, cause unknown: the app had started and connected its sandbox) has what it
 * shows printed and is reloaded; still blank 20 s later, the app is started once more with
 * WebKit's sandbox off, and every later app starts that way.
 */
export async function launch(extraEnv = {}, dataDir = mkdtempSync(join(tmpdir(), "dropdock-e2e-"))) {
  const env = unsandboxed ? { ...extraEnv, WEBKIT_DISABLE_SANDBOX_THIS_IS_DANGEROUS: "1" } : extraEnv;
  const app = await start(env, dataDir);
  if (await rendered(app.driver, 30_000)) return app;
  // Blank: say what the page holds, reload it once (a first load that failed), then start again
  // without WebKit's sandbox.
  console.error(`# the web view is blank after 30 s: ${await describePage(app.driver)}; reloading it`);
  await app.driver.navigate().refresh().catch((e) => console.error(`# reload failed: ${e.message}`));
  if ((await rendered(app.driver, 20_000)) || unsandboxed) return app;
  console.error(`# still blank: ${await describePage(app.driver)}; starting the app again without WebKit's sandbox`);
  await app.close();
  unsandboxed = true;
  return start({ ...extraEnv, WEBKIT_DISABLE_SANDBOX_THIS_IS_DANGEROUS: "1" }, dataDir);
}

async function start(extraEnv, dataDir) {
  const port = await freePort();
  const nativePort = await freePort();
  const driverProcess = spawn(process.env.TAURI_DRIVER ?? "tauri-driver", ["--port", String(port), "--native-port", String(nativePort)], {
    // XDG_DATA_HOME per app: the web view's storage (the language choice, in localStorage) is
    // each test's own, so no test inherits another's language.
    env: {
      ...process.env,
      ...TEST_ENV,
      XDG_DATA_HOME: join(dataDir, "xdg-data"),
      ...extraEnv,
      DROPDOCK_DATA_DIR: dataDir,
      WEBKIT_DISABLE_COMPOSITING_MODE: "1",
      WEBKIT_DISABLE_DMABUF_RENDERER: "1",
      LIBGL_ALWAYS_SOFTWARE: "1",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  await waitForPort(`http://127.0.0.1:${port}/status`, 15_000);
  const driver = await new Builder()
    .usingServer(`http://127.0.0.1:${port}`)
    .withCapabilities({ browserName: "wry", "tauri:options": { application: APP } })
    .build();
  currentDriver = driver;
  return {
    driver,
    dataDir,
    async close() {
      await driver.quit().catch(() => {});
      driverProcess.kill();
      killAppsUsing(dataDir);
    },
  };
}

/**
 * Ends every app process started with `dataDir`. Closing the window only hides Dropdock in the
 * tray (by design), so ending the WebDriver session leaves the process running; the test finds it
 * by its environment in /proc (these tests run on Linux only).
 */
export function killAppsUsing(dataDir) {
  for (const pid of pidsUsing(dataDir)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone already
    }
  }
}

/** The processes started with `dataDir`: the app and the WebKit processes it spawned. */
export function pidsUsing(dataDir) {
  const pids = [];
  const marker = `DROPDOCK_DATA_DIR=${dataDir}\0`;
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/environ`, "latin1").includes(marker)) pids.push(Number(pid));
    } catch {
      // gone already, or not ours to read
    }
  }
  return pids;
}

/** The element with `data-testid`, once it is visible. */
export async function byTestId(driver, id, timeout = 20_000) {
  const el = await driver.wait(until.elementLocated(By.css(`[data-testid="${id}"]`)), timeout, `no element ${id}`);
  await driver.wait(until.elementIsVisible(el), timeout, `${id} not visible`);
  return el;
}

export { By, until };

/** Clicks `data-testid` once nothing (a closing overlay, a transition) covers it. */
export async function clickTestId(driver, id, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      await (await byTestId(driver, id, timeout)).click();
      return;
    } catch (e) {
      const retriable = ["ElementClickInterceptedError", "ElementNotInteractableError", "StaleElementReferenceError"].includes(e.name);
      if (!retriable || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Picks the radio button labelled `label` (Mantine hides the input; the label takes the click). */
export async function chooseRadio(driver, label, timeout = 10_000) {
  await driver.wait(async () => {
    try {
      const el = await driver.findElement(By.xpath(`//label[normalize-space()='${label}']`));
      await el.click();
      const input = await driver.findElement(By.id(await el.getAttribute("for")));
      return await input.isSelected();
    } catch {
      return false;
    }
  }, timeout, `radio ${label} not selected`);
}

/** Saves the whole virtual screen as PNG with ImageMagick's `import` (WebKitWebDriver's own
 * screenshot call can stall while the page animates). */
export function screenshot(file) {
  execFileSync("import", ["-window", "root", file], { stdio: "ignore", timeout: 20_000 });
}

/** Waits until `el` stops moving (a drawer or modal finished sliding in). */
export async function waitStill(driver, el, timeout = 10_000) {
  let previous = null;
  await driver.wait(async () => {
    const rect = await el.getRect();
    const same = previous && rect.x === previous.x && rect.y === previous.y;
    previous = rect;
    if (!same) await new Promise((r) => setTimeout(r, 150));
    return same;
  }, timeout, "element keeps moving");
}

/**
 * What the page shows, for a failure's log: its address, the errors the UI caught
 * (`window.__dropdockErrors`), and the start of its text. Never throws.
 */
export async function describePage(driver) {
  if (!driver) return "no WebDriver session";
  try {
    const page = await driver.executeScript(
      "return { url: location.href, errors: window.__dropdockErrors || [], text: (document.body ? document.body.innerText : '').slice(0, 600), end: (document.body ? document.body.innerText : '').slice(-600), html: document.documentElement.outerHTML.length };",
    );
    return JSON.stringify(page);
  } catch (e) {
    return `the page did not answer: ${e.message}`;
  }
}

/** Runs a test body; on failure keeps a screenshot of the screen for the CI log's reader, and
 * prints what the page showed (`driver`: the session, when the body makes it known). */
export async function withScreenshot(t, body, driverOf = () => currentDriver) {
  try {
    await body();
  } catch (e) {
    console.error(`page: ${await describePage(driverOf())}`);
    const file = join(tmpdir(), `dropdock-e2e-${t.name.replace(/\W+/g, "-")}.png`);
    try {
      screenshot(file);
      console.error(`screenshot: ${file}`);
    } catch {
      console.error("no screenshot (ImageMagick import failed)");
    }
    throw e;
  }
}

/** Mantine hides checkbox and switch inputs: clicks the one with this test id through the DOM. */
export async function clickHidden(driver, id) {
  const el = await driver.wait(until.elementLocated(By.css(`[data-testid="${id}"]`)), 20_000, `no element ${id}`);
  await driver.executeScript("arguments[0].click()", el);
}

/** Order → Action → Sync Order over 60 days on the demo store, then closes the dialog. */
export async function syncDemo(driver) {
  await byTestId(driver, "sandbox-badge", 60_000);
  await clickTestId(driver, "action-menu");
  await clickTestId(driver, "action-sync-order");
  await waitStill(driver, await byTestId(driver, "sync-start"));
  await chooseRadio(driver, "60 Days");
  await clickTestId(driver, "sync-start");
  await byTestId(driver, "sync-summary", 60_000);
  const close = await byTestId(driver, "sync-close");
  await close.click();
  await driver.wait(until.stalenessOf(close), 10_000);
}

/**
 * `driver.wait(condition)` that treats a stale element as "not yet": WebKitWebDriver reports
 * elements that React replaced mid-check as stale, even from `findElements`.
 */
export function settled(driver, condition, timeout, message) {
  return driver.wait(
    async () => {
      try {
        return await condition();
      } catch (e) {
        if (e.name === "StaleElementReferenceError") return false;
        throw e;
      }
    },
    timeout,
    message,
  );
}
