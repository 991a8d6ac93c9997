//! The app's view of a diagnosed project: what was loaded, what is missing, the diagnosis, and the
//! lineage as the page draws it — one [`ViewNode`] per node with its status, type, materialization,
//! path, timing, message and compiled-SQL location, edges by index, each problem's compiled SQL with
//! the line the warehouse complains about, and the selections the graph offers (the failure's
//! neighbourhood ± N levels, a problem's subgraph, a search).
//!
//! Pure and total, like the rest of the core: it is made from the artifacts, lineage and diagnosis
//! the pipeline already computed and holds plain data only (`Serialize` + `Deserialize`, so the web
//! worker can hand it to the page). Data tests are folded away unless they went wrong themselves:
//! a whole project's tests would triple the graph and say nothing about the failure.
//!
//! A shared link's [`Snapshot`] becomes a view too ([`from_snapshot`]): the same diagnosis and its
//! subgraph, with no files behind it — so the page draws a shared diagnosis with the same
//! components as a loaded one.

use std::collections::VecDeque;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use serde::{Deserialize, Serialize};

use crate::artifacts::{Artifacts, Node, NodeResult};
use crate::classify::Evidence;
use crate::diagnose::Diagnosis;
use crate::graph::Lineage;
use crate::report;
use crate::share::{Role, Snapshot};
use crate::vocab::{ResourceType, ResultStatus};

/// Everything the page shows about a set of dropped files.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ProjectView {
    /// How each file was taken, in the order given.
    pub inputs: Vec<LoadedInput>,
    /// What to add to see more, e.g. "add manifest.json to see lineage and affected reports".
    pub missing: Vec<String>,
    /// The one-line summary ("1 problem (1 node failed), 16 nodes skipped, …").
    pub summary: String,
    pub diagnosis: Option<Diagnosis>,
    pub nodes: Vec<ViewNode>,
    /// (parent, child) as indices into `nodes`.
    pub edges: Vec<(u32, u32)>,
    /// Per problem, in the diagnosis' order.
    pub problems: Vec<ProblemView>,
}

/// One loaded file: what it was taken as, and why not when it could not be used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadedInput {
    pub name: String,
    /// `run_results`, `manifest`, `log`, `ignored` or `unreadable`.
    pub kind: String,
    /// e.g. `run_results v6 · 42 results · dbt 1.10.2 · generated …`.
    pub detail: String,
    pub problem: Option<String>,
}

/// How a node fared, as the graph colours it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeStatus {
    Failed,
    Skipped,
    Passed,
    Warned,
    /// Not in the run's results (sources, nodes the selection left out, or no results at all).
    NotRun,
    /// An exposure downstream of a failure.
    Affected,
    /// A stale source, a node built from one, or an exposure that reads one or was not rebuilt.
    Stale,
    /// An exposure downstream of a test that warned or of a late source.
    AtRisk,
}

impl NodeStatus {
    /// The stable name used in CSS classes and tests.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeStatus::Failed => "failed",
            NodeStatus::Skipped => "skipped",
            NodeStatus::Passed => "passed",
            NodeStatus::Warned => "warned",
            NodeStatus::NotRun => "not_run",
            NodeStatus::Affected => "affected",
            NodeStatus::Stale => "stale",
            NodeStatus::AtRisk => "at_risk",
        }
    }
}

/// One node of the lineage as the page shows it. (Absent fields are left out of its JSON: a big
/// project's view is handed from the worker to the page as JSON, node by node.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViewNode {
    pub id: String,
    /// Left out of the JSON of an [`outline`](ViewNode::outline) when the id says it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// `model`, `seed`, `snapshot`, `test`, `source`, `exposure`, …
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub resource_type: String,
    pub status: NodeStatus,
    /// dbt's own status verbatim, when the node is in the results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dbt_status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub materialized: Option<String>,
    /// The file that defines it, relative to the project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_time: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Where dbt wrote its compiled SQL, when it has any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compiled_path: Option<String>,
    /// For exposures: what it is and where it lives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exposure: Option<ExposureMark>,
}

impl ViewNode {
    /// A node with no details (no materialization, path, relation, timing, message or SQL
    /// location) and no exposure mark.
    pub fn bare(id: String, name: String, resource_type: String, status: NodeStatus) -> ViewNode {
        ViewNode {
            id,
            name,
            resource_type,
            status,
            dbt_status: None,
            materialized: None,
            path: None,
            relation: None,
            execution_time: None,
            message: None,
            compiled_path: None,
            exposure: None,
        }
    }

    /// What the graph, the search and the problem cards need of a node, as small as it goes:
    /// no details (the web worker hands them out one node at a time), and the name and type left
    /// empty where the id says them — most of a big project's nodes are then just an id and a
    /// status. [`ViewNode::restore`] fills the name and type back in.
    pub fn outline(&self) -> ViewNode {
        let short = report::short(&self.id);
        let name = if self.name == short {
            String::new()
        } else {
            self.name.clone()
        };
        let resource_type = if self.resource_type == type_of_id(&self.id) {
            String::new()
        } else {
            self.resource_type.clone()
        };
        ViewNode {
            exposure: self.exposure.clone(),
            ..ViewNode::bare(self.id.clone(), name, resource_type, self.status)
        }
    }

