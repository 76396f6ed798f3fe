//! `molap train`: the task stage of each chosen method on top of a pre-trained model file, in
//! parallel, with learning curves, and a summary table.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use molap_lab::eval::{self, EvalSet};
use molap_lab::methods::{self, ExperimentConfig, Method, Pretrained};
use molap_lab::model::{self, SavedNetwork, TrainedNetwork};
use molap_lab::perturb::Perturbation;
use molap_lab::tasks::Task;
use rayon::prelude::*;

use super::common::{self, Methods, ProgressFor, TaskArgs};

/// Options of `molap train`.
#[derive(Debug, Args)]
pub struct TrainCmd {
    /// A model file written by `molap pretrain` (or by an earlier `molap train`).
    #[arg(long, value_name = "FILE")]
    pub pretrained: PathBuf,
    /// The model file to write: the pre-trained parts plus the trained networks (methods not
    /// trained now keep the networks the input file had).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Methods to train: `all`, or a comma-separated list of molap, monolithic,
    /// random_modules, pretrained_monolith.
    #[arg(long, default_value = "all", value_name = "METHODS")]
    pub method: Methods,
    #[command(flatten)]
    pub task: TaskArgs,
    /// Seed of the task stage's batch and noise draws.
    #[arg(long, default_value_t = 21)]
    pub seed: u64,
    /// Tasks of the task stage, by short name, comma-separated. Default: all nine.
    #[arg(long, value_delimiter = ',', value_name = "TASKS")]
    pub tasks: Option<Vec<Task>>,
}

/// One method's task stage, finished.
pub struct Trained {
    /// The network with its curves, as saved.
    pub network: TrainedNetwork,
    /// Why it stopped early, if it did.
    pub note: Option<String>,
    /// Wall-clock time, seconds.
    pub seconds: f64,
}

impl TrainCmd {
    /// Runs the subcommand.
    pub fn run(&self) -> Result<()> {
        let mut model = common::load_model(&self.pretrained)?;
        let mut config = model.config.clone();
        self.task.apply(&mut config, self.seed)?;
        if let Some(tasks) = &self.tasks {
            config.task.tasks = tasks.clone();
        }
        let pretrained = common::pretrained(&model)?;
        let eval = EvalSet::all(config.network.dt_ms)?;
        let trained = train_methods(&self.method.list, &config, &pretrained, &eval, &self.task)?;
        model.config = config;
        model
            .networks
            .retain(|n| !self.method.list.contains(&n.method));
        model
            .networks
            .extend(trained.iter().map(|t| t.network.clone()));
        model.networks.sort_by_key(|n| n.method as usize);
        common::save_model(&self.out, &model)?;
        print_summary(&trained, &eval.tasks());
        Ok(())
    }
}

/// When a task stage is evaluated, and when it may stop early.
#[derive(Debug, Clone, Copy)]
pub struct Schedule<'a> {
    /// The evaluation batches (also of the final performance).
    pub eval: &'a EvalSet,
    /// Evaluate every this many trials for the learning curve (`None`: only at the end).
    pub eval_every: Option<usize>,
    /// Stop once every task is at or above this fraction.
    pub stop_at: Option<f64>,
}

impl TaskArgs {
    /// The schedule these options ask for, on `eval`.
    pub fn schedule<'a>(&self, eval: &'a EvalSet) -> Schedule<'a> {
        Schedule {
            eval,
            eval_every: Some(self.eval_every as usize),
            stop_at: self.stop_at,
        }
    }
}

/// Trains the task stage of every method in `chosen`, in parallel, with one bar each.
pub fn train_methods(
    chosen: &[Method],
    config: &ExperimentConfig,
    pretrained: &Pretrained,
    eval: &EvalSet,
    args: &TaskArgs,
) -> Result<Vec<Trained>> {
    let bars = common::bars();
    let progress = common::bars_for(&bars);
    let schedule = args.schedule(eval);
    chosen
        .par_iter()
        .map(|&method| {
            let trained = train_one(method, config, pretrained, &schedule, &progress)?;
            if let Some(note) = &trained.note {
                bars.println(format!("{}: stopped: {note}", method.label()))?;
            }
            Ok(trained)
        })
        .collect()
}

/// One method's task stage on `schedule`, reporting to `progress`.
pub fn train_one(
    method: Method,
    config: &ExperimentConfig,
    pretrained: &Pretrained,
    schedule: &Schedule<'_>,
    progress: &ProgressFor<'_>,
) -> Result<Trained> {
    let start = Instant::now();
    let mut trainer = methods::task_trainer(method, config, pretrained)
        .with_context(|| format!("cannot set up the task stage of {}", method.label()))?;
    let report = progress(method.label(), &trainer);
    let outcome = common::train_with_eval(
        &mut trainer,
        schedule.eval_every.map(|_| schedule.eval),
        schedule.eval_every.unwrap_or(usize::MAX),
        schedule.stop_at,
        report.as_ref(),
    )?;
    let performance = schedule
        .eval
        .evaluate(&trainer.network, &Perturbation::default())?;
    let network = TrainedNetwork {
        method,
        network: SavedNetwork::from_network(&trainer.network),
        trials: trainer.trials,
        history: common::thin_history(&trainer.history, common::MAX_HISTORY),
        performance,
        curve: outcome.curve,
    };
    Ok(Trained {
        network,
        note: outcome.note,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// The final table: one column per method, one row per task (performance in %, and in
/// brackets the trials it took to reach 90%).
pub fn print_summary(trained: &[Trained], tasks: &[Task]) {
    let row = |name: &str, cells: Vec<String>| {
        let cells: Vec<String> = cells.iter().map(|c| format!("{c:>22}")).collect();
        println!("{name:<24}{}", cells.join(""));
    };
    let labels = trained.iter().map(|t| t.network.method.label().to_string());
    row("", labels.collect());
    row("trained/total params", trained.iter().map(counts).collect());
    row(
        "trials",
        trained
            .iter()
            .map(|t| t.network.trials.to_string())
            .collect(),
    );
    row(
        "time (s)",
        trained
            .iter()
            .map(|t| format!("{:.1}", t.seconds))
            .collect(),
    );
    let reached: Vec<_> = trained
        .iter()
        .map(|t| model::trials_to_criterion(&t.network.curve, model::CRITERION))
        .collect();
    for (i, task) in tasks.iter().enumerate() {
        let cells = trained.iter().zip(&reached).map(|(t, r)| {
            let when = r.get(i).copied().flatten();
            let when = when.map_or("never".to_string(), |x| x.to_string());
            format!("{} [{when}]", common::percent(t.network.performance[i]))
        });
        row(&format!("{} %", task.short()), cells.collect());
    }
    let means = trained
        .iter()
        .map(|t| common::percent(eval::mean(&t.network.performance)));
    row("mean %", means.collect());
    println!("(in brackets: trials until the task first reached 90% at an evaluation)");
    for t in trained.iter().filter(|t| t.note.is_some()) {
        let note = t.note.as_deref().unwrap_or_default();
        println!("note: {}: {note}", t.network.method.label());
    }
}

/// "trained/total" parameter counts of a trained network.
fn counts(t: &Trained) -> String {
    let n = &t.network;
    match n.network.to_network() {
        Ok(net) => {
            let (trained, total) = methods::parameter_counts(n.method, &net);
            format!("{trained}/{total}")
        }
        Err(_) => "?".to_string(),
    }
}
