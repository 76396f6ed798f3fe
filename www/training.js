// Training controls: start, pause/resume, step and reset of a run in the training worker, and
// the progress read-out (trials, loss, speed, time left, performance) that is always visible.
//
// A run replaces the trained method's network and learning curve in the page as it goes; the
// result stays shown until Reset, which puts back the networks that were loaded (the shipped
// ones or the file loaded) for every method trained since. The learning panel's x axis spans
// the run while it is shown, and the run before it stays drawn (dashed) for comparison.

const $ = (id) => document.getElementById(id);

function duration(seconds) {
  if (!Number.isFinite(seconds)) return "–";
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s`;
}

const count = (n) => n.toLocaleString("en");
const FROM = { pretrained: "the pre-trained modules", scratch: "scratch" };

export class Training {
  // getValues: the page's values; shippedUnits: units per module of the loaded networks;
  // methodLabel(name), taskNames(): display names; snapshot(method): the method's network and
  // learning curve now ({weights, config, curve}); onWeights(method, weights, config, curve,
  // running): a run's weights to show; onSettled(): training paused or ended; onRestore(methods):
  // put back the loaded networks of these methods; onRuns({run, earlier}): what the learning
  // panel shows of the page's runs.
  constructor(options) {
    Object.assign(this, options);
    this.state = "idle"; // idle | running | paused | finished | diverged
    this.run = 0; // id of the current run; messages of other runs are dropped
    this.changed = new Set(); // methods whose loaded networks a run has replaced
    this.earlier = null; // an earlier run's {from, curve}, drawn for comparison
    this.current = null; // this run's {method, from, span, before, curve, posted, changedBefore}
    this.worker = new Worker(new URL("./train-worker.js", import.meta.url), { type: "module" });
    this.worker.onmessage = ({ data }) => this.onMessage(data);
    this.worker.onerror = (e) => this.message(`The training worker failed: ${e.message}`);
    $("train-start").addEventListener("click", () => this.startOrResume());
    $("train-pause").addEventListener("click", () => this.pause());
    $("train-step").addEventListener("click", () => this.step());
    $("train-reset").addEventListener("click", () => this.reset());
    this.show();
  }

  // A new set of networks: no run, nothing to restore, no earlier run.
  setModel(bytes) {
    this.run += 1;
    this.worker.postMessage({ type: "reset" });
    this.changed.clear();
    this.earlier = null;
    this.current = null;
    this.state = "idle";
    this.message("");
    this.clearProgress();
    this.show();
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

  label() {
    return this.current ? this.methodLabel(this.current.method) : "";
  }

  // The run just shown becomes the earlier run when it got far enough to compare with.
  keepAsEarlier() {
    const c = this.current;
    if (!c?.curve) return;
    const curve = JSON.parse(c.curve);
    if (curve.loss.length >= 2) this.earlier = { from: FROM[c.from] ?? c.from, curve };
  }

  publishRuns() {
    const c = this.current;
    const run = c?.shown ? { method: c.method, from: FROM[c.from] ?? c.from, span: c.span } : null;
    this.onRuns({ run, earlier: this.earlier });
  }

  begin(paused) {
    this.keepAsEarlier();
    const v = this.getValues();
    const method = v.method;
    this.run += 1;
    this.current = {
      method, from: v.from, span: v.budget, before: this.snapshot(method), curve: null,
      posted: false, changedBefore: this.changed.has(method), shown: true, lastPerf: "",
    };
    this.clearProgress();
    this.worker.postMessage({ type: "start", run: this.run, method, settings: this.settings(), paused, step: paused });
    this.publishRuns();
  }

  startOrResume() {
    if (this.state === "running") return;
    if (this.state !== "paused" && this.refused()) return;
    if (this.state === "paused") this.worker.postMessage({ type: "resume" });
    else this.begin(false);
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
    if (this.state === "running" || this.state === "diverged" || this.state === "finished") return;
    if (this.state !== "paused" && this.refused()) return;
    if (this.state === "paused") {
      this.worker.postMessage({ type: "step" });
    } else {
      this.message("");
      this.begin(true);
      this.state = "paused";
    }
    this.show();
  }

  // Stops the run and puts back the loaded networks of every method trained since; the run's
  // curve stays in the learning panel as the earlier run.
  reset() {
    this.keepAsEarlier();
    this.run += 1;
    this.worker.postMessage({ type: "reset" });
    this.current = null;
    const methods = [...this.changed];
    this.changed.clear();
    this.state = "idle";
    this.message("");
    this.clearProgress();
    if (methods.length) this.onRestore(methods);
    this.publishRuns();
    this.show();
  }

  clearProgress() {
    for (const id of ["train-stage", "train-trials", "train-loss", "train-rate", "train-left", "train-perf"]) $(id).textContent = "–";
    delete $("progress").dataset.stage;
    delete $("progress").dataset.rate;
    $("progress").dataset.trials = "0";
    this.summary = "";
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
    if (data.run !== this.run || !this.current) return;
    if (data.type === "weights") {
      this.current.curve = data.curve;
      this.current.posted = true;
      this.changed.add(data.method);
    }
    if ((data.type === "progress" || data.type === "weights") && data.progress) this.progress(data.progress);
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

  // A run whose very first steps diverged keeps nothing: the method gets back the network and
  // curve it had before the run.
  undo() {
    const c = this.current;
    c.shown = false;
    c.curve = null;
    if (c.posted) {
      const { weights, config, curve } = c.before;
      this.onWeights(c.method, weights, config, curve, false);
      if (!c.changedBefore) this.changed.delete(c.method);
      this.onSettled();
    }
    this.publishRuns();
  }

  divergence(d) {
    const label = this.label();
    const where = `at iteration ${count(d.iteration)} of ${count(d.iterations)}`;
    const retry = "lower the learning rate and press Start again";
    if (d.stage !== "task stage") {
      return `Training diverged in ${d.stage}, ${where}: ${d.reason}. The run never reached its task stage, so the networks shown are unchanged; ${retry}.`;
    }
    const back = "Reset returns to the networks that were loaded";
    if (d.kept_trials === 0) {
      const why = d.iteration === 1
        ? "The run's starting weights already gave an unhealthy loss"
        : "The run's first step was already too large";
      return `Training diverged ${where}: ${d.reason}. ${why}, so ${label} keeps the networks it had before this run. ${back}; or ${retry}.`;
    }
    return `Training diverged ${where}: ${d.reason}. ${label} keeps the weights after iteration ${count(d.kept_iterations)} (${count(d.kept_trials)} trials), the last with a healthy loss; they may already score lower than before the run. ${back}; or ${retry}.`;
  }

  progress(p) {
    const label = this.label();
    const staged = p.stages > 1;
    $("train-stage").textContent = staged ? `${p.stage} (stage ${p.stage_index + 1} of ${p.stages})` : p.stage;
    $("progress").dataset.stage = p.stage;
    const whole = staged ? `; whole run ${count(p.run_trials)} of ${count(p.run_budget)}` : "";
    $("train-trials").textContent = `${count(p.trials)} of ${count(p.budget)} (${label})${whole}`;
    $("progress").dataset.trials = String(p.trials);
    $("train-loss").textContent = p.loss_mean === null || p.loss_mean === undefined ? "–" : p.loss_mean.toPrecision(3);
    const left = p.seconds_left === null || p.seconds_left === undefined ? null : p.seconds_left;
    if (p.trials_per_s) {
      $("train-rate").textContent = `${p.trials_per_s.toFixed(0)} trials/s`;
      $("progress").dataset.rate = p.trials_per_s.toFixed(1);
    }
    if (left !== null) {
      $("train-left").textContent = duration(left);
      $("progress").dataset.secondsLeft = left.toFixed(1);
    }
    const c = this.current;
    if (p.per_task) {
      const mean = p.per_task.reduce((a, b) => a + b, 0) / p.per_task.length;
      const names = this.taskNames();
      // One unbreakable "task value" item per task, so a narrow box wraps between tasks only.
      const items = p.per_task.map((x, i) => Object.assign(document.createElement("span"), {
        className: "task-score", textContent: `${names[i] ?? i + 1} ${(100 * x).toFixed(0)}`,
      }));
      const list = items.flatMap((item, i) => (i ? [", ", item] : [item]));
      $("train-perf").replaceChildren(`${(100 * mean).toFixed(0)}% mean; per task: `, ...list);
      c.lastPerf = `, ${(100 * mean).toFixed(0)}% correct`;
    }
    const words = { running: "running", paused: "paused", finished: "finished" };
    const speed = p.trials_per_s ? `, ${p.trials_per_s.toFixed(0)} trials/s` : "";
    const remaining = left !== null && !p.done ? `, ${duration(left)} left in all` : "";
    const loss = p.loss_mean === null || p.loss_mean === undefined ? "" : `, mean loss ${p.loss_mean.toPrecision(3)}`;
    this.summary = `Training ${label} (${words[this.state] ?? this.state}), ${p.stage}: ${count(p.trials)} of ${count(p.budget)} trials${loss}${speed}${remaining}${c.lastPerf}`;
    if (p.diverged) {
      this.state = "diverged";
      this.diverged = p.diverged;
      if (p.diverged.stage === "task stage" && p.diverged.kept_trials === 0) this.undo();
      this.message(this.divergence(p.diverged));
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
    else if (s === "diverged") summary.textContent = `Training ${this.label()} stopped: it diverged at iteration ${count(this.diverged.iteration)} (see the Training box).`;
    else if (this.summary) summary.textContent = this.summary.replace(/\((running|paused|finished)\)/, `(${s})`);
    $("train-start").textContent = s === "paused" ? "Resume" : "Start";
    $("train-start").disabled = s === "running";
    $("train-pause").disabled = s !== "running";
    $("train-step").disabled = s === "running" || s === "diverged" || s === "finished";
    $("train-reset").disabled = s === "idle";
    $("training").dataset.state = s;
  }
}