    /// Fills in the name and type an [`outline`](ViewNode::outline) left out.
    pub fn restore(&mut self) {
        if self.name.is_empty() {
            self.name = report::short(&self.id).to_string();
        }
        if self.resource_type.is_empty() {
            self.resource_type = type_of_id(&self.id).to_string();
        }
    }
}

/// How an exposure node is marked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExposureMark {
    pub label: String,
    /// `powerbi`, `tableau`, … as the diagnosis says.
    pub tool: String,
    pub url: Option<String>,
    pub exposure_type: Option<String>,
    /// `exposure` (declared in dbt), `semantic_model` or `report` (read from Power BI files).
    #[serde(default)]
    pub kind: String,
    /// For semantic models: which table reads which relation of which dbt node — the evidence
    /// that ties the model to the project without a declared exposure.
    #[serde(default)]
    pub matched_by: Vec<crate::diagnose::MatchedBy>,
    /// Whom to tell: `Name <email>` as the manifest declares the owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maturity: Option<String>,
}

impl ExposureMark {
    fn of(e: &crate::diagnose::Exposure) -> ExposureMark {
        ExposureMark {
            label: e.label.clone(),
            tool: e.tool.clone(),
            url: e.url.clone(),
            exposure_type: e.exposure_type.clone(),
            kind: e.kind.clone(),
            matched_by: e.matched_by.clone(),
            owner: e.owner.as_ref().map(|name| {
                crate::diagnose::Owner {
                    name: name.clone(),
                    email: e.owner_email.clone(),
                }
                .display()
            }),
            maturity: e.maturity.clone(),
        }
    }

    /// Read from Power BI files and tied to dbt nodes by their tables' sources, not declared.
    pub fn matched_by_source(&self) -> bool {
        self.kind == "semantic_model"
    }
}

/// A node's type from its id: `model`, `source`, …; nodes read from Power BI files
/// (`powerbi.semantic_model.<name>`, `powerbi.report.<id>`) are `semantic_model` or `report`.
fn type_of_id(id: &str) -> &str {
    let mut parts = id.splitn(3, '.');
    match (parts.next(), parts.next()) {
        (Some("powerbi"), Some(kind)) => kind,
        (first, _) => first.unwrap_or_default(),
    }
}

/// What the page adds to a problem of the diagnosis.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ProblemView {
    /// The first root's compiled SQL, when the artifacts hold it.
    pub sql: Option<CompiledSql>,
    /// The problem's subgraph: its roots, the skipped nodes it caused and its affected exposures,
    /// as indices into `nodes`.
    pub nodes: Vec<u32>,
    /// How many nodes it skipped in all, when the diagnosis names only some of them (a shared
    /// link shortens long lists).
    #[serde(default)]
    pub skipped_total: Option<usize>,
}

/// A root's compiled SQL and the line the warehouse complains about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompiledSql {
    pub node: String,
    pub code: String,
    /// 1-based line in `code`.
    pub line: Option<u32>,
    /// `run_results` or `manifest`.
    pub from: String,
}

/// Makes the view. Total.
pub fn view(a: &Artifacts, l: &Lineage, d: &Diagnosis) -> ProjectView {
    let manifest = a.manifest();
    let results: HashMap<&str, &NodeResult> = a
        .run_results()
        .map(|rr| {
            rr.results
                .iter()
                .map(|r| (r.unique_id.as_str(), r))
                .collect()
        })
        .unwrap_or_default();
    let roots: HashSet<&str> = d
        .problems
        .iter()
        .flat_map(|p| p.roots.iter().map(String::as_str))
        .collect();
    let exposures: HashMap<&str, &crate::diagnose::Exposure> =
        d.exposures.iter().map(|e| (e.id.as_str(), e)).collect();
    let stale = stale_ids(d);

    let mut out = ProjectView {
        inputs: a
            .inputs
            .iter()
            .map(|i| LoadedInput {
                name: i.name.clone(),
                kind: i.kind.as_str().to_string(),
                detail: i.detail.clone(),
                problem: i.problem.clone(),
            })
            .collect(),
        missing: missing(a),
        summary: report::summary(d),
        ..ProjectView::default()
    };

    let mut index: HashMap<String, u32> = HashMap::default();
    let ids = l
        .nodes()
        .map(str::to_string)
        .chain(roots.iter().map(|r| r.to_string()))
        .collect::<Vec<_>>();
    for id in ids {
        if index.contains_key(&id) {
            continue;
        }
        let node = manifest.and_then(|m| m.nodes.get(&id));
        let result = results.get(id.as_str()).copied();
        let resource_type = node.map_or_else(
            || ResourceType::from(type_of_id(&id)),
            |n| n.resource_type.clone(),
        );
        let status = match status_of(&id, result, roots.contains(id.as_str()), &exposures) {
            NodeStatus::Failed | NodeStatus::Passed | NodeStatus::NotRun
                if stale.contains(id.as_str()) =>
            {
                NodeStatus::Stale
            }
            s => s,
        };
        if resource_type.is_test() && !matches!(status, NodeStatus::Failed | NodeStatus::Warned) {
            continue;
        }
        index.insert(id.clone(), out.nodes.len() as u32);
        out.nodes.push(view_node(
            id,
            resource_type.into(),
            status,
            node,
            result,
            &exposures,
        ));
    }
    for (p, c) in l.edges() {
        if let (Some(&a), Some(&b)) = (index.get(p), index.get(c)) {
            out.edges.push((a, b));
        }
    }

    for p in &d.problems {
        let mut nodes: Vec<u32> = p
            .roots
            .iter()
            .chain(&p.skipped)
            .chain(&p.affected_exposures)
            .filter_map(|id| index.get(id).copied())
            .collect();
        nodes.sort_unstable();
        nodes.dedup();
        let sql = p.roots.iter().find_map(|r| {
            let (code, from) = match results
                .get(r.as_str())
                .and_then(|x| x.compiled_code.as_deref())
            {
                Some(c) if !c.trim().is_empty() => (c, "run_results"),
                _ => (
                    manifest
                        .and_then(|m| m.nodes.get(r))
                        .and_then(|n| n.compiled_code.as_deref())
                        .filter(|c| !c.trim().is_empty())?,
                    "manifest",
                ),
            };
            Some(CompiledSql {
                node: r.clone(),
                code: code.to_string(),
                line: locate_line(code, &p.message, &p.evidence),
                from: from.to_string(),
            })
        });
        out.problems.push(ProblemView {
            sql,
            nodes,
            skipped_total: None,
        });
    }
    out.diagnosis = Some(d.clone());
    out
}

