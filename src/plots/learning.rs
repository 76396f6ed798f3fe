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

/// What a learning figure shows besides the curves: the task drawn thin, the span of the x axis,
/// the run trained in the page and an earlier run kept for comparison.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LearningView {
    /// The task whose own performance is drawn thin beside the mean.
    pub task: Option<Task>,
    /// The x axis spans `0..span` trials and every curve is cut there; `None`: the longest
    /// curve.
    pub span: Option<usize>,
    /// The method whose curve is the run trained now (labelled "this run").
    pub run: Option<Method>,
    /// An earlier run, drawn dashed and faded in its method's colour.
    pub earlier: Option<LearningSeries>,
    /// The figure's title.
    pub title: Option<String>,
}

/// The trials of every point of `series`.
fn trials_of(series: &LearningSeries) -> impl Iterator<Item = usize> + '_ {
    let curve = series.curve.iter().map(|p| p.trials);
    curve.chain(series.history.iter().map(|p| p.trials))
}

/// The x span (in trials) of a figure: the view's, or the longest curve.
pub fn span_of(series: &[LearningSeries], view: &LearningView) -> usize {
    view.span.unwrap_or_else(|| {
        series
            .iter()
            .chain(&view.earlier)
            .flat_map(trials_of)
            .max()
            .unwrap_or(1)
    })
}

/// `series` without its points beyond `span` trials.
fn cut(series: &LearningSeries, span: usize) -> LearningSeries {
    LearningSeries {
        method: series.method,
        curve: series
            .curve
            .iter()
            .filter(|p| p.trials <= span)
            .cloned()
            .collect(),
        history: series
            .history
            .iter()
            .filter(|p| p.trials <= span)
            .copied()
            .collect(),
    }
}

/// Draws performance (left) and loss (right) against trials; `task` adds that task's own
/// performance as a thin faint curve beside the mean.
pub fn draw_learning<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[LearningSeries],
    task: Option<Task>,
) -> DrawResult<DB> {
    let view = LearningView {
        task,
        ..LearningView::default()
    };
    draw_learning_view(area, series, &view)
}

