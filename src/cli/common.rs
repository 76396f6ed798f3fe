//! What the subcommands share: option groups, model files, atomic writes, progress bars and
//! the training loop with periodic evaluation.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Args;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use molap_lab::eval::EvalSet;
use molap_lab::methods::{self, ExperimentConfig, Method, Pretrained};
use molap_lab::model::{Model, PerformancePoint, SavedNetwork};
use molap_lab::primitives::Extractor;
use molap_lab::tasks::Task;
use molap_lab::train::{LossPoint, Trainer};

/// The longest loss history kept per method in a model file.
pub const MAX_HISTORY: usize = 500;

/// A list of methods: `all` or names separated by commas.
#[derive(Debug, Clone, PartialEq)]
pub struct Methods {
    /// The methods, in the order given.
    pub list: Vec<Method>,
    /// Whether the user asked for `all` (then methods a model file lacks are skipped rather
    /// than reported missing).
    pub all: bool,
}

impl FromStr for Methods {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        if s.trim().eq_ignore_ascii_case("all") {
            return Ok(Methods {
                list: Method::ALL.to_vec(),
                all: true,
            });
        }
        let mut methods = Vec::new();
        for name in s.split(',') {
            let method: Method = name.parse().map_err(|e| format!("{e}"))?;
            if !methods.contains(&method) {
                methods.push(method);
            }
        }
        Ok(Methods {
            list: methods,
            all: false,
        })
    }
}

/// The shape of the networks, the primitives and the initial weights.
#[derive(Debug, Clone, Args)]
pub struct NetworkArgs {
    /// Units per module, comma-separated; one module per latent primitive, at most 3.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "32,32,32",
        value_name = "UNITS"
    )]
    pub modules: Vec<usize>,
    /// How the latent primitives are extracted from the corpus: canonical correlation between
    /// inputs and targets (cca) or principal components of the targets (pca).
    #[arg(long, default_value = "cca", value_parser = parse_extractor)]
    pub extractor: Extractor,
    /// Seed of the weights' initialisation (modules, monolith, and the task-stage networks of
    /// the methods that start from random weights).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Euler step of the dynamics, in ms (at most tau = 100 ms).
    #[arg(long, default_value_t = 20.0, value_name = "MS")]
    pub dt_ms: f64,
}

/// The pre-training stage's settings, however the command line spells them.
#[derive(Debug, Clone)]
pub struct PretrainStage {
    /// Budget per module, trials.
    pub trials: usize,
    /// Adam learning rate.
    pub lr: f64,
    /// Trials per batch.
    pub batch_size: usize,
    /// Tasks of the primitives and of pre-training (`None`: all nine).
    pub tasks: Option<Vec<Task>>,
}

impl NetworkArgs {
    /// The experiment these options describe (task stage at its defaults).
    pub fn config(&self, stage: &PretrainStage) -> Result<ExperimentConfig> {
        let mut config = ExperimentConfig::default();
        config.network.modules = self.modules.clone();
        config.network.dt_ms = self.dt_ms;
        config.extractor = self.extractor;
        config.seed = self.seed;
        config.pretrain.trials = stage.trials;
        config.pretrain.adam.lr = stage.lr;
        config.pretrain.batch_size = stage.batch_size;
        if let Some(tasks) = &stage.tasks {
            config.pretrain.tasks = tasks.clone();
        }
        config
            .validate()
            .context("the pre-training options do not describe a usable experiment")?;
        Ok(config)
    }
}

/// The task stage's options.
#[derive(Debug, Clone, Args)]
pub struct TaskArgs {
    /// Task-stage budget per method, in trials (counted over all tasks).
    #[arg(long, default_value_t = methods::DEFAULT_TASK_TRIALS, value_name = "TRIALS")]
    pub trials: usize,
    /// Adam learning rate of the task stage, in parameter units per step.
    #[arg(long, default_value_t = methods::DEFAULT_TASK_LR, value_name = "RATE")]
    pub lr: f64,
    /// Trials per task-stage batch (one task per batch, tasks in rotation).
    #[arg(long, default_value_t = methods::DEFAULT_TASK_BATCH, value_name = "TRIALS")]
    pub batch_size: usize,
    /// Evaluate all tasks every this many trials, for the learning curves and --stop-at
    /// (trials to 90% are resolved to this step).
    #[arg(long, default_value_t = 3200, value_name = "TRIALS",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub eval_every: u64,
    /// Stop a method once every task's performance (fraction correct, in (0, 1]) is at or
    /// above this value. Default: train for the whole budget.
    #[arg(long, value_name = "FRACTION", value_parser = parse_fraction)]
    pub stop_at: Option<f64>,
}