/// The view of a shared link: its diagnosis and subgraph. Nodes are named from their ids; the
/// context nodes the link carries are `NotRun` (the link does not say how they fared); counts in
/// the summary and the cards are the link's totals where it named only some skipped nodes. Total:
/// a decoded snapshot's edges are already checked against its nodes, and any that are not are
/// dropped here too.
pub fn from_snapshot(s: &Snapshot) -> ProjectView {
    let d = &s.diagnosis;
    let exposures: HashMap<&str, &crate::diagnose::Exposure> =
        d.exposures.iter().map(|e| (e.id.as_str(), e)).collect();
    let stale = stale_ids(d);
    let mut out = ProjectView {
        summary: report::summary(&with_skipped_total(d, s.skipped_total)),
        diagnosis: Some(d.clone()),
        ..ProjectView::default()
    };
    let mut index: HashMap<&str, u32> = HashMap::default();
    // Snapshot index → view index, for the edges.
    let mut at: Vec<Option<u32>> = vec![None; s.nodes.len()];
    for (i, n) in s.nodes.iter().enumerate() {
        if let Some(&j) = index.get(n.id.as_str()) {
            at[i] = Some(j);
            continue;
        }
        let resource_type = type_of_id(&n.id);
        // Tests are folded away unless they failed, as in `view`.
        if ResourceType::from(resource_type).is_test() && n.role != Role::Failed {
            continue;
        }
        let exposure = exposures.get(n.id.as_str());
        // As in `status_of`: an exposure is marked by whether it is affected, whatever its role.
        let status = match (n.role, exposure) {
            _ if stale.contains(n.id.as_str()) => NodeStatus::Stale,
            (Role::Failed, _) => NodeStatus::Failed,
            (_, Some(e)) => exposure_status(e),
            (Role::Exposure, _) => NodeStatus::Affected,
            (Role::Skipped, None) => NodeStatus::Skipped,
            (Role::Context, None) => NodeStatus::NotRun,
        };
        index.insert(&n.id, out.nodes.len() as u32);
        at[i] = Some(out.nodes.len() as u32);
        out.nodes.push(ViewNode {
            exposure: exposure.map(|e| ExposureMark::of(e)),
            ..ViewNode::bare(
                n.id.clone(),
                report::short(&n.id).to_string(),
                resource_type.to_string(),
                status,
            )
        });
    }
    out.edges = s
        .edges
        .iter()
        .filter_map(|&(a, b)| Some((at.get(a as usize).copied()??, at.get(b as usize).copied()??)))
        .collect();
    for (i, p) in d.problems.iter().enumerate() {
        let mut nodes: Vec<u32> = p
            .roots
            .iter()
            .chain(&p.skipped)
            .chain(&p.affected_exposures)
            .filter_map(|id| index.get(id.as_str()).copied())
            .collect();
        nodes.sort_unstable();
        nodes.dedup();
        let skipped_total = s
            .problem_skipped_total
            .get(i)
            .copied()
            .filter(|t| *t > p.skipped.len());
        out.problems.push(ProblemView {
            sql: None,
            nodes,
            skipped_total,
        });
    }
    out
}

/// The diagnosis with its skipped list padded to `total` entries, for counting only.
fn with_skipped_total(d: &Diagnosis, total: usize) -> Diagnosis {
    let mut d = d.clone();
    let missing = total.saturating_sub(d.skipped.len()).min(200_000);
    d.skipped
        .extend((0..missing).map(|_| crate::diagnose::Skipped {
            node: String::new(),
            caused_by: Vec::new(),
        }));
    d
}

/// The failure's nodes: every problem's roots, the skipped nodes and the affected exposures.
pub fn failure_nodes(v: &ProjectView) -> Vec<u32> {
    let mut seeds: Vec<u32> = v
        .problems
        .iter()
        .flat_map(|p| p.nodes.iter().copied())
        .collect();
    seeds.extend(
        v.nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| matches!(n.status, NodeStatus::Skipped | NodeStatus::Failed))
            .map(|(i, _)| i as u32),
    );
    seeds.sort_unstable();
    seeds.dedup();
    seeds
}