/// [`draw_learning`] with a view: the x axis spans `view.span` (curves cut there), the run's
/// method is labelled "this run" and an earlier run is drawn dashed and faded.
pub fn draw_learning_view<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[LearningSeries],
    view: &LearningView,
) -> DrawResult<DB> {
    let task = view.task;
    let title = view.title.as_deref().unwrap_or("Learning curves");
    let (plot, legend) = super::frame(area, title)?;
    let (left, right) = plot.split_horizontally(plot.dim_in_pixel().0 / 2);
    let span = span_of(series, view).max(1);
    let series: Vec<_> = series.iter().map(|s| cut(s, span)).collect();
    let earlier = view.earlier.as_ref().map(|s| cut(s, span));
    let max_trials = span as f64;
    draw_performance_panel(&left, &series, earlier.as_ref(), task, max_trials)?;
    draw_loss_panel(&right, &series, earlier.as_ref(), max_trials)?;
    let mut entries = LegendEntry::methods(series.iter().map(|s| s.method), Swatch::Line);
    for (entry, s) in entries.iter_mut().zip(&series) {
        if view.run == Some(s.method) {
            entry.label = format!("{}: this run", s.method.label());
        }
    }
    if let Some(e) = &earlier {
        entries.push(LegendEntry {
            label: format!("{}: earlier run", e.method.label()),
            colour: super::method_colour(e.method),
            swatch: Swatch::Dashed,
        });
    }
    if let Some(task) = task {
        entries.push(LegendEntry::note("thick: mean of tasks", Swatch::Line));
        entries.push(LegendEntry::note(
            &format!("thin: {}", task.name()),
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
    earlier: Option<&LearningSeries>,
    task: Option<Task>,
    max_trials: f64,
) -> DrawResult<DB> {
    let title = match task {
        // The legend names the task; its name can be too long for a half-width title.
        Some(_) => "performance: mean and one task".to_string(),
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
    if let Some(e) = earlier {
        let mean = e
            .curve
            .iter()
            .map(|p| (p.trials as f64, 100.0 * eval::mean(&p.per_task)));
        let colour = super::method_colour(e.method);
        chart.draw_series(DashedLineSeries::new(mean, 8, 5, faded(colour)))?;
    }
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

/// Points of the running mean taken first: nine consecutive batches hold one of each task (a
/// history saved every few iterations still cycles through them), so even a short curve,
/// averaged down little, does not jump from task to task.
const LOSS_RUNNING: usize = 9;

/// The finite, positive losses of a history as a running mean over [`LOSS_RUNNING`] points,
/// averaged over consecutive blocks, as `(trials at the block's end, mean loss)`.
fn smoothed_loss(history: &[crate::train::LossPoint]) -> Vec<(f64, f64)> {
    let valid: Vec<_> = history
        .iter()
        .filter(|p| p.loss.is_finite() && p.loss > 0.0)
        .collect();
    let running: Vec<(usize, f64)> = (0..valid.len())
        .map(|i| {
            let window = &valid[(i + 1).saturating_sub(LOSS_RUNNING)..=i];
            let mean = window.iter().map(|p| p.loss).sum::<f64>() / window.len() as f64;
            (valid[i].trials, mean)
        })
        .collect();
    let block = running.len().div_ceil(LOSS_POINTS).max(1);
    running
        .chunks(block)
        .map(|c| {
            let mean = c.iter().map(|p| p.1).sum::<f64>() / c.len() as f64;
            (c[c.len() - 1].0 as f64, mean)
        })
        .collect()
}

/// Training loss (log scale, averaged over blocks of iterations) against trials.
fn draw_loss_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[LearningSeries],
    earlier: Option<&LearningSeries>,
    max_trials: f64,
) -> DrawResult<DB> {
    let curves: Vec<Vec<(f64, f64)>> = series.iter().map(|s| smoothed_loss(&s.history)).collect();
    let earlier_curve = earlier.map(|e| smoothed_loss(&e.history));
    let losses = curves
        .iter()
        .chain(&earlier_curve)
        .flatten()
        .map(|&(_, l)| l);
    let (lo, hi) = losses.fold((f64::INFINITY, 0.0_f64), |(lo, hi), l| {
        (lo.min(l), hi.max(l))
    });
    let (lo, hi) = if lo < hi {
        (lo * 0.8, hi * 1.25)
    } else {
        (1e-3, 1.0)
    };
    let mut chart = ChartBuilder::on(area)
        .caption("loss (running mean of 9 batches)", (FONT, DESC_SIZE))
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
    if let (Some(e), Some(curve)) = (earlier, earlier_curve) {
        let colour = super::method_colour(e.method);
        chart.draw_series(DashedLineSeries::new(curve, 8, 5, faded(colour)))?;
    }
    for (s, curve) in series.iter().zip(curves) {
        let colour = super::method_colour(s.method);
        chart.draw_series(LineSeries::new(curve, colour.stroke_width(2)))?;
    }
    Ok(())
}

/// The style of an earlier run's curves: its method's colour, faded.
fn faded(colour: RGBColor) -> ShapeStyle {
    colour.mix(0.5).stroke_width(3)
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
    fn a_view_spans_the_run_cuts_the_other_curves_and_labels_both_runs() {
        let data: Vec<_> = [Method::Molap, Method::Monolithic]
            .into_iter()
            .map(series)
            .collect();
        let mut earlier = series(Method::Molap);
        earlier.history.truncate(20);
        let view = LearningView {
            task: None,
            span: Some(2000),
            run: Some(Method::Molap),
            earlier: Some(earlier),
            title: Some("Learning curves: this run".into()),
        };
        assert_eq!(span_of(&data, &view), 2000);
        assert_eq!(span_of(&data, &LearningView::default()), 4900);
        let cut_down = cut(&data[1], 2000);
        assert!(cut_down.history.iter().all(|p| p.trials <= 2000));
        assert_eq!(cut_down.curve.len(), 3);
        let svg = super::super::render_svg(960, 480, |a| draw_learning_view(a, &data, &view));
        for text in [
            "MoLaP: this run",
            "MoLaP: earlier run",
            "Monolithic",
            "2000",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
        assert!(!svg.contains(">4000<"), "the axis stops at the run's span");
    }

    #[test]
    fn the_loss_is_a_running_mean_over_one_batch_of_each_task() {
        let history: Vec<_> = (1..=18)
            .map(|i| LossPoint {
                trials: i * 10,
                loss: if i % 9 == 0 { 9.0 } else { 1.0 },
            })
            .collect();
        let smooth = smoothed_loss(&history);
        assert_eq!(smooth.len(), 18);
        for &(_, loss) in &smooth[8..] {
            assert!((loss - 17.0 / 9.0).abs() < 1e-12, "{loss}");
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
            "thin: Memory Anti",
            "Random modules",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
    }
}
