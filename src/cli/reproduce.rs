//! `molap reproduce`: does MoLaP deliver its three claims (efficiency, robustness,
//! generalisation to a held-out task)? Runs every experiment for several seeds and writes a
//! report (Markdown, SVG figures, CSV of the raw numbers) whose numbers depend on the seeds
//! only.

mod experiments;
mod figures;
mod measures;
mod plan;
mod report;
mod sections;
mod stats;
mod tables;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use molap_lab::tasks::Task;

use self::experiments::Work;
use self::plan::{Cost, Estimate, Plan, Preset};
use super::common::{self, Methods};

/// Options of `molap reproduce`. Every budget defaults to the preset's; a flag overrides it.
#[derive(Debug, Args)]
pub struct ReproduceCmd {
    /// The set of budgets: tiny (seconds, for tests), quick (minutes, a smoke run), standard
    /// (under an hour on 2 cores, the report kept in docs/) or full (the tool's default budgets,
    /// many hours).
    #[arg(long, value_enum, default_value = "standard")]
    pub preset: Preset,
    /// Number of seeds (1, 2, ..., N); each moves the initialisation, the pre-training draws,
    /// the task-stage draws and the perturbation draws. The evaluation batches never change.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=100))]
    pub seeds: u64,
    /// The directory the report is written to: results.md there, figures and CSV files in
    /// its results/ subdirectory.
    #[arg(long, default_value = "docs", value_name = "DIR")]
    pub out: PathBuf,
    /// Also run MoLaP's ablations: the PCA extractor, modules of half the size, and one
    /// primitive fewer with the same units (pre-training, task stage and one robustness curve
    /// each).
    #[arg(long)]
    pub ablations: bool,
    /// Print the plan and its estimated duration, then stop without running anything.
    #[arg(long)]
    pub plan: bool,
    /// Units per module, comma-separated (preset: 32,32,32; tiny: 4,4,4).
    #[arg(long, value_delimiter = ',', value_name = "UNITS")]
    pub modules: Option<Vec<usize>>,
    /// Pre-training budget per module and for the monolith, trials.
    #[arg(long, value_name = "TRIALS")]
    pub pretrain_trials: Option<usize>,
    /// Task-stage budget per method, trials.
    #[arg(long, value_name = "TRIALS")]
    pub task_trials: Option<usize>,
    /// Evaluate every task every this many task-stage trials (trials to criterion are
    /// resolved to this step).
    #[arg(long, value_name = "TRIALS")]
    pub eval_every: Option<usize>,
    /// Magnitudes per robustness curve, evenly spaced from none to the strongest of
    /// `molap sweep`'s default range (module loss always takes each module).
    #[arg(long, value_name = "N")]
    pub points: Option<usize>,
    /// Perturbation draws per magnitude.
    #[arg(long, value_name = "N")]
    pub draws: Option<usize>,
    /// Tasks held out in turn (short names, comma-separated, or `all`).
    #[arg(long, value_delimiter = ',', value_name = "TASKS", value_parser = parse_held_out)]
    pub held_out: Option<Vec<HeldOut>>,
    /// Methods compared on the held-out tasks (`all` or a comma-separated list).
    #[arg(long, value_name = "METHODS")]
    pub transfer_methods: Option<Methods>,
    /// Budget for learning a held-out task, trials.
    #[arg(long, value_name = "TRIALS")]
    pub transfer_trials: Option<usize>,
    /// Check the held-out task every this many trials.
    #[arg(long, value_name = "TRIALS")]
    pub transfer_eval_every: Option<usize>,
    /// Performance (fraction correct, in (0, 1]) that counts as having learned a task.
    #[arg(long, value_name = "FRACTION", value_parser = common::parse_fraction)]
    pub criterion: Option<f64>,
}

/// One `--held-out` entry: a task, or every task.
#[derive(Debug, Clone, PartialEq)]
pub enum HeldOut {
    /// One task.
    Task(Task),
    /// All nine.
    All,
}

