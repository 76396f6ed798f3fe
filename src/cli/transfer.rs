//! `molap transfer`: how fast each method learns a task it has never seen. The primitives,
//! the modules and the monolith are pre-trained on eight tasks, each method's task stage is
//! trained on the same eight, and then the held-out ninth task is learned on top, training
//! the same parameter groups as the method's task stage, until it reaches the criterion.

use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use indicatif::MultiProgress;
use molap_lab::eval::{self, EvalSet};
use molap_lab::methods::{self, ExperimentConfig, Method};
use molap_lab::model::trials_to_criterion;
use molap_lab::perturb::Perturbation;
use molap_lab::tasks::Task;
use molap_lab::train::{Objective, TrainConfig, Trainer};
use rayon::prelude::*;

use super::common::{self, Methods, NetworkArgs, PretrainStage, TaskArgs};
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

/// One method's result on the held-out task.
struct Outcome {
    method: Method,
    before: f64,
    after: f64,
    trials_to_criterion: Option<usize>,
    trials: usize,
    others_before: f64,
    others_after: f64,
    seconds: f64,
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
        let bars = MultiProgress::new();
        let outcomes = trained
            .par_iter()
            .map(|t| self.learn_held_out(t, &config, &eval_others, &bars))
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

    /// Trains one method's network on the held-out task alone until the criterion or the
    /// budget.
    fn learn_held_out(
        &self,
        trained: &Trained,
        config: &ExperimentConfig,
        eval_others: &EvalSet,
        bars: &MultiProgress,
    ) -> Result<Outcome> {
        let start = Instant::now();
        let method = trained.network.method;
        let network = trained.network.network.to_network()?;
        let stage = TrainConfig {
            tasks: vec![self.held_out],
            trials: self.transfer_trials,
            seed: self.task_seed + 1000,
            ..config.task.clone()
        };
        let mut trainer = Trainer::new(network, method.trainable(), Objective::Tasks, stage)
            .context("cannot set up the held-out stage")?;
        let eval_held = EvalSet::new(&[self.held_out], config.network.dt_ms)?;
        let bar = common::trial_bar(bars, method.label(), self.transfer_trials);
        let every = self.transfer_eval_every as usize;
        let outcome = common::train_with_eval(
            &mut trainer,
            Some(&eval_held),
            every,
            Some(self.criterion),
            &bar,
        )?;
        let first = |i: usize| outcome.curve.get(i).map_or(0.0, |p| p.per_task[0]);
        let others_after = eval_others.evaluate(&trainer.network, &Perturbation::default())?;
        Ok(Outcome {
            method,
            before: first(0),
            after: first(outcome.curve.len().saturating_sub(1)),
            trials_to_criterion: trials_to_criterion(&outcome.curve, self.criterion)[0],
            trials: trainer.trials,
            others_before: eval::mean(&trained.network.performance),
            others_after: eval::mean(&others_after),
            seconds: start.elapsed().as_secs_f64(),
        })
    }

    /// The result table: one row per method.
    fn print(&self, outcomes: &[Outcome]) {
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
    }
}
