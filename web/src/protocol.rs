//! What the page and the worker say to each other. The page sends a JS array of `[name, File]`
//! pairs to load (a structured clone of `File` handles is cheap; the worker reads the bytes), or a
//! JSON [`Request`]; the worker answers with JSON [`Reply`]s.

use dbt_triage::layout::Layout;
use dbt_triage::view::ProjectView;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Request {
    /// Lay out these nodes (indices into the view's nodes) with these edges among them.
    Layout {
        token: u32,
        nodes: Vec<u32>,
        edges: Vec<(u32, u32)>,
    },
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
    /// The files could be read (some maybe not: `read_errors` names them and says why).
    Loaded {
        view: Box<ProjectView>,
        read_errors: Vec<String>,
    },
    Layout {
        token: u32,
        layout: Layout,
    },
    /// Something went wrong inside the worker itself.
    Failed {
        text: String,
    },
}
