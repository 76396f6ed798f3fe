//! `TrainerHandle`: a training run for the training worker. One call trains a chunk of
//! iterations and returns progress as JSON; the weights go back to the page as a typed array.
//!
//! A run "from the pre-trained modules" is the method's task stage on the model file's
//! primitives, modules and monolith. A run "from scratch" redoes everything the method needs,
//! in stages: fitting the primitives, pre-training each module (MoLaP, random modules) or the
//! monolith (pre-trained monolith), each for the trial budget, then the task stage; the
//! monolithic method has no pre-training. Only a run from scratch may change the number of
//! units per module, since the shipped modules have their own size.

use js_sys::Float32Array;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::{js_error, parse_json};
use crate::analysis;
use crate::error::Error;
use crate::eval::EvalSet;
use crate::methods::{self, ExperimentConfig, Method, Pretrained};
use crate::model::{Model, PerformancePoint};
use crate::network::Network;
use crate::network::NetworkConfig;
use crate::optim::{AdamConfig, Trainable};
use crate::report::LearningCurve;
use crate::train::{Objective, TrainConfig, Trainer};

/// Trials per task of the evaluation reported during training (a quick look; the page's
/// performance table uses the full batches).
const PROGRESS_TRIALS: usize = 32;

/// Batches the reported loss is averaged over: batches rotate through the tasks, whose losses
/// differ by orders of magnitude, so one batch's loss jumps from batch to batch.
pub const LOSS_WINDOW: usize = 45;

/// Where and how a run diverged, for the page's message.
#[derive(Debug, Clone, Serialize)]
struct Divergence {
    /// The stage that diverged ("task stage", "pre-training module 2 of 3", ...).
    stage: String,
    /// The iteration whose loss or gradient was unhealthy, counted from 1.
    iteration: usize,
    /// Iterations the stage has in all.
    iterations: usize,
    /// What went wrong (the loss or gradient norm and its reference).
    reason: String,
    /// Trials behind the weights kept (the last with a healthy loss); 0: the stage's start.
    kept_trials: usize,
    /// Iterations behind the weights kept.
    kept_iterations: usize,
}

impl Divergence {
    fn of(stage: &str, trainer: &Trainer, iteration: usize, reason: String) -> Self {
        let kept_trials = trainer.kept_trials();
        Divergence {
            stage: stage.to_string(),
            iteration: iteration + 1,
            iterations: trainer.config.iterations(),
            reason,
            kept_trials,
            kept_iterations: kept_trials.div_ceil(trainer.config.batch_size.max(1)),
        }
    }
}

/// The mean loss of the last [`LOSS_WINDOW`] batches of `trainer`, if any is finite.
fn mean_loss(trainer: &Trainer) -> Option<f64> {
    let start = trainer.history.len().saturating_sub(LOSS_WINDOW);
    let recent: Vec<f64> = trainer.history[start..]
        .iter()
        .map(|p| p.loss)
        .filter(|l| l.is_finite())
        .collect();
    (!recent.is_empty()).then(|| recent.iter().sum::<f64>() / recent.len() as f64)
}

/// Relative work of one trial of training `config`'s network. Much of an iteration's time goes
/// into per-unit work (noise draws, nonlinearities, their gradients), the rest into the dense
/// recurrent products; the weight of the quadratic term fits the page's measured speeds (a
/// 32-unit module trains about 3 times as many trials per second as three of them together).
/// Used only to estimate the time left.
fn cost_per_trial(config: &NetworkConfig) -> f64 {
    let units = config.modules.iter().sum::<usize>() as f64;
    units + (config.n_in + config.n_out) as f64 + units * units / 128.0
}

/// The page's training settings.
#[derive(Debug, Deserialize)]
struct Settings {
    /// "pretrained": the method's task stage, from the file's pre-trained modules;
    /// "scratch": fresh random weights, every parameter trained.
    from: String,
    /// Learning rate.
    lr: f64,
    /// Trials per batch.
    batch_size: usize,
    /// Trial budget.
    trials: usize,
    /// Seed of the batches, noise and (from scratch) the initial weights.
    seed: u64,
    /// Units per module (every module the same size); missing: the model file's.
    #[serde(default)]
    units: Option<usize>,
}

/// The allowed units per module.
pub const UNITS: std::ops::RangeInclusive<usize> = 4..=128;

/// What a run from scratch is doing now (see the module docs).
enum Stage {
    /// Fitting the primitives: one step, no trials.
    Primitives,
    /// Pre-training module `index` of `count` (or the monolith when `count` is 0).
    Pretrain {
        trainer: Box<Trainer>,
        index: usize,
        count: usize,
    },
    /// The task stage.
    Task,
}

