//! The page's own URL: the base a share link is made for, the share link's fragment it was opened
//! with, and forgetting that fragment once the user loads files of their own.

use dbt_triage::share;

/// The page's URL without its fragment.
pub fn base() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|h| h.split('#').next().unwrap_or_default().to_string())
        .unwrap_or_default()
}

/// The share link's payload when the page was opened with `#d=…`.
pub fn shared_fragment() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let rest = hash.strip_prefix('#').unwrap_or(&hash);
    rest.starts_with(share::KEY).then(|| rest.to_string())
}

/// Drops a share link's fragment from the address bar (without reloading), so that reloading
/// shows the user's own files' page rather than the shared diagnosis again.
pub fn forget_fragment() {
    if shared_fragment().is_none() {
        return;
    }
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&base()));
    }
}
