//! Curves with a spread band, one per method, in a grid of panels that share one legend: for
//! summaries over seeds (learning curves, robustness curves, held-out learning).

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::{DESC_SIZE, DrawResult, FONT, LegendEntry, Swatch};
use crate::methods::Method;

/// One point of a curve with its band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BandPoint {
    /// Position on the x axis.
    pub x: f64,
    /// The line's height.
    pub mean: f64,
    /// The band's lower edge.
    pub lo: f64,
    /// The band's upper edge.
    pub hi: f64,
}

/// One method's curve.
#[derive(Debug, Clone, PartialEq)]
pub struct BandSeries {
    /// The method (its colour and legend entry).
    pub method: Method,
    /// The points, by increasing x.
    pub points: Vec<BandPoint>,
}

/// One panel of the grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// The panel's caption.
    pub title: String,
    /// The x axis's description, with its unit.
    pub x_desc: String,
    /// The y axis's description, with its unit.
    pub y_desc: String,
    /// The y axis's range.
    pub y_range: (f64, f64),
    /// The curves.
    pub series: Vec<BandSeries>,
}

/// Draws `panels` in a grid of `columns` columns under `title`, with one legend of the methods
/// and `band_note` explaining the bands.
pub fn draw_band_panels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    panels: &[Panel],
    columns: usize,
    band_note: &str,
) -> DrawResult<DB> {
    let (plot, legend) = super::frame(area, title)?;
    let columns = columns.clamp(1, panels.len().max(1));
    let rows = panels.len().div_ceil(columns).max(1);
    let cells = plot.split_evenly((rows, columns));
    for (panel, cell) in panels.iter().zip(&cells) {
        draw_panel(cell, panel)?;
    }
    let mut methods: Vec<Method> = Vec::new();
    for s in panels.iter().flat_map(|p| &p.series) {
        if !methods.contains(&s.method) {
            methods.push(s.method);
        }
    }
    let mut entries = LegendEntry::methods(methods, Swatch::Line);
    entries.push(LegendEntry::note(band_note, Swatch::Faint));
    super::draw_legend(&legend, &entries)?;
    area.present()
}

/// One panel: axes, then each series' band and line.
fn draw_panel<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, panel: &Panel) -> DrawResult<DB> {
    let xs = panel
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.x));
    let (lo, hi) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
        (lo.min(x), hi.max(x))
    });
    let (lo, hi) = if lo < hi { (lo, hi) } else { (0.0, 1.0) };
    // Whole-number positions over a short range (module numbers) get one tick each.
    let whole = panel
        .series
        .iter()
        .flat_map(|s| &s.points)
        .all(|p| p.x.fract() == 0.0);
    let x_ticks = if whole && hi - lo <= 10.0 {
        (hi - lo) as usize + 1
    } else {
        5
    };
    let mut chart = ChartBuilder::on(area)
        .caption(&panel.title, (FONT, DESC_SIZE))
        .margin(8)
        .x_label_area_size(40)
        .y_label_area_size(52)
        .build_cartesian_2d(lo..hi, panel.y_range.0..panel.y_range.1)?;
    super::house_mesh(&mut chart.configure_mesh(), &panel.x_desc, &panel.y_desc)
        .x_label_formatter(&super::tick_of)
        .x_labels(x_ticks)
        .y_labels(6)
        .draw()?;
    for s in &panel.series {
        draw_series(&mut chart, s, panel.y_range)?;
    }
    Ok(())
}

/// One series' band (clamped to the axis) and mean line with dots.
fn draw_series<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    s: &BandSeries,
    (y0, y1): (f64, f64),
) -> DrawResult<DB> {
    let colour = super::method_colour(s.method);
    let clamp = |v: f64| v.clamp(y0, y1);
    let upper = s.points.iter().map(|p| (p.x, clamp(p.hi)));
    let lower = s.points.iter().rev().map(|p| (p.x, clamp(p.lo)));
    let outline: Vec<(f64, f64)> = upper.chain(lower).collect();
    chart.draw_series([Polygon::new(outline, colour.mix(0.18).filled())])?;
    let line = s.points.iter().map(|p| (p.x, clamp(p.mean)));
    chart.draw_series(LineSeries::new(line.clone(), colour.stroke_width(2)))?;
    if s.points.len() <= 24 {
        chart.draw_series(line.map(|xy| Circle::new(xy, 2, colour.filled())))?;
    }
    Ok(())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn panels_have_captions_axes_and_one_legend() {
        let series: Vec<BandSeries> = Method::ALL
            .iter()
            .map(|&method| BandSeries {
                method,
                points: (0..4)
                    .map(|i| BandPoint {
                        x: i as f64,
                        mean: 50.0,
                        lo: 40.0,
                        hi: 60.0,
                    })
                    .collect(),
            })
            .collect();
        let panel = |t: &str| Panel {
            title: t.to_string(),
            x_desc: "trials seen".to_string(),
            y_desc: "performance (% correct)".to_string(),
            y_range: (0.0, 100.0),
            series: series.clone(),
        };
        let panels = [panel("first panel"), panel("second panel"), panel("third")];
        let svg = super::super::render_svg(1200, 700, |a| {
            draw_band_panels(
                a,
                "Summary over seeds",
                &panels,
                2,
                "band: min–max over seeds",
            )
        });
        for text in [
            "Summary over seeds",
            "first panel",
            "third",
            "trials seen",
            "band: min–max over seeds",
            "Pre-trained monolith",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
    }
}
