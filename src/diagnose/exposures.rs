//! The exposures a diagnosis reaches: declared dbt exposures and Power BI semantic models and
//! reports matched by source, which tool each lives in, which are affected, stale or at risk,
//! and whom to tell.

use super::*;

pub(super) fn exposures(
    manifest: Option<&Manifest>,
    downstream: &HashSet<&str>,
    reach: &BTreeMap<String, HashSet<&str>>,
) -> Vec<Exposure> {
    let Some(m) = manifest else {
        return Vec::new();
    };
    m.nodes
        .values()
        .filter(|n| n.resource_type == ResourceType::Exposure)
        .map(|n| {
            let info = n.exposure.clone().unwrap_or_default();
            let affected = downstream.contains(n.unique_id.as_str());
            let caused_by: Vec<String> = reach
                .iter()
                .filter(|(_, d)| d.contains(n.unique_id.as_str()))
                .map(|(r, _)| r.clone())
                .collect();
            Exposure {
                id: n.unique_id.clone(),
                kind: "exposure".to_string(),
                label: info.label.clone().unwrap_or_else(|| n.name.clone()),
                exposure_type: info.exposure_type.clone(),
                tool: tool_of(n).to_string(),
                url: info.url.clone(),
                owner: info.owner.clone(),
                owner_email: info.owner_email.clone(),
                maturity: info.maturity.clone(),
                affected,
                caused_by,
                ..Exposure::default()
            }
        })
        .collect()
}

/// Power BI semantic models tied to dbt nodes by their tables' sources, and their reports; a
/// warning per model for the sources no dbt node builds.
pub(super) fn powerbi_exposures(
    a: &Artifacts,
    downstream: &HashSet<&str>,
    reach: &BTreeMap<String, HashSet<&str>>,
    warnings: &mut Vec<Warning>,
) -> Vec<Exposure> {
    let mut out: Vec<Exposure> = Vec::new();
    for m in a.powerbi_matches() {
        let affected = downstream.contains(m.id.as_str());
        let caused_by: Vec<String> = reach
            .iter()
            .filter(|(_, d)| d.contains(m.id.as_str()))
            .map(|(r, _)| r.clone())
            .collect();
        let url = match (&m.workspace, &m.dataset_id) {
            (Some(w), Some(id)) => {
                w.id.as_ref()
                    .map(|w| format!("https://app.powerbi.com/groups/{w}/datasets/{id}/details"))
            }
            _ => None,
        };
        if !m.unmatched.is_empty() {
            let list: Vec<String> = m
                .unmatched
                .iter()
                .map(|u| {
                    format!(
                        "{} reads {} ({})",
                        u.table,
                        u.relation.as_deref().unwrap_or("an unresolved source"),
                        u.reason
                    )
                })
                .collect();
            warnings.push(Warning::new(
                "unmatched_powerbi_source",
                format!(
                    "Power BI semantic model {}: {} source(s) match no dbt node — {}",
                    m.model,
                    m.unmatched.len(),
                    list.join("; ")
                ),
            ));
        }
        for r in &m.reports {
            out.push(Exposure {
                id: crate::graph::report_id(r),
                kind: "report".to_string(),
                label: r.name.clone(),
                exposure_type: Some("report".to_string()),
                tool: "powerbi".to_string(),
                url: r.url.clone(),
                affected,
                caused_by: caused_by.clone(),
                ..Exposure::default()
            });
        }
        out.push(Exposure {
            id: m.id.clone(),
            kind: "semantic_model".to_string(),
            label: m.model.clone(),
            exposure_type: Some("semantic_model".to_string()),
            tool: "powerbi".to_string(),
            url,
            affected,
            caused_by,
            matched_by: m
                .matched
                .iter()
                .map(|s| MatchedBy {
                    table: s.table.clone(),
                    relation: s.relation.clone(),
                    node: s.node.clone(),
                })
                .collect(),
            ..Exposure::default()
        });
    }
    // A model read twice (TMDL and scanner output) is one entry.
    let mut seen = HashSet::default();
    out.retain(|e| seen.insert(e.id.clone()));
    out
}

/// Which BI tool an exposure lives in, from its URL, then its name, label, tags and meta.
pub fn tool_of(n: &Node) -> &'static str {
    let info = n.exposure.clone().unwrap_or_default();
    if let Some(url) = &info.url {
        if let Some(t) = tool_of_url(url) {
            return t;
        }
    }
    let mut words: Vec<String> = vec![n.name.clone(), info.label.clone().unwrap_or_default()];
    words.extend(n.tags.iter().cloned());
    for (k, v) in &info.meta {
        words.push(k.clone());
        words.push(v.clone());
    }
    let text = words
        .join(" ")
        .to_ascii_lowercase()
        .replace(['_', '-'], " ");
    const NAMES: [(&str, &[&str]); 12] = [
        ("powerbi", &["power bi", "powerbi", "pbi", "fabric report"]),
        ("tableau", &["tableau"]),
        ("looker", &["looker"]),
        ("metabase", &["metabase"]),
        ("mode", &["mode analytics", "modeanalytics"]),
        ("sigma", &["sigma"]),
        ("superset", &["superset", "preset"]),
        ("hex", &["hex"]),
        ("qlik", &["qlik"]),
        ("thoughtspot", &["thoughtspot"]),
        ("lightdash", &["lightdash"]),
        ("streamlit", &["streamlit"]),
    ];
    for (tool, names) in NAMES {
        if names.iter().any(|w| contains_word(&text, w)) {
            return tool;
        }
    }
    "other"
}

pub(super) fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

