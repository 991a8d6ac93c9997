//! Dropped bytes → artifacts. Files are recognized by their content, never their names, and read
//! leniently. Total: every input ends up in [`Artifacts::inputs`], taken as something or explained
//! as unusable in words that name the file and say what to do; nothing here panics on any bytes.

mod archive;
pub mod folder;
pub mod log;
pub mod manifest;
pub mod run_results;
pub mod sources;
pub mod staged;
pub mod unwrap;

use serde::{Deserialize, Serialize};

pub use log::{Log, LogInvocation, LogNodeError, LogSkip};
pub use manifest::{ExposureInfo, GenericTest, Manifest, Node};
pub use run_results::{NodeResult, RunResults};
pub use sources::{SourceFreshness, Sources, Threshold};
pub use staged::{read_first, Staged};

/// The newest schema versions this build knows; newer ones are read leniently with a warning.
pub const NEWEST_RUN_RESULTS: u32 = 6;
pub const NEWEST_MANIFEST: u32 = 12;

/// One file handed to the core: a display name (a path or a dropped file's name) and its bytes.
#[derive(Debug, Clone, Copy)]
pub struct InputFile<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// The `metadata` block dbt writes at the top of its JSON artifacts.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct Metadata {
    #[serde(deserialize_with = "lenient_string")]
    pub dbt_schema_version: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub dbt_version: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub generated_at: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub invocation_id: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub adapter_type: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub project_name: Option<String>,
}

/// What a file was taken as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    RunResults,
    Manifest,
    Log,
    /// sources.json, from `dbt source freshness`.
    Sources,
    /// A Power BI file (PBIP TMDL, model.bim, scanner result, report definition).
    PowerBi,
    /// A file that is not one of the inputs (a catalog.json, a semantic_manifest.json, …): named, unused.
    Ignored,
    /// A file that could not be read; `InputReport::problem` says why and what to do.
    Unreadable,
}

/// How one input was taken, for the page's "what was loaded" list and the CLI's warnings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputReport {
    pub name: String,
    pub kind: InputKind,
    /// e.g. `run_results v6 · dbt 1.10.2 · generated 2026-11-25T17:01:02Z · 42 results`.
    pub detail: String,
    /// Why the file could not be used, and what to do; `None` when it was used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// A file read successfully, with the name it came under.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded<T> {
    pub name: String,
    pub value: T,
}

/// Everything read from the inputs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Artifacts {
    pub run_results: Vec<Loaded<RunResults>>,
    pub manifests: Vec<Loaded<Manifest>>,
    pub logs: Vec<Loaded<Log>>,
    /// sources.json files (`dbt source freshness`).
    pub sources: Vec<Loaded<Sources>>,
    /// Earlier runs the page remembered (statuses only): history, never diagnosed themselves.
    pub remembered: Vec<RunResults>,
    /// Power BI semantic models and reports, read from all Power BI files together.
    pub powerbi: crate::powerbi::PowerBi,
    pub inputs: Vec<InputReport>,
}

/// What the content of a file says it is, before it is parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Sniffed {
    RunResults,
    Manifest,
    Log,
    Sources,
    /// Another dbt artifact or a known non-input: what it is and what it is for.
    Ignored(&'static str),
    Unreadable(String),
}

