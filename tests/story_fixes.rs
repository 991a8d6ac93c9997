//! What each story's diagnosis tells the on-call engineer — every problem's title, fix steps and
//! rerun — pinned as snapshots (`tests/snapshots/story_fixes__<story>.snap`), over the real dbt
//! runs in `tests/fixtures/`. (The public failed runs are not ours to copy, not even as
//! snapshots: `tests/public_failures.rs` asserts on their advice instead.) `tests/stories.rs` checks the roots,
//! categories and cascade; this file makes every change to the words and commands visible in
//! review. Accept a reviewed change with `INSTA_UPDATE=always cargo test --test story_fixes`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use dbt_triage::diagnose::Diagnosis;

mod common;
use common::diagnose;

/// Every problem as the engineer reads it.
fn advice(d: &Diagnosis) -> String {
    let mut out = String::new();
    for p in &d.problems {
        let _ = writeln!(out, "#{} [{}] {}", p.id, p.category, p.title);
        for (i, step) in p.fix.iter().enumerate() {
            let _ = writeln!(out, "  fix {}: {}", i + 1, step.say);
            if let Some(run) = &step.run {
                for line in run.lines() {
                    let _ = writeln!(out, "      $ {line}");
                }
            }
        }
        let _ = writeln!(out, "  rerun: {}", p.rerun);
    }
    for w in &d.warned {
        let _ = writeln!(
            out,
            "warned {}: $ {}",
            dbt_triage::report::short(&w.node),
            dbt_triage::report::warned_rows_command(w)
        );
    }
    if d.problems.is_empty() {
        out.push_str("no problem\n");
    }
    out
}

fn folders(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs
}

fn name_of(dir: &Path) -> String {
    dir.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .replace(['@', '.'], "_")
}

#[test]
fn every_story_says_what_to_do() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let stories = folders(&root);
    assert!(stories.len() >= 20, "{} stories", stories.len());
    for dir in stories {
        let files = common::story_files(&dir);
        if files.is_empty() {
            continue;
        }
        insta::assert_snapshot!(name_of(&dir), advice(&diagnose(&files)));
    }
}

/// The SQL statements of a fix step's `run`: lines up to one ending in `;` whose first word is a
/// SQL verb (not a dbt command, not a code fragment to paste into a model). The same rule as
/// `statements` in dbt/run_statements.py, which executed them.
fn sql_statements(run: &str) -> Vec<String> {
    const VERBS: [&str; 12] = [
        "select", "with", "alter", "grant", "revoke", "create", "insert", "update", "delete",
        "show", "describe", "explain",
    ];
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in run.lines() {
        current.push(line);
        if line.trim_end().ends_with(';') {
            let text = current.join("\n").trim().to_string();
            current.clear();
            let verb = text.split_whitespace().next().unwrap_or_default();
            if VERBS.contains(&verb.to_ascii_lowercase().as_str()) {
                out.push(text);
            }
        }
    }
    out
}

#[derive(serde::Deserialize)]
struct Checked {
    sql: String,
    ok: bool,
    #[serde(default)]
    rows: usize,
    #[serde(default)]
    error: Option<String>,
}

/// Every statement a story's diagnosis gives to run was executed against the warehouse that
/// story's dbt run left (`scripts/check-statements`, which writes `statements.json`) and worked;
/// a query that looks for the failing rows of a test or a data error found some.
#[test]
fn every_statement_to_run_was_executed_and_works() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut checked_statements = 0;
    for dir in folders(&root) {
        let files = common::story_files(&dir);
        if files.is_empty() {
            continue;
        }
        let d = diagnose(&files);
        let wanted: Vec<(String, String)> = d
            .problems
            .iter()
            .flat_map(|p| {
                p.fix.iter().flat_map(move |s| {
                    sql_statements(s.run.as_deref().unwrap_or_default())
                        .into_iter()
                        .map(move |sql| (sql, p.category.as_str().to_string()))
                })
            })
            .collect();
        if wanted.is_empty() {
            continue;
        }
        let story = dir.file_name().unwrap().to_string_lossy().to_string();
        let path = dir.join("statements.json");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|_| {
            panic!("{story}: its fix gives SQL to run that was never executed; run scripts/check-statements {story}")
        });
        let done: Vec<Checked> = serde_json::from_str(&text).expect("statements.json");
        for (sql, category) in wanted {
            let c = done.iter().find(|c| c.sql == sql).unwrap_or_else(|| {
                panic!("{story}: not executed (run scripts/check-statements {story}):\n{sql}")
            });
            assert!(
                c.ok,
                "{story}: the statement fails on the story's warehouse: {:?}\n{sql}",
                c.error
            );
            let finds_rows = matches!(category.as_str(), "test_failure" | "data")
                && ["select", "with"]
                    .iter()
                    .any(|v| sql.to_ascii_lowercase().starts_with(v));
            assert!(
                !finds_rows || c.rows > 0,
                "{story}: the query for the failing rows finds none:\n{sql}"
            );
            checked_statements += 1;
        }
    }
    assert!(checked_statements >= 5, "{checked_statements} statements");
}
