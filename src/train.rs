//! The training loop: batches of the corpus (or of the primitives), BPTT, Adam, and a stop with
//! the last good weights when training diverges.
//!
//! Batches of different tasks are interleaved, one task per batch in a fixed rotation, because
//! every trial of a batch shares its timing. One iteration draws one batch, runs the noisy
//! forward pass, backpropagates the masked squared error and takes one Adam step on the
//! trainable groups. Batch draws and noise draws come from two seeded ChaCha8 streams, so a run
//! is reproducible from its seed.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::batch::Batch;
use crate::error::{Error, Result};
use crate::network::{Network, NoiseConfig, Params, loss};
use crate::optim::{Adam, AdamConfig, DivergenceCheck, Trainable};
use crate::primitives::Primitives;
use crate::tasks::{self, Task};

/// Settings of one training run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrainConfig {
    /// The optimiser's settings (learning rate, clipping).
    pub adam: AdamConfig,
    /// Trials per batch (32).
    pub batch_size: usize,
    /// Trials to train on in all, counted over every task (the trial budget).
    pub trials: usize,
    /// The tasks whose batches are interleaved, in rotation.
    pub tasks: Vec<Task>,
    /// Seed of the batch and noise draws.
    pub seed: u64,
    /// When to stop for divergence.
    pub divergence: DivergenceCheck,
    /// Noise levels of the training forward passes (the corpus's baseline).
    pub noise: NoiseConfig,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            adam: AdamConfig {
                lr: 3e-3,
                ..AdamConfig::default()
            },
            batch_size: 32,
            trials: 200_000,
            tasks: Task::ALL.to_vec(),
            seed: 1,
            divergence: DivergenceCheck::default(),
            noise: NoiseConfig::default(),
        }
    }
}

impl TrainConfig {
    /// Checks every field; the error names the first bad one.
    pub fn validate(&self) -> Result<()> {
        self.adam.validate()?;
        if self.batch_size == 0 || self.batch_size > 4096 {
            return Err(Error::invalid(
                "batch_size",
                "must be between 1 and 4096 trials",
            ));
        }
        if self.tasks.is_empty() {
            return Err(Error::invalid("tasks", "needs at least one task"));
        }
        Ok(())
    }

    /// Iterations the trial budget pays for.
    pub fn iterations(&self) -> usize {
        self.trials.div_ceil(self.batch_size)
    }
}

/// What a run is trained to produce.
#[derive(Debug, Clone, PartialEq)]
pub enum Objective {
    /// The corpus's targets (fixation and response).
    Tasks,
    /// The latent primitives: all of them, or only one (`Some(i)`) for a single module.
    Primitives {
        primitives: Primitives,
        only: Option<usize>,
    },
}

impl Objective {
    /// Recasts a task batch into what the network must produce.
    fn batch(&self, batch: Batch) -> Batch {
        match self {
            Objective::Tasks => batch,
            Objective::Primitives { primitives, only } => {
                let full = primitives.pretraining_batch(&batch);
                match only {
                    Some(i) => select_output(&full, *i),
                    None => full,
                }
            }
        }
    }
}

/// The batch with only output channel `i` kept.
fn select_output(batch: &Batch, i: usize) -> Batch {
    let pick = |v: &[f32]| {
        v.chunks_exact(batch.n_out)
            .map(|c| c[i])
            .collect::<Vec<_>>()
    };
    Batch {
        n_out: 1,
        targets: pick(&batch.targets),
        mask: pick(&batch.mask),
        ..batch.clone()
    }
}

/// One point of a learning curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LossPoint {
    /// Trials seen when the loss was measured.
    pub trials: usize,
    /// The training batch's loss (dimensionless).
    pub loss: f64,
}

/// A network being trained, with its optimiser and the state to resume from.
#[derive(Debug, Clone)]
pub struct Trainer {
    /// The network, updated in place.
    pub network: Network<f32>,
    /// Which parameter groups train.
    pub trainable: Trainable,
    /// What it is trained for.
    pub objective: Objective,
    /// The run's settings.
    pub config: TrainConfig,
    /// Trials seen so far.
    pub trials: usize,
    /// Loss of each iteration so far.
    pub history: Vec<LossPoint>,
    adam: Adam<f32>,
    batch_rng: ChaCha8Rng,
    noise_rng: ChaCha8Rng,
    reference_loss: Option<f64>,
    last_good: Params<f32>,
    last_good_trials: usize,
}

