//! The floating-point type the networks compute in.
//!
//! Training and evaluation run in `f32` (fast, SIMD in the browser); the gradient checks run the
//! very same code in `f64`, so every numeric routine is generic over [`Real`].

use nalgebra::RealField;

/// A float the core can compute with: `f32` or `f64`.
pub trait Real: RealField + Copy + Send + Sync + Default + 'static {
    /// Converts from `f64` (rounding for `f32`).
    fn of(x: f64) -> Self;
    /// Converts to `f64` exactly.
    fn to_f64(self) -> f64;
}

impl Real for f32 {
    fn of(x: f64) -> Self {
        x as f32
    }
    fn to_f64(self) -> f64 {
        self as f64
    }
}

impl Real for f64 {
    fn of(x: f64) -> Self {
        x
    }
    fn to_f64(self) -> f64 {
        self
    }
}
