//! The classifier against real error messages collected from public sources
//! (`tests/messages/messages.jsonl`, each with its source URL). Prints the accuracy per adapter and
//! per category, lists every miss, and fails below the floor — the number is in the output, not
//! hidden in the assertion.

use std::collections::BTreeMap;

use dbt_triage::classify::{self, broken_patterns, Context};
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    id: String,
    adapter: Option<String>,
    message: String,
    category: String,
    #[serde(default)]
    evidence: BTreeMap<String, serde_json::Value>,
    source: String,
}

fn cases() -> Vec<Case> {
    let text = include_str!("messages/messages.jsonl");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad line {l}: {e}")))
        .collect()
}

/// The share of real messages whose category the classifier gets right.
const ACCURACY_FLOOR: f64 = 0.92;
/// The share of evidence values (column, object, function, …) extracted exactly.
const EVIDENCE_FLOOR: f64 = 0.93;

#[test]
fn every_pattern_compiles() {
    assert_eq!(broken_patterns(), Vec::<&str>::new());
}

#[test]
fn real_messages_are_classified() {
    let cases = cases();
    assert!(
        cases.len() >= 150,
        "the test set has {} messages",
        cases.len()
    );
    let mut per_adapter: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut per_category: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let (mut right, mut ev_right, mut ev_total) = (0, 0, 0);
    let mut misses = Vec::new();
    for c in &cases {
        let got = classify::classify(
            &c.message,
            &Context {
                adapter: c.adapter.as_deref(),
                ..Context::default()
            },
        );
        let ok = got.category.as_str() == c.category;
        right += ok as usize;
        let a = per_adapter
            .entry(c.adapter.clone().unwrap_or("dbt".into()))
            .or_default();
        a.0 += ok as usize;
        a.1 += 1;
        let k = per_category.entry(c.category.clone()).or_default();
        k.0 += ok as usize;
        k.1 += 1;
        if !ok {
            misses.push(format!(
                "  {} expected {} got {} ({})\n      {}",
                c.id,
                c.category,
                got.category,
                c.source,
                c.message
                    .lines()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or_default()
            ));
        }
        let got_ev = serde_json::to_value(&got.evidence).unwrap_or_default();
        for (key, want) in &c.evidence {
            ev_total += 1;
            let have = got_ev.get(key);
            let same = match (have, want) {
                (Some(serde_json::Value::String(h)), serde_json::Value::String(w)) => {
                    normalize(h) == normalize(w)
                }
                (Some(h), w) => h == w,
                _ => false,
            };
            if same {
                ev_right += 1;
            } else {
                misses.push(format!(
                    "  {} evidence {key}: expected {want}, got {have:?}",
                    c.id
                ));
            }
        }
    }
    let accuracy = right as f64 / cases.len() as f64;
    let ev_accuracy = ev_right as f64 / ev_total.max(1) as f64;
    println!(
        "classification: {right}/{} real messages right ({:.1}%)",
        cases.len(),
        accuracy * 100.0
    );
    println!(
        "evidence: {ev_right}/{ev_total} values extracted exactly ({:.1}%)",
        ev_accuracy * 100.0
    );
    for (a, (r, n)) in &per_adapter {
        println!("  adapter {a:<11} {r:>3}/{n:<3}");
    }
    for (k, (r, n)) in &per_category {
        println!("  category {k:<17} {r:>3}/{n:<3}");
    }
    println!("misses:\n{}", misses.join("\n"));
    assert!(
        accuracy >= ACCURACY_FLOOR,
        "accuracy {accuracy:.3} below {ACCURACY_FLOOR}"
    );
    assert!(
        ev_accuracy >= EVIDENCE_FLOOR,
        "evidence accuracy {ev_accuracy:.3} below {EVIDENCE_FLOOR}"
    );
}

fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '"' | '`' | '\'' | '[' | ']'))
        .collect::<String>()
        .to_ascii_lowercase()
}
