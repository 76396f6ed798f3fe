// Training worker: runs a TrainerHandle in chunks of about 150 ms, posting progress after each
// chunk and the weights and learning curve every two seconds. Pause keeps the handle, so
// resuming loses nothing. Every message carries the id of its run, so the page can drop the
// messages of a run it has reset.
import init, { TrainerHandle } from "../pkg/molap_lab.js";

const now = () => globalThis.performance.now();
const CHUNK_MS = 150;
const WEIGHTS_EVERY_MS = 2000;
const EVALUATE_EVERY_MS = 4000;

let bytes = null;
let handle = null;
let method = null;
let running = false;
let iterations = 1;
let lastWeights = 0;
let lastEvaluate = 0;
let rate = { trials: 0, time: 0, value: 0 };
let lastProgress = null;
let run = 0;
// The run's stages ({stage, trials, cost}) and the work done per second, in trials times each
// stage's relative cost per trial: unlike trials per second it carries over from one stage to
// the next, so the time left covers the stages still to come.
let plan = [];
let workRate = 0;

// Posts the weights (with their network's shape) and the learning curve; before the task
// stage of a run from scratch there are no task weights yet, so only the progress.
// A run that diverged before any step was kept has no weights worth showing: the page keeps
// the networks it had before the run.
function sendWeights(progress) {
  if (!handle.inTaskStage() || (progress?.diverged && progress.diverged.kept_trials === 0)) {
    if (progress) postMessage({ type: "progress", run, progress });
    return;
  }
  const config = handle.networkConfig();
  postMessage({ type: "weights", run, method, weights: handle.weights(), config, curve: handle.curve(), progress });
  lastWeights = now();
}

// Seconds the whole run still needs (this stage's rest and every later stage), or null.
function secondsLeft(progress) {
  const index = progress.stage_index ?? 0;
  const here = plan[index] ?? { cost: 0 };
  let work = Math.max(0, progress.budget - progress.trials) * here.cost;
  for (const later of plan.slice(index + 1)) work += later.trials * later.cost;
  return workRate > 0 ? work / workRate : null;
}

// The whole run's trials so far and in all, over every stage.
function runTrials(progress) {
  const index = progress.stage_index ?? 0;
  const before = plan.slice(0, index).reduce((n, s) => n + s.trials, 0);
  return { run_trials: before + progress.trials, run_budget: plan.reduce((n, s) => n + s.trials, 0) };
}

// One chunk; returns the progress.
function chunk() {
  const started = now();
  // Performance is measured in the task stage only (before it there are no task weights).
  const evaluate = handle.inTaskStage() && started - lastEvaluate > EVALUATE_EVERY_MS;
  if (evaluate) lastEvaluate = started;
  const progress = JSON.parse(handle.train(iterations, evaluate));
  const elapsed = now() - started;
  // Aim the next chunk at CHUNK_MS.
  if (!evaluate) iterations = Math.max(1, Math.min(200, Math.round(iterations * CHUNK_MS / Math.max(elapsed, 1))));
  // A new stage starts its own count: the speed is measured afresh (the work rate goes on).
  // The chunk size starts again from one iteration too: iterations of another stage take
  // another time.
  if (progress.stage !== rate.stage) {
    rate = { trials: 0, time: 0, value: 0 };
    iterations = 1;
  }
  const dt = (now() - rate.time) / 1000;
  if (rate.time && dt > 0 && progress.trials > rate.trials) {
    const fresh = (progress.trials - rate.trials) / dt;
    rate.value = rate.value ? 0.7 * rate.value + 0.3 * fresh : fresh;
    const cost = plan[progress.stage_index ?? 0]?.cost ?? 0;
    if (cost > 0) workRate = workRate ? 0.7 * workRate + 0.3 * fresh * cost : fresh * cost;
  }
  rate = { trials: progress.trials, time: now(), value: rate.value, stage: progress.stage };
  progress.trials_per_s = rate.value;
  progress.seconds_left = secondsLeft(progress);
  progress.stages = plan.length;
  Object.assign(progress, runTrials(progress));
  progress.method = method;
  lastProgress = progress;
  return progress;
}

// Only the newest loop runs: one started by a resume or a new run ends any older one still
// waiting for its next turn.
let loops = 0;
async function loop() {
  const id = ++loops;
  while (running && handle && id === loops) {
    const progress = chunk();
    const stop = progress.done || progress.diverged;
    if (stop) running = false;
    if (stop || now() - lastWeights > WEIGHTS_EVERY_MS) sendWeights(progress);
    else postMessage({ type: "progress", run, progress });
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

// Set up by an "init" message; every later message waits for it.
let ready = null;

async function setup(data) {
  await init();
  bytes = new Uint8Array(data);
  postMessage({ type: "ready", run });
}

onmessage = async ({ data }) => {
  try {
    if (data.type === "init") {
      ready = setup(data.bytes);
      return;
    }
    await ready;
    if (data.type === "start") {
      method = data.method;
      run = data.run;
      running = false;
      handle?.free();
      handle = null;
      handle = new TrainerHandle(bytes, method, JSON.stringify(data.settings));
      plan = JSON.parse(handle.plan());
      workRate = 0;
      iterations = 1;
      // The first chunk measures performance, so the run's curve starts at its beginning.
      lastEvaluate = -Infinity;
      // The first weights go out after WEIGHTS_EVERY_MS, not after the first iteration.
      lastWeights = now();
      lastProgress = null;
      rate = { trials: 0, time: 0, value: 0 };
      running = !data.paused;
      if (data.step) sendWeights(chunk());
      loop();
    } else if (data.type === "pause") {
      running = false;
      if (handle && lastProgress) sendWeights(lastProgress);
    } else if (data.type === "resume") {
      if (!running && handle) {
        running = true;
        rate.time = 0;
        loop();
      }
    } else if (data.type === "step") {
      if (handle && !running) sendWeights(chunk());
    } else if (data.type === "lr") {
      handle?.setLearningRate(data.lr);
    } else if (data.type === "reset") {
      running = false;
      handle?.free();
      handle = null;
      postMessage({ type: "reset", run });
    }
  } catch (err) {
    running = false;
    postMessage({ type: "error", run, message: String(err.message ?? err) });
  }
};
