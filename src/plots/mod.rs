//! Plot layout, written against plotters' `DrawingBackend` trait so that every figure draws on
//! a browser canvas (the `web` module) and natively into SVG or PNG files alike.
//!
//! Each figure is a function from plain data to a drawing: `draw_*(area, data...)`. They share
//! one palette ([`method_colour`]), one title and legend layout ([`frame`], [`draw_legend`])
//! and text in the "sans-serif" family. Natively that family must be registered once with
//! [`register_fonts`] (the bundled DejaVu Sans); in the browser the canvas supplies it.

pub mod bands;
pub mod efficiency;
pub mod leaky;
pub mod learning;
pub mod performance;
pub mod robustness;
pub mod trajectories;
pub mod trial;
pub mod whiskers;

use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor;

use crate::methods::Method;

/// What every drawing function returns.
pub type DrawResult<DB> = Result<(), DrawError<DB>>;

/// The error of a drawing on backend `DB`.
pub type DrawError<DB> = DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>;

/// A figure's plot area and its legend strip.
pub type Split<DB> = (Area<DB>, Area<DB>);

/// A drawing area on backend `DB`, in pixel coordinates.
pub type Area<DB> = DrawingArea<DB, Shift>;

/// The font family of every text.
pub const FONT: &str = "sans-serif";
/// Title size, px.
pub const TITLE_SIZE: u32 = 20;
/// Tick label size, px.
pub const LABEL_SIZE: u32 = 13;
/// Axis description and legend size, px.
pub const DESC_SIZE: u32 = 15;
/// Width of the legend strip right of each figure, px.
pub const LEGEND_WIDTH: u32 = 200;

/// Colour of the grid lines at labelled ticks (the minor grid is not drawn).
pub const GRID: RGBColor = RGBColor(225, 225, 225);

/// A compact tick label: integers without decimals, others with at most three significant
/// decimals and no trailing zeros (`0.25`, `1e-3` for tiny values).
pub fn tick(v: f64) -> String {
    if v == 0.0 || (v.abs() >= 1.0 && (v - v.round()).abs() < 1e-9) {
        return format!("{v:.0}");
    }
    if v.abs() < 1e-3 {
        return format!("{v:.0e}");
    }
    let text = format!("{v:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The fixed colour of each method, the same in every figure (Okabe–Ito palette, readable
/// with the common colour-vision deficiencies).
pub fn method_colour(method: Method) -> RGBColor {
    match method {
        Method::Molap => RGBColor(0, 114, 178),
        Method::Monolithic => RGBColor(213, 94, 0),
        Method::RandomModules => RGBColor(0, 158, 115),
        Method::PretrainedMonolith => RGBColor(204, 121, 167),
    }
}

/// How a legend entry's swatch looks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Swatch {
    /// A filled box (bars).
    Box,
    /// A faint box with a border (the frozen part of a bar, a spread band).
    Faint,
    /// A thick line (curves).
    Line,
    /// A thin faint line (a secondary curve).
    ThinLine,
    /// A dashed line (a marker such as the current value, or an earlier run's curve).
    Dashed,
}

/// One legend entry.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    /// The text.
    pub label: String,
    /// The swatch's colour.
    pub colour: RGBColor,
    /// The swatch's look.
    pub swatch: Swatch,
}

impl LegendEntry {
    /// An entry per method, with its colour.
    pub fn methods(methods: impl IntoIterator<Item = Method>, swatch: Swatch) -> Vec<Self> {
        methods
            .into_iter()
            .map(|m| LegendEntry {
                label: m.label().to_string(),
                colour: method_colour(m),
                swatch,
            })
            .collect()
    }

    /// A grey entry that explains a line or swatch style rather than naming a method.
    pub fn note(label: &str, swatch: Swatch) -> Self {
        LegendEntry {
            label: label.to_string(),
            colour: NOTE_GREY,
            swatch,
        }
    }
}

