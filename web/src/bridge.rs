//! The page's side of the worker: spawns it (by a relative path, so the app works under any
//! sub-path), queues messages until it says it is ready, turns its replies into actions, and
//! cancels a load by terminating it and starting a fresh one.
//!
//! A plain `web_sys::Worker` on purpose, not gloo-worker (or yew-agent over it): a load reports
//! progress as it goes and is cancelled by terminating the worker, and gloo-worker's codec would
//! serialize and copy the files' bytes where a structured clone of their `File` handles is cheap.
//! Its listeners are gloo's, owned with the worker: a restart drops them with it.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::{EventListener, EventListenerOptions};
use gloo_timers::future::TimeoutFuture;
use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker};

use crate::protocol::{LoadFiles, Loaded, Reply, Request};
use crate::state::{Action, Picked, Progress};

/// Where Trunk puts the worker's loader, relative to the page.
const WORKER_PATH: &str = "worker_loader.js";

pub type Dispatch = Rc<dyn Fn(Action)>;

/// A handle on the worker; clones share it.
#[derive(Clone)]
pub struct Bridge(Rc<RefCell<Inner>>);

struct Inner {
    worker: Option<Worker>,
    ready: bool,
    loading: bool,
    /// The view whose share link is still to be asked for (see [`Bridge::ask_share`]).
    share_wanted: Option<u32>,
    /// The id the next load gets; counted up across worker restarts.
    next_id: u32,
    /// The load whose view the page waits for: a view arriving for any other (a load cancelled,
    /// replaced or cleared meanwhile) is dropped.
    awaiting: Option<u32>,
    queue: Vec<JsValue>,
    dispatch: Dispatch,
    /// The worker stopped with an uncaught error (e.g. its memory ran out): the next request
    /// starts a fresh one.
    broken: bool,
    /// The worker's message and error listeners.
    listeners: Vec<EventListener>,
}

impl Bridge {
    pub fn new(dispatch: Dispatch) -> Bridge {
        let b = Bridge(Rc::new(RefCell::new(Inner {
            worker: None,
            ready: false,
            loading: false,
            share_wanted: None,
            next_id: 1,
            awaiting: None,
            queue: Vec::new(),
            dispatch,
            broken: false,
            listeners: Vec::new(),
        })));
        b.spawn();
        b
    }

    fn spawn(&self) {
        let restarted = self.0.borrow().worker.is_some();
        self.start_worker();
        // What the old worker kept for the view shown is gone with it.
        if restarted {
            let dispatch = self.0.borrow().dispatch.clone();
            dispatch(Action::WorkerRestarted);
        }
    }

    fn start_worker(&self) {
        let mut inner = self.0.borrow_mut();
        if let Some(w) = inner.worker.take() {
            w.terminate();
        }
        inner.ready = false;
        inner.loading = false;
        inner.share_wanted = None;
        inner.broken = false;
        inner.queue.clear();
        let worker = match Worker::new(WORKER_PATH) {
            Ok(w) => w,
            Err(_) => {
                (inner.dispatch)(Action::Failed(format!(
                    "The page could not start its worker ({WORKER_PATH}); reload the page"
                )));
                return;
            }
        };
        let me = self.clone();
        let message = EventListener::new(&worker, "message", move |e| {
            if let Some(text) = e.unchecked_ref::<MessageEvent>().data().as_string() {
                if let Ok(reply) = serde_json::from_str::<Reply>(&text) {
                    me.receive(reply);
                }
            }
        });
        let me = self.clone();
        // Not passive: it keeps the error from the console (the page says what happened).
        let options = EventListenerOptions::enable_prevent_default();
        let error = EventListener::new_with_options(&worker, "error", options, move |e| {
            e.prevent_default();
            me.crashed(e.unchecked_ref::<ErrorEvent>().message());
        });
        inner.listeners = vec![message, error];
        inner.worker = Some(worker);
    }

    fn receive(&self, reply: Reply) {
        let dispatch = {
            let mut inner = self.0.borrow_mut();
            if let Reply::Ready = reply {
                inner.ready = true;
                let queue = std::mem::take(&mut inner.queue);
                if let Some(w) = &inner.worker {
                    for m in queue {
                        let _ = w.post_message(&m);
                    }
                }
                return;
            }
            if matches!(
                reply,
                Reply::Loaded(_) | Reply::Failed { .. } | Reply::BadLink { .. }
            ) {
                inner.loading = false;
            }
            // A panic may leave the worker's memory unusable: the next request gets a fresh one.
            if matches!(reply, Reply::Failed { .. }) {
                inner.broken = true;
            }
            inner.dispatch.clone()
        };
        match reply {
            Reply::Ready => {}
            Reply::Progress { text, done, total } => {
                dispatch(Action::Progress(Progress { text, done, total }))
            }
            // Turned into the page in a task of its own: the task that received the reply spent
            // its time reading the JSON (tens of ms for a big project).
            Reply::Cards(loaded) => self.take(loaded, false),
            Reply::Loaded(loaded) => self.take(loaded, true),
            Reply::Markdown { id, text } => dispatch(Action::MarkdownMade { id, text }),
            Reply::Layout { token, layout } => dispatch(Action::Laid { token, layout }),
            Reply::Share { id, link } => dispatch(Action::ShareMade { id, link }),
            Reply::Node { id, index, node } => dispatch(Action::NodeDetail { id, index, node }),
            Reply::Skipped { id, problem, nodes } => dispatch(Action::SkippedList {
                id,
                problem: problem as usize,
                nodes,
            }),
            Reply::Failed { text } | Reply::BadLink { text } => dispatch(Action::Failed(text)),
        }
    }

