//! What the page and the worker say to each other. The page sends a [`Request`] as JSON; a
//! [`Request::Load`] travels as the array `[json, file, …]`, the files' `File` handles beside
//! their names (a structured clone of a `File` copies its handle, not its bytes: the worker reads
//! them). The worker answers with JSON [`Reply`]s.
//!
//! JSON, not JS objects (`serde-wasm-bindgen`, or a structured clone of them): a reply is Rust
//! data on both sides, and a JSON string crosses each side's wasm boundary in one copy, where a
//! JS object is built and read field by field through a call into JS each — tens of thousands of
//! them for a big project's view — and its structured clone walks all of them again. (Reasoned,
//! not measured against that; web/bench/phases times the JSON both ways: `to_json`,
//! `page_from_json`.)
//!
//! A load of files with a manifest is answered twice, under its one id: first [`Reply::Cards`],
//! diagnosed from everything but the manifests (the problem cards, while the manifest is still
//! being read), then [`Reply::Loaded`], the whole diagnosis (the same as a one-stage load's). A
//! load without a manifest, and a share link, are answered with `Loaded` alone.
//!
//! Every load (files or a share link) has an id the page gives it, counted up across worker
//! restarts. The worker keeps what the last load's view leaves out (node details, whole skipped
//! lists, what a share link is made from) under that id; a question about a view carries its id
//! and is answered `None` when the worker no longer holds that view (a newer load, or a restarted
//! worker), so an answer never lands on the wrong view.

use dbt_triage::layout::Layout;
use dbt_triage::view::{ProjectView, ViewNode};
use serde::{Deserialize, Serialize};

/// A load of files (their handles travel beside it: see the module's doc).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadFiles {
    /// The page's URL without its fragment: the base of the share link.
    pub base: String,
    /// The load's id.
    pub id: u32,
    /// Diagnose this run (an invocation id among several given) instead of the newest.
    #[serde(default)]
    pub as_of: Option<String>,
    /// Runs the page remembered from earlier visits (statuses only), for the history.
    #[serde(default)]
    pub remembered: Vec<dbt_triage::diagnose::history::RunRecord>,
    /// The files' names as the page shows them, in the order of their handles.
    pub names: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Request {
    /// Read and analyse these files (see [`LoadFiles`]), answered with [`Reply::Cards`] and
    /// [`Reply::Loaded`].
    Load(LoadFiles),
    /// Lay out these nodes (indices into the view's nodes) with these edges among them.
    Layout {
        token: u32,
        nodes: Vec<u32>,
        edges: Vec<(u32, u32)>,
    },
    /// Open a share link's fragment (`#d=…`); `base` is the page's URL without it.
    Open {
        base: String,
        fragment: String,
        id: u32,
    },
    /// Make the share link of the last files loaded. The page asks once the first screen is
    /// drawn: building it (serializing and deflating the diagnosis) is a third of a big load's
    /// work in the worker, and nobody waits for it before they click "Share link".
    Share { id: u32 },
    /// The details of one node of the view (what [`Loaded`] leaves out of its nodes).
    Node { id: u32, index: u32 },
    /// All the nodes a problem of the view skipped (`Loaded` names the first ones).
    Skipped { id: u32, problem: u32 },
    /// The view's diagnosis as Markdown (made when the user asks for it: it is not on screen).
    Markdown { id: u32 },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reply {
    /// The worker is up and has its code: loads may be sent.
    Ready,
    /// Reading or analysing: `done` of `total` steps.
    Progress {
        text: String,
        done: u32,
        total: u32,
    },
    /// The first answer of a load with a manifest: diagnosed without it, while it is read
    /// (`first_layout` is `None`, and the view's nodes have no lineage yet). `Loaded` follows.
    Cards(Box<Loaded>),
    /// The files (or a share link) could be read; for files, some maybe not: `read_errors` names
    /// them and says why.
    Loaded(Box<Loaded>),
    Layout {
        token: u32,
        layout: Layout,
    },
    /// A node's details: the whole [`ViewNode`], or `None` when the worker no longer has the view.
    Node {
        id: u32,
        index: u32,
        node: Option<Box<ViewNode>>,
    },
    /// All the nodes a problem skipped, or `None` when the worker no longer has the view.
    Skipped {
        id: u32,
        problem: u32,
        nodes: Option<Vec<String>>,
    },
    /// The view's Markdown report, or why there is none (the worker no longer has the view).
    Markdown {
        id: u32,
        text: Result<String, String>,
    },
    /// The share link of the last load, or why there is none.
    Share {
        id: u32,
        link: Result<String, String>,
    },
    /// The share link could not be read (the worker is fine).
    BadLink {
        text: String,
    },
    /// Something went wrong inside the worker itself.
    Failed {
        text: String,
    },
}

/// A diagnosed project, with what the page exports from it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Loaded {
    /// The load's id, as the page gave it.
    pub id: u32,
    /// The view, its nodes without their details (materialization, path, relation, timing,
    /// message, compiled SQL path: asked for with [`Request::Node`] when a node is opened) — at
    /// 10,000 models they would be most of the hand-over to the page.
    pub view: ProjectView,
    pub read_errors: Vec<String>,
    /// The share link, or why there is none (the diagnosis does not fit a link); `None` while
    /// it is still to be made (see [`Request::Share`]).
    pub share: Option<Result<String, String>>,
    /// Set when this came from a share link rather than files.
    pub shared: Option<SharedFrom>,
    /// The graph's first screen, laid out before the view is posted (saves the page a round
    /// trip to the worker before anything is drawn).
    #[serde(default)]
    pub first_layout: Option<FirstLayout>,
    /// Per problem, how many nodes it skipped: its `skipped` list in the view names at most
    /// [`SKIPPED_HANDED`] (the rest are asked for with [`Request::Skipped`] when wanted).
    #[serde(default)]
    pub skipped_total: Vec<usize>,
    /// Every run among the files, oldest first, when there are several (the diagnosis' own
    /// `runs` stop at the run diagnosed).
    #[serde(default)]
    pub timeline: Vec<dbt_triage::diagnose::history::Run>,
    /// The records of the runs among the files, for the page to remember when it may.
    #[serde(default)]
    pub records: Vec<dbt_triage::diagnose::history::RunRecord>,
}

/// How many of a problem's skipped nodes the view hands to the page by name, and so how many
/// its card lists before "Show all" asks the worker for the rest.
pub const SKIPPED_HANDED: usize = 200;

/// How many levels around the failure the graph shows first: the page's initial scope, and what
/// the worker lays out with the view ([`FirstLayout`]) — one number, so the two agree.
pub const FIRST_DEPTH: u32 = 1;

/// The failure's neighbourhood ([`FIRST_DEPTH`] levels around it) and its layout.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FirstLayout {
    pub shown: Vec<u32>,
    /// The fan-outs folded away (`view::Focus::folded`).
    pub folded: Vec<(u32, usize)>,
    pub layout: Layout,
}

/// What the banner over a shared diagnosis says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedFrom {
    /// What the link left out to fit, in words.
    pub omitted: Vec<String>,
}
