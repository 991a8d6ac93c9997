//! The lineage graph as a standalone SVG file: every node and edge of the current layout (not only
//! what the viewport shows), drawn as on screen — the same boxes, labels, Power BI badges and
//! status colours, the highlighted problem with the rest dimmed — with the colours written into
//! the file, so it looks the same anywhere (no CSS, no fonts, no scripts).
//!
//! Pure: the page reads the colours of its current theme (light or dark) into a [`Palette`];
//! everything from the artifacts is XML-escaped, and characters XML cannot hold are dropped.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use dbt_triage::layout::{Config, Layout, Position};
use dbt_triage::view::{ExposureMark, NodeStatus, ProjectView};

/// The CSS custom properties the graph is drawn with (`--failed`, `--skipped-bg`, …).
pub const COLOR_VARIABLES: [&str; 18] = [
    "--bg",
    "--card",
    "--fg",
    "--muted",
    "--edge",
    "--pbi",
    "--pbi-fg",
    "--failed",
    "--failed-bg",
    "--skipped",
    "--skipped-bg",
    "--passed",
    "--passed-bg",
    "--warned",
    "--warned-bg",
    "--notrun",
    "--notrun-bg",
    "--affected",
];

/// Colours by CSS variable name; `--affected-bg` is looked up too. Missing ones fall back to the
/// light theme's.
#[derive(Debug, Clone, Default)]
pub struct Palette(pub HashMap<String, String>);

impl Palette {
    fn get(&self, name: &str) -> String {
        self.0
            .get(name)
            .map(|v| v.trim())
            .filter(|v| {
                !v.is_empty()
                    && v.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "#(),. %-".contains(c))
            })
            .map(str::to_string)
            .unwrap_or_else(|| light(name).to_string())
    }
}

/// The margin around the layout in the file.
const PAD: f64 = 24.0;

/// The width and height of the file [`standalone`] makes of `layout`.
pub fn size(layout: &Layout) -> (f64, f64) {
    (layout.width + 2.0 * PAD, layout.height + 2.0 * PAD)
}

/// The drawing of `shown` nodes laid out by `layout`, as an SVG document.
pub fn standalone(
    v: &ProjectView,
    layout: &Layout,
    highlight: Option<&HashSet<u32>>,
    palette: &Palette,
) -> String {
    let cfg = Config::default();
    let (nw, nh) = (cfg.node_width, cfg.node_height);
    let pad = PAD;
    let (w, h) = size(layout);
    let c = |name: &str| palette.get(name);
    let at: HashMap<u32, &Position> = layout.positions.iter().map(|p| (p.node, p)).collect();
    let dim = |on: bool| {
        if highlight.is_some() && !on {
            " opacity=\"0.3\""
        } else {
            ""
        }
    };

    let mut s = String::new();
    let _ = write!(
        s,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" height=\"{h:.0}\" \
         viewBox=\"{:.1} {:.1} {w:.1} {h:.1}\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\">\n",
        -pad, -pad
    );
    let _ = writeln!(
        s,
        "<title>{}</title>",
        escape(&format!("dbt-triage lineage — {}", v.summary))
    );
    let _ = writeln!(
        s,
        "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"{}\"/>",
        -pad,
        -pad,
        c("--card")
    );
    let _ = writeln!(
        s,
        "<g fill=\"none\" stroke=\"{}\" stroke-width=\"1.3\">",
        c("--edge")
    );
    let shown: HashSet<u32> = at.keys().copied().collect();
    for &(a, b) in v
        .edges
        .iter()
        .filter(|(a, b)| shown.contains(a) && shown.contains(b))
    {
        let (pa, pb) = (at[&a], at[&b]);
        let (x1, y1, x2, y2) = (pa.x + nw, pa.y + nh / 2.0, pb.x, pb.y + nh / 2.0);
        let k = (x2 - x1).abs().max(40.0) / 2.0;
        let on = highlight.is_some_and(|hl| hl.contains(&a) && hl.contains(&b));
        let style = match highlight {
            Some(_) if on => format!(" stroke=\"{}\" stroke-width=\"2.4\"", c("--failed")),
            Some(_) => " opacity=\"0.25\"".to_string(),
            None => String::new(),
        };
        let _ = writeln!(
            s,
            "<path d=\"M{x1:.1},{y1:.1} C{:.1},{y1:.1} {:.1},{y2:.1} {x2:.1},{y2:.1}\"{style}/>",
            x1 + k,
            x2 - k
        );
    }
    s.push_str("</g>\n<g font-size=\"13\">\n");
    for p in &layout.positions {
        let Some(n) = v.nodes.get(p.node as usize) else {
            continue;
        };
        let (stroke, fill) = status_colors(n.status);
        let pbi = n.exposure.as_ref().is_some_and(|e| e.tool == "powerbi");
        let label = n
            .exposure
            .as_ref()
            .map_or(n.name.as_str(), |e| e.label.as_str());
        let on = highlight.is_some_and(|hl| hl.contains(&p.node));
        let _ = writeln!(
            s,
            "<g transform=\"translate({:.1},{:.1})\"{}>",
            p.x,
            p.y,
            dim(on)
        );
        let _ = writeln!(s, "<title>{}</title>", escape(&n.id));
        let _ = writeln!(
            s,
            "<rect width=\"{nw}\" height=\"{nh}\" rx=\"{}\" fill=\"{}\" stroke=\"{}\" stroke-width=\"2\"{}/>",
            if n.exposure.is_some() { 18 } else { 5 },
            c(fill),
            c(stroke),
            match n.resource_type.as_str() {
                "exposure" => " stroke-dasharray=\"6 3\"",
                "semantic_model" => " stroke-dasharray=\"2 3\"",
                _ => "",
            }
        );
        let tag = n.exposure.as_ref().and_then(sub_tag);
        let _ = writeln!(
            s,
            "<text x=\"12\" y=\"{}\" fill=\"{}\">{}</text>",
            if tag.is_some() { 16 } else { 23 },
            c("--fg"),
            escape(&truncate(label, 24))
        );
        if let Some(tag) = tag {
            let _ = writeln!(
                s,
                "<text x=\"12\" y=\"30\" font-size=\"9.5\" fill=\"{}\">{tag}</text>",
                c("--muted")
            );
        }
        if pbi {
            let _ = writeln!(
                s,
                "<g transform=\"translate({},8)\"><rect width=\"32\" height=\"20\" rx=\"4\" fill=\"{}\"/>\
                 <text x=\"16\" y=\"14\" font-size=\"11\" font-weight=\"700\" text-anchor=\"middle\" fill=\"{}\">PBI</text></g>",
                nw - 40.0,
                c("--pbi"),
                c("--pbi-fg")
            );
        } else if n.exposure.is_some() {
            let _ = writeln!(
                s,
                "<text x=\"{}\" y=\"23\" font-size=\"10\" text-anchor=\"end\" fill=\"{}\">exposure</text>",
                nw - 10.0,
                c("--muted")
            );
        }
        s.push_str("</g>\n");
    }
    s.push_str("</g>\n</svg>\n");
    s
}

