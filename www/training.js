// Training controls: start, pause/resume, step and reset of a run in the training worker, and
// the progress read-out (trials, loss, speed, time left, performance) that is always visible.

const $ = (id) => document.getElementById(id);

function duration(seconds) {
  if (!Number.isFinite(seconds)) return "–";
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s`;
}

export class Training {
  constructor({ getValues, onWeights, onSettled, shippedUnits }) {
    Object.assign(this, { getValues, onWeights, onSettled, shippedUnits });
    this.state = "idle"; // idle | running | paused | finished | diverged
    this.worker = new Worker(new URL("./train-worker.js", import.meta.url), { type: "module" });
    this.worker.onmessage = ({ data }) => this.onMessage(data);
    this.worker.onerror = (e) => this.message(`The training worker failed: ${e.message}`);
    $("train-start").addEventListener("click", () => this.startOrResume());
    $("train-pause").addEventListener("click", () => this.pause());
    $("train-step").addEventListener("click", () => this.step());
    $("train-reset").addEventListener("click", () => this.reset());
    this.show();
  }

  setModel(bytes) {
    this.reset();
    this.worker.postMessage({ type: "init", bytes: bytes.slice().buffer });
  }

  settings() {
    const v = this.getValues();
    return { from: v.from, lr: v.lr, batch_size: v.batch_size, trials: v.budget, seed: v.seed, units: v.units };
  }

  // A run on the shipped modules cannot change their size: says so instead of starting.
  refused() {
    const v = this.getValues();
    if (v.from === "scratch" || v.units === this.shippedUnits?.()) return false;
    this.message(`The shipped modules have ${this.shippedUnits()} units each; ${v.units} units per module need training from scratch. Choose "scratch" under "Start from", then press Start.`);
    return true;
  }

  startOrResume() {
    if (this.state !== "paused" && this.refused()) return;
    if (this.state === "paused") {
      this.worker.postMessage({ type: "resume" });
    } else {
      this.method = this.getValues().method;
      this.lastPerf = "";
      this.worker.postMessage({ type: "start", method: this.method, settings: this.settings() });
    }
    this.state = "running";
    this.message("");
    this.show();
  }

  pause() {
    if (this.state !== "running") return;
    this.worker.postMessage({ type: "pause" });
    this.state = "paused";
    this.show();
  }

  step() {
    if (this.state === "running") return;
    if (this.state !== "paused" && this.refused()) return;
    if (this.state === "paused") {
      this.worker.postMessage({ type: "step" });
    } else {
      this.method = this.getValues().method;
      this.lastPerf = "";
      this.worker.postMessage({ type: "start", method: this.method, settings: this.settings(), paused: true, step: true });
      this.state = "paused";
    }
    this.show();
  }

  reset() {
    this.worker.postMessage({ type: "reset" });
    this.state = "idle";
    this.message("");
    for (const id of ["train-stage", "train-trials", "train-loss", "train-rate", "train-left", "train-perf"]) $(id).textContent = "–";
    delete $("progress").dataset.stage;
    $("progress").dataset.trials = "0";
    this.show();
  }

  setLearningRate(lr) {
    this.worker.postMessage({ type: "lr", lr });
  }

  message(text) {
    const el = $("train-message");
    el.replaceChildren(document.createTextNode(text));
    el.hidden = text === "";
  }

  onMessage(data) {
    if (data.type === "progress" || data.type === "weights") this.progress(data.progress);
    if (data.type === "weights") {
      this.onWeights(data.method, data.weights, data.config, data.curve, this.state === "running");
      if (this.state !== "running") this.onSettled();
    }
    if (data.type === "error") {
      this.state = "idle";
      this.message(`Training stopped: ${data.message}`);
      this.show();
    }
  }

  progress(p) {
    $("train-stage").textContent = p.stage;
    $("progress").dataset.stage = p.stage;
    $("train-trials").textContent = `${p.trials.toLocaleString("en")} of ${p.budget.toLocaleString("en")} (${this.method})`;
    $("progress").dataset.trials = String(p.trials);
    if (p.loss !== null) $("train-loss").textContent = p.loss.toPrecision(3);
    if (p.trials_per_s) {
      $("train-rate").textContent = `${p.trials_per_s.toFixed(0)} trials/s`;
      $("progress").dataset.rate = p.trials_per_s.toFixed(1);
      $("train-left").textContent = duration((p.budget - p.trials) / p.trials_per_s);
    }
    if (p.per_task) {
      const mean = p.per_task.reduce((a, b) => a + b, 0) / p.per_task.length;
      $("train-perf").textContent = `${(100 * mean).toFixed(0)}% mean; per task ${p.per_task.map((x) => (100 * x).toFixed(0)).join(" ")}`;
    }
    const words = { running: "running", paused: "paused", finished: "finished" };
    const perf = p.per_task ? `, ${(100 * p.per_task.reduce((a, b) => a + b, 0) / p.per_task.length).toFixed(0)}% correct` : (this.lastPerf ?? "");
    const speed = p.trials_per_s ? `, ${p.trials_per_s.toFixed(0)} trials/s, ${duration((p.budget - p.trials) / p.trials_per_s)} left` : "";
    const loss = p.loss === null ? "" : `, loss ${p.loss.toPrecision(3)}`;
    this.summary = `Training ${this.method} (${words[this.state] ?? this.state}), ${p.stage}: ${p.trials.toLocaleString("en")} of ${p.budget.toLocaleString("en")} trials${loss}${speed}${perf}`;
    if (p.per_task) this.lastPerf = perf;
    if (p.diverged) {
      this.state = "diverged";
      this.message(`${p.diverged}. The last good weights are kept. Lower the learning rate, then press Reset and Start again.`);
      const again = Object.assign(document.createElement("button"), { type: "button", textContent: "Reset training" });
      again.addEventListener("click", () => this.reset());
      $("train-message").append(" ", again);
    } else if (p.done) {
      this.state = "finished";
      $("train-left").textContent = "done";
    }
    this.show();
  }

  show() {
    const s = this.state;
    const summary = $("train-summary");
    if (s === "idle") summary.textContent = "Training: not started.";
    else if (s === "diverged") summary.textContent = "Training stopped: it diverged (see the Training box).";
    else if (this.summary) summary.textContent = this.summary.replace(/\((running|paused|finished)\)/, `(${s})`);
    $("train-start").textContent = s === "paused" ? "Resume" : "Start";
    $("train-start").disabled = s === "running" || s === "diverged";
    $("train-pause").disabled = s !== "running";
    $("train-step").disabled = s === "running" || s === "diverged" || s === "finished";
    $("train-reset").disabled = s === "idle";
    $("training").dataset.state = s;
  }
}
