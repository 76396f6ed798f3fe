//! Builds a [`Batch`] from an explicit [`TrialSpec`]: the clean inputs, the targets, the cost
//! mask, the epochs and each trial's correct answer.
//!
//! Epoch names: Delay Pro / Anti have `"fixation"`, `"stimulus"`, `"response"` (the stimulus
//! stays on through the response epoch); Memory Pro / Anti have `"fixation"`, `"stimulus"`,
//! `"delay"`, `"response"`; the decision tasks have `"fixation"`, `"stimulus 1"`, `"delay 1"`,
//! `"stimulus 2"`, `"delay 2"`, `"response"`. Fixation offset (the go cue) is the start of
//! `"response"`.
//!
//! Cost mask, per step: 0 for the first `floor(100 / dt)` steps, 1 until fixation offset, 0 for
//! `floor(100 / dt)` grace steps after it, 5 to the end; the fixation output's weight is doubled.

use super::spec::{Steps, Stimuli, TrialSpec, check_stimuli, timing_steps};
use super::{Family, IN_FIXATION, IN_MOD1, IN_RULE, N_IN, N_OUT, OUT_FIXATION, OUT_RESPONSE};
use super::{IN_MOD2, Task};
use crate::batch::{Batch, Epoch, TrialInfo};
use crate::error::{Error, Result};
use std::f64::consts::{PI, TAU};

/// Target of the fixation output before fixation offset.
pub const FIXATION_TARGET: f32 = 0.8;
/// Length of the unweighted start of the trial and of the grace period after the go cue, ms.
pub const MASK_GRACE_MS: f64 = 100.0;
/// Mask weight before fixation offset (after the first 100 ms).
pub const MASK_BEFORE_GO: f32 = 1.0;
/// Mask weight from 100 ms after fixation offset to the end.
pub const MASK_AFTER_GO: f32 = 5.0;
/// Factor applied to the fixation output's mask weight.
pub const MASK_FIXATION_FACTOR: f32 = 2.0;

/// Builds exactly the trials of `spec` for `task` with steps of `dt_ms` milliseconds.
///
/// Fails with [`Error::InvalidConfig`] naming the field when `dt_ms` is not in `(0, 100]`, a
/// duration is negative, not finite, unused by the task yet non-zero, or an epoch that must
/// exist is shorter than one step; when there is no trial; or when a trial's stimuli are not
/// finite, have negative strength, sit in the wrong modality, or leave the answer undefined.
pub fn build(task: Task, spec: &TrialSpec, dt_ms: f64) -> Result<Batch> {
    let steps = timing_steps(task, &spec.timing, dt_ms)?;
    if spec.trials.is_empty() {
        return Err(Error::invalid("trials", "a batch needs at least one trial"));
    }
    for (i, s) in spec.trials.iter().enumerate() {
        check_stimuli(task, i, s)?;
    }

    let layout = Layout::new(task, &steps);
    let mut batch = empty_batch(&layout, spec.trials.len(), dt_ms);
    for (b, s) in spec.trials.iter().enumerate() {
        let info = trial_info(task, s);
        paint_inputs(&mut batch, task, &layout, b, s);
        paint_targets(&mut batch, b, info.response);
        batch.trials.push(info);
    }
    paint_mask(&mut batch, dt_ms);
    Ok(batch)
}

/// Where a batch's epochs and stimuli lie, in steps.
struct Layout {
    epochs: Vec<Epoch>,
    go: usize,
    end: usize,
    /// Stimulus windows, see [`Windows`].
    windows: Windows,
}

/// The steps during which stimulus 1 and stimulus 2 are on (empty when absent).
type Windows = [std::ops::Range<usize>; 2];

impl Layout {
    fn new(task: Task, steps: &Steps) -> Self {
        // Boundaries: running sums of the durations in the order of `Timing`'s fields.
        let mut b = [0usize; 7];
        for i in 0..6 {
            b[i + 1] = b[i] + steps[i];
        }
        let (go, end) = (b[5], b[6]);
        let (names, windows) = family_layout(task.family(), &b);
        // Unused durations are 0, so each family's last epoch before the response ends at go.
        let mut epochs: Vec<Epoch> = names
            .iter()
            .map(|&(n, i)| epoch(n, b[i], b[i + 1]))
            .collect();
        epochs.push(epoch("response", go, end));
        Layout {
            epochs,
            go,
            end,
            windows,
        }
    }
}

/// A family's epochs before the response, as (name, index of its first boundary), and the
/// steps of its two stimuli, given the epoch boundaries `b`.
fn family_layout(family: Family, b: &[usize; 7]) -> (&'static [(&'static str, usize)], Windows) {
    let end = b[6];
    match family {
        Family::Delay => (&[("fixation", 0), ("stimulus", 1)], [b[1]..end, 0..0]),
        Family::Memory => (
            &[("fixation", 0), ("stimulus", 1), ("delay", 2)],
            [b[1]..b[2], 0..0],
        ),
        Family::Decision => (
            &[
                ("fixation", 0),
                ("stimulus 1", 1),
                ("delay 1", 2),
                ("stimulus 2", 3),
                ("delay 2", 4),
            ],
            [b[1]..b[2], b[3]..b[4]],
        ),
    }
}

