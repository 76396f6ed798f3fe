// Evaluation worker: per-task performance of every method under the current perturbation, and
// robustness sweeps, one job at a time so a newer request always gets in quickly. No drawing
// here: plotters needs the page's document to measure text.
import init, { Lab } from "../pkg/molap_lab.js";

let lab = null;
let jobs = [];
let busy = false;

const pause = () => new Promise((resolve) => setTimeout(resolve, 0));

async function pump() {
  if (busy) return;
  busy = true;
  while (jobs.length) {
    const job = jobs.shift();
    try {
      job.run();
    } catch (err) {
      postMessage({ type: "error", message: String(err.message ?? err) });
    }
    await pause();
  }
  busy = false;
}

function evaluateJobs({ generation, perturbation, methods }) {
  lab.setPerturbation(JSON.stringify(perturbation));
  return methods.map((method) => ({
    kind: "evaluate",
    generation,
    method,
    run() {
      const values = Array.from(lab.evaluate(method));
      postMessage({ type: "performance", generation, method, values });
    },
  }));
}

function sweepJobs({ generation, kind, methods, seed }) {
  const magnitudes = Array.from(lab.magnitudes(kind));
  const list = [];
  for (const magnitude of magnitudes) {
    for (const method of methods) {
      list.push({
        kind: "sweep",
        sweepKind: kind,
        method,
        run() {
          const point = JSON.parse(lab.sweepPoint(method, kind, magnitude, 1, seed));
          postMessage({ type: "sweep-point", generation, kind, method, point, total: magnitudes.length });
        },
      });
    }
  }
  return list;
}

// Set up by the first message; every later message waits for it.
let ready = null;

async function setup(bytes) {
  await init();
  lab = new Lab(new Uint8Array(bytes));
  postMessage({ type: "ready" });
}

onmessage = async ({ data }) => {
  try {
    if (data.type === "init") {
      ready = setup(data.bytes);
      await ready;
      return;
    }
    await ready;
    if (data.type === "evaluate") {
      // Newer evaluations go first and replace pending ones of older generations or of the
      // same methods (a re-score of one method during training keeps the others queued).
      const replaced = (j) => j.kind === "evaluate"
        && (j.generation < data.generation || data.methods.includes(j.method));
      jobs = [...evaluateJobs(data), ...jobs.filter((j) => !replaced(j))];
    } else if (data.type === "sweep") {
      // A sweep replaces pending points of other curves and of the same methods.
      const replaced = (j) => j.kind === "sweep"
        && (j.sweepKind !== data.kind || data.methods.includes(j.method));
      jobs = [...jobs.filter((j) => !replaced(j)), ...sweepJobs(data)];
    } else if (data.type === "weights") {
      lab.setWeights(data.method, data.weights, data.config);
    }
    pump();
  } catch (err) {
    postMessage({ type: "error", message: String(err.message ?? err) });
  }
};
