//! `sql_dialect`: SQL written for another warehouse, or a function or syntax this adapter lacks.
//!
//! # What it looks like
//! `Database Error in model fct_orders (models/marts/fct_orders.sql)`
//! `  column "day" does not exist` — Postgres reading `dateadd(day, 1, order_date)`
//! `Function not found: dateadd; Did you mean date_add? at [4:5]` — BigQuery
//!
//! # Why dbt fails
//! Code copied from a project on another warehouse (Snowflake's `DATEADD`, `IFF`, `ILIKE`,
//! `QUALIFY`) or from docs for another engine. Postgres and Redshift even misreport `dateadd(day, …)`
//! as a missing column `day`.
//!
//! # What to do
//! Use the adapter's equivalent, or better dbt's cross-database macros (`{{ dbt.dateadd(…) }}`,
//! `{{ dbt.datediff(…) }}`, `{{ dbt.concat(…) }}`, `{{ dbt.safe_cast(…) }}`) so the model runs on any
//! warehouse.

use super::Rule;

pub(super) const RULES: &[Rule] = &[
    Rule::any(r"function (?P<function>[\w$.\x22]+)\([^)\n]*\) does not exist"),
    Rule::any(r"Unknown (?:user-defined )?function (?P<function>[\w$.\x22]+)"),
    Rule::any(r"Invalid argument types for function '(?P<function>[^']+)'"),
    Rule::any(r"Function not found: (?P<function>[\w$.]+)"),
    Rule::any(
        r"No matching signature for (?:aggregate )?(?:function|operator) (?P<function>[^\s]+)",
    ),
    Rule::any(r"\[UNRESOLVED_ROUTINE\][^`\n]*`(?P<function>[^`]+)`"),
    Rule::any(r"Undefined function: '?(?P<function>[\w$.]+)'?"),
    Rule::any(
        r"Catalog Error: (?:Scalar |Table |Aggregate )?Function with name (?P<function>[\w$.\x22]+) does not exist",
    ),
    Rule::any(r"No function matches the given name and argument types '(?P<function>[^(']+)\("),
    Rule::any(r"Could not choose a best candidate function for the function call[^\n]*"),
    Rule::any(
        r"'(?P<function>\w+)' is not a recognized (?:built-in function name|function name|option)",
    ),
    Rule::any(r"Function '(?P<function>[\w$.]+)' not registered"),
    Rule::any(r"(?P<function>\w+)\(\) is not supported[^\n]*"),
    Rule::any(r"(?P<function>[A-Z]+) statement is not supported[^\n]*"),
    Rule::any(r"is not a valid date/time component for function (?P<function>\w+)"),
    Rule::any(r"(?P<function>\w+) does not support the \w+ date part"),
    Rule::any(r#"type "(?P<function>[^"]+)" does not exist"#),
    Rule::any(r"Column type is unknown: (?P<column>\w+)"),
    Rule::on(
        &["redshift"],
        r#"relation "(?P<relation>(?:pg_catalog\.)?pg_\w+)" does not exist"#,
    ),
    Rule::on(
        &["redshift"],
        r#"failed to find conversion function from "\w+" to \w+"#,
    ),
    Rule::any(
        r"Specified types or functions \(one per INFO message\) not supported on Redshift tables",
    ),
];

/// Syntax errors at a keyword another warehouse has and this one lacks. After the specific SQL
/// failures, before generic syntax errors.
pub(super) const SYNTAX: &[Rule] = &[
    Rule::any(
        r#"syntax error at or near "(?P<function>QUALIFY|ILIKE|PIVOT|UNPIVOT|FLATTEN|TOP|IFF|LATERAL|::|MERGE|EXCLUDE|REPLACE|days?|months?|years?|hours?|minutes?|seconds?|weeks?)""#,
    ),
    Rule::any(r#"Syntax error: Expected [^\n]*but got ":""#),
    Rule::any(
        r#"Incorrect syntax near (?:the keyword )?'(?P<function>LIMIT|ILIKE|QUALIFY|OFFSET|::|IF|FILTER|ARRAY|STRUCT|INTERVAL|BOOLEAN|TRUE|FALSE)'"#,
    ),
    Rule::any(
        r#"Syntax error: (?:Expected[^\n]*but got|Unexpected) (?:keyword |identifier |)"?(?P<function>ILIKE|QUALIFY|TOP|IFF|ISNULL|NVL|::|DATEADD|DATEDIFF)"?"#,
    ),
    Rule::any(r"mismatched input '(?P<function>ILIKE|QUALIFY|TOP|::|IFF)'"),
    Rule::any(r#"syntax error at or near "(?P<function>::)""#),
];

/// Date parts that Postgres and Redshift read as column names when `dateadd(day, …)` is written.
const DATE_PARTS: [&str; 22] = [
    "day", "days", "dd", "d", "month", "months", "mm", "mon", "year", "years", "yy", "yyyy",
    "week", "weeks", "wk", "hour", "hh", "minute", "mi", "second", "ss", "quarter",
];

/// Functions that take an unquoted date part first in Snowflake/SQL Server/Redshift syntax.
const DATE_PART_FUNCTIONS: [&str; 6] = [
    "dateadd",
    "datediff",
    "date_add",
    "date_diff",
    "timestampadd",
    "timestampdiff",
];

/// Postgres' `column "day" does not exist` for `dateadd(day, 1, x)`: returns the function and the
/// quote that decided, when the missing "column" is a date part and the SQL (the message's `LINE`
/// excerpt or the compiled code) calls a date function with it.
pub(super) fn date_part_trap(
    column: Option<&str>,
    message: &str,
    compiled: Option<&str>,
) -> Option<(String, String)> {
    let column = column?.to_ascii_lowercase();
    if !DATE_PARTS.contains(&column.as_str()) {
        return None;
    }
    for sql in [Some(message), compiled].into_iter().flatten() {
        let lower = sql.to_ascii_lowercase();
        for f in DATE_PART_FUNCTIONS {
            let mut from = 0;
            while let Some(at) = lower[from..].find(f) {
                let start = from + at;
                let after = lower[start + f.len()..].trim_start();
                if let Some(args) = after.strip_prefix('(') {
                    if args.trim_start().starts_with(column.as_str()) {
                        let end = (start + f.len() + 40).min(sql.len());
                        let end = (end..=sql.len())
                            .find(|i| sql.is_char_boundary(*i))
                            .unwrap_or(sql.len());
                        let excerpt = sql[start..end].lines().next().unwrap_or_default();
                        return Some((
                            f.to_string(),
                            format!("column \"{column}\" does not exist, from `{excerpt}`"),
                        ));
                    }
                }
                from = start + f.len();
            }
        }
    }
    None
}

use super::fix::{FixContext, FixStep};

/// The call as written, split into its arguments: `dateadd(day, 1, order_date)` →
/// (`dateadd(day, 1, order_date)`, [`day`, `1`, `order_date`]).
fn find_call(sql: &str, function: &str) -> Option<(String, Vec<String>)> {
    // An empty name would match everywhere without advancing (found by fuzzing).
    if function.trim().is_empty() {
        return None;
    }
    let lower = sql.to_ascii_lowercase();
    let f = function.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find(&f) {
        let start = from + at;
        let before_ok = start == 0
            || !lower.as_bytes()[start - 1].is_ascii_alphanumeric()
                && lower.as_bytes()[start - 1] != b'_';
        let open = start + f.len();
        if before_ok && lower.as_bytes().get(open) == Some(&b'(') {
            let mut depth = 0usize;
            let mut args = Vec::new();
            let mut arg_start = open + 1;
            for (i, c) in sql[open..].char_indices() {
                let i = open + i;
                match c {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            args.push(sql[arg_start..i].trim().to_string());
                            return Some((sql[start..=i].to_string(), args));
                        }
                    }
                    ',' if depth == 1 => {
                        args.push(sql[arg_start..i].trim().to_string());
                        arg_start = i + 1;
                    }
                    '\n' if i - start > 400 => break,
                    _ => {}
                }
            }
        }
        from = open;
    }
    None
}

pub(super) fn fix(cx: &FixContext<'_>) -> Vec<FixStep> {
    let ev = cx.ev();
    let a = cx.adapter();
    let function = ev.function.clone().unwrap_or_default();
    let f = function.to_ascii_lowercase();
    let mut steps = Vec::new();
    let call = [cx.compiled_code, Some(cx.message)]
        .into_iter()
        .flatten()
        .find_map(|sql| find_call(sql, &f));
    let unquote = |s: &str| {
        s.trim_matches(|c| c == '\'' || c == '"')
            .to_ascii_lowercase()
    };
    let adapter_name = adapter_label(a);
    match (f.as_str(), &call) {
        ("dateadd" | "date_add" | "timestampadd", Some((written, args))) if args.len() == 3 && !args[0].trim().starts_with(|c: char| c.is_ascii_digit()) && !args[0].contains(' ') => {
            let part = unquote(&args[0]);
            let (n, x) = (&args[1], &args[2]);
            steps.push(FixStep::run(
                format!("Replace `{written}` with dbt's cross-database macro, which compiles to the right SQL on every warehouse"),
                format!("{{{{ dbt.dateadd('{part}', {n}, '{x}') }}}}"),
            ));
            if let Some(native) = native_dateadd(a, &part, n, x) {
                steps.push(FixStep::run(format!("Or write it in {adapter_name} SQL"), native));
            }
        }
        ("datediff" | "date_diff" | "timestampdiff", Some((written, args))) if args.len() == 3 => {
            let part = unquote(&args[0]);
            let (start, end) = (&args[1], &args[2]);
            steps.push(FixStep::run(
                format!("Replace `{written}` with dbt's cross-database macro"),
                format!("{{{{ dbt.datediff('{start}', '{end}', '{part}') }}}}"),
            ));
            if let Some(native) = native_datediff(a, &part, start, end) {
                steps.push(FixStep::run(format!("Or write it in {adapter_name} SQL"), native));
            }
        }
        ("iff", Some((written, args))) if args.len() == 3 => steps.push(FixStep::run(
            format!("{adapter_name} has no IFF: replace `{written}` with a CASE expression"),
            format!("CASE WHEN {} THEN {} ELSE {} END", args[0], args[1], args[2]),
        )),
        ("nvl" | "ifnull" | "isnull", Some((written, args))) if args.len() == 2 => steps.push(FixStep::run(
            format!("Replace `{written}` with the standard COALESCE"),
            format!("COALESCE({}, {})", args[0], args[1]),
        )),
        ("listagg" | "string_agg" | "group_concat", Some((written, args))) if !args.is_empty() => {
            let sep = args.get(1).cloned().unwrap_or_else(|| "','".into());
            steps.push(FixStep::run(
                format!("Replace `{written}` with dbt's cross-database macro"),
                format!("{{{{ dbt.listagg('{}', \"{}\") }}}}", args[0], sep),
            ));
        }
        ("ilike", _) => steps.push(FixStep::run(
            format!("{adapter_name} has no ILIKE: compare lower-cased values with LIKE"),
            "LOWER(column_name) LIKE LOWER('%pattern%')".to_string(),
        )),
        ("qualify", _) => steps.push(FixStep::say(format!(
            "{adapter_name} has no QUALIFY: compute the window function in a subquery or CTE and \
             filter on it in the outer WHERE"
        ))),
        ("::", _) => steps.push(FixStep::say(format!(
            "{adapter_name} has no `::` casts: write CAST(expression AS type), or {{{{ dbt.safe_cast(...) }}}}"
        ))),
        ("top", _) => steps.push(FixStep::say(format!("{adapter_name} has no TOP: put LIMIT n at the end of the query"))),
        ("limit", _) => steps.push(FixStep::say(format!(
            "{adapter_name} has no LIMIT: use SELECT TOP n … or ORDER BY … OFFSET 0 ROWS FETCH NEXT n ROWS ONLY"
        ))),
        _ => {}
    }
    if let Some(eq) = equivalent(&f, a) {
        steps.push(FixStep::say(format!("In {adapter_name}, use {eq}")));
    }
    let lower = cx.message.to_ascii_lowercase();
    let types = lower.contains("signature")
        || lower.contains("argument types")
        || lower.contains("candidate function");
    if steps.is_empty() && types {
        let what = if function.is_empty() {
            "the function".to_string()
        } else {
            function.clone()
        };
        steps.push(FixStep::say(format!(
            "{adapter_name} has {what}, but not for these argument types (other warehouses convert \
             them implicitly): cast the arguments to the types the message lists as supported, e.g. \
             CAST(x AS TIMESTAMP), or use a dbt cross-database macro"
        )));
    }
    if steps.is_empty() {
        let what = if function.is_empty() {
            "this syntax".to_string()
        } else {
            function.to_string()
        };
        steps.push(FixStep::say(format!(
            "{adapter_name} does not know {what}: look up its equivalent for {adapter_name}, or use \
             one of dbt's cross-database macros (dbt.dateadd, dbt.datediff, dbt.concat, \
             dbt.safe_cast, dbt.split_part, dbt.listagg, dbt.date_trunc …)"
        )));
    }
    steps
}

fn adapter_label(a: &str) -> &'static str {
    match a {
        "postgres" => "PostgreSQL",
        "redshift" => "Redshift",
        "snowflake" => "Snowflake",
        "bigquery" => "BigQuery",
        "databricks" => "Databricks",
        "spark" => "Spark",
        "duckdb" => "DuckDB",
        "sqlserver" => "SQL Server",
        "fabric" => "Fabric",
        "synapse" => "Synapse",
        "trino" => "Trino",
        _ => "This warehouse",
    }
}

