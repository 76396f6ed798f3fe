//! Per-module latent trajectories and single-trial views, the data behind the page's first two
//! panels.
//!
//! For a network and a task, a fixed subset of the task's evaluation batch ([`N_TRIALS`] trials
//! whose stimulus directions spread evenly around the circle) is run forward. Each module's
//! rates `r[t]` (its units only, `k` values per step and trial) are projected onto that
//! module's first two principal components:
//!
//! ```text
//! pc[t] = V^T (r[t] - mean)        V: k x 2, the top eigenvectors of the rates' covariance
//! ```
//!
//! The axes (`V`, `mean`) and the plot ranges are fitted **once**, on the unperturbed network,
//! by [`Projector::fit`]; a perturbed network is projected onto the same axes, so the picture
//! stays still while the user perturbs and only the trajectories move. A monolithic network's
//! "modules" are the unit groups of its module sizes.

use std::f64::consts::TAU;
use std::ops::Range;

use nalgebra::{DMatrix, SymmetricEigen};
use serde::{Deserialize, Serialize};

use crate::batch::{Batch, Epoch};
use crate::error::{Error, Result};
use crate::eval::EVAL_NOISE_SEED;
use crate::network::{Network, Trace};
use crate::perturb::Perturbation;
use crate::replay::Replay;
use crate::tasks::{self, N_OUT, OUT_FIXATION, OUT_RESPONSE, Task};

/// Trials shown in the trajectory panel (16: enough directions to see a ring, few enough to
/// tell the lines apart).
pub const N_TRIALS: usize = 16;

/// The indices of `n` trials of `batch` whose first-stimulus directions are closest to `n`
/// evenly spaced directions, in increasing direction (no index twice).
pub fn spread_trials(batch: &Batch, n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..batch.batch_size).collect();
    order.sort_by(|&a, &b| batch.trials[a].theta1.total_cmp(&batch.trials[b].theta1));
    let n = n.min(order.len()).max(1);
    (0..n).map(|i| order[i * order.len() / n]).collect()
}

/// A batch holding only the trials `picked` of `batch`, in that order.
pub fn select_trials(batch: &Batch, picked: &[usize]) -> Batch {
    let copy = |values: &[f32], channels: usize| {
        let mut out = Vec::with_capacity(batch.n_steps * picked.len() * channels);
        for t in 0..batch.n_steps {
            for &b in picked {
                let at = batch.index(t, b, 0, channels);
                out.extend_from_slice(&values[at..at + channels]);
            }
        }
        out
    };
    Batch {
        batch_size: picked.len(),
        inputs: copy(&batch.inputs, batch.n_in),
        targets: copy(&batch.targets, batch.n_out),
        mask: copy(&batch.mask, batch.n_out),
        trials: picked.iter().map(|&b| batch.trials[b]).collect(),
        ..batch.clone()
    }
}

/// The first two principal axes of a set of points (one module's rates).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pca2 {
    /// The mean point, `k` values.
    pub mean: Vec<f64>,
    /// The two unit-length axes, `k` values each, the first of larger variance.
    pub axes: [Vec<f64>; 2],
    /// Fraction of the total variance along each axis, in `[0, 1]`.
    pub explained: [f64; 2],
}

impl Pca2 {
    /// Fits the axes on `points` (each of the same length `k ≥ 1`).
    pub fn fit(points: &[&[f32]]) -> Result<Self> {
        let k = points.first().map_or(0, |p| p.len());
        if k == 0 || points.iter().any(|p| p.len() != k) {
            return Err(Error::Shape(
                "PCA needs points of one non-zero length".into(),
            ));
        }
        let count = points.len() as f64;
        let mut mean = vec![0.0; k];
        for p in points {
            mean.iter_mut()
                .zip(*p)
                .for_each(|(m, &x)| *m += f64::from(x) / count);
        }
        let mut cov = DMatrix::<f64>::zeros(k, k);
        for p in points {
            let d =
                DMatrix::from_iterator(k, 1, p.iter().zip(&mean).map(|(&x, m)| f64::from(x) - m));
            cov.gemm(1.0 / count, &d, &d.transpose(), 1.0);
        }
        Ok(Self::from_covariance(mean, &cov))
    }

