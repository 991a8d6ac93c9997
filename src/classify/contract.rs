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
        steps.push(FixStep::run(
            format!(
                "{} is {} in the SQL but {} in the contract: cast it",
                m.column, m.sql_type, m.contract_type
            ),
            format!(
                "cast({} as {}) as {}",
                m.column,
                m.contract_type.to_ascii_lowercase(),
                m.column
            ),
        ));
    }
    if steps.is_empty() {
        steps.push(FixStep::say(format!(
            "dbt's message lists each column whose name or type differs between {node}'s contract \
             (its YAML columns) and its SQL: make them match"
        )));
    }
    steps.push(FixStep::run(
        format!("See the columns and types {node}'s SQL returns now"),
        format!("dbt show --select {node} --limit 1{}", cx.target_flag()),
    ));
    steps
}
