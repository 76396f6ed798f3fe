//! Replaying one batch's forward pass many times, under different perturbations, with its
//! Gaussian noise drawn **once**: what makes a perturbation slider cheap to move.
//!
//! [`Network::forward`] draws unit-variance Gaussian numbers `z` from its ChaCha8 stream (first
//! one per input value, then one per pre-activation value, skipping a group whose standard
//! deviation is 0) and adds `std * z`. A [`Replay`] keeps that stream of `z` and adds the same
//! `std * z`, so its trace is **bit for bit** the trace `forward` gives with the same seed (a
//! test checks this against `forward` for every kind of perturbation). It also keeps the input
//! stage, `h0 = W_in x~ + b + noise_rec`, for as long as the perturbation leaves it unchanged
//! (input weights, input and recurrent noise levels, seed): moving the recurrent weight noise,
//! unit, module or synapse loss reruns only the recurrence
//!
//! ```text
//! h[t]   = h0[t] + W_rec r[t]
//! r[t+1] = keep ⊙ ((1 - alpha) r[t] + alpha f(h[t]))
//! y[t]   = W_out r[t+1] + b_out
//! ```
//!
//! TODO: a replay still costs about 10 to 20 ms in the browser on a 2-core machine (measured
//! with `scripts/page-timing.mjs`), mostly `tanh` and the small block products of the
//! recurrence, so a slider move that reaches an uncomputed state misses the 16 ms frame
//! budget; computing the neighbouring slider values ahead in the evaluation worker and
//! caching them would bring a drag within one frame without changing any number.
//!
//! Memory: one `f64` per noise draw, `(n_in + n) * T * B` of them (about 2 MB for 16 trials of
//! 100 units and 120 steps), plus the cached input stage.

use nalgebra::{DMatrix, DVector};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use crate::batch::Batch;
use crate::error::Result;
use crate::network::{Network, NoiseConfig, Trace};
use crate::perturb::Perturbation;
use crate::real::Real;

/// The perturbation fields the input stage depends on (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
struct InputKey {
    input_weight_noise: f64,
    input_noise: f64,
    recurrent_noise: f64,
    seed: u64,
}

impl InputKey {
    fn of(p: &Perturbation) -> Self {
        InputKey {
            input_weight_noise: p.input_weight_noise,
            input_noise: p.input_noise,
            recurrent_noise: p.recurrent_noise,
            seed: p.seed,
        }
    }
}

/// The cached input stage: noisy inputs `x~` (`n_in x T B`) and `h0` (`n x T B`).
#[derive(Debug, Clone)]
struct InputStage {
    key: InputKey,
    inputs: DMatrix<f32>,
    pre: DMatrix<f32>,
}

/// A batch whose forward pass is replayed with fixed noise (see the module docs).
#[derive(Debug, Clone)]
pub struct Replay {
    batch: Batch,
    seed: u64,
    /// The unit-variance draws, in the order `forward` would draw them.
    draws: Vec<f64>,
    input: Option<InputStage>,
}

impl Replay {
    /// Replays `batch` with the noise stream of `ChaCha8Rng::seed_from_u64(seed)`.
    pub fn new(batch: Batch, seed: u64) -> Self {
        Replay {
            batch,
            seed,
            draws: Vec::new(),
            input: None,
        }
    }

    /// The replayed batch.
    pub fn batch(&self) -> &Batch {
        &self.batch
    }

    /// The forward pass of `network` perturbed by `p` (weights and noise levels), exactly as
    /// `p.apply(network)?.forward(batch, &p.noise(), &mut rng)` computes it.
    pub fn run(&mut self, network: &Network<f32>, p: &Perturbation) -> Result<Trace<f32>> {
        let net = p.apply(network)?;
        net.check_batch(&self.batch)?;
        self.ensure_draws(net.n_in() + net.n_units());
        let key = InputKey::of(p);
        let stage = match self.input.take() {
            Some(stage) if stage.key == key && stage.pre.nrows() == net.n_units() => stage,
            _ => self.input_stage(&net, &p.noise(), key),
        };
        let trace = recur(&net, &self.batch, stage.inputs.clone(), stage.pre.clone());
        self.input = Some(stage);
        Ok(trace)
    }

    /// Draws the stream once, long enough for `rows` values per column.
    fn ensure_draws(&mut self, rows: usize) {
        let len = rows * self.batch.n_steps * self.batch.batch_size;
        if self.draws.len() < len {
            let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
            self.draws = (0..len).map(|_| rng.sample(StandardNormal)).collect();
        }
    }

