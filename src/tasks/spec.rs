//! An explicit description of a batch of trials, and its validation: the epoch durations
//! shared by the batch (ms) and each trial's stimulus directions (radians) and strengths.
//!
//! Durations become steps one by one as `floor(ms / dt)`, and the epoch boundaries are the
//! running sums of those whole steps. This is how the reference implementation of Yang et al.
//! turns each drawn duration into steps; flooring the absolute times instead could shift a
//! boundary by one step.

use super::{Family, Task};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// Epoch durations of every trial of a batch, ms. Which fields a task uses:
///
/// | field | Delay Pro / Anti | Memory Pro / Anti | the five decision tasks |
/// |---|---|---|---|
/// | `fixation_ms` | before stimulus onset | before stimulus onset | before stimulus 1 |
/// | `stimulus1_ms` | onset to fixation offset | stimulus duration | stimulus 1 duration |
/// | `delay1_ms` | must be 0 | stimulus end to fixation offset | between the stimuli |
/// | `stimulus2_ms` | must be 0 | must be 0 | stimulus 2 duration |
/// | `delay2_ms` | must be 0 | must be 0 | stimulus 2 end to fixation offset |
/// | `response_ms` | fixation offset to the end | same | same |
///
/// In Delay Pro / Anti the stimulus stays on through the response epoch.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Timing {
    /// Fixation alone at the start of the trial, ms.
    pub fixation_ms: f64,
    /// The first (or only) stimulus epoch, ms; at least one step.
    pub stimulus1_ms: f64,
    /// The delay after the first stimulus, ms.
    pub delay1_ms: f64,
    /// The second stimulus epoch, ms; at least one step in the decision tasks.
    pub stimulus2_ms: f64,
    /// The delay between the second stimulus and fixation offset, ms.
    pub delay2_ms: f64,
    /// From fixation offset (the go cue) to the end of the trial, ms; at least one step.
    pub response_ms: f64,
}

/// A stimulus modality: which pair of input channels carries a stimulus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Modality {
    /// Input channels 1 and 2.
    One,
    /// Input channels 3 and 4.
    Two,
}

impl Modality {
    /// 0 for modality 1, 1 for modality 2: the first index of [`Stimuli::strength`].
    pub fn index(self) -> usize {
        match self {
            Modality::One => 0,
            Modality::Two => 1,
        }
    }
}

/// The stimuli of one trial.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Stimuli {
    /// Direction of stimulus 1, radians; any finite value, taken modulo 2π.
    pub theta1: f64,
    /// Direction of stimulus 2, radians; ignored (set to `theta1`) in single-stimulus tasks.
    pub theta2: f64,
    /// `strength[m][k]`: strength of stimulus `k + 1` in modality `m + 1`, dimensionless,
    /// finite and non-negative; 0 means absent.
    pub strength: [[f64; 2]; 2],
}

impl Stimuli {
    /// One stimulus at `theta` (radians) in `modality`, for the pro and anti tasks.
    pub fn single(theta: f64, modality: Modality, strength: f64) -> Self {
        let mut s = [[0.0; 2]; 2];
        s[modality.index()][0] = strength;
        Stimuli {
            theta1: theta,
            theta2: theta,
            strength: s,
        }
    }

    /// Two stimuli at `theta1`, `theta2` (radians), with strengths `[stimulus 1, stimulus 2]`
    /// in modality 1 and in modality 2.
    pub fn pair(theta1: f64, theta2: f64, mod1: [f64; 2], mod2: [f64; 2]) -> Self {
        Stimuli {
            theta1,
            theta2,
            strength: [mod1, mod2],
        }
    }

    /// Summed strength of stimulus `k` (0 or 1) over both modalities.
    pub fn total(&self, k: usize) -> f64 {
        self.strength[0][k] + self.strength[1][k]
    }
}

/// An explicit batch: shared timing and one [`Stimuli`] per trial.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrialSpec {
    /// Epoch durations shared by every trial.
    pub timing: Timing,
    /// One entry per trial; at least one.
    pub trials: Vec<Stimuli>,
}

/// Epoch durations in whole steps, in the order of [`Timing`]'s fields.
pub(crate) type Steps = [usize; 6];

