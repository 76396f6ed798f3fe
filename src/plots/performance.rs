//! Grouped bars: each task's performance (% correct on its evaluation batch), one bar per
//! method, in the methods' fixed colours.

use plotters::coord::Shift;
use plotters::prelude::*;

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

/// The label under bar group `x` (a task index) or nothing between groups.
fn task_label(tasks: &[Task], x: f64) -> String {
    let i = x.round();
    if (x - i).abs() > 1e-6 || i < 0.0 {
        return String::new();
    }
    tasks
        .get(i as usize)
        .map_or(String::new(), |t| t.short().to_string())
}

/// Draws the bars of `data` over `tasks`, with title, axes and legend.
///
/// TODO: the nine task names sit side by side under the bars and start to overlap when the
/// plot area is narrower than about 800 px (a figure under ~1000 px wide); rotating or
/// staggering them would keep small exports and narrow page panels readable.
pub fn draw_performance<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    tasks: &[Task],
    data: &[MethodPerformance],
) -> DrawResult<DB> {
    let (plot, legend) = super::frame(area, "Performance per task")?;
    let n = tasks.len().max(1);
    let mut chart = ChartBuilder::on(&plot)
        .margin(10)
        .x_label_area_size(44)
        .y_label_area_size(60)
        .build_cartesian_2d(-0.5..(n as f64 - 0.5), 0.0..100.0)?;
    super::house_mesh(
        &mut chart.configure_mesh(),
        "task",
        "performance (% correct)",
    )
    .disable_x_mesh()
    .x_labels(n)
    .x_label_formatter(&|x| task_label(tasks, *x))
    .label_style((FONT, LABEL_SIZE - 2))
    .draw()?;
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
}
