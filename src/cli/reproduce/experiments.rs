//! The experiments of `molap reproduce`, one seed at a time and in parallel across seeds,
//! experiments and methods, through the same functions as `pretrain`, `train`, `sweep` and
//! `transfer`. Every result depends on the seeds only, never on timing or thread order.

use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context, Result};
use indicatif::ProgressBar;
use molap_lab::eval::EvalSet;
use molap_lab::methods::{self, ExperimentConfig, Method, Pretrained};
use molap_lab::model::PerformancePoint;
use molap_lab::network::Network;
use molap_lab::perturb::Kind;
use molap_lab::sweep::{self, SweepPoint};
use molap_lab::tasks::Task;
use molap_lab::train::Trainer;
use rayon::prelude::*;

use super::plan::{Cost, Plan, Variant};
use crate::cli::common::{Progress, ProgressFor};
use crate::cli::pretrain;
use crate::cli::train::{self, Schedule, Trained};
use crate::cli::transfer::{self, HeldOutOutcome, HeldOutStage};

/// Everything measured with one seed.
#[derive(Debug, Clone)]
pub struct SeedRun {
    /// The seed.
    pub seed: u64,
    /// Runs that stopped early (divergence), for the report.
    pub notes: Vec<String>,
    /// The main experiment, one entry per method in [`Method::ALL`] order.
    pub methods: Vec<MethodRun>,
    /// The generalisation experiment, one entry per held-out task.
    pub held_out: Vec<HeldOutRun>,
    /// The ablations' variants of MoLaP.
    pub variants: Vec<VariantRun>,
}

/// One method of the main experiment.
#[derive(Debug, Clone)]
pub struct MethodRun {
    /// The method.
    pub method: Method,
    /// Parameters its task stage trains.
    pub trained_params: usize,
    /// Parameters its network holds.
    pub total_params: usize,
    /// Performance per task during the task stage.
    pub curve: Vec<PerformancePoint>,
    /// Performance per task at the end.
    pub performance: Vec<f64>,
    /// One robustness curve per perturbation, in [`Kind::ALL`] order.
    pub robustness: Vec<(Kind, Vec<SweepPoint>)>,
}

/// One held-out task: each compared method's outcome.
#[derive(Debug, Clone)]
pub struct HeldOutRun {
    /// The task learned last.
    pub task: Task,
    /// One outcome per method of the plan's transfer methods.
    pub outcomes: Vec<HeldOutOutcome>,
}

/// One ablation variant of MoLaP.
#[derive(Debug, Clone)]
pub struct VariantRun {
    /// The change.
    pub variant: Variant,
    /// Performance per task during the task stage.
    pub curve: Vec<PerformancePoint>,
    /// Performance per task at the end.
    pub performance: Vec<f64>,
    /// The recurrent-weight-noise curve.
    pub robustness: Vec<SweepPoint>,
}

/// The overall progress bar and the cost model that weighs each piece of work on it (its units
/// are estimated milliseconds of one core).
pub struct Work {
    /// The overall bar.
    pub bar: ProgressBar,
    /// Seconds per unit of work.
    pub cost: Cost,
}

impl Work {
    /// Advances the bar by `seconds` of estimated work.
    fn add(&self, seconds: f64) {
        self.bar.inc(units(seconds));
    }

    /// Progress of training runs: each run's share is its estimated training cost plus
    /// `extra(units)` seconds of evaluations spread over its trials.
    fn training<'a>(&'a self, extra: impl Fn(usize) -> f64 + Sync + 'a) -> Box<ProgressFor<'a>> {
        Box::new(move |_: &str, trainer: &Trainer| {
            let n = trainer.network.n_units();
            let budget = trainer.config.trials;
            let seconds = self.cost.training(n, budget) + extra(n);
            Box::new(Share {
                bar: self.bar.clone(),
                total: units(seconds),
                budget: budget.max(1),
                reported: AtomicU64::new(0),
            }) as Box<dyn Progress>
        })
    }
}

/// Estimated seconds as bar units (milliseconds).
pub fn units(seconds: f64) -> u64 {
    (seconds * 1000.0).round() as u64
}

/// One run's share of the overall bar.
struct Share {
    bar: ProgressBar,
    total: u64,
    budget: usize,
    reported: AtomicU64,
}

impl Share {
    fn advance_to(&self, target: u64) {
        let before = self.reported.fetch_max(target, Ordering::Relaxed);
        if target > before {
            self.bar.inc(target - before);
        }
    }
}

