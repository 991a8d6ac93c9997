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

use super::fix::{mentions, FixContext, FixStep};

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
    steps.extend(limit_steps(Limit::of(&lower), cx));
    steps
}

/// Which limit a resource failure hit. They are lifted by different knobs — a bigger warehouse
/// does nothing for a fixed size limit, and a longer timeout only makes a full disk fill longer —
/// so the kind is read before any advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Limit {
    /// No free connection on the server.
    Connections,
    /// Another session held or changed the same table.
    Contention,
    /// An embedded database's file (DuckDB) held by another process, or its write-ahead log
    /// left by one that stopped.
    DatabaseFile,
    /// The process running dbt was killed (an orchestrator's memory limit, the OS).
    ClientKilled,
    /// The service said to try again: no capacity just then.
    Transient,
    /// A quota, rate, bytes-billed or credit limit of the account.
    Quota,
    /// Disk or temporary space for intermediate results.
    Disk,
    /// A fixed size limit of the engine: statement length, list or parameter count,
    /// partitions or writers, one value's size. No bigger warehouse lifts it.
    Size,
    /// The query is too complex to plan.
    Complexity,
    /// Memory while running.
    Memory,
    /// Time: a statement or job timeout, a cancel.
    Time,
}

impl Limit {
    /// The kind of limit from the message's words (lower-cased); time when nothing else says.
    fn of(lower: &str) -> Limit {
        let says = |words: &[&str]| mentions(lower, words);
        if says(&[
            "too many clients",
            "too many connections",
            "connection slots",
        ]) {
            Limit::Connections
        } else if says(&["wal playback", "could not set lock on file"]) {
            Limit::DatabaseFile
        } else if says(&[
            "lock",
            "concurrent",
            "serializ",
            "conflict",
            "already in use",
            "modified by a ddl",
            "vacuum is running",
            "streaming buffer",
        ]) {
            Limit::Contention
        } else if says(&[
            "return code -9",
            "exit code 137",
            "cannot allocate memory",
            "run memory limits",
            "killed dbt",
            "sigkill",
            "oomkilled",
        ]) {
            Limit::ClientKilled
        } else if says(&[
            "try again",
            "please retry",
            "transient",
            "could not be scheduled",
        ]) {
            Limit::Transient
        } else if says(&[
            "quota",
            "rate limit",
            "ratelimit",
            "rate exceeded",
            "request rate",
            "too many requests",
            "throttl",
            "slowdown",
            "bytes billed",
            "bytes scanned",
            "cpu seconds",
            "resource monitor",
            "billing",
            "sandbox",
            "capacity is currently not active",
        ]) {
            Limit::Quota
        } else if says(&[
            "memory limit",
            "memory_limit_exceeded",
            "out of memory",
            "outofmemory",
        ]) {
            Limit::Memory
        } else if says(&[
            "no space left",
            "disk",
            "temp segment",
            "temp_file_limit",
            "tablespace",
            "filegroup",
            "spill",
        ]) {
            Limit::Disk
        } else if says(&[
            "too large",
            "query length",
            "expressions in a list",
            "parameters",
            "maximum columns",
            "too many partitions",
            "open writers",
            "too many parts",
            "lob size",
            "length less than or equal",
            "format requires",
        ]) {
            Limit::Size
        } else if says(&[
            "too complex",
            "query planning",
            "expression services limit",
            "stack overflow",
            "use_mark_distinct",
        ]) {
            Limit::Complexity
        } else if says(&[
            "memory",
            "resources exceeded",
            "heap",
            "allocat",
            "resource class",
            "resource constraints",
            "insufficient resources",
        ]) {
            Limit::Memory
        } else {
            Limit::Time
        }
    }
}

