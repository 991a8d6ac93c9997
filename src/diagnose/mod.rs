//! Artifacts + lineage → the diagnosis: roots, cascade attribution, problems, exposure impact,
//! warnings. Pure and total: a skipped node with no failed ancestor is reported with an empty
//! `caused_by` and a warning, a log alone still gives problems, and nothing here panics.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashSet as HashSet;

use serde::{Deserialize, Serialize};

use crate::adapter::{Adapter, Family};
use crate::artifacts::{
    Artifacts, InputKind, LogInvocation, Manifest, Node, NodeResult, RunResults,
};
use crate::classify::{self, Category, Classification, Context, Evidence, FixContext, FixStep};
use crate::graph::Lineage;
use crate::vocab::{ResourceType, ResultStatus};

mod cast;
mod exposures;
mod freshness;
pub mod history;
mod not_run;
mod rerun;
mod title;
mod warned;

use cast::*;
use exposures::*;
pub use exposures::{exposure_names, tool_of, tool_of_url};
use rerun::*;
pub use title::title_of;
use title::*;

/// The contract's schema identifier for the JSON form.
pub const SCHEMA: &str = "dbt-triage.diagnosis.v1";

/// The diagnosis: see `CONTRACT.md`. Serialized as the CLI's `--format json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnosis {
    pub schema: String,
    pub status: Status,
    pub invocation: Invocation,
    pub problems: Vec<Problem>,
    pub skipped: Vec<Skipped>,
    pub exposures: Vec<Exposure>,
    pub warnings: Vec<Warning>,
    /// Models, seeds and snapshots built from a stale source (sources.json in `error`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stale: Vec<StaleNode>,
    /// Tests that warned (`severity: warn` and rows found): the run succeeded, the data is at risk.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warned: Vec<Warned>,
    /// The runs given, oldest first, when there were several (the newest is diagnosed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runs: Vec<history::Run>,
    /// Nodes that failed the last time an earlier run given ran them and pass in the newest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixed: Vec<String>,
    /// Nodes skipped in the newest run that the run before it did not skip.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub newly_skipped: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub share_url: Option<String>,
}

/// A node built from stale sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaleNode {
    pub node: String,
    /// The stale sources among its ancestors.
    pub stale_because: Vec<String>,
}

/// A test that warned: what it tests, how many rows it found, and the exposures downstream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warned {
    pub node: String,
    pub tested: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failures: Option<u64>,
    pub message: String,
    pub at_risk_exposures: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Failed,
    Success,
    NoResults,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Invocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dbt_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invocation_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adapter: Option<Adapter>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

/// A group of roots with one cause.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub id: u32,
    pub category: Category,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_type: Option<String>,
    pub roots: Vec<String>,
    pub message: String,
    pub evidence: Evidence,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    pub fix: Vec<FixStep>,
    pub rerun: String,
    pub skipped: Vec<String>,
    pub affected_exposures: Vec<String>,
    /// The distinct owners of the exposures it affects, by name: whom to tell.
    #[serde(default)]
    pub notify: Vec<Owner>,
    /// New, recurring or flapping, when several runs were given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<history::History>,
    /// The log's lines around the first root's error, when a log was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_excerpt: Option<crate::artifacts::log::LogExcerpt>,
}

/// Someone to tell: an exposure's owner as the manifest declares them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Owner {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

