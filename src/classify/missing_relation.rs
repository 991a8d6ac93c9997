//! `missing_relation`: a table, view, schema or database the SQL reads does not exist.
//!
//! # What it looks like
//! `Database Error in model stg_orders (models/staging/stg_orders.sql)`
//! `  relation "raw.orders" does not exist`
//! `002003 (42S02): SQL compilation error: Object 'RAW.SHOP.ORDERS' does not exist or not authorized.`
//!
//! # Why dbt fails
//! The SQL names a relation the warehouse cannot find: a source that was not loaded, an upstream
//! model built into another schema/target, a dropped table, or a wrong database/schema in the
//! source's YAML. Snowflake says "does not exist or not authorized" for both a missing object and
//! one the role may not see, so the evidence decides (an object this run just built exists).
//!
//! # What to do
//! Check that the loader ran and the relation exists (`SHOW TABLES IN SCHEMA …` /
//! `information_schema.tables`), that the source's `database`/`schema`/`identifier` match, and that
//! upstream models were built in this target (`dbt run --select +<model>`).

use super::{Adapter, Rule};

/// Snowflake's wording that may also mean "not authorized": before the permission rules.
pub(super) const AMBIGUOUS: &[Rule] = &[
    Rule::any(r"Namespace (?P<object>[\w.]+) not found"),
    // A file a source reads (DuckDB's read_csv/read_parquet, external sources).
    Rule::any(r#"No files found that match the pattern "(?P<object>[^"]+)""#),
    Rule::any(r"(?:Object|Table|View) '(?P<relation>[^']+)' does not exist or not authorized"),
    Rule::any(r"(?:Schema|Database) '(?P<object>[^']+)' does not exist or not authorized"),
    Rule::on(
        &[Adapter::SqlServer],
        r#"The specified schema name "(?P<object>[^"]+)" either does not exist or you do not have permission to use it"#,
    ),
    Rule::any(
        r#"Cannot find the object "(?P<object>[^"]+)" because it does not exist or you do not have permissions"#,
    ),
    Rule::any(r"Object does not exist, or operation cannot be performed"),
    Rule::on(
        &[Adapter::BigQuery],
        r"Access Denied: Table (?P<relation>[\w:.\-]+): User does not have permission to query table [\w:.\-]+, or perhaps it does not exist",
    ),
];

pub(super) const RULES: &[Rule] = &[
    // `adapter.get_relation()` found nothing and a macro (dbt_utils.star, …) was handed `None`.
    Rule::any(r"expected a Relation but received the value: None[^\n]*"),
    // BigQuery: the dataset exists, in another location than the job runs in.
    Rule::any(r"(?P<object>[\w.:-]+) not available in location \w+"),
    Rule::any(r#"relation "(?P<relation>[^"]+)" does not exist"#),
    Rule::any(r#"schema "(?P<object>[^"]+)" does not exist"#),
    Rule::any(r#"database "(?P<object>[^"]+)" does not exist"#),
    Rule::any(r"Catalog Error: Table with name (?P<relation>[\w$.\x22]+) does not exist"),
    Rule::any(
        r"Catalog Error: (?:Schema|Catalog) with name (?P<object>[\w$.\x22]+) does not exist",
    ),
    Rule::any(r"Not found: Table (?P<relation>[\w:.\-]+)"),
    Rule::any(r"Not found: Dataset (?P<object>[\w:.\-]+)"),
    Rule::any(r"\[TABLE_OR_VIEW_NOT_FOUND\][^`\n]*`?(?P<relation>[\w`.]+)`?"),
    Rule::any(r"\[SCHEMA_NOT_FOUND\][^`\n]*`?(?P<object>[\w`.]+)`?"),
    Rule::any(r"Table or view not found: (?P<relation>[\w`.]+)"),
    Rule::any(r"Invalid object name '(?P<relation>[^']+)'"),
    Rule::any(r"Table '(?P<relation>[^']+)' (?:does not exist|not found)"),
    Rule::any(r#"Table "(?P<relation>[^"]+)" could not be found"#),
    Rule::any(r#"Catalog "(?P<object>[^"]+)" does not exist"#),
    Rule::any(r"Not found: Project (?P<object>[\w:.\-]+)"),
    Rule::any(r"\brelation (?P<relation>[\w$.]+) does not exist"),
    Rule::any(r"Schema '(?P<object>[^']+)' does not exist"),
    Rule::any(r"Catalog '(?P<object>[^']+)' does not exist"),
    Rule::any(r"(?:Table|View|Object) (?P<relation>[\w$.\x22`]+) does not exist"),
    Rule::any(r"Cannot find (?:table|relation|view) (?P<relation>[\w$.\x22`]+)"),
    Rule::any(r"Referenced table (?P<relation>[\w$.\x22]+) not found"),
    Rule::any(
        r#"(?:Schema|Database|Catalog) "?(?P<object>[\w$.\-]+)"? (?:does not exist|not found)"#,
    ),
    Rule::any(r#"Please create the (?:database|schema) "?(?P<object>[\w$.\-]+)"? manually"#),
    Rule::any(
        r"EntityNotFoundException[^\n]*|cannot be opened because it does not exist[^\n]*|Failed to get schema for [^\n]*relation '(?P<relation>[^']+)'",
    ),
    Rule::any(
        r"Database '(?P<object>[^']+)' not found|NoSuch(?:Database|Table|Namespace)Exception[^\n]*",
    ),
    Rule::any(r"Database does not exist: (?P<object>[\w$.\-]+)"),
    Rule::any(
        r"(?:Table|Database) (?P<relation>[\w$.\-]+) not found|no schema has been selected to create in",
    ),
    // Materialize's catalog; dbt Fusion's source schemas it could not download or find cached.
    Rule::any(r"unknown catalog item '(?P<relation>[^']+)'"),
    // (When the warehouse's own error follows — `ADBC error: …` — that error decides.)
    Rule::when(
        r"Failed to download (?:source )?schema for '(?P<object>[^']+)'|Couldn't find cached schema for '(?P<object2>[^']+)'",
        |_, m| !m.contains("ADBC error"),
    ),
    // A package's hook writing to its tables before they are built (elementary).
    Rule::any(r"non-existent table[^\n]*"),
    // A unit test's input whose relation is not built in this target.
    Rule::any(
        r#"Not able to get columns for unit test [^\n]*from relation (?P<relation>[\w".`]+)"#,
    ),
    // Spark: the files behind a table are gone.
    Rule::any(r"Path does not exist: (?P<object>\S+)"),
];

use super::fix::{parts, FixContext, FixStep};
use crate::adapter::Family;

pub(super) fn fix(cx: &FixContext<'_>) -> Vec<FixStep> {
    let ev = cx.ev();
    let a = cx.adapter();
    let name = ev
        .relation
        .clone()
        .or(ev.object.clone())
        .unwrap_or_default();
    let p = parts(&name.replace(':', "."));
    // The message names the table alone (DuckDB's `Table with name refunds`): the parent that is
    // that table says its database and schema.
    let p = if p.len() < 2 {
        let table = p.last().map(|t| t.to_ascii_lowercase());
        cx.parent_relations
            .iter()
            .map(|(_, r)| parts(r))
            .find(|q| q.last().map(|t| t.to_ascii_lowercase()) == table && q.len() >= 2)
            .unwrap_or(p)
    } else {
        p
    };
    let mut steps = Vec::new();
    let sources: Vec<&String> = cx
        .parents
        .iter()
        .filter(|p| p.starts_with("source:"))
        .collect();
    // The source the message names, when it names one of them (`raw.brent_monthly`).
    let missing_table = p.last().map(|t| t.to_ascii_lowercase());
    let named: Vec<&String> = sources
        .iter()
        .copied()
        .filter(|s| {
            missing_table
                .as_deref()
                .is_some_and(|t| s.to_ascii_lowercase().ends_with(&format!(".{t}")))
        })
        .collect();
    let sources = if named.is_empty() { sources } else { named };
    let models: Vec<&String> = cx
        .parents
        .iter()
        .filter(|p| !p.starts_with("source:"))
        .collect();
    if !cx.also_missing.is_empty() {
        // Several nodes, several missing tables of one schema: one load, or one wrong target.
        steps.push(FixStep::say(format!(
            "These relations do not exist: {} — check that the load that writes them ran (and \
             wrote where the sources' database/schema/identifier in YAML say), or that this target \
             points at the right database",
            cx.also_missing.join(", ")
        )));
    } else if !sources.is_empty() {
        let list = sources
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        steps.push(FixStep::say(format!(
            "{} reads {list}: check that the load into it ran and wrote the table, and that the \
             source's database/schema/identifier in YAML match where it landed",
            cx.node()
        )));
    }
    if !models.is_empty() {
        let first = models[0].as_str();
        steps.push(FixStep::run(
            "If the missing relation is an upstream model's, build it in this target first",
            format!("dbt run --select +{first}{}", cx.target_flag()),
        ));
    }
    if let Some(schema) = schema_part(&p) {
        let check = match a.family() {
            Family::Snowflake => Some(format!("SHOW TABLES IN SCHEMA {};", schema.join(".").to_ascii_uppercase())),
            Family::BigQuery => Some(format!("bq ls {}", schema.join(":"))),
            Family::Spark => Some(format!("SHOW TABLES IN {};", schema.join("."))),
            Family::Trino if matches!(a, Adapter::Athena) => {
                Some(format!("SHOW TABLES IN {};", schema.join(".")))
            }
            Family::Trino => Some(format!("SHOW TABLES FROM {};", schema.join("."))),
            Family::ClickHouse => Some(format!("SHOW TABLES FROM {};", schema.join("."))),
            Family::Oracle => Some(format!(
                "SELECT owner, table_name FROM all_tables WHERE owner = '{}';",
                schema.last().cloned().unwrap_or_default().to_ascii_uppercase()
            )),
            Family::TSql => Some(format!(
                "SELECT TABLE_SCHEMA, TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = '{}';",
                schema.last().cloned().unwrap_or_default()
            )),
            Family::Postgres | Family::Redshift | Family::DuckDb => Some(format!(
                "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema = '{}';",
                schema.last().cloned().unwrap_or_default()
            )),
            _ => None,
        };
        if let Some(check) = check {
            steps.push(FixStep::run("See which tables the schema holds", check));
        }
    }
    if steps.is_empty() {
        steps.push(FixStep::say(format!(
            "Check that {} exists in this target and that the name in the SQL is right",
            if name.is_empty() {
                "the relation"
            } else {
                name.as_str()
            }
        )));
    }
    steps
}

/// The schema (with its database, when named) of a relation's parts; a bare schema stays itself.
fn schema_part(p: &[String]) -> Option<Vec<String>> {
    match p.len() {
        0 => None,
        1 => None,
        n => Some(p[..n - 1].to_vec()),
    }
}