impl Progress for Share {
    fn update(&self, trials: usize, _loss: Option<f64>) {
        let done = trials.min(self.budget) as u128 * self.total as u128 / self.budget as u128;
        self.advance_to(done as u64);
    }

    fn finish(&self) {
        self.advance_to(self.total);
    }
}

/// Runs every seed of the plan, in parallel.
pub fn run(plan: &Plan, work: &Work) -> Result<Vec<SeedRun>> {
    plan.seed_list()
        .par_iter()
        .map(|&seed| run_seed(plan, seed, work).with_context(|| format!("seed {seed} failed")))
        .collect()
}

/// The main experiment, the held-out tasks and the ablations of one seed, side by side.
fn run_seed(plan: &Plan, seed: u64, work: &Work) -> Result<SeedRun> {
    let ((main, held_out), variants) = rayon::join(
        || {
            rayon::join(
                || main_experiment(plan, seed, work),
                || generalisation(plan, seed, work),
            )
        },
        || ablations(plan, seed, work),
    );
    let (methods, mut notes) = main?;
    let (held_out, held_notes) = held_out?;
    let (variants, variant_notes) = variants?;
    notes.extend(held_notes);
    notes.extend(variant_notes);
    Ok(SeedRun {
        seed,
        notes: notes
            .into_iter()
            .map(|n| format!("seed {seed}: {n}"))
            .collect(),
        methods,
        held_out,
        variants,
    })
}

/// Pre-trains on `config`'s tasks, reporting to the overall bar.
fn pretrain(config: &ExperimentConfig, work: &Work) -> Result<(Pretrained, Vec<String>)> {
    pretrain::pretrain_with(config, work.training(|_| 0.0).as_ref())
}

/// The task stage of `method` with a learning curve on every task of `eval`.
fn task_stage(
    plan: &Plan,
    method: Method,
    config: &ExperimentConfig,
    pretrained: &Pretrained,
    eval: &EvalSet,
    work: &Work,
) -> Result<Trained> {
    let schedule = Schedule {
        eval,
        eval_every: Some(plan.eval_every),
        stop_at: None,
    };
    let n_tasks = eval.batches.len();
    let evals = plan.task_trials.div_ceil(plan.eval_every) + 2;
    let extra = |n| evals as f64 * work.cost.evaluation(n, n_tasks);
    train::train_one(
        method,
        config,
        pretrained,
        &schedule,
        work.training(extra).as_ref(),
    )
}

/// Pre-training, the four task stages and every robustness curve on all nine tasks.
fn main_experiment(plan: &Plan, seed: u64, work: &Work) -> Result<(Vec<MethodRun>, Vec<String>)> {
    let config = plan.config(seed, &Task::ALL, &Variant::Reference)?;
    let (pretrained, mut notes) = pretrain(&config, work)?;
    let eval = EvalSet::all(config.network.dt_ms)?;
    let trained = Method::ALL
        .par_iter()
        .map(|&m| task_stage(plan, m, &config, &pretrained, &eval, work))
        .collect::<Result<Vec<_>>>()?;
    let runs = trained
        .par_iter()
        .map(|t| method_run(plan, seed, t, &eval, work))
        .collect::<Result<Vec<_>>>()?;
    notes.extend(trained.iter().filter_map(|t| {
        let note = t.note.as_ref()?;
        Some(format!("{} task stage: {note}", t.network.method.label()))
    }));
    Ok((runs, notes))
}

/// A trained method's counts, curves and robustness.
fn method_run(
    plan: &Plan,
    seed: u64,
    trained: &Trained,
    eval: &EvalSet,
    work: &Work,
) -> Result<MethodRun> {
    let method = trained.network.method;
    let network = trained.network.network.to_network()?;
    let (trained_params, total_params) = methods::parameter_counts(method, &network);
    let robustness = Kind::ALL
        .par_iter()
        .map(|&kind| Ok((kind, curve(plan, seed, &network, eval, kind, work)?)))
        .collect::<Result<Vec<_>>>()?;
    Ok(MethodRun {
        method,
        trained_params,
        total_params,
        curve: trained.network.curve.clone(),
        performance: trained.network.performance.clone(),
        robustness,
    })
}

