//! `molap transfer`: how fast each method learns a task it has never seen. The primitives,
//! the modules and the monolith are pre-trained on eight tasks, each method's task stage is
//! trained on the same eight, and then the held-out ninth task is learned on top, training
//! the same parameter groups as the method's task stage, until it reaches the criterion.

use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use molap_lab::eval::{self, EvalSet};
use molap_lab::methods::{self, ExperimentConfig, Method};
use molap_lab::model::trials_to_criterion;
use molap_lab::perturb::Perturbation;
use molap_lab::tasks::Task;
use molap_lab::train::{Objective, TrainConfig, Trainer};
use rayon::prelude::*;

use super::common::{self, Methods, NetworkArgs, PretrainStage, ProgressFor, TaskArgs};
use super::pretrain;
use super::train::{self, Trained};

/// Options of `molap transfer`.
///
/// TODO: the networks built here (pre-trained on eight tasks, then trained on the ninth) are
/// discarded; an `--out` option writing them as a model file would let `eval`, `sweep` and
/// `export` examine them too.
#[derive(Debug, Args)]
pub struct TransferCmd {
    /// The task left out of pre-training and of the task stage, then learned on top (short
    /// name, e.g. multimemorydm).
    #[arg(long, value_name = "TASK")]
    pub held_out: Task,
    /// Methods compared: a comma-separated list, or `all`.
    #[arg(long, default_value = "molap,monolithic", value_name = "METHODS")]
    pub method: Methods,
    #[command(flatten)]
    pub network: NetworkArgs,
    /// Pre-training budget per module (and for the pre-trained monolith), in trials.
    #[arg(long, default_value_t = methods::DEFAULT_PRETRAIN_TRIALS, value_name = "TRIALS")]
    pub pretrain_trials: usize,
    /// Adam learning rate of pre-training, in parameter units per step.
    #[arg(long, default_value_t = methods::DEFAULT_PRETRAIN_LR, value_name = "RATE")]
    pub pretrain_lr: f64,
    /// Trials per pre-training batch.
    #[arg(long, default_value_t = methods::DEFAULT_PRETRAIN_BATCH, value_name = "TRIALS")]
    pub pretrain_batch_size: usize,
    #[command(flatten)]
    pub task: TaskArgs,
    /// Seed of the task stage's batch and noise draws (the held-out stage uses seed + 1000).
    #[arg(long, default_value_t = 21, value_name = "SEED")]
    pub task_seed: u64,
    /// Budget for learning the held-out task, in trials; a method that has not reached the
    /// criterion by then is reported as not reaching it.
    #[arg(long, default_value_t = 64_000, value_name = "TRIALS")]
    pub transfer_trials: usize,
    /// Check the held-out task's performance every this many trials.
    #[arg(long, default_value_t = 640, value_name = "TRIALS",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub transfer_eval_every: u64,
    /// Performance (fraction correct, in (0, 1]) the held-out task must reach.
    #[arg(long, default_value_t = 0.9, value_name = "FRACTION",
          value_parser = common::parse_fraction)]
    pub criterion: f64,
}

/// How the held-out task is learned on top of a network trained on the other tasks.
#[derive(Debug, Clone, Copy)]
pub struct HeldOutStage {
    /// The task learned.
    pub task: Task,
    /// Budget, trials.
    pub trials: usize,
    /// Check the task's performance every this many trials.
    pub eval_every: usize,
    /// Performance (fraction correct) to reach.
    pub criterion: f64,
    /// Seed of the stage's batch and noise draws.
    pub seed: u64,
}

/// One method's result on the held-out task.
#[derive(Debug, Clone)]
pub struct HeldOutOutcome {
    /// The method.
    pub method: Method,
    /// Held-out performance before learning it (fraction correct).
    pub before: f64,
    /// Held-out performance at the end.
    pub after: f64,
    /// Trials until the criterion was first met at a check (`None`: not within the budget).
    pub trials_to_criterion: Option<usize>,
    /// Trials spent on the held-out task.
    pub trials: usize,
    /// Held-out performance at each check (trials, fraction correct).
    pub curve: Vec<(usize, f64)>,
    /// Mean performance on the other tasks before and after learning the held-out one.
    pub others_before: f64,
    /// See `others_before`.
    pub others_after: f64,
    /// Why the stage stopped early other than by reaching the criterion (divergence).
    pub note: Option<String>,
    /// Wall-clock time, seconds.
    pub seconds: f64,
}

