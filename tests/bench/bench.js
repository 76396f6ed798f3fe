// Browser side of the benchmark: loads the wasm core from pkg/ and exposes the core's own
// benchmark entry (the same workloads the native example times) to the Playwright driver.
import init, { benchAll } from "../../pkg/molap_lab.js";

const out = document.getElementById("out");

window.molapBenchReady = init().then(() => {
  out.textContent = "ready";
});

// Runs every workload with `plan` ({ warmup, iteration_reps, eval_reps }); returns the rows.
window.molapBench = async (plan) => {
  await window.molapBenchReady;
  const rows = JSON.parse(benchAll(JSON.stringify(plan)));
  out.textContent = JSON.stringify(rows, null, 2);
  return rows;
};
