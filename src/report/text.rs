//! Diagnosis → what a person reads in a terminal: problems first, then what they skipped, then
//! the affected Power BI reports and other exposures, then warnings.

use crate::diagnose::Diagnosis;
use crate::report::{plural, short, summary};

pub fn render(d: &Diagnosis) -> String {
    let mut o = String::new();
    let inv = &d.invocation;
    let mut head = Vec::new();
    if let Some(c) = &inv.command {
        head.push(format!("dbt {c}"));
    }
    if let Some(v) = &inv.dbt_version {
        head.push(format!("dbt {v}"));
    }
    if let Some(a) = &inv.adapter {
        head.push(a.to_string());
    }
    if let Some(g) = &inv.generated_at {
        head.push(g.clone());
    }
    if !head.is_empty() {
        o.push_str(&head.join(" · "));
        o.push('\n');
    }
    o.push_str(&summary(d));
    o.push_str("\n\n");
    for p in &d.problems {
        problem_section(d, p, &mut o);
    }
    let orphans: Vec<&str> = d.unattributed_skipped().map(short).collect();
    if !orphans.is_empty() {
        o.push_str(&format!(
            "{} skipped with no failed ancestor: {}\n\n",
            plural(orphans.len(), "node", "nodes"),
            orphans.join(", ")
        ));
    }
    let pbi: Vec<_> = d
        .affected_powerbi()
        .filter(|e| e.kind != "semantic_model")
        .collect();
    if !pbi.is_empty() {
        o.push_str("Affected Power BI reports:\n");
        for e in pbi {
            o.push_str(&format!("  {}", e.label));
            if e.kind == "report" {
                o.push_str(" (report, from the Power BI files)");
            }
            if let Some(u) = &e.url {
                o.push_str(&format!("  {u}"));
            }
            o.push('\n');
        }
        o.push('\n');
    }
    let models: Vec<_> = d
        .affected_powerbi()
        .filter(|e| e.kind == "semantic_model")
        .collect();
    if !models.is_empty() {
        o.push_str("Affected Power BI semantic models (matched by source):\n");
        for e in models {
            o.push_str(&format!("  {}", e.label));
            if let Some(u) = &e.url {
                o.push_str(&format!("  {u}"));
            }
            o.push('\n');
            for m in &e.matched_by {
                o.push_str(&format!("    {}\n", m.describe()));
            }
        }
        o.push('\n');
    }
    let others: Vec<_> = d
        .exposures
        .iter()
        .filter(|e| e.affected && e.tool != "powerbi")
        .collect();
    if !others.is_empty() {
        o.push_str("Other affected exposures:\n");
        for e in others {
            o.push_str(&format!("  {} ({})", e.label, tool_text(e)));
            if let Some(u) = &e.url {
                o.push_str(&format!("  {u}"));
            }
            o.push('\n');
        }
        o.push('\n');
    }
    stale_section(d, &mut o);
    warned_section(d, &mut o);
    runs_section(d, &mut o);
    late_section(d, &mut o);
    if !d.warnings.is_empty() {
        o.push_str("Warnings:\n");
        for w in &d.warnings {
            o.push_str(&format!("  [{}] {}\n", w.code, w.message));
        }
        o.push('\n');
    }
    if let Some(u) = &d.share_url {
        o.push_str(u);
        o.push('\n');
    }
    while o.ends_with("\n\n") {
        o.pop();
    }
    if !o.ends_with('\n') {
        o.push('\n');
    }
    o
}

/// One problem: its roots, dbt's message, why this category, the history, the fix, the rerun,
/// what it skipped and breaks, whom to tell.
fn problem_section(d: &Diagnosis, p: &crate::diagnose::Problem, o: &mut String) {
    o.push_str(&format!("Problem {} [{}] {}\n", p.id, p.category, p.title));
    let roots: Vec<&str> = p.roots.iter().map(|r| short(r)).collect();
    if !roots.is_empty() {
        let label = if p.category == crate::Category::Freshness {
            "stale:   "
        } else {
            "failed:  "
        };
        o.push_str(&format!("  {label} {}\n", roots.join(", ")));
    }
    if let Some(e) = &p.error_type {
        o.push_str(&format!("  error:    {e}\n"));
    }
    for (i, line) in p.message.trim().lines().take(8).enumerate() {
        let label = if i == 0 { "  message: " } else { "           " };
        o.push_str(&format!("{label}{}\n", line.trim_end()));
    }
    if p.message.trim().lines().count() > 8 {
        o.push_str("           …\n");
    }
    if let Some(d) = &p.decided_by {
        o.push_str(&format!("  because:  {d}\n"));
    }
    if let Some(h) = &p.history {
        o.push_str(&format!("  history:  {}\n", crate::report::history_text(h)));
    }
    for (i, f) in p.fix.iter().enumerate() {
        let say = f.say.replace('\n', "\n         ");
        o.push_str(&format!("  fix {}: {say}\n", i + 1));
        if let Some(run) = &f.run {
            for l in run.lines() {
                o.push_str(&format!("      $ {l}\n"));
            }
        }
    }
    o.push_str(&format!("  rerun:    {}\n", p.rerun));
    if !p.skipped.is_empty() {
        let names: Vec<&str> = p.skipped.iter().take(10).map(|s| short(s)).collect();
        o.push_str(&format!(
            "  {} skipped because of this: {}{}\n",
            p.skipped.len(),
            names.join(", "),
            if p.skipped.len() > 10 { ", …" } else { "" }
        ));
    }
    if !p.affected_exposures.is_empty() {
        let labels = exposure_labels(d, &p.affected_exposures);
        o.push_str(&format!("  breaks:   {labels}\n"));
    }
    if !p.notify.is_empty() {
        let owners: Vec<String> = p.notify.iter().map(|o| o.display()).collect();
        o.push_str(&format!("  notify:   {}\n", owners.join(", ")));
    }
    o.push('\n');
}