/// Parses a task's short name or `all`.
fn parse_held_out(s: &str) -> std::result::Result<HeldOut, String> {
    if s.trim().eq_ignore_ascii_case("all") {
        return Ok(HeldOut::All);
    }
    s.parse().map(HeldOut::Task).map_err(|e| format!("{e}"))
}

impl ReproduceCmd {
    /// Runs the subcommand.
    pub fn run(&self) -> Result<()> {
        let plan = self.plan_of()?;
        let cost = Cost::calibrate(plan.modules.iter().sum())?;
        let estimate = plan.estimate(&cost);
        let cores = rayon::current_num_threads();
        eprintln!("{}", describe_estimate(&plan, &estimate, cores));
        if self.plan {
            return Ok(());
        }
        let start = Instant::now();
        let work = Work {
            bar: overall_bar(estimate.total()),
            cost,
        };
        let runs = experiments::run(&plan, &work)?;
        work.bar.finish_and_clear();
        let elapsed = start.elapsed();
        let run = report::Run {
            plan: &plan,
            runs: &runs,
            cores,
            elapsed,
            estimated: wall_clock(estimate.total(), cores),
            command: self.command_line(),
        };
        write_report(&self.out, &run)?;
        eprintln!(
            "wrote {} and its figures and data in {} ({})",
            self.out.join("results.md").display(),
            self.out.join("results").display(),
            report::duration(elapsed)
        );
        Ok(())
    }

    /// The plan: the preset's budgets with every override applied.
    fn plan_of(&self) -> Result<Plan> {
        let mut plan = Plan::of(self.preset);
        plan.seeds = self.seeds;
        plan.ablations = self.ablations;
        let or = |v: Option<usize>, d: usize| v.unwrap_or(d);
        plan.modules = self.modules.clone().unwrap_or(plan.modules);
        plan.pretrain_trials = or(self.pretrain_trials, plan.pretrain_trials);
        plan.task_trials = or(self.task_trials, plan.task_trials);
        plan.eval_every = or(self.eval_every, plan.eval_every);
        plan.points = or(self.points, plan.points);
        plan.draws = or(self.draws, plan.draws);
        plan.transfer_trials = or(self.transfer_trials, plan.transfer_trials);
        plan.transfer_eval_every = or(self.transfer_eval_every, plan.transfer_eval_every);
        plan.criterion = self.criterion.unwrap_or(plan.criterion);
        if let Some(methods) = &self.transfer_methods {
            plan.transfer_methods = methods.list.clone();
        }
        if let Some(held) = &self.held_out {
            plan.held_out = held_out_tasks(held);
        }
        plan.validate()
            .context("the options do not describe a usable reproduction")?;
        Ok(plan)
    }

    /// The command that regenerates the report: the preset, the seeds and every flag given,
    /// in a fixed order (so the same run always states the same command).
    fn command_line(&self) -> String {
        let mut words = vec![
            format!("molap reproduce --preset {}", self.preset.name()),
            format!("--seeds {}", self.seeds),
        ];
        let mut flag = |name: &str, value: Option<String>| {
            if let Some(v) = value {
                words.push(format!("--{name} {v}"));
            }
        };
        let list = |v: &[usize]| v.iter().map(usize::to_string).collect::<Vec<_>>().join(",");
        flag("modules", self.modules.as_deref().map(list));
        flag(
            "pretrain-trials",
            self.pretrain_trials.map(|v| v.to_string()),
        );
        flag("task-trials", self.task_trials.map(|v| v.to_string()));
        flag("eval-every", self.eval_every.map(|v| v.to_string()));
        flag("points", self.points.map(|v| v.to_string()));
        flag("draws", self.draws.map(|v| v.to_string()));
        let held = self.held_out.as_deref().map(|h| {
            let names: Vec<&str> = held_out_tasks(h).iter().map(|t| t.short()).collect();
            names.join(",")
        });
        flag("held-out", held);
        let methods = self.transfer_methods.as_ref().map(|m| {
            let names: Vec<&str> = m.list.iter().map(|m| m.name()).collect();
            names.join(",")
        });
        flag("transfer-methods", methods);
        flag(
            "transfer-trials",
            self.transfer_trials.map(|v| v.to_string()),
        );
        flag(
            "transfer-eval-every",
            self.transfer_eval_every.map(|v| v.to_string()),
        );
        flag("criterion", self.criterion.map(|v| v.to_string()));
        if self.ablations {
            words.push("--ablations".to_string());
        }
        if self.out != Path::new("docs") {
            words.push(format!("--out {}", self.out.display()));
        }
        words.join(" ")
    }
}