impl Owner {
    /// `Finance BI <finance-bi@example.com>`, or the name alone.
    pub fn display(&self) -> String {
        match &self.email {
            Some(e) if *e != self.name => format!("{} <{e}>", self.name),
            _ => self.name.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Skipped {
    pub node: String,
    pub caused_by: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Exposure {
    pub id: String,
    /// `exposure` for declared dbt exposures.
    pub kind: String,
    pub label: String,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub exposure_type: Option<String>,
    pub tool: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maturity: Option<String>,
    pub affected: bool,
    pub caused_by: Vec<String>,
    /// It reads a stale source (`stale_because`: the sources), or a log-only run that stopped
    /// before building anything did not rebuild it (`stale_because: ["not_run"]`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stale: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stale_because: Vec<String>,
    /// Downstream of a test that warned (or of a source past `warn_after`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub at_risk: bool,
    /// For Power BI semantic models: the tables tied to dbt nodes by their source.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matched_by: Vec<MatchedBy>,
}

/// A Power BI table whose source is a dbt node's relation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchedBy {
    pub table: String,
    pub relation: String,
    pub node: String,
}

impl MatchedBy {
    /// `table Orders reads analytics.fct_orders ← fct_orders`: how the text report and the
    /// page's tooltips say it.
    pub fn describe(&self) -> String {
        format!(
            "table {} reads {} ← {}",
            self.table,
            self.relation,
            crate::report::short(&self.node)
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub code: String,
    pub message: String,
}

impl Warning {
    fn new(code: &str, message: impl Into<String>) -> Warning {
        Warning {
            code: code.to_string(),
            message: message.into(),
        }
    }
}

impl Diagnosis {
    /// Whether anything failed (the CLI's exit status 1).
    pub fn has_failures(&self) -> bool {
        !self.problems.is_empty()
    }

    /// Skipped nodes with no failed ancestor (`--fail-fast`, a cancelled run, no manifest).
    pub fn unattributed_skipped(&self) -> impl Iterator<Item = &str> {
        self.skipped
            .iter()
            .filter(|s| s.caused_by.is_empty())
            .map(|s| s.node.as_str())
    }

    /// Affected exposures that are Power BI artifacts.
    pub fn affected_powerbi(&self) -> impl Iterator<Item = &Exposure> {
        self.exposures
            .iter()
            .filter(|e| e.affected && e.tool == "powerbi")
    }
}

/// One failed node, classified, before grouping.
struct Root<'a> {
    id: String,
    name: String,
    resource_type: ResourceType,
    node: Option<&'a Node>,
    message: String,
    class: Classification,
    compiled_code: Option<&'a str>,
    /// A microbatch model's batches, from its result.
    batches: Option<&'a crate::artifacts::run_results::Batches>,
}

/// Everything the steps share.
struct Ctx<'a> {
    manifest: Option<&'a Manifest>,
    lineage: &'a Lineage,
    adapter: Option<Adapter>,
    command: String,
    target: Option<String>,
    retry_available: bool,
    /// The flags of the invocation that every command we print must carry.
    flags: Flags,
    dbt_version: Option<String>,
    /// The log's record of the invocation, when a log was given.
    log: Option<&'a LogInvocation>,
}

#[cfg(test)]
impl<'a> Ctx<'a> {
    /// No manifest, no adapter, no flags: what a step sees when nothing but results was given.
    fn bare(lineage: &'a Lineage) -> Ctx<'a> {
        Ctx {
            manifest: None,
            lineage,
            adapter: None,
            command: "build".to_string(),
            target: None,
            retry_available: false,
            flags: Flags::default(),
            dbt_version: None,
            log: None,
        }
    }
}

/// Diagnoses the artifacts. Total. The steps, top to bottom: which run, what it says about
/// itself, what failed, what that skipped, what it reaches, the problems, their history.
pub fn diagnose(a: &Artifacts, lineage: &Lineage) -> Diagnosis {
    let mut warnings = input_warnings(a);
    let (rr, log_inv) = the_run(a, &mut warnings);
    let (ctx, invocation) = context(a, rr, log_inv, lineage, &mut warnings);
    check_versions(a, rr, ctx.manifest, &mut warnings);
    let (roots, log_problems) = roots(rr, log_inv, &ctx);
    // Stale sources are roots of their own kind: outside the cascade (see `freshness`).
    let fresh = freshness::read(a.sources(), &ctx);
    warnings.extend(freshness::warn_warnings(a.sources(), &ctx));
    let cascade = cascade(&roots, rr, log_inv, &ctx);
    warnings.extend(orphan_warning(&cascade.skipped, &ctx, &invocation));
    let impact = impact(
        a,
        &roots,
        &cascade,
        &fresh,
        (rr, log_inv),
        &ctx,
        &mut warnings,
    );
    let mut problems = problems(
        &roots,
        &fresh,
        log_problems,
        &cascade.skipped,
        &impact.exposures,
        &ctx,
    );
    warnings.extend(personal_credentials(&problems, log_inv));
    let history = history_of(a, rr, log_inv, ctx.manifest, &mut problems);
    Diagnosis {
        schema: SCHEMA.to_string(),
        status: status_of(&problems, rr.is_some() || a.sources().is_some()),
        invocation,
        problems,
        skipped: cascade.skipped,
        exposures: impact.exposures,
        warnings,
        stale: impact.stale,
        warned: impact.warned,
        runs: history.runs,
        fixed: history.fixed,
        newly_skipped: history.newly_skipped,
        share_url: None,
    }
}

/// The inputs that could not be read, as warnings.
fn input_warnings(a: &Artifacts) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for input in &a.inputs {
        if input.kind == InputKind::Unreadable {
            warnings.push(Warning::new(
                "unreadable_input",
                format!(
                    "{}: {}",
                    input.name,
                    input.problem.as_deref().unwrap_or("could not be read")
                ),
            ));
        }
    }
    warnings
}

/// The run diagnosed: the newest run results, unless the log says dbt ran again after them
/// (then the log's newest invocation), and the log invocation that goes with it.
fn the_run<'a>(
    a: &'a Artifacts,
    warnings: &mut Vec<Warning>,
) -> (Option<&'a RunResults>, Option<&'a LogInvocation>) {
    let rr = a.run_results();
    let runs = history::runs(a);
    // Several runs are history (below); the same run given twice is only worth a word.
    if a.run_results.len() > 1 && runs.len() == 1 {
        if let Some(used) = a.run_results_loaded() {
            warnings.push(Warning::new(
                "multiple_run_results",
                format!(
                    "{} run_results files were given; the newest, {} (generated {}), was used",
                    a.run_results.len(),
                    used.name,
                    used.value
                        .metadata
                        .generated_at
                        .as_deref()
                        .unwrap_or("at an unknown time")
                ),
            ));
        }
    }
    let log_inv = choose_log_invocation(a, rr);
    let stale = rr.is_some_and(|rr| is_stale(rr, a));
    if stale {
        let rr = rr.expect("stale implies run results");
        let newest = newest_invocation(a);
        warnings.push(Warning::new(
            "stale_artifacts",
            format!(
                "run_results.json is from invocation {} (generated {}), but the log's newest \
                 invocation {} {} — dbt failed before writing new results and the old file was \
                 left in target/; the diagnosis comes from the log",
                rr.metadata.invocation_id.as_deref().unwrap_or("?"),
                rr.metadata.generated_at.as_deref().unwrap_or("?"),
                newest
                    .and_then(|n| n.invocation_id.as_deref())
                    .unwrap_or("?"),
                newest
                    .and_then(|n| n.started_at.as_deref())
                    .map(|t| format!("(started {t}) is newer"))
                    .unwrap_or_else(|| "is newer".to_string()),
            ),
        ));
    }
    (if stale { None } else { rr }, log_inv)
}

/// What every step shares, and what the invocation says about itself.
fn context<'a>(
    a: &'a Artifacts,
    rr: Option<&RunResults>,
    log_inv: Option<&'a LogInvocation>,
    lineage: &'a Lineage,
    warnings: &mut Vec<Warning>,
) -> (Ctx<'a>, Invocation) {
    let manifest = a.manifest();
    let adapter = run_adapter(a, rr, manifest, log_inv, warnings);
    let command = rr
        .and_then(|r| r.command.clone())
        .or_else(|| log_inv.and_then(|l| l.command.clone()));
    let rerun_cmd = command
        .clone()
        .or_else(|| log_inv.and_then(LogInvocation::command_or_guess));
    let typed = rr
        .and_then(|r| r.args.invocation_command.clone())
        .or_else(|| log_inv.and_then(|l| l.command_line.clone()));
    let target = rr
        .and_then(|r| r.target.clone())
        .or_else(|| log_inv.and_then(|l| l.target.clone()))
        .or_else(|| {
            let typed = typed.as_deref()?;
            typed_flag(typed, "--target").or_else(|| typed_flag(typed, "-t"))
        });
    let dbt_version = rr
        .and_then(|r| r.metadata.dbt_version.clone())
        .or_else(|| log_inv.and_then(|l| l.dbt_version.clone()))
        .or_else(|| manifest.and_then(|m| m.metadata.dbt_version.clone()));
    let flags = invocation_flags(
        rr.map(|r| &r.args),
        typed.as_deref(),
        target.as_deref(),
        dbt_version.as_deref(),
    );
    let retry_available = rr.is_some()
        && dbt_version
            .as_deref()
            .is_some_and(|v| version_at_least(v, 1, 6))
        && matches!(
            command.as_deref(),
            Some("run" | "build" | "test" | "seed" | "snapshot")
        );
    let ctx = Ctx {
        manifest,
        lineage,
        adapter: adapter.clone(),
        command: rerun_command(rerun_cmd.as_deref()).to_string(),
        target: target.clone(),
        retry_available,
        flags,
        dbt_version: dbt_version.clone(),
        log: log_inv,
    };
    let invocation = Invocation {
        command: command.clone(),
        dbt_version,
        invocation_id: rr
            .and_then(|r| r.metadata.invocation_id.clone())
            .or_else(|| log_inv.and_then(|l| l.invocation_id.clone())),
        generated_at: rr
            .and_then(|r| r.metadata.generated_at.clone())
            .or_else(|| log_inv.and_then(|l| l.started_at.clone())),
        adapter,
        target,
    };

    (ctx, invocation)
}

/// The failed nodes, classified: from the results, else from the log (whose error that
/// stopped dbt before any node is a problem of its own).
fn roots<'a>(
    rr: Option<&'a RunResults>,
    log_inv: Option<&'a LogInvocation>,
    ctx: &Ctx<'a>,
) -> (Vec<Root<'a>>, Vec<Problem>) {
    let (mut roots, log_problems) = match rr {
        Some(rr) => (result_roots(rr, log_inv, ctx), Vec::new()),
        None => match log_inv {
            Some(inv) => log_roots(inv, ctx),
            None => (Vec::new(), Vec::new()),
        },
    };
    resolve_not_authorized(&mut roots, rr, ctx.manifest);
    qualify_missing_relations(&mut roots, ctx);
    (roots, log_problems)
}

/// The skipped nodes, each with the roots among its ancestors.
struct Cascade<'l> {
    /// Per root, the nodes its failure takes down.
    reach: BTreeMap<String, HashSet<&'l str>>,
    skipped: Vec<Skipped>,
}

fn cascade<'l>(
    roots: &[Root<'_>],
    rr: Option<&RunResults>,
    log_inv: Option<&LogInvocation>,
    ctx: &Ctx<'l>,
) -> Cascade<'l> {
    // Cascade: which roots each skipped node descends from.
    let reach: BTreeMap<String, HashSet<&str>> = roots
        .iter()
        .map(|r| (r.id.clone(), effective_descendants(&r.id, ctx)))
        .collect();
    let mut skipped_ids: Vec<String> = match (rr, log_inv) {
        (Some(rr), _) => rr
            .results
            .iter()
            .filter(|r| r.is_skipped())
            .map(|r| r.unique_id.clone())
            .collect(),
        // Without results, the log's SKIP lines say what was skipped.
        (None, Some(inv)) => inv
            .skipped
            .iter()
            .map(|s| resolve_log_skip(s, ctx.manifest))
            .collect(),
        (None, None) => Vec::new(),
    };
    skipped_ids.sort();
    skipped_ids.dedup();
    let skipped: Vec<Skipped> = skipped_ids
        .iter()
        .map(|s| Skipped {
            node: s.clone(),
            caused_by: reach
                .iter()
                .filter(|(_, d)| d.contains(s.as_str()))
                .map(|(r, _)| r.clone())
                .collect(),
        })
        .collect();
    Cascade { reach, skipped }
}

