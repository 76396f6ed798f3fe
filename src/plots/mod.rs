//! Plot layout, written against plotters' `DrawingBackend` trait so that every figure draws on
//! a browser canvas (the `web` module) and natively into SVG or PNG files alike.

pub mod leaky;
