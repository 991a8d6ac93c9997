//! The details of the node selected in the graph: type, materialization, path, status, timing,
//! message and where its compiled SQL is; for a Power BI semantic model matched by source, which
//! table reads which relation of which dbt node.

use dbt_triage::view::{ProjectView, ViewNode};
use yew::prelude::*;

use crate::components::problem_card::is_web_url;
use crate::shared::Shared;

#[derive(Properties, PartialEq)]
pub struct NodePanelProps {
    pub view: Shared<ProjectView>,
    pub node: u32,
    /// Its details, asked of the worker when it was selected: `None` while they are on their way
    /// (the panel is `aria-busy` then), `Some(None)` when the worker has none.
    pub detail: Option<Option<Shared<ViewNode>>>,
    pub on_close: Callback<()>,
}

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
