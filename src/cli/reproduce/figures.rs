//! The report's figures as SVG documents, drawn by the shared plot layouts of
//! `molap_lab::plots` from the summaries over seeds.

use anyhow::{Result, anyhow};
use molap_lab::eval;
use molap_lab::methods::Method;
use molap_lab::perturb::Kind;
use molap_lab::plots::bands::{self, BandPoint, BandSeries, Panel};
use molap_lab::plots::efficiency::{self, ParameterCount};
use molap_lab::plots::whiskers::{self, Whisker, WhiskerSeries};
use molap_lab::plots::{Area, DrawResult, register_fonts};
use molap_lab::tasks::Task;
use plotters::prelude::*;

use super::experiments::{MethodRun, SeedRun};
use super::measures as ms;
use super::report::{Run, kind_name};
use super::stats::Spread;

/// A figure's file name and SVG text.
pub type Figure = (&'static str, String);

/// Every figure of the report.
pub fn all(run: &Run<'_>) -> Result<Vec<Figure>> {
    register_fonts();
    let mut figures = vec![
        (
            "parameters.svg",
            svg((1000, 560), |a| parameters(a, run.runs))?,
        ),
        ("learning.svg", svg((1300, 560), |a| learning(a, run))?),
        (
            "performance.svg",
            svg((1300, 560), |a| performance(a, run.runs))?,
        ),
        (
            "robustness.svg",
            svg((1500, 900), |a| robustness(a, run.runs))?,
        ),
    ];
    if !run.plan.held_out.is_empty() {
        let columns = run.plan.held_out.len().min(3);
        let rows = run.plan.held_out.len().div_ceil(3) as u32;
        let size = (450 * columns as u32 + 200, 120 + 420 * rows);
        figures.push(("generalisation.svg", svg(size, |a| generalisation(a, run))?));
    }
    Ok(figures)
}

/// Draws into an SVG string of `size` px.
fn svg(
    size: (u32, u32),
    draw: impl for<'a> FnOnce(&Area<SVGBackend<'a>>) -> DrawResult<SVGBackend<'a>>,
) -> Result<String> {
    let mut text = String::new();
    {
        let area = SVGBackend::with_string(&mut text, size).into_drawing_area();
        draw(&area).map_err(|e| anyhow!("cannot draw a figure: {e}"))?;
    }
    Ok(text)
}

/// Parameter counts (the same for every seed: the first seed's).
fn parameters<DB: DrawingBackend>(area: &Area<DB>, runs: &[SeedRun]) -> DrawResult<DB> {
    let counts: Vec<ParameterCount> = runs
        .first()
        .map(|r| {
            r.methods
                .iter()
                .map(|m| ParameterCount {
                    method: m.method,
                    trained: m.trained_params,
                    total: m.total_params,
                })
                .collect()
        })
        .unwrap_or_default();
    efficiency::draw_efficiency(area, &counts)
}

/// A band point from values over seeds: the mean with the minimum and maximum.
fn min_max(x: f64, values: &[f64], scale: f64) -> BandPoint {
    let s = Spread::of(values);
    BandPoint {
        x,
        mean: scale * s.mean,
        lo: scale * s.min,
        hi: scale * s.max,
    }
}

/// Curves over seeds on a common grid of x values: seed curves shorter than the longest are
/// held at their last value.
fn over_seeds(curves: &[Vec<(usize, f64)>], scale: f64) -> Vec<BandPoint> {
    let Some(longest) = curves.iter().max_by_key(|c| c.len()) else {
        return Vec::new();
    };
    (0..longest.len())
        .map(|i| {
            let values: Vec<f64> = curves
                .iter()
                .filter_map(|c| c.get(i).or(c.last()).map(|p| p.1))
                .collect();
            min_max(longest[i].0 as f64, &values, scale)
        })
        .collect()
}

/// Mean performance and tasks reached against task-stage trials.
fn learning<DB: DrawingBackend>(area: &Area<DB>, run: &Run<'_>) -> DrawResult<DB> {
    let criterion = run.plan.criterion;
    let series = |f: &dyn Fn(&MethodRun) -> Vec<(usize, f64)>, scale: f64| {
        Method::ALL
            .iter()
            .map(|&m| {
                let curves: Vec<_> = run
                    .runs
                    .iter()
                    .filter_map(|r| ms::method(r, m))
                    .map(f)
                    .collect();
                BandSeries {
                    method: m,
                    points: over_seeds(&curves, scale),
                }
            })
            .collect::<Vec<_>>()
    };
    let mean = |m: &MethodRun| {
        m.curve
            .iter()
            .map(|p| (p.trials, eval::mean(&p.per_task)))
            .collect()
    };
    let reached = |m: &MethodRun| ms::tasks_reached_curve(&m.curve, criterion);
    let panels = [
        Panel {
            title: "performance, mean of the nine tasks".to_string(),
            x_desc: "task-stage trials".to_string(),
            y_desc: "performance (% correct)".to_string(),
            y_range: (0.0, 100.0),
            series: series(&mean, 100.0),
        },
        Panel {
            title: format!("tasks that have reached {:.0}%", 100.0 * criterion),
            x_desc: "task-stage trials".to_string(),
            y_desc: "tasks (of 9)".to_string(),
            y_range: (0.0, 9.0),
            series: series(&reached, 1.0),
        },
    ];
    bands::draw_band_panels(
        area,
        "Learning over seeds",
        &panels,
        2,
        "band: seeds' range",
    )
}