/// Power BI hosts, including the national clouds; other tools by host.
pub fn tool_of_url(url: &str) -> Option<&'static str> {
    let rest = url.trim().split_once("://").map_or(url.trim(), |(_, r)| r);
    let host = rest
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
        .rsplit('@')
        .next()
        .unwrap_or_default()
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let is = |h: &str| host == h || host.ends_with(&format!(".{h}"));
    if is("app.powerbi.com")
        || is("app.fabric.microsoft.com")
        || is("app.powerbi.us")
        || is("powerbigov.us")
        || is("app.powerbi.cn")
        || is("app.powerbi.de")
        || is("powerbi.com")
    {
        return Some("powerbi");
    }
    let table: [(&str, &str); 12] = [
        ("tableau.com", "tableau"),
        ("online.tableau.com", "tableau"),
        ("looker.com", "looker"),
        ("lookerstudio.google.com", "looker"),
        ("cloud.looker.com", "looker"),
        ("metabaseapp.com", "metabase"),
        ("modeanalytics.com", "mode"),
        ("sigmacomputing.com", "sigma"),
        ("preset.io", "superset"),
        ("hex.tech", "hex"),
        ("qlikcloud.com", "qlik"),
        ("thoughtspot.cloud", "thoughtspot"),
    ];
    table.iter().find(|(h, _)| is(h)).map(|(_, t)| *t)
}

/// Marks the exposures a run that stopped early did not rebuild, and says so.
pub(super) fn mark_not_rebuilt(exposures: &mut [Exposure], nr: &not_run::NotRun) -> Warning {
    for e in exposures.iter_mut() {
        if nr.exposures.contains(&e.id) && !e.affected {
            e.stale = true;
            e.stale_because = vec!["not_run".to_string()];
        }
    }
    let stale: Vec<&Exposure> = exposures.iter().filter(|e| e.stale).collect();
    let what = match nr.nodes {
        0 => "built nothing".to_string(),
        n => {
            let shown: Vec<&str> = nr.names.iter().take(8).map(String::as_str).collect();
            let more = n.saturating_sub(shown.len());
            format!(
                "rebuilt none of the {n} {} it selects ({}{})",
                nr.kinds,
                shown.join(", "),
                if more > 0 {
                    format!(", and {more} more")
                } else {
                    String::new()
                }
            )
        }
    };
    let mut message = format!(
        "dbt stopped before running any node: `{}` {what}",
        nr.command
    );
    if let Some(why) = &nr.approximate {
        message.push_str(&format!(" (the whole project is counted: {why})"));
    }
    match stale.len() {
        0 if nr.nodes == 0 && nr.exposures.is_empty() => message.push_str(
            "; add the manifest.json of the last good run to see which exposures keep old data",
        ),
        0 => {}
        n => message.push_str(&format!(
            "; {} keep the data of their last good build: {}",
            if n == 1 {
                "1 exposure".to_string()
            } else {
                format!("{n} exposures")
            },
            exposure_names(&stale)
        )),
    }
    Warning::new("nothing_ran", message)
}

/// Exposures by label, Power BI first: `Executive Revenue, Finance KPIs (Power BI) and Order
/// Forecast`; at most five, then how many more.
pub fn exposure_names(list: &[&Exposure]) -> String {
    let mut list = list.to_vec();
    list.sort_by_key(|e| (e.tool != "powerbi", e.label.to_lowercase()));
    let powerbi: Vec<&str> = list
        .iter()
        .filter(|e| e.tool == "powerbi")
        .take(5)
        .map(|e| e.label.as_str())
        .collect();
    let mut names: Vec<String> = Vec::new();
    if !powerbi.is_empty() {
        names.push(format!("{} (Power BI)", powerbi.join(", ")));
    }
    let room = 5usize.saturating_sub(powerbi.len());
    let others: Vec<&Exposure> = list
        .iter()
        .copied()
        .filter(|e| e.tool != "powerbi")
        .collect();
    names.extend(others.iter().take(room).map(|e| e.label.clone()));
    let shown = powerbi.len() + room.min(others.len());
    if list.len() > shown {
        names.push(format!("{} more", list.len() - shown));
    }
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// Exposures downstream of a stale source are `stale` (with the sources); those downstream of a
/// warned test or of a source past `warn_after` are `at_risk`.
pub(super) fn mark_stale_and_at_risk(
    exposures: &mut [Exposure],
    fresh: &freshness::Freshness<'_>,
    warned: &[Warned],
    ctx: &Ctx<'_>,
) {
    for r in fresh
        .roots
        .iter()
        .filter(|r| r.class.category == Category::Freshness)
    {
        let below = ctx.lineage.descendants(&r.id);
        for e in exposures
            .iter_mut()
            .filter(|e| below.contains(e.id.as_str()))
        {
            e.stale = true;
            e.stale_because.push(r.id.clone());
        }
    }
    let late_below = ctx
        .lineage
        .descendants_of_all(fresh.warn.iter().map(String::as_str));
    for e in exposures.iter_mut() {
        e.stale_because.sort();
        e.at_risk = late_below.contains(e.id.as_str())
            || warned.iter().any(|w| w.at_risk_exposures.contains(&e.id));
    }
}

/// The distinct owners of these exposures, sorted by name (one entry per name: the first email
/// declared for it).
pub(super) fn owners_of(ids: &[String], exposures: &[Exposure]) -> Vec<Owner> {
    let mut owners: BTreeMap<String, Option<String>> = BTreeMap::new();
    for e in exposures.iter().filter(|e| ids.contains(&e.id)) {
        if let Some(name) = e.owner.as_deref().filter(|n| !n.trim().is_empty()) {
            let email = owners.entry(name.to_string()).or_default();
            if email.is_none() {
                email.clone_from(&e.owner_email);
            }
        }
    }
    owners
        .into_iter()
        .map(|(name, email)| Owner { name, email })
        .collect()
}
