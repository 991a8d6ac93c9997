//! Answer first: the page diagnoses a load twice — from everything but the manifests (the problem
//! cards, while the manifest is still being read), then from all of it. The second answer must be
//! exactly the one-stage diagnosis, and the first must already name the failures. Checked on every
//! story dbt wrote (`tests/fixtures/`), the bundled sample, and the stories with Power BI files.

use std::path::{Path, PathBuf};

use dbt_triage::artifacts::{self, InputFile, InputKind};
use dbt_triage::report;
use dbt_triage::view;

mod common;

/// Files as the tests read them: a name and the bytes.
type Files = Vec<(String, Vec<u8>)>;

/// Files under their position among all the files given.
type Placed<'a> = Vec<(usize, InputFile<'a>)>;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// Every story folder, the bundled sample, and one story with each Power BI case beside it.
fn cases() -> Vec<(String, Files)> {
    let mut out = Vec::new();
    let fixtures = root().join("tests/fixtures");
    let mut stories: Vec<String> = std::fs::read_dir(&fixtures)
        .unwrap()
        .filter_map(|e| {
            let e = e.ok()?;
            e.file_type()
                .ok()?
                .is_dir()
                .then(|| e.file_name().into_string().ok())?
        })
        .collect();
    stories.sort();
    for s in stories {
        let files = common::story_files(&fixtures.join(&s));
        if !files.is_empty() {
            out.push((s, files));
        }
    }
    let sample = common::read_some(
        &root().join("web/sample"),
        &["run_results.json", "manifest.json", "dbt.log"],
    );
    out.push(("web/sample".into(), sample));
    for case in ["pbip", "model_bim", "scanner"] {
        let mut files = common::story_files(&fixtures.join("test_failure_build"));
        let mut pbi = Vec::new();
        walk(&root().join("tests/powerbi").join(case), &mut pbi);
        pbi.sort();
        // Power BI files before and after the manifest: the split must keep both orders.
        for (i, p) in pbi.into_iter().enumerate() {
            let entry = (p.display().to_string(), std::fs::read(&p).unwrap());
            if i % 2 == 0 {
                files.insert(0, entry);
            } else {
                files.push(entry);
            }
        }
        out.push((format!("test_failure_build + powerbi/{case}"), files));
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// The split the worker makes: files whose first bytes are a manifest's are left for later.
fn split<'a>(
    files: &'a [InputFile<'a>],
    later: impl Fn(usize, &InputFile<'_>) -> bool,
) -> (Placed<'a>, Placed<'a>) {
    files
        .iter()
        .copied()
        .enumerate()
        .partition(|(i, f)| !later(*i, f))
}

fn is_manifest(f: &InputFile<'_>) -> bool {
    artifacts::recognize(&f.bytes[..f.bytes.len().min(64 * 1024)]) == Some(InputKind::Manifest)
}

#[test]
fn the_enriched_answer_is_the_one_stage_diagnosis_on_every_story() {
    let cases = cases();
    assert!(cases.len() > 40, "{} cases", cases.len());
    let mut with_manifest = 0;
    for (name, files) in &cases {
        let inputs: Vec<InputFile<'_>> = files
            .iter()
            .map(|(name, bytes)| InputFile { name, bytes })
            .collect();
        let whole = artifacts::read(&inputs);
        let lineage = dbt_triage::lineage(&whole);
        let diagnosis = dbt_triage::diagnose(&whole, &lineage);
        assert_eq!(common::diagnose(files), diagnosis, "{name}: diagnose_files");
        let (first, rest) = split(&inputs, |_, f| is_manifest(f));
        if !rest.is_empty() {
            with_manifest += 1;
        }
        let staged = artifacts::read_first(&first);
        // The first answer: from run_results and logs alone.
        let early = staged.artifacts();
        assert!(early.manifests.is_empty() || rest.is_empty(), "{name}");
        let early_d = dbt_triage::diagnose(early, &dbt_triage::lineage(early));
        assert_eq!(early_d.status, diagnosis.status, "{name}: status");
        assert_eq!(
            early_d.invocation.invocation_id, diagnosis.invocation.invocation_id,
            "{name}: the run"
        );
        let failed = |d: &dbt_triage::Diagnosis| {
            let mut roots: Vec<String> = d
                .problems
                .iter()
                .flat_map(|p| p.roots.iter().cloned())
                .collect();
            roots.sort();
            roots
        };
        assert_eq!(failed(&early_d), failed(&diagnosis), "{name}: failed nodes");
        for p in &early_d.problems {
            assert!(!p.rerun.is_empty(), "{name}: a rerun command");
            // A generic test's id ends with a hash, which selects nothing: never in the command.
            let hash = |w: &str| w.len() == 10 && w.bytes().all(|b| b.is_ascii_hexdigit());
            assert!(
                !p.rerun.split([' ', ',', '+']).any(hash),
                "{name}: {}",
                p.rerun
            );
            assert!(!p.fix.is_empty(), "{name}: a fix for {}", p.title);
        }
        // The enriched answer: the same as reading everything at once.
        let enriched = staged.finish(&rest);
        assert_eq!(enriched, whole, "{name}: artifacts");
        let enriched_d = dbt_triage::diagnose(&enriched, &dbt_triage::lineage(&enriched));
        assert_eq!(enriched_d, diagnosis, "{name}: diagnosis");
        assert_eq!(
            view::view(&enriched, &lineage, &enriched_d),
            view::view(&whole, &lineage, &diagnosis),
            "{name}: view"
        );
        assert_eq!(
            report::markdown::render(&enriched_d),
            report::markdown::render(&diagnosis),
            "{name}: markdown"
        );
    }
    assert!(with_manifest > 40, "{with_manifest} cases with a manifest");
}

#[test]
fn any_split_of_the_files_reads_as_all_of_them() {
    for (name, files) in cases() {
        let inputs: Vec<InputFile<'_>> = files
            .iter()
            .map(|(name, bytes)| InputFile { name, bytes })
            .collect();
        let whole = artifacts::read(&inputs);
        for (how, later) in [
            (
                "odd files later",
                &(|i: usize| i % 2 == 1) as &dyn Fn(usize) -> bool,
            ),
            ("even files later", &|i: usize| i % 2 == 0),
            ("all later", &|_| true),
            ("none later", &|_| false),
        ] {
            let (first, rest) = split(&inputs, |i, _| later(i));
            let staged = artifacts::read_first(&first).finish(&rest);
            assert_eq!(staged, whole, "{name}: {how}");
        }
    }
}

#[test]
fn the_first_view_does_not_ask_for_the_manifest_on_its_way() {
    let files = common::story_files(&root().join("tests/fixtures/test_failure_build"));
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .map(|(name, bytes)| InputFile { name, bytes })
        .collect();
    let (first, _) = split(&inputs, |_, f| is_manifest(f));
    let staged = artifacts::read_first(&first);
    let a = staged.artifacts();
    let l = dbt_triage::lineage(a);
    let d = dbt_triage::diagnose(a, &l);
    let mut v = view::view(a, &l, &d);
    assert!(v.missing.iter().any(|m| m.contains("manifest.json")));
    view::awaiting_manifest(&mut v);
    assert!(
        !v.missing.iter().any(|m| m.contains("manifest.json")),
        "{:?}",
        v.missing
    );
    let d = v.diagnosis.as_ref().unwrap();
    assert!(!d.warnings.iter().any(|w| w.code == "missing_manifest"));
    assert!(!d.problems.is_empty());
}
