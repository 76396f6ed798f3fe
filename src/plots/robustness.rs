//! Robustness curves: mean performance over tasks against one perturbation's magnitude, one
//! curve per method with a band of ± one standard deviation over perturbation draws, and
//! optionally a vertical marker at the magnitude currently applied.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::{DrawResult, LegendEntry, Swatch};
use crate::methods::Method;
use crate::perturb::Kind;
use crate::sweep::SweepPoint;

/// One method's robustness curve.
#[derive(Debug, Clone, PartialEq)]
pub struct RobustnessSeries {
    /// The method.
    pub method: Method,
    /// The curve's points, by increasing magnitude.
    pub points: Vec<SweepPoint>,
}

/// Draws every series against the magnitude of `kind`; `marker` draws a vertical line at the
/// current magnitude.
pub fn draw_robustness<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    kind: Kind,
    series: &[RobustnessSeries],
    marker: Option<f64>,
) -> DrawResult<DB> {
    draw_robustness_over(area, kind, series, marker, None)
}

/// [`draw_robustness`] with the magnitude axis spanning at least `span`, so a curve that is
/// still being computed point by point does not rescale the axis at every new point.
pub fn draw_robustness_over<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    kind: Kind,
    series: &[RobustnessSeries],
    marker: Option<f64>,
    span: Option<(f64, f64)>,
) -> DrawResult<DB> {
    let (plot, legend) = super::frame(area, "Robustness to perturbation")?;
    let magnitudes = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.magnitude))
        .chain(marker)
        .chain(span.into_iter().flat_map(|(a, b)| [a, b]));
    let (lo, hi) = magnitudes.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), m| {
        (lo.min(m), hi.max(m))
    });
    let (lo, hi) = if lo < hi {
        (lo, hi)
    } else if lo.is_finite() {
        (lo.min(0.0), lo.max(0.0) + 1.0)
    } else {
        // Nothing to show yet (no point, no marker): an empty unit range, not 0..inf.
        (0.0, 1.0)
    };
    let mut chart = ChartBuilder::on(&plot)
        .margin(10)
        .x_label_area_size(44)
        .y_label_area_size(60)
        .build_cartesian_2d(lo..hi, 0.0..100.0)?;
    super::house_mesh(
        &mut chart.configure_mesh(),
        kind.label(),
        "performance, mean of tasks (% correct)",
    )
    .x_label_formatter(&super::tick_of)
    .draw()?;
    for s in series {
        draw_curve(&mut chart, s)?;
    }
    let mut entries = LegendEntry::methods(series.iter().map(|s| s.method), Swatch::Line);
    entries.push(LegendEntry::note(
        "band: ± 1 s.d. over draws",
        Swatch::Faint,
    ));
    if let Some(m) = marker {
        let line = [(m, 0.0), (m, 100.0)];
        chart.draw_series(DashedLineSeries::new(line, 6, 4, BLACK.stroke_width(2)))?;
        entries.push(LegendEntry::note(
            &format!("current value {m}"),
            Swatch::Line,
        ));
    }
    super::draw_legend(&legend, &entries)?;
    area.present()
}

/// One method's band and mean line.
fn draw_curve<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    s: &RobustnessSeries,
) -> DrawResult<DB> {
    let colour = super::method_colour(s.method);
    let upper = s
        .points
        .iter()
        .map(|p| (p.magnitude, band(p.mean + p.spread)));
    let lower = s
        .points
        .iter()
        .rev()
        .map(|p| (p.magnitude, band(p.mean - p.spread)));
    let outline: Vec<(f64, f64)> = upper.chain(lower).collect();
    chart.draw_series([Polygon::new(outline, colour.mix(0.2).filled())])?;
    let mean = s.points.iter().map(|p| (p.magnitude, 100.0 * p.mean));
    chart.draw_series(LineSeries::new(mean.clone(), colour.stroke_width(3)))?;
    chart.draw_series(mean.map(|xy| Circle::new(xy, 3, colour.filled())))?;
    Ok(())
}

/// A performance fraction as a % clamped to the axis.
fn band(v: f64) -> f64 {
    (100.0 * v).clamp(0.0, 100.0)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn curves_have_kind_label_legend_and_marker() {
        let points: Vec<SweepPoint> = (0..5)
            .map(|i| SweepPoint {
                magnitude: i as f64 * 0.25,
                per_task: vec![0.8; 9],
                mean: 0.9 - 0.15 * i as f64,
                spread: 0.05,
            })
            .collect();
        let data: Vec<_> = Method::ALL
            .iter()
            .map(|&method| RobustnessSeries {
                method,
                points: points.clone(),
            })
            .collect();
        let kind = Kind::RecWeightNoise;
        let svg =
            super::super::render_svg(960, 540, |a| draw_robustness(a, kind, &data, Some(0.3)));
        for text in [
            kind.label(),
            "performance, mean of tasks (% correct)",
            "current value 0.3",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
        assert!(svg.contains("Pre-trained monolith"));
    }

    #[test]
    fn no_points_and_no_marker_draws_an_empty_chart_instead_of_hanging() {
        let data = vec![RobustnessSeries {
            method: Method::Molap,
            points: Vec::new(),
        }];
        let svg = super::super::render_svg(480, 300, |a| {
            draw_robustness(a, Kind::ModuleLoss, &data, None)
        });
        assert!(svg.contains(Kind::ModuleLoss.label()));
    }
}
