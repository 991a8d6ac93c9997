//! Orchestrators' wrappers around dbt's output. Airflow, Prefect, Dagster, Meltano, Airbyte,
//! docker/kubectl, Jenkins, GitHub Actions and GitLab job logs put their own prefix in front of
//! every line dbt prints (`[2025-01-01, 12:00:00 UTC] {subprocess.py:93} INFO - 12:00:00  …`);
//! this module takes it off and keeps dbt's lines, so that the log reader sees what dbt printed.
//! Pure and total: text that is no wrapped log comes back unchanged.
//!
//! Hand-written on purpose: no crate knows these formats. The rules, in order:
//! - a line's prefix is stripped when it matches one of [`SHAPES`] (several times, for stacked
//!   wrappers like docker compose around Airbyte);
//! - the text counts as wrapped when most of its non-empty lines carry a prefix;
//! - where prefixes name a source (`{subprocess.py:93}`, a Prefect task, a compose service), only
//!   the sources that carried dbt's lines are kept — the orchestrator's own records
//!   (`{taskinstance.py:…}`, `Command exited with return code 2`) are dropped;
//! - a line without a prefix continues the record above it (multi-line records carry the prefix on
//!   their first line only), and goes where that record goes;
//! - CI markers (`##[group]`, GitLab's `section_start:`) and colour codes whose escape byte the
//!   orchestrator's page lost (` [0m`) are removed.

use std::borrow::Cow;
use std::sync::OnceLock;

use regex_lite::Regex;

/// Prefix shapes, each a regex anchored at the line's start; a `tag` group names the source.
const SHAPES: &[&str] = &[
    // Airflow 2 (also MWAA's `{{…}}`, the ISO and the older `,mmm` times, KubernetesPodOperator's
    // `[container] `): `[2025-01-01, 12:00:00 UTC] {subprocess.py:93} INFO - `.
    r"^\[\d{4}-\d{2}-\d{2}[T, ]\s*\d{2}:\d{2}:\d{2}[^\]]*\]\s+\{\{?(?P<tag>[^}\s]+)\}\}?\s+[A-Z]+\s+-(?: |$)(?:\[[\w.-]+\] )?",
    // Prefect 2/3: `12:00:00.123 | INFO    | Task run 'dbt-run' - `.
    r"^\d{2}:\d{2}:\d{2}\.\d{3} \| [A-Z]+\s*\| (?P<tag>[^|]+?) - ",
    // Meltano 2 (structlog): `2023-03-13T00:49:28.364432Z [info     ] `.
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z \[\w+\s*\] ",
    // GitHub Actions as downloaded, `docker logs --timestamps`, kubectl `--timestamps`, GitLab's
    // timestamped job logs (`… 00O `).
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}) (?:\d{2}[OE]\+? )?",
    // Airbyte normalization: `2022-01-27 17:15:54 normalization > `.
    r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} (?P<tag>[\w-]+) > ",
    // Java-style worker logs (Airbyte's LineGobbler, with its MDC `{job_id=…} - `).
    r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:[.,]\d+)? (?:INFO|WARN|ERROR|DEBUG|TRACE) (?:\([^)]*\) )?(?P<tag>[\w.$]+(?:\([\w.$]*\))?)(?::\d+)? - (?:\{[^}]*\} - )?",
    // docker compose and Meltano's legacy `meltano elt`: `dbt     | `, `airbyte-worker  | `.
    r"^(?P<tag>[A-Za-z][\w.-]*)\s+\| ",
    // kubectl logs with `--prefix`: `[pod/dbt-run-abc/dbt] `.
    r"^\[pod/[^\]]+\] ",
    // Jenkins' Timestamper with a zone offset: `17:04:19-0500 `.
    r"^\d{2}:\d{2}:\d{2}[+-]\d{4} ",
    // Clever Cloud's cron console: `instance(user) CMDOUT (…)`.
    r"^\S+ ?\S*\([^)]*\) CMDOUT \(",
];

/// The indexes in [`SHAPES`] of prefixes that plain text can have too (a timestamp, `word | `).
const GENERIC: [usize; 2] = [3, 6];

/// Lines that are the wrapper's alone and hold nothing of dbt's.
const WRAPPER_LINES: &str = r"^(?:##\[(?:group|endgroup|section|command|debug|warning|error)\]|section_(?:start|end):\d+:|\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?Z?\s*$|name=\S+ .*stdio=\w+\s*$|\S+ ?\S*\([^)]*\) CMDEND \()";

