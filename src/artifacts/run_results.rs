//! run_results.json, schema v1–v6 and dbt Fusion's. Reads only what the diagnosis needs; every
//! field but `results` is optional and unknown fields and statuses are kept or ignored, never an error.

use serde::Deserialize;

use crate::artifacts::{version_of, Metadata};
use crate::vocab::ResultStatus;

/// One node's outcome in an invocation, as dbt wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeResult {
    pub unique_id: String,
    /// dbt's status verbatim: `success`, `error`, `skipped`, `pass`, `fail`, `warn`,
    /// `runtime error`, `partial success`, `no-op`, or anything a newer dbt writes.
    pub status: ResultStatus,
    pub message: Option<String>,
    pub failures: Option<u64>,
    pub execution_time: f64,
    pub compiled_code: Option<String>,
    pub relation_name: Option<String>,
    /// A microbatch model's batches (dbt ≥ 1.9), when it has any.
    pub batches: Option<Batches>,
}

/// What `batch_results` says: each batch as its `[start, end)` times, as dbt wrote them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Batches {
    pub successful: Vec<(String, String)>,
    pub failed: Vec<(String, String)>,
}

/// A whole run_results.json.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RunResults {
    pub metadata: Metadata,
    /// The schema version's number (`6` for `run-results/v6.json`), when the file says.
    pub schema_version: Option<u32>,
    pub results: Vec<NodeResult>,
    /// The dbt command (`run`, `build`, `test`, …) from `args.which`.
    pub command: Option<String>,
    /// `--target` when it was given on the command line.
    pub target: Option<String>,
    pub elapsed_time: Option<f64>,
    /// The invocation's other arguments that a rerun needs.
    pub args: RunArgs,
}

/// What run_results' `args` say about how dbt was invoked, beyond the command and target.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RunArgs {
    pub profiles_dir: Option<String>,
    pub project_dir: Option<String>,
    pub target_path: Option<String>,
    /// `--vars`, as JSON, when any were given.
    pub vars: Option<String>,
    /// `--select` (or `--models`), each selector as written.
    pub select: Vec<String>,
    pub exclude: Vec<String>,
    /// The command line as typed (dbt ≥ 1.5), when it is one.
    pub invocation_command: Option<String>,
}

impl NodeResult {
    /// A result with a status and nothing else (a remembered run, a log's progress line).
    pub fn status_only(unique_id: String, status: ResultStatus) -> NodeResult {
        NodeResult {
            unique_id,
            status,
            message: None,
            failures: None,
            execution_time: 0.0,
            compiled_code: None,
            relation_name: None,
            batches: None,
        }
    }

    /// Whether this node's own execution went wrong (the contract's definition of a root).
    pub fn is_root(&self) -> bool {
        self.status.is_failure()
    }

    pub fn is_skipped(&self) -> bool {
        self.status == ResultStatus::Skipped
    }
}

#[derive(Deserialize)]
struct Raw {
    #[serde(default)]
    metadata: Metadata,
    results: Vec<RawResult>,
    #[serde(default)]
    args: Option<RawArgs>,
    #[serde(default)]
    elapsed_time: Option<f64>,
}

