//! Bad and odd inputs: each gets a clear answer that names the file and says what to do, and
//! never a panic. Broken files are made here from real fixtures (cut, swapped, renamed) or by hand
//! where no dbt run can produce them (garbage, deep nesting).

use std::path::Path;

use dbt_triage::artifacts::{self, InputKind};
use dbt_triage::InputFile;

fn fixture(rel: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// How each input was taken: (kind, detail or problem).
fn taken(files: &[(&str, &[u8])]) -> Vec<(InputKind, String)> {
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .map(|(name, bytes)| InputFile { name, bytes })
        .collect();
    artifacts::read(&inputs)
        .inputs
        .into_iter()
        .map(|i| (i.kind, i.problem.unwrap_or(i.detail)))
        .collect()
}

#[track_caller]
fn check(name: &str, bytes: &[u8], kind: InputKind, says: &str) {
    let got = taken(&[(name, bytes)]);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, kind, "{name}: {}", got[0].1);
    assert!(
        got[0].1.contains(says),
        "{name}: expected to say `{says}`, said `{}`",
        got[0].1
    );
}

#[test]
fn files_are_recognized_by_content_not_name() {
    let rr = fixture("renamed_column/target/run_results.json");
    let m = fixture("renamed_column/target/manifest.json");
    let log = fixture("renamed_column/logs/dbt.log");
    check(
        "manifest.json",
        &rr,
        InputKind::RunResults,
        "run_results v6",
    );
    check("run_results.json", &m, InputKind::Manifest, "manifest v12");
    check("whatever.txt", &log, InputKind::Log, "dbt log");
    check(
        "console.txt",
        &fixture("renamed_column_jsonlog/console.txt"),
        InputKind::Log,
        "dbt log",
    );
}

#[test]
fn old_schema_versions_are_read() {
    for (story, rr, m) in [
        ("renamed_column@dbt-0.19", "run_results v1", "manifest v1"),
        ("renamed_column@dbt-0.20", "run_results v2", "manifest v2"),
        ("renamed_column@dbt-0.21", "run_results v3", "manifest v3"),
        ("renamed_column@dbt-1.0", "run_results v4", "manifest v4"),
        ("renamed_column@dbt-1.3", "run_results v4", "manifest v7"),
        ("renamed_column@dbt-1.5", "run_results v4", "manifest v9"),
        ("renamed_column@dbt-1.7", "run_results v5", "manifest v11"),
        ("renamed_column@dbt-1.8", "run_results v6", "manifest v12"),
    ] {
        let rrb = fixture(&format!("{story}/target/run_results.json"));
        let mb = fixture(&format!("{story}/target/manifest.json"));
        check(story, &rrb, InputKind::RunResults, rr);
        check(story, &mb, InputKind::Manifest, m);
    }
}

#[test]
fn empty_file() {
    check("run_results.json", b"", InputKind::Unreadable, "empty");
    check(
        "run_results.json",
        b"  \n\t ",
        InputKind::Unreadable,
        "empty",
    );
}

#[test]
fn truncated_json_says_so() {
    let m = fixture("renamed_column/target/manifest.json");
    check(
        "manifest.json",
        &m[..m.len() / 2],
        InputKind::Unreadable,
        "truncated",
    );
    let rr = fixture("renamed_column/target/run_results.json");
    check(
        "run_results.json",
        &rr[..rr.len() - 10],
        InputKind::Unreadable,
        "truncated",
    );
}

#[test]
fn other_dbt_artifacts_are_named() {
    let catalog = br#"{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/catalog/v1.json"}, "nodes": {}, "sources": {}}"#;
    check("catalog.json", catalog, InputKind::Ignored, "catalog.json");
    let sources = br#"{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/sources/v3.json"}, "results": []}"#;
    // sources.json is an input now: `dbt source freshness` results.
    check(
        "sources.json",
        sources,
        InputKind::Sources,
        "sources (freshness) v3 · 0 sources",
    );
    let semantic = br#"{"semantic_models": [], "metrics": [], "project_configuration": {}}"#;
    check(
        "semantic_manifest.json",
        semantic,
        InputKind::Ignored,
        "semantic",
    );
}

