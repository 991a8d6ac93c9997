//! Prints the fix guidance for every message of a message file (`tests/messages/…/*.jsonl`), as
//! `tests/fix_guidance.rs` builds it: the message and its adapter only, a model `fct_orders`
//! reading `stg_orders`, run by `dbt build`. For reviewing the guidance on messages nobody tuned
//! it on: `cargo run --release --example fixes_for_messages -- tests/messages/holdout/*.jsonl`.

use dbt_triage::classify::{self, Context, FixContext};
use dbt_triage::Adapter;

fn main() {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).expect("a readable message file");
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let case: serde_json::Value =
                serde_json::from_str(line).expect("one JSON object a line");
            let field = |k: &str| case.get(k).and_then(|v| v.as_str()).unwrap_or_default();
            let message = field("message");
            let adapter = Adapter::parse(field("adapter"));
            let class = classify::classify(
                message,
                &Context {
                    adapter: adapter.as_ref(),
                    ..Context::default()
                },
            );
            let parents = ["stg_orders".to_string()];
            let steps = classify::fixes(&FixContext {
                category: Some(class.category),
                evidence: Some(&class.evidence),
                adapter: adapter.as_ref().or(class.adapter.as_ref()),
                node_name: Some("fct_orders"),
                resource_type: Some("model"),
                parents: &parents,
                command: "build",
                message,
                ..FixContext::default()
            });
            println!(
                "## {} ({}) — classified {}, labelled {}",
                field("id"),
                adapter.as_ref().map_or("no adapter", |a| a.as_str()),
                class.category.as_str(),
                field("category")
            );
            for (i, step) in steps.iter().enumerate() {
                println!("fix {}: {}", i + 1, step.say);
                if let Some(run) = &step.run {
                    println!("    $ {run}");
                }
            }
            println!();
        }
    }
}
