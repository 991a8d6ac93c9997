//! `permission`: the role dbt connects as may not read, create or use an object.
//!
//! # What it looks like
//! `Database Error in model stg_orders (models/staging/stg_orders.sql)`
//! `  permission denied for schema raw`
//! `SQL access control error: Insufficient privileges to operate on schema 'ANALYTICS'`
//!
//! # Why dbt fails
//! Grants changed (a new schema, a recreated source table, a role switched in the profile), or the
//! job runs with a role that was never granted on the objects this model reads or writes.
//!
//! # What to do
//! Grant the dbt role what it needs on the object named, as its owner or an admin: usage on the
//! database/schema, select on the tables (`GRANT … ON ALL TABLES IN SCHEMA` plus `FUTURE`/
//! `DEFAULT PRIVILEGES` so new tables keep working), create on the target schema; then check what
//! the role holds (`SHOW GRANTS`, `\dn+`, `INFORMATION_SCHEMA.OBJECT_PRIVILEGES`).

use super::Rule;

/// Before the connection rules: a cloud IAM permission named in full is the answer even when
/// dbt wraps it in "unable to connect" (a connection test that runs a query).
pub(super) const EARLY: &[Rule] = &[Rule::any(
    r"does not have (?P<privilege>[a-z]+\.[a-zA-Z]+\.[a-zA-Z]+) permission[^\n]*",
)];

