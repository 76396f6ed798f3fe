//! What `molap reproduce` runs: the presets of budgets, the experiment of each seed, and the
//! cost estimate, calibrated on the machine before anything starts.

use std::time::Instant;

use anyhow::{Result, ensure};
use clap::ValueEnum;
use molap_lab::eval::EvalSet;
use molap_lab::methods::{self, ExperimentConfig, Method};
use molap_lab::network::{Network, NetworkConfig};
use molap_lab::optim::Trainable;
use molap_lab::perturb::Kind;
use molap_lab::primitives::Extractor;
use molap_lab::sweep;
use molap_lab::tasks::{self, Task};
use molap_lab::train::{Objective, TrainConfig, Trainer};

/// A named set of budgets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Preset {
    /// Seconds: tiny modules and budgets, for tests of the pipeline only.
    Tiny,
    /// A few minutes: a smoke run whose numbers mean little.
    Quick,
    /// Under an hour on 2 cores: the report the repository keeps.
    Standard,
    /// The default budgets of `molap pretrain`/`train`/`transfer`: many hours.
    Full,
}

impl Preset {
    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Tiny => "tiny",
            Preset::Quick => "quick",
            Preset::Standard => "standard",
            Preset::Full => "full",
        }
    }
}

/// Every budget of a reproduction run.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The preset the budgets started from.
    pub preset: Preset,
    /// Seeds `1..=seeds`.
    pub seeds: u64,
    /// Units per module.
    pub modules: Vec<usize>,
    /// Pre-training budget per module and for the monolith, trials.
    pub pretrain_trials: usize,
    /// Task-stage budget per method, trials.
    pub task_trials: usize,
    /// Evaluate every task every this many task-stage trials.
    pub eval_every: usize,
    /// Magnitudes per robustness curve, from none to the strongest (module loss: each module).
    pub points: usize,
    /// Perturbation draws per magnitude.
    pub draws: usize,
    /// Tasks held out in turn for the generalisation experiment.
    pub held_out: Vec<Task>,
    /// Methods compared on the held-out tasks.
    pub transfer_methods: Vec<Method>,
    /// Budget for learning a held-out task, trials.
    pub transfer_trials: usize,
    /// Check the held-out task every this many trials.
    pub transfer_eval_every: usize,
    /// Performance (fraction correct) that counts as learned.
    pub criterion: f64,
    /// Whether to run the extractor and module-size ablations of MoLaP.
    pub ablations: bool,
}

impl Plan {
    /// The budgets of `preset`.
    pub fn of(preset: Preset) -> Plan {
        let base = Plan {
            preset,
            seeds: 5,
            modules: vec![32, 32, 32],
            pretrain_trials: 48_000,
            task_trials: 48_000,
            eval_every: 1600,
            points: 5,
            draws: 1,
            held_out: vec![Task::MemoryAnti, Task::MultiMemoryDm],
            transfer_methods: vec![Method::Molap, Method::Monolithic],
            transfer_trials: 12_800,
            transfer_eval_every: 640,
            criterion: 0.9,
            ablations: false,
        };
        match preset {
            Preset::Tiny => Plan {
                modules: vec![4, 4, 4],
                pretrain_trials: 64,
                task_trials: 128,
                eval_every: 64,
                points: 2,
                draws: 1,
                held_out: vec![Task::DelayPro],
                transfer_methods: vec![Method::Molap, Method::Monolithic],
                transfer_trials: 64,
                transfer_eval_every: 32,
                ..base
            },
            Preset::Quick => Plan {
                pretrain_trials: 1600,
                task_trials: 3200,
                eval_every: 800,
                points: 3,
                held_out: vec![Task::MemoryAnti],
                transfer_methods: vec![Method::Molap, Method::Monolithic],
                transfer_trials: 1600,
                transfer_eval_every: 320,
                ..base
            },
            Preset::Standard => base,
            Preset::Full => Plan {
                pretrain_trials: methods::DEFAULT_PRETRAIN_TRIALS,
                task_trials: methods::DEFAULT_TASK_TRIALS,
                eval_every: 3200,
                points: 11,
                draws: 5,
                held_out: Task::ALL.to_vec(),
                transfer_trials: 64_000,
                transfer_eval_every: 640,
                ..base
            },
        }
    }