#[derive(Deserialize)]
struct RawResult {
    #[serde(default)]
    unique_id: Option<String>,
    /// dbt < 0.19 (and some tools) nest the node instead.
    #[serde(default)]
    node: Option<RawNodeRef>,
    #[serde(default, deserialize_with = "crate::artifacts::lenient_string")]
    status: Option<String>,
    #[serde(default, deserialize_with = "crate::artifacts::lenient_string")]
    message: Option<String>,
    #[serde(default, deserialize_with = "lenient_count")]
    failures: Option<u64>,
    #[serde(default)]
    execution_time: Option<f64>,
    #[serde(default, alias = "compiled_sql")]
    compiled_code: Option<String>,
    #[serde(default)]
    relation_name: Option<String>,
    #[serde(default)]
    batch_results: Option<RawBatches>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawBatches {
    successful: Vec<Vec<serde_json::Value>>,
    failed: Vec<Vec<serde_json::Value>>,
}

impl RawBatches {
    fn into_batches(self) -> Option<Batches> {
        let pair = |v: Vec<serde_json::Value>| -> Option<(String, String)> {
            let text = |x: &serde_json::Value| x.as_str().map(str::to_string);
            Some((text(v.first()?)?, text(v.get(1)?)?))
        };
        let b = Batches {
            successful: self.successful.into_iter().filter_map(pair).collect(),
            failed: self.failed.into_iter().filter_map(pair).collect(),
        };
        (!b.successful.is_empty() || !b.failed.is_empty()).then_some(b)
    }
}

#[derive(Deserialize)]
struct RawNodeRef {
    #[serde(default)]
    unique_id: Option<String>,
}

#[derive(Deserialize)]
struct RawArgs {
    #[serde(default)]
    which: Option<String>,
    #[serde(default)]
    rpc_method: Option<String>,
    #[serde(default)]
    target: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    profiles_dir: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    project_dir: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    target_path: Option<String>,
    #[serde(default)]
    vars: Option<serde_json::Value>,
    #[serde(default)]
    select: Option<serde_json::Value>,
    #[serde(default)]
    models: Option<serde_json::Value>,
    #[serde(default)]
    exclude: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "lenient_text")]
    invocation_command: Option<String>,
}

/// A string, or nothing for any other JSON (dbt writes `null`, and some versions lists).
fn lenient_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v: Option<serde_json::Value> = Option::deserialize(d)?;
    Ok(v.and_then(|v| v.as_str().map(str::to_string))
        .filter(|s| !s.trim().is_empty()))
}

/// Selectors as dbt writes them: a list, a space-separated string, or null.
fn selectors(v: Option<serde_json::Value>) -> Vec<String> {
    match v {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_str())
            .flat_map(str::split_whitespace)
            .map(str::to_string)
            .collect(),
        Some(serde_json::Value::String(s)) => s.split_whitespace().map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

impl RawArgs {
    fn run_args(self) -> (Option<String>, Option<String>, RunArgs) {
        let vars = match self.vars {
            Some(serde_json::Value::Object(m)) if !m.is_empty() => {
                Some(serde_json::Value::Object(m).to_string())
            }
            Some(serde_json::Value::String(s)) if !matches!(s.trim(), "" | "{}") => Some(s),
            _ => None,
        };
        let mut select = selectors(self.select);
        if select.is_empty() {
            select = selectors(self.models);
        }
        let args = RunArgs {
            profiles_dir: self.profiles_dir,
            project_dir: self.project_dir,
            target_path: self.target_path,
            vars,
            select,
            exclude: selectors(self.exclude),
            invocation_command: self.invocation_command,
        };
        (self.which.or(self.rpc_method), self.target, args)
    }
}

/// Reads run_results.json bytes. `Err` holds serde's reason, for the caller to put into words.
pub(crate) fn parse(bytes: &[u8]) -> Result<RunResults, serde_json::Error> {
    let raw: Raw = serde_json::from_slice(bytes)?;
    let schema_version = version_of(raw.metadata.dbt_schema_version.as_deref());
    let results = raw
        .results
        .into_iter()
        .filter_map(|r| {
            let unique_id = r.unique_id.or(r.node.and_then(|n| n.unique_id))?;
            Some(NodeResult {
                unique_id,
                status: ResultStatus::from(r.status.unwrap_or_default().to_ascii_lowercase()),
                message: r.message,
                failures: r.failures,
                execution_time: r.execution_time.unwrap_or(0.0),
                compiled_code: r.compiled_code,
                relation_name: r.relation_name,
                batches: r.batch_results.and_then(RawBatches::into_batches),
            })
        })
        .collect();
    let (command, target, args) = match raw.args {
        Some(a) => a.run_args(),
        None => (None, None, RunArgs::default()),
    };
    Ok(RunResults {
        metadata: raw.metadata,
        schema_version,
        results,
        command,
        target,
        elapsed_time: raw.elapsed_time,
        args,
    })
}

/// `failures` is a count, but old versions and some adapters write it as a float or a string.
fn lenient_count<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let v: Option<serde_json::Value> = Option::deserialize(d)?;
    Ok(match v {
        Some(serde_json::Value::Number(n)) => n.as_u64().or_else(|| n.as_f64().map(|f| f as u64)),
        Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    })
}