fn limit_steps(limit: Limit, cx: &FixContext<'_>) -> Vec<FixStep> {
    let node = cx.node();
    let family = cx.adapter().family();
    let say = match limit {
        Limit::Connections => "The warehouse had no free connection for this run: lower the profile's \
             `threads`, or the number of jobs that connect at once, or raise the server's connection \
             limit"
            .to_string(),
        Limit::Contention => format!(
            "Another job wrote the same table at the same time: rerun {node} once it finished, and \
             schedule the jobs that write it so they do not overlap"
        ),
        Limit::DatabaseFile => "The database file is held by another process (a second dbt, \
             an IDE or notebook with it open) or its write-ahead log (the `.wal` file beside it) was \
             left by a process that stopped mid-write: close the other process and rerun; if the \
             log cannot be replayed, back up the `.wal` file and move it away (changes since the \
             last checkpoint are lost) or restore the database file. Run one writer at a time"
            .to_string(),
        Limit::ClientKilled => "The process running dbt was killed, not the query: as a rule the \
             orchestrator's or container's memory limit (exit 137 / -9). Give the dbt task more \
             memory, or lower `threads`; a large manifest, many threads and run_query results held \
             in Jinja are what grow it"
            .to_string(),
        Limit::Transient => format!(
            "The warehouse had no capacity for the query just then and said to try again: rerun \
             {node}; if it keeps happening at this hour, move the job or give it its own compute"
        ),
        Limit::Quota => quota(family),
        Limit::Disk => format!(
            "{node} ran out of disk or temporary space for its intermediate results (sorts, joins, \
             spills) — it is the data's size, not the time: {}. A longer timeout does not help",
            disk_knob(family)
        ),
        Limit::Size => format!(
            "{node} hit a fixed limit of the warehouse that no bigger warehouse or longer timeout \
             lifts: {}",
            size_remedy(cx.message)
        ),
        Limit::Complexity => format!(
            "{node}'s query is too complex for the planner: split its CTEs or nested subqueries \
             into models of their own (materialized as tables), or move a CTE used several times \
             into one; long CASE or IN lists generated by a macro belong in a joined table"
        ),
        Limit::Memory => format!(
            "{node} needed more memory than allowed: reduce what it holds at once (filter before \
             joining, pre-aggregate, make it incremental), or give it {}",
            memory_knob(family)
        ),
        Limit::Time => format!(
            "{node} needed more time than allowed: make it incremental or cheaper, or give it {}",
            time_knob(family)
        ),
    };
    vec![FixStep::say(say)]
}

fn quota(family: Family) -> String {
    let knob = match family {
        Family::BigQuery => "maximum_bytes_billed in the profile, the project's quotas, or a partition filter so the model scans less",
        Family::Snowflake => "the resource monitor's credit quota (ACCOUNTADMIN), or a cheaper model",
        Family::Trino => "the Athena workgroup's bytes-scanned limit, or a partition filter so the model scans less",
        Family::TSql => "the Fabric capacity (resumed, or a bigger SKU)",
        _ => "the account's limit, or a model that scans less",
    };
    format!(
        "A quota, rate or cost limit of the account was hit, not a fault in the SQL: for a rate, \
         rerun later or lower the run's `threads`; for a cost or size quota, {knob}"
    )
}

fn disk_knob(family: Family) -> &'static str {
    match family {
        Family::Postgres => "free disk on the server or raise temp_file_limit, and join on indexed columns so less is sorted",
        Family::Redshift => "choose DISTKEY/SORTKEY on the join columns so less is redistributed and spilled, or filter earlier; a WLM rule on disk use may be what cancelled it",
        Family::Oracle => "more TEMP tablespace for the dbt user, or fewer rows sorted at once",
        Family::TSql => "more space in the filegroup (or DWU), or fewer rows written at once",
        Family::DuckDb => "free disk where temp_directory points (or set it to a bigger disk), or a lower memory_limit with fewer threads",
        _ => "free space on the warehouse's disk, or fewer rows sorted and joined at once (filter earlier, make it incremental)",
    }
}

fn memory_knob(family: Family) -> &'static str {
    match family {
        Family::Snowflake => "a bigger warehouse for this model (config snowflake_warehouse)",
        Family::BigQuery => "fewer rows per OVER() partition or per ORDER BY (BigQuery sorts them on one worker), or a reservation",
        Family::Spark => "a bigger SQL warehouse/cluster for this model",
        Family::Postgres | Family::Redshift => "more work_mem for the dbt role, or a sort key on the join columns",
        Family::ClickHouse => "a higher max_memory_usage, or max_bytes_before_external_group_by, in the model's settings config",
        Family::Trino => "a higher query_max_memory_per_node (a session property), or a bigger cluster",
        Family::TSql => "a bigger resource class / DWU for the dbt user, or Fabric capacity",
        Family::DuckDb => "a higher memory_limit (and fewer threads) in the profile's settings",
        Family::Oracle => "a larger PGA for the dbt user's sessions",
        _ => "more memory for this model",
    }
}

