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
    Rule::any(r"permission denied[^\n]*"),
    Rule::any(
        r"Access denied[^\n]*|AccessDenied[^\n]*|not authorized to[^\n]*|is not authorized[^\n]*|PERMISSION_DENIED[^\n]*|403 Forbidden[^\n]*",
    ),
    Rule::any(
        r"(?:doesn't|does not) have (?:enough|sufficient|the required) permissions?[^\n]*|failed for forbidden[^\n]*|Unable to verify/create output bucket[^\n]*|Insufficient Lake Formation permission[^\n]*|\b403 Forbidden[^\n]*",
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
    let ev = cx.ev();
    let a = cx.adapter();
    if cx.message.contains("dbt_test__audit") {
        return vec![store_failures_schema(a.family())];
    }
    let object = ev
        .object
        .clone()
        .or(ev.relation.clone())
        .unwrap_or_default();
    let lower = cx.message.to_ascii_lowercase();
    let is_schema = lower.contains("for schema")
        || lower.contains("on schema")
        || lower.contains("operate on schema")
        || lower.contains(" dataset ");
    // dbt creates its relations in the failed node's own schema: a denied schema that is that
    // schema is a denied CREATE, whatever the message's words.
    let own_schema = cx.relation_name.and_then(|r| {
        let p = parts(r);
        (p.len() >= 2).then(|| p[p.len() - 2].to_ascii_lowercase())
    });
    let denied_schema = parts(&object).last().map(|s| s.to_ascii_lowercase());
    let builds_here = is_schema
        && own_schema.is_some()
        && own_schema == denied_schema
        && !matches!(cx.resource_type, Some("test" | "unit_test"));
    let is_create = lower.contains("create") || lower.contains("must be owner") || builds_here;
    let role = ev.role.as_deref().or(ev.user.as_deref());
    let mut steps = Vec::new();
    if object.is_empty() {
        steps.push(FixStep::say(format!(
            "The warehouse refused an operation of {}: ask an admin which grant the dbt role lacks \
             (the message above names the operation)",
            cx.node()
        )));
    }
    let who = role
        .map(|r| format!("role {r}"))
        .unwrap_or_else(|| "the role dbt connects as (the user/role in profiles.yml)".to_string());
    let (grants, check): (Vec<String>, Option<(String, String)>) = match a.family() {
        Family::Postgres | Family::Redshift => {
            let o = parts(&object)
                .iter()
                .map(|p| a.quote(p))
                .collect::<Vec<_>>()
                .join(".");
            let r = role.map(|r| a.quote(r));
            let r_text = r.clone().unwrap_or_else(|| "<dbt_user>".into());
            let g = if lower.contains("must be owner") {
                vec![format!("ALTER TABLE {o} OWNER TO {r_text};")]
            } else if is_schema && is_create {
                vec![format!("GRANT USAGE, CREATE ON SCHEMA {o} TO {r_text};")]
            } else if is_schema {
                vec![
                    format!("GRANT USAGE ON SCHEMA {o} TO {r_text};"),
                    format!("GRANT SELECT ON ALL TABLES IN SCHEMA {o} TO {r_text};"),
                    // Default privileges belong to the role that creates the tables (the
                    // loader): run by an admin without FOR ROLE, they would cover only the
                    // admin's own future tables.
                    format!("ALTER DEFAULT PRIVILEGES FOR ROLE <loader_role> IN SCHEMA {o} GRANT SELECT ON TABLES TO {r_text};"),
                ]
            } else {
                let schema = schema_of(&o);
                let mut g = Vec::new();
                if let Some(s) = schema {
                    g.push(format!("GRANT USAGE ON SCHEMA {s} TO {r_text};"));
                }
                g.push(format!("GRANT SELECT ON {o} TO {r_text};"));
                g
            };
            let schema_name = if is_schema {
                Some(object.clone())
            } else {
                schema_of(&object)
            };
            let check = schema_name.map(|s| {
                (
                    "Check, connected as the dbt user, what it may do on the schema".to_string(),
                    format!(
                        "SELECT current_user, has_schema_privilege('{s}', 'USAGE') AS can_use, has_schema_privilege('{s}', 'CREATE') AS can_create;"
                    ),
                )
            });
            (g, check)
        }
        Family::Snowflake => {
            let o = object.to_ascii_uppercase();
            let r_text = role
                .map(|r| r.to_string())
                .unwrap_or_else(|| "<DBT_ROLE>".into());
            let p = parts(&o);
            let g = if is_schema {
                let mut g = Vec::new();
                if p.len() >= 2 {
                    g.push(format!(
                        "GRANT USAGE ON DATABASE {} TO ROLE {r_text};",
                        p[0]
                    ));
                }
                g.push(format!("GRANT USAGE ON SCHEMA {o} TO ROLE {r_text};"));
                if is_create {
                    g.push(format!(
                        "GRANT CREATE TABLE, CREATE VIEW ON SCHEMA {o} TO ROLE {r_text};"
                    ));
                } else {
                    g.push(format!(
                        "GRANT SELECT ON ALL TABLES IN SCHEMA {o} TO ROLE {r_text};"
                    ));
                    g.push(format!(
                        "GRANT SELECT ON FUTURE TABLES IN SCHEMA {o} TO ROLE {r_text};"
                    ));
                }
                g
            } else {
                vec![format!("GRANT SELECT ON TABLE {o} TO ROLE {r_text};")]
            };
            let check = Some(if let Some(r) = role {
                (
                    "Check what the role holds".to_string(),
                    format!("SHOW GRANTS TO ROLE {r};"),
                )
            } else if is_schema {
                (
                    "Check which roles may use the schema".to_string(),
                    format!("SHOW GRANTS ON SCHEMA {o};"),
                )
            } else {
                (
                    "Check which roles may read the object".to_string(),
                    format!("SHOW GRANTS ON TABLE {o};"),
                )
            });
            (g, check)
        }
        Family::BigQuery => {
            let p = parts(&object.replace(':', "."));
            let dataset = if p.len() >= 2 {
                format!("{}.{}", p[0], p[1])
            } else {
                object.clone()
            };
            let member = ev
                .user
                .as_deref()
                .map(|u| {
                    if u.contains("gserviceaccount.com") {
                        format!("serviceAccount:{u}")
                    } else {
                        format!("user:{u}")
                    }
                })
                .unwrap_or_else(|| "serviceAccount:<dbt service account>".into());
            let role_name = if is_create
                || ev
                    .privilege
                    .as_deref()
                    .is_some_and(|p| p.contains("create"))
            {
                "roles/bigquery.dataEditor"
            } else {
                "roles/bigquery.dataViewer"
            };
            let g = if ev.privilege.as_deref() == Some("bigquery.jobs.create") {
                vec![format!(
                    "gcloud projects add-iam-policy-binding {object} --member={member} --role=roles/bigquery.jobUser"
                )]
            } else {
                vec![format!(
                    "GRANT `{role_name}` ON SCHEMA `{dataset}` TO \"{member}\";"
                )]
            };
            let check = Some((
                "Check who may access the dataset".to_string(),
                format!(
                    "bq show --format=prettyjson {}",
                    dataset.replacen('.', ":", 1)
                ),
            ));
            (g, check)
        }
        Family::Spark => {
            let principal = role
                .map(|r| format!("`{r}`"))
                .unwrap_or_else(|| "`<dbt principal>`".into());
            let g = if is_schema
                || ev
                    .privilege
                    .as_deref()
                    .is_some_and(|p| p.contains("SCHEMA"))
            {
                vec![
                    format!(
                        "GRANT USE CATALOG ON CATALOG {} TO {principal};",
                        parts(&object).first().cloned().unwrap_or_default()
                    ),
                    format!("GRANT USE SCHEMA, SELECT ON SCHEMA {object} TO {principal};"),
                ]
            } else {
                vec![format!("GRANT SELECT ON TABLE {object} TO {principal};")]
            };
            let kind = if is_schema { "SCHEMA" } else { "TABLE" };
            (
                g,
                Some((
                    "Check the grants on the object".to_string(),
                    format!("SHOW GRANTS ON {kind} {object};"),
                )),
            )
        }
        Family::TSql => {
            let user = role
                .map(|r| format!("[{r}]"))
                .unwrap_or_else(|| "[<dbt user>]".into());
            let p = parts(&object);
            let schema = if p.len() >= 2 {
                p[p.len() - 2].clone()
            } else {
                object.clone()
            };
            let g = if lower.contains("create table permission") {
                vec![
                    format!("GRANT CREATE TABLE TO {user};"),
                    format!("GRANT ALTER ON SCHEMA::[{schema}] TO {user};"),
                ]
            } else {
                vec![format!("GRANT SELECT ON SCHEMA::[{schema}] TO {user};")]
            };
            (
                g,
                Some((
                    "Check, connected as the dbt user, what it may do on the object".to_string(),
                    format!("SELECT * FROM fn_my_permissions('{object}', 'OBJECT');"),
                )),
            )
        }
        Family::Trino => (
            vec![format!(
                "GRANT SELECT ON {object} TO {}",
                role.map(|r| format!("ROLE {r}"))
                    .unwrap_or_else(|| "<dbt user>".into())
            )],
            Some((
                "Check the grants on the table".to_string(),
                format!("SHOW GRANTS ON TABLE {object};"),
            )),
        ),
        Family::Oracle => {
            let user = role
                .map(|r| a.quote(r))
                .unwrap_or_else(|| "<dbt_user>".into());
            let g = if is_create {
                vec![
                    format!("GRANT CREATE TABLE TO {user};"),
                    format!("GRANT CREATE VIEW TO {user};"),
                ]
            } else {
                vec![format!("GRANT SELECT ON {object} TO {user};")]
            };
            (
                g,
                Some((
                    "Check, connected as the dbt user, what it holds".to_string(),
                    "SELECT * FROM session_privs;".to_string(),
                )),
            )
        }
        Family::ClickHouse => {
            let user = role
                .map(|r| a.quote(r))
                .unwrap_or_else(|| "<dbt_user>".into());
            let db = parts(&object)
                .first()
                .cloned()
                .unwrap_or_else(|| object.clone());
            let g = if is_create {
                vec![format!(
                    "GRANT CREATE TABLE, CREATE VIEW, INSERT, DROP TABLE, ALTER ON {db}.* TO {user};"
                )]
            } else {
                vec![format!("GRANT SELECT ON {object} TO {user};")]
            };
            (
                g,
                Some((
                    "Check, connected as the dbt user, what it holds".to_string(),
                    "SHOW GRANTS;".to_string(),
                )),
            )
        }
        Family::DuckDb => {
            steps.push(FixStep::say(
                "DuckDB has no roles: check that the user running dbt may read and write the \
                 database file and the files it reads (file system permissions)",
            ));
            (Vec::new(), None)
        }
        _ => {
            if !object.is_empty() {
                steps.push(FixStep::say(format!(
                    "Grant {who} what {} needs on {object}: to read it, SELECT (and USAGE on its \
                     schema); to build in a schema, the right to create there. An admin of the \
                     warehouse runs the GRANT; the message above names the operation refused",
                    cx.node()
                )));
            }
            (Vec::new(), None)
        }
    };
    if !grants.is_empty() && !object.is_empty() {
        let statements = grants.join("\n");
        if statements.contains('<') {
            let loader = if statements.contains("<loader_role>") {
                " (and <loader_role> with the role that creates its tables, so that tables it \
                 loads later are readable too)"
            } else {
                ""
            };
            steps.push(FixStep::say(format!(
                "As the owner of {object} (or an admin), grant {who} what it needs, replacing the \
                 placeholder with that role{loader}:\n{statements}"
            )));
        } else {
            for g in grants {
                steps.push(FixStep::run(
                    format!("As the owner of {object} (or an admin), grant {who}"),
                    g,
                ));
            }
        }
    }
    if let Some((say, run)) = check {
        steps.push(FixStep::run(say, run));
    }
    steps
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