/// What dbt's own lines look like once unwrapped: its clock, or its words.
const DBT_LINE: &str = r"^\s*(?:\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:\s|$)|\S.*\b(?:Running with dbt=|Registered adapter:|Encountered an error|Completed with|Finished running|Error in (?:model|test|seed|snapshot)|Database Error|Compilation Error|Runtime Error|Parsing Error|Found \d+ models?)|Database Error|Compilation Error|Runtime Error|Parsing Error|Dependency Error)";

struct Compiled {
    shapes: Vec<Regex>,
    wrapper_lines: Regex,
    dbt_line: Regex,
    lost_escape: Regex,
    command: Regex,
}

fn compiled() -> Option<&'static Compiled> {
    static C: OnceLock<Option<Compiled>> = OnceLock::new();
    C.get_or_init(|| {
        Some(Compiled {
            shapes: SHAPES
                .iter()
                .map(|p| Regex::new(p))
                .collect::<Result<_, _>>()
                .ok()?,
            wrapper_lines: Regex::new(WRAPPER_LINES).ok()?,
            dbt_line: Regex::new(DBT_LINE).ok()?,
            // `\x1b[0m` with the escape lost or written out, at the start or after a space.
            lost_escape: Regex::new(r"(?:\x1b|(?:^|\s)(?:\\x1b|\\u001b|\\e)?)\[[0-9;]{0,8}m").ok()?,
            command: Regex::new(
                r"\b(dbt (?:run|build|test|seed|snapshot|compile|source freshness|run-operation|deps|debug|retry|docs generate)\b[^'\x22\]\n]*)",
            )
            .ok()?,
        })
    })
    .as_ref()
}

/// One line with its prefixes taken off.
struct Line<'a> {
    /// Whether a wrapper's prefix was found.
    wrapped: bool,
    tag: Option<&'a str>,
    text: Cow<'a, str>,
    /// A line of the wrapper's own (a CI marker): never dbt's.
    marker: bool,
    /// The prefix is one only an orchestrator writes.
    specific: bool,
}

fn strip_line<'a>(c: &Compiled, line: &'a str) -> Line<'a> {
    let line = line.trim_end_matches('\r');
    let mut rest = line;
    let mut tag = None;
    let mut wrapped = false;
    let mut clever = false;
    let mut specific = false;
    // Stacked wrappers: docker compose around Airbyte's worker around its MDC.
    for _ in 0..3 {
        let Some((i, m)) = c
            .shapes
            .iter()
            .enumerate()
            .find_map(|(i, re)| re.captures(rest).map(|m| (i, m)))
        else {
            break;
        };
        let end = m.get(0).map_or(0, |g| g.end());
        if end == 0 {
            break;
        }
        if let Some(t) = m.name("tag") {
            tag = Some(t.as_str());
        }
        clever |= i == SHAPES.len() - 1;
        specific |= GENERIC.iter().all(|g| *g != i);
        wrapped = true;
        rest = &rest[end..];
    }
    if clever {
        rest = rest.strip_suffix(')').unwrap_or(rest);
    }
    let marker = c.wrapper_lines.is_match(rest) || c.wrapper_lines.is_match(line);
    // Meltano 2 appends its own fields to dbt's line.
    if let Some(at) = rest.find(" cmd_type=") {
        rest = &rest[..at];
    }
    // GitLab writes `section_start:…` and `\r\x1b[0K` before a step's first line.
    let text = if rest.contains(['\u{1b}', '[']) {
        c.lost_escape.replace_all(rest, "")
    } else {
        Cow::Borrowed(rest)
    };
    Line {
        wrapped,
        tag,
        text,
        marker,
        specific,
    }
}

/// A log with the orchestrator's wrapper taken off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unwrapped<'a> {
    /// dbt's lines; the text itself when it was not wrapped.
    pub text: Cow<'a, str>,
    /// The dbt command lines the orchestrator logged of its own (`Running command: […, 'dbt run
    /// --profiles-dir .']`, GitHub's `##[group]Run dbt build`), in order.
    pub command_lines: Vec<String>,
}

/// dbt's lines out of a wrapped log; the text itself when it is not one.
pub fn unwrap(text: &str) -> Cow<'_, str> {
    unwrap_with_commands(text).text
}

