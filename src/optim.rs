//! Adam with global-norm gradient clipping, restricted to the trainable parameter groups, and
//! the divergence test the training loop applies after each step.
//!
//! For a trainable group, with gradient `g` (after clipping), step count `k` (from 1):
//!
//! ```text
//! g <- g * min(1, clip_norm / ||g||)      (||.|| over all trainable groups together)
//! m <- beta1 m + (1 - beta1) g            v <- beta2 v + (1 - beta2) g²
//! θ <- θ - lr (m / (1 - beta1^k)) / (sqrt(v / (1 - beta2^k)) + eps)
//! ```
//!
//! Recurrent weights outside the network's structural mask are never written, so training can
//! never create a connection between modules. Frozen groups are not touched at all.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::network::{Group, Network, Params};
use crate::real::Real;

/// Which parameter groups a method trains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trainable {
    /// Train the input weights `w_in`.
    pub w_in: bool,
    /// Train the recurrent weights `w_rec` (existing entries only).
    pub w_rec: bool,
    /// Train the unit biases `b`.
    pub b: bool,
    /// Train the readout weights `w_out`.
    pub w_out: bool,
    /// Train the readout biases `b_out`.
    pub b_out: bool,
}

impl Trainable {
    /// Every group (the monolithic baseline, and module pre-training).
    pub fn all() -> Self {
        Trainable {
            w_in: true,
            w_rec: true,
            b: true,
            w_out: true,
            b_out: true,
        }
    }

    /// Only the input and output maps `w_in`, `w_out`, `b_out` (MoLaP and the frozen baselines).
    pub fn input_output() -> Self {
        Trainable {
            w_in: true,
            w_rec: false,
            b: false,
            w_out: true,
            b_out: true,
        }
    }

    /// Whether group `g` trains.
    pub fn contains(&self, g: Group) -> bool {
        match g {
            Group::WIn => self.w_in,
            Group::WRec => self.w_rec,
            Group::B => self.b,
            Group::WOut => self.w_out,
            Group::BOut => self.b_out,
        }
    }

    /// The trainable groups, in [`Group::ALL`] order.
    pub fn groups(&self) -> Vec<Group> {
        Group::ALL
            .into_iter()
            .filter(|&g| self.contains(g))
            .collect()
    }

    /// How many parameters of `net` train (recurrent weights outside the structure excluded).
    pub fn count<T: Real>(&self, net: &Network<T>) -> usize {
        let existing_rec = net.rec_mask().iter().filter(|&&m| m != T::zero()).count();
        self.groups()
            .into_iter()
            .map(|g| {
                if g == Group::WRec {
                    existing_rec
                } else {
                    net.params.group(g).len()
                }
            })
            .sum()
    }
}

/// Adam's settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AdamConfig {
    /// Learning rate, parameter units per step (1e-3).
    pub lr: f64,
    /// Decay of the first-moment estimate per step (0.9).
    pub beta1: f64,
    /// Decay of the second-moment estimate per step (0.999).
    pub beta2: f64,
    /// Added to the root of the second moment to avoid division by zero (1e-8).
    pub eps: f64,
    /// Largest global gradient norm before clipping; `None` disables clipping (1.0, which
    /// tames the rare exploding gradient of long trials without slowing ordinary steps).
    pub clip_norm: Option<f64>,
}

impl Default for AdamConfig {
    fn default() -> Self {
        AdamConfig {
            lr: 1e-3,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            clip_norm: Some(1.0),
        }
    }
}

impl AdamConfig {
    /// Checks every field; the error names the first bad one.
    pub fn validate(&self) -> Result<()> {
        let unit = |x: f64| (0.0..1.0).contains(&x);
        if !(self.lr.is_finite() && self.lr > 0.0) {
            return Err(Error::invalid("lr", "must be finite and positive"));
        }
        if !unit(self.beta1) {
            return Err(Error::invalid("beta1", "must be in [0, 1)"));
        }
        if !unit(self.beta2) {
            return Err(Error::invalid("beta2", "must be in [0, 1)"));
        }
        if !(self.eps.is_finite() && self.eps > 0.0) {
            return Err(Error::invalid("eps", "must be finite and positive"));
        }
        match self.clip_norm {
            Some(c) if !(c.is_finite() && c > 0.0) => {
                Err(Error::invalid("clip_norm", "must be finite and positive"))
            }
            _ => Ok(()),
        }
    }
}

/// What one optimiser step did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepInfo {
    /// Global norm of the trainable gradient before clipping.
    pub grad_norm: f64,
    /// Whether the gradient was scaled down.
    pub clipped: bool,
}

