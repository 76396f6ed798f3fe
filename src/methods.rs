//! MoLaP and its three baselines: how each network is built, what it pre-trains and what it
//! trains in the task stage.
//!
//! | method | recurrent weights | trained in the task stage |
//! |---|---|---|
//! | MoLaP | modular, pre-trained on one primitive each, frozen | `w_in`, `w_out`, `b_out` |
//! | Monolithic | one full network, trained | everything |
//! | Random modules | modular, random, frozen, spectral radius of the pre-trained ones | `w_in`, `w_out`, `b_out` |
//! | Pre-trained monolith | one full network pre-trained on all primitives, frozen | `w_in`, `w_out`, `b_out` |

use std::fmt;
use std::str::FromStr;

use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::network::{Connectivity, Network, NetworkConfig, Params};
use crate::optim::{AdamConfig, Trainable};
use crate::primitives::{Extractor, Primitives};
use crate::tasks;
use crate::train::{Objective, TrainConfig, Trainer};

/// One of the four multi-task strategies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Frozen modules pre-trained on the latent primitives; only input and output maps train.
    Molap,
    /// One full network, every parameter trained (Yang et al. 2019).
    Monolithic,
    /// Frozen random modules: the structure of MoLaP without its pre-training.
    RandomModules,
    /// A frozen full network pre-trained on all primitives: the pre-training without modules.
    PretrainedMonolith,
}

impl Method {
    /// Every method, MoLaP first.
    pub const ALL: [Method; 4] = [
        Method::Molap,
        Method::Monolithic,
        Method::RandomModules,
        Method::PretrainedMonolith,
    ];

    /// The name used in links, files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Method::Molap => "molap",
            Method::Monolithic => "monolithic",
            Method::RandomModules => "random_modules",
            Method::PretrainedMonolith => "pretrained_monolith",
        }
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            Method::Molap => "MoLaP",
            Method::Monolithic => "Monolithic",
            Method::RandomModules => "Random modules",
            Method::PretrainedMonolith => "Pre-trained monolith",
        }
    }

    /// The parameter groups the task stage trains.
    pub fn trainable(self) -> Trainable {
        match self {
            Method::Monolithic => Trainable::all(),
            _ => Trainable::input_output(),
        }
    }

    /// Whether the recurrent weights are block-diagonal.
    pub fn connectivity(self) -> Connectivity {
        match self {
            Method::Molap | Method::RandomModules => Connectivity::Modular,
            Method::Monolithic | Method::PretrainedMonolith => Connectivity::Monolithic,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Method {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let s = s.trim().to_ascii_lowercase();
        Method::ALL
            .into_iter()
            .find(|m| m.name() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Method::ALL.iter().map(|m| m.name()).collect();
                Error::invalid(
                    "method",
                    format!("`{s}` is not one of {}", names.join(", ")),
                )
            })
    }
}

/// Pre-training budget per module, trials. Modules pre-trained for 64 000 trials fit the two
/// response primitives poorly (losses of 0.1 to 0.9 against unit-variance targets); at 256 000
/// trials the assembled network starts its task stage far better on the memory tasks.
pub const DEFAULT_PRETRAIN_TRIALS: usize = 256_000;
/// Pre-training learning rate (Adam), parameter units per step.
pub const DEFAULT_PRETRAIN_LR: f64 = 3e-3;
/// Pre-training batch, trials.
pub const DEFAULT_PRETRAIN_BATCH: usize = 32;
/// Task-stage budget per method, trials.
pub const DEFAULT_TASK_TRIALS: usize = 200_000;
/// Task-stage learning rate (Adam): 1e-3 with batches of 64 learned the memory tasks more
/// steadily than 3e-3 with batches of 32 in our runs.
pub const DEFAULT_TASK_LR: f64 = 1e-3;
/// Task-stage batch, trials.
pub const DEFAULT_TASK_BATCH: usize = 64;

/// Everything that defines an experiment: the network, the primitives, the seeds and both
/// training stages. One value reproduces every number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExperimentConfig {
    /// Shape and dynamics of every method's network (the module sizes; connectivity is set
    /// per method).
    pub network: NetworkConfig,
    /// How the primitives are extracted.
    pub extractor: Extractor,
    /// Seed of the weights' initialisation.
    pub seed: u64,
    /// Trials per task pooled to fit the primitives (512).
    pub corpus_trials: usize,
    /// Pre-training of each module (and of the pre-trained monolith): budget, batch, rate.
    pub pretrain: TrainConfig,
    /// The task stage: budget, batch, rate.
    pub task: TrainConfig,
}