/// Reads every input. Pure: the caller did the I/O.
pub fn read(files: &[InputFile<'_>]) -> Artifacts {
    let mut out = Artifacts::default();
    let mut powerbi: Vec<(String, Vec<u8>)> = Vec::new();
    for f in files {
        read_one(f, &mut out, &mut powerbi);
    }
    if !powerbi.is_empty() {
        let pairs: Vec<(&str, &[u8])> = powerbi
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect();
        out.powerbi = crate::powerbi::read(&pairs);
        for issue in &out.powerbi.issues {
            out.inputs.push(InputReport {
                name: issue.file.clone(),
                kind: InputKind::Unreadable,
                detail: String::new(),
                problem: Some(issue.problem.clone()),
            });
        }
    }
    out
}

fn read_one(f: &InputFile<'_>, out: &mut Artifacts, powerbi: &mut Vec<(String, Vec<u8>)>) {
    let name = f.name.to_string();
    if is_zip(f.bytes) {
        match archive::entries(f.name, f.bytes) {
            Ok(entries) if entries.is_empty() => out.inputs.push(InputReport {
                name,
                kind: InputKind::Unreadable,
                detail: String::new(),
                problem: Some(
                    "this ZIP archive holds no run_results.json, manifest.json or log — zip the \
                     dbt project's target/ folder (and logs/)"
                        .into(),
                ),
            }),
            Ok(entries) => {
                for (entry_name, bytes) in &entries {
                    // Entries are read like dropped files; ZIPs inside ZIPs are not opened.
                    let inner = InputFile {
                        name: entry_name,
                        bytes,
                    };
                    if is_zip(bytes) {
                        continue;
                    }
                    read_one(&inner, out, powerbi);
                }
            }
            Err(problem) => out.inputs.push(InputReport {
                name,
                kind: InputKind::Unreadable,
                detail: String::new(),
                problem: Some(problem),
            }),
        }
        return;
    }
    let unreadable = |problem: String| InputReport {
        name: name.clone(),
        kind: InputKind::Unreadable,
        detail: String::new(),
        problem: Some(problem),
    };
    if is_gzip(f.bytes) {
        // `manifest.json.gz`: how CI systems often keep artifacts. Read what it holds, once.
        match archive::gunzip(f.bytes) {
            Ok(inner) if is_gzip(&inner) || is_zip(&inner) => out.inputs.push(unreadable(
                "this gzip file holds another archive — unpack it and add the files inside".into(),
            )),
            Ok(inner) => read_one(
                &InputFile {
                    name: f.name,
                    bytes: &inner,
                },
                out,
                powerbi,
            ),
            Err(problem) => out.inputs.push(unreadable(problem)),
        }
        return;
    }
    // Content decides; a file dbt writes that no diagnosis needs is named as such by its name.
    let sniffed = match (sniff(f.bytes), folder::unneeded(f.name)) {
        (Sniffed::Unreadable(_), Some(what)) => Sniffed::Ignored(what),
        (s, _) => s,
    };
    match sniffed {
        Sniffed::RunResults => match run_results::parse(f.bytes) {
            Ok(rr) => {
                let detail = format!(
                    "run_results{} · {} results{}",
                    version_text(rr.schema_version),
                    rr.results.len(),
                    metadata_text(&rr.metadata)
                );
                out.inputs.push(used(&name, InputKind::RunResults, detail));
                out.run_results.push(Loaded { name, value: rr });
            }
            Err(e) => out
                .inputs
                .push(unreadable(json_problem("run_results.json", &e))),
        },
        Sniffed::Manifest => match manifest::parse(f.bytes) {
            Ok(m) => {
                let detail = format!(
                    "manifest{} · {} nodes{}",
                    version_text(m.schema_version),
                    m.nodes.len(),
                    metadata_text(&m.metadata)
                );
                out.inputs.push(used(&name, InputKind::Manifest, detail));
                out.manifests.push(Loaded { name, value: m });
            }
            Err(e) => out
                .inputs
                .push(unreadable(json_problem("manifest.json", &e))),
        },
        Sniffed::Sources => match sources::parse(f.bytes) {
            Ok(s) => {
                let stale = s.results.iter().filter(|r| r.is_error()).count();
                let warn = s.results.iter().filter(|r| r.is_warn()).count();
                let detail = format!(
                    "sources (freshness){} · {} sources, {stale} stale, {warn} warn{}",
                    version_text(s.schema_version),
                    s.results.len(),
                    metadata_text(&s.metadata)
                );
                out.inputs.push(used(&name, InputKind::Sources, detail));
                out.sources.push(Loaded { name, value: s });
            }
            Err(e) => out
                .inputs
                .push(unreadable(json_problem("sources.json", &e))),
        },
        Sniffed::Log => {
            let text = String::from_utf8_lossy(f.bytes);
            let log = log::parse(&text);
            let detail = match log.invocations.len() {
                0 => "dbt log · no dbt invocation found".to_string(),
                1 => format!("dbt log · 1 invocation{}", log_text(&log)),
                n => format!("dbt log · {n} invocations{}", log_text(&log)),
            };
            out.inputs.push(used(&name, InputKind::Log, detail));
            out.logs.push(Loaded { name, value: log });
        }
        Sniffed::Ignored(what) => out.inputs.push(InputReport {
            name,
            kind: InputKind::Ignored,
            detail: what.to_string(),
            problem: None,
        }),
        Sniffed::Unreadable(why) => match crate::powerbi::sniff(f.name, f.bytes) {
            // Power BI files are read together at the end: a model spans many TMDL files.
            Some(kind) => {
                out.inputs.push(used(
                    &name,
                    InputKind::PowerBi,
                    powerbi_detail(kind).to_string(),
                ));
                powerbi.push((name, f.bytes.to_vec()));
            }
            None => out.inputs.push(unreadable(why)),
        },
    }
}

/// A file taken as `kind`.
fn used(name: &str, kind: InputKind, detail: impl Into<String>) -> InputReport {
    InputReport {
        name: name.to_string(),
        kind,
        detail: detail.into(),
        problem: None,
    }
}

fn powerbi_detail(kind: crate::powerbi::PowerBiKind) -> &'static str {
    use crate::powerbi::PowerBiKind;
    match kind {
        PowerBiKind::Tmdl => "Power BI semantic model (TMDL)",
        PowerBiKind::ModelBim => "Power BI semantic model (model.bim)",
        PowerBiKind::Scanner => "Power BI admin scanner result",
        PowerBiKind::ReportDefinition => "Power BI report definition (definition.pbir)",
    }
}