    /// The top two eigenvectors of `cov`, with a sign fixed so that each axis's largest
    /// component is positive (the picture does not flip between refits).
    fn from_covariance(mean: Vec<f64>, cov: &DMatrix<f64>) -> Self {
        let k = mean.len();
        let eig = SymmetricEigen::new(cov.clone());
        let mut order: Vec<usize> = (0..k).collect();
        order.sort_by(|&a, &b| eig.eigenvalues[b].total_cmp(&eig.eigenvalues[a]));
        let total: f64 = eig.eigenvalues.iter().map(|v| v.max(0.0)).sum();
        let axis = |rank: usize| -> (Vec<f64>, f64) {
            let Some(&i) = order.get(rank) else {
                return (vec![0.0; k], 0.0);
            };
            let mut v: Vec<f64> = eig.eigenvectors.column(i).iter().copied().collect();
            let peak = v
                .iter()
                .copied()
                .fold(0.0, |a: f64, x| if x.abs() > a.abs() { x } else { a });
            if peak < 0.0 {
                v.iter_mut().for_each(|x| *x = -*x);
            }
            let share = if total > 0.0 {
                eig.eigenvalues[i].max(0.0) / total
            } else {
                0.0
            };
            (v, share)
        };
        let ((a0, e0), (a1, e1)) = (axis(0), axis(1));
        Pca2 {
            mean,
            axes: [a0, a1],
            explained: [e0, e1],
        }
    }

    /// The coordinates of one point on the two axes, `(pc1, pc2)`.
    pub fn project(&self, point: &[f32]) -> (f64, f64) {
        let dot = |axis: &[f64]| {
            axis.iter()
                .zip(point.iter().zip(&self.mean))
                .map(|(a, (&x, m))| a * (f64::from(x) - m))
                .sum::<f64>()
        };
        (dot(&self.axes[0]), dot(&self.axes[1]))
    }
}

/// One module's trajectories: one polyline per trial in the module's PC plane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModuleTrajectories {
    /// The module's unit range.
    pub units: Range<usize>,
    /// Points `(pc1, pc2)` of each trial: the zero state, then one per step.
    pub trials: Vec<Vec<(f64, f64)>>,
}

/// Every module's trajectories for the trials of one task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trajectories {
    /// The task.
    pub task: Task,
    /// Step length, ms: point `t` of a trial is the state at `t * dt_ms`.
    pub dt_ms: f64,
    /// The epochs the trials share, in steps (point `s` is the state at the start of step `s`).
    pub epochs: Vec<Epoch>,
    /// Direction of each trial's (first) stimulus, radians in `[0, 2π)`, for colour.
    pub directions: Vec<f64>,
    /// One entry per module.
    pub modules: Vec<ModuleTrajectories>,
}

/// The fitted axes of every module for one task, and the trials they were fitted on.
#[derive(Debug, Clone)]
pub struct Projector {
    /// The task.
    pub task: Task,
    /// The [`N_TRIALS`] trials (a subset of the task's evaluation batch).
    pub batch: Batch,
    /// One set of axes per module.
    pub axes: Vec<Pca2>,
    /// Fixed plot ranges per module, `(pc1 range, pc2 range)`, from the unperturbed network.
    pub ranges: Vec<(Range<f64>, Range<f64>)>,
    /// The unperturbed trajectories.
    pub reference: Trajectories,
    /// The unperturbed forward pass.
    pub reference_trace: Trace<f32>,
    /// The trials' forward pass with its noise drawn once (perturbed runs replay it).
    replay: Replay,
}

impl Projector {
    /// Fits each module's axes on `network`'s rates over [`N_TRIALS`] evaluation trials of
    /// `task`, run with the baseline noise.
    pub fn fit(network: &Network<f32>, task: Task) -> Result<Self> {
        let full = tasks::eval_batch(task, network.config().dt_ms)?;
        let batch = select_trials(&full, &spread_trials(&full, N_TRIALS));
        let mut replay = Replay::new(batch.clone(), noise_seed(task));
        let trace = replay.run(network, &Perturbation::default())?;
        let axes = network
            .modules()
            .into_iter()
            .map(|units| fit_module(&trace, units))
            .collect::<Result<Vec<_>>>()?;
        let mut projector = Projector {
            task,
            batch,
            axes,
            ranges: Vec::new(),
            reference: empty(task),
            reference_trace: trace,
            replay,
        };
        projector.reference = projector.project(&projector.reference_trace, &network.modules());
        projector.ranges = projector
            .reference
            .modules
            .iter()
            .map(padded_ranges)
            .collect();
        Ok(projector)
    }

