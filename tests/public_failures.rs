//! Real failed dbt runs that other teams committed to public repositories, with answer keys
//! (`../shared/public-failures/<case>/expected.json`): roots, one category per root, skipped
//! nodes. Read in place — they are not ours to commit — and skipped, saying so, when the folder
//! is absent (a user's clone has no `../shared`).

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use dbt_triage::{diagnose_files, InputFile};
use serde::Deserialize;

#[derive(Deserialize)]
struct Expected {
    roots: Vec<ExpectedRoot>,
    skipped: Vec<String>,
    log_only: bool,
}

#[derive(Deserialize)]
struct ExpectedRoot {
    node: Option<String>,
    category: String,
    #[serde(default)]
    accept: Vec<String>,
}

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/public-failures")
}

fn read_case(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    for p in paths {
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        if name == "expected.json" || name.ends_with(".md") {
            continue;
        }
        let raw = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        if let Some(plain) = name.strip_suffix(".gz") {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(raw.as_slice())
                .read_to_end(&mut out)
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            files.push((plain.to_string(), out));
        } else {
            files.push((name, raw));
        }
    }
    files
}

/// One line per disagreement with the answer key; empty when the diagnosis is exact.
fn check_case(dir: &Path) -> Vec<String> {
    let expected: Expected =
        serde_json::from_slice(&std::fs::read(dir.join("expected.json")).expect("expected.json"))
            .expect("expected.json parses");
    let files = read_case(dir);
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .map(|(name, bytes)| InputFile { name, bytes })
        .collect();
    let (_, d) = diagnose_files(&inputs);
    let case = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let mut wrong = Vec::new();
    let log_only = d.status == dbt_triage::diagnose::Status::NoResults;
    if log_only != expected.log_only {
        wrong.push(format!(
            "{case}: log_only {log_only}, expected {}",
            expected.log_only
        ));
    }
    // Each expected root: the problem holding it (or, for `node: null`, a problem without roots).
    for root in &expected.roots {
        let problem = match &root.node {
            Some(id) => d.problems.iter().find(|p| p.roots.contains(id)),
            None => d.problems.iter().find(|p| p.roots.is_empty()),
        };
        let label = root.node.as_deref().unwrap_or("(the invocation)");
        match problem {
            None => wrong.push(format!("{case}: {label} is no root of any problem")),
            Some(p) => {
                let got = p.category.as_str();
                if got != root.category && !root.accept.iter().any(|a| a == got) {
                    wrong.push(format!(
                        "{case}: {label} is {got}, expected {} ({})",
                        root.category, p.title
                    ));
                }
            }
        }
    }
    let want_roots: BTreeSet<&str> = expected
        .roots
        .iter()
        .filter_map(|r| r.node.as_deref())
        .collect();
    let got_roots: BTreeSet<&str> = d
        .problems
        .iter()
        .flat_map(|p| p.roots.iter().map(String::as_str))
        .collect();
    for extra in got_roots.difference(&want_roots) {
        wrong.push(format!("{case}: {extra} is a root, expected none"));
    }
    let want_skipped: BTreeSet<&str> = expected.skipped.iter().map(String::as_str).collect();
    let got_skipped: BTreeSet<&str> = d.skipped.iter().map(|s| s.node.as_str()).collect();
    if want_skipped != got_skipped {
        wrong.push(format!(
            "{case}: skipped differ: missing {:?}, extra {:?}",
            want_skipped.difference(&got_skipped).collect::<Vec<_>>(),
            got_skipped.difference(&want_skipped).collect::<Vec<_>>()
        ));
    }
    // Every skipped node is attributed to a root.
    for s in &d.skipped {
        if s.caused_by.is_empty() {
            wrong.push(format!("{case}: {} has no cause", s.node));
        }
    }
    wrong
}

