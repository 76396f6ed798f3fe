//! The browser edge: the only module that knows about JavaScript, the DOM and canvases.
//!
//! Calls are coarse (one per repaint or worker message); core errors become JS `Error`s with the
//! core's message; a panic writes a readable message into the page.

mod panic;

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;

use crate::plots;

/// Runs once when the module is instantiated: installs the panic hook and the console logger.
#[wasm_bindgen(start)]
pub fn start() {
    panic::install_hook();
    // A second call (e.g. in a worker that re-imports the module) is harmless.
    let _ = console_log::init_with_level(log::Level::Info);
}

/// Draws the step response of a leaky unit with time constant `tau_ms` on canvas `canvas_id`.
#[wasm_bindgen(js_name = drawLeakyResponse)]
pub fn draw_leaky_response(canvas_id: &str, tau_ms: f64) -> Result<(), JsError> {
    if !(tau_ms.is_finite() && tau_ms > 0.0) {
        return Err(JsError::new(&format!(
            "tau must be a positive number of ms, got {tau_ms}"
        )));
    }
    let backend = CanvasBackend::new(canvas_id)
        .ok_or_else(|| JsError::new(&format!("no canvas with id `{canvas_id}` in the page")))?;
    let area = backend.into_drawing_area();
    plots::leaky::draw_leaky_response(&area, tau_ms)
        .map_err(|e| JsError::new(&format!("drawing failed: {e}")))
}

/// Panics on purpose with `message`, so that tests can check what a user would see.
#[wasm_bindgen(js_name = panicForTest)]
pub fn panic_for_test(message: &str) {
    panic!("{message}");
}
