//! Grouped bars with whiskers: one group per category (a task), one bar per method at its mean,
//! a whisker over its spread (over seeds).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{DrawResult, FONT, LABEL_SIZE, LegendEntry, Swatch};
use crate::methods::Method;

/// One bar: its height and its whisker's ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Whisker {
    /// The bar's height.
    pub mean: f64,
    /// The whisker's lower end.
    pub lo: f64,
    /// The whisker's upper end.
    pub hi: f64,
}

/// One method's bars, one per group.
#[derive(Debug, Clone, PartialEq)]
pub struct WhiskerSeries {
    /// The method.
    pub method: Method,
    /// One bar per group, in the groups' order.
    pub bars: Vec<Whisker>,
}

/// Draws one group of bars per entry of `groups` on a 0–`y_max` axis, with a legend of the
/// methods and `whisker_note` explaining the whiskers.
pub fn draw_whisker_bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    groups: &[&str],
    (x_desc, y_desc): (&str, &str),
    y_max: f64,
    series: &[WhiskerSeries],
    whisker_note: &str,
) -> DrawResult<DB> {
    let (plot, legend) = super::frame(area, title)?;
    let n = groups.len().max(1);
    let mut chart = ChartBuilder::on(&plot)
        .margin(10)
        .x_label_area_size(44)
        .y_label_area_size(60)
        .build_cartesian_2d(-0.5..(n as f64 - 0.5), 0.0..y_max)?;
    super::house_mesh(&mut chart.configure_mesh(), x_desc, y_desc)
        .disable_x_mesh()
        .x_labels(n)
        .x_label_formatter(&|x| group_label(groups, *x))
        .label_style((FONT, LABEL_SIZE - 2))
        .draw()?;
    let width = 0.84 / series.len().max(1) as f64;
    for (j, s) in series.iter().enumerate() {
        let colour = super::method_colour(s.method);
        let left = move |i: usize| i as f64 - 0.42 + j as f64 * width;
        chart.draw_series(s.bars.iter().enumerate().map(|(i, b)| {
            Rectangle::new(
                [(left(i), 0.0), (left(i) + 0.9 * width, b.mean)],
                colour.filled(),
            )
        }))?;
        let centre = move |i: usize| left(i) + 0.45 * width;
        chart.draw_series(s.bars.iter().enumerate().map(|(i, b)| {
            PathElement::new(
                vec![(centre(i), b.lo), (centre(i), b.hi)],
                BLACK.stroke_width(1),
            )
        }))?;
        chart.draw_series(s.bars.iter().enumerate().flat_map(|(i, b)| {
            let cap = 0.25 * width;
            [b.lo, b.hi]
                .map(|y| PathElement::new(vec![(centre(i) - cap, y), (centre(i) + cap, y)], BLACK))
        }))?;
    }
    let mut entries = LegendEntry::methods(series.iter().map(|s| s.method), Swatch::Box);
    entries.push(LegendEntry::note(whisker_note, Swatch::ThinLine));
    super::draw_legend(&legend, &entries)?;
    area.present()
}

/// The label under group `x`, or nothing between groups.
fn group_label(groups: &[&str], x: f64) -> String {
    let i = x.round();
    if (x - i).abs() > 1e-6 || i < 0.0 {
        return String::new();
    }
    groups
        .get(i as usize)
        .map_or(String::new(), |g| g.to_string())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn bars_have_groups_whisker_note_and_legend() {
        let series: Vec<WhiskerSeries> = Method::ALL
            .iter()
            .map(|&method| WhiskerSeries {
                method,
                bars: vec![
                    Whisker {
                        mean: 60.0,
                        lo: 50.0,
                        hi: 70.0
                    };
                    3
                ],
            })
            .collect();
        let svg = super::super::render_svg(1000, 560, |a| {
            draw_whisker_bars(
                a,
                "Final performance per task",
                &["delaypro", "delayanti", "memorypro"],
                ("task", "performance (% correct)"),
                100.0,
                &series,
                "whiskers: min–max over seeds",
            )
        });
        for text in [
            "delayanti",
            "performance (% correct)",
            "whiskers: min–max over seeds",
            "MoLaP",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
    }
}
