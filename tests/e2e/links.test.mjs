// Links: a shared link restores the same controls and numbers in a fresh page; a bad link
// shows a message naming the field and the value used, and the page still works.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import {
  ROOT, sharedBrowser, openReady, inkedPixels, performanceComplete, performanceTable,
} from "./harness.mjs";

const env = sharedBrowser();

const CONTROL_IDS = [
  "method", "task", "seed", "trial", "rec_weight_noise", "input_weight_noise", "unit_loss",
  "module_loss", "input_noise", "recurrent_noise", "synapse_loss", "curve", "lr", "batch_size",
];

function controls(page) {
  return page.evaluate((ids) => Object.fromEntries(ids.map((id) => [id, document.getElementById(id).value])), CONTROL_IDS);
}

test("a shared link restores the controls and the per-task performance", async () => {
  const first = await openReady(env.browser, env.server);
  await first.locator("#method").selectOption("monolithic");
  await first.locator("#task").selectOption("delayanti");
  await first.locator("#seed").fill("7");
  await first.locator("#seed").dispatchEvent("change");
  await first.locator("#unit_loss").fill("0.2");
  await first.locator("#module_loss").selectOption("3");
  await first.locator("#classroom summary").click();
  await first.locator("#hide-list input[value=training]").check();
  await performanceComplete(first);
  const link = first.url();
  const numbers = await performanceTable(first);
  const values = await controls(first);
  assert.equal(Object.keys(numbers).length, 36);
  await first.close();

  const second = await openReady(env.browser, env.server, new URL(link).search);
  assert.deepEqual(await controls(second), values);
  assert.equal(await second.locator("#training").isHidden(), true, "the classroom link hides training");
  await performanceComplete(second);
  assert.deepEqual(await performanceTable(second), numbers);
  assert.equal(await second.locator("#link-messages").isHidden(), true);
  assert.deepEqual(second.errors, []);
  await second.close();
});

