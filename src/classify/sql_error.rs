//! `sql_error`: the SQL is wrong in a way no other category covers — syntax, GROUP BY,
//! ambiguous names, type mismatches.
//!
//! # What it looks like
//! `Database Error in model fct_orders (models/marts/fct_orders.sql)`
//! `  syntax error at or near ")"`
//! `  column "orders.amount" must appear in the GROUP BY clause or be used in an aggregate function`
//!
//! # Why dbt fails
//! The compiled SQL does not parse or does not type-check on this warehouse. Jinja can produce
//! such SQL from valid-looking model code (a trailing comma from a loop, an empty `in ()`).
//!
//! # What to do
//! Open the compiled SQL (`target/compiled/…`, or the `target/run/…` statement the warehouse ran),
//! go to the line and position the warehouse names, fix the model, and rerun it.

use super::Rule;

pub(super) const RULES: &[Rule] = &[
    // The query's own mistakes: a type with no equality (json), an unqualified table where the
    // warehouse needs a dataset, the same output column twice, a CTE named as a table it reads.
    Rule::any(
        r"could not identify an (?:equality|ordering|comparison) operator for type[^\n]*|must be qualified with a dataset[^\n]*|Duplicate column names in the result are not supported[^\n]*|No matching signature for operator[^\n]*|has columns with duplicate name (?P<column>\w+)|column \x22(?P<column2>[^\x22]+)\x22 specified more than once|Invalid schema: multiple fields for name[^\n]*|illegal reference of a query name in WITH clause",
    ),
    // BigQuery: a script of only temporary functions.
    Rule::any(r"CREATE TEMPORARY FUNCTION statements must be followed by an actual query"),
    // A sort key must be a column of the result (`+sort: auto` read as a column name).
    Rule::any(r#"SORTKEY "?(?P<column>[^"\s]+)"? must be included in the select list"#),
    // ClickHouse: the table's ORDER BY key may not be Nullable.
    Rule::any(r"Sorting key contains nullable columns[^\n]*"),
    Rule::any(r"PARTITION BY expression must be[^\n]*"),
    Rule::any(
        r"improper (?:relation|qualified) name[^\n]*|cannot pass more than \d+ arguments to a function|cannot recognize input near[^\n]*|was specified multiple times for[^\n]*|COUNT field incorrect or syntax error[^\n]*|no viable alternative at input[^\n]*",
    ),
    Rule::any(
        r"Each GROUP BY expression must contain[^\n]*|cannot appear more than once in[^\n]*|is not appropriate here|such unique or primary key already exists[^\n]*|must be groupable[^\n]*|Column names in each view must be unique[^\n]*",
    ),
    // The object is there but of another kind (a view where a table was expected), or others
    // depend on it: the statement, often generated, does not fit what the warehouse holds.
    Rule::any(
        r#""?(?P<object>[\w$.]+)"? is not an? (?:view|table|materialized view|sequence)\b|Object found is of type '\w+', not specified type '\w+'"#,
    ),
    Rule::any(r#"column reference "(?P<column>[^"]+)" is ambiguous"#),
    Rule::any(r"ambiguous column name '?(?P<column>[^'\n]+)'?"),
    Rule::any(r"Column name '?(?P<column>[\w$]+)'? is ambiguous"),
    Rule::any(r"\[AMBIGUOUS_REFERENCE\][^\n]*|Ambiguous column name[^\n]*|ambiguous[^\n]*"),
    Rule::any(
        r#"must appear in the GROUP BY clause[^\n]*|is not a valid group by expression|neither grouped nor aggregated[^\n]*|\[MISSING_AGGREGATION\][^\n]*|not contained in either an aggregate function or the GROUP BY clause|must be an aggregate expression or appear in GROUP BY clause"#,
    ),
    Rule::any(
        r"syntax error at or near[^\n]*|syntax error at end of input|Syntax error:[^\n]*|syntax error line \d+ at position \d+[^\n]*|Parser Error:[^\n]*|\[PARSE_SYNTAX_ERROR\][^\n]*|Incorrect syntax near[^\n]*|mismatched input[^\n]*|unexpected '[^'\n]*'|SQL compilation error:\s+syntax error[^\n]*",
    ),
    Rule::any(
        r"is a table-function but it is used as a scalar function[^\n]*|could not be bound[^\n]*|Invalid cast from \w+ to \w+",
    ),
    Rule::any(
        r"zero-length delimited identifier[^\n]*|INSERT has more (?:expressions|target columns) than[^\n]*",
    ),
    Rule::any(
        r"operator does not exist[^\n]*|No operator matches[^\n]*|cannot be matched|argument of \w+ must be type[^\n]*|\[DATATYPE_MISMATCH[^\]]*\][^\n]*|Cannot (?:coerce|compare)[^\n]*|Type mismatch[^\n]*|cannot be cast to[^\n]*|Invalid data type[^\n]*",
    ),
    Rule::any(
        r"each (?:UNION|INTERSECT|EXCEPT) query must have the same number of columns|Queries in UNION ALL have mismatched column count[^\n]*|set operator (?:UNION|INTERSECT|EXCEPT)[^\n]*same number of columns|\[NUM_COLUMNS_MISMATCH\][^\n]*",
    ),
    // Generic wrappers (`SQL compilation error:`, DuckDB's `Binder Error:`, Spark's error
    // classes) are not here: their codes decide in `codes`, and their words say nothing more.
    Rule::any(r"SemanticException[^\n]*"),
    // Types that do not go together in the model's own SQL (not the data's values).
    Rule::any(
        r"Column \d+ in (?:UNION|INTERSECT|EXCEPT)(?: ALL| DISTINCT)? has incompatible types[^\n]*",
    ),
    Rule::any(r"Value has type \w+ which cannot be inserted into column (?P<column>\w+)[^\n]*"),
    Rule::any(r"failed to find conversion function from unknown to \w+"),
    Rule::any(r"(?:NUMERIC|DECIMAL) (?:scale|precision) \d+ must be between[^\n]*"),
    // BigQuery: a table that requires a partition filter, read without one.
    Rule::any(r"Cannot query over table '(?P<relation>[^']+)' without a filter[^\n]*"),
    Rule::any(r"CREATE TABLE columns must be named[^\n]*"),
];

use super::fix::{FixContext, FixStep};

/// The word of Snowflake's `invalid identifier '"perth"'` when it is one in lower case (a name
/// Snowflake would have folded to upper case unless created quoted).
fn quoted_string(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once("invalid identifier '\"")?;
    let (word, _) = rest.split_once("\"'")?;
    (word.chars().any(|c| c.is_ascii_lowercase()) && !word.chars().any(|c| c.is_ascii_uppercase()))
        .then_some(word)
}

pub(super) fn fix(cx: &FixContext<'_>) -> Vec<FixStep> {
    let node = cx.node();
    // Git's conflict markers left in the model: not SQL, not Jinja — an unfinished merge.
    let markers = [cx.compiled_code.unwrap_or_default(), cx.message]
        .iter()
        .any(|t| {
            t.lines()
                .any(|l| l.starts_with("<<<<<<<") || l.starts_with(">>>>>>>"))
        });
    if let Some(word) = rendered_null(cx.message) {
        let file = cx.original_file.unwrap_or("the model's file");
        return vec![FixStep::say(format!(
            "The SQL dbt sent has `{word}` where a name or a value belongs: a Jinja variable, a \
             var() or a macro argument in {file} (or a macro it calls) was empty when dbt \
             rendered it. Give it a value — `--vars`, the environment variable it reads, the \
             macro's argument — or a default (var('name', 'default'))"
        ))];
    }
    if markers {
        let file = cx.original_file.unwrap_or("the model's file");
        return vec![
            FixStep::say(format!(
                "{file} still holds git's merge-conflict markers (<<<<<<<, =======, >>>>>>>): keep \
                 the side you want, delete the three marker lines, and commit"
            )),
            FixStep::run(
                "Find every file the merge left so",
                "grep -rnE '^(<<<<<<<|=======|>>>>>>>)' models/ macros/ snapshots/ seeds/ tests/",
            ),
        ];
    }
    if let Some(kinds) = wrong_object_kind(cx.message) {
        return vec![
            FixStep::say(format!(
                "The warehouse holds {kinds}: the relation was made by another materialization \
                 (the model's `materialized` changed, or a package's or another tool's object has \
                 that name), and the statement dbt generated drops or reads it as the other kind. \
                 Drop the existing relation by hand with the statement for what it is (DROP VIEW / \
                 DROP TABLE / DROP MATERIALIZED VIEW), or rebuild {node} with --full-refresh; if \
                 it happens on every second run of an unchanged model, it is the adapter's \
                 materialization — check its issue tracker for your version"
            )),
            FixStep::run(
                format!("Rebuild {node} from scratch"),
                format!("dbt run --select {node} --full-refresh{}", cx.target_flag()),
            ),
        ];
    }
    // `invalid identifier '"perth"'`: a string written in double quotes, read as a name.
    if let Some(word) = quoted_string(cx.message) {
        return vec![FixStep::say(format!(
            "\"{word}\" in double quotes is a name (an identifier) here, not a string: write it in \
             single quotes, '{word}', in {}",
            cx.original_file.unwrap_or(node)
        ))];
    }
    vec![
        FixStep::say(format!(
            "Fix the SQL of {node} where the warehouse points (the message names the token or the \
             expression); Jinja can produce invalid SQL from valid-looking code, so read the \
             compiled SQL, not only the model file"
        )),
        FixStep::run(
            format!("Compile {node} to check the SQL dbt sends"),
            format!("dbt compile --select {node}{}", cx.target_flag()),
        ),
    ]
}

/// `"x" is not a view` (Postgres, Redshift), `Object found is of type 'VIEW', not specified
/// type 'TABLE'` (Snowflake): what the warehouse holds against what the statement expected.
fn wrong_object_kind(message: &str) -> Option<String> {
    let re = regex_lite::Regex::new(
        r#"(?i)"?([\w$.]+)"? is not an? (view|table|materialized view|sequence)\b|Object found is of type '(\w+)', not specified type '(\w+)'"#,
    )
    .ok()?;
    let c = re.captures(message)?;
    Some(match (c.get(1), c.get(2), c.get(3), c.get(4)) {
        (Some(name), Some(kind), _, _) => {
            format!(
                "{} under that name, but not a {}",
                name.as_str(),
                kind.as_str()
            )
        }
        (_, _, Some(found), Some(wanted)) => format!(
            "a {} where the statement wants a {}",
            found.as_str().to_ascii_lowercase(),
            wanted.as_str().to_ascii_lowercase()
        ),
        _ => return None,
    })
}

/// A Python or JavaScript null rendered into the SQL as a name: `Invalid column name 'None'`,
/// `Referenced column "None" not found`, `from None.orders`.
fn rendered_null(message: &str) -> Option<&'static str> {
    ["None", "undefined"].into_iter().find(|word| {
        [
            format!("'{word}'"),
            format!("\"{word}\""),
            format!(" {word}."),
        ]
        .iter()
        .any(|quoted| message.contains(quoted.as_str()))
    })
}
