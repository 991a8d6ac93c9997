//! The page's state: one reducer and its actions. It holds what was picked, what the worker said
//! and what the user selected; the analysis itself always comes from the worker (the core).

use std::rc::Rc;

use dbt_triage::layout::Layout;
use dbt_triage::view::{self, ProjectView, ViewNode};
use web_sys::File;
use yew::Reducible;

use crate::protocol::{Loaded, SharedFrom, FIRST_DEPTH};
use crate::shared::Shared;

/// A file the user gave, under the name it is shown with (a folder's files keep their path).
#[derive(Clone)]
pub struct Picked {
    pub name: String,
    pub file: File,
}

impl Picked {
    fn same_as(&self, other: &Picked) -> bool {
        self.name == other.name
            && self.file.size() == other.file.size()
            && self.file.last_modified() == other.file.last_modified()
    }
}

/// How much of the lineage the graph shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The failure's nodes and `up` levels upstream, `down` levels downstream of them (a big
    /// failure's wide fan-outs folded, see `view::focus`).
    Focus {
        up: u32,
        down: u32,
    },
    Whole,
}

impl Scope {
    /// The first view of a run.
    pub const FIRST: Scope = Scope::Focus {
        up: FIRST_DEPTH,
        down: FIRST_DEPTH,
    };
}

#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub text: String,
    pub done: u32,
    pub total: u32,
}

#[derive(Clone)]
pub struct State {
    /// Everything picked so far; each load re-reads all of it, so a bad file never loses the rest.
    pub files: Vec<Picked>,
    /// The files of the view shown: a cancelled load goes back to them.
    pub loaded_files: Vec<Picked>,
    /// Bumped whenever `files` changes: the effect that sends them to the worker watches it.
    pub generation: u32,
    pub progress: Option<Progress>,
    pub view: Option<Shared<ProjectView>>,
    pub read_errors: Vec<String>,
    pub error: Option<String>,
    /// The view's Markdown report once the worker made it (it is made when the user asks), or
    /// why there is none.
    pub markdown: Option<Result<String, String>>,
    /// The id of the load whose problem cards are shown while its manifest is still being read
    /// (the worker's first answer, [`Action::Cards`]); `None` once the whole view is shown.
    pub enriching: Option<u32>,
    /// The load shown was stopped (cancelled, or its worker restarted) after its problem cards,
    /// before its manifest was read: the view has no lineage.
    pub stopped: bool,
    /// The id of the newest load whose answer was taken, kept when the page is cleared: an
    /// answer to an older load is stale.
    pub newest: u32,
    /// Per problem, how many nodes it skipped (its list in the view names the first ones).
    pub skipped_total: Vec<usize>,
    /// Per problem, all its skipped nodes once the worker sent them (`Some(None)`: it no longer
    /// has them).
    pub skipped_all: Vec<Option<Option<Shared<Vec<String>>>>>,
    /// The id of the load whose view is shown (see `protocol`).
    pub view_id: u32,
    /// The view's share link (or why there is none); `None` until the worker made it.
    pub share: Option<Result<String, String>>,
    /// Set while the view comes from a share link.
    pub shared: Option<SharedFrom>,
    pub scope: Scope,
    /// The nodes the graph shows, and the layout once the worker sent it.
    pub shown: Shared<Vec<u32>>,
    /// The shown nodes whose children were folded away, and how many.
    pub folded: Shared<Vec<(u32, usize)>>,
    /// Nodes the user unfolded.
    pub expanded: Vec<u32>,
    pub layout: Option<Shared<Layout>>,
    pub layout_token: u32,
    /// A layout the worker sent with the view, for this token: the page takes it in a task of
    /// its own after drawing the diagnosis, instead of asking the worker.
    pub first_layout: Option<(u32, Shared<Layout>)>,
    pub selected_node: Option<u32>,
    /// The selected node's details from the worker (`Some(None)`: it has none to give).
    pub node_detail: Option<Option<Shared<ViewNode>>>,
    pub selected_problem: Option<usize>,
    /// The view shown is the bundled sample: how many of the user's files it replaced.
    pub sample: Option<usize>,
    /// The load under way is the sample's (same meaning), until it is shown.
    pub pending_sample: Option<usize>,
    /// Every run among the files when there are several, oldest first.
    pub timeline: Shared<Vec<dbt_triage::diagnose::history::Run>>,
    /// The run to diagnose (an invocation id), when the user chose one on the timeline; the
    /// newest otherwise. New files go back to the newest.
    pub as_of: Option<String>,
    /// The user lets the page remember runs in this browser (see `remember`), and how many it
    /// holds (`None` until counted).
    pub remember: bool,
    pub remembered: Option<usize>,
    /// The records of the view's runs, to remember when that is on.
    pub records: Shared<Vec<dbt_triage::diagnose::history::RunRecord>>,
}