// Each bad link, a field the message must name and the control value used instead.
const BAD_LINKS = [
  ["?v=1&rec_weight_noise=abc", /"rec_weight_noise".*not a number.*used 0/, ["rec_weight_noise", "0"]],
  ["?v=1&unit_loss=5", /"unit_loss".*outside 0 to 1.*used 1/, ["unit_loss", "1"]],
  ["?v=1&trial=2.5", /"trial".*whole number/, ["trial", "1"]],
  ["?v=1&module_loss=7", /"module_loss".*not one of/, ["module_loss", "none"]],
  ["?v=1&colour=blue", /"colour" is unknown/, ["method", "molap"]],
  ["?v=0&method=monolithic", /version "0"/, ["method", "monolithic"]],
  ["?method=random_modules", /no version/, ["method", "random_modules"]],
  [`?v=1&seed=${"9".repeat(3000)}`, /characters long/, ["seed", "0"]],
  ["?v=1&task=%3Cscript%3Ewindow.__xss%3D1%3C%2Fscript%3E", /"task": "<script>/, ["task", "memorypro"]],
  ["?v=1&hide=method,%3Cimg%20src%3Dx%20onerror%3Dwindow.__xss%3D1%3E", /"hide".*unknown controls/, ["method", "molap"]],
];

test("malformed links show a message naming the field and leave a working page", async () => {
  for (const [query, message, [id, value]] of BAD_LINKS) {
    const page = await openReady(env.browser, env.server, query);
    const messages = page.locator("#link-messages");
    assert.equal(await messages.isVisible(), true, `no message for ${query.slice(0, 60)}`);
    assert.match(await messages.textContent(), message);
    assert.equal(await page.locator(`#${id}`).inputValue(), value, `${id} after ${query.slice(0, 60)}`);
    assert.equal(await page.locator("#panic").isHidden(), true);
    assert.equal(await page.evaluate(() => window.__xss), undefined, "markup in a link never runs");
    assert.equal(await page.locator("#link-messages script, #link-messages img").count(), 0);
    assert.ok((await inkedPixels(page, "trajectories-canvas")) > 3000);
    assert.match(page.url(), /[?&]v=1&/, "the address holds a clean link again");
    assert.deepEqual(page.errors, []);
    await page.close();
  }
});

const PERTURBATIONS = [
  "rec_weight_noise", "input_weight_noise", "unit_loss", "module_loss", "input_noise",
  "recurrent_noise", "synapse_loss",
];

test("the lessons page opens from the lab, and every link on it opens a working page", async () => {
  const lab = await openReady(env.browser, env.server);
  await lab.locator("#lessons-link").click();
  await lab.waitForURL(/lessons\.html$/);
  assert.match(await lab.locator("h1").textContent(), /Guided experiments/);
  // Served as HTML in UTF-8: no raw markdown, no mojibake.
  const text = await lab.locator("body").textContent();
  assert.ok(text.includes("σ") && !text.includes("Ïƒ") && !text.includes("Ï"), "σ reads as σ");
  assert.ok(!text.includes("](") && !text.includes("## "), "no raw markdown");
  const links = await lab.locator("main a[href], section a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert.deepEqual(lab.errors, []);
  await lab.close();

  const pages = links.filter((href) => href.startsWith("index.html?"));
  assert.equal(pages.filter((href) => /[?&]hide=/.test(href)).length, 3, "three experiments");
  assert.ok(pages.filter((href) => /#panel-robustness$/.test(href)).length >= 2, "robustness checks");
  assert.ok(pages.some((href) => /#panel-efficiency$/.test(href)), "an efficiency check");
  for (const href of pages) {
    const url = new URL(href, env.server.url);
    const page = await openReady(env.browser, env.server, `${url.search}${url.hash}`);
    assert.equal(await page.locator("#link-messages").isHidden(), true, `messages for ${href}`);
    assert.equal(await page.locator("#panic").isHidden(), true, `panic for ${href}`);
    const hidden = (url.searchParams.get("hide") ?? "").split(",").filter(Boolean);
    for (const field of hidden) {
      assert.equal(await page.locator(`[data-field="${field}"]`).first().isHidden(), true, `${field} hidden`);
    }
    // Every perturbation hidden: their group, reset button included, is hidden too.
    const allPerturbationsHidden = PERTURBATIONS.every((f) => hidden.includes(f));
    assert.equal(await page.locator("#perturbations").isHidden(), allPerturbationsHidden, `perturbations for ${href}`);
    assert.equal(await page.locator("#reset-perturbations").isVisible(), !allPerturbationsHidden);
    assert.equal(await page.locator("#show-hidden").isVisible(), hidden.length > 0);
    if (url.searchParams.has("curve")) {
      assert.equal(await page.locator("#curve").inputValue(), url.searchParams.get("curve"));
    }
    if (url.hash) assert.equal(await page.locator(url.hash).count(), 1, `${url.hash} exists`);
    assert.ok((await inkedPixels(page, "robustness-canvas")) > 3000);
    if (allPerturbationsHidden) {
      await page.locator("#show-hidden").click();
      assert.equal(await page.locator("#reset-perturbations").isVisible(), true, "shown again");
    }
    assert.deepEqual(page.errors, [], href);
    await page.close();
  }

  // Links to the repository's documents, by relative path. The reproduction report is written
  // by `molap reproduce`; where it has not been run yet it is the only one allowed to be absent.
  const documents = links.filter((href) => !href.startsWith("index.html"));
  assert.ok(documents.includes("docs/results.md"), "the reproduction report is linked");
  for (const href of documents) {
    if (!existsSync(path.join(ROOT, href))) {
      assert.equal(href, "docs/results.md", `${href} is missing`);
      continue;
    }
    const response = await fetch(new URL(href, env.server.url));
    assert.equal(response.status, 200, href);
  }
});

test("units per module travel in the link; an out-of-range value is named and clamped", async () => {
  const page = await openReady(env.browser, env.server, "?v=1&units=16&from=scratch");
  assert.equal(await page.locator("#units").inputValue(), "16");
  assert.equal(new URL(page.url()).searchParams.get("units"), "16");
  assert.match(await page.locator("#units-note").textContent(), /have 32 units per module.*16 units per module need training from scratch/);
  assert.equal(await page.locator("#link-messages").isHidden(), true);
  await page.close();

  const bad = await openReady(env.browser, env.server, "?v=1&units=500");
  assert.match(await bad.locator("#link-messages").textContent(), /"units": "500" is outside 4 to 128; used 128 instead/);
  assert.equal(await bad.locator("#units").inputValue(), "128");
  assert.equal(await bad.locator("#units-note").isVisible(), true);

  // Old links, without the field, keep the shipped size and say nothing about it.
  const old = await openReady(env.browser, env.server, "?v=1&method=molap");
  assert.equal(await old.locator("#units").inputValue(), "32");
  assert.equal(await old.locator("#units-note").isHidden(), true);
  assert.deepEqual([...bad.errors, ...old.errors], []);
  await bad.close();
  await old.close();
});
