//! Diagnosis → the contract's JSON (`--format json`).

use crate::diagnose::Diagnosis;

/// Pretty-printed JSON, ending with a newline.
pub fn render(d: &Diagnosis) -> String {
    // Serializing plain data with string keys cannot fail.
    let mut s =
        serde_json::to_string_pretty(d).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