/// Skipped nodes with no failed ancestor: why, in a warning.
fn orphan_warning(skipped: &[Skipped], ctx: &Ctx<'_>, invocation: &Invocation) -> Option<Warning> {
    let orphans: Vec<&str> = skipped
        .iter()
        .filter(|s| s.caused_by.is_empty())
        .map(|s| s.node.as_str())
        .collect();
    if orphans.is_empty() {
        return None;
    }
    if ctx.manifest.is_none() {
        return Some(Warning::new(
            "missing_manifest",
            format!(
                "{} skipped node(s) cannot be attributed to their cause without manifest.json: \
                     add it from the same target/ folder",
                orphans.len()
            ),
        ));
    }
    // dbt Fusion also marks as skipped the nodes it had nothing to do for (no-ops).
    let fusion = invocation
        .dbt_version
        .as_deref()
        .is_some_and(|v| v.starts_with("2."));
    let why = if fusion {
        "dbt Fusion marks nodes it had nothing to do for as skipped too, and it stops \
                 scheduling nodes with --fail-fast or when a run is cancelled"
    } else {
        "dbt stopped scheduling nodes, as it does with --fail-fast or when a run is \
                 cancelled"
    };
    Some(Warning::new(
        "fail_fast",
        format!(
            "{} skipped node(s) have no failed ancestor ({}{}): {why}",
            orphans.len(),
            orphans
                .iter()
                .take(5)
                .copied()
                .collect::<Vec<_>>()
                .join(", "),
            if orphans.len() > 5 { ", …" } else { "" }
        ),
    ))
}

/// What the failure reaches: the exposures (affected, stale, at risk), the nodes built from
/// stale sources, the tests that warned.
struct Impact {
    exposures: Vec<Exposure>,
    stale: Vec<StaleNode>,
    warned: Vec<Warned>,
}

fn impact(
    a: &Artifacts,
    roots: &[Root<'_>],
    cascade: &Cascade<'_>,
    fresh: &freshness::Freshness<'_>,
    (rr, log_inv): (Option<&RunResults>, Option<&LogInvocation>),
    ctx: &Ctx<'_>,
    warnings: &mut Vec<Warning>,
) -> Impact {
    // Exposures.
    let bad: HashSet<&str> = roots
        .iter()
        .map(|r| r.id.as_str())
        .chain(cascade.skipped.iter().map(|s| s.node.as_str()))
        .collect();
    // An exposure is affected when a root or skipped node is among its ancestors: one pass
    // downstream from all of them.
    let downstream = ctx.lineage.descendants_of_all(bad.iter().copied());
    let mut exposures = exposures(ctx.manifest, &downstream, &cascade.reach);
    exposures.extend(powerbi_exposures(a, &downstream, &cascade.reach, warnings));
    let stale = freshness::stale_nodes(&fresh.roots, ctx);
    let exposure_ids: Vec<String> = exposures.iter().map(|e| e.id.clone()).collect();
    let ids: Vec<&str> = exposure_ids.iter().map(String::as_str).collect();
    let warned = warned::warned(rr, &ids, ctx);
    mark_stale_and_at_risk(&mut exposures, fresh, &warned, ctx);
    if rr.is_none() {
        if let Some(nr) = not_run::nothing_ran(log_inv, ctx) {
            warnings.push(mark_not_rebuilt(&mut exposures, &nr));
        }
    }

    Impact {
        exposures,
        stale,
        warned,
    }
}

/// The roots grouped into problems, ordered by blast radius, numbered, with whom to tell.
fn problems(
    roots: &[Root<'_>],
    fresh: &freshness::Freshness<'_>,
    log_problems: Vec<Problem>,
    skipped: &[Skipped],
    exposures: &[Exposure],
    ctx: &Ctx<'_>,
) -> Vec<Problem> {
    // Problems.
    let mut problems = group(roots, ctx, skipped, exposures);
    problems.extend(group(&fresh.roots, ctx, skipped, exposures));
    problems.extend(log_problems);
    problems.sort_by(|a, b| {
        blast(b)
            .cmp(&blast(a))
            .then_with(|| a.roots.first().cmp(&b.roots.first()))
            .then_with(|| a.title.cmp(&b.title))
    });
    for (i, p) in problems.iter_mut().enumerate() {
        p.id = i as u32 + 1;
    }
    link_consequences(&mut problems, ctx);
    for p in &mut problems {
        p.notify = if p.category == Category::Freshness {
            // Nothing is affected by stale data, but the owners of what shows it should know.
            let stale_here: Vec<String> = exposures
                .iter()
                .filter(|e| e.stale_because.iter().any(|s| p.roots.contains(s)))
                .map(|e| e.id.clone())
                .collect();
            owners_of(&stale_here, exposures)
        } else {
            owners_of(&p.affected_exposures, exposures)
        };
    }
    problems
}

/// The runs given, and what they say of each problem: see `history`.
#[derive(Default)]
struct HistoryParts {
    runs: Vec<history::Run>,
    fixed: Vec<String>,
    newly_skipped: Vec<String>,
}

fn history_of(
    a: &Artifacts,
    rr: Option<&RunResults>,
    log_inv: Option<&LogInvocation>,
    manifest: Option<&Manifest>,
    problems: &mut [Problem],
) -> HistoryParts {
    // Over the runs up to the one diagnosed (the newest), when there are several; without
    // run_results, over the log's invocations up to the one diagnosed.
    let log_runs = match (rr, log_inv) {
        (None, Some(inv)) => history::log_runs(a, inv, manifest),
        _ => Vec::new(),
    };
    let runs: Vec<&RunResults> = match rr {
        Some(_) => history::runs(a),
        None => log_runs.iter().collect(),
    };
    if runs.len() < 2 {
        return HistoryParts::default();
    }
    for p in problems.iter_mut() {
        p.history = Some(history::history(p, &runs));
    }
    HistoryParts {
        runs: history::run_list(a, &runs),
        fixed: history::fixed(&runs),
        newly_skipped: history::newly_skipped(&runs),
    }
}

/// `failed` with problems and results; `success` with results and no problem; `no_results`
/// when only logs were given (or the results were stale).
fn status_of(problems: &[Problem], has_results: bool) -> Status {
    match (problems.is_empty(), has_results) {
        (false, true) => Status::Failed,
        (true, true) => Status::Success,
        (_, false) => Status::NoResults,
    }
}

fn blast(p: &Problem) -> usize {
    p.roots.len() + p.skipped.len() + p.affected_exposures.len()
}

fn version_at_least(v: &str, major: u32, minor: u32) -> bool {
    let mut it = v.trim_start_matches('v').split(['.', '-', 'b', 'a', 'r']);
    let ma: u32 = it.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    let mi: u32 = it.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    (ma, mi) >= (major, minor)
}

fn newest_invocation(a: &Artifacts) -> Option<&LogInvocation> {
    a.logs
        .iter()
        .filter_map(|l| l.value.invocations.last())
        .max_by(|x, y| x.started_at.cmp(&y.started_at))
}

/// Commands that write run_results.json (or should have, had they not failed).
fn writes_results(inv: &LogInvocation) -> bool {
    match inv.command.as_deref() {
        Some(c) => matches!(
            c,
            "run" | "build" | "test" | "seed" | "snapshot" | "compile" | "run-operation" | "retry"
        ),
        None => inv.fatal.is_some() || !inv.node_errors.is_empty(),
    }
}

/// run_results is stale when the log's newest invocation is another one that should have
/// written results (dbt died before writing them, leaving the old file in target/).
fn is_stale(rr: &RunResults, a: &Artifacts) -> bool {
    let Some(newest) = newest_invocation(a) else {
        return false;
    };
    let (Some(rid), Some(lid)) = (&rr.metadata.invocation_id, &newest.invocation_id) else {
        return false;
    };
    rid != lid && writes_results(newest)
}

/// The log invocation that goes with the diagnosis: the one of the run results, else the newest.
fn choose_log_invocation<'a>(
    a: &'a Artifacts,
    rr: Option<&RunResults>,
) -> Option<&'a LogInvocation> {
    if let Some(id) = rr.and_then(|r| r.metadata.invocation_id.as_deref()) {
        let matching = a
            .logs
            .iter()
            .flat_map(|l| l.value.invocations.iter())
            .find(|i| i.invocation_id.as_deref() == Some(id));
        if let Some(m) = matching {
            if !rr.is_some_and(|rr| is_stale(rr, a)) {
                return Some(m);
            }
        }
    }
    newest_invocation(a)
}

