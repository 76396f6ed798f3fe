// Browser half of the benchmark, and the report: times the wasm workloads in headless Chromium
// (tests/bench/), the served page (load to first plot, slider to repaint), reads the native and
// PyTorch timings the shell script wrote, and prints one table, also written as JSON and
// Markdown. Run by scripts/bench.sh: node scripts/bench.mjs OUT_DIR [--quick]
import { readFileSync, writeFileSync, existsSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import path from "node:path";
import { startServer, launchBrowser, openPage, ROOT } from "../tests/e2e/harness.mjs";

const outDir = path.resolve(process.argv[2] ?? "bench-output");
const quick = process.argv.includes("--quick");
const plan = quick ? { warmup: 2, iteration_reps: 5, eval_reps: 3 } : { warmup: 5, iteration_reps: 40, eval_reps: 20 };
const PAGE_LOADS = quick ? 2 : 5;
const SLIDER_MOVES = quick ? 3 : 9;

const readJson = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null);

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q) => {
    const pos = q * (s.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return s[lo] + (s[hi] - s[lo]) * (pos - lo);
  };
  return { reps: s.length, median_ms: at(0.5), q1_ms: at(0.25), q3_ms: at(0.75), min_ms: s[0], max_ms: s[s.length - 1] };
}

async function wasmRows(browser, server) {
  const page = await openPage(browser, `${server.url}tests/bench/index.html`);
  const rows = await page.evaluate((p) => window.molapBench(p), plan);
  if (page.errors.length) throw new Error(page.errors.join("\n"));
  await page.close();
  return rows;
}

