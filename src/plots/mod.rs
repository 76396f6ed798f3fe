//! Plot layout, written against plotters' `DrawingBackend` trait so that every figure draws on
//! a browser canvas (the `web` module) and natively into SVG or PNG files alike.

pub mod leaky;
pub mod summary;
pub mod trajectories;
pub mod trial;

use plotters::prelude::*;

use crate::methods::Method;

/// The font family of every plot.
pub const FONT: &str = "sans-serif";

/// What a drawing function returns.
pub type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// The colour of a method, the same in every plot.
pub fn method_colour(method: Method) -> RGBColor {
    match method {
        Method::Molap => RGBColor(36, 86, 199),
        Method::Monolithic => RGBColor(217, 113, 28),
        Method::RandomModules => RGBColor(42, 157, 85),
        Method::PretrainedMonolith => RGBColor(142, 68, 173),
    }
}

/// Width of the legend margin on the right of a plot, pixels.
pub const LEGEND_WIDTH: i32 = 190;

/// One legend entry: its text, colour and how its symbol is drawn.
pub type LegendKey = (String, RGBColor, Key);

/// How a legend entry is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A solid line.
    Solid,
    /// A dashed line.
    Dashed,
    /// A filled block (bars, shaded regions).
    Block,
    /// A pale filled block.
    Pale,
}

/// A legend in the right margin ([`LEGEND_WIDTH`]) of `area`, drawn in pixels from `top`.
pub fn side_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    top: i32,
    keys: &[LegendKey],
) -> DrawResult<DB> {
    let (width, _) = area.dim_in_pixel();
    let x = width as i32 - LEGEND_WIDTH + 12;
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
            Key::Block => area.draw(&Rectangle::new(
                [(x, y - 6), (x + 22, y + 6)],
                colour.filled(),
            ))?,
            Key::Pale => area.draw(&Rectangle::new(
                [(x, y - 6), (x + 22, y + 6)],
                colour.mix(0.3).filled(),
            ))?,
        }
        area.draw(&Text::new(name.clone(), (x + 28, y - 8), style.clone()))?;
    }
    Ok(())
}
