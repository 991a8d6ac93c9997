//! "Download SVG" and "Download PNG": the whole graph of the current layout, drawn as on screen
//! in the theme shown (see [`crate::svg`] and [`crate::png`]).

use std::collections::HashSet;

use dbt_triage::layout::Layout;
use dbt_triage::view::ProjectView;
use yew::prelude::*;

use crate::download;
use crate::png;
use crate::shared::Shared;
use crate::svg::{self, Palette};

#[derive(Properties, PartialEq)]
pub struct GraphDownloadsProps {
    pub view: Shared<ProjectView>,
    pub layout: Option<Shared<Layout>>,
    pub highlight: Option<Shared<HashSet<u32>>>,
    /// The colours the graph is drawn with now, read when a button is pressed.
    pub palette: Callback<(), Palette>,
}

/// Where the PNG is: it takes a moment on a big graph (the browser decodes and draws the SVG).
#[derive(Clone, PartialEq)]
enum Png {
    Idle,
    Making,
    Failed(String),
}

#[function_component]
pub fn GraphDownloads(props: &GraphDownloadsProps) -> Html {
    let png_state = use_state(|| Png::Idle);
    let document = {
        let (view, layout, highlight, palette) = (
            props.view.clone(),
            props.layout.clone(),
            props.highlight.clone(),
            props.palette.clone(),
        );
        move || {
            let l = layout.as_ref()?;
            let text = svg::standalone(&view, l, highlight.as_deref(), &palette.emit(()));
            Some((text, svg::size(l)))
        }
    };
    let on_svg = {
        let document = document.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some((text, _)) = document() {
                download::save("dbt-triage-lineage.svg", "image/svg+xml", &text);
            }
        })
    };
    let on_png = {
        let png_state = png_state.clone();
        Callback::from(move |_: MouseEvent| {
            let Some((text, (w, h))) = document() else {
                return;
            };
            png_state.set(Png::Making);
            let png_state = png_state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match png::render(&text, w, h).await {
                    Ok(blob) if download::save_blob("dbt-triage-lineage.png", &blob) => {
                        png_state.set(Png::Idle)
                    }
                    Ok(_) => png_state.set(Png::Failed("the browser refused the download".into())),
                    Err(why) => png_state.set(Png::Failed(why)),
                }
            });
        })
    };
    let none = props.layout.is_none();
    let making = *png_state == Png::Making;
    html! {
        <div class="group">
            <button id="download-svg" class="button small" onclick={on_svg} disabled={none}
                    title="The graph as an SVG file, in the colours shown">{ "Download SVG" }</button>
            <button id="download-png" class="button small" onclick={on_png} disabled={none || making}
                    aria-busy={making.to_string()}
                    title="The graph as a PNG picture, in the colours shown">
                { if making { "Making the PNG…" } else { "Download PNG" } }
            </button>
            if let Png::Failed(why) = &*png_state {
                <span id="png-error" class="error small" role="alert">
                    { format!("No PNG: {why}. Download the SVG instead.") }
                </span>
            }
        </div>
    }
}
