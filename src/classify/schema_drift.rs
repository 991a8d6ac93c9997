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
    // BigQuery: the existing table is partitioned otherwise than the model now says.
    Rule::any(r"Incompatible table partitioning specification[^\n]*"),
    // ClickHouse: a materialized view's SELECT no longer matches its TO table.
    Rule::any(
        r"SELECT query outputs column with name '(?P<column>[^']+)', which is not found in the target table",
    ),
    // Only an insert into an existing table (an incremental model, a snapshot, a seed's reload)
    // meets a column whose type differs from what the SQL selects; a new table takes the SQL's.
    Rule::any(r#"column "(?P<column>[^"]+)" is of type [^\n]+ but expression is of type [^\n]+"#),
    // The existing table's partitioning or sort key no longer matches the model's config.
    Rule::any(r"Cannot replace a table with a different partitioning spec[^\n]*"),
    Rule::any(r#"cannot drop sortkey column "?(?P<column>[^"\s]+)"?"#),
    // Appending to an existing table whose columns the query no longer matches.
    Rule::any(r"(?:too many|not enough) data columns[^\n]*"),
    // ClickHouse's NO_SUCH_COLUMN_IN_TABLE comes from an insert (a select says UNKNOWN_IDENTIFIER).
    Rule::on(
        &[Adapter::ClickHouse],
        r"No such column (?P<column>\w+) in table[^\n]*",
    ),
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
    // A seed loads into the table an earlier `dbt seed` made: a column its CSV no longer has
    // (or newly has) is the table out of date, rebuilt with `dbt seed --full-refresh`.
    Rule::when(
        r#"column "?(?P<column>[\w$]+)"? of relation "?(?P<relation>[\w$.]+)"? does not exist|invalid identifier '?(?P<column2>[\w$]+)'?|Invalid column name '(?P<column3>[^']+)'|Unrecognized name: (?P<column4>\w+)|does not have a column (?:named|with name) "?(?P<column5>\w+)"?"#,
        is_seed,
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
    // An insert whose columns no longer match the incremental target (Spark, Hive).
    Rule::any(
        r"requires that the data to be inserted have the same number of columns as the target table[^\n]*",
    ),
    // Snowflake refusing the type change `sync_all_columns` asked for.
    Rule::any(r"cannot change column (?P<column>\S+) from type[^\n]*"),
    // Any failure inside dbt's schema-change handling of an incremental model.
    Rule::any(
        r"called by macro (?:sync_column_schemas|check_for_schema_changes|process_schema_changes)\b[^\n]*",
    ),
];

/// The node is a seed: the context says so, or dbt's wrapper does (`Database Error in seed x`).
fn is_seed(ctx: &super::Context<'_>, message: &str) -> bool {
    ctx.resource_type == Some("seed") || message.contains(" Error in seed ")
}

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
    // A snapshot's table is no incremental model's: on_schema_change and --full-refresh do not
    // apply to it, and rebuilding it loses the history it exists to keep.
    if cx.resource_type == Some("snapshot") || cx.message.contains("Snapshot target") {
        return vec![FixStep::say(format!(
            "{node}'s table lacks the columns dbt's snapshots keep (dbt_scd_id, dbt_valid_from, \
             dbt_valid_to, or the names its snapshot_meta_column_names config sets): a table of \
             that name was made by something else, or the config's column names changed. Point \
             the snapshot at a new table (its alias or target schema), or rename the old columns \
             to the configured names — dropping the table loses the history it keeps, and \
             --full-refresh does not apply to snapshots"
        ))];
    }
    let node_ctx = super::Context {
        resource_type: cx.resource_type,
        ..super::Context::default()
    };
    if is_seed(&node_ctx, cx.message) {
        return vec![
            FixStep::say(format!(
                "{node}'s CSV no longer has the columns of the table an earlier `dbt seed` made \
                 (a column renamed, added or dropped in the file): check the header for a typo, \
                 then rebuild the table from the file"
            )),
            FixStep::run(
                format!("Rebuild {node}'s table from its CSV (drops and reloads it)"),
                format!(
                    "dbt seed --full-refresh --select {node}{}",
                    cx.target_flag()
                ),
            ),
        ];
    }
    let mut steps = Vec::new();
    // dbt says which columns the table lacks: `Source columns not in target: [Column(column='x',
    // dtype='BOOLEAN', …)]`. Adding them keeps the table's history; old rows get NULL.
    let added = new_columns(cx.message);
    match (cx.relation_name, added.is_empty()) {
        (Some(relation), false) => {
            for (column, dtype) in &added {
                steps.push(FixStep::run(
                    format!(
                        "Add the new column {column} to {node}'s table (its rows so far get NULL), then \
                         run {node} as usual"
                    ),
                    format!(
                        "alter table {relation} add column {} {};",
                        cx.adapter().quote(column),
                        dtype.to_ascii_lowercase()
                    ),
                ));
            }
        }
        (None, false) => {
            let list: Vec<String> = added.iter().map(|(c, t)| format!("{c} {t}")).collect();
            steps.push(FixStep::say(format!(
                "Add the new columns to {node}'s table (its rows so far get NULL): {}",
                list.join(", ")
            )));
        }
        _ => {}
    }
    // "Or" only after a first way to fix it.
    let lead = if steps.is_empty() { "Set" } else { "Or set" };
    steps.push(FixStep::say(format!(
        "{lead} on_schema_change='append_new_columns' in {node}'s config (or 'sync_all_columns' \
         to also drop removed ones): the next run changes the table itself, this one included"
    )));
    steps.push(FixStep::run(
        format!(
            "Or rebuild {node}'s table from scratch — this drops the table and reprocesses all of \
             its history, so only when the history must be backfilled"
        ),
        format!(
            "dbt {cmd} --full-refresh --select {node}{}",
            cx.target_flag()
        ),
    ));
    steps
}

/// `Source columns not in target: [DuckDBColumn(column='is_return', dtype='BOOLEAN', …)]` →
/// `[("is_return", "BOOLEAN")]`.
fn new_columns(message: &str) -> Vec<(String, String)> {
    let Some(at) = message.find("Source columns not in target:") else {
        return Vec::new();
    };
    let line = message[at..].lines().next().unwrap_or_default();
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(c) = rest.find("column='") {
        rest = &rest[c + "column='".len()..];
        let Some((column, after)) = rest.split_once('\'') else {
            break;
        };
        let dtype = after
            .split_once("dtype='")
            .and_then(|(_, d)| d.split_once('\''))
            .map(|(d, _)| d.to_string());
        if let Some(dtype) = dtype {
            out.push((column.to_string(), dtype));
        }
        rest = after;
    }
    out
}
