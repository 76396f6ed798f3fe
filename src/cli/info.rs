//! `molap info`: what a model file holds: its configuration, primitives, pre-trained parts
//! and each method's trained network with its results.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use molap_lab::eval;
use molap_lab::methods;
use molap_lab::model::{self, Model};
use molap_lab::train::TrainConfig;

use super::common;

/// Options of `molap info`.
#[derive(Debug, Args)]
pub struct InfoCmd {
    /// The model file to describe.
    #[arg(value_name = "MODEL")]
    pub model: PathBuf,
}

impl InfoCmd {
    /// Runs the subcommand.
    pub fn run(&self) -> Result<()> {
        let model = common::load_model(&self.model)?;
        println!("{}", self.model.display());
        print_config(&model);
        print_networks(&model);
        Ok(())
    }
}

/// The experiment's configuration and primitives.
fn print_config(model: &Model) {
    let c = &model.config;
    let n = &c.network;
    println!(
        "network: modules {:?} units, {:?}, dt {} ms, tau {} ms, gain {}, seed {}",
        n.modules, n.activation, n.dt_ms, n.tau_ms, n.gain, c.seed
    );
    let scores: Vec<String> = model
        .primitives
        .scores
        .iter()
        .map(|s| format!("{s:.3}"))
        .collect();
    println!(
        "primitives: {} by {:?}, scores [{}] (canonical correlations or explained variance)",
        model.primitives.k(),
        model.primitives.extractor,
        scores.join(", ")
    );
    println!("pre-training: {}", stage(&c.pretrain));
    println!("task stage:   {}", stage(&c.task));
    println!(
        "pre-trained: {} modules, a monolith of {} units",
        model.modules.len(),
        model.monolith.config.n_units()
    );
}

/// One training stage's settings in a line.
fn stage(t: &TrainConfig) -> String {
    let tasks: Vec<&str> = t.tasks.iter().map(|t| t.short()).collect();
    format!(
        "{} trials, batch {}, lr {}, seed {}, tasks {}",
        t.trials,
        t.batch_size,
        t.adam.lr,
        t.seed,
        if tasks.len() == 9 {
            "all nine".to_string()
        } else {
            tasks.join(",")
        }
    )
}

/// One line per trained network.
fn print_networks(model: &Model) {
    if model.networks.is_empty() {
        println!("trained networks: none (run `molap train`)");
        return;
    }
    println!("trained networks:");
    for n in &model.networks {
        let counts = n
            .network
            .to_network()
            .map(|net| methods::parameter_counts(n.method, &net))
            .unwrap_or_default();
        let reached = model::trials_to_criterion(&n.curve, model::CRITERION);
        let n_reached = reached.iter().filter(|r| r.is_some()).count();
        println!(
            "  {:<22} {:>7} trials, {}/{} params trained, mean performance {}%, \
             {n_reached}/{} tasks reached 90%, {} curve points, {} loss points",
            n.method.label(),
            n.trials,
            counts.0,
            counts.1,
            common::percent(eval::mean(&n.performance)),
            reached.len(),
            n.curve.len(),
            n.history.len()
        );
    }
}
