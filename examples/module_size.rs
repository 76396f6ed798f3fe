//! Does a larger module help MoLaP's hardest tasks? Trains MoLaP end to end (primitives, three
//! modules, task stage) at several module sizes with the same budgets and seeds, and prints
//! each task's final performance and the trials it needed to reach 90 %.
//!
//! `cargo run --release --example module_size -- [UNITS,...] [PRETRAIN_TRIALS] [TASK_TRIALS]`
//! (defaults `32,64`, 64000, 96000). The modules of one size are pre-trained in parallel; the
//! sizes run one after the other. Only MoLaP is trained: the pre-trained monolith, which
//! `Pretrained` must hold, is left at its random initial weights and never used.

use std::time::Instant;

use molap_lab::eval::{self, EvalSet};
use molap_lab::methods::{self, ExperimentConfig, Method, Pretrained};
use molap_lab::network::{Network, NetworkConfig};
use molap_lab::perturb::Perturbation;
use molap_lab::tasks::Task;
use rayon::prelude::*;

/// Trials between two evaluations of the task stage.
const EVAL_EVERY: usize = 6400;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let sizes: Vec<usize> = args
        .next()
        .unwrap_or_else(|| "32,64".into())
        .split(',')
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    let pretrain_trials: usize = args.next().map_or(Ok(64_000), |a| a.parse())?;
    let task_trials: usize = args.next().map_or(Ok(96_000), |a| a.parse())?;

    for units in sizes {
        let start = Instant::now();
        let mut config = ExperimentConfig {
            network: NetworkConfig {
                modules: vec![units; 3],
                ..NetworkConfig::default()
            },
            ..ExperimentConfig::default()
        };
        config.pretrain.trials = pretrain_trials;
        config.task.trials = task_trials;
        config.task.adam.lr = methods::DEFAULT_TASK_LR;
        config.task.batch_size = methods::DEFAULT_TASK_BATCH;

        let primitives = methods::fit_primitives(&config)?;
        let modules = (0..3)
            .into_par_iter()
            .map(|i| {
                let mut trainer = methods::module_trainer(&config, &primitives, i)?;
                while !trainer.done() {
                    trainer.step()?;
                }
                Ok(trainer.network)
            })
            .collect::<molap_lab::Result<Vec<_>>>()?;
        let pretrain_s = start.elapsed().as_secs_f64();
        let unused_monolith = Network::random(
            &NetworkConfig {
                n_out: 3,
                ..config.network_for(Method::PretrainedMonolith)
            },
            0,
        )?;
        let pretrained = Pretrained {
            primitives,
            modules,
            monolith: unused_monolith,
        };

        let evals = EvalSet::all(config.network.dt_ms)?;
        let none = Perturbation::default();
        let mut trainer = methods::task_trainer(Method::Molap, &config, &pretrained)?;
        let mut reached: Vec<Option<usize>> = vec![None; Task::ALL.len()];
        let mut last = Vec::new();
        let mut next_eval = EVAL_EVERY;
        while !trainer.done() {
            trainer.step()?;
            if trainer.trials >= next_eval || trainer.done() {
                next_eval += EVAL_EVERY;
                last = evals.evaluate(&trainer.network, &none)?;
                for (r, &p) in reached.iter_mut().zip(&last) {
                    if r.is_none() && p >= 0.9 {
                        *r = Some(trainer.trials);
                    }
                }
            }
        }
        let (trained, total) = methods::parameter_counts(Method::Molap, &trainer.network);
        println!(
            "\n== modules of {units} units: pre-training {pretrain_trials} trials each took {pretrain_s:.0} s, \
             task stage {task_trials} trials took {:.0} s; {trained}/{total} parameters trained ==",
            start.elapsed().as_secs_f64() - pretrain_s
        );
        for ((task, p), r) in Task::ALL.iter().zip(&last).zip(&reached) {
            let when = r.map_or("not reached".to_string(), |t| format!("{t} trials"));
            println!(
                "{:<14} {:5.1}%   90% after: {when}",
                task.short(),
                100.0 * p
            );
        }
        println!("{:<14} {:5.1}%", "mean", 100.0 * eval::mean(&last));
    }
    Ok(())
}
