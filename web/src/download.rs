//! Saving a file the page made (the graph as SVG or PNG): a Blob behind an object URL, "clicked"
//! as a download link. Nothing is fetched: under the page's Content-Security-Policy a download is
//! a navigation, which no directive restricts, so the policy needs no `blob:` source. The URL is
//! gloo's [`ObjectUrl`], revoked as it is dropped, ten seconds after the click.

use gloo_file::ObjectUrl;
use gloo_timers::future::TimeoutFuture;
use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement};

/// Offers `text` for download as `name`; false when the browser refused.
pub fn save(name: &str, mime: &str, text: &str) -> bool {
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    match Blob::new_with_str_sequence_and_options(&Array::of1(&JsValue::from_str(text)), &options) {
        Ok(blob) => save_blob(name, &blob),
        Err(_) => false,
    }
}

/// Offers `blob` for download as `name`; false when the browser refused.
pub fn save_blob(name: &str, blob: &Blob) -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    let Some(a) = document
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<HtmlAnchorElement>().ok())
    else {
        return false;
    };
    let url = ObjectUrl::from(blob.clone());
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // The download has its own reference to the blob once it started.
    wasm_bindgen_futures::spawn_local(async move {
        TimeoutFuture::new(10_000).await;
        drop(url);
    });
    true
}
