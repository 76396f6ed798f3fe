//! Robustness curves: mean performance over tasks against one perturbation's magnitude, one
//! curve per method with a band of ± one standard deviation over perturbation draws (when the
//! draws differ), and optionally a marker at the magnitude currently applied. Module loss,
//! whose settings are categories (none, module 1, ...), is drawn as grouped points instead.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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

/// Draws every series against the magnitude of `kind`; `marker` marks the current magnitude
/// (a dashed vertical line; module loss: its setting shaded).
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
///
/// Module loss has no continuous magnitude: its settings ("none", "module 1", ...) are
/// categories, drawn as a group of points (with ± 1 s.d. bars when draws differ) per setting
/// and the current setting shaded.
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
    let swatch = if kind == Kind::ModuleLoss {
        Swatch::Box
    } else {
        Swatch::Line
    };
    let mut entries = LegendEntry::methods(series.iter().map(|s| s.method), swatch);
    if kind == Kind::ModuleLoss {
        let last = if hi.is_finite() {
            hi.round().max(0.0)
        } else {
            0.0
        };
        draw_settings(&plot, kind, series, marker, last as usize, &mut entries)?;
    } else {
        let (lo, hi) = if lo < hi {
            (lo, hi)
        } else if lo.is_finite() {
            (lo.min(0.0), lo.max(0.0) + 1.0)
        } else {
            // Nothing to show yet (no point, no marker): an empty unit range, not 0..inf.
            (0.0, 1.0)
        };
        draw_curves(&plot, kind, series, marker, (lo, hi), &mut entries)?;
    }
    super::draw_legend(&legend, &entries)?;
    area.present()
}

/// The y axis's description.
const Y_DESC: &str = "performance, mean of tasks (% correct)";

/// Whether any point of `series` has a spread over draws to show.
fn has_spread(series: &[RobustnessSeries]) -> bool {
    series
        .iter()
        .flat_map(|s| &s.points)
        .any(|p| p.spread > 0.0)
}

/// Continuous magnitudes: one line per method, a band when draws differ, a dashed marker.
fn draw_curves<DB: DrawingBackend>(
    plot: &DrawingArea<DB, Shift>,
    kind: Kind,
    series: &[RobustnessSeries],
    marker: Option<f64>,
    (lo, hi): (f64, f64),
    entries: &mut Vec<LegendEntry>,
) -> DrawResult<DB> {
    let mut chart = ChartBuilder::on(plot)
        .margin(10)
        .x_label_area_size(44)
        .y_label_area_size(60)
        .build_cartesian_2d(lo..hi, 0.0..100.0)?;
    super::house_mesh(&mut chart.configure_mesh(), kind.label(), Y_DESC)
        .x_label_formatter(&super::tick_of)
        .draw()?;
    let bands = has_spread(series);
    for s in series {
        draw_curve(&mut chart, s, bands)?;
    }
    if bands {
        entries.push(LegendEntry::note(BAND_NOTE, Swatch::Faint));
    }
    if let Some(m) = marker {
        let line = [(m, 0.0), (m, 100.0)];
        chart.draw_series(DashedLineSeries::new(line, 6, 4, BLACK.stroke_width(2)))?;
        entries.push(LegendEntry::note(
            &format!("current: {}", kind.setting(m)),
            Swatch::Dashed,
        ));
    }
    Ok(())
}

/// The legend's note for the bands (short enough for the legend strip).
const BAND_NOTE: &str = "± 1 s.d. over draws";

/// The legend's note for the bars of categorical settings.
const BAR_NOTE: &str = "bar: ± 1 s.d. of draws";

