//! dbt-triage's browser app: a yew page over the core, and the web worker that runs the core.
//! This crate only converts to and from the browser — files in, the core's view out, pixels and
//! events — and holds UI state; every judgement about the run comes from `dbt_triage`.

pub mod bridge;
pub mod clipboard;
pub mod components;
pub mod download;
pub mod overview;
pub mod page;
pub mod png;
pub mod protocol;
pub mod remember;
pub mod shared;
pub mod state;
pub mod svg;
pub mod worker;

/// Starts the page (the `app` binary).
pub fn run_app() {
    yew::Renderer::<components::app::App>::new().render();
}
