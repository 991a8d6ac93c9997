//! Diagnosis → Markdown for a ticket or chat (GitHub, Slack, Jira): summary, one section per
//! problem with cause, fix and rerun command, the skipped count, affected Power BI reports as links.
//! Text from artifacts is put in code spans/blocks or escaped, so it cannot become markup.

use crate::diagnose::Diagnosis;
use crate::diagnose::Exposure;
use crate::report::text::tool_text;
use crate::report::{code_spans, plural, short, summary};

pub fn render(d: &Diagnosis) -> String {
    let mut o = String::new();
    o.push_str("## dbt run diagnosis\n\n");
    o.push_str(&format!("**{}**\n", escape(&summary(d))));
    let inv = &d.invocation;
    let mut facts = Vec::new();
    if let Some(c) = &inv.command {
        facts.push(format!("`dbt {}`", code(c)));
    }
    if let Some(v) = &inv.dbt_version {
        facts.push(format!("dbt {}", escape(v)));
    }
    if let Some(a) = &inv.adapter {
        facts.push(escape(a.as_str()));
    }
    if let Some(g) = &inv.generated_at {
        facts.push(escape(g));
    }
    if !facts.is_empty() {
        o.push_str(&format!("\n{}\n", facts.join(" · ")));
    }
    for p in &d.problems {
        o.push_str(&format!(
            "\n### {}. {} — `{}`\n\n",
            p.id,
            inline(&p.title),
            p.category
        ));
        let roots: Vec<String> = p
            .roots
            .iter()
            .map(|r| format!("`{}`", code(short(r))))
            .collect();
        if !roots.is_empty() {
            let label = if p.category == crate::Category::Freshness {
                "Stale"
            } else {
                "Failed"
            };
            o.push_str(&format!("**{label}:** {}\n\n", roots.join(", ")));
        }
        o.push_str("```text\n");
        o.push_str(&fence_safe(p.message.trim()));
        o.push_str("\n```\n\n");
        if !p.fix.is_empty() {
            o.push_str("**Fix**\n\n");
            for f in &p.fix {
                o.push_str(&format!("1. {}\n", inline(&f.say)));
                if let Some(run) = &f.run {
                    o.push_str("   ```\n");
                    for l in fence_safe(run).lines() {
                        o.push_str(&format!("   {l}\n"));
                    }
                    o.push_str("   ```\n");
                }
            }
            o.push('\n');
        }
        o.push_str(&format!("**Rerun:** `{}`\n", code(&p.rerun)));
        if let Some(h) = &p.history {
            o.push_str(&format!(
                "\n**History:** {}\n",
                escape(&crate::report::history_text(h))
            ));
        }
        if !p.skipped.is_empty() {
            o.push_str(&format!(
                "\n{} because of this: {}\n",
                plural(p.skipped.len(), "node was skipped", "nodes were skipped"),
                names(p.skipped.iter().map(String::as_str), p.skipped.len())
            ));
        }
        if !p.affected_exposures.is_empty() {
            o.push_str("\n**Breaks:** ");
            let items: Vec<String> = p
                .affected_exposures
                .iter()
                .filter_map(|id| d.exposures.iter().find(|e| &e.id == id))
                .map(link)
                .collect();
            o.push_str(&items.join(", "));
            o.push('\n');
        }
        if !p.notify.is_empty() {
            let owners: Vec<String> = p
                .notify
                .iter()
                .map(|w| match w.email.as_deref().filter(|e| e.contains('@')) {
                    Some(e) => format!("{} ({})", escape(&w.name), code_span(e)),
                    None => escape(&w.name),
                })
                .collect();
            o.push_str(&format!("\n**Notify:** {}\n", owners.join(", ")));
        }
    }
    let pbi: Vec<_> = d.affected_powerbi().collect();
    if !pbi.is_empty() {
        o.push_str("\n### Affected Power BI reports\n\n");
        for e in pbi {
            let kind = match e.kind.as_str() {
                "semantic_model" => " — semantic model, matched by source",
                "report" => " — report",
                _ => "",
            };
            o.push_str(&format!("- {}{kind}\n", link(e)));
            for m in &e.matched_by {
                o.push_str(&format!(
                    "  - table {} reads `{}` (`{}`)\n",
                    escape(&m.table),
                    code(&m.relation),
                    code(short(&m.node))
                ));
            }
        }
    }
    stale_section(d, &mut o);
    warned_section(d, &mut o);
    if !d.runs.is_empty() {
        o.push_str(&format!("\n### Runs ({}, oldest first)\n\n", d.runs.len()));
        for r in &d.runs {
            o.push_str(&format!("1. {}\n", escape(&crate::report::run_text(r))));
        }
        if !d.fixed.is_empty() {
            o.push_str(&format!(
                "\n**Fixed since the run before:** {}\n",
                names(d.fixed.iter().map(String::as_str), d.fixed.len())
            ));
        }
    }
    if !d.warnings.is_empty() {
        o.push_str("\n### Warnings\n\n");
        for w in &d.warnings {
            o.push_str(&format!("- `{}` {}\n", w.code, escape(&w.message)));
        }
    }
    if let Some(u) = &d.share_url {
        o.push_str(&format!("\n{u}\n"));
    }
    o
}

