//! Stacked bars: each method's trained parameters (solid) and frozen parameters (faint) in
//! its task stage, with the counts written above the bars; beside them, for the page and
//! `molap export`, the trials each method needed to reach the criterion on each task.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor;

use super::{DrawResult, FONT, LABEL_SIZE, LegendEntry, Swatch, performance};
use crate::methods::Method;
use crate::tasks::Task;

/// One method's parameter counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParameterCount {
    /// The method.
    pub method: Method,
    /// Parameters its task stage trains.
    pub trained: usize,
    /// Parameters its network holds (trained and frozen).
    pub total: usize,
}

/// How many trials of its task stage one method needed to reach the criterion on each task.
#[derive(Debug, Clone, PartialEq)]
pub struct TrialsToCriterion {
    /// The method.
    pub method: Method,
    /// Trials seen when each task (in [`Task::ALL`] order) first reached the criterion; `None`
    /// when it never did within the budget.
    pub per_task: Vec<Option<usize>>,
    /// The trials the task stage ran in all.
    pub budget: usize,
}

/// Draws one stacked bar per method.
pub fn draw_efficiency<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    counts: &[ParameterCount],
) -> DrawResult<DB> {
    let (plot, legend) = super::frame(area, "Trained and frozen parameters per method")?;
    parameter_chart(&plot, counts, false)?;
    super::draw_legend(&legend, &parameter_legend(counts))?;
    area.present()
}

/// Draws the two sides of efficiency under one title and one legend: the parameter bars of
/// [`draw_efficiency`] (left) and, per task, the trials each method needed to reach
/// `criterion` (a fraction correct; right). A task never reached is an outlined bar up to the
/// method's whole budget. With no learning curves (`speed` empty) only the parameters show.
pub fn draw_efficiency_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    counts: &[ParameterCount],
    speed: &[TrialsToCriterion],
    criterion: f64,
) -> DrawResult<DB> {
    if speed.is_empty() {
        return draw_efficiency(area, counts);
    }
    let title = format!(
        "Parameters trained, and trials to reach {:.0} % per task",
        100.0 * criterion
    );
    let (plot, legend) = super::frame(area, &title)?;
    let width = plot.dim_in_pixel().0;
    let (left, right) = plot.split_horizontally(width * 2 / 5);
    parameter_chart(&left, counts, true)?;
    speed_chart(&right, speed, criterion)?;
    let mut entries = parameter_legend(counts);
    entries.push(LegendEntry::note("outline: not reached", Swatch::Faint));
    super::draw_legend(&legend, &entries)?;
    area.present()
}

/// The legend of the parameter bars: the methods and what solid and faint mean.
fn parameter_legend(counts: &[ParameterCount]) -> Vec<LegendEntry> {
    let mut entries = LegendEntry::methods(counts.iter().map(|c| c.method), Swatch::Box);
    entries.push(LegendEntry::note("solid: trained", Swatch::Box));
    entries.push(LegendEntry::note("faint: frozen", Swatch::Faint));
    entries
}

/// Grouped bars: for each task, the thousands of trials each method needed to reach the
/// criterion.
fn speed_chart<DB: DrawingBackend>(
    plot: &DrawingArea<DB, Shift>,
    speed: &[TrialsToCriterion],
    criterion: f64,
) -> DrawResult<DB> {
    let tasks = Task::ALL;
    let top = speed.iter().map(|s| s.budget).max().unwrap_or(1).max(1) as f64 / 1000.0 * 1.05;
    let labels = performance::task_labels(plot.dim_in_pixel().0, &tasks);
    let mut chart = ChartBuilder::on(plot)
        .margin(performance::MARGIN)
        .x_label_area_size(performance::task_label_area(labels))
        .y_label_area_size(performance::Y_LABEL_AREA)
        .build_cartesian_2d(-0.5..(tasks.len() as f64 - 0.5), 0.0..top)?;
    let y_desc = format!("trials to {:.0} % (thousands)", 100.0 * criterion);
    super::house_mesh(&mut chart.configure_mesh(), "task", &y_desc)
        .disable_x_mesh()
        .x_labels(tasks.len())
        .x_label_formatter(&|_| String::new())
        .draw()?;
    performance::draw_task_names(plot, &chart, &tasks, labels)?;
    let width = 0.84 / speed.len().max(1) as f64;
    for (j, s) in speed.iter().enumerate() {
        let colour = super::method_colour(s.method);
        for (i, reached) in s.per_task.iter().enumerate().take(tasks.len()) {
            let x = i as f64 - 0.42 + j as f64 * width;
            // A task reached before any training (trials 0) still gets a visible sliver.
            let corners = |trials: usize| {
                let height = (trials as f64 / 1000.0).max(top * 0.008);
                [(x, 0.0), (x + 0.9 * width, height)]
            };
            match reached {
                Some(trials) => {
                    chart.draw_series([Rectangle::new(corners(*trials), colour.filled())])?
                }
                None => chart.draw_series([
                    Rectangle::new(corners(s.budget), colour.mix(0.12).filled()),
                    Rectangle::new(corners(s.budget), colour.stroke_width(1)),
                ])?,
            };
        }
    }
    Ok(())
}