fn native_dateadd(a: &str, part: &str, n: &str, x: &str) -> Option<String> {
    Some(match a {
        "postgres" => format!("({x} + ({n}) * interval '1 {part}')"),
        "duckdb" => format!("({x} + ({n}) * INTERVAL 1 {})", part.to_ascii_uppercase()),
        "bigquery" => format!("DATE_ADD({x}, INTERVAL {n} {})", part.to_ascii_uppercase()),
        "trino" => format!("date_add('{part}', {n}, {x})"),
        "snowflake" | "redshift" | "sqlserver" | "fabric" | "synapse" => {
            format!("DATEADD({part}, {n}, {x})")
        }
        "databricks" | "spark" => format!("timestampadd({}, {n}, {x})", part.to_ascii_uppercase()),
        _ => return None,
    })
}

fn native_datediff(a: &str, part: &str, start: &str, end: &str) -> Option<String> {
    Some(match a {
        "postgres" if part.starts_with('d') => format!("({end}::date - {start}::date)"),
        "duckdb" => format!("date_diff('{part}', {start}, {end})"),
        "bigquery" => format!("DATE_DIFF({end}, {start}, {})", part.to_ascii_uppercase()),
        "trino" => format!("date_diff('{part}', {start}, {end})"),
        "snowflake" | "redshift" | "sqlserver" | "fabric" | "synapse" => {
            format!("DATEDIFF({part}, {start}, {end})")
        }
        "databricks" | "spark" => format!(
            "timestampdiff({}, {start}, {end})",
            part.to_ascii_uppercase()
        ),
        _ => return None,
    })
}

