//! The native speed benchmark (not a test): how much the diagnosis costs over just tokenizing the
//! JSON, and how much memory it takes, on big real dbt artifact sets (see `scripts/bench`,
//! `scripts/make-big-projects`).
//!
//! ```text
//! cargo run --release --example bench -- [--runs N] [--json PATH] [--with-log] DIR...
//! cargo run --release --example bench -- --loop N DIR     # only diagnose_files, N times (profiling)
//! cargo run --release --example bench -- --fields DIR     # what reading which fields costs
//! ```
//!
//! Each DIR holds `target/run_results.json` and `target/manifest.json` (or both at its top level;
//! `logs/dbt.log` too with `--with-log`). For each DIR, in this process, with the bytes already in
//! memory, best of N (default 5) wall times of:
//!
//! - **baseline**: `serde_json` skipping every file with `serde::de::IgnoredAny` from `&[u8]`;
//! - **diagnosis**: `dbt_triage::diagnose_files` on the same bytes, and its phases
//!   (`read` per file, `lineage`, `diagnose`) timed separately;
//! - for context, `serde_json::Value` of every file (what a naive reader would build).
//!
//! Peak memory is measured in child processes (this example re-invoked with `--child`): one that
//! only reads the bytes (`hold`), one that reads them and runs the diagnosis once (`diagnose`);
//! each reports its peak RSS (`VmHWM` from /proc/self/status). The table shows the diagnosis'
//! peak RSS minus the holding process' peak RSS, divided by the input bytes ("extra RSS ÷ input");
//! the JSON has both raw peaks too.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use dbt_triage::{diagnose, diagnose_files, lineage, read, InputFile};
use serde::Serialize;

struct Args {
    runs: usize,
    json: Option<PathBuf>,
    with_log: bool,
    dirs: Vec<PathBuf>,
}

fn usage() -> ! {
    eprintln!("usage: bench [--runs N] [--json PATH] [--with-log] DIR...");
    std::process::exit(2)
}

fn parse_args() -> Args {
    let mut a = Args {
        runs: 5,
        json: None,
        with_log: false,
        dirs: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--runs" => {
                a.runs = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or_else(|| usage())
            }
            "--json" => a.json = Some(it.next().unwrap_or_else(|| usage()).into()),
            "--with-log" => a.with_log = true,
            "-h" | "--help" => usage(),
            _ if arg.starts_with('-') => usage(),
            _ => a.dirs.push(arg.into()),
        }
    }
    if a.dirs.is_empty() || a.runs == 0 {
        usage()
    }
    a
}

/// The input files of one set: (display name, path).
fn inputs_of(dir: &Path, with_log: bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for name in ["run_results.json", "manifest.json"] {
        let p = [dir.join("target").join(name), dir.join(name)]
            .into_iter()
            .find(|p| p.is_file());
        match p {
            Some(p) => out.push(p),
            None => {
                eprintln!("bench: no {name} in {} (nor its target/)", dir.display());
                std::process::exit(1)
            }
        }
    }
    if with_log {
        let p = dir.join("logs").join("dbt.log");
        if p.is_file() {
            out.push(p);
        }
    }
    out
}

fn load(paths: &[PathBuf]) -> Vec<(String, Vec<u8>)> {
    paths
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).unwrap_or_else(|e| {
                eprintln!("bench: cannot read {}: {e}", p.display());
                std::process::exit(1)
            });
            (p.display().to_string(), bytes)
        })
        .collect()
}

fn files(loaded: &[(String, Vec<u8>)]) -> Vec<InputFile<'_>> {
    loaded
        .iter()
        .map(|(name, bytes)| InputFile { name, bytes })
        .collect()
}

