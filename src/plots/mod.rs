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
