//! The forward pass, the trace it leaves for backpropagation, and the masked loss.
//!
//! Every buffer of a [`Trace`] is one column-major matrix whose column `t * B + b` holds step
//! `t` of trial `b`, the layout of [`Batch`]: one step is one contiguous `rows x B` slice.

use nalgebra::{DMatrix, DMatrixView, DMatrixViewMut, DVector};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use serde::{Deserialize, Serialize};

use super::Network;
use crate::batch::Batch;
use crate::error::{Error, Result};
use crate::real::Real;

/// Noise levels of a forward pass (`tasks.md`). Standard deviations are
/// `sigma * sqrt(2 / alpha) * scale`, in the units of the quantity they are added to.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NoiseConfig {
    /// Baseline input noise `sigma_x`, input units (0.01).
    pub sigma_x: f64,
    /// Baseline recurrent noise `sigma_rec`, units of the pre-activation (0.05).
    pub sigma_rec: f64,
    /// Multiplier of the input noise, ≥ 0 (1 = baseline; a perturbation scales it).
    pub input_scale: f64,
    /// Multiplier of the recurrent noise, ≥ 0 (1 = baseline).
    pub recurrent_scale: f64,
}

impl Default for NoiseConfig {
    /// The baseline levels of `tasks.md`.
    fn default() -> Self {
        NoiseConfig {
            sigma_x: 0.01,
            sigma_rec: 0.05,
            input_scale: 1.0,
            recurrent_scale: 1.0,
        }
    }
}

impl NoiseConfig {
    /// No noise at all: the forward pass is deterministic and draws nothing from the RNG.
    pub fn off() -> Self {
        NoiseConfig {
            input_scale: 0.0,
            recurrent_scale: 0.0,
            ..NoiseConfig::default()
        }
    }

    /// Standard deviation of the input noise for a given `alpha`, input units.
    pub fn input_std(&self, alpha: f64) -> f64 {
        self.sigma_x * (2.0 / alpha).sqrt() * self.input_scale
    }

    /// Standard deviation of the recurrent noise for a given `alpha`.
    pub fn recurrent_std(&self, alpha: f64) -> f64 {
        self.sigma_rec * (2.0 / alpha).sqrt() * self.recurrent_scale
    }
}

/// What a forward pass computed, kept for the loss, backpropagation and analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace<T: Real> {
    /// Steps `T`.
    pub n_steps: usize,
    /// Trials `B`.
    pub batch_size: usize,
    /// Noisy inputs `x~`, `n_in x (T B)`.
    pub inputs: DMatrix<T>,
    /// Pre-activations `h` (noise included), `n x (T B)`.
    pub pre: DMatrix<T>,
    /// Activations `f(h)`, `n x (T B)`, kept so the backward pass need not evaluate `f` again.
    pub act: DMatrix<T>,
    /// Rates `r[0] .. r[T]`, `n x ((T + 1) B)`; the first `B` columns are the zero state.
    pub rates: DMatrix<T>,
    /// Outputs `y`, `n_out x (T B)`; columns of step `t` are read from `r[t+1]`.
    pub outputs: DMatrix<T>,
}

impl<T: Real> Trace<T> {
    /// The outputs of step `t`: `n_out x B` column-major values.
    pub fn output_at(&self, t: usize) -> &[T] {
        let w = self.batch_size * self.outputs.nrows();
        &self.outputs.as_slice()[t * w..(t + 1) * w]
    }

    /// The rates after consuming input `t` (that is `r[t+1]`): `n x B` column-major values.
    pub fn rates_after(&self, t: usize) -> &[T] {
        let w = self.batch_size * self.rates.nrows();
        &self.rates.as_slice()[(t + 1) * w..(t + 2) * w]
    }
}

impl<T: Real> Network<T> {
    /// Runs the dynamics of the module docs over every step of `batch`, trials side by side.
    /// Noise is drawn from `rng` (input noise for every step, then recurrent noise); with
    /// [`NoiseConfig::off`] nothing is drawn and the result is deterministic.
    pub fn forward(
        &self,
        batch: &Batch,
        noise: &NoiseConfig,
        rng: &mut ChaCha8Rng,
    ) -> Result<Trace<T>> {
        self.check_batch(batch)?;
        let (n, nb, steps) = (self.n_units(), batch.batch_size, batch.n_steps);
        let cols = nb * steps;
        let alpha = self.alpha();

        // Noisy inputs, then the input currents W_in x~ + b + noise_rec of every step at once.
        let values = batch.inputs.iter().map(|&v| T::of(v as f64));
        let mut inputs = DMatrix::from_iterator(self.n_in(), cols, values);
        add_noise(inputs.as_mut_slice(), noise.input_std(alpha), rng);
        let mut pre = broadcast(&self.params.b, cols);
        pre.gemm(T::one(), &self.params.w_in, &inputs, T::one());
        add_noise(pre.as_mut_slice(), noise.recurrent_std(alpha), rng);

        // The recurrence, step by step.
        let keep = self.keep();
        let mut act = DMatrix::zeros(n, cols);
        let mut rates = DMatrix::zeros(n, cols + nb);
        for t in 0..steps {
            let act_t = &mut act.as_mut_slice()[t * n * nb..(t + 1) * n * nb];
            self.step(
                t,
                nb,
                &keep,
                pre.as_mut_slice(),
                act_t,
                rates.as_mut_slice(),
            );
        }

        // Readout of r[1..=T], every step at once.
        let mut outputs = broadcast(&self.params.b_out, cols);
        outputs.gemm(
            T::one(),
            &self.params.w_out,
            &rates.columns(nb, cols),
            T::one(),
        );
        Ok(Trace {
            n_steps: steps,
            batch_size: nb,
            inputs,
            pre,
            act,
            rates,
            outputs,
        })
    }