#[test]
fn public_failures_are_diagnosed_exactly() {
    let dir = cases_dir();
    if !dir.is_dir() {
        println!(
            "skipped: {} is absent (it lives beside the repository, not in it)",
            dir.display()
        );
        return;
    }
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .expect("readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("expected.json").is_file())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 8,
        "only {} cases in {}",
        cases.len(),
        dir.display()
    );
    let wrong: Vec<String> = cases.iter().flat_map(|c| check_case(c)).collect();
    println!(
        "{} public failed runs, {} disagreements",
        cases.len(),
        wrong.len()
    );
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

/// What the advice for each public case must say, and must not: the points a staff engineer's
/// review of these runs found (the right cause, commands the run's dbt has, the invocation's
/// flags and selection, no generic step the artifacts disprove).
const ADVICE: &[(&str, &[&str], &[&str])] = &[
    (
        "bq_source_table_not_found_build_v1_11",
        &[
            "reads source:raw.brent_monthly (",
            "--profiles-dir .",
            "rerun: dbt build --select mart_reporter_energy_vulnerability mart_reporter_month_macro_features stg_dim_time",
        ],
        &["source freshness", "stg_dim_time+"],
    ),
    (
        "databricks_source_table_missing_tests_v1_10",
        &[
            "(9 nodes read it)",
            "rerun: dbt test --select source:sqlserver_data.ecommerce",
            "which problem 1 says does not exist",
        ],
        &["source freshness", "and 8 more relation"],
    ),
    (
        "pg_airflow_concurrent_schema_race_v1_11",
        &["at the same moment", "max_active_runs", "rerun: dbt run --profiles-dir ."],
        &["more time or memory"],
    ),
    (
        "pg_column_does_not_exist_v1_4",
        &[
            "a seed of this project",
            "dbt seed --select source_customers",
            "another thing than order_id",
        ],
        // Postgres' "closest name" is spelling, not meaning.
        &["dbt show", "user_id as order_id"],
    ),
    (
        "sf_git_conflict_markers_v1_9",
        &["merge-conflict markers", "grep -rnE"],
        &["where the warehouse points"],
    ),
    (
        "sf_no_active_warehouse_v1_7",
        &["no Snowflake warehouse", "warehouse:", "SHOW WAREHOUSES;"],
        &["could not connect"],
    ),
    (
        "sf_v0_20_tests_fail_and_quoted_literal",
        &[
            "single quotes, 'perth'",
            "dbt test --models assert_city_exists",
            "unique_combination_of_columns",
        ],
        &["--select", "dbt show"],
    ),
    (
        "trino_iceberg_timestamp_precision_v1_8",
        &[
            "installed package dbt_artifacts",
            "timestamp(6)",
            "rerun: dbt build --select package:dbt_artifacts",
            "--target-path",
        ],
        &["does not know this syntax", "exposures+"],
    ),
];

/// The advice as a person reads it: every problem's title, fix steps and rerun.
fn advice_text(d: &dbt_triage::diagnose::Diagnosis) -> String {
    let mut out = String::new();
    for p in &d.problems {
        out.push_str(&format!("{}\n", p.title));
        for f in &p.fix {
            out.push_str(&format!("{}\n", f.say));
            if let Some(run) = &f.run {
                out.push_str(&format!("$ {run}\n"));
            }
        }
        out.push_str(&format!("rerun: {}\n", p.rerun));
    }
    out
}

#[test]
fn public_failures_get_advice_a_senior_engineer_would_give() {
    let dir = cases_dir();
    if !dir.is_dir() {
        println!("skipped: {} is absent", dir.display());
        return;
    }
    let mut wrong = Vec::new();
    for (case, must, must_not) in ADVICE {
        let files = read_case(&dir.join(case));
        let inputs: Vec<InputFile<'_>> = files
            .iter()
            .map(|(name, bytes)| InputFile { name, bytes })
            .collect();
        let (_, d) = diagnose_files(&inputs);
        let text = advice_text(&d);
        for m in *must {
            if !text.contains(m) {
                wrong.push(format!("{case}: does not say {m:?}"));
            }
        }
        for m in *must_not {
            if text.contains(m) {
                wrong.push(format!("{case}: says {m:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}