/// Colour of legend entries that explain a style.
const NOTE_GREY: RGBColor = RGBColor(100, 100, 100);

/// The house style of a chart's mesh: grid lines, fonts, compact numbers on the y axis and the
/// axis descriptions. Callers add what differs (x labels, x formatter) before `draw()`.
pub fn house_mesh<'m, 'a, 'b, X, Y, DB>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
    x_desc: &str,
    y_desc: &str,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged + ValueFormatter<X::ValueType>,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
    DB: DrawingBackend,
{
    mesh.light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .y_label_formatter(&tick_of)
        .label_style((FONT, LABEL_SIZE))
        .axis_desc_style((FONT, DESC_SIZE))
        .x_desc(x_desc)
        .y_desc(y_desc)
}

/// [`tick`] of a referenced value, as plotters' label formatters take it.
pub fn tick_of(v: &f64) -> String {
    tick(*v)
}

/// Clears the area, writes the title and returns (plot area, legend strip).
pub fn frame<DB: DrawingBackend>(area: &Area<DB>, title: &str) -> Result<Split<DB>, DrawError<DB>> {
    area.fill(&WHITE)?;
    let body = area.titled(title, (FONT, TITLE_SIZE))?;
    let width = body.dim_in_pixel().0;
    Ok(body.split_horizontally(width.saturating_sub(LEGEND_WIDTH)))
}

/// Where a legend entry's text starts, px from the strip's left edge.
const LEGEND_TEXT_X: i32 = 34;

/// Draws the legend entries top-down in `area`.
pub fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
) -> DrawResult<DB> {
    let line_height = DESC_SIZE as i32 + 10;
    for (i, entry) in entries.iter().enumerate() {
        let y = 40 + i as i32 * line_height;
        let c = entry.colour;
        match entry.swatch {
            Swatch::Box => area.draw(&Rectangle::new([(8, y - 6), (26, y + 6)], c.filled()))?,
            Swatch::Faint => {
                area.draw(&Rectangle::new(
                    [(8, y - 6), (26, y + 6)],
                    c.mix(0.25).filled(),
                ))?;
                area.draw(&Rectangle::new([(8, y - 6), (26, y + 6)], c))?;
            }
            Swatch::Line => {
                area.draw(&PathElement::new(vec![(6, y), (28, y)], c.stroke_width(3)))?
            }
            Swatch::ThinLine => area.draw(&PathElement::new(vec![(6, y), (28, y)], c.mix(0.6)))?,
            Swatch::Dashed => area.draw(&plotters::element::DashedPathElement::new(
                vec![(6, y), (28, y)],
                6,
                4,
                c.stroke_width(2),
            ))?,
        }
        let style = TextStyle::from((FONT, DESC_SIZE)).pos(text_anchor::Pos::new(
            text_anchor::HPos::Left,
            text_anchor::VPos::Center,
        ));
        area.draw(&Text::new(entry.label.clone(), (LEGEND_TEXT_X, y), style))?;
    }
    Ok(())
}

/// One entry of a [`side_legend`]: its text, colour and how its symbol is drawn.
pub type LegendKey = (String, RGBColor, Key);

/// How a [`side_legend`] entry is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A solid line.
    Solid,
    /// A dashed line.
    Dashed,
    /// A pale filled block (shaded regions).
    Pale,
}

