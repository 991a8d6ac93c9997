//! Diagnosis → text: the printers the CLI and the app share. Each is a plain function of the
//! diagnosis (and, for names, the manifest's labels); none does I/O.

pub mod json;
pub mod markdown;
pub mod text;

use crate::diagnose::Diagnosis;

/// A node's display name from its unique_id: `model.shop.stg_orders` → `stg_orders`,
/// `test.shop.unique_orders_id.e3b841c71a` → `unique_orders_id`, `source.shop.raw.orders` →
/// `raw.orders`.
pub fn short(id: &str) -> &str {
    let mut parts = id.splitn(3, '.');
    let kind = parts.next().unwrap_or_default();
    let _package = parts.next();
    let Some(rest) = parts.next() else {
        // `model.stg_orders`, as log-only diagnoses name nodes without a manifest.
        return id.split_once('.').map_or(id, |(_, name)| name);
    };
    match kind {
        // Generic tests end with a hash: the name is the part before it.
        "test" => match rest.rsplit_once('.') {
            Some((name, hash))
                if hash.len() == 10 && hash.bytes().all(|b| b.is_ascii_hexdigit()) =>
            {
                name
            }
            _ => rest,
        },
        "source" => rest,
        _ => id.rsplit('.').next().unwrap_or(id),
    }
}

/// "1 problem took down 7 models and 2 Power BI reports" — the summary line.
pub fn summary(d: &Diagnosis) -> String {
    use crate::diagnose::Status;
    let c = d.counts();
    match d.status {
        Status::Success if d.problems.is_empty() && c.warned + c.late_sources == 0 => {
            return match d.fixed.len() {
                0 => "The run succeeded: nothing failed.".to_string(),
                n => format!(
                    "The run succeeded: nothing failed, {} fixed since the run before.",
                    plural(n, "node", "nodes")
                ),
            };
        }
        Status::Success if d.problems.is_empty() => {
            let mut what = Vec::new();
            if c.warned > 0 {
                what.push(plural(c.warned, "warning", "warnings"));
            }
            if c.late_sources > 0 {
                what.push(plural(c.late_sources, "late source", "late sources"));
            }
            let mut s = format!("The run succeeded with {}", what.join(" and "));
            let names = at_risk_names(d);
            if !names.is_empty() {
                s.push_str(&format!(" — at risk: {names}"));
            }
            return s;
        }
        Status::NoResults if d.problems.is_empty() => {
            return "Nothing to diagnose: no run results and no failure in the log.".to_string();
        }
        _ => {}
    }
    let problems = plural(c.problems, "problem", "problems");
    let failed = c.roots - c.stale_sources;
    let mut counted = Vec::new();
    if failed > 0 {
        counted.push(format!("{} failed", plural(failed, "node", "nodes")));
    }
    if c.stale_sources > 0 {
        counted.push(plural(c.stale_sources, "stale source", "stale sources"));
    }
    let mut s = if counted.is_empty() {
        problems
    } else {
        format!("{problems} ({})", counted.join(", "))
    };
    if c.skipped > 0 {
        s.push_str(&format!(", {} skipped", plural(c.skipped, "node", "nodes")));
    }
    if c.powerbi + c.powerbi_models > 0 {
        let mut what = Vec::new();
        if c.powerbi > 0 {
            what.push(plural(c.powerbi, "Power BI report", "Power BI reports"));
        }
        if c.powerbi_models > 0 {
            what.push(plural(
                c.powerbi_models,
                "Power BI semantic model",
                "Power BI semantic models",
            ));
        }
        s.push_str(&format!(", {} affected", what.join(" and ")));
        let others = c.exposures - c.powerbi - c.powerbi_models;
        if others > 0 {
            s.push_str(&format!(
                " and {} more",
                plural(others, "exposure", "exposures")
            ));
        }
    } else if c.exposures > 0 {
        s.push_str(&format!(
            ", {} affected",
            plural(c.exposures, "exposure", "exposures")
        ));
    }
    if c.stale_exposures > 0 {
        s.push_str(&format!(
            ", {} stale",
            plural(c.stale_exposures, "exposure", "exposures")
        ));
    }
    if d.status == Status::NoResults {
        s.push_str(" — from the log; dbt wrote no results for this invocation");
    }
    s
}

/// The exposures at risk by label, Power BI first (see [`crate::diagnose::exposure_names`]).
pub fn at_risk_names(d: &Diagnosis) -> String {
    let at_risk: Vec<&crate::diagnose::Exposure> =
        d.exposures.iter().filter(|e| e.at_risk).collect();
    crate::diagnose::exposure_names(&at_risk)
}

/// A problem's history in words: `recurring — failed in 2 of the last 3 runs, since
/// 2026-11-28T02:00:00Z`, `new — passed in the last 4 runs before this one`, `flapping — …`.
pub fn history_text(h: &crate::diagnose::history::History) -> String {
    use crate::diagnose::history::HistoryState;
    let since = h
        .first_failed_at
        .as_deref()
        .map(|t| format!(", first at {t}"))
        .unwrap_or_default();
    let passed = h
        .last_passed_at
        .as_deref()
        .map(|t| format!("; last passed {t}"))
        .unwrap_or_default();
    match h.state {
        HistoryState::New if h.ran_in > 1 => format!(
            "new — {} before this one passed it",
            plural(h.ran_in - 1, "run", "runs")
        ),
        HistoryState::New => "new — no earlier run given ran it".to_string(),
        HistoryState::Recurring => format!(
            "recurring — failed in {} of the last {} that ran it{since}{passed}",
            h.failed_in,
            plural(h.ran_in, "run", "runs")
        ),
        HistoryState::Flapping => format!(
            "flapping — failed in {} of the last {} that ran it, passing in between{since}{passed}",
            h.failed_in,
            plural(h.ran_in, "run", "runs")
        ),
    }
}

/// One run of a history in a few words: `2026-11-28T02:00:00Z · build · 1 error, 3 skipped`.
pub fn run_text(r: &crate::diagnose::history::Run) -> String {
    let c = &r.counts;
    let mut counts: Vec<String> = Vec::new();
    for (n, word) in [(c.error, "error"), (c.fail, "failed"), (c.warn, "warned")] {
        if n > 0 {
            counts.push(format!("{n} {word}"));
        }
    }
    if c.skipped > 0 {
        counts.push(format!("{} skipped", c.skipped));
    }
    if counts.is_empty() {
        counts.push(format!("all {} passed", c.success));
    }
    let mut head: Vec<&str> = Vec::new();
    head.extend(r.generated_at.as_deref());
    head.extend(r.command.as_deref());
    format!("{} · {}", head.join(" · "), counts.join(", "))
}

/// How to see the rows a warned test found: rerun it storing them in a table.
pub fn warned_rows_command(w: &crate::diagnose::Warned) -> String {
    format!("dbt test --select {} --store-failures", short(&w.node))
}

/// Our own sentences (titles, fix steps) put names in backticks: the pieces of `s`, each marked
/// whether it was inside a pair of backticks. `None` for an odd number of backticks (no pairing
/// to trust): the text is then shown as it is.
pub fn code_spans(s: &str) -> Option<Vec<(&str, bool)>> {
    let parts: Vec<&str> = s.split('`').collect();
    if parts.len() % 2 == 0 {
        return None;
    }
    Some(
        parts
            .into_iter()
            .enumerate()
            .filter(|(_, p)| !p.is_empty())
            .map(|(i, p)| (p, i % 2 == 1))
            .collect(),
    )
}

pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}
