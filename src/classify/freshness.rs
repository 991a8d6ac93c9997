//! `freshness`: a source's newest data is older than its freshness threshold.
//!
//! # What it looks like
//! `dbt source freshness` prints `ERROR STALE freshness of raw.sessions` and writes
//! `target/sources.json` with `"status": "error"`, the newest `max_loaded_at` it found and the
//! `criteria` it checked (`warn_after`, `error_after`). There is no warehouse message: nothing
//! failed to run, the data is old.
//!
//! # Why dbt fails
//! The loader (an EL tool, a script, a replication job) stopped delivering rows to that table, or
//! delivers them with an old timestamp in the source's `loaded_at_field`, or the thresholds are
//! tighter than the feed's schedule. Everything built from the source after that — models, and
//! the reports that read them — shows data as of `max_loaded_at`.
//!
//! # What to do
//! Look at the loader's last run first (its sync history, its errors). Check that
//! `loaded_at_field` is when a row was loaded, not when its event happened. Widen the thresholds
//! only when the feed is quiet by design. Then rerun `dbt source freshness` and rebuild what reads
//! the source.
//!
//! The diagnosis makes these problems from sources.json directly; a pasted console line
//! (`ERROR STALE freshness of raw.sessions`) is matched too.

use super::fix::{FixContext, FixStep};
use super::Rule;

pub(super) const RULES: &[Rule] = &[
    Rule::any(r"ERROR STALE freshness of (?P<relation>[\w.]+)"),
    // dbt's end-of-run summary for a source past its `error_after` (a source's tests say
    // "Failure in test").
    Rule::any(r"Failure in source (?P<relation>[\w.]+)[^\n]*\n\s*Status: error"),
];

pub(super) fn fix(cx: &FixContext<'_>) -> Vec<FixStep> {
    let source = cx.node();
    let mut steps = vec![FixStep::say(format!(
        "Check the job that loads {source}: its last sync or run, and its errors. A loader that \
         stopped, failed or lost its credentials is the usual cause — dbt only measured how old \
         the newest row is"
    ))];
    if let (Some(rel), Some(field)) = (cx.relation_name, cx.loaded_at_field) {
        steps.push(FixStep::run(
            "See what the source holds now (the value dbt compares with its thresholds)",
            format!("select max({field}) as max_loaded_at, count(*) as row_count from {rel};"),
        ));
    }
    let field = cx
        .loaded_at_field
        .map(|f| format!(" (`{f}`)"))
        .unwrap_or_default();
    steps.push(FixStep::say(format!(
        "If rows do arrive but the age does not move, loaded_at_field{field} is probably an event \
         time, not a load time: late events look stale. Use the loader's own column \
         (`_fivetran_synced`, `_airbyte_extracted_at`, `_sdc_batched_at`, `_loaded_at`)"
    )));
    steps.push(FixStep::say(
        "If the feed is quiet by design (weekends, a monthly file), widen the source's \
         `freshness` thresholds (`warn_after` / `error_after`) in its sources .yml, or add a \
         `filter` — not to silence a loader that stopped",
    ));
    steps
}
