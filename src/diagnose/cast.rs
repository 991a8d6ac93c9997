//! Where a failing cast is written and which rows fail it: the view upstream that casts the
//! column the warehouse names, or the root's own SQL, and a query that finds the rows that do not
//! convert (on warehouses with a non-failing cast).

use super::*;

/// Where a failing cast is written, when it is not in the failed node itself: a view (or an
/// ephemeral model) upstream whose SQL runs inside the node's statement.
pub(super) struct CastOrigin<'a> {
    pub(super) name: String,
    pub(super) file: Option<&'a str>,
    /// The line of its SQL that casts the column.
    pub(super) excerpt: String,
    /// A query that finds the rows whose value does not convert, when the relation read and
    /// the type are known.
    pub(super) rows: Option<String>,
}

/// DuckDB says which column a failed cast read (`when casting from source column amount`):
/// the node whose compiled SQL casts it — the failed node, or the nearest view or ephemeral
/// model upstream — is where the fix goes.
pub(super) fn cast_origin<'a>(r: &Root<'a>, ctx: &Ctx<'a>) -> Option<CastOrigin<'a>> {
    // The column, when the warehouse names it; else the type it could not convert to
    // (DuckDB's `to INT32`), whose cast the SQL writes as `as integer`.
    let named = r
        .message
        .split_once("casting from source column ")
        .map(|(_, rest)| {
            rest.split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .filter(|c| !c.is_empty());
    let sql_types = r
        .message
        .split_once("Could not convert string ")
        .and_then(|(_, rest)| rest.split_once(" to "))
        .map(|(_, t)| duckdb_type_names(t.split_whitespace().next().unwrap_or_default()))
        .unwrap_or_default();
    if named.is_none() && sql_types.is_empty() {
        return None;
    }
    let casts = |sql: &str| -> Option<(String, String)> {
        sql.lines().find_map(|l| {
            let lower = l.to_ascii_lowercase();
            let column = match &named {
                Some(c) => (lower.contains(&format!("cast({c}"))
                    || lower.contains(&format!("cast(\"{c}\""))
                    || lower.contains(&format!("{c}::")))
                .then(|| c.clone())?,
                None => sql_types.iter().find_map(|t| cast_column(&lower, t))?,
            };
            Some((column, l.trim().to_string()))
        })
    };
    if r.compiled_code.and_then(&casts).is_some() {
        return None;
    }
    let m = ctx.manifest?;
    let mut queue: Vec<&str> = ctx.lineage.parents(&r.id);
    let mut seen: HashSet<&str> = HashSet::default();
    let mut candidates = Vec::new();
    while let Some(id) = queue.pop() {
        if !seen.insert(id) {
            continue;
        }
        let Some(n) = m.nodes.get(id) else { continue };
        let inline = matches!(n.materialized.as_deref(), Some("view" | "ephemeral"));
        if n.resource_type != ResourceType::Model || !inline {
            continue;
        }
        if let Some((column, excerpt)) = n.compiled_code.as_deref().and_then(&casts) {
            let column = column.as_str();
            let read = ctx
                .lineage
                .parents(id)
                .into_iter()
                .filter_map(|p| m.nodes.get(p))
                .find_map(|p| p.relation_name.clone());
            let rows = read
                .zip(cast_type(&excerpt, column))
                .and_then(|(rel, ty)| rows_query(&rel, column, &ty, ctx));
            let found = CastOrigin {
                name: n.name.clone(),
                file: n.original_file_path.as_deref(),
                excerpt,
                rows,
            };
            // The column the warehouse named decides; a type alone only when one view casts to it.
            if named.is_some() {
                return Some(found);
            }
            candidates.push(found);
            continue;
        }
        queue.extend(ctx.lineage.parents(id));
    }
    match candidates.len() {
        1 => candidates.pop(),
        _ => None,
    }
}

/// A query for the rows of `relation` whose `column` does not convert to `ty`, on warehouses
/// that have a non-failing cast.
pub(super) fn rows_query(relation: &str, column: &str, ty: &str, ctx: &Ctx<'_>) -> Option<String> {
    let try_cast = match ctx.adapter.as_ref().map(Adapter::family) {
        Some(Family::BigQuery) => "safe_cast",
        Some(Family::Postgres | Family::Redshift | Family::Oracle) | None => return None,
        _ => "try_cast",
    };
    Some(format!(
        "select * from {relation} where {try_cast}({column} as {ty}) is null and {column} is not null;"
    ))
}

/// When the failing cast is in the root's own SQL over one parent: the rows that do not convert.
pub(super) fn own_cast_rows(r: &Root<'_>, ctx: &Ctx<'_>) -> Option<String> {
    let column = r
        .message
        .split_once("casting from source column ")
        .and_then(|(_, rest)| rest.split_whitespace().next())?
        .trim_matches(['"', '\'', '.']);
    // Without the compiled SQL (a microbatch model compiles per batch), the line the warehouse
    // quotes (`LINE 17:     cast(amount as integer) as amount`).
    let code = r.compiled_code.unwrap_or(&r.message);
    let line = code.lines().find(|l| {
        let lower = l.to_ascii_lowercase();
        lower.contains(&format!("cast({column} ")) || lower.contains(&format!("cast(\"{column}\""))
    })?;
    let ty = cast_type(line.trim(), column)?;
    let [(_, relation)] = &parent_relations(&r.id, ctx)[..] else {
        return None;
    };
    rows_query(relation, column, &ty, ctx)
}

/// DuckDB's name of a type → how SQL writes a cast to it.
pub(super) fn duckdb_type_names(t: &str) -> Vec<&'static str> {
    match t.trim_end_matches(['.', ',']) {
        "INT32" | "INTEGER" => vec!["integer", "int"],
        "INT64" | "BIGINT" => vec!["bigint"],
        "INT16" | "SMALLINT" => vec!["smallint"],
        "DOUBLE" => vec!["double", "float"],
        "DATE" => vec!["date"],
        "TIMESTAMP" => vec!["timestamp"],
        "BOOLEAN" => vec!["boolean", "bool"],
        _ => Vec::new(),
    }
}

/// The column a line casts to `ty`: `cast(amount as integer)` → `amount`.
pub(super) fn cast_column(lower_line: &str, ty: &str) -> Option<String> {
    let at = lower_line.find(&format!(" as {ty})"))?;
    let open = lower_line[..at].rfind("cast(")?;
    let column = lower_line[open + 5..at].trim().trim_matches('"');
    (!column.is_empty()
        && column
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_'))
    .then(|| column.to_string())
}

/// `cast(amount as integer)` → `integer`.
pub(super) fn cast_type(sql: &str, column: &str) -> Option<String> {
    let lower = sql.to_ascii_lowercase();
    let at = lower.find(&format!("cast({column} as "))?;
    let rest = &sql[at + format!("cast({column} as ").len()..];
    let ty: String = rest.chars().take_while(|c| *c != ')').collect();
    let ty = ty.trim();
    (!ty.is_empty() && ty.len() < 40).then(|| ty.to_string())
}