/// One robustness curve, its points in parallel.
fn curve(
    plan: &Plan,
    seed: u64,
    network: &Network<f32>,
    eval: &EvalSet,
    kind: Kind,
    work: &Work,
) -> Result<Vec<SweepPoint>> {
    let first = Plan::perturbation_seed(seed);
    let each = plan.draws as f64 * work.cost.evaluation(network.n_units(), eval.batches.len());
    plan.magnitudes(kind)
        .par_iter()
        .map(|&m| {
            let point = sweep::sweep_point(network, eval, kind, m, plan.draws, first)?;
            work.add(each);
            Ok(point)
        })
        .collect()
}

/// Every held-out task of the plan, in parallel.
fn generalisation(plan: &Plan, seed: u64, work: &Work) -> Result<(Vec<HeldOutRun>, Vec<String>)> {
    let runs = plan
        .held_out
        .par_iter()
        .map(|&task| held_out(plan, seed, task, work))
        .collect::<Result<Vec<_>>>()?;
    let notes = runs.iter().flat_map(|(_, n)| n.clone()).collect();
    Ok((runs.into_iter().map(|(r, _)| r).collect(), notes))
}

/// Pre-training and task stage on the eight other tasks, then learning `task` on top.
fn held_out(plan: &Plan, seed: u64, task: Task, work: &Work) -> Result<(HeldOutRun, Vec<String>)> {
    let others: Vec<Task> = Task::ALL.into_iter().filter(|&t| t != task).collect();
    let config = plan.config(seed, &others, &Variant::Reference)?;
    let (pretrained, mut notes) = pretrain(&config, work)?;
    let eval_others = EvalSet::new(&others, config.network.dt_ms)?;
    let schedule = Schedule {
        eval: &eval_others,
        eval_every: None,
        stop_at: None,
    };
    let final_eval = |n| work.cost.evaluation(n, others.len());
    let trained = plan
        .transfer_methods
        .par_iter()
        .map(|&m| {
            let progress = work.training(final_eval);
            train::train_one(m, &config, &pretrained, &schedule, progress.as_ref())
        })
        .collect::<Result<Vec<_>>>()?;
    let stage = HeldOutStage {
        task,
        trials: plan.transfer_trials,
        eval_every: plan.transfer_eval_every,
        criterion: plan.criterion,
        seed: config.task.seed + 1000,
    };
    let checks = plan.transfer_trials.div_ceil(plan.transfer_eval_every) + 1;
    let extra = |n| checks as f64 * work.cost.evaluation(n, 1) + final_eval(n);
    let outcomes = trained
        .par_iter()
        .map(|t| {
            let progress = work.training(extra);
            transfer::learn_held_out(t, &config, &stage, &eval_others, progress.as_ref())
        })
        .collect::<Result<Vec<_>>>()?;
    for t in &trained {
        if let Some(note) = &t.note {
            notes.push(format!(
                "{}, eight tasks without {task}: {note}",
                t.network.method
            ));
        }
    }
    for o in &outcomes {
        if let Some(note) = &o.note {
            notes.push(format!("{}, learning {task}: {note}", o.method.label()));
        }
    }
    Ok((HeldOutRun { task, outcomes }, notes))
}

/// The ablation variants of MoLaP, in parallel.
fn ablations(plan: &Plan, seed: u64, work: &Work) -> Result<(Vec<VariantRun>, Vec<String>)> {
    let runs = plan
        .variants()
        .par_iter()
        .map(|&variant| variant_run(plan, seed, variant, work))
        .collect::<Result<Vec<_>>>()?;
    let notes = runs.iter().flat_map(|(_, n)| n.clone()).collect();
    Ok((runs.into_iter().map(|(r, _)| r).collect(), notes))
}

/// One variant: pre-training, MoLaP's task stage and its recurrent-weight-noise curve.
fn variant_run(
    plan: &Plan,
    seed: u64,
    variant: Variant,
    work: &Work,
) -> Result<(VariantRun, Vec<String>)> {
    let config = plan.config(seed, &Task::ALL, &variant)?;
    let (pretrained, mut notes) = pretrain(&config, work)?;
    let eval = EvalSet::all(config.network.dt_ms)?;
    let trained = task_stage(plan, Method::Molap, &config, &pretrained, &eval, work)?;
    let network = trained.network.network.to_network()?;
    let robustness = curve(plan, seed, &network, &eval, Kind::RecWeightNoise, work)?;
    if let Some(note) = &trained.note {
        notes.push(format!("{} task stage: {note}", variant.label()));
    }
    let run = VariantRun {
        variant,
        curve: trained.network.curve,
        performance: trained.network.performance,
        robustness,
    };
    Ok((run, notes))
}
