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