/// The adapter the fix speaks for. The manifest names it, but a manifest from another run on
/// another warehouse must not decide it: when the failed nodes' messages (or the log's registered
/// adapter) say another, that one is taken and the mix is flagged with both runs' ids and times.
fn run_adapter(
    a: &Artifacts,
    rr: Option<&RunResults>,
    manifest: Option<&Manifest>,
    log_inv: Option<&LogInvocation>,
    warnings: &mut Vec<Warning>,
) -> Option<Adapter> {
    let declared = manifest
        .and_then(|m| m.metadata.adapter_type.as_deref())
        .and_then(Adapter::parse);
    let logged = log_inv
        .and_then(|l| l.adapter.as_deref())
        .and_then(Adapter::parse);
    // What the failures themselves are written in, when they all agree.
    let said = rr.and_then(|rr| {
        let mut found = rr
            .results
            .iter()
            .filter(|r| matches!(r.status, ResultStatus::Error | ResultStatus::RuntimeError))
            .filter_map(|r| r.message.as_deref())
            .filter_map(classify::detect_adapter);
        let first = found.next()?;
        found.all(|x| x.family() == first.family()).then_some(first)
    });
    let spoken = logged.clone().or(said);
    let (Some(declared), Some(spoken)) = (declared.clone(), spoken) else {
        return declared.or(logged);
    };
    if declared.could_be(&spoken) {
        return Some(declared);
    }
    let manifest_name = a
        .manifest_loaded()
        .map_or("manifest.json", |l| l.name.as_str());
    let results_name = a
        .run_results_loaded()
        .map_or("run_results.json", |l| l.name.as_str());
    let meta = |id: Option<&str>, at: Option<&str>| {
        format!(
            "invocation {} (generated {})",
            id.unwrap_or("?"),
            at.unwrap_or("at an unknown time")
        )
    };
    let m = manifest.map(|m| &m.metadata);
    let r = rr.map(|r| &r.metadata);
    warnings.push(Warning::new(
        "foreign_manifest",
        format!(
            "{manifest_name} is from another run than {results_name}: {} on {}, while the results \
             are from {} and their errors are {}'s. The lineage, the skipped nodes' attribution \
             and the exposures come from that manifest and may not match this run; the fix \
             follows {}. Add the manifest.json of the same target/ folder.",
            meta(
                m.and_then(|m| m.invocation_id.as_deref()),
                m.and_then(|m| m.generated_at.as_deref())
            ),
            declared.display_name(),
            meta(
                r.and_then(|r| r.invocation_id.as_deref()),
                r.and_then(|r| r.generated_at.as_deref())
            ),
            spoken.display_name(),
            spoken.display_name(),
        ),
    ));
    Some(spoken)
}

fn check_versions(
    a: &Artifacts,
    rr: Option<&RunResults>,
    manifest: Option<&Manifest>,
    warnings: &mut Vec<Warning>,
) {
    use crate::artifacts::{NEWEST_MANIFEST, NEWEST_RUN_RESULTS};
    for l in &a.run_results {
        if let Some(v) = l.value.schema_version.filter(|v| *v > NEWEST_RUN_RESULTS) {
            warnings.push(Warning::new(
                "unknown_schema_version",
                format!(
                    "{} is run_results v{v}, newer than v{NEWEST_RUN_RESULTS} which this version \
                     knows: it was read leniently",
                    l.name
                ),
            ));
        }
    }
    for l in &a.manifests {
        if let Some(v) = l.value.schema_version.filter(|v| *v > NEWEST_MANIFEST) {
            warnings.push(Warning::new(
                "unknown_schema_version",
                format!(
                    "{} is manifest v{v}, newer than v{NEWEST_MANIFEST} which this version knows \
                     (dbt Fusion writes its own versions): it was read leniently",
                    l.name
                ),
            ));
        }
    }
    if let (Some(rr), Some(m)) = (rr, manifest) {
        let missing: Vec<&str> = rr
            .results
            .iter()
            .filter(|r| !m.nodes.contains_key(&r.unique_id))
            .map(|r| r.unique_id.as_str())
            .collect();
        if !missing.is_empty() {
            warnings.push(Warning::new(
                "manifest_mismatch",
                format!(
                    "the manifest lacks {} of the {} nodes in run_results ({}{}): it is from \
                     another state of the project — lineage and exposures may be incomplete; use \
                     the manifest.json written by the same run",
                    missing.len(),
                    rr.results.len(),
                    missing
                        .iter()
                        .take(3)
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", "),
                    if missing.len() > 3 { ", …" } else { "" }
                ),
            ));
        }
        if let (Some(a), Some(b)) = (&rr.metadata.dbt_version, &m.metadata.dbt_version) {
            if a != b {
                warnings.push(Warning::new(
                    "version_mismatch",
                    format!(
                        "run_results.json was written by dbt {a} and manifest.json by dbt {b}: \
                         they may come from different runs"
                    ),
                ));
            }
        }
    }
}

fn name_of(id: &str, node: Option<&Node>) -> String {
    match node {
        Some(n) if !n.name.is_empty() => n.name.clone(),
        // Without the manifest (a first answer, run_results alone): a generic test's id ends
        // with a hash, which names nothing dbt can select.
        _ if id.starts_with("test.") => crate::report::short(id).to_string(),
        _ => id.rsplit('.').next().unwrap_or(id).to_string(),
    }
}

fn resource_type_of(id: &str, node: Option<&Node>) -> ResourceType {
    match node {
        Some(n) if !n.resource_type.is_empty() => n.resource_type.clone(),
        _ => ResourceType::from(id.split('.').next().unwrap_or("model")),
    }
}

fn classify_node<'a>(
    id: &str,
    node: Option<&'a Node>,
    message: &str,
    status: Option<&str>,
    compiled: Option<&'a str>,
    ctx: &Ctx<'_>,
) -> Classification {
    let resource_type = resource_type_of(id, node);
    let cx = Context {
        adapter: ctx.adapter.as_ref(),
        resource_type: Some(resource_type.as_str()),
        status,
        materialized: node.and_then(|n| n.materialized.as_deref()),
        on_schema_change: node.and_then(|n| n.on_schema_change.as_deref()),
        contract_enforced: node.is_some_and(|n| n.contract_enforced),
        compiled_code: compiled,
    };
    classify::classify(message, &cx)
}

fn result_roots<'a>(
    rr: &'a RunResults,
    log: Option<&LogInvocation>,
    ctx: &Ctx<'a>,
) -> Vec<Root<'a>> {
    let mut roots: Vec<Root<'a>> = rr
        .results
        .iter()
        .filter(|r| r.is_root())
        .map(|r: &'a NodeResult| {
            let node = ctx.manifest.and_then(|m| m.nodes.get(&r.unique_id));
            let message = match batch_error(r, node, log) {
                Some(m) => m,
                None => r.message.clone().unwrap_or_default(),
            };
            let compiled = r
                .compiled_code
                .as_deref()
                .or_else(|| node.and_then(|n| n.compiled_code.as_deref()));
            let class = classify_node(
                &r.unique_id,
                node,
                &message,
                Some(r.status.as_str()),
                compiled,
                ctx,
            );
            Root {
                id: r.unique_id.clone(),
                name: name_of(&r.unique_id, node),
                resource_type: resource_type_of(&r.unique_id, node),
                node,
                message,
                class,
                compiled_code: compiled,
                batches: r.batches.as_ref(),
            }
        })
        .collect();
    roots.sort_by(|a, b| a.id.cmp(&b.id));
    roots.dedup_by(|a, b| a.id == b.id);
    roots
}

/// A microbatch model's message is `PARTIAL SUCCESS (9/10)`; the error of its failed batch is
/// in the log. Both, when the log has it: `PARTIAL SUCCESS (9/10) — batch 2024-01-20 failed:`
/// and the batch's error.
fn batch_error(r: &NodeResult, node: Option<&Node>, log: Option<&LogInvocation>) -> Option<String> {
    r.batches.as_ref().filter(|b| !b.failed.is_empty())?;
    let table = node
        .and_then(|n| n.alias.as_deref().or(Some(n.name.as_str())))
        .unwrap_or_else(|| r.unique_id.rsplit('.').next().unwrap_or_default());
    let err = log?.batch_errors.iter().find(|b| {
        !b.message.is_empty()
            && b.relation
                .as_deref()
                .is_some_and(|rel| rel.rsplit('.').next() == Some(table))
    })?;
    Some(format!(
        "{} — batch {} failed:\n{}",
        r.message.as_deref().unwrap_or("partial success"),
        err.batch.as_deref().unwrap_or("?"),
        err.message
    ))
}

