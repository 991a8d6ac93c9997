//! One problem of the diagnosis: category, the cause with its evidence marked, the message
//! verbatim, the compiled SQL with the line the warehouse complains about, the fix with copy
//! buttons, the roots, the skipped nodes it caused and the exposures it breaks (Power BI marked;
//! semantic models found in Power BI files marked as matched by source).

use std::collections::HashMap;

use dbt_triage::diagnose::{Exposure, Problem};
use dbt_triage::view::ProjectView;
use yew::prelude::*;

use crate::components::copy_button::CopyButton;
use crate::components::highlight::Highlight;
use crate::protocol::SKIPPED_HANDED;
use crate::shared::Shared;

#[derive(Properties, PartialEq)]
pub struct ProblemCardProps {
    pub view: Shared<ProjectView>,
    pub index: Shared<HashMap<String, u32>>,
    /// Position in the diagnosis' problems.
    pub at: usize,
    pub selected: bool,
    pub on_select: Callback<usize>,
    pub on_node: Callback<u32>,
    /// How many nodes the problem skipped, when the view names only the first ones.
    #[prop_or_default]
    pub skipped_total: Option<usize>,
    /// All of them, once asked for with `on_all_skipped` (`Some(None)`: the worker no longer has
    /// them).
    #[prop_or_default]
    pub skipped_all: Option<Option<Shared<Vec<String>>>>,
    pub on_all_skipped: Callback<usize>,
}

