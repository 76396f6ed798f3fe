//! `molap sweep`: robustness curves, performance against one perturbation's magnitude for
//! each method, computed in parallel over methods × magnitudes.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use molap_lab::eval::EvalSet;
use molap_lab::methods::Method;
use molap_lab::model::Model;
use molap_lab::perturb::{Kind, Perturbation};
use molap_lab::plots::robustness::RobustnessSeries;
use molap_lab::sweep::{self, SweepPoint};
use molap_lab::tasks::Task;
use rayon::prelude::*;
use serde_json::json;

use super::common::{self, Methods};
use super::eval::present_methods;

/// Parses a perturbation kind's name.
pub fn parse_kind(s: &str) -> std::result::Result<Kind, String> {
    Kind::from_name(s.trim()).map_err(|e| e.to_string())
}

/// What a robustness curve is made of; shared with `molap export --figure robustness`.
#[derive(Debug, Clone, Args)]
pub struct SweepArgs {
    /// The perturbation swept: rec_weight_noise, input_weight_noise, unit_loss, module_loss,
    /// input_noise, recurrent_noise or synapse_loss.
    #[arg(long, default_value = "rec_weight_noise", value_parser = parse_kind)]
    pub kind: Kind,
    /// Magnitudes, comma-separated, in the kind's unit (σ × 1/√fan-in for weight noise,
    /// fractions in [0, 1] for losses, a module number from 1 for module_loss (0: none),
    /// × baseline for the noise levels). Default: eleven steps from none to the page's
    /// maximum, 2 for weight noise, 1 for losses, 20 × baseline for noise levels (module_loss:
    /// none, then each module).
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "VALUES",
        allow_hyphen_values = true
    )]
    pub magnitudes: Option<Vec<f64>>,
    /// Perturbation draws averaged at each magnitude.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=1000))]
    pub draws: u64,
    /// Seed of the first draw (draw d uses seed + d).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

impl SweepArgs {
    /// The magnitudes asked for, each checked against the model.
    pub fn magnitudes(&self, model: &Model) -> Result<Vec<f64>> {
        let n_modules = model.config.network.modules.len();
        let magnitudes = self
            .magnitudes
            .clone()
            .unwrap_or_else(|| sweep::default_magnitudes(self.kind, n_modules));
        for &m in &magnitudes {
            Perturbation::single(self.kind, m, 0)
                .validate(n_modules)
                .with_context(|| format!("bad --magnitudes value {m}"))?;
        }
        anyhow::ensure!(!magnitudes.is_empty(), "--magnitudes lists no value");
        Ok(magnitudes)
    }

    /// The curve of each method in `chosen`, computed in parallel over methods × magnitudes.
    pub fn run(&self, model: &Model, chosen: &Methods) -> Result<Vec<RobustnessSeries>> {
        let magnitudes = self.magnitudes(model)?;
        let methods = present_methods(model, chosen)?;
        let networks = methods
            .iter()
            .map(|&m| Ok(model.network(m).context("missing")?.network.to_network()?))
            .collect::<Result<Vec<_>>>()?;
        let eval = EvalSet::all(model.config.network.dt_ms)?;
        let jobs: Vec<(usize, f64)> = (0..methods.len())
            .flat_map(|i| magnitudes.iter().map(move |&m| (i, m)))
            .collect();
        let bar = point_bar(jobs.len());
        let draws = self.draws as usize;
        let points = jobs
            .par_iter()
            .map(|&(i, m)| {
                let point = sweep::sweep_point(&networks[i], &eval, self.kind, m, draws, self.seed);
                bar.inc(1);
                point
            })
            .collect::<molap_lab::Result<Vec<_>>>()?;
        bar.finish_and_clear();
        let mut points = points.into_iter();
        Ok(methods
            .iter()
            .map(|&method| RobustnessSeries {
                method,
                points: points.by_ref().take(magnitudes.len()).collect(),
            })
            .collect())
    }
}

