//! Artifacts → lineage: the project's DAG of models, seeds, snapshots, tests, unit tests, sources
//! and exposures, from `depends_on.nodes` (or `parent_map` where the manifest has a non-empty one).
//! petgraph indices never leave this module; callers speak unique_ids. Without a manifest the
//! lineage holds only the result nodes and no edges.

use std::collections::VecDeque;
use std::sync::Arc as Rc;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::Direction;
use rustc_hash::{FxHashMap, FxHashSet as HashSet};

use crate::artifacts::{Artifacts, Manifest};

/// The dependency graph, edges pointing from a node to the nodes that depend on it.
#[derive(Debug, Clone, Default)]
pub struct Lineage {
    /// Each unique_id is stored once, shared by the graph's weight and the index's key.
    graph: DiGraph<Rc<str>, ()>,
    index: FxHashMap<Rc<str>, NodeIndex>,
}

/// Builds the lineage from the manifest the diagnosis uses (see [`Artifacts::manifest`]), plus
/// every node the run results name.
pub fn lineage(a: &Artifacts) -> Lineage {
    let mut l = Lineage::default();
    if let Some(m) = a.manifest() {
        from_manifest(&mut l, m);
    }
    if let Some(rr) = a.run_results() {
        for r in &rr.results {
            l.add(&r.unique_id);
        }
    }
    // Power BI semantic models hang below the nodes that build the tables they read; their
    // reports below them.
    let mut seen = HashSet::default();
    for m in a.powerbi_matches() {
        l.add(&m.id);
        for s in &m.matched {
            l.edge(&s.node, &m.id, &mut seen);
        }
        for r in &m.reports {
            l.edge(&m.id, &report_id(r), &mut seen);
        }
    }
    l
}

/// The lineage/exposure id of a Power BI report: `powerbi.report.<id, else name>`.
pub fn report_id(r: &crate::powerbi::Report) -> String {
    format!("powerbi.report.{}", r.id.as_deref().unwrap_or(&r.name))
}

fn from_manifest(l: &mut Lineage, m: &Manifest) {
    l.graph.reserve_nodes(m.nodes.len());
    l.index.reserve(m.nodes.len());
    for id in m.nodes.keys() {
        l.add(id);
    }
    // `depends_on` (sorted and deduplicated by the reader) gives every edge once. `parent_map`
    // only when no node has any: a manifest written by a tool that keeps just the maps.
    let any_depends = m.nodes.values().any(|n| !n.depends_on.is_empty());
    if any_depends {
        for (id, node) in &m.nodes {
            let child = l.add(id);
            for p in &node.depends_on {
                let parent = l.add(p);
                if parent != child {
                    l.graph.add_edge(parent, child, ());
                }
            }
        }
    } else {
        let mut seen = HashSet::default();
        for (child, parents) in &m.parent_map {
            for p in parents {
                l.edge(p, child, &mut seen);
            }
        }
    }
}

impl Lineage {
    fn add(&mut self, id: &str) -> NodeIndex {
        if let Some(i) = self.index.get(id) {
            return *i;
        }
        let id: Rc<str> = Rc::from(id);
        let i = self.graph.add_node(Rc::clone(&id));
        self.index.insert(id, i);
        i
    }

    fn edge(&mut self, parent: &str, child: &str, seen: &mut HashSet<(NodeIndex, NodeIndex)>) {
        if parent == child {
            return;
        }
        let p = self.add(parent);
        let c = self.add(child);
        if seen.insert((p, c)) {
            self.graph.add_edge(p, c, ());
        }
    }

    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// The lineage's own copy of an id, for borrowing beyond the caller's string.
    pub fn get(&self, id: &str) -> Option<&str> {
        self.index.get(id).map(|i| &*self.graph[*i])
    }

    pub fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    /// Every node id, in insertion order.
    pub fn nodes(&self) -> impl Iterator<Item = &str> {
        self.graph.node_weights().map(|w| &**w)
    }

    /// Every edge as (parent, child).
    pub fn edges(&self) -> impl Iterator<Item = (&str, &str)> {
        self.graph
            .raw_edges()
            .iter()
            .map(|e| (&*self.graph[e.source()], &*self.graph[e.target()]))
    }

    pub fn parents(&self, id: &str) -> Vec<&str> {
        self.neighbors(id, Direction::Incoming)
    }

    pub fn children(&self, id: &str) -> Vec<&str> {
        self.neighbors(id, Direction::Outgoing)
    }

    fn neighbors(&self, id: &str, dir: Direction) -> Vec<&str> {
        let Some(&i) = self.index.get(id) else {
            return Vec::new();
        };
        let mut v: Vec<&str> = self
            .graph
            .neighbors_directed(i, dir)
            .map(|n| &*self.graph[n])
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Every node reachable downstream of `id`, excluding `id`.
    pub fn descendants(&self, id: &str) -> HashSet<&str> {
        self.reach(id, Direction::Outgoing)
    }

    /// Every node reachable downstream of any of `ids`, excluding those not reached from another.
    pub fn descendants_of_all<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> HashSet<&str> {
        let mut seen = vec![false; self.graph.node_count()];
        let mut queue: VecDeque<NodeIndex> = ids
            .into_iter()
            .filter_map(|id| self.index.get(id).copied())
            .collect();
        let mut out = HashSet::default();
        while let Some(i) = queue.pop_front() {
            for n in self.graph.neighbors_directed(i, Direction::Outgoing) {
                if !seen[n.index()] {
                    seen[n.index()] = true;
                    out.insert(&*self.graph[n]);
                    queue.push_back(n);
                }
            }
        }
        out
    }

    /// Every node reachable upstream of `id`, excluding `id`.
    pub fn ancestors(&self, id: &str) -> HashSet<&str> {
        self.reach(id, Direction::Incoming)
    }

    fn reach(&self, id: &str, dir: Direction) -> HashSet<&str> {
        let mut out = HashSet::default();
        let Some(&start) = self.index.get(id) else {
            return out;
        };
        let mut seen = vec![false; self.graph.node_count()];
        seen[start.index()] = true;
        let mut queue = VecDeque::from([start]);
        while let Some(i) = queue.pop_front() {
            for n in self.graph.neighbors_directed(i, dir) {
                if !seen[n.index()] {
                    seen[n.index()] = true;
                    out.insert(&*self.graph[n]);
                    queue.push_back(n);
                }
            }
        }
        out
    }
}
