//! The task corpus: nine delayed-response tasks (Yang et al. 2019, in the two-dimensional angle
//! code of Duncker, Driscoll et al. 2020), turned into batches of trials for the network.
//!
//! Every trial has [`N_IN`] = 14 input channels and [`N_OUT`] = 3 output channels:
//!
//! | input | meaning |
//! |---|---|
//! | [`IN_FIXATION`] | 1 from the start until fixation offset (the go cue), then 0 |
//! | [`IN_MOD1`], `IN_MOD1 + 1` | modality 1 stimulus `strength * (sin θ, cos θ)` while on |
//! | [`IN_MOD2`], `IN_MOD2 + 1` | modality 2 stimulus, same code |
//! | [`IN_RULE`] + task index | rule one-hot, 1 for the whole trial |
//!
//! | output | target |
//! |---|---|
//! | [`OUT_FIXATION`] | 0.8 until fixation offset, then 0 |
//! | [`OUT_RESPONSE`], `OUT_RESPONSE + 1` | `(sin φ, cos φ)` of the answer φ after the go cue |
//!
//! Inputs are clean: the network adds its own input noise. Batches come from three places, all
//! through the same builder so they cannot disagree:
//!
//! - [`build`] turns an explicit [`TrialSpec`] (epoch durations in ms, stimuli per trial) into
//!   a [`Batch`](crate::batch::Batch);
//! - [`generate`] draws a spec with the corpus's random rules ([`draw_spec`]) and builds it;
//! - [`eval_batch`] is [`generate`] from a fixed seed per task, for scoring.
//!
//! ```
//! use molap_lab::tasks::{generate_seeded, Task, N_IN};
//!
//! let batch = generate_seeded(Task::MemoryPro, 16, 20.0, 7).unwrap();
//! assert_eq!(batch.batch_size, 16);
//! assert_eq!(batch.inputs.len(), batch.n_steps * 16 * N_IN);
//! ```

mod build;
mod random;
mod score;
mod spec;

pub use build::{FIXATION_TARGET, MASK_AFTER_GO, MASK_BEFORE_GO, MASK_FIXATION_FACTOR};
pub use build::{MASK_GRACE_MS, build};
pub use random::{EVAL_BATCH_SIZE, EVAL_SEED_BASE, draw_spec, eval_batch, eval_seed};
pub use random::{generate, generate_seeded};
pub use score::{
    FIXATION_THRESHOLD, RESPONSE_TOLERANCE, angular_distance, performance, trial_correct,
};
pub use spec::{Modality, Stimuli, Timing, TrialSpec};

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Number of input channels.
pub const N_IN: usize = 14;
/// Number of output channels.
pub const N_OUT: usize = 3;
/// Number of tasks in the corpus.
pub const N_TASKS: usize = 9;

/// Input channel of the fixation cue.
pub const IN_FIXATION: usize = 0;
/// First of the two input channels of modality 1 (`sin θ`, then `cos θ`).
pub const IN_MOD1: usize = 1;
/// First of the two input channels of modality 2 (`sin θ`, then `cos θ`).
pub const IN_MOD2: usize = 3;
/// First rule channel: task `k` (see [`Task::index`]) is signalled on `IN_RULE + k`.
pub const IN_RULE: usize = 5;

/// Output channel of the fixation target.
pub const OUT_FIXATION: usize = 0;
/// First of the two response output channels (`sin φ`, then `cos φ`).
pub const OUT_RESPONSE: usize = 1;

