//! `schema_drift`: an incremental model's existing table no longer matches its SQL.
//!
//! # What it looks like
//! `Compilation Error in model orders_incremental (models/marts/orders_incremental.sql)`
//! `  The source and target schemas on this incremental model are out of sync!`
//!
//! # Why dbt fails
//! An incremental run inserts or merges into the table built earlier. When the SQL gained or lost
//! columns, `on_schema_change: fail` stops the run, and with the default `ignore` the warehouse
//! rejects the insert (wrong column count, unknown column of the target).
//!
//! # What to do
//! Rebuild the table: `dbt run --full-refresh --select <model>`, then run its descendants; or
//! set `on_schema_change: append_new_columns` / `sync_all_columns` so future changes apply
//! themselves.

use super::{is_incremental, Adapter, Rule};

pub(super) const RULES: &[Rule] = &[
    Rule::any(r"source and target schemas on this incremental model are out of sync"),
    Rule::any(
        r"schema mismatch detected when writing to the Delta table|\[DELTA_[A-Z_]*SCHEMA_MISMATCH[^\]]*\][^\n]*",
    ),
    // dbt's temporary relation of an incremental run names the case even without the config.
    Rule::any(
        r#"column "?(?P<column>[\w$]+)"? does not exist in (?P<relation>[\w$]+__dbt_tmp\w*)"#,
    ),
    // dbt writes INSERTs of a model's own columns almost only in incremental runs.
    Rule::on(
        &[Adapter::Snowflake, Adapter::BigQuery],
        r"Insert value list does not match column list[^\n]*|Inserted row has wrong column count[^\n]*",
    ),
    // The warehouse's own words when an incremental insert/merge meets the old table.
    Rule::when(
        r#"column "?(?P<column>[\w$]+)"? of relation "?(?P<relation>[\w$.]+)"? does not exist"#,
        is_incremental,
    ),
    Rule::when(
        r"Insert value list does not match column list[^\n]*|INSERT has more (?:expressions|target columns) than[^\n]*|Inserted row has wrong column count[^\n]*|has \d+ columns but \d+ values were supplied|\[INSERT_COLUMN_ARITY_MISMATCH[^\]]*\][^\n]*|Column count doesn't match|number of columns (?:does not|doesn't) match[^\n]*|Query column \d+ has type \w+ which cannot be inserted into column (?P<column>\w+)",
        is_incremental,
    ),
    Rule::when(
        r"invalid identifier '(?P<column>[^']+)'",
        is_incremental_merge,
    ),
    Rule::when(
        r"Name (?P<column>\w+) not found inside DBT_INTERNAL_(?:SOURCE|DEST)",
        is_incremental,
    ),
    // A snapshot's table no longer has the meta columns dbt writes, or their types.
    Rule::any(
        r"Snapshot target (?:is missing configured columns|is not a snapshot table)[^\n]*|Data type of snapshot table [^\n]*does not match[^\n]*",
    ),
    // BigQuery and Delta refusing to change a table's columns on write.
    Rule::any(
        r"Invalid schema update[^\n]*|Provided Schema does not match Table[^\n]*|Failed to merge fields[^\n]*|has changed type from \w+ to \w+",
    ),
    // An INSERT dbt generated (incremental, snapshot, seed) meets a table with other columns.
    Rule::any(
        r#"Insert data column count does not match[^\n]*|Column name/value mismatch for insert[^\n]*|expected \d+ columns but \d+ values were supplied|has \d+ columns but \d+ values were supplied|"?(?P<column>\w+)__dbt_alter"? is of type[^\n]*"#,
    ),
];

fn is_incremental_merge(ctx: &super::Context<'_>, message: &str) -> bool {
    is_incremental(ctx, message) && message.to_ascii_uppercase().contains("DBT_INTERNAL_")
}

use super::fix::{FixContext, FixStep};

pub(super) fn fix(cx: &FixContext<'_>) -> Vec<FixStep> {
    let node = cx.node();
    let cmd = if cx.command == "build" {
        "build"
    } else {
        "run"
    };
    vec![
        FixStep::run(
            format!("Rebuild {node}'s table from scratch so it takes the SQL's new columns (this reprocesses all its history)"),
            format!("dbt {cmd} --full-refresh --select {node}{}", cx.target_flag()),
        ),
        FixStep::say(format!(
            "To let future column changes apply themselves, set on_schema_change in {node}'s config: \
             'append_new_columns' (add new columns) or 'sync_all_columns' (add and remove)"
        )),
    ]
}