    /// The forward pass of `network` under `perturbation` on the projector's trials, with the
    /// task's fixed evaluation noise (the same draws every time; see [`crate::replay`]).
    pub fn run(
        &mut self,
        network: &Network<f32>,
        perturbation: &Perturbation,
    ) -> Result<Trace<f32>> {
        self.replay.run(network, perturbation)
    }

    /// Projects a trace of the projector's trials onto the fitted axes.
    pub fn project(&self, trace: &Trace<f32>, modules: &[Range<usize>]) -> Trajectories {
        let nb = trace.batch_size;
        let n = trace.rates.nrows();
        let rates = trace.rates.as_slice();
        let modules = modules
            .iter()
            .zip(&self.axes)
            .map(|(units, pca)| {
                let trials = (0..nb)
                    .map(|b| {
                        (0..=trace.n_steps)
                            .map(|t| {
                                let at = (t * nb + b) * n;
                                pca.project(&rates[at + units.start..at + units.end])
                            })
                            .collect()
                    })
                    .collect();
                ModuleTrajectories {
                    units: units.clone(),
                    trials,
                }
            })
            .collect();
        Trajectories {
            task: self.task,
            dt_ms: self.batch.dt_ms,
            epochs: self.batch.epochs.clone(),
            directions: self
                .batch
                .trials
                .iter()
                .map(|t| f64::from(t.theta1))
                .collect(),
            modules,
        }
    }
}

fn empty(task: Task) -> Trajectories {
    Trajectories {
        task,
        dt_ms: 0.0,
        epochs: Vec::new(),
        directions: Vec::new(),
        modules: Vec::new(),
    }
}

/// The seed of the noise of `task`'s trajectory trials: the task's evaluation noise seed (the
/// seed [`crate::eval::EvalSet::evaluate`] uses for that task).
fn noise_seed(task: Task) -> u64 {
    EVAL_NOISE_SEED + task.index() as u64
}

/// Fits one module's axes on its units' rates at every step of every trial.
fn fit_module(trace: &Trace<f32>, units: Range<usize>) -> Result<Pca2> {
    let n = trace.rates.nrows();
    let points: Vec<&[f32]> = trace
        .rates
        .as_slice()
        .chunks_exact(n)
        .map(|column| &column[units.clone()])
        .collect();
    Pca2::fit(&points)
}

/// The range of a module's points on each axis, widened by a quarter on every side (room for
/// perturbed trajectories), never empty.
fn padded_ranges(module: &ModuleTrajectories) -> (Range<f64>, Range<f64>) {
    let points = module.trials.iter().flatten();
    let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for &(x, y) in points {
        for (i, v) in [x, y].into_iter().enumerate() {
            lo[i] = lo[i].min(v);
            hi[i] = hi[i].max(v);
        }
    }
    let range = |i: usize| {
        if !(lo[i].is_finite() && hi[i].is_finite()) {
            return -1.0..1.0;
        }
        let pad = ((hi[i] - lo[i]) * 0.25).max(0.05);
        lo[i] - pad..hi[i] + pad
    };
    (range(0), range(1))
}

/// One trial's inputs, targets, outputs and cost mask against time, and whether it was right.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrialView {
    /// The task.
    pub task: Task,
    /// Step length, ms; value `t` of each series belongs to time `(t + 1) * dt_ms`.
    pub dt_ms: f64,
    /// The epochs, in steps.
    pub epochs: Vec<Epoch>,
    /// Per step: fixation cue, modality 1 (sin, cos), modality 2 (sin, cos), noisy as the
    /// network received them.
    pub inputs: Vec<[f32; 5]>,
    /// Per step: fixation, response sin, response cos targets.
    pub targets: Vec<[f32; N_OUT]>,
    /// Per step: the network's three outputs.
    pub outputs: Vec<[f32; N_OUT]>,
    /// Per step: the cost-mask weight of the response channels (0 = not scored).
    pub mask: Vec<f32>,
    /// The correct response direction, radians.
    pub response: f64,
    /// The direction the network answered at the last step, radians (`None`: still fixating).
    pub answer: Option<f64>,
    /// Whether the trial was correct.
    pub correct: bool,
}

