//! Diagnosis ↔ URL fragment. A share link carries a compact, versioned snapshot — the diagnosis
//! and the affected subgraph — deflated and base64url-encoded into the fragment, which browsers
//! never send to a server. Links stay within a character budget by leaving things out in a fixed
//! order (context nodes, then long skipped lists, then message and fix text, then unaffected
//! exposures), never the roots, categories or affected Power BI reports; what was left out is
//! recorded for the banner. Decoding is bounded (fragment length, inflated size, counts) and
//! checks the schema: a malformed or tampered fragment is an error value, never a panic.

use std::collections::{BTreeSet, HashMap};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::diagnose::{Diagnosis, Skipped};
use crate::graph::Lineage;

/// The fragment's version; a decoder refuses others with a clear message.
pub const VERSION: u32 = 1;
/// Chat tools, ticket systems and mail clients keep links of this length intact.
pub const DEFAULT_BUDGET: usize = 8_000;
/// The key in the fragment: `#d=<payload>`.
pub const KEY: &str = "d=";

/// Limits for decoding untrusted fragments.
const MAX_FRAGMENT: usize = 64 * 1024;
const MAX_INFLATED: usize = 4 * 1024 * 1024;
const MAX_NODES: usize = 50_000;

/// What a shared link carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    #[serde(rename = "v")]
    pub version: u32,
    #[serde(rename = "d")]
    pub diagnosis: Diagnosis,
    /// The affected subgraph: node ids and what they are in this failure.
    #[serde(rename = "n", default)]
    pub nodes: Vec<SharedNode>,
    /// Edges as (parent, child) indices into `nodes`.
    #[serde(rename = "e", default)]
    pub edges: Vec<(u32, u32)>,
    /// How many nodes were skipped in all, when the list was shortened.
    #[serde(rename = "k", default)]
    pub skipped_total: usize,
    /// Each problem's count of skipped nodes, when its list was shortened (same order as problems).
    #[serde(rename = "pk", default, skip_serializing_if = "Vec::is_empty")]
    pub problem_skipped_total: Vec<usize>,
    /// What was left out to fit the budget, in words, for the banner.
    #[serde(rename = "o", default)]
    pub omitted: Vec<String>,
}

/// A node of the shared subgraph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedNode {
    #[serde(rename = "i")]
    pub id: String,
    #[serde(rename = "s")]
    pub role: Role,
}

/// A node's part in the failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// A root: it failed.
    #[serde(rename = "f")]
    Failed,
    #[serde(rename = "s")]
    Skipped,
    /// An affected exposure.
    #[serde(rename = "x")]
    Exposure,
    /// A parent or child shown for context (it ran fine or did not run).
    #[serde(rename = "c")]
    Context,
}

/// Why a link could not be made or read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// Even with everything optional left out, the link would exceed the budget.
    TooLong { length: usize, budget: usize },
    /// The fragment is not a dbt-triage share link, or it was cut or altered.
    Malformed(String),
    /// A link made by a newer dbt-triage.
    UnknownVersion(u32),
}

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShareError::TooLong { length, budget } => write!(
                f,
                "the diagnosis is too big for a link ({length} characters, the limit is {budget}) \
                 even with details left out: share the Markdown instead"
            ),
            ShareError::Malformed(why) => write!(
                f,
                "this share link is damaged ({why}) — it may have been cut when it was copied; ask \
                 for the whole link"
            ),
            ShareError::UnknownVersion(v) => write!(
                f,
                "this share link was made by a newer dbt-triage (format {v}, this one reads \
                 {VERSION}) — open it with the newer version"
            ),
        }
    }
}

impl std::error::Error for ShareError {}

/// The snapshot of a diagnosis with its affected subgraph (roots, skipped nodes, affected
/// exposures, and their direct parents and children as context).
pub fn snapshot(d: &Diagnosis, lineage: &Lineage) -> Snapshot {
    let mut roles: HashMap<&str, Role> = HashMap::new();
    for p in &d.problems {
        for r in &p.roots {
            roles.insert(r, Role::Failed);
        }
    }
    for s in &d.skipped {
        roles.entry(&s.node).or_insert(Role::Skipped);
    }
    for e in d.exposures.iter().filter(|e| e.affected) {
        roles.entry(&e.id).or_insert(Role::Exposure);
    }
    let core: Vec<&str> = roles.keys().copied().collect();
    let mut context = BTreeSet::new();
    for id in core {
        for n in lineage.parents(id).into_iter().chain(lineage.children(id)) {
            if !roles.contains_key(n) {
                context.insert(n);
            }
        }
    }
    for c in context {
        roles.insert(c, Role::Context);
    }
    let mut ids: Vec<&str> = roles.keys().copied().collect();
    ids.sort_unstable();
    let index: HashMap<&str, u32> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i as u32))
        .collect();
    let mut edges: Vec<(u32, u32)> = lineage
        .edges()
        .filter_map(|(p, c)| Some((*index.get(p)?, *index.get(c)?)))
        .collect();
    edges.sort_unstable();
    edges.dedup();
    // The log's lines stay with whoever has the log: they hold the SQL and are no part of
    // the compact diagnosis a link carries.
    let mut diagnosis = d.clone();
    for p in &mut diagnosis.problems {
        p.log_excerpt = None;
    }
    Snapshot {
        version: VERSION,
        diagnosis,
        nodes: ids
            .iter()
            .map(|id| SharedNode {
                id: id.to_string(),
                role: roles[id],
            })
            .collect(),
        edges,
        skipped_total: d.skipped.len(),
        problem_skipped_total: Vec::new(),
        omitted: Vec::new(),
    }
}

