//! The paths the fuzz targets drive, shared with the regression tests: `tests/fuzz_regressions.rs`
//! includes this file (`#[path]`), so a saved crash input is replayed through exactly the code the
//! fuzzer ran. Depends only on `dbt_triage` and `serde_json` (both available to the root crate's
//! tests) — never on libfuzzer-sys.
//!
//! Besides "does not panic", the pipeline checks two cheap oracles from the core's contract:
//! every input is accounted for in `Artifacts::inputs`, and the JSON report is valid JSON that
//! reads back as the same diagnosis.

use dbt_triage::classify::{self, Context};
use dbt_triage::diagnose::Diagnosis;
use dbt_triage::report;
use dbt_triage::{diagnose_files, Adapter, InputFile};

/// A small real manifest (reduced from `tests/fixtures/two_roots`, see `make_seeds.py`), fed next
/// to fuzzed run results and logs so their node ids join against real nodes.
pub const COMPANION_MANIFEST: &[u8] = include_bytes!("../companions/manifest.json");
/// A real run_results.json (`tests/fixtures/two_roots`), fed next to fuzzed manifests.
pub const COMPANION_RUN_RESULTS: &[u8] = include_bytes!("../companions/run_results.json");

/// What separates the files of a `pipeline` input. NUL bytes make any file containing them
/// unreadable to the core anyway, so splitting on them hides no interesting input.
pub const SEPARATOR: &[u8] = b"\0\0FILE\0\0";

/// Adapter names the classifier knows (and a few it does not), as dbt writes `adapter_type`.
/// Every named adapter and an unknown one, and no adapter at all.
pub fn adapters() -> Vec<Option<Adapter>> {
    let mut all: Vec<Option<Adapter>> = Adapter::NAMED.into_iter().map(Some).collect();
    all.push(Some(Adapter::Other("exasol".into())));
    all.push(None);
    all
}

/// The whole pipeline on some files: read, lineage, diagnosis, and all three reports.
pub fn pipeline(files: &[InputFile<'_>]) {
    let (artifacts, diagnosis) = diagnose_files(files);
    assert_eq!(
        artifacts.inputs.len(),
        files.len(),
        "every input must be accounted for in Artifacts::inputs"
    );
    let text = report::text::render(&diagnosis);
    let markdown = report::markdown::render(&diagnosis);
    let json = report::json::render(&diagnosis);
    let _ = report::summary(&diagnosis);
    assert!(!text.is_empty() && !markdown.is_empty());
    let back: Diagnosis = match serde_json::from_str(&json) {
        Ok(d) => d,
        Err(e) => panic!("the JSON report is not a diagnosis ({e}):\n{json}"),
    };
    assert_eq!(
        back, diagnosis,
        "the JSON report does not read back as the same diagnosis"
    );
}

/// One fuzzed file alone, then next to a real companion (so ids can join).
fn alone_and_with(name: &str, data: &[u8], companion_name: &str, companion: &[u8]) {
    let file = InputFile { name, bytes: data };
    pipeline(&[file]);
    pipeline(&[
        file,
        InputFile {
            name: companion_name,
            bytes: companion,
        },
    ]);
}

/// The `run_results` target: bytes as a run_results.json, alone and with a real manifest.
pub fn run_results(data: &[u8]) {
    alone_and_with(
        "target/run_results.json",
        data,
        "target/manifest.json",
        COMPANION_MANIFEST,
    );
}

/// The `manifest` target: bytes as a manifest.json, alone and with real run results.
pub fn manifest(data: &[u8]) {
    alone_and_with(
        "target/manifest.json",
        data,
        "target/run_results.json",
        COMPANION_RUN_RESULTS,
    );
}

/// The `log` target: bytes as logs/dbt.log (or console output), alone and with a real manifest.
pub fn log(data: &[u8]) {
    alone_and_with(
        "logs/dbt.log",
        data,
        "target/manifest.json",
        COMPANION_MANIFEST,
    );
    // The log parser directly, on the same text the reader would give it.
    let text = String::from_utf8_lossy(data);
    let _ = dbt_triage::artifacts::log::parse(&text);
}

/// The `pipeline` target: the input split on [`SEPARATOR`] into up to three files.
pub fn split(data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::with_capacity(3);
    let mut rest = data;
    while parts.len() < 2 {
        match find(rest, SEPARATOR) {
            Some(at) => {
                parts.push(&rest[..at]);
                rest = &rest[at + SEPARATOR.len()..];
            }
            None => break,
        }
    }
    parts.push(rest);
    parts
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

pub fn pipeline_split(data: &[u8]) {
    const NAMES: [&str; 3] = ["first.json", "second.json", "third.log"];
    let files: Vec<InputFile<'_>> = split(data)
        .into_iter()
        .zip(NAMES)
        .map(|(bytes, name)| InputFile { name, bytes })
        .collect();
    pipeline(&files);
}

/// Contexts the `classify` target cycles through, one per adapter.
fn contexts(message: &str) -> [Context<'_>; 4] {
    [
        Context::default(),
        Context {
            resource_type: Some("test"),
            status: Some("fail"),
            ..Context::default()
        },
        Context {
            resource_type: Some("model"),
            status: Some("error"),
            materialized: Some("incremental"),
            on_schema_change: Some("fail"),
            contract_enforced: true,
            compiled_code: Some(message),
            ..Context::default()
        },
        Context {
            resource_type: Some("model"),
            status: Some("error"),
            materialized: Some("table"),
            compiled_code: Some("select dateadd(day, 1, ordered_at) as d\nfrom orders"),
            ..Context::default()
        },
    ]
}

/// The `classify` target: the text as an error message, under every adapter name, with the fixes
/// and title the diagnosis would build from the verdict.
pub fn classify_all(data: &[u8]) {
    let message = String::from_utf8_lossy(data);
    let contexts = contexts(&message);
    for (i, adapter) in adapters().iter().enumerate() {
        let ctx = Context {
            adapter: adapter.as_ref(),
            ..contexts[i % contexts.len()]
        };
        let c = classify::classify(&message, &ctx);
        // The verdict's fixes and title, as the diagnosis builds them from its first root.
        let parents = ["stg_orders".to_string(), "source:raw.orders".to_string()];
        let fix = classify::FixContext {
            category: Some(c.category),
            evidence: Some(&c.evidence),
            adapter: ctx.adapter,
            node_name: Some("orders"),
            resource_type: ctx.resource_type,
            tested_name: Some("orders"),
            relation_name: Some("\"shop\".\"main\".\"orders\""),
            compiled_path: Some("target/compiled/shop/models/orders.sql"),
            run_path: Some("target/run/shop/models/orders.sql"),
            parents: &parents,
            command: "build",
            target: Some("prod"),
            message: &message,
            compiled_code: ctx.compiled_code,
            suggestion: Some("stg_orders"),
            retry_available: i % 2 == 0,
            ..classify::FixContext::default()
        };
        let _ = classify::fixes(&fix);
        let _ = dbt_triage::diagnose::title_of(&c, ctx.adapter, &message);
    }
    let _ = classify::error_type(&message);
    let _ = classify::detect_adapter(&message);
    let _ = classify::line_position(&message);
}
