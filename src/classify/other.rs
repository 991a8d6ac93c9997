//! `other`: failures no category covers — internal errors of the warehouse or dbt, a folder that
//! is not a dbt project. Listed so that their wording does not fall into a wrong category; the
//! raw message is always kept.
//!
//! # What it looks like
//! `[INTERNAL_ERROR] org.apache.spark.SparkException: [INTERNAL_ERROR] Unexpected table relation`
//! `fatal: Not a dbt project (or any of the parent directories). Missing dbt_project.yml file`
//!
//! # Why dbt fails
//! The warehouse or dbt itself failed in a way the SQL did not cause, or dbt was run outside the
//! project.
//!
//! # What to do
//! Rerun once; if it repeats, search the adapter's issue tracker for the message and report it
//! with the query id.

use super::{Adapter, Rule};

/// Before the permission and compilation rules: the local file system refusing dbt, dbt's own
/// command line, and the state (`--state`, `--defer`) manifest of another dbt version.
pub(super) const EARLY: &[Rule] = &[
    Rule::any(r"PermissionError: \[Errno 13\][^\n]*|\[Errno 13\] Permission denied: '[^']*'"),
    // No project where dbt (or dbt Cloud's job) looked: before "cancelled" reads as capacity.
    Rule::any(r"a valid dbt project was not found[^\n]*|Not a dbt project[^\n]*"),
    // Python's own crash inside dbt (an `IndexError`), not the data's "out of range".
    Rule::any(r"\b(?:list|tuple|string) index out of range"),
    Rule::any(
        r"(?m)^usage: dbt \[[^\n]*|The selection criterion '[^']+' does not match any nodes[^\n]*|Only one node can be selected for show",
    ),
    Rule::any(
        r#"Could not find manifest in --state path[^\n]*|Expected a schema version of "https://schemas\.getdbt\.com/dbt/manifest[^\n]*|is missing in dbt\.contracts\.graph\.manifest\.WritableManifest[^\n]*|Failed to parse manifest file at[^\n]*|Failed to load manifest\.json from state path[^\n]*|Failed to get manifest presigned URL[^\n]*|Failed to initialize dbt State[^\n]*"#,
    ),
];

pub(super) const RULES: &[Rule] = &[
    // (A code inside the wrapper that names a category decides instead: `codes::deciding`
    // passes over "internal" readings, and that code does not allow `other`.)
    Rule::any(r"\[INTERNAL_ERROR\][^\n]*|GENERIC_INTERNAL_ERROR[^\n]*|Internal Error[^\n]*"),
    // dbt Fusion's own crash; the operating system refusing a file dbt writes.
    Rule::any(r"panicked at [^\n]*|[^\n]*\(os error \d+\)"),
    // A Python class of dbt or the adapter built from incomplete data: a bug (or a version
    // mismatch) in the adapter, not in the project.
    Rule::any(r"\w+\(\) missing \d+ required positional arguments?[^\n]*"),
    // BigQuery could not fetch the failed job's own error (job lookup in another location).
    Rule::on(&[Adapter::BigQuery], r"Not found: Job [^\n]*"),
];

use super::fix::{FixContext, FixStep};

/// No category covers it, so nothing about the SQL is asserted: the usual course for an engine's
/// or an adapter's own failure (rerun, then versions and the issue tracker), and the one case of
/// this kind with a known remedy of its own.
pub(super) fn fix(cx: &FixContext<'_>) -> Vec<FixStep> {
    let node = cx.node();
    let lower = cx.message.to_ascii_lowercase();
    if lower.contains("because other objects depend on it") {
        return vec![FixStep::say(format!(
            "dbt could not replace {node}'s relation because objects it does not manage depend on \
             it (views made by hand, by another project or by a BI tool). Find them in the \
             warehouse's dependency catalog and recreate them after the run — or bring them into \
             this project, so that dbt builds them after {node}. DROP … CASCADE removes them for \
             good"
        ))];
    }
    if let Some(steps) = invocation_fix(&lower) {
        return steps;
    }
    let mut steps = Vec::new();
    if let Some(step) = python_bug(cx) {
        steps.push(step);
    } else if let Some(step) = test_without_row(cx) {
        steps.push(step);
    } else {
        let support = support_id(cx.message).map_or(String::new(), |(what, id)| {
            format!(" — if it does, a support case quoting the {what} {id} is the way on")
        });
        steps.push(FixStep::say(format!(
            "dbt or the warehouse failed in a way {node}'s SQL does not explain (an internal \
             error, an adapter bug, a crash): rerun it once, internal errors are often transient. \
             If it fails again the same way, search the adapter's (or dbt's) issue tracker for the \
             message's first line: an upgrade or a pin back of dbt or the adapter is the usual \
             fix{support}"
        )));
    }
    steps.push(FixStep::run(
        "See which dbt and adapter versions are installed (for the issue search or a report)",
        "dbt --version",
    ));
    steps
}