    /// Checks the budgets; the error names the first bad one.
    pub fn validate(&self) -> Result<()> {
        ensure!(self.seeds >= 1, "--seeds must be at least 1");
        ensure!(
            !self.modules.is_empty() && self.modules.len() <= tasks::N_OUT,
            "--modules must list 1 to {} module sizes",
            tasks::N_OUT
        );
        ensure!(
            self.points >= 2,
            "--points must be at least 2 (none and the strongest)"
        );
        ensure!(self.draws >= 1, "--draws must be at least 1");
        for (name, v) in [
            ("--pretrain-trials", self.pretrain_trials),
            ("--task-trials", self.task_trials),
            ("--eval-every", self.eval_every),
            ("--transfer-trials", self.transfer_trials),
            ("--transfer-eval-every", self.transfer_eval_every),
        ] {
            ensure!(v >= 1, "{name} must be at least 1 trial");
        }
        ensure!(
            !self.transfer_methods.is_empty() || self.held_out.is_empty(),
            "--transfer-methods lists no method"
        );
        self.config(1, &Task::ALL, &Variant::Reference)?;
        Ok(())
    }

    /// The seeds, `1..=seeds`.
    pub fn seed_list(&self) -> Vec<u64> {
        (1..=self.seeds).collect()
    }

    /// The experiment of `seed` on `tasks` (pre-training and task stage), as `variant` changes
    /// it. Seed 1 is the default configuration of `molap pretrain` and `molap train`; seed s
    /// moves the initialisation, the pre-training draws and the task-stage draws.
    pub fn config(&self, seed: u64, tasks: &[Task], variant: &Variant) -> Result<ExperimentConfig> {
        let mut config = ExperimentConfig::default();
        let shift = 100 * (seed - 1);
        config.seed = seed;
        config.network.modules = variant.modules(&self.modules);
        config.extractor = variant.extractor();
        config.pretrain.trials = self.pretrain_trials;
        config.pretrain.adam.lr = methods::DEFAULT_PRETRAIN_LR;
        config.pretrain.batch_size = methods::DEFAULT_PRETRAIN_BATCH;
        config.pretrain.seed += shift;
        config.pretrain.tasks = tasks.to_vec();
        config.task.trials = self.task_trials;
        config.task.adam.lr = methods::DEFAULT_TASK_LR;
        config.task.batch_size = methods::DEFAULT_TASK_BATCH;
        config.task.seed += shift;
        config.task.tasks = tasks.to_vec();
        config.validate()?;
        Ok(config)
    }

    /// The magnitudes of `kind`'s curve: `points` evenly spaced from none to the strongest of
    /// `molap sweep`'s default range (each module for module loss, numbered from 1; the
    /// unperturbed network is measured apart).
    pub fn magnitudes(&self, kind: Kind) -> Vec<f64> {
        let defaults = sweep::default_magnitudes(kind, self.modules.len());
        if kind == Kind::ModuleLoss {
            return defaults.into_iter().filter(|&m| m > 0.0).collect();
        }
        let max = defaults.last().copied().unwrap_or(1.0);
        let n = self.points - 1;
        (0..=n).map(|i| max * i as f64 / n as f64).collect()
    }

    /// The ablation variants run (none without `--ablations`).
    pub fn variants(&self) -> Vec<Variant> {
        if !self.ablations {
            return Vec::new();
        }
        let mut variants = vec![Variant::Pca, Variant::HalfModules];
        if self.modules.len() > 1 {
            variants.push(Variant::FewerPrimitives);
        }
        variants
    }

    /// Seed of the first perturbation draw of `seed` (draw d uses this + d).
    pub fn perturbation_seed(seed: u64) -> u64 {
        1000 * seed
    }
}

/// A change to MoLaP's design, for the ablations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// The design as configured.
    Reference,
    /// Primitives from principal components of the targets instead of canonical correlation.
    Pca,
    /// Modules of half the size.
    HalfModules,
    /// One module (and primitive) fewer, with the same total number of units.
    FewerPrimitives,
}

