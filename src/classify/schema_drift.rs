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

/// `Name X not found inside snapshotted_data`, `invalid identifier 'SNAPSHOTTED_DATA.X'`: the
/// column a snapshot's query now has and its table lacks.
fn snapshot_lacks_column(cx: &FixContext<'_>) -> Option<String> {
    let lower = cx.message.to_ascii_lowercase();
    if !lower.contains("snapshotted_data") {
        return None;
    }
    let named = cx.ev().column.clone().or_else(|| {
        regex_lite::Regex::new(
            r"(?i)Name (\w+) not found inside snapshotted_data|snapshotted_data\.(\w+)",
        )
        .ok()?
        .captures(cx.message)
        .and_then(|c| c.get(1).or_else(|| c.get(2)))
        .map(|m| m.as_str().to_string())
    })?;
    let column = named
        .rsplit('.')
        .next()
        .unwrap_or(named.as_str())
        .to_string();
    Some(column)
}

pub(super) fn fix(cx: &FixContext<'_>) -> Vec<FixStep> {
    let node = cx.node();
    let cmd = if cx.command == "build" {
        "build"
    } else {
        "run"
    };
    // A snapshot's table is no incremental model's: on_schema_change and --full-refresh do not
    // apply to it, and rebuilding it loses the history it exists to keep.
    if let Some(column) = snapshot_lacks_column(cx) {
        return vec![FixStep::say(format!(
            "{node}'s snapshot table has no column {column}, which its query (or check_cols) \
             now has: dbt reads the existing rows (snapshotted_data) before it adds new columns. \
             Add the column to the snapshot table by hand (ALTER TABLE <the snapshot table> ADD \
             COLUMN {column} <its type>; old rows keep null) and rerun the snapshot — dropping \
             the table loses the history it keeps, and --full-refresh does not apply to snapshots"
        ))];
    }
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
    let mut drift = Drift::read(cx.message, &cx.ev());
    if drift.layout {
        return layout_steps(cx, cmd);
    }
    let mut steps = Vec::new();
    if cx.message.contains("HIVE_PARTITION_SCHEMA_MISMATCH") {
        steps.push(FixStep::say(
            "Athena keeps a schema per partition and an old partition declares the column with \
             another type than the table: cast the column in the SQL to the table's type, so new \
             partitions match, and rewrite the old ones (the --full-refresh below, or drop those \
             partitions)",
        ));
        drift.retyped.clear();
    }
    steps.extend(retyped_steps(cx, &drift.retyped));
    steps.extend(added_steps(cx, &drift.added));
    if !drift.removed.is_empty() {
        steps.push(FixStep::say(format!(
            "{node}'s SQL no longer returns {}, which its table has: with \
             on_schema_change='append_new_columns' the table keeps them (new rows get NULL), with \
             'sync_all_columns' they are dropped with their data — or select them again if that \
             was a mistake",
            drift.removed.join(", ")
        )));
        if cx
            .message
            .contains("Delta format required for dropping columns")
        {
            steps.push(FixStep::say(
                "Delta drops columns only with column mapping: for 'sync_all_columns' set \
                 tblproperties={'delta.columnMapping.mode': 'name', 'delta.minReaderVersion': '2', \
                 'delta.minWriterVersion': '5'} in the model's config, or use 'append_new_columns'",
            ));
        }
    }
    if let Some(count) = drift.count {
        steps.push(count_step(node, count));
    }
    if steps.is_empty() && drift.is_unknown() {
        steps.push(FixStep::say(format!(
            "Set on_schema_change='append_new_columns' in {node}'s config (or 'sync_all_columns' \
             to also drop removed ones): the next run changes the table itself, this one \
             included{}",
            fail_today(cx)
        )));
    }
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

/// What the message says changed between the table and the SQL.
#[derive(Debug, Default, PartialEq, Eq)]
struct Drift {
    /// Columns the SQL returns and the table lacks, with their type when dbt printed it.
    added: Vec<(String, Option<String>)>,
    /// Columns the table has and the SQL no longer returns.
    removed: Vec<String>,
    /// Columns whose type differs: (column, the table's type, the SQL's type).
    retyped: Vec<(String, Option<String>, Option<String>)>,
    /// How many columns the SQL returns and the table has, when the warehouse counted.
    count: Option<Count>,
    /// The table's partitioning or sort key differs: on_schema_change never changes it.
    layout: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Count {
    /// The SQL's and the table's numbers of columns.
    Numbers(usize, usize),
    /// The SQL returns more columns than the table has (`true`) or fewer.
    More(bool),
}

impl Drift {
    fn read(message: &str, ev: &super::Evidence) -> Drift {
        let mut d = Drift {
            added: listed(message, "Source columns not in target:"),
            removed: listed(message, "Target columns not in source:")
                .into_iter()
                .map(|(c, _)| c)
                .collect(),
            retyped: new_types(message),
            count: count(message),
            layout: [
                "partitioning spec",
                "sortkey column",
                "HIVE_PARTITION_SCHEMA_MISMATCH",
            ]
            .iter()
            .any(|w| message.contains(w)),
        };
        if let Some(r) = retyped(message) {
            d.retyped.push(r);
            d.layout = false;
        }
        let column = ev.column.clone().map(|c| {
            c.strip_suffix("__dbt_alter")
                .map(str::to_string)
                .unwrap_or(c)
        });
        if let (Some(column), true) = (column, d.is_unknown()) {
            match side(message) {
                Some(Side::Table) => d.added.push((column, None)),
                Some(Side::Sql) => d.removed.push(column),
                None => {}
            }
        }
        d
    }

    fn is_unknown(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.retyped.is_empty()
            && self.count.is_none()
            && !self.layout
    }
}

/// Which side lacks the one column a message names.
enum Side {
    /// The table lacks it: the SQL has a new column.
    Table,
    /// The SQL (dbt's `__dbt_tmp`, `DBT_INTERNAL_SOURCE`) lacks it: it was removed or renamed.
    Sql,
}

fn side(message: &str) -> Option<Side> {
    if message.contains("__dbt_tmp") || message.contains("DBT_INTERNAL_SOURCE") {
        return Some(Side::Sql);
    }
    let table = [
        "of relation",
        "DBT_INTERNAL_DEST",
        "not found in the target table",
        "No such column",
        "Cannot add fields",
    ];
    table
        .iter()
        .any(|w| message.contains(w))
        .then_some(Side::Table)
}

/// `column "x" is of type bigint but expression is of type character`, `cannot change column X
/// from type A to B`, `Field x has changed type from A to B`, `Failed to merge fields 'x'`.
fn retyped(message: &str) -> Option<(String, Option<String>, Option<String>)> {
    let word = |s: &str| {
        s.trim_matches(|c: char| c == '"' || c == '\'' || c == '`')
            .to_string()
    };
    if let Some((_, rest)) = message.split_once("column \"") {
        let (column, rest) = rest.split_once('"')?;
        let (_, rest) = rest.split_once(" is of type ")?;
        let (table, rest) = rest.split_once(" but expression is of type ")?;
        let sql = rest.lines().next().unwrap_or_default().trim();
        let column = column.strip_suffix("__dbt_alter").unwrap_or(column);
        return Some((
            column.to_string(),
            Some(table.to_string()),
            Some(sql.to_string()),
        ));
    }
    if let Some((_, rest)) = message.split_once("cannot change column ") {
        let (column, rest) = rest.split_once(" from type ")?;
        let (table, rest) = rest.split_once(" to ")?;
        let sql = rest.split(" because").next().unwrap_or_default();
        return Some((word(column), Some(word(table)), Some(word(sql.trim()))));
    }
    if let Some((before, rest)) = message.split_once(" has changed type from ") {
        let column = before.rsplit(' ').next().unwrap_or_default();
        let (table, sql) = rest.split_once(" to ")?;
        let sql = sql.split_whitespace().next().unwrap_or_default();
        return Some((word(column), Some(table.to_string()), Some(sql.to_string())));
    }
    if let Some((_, rest)) = message.split_once("Failed to merge fields '") {
        let (column, _) = rest.split_once('\'')?;
        return Some((column.to_string(), None, None));
    }
    if message.contains("HIVE_PARTITION_SCHEMA_MISMATCH") {
        let (_, rest) = message.split_once("The column '")?;
        let (column, rest) = rest.split_once('\'')?;
        let (_, rest) = rest.split_once("declared as type '")?;
        let (table, rest) = rest.split_once('\'')?;
        let (_, rest) = rest.split_once(" as type '")?;
        let (partition, _) = rest.split_once('\'')?;
        return Some((
            column.to_string(),
            Some(table.to_string()),
            Some(partition.to_string()),
        ));
    }
    None
}

/// `New column types: [{'column_name': 'PRICE', 'new_type': 'NUMBER(3,2)'}]` (ClickHouse:
/// `['my_col String']`).
fn new_types(message: &str) -> Vec<(String, Option<String>, Option<String>)> {
    let Some(at) = message.find("New column types:") else {
        return Vec::new();
    };
    let line = message[at..].lines().next().unwrap_or_default();
    let mut out: Vec<(String, Option<String>, Option<String>)> =
        quoted_pairs(line, "'column_name': '", "'new_type': '")
            .into_iter()
            .map(|(c, t)| (c, None, t))
            .collect();
    if out.is_empty() {
        out = listed(message, "New column types:")
            .into_iter()
            .map(|(c, t)| (c, None, t))
            .collect();
    }
    out
}

/// The columns dbt lists after `label`: `[Column(column='x', dtype='BOOLEAN', …)]` or
/// ClickHouse's `['x String']`.
fn listed(message: &str, label: &str) -> Vec<(String, Option<String>)> {
    let Some(at) = message.find(label) else {
        return Vec::new();
    };
    let line = &message[at + label.len()..];
    let line = line.lines().next().unwrap_or_default().trim();
    if line.contains("column='") {
        return quoted_pairs(line, "column='", "dtype='");
    }
    line.trim_matches(|c| c == '[' || c == ']')
        .split(',')
        .filter_map(|item| {
            let item = item.trim().trim_matches(|c| c == '\'' || c == '"');
            let (column, dtype) = item.split_once(' ').unwrap_or((item, ""));
            (!column.is_empty() && !column.contains('{') && !column.contains(':')).then(|| {
                (
                    column.to_string(),
                    (!dtype.is_empty()).then(|| dtype.to_string()),
                )
            })
        })
        .collect()
}

/// The warehouse's count of the insert's columns against the table's.
fn count(message: &str) -> Option<Count> {
    let numbers = |s: &str| -> Vec<usize> {
        s.split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect()
    };
    let after = |w: &str| {
        message
            .split_once(w)
            .map(|(_, r)| r.lines().next().unwrap_or(r))
    };
    // (the pattern, whether the SQL's number comes first)
    let patterns = [
        ("wrong column count; Has ", true),
        (" columns but ", false),
        ("does not match column list expecting ", false),
    ];
    for (pattern, sql_first) in patterns {
        let Some(rest) = after(pattern) else { continue };
        let before_rest = message
            .split_once(pattern)
            .map(|(b, _)| b)
            .unwrap_or_default();
        let mut n = numbers(rest);
        if pattern == " columns but " {
            // `has 213 columns but 184 values`, `expected 19 columns but 20 values`.
            let first = numbers(before_rest.rsplit(' ').next().unwrap_or_default());
            n = first.into_iter().chain(n).collect();
        }
        if let [a, b, ..] = n[..] {
            return Some(if sql_first {
                Count::Numbers(a, b)
            } else {
                Count::Numbers(b, a)
            });
        }
    }
    if message.contains("too many data columns") || message.contains("has more expressions") {
        return Some(Count::More(true));
    }
    if message.contains("not enough data columns") || message.contains("has more target columns") {
        return Some(Count::More(false));
    }
    None
}

fn count_step(node: &str, count: Count) -> FixStep {
    let (more, said) = match count {
        Count::Numbers(sql, table) => (
            sql > table,
            format!("{node}'s SQL now returns {sql} columns and its table has {table}"),
        ),
        Count::More(more) => (
            more,
            format!(
                "{node}'s SQL now returns {} columns than its table has",
                if more { "more" } else { "fewer" }
            ),
        ),
    };
    FixStep::say(if more {
        format!(
            "{said}: set on_schema_change='append_new_columns' in its config and the next run adds \
             the new ones to the table (its rows so far get NULL)"
        )
    } else {
        format!(
            "{said}: set on_schema_change='append_new_columns' (the table keeps the missing ones, \
             new rows get NULL) or 'sync_all_columns' (drops them with their data)"
        )
    })
}

fn retyped_steps(
    cx: &FixContext<'_>,
    retyped: &[(String, Option<String>, Option<String>)],
) -> Option<FixStep> {
    let node = cx.node();
    let (column, table, _) = retyped.first()?;
    let each: Vec<String> = retyped
        .iter()
        .map(|(column, table, sql)| match (table, sql) {
            (Some(t), Some(s)) => format!("{column} is {t} in the table and {s} in the SQL"),
            (None, Some(s)) => format!("{column} is {s} in the SQL"),
            _ => column.clone(),
        })
        .collect();
    let back = match (retyped.len(), table) {
        (1, Some(t)) => format!("cast it back in the SQL, `cast({column} as {t})`"),
        (1, None) => "cast it back to the table's type in the SQL".to_string(),
        _ => "cast them back to the table's types in the SQL".to_string(),
    };
    Some(FixStep::say(format!(
        "A column's type changed between {node}'s table and its SQL ({}): append_new_columns \
         does not change types, and 'sync_all_columns' changes only what the warehouse can \
         convert in place — {back}, or rebuild the table with the new type{}",
        each.join("; "),
        fail_today(cx)
    )))
}

/// On the out-of-sync message: the setting that stopped the run.
fn fail_today(cx: &FixContext<'_>) -> &'static str {
    if cx.message.contains("out of sync") {
        " (today on_schema_change is 'fail', which stopped this run before it wrote)"
    } else {
        ""
    }
}

fn added_steps(cx: &FixContext<'_>, added: &[(String, Option<String>)]) -> Vec<FixStep> {
    let node = cx.node();
    if added.is_empty() {
        return Vec::new();
    }
    let mut steps = Vec::new();
    // dbt says which columns the table lacks: adding them keeps the table's history; old rows
    // get NULL.
    if let Some(relation) = cx.relation_name {
        for (column, dtype) in added {
            if let Some(dtype) = dtype {
                steps.push(FixStep::run(
                    format!(
                        "Add the new column {column} to {node}'s table (its rows so far get \
                         NULL), then run {node} as usual"
                    ),
                    format!(
                        "alter table {relation} add column {} {};",
                        cx.adapter().quote(column),
                        dtype.to_ascii_lowercase()
                    ),
                ));
            }
        }
    }
    let names: Vec<String> = added
        .iter()
        .map(|(c, t)| t.as_ref().map_or(c.clone(), |t| format!("{c} {t}")))
        .collect();
    let lead = if steps.is_empty() {
        format!(
            "{node}'s SQL returns {}, which its table (made before) lacks: set",
            names.join(", ")
        )
    } else {
        "Or set".to_string()
    };
    steps.push(FixStep::say(format!(
        "{lead} on_schema_change='append_new_columns' in {node}'s config and the next run adds \
         them itself, this one included{}",
        fail_today(cx)
    )));
    steps
}

/// The partitioning or sort key changed: only a rebuild changes it.
fn layout_steps(cx: &FixContext<'_>, cmd: &str) -> Vec<FixStep> {
    let node = cx.node();
    vec![FixStep::run(
        format!(
            "{node}'s table is partitioned (or sorted) otherwise than its config now says: \
             on_schema_change does not change a table's layout, so rebuild it (all its history is \
             reprocessed) — or put the config back as the table is"
        ),
        format!(
            "dbt {cmd} --full-refresh --select {node}{}",
            cx.target_flag()
        ),
    )]
}

/// The names and values of a Python repr list dbt printed: `[Column(column='x', dtype='INT'),
/// …]` with `column='` and `dtype='`, or `[{'column_name': 'x', 'new_type': 'int'}]`.
fn quoted_pairs(line: &str, name_key: &str, value_key: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(c) = rest.find(name_key) {
        rest = &rest[c + name_key.len()..];
        let Some((name, after)) = rest.split_once('\'') else {
            break;
        };
        // The value belongs to this item only if it comes before the next item's name.
        let item = after.split(name_key).next().unwrap_or(after);
        let value = item
            .split_once(value_key)
            .and_then(|(_, v)| v.split_once('\''))
            .map(|(v, _)| v.to_string());
        out.push((name.to_string(), value));
        rest = after;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(message: &str, column: Option<&str>) -> Drift {
        let ev = super::super::Evidence {
            column: column.map(str::to_string),
            ..Default::default()
        };
        Drift::read(message, &ev)
    }

    #[test]
    fn kinds_of_drift() {
        let d = read(
            "Source columns not in target: [SnowflakeColumn(column='DBT_NODE_META', dtype='VARIANT', char_size=None)]\n   Target columns not in source: []",
            None,
        );
        assert_eq!(
            d.added,
            vec![("DBT_NODE_META".into(), Some("VARIANT".into()))]
        );
        assert!(d.removed.is_empty());
        let d = read(
            "Source columns not in target: []\n   Target columns not in source: [PostgresColumn(column='legacy_flag', dtype='boolean', char_size=None)]",
            None,
        );
        assert!(d.added.is_empty());
        assert_eq!(d.removed, vec!["legacy_flag".to_string()]);
        let d = read(
            "New column types: [{'column_name': 'PRICE', 'new_type': 'NUMBER(3,2)'}]",
            None,
        );
        assert_eq!(
            d.retyped,
            vec![("PRICE".into(), None, Some("NUMBER(3,2)".into()))]
        );
        let d = read(
            "column \"id__dbt_alter\" is of type bigint but expression is of type character",
            Some("id__dbt_alter"),
        );
        assert_eq!(
            d.retyped,
            vec![("id".into(), Some("bigint".into()), Some("character".into()))]
        );
        assert_eq!(
            read(
                "Inserted row has wrong column count; Has 8, expected 5 at [3:1]",
                None
            )
            .count,
            Some(Count::Numbers(8, 5))
        );
        assert_eq!(
            read(
                "Binder Error: table t has 213 columns but 184 values were supplied",
                None
            )
            .count,
            Some(Count::Numbers(184, 213))
        );
        assert_eq!(
            read("Column name/value mismatch for insert on t: expected 19 columns but 20 values were supplied", None).count,
            Some(Count::Numbers(20, 19))
        );
        assert_eq!(
            read(
                "Insert value list does not match column list expecting 10 but got 11",
                None
            )
            .count,
            Some(Count::Numbers(11, 10))
        );
        let d = read(
            "column \"ADDED_COLUMN\" does not exist in INCREMENTAL_MODEL__dbt_tmp040654710781",
            Some("ADDED_COLUMN"),
        );
        assert_eq!(d.removed, vec!["ADDED_COLUMN".to_string()]);
        assert!(
            read(
                "Cannot replace a table with a different partitioning spec.",
                None
            )
            .layout
        );
        let d = read(
            "cannot change column COST_PCT from type NUMBER(38,1) to NUMBER(38,0) because changing",
            None,
        );
        assert_eq!(
            d.retyped,
            vec![(
                "COST_PCT".into(),
                Some("NUMBER(38,1)".into()),
                Some("NUMBER(38,0)".into())
            )]
        );
    }
}
