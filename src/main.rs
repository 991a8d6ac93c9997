//! The `dbt-triage` command line: parse arguments → read files → core → print. The only place
//! with I/O. Exit status: 0 no failure, 1 failures diagnosed, 2 unusable input or usage error;
//! a closed pipe (`| head`) ends quietly with 0.

use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use dbt_triage::artifacts::{self, InputFile, InputKind};
use dbt_triage::diagnose::Status;
use dbt_triage::report;

const USAGE: &str = "\
dbt-triage — why did our dbt run fail, and what does it break?

Usage:
  dbt-triage diagnose PATH... [--format text|json|markdown] [--share-base URL]
  dbt-triage classify < messages.jsonl

diagnose   Reads run_results.json, manifest.json and dbt logs (files, or folders such as
           target/ with logs/ beside it), recognized by content, and prints the diagnosis.
           --share-base URL: also print a share link for the app hosted at URL (the
           diagnosis travels in the link's #fragment; nothing is uploaded).
classify   Reads JSON lines {\"message\": \"...\", \"adapter\": \"snowflake\"} on stdin and writes
           one line {\"category\", \"title\", \"evidence\"} per input.

Exit status: 0 no failure, 1 failures diagnosed, 2 inputs unusable.
";

enum Format {
    Text,
    Json,
    Markdown,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("diagnose") => diagnose(&args[1..]),
        Some("classify") => classify(),
        Some("--version" | "-V") => {
            emit(&format!("dbt-triage {}\n", env!("CARGO_PKG_VERSION"))).map(|_| 0)
        }
        Some("--help" | "-h" | "help") => emit(USAGE).map(|_| 0),
        Some(other) => {
            eprintln!("dbt-triage: unknown command `{other}`\n\n{USAGE}");
            Ok(2)
        }
        None => {
            eprint!("{USAGE}");
            Ok(2)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dbt-triage: {e}");
            ExitCode::from(2)
        }
    }
}

fn emit(s: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(s.as_bytes())?;
    out.flush()
}

fn diagnose(args: &[String]) -> io::Result<u8> {
    let mut format = Format::Text;
    let mut share_base: Option<String> = None;
    let mut paths = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        match flag {
            "--format" | "-f" => {
                let v = inline.or_else(|| it.next().cloned()).unwrap_or_default();
                format = match v.as_str() {
                    "text" => Format::Text,
                    "json" => Format::Json,
                    "markdown" | "md" => Format::Markdown,
                    _ => {
                        eprintln!("dbt-triage: --format takes text, json or markdown, not `{v}`");
                        return Ok(2);
                    }
                };
            }
            "--share-base" => {
                let v = inline.or_else(|| it.next().cloned()).unwrap_or_default();
                if !(v.starts_with("https://") || v.starts_with("http://")) {
                    eprintln!("dbt-triage: --share-base takes the http(s) URL where the app is hosted, not `{v}`");
                    return Ok(2);
                }
                share_base = Some(v);
            }
            "--help" | "-h" => {
                emit(USAGE)?;
                return Ok(0);
            }
            f if f.starts_with('-') && f.len() > 1 => {
                eprintln!("dbt-triage: unknown option `{f}`\n\n{USAGE}");
                return Ok(2);
            }
            _ => paths.push(PathBuf::from(a)),
        }
    }
    if paths.is_empty() {
        eprintln!(
            "dbt-triage: give the files or folders to diagnose, e.g. `dbt-triage diagnose target/ logs/dbt.log`"
        );
        return Ok(2);
    }
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut unreadable = 0;
    for p in &paths {
        match collect(p, &mut files) {
            Ok(0) if p.is_dir() => {
                eprintln!(
                    "dbt-triage: {}: no run_results.json, manifest.json or dbt log found in this folder — \
                     point at the dbt project's target/ folder (with logs/ beside it) or at the files",
                    p.display()
                );
                unreadable += 1;
            }
            Ok(_) => {}
            Err(e) => {
                eprintln!("dbt-triage: {}: {e}", p.display());
                unreadable += 1;
            }
        }
    }
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .map(|(name, bytes)| InputFile { name, bytes })
        .collect();
    let arts = dbt_triage::read(&inputs);
    let lineage = dbt_triage::lineage(&arts);
    let mut diagnosis = dbt_triage::diagnose(&arts, &lineage);
    let usable = arts.inputs.iter().filter(|i| i.kind.is_dbt_input()).count();
    if usable == 0 {
        for i in &arts.inputs {
            let why = i
                .problem
                .clone()
                .unwrap_or_else(|| format!("{} — not an input for a diagnosis", i.detail));
            eprintln!("dbt-triage: {}: {why}", i.name);
        }
        if arts.inputs.is_empty() && unreadable == 0 {
            eprintln!("dbt-triage: nothing to read");
        }
        return Ok(2);
    }
    let nothing =
        arts.run_results.is_empty() && arts.logs.iter().all(|l| l.value.invocations.is_empty());
    if nothing {
        eprintln!(
            "dbt-triage: nothing to diagnose: no run_results.json and no dbt log among the inputs — \
             add target/run_results.json, or logs/dbt.log when dbt failed before writing results"
        );
        return Ok(2);
    }
    if let Some(base) = &share_base {
        match dbt_triage::share::link(
            &diagnosis,
            &lineage,
            base,
            dbt_triage::share::DEFAULT_BUDGET,
        ) {
            Ok(url) => diagnosis.share_url = Some(url),
            Err(e) => eprintln!("dbt-triage: no share link: {e}"),
        }
    }
    let text = match format {
        Format::Text => report::text::render(&diagnosis),
        Format::Json => report::json::render(&diagnosis),
        Format::Markdown => report::markdown::render(&diagnosis),
    };
    emit(&text)?;
    // The process ends here: freeing hundreds of thousands of strings would only cost time.
    std::mem::forget((arts, lineage));
    Ok(match diagnosis.status {
        _ if diagnosis.has_failures() => 1,
        Status::Failed => 1,
        _ => 0,
    })
}

/// Reads a file, or the inputs inside a folder: its JSON and log files, those of `target/` and
/// `logs/` inside it, `logs/` beside it when it is a target folder, and the files of any Power BI
/// project (`*.SemanticModel`, `*.Dataset`, `*.Report` folders) below it. Returns how many were added.
fn collect(path: &Path, files: &mut Vec<(String, Vec<u8>)>) -> io::Result<usize> {
    if !path.is_dir() {
        let bytes = std::fs::read(path)?;
        files.push((path.display().to_string(), bytes));
        return Ok(1);
    }
    let mut dirs = vec![path.to_path_buf(), path.join("target"), path.join("logs")];
    if let Some(parent) = path.parent() {
        dirs.push(parent.join("logs"));
    }
    powerbi_dirs(path, 0, &mut dirs);
    let mut added = 0;
    let mut seen = std::collections::HashSet::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut names: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        names.sort();
        for f in names {
            // The rule reads the path inside the folder given (`logs/` beside it is `logs/`).
            let rel = match f.strip_prefix(path) {
                Ok(r) => r.to_string_lossy().replace('\\', "/"),
                Err(_) => format!(
                    "logs/{}",
                    f.file_name().and_then(|n| n.to_str()).unwrap_or_default()
                ),
            };
            let entry = artifacts::folder::entry(&rel);
            if !f.is_file() || entry == artifacts::folder::Entry::Skip {
                continue;
            }
            let canon = f.canonicalize().unwrap_or_else(|_| f.clone());
            if !seen.insert(canon) {
                continue;
            }
            let name = f.display().to_string();
            if let artifacts::folder::Entry::Unneeded(_) = entry {
                // Named as not needed, as the page does; never read.
                files.push((name, Vec::new()));
                continue;
            }
            let bytes = std::fs::read(&f)?;
            // Inside folders only what is recognized counts; other JSON (package.json, …) is skipped.
            let archive = bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\x1f\x8b");
            let dbt = artifacts::recognize(&bytes).is_some_and(InputKind::is_dbt_input);
            if archive || dbt || dbt_triage::powerbi::sniff(&name, &bytes).is_some() {
                files.push((name, bytes));
                added += 1;
            }
        }
    }
    Ok(added)
}

