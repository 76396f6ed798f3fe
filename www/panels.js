// Panels: drawing each canvas through the core, and each panel's PNG and CSV export.

export const PANELS = ["trajectories", "trial", "performance", "learning", "robustness", "efficiency"];

const canvasId = (panel) => `${panel}-canvas`;

// The largest number of device pixels per CSS pixel a canvas is drawn at: beyond 2, a denser
// buffer costs drawing time without a visible gain.
const MAX_SCALE = 2;

// Sizes every canvas's buffer to the size it is displayed at (its CSS width, the height its
// markup gives in CSS pixels) times the device pixel ratio, and writes that ratio into its
// `data-scale` attribute, by which the core scales its drawing: text keeps its size in CSS
// pixels and stays sharp. Returns the panels whose canvas changed, which need a redraw.
export function fitCanvases() {
  const scale = Math.min(MAX_SCALE, Math.max(0.5, window.devicePixelRatio || 1));
  const changed = [];
  for (const panel of PANELS) {
    const canvas = document.getElementById(canvasId(panel));
    canvas.dataset.height ??= String(canvas.height);
    const height = Number(canvas.dataset.height);
    canvas.style.height = `${height}px`;
    const width = canvas.clientWidth;
    if (!width) continue;
    const w = Math.round(width * scale);
    const h = Math.round(height * scale);
    if (canvas.width !== w || canvas.height !== h || canvas.dataset.scale !== String(scale)) {
      Object.assign(canvas, { width: w, height: h });
      canvas.dataset.scale = String(scale);
      changed.push(panel);
    }
  }
  return changed;
}

// Draws `panel`; a failure replaces the panel's picture with a message, never a blank canvas.
export function draw(lab, panel) {
  const canvas = document.getElementById(canvasId(panel));
  try {
    lab.draw(panel, canvasId(panel));
    canvas.dataset.drawn = "true";
    return true;
  } catch (err) {
    const ctx = canvas.getContext("2d");
    const scale = Number(canvas.dataset.scale) || 1;
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = "#566073";
    ctx.font = "18px sans-serif";
    ctx.fillText(String(err.message ?? err), 20, 40);
    canvas.dataset.drawn = "false";
    return false;
  }
}

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// Wires every PNG and CSV button; `getLab` returns the current Lab.
export function wireExports(getLab) {
  for (const button of document.querySelectorAll("[data-png]")) {
    const panel = button.dataset.png;
    button.setAttribute("aria-label", `Download the ${panel} plot as PNG`);
    button.addEventListener("click", () => {
      document.getElementById(canvasId(panel)).toBlob((blob) => download(blob, `molap-${panel}.png`));
    });
  }
  for (const button of document.querySelectorAll("[data-csv]")) {
    const panel = button.dataset.csv;
    button.setAttribute("aria-label", `Download the ${panel} data as CSV`);
    button.addEventListener("click", () => {
      const text = getLab().csv(panel);
      download(new Blob([text], { type: "text/csv" }), `molap-${panel}.csv`);
    });
  }
}

// Fills the performance table: one row per task, one column per method, the value in a
// data attribute as well as the text.
export function fillTable(table, info, performance) {
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  head.append(Object.assign(document.createElement("th"), { textContent: "task" }));
  for (const m of info.methods) {
    head.append(Object.assign(document.createElement("th"), { textContent: m.label }));
  }
  const body = table.createTBody();
  info.tasks.forEach((task, t) => {
    const row = body.insertRow();
    row.append(Object.assign(document.createElement("th"), { textContent: task.label }));
    for (const m of info.methods) {
      const value = performance[m.name]?.[t];
      const cell = row.insertCell();
      cell.dataset.method = m.name;
      cell.dataset.task = task.name;
      if (Number.isFinite(value)) {
        cell.dataset.value = String(value);
        cell.textContent = `${(100 * value).toFixed(0)}%`;
      } else {
        cell.textContent = "…";
      }
    }
  });
}
