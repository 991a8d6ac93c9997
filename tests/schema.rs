//! The diagnosis JSON against its schema, `schema/diagnosis.v1.json`: the `--format json` of
//! every story (with and without `--share-base`, and of its log alone), of Power BI projects, of
//! runs the page remembered, of real logs as users paste them, and of the public failures beside
//! the repository (skipped, saying so, when that folder is absent). The schema is strict: a field
//! or a value the output gains without the schema fails here, and so does one the schema loses.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use dbt_triage::{Artifacts, InputFile};
use jsonschema::Validator;
use serde_json::{json, Value};

mod common;

/// Where the share links of these tests point.
const SHARE_BASE: &str = "https://example.org/dbt-triage/";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn schema() -> Value {
    let path = repo().join("schema/diagnosis.v1.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The schema compiled once, formats (`uri`) checked too.
fn validator() -> &'static Validator {
    static VALIDATOR: OnceLock<Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(&schema())
            .expect("the schema compiles")
    })
}

/// Each way `json` breaks the schema, as `<where in the JSON>: <the validator's message>`.
fn errors(json: &Value) -> Vec<String> {
    validator()
        .iter_errors(json)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// Adds `what`'s disagreements with the schema to `wrong`.
fn check(what: &str, json: &Value, wrong: &mut Vec<String>) {
    wrong.extend(errors(json).into_iter().map(|e| format!("{what}: {e}")));
}

#[track_caller]
fn assert_none(wrong: &[String]) {
    assert!(
        wrong.is_empty(),
        "{} disagreements with schema/diagnosis.v1.json:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// The JSON the CLI prints for these artifacts, without and with `--share-base`: the same steps
/// as `main.rs` (read, lineage, diagnose, share link, `report::json`), the diagnosis made once.
fn json_of_artifacts(a: &Artifacts) -> [Value; 2] {
    let lineage = dbt_triage::lineage(a);
    let mut d = dbt_triage::diagnose(a, &lineage);
    let parse = |d: &dbt_triage::Diagnosis| -> Value {
        serde_json::from_str(&dbt_triage::report::json::render(d)).expect("the JSON parses")
    };
    let plain = parse(&d);
    let link = dbt_triage::share::link(&d, &lineage, SHARE_BASE, dbt_triage::share::DEFAULT_BUDGET)
        .expect("a share link");
    d.share_url = Some(link);
    [plain, parse(&d)]
}

fn json_of(files: &[(String, Vec<u8>)]) -> [Value; 2] {
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .map(|(name, bytes)| InputFile { name, bytes })
        .collect();
    json_of_artifacts(&dbt_triage::read(&inputs))
}

/// Checks both forms, naming the case and the form; returns the one without a share link.
fn check_both(what: &str, files: &[(String, Vec<u8>)], wrong: &mut Vec<String>) -> Value {
    let [plain, shared] = json_of(files);
    assert!(shared["share_url"].is_string(), "{what}: no share_url");
    check(what, &plain, wrong);
    check(&format!("{what} --share-base"), &shared, wrong);
    plain
}

/// The story folders under tests/fixtures, sorted.
fn stories() -> Vec<PathBuf> {
    let dir = repo().join("tests/fixtures");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    assert!(out.len() > 30, "stories in {}: {out:?}", dir.display());
    out
}

fn name_of(p: &Path) -> &str {
    p.file_name().and_then(|n| n.to_str()).unwrap_or_default()
}

#[test]
fn the_schema_is_valid_draft_2020_12() {
    let s = schema();
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    if let Err(e) = jsonschema::draft202012::meta::validate(&s) {
        panic!("not a valid 2020-12 schema at {}: {e}", e.instance_path());
    }
    // The meta-schema check has teeth: a misspelt type is caught.
    assert!(jsonschema::draft202012::meta::validate(&json!({"type": "integr"})).is_err());
    // Every reference resolves and every pattern compiles.
    let _ = validator();
    assert_eq!(
        s["properties"]["schema"]["const"],
        dbt_triage::diagnose::SCHEMA
    );
}

#[test]
fn the_schema_lists_the_categories_of_the_code() {
    let listed = &schema()["$defs"]["category"]["enum"];
    let ours: Vec<&str> = dbt_triage::Category::ALL
        .iter()
        .map(|c| c.as_str())
        .collect();
    assert_eq!(listed, &json!(ours));
}

#[test]
fn every_story_validates() {
    let mut wrong = Vec::new();
    let mut seen = std::collections::BTreeMap::new();
    for dir in stories() {
        let json = check_both(name_of(&dir), &common::story_files(&dir), &mut wrong);
        seen.insert(name_of(&dir).to_string(), json);
    }
    assert_none(&wrong);
    // The stories hold the parts added to v1, so that the schema's parts for them are tested
    // too: history, freshness, a green run's warnings.
    let history = &seen["history"];
    assert_eq!(history["runs"].as_array().map(Vec::len), Some(5));
    assert!(history["problems"][0]["history"]["state"].is_string());
    let fresh = &seen["source_freshness"];
    assert!(fresh["problems"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["category"] == "freshness" && p["evidence"]["age_s"].is_u64()));
    assert!(fresh["stale"].is_array());
    assert!(seen["warned_test"]["warned"].is_array());
}

#[test]
fn every_storys_log_alone_validates() {
    // As when dbt died before writing results: a `no_results` diagnosis from the log. (A test
    // of its own: reading the logs is most of the time these tests take, and tests run side by
    // side.)
    let mut wrong = Vec::new();
    for dir in stories() {
        for log in ["logs/dbt.log", "console.txt"] {
            let files = common::read_some(&dir, &[log]);
            if !files.is_empty() {
                check_both(&format!("{} {log}", name_of(&dir)), &files, &mut wrong);
            }
        }
    }
    assert_none(&wrong);
}

#[test]
fn runs_remembered_by_the_page_validate() {
    // Runs 1 and 2 of the history story remembered from earlier visits, run 3 dropped now.
    let dir = repo().join("tests/fixtures/history");
    let read = |rels: &[&str]| -> Artifacts {
        let files = common::read_some(&dir, rels);
        let inputs: Vec<InputFile<'_>> = files
            .iter()
            .map(|(name, bytes)| InputFile { name, bytes })
            .collect();
        dbt_triage::read(&inputs)
    };
    let earlier = read(&[
        "run1/target/run_results.json",
        "run2/target/run_results.json",
    ]);
    let records = dbt_triage::diagnose::history::records(&earlier);
    let mut now = read(&["run3/target/run_results.json", "run5/target/manifest.json"]);
    now.remembered = records.iter().map(|r| r.to_run_results()).collect();
    let [plain, shared] = json_of_artifacts(&now);
    assert_eq!(plain["runs"][0]["remembered"], true);
    let mut wrong = Vec::new();
    check("history, runs 1-2 remembered", &plain, &mut wrong);
    check(
        "history, runs 1-2 remembered --share-base",
        &shared,
        &mut wrong,
    );
    assert_none(&wrong);
}

#[test]
fn power_bi_projects_validate() {
    let mut wrong = Vec::new();
    let fixtures = repo().join("tests/fixtures");
    for (story, project) in [
        ("two_roots", "pbip"),
        ("two_roots", "scanner"),
        ("renamed_column@dbt-1.8", "model_bim"),
    ] {
        let mut files = common::story_files(&fixtures.join(story));
        let dir = repo().join("tests/powerbi").join(project);
        files_under(&dir, &mut files);
        let [plain, _] = json_of(&files);
        let kinds: Vec<&Value> = plain["exposures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| &e["kind"])
            .collect();
        assert!(
            kinds.contains(&&json!("semantic_model")),
            "{story} + {project}: {kinds:?}"
        );
        check_both(&format!("{story} + {project}"), &files, &mut wrong);
    }
    assert_none(&wrong);
}

/// Every file below `dir`, named by its path (Power BI files are told apart by it).
fn files_under(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| Some(e.ok()?.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files_under(&p, out);
        } else {
            let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            out.push((p.display().to_string(), bytes));
        }
    }
}

#[test]
fn real_logs_validate() {
    let mut wrong = Vec::new();
    for folder in ["tests/logs/wrapped", "tests/logs/fusion"] {
        let dir = repo().join(folder);
        let mut logs: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|e| Some(e.ok()?.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        logs.sort();
        assert!(!logs.is_empty(), "no logs in {}", dir.display());
        for log in logs {
            let bytes = std::fs::read(&log).unwrap();
            let what = format!("{folder}/{}", name_of(&log));
            check_both(&what, &[("console.txt".to_string(), bytes)], &mut wrong);
        }
    }
    assert_none(&wrong);
}

#[test]
fn public_failures_validate() {
    let dir = repo().join("../shared/public-failures");
    if !dir.is_dir() {
        println!(
            "skipped: {} is absent (it lives beside the repository, not in it)",
            dir.display()
        );
        return;
    }
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases in {}", dir.display());
    let mut wrong = Vec::new();
    for case in &cases {
        // The files as dbt left them (gzipped ones too: the reader opens them), without the
        // answer key and the notes on where they come from.
        let mut files = Vec::new();
        for p in std::fs::read_dir(case)
            .unwrap()
            .filter_map(|e| Some(e.ok()?.path()))
        {
            let name = name_of(&p).to_string();
            if p.is_file() && name != "expected.json" && !name.ends_with(".md") {
                files.push((name, std::fs::read(&p).unwrap()));
            }
        }
        files.sort();
        check_both(name_of(case), &files, &mut wrong);
    }
    assert_none(&wrong);
}

#[test]
fn the_binary_prints_what_the_schema_says() {
    // The bytes the CLI writes, not only the library's: a story with skipped nodes and reports,
    // with a share link, and a log-only one.
    let mut wrong = Vec::new();
    for args in [
        &["two_roots", "--share-base", SHARE_BASE][..],
        &["jinja_error/logs/dbt.log"][..],
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_dbt-triage"))
            .arg("diagnose")
            .args(args)
            .args(["--format", "json"])
            .current_dir(repo().join("tests/fixtures"))
            .output()
            .expect("the binary runs");
        assert_eq!(
            o.status.code(),
            Some(1),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let v: Value = serde_json::from_slice(&o.stdout).expect("the JSON parses");
        check(&args.join(" "), &v, &mut wrong);
    }
    assert_none(&wrong);
}

/// A real diagnosis, as JSON, to break in the tests below.
fn permission_denied() -> Value {
    let dir = repo().join("tests/fixtures/permission_denied");
    serde_json::to_value(common::diagnose(&common::story_files(&dir))).unwrap()
}

#[track_caller]
fn assert_rejected(json: &Value, expected: &[&str]) {
    assert_eq!(errors(json), expected);
}

#[test]
fn an_unknown_category_is_rejected() {
    let mut v = permission_denied();
    assert_rejected(&v, &[]);
    v["problems"][0]["category"] = json!("flaky_warehouse");
    let e = errors(&v);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].starts_with(r#"/problems/0/category: "flaky_warehouse" is not one of"#),
        "{e:?}"
    );
}

#[test]
fn a_problem_without_roots_is_rejected() {
    let mut v = permission_denied();
    v["problems"][0].as_object_mut().unwrap().remove("roots");
    assert_rejected(&v, &[r#"/problems/0: "roots" is a required property"#]);
}

#[test]
fn drift_is_rejected() {
    // A field the contract does not have, a line that is not an integer, a warning code
    // nobody documented, a share link that is not a link.
    let mut v = permission_denied();
    v["problems"][0]["severity"] = json!("high");
    v["problems"][0]["evidence"]["line"] = json!("15");
    v["warnings"] = json!([{"code": "something_odd", "message": "…"}]);
    v["share_url"] = json!("not a link");
    let e = errors(&v);
    let has = |needle: &str| e.iter().any(|m| m.contains(needle));
    assert!(
        has("/problems/0: Additional properties are not allowed ('severity' was unexpected)"),
        "{e:#?}"
    );
    assert!(
        has(r#"/problems/0/evidence/line: "15" is not of type "integer""#),
        "{e:#?}"
    );
    assert!(
        has(r#"/warnings/0/code: "something_odd" is not one of"#),
        "{e:#?}"
    );
    assert!(has("/share_url: "), "{e:#?}");
}

#[test]
fn the_rules_between_fields_are_checked() {
    // A failed run without problems, and history without runs.
    let mut v = permission_denied();
    v["problems"] = json!([]);
    assert_rejected(&v, &["/problems: [] has less than 1 item"]);
    let mut v = permission_denied();
    v["problems"][0]["history"] = json!({"state": "new", "failed_in": 1, "ran_in": 1,
        "first_failed_at": "2026-12-02T03:23:57Z", "last_passed_at": null});
    let e = errors(&v);
    assert!(e.iter().any(|m| m.starts_with("/problems/0: ")), "{e:#?}");
}

#[test]
fn every_evidence_key_validates() {
    // Each key the code can write, on a freshness problem (the only one with all of them):
    // a key added to `Evidence` must be added to the schema too.
    let evidence = dbt_triage::classify::Evidence {
        object: Some("analytics".into()),
        relation: Some("\"shop\".\"raw\".\"sessions\"".into()),
        column: Some("first_name".into()),
        function: Some("dateadd".into()),
        privilege: Some("USAGE".into()),
        role: Some("transformer".into()),
        user: Some("dbt".into()),
        env_var: Some("DBT_PASSWORD".into()),
        profile: Some("shop".into()),
        target: Some("prod".into()),
        line: Some(15),
        position: Some(3),
        code: Some("42501".into()),
        max_loaded_at: Some("2024-01-09T19:40:00+00:00".into()),
        age_s: Some(91_350_750),
        threshold: Some("error_after 48 hour".into()),
    };
    let dir = repo().join("tests/fixtures/source_freshness");
    let mut v = serde_json::to_value(common::diagnose(&common::story_files(&dir))).unwrap();
    let p = v["problems"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|p| p["category"] == "freshness")
        .expect("a freshness problem");
    p["evidence"] = serde_json::to_value(&evidence).unwrap();
    assert_rejected(&v, &[]);
}
