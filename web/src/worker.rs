//! The web worker: a load's files in → bytes → the core → progress and the view out — first
//! the problem cards from everything but the manifests (read last: they are most of the bytes),
//! then the whole view; a share link's fragment in → the view out; layout requests in → positions
//! out; the Markdown report and the share link when the page asks. Between messages it keeps, under the load's id, what the view handed to the page leaves
//! out — node details, whole skipped lists, what the share link is made from — and answers
//! questions about that view only. The page may terminate it at any time (that is how a load is
//! cancelled) and start a fresh one. Its one message listener (gloo's) is installed for the
//! worker's whole life, so it is never removed.

use std::cell::RefCell;

use dbt_triage::artifacts::{InputFile, InputKind};
use dbt_triage::diagnose::Diagnosis;
use dbt_triage::graph::Lineage;
use dbt_triage::layout;
use dbt_triage::report;
use dbt_triage::share;
use dbt_triage::view::{self, ProjectView, ViewNode};
use gloo_events::EventListener;
use js_sys::{Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, File, MessageEvent};

use crate::protocol::{
    FirstLayout, LoadFiles, Loaded, Reply, Request, SharedFrom, FIRST_DEPTH, SKIPPED_HANDED,
};

/// What the last view left out, kept for the page's questions about it.
struct Kept {
    /// The load's id, as the page gave it.
    id: u32,
    /// The view's nodes with their details.
    nodes: Vec<ViewNode>,
    /// The problems' skipped nodes, all of them.
    skipped: Vec<Vec<String>>,
    /// The view's diagnosis, for its Markdown.
    diagnosis: Diagnosis,
    /// What the share link is made from besides the diagnosis (`None` for a view opened from a
    /// share link, and for the first answer of a load).
    share: Option<(Lineage, String)>,
}

thread_local! {
    static KEPT: RefCell<Option<Kept>> = const { RefCell::new(None) };
}

/// Answers a question about the view `id`, or `None` when that is not the view kept here.
fn with_kept<T>(id: u32, f: impl FnOnce(&Kept) -> T) -> Option<T> {
    KEPT.with_borrow(|k| k.as_ref().filter(|k| k.id == id).map(f))
}

/// Leaves the page the problems' first [`SKIPPED_HANDED`] skipped names (a hub failure skips tens
/// of thousands of nodes). Returns each problem's count and its whole list, to keep here.
fn shorten_skipped(view: &mut ProjectView) -> (Vec<usize>, Vec<Vec<String>>) {
    let Some(d) = &mut view.diagnosis else {
        return (Vec::new(), Vec::new());
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
    (totals, kept)
}

/// The graph's first screen: the failure's nodes and [`FIRST_DEPTH`] levels around them (as the
/// page's initial scope chooses them), laid out.
fn first_layout(view: &ProjectView) -> Option<FirstLayout> {
    if view.nodes.is_empty() {
        return None;
    }
    let view::Focus { shown, folded } = view::focus(view, FIRST_DEPTH, FIRST_DEPTH, &[]);
    let edges = view::edges_among(view, &shown);
    let layout = layout::layout(&shown, &edges, &layout::Config::default());
    Some(FirstLayout {
        shown,
        folded,
        layout,
    })
}

/// Leaves the page the nodes' outlines ([`ViewNode::outline`]: what the graph, the search and
/// the cards use). Returns the whole nodes, to keep here.
fn outline(view: &mut ProjectView) -> Vec<ViewNode> {
    let outline = view.nodes.iter().map(ViewNode::outline).collect();
    std::mem::replace(&mut view.nodes, outline)
}

/// Installs the message handler and says it is ready.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        post(&Reply::Failed {
            text: format!("the analysis stopped unexpectedly: {info}"),
        });
    }));
    EventListener::new(&scope(), "message", |e| {
        let data = e.unchecked_ref::<MessageEvent>().data();
        // A request's JSON, alone or ahead of a load's files (see `crate::protocol`).
        let (text, files) = if Array::is_array(&data) {
            let message: Array = data.unchecked_into();
            (message.get(0), message.slice(1, message.length()))
        } else {
            (data, Array::new())
        };
        let Some(text) = text.as_string() else {
            return;
        };
        match serde_json::from_str::<Request>(&text) {
            Ok(request) => answer(request, files),
            Err(e) => post(&Reply::Failed {
                text: format!("bad request: {e}"),
            }),
        }
    })
    .forget();
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

