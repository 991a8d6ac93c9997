//! `test_failure`: a data test or unit test failed.
//!
//! # What it looks like
//! `Failure in test not_null_stg_orders_order_id (models/staging/schema.yml)`
//! `  Got 3 results, configured to fail if != 0`
//!
//! # Why dbt fails
//! The test's query returned rows: the data breaks an expectation. Under `dbt build` every node
//! downstream of the tested model is skipped, so one test can take down a whole branch.
//!
//! # What to do
//! Query the failing rows (`dbt test --select <test> --store-failures`, or run the test's compiled
//! SQL), fix the data or the model upstream, or relax the test's `severity`/`error_if` when the
//! expectation was wrong.

use super::{Context, Rule};

pub(super) const RULES: &[Rule] = &[
    // Before dbt 0.20 a failed test said what it expected, not what it was configured with.
    Rule::any(r"Got \d+ results?, expected 0\.?"),
    Rule::any(r"Got \d+ results?, configured to (?:fail|warn) if [^\n]*"),
    Rule::any(r"actual differs from expected"),
    Rule::any(r"Rows mismatch:?"),
    Rule::any(r"(?m)^Failed \[[^\]]*\] (?:unit_test|test) [^\n]*"),
    Rule::when(r"^", is_failed_test),
];

/// A test whose status is `fail` failed on data, whatever its message says.
fn is_failed_test(ctx: &Context<'_>, _: &str) -> bool {
    ctx.status == Some("fail") && matches!(ctx.resource_type, Some("test" | "unit_test"))
}

use super::fix::{FixContext, FixStep};

pub(super) fn fix(cx: &FixContext<'_>) -> Vec<FixStep> {
    let test = cx.node();
    let mut steps = Vec::new();
    // The test's compiled SQL is the query that returns the failing rows.
    match cx
        .compiled_code
        .map(str::trim)
        .filter(|q| !q.is_empty() && q.len() <= 2000)
    {
        Some(query) => steps.push(FixStep::run(
            "See the failing rows: the test's own query returns them",
            query.trim_end_matches(';').to_string() + ";",
        )),
        None => steps.push(FixStep::run(
            "Keep the failing rows in the warehouse to look at them (in the target schema's \
             _dbt_test__audit schema)",
            format!(
                "dbt test --select {test} --store-failures{}",
                cx.target_flag()
            ),
        )),
    }
    match (cx.tested_name, cx.seeds.first()) {
        (Some(model), Some(seed)) => steps.push(FixStep::run(
            format!(
                "{model} is built from the seed {seed}: if the failing rows come from its CSV \
                 (seeds/), fix them there and reload it with what reads it"
            ),
            format!("dbt build --select {seed}+{}", cx.target_flag()),
        )),
        (Some(model), None) => steps.push(FixStep::say(format!(
            "Fix the data or the logic of {model} (or upstream of it); if the expectation itself \
             is wrong, relax the test (severity: warn, or error_if/warn_if thresholds)"
        ))),
        (None, _) => steps.push(FixStep::say(
            "Fix the data or the logic upstream; if the expectation itself is wrong, relax the test \
             (severity: warn, or error_if/warn_if thresholds)",
        )),
    }
    if cx.command == "build" {
        steps.push(FixStep::say(
            "Under dbt build a failed test skips everything downstream of the model it tests: \
             that is why the skipped models below did not run",
        ));
    }
    steps
}
