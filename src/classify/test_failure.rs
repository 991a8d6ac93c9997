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

/// A unit test compares the model's output on fixed input rows with the rows it expects: no
/// warehouse data is involved, and `--store-failures` keeps nothing for it.
fn unit_test(cx: &FixContext<'_>) -> Option<Vec<FixStep>> {
    let is_unit = cx.resource_type == Some("unit_test")
        || cx.message.contains("Failure in unit_test")
        || cx.message.contains("unit_test.");
    if !is_unit {
        return None;
    }
    let named = regex_lite::Regex::new(r"Failure in unit_test (\S+)")
        .ok()
        .and_then(|re| re.captures(cx.message))
        .map(|c| c[1].to_string());
    let test = named.as_deref().unwrap_or(cx.node());
    Some(vec![
        FixStep::run(
            format!(
                "Run the unit test alone: dbt prints the differences between the rows {test} \
                 expects and the rows the model returned for its given input"
            ),
            format!("dbt test --select {test}{}", cx.target_flag()),
        ),
        FixStep::say(
            "If the model's logic changed on purpose, update the test's `expect` rows in its \
             YAML; otherwise the change broke it — fix the model. The input rows are the test's \
             `given`, not the warehouse's data, so no data fix makes it pass",
        ),
    ])
}

pub(super) fn fix(cx: &FixContext<'_>) -> Vec<FixStep> {
    if let Some(steps) = unit_test(cx) {
        return steps;
    }
    let test = cx.node();
    let mut steps = Vec::new();
    // The test's compiled SQL is the query that returns the failing rows.
    let query = cx
        .compiled_code
        .map(str::trim)
        .filter(|q| !q.is_empty() && q.len() <= 2000);
    match query {
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
    if let (Some(model), Some(test)) = (cx.tested_name, cx.generic_test) {
        if let Some(step) = what_the_test_checks(test, model, cx, query.is_some()) {
            steps.push(step);
        }
    }
    match (cx.tested_name, cx.seeds.first()) {
        (Some(model), Some(seed)) => steps.push(FixStep::run(
            format!(
                "{model} is built from the seed {seed}: if the failing rows come from its CSV \
                 (seeds/), fix them there and reload it with what reads it"
            ),
            format!("dbt build --select {seed}+{}", cx.target_flag()),
        )),
        (Some(_), None) if cx.generic_test.is_some_and(|t| is_builtin(&t.name)) => {}
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

/// dbt's four built-in generic tests, whose failures each have their usual causes.
fn is_builtin(name: &str) -> bool {
    matches!(
        name,
        "unique" | "not_null" | "accepted_values" | "relationships"
    )
}

/// What a failed built-in test means for its model and column, and where its YAML is: the usual
/// causes first, then how to change the expectation when the data is right.
fn what_the_test_checks(
    test: &crate::artifacts::GenericTest,
    model: &str,
    cx: &FixContext<'_>,
    query_shown: bool,
) -> Option<FixStep> {
    let column = test.column.as_deref()?;
    let yaml = cx.original_file;
    let found = if query_shown {
        "the query above lists"
    } else {
        "the stored failures list"
    };
    let in_yaml = yaml.map(|y| format!(" in {y}")).unwrap_or_default();
    let say = match test.name.as_str() {
        "unique" => match cx.tested_reads_only {
            Some(parent) => format!(
                "{model} selects from {parent} alone, without a join: the duplicate {column}s are \
                 in {parent} itself. Fix them there, or keep one row per {column} in {model} \
                 (row_number() over (partition by {column} order by …) = 1). If several rows \
                 per {column} are right, the test expects too much: test the columns that are \
                 unique together (dbt_utils.unique_combination_of_columns)"
            ),
            None => format!(
                "{model} has more than one row for some {column}: usually a join that fans out \
                 (one row per match) or a source that delivers a row twice. Fix the join, or keep \
                 one row per {column} (row_number() over (partition by {column} order by …) = 1). \
                 If several rows per {column} are right, the test expects too much: test the \
                 columns that are unique together (dbt_utils.unique_combination_of_columns)"
            ),
        },
        "not_null" => format!(
            "Some rows of {model} have no {column}: usually a left join that found no match, or \
             rows the source delivers without it. Fix the join or the source; if NULL is right \
             for some rows, give the test a `where:` config{in_yaml}"
        ),
        "accepted_values" if !test.values.is_empty() => {
            let allowed = test
                .values
                .iter()
                .map(|v| format!("'{v}'"))
                .collect::<Vec<_>>()
                .join(", ");
            format!(
                "The test allows only {allowed} in {model}.{column}; {found} the other \
                 values found. If a new value is legitimate (the business added one), add it \
                 to the test's `values`{in_yaml}; if not, fix the rows where they come from"
            )
        }
        "relationships" => {
            let parent = test.to.as_deref().unwrap_or("its parent");
            let key = test.field.as_deref().unwrap_or(column);
            format!(
                "Some {model}.{column} have no match in {parent}.{key}: rows that arrive before \
                 their parent, or a filter on the parent that drops them. Fix the data or the \
                 filter; if late keys are expected, give the test a `where:` config{in_yaml} that \
                 skips the newest rows, or severity: warn"
            )
        }
        _ => return None,
    };
    Some(FixStep::say(say))
}