/// This thread's CPU time so far (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)`, ns-precise): unlike
/// wall time, it does not grow while other processes have the core, so it stays comparable on a
/// busy machine. (`/proc/thread-self/schedstat` is only updated at scheduler ticks, 4 ms here.)
fn cpu_now() -> Duration {
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut ts = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec (64-bit fields on the 64-bit Linux this targets)
    // into the valid, exclusively borrowed `ts`; libc is linked by std.
    let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// A wall-clock and CPU-time stopwatch.
struct Watch(Instant, Duration);

impl Watch {
    fn start() -> Watch {
        Watch(Instant::now(), cpu_now())
    }

    /// (wall, cpu) since start.
    fn stop(&self) -> (Duration, Duration) {
        (self.0.elapsed(), cpu_now().saturating_sub(self.1))
    }
}

/// The best (smallest) wall time and the best CPU time seen, each over the runs.
#[derive(Clone, Copy)]
struct Best {
    wall: Duration,
    cpu: Duration,
}

impl Best {
    const NONE: Best = Best {
        wall: Duration::MAX,
        cpu: Duration::MAX,
    };

    fn add(&mut self, (wall, cpu): (Duration, Duration)) {
        self.wall = self.wall.min(wall);
        self.cpu = self.cpu.min(cpu);
    }
}

/// Best of `runs` times of `f` (dropping its result is part of the time).
fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> Best {
    let mut b = Best::NONE;
    for _ in 0..runs {
        let w = Watch::start();
        std::hint::black_box(f());
        b.add(w.stop());
    }
    b
}

/// Best of `runs` wall times of `f`.
fn best<T>(runs: usize, f: impl FnMut() -> T) -> Duration {
    best_of(runs, f).wall
}

fn ignored_any(bytes: &[u8]) {
    // The log is not JSON: the baseline for it is a UTF-8 check.
    if bytes.first() == Some(&b'{') {
        let r: Result<serde::de::IgnoredAny, _> = serde_json::from_slice(bytes);
        r.expect("the JSON inputs are valid");
    } else {
        std::hint::black_box(std::str::from_utf8(bytes).is_ok());
    }
}

fn value(bytes: &[u8]) -> Option<serde_json::Value> {
    serde_json::from_slice(bytes).ok()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Peak resident set size of this process so far, in bytes (`VmHWM`).
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// `--child MODE [--with-log] DIR`: prints this process' peak RSS after MODE (`hold` or `diagnose`).
fn child(mode: &str, with_log: bool, dir: &Path) {
    let loaded = load(&inputs_of(dir, with_log));
    if mode == "diagnose" {
        let (artifacts, diagnosis) = diagnose_files(&files(&loaded));
        std::hint::black_box((&artifacts, &diagnosis));
        println!("{}", peak_rss());
        drop((artifacts, diagnosis));
    } else {
        std::hint::black_box(&loaded);
        println!("{}", peak_rss());
    }
}

fn child_peak(mode: &str, with_log: bool, dir: &Path) -> Option<u64> {
    let exe = std::env::current_exe().ok()?;
    let mut cmd = Command::new(exe);
    cmd.arg("--child").arg(mode);
    if with_log {
        cmd.arg("--with-log");
    }
    let out = cmd.arg(dir).output().ok()?;
    if !out.status.success() {
        eprintln!(
            "bench: child {mode} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

#[derive(Serialize)]
struct FileInfo {
    path: String,
    bytes: u64,
}

/// Best wall and best CPU time of one measurement, in ms.
#[derive(Serialize)]
struct Ms {
    wall: f64,
    cpu: f64,
}

impl From<Best> for Ms {
    fn from(b: Best) -> Ms {
        Ms {
            wall: ms(b.wall),
            cpu: ms(b.cpu),
        }
    }
}

#[derive(Serialize)]
struct Phases {
    read: Ms,
    /// (file name, wall ms, cpu ms) of `read` on that file alone.
    read_per_file: Vec<(String, f64, f64)>,
    lineage: Ms,
    diagnose: Ms,
    /// Freeing the artifacts, lineage and diagnosis (part of `diagnose_files`' time above).
    drop: Ms,
}

#[derive(Serialize)]
struct Memory {
    /// Peak RSS of a process that only read the input bytes.
    hold_peak_rss: u64,
    /// Peak RSS of a process that read the bytes and ran `diagnose_files` once.
    diagnose_peak_rss: u64,
    /// (diagnose_peak_rss − hold_peak_rss) ÷ input bytes: what the diagnosis adds.
    extra_rss_per_input_byte: f64,
    /// diagnose_peak_rss ÷ input bytes: the whole process.
    peak_rss_per_input_byte: f64,
}

#[derive(Serialize)]
struct SetResult {
    dir: String,
    files: Vec<FileInfo>,
    input_bytes: u64,
    manifest_nodes: usize,
    results: usize,
    lineage_nodes: usize,
    lineage_edges: usize,
    problems: usize,
    skipped: usize,
    exposures_affected: usize,
    runs: usize,
    ignored_any: Ms,
    diagnose_files: Ms,
    /// diagnose_files ÷ ignored_any, best wall times.
    ratio: f64,
    /// diagnose_files ÷ ignored_any, best CPU times.
    ratio_cpu: f64,
    phases: Phases,
    serde_json_value_ms: f64,
    memory: Option<Memory>,
}

#[derive(Serialize)]
struct Machine {
    nproc: usize,
    cpu_model: String,
    mem_total_kb: u64,
    load_average_at_start: String,
}

#[derive(Serialize)]
struct Report {
    schema: &'static str,
    commit: Option<String>,
    src_dirty: Option<bool>,
    machine: Machine,
    sets: Vec<SetResult>,
}

fn machine() -> Machine {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu_model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_total_kb = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    Machine {
        nproc: std::thread::available_parallelism().map_or(0, |n| n.get()),
        cpu_model,
        mem_total_kb,
        load_average_at_start: load
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" "),
    }
}

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn bench_set(dir: &Path, a: &Args) -> SetResult {
    let paths = inputs_of(dir, a.with_log);
    let loaded = load(&paths);
    let input = files(&loaded);
    let input_bytes: u64 = loaded.iter().map(|(_, b)| b.len() as u64).sum();
    eprintln!(
        "bench: {} ({:.1} MB)",
        dir.display(),
        input_bytes as f64 / 1e6
    );

    // Warm-up (page faults of the first allocations, caches), then the measurements.
    let (artifacts, diagnosis) = diagnose_files(&input);
    let ignored_any_t = best_of(a.runs, || {
        for f in &input {
            ignored_any(f.bytes);
        }
    });
    let diagnose_t = best_of(a.runs, || diagnose_files(&input));

    // Phases, each best of N.
    let (mut read_t, mut lineage_t, mut diag_t, mut drop_t) =
        (Best::NONE, Best::NONE, Best::NONE, Best::NONE);
    for _ in 0..a.runs {
        let w = Watch::start();
        let arts = read(&input);
        read_t.add(w.stop());
        let w = Watch::start();
        let lin = lineage(&arts);
        lineage_t.add(w.stop());
        let w = Watch::start();
        let d = diagnose(&arts, &lin);
        diag_t.add(w.stop());
        std::hint::black_box((&arts, &lin, &d));
        let w = Watch::start();
        drop((arts, lin, d));
        drop_t.add(w.stop());
    }
    let read_per_file = input
        .iter()
        .map(|f| {
            let short = Path::new(f.name)
                .file_name()
                .map_or(f.name.to_string(), |n| n.to_string_lossy().into_owned());
            let b = best_of(a.runs, || read(std::slice::from_ref(f)));
            (short, ms(b.wall), ms(b.cpu))
        })
        .collect();
    let value_t = best(a.runs.min(3), || {
        input.iter().map(|f| value(f.bytes)).collect::<Vec<_>>()
    });

    let lin = lineage(&artifacts);
    eprintln!(
        "bench:   {} problem(s), roots {:?}, {} skipped, {} of {} exposures affected",
        diagnosis.problems.len(),
        diagnosis
            .problems
            .iter()
            .flat_map(|p| p.roots.iter().map(String::as_str))
            .take(5)
            .collect::<Vec<_>>(),
        diagnosis.skipped.len(),
        diagnosis.exposures.iter().filter(|e| e.affected).count(),
        diagnosis.exposures.len()
    );
    let memory = match (
        child_peak("hold", a.with_log, dir),
        child_peak("diagnose", a.with_log, dir),
    ) {
        (Some(hold), Some(diag)) => Some(Memory {
            hold_peak_rss: hold,
            diagnose_peak_rss: diag,
            extra_rss_per_input_byte: diag.saturating_sub(hold) as f64 / input_bytes as f64,
            peak_rss_per_input_byte: diag as f64 / input_bytes as f64,
        }),
        _ => None,
    };
    SetResult {
        dir: dir.display().to_string(),
        files: loaded
            .iter()
            .map(|(p, b)| FileInfo {
                path: p.clone(),
                bytes: b.len() as u64,
            })
            .collect(),
        input_bytes,
        manifest_nodes: artifacts.manifest().map_or(0, |m| m.nodes.len()),
        results: artifacts.run_results().map_or(0, |r| r.results.len()),
        lineage_nodes: lin.node_count(),
        lineage_edges: lin.edge_count(),
        problems: diagnosis.problems.len(),
        skipped: diagnosis.skipped.len(),
        exposures_affected: diagnosis.exposures.iter().filter(|e| e.affected).count(),
        runs: a.runs,
        ignored_any: ignored_any_t.into(),
        diagnose_files: diagnose_t.into(),
        ratio: diagnose_t.wall.as_secs_f64() / ignored_any_t.wall.as_secs_f64().max(1e-9),
        ratio_cpu: diagnose_t.cpu.as_secs_f64() / ignored_any_t.cpu.as_secs_f64().max(1e-9),
        phases: Phases {
            read: read_t.into(),
            read_per_file,
            lineage: lineage_t.into(),
            diagnose: diag_t.into(),
            drop: drop_t.into(),
        },
        serde_json_value_ms: ms(value_t),
        memory,
    }
}

fn print_table(r: &Report) {
    let m = &r.machine;
    println!(
        "machine: {} cores, {}, {:.1} GiB; load at start {}; commit {}{}",
        m.nproc,
        m.cpu_model,
        m.mem_total_kb as f64 / 1024.0 / 1024.0,
        m.load_average_at_start,
        r.commit.as_deref().unwrap_or("?"),
        if r.src_dirty == Some(true) {
            " (src/ modified)"
        } else {
            ""
        }
    );
    let name_of = |s: &SetResult| {
        Path::new(&s.dir)
            .file_name()
            .map_or(s.dir.clone(), |n| n.to_string_lossy().into_owned())
    };
    println!(
        "\n{:<12} {:>8} {:>7} {:>6} | {:>9} {:>9} {:>6} | {:>9} {:>9} {:>6} | {:>8} {:>8} {:>8}",
        "set",
        "input MB",
        "nodes",
        "skip",
        "ignAny ms",
        "diag ms",
        "ratio",
        "ignAny ms",
        "diag ms",
        "ratio",
        "peak MB",
        "xRSS/in",
        "RSS/in"
    );
    println!(
        "{:<12} {:>8} {:>7} {:>6} | {:^28} | {:^28} |",
        "", "", "", "", "wall", "CPU"
    );
    for s in &r.sets {
        let (peak, extra, whole) = match &s.memory {
            Some(m) => (
                format!("{:.0}", m.diagnose_peak_rss as f64 / 1e6),
                format!("{:.2}", m.extra_rss_per_input_byte),
                format!("{:.2}", m.peak_rss_per_input_byte),
            ),
            None => ("?".into(), "?".into(), "?".into()),
        };
        println!(
            "{:<12} {:>8.1} {:>7} {:>6} | {:>9.1} {:>9.1} {:>6.2} | {:>9.1} {:>9.1} {:>6.2} | {:>8} {:>8} {:>8}",
            name_of(s),
            s.input_bytes as f64 / 1e6,
            s.manifest_nodes,
            s.skipped,
            s.ignored_any.wall,
            s.diagnose_files.wall,
            s.ratio,
            s.ignored_any.cpu,
            s.diagnose_files.cpu,
            s.ratio_cpu,
            peak,
            extra,
            whole
        );
    }
    println!(
        "\nphases of diagnose_files, CPU ms: {:<12} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} | {:>9}",
        "", "read", "(rr)", "(man)", "lineage", "diagnose", "drop", "Value ms"
    );
    for s in &r.sets {
        let read_of = |file: &str| {
            s.phases
                .read_per_file
                .iter()
                .find(|(n, _, _)| n == file)
                .map_or("-".to_string(), |(_, _, cpu)| format!("{cpu:.1}"))
        };
        println!(
            "{:<46} {:>8.1} {:>8} {:>8} {:>8.1} {:>8.1} {:>8.1} | {:>9.1}",
            name_of(s),
            s.phases.read.cpu,
            read_of("run_results.json"),
            read_of("manifest.json"),
            s.phases.lineage.cpu,
            s.phases.diagnose.cpu,
            s.phases.drop.cpu,
            s.serde_json_value_ms,
        );
    }
    println!(
        "\nBest of {} each. ratio = diagnose_files ÷ IgnoredAny over the same bytes in memory; wall \
         = elapsed, CPU = this thread's CPU time (CLOCK_THREAD_CPUTIME_ID; unaffected by other \
         processes). Phases: read (alone on rr = run_results.json, man = manifest.json), \
         lineage, diagnose, drop of the results. Value = serde_json::Value of every file (wall). \
         peak MB = peak RSS of a child process that reads the files and diagnoses once; xRSS/in = \
         (that − peak RSS of a child that only reads the files) ÷ input bytes; RSS/in = the whole \
         peak ÷ input bytes.",
        r.sets.first().map_or(0, |s| s.runs)
    );
}

fn main() {
    let argv: Vec<String> = std::env::args().collect();
    if argv.get(1).map(String::as_str) == Some("--child") {
        let with_log = argv.iter().any(|a| a == "--with-log");
        let (Some(mode), Some(dir)) = (argv.get(2), argv.last()) else {
            usage()
        };
        child(mode, with_log, Path::new(dir));
        return;
    }
    if argv.get(1).map(String::as_str) == Some("--loop") {
        // For profilers (perf, callgrind): only the diagnosis, N times, on one set.
        let (Some(n), Some(dir)) = (argv.get(2).and_then(|n| n.parse().ok()), argv.get(3)) else {
            usage()
        };
        let loaded = load(&inputs_of(Path::new(dir), false));
        let input = files(&loaded);
        for _ in 0..n {
            std::hint::black_box(diagnose_files(&input));
        }
        return;
    }
    if argv.get(1).map(String::as_str) == Some("--fields") {
        let Some(dir) = argv.get(2) else { usage() };
        fields::run(Path::new(dir), 5);
        return;
    }
    let a = parse_args();
    let machine = machine();
    let sets = a.dirs.iter().map(|d| bench_set(d, &a)).collect();
    let report = Report {
        schema: "dbt-triage.bench-native.v1",
        commit: git(&["rev-parse", "--short", "HEAD"]),
        src_dirty: git(&[
            "status",
            "--porcelain",
            "--",
            "src",
            "Cargo.toml",
            "Cargo.lock",
        ])
        .map(|s| !s.is_empty()),
        machine,
        sets,
    };
    print_table(&report);
    if let Some(path) = &a.json {
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let text = serde_json::to_string_pretty(&report).expect("the report serializes");
        if let Err(e) = std::fs::write(path, text + "\n") {
            eprintln!("bench: cannot write {}: {e}", path.display());
            std::process::exit(1)
        }
        eprintln!("bench: wrote {}", path.display());
    }
}

/// `--fields DIR`: the manifest and run_results read with growing subsets of the fields the core
/// reads (serde structs mirroring `src/artifacts`, simplified), to see what each costs.
mod fields {
    use std::collections::{BTreeMap, HashMap};
    use std::path::Path;

    use serde::de::IgnoredAny;
    use serde::Deserialize;

    use super::{best_of, files, inputs_of, load, ms, Best};

    #[allow(dead_code)] // read only by Deserialize: the cost is what is measured
    #[derive(Deserialize)]
    struct Top<N> {
        #[serde(default)]
        nodes: Option<N>,
        #[serde(default)]
        sources: Option<N>,
        #[serde(default)]
        exposures: Option<N>,
    }

    #[allow(dead_code)] // read only by Deserialize: the cost is what is measured
    #[derive(Deserialize)]
    struct WithParentMap {
        #[serde(default)]
        parent_map: Option<BTreeMap<String, Vec<String>>>,
    }

    #[allow(dead_code)]
    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct Graph {
        unique_id: Option<String>,
        depends_on: Option<DependsOn>,
    }

    #[allow(dead_code)]
    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct DependsOn {
        nodes: Vec<String>,
    }

    #[allow(dead_code)]
    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct Names {
        unique_id: Option<String>,
        depends_on: Option<DependsOn>,
        resource_type: Option<String>,
        name: Option<String>,
        package_name: Option<String>,
        original_file_path: Option<String>,
        path: Option<String>,
        database: Option<String>,
        schema: Option<String>,
        alias: Option<String>,
        relation_name: Option<String>,
        attached_node: Option<String>,
    }

    #[allow(dead_code)]
    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct WithCode {
        unique_id: Option<String>,
        depends_on: Option<DependsOn>,
        resource_type: Option<String>,
        name: Option<String>,
        package_name: Option<String>,
        original_file_path: Option<String>,
        path: Option<String>,
        database: Option<String>,
        schema: Option<String>,
        alias: Option<String>,
        relation_name: Option<String>,
        attached_node: Option<String>,
        compiled_code: Option<String>,
        raw_code: Option<String>,
    }

    #[allow(dead_code)]
    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct WithConfig {
        unique_id: Option<String>,
        depends_on: Option<DependsOn>,
        resource_type: Option<String>,
        name: Option<String>,
        package_name: Option<String>,
        original_file_path: Option<String>,
        path: Option<String>,
        database: Option<String>,
        schema: Option<String>,
        alias: Option<String>,
        relation_name: Option<String>,
        attached_node: Option<String>,
        compiled_code: Option<String>,
        raw_code: Option<String>,
        config: Option<Config>,
        tags: Option<Vec<serde_json::Value>>,
        meta: Option<serde_json::Map<String, serde_json::Value>>,
    }

    #[allow(dead_code)]
    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct Config {
        materialized: Option<String>,
        on_schema_change: Option<String>,
        meta: Option<serde_json::Map<String, serde_json::Value>>,
        tags: Option<Vec<serde_json::Value>>,
    }

    /// The same fields as `Names`, borrowed from the input (no allocation per string; dbt's ids,
    /// names and paths hold no JSON escapes), code skipped.
    #[allow(dead_code)]
    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct Borrowed<'a> {
        #[serde(borrow)]
        unique_id: Option<std::borrow::Cow<'a, str>>,
        #[serde(borrow)]
        depends_on: Option<BorrowedDeps<'a>>,
        #[serde(borrow)]
        resource_type: Option<std::borrow::Cow<'a, str>>,
        #[serde(borrow)]
        name: Option<std::borrow::Cow<'a, str>>,
        #[serde(borrow)]
        package_name: Option<std::borrow::Cow<'a, str>>,
        #[serde(borrow)]
        original_file_path: Option<std::borrow::Cow<'a, str>>,
        #[serde(borrow)]
        path: Option<std::borrow::Cow<'a, str>>,
        #[serde(borrow)]
        database: Option<std::borrow::Cow<'a, str>>,
        #[serde(borrow)]
        schema: Option<std::borrow::Cow<'a, str>>,
        #[serde(borrow)]
        alias: Option<std::borrow::Cow<'a, str>>,
        #[serde(borrow)]
        relation_name: Option<std::borrow::Cow<'a, str>>,
        #[serde(borrow)]
        attached_node: Option<std::borrow::Cow<'a, str>>,
    }

    #[allow(dead_code)]
    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct BorrowedDeps<'a> {
        #[serde(borrow)]
        nodes: Vec<std::borrow::Cow<'a, str>>,
    }

    #[allow(dead_code)] // read only by Deserialize: the cost is what is measured
    #[derive(Deserialize)]
    struct Results<R> {
        results: Vec<R>,
    }

    #[allow(dead_code)]
    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct ResultMin {
        unique_id: Option<String>,
        status: Option<String>,
    }

    #[allow(dead_code)]
    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct ResultFull {
        unique_id: Option<String>,
        status: Option<String>,
        message: Option<String>,
        execution_time: Option<f64>,
        compiled_code: Option<String>,
        relation_name: Option<String>,
    }

    fn parse<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Option<T> {
        serde_json::from_slice(bytes).ok()
    }

    pub fn run(dir: &Path, runs: usize) {
        let loaded = load(&inputs_of(dir, false));
        let input = files(&loaded);
        let (rr, man) = (input[0].bytes, input[1].bytes);
        let row = |what: &str, b: Best| {
            println!("{:>9.1} {:>9.1}  {what}", ms(b.cpu), ms(b.wall));
        };
        println!("   CPU ms   wall ms  (best of {runs})");
        println!("manifest.json, {:.1} MB:", man.len() as f64 / 1e6);
        row("IgnoredAny", best_of(runs, || parse::<IgnoredAny>(man)));
        row(
            "nodes/sources/exposures: BTreeMap<String, IgnoredAny>",
            best_of(runs, || parse::<Top<BTreeMap<String, IgnoredAny>>>(man)),
        );
        row(
            "  … as HashMap<String, IgnoredAny>",
            best_of(runs, || parse::<Top<HashMap<String, IgnoredAny>>>(man)),
        );
        row(
            "  … + unique_id, depends_on.nodes (BTreeMap)",
            best_of(runs, || parse::<Top<BTreeMap<String, Graph>>>(man)),
        );
        row(
            "  … + the name/path/relation strings",
            best_of(runs, || parse::<Top<BTreeMap<String, Names>>>(man)),
        );
        row(
            "  … + raw_code, compiled_code",
            best_of(runs, || parse::<Top<BTreeMap<String, WithCode>>>(man)),
        );
        row(
            "  … + config, tags, meta (as serde_json values)",
            best_of(runs, || parse::<Top<BTreeMap<String, WithConfig>>>(man)),
        );
        row(
            "  … the same strings borrowed (Cow<str>), code skipped",
            best_of(runs, || {
                serde_json::from_slice::<Top<BTreeMap<std::borrow::Cow<str>, Borrowed>>>(man).ok()
            }),
        );
        row(
            "  … the same, borrowed, HashMap",
            best_of(runs, || {
                serde_json::from_slice::<Top<HashMap<std::borrow::Cow<str>, Borrowed>>>(man).ok()
            }),
        );
        row(
            "parent_map only: BTreeMap<String, Vec<String>>",
            best_of(runs, || parse::<WithParentMap>(man)),
        );
        row(
            "dbt_triage::read(manifest) (the core, incl. conversion)",
            best_of(runs, || dbt_triage::read(std::slice::from_ref(&input[1]))),
        );
        println!("run_results.json, {:.1} MB:", rr.len() as f64 / 1e6);
        row("IgnoredAny", best_of(runs, || parse::<IgnoredAny>(rr)));
        row(
            "results: unique_id, status",
            best_of(runs, || parse::<Results<ResultMin>>(rr)),
        );
        row(
            "  … + message, execution_time, compiled_code, relation_name",
            best_of(runs, || parse::<Results<ResultFull>>(rr)),
        );
        row(
            "dbt_triage::read(run_results) (the core)",
            best_of(runs, || dbt_triage::read(std::slice::from_ref(&input[0]))),
        );
        let arts = dbt_triage::read(&input);
        println!("after reading:");
        row(
            "Artifacts::manifest() (choosing the manifest; called by lineage and diagnose)",
            best_of(runs, || arts.manifest().map(|m| m.nodes.len())),
        );
        row("lineage()", best_of(runs, || dbt_triage::lineage(&arts)));
        if let Some(m) = arts.manifest() {
            row(
                "  a sketch: depends_on only, ids borrowed (&str keys, u32 weights)",
                best_of(runs, || {
                    let mut g = petgraph::graph::DiGraph::<u32, ()>::with_capacity(
                        m.nodes.len(),
                        m.nodes.len() * 3,
                    );
                    let mut index: HashMap<&str, petgraph::graph::NodeIndex> =
                        HashMap::with_capacity(m.nodes.len());
                    for (i, id) in m.nodes.keys().enumerate() {
                        index.insert(id.as_str(), g.add_node(i as u32));
                    }
                    for (id, n) in &m.nodes {
                        let c = index[id.as_str()];
                        for p in &n.depends_on {
                            if let Some(&p) = index.get(p.as_str()) {
                                g.add_edge(p, c, ());
                            }
                        }
                    }
                    (g, index)
                }),
            );
        }
    }
}