/// A training run (see the module docs).
#[wasm_bindgen]
pub struct TrainerHandle {
    trainer: Trainer,
    method: Method,
    config: ExperimentConfig,
    stage: Stage,
    parts: Pretrained,
    eval: EvalSet,
    curve: Vec<PerformancePoint>,
    diverged: Option<Divergence>,
    /// Whether the run has stages before its task stage (from scratch, every method but the
    /// monolithic one).
    pretraining: bool,
}

#[wasm_bindgen]
impl TrainerHandle {
    /// A run of `method` on the model in `model_bytes`, with settings as JSON
    /// `{from, lr, batch_size, trials, seed, units?}`.
    #[wasm_bindgen(constructor)]
    pub fn new(model_bytes: &[u8], method: &str, settings: &str) -> Result<TrainerHandle, JsError> {
        let model = Model::from_bytes(model_bytes).map_err(js_error)?;
        let method: Method = method.parse().map_err(js_error)?;
        let s: Settings = parse_json(settings, "training settings")?;
        let config = run_config(&model, &s).map_err(js_error)?;
        let parts = pretrained(&model)?;
        // From scratch, the task-stage trainer is a placeholder until the pre-training stages
        // (the first one fits the primitives) are done; the monolithic method has none.
        let (trainer, stage) = match s.from.as_str() {
            "pretrained" => shipped_units(&model, &config)
                .and_then(|()| methods::task_trainer(method, &config, &parts))
                .map(|t| (t, Stage::Task)),
            "scratch" => scratch(method, &config, s.seed).map(|t| {
                let stage = if method == Method::Monolithic {
                    Stage::Task
                } else {
                    Stage::Primitives
                };
                (t, stage)
            }),
            other => Err(Error::invalid(
                "from",
                format!("`{other}` is not pretrained or scratch"),
            )),
        }
        .map_err(js_error)?;
        let full = EvalSet::all(config.network.dt_ms).map_err(js_error)?;
        let picked: Vec<usize> = (0..PROGRESS_TRIALS).collect();
        let batches = full
            .batches
            .iter()
            .map(|(t, b)| (*t, analysis::select_trials(b, &picked)))
            .collect();
        Ok(TrainerHandle {
            trainer,
            method,
            config,
            stage,
            parts,
            eval: EvalSet { batches },
            curve: Vec::new(),
            diverged: None,
            pretraining: s.from == "scratch" && method != Method::Monolithic,
        })
    }

    /// The task-stage network's configuration, as JSON (its module sizes may differ from the
    /// model file's).
    #[wasm_bindgen(js_name = networkConfig)]
    pub fn network_config(&self) -> String {
        serde_json::to_string(self.trainer.network.config()).unwrap_or_default()
    }

    /// Whether the run is in its task stage (before it, there are no task weights to show).
    #[wasm_bindgen(js_name = inTaskStage)]
    pub fn in_task_stage(&self) -> bool {
        matches!(self.stage, Stage::Task)
    }

    /// The stages of the run in order, as JSON `[{stage, trials, cost}]`: each stage's trial
    /// budget and its relative work per trial (to estimate the time the whole run takes).
    /// Fitting the primitives takes no trials.
    pub fn plan(&self) -> String {
        let task_config = self.config.network_for(self.method);
        let task = serde_json::json!({
            "stage": "task stage",
            "trials": self.config.task.trials,
            "cost": cost_per_trial(&task_config),
        });
        let mut stages = Vec::new();
        if self.pretraining {
            stages.push(
                serde_json::json!({ "stage": "fitting the primitives", "trials": 0, "cost": 0.0 }),
            );
            let count = self.config.network.modules.len();
            if self.method == Method::PretrainedMonolith {
                let monolith = NetworkConfig {
                    n_out: count,
                    ..task_config.clone()
                };
                stages.push(serde_json::json!({
                    "stage": stage_name(0, 0),
                    "trials": self.config.pretrain.trials,
                    "cost": cost_per_trial(&monolith),
                }));
            } else {
                for (i, &units) in self.config.network.modules.iter().enumerate() {
                    let module = NetworkConfig {
                        modules: vec![units],
                        n_out: 1,
                        ..self.config.network.clone()
                    };
                    stages.push(serde_json::json!({
                        "stage": stage_name(i, count),
                        "trials": self.config.pretrain.trials,
                        "cost": cost_per_trial(&module),
                    }));
                }
            }
        }
        stages.push(task);
        serde_json::Value::Array(stages).to_string()
    }

