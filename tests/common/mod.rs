//! What the story tests share: which files of a story folder dbt wrote, and diagnosing them as
//! the CLI and the page do.

use std::path::Path;

use dbt_triage::diagnose::Diagnosis;
use dbt_triage::InputFile;

/// The files dbt leaves for a story, relative to its folder.
pub const STORY_FILES: [&str; 5] = [
    "target/run_results.json",
    "target/manifest.json",
    "target/sources.json",
    "logs/dbt.log",
    "console.txt",
];

/// Those of `rels` that exist under `dir`, with their bytes.
pub fn read_some(dir: &Path, rels: &[&str]) -> Vec<(String, Vec<u8>)> {
    rels.iter()
        .filter_map(|rel| Some((rel.to_string(), std::fs::read(dir.join(rel)).ok()?)))
        .collect()
}

pub fn diagnose(files: &[(String, Vec<u8>)]) -> Diagnosis {
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .map(|(name, bytes)| InputFile { name, bytes })
        .collect();
    dbt_triage::diagnose_files(&inputs).1
}
