//! Share links: every real fixture round-trips through its link; small budgets leave things out in
//! the documented order but never roots, categories or affected Power BI reports; damaged,
//! foreign and oversized fragments are refused with a message.

use std::path::Path;

use dbt_triage::share::{self, Role, ShareError};
use dbt_triage::{diagnose, lineage, read, InputFile};

const BASE: &str = "https://wiki.example.internal/tools/dbt-triage/";

fn stories() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    v
}

fn load(story: &str) -> (dbt_triage::Diagnosis, dbt_triage::Lineage) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(story);
    let files: Vec<(String, Vec<u8>)> = [
        "target/run_results.json",
        "target/manifest.json",
        "logs/dbt.log",
    ]
    .iter()
    .filter_map(|rel| Some((rel.to_string(), std::fs::read(dir.join(rel)).ok()?)))
    .collect();
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .map(|(n, b)| InputFile { name: n, bytes: b })
        .collect();
    let a = read(&inputs);
    let l = lineage(&a);
    (diagnose(&a, &l), l)
}

#[test]
fn every_fixture_round_trips_within_budget() {
    let mut lengths = Vec::new();
    for story in stories() {
        let (d, l) = load(&story);
        let url = share::link(&d, &l, BASE, share::DEFAULT_BUDGET).unwrap();
        assert!(url.len() <= share::DEFAULT_BUDGET);
        assert!(url.starts_with(&format!("{BASE}#d=")), "{url}");
        let back = share::decode(url.split_once('#').unwrap().1).unwrap();
        // Whole but for the log's lines, which a link never carries (they hold the SQL).
        assert!(
            back.diagnosis
                .problems
                .iter()
                .all(|p| p.log_excerpt.is_none()),
            "{story}: a link carries no log lines"
        );
        let mut without_log = d.clone();
        for p in &mut without_log.problems {
            p.log_excerpt = None;
        }
        assert_eq!(
            back.diagnosis, without_log,
            "{story}: the diagnosis comes back whole"
        );
        assert!(
            back.omitted.is_empty(),
            "{story}: nothing left out: {:?}",
            back.omitted
        );
        let failed: Vec<&str> = back
            .nodes
            .iter()
            .filter(|n| n.role == Role::Failed)
            .map(|n| n.id.as_str())
            .collect();
        let mut roots: Vec<&str> = d
            .problems
            .iter()
            .flat_map(|p| p.roots.iter().map(String::as_str))
            .collect();
        roots.sort();
        // Log-only roots may be `model.x` names the lineage does not hold; they are still nodes.
        assert_eq!(failed, roots, "{story}");
        lengths.push((url.len(), story));
    }
    lengths.sort();
    println!("link lengths: {lengths:?}");
}

#[test]
fn a_small_budget_leaves_out_details_but_never_the_essentials() {
    // The documented order, by the start of each omission's wording.
    const ORDER: [&str; 6] = [
        "context nodes",
        "skipped nodes are named",
        "messages beyond",
        "exposures this failure does not affect",
        "the fix steps",
        "affected exposures that are not Power BI",
    ];
    let pbi = |d: &dbt_triage::Diagnosis| -> Vec<String> {
        d.affected_powerbi().map(|e| e.label.clone()).collect()
    };
    let mut seen = std::collections::BTreeSet::new();
    for story in [
        "test_failure_build",
        "permission_denied_create",
        "two_roots",
    ] {
        let (d, l) = load(story);
        let full = share::link(&d, &l, BASE, share::DEFAULT_BUDGET)
            .unwrap()
            .len();
        let mut budget = full - 1;
        loop {
            match share::link(&d, &l, BASE, budget) {
                Ok(url) => {
                    assert!(url.len() <= budget);
                    let s = share::decode(&url[url.find('#').unwrap()..]).unwrap();
                    assert!(
                        !s.omitted.is_empty(),
                        "{story} at {budget}: something was left out"
                    );
                    let positions: Vec<usize> = s
                        .omitted
                        .iter()
                        .map(|o| ORDER.iter().position(|w| o.contains(w)).expect(o))
                        .collect();
                    assert!(
                        positions.windows(2).all(|w| w[0] < w[1]),
                        "{story}: order {:?}",
                        s.omitted
                    );
                    seen.extend(positions);
                    for (got, want) in s.diagnosis.problems.iter().zip(&d.problems) {
                        assert_eq!(got.roots, want.roots, "{story} at {budget}");
                        assert_eq!(got.category, want.category);
                        assert_eq!(got.rerun, want.rerun);
                    }
                    assert_eq!(pbi(&s.diagnosis), pbi(&d), "{story} at {budget}");
                }
                Err(ShareError::TooLong { length, budget: b }) => {
                    assert_eq!(b, budget);
                    assert!(length > budget);
                    break;
                }
                Err(e) => panic!("{e}"),
            }
            budget -= 50;
        }
        assert!(
            budget < full * 3 / 4,
            "{story}: the link shrinks before giving up ({budget} of {full})"
        );
    }
    assert!(
        seen.contains(&0) && seen.contains(&4),
        "steps taken: {seen:?}"
    );
}

#[test]
fn damaged_links_are_refused_with_words() {
    let (d, l) = load("two_roots");
    let url = share::link(&d, &l, BASE, share::DEFAULT_BUDGET).unwrap();
    let frag = url.split_once('#').unwrap().1.to_string();
    let cut = &frag[..frag.len() / 2];
    let mut flipped = frag.clone().into_bytes();
    let mid = flipped.len() / 2;
    flipped[mid] = if flipped[mid] == b'A' { b'B' } else { b'A' };
    let flipped = String::from_utf8(flipped).unwrap();
    for (what, bad) in [
        ("cut", cut.to_string()),
        ("flipped", flipped),
        ("empty", String::new()),
        ("html", "d=<img src=x onerror=alert(1)>".to_string()),
        ("huge", format!("d={}", "A".repeat(100_000))),
        ("not deflate", "d=aGVsbG8gd29ybGQ".to_string()),
    ] {
        let err = share::decode(&bad).expect_err(what);
        assert!(matches!(err, ShareError::Malformed(_)), "{what}: {err:?}");
        assert!(err.to_string().contains("share link"), "{what}: {err}");
    }
    // Valid compression of JSON that is no diagnosis, and of a newer version.
    let enc = |json: &str| {
        use base64::Engine as _;
        let z = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 6);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(z)
    };
    assert!(matches!(
        share::decode(&enc(r#"{"hello": 1}"#)),
        Err(ShareError::Malformed(_))
    ));
    assert_eq!(
        share::decode(&enc(r#"{"v": 7}"#)),
        Err(ShareError::UnknownVersion(7))
    );
    // An edge pointing outside the node list is tampering.
    let mut s = share::snapshot(&d, &l);
    s.edges.push((0, 9_999));
    assert!(matches!(
        share::decode(&share::encode(&s)),
        Err(ShareError::Malformed(_))
    ));
}