    /// Trains up to `iterations` iterations (fewer when the budget runs out or training
    /// diverges) and returns progress as JSON: `{stage, stage_index, trials, budget, loss,
    /// loss_mean, done, per_task?, diverged?}`, where `trials` and `budget` count the current
    /// stage, `stage_index` is its place in [`TrainerHandle::plan`], `loss` is the last batch's
    /// and `loss_mean` the mean of the last [`LOSS_WINDOW`] batches. `diverged` says where the
    /// run diverged and which weights are kept. With `evaluate`, performance per task is
    /// measured and recorded (task stage only).
    pub fn train(&mut self, iterations: usize, evaluate: bool) -> Result<String, JsError> {
        if !matches!(self.stage, Stage::Task) {
            return self.pretrain(iterations);
        }
        let mut loss = f64::NAN;
        if self.diverged.is_none() {
            match self.trainer.run(iterations) {
                Ok(l) => loss = l,
                Err(Error::Diverged { iteration, reason }) => {
                    let d = Divergence::of("task stage", &self.trainer, iteration, reason);
                    self.diverged = Some(d);
                }
                Err(e) => return Err(js_error(e)),
            }
        }
        let per_task = if evaluate || self.trainer.done() {
            let values = self
                .eval
                .evaluate(&self.trainer.network, &Default::default())
                .map_err(js_error)?;
            self.curve.push(PerformancePoint {
                trials: self.trainer.trials,
                per_task: values.clone(),
            });
            Some(values)
        } else {
            None
        };
        Ok(serde_json::json!({
            "stage": "task stage",
            "trials": self.trainer.trials,
            "budget": self.trainer.config.trials,
            "loss": if loss.is_finite() { Some(loss) } else { None },
            "loss_mean": mean_loss(&self.trainer),
            "stage_index": self.stage_index(),
            "done": self.trainer.done(),
            "per_task": per_task,
            "diverged": self.diverged,
        })
        .to_string())
    }

    /// Changes the learning rate from the next iteration on.
    #[wasm_bindgen(js_name = setLearningRate)]
    pub fn set_learning_rate(&mut self, lr: f64) -> Result<(), JsError> {
        self.trainer.set_learning_rate(lr).map_err(js_error)
    }

    /// The network's weights (the last good ones after a divergence), flattened.
    pub fn weights(&self) -> Float32Array {
        super::flatten(&self.trainer.network)
    }

    /// The run's learning curve so far, as JSON `{method, loss, performance}`.
    pub fn curve(&self) -> String {
        let curve = LearningCurve {
            method: Some(self.method),
            loss: self.trainer.history.clone(),
            performance: self.curve.clone(),
        };
        serde_json::to_string(&curve).unwrap_or_default()
    }
}

/// The pre-trained parts of a model file.
fn pretrained(model: &Model) -> Result<Pretrained, JsError> {
    let modules = model
        .modules
        .iter()
        .map(|m| m.to_network())
        .collect::<crate::Result<_>>();
    Ok(Pretrained {
        primitives: model.primitives.clone(),
        modules: modules.map_err(js_error)?,
        monolith: model.monolith.to_network().map_err(js_error)?,
    })
}

impl TrainerHandle {
    /// One chunk of a stage before the task stage; moves on to the next stage when done.
    fn pretrain(&mut self, iterations: usize) -> Result<String, JsError> {
        let mut loss = None;
        match &mut self.stage {
            Stage::Primitives => {
                self.parts.primitives = methods::fit_primitives(&self.config).map_err(js_error)?;
                self.stage = self.pretrain_stage(0).map_err(js_error)?;
            }
            Stage::Pretrain {
                trainer,
                index,
                count,
            } => {
                match trainer.run(iterations) {
                    Ok(l) => loss = Some(l).filter(|l| l.is_finite()),
                    Err(Error::Diverged { iteration, reason }) => {
                        let name = stage_name(*index, *count);
                        self.diverged = Some(Divergence::of(&name, trainer, iteration, reason));
                    }
                    Err(e) => return Err(js_error(e)),
                }
                if trainer.done() {
                    let network = trainer.network.clone();
                    let next = *index + 1;
                    if self.method == Method::PretrainedMonolith {
                        self.parts.monolith = network;
                    } else {
                        self.parts.modules[*index] = network;
                    }
                    self.stage = self.pretrain_stage(next).map_err(js_error)?;
                }
            }
            Stage::Task => unreachable!("the task stage trains in `train`"),
        }
        if matches!(self.stage, Stage::Task) {
            self.trainer =
                methods::task_trainer(self.method, &self.config, &self.parts).map_err(js_error)?;
        }
        Ok(self.pretrain_progress(loss))
    }