impl Default for State {
    fn default() -> State {
        State {
            files: Vec::new(),
            loaded_files: Vec::new(),
            generation: 0,
            progress: None,
            view: None,
            read_errors: Vec::new(),
            error: None,
            markdown: None,
            enriching: None,
            stopped: false,
            newest: 0,
            share: None,
            skipped_total: Vec::new(),
            skipped_all: Vec::new(),
            view_id: 0,
            shared: None,
            scope: Scope::FIRST,
            shown: Shared::new(Vec::new()),
            folded: Shared::new(Vec::new()),
            expanded: Vec::new(),
            layout: None,
            layout_token: 0,
            first_layout: None,
            selected_node: None,
            node_detail: None,
            selected_problem: None,
            sample: None,
            pending_sample: None,
            timeline: Shared::new(Vec::new()),
            as_of: None,
            remember: false,
            remembered: None,
            records: Shared::new(Vec::new()),
        }
    }
}

pub enum Action {
    /// Files were dropped or picked; replaces same-named identical files (and the sample: the
    /// user's files are never mixed with it).
    Add(Vec<Picked>),
    /// "Try a sample": the sample's files replace everything loaded, so that the page never
    /// shows a mix of the user's run and the sample's.
    Sample(Vec<Picked>),
    Clear,
    /// Stops a load: the files go back to those of the view shown.
    Cancel,
    /// A share link is being opened.
    Opening,
    Progress(Progress),
    /// The first answer of a load: its problem cards, while its manifest is read.
    Cards(Box<Loaded>),
    /// The whole answer of a load (after its cards, or alone).
    Loaded(Box<Loaded>),
    /// The Markdown report of the view `id` was made.
    MarkdownMade {
        id: u32,
        text: Result<String, String>,
    },
    /// The details of a node arrived.
    NodeDetail {
        id: u32,
        index: u32,
        node: Option<Box<ViewNode>>,
    },
    /// All the nodes a problem skipped arrived.
    SkippedList {
        id: u32,
        problem: usize,
        nodes: Option<Vec<String>>,
    },
    /// The share link of the view `id` was made.
    ShareMade {
        id: u32,
        link: Result<String, String>,
    },
    /// The worker was started afresh: what it kept for the view shown is gone.
    WorkerRestarted,
    Failed(String),
    SetScope(Scope),
    Laid {
        token: u32,
        layout: Layout,
    },
    SelectNode(Option<u32>),
    SelectProblem(Option<usize>),
    /// Show a node, widening the graph to the whole project when it is not shown.
    Reveal(u32),
    /// Show all the children of a node whose fan-out was folded.
    Expand(u32),
    /// Diagnose this run of the timeline (`None`: the newest).
    ChooseRun(Option<String>),
    /// Remembering was switched on or off (the page did the storing or the forgetting).
    SetRemember(bool),
    /// How many runs are remembered now.
    Remembered(usize),
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Add(picked) => {
                if picked.is_empty() {
                    return self;
                }
                if s.sample.is_some() || s.pending_sample.is_some() {
                    s.files.clear();
                }
                s.pending_sample = None;
                s.as_of = None;
                for p in picked {
                    s.files.retain(|f| !f.same_as(&p));
                    s.files.push(p);
                }
                s.start_load();
            }
            Action::Sample(picked) => {
                let own = if s.sample.is_some() { 0 } else { s.files.len() };
                s.files = picked;
                s.pending_sample = Some(own);
                s.as_of = None;
                s.start_load();
            }
            Action::SetRemember(on) => {
                if s.remember == on {
                    return self;
                }
                s.remember = on;
                s.remembered = (!on).then_some(0);
            }
            Action::Remembered(n) => s.remembered = Some(n),
            Action::ChooseRun(run) => {
                if run == s.as_of || s.files.is_empty() {
                    return self;
                }
                s.as_of = run;
                s.start_load();
            }
            Action::Clear => {
                s = State {
                    generation: s.generation + 1,
                    // A layout on its way is for nothing shown any more.
                    layout_token: s.layout_token + 1,
                    // Starting over forgets the files, not the user's choice to remember runs.
                    remember: s.remember,
                    remembered: s.remembered,
                    // Nor which loads were answered: an answer on its way stays stale.
                    newest: s.newest,
                    ..State::default()
                };
            }
            Action::Cancel => {
                s.progress = None;
                s.files = s.loaded_files.clone();
                s.pending_sample = s.sample;
                s.stop_enriching();
            }
            Action::Opening => {
                s.error = None;
                s.progress = Some(Progress {
                    text: "Opening the shared link".into(),
                    done: 0,
                    total: 1,
                });
            }
            Action::Progress(p) => {
                if s.progress.is_some() {
                    s.progress = Some(p);
                }
            }
            // A load's answers are taken while it is under way, each once: its cards (before
            // its whole view), then its whole view; an answer to an older load than the newest
            // answered, or to a load cancelled, cleared or failed meanwhile, is dropped.
            Action::Cards(loaded) => {
                if s.progress.is_none() || loaded.id <= s.newest {
                    return self;
                }
                s.show(*loaded);
                s.enriching = Some(s.view_id);
                // The graph waits for the lineage: nothing is laid out, and a layout on its way
                // is for nothing shown any more.
                s.shown = Shared::new(Vec::new());
                s.folded = Shared::new(Vec::new());
                s.expanded.clear();
                s.layout = None;
                s.first_layout = None;
                s.layout_token += 1;
            }
            Action::Loaded(loaded) => {
                let after_cards = s.enriching == Some(loaded.id);
                if s.progress.is_none() || (loaded.id <= s.newest && !after_cards) {
                    return self;
                }
                let first_layout = s.show(*loaded);
                s.progress = None;
                s.enriching = None;
                match first_layout {
                    Some(first) => {
                        s.expanded.clear();
                        s.folded = Shared::new(first.folded);
                        s.shown = Shared::new(first.shown);
                        s.layout = None;
                        s.layout_token += 1;
                        s.first_layout = Some((s.layout_token, Shared::new(first.layout)));
                    }
                    None => {
                        s.expanded.clear();
                        s.relayout();
                    }
                }
            }
            Action::MarkdownMade { id, text } => {
                // The Markdown of a view's cards is not its diagnosis': the page asks again.
                if id != s.view_id || s.enriching.is_some() {
                    return self;
                }
                s.markdown = Some(text);
            }
            // Answers about another view than the one shown are dropped.
            Action::ShareMade { id, link } => {
                if id != s.view_id {
                    return self;
                }
                s.share = Some(link);
            }
            Action::SkippedList { id, problem, nodes } => {
                if id != s.view_id {
                    return self;
                }
                if let Some(slot) = s.skipped_all.get_mut(problem) {
                    *slot = Some(nodes.map(Shared::new));
                }
            }
            Action::NodeDetail { id, index, node } => {
                if id != s.view_id || s.selected_node != Some(index) {
                    return self;
                }
                s.node_detail = Some(node.map(|n| Shared::new(*n)));
            }
            Action::WorkerRestarted => {
                if s.view.is_none() {
                    return self;
                }
                // Questions in flight will not be answered, and new ones would find nothing.
                if s.share.is_none() {
                    s.share = Some(Err("The link could not be made: this page's analysis was \
                                        restarted — add the files again"
                        .into()));
                }
                if s.markdown.is_none() {
                    s.markdown = Some(Err("The Markdown could not be made: this page's analysis \
                                           was restarted — add the files again"
                        .into()));
                }
                if s.selected_node.is_some() && s.node_detail.is_none() {
                    s.node_detail = Some(None);
                }
                s.stop_enriching();
                for slot in &mut s.skipped_all {
                    slot.get_or_insert(None);
                }
            }
            Action::Failed(text) => {
                // The files that made the worker fail are not read again with the next ones.
                if s.progress.is_some() {
                    s.files = s.loaded_files.clone();
                }
                s.progress = None;
                s.error = Some(text);
            }
            Action::SetScope(scope) => {
                s.scope = scope;
                s.relayout();
            }
            Action::Laid { token, layout } => {
                if token != s.layout_token {
                    return self;
                }
                s.layout = Some(Shared::new(layout));
                s.first_layout = None;
            }
            Action::SelectNode(n) => {
                if s.selected_node != n {
                    s.node_detail = None;
                }
                s.selected_node = n;
            }
            Action::SelectProblem(p) => {
                s.selected_problem = if s.selected_problem == p { None } else { p };
            }
            Action::Expand(n) => {
                if !s.expanded.contains(&n) {
                    s.expanded.push(n);
                    s.relayout();
                }
            }
            Action::Reveal(n) => {
                if s.selected_node != Some(n) {
                    s.node_detail = None;
                }
                s.selected_node = Some(n);
                if !s.shown.contains(&n) {
                    s.scope = Scope::Whole;
                    s.relayout();
                }
            }
        }
        Rc::new(s)
    }
}

