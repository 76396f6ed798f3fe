//! The browser edge: the only module that knows about JavaScript, the DOM and canvases.
//!
//! Calls are coarse (one per repaint or worker message); core errors become JS `Error`s with the
//! core's message; a panic writes a readable message into the page.
//!
//! - [`Lab`]: the page's state (networks, perturbation, trajectory axes) and its drawing;
//! - [`TrainerHandle`]: a training run, driven by the training worker.

mod bench;
mod lab;
mod layers;
mod panic;
mod trainer;

pub use bench::{bench_all, bench_iteration};
pub use lab::Lab;
pub use trainer::TrainerHandle;

use js_sys::Float32Array;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

use crate::network::{Group, Network};
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

/// The largest magnitude of each continuous perturbation (JSON `{kind name: max}`): the page's
/// sliders reach it and the robustness curves span it, from the one table in the core
/// ([`crate::perturb::Kind::max_magnitude`]). Module loss, a choice among modules, is left out.
#[wasm_bindgen(js_name = perturbationMaxima)]
pub fn perturbation_maxima() -> String {
    use crate::perturb::Kind;
    let maxima: serde_json::Map<String, serde_json::Value> = Kind::ALL
        .into_iter()
        .filter(|&k| k != Kind::ModuleLoss)
        .map(|k| (k.name().to_string(), k.max_magnitude(0).into()))
        .collect();
    serde_json::Value::Object(maxima).to_string()
}

/// Panics on purpose with `message`, so that tests can check what a user would see.
#[wasm_bindgen(js_name = panicForTest)]
pub fn panic_for_test(message: &str) {
    panic!("{message}");
}

/// The core's error as a JS error with the core's message.
fn js_error(e: crate::Error) -> JsError {
    JsError::new(&e.to_string())
}

/// Parses JSON from the page, naming what it was meant to be when it is malformed.
fn parse_json<T: DeserializeOwned>(json: &str, what: &str) -> Result<T, JsError> {
    serde_json::from_str(json).map_err(|e| JsError::new(&format!("malformed {what}: {e}")))
}

/// The parameter groups in the order of a flattened weight array.
const GROUPS: [Group; 5] = Group::ALL;

/// Every parameter of `network`, group after group (`w_in`, `w_rec`, `b`, `w_out`, `b_out`,
/// each column-major).
fn flatten(network: &Network<f32>) -> Float32Array {
    let values: Vec<f32> = GROUPS
        .iter()
        .flat_map(|&g| network.params.group(g).to_vec())
        .collect();
    Float32Array::from(values.as_slice())
}

/// A copy of `network` holding the flattened `weights` (as [`flatten`] writes them).
fn unflatten(network: &Network<f32>, weights: &[f32]) -> Result<Network<f32>, JsError> {
    let mut params = network.params.clone();
    if weights.len() != params.n_params() {
        return Err(JsError::new(&format!(
            "{} weights given where the network has {}",
            weights.len(),
            params.n_params()
        )));
    }
    let mut rest = weights;
    for g in GROUPS {
        let slot = params.group_mut(g);
        let (head, tail) = rest.split_at(slot.len());
        slot.copy_from_slice(head);
        rest = tail;
    }
    Network::from_params(network.config(), params).map_err(|e| JsError::new(&e.to_string()))
}