#[test]
fn garbage_and_foreign_files() {
    check(
        "x.bin",
        &[0u8, 159, 146, 150, 0, 1, 2],
        InputKind::Unreadable,
        "binary",
    );
    check(
        "x.zip",
        b"PK\x03\x04rest-of-zip",
        InputKind::Unreadable,
        "unzip",
    );
    check(
        "x.gz",
        b"\x1f\x8b\x08\x00",
        InputKind::Unreadable,
        "damaged",
    );
    check(
        "package.json",
        br#"{"name": "x", "version": "1.0.0"}"#,
        InputKind::Unreadable,
        "not a dbt artifact",
    );
    check(
        "notes.txt",
        b"hello world",
        InputKind::Unreadable,
        "neither a dbt artifact nor a dbt log",
    );
    check(
        "list.json",
        b"[1, 2, 3]",
        InputKind::Unreadable,
        "JSON list",
    );
}

#[test]
fn deep_nesting_is_an_answer_not_a_crash() {
    let mut s = String::from(
        r#"{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v12.json"}, "nodes": {"x": "#,
    );
    for _ in 0..100_000 {
        s.push_str("{\"a\": ");
    }
    s.push('1');
    for _ in 0..100_000 {
        s.push('}');
    }
    s.push_str("}}");
    // Deep inside a part that is skipped: read leniently, the node is kept, nothing overflows.
    check(
        "manifest.json",
        s.as_bytes(),
        InputKind::Manifest,
        "manifest v12 · 1 nodes",
    );
    // Deep inside a field that is read: a clear answer.
    let deep_field = s.replacen(r#""nodes": {"x": "#, r#""nodes": {"x": {"name": "#, 1) + "}";
    check(
        "manifest.json",
        deep_field.as_bytes(),
        InputKind::Unreadable,
        "manifest.json",
    );
    let deep_list = "[".repeat(1_000_000);
    check(
        "deep.json",
        deep_list.as_bytes(),
        InputKind::Unreadable,
        "JSON list",
    );
}

#[test]
fn newer_schema_is_read_with_a_warning() {
    let rr = String::from_utf8(fixture("renamed_column/target/run_results.json")).unwrap();
    let newer = rr.replace("run-results/v6.json", "run-results/v9.json");
    let m = String::from_utf8(fixture("renamed_column/target/manifest.json")).unwrap();
    let newer_m = m.replace("manifest/v12.json", "manifest/v20.json");
    let inputs = [
        InputFile {
            name: "run_results.json",
            bytes: newer.as_bytes(),
        },
        InputFile {
            name: "manifest.json",
            bytes: newer_m.as_bytes(),
        },
    ];
    let (_, d) = dbt_triage::diagnose_files(&inputs);
    let codes: Vec<&str> = d.warnings.iter().map(|w| w.code.as_str()).collect();
    assert_eq!(codes, ["unknown_schema_version", "unknown_schema_version"]);
    assert!(
        d.warnings[1].message.contains("manifest v20"),
        "{}",
        d.warnings[1].message
    );
    assert_eq!(d.problems.len(), 1, "still diagnosed");
    assert_eq!(d.problems[0].roots, ["model.shop.stg_customers"]);
}

#[test]
fn a_bad_file_beside_good_ones_is_a_warning() {
    let rr = fixture("renamed_column/target/run_results.json");
    let inputs = [
        InputFile { name: "target/run_results.json", bytes: &rr },
        InputFile { name: "target/manifest.json", bytes: b"{\"metadata\": {\"dbt_schema_version\": \"https://schemas.getdbt.com/dbt/manifest/v12.json\"}, \"nodes\": {" },
    ];
    let (_, d) = dbt_triage::diagnose_files(&inputs);
    let w: Vec<(&str, &str)> = d
        .warnings
        .iter()
        .map(|w| (w.code.as_str(), w.message.as_str()))
        .collect();
    assert_eq!(w[0].0, "unreadable_input");
    assert!(
        w[0].1.starts_with("target/manifest.json: ") && w[0].1.contains("truncated"),
        "{}",
        w[0].1
    );
    assert_eq!(d.problems.len(), 1);
    // Without the manifest the skipped nodes cannot be attributed: said, not guessed.
    assert!(d.skipped.iter().all(|s| s.caused_by.is_empty()));
    assert!(d.warnings.iter().any(|w| w.code == "missing_manifest"));
}

#[test]
fn two_run_results_use_the_newer() {
    // Two real runs: a green one and a failed one. Whichever dbt wrote last is used.
    let green = fixture("all_green/target/run_results.json");
    let failed = fixture("renamed_column/target/run_results.json");
    let generated = |b: &[u8]| {
        let v: serde_json::Value = serde_json::from_slice(b).unwrap();
        v["metadata"]["generated_at"].as_str().unwrap().to_string()
    };
    let failed_is_newer = generated(&failed) > generated(&green);
    let inputs = [
        InputFile {
            name: "a/run_results.json",
            bytes: &failed,
        },
        InputFile {
            name: "b/run_results.json",
            bytes: &green,
        },
    ];
    let (_, d) = dbt_triage::diagnose_files(&inputs);
    // Two invocations are two runs: the newer is diagnosed, the older gives history.
    assert_eq!(d.runs.len(), 2);
    let newest = if failed_is_newer { &failed } else { &green };
    assert_eq!(
        d.invocation.generated_at.as_deref(),
        Some(&generated(newest)[..])
    );
    assert_eq!(d.problems.len(), usize::from(failed_is_newer));
    // The same file given twice is one run, said in a warning naming the one used.
    let twice = [
        InputFile {
            name: "a/run_results.json",
            bytes: &failed,
        },
        InputFile {
            name: "copy/run_results.json",
            bytes: &failed,
        },
    ];
    let (_, d) = dbt_triage::diagnose_files(&twice);
    assert!(d.runs.is_empty());
    let w = d
        .warnings
        .iter()
        .find(|w| w.code == "multiple_run_results")
        .expect("warned");
    assert!(
        w.message.contains("the newest, copy/run_results.json"),
        "{}",
        w.message
    );
}

#[test]
fn results_and_manifest_from_different_projects() {
    // The all-green manifest lacks nothing, so take one from an older dbt whose ids differ in
    // tests (hash suffixes) — a manifest of another state of the project.
    let rr = fixture("renamed_column/target/run_results.json");
    let m = fixture("renamed_column@dbt-0.19/target/manifest.json");
    let inputs = [
        InputFile {
            name: "run_results.json",
            bytes: &rr,
        },
        InputFile {
            name: "manifest.json",
            bytes: &m,
        },
    ];
    let (_, d) = dbt_triage::diagnose_files(&inputs);
    let codes: Vec<&str> = d.warnings.iter().map(|w| w.code.as_str()).collect();
    assert!(codes.contains(&"version_mismatch"), "{codes:?}");
}

#[test]
fn a_zipped_target_folder_is_opened() {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for rel in [
        "target/run_results.json",
        "target/manifest.json",
        "logs/dbt.log",
    ] {
        w.start_file(format!("dbt-artifacts/{rel}"), opts).unwrap();
        w.write_all(&fixture(&format!("permission_denied/{rel}")))
            .unwrap();
    }
    let z = w.finish().unwrap().into_inner();
    let got = taken(&[("dbt-artifacts.zip", &z)]);
    let kinds: Vec<InputKind> = got.iter().map(|g| g.0).collect();
    assert_eq!(
        kinds,
        [InputKind::RunResults, InputKind::Manifest, InputKind::Log]
    );
    let (_, d) = dbt_triage::diagnose_files(&[InputFile {
        name: "dbt-artifacts.zip",
        bytes: &z,
    }]);
    assert_eq!(d.problems.len(), 1);
    assert_eq!(d.problems[0].roots.len(), 3);
}

/// A run_results.json dropped with a manifest.json of another run on another warehouse: the mix
/// is flagged with both runs, and the fix follows the warehouse whose errors these are.
#[test]
fn a_manifest_of_another_warehouse_is_flagged_and_does_not_decide_the_adapter() {
    let rr = fixture("permission_denied/target/run_results.json");
    let m = fixture("renamed_column/target/manifest.json");
    let inputs = [
        InputFile {
            name: "run_results.json",
            bytes: &rr,
        },
        InputFile {
            name: "manifest.json",
            bytes: &m,
        },
    ];
    let (_, d) = dbt_triage::diagnose_files(&inputs);
    let w = d
        .warnings
        .iter()
        .find(|w| w.code == "foreign_manifest")
        .unwrap_or_else(|| panic!("no foreign_manifest warning: {:?}", d.warnings));
    assert!(w.message.contains("on DuckDB"), "{}", w.message);
    assert!(w.message.contains("PostgreSQL's"), "{}", w.message);
    let run_id = serde_json::from_slice::<serde_json::Value>(&rr).unwrap()["metadata"]
        ["invocation_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(w.message.contains(&run_id), "{}", w.message);
    assert_eq!(
        d.invocation.adapter.as_ref().map(|a| a.as_str()),
        Some("postgres")
    );
    let fix: String = d.problems[0]
        .fix
        .iter()
        .map(|f| format!("{} {}", f.say, f.run.as_deref().unwrap_or_default()))
        .collect();
    assert!(!fix.contains("DuckDB"), "{fix}");
    assert!(fix.contains("GRANT USAGE ON SCHEMA"), "{fix}");

    // The same run's own manifest raises nothing of the kind.
    let own = fixture("permission_denied/target/manifest.json");
    let inputs = [
        InputFile {
            name: "run_results.json",
            bytes: &rr,
        },
        InputFile {
            name: "manifest.json",
            bytes: &own,
        },
    ];
    let (_, d) = dbt_triage::diagnose_files(&inputs);
    assert!(
        d.warnings.iter().all(|w| w.code != "foreign_manifest"),
        "{:?}",
        d.warnings
    );
}

/// Artifacts kept gzipped (`manifest.json.gz`, as CI systems often store them) are read as the
/// files they hold; a ZIP of a PBIP folder gives its semantic model; the files dbt writes into
/// target/ that a diagnosis does not need are named as such, quietly — no warning.
#[test]
fn gzipped_artifacts_and_a_target_folder_as_dbt_writes_it() {
    use std::io::Write;
    let gz = |bytes: &[u8]| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    };
    let rr = gz(&fixture("renamed_column/target/run_results.json"));
    let m = gz(&fixture("renamed_column/target/manifest.json"));
    let graph_summary = br#"{"_invocation_id": "x", "linked": {"0": {"name": "model.shop.a"}}}"#;
    let inputs = [
        InputFile {
            name: "run_results.json.gz",
            bytes: &rr,
        },
        InputFile {
            name: "manifest.json.gz",
            bytes: &m,
        },
        InputFile {
            name: "target/graph_summary.json",
            bytes: graph_summary,
        },
        InputFile {
            name: "target/partial_parse.msgpack",
            bytes: b"\x83\xa4meta\x00\x01",
        },
    ];
    let (reports, d) = dbt_triage::diagnose_files(&inputs);
    let kinds: Vec<(&str, InputKind)> = reports
        .inputs
        .iter()
        .map(|r| (r.name.as_str(), r.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("run_results.json.gz", InputKind::RunResults),
            ("manifest.json.gz", InputKind::Manifest),
            ("target/graph_summary.json", InputKind::Ignored),
            ("target/partial_parse.msgpack", InputKind::Ignored),
        ]
    );
    assert!(
        reports.inputs.iter().all(|r| r.problem.is_none()),
        "{:?}",
        reports.inputs
    );
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    assert_eq!(d.problems.len(), 1);
    assert_eq!(d.problems[0].skipped.len(), 3);
}