impl Default for ExperimentConfig {
    fn default() -> Self {
        ExperimentConfig {
            network: NetworkConfig::default(),
            extractor: Extractor::Cca,
            seed: 1,
            corpus_trials: 512,
            pretrain: TrainConfig {
                adam: AdamConfig {
                    lr: 3e-3,
                    ..AdamConfig::default()
                },
                trials: 64_000,
                seed: 11,
                ..TrainConfig::default()
            },
            task: TrainConfig {
                seed: 21,
                ..TrainConfig::default()
            },
        }
    }
}

impl ExperimentConfig {
    /// Checks every field; the error names the first bad one.
    pub fn validate(&self) -> Result<()> {
        self.network.validate()?;
        let k = self.network.modules.len();
        if k > tasks::N_OUT {
            return Err(Error::invalid(
                "modules",
                format!(
                    "at most {} modules: one per primitive, got {k}",
                    tasks::N_OUT
                ),
            ));
        }
        if self.network.n_in != tasks::N_IN || self.network.n_out != tasks::N_OUT {
            return Err(Error::invalid(
                "network",
                "the corpus needs 14 inputs and 3 outputs",
            ));
        }
        if self.corpus_trials < 32 {
            return Err(Error::invalid(
                "corpus_trials",
                "needs at least 32 trials per task",
            ));
        }
        self.pretrain.validate()?;
        self.task.validate()
    }

    /// The network configuration of `method`.
    pub fn network_for(&self, method: Method) -> NetworkConfig {
        NetworkConfig {
            connectivity: method.connectivity(),
            ..self.network.clone()
        }
    }
}

/// What pre-training produces: the primitives, one trained module per primitive and the
/// pre-trained monolith.
#[derive(Debug, Clone)]
pub struct Pretrained {
    /// The latent primitives the modules were trained on.
    pub primitives: Primitives,
    /// Module `i`, alone: one block, one output (primitive `i`).
    pub modules: Vec<Network<f32>>,
    /// One full network with one output per primitive.
    pub monolith: Network<f32>,
}

/// Fits the primitives on `corpus_trials` trials of every pre-training task, drawn from a fixed
/// seed.
pub fn fit_primitives(config: &ExperimentConfig) -> Result<Primitives> {
    let dt = config.network.dt_ms;
    let per_batch = 64.min(config.corpus_trials);
    let batches_per_task = config.corpus_trials.div_ceil(per_batch);
    let mut batches = Vec::new();
    for &task in &config.pretrain.tasks {
        for j in 0..batches_per_task {
            let seed = 1_000_000 + (task.index() * 1000 + j) as u64;
            batches.push(tasks::generate_seeded(task, per_batch, dt, seed)?);
        }
    }
    Primitives::fit(&batches, config.network.modules.len(), config.extractor)
}

/// A trainer that pre-trains module `i` alone on primitive `i`.
pub fn module_trainer(
    config: &ExperimentConfig,
    primitives: &Primitives,
    i: usize,
) -> Result<Trainer> {
    let net_config = NetworkConfig {
        modules: vec![config.network.modules[i]],
        n_out: 1,
        connectivity: Connectivity::Modular,
        ..config.network.clone()
    };
    let network = Network::random(&net_config, config.seed.wrapping_add(100 + i as u64))?;
    let objective = Objective::Primitives {
        primitives: primitives.clone(),
        only: Some(i),
    };
    let train = TrainConfig {
        seed: config.pretrain.seed + i as u64,
        ..config.pretrain.clone()
    };
    Trainer::new(network, Trainable::all(), objective, train)
}

/// A trainer that pre-trains the monolith on every primitive at once.
pub fn monolith_trainer(config: &ExperimentConfig, primitives: &Primitives) -> Result<Trainer> {
    let net_config = NetworkConfig {
        n_out: primitives.k(),
        ..config.network_for(Method::PretrainedMonolith)
    };
    let network = Network::random(&net_config, config.seed.wrapping_add(200))?;
    let objective = Objective::Primitives {
        primitives: primitives.clone(),
        only: None,
    };
    Trainer::new(
        network,
        Trainable::all(),
        objective,
        config.pretrain.clone(),
    )
}

/// The network `method` starts its task stage with. The frozen parts come from `pretrained`.
pub fn task_network(
    method: Method,
    config: &ExperimentConfig,
    pretrained: &Pretrained,
) -> Result<Network<f32>> {
    let net_config = config.network_for(method);
    match method {
        Method::Molap => assemble_modules(&net_config, pretrained),
        Method::Monolithic => Network::random(&net_config, config.seed.wrapping_add(300)),
        Method::RandomModules => random_modules(&net_config, config.seed, pretrained),
        Method::PretrainedMonolith => from_monolith(&net_config, pretrained),
    }
}

/// A trainer for the task stage of `method`.
pub fn task_trainer(
    method: Method,
    config: &ExperimentConfig,
    pretrained: &Pretrained,
) -> Result<Trainer> {
    let network = task_network(method, config, pretrained)?;
    Trainer::new(
        network,
        method.trainable(),
        Objective::Tasks,
        config.task.clone(),
    )
}

