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
    // dbt Fusion: a node's table that the warehouse does not have (yet), met while Fusion
    // registers the tables it reads (dbt1053).
    Rule::any(r"Node '(?P<object>[^']+)' not available; build it first"),
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
    Rule::any(r"(?:Table|View|Object) (?P<relation>[\w$.\x22`]+) (?:does not|doesn't) exist"),
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

/// What the message says is missing: the fix for a table differs from the fix for its schema.
#[derive(Debug, PartialEq, Eq)]
enum Missing {
    /// A table or view: its parts as the message gives them (`raw`, `orders`).
    Relation(Vec<String>),
    /// A schema, dataset, database, catalog or project: the container, not a table in it.
    Container(Container, Vec<String>),
    /// A file or path an external table or `read_csv` reads.
    File(String),
    /// A macro asked the warehouse for a relation while dbt compiled the node (`dbt_utils.star`,
    /// `get_column_values`): nothing had run yet.
    Introspected(Option<String>),
    /// dbt's own working relation (`orders__dbt_tmp`, `__dbt_backup`) vanished mid-build.
    Working(String),
    /// The message names nothing (`ORA-00942: table or view does not exist`).
    Unnamed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    /// A schema or a BigQuery dataset: dbt creates the ones it builds into.
    Schema,
    /// A database, catalog or project: dbt never creates one; it comes from the target.
    Database,
}

impl Missing {
    fn read(cx: &FixContext<'_>) -> Missing {
        let ev = cx.ev();
        let message = cx.message;
        let introspected = ["expected a Relation but received", "In get_column_values()"];
        if introspected.iter().any(|w| message.contains(w)) {
            return Missing::Introspected(ev.relation.clone());
        }
        let Some(name) = ev.relation.clone().or(ev.object.clone()) else {
            return Missing::Unnamed;
        };
        let lower = name.to_ascii_lowercase();
        if lower.contains("__dbt_tmp") || lower.contains("__dbt_backup") {
            return Missing::Working(name);
        }
        if name.contains('/')
            || message.contains("No files found")
            || message.contains("Path does not exist")
        {
            return Missing::File(name);
        }
        let p = parts(&name.replace(':', "."));
        match (ev.relation.is_some(), container_word(message, &name)) {
            (false, Some(kind)) => Missing::Container(kind, p),
            _ => Missing::Relation(p),
        }
    }
}

/// The word the message puts before a missing name (`Dataset x:y`, `Catalog "main"`), if it is
/// a container's.
fn container_word(message: &str, name: &str) -> Option<Container> {
    let words = super::fix::words_before(message, name, 24);
    let word = words.iter().rfind(|w| *w != "with" && *w != "name")?;
    match word.as_str() {
        "schema" | "dataset" | "namespace" => Some(Container::Schema),
        "database" | "catalog" | "project" => Some(Container::Database),
        _ => None,
    }
}

pub(super) fn fix(cx: &FixContext<'_>) -> Vec<FixStep> {
    let mut steps = match Missing::read(cx) {
        _ if !cx.also_missing.is_empty() => several(cx),
        Missing::Relation(p) => relation_steps(cx, &p),
        Missing::Container(Container::Schema, p) => schema_steps(cx, &p),
        Missing::Container(Container::Database, p) => database_steps(cx, &p),
        Missing::File(path) => vec![FixStep::say(format!(
            "{} reads files at {path}, and there are none: check the export or upload that writes \
             there, the path (in the source's YAML or the model), and that the credentials may list \
             that location",
            cx.node()
        ))],
        Missing::Introspected(relation) => vec![introspected(cx, relation.as_deref())],
        Missing::Working(name) => vec![working(cx, &name)],
        Missing::Unnamed => vec![FixStep::say(format!(
            "The message does not name the table: the statement the warehouse ran (target/run/…) names \
             what {} reads — check which of them is not in this target",
            cx.node()
        ))],
    };
    steps.extend(not_authorized(cx));
    steps
}

