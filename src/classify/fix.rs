//! Fix guidance: a category, its evidence and what is known of the node → the steps to take.
//! Each category's steps live in its own file (`fix` there); this module holds the shared types,
//! the dispatch and the steps every category shares (where the compiled SQL is, `dbt retry`).
//! Invariant: a `run` is one statement or command that can be pasted as it is — no placeholders;
//! when a name is unknown (the dbt role, often) the statement goes into `say` instead.

use serde::{Deserialize, Serialize};

use super::fix_fusion as fusion;
use super::{Adapter, Category, Evidence};

/// One step of a fix: words for people and, when there is one, a command or statement to paste.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixStep {
    pub say: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub run: Option<String>,
}

impl FixStep {
    pub fn say(say: impl Into<String>) -> FixStep {
        FixStep {
            say: say.into(),
            run: None,
        }
    }

    pub fn run(say: impl Into<String>, run: impl Into<String>) -> FixStep {
        FixStep {
            say: say.into(),
            run: Some(run.into()),
        }
    }
}

/// What the fix can use. Built by the diagnosis from the problem's first root.
#[derive(Debug, Clone, Copy, Default)]
pub struct FixContext<'a> {
    pub category: Option<Category>,
    pub evidence: Option<&'a Evidence>,
    /// The warehouse.
    pub adapter: Option<&'a Adapter>,
    /// The failed node's name, and its type (`model`, `test`, …).
    pub node_name: Option<&'a str>,
    pub resource_type: Option<&'a str>,
    /// The model a failed test tests.
    pub tested_name: Option<&'a str>,
    /// What a failed generic test checks (its kind, column and arguments).
    pub generic_test: Option<&'a crate::artifacts::GenericTest>,
    /// The one relation the tested model selects from, when its compiled SQL joins nothing: the
    /// failing rows came from there as they are.
    pub tested_reads_only: Option<&'a str>,
    /// The failed node's relation (`"db"."schema"."name"`).
    pub relation_name: Option<&'a str>,
    /// The failed node's file in the project (`models/staging/stg_orders.sql`).
    pub original_file: Option<&'a str>,
    /// The installed package the failed node belongs to, when it is not the project's own.
    pub package: Option<&'a str>,
    /// Which of `parents` are seeds of the project (their names).
    pub seeds: &'a [String],
    /// The relation of each parent that has one: (name as in `parents`, `"db"."schema"."t"`).
    pub parent_relations: &'a [(String, String)],
    /// When the problem's roots miss more than one relation: all of them, qualified.
    pub also_missing: &'a [String],
    /// Where a failing cast is written when it is upstream of the failed node: the view's name,
    /// its file, the line of its SQL, and a query that finds the rows that do not convert.
    pub origin: Option<(&'a str, Option<&'a str>, &'a str, Option<&'a str>)>,
    /// `target/compiled/…` and `target/run/…` paths of the failed node's SQL.
    pub compiled_path: Option<&'a str>,
    pub run_path: Option<&'a str>,
    /// Names of the failed node's parents, and which of them are sources (`source:raw.orders`).
    pub parents: &'a [String],
    /// The dbt command of the invocation (`run`, `build`, …) and `--target` when given.
    pub command: &'a str,
    pub target: Option<&'a str>,
    /// The invocation's meaningful flags (` --target prod --profiles-dir .`), when known; every
    /// dbt command a fix prints carries them.
    pub flags: Option<&'a str>,
    /// What `dbt retry` needs besides them (` --target-path …`).
    pub retry_flags: Option<&'a str>,
    /// dbt before 0.21: `run`/`test`/`compile` select with `--models`.
    pub models_flag: bool,
    /// The dbt version of the invocation, to offer only commands it has.
    pub dbt_version: Option<&'a str>,
    pub message: &'a str,
    /// The compiled SQL, to quote the failing call in dialect fixes.
    pub compiled_code: Option<&'a str>,
    /// A close name from the project for a name that was not found (`stg_customers` for `stg_custmers`).
    pub suggestion: Option<&'a str>,
    /// A query that finds the rows whose value the root's own SQL could not convert.
    pub rows_query: Option<&'a str>,
    /// A microbatch model's failed batches (`[start, end)` as dbt wrote them) and how many
    /// batches it had.
    pub failed_batches: &'a [(String, String)],
    pub batches_total: usize,
    /// A stale source's `loaded_at_field` (a column or an expression).
    pub loaded_at_field: Option<&'a str>,
    /// Whether `dbt retry` would rerun this invocation (dbt ≥ 1.6 and its run_results is current).
    pub retry_available: bool,
}

