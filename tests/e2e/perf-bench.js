// The desktop app's own figures with a large database (a bench that prints, not a test):
// how fast the Order page opens, whether scrolling to the last of 100,000 orders keeps every
// frame short, and the app's resident memory.
//
//   cargo run --release -p dropdock-cli -- bench --orders 100000 --keep /tmp/bench100k
//   cargo build --release -p dropdock   # or the debug build; DROPDOCK_APP points at the binary
//   xvfb-run -a -s "-screen 0 1440x900x24" tests/support/keyring-session.sh \
//     node tests/e2e/perf-bench.js /tmp/bench100k
//
// Timings come from the page's own clock (performance marks and requestAnimationFrame), read
// through WebDriver, so the driver's round trips do not count.
import { readFileSync } from "node:fs";
import { launch, pidsUsing, byTestId, clickTestId } from "./driver.js";

const dataDir = process.argv[2];
if (!dataDir) {
  console.error("usage: node tests/e2e/perf-bench.js DATA_DIR (made by dropdock-cli bench --keep DATA_DIR)");
  process.exit(2);
}

/** Resident memory (MB) of the app's processes: Dropdock itself and its WebKit helpers. */
function residentMb() {
  const out = {};
  for (const pid of pidsUsing(dataDir)) {
    try {
      const comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      if (comm.startsWith("tauri-driver") || comm.startsWith("WebKitWebDriver")) continue;
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
      out[comm] = (out[comm] ?? 0) + kb / 1024;
    } catch {
      // gone
    }
  }
  return out;
}

const app = await launch({}, dataDir);
const d = app.driver;
try {
  await d.manage().setTimeouts({ script: 900_000 });
  await byTestId(d, "order-row", 60_000);
  const total = Number(await (await byTestId(d, "count-all")).getAttribute("data-count"));
  const firstRows = await d.executeScript("return performance.getEntriesByName('orders-first-rows')[0]?.startTime ?? null");
  console.log(`orders in the database: ${total}`);
  const atOpen = residentMb();
  console.log(`Order page at start: first rows ${firstRows?.toFixed(0)} ms after the page began loading`);

  // Re-opening the Order page from another screen.
  const reopen = [];
  for (let i = 0; i < 5; i++) {
    await clickTestId(d, "nav-wallet");
    await d.sleep(300);
    reopen.push(
      await d.executeAsyncScript(`
        const done = arguments[arguments.length - 1];
        const start = performance.now();
        document.querySelector('[data-testid="nav-orders"]').click();
        const wait = () => (document.querySelector('[data-testid="order-row"]') ? done(performance.now() - start) : requestAnimationFrame(wait));
        requestAnimationFrame(wait);`),
    );
  }
  console.log(`Order page re-opened: ${reopen.map((ms) => ms.toFixed(0)).join(", ")} ms`);

  // Scroll to the last row, one screenful of rows per frame at most, recording every frame.
  const scroll = await d.executeAsyncScript(`
    const done = arguments[arguments.length - 1];
    const total = arguments[0];
    const scroller = document.querySelector('[data-testid="orders-scroller"]');
    const frames = [];
    let last = performance.now();
    const start = last;
    const tick = () => {
      const now = performance.now();
      frames.push(now - last);
      last = now;
      scroller.scrollTop = scroller.scrollHeight;
      const rows = document.querySelectorAll('[data-testid="order-row"]');
      const lastRow = rows[rows.length - 1];
      const atEnd = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2;
      const loading = document.querySelector('[data-testid="order-row-loading"]');
      // The list's length is exact once the last page is in.
      if (atEnd && !loading && lastRow && scroller.dataset.complete === "true" && Number(scroller.dataset.count) === total) {
        done({ ms: now - start, frames, lastRow: lastRow.getAttribute("data-order-name") });
      } else if (now - start > 850000) {
        done({ ms: now - start, frames, lastRow: null });
      } else {
        requestAnimationFrame(tick);
      }
    };
    requestAnimationFrame(tick);`, total);
  const frames = scroll.frames.slice(1).sort((a, b) => a - b);
  const p = (q) => frames[Math.min(frames.length - 1, Math.floor(frames.length * q))].toFixed(1);
  console.log(
    `scroll to the end: ${(scroll.ms / 1000).toFixed(1)} s, last row ${scroll.lastRow}; ` +
      `${frames.length} frames, p50 ${p(0.5)} ms, p99 ${p(0.99)} ms, longest ${frames[frames.length - 1].toFixed(1)} ms, ` +
      `${frames.filter((f) => f > 100).length} over 100 ms`,
  );
  const show = (memory) =>
    `${Object.entries(memory).map(([k, v]) => `${k} ${v.toFixed(0)} MB`).join(", ")} (together ${Object.values(memory).reduce((a, b) => a + b, 0).toFixed(0)} MB)`;
  console.log(`resident memory with the Order page open: ${show(atOpen)}`);
  console.log(`resident memory after scrolling to the end: ${show(residentMb())}`);
  // A search and a filter on the full table, as the merchant types.
  const searchMs = await d.executeAsyncScript(`
    const done = arguments[arguments.length - 1];
    const input = document.querySelector('[data-testid="orders-search"]');
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
    const start = performance.now();
    setter.call(input, "nunez");
    input.dispatchEvent(new Event("input", { bubbles: true }));
    const wait = () => {
      const rows = [...document.querySelectorAll('[data-testid="order-row"]')];
      rows.length > 0 && rows.every((r) => r.textContent.includes("Núñez")) ? done(performance.now() - start) : requestAnimationFrame(wait);
    };
    requestAnimationFrame(wait);`);
  console.log(`search "nunez" to rows on screen: ${searchMs.toFixed(0)} ms (including the 250 ms typing debounce)`);
} finally {
  await app.close();
}