/// The Adam optimiser's state for one network.
#[derive(Debug, Clone, PartialEq)]
pub struct Adam<T: Real> {
    /// Settings.
    pub config: AdamConfig,
    /// First-moment estimates, shaped like the network's parameters.
    pub m: Params<T>,
    /// Second-moment estimates.
    pub v: Params<T>,
    /// Steps taken so far.
    pub steps: u64,
}

impl<T: Real> Adam<T> {
    /// Fresh state (zero moments) for `net`.
    pub fn new(config: AdamConfig, net: &Network<T>) -> Result<Self> {
        config.validate()?;
        let m = net.params.zeros_like();
        Ok(Adam {
            config,
            v: m.clone(),
            m,
            steps: 0,
        })
    }

    /// One update of the trainable groups of `net` from `grads` (shaped like its parameters).
    /// Frozen groups and absent recurrent weights are left bit for bit as they were.
    pub fn step(
        &mut self,
        net: &mut Network<T>,
        grads: &Params<T>,
        trainable: &Trainable,
    ) -> Result<StepInfo> {
        if grads.w_rec.shape() != net.params.w_rec.shape()
            || grads.n_in() != net.n_in()
            || grads.n_out() != net.n_out()
        {
            return Err(Error::Shape("gradient and network differ in shape".into()));
        }
        let groups = trainable.groups();
        let grad_norm = grads.norm_sq_of(&groups).sqrt();
        let scale = clip_scale(grad_norm, self.config.clip_norm);
        self.steps += 1;

        let c = self.config;
        let k = self.steps as f64;
        let bias1 = 1.0 - c.beta1.powf(k);
        let bias2 = 1.0 - c.beta2.powf(k);
        let (params, mask) = net.params_and_mask_mut();
        let mask = mask.as_slice();
        for g in groups {
            let (m, v) = (self.m.group_mut(g), self.v.group_mut(g));
            let theta = params.group_mut(g);
            for (i, (&d, th)) in grads.group(g).iter().zip(theta.iter_mut()).enumerate() {
                if g == Group::WRec && mask[i] == T::zero() {
                    continue;
                }
                let d = d.to_f64() * scale;
                let mi = c.beta1 * m[i].to_f64() + (1.0 - c.beta1) * d;
                let vi = c.beta2 * v[i].to_f64() + (1.0 - c.beta2) * d * d;
                m[i] = T::of(mi);
                v[i] = T::of(vi);
                *th -= T::of(c.lr * (mi / bias1) / ((vi / bias2).sqrt() + c.eps));
            }
        }
        Ok(StepInfo {
            grad_norm,
            clipped: scale < 1.0,
        })
    }
}

/// The factor that brings a gradient of norm `norm` down to at most `clip_norm`: 1 when no
/// clipping is needed (or set), `clip_norm / norm` otherwise.
pub fn clip_scale(norm: f64, clip_norm: Option<f64>) -> f64 {
    match clip_norm {
        Some(c) if norm > c => c / norm,
        _ => 1.0,
    }
}

/// When the training loop should give up on a run (see [`DivergenceCheck::check`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DivergenceCheck {
    /// A loss larger than this many times the reference (first) loss counts as exploding (100).
    pub loss_factor: f64,
    /// A gradient norm above this counts as exploding, before clipping (1e6).
    pub max_grad_norm: f64,
}

impl Default for DivergenceCheck {
    fn default() -> Self {
        DivergenceCheck {
            loss_factor: 100.0,
            max_grad_norm: 1e6,
        }
    }
}

impl DivergenceCheck {
    /// `Ok` while training is healthy; [`Error::Diverged`] when the loss or the gradient norm
    /// is NaN or infinite, the loss exceeds `loss_factor` times `reference_loss` (the loss at
    /// the start of training; ignored when not positive), or the gradient norm exceeds
    /// `max_grad_norm`. The caller keeps its last good weights.
    pub fn check(
        &self,
        iteration: usize,
        loss: f64,
        grad_norm: f64,
        reference_loss: f64,
    ) -> Result<()> {
        let reason = if !loss.is_finite() {
            Some(format!("the loss is {loss}"))
        } else if !grad_norm.is_finite() {
            Some(format!("the gradient norm is {grad_norm}"))
        } else if reference_loss > 0.0 && loss > self.loss_factor * reference_loss {
            Some(format!(
                "the loss {loss:.3e} exploded from {reference_loss:.3e}"
            ))
        } else if grad_norm > self.max_grad_norm {
            Some(format!("the gradient norm {grad_norm:.3e} exploded"))
        } else {
            None
        };
        match reason {
            Some(reason) => Err(Error::Diverged { iteration, reason }),
            None => Ok(()),
        }
    }
}
