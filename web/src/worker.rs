//! The web worker: `[name, File]` pairs in → bytes → the core → progress, the view, the Markdown
//! report and the share link out; a share link's fragment in → the same out; layout requests in →
//! positions out. The only state it keeps between messages is what the share link of the last
//! load is made from (asked for separately, after the first screen); the page may terminate it at
//! any time (that is how a load is cancelled) and start a fresh one.

use std::cell::RefCell;

use dbt_triage::artifacts::InputFile;
use dbt_triage::diagnose::Diagnosis;
use dbt_triage::graph::Lineage;
use dbt_triage::layout;
use dbt_triage::report;
use dbt_triage::share;
use dbt_triage::view::{self, ProjectView, ViewNode};
use js_sys::{Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, File, MessageEvent};

use crate::protocol::{FirstLayout, Loaded, Reply, Request, SharedFrom, SKIPPED_HANDED};

thread_local! {
    /// What the last load's share link is made from: its diagnosis, lineage and the page's URL.
    static LAST: RefCell<Option<(Diagnosis, Lineage, String)>> = const { RefCell::new(None) };
    /// The last view's nodes with their details, which the page asks for one at a time.
    static NODES: RefCell<Vec<ViewNode>> = const { RefCell::new(Vec::new()) };
    /// The last view's problems' skipped nodes, all of them.
    static SKIPPED: RefCell<Vec<Vec<String>>> = const { RefCell::new(Vec::new()) };
}

/// Keeps the problems' skipped lists here and leaves the page their first [`SKIPPED_HANDED`]
/// names: a hub failure skips tens of thousands of nodes. Returns each problem's count.
fn shorten_skipped(view: &mut ProjectView) -> Vec<usize> {
    let Some(d) = &mut view.diagnosis else {
        SKIPPED.set(Vec::new());
        return Vec::new();
    };
    let mut kept = Vec::new();
    let totals = d
        .problems
        .iter_mut()
        .map(|p| {
            let total = p.skipped.len();
            let handed = p.skipped.iter().take(SKIPPED_HANDED).cloned().collect();
            kept.push(std::mem::replace(&mut p.skipped, handed));
            total
        })
        .collect();
    SKIPPED.set(kept);
    totals
}

/// The graph's first screen: the failure's nodes and one level around them (as the page's
/// `Scope::Focus { depth: 1 }` chooses them), laid out.
fn first_layout(view: &ProjectView) -> Option<FirstLayout> {
    if view.nodes.is_empty() {
        return None;
    }
    let shown = view::neighborhood(view, &view::failure_nodes(view), 1);
    let edges = view::edges_among(view, &shown);
    let layout = layout::layout(&shown, &edges, &layout::Config::default());
    Some(FirstLayout { shown, layout })
}

/// Keeps the view's nodes here and leaves the page their outlines ([`ViewNode::outline`]): what
/// the graph, the search and the cards use.
fn outline(view: &mut ProjectView) {
    let outline = view.nodes.iter().map(ViewNode::outline).collect();
    NODES.set(std::mem::replace(&mut view.nodes, outline));
}

/// Installs the message handler and says it is ready.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        post(&Reply::Failed {
            text: format!("the analysis stopped unexpectedly: {info}"),
        });
    }));
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| {
        let data = e.data();
        if let Some(text) = data.as_string() {
            match serde_json::from_str::<Request>(&text) {
                Ok(request) => post(&answer(request)),
                Err(e) => post(&Reply::Failed {
                    text: format!("bad request: {e}"),
                }),
            }
        } else if Array::is_array(&data) {
            LAST.set(None);
            NODES.set(Vec::new());
            SKIPPED.set(Vec::new());
            wasm_bindgen_futures::spawn_local(load(data.unchecked_into()));
        }
    });
    scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    dbt_triage::classify::warm_up();
    post(&Reply::Ready);
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(reply: &Reply) {
    if let Ok(text) = serde_json::to_string(reply) {
        let _ = scope().post_message(&JsValue::from_str(&text));
    }
}