/// Roots from a log: the nodes its summary names, plus the error that stopped the invocation
/// (which becomes a problem of its own, since it ran no node).
fn log_roots<'a>(inv: &'a LogInvocation, ctx: &Ctx<'a>) -> (Vec<Root<'a>>, Vec<Problem>) {
    let mut roots = Vec::new();
    for e in &inv.node_errors {
        let (id, node) = resolve_log_node(
            e.unique_id.as_deref(),
            &e.resource_type,
            &e.name,
            ctx.manifest,
        );
        let status = (e.error_type == "Failure").then_some("fail");
        let compiled = node.and_then(|n| n.compiled_code.as_deref());
        let message = if e.error_type.is_empty() || e.error_type == "Failure" {
            e.message.clone()
        } else {
            format!(
                "{} in {} {}{}\n{}",
                e.error_type,
                e.resource_type,
                e.name,
                e.path
                    .as_ref()
                    .map(|p| format!(" ({p})"))
                    .unwrap_or_default(),
                indent(&e.message)
            )
        };
        let class = classify_node(&id, node, &message, status, compiled, ctx);
        roots.push(Root {
            name: name_of(&id, node),
            resource_type: resource_type_of(&id, node),
            id,
            node,
            message,
            class,
            compiled_code: compiled,
            batches: None,
        });
    }
    roots.sort_by(|a, b| a.id.cmp(&b.id));
    roots.dedup_by(|a, b| a.id == b.id);
    let mut problems = Vec::new();
    if let Some(fatal) = &inv.fatal {
        let class = classify::classify(
            fatal,
            &Context {
                adapter: ctx.adapter.as_ref(),
                ..Context::default()
            },
        );
        let named = node_named_in(fatal, ctx.manifest);
        let (root_id, node) = match &named {
            Some((id, node)) => (Some(id.clone()), *node),
            None => (None, None),
        };
        let name = root_id.as_deref().map(|id| name_of(id, node));
        let resource_type = root_id.as_deref().map(|id| resource_type_of(id, node));
        let suggestion = suggestion_for(&class, ctx.manifest);
        let cmd_line = inv
            .command_line
            .clone()
            .unwrap_or_else(|| format!("dbt {}{}", ctx.command, target_flag(ctx)));
        let fix_cx = FixContext {
            category: Some(class.category),
            evidence: Some(&class.evidence),
            adapter: ctx.adapter.as_ref(),
            node_name: name.as_deref(),
            resource_type: resource_type.as_ref().map(ResourceType::as_str),
            command: &ctx.command,
            target: ctx.target.as_deref(),
            flags: Some(&ctx.flags.common),
            models_flag: ctx.flags.models,
            dbt_version: ctx.dbt_version.as_deref(),
            message: fatal,
            suggestion: suggestion.as_deref(),
            ..FixContext::default()
        };
        let rerun = if class.category == Category::Connection {
            format!("dbt debug{} && {cmd_line}", target_flag(ctx))
        } else {
            cmd_line
        };
        problems.push(Problem {
            id: 0,
            category: class.category,
            title: title(
                &class,
                name.as_deref(),
                1,
                ctx.adapter.as_ref(),
                resource_type.as_ref(),
                fatal,
            ),
            error_type: class
                .error_type
                .clone()
                .or_else(|| first_line_wrapper(fatal)),
            roots: root_id.into_iter().collect(),
            message: fatal.clone(),
            evidence: class.evidence.clone(),
            decided_by: class.decided_by.clone(),
            fix: classify::fixes(&fix_cx),
            rerun,
            skipped: Vec::new(),
            affected_exposures: Vec::new(),
            notify: Vec::new(),
            history: None,
            log_excerpt: None,
        });
    }
    (roots, problems)
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `Compilation Error` when a fatal message's first line is exactly a wrapper.
fn first_line_wrapper(msg: &str) -> Option<String> {
    let first = msg.lines().next()?.trim();
    (first.ends_with("Error") && first.len() < 40).then(|| first.to_string())
}

/// Finds the node a log names: by unique_id, else by type and name in the manifest, else
/// `<resource_type>.<name>` as the contract says.
fn resolve_log_node<'a>(
    unique_id: Option<&str>,
    resource_type: &str,
    name: &str,
    manifest: Option<&'a Manifest>,
) -> (String, Option<&'a Node>) {
    if let Some(id) = unique_id {
        return (id.to_string(), manifest.and_then(|m| m.nodes.get(id)));
    }
    if let Some(m) = manifest {
        let wanted = ResourceType::from(resource_type);
        if let Some(n) = m
            .nodes
            .values()
            .find(|n| n.resource_type == wanted && n.name == name)
        {
            return (n.unique_id.clone(), Some(n));
        }
    }
    (format!("{resource_type}.{name}"), None)
}

/// The unique_id of a node the log reports as skipped: its own, or the manifest's node with that
/// relation or name, or `<resource_type>.<name>` as the contract says for log-only nodes.
fn resolve_log_skip(s: &crate::artifacts::LogSkip, manifest: Option<&Manifest>) -> String {
    if let Some(id) = &s.unique_id {
        return id.clone();
    }
    let last = s.name.rsplit('.').next().unwrap_or(&s.name);
    if s.kind == "relation" {
        if let Some(m) = manifest {
            let wanted = normalize_relation(&s.name);
            let found = m.nodes.values().find(|n| {
                n.resource_type.builds_relation()
                    && n.alias.as_deref().is_some_and(|a| {
                        let rel = match &n.schema {
                            Some(schema) => format!("{schema}.{a}"),
                            None => a.to_string(),
                        };
                        normalize_relation(&rel) == wanted || a.eq_ignore_ascii_case(&wanted)
                    })
            });
            if let Some(n) = found {
                return n.unique_id.clone();
            }
        }
        return format!("model.{last}");
    }
    resolve_log_node(None, &s.kind, last, manifest).0
}

/// A node a fatal message names: `Model 'model.shop.x' (models/x.sql)`, dbt's
/// `Compilation Error in model x (path)`, or a file path the manifest knows.
fn node_named_in<'a>(
    msg: &str,
    manifest: Option<&'a Manifest>,
) -> Option<(String, Option<&'a Node>)> {
    if let Some(e) = crate::artifacts::log::summary_error(msg) {
        return Some(resolve_log_node(None, &e.resource_type, &e.name, manifest));
    }
    for (q, rest) in msg.match_indices('\'').map(|(i, _)| (i, &msg[i + 1..])) {
        let _ = q;
        let Some(end) = rest.find('\'') else { continue };
        let cand = &rest[..end];
        let parts: Vec<&str> = cand.split('.').collect();
        let is_id = parts.len() >= 3
            && matches!(
                parts[0],
                "model"
                    | "seed"
                    | "snapshot"
                    | "test"
                    | "unit_test"
                    | "source"
                    | "exposure"
                    | "analysis"
            );
        if is_id {
            let node = manifest.and_then(|m| m.nodes.get(cand));
            return Some((cand.to_string(), node));
        }
    }
    // A file path (`models/staging/stg_orders.sql`) that a manifest node has.
    let m = manifest?;
    for word in msg.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '"' | '\'' | ','))
    {
        if word.ends_with(".sql") || word.ends_with(".yml") {
            if let Some(n) = m
                .nodes
                .values()
                .find(|n| n.original_file_path.as_deref() == Some(word) && !n.is_test())
            {
                return Some((n.unique_id.clone(), Some(n)));
            }
        }
    }
    None
}

