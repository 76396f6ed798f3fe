//! Evaluation: per-task performance of a network, possibly perturbed, on the fixed evaluation
//! batches of the corpus.
//!
//! The batches and the noise of the forward pass both come from fixed seeds, so the same
//! network under the same perturbation always gets the same score.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::batch::Batch;
use crate::error::Result;
use crate::network::{Network, Trace};
use crate::perturb::Perturbation;
use crate::real::Real;
use crate::tasks::{self, Task};

/// Seed of the noise of evaluation forward passes; task `k` uses `EVAL_NOISE_SEED + k`.
pub const EVAL_NOISE_SEED: u64 = 7_000;

/// The nine tasks' evaluation batches, made once and reused for every evaluation.
#[derive(Debug, Clone)]
pub struct EvalSet {
    /// One batch per task, in the corpus's order.
    pub batches: Vec<(Task, Batch)>,
}

impl EvalSet {
    /// The evaluation batches of `tasks` with steps of `dt_ms`.
    pub fn new(tasks: &[Task], dt_ms: f64) -> Result<Self> {
        let batches = tasks
            .iter()
            .map(|&task| Ok((task, tasks::eval_batch(task, dt_ms)?)))
            .collect::<Result<_>>()?;
        Ok(EvalSet { batches })
    }

    /// All nine tasks.
    pub fn all(dt_ms: f64) -> Result<Self> {
        Self::new(&Task::ALL, dt_ms)
    }

    /// The tasks evaluated, in order.
    pub fn tasks(&self) -> Vec<Task> {
        self.batches.iter().map(|(task, _)| *task).collect()
    }

    /// Performance on each task (fraction correct in `[0, 1]`) of `network` under
    /// `perturbation`.
    pub fn evaluate<T: Real>(
        &self,
        network: &Network<T>,
        perturbation: &Perturbation,
    ) -> Result<Vec<f64>> {
        let perturbed = perturbation.apply(network)?;
        self.batches
            .iter()
            .map(|(task, batch)| {
                let trace = run(&perturbed, batch, perturbation, *task)?;
                Ok(score(&trace, batch))
            })
            .collect()
    }

    /// The forward passes behind [`EvalSet::evaluate`], one trace per task, for plots.
    pub fn traces<T: Real>(
        &self,
        network: &Network<T>,
        perturbation: &Perturbation,
    ) -> Result<Vec<Trace<T>>> {
        let perturbed = perturbation.apply(network)?;
        self.batches
            .iter()
            .map(|(task, batch)| run(&perturbed, batch, perturbation, *task))
            .collect()
    }
}

/// One evaluation forward pass with the perturbation's noise levels and the task's fixed
/// noise seed.
fn run<T: Real>(
    network: &Network<T>,
    batch: &Batch,
    perturbation: &Perturbation,
    task: Task,
) -> Result<Trace<T>> {
    let mut rng = ChaCha8Rng::seed_from_u64(EVAL_NOISE_SEED + task.index() as u64);
    network.forward(batch, &perturbation.noise(), &mut rng)
}

/// Fraction of correct trials, judged at the last step (see [`tasks::performance`]).
pub fn score<T: Real>(trace: &Trace<T>, batch: &Batch) -> f64 {
    let last = trace.output_at(trace.n_steps - 1);
    let outputs: Vec<f32> = last.iter().map(|v| v.to_f64() as f32).collect();
    tasks::performance(&outputs, batch)
}

/// The mean of per-task performances.
pub fn mean(performance: &[f64]) -> f64 {
    if performance.is_empty() {
        return 0.0;
    }
    performance.iter().sum::<f64>() / performance.len() as f64
}
