// Page wiring: loads the core and the default model, keeps controls, link and plots in step,
// and talks to the two workers (evaluation and training).
import init, { Lab, perturbationMaxima } from "../pkg/molap_lab.js";
import { FIELDS, FIELD, readLink, writeLink, perturbation, magnitude, setMaxima } from "./state.js";
import { draw, wireExports, fillTable, fitCanvases, PANELS } from "./panels.js";
import { Training } from "./training.js";

const $ = (id) => document.getElementById(id);
const status = $("status");

const app = {
  lab: null,
  info: null,
  bytes: null,
  values: null,
  evalWorker: null,
  generation: 0,
  sweepGeneration: 0,
  performance: {},
  sweeps: {},
  training: null,
};

// Shows a failure in the page itself, never only in the console.
function showError(message) {
  const panic = $("panic");
  if (panic.hidden) {
    panic.textContent = message;
    panic.hidden = false;
  }
}

function showLinkMessages(messages) {
  const list = $("link-messages");
  list.replaceChildren(...messages.map((m) => Object.assign(document.createElement("li"), { textContent: m })));
  $("link-banner").hidden = messages.length === 0;
}

// --- controls <-> values ---------------------------------------------------------------

function label(field, value) {
  if (field.name.endsWith("_loss") && field.name !== "module_loss") return `p = ${value.toFixed(2)}`;
  if (field.name.endsWith("weight_noise")) return `σ = ${value.toFixed(2)}`;
  return `× ${value.toFixed(1)}`;
}

function buildControls() {
  const fill = (select, items) => select.replaceChildren(
    ...items.map(({ name, label: text }) => Object.assign(document.createElement("option"), { value: name, textContent: text })));
  fill($("method"), app.info.methods);
  fill($("task"), app.info.tasks);
  fill($("curve"), FIELD.curve.values.map((name) => ({ name, label: $(name).labels[0].textContent })));
  for (const field of FIELDS) {
    const input = $(field.name);
    if (input?.type === "range") Object.assign(input, { min: field.min, max: field.max, step: field.step });
  }
  const hideList = $("hide-list");
  for (const name of FIELD.hide.values) {
    const id = `hide-${name}`;
    const box = Object.assign(document.createElement("input"), { type: "checkbox", id, value: name });
    const text = $(name)?.labels?.[0]?.textContent ?? (name === "training" ? "Training" : "Share and save");
    const lab = Object.assign(document.createElement("label"), { htmlFor: id, textContent: text });
    const row = document.createElement("div");
    row.className = "check";
    row.append(box, lab);
    hideList.append(row);
  }
}

function showValues() {
  const v = app.values;
  for (const field of FIELDS) {
    const input = $(field.name);
    if (!input || field.type === "list") continue;
    input.value = String(v[field.name]);
    const out = $(`${field.name}-value`);
    if (out) out.textContent = label(field, v[field.name]);
  }
  for (const box of document.querySelectorAll("#hide-list input")) box.checked = v.hide.includes(box.value);
}

// Says plainly when the chosen units per module are not those of the networks shown.
function showUnitsNote() {
  const shipped = app.info.modules[0];
  const units = app.values.units;
  $("units-shown").textContent = String(shipped);
  const note = $("units-note");
  note.hidden = units === shipped;
  note.textContent = units === shipped ? "" : `The networks shown have ${shipped} units per module, as shipped. ${units} units per module need training from scratch: choose "scratch" and press Start; until that run reaches its task stage, every plot shows the ${shipped}-unit networks.`;
  $("train-summary").dataset.units = note.hidden ? "" : "differ";
}

function applyHidden() {
  const hidden = new Set(app.values.hide);
  for (const el of document.querySelectorAll("[data-field]")) el.hidden = hidden.has(el.dataset.field);
  // With every perturbation hidden, their group (heading and reset button) goes too.
  $("perturbations").hidden = FIELDS.filter((f) => f.perturbation).every((f) => hidden.has(f.name));
  $("show-hidden").hidden = hidden.size === 0;
}