fn version_text(v: Option<u32>) -> String {
    v.map(|v| format!(" v{v}")).unwrap_or_default()
}

fn metadata_text(m: &Metadata) -> String {
    let mut s = String::new();
    if let Some(v) = &m.dbt_version {
        s.push_str(&format!(" · dbt {v}"));
    }
    if let Some(g) = &m.generated_at {
        s.push_str(&format!(" · generated {g}"));
    }
    s
}

fn log_text(log: &Log) -> String {
    match log.invocations.last() {
        Some(inv) => {
            let mut s = String::new();
            if let Some(v) = &inv.dbt_version {
                s.push_str(&format!(" · dbt {v}"));
            }
            if let Some(t) = &inv.started_at {
                s.push_str(&format!(" · newest started {t}"));
            }
            s
        }
        None => String::new(),
    }
}

/// Says why JSON that looked like `what` could not be read, and what to do.
fn json_problem(what: &str, e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Eof => format!(
            "this {what} ends early (line {}, column {}): the file is truncated — copy it again \
             from target/ after dbt has finished",
            e.line(),
            e.column()
        ),
        Category::Syntax => format!(
            "this {what} is not valid JSON at line {}, column {} — copy it again from target/",
            e.line(),
            e.column()
        ),
        _ => format!(
            "this looks like {what} but its content is not what dbt writes ({e}) — check that it \
             is the file dbt wrote in target/"
        ),
    }
}

/// How far into a file sniffing looks for a dbt schema URL; dbt writes `metadata` first.
const SNIFF_WINDOW: usize = 64 * 1024;

pub(crate) fn sniff(bytes: &[u8]) -> Sniffed {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace());
    let Some(start) = start else {
        return Sniffed::Unreadable(
            "the file is empty — dbt may still have been writing it; copy it again".into(),
        );
    };
    let body = &bytes[start..];
    if body.starts_with(b"PK\x03\x04") {
        // Only reached for ZIPs inside ZIPs: `read` opens archives before sniffing.
        return Sniffed::Unreadable(
            "this is a ZIP archive inside a ZIP archive — unzip it and add the target/ folder"
                .into(),
        );
    }
    let head = &body[..body.len().min(SNIFF_WINDOW)];
    let binary = head.iter().filter(|b| **b == 0 || (**b < 0x09)).count();
    if binary > 0
        || std::str::from_utf8(&head[..head.len().min(4096).min(valid_utf8_prefix(head))]).is_err()
    {
        return Sniffed::Unreadable(
            "this is a binary file, not a dbt artifact — add run_results.json, manifest.json or \
             dbt.log from the dbt project's target/ and logs/ folders"
                .into(),
        );
    }
    if body[0] == b'{' {
        return sniff_json(head);
    }
    let text = String::from_utf8_lossy(head);
    if log::looks_like_log(&text) {
        return Sniffed::Log;
    }
    if body[0] == b'[' {
        return Sniffed::Unreadable(
            "this is a JSON list, not a dbt artifact — dbt's run_results.json and manifest.json \
             are JSON objects in the target/ folder"
                .into(),
        );
    }
    Sniffed::Unreadable(
        "this is neither a dbt artifact nor a dbt log — add run_results.json and manifest.json \
         from target/, or logs/dbt.log, or the console output of the failed dbt command"
            .into(),
    )
}

