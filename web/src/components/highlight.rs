//! Text with some words marked: the evidence inside a cause or a message. Everything stays text —
//! the pieces become text nodes and `<mark>`s, never parsed HTML.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HighlightProps {
    pub text: AttrValue,
    /// What to mark, wherever it occurs (case-insensitive).
    pub marks: Vec<String>,
}

#[function_component]
pub fn Highlight(props: &HighlightProps) -> Html {
    let pieces = split(&props.text, &props.marks);
    html! {
        <>
            { for pieces.into_iter().map(|(s, marked)| if marked {
                html! { <mark>{ s }</mark> }
            } else {
                html! { { s } }
            }) }
        </>
    }
}

/// Splits `text` into (piece, marked) runs. Case-insensitive for ASCII; longer marks win.
fn split(text: &str, marks: &[String]) -> Vec<(String, bool)> {
    let mut marks: Vec<String> = marks
        .iter()
        .filter(|m| m.trim().len() >= 2)
        .map(|m| m.to_ascii_lowercase())
        .collect();
    marks.sort_by_key(|m| std::cmp::Reverse(m.len()));
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    let (mut plain_from, mut i) = (0, 0);
    while i < text.len() {
        if let Some(m) = marks.iter().find(|m| lower[i..].starts_with(m.as_str())) {
            if plain_from < i {
                out.push((text[plain_from..i].to_string(), false));
            }
            out.push((text[i..i + m.len()].to_string(), true));
            i += m.len();
            plain_from = i;
        } else {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    if plain_from < text.len() {
        out.push((text[plain_from..].to_string(), false));
    }
    out
}