/// The nine tasks, in the corpus's order. Serialised by their short names (`"delaypro"`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Task {
    /// The stimulus stays on; at fixation offset respond toward it.
    #[serde(rename = "delaypro")]
    DelayPro,
    /// As Delay Pro, respond in the opposite direction (θ + π).
    #[serde(rename = "delayanti")]
    DelayAnti,
    /// The stimulus is shown briefly, then a memory delay; respond toward it.
    #[serde(rename = "memorypro")]
    MemoryPro,
    /// As Memory Pro, respond in the opposite direction (θ + π).
    #[serde(rename = "memoryanti")]
    MemoryAnti,
    /// Two sequential stimuli in modality 1; respond toward the stronger.
    #[serde(rename = "memorydm1")]
    MemoryDm1,
    /// Two sequential stimuli in modality 2; respond toward the stronger.
    #[serde(rename = "memorydm2")]
    MemoryDm2,
    /// Both modalities carry two stimuli; respond toward the stronger in modality 1.
    #[serde(rename = "ctxmemorydm1")]
    CtxMemoryDm1,
    /// Both modalities carry two stimuli; respond toward the stronger in modality 2.
    #[serde(rename = "ctxmemorydm2")]
    CtxMemoryDm2,
    /// Both modalities carry two stimuli; respond toward the larger sum over modalities.
    #[serde(rename = "multimemorydm")]
    MultiMemoryDm,
}

/// How a task lays out its trial in time: the three timing schemes of the corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// One stimulus that stays on to the end.
    Delay,
    /// One brief stimulus, then a memory delay.
    Memory,
    /// Two sequential stimuli separated by a delay.
    Decision,
}

impl Task {
    /// All tasks, in the corpus's order (the order of the rule channels).
    pub const ALL: [Task; N_TASKS] = [
        Task::DelayPro,
        Task::DelayAnti,
        Task::MemoryPro,
        Task::MemoryAnti,
        Task::MemoryDm1,
        Task::MemoryDm2,
        Task::CtxMemoryDm1,
        Task::CtxMemoryDm2,
        Task::MultiMemoryDm,
    ];

    /// Position in [`Task::ALL`], `0..9`; the rule input channel is `IN_RULE + index`.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The short name, as serialised and accepted by [`FromStr`]: `"delaypro"`, ...
    pub fn short(self) -> &'static str {
        const SHORT: [&str; N_TASKS] = [
            "delaypro",
            "delayanti",
            "memorypro",
            "memoryanti",
            "memorydm1",
            "memorydm2",
            "ctxmemorydm1",
            "ctxmemorydm2",
            "multimemorydm",
        ];
        SHORT[self.index()]
    }

    /// The human name: `"Delay Pro"`, ..., `"Multi-sensory Memory DM"`.
    pub fn name(self) -> &'static str {
        const NAME: [&str; N_TASKS] = [
            "Delay Pro",
            "Delay Anti",
            "Memory Pro",
            "Memory Anti",
            "Memory DM 1",
            "Memory DM 2",
            "Context Memory DM 1",
            "Context Memory DM 2",
            "Multi-sensory Memory DM",
        ];
        NAME[self.index()]
    }

    /// Whether the answer is opposite to the stimulus (θ + π).
    pub fn is_anti(self) -> bool {
        matches!(self, Task::DelayAnti | Task::MemoryAnti)
    }

    /// The task's timing scheme, which decides its epochs and the fields of
    /// [`Timing`] it uses.
    pub fn family(self) -> Family {
        match self {
            Task::DelayPro | Task::DelayAnti => Family::Delay,
            Task::MemoryPro | Task::MemoryAnti => Family::Memory,
            _ => Family::Decision,
        }
    }
}

impl fmt::Display for Task {
    /// Writes the short name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.short())
    }
}

impl FromStr for Task {
    type Err = Error;

    /// Parses a short name (ASCII case ignored, surrounding blanks trimmed).
    fn from_str(s: &str) -> Result<Self> {
        let wanted = s.trim();
        Task::ALL
            .into_iter()
            .find(|t| t.short().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| {
                let valid: Vec<&str> = Task::ALL.iter().map(|t| t.short()).collect();
                Error::invalid(
                    "task",
                    format!("unknown task `{s}`; valid: {}", valid.join(", ")),
                )
            })
    }
}