    /// The current stage's place in [`TrainerHandle::plan`].
    fn stage_index(&self) -> usize {
        match &self.stage {
            Stage::Primitives => 0,
            Stage::Pretrain { index, .. } => 1 + index,
            Stage::Task if !self.pretraining => 0,
            Stage::Task if self.method == Method::PretrainedMonolith => 2,
            Stage::Task => 1 + self.config.network.modules.len(),
        }
    }

    /// Pre-training stage `index` (modules one by one, or the monolith), or the task stage
    /// once they are all done.
    fn pretrain_stage(&self, index: usize) -> crate::Result<Stage> {
        let count = self.config.network.modules.len();
        if self.method == Method::PretrainedMonolith {
            if index > 0 {
                return Ok(Stage::Task);
            }
            let trainer = methods::monolith_trainer(&self.config, &self.parts.primitives)?;
            return Ok(Stage::Pretrain {
                trainer: Box::new(trainer),
                index,
                count: 0,
            });
        }
        if index >= count {
            return Ok(Stage::Task);
        }
        let trainer = methods::module_trainer(&self.config, &self.parts.primitives, index)?;
        Ok(Stage::Pretrain {
            trainer: Box::new(trainer),
            index,
            count,
        })
    }

    fn pretrain_progress(&self, loss: Option<f64>) -> String {
        let (stage, trials, budget) = match &self.stage {
            Stage::Primitives => ("fitting the primitives".to_string(), 0, 0),
            Stage::Pretrain {
                trainer,
                index,
                count,
            } => (
                stage_name(*index, *count),
                trainer.trials,
                trainer.config.trials,
            ),
            Stage::Task => ("task stage".to_string(), 0, self.trainer.config.trials),
        };
        serde_json::json!({
            "stage": stage,
            "trials": trials,
            "budget": budget,
            "loss": loss,
            "loss_mean": match &self.stage {
                Stage::Pretrain { trainer, .. } => mean_loss(trainer),
                _ => None,
            },
            "stage_index": self.stage_index(),
            "done": false,
            "per_task": null,
            "diverged": self.diverged,
        })
        .to_string()
    }
}

/// The name of pre-training stage `index` of `count` modules (`count` 0: the monolith).
fn stage_name(index: usize, count: usize) -> String {
    if count == 0 {
        "pre-training the monolith".to_string()
    } else {
        format!("pre-training module {} of {count}", index + 1)
    }
}

/// The configuration of a run: the model file's, with the page's budget, batch, rate, seed
/// (both stages) and units per module.
fn run_config(model: &Model, s: &Settings) -> crate::Result<ExperimentConfig> {
    let stage = |c: &TrainConfig| TrainConfig {
        adam: AdamConfig { lr: s.lr, ..c.adam },
        batch_size: s.batch_size,
        trials: s.trials,
        seed: c.seed.wrapping_add(s.seed),
        ..c.clone()
    };
    let mut network: NetworkConfig = model.config.network.clone();
    if let Some(units) = s.units {
        if !UNITS.contains(&units) {
            return Err(Error::invalid(
                "units",
                format!(
                    "{units} units per module is outside {} to {}",
                    UNITS.start(),
                    UNITS.end()
                ),
            ));
        }
        network.modules = vec![units; network.modules.len()];
    }
    let config = ExperimentConfig {
        network,
        pretrain: stage(&model.config.pretrain),
        task: stage(&model.config.task),
        ..model.config.clone()
    };
    config.validate()?;
    Ok(config)
}

/// Refuses a run on the shipped modules with another number of units per module.
fn shipped_units(model: &Model, config: &ExperimentConfig) -> crate::Result<()> {
    if model.config.network.modules == config.network.modules {
        return Ok(());
    }
    Err(Error::invalid(
        "units",
        format!(
            "the shipped modules have {} units each; {} units per module need training from \
             scratch",
            model.config.network.modules.first().copied().unwrap_or(0),
            config.network.modules.first().copied().unwrap_or(0)
        ),
    ))
}

/// A run from fresh random weights with `method`'s connectivity, every parameter trained: the
/// monolithic method from scratch (it has nothing pre-trained).
fn scratch(method: Method, config: &ExperimentConfig, seed: u64) -> crate::Result<Trainer> {
    let network = Network::random(
        &config.network_for(method),
        config.seed.wrapping_add(500 + seed),
    )?;
    Trainer::new(
        network,
        Trainable::all(),
        Objective::Tasks,
        config.task.clone(),
    )
}
