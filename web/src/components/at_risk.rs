//! What a run that went on puts at risk: each test that warned (what it tests, the rows it found,
//! how to see them) and the exposures downstream — Power BI reports first — that now show those
//! rows; and the exposures downstream of a source past `warn_after`.

use std::collections::HashMap;

use dbt_triage::view::ProjectView;
use yew::prelude::*;

use crate::components::copy_button::CopyButton;
use crate::components::problem_card::{exposure_list, node_link};
use crate::shared::Shared;

#[derive(Properties, PartialEq)]
pub struct AtRiskProps {
    pub view: Shared<ProjectView>,
    pub index: Shared<HashMap<String, u32>>,
    pub on_node: Callback<u32>,
}

#[function_component]
pub fn AtRisk(props: &AtRiskProps) -> Html {
    let Some(d) = &props.view.diagnosis else {
        return html! {};
    };
    let at_risk: Vec<_> = d.exposures.iter().filter(|e| e.at_risk).collect();
    if d.warned.is_empty() && at_risk.is_empty() {
        return html! {};
    }
    let node_link = |id: &String| node_link(id, &props.index, &props.on_node);
    html! {
        <article id="at-risk" class="problem at-risk" aria-labelledby="at-risk-title">
            <header class="problem-head">
                <span class="category cat-at_risk">{ "At risk" }</span>
                <h3 id="at-risk-title" class="problem-title">
                    { if d.warned.is_empty() {
                        "A late source feeds these exposures".to_string()
                    } else {
                        format!("{} warned — the run went on, and the rows flow downstream",
                                dbt_triage::report::plural(d.warned.len(), "test", "tests"))
                    } }
                </h3>
            </header>
            if !d.warned.is_empty() {
                <ul class="warned-list">
                    { for d.warned.iter().map(|w| {
                        let cmd = dbt_triage::report::warned_rows_command(w);
                        html! {
                            <li class="warned" data-id={w.node.clone()}>
                                <div>
                                    <strong>{ node_link(&w.node) }</strong>
                                    if !w.tested.is_empty() {
                                        { " tests " }
                                        { for w.tested.iter().map(|t| html! { <span class="tested">{ node_link(t) }</span> }) }
                                    }
                                    if let Some(n) = w.failures {
                                        { format!(" — found {}", dbt_triage::report::plural(n as usize, "row", "rows")) }
                                    }
                                </div>
                                if !w.message.trim().is_empty() {
                                    <pre class="message-text">{ w.message.trim() }</pre>
                                }
                                <div class="command">
                                    <span class="label">{ "See the rows: " }</span>
                                    <code>{ cmd.clone() }</code><CopyButton text={cmd} />
                                </div>
                            </li>
                        }
                    }) }
                </ul>
            }
            if !at_risk.is_empty() {
                { exposure_list("At risk: ", &at_risk, &props.index, &props.on_node) }
            }
        </article>
    }
}