/// What was built from stale sources, and the exposures showing it.
fn stale_section(d: &Diagnosis, o: &mut String) {
    let stale: Vec<&Exposure> = d.exposures.iter().filter(|e| e.stale).collect();
    if d.stale.is_empty() && stale.is_empty() {
        return;
    }
    o.push_str("\n### Stale data\n\n");
    if !d.stale.is_empty() {
        o.push_str(&format!(
            "Built from stale sources: {}\n",
            names(d.stale.iter().map(|s| s.node.as_str()), d.stale.len())
        ));
    }
    if !stale.is_empty() {
        let items: Vec<String> = stale.iter().map(|e| link(e)).collect();
        o.push_str(&format!("\n**Stale:** {}\n", items.join(", ")));
    }
}

/// Tests that warned in a run that went on: the rows they found reach the exposures below.
fn warned_section(d: &Diagnosis, o: &mut String) {
    let at_risk: Vec<&Exposure> = d.exposures.iter().filter(|e| e.at_risk).collect();
    if d.warned.is_empty() && at_risk.is_empty() {
        return;
    }
    o.push_str("\n### At risk\n\n");
    for w in &d.warned {
        o.push_str(&format!("- `{}`", code(short(&w.node))));
        if !w.tested.is_empty() {
            o.push_str(&format!(
                " tests {}",
                names(w.tested.iter().map(String::as_str), w.tested.len())
            ));
        }
        if let Some(n) = w.failures {
            o.push_str(&format!(" — found {}", plural(n as usize, "row", "rows")));
        }
        o.push_str(&format!(
            "; see them: `{}`\n",
            code(&crate::report::warned_rows_command(w))
        ));
    }
    if !at_risk.is_empty() {
        let items: Vec<String> = at_risk.iter().map(|e| link(e)).collect();
        let gap = if d.warned.is_empty() { "" } else { "\n" };
        o.push_str(&format!("{gap}**At risk:** {}\n", items.join(", ")));
    }
}

/// Up to `SKIPPED_SHOWN` node names as code spans, then how many more.
fn names<'a>(ids: impl Iterator<Item = &'a str>, total: usize) -> String {
    let shown: Vec<String> = ids
        .take(SKIPPED_SHOWN)
        .map(|id| format!("`{}`", code(short(id))))
        .collect();
    let more = total.saturating_sub(shown.len());
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// How many skipped nodes a problem names (the rest are counted).
const SKIPPED_SHOWN: usize = 10;

/// An exposure as a link to where it lives, with its tool (or its type when the tool is unknown).
fn link(e: &Exposure) -> String {
    let safe = e
        .url
        .as_deref()
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"));
    match safe {
        Some(u) => format!(
            "[{}]({}) ({})",
            escape(&e.label),
            u.replace(' ', "%20").replace(')', "%29"),
            escape(&tool_text(e))
        ),
        None => format!("{} ({})", escape(&e.label), escape(&tool_text(e))),
    }
}

/// Our own sentences (titles, fix steps) put names in backticks: keep those as code spans and
/// escape the rest. An unpaired backtick is escaped like any other markup character.
fn inline(s: &str) -> String {
    match code_spans(s) {
        Some(pieces) => pieces
            .into_iter()
            .map(|(piece, code)| {
                if code {
                    code_span(piece)
                } else {
                    escape(piece)
                }
            })
            .collect(),
        None => escape(s),
    }
}

/// Text as one code span (which renders literally).
fn code_span(s: &str) -> String {
    format!("`{}`", code(&s.replace('\n', " ")))
}

/// Escapes Markdown's inline markup characters and HTML in text from artifacts.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' => {
                o.push('\\');
                o.push(c);
            }
            '\n' => o.push(' '),
            _ => o.push(c),
        }
    }
    o
}

/// Text inside a single-backtick code span cannot hold a backtick.
fn code(s: &str) -> String {
    s.replace('`', "'")
}

/// A fenced block ends at a line of three backticks: break such lines in quoted text.
fn fence_safe(s: &str) -> String {
    s.replace("```", "`\u{200b}``")
}
