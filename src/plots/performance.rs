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

/// How the task names under the groups of bars are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TaskLabels {
    /// The readable names ("Memory DM 1") rather than the short ones ("memorydm1").
    pub readable: bool,
    /// Alternating between two rows, so that neighbours do not overlap.
    pub stagger: bool,
    /// Each readable name broken over two lines, at the space nearest its middle.
    pub wrap: bool,
    /// Written upwards, for groups too narrow for any name written across.
    pub rotate: bool,
}

impl TaskLabels {
    /// The name written for `task`.
    pub fn name(self, task: Task) -> &'static str {
        if self.readable {
            task.name()
        } else {
            task.short()
        }
    }

    /// The lines of `task`'s name.
    pub fn lines(self, task: Task) -> Vec<&'static str> {
        let name = self.name(task);
        let middle = name.len() / 2;
        let split = name
            .match_indices(' ')
            .map(|(i, _)| i)
            .min_by_key(|&i| i.abs_diff(middle));
        match split {
            Some(i) if self.wrap => vec![&name[..i], &name[i + 1..]],
            _ => vec![name],
        }
    }

    /// Rows of text under the axis: lines per name, times two when staggered.
    fn rows(self) -> u32 {
        (if self.stagger { 2 } else { 1 }) * (if self.wrap { 2 } else { 1 })
    }
}

/// The clearest task names that fit a plot `plot_width` pixels wide: the readable names on one
/// row, else on two alternating rows, else broken over two lines on alternating rows, else the
/// short names on one row or two. A name fits when its widest line (estimated at 0.6 em per
/// character) with a little gap is at most the room it has: one group's width on one row, two
/// groups' on alternating rows. Failing all, the short names are written upwards.
pub(super) fn task_labels(plot_width: u32, tasks: &[Task]) -> TaskLabels {
    let chart_width = plot_width.saturating_sub(Y_LABEL_AREA + 2 * MARGIN) as f64;
    let group = chart_width / tasks.len().max(1) as f64;
    let fits = |labels: TaskLabels| {
        let widest = tasks
            .iter()
            .flat_map(|&t| labels.lines(t))
            .map(|line| line.chars().count())
            .max();
        let room = if labels.stagger { 2.0 * group } else { group };
        widest.unwrap_or(0) as f64 * 0.6 * f64::from(TASK_LABEL_SIZE) + 8.0 <= room
    };
    let choices = [
        (true, false, false),
        (true, true, false),
        (true, true, true),
        (false, false, false),
        (false, true, false),
    ]
    .map(|(readable, stagger, wrap)| TaskLabels {
        readable,
        stagger,
        wrap,
        rotate: false,
    });
    choices
        .into_iter()
        .find(|&l| fits(l))
        .unwrap_or(TaskLabels {
            readable: false,
            stagger: false,
            wrap: false,
            rotate: true,
        })
}

/// Height under the x axis for the task names and the axis description, px.
pub(super) fn task_label_area(labels: TaskLabels) -> u32 {
    if labels.rotate {
        let widest = Task::ALL.iter().map(|t| t.short().len()).max().unwrap_or(0);
        return 36 + (widest as f64 * 0.6 * f64::from(TASK_LABEL_SIZE)) as u32;
    }
    44 + (labels.rows() - 1) * TASK_ROW
}

/// Height of one row of task names, px.
const TASK_ROW: u32 = TASK_LABEL_SIZE + 3;

/// Writes each task's name under its group of bars (group `i` centred at `x = i`), as `labels`
/// says.
pub(super) fn draw_task_names<DB: DrawingBackend>(
    plot: &DrawingArea<DB, Shift>,
    chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    tasks: &[Task],
    labels: TaskLabels,
) -> DrawResult<DB> {
    let (left, top) = plot.get_base_pixel();
    let style = TextStyle::from((FONT, TASK_LABEL_SIZE)).pos(Pos::new(HPos::Center, VPos::Top));
    let upward = TextStyle::from((FONT, TASK_LABEL_SIZE))
        .transform(FontTransform::Rotate270)
        .pos(Pos::new(HPos::Right, VPos::Center));
    for (i, task) in tasks.iter().enumerate() {
        if labels.rotate {
            let (x, y) = chart.backend_coord(&(i as f64, 0.0));
            plot.draw_text(labels.name(*task), &upward, (x - left, y - top + 6))?;
            continue;
        }
        let (x, y) = chart.backend_coord(&(i as f64, 0.0));
        let first = if labels.stagger && i % 2 == 1 {
            labels.rows() / 2
        } else {
            0
        };
        for (k, line) in labels.lines(*task).into_iter().enumerate() {
            let down = ((first + k as u32) * TASK_ROW) as i32;
            plot.draw_text(line, &style, (x - left, y - top + 8 + down))?;
        }
    }
    Ok(())
}

/// Draws the bars of `data` over `tasks`, with title, axes and legend. The task names sit under
/// their groups: their readable names when there is room, on two alternating rows when the
/// figure is too narrow for one.
pub fn draw_performance<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    tasks: &[Task],
    data: &[MethodPerformance],
) -> DrawResult<DB> {
    let (plot, legend) = super::frame(area, "Performance per task")?;
    let n = tasks.len().max(1);
    let labels = task_labels(plot.dim_in_pixel().0, tasks);
    let mut chart = ChartBuilder::on(&plot)
        .margin(MARGIN)
        .x_label_area_size(task_label_area(labels))
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
    draw_task_names(&plot, &chart, tasks, labels)?;
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
        let labels = task_labels(960 - super::super::LEGEND_WIDTH, &Task::ALL);
        for task in Task::ALL {
            for line in labels.lines(task) {
                assert!(svg.contains(line), "missing {line}");
            }
        }
    }

    #[test]
    fn task_names_are_readable_when_there_is_room_and_stagger_only_when_narrow() {
        let labels = |width, tasks: &[Task]| {
            let l = task_labels(width, tasks);
            (l.readable, l.stagger, l.wrap)
        };
        assert_eq!(labels(2000, &Task::ALL), (true, false, false));
        assert_eq!(labels(1100, &Task::ALL), (true, true, false));
        assert_eq!(labels(640, &Task::ALL), (true, true, true));
        assert_eq!(labels(700, &Task::ALL[..5]), (true, false, false));
        assert_eq!(labels(400, &Task::ALL), (false, false, false));
        assert!(task_labels(400, &Task::ALL).rotate);
        assert!(!task_labels(640, &Task::ALL).rotate);
        assert_eq!(labels(600, &Task::ALL[..3]), (true, false, false));
        let wrapped = task_labels(640, &Task::ALL);
        assert_eq!(wrapped.lines(Task::MemoryDm1), ["Memory", "DM 1"]);
        assert_eq!(
            wrapped.lines(Task::MultiMemoryDm),
            ["Multi-sensory", "Memory DM"]
        );
        assert_eq!(task_label_area(wrapped), 44 + 3 * TASK_ROW);
    }
}
