//! Browser tests of the web edge, run in headless Chromium by wasm-bindgen-test.
#![cfg(target_arch = "wasm32")]

use molap_lab::web;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Adds a canvas with the given id to the test page.
fn add_canvas(id: &str) -> HtmlCanvasElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    canvas.set_id(id);
    canvas.set_width(400);
    canvas.set_height(300);
    document.body().unwrap().append_child(&canvas).unwrap();
    canvas
}

/// Counts pixels that are neither transparent nor near white.
fn inked_pixels(canvas: &HtmlCanvasElement) -> usize {
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let data = context
        .get_image_data(0.0, 0.0, 400.0, 300.0)
        .unwrap()
        .data();
    data.chunks(4)
        .filter(|p| p[3] > 0 && (p[0] < 240 || p[1] < 240 || p[2] < 240))
        .count()
}

#[wasm_bindgen_test]
fn draws_the_leaky_response_on_a_canvas() {
    let canvas = add_canvas("wasm-test-leaky");
    assert_eq!(inked_pixels(&canvas), 0);
    web::draw_leaky_response("wasm-test-leaky", 150.0).unwrap();
    assert!(inked_pixels(&canvas) > 1000);
}

#[wasm_bindgen_test]
fn refuses_a_missing_canvas_and_a_bad_tau() {
    assert!(web::draw_leaky_response("no-such-canvas", 100.0).is_err());
    add_canvas("wasm-test-bad-tau");
    assert!(web::draw_leaky_response("wasm-test-bad-tau", f64::NAN).is_err());
    assert!(web::draw_leaky_response("wasm-test-bad-tau", -5.0).is_err());
}
