// Training in the worker: it advances while a slider still repaints at once, pause and resume
// keep the trial count, Reset puts back the loaded networks, the learning panel spans the run,
// and a huge learning rate ends in the divergence message.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  sharedBrowser, openReady, inkedPixels, screenshot, performanceComplete, performanceTable, canvasSnapshot,
  moveSlider,
} from "./harness.mjs";

const env = sharedBrowser();

const trials = (page) => page.evaluate(() => Number(document.getElementById("progress").dataset.trials ?? 0));
const state = (page) => page.evaluate(() => document.getElementById("training").dataset.state);
const span = (page) => page.evaluate(() => Number(document.getElementById("learning-canvas").dataset.span));

// Waits until the performance table is complete and, with `differ`, unlike `table`.
function tableSettled(page, table, differ) {
  return page.waitForFunction(([old, differ]) => {
    if (document.getElementById("perf-table").dataset.complete !== "true") return false;
    const cells = [...document.querySelectorAll("#perf-table td[data-value]")];
    const same = cells.length === Object.keys(old).length
      && cells.every((td) => old[`${td.dataset.method}/${td.dataset.task}`] === td.dataset.value);
    return differ ? !same : same;
  }, [table, differ], { timeout: 90000 });
}

// The learning panel's CSV, as the page's export button downloads it.
async function learningCsv(page) {
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator('[data-csv="learning"]').click()]);
  return readFileSync(await download.path(), "utf8");
}


