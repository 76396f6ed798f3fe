//! `TrainerHandle`: a training run for the training worker. One call trains a chunk of
//! iterations and returns progress as JSON; the weights go back to the page as a typed array.

use js_sys::Float32Array;
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use super::{js_error, parse_json};
use crate::analysis;
use crate::error::Error;
use crate::eval::EvalSet;
use crate::methods::{self, ExperimentConfig, Method, Pretrained};
use crate::model::{Model, PerformancePoint};
use crate::network::Network;
use crate::optim::{AdamConfig, Trainable};
use crate::report::LearningCurve;
use crate::train::{Objective, TrainConfig, Trainer};

/// Trials per task of the evaluation reported during training (a quick look; the page's
/// performance table uses the full batches).
const PROGRESS_TRIALS: usize = 32;

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
}

/// A training run (see the module docs).
#[wasm_bindgen]
pub struct TrainerHandle {
    trainer: Trainer,
    method: Method,
    eval: EvalSet,
    curve: Vec<PerformancePoint>,
    diverged: Option<String>,
}

#[wasm_bindgen]
impl TrainerHandle {
    /// A run of `method` on the model in `model_bytes`, with settings as JSON
    /// `{from, lr, batch_size, trials, seed}`.
    #[wasm_bindgen(constructor)]
    pub fn new(model_bytes: &[u8], method: &str, settings: &str) -> Result<TrainerHandle, JsError> {
        let model = Model::from_bytes(model_bytes).map_err(js_error)?;
        let method: Method = method.parse().map_err(js_error)?;
        let s: Settings = parse_json(settings, "training settings")?;
        let config = ExperimentConfig {
            task: TrainConfig {
                adam: AdamConfig {
                    lr: s.lr,
                    ..model.config.task.adam
                },
                batch_size: s.batch_size,
                trials: s.trials,
                seed: model.config.task.seed.wrapping_add(s.seed),
                ..model.config.task.clone()
            },
            ..model.config.clone()
        };
        config.task.validate().map_err(js_error)?;
        let trainer = match s.from.as_str() {
            "pretrained" => methods::task_trainer(method, &config, &pretrained(&model)?),
            "scratch" => scratch(method, &config, s.seed),
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
            eval: EvalSet { batches },
            curve: Vec::new(),
            diverged: None,
        })
    }

    /// Trains up to `iterations` iterations (fewer when the budget runs out or training
    /// diverges) and returns progress as JSON: `{trials, budget, loss, done, per_task?,
    /// diverged?}`. With `evaluate`, performance per task is measured and recorded.
    pub fn train(&mut self, iterations: usize, evaluate: bool) -> Result<String, JsError> {
        let mut loss = f64::NAN;
        if self.diverged.is_none() {
            match self.trainer.run(iterations) {
                Ok(l) => loss = l,
                Err(e @ Error::Diverged { .. }) => self.diverged = Some(e.to_string()),
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
            "trials": self.trainer.trials,
            "budget": self.trainer.config.trials,
            "loss": if loss.is_finite() { Some(loss) } else { None },
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

/// A run from fresh random weights with `method`'s connectivity, every parameter trained.
///
/// TODO: "scratch" does not redo stage 1 and 2 (fitting primitives and pre-training the
/// modules) in the page, so a student cannot yet watch MoLaP's modules being pre-trained, nor
/// change the number of units per module; both need a pre-training run in the worker.
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
