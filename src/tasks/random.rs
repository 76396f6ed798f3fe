//! Random batches by the corpus's rules, and the fixed evaluation batches.
//!
//! A batch is drawn as a [`TrialSpec`] and handed to [`build`], so random and explicit batches
//! are made by the same code. Only `ChaCha8Rng` is used and every draw is a float or a `u32`,
//! so a seed gives bit-identical batches natively and in wasm. The draws, in order:
//!
//! 1. the epoch durations, once per batch, in the order of [`Timing`]'s fields (ms):
//!    - Delay Pro / Anti: fixation `U(300, 700)`, stimulus to go `U(200, 1500)`,
//!      response `U(300, 700)`;
//!    - Memory Pro / Anti: fixation `U(300, 700)`, stimulus `U(200, 1600)`,
//!      delay `U(200, 1600)`, response `U(300, 700)`;
//!    - decision tasks: fixation `U(200, 600)`, stimulus 1 `U(200, 1600)`, delay
//!      `U(200, 1600)`, stimulus 2 `U(200, 1600)`, delay to go `U(100, 300)`, response
//!      `U(300, 700)`;
//! 2. pro / anti tasks: the modality, once per batch (1 or 2 with equal chance); then per trial
//!    θ ~ `U(0, 2π)` at strength 1 (the spec gives no strength for these tasks; 1 is the
//!    reference implementation's);
//! 3. decision tasks: a pool of 100 coherences `U(0.005, 0.8)`, once per batch; then per trial
//!    θ1 ~ `U(0, 2π)`, an offset `U(π/2, 3π/2)` and its sign (θ2 = θ1 ± offset, mod 2π), and
//!    the strengths: a pair `m ± s·c` (`m ~ U(0.8, 1.2)`, `c` from the pool, sign `s = ±1`) for
//!    Memory DM 1 / 2; one pair per modality for the context tasks; one pair `(g1, g2)` split
//!    as `g ± d/2` with `d = g · U(0.005, 0.8) · (±1)`, drawn per stimulus, for Multi-sensory.

use super::build::{build, wrap};
use super::spec::{Modality, Stimuli, Timing, TrialSpec, check_dt};
use super::{Family, Task};
use crate::batch::Batch;
use crate::error::{Error, Result};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::f64::consts::{PI, TAU};

/// Trials in an evaluation batch.
pub const EVAL_BATCH_SIZE: usize = 128;
/// Seed of the first task's evaluation batch; task `k` uses `EVAL_SEED_BASE + k`. Training
/// should draw its batches from other seeds so that evaluation stays held out.
pub const EVAL_SEED_BASE: u64 = 2_019_000;

/// Size of the coherence pool of the decision tasks, drawn once per batch.
const POOL_SIZE: u32 = 100;
/// Range of the coherences and of the multi-sensory split fraction.
const COHERENCE: (f64, f64) = (0.005, 0.8);
/// Range of the mean strength of a decision pair.
const MEAN_STRENGTH: (f64, f64) = (0.8, 1.2);
/// Strength of the single stimulus of the pro and anti tasks.
const SINGLE_STRENGTH: f64 = 1.0;

/// The evaluation seed of `task`: `EVAL_SEED_BASE + task.index()`.
pub fn eval_seed(task: Task) -> u64 {
    EVAL_SEED_BASE + task.index() as u64
}

/// A random batch of `batch_size` trials of `task`, steps of `dt_ms` milliseconds.
///
/// Fails with [`Error::InvalidConfig`] when `batch_size` is 0 or `dt_ms` is not in `(0, 100]`;
/// the generator is then left untouched.
pub fn generate(task: Task, batch_size: usize, dt_ms: f64, rng: &mut ChaCha8Rng) -> Result<Batch> {
    if batch_size == 0 {
        return Err(Error::invalid(
            "batch_size",
            "a batch needs at least one trial",
        ));
    }
    check_dt(dt_ms)?;
    build(task, &draw_spec(task, batch_size, rng), dt_ms)
}

/// [`generate`] with a fresh `ChaCha8Rng` seeded by `seed` (`seed_from_u64`).
pub fn generate_seeded(task: Task, batch_size: usize, dt_ms: f64, seed: u64) -> Result<Batch> {
    generate(
        task,
        batch_size,
        dt_ms,
        &mut ChaCha8Rng::seed_from_u64(seed),
    )
}