/// The view of trial `b` of `batch` as `trace` ran it.
pub fn trial_view(task: Task, batch: &Batch, trace: &Trace<f32>, b: usize) -> Result<TrialView> {
    if b >= batch.batch_size || trace.batch_size != batch.batch_size {
        return Err(Error::invalid(
            "trial",
            format!("{b} is not below {}", batch.batch_size),
        ));
    }
    let nb = batch.batch_size;
    let (n_in, n_out) = (batch.n_in, batch.n_out);
    let steps = 0..batch.n_steps;
    let inputs = trace.inputs.as_slice();
    let outputs = trace.outputs.as_slice();
    let pick_in = |t: usize| {
        let at = (t * nb + b) * n_in;
        [0, 1, 2, 3, 4].map(|c| inputs[at + c])
    };
    let pick_out = |values: &[f32], t: usize| {
        let at = (t * nb + b) * n_out;
        [0, 1, 2].map(|c| values[at + c])
    };
    let last = pick_out(outputs, batch.n_steps - 1);
    let response = f64::from(batch.trials[b].response);
    let fixating = last[OUT_FIXATION] > tasks::FIXATION_THRESHOLD;
    let answer = (!fixating).then(|| {
        libm::atan2(
            f64::from(last[OUT_RESPONSE]),
            f64::from(last[OUT_RESPONSE + 1]),
        )
        .rem_euclid(TAU)
    });
    Ok(TrialView {
        task,
        dt_ms: batch.dt_ms,
        epochs: batch.epochs.clone(),
        inputs: steps.clone().map(pick_in).collect(),
        targets: steps.clone().map(|t| pick_out(&batch.targets, t)).collect(),
        outputs: steps.clone().map(|t| pick_out(outputs, t)).collect(),
        mask: steps
            .map(|t| pick_out(&batch.mask, t)[OUT_RESPONSE])
            .collect(),
        response,
        answer,
        correct: tasks::trial_correct(last[0], last[1], last[2], response as f32),
    })
}

/// The trajectories as CSV: one row per module, trial and point, with the unperturbed
/// coordinates beside the current ones.
pub fn trajectories_csv(current: &Trajectories, reference: &Trajectories) -> String {
    let mut csv = String::from(
        "module,trial,direction_deg,time_ms,epoch,pc1,pc2,pc1_unperturbed,pc2_unperturbed\n",
    );
    for (m, (module, base)) in current.modules.iter().zip(&reference.modules).enumerate() {
        for (b, (points, base_points)) in module.trials.iter().zip(&base.trials).enumerate() {
            let direction = current.directions[b].to_degrees();
            for (t, (p, q)) in points.iter().zip(base_points).enumerate() {
                let epoch = epoch_at(&current.epochs, t);
                let time = t as f64 * current.dt_ms;
                csv += &format!(
                    "{},{b},{direction:.1},{time},{epoch},{:.6},{:.6},{:.6},{:.6}\n",
                    m + 1,
                    p.0,
                    p.1,
                    q.0,
                    q.1
                );
            }
        }
    }
    csv
}

/// The trial view as CSV: one row per step.
pub fn trial_csv(view: &TrialView) -> String {
    let mut csv = String::from(
        "time_ms,epoch,in_fixation,in_mod1_sin,in_mod1_cos,in_mod2_sin,in_mod2_cos,\
         target_fixation,target_sin,target_cos,out_fixation,out_sin,out_cos,mask_response\n",
    );
    for t in 0..view.inputs.len() {
        let row: Vec<String> = view.inputs[t]
            .iter()
            .chain(&view.targets[t])
            .chain(&view.outputs[t])
            .chain([&view.mask[t]])
            .map(|v| format!("{v:.5}"))
            .collect();
        let time = (t + 1) as f64 * view.dt_ms;
        csv += &format!("{time},{},{}\n", epoch_at(&view.epochs, t), row.join(","));
    }
    csv
}

/// The name of the epoch holding step `t` ("response" after the last one).
pub fn epoch_at(epochs: &[Epoch], t: usize) -> &str {
    epochs
        .iter()
        .find(|e| e.range().contains(&t))
        .map_or("response", |e| e.name.as_str())
}

trait EpochRange {
    fn range(&self) -> Range<usize>;
}

impl EpochRange for Epoch {
    fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}
