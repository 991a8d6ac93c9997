//! Power BI sources ↔ dbt nodes. A source matches the model, seed, snapshot or source whose
//! relation it names: database, schema and name compared unquoted and case-insensitively; a
//! source without a database (SQL Server's default, native SQL `schema.table`, Direct Lake)
//! matches on schema and name when that is unique, one without a schema on its name when unique.
//! When several nodes fit, the one whose warehouse spelling is exact wins (the adapter's folding:
//! Snowflake upper-cases unquoted names, Postgres/Redshift/DuckDB lower-case them), then models
//! before snapshots, seeds and sources. Pure and total: every source ends matched or unmatched
//! with a reason.

use std::collections::HashMap;

use crate::artifacts::{Manifest, Node};
use crate::powerbi::{ModelMatch, OtherSource, PowerBi, SourceMatch, SourceRef, UnmatchedSource};
use crate::vocab::ResourceType;

/// Matches every semantic model's table sources against the manifest's relations. `adapter`
/// (`snowflake`, `postgres`, …) decides how unquoted names fold; without it the manifest's
/// `adapter_type` is used.
pub fn match_sources(pbi: &PowerBi, manifest: &Manifest, adapter: Option<&str>) -> Vec<ModelMatch> {
    let adapter = adapter
        .or(manifest.metadata.adapter_type.as_deref())
        .unwrap_or("")
        .to_ascii_lowercase();
    let index = Index::new(manifest, &adapter);
    pbi.models
        .iter()
        .map(|model| {
            let mut matched = Vec::new();
            let mut unmatched = Vec::new();
            let mut other_sources = Vec::new();
            for table in &model.tables {
                for p in &table.partitions {
                    for s in &p.sources {
                        match index.find(s) {
                            Ok(node) => matched.push(SourceMatch {
                                table: table.name.clone(),
                                relation: s.relation(),
                                node: node.unique_id.clone(),
                            }),
                            Err(reason) => unmatched.push(UnmatchedSource {
                                table: table.name.clone(),
                                relation: Some(s.relation()),
                                reason,
                            }),
                        }
                    }
                    for u in &p.unresolved {
                        unmatched.push(UnmatchedSource {
                            table: table.name.clone(),
                            relation: u.relation.clone(),
                            reason: u.reason.clone(),
                        });
                    }
                    for c in &p.other_sources {
                        other_sources.push(OtherSource {
                            table: table.name.clone(),
                            connector: c.clone(),
                        });
                    }
                }
            }
            matched.sort();
            matched.dedup();
            unmatched.sort();
            unmatched.dedup();
            other_sources.sort();
            other_sources.dedup();
            ModelMatch {
                model: model.name.clone(),
                id: model.exposure_id(),
                dataset_id: model.dataset_id.clone(),
                workspace: model.workspace.clone(),
                matched,
                unmatched,
                other_sources,
                reports: model.reports.clone(),
            }
        })
        .collect()
}

/// A node's relation as the warehouse spells it.
struct Relation<'a> {
    node: &'a Node,
    database: Option<String>,
    schema: Option<String>,
    identifier: String,
}

struct Index<'a> {
    relations: Vec<Relation<'a>>,
    full: HashMap<(String, String, String), Vec<usize>>,
    schema_name: HashMap<(String, String), Vec<usize>>,
    name: HashMap<String, Vec<usize>>,
}

fn key(s: &str) -> String {
    s.to_lowercase()
}

fn rank(node: &Node) -> u8 {
    match node.resource_type {
        ResourceType::Model => 0,
        ResourceType::Snapshot => 1,
        ResourceType::Seed => 2,
        _ => 3,
    }
}