/// The held-out tasks listed, in the corpus's order, without repeats.
fn held_out_tasks(held: &[HeldOut]) -> Vec<Task> {
    if held.contains(&HeldOut::All) {
        return Task::ALL.to_vec();
    }
    Task::ALL
        .into_iter()
        .filter(|t| held.contains(&HeldOut::Task(*t)))
        .collect()
}

/// Estimated wall clock: the cores' share of the work, plus a tenth for what does not run in
/// parallel.
fn wall_clock(core_seconds: f64, cores: usize) -> Duration {
    Duration::from_secs_f64(1.1 * core_seconds / cores.max(1) as f64)
}

/// The plan and its estimated duration, for the terminal.
fn describe_estimate(plan: &Plan, e: &Estimate, cores: usize) -> String {
    let minutes = |s: f64| format!("{:.1} min", s / 60.0 / cores.max(1) as f64);
    let methods: Vec<&str> = plan.transfer_methods.iter().map(|m| m.name()).collect();
    let held: Vec<&str> = plan.held_out.iter().map(|t| t.short()).collect();
    format!(
        "reproduce, preset {}: {} seeds; modules {:?}; pre-training {} trials; task stage {} \
         trials (checked every {}); robustness {} magnitudes x {} draws; held out {} \
         ({}; {} trials, checked every {}); ablations {}\n\
         estimated on {cores} cores: pre-training {}, task stage {}, robustness {}, \
         generalisation {}, ablations {}; in all about {}",
        plan.preset.name(),
        plan.seeds,
        plan.modules,
        plan.pretrain_trials,
        plan.task_trials,
        plan.eval_every,
        plan.points,
        plan.draws,
        held.join(","),
        methods.join(","),
        plan.transfer_trials,
        plan.transfer_eval_every,
        if plan.ablations { "on" } else { "off" },
        minutes(e.pretraining),
        minutes(e.task_stage),
        minutes(e.robustness),
        minutes(e.generalisation),
        minutes(e.ablations),
        report::duration(wall_clock(e.total(), cores)),
    )
}

/// One bar for the whole run, in estimated milliseconds of one core.
fn overall_bar(core_seconds: f64) -> ProgressBar {
    let bar = common::bars().add(ProgressBar::new(experiments::units(core_seconds).max(1)));
    let template = "reproduce [{bar:40.cyan/blue}] {percent:>3}% ({elapsed}, ~{eta} left)";
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.enable_steady_tick(Duration::from_millis(500));
    bar
}

/// Writes results.md into `dir` and the figures and tables into `dir/results/`.
fn write_report(dir: &Path, run: &report::Run<'_>) -> Result<()> {
    let data = dir.join("results");
    std::fs::create_dir_all(&data).with_context(|| format!("cannot create {}", data.display()))?;
    for (name, bytes) in tables::all(run)? {
        common::write_atomic(&data.join(name), &bytes)?;
    }
    for (name, svg) in figures::all(run)? {
        common::write_atomic(&data.join(name), svg.as_bytes())?;
    }
    common::write_atomic(&dir.join("results.md"), report::markdown(run).as_bytes())?;
    Ok(())
}
