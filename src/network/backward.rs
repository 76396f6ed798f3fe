//! Exact backpropagation through time of the masked loss.
//!
//! With `N = T B n_out` and `g[t] = dL/dr[t]` (the total derivative, `n x B`), going from the
//! last step to the first:
//!
//! ```text
//! dy[t]  = 2 m² ⊙ (y[t] - target[t]) / N                       (n_out x B)
//! g[t+1] += W_out^T dy[t]
//! dh[t]  = keep ⊙ g[t+1] ⊙ alpha f'(h[t])                      (n x B)
//! g[t]   = (1 - alpha) keep ⊙ g[t+1] + W_rec^T dh[t]           (block by block)
//! ```
//!
//! and then, over all steps at once (`X`, `R_prev`, `R_next`, `DH`, `DY` are the per-step
//! matrices side by side):
//!
//! ```text
//! dW_in  = DH X~^T     dW_rec = (DH R_prev^T) ⊙ mask     db     = Σ_columns DH
//! dW_out = DY R_next^T                                     db_out = Σ_columns DY
//! ```
//!
//! Silenced units pass no gradient (their `keep` is 0), and only blocks of the structure are
//! ever computed, so gradients of absent recurrent weights are exactly 0.

use nalgebra::{DMatrix, DMatrixView, DMatrixViewMut};

use super::forward::check_trace;
use super::{Group, Network, Params, Trace};
use crate::batch::Batch;
use crate::error::Result;
use crate::real::Real;

impl<T: Real> Network<T> {
    /// The gradient of [`loss`](super::loss)`(trace, batch)` with respect to every parameter,
    /// for the trace this network's [`forward`](Network::forward) produced on `batch`.
    pub fn backward(&self, trace: &Trace<T>, batch: &Batch) -> Result<Params<T>> {
        self.backward_of(trace, batch, &Group::ALL)
    }

    /// [`Network::backward`] for the groups in `groups` only; the other groups' gradients are
    /// left at 0 and cost nothing (a method that freezes `W_rec` never pays for its gradient,
    /// the most expensive one).
    pub fn backward_of(
        &self,
        trace: &Trace<T>,
        batch: &Batch,
        groups: &[Group],
    ) -> Result<Params<T>> {
        check_trace(trace, batch)?;
        self.check_batch(batch)?;
        let (nb, steps) = (trace.batch_size, trace.n_steps);
        let cols = nb * steps;
        let wants = |g| groups.contains(&g);
        let mut grads = self.params.zeros_like();

        // Output errors of every step: all the readout needs.
        let d_y = output_errors(trace, batch);
        let r_next = trace.rates.columns(nb, cols);
        if wants(Group::WOut) {
            grads
                .w_out
                .gemm(T::one(), &d_y, &r_next.transpose(), T::zero());
        }
        if wants(Group::BOut) {
            grads.b_out = d_y.column_sum();
        }
        if !(wants(Group::WIn) || wants(Group::WRec) || wants(Group::B)) {
            return Ok(grads);
        }

        // The pre-activation errors, step by step.
        let d_h = self.pre_activation_errors(trace, &d_y);

        // Parameter gradients over all steps at once.
        if wants(Group::WRec) {
            let r_prev = trace.rates.columns(0, cols);
            for blk in &self.blocks {
                let (s, k) = (blk.start, blk.len());
                let r_blk_t = r_prev.rows(s, k).transpose();
                grads.w_rec.view_mut((s, s), (k, k)).gemm(
                    T::one(),
                    &d_h.rows(s, k),
                    &r_blk_t,
                    T::zero(),
                );
            }
        }
        if wants(Group::WIn) {
            let inputs_t = trace.inputs.transpose();
            grads.w_in.gemm(T::one(), &d_h, &inputs_t, T::zero());
        }
        if wants(Group::B) {
            grads.b = d_h.column_sum();
        }
        Ok(grads)
    }

    /// `dL/dh` of every step, `n x (T B)`, from the output errors `d_y`: the recurrence of the
    /// module docs, run from the last step to the first.
    fn pre_activation_errors(&self, trace: &Trace<T>, d_y: &DMatrix<T>) -> DMatrix<T> {
        let (n, nb, steps) = (self.n_units(), trace.batch_size, trace.n_steps);
        // Transposed weights, so every product below is a plain (fast) matrix product.
        let w_out_t = self.params.w_out.transpose();
        let w_rec_t = self.params.w_rec.transpose();
        let mut d_h = DMatrix::zeros(n, nb * steps);
        let mut g = DMatrix::zeros(n, nb);
        let keep = self.keep();
        for t in (0..steps).rev() {
            g.gemm(T::one(), &w_out_t, &d_y.columns(t * nb, nb), T::one());
            let d_h_t = &mut d_h.as_mut_slice()[t * n * nb..(t + 1) * n * nb];
            self.step_back(t, &keep, trace, &w_rec_t, &mut g, d_h_t);
        }
        d_h
    }

    /// One step back: turns `g = dL/dr[t+1]` into `dh[t]` (written to `d_h_t`) and then into
    /// `g = dL/dr[t]` (through the leak and `W_rec`, the latter without `W_out`'s term).
    /// `w_rec_t` is `W_rec` transposed.
    fn step_back(
        &self,
        t: usize,
        keep: &[T],
        trace: &Trace<T>,
        w_rec_t: &DMatrix<T>,
        g: &mut DMatrix<T>,
        d_h_t: &mut [T],
    ) {
        let (n, nb) = (self.n_units(), trace.batch_size);
        let alpha = T::of(self.alpha());
        let leak = T::one() - alpha;
        let f = self.config.activation;
        let range = t * n * nb..(t + 1) * n * nb;
        let h_t = &trace.pre.as_slice()[range.clone()];
        let a_t = &trace.act.as_slice()[range];
        // Column by column (one trial each), so every unit's `keep` is at hand without a modulo.
        let columns = g
            .as_mut_slice()
            .chunks_exact_mut(n)
            .zip(d_h_t.chunks_exact_mut(n));
        let inputs = h_t.chunks_exact(n).zip(a_t.chunks_exact(n));
        for ((g_col, dh_col), (h_col, a_col)) in columns.zip(inputs) {
            for i in 0..n {
                let kept = keep[i] * g_col[i];
                dh_col[i] = kept * alpha * f.derivative_given(h_col[i], a_col[i]);
                g_col[i] = leak * kept;
            }
        }

        let d_h_view = DMatrixView::from_slice(d_h_t, n, nb);
        let mut g_view = DMatrixViewMut::from_slice(g.as_mut_slice(), n, nb);
        for blk in &self.blocks {
            let (s, k) = (blk.start, blk.len());
            let w_blk_t = w_rec_t.view((s, s), (k, k));
            g_view
                .rows_mut(s, k)
                .gemm(T::one(), &w_blk_t, &d_h_view.rows(s, k), T::one());
        }
    }
}

/// `dL/dy = 2 m² (y - target) / N` for every step, `n_out x (T B)`.
fn output_errors<T: Real>(trace: &Trace<T>, batch: &Batch) -> DMatrix<T> {
    let scale = T::of(2.0 / batch.targets.len().max(1) as f64);
    let mut d_y = trace.outputs.clone();
    for (d, (&target, &m)) in d_y.iter_mut().zip(batch.targets.iter().zip(&batch.mask)) {
        let m = T::of(m as f64);
        *d = scale * m * m * (*d - T::of(target as f64));
    }
    d_y
}
