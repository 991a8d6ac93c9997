//! A green run's warnings: tests with `severity: warn` that found rows. The run succeeded, but the
//! rows flow into everything downstream of the tested nodes — the exposures there are *at risk*.

use crate::artifacts::RunResults;
use crate::vocab::ResultStatus;

use super::{Ctx, Warned};

/// Every test (data or unit) whose status is `warn`, with what it tests and the exposures below
/// that. Sorted by node.
pub(super) fn warned(rr: Option<&RunResults>, exposure_ids: &[&str], ctx: &Ctx<'_>) -> Vec<Warned> {
    let Some(rr) = rr else {
        return Vec::new();
    };
    let mut out: Vec<Warned> = rr
        .results
        .iter()
        .filter(|r| r.status == ResultStatus::Warn)
        .filter(|r| is_test(&r.unique_id, ctx))
        .map(|r| {
            let tested = tested(&r.unique_id, ctx);
            Warned {
                node: r.unique_id.clone(),
                at_risk_exposures: downstream_exposures(&tested, exposure_ids, ctx),
                tested,
                failures: r.failures,
                message: r.message.clone().unwrap_or_default(),
            }
        })
        .collect();
    out.sort_by(|a, b| a.node.cmp(&b.node));
    out.dedup_by(|a, b| a.node == b.node);
    out
}

fn is_test(id: &str, ctx: &Ctx<'_>) -> bool {
    let node = ctx.manifest.and_then(|m| m.nodes.get(id));
    super::resource_type_of(id, node).is_test()
}

/// The nodes a test checks: its parents that are not tests themselves (a unit test: its model).
fn tested(id: &str, ctx: &Ctx<'_>) -> Vec<String> {
    let node = ctx.manifest.and_then(|m| m.nodes.get(id));
    let mut out: Vec<String> = ctx
        .lineage
        .parents(id)
        .into_iter()
        .filter(|p| !is_test(p, ctx))
        .map(str::to_string)
        .collect();
    if let Some(a) = node.and_then(|n| n.attached_node.as_ref()) {
        if !out.contains(a) {
            out.push(a.clone());
        }
    }
    out.sort();
    out
}

/// The exposures (of `exposure_ids`) downstream of any of `nodes`, sorted.
pub(super) fn downstream_exposures(
    nodes: &[String],
    exposure_ids: &[&str],
    ctx: &Ctx<'_>,
) -> Vec<String> {
    let below = ctx
        .lineage
        .descendants_of_all(nodes.iter().map(String::as_str));
    let mut out: Vec<String> = exposure_ids
        .iter()
        .filter(|e| below.contains(*e))
        .map(|e| e.to_string())
        .collect();
    out.sort();
    out
}
