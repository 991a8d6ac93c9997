//! The lineage graph as a PNG picture: the standalone SVG of [`crate::svg`] (the graph as drawn,
//! in the theme's colours) decoded by the browser as an image and drawn into a canvas.
//!
//! The SVG travels as a `data:` URL because the page's Content-Security-Policy allows images from
//! `'self'` and `data:` only; an image from a `data:` URL does not taint the canvas, so the
//! canvas can be read back as PNG. No font is fetched: the SVG names system fonts.
//!
//! `toBlob`'s callback is a hand-written `Closure::once_into_js` (freed when the browser calls
//! it): gloo wraps listeners, timers and object URLs, not a canvas's one-shot callback.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, CanvasRenderingContext2d, HtmlCanvasElement, HtmlImageElement};

/// The longest side of the canvas: Chromium, Firefox and Safari all draw canvases this wide.
const MAX_SIDE: f64 = 16_384.0;
/// The most pixels drawn (64 M, 256 MB of RGBA): a whole 10,000-model project still fits at
/// about one pixel per layout unit, and a phone does not run out of memory.
const MAX_PIXELS: f64 = 64.0 * 1024.0 * 1024.0;

/// The scale a `width` × `height` SVG is drawn at: the screen's pixel ratio (at least 2, so the
/// picture stays sharp when a ticket shows it enlarged), less when the canvas would be too big.
pub fn scale(width: f64, height: f64, pixel_ratio: f64) -> f64 {
    let (w, h) = (width.max(1.0), height.max(1.0));
    pixel_ratio
        .max(2.0)
        .min(MAX_SIDE / w.max(h))
        .min((MAX_PIXELS / (w * h)).sqrt())
}

/// Draws the SVG document `svg` (`width` × `height` CSS pixels) into a PNG.
pub async fn render(svg: &str, width: f64, height: f64) -> Result<Blob, String> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let image = HtmlImageElement::new().map_err(js_error)?;
    let url = format!(
        "data:image/svg+xml;charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(svg))
    );
    image.set_src(&url);
    JsFuture::from(image.decode()).await.map_err(|e| {
        format!(
            "the browser could not draw the graph's SVG ({})",
            js_error(e)
        )
    })?;

    let k = scale(width, height, window.device_pixel_ratio());
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(js_error)?
        .dyn_into()
        .map_err(|_| "no canvas")?;
    canvas.set_width((width * k).round() as u32);
    canvas.set_height((height * k).round() as u32);
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(js_error)?
        .ok_or("the browser gave no 2D canvas (too big for its memory?)")?
        .dyn_into()
        .map_err(|_| "no 2D canvas")?;
    context
        .draw_image_with_html_image_element_and_dw_and_dh(&image, 0.0, 0.0, width * k, height * k)
        .map_err(js_error)?;

    // `toBlob` answers through a callback: wrapped in a promise to await it.
    let made = js_sys::Promise::new(&mut |resolve, reject| {
        let refuse = reject.clone();
        let done = Closure::once_into_js(move |blob: JsValue| {
            let _ = if blob.is_null() {
                reject.call1(&JsValue::NULL, &JsValue::from_str("the canvas is too big"))
            } else {
                resolve.call1(&JsValue::NULL, &blob)
            };
        });
        if let Err(e) = canvas.to_blob_with_type(done.unchecked_ref(), "image/png") {
            let _ = refuse.call1(&JsValue::NULL, &e);
        }
    });
    let blob = JsFuture::from(made)
        .await
        .map_err(|e| format!("the browser could not make the PNG ({})", js_error(e)))?;
    blob.dyn_into::<Blob>().map_err(|_| "no PNG".to_string())
}

fn js_error(e: JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| "unknown error".into())
}

#[cfg(test)]
mod tests {
    use super::scale;

    #[test]
    fn small_graphs_are_drawn_at_twice_their_size_or_the_screens_ratio() {
        assert_eq!(scale(800.0, 400.0, 1.0), 2.0);
        assert_eq!(scale(800.0, 400.0, 3.0), 3.0);
    }

    #[test]
    fn big_graphs_fit_the_canvas_limits() {
        // A whole 10,000-model project's layout.
        let (w, h) = (20_000.0, 9_000.0);
        let k = scale(w, h, 2.0);
        assert!(w * k <= 16_384.0 + 0.5);
        assert!(w * k * h * k <= 64.0 * 1024.0 * 1024.0 + 1.0);
        assert!(k > 0.5);
    }
}
