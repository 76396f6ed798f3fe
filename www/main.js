// Page wiring: loads the wasm core, draws the chart, and repaints it when the slider moves.
import init, { drawLeakyResponse } from "../pkg/molap_lab.js";

const status = document.getElementById("status");
const tau = document.getElementById("tau");
const tauValue = document.getElementById("tau-value");

// Shows a failure in the page itself, never only in the console.
function showError(message) {
  const panic = document.getElementById("panic");
  if (panic.hidden) {
    panic.textContent = message;
    panic.hidden = false;
  }
  status.textContent = "";
}

// One repaint per animation frame, however fast the slider moves.
let pending = false;
function scheduleDraw() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    const value = Number(tau.value);
    tauValue.textContent = `${value} ms`;
    const started = performance.now();
    try {
      drawLeakyResponse("leaky-chart", value);
      status.textContent = `Drawn in ${(performance.now() - started).toFixed(1)} ms.`;
    } catch (err) {
      showError(`Drawing failed: ${err.message ?? err}`);
    }
  });
}

async function main() {
  try {
    await init();
  } catch (err) {
    showError(`The simulator could not be loaded: ${err.message ?? err}`);
    return;
  }
  tau.addEventListener("input", scheduleDraw);
  scheduleDraw();
}

main();