impl Variant {
    /// A label for tables.
    pub fn label(self) -> &'static str {
        match self {
            Variant::Reference => "MoLaP as configured (CCA)",
            Variant::Pca => "PCA extractor",
            Variant::HalfModules => "modules of half the size",
            Variant::FewerPrimitives => "one primitive fewer, same units",
        }
    }

    /// The name in CSV files.
    pub fn name(self) -> &'static str {
        match self {
            Variant::Reference => "reference",
            Variant::Pca => "pca",
            Variant::HalfModules => "half_modules",
            Variant::FewerPrimitives => "fewer_primitives",
        }
    }

    /// The module sizes under this variant.
    pub fn modules(self, modules: &[usize]) -> Vec<usize> {
        match self {
            Variant::HalfModules => modules.iter().map(|&n| (n / 2).max(1)).collect(),
            Variant::FewerPrimitives if modules.len() > 1 => {
                let k = modules.len() - 1;
                let total: usize = modules.iter().sum();
                (0..k)
                    .map(|i| total / k + usize::from(i < total % k))
                    .collect()
            }
            _ => modules.to_vec(),
        }
    }

    /// The extractor under this variant.
    pub fn extractor(self) -> Extractor {
        match self {
            Variant::Pca => Extractor::Pca,
            _ => Extractor::Cca,
        }
    }
}

/// Seconds of one core per unit of work, measured on this machine.
///
/// TODO: the estimate counts every held-out stage at its whole budget (most stop earlier at
/// the criterion) and takes the machine's load at calibration time as given; on a machine
/// whose load changes during the run, the measured time can differ from it by a factor of 2.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cost {
    /// Training, per trial and per unit of the network.
    pub train: f64,
    /// Evaluation (a forward pass), per trial and per unit.
    pub eval: f64,
}

/// Trials of one task's evaluation batch.
const EVAL_TRIALS: f64 = tasks::EVAL_BATCH_SIZE as f64;

impl Cost {
    /// Times one task-stage iteration per task and one evaluation of a network of `units`.
    pub fn calibrate(units: usize) -> Result<Cost> {
        let net_config = NetworkConfig {
            modules: vec![units],
            ..NetworkConfig::default()
        };
        let network = Network::random(&net_config, 1)?;
        let train = TrainConfig {
            trials: tasks::N_TASKS * methods::DEFAULT_TASK_BATCH,
            batch_size: methods::DEFAULT_TASK_BATCH,
            ..TrainConfig::default()
        };
        let mut trainer = Trainer::new(network, Trainable::all(), Objective::Tasks, train)?;
        let start = Instant::now();
        trainer.run(tasks::N_TASKS)?;
        let train = start.elapsed().as_secs_f64() / (trainer.trials * units) as f64;
        let eval = EvalSet::all(net_config.dt_ms)?;
        let start = Instant::now();
        eval.evaluate(&trainer.network, &Default::default())?;
        let per = (tasks::N_TASKS as f64 * EVAL_TRIALS) * units as f64;
        Ok(Cost {
            train,
            eval: start.elapsed().as_secs_f64() / per,
        })
    }

    /// Training `trials` trials of a network of `units`.
    pub fn training(&self, units: usize, trials: usize) -> f64 {
        self.train * (trials * units) as f64
    }

    /// One evaluation of `n_tasks` tasks of a network of `units`.
    pub fn evaluation(&self, units: usize, n_tasks: usize) -> f64 {
        self.eval * EVAL_TRIALS * (n_tasks * units) as f64
    }
}

/// The estimated cost of each part of a plan, in seconds of one core.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Estimate {
    /// Pre-training (all seeds, the main experiment and the ablations' variants).
    pub pretraining: f64,
    /// Task stages of the main experiment, with their learning-curve evaluations.
    pub task_stage: f64,
    /// Robustness sweeps.
    pub robustness: f64,
    /// Pre-training, task stage and held-out stage of every held-out task.
    pub generalisation: f64,
    /// Task stages and sweeps of the ablations' variants.
    pub ablations: f64,
}

impl Estimate {
    /// The sum, seconds of one core.
    pub fn total(&self) -> f64 {
        self.pretraining + self.task_stage + self.robustness + self.generalisation + self.ablations
    }
}

impl Plan {
    /// Pre-training one experiment: every module and the monolith.
    pub fn pretrain_cost(&self, cost: &Cost, modules: &[usize]) -> f64 {
        let units: usize = modules.iter().sum();
        let each: f64 = modules
            .iter()
            .map(|&n| cost.training(n, self.pretrain_trials))
            .sum();
        each + cost.training(units, self.pretrain_trials)
    }