    /// The forward pass without noise (no RNG needed).
    pub fn forward_clean(&self, batch: &Batch) -> Result<Trace<T>> {
        let mut rng = rand::SeedableRng::seed_from_u64(0);
        self.forward(batch, &NoiseConfig::off(), &mut rng)
    }

    /// Step `t`: adds `W_rec r[t]` block by block to `h[t]`, then writes `f(h[t])` to `act_t`
    /// and `r[t+1]` to `rates`. [`crate::replay`] reruns the recurrence through it too.
    pub(crate) fn step(
        &self,
        t: usize,
        nb: usize,
        keep: &[T],
        pre: &mut [T],
        act_t: &mut [T],
        rates: &mut [T],
    ) {
        let n = self.n_units();
        let w = n * nb;
        let (past, future) = rates.split_at_mut((t + 1) * w);
        let r_t = DMatrixView::from_slice(&past[t * w..], n, nb);
        let h_t = &mut pre[t * w..(t + 1) * w];
        let mut h_view = DMatrixViewMut::from_slice(h_t, n, nb);
        for blk in &self.blocks {
            let (s, k) = (blk.start, blk.len());
            let w_blk = self.params.w_rec.view((s, s), (k, k));
            h_view
                .rows_mut(s, k)
                .gemm(T::one(), &w_blk, &r_t.rows(s, k), T::one());
        }

        let alpha = T::of(self.alpha());
        let leak = T::one() - alpha;
        let f = self.config.activation;
        // TODO: `tanh` (the platform's `tanhf`, through `expm1f`) is about a third of native
        // training and evaluation time by `perf`; a vectorisable approximation would change the
        // pinned seeded losses and perhaps the default model's scores, so it needs both re-pinned
        // and the browser's agreement re-checked together.
        let r_now = past[t * w..].chunks_exact(n);
        let columns = future[..w]
            .chunks_exact_mut(n)
            .zip(act_t.chunks_exact_mut(n));
        for ((r_next, a), (r, h)) in columns.zip(r_now.zip(h_t.chunks_exact(n))) {
            for i in 0..n {
                a[i] = f.apply(h[i]);
                r_next[i] = keep[i] * (leak * r[i] + alpha * a[i]);
            }
        }
    }

    /// Checks that `batch` fits this network and is internally consistent.
    pub(crate) fn check_batch(&self, batch: &Batch) -> Result<()> {
        let (steps, nb) = (batch.n_steps, batch.batch_size);
        if batch.n_in != self.n_in() || batch.n_out != self.n_out() {
            return Err(Error::Shape(format!(
                "batch has {} inputs and {} outputs, network {} and {}",
                batch.n_in,
                batch.n_out,
                self.n_in(),
                self.n_out()
            )));
        }
        let out_len = steps * nb * batch.n_out;
        if batch.inputs.len() != steps * nb * batch.n_in
            || batch.targets.len() != out_len
            || batch.mask.len() != out_len
        {
            return Err(Error::Shape("batch buffers do not match its sizes".into()));
        }
        Ok(())
    }
}

/// The masked mean squared error of `tasks.md`:
/// `mean over t, b, c of (mask * (output - target))²`.
pub fn loss<T: Real>(trace: &Trace<T>, batch: &Batch) -> Result<T> {
    check_trace(trace, batch)?;
    let sum = trace
        .outputs
        .iter()
        .zip(batch.targets.iter().zip(&batch.mask))
        .map(|(&y, (&target, &m))| {
            let e = T::of(m as f64) * (y - T::of(target as f64));
            e * e
        })
        .fold(T::zero(), |a, e| a + e);
    Ok(sum / T::of(batch.targets.len().max(1) as f64))
}

/// Checks that `trace` came from a batch shaped like `batch`.
pub(crate) fn check_trace<T: Real>(trace: &Trace<T>, batch: &Batch) -> Result<()> {
    if trace.n_steps != batch.n_steps
        || trace.batch_size != batch.batch_size
        || trace.outputs.nrows() != batch.n_out
        || trace.outputs.len() != batch.targets.len()
        || batch.mask.len() != batch.targets.len()
    {
        return Err(Error::Shape("trace and batch differ in shape".into()));
    }
    Ok(())
}

/// A `len x cols` matrix whose every column is `v`.
fn broadcast<T: Real>(v: &DVector<T>, cols: usize) -> DMatrix<T> {
    DMatrix::from_fn(v.len(), cols, |i, _| v[i])
}

/// Adds independent `N(0, std²)` draws to every value; draws nothing when `std` is 0.
fn add_noise<T: Real>(values: &mut [T], std: f64, rng: &mut ChaCha8Rng) {
    if std == 0.0 {
        return;
    }
    for v in values {
        let z: f64 = rng.sample(StandardNormal);
        *v += T::of(std * z);
    }
}
