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

/// Everything dbt left for a story: [`STORY_FILES`], and for a story of several runs each
/// `run<N>/target/` folder's artifacts.
pub fn story_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = read_some(dir, &STORY_FILES);
    let mut runs: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| n.starts_with("run"))
                .collect()
        })
        .unwrap_or_default();
    runs.sort();
    for r in runs {
        files.extend(read_some(
            dir,
            &[
                &format!("{r}/target/run_results.json"),
                &format!("{r}/target/manifest.json"),
            ],
        ));
    }
    files
}

pub fn diagnose(files: &[(String, Vec<u8>)]) -> Diagnosis {
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .map(|(name, bytes)| InputFile { name, bytes })
        .collect();
    dbt_triage::diagnose_files(&inputs).1
}
