//! Stacked bars: each method's trained parameters (solid) and frozen parameters (faint) in
//! its task stage, with the counts written above the bars.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor;

use super::{DrawResult, FONT, LABEL_SIZE, LegendEntry, Swatch};
use crate::methods::Method;

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

/// Draws one stacked bar per method.
pub fn draw_efficiency<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    counts: &[ParameterCount],
) -> DrawResult<DB> {
    let (plot, legend) = super::frame(area, "Trained and frozen parameters per method")?;
    let n = counts.len().max(1);
    let top = counts.iter().map(|c| c.total).max().unwrap_or(1).max(1) as f64 * 1.15;
    let labels: Vec<&str> = counts.iter().map(|c| c.method.label()).collect();
    let mut chart = ChartBuilder::on(&plot)
        .margin(10)
        .x_label_area_size(44)
        .y_label_area_size(70)
        .build_cartesian_2d(-0.5..(n as f64 - 0.5), 0.0..top)?;
    super::house_mesh(&mut chart.configure_mesh(), "method", "parameters (count)")
        .disable_x_mesh()
        .x_labels(n)
        .x_label_formatter(&|x| bar_label(&labels, *x))
        .draw()?;
    for (i, c) in counts.iter().enumerate() {
        draw_bar(&mut chart, i as f64, c, top)?;
    }
    let mut entries = LegendEntry::methods(counts.iter().map(|c| c.method), Swatch::Box);
    entries.push(LegendEntry::note("solid: trained", Swatch::Box));
    entries.push(LegendEntry::note("faint: frozen", Swatch::Faint));
    super::draw_legend(&legend, &entries)?;
    area.present()
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
) -> DrawResult<DB> {
    let colour = super::method_colour(c.method);
    let (trained, total) = (c.trained as f64, c.total.max(c.trained) as f64);
    let (left, right) = (x - 0.3, x + 0.3);
    chart.draw_series([
        Rectangle::new([(left, 0.0), (right, trained)], colour.filled()),
        Rectangle::new([(left, trained), (right, total)], colour.mix(0.25).filled()),
        Rectangle::new([(left, 0.0), (right, total)], colour.stroke_width(1)),
    ])?;
    let style = TextStyle::from((FONT, LABEL_SIZE)).pos(text_anchor::Pos::new(
        text_anchor::HPos::Center,
        text_anchor::VPos::Bottom,
    ));
    let text = format!("{} of {} trained", c.trained, c.total);
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
}
