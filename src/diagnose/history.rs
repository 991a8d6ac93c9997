//! Several runs → "is this new?". When the inputs hold more than one invocation (several
//! run_results.json: target/ folders or ZIPs of several CI jobs), the newest is diagnosed and the
//! others say, for each problem, whether it is new, recurring or flapping; which nodes the newest
//! run fixed; and which it newly skipped. Runs are told apart by their invocation id (then their
//! time), never by file name; the same run given twice counts once.

use serde::{Deserialize, Serialize};

use crate::artifacts::{Artifacts, NodeResult, RunResults};
use crate::vocab::ResultStatus;

use super::Problem;

/// One invocation among the inputs, oldest first in [`super::Diagnosis::runs`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invocation_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    pub counts: RunCounts,
    /// Remembered by the page from an earlier visit (statuses only), not among the files.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub remembered: bool,
}

/// A run's results by status (`error` counts `runtime error` and `partial success`, `success`
/// counts `pass` and `no-op`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RunCounts {
    pub error: usize,
    pub fail: usize,
    pub skipped: usize,
    pub success: usize,
    pub warn: usize,
}

/// A problem across the runs given that ran one of its roots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    pub state: HistoryState,
    /// Runs in which a root failed, of the runs that ran one (`ran_in`), this one included.
    pub failed_in: usize,
    pub ran_in: usize,
    /// When it first failed among the runs given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_failed_at: Option<String>,
    /// The newest earlier run in which its roots passed; `null` when none did.
    pub last_passed_at: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HistoryState {
    /// First seen in this run (earlier runs passed it or did not run it).
    New,
    /// Failed in earlier runs too, with no pass since it first failed.
    Recurring,
    /// Failed, passed, failed again.
    Flapping,
}

impl HistoryState {
    pub fn as_str(self) -> &'static str {
        match self {
            HistoryState::New => "new",
            HistoryState::Recurring => "recurring",
            HistoryState::Flapping => "flapping",
        }
    }
}

/// A run as the page remembers it between visits (when the user lets it): when it ran, its
/// command, and each node's status — no message, no SQL, nothing of the files beyond that.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunRecord {
    pub invocation_id: String,
    #[serde(default)]
    pub generated_at: Option<String>,
    #[serde(default)]
    pub command: Option<String>,
    /// `(unique_id, status)` for every result.
    pub statuses: Vec<(String, ResultStatus)>,
}

impl RunRecord {
    /// The record of a run, when it has an invocation id to be told apart by.
    pub fn of(rr: &RunResults) -> Option<RunRecord> {
        Some(RunRecord {
            invocation_id: rr.metadata.invocation_id.clone()?,
            generated_at: rr.metadata.generated_at.clone(),
            command: rr.command.clone(),
            statuses: rr
                .results
                .iter()
                .map(|r| (r.unique_id.clone(), r.status.clone()))
                .collect(),
        })
    }

    /// The run as results with statuses only, for the history.
    pub fn to_run_results(&self) -> RunResults {
        let mut rr = RunResults::default();
        rr.metadata.invocation_id = Some(self.invocation_id.clone());
        rr.metadata.generated_at.clone_from(&self.generated_at);
        rr.command.clone_from(&self.command);
        rr.results = self
            .statuses
            .iter()
            .map(|(id, status)| NodeResult::status_only(id.clone(), status.clone()))
            .collect();
        rr
    }
}

/// The records of the runs among the files, to remember.
pub fn records(a: &Artifacts) -> Vec<RunRecord> {
    a.run_results
        .iter()
        .filter_map(|l| RunRecord::of(&l.value))
        .collect()
}

/// The distinct runs among the inputs and the remembered runs no newer than the run diagnosed,
/// oldest first (by `generated_at`, then the order given; a run given as a file wins over its
/// record).
pub(super) fn runs(a: &Artifacts) -> Vec<&RunResults> {
    let newest = a
        .run_results()
        .and_then(|rr| rr.metadata.generated_at.clone());
    let remembered = a
        .remembered
        .iter()
        .filter(|r| newest.is_some() && r.metadata.generated_at <= newest);
    let mut runs: Vec<(usize, &RunResults)> = Vec::new();
    let files = a.run_results.iter().map(|l| &l.value);
    for (i, rr) in remembered.chain(files).enumerate() {
        let same = |o: &RunResults| match (&o.metadata.invocation_id, &rr.metadata.invocation_id) {
            (Some(x), Some(y)) => x == y,
            _ => o.metadata.generated_at == rr.metadata.generated_at && o.results == rr.results,
        };
        match runs.iter().position(|(_, o)| same(o)) {
            // The same run given twice: the one given last stands for it.
            Some(at) => runs[at] = (i, rr),
            None => runs.push((i, rr)),
        }
    }
    runs.sort_by(|(i, a), (j, b)| {
        a.metadata
            .generated_at
            .cmp(&b.metadata.generated_at)
            .then(i.cmp(j))
    });
    runs.into_iter().map(|(_, rr)| rr).collect()
}

/// Every run among the inputs, oldest first, as the JSON lists them (for a timeline that shows
/// them all while an earlier one is diagnosed).
pub fn timeline(a: &Artifacts) -> Vec<Run> {
    run_list(a, &runs(a))
}