/// Checks `dt_ms` and the timing for `task`, and returns the epoch durations in steps.
pub(crate) fn timing_steps(task: Task, t: &Timing, dt_ms: f64) -> Result<Steps> {
    check_dt(dt_ms)?;
    let fields = [
        ("timing.fixation_ms", t.fixation_ms),
        ("timing.stimulus1_ms", t.stimulus1_ms),
        ("timing.delay1_ms", t.delay1_ms),
        ("timing.stimulus2_ms", t.stimulus2_ms),
        ("timing.delay2_ms", t.delay2_ms),
        ("timing.response_ms", t.response_ms),
    ];
    // Which fields the task uses, and which of those must last at least one step.
    let (used, nonempty) = match task.family() {
        Family::Delay => ([true, true, false, false, false, true], [1, 5].as_slice()),
        Family::Memory => ([true, true, true, false, false, true], [1, 5].as_slice()),
        Family::Decision => ([true; 6], [1, 3, 5].as_slice()),
    };
    let mut steps = [0; 6];
    for (i, &(field, ms)) in fields.iter().enumerate() {
        steps[i] = duration_steps(task, field, ms, dt_ms, (used[i], nonempty.contains(&i)))?;
    }
    Ok(steps)
}

/// One duration in whole steps, `floor(ms / dt)`, checked against whether `task` uses the
/// epoch and whether the epoch must last at least one step.
fn duration_steps(
    task: Task,
    field: &str,
    ms: f64,
    dt_ms: f64,
    (used, nonempty): (bool, bool),
) -> Result<usize> {
    if !ms.is_finite() || ms < 0.0 {
        let why = format!("{ms} ms is not a finite duration ≥ 0");
        return Err(Error::invalid(field, why));
    }
    if !used && ms != 0.0 {
        let why = format!("{} has no such epoch; use 0", task.name());
        return Err(Error::invalid(field, why));
    }
    let steps = (ms / dt_ms).floor() as usize;
    if nonempty && steps == 0 {
        let why = format!("{ms} ms is less than one step of {dt_ms} ms");
        return Err(Error::invalid(field, why));
    }
    Ok(steps)
}

/// Largest step accepted, ms: every randomly drawn epoch then lasts at least one step.
pub(crate) const MAX_DT_MS: f64 = 100.0;

/// Checks the step length.
pub(crate) fn check_dt(dt_ms: f64) -> Result<()> {
    if dt_ms.is_finite() && dt_ms > 0.0 && dt_ms <= MAX_DT_MS {
        Ok(())
    } else {
        Err(Error::invalid(
            "dt_ms",
            format!("{dt_ms} is not in (0, {MAX_DT_MS}] ms"),
        ))
    }
}

/// Checks one trial's stimuli for `task`; `i` is its position, for the error's field name.
pub(crate) fn check_stimuli(task: Task, i: usize, s: &Stimuli) -> Result<()> {
    for (name, theta) in [("theta1", s.theta1), ("theta2", s.theta2)] {
        if !theta.is_finite() {
            return Err(Error::invalid(
                &format!("trials[{i}].{name}"),
                "must be finite",
            ));
        }
    }
    for (m, k) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
        let v = s.strength[m][k];
        if !v.is_finite() || v < 0.0 {
            let field = format!("trials[{i}].strength[{m}][{k}]");
            return Err(Error::invalid(
                &field,
                format!("{v} is not a finite strength ≥ 0"),
            ));
        }
    }
    check_layout(task, s).map_err(|reason| Error::invalid(&format!("trials[{i}]"), reason))
}

/// Checks that the stimuli are present where `task` needs them and that the answer is defined.
fn check_layout(task: Task, s: &Stimuli) -> std::result::Result<(), String> {
    let st = &s.strength;
    match task {
        _ if task.family() != Family::Decision => {
            let (a, b) = (st[0][0] > 0.0, st[1][0] > 0.0);
            if st[0][1] != 0.0 || st[1][1] != 0.0 {
                Err(format!(
                    "{} has no stimulus 2; its strengths must be 0",
                    task.name()
                ))
            } else if a == b {
                Err("the stimulus must be on in exactly one modality".into())
            } else {
                Ok(())
            }
        }
        Task::MemoryDm1 | Task::MemoryDm2 => {
            let m = usize::from(task == Task::MemoryDm2);
            if st[1 - m] != [0.0, 0.0] {
                Err(format!("{} uses modality {} only", task.name(), m + 1))
            } else {
                distinct(st[m][0], st[m][1], "the two strengths")
            }
        }
        Task::CtxMemoryDm1 => distinct(st[0][0], st[0][1], "the modality 1 strengths"),
        Task::CtxMemoryDm2 => distinct(st[1][0], st[1][1], "the modality 2 strengths"),
        _ => distinct(s.total(0), s.total(1), "the summed strengths"),
    }
}

/// The answer of a decision is defined only when the compared strengths differ.
fn distinct(a: f64, b: f64, what: &str) -> std::result::Result<(), String> {
    if a == b {
        Err(format!(
            "{what} are equal ({a}), so neither stimulus is the answer"
        ))
    } else {
        Ok(())
    }
}
