//! Inputs the fuzzer (fuzz/, scripts/fuzz) found to crash, hang or blow up the core, replayed
//! through exactly the path the fuzz target ran: `fuzz/src/lib.rs` is included here, so a saved
//! input `tests/fuzz_regressions/<target>-<name>.bin` goes through the same calls (reading, the
//! diagnosis, all three reports and the target's oracles) as under `cargo fuzz run <target>`.
//! Each test passes when the input returns without panicking.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod harness;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions")
}

const TARGETS: [&str; 5] = ["run_results", "manifest", "log", "classify", "pipeline"];

/// The fuzz target a saved input belongs to, from its file name.
fn target_of(file: &str) -> &str {
    TARGETS
        .into_iter()
        .find(|t| file.strip_prefix(t).is_some_and(|r| r.starts_with('-')))
        .unwrap_or_else(|| panic!("{file}: name it <target>-<short-name>.bin"))
}

/// Runs bytes through a fuzz target's path.
fn run(target: &str, bytes: &[u8]) {
    match target {
        "run_results" => harness::run_results(bytes),
        "manifest" => harness::manifest(bytes),
        "log" => harness::log(bytes),
        "classify" => harness::classify_all(bytes),
        "pipeline" => harness::pipeline_split(bytes),
        _ => panic!("no fuzz target {target}"),
    }
}

/// How long one saved input may take in a debug build before it counts as a hang (the fuzzer's
/// limit is 10 s in an optimized build; a saved input is small).
const HANG: Duration = Duration::from_secs(60);

/// Replays one saved input through its target's path, on a thread so a hang fails the test
/// instead of stalling the suite.
fn replay(file: &str) {
    let bytes = std::fs::read(dir().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    within_limit(file, target_of(file), bytes);
}

/// Runs bytes through a target's path on a thread; a panic or a hang fails the test.
fn within_limit(what: &str, target: &str, bytes: Vec<u8>) {
    let target = target.to_string();
    let (done, finished) = std::sync::mpsc::channel();
    let worker = std::thread::spawn(move || {
        run(&target, &bytes);
        let _ = done.send(());
    });
    match finished.recv_timeout(HANG) {
        Ok(()) => {}
        // The sender was dropped without a send: the thread panicked; report its panic.
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            if let Err(panic) = worker.join() {
                std::panic::resume_unwind(panic);
            }
        }
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("{what}: did not return within {HANG:?} (a hang)")
        }
    }
}

/// One test per saved input; `#[ignore = "…"]` marks one whose fix in src/ is pending.
macro_rules! regression {
    ($($(#[$attr:meta])* $name:ident => $file:literal,)*) => {
        $(
            #[test]
            $(#[$attr])*
            fn $name() {
                replay($file);
            }
        )*

        /// Every saved input has its test above.
        #[test]
        fn every_saved_input_has_a_test() {
            let listed = [$($file),*];
            let mut missing = Vec::new();
            for entry in std::fs::read_dir(dir()).expect("tests/fuzz_regressions/") {
                let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
                if name.ends_with(".bin") && !listed.contains(&name.as_str()) {
                    missing.push(name);
                }
            }
            assert!(missing.is_empty(), "add a regression!{{}} line for {missing:?}");
        }
    };
}

regression! {
    /// A SqlDialect message without a function name (DuckDB's real `Could not choose a best
    /// candidate function for the function call`) makes `sql_dialect::fix` call
    /// `find_call(sql, "")`, whose `lower[from..].find("")` never advanced: an endless loop (fixed in
    /// 2b98931).
    run_results_empty_function_hang => "run_results-empty-function-hang.bin",
}

/// The committed seeds go through the harness too (a sample: every 8th seed, to stay quick in a
/// debug build), with the same hang limit: a change in src/ that breaks on a real fixture's cut
/// or reduced form, or a real error message, shows up in `cargo test`, not only under the fuzzer.
fn replay_seeds(target: &str) {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .expect("fuzz/corpus/<target>/")
        .map(|e| e.expect("entry").path())
        .collect();
    seeds.sort();
    assert!(!seeds.is_empty(), "no seeds for {target}");
    for seed in seeds.iter().step_by(8) {
        let bytes = std::fs::read(seed).expect("seed");
        within_limit(&seed.display().to_string(), target, bytes);
    }
}

#[test]
fn seeds_run_results() {
    replay_seeds("run_results");
}

#[test]
fn seeds_manifest() {
    replay_seeds("manifest");
}

#[test]
fn seeds_log() {
    replay_seeds("log");
}

#[test]
fn seeds_pipeline() {
    replay_seeds("pipeline");
}

/// Real messages of the SqlDialect category without a function name (DuckDB's `Could not choose
/// a best candidate function`, Redshift's `Specified types or functions … not supported`) hang
/// hung in `sql_dialect::fix` (fixed in 2b98931): see `run_results_empty_function_hang`.
#[test]
fn seeds_classify() {
    replay_seeds("classify");
}

/// Hostile size rather than hostile bytes (the fuzzer's `-max_len` keeps inputs far smaller): one
/// run_results.json whose single error message is 1 MB. The classifier ran every rule's regex
/// over the whole message, ~5 s per MB in a release build (much more in a debug build or in
/// wasm), so one large message stalled the CLI and the page. Passes while the message the
/// classifier sees is bounded (fixed in 2b98931: matching reads a bounded prefix).
#[test]
fn a_one_megabyte_error_message_is_diagnosed_quickly() {
    let message =
        "Database Error in model orders (models/orders.sql)\n  column \"x\" does not exist\n"
            .repeat(1_000_000 / 80);
    let run_results = serde_json::json!({
        "metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/run-results/v6.json"},
        "results": [{
            "unique_id": "model.shop.orders",
            "status": "error",
            "message": message,
            "execution_time": 0.1,
        }],
        "elapsed_time": 1.0,
    });
    let bytes = serde_json::to_vec(&run_results).expect("json");
    let started = Instant::now();
    let (_, diagnosis) = dbt_triage::diagnose_files(&[dbt_triage::InputFile {
        name: "target/run_results.json",
        bytes: &bytes,
    }]);
    let took = started.elapsed();
    assert_eq!(diagnosis.problems.len(), 1);
    assert!(
        took < Duration::from_secs(10),
        "a 1 MB message took {took:?} to diagnose"
    );
}