/// Several nodes, several missing tables of one schema: one load, or one wrong target.
fn several(cx: &FixContext<'_>) -> Vec<FixStep> {
    let mut steps = vec![FixStep::say(format!(
        "These relations do not exist: {} — check that the load that writes them ran (and wrote \
         where the sources' database/schema/identifier in YAML say), or that this target points at \
         the right database",
        cx.also_missing.join(", ")
    ))];
    let first = cx
        .also_missing
        .first()
        .map(|r| parts(r))
        .unwrap_or_default();
    if let Some(check) = schema_part(&first).and_then(|schema| list_tables(cx, &schema)) {
        steps.push(FixStep::run("See which tables the schema holds", check));
    }
    steps
}

/// Which parent the missing table is, when the manifest says the parents' relations.
enum Owner<'a> {
    Source(&'a str),
    Seed(&'a str),
    Model(&'a str),
    /// The failed node's own table (`{{ this }}`).
    Itself,
}

fn owner<'a>(cx: &FixContext<'a>, p: &[String]) -> Option<Owner<'a>> {
    let same = |q: &[String]| {
        // The message's parts match the relation's last parts (a bare table name matches any
        // schema; a schema-qualified one must agree on the schema too).
        p.len() <= q.len()
            && p.iter()
                .rev()
                .zip(q.iter().rev())
                .all(|(a, b)| a.eq_ignore_ascii_case(b))
    };
    // Without a manifest the node's name is its table's, as dbt names it by default.
    let itself = match cx.relation_name {
        Some(r) => same(&parts(r)),
        None => cx
            .node_name
            .zip(p.last())
            .is_some_and(|(n, t)| n.eq_ignore_ascii_case(t)),
    };
    if !p.is_empty() && itself {
        return Some(Owner::Itself);
    }
    let (label, _) = cx
        .parent_relations
        .iter()
        .find(|(_, r)| !p.is_empty() && same(&parts(r)))?;
    let label = label.as_str();
    Some(if label.starts_with("source:") {
        Owner::Source(label)
    } else if cx.seeds.iter().any(|s| s == label) {
        Owner::Seed(label)
    } else {
        Owner::Model(label)
    })
}

fn relation_steps(cx: &FixContext<'_>, p: &[String]) -> Vec<FixStep> {
    let name = p.join(".");
    let node = cx.node();
    let flags = cx.target_flag();
    let mut steps = match owner(cx, p) {
        Some(Owner::Source(source)) => vec![FixStep::say(format!(
            "{node} reads {source} ({name}), which is not there: the load that writes it has not \
             run in this target (or wrote elsewhere) — check the loader, and that the source's \
             database/schema/identifier in YAML match where the table landed"
        ))],
        Some(Owner::Seed(seed)) => vec![FixStep::run(
            format!("{name} is the seed {seed}, not loaded in this target: load it"),
            format!("dbt seed --select {seed}{flags}"),
        )],
        Some(Owner::Model(model)) => vec![FixStep::run(
            format!(
                "{name} is built by {model}, and it is not in this target (not built here yet, or \
                 dropped): build it, then {node}"
            ),
            format!("dbt run --select {model} {node}{flags}"),
        )],
        Some(Owner::Itself) => vec![FixStep::say(format!(
            "{name} is {node}'s own table, which this statement was to create or replace: if the \
             SQL reads {{{{ this }}}}, that read must sit inside `{{% if is_incremental() %}}` (on a \
             first run or a --full-refresh the table does not exist yet); if it does not, another \
             job dropped the table while dbt built it — let one job build {node} at a time"
        ))],
        None => unowned(cx, &name),
    };
    if let Some(check) = schema_part(p).and_then(|schema| list_tables(cx, &schema)) {
        steps.push(FixStep::run("See which tables the schema holds", check));
    }
    steps
}