/// [`unwrap`], and the dbt commands the wrapper's own lines name.
pub fn unwrap_with_commands(text: &str) -> Unwrapped<'_> {
    let plain = |text| Unwrapped {
        text: Cow::Borrowed(text),
        command_lines: Vec::new(),
    };
    let Some(c) = compiled() else {
        return plain(text);
    };
    let lines: Vec<Line<'_>> = text.lines().map(|l| strip_line(c, l)).collect();
    let non_empty = lines.iter().filter(|l| !l.text.trim().is_empty()).count();
    let wrapped = lines.iter().filter(|l| l.wrapped || l.marker).count();
    // A shape only an orchestrator writes (Airflow's, Prefect's, …) is enough on one line: a
    // multi-line record carries it on its first line only. The generic shapes (a timestamp, a
    // `name | `) must be on most lines.
    let specific = lines.iter().any(|l| l.specific);
    if !specific && (wrapped < 2 || wrapped * 2 < non_empty) {
        return plain(text);
    }
    // The sources that carried dbt's lines.
    let dbt_tags: Vec<&str> = lines
        .iter()
        .filter(|l| l.wrapped && c.dbt_line.is_match(&l.text))
        .filter_map(|l| l.tag)
        .collect();
    let tagged = lines.iter().any(|l| l.tag.is_some());
    let mut out = String::with_capacity(text.len());
    let mut command_lines = Vec::new();
    let mut keep = true;
    for l in &lines {
        if l.marker || (l.wrapped && l.tag.is_some_and(|t| !dbt_tags.contains(&t))) {
            if let Some(m) = c.command.captures(&l.text) {
                command_lines.push(m[1].trim().to_string());
            }
        }
        if l.marker {
            continue;
        }
        if l.wrapped {
            keep = match l.tag {
                Some(t) => dbt_tags.contains(&t),
                // Where sources are named, a line without one is the orchestrator's.
                None => !tagged || c.dbt_line.is_match(&l.text),
            };
        }
        // dbt's own lines inside another record (a traceback that quotes dbt's output).
        if keep || !l.wrapped && c.dbt_line.is_match(&l.text) {
            out.push_str(&l.text);
            out.push('\n');
        }
    }
    Unwrapped {
        text: Cow::Owned(out),
        command_lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn airflow_keeps_dbt_lines_only() {
        let log = "\
[2025-12-24T07:07:17.210+0000] {subprocess.py:75} INFO - Running command: ['bash', '-c', 'dbt run']
[2025-12-24T07:07:18.700+0000] {subprocess.py:93} INFO - \u{1b}[0m07:07:18  Running with dbt=1.11.2
[2025-12-24T07:07:19.648+0000] {subprocess.py:93} INFO - \u{1b}[0m07:07:19  Encountered an error:
[2025-12-24T07:07:19.649+0000] {subprocess.py:93} INFO - Database Error
[2025-12-24T07:07:19.649+0000] {subprocess.py:93} INFO -   duplicate key value
[2025-12-24T07:07:20.979+0000] {subprocess.py:97} INFO - Command exited with return code 2
[2025-12-24T07:07:21.001+0000] {taskinstance.py:2905} ERROR - Task failed with exception
Traceback (most recent call last):
  File \"x.py\", line 465, in _execute_task
";
        let out = unwrap_with_commands(log);
        assert_eq!(out.command_lines, ["dbt run"]);
        assert_eq!(
            out.text,
            "07:07:18  Running with dbt=1.11.2\n07:07:19  Encountered an error:\nDatabase Error\n  duplicate key value\n"
        );
    }

    #[test]
    fn multi_line_records_keep_their_bare_lines() {
        let log = "\
[2025-04-03, 06:38:21 UTC] {local.py:222} ERROR - 06:38:20  Running with dbt=1.10.0
06:38:20  Registered adapter: duckdb=1.8.2
[2025-04-03, 06:38:22 UTC] {taskinstance.py:3311} ERROR - Task failed
";
        assert_eq!(
            unwrap(log),
            "06:38:20  Running with dbt=1.10.0\n06:38:20  Registered adapter: duckdb=1.8.2\n"
        );
    }

    #[test]
    fn ci_timestamps_and_markers_go() {
        let log = "\
2024-05-01T12:00:00.1234567Z ##[group]Run dbt build
2024-05-01T12:00:01.1234567Z 12:00:01  Running with dbt=1.8.0
2024-05-01T12:00:02.1234567Z 12:00:02  Completed with 1 error
2024-05-01T12:00:03.1234567Z ##[error]Process completed with exit code 1.
";
        assert_eq!(
            unwrap(log),
            "12:00:01  Running with dbt=1.8.0\n12:00:02  Completed with 1 error\n"
        );
    }

    #[test]
    fn plain_logs_are_left_alone() {
        let log = "12:00:01  Running with dbt=1.8.0\n12:00:02  Completed with 1 error\n";
        assert!(matches!(unwrap(log), Cow::Borrowed(_)));
        let console = "dbt     | 12:00:01  Running with dbt=1.8.0\n";
        assert!(
            matches!(unwrap(console), Cow::Borrowed(_)),
            "one line is no wrapper"
        );
    }
}