impl<'a> Index<'a> {
    fn new(manifest: &'a Manifest, adapter: &str) -> Index<'a> {
        let mut index = Index {
            relations: Vec::new(),
            full: HashMap::new(),
            schema_name: HashMap::new(),
            name: HashMap::new(),
        };
        for node in manifest.nodes.values() {
            if !(node.resource_type.builds_relation() || node.resource_type == ResourceType::Source)
            {
                continue;
            }
            if node.resource_type == ResourceType::Model
                && node.materialized.as_deref() == Some("ephemeral")
            {
                continue;
            }
            let Some(rel) = relation_of(node, adapter) else {
                continue;
            };
            let i = index.relations.len();
            if let (Some(d), Some(s)) = (&rel.database, &rel.schema) {
                index
                    .full
                    .entry((key(d), key(s), key(&rel.identifier)))
                    .or_default()
                    .push(i);
            }
            if let Some(s) = &rel.schema {
                index
                    .schema_name
                    .entry((key(s), key(&rel.identifier)))
                    .or_default()
                    .push(i);
            }
            index.name.entry(key(&rel.identifier)).or_default().push(i);
            index.relations.push(rel);
        }
        index
    }

    fn find(&self, s: &SourceRef) -> Result<&'a Node, String> {
        let id = key(&s.identifier);
        let (candidates, partial) = match (&s.database, &s.schema) {
            (Some(d), Some(sc)) => (self.full.get(&(key(d), key(sc), id.clone())), false),
            (None, Some(sc)) => (self.schema_name.get(&(key(sc), id.clone())), true),
            (_, None) => (self.name.get(&id), true),
        };
        let candidates: Vec<&Relation> = candidates
            .map(|v| v.iter().map(|i| &self.relations[*i]).collect())
            .unwrap_or_default();
        if candidates.is_empty() {
            return Err(self.not_found(s));
        }
        if partial {
            // Without a database the candidates may be different tables: that is ambiguous.
            let mut distinct: Vec<String> = candidates.iter().map(|r| full_key(r)).collect();
            distinct.sort();
            distinct.dedup();
            if distinct.len() > 1 {
                let names: Vec<String> = candidates
                    .iter()
                    .map(|r| format!("`{}` ({})", r.node.unique_id, spelled(r)))
                    .collect();
                return Err(format!(
                    "`{}` names no database, and several dbt relations fit: {}",
                    s.relation(),
                    names.join(", ")
                ));
            }
        }
        let best = candidates
            .iter()
            .min_by_key(|r| (!exact(r, s), rank(r.node), r.node.unique_id.as_str()))
            .map(|r| r.node);
        best.ok_or_else(|| self.not_found(s))
    }

    fn not_found(&self, s: &SourceRef) -> String {
        let mut reason = format!(
            "no model, seed, snapshot or source in the manifest is `{}`",
            s.relation()
        );
        // A node with the same schema and name elsewhere: another target or environment?
        if s.database.is_some() {
            if let Some(s_name) = &s.schema {
                if let Some(others) = self.schema_name.get(&(key(s_name), key(&s.identifier))) {
                    if let Some(r) = others.first().map(|i| &self.relations[*i]) {
                        reason.push_str(&format!(
                            "; `{}` is `{}` in another database — is the manifest from another target?",
                            r.node.unique_id,
                            spelled(r)
                        ));
                    }
                }
            }
        }
        reason
    }
}

fn full_key(r: &Relation) -> String {
    format!(
        "{}.{}.{}",
        key(r.database.as_deref().unwrap_or("")),
        key(r.schema.as_deref().unwrap_or("")),
        key(&r.identifier)
    )
}