impl TransferCmd {
    /// Runs the subcommand.
    pub fn run(&self) -> Result<()> {
        let others: Vec<Task> = Task::ALL
            .into_iter()
            .filter(|&t| t != self.held_out)
            .collect();
        let config = self.config(&others)?;
        eprintln!(
            "pre-training on the eight tasks other than {}",
            self.held_out.short()
        );
        let pretrained = pretrain::pretrain(&config)?;
        let eval_others = EvalSet::new(&others, config.network.dt_ms)?;
        eprintln!("task stage on the eight tasks");
        let trained = train::train_methods(
            &self.method.list,
            &config,
            &pretrained,
            &eval_others,
            &self.task,
        )?;
        train::print_summary(&trained, &others);
        eprintln!("learning {} on top", self.held_out.short());
        let bars = common::bars();
        let progress = common::bars_for(&bars);
        let stage = HeldOutStage {
            task: self.held_out,
            trials: self.transfer_trials,
            eval_every: self.transfer_eval_every as usize,
            criterion: self.criterion,
            seed: self.task_seed + 1000,
        };
        let outcomes = trained
            .par_iter()
            .map(|t| learn_held_out(t, &config, &stage, &eval_others, &progress))
            .collect::<Result<Vec<_>>>()?;
        self.print(&outcomes);
        Ok(())
    }

    /// The experiment restricted to the eight other tasks.
    fn config(&self, others: &[Task]) -> Result<ExperimentConfig> {
        let stage = PretrainStage {
            trials: self.pretrain_trials,
            lr: self.pretrain_lr,
            batch_size: self.pretrain_batch_size,
            tasks: Some(others.to_vec()),
        };
        let mut config = self.network.config(&stage)?;
        self.task.apply(&mut config, self.task_seed)?;
        config.task.tasks = others.to_vec();
        Ok(config)
    }

    /// The result table: one row per method.
    fn print(&self, outcomes: &[HeldOutOutcome]) {
        println!(
            "held-out task {}: trials to reach {}% (budget {} trials)",
            self.held_out.short(),
            common::percent(self.criterion),
            self.transfer_trials
        );
        println!(
            "{:<22} {:>12} {:>10} {:>10} {:>16} {:>16} {:>9}",
            "method",
            "to criterion",
            "before %",
            "after %",
            "8 tasks before %",
            "8 tasks after %",
            "time (s)"
        );
        for o in outcomes {
            let reached = o
                .trials_to_criterion
                .map_or(format!("> {}", o.trials), |t| t.to_string());
            println!(
                "{:<22} {:>12} {:>10} {:>10} {:>16} {:>16} {:>9.1}",
                o.method.label(),
                reached,
                common::percent(o.before),
                common::percent(o.after),
                common::percent(o.others_before),
                common::percent(o.others_after),
                o.seconds
            );
        }
        for o in outcomes {
            if let Some(note) = &o.note {
                println!("note: {}: {note}", o.method.label());
            }
        }
    }
}

/// Trains one method's network on the held-out task alone until the criterion or the budget,
/// training the same parameter groups as the method's task stage.
pub fn learn_held_out(
    trained: &Trained,
    config: &ExperimentConfig,
    stage: &HeldOutStage,
    eval_others: &EvalSet,
    progress: &ProgressFor<'_>,
) -> Result<HeldOutOutcome> {
    let start = Instant::now();
    let method = trained.network.method;
    let network = trained.network.network.to_network()?;
    let train = TrainConfig {
        tasks: vec![stage.task],
        trials: stage.trials,
        seed: stage.seed,
        ..config.task.clone()
    };
    let mut trainer = Trainer::new(network, method.trainable(), Objective::Tasks, train)
        .context("cannot set up the held-out stage")?;
    let eval_held = EvalSet::new(&[stage.task], config.network.dt_ms)?;
    let report = progress(method.label(), &trainer);
    let outcome = common::train_with_eval(
        &mut trainer,
        Some(&eval_held),
        stage.eval_every,
        Some(stage.criterion),
        report.as_ref(),
    )?;
    let curve: Vec<(usize, f64)> = outcome
        .curve
        .iter()
        .map(|p| (p.trials, p.per_task[0]))
        .collect();
    let others_after = eval_others.evaluate(&trainer.network, &Perturbation::default())?;
    let diverged = outcome.note.filter(|_| !outcome.reached);
    Ok(HeldOutOutcome {
        method,
        before: curve.first().map_or(0.0, |p| p.1),
        after: curve.last().map_or(0.0, |p| p.1),
        trials_to_criterion: trials_to_criterion(&outcome.curve, stage.criterion)[0],
        trials: trainer.trials,
        curve,
        others_before: eval::mean(&trained.network.performance),
        others_after: eval::mean(&others_after),
        note: diverged,
        seconds: start.elapsed().as_secs_f64(),
    })
}