#[function_component]
pub fn ProblemCard(props: &ProblemCardProps) -> Html {
    // The skipped list is built only once opened, and then its first part: a hub failure in a big
    // project skips tens of thousands of nodes, and their links would be most of the page's DOM
    // (and of the time to show the diagnosis) while the list is still closed.
    let skipped_open = use_state(|| false);
    let skipped_limit = use_state(|| SKIPPED_HANDED);
    let on_skipped_toggle = {
        let skipped_open = skipped_open.clone();
        Callback::from(move |e: Event| {
            if let Some(d) = e.target_dyn_into::<web_sys::HtmlDetailsElement>() {
                skipped_open.set(d.open());
            }
        })
    };
    let on_show_all = {
        let skipped_limit = skipped_limit.clone();
        let ask = props.on_all_skipped.clone();
        // Only a view that names fewer than it skipped has more to ask for (a shared link's
        // view has what the link holds).
        let ask_for_more = props.skipped_total.is_some() && props.skipped_all.is_none();
        let at = props.at;
        Callback::from(move |_: MouseEvent| {
            if ask_for_more {
                ask.emit(at);
            }
            skipped_limit.set(usize::MAX)
        })
    };
    let Some(d) = &props.view.diagnosis else {
        return html! {};
    };
    let Some(p) = d.problems.get(props.at) else {
        return html! {};
    };
    let extra = props.view.problems.get(props.at);
    // The view names a problem's first skipped nodes; all of them come from the worker on demand.
    let skipped: &[String] = match &props.skipped_all {
        Some(Some(all)) => all,
        _ => &p.skipped,
    };
    let rest_lost = matches!(props.skipped_all, Some(None));
    let skipped_count = props
        .skipped_total
        .unwrap_or(p.skipped.len())
        .max(skipped.len());
    let marks = evidence_marks(p);
    let at = props.at;
    let on_select = props.on_select.reform(move |_: MouseEvent| at);
    let node_link = |id: &String| node_link(id, &props.index, &props.on_node);
    let exposures: Vec<&Exposure> = p
        .affected_exposures
        .iter()
        .filter_map(|id| d.exposures.iter().find(|e| &e.id == id))
        .collect();
    // A stale source breaks nothing, but what reads it shows old data.
    let stale_exposures: Vec<&Exposure> = d
        .exposures
        .iter()
        .filter(|e| e.stale_because.iter().any(|s| p.roots.contains(s)))
        .collect();
    // A run that stopped before building anything rebuilt none of its exposures.
    let not_rebuilt: Vec<&Exposure> = d
        .exposures
        .iter()
        .filter(|e| e.stale_because.iter().any(|s| s == "not_run"))
        .collect();
    let stale_nodes: Vec<String> = d
        .stale
        .iter()
        .filter(|s| s.stale_because.iter().any(|b| p.roots.contains(b)))
        .map(|s| s.node.clone())
        .collect();
    let roots_label = match (p.category == dbt_triage::Category::Freshness, p.roots.len()) {
        (true, _) => "Stale: ",
        (false, 1) => "Failed: ",
        (false, _) => "Failed (roots): ",
    };
    html! {
        <article class={classes!("problem", format!("problem-{}", p.category.as_str()), props.selected.then_some("selected"))}
                 aria-labelledby={format!("problem-{}-title", p.id)}>
            <header class="problem-head">
                <span class={classes!("category", format!("cat-{}", p.category.as_str()))}>
                    { p.category.label() }
                </span>
                <h3 id={format!("problem-{}-title", p.id)} class="problem-title">
                    <Highlight text={p.title.clone()} marks={marks.clone()} />
                </h3>
                if let Some(h) = &p.history {
                    <span class={classes!("history", format!("h-{}", h.state.as_str()))}
                          title={dbt_triage::report::history_text(h)}>{ h.state.as_str() }</span>
                }
                // A log-only run has no graph to show it in.
                if !props.view.nodes.is_empty() {
                <button class="button small show-in-graph" aria-pressed={props.selected.to_string()} onclick={on_select}>
                    { if props.selected { "Unmark in graph" } else { "Show in graph" } }
                </button>
                }
            </header>
            if let Some(h) = &p.history {
                <p class="history-text muted">{ dbt_triage::report::history_text(h) }</p>
            }
            if !p.evidence.is_empty() {
                <dl class="evidence">
                    { for p.evidence.pairs().into_iter().map(|(k, v)| html! {
                        <><dt>{ k }</dt><dd><code>{ v }</code></dd></>
                    }) }
                </dl>
            }
            // A failure before any node (a profile, a password) has no roots to name.
            if !p.roots.is_empty() {
                <div class="roots">
                    <span class="label">{ roots_label }</span>
                    { for p.roots.iter().map(|r| html! { <span class="root">{ node_link(r) }</span> }) }
                </div>
            }
            <details class="message" open=true>
                <summary>{ if p.category == dbt_triage::Category::Freshness { "What dbt found (sources.json)" } else { "What dbt said" } }{ p.error_type.as_ref().map(|t| format!(" ({t})")).unwrap_or_default() }</summary>
                <pre class="message-text"><Highlight text={p.message.clone()} marks={marks.clone()} /></pre>
            </details>
            if let Some(sql) = extra.and_then(|e| e.sql.as_ref()) {
                <details class="sql" open={sql.line.is_some()}>
                    <summary>
                        { format!("Compiled SQL of {}", dbt_triage::report::short(&sql.node)) }
                        if let Some(l) = sql.line { { format!(" — line {l} highlighted") } }
                    </summary>
                    <div class="code-actions"><CopyButton text={sql.code.clone()} label="Copy SQL" /></div>
                    <pre class="code"><code>
                        { for sql.code.lines().enumerate().map(|(i, line)| {
                            let hit = sql.line == Some(i as u32 + 1);
                            html! {
                                <span class={classes!("code-line", hit.then_some("hit"))}>
                                    <span class="ln" aria-hidden="true">{ i + 1 }</span>
                                    // On the line the warehouse names, the token the diagnosis took
                                    // from its message (the column, the function) is marked too.
                                    if hit {
                                        <Highlight text={line.to_string()} marks={marks.clone()} />
                                    } else {
                                        { line }
                                    }
                                    { "\n" }
                                </span>
                            }
                        }) }
                    </code></pre>
                </details>
            }
            if let Some(log) = &p.log_excerpt {
                <details class="log">
                    <summary>{ log_summary(log) }</summary>
                    <pre class="code"><code>
                        // The log's own lines, as text (never as HTML), the error's first line marked.
                        { for log.lines.iter().enumerate().map(|(i, line)| html! {
                            <span class={classes!("code-line", (i == log.at).then_some("hit"))}>
                                <span class="ln" aria-hidden="true">{ line.number }</span>
                                { &line.text }{ "\n" }
                            </span>
                        }) }
                    </code></pre>
                </details>
            }
            <section class="fix" aria-label="How to fix it">
                <h4>{ "Fix" }</h4>
                <ol>
                    { for p.fix.iter().map(|f| html! {
                        <li>
                            <span>{ with_code_spans(&f.say) }</span>
                            if let Some(run) = &f.run {
                                <div class="command"><code>{ run }</code><CopyButton text={run.clone()} /></div>
                            }
                        </li>
                    }) }
                </ol>
                <div class="rerun">
                    <span class="label">{ "Then rerun: " }</span>
                    <div class="command"><code>{ &p.rerun }</code><CopyButton text={p.rerun.clone()} /></div>
                </div>
            </section>
            if !p.skipped.is_empty() {
                <details class="skipped" ontoggle={on_skipped_toggle}>
                    <summary>
                        { match extra.and_then(|e| e.skipped_total) {
                            Some(total) => format!("{total} skipped because of this ({} named in the link)", p.skipped.len()),
                            None => format!("{skipped_count} skipped because of this"),
                        } }
                    </summary>
                    if *skipped_open {
                        <ul class="node-list">
                            { for skipped.iter().take(*skipped_limit).map(|s| html! { <li>{ node_link(s) }</li> }) }
                        </ul>
                        if skipped_count > (*skipped_limit).min(skipped.len()) {
                            if rest_lost {
                                <p class="muted" role="status">{ "The rest of the list is no longer at hand — add the files again to see it." }</p>
                            } else if *skipped_limit == usize::MAX {
                                <p class="muted" role="status">{ "Getting the whole list…" }</p>
                            } else {
                                <button class="button small show-all" onclick={on_show_all}>
                                    { format!("Show all {skipped_count}") }
                                </button>
                            }
                        }
                    }
                </details>
            }
            if !exposures.is_empty() {
                { exposure_list("Breaks: ", &exposures, &props.index, &props.on_node) }
            }
            if !stale_exposures.is_empty() {
                { exposure_list("Stale: ", &stale_exposures, &props.index, &props.on_node) }
            }
            if !not_rebuilt.is_empty() {
                { exposure_list("Not rebuilt (stale): ", &not_rebuilt, &props.index, &props.on_node) }
            }
            if !stale_nodes.is_empty() {
                <details class="stale-nodes">
                    <summary>{ format!("{} built from stale data", stale_nodes.len()) }</summary>
                    <ul class="node-list">
                        { for stale_nodes.iter().map(|s| html! { <li>{ node_link(s) }</li> }) }
                    </ul>
                </details>
            }
            if !p.notify.is_empty() {
                <div class="notify">
                    <span class="label">{ "Notify: " }</span>
                    <ul class="owner-list">
                        { for p.notify.iter().map(|o| html! {
                            <li class="owner">
                                { &o.name }
                                if let Some(email) = o.email.as_deref().filter(|e| e.contains('@') && *e != o.name) {
                                    { " " }<a href={format!("mailto:{email}")}>{ email }</a>
                                }
                            </li>
                        }) }
                    </ul>
                    <CopyButton text={p.notify.iter().map(|o| o.display()).collect::<Vec<_>>().join(", ")} label="Copy" />
                </div>
            }
        </article>
    }
}

