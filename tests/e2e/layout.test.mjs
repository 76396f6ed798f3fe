// The page at common window sizes: every canvas is drawn at the size it is displayed (so its
// text keeps its size and stays sharp), and redrawn when the window changes; the link banner
// can be dismissed, the skip link reaches the plots, and the classroom link is one step.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sharedBrowser, openReady, inkedPixels, screenshot, canvasSizes, performanceComplete } from "./harness.mjs";

const env = sharedBrowser();

// Every canvas's buffer is its displayed size times the device pixel ratio.
function assertFitted(sizes, dpr, where) {
  assert.equal(Object.keys(sizes).length, 6, where);
  for (const [id, s] of Object.entries(sizes)) {
    assert.ok(s.clientWidth > 300, `${id} is displayed (${where})`);
    assert.equal(s.scale, dpr, `${id} scale (${where})`);
    assert.equal(s.width, Math.round(s.clientWidth * dpr), `${id} buffer width (${where})`);
    assert.equal(s.height, Math.round(s.clientHeight * dpr), `${id} buffer height (${where})`);
  }
}

for (const [width, height] of [[1280, 720], [1920, 1080]]) {
  test(`at ${width}×${height} every canvas is drawn at its displayed size`, async () => {
    const page = await openReady(env.browser, env.server, "", { width, height });
    await performanceComplete(page);
    await page.waitForTimeout(1000);
    const sizes = await canvasSizes(page);
    assertFitted(sizes, 1, `${width}×${height}`);
    // The main column is narrower than the old fixed 980 px at 1280 and wider at 1920.
    const shown = sizes["trajectories-canvas"].clientWidth;
    assert.ok(width === 1280 ? shown < 980 : shown > 1100, `trajectories shown ${shown} px wide`);
    for (const id of Object.keys(sizes)) {
      const inked = await inkedPixels(page, id);
      assert.ok(inked > 3000, `only ${inked} drawn pixels on ${id}`);
    }
    await screenshot(page, `layout-${width}.png`);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}

test("a resized window refits and redraws every canvas", async () => {
  const page = await openReady(env.browser, env.server, "", { width: 1280, height: 720 });
  await performanceComplete(page);
  const before = await canvasSizes(page);
  await page.setViewportSize({ width: 1700, height: 900 });
  await page.waitForFunction(() => {
    const c = document.getElementById("trial-canvas");
    return c.width === c.clientWidth && c.width > 1000;
  }, null, { timeout: 10000 });
  // Setting a canvas's size clears it: ink on every one means each was drawn again.
  await page.waitForTimeout(600);
  const after = await canvasSizes(page);
  assertFitted(after, 1, "after resizing");
  for (const id of Object.keys(after)) {
    assert.ok(after[id].width > before[id].width, `${id} grew: ${before[id].width} -> ${after[id].width}`);
    const inked = await inkedPixels(page, id);
    assert.ok(inked > 3000, `only ${inked} drawn pixels on ${id} after resizing`);
  }
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("on a dense screen the buffers hold two device pixels per CSS pixel", async () => {
  const page = await openReady(env.browser, env.server, "", { width: 1280, height: 720, deviceScaleFactor: 2 });
  await performanceComplete(page);
  await page.waitForTimeout(600);
  const sizes = await canvasSizes(page);
  assertFitted(sizes, 2, "device pixel ratio 2");
  for (const id of Object.keys(sizes)) {
    const inked = await inkedPixels(page, id);
    assert.ok(inked > 4 * 3000, `only ${inked} drawn pixels on ${id}`);
  }
  await screenshot(page, "layout-1280-dpr2.png");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("the link banner can be dismissed from the keyboard", async () => {
  const page = await openReady(env.browser, env.server, "?v=1&units=500");
  const banner = page.locator("#link-banner");
  assert.equal(await banner.isVisible(), true);
  await page.locator("#link-dismiss").focus();
  await page.keyboard.press("Enter");
  assert.equal(await banner.isHidden(), true);
  await page.close();
});

test("the skip link is the first stop and moves focus to the plots", async () => {
  const page = await openReady(env.browser, env.server);
  await page.keyboard.press("Tab");
  const first = await page.evaluate(() => [document.activeElement.className, document.activeElement.textContent]);
  assert.deepEqual(first, ["skip-link", "Skip to the plots"]);
  assert.equal(await page.locator(".skip-link").isVisible(), true);
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.id), "plots");
  // The next stop is inside the plots, not back in the controls.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => Boolean(document.activeElement.closest("#plots"))), true);
  await page.close();
});

test("ticking controls to hide and copying the classroom link is one step", async () => {
  const page = await openReady(env.browser, env.server);
  await page.locator("#classroom summary").click();
  await page.locator("#hide-seed").check();
  await page.locator("#classroom-copy").click();
  const message = page.locator("#classroom-message");
  await page.waitForFunction(() => document.getElementById("classroom-message").textContent !== "");
  assert.match(await message.textContent(), /Copied the classroom link \(1 control hidden\)|Copy this link: .*hide=seed/);
  assert.match(page.url(), /hide=seed/);
  await page.close();
});

test("focusing the hidden file input shows its whole button", async () => {
  const page = await openReady(env.browser, env.server);
  await page.locator("#load").focus();
  const box = await page.locator('label[for="load"]').boundingBox();
  const aside = await page.locator("#controls").boundingBox();
  assert.ok(box.y >= aside.y && box.y + box.height <= aside.y + aside.height, `button at ${box.y}..${box.y + box.height}, controls ${aside.y}..${aside.y + aside.height}`);
  await page.close();
});
