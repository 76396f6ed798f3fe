//! Backdrops: a panel whose axes, labels and fixed curves stay put while its data changes is
//! drawn in two layers. The backdrop is drawn once into an offscreen canvas (this is where the
//! text is measured, which on a canvas costs a layout of the whole page per label) and kept
//! while its key stays the same; each repaint copies it onto the page's canvas and draws only
//! the data on top.
//!
//! Every canvas is drawn in CSS pixels: the page sizes a canvas's buffer to its displayed size
//! times the device pixel ratio and writes that ratio into its `data-scale` attribute;
//! [`ScaledCanvas`] scales the drawing by it, so text keeps its size in CSS pixels and stays
//! sharp on dense screens.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// A drawing area on a canvas.
pub type CanvasArea = DrawingArea<ScaledCanvas, Shift>;

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
        let area = area(offscreen.clone(), scale(&target))?;
        let spots = frame(&area).map_err(|e| JsError::new(&format!("drawing failed: {e}")))?;
        *slot = Some(Backdrop {
            key: key.to_string(),
            canvas: offscreen,
            spots,
        });
    }
    let backdrop = slot.as_ref().expect("just drawn");
    let ctx = context(&target)?;
    ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        .map_err(|_| JsError::new("resetting the canvas transform failed"))?;
    ctx.draw_image_with_html_canvas_element(&backdrop.canvas, 0.0, 0.0)
        .map_err(|_| JsError::new("copying the backdrop failed"))?;
    let factor = scale(&target);
    let area = area(target, factor)?;
    data(&area, &backdrop.spots).map_err(|e| JsError::new(&format!("drawing failed: {e}")))
}

/// The canvas with id `id` as a drawing area in CSS pixels.
pub fn canvas_area(id: &str) -> Result<CanvasArea, JsError> {
    let target = canvas(id)?;
    let factor = scale(&target);
    area(target, factor)
}

/// Device pixels per CSS pixel of `canvas`'s buffer, as the page set it (1 when unset).
fn scale(canvas: &HtmlCanvasElement) -> f64 {
    canvas
        .get_attribute("data-scale")
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.25)
        .unwrap_or(1.0)
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

fn area(canvas: HtmlCanvasElement, scale: f64) -> Result<CanvasArea, JsError> {
    let size = (
        (f64::from(canvas.width()) / scale).round() as u32,
        (f64::from(canvas.height()) / scale).round() as u32,
    );
    let ctx = context(&canvas)?;
    ctx.set_transform(scale, 0.0, 0.0, scale, 0.0, 0.0)
        .map_err(|_| JsError::new("scaling the canvas failed"))?;
    let inner = CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| JsError::new("the canvas has no 2-D context"))?;
    Ok(ScaledCanvas { inner, size }.into_drawing_area())
}

/// A canvas drawn in CSS pixels: its context is scaled by the device pixel ratio, and it
/// reports its size in CSS pixels, so every figure lays out for the size it is seen at.
pub struct ScaledCanvas {
    inner: CanvasBackend,
    size: (u32, u32),
}

/// The error of a canvas drawing.
type CanvasError = <CanvasBackend as DrawingBackend>::ErrorType;

impl DrawingBackend for ScaledCanvas {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.inner.fill_polygon(vert, style)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.inner.draw_text(text, style, pos)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<CanvasError>> {
        self.inner.estimate_text_size(text, style)
    }
}