/// The most nodes a focused view shows before it keeps to the failed nodes' own neighbourhood
/// and folds wide fan-outs: past this, a layout is no longer readable on a screen.
pub const FOCUS_CAP: usize = 150;
/// How many children of one node a big focused view shows; the rest are folded into a count.
pub const FAN_OUT: usize = 12;

/// What a focused graph shows, and what it folded away.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Focus {
    /// Node indices, sorted.
    pub shown: Vec<u32>,
    /// `(node, hidden)`: a shown node whose children beyond [`FAN_OUT`] are not shown, and how
    /// many of them there are (the page offers to expand it).
    pub folded: Vec<(u32, usize)>,
}

/// The failure's part of the graph, `up` levels upstream and `down` levels downstream.
///
/// A small failure shows all of its nodes (roots, skipped, affected exposures) with their
/// neighbours, as [`neighborhood`] does. A big one — a hub model whose failure skipped hundreds
/// — would draw everything downstream: then the view starts from the failed nodes alone, and a
/// node with more than [`FAN_OUT`] children shows the first of them (failed, exposures and
/// skipped nodes first) and folds the rest into a count, unless it is in `expanded`.
pub fn focus(v: &ProjectView, up: u32, down: u32, expanded: &[u32]) -> Focus {
    let all = failure_nodes(v);
    let small = neighborhood_hops(v, &all, up, down, None);
    if small.shown.len() <= FOCUS_CAP || all.is_empty() {
        return small;
    }
    let failed: Vec<u32> = v
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.status == NodeStatus::Failed)
        .map(|(i, _)| i as u32)
        .collect();
    let seeds = if failed.is_empty() { all } else { failed };
    neighborhood_hops(v, &seeds, up, down, Some(expanded))
}

/// `seeds` and the nodes within `up` levels upstream and `down` levels downstream of them; with
/// `fold`, each node's children past [`FAN_OUT`] are left out (unless the node is listed).
fn neighborhood_hops(
    v: &ProjectView,
    seeds: &[u32],
    up: u32,
    down: u32,
    fold: Option<&[u32]>,
) -> Focus {
    if seeds.is_empty() {
        return Focus {
            shown: (0..v.nodes.len() as u32).collect(),
            folded: Vec::new(),
        };
    }
    let n = v.nodes.len();
    let mut ups: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut downs: Vec<Vec<u32>> = vec![Vec::new(); n];
    for &(p, c) in &v.edges {
        if (p as usize) < n && (c as usize) < n {
            downs[p as usize].push(c);
            ups[c as usize].push(p);
        }
    }
    // Children worth showing first: what failed, what it breaks, the way to what it breaks,
    // what it skipped.
    let mut to_exposure = vec![false; n];
    let mut stack: Vec<u32> = (0..n as u32)
        .filter(|&i| v.nodes[i as usize].status == NodeStatus::Affected)
        .collect();
    while let Some(i) = stack.pop() {
        for &p in &ups[i as usize] {
            if !to_exposure[p as usize] {
                to_exposure[p as usize] = true;
                stack.push(p);
            }
        }
    }
    let rank = |i: u32| match v.nodes[i as usize].status {
        NodeStatus::Failed => 0,
        NodeStatus::Affected => 1,
        _ if to_exposure[i as usize] => 2,
        NodeStatus::Skipped => 3,
        _ => 4,
    };
    for list in &mut downs {
        list.sort_by_key(|&c| (rank(c), c));
    }
    let mut keep = vec![false; n];
    let mut folded = Vec::new();
    for (adj, depth, folds) in [(&ups, up, false), (&downs, down, true)] {
        let mut dist = vec![u32::MAX; n];
        let mut queue = VecDeque::new();
        for &s in seeds.iter().filter(|s| (**s as usize) < n) {
            dist[s as usize] = 0;
            queue.push_back(s);
        }
        while let Some(i) = queue.pop_front() {
            keep[i as usize] = true;
            let d = dist[i as usize];
            if d >= depth {
                continue;
            }
            let next = &adj[i as usize];
            let limit = match fold {
                Some(open) if folds && !open.contains(&i) => FAN_OUT,
                _ => usize::MAX,
            };
            if next.len() > limit {
                folded.push((i, next.len() - limit));
            }
            for &j in next.iter().take(limit) {
                if dist[j as usize] == u32::MAX {
                    dist[j as usize] = d + 1;
                    queue.push_back(j);
                }
            }
        }
    }
    folded.sort_unstable();
    Focus {
        shown: (0..n as u32).filter(|i| keep[*i as usize]).collect(),
        folded,
    }
}

/// `seeds` and every node within `depth` levels upstream or downstream of them, sorted. With no
/// seeds (a green run), the whole project.
pub fn neighborhood(v: &ProjectView, seeds: &[u32], depth: u32) -> Vec<u32> {
    neighborhood_hops(v, seeds, depth, depth, None).shown
}

/// The edges among `nodes`.
pub fn edges_among(v: &ProjectView, nodes: &[u32]) -> Vec<(u32, u32)> {
    let set: HashSet<u32> = nodes.iter().copied().collect();
    v.edges
        .iter()
        .copied()
        .filter(|(a, b)| set.contains(a) && set.contains(b))
        .collect()
}