fn spelled(r: &Relation) -> String {
    [
        r.database.as_deref(),
        r.schema.as_deref(),
        Some(r.identifier.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(".")
}

/// Whether the source spells every part it names exactly as the warehouse does.
fn exact(r: &Relation, s: &SourceRef) -> bool {
    let same = |a: &Option<String>, b: &Option<String>| match (a, b) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    };
    r.identifier == s.identifier && same(&r.schema, &s.schema) && same(&r.database, &s.database)
}

/// The node's relation: `relation_name`'s parts where it has them (quoted parts kept as they
/// are, unquoted ones folded per adapter), else `database`, `schema` and `alias`/name.
fn relation_of<'a>(node: &'a Node, adapter: &str) -> Option<Relation<'a>> {
    let parts = node
        .relation_name
        .as_deref()
        .map(split_relation)
        .unwrap_or_default();
    let fold = |(text, quoted): (String, bool)| {
        if quoted {
            text
        } else {
            fold_case(&text, adapter)
        }
    };
    let n = parts.len();
    let mut from_rel: [Option<String>; 3] = [None, None, None];
    if n >= 1 {
        for (slot, part) in from_rel.iter_mut().rev().zip(parts.into_iter().rev()) {
            *slot = Some(fold(part));
        }
    }
    let [rel_db, rel_schema, rel_id] = from_rel;
    let identifier = rel_id
        .or_else(|| node.alias.as_deref().map(|a| fold_case(a, adapter)))
        .or_else(|| (!node.name.is_empty()).then(|| fold_case(&node.name, adapter)))?;
    Some(Relation {
        node,
        database: rel_db.or_else(|| node.database.as_deref().map(|d| fold_case(d, adapter))),
        schema: rel_schema.or_else(|| node.schema.as_deref().map(|s| fold_case(s, adapter))),
        identifier,
    })
}

fn fold_case(s: &str, adapter: &str) -> String {
    match adapter {
        "snowflake" => s.to_uppercase(),
        "postgres" | "redshift" | "duckdb" | "materialize" => s.to_lowercase(),
        _ => s.to_string(),
    }
}

/// `"shop"."main"."t"`, `` `p`.`d`.`t` ``, `[db].[s].[t]`, `db.s.t` → parts with whether quoted.
fn split_relation(rel: &str) -> Vec<(String, bool)> {
    let mut parts = Vec::new();
    let mut chars = rel.trim().chars().peekable();
    loop {
        let mut part = String::new();
        let mut quoted = false;
        match chars.peek().copied() {
            Some(q @ ('"' | '`' | '[')) => {
                quoted = true;
                let close = if q == '[' { ']' } else { q };
                chars.next();
                while let Some(c) = chars.next() {
                    if c == close {
                        if chars.peek() == Some(&close) && close != ']' {
                            part.push(c);
                            chars.next();
                            continue;
                        }
                        break;
                    }
                    part.push(c);
                }
                // Anything up to the next dot belongs to nothing: skip it.
                while chars.peek().is_some_and(|c| *c != '.') {
                    chars.next();
                }
            }
            _ => {
                while let Some(c) = chars.peek().copied() {
                    if c == '.' {
                        break;
                    }
                    part.push(c);
                    chars.next();
                }
            }
        }
        // BigQuery quotes the whole `project.dataset.table` in one pair of backticks.
        if quoted && part.contains('.') && rel.trim().starts_with('`') {
            parts.extend(part.split('.').map(|p| (p.to_string(), true)));
        } else {
            parts.push((part.trim().to_string(), quoted));
        }
        if chars.next().is_none() {
            break;
        }
    }
    parts.retain(|(p, _)| !p.is_empty());
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relation_names() {
        assert_eq!(
            split_relation("\"shop\".\"main\".\"fct_orders\""),
            [
                ("shop".into(), true),
                ("main".into(), true),
                ("fct_orders".into(), true)
            ]
        );
        assert_eq!(
            split_relation("`proj.ds.t`"),
            [
                ("proj".into(), true),
                ("ds".into(), true),
                ("t".into(), true)
            ]
        );
        assert_eq!(
            split_relation("analytics.main.Orders"),
            [
                ("analytics".into(), false),
                ("main".into(), false),
                ("Orders".into(), false)
            ]
        );
        assert_eq!(split_relation(""), Vec::<(String, bool)>::new());
        assert_eq!(
            split_relation("\"unterminated"),
            [("unterminated".into(), true)]
        );
    }
}
