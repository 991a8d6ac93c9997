//! The runs given, oldest first, as a strip: each with its status counts; the one diagnosed is
//! marked, and clicking another diagnoses that run (with the history of the runs before it).
//! Runs remembered from earlier visits are shown dashed and cannot be chosen: only their
//! statuses were kept.

use dbt_triage::diagnose::history::Run;
use yew::prelude::*;

use crate::shared::Shared;

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub runs: Shared<Vec<Run>>,
    /// The invocation id of the run diagnosed.
    pub current: Option<String>,
    pub on_choose: Callback<Option<String>>,
}

#[function_component]
pub fn Timeline(props: &TimelineProps) -> Html {
    if props.runs.len() < 2 {
        return html! {};
    }
    let newest = props.runs.last().and_then(|r| r.invocation_id.clone());
    html! {
        <nav class="timeline" aria-label="Runs given, oldest first">
            <span class="label">{ format!("{} runs:", props.runs.len()) }</span>
            <ol>
                { for props.runs.iter().enumerate().map(|(i, r)| {
                    let current = r.invocation_id.is_some() && r.invocation_id == props.current;
                    let c = &r.counts;
                    let bad = c.error + c.fail;
                    let state = match (bad, c.warn) {
                        (0, 0) => "ok",
                        (0, _) => "warned",
                        _ => "failed",
                    };
                    // The newest is asked for as "the newest", so that it stays so.
                    let choice = if r.invocation_id == newest { None } else { r.invocation_id.clone() };
                    let onclick = props.on_choose.reform(move |_: MouseEvent| choice.clone());
                    let when = r.generated_at.as_deref().map(short_time).unwrap_or_else(|| format!("run {}", i + 1));
                    html! {
                        <li>
                            <button class={classes!("run", state, current.then_some("current"), r.remembered.then_some("remembered"))}
                                    aria-current={current.then_some("true")}
                                    title={if r.remembered {
                                        format!("{} — remembered from an earlier visit: only its statuses are kept, so it cannot be diagnosed again", dbt_triage::report::run_text(r))
                                    } else {
                                        dbt_triage::report::run_text(r)
                                    }}
                                    disabled={r.invocation_id.is_none() || r.remembered}
                                    {onclick}>
                                <span class="when">{ when }</span>
                                <span class="counts">{ counts_text(r) }</span>
                            </button>
                        </li>
                    }
                }) }
            </ol>
        </nav>
    }
}

/// `2026-12-02T03:24:01.704420Z` → `12-02 03:24`.
fn short_time(t: &str) -> String {
    match (t.get(5..10), t.get(11..16)) {
        (Some(day), Some(time)) => format!("{day} {time}"),
        _ => t.to_string(),
    }
}

/// `✖ 2 · 18 skipped`, `✔ 37`.
fn counts_text(r: &Run) -> String {
    let c = &r.counts;
    let bad = c.error + c.fail;
    let mut s = if bad > 0 {
        format!("✖ {bad}")
    } else {
        format!("✔ {}", c.success)
    };
    if c.warn > 0 {
        s.push_str(&format!(" · ⚠ {}", c.warn));
    }
    if c.skipped > 0 {
        s.push_str(&format!(" · {} skipped", c.skipped));
    }
    s
}