impl State {
    /// Shows a load's answer (cards or whole view) in place of what was shown; returns its first
    /// layout, for the caller to take.
    fn show(&mut self, loaded: Loaded) -> Option<crate::protocol::FirstLayout> {
        let Loaded {
            id,
            view,
            read_errors,
            share,
            shared,
            first_layout,
            skipped_total,
            timeline,
            records,
        } = loaded;
        self.newest = id;
        self.timeline = Shared::new(timeline);
        self.records = Shared::new(records);
        self.view_id = id;
        self.skipped_all = vec![None; skipped_total.len()];
        self.skipped_total = skipped_total;
        self.view = Some(Shared::new(view));
        self.read_errors = read_errors;
        self.markdown = None;
        self.stopped = false;
        self.share = share;
        self.shared = shared;
        self.loaded_files = self.files.clone();
        self.sample = self.pending_sample;
        self.selected_node = None;
        self.node_detail = None;
        self.selected_problem = None;
        self.scope = Scope::FIRST;
        first_layout
    }

    /// The load whose cards are shown will not bring its whole view.
    fn stop_enriching(&mut self) {
        if self.enriching.take().is_some() {
            self.stopped = true;
        }
    }

    /// Chooses the nodes to show for the scope and asks for a new layout (the effect that talks
    /// to the worker watches `layout_token`).
    /// The files changed: the worker reads them again, and the page says it is starting.
    fn start_load(&mut self) {
        self.generation += 1;
        self.error = None;
        self.progress = Some(Progress {
            text: "Starting".into(),
            done: 0,
            total: 1,
        });
    }