impl<'a> FixContext<'a> {
    pub(super) fn ev(&self) -> Evidence {
        self.evidence.cloned().unwrap_or_default()
    }

    /// The warehouse, or an unnamed one when nothing said which.
    pub(super) fn adapter(&self) -> &'a Adapter {
        static UNKNOWN: Adapter = Adapter::Other(String::new());
        self.adapter.unwrap_or(&UNKNOWN)
    }

    pub(super) fn node(&self) -> &'a str {
        self.node_name.unwrap_or("the model")
    }

    /// ` --target prod` (and the invocation's other meaningful flags) when it had any.
    pub(super) fn target_flag(&self) -> String {
        match (self.flags, self.target) {
            (Some(f), _) => f.to_string(),
            (None, Some(t)) => format!(" --target {t}"),
            (None, None) => String::new(),
        }
    }

    /// The run is dbt Fusion's: its version is 2.x, or the message carries a Fusion code
    /// (`dbt0227`, `dbt1501`).
    pub(super) fn is_fusion(&self) -> bool {
        self.dbt_version
            .is_some_and(|v| v.trim_start_matches('v').starts_with("2."))
            || fusion::code(self.message).is_some()
    }

    /// Whether the invocation's dbt has `major.minor` (unknown versions are taken to be new).
    pub(super) fn dbt_at_least(&self, major: u32, minor: u32) -> bool {
        self.dbt_version.is_none_or(|v| {
            let mut parts = v.trim_start_matches('v').split(['.', '-']);
            let ma: u32 = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
            let mi: u32 = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
            (ma, mi) >= (major, minor)
        })
    }
}

/// The steps for a problem, specific first, then where the SQL is, then `dbt retry` where it fits.
pub fn fixes(cx: &FixContext<'_>) -> Vec<FixStep> {
    use super::*;
    let category = cx.category.unwrap_or(Category::Other);
    let mut steps = Vec::new();
    if let Some(package) = cx.package {
        steps.push(FixStep::say(format!(
            "{} is a model of the installed package {package}, not of this project: its SQL in \
             dbt_packages/ is replaced by every `dbt deps`. Fix it from the project — override the \
             macro it calls (dispatch), set the package's vars or config for this warehouse — or \
             pin a version of {package} that supports it",
            cx.node()
        )));
    }
    if let Some(step) = batches_step(cx) {
        steps.push(step);
    }
    steps.extend(match category {
        Category::Permission => permission::fix(cx),
        Category::SqlDialect => sql_dialect::fix(cx),
        Category::MissingRelation => missing_relation::fix(cx),
        Category::MissingColumn => missing_column::fix(cx),
        Category::SchemaDrift => schema_drift::fix(cx),
        Category::Contract => contract::fix(cx),
        Category::TestFailure => test_failure::fix(cx),
        Category::Data => data::fix(cx),
        Category::SqlError => sql_error::fix(cx),
        Category::Other => other::fix(cx),
        Category::Connection => connection::fix(cx),
        Category::Compilation => compilation::fix(cx),
        Category::Dependency => dependency::fix(cx),
        Category::Resource => resource::fix(cx),
        Category::Freshness => freshness::fix(cx),
    });
    if let Some(hint) = own_hint(cx.message) {
        let quoted = steps.iter().any(|s| s.say.contains(hint));
        if !quoted {
            steps.insert(
                steps.len().min(1),
                FixStep::say(format!("The message's own hint: {hint}")),
            );
        }
    }
    let sql_ran = !matches!(
        category,
        Category::Connection | Category::Compilation | Category::Dependency | Category::Freshness
    );
    if sql_ran {
        if let Some(step) = where_is_sql(cx) {
            steps.push(step);
        }
    }
    // `dbt retry` reruns what errored or was skipped, not what passed: after a failed test the
    // model (or seed) whose data the test checks would not be rebuilt.
    // Nor a view upstream whose SQL the fix changes.
    let retry_rebuilds_the_fix = !matches!(
        category,
        Category::SchemaDrift | Category::TestFailure | Category::Freshness
    ) && cx.origin.is_none();
    if !cx.failed_batches.is_empty() {
        steps.extend(batch_reruns(cx));
    } else if cx.retry_available && retry_rebuilds_the_fix {
        steps.push(FixStep::run(
            "After the fix, `dbt retry` reruns only what errored or was skipped in this \
             invocation (it reads this run's run_results.json)",
            format!(
                "dbt retry{}{}",
                cx.target_flag(),
                cx.retry_flags.unwrap_or_default()
            ),
        ));
    }
    let steps = if cx.is_fusion() {
        fusion::adapt(cx, steps)
    } else {
        steps
    };
    fit_to_version(cx, steps)
}