/// Categorical settings 0 to `last` (module loss: none, module 1, ...): each method's point
/// beside the others' within its setting's group, never joined by lines.
fn draw_settings<DB: DrawingBackend>(
    plot: &DrawingArea<DB, Shift>,
    kind: Kind,
    series: &[RobustnessSeries],
    marker: Option<f64>,
    last: usize,
    entries: &mut Vec<LegendEntry>,
) -> DrawResult<DB> {
    let n = last + 1;
    let mut chart = ChartBuilder::on(plot)
        .margin(10)
        .x_label_area_size(44)
        .y_label_area_size(60)
        .build_cartesian_2d(-0.5..(n as f64 - 0.5), 0.0..100.0)?;
    if let Some(m) = marker {
        let c = m.round();
        chart.draw_series([Rectangle::new(
            [(c - 0.45, 0.0), (c + 0.45, 100.0)],
            MARKER_SHADE.filled(),
        )])?;
        entries.push(LegendEntry::note(
            &format!("current: {}", kind.setting(m)),
            Swatch::Faint,
        ));
    }
    super::house_mesh(&mut chart.configure_mesh(), kind.label(), Y_DESC)
        .disable_x_mesh()
        .x_labels(n)
        .x_label_formatter(&|_| String::new())
        .draw()?;
    let (left, top) = plot.get_base_pixel();
    let style =
        TextStyle::from((super::FONT, super::LABEL_SIZE)).pos(Pos::new(HPos::Center, VPos::Top));
    for i in 0..n {
        let (x, y) = chart.backend_coord(&(i as f64, 0.0));
        plot.draw_text(&kind.setting(i as f64), &style, (x - left, y - top + 8))?;
    }
    let width = 0.7 / series.len().max(1) as f64;
    let bars = has_spread(series);
    for (j, s) in series.iter().enumerate() {
        let colour = super::method_colour(s.method);
        let offset = (j as f64 - (series.len() as f64 - 1.0) / 2.0) * width;
        let at = |p: &SweepPoint| p.magnitude.round() + offset;
        if bars {
            chart.draw_series(s.points.iter().filter(|p| p.spread > 0.0).map(|p| {
                PathElement::new(
                    vec![
                        (at(p), band(p.mean - p.spread)),
                        (at(p), band(p.mean + p.spread)),
                    ],
                    colour.stroke_width(2),
                )
            }))?;
        }
        chart.draw_series(
            s.points
                .iter()
                .map(|p| Circle::new((at(p), 100.0 * p.mean), 5, colour.filled())),
        )?;
    }
    if bars {
        entries.push(LegendEntry::note(BAR_NOTE, Swatch::Line));
    }
    Ok(())
}

/// The shade behind the current setting.
const MARKER_SHADE: RGBAColor = RGBAColor(0, 0, 0, 0.08);

