// Training worker: runs a TrainerHandle in chunks of about 150 ms, posting progress after each
// chunk and the weights and learning curve every two seconds. Pause keeps the handle, so
// resuming loses nothing.
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

// Posts the weights (with their network's shape) and the learning curve; before the task
// stage of a run from scratch there are no task weights yet, so only the progress.
function sendWeights(progress) {
  if (!handle.inTaskStage()) {
    if (progress) postMessage({ type: "progress", progress });
    return;
  }
  const config = handle.networkConfig();
  postMessage({ type: "weights", method, weights: handle.weights(), config, curve: handle.curve(), progress });
  lastWeights = now();
}

// One chunk; returns the progress.
function chunk() {
  const started = now();
  const evaluate = started - lastEvaluate > EVALUATE_EVERY_MS;
  if (evaluate) lastEvaluate = started;
  const progress = JSON.parse(handle.train(iterations, evaluate));
  const elapsed = now() - started;
  // Aim the next chunk at CHUNK_MS.
  if (!evaluate) iterations = Math.max(1, Math.min(200, Math.round(iterations * CHUNK_MS / Math.max(elapsed, 1))));
  // A new stage starts its own count: the speed is measured afresh.
  if (progress.stage !== rate.stage) rate = { trials: 0, time: 0, value: 0 };
  const dt = (now() - rate.time) / 1000;
  if (rate.time && dt > 0) {
    const fresh = (progress.trials - rate.trials) / dt;
    rate.value = rate.value ? 0.7 * rate.value + 0.3 * fresh : fresh;
  }
  rate = { trials: progress.trials, time: now(), value: rate.value, stage: progress.stage };
  progress.trials_per_s = rate.value;
  progress.method = method;
  lastProgress = progress;
  return progress;
}

async function loop() {
  while (running && handle) {
    const progress = chunk();
    const stop = progress.done || progress.diverged;
    if (stop) running = false;
    if (stop || now() - lastWeights > WEIGHTS_EVERY_MS) sendWeights(progress);
    else postMessage({ type: "progress", progress });
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

// Set up by an "init" message; every later message waits for it.
let ready = null;

async function setup(data) {
  await init();
  bytes = new Uint8Array(data);
  postMessage({ type: "ready" });
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
      handle?.free();
      handle = new TrainerHandle(bytes, method, JSON.stringify(data.settings));
      iterations = 1;
      lastEvaluate = 0;
      rate = { trials: 0, time: 0, value: 0 };
      running = !data.paused;
      if (data.step) sendWeights(chunk());
      loop();
    } else if (data.type === "pause") {
      running = false;
      if (handle) sendWeights(handle.inTaskStage() ? JSON.parse(handle.train(0, false)) : lastProgress);
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
      postMessage({ type: "reset" });
    }
  } catch (err) {
    running = false;
    postMessage({ type: "error", message: String(err.message ?? err) });
  }
};