/// The second line of a node read from Power BI files: a semantic model tied to dbt by its tables'
/// sources, or a report on one (declared exposures have none).
pub fn sub_tag(e: &ExposureMark) -> Option<&'static str> {
    match e.kind.as_str() {
        "semantic_model" => Some("model · matched by source"),
        "report" => Some("report"),
        _ => None,
    }
}

/// (stroke, fill) variables per status, as `app.css` colours the boxes.
fn status_colors(status: NodeStatus) -> (&'static str, &'static str) {
    match status {
        NodeStatus::Failed => ("--failed", "--failed-bg"),
        NodeStatus::Skipped => ("--skipped", "--skipped-bg"),
        NodeStatus::Passed => ("--passed", "--passed-bg"),
        NodeStatus::Warned => ("--warned", "--warned-bg"),
        NodeStatus::NotRun => ("--notrun", "--notrun-bg"),
        NodeStatus::Affected => ("--affected", "--affected-bg"),
        NodeStatus::Stale => ("--stale", "--stale-bg"),
        NodeStatus::AtRisk => ("--atrisk", "--atrisk-bg"),
    }
}

/// The light theme's colours (`app.css`), for a palette that lacks one.
fn light(name: &str) -> &'static str {
    match name {
        "--bg" => "#f7f7f5",
        "--card" => "#ffffff",
        "--fg" => "#1d1f21",
        "--muted" => "#5f6368",
        "--edge" => "#9aa0a6",
        "--pbi" => "#f2c811",
        "--pbi-fg" => "#1d1f21",
        "--failed" => "#d93025",
        "--failed-bg" => "#fde3e0",
        "--skipped" => "#e8a200",
        "--skipped-bg" => "#fff3cf",
        "--passed" => "#1e8e3e",
        "--passed-bg" => "#e3f4e7",
        "--warned" => "#b26a00",
        "--warned-bg" => "#ffe9c7",
        "--notrun" => "#8a8f98",
        "--notrun-bg" => "#eceef1",
        "--affected" => "#8e24aa",
        "--affected-bg" => "#f4e3f8",
        "--stale" => "#00838f",
        "--stale-bg" => "#dff3f5",
        "--atrisk" => "#c2185b",
        "--atrisk-bg" => "#fbe4ee",
        _ => "#000000",
    }
}

/// Text for XML content or attributes: markup characters escaped, characters XML 1.0 cannot hold
/// dropped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// `s` cut to `max` characters, the last one `…` (a node's label on the page and in the SVG).
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dbt_triage::view::ViewNode;

    fn node(name: &str, status: NodeStatus) -> ViewNode {
        ViewNode::bare(
            format!("model.p.{name}"),
            name.to_string(),
            "model".into(),
            status,
        )
    }

    #[test]
    fn draws_every_laid_out_node_with_escaped_names_and_theme_colours() {
        let v = ProjectView {
            nodes: vec![
                node("stg_<orders>&\u{1}", NodeStatus::Failed),
                node("fct", NodeStatus::Skipped),
            ],
            edges: vec![(0, 1)],
            summary: "1 problem".into(),
            ..ProjectView::default()
        };
        let layout = dbt_triage::layout::layout(&[0, 1], &[(0, 1)], &Config::default());
        let mut palette = Palette::default();
        palette.0.insert("--failed".into(), " #f28b82 ".into());
        palette.0.insert("--fg".into(), "red;}<script>".into());
        let svg = standalone(&v, &layout, None, &palette);
        assert!(svg.starts_with("<?xml"));
        assert!(svg.contains("xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("stg_&lt;orders&gt;&amp;"));
        assert!(!svg.contains('\u{1}'));
        assert!(svg.contains("stroke=\"#f28b82\""));
        assert!(
            !svg.contains("<script"),
            "a colour is never taken verbatim when it is not one"
        );
        assert_eq!(svg.matches("<path ").count(), 1);
    }
}