/// Nodes whose name or unique_id contains `query` (case-insensitive), best first: exact names,
/// then names starting with it, then the rest; at most `limit`.
pub fn search(v: &ProjectView, query: &str, limit: usize) -> Vec<u32> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<(u8, usize, u32)> = v
        .nodes
        .iter()
        .enumerate()
        .filter_map(|(i, n)| {
            let name = n.name.to_lowercase();
            let rank = if name == q {
                0
            } else if name.starts_with(&q) {
                1
            } else if name.contains(&q) {
                2
            } else if n.id.to_lowercase().contains(&q)
                || n.exposure
                    .as_ref()
                    .is_some_and(|e| e.label.to_lowercase().contains(&q))
            {
                3
            } else {
                return None;
            };
            Some((rank, n.name.len(), i as u32))
        })
        .collect();
    hits.sort_unstable();
    hits.into_iter().take(limit).map(|(_, _, i)| i).collect()
}

/// The 1-based line of `code` the warehouse complains about. The warehouse counts lines in the
/// statement it ran (the compiled SQL wrapped in DDL), so its number is not used as it is: the
/// line it quotes (`LINE 7:     first_name,`) is looked up in the code, then the evidence's
/// column, function or relation.
pub fn locate_line(code: &str, message: &str, evidence: &Evidence) -> Option<u32> {
    let lines: Vec<&str> = code.lines().collect();
    let find = |needle: &str| -> Option<u32> {
        let needle = needle.trim();
        if needle.len() < 2 {
            return None;
        }
        lines
            .iter()
            .position(|l| l.contains(needle))
            .map(|i| i as u32 + 1)
    };
    for l in message.lines() {
        let t = l.trim_start();
        let Some(rest) = t.strip_prefix("LINE ").or_else(|| t.strip_prefix("line ")) else {
            continue;
        };
        let Some((_, quoted)) = rest.split_once(':') else {
            continue;
        };
        let quoted = quoted.trim().trim_end_matches("...").trim_end();
        if let Some(n) = find(quoted) {
            return Some(n);
        }
    }
    [
        &evidence.column,
        &evidence.function,
        &evidence.relation,
        &evidence.object,
    ]
    .into_iter()
    .flatten()
    .find_map(|s| find(s))
}

/// What a view without a manifest asks the user to add.
const ADD_MANIFEST: &str = "add manifest.json to see lineage and affected reports";

/// Makes `view` the first answer of a load whose manifests are still being read (see
/// [`artifacts::staged`](crate::artifacts::staged)): it does not ask for the manifest on its way,
/// nor warn that skipped nodes cannot be attributed without it.
pub fn awaiting_manifest(view: &mut ProjectView) {
    view.missing.retain(|m| m != ADD_MANIFEST);
    if let Some(d) = &mut view.diagnosis {
        d.warnings.retain(|w| w.code != "missing_manifest");
    }
}

fn missing(a: &Artifacts) -> Vec<String> {
    let mut m = Vec::new();
    if a.run_results.is_empty() && a.logs.is_empty() {
        m.push(
            "add run_results.json (from target/) or logs/dbt.log to see what failed".to_string(),
        );
    }
    if a.manifests.is_empty() {
        m.push(ADD_MANIFEST.to_string());
    }
    if a.run_results.is_empty() && !a.logs.is_empty() {
        m.push("add run_results.json to see every node's status and timing".to_string());
    }
    m
}

/// An exposure's mark, the gravest first.
fn exposure_status(e: &crate::diagnose::Exposure) -> NodeStatus {
    if e.affected {
        NodeStatus::Affected
    } else if e.stale {
        NodeStatus::Stale
    } else if e.at_risk {
        NodeStatus::AtRisk
    } else {
        NodeStatus::NotRun
    }
}

/// Stale sources (the roots of `freshness` problems) and the nodes built from them.
fn stale_ids(d: &Diagnosis) -> HashSet<&str> {
    d.problems
        .iter()
        .filter(|p| p.category == crate::Category::Freshness)
        .flat_map(|p| p.roots.iter().map(String::as_str))
        .chain(d.stale.iter().map(|s| s.node.as_str()))
        .collect()
}

fn status_of(
    id: &str,
    result: Option<&NodeResult>,
    is_root: bool,
    exposures: &HashMap<&str, &crate::diagnose::Exposure>,
) -> NodeStatus {
    if is_root {
        return NodeStatus::Failed;
    }
    if let Some(e) = exposures.get(id) {
        return exposure_status(e);
    }
    match result.map(|r| &r.status) {
        None => NodeStatus::NotRun,
        Some(s) if s.is_failure() => NodeStatus::Failed,
        Some(ResultStatus::Skipped) => NodeStatus::Skipped,
        Some(ResultStatus::Warn) => NodeStatus::Warned,
        Some(s) if s.is_passed() => NodeStatus::Passed,
        Some(_) => NodeStatus::NotRun,
    }
}

