//! `molap eval`: per-task performance of each method's trained network, optionally under
//! perturbations, as a table or as JSON.

use std::path::PathBuf;
use std::str::FromStr;

use anyhow::{Context, Result, bail};
use clap::Args;
use molap_lab::eval::{self, EvalSet};
use molap_lab::methods::{self, Method};
use molap_lab::model::Model;
use molap_lab::perturb::{Kind, Perturbation};
use molap_lab::tasks::Task;
use rayon::prelude::*;
use serde_json::{Map, Value, json};

use super::common::{self, Methods};

/// One `--perturb kind=value` option.
#[derive(Debug, Clone, PartialEq)]
pub struct PerturbArg {
    /// Which perturbation.
    pub kind: Kind,
    /// Its magnitude, in the kind's unit.
    pub value: f64,
}

impl FromStr for PerturbArg {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let (name, value) = s
            .split_once('=')
            .ok_or_else(|| format!("`{s}` is not of the form kind=value"))?;
        let kind = Kind::from_name(name.trim()).map_err(|e| e.to_string())?;
        let value = value
            .trim()
            .parse()
            .map_err(|_| format!("`{value}` is not a number"))?;
        Ok(PerturbArg { kind, value })
    }
}

/// Options of `molap eval`.
#[derive(Debug, Args)]
pub struct EvalCmd {
    /// The model file to evaluate.
    #[arg(value_name = "MODEL")]
    pub model: PathBuf,
    /// Methods to evaluate: `all` (every method the file holds), or a comma-separated list
    /// of molap, monolithic, random_modules, pretrained_monolith.
    #[arg(long, default_value = "all", value_name = "METHODS")]
    pub method: Methods,
    /// Print JSON instead of a table: {method: {"performance": {task: fraction}, "mean",
    /// "trained_params", "total_params"}}.
    #[arg(long)]
    pub json: bool,
    /// A perturbation, repeatable: rec_weight_noise=σ (≥ 0, × 1/√fan-in),
    /// input_weight_noise=σ (≥ 0), unit_loss=p (fraction in [0, 1]), module_loss=m (module
    /// number from 1), input_noise=x (multiplier ≥ 0, 1 = baseline), recurrent_noise=x
    /// (multiplier ≥ 0), synapse_loss=p (fraction in [0, 1]). Default: none.
    #[arg(long, value_name = "KIND=VALUE")]
    pub perturb: Vec<PerturbArg>,
    /// Seed of the perturbations' random draws.
    #[arg(long, default_value_t = 0, value_name = "SEED")]
    pub perturb_seed: u64,
}

/// One method's evaluation.
struct Row {
    method: Method,
    performance: Vec<f64>,
    trained: usize,
    total: usize,
}

impl EvalCmd {
    /// Runs the subcommand.
    pub fn run(&self) -> Result<()> {
        let model = common::load_model(&self.model)?;
        let perturbation = perturbation(&self.perturb, self.perturb_seed, &model)?;
        let chosen = present_methods(&model, &self.method)?;
        let eval = EvalSet::all(model.config.network.dt_ms)?;
        let rows = chosen
            .par_iter()
            .map(|&method| evaluate(&model, method, &eval, &perturbation))
            .collect::<Result<Vec<_>>>()?;
        if self.json {
            println!(
                "{}",
                serde_json::to_string_pretty(&to_json(&rows, &eval.tasks()))?
            );
        } else {
            print_table(&rows, &eval.tasks());
        }
        Ok(())
    }
}

/// The perturbation the options ask for, checked against the model's modules.
pub fn perturbation(args: &[PerturbArg], seed: u64, model: &Model) -> Result<Perturbation> {
    let mut p = Perturbation {
        seed,
        ..Perturbation::default()
    };
    for a in args {
        p.set(a.kind, a.value);
    }
    p.validate(model.config.network.modules.len())
        .context("bad --perturb value")?;
    Ok(p)
}

/// The methods of `wanted` the model holds a trained network for. With `all`, the ones
/// present; a method named explicitly but absent is an error.
pub fn present_methods(model: &Model, wanted: &Methods) -> Result<Vec<Method>> {
    let (all, wanted) = (wanted.all, &wanted.list);
    let present: Vec<Method> = wanted
        .iter()
        .copied()
        .filter(|&m| model.network(m).is_some())
        .collect();
    if !all && let Some(missing) = wanted.iter().find(|m| !present.contains(m)) {
        bail!(
            "the model file holds no trained network for {} (run `molap train` first)",
            missing.label()
        );
    }
    if present.is_empty() {
        bail!("the model file holds no trained network (run `molap train` first)");
    }
    Ok(present)
}

/// Evaluates one method's network.
fn evaluate(
    model: &Model,
    method: Method,
    eval: &EvalSet,
    perturbation: &Perturbation,
) -> Result<Row> {
    let saved = model.network(method).context("method missing")?;
    let network = saved.network.to_network()?;
    let performance = eval.evaluate(&network, perturbation)?;
    let (trained, total) = methods::parameter_counts(method, &network);
    Ok(Row {
        method,
        performance,
        trained,
        total,
    })
}

/// The JSON document of `--json`.
fn to_json(rows: &[Row], tasks: &[Task]) -> Value {
    let mut out = Map::new();
    for row in rows {
        let per_task: Map<String, Value> = tasks
            .iter()
            .zip(&row.performance)
            .map(|(t, p)| (t.short().to_string(), json!(p)))
            .collect();
        out.insert(
            row.method.name().to_string(),
            json!({
                "performance": per_task,
                "mean": eval::mean(&row.performance),
                "trained_params": row.trained,
                "total_params": row.total,
            }),
        );
    }
    Value::Object(out)
}

/// The table: one column per method, one row per task, performance in %.
fn print_table(rows: &[Row], tasks: &[Task]) {
    let line = |name: &str, cells: Vec<String>| {
        let cells: Vec<String> = cells.iter().map(|c| format!("{c:>22}")).collect();
        println!("{name:<24}{}", cells.join(""));
    };
    line(
        "",
        rows.iter().map(|r| r.method.label().to_string()).collect(),
    );
    for (i, task) in tasks.iter().enumerate() {
        let cells = rows.iter().map(|r| common::percent(r.performance[i]));
        line(&format!("{} %", task.short()), cells.collect());
    }
    let means = rows
        .iter()
        .map(|r| common::percent(eval::mean(&r.performance)));
    line("mean %", means.collect());
    let counts = rows.iter().map(|r| format!("{}/{}", r.trained, r.total));
    line("trained/total params", counts.collect());
}