function readControl(field) {
  const input = $(field.name);
  if (field.type === "enum") return input.value;
  const n = Number(input.value);
  if (!Number.isFinite(n)) return app.values[field.name];
  const clamped = Math.min(field.max, Math.max(field.min, field.type === "int" ? Math.round(n) : n));
  return clamped;
}

// Writes the link into the address bar: at once, or (`soon`, while a slider is dragged) at
// most every LINK_MS, since the browser throttles frequent address changes.
const LINK_MS = 200;
let linkTimer = 0;
function updateLink(soon = false) {
  clearTimeout(linkTimer);
  linkTimer = 0;
  if (soon) linkTimer = setTimeout(updateLink, LINK_MS);
  else history.replaceState(null, "", writeLink(app.values));
}

// Re-scores every method and redoes the robustness panel once the perturbation has been still
// for QUIET_MS: a dragged slider asks the evaluation worker once, not at every step.
let evaluationTimer = 0;
function evaluateWhenQuiet() {
  clearTimeout(evaluationTimer);
  evaluationTimer = setTimeout(() => {
    requestEvaluation();
    showRobustness();
  }, QUIET_MS);
}

// --- drawing ---------------------------------------------------------------------------

let frame = 0;
let dirty = new Set();
const URGENT = ["trajectories", "trial"];
// An urgent repaint already happened since the last animation frame began.
let paintedThisFrame = false;
// When a control last asked for an urgent repaint; the summary panels wait until it is quiet.
let lastUrgent = -Infinity;
const QUIET_MS = 150;

// Repaints the given panels. The trajectory and trial panels are urgent: the first request
// after an animation frame paints them at once (a slider's input event arrives just before the
// frame, so its picture is in that frame); further requests in the same frame coalesce into the
// next one. The time it takes, kept in the status line's data-repaint-ms attribute out of the
// reader's sight, covers the urgent panels. The summary panels
// (performance, learning, robustness, efficiency) are drawn in a later frame, once no control
// has moved for QUIET_MS, so a dragged slider never waits for them.
function repaint(...panels) {
  panels.forEach((p) => dirty.add(p));
  if (URGENT.some((p) => dirty.has(p))) {
    lastUrgent = performance.now();
    if (!paintedThisFrame) {
      paintedThisFrame = true;
      paintUrgent();
    }
  }
  if (dirty.size && !frame) frame = requestAnimationFrame(onFrame);
}

function onFrame() {
  frame = 0;
  paintedThisFrame = false;
  if (URGENT.some((p) => dirty.has(p))) paintUrgent();
  else if (performance.now() - lastUrgent >= QUIET_MS) drawPanels([...dirty]);
  if (dirty.size) frame = requestAnimationFrame(onFrame);
}

function paintUrgent() {
  const urgent = URGENT.filter((p) => dirty.has(p));
  const started = performance.now();
  drawPanels(urgent);
  const ms = performance.now() - started;
  status.dataset.repaintMs = ms.toFixed(1);
  status.dataset.repaints = String(Number(status.dataset.repaints ?? 0) + 1);
}

// Refits the canvases to their displayed size once the window or the layout has been still
// for RESIZE_MS, and redraws those that changed.
const RESIZE_MS = 150;
let resizeTimer = 0;
function refitWhenStill() {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    const changed = fitCanvases();
    if (changed.length) repaint(...changed);
  }, RESIZE_MS);
}

function drawPanels(list) {
  dirty = new Set([...dirty].filter((p) => !list.includes(p)));
  list.forEach((p) => draw(app.lab, p));
  if (list.includes("trial")) showVerdict();
  // What the learning panel's x axis spans, in trials.
  if (list.includes("learning")) $("learning-canvas").dataset.span = String(app.lab.learningSpan());
}

