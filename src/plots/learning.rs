//! Learning curves: performance (mean over tasks, and optionally one task) and training loss
//! against trials seen, one curve per method, side by side.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{DESC_SIZE, DrawResult, FONT, LegendEntry, Swatch};
use crate::eval;
use crate::methods::Method;
use crate::model::PerformancePoint;
use crate::tasks::Task;
use crate::train::LossPoint;

/// One method's curves.
#[derive(Debug, Clone, PartialEq)]
pub struct LearningSeries {
    /// The method.
    pub method: Method,
    /// Performance per task after some numbers of trials (tasks in the corpus's order).
    pub curve: Vec<PerformancePoint>,
    /// Training loss after some numbers of trials.
    pub history: Vec<LossPoint>,
}

/// Draws performance (left) and loss (right) against trials; `task` adds that task's own
/// performance as a thin faint curve beside the mean.
pub fn draw_learning<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[LearningSeries],
    task: Option<Task>,
) -> DrawResult<DB> {
    let (plot, legend) = super::frame(area, "Learning curves")?;
    let (left, right) = plot.split_horizontally(plot.dim_in_pixel().0 / 2);
    let max_trials = series
        .iter()
        .flat_map(|s| {
            let curve = s.curve.iter().map(|p| p.trials);
            curve.chain(s.history.iter().map(|p| p.trials))
        })
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    draw_performance_panel(&left, series, task, max_trials)?;
    draw_loss_panel(&right, series, max_trials)?;
    let mut entries = LegendEntry::methods(series.iter().map(|s| s.method), Swatch::Line);
    if let Some(task) = task {
        entries.push(LegendEntry::note("thick: mean of tasks", Swatch::Line));
        entries.push(LegendEntry::note(
            &format!("thin: {}", task.short()),
            Swatch::ThinLine,
        ));
    }
    super::draw_legend(&legend, &entries)?;
    area.present()
}

/// Mean performance (and one task's) in % against trials.
fn draw_performance_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[LearningSeries],
    task: Option<Task>,
    max_trials: f64,
) -> DrawResult<DB> {
    let title = match task {
        Some(t) => format!("performance: mean of tasks and {}", t.short()),
        None => "performance: mean of tasks".to_string(),
    };
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FONT, DESC_SIZE))
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d(0.0..max_trials, 0.0..100.0)?;
    super::house_mesh(
        &mut chart.configure_mesh(),
        "trials seen",
        "performance (% correct)",
    )
    .x_label_formatter(&super::tick_of)
    .x_labels(5)
    .draw()?;
    for s in series {
        let colour = super::method_colour(s.method);
        let mean = s
            .curve
            .iter()
            .map(|p| (p.trials as f64, 100.0 * eval::mean(&p.per_task)));
        chart.draw_series(LineSeries::new(mean, colour.stroke_width(3)))?;
        if let Some(t) = task {
            let one = s.curve.iter().filter_map(|p| {
                let v = p.per_task.get(t.index())?;
                Some((p.trials as f64, 100.0 * v))
            });
            chart.draw_series(LineSeries::new(one, colour.mix(0.6)))?;
        }
    }
    Ok(())
}

/// Number of points a loss curve is averaged down to: batches of different tasks have losses
/// that differ by orders of magnitude, so the raw per-batch loss is unreadable.
const LOSS_POINTS: usize = 60;

/// The finite, positive losses of a history averaged over consecutive blocks, as
/// `(trials at the block's end, mean loss)`.
fn smoothed_loss(history: &[crate::train::LossPoint]) -> Vec<(f64, f64)> {
    let valid: Vec<_> = history
        .iter()
        .filter(|p| p.loss.is_finite() && p.loss > 0.0)
        .collect();
    let block = valid.len().div_ceil(LOSS_POINTS).max(1);
    valid
        .chunks(block)
        .map(|c| {
            let mean = c.iter().map(|p| p.loss).sum::<f64>() / c.len() as f64;
            (c[c.len() - 1].trials as f64, mean)
        })
        .collect()
}

/// Training loss (log scale, averaged over blocks of iterations) against trials.
fn draw_loss_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[LearningSeries],
    max_trials: f64,
) -> DrawResult<DB> {
    let curves: Vec<Vec<(f64, f64)>> = series.iter().map(|s| smoothed_loss(&s.history)).collect();
    let losses = curves.iter().flatten().map(|&(_, l)| l);
    let (lo, hi) = losses.fold((f64::INFINITY, 0.0_f64), |(lo, hi), l| {
        (lo.min(l), hi.max(l))
    });
    let (lo, hi) = if lo < hi {
        (lo * 0.8, hi * 1.25)
    } else {
        (1e-3, 1.0)
    };
    let mut chart = ChartBuilder::on(area)
        .caption("training loss (block means)", (FONT, DESC_SIZE))
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d(
            0.0..max_trials,
            (lo..hi).log_scale().with_key_points(log_ticks(lo, hi)),
        )?;
    super::house_mesh(
        &mut chart.configure_mesh(),
        "trials seen",
        "loss (masked squared error)",
    )
    .x_label_formatter(&super::tick_of)
    .x_labels(5)
    .draw()?;
    for (s, curve) in series.iter().zip(curves) {
        let colour = super::method_colour(s.method);
        chart.draw_series(LineSeries::new(curve, colour.stroke_width(2)))?;
    }
    Ok(())
}

/// Tick values 1, 2 and 5 times each power of ten inside `lo..=hi`, so a loss axis that stays
/// below 1 (or spans less than a decade) still has labelled ticks.
fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let first = lo.log10().floor() as i32;
    let last = hi.log10().ceil() as i32;
    (first..=last)
        .flat_map(|e| [1.0, 2.0, 5.0].map(|m| m * 10f64.powi(e)))
        .filter(|&v| v >= lo && v <= hi)
        .collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn log_ticks_label_losses_below_one() {
        assert_eq!(log_ticks(0.15, 5.0), vec![0.2, 0.5, 1.0, 2.0, 5.0]);
        assert_eq!(log_ticks(0.011, 0.03), vec![0.02]);
    }

    fn series(method: Method) -> LearningSeries {
        LearningSeries {
            method,
            curve: (0..5)
                .map(|i| PerformancePoint {
                    trials: i * 1000,
                    per_task: vec![i as f64 / 5.0; 9],
                })
                .collect(),
            history: (1..50)
                .map(|i| LossPoint {
                    trials: i * 100,
                    loss: 1.0 / i as f64,
                })
                .collect(),
        }
    }

    #[test]
    fn curves_have_titles_axes_and_legend() {
        let data: Vec<_> = Method::ALL.into_iter().map(series).collect();
        let svg = super::super::render_svg(960, 480, |a| {
            draw_learning(a, &data, Some(Task::MemoryAnti))
        });
        for text in [
            "Learning curves",
            "trials seen",
            "performance (% correct)",
            "loss (masked squared error)",
            "thin: memoryanti",
            "Random modules",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
    }
}
