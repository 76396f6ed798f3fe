//! Where a trained network's errors come from, task by task.
//!
//! `cargo run --release --example task_difficulty -- [MODEL] [BATCHES]` loads a model file
//! (default `models/default.molap`) and scores each method on `BATCHES` random batches of 128
//! trials per task (default 40; every batch draws its own epoch timing, unlike the single fixed
//! evaluation batch), with the baseline noise. It prints, per task:
//!
//! - the performance on the fixed evaluation batch and its mean, minimum and maximum over the
//!   random batches (how much the one evaluation timing matters);
//! - for the decision tasks, the share of errors that chose the other stimulus's direction,
//!   that kept fixating, or that pointed elsewhere;
//! - performance by coherence (half the strength difference that decides the trial) and by the
//!   length of the first delay, the two candidate reasons for a decision task to stay below 90%.

use std::f64::consts::TAU;

use molap_lab::batch::Batch;
use molap_lab::model::Model;
use molap_lab::network::{Network, NoiseConfig};
use molap_lab::tasks::{self, Family, Stimuli, Task};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// First seed of the random batches; far from the training and evaluation seeds.
const SEED_BASE: u64 = 9_100_000;
/// Coherence bins (upper edges) for the decision tasks.
const COHERENCE_EDGES: [f64; 4] = [0.05, 0.15, 0.4, 0.8];
/// First-delay bins (upper edges, ms).
const DELAY_EDGES: [f64; 3] = [600.0, 1100.0, 1600.0];

/// Counts of correct trials out of all, per bin.
#[derive(Default, Clone)]
struct Tally {
    correct: usize,
    total: usize,
}

impl Tally {
    fn add(&mut self, ok: bool) {
        self.correct += usize::from(ok);
        self.total += 1;
    }

    fn show(&self) -> String {
        if self.total == 0 {
            return "   -  ".into();
        }
        format!("{:5.1}%", 100.0 * self.correct as f64 / self.total as f64)
    }
}

/// How a trial ended.
enum Outcome {
    Correct,
    Fixated,
    OtherStimulus,
    Elsewhere,
}

fn outcome(out: &[f32], batch: &Batch, b: usize) -> Outcome {
    let info = batch.trials[b];
    if tasks::trial_correct(out[0], out[1], out[2], info.response) {
        return Outcome::Correct;
    }
    if out[0] > tasks::FIXATION_THRESHOLD || out[0].is_nan() {
        return Outcome::Fixated;
    }
    let decoded = libm::atan2(f64::from(out[1]), f64::from(out[2])).rem_euclid(TAU);
    let other = if (info.response - info.theta1).abs() < 1e-6 {
        info.theta2
    } else {
        info.theta1
    };
    if tasks::angular_distance(decoded, f64::from(other)) < tasks::RESPONSE_TOLERANCE {
        Outcome::OtherStimulus
    } else {
        Outcome::Elsewhere
    }
}

/// Half the strength difference that decides a decision trial.
fn coherence(task: Task, s: &Stimuli) -> f64 {
    let pair = match task {
        Task::MemoryDm1 | Task::CtxMemoryDm1 => s.strength[0],
        Task::MemoryDm2 | Task::CtxMemoryDm2 => s.strength[1],
        _ => [s.total(0), s.total(1)],
    };
    (pair[0] - pair[1]).abs() / 2.0
}

fn bin(edges: &[f64], x: f64) -> usize {
    edges
        .iter()
        .position(|&e| x <= e)
        .unwrap_or(edges.len() - 1)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "models/default.molap".into());
    let n_batches: u64 = args.next().map_or(Ok(40), |a| a.parse())?;
    let model = Model::from_bytes(&std::fs::read(&path)?)?;
    let dt = model.config.network.dt_ms;
    let noise = NoiseConfig::default();

    for trained in &model.networks {
        let net: Network<f32> = trained.network.to_network()?;
        println!("\n== {} ==", trained.method.label());
        println!(
            "{:<14} {:>6} {:>6} {:>6} {:>6} | errors: {:>6} {:>6} {:>6} | by coherence ≤{:?} | by delay 1 ≤{:?} ms",
            "task",
            "eval",
            "mean",
            "min",
            "max",
            "other",
            "fixate",
            "else",
            COHERENCE_EDGES,
            DELAY_EDGES
        );
        for (k, &task) in Task::ALL.iter().enumerate() {
            let mut per_batch = Vec::new();
            let (mut other, mut fixated, mut elsewhere) = (0usize, 0usize, 0usize);
            let mut by_coh = vec![Tally::default(); COHERENCE_EDGES.len()];
            let mut by_delay = vec![Tally::default(); DELAY_EDGES.len()];
            for i in 0..n_batches {
                let seed = SEED_BASE + 1000 * k as u64 + i;
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                let spec = tasks::draw_spec(task, tasks::EVAL_BATCH_SIZE, &mut rng);
                let batch = tasks::build(task, &spec, dt)?;
                let trace = net.forward(&batch, &noise, &mut rng)?;
                let last = trace.output_at(trace.n_steps - 1);
                let mut correct = 0;
                for b in 0..batch.batch_size {
                    let ok = match outcome(&last[3 * b..3 * b + 3], &batch, b) {
                        Outcome::Correct => {
                            correct += 1;
                            true
                        }
                        Outcome::Fixated => {
                            fixated += 1;
                            false
                        }
                        Outcome::OtherStimulus => {
                            other += 1;
                            false
                        }
                        Outcome::Elsewhere => {
                            elsewhere += 1;
                            false
                        }
                    };
                    if task.family() == Family::Decision {
                        by_coh[bin(&COHERENCE_EDGES, coherence(task, &spec.trials[b]))].add(ok);
                    }
                    if task.family() != Family::Delay {
                        by_delay[bin(&DELAY_EDGES, spec.timing.delay1_ms)].add(ok);
                    }
                }
                per_batch.push(correct as f64 / batch.batch_size as f64);
            }
            let mean = per_batch.iter().sum::<f64>() / per_batch.len() as f64;
            let min = per_batch.iter().copied().fold(f64::INFINITY, f64::min);
            let max = per_batch.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let errors = (other + fixated + elsewhere).max(1) as f64;
            let share = |n: usize| format!("{:5.1}%", 100.0 * n as f64 / errors);
            let coh: Vec<String> = by_coh.iter().map(Tally::show).collect();
            let delay: Vec<String> = by_delay.iter().map(Tally::show).collect();
            println!(
                "{:<14} {:5.1}% {:5.1}% {:5.1}% {:5.1}% |         {} {} {} | {} | {}",
                task.short(),
                100.0 * trained.performance[k],
                100.0 * mean,
                100.0 * min,
                100.0 * max,
                share(other),
                share(fixated),
                share(elsewhere),
                coh.join(" "),
                delay.join(" ")
            );
        }
    }
    Ok(())
}
