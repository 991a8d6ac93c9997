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

pub(super) const RULES: &[Rule] = &[
    // (A code inside the wrapper that names a category decides instead: `codes::deciding`
    // passes over "internal" readings, and that code does not allow `other`.)
    Rule::any(r"\[INTERNAL_ERROR\][^\n]*|GENERIC_INTERNAL_ERROR[^\n]*|Internal Error[^\n]*"),
    Rule::any(r"Not a dbt project[^\n]*"),
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
    vec![
        FixStep::say(format!(
            "dbt or the warehouse failed in a way {node}'s SQL does not explain (an internal error, \
             an adapter bug, a crash): rerun it once — internal errors are often transient. If it \
             fails again the same way, search the adapter's (or dbt's) issue tracker for the \
             message's first line: an upgrade or a pin back of dbt or the adapter is the usual fix"
        )),
        FixStep::run(
            "See which dbt and adapter versions are installed (for the issue search or a report)",
            "pip list 2>/dev/null | grep -i dbt",
        ),
    ]
}
