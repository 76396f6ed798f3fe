// Measures the page in headless Chromium: load -> first plots, and slider -> repaint over many
// moves after a warm-up, idle and while training. Prints medians and spreads; asserts nothing.
// Usage: node scripts/page-timing.mjs [moves=25]   (builds nothing: run ./scripts/serve.sh once)
import { startServer, launchBrowser, openPage, moveSlider } from "../tests/e2e/harness.mjs";

const MOVES = Number(process.argv[2] ?? 25);
const WARM_UP = 5;

function summary(times) {
  const s = [...times].sort((a, b) => a - b);
  const q = (f) => s[Math.min(s.length - 1, Math.floor(f * s.length))];
  return `median ${q(0.5).toFixed(1)} ms, p10–p90 ${q(0.1).toFixed(1)}–${q(0.9).toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms (n=${s.length})`;
}


async function sliderRun(page, label) {
  const total = [];
  const work = [];
  for (let i = 0; i < WARM_UP + MOVES; i++) {
    const value = String((0.05 * (1 + (i % 30))).toFixed(2));
    const [t, w] = await moveSlider(page, "rec_weight_noise", value);
    if (i >= WARM_UP) {
      total.push(t);
      work.push(w);
    }
    await page.waitForTimeout(120);
  }
  console.log(`${label}: slider -> repaint ${summary(total)}`);
  console.log(`${label}: repaint work alone ${summary(work)}`);
}

const server = await startServer();
const browser = await launchBrowser();
try {
  const loads = [];
  for (let i = 0; i < 3; i++) {
    const page = await openPage(browser, server.url);
    await page.waitForFunction(() => document.body.dataset.ready === "true", null, { timeout: 60000 });
    loads.push(await page.evaluate(() => [Number(document.body.dataset.loadMs), performance.now()]));
    if (i < 2) await page.close();
    else {
      console.log(`load -> first plots (from main start): ${loads.map((l) => l[0].toFixed(0)).join(", ")} ms`);
      console.log(`navigation -> ready: ${loads.map((l) => l[1].toFixed(0)).join(", ")} ms`);
      await page.waitForFunction(() => document.getElementById("perf-table").dataset.complete === "true", null, { timeout: 120000 });
      await page.waitForTimeout(3000);
      await sliderRun(page, "idle");
      await page.evaluate(() => { document.getElementById("budget").value = "1000000"; document.getElementById("budget").dispatchEvent(new Event("change")); });
      await page.locator("#train-start").click();
      await page.waitForFunction(() => Number(document.getElementById("progress").dataset.trials ?? 0) > 0, null, { timeout: 60000 });
      await sliderRun(page, "training");
      const rate = await page.evaluate(() => document.getElementById("progress").dataset.rate);
      console.log(`training: ${rate} trials/s`);
    }
  }
} finally {
  await browser.close();
  await server.close();
}
