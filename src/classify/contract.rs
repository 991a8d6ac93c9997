//! `contract`: an enforced model contract does not match the SQL's columns or types.
//!
//! # What it looks like
//! `Compilation Error in model dim_customers (models/marts/dim_customers.sql)`
//! `  This model has an enforced contract that failed.`
//! `  Please ensure the name, data_type, and number of columns in your contract match the columns in your model's definition.`
//!
//! # Why dbt fails
//! With `contract: {enforced: true}` dbt compares the columns the SQL returns with the YAML's
//! `columns:` (names, types, count) before building, and refuses to build on any difference.
//!
//! # What to do
//! Make the SQL return exactly the contracted columns and types (cast them), or change the
//! contract in the model's YAML when the change is intended — a contract change is a breaking
//! change for consumers, so version the model (`versions:`) if others depend on it.

use super::Rule;

pub(super) const RULES: &[Rule] = &[
    // Constraints on a materialization that cannot carry them; the mismatch table alone.
    Rule::any(
        r"Constraint validation failed[^\n]*|materializations are supported for constraints[^\n]*",
    ),
    Rule::any(
        r"\|\s*column_name\s*\|\s*definition_type\s*\|\s*contract_type\s*\|\s*mismatch_reason",
    ),
    // dbt checks a contracted model's YAML before anything runs.
    Rule::any(r"not allowed on contracted models[^\n]*"),
    // dbt 1.5+ checks a contract with `cast(null as <data_type>)`: a type the warehouse cannot
    // read there is the contract's `data_type`.
    Rule::any(r#"syntax error at or near "[^"\n]*"\s*\n\s*LINE \d+:\s*cast\(null as [^)\n]*\)"#),
    // A contracted column without `data_type` (dbt 1.5–1.6 printed only the KeyError).
    Rule::any(r"Unhandled error while executing\s*\n\s*'data_type'"),
    Rule::any(r"This model has an enforced contract that failed"),
    Rule::any(
        r"This model has an enforced contract,? and its '?columns'? specification is missing",
    ),
    Rule::any(r"Contract Error[^\n]*"),
    Rule::any(
        r"ensure the name, data_type,? (?:order, )?and number of columns in your (?:contract|`?yml`? file)",
    ),
    Rule::any(r"Contracted models? require data_type to be defined[^\n]*"),
    Rule::any(r"Cannot create the primary key [^\n]* is nullable[^\n]*"),
    // The warehouse refused the column list dbt built from the enforced contract (its macros
    // are in the message's Jinja frames).
    Rule::any(r"[^\n]*\n(?:[^\n]*\n)*?[^\n]*macros/relations/column/columns_spec_ddl\.sql"),
];

use super::fix::{FixContext, FixStep};

/// One row of dbt's contract mismatch table:
/// `| lifetime_revenue | DECIMAL(18,2) |               | missing in contract |`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Mismatch {
    pub column: String,
    pub sql_type: String,
    pub contract_type: String,
    pub reason: String,
}

/// The rows of the mismatch table in dbt's message (dbt ≥ 1.5), header and rule lines left out.
pub(super) fn mismatches(message: &str) -> Vec<Mismatch> {
    message
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with('|') && l.ends_with('|'))
        .filter_map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            if cells.len() != 4 || cells[0] == "column_name" || cells[0].starts_with('-') {
                return None;
            }
            Some(Mismatch {
                column: cells[0].to_string(),
                sql_type: cells[1].to_string(),
                contract_type: cells[2].to_string(),
                reason: cells[3].to_string(),
            })
        })
        .collect()
}

/// The line of the compiled SQL that names `column` as an alias, and the expression before it:
/// `cast(lifetime_value as decimal(18, 2)) as lifetime_revenue,` → that line and
/// `cast(lifetime_value as decimal(18, 2))`.
fn alias_line(sql: &str, column: &str) -> Option<(String, String)> {
    sql.lines().find_map(|l| {
        let t = l.trim().trim_end_matches(',');
        let lower = t.to_ascii_lowercase();
        let suffix = format!(" as {}", column.to_ascii_lowercase());
        let expr = lower.strip_suffix(&suffix).map(|e| t[..e.len()].trim())?;
        (!expr.is_empty()).then(|| (t.to_string(), expr.to_string()))
    })
}

pub(super) fn fix(cx: &FixContext<'_>) -> Vec<FixStep> {
    let node = cx.node();
    let rows = mismatches(cx.message);
    let only_sql: Vec<&Mismatch> = rows
        .iter()
        .filter(|m| m.reason.contains("missing in contract"))
        .collect();
    let only_contract: Vec<&Mismatch> = rows
        .iter()
        .filter(|m| m.reason.contains("missing in definition"))
        .collect();
    let mut steps = Vec::new();
    if let ([sql], [contract]) = (only_sql.as_slice(), only_contract.as_slice()) {
        // The SQL's column is an alias (`… as lifetime_revenue`): the expression keeps, the alias
        // changes. `lifetime_revenue as lifetime_value` would read a column no relation has.
        let aliased = cx
            .compiled_code
            .and_then(|sql_text| alias_line(sql_text, &sql.column));
        match aliased {
            Some((line, expression)) => steps.push(FixStep::run(
                format!(
                    "{node}'s SQL returns {} where its contract names {}: in {} change `{line}` to \
                     this (or, if the new name is intended, change the contract — a breaking change \
                     for its consumers)",
                    sql.column,
                    contract.column,
                    cx.original_file.unwrap_or("the model's SQL")
                ),
                format!("{expression} as {}", contract.column),
            )),
            None => steps.push(FixStep::run(
                format!(
                    "{node}'s SQL returns {} where its contract names {}: rename it in the SQL (or \
                     change the contract if the new name is intended — a breaking change for \
                     consumers)",
                    sql.column, contract.column
                ),
                format!("{} as {}", sql.column, contract.column),
            )),
        }
    } else {
        for m in &only_sql {
            steps.push(FixStep::say(format!(
                "{node}'s SQL returns {} ({}), which the contract does not list: add it to the \
                 contract or drop it from the SQL",
                m.column, m.sql_type
            )));
        }
        for m in &only_contract {
            steps.push(FixStep::say(format!(
                "The contract lists {} ({}), which {node}'s SQL does not return",
                m.column, m.contract_type
            )));
        }
    }
    for m in rows.iter().filter(|m| m.reason.contains("type")) {
        steps.push(type_step(cx, m));
    }
    if rows.is_empty() {
        steps.extend(without_table(cx));
    }
    steps
}

