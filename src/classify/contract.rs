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
    Rule::any(r"This model has an enforced contract that failed"),
    Rule::any(
        r"This model has an enforced contract,? and its '?columns'? specification is missing",
    ),
    Rule::any(r"Contract Error[^\n]*"),
    Rule::any(
        r"ensure the name, data_type,? (?:order, )?and number of columns in your (?:contract|`?yml`? file)",
    ),
    Rule::any(r"Contracted models? require data_type to be defined[^\n]*"),
];

use super::fix::{FixContext, FixStep};

pub(super) fn fix(cx: &FixContext<'_>) -> Vec<FixStep> {
    let node = cx.node();
    vec![
        FixStep::say(format!(
            "dbt's message lists each column whose name or type differs between {node}'s contract \
             (its YAML columns) and its SQL: cast the SQL's columns to the contracted types, or \
             change the contract if the change is intended (a breaking change for its consumers — \
             consider a new model version)"
        )),
        FixStep::run(
            format!("See the columns and types {node}'s SQL returns now"),
            format!("dbt show --select {node} --limit 1{}", cx.target_flag()),
        ),
    ]
}