impl Trainer {
    /// A trainer for `network`, training the groups of `trainable`.
    pub fn new(
        network: Network<f32>,
        trainable: Trainable,
        objective: Objective,
        config: TrainConfig,
    ) -> Result<Self> {
        config.validate()?;
        let adam = Adam::new(config.adam, &network)?;
        let mut batch_rng = ChaCha8Rng::seed_from_u64(config.seed);
        batch_rng.set_stream(1);
        let mut noise_rng = ChaCha8Rng::seed_from_u64(config.seed);
        noise_rng.set_stream(2);
        Ok(Trainer {
            last_good: network.params.clone(),
            network,
            trainable,
            objective,
            config,
            trials: 0,
            history: Vec::new(),
            adam,
            batch_rng,
            noise_rng,
            reference_loss: None,
            last_good_trials: 0,
        })
    }

    /// Whether the trial budget is spent.
    pub fn done(&self) -> bool {
        self.trials >= self.config.trials
    }

    /// Trials the last good weights had been trained on: after a divergence, the trials behind
    /// the weights the network was put back to (0 when no step before it was kept).
    pub fn kept_trials(&self) -> usize {
        self.last_good_trials
    }

    /// The task of the next batch.
    pub fn next_task(&self) -> Task {
        let iteration = self.history.len();
        self.config.tasks[iteration % self.config.tasks.len()]
    }

    /// Changes the learning rate from the next step on (the optimiser's moments are kept).
    pub fn set_learning_rate(&mut self, lr: f64) -> Result<()> {
        let adam = AdamConfig {
            lr,
            ..self.adam.config
        };
        adam.validate()?;
        self.adam.config = adam;
        self.config.adam = adam;
        Ok(())
    }

    /// One iteration; returns the batch's loss. On divergence the network is put back to the
    /// last weights that gave a healthy loss and [`Error::Diverged`] is returned.
    pub fn step(&mut self) -> Result<f64> {
        let task = self.next_task();
        let dt = self.network.config().dt_ms;
        let raw = tasks::generate(task, self.config.batch_size, dt, &mut self.batch_rng)?;
        let batch = self.objective.batch(raw);
        self.step_on(&batch)
    }

    /// The iteration of [`Trainer::step`] on a given batch (already recast for the objective):
    /// noisy forward pass, loss, backpropagation, divergence check and Adam step. The batch
    /// stream is not advanced; the noise stream is.
    pub fn step_on(&mut self, batch: &Batch) -> Result<f64> {
        let trace = self
            .network
            .forward(batch, &self.config.noise, &mut self.noise_rng)?;
        let value = f64::from(loss(&trace, batch)?);
        let groups = self.trainable.groups();
        let grads = self.network.backward_of(&trace, batch, &groups)?;
        let grad_norm = grads.norm_sq_of(&self.trainable.groups()).sqrt();

        let reference = *self.reference_loss.get_or_insert(value);
        let iteration = self.history.len();
        if let Err(err) = self
            .config
            .divergence
            .check(iteration, value, grad_norm, reference)
        {
            self.network.params = self.last_good.clone();
            return Err(err);
        }
        self.last_good.clone_from(&self.network.params);
        self.last_good_trials = self.trials;
        self.adam.step(&mut self.network, &grads, &self.trainable)?;

        self.trials += batch.batch_size;
        self.history.push(LossPoint {
            trials: self.trials,
            loss: value,
        });
        Ok(value)
    }

    /// Up to `iterations` iterations, stopping early when the budget is spent; returns the last
    /// loss (NaN when no iteration ran).
    pub fn run(&mut self, iterations: usize) -> Result<f64> {
        let mut last = f64::NAN;
        for _ in 0..iterations {
            if self.done() {
                break;
            }
            last = self.step()?;
        }
        Ok(last)
    }
}
