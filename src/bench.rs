//! The benchmark workloads, one code path for the native tool and the browser: a training
//! iteration of the task stage on a fixed batch, the evaluation of all nine tasks, and the
//! generation of one training batch; and the timing statistics reported for each.
//!
//! The clock is passed in (`now`, milliseconds), because the core knows no browser: natively
//! it is `std::time::Instant`, in the page `performance.now()`. Every workload is warmed up
//! before it is timed, and each repetition is timed on its own, so the statistics show the
//! spread as well as the median.

use serde::{Deserialize, Serialize};

use crate::batch::Batch;
use crate::error::{Error, Result};
use crate::eval::EvalSet;
use crate::methods::{DEFAULT_TASK_BATCH, DEFAULT_TASK_LR};
use crate::network::{Connectivity, Network, NetworkConfig};
use crate::optim::{AdamConfig, Trainable};
use crate::perturb::Perturbation;
use crate::tasks::{self, Task};
use crate::train::{Objective, TrainConfig, Trainer};

/// The task of the training-iteration benchmark: a memory-guided decision, whose trials are
/// among the corpus's longer ones.
pub const TASK: Task = Task::MemoryDm1;
/// Seed of the benchmark's batch, initial weights and noise.
pub const SEED: u64 = 2024;

/// The two networks whose training iteration is timed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Architecture {
    /// MoLaP: three modules of 32 units, block-diagonal `W_rec`; only `W_in`, `W_out` and
    /// `b_out` train.
    Molap,
    /// The monolithic baseline: 96 fully connected units; every group trains.
    Monolithic,
}

impl Architecture {
    /// Both, in report order.
    pub const ALL: [Architecture; 2] = [Architecture::Molap, Architecture::Monolithic];

    /// The name used in reports and accepted by [`Architecture::parse`].
    pub fn name(self) -> &'static str {
        match self {
            Architecture::Molap => "molap",
            Architecture::Monolithic => "monolithic",
        }
    }

    /// Parses `"molap"` or `"monolithic"`.
    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|a| a.name() == s)
            .ok_or_else(|| {
                Error::invalid("method", format!("`{s}` is neither molap nor monolithic"))
            })
    }

    /// The network's configuration (the default shape, with this connectivity).
    pub fn network_config(self) -> NetworkConfig {
        let connectivity = match self {
            Architecture::Molap => Connectivity::Modular,
            Architecture::Monolithic => Connectivity::Monolithic,
        };
        NetworkConfig {
            connectivity,
            ..NetworkConfig::default()
        }
    }

    /// The parameter groups that train.
    pub fn trainable(self) -> Trainable {
        match self {
            Architecture::Molap => Trainable::input_output(),
            Architecture::Monolithic => Trainable::all(),
        }
    }
}

/// The fixed batch of the iteration benchmark: [`DEFAULT_TASK_BATCH`] trials of [`TASK`].
pub fn iteration_batch() -> Result<Batch> {
    let dt = NetworkConfig::default().dt_ms;
    tasks::generate_seeded(TASK, DEFAULT_TASK_BATCH, dt, SEED)
}

/// A task-stage trainer and its fixed batch: [`IterationBench::run`] is one
/// [`Trainer::step`] without the batch draw.
#[derive(Debug, Clone)]
pub struct IterationBench {
    /// The trainer, seeded, at the task stage's settings.
    pub trainer: Trainer,
    /// The batch every iteration trains on.
    pub batch: Batch,
}

impl IterationBench {
    /// A freshly initialised network of `arch` with its task-stage trainer.
    pub fn new(arch: Architecture) -> Result<Self> {
        let network = Network::random(&arch.network_config(), SEED)?;
        let config = TrainConfig {
            adam: AdamConfig {
                lr: DEFAULT_TASK_LR,
                ..AdamConfig::default()
            },
            batch_size: DEFAULT_TASK_BATCH,
            tasks: vec![TASK],
            seed: SEED,
            ..TrainConfig::default()
        };
        let trainer = Trainer::new(network, arch.trainable(), Objective::Tasks, config)?;
        Ok(IterationBench {
            trainer,
            batch: iteration_batch()?,
        })
    }

    /// One training iteration; returns its loss.
    pub fn run(&mut self) -> Result<f64> {
        self.trainer.step_on(&self.batch)
    }
}

/// The evaluation behind one slider move: all nine tasks' evaluation batches, one network.
#[derive(Debug, Clone)]
pub struct EvalBench {
    /// The nine evaluation batches, made once.
    pub set: EvalSet,
    /// The network evaluated (MoLaP's shape, seeded weights).
    pub network: Network<f32>,
    /// The perturbation applied (none: the baseline noise only).
    pub perturbation: Perturbation,
}

impl EvalBench {
    /// The evaluation set and a seeded MoLaP-shaped network.
    pub fn new() -> Result<Self> {
        let config = Architecture::Molap.network_config();
        Ok(EvalBench {
            set: EvalSet::all(config.dt_ms)?,
            network: Network::random(&config, SEED)?,
            perturbation: Perturbation::default(),
        })
    }

    /// Total steps × trials over the nine batches (the work, in network steps per trial).
    pub fn trial_steps(&self) -> usize {
        self.set
            .batches
            .iter()
            .map(|(_, b)| b.n_steps * b.batch_size)
            .sum()
    }

