//! Real logs as users paste them, copied from public issues, each with an answer key written by
//! reading it (how many dbt invocations the text holds, the dbt version and command, the nodes
//! that failed with their categories): `tests/logs/wrapped/` — dbt's output as orchestrators show
//! it (Airflow, Prefect, Dagster, Meltano, Airbyte, docker, Jenkins, dbt Cloud) — and
//! `tests/logs/fusion/` — dbt Fusion's console output and logs. Sources are in the README of each
//! folder. The log alone is diagnosed, as a user's paste would be.

use std::path::Path;

use dbt_triage::artifacts::log;
use dbt_triage::{diagnose_files, InputFile};
use serde::Deserialize;

#[derive(Deserialize)]
struct Key {
    wrapper: String,
    invocations: usize,
    #[serde(default)]
    dbt_version: Option<String>,
    #[serde(default)]
    failed: Vec<Failed>,
}

#[derive(Deserialize)]
struct Failed {
    node: Option<String>,
    category: String,
}

/// One line per disagreement with the key.
fn check(name: &str, text: &str, key: &Key) -> Vec<String> {
    let mut wrong = Vec::new();
    let parsed = log::parse(text);
    if parsed.invocations.len() != key.invocations {
        wrong.push(format!(
            "{name} ({}): {} invocations, expected {}",
            key.wrapper,
            parsed.invocations.len(),
            key.invocations
        ));
    }
    let newest = parsed.invocations.last();
    if let Some(v) = &key.dbt_version {
        let got = newest.and_then(|i| i.dbt_version.as_deref());
        if got != Some(v.as_str()) {
            wrong.push(format!("{name}: dbt version {got:?}, expected {v}"));
        }
    }
    let inputs = [InputFile {
        name: "console.txt",
        bytes: text.as_bytes(),
    }];
    let (_, d) = diagnose_files(&inputs);
    for f in &key.failed {
        let problem = match &f.node {
            // The log names `model.customers`; the diagnosis without a manifest says the same.
            // (or, without a manifest, with the id the log gives: `unit_test.pkg.model.test`).
            Some(node) => d.problems.iter().find(|p| {
                let name = node.rsplit('.').next().unwrap_or(node);
                p.roots
                    .iter()
                    .any(|r| r == node || r.split('.').skip(1).any(|part| part == name))
            }),
            None => d.problems.iter().find(|p| p.roots.is_empty()),
        };
        let label = f.node.as_deref().unwrap_or("(the invocation)");
        match problem {
            None => wrong.push(format!("{name}: {label} is no root of any problem")),
            Some(p) if p.category.as_str() != f.category => wrong.push(format!(
                "{name}: {label} is {}, expected {}",
                p.category, f.category
            )),
            Some(_) => {}
        }
    }
    wrong
}

/// Disagreements we know of and accept, with the reason; a listed case that agrees fails the
/// test, so the list only shrinks.
const KNOWN: &[(&str, &str)] = &[
    (
        "airflow_mwaa_double_brace_two_runs",
        "two pastes of two runs joined without dbt's separator line: nothing in the text says \
         where the second run starts",
    ),
    (
        "fusion_1287_compile_dbt0101_failed_skipped",
        "three models fail on a gap of Fusion's SQL parser; the excerpt holds one error, which \
         reads as a syntax error (`mismatched input '!'`): that the SQL is valid for the \
         warehouse is in the thread, not in the text",
    ),
    (
        "fusion_15736_core112_wraps_v2_parser_panic",
        "dbt-core 1.12 runs the v2 parser inside its own invocation: one invocation of dbt 1.12 \
         is read, the key counts one per engine",
    ),
    (
        "fusion_16128_seed_dbt1308_new_prefix",
        "DuckDB's `IO Error: No files found` for a seed of a nested package: the key calls it an \
         adapter's path bug, the text reads as a file dbt could not open",
    ),
    (
        "fusion_535_build_dbt0209_windows_paths",
        "a UDF missing from the warehouse: the key says missing_relation, Fusion's dbt0209 says \
         no such function (sql_dialect)",
    ),
    (
        "fusion_828_build_old_summary_three_runs",
        "the excerpt cuts the failed node's line after its time: no node and no message are left",
    ),
];

#[test]
fn wrapped_logs_read_as_dbt_output() {
    check_folder("tests/logs/wrapped", 12);
}

#[test]
fn fusion_logs_read_as_dbt_output() {
    check_folder("tests/logs/fusion", 12);
}

fn check_folder(folder: &str, at_least: usize) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/logs/wrapped")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    assert!(
        names.len() >= at_least,
        "{folder}: {} examples",
        names.len()
    );
    let mut wrong = Vec::new();
    for txt in &names {
        let name = txt.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let text = std::fs::read_to_string(txt).expect("utf-8");
        let key: Key =
            serde_json::from_slice(&std::fs::read(txt.with_extension("json")).expect("answer key"))
                .expect("answer key parses");
        let found = check(name, &text, &key);
        match KNOWN.iter().find(|(k, _)| *k == name) {
            Some((_, why)) if !found.is_empty() => println!("  known: {name}: {why}"),
            Some(_) => wrong.push(format!("{name} agrees now: take it off KNOWN")),
            None => wrong.extend(found),
        }
    }
    println!(
        "{} wrapped logs, {} disagreements",
        names.len(),
        wrong.len()
    );
    for w in &wrong {
        println!("  {w}");
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}