/// The runs given, oldest first, and what the newest fixed.
fn runs_section(d: &Diagnosis, o: &mut String) {
    if d.runs.is_empty() {
        return;
    }
    o.push_str(&format!(
        "Runs given ({}, oldest first; the newest is diagnosed):\n",
        d.runs.len()
    ));
    for (i, r) in d.runs.iter().enumerate() {
        o.push_str(&format!("  {}. {}\n", i + 1, crate::report::run_text(r)));
    }
    if !d.fixed.is_empty() {
        let names: Vec<&str> = d.fixed.iter().take(10).map(|f| short(f)).collect();
        o.push_str(&format!(
            "Fixed since the run before: {}{}\n",
            names.join(", "),
            if d.fixed.len() > 10 { ", …" } else { "" }
        ));
    }
    if !d.newly_skipped.is_empty() {
        o.push_str(&format!(
            "Newly skipped: {} (not skipped in the run before)\n",
            plural(d.newly_skipped.len(), "node", "nodes")
        ));
    }
    o.push('\n');
}

/// `Executive Revenue (Power BI), Order Forecast (notebook)` for these exposure ids.
fn exposure_labels(d: &Diagnosis, ids: &[String]) -> String {
    let labels: Vec<String> = ids
        .iter()
        .map(|id| {
            d.exposures
                .iter()
                .find(|e| &e.id == id)
                .map(|e| format!("{} ({})", e.label, tool_text(e)))
                .unwrap_or_else(|| short(id).to_string())
        })
        .collect();
    labels.join(", ")
}

/// What was built from stale sources, and the exposures that show it.
fn stale_section(d: &Diagnosis, o: &mut String) {
    let exposures: Vec<String> = d
        .exposures
        .iter()
        .filter(|e| e.stale)
        .map(|e| format!("{} ({})", e.label, tool_text(e)))
        .collect();
    if d.stale.is_empty() && exposures.is_empty() {
        return;
    }
    if !d.stale.is_empty() {
        let names: Vec<&str> = d.stale.iter().take(10).map(|s| short(&s.node)).collect();
        o.push_str(&format!(
            "Built from stale data: {}{}\n",
            names.join(", "),
            if d.stale.len() > 10 { ", …" } else { "" }
        ));
    }
    if !exposures.is_empty() {
        o.push_str(&format!("Stale exposures: {}\n", exposures.join(", ")));
    }
    o.push('\n');
}

/// Exposures downstream of a source past `warn_after` (warned tests list their own).
fn late_section(d: &Diagnosis, o: &mut String) {
    if d.counts().late_sources == 0 || !d.warned.is_empty() {
        return;
    }
    let names = crate::report::at_risk_names(d);
    if !names.is_empty() {
        o.push_str(&format!(
            "At risk (downstream of a late source): {names}\n\n"
        ));
    }
}

/// Tests that warned: what they test, the rows they found, how to look, what is at risk.
fn warned_section(d: &Diagnosis, o: &mut String) {
    if d.warned.is_empty() {
        return;
    }
    o.push_str("Warned (the run went on; these rows flow downstream):\n");
    for w in &d.warned {
        let tested: Vec<&str> = w.tested.iter().map(|t| short(t)).collect();
        o.push_str(&format!("  {}", short(&w.node)));
        if !tested.is_empty() {
            o.push_str(&format!(" (tests {})", tested.join(", ")));
        }
        if let Some(n) = w.failures {
            o.push_str(&format!(": {}", plural(n as usize, "row", "rows")));
        }
        o.push('\n');
        if let Some(line) = w.message.lines().next().filter(|l| !l.trim().is_empty()) {
            o.push_str(&format!("    {}\n", line.trim()));
        }
        o.push_str(&format!(
            "    see the rows: $ {}\n",
            crate::report::warned_rows_command(w)
        ));
        if !w.at_risk_exposures.is_empty() {
            let labels = exposure_labels(d, &w.at_risk_exposures);
            o.push_str(&format!("    at risk: {labels}\n"));
        }
    }
    o.push('\n');
}

/// "Power BI", or for exposures of no known tool their type ("notebook").
/// The tool an exposure lives in, or its type (`notebook`, `dashboard`) when the tool is unknown.
pub fn tool_text(e: &crate::diagnose::Exposure) -> String {
    match (&e.tool[..], &e.exposure_type) {
        ("other", Some(t)) => t.clone(),
        (t, _) => tool_name(t).to_string(),
    }
}

pub fn tool_name(tool: &str) -> &str {
    match tool {
        "powerbi" => "Power BI",
        "tableau" => "Tableau",
        "looker" => "Looker",
        "metabase" => "Metabase",
        "mode" => "Mode",
        "sigma" => "Sigma",
        "superset" => "Superset",
        "hex" => "Hex",
        "qlik" => "Qlik",
        "thoughtspot" => "ThoughtSpot",
        "lightdash" => "Lightdash",
        "streamlit" => "Streamlit",
        other => other,
    }
}