fn epoch(name: &str, start: usize, end: usize) -> Epoch {
    Epoch {
        name: name.to_string(),
        start,
        end,
    }
}

/// A zero-filled batch shaped by `layout`, with no trial info yet.
fn empty_batch(layout: &Layout, batch_size: usize, dt_ms: f64) -> Batch {
    let n = layout.end;
    Batch {
        n_steps: n,
        batch_size,
        n_in: N_IN,
        n_out: N_OUT,
        dt_ms,
        inputs: vec![0.0; n * batch_size * N_IN],
        targets: vec![0.0; n * batch_size * N_OUT],
        mask: vec![0.0; n * batch_size * N_OUT],
        epochs: layout.epochs.clone(),
        go_step: layout.go,
        trials: Vec::with_capacity(batch_size),
    }
}

/// The correct response direction of one trial, radians in `[0, 2π)`.
pub(crate) fn answer(task: Task, s: &Stimuli) -> f64 {
    let st = &s.strength;
    let pick = |a: f64, b: f64| if a > b { s.theta1 } else { s.theta2 };
    let phi = match task {
        Task::DelayPro | Task::MemoryPro => s.theta1,
        Task::DelayAnti | Task::MemoryAnti => s.theta1 + PI,
        Task::MemoryDm1 | Task::CtxMemoryDm1 => pick(st[0][0], st[0][1]),
        Task::MemoryDm2 | Task::CtxMemoryDm2 => pick(st[1][0], st[1][1]),
        Task::MultiMemoryDm => pick(s.total(0), s.total(1)),
    };
    wrap(phi)
}

/// `x` modulo 2π, in `[0, 2π)` (`rem_euclid` can round up to 2π itself for tiny negatives).
pub(crate) fn wrap(x: f64) -> f64 {
    let y = x.rem_euclid(TAU);
    if y >= TAU { 0.0 } else { y }
}

/// An angle in `[0, 2π)` as `f32`, still below 2π after rounding.
fn angle_f32(x: f64) -> f32 {
    let y = wrap(x) as f32;
    if y >= std::f32::consts::TAU { 0.0 } else { y }
}

fn trial_info(task: Task, s: &Stimuli) -> TrialInfo {
    let single = task.family() != Family::Decision;
    let theta2 = if single { s.theta1 } else { s.theta2 };
    TrialInfo {
        response: angle_f32(answer(task, s)),
        theta1: angle_f32(s.theta1),
        theta2: angle_f32(theta2),
    }
}

/// Writes trial `b`'s fixation cue, rule one-hot and stimuli.
fn paint_inputs(batch: &mut Batch, task: Task, layout: &Layout, b: usize, s: &Stimuli) {
    let rule = IN_RULE + task.index();
    for t in 0..batch.n_steps {
        let i = batch.index(t, b, 0, N_IN);
        batch.inputs[i + rule] = 1.0;
        if t < layout.go {
            batch.inputs[i + IN_FIXATION] = 1.0;
        }
    }

    let thetas = [wrap(s.theta1), wrap(s.theta2)];
    for (k, window) in layout.windows.iter().enumerate() {
        for (m, first) in [IN_MOD1, IN_MOD2].into_iter().enumerate() {
            let strength = s.strength[m][k];
            if strength == 0.0 {
                continue; // absent: the channels keep an exact +0
            }
            let x = (strength * libm::sin(thetas[k])) as f32;
            let y = (strength * libm::cos(thetas[k])) as f32;
            for t in window.clone() {
                let i = batch.index(t, b, first, N_IN);
                batch.inputs[i] = x;
                batch.inputs[i + 1] = y;
            }
        }
    }
}

/// Writes trial `b`'s targets: fixation until the go cue, then the response `(sin φ, cos φ)`.
fn paint_targets(batch: &mut Batch, b: usize, response: f32) {
    let phi = f64::from(response);
    let (x, y) = (libm::sin(phi) as f32, libm::cos(phi) as f32);
    for t in 0..batch.n_steps {
        let i = batch.index(t, b, 0, N_OUT);
        if t < batch.go_step {
            batch.targets[i + OUT_FIXATION] = FIXATION_TARGET;
        } else {
            batch.targets[i + OUT_RESPONSE] = x;
            batch.targets[i + OUT_RESPONSE + 1] = y;
        }
    }
}

/// The mask weight of step `t` (before the fixation output's doubling).
pub(crate) fn mask_weight(t: usize, go: usize, grace: usize) -> f32 {
    if t < grace {
        0.0
    } else if t < go {
        MASK_BEFORE_GO
    } else if t < go + grace {
        0.0
    } else {
        MASK_AFTER_GO
    }
}

/// Writes the cost mask of every trial.
fn paint_mask(batch: &mut Batch, dt_ms: f64) {
    let grace = (MASK_GRACE_MS / dt_ms).floor() as usize;
    for t in 0..batch.n_steps {
        let w = mask_weight(t, batch.go_step, grace);
        for b in 0..batch.batch_size {
            let i = batch.index(t, b, 0, N_OUT);
            batch.mask[i..i + N_OUT].fill(w);
            batch.mask[i + OUT_FIXATION] = w * MASK_FIXATION_FACTOR;
        }
    }
}
