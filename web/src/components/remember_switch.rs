//! The switch for remembered history: off by default; on, the page keeps each run's record in
//! this browser (see `remember`) and says so, with how many it holds and a button that clears
//! them. Off forgets everything.

use dbt_triage::diagnose::history::RunRecord;
use yew::prelude::*;

use crate::remember;
use crate::shared::Shared;
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct RememberSwitchProps {
    pub on: bool,
    pub count: Option<usize>,
    /// The runs of the view shown: remembered as soon as the switch goes on.
    pub records: Shared<Vec<RunRecord>>,
    pub dispatch: Callback<Action>,
}

#[function_component]
pub fn RememberSwitch(props: &RememberSwitchProps) -> Html {
    let onchange = {
        let dispatch = props.dispatch.clone();
        let records = props.records.clone();
        Callback::from(move |e: Event| {
            let on = e
                .target_dyn_into::<web_sys::HtmlInputElement>()
                .is_some_and(|i| i.checked());
            let dispatch = dispatch.clone();
            let records = records.clone();
            if on {
                remember::enable();
                dispatch.emit(Action::SetRemember(true));
                wasm_bindgen_futures::spawn_local(async move {
                    let n = match remember::save(&records).await {
                        Ok(n) => n,
                        Err(_) => remember::load().await.len(),
                    };
                    dispatch.emit(Action::Remembered(n));
                });
            } else {
                dispatch.emit(Action::SetRemember(false));
                wasm_bindgen_futures::spawn_local(remember::forget());
            }
        })
    };
    let on_clear = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            let dispatch = dispatch.clone();
            wasm_bindgen_futures::spawn_local(async move {
                remember::clear().await;
                dispatch.emit(Action::Remembered(0));
            });
        })
    };
    html! {
        <div class="remember">
            <label>
                <input id="remember" type="checkbox" checked={props.on} {onchange} />
                { " Remember runs in this browser" }
            </label>
            <span class="muted">
                { if props.on {
                    match props.count {
                        Some(n) => format!(" — {} kept here (time, command and node statuses; not the files, messages or SQL). Nothing is sent. Unticking forgets them.",
                                           dbt_triage::report::plural(n, "run", "runs")),
                        None => " — counting…".to_string(),
                    }
                } else {
                    " — off: nothing is stored. On, each run's time, command and node statuses stay in this browser (IndexedDB) so the next drop can say \"recurring since Tuesday\"; nothing is ever sent.".to_string()
                } }
            </span>
            if props.on && props.count.is_some_and(|n| n > 0) {
                <button id="forget-runs" class="button small" onclick={on_clear}>{ "Clear remembered runs" }</button>
            }
        </div>
    }
}
