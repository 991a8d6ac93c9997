//! The details of the node selected in the graph: type, materialization, path, status, timing,
//! message and where its compiled SQL is; for a Power BI semantic model matched by source, which
//! table reads which relation of which dbt node.

use dbt_triage::view::{ProjectView, ViewNode};
use yew::prelude::*;

use crate::components::problem_card::{is_web_url, node_link};
use crate::shared::Shared;

#[derive(Properties, PartialEq)]
pub struct NodePanelProps {
    pub view: Shared<ProjectView>,
    pub node: u32,
    /// Its details, asked of the worker when it was selected: `None` while they are on their way
    /// (the panel is `aria-busy` then), `Some(None)` when the worker has none.
    pub detail: Option<Option<Shared<ViewNode>>>,
    pub on_close: Callback<()>,
    /// Node ids → positions in the view, and what selects one (parents, children, the root).
    pub index: Shared<std::collections::HashMap<String, u32>>,
    pub on_node: Callback<u32>,
}

/// How many parents or children the panel names before it counts the rest.
const NEIGHBOURS_SHOWN: usize = 12;

#[function_component]
pub fn NodePanel(props: &NodePanelProps) -> Html {
    let Some(outline) = props.view.nodes.get(props.node as usize) else {
        return html! {};
    };
    let (n, busy, lost): (&ViewNode, bool, bool) = match &props.detail {
        Some(Some(d)) if d.id == outline.id => (d, false, false),
        Some(None) => (outline, false, true),
        _ => (outline, true, false),
    };
    let close = props.on_close.reform(|_: MouseEvent| ());
    let v = &props.view;
    let link = |id: &str| node_link(id, &props.index, &props.on_node);
    let neighbours = |ids: Vec<&str>| -> Html {
        let more = ids.len().saturating_sub(NEIGHBOURS_SHOWN);
        html! {
            <>
                { for ids.iter().take(NEIGHBOURS_SHOWN).map(|id| html! { <span class="neighbour">{ link(id) }</span> }) }
                if more > 0 { <span class="muted">{ format!("and {more} more") }</span> }
            </>
        }
    };
    let at = props.node;
    let parents: Vec<&str> = v
        .edges
        .iter()
        .filter(|(_, c)| *c == at)
        .filter_map(|(p, _)| v.nodes.get(*p as usize).map(|n| n.id.as_str()))
        .collect();
    let children: Vec<&str> = v
        .edges
        .iter()
        .filter(|(p, _)| *p == at)
        .filter_map(|(_, c)| v.nodes.get(*c as usize).map(|n| n.id.as_str()))
        .collect();
    // Why it was skipped: the failed roots it descends from.
    let caused_by: Vec<&str> = v
        .diagnosis
        .as_ref()
        .map(|d| match d.skipped.iter().find(|s| s.node == outline.id) {
            Some(s) => s.caused_by.iter().map(String::as_str).collect(),
            None => d
                .problems
                .iter()
                .filter(|p| p.skipped.contains(&outline.id))
                .flat_map(|p| p.roots.iter().map(String::as_str))
                .collect(),
        })
        .unwrap_or_default();
    let row = |k: &'static str, v: Option<String>| -> Html {
        match v {
            Some(v) => html! { <><dt>{ k }</dt><dd>{ v }</dd></> },
            None => html! {},
        }
    };
    html! {
        <aside id="node-panel" class="node-panel" aria-label="Node details" aria-busy={busy.to_string()}>
            <header>
                <h3 class={classes!("status-text", format!("st-{}", n.status.as_str()))}>{ &n.name }</h3>
                <button class="button small" onclick={close} aria-label="Close the details">{ "×" }</button>
            </header>
            <dl>
                { row("id", Some(n.id.clone())) }
                { row("type", Some(n.resource_type.replace('_', " "))) }
                { row("status", Some(match &n.dbt_status {
                    Some(s) => s.clone(),
                    None => n.status.as_str().replace('_', " "),
                })) }
                { row("materialized", n.materialized.clone()) }
                { row("path", n.path.clone()) }
                { row("relation", n.relation.clone()) }
                { row("time", n.execution_time.map(|t| format!("{t:.2} s"))) }
                { row("compiled SQL", n.compiled_path.clone()) }
                if let Some(e) = &n.exposure {
                    { row(if e.kind.is_empty() || e.kind == "exposure" { "exposure" } else { "name" }, Some(e.label.clone())) }
                    { row("tool", Some(if e.tool == "powerbi" { "Power BI".to_string() } else { e.tool.clone() })) }
                    if let Some(url) = e.url.as_deref().filter(|u| is_web_url(u)) {
                        <dt>{ "link" }</dt>
                        <dd><a href={url.to_string()} target="_blank" rel="noopener noreferrer">{ url }</a></dd>
                    }
                    { row("owner", e.owner.clone()) }
                    { row("maturity", e.maturity.clone()) }
                }
                if !caused_by.is_empty() {
                    <dt>{ "skipped because" }</dt>
                    <dd class="caused-by">{ neighbours(caused_by) }{ " failed" }</dd>
                }
                if !parents.is_empty() {
                    <dt>{ format!("parents ({})", parents.len()) }</dt>
                    <dd class="parents">{ neighbours(parents) }</dd>
                }
                if !children.is_empty() {
                    <dt>{ format!("children ({})", children.len()) }</dt>
                    <dd class="children">{ neighbours(children) }</dd>
                }
            </dl>
            if let Some(e) = n.exposure.as_ref().filter(|e| e.matched_by_source()) {
                <section class="matched-by" aria-label="Matched by source">
                    <h4>{ "Matched by source" }</h4>
                    <p class="muted">
                        { "Found in the Power BI files, not declared as a dbt exposure: these tables read what dbt builds." }
                    </p>
                    <table>
                        <thead><tr><th>{ "table" }</th><th>{ "reads" }</th><th>{ "dbt node" }</th></tr></thead>
                        <tbody>
                            { for e.matched_by.iter().map(|m| html! {
                                <tr>
                                    <td>{ &m.table }</td>
                                    <td><code>{ &m.relation }</code></td>
                                    <td title={m.node.clone()}>{ dbt_triage::report::short(&m.node) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </section>
            }
            if lost {
                <p class="muted">{ "Its details are no longer at hand (the analysis was restarted) — add the files again to see them." }</p>
            }
            if let Some(m) = &n.message {
                <pre class="message-text">{ m }</pre>
            }
        </aside>
    }
}
