// Shared set-up for the end-to-end tests: a static server over the repository root on a free
// loopback port, and headless Debian Chromium driven by playwright-core.
import { createServer } from "node:http";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import sirv from "sirv";
import { before, after } from "node:test";
import { chromium } from "playwright-core";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const OUTPUT = path.join(ROOT, "test-output");

// Flags this closed network needs: without them Chromium keeps trying to reach Google.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];

/** Serves the repository root; resolves to { url, close }. */
export async function startServer() {
  const handler = sirv(ROOT, { dev: true, dotfiles: false });
  const server = createServer(handler);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * One server and one browser for every test of the calling file: started before the first
 * test, closed after the last. Read `env.server.url` and `env.browser` inside the tests.
 */
export function sharedBrowser() {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

/** Launches headless Chromium. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * Opens a page that records console errors and uncaught exceptions in `page.errors`, so a test
 * can assert that none happened.
 */
export async function openPage(browser, url, viewport = { width: 1280, height: 720 }) {
  const { deviceScaleFactor, ...size } = viewport;
  const page = await browser.newPage({ viewport: size, deviceScaleFactor });
  page.errors = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") page.errors.push(`console.error: ${msg.text()}`);
  });
  page.on("pageerror", (err) => page.errors.push(`uncaught: ${err.message}`));
  await page.goto(url);
  return page;
}

/** Counts a canvas's pixels that are not (near) white: a drawn plot has many. */
export function inkedPixels(page, canvasId) {
  return page.evaluate((id) => {
    const canvas = document.getElementById(id);
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    let inked = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 0 && (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240)) inked++;
    }
    return inked;
  }, canvasId);
}

/** A canvas's pixels as a data URL, to compare two states. */
export function canvasSnapshot(page, canvasId) {
  return page.evaluate((id) => document.getElementById(id).toDataURL(), canvasId);
}

/** Saves a screenshot under test-output/ for a person to look at. */
export async function screenshot(page, name) {
  mkdirSync(OUTPUT, { recursive: true });
  await page.screenshot({ path: path.join(OUTPUT, name), fullPage: true });
}

/** Opens the page at `query` (in `viewport`) and waits until its first plots are drawn. */
export async function openReady(browser, server, query = "", viewport = undefined) {
  const page = await openPage(browser, `${server.url}${query}`, viewport);
  await page.waitForFunction(
    () => document.body.dataset.ready === "true" || !document.getElementById("panic").hidden,
    null, { timeout: 30000 },
  );
  return page;
}

/** Waits until the performance table holds every method's numbers. */
export function performanceComplete(page, timeout = 90000) {
  return page.waitForFunction(
    () => document.getElementById("perf-table").dataset.complete === "true", null, { timeout });
}

/** The performance table as { "method/task": value }. */
export function performanceTable(page) {
  return page.evaluate(() => Object.fromEntries(
    [...document.querySelectorAll("#perf-table td[data-value]")]
      .map((td) => [`${td.dataset.method}/${td.dataset.task}`, td.dataset.value])));
}

/** Number of repaints so far (each repaint is one animation frame drawing some panels). */
export function repaints(page) {
  return page.evaluate(() => Number(document.getElementById("status").dataset.repaints ?? 0));
}

/** Waits for a repaint after `count`. */
export function repaintAfter(page, count) {
  return page.waitForFunction(
    (n) => Number(document.getElementById("status").dataset.repaints ?? 0) > n, count);
}

/**
 * Moves the range input `id` to `value` by script and waits for the repaint that shows it.
 * Resolves to [input -> repaint in ms, the repaint's own work in ms], both in the page's clock.
 */
export function moveSlider(page, id, value) {
  return page.evaluate(async ([id, v]) => {
    const status = document.getElementById("status");
    const before = Number(status.dataset.repaints ?? 0);
    const input = document.getElementById(id);
    const started = performance.now();
    input.value = v;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((resolve) => {
      const check = () => (Number(status.dataset.repaints) > before ? resolve() : requestAnimationFrame(check));
      check();
    });
    return [performance.now() - started, Number(status.dataset.repaintMs)];
  }, [id, value]);
}

/**
 * Each canvas's buffer and displayed size: { id: { width, height, clientWidth, clientHeight,
 * scale } }, with `scale` the device pixel ratio the page drew it at.
 */
export function canvasSizes(page) {
  return page.evaluate(() => Object.fromEntries([...document.querySelectorAll("main canvas")].map((c) => [
    c.id,
    {
      width: c.width, height: c.height, clientWidth: c.clientWidth, clientHeight: c.clientHeight,
      scale: Number(c.dataset.scale), dpr: window.devicePixelRatio,
    },
  ])));
}