/// A microbatch model that ended in `partial success`: which batches failed.
fn batches_step(cx: &FixContext<'_>) -> Option<FixStep> {
    let failed = cx.failed_batches;
    let (first, _) = failed.first()?;
    let built = cx.batches_total.saturating_sub(failed.len());
    let which = match failed {
        [(start, end)] => format!("the batch from {start} to {end} failed"),
        _ => format!("{} batches failed, the first from {first}", failed.len()),
    };
    Some(FixStep::say(format!(
        "{} is a microbatch model: {built} of its {} batches were built and {which} — those rows \
         are missing from the table until the batch is rerun",
        cx.node(),
        cx.batches_total
    )))
}

/// After the fix: `dbt retry` reruns only the failed batches; or the window, by hand.
fn batch_reruns(cx: &FixContext<'_>) -> Vec<FixStep> {
    let mut steps = Vec::new();
    if cx.retry_available {
        steps.push(FixStep::run(
            "After the fix, `dbt retry` reruns only the failed batches of this invocation",
            format!(
                "dbt retry{}{}",
                cx.target_flag(),
                cx.retry_flags.unwrap_or_default()
            ),
        ));
    }
    if let Some(window) = batch_window(cx.failed_batches) {
        steps.push(FixStep::run(
            "Or rebuild just that window (delete and insert of those batches only)",
            format!("dbt run --select {}{window}{}", cx.node(), cx.target_flag()),
        ));
    }
    steps
}

/// ` --event-time-start 2024-01-20 --event-time-end 2024-01-21` over every failed batch (a
/// midnight-UTC time is written as its date, as people type it).
pub fn batch_window(failed: &[(String, String)]) -> Option<String> {
    let start = failed.iter().map(|(s, _)| s).min()?;
    let end = failed.iter().map(|(_, e)| e).max()?;
    let short = |t: &str| {
        t.strip_suffix("T00:00:00+00:00")
            .or_else(|| t.strip_suffix("T00:00:00Z"))
            .unwrap_or(t)
            .to_string()
    };
    Some(format!(
        " --event-time-start {} --event-time-end {}",
        short(start),
        short(end)
    ))
}

/// Drops the commands the invocation's dbt does not have (`dbt show` before 1.5) and writes
/// `--models` where dbt before 0.21 wants it.
fn fit_to_version(cx: &FixContext<'_>, steps: Vec<FixStep>) -> Vec<FixStep> {
    steps
        .into_iter()
        .filter(|s| {
            let show = s.run.as_deref().is_some_and(|r| r.starts_with("dbt show"));
            !show || cx.dbt_at_least(1, 5)
        })
        .map(|mut s| {
            if cx.models_flag {
                if let Some(run) = &s.run {
                    let old = ["dbt run ", "dbt test ", "dbt compile "]
                        .iter()
                        .any(|c| run.starts_with(c));
                    if old {
                        s.run = Some(run.replace(" --select ", " --models "));
                    }
                }
            }
            s
        })
        .collect()
}