function showVerdict() {
  try {
    const s = JSON.parse(app.lab.trialSummary());
    const answer = s.answer_deg === null ? "kept fixating" : `answered ${s.answer_deg.toFixed(0)}°`;
    $("trial-verdict").textContent = `${s.correct ? "Correct" : "Wrong"}: ${answer}, the right answer was ${s.response_deg.toFixed(0)}°.`;
    $("trial-verdict").className = `verdict ${s.correct ? "good" : "bad"}`;
  } catch (err) {
    $("trial-verdict").textContent = String(err.message ?? err);
  }
}

function setView() {
  const v = app.values;
  app.lab.setView(v.method, v.task, v.trial - 1);
}

// --- evaluation and sweeps -------------------------------------------------------------

function methods() {
  return app.info.methods.map((m) => m.name);
}

function requestEvaluation() {
  app.generation += 1;
  app.performance = {};
  publishPerformance();
  app.evalWorker.postMessage({
    type: "evaluate", generation: app.generation, perturbation: perturbation(app.values), methods: methods(),
  });
}

function publishPerformance() {
  const rows = methods().map((m) => ({ method: m, per_task: app.performance[m] ?? Array(9).fill(-1) }));
  app.lab.setPerformance(JSON.stringify(rows));
  fillTable($("perf-table"), app.info, app.performance);
  const done = Object.keys(app.performance).length === methods().length;
  $("perf-table").dataset.complete = String(done);
  repaint("performance");
}

// Sweeps the robustness curve of the current kind for `only` (default: every method) unless
// it is complete. Each method's points carry the stamp of their request, so a re-sweep of one
// method (during training) drops its older points and keeps the others'.
function requestSweep(only = null) {
  const kind = app.values.curve;
  if (!only && app.sweeps[kind]?.complete) return showRobustness();
  app.sweepGeneration += 1;
  const sweep = only && app.sweeps[kind] ? app.sweeps[kind] : { points: {}, stamps: {} };
  app.sweeps[kind] = sweep;
  const list = only ?? methods();
  for (const m of list) {
    sweep.points[m] = [];
    sweep.stamps[m] = app.sweepGeneration;
  }
  sweep.complete = false;
  showRobustness();
  app.evalWorker.postMessage({
    type: "sweep", generation: app.sweepGeneration, kind, methods: list, seed: app.values.seed,
  });
}

// While training: re-scores the trained method with the weights just posted (at most every
// RESCORE_MS) and re-sweeps its robustness curve (at most every RESWEEP_MS), so the table,
// bars and robustness panel follow the network being trained.
const RESCORE_MS = 4000;
const RESWEEP_MS = 12000;
const lastRefresh = { score: -Infinity, sweep: -Infinity };
function followTraining(method) {
  const now = performance.now();
  if (now - lastRefresh.score >= RESCORE_MS) {
    lastRefresh.score = now;
    app.evalWorker.postMessage({
      type: "evaluate", generation: app.generation, perturbation: perturbation(app.values), methods: [method],
    });
  }
  if (now - lastRefresh.sweep >= RESWEEP_MS) {
    lastRefresh.sweep = now;
    // Other curves are stale for this method now: they are swept again when shown.
    for (const kind of Object.keys(app.sweeps)) if (kind !== app.values.curve) delete app.sweeps[kind];
    requestSweep([method]);
  }
}

function showRobustness() {
  const kind = app.values.curve;
  const sweep = app.sweeps[kind] ?? { points: {} };
  const magnitudes = Array.from(app.lab.magnitudes(kind));
  const curves = methods().map((m) => ({ method: m, points: (sweep.points[m] ?? []).sort((a, b) => a.magnitude - b.magnitude) }));
  const current = magnitude(app.values, kind);
  const robustness = { kind, current, range: [magnitudes[0], magnitudes[magnitudes.length - 1]], curves };
  app.lab.setRobustness(JSON.stringify(robustness));
  const done = curves.reduce((n, c) => n + c.points.length, 0);
  const total = magnitudes.length * curves.length;
  $("sweep-status").textContent = done < total ? `computing… ${done} of ${total} points` : "complete";
  if (done === total) sweep.complete = true;
  repaint("robustness");
}