    /// One method's task stage with its learning curve, on `n_tasks` tasks.
    pub fn task_stage_cost(&self, cost: &Cost, units: usize, n_tasks: usize) -> f64 {
        let evals = self.task_trials.div_ceil(self.eval_every) + 2;
        cost.training(units, self.task_trials) + evals as f64 * cost.evaluation(units, n_tasks)
    }

    /// One method's robustness curves (every kind).
    pub fn robustness_cost(&self, cost: &Cost, units: usize) -> f64 {
        let points: usize = Kind::ALL.iter().map(|&k| self.magnitudes(k).len()).sum();
        (points * self.draws) as f64 * cost.evaluation(units, tasks::N_TASKS)
    }

    /// One method's held-out stage at its whole budget.
    pub fn held_out_cost(&self, cost: &Cost, units: usize) -> f64 {
        let checks = self.transfer_trials.div_ceil(self.transfer_eval_every) + 1;
        cost.training(units, self.transfer_trials)
            + checks as f64 * cost.evaluation(units, 1)
            + 2.0 * cost.evaluation(units, tasks::N_TASKS - 1)
    }

    /// One method's task stage on eight tasks without a learning curve.
    pub fn eight_task_cost(&self, cost: &Cost, units: usize) -> f64 {
        cost.training(units, self.task_trials) + cost.evaluation(units, tasks::N_TASKS - 1)
    }

    /// The estimated cost of the whole plan.
    pub fn estimate(&self, cost: &Cost) -> Estimate {
        let seeds = self.seeds as f64;
        let units: usize = self.modules.iter().sum();
        let methods = Method::ALL.len() as f64;
        let held = self.held_out.len() as f64;
        let transfer = self.transfer_methods.len() as f64;
        let per_held_out = self.pretrain_cost(cost, &self.modules)
            + transfer * (self.eight_task_cost(cost, units) + self.held_out_cost(cost, units));
        let ablations: f64 = self
            .variants()
            .iter()
            .map(|v| self.variant_cost(cost, v))
            .fold(0.0, |a, b| a + b);
        Estimate {
            pretraining: seeds * self.pretrain_cost(cost, &self.modules),
            task_stage: seeds * methods * self.task_stage_cost(cost, units, tasks::N_TASKS),
            robustness: seeds * methods * self.robustness_cost(cost, units),
            generalisation: seeds * held * per_held_out,
            ablations: seeds * ablations,
        }
    }

    /// One seed of one ablation variant: pre-training, MoLaP's task stage and its recurrent
    /// weight noise curve.
    pub fn variant_cost(&self, cost: &Cost, variant: &Variant) -> f64 {
        let modules = variant.modules(&self.modules);
        let units: usize = modules.iter().sum();
        let sweep = (self.magnitudes(Kind::RecWeightNoise).len() * self.draws) as f64;
        self.pretrain_cost(cost, &modules)
            + self.task_stage_cost(cost, units, tasks::N_TASKS)
            + sweep * cost.evaluation(units, tasks::N_TASKS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_validate_and_grow() {
        let cost = Cost {
            train: 1e-5,
            eval: 4e-6,
        };
        let mut last = 0.0;
        for preset in Preset::value_variants() {
            let plan = Plan::of(*preset);
            plan.validate().unwrap();
            let total = plan.estimate(&cost).total();
            assert!(
                total > last,
                "{} is not dearer than the preset before",
                preset.name()
            );
            last = total;
        }
    }

    #[test]
    fn variants_keep_or_halve_units() {
        assert_eq!(
            Variant::FewerPrimitives.modules(&[32, 32, 32]),
            vec![48, 48]
        );
        assert_eq!(
            Variant::HalfModules.modules(&[32, 32, 32]),
            vec![16, 16, 16]
        );
        assert_eq!(Variant::Pca.modules(&[8]), vec![8]);
    }

    #[test]
    fn magnitudes_span_the_default_range() {
        let plan = Plan::of(Preset::Standard);
        assert_eq!(
            plan.magnitudes(Kind::UnitLoss),
            vec![0.0, 0.25, 0.5, 0.75, 1.0]
        );
        assert_eq!(
            plan.magnitudes(Kind::InputNoise),
            vec![0.0, 5.0, 10.0, 15.0, 20.0]
        );
        assert_eq!(plan.magnitudes(Kind::ModuleLoss), vec![1.0, 2.0, 3.0]);
    }
}
