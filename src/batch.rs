//! A batch of trials laid out for the network: time-major, contiguous buffers.
//!
//! Value `(t, b, c)` of `inputs`, `targets` or `mask` lives at index
//! `(t * batch_size + b) * channels + c`, so the data of one time step is one contiguous slice
//! (`batch_size * channels` values) that the network reads as a `channels x batch_size`
//! column-major matrix: column `b` is trial `b`.

use serde::{Deserialize, Serialize};

/// A named period of a trial, in steps: `start..end` (half-open).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Epoch {
    /// "fixation", "stimulus", "delay", "stimulus 1", "delay 1", "stimulus 2", "delay 2",
    /// "response" (the task corpus's names; see `tasks`).
    pub name: String,
    /// First step of the epoch.
    pub start: usize,
    /// One past the last step of the epoch.
    pub end: usize,
}

/// What is known about one trial besides its arrays.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TrialInfo {
    /// The correct response direction, radians in `[0, 2π)`.
    pub response: f32,
    /// The direction of the first (or only) stimulus, radians in `[0, 2π)`.
    pub theta1: f32,
    /// The direction of the second stimulus (equal to `theta1` in single-stimulus tasks).
    pub theta2: f32,
}

/// A batch of trials: inputs, targets and cost mask over time, with the epoch boundaries the
/// trials share and each trial's correct answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Batch {
    /// Number of Euler steps of every trial in the batch.
    pub n_steps: usize,
    /// Number of trials.
    pub batch_size: usize,
    /// Input channels (14 for the task corpus).
    pub n_in: usize,
    /// Output channels (3 for the task corpus; the number of primitives when pre-training).
    pub n_out: usize,
    /// Step length, ms.
    pub dt_ms: f64,
    /// `n_steps * batch_size * n_in` input values, time-major.
    pub inputs: Vec<f32>,
    /// `n_steps * batch_size * n_out` target values, time-major.
    pub targets: Vec<f32>,
    /// `n_steps * batch_size * n_out` cost-mask weights, time-major.
    pub mask: Vec<f32>,
    /// The epochs shared by every trial of the batch, in order.
    pub epochs: Vec<Epoch>,
    /// The step of fixation offset (the go cue).
    pub go_step: usize,
    /// One entry per trial.
    pub trials: Vec<TrialInfo>,
}

impl Batch {
    /// The inputs of step `t`: `batch_size * n_in` values, trial after trial.
    pub fn inputs_at(&self, t: usize) -> &[f32] {
        let w = self.batch_size * self.n_in;
        &self.inputs[t * w..(t + 1) * w]
    }

    /// The targets of step `t`: `batch_size * n_out` values, trial after trial.
    pub fn targets_at(&self, t: usize) -> &[f32] {
        let w = self.batch_size * self.n_out;
        &self.targets[t * w..(t + 1) * w]
    }

    /// The cost mask of step `t`: `batch_size * n_out` values, trial after trial.
    pub fn mask_at(&self, t: usize) -> &[f32] {
        let w = self.batch_size * self.n_out;
        &self.mask[t * w..(t + 1) * w]
    }

    /// Index of value `(t, b, c)` in a time-major buffer with `channels` channels.
    pub fn index(&self, t: usize, b: usize, c: usize, channels: usize) -> usize {
        (t * self.batch_size + b) * channels + c
    }
}