impl TaskArgs {
    /// Writes the task stage's settings, with the seed of its batch and noise draws, into
    /// `config`.
    pub fn apply(&self, config: &mut ExperimentConfig, seed: u64) -> Result<()> {
        config.task.trials = self.trials;
        config.task.adam.lr = self.lr;
        config.task.batch_size = self.batch_size;
        config.task.seed = seed;
        config
            .task
            .validate()
            .context("the task-stage options are not usable")?;
        Ok(())
    }
}

/// Parses `cca` or `pca`.
fn parse_extractor(s: &str) -> std::result::Result<Extractor, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "cca" => Ok(Extractor::Cca),
        "pca" => Ok(Extractor::Pca),
        other => Err(format!("`{other}` is not an extractor; use cca or pca")),
    }
}

/// Parses a fraction in (0, 1].
pub fn parse_fraction(s: &str) -> std::result::Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    if v > 0.0 && v <= 1.0 {
        Ok(v)
    } else {
        Err(format!("{v} is out of range: give a fraction in (0, 1]"))
    }
}

/// Reads and checks a model file.
pub fn load_model(path: &Path) -> Result<Model> {
    let bytes = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Model::from_bytes(&bytes)
        .with_context(|| format!("{} is not a usable model file", path.display()))
}

/// Writes `bytes` to `path` through a temporary file in the same directory, so a failure
/// never leaves a half-written file (nor destroys the old one).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = parent_dir(path);
    let mut file = temp_file_builder()
        .tempfile_in(&dir)
        .with_context(|| format!("cannot create a file in {}", dir.display()))?;
    file.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// The directory a file is in (`.` for a bare file name).
pub fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Temporary files readable by others once renamed, like any file the tool writes
/// (tempfile's default is owner-only).
pub fn temp_file_builder() -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".molap-").suffix(".part");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o644));
    }
    builder
}

/// Saves a model atomically.
pub fn save_model(path: &Path, model: &Model) -> Result<()> {
    let bytes = model.to_bytes().context("cannot encode the model")?;
    write_atomic(path, &bytes)?;
    log::info!("wrote {} ({} kB)", path.display(), bytes.len() / 1024);
    Ok(())
}

/// The pre-trained parts of a model, rebuilt as networks.
pub fn pretrained(model: &Model) -> Result<Pretrained> {
    let modules = model
        .modules
        .iter()
        .map(SavedNetwork::to_network)
        .collect::<molap_lab::Result<Vec<_>>>()?;
    if modules.is_empty() {
        bail!("the model file holds no pre-trained modules");
    }
    Ok(Pretrained {
        primitives: model.primitives.clone(),
        modules,
        monolith: model.monolith.to_network()?,
    })
}

/// The one set of progress bars of the process, on stderr. Log lines are routed through it (see
/// `run`), so every bar must be added here to stay intact while messages are written.
pub fn bars() -> MultiProgress {
    static BARS: std::sync::LazyLock<MultiProgress> = std::sync::LazyLock::new(MultiProgress::new);
    BARS.clone()
}

/// A progress bar for `total` trials, drawn on stderr (hidden when it is not a terminal).
pub fn trial_bar(bars: &MultiProgress, name: &str, total: usize) -> ProgressBar {
    let style = ProgressStyle::with_template(
        "{prefix:>22} [{bar:30.cyan/blue}] {pos:>7}/{len} trials {msg} ({elapsed}, ~{eta} left)",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ");
    let bar = bars.add(ProgressBar::new(total as u64));
    bar.set_style(style);
    bar.set_prefix(name.to_string());
    bar.enable_steady_tick(Duration::from_millis(500));
    bar
}

/// Where a training run reports how far it got: a progress bar of its own, or a share of an
/// overall bar (see `molap reproduce`).
pub trait Progress: Sync {
    /// `trials` of the run's budget are done; `loss` is the last batch's.
    fn update(&self, trials: usize, loss: Option<f64>);
    /// The run ended, at its budget or early.
    fn finish(&self);
}

impl Progress for ProgressBar {
    fn update(&self, trials: usize, loss: Option<f64>) {
        self.set_position(trials as u64);
        if let Some(loss) = loss {
            self.set_message(format!("loss {loss:.4}"));
        }
    }

    fn finish(&self) {
        ProgressBar::finish(self);
    }
}

/// Makes the progress report of each training run from its name and trainer.
pub type ProgressFor<'a> = dyn Fn(&str, &Trainer) -> Box<dyn Progress> + Sync + 'a;

/// One trial bar per run in `bars`, as the single-purpose subcommands show them.
pub fn bars_for(bars: &MultiProgress) -> impl Fn(&str, &Trainer) -> Box<dyn Progress> + Sync + '_ {
    |name, trainer| Box::new(trial_bar(bars, name, trainer.config.trials))
}

