//! What was loaded: each file, what it was taken as (version, dbt version, generated at), why a
//! file could not be used and what to do, and what to add to see more.

use dbt_triage::view::ProjectView;
use yew::prelude::*;

use crate::shared::Shared;

#[derive(Properties, PartialEq)]
pub struct InputsProps {
    pub view: Shared<ProjectView>,
    pub read_errors: Vec<String>,
}

#[function_component]
pub fn Inputs(props: &InputsProps) -> Html {
    let v = &props.view;
    // What could not be used first (it needs doing something), then what was used, then what
    // is not needed (quietly, last).
    let mut inputs: Vec<_> = v.inputs.iter().collect();
    inputs.sort_by_key(|i| (i.kind == "ignored", i.problem.is_none()));
    html! {
        <section class="inputs" aria-label="Loaded files">
            <ul class="input-list">
                { for inputs.into_iter().map(|i| {
                    let bad = i.problem.is_some();
                    html! {
                        <li class={classes!("input", format!("kind-{}", i.kind), bad.then_some("bad"))}>
                            <span class="input-name">{ &i.name }</span>
                            <span class="input-kind">{ kind_label(&i.kind) }</span>
                            if !i.detail.is_empty() {
                                <span class="input-detail">{ &i.detail }</span>
                            }
                            if let Some(p) = &i.problem {
                                <span class="input-problem" role="alert">{ p }</span>
                            }
                        </li>
                    }
                }) }
                { for props.read_errors.iter().map(|e| html! {
                    <li class="input bad"><span class="input-problem" role="alert">{ e }</span></li>
                }) }
            </ul>
            if !v.missing.is_empty() {
                <ul class="missing">
                    { for v.missing.iter().map(|m| html! { <li>{ m }</li> }) }
                </ul>
            }
        </section>
    }
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "run_results" => "run results",
        "manifest" => "manifest",
        "log" => "dbt log",
        "sources" => "source freshness",
        "power_bi" => "Power BI",
        "ignored" => "not needed",
        _ => "could not be used",
    }
}
