//! A button that copies a statement or command to the clipboard and says so.

use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CopyButtonProps {
    pub text: AttrValue,
    #[prop_or(AttrValue::Static("Copy"))]
    pub label: AttrValue,
}

#[function_component]
pub fn CopyButton(props: &CopyButtonProps) -> Html {
    let copied = use_state(|| false);
    let onclick = {
        let text = props.text.clone();
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(window) = web_sys::window() else {
                return;
            };
            let promise = window.navigator().clipboard().write_text(&text);
            let copied = copied.clone();
            wasm_bindgen_futures::spawn_local(async move {
                copied.set(JsFuture::from(promise).await.is_ok());
            });
        })
    };
    html! {
        <button class="button small copy" {onclick} aria-label={format!("{} to the clipboard", props.label)}>
            { if *copied { "Copied" } else { props.label.as_str() } }
        </button>
    }
}