    /// `x~ = x + noise_in` and `h0 = W_in x~ + b + noise_rec`, consuming the draws in order.
    fn input_stage(&self, net: &Network<f32>, noise: &NoiseConfig, key: InputKey) -> InputStage {
        let cols = self.batch.n_steps * self.batch.batch_size;
        let alpha = net.alpha();
        let values = self.batch.inputs.iter().map(|&v| f32::of(f64::from(v)));
        let mut inputs = DMatrix::from_iterator(net.n_in(), cols, values);
        let mut used = add_draws(inputs.as_mut_slice(), noise.input_std(alpha), &self.draws);
        let mut pre = broadcast(&net.params.b, cols);
        pre.gemm(1.0, &net.params.w_in, &inputs, 1.0);
        used += add_draws(
            pre.as_mut_slice(),
            noise.recurrent_std(alpha),
            &self.draws[used..],
        );
        debug_assert!(used <= self.draws.len());
        InputStage { key, inputs, pre }
    }
}

/// Adds `std * z` to every value from the front of `draws`; returns how many draws it used
/// (none when `std` is 0, as `forward` then draws nothing).
fn add_draws(values: &mut [f32], std: f64, draws: &[f64]) -> usize {
    if std == 0.0 {
        return 0;
    }
    for (v, &z) in values.iter_mut().zip(draws) {
        *v += f32::of(std * z);
    }
    values.len()
}

/// The recurrence and readout from the input stage, the same operations in the same order as
/// `Network::forward`.
fn recur(
    net: &Network<f32>,
    batch: &Batch,
    inputs: DMatrix<f32>,
    mut pre: DMatrix<f32>,
) -> Trace<f32> {
    let (n, nb, steps) = (net.n_units(), batch.batch_size, batch.n_steps);
    let cols = nb * steps;
    let keep: Vec<f32> = net
        .silenced()
        .iter()
        .map(|&s| if s { 0.0 } else { 1.0 })
        .collect();
    let mut act = DMatrix::zeros(n, cols);
    let mut rates = DMatrix::zeros(n, cols + nb);
    for t in 0..steps {
        let act_t = &mut act.as_mut_slice()[t * n * nb..(t + 1) * n * nb];
        net.step(
            t,
            nb,
            &keep,
            pre.as_mut_slice(),
            act_t,
            rates.as_mut_slice(),
        );
    }
    let mut outputs = broadcast(&net.params.b_out, cols);
    outputs.gemm(1.0, &net.params.w_out, &rates.columns(nb, cols), 1.0);
    Trace {
        n_steps: steps,
        batch_size: nb,
        inputs,
        pre,
        act,
        rates,
        outputs,
    }
}

/// A `len x cols` matrix whose every column is `v`.
fn broadcast(v: &DVector<f32>, cols: usize) -> DMatrix<f32> {
    DMatrix::from_fn(v.len(), cols, |i, _| v[i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::NetworkConfig;
    use crate::tasks::{self, Task};

    fn forward(net: &Network<f32>, batch: &Batch, p: &Perturbation, seed: u64) -> Trace<f32> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let perturbed = p.apply(net).unwrap();
        perturbed.forward(batch, &p.noise(), &mut rng).unwrap()
    }

    #[test]
    fn replay_equals_forward_bit_for_bit_under_every_perturbation() {
        let config = NetworkConfig {
            modules: vec![6, 5, 7],
            ..NetworkConfig::default()
        };
        let net: Network<f32> = Network::random(&config, 3).unwrap();
        let batch = tasks::generate_seeded(Task::MemoryAnti, 4, config.dt_ms, 11).unwrap();
        let mut replay = Replay::new(batch.clone(), 42);
        let base = Perturbation::default();
        let cases = [
            base.clone(),
            Perturbation {
                rec_weight_noise: 0.7,
                ..base.clone()
            },
            Perturbation {
                rec_weight_noise: 0.9,
                unit_loss: 0.3,
                ..base.clone()
            },
            Perturbation {
                input_noise: 0.0,
                ..base.clone()
            },
            Perturbation {
                recurrent_noise: 0.0,
                synapse_loss: 0.4,
                ..base.clone()
            },
            Perturbation {
                input_noise: 0.0,
                recurrent_noise: 0.0,
                ..base.clone()
            },
            Perturbation {
                input_weight_noise: 1.2,
                module_loss: Some(1),
                seed: 5,
                ..base.clone()
            },
            Perturbation {
                input_noise: 6.0,
                recurrent_noise: 3.5,
                ..base
            },
        ];
        // Twice over, so the cached input stage is reused and replaced in turn.
        for p in cases.iter().chain(&cases) {
            assert_eq!(
                replay.run(&net, p).unwrap(),
                forward(&net, &batch, p, 42),
                "{p:?}"
            );
        }
    }
}
