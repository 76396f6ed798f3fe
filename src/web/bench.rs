//! The benchmark workloads of [`crate::bench`] in the browser, timed with `performance.now()`
//! (the page's and a worker's global alike). Used by `tests/bench/`, not by the page.

use wasm_bindgen::prelude::*;

use super::{js_error, parse_json};
use crate::bench::{self, Architecture, Plan};

#[wasm_bindgen]
extern "C" {
    /// `performance.now()`, milliseconds.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// Times one task-stage training iteration of `method` (`"molap"` or `"monolithic"`) with the
/// plan `plan_json` (see [`Plan`]); returns the measurement as JSON.
#[wasm_bindgen(js_name = benchIteration)]
pub fn bench_iteration(method: &str, plan_json: &str) -> Result<String, JsError> {
    let plan: Plan = parse_json(plan_json, "benchmark plan")?;
    let arch = Architecture::parse(method).map_err(js_error)?;
    let row = bench::time_iteration(arch, &plan, &performance_now).map_err(js_error)?;
    Ok(serde_json::to_string(&row)?)
}

/// Every workload of [`bench::run_all`] with the plan `plan_json`; returns the rows as JSON.
#[wasm_bindgen(js_name = benchAll)]
pub fn bench_all(plan_json: &str) -> Result<String, JsError> {
    let plan: Plan = parse_json(plan_json, "benchmark plan")?;
    let rows = bench::run_all(&plan, &performance_now).map_err(js_error)?;
    Ok(serde_json::to_string(&rows)?)
}
