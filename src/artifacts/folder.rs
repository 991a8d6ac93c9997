//! Which files of a folder are looked at — a `target/` folder picked or dropped on the page, a
//! ZIP's entries, a directory given to the CLI: one rule for all three, so that the page and the
//! CLI take the same files and say the same about them.
//!
//! dbt writes more into `target/` than a diagnosis needs (`graph_summary.json`,
//! `partial_parse.msgpack`, `graph.gpickle`, `catalog.json`, the docs site, compiled SQL): those
//! are named as "not needed", quietly, never as files that could not be used.

/// What to do with a file found inside a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// Read it: it may be an input (recognized by its content, not its name).
    Take,
    /// Name it as not needed, without reading it.
    Unneeded(&'static str),
    /// Pass over it silently: compiled SQL, installed packages, version control, caches.
    Skip,
}

/// Folders whose files are never inputs.
const SKIPPED_DIRS: [&str; 9] = [
    "compiled",
    "run",
    "node_modules",
    ".git",
    "dbt_packages",
    "dbt_modules",
    ".pbi",
    "__macosx",
    "target_pre_deploy",
];

/// Extensions an input can have (logs are often saved as `.txt` or `.out`; `.gz` is opened).
const INPUT_EXTENSIONS: [&str; 9] = [
    ".json", ".log", ".txt", ".out", ".zip", ".gz", ".tmdl", ".bim", ".pbir",
];

/// A file at `path` (its path inside the folder, `/`-separated).
pub fn entry(path: &str) -> Entry {
    let lower = path.to_ascii_lowercase();
    let parts: Vec<&str> = lower.split(['/', '\\']).collect();
    let (file, dirs) = parts.split_last().map_or(("", &[][..]), |(f, d)| (*f, d));
    if file.starts_with("._") || dirs.iter().any(|d| SKIPPED_DIRS.contains(d)) {
        return Entry::Skip;
    }
    // A Power BI report's folder: only its definition says which semantic model it shows.
    if dirs.iter().any(|d| d.ends_with(".report")) {
        return if file == "definition.pbir" {
            Entry::Take
        } else {
            Entry::Skip
        };
    }
    if let Some(why) = unneeded(file) {
        return Entry::Unneeded(why);
    }
    if INPUT_EXTENSIONS.iter().any(|e| file.ends_with(e)) {
        Entry::Take
    } else {
        Entry::Skip
    }
}

/// Files dbt writes that a diagnosis does not need, by name (any case), and what they are.
pub fn unneeded(file_name: &str) -> Option<&'static str> {
    let name = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(file_name)
        .to_ascii_lowercase();
    Some(match name.as_str() {
        "graph_summary.json" => "graph_summary.json (dbt's summary of the node graph) — not needed",
        "partial_parse.msgpack" => "partial_parse.msgpack (dbt's parse cache) — not needed",
        "graph.gpickle" => "graph.gpickle (dbt's pickled node graph) — not needed",
        "catalog.json" => {
            "catalog.json (from dbt docs generate: column types for the docs site) — not needed"
        }
        "semantic_manifest.json" => {
            "semantic_manifest.json (the semantic layer's definitions) — not needed"
        }
        "perf_info.json" => "perf_info.json (dbt's parse timings) — not needed",
        "index.html" | "static_index.html" => "the dbt docs site — not needed",
        ".user.yml" | "package-lock.yml" => "not needed",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_folder_as_dbt_writes_it() {
        for (path, want) in [
            ("target/run_results.json", Entry::Take),
            ("target/manifest.json", Entry::Take),
            ("target/manifest.json.gz", Entry::Take),
            ("logs/dbt.log", Entry::Take),
            ("target/compiled/shop/models/a.sql", Entry::Skip),
            ("target/run/shop/models/a.sql", Entry::Skip),
            ("target/compiled/shop/models/schema.yml/x.json", Entry::Skip),
            ("__MACOSX/target/._run_results.json", Entry::Skip),
            (
                "target/partial_parse.msgpack",
                Entry::Unneeded("partial_parse.msgpack (dbt's parse cache) — not needed"),
            ),
            (
                "target/graph.gpickle",
                Entry::Unneeded("graph.gpickle (dbt's pickled node graph) — not needed"),
            ),
            (
                "target/Graph_Summary.json",
                Entry::Unneeded(
                    "graph_summary.json (dbt's summary of the node graph) — not needed",
                ),
            ),
            (
                "Sales.SemanticModel/definition/tables/Orders.tmdl",
                Entry::Take,
            ),
            ("Sales.Report/definition.pbir", Entry::Take),
            ("Sales.Report/definition/pages/p1/page.json", Entry::Skip),
            ("Sales.SemanticModel/.pbi/cache.abf", Entry::Skip),
            ("target/dbt_packages/x/dbt_project.yml", Entry::Skip),
            ("README.md", Entry::Skip),
        ] {
            assert_eq!(entry(path), want, "{path}");
        }
    }
}
