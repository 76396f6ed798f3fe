//! Backdrops: a panel whose axes, labels and fixed curves stay put while its data changes is
//! drawn in two layers. The backdrop is drawn once into an offscreen canvas (this is where the
//! text is measured, which on a canvas costs a layout of the whole page per label) and kept
//! while its key stays the same; each repaint copies it onto the page's canvas and draws only
//! the data on top.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// A drawing area on a canvas.
pub type CanvasArea = DrawingArea<CanvasBackend, Shift>;

/// A kept backdrop: what it was drawn for, the offscreen canvas and where its data goes.
pub struct Backdrop<S> {
    key: String,
    canvas: HtmlCanvasElement,
    spots: S,
}

/// Draws on canvas `canvas_id` the backdrop `frame` draws (redrawn only when `key` or the
/// canvas size changes) and then `data` over it.
pub fn draw_layered<S, E: std::fmt::Display>(
    slot: &mut Option<Backdrop<S>>,
    canvas_id: &str,
    key: &str,
    frame: impl FnOnce(&CanvasArea) -> Result<S, E>,
    data: impl FnOnce(&CanvasArea, &S) -> Result<(), E>,
) -> Result<(), JsError> {
    let target = canvas(canvas_id)?;
    let (width, height) = (target.width(), target.height());
    let stale = slot
        .as_ref()
        .is_none_or(|b| b.key != key || b.canvas.width() != width || b.canvas.height() != height);
    if stale {
        let offscreen: HtmlCanvasElement = document()?
            .create_element("canvas")
            .map_err(|_| JsError::new("no offscreen canvas"))?
            .unchecked_into();
        offscreen.set_width(width);
        offscreen.set_height(height);
        let area = area(offscreen.clone())?;
        let spots = frame(&area).map_err(|e| JsError::new(&format!("drawing failed: {e}")))?;
        *slot = Some(Backdrop {
            key: key.to_string(),
            canvas: offscreen,
            spots,
        });
    }
    let backdrop = slot.as_ref().expect("just drawn");
    context(&target)?
        .draw_image_with_html_canvas_element(&backdrop.canvas, 0.0, 0.0)
        .map_err(|_| JsError::new("copying the backdrop failed"))?;
    let area = area(target)?;
    data(&area, &backdrop.spots).map_err(|e| JsError::new(&format!("drawing failed: {e}")))
}

fn document() -> Result<web_sys::Document, JsError> {
    web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsError::new("no document to draw in"))
}

fn canvas(id: &str) -> Result<HtmlCanvasElement, JsError> {
    document()?
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into().ok())
        .ok_or_else(|| JsError::new(&format!("no canvas with id `{id}` in the page")))
}

fn context(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, JsError> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into().ok())
        .ok_or_else(|| JsError::new("the canvas has no 2-D context"))
}

fn area(canvas: HtmlCanvasElement) -> Result<CanvasArea, JsError> {
    CanvasBackend::with_canvas_object(canvas)
        .map(|b| b.into_drawing_area())
        .ok_or_else(|| JsError::new("the canvas has no 2-D context"))
}