/// Without run_results: the invocations of the log that holds `diagnosed`, up to it, that
/// name their nodes' outcomes (progress lines), as runs in the log's order. A log writes the
/// time of day of each (`03:23:49.314661`), which is what `generated_at` then holds.
pub(super) fn log_runs(
    a: &Artifacts,
    diagnosed: &crate::artifacts::LogInvocation,
    manifest: Option<&crate::artifacts::Manifest>,
) -> Vec<RunResults> {
    let Some(log) = a.logs.iter().find(|l| {
        l.value
            .invocations
            .iter()
            .any(|i| std::ptr::eq(i, diagnosed))
    }) else {
        return Vec::new();
    };
    let upto = log
        .value
        .invocations
        .iter()
        .position(|i| std::ptr::eq(i, diagnosed))
        .map_or(0, |p| p + 1);
    log.value.invocations[..upto]
        .iter()
        .filter(|inv| !inv.results.is_empty() || std::ptr::eq(*inv, diagnosed))
        .map(|inv| {
            let mut rr = RunResults::default();
            rr.metadata.invocation_id.clone_from(&inv.invocation_id);
            rr.metadata.generated_at.clone_from(&inv.started_at);
            rr.command.clone_from(&inv.command);
            rr.results = inv
                .results
                .iter()
                .map(|r| {
                    NodeResult::status_only(
                        super::resolve_log_skip(&r.node, manifest),
                        ResultStatus::from(r.status.as_str()),
                    )
                })
                .collect();
            // The diagnosed invocation's failures, when its progress lines did not say (dbt
            // stopped before any node): its roots as errors.
            for e in &inv.node_errors {
                let id = super::resolve_log_node(
                    e.unique_id.as_deref(),
                    &e.resource_type,
                    &e.name,
                    manifest,
                )
                .0;
                if !rr.results.iter().any(|r| r.unique_id == id) {
                    rr.results
                        .push(NodeResult::status_only(id, ResultStatus::Error));
                }
            }
            rr
        })
        .collect()
}

/// Each run as the JSON lists it.
pub(super) fn run_list(a: &Artifacts, runs: &[&RunResults]) -> Vec<Run> {
    runs.iter()
        .map(|rr| {
            let mut counts = RunCounts::default();
            for r in &rr.results {
                match &r.status {
                    ResultStatus::Fail => counts.fail += 1,
                    s if s.is_failure() => counts.error += 1,
                    ResultStatus::Skipped => counts.skipped += 1,
                    ResultStatus::Warn => counts.warn += 1,
                    s if s.is_passed() => counts.success += 1,
                    _ => {}
                }
            }
            Run {
                invocation_id: rr.metadata.invocation_id.clone(),
                generated_at: rr.metadata.generated_at.clone(),
                command: rr.command.clone(),
                counts,
                remembered: a.remembered.iter().any(|r| std::ptr::eq(r, *rr)),
            }
        })
        .collect()
}

/// How the roots fared in one run: whether any of them ran, and whether any failed.
fn fared(rr: &RunResults, roots: &[String]) -> (bool, bool) {
    let mine = rr.results.iter().filter(|r| roots.contains(&r.unique_id));
    let mut ran = false;
    let mut failed = false;
    for r in mine {
        ran |= !r.is_skipped();
        failed |= r.is_root();
    }
    (ran, failed)
}

/// A problem's history over `runs` (oldest first; the last is the run diagnosed).
pub(super) fn history(p: &Problem, runs: &[&RunResults]) -> History {
    let mut ran_in = 0;
    let mut failed_in = 0;
    let mut first_failed_at = None;
    let mut last_passed_at = None;
    let mut passed_since_failing = false;
    let (newest, earlier) = runs
        .split_last()
        .map_or((None, &[][..]), |(n, e)| (Some(n), e));
    for rr in earlier {
        let (ran, failed) = fared(rr, &p.roots);
        if !ran {
            continue;
        }
        ran_in += 1;
        if failed {
            failed_in += 1;
            first_failed_at = first_failed_at.or(rr.metadata.generated_at.clone());
        } else {
            passed_since_failing |= first_failed_at.is_some();
            last_passed_at = rr.metadata.generated_at.clone();
        }
    }
    if let Some(rr) = newest {
        let (ran, failed) = fared(rr, &p.roots);
        ran_in += usize::from(ran);
        if failed {
            failed_in += 1;
            first_failed_at = first_failed_at.or(rr.metadata.generated_at.clone());
        }
    }
    let state = match (failed_in, passed_since_failing) {
        (0 | 1, _) => HistoryState::New,
        (_, true) => HistoryState::Flapping,
        (_, false) => HistoryState::Recurring,
    };
    History {
        state,
        failed_in,
        ran_in,
        first_failed_at,
        last_passed_at,
    }
}

fn passed(r: &NodeResult) -> bool {
    matches!(r.status, ResultStatus::Success | ResultStatus::Pass)
}

/// Nodes that failed the last time an earlier run ran them and pass in the newest. Sorted.
pub(super) fn fixed(runs: &[&RunResults]) -> Vec<String> {
    let Some((newest, earlier)) = runs.split_last() else {
        return Vec::new();
    };
    let mut out: Vec<String> = newest
        .results
        .iter()
        .filter(|r| passed(r))
        .filter(|r| {
            let before = earlier.iter().rev().find_map(|rr| {
                rr.results
                    .iter()
                    .find(|o| o.unique_id == r.unique_id && !o.is_skipped())
            });
            before.is_some_and(NodeResult::is_root)
        })
        .map(|r| r.unique_id.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Nodes skipped in the newest run that the run before it did not skip. Sorted.
pub(super) fn newly_skipped(runs: &[&RunResults]) -> Vec<String> {
    let [.., before, newest] = runs else {
        return Vec::new();
    };
    let mut out: Vec<String> = newest
        .results
        .iter()
        .filter(|r| r.is_skipped())
        .filter(|r| {
            !before
                .results
                .iter()
                .any(|o| o.unique_id == r.unique_id && o.is_skipped())
        })
        .map(|r| r.unique_id.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}