/// The fragment payload (without `#d=`) for a snapshot, as it is.
pub fn encode(s: &Snapshot) -> String {
    // Plain data with string keys always serializes.
    let json = serde_json::to_vec(s).unwrap_or_default();
    // zlib, not raw deflate: its Adler-32 checksum makes an altered character a refused link
    // rather than a different diagnosis.
    let deflated = miniz_oxide::deflate::compress_to_vec_zlib(&json, 6);
    URL_SAFE_NO_PAD.encode(deflated)
}

/// A share link for the app hosted at `base`, within `budget` characters, leaving out what it must
/// in the documented order.
pub fn link(
    d: &Diagnosis,
    lineage: &Lineage,
    base: &str,
    budget: usize,
) -> Result<String, ShareError> {
    let base = base.split('#').next().unwrap_or(base);
    let mut s = snapshot(d, lineage);
    let fits = |s: &Snapshot| {
        let url = format!("{base}#{KEY}{}", encode(s));
        (url.len() <= budget).then_some(url)
    };
    if let Some(url) = fits(&s) {
        return Ok(url);
    }
    for step in STEPS {
        if step(&mut s) {
            if let Some(url) = fits(&s) {
                return Ok(url);
            }
        }
    }
    let length = format!("{base}#{KEY}{}", encode(&s)).len();
    Err(ShareError::TooLong { length, budget })
}

type Step = fn(&mut Snapshot) -> bool;

/// The degradation order. Each step returns whether it changed anything.
const STEPS: [Step; 6] = [
    drop_context,
    shorten_skipped,
    shorten_messages,
    drop_unaffected_exposures,
    drop_fix_text,
    drop_other_exposures,
];

fn drop_context(s: &mut Snapshot) -> bool {
    let n = s.nodes.iter().filter(|n| n.role == Role::Context).count();
    if n == 0 {
        return false;
    }
    let keep: Vec<bool> = s.nodes.iter().map(|n| n.role != Role::Context).collect();
    retain_nodes(s, &keep);
    s.omitted.push(format!("{n} context nodes of the graph"));
    true
}

/// Keeps at most this many skipped nodes by name; the rest become counts.
const SKIPPED_KEPT: usize = 20;

fn shorten_skipped(s: &mut Snapshot) -> bool {
    let total = s.diagnosis.skipped.len();
    if total <= SKIPPED_KEPT {
        return false;
    }
    s.skipped_total = total;
    // Keep, per problem, its first skipped nodes by id (deterministic); count the rest.
    s.problem_skipped_total = s
        .diagnosis
        .problems
        .iter()
        .map(|p| p.skipped.len())
        .collect();
    let mut keep_ids: BTreeSet<String> = BTreeSet::new();
    let per_problem = SKIPPED_KEPT / s.diagnosis.problems.len().max(1) + 1;
    for p in &mut s.diagnosis.problems {
        p.skipped.truncate(per_problem);
        keep_ids.extend(p.skipped.iter().cloned());
    }
    s.diagnosis
        .skipped
        .retain(|sk: &Skipped| keep_ids.contains(&sk.node));
    let keep: Vec<bool> = s
        .nodes
        .iter()
        .map(|n| n.role != Role::Skipped || keep_ids.contains(&n.id))
        .collect();
    retain_nodes(s, &keep);
    s.omitted.push(format!(
        "{} of the {total} skipped nodes are named; the rest are counted",
        s.diagnosis.skipped.len()
    ));
    true
}

/// Message length kept when messages are shortened.
const MESSAGE_KEPT: usize = 400;

fn shorten_messages(s: &mut Snapshot) -> bool {
    let mut changed = false;
    for p in &mut s.diagnosis.problems {
        if p.message.len() > MESSAGE_KEPT {
            let end = crate::prefix(&p.message, MESSAGE_KEPT).len();
            p.message.truncate(end);
            p.message.push_str(" …");
            changed = true;
        }
    }
    if changed {
        s.omitted
            .push(format!("messages beyond {MESSAGE_KEPT} characters"));
    }
    changed
}