/// A legend in the right margin ([`LEGEND_WIDTH`]) of `area`, drawn in pixels from `top`: for
/// figures with several stacked rows, each with its own legend beside it.
pub fn side_legend<DB: DrawingBackend>(
    area: &Area<DB>,
    top: i32,
    keys: &[LegendKey],
) -> DrawResult<DB> {
    let (width, _) = area.dim_in_pixel();
    let x = width as i32 - LEGEND_WIDTH as i32 + 12;
    let style = TextStyle::from((FONT, 14)).color(&BLACK);
    for (i, (name, colour, key)) in keys.iter().enumerate() {
        let y = top + 19 * i as i32;
        match key {
            Key::Solid => area.draw(&PathElement::new(
                vec![(x, y), (x + 22, y)],
                colour.stroke_width(2),
            ))?,
            Key::Dashed => {
                for k in 0..3 {
                    let a = x + 8 * k;
                    area.draw(&PathElement::new(
                        vec![(a, y), (a + 5, y)],
                        colour.stroke_width(2),
                    ))?;
                }
            }
            Key::Pale => area.draw(&Rectangle::new(
                [(x, y - 6), (x + 22, y + 6)],
                colour.mix(0.3).filled(),
            ))?,
        }
        area.draw(&Text::new(name.clone(), (x + 28, y - 8), style.clone()))?;
    }
    Ok(())
}

/// Registers the bundled DejaVu Sans as the "sans-serif" family, for native SVG and PNG
/// rendering (once; later calls do nothing).
#[cfg(not(target_arch = "wasm32"))]
pub fn register_fonts() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    static DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
    ONCE.call_once(|| {
        if plotters::style::register_font(FONT, FontStyle::Normal, DEJAVU_SANS).is_err() {
            log::error!("the bundled font could not be loaded; figures will lack text");
        }
    });
}

/// Test helper: whether a legend entry's text, in the bundled font, fits the legend strip
/// beside its swatch.
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) fn legend_fits(text: &str) -> bool {
    register_fonts();
    let font = FontDesc::from((FONT, DESC_SIZE as f64));
    let (width, _) = font.box_size(text).expect("the bundled font measures text");
    LEGEND_TEXT_X + width as i32 <= LEGEND_WIDTH as i32 - 4
}

/// Test helper: draws into an SVG string of `width` x `height` px.
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) fn render_svg(
    width: u32,
    height: u32,
    draw: impl for<'a> FnOnce(&DrawingArea<SVGBackend<'a>, Shift>) -> DrawResult<SVGBackend<'a>>,
) -> String {
    register_fonts();
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        draw(&area).expect("drawing failed");
    }
    svg
}

#[cfg(test)]
mod tests {
    use super::tick;

    #[test]
    fn ticks_are_compact() {
        assert_eq!(tick(100.0), "100");
        assert_eq!(tick(0.0), "0");
        assert_eq!(tick(0.25), "0.25");
        assert_eq!(tick(0.5), "0.5");
        assert_eq!(tick(2.5), "2.5");
        assert_eq!(tick(0.0001), "1e-4");
    }
}

/// A chart's plotting area as it was drawn: its pixels and its data-to-pixel mapping. A panel
/// whose axes stay put draws them (and every text, which is what costs time on a canvas) once,
/// keeps the spots, and later draws only its data again on them.
#[derive(Clone)]
pub struct PlotSpot {
    pixels: (std::ops::Range<i32>, std::ops::Range<i32>),
    coord: Cartesian2d<RangedCoordf64, RangedCoordf64>,
}

/// A plotting area with `f64` data coordinates.
pub type DataArea<DB> = DrawingArea<DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

impl PlotSpot {
    /// The spot of `chart`'s plotting area.
    pub fn of<DB: DrawingBackend>(
        chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    ) -> Self {
        let area = chart.plotting_area();
        PlotSpot {
            pixels: area.get_pixel_range(),
            coord: area.as_coord_spec().clone(),
        }
    }

    /// The same plotting area on `root`, a drawing of the same size as the one it came from.
    pub fn on<DB: DrawingBackend>(&self, root: &Area<DB>) -> DataArea<DB> {
        let (rx, ry) = root.get_pixel_range();
        let (x, y) = &self.pixels;
        root.clone()
            .shrink(
                (x.start - rx.start, y.start - ry.start),
                (x.end - x.start, y.end - y.start),
            )
            .apply_coord_spec(self.coord.clone())
    }
}
