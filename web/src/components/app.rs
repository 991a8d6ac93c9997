//! The page: loading, then the diagnosis (summary, share and export, one card per problem,
//! warnings), then the lineage graph with the selected node's details. Owns the one reducer and
//! the worker bridge; the page-wide drop lands here, and a share link in the URL is opened here.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use dbt_triage::diagnose::Status;
use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::bridge::Bridge;
use crate::components::at_risk::AtRisk;
use crate::components::exports::ExportButtons;
use crate::components::inputs::Inputs;
use crate::components::lineage_graph::LineageGraph;
use crate::components::loader::{dropped, walk, Dropped, Loader};
use crate::components::node_panel::NodePanel;
use crate::components::problem_card::ProblemCard;
use crate::components::remember_switch::RememberSwitch;
use crate::components::shared_banner::SharedBanner;
use crate::components::timeline::Timeline;
use crate::page;
use crate::protocol::Request;
use crate::remember;
use crate::shared::Shared;
use crate::state::{Action, Picked, Scope, State};
use dbt_triage::view;

#[function_component]
pub fn App() -> Html {
    let state = use_reducer(State::default);
    let dragging = use_state(|| false);
    let bridge = {
        let dispatcher = state.dispatcher();
        use_memo((), move |_| {
            Bridge::new(Rc::new(move |a: Action| dispatcher.dispatch(a)))
        })
    };

    // Send the files to the worker whenever they change.
    {
        let bridge = bridge.clone();
        let files = state.files.clone();
        let as_of = state.as_of.clone();
        let remember = state.remember;
        use_effect_with(state.generation, move |_| {
            if !files.is_empty() {
                page::forget_fragment();
            }
            if remember && !files.is_empty() {
                // The runs remembered from earlier visits go with the files, for their history.
                wasm_bindgen_futures::spawn_local(async move {
                    let remembered = remember::load().await;
                    bridge.load(&files, &page::base(), as_of.as_deref(), remembered);
                });
            } else {
                bridge.load(&files, &page::base(), as_of.as_deref(), Vec::new());
            }
        });
    }
    // Remembering: whether it is on (from an earlier visit), how many runs it holds; and the
    // runs of each view shown, kept while it is on.
    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            if remember::enabled() {
                dispatcher.dispatch(Action::SetRemember(true));
                wasm_bindgen_futures::spawn_local(async move {
                    let n = remember::load().await.len();
                    dispatcher.dispatch(Action::Remembered(n));
                });
            }
        });
    }
    {
        let dispatcher = state.dispatcher();
        let records = state.records.clone();
        use_effect_with((state.view_id, state.remember), move |(_, on)| {
            if *on && !records.is_empty() {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(n) = remember::save(&records).await {
                        dispatcher.dispatch(Action::Remembered(n));
                    }
                });
            }
        });
    }
    // Open a share link: the one the page was opened with, and any pasted into the address bar
    // later (only the fragment changes then, so the page is not reloaded).
    {
        let bridge = bridge.clone();
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            let open = move || {
                if let Some(fragment) = page::shared_fragment() {
                    dispatcher.dispatch(Action::Opening);
                    bridge.open(&page::base(), &fragment);
                }
            };
            open();
            let listener =
                web_sys::window().map(|w| EventListener::new(&w, "hashchange", move |_| open()));
            move || drop(listener)
        });
    }
    // Ask for a layout whenever the shown nodes change.
    {
        let bridge = bridge.clone();
        let view = state.view.clone();
        let shown = state.shown.clone();
        let first = state.first_layout.clone();
        let dispatcher = state.dispatcher();
        // The cards' view has no lineage to lay out: the graph waits for the whole view.
        let enriching = state.enriching.is_some();
        use_effect_with(state.layout_token, move |token| {
            let laid = if let Some((_, layout)) = first.filter(|(t, _)| t == token) {
                // Sent with the view: taken in a task of its own, so that drawing the diagnosis
                // and drawing the graph are two short tasks rather than one long one. (A layout
                // asked for meanwhile cancels it: the page would drop it, under an older token.)
                let token = *token;
                Some(Timeout::new(0, move || {
                    dispatcher.dispatch(Action::Laid {
                        token,
                        layout: (*layout).clone(),
                    })
                }))
            } else {
                if let Some(v) = view.filter(|_| !enriching) {
                    bridge.request(&Request::Layout {
                        token: *token,
                        nodes: shown.to_vec(),
                        edges: view::edges_among(&v, &shown),
                    });
                }
                None
            };
            move || drop(laid)
        });
    }
    // Ask for the share link once the graph is drawn, and a moment later: on two cores the
    // worker making the link slows the page's first drawing down. The moment is counted from
    // the last change: a change meanwhile cancels the timer and starts its own.
    {
        let bridge = bridge.clone();
        use_effect_with(
            (
                state.layout.is_some(),
                state.view.is_some(),
                state.view_id,
                state.enriching.is_some(),
            ),
            move |(laid, viewed, _, _)| {
                let ask = (*laid || *viewed).then(|| {
                    let delay = if *laid { 300 } else { 1_000 };
                    Timeout::new(delay, move || bridge.ask_share())
                });
                move || drop(ask)
            },
        );
    }

    // Ask the worker for the selected node's details.
    {
        let bridge = bridge.clone();
        let id = state.view_id;
        use_effect_with((state.selected_node, state.view.clone()), move |(n, _)| {
            if let Some(index) = *n {
                bridge.request(&Request::Node { id, index });
            }
        });
    }

    let on_files = {
        let dispatcher = state.dispatcher();
        Callback::from(move |files: Vec<Picked>| dispatcher.dispatch(Action::Add(files)))
    };
    let on_sample = {
        let dispatcher = state.dispatcher();
        Callback::from(move |files: Vec<Picked>| dispatcher.dispatch(Action::Sample(files)))
    };
    let on_cancel = {
        let dispatcher = state.dispatcher();
        let bridge = bridge.clone();
        Callback::from(move |_| {
            bridge.cancel();
            dispatcher.dispatch(Action::Cancel);
        })
    };
    let on_clear = {
        let dispatcher = state.dispatcher();
        let bridge = bridge.clone();
        Callback::from(move |_| {
            page::forget_fragment();
            bridge.forget();
            dispatcher.dispatch(Action::Clear)
        })
    };
    let on_error = {
        let dispatcher = state.dispatcher();
        Callback::from(move |e: String| dispatcher.dispatch(Action::Failed(e)))
    };
    let on_drag_over = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if !*dragging {
                dragging.set(true);
            }
        })
    };
    let on_drag_leave = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            // Only when leaving the window, not when moving between children.
            if e.related_target().is_none() {
                dragging.set(false);
            }
        })
    };
    let on_drop = {
        let dragging = dragging.clone();
        let on_files = on_files.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            match dropped(&e) {
                Dropped::Files(files) => on_files.emit(files),
                Dropped::Entries(entries) => {
                    let on_files = on_files.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        on_files.emit(walk(entries).await);
                    });
                }
            }
        })
    };

    let index: Shared<HashMap<String, u32>> = {
        let view = state.view.clone();
        let memo = use_memo(view, |view| {
            view.as_ref()
                .map(|v| {
                    v.nodes
                        .iter()
                        .enumerate()
                        .map(|(i, n)| (n.id.clone(), i as u32))
                        .collect()
                })
                .unwrap_or_default()
        });
        Shared(memo)
    };
    let highlight: Option<Shared<HashSet<u32>>> = {
        let view = state.view.clone();
        let selected = state.selected_problem;
        let memo = use_memo((view, selected), |(view, selected)| {
            let v = view.as_ref()?;
            let p = v.problems.get((*selected)?)?;
            Some(p.nodes.iter().copied().collect::<HashSet<u32>>())
        });
        (*memo).clone().map(Shared::new)
    };

    let on_all_skipped = {
        let bridge = bridge.clone();
        let id = state.view_id;
        Callback::from(move |problem: usize| {
            bridge.request(&Request::Skipped {
                id,
                problem: problem as u32,
            })
        })
    };
    let on_markdown = {
        let bridge = bridge.clone();
        let id = state.view_id;
        Callback::from(move |()| bridge.request(&Request::Markdown { id }))
    };
    let on_select_problem = {
        let dispatcher = state.dispatcher();
        let selected = state.selected_problem;
        Callback::from(move |i: usize| {
            dispatcher.dispatch(Action::SelectProblem(Some(i)));
            // Marking a problem brings the graph into view (unmarking leaves the page where it is).
            if selected != Some(i) {
                if let Some(graph) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.query_selector(".explore").ok().flatten())
                {
                    graph.scroll_into_view_with_bool(true);
                }
            }
        })
    };
    let on_reveal = {
        let dispatcher = state.dispatcher();
        Callback::from(move |n: u32| dispatcher.dispatch(Action::Reveal(n)))
    };
    let on_select_node = {
        let dispatcher = state.dispatcher();
        Callback::from(move |n: Option<u32>| dispatcher.dispatch(Action::SelectNode(n)))
    };
    let on_scope = {
        let dispatcher = state.dispatcher();
        Callback::from(move |s: Scope| dispatcher.dispatch(Action::SetScope(s)))
    };
    let on_close_panel = on_select_node.reform(|_: ()| None);
    let on_expand = {
        let dispatcher = state.dispatcher();
        Callback::from(move |n: u32| dispatcher.dispatch(Action::Expand(n)))
    };

    html! {
        <div class={classes!("page", dragging.then_some("dragging"))}
             ondragover={on_drag_over} ondragenter={Callback::from(|e: DragEvent| e.prevent_default())}
             ondragleave={on_drag_leave} ondrop={on_drop}>
            <header class="top">
                <h1>{ "dbt-triage" }</h1>
                <p class="tagline">
                    { "Why did our dbt run fail, and what does it break? Everything runs in this page: your files never leave your computer." }
                </p>
            </header>
            <main>
                <Loader progress={state.progress.clone()} has_files={!state.files.is_empty() || state.view.is_some()}
                        {on_files} {on_sample} {on_cancel} {on_clear} {on_error} />
                <RememberSwitch on={state.remember} count={state.remembered} records={state.records.clone()}
                                dispatch={{
                                    let dispatcher = state.dispatcher();
                                    Callback::from(move |a: Action| dispatcher.dispatch(a))
                                }} />
                if let Some(e) = &state.error {
                    <p class="error" role="alert">{ e }</p>
                }
                if let Some(v) = &state.view {
                    if let Some(shared) = &state.shared {
                        <SharedBanner omitted={shared.omitted.clone()}
                                      generated_at={v.diagnosis.as_ref().and_then(|d| d.invocation.generated_at.clone()).map(AttrValue::from)} />
                    } else {
                        if let Some(replaced) = state.sample {
                            <p id="sample-banner" class="sample-banner" role="status">
                                <strong>{ "This is the bundled sample" }</strong>
                                { " — a real failed dbt build of a demo project, not your run. " }
                                if replaced > 0 {
                                    { format!("It replaced the {} you had loaded. ", if replaced == 1 { "file".to_string() } else { format!("{replaced} files") }) }
                                }
                                { "Drop or choose your own files to replace it." }
                            </p>
                        }
                        <Inputs view={v.clone()} read_errors={state.read_errors.clone()} />
                    }
                    if let Some(d) = &v.diagnosis {
                        <section class="diagnosis" aria-label="Diagnosis">
                            <p id="summary" class={classes!("summary", match d.status {
                                Status::Success if !d.warned.is_empty() || d.exposures.iter().any(|e| e.at_risk) => "warned",
                                Status::Success => "ok",
                                Status::Failed => "failed",
                                Status::NoResults => "no-results",
                            })}>{ &v.summary }</p>
                            if let Some(inv) = Some(&d.invocation).filter(|i| i.command.is_some() || i.dbt_version.is_some()) {
                                <p class="invocation muted">
                                    { [
                                        inv.command.as_ref().map(|c| format!("dbt {c}")),
                                        inv.dbt_version.as_ref().map(|v| format!("dbt {v}")),
                                        inv.adapter.as_ref().map(|a| a.display_name().to_string()),
                                        inv.generated_at.clone(),
                                    ].into_iter().flatten().collect::<Vec<_>>().join(" · ") }
                                </p>
                            }
                            <Timeline runs={state.timeline.clone()} current={d.invocation.invocation_id.clone()}
                                      on_choose={{
                                          let dispatcher = state.dispatcher();
                                          Callback::from(move |run| dispatcher.dispatch(Action::ChooseRun(run)))
                                      }} />
                            <ExportButtons view_id={state.view_id} enriching={state.enriching.is_some()}
                                           markdown={state.markdown.clone()} {on_markdown} share={state.share.clone()} />
                            if state.enriching.is_some() {
                                <p id="reading-manifest" class="enriching" role="status">
                                    { "Reading the manifest… the lineage, the skipped nodes and the reports this breaks follow." }
                                </p>
                            }
                            if state.stopped {
                                <p id="manifest-stopped" class="enriching stopped" role="status">
                                    { "Stopped before the manifest was read: no lineage, skipped nodes or reports are shown — add the files again to see them." }
                                </p>
                            }
                            if !d.warnings.is_empty() {
                                <ul class="warnings">
                                    { for d.warnings.iter().map(|w| html! {
                                        <li class={format!("warning w-{}", w.code)}><strong>{ w.code.replace('_', " ") }</strong>{ ": " }{ &w.message }</li>
                                    }) }
                                </ul>
                            }
                            { for (0..d.problems.len()).map(|i| html! {
                                <ProblemCard key={format!("{}-{i}", state.view_id)}
                                             view={v.clone()} index={index.clone()} at={i}
                                             skipped_total={state.skipped_total.get(i).copied()}
                                             skipped_all={state.skipped_all.get(i).cloned().flatten()}
                                             on_all_skipped={on_all_skipped.clone()}
                                             selected={state.selected_problem == Some(i)}
                                             on_select={on_select_problem.clone()} on_node={on_reveal.clone()} />
                            }) }
                            <AtRisk view={v.clone()} index={index.clone()} on_node={on_reveal.clone()} />
                        </section>
                    }
                    if state.enriching.is_some() {
                        <div id="graph-pending" class="explore pending" role="status">
                            <p>{ "Reading the manifest… the lineage graph follows." }</p>
                        </div>
                    } else if !v.nodes.is_empty() && !state.stopped {
                        <div class="explore">
                            <LineageGraph view={v.clone()} shown={state.shown.clone()} layout={state.layout.clone()}
                                          scope={state.scope} selected={state.selected_node} highlight={highlight}
                                          on_select={on_select_node} on_scope={on_scope} on_reveal={on_reveal.clone()}
                                          folded={state.folded.clone()} on_expand={on_expand} />
                            if let Some(n) = state.selected_node {
                                <NodePanel view={v.clone()} node={n} detail={state.node_detail.clone()} on_close={on_close_panel}
                                           index={index.clone()} on_node={on_reveal.clone()} />
                            }
                        </div>
                    }
                }
            </main>
            if *dragging {
                <div class="drop-overlay" aria-hidden="true"><p>{ "Drop the files or the target/ folder" }</p></div>
            }
        </div>
    }
}
