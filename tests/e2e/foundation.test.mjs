// The page loads the wasm core, draws a chart computed by it, and repaints when a slider moves.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  startServer, launchBrowser, openPage, inkedPixels, canvasSnapshot, screenshot,
} from "./harness.mjs";

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function openDrawnPage() {
  const page = await openPage(browser, server.url);
  await page.waitForFunction(() => /Drawn in/.test(document.getElementById("status").textContent));
  return page;
}

test("the page loads the core and draws the chart without console errors", async () => {
  const page = await openDrawnPage();
  const inked = await inkedPixels(page, "leaky-chart");
  assert.ok(inked > 2000, `only ${inked} drawn pixels on the chart`);
  assert.equal(await page.locator("#panic").isHidden(), true);
  await screenshot(page, "foundation.png");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("moving the slider changes the chart's pixels and its label", async () => {
  const page = await openDrawnPage();
  const before = await canvasSnapshot(page, "leaky-chart");
  await page.locator("#tau").fill("400");
  await page.waitForFunction(() => document.getElementById("tau-value").textContent === "400 ms");
  await page.waitForFunction(() => /Drawn in/.test(document.getElementById("status").textContent));
  const after = await canvasSnapshot(page, "leaky-chart");
  assert.notEqual(after, before, "the canvas did not change after the slider moved");

  // The keyboard moves it too.
  await page.locator("#tau").focus();
  await page.keyboard.press("ArrowLeft");
  await page.waitForFunction(() => document.getElementById("tau-value").textContent === "390 ms");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a panic in the core shows a readable message in the page", async () => {
  const page = await openDrawnPage();
  await page.evaluate(async () => {
    const core = await import("/pkg/molap_lab.js");
    try {
      core.panicForTest("deliberate test panic");
    } catch {
      // The panic surfaces in JS as a RuntimeError once the hook has run.
    }
  });
  const panic = page.locator("#panic");
  assert.equal(await panic.isVisible(), true);
  const text = await panic.textContent();
  assert.match(text, /internal error/);
  assert.match(text, /deliberate test panic/);
  await page.close();
});
