//! Keeps the core honest: nothing under `src/` but the CLI's `main.rs` touches the browser, the
//! file system, the environment or the clock, and every module says what it holds.

use std::path::Path;

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn core_files() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n != "main.rs"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p.strip_prefix(&src).unwrap().display().to_string(), text)
        })
        .collect()
}

#[test]
fn core_does_no_io() {
    const FORBIDDEN: [&str; 8] = [
        "web_sys",
        "yew",
        "gloo",
        "wasm_bindgen",
        "std::fs",
        "std::env",
        "std::time",
        "std::net",
    ];
    let mut found = Vec::new();
    for (name, text) in core_files() {
        for f in FORBIDDEN {
            if text.contains(f) {
                found.push(format!("{name}: {f}"));
            }
        }
    }
    assert_eq!(found, Vec::<String>::new(), "the core must stay pure");
}

#[test]
fn every_module_says_what_it_holds() {
    let missing: Vec<String> = core_files()
        .into_iter()
        .filter(|(_, text)| !text.trim_start().starts_with("//!"))
        .map(|(name, _)| name)
        .collect();
    assert_eq!(
        missing,
        Vec::<String>::new(),
        "modules without a //! header"
    );
}

#[test]
fn every_category_file_has_the_doc_headings() {
    // One file per category, named as the category; the classifier's layers (`codes.rs`,
    // `keywords.rs`, `fusion_codes.rs`) and `fix.rs` beside them are no category.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/classify");
    let mut missing = Vec::new();
    for c in dbt_triage::Category::ALL {
        let name = format!("{}.rs", c.as_str());
        let Ok(text) = std::fs::read_to_string(dir.join(&name)) else {
            missing.push(format!("{name}: no such file"));
            continue;
        };
        for h in ["# What it looks like", "# Why dbt fails", "# What to do"] {
            if !text.contains(&format!("//! {h}")) {
                missing.push(format!("{name}: {h}"));
            }
        }
    }
    assert_eq!(missing, Vec::<String>::new());
}
