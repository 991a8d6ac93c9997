//! Sharing and exporting the diagnosis shown: a share link (the diagnosis itself, deflated into the
//! URL's fragment, which browsers never send to a server) and the Markdown report (the same text
//! as the CLI's `--format markdown`, made by the worker when asked: it is not on screen), each
//! copied to the clipboard — and shown to copy by hand when the browser does not allow that.

use yew::prelude::*;

use crate::clipboard;

#[derive(Properties, PartialEq)]
pub struct ExportsProps {
    /// The load shown: a new one hides what was shown for the previous one.
    pub view_id: u32,
    /// Only the problem cards are shown yet: the Markdown is asked for once the whole view is.
    pub enriching: bool,
    /// The Markdown report, or why there is none; `None` until the worker made it.
    pub markdown: Option<Result<String, String>>,
    /// Asks the worker for the Markdown report.
    pub on_markdown: Callback<()>,
    /// The share link, or why there is none; `None` while the worker is still making it.
    pub share: Option<Result<String, String>>,
}

#[derive(Clone, PartialEq)]
enum Shown {
    /// "Share link" was clicked before the link was made: it is shown (and copied) on arrival.
    Making,
    Link {
        url: String,
        copied: bool,
    },
    NoLink(String),
    /// "Copy as Markdown" was clicked: it is copied on arrival.
    MakingMarkdown,
    Markdown {
        text: String,
        copied: bool,
    },
    NoMarkdown(String),
}

#[function_component]
pub fn ExportButtons(props: &ExportsProps) -> Html {
    let shown = use_state(|| None::<Shown>);
    // A new diagnosis hides what was shown for the previous one.
    {
        let shown = shown.clone();
        use_effect_with(props.view_id, move |_| shown.set(None));
    }
    // What to do with the share link, once there is one.
    let give_link = {
        let shown = shown.clone();
        move |share: &Result<String, String>| match share {
            Ok(url) => {
                let (shown, url) = (shown.clone(), url.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let copied = clipboard::copy(&url).await;
                    shown.set(Some(Shown::Link { url, copied }));
                });
            }
            Err(why) => shown.set(Some(Shown::NoLink(why.clone()))),
        }
    };
    // Clicked while the link was being made: give it when it arrives. (The browser may refuse
    // the clipboard by then; the link is shown to copy by hand.)
    {
        let shown = shown.clone();
        let give_link = give_link.clone();
        use_effect_with(props.share.clone(), move |share| {
            if let (Some(Shown::Making), Some(share)) = (&*shown, share) {
                give_link(share);
            }
        });
    }
    let on_share = {
        let shown = shown.clone();
        let share = props.share.clone();
        Callback::from(move |_: MouseEvent| match &share {
            Some(share) => give_link(share),
            None => shown.set(Some(Shown::Making)),
        })
    };
    // What to do with the Markdown, once there is some.
    let give_markdown = {
        let shown = shown.clone();
        move |markdown: &Result<String, String>| match markdown {
            Ok(text) => {
                let (shown, text) = (shown.clone(), text.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let copied = clipboard::copy(&text).await;
                    shown.set(Some(Shown::Markdown { text, copied }));
                });
            }
            Err(why) => shown.set(Some(Shown::NoMarkdown(why.clone()))),
        }
    };
    // Clicked before the Markdown was made: ask for it once the whole view is shown, give it
    // when it arrives.
    {
        let shown = shown.clone();
        let give_markdown = give_markdown.clone();
        let on_markdown = props.on_markdown.clone();
        use_effect_with(
            (props.markdown.clone(), props.enriching),
            move |(markdown, enriching)| {
                if let Some(Shown::MakingMarkdown) = &*shown {
                    match markdown {
                        Some(markdown) => give_markdown(markdown),
                        None if !*enriching => on_markdown.emit(()),
                        None => {}
                    }
                }
            },
        );
    }
    let on_markdown = {
        let shown = shown.clone();
        let markdown = props.markdown.clone();
        let ask = props.on_markdown.clone();
        let enriching = props.enriching;
        Callback::from(move |_: MouseEvent| match &markdown {
            Some(markdown) => give_markdown(markdown),
            None => {
                shown.set(Some(Shown::MakingMarkdown));
                if !enriching {
                    ask.emit(());
                }
            }
        })
    };
    let select_all = Callback::from(|e: FocusEvent| {
        if let Some(el) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
            el.select();
        } else if let Some(el) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
            el.select();
        }
    });
    html! {
        <div class="exports">
            <div class="export-buttons" role="group" aria-label="Share and export">
                <button id="share-link" class="button small" onclick={on_share}
                        title="A link that opens this diagnosis; the files are not sent anywhere">
                    { "Share link" }
                </button>
                <button id="copy-markdown" class="button small" onclick={on_markdown}
                        title="The diagnosis as Markdown, for a ticket or a chat">
                    { "Copy as Markdown" }
                </button>
            </div>
            { match &*shown {
                None => html! {},
                Some(Shown::Making) => html! {
                    <p class="export-out muted" role="status">{ "Making the link…" }</p>
                },
                Some(Shown::Link { url, copied }) => html! {
                    <div class="export-out" role="status">
                        <label for="share-url">
                            { if *copied { "Link copied to the clipboard:" } else { "The browser did not allow copying — select the link and copy it:" } }
                        </label>
                        <input id="share-url" type="text" readonly=true value={url.clone()} onfocus={select_all.clone()} />
                        <p class="muted">
                            { "The diagnosis travels in the link itself, after the #, which browsers never send to a server: whoever opens it sees this diagnosis without your files." }
                        </p>
                    </div>
                },
                Some(Shown::NoLink(why)) => html! {
                    <p id="share-error" class="export-out error" role="alert">{ why }</p>
                },
                Some(Shown::MakingMarkdown) => html! {
                    <p class="export-wait muted" role="status">{ "Making the Markdown…" }</p>
                },
                Some(Shown::NoMarkdown(why)) => html! {
                    <p id="markdown-error" class="export-out error" role="alert">{ why }</p>
                },
                Some(Shown::Markdown { copied: true, .. }) => html! {
                    <p class="export-out" role="status">{ "The diagnosis was copied to the clipboard as Markdown." }</p>
                },
                Some(Shown::Markdown { text, copied: false }) => html! {
                    <div class="export-out" role="status">
                        <label for="markdown-text">{ "The browser did not allow copying — select the Markdown and copy it:" }</label>
                        <textarea id="markdown-text" readonly=true rows="12" value={text.clone()} onfocus={select_all} />
                    </div>
                },
            } }
        </div>
    }
}