    /// One evaluation of every task; returns the mean performance.
    pub fn run(&self) -> Result<f64> {
        let performance = self.set.evaluate(&self.network, &self.perturbation)?;
        Ok(crate::eval::mean(&performance))
    }
}

/// Timings of one workload over its repetitions, milliseconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    /// Timed repetitions.
    pub reps: usize,
    /// Median.
    pub median_ms: f64,
    /// First quartile.
    pub q1_ms: f64,
    /// Third quartile.
    pub q3_ms: f64,
    /// Fastest repetition.
    pub min_ms: f64,
    /// Slowest repetition.
    pub max_ms: f64,
}

impl Stats {
    /// The statistics of `samples` (milliseconds); `None` when there are none.
    pub fn of(samples: &[f64]) -> Option<Self> {
        let mut s = samples.to_vec();
        s.sort_by(f64::total_cmp);
        let at = |q: f64| {
            let pos = q * (s.len() - 1) as f64;
            let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
            s[lo] + (s[hi] - s[lo]) * (pos - lo as f64)
        };
        (!s.is_empty()).then(|| Stats {
            reps: s.len(),
            median_ms: at(0.5),
            q1_ms: at(0.25),
            q3_ms: at(0.75),
            min_ms: s[0],
            max_ms: s[s.len() - 1],
        })
    }
}

/// Runs `work` `warmup` times untimed, then `reps` times, each timed with `now` (ms).
pub fn measure(
    warmup: usize,
    reps: usize,
    now: &dyn Fn() -> f64,
    mut work: impl FnMut() -> Result<()>,
) -> Result<Stats> {
    for _ in 0..warmup {
        work()?;
    }
    let mut samples = Vec::with_capacity(reps);
    for _ in 0..reps {
        let start = now();
        work()?;
        samples.push(now() - start);
    }
    Stats::of(&samples).ok_or_else(|| Error::invalid("reps", "must be at least 1"))
}

/// One line of a benchmark report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    /// What was timed, e.g. `"iteration/molap"`.
    pub name: String,
    /// Its size in words (trial length, batch), for the report.
    pub detail: String,
    /// The timings.
    pub stats: Stats,
}

/// Repetitions of each workload of [`run_all`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Plan {
    /// Untimed runs first.
    pub warmup: usize,
    /// Timed training iterations per network.
    pub iteration_reps: usize,
    /// Timed evaluations of the nine tasks.
    pub eval_reps: usize,
}

impl Default for Plan {
    fn default() -> Self {
        Plan {
            warmup: 5,
            iteration_reps: 40,
            eval_reps: 20,
        }
    }
}

/// Times a training iteration of `arch` (see [`IterationBench`]).
pub fn time_iteration(
    arch: Architecture,
    plan: &Plan,
    now: &dyn Fn() -> f64,
) -> Result<Measurement> {
    let mut bench = IterationBench::new(arch)?;
    let b = &bench.batch;
    let detail = format!(
        "{} steps x {} trials of {}",
        b.n_steps,
        b.batch_size,
        TASK.short()
    );
    let stats = measure(plan.warmup, plan.iteration_reps, now, || {
        bench.run().map(drop)
    })?;
    Ok(Measurement {
        name: format!("iteration/{}", arch.name()),
        detail,
        stats,
    })
}

/// Times the evaluation of all nine tasks (see [`EvalBench`]).
pub fn time_eval(plan: &Plan, now: &dyn Fn() -> f64) -> Result<Measurement> {
    let bench = EvalBench::new()?;
    let detail = format!("9 tasks, {} trial-steps", bench.trial_steps());
    let stats = measure(plan.warmup, plan.eval_reps, now, || bench.run().map(drop))?;
    Ok(Measurement {
        name: "eval/nine_tasks".into(),
        detail,
        stats,
    })
}

/// Times the draw of one training batch (the part of [`Trainer::step`] the iteration
/// benchmark leaves out).
pub fn time_batch(plan: &Plan, now: &dyn Fn() -> f64) -> Result<Measurement> {
    let dt = NetworkConfig::default().dt_ms;
    let mut seed = SEED;
    let stats = measure(plan.warmup, plan.iteration_reps, now, || {
        seed += 1;
        tasks::generate_seeded(TASK, DEFAULT_TASK_BATCH, dt, seed).map(drop)
    })?;
    Ok(Measurement {
        name: "batch/generate".into(),
        detail: format!("{} trials of {}", DEFAULT_TASK_BATCH, TASK.short()),
        stats,
    })
}

/// Every workload, in report order.
pub fn run_all(plan: &Plan, now: &dyn Fn() -> f64) -> Result<Vec<Measurement>> {
    let mut rows = Architecture::ALL
        .into_iter()
        .map(|arch| time_iteration(arch, plan, now))
        .collect::<Result<Vec<_>>>()?;
    rows.push(time_eval(plan, now)?);
    rows.push(time_batch(plan, now)?);
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartiles_interpolate() {
        let s = Stats::of(&[4.0, 1.0, 3.0, 2.0, 5.0]).unwrap();
        assert_eq!(
            (s.min_ms, s.q1_ms, s.median_ms, s.q3_ms, s.max_ms),
            (1.0, 2.0, 3.0, 4.0, 5.0)
        );
        assert!(Stats::of(&[]).is_none());
    }
}
