//! The banner over a diagnosis opened from a share link: whose run it is, that no file is loaded,
//! and what the link left out to fit.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SharedBannerProps {
    pub generated_at: Option<AttrValue>,
    pub omitted: Vec<String>,
}

#[function_component]
pub fn SharedBanner(props: &SharedBannerProps) -> Html {
    html! {
        <section id="shared-banner" class="shared-banner" aria-label="Shared snapshot">
            <p>
                <strong>
                    { "Shared snapshot of a dbt run" }
                    { props.generated_at.as_ref().map(|g| format!(" generated {g}")).unwrap_or_default() }
                </strong>
                { " — no file is loaded: this is the diagnosis the link carries. Drop your own files to diagnose a run." }
            </p>
            if !props.omitted.is_empty() {
                <p class="omitted-head">{ "Left out to keep the link short:" }</p>
                <ul class="omitted">
                    { for props.omitted.iter().map(|o| html! { <li>{ o }</li> }) }
                </ul>
            }
        </section>
    }
}