/// What to write instead of a function the adapter lacks, for the common cases.
fn equivalent(function: &str, a: &str) -> Option<&'static str> {
    Some(match (function, a) {
        ("dateadd", "postgres") => {
            "date arithmetic with intervals: x + interval '1 day' (or dbt.dateadd)"
        }
        ("dateadd", "bigquery") => "DATE_ADD(x, INTERVAL n DAY) / TIMESTAMP_ADD (or dbt.dateadd)",
        ("dateadd", "duckdb") => {
            "x + INTERVAL n DAY, or date_add(x, INTERVAL n DAY) (or dbt.dateadd)"
        }
        ("dateadd", "trino") => "date_add('day', n, x) (or dbt.dateadd)",
        ("date_add", "snowflake" | "redshift" | "sqlserver") => {
            "DATEADD(day, n, x) (or dbt.dateadd)"
        }
        ("date_add", "postgres") => "x + interval '1 day' (or dbt.dateadd)",
        ("datediff", "postgres") => {
            "end::date - start::date for days, or date_part on age() (or dbt.datediff)"
        }
        ("datediff", "bigquery") => "DATE_DIFF(end, start, DAY) (or dbt.datediff)",
        ("date_diff", "snowflake" | "redshift" | "sqlserver") => {
            "DATEDIFF(day, start, end) (or dbt.datediff)"
        }
        ("iff", _) => "CASE WHEN condition THEN a ELSE b END (BigQuery: IF(condition, a, b))",
        ("nvl" | "ifnull" | "isnull", _) => "COALESCE(a, b)",
        ("listagg", "postgres" | "duckdb" | "bigquery") => "STRING_AGG(x, ',') (or dbt.listagg)",
        ("string_agg", "snowflake" | "redshift") => "LISTAGG(x, ',') (or dbt.listagg)",
        ("group_concat", _) => "STRING_AGG/LISTAGG (or dbt.listagg)",
        ("to_varchar" | "to_char", "bigquery") => "CAST(x AS STRING) or FORMAT_DATE",
        ("to_varchar", _) => "CAST(x AS VARCHAR)",
        ("getdate" | "sysdate" | "now" | "systimestamp", _) => "{{ dbt.current_timestamp() }}",
        ("split_part", "bigquery") => "SPLIT(x, delimiter)[SAFE_OFFSET(n - 1)] (or dbt.split_part)",
        ("try_cast", "postgres" | "redshift") => {
            "a CASE with a pattern check before CAST (there is no TRY_CAST), or dbt.safe_cast"
        }
        ("try_cast", "bigquery") => "SAFE_CAST(x AS type)",
        ("safe_cast", _) => "TRY_CAST(x AS type) (or dbt.safe_cast)",
        ("len", "postgres" | "bigquery" | "duckdb" | "snowflake") => "LENGTH(x)",
        ("charindex", "postgres" | "bigquery" | "duckdb") => "STRPOS(x, substring)",
        ("date_trunc", "bigquery") => {
            "DATE_TRUNC(x, MONTH) — BigQuery takes the part second (or dbt.date_trunc)"
        }
        ("convert_timezone", _) => {
            "the adapter's time zone function (AT TIME ZONE in PostgreSQL/DuckDB), or dbt_date"
        }
        ("array_size", "postgres") => "cardinality(x) or array_length(x, 1)",
        ("regexp_like", "postgres") => "x ~ 'pattern'",
        _ => return None,
    })
}