    fn relayout(&mut self) {
        // The cards' view has no lineage yet: the graph waits for the whole view.
        if self.enriching.is_some() {
            return;
        }
        let Some(v) = &self.view else {
            return;
        };
        let focus = match self.scope {
            Scope::Whole => view::Focus {
                shown: (0..v.nodes.len() as u32).collect(),
                folded: Vec::new(),
            },
            Scope::Focus { up, down } => view::focus(v, up, down, &self.expanded),
        };
        self.shown = Shared::new(focus.shown);
        self.folded = Shared::new(focus.folded);
        self.layout = None;
        self.layout_token += 1;
    }
}

#[cfg(test)]
mod tests {
    //! The reducer's rules for a load's answers: its cards, then its whole view, each taken
    //! once, and never an answer to a load cancelled, cleared, replaced or older than the newest.

    use super::*;

    fn answer(id: u32) -> Box<Loaded> {
        Box::new(Loaded {
            id,
            view: ProjectView::default(),
            read_errors: Vec::new(),
            share: None,
            shared: None,
            first_layout: None,
            skipped_total: Vec::new(),
            timeline: Vec::new(),
            records: Vec::new(),
        })
    }

    fn run(s: Rc<State>, actions: Vec<Action>) -> Rc<State> {
        actions.into_iter().fold(s, |s, a| s.reduce(a))
    }