/// The folders of Power BI projects below `dir` (a few levels deep), with their subfolders.
fn powerbi_dirs(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if depth > 6 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut subdirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    subdirs.sort();
    let inside = is_powerbi_dir(dir);
    for d in subdirs {
        let name = d.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if matches!(
            name,
            "target" | "dbt_packages" | "node_modules" | ".git" | "logs"
        ) {
            continue;
        }
        if inside || is_powerbi_dir(&d) {
            out.push(d.clone());
        }
        powerbi_dirs(&d, depth + 1, out);
    }
    if inside && depth == 0 {
        out.push(dir.to_path_buf());
    }
}

fn is_powerbi_dir(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    [".SemanticModel", ".Dataset", ".Report"]
        .iter()
        .any(|s| name.ends_with(s))
        || p.ancestors().skip(1).any(|a| {
            let n = a.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            [".SemanticModel", ".Dataset", ".Report"]
                .iter()
                .any(|s| n.ends_with(s))
        })
}

fn classify() -> io::Result<u8> {
    let stdin = io::stdin();
    let mut out = io::BufWriter::new(io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let reply = match serde_json::from_str::<serde_json::Value>(&line) {
            Ok(v) => match v.get("message").and_then(|m| m.as_str()) {
                Some(message) => {
                    let adapter = v
                        .get("adapter")
                        .and_then(|a| a.as_str())
                        .and_then(dbt_triage::Adapter::parse);
                    let c = dbt_triage::classify::classify(
                        message,
                        &dbt_triage::classify::Context {
                            adapter: adapter.as_ref(),
                            ..Default::default()
                        },
                    );
                    let mut reply = serde_json::json!({
                        "category": c.category,
                        "title": dbt_triage::diagnose::title_of(&c, adapter.as_ref(), message),
                        "evidence": c.evidence,
                    });
                    // Why this category: the words or the code that decided, as in a diagnosis.
                    if let Some(d) = &c.decided_by {
                        reply["decided_by"] = serde_json::json!(d);
                    }
                    reply
                }
                None => {
                    serde_json::json!({"category": "other", "error": "the line has no \"message\" string"})
                }
            },
            Err(e) => serde_json::json!({"category": "other", "error": format!("not JSON: {e}")}),
        };
        writeln!(out, "{reply}")?;
    }
    out.flush()?;
    Ok(0)
}