/// Exposures under a label (`Breaks: `, `Stale: `): Power BI marked, links where they live,
/// semantic models found in Power BI files marked as matched by source.
pub fn exposure_list(
    label: &'static str,
    exposures: &[&Exposure],
    index: &HashMap<String, u32>,
    on_node: &Callback<u32>,
) -> Html {
    html! {
        <div class="exposures">
            <span class="label">{ label }</span>
            <ul class="exposure-list">
                { for exposures.iter().map(|e| {
                    let pbi = e.tool == "powerbi";
                    // Read from Power BI files and tied by its tables' sources, not declared.
                    let matched = e.kind == "semantic_model";
                    html! {
                        <li class={classes!("exposure", pbi.then_some("powerbi"), matched.then_some("matched"))}
                            data-id={e.id.clone()}>
                            if pbi { <span class="pbi-mark" title="Power BI">{ "Power BI" }</span> }
                            { match (e.url.as_deref().filter(|u| is_web_url(u)), index.get(&e.id)) {
                                (Some(url), _) => html! {
                                    <a href={url.to_string()} target="_blank" rel="noopener noreferrer">{ &e.label }</a>
                                },
                                (None, Some(&i)) if matched => {
                                    let on_node = on_node.reform(move |_: MouseEvent| i);
                                    html! { <button class="link node-link" onclick={on_node} title={e.id.clone()}>{ &e.label }</button> }
                                }
                                (None, _) => html! { <span>{ &e.label }</span> },
                            } }
                            if matched {
                                <span class="matched-mark" title={matched_title(e)}>{ "semantic model · matched by source" }</span>
                            }
                            if e.kind == "report" {
                                <span class="exposure-type">{ "report" }</span>
                            }
                            if !pbi {
                                <span class="exposure-type">{ exposure_kind(e) }</span>
                            }
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}

/// Our own sentences put names in backticks: show those as code (as text, never as markup). An
/// odd number of backticks is no pairing to trust, and the sentence is shown as it is.
fn with_code_spans(say: &str) -> Html {
    match dbt_triage::report::code_spans(say) {
        Some(pieces) => html! {
            { for pieces.into_iter().map(|(piece, code)| if code {
                html! { <code>{ piece }</code> }
            } else {
                html! { { piece } }
            }) }
        },
        None => html! { { say } },
    }
}

/// A node by its short name: a button that selects it in the graph when the view has it, else
/// plain text; its id on hover.
pub fn node_link(id: &str, index: &HashMap<String, u32>, on_node: &Callback<u32>) -> Html {
    let name = dbt_triage::report::short(id).to_string();
    match index.get(id) {
        Some(&i) => {
            let on_node = on_node.reform(move |_: MouseEvent| i);
            html! { <button class="link node-link" onclick={on_node} title={id.to_string()}>{ name }</button> }
        }
        None => html! { <span title={id.to_string()}>{ name }</span> },
    }
}

/// What a declared exposure is: its tool and type (`Tableau · dashboard`), or its type alone.
fn exposure_kind(e: &Exposure) -> String {
    let tool = dbt_triage::report::text::tool_name(&e.tool);
    match (e.tool.as_str(), e.exposure_type.as_deref()) {
        ("other", Some(t)) => t.to_string(),
        ("other", None) => "exposure".to_string(),
        (_, Some(t)) => format!("{tool} · {t}"),
        (_, None) => tool.to_string(),
    }
}

/// Why a semantic model is listed: which of its tables read which dbt node's relation.
fn matched_title(e: &Exposure) -> String {
    let mut t = String::from("Found in the Power BI files, not declared as a dbt exposure:");
    for m in &e.matched_by {
        t.push_str(&format!("\n{}", m.describe()));
    }
    t
}

/// Only http(s) links are made clickable: a `javascript:` URL in an artifact stays text.
pub fn is_web_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

fn evidence_marks(p: &Problem) -> Vec<String> {
    let e = &p.evidence;
    [
        &e.column,
        &e.object,
        &e.function,
        &e.relation,
        &e.privilege,
        &e.env_var,
        &e.profile,
    ]
    .into_iter()
    .flatten()
    .cloned()
    .collect()
}

/// "The log around the error (lines 166–220)" (of the node's own thread, when dbt's debug log
/// tags threads).
fn log_summary(log: &dbt_triage::artifacts::log::LogExcerpt) -> String {
    match (log.lines.first(), log.lines.last()) {
        (Some(a), Some(b)) => format!("The log around the error (lines {}–{})", a.number, b.number),
        _ => "The log around the error".to_string(),
    }
}