/// One stacked bar per method, trained parameters solid and frozen ones faint. `compact`
/// (beside another chart) leaves the methods to the legend's colours and writes the counts
/// as "trained/total" in smaller type, so that neighbouring labels do not overlap.
fn parameter_chart<DB: DrawingBackend>(
    plot: &DrawingArea<DB, Shift>,
    counts: &[ParameterCount],
    compact: bool,
) -> DrawResult<DB> {
    let n = counts.len().max(1);
    let top = counts.iter().map(|c| c.total).max().unwrap_or(1).max(1) as f64 * 1.15;
    let labels: Vec<&str> = counts.iter().map(|c| c.method.label()).collect();
    let mut chart = ChartBuilder::on(plot)
        .margin(10)
        .x_label_area_size(44)
        .y_label_area_size(70)
        .build_cartesian_2d(-0.5..(n as f64 - 0.5), 0.0..top)?;
    let (x_desc, y_desc) = if compact {
        ("method (colour)", "parameters (trained/total)")
    } else {
        ("method", "parameters (count)")
    };
    super::house_mesh(&mut chart.configure_mesh(), x_desc, y_desc)
        .disable_x_mesh()
        .x_labels(n)
        .x_label_formatter(&|x| {
            if compact {
                String::new()
            } else {
                bar_label(&labels, *x)
            }
        })
        .draw()?;
    for (i, c) in counts.iter().enumerate() {
        draw_bar(&mut chart, i as f64, c, top, compact)?;
    }
    Ok(())
}

/// The label of bar `x` or nothing between bars.
fn bar_label(labels: &[&str], x: f64) -> String {
    let i = x.round();
    if (x - i).abs() > 1e-6 || i < 0.0 {
        return String::new();
    }
    labels
        .get(i as usize)
        .map_or(String::new(), |l| l.to_string())
}

/// One stacked bar at `x` with its counts above.
fn draw_bar<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    x: f64,
    c: &ParameterCount,
    top: f64,
    compact: bool,
) -> DrawResult<DB> {
    let colour = super::method_colour(c.method);
    let (trained, total) = (c.trained as f64, c.total.max(c.trained) as f64);
    let (left, right) = (x - 0.3, x + 0.3);
    chart.draw_series([
        Rectangle::new([(left, 0.0), (right, trained)], colour.filled()),
        Rectangle::new([(left, trained), (right, total)], colour.mix(0.25).filled()),
        Rectangle::new([(left, 0.0), (right, total)], colour.stroke_width(1)),
    ])?;
    let size = if compact { LABEL_SIZE - 2 } else { LABEL_SIZE };
    let style = TextStyle::from((FONT, size)).pos(text_anchor::Pos::new(
        text_anchor::HPos::Center,
        text_anchor::VPos::Bottom,
    ));
    let text = if compact {
        format!("{}/{}", c.trained, c.total)
    } else {
        format!("{} of {} trained", c.trained, c.total)
    };
    chart.draw_series([Text::new(text, (x, total + top * 0.02), style)])?;
    Ok(())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn bars_have_title_axes_counts_and_legend() {
        let counts: Vec<ParameterCount> = Method::ALL
            .iter()
            .map(|&method| ParameterCount {
                method,
                trained: 400,
                total: 1000,
            })
            .collect();
        let svg = super::super::render_svg(960, 540, |a| draw_efficiency(a, &counts));
        for text in [
            "parameters (count)",
            "method",
            "400 of 1000 trained",
            "faint: frozen",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
        assert!(svg.contains("Pre-trained monolith"));
    }

    #[test]
    fn panel_adds_trials_to_criterion_with_unreached_tasks_outlined() {
        let counts = vec![ParameterCount {
            method: Method::Molap,
            trained: 400,
            total: 1000,
        }];
        let mut per_task = vec![Some(12_000); Task::ALL.len()];
        per_task[8] = None;
        let speed = vec![TrialsToCriterion {
            method: Method::Molap,
            per_task,
            budget: 40_000,
        }];
        let svg =
            super::super::render_svg(980, 320, |a| draw_efficiency_panel(a, &counts, &speed, 0.9));
        for text in [
            "trials to 90 % (thousands)",
            "400/1000",
            "outline: not reached",
            "ctxmemorydm2",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
        let only_counts =
            super::super::render_svg(980, 320, |a| draw_efficiency_panel(a, &counts, &[], 0.9));
        assert!(!only_counts.contains("(thousands)"));
    }
}
