//! `molap pretrain`: fit the latent primitives, pre-train one module per primitive and the
//! pre-trained monolith, and write a model file with no task-stage networks yet.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use molap_lab::methods::{self, ExperimentConfig, Pretrained};
use molap_lab::model::{Model, SavedNetwork};
use molap_lab::tasks::Task;
use rayon::prelude::*;

use super::common::{self, NetworkArgs, PretrainStage, ProgressFor};

/// Options of `molap pretrain`.
#[derive(Debug, Args)]
pub struct PretrainCmd {
    /// The model file to write (replaced only once everything succeeded).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[command(flatten)]
    pub network: NetworkArgs,
    /// Pre-training budget per module (and for the pre-trained monolith), in trials.
    #[arg(long, default_value_t = methods::DEFAULT_PRETRAIN_TRIALS, value_name = "TRIALS")]
    pub trials: usize,
    /// Adam learning rate of pre-training, in parameter units per step.
    #[arg(long, default_value_t = methods::DEFAULT_PRETRAIN_LR, value_name = "RATE")]
    pub lr: f64,
    /// Trials per pre-training batch.
    #[arg(long, default_value_t = methods::DEFAULT_PRETRAIN_BATCH, value_name = "TRIALS")]
    pub batch_size: usize,
    /// Tasks the primitives are fitted on and the modules pre-trained on, by short name,
    /// comma-separated (delaypro, delayanti, memorypro, memoryanti, memorydm1, memorydm2,
    /// ctxmemorydm1, ctxmemorydm2, multimemorydm). Default: all nine.
    #[arg(long, value_delimiter = ',', value_name = "TASKS")]
    pub tasks: Option<Vec<Task>>,
}

impl PretrainCmd {
    /// Runs the subcommand.
    pub fn run(&self) -> Result<()> {
        let stage = PretrainStage {
            trials: self.trials,
            lr: self.lr,
            batch_size: self.batch_size,
            tasks: self.tasks.clone(),
        };
        let config = self.network.config(&stage)?;
        let start = Instant::now();
        let pretrained = pretrain(&config)?;
        let model = model_of(&config, &pretrained, Vec::new());
        common::save_model(&self.out, &model)?;
        println!(
            "pre-trained {} modules and the monolith ({} trials each) in {:.1} s",
            pretrained.modules.len(),
            config.pretrain.trials,
            start.elapsed().as_secs_f64()
        );
        Ok(())
    }
}

/// Fits the primitives, then pre-trains every module and the monolith in parallel, with one
/// progress bar each; warns about any that stopped early.
pub fn pretrain(config: &ExperimentConfig) -> Result<Pretrained> {
    let bars = common::bars();
    let (pretrained, notes) = pretrain_with(config, &common::bars_for(&bars))?;
    let primitives = &pretrained.primitives;
    log::info!(
        "primitives ({:?}) fitted, scores {:?}",
        primitives.extractor,
        primitives.scores
    );
    for note in notes {
        eprintln!("warning: {note}");
    }
    Ok(pretrained)
}

/// [`pretrain`] reporting to `progress`; also returns a note for each network that stopped
/// early.
pub fn pretrain_with(
    config: &ExperimentConfig,
    progress: &ProgressFor<'_>,
) -> Result<(Pretrained, Vec<String>)> {
    let primitives = methods::fit_primitives(config).context("cannot fit the primitives")?;
    let k = config.network.modules.len();
    let mut trainers = (0..k)
        .map(|i| methods::module_trainer(config, &primitives, i))
        .collect::<molap_lab::Result<Vec<_>>>()?;
    trainers.push(methods::monolith_trainer(config, &primitives)?);
    let names: Vec<String> = (0..k)
        .map(|i| format!("module {}", i + 1))
        .chain(["monolith".to_string()])
        .collect();
    let notes = trainers
        .par_iter_mut()
        .zip(&names)
        .map(|(trainer, name)| {
            let report = progress(name, trainer);
            let outcome = common::train_with_eval(trainer, None, 3200, None, report.as_ref())?;
            Ok(outcome.note.map(|n| format!("{name} stopped early: {n}")))
        })
        .collect::<Result<Vec<_>>>()?;
    let monolith = trainers.pop().map(|t| t.network).context("no monolith")?;
    let pretrained = Pretrained {
        primitives,
        modules: trainers.into_iter().map(|t| t.network).collect(),
        monolith,
    };
    Ok((pretrained, notes.into_iter().flatten().collect()))
}

/// A model file's content from an experiment, its pre-trained parts and trained networks.
pub fn model_of(
    config: &ExperimentConfig,
    pretrained: &Pretrained,
    networks: Vec<molap_lab::model::TrainedNetwork>,
) -> Model {
    Model {
        config: config.clone(),
        primitives: pretrained.primitives.clone(),
        modules: pretrained
            .modules
            .iter()
            .map(SavedNetwork::from_network)
            .collect(),
        monolith: SavedNetwork::from_network(&pretrained.monolith),
        networks,
    }
}