/// Snowflake's "does not exist or not authorized": an object this run just built exists, so the
/// role may not see it — a permission problem. Otherwise it stays a missing relation.
fn resolve_not_authorized(
    roots: &mut [Root<'_>],
    rr: Option<&RunResults>,
    manifest: Option<&Manifest>,
) {
    let (Some(rr), Some(m)) = (rr, manifest) else {
        return;
    };
    let any_ambiguous = roots.iter().any(|r| {
        r.class.category == Category::MissingRelation
            && r.class
                .decided_by
                .as_deref()
                .is_some_and(|d| d.contains("not authorized"))
    });
    if !any_ambiguous {
        return;
    }
    let built: HashSet<String> = rr
        .results
        .iter()
        .filter(|r| r.status == ResultStatus::Success)
        .filter_map(|r| m.nodes.get(&r.unique_id))
        .filter_map(|n| n.relation_name.as_deref())
        .map(normalize_relation)
        .collect();
    for r in roots.iter_mut() {
        let ambiguous = r.class.category == Category::MissingRelation
            && r.class
                .decided_by
                .as_deref()
                .is_some_and(|d| d.contains("not authorized"));
        if !ambiguous {
            continue;
        }
        if let Some(rel) = r.class.evidence.relation.clone() {
            if built.contains(&normalize_relation(&rel)) {
                r.class.category = Category::Permission;
                r.class.evidence.object = Some(rel.clone());
                r.class.decided_by = Some(format!(
                    "{} — but {rel} was built successfully by this run, so it exists: the role \
                     may not see it",
                    r.class.decided_by.as_deref().unwrap_or_default()
                ));
            }
        }
    }
}

/// A missing relation named without its schema (DuckDB's `Table with name refunds does not
/// exist`): the root's parent with that identifier says where it should be, so that tables
/// missing from one schema group into one problem and the fix can list that schema.
fn qualify_missing_relations(roots: &mut [Root<'_>], ctx: &Ctx<'_>) {
    let Some(m) = ctx.manifest else { return };
    for r in roots.iter_mut() {
        if r.class.category != Category::MissingRelation {
            continue;
        }
        let Some(rel) = r.class.evidence.relation.clone() else {
            continue;
        };
        if rel.contains('.') {
            continue;
        }
        let parent = ctx
            .lineage
            .parents(&r.id)
            .into_iter()
            .filter_map(|p| m.nodes.get(p))
            .find(|n| {
                n.alias
                    .as_deref()
                    .is_some_and(|a| a.eq_ignore_ascii_case(&rel))
            });
        if let Some(n) = parent {
            let full: Vec<&str> = [
                n.database.as_deref(),
                n.schema.as_deref(),
                n.alias.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect();
            r.class.evidence.object = Some(full.join("."));
        }
    }
}

/// `"DB"."Schema"."T"` → `db.schema.t`, for comparing relations.
pub(crate) fn normalize_relation(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '"' | '`' | '[' | ']'))
        .collect::<String>()
        .to_ascii_lowercase()
}

/// The nodes a root takes down when it fails. A model's are its descendants. A test's are the
/// nodes downstream of everything it tests (dbt build adds an edge from a test to each node whose
/// ancestors include all the test's parents), and their descendants; a unit test's are its model
/// and the model's descendants.
fn effective_descendants<'l>(root: &str, ctx: &Ctx<'l>) -> HashSet<&'l str> {
    let l: &'l Lineage = ctx.lineage;
    let node = ctx.manifest.and_then(|m| m.nodes.get(root));
    let rt = resource_type_of(root, node);
    let is_test_node = |id: &str| {
        ctx.manifest.and_then(|m| m.nodes.get(id)).map_or(
            id.starts_with("test.") || id.starts_with("unit_test."),
            Node::is_test,
        )
    };
    match rt {
        ResourceType::Test => {
            let parents: Vec<&str> = l.parents(root);
            let Some((first, rest)) = parents.split_first() else {
                return HashSet::default();
            };
            let mut common: HashSet<&str> = l.descendants(first);
            for p in rest {
                let d = l.descendants(p);
                common.retain(|n| d.contains(n));
            }
            let heads: Vec<&'l str> = common.into_iter().filter(|n| !is_test_node(n)).collect();
            // One breadth-first pass from all heads at once.
            let mut out = l.descendants_of_all(heads.iter().copied());
            out.extend(heads);
            out
        }
        ResourceType::UnitTest => {
            let mut out = HashSet::default();
            if let Some(m) = node.and_then(|n| n.attached_node.as_deref()) {
                out = l.descendants(m);
                out.extend(l.get(m));
            }
            out
        }
        _ => l.descendants(root),
    }
}

/// The key under which roots share one cause (see the contract's definition of a problem).
fn group_key(r: &Root<'_>) -> String {
    let ev = &r.class.evidence;
    let lower = |s: &Option<String>| s.as_deref().map(normalize_relation).unwrap_or_default();
    let key = match r.class.category {
        Category::Permission => {
            let o = lower(&ev.object);
            if o.is_empty() {
                lower(&ev.relation)
            } else {
                o
            }
        }
        Category::MissingRelation => {
            // The most qualified name the evidence has: its schema is the key.
            let best = [&ev.relation, &ev.object]
                .into_iter()
                .flatten()
                .max_by_key(|n| n.matches('.').count());
            match best {
                Some(rel) if ev.relation.is_some() => {
                    let n = normalize_relation(rel);
                    match n.rsplit_once('.') {
                        Some((schema, _)) => schema.to_string(),
                        None => format!("relation:{n}"),
                    }
                }
                Some(o) => normalize_relation(o),
                None => strip_names(&r.message, r),
            }
        }
        Category::MissingColumn => format!("{}|{}", lower(&ev.relation), lower(&ev.column)),
        // The function; else what the warehouse says it lacks (a type, a table format's limit).
        Category::SqlDialect if ev.function.is_some() => lower(&ev.function),
        Category::TestFailure => r
            .node
            .and_then(|n| n.attached_node.clone())
            .unwrap_or_else(|| r.id.clone()),
        // Tables of one source (`raw`) come from one loader: when several are stale, it stopped.
        Category::Freshness => r.name.split('.').next().unwrap_or_default().to_string(),
        _ => strip_names(&r.message, r),
    };
    format!("{}|{}", r.class.category, key)
}

