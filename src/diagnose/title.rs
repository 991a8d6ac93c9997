//! A problem's title: one line that says what broke, in the category's words, with the
//! evidence the message names (the column, the object, the function) and the warehouse.

use super::*;

/// A title in plain words from the category, the evidence and the node.
pub(super) fn title(
    c: &Classification,
    node: Option<&str>,
    count: usize,
    adapter: Option<&Adapter>,
    resource_type: Option<&ResourceType>,
    message: &str,
) -> String {
    let ev = &c.evidence;
    let node_text = match (node, count) {
        (Some(n), 1) => format!(" in {n}"),
        (Some(n), k) => format!(" in {n} and {} more", k - 1),
        (None, _) => String::new(),
    };
    let what = node.unwrap_or("the run");
    match c.category {
        Category::Permission => match (&ev.role, &ev.object, &ev.privilege) {
            (Some(r), Some(o), _) => format!("Role {r} may not use {o}"),
            (None, Some(o), Some(p)) => format!("No {p} privilege on {o}{node_text}"),
            (None, Some(o), None) => format!("Permission denied on {o}{node_text}"),
            _ => format!("Permission denied{node_text}"),
        },
        Category::SqlDialect => {
            let db = adapter.map_or("this warehouse", Adapter::display_name);
            let by = c
                .decided_by
                .as_deref()
                .unwrap_or_default()
                .to_ascii_lowercase();
            let types = by.contains("signature")
                || by.contains("argument types")
                || by.contains("candidate function");
            match &ev.function {
                Some(f) if types => format!(
                    "{db} does not accept these argument types for {}{node_text}",
                    f.to_ascii_uppercase()
                ),
                None if types => format!("{db} does not accept these argument types{node_text}"),
                Some(f) if f == "::" => format!("`::` casts are not {db} SQL{node_text}"),
                Some(f) => format!("{} is not {db} SQL{node_text}", f.to_ascii_uppercase()),
                // What the warehouse says it lacks: `Timestamp precision (3) not supported for
                // Iceberg`.
                None if by.contains("not supported") || by.contains("does not support") => {
                    format!(
                        "Not supported on {db}: {}{node_text}",
                        unsupported_clause(message).unwrap_or("a feature the SQL uses")
                    )
                }
                None => format!("SQL from another dialect{node_text}"),
            }
        }
        Category::MissingRelation => match (&ev.relation, &ev.object) {
            (Some(r), _) if count > 1 => {
                format!("{r} and {} more relation(s) do not exist", count - 1)
            }
            (Some(r), _) => format!("Relation {r} does not exist{node_text}"),
            (None, Some(o)) => format!("{o} does not exist{node_text}"),
            _ => format!("A relation does not exist{node_text}"),
        },
        Category::MissingColumn => match (&ev.column, &ev.relation) {
            (Some(col), Some(rel)) => format!("Column {col} does not exist in {rel}{node_text}"),
            (Some(col), None) => format!("Column {col} does not exist{node_text}"),
            _ => format!("A column does not exist{node_text}"),
        },
        Category::SchemaDrift => format!("Incremental model {what} no longer matches its table"),
        Category::Contract => format!("{what}'s SQL does not match its enforced contract"),
        Category::TestFailure => {
            let n = node.unwrap_or("a test");
            let kind = if resource_type == Some(&ResourceType::UnitTest) {
                "Unit test"
            } else {
                "Test"
            };
            if count > 1 {
                format!("{kind} {n} and {} more failed", count - 1)
            } else {
                format!("{kind} {n} failed")
            }
        }
        Category::Data => format!("The data broke {what}"),
        Category::SqlError => format!("SQL error{node_text}"),
        Category::Connection => match (&ev.profile, &ev.target, &ev.env_var, &ev.user) {
            (Some(p), _, _, _) => format!("Profile {p} not found"),
            (None, Some(t), _, _) => format!("Target {t} not found in the profile"),
            (None, None, Some(v), _) => format!("Environment variable {v} is not set"),
            (None, None, None, Some(u)) => format!("The warehouse refused the credentials of {u}"),
            _ if c
                .decided_by
                .as_deref()
                .is_some_and(|d| d.contains("No active warehouse")) =>
            {
                "The session has no Snowflake warehouse to run on".to_string()
            }
            _ => "dbt could not connect to the warehouse".to_string(),
        },
        Category::Compilation => format!("Compilation error{node_text}"),
        Category::Dependency => match &ev.object {
            Some(o) => format!("{what} refers to {o}, which does not exist"),
            None => format!("The project's dependencies are broken{node_text}"),
        },
        Category::Resource if message.contains("pg_namespace_nspname_index") => {
            let schema = message
                .split_once("Key (nspname)=(")
                .and_then(|(_, r)| r.split_once(')'))
                .map_or("a schema", |(s, _)| s);
            format!("Two dbt runs created schema {schema} at the same moment")
        }
        Category::Resource => format!("{what} hit a resource limit"),
        Category::Freshness => {
            let age = ev
                .age_s
                .map(|a| format!(" (newest row {} old)", classify::age_text(a)))
                .unwrap_or_default();
            match count {
                1 => format!("Source {what} is stale{age}"),
                k => format!("Source {what} and {} more are stale{age}", k - 1),
            }
        }
        Category::Other => format!("{what} failed"),
    }
}

/// The clause of a message that says what is not supported: `Timestamp precision (3) not
/// supported for Iceberg` out of Trino's `…, message="Timestamp precision (3) not supported for
/// Iceberg. Use …"`.
pub(super) fn unsupported_clause(message: &str) -> Option<&str> {
    let lower = message.to_ascii_lowercase();
    let at = lower
        .find("not supported")
        .or_else(|| lower.find("does not support"))?;
    let start = message[..at]
        .rfind(['"', '\n', '='])
        .filter(|i| message[*i..at].len() < 120)
        .map_or(0, |i| i + 1);
    let start = message[start..at]
        .find(": ")
        .map_or(start, |i| start + i + 2);
    let end = message[at..]
        .find(['.', '"', '\n', ';'])
        .map_or(message.len(), |i| at + i);
    let clause = message[start..end].trim();
    (!clause.is_empty() && clause.len() <= 120).then_some(clause)
}

/// A title for a message classified without a node (the CLI's `classify`).
pub fn title_of(c: &Classification, adapter: Option<&Adapter>, message: &str) -> String {
    title(c, None, 1, adapter.or(c.adapter.as_ref()), None, message)
}
