// The robustness panel: each curve spans its slider's whole range, and module loss is a set of
// named settings (none, module 1, ...) rather than a continuous magnitude. Read through the
// panel's CSV export, the numbers the canvas draws.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sharedBrowser, openReady, inkedPixels, screenshot } from "./harness.mjs";

const env = sharedBrowser();

/** Waits for the whole curve, then downloads the panel's CSV as rows of objects. */
async function robustnessCsv(page) {
  await page.waitForFunction(
    () => document.getElementById("sweep-status").textContent === "complete", null, { timeout: 180000 });
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator('button[data-csv="robustness"]').click(),
  ]);
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  const [header, ...lines] = Buffer.concat(chunks).toString("utf8").trim().split("\n");
  const names = header.split(",");
  return lines.map((line) => Object.fromEntries(line.split(",").map((v, i) => [names[i], v])));
}

/** The page's method names, from the method selector. */
function methods(page) {
  return page.locator("#method option").evaluateAll((options) => options.map((o) => o.value));
}

for (const [kind, value] of [["rec_weight_noise", 1.5], ["input_noise", 15]]) {
  test(`the ${kind} curve spans its slider from 0 to the slider's maximum`, async () => {
    const page = await openReady(env.browser, env.server, `?v=1&curve=${kind}&${kind}=${value}`);
    const slider = page.locator(`#${kind}`);
    const [min, max] = [Number(await slider.getAttribute("min")), Number(await slider.getAttribute("max"))];
    assert.ok(max > value, `the slider reaches past ${value}`);
    const rows = await robustnessCsv(page);
    const names = await methods(page);
    assert.equal(new Set(rows.map((r) => r.method)).size, names.length, "a curve per method");
    for (const method of names) {
      const magnitudes = rows.filter((r) => r.method === method && r.perturbation === kind).map((r) => Number(r.magnitude));
      assert.equal(Math.min(...magnitudes), min, `${method} starts at the slider's minimum`);
      assert.equal(Math.max(...magnitudes), max, `${method} ends at the slider's maximum`);
      assert.ok(magnitudes.some((m) => m > value), `${method} has points beyond the current value ${value}`);
    }
    assert.ok((await inkedPixels(page, "robustness-canvas")) > 3000);
    await screenshot(page, `robustness-${kind}.png`);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}

test("module loss is swept as none, module 1, module 2, module 3, as the selector counts", async () => {
  const page = await openReady(env.browser, env.server, "?v=1&curve=module_loss&module_loss=2");
  const options = await page.locator("#module_loss option").evaluateAll((o) => o.map((x) => x.value));
  const rows = await robustnessCsv(page);
  const names = await methods(page);
  for (const method of names) {
    const points = rows.filter((r) => r.method === method);
    assert.deepEqual(points.map((r) => r.setting), ["none", "module 1", "module 2", "module 3"], method);
    // The settings match the selector's choices, in the same numbering.
    assert.deepEqual(points.map((r) => (r.magnitude === "0" ? "none" : r.magnitude)), options, method);
    for (const r of points) assert.ok(Number(r.mean_performance) >= 0 && Number(r.mean_performance) <= 1);
  }
  await screenshot(page, "robustness-module-loss.png");
  assert.deepEqual(page.errors, []);
  await page.close();
});