/// The message with the node's own names removed, whitespace collapsed, lower-cased.
fn strip_names(message: &str, r: &Root<'_>) -> String {
    let head = message
        .char_indices()
        .nth(classify::MATCHED_PREFIX)
        .map_or(message, |(i, _)| &message[..i]);
    let mut m = head.to_ascii_lowercase();
    // Drop dbt's first line (`Database Error in model x (path)`) when it names the node.
    if let Some((first, rest)) = m.split_once('\n') {
        if first.contains(&r.name.to_ascii_lowercase()) {
            m = rest.to_string();
        }
    }
    let mut names = vec![r.id.to_ascii_lowercase(), r.name.to_ascii_lowercase()];
    if let Some(n) = r.node {
        for s in [&n.relation_name, &n.original_file_path, &n.path, &n.alias]
            .into_iter()
            .flatten()
        {
            names.push(s.to_ascii_lowercase());
        }
    }
    names.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for n in names.iter().filter(|n| n.len() > 2) {
        m = m.replace(n.as_str(), "·");
    }
    // Positions, paths under target/ and ids of this run's queries differ per node.
    m.split_whitespace()
        .filter(|w| !w.starts_with("target/") && !is_run_id(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A query id, a session id or a time: `query_id=20241024_065615_00006_jzmkd`,
/// `01938587-0027-5d4d-0000-012516bbcafe`, `(line 12, pos 4)`'s numbers are kept short.
fn is_run_id(word: &str) -> bool {
    let digits = word.bytes().filter(u8::is_ascii_digit).count();
    word.contains("query_id=") || word.starts_with("queryid") || digits >= 6
}

fn group(
    roots: &[Root<'_>],
    ctx: &Ctx<'_>,
    skipped: &[Skipped],
    exposures: &[Exposure],
) -> Vec<Problem> {
    let mut groups: Vec<(String, Vec<&Root<'_>>)> = Vec::new();
    for r in roots {
        let key = group_key(r);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(r),
            None => groups.push((key, vec![r])),
        }
    }
    groups
        .into_iter()
        .map(|(_, members)| problem(&members, ctx, skipped, exposures))
        .collect()
}

/// The relations several roots miss, each as qualified as a root's parent says it (empty when
/// the problem is not a missing relation, or misses one).
fn also_missing(members: &[&Root<'_>], ctx: &Ctx<'_>) -> Vec<String> {
    if members[0].class.category != Category::MissingRelation {
        return Vec::new();
    }
    let names: BTreeSet<String> = members
        .iter()
        .filter_map(|r| {
            let rel = r.class.evidence.relation.as_deref().or(r
                .class
                .evidence
                .object
                .as_deref())?;
            let table = normalize_relation(rel);
            let table = table.rsplit('.').next().unwrap_or(&table).to_string();
            let qualified = parent_relations(&r.id, ctx)
                .into_iter()
                .map(|(_, q)| q)
                .find(|q| normalize_relation(q).rsplit('.').next() == Some(table.as_str()));
            Some(qualified.unwrap_or_else(|| rel.to_string()))
        })
        .collect();
    if names.len() > 1 {
        names.into_iter().collect()
    } else {
        Vec::new()
    }
}

/// A problem's title: one relation read by several nodes is said once, else the category's.
fn problem_title(members: &[&Root<'_>], adapter: Option<&Adapter>) -> String {
    let first = members[0];
    let class = &first.class;
    let distinct: BTreeSet<String> = members
        .iter()
        .filter_map(|r| r.class.evidence.relation.as_deref())
        .map(normalize_relation)
        .collect();
    match (&class.evidence.relation, distinct.len()) {
        // Several nodes read one missing relation: it is one relation, not several.
        (Some(r), 1) if class.category == Category::MissingRelation && members.len() > 1 => {
            format!(
                "Relation {r} does not exist ({} nodes read it)",
                members.len()
            )
        }
        _ => title(
            class,
            Some(&first.name),
            members.len(),
            adapter,
            Some(&first.resource_type),
            &first.message,
        ),
    }
}

/// The rerun line: a stale source's, a microbatch model's failed window, a cast fixed in a
/// view upstream (rebuilt from that view: a view's SQL changes only when it is rebuilt), else
/// the roots and what they skipped.
fn problem_rerun(
    members: &[&Root<'_>],
    origin: Option<&CastOrigin<'_>>,
    ctx: &Ctx<'_>,
    skipped: &[String],
) -> String {
    let first = members[0];
    match origin {
        _ if first.class.category == Category::Freshness => freshness_rerun(members, ctx),
        // A microbatch model's failed window, not its whole history.
        _ if members.len() == 1 && first.batches.is_some_and(|b| !b.failed.is_empty()) => {
            let window = first
                .batches
                .and_then(|b| classify::batch_window(&b.failed))
                .unwrap_or_default();
            format!(
                "dbt {} {} {}{window}{}",
                ctx.command,
                select_word(ctx, &ctx.command),
                first.name,
                target_flag(ctx)
            )
        }
        Some(o) if members.len() == 1 => {
            let cmd = ctx.command.as_str();
            format!(
                "dbt {cmd} {} {}+{}",
                select_word(ctx, cmd),
                o.name,
                target_flag(ctx)
            )
        }
        _ => rerun(members, ctx, skipped),
    }
}

fn problem(
    members: &[&Root<'_>],
    ctx: &Ctx<'_>,
    skipped: &[Skipped],
    exposures: &[Exposure],
) -> Problem {
    let first = members[0];
    let root_ids: Vec<String> = members.iter().map(|r| r.id.clone()).collect();
    let root_set: HashSet<&str> = root_ids.iter().map(String::as_str).collect();
    let skipped_here: Vec<String> = skipped
        .iter()
        .filter(|s| s.caused_by.iter().any(|c| root_set.contains(c.as_str())))
        .map(|s| s.node.clone())
        .collect();
    let mut affected: Vec<String> = exposures
        .iter()
        .filter(|e| e.caused_by.iter().any(|c| root_set.contains(c.as_str())))
        .map(|e| e.id.clone())
        .collect();
    affected.sort();
    let class = &first.class;
    let parents = parent_names(&first.id, ctx);
    let first_parents = parent_relations(&first.id, ctx);
    let also_missing = also_missing(members, ctx);
    let tested = tested_name(first, ctx);
    let (compiled_path, run_path) = sql_paths(first);
    let suggestion = suggestion_for(class, ctx.manifest);
    let adapter = ctx.adapter.clone().or(class.adapter.clone());
    // For a test, the seeds are those the model it tests is built from.
    let tested_id = first
        .node
        .and_then(|n| n.attached_node.clone())
        .filter(|_| first.class.category == Category::TestFailure);
    let seeds = parent_seeds(tested_id.as_deref().unwrap_or(&first.id), ctx);
    let tested_reads_only = tested_id.as_deref().and_then(|id| reads_only(id, ctx));
    let origin = (class.category == Category::Data)
        .then(|| cast_origin(first, ctx))
        .flatten();
    let own_rows = (class.category == Category::Data && origin.is_none())
        .then(|| own_cast_rows(first, ctx))
        .flatten();
    let fix_cx = FixContext {
        category: Some(class.category),
        evidence: Some(&class.evidence),
        adapter: adapter.as_ref(),
        node_name: Some(&first.name),
        resource_type: Some(first.resource_type.as_str()),
        tested_name: tested.as_deref(),
        generic_test: first.node.and_then(|n| n.generic_test.as_ref()),
        tested_reads_only: tested_reads_only.as_deref(),
        relation_name: first.node.and_then(|n| n.relation_name.as_deref()),
        original_file: first.node.and_then(|n| n.original_file_path.as_deref()),
        package: installed_package(first, ctx),
        seeds: &seeds,
        parent_relations: &first_parents,
        also_missing: &also_missing,
        origin: origin.as_ref().map(|o| {
            (
                o.name.as_str(),
                o.file,
                o.excerpt.as_str(),
                o.rows.as_deref(),
            )
        }),
        compiled_path: compiled_path.as_deref(),
        run_path: run_path.as_deref(),
        parents: &parents,
        command: &ctx.command,
        target: ctx.target.as_deref(),
        flags: Some(&ctx.flags.common),
        retry_flags: Some(&ctx.flags.target_path),
        models_flag: ctx.flags.models,
        dbt_version: ctx.dbt_version.as_deref(),
        message: &first.message,
        compiled_code: first.compiled_code,
        suggestion: suggestion.as_deref(),
        loaded_at_field: first.node.and_then(|n| n.loaded_at_field.as_deref()),
        failed_batches: first.batches.map_or(&[][..], |b| &b.failed[..]),
        rows_query: own_rows.as_deref(),
        batches_total: first
            .batches
            .map_or(0, |b| b.failed.len() + b.successful.len()),
        retry_available: ctx.retry_available,
    };
    // The roots are listed with the problem: the steps are only what to do.
    let fix = classify::fixes(&fix_cx);
    Problem {
        id: 0,
        category: class.category,
        title: problem_title(members, adapter.as_ref()),
        error_type: class.error_type.clone(),
        roots: root_ids,
        message: first.message.clone(),
        evidence: class.evidence.clone(),
        decided_by: class.decided_by.clone(),
        fix,
        rerun: problem_rerun(members, origin.as_ref(), ctx, &skipped_here),
        skipped: skipped_here,
        affected_exposures: affected,
        notify: Vec::new(),
        history: None,
        log_excerpt: ctx.log.and_then(|l| l.excerpts.get(&first.name)).cloned(),
    }
}

/// A node's non-test parents in the manifest.
fn parent_nodes<'a>(id: &str, ctx: &Ctx<'a>) -> Vec<&'a Node> {
    let Some(m) = ctx.manifest else {
        return Vec::new();
    };
    ctx.lineage
        .parents(id)
        .into_iter()
        .filter_map(|p| m.nodes.get(p))
        .filter(|n| !n.is_test())
        .collect()
}

/// How fix steps name a parent: models by name, sources as `source:<source>.<table>`.
fn parent_label(n: &Node) -> String {
    match (&n.resource_type, &n.source_name) {
        (ResourceType::Source, Some(s)) => format!("source:{s}.{}", n.name),
        _ => n.name.clone(),
    }
}

/// Parent names for fix steps.
fn parent_names(id: &str, ctx: &Ctx<'_>) -> Vec<String> {
    parent_nodes(id, ctx)
        .into_iter()
        .map(parent_label)
        .collect()
}

/// A failed test that reads a relation another problem says is missing fails because of it:
/// its fix says so first, and its rows are no finding of their own.
fn link_consequences(problems: &mut [Problem], ctx: &Ctx<'_>) {
    let Some(m) = ctx.manifest else { return };
    let missing: Vec<(u32, String)> = problems
        .iter()
        .filter(|p| p.category == Category::MissingRelation)
        .filter_map(|p| {
            let r = p
                .evidence
                .relation
                .as_deref()
                .or(p.evidence.object.as_deref())?;
            Some((p.id, normalize_relation(r)))
        })
        .collect();
    if missing.is_empty() {
        return;
    }
    for p in problems
        .iter_mut()
        .filter(|p| p.category == Category::TestFailure)
    {
        let Some(root) = p.roots.first() else {
            continue;
        };
        let reads = ctx.lineage.parents(root).into_iter().find_map(|parent| {
            let n = m.nodes.get(parent)?;
            let rel = normalize_relation(n.relation_name.as_deref()?);
            missing
                .iter()
                .find(|(_, r)| {
                    rel == *r || rel.ends_with(&format!(".{r}")) || r.ends_with(&format!(".{rel}"))
                })
                .map(|(id, _)| (*id, n.name.clone()))
        });
        if let Some((id, name)) = reads {
            // Its rows say nothing of the data: the generic test steps would mislead.
            p.fix = vec![FixStep::say(format!(
                "This test reads {name}, which problem {id} says does not exist: it fails because \
                 of that — fix problem {id} first, then rerun the test"
            ))];
        }
    }
}

/// The relations of a node's parents, under the names `parent_names` gives them.
fn parent_relations(id: &str, ctx: &Ctx<'_>) -> Vec<(String, String)> {
    parent_nodes(id, ctx)
        .into_iter()
        .filter_map(|n| {
            // Old manifests have no relation_name: the database, schema and alias say it.
            let relation = n.relation_name.clone().or_else(|| {
                let table = n.alias.clone().unwrap_or_else(|| n.name.clone());
                Some(format!("{}.{}", n.schema.as_deref()?, table))
            })?;
            Some((parent_label(n), relation))
        })
        .collect()
}

/// The parents of a node that are seeds of the project, by name.
fn parent_seeds(id: &str, ctx: &Ctx<'_>) -> Vec<String> {
    parent_nodes(id, ctx)
        .into_iter()
        .filter(|n| n.resource_type == ResourceType::Seed)
        .map(|n| n.name.clone())
        .collect()
}

/// The one parent a model selects from when its compiled SQL has no JOIN (`raw.orders` for a
/// source, the name for a model or seed).
fn reads_only(id: &str, ctx: &Ctx<'_>) -> Option<String> {
    let code = ctx.manifest?.nodes.get(id)?.compiled_code.as_deref()?;
    if code
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .any(|w| w.eq_ignore_ascii_case("join"))
    {
        return None;
    }
    match parent_nodes(id, ctx).as_slice() {
        [only] if only.resource_type == ResourceType::Source => Some(match &only.source_name {
            Some(source) => format!("{source}.{}", only.name),
            None => only.name.clone(),
        }),
        [only] => Some(only.name.clone()),
        _ => None,
    }
}

/// The installed package a root belongs to, when it is not the project's own (the manifest
/// names the project).
fn installed_package<'a>(r: &Root<'a>, ctx: &Ctx<'a>) -> Option<&'a str> {
    let project = ctx.manifest?.metadata.project_name.as_deref()?;
    let package = r.node?.package_name.as_deref()?;
    (package != project).then_some(package)
}

/// The name of the model a test tests: its `attached_node`, else its first non-test parent.
fn tested_name(r: &Root<'_>, ctx: &Ctx<'_>) -> Option<String> {
    r.node
        .and_then(|n| n.attached_node.as_deref())
        .map(|t| name_of(t, ctx.manifest.and_then(|m| m.nodes.get(t))))
        .or_else(|| tested_by_parents(&r.id, ctx))
}

/// A test without `attached_node` (older manifests) tests its first non-test parent.
fn tested_by_parents(id: &str, ctx: &Ctx<'_>) -> Option<String> {
    let m = ctx.manifest?;
    let node = m.nodes.get(id)?;
    if !node.is_test() {
        return None;
    }
    let parent = ctx
        .lineage
        .parents(id)
        .into_iter()
        .find(|p| !p.starts_with("source."))?;
    Some(name_of(parent, m.nodes.get(parent)))
}

/// Where dbt wrote the node's SQL: `target/compiled/<package>/<file>` and `target/run/…`.
/// The message's own `compiled code at …` wins when present.
fn sql_paths(r: &Root<'_>) -> (Option<String>, Option<String>) {
    let from_message = r
        .message
        .find("compiled code at ")
        .or_else(|| r.message.find("compiled Code at "))
        .map(|i| {
            r.message[i + "compiled code at ".len()..]
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .trim_end_matches('.')
                .to_string()
        });
    let Some(n) = r.node else {
        return (None, from_message);
    };
    let Some(file) = n.target_file() else {
        return (None, from_message);
    };
    let compiled = format!("target/compiled/{file}");
    let run = from_message.or_else(|| {
        (n.resource_type.builds_relation() || n.resource_type == ResourceType::Test)
            .then(|| format!("target/run/{file}"))
    });
    (Some(compiled), run)
}

/// The closest name in the project to a name that was not found.
fn suggestion_for(class: &Classification, manifest: Option<&Manifest>) -> Option<String> {
    if class.category != Category::Dependency {
        return None;
    }
    let wanted = class.evidence.object.as_deref()?;
    let m = manifest?;
    m.nodes
        .values()
        .filter(|n| !n.is_test() && n.resource_type != ResourceType::Exposure)
        .map(|n| (strsim::levenshtein(&n.name, wanted), &n.name))
        .filter(|(d, name)| *d > 0 && *d <= 3.max(name.len() / 4))
        .min()
        .map(|(_, n)| n.clone())
}

/// A warning when a job's credentials look like a person's (an e-mail as the user) or a
/// production-looking job runs with a `dev` target.
fn personal_credentials(problems: &[Problem], inv: Option<&LogInvocation>) -> Option<Warning> {
    for p in problems {
        if let Some(u) = p
            .evidence
            .user
            .as_deref()
            .filter(|u| u.contains('@') && !u.contains("gserviceaccount"))
        {
            return Some(Warning::new(
                "personal_credentials",
                format!(
                    "dbt connected as {u}, which looks like a person's account: a scheduled job \
                     should use a service account whose secret comes from env_var()"
                ),
            ));
        }
    }
    let inv = inv?;
    let target = inv.target.as_deref()?;
    let full_run = inv.command_line.as_deref().is_some_and(|c| {
        !c.contains("--select")
            && !c.contains(" -s ")
            && (c.contains(" build") || c.contains(" run"))
    });
    if target.starts_with("dev") && full_run {
        return Some(Warning::new(
            "personal_credentials",
            format!(
                "the whole project ran with target {target}: if this is a scheduled job, it \
                 should use a production target with a service account, not a developer's profile"
            ),
        ));
    }
    None
}

/// Counts for summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub problems: usize,
    pub roots: usize,
    pub skipped: usize,
    pub exposures: usize,
    /// Affected Power BI reports and dashboards (declared exposures and reports from Power BI files).
    pub powerbi: usize,
    /// Affected Power BI semantic models matched by their sources.
    pub powerbi_models: usize,
    /// Roots that are stale sources (`freshness`); `roots` counts them too.
    pub stale_sources: usize,
    /// Exposures that read a stale source or were not rebuilt.
    pub stale_exposures: usize,
    /// Tests that warned, and sources past `warn_after`.
    pub warned: usize,
    pub late_sources: usize,
    pub at_risk_exposures: usize,
}

impl Diagnosis {
    pub fn counts(&self) -> Counts {
        Counts {
            problems: self.problems.len(),
            roots: self.problems.iter().map(|p| p.roots.len()).sum(),
            skipped: self.skipped.len(),
            exposures: self.exposures.iter().filter(|e| e.affected).count(),
            powerbi: self
                .affected_powerbi()
                .filter(|e| e.kind != "semantic_model")
                .count(),
            powerbi_models: self
                .affected_powerbi()
                .filter(|e| e.kind == "semantic_model")
                .count(),
            stale_sources: self
                .problems
                .iter()
                .filter(|p| p.category == Category::Freshness)
                .map(|p| p.roots.len())
                .sum(),
            stale_exposures: self.exposures.iter().filter(|e| e.stale).count(),
            warned: self.warned.len(),
            late_sources: self
                .warnings
                .iter()
                .filter(|w| w.code == "freshness_warn")
                .count(),
            at_risk_exposures: self.exposures.iter().filter(|e| e.at_risk).count(),
        }
    }
}
