//! `resource`: timeouts, memory, quotas, locks and concurrency conflicts.
//!
//! # What it looks like
//! `Database Error in model fct_events (models/marts/fct_events.sql)`
//! `  000630 (57014): Statement reached its statement or warehouse timeout of 3600 second(s) and was canceled.`
//! `  deadlock detected`
//!
//! # Why dbt fails
//! The query needed more time, memory or quota than the warehouse allows, or collided with
//! another job on the same table. The SQL may be fine: the same model often passes on a rerun.
//!
//! # What to do
//! Rerun once other jobs finished; for repeated failures, make the model incremental, raise the
//! timeout or warehouse size for this model (`snowflake_warehouse`, `job_execution_timeout_seconds`),
//! or schedule jobs that write the same tables so they do not overlap.

use super::Rule;

/// Before the connection rules: the client ran out of memory (ENOMEM), whatever request it was
/// making when it did (a connection pool's retries name the URL, not the cause).
pub(super) const FIRST: &[Rule] = &[
    Rule::any(r"Cannot allocate memory"),
    // The process was killed (SIGKILL, exit 137): an orchestrator's memory limit, as a rule.
    Rule::any(r"(?:return|exit) code (?:-9|137)\b[^\n]*"),
];

/// Signals strong enough to win over the missing-relation and SQL readings of the same message
/// (a relation "missing" because a concurrent run dropped it, a WAL replay failure).
pub(super) const EARLY: &[Rule] = &[
    // A statement the engine will not take in for its size (a generated IN list, a seed's
    // INSERT, an on-run-end upload): the limit is the warehouse's, not a syntax error.
    Rule::any(
        r"The query is too large[^\n]*|maximum (?:standard )?SQL query length[^\n]*|statement is too large[^\n]*|maximum number of expressions in a list exceeded[^\n]*|Too many partitions produced by query[^\n]*",
    ),
    // Another writer first: Delta's optimistic commits, BigQuery's streaming buffer, Redshift's
    // one VACUUM at a time, ClickHouse's guard against dropping a big table.
    Rule::any(
        r"Conflicting commit[^\n]*|would affect rows in the streaming buffer[^\n]*|VACUUM is running[^\n]*|re-execute after other vacuum finished|max_table_size_to_drop[^\n]*",
    ),
    // An orchestrator waited for a dbt Cloud job longer than it was told to.
    Rule::any(r"has not reached a terminal status after[^\n]*"),
    Rule::any(
        r"Exception in WAL playback[^\n]*|Could not set lock on file[^\n]*|Conflicting lock is held[^\n]*",
    ),
    Rule::any(r#"relation "?(?P<relation>[^"\s]+)"? already exists"#),
    // Two sessions creating the same schema/type/table at once collide in Postgres' catalog.
    Rule::any(
        r#"duplicate key value violates unique constraint "(?P<object>pg_(?:namespace_nspname|type_typname_nsp|class_relname_nsp)_index)"|tuple concurrently (?:updated|deleted)"#,
    ),
    Rule::any(
        r"remaining connection slots are reserved[^\n]*|too many (?:clients|connections)[^\n]*|sorry, too many clients already|failed to satisfy constraint: Member must have length less than or equal to[^\n]*",
    ),
];

pub(super) const RULES: &[Rule] = &[
    // The account's plan: BigQuery's sandbox (no billing) refuses what its limits do not allow.
    Rule::any(r"Billing has not been enabled for this project[^\n]*|while in sandbox mode[^\n]*"),
    // A query too complex for the optimizer (SQL Server / Synapse error 8632).
    Rule::any(r"expression services limit has been reached[^\n]*"),
    // The service had no capacity for the query just then.
    Rule::any(
        r"could not be scheduled[^\n]*|Please try again later[^\n]*|HTTP Response code: 50[234][^\n]*",
    ),
    Rule::any(
        r"supports a maximum of \d+ parameters[^\n]*|too many parameters[^\n]*|exceeds the allowed maximum[^\n]*",
    ),
    Rule::any(
        r"Statement reached its statement or warehouse timeout[^\n]*|Query exceeded (?:time limit|resource limits|limit for bytes billed)[^\n]*|canceling statement due to (?:statement|lock) timeout|timeout of \d+ second[^\n]*|Query timed out[^\n]*|Operation timed out[^\n]*|execution expired|Job execution was cancelled: Job timed out[^\n]*|Query execution was canceled[^\n]*",
    ),
    Rule::any(
        r"Out of Memory Error[^\n]*|out of memory[^\n]*|OutOfMemory[^\n]*|OOM[^\n]*killed|EXCEEDED_(?:LOCAL_|GLOBAL_)?MEMORY_LIMIT[^\n]*|Query exceeded (?:per-node |distributed )?(?:user |total )?memory limit[^\n]*|Resources exceeded during query execution[^\n]*|Query exhausted resources[^\n]*",
    ),
    Rule::any(
        r"[Qq]uota exceeded[^\n]*|rateLimitExceeded[^\n]*|Exceeded rate limits[^\n]*|too many (?:concurrent|requests)[^\n]*|429 Too Many Requests",
    ),
    Rule::any(
        r"deadlock detected|[Dd]eadlock[^\n]*victim[^\n]*|could not obtain lock[^\n]*|lock timeout[^\n]*|could not serialize access[^\n]*|Serializable isolation violation[^\n]*|ConcurrentAppendException[^\n]*|DELTA_CONCURRENT_[A-Z_]+[^\n]*|Transaction [^\n]*was aborted because of a deadlock|TABLE_LOCKED|Could not acquire lock[^\n]*|is locked|Lock wait timeout",
    ),
    Rule::any(
        r"No space left on device|[Dd]isk (?:is )?full|exceeded the maximum (?:size|number)[^\n]*|cannot be resumed because resource monitor[^\n]*|Warehouse '[^'\n]*' cannot be resumed[^\n]*",
    ),
    // Another session changed the same table meanwhile.
    Rule::any(
        r"dropped by concurrent transaction[^\n]*|concurrent (?:update|transaction|modification)[^\n]*|MetadataChangedException[^\n]*|ProtocolChangedException[^\n]*|Snapshot isolation transaction aborted due to update conflict[^\n]*|already in use[^\n]*(?:temporary|session)|temporary table already in use|ICEBERG_COMMIT_ERROR[^\n]*|CommitFailedException[^\n]*",
    ),
    // Limits of the service: scanned bytes, columns, request rates, workers, admission.
    Rule::any(
        r"(?:Bytes scanned|Query) (?:limit )?(?:was )?exceeded[^\n]*|exceeded (?:the )?maximum[^\n]*|TooManyRequestsException[^\n]*|ThrottlingException[^\n]*|Rate exceeded|SlowDown|too many errors talking to a worker node[^\n]*|Failed to classify the current request into a workload group[^\n]*|bad allocation|cancell?ed on user'?s request[^\n]*|statement timeout|Request timed out[^\n]*|exceeded the limit[^\n]*|limit exceeded[^\n]*|Insufficient (?:resources|memory)[^\n]*",
    ),
    // Two runs at once: a refresh already running, a relation dropped between lookup and use.
    Rule::any(r"A refresh is already running[^\n]*|could not open relation with OID \d+"),
    Rule::any(r"due to current resource constraints[^\n]*"),
    // A seed batch past the driver's bind-parameter limit (`'h' format requires …`).
    Rule::any(r"'\w' format requires -?\d+ <= number <= \d+"),
];

use super::fix::{FixContext, FixStep};

/// Postgres' catalog indexes colliding: `duplicate key value violates unique constraint
/// "pg_namespace_nspname_index" … Key (nspname)=(public_mart) already exists` → the schema,
/// when the message names it.
fn catalog_race(message: &str) -> Option<Option<String>> {
    let race = [
        "pg_namespace_nspname_index",
        "pg_type_typname_nsp_index",
        "pg_class_relname_nsp_index",
        "tuple concurrently",
    ]
    .iter()
    .any(|k| message.contains(k));
    if !race {
        return None;
    }
    let schema = message
        .split_once("Key (nspname)=(")
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(s, _)| s.to_string());
    Some(schema)
}
use crate::adapter::Family;