    /// Gives the page a load's answer (its cards, or its whole view: `whole`) in a task of its
    /// own, if the page still waits for that load.
    fn take(&self, mut loaded: Box<Loaded>, whole: bool) {
        let me = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            TimeoutFuture::new(0).await;
            let dispatch = {
                let mut inner = me.0.borrow_mut();
                if inner.awaiting != Some(loaded.id) {
                    return;
                }
                if whole {
                    inner.awaiting = None;
                    inner.share_wanted = loaded.share.is_none().then_some(loaded.id);
                }
                inner.dispatch.clone()
            };
            for n in &mut loaded.view.nodes {
                n.restore();
            }
            dispatch(if whole {
                Action::Loaded(loaded)
            } else {
                Action::Cards(loaded)
            })
        });
    }

    /// The worker died without answering: say so, and start a fresh one on the next request
    /// (not from inside its own handler).
    fn crashed(&self, message: String) {
        let dispatch = {
            let mut inner = self.0.borrow_mut();
            inner.broken = true;
            inner.loading = false;
            inner.dispatch.clone()
        };
        dispatch(Action::Failed(format!(
            "The analysis stopped unexpectedly ({message}); the files may be too big for this \
             browser tab — try fewer files, or the command line"
        )));
    }

    fn send(&self, message: JsValue) {
        if self.0.borrow().broken {
            self.spawn();
        }
        let mut inner = self.0.borrow_mut();
        if inner.ready {
            if let Some(w) = &inner.worker {
                let _ = w.post_message(&message);
            }
        } else {
            inner.queue.push(message);
        }
    }

    /// Reads and analyses these files, cancelling a load still under way; `base` is the page's
    /// URL without its fragment, for the share link.
    pub fn load(
        &self,
        files: &[Picked],
        base: &str,
        as_of: Option<&str>,
        remembered: Vec<dbt_triage::diagnose::history::RunRecord>,
    ) {
        if self.0.borrow().loading {
            self.spawn();
        }
        if files.is_empty() {
            return;
        }
        let id = self.begin();
        let load = Request::Load(LoadFiles {
            base: base.to_string(),
            id,
            as_of: as_of.map(str::to_string),
            remembered,
            names: files.iter().map(|p| p.name.clone()).collect(),
        });
        // The files' handles go beside the request's JSON (see `crate::protocol`).
        if let Ok(text) = serde_json::to_string(&load) {
            let message = Array::of1(&JsValue::from_str(&text));
            for p in files {
                message.push(&p.file);
            }
            self.send(message.into());
        }
    }

    /// A new load: its id, which the page now waits for.
    fn begin(&self) -> u32 {
        let mut inner = self.0.borrow_mut();
        let id = inner.next_id;
        inner.next_id += 1;
        inner.awaiting = Some(id);
        inner.loading = true;
        id
    }

    /// Stops a load under way.
    pub fn cancel(&self) {
        self.0.borrow_mut().awaiting = None;
        if self.0.borrow().loading {
            self.spawn();
        }
    }

    /// The page was cleared: nothing under way is wanted any more.
    pub fn forget(&self) {
        self.cancel();
        self.0.borrow_mut().share_wanted = None;
    }

    /// Opens a share link's fragment, cancelling a load still under way.
    pub fn open(&self, base: &str, fragment: &str) {
        if self.0.borrow().loading {
            self.spawn();
        }
        let id = self.begin();
        self.request(&Request::Open {
            base: base.to_string(),
            fragment: fragment.to_string(),
            id,
        });
    }

    /// Asks for the last load's share link, once per load: called after the first layout is
    /// asked for, so that the worker lays out the first screen before it makes the link.
    pub fn ask_share(&self) {
        let wanted = self.0.borrow_mut().share_wanted.take();
        if let Some(id) = wanted {
            self.request(&Request::Share { id });
        }
    }

    /// Sends a request.
    pub fn request(&self, request: &Request) {
        if let Ok(text) = serde_json::to_string(request) {
            self.send(JsValue::from_str(&text));
        }
    }
}