pub(super) const RULES: &[Rule] = &[
    Rule::any(
        r"(?:View|Table|Schema|Object) '(?P<object>[^']+)' already exists, but current role has no privileges on it[^\n]*",
    ),
    Rule::any(
        r"The user '(?P<user>[^']+)' does not have sufficient permissions to create the model\s+'[^']+' in the schema '(?P<object>[^']+)'",
    ),
    Rule::any(
        r"permission denied for (?:table|relation|view|materialized view) (?P<relation>[\w$.\x22]+)",
    ),
    Rule::any(
        r"permission denied for (?:schema|database|sequence|function) (?P<object>[\w$.\x22]+)",
    ),
    Rule::any(
        r"must be owner of (?:table|relation|view|schema|materialized view|sequence|function) (?P<object>[\w$.\x22]+)",
    ),
    Rule::any(r"Insufficient privileges to operate on (?:\w+ )+'?(?P<object>[^'\n]+)'?"),
    Rule::any(r"SQL access control error[^\n]*"),
    Rule::any(
        r"User does not have (?P<privilege>bigquery\.[\w.]+) permission (?:in|for) (?:project|dataset|table) (?P<object>[\w:.\-\[\]]+)",
    ),
    Rule::any(
        r"Permission (?P<privilege>[\w.]+) denied on (?:dataset|table|project|resource) (?P<object>[\w:.\-]+)",
    ),
    Rule::any(
        r"User does not have (?P<privilege>bigquery\.[\w.]+) permission (?:in|for) (?:project|dataset|table) (?P<object>[\w:.\-]+)",
    ),
    Rule::any(
        r"Access Denied: (?:Table|Dataset|Project|BigQuery BigQuery|Routine) (?P<object>[\w:.\-]+): (?:User|Permission)[^\n]*",
    ),
    Rule::any(
        r"User does not have (?:permission )?(?P<privilege>[A-Z][A-Z_ ]+?) on (?:Schema|Table|Catalog|View|Function|Volume)(?: '?`?(?P<object>[\w`]+(?:\.[\w`]+)*))?",
    ),
    Rule::any(r"\[INSUFFICIENT_PERMISSIONS\][^\n]*"),
    Rule::any(
        r"The (?P<privilege>[A-Z][A-Z ]+?) permission was denied on the object '(?P<object>[^']+)'",
    ),
    Rule::any(
        r"(?P<privilege>CREATE (?:TABLE|VIEW|SCHEMA)) permission denied in database '(?P<object>[^']+)'",
    ),
    Rule::any(
        r"Access Denied: Cannot (?P<privilege>[\w ]+?) (?:from )?(?:table|view) (?P<relation>[\w.\x22]+)",
    ),
    Rule::any(r"Access Denied: Cannot (?P<privilege>[\w ]+?) schema (?P<object>[\w.\x22]+)"),
    Rule::any(
        r"does not have permission to[^\n]*|does not have (?:the )?(?:required )?permissions?[^\n]*",
    ),
    Rule::any(r#"permission denied to create extension "?(?P<object>[\w-]+)"?"#),
    Rule::any(r"no privileges on tablespace '?(?P<object>[\w$]+)'?"),
    Rule::any(r"permission denied[^\n]*"),
    Rule::any(
        r"Access denied[^\n]*|AccessDenied[^\n]*|not authorized to[^\n]*|is not authorized[^\n]*|PERMISSION_DENIED[^\n]*|403 Forbidden[^\n]*",
    ),
    Rule::any(
        r"(?:doesn't|does not) have (?:enough|sufficient|the required) permissions?[^\n]*|VPC Service Controls: Request is prohibited[^\n]*|failed for forbidden[^\n]*|Unable to verify/create output bucket[^\n]*|Insufficient Lake Formation permission[^\n]*|\b403 Forbidden[^\n]*",
    ),
    // Storage the warehouse reads or writes for dbt, governed outside SQL grants: a Unity Catalog
    // path no external location covers, a Synapse serverless pool's login that may not list
    // the files behind an external table.
    Rule::any(
        r"No parent external location found for path[^\n]*|Content of directory on path '[^']*' cannot be listed[^\n]*",
    ),
];

use super::fix::{parts, FixContext, FixStep};
use crate::adapter::Family;

/// ClickHouse names the user, the privileges and the object it wanted:
/// `crypto: Not enough privileges. To execute this query, it's necessary to have the grant SHOW
/// COLUMNS ON default.polymarket`. dbt's own working tables (`__dbt_tmp`, `__dbt_backup`,
/// `__dbt_exchange…`) get new names every run: the grant goes on their database.
fn clickhouse_grant(message: &str) -> Option<FixStep> {
    let re = regex_lite::Regex::new(
        r"(?:DB::Exception: )?([\w.@-]+): Not enough privileges\. To execute this query,? it's necessary to have (?:the )?grant ([A-Z][A-Z ,()\w]*?) ON ([\w.`*]+)",
    )
    .ok()?;
    let c = re.captures(message)?;
    let (user, privileges, object) = (&c[1], c[2].trim(), c[3].trim_end_matches('.'));
    let object = match object.split_once('.') {
        Some((db, table)) if table.starts_with("__dbt") || table.contains("__dbt_") => {
            format!("{db}.*")
        }
        _ => object.to_string(),
    };
    Some(FixStep::run(
        format!("As an admin, grant {user} (the user dbt connects as) what the query needed"),
        format!("GRANT {privileges} ON {object} TO {user};"),
    ))
}

pub(super) fn fix(cx: &FixContext<'_>) -> Vec<FixStep> {
    if let Some(step) = clickhouse_grant(cx.message) {
        return vec![
            step,
            FixStep::run(
                "Check, connected as the dbt user, what it holds",
                "SHOW GRANTS;",
            ),
        ];
    }
    let a = cx.adapter();
    if cx.message.contains("dbt_test__audit") {
        return vec![store_failures_schema(a.family())];
    }
    if let Some(step) = cloud_step(cx) {
        return vec![step];
    }
    let d = Denied::read(cx);
    if let Some(step) = special_step(&d, cx) {
        return vec![step];
    }
    let who = d.role.as_ref().map_or_else(
        || "the role dbt connects as (the user/role in profiles.yml)".to_string(),
        |r| format!("role {r}"),
    );
    let mut steps = Vec::new();
    if d.object.is_empty() {
        steps.push(FixStep::say(format!(
            "The warehouse did not say what it refused: the statement dbt ran for {} (below) \
             tells — creating a table or view needs the right to create in its schema, reading \
             another schema's table needs SELECT on it (and USAGE on its schema)",
            cx.node()
        )));
    }
    let (grants, check) = match a.family() {
        Family::Postgres | Family::Redshift => postgres(&d, a),
        Family::Snowflake => snowflake(&d),
        Family::BigQuery => bigquery(&d, cx),
        Family::Spark => databricks(&d),
        Family::TSql => tsql(&d, cx.message),
        Family::Trino => trino(&d),
        Family::Oracle => oracle(&d, a),
        Family::ClickHouse => clickhouse(&d, a),
        Family::DuckDb => {
            steps.push(FixStep::say(
                "DuckDB has no roles: check that the user running dbt may read and write the \
                 database file and the files it reads (file system permissions)",
            ));
            (Vec::new(), None)
        }
        _ => {
            if !d.object.is_empty() {
                steps.push(FixStep::say(format!(
                    "Grant {who} what {} needs on {}: to read it, SELECT (and USAGE on its \
                     schema); to build in a schema, the right to create there. An admin of the \
                     warehouse runs the GRANT; the message above names the operation refused",
                    cx.node(),
                    d.object
                )));
            }
            (Vec::new(), None)
        }
    };
    if !grants.is_empty() && !d.object.is_empty() {
        steps.extend(grant_steps(&d.object, &who, grants));
    }
    if let Some((say, run)) = check {
        steps.push(FixStep::run(say, run));
    }
    steps
}

/// The statements as steps: pasteable ones each its own, with a placeholder all in one `say`.
fn grant_steps(object: &str, who: &str, grants: Vec<String>) -> Vec<FixStep> {
    let statements = grants.join("\n");
    if !statements.contains('<') {
        return grants
            .into_iter()
            .map(|g| {
                FixStep::run(
                    format!("As the owner of {object} (or an admin), grant {who}"),
                    g,
                )
            })
            .collect();
    }
    let loader = if statements.contains("<loader_role>") {
        " (and <loader_role> with the role that creates its tables, so that tables it loads \
         later are readable too)"
    } else {
        ""
    };
    vec![FixStep::say(format!(
        "As the owner of {object} (or an admin), grant {who} what it needs, replacing the \
         placeholder with that role{loader}:\n{statements}"
    ))]
}

/// What was refused, on which kind of object, for whom.
#[derive(Debug, Default)]
struct Denied {
    object: String,
    kind: Kind,
    /// dbt was creating, replacing or altering (not reading).
    create: bool,
    /// The warehouse wants the object's owner (`must be owner of relation x`).
    owner: bool,
    role: Option<String>,
    /// The privilege the message names (`USE SCHEMA`, `bigquery.jobs.create`, `SELECT`).
    privilege: Option<String>,
    /// The relation is a view (Snowflake's grants say VIEW for one).
    view: bool,
    /// The object exists and another role owns it (Snowflake's `already exists, but current
    /// role has no privileges on it`).
    exists_unowned: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Kind {
    #[default]
    Relation,
    Schema,
    /// A database, a catalog (Databricks, Trino) or a BigQuery project.
    Database,
    /// Snowflake's compute.
    Warehouse,
    Function,
    Sequence,
    Tablespace,
    Extension,
}

impl Denied {
    fn read(cx: &FixContext<'_>) -> Denied {
        let ev = cx.ev();
        let object = ev
            .object
            .clone()
            .or(ev.relation.clone())
            .unwrap_or_default();
        let lower = cx.message.to_ascii_lowercase();
        let kind = kind_before(&lower, &object).unwrap_or(if lower.contains(" dataset ") {
            Kind::Schema
        } else {
            Kind::Relation
        });
        // dbt creates its relations in the failed node's own schema: a denied schema that is that
        // schema is a denied CREATE, whatever the message's words.
        let own_schema = cx.relation_name.and_then(|r| {
            let p = parts(r);
            (p.len() >= 2).then(|| p[p.len() - 2].to_ascii_lowercase())
        });
        let denied_schema = parts(&object).last().map(|s| s.to_ascii_lowercase());
        let builds_here = kind == Kind::Schema
            && own_schema.is_some()
            && own_schema == denied_schema
            && !matches!(cx.resource_type, Some("test" | "unit_test"));
        let owner = lower.contains("must be owner");
        let o = object.to_ascii_lowercase();
        let view = !o.is_empty()
            && (lower.contains(&format!("view '{o}'")) || lower.contains(&format!("view {o}")));
        Denied {
            view,
            exists_unowned: lower.contains("already exists, but current role has no privileges"),
            kind,
            create: lower.contains("create") || owner || builds_here,
            owner,
            role: ev.role.clone().or(ev.user.clone()),
            privilege: ev.privilege.clone(),
            object,
        }
    }
}

/// The kind of object a message names just before the object's name (`permission denied for
/// sequence orders_id_seq`, `on Catalog 'main'`).
fn kind_before(lower: &str, object: &str) -> Option<Kind> {
    const WORDS: [(&str, Kind); 17] = [
        ("table", Kind::Relation),
        ("relation", Kind::Relation),
        ("view", Kind::Relation),
        ("object", Kind::Relation),
        ("schema", Kind::Schema),
        ("dataset", Kind::Schema),
        ("database", Kind::Database),
        ("catalog", Kind::Database),
        ("project", Kind::Database),
        ("warehouse", Kind::Warehouse),
        ("function", Kind::Function),
        ("routine", Kind::Function),
        ("procedure", Kind::Function),
        ("sequence", Kind::Sequence),
        ("tablespace", Kind::Tablespace),
        ("extension", Kind::Extension),
        ("schemas", Kind::Schema),
    ];
    let words = super::fix::words_before(lower, object, 32);
    let word = words.iter().rfind(|w| WORDS.iter().any(|(k, _)| k == w))?;
    WORDS
        .iter()
        .find(|(k, _)| *k == word)
        .map(|(_, kind)| *kind)
}

/// Permissions of the cloud around the warehouse (IAM, storage, Lake Formation): no SQL grant
/// gives them.
fn cloud_step(cx: &FixContext<'_>) -> Option<FixStep> {
    let m = cx.message;
    let action = m.split_once("not authorized to perform: ").map(|(_, r)| {
        r.split([' ', ',', '"'])
            .next()
            .unwrap_or_default()
            .to_string()
    });
    let say = if let Some(action) = action.filter(|a| a.contains(':')) {
        format!(
            "The AWS identity dbt runs as lacks the IAM permission {action}: add it to that \
             role's policy (the message names the role or user), then rerun — no SQL grant gives it"
        )
    } else if m.contains("Lake Formation") {
        "Lake Formation refused the operation: grant the dbt role the Lake Formation permission \
         the message names (on the Glue database or table) in the Lake Formation console or with \
         `aws lakeformation grant-permissions` — IAM alone is not enough when Lake Formation \
         governs the catalog"
            .to_string()
    } else if m.contains("globbing file pattern") || m.contains("while getting Drive") {
        "The table reads files outside BigQuery (an external table on Cloud Storage or Google \
         Drive): the dbt service account needs read access there — roles/storage.objectViewer on \
         the bucket, or the Drive file shared with it and the Drive scope in the profile \
         (`scopes:` with https://www.googleapis.com/auth/drive)"
            .to_string()
    } else if m.contains("No parent external location found") {
        let path = m
            .split_once("for path '")
            .and_then(|(_, r)| r.split_once('\''))
            .map_or("the table's path", |(p, _)| p);
        format!(
            "Unity Catalog governs storage paths: no external location covers {path}, where dbt \
             asked to write the table (a location_root or location config). Have a metastore \
             admin create an external location over that path (CREATE EXTERNAL LOCATION … URL \
             '…' WITH (STORAGE CREDENTIAL …)) and grant the dbt principal CREATE EXTERNAL TABLE \
             on it — or drop location_root and let Unity Catalog manage the tables"
        )
    } else if m.contains("cannot be listed") && m.contains("core.windows.net") {
        "The serverless SQL pool may not list the files behind the external table: the login \
         that queries it (its Entra identity, or the database scoped credential of the external \
         data source) needs Storage Blob Data Reader on the storage account or container — a SQL \
         grant does not give it"
            .to_string()
    } else if [
        "s3://",
        "s3a://",
        "abfss://",
        "AccessDeniedException",
        "cloud storage provider",
        "Code='AccessDenied'",
    ]
    .iter()
    .any(|w| m.contains(w))
    {
        "The storage behind the table refused access (S3, ADLS, GCS): the identity the warehouse \
         reads files as — an instance profile, a storage credential or external location, a \
         service principal — needs read/write on that path; no SQL GRANT on the table gives it"
            .to_string()
    } else {
        return None;
    };
    Some(FixStep::say(say))
}

/// Refusals whose fix is not a grant on the object named.
fn special_step(d: &Denied, cx: &FixContext<'_>) -> Option<FixStep> {
    let table = parts(&d.object)
        .last()
        .cloned()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let system = ["stv_", "stl_", "svl_", "svv_", "sys_"];
    Some(match d.kind {
        Kind::Tablespace => FixStep::say(format!(
            "The dbt user may not use space in tablespace {}: as an admin, give it a quota there \
             (ALTER USER <dbt_user> QUOTA UNLIMITED ON {};)",
            d.object, d.object
        )),
        Kind::Extension => FixStep::say(format!(
            "Creating the extension {} needs a superuser (or a trusted extension): ask an admin to \
             run CREATE EXTENSION IF NOT EXISTS {}; once in this database",
            d.object, d.object
        )),
        _ if cx.adapter().family() == Family::Redshift
            && system.iter().any(|p| table.starts_with(p)) =>
        {
            FixStep::say(format!(
                "{} is a Redshift system table: a regular user sees only its own rows, and some \
                 need more — as a superuser, ALTER USER <dbt_user> SYSLOG ACCESS UNRESTRICTED; \
                 or grant the role sys:monitor",
                d.object
            ))
        }
        _ => return None,
    })
}

type Grants = (Vec<String>, Option<(String, String)>);

fn postgres(d: &Denied, a: &crate::Adapter) -> Grants {
    let o = parts(&d.object)
        .iter()
        .map(|p| a.quote(p))
        .collect::<Vec<_>>()
        .join(".");
    let r = d
        .role
        .as_deref()
        .map_or("<dbt_user>".to_string(), |r| a.quote(r));
    let g = match d.kind {
        _ if d.owner => vec![format!("ALTER TABLE {o} OWNER TO {r};")],
        Kind::Database => vec![format!("GRANT CONNECT, CREATE ON DATABASE {o} TO {r};")],
        Kind::Sequence => vec![format!("GRANT USAGE, SELECT ON SEQUENCE {o} TO {r};")],
        Kind::Function => vec![format!("GRANT EXECUTE ON FUNCTION {o} TO {r};")],
        Kind::Schema if d.create => vec![format!("GRANT USAGE, CREATE ON SCHEMA {o} TO {r};")],
        Kind::Schema => vec![
            format!("GRANT USAGE ON SCHEMA {o} TO {r};"),
            format!("GRANT SELECT ON ALL TABLES IN SCHEMA {o} TO {r};"),
            // Default privileges belong to the role that creates the tables (the loader): run by
            // an admin without FOR ROLE, they would cover only the admin's own future tables.
            format!(
                "ALTER DEFAULT PRIVILEGES FOR ROLE <loader_role> IN SCHEMA {o} GRANT SELECT ON TABLES TO {r};"
            ),
        ],
        _ => schema_of(&o)
            .map(|s| format!("GRANT USAGE ON SCHEMA {s} TO {r};"))
            .into_iter()
            .chain([format!("GRANT SELECT ON {o} TO {r};")])
            .collect(),
    };
    let schema = match d.kind {
        Kind::Schema => Some(d.object.clone()),
        Kind::Relation => schema_of(&d.object),
        _ => None,
    };
    let check = schema.map(|s| {
        (
            "Check, connected as the dbt user, what it may do on the schema".to_string(),
            format!(
                "SELECT current_user, has_schema_privilege('{s}', 'USAGE') AS can_use, has_schema_privilege('{s}', 'CREATE') AS can_create;"
            ),
        )
    });
    (g, check)
}

fn snowflake(d: &Denied) -> Grants {
    let o = d.object.to_ascii_uppercase();
    let r = d.role.clone().unwrap_or_else(|| "<DBT_ROLE>".into());
    let p = parts(&o);
    let g = match d.kind {
        Kind::Database => vec![format!(
            "GRANT USAGE, CREATE SCHEMA ON DATABASE {o} TO ROLE {r};"
        )],
        Kind::Warehouse => vec![format!("GRANT USAGE ON WAREHOUSE {o} TO ROLE {r};")],
        Kind::Function => vec![format!(
            "GRANT USAGE ON FUNCTION {o}(<argument types>) TO ROLE {r};"
        )],
        Kind::Schema => {
            let mut g = Vec::new();
            if p.len() >= 2 {
                g.push(format!("GRANT USAGE ON DATABASE {} TO ROLE {r};", p[0]));
            }
            g.push(format!("GRANT USAGE ON SCHEMA {o} TO ROLE {r};"));
            if d.create {
                g.push(format!(
                    "GRANT CREATE TABLE, CREATE VIEW ON SCHEMA {o} TO ROLE {r};"
                ));
            } else {
                g.push(format!(
                    "GRANT SELECT ON ALL TABLES IN SCHEMA {o} TO ROLE {r};"
                ));
                g.push(format!(
                    "GRANT SELECT ON FUTURE TABLES IN SCHEMA {o} TO ROLE {r};"
                ));
            }
            g
        }
        _ if d.owner || d.create || d.exists_unowned => vec![format!(
            "GRANT OWNERSHIP ON {} {o} TO ROLE {r} COPY CURRENT GRANTS;",
            if d.view { "VIEW" } else { "TABLE" }
        )],
        _ => vec![format!(
            "GRANT SELECT ON {} {o} TO ROLE {r};",
            if d.view { "VIEW" } else { "TABLE" }
        )],
    };
    let on = match d.kind {
        Kind::Database => "DATABASE",
        Kind::Schema => "SCHEMA",
        Kind::Warehouse => "WAREHOUSE",
        _ => "TABLE",
    };
    let check = match &d.role {
        Some(role) => (
            "Check what the role holds".to_string(),
            format!("SHOW GRANTS TO ROLE {role};"),
        ),
        None => (
            format!(
                "Check which roles hold privileges on the {}",
                on.to_ascii_lowercase()
            ),
            format!("SHOW GRANTS ON {on} {o};"),
        ),
    };
    (g, Some(check))
}

fn bigquery(d: &Denied, cx: &FixContext<'_>) -> Grants {
    let p = parts(&d.object.replace(':', "."));
    let dataset = if p.len() >= 2 {
        format!("{}.{}", p[0], p[1])
    } else {
        d.object.clone()
    };
    let member = cx.ev().user.map_or_else(
        || "serviceAccount:<dbt service account>".to_string(),
        |u| {
            if u.contains("gserviceaccount.com") {
                format!("serviceAccount:{u}")
            } else {
                format!("user:{u}")
            }
        },
    );
    let privilege = d.privilege.as_deref().unwrap_or_default();
    let g = if privilege == "bigquery.jobs.create" || d.kind == Kind::Database {
        let role = if privilege.starts_with("bigquery.datasets") {
            "roles/bigquery.dataEditor"
        } else {
            "roles/bigquery.jobUser"
        };
        vec![format!(
            "gcloud projects add-iam-policy-binding {} --member={member} --role={role}",
            p.first().cloned().unwrap_or_default()
        )]
    } else {
        let role = if d.create || privilege.contains("create") || privilege.contains("update") {
            "roles/bigquery.dataEditor"
        } else {
            "roles/bigquery.dataViewer"
        };
        vec![format!(
            "GRANT `{role}` ON SCHEMA `{dataset}` TO \"{member}\";"
        )]
    };
    let check = (p.len() >= 2).then(|| {
        (
            "Check who may access the dataset".to_string(),
            format!(
                "bq show --format=prettyjson {}",
                dataset.replacen('.', ":", 1)
            ),
        )
    });
    (g, check)
}

fn databricks(d: &Denied) -> Grants {
    let principal = d
        .role
        .as_ref()
        .map_or("`<dbt principal>`".to_string(), |r| format!("`{r}`"));
    let catalog = parts(&d.object).first().cloned().unwrap_or_default();
    let privilege = d.privilege.clone();
    let g = match d.kind {
        Kind::Database => vec![format!(
            "GRANT USE CATALOG{} ON CATALOG {catalog} TO {principal};",
            privilege
                .filter(|p| p != "USE CATALOG")
                .map_or(String::new(), |p| format!(", {p}"))
        )],
        Kind::Schema => vec![
            format!("GRANT USE CATALOG ON CATALOG {catalog} TO {principal};"),
            format!(
                "GRANT USE SCHEMA, {} ON SCHEMA {} TO {principal};",
                match privilege.as_deref() {
                    Some(p) if p != "USE SCHEMA" => p.to_string(),
                    _ if d.create => "CREATE TABLE".to_string(),
                    _ => "SELECT".to_string(),
                },
                d.object
            ),
        ],
        Kind::Function => vec![format!(
            "GRANT EXECUTE ON FUNCTION {} TO {principal};",
            d.object
        )],
        _ => vec![format!(
            "GRANT {} ON TABLE {} TO {principal};",
            privilege
                .as_deref()
                .unwrap_or(if d.create { "MODIFY" } else { "SELECT" }),
            d.object
        )],
    };
    let on = match d.kind {
        Kind::Database => "CATALOG",
        Kind::Schema => "SCHEMA",
        _ => "TABLE",
    };
    let object = if d.kind == Kind::Database {
        catalog
    } else {
        d.object.clone()
    };
    (
        g,
        Some((
            "Check the grants on the object".to_string(),
            format!("SHOW GRANTS ON {on} {object};"),
        )),
    )
}

fn tsql(d: &Denied, message: &str) -> Grants {
    let user = d
        .role
        .as_ref()
        .map_or("[<dbt user>]".to_string(), |r| format!("[{r}]"));
    let p = parts(&d.object);
    // `The SELECT permission was denied on the object 'x', database 'msdb', schema 'dbo'`.
    let named = |what: &str| {
        message
            .split_once(&format!("{what} '"))
            .and_then(|(_, r)| r.split_once('\''))
            .map(|(n, _)| n.to_string())
    };
    let schema = named("schema").or_else(|| (p.len() >= 2).then(|| p[p.len() - 2].clone()));
    let lower = message.to_ascii_lowercase();
    let g = if lower.contains("create table permission") || (d.create && d.kind == Kind::Schema) {
        vec![
            "GRANT CREATE TABLE, CREATE VIEW TO {user};".replace("{user}", &user),
            format!(
                "GRANT ALTER ON SCHEMA::[{}] TO {user};",
                schema.clone().unwrap_or_else(|| d.object.clone())
            ),
        ]
    } else if let Some(privilege) = d.privilege.as_deref().filter(|_| d.kind != Kind::Schema) {
        let table = p.last().cloned().unwrap_or_default();
        let full = match (named("database"), &schema) {
            (Some(db), Some(s)) => format!("[{db}].[{s}].[{table}]"),
            (None, Some(s)) => format!("[{s}].[{table}]"),
            _ => format!("[{table}]"),
        };
        vec![format!("GRANT {privilege} ON {full} TO {user};")]
    } else {
        vec![format!(
            "GRANT SELECT ON SCHEMA::[{}] TO {user};",
            schema.unwrap_or_else(|| d.object.clone())
        )]
    };
    let check = if d.object.is_empty() {
        "SELECT * FROM fn_my_permissions(NULL, 'DATABASE');".to_string()
    } else {
        format!("SELECT * FROM fn_my_permissions('{}', 'OBJECT');", d.object)
    };
    (
        g,
        Some((
            "Check, connected as the dbt user, what it may do".to_string(),
            check,
        )),
    )
}

fn trino(d: &Denied) -> Grants {
    let user = d
        .role
        .as_ref()
        .map_or("<dbt user>".to_string(), |r| format!("ROLE {r}"));
    let privilege = d
        .privilege
        .as_deref()
        .unwrap_or("select")
        .to_ascii_uppercase();
    if d.create || privilege != "SELECT" {
        // Trino's access control is the catalog's (file-based rules, Ranger, Starburst's roles);
        // a GRANT works only where the connector's security supports it.
        return (
            vec![format!(
                "Allow {user} to {} {} in the access control of its catalog (file-based rules, \
                 Ranger, or Starburst's built-in roles) — or, where the connector supports SQL \
                 grants: GRANT {privilege} ON SCHEMA {} TO {user}",
                privilege.to_ascii_lowercase(),
                d.object,
                schema_of(&d.object).unwrap_or_else(|| d.object.clone())
            )],
            None,
        );
    }
    (
        vec![format!("GRANT SELECT ON {} TO {user}", d.object)],
        Some((
            "Check the grants on the table".to_string(),
            format!("SHOW GRANTS ON TABLE {};", d.object),
        )),
    )
}

fn oracle(d: &Denied, a: &crate::Adapter) -> Grants {
    let user = d
        .role
        .as_deref()
        .map_or("<dbt_user>".to_string(), |r| a.quote(r));
    let g = if d.create || d.object.is_empty() {
        vec![
            format!("GRANT CREATE TABLE TO {user};"),
            format!("GRANT CREATE VIEW TO {user};"),
        ]
    } else {
        vec![format!("GRANT SELECT ON {} TO {user};", d.object)]
    };
    (
        g,
        Some((
            "Check, connected as the dbt user, what it holds (Oracle needs CREATE TABLE and CREATE \
             VIEW granted to the user itself)"
                .to_string(),
            "SELECT * FROM session_privs;".to_string(),
        )),
    )
}

fn clickhouse(d: &Denied, a: &crate::Adapter) -> Grants {
    let user = d
        .role
        .as_deref()
        .map_or("<dbt_user>".to_string(), |r| a.quote(r));
    let db = parts(&d.object)
        .first()
        .cloned()
        .unwrap_or_else(|| d.object.clone());
    let g = if d.create {
        vec![format!(
            "GRANT CREATE TABLE, CREATE VIEW, INSERT, DROP TABLE, ALTER ON {db}.* TO {user};"
        )]
    } else {
        vec![format!("GRANT SELECT ON {} TO {user};", d.object)]
    };
    (
        g,
        Some((
            "Check, connected as the dbt user, what it holds".to_string(),
            "SHOW GRANTS;".to_string(),
        )),
    )
}

/// `raw.orders` → `raw`; `db.raw.orders` → `db.raw`.
fn schema_of(relation: &str) -> Option<String> {
    let (schema, _) = relation.rsplit_once('.')?;
    Some(schema.to_string())
}

/// Tests with `store_failures` write their failing rows into `<schema>_dbt_test__audit`, a schema
/// dbt creates on the first such run: the role may build models and still not create schemas.
fn store_failures_schema(family: Family) -> FixStep {
    let grant = match family {
        Family::Postgres | Family::Redshift => "GRANT CREATE ON DATABASE <database> TO <dbt_user>;",
        Family::Snowflake => "GRANT CREATE SCHEMA ON DATABASE <database> TO ROLE <dbt_role>;",
        Family::BigQuery => {
            "grant the dbt service account roles/bigquery.dataEditor on the project (it creates datasets)"
        }
        Family::Spark => "GRANT CREATE SCHEMA ON CATALOG <catalog> TO `<dbt principal>`;",
        Family::TSql => "GRANT CREATE SCHEMA TO [<dbt user>];",
        _ => "grant the dbt role the right to create schemas in the database",
    };
    FixStep::say(format!(
        "Tests with store_failures write their failing rows to a schema named \
         <target schema>_dbt_test__audit, which dbt creates on the first such run: let the dbt \
         role create schemas ({grant}), or create that schema once as an admin and grant the role \
         CREATE in it — or point store_failures elsewhere with `+schema:` under `data_tests:` \
         in dbt_project.yml"
    ))
}

#[cfg(test)]
mod clickhouse_tests {
    use super::clickhouse_grant;

    #[test]
    fn grants_what_clickhouse_names_and_dbts_working_tables_by_database() {
        let m = "Code: 497. DB::Exception: user: Not enough privileges. To execute this query, it's necessary to have the grant SELECT, DROP TABLE ON dbt.__dbt_exchange_test_0_6ba9cdd65ba911efb5164aefc927b229. (ACCESS_DENIED) (version 23.8.4.69 (official build))";
        assert_eq!(
            clickhouse_grant(m).and_then(|s| s.run).as_deref(),
            Some("GRANT SELECT, DROP TABLE ON dbt.* TO user;")
        );
        let m = "Code: 497. DB::Exception: crypto: Not enough privileges. To execute this query, it's necessary to have the grant SHOW COLUMNS ON default.polymarket. (ACCESS_DENIED)";
        assert_eq!(
            clickhouse_grant(m).and_then(|s| s.run).as_deref(),
            Some("GRANT SHOW COLUMNS ON default.polymarket TO crypto;")
        );
        assert!(clickhouse_grant("permission denied for schema raw").is_none());
    }
}

#[cfg(test)]
mod kinds_tests {
    use super::super::{classify, fixes, Context, FixContext};
    use crate::Adapter;

    /// The first statement (or words) the fix gives for a real message.
    fn first(adapter: &str, message: &str) -> String {
        let adapter = Adapter::parse(adapter);
        let class = classify(
            message,
            &Context {
                adapter: adapter.as_ref(),
                ..Context::default()
            },
        );
        assert_eq!(class.category.as_str(), "permission", "{message}");
        let steps = fixes(&FixContext {
            category: Some(class.category),
            evidence: Some(&class.evidence),
            adapter: adapter.as_ref(),
            node_name: Some("fct_orders"),
            message,
            ..FixContext::default()
        });
        let step = &steps[0];
        step.run.clone().unwrap_or_else(|| step.say.clone())
    }

    #[test]
    fn grants_follow_the_kind_of_object() {
        let has = |adapter: &str, message: &str, expected: &str| {
            let got = first(adapter, message);
            assert!(
                got.contains(expected),
                "{message}\n→ {got}\nwanted {expected}"
            );
        };
        has(
            "postgres",
            "permission denied for database webdb",
            "GRANT CONNECT, CREATE ON DATABASE webdb TO <dbt_user>;",
        );
        has(
            "postgres",
            "permission denied for sequence orders_id_seq",
            "GRANT USAGE, SELECT ON SEQUENCE orders_id_seq",
        );
        has(
            "databricks",
            "PERMISSION_DENIED: User does not have CREATE SCHEMA on Catalog 'eckesru_department'. (SQLSTATE: HY000)",
            "GRANT USE CATALOG, CREATE SCHEMA ON CATALOG eckesru_department",
        );
        has(
            "sqlserver",
            "SQL Error [229] [S0005]: The EXECUTE permission was denied on the object 'xp_cmdshell', database 'mssqlsystemresource', schema 'sys'.",
            "GRANT EXECUTE ON [mssqlsystemresource].[sys].[xp_cmdshell]",
        );
        has(
            "oracle",
            "ORA-01950: no privileges on tablespace 'USERS'",
            "QUOTA UNLIMITED ON USERS",
        );
        has(
            "postgres",
            "ERROR:  permission denied to create extension \"btree_gist\"\nHINT:  Must be superuser to create this extension.",
            "CREATE EXTENSION IF NOT EXISTS btree_gist",
        );
        has(
            "redshift",
            "ERROR:  permission denied for relation stv_tbl_perm",
            "SYSLOG ACCESS UNRESTRICTED",
        );
        has(
            "athena",
            "AthenaException: You are not authorized to perform: athena:GetTableMetadata on the resource.",
            "IAM permission athena:GetTableMetadata",
        );
        has(
            "snowflake",
            "View 'DEBUG_PERMISSIONS' already exists, but current role has no privileges on it.",
            "GRANT OWNERSHIP ON VIEW DEBUG_PERMISSIONS",
        );
        has(
            "snowflake",
            "003001 (42501): SQL access control error:\n  Insufficient privileges to operate on database 'XXX'",
            "CREATE SCHEMA ON DATABASE XXX",
        );
    }
}