function onEvalMessage({ data }) {
  if (data.type === "performance" && data.generation === app.generation) {
    const complete = () => Object.keys(app.performance).length === methods().length;
    const wasComplete = complete();
    app.performance[data.method] = data.values;
    publishPerformance();
    if (complete() && !wasComplete) requestSweep();
  } else if (data.type === "sweep-point") {
    const sweep = app.sweeps[data.kind];
    if (!sweep || sweep.stamps[data.method] !== data.generation) return;
    (sweep.points[data.method] ??= []).push(data.point);
    if (data.kind === app.values.curve) showRobustness();
  } else if (data.type === "error") {
    status.textContent = `Evaluation failed: ${data.message}`;
  }
}

// --- events ----------------------------------------------------------------------------

function onControl(field, dragging = false) {
  app.values[field.name] = readControl(field);
  // Moving a perturbation shows that perturbation's robustness curve.
  if (field.perturbation) app.values.curve = field.name;
  showValues();
  if (field.perturbation || field.name === "seed") {
    app.lab.setPerturbation(JSON.stringify(perturbation(app.values)));
    repaint("trajectories", "trial");
    if (field.name === "seed") app.sweeps = {};
    evaluateWhenQuiet();
  } else if (["method", "task", "trial"].includes(field.name)) {
    setView();
    repaint("trajectories", "trial");
  } else if (field.name === "curve") {
    requestSweep();
  } else if (field.name === "lr") {
    app.training.setLearningRate(app.values.lr);
  } else if (field.name === "units") {
    showUnitsNote();
  }
  updateLink(dragging);
}

function wireControls() {
  for (const field of FIELDS) {
    const input = $(field.name);
    if (!input || field.type === "list") continue;
    if (input.type === "range") {
      input.addEventListener("input", () => onControl(field, true));
      input.addEventListener("change", () => updateLink());
    } else {
      input.addEventListener("change", () => onControl(field));
    }
  }
  $("reset-perturbations").addEventListener("click", () => {
    for (const field of FIELDS.filter((f) => f.perturbation)) app.values[field.name] = field.default;
    showValues();
    updateLink();
    app.lab.setPerturbation(JSON.stringify(perturbation(app.values)));
    repaint("trajectories", "trial");
    requestEvaluation();
    showRobustness();
  });
  $("hide-list").addEventListener("change", () => {
    app.values.hide = [...document.querySelectorAll("#hide-list input:checked")].map((b) => b.value);
    updateLink();
  });
  $("show-hidden").addEventListener("click", () => {
    for (const el of document.querySelectorAll("[data-field]")) el.hidden = false;
    $("perturbations").hidden = false;
    $("show-hidden").hidden = true;
  });
  $("share").addEventListener("click", () => copyLink($("file-message"), "The link is copied: paste it anywhere to share this page."));
  $("classroom-copy").addEventListener("click", () => {
    const n = app.values.hide.length;
    const what = n === 0 ? "nothing hidden yet: tick controls to hide them" : `${n} control${n === 1 ? "" : "s"} hidden`;
    copyLink($("classroom-message"), `Copied the classroom link (${what}): paste it for your class.`);
  });
  $("link-dismiss").addEventListener("click", () => {
    $("link-banner").hidden = true;
  });
  $("save").addEventListener("click", () => {
    const blob = new Blob([app.lab.modelBytes()], { type: "application/octet-stream" });
    const a = Object.assign(document.createElement("a"), { href: URL.createObjectURL(blob), download: "molap-networks.molap" });
    document.body.append(a);
    a.click();
    a.remove();
    $("file-message").textContent = "Saved molap-networks.molap.";
  });
  $("load").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    event.target.value = "";
    if (!file) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    try {
      await loadModel(bytes);
      $("file-message").textContent = `Loaded ${file.name}.`;
    } catch (err) {
      $("file-message").textContent = `${file.name} was not loaded: ${err.message ?? err}. Nothing was changed.`;
    }
  });
}