/// Answers a request: a load (`files`: its files) in a task of its own, as it awaits their
/// bytes; anything else at once.
fn answer(request: Request, files: Array) {
    let reply = match request {
        Request::Load(header) => {
            wasm_bindgen_futures::spawn_local(load(header, files));
            return;
        }
        Request::Layout {
            token,
            nodes,
            edges,
        } => Reply::Layout {
            token,
            layout: layout::layout(&nodes, &edges, &layout::Config::default()),
        },
        Request::Node { id, index } => Reply::Node {
            id,
            index,
            node: with_kept(id, |k| k.nodes.get(index as usize).cloned().map(Box::new)).flatten(),
        },
        Request::Skipped { id, problem } => Reply::Skipped {
            id,
            problem,
            nodes: with_kept(id, |k| k.skipped.get(problem as usize).cloned()).flatten(),
        },
        Request::Share { id } => Reply::Share {
            id,
            link: match with_kept(id, |k| {
                k.share.as_ref().map(|(lineage, base)| {
                    share::link(&k.diagnosis, lineage, base, share::DEFAULT_BUDGET)
                        .map_err(|e| capitalized(&e.to_string()))
                })
            })
            .flatten()
            {
                Some(link) => link,
                None => Err(
                    "The link could not be made: this page's analysis was restarted — add the \
                     files again"
                        .into(),
                ),
            },
        },
        Request::Markdown { id } => Reply::Markdown {
            id,
            text: with_kept(id, |k| report::markdown::render(&k.diagnosis)).ok_or_else(|| {
                "The Markdown could not be made: this page's analysis was restarted — add the \
                 files again"
                    .to_string()
            }),
        },
        Request::Open { base, fragment, id } => match share::decode(&fragment) {
            Ok(snapshot) => Reply::Loaded(Box::new(Loaded {
                id,
                view: {
                    let mut view = view::from_snapshot(&snapshot);
                    let nodes = outline(&mut view);
                    KEPT.set(Some(Kept {
                        id,
                        nodes,
                        skipped: Vec::new(),
                        diagnosis: snapshot.diagnosis.clone(),
                        share: None,
                    }));
                    view
                },
                read_errors: Vec::new(),
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
                timeline: Vec::new(),
                records: Vec::new(),
            })),
            Err(e) => Reply::BadLink {
                text: capitalized(&e.to_string()),
            },
        },
    };
    post(&reply);
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Reads and analyses a load's files (`files`: their `File` handles, in the order of `names`).
async fn load(header: LoadFiles, files: Array) {
    let LoadFiles {
        base,
        id,
        as_of,
        remembered,
        names,
    } = header;
    let total = files.length() + 1;
    let mut read_errors = Vec::new();
    // All files are asked for at once (the browser reads them concurrently), each with its first
    // bytes: those say which are manifests, which are read last — the rest give the first answer.
    let reads: Vec<Read> = files
        .iter()
        .enumerate()
        .map(|(i, file)| {
            let name = names.get(i).cloned().unwrap_or_default();
            let file: File = file.unchecked_into();
            let whole = JsFuture::from(file.array_buffer());
            let head = file
                .slice_with_f64_and_f64(0.0, HEAD as f64)
                .ok()
                .map(|b| JsFuture::from(b.array_buffer()));
            Read {
                name,
                file,
                whole: Some(whole),
                head,
            }
        })
        .collect();
    let mut reads = reads;
    let mut later = Vec::with_capacity(reads.len());
    for r in &mut reads {
        let head = match r.head.take() {
            Some(head) => head.await.ok().map(|b| Uint8Array::new(&b).to_vec()),
            None => None,
        };
        later.push(
            head.is_some_and(|h| dbt_triage::artifacts::recognize(&h) == Some(InputKind::Manifest)),
        );
    }
    let mut done = 0;
    let first_bytes = read_files(
        &mut reads,
        &later,
        false,
        &mut done,
        total,
        &mut read_errors,
    )
    .await;
    let first: Vec<(usize, InputFile<'_>)> = first_bytes
        .iter()
        .map(|(i, name, bytes)| (*i, InputFile { name, bytes }))
        .collect();
    let mut staged = dbt_triage::artifacts::read_first(&first);
    drop(first);
    drop(first_bytes);
    staged.remember(remembered.iter().map(|r| r.to_run_results()).collect());
    if later.contains(&true) {
        // The first answer: the problem cards, from run_results (or a log) alone.
        post(&Reply::Progress {
            text: "Analysing the results".into(),
            done,
            total,
        });
        let early = staged.artifacts();
        let (timeline, records) = runs(early);
        let earlier = as_of.as_deref().and_then(|id| early.as_of(id));
        let early = earlier.as_ref().unwrap_or(early);
        let lineage = dbt_triage::lineage(early);
        let diagnosis = dbt_triage::diagnose(early, &lineage);
        let mut view = view::view(early, &lineage, &diagnosis);
        drop(earlier);
        view::awaiting_manifest(&mut view);
        let loaded = hand_over(id, view, diagnosis, None, read_errors.clone(), false);
        post(&Reply::Cards(Box::new(Loaded {
            timeline,
            records,
            ..loaded
        })));
    }
    let rest_bytes = read_files(&mut reads, &later, true, &mut done, total, &mut read_errors).await;
    post(&Reply::Progress {
        text: "Analysing".into(),
        done: total - 1,
        total,
    });
    let rest: Vec<(usize, InputFile<'_>)> = rest_bytes
        .iter()
        .map(|(i, name, bytes)| (*i, InputFile { name, bytes }))
        .collect();
    let mut artifacts = staged.finish(&rest);
    drop(rest);
    drop(rest_bytes);
    let (timeline, records) = runs(&artifacts);
    if let Some(earlier) = as_of.as_deref().and_then(|id| artifacts.as_of(id)) {
        artifacts = earlier;
    }
    let lineage = dbt_triage::lineage(&artifacts);
    let diagnosis = dbt_triage::diagnose(&artifacts, &lineage);
    let view = view::view(&artifacts, &lineage, &diagnosis);
    drop(artifacts);
    let loaded = hand_over(
        id,
        view,
        diagnosis,
        Some((lineage, base)),
        read_errors,
        true,
    );
    post(&Reply::Loaded(Box::new(Loaded {
        timeline,
        records,
        ..loaded
    })));
}

/// The runs among the files (with those remembered): every one for the timeline when there are
/// several, and the records to remember.
fn runs(
    a: &dbt_triage::Artifacts,
) -> (
    Vec<dbt_triage::diagnose::history::Run>,
    Vec<dbt_triage::diagnose::history::RunRecord>,
) {
    let records = dbt_triage::diagnose::history::records(a);
    // Several runs: all of them on the timeline, the one asked for (else the newest) diagnosed.
    let timeline = dbt_triage::diagnose::history::timeline(a);
    let timeline = if timeline.len() > 1 {
        timeline
    } else {
        Vec::new()
    };
    (timeline, records)
}

/// How many bytes of a file say what it is (the core sniffs this much).
const HEAD: usize = 64 * 1024;

/// A file being read: its name, the read of its bytes, and of its first [`HEAD`] bytes.
struct Read {
    name: String,
    file: File,
    whole: Option<JsFuture>,
    head: Option<JsFuture>,
}

/// Waits for the files of one stage (`later` says which are the manifests' stage), saying which
/// is being read; a file the browser could not read is named in `read_errors`.
async fn read_files(
    reads: &mut [Read],
    later: &[bool],
    stage: bool,
    done: &mut u32,
    total: u32,
    read_errors: &mut Vec<String>,
) -> Vec<(usize, String, Vec<u8>)> {
    let mut out = Vec::new();
    for (i, r) in reads.iter_mut().enumerate() {
        if later.get(i).copied().unwrap_or(false) != stage {
            continue;
        }
        let Some(whole) = r.whole.take() else {
            continue;
        };
        post(&Reply::Progress {
            text: format!("Reading {} ({})", r.name, size_text(r.file.size())),
            done: *done,
            total,
        });
        *done += 1;
        match whole.await {
            Ok(buffer) => out.push((i, r.name.clone(), Uint8Array::new(&buffer).to_vec())),
            Err(e) => read_errors.push(format!(
                "{}: the browser could not read this file ({}) — add it again",
                r.name,
                e.as_string()
                    .or_else(|| js_sys::Error::from(e).message().as_string())
                    .unwrap_or_else(|| "unknown error".into())
            )),
        }
    }
    out
}

/// Keeps what the view leaves out for the page's questions, and makes the reply: the nodes'
/// outlines, each problem's first skipped nodes, and — for the whole view (`lay_out`) — the
/// graph's first screen, laid out.
fn hand_over(
    id: u32,
    mut view: ProjectView,
    diagnosis: Diagnosis,
    share: Option<(Lineage, String)>,
    read_errors: Vec<String>,
    lay_out: bool,
) -> Loaded {
    // The page lists skipped nodes per problem; the flat list with each one's causes is for the
    // reports (made here) and would be a quarter of a big project's hand-over to the page.
    if let Some(d) = &mut view.diagnosis {
        d.skipped = Vec::new();
    }
    let nodes = outline(&mut view);
    let (skipped_total, skipped) = shorten_skipped(&mut view);
    let first_layout = if lay_out {
        self::first_layout(&view)
    } else {
        None
    };
    // Kept before the view is posted: the page may ask about it as soon as it has it.
    KEPT.set(Some(Kept {
        id,
        nodes,
        skipped,
        diagnosis,
        share,
    }));
    Loaded {
        id,
        view,
        read_errors,
        share: None,
        shared: None,
        first_layout,
        skipped_total,
        timeline: Vec::new(),
        records: Vec::new(),
    }
}

fn size_text(bytes: f64) -> String {
    if bytes >= 1_048_576.0 {
        format!("{:.1} MB", bytes / 1_048_576.0)
    } else {
        format!("{:.0} KB", (bytes / 1024.0).ceil())
    }
}