/// One column whose type differs: cast it in the SQL, or — when only the spelling differs —
/// write the type in the contract as the warehouse spells it.
fn type_step(cx: &FixContext<'_>, m: &Mismatch) -> FixStep {
    if m.sql_type.eq_ignore_ascii_case(&m.contract_type) {
        return FixStep::say(format!(
            "{} is {} in the SQL and {} in the contract — the same type, spelt otherwise: write \
             `data_type: {}` in the contract, exactly as the warehouse spells it (dbt compares the \
             names as text)",
            m.column, m.sql_type, m.contract_type, m.sql_type
        ));
    }
    let cast_to = sql_type_name(cx, &m.contract_type);
    FixStep::run(
        format!(
            "{} is {} in the SQL but {} in the contract: cast it",
            m.column, m.sql_type, m.contract_type
        ),
        format!("cast({} as {cast_to}) as {}", m.column, m.column),
    )
}

/// The name a cast takes for a type as dbt's table prints it: Snowflake reports NUMBER as FIXED,
/// FLOAT as REAL and VARCHAR as TEXT, which no cast accepts.
fn sql_type_name(cx: &FixContext<'_>, reported: &str) -> String {
    let lower = reported.to_ascii_lowercase();
    if cx.adapter().family() != crate::adapter::Family::Snowflake {
        return lower;
    }
    match lower.as_str() {
        "fixed" => "number".to_string(),
        "real" => "float".to_string(),
        "text" => "varchar".to_string(),
        _ => lower,
    }
}

/// dbt's message without its mismatch table: the other ways a contract fails.
fn without_table(cx: &FixContext<'_>) -> Vec<FixStep> {
    let node = cx.node();
    let m = cx.message;
    if let Some(columns) = bracketed_after(m, "for the [") {
        return vec![FixStep::say(format!(
            "{node}'s contract lists {columns} without a data_type: an enforced contract needs \
             `data_type:` on every column in the YAML"
        ))];
    }
    if let Some(kind) = m
        .split_once("cast(null as ")
        .and_then(|(_, r)| r.split_once(')'))
        .map(|(t, _)| t.trim().to_string())
    {
        return vec![FixStep::say(format!(
            "dbt checks an enforced contract with `cast(null as <data_type>)`, and the warehouse \
             does not read `{kind}` as a type: write the contract's data_type as this warehouse \
             spells the full type ({})",
            full_type_example(cx)
        ))];
    }
    if let Some((_, sql)) = m.split_once("SQL File Columns:") {
        let schema_empty = m.split_once("Schema File Columns:").is_some_and(|(_, r)| {
            r.split("SQL File Columns:")
                .next()
                .unwrap_or(r)
                .trim()
                .is_empty()
        });
        let columns = sql.lines().next().unwrap_or_default().trim();
        if schema_empty && !columns.is_empty() {
            let yaml: Vec<String> = columns
                .split(", ")
                .filter_map(|c| c.split_once(' '))
                .map(|(name, t)| {
                    format!(
                        "  - name: {name}\n    data_type: {}",
                        t.to_ascii_lowercase()
                    )
                })
                .collect();
            return vec![FixStep::say(format!(
                "{node}'s YAML lists no columns, and an enforced contract compares them all: add \
                 them under `columns:` as its SQL returns them:\n{}",
                yaml.join("\n")
            ))];
        }
    }
    let mut steps = vec![FixStep::say(format!(
        "The message is cut before dbt's table of mismatched columns (name, the SQL's type, the \
         contract's type, the reason): rerun {node} and read the table in the log, then make the \
         SQL and the YAML's columns agree"
    ))];
    if cx.adapter().family() == crate::adapter::Family::BigQuery {
        steps.push(FixStep::say(
            "For STRUCT columns, BigQuery contracts declare the top-level column with its whole \
             type (`data_type: struct<a string, b int64>`), or each nested field by its dotted \
             name (`parent.child`) — not both",
        ));
    }
    steps
}

/// `… for the ['tool', 'id'] column(s)` → `tool, id`.
fn bracketed_after(message: &str, marker: &str) -> Option<String> {
    let (_, rest) = message.split_once(marker)?;
    let (list, _) = rest.split_once(']')?;
    let names: Vec<&str> = list
        .split(',')
        .map(|n| n.trim().trim_matches(|c| c == '\'' || c == '"'))
        .filter(|n| !n.is_empty())
        .collect();
    (!names.is_empty()).then(|| names.join(", "))
}

fn full_type_example(cx: &FixContext<'_>) -> &'static str {
    use crate::adapter::Family;
    match cx.adapter().family() {
        Family::Postgres | Family::Redshift => "`text[]`, `integer[]`",
        Family::BigQuery => "`array<string>`, `struct<a int64>`",
        Family::Snowflake => "`array`, `object`, `variant`",
        Family::Spark => "`array<string>`, `map<string,int>`",
        Family::DuckDb => "`varchar[]`, `struct(a integer)`",
        _ => "with its element type, e.g. an array of text",
    }
}