/// The map back from primitives to targets, `y = A z + mean`, with `A` the pseudo-inverse of
/// the primitives' directions (an exact inverse when there are three primitives).
fn primitives_to_targets(primitives: &Primitives) -> Result<(DMatrix<f32>, DVector<f32>)> {
    let k = primitives.k();
    let n_out = primitives.mean.len();
    let v = DMatrix::from_fn(k, n_out, |i, j| primitives.directions[i][j]);
    let a = v
        .pseudo_inverse(1e-12)
        .map_err(|e| Error::invalid("primitives", format!("cannot invert the directions: {e}")))?;
    let mean = DVector::from_iterator(n_out, primitives.mean.iter().copied());
    Ok((a.map(|x| x as f32), mean.map(|x| x as f32)))
}

/// Readout weights that turn latents `z = w_z r + b_z` into targets: `(A w_z, A b_z + mean)`.
fn readout_through(
    primitives: &Primitives,
    w_z: &DMatrix<f32>,
    b_z: &DVector<f32>,
) -> Result<(DMatrix<f32>, DVector<f32>)> {
    let (a, mean) = primitives_to_targets(primitives)?;
    Ok((&a * w_z, &a * b_z + mean))
}

/// MoLaP's network: the pre-trained modules side by side (block-diagonal `w_rec`, their biases
/// and input weights), read out through the map from primitives back to targets *(choice: the
/// readout starts where pre-training left it, so the network's outputs start as the best
/// linear reconstruction of the targets from the modules' primitives)*.
fn assemble_modules(net_config: &NetworkConfig, pretrained: &Pretrained) -> Result<Network<f32>> {
    let n = net_config.n_units();
    let k = pretrained.modules.len();
    let mut params = Params::<f32>::zeros(net_config.n_in, n, net_config.n_out);
    let mut w_z = DMatrix::<f32>::zeros(k, n);
    let mut b_z = DVector::<f32>::zeros(k);
    let mut start = 0;
    for (i, module) in pretrained.modules.iter().enumerate() {
        let p = &module.params;
        let size = p.n_units();
        params
            .w_rec
            .view_mut((start, start), (size, size))
            .copy_from(&p.w_rec);
        params.w_in.rows_mut(start, size).copy_from(&p.w_in);
        params.b.rows_mut(start, size).copy_from(&p.b);
        w_z.view_mut((i, start), (1, size)).copy_from(&p.w_out);
        b_z[i] = p.b_out[0];
        start += size;
    }
    if start != n {
        return Err(Error::Shape(format!(
            "modules hold {start} units, the network {n}"
        )));
    }
    (params.w_out, params.b_out) = readout_through(&pretrained.primitives, &w_z, &b_z)?;
    Network::from_params(net_config, params)
}

/// The pre-trained monolith, with its recurrent weights, biases and input weights, read out
/// through the map from primitives back to targets.
fn from_monolith(net_config: &NetworkConfig, pretrained: &Pretrained) -> Result<Network<f32>> {
    let p = &pretrained.monolith.params;
    let (w_out, b_out) = readout_through(&pretrained.primitives, &p.w_out, &p.b_out)?;
    let params = Params {
        w_in: p.w_in.clone(),
        w_rec: p.w_rec.clone(),
        b: p.b.clone(),
        w_out,
        b_out,
    };
    Network::from_params(net_config, params)
}

/// Random modules whose blocks are rescaled to the spectral radius of the matching
/// pre-trained module, so the two differ in what the dynamics do, not in how strong they are.
fn random_modules(
    net_config: &NetworkConfig,
    seed: u64,
    pretrained: &Pretrained,
) -> Result<Network<f32>> {
    let mut net = Network::<f32>::random(net_config, seed.wrapping_add(400))?;
    let blocks = net.blocks().to_vec();
    for (block, module) in blocks.iter().zip(&pretrained.modules) {
        let target = spectral_radius(&module.params.w_rec);
        let size = block.len();
        let mut view = net
            .params
            .w_rec
            .view_mut((block.start, block.start), (size, size));
        let current = spectral_radius(&view.clone_owned());
        if current > 0.0 {
            view *= (target / current) as f32;
        }
    }
    Ok(net)
}

/// Largest eigenvalue modulus of a square matrix.
pub fn spectral_radius(m: &DMatrix<f32>) -> f64 {
    let m = m.map(f64::from);
    m.complex_eigenvalues()
        .iter()
        .map(|z| z.norm())
        .fold(0.0, f64::max)
}

/// Trained and total (existing) parameters of a network under a method.
pub fn parameter_counts(method: Method, network: &Network<f32>) -> (usize, usize) {
    (method.trainable().count(network), network.n_existing())
}