/// How a training run ended.
#[derive(Debug, Clone)]
pub struct RunOutcome {
    /// Why it stopped before its budget, if it did (divergence, criterion reached).
    pub note: Option<String>,
    /// Whether it stopped because every task reached the criterion.
    pub reached: bool,
    /// Performance per task after each evaluation (empty when not evaluated).
    pub curve: Vec<PerformancePoint>,
}

/// Trains until the budget is spent, evaluating on `eval` every `eval_every` trials (never,
/// when `eval` is `None`). A divergence stops the run; the trainer has already restored the
/// last good weights, so the run is kept and the reason reported.
pub fn train_with_eval(
    trainer: &mut Trainer,
    eval: Option<&EvalSet>,
    eval_every: usize,
    stop_at: Option<f64>,
    progress: &dyn Progress,
) -> Result<RunOutcome> {
    let no_noise = molap_lab::perturb::Perturbation::default();
    let batch = trainer.config.batch_size;
    let chunk = eval_every.div_ceil(batch).max(1);
    let mut curve = Vec::new();
    let mut note = None;
    let mut reached = false;
    if let Some(eval) = eval {
        curve.push(PerformancePoint {
            trials: 0,
            per_task: eval.evaluate(&trainer.network, &no_noise)?,
        });
    }
    while !trainer.done() {
        let result = trainer.run(chunk);
        progress.update(trainer.trials, trainer.history.last().map(|p| p.loss));
        if let Err(err) = result {
            note = Some(format!("{err}; kept the last good weights"));
        }
        if let Some(eval) = eval {
            let per_task = eval.evaluate(&trainer.network, &no_noise)?;
            let met = stop_at.is_some_and(|c| per_task.iter().all(|&p| p >= c));
            curve.push(PerformancePoint {
                trials: trainer.trials,
                per_task,
            });
            if met && note.is_none() {
                reached = true;
                note = Some(format!(
                    "every task at or above {:.0}% after {} trials",
                    stop_at.unwrap_or(1.0) * 100.0,
                    trainer.trials
                ));
            }
        }
        if note.is_some() {
            break;
        }
    }
    progress.finish();
    Ok(RunOutcome {
        note,
        reached,
        curve,
    })
}

/// At most `max` points of a loss history, evenly spaced, always keeping the last.
pub fn thin_history(history: &[LossPoint], max: usize) -> Vec<LossPoint> {
    if history.len() <= max || max < 2 {
        return history.to_vec();
    }
    let step = history.len().div_ceil(max - 1);
    let mut thinned: Vec<LossPoint> = history.iter().step_by(step).copied().collect();
    if let Some(&last) = history.last()
        && thinned.last() != Some(&last)
    {
        thinned.push(last);
    }
    thinned
}

/// A percentage with one decimal.
pub fn percent(v: f64) -> String {
    format!("{:.1}", 100.0 * v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thinning_keeps_at_most_max_points_and_the_last() {
        let history: Vec<LossPoint> = (1..=2001)
            .map(|i| LossPoint {
                trials: i * 32,
                loss: 1.0 / i as f64,
            })
            .collect();
        let thinned = thin_history(&history, MAX_HISTORY);
        assert!(thinned.len() <= MAX_HISTORY);
        assert_eq!(thinned.last(), history.last());
    }

    #[test]
    fn methods_parse_all_and_lists() {
        assert_eq!("all".parse::<Methods>().unwrap().list.len(), 4);
        let two: Methods = "molap,monolithic".parse().unwrap();
        assert_eq!(two.list, vec![Method::Molap, Method::Monolithic]);
        assert!("molap,bogus".parse::<Methods>().is_err());
    }
}