fn drop_unaffected_exposures(s: &mut Snapshot) -> bool {
    let before = s.diagnosis.exposures.len();
    s.diagnosis.exposures.retain(|e| e.affected);
    let n = before - s.diagnosis.exposures.len();
    if n > 0 {
        s.omitted
            .push(format!("{n} exposures this failure does not affect"));
    }
    n > 0
}

fn drop_fix_text(s: &mut Snapshot) -> bool {
    let mut changed = false;
    for p in &mut s.diagnosis.problems {
        if !p.fix.is_empty() {
            p.fix.clear();
            changed = true;
        }
    }
    if changed {
        s.omitted
            .push("the fix steps (the rerun commands are kept)".to_string());
    }
    changed
}

fn drop_other_exposures(s: &mut Snapshot) -> bool {
    let dropped: BTreeSet<String> = s
        .diagnosis
        .exposures
        .iter()
        .filter(|e| e.tool != "powerbi")
        .map(|e| e.id.clone())
        .collect();
    if dropped.is_empty() {
        return false;
    }
    s.diagnosis.exposures.retain(|e| !dropped.contains(&e.id));
    for p in &mut s.diagnosis.problems {
        p.affected_exposures.retain(|e| !dropped.contains(e));
    }
    let keep: Vec<bool> = s.nodes.iter().map(|n| !dropped.contains(&n.id)).collect();
    retain_nodes(s, &keep);
    s.omitted.push(format!(
        "{} affected exposures that are not Power BI reports",
        dropped.len()
    ));
    true
}

/// Keeps the marked nodes and the edges between them, renumbered.
fn retain_nodes(s: &mut Snapshot, keep: &[bool]) {
    let mut new_index = vec![u32::MAX; s.nodes.len()];
    let mut next = 0u32;
    for (i, k) in keep.iter().enumerate() {
        if *k {
            new_index[i] = next;
            next += 1;
        }
    }
    let mut i = 0;
    s.nodes.retain(|_| {
        let k = keep[i];
        i += 1;
        k
    });
    s.edges = s
        .edges
        .iter()
        .filter_map(|(a, b)| {
            let (a, b) = (*new_index.get(*a as usize)?, *new_index.get(*b as usize)?);
            (a != u32::MAX && b != u32::MAX).then_some((a, b))
        })
        .collect();
}

/// Reads a fragment (`#d=…`, `d=…` or the bare payload). Bounded and checked.
pub fn decode(fragment: &str) -> Result<Snapshot, ShareError> {
    let payload = fragment.trim().trim_start_matches('#');
    let payload = payload.strip_prefix(KEY).unwrap_or(payload);
    if payload.is_empty() {
        return Err(ShareError::Malformed("it is empty".into()));
    }
    if payload.len() > MAX_FRAGMENT {
        return Err(ShareError::Malformed(format!(
            "it is {} characters long, more than any link dbt-triage makes",
            payload.len()
        )));
    }
    let deflated = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| {
            ShareError::Malformed("it contains characters a share link never has".into())
        })?;
    let json = if is_zlib(&deflated) {
        miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&deflated, MAX_INFLATED)
    } else {
        // Links made before the checksum: raw deflate.
        miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MAX_INFLATED)
    }
    .map_err(|_| ShareError::Malformed("its compressed data is cut or altered".into()))?;
    let probe: VersionProbe = serde_json::from_slice(&json)
        .map_err(|_| ShareError::Malformed("its content is not a dbt-triage diagnosis".into()))?;
    if probe.v != VERSION {
        return Err(ShareError::UnknownVersion(probe.v));
    }
    let s: Snapshot = serde_json::from_slice(&json).map_err(|e| {
        ShareError::Malformed(format!("its diagnosis does not follow the format: {e}"))
    })?;
    check(&s)?;
    Ok(s)
}

/// A zlib stream's two-byte header (deflate, 32 KiB window, valid check bits); raw deflate as
/// miniz writes it for JSON never starts so.
fn is_zlib(bytes: &[u8]) -> bool {
    matches!(bytes, [0x78, b1, ..] if (0x78u16 * 256 + u16::from(*b1)) % 31 == 0)
}

#[derive(Deserialize)]
struct VersionProbe {
    v: u32,
}

fn check(s: &Snapshot) -> Result<(), ShareError> {
    if s.nodes.len() > MAX_NODES {
        return Err(ShareError::Malformed("it holds too many nodes".into()));
    }
    let n = s.nodes.len() as u32;
    if s.edges.iter().any(|(a, b)| *a >= n || *b >= n) {
        return Err(ShareError::Malformed(
            "its graph names nodes it does not hold".into(),
        ));
    }
    if s.diagnosis.schema != crate::diagnose::SCHEMA {
        return Err(ShareError::Malformed(format!(
            "its diagnosis has schema {}",
            s.diagnosis.schema
        )));
    }
    Ok(())
}