fn time_knob(family: Family) -> &'static str {
    match family {
        Family::Snowflake => "a bigger warehouse for this model (config snowflake_warehouse) or a longer STATEMENT_TIMEOUT_IN_SECONDS",
        Family::BigQuery => "a longer job_execution_timeout_seconds in the profile",
        Family::Spark => "a bigger SQL warehouse/cluster for this model",
        Family::Postgres | Family::Redshift => "a longer statement_timeout for the dbt role, or an index/sort key on the join columns",
        Family::ClickHouse => "a higher max_execution_time in the model's settings config",
        Family::Trino => "a longer query_max_execution_time (a session property), or a bigger cluster",
        Family::TSql => "a bigger Fabric capacity or Synapse resource class / DWU for the dbt user",
        Family::DuckDb => "fewer threads competing for it, or a smaller model",
        Family::Oracle => "a longer resource-manager limit for the dbt user",
        _ => "more time for this model",
    }
}

/// What to do about a fixed size limit, by which one the message names.
fn size_remedy(message: &str) -> &'static str {
    let lower = message.to_ascii_lowercase();
    let says = |words: &[&str]| mentions(&lower, words);
    if says(&["partitions", "open writers", "too many parts"]) {
        "it writes too many partitions at once — partition by a coarser value (month instead of \
         day), or build it incrementally so each run writes fewer partitions"
    } else if says(&["lob size", "16777216", "16 mb", "document"]) {
        "one value grew past the per-value size limit — an aggregation (array_agg, listagg, \
         object_agg) collecting too much into one row; split it by a key or keep the rows apart"
    } else if says(&["parameters", "format requires"]) {
        "a statement carried more bound values than the driver allows — for a seed, a smaller \
         batch (fewer rows per INSERT) or `dbt seed` of a smaller file; for a model, values from \
         a table instead of a long literal list"
    } else if says(&["columns"]) {
        "it reads more columns than the engine allows — select the columns it needs instead of `*`"
    } else {
        "the SQL dbt sent is too long — a long IN list or loop a macro or variable expanded, or a \
         seed inserted in one statement. Put the values in a table (a seed) and join it, or split \
         the model"
    }
}

#[cfg(test)]
mod tests {
    use super::Limit;

    /// Real messages from tests/messages (tuning set), lower-cased as `fix` reads them.
    #[test]
    fn each_limit_is_told_apart() {
        let cases = [
            ("000630 (57014): Statement reached its statement or warehouse timeout of 120 second(s) and was canceled.", Limit::Time),
            ("Code: 241. DB::Exception: Memory limit (total) exceeded: would use 18.63 GiB, located on disk default (MEMORY_LIMIT_EXCEEDED)", Limit::Memory),
            ("ORA-01652: unable to extend temp segment by 128 in tablespace TEMP", Limit::Disk),
            ("Query (3562469) cancelled by WLM abort action of Query Monitoring Rule \"Max_Query_Mem_On_Disk\".", Limit::Disk),
            ("001795 (42601): SQL compilation error: maximum number of expressions in a list exceeded, expected at most 16,384, got 74,646", Limit::Size),
            ("Too many partitions produced by query, allowed 4000, query produces at least 4272 partitions", Limit::Size),
            ("Resources exceeded during query execution: Not enough resources for query planning - too many subqueries or query is too complex.", Limit::Complexity),
            ("Query exceeded limit for bytes billed: 1000000000. 2000000000 or higher required.", Limit::Quota),
            ("[INTERNAL_ERROR] Query could not be scheduled: HTTP Response code: 503. Please try again later.", Limit::Transient),
            ("Task exited with return code -9.", Limit::ClientKilled),
            ("Exception in WAL playback: Catalog Error: Table with name customers__dbt_tmp does not exist!", Limit::DatabaseFile),
            ("deadlock detected", Limit::Contention),
        ];
        for (message, want) in cases {
            assert_eq!(Limit::of(&message.to_ascii_lowercase()), want, "{message}");
        }
    }
}