/// Final performance per task, whiskers over seeds.
fn performance<DB: DrawingBackend>(area: &Area<DB>, runs: &[SeedRun]) -> DrawResult<DB> {
    let series: Vec<WhiskerSeries> = Method::ALL
        .iter()
        .map(|&m| WhiskerSeries {
            method: m,
            bars: (0..Task::ALL.len())
                .map(|i| {
                    let s = Spread::of(&ms::per_seed(runs, m, &|r| r.performance[i]));
                    Whisker {
                        mean: 100.0 * s.mean,
                        lo: 100.0 * s.min,
                        hi: 100.0 * s.max,
                    }
                })
                .collect(),
        })
        .collect();
    let groups: Vec<&str> = Task::ALL.iter().map(|t| t.short()).collect();
    whiskers::draw_whisker_bars(
        area,
        "Final performance per task",
        &groups,
        ("task", "performance (% correct)"),
        100.0,
        &series,
        "whiskers: min–max over seeds",
    )
}

/// One panel per perturbation: mean and s.d. over seeds and draws.
fn robustness<DB: DrawingBackend>(area: &Area<DB>, runs: &[SeedRun]) -> DrawResult<DB> {
    let panels: Vec<Panel> = Kind::ALL
        .iter()
        .map(|&kind| Panel {
            title: kind_name(kind).to_string(),
            x_desc: kind.label().to_string(),
            y_desc: "performance (% correct)".to_string(),
            y_range: (0.0, 100.0),
            series: Method::ALL
                .iter()
                .map(|&m| BandSeries {
                    method: m,
                    points: pooled_curve(runs, m, kind),
                })
                .collect(),
        })
        .collect();
    bands::draw_band_panels(area, "Robustness over seeds", &panels, 4, "band: ± 1 s.d.")
}

/// A method's curve for `kind`, each point pooling every seed's draws: the mean, and the s.d.
/// over all (seed, draw) pairs from each seed's mean and s.d. over its draws.
fn pooled_curve(runs: &[SeedRun], m: Method, kind: Kind) -> Vec<BandPoint> {
    let curves: Vec<_> = runs
        .iter()
        .filter_map(|r| ms::method(r, m))
        .map(|r| ms::curve_of(r, kind))
        .collect();
    let n = curves.iter().map(|c| c.len()).min().unwrap_or(0);
    (0..n)
        .map(|i| {
            let pts: Vec<_> = curves.iter().map(|c| &c[i]).collect();
            let k = pts.len().max(1) as f64;
            let mean = pts.iter().map(|p| p.mean).sum::<f64>() / k;
            let second = pts
                .iter()
                .map(|p| p.spread.powi(2) + p.mean.powi(2))
                .sum::<f64>()
                / k;
            let sd = (second - mean * mean).max(0.0).sqrt();
            BandPoint {
                x: pts[0].magnitude,
                mean: 100.0 * mean,
                lo: 100.0 * (mean - sd),
                hi: 100.0 * (mean + sd),
            }
        })
        .collect()
}

/// One panel per held-out task: its performance against trials spent learning it.
fn generalisation<DB: DrawingBackend>(area: &Area<DB>, run: &Run<'_>) -> DrawResult<DB> {
    let panels: Vec<Panel> = run
        .plan
        .held_out
        .iter()
        .map(|&task| Panel {
            title: format!("held out: {}", task.short()),
            x_desc: "trials on the held-out task".to_string(),
            y_desc: "performance (% correct)".to_string(),
            y_range: (0.0, 100.0),
            series: run
                .plan
                .transfer_methods
                .iter()
                .map(|&m| {
                    let curves: Vec<_> = run
                        .runs
                        .iter()
                        .filter_map(|r| ms::held_out(r, task, m))
                        .map(|o| o.curve.clone())
                        .collect();
                    BandSeries {
                        method: m,
                        points: over_seeds(&curves, 100.0),
                    }
                })
                .collect(),
        })
        .collect();
    let columns = panels.len().min(3);
    bands::draw_band_panels(
        area,
        "Learning a held-out task",
        &panels,
        columns,
        "band: seeds' range",
    )
}