/// The table is none of the parents the manifest lists, or the parents are not known.
fn unowned(cx: &FixContext<'_>, name: &str) -> Vec<FixStep> {
    let node = cx.node();
    let sources: Vec<&str> = cx
        .parents
        .iter()
        .filter(|p| p.starts_with("source:"))
        .map(String::as_str)
        .collect();
    if !cx.parent_relations.is_empty() && cx.parent_relations.len() == cx.parents.len() {
        return vec![FixStep::say(format!(
            "{name} is the table of none of {node}'s ref() or source() parents: the SQL (or a \
             macro it calls) names it directly. Write it as {{{{ source('…', '…') }}}} (declared \
             in a sources YAML) or {{{{ ref('…') }}}}, so that dbt builds it first and finds it \
             in every target"
        ))];
    }
    let mut steps = Vec::new();
    if !sources.is_empty() {
        steps.push(FixStep::say(format!(
            "{node} reads {}: check that the load into it ran and wrote the table, and that the \
             source's database/schema/identifier in YAML match where it landed",
            sources.join(", ")
        )));
    }
    if cx.parents.len() > sources.len() {
        steps.push(FixStep::run(
            format!("If {name} is built upstream of {node}, build what {node} reads in this target first"),
            format!("{} --select +{node} --exclude {node}{}", build_command(cx), cx.target_flag()),
        ));
    }
    if steps.is_empty() {
        steps.push(FixStep::say(format!(
            "Check that {} exists in this target and that the name in the SQL is right",
            if name.is_empty() {
                "the relation"
            } else {
                name
            }
        )));
    }
    steps
}