/// One method's band (when `band`) and mean line.
fn draw_curve<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    s: &RobustnessSeries,
    band_drawn: bool,
) -> DrawResult<DB> {
    let colour = super::method_colour(s.method);
    if band_drawn {
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
    }
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

    /// Every text element's content, trimmed.
    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| {
                let body = &t[t.find('>')? + 1..t.find("</text>")?];
                Some(body.trim().to_string())
            })
            .collect()
    }

    fn curves(points: &[SweepPoint]) -> Vec<RobustnessSeries> {
        Method::ALL
            .iter()
            .map(|&method| RobustnessSeries {
                method,
                points: points.to_vec(),
            })
            .collect()
    }

    /// `n + 1` points `step` apart whose mean falls by `fall` per point.
    fn falling(n: usize, step: f64, fall: f64, spread: f64) -> Vec<SweepPoint> {
        (0..=n)
            .map(|i| SweepPoint {
                magnitude: i as f64 * step,
                per_task: vec![0.8; 9],
                mean: 0.9 - fall * i as f64,
                spread,
            })
            .collect()
    }

    /// A curve over a continuous magnitude.
    fn line(spread: f64) -> Vec<SweepPoint> {
        falling(4, 0.5, 0.15, spread)
    }

    #[test]
    fn curves_have_kind_label_legend_and_marker() {
        let kind = Kind::RecWeightNoise;
        let data = curves(&line(0.05));
        let svg =
            super::super::render_svg(960, 540, |a| draw_robustness(a, kind, &data, Some(1.5)));
        for text in [kind.label(), Y_DESC, "current: 1.5", BAND_NOTE] {
            assert!(svg.contains(text), "missing {text}");
        }
        assert!(svg.contains("Pre-trained monolith"));
    }

    #[test]
    fn the_band_and_its_legend_entry_appear_only_when_draws_differ() {
        let kind = Kind::InputNoise;
        let one_draw = curves(&line(0.0));
        let svg = super::super::render_svg(960, 540, |a| draw_robustness(a, kind, &one_draw, None));
        assert!(!svg.contains(BAND_NOTE), "no band, no legend entry");
        assert!(!svg.contains("<polygon"), "no band drawn");
        let draws = curves(&line(0.05));
        let svg = super::super::render_svg(960, 540, |a| draw_robustness(a, kind, &draws, None));
        assert!(svg.contains(BAND_NOTE));
        assert_eq!(svg.matches("<polygon").count(), Method::ALL.len());
    }

    #[test]
    fn legend_notes_fit_the_legend_strip() {
        for text in [
            BAND_NOTE,
            BAR_NOTE,
            "current: module 3",
            "current: 0.45",
            "Pre-trained monolith",
        ] {
            assert!(super::super::legend_fits(text), "{text} is clipped");
        }
        assert!(!super::super::legend_fits(
            "band: ± 1 s.d. over draws, a long note"
        ));
    }

    #[test]
    fn the_axis_spans_the_requested_range() {
        // Only the first half of the curve is computed: the axis still reaches the maximum.
        let kind = Kind::RecWeightNoise;
        let data = curves(&line(0.0)[..2]);
        let svg = super::super::render_svg(960, 540, |a| {
            draw_robustness_over(a, kind, &data, Some(1.5), Some((0.0, 2.0)))
        });
        assert!(texts(&svg).contains(&"2".to_string()), "no tick at 2");
    }

    /// Module-loss settings: none, then modules 1 to `n`.
    fn settings(n: usize, spread: f64) -> Vec<SweepPoint> {
        falling(n, 1.0, 0.2, spread)
    }

    #[test]
    fn module_loss_is_drawn_as_named_settings_without_lines() {
        let kind = Kind::ModuleLoss;
        let data = curves(&settings(3, 0.0));
        let empty = curves(&[]);
        let draw = |data: &[RobustnessSeries], marker| {
            super::super::render_svg(960, 540, |a| {
                draw_robustness_over(a, kind, data, marker, Some((0.0, 3.0)))
            })
        };
        let svg = draw(&data, Some(2.0));
        let shown = texts(&svg);
        for text in [
            "none",
            "module 1",
            "module 2",
            "module 3",
            "current: module 2",
        ] {
            assert!(
                shown.contains(&text.to_string()),
                "missing {text} in {shown:?}"
            );
        }
        assert!(!svg.contains("module 0") && !svg.contains("module 4"));
        assert!(
            !shown
                .iter()
                .any(|t| t.starts_with("0.") || t.starts_with("1.")),
            "no fractional ticks: {shown:?}"
        );
        // One dot per method and setting, and no line joining them: the points add no path.
        assert_eq!(svg.matches("<circle").count(), 4 * Method::ALL.len());
        let paths = |svg: &str| svg.matches("<polyline").count() + svg.matches("<path").count();
        assert_eq!(paths(&svg), paths(&draw(&empty, Some(2.0))));
        assert!(!svg.contains(BAR_NOTE), "one draw: no bars, no bar note");
        assert!(texts(&draw(&data, Some(0.0))).contains(&"current: none".to_string()));
        assert!(!draw(&data, None).contains("current"));
    }

    #[test]
    fn module_loss_bars_show_the_spread_when_draws_differ() {
        let data = curves(&settings(3, 0.05));
        let svg = super::super::render_svg(960, 540, |a| {
            draw_robustness(a, Kind::ModuleLoss, &data, None)
        });
        assert!(svg.contains(BAR_NOTE));
    }

    #[test]
    fn no_points_and_no_marker_draws_an_empty_chart_instead_of_hanging() {
        for kind in [Kind::ModuleLoss, Kind::UnitLoss] {
            let data = curves(&[]);
            let svg = super::super::render_svg(480, 300, |a| draw_robustness(a, kind, &data, None));
            assert!(svg.contains(kind.label()));
        }
    }
}
