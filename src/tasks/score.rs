//! Scoring at the last step of a trial: the network fixates when its fixation output is above
//! 0.5; otherwise its answer is `atan2(out_1, out_2)` modulo 2π, correct within 0.2π of the
//! correct direction on the circle.

use super::{N_OUT, OUT_FIXATION, OUT_RESPONSE};
use crate::batch::Batch;
use std::f64::consts::{PI, TAU};

/// Largest angular error of a correct response, radians (0.2π, 36°). An error of exactly this
/// much counts as wrong, as in the reference implementation (`dist < 0.2π`).
pub const RESPONSE_TOLERANCE: f64 = 0.2 * PI;
/// The fixation output above which the network is taken to be still fixating.
pub const FIXATION_THRESHOLD: f32 = 0.5;

/// Distance between two angles on the circle, radians in `[0, π]`.
pub fn angular_distance(a: f64, b: f64) -> f64 {
    let d = (a - b).rem_euclid(TAU);
    d.min(TAU - d)
}

/// Whether one trial's last-step outputs answer `response` (radians): not fixating
/// (`fixation_out <= 0.5`) and `atan2(out1, out2)` within [`RESPONSE_TOLERANCE`] of it.
pub fn trial_correct(fixation_out: f32, out1: f32, out2: f32, response: f32) -> bool {
    if fixation_out > FIXATION_THRESHOLD || fixation_out.is_nan() {
        return false;
    }
    let decoded = libm::atan2(f64::from(out1), f64::from(out2)).rem_euclid(TAU);
    angular_distance(decoded, f64::from(response)) < RESPONSE_TOLERANCE
}

/// Fraction of correct trials of `batch`, in `[0, 1]`, given the network's outputs at the
/// last step: `batch_size * 3` values (fixation, out 1, out 2), trial after trial.
///
/// # Panics
///
/// When `last_step_outputs` does not hold `batch.batch_size * 3` values.
pub fn performance(last_step_outputs: &[f32], batch: &Batch) -> f64 {
    assert_eq!(
        last_step_outputs.len(),
        batch.batch_size * N_OUT,
        "performance needs batch_size * 3 last-step outputs"
    );
    if batch.batch_size == 0 {
        return 0.0;
    }
    let correct = batch
        .trials
        .iter()
        .zip(last_step_outputs.chunks_exact(N_OUT))
        .filter(|(info, o)| {
            let (x, y) = (o[OUT_RESPONSE], o[OUT_RESPONSE + 1]);
            trial_correct(o[OUT_FIXATION], x, y, info.response)
        })
        .count();
    correct as f64 / batch.batch_size as f64
}