    /// A page with a load under way (as a share link's opening starts one).
    fn loading() -> Rc<State> {
        Rc::new(State::default()).reduce(Action::Opening)
    }

    #[track_caller]
    fn dropped(s: &Rc<State>, a: Action) {
        let after = s.clone().reduce(a);
        assert!(Rc::ptr_eq(s, &after), "the answer was taken");
    }

    #[test]
    fn cards_then_the_whole_view() {
        let s = run(loading(), vec![Action::Cards(answer(1))]);
        assert_eq!((s.view_id, s.enriching, s.stopped), (1, Some(1), false));
        assert!(s.view.is_some() && s.progress.is_some(), "the load goes on");
        assert!(
            s.shown.is_empty() && s.layout.is_none(),
            "no graph without lineage"
        );
        let s = s.reduce(Action::Loaded(answer(1)));
        assert_eq!((s.view_id, s.enriching), (1, None));
        assert!(s.progress.is_none());
        // Cards (or the view again) after the whole view are stale.
        dropped(&s, Action::Cards(answer(1)));
        dropped(&s, Action::Loaded(answer(1)));
    }

    #[test]
    fn a_whole_view_alone_is_taken() {
        let s = run(loading(), vec![Action::Loaded(answer(3))]);
        assert_eq!((s.view_id, s.enriching, s.newest), (3, None, 3));
    }

    #[test]
    fn answers_to_an_older_load_are_dropped() {
        let s = run(
            loading(),
            vec![
                Action::Loaded(answer(1)),
                Action::Opening,
                Action::Cards(answer(2)),
            ],
        );
        assert_eq!(s.enriching, Some(2));
        dropped(&s, Action::Cards(answer(1)));
        dropped(&s, Action::Loaded(answer(1)));
        let s = s.reduce(Action::Loaded(answer(2)));
        assert_eq!((s.view_id, s.enriching), (2, None));
    }

    #[test]
    fn a_cancelled_load_brings_nothing_more() {
        let s = run(loading(), vec![Action::Cards(answer(1)), Action::Cancel]);
        assert_eq!((s.enriching, s.stopped), (None, true));
        assert!(s.view.is_some(), "the cards stay");
        dropped(&s, Action::Loaded(answer(1)));
        dropped(&s, Action::Cards(answer(1)));
        // A cancel before any answer: the answers are dropped too.
        let s = run(loading(), vec![Action::Cancel]);
        dropped(&s, Action::Cards(answer(1)));
        dropped(&s, Action::Loaded(answer(1)));
    }

    #[test]
    fn a_cleared_page_drops_the_answers_on_their_way() {
        let s = run(
            loading(),
            vec![Action::Cards(answer(1)), Action::Clear, Action::Opening],
        );
        assert!(s.view.is_none() && s.enriching.is_none());
        dropped(&s, Action::Loaded(answer(1)));
        let s = s.reduce(Action::Loaded(answer(2)));
        assert_eq!(s.view_id, 2);
    }

    #[test]
    fn a_restarted_worker_stops_the_cards_view() {
        let s = run(
            loading(),
            vec![Action::Cards(answer(1)), Action::WorkerRestarted],
        );
        assert_eq!((s.enriching, s.stopped), (None, true));
        assert!(matches!(s.markdown, Some(Err(_))));
    }

    #[test]
    fn the_markdown_is_the_whole_views() {
        let s = run(loading(), vec![Action::Cards(answer(1))]);
        let made = |id| Action::MarkdownMade {
            id,
            text: Ok("# md".into()),
        };
        dropped(&s, made(1));
        let s = s.reduce(Action::Loaded(answer(1)));
        dropped(&s, made(2));
        let s = s.reduce(made(1));
        assert_eq!(s.markdown, Some(Ok("# md".into())));
        // A new answer forgets it.
        let s = run(s, vec![Action::Opening, Action::Cards(answer(2))]);
        assert_eq!(s.markdown, None);
    }
}