test("training advances in the worker while a slider still repaints at once; pause keeps the count", async () => {
  const page = await openReady(env.browser, env.server, "?v=1&budget=100000");
  await page.locator("#train-start").click();
  await page.waitForFunction(() => Number(document.getElementById("progress").dataset.trials ?? 0) > 0, null, { timeout: 30000 });
  // The learning panel's x axis spans the live run's budget, not the saved 200,000-trial curves.
  await page.waitForFunction(() => document.getElementById("learning-canvas").dataset.span === "100000", null, { timeout: 10000 });
  assert.equal(await state(page), "running");

  const times = [];
  for (const v of ["0.2", "0.4", "0.6", "0.8", "1"]) {
    times.push((await moveSlider(page, "rec_weight_noise", v))[0]);
    await page.waitForTimeout(200);
  }
  times.sort((a, b) => a - b);
  const rate = await page.evaluate(() => Number(document.getElementById("progress").dataset.rate ?? 0));
  console.log(`while training: slider -> repaint median ${times[2].toFixed(0)} ms; ${rate.toFixed(0)} trials/s`);
  assert.ok(times[2] < 300, `slider repaint while training: ${times}`);
  assert.ok(rate > 0);

  // Pause: the count stops and survives; resume goes on from it.
  const beforePause = await trials(page);
  await page.locator("#train-pause").click();
  await page.waitForTimeout(800);
  const paused = await trials(page);
  assert.ok(paused >= beforePause);
  await page.waitForTimeout(800);
  assert.equal(await trials(page), paused, "no training while paused");
  assert.equal(await state(page), "paused");
  await page.locator("#train-start").click();
  await page.waitForFunction((n) => Number(document.getElementById("progress").dataset.trials) > n, paused, { timeout: 30000 });
  assert.match(await page.locator("#train-trials").textContent(), /of 100,000/);
  await page.locator("#train-pause").click();
  await screenshot(page, "training.png");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a huge learning rate ends in the divergence message, with the plots still there", async () => {
  const page = await openReady(env.browser, env.server, "?v=1&method=monolithic&lr=1000");
  await page.locator("#train-start").click();
  const message = page.locator("#train-message");
  await message.waitFor({ state: "visible", timeout: 60000 });
  assert.match(await message.textContent(), /diverged at iteration \d+ of [\d,]+: .*Reset returns to the networks that were loaded/);
  assert.equal(await page.locator("#train-message button").count(), 1, "a reset is offered");
  await page.waitForTimeout(500);
  assert.ok((await inkedPixels(page, "trajectories-canvas")) > 3000, "the trajectories are still drawn");
  assert.equal(await page.locator("#panic").isHidden(), true);
  await page.locator("#train-message button").click();
  assert.equal(await message.isHidden(), true);
  assert.equal(await state(page), "idle");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("while training, the performance table and robustness panel follow the trained weights", async () => {
  const page = await openReady(env.browser, env.server, "?v=1&method=molap&budget=100000");
  await performanceComplete(page);
  const before = await performanceTable(page);
  const sweepsBefore = await page.evaluate(() => document.getElementById("sweep-status").textContent);
  await page.locator("#train-start").click();
  // The trained method's column is re-scored from the weights the worker posts while it runs.
  await page.waitForFunction((old) => {
    const cells = [...document.querySelectorAll('#perf-table td[data-method="molap"][data-value]')];
    return cells.length === 9 && cells.some((td) => td.dataset.value !== old[`molap/${td.dataset.task}`]);
  }, before, { timeout: 60000 });
  assert.equal(await state(page), "running", "re-scored while still running");
  const after = await performanceTable(page);
  for (const method of ["monolithic", "random_modules", "pretrained_monolith"]) {
    for (const key of Object.keys(before).filter((k) => k.startsWith(`${method}/`))) {
      assert.equal(after[key], before[key], `${key} is untouched`);
    }
  }
  assert.ok(sweepsBefore.length > 0);
  await page.locator("#train-pause").click();
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("training from scratch fits the primitives and pre-trains each module before the task stage", async () => {
  const page = await openReady(env.browser, env.server, "?v=1&method=molap&from=scratch&units=8&budget=64&batch_size=32");
  assert.equal(await page.locator("#units-note").isVisible(), true, "the page says the shown networks keep 32 units");
  assert.match(await page.locator("#units-note").textContent(), /32 units per module.*8 units per module need training from scratch/);
  const before = await canvasSnapshot(page, "trajectories-canvas");
  const stages = new Set();
  await page.exposeFunction("sawStage", (stage) => stages.add(stage));
  await page.evaluate(() => {
    const progress = document.getElementById("progress");
    new MutationObserver(() => window.sawStage(progress.dataset.stage ?? "")).observe(progress, { attributes: true });
  });
  await page.locator("#train-start").click();
  await page.waitForFunction(() => document.getElementById("training").dataset.state === "finished", null, { timeout: 120000 });
  for (const stage of ["pre-training module 1 of 3", "pre-training module 3 of 3", "task stage"]) {
    assert.ok(stages.has(stage), `went through "${stage}" (saw ${[...stages].join("; ")})`);
  }
  // Progress counts the whole run too: three modules and the task stage of 64 trials each.
  assert.match(await page.locator("#train-trials").textContent(), /^64 of 64 \(MoLaP\); whole run 256 of 256$/);
  // The 8-unit network trained from scratch is the one shown now.
  await page.waitForFunction((old) => document.getElementById("trajectories-canvas").toDataURL() !== old, before, { timeout: 10000 });
  assert.ok((await inkedPixels(page, "trajectories-canvas")) > 3000);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a run on the shipped modules with other units per module is refused with the reason", async () => {
  const page = await openReady(env.browser, env.server, "?v=1&units=16");
  await page.locator("#train-start").click();
  assert.match(await page.locator("#train-message").textContent(), /shipped modules have 32 units each; 16 units per module need training from scratch/);
  assert.equal(await state(page), "idle");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("Reset after a run puts back the loaded networks: the table, and the learning panel's span", async () => {
  const page = await openReady(env.browser, env.server, "?v=1&method=molap&task=memorydm1&budget=640&batch_size=32");
  await performanceComplete(page);
  const original = await performanceTable(page);
  const savedSpan = await span(page);
  assert.ok(savedSpan > 640, `the saved curves span ${savedSpan} trials`);

  await page.locator("#train-start").click();
  await page.waitForFunction(() => document.getElementById("training").dataset.state === "finished", null, { timeout: 120000 });
  // The run's result is shown: its own table numbers, and a learning panel over its 640 trials.
  await tableSettled(page, original, true);
  await page.waitForFunction(() => document.getElementById("learning-canvas").dataset.span === "640", null, { timeout: 10000 });
  assert.match(await page.locator("#train-summary").textContent(), /^Training MoLaP \(finished\)/);
  assert.match(await page.locator("#train-perf").textContent(), /per task: delaypro \d+, delayanti \d+, memorypro \d+/);
  const during = await learningCsv(page);
  assert.match(during, /^run,method,quantity,task,trials,value$/m);
  assert.match(during, /^this run,molap,loss,,640,/m);

  await page.locator("#train-reset").click();
  assert.equal(await state(page), "idle");
  await tableSettled(page, original, false);
  assert.deepEqual(await performanceTable(page), original, "the loaded networks' numbers, exactly");
  await page.waitForFunction((n) => Number(document.getElementById("learning-canvas").dataset.span) === n, savedSpan, { timeout: 10000 });
  // The run stays in the learning panel as the earlier run, beside MoLaP's saved curve.
  const after = await learningCsv(page);
  assert.match(after, /^earlier run,molap,loss,,640,/m);
  assert.match(after, /^saved,molap,loss,/m);
  assert.doesNotMatch(after, /^this run,/m);
  await screenshot(page, "training-reset.png");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a first step that diverges keeps the networks from before the run, and Reset leaves them", async () => {
  const page = await openReady(env.browser, env.server, "?v=1&method=molap&lr=10");
  await performanceComplete(page);
  const original = await performanceTable(page);
  await page.locator("#train-start").click();
  const message = page.locator("#train-message");
  await message.waitFor({ state: "visible", timeout: 60000 });
  assert.match(await message.textContent(), /diverged at iteration 2 of [\d,]+: the loss .* exploded/);
  assert.match(await message.textContent(), /MoLaP keeps the networks it had before this run/);
  assert.match(await page.locator("#train-summary").textContent(), /Training MoLaP stopped: it diverged at iteration 2/);
  await page.waitForTimeout(2500);
  await tableSettled(page, original, false);
  await page.locator("#train-reset").click();
  await tableSettled(page, original, false);
  assert.deepEqual(await performanceTable(page), original);
  assert.equal(await page.locator("#panic").isHidden(), true);
  assert.ok((await inkedPixels(page, "learning-canvas")) > 3000, "the learning curves are drawn");
  assert.deepEqual(page.errors, []);
  await page.close();
});
