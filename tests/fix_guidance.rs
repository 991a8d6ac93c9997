//! The fix guidance for real messages, per category and adapter family, pinned as snapshots
//! (`tests/snapshots/fix_guidance__<category>.snap`): for each category, the first real message
//! of the tuning set of each family that is classified right, and the exact steps printed for
//! it. A change to what we tell an on-call engineer shows in review as a diff; accept one with
//! `INSTA_UPDATE=always cargo test --test fix_guidance` after reading it.
//!
//! Only the message and the adapter are known here (no manifest, no compiled SQL): the story
//! snapshots (`tests/story_fixes.rs`) show the guidance with the whole run at hand.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use dbt_triage::classify::{self, Category, Context, FixContext};
use dbt_triage::Adapter;
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    id: String,
    adapter: Option<String>,
    message: String,
    category: String,
}

fn tuning_set() -> Vec<Case> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/messages");
    let mut paths = vec![dir.join("messages.jsonl")];
    let mut collected: Vec<_> = std::fs::read_dir(dir.join("collected"))
        .expect("tests/messages/collected")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    collected.sort();
    paths.extend(collected);
    paths
        .iter()
        .flat_map(|p| {
            std::fs::read_to_string(p)
                .expect("readable")
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| serde_json::from_str::<Case>(l).expect("a case"))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The guidance for one message, as the text report words it.
fn guidance(case: &Case, adapter: Option<&Adapter>) -> Option<(Category, String)> {
    let class = classify::classify(
        &case.message,
        &Context {
            adapter,
            ..Context::default()
        },
    );
    if class.category.as_str() != case.category {
        return None;
    }
    let parents = ["stg_orders".to_string()];
    let fix = classify::fixes(&FixContext {
        category: Some(class.category),
        evidence: Some(&class.evidence),
        adapter: adapter.or(class.adapter.as_ref()),
        node_name: Some("fct_orders"),
        resource_type: Some("model"),
        parents: &parents,
        command: "build",
        message: &case.message,
        ..FixContext::default()
    });
    let mut out = format!(
        "## {} ({})\n{}\n",
        case.id,
        adapter.map_or("no adapter", |a| a.as_str()),
        case.message.lines().next().unwrap_or_default()
    );
    for (i, step) in fix.iter().enumerate() {
        let _ = writeln!(out, "fix {}: {}", i + 1, step.say);
        if let Some(run) = &step.run {
            let _ = writeln!(out, "    $ {run}");
        }
    }
    Some((class.category, out))
}

#[test]
fn fix_guidance_per_category_and_family() {
    let mut per_category: BTreeMap<Category, BTreeMap<String, String>> = BTreeMap::new();
    for case in tuning_set() {
        let adapter = case.adapter.as_deref().and_then(Adapter::parse);
        let family = adapter
            .as_ref()
            .map_or("dbt".to_string(), |a| format!("{:?}", a.family()));
        let Some((category, text)) = guidance(&case, adapter.as_ref()) else {
            continue;
        };
        per_category
            .entry(category)
            .or_default()
            .entry(family)
            .or_insert(text);
    }
    assert!(
        per_category.len() >= 12,
        "categories with guidance: {:?}",
        per_category.keys().collect::<Vec<_>>()
    );
    for (category, families) in per_category {
        let text: String = families.into_values().collect::<Vec<_>>().join("\n");
        insta::assert_snapshot!(category.as_str(), text);
    }
}