/// The advice a message carries itself — Postgres' `HINT: Use DROP ... CASCADE …`, dbt's `To fix
/// this, change the name of one of these resources`, BigQuery's `Consider reducing the amount of
/// work…`, `Please run `gcloud auth application-default login``, `Alternatively, …` — when it
/// says what to do. Not the hints that say nothing the category's steps do not (`You might need
/// to add explicit type casts`), nor the name suggestions the evidence already carries (`Perhaps
/// you meant …`), nor boilerplate (Athena's `You may need to manually clean the data`).
fn own_hint(message: &str) -> Option<&str> {
    const STARTS: [&str; 7] = [
        "HINT:",
        "Hint:",
        "To fix this,",
        "Consider ",
        "Please run ",
        "Alternatively, ",
        "Either ",
    ];
    // `DROP ... CASCADE` is not repeated: it removes objects dbt does not manage, and the steps
    // say when that is right.
    const SAYS_NOTHING: [&str; 7] = [
        "CASCADE",
        "See server log",
        "Perhaps you meant",
        "explicit type casts",
        "No function matches",
        "No operator matches",
        "manually clean the data",
    ];
    let (at, start) = STARTS
        .iter()
        .filter_map(|s| message.find(s).map(|at| (at, *s)))
        .min_by_key(|(at, _)| *at)?;
    let text = message[at..].strip_prefix(start).unwrap_or_default();
    let text = if start.ends_with(':') {
        text.trim_start()
    } else {
        &message[at..]
    };
    // To the end of the sentence (or the line), whichever comes first.
    let end = text
        .char_indices()
        .find(|&(i, c)| {
            let full_stop =
                c == '.' && text[i + 1..].starts_with([' ', '\n']) && !text[..i].ends_with('.');
            c == '\n' || full_stop
        })
        .map_or(text.len(), |(i, c)| if c == '.' { i + 1 } else { i });
    let hint = text[..end].trim();
    let useful =
        hint.len() >= 20 && hint.len() <= 300 && !SAYS_NOTHING.iter().any(|w| hint.contains(w));
    useful.then_some(hint)
}

fn where_is_sql(cx: &FixContext<'_>) -> Option<FixStep> {
    let ev = cx.ev();
    let at = match (ev.line, ev.position) {
        (Some(l), Some(p)) => format!(" — the warehouse points at line {l}, position {p}"),
        (Some(l), None) => format!(" — the warehouse points at line {l}"),
        _ => String::new(),
    };
    match (cx.run_path, cx.compiled_path) {
        (Some(run), Some(compiled)) => Some(FixStep::say(format!(
            "The statement the warehouse ran is in {run}{at}; the model's compiled SELECT is in \
             {compiled}"
        ))),
        (None, Some(compiled)) => Some(FixStep::say(format!(
            "The compiled SQL is in {compiled}{at}"
        ))),
        (Some(run), None) => Some(FixStep::say(format!(
            "The statement the warehouse ran is in {run}{at}"
        ))),
        (None, None) => None,
    }
}

/// Whether a lower-cased message mentions any of `words`: how the fixes read which kind of a
/// category's failure they face.
pub(super) fn mentions(lower: &str, words: &[&str]) -> bool {
    words.iter().any(|w| lower.contains(w))
}

/// The words (lower case) in the `window` bytes of `message` before the first mention of `name`:
/// what the message calls the thing it names (`for schema raw`, `Catalog "main"`).
pub(super) fn words_before(message: &str, name: &str, window: usize) -> Vec<String> {
    let lower = message.to_ascii_lowercase();
    let Some(at) = lower
        .find(&name.to_ascii_lowercase())
        .filter(|_| !name.is_empty())
    else {
        return Vec::new();
    };
    let mut start = at.saturating_sub(window);
    while !lower.is_char_boundary(start) {
        start += 1;
    }
    lower[start..at]
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Splits `a.b.c` into its parts, unquoted; a dot inside quotes (`"oracle_test.hr"`) is part
/// of the name.
pub(super) fn parts(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut quote = None;
    let mut start = 0;
    for (i, c) in name.char_indices() {
        match (c, quote) {
            ('"' | '`' | '[', None) => quote = Some(if c == '[' { ']' } else { c }),
            (c, Some(q)) if c == q => quote = None,
            ('.', None) => {
                out.push(&name[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&name[start..]);
    out.into_iter()
        .map(super::clean_name)
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod hint_tests {
    use super::own_hint;

    /// Shaped as real messages of tests/messages (tuning set): rs-430, core-216, pg-307.
    #[test]
    fn the_message_s_own_advice_is_read_to_the_end_of_its_sentence() {
        assert_eq!(
            own_hint(
                "relation is locked\nHINT:  re-execute after other vacuum finished. More text"
            ),
            Some("re-execute after other vacuum finished.")
        );
        assert_eq!(
            own_hint("HINT:  Use DROP ... CASCADE to drop the dependent objects too."),
            None
        );
        assert_eq!(
            own_hint("dbt found two resources with the name \"model_three\". To fix this, change the name of one of these resources: - model.test.model_three"),
            Some("To fix this, change the name of one of these resources: - model.test.model_three")
        );
        assert_eq!(own_hint("HINT: See server log for query details."), None);
        assert_eq!(own_hint("HINT: No function matches the given name and argument types. You might need to add explicit type casts."), None);
    }
}