/// The length of the longest prefix that is valid UTF-8 but for a character cut at the end.
fn valid_utf8_prefix(b: &[u8]) -> usize {
    match std::str::from_utf8(b) {
        Ok(_) => b.len(),
        Err(e) if e.error_len().is_none() => e.valid_up_to(),
        Err(_) => b.len(),
    }
}

fn sniff_json(head: &[u8]) -> Sniffed {
    let text = String::from_utf8_lossy(head);
    if let Some(url) = schema_url(&text) {
        let kind = url.rsplit('/').nth(1).unwrap_or_default();
        return match kind {
            "run-results" => Sniffed::RunResults,
            "manifest" => Sniffed::Manifest,
            "catalog" => Sniffed::Ignored(
                "catalog.json (from dbt docs generate: column types for the docs site) — not \
                 needed for a diagnosis",
            ),
            "sources" => Sniffed::Sources,
            "semantic-manifest" | "semantic_manifest" => Sniffed::Ignored(
                "semantic_manifest.json (the semantic layer's definitions) — not needed for a \
                 diagnosis",
            ),
            _ => Sniffed::Ignored("a dbt artifact of a kind this tool does not read"),
        };
    }
    // JSON log lines: every line an object with `info` (dbt 1.x `--log-format json`).
    if text.starts_with("{\"info\"")
        || text.contains("\"info\": {") && text.contains("\"invocation_id\"")
    {
        let first = text.lines().next().unwrap_or_default();
        if first.contains("\"info\"") {
            return Sniffed::Log;
        }
    }
    if text.contains("\"semantic_models\"") && text.contains("\"project_configuration\"") {
        return Sniffed::Ignored(
            "semantic_manifest.json (the semantic layer's definitions) — not needed for a diagnosis",
        );
    }
    // dbt ≤ 0.18's sources.json: no schema URL, a map of sources with their freshness.
    if text.contains("\"sources\"")
        && text.contains("\"snapshotted_at\"")
        && !text.contains("\"nodes\"")
    {
        return Sniffed::Sources;
    }
    if text.contains("\"results\"") && text.contains("\"elapsed_time\"") {
        return Sniffed::RunResults;
    }
    if text.contains("\"nodes\"") && (text.contains("\"macros\"") || text.contains("\"sources\"")) {
        return Sniffed::Manifest;
    }
    Sniffed::Unreadable(
        "this is JSON but not a dbt artifact — add run_results.json and manifest.json from the \
         dbt project's target/ folder"
            .into(),
    )
}

/// The `dbt_schema_version` URL near the start of a JSON artifact.
fn schema_url(text: &str) -> Option<&str> {
    let at = text.find("\"dbt_schema_version\"")?;
    let rest = &text[at + "\"dbt_schema_version\"".len()..];
    let rest = rest
        .trim_start()
        .strip_prefix(':')?
        .trim_start()
        .strip_prefix('"')?;
    Some(&rest[..rest.find('"')?])
}

/// `https://schemas.getdbt.com/dbt/manifest/v12.json` → `Some(12)`.
pub(crate) fn version_of(url: Option<&str>) -> Option<u32> {
    let file = url?.rsplit('/').next()?;
    file.strip_prefix('v')?
        .trim_end_matches(".json")
        .parse()
        .ok()
}

/// A string field that tolerates `null`, numbers and booleans (written by other tools or older dbt).
pub(crate) fn lenient_string<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<String>, D::Error> {
    let v: Option<serde_json::Value> = Option::deserialize(d)?;
    Ok(match v {
        Some(serde_json::Value::String(s)) => Some(s),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        Some(serde_json::Value::Bool(b)) => Some(b.to_string()),
        _ => None,
    })
}

impl Artifacts {
    /// The inputs as they stood after the run `invocation_id`: later run_results left out, and
    /// logs cut after that invocation (a log that does not hold it, but other invocations, is
    /// left out too — it could only be newer or unrelated). `None` when no run_results has that id.
    pub fn as_of(&self, invocation_id: &str) -> Option<Artifacts> {
        let chosen = self
            .run_results
            .iter()
            .find(|l| l.value.metadata.invocation_id.as_deref() == Some(invocation_id))?;
        let at = chosen.value.metadata.generated_at.clone();
        let mut out = self.clone();
        out.run_results.retain(|l| {
            l.value.metadata.invocation_id.as_deref() == Some(invocation_id)
                || (at.is_some() && l.value.metadata.generated_at <= at)
        });
        out.logs.retain_mut(|l| {
            let invs = &mut l.value.invocations;
            match invs
                .iter()
                .position(|i| i.invocation_id.as_deref() == Some(invocation_id))
            {
                Some(p) => {
                    invs.truncate(p + 1);
                    true
                }
                None => invs.iter().all(|i| i.invocation_id.is_none()),
            }
        });
        Some(out)
    }

