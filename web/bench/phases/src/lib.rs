//! The worker's load (web/src/worker.rs), step by step, timed with performance.now(); and what the
//! page then does with the reply (serde_json → Reply). Returns the times as JSON.
use dbt_triage::artifacts::InputFile;
use dbt_triage::{report, share, view};
use dbt_triage_web::protocol::{Loaded, Reply};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance)]
    fn now() -> f64;
}

#[wasm_bindgen]
pub fn phases(run_results: Vec<u8>, manifest: Vec<u8>) -> String {
    let t = now();
    let files = vec![
        ("run_results.json".to_string(), run_results),
        ("manifest.json".to_string(), manifest),
    ];
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .map(|(name, bytes)| InputFile { name, bytes })
        .collect();
    let t0 = now();
    let artifacts = dbt_triage::read(&inputs);
    let t1 = now();
    drop(inputs);
    drop(files);
    let t2 = now();
    let lineage = dbt_triage::lineage(&artifacts);
    let t3 = now();
    let diagnosis = dbt_triage::diagnose(&artifacts, &lineage);
    let t4 = now();
    let mut v = view::view(&artifacts, &lineage, &diagnosis);
    // As web/src/worker.rs: the page does not get the flat skipped list.
    if let Some(d) = &mut v.diagnosis {
        d.skipped = Vec::new();
    }
    let t5 = now();
    let share = share::link(
        &diagnosis,
        &lineage,
        "http://127.0.0.1/",
        share::DEFAULT_BUDGET,
    )
    .map_err(|e| e.to_string());
    let t6 = now();
    let markdown = report::markdown::render(&diagnosis);
    // As web/src/worker.rs: the graph's first screen is laid out before the view is posted.
    let view::Focus { shown, folded } = view::focus(&v, 1, 1, &[]);
    let edges = view::edges_among(&v, &shown);
    let first_layout = (!v.nodes.is_empty()).then(|| dbt_triage_web::protocol::FirstLayout {
        layout: dbt_triage::layout::layout(&shown, &edges, &dbt_triage::layout::Config::default()),
        shown,
        folded,
    });
    let t7 = now();
    let reply = Reply::Loaded(Box::new(Loaded {
        id: 1,
        view: v,
        read_errors: Vec::new(),
        markdown,
        // Made on demand after the first screen (Request::Share), not part of `Loaded`.
        share: None,
        shared: None,
        first_layout,
        skipped_total: Vec::new(),
        timeline: Vec::new(),
        records: Vec::new(),
    }));
    let text = serde_json::to_string(&reply).unwrap_or_default();
    let t8 = now();
    let back: Result<Reply, _> = serde_json::from_str(&text);
    let t9 = now();
    let ok = back.is_ok() && share.is_ok();
    drop(back);
    drop(reply);
    drop(diagnosis);
    drop(lineage);
    drop(artifacts);
    let t10 = now();
    format!(
        "{{\"setup\":{:.1},\"read\":{:.1},\"drop_inputs\":{:.1},\"lineage\":{:.1},\"diagnose\":{:.1},\"view\":{:.1},\"share\":{:.1},\"markdown_and_first_layout\":{:.1},\"to_json\":{:.1},\"reply_bytes\":{},\"page_from_json\":{:.1},\"page_from_json_ok\":{},\"drop_all\":{:.1},\"worker_total\":{:.1}}}",
        t0 - t, t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5, t7 - t6, t8 - t7,
        text.len(), t9 - t8, ok, t10 - t9, (t8 - t) - (t6 - t5)
    )
}

/// Linear memory now (bytes); it never shrinks, so after `phases` this is the peak.
#[wasm_bindgen]
pub fn memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size(0) * 65536) as f64
}