fn view_node(
    id: String,
    resource_type: String,
    status: NodeStatus,
    node: Option<&Node>,
    result: Option<&NodeResult>,
    exposures: &HashMap<&str, &crate::diagnose::Exposure>,
) -> ViewNode {
    let name = match node {
        Some(n) if n.resource_type == ResourceType::Source => match &n.source_name {
            Some(s) => format!("{s}.{}", n.name),
            None => n.name.clone(),
        },
        Some(n) => n.name.clone(),
        None => report::short(&id).to_string(),
    };
    let exposure = exposures.get(id.as_str()).map(|e| ExposureMark::of(e));
    ViewNode {
        name,
        resource_type,
        status,
        dbt_status: result.map(|r| r.status.to_string()),
        materialized: node.and_then(|n| n.materialized.clone()),
        path: node.and_then(|n| n.original_file_path.clone()),
        relation: result
            .and_then(|r| r.relation_name.clone())
            .or_else(|| node.and_then(|n| n.relation_name.clone())),
        execution_time: result.map(|r| r.execution_time),
        message: result
            .and_then(|r| r.message.clone())
            .filter(|m| !m.is_empty()),
        compiled_path: node.and_then(compiled_path),
        exposure,
        id,
    }
}

/// `target/compiled/<package>/<file>` for SQL files; generic tests defined in YAML live under
/// `target/compiled/<package>/<yaml file>/<test>.sql`.
fn compiled_path(n: &Node) -> Option<String> {
    if !matches!(
        n.resource_type,
        ResourceType::Model
            | ResourceType::Test
            | ResourceType::Snapshot
            | ResourceType::Analysis
            | ResourceType::UnitTest
    ) {
        return None;
    }
    n.package_name.as_deref()?;
    Some(format!("target/compiled/{}", n.target_file()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outline_keeps_what_the_graph_needs_and_restores_name_and_type() {
        let full = ViewNode {
            id: "model.shop.orders".into(),
            name: "orders".into(),
            resource_type: "model".into(),
            status: NodeStatus::Skipped,
            dbt_status: Some("skipped".into()),
            materialized: Some("table".into()),
            path: Some("models/orders.sql".into()),
            relation: Some("db.main.orders".into()),
            execution_time: Some(0.5),
            message: Some("skipped".into()),
            compiled_path: Some("target/compiled/shop/models/orders.sql".into()),
            exposure: None,
        };
        let outline = full.outline();
        assert_eq!(
            serde_json::to_string(&outline).unwrap(),
            r#"{"id":"model.shop.orders","status":"skipped"}"#
        );
        let mut back: ViewNode =
            serde_json::from_str(&serde_json::to_string(&outline).unwrap()).unwrap();
        back.restore();
        assert_eq!(
            (back.name.as_str(), back.resource_type.as_str()),
            ("orders", "model")
        );
        assert_eq!(back.status, NodeStatus::Skipped);
        // Names and types the id does not say travel as they are.
        let odd = ViewNode {
            id: "powerbi.semantic_model.Sales".into(),
            name: "Sales model".into(),
            resource_type: "semantic_model".into(),
            ..full.clone()
        };
        let mut back = odd.outline();
        assert_eq!(back.name, "Sales model");
        assert_eq!(back.resource_type, "");
        back.restore();
        assert_eq!(
            (back.name.as_str(), back.resource_type.as_str()),
            ("Sales model", "semantic_model")
        );
    }

    fn node(name: &str, status: NodeStatus) -> ViewNode {
        ViewNode::bare(
            format!("model.p.{name}"),
            name.to_string(),
            "model".to_string(),
            status,
        )
    }

    /// a → b → c → d → e, f alone.
    fn chain() -> ProjectView {
        let names = ["a", "b", "c", "d", "e", "f"];
        ProjectView {
            nodes: names.iter().map(|n| node(n, NodeStatus::Passed)).collect(),
            edges: vec![(0, 1), (1, 2), (2, 3), (3, 4)],
            ..ProjectView::default()
        }
    }

    #[test]
    fn neighborhood_widens_by_levels() {
        let v = chain();
        assert_eq!(neighborhood(&v, &[2], 0), vec![2]);
        assert_eq!(neighborhood(&v, &[2], 1), vec![1, 2, 3]);
        assert_eq!(neighborhood(&v, &[2], 2), vec![0, 1, 2, 3, 4]);
        assert_eq!(neighborhood(&v, &[], 1), vec![0, 1, 2, 3, 4, 5]);
        assert_eq!(neighborhood(&v, &[99], 1), Vec::<u32>::new());
    }

    /// A hub that failed and skipped 400 models: the focused view stays under the cap, starts
    /// from the hub, shows its parent and the first children, and counts the folded rest.
    #[test]
    fn a_hub_failure_is_focused_and_its_fan_out_folded() {
        let mut nodes = vec![
            ViewNode::bare(
                "model.p.src".into(),
                "src".into(),
                "model".into(),
                NodeStatus::Passed,
            ),
            ViewNode::bare(
                "model.p.hub".into(),
                "hub".into(),
                "model".into(),
                NodeStatus::Failed,
            ),
        ];
        let mut edges = vec![(0, 1)];
        for i in 0..400u32 {
            nodes.push(ViewNode::bare(
                format!("model.p.m{i}"),
                format!("m{i}"),
                "model".into(),
                NodeStatus::Skipped,
            ));
            edges.push((1, 2 + i));
        }
        nodes.push(ViewNode::bare(
            "exposure.p.report".into(),
            "report".into(),
            "exposure".into(),
            NodeStatus::Affected,
        ));
        edges.push((1, 402));
        let v = ProjectView {
            nodes,
            edges,
            ..ProjectView::default()
        };
        let f = focus(&v, 1, 1, &[]);
        assert!(f.shown.len() <= FOCUS_CAP, "{}", f.shown.len());
        assert!(
            f.shown.contains(&0) && f.shown.contains(&1),
            "the hub and its parent"
        );
        assert!(
            f.shown.contains(&402),
            "the affected exposure comes first among the children"
        );
        assert_eq!(f.shown.len(), 2 + FAN_OUT);
        assert_eq!(f.folded, vec![(1, 401 - FAN_OUT)]);
        // A child on the way to an affected exposure comes before the other skipped ones.
        let mut far = v.clone();
        far.nodes.push(ViewNode::bare(
            "exposure.p.far".into(),
            "far".into(),
            "exposure".into(),
            NodeStatus::Affected,
        ));
        far.edges.push((300, 403));
        let f = focus(&far, 1, 1, &[]);
        assert!(f.shown.contains(&300), "m298 leads to an exposure");
        // Expanding the hub shows all of its children.
        let f = focus(&v, 1, 1, &[1]);
        assert_eq!(f.shown.len(), 403);
        assert!(f.folded.is_empty());
        // Upstream and downstream hops are separate.
        assert_eq!(focus(&v, 1, 0, &[]).shown, vec![0, 1]);
        assert_eq!(focus(&v, 0, 0, &[]).shown, vec![1]);
    }

    #[test]
    fn a_small_failure_shows_all_of_it() {
        let v = chain();
        let all = neighborhood(&v, &failure_nodes(&v), 1);
        assert_eq!(focus(&v, 1, 1, &[]).shown, all);
        assert!(focus(&v, 1, 1, &[]).folded.is_empty());
    }

    #[test]
    fn edges_among_keeps_inner_edges() {
        assert_eq!(edges_among(&chain(), &[1, 2, 4]), vec![(1, 2)]);
    }

    #[test]
    fn search_ranks_exact_then_prefix_then_substring() {
        let mut v = chain();
        v.nodes[0].name = "stg_orders".into();
        v.nodes[1].name = "orders".into();
        v.nodes[2].name = "orders_daily".into();
        assert_eq!(search(&v, "ORDERS", 10), vec![1, 2, 0]);
        assert_eq!(search(&v, "  ", 10), Vec::<u32>::new());
        assert_eq!(search(&v, "orders", 1), vec![1]);
    }

    #[track_caller]
    fn check_line(code: &str, message: &str, column: Option<&str>, expected: Option<u32>) {
        let evidence = Evidence {
            column: column.map(str::to_string),
            ..Evidence::default()
        };
        assert_eq!(locate_line(code, message, &evidence), expected);
    }

    #[test]
    fn line_from_the_quoted_statement_line() {
        let code = "select\n    id as customer_id,\n    first_name,\n    last_name\nfrom x";
        check_line(
            code,
            "Binder Error\n  LINE 7:     first_name,\n   ^^^",
            None,
            Some(3),
        );
        check_line(
            "select\n  dateadd(day, 3, d) as p\nfrom t",
            "LINE 21:     dateadd(day, 3, d) as promised_ship_date...\n   ^",
            None,
            None,
        );
        check_line(
            "select\n  dateadd(day, 3, d) as p\nfrom t",
            "LINE 21:     dateadd(day, 3, d)...",
            None,
            Some(2),
        );
        check_line(
            code,
            "column last_name does not exist",
            Some("last_name"),
            Some(4),
        );
        check_line(code, "no line here", None, None);
        check_line("", "LINE 1: x", Some("x"), None);
    }

    #[test]
    fn a_shared_snapshot_draws_like_the_run_it_came_from() {
        let rr = include_bytes!("../tests/fixtures/test_failure_build/target/run_results.json");
        let m = include_bytes!("../tests/fixtures/test_failure_build/target/manifest.json");
        let files = [
            crate::artifacts::InputFile {
                name: "run_results.json",
                bytes: rr,
            },
            crate::artifacts::InputFile {
                name: "manifest.json",
                bytes: m,
            },
        ];
        let a = crate::artifacts::read(&files);
        let l = crate::graph::lineage(&a);
        let d = crate::diagnose::diagnose(&a, &l);
        let loaded = view(&a, &l, &d);
        let mut snap = crate::share::snapshot(&d, &l);
        let shared = from_snapshot(&snap);
        assert_eq!(shared.summary, loaded.summary);
        assert_eq!(shared.diagnosis, loaded.diagnosis);
        let status =
            |v: &ProjectView, id: &str| v.nodes.iter().find(|n| n.id == id).map(|n| n.status);
        for n in &loaded.nodes {
            if matches!(
                n.status,
                NodeStatus::Failed | NodeStatus::Skipped | NodeStatus::Affected
            ) {
                assert_eq!(status(&shared, &n.id), Some(n.status), "{}", n.id);
            }
        }
        let powerbi = shared
            .nodes
            .iter()
            .filter(|n| n.exposure.as_ref().is_some_and(|e| e.tool == "powerbi"));
        assert_eq!(powerbi.count(), 3);
        assert_eq!(
            shared.problems[0].nodes.len(),
            loaded.problems[0].nodes.len()
        );
        // A shortened list keeps its totals; edges to nodes the snapshot lacks are dropped.
        snap.skipped_total = 40;
        snap.problem_skipped_total = vec![40];
        snap.edges.push((0, 9_999));
        let shared = from_snapshot(&snap);
        assert!(
            shared.summary.contains("40 nodes skipped"),
            "{}",
            shared.summary
        );
        assert_eq!(shared.problems[0].skipped_total, Some(40));
        assert!(
            shared
                .edges
                .iter()
                .all(|(a, b)| (*a as usize) < shared.nodes.len()
                    && (*b as usize) < shared.nodes.len())
        );
    }

    #[test]
    fn semantic_models_matched_by_source_carry_their_evidence() {
        // As a folder pick names them: by their path inside the picked folder.
        macro_rules! file {
            ($name:literal, $path:literal) => {
                (
                    $name,
                    include_bytes!(concat!("../tests/", $path)).as_slice(),
                )
            };
        }
        let files: Vec<(&str, &[u8])> = vec![
            file!(
                "run_results.json",
                "fixtures/two_roots/target/run_results.json"
            ),
            file!("manifest.json", "fixtures/two_roots/target/manifest.json"),
            file!(
                "pbip/Shop Sales.Report/definition.pbir",
                "powerbi/pbip/Shop Sales.Report/definition.pbir"
            ),
            file!(
                "pbip/Shop Sales.SemanticModel/definition/model.tmdl",
                "powerbi/pbip/Shop Sales.SemanticModel/definition/model.tmdl"
            ),
            file!(
                "pbip/Shop Sales.SemanticModel/definition/expressions.tmdl",
                "powerbi/pbip/Shop Sales.SemanticModel/definition/expressions.tmdl"
            ),
            file!(
                "pbip/Shop Sales.SemanticModel/definition/tables/Orders.tmdl",
                "powerbi/pbip/Shop Sales.SemanticModel/definition/tables/Orders.tmdl"
            ),
            file!(
                "pbip/Shop Sales.SemanticModel/definition/tables/Daily Revenue.tmdl",
                "powerbi/pbip/Shop Sales.SemanticModel/definition/tables/Daily Revenue.tmdl"
            ),
            file!(
                "pbip/Shop Sales.SemanticModel/definition/tables/Sessions.tmdl",
                "powerbi/pbip/Shop Sales.SemanticModel/definition/tables/Sessions.tmdl"
            ),
        ];
        let inputs: Vec<_> = files
            .iter()
            .map(|&(name, bytes)| crate::artifacts::InputFile { name, bytes })
            .collect();
        let a = crate::artifacts::read(&inputs);
        let l = crate::graph::lineage(&a);
        let d = crate::diagnose::diagnose(&a, &l);
        let v = view(&a, &l, &d);
        let model = v
            .nodes
            .iter()
            .find(|n| n.id == "powerbi.semantic_model.Shop Sales")
            .expect("the semantic model is drawn");
        assert_eq!(model.resource_type, "semantic_model");
        assert_eq!(model.status, NodeStatus::Affected);
        let mark = model.exposure.as_ref().unwrap();
        assert!(mark.matched_by_source());
        assert_eq!(mark.tool, "powerbi");
        assert!(mark
            .matched_by
            .iter()
            .any(|m| m.table == "Orders" && m.node == "model.shop.fct_orders"));
        let i = v.nodes.iter().position(|n| n.id == model.id).unwrap() as u32;
        assert!(v.problems.iter().all(|p| p.nodes.contains(&i)));
        let report = v
            .nodes
            .iter()
            .find(|n| n.id.starts_with("powerbi.report."))
            .expect("the report is drawn");
        assert_eq!(report.resource_type, "report");
        assert!(!report.exposure.as_ref().unwrap().matched_by_source());
    }

    #[test]
    fn sources_are_named_with_their_source() {
        let n = Node {
            unique_id: "source.p.raw.orders".into(),
            resource_type: "source".into(),
            name: "orders".into(),
            source_name: Some("raw".into()),
            ..Node::default()
        };
        let v = view_node(
            n.unique_id.clone(),
            "source".into(),
            NodeStatus::NotRun,
            Some(&n),
            None,
            &HashMap::default(),
        );
        assert_eq!(v.name, "raw.orders");
        assert_eq!(v.compiled_path, None);
    }

    #[test]
    fn compiled_paths_follow_dbt() {
        let model = Node {
            resource_type: "model".into(),
            package_name: Some("shop".into()),
            original_file_path: Some("models/staging/stg_orders.sql".into()),
            path: Some("staging/stg_orders.sql".into()),
            ..Node::default()
        };
        assert_eq!(
            compiled_path(&model).as_deref(),
            Some("target/compiled/shop/models/staging/stg_orders.sql")
        );
        let test = Node {
            resource_type: "test".into(),
            package_name: Some("shop".into()),
            original_file_path: Some("models/staging/_staging.yml".into()),
            path: Some("unique_stg_orders_order_id.sql".into()),
            ..Node::default()
        };
        assert_eq!(
            compiled_path(&test).as_deref(),
            Some("target/compiled/shop/models/staging/_staging.yml/unique_stg_orders_order_id.sql")
        );
    }
}
