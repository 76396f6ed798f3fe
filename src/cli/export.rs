//! `molap export`: a figure of a model file as SVG or PNG (drawn by the shared plot layouts
//! in `molap_lab::plots`), or the figure's data as CSV.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use clap::{Args, ValueEnum};
use molap_lab::eval::{self};
use molap_lab::methods::{self};
use molap_lab::model::{self, Model};
use molap_lab::perturb::Kind;
use molap_lab::plots::efficiency::{self, ParameterCount, TrialsToCriterion};
use molap_lab::plots::learning::{self, LearningSeries};
use molap_lab::plots::performance::{self, MethodPerformance};
use molap_lab::plots::robustness::{self, RobustnessSeries};
use molap_lab::plots::{DrawResult, register_fonts};
use molap_lab::report;
use molap_lab::tasks::Task;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::common::{self, Methods};
use super::sweep::{self, SweepArgs};

/// The figures `export` draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Figure {
    /// Grouped bars: per-task performance of each method, in %.
    Performance,
    /// Performance (mean of tasks, optionally one task) and loss against trials seen.
    Learning,
    /// Mean performance against a perturbation's magnitude (computes a sweep; see --kind).
    Robustness,
    /// Trained and frozen parameter counts of each method.
    Efficiency,
}

/// The file formats `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Scalable vector graphics.
    Svg,
    /// A bitmap image.
    Png,
    /// The figure's data, comma-separated, one observation per row.
    Csv,
}

/// Options of `molap export`.
#[derive(Debug, Args)]
pub struct ExportCmd {
    /// The model file whose results are drawn.
    #[arg(value_name = "MODEL")]
    pub model: PathBuf,
    /// Which figure.
    #[arg(long, value_enum)]
    pub figure: Figure,
    /// The file format. Default: from the extension of --out.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// The file to write (replaced only once the figure is complete).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Figure width, in px (320 to 8000).
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(320..=8000))]
    pub width: u32,
    /// Figure height, in px (240 to 8000).
    #[arg(long, default_value_t = 560, value_parser = clap::value_parser!(u32).range(240..=8000))]
    pub height: u32,
    /// Learning figure only: also draw this task's performance (short name, e.g. memoryanti).
    #[arg(long, value_name = "TASK")]
    pub task: Option<Task>,
    /// Robustness figure only: a vertical marker at this magnitude (the value currently
    /// applied), in the kind's unit.
    #[arg(long, value_name = "VALUE", allow_hyphen_values = true)]
    pub marker: Option<f64>,
    /// Methods drawn: `all` (every method the file holds) or a comma-separated list of
    /// molap, monolithic, random_modules, pretrained_monolith.
    #[arg(long, default_value = "all", value_name = "METHODS")]
    pub method: Methods,
    #[command(
        flatten,
        next_help_heading = "Robustness figure only (the sweep it computes)"
    )]
    pub sweep: SweepArgs,
}

/// A figure's data, ready to draw or to write as CSV.
enum Data {
    Performance(Vec<MethodPerformance>),
    Learning(Vec<LearningSeries>),
    Robustness(Kind, Vec<RobustnessSeries>),
    Efficiency(Vec<ParameterCount>, Vec<TrialsToCriterion>),
}

impl ExportCmd {
    /// Runs the subcommand.
    pub fn run(&self) -> Result<()> {
        let format = self.format.map_or_else(|| format_of(&self.out), Ok)?;
        let model = common::load_model(&self.model)?;
        let data = self.data(&model)?;
        match format {
            Format::Csv => common::write_atomic(&self.out, &csv_bytes(&data)?)?,
            Format::Svg => common::write_atomic(&self.out, self.svg(&data)?.as_bytes())?,
            Format::Png => self.png(&data)?,
        }
        log::info!("wrote {}", self.out.display());
        Ok(())
    }

    /// Collects the chosen figure's data from the model (sweeping for robustness).
    fn data(&self, model: &Model) -> Result<Data> {
        let methods = super::eval::present_methods(model, &self.method)?;
        let trained = methods.iter().filter_map(|&m| model.network(m));
        Ok(match self.figure {
            Figure::Performance => Data::Performance(
                trained
                    .map(|n| MethodPerformance {
                        method: n.method,
                        per_task: n.performance.clone(),
                    })
                    .collect(),
            ),
            Figure::Learning => Data::Learning(
                trained
                    .map(|n| LearningSeries {
                        method: n.method,
                        curve: n.curve.clone(),
                        history: n.history.clone(),
                    })
                    .collect(),
            ),
            // TODO: the robustness figure recomputes its sweep from the model every time;
            // reading the output of `molap sweep --json` instead would spare researchers
            // repeating a long many-draw sweep just to restyle or resize its figure.
            Figure::Robustness => {
                Data::Robustness(self.sweep.kind, self.sweep.run(model, &self.method)?)
            }
            Figure::Efficiency => {
                let networks: Vec<_> = trained.collect();
                let counts = networks
                    .iter()
                    .map(|n| {
                        let net = n.network.to_network()?;
                        let (trained, total) = methods::parameter_counts(n.method, &net);
                        Ok(ParameterCount {
                            method: n.method,
                            trained,
                            total,
                        })
                    })
                    .collect::<molap_lab::Result<_>>()?;
                let speed = networks
                    .iter()
                    .filter(|n| !n.curve.is_empty())
                    .map(|n| report::trials_to_criterion(n.method, &n.curve))
                    .collect();
                Data::Efficiency(counts, speed)
            }
        })
    }