/// `dbt build` builds seeds and snapshots too; dbt before 0.21 has only `dbt run`.
fn build_command(cx: &FixContext<'_>) -> &'static str {
    if cx.dbt_at_least(0, 21) {
        "dbt build"
    } else {
        "dbt run"
    }
}

/// A missing schema or dataset.
fn schema_steps(cx: &FixContext<'_>, p: &[String]) -> Vec<FixStep> {
    let name = p.join(".");
    let schema = p.last().map(String::as_str).unwrap_or_default();
    let mut steps = Vec::new();
    if let Some(location) = bigquery_location(cx.message) {
        steps.push(FixStep::run(
            format!(
                "BigQuery looked for {name} in location {location}: the dataset does not exist, or \
                 it is in another location — the target's `location:` in profiles.yml must be the \
                 dataset's"
            ),
            format!("bq show --format=prettyjson {}", name.replacen('.', ":", 1)),
        ));
        return steps;
    }
    let a_source_s = cx.parent_relations.iter().find(|(label, r)| {
        label.starts_with("source:")
            && parts(r)
                .iter()
                .rev()
                .nth(1)
                .is_some_and(|s| s.eq_ignore_ascii_case(schema))
    });
    let own = cx.relation_name.is_some_and(|r| {
        parts(r)
            .iter()
            .rev()
            .nth(1)
            .is_some_and(|s| s.eq_ignore_ascii_case(schema))
    });
    steps.push(FixStep::say(match (a_source_s, own) {
        (Some((source, _)), _) => format!(
            "{schema} is where {source} is loaded, and it does not exist in this target: the load \
             has not run here, or the source's schema/database in YAML is not where it landed"
        ),
        (None, true) => format!(
            "{schema} is where {} is built; dbt creates it unless it may not: grant the dbt user \
             CREATE on the database (or create {schema} once), or correct the target's schema / \
             the model's custom schema (generate_schema_name)",
            cx.node()
        ),
        (None, false) => format!(
            "{name} does not exist in this target: check the schema the target (profiles.yml) and \
             the sources' YAML name, and custom schemas (generate_schema_name) — dbt creates only \
             the schemas of what it builds"
        ),
    }));
    steps
}

/// A missing database, catalog or project: the target's or a source's `database:`.
fn database_steps(cx: &FixContext<'_>, p: &[String]) -> Vec<FixStep> {
    let name = p.join(".");
    let a = cx.adapter();
    let mut steps = vec![FixStep::say(match a.family() {
        Family::DuckDb => format!(
            "DuckDB has no database {name}: a DuckDB database is named after its file (without \
             the extension) or its ATTACH alias — set the target's `database:` in profiles.yml to \
             that name, or the source's `database:` to an attached one"
        ),
        _ => format!(
            "The {} {name} does not exist or this connection may not see it: it comes from the \
             target's `database:` in profiles.yml or a source's `database:` in YAML — check both",
            match a.family() {
                Family::Spark => "catalog",
                Family::BigQuery => "project",
                _ => "database",
            }
        ),
    })];
    let list = match a.family() {
        Family::Snowflake => Some("SHOW DATABASES;".to_string()),
        Family::Spark | Family::Trino => Some("SHOW CATALOGS;".to_string()),
        Family::Postgres | Family::Redshift => Some("SELECT datname FROM pg_database;".to_string()),
        Family::TSql => Some("SELECT name FROM sys.databases;".to_string()),
        Family::DuckDb => Some("SHOW DATABASES;".to_string()),
        Family::ClickHouse => Some("SHOW DATABASES;".to_string()),
        _ => None,
    };
    if let Some(list) = list {
        steps.push(FixStep::run("See which ones the connection has", list));
    }
    steps
}

/// `… was not found in location EU`.
fn bigquery_location(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once(" in location ")?;
    let location = rest
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .next()?;
    (!location.is_empty()).then_some(location)
}

fn introspected(cx: &FixContext<'_>, relation: Option<&str>) -> FixStep {
    let node = cx.node();
    let what = relation.map_or("a relation".to_string(), |r| r.to_string());
    FixStep::run(
        format!(
            "A macro {node} calls (dbt_utils.star, get_column_values, unpivot, …) asks the \
             warehouse for {what} while dbt compiles {node}, before anything of this run is built: \
             the relation must already exist in this target. Build what {node} reads first (or give \
             the macro its `default`)"
        ),
        format!(
            "{} --select +{node} --exclude {node}{}",
            build_command(cx),
            cx.target_flag()
        ),
    )
}

fn working(cx: &FixContext<'_>, name: &str) -> FixStep {
    FixStep::say(format!(
        "{name} is dbt's working table while it rebuilds {}, and it vanished between dbt's \
         statements: another run of the same model at the same time (overlapping schedules, two \
         jobs, an orchestrator's retry while the first attempt still runs) dropped or renamed it. \
         Let one job build it at a time, then rerun",
        cx.node()
    ))
}

/// Snowflake and Oracle say "does not exist" also for a table the role may not see.
fn not_authorized(cx: &FixContext<'_>) -> Option<FixStep> {
    let ev = cx.ev();
    let name = ev.relation.clone().or(ev.object.clone());
    match cx.adapter().family() {
        Family::Snowflake if cx.message.contains("not authorized") => Some(FixStep::say(
            "Snowflake says the same when the object exists and the role may not see it: if it \
             is there, grant the dbt role USAGE on its database and schema and SELECT on it",
        )),
        Family::Oracle => {
            let say = "Oracle says the same when the table exists in another schema and the dbt \
                       user has no privilege on it (or the name lacks its owner): see who owns it \
                       and grant SELECT to the dbt user";
            Some(match name {
                Some(n) => FixStep::run(
                    say,
                    format!(
                        "SELECT owner, object_name, object_type FROM all_objects WHERE object_name = '{}';",
                        parts(&n).last().cloned().unwrap_or_default().to_ascii_uppercase()
                    ),
                ),
                None => FixStep::say(say),
            })
        }
        _ => None,
    }
}

/// A statement that lists the tables of a schema, on this warehouse.
fn list_tables(cx: &FixContext<'_>, schema: &[String]) -> Option<String> {
    let a = cx.adapter();
    let last = schema.last().cloned().unwrap_or_default();
    Some(match a.family() {
        Family::Snowflake => format!(
            "SHOW TABLES IN SCHEMA {};",
            schema.join(".").to_ascii_uppercase()
        ),
        Family::BigQuery => format!("bq ls {}", schema.join(":")),
        Family::Spark => format!("SHOW TABLES IN {};", schema.join(".")),
        Family::Trino if matches!(a, Adapter::Athena) => {
            format!("SHOW TABLES IN {};", schema.join("."))
        }
        Family::Trino | Family::ClickHouse => format!("SHOW TABLES FROM {};", schema.join(".")),
        Family::Oracle => format!(
            "SELECT owner, table_name FROM all_tables WHERE owner = '{}';",
            last.to_ascii_uppercase()
        ),
        Family::TSql => format!(
            "SELECT TABLE_SCHEMA, TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = '{last}';"
        ),
        Family::Postgres | Family::Redshift | Family::DuckDb => format!(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema = '{last}';"
        ),
        _ => return None,
    })
}

/// The schema (with its database, when named) of a relation's parts; a bare table has none.
fn schema_part(p: &[String]) -> Option<Vec<String>> {
    (p.len() >= 2).then(|| p[..p.len() - 1].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(message: &str, relation: Option<&str>, object: Option<&str>) -> Missing {
        let ev = super::super::Evidence {
            relation: relation.map(str::to_string),
            object: object.map(str::to_string),
            ..Default::default()
        };
        Missing::read(&FixContext {
            evidence: Some(&ev),
            message,
            ..FixContext::default()
        })
    }

    #[test]
    fn what_is_missing() {
        assert_eq!(
            read(
                "Binder Error: Catalog \"main\" does not exist!",
                None,
                Some("main")
            ),
            Missing::Container(Container::Database, vec!["main".into()])
        );
        assert_eq!(
            read(
                "404 Not found: Dataset p:staging was not found in location EU",
                None,
                Some("p:staging")
            ),
            Missing::Container(Container::Schema, vec!["p".into(), "staging".into()])
        );
        assert_eq!(
            read(
                "relation \"raw.orders\" does not exist",
                Some("raw.orders"),
                None
            ),
            Missing::Relation(vec!["raw".into(), "orders".into()])
        );
        assert_eq!(
            read(
                "Object 'DB.S.T' does not exist or not authorized",
                None,
                Some("DB.S.T")
            ),
            Missing::Relation(vec!["DB".into(), "S".into(), "T".into()])
        );
        assert_eq!(
            read(
                "relation \"a__dbt_tmp\" does not exist",
                Some("a__dbt_tmp"),
                None
            ),
            Missing::Working("a__dbt_tmp".into())
        );
        assert_eq!(
            read("ORA-00942: table or view does not exist", None, None),
            Missing::Unnamed
        );
    }

    #[test]
    fn the_parent_that_is_the_missing_table() {
        let relations = vec![
            (
                "source:raw.orders".to_string(),
                "\"shop\".\"raw\".\"orders\"".to_string(),
            ),
            (
                "stg_customers".to_string(),
                "\"shop\".\"main\".\"stg_customers\"".to_string(),
            ),
        ];
        let parents: Vec<String> = relations.iter().map(|(l, _)| l.clone()).collect();
        let cx = FixContext {
            parent_relations: &relations,
            parents: &parents,
            relation_name: Some("\"shop\".\"main\".\"fct_orders\""),
            ..FixContext::default()
        };
        let is = |p: &[&str]| {
            owner(&cx, &p.iter().map(|s| s.to_string()).collect::<Vec<_>>()).map(|o| match o {
                Owner::Source(s) | Owner::Seed(s) | Owner::Model(s) => s.to_string(),
                Owner::Itself => "itself".to_string(),
            })
        };
        assert_eq!(is(&["raw", "orders"]), Some("source:raw.orders".into()));
        assert_eq!(is(&["ORDERS"]), Some("source:raw.orders".into()));
        assert_eq!(is(&["main", "stg_customers"]), Some("stg_customers".into()));
        // Same table name, another schema: not that parent.
        assert_eq!(is(&["other", "orders"]), None);
        assert_eq!(is(&["fct_orders"]), Some("itself".into()));
    }
}