fn answer(request: Request) -> Reply {
    match request {
        Request::Layout {
            token,
            nodes,
            edges,
        } => Reply::Layout {
            token,
            layout: layout::layout(&nodes, &edges, &layout::Config::default()),
        },
        Request::Node { index } => Reply::Node {
            index,
            node: NODES.with_borrow(|nodes| nodes.get(index as usize).cloned().map(Box::new)),
        },
        Request::Skipped { problem } => Reply::Skipped {
            problem,
            nodes: SKIPPED.with_borrow(|s| s.get(problem as usize).cloned().unwrap_or_default()),
        },
        Request::Share => Reply::Share {
            link: LAST.with_borrow(|last| match last {
                Some((diagnosis, lineage, base)) => {
                    share::link(diagnosis, lineage, base, share::DEFAULT_BUDGET)
                        .map_err(|e| capitalized(&e.to_string()))
                }
                None => Err("There is no diagnosis to share: load the files again".into()),
            }),
        },
        Request::Open { base, fragment } => match share::decode(&fragment) {
            Ok(snapshot) => Reply::Loaded(Box::new(Loaded {
                view: {
                    let mut view = view::from_snapshot(&snapshot);
                    outline(&mut view);
                    view
                },
                read_errors: Vec::new(),
                markdown: report::markdown::render(&snapshot.diagnosis),
                share: Some(Ok(format!(
                    "{}#{}",
                    base.split('#').next().unwrap_or_default(),
                    fragment.trim_start_matches('#')
                ))),
                shared: Some(SharedFrom {
                    omitted: snapshot.omitted,
                }),
                first_layout: None,
                skipped_total: Vec::new(),
            })),
            Err(e) => Reply::BadLink {
                text: capitalized(&e.to_string()),
            },
        },
    }
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

async fn load(message: Array) {
    let base = message.get(0).as_string().unwrap_or_default();
    let pairs = message.slice(1, message.length());
    let total = pairs.length() + 1;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut read_errors = Vec::new();
    // All files are asked for at once: the browser reads them concurrently while this waits for
    // (and copies) the first.
    let reads: Vec<(String, File, JsFuture)> = pairs
        .iter()
        .map(|pair| {
            let pair: Array = pair.unchecked_into();
            let name = pair.get(0).as_string().unwrap_or_default();
            let file: File = pair.get(1).unchecked_into();
            let read = JsFuture::from(file.array_buffer());
            (name, file, read)
        })
        .collect();
    for (i, (name, file, read)) in reads.into_iter().enumerate() {
        post(&Reply::Progress {
            text: format!("Reading {name} ({})", size_text(file.size())),
            done: i as u32,
            total,
        });
        match read.await {
            Ok(buffer) => files.push((name, Uint8Array::new(&buffer).to_vec())),
            Err(e) => read_errors.push(format!(
                "{name}: the browser could not read this file ({}) — add it again",
                e.as_string()
                    .or_else(|| js_sys::Error::from(e).message().as_string())
                    .unwrap_or_else(|| "unknown error".into())
            )),
        }
    }
    post(&Reply::Progress {
        text: "Analysing".into(),
        done: total - 1,
        total,
    });
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .map(|(name, bytes)| InputFile { name, bytes })
        .collect();
    let artifacts = dbt_triage::read(&inputs);
    drop(inputs);
    drop(files);
    let lineage = dbt_triage::lineage(&artifacts);
    let diagnosis = dbt_triage::diagnose(&artifacts, &lineage);
    let mut view = view::view(&artifacts, &lineage, &diagnosis);
    drop(artifacts);
    // The page lists skipped nodes per problem; the flat list with each one's causes is for the
    // reports (made here) and would be a quarter of a big project's hand-over to the page.
    if let Some(d) = &mut view.diagnosis {
        d.skipped = Vec::new();
    }
    outline(&mut view);
    let skipped_total = shorten_skipped(&mut view);
    let first_layout = first_layout(&view);
    post(&Reply::Loaded(Box::new(Loaded {
        view,
        read_errors,
        markdown: report::markdown::render(&diagnosis),
        share: None,
        shared: None,
        first_layout,
        skipped_total,
    })));
    LAST.set(Some((diagnosis, lineage, base)));
}

fn size_text(bytes: f64) -> String {
    if bytes >= 1_048_576.0 {
        format!("{:.1} MB", bytes / 1_048_576.0)
    } else {
        format!("{:.0} KB", (bytes / 1024.0).ceil())
    }
}