    /// Draws the figure on any backend.
    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        data: &Data,
    ) -> DrawResult<DB> {
        match data {
            Data::Performance(d) => performance::draw_performance(area, &Task::ALL, d),
            Data::Learning(d) => learning::draw_learning(area, d, self.task),
            Data::Robustness(kind, d) => robustness::draw_robustness(area, *kind, d, self.marker),
            Data::Efficiency(counts, speed) => {
                efficiency::draw_efficiency_panel(area, counts, speed, model::CRITERION)
            }
        }
    }

    /// The figure as an SVG document.
    fn svg(&self, data: &Data) -> Result<String> {
        register_fonts();
        let mut svg = String::new();
        {
            let size = (self.width, self.height);
            let area = SVGBackend::with_string(&mut svg, size).into_drawing_area();
            self.draw(&area, data)
                .map_err(|e| anyhow!("cannot draw the figure: {e}"))?;
        }
        Ok(svg)
    }

    /// Draws the figure into a PNG beside --out, then renames it into place.
    fn png(&self, data: &Data) -> Result<()> {
        register_fonts();
        let temp = common::temp_file_builder()
            .suffix(".png")
            .tempfile_in(common::parent_dir(&self.out))
            .with_context(|| format!("cannot create a file beside {}", self.out.display()))?;
        {
            let size = (self.width, self.height);
            let area = BitMapBackend::new(temp.path(), size).into_drawing_area();
            self.draw(&area, data)
                .map_err(|e| anyhow!("cannot draw or write the figure: {e}"))?;
        }
        temp.persist(&self.out)
            .with_context(|| format!("cannot write {}", self.out.display()))?;
        Ok(())
    }
}

/// The format named by a file's extension.
fn format_of(path: &Path) -> Result<Format> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("svg") => Ok(Format::Svg),
        Some("png") => Ok(Format::Png),
        Some("csv") => Ok(Format::Csv),
        _ => Err(anyhow!(
            "cannot tell the format from `{}`: give --format svg, png or csv",
            path.display()
        )),
    }
}

/// The figure's data as CSV, one observation per row.
fn csv_bytes(data: &Data) -> Result<Vec<u8>> {
    match data {
        Data::Robustness(kind, series) => return sweep::csv_bytes(*kind, series),
        Data::Efficiency(counts, speed) => {
            let rows: Vec<_> = counts
                .iter()
                .map(|c| report::Efficiency {
                    method: c.method,
                    trained: c.trained,
                    total: c.total,
                })
                .collect();
            return Ok(report::efficiency_csv(&rows, speed).into_bytes());
        }
        _ => {}
    }
    let mut out = csv::Writer::from_writer(Vec::new());
    match data {
        Data::Performance(d) => {
            out.write_record(["method", "task", "performance"])?;
            for m in d {
                for (t, p) in Task::ALL.iter().zip(&m.per_task) {
                    out.write_record([m.method.name(), t.short(), &p.to_string()])?;
                }
            }
        }
        Data::Learning(d) => write_learning(&mut out, d)?,
        Data::Efficiency(..) | Data::Robustness(..) => {}
    }
    out.into_inner().context("cannot finish the CSV data")
}

/// Learning curves as rows `method,series,trials,value`: series `loss`, `mean` (performance,
/// mean of tasks) or a task's short name (its performance).
fn write_learning(out: &mut csv::Writer<Vec<u8>>, d: &[LearningSeries]) -> Result<()> {
    out.write_record(["method", "series", "trials", "value"])?;
    for s in d {
        let name = s.method.name();
        for p in &s.history {
            out.write_record([name, "loss", &p.trials.to_string(), &p.loss.to_string()])?;
        }
        for p in &s.curve {
            let trials = p.trials.to_string();
            let mean = eval::mean(&p.per_task).to_string();
            out.write_record([name, "mean", &trials, &mean])?;
            for (t, v) in Task::ALL.iter().zip(&p.per_task) {
                out.write_record([name, t.short(), &trials, &v.to_string()])?;
            }
        }
    }
    Ok(())
}