/// A Python error of dbt's or the adapter's own code (`__init__() missing 1 required positional
/// argument`, `name 'dbt' is not defined`): a bug, which often hides the real failure.
fn python_bug(cx: &FixContext<'_>) -> Option<FixStep> {
    const SIGNS: [&str; 6] = [
        "required positional argument",
        "is not defined",
        "object has no attribute",
        "'NoneType' object",
        "unexpected keyword argument",
        "object is not subscriptable",
    ];
    if !SIGNS.iter().any(|w| cx.message.contains(w)) {
        return None;
    }
    let package = cx
        .adapter
        .map_or("the adapter".to_string(), |a| a.pip_package());
    Some(FixStep::run(
        format!(
            "This is a Python error inside dbt or {package}, not in {}: it often masks the real \
             failure, which the debug log shows just before it. Rerun with --debug and read the \
             lines before the traceback; then search {package}'s issue tracker for the error line \
             (an upgrade, or a pin back, is the usual fix)",
            cx.node()
        ),
        format!(
            "dbt --debug {} --select {}{}",
            cx.command,
            cx.node(),
            cx.target_flag()
        ),
    ))
}

/// `dbt internally failed to execute test …: Returned 0 rows, but expected 1 row`.
fn test_without_row(cx: &FixContext<'_>) -> Option<FixStep> {
    cx.message.contains("but expected 1 row").then(|| {
        FixStep::say(
            "dbt runs a test's query inside a wrapper that must return exactly one row (the count \
             of failures): a custom generic test or a package's override of the test macro \
             returns something else, or the adapter's test materialization does not fit this dbt \
             — check which `test_…` macro the project or its packages override, and that the \
             adapter's version matches dbt's",
        )
    })
}

/// An id the warehouse gives for its own failure, for a support case: Snowflake's incident,
/// Trino's query id, BigQuery's job id, an AWS request id.
fn support_id(message: &str) -> Option<(&'static str, String)> {
    const MARKERS: [(&str, &str); 6] = [
        ("incident ", "incident"),
        ("query_id=", "query id"),
        ("Query ", "query id"),
        ("job ID: ", "job id"),
        ("Request ID: ", "request id"),
        ("exceptionTraceId=", "trace id"),
    ];
    MARKERS.iter().find_map(|(marker, what)| {
        let (_, rest) = message.split_once(marker)?;
        let id: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        // A query id has digits (`20251030_143128_00018_r9far`); "Query failed" is no id.
        (id.len() >= 5 && id.chars().any(|c| c.is_ascii_digit())).then_some((*what, id))
    })
}

/// What `other::EARLY` reads: failures of the invocation itself (the machine's files, dbt's
/// command line, the `--state` manifest), with their own remedy rather than an issue search.
fn invocation_fix(lower: &str) -> Option<Vec<FixStep>> {
    if lower.contains("[errno 13]") {
        return Some(vec![FixStep::say(
            "The operating system refused dbt a file or folder it writes (logs/, target/, \
             dbt_packages/): run dbt where the user may write, or point log-path / target-path \
             (DBT_LOG_PATH, DBT_TARGET_PATH) at a writable folder — in a container or an \
             orchestrator the working directory is often read-only",
        )]);
    }
    if lower.contains("does not match any nodes") || lower.contains("usage: dbt") {
        return Some(vec![
            FixStep::say(
                "dbt's command line did not take the arguments: check the selector's spelling \
                 (a model's name without .sql, `path:` for folders, `tag:`/`source:` methods) \
                 and the flags this dbt version accepts",
            ),
            FixStep::run("See what a selector matches", "dbt ls --select <selector>"),
        ]);
    }
    let state = [
        "--state",
        "schema version of",
        "manifest file",
        "manifest.json from state",
    ];
    if state.iter().any(|w| lower.contains(w)) || lower.contains("manifest presigned") {
        return Some(vec![FixStep::say(
            "The manifest given for state comparison or deferral (--state, --defer) is missing \
             or was written by another dbt version: make the production job publish \
             target/manifest.json from the same dbt version this run uses, point --state at \
             its folder — or run without --state/--defer (a full build) until it does",
        )]);
    }
    None
}