pub(super) fn fix(cx: &FixContext<'_>) -> Vec<FixStep> {
    let lower = cx.message.to_ascii_lowercase();
    let node = cx.node();
    let mut steps = Vec::new();
    if let Some(schema) = catalog_race(cx.message) {
        // Postgres' catalog: two sessions ran `create schema if not exists` (or created the same
        // type or table) at the same moment; the other one won.
        let what = schema
            .map(|s| format!("schema {s}"))
            .unwrap_or_else(|| "the same object".into());
        steps.push(FixStep::say(format!(
            "Two dbt runs created {what} at the same moment and this one lost the race (the other \
             run's did it): rerun. To keep it from coming back, keep runs of this project from \
             overlapping — in Airflow max_active_runs=1 on the DAG or a pool with one slot for the \
             dbt tasks — or create the schemas before the runs start"
        )));
        return steps;
    }
    if lower.contains("already exists") {
        steps.push(FixStep::say(format!(
            "{node}'s relation already existed when dbt created it: another run of the same model \
             made it at the same time, or an earlier run stopped (a timeout, a killed job) after \
             creating it. If no other run is going, drop the leftover relation the message names \
             and rerun {node}; if runs overlap, keep them from it (one job at a time for this \
             project, or different target schemas per job)"
        )));
        return steps;
    }
    if [
        "too many clients",
        "too many connections",
        "connection slots",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        steps.push(FixStep::say(
            "The warehouse had no free connection for this run: lower the profile's `threads`, or \
             the number of jobs that connect at once, or raise the server's connection limit",
        ));
    } else if [
        "lock",
        "concurrent",
        "serializ",
        "conflict",
        "already in use",
        "modified by a ddl",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        steps.push(FixStep::say(format!(
            "Another job wrote the same table at the same time: rerun {node} once it finished, and \
             schedule the jobs that write it so they do not overlap"
        )));
    } else if lower.contains("quota") || lower.contains("rate") {
        steps.push(FixStep::say(
            "A quota or rate limit was hit: rerun later, or lower the run's `threads`",
        ));
    } else {
        let knob = match cx.adapter().family() {
            Family::Snowflake => "a bigger warehouse for this model (config snowflake_warehouse) or a longer STATEMENT_TIMEOUT_IN_SECONDS",
            Family::BigQuery => "a longer job_execution_timeout_seconds in the profile, or maximum_bytes_billed",
            Family::Spark => "a bigger SQL warehouse/cluster for this model",
            Family::Postgres | Family::Redshift => "a longer statement_timeout for the dbt role, or an index/sort key on the join columns",
            Family::ClickHouse => "higher max_execution_time / max_memory_usage in the model's settings config",
            Family::Trino => "a longer query_max_execution_time (a session property), or a bigger cluster or Athena workgroup limit",
            Family::TSql => "a bigger Fabric capacity or Synapse resource class / DWU for the dbt user",
            Family::DuckDb => "a higher memory_limit (and fewer threads) in the profile's settings",
            Family::Oracle => "more TEMP tablespace or a longer resource-manager limit for the dbt user",
            _ => "more time or memory for this model",
        };
        steps.push(FixStep::say(format!(
            "{node} needed more time or memory than allowed: make it incremental or cheaper, or give \
             it {knob}"
        )));
    }
    steps
}
