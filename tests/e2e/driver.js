// Starts tauri-driver and opens a WebDriver session on the real Dropdock binary.
// tauri-driver proxies to WebKitWebDriver (Debian's webkit2gtk-driver), which launches the app.
import { execFileSync, spawn } from "node:child_process";
import { createServer } from "node:net";
import { createServer as createHttpServer } from "node:http";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
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
/** The page's console goes to the log too (`DROPDOCK_WEB_CONSOLE`, see the shell's webview.rs). */
export const TEST_ENV = { DROPDOCK_UPDATE_ENDPOINT: "http://127.0.0.1:9/latest.json", DROPDOCK_WEB_CONSOLE: "1", ...webkitSandboxEnv() };

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

/**
 * Set once an app's web view stayed blank on the embedded assets: later apps load the same
 * `ui/dist` over loopback HTTP (`DROPDOCK_UI_URL`, debug builds only) with WebKit's sandbox off.
 */
let fallback = null;

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

const DIST = resolve(import.meta.dirname, "../../ui/dist");
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".woff2": "font/woff2", ".json": "application/json" };

/** Serves `ui/dist` on a loopback port (the fallback above); resolves to its address. */
async function serveDist() {
  const server = createHttpServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const file = join(DIST, path === "/" ? "index.html" : path);
    if (!file.startsWith(DIST) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[file.slice(file.lastIndexOf("."))] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  server.unref();
  return `http://127.0.0.1:${server.address().port}/`;
}

/** What this machine is, for the log of a blank web view: the WebKitGTK packages, kernel, memory
 * and shared-memory room (WebKit hands resources between its processes through shared memory). */
function machineFacts() {
  const run = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { encoding: "utf8", timeout: 10_000 }).trim();
    } catch (e) {
      return `(${cmd} failed: ${e.message.split("\n")[0]})`;
    }
  };
  return [
    run("dpkg-query", ["-W", "-f", "${Package} ${Version}\\n", "libwebkit2gtk-4.1-0", "webkit2gtk-driver", "libsoup-3.0-0", "libglib2.0-0"]),
    run("uname", ["-srm"]),
    run("nproc", []),
    run("free", ["-m"]),
    run("df", ["-h", "/dev/shm", "/tmp"]),
    run("sh", ["-c", "cat /sys/fs/cgroup/memory.max /proc/sys/kernel/unprivileged_userns_clone 2>&1; grep -m1 'model name' /proc/cpuinfo"]),
  ].join("\n");
}

/**
 * A fresh app (own data directory, embedded sandbox) driven through WebDriver; `dataDir` opens
 * an existing database instead (the perf bench's). A web view still blank after 30 s (seen on
 * some CI machines, cause unknown: the app had started and connected its sandbox, the page held
 * the embedded index.html and nothing had run) has what it shows printed with the machine's facts
 * and is reloaded; still blank 20 s later, the app is started again with the same `ui/dist`
 * served over loopback HTTP and WebKit's sandbox off, and every later app starts that way. The
 * log says so; a UI that does not mount either way fails the test.
 */
export async function launch(extraEnv = {}, dataDir = mkdtempSync(join(tmpdir(), "dropdock-e2e-"))) {
  // DROPDOCK_E2E_UI=http starts with the fallback, to check that path by hand.
  if (!fallback && process.env.DROPDOCK_E2E_UI === "http") fallback = await fallbackEnv();
  const app = await start({ ...extraEnv, ...(fallback ?? {}) }, dataDir);
  if (await rendered(app.driver, 30_000)) return app;
  console.error(`# the web view is blank after 30 s: ${await describePage(app.driver)}\n# this machine:\n${machineFacts().replace(/^/gm, "#   ")}\n# reloading it`);
  await app.driver.navigate().refresh().catch((e) => console.error(`# reload failed: ${e.message}`));
  if ((await rendered(app.driver, 20_000)) || fallback) return app;
  console.error(`# still blank: ${await describePage(app.driver)}`);
  await app.close();
  fallback = await fallbackEnv();
  return start({ ...extraEnv, ...fallback }, dataDir);
}

async function fallbackEnv() {
  const env = { DROPDOCK_UI_URL: await serveDist(), WEBKIT_DISABLE_SANDBOX_THIS_IS_DANGEROUS: "1" };
  console.error(`# from now on the apps load ui/dist from ${env.DROPDOCK_UI_URL}, not from their embedded assets, with WebKit's sandbox off`);
  return env;
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
  await clickFound(() => byTestId(driver, id, timeout), timeout);
}

/** Clicks the element `find` resolves to, finding it again until nothing covers it. */
export async function clickFound(find, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      await (await find()).click();
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
 * What the page shows, for a failure's log: its address, whether the UI's bundle ran (`boot`:
 * `window.__dropdockErrors` exists once it has), the errors it caught, the start and end of its
 * text, the style sheets it holds (with their rule counts: none when one failed to load), and
 * what importing its module script again answers (a syntax error or a failed load shows there, as
 * nothing else reports it). Never throws.
 */
export async function describePage(driver) {
  if (!driver) return "no WebDriver session";
  try {
    const page = await driver.executeAsyncScript(`
      const done = arguments[arguments.length - 1];
      const body = document.body ? document.body.innerText : "";
      const page = {
        url: location.href,
        readyState: document.readyState,
        boot: window.__dropdockErrors !== undefined,
        errors: window.__dropdockErrors || [],
        text: body.slice(0, 600),
        end: body.slice(-600),
        html: document.documentElement.outerHTML.length,
        agent: navigator.userAgent,
      };
      // (No fetch: the CSP's connect-src allows IPC only. A style sheet that loaded has rules.)
      const sheets = [...document.styleSheets].map((sheet) => {
        try {
          return sheet.href + ": " + sheet.cssRules.length + " rules";
        } catch (e) {
          return sheet.href + ": " + e;
        }
      });
      const timeout = (ms) => new Promise((r) => setTimeout(() => r("no answer in " + ms + " ms"), ms));
      const script = document.querySelector("script[type=module][src]");
      const imported = script
        ? Promise.race([import(script.src).then(() => "imports", (e) => "import failed: " + e), timeout(5000)])
        : Promise.resolve("no module script");
      imported.then((i) => done({ ...page, sheets, imported: i }));
    `);
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
