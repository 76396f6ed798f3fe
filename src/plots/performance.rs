//! Grouped bars: each task's performance (% correct on its evaluation batch), one bar per
//! method, in the methods' fixed colours.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{DrawResult, FONT, LABEL_SIZE, LegendEntry, Swatch};
use crate::methods::Method;
use crate::tasks::Task;

/// One method's performance per task, fractions in `[0, 1]` in the order of the tasks drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodPerformance {
    /// The method.
    pub method: Method,
    /// Performance per task.
    pub per_task: Vec<f64>,
}

/// Tick label size under the bars, px.
pub(super) const TASK_LABEL_SIZE: u32 = LABEL_SIZE - 2;
/// Room left of the plot for the y labels and axis description, px.
pub(super) const Y_LABEL_AREA: u32 = 60;
/// Margin around the chart, px.
pub(super) const MARGIN: u32 = 10;

/// Whether the task names must alternate between two rows so that neighbours do not overlap:
/// true when the widest name (estimated at 0.6 em per character) does not fit in one group's
/// width with a little gap.
pub(super) fn stagger_labels(plot_width: u32, tasks: &[Task]) -> bool {
    let chart_width = plot_width.saturating_sub(Y_LABEL_AREA + 2 * MARGIN) as f64;
    let group = chart_width / tasks.len().max(1) as f64;
    let widest = tasks.iter().map(|t| t.short().len()).max().unwrap_or(0) as f64;
    widest * 0.6 * f64::from(TASK_LABEL_SIZE) + 8.0 > group
}

/// Height under the x axis for the task names and the axis description, px.
pub(super) fn task_label_area(stagger: bool) -> u32 {
    if stagger { 44 + TASK_ROW } else { 44 }
}

/// Height of one row of task names, px.
const TASK_ROW: u32 = TASK_LABEL_SIZE + 3;

/// Writes each task's name under its group of bars (group `i` centred at `x = i`), on two
/// alternating rows when `stagger`.
pub(super) fn draw_task_names<DB: DrawingBackend>(
    plot: &DrawingArea<DB, Shift>,
    chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    tasks: &[Task],
    stagger: bool,
) -> DrawResult<DB> {
    let (left, top) = plot.get_base_pixel();
    let style = TextStyle::from((FONT, TASK_LABEL_SIZE)).pos(Pos::new(HPos::Center, VPos::Top));
    for (i, task) in tasks.iter().enumerate() {
        let (x, y) = chart.backend_coord(&(i as f64, 0.0));
        let down = if stagger && i % 2 == 1 {
            TASK_ROW as i32
        } else {
            0
        };
        plot.draw_text(task.short(), &style, (x - left, y - top + 8 + down))?;
    }
    Ok(())
}

/// Draws the bars of `data` over `tasks`, with title, axes and legend. The task names sit under
/// their groups, on two alternating rows when the figure is too narrow for one.
pub fn draw_performance<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    tasks: &[Task],
    data: &[MethodPerformance],
) -> DrawResult<DB> {
    let (plot, legend) = super::frame(area, "Performance per task")?;
    let n = tasks.len().max(1);
    let stagger = stagger_labels(plot.dim_in_pixel().0, tasks);
    let mut chart = ChartBuilder::on(&plot)
        .margin(MARGIN)
        .x_label_area_size(task_label_area(stagger))
        .y_label_area_size(Y_LABEL_AREA)
        .build_cartesian_2d(-0.5..(n as f64 - 0.5), 0.0..100.0)?;
    super::house_mesh(
        &mut chart.configure_mesh(),
        "task",
        "performance (% correct)",
    )
    .disable_x_mesh()
    .x_labels(n)
    .x_label_formatter(&|_| String::new())
    .draw()?;
    draw_task_names(&plot, &chart, tasks, stagger)?;
    let width = 0.84 / data.len().max(1) as f64;
    for (j, d) in data.iter().enumerate() {
        let colour = super::method_colour(d.method);
        let left = move |i: usize| i as f64 - 0.42 + j as f64 * width;
        chart.draw_series(d.per_task.iter().enumerate().map(|(i, p)| {
            Rectangle::new(
                [(left(i), 0.0), (left(i) + 0.9 * width, 100.0 * p)],
                colour.filled(),
            )
        }))?;
    }
    let entries = LegendEntry::methods(data.iter().map(|d| d.method), Swatch::Box);
    super::draw_legend(&legend, &entries)?;
    area.present()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn bars_have_title_axes_tasks_and_legend() {
        let data: Vec<MethodPerformance> = Method::ALL
            .iter()
            .map(|&method| MethodPerformance {
                method,
                per_task: (0..9).map(|i| i as f64 / 9.0).collect(),
            })
            .collect();
        let svg = super::super::render_svg(960, 540, |a| draw_performance(a, &Task::ALL, &data));
        for text in ["Performance per task", "performance (% correct)", "MoLaP"] {
            assert!(svg.contains(text), "missing {text}");
        }
        for task in Task::ALL {
            assert!(svg.contains(task.short()), "missing {}", task.short());
        }
    }

    #[test]
    fn task_names_stagger_only_when_narrow() {
        assert!(!stagger_labels(1400, &Task::ALL));
        assert!(stagger_labels(600, &Task::ALL));
        assert!(!stagger_labels(600, &Task::ALL[..3]));
    }
}