/// A progress bar counting the curve points done.
fn point_bar(total: usize) -> ProgressBar {
    let bar = common::bars().add(ProgressBar::new(total as u64));
    if let Ok(style) =
        ProgressStyle::with_template("sweep [{bar:30.cyan/blue}] {pos}/{len} points ({eta} left)")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Options of `molap sweep`.
#[derive(Debug, Args)]
pub struct SweepCmd {
    /// The model file whose trained networks are perturbed.
    #[arg(value_name = "MODEL")]
    pub model: PathBuf,
    #[command(flatten)]
    pub sweep: SweepArgs,
    /// Methods to sweep: `all` (every method the file holds) or a comma-separated list of
    /// molap, monolithic, random_modules, pretrained_monolith.
    #[arg(long, default_value = "all", value_name = "METHODS")]
    pub method: Methods,
    /// Also write the curves to this CSV file: one row per method and magnitude, with the
    /// mean, the spread (s.d. over draws) and each task's performance, as fractions.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Print JSON instead of a table: {"kind", "label", "methods": {method: {"area",
    /// "points": [{"magnitude", "mean", "spread", "per_task"}]}}}.
    #[arg(long)]
    pub json: bool,
}

impl SweepCmd {
    /// Runs the subcommand.
    pub fn run(&self) -> Result<()> {
        let model = common::load_model(&self.model)?;
        let series = self.sweep.run(&model, &self.method)?;
        if let Some(path) = &self.csv {
            common::write_atomic(path, &csv_bytes(self.sweep.kind, &series)?)?;
        }
        if self.json {
            println!(
                "{}",
                serde_json::to_string_pretty(&to_json(self.sweep.kind, &series))?
            );
        } else {
            print_table(self.sweep.kind, &series);
        }
        Ok(())
    }
}

/// The curves as CSV: `method,kind,magnitude,mean,spread,<task>...`.
pub fn csv_bytes(kind: Kind, series: &[RobustnessSeries]) -> Result<Vec<u8>> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["method", "kind", "magnitude", "mean", "spread"];
    header.extend(Task::ALL.iter().map(|t| t.short()));
    out.write_record(&header)?;
    for s in series {
        for p in &s.points {
            out.write_record(csv_row(s.method, kind, p))?;
        }
    }
    out.into_inner().context("cannot finish the CSV data")
}

/// One CSV row.
fn csv_row(method: Method, kind: Kind, p: &SweepPoint) -> Vec<String> {
    let mut row = vec![
        method.name().to_string(),
        kind.name().to_string(),
        p.magnitude.to_string(),
        p.mean.to_string(),
        p.spread.to_string(),
    ];
    row.extend(p.per_task.iter().map(f64::to_string));
    row
}

/// The JSON document of `--json`.
fn to_json(kind: Kind, series: &[RobustnessSeries]) -> serde_json::Value {
    let methods: serde_json::Map<String, serde_json::Value> = series
        .iter()
        .map(|s| {
            let value = json!({ "area": sweep::summary(kind, &s.points), "points": s.points });
            (s.method.name().to_string(), value)
        })
        .collect();
    json!({ "kind": kind.name(), "label": kind.label(), "methods": methods })
}

/// The table: one row per magnitude, mean ± s.d. in % per method, then the areas.
fn print_table(kind: Kind, series: &[RobustnessSeries]) {
    println!(
        "performance (% correct, mean of tasks ± s.d. over draws) against {}",
        kind.label()
    );
    let line = |name: &str, cells: Vec<String>| {
        let cells: Vec<String> = cells.iter().map(|c| format!("{c:>22}")).collect();
        println!("{name:<12}{}", cells.join(""));
    };
    line(
        "magnitude",
        series
            .iter()
            .map(|s| s.method.label().to_string())
            .collect(),
    );
    let n = series.first().map_or(0, |s| s.points.len());
    for i in 0..n {
        let cells = series.iter().map(|s| {
            let p = &s.points[i];
            format!(
                "{} ± {}",
                common::percent(p.mean),
                common::percent(p.spread)
            )
        });
        line(
            &kind.setting(series[0].points[i].magnitude),
            cells.collect(),
        );
    }
    let areas = series
        .iter()
        .map(|s| common::percent(sweep::summary(kind, &s.points)));
    line("area %", areas.collect());
    if kind == Kind::ModuleLoss {
        println!("(area: the mean over the modules lost, \"none\" left out)");
    } else {
        println!("(area: the curve's mean height over the magnitude range, trapezoid rule)");
    }
}