/// The fixed evaluation batch of `task`: [`EVAL_BATCH_SIZE`] trials from [`eval_seed`].
///
/// Fails only when `dt_ms` is not in `(0, 100]`.
pub fn eval_batch(task: Task, dt_ms: f64) -> Result<Batch> {
    generate_seeded(task, EVAL_BATCH_SIZE, dt_ms, eval_seed(task))
}

/// Draws the timing and `batch_size` trials of `task` by the corpus's rules (see the module
/// documentation for the order of the draws).
pub fn draw_spec(task: Task, batch_size: usize, rng: &mut ChaCha8Rng) -> TrialSpec {
    let timing = draw_timing(task, rng);
    let trials = if task.family() == Family::Decision {
        let pool: Vec<f64> = (0..POOL_SIZE).map(|_| uniform(rng, COHERENCE)).collect();
        (0..batch_size)
            .map(|_| draw_decision(task, &pool, rng))
            .collect()
    } else {
        let modality = if rng.random_bool(0.5) {
            Modality::Two
        } else {
            Modality::One
        };
        let mut single = || Stimuli::single(rng.random_range(0.0..TAU), modality, SINGLE_STRENGTH);
        (0..batch_size).map(|_| single()).collect()
    };
    TrialSpec { timing, trials }
}

/// A uniform draw from `[a, b)`.
fn uniform(rng: &mut ChaCha8Rng, (a, b): (f64, f64)) -> f64 {
    rng.random_range(a..b)
}

/// `+1` or `-1` with equal chance.
fn sign(rng: &mut ChaCha8Rng) -> f64 {
    if rng.random_bool(0.5) { 1.0 } else { -1.0 }
}

fn draw_timing(task: Task, rng: &mut ChaCha8Rng) -> Timing {
    let mut u = |range| uniform(rng, range);
    match task.family() {
        Family::Delay => Timing {
            fixation_ms: u((300.0, 700.0)),
            stimulus1_ms: u((200.0, 1500.0)),
            delay1_ms: 0.0,
            stimulus2_ms: 0.0,
            delay2_ms: 0.0,
            response_ms: u((300.0, 700.0)),
        },
        Family::Memory => Timing {
            fixation_ms: u((300.0, 700.0)),
            stimulus1_ms: u((200.0, 1600.0)),
            delay1_ms: u((200.0, 1600.0)),
            stimulus2_ms: 0.0,
            delay2_ms: 0.0,
            response_ms: u((300.0, 700.0)),
        },
        Family::Decision => Timing {
            fixation_ms: u((200.0, 600.0)),
            stimulus1_ms: u((200.0, 1600.0)),
            delay1_ms: u((200.0, 1600.0)),
            stimulus2_ms: u((200.0, 1600.0)),
            delay2_ms: u((100.0, 300.0)),
            response_ms: u((300.0, 700.0)),
        },
    }
}

/// One decision trial: directions, then strengths by the task's rule.
fn draw_decision(task: Task, pool: &[f64], rng: &mut ChaCha8Rng) -> Stimuli {
    let theta1 = rng.random_range(0.0..TAU);
    let offset = uniform(rng, (PI / 2.0, 3.0 * PI / 2.0));
    let theta2 = wrap(theta1 + sign(rng) * offset);
    let (mod1, mod2) = match task {
        Task::MemoryDm1 => (strength_pair(pool, rng), [0.0; 2]),
        Task::MemoryDm2 => ([0.0; 2], strength_pair(pool, rng)),
        Task::MultiMemoryDm => split_pair(strength_pair(pool, rng), rng),
        _ => (strength_pair(pool, rng), strength_pair(pool, rng)),
    };
    Stimuli::pair(theta1, theta2, mod1, mod2)
}

/// Strengths `[m + s·c, m - s·c]` of stimuli 1 and 2.
fn strength_pair(pool: &[f64], rng: &mut ChaCha8Rng) -> [f64; 2] {
    let m = uniform(rng, MEAN_STRENGTH);
    let c = pool[rng.random_range(0..POOL_SIZE) as usize];
    let s = sign(rng);
    [m + s * c, m - s * c]
}

/// Splits each overall strength `g` over the modalities as `g + d/2` and `g - d/2`.
fn split_pair(g: [f64; 2], rng: &mut ChaCha8Rng) -> ([f64; 2], [f64; 2]) {
    let (mut mod1, mut mod2) = ([0.0; 2], [0.0; 2]);
    for k in 0..2 {
        let d = g[k] * uniform(rng, COHERENCE) * sign(rng);
        mod1[k] = g[k] + d / 2.0;
        mod2[k] = g[k] - d / 2.0;
    }
    (mod1, mod2)
}
