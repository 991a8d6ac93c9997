//! Source freshness (`sources.json`) → roots of `freshness` problems, the nodes built from stale
//! sources, and warnings for sources past `warn_after`.
//!
//! A stale source is a root of its own kind: it did not fail to run, its data is old. So it takes
//! no part in the cascade (nothing is skipped because of it) and exposures downstream of it are
//! *stale*, not *affected* (`CONTRACT.md`).

use std::collections::BTreeMap;

use crate::artifacts::{SourceFreshness, Sources};
use crate::classify::{self, Category, Classification, Evidence};
use crate::vocab::ResourceType;

use super::{resource_type_of, Ctx, Root, StaleNode, Warning};

/// What sources.json adds to a diagnosis.
pub(super) struct Freshness<'a> {
    /// Sources in `error` (category `freshness`) and sources whose freshness query failed
    /// (classified by the database's message).
    pub roots: Vec<Root<'a>>,
    /// Sources in `warn`: their ids.
    pub warn: Vec<String>,
}

pub(super) fn read<'a>(sources: Option<&'a Sources>, ctx: &Ctx<'a>) -> Freshness<'a> {
    let mut out = Freshness {
        roots: Vec::new(),
        warn: Vec::new(),
    };
    for s in sources.map_or(&[][..], |s| &s.results[..]) {
        if s.is_warn() {
            out.warn.push(s.unique_id.clone());
        } else if s.is_error() {
            out.roots.push(stale_root(s, ctx));
        } else if s.is_runtime_error() {
            out.roots.push(query_failed_root(s, ctx));
        }
    }
    out.roots.sort_by(|a, b| a.id.cmp(&b.id));
    out.warn.sort();
    out
}

/// `raw.sessions`, as dbt names a source in its output.
fn source_label(id: &str, ctx: &Ctx<'_>) -> String {
    let node = ctx.manifest.and_then(|m| m.nodes.get(id));
    match node {
        Some(n) if n.source_name.is_some() => {
            format!(
                "{}.{}",
                n.source_name.as_deref().unwrap_or_default(),
                n.name
            )
        }
        // `source.<package>.<source>.<table>` without a manifest.
        _ => id.splitn(3, '.').nth(2).unwrap_or(id).to_string(),
    }
}

fn stale_root<'a>(s: &SourceFreshness, ctx: &Ctx<'a>) -> Root<'a> {
    let node = ctx.manifest.and_then(|m| m.nodes.get(&s.unique_id));
    let name = source_label(&s.unique_id, ctx);
    let threshold = s.broken_threshold().map(|t| format!("error_after {t}"));
    let age_s = s
        .age_s
        .filter(|a| a.is_finite() && *a >= 0.0)
        .map(|a| a as u64);
    let mut message = format!("Source {name} is stale");
    if let Some(at) = &s.max_loaded_at {
        message.push_str(&format!(": its newest row is from {at}"));
    }
    if let Some(age) = age_s {
        message.push_str(&format!(", {} old", classify::age_text(age)));
    }
    if let Some(checked) = &s.snapshotted_at {
        message.push_str(&format!(" when dbt checked at {checked}"));
    }
    if let Some(t) = &threshold {
        message.push_str(&format!(" ({t})"));
    }
    Root {
        id: s.unique_id.clone(),
        name,
        resource_type: ResourceType::Source,
        node,
        message,
        class: Classification {
            category: Category::Freshness,
            evidence: Evidence {
                relation: node
                    .and_then(|n| n.relation_name.clone())
                    .or_else(|| Some(source_label(&s.unique_id, ctx))),
                max_loaded_at: s.max_loaded_at.clone(),
                age_s,
                threshold,
                ..Evidence::default()
            },
            decided_by: None,
            error_type: None,
            adapter: None,
        },
        compiled_code: None,
        batches: None,
    }
}

fn query_failed_root<'a>(s: &'a SourceFreshness, ctx: &Ctx<'a>) -> Root<'a> {
    let node = ctx.manifest.and_then(|m| m.nodes.get(&s.unique_id));
    let message = s.error.clone().unwrap_or_else(|| {
        "dbt could not run the freshness query of this source (no message)".to_string()
    });
    let class = super::classify_node(&s.unique_id, node, &message, Some(&s.status), None, ctx);
    Root {
        id: s.unique_id.clone(),
        name: source_label(&s.unique_id, ctx),
        resource_type: resource_type_of(&s.unique_id, node),
        node,
        message,
        class,
        compiled_code: None,
        batches: None,
    }
}

/// Models, seeds and snapshots built from the stale sources (the `freshness` roots), each with
/// the sources that make it stale. Sorted by node.
pub(super) fn stale_nodes(roots: &[Root<'_>], ctx: &Ctx<'_>) -> Vec<StaleNode> {
    let mut stale: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in roots
        .iter()
        .filter(|r| r.class.category == Category::Freshness)
    {
        for d in ctx.lineage.descendants(&r.id) {
            let node = ctx.manifest.and_then(|m| m.nodes.get(d));
            if resource_type_of(d, node).builds_relation() {
                stale.entry(d.to_string()).or_default().push(r.id.clone());
            }
        }
    }
    stale
        .into_iter()
        .map(|(node, mut because)| {
            because.sort();
            StaleNode {
                node,
                stale_because: because,
            }
        })
        .collect()
}

/// One `freshness_warn` warning per source past `warn_after` but not `error_after`.
pub(super) fn warn_warnings(sources: Option<&Sources>, ctx: &Ctx<'_>) -> Vec<Warning> {
    sources
        .map_or(&[][..], |s| &s.results[..])
        .iter()
        .filter(|s| s.is_warn())
        .map(|s| {
            let age = s
                .age_s
                .filter(|a| a.is_finite() && *a >= 0.0)
                .map(|a| format!(", newest row {} old", classify::age_text(a as u64)))
                .unwrap_or_default();
            let threshold = s
                .broken_threshold()
                .map(|t| format!(" (warn_after {t})"))
                .unwrap_or_default();
            Warning::new(
                "freshness_warn",
                format!(
                    "source {} is late{age}{threshold}: what reads it is at risk of showing old data",
                    source_label(&s.unique_id, ctx)
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_without_a_manifest_is_named_as_dbt_prints_it() {
        let lineage = crate::graph::Lineage::default();
        let ctx = Ctx::bare(&lineage);
        assert_eq!(
            source_label("source.shop.raw.sessions", &ctx),
            "raw.sessions"
        );
    }
}