    /// The freshness results the diagnosis uses: the newest by `generated_at` (then the last given).
    pub fn sources(&self) -> Option<&Sources> {
        newest(&self.sources, |s| &s.metadata).map(|l| &l.value)
    }

    /// The run results the diagnosis uses: the newest by `generated_at` (then the last given).
    pub fn run_results(&self) -> Option<&RunResults> {
        self.run_results_loaded().map(|l| &l.value)
    }

    pub(crate) fn run_results_loaded(&self) -> Option<&Loaded<RunResults>> {
        newest(&self.run_results, |r| &r.metadata)
    }

    /// The Power BI semantic models matched to the manifest's relations (empty without either).
    pub fn powerbi_matches(&self) -> Vec<crate::powerbi::ModelMatch> {
        match self.manifest() {
            Some(m) if !self.powerbi.models.is_empty() => {
                crate::powerbi::match_sources(&self.powerbi, m, m.metadata.adapter_type.as_deref())
            }
            _ => Vec::new(),
        }
    }

    /// The manifest the diagnosis uses: the one holding most of the results' nodes, then the
    /// one from the same invocation, then the newest.
    pub fn manifest(&self) -> Option<&Manifest> {
        self.manifest_loaded().map(|l| &l.value)
    }

    pub(crate) fn manifest_loaded(&self) -> Option<&Loaded<Manifest>> {
        if self.manifests.len() <= 1 {
            return self.manifests.first();
        }
        let rr = self.run_results();
        self.manifests
            .iter()
            .enumerate()
            .max_by_key(|(i, m)| {
                let held = rr.map_or(0, |rr| {
                    rr.results
                        .iter()
                        .filter(|r| m.value.nodes.contains_key(&r.unique_id))
                        .count()
                });
                let same = rr.is_some_and(|rr| {
                    rr.metadata.invocation_id.is_some()
                        && rr.metadata.invocation_id == m.value.metadata.invocation_id
                });
                (held, same, m.value.metadata.generated_at.clone(), *i)
            })
            .map(|(_, m)| m)
    }
}

/// The newest file by its `generated_at`, the last given among equals.
fn newest<T>(files: &[Loaded<T>], metadata: impl Fn(&T) -> &Metadata) -> Option<&Loaded<T>> {
    files
        .iter()
        .enumerate()
        .max_by(|(i, a), (j, b)| {
            let (a, b) = (metadata(&a.value), metadata(&b.value));
            a.generated_at.cmp(&b.generated_at).then(i.cmp(j))
        })
        .map(|(_, l)| l)
}

fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x1f\x8b")
}

fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

impl InputKind {
    /// A dbt artifact or log the diagnosis reads (not Power BI, not an ignored or bad file).
    pub fn is_dbt_input(self) -> bool {
        matches!(
            self,
            InputKind::RunResults | InputKind::Manifest | InputKind::Log | InputKind::Sources
        )
    }

    /// The stable name: `run_results`, `manifest`, `log`, `sources`, `power_bi`, `ignored`, `unreadable`.
    pub fn as_str(self) -> &'static str {
        match self {
            InputKind::RunResults => "run_results",
            InputKind::Manifest => "manifest",
            InputKind::Log => "log",
            InputKind::Sources => "sources",
            InputKind::PowerBi => "power_bi",
            InputKind::Ignored => "ignored",
            InputKind::Unreadable => "unreadable",
        }
    }
}

/// What a file's content says it is, without parsing all of it: `None` when it is no input at all.
pub fn recognize(bytes: &[u8]) -> Option<InputKind> {
    match sniff(bytes) {
        Sniffed::RunResults => Some(InputKind::RunResults),
        Sniffed::Manifest => Some(InputKind::Manifest),
        Sniffed::Log => Some(InputKind::Log),
        Sniffed::Sources => Some(InputKind::Sources),
        Sniffed::Ignored(_) => Some(InputKind::Ignored),
        Sniffed::Unreadable(_) => None,
    }
}