// Records, from the first script on, when the page marks itself ready, repainted or re-scored
// (the data attributes main.js sets), with performance.now() (ms since navigation start).
function recordMarks() {
  window.__benchMarks = { ready: null, repaints: [], complete: [] };
  new MutationObserver((records) => {
    const t = performance.now();
    for (const r of records) {
      const el = r.target;
      if (r.attributeName === "data-ready" && el.dataset.ready === "true") window.__benchMarks.ready ??= t;
      if (r.attributeName === "data-repaints") window.__benchMarks.repaints.push(t);
      if (r.attributeName === "data-complete" && el.dataset.complete === "true") window.__benchMarks.complete.push(t);
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-ready", "data-repaints", "data-complete"] });
}

async function pageLoads(browser, server) {
  const times = [];
  for (let i = 0; i < PAGE_LOADS; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    await context.addInitScript(recordMarks);
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => window.__benchMarks?.ready != null, null, { timeout: 60000 });
    times.push(await page.evaluate(() => window.__benchMarks.ready));
    await context.close();
  }
  return times;
}

// Moves the recurrent-weight-noise slider; per move: input -> trajectory and trial panels
// repainted, and input -> every method re-scored on the nine tasks (the table complete again).
async function sliderMoves(browser, server) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  await context.addInitScript(recordMarks);
  const page = await context.newPage();
  await page.goto(`${server.url}?v=1&rec_weight_noise=0.1`);
  await page.waitForFunction(() => document.getElementById("perf-table").dataset.complete === "true", null, { timeout: 120000 });
  const repaint = [];
  const rescore = [];
  for (let i = 0; i < SLIDER_MOVES; i++) {
    const value = (0.2 + 0.1 * (i % 8)).toFixed(1);
    const t0 = await page.evaluate((v) => {
      const input = document.getElementById("rec_weight_noise");
      const started = performance.now();
      input.value = v;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      return started;
    }, value);
    await page.waitForFunction((t) => window.__benchMarks.repaints.some((x) => x > t), t0, { timeout: 30000 });
    await page.waitForFunction(
      (t) => window.__benchMarks.complete.some((x) => x > t) && document.getElementById("perf-table").dataset.complete === "true",
      t0, { timeout: 120000 });
    const marks = await page.evaluate(() => window.__benchMarks);
    repaint.push(marks.repaints.find((x) => x > t0) - t0);
    rescore.push(marks.complete.filter((x) => x > t0).pop() - t0);
  }
  await context.close();
  return { repaint, rescore };
}

function sizes() {
  const file = (rel) => path.join(ROOT, rel);
  const list = [["wasm (pkg/molap_lab_bg.wasm)", ["pkg/molap_lab_bg.wasm"]],
    ["page (index.html, www/*, pkg/*, model)", ["index.html", "www/main.js", "www/state.js", "www/panels.js", "www/training.js",
      "www/train-worker.js", "www/eval-worker.js", "www/style.css", "www/icon.svg", "pkg/molap_lab.js", "pkg/molap_lab_bg.wasm", "models/default.molap"]]];
  return list.map(([name, files]) => {
    const present = files.filter((f) => existsSync(file(f)));
    const raw = present.reduce((n, f) => n + statSync(file(f)).size, 0);
    const gz = present.reduce((n, f) => n + gzipSync(readFileSync(file(f)), { level: 9 }).length, 0);
    return { name, raw_bytes: raw, gzip_bytes: gz };
  });
}

const fixed = (s) => (s.median_ms < 10 ? 3 : 1);
const ms = (s) => (s ? `${s.median_ms.toFixed(fixed(s))} (${s.q1_ms.toFixed(fixed(s))}–${s.q3_ms.toFixed(fixed(s))})` : "—");
const ratio = (a, b) => (a && b ? (a.median_ms / b.median_ms).toFixed(2) : "—");

function report(native, wasm, torch, page, size) {
  const byName = (rows, name) => rows?.find((r) => r.name === name)?.stats;
  const lines = ["| workload | native 1 thread, ms | wasm (Chromium), ms | PyTorch 1 thread, ms | wasm / native | PyTorch / native | PyTorch / wasm |",
    "|---|---|---|---|---|---|---|"];
  for (const row of native) {
    const n = row.stats;
    const w = byName(wasm, row.name);
    const t = byName(torch?.rows, row.name);
    lines.push(`| ${row.name} (${row.detail}) | ${ms(n)} | ${ms(w)} | ${ms(t)} | ${ratio(w, n)} | ${ratio(t, n)} | ${ratio(t, w)} |`);
  }
  lines.push("", "| page | median, ms (IQR) | min–max, ms |", "|---|---|---|");
  for (const [name, s] of Object.entries(page)) lines.push(`| ${name} | ${ms(s)} | ${s.min_ms.toFixed(0)}–${s.max_ms.toFixed(0)} |`);
  lines.push("", "| size | raw, KiB | gzip -9, KiB |", "|---|---|---|");
  for (const s of size) lines.push(`| ${s.name} | ${(s.raw_bytes / 1024).toFixed(0)} | ${(s.gzip_bytes / 1024).toFixed(0)} |`);
  lines.push("", "Medians with the interquartile range in brackets.",
    `PyTorch: ${torch ? `${torch.torch}, ${torch.threads} thread` : `not measured: ${readFileSync(path.join(outDir, "torch.missing"), "utf8").trim()}`}.`);
  return lines.join("\n");
}

const server = await startServer();
const browser = await launchBrowser();
try {
  const native = readJson(path.join(outDir, "native.json"));
  const torch = readJson(path.join(outDir, "torch.json"));
  const wasm = await wasmRows(browser, server);
  const loads = await pageLoads(browser, server);
  const { repaint, rescore } = await sliderMoves(browser, server);
  const page = {
    "page load -> first plots": stats(loads),
    "slider input -> trajectory and trial panels repainted": stats(repaint),
    "slider input -> table re-scored (4 methods x 9 tasks, worker)": stats(rescore),
  };
  const size = sizes();
  const table = report(native, wasm, torch, page, size);
  const when = new Date().toISOString();
  writeFileSync(path.join(outDir, "bench.json"), JSON.stringify({ when, plan, native, wasm, torch, page, size }, null, 2));
  writeFileSync(path.join(outDir, "bench.md"), `# MoLaP Lab benchmark, ${when}\n\n${table}\n`);
  console.log(`\n${table}\n\nWritten to ${path.relative(ROOT, outDir)}/bench.md and bench.json.`);
} finally {
  await browser.close();
  await server.close();
}
