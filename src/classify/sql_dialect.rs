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

use super::{Adapter, Rule};
use crate::adapter::Family;

pub(super) const RULES: &[Rule] = &[
    // A function or clause this warehouse has in another shape: its own argument count, its
    // own date parts, the alias Postgres (before 16) requires on a derived table, what Spark's
    // file formats and Redshift's planner take, T-SQL's rules for derived tables and windows.
    Rule::any(
        r"Invalid number of arguments for function (?P<function>\w+)[^\n]*|Invalid datetime part for (?P<function2>\w+)[^\n]*",
    ),
    Rule::any(
        r"subquery in FROM must have an alias[^\n]*|does not support dynamic overwrite[^\n]*|correlated subquery pattern is not supported[^\n]*",
    ),
    Rule::on(
        &[Adapter::SqlServer, Adapter::Fabric, Adapter::Synapse],
        r"No column name was specified for column \d+ of[^\n]*|do not support integer indices as ORDER BY clause expressions[^\n]*|Incorrect syntax near 'OPENROWSET'[^\n]*",
    ),
    // Spark SQL before 3.4 has no `::` cast.
    Rule::on(
        &[Adapter::Spark, Adapter::Databricks],
        r"mismatched input ':'[^\n]*",
    ),
    // Oracle needs `FROM DUAL` where others take a bare `select 1`.
    Rule::on(&[Adapter::Oracle], r"FROM keyword not found where expected"),
    // dbt-duckdb: an attached SQLite database has only the schema `main`.
    Rule::any(r"Schema must be 'main' when writing to sqlite"),
    // T-SQL limits that other warehouses do not have: ORDER BY in a view or subquery without
    // TOP, a second rowversion (`timestamp`) column; Oracle's LOBs in comparisons.
    Rule::any(r"The ORDER BY clause is invalid in\s+views[^\n]*"),
    Rule::any(r"can only have one timestamp column[^\n]*"),
    Rule::any(r"inconsistent datatypes: expected [^\n]*got N?[CB]LOB"),
    // A type this engine does not have (`string` on Athena/Trino, which say `varchar`).
    Rule::any(r"Unknown type:? '?(?:[\w() ,]+?)'?(?:\.|$|\s)"),
    // A dbt feature this adapter (version) does not offer.
    Rule::any(r"The incremental strategy '(?P<function>\w+)' is not valid for this adapter"),
    // Statements this warehouse will not run inside a transaction.
    Rule::any(
        r"cannot be run inside a transaction block|DDL statement is not allowed inside a snapshot isolation transaction",
    ),
    Rule::any(
        r"Cannot use this data source[^\n]*|is not a supported statement type[^\n]*|not supported by dbt static analysis[^\n]*",
    ),
    // ClickHouse types are not nullable unless declared Nullable(…).
    Rule::any(r"Cannot convert NULL to a non-nullable type"),
    // A type another database has (SERIAL, NVARCHAR2, …).
    Rule::any(r"Type with name (?P<function>\w+) does not exist"),
    Rule::any(r"cannot cast type (?P<function>\w[\w ]*?) to [\w ]+"),
    Rule::any(
        r"Catalog namespace is not supported[^\n]*|requires Unity Catalog[^\n]*|is not compilable[^\n]*|Spectrum nested query error[^\n]*",
    ),
    // What this warehouse (or this table format, edition or version) does not support.
    Rule::any(
        r"(?P<function>[\w' ]{1,60}) (?:is|are) not supported (?:in this (?:edition|version)|for (?:Iceberg|Delta|v2 tables|this table)|by this connector|in Fabric|in this query)[^\n]*|not supported for Iceberg[^\n]*|Iceberg does not support[^\n]*|This connector does not support[^\n]*|nested arrays are not supported[^\n]*|Unsupported Hive type[^\n]*|Nested CTE cannot be used[^\n]*|Type not found: (?P<column>\w+)|DECLARE CURSOR is not supported|is not supported in the \w+ adapter[^\n]*",
    ),
    Rule::any(r"function (?P<function>[\w$.\x22]+)\([^)\n]*\) does not exist"),
    Rule::any(r"Unknown (?:user-defined )?function (?P<function>[\w$.\x22]+)"),
    Rule::any(r"Invalid argument types for function '(?P<function>[^']+)'"),
    Rule::any(r"Function not found: (?P<function>[\w$.]+)"),
    Rule::any(r"No matching signature for (?:aggregate )?function (?P<function>[^\s]+)"),
    // An operator between BigQuery's date/time types, which other warehouses convert on their
    // own (DATETIME vs TIMESTAMP). Between others (STRING vs INT64) it is the model's own
    // mistake: `sql_error`.
    Rule::any(
        r"No matching signature for operator (?P<function>\S+) for argument types:? [^\n]*?(?:DATETIME[^\n]*TIMESTAMP|TIMESTAMP[^\n]*DATETIME|\bDATE\b[^\n]*TIMESTAMP|TIMESTAMP[^\n]*\bDATE\b)",
    ),
    // Operators other engines have and Postgres does not (`==`, MySQL's and Spark's `<=>`).
    Rule::any(r"operator does not exist: [^\n]*?(?P<function>==|<=>)"),
    // Date functions whose argument list differs between warehouses (two-argument DATEDIFF).
    Rule::any(
        r"(?:not enough|too many) arguments for function \[?(?P<function>DATEDIFF|DATEADD|DATE_DIFF|DATE_ADD|DATE_SUB|DATE_TRUNC|DATE_PART|DATEPART|TIMESTAMPDIFF|TIMESTAMPADD|TIMESTAMP_DIFF|DATETIME_DIFF|CONVERT|SPLIT_PART)\b[^\n]*",
    ),
    // A regular expression in another engine's flavour: Unicode classes (`\p{L}`) and
    // look-arounds, which Snowflake's POSIX engine and RE2 lack.
    Rule::any(
        r"Invalid regular expression:? [^\n]*(?:\\p\{|\(\?[=!<])[^\n]*|invalid perl operator: \(\?[=!<][^\n]*",
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
        &[Adapter::Redshift],
        r#"relation "(?P<relation>(?:pg_catalog\.)?pg_\w+)" does not exist"#,
    ),
    Rule::on(
        &[Adapter::Redshift],
        r#"failed to find conversion function from "\w+" to \w+"#,
    ),
    Rule::any(
        r"Specified types or functions \(one per INFO message\) not supported on Redshift tables",
    ),
    // T-SQL has no boolean literals and no `timestamp` date type: SQL written for another warehouse.
    Rule::on(
        &[Adapter::SqlServer],
        r"Invalid column name '(?P<function>True|False|true|false|TRUE|FALSE)'",
    ),
    Rule::on(
        &[Adapter::SqlServer],
        r"Cannot find data type '(?P<function>[^']+)'",
    ),
    // An adapter without a materialization or model language.
    Rule::any(
        r"does not support (?P<function>incremental|python|snapshot|ephemeral|materialized view) models[^\n]*|(?P<function2>Python|Incremental|Snapshot) models are not supported[^\n]*",
    ),
    Rule::any(r"(?P<function>[A-Z][A-Z ]+) not supported in DuckDB-Iceberg[^\n]*"),
    Rule::any(r"is not an implemented feature[^\n]*"),
    Rule::any(r"Function (?P<function>\w+) not registered"),
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

/// Keywords that end a clause and so follow a stray comma or an unclosed bracket: a syntax error
/// at one of them is a mistake in this SQL, not another warehouse's syntax.
const STRUCTURAL: [&str; 23] = [
    "from", "where", "group", "order", "by", "having", "join", "on", "as", "select", "union",
    "and", "or", "then", "else", "end", "when", "in", "not", "is", "null", "inner", "left",
];

/// A syntax error at a keyword (not punctuation, the end of input or a name): the SQL uses a
/// clause or keyword this warehouse (or this version, or this table format) does not have —
/// `WITH` nested in T-SQL, `USING KEY` before DuckDB 1.3, `CREATE OR REPLACE TABLE` on Hive. Returns
/// the keyword, upper-cased, and the quote.
pub(super) fn keyword_syntax_error(message: &str) -> Option<(String, String)> {
    static RE: std::sync::OnceLock<Option<regex_lite::Regex>> = std::sync::OnceLock::new();
    let re = RE
        .get_or_init(|| {
            regex_lite::Regex::new(
                r#"(?i)(?:syntax error at or near ["']([A-Za-z_]+)["']|Incorrect syntax near (?:the keyword )?'([A-Za-z_]+)'|mismatched input '([A-Za-z_]+)'|Syntax error: Unexpected keyword ([A-Za-z_]+)|syntax error [^\n]*?unexpected '([A-Za-z_]+)'|ParseException[^\n]*? near '([A-Za-z_]+)'|Syntax error: failed at position \d+ \('([A-Za-z_]+)'\)|where a condition is expected, near '([A-Za-z_]+)')"#,
            )
            .ok()
        })
        .as_ref()?;
    let caps = re.captures(message)?;
    let word = (1..=8).find_map(|i| caps.get(i))?.as_str();
    let lower = word.to_ascii_lowercase();
    // Only SQL keywords: a lower-case name in quotes is as likely a column or an alias.
    let is_keyword = KEYWORDS.contains(&lower.as_str());
    (is_keyword && !STRUCTURAL.contains(&lower.as_str()))
        .then(|| (word.to_ascii_uppercase(), caps[0].to_string()))
}

/// SQL keywords that some warehouses have and others lack (clauses, DDL words, literals).
const KEYWORDS: [&str; 52] = [
    "with",
    "using",
    "column",
    "table",
    "replace",
    "if",
    "exists",
    "qualify",
    "ilike",
    "top",
    "offset",
    "fetch",
    "except",
    "exclude",
    "pivot",
    "unpivot",
    "lateral",
    "flatten",
    "merge",
    "recursive",
    "interval",
    "array",
    "struct",
    "map",
    "json",
    "variant",
    "object",
    "boolean",
    "true",
    "false",
    "filter",
    "window",
    "returning",
    "conflict",
    "materialized",
    "temporary",
    "transient",
    "cluster",
    "partition",
    "distributed",
    "sortkey",
    "distkey",
    "encode",
    "cascade",
    "rename",
    "alter",
    "delete",
    "update",
    "limit",
    "key",
    "view",
    "within",
];

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
    // Unknown (no manifest, no adapter in the message): the sentences start with it.
    let adapter_name = match a.display_name() {
        "" => "The warehouse",
        name => name,
    };
    match (f.as_str(), &call) {
        ("dateadd" | "date_add" | "timestampadd", Some((written, args))) if args.len() == 3 && !args[0].trim().starts_with(|c: char| c.is_ascii_digit()) && !args[0].contains(' ') => {
            let part = unquote(&args[0]);
            let (n, x) = (&args[1], &args[2]);
            // On PostgreSQL and DuckDB an interval makes a date a timestamp; a number of days
            // added to a date keeps it a date, as Snowflake's DATEADD does.
            let widens = matches!(a.family(), Family::Postgres | Family::DuckDb);
            let note = if widens {
                format!(" (on {adapter_name} it returns a timestamp: wrap it in cast(… as date) where the column must stay a date)")
            } else {
                String::new()
            };
            steps.push(FixStep::run(
                format!("Replace `{written}` with dbt's cross-database macro, which compiles to the right SQL on every warehouse{note}"),
                format!("{{{{ dbt.dateadd('{part}', {n}, '{x}') }}}}"),
            ));
            let days = matches!(part.to_ascii_lowercase().as_str(), "day" | "days" | "dd" | "d");
            if widens && days {
                steps.push(FixStep::run(
                    format!("Or write it in {adapter_name} SQL: days added to a date keep it a date"),
                    format!("({x} + {n})"),
                ));
            } else if let Some(native) = native_dateadd(a.family(), &part, n, x) {
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
            if let Some(native) = native_datediff(a.family(), &part, start, end) {
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
    // The equivalent in words, unless a rewrite of the very call is already given.
    if let Some(eq) = equivalent(&f, a.family()).filter(|_| steps.is_empty()) {
        steps.push(FixStep::say(format!(
            "In {adapter_name}, instead of {}, use {eq}",
            f.to_ascii_uppercase()
        )));
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
    // Trino's Iceberg connector stores timestamps with precision 6, and says so.
    if steps.is_empty() && cx.message.contains("Timestamp precision (3) not supported") {
        steps.push(FixStep::say(
            "The Iceberg connector stores timestamps as timestamp(6), and the SQL makes \
             timestamp(3) ones (dbt's type_timestamp() or current_timestamp): cast to timestamp(6), \
             or override the type for the whole project with a macro in macros/: \
             {% macro trino__type_timestamp() %}timestamp(6){% endmacro %}",
        ));
    }
    // dbt Fusion's static analysis checks every function against what it knows of the
    // warehouse: a user-defined function it was not told about is "No function X".
    if steps.is_empty() && cx.message.contains("dbt0209") && cx.message.contains("No function") {
        let named = cx
            .message
            .split("No function ")
            .nth(1)
            .and_then(|rest| rest.split(|c: char| c.is_whitespace() || c == ':').next())
            .filter(|name| !name.is_empty());
        let udf = match (function.is_empty(), named) {
            (false, _) => format!("`{function}`"),
            (true, Some(name)) => format!("`{name}`"),
            (true, None) => "the function".to_string(),
        };
        steps.push(FixStep::say(format!(
            "dbt Fusion's static analysis does not know {udf} — a user-defined function of the \
             warehouse, made outside the project. Define it in the project (a dbt function in \
             functions/, which Fusion then knows), or turn static analysis off for {} \
             (static_analysis: off in its config) until it is",
            cx.node()
        )));
    }
    if steps.is_empty() {
        if let Some((_, advice)) = LIMITS.iter().find(|(phrase, _)| lower.contains(phrase)) {
            steps.push(FixStep::say(advice.replace("{adapter}", adapter_name)));
        }
    }
    if steps.is_empty() {
        let what = if function.is_empty() {
            "this syntax".to_string()
        } else {
            function.to_string()
        };
        let say = if adapter_name == "The warehouse" {
            format!(
                "The warehouse does not know {what}: look up its equivalent there, or use one of \
                 dbt's cross-database macros ({CROSS_DATABASE_MACROS})"
            )
        } else {
            format!(
                "{adapter_name} does not know {what}: look up its equivalent for {adapter_name}, \
                 or use one of dbt's cross-database macros ({CROSS_DATABASE_MACROS})"
            )
        };
        steps.push(FixStep::say(say));
    }
    steps
}

/// A warehouse's own limits that SQL written elsewhere meets, by a phrase of its message
/// (lower case), with what to write instead. `{adapter}` is the adapter's name.
const LIMITS: &[(&str, &str)] = &[
    (
        "from keyword not found where expected",
        "Oracle needs a FROM clause in every SELECT: a select of constants reads from DUAL \
         (`select 1 as id from dual`); a package macro that does not, needs an oracle__ override",
    ),
    (
        "subquery in from must have an alias",
        "PostgreSQL before 16 requires an alias on every subquery in FROM: write \
         `from (select …) as sub`",
    ),
    (
        "no column name was specified for column",
        "T-SQL requires a name for every column of a derived table or view: alias each \
         expression (`select 1 as one`); in a package's macro, a sqlserver__/fabric__ override does it",
    ),
    (
        "do not support integer indices as order by",
        "T-SQL does not take a column number in a window's ORDER BY: order by the expression \
         itself, or by (select null) where any order will do",
    ),
    (
        "does not support dynamic overwrite",
        "insert_overwrite replaces partitions only on a file format that supports it: set \
         file_format='delta' (or 'parquet') on the model, or use the merge strategy",
    ),
    (
        "correlated subquery pattern is not supported",
        "Redshift cannot run this correlated subquery: rewrite it as a join to an aggregated \
         subquery or a window function",
    ),
    (
        "schema must be 'main' when writing to sqlite",
        "An attached SQLite database has only the schema main: set schema='main' for the \
         models written there",
    ),
    (
        "invalid datetime part",
        "{adapter} does not take this date part: use one it lists (day, week, month, quarter, \
         year …), or dbt.date_trunc with a part every warehouse knows",
    ),
    (
        "invalid number of arguments for function",
        "{adapter}'s version of this function takes another number of arguments (the message \
         says how many): write the call for {adapter}, or dispatch the package macro that \
         generated it to an adapter-specific version",
    ),
    (
        "mismatched input ':'",
        "Spark SQL reads `::` as an error: write CAST(expression AS type)",
    ),
];

/// dbt's macros that compile to each warehouse's own SQL.
const CROSS_DATABASE_MACROS: &str = "dbt.dateadd, dbt.datediff, dbt.concat, dbt.safe_cast, \
     dbt.split_part, dbt.listagg, dbt.date_trunc …";

fn native_dateadd(a: Family, part: &str, n: &str, x: &str) -> Option<String> {
    Some(match a {
        Family::Postgres => format!("({x} + ({n}) * interval '1 {part}')"),
        Family::DuckDb => format!("({x} + ({n}) * INTERVAL 1 {})", part.to_ascii_uppercase()),
        Family::BigQuery => format!("DATE_ADD({x}, INTERVAL {n} {})", part.to_ascii_uppercase()),
        Family::Trino => format!("date_add('{part}', {n}, {x})"),
        Family::Snowflake | Family::Redshift | Family::TSql => {
            format!("DATEADD({part}, {n}, {x})")
        }
        Family::Spark => format!("timestampadd({}, {n}, {x})", part.to_ascii_uppercase()),
        Family::ClickHouse => format!("date_add({}, {n}, {x})", part.to_ascii_uppercase()),
        Family::Oracle if part.starts_with('d') => format!("({x} + ({n}))"),
        Family::Oracle if part.starts_with("mon") => format!("ADD_MONTHS({x}, {n})"),
        _ => return None,
    })
}

fn native_datediff(a: Family, part: &str, start: &str, end: &str) -> Option<String> {
    Some(match a {
        Family::Postgres if part.starts_with('d') => format!("({end}::date - {start}::date)"),
        Family::DuckDb => format!("date_diff('{part}', {start}, {end})"),
        Family::BigQuery => format!("DATE_DIFF({end}, {start}, {})", part.to_ascii_uppercase()),
        Family::Trino => format!("date_diff('{part}', {start}, {end})"),
        Family::Snowflake | Family::Redshift | Family::TSql => {
            format!("DATEDIFF({part}, {start}, {end})")
        }
        Family::Spark => format!(
            "timestampdiff({}, {start}, {end})",
            part.to_ascii_uppercase()
        ),
        Family::ClickHouse => format!("dateDiff('{part}', {start}, {end})"),
        Family::Oracle if part.starts_with('d') => {
            format!("(CAST({end} AS DATE) - CAST({start} AS DATE))")
        }
        Family::Oracle if part.starts_with("mon") => format!("MONTHS_BETWEEN({end}, {start})"),
        _ => return None,
    })
}

/// Functions that are another warehouse's (Snowflake's `dateadd`, BigQuery's `date_add(…, INTERVAL)`,
/// MySQL's `ifnull`): Postgres reports a call to one as `pg_catalog.<name>(…) does not exist`
/// when it has a function of that name with other arguments, and that is still a dialect matter.
pub(super) fn is_foreign_function(name: &str) -> bool {
    const FOREIGN: [&str; 24] = [
        "dateadd",
        "date_add",
        "datediff",
        "date_diff",
        "timestampadd",
        "timestampdiff",
        "datetime_diff",
        "timestamp_diff",
        "iff",
        "nvl",
        "nvl2",
        "ifnull",
        "listagg",
        "group_concat",
        "to_varchar",
        "getdate",
        "sysdate",
        "charindex",
        "len",
        "convert_timezone",
        "try_cast",
        "safe_cast",
        "parse_json",
        "array_contains",
    ];
    FOREIGN.contains(&name.trim_matches('"').to_ascii_lowercase().as_str())
}

/// What to write instead of a function the adapter lacks, for the common cases.
fn equivalent(function: &str, a: Family) -> Option<&'static str> {
    Some(match (function, a) {
        ("dateadd", Family::Postgres) => {
            "date arithmetic with intervals: x + interval '1 day' (or dbt.dateadd)"
        }
        ("dateadd", Family::BigQuery) => {
            "DATE_ADD(x, INTERVAL n DAY) / TIMESTAMP_ADD (or dbt.dateadd)"
        }
        ("dateadd", Family::DuckDb) => {
            "x + INTERVAL n DAY, or date_add(x, INTERVAL n DAY) (or dbt.dateadd)"
        }
        ("dateadd", Family::Trino) => "date_add('day', n, x) (or dbt.dateadd)",
        ("date_add", Family::Snowflake | Family::Redshift | Family::TSql) => {
            "DATEADD(day, n, x) (or dbt.dateadd)"
        }
        ("date_add", Family::Postgres) => "x + interval '1 day' (or dbt.dateadd)",
        ("datediff", Family::Postgres) => {
            "end::date - start::date for days, or date_part on age() (or dbt.datediff)"
        }
        ("datediff", Family::BigQuery) => "DATE_DIFF(end, start, DAY) (or dbt.datediff)",
        ("date_diff", Family::Snowflake | Family::Redshift | Family::TSql) => {
            "DATEDIFF(day, start, end) (or dbt.datediff)"
        }
        ("iff", _) => "CASE WHEN condition THEN a ELSE b END (BigQuery: IF(condition, a, b))",
        ("nvl" | "ifnull" | "isnull", _) => "COALESCE(a, b)",
        ("listagg", Family::Postgres | Family::DuckDb | Family::BigQuery) => {
            "STRING_AGG(x, ',') (or dbt.listagg)"
        }
        ("string_agg", Family::Snowflake | Family::Redshift) => "LISTAGG(x, ',') (or dbt.listagg)",
        ("group_concat", _) => "STRING_AGG/LISTAGG (or dbt.listagg)",
        ("to_varchar" | "to_char", Family::BigQuery) => "CAST(x AS STRING) or FORMAT_DATE",
        ("to_varchar", _) => "CAST(x AS VARCHAR)",
        ("getdate" | "sysdate" | "now" | "systimestamp", _) => "{{ dbt.current_timestamp() }}",
        ("split_part", Family::BigQuery) => {
            "SPLIT(x, delimiter)[SAFE_OFFSET(n - 1)] (or dbt.split_part)"
        }
        ("try_cast", Family::Postgres | Family::Redshift) => {
            "a CASE with a pattern check before CAST (there is no TRY_CAST), or dbt.safe_cast"
        }
        ("try_cast", Family::BigQuery) => "SAFE_CAST(x AS type)",
        ("safe_cast", _) => "TRY_CAST(x AS type) (or dbt.safe_cast)",
        ("len", Family::Postgres | Family::BigQuery | Family::DuckDb | Family::Snowflake) => {
            "LENGTH(x)"
        }
        ("charindex", Family::Postgres | Family::BigQuery | Family::DuckDb) => {
            "STRPOS(x, substring)"
        }
        ("date_trunc", Family::BigQuery) => {
            "DATE_TRUNC(x, MONTH) — BigQuery takes the part second (or dbt.date_trunc)"
        }
        ("convert_timezone", _) => {
            "the adapter's time zone function (AT TIME ZONE in PostgreSQL/DuckDB), or dbt_date"
        }
        ("array_size", Family::Postgres) => "cardinality(x) or array_length(x, 1)",
        ("regexp_like", Family::Postgres) => "x ~ 'pattern'",
        // T-SQL has no boolean literals.
        ("true", Family::TSql) => {
            "1 (CAST(1 AS BIT)); in a condition, a comparison such as flag = 1"
        }
        ("false", Family::TSql) => {
            "0 (CAST(0 AS BIT)); in a condition, a comparison such as flag = 0"
        }
        _ => return None,
    })
}