// Copies the page's link (written at once) to the clipboard and says so in `message`, or shows
// the link to copy by hand when the clipboard is not available.
async function copyLink(message, done) {
  updateLink();
  const url = location.href;
  try {
    await navigator.clipboard.writeText(url);
    message.textContent = done;
  } catch {
    message.textContent = `Copy this link: ${url}`;
  }
}

// Replaces the model; throws (leaving everything as it was) when the file is bad.
async function loadModel(bytes) {
  const lab = new Lab(bytes);
  app.lab?.free();
  app.lab = lab;
  app.bytes = bytes;
  app.info = JSON.parse(lab.info());
  app.sweeps = {};
  lab.setPerturbation(JSON.stringify(perturbation(app.values)));
  setView();
  app.evalWorker?.terminate();
  app.evalWorker = new Worker(new URL("./eval-worker.js", import.meta.url), { type: "module" });
  app.evalWorker.onmessage = onEvalMessage;
  app.evalWorker.onerror = (e) => showError(`The evaluation worker failed: ${e.message}`);
  app.evalWorker.postMessage({ type: "init", bytes: bytes.slice().buffer });
  app.training?.setModel(bytes);
  requestEvaluation();
  showRobustness();
  repaint(...PANELS);
}

async function main() {
  const started = performance.now();
  try {
    await init();
  } catch (err) {
    showError(`The simulator could not be loaded: ${err.message ?? err}`);
    return;
  }
  setMaxima(JSON.parse(perturbationMaxima()));
  const { values, messages } = readLink(location.search);
  app.values = values;
  showLinkMessages(messages);
  try {
    const response = await fetch("models/default.molap");
    if (!response.ok) throw new Error(`the default model could not be fetched (HTTP ${response.status})`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    app.training = new Training({
      getValues: () => app.values,
      shippedUnits: () => app.info.modules[0],
      methodLabel: (name) => app.info.methods.find((m) => m.name === name)?.label ?? name,
      taskNames: () => app.info.tasks.map((t) => t.name),
      snapshot: (method) => ({
        weights: app.lab.weights(method),
        config: app.lab.networkConfig(method),
        curve: app.lab.learningCurve(method),
      }),
      onWeights: (method, weights, config, curve, running) => {
        app.lab.setWeights(method, weights, config);
        app.lab.setLearningCurve(curve);
        app.evalWorker.postMessage({ type: "weights", method, weights, config });
        if (method === app.values.method) repaint("trajectories", "trial");
        repaint("learning", "efficiency");
        if (running) followTraining(method);
      },
      // Training paused or ended: re-score every method and redo the robustness curves.
      onSettled: () => {
        app.sweeps = {};
        requestEvaluation();
      },
      // Reset: the loaded networks come back, in the page and in the evaluation worker.
      onRestore: (list) => {
        for (const method of list) {
          app.lab.restore(method);
          const weights = app.lab.weights(method);
          app.evalWorker.postMessage({ type: "weights", method, weights, config: app.lab.networkConfig(method) });
        }
        app.sweeps = {};
        requestEvaluation();
        repaint(...PANELS);
      },
      onRuns: (runs) => {
        app.lab.setLearningRuns(JSON.stringify(runs));
        repaint("learning");
      },
    });
    fitCanvases();
    await loadModel(bytes);
    const observer = new ResizeObserver(refitWhenStill);
    for (const panel of PANELS) observer.observe($(`${panel}-canvas`));
    window.addEventListener("resize", refitWhenStill);
    buildControls();
    showValues();
    showUnitsNote();
    applyHidden();
    updateLink();
    wireControls();
    wireExports(() => app.lab);
    requestAnimationFrame(() => {
      const ms = performance.now() - started;
      status.textContent = "Ready.";
      console.debug(`first plots ${ms.toFixed(0)} ms after loading`);
      document.body.dataset.loadMs = ms.toFixed(0);
      document.body.dataset.ready = "true";
    });
  } catch (err) {
    showError(`The simulator could not start: ${err.message ?? err}`);
  }
}

main();
