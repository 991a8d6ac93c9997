//! dbt's logs: `logs/dbt.log` (every invocation appended), console output, and JSON log lines
//! (`--log-format json`). Split into invocations; from each, what dbt said about itself (version,
//! adapter, command), the nodes that errored, and the error that ended it. Lines that match nothing
//! are ignored: any text is a valid (maybe empty) log.

use serde_json::Value;

/// A whole log, its invocations oldest first.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Log {
    pub invocations: Vec<LogInvocation>,
}

/// One dbt invocation as its log lines tell it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LogInvocation {
    pub invocation_id: Option<String>,
    /// When it started, as the log writes it (a time, or a date and time).
    pub started_at: Option<String>,
    pub dbt_version: Option<String>,
    /// The adapter's type, e.g. `postgres` from `Registered adapter: postgres=1.9.0`.
    pub adapter: Option<String>,
    /// `run`, `build`, … from the arguments dbt logs at debug level.
    pub command: Option<String>,
    /// The command line as typed, when the log has it (`dbt run --select orders`).
    pub command_line: Option<String>,
    pub target: Option<String>,
    /// Nodes that errored or failed, from the end-of-run summary (or JSON events).
    pub node_errors: Vec<LogNodeError>,
    /// The error that stopped dbt before or outside any node (`Encountered an error:` …).
    pub fatal: Option<String>,
    /// Whether the invocation reached its end (`Completed …`, `Finished running`, or an error).
    pub finished: bool,
    /// Nodes the log reports as skipped, in the order it reports them.
    pub skipped: Vec<LogSkip>,
    /// The kinds of node it started (`model`, `test`, `seed`, `snapshot`, `unit_test`), to tell
    /// `run` from `build` when the log does not name its command (console output).
    pub ran: Vec<String>,
    /// A microbatch model's failed batches with their errors (run_results keeps only
    /// `PARTIAL SUCCESS (9/10)` as the model's message).
    pub batch_errors: Vec<LogBatchError>,
    /// Every node's outcome its progress lines give (`12 of 37 PASS not_null_x`), in order:
    /// what an invocation without its run_results.json contributes to the history.
    pub results: Vec<LogResult>,
    /// The log's lines around each failed node's error, by node name (see [`LogExcerpt`]).
    pub excerpts: std::collections::BTreeMap<String, LogExcerpt>,
}

/// The lines of the log around a node's error, as text: what dbt logged just before it on the
/// node's thread (the statement it sent, a traceback) and the error itself. Lines are numbered in
/// the log as read (an orchestrator's prefixes taken off), from 1.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct LogExcerpt {
    /// The index, within `lines`, of the line where the error starts.
    pub at: usize,
    pub lines: Vec<LogLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct LogLine {
    pub number: usize,
    pub text: String,
}

/// How many lines before and after the error's first line an excerpt keeps, and the longest
/// line it keeps whole (a compiled statement on one line can be megabytes).
const EXCERPT_BEFORE: usize = 14;
const EXCERPT_AFTER: usize = 10;
const EXCERPT_LINE_MAX: usize = 400;

/// Finds each failed node's error in the log's lines, invocation after invocation (the same
/// error in a later run is that run's), and keeps the lines around it.
fn add_excerpts(log: &mut Log, text: &str) {
    let lines: Vec<&str> = text.lines().collect();
    let threads = threads_of(&lines);
    let mut from = 0;
    for inv in &mut log.invocations {
        for err in &inv.node_errors {
            let Some(at) = error_at(&lines, from, err) else {
                continue;
            };
            from = at + 1;
            // The node's own thread: dbt runs several at once and interleaves their lines.
            // Within the node's own lines: from `Began running node` to `Finished running node`.
            let same = |i: &usize| threads[*i] == threads[at];
            let mut kept = Vec::new();
            for i in (0..at).rev().filter(same).take(EXCERPT_BEFORE) {
                kept.push(i);
                if lines[i].contains("Began running node") {
                    break;
                }
            }
            kept.reverse();
            let at_index = kept.len();
            for i in (at..lines.len()).filter(same).take(EXCERPT_AFTER) {
                kept.push(i);
                if lines[i].contains("Finished running node") {
                    break;
                }
            }
            let excerpt = LogExcerpt {
                at: at_index,
                lines: kept
                    .into_iter()
                    .map(|i| LogLine {
                        number: i + 1,
                        text: excerpt_line(lines[i]),
                    })
                    .collect(),
            };
            inv.excerpts.entry(err.name.clone()).or_insert(excerpt);
        }
    }
}

/// The line, from `from` on, where dbt logs `err`: its header (`Runtime Error in model x`,
/// `Failure in test y`), else the first line of its message. Never the scheduler's own note
/// (`Marking all children of 'x' to be skipped … Reason: …`), which quotes the error elsewhere.
fn error_at(lines: &[&str], from: usize, err: &LogNodeError) -> Option<usize> {
    let own = |l: &str| !l.contains("Marking all children of");
    let header = (from..lines.len()).find(|&i| {
        let l = lines[i];
        own(l)
            && (l.contains(" Error in ") || l.contains("Failure in "))
            && l.contains(&format!(" {} (", err.name))
    });
    header.or_else(|| {
        let needle = err.message.lines().map(str::trim).find(|l| l.len() >= 8)?;
        let needle = crate::prefix(needle, 120);
        (from..lines.len()).find(|&i| own(lines[i]) && lines[i].contains(needle))
    })
}

/// Each line's thread as dbt's debug log tags it (`[Thread-2 (]`, `[MainThread]`); a line
/// without a tag (a statement's continuation, a traceback) belongs to the one above it.
fn threads_of<'t>(lines: &[&'t str]) -> Vec<&'t str> {
    let mut current = "";
    lines
        .iter()
        .map(|l| {
            if let Some(start) = l.find("[Thread-").or_else(|| l.find("[MainThread")) {
                if let Some(len) = l[start..].find(']') {
                    current = &l[start..start + len];
                }
            }
            current
        })
        .collect()
}

fn excerpt_line(line: &str) -> String {
    let l = strip_ansi(line.trim_end_matches('\r'));
    let head = crate::prefix(&l, EXCERPT_LINE_MAX);
    if head.len() < l.len() {
        format!("{head} …")
    } else {
        l.into_owned()
    }
}

/// A node's outcome from a progress line: the node as [`LogSkip`] names it (`relation
/// main.stg_orders`, `test unique_x`, `unit_test model::test`) and dbt's status as
/// run_results spells it (`success`, `pass`, `fail`, `warn`, `error`, `skipped`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogResult {
    pub node: LogSkip,
    pub status: String,
}

/// `Batch 6 of 10 ERROR creating batch 2024-01-20 of main.refunds_daily`, with the error dbt
/// printed just before it (`Unhandled error while executing` …).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogBatchError {
    /// The batch as dbt names it (`2024-01-20`), once its ERROR line was read.
    pub batch: Option<String>,
    /// The model's relation (`main.refunds_daily`).
    pub relation: Option<String>,
    pub message: String,
}

impl LogInvocation {
    /// Whether the log has said nothing of this invocation yet.
    fn is_empty(&self) -> bool {
        self.dbt_version.is_none()
            && self.command.is_none()
            && self.node_errors.is_empty()
            && self.fatal.is_none()
            && self.ran.is_empty()
            && self.skipped.is_empty()
    }

    /// The command, as logged or as told by what it ran: models and tests → `build`, …
    pub fn command_or_guess(&self) -> Option<String> {
        if let Some(c) = &self.command {
            return Some(c.clone());
        }
        let ran = |k: &str| self.ran.iter().any(|r| r == k);
        let tests = ran("test") || ran("unit_test");
        let builds = ran("model") || ran("snapshot") || ran("seed");
        let guess = match (builds, tests) {
            (true, true) => "build",
            (false, true) => "test",
            (true, false) if ran("model") => "run",
            (true, false) if ran("snapshot") => "snapshot",
            (true, false) => "seed",
            (false, false) => return None,
        };
        Some(guess.to_string())
    }
}

/// A node the log reports as skipped: `7 of 14 SKIP relation main.int_customer_orders`, or a JSON
/// `SkippingDetails` event with its unique_id.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogSkip {
    /// `relation` (models, seeds, snapshots by their relation), `test`, `unit_test`, …
    pub kind: String,
    /// The relation (`main.int_customer_orders`) or the node's name.
    pub name: String,
    pub unique_id: Option<String>,
}

/// A node's error as the log reports it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LogNodeError {
    /// dbt's wrapper, e.g. `Database Error`, `Runtime Error`, `Compilation Error`, or `Failure`.
    pub error_type: String,
    pub resource_type: String,
    pub name: String,
    pub unique_id: Option<String>,
    pub path: Option<String>,
    pub message: String,
}

/// Adds a node's error, or completes the one already there: dbt ≥ 1.8 prints `Failure in model
/// x (path)` and then the error itself as a separate event, whose text is the real message.
fn merge_node_error(inv: &mut LogInvocation, err: LogNodeError) {
    let same = inv
        .node_errors
        .iter_mut()
        .find(|e| e.name == err.name && e.resource_type == err.resource_type);
    match same {
        // A header (`Failure in …`) or a progress line (`ERROR creating …`) is completed by the
        // error that follows.
        Some(e) if e.message.is_empty() || e.error_type == "Failure" && e.message_is_header() => {
            let unique_id = e.unique_id.take().or(err.unique_id.clone());
            *e = err;
            e.unique_id = e.unique_id.take().or(unique_id);
        }
        Some(_) => {}
        None => inv.node_errors.push(err),
    }
}

impl LogNodeError {
    /// Whether the message is still only the summary's header line (its body comes next).
    fn message_is_header(&self) -> bool {
        self.message.is_empty()
            || !self.message.contains('\n')
                && (self.message.starts_with("Failure in ")
                    || self
                        .message
                        .starts_with(&format!("{} in ", self.error_type)))
    }
}

/// Whether text looks like dbt's log or console output.
pub(crate) fn looks_like_log(head: &str) -> bool {
    const MARKERS: [&str; 9] = [
        "Running with dbt=",
        "running dbt with arguments",
        "Encountered an error",
        "Completed with ",
        "Finished running ",
        " Error in model ",
        "Compilation Error",
        "Registered adapter:",
        "Could not find profile named",
    ];
    MARKERS.iter().any(|m| head.contains(m))
        || head.lines().any(|l| {
            is_progress_line(l)
                || fusion_node_line(l).is_some()
                || fusion_banner(l).is_some()
                || fusion_error(l.trim_start()).is_some()
                || fusion_finished(l.trim_start()).is_some()
        })
}

/// dbt's progress lines: `3 of 9 START sql table model …`, `3 of 9 ERROR creating …`.
fn is_progress_line(line: &str) -> bool {
    let Some((_, rest)) = line.split_once(" of ") else {
        return false;
    };
    let mut words = rest.split_whitespace();
    words
        .next()
        .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
        && words.next().is_some_and(|w| {
            matches!(
                w,
                "START" | "OK" | "ERROR" | "SKIP" | "PASS" | "FAIL" | "WARN"
            )
        })
}

/// Parses any log text, wrapped by an orchestrator or not. Total.
pub fn parse(text: &str) -> Log {
    let unwrapped = super::unwrap::unwrap_with_commands(text);
    let text = unwrapped.text;
    // Console output pasted without dbt's clock (dbt Cloud's page, Dagster's parsed messages):
    // then a line at the left margin starts a message.
    let timeless = !text.lines().any(|l| prefix(&strip_ansi(l)).is_some());
    let mut events = Vec::new();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim_start().starts_with('{') {
            if let Ok(v) = serde_json::from_str::<Value>(line.trim()) {
                if let Some(ev) = json_event(&v) {
                    events.push(ev);
                    continue;
                }
            }
        }
        text_line(line, timeless, &mut events);
    }
    let mut log = Log::default();
    let mut body_open = false;
    for ev in events {
        body_open = apply(&mut log, ev, body_open);
    }
    for inv in &mut log.invocations {
        inv.node_errors
            .dedup_by(|a, b| a.name == b.name && a.resource_type == b.resource_type);
    }
    add_excerpts(&mut log, &text);
    // The orchestrator's own record of the command, where dbt's lines did not say it: one
    // command line per invocation, in order.
    if unwrapped.command_lines.len() == log.invocations.len() {
        for (inv, line) in log.invocations.iter_mut().zip(unwrapped.command_lines) {
            if inv.command_line.is_none() {
                inv.command = inv.command.take().or_else(|| command_of(&line));
                inv.command_line = Some(line);
            }
        }
    }
    log
}

/// One log message (a first line and its continuation lines), or the start of an invocation.
#[derive(Debug, Default)]
struct Event {
    /// A separator line or JSON event said a new invocation starts (with this id, if known).
    boundary: Option<Option<String>>,
    time: Option<String>,
    invocation_id: Option<String>,
    text: String,
    /// Structured fields from JSON log lines.
    json: Option<JsonFields>,
}

#[derive(Debug, Default)]
struct JsonFields {
    name: String,
    version: Option<String>,
    adapter: Option<String>,
    which: Option<String>,
    command_line: Option<String>,
    target: Option<String>,
    exc: Option<String>,
    node: Option<LogNodeError>,
    node_status: Option<String>,
    skipped: Option<LogSkip>,
}

fn json_event(v: &Value) -> Option<Event> {
    let info = v.get("info")?;
    let data = v.get("data").cloned().unwrap_or(Value::Null);
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let name = s(info, "name").unwrap_or_default();
    let node_info = data.get("node_info");
    let mut fields = JsonFields {
        name: name.clone(),
        version: s(&data, "version"),
        adapter: s(&data, "adapter_name"),
        exc: s(&data, "exc"),
        ..JsonFields::default()
    };
    if let Some(args) = data.get("args") {
        fields.which = s(args, "which");
        fields.command_line = s(args, "invocation_command");
        fields.target = s(args, "target");
    }
    if let Some(ni) = node_info {
        fields.node_status = s(ni, "node_status");
        if name == "SkippingDetails" {
            fields.skipped = Some(LogSkip {
                kind: s(ni, "resource_type").unwrap_or_else(|| "model".into()),
                name: s(ni, "node_name").unwrap_or_default(),
                unique_id: s(ni, "unique_id"),
            });
        }
        if matches!(
            name.as_str(),
            "RunResultError" | "RunResultFailure" | "RunResultErrorNoMessage"
        ) {
            let unique_id = s(ni, "unique_id");
            let resource_type = s(ni, "resource_type").unwrap_or_else(|| {
                unique_id
                    .as_deref()
                    .and_then(|u| u.split('.').next())
                    .unwrap_or("model")
                    .to_string()
            });
            fields.node = Some(LogNodeError {
                error_type: String::new(),
                resource_type,
                name: s(ni, "node_name").unwrap_or_default(),
                unique_id,
                path: s(ni, "node_path"),
                message: s(&data, "msg").unwrap_or_default(),
            });
        }
    }
    Some(Event {
        boundary: None,
        time: s(info, "ts"),
        invocation_id: s(info, "invocation_id"),
        text: strip_ansi(&s(info, "msg").unwrap_or_default()).into_owned(),
        json: Some(fields),
    })
}

/// Adds one text line to the events: a separator, a new message, or a continuation.
fn text_line(raw: &str, timeless: bool, events: &mut Vec<Event>) {
    let line = strip_ansi(raw);
    if let Some(id) = separator(&line) {
        events.push(Event {
            boundary: Some(id.1),
            time: id.0,
            ..Event::default()
        });
        return;
    }
    match prefix(&line) {
        Some((time, rest)) => events.push(Event {
            time: Some(time),
            text: rest.to_string(),
            ..Event::default()
        }),
        // Console output without times (dbt 0.x, or pasted without them): a node's error block
        // still starts a message of its own.
        None if fusion_node_line(&line).is_some()
            || !line.starts_with(char::is_whitespace)
                && !continues_any(&line)
                && (!continues(events.last()) || starts_message(&line))
                && (summary_error(without_exception(&line)).is_some()
                    || timeless && !line.is_empty()) =>
        {
            events.push(Event {
                text: without_exception(&line).to_string(),
                ..Event::default()
            })
        }
        None => match events.last_mut() {
            Some(ev) if ev.boundary.is_none() && ev.json.is_none() => {
                ev.text.push('\n');
                ev.text.push_str(&line);
            }
            _ => events.push(Event {
                text: line.to_string(),
                ..Event::default()
            }),
        },
    }
}

/// A summary line behind the Python exception that carried it (an orchestrator printing
/// `dbt.exceptions.DatabaseException: Database Error in model x (…)`).
fn without_exception(line: &str) -> &str {
    match line.split_once(": ") {
        Some((class, rest))
            if class.ends_with("Exception") || class.ends_with("Error") && class.contains('.') =>
        {
            rest
        }
        _ => line,
    }
}

/// Whether the next line at the left margin still belongs to this message: the lines after
/// `Encountered an error:` and after a bare error type (`Database Error`) are its body.
fn continues(last: Option<&Event>) -> bool {
    let Some(ev) = last.filter(|e| e.boundary.is_none() && e.json.is_none()) else {
        return false;
    };
    let lines: Vec<&str> = ev.text.lines().collect();
    let first = lines.first().map_or("", |l| l.trim());
    first.starts_with("Encountered an error") && lines.len() <= 2
        || first.ends_with(" Error") && !first.contains(" in ") && lines.len() == 1
        || fusion_error(first).is_some()
}

/// A line that starts a message of its own even right after an error: another error, a node's
/// line, dbt Fusion's headings and summary.
fn starts_message(line: &str) -> bool {
    fusion_error(line).is_some()
        || fusion_node_line(line).is_some()
        || fusion_finished(line.trim_start()).is_some()
        || line.starts_with("=====")
        || line.starts_with("panic: ")
}

/// A line that continues whatever message is open (dbt Fusion's Jinja frames and locations,
/// printed at the left margin).
fn continues_any(line: &str) -> bool {
    line.starts_with("(in ") || line.starts_with("--> ") || line.starts_with("caused by")
}

/// `============================== 2024-01-02 10:15:57.386197 | 2d9e… ==============================`
/// (a line of `=` alone is someone's banner, not dbt's).
fn separator(line: &str) -> Option<(Option<String>, Option<String>)> {
    let inner = line.strip_prefix("=====")?.trim_matches('=').trim();
    // dbt's separator starts with the time; dbt Fusion's `===== Errors and Warnings =====` and
    // `===== Execution Summary =====` are headings inside one invocation.
    if !inner.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (time, id) = match inner.split_once('|') {
        Some((t, i)) => (t.trim(), Some(i.trim().to_string())),
        None => (inner, None),
    };
    let time = (!time.is_empty()).then(|| time.to_string());
    Some((time, id.filter(|i| !i.is_empty())))
}

/// Splits a log line's time/level prefix from its message:
/// `10:15:57.386197 [info ] [MainThread]: msg` (dbt.log) or `10:15:57  msg` (console).
fn prefix(line: &str) -> Option<(String, &str)> {
    let b = line.as_bytes();
    let is_time = b.len() >= 8
        && b[0].is_ascii_digit()
        && b[1].is_ascii_digit()
        && b[2] == b':'
        && b[3].is_ascii_digit()
        && b[4].is_ascii_digit()
        && b[5] == b':'
        && b[6].is_ascii_digit()
        && b[7].is_ascii_digit();
    if !is_time {
        return None;
    }
    let end = line[8..]
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map_or(line.len(), |i| i + 8);
    let time = line[..end].to_string();
    let mut rest = &line[end..];
    // dbt.log: ` [info ] [MainThread]: `.
    let trimmed = rest.trim_start();
    if trimmed.starts_with('[') {
        if let Some(i) = trimmed.find("]: ") {
            rest = &trimmed[i + 3..];
            return Some((time, rest));
        }
    }
    // Console: two spaces; dbt 0.x: ` | `.
    let rest = rest
        .strip_prefix(" | ")
        .or_else(|| rest.strip_prefix(" |"))
        .unwrap_or(rest);
    Some((time, rest.strip_prefix("  ").unwrap_or(rest.trim_start())))
}

fn strip_ansi(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('\u{1b}') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.peek() == Some(&'[') {
                chars.next();
                for d in chars.by_ref() {
                    if d.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

fn current<'a>(log: &'a mut Log, ev: &Event) -> &'a mut LogInvocation {
    if log.invocations.is_empty() {
        log.invocations.push(LogInvocation {
            started_at: ev.time.clone(),
            invocation_id: ev.invocation_id.clone(),
            ..LogInvocation::default()
        });
    }
    log.invocations.last_mut().expect("pushed above")
}

/// Applies one event; returns whether a node's error block is still open (its body lines, each
/// behind dbt's clock, are the next events).
fn apply(log: &mut Log, ev: Event, body_open: bool) -> bool {
    if let Some(id) = &ev.boundary {
        let fresh = LogInvocation {
            invocation_id: id.clone(),
            started_at: ev.time.clone(),
            ..LogInvocation::default()
        };
        // Text before the first separator (a shell prompt, an orchestrator's banner) made an
        // invocation of nothing: the separator starts that one.
        match log.invocations.last_mut() {
            Some(last) if last.is_empty() => *last = fresh,
            _ => log.invocations.push(fresh),
        }
        return false;
    }
    // JSON lines carry their invocation id: a new id starts a new invocation.
    if let Some(id) = &ev.invocation_id {
        let same = log
            .invocations
            .last()
            .is_some_and(|inv| inv.invocation_id.as_deref().is_none_or(|i| i == id));
        if !same {
            log.invocations.push(LogInvocation {
                invocation_id: Some(id.clone()),
                started_at: ev.time.clone(),
                ..LogInvocation::default()
            });
        }
    }
    let text = ev.text.as_str();
    let first = text.lines().next().unwrap_or_default().trim();
    // Console output has no separators: a second "Running with dbt=" starts a new invocation.
    let version = first
        .strip_prefix("Running with dbt=")
        .or_else(|| first.strip_prefix("Running with dbt-fusion="))
        .or_else(|| fusion_banner(first));
    if let Some(v) = version {
        let starts_new = log
            .invocations
            .last()
            .is_some_and(|inv| inv.dbt_version.is_some());
        if starts_new {
            log.invocations.push(LogInvocation {
                started_at: ev.time.clone(),
                invocation_id: ev.invocation_id.clone(),
                ..LogInvocation::default()
            });
        }
        let inv = current(log, &ev);
        inv.dbt_version = Some(v.trim().to_string());
        return false;
    }
    let inv = current(log, &ev);
    if inv.invocation_id.is_none() {
        inv.invocation_id.clone_from(&ev.invocation_id);
    }
    if let Some(j) = &ev.json {
        apply_json(inv, j, text);
        if let Some(kind) = start_line(first) {
            if !inv.ran.iter().any(|r| r == kind) {
                inv.ran.push(kind.to_string());
            }
        }
        if j.name != "RunResultError"
            && j.name != "RunResultFailure"
            && j.name != "MainEncounteredError"
        {
            return false;
        }
        if j.node.is_some() || j.exc.is_some() {
            return false;
        }
    }
    if let Some(rest) = first.strip_prefix("Registered adapter:") {
        let adapter = rest.trim().split('=').next().unwrap_or_default().trim();
        if !adapter.is_empty() {
            inv.adapter = Some(adapter.to_string());
        }
    } else if first.starts_with("running dbt with arguments") {
        inv.command = py_dict_value(first, "which").or(inv.command.take());
        inv.command_line = py_dict_value(first, "invocation_command").or(inv.command_line.take());
        inv.target = py_dict_value(first, "target").or(inv.target.take());
        if inv.command.is_none() {
            inv.command = inv.command_line.as_deref().and_then(command_of);
        }
    } else if let Some(rest) = first.strip_prefix("Command `") {
        // `Command `dbt run --select x` failed at 18:04:23 after 0.99 seconds`.
        let line = rest.split('`').next().unwrap_or_default();
        if inv.command_line.is_none() && !line.is_empty() {
            inv.command_line = Some(line.to_string());
        }
        if inv.command.is_none() {
            inv.command = command_of(line);
        }
        inv.finished = true;
    } else if let Some(rest) = first.strip_prefix("Encountered an error") {
        let body = text.split_once('\n').map(|(_, b)| b).unwrap_or_default();
        let rest = rest.trim_start_matches(':').trim();
        let msg = if rest.is_empty() {
            body.trim().to_string()
        } else {
            format!("{rest}\n{body}").trim().to_string()
        };
        inv.fatal = Some(msg);
        inv.finished = true;
    } else if first.starts_with("Completed with")
        || first.starts_with("Completed successfully")
        || first.starts_with("Finished running")
    {
        inv.finished = true;
    } else if let Some(kind) = start_line(first) {
        if !inv.ran.iter().any(|r| r == kind) {
            inv.ran.push(kind.to_string());
        }
    } else if let Some(node) = fusion_node_line(first) {
        apply_fusion_node(inv, node);
    } else if let Some(message) = fusion_error(first) {
        apply_fusion_error(inv, message, text);
    } else if first.starts_with("panic: panicked at") || first.starts_with("[panic]") {
        // dbt Fusion crashed: the panic's message is on the next line.
        if inv.fatal.is_none() {
            inv.fatal = Some(text.trim().to_string());
        }
        inv.finished = true;
    } else if let Some(command) = fusion_finished(first) {
        // `Finished 'build' with 1 error for target 'dev' [1.3s]`.
        if inv.command.is_none() {
            inv.command = Some(command.to_string());
        }
        inv.finished = true;
    } else if let Some(r) = result_line(first).filter(|_| !first.starts_with("Batch ")) {
        // A progress line's outcome; its error or skip is read below as well.
        let (skip, error) = (skip_line(first), error_line(first));
        inv.results.push(r);
        if let Some(skip) = skip.filter(|s| !inv.skipped.contains(s)) {
            inv.skipped.push(skip);
        }
        if let Some(err) = error.filter(|e| !inv.node_errors.iter().any(|x| x.name == e.name)) {
            inv.node_errors.push(err);
        }
    } else if first.starts_with("Unhandled error while executing") {
        // A worker thread's error: a microbatch batch's, when a batch ERROR line follows.
        let body = text.split_once('\n').map(|(_, b)| b).unwrap_or_default();
        let body = body
            .trim_start()
            .trim_start_matches("Exception on worker thread.");
        let message = match body.trim().split_once('\n') {
            Some((head, rest)) => format!("{head}\n{}", dedent(rest)),
            None => body.trim().to_string(),
        };
        inv.batch_errors.push(LogBatchError {
            message: message.trim_end().to_string(),
            ..LogBatchError::default()
        });
    } else if let Some((batch, relation)) = batch_error_line(first) {
        let open = inv
            .batch_errors
            .iter_mut()
            .rev()
            .find(|b| b.batch.is_none());
        let entry = match open {
            Some(e) => e,
            None => {
                inv.batch_errors.push(LogBatchError::default());
                inv.batch_errors.last_mut().expect("pushed above")
            }
        };
        entry.batch = Some(batch.to_string());
        entry.relation = Some(relation.to_string());
    } else if let Some(err) = error_line(first) {
        // `1 of 1 ERROR creating table model x.y`: the node failed; its message comes with the
        // summary, if the log has it.
        if !inv.node_errors.iter().any(|e| e.name == err.name) {
            inv.node_errors.push(err);
        }
    } else if let Some(skip) = skip_line(first) {
        if !inv.skipped.contains(&skip) {
            inv.skipped.push(skip);
        }
    } else if let Some(err) = summary_error(text) {
        merge_node_error(inv, err);
        return true;
    } else if inv.fatal.is_none() && is_bare_error_type(first) && text.contains('\n') {
        // `Compilation Error` on a line of its own, then its body: dbt stopped (a parse error
        // printed without `Encountered an error:`, as older versions and some wrappers show it).
        inv.fatal = Some(text.trim().to_string());
        inv.finished = true;
    } else if !first.is_empty() && text.starts_with("  ") {
        // The body of the error block above (`  Got 1 result, …`, `  Unrecognized name: …`),
        // printed behind dbt's clock line by line.
        if let Some(e) = inv.node_errors.last_mut() {
            if e.message_is_header() {
                e.message = dedent(text);
                return true;
            }
            if body_open {
                e.message.push('\n');
                e.message.push_str(&dedent(text));
                return true;
            }
        }
    }
    false
}

fn apply_json(inv: &mut LogInvocation, j: &JsonFields, text: &str) {
    match j.name.as_str() {
        "MainReportVersion" => inv.dbt_version = j.version.clone().or(inv.dbt_version.take()),
        "AdapterRegistered" => inv.adapter = j.adapter.clone().or(inv.adapter.take()),
        "MainReportArgs" => {
            inv.command = j.which.clone().or(inv.command.take());
            inv.command_line = j.command_line.clone().or(inv.command_line.take());
            inv.target = j.target.clone().or(inv.target.take());
            if inv.command.is_none() {
                inv.command = inv.command_line.as_deref().and_then(command_of);
            }
        }
        "MainEncounteredError" => {
            inv.fatal = j.exc.clone().or_else(|| Some(text.to_string()));
            inv.finished = true;
        }
        "CommandCompleted" | "EndOfRunSummary" | "FinishedRunningStats" => inv.finished = true,
        "RunResultError" | "RunResultFailure" => {
            if let Some(node) = &j.node {
                let mut node = node.clone();
                // The same text as the console's summary: take the wrapper from it when present.
                if let Some(parsed) = summary_error(text.trim_start()) {
                    node.error_type = parsed.error_type;
                    if node.name.is_empty() {
                        node.name = parsed.name;
                    }
                    node.path = node.path.or(parsed.path);
                    node.message = parsed.message;
                } else if node.message.is_empty() {
                    node.message = dedent(text);
                }
                merge_node_error(inv, node);
            }
        }
        "SkippingDetails" => {
            let skip = j
                .skipped
                .clone()
                .or_else(|| skip_line(text.lines().next().unwrap_or_default()));
            if let Some(skip) = skip {
                if !inv
                    .skipped
                    .iter()
                    .any(|s| s.name == skip.name && s.kind == skip.kind)
                {
                    inv.skipped.push(skip);
                }
            }
        }
        _ => {}
    }
}

/// dbt's error types as it prints them on a line of their own.
fn is_bare_error_type(line: &str) -> bool {
    matches!(
        line,
        "Compilation Error"
            | "Parsing Error"
            | "Runtime Error"
            | "Dependency Error"
            | "Database Error"
            | "Env Var Error"
            | "Internal Error"
    )
}

/// `1 of 14 START sql view model main.stg_customers …… [RUN]` → `model`.
fn start_line(line: &str) -> Option<&'static str> {
    let at = line.find(" START ")?;
    if !line[..at].contains(" of ") {
        return None;
    }
    let rest = &line[at..];
    const KINDS: [(&str, &str); 5] = [
        (" unit_test ", "unit_test"),
        (" test ", "test"),
        (" seed file ", "seed"),
        (" snapshot ", "snapshot"),
        (" model ", "model"),
    ];
    KINDS
        .iter()
        .find(|(w, _)| rest.contains(w))
        .map(|(_, k)| *k)
}

/// dbt Fusion's banner, `dbt-fusion 2.0.0-preview.176`, → its version.
fn fusion_banner(line: &str) -> Option<&str> {
    let v = line
        .strip_prefix("dbt-fusion ")?
        .split_whitespace()
        .next()?;
    v.starts_with(|c: char| c.is_ascii_digit()).then_some(v)
}

/// A node's line in dbt Fusion's output: `    Failed [  1.00s] model main.downstream_model (table)`.
struct FusionNode<'a> {
    status: &'a str,
    resource_type: &'a str,
    /// `schema.alias` for models, seeds and snapshots; the test's name for tests.
    name: &'a str,
}

fn fusion_node_line(line: &str) -> Option<FusionNode<'_>> {
    const STATUSES: [&str; 9] = [
        "Succeeded",
        "Passed",
        "Warned",
        "Failed",
        "Reused",
        "Skipped",
        "Cancelled",
        "Stale",
        "Finished",
    ];
    let line = line.trim_start();
    let (status, rest) = line.split_once(' ')?;
    if !STATUSES.contains(&status) {
        return None;
    }
    let rest = rest.trim_start();
    let (resource_type, name) = match rest.strip_prefix('[') {
        Some(rest) => {
            let (_, rest) = rest.split_once(']')?;
            let mut words = rest.split_whitespace();
            (words.next()?, words.next()?)
        }
        // Beta releases: `    Failed model.orders`.
        None => rest.split_whitespace().next()?.split_once('.')?,
    };
    const TYPES: [&str; 7] = [
        "model",
        "test",
        "seed",
        "snapshot",
        "unit_test",
        "source",
        "function",
    ];
    TYPES.contains(&resource_type).then_some(FusionNode {
        status,
        resource_type,
        name,
    })
}

fn apply_fusion_node(inv: &mut LogInvocation, node: FusionNode<'_>) {
    let kind = match node.resource_type {
        "model" | "seed" | "snapshot" => "relation",
        other => other,
    };
    let ran = if node.resource_type == "unit_test" {
        "unit_test"
    } else {
        node.resource_type
    };
    if !inv.ran.iter().any(|r| r == ran) {
        inv.ran.push(ran.to_string());
    }
    let short = node.name.rsplit('.').next().unwrap_or(node.name);
    match node.status {
        "Failed" | "Cancelled" => {
            if inv.node_errors.iter().any(|e| e.name == short) {
                return;
            }
            // Early releases printed the error before the node's line: take it back from the
            // invocation when its location is this node's file.
            let pending = inv
                .fatal
                .as_deref()
                .is_some_and(|f| location_of(f).is_some_and(|(_, stem)| stem == short));
            if pending {
                let message = inv.fatal.take().unwrap_or_default();
                inv.node_errors.push(LogNodeError {
                    error_type: String::new(),
                    resource_type: node.resource_type.to_string(),
                    name: short.to_string(),
                    unique_id: None,
                    path: location_of(&message).map(|(p, _)| p),
                    message,
                });
                return;
            }
            let test = matches!(node.resource_type, "test" | "unit_test");
            inv.node_errors.push(LogNodeError {
                // A test's `Failed` line alone means it ran and returned rows; an error block
                // naming it later replaces this.
                error_type: if test {
                    "Failure".into()
                } else {
                    String::new()
                },
                resource_type: node.resource_type.to_string(),
                name: short.to_string(),
                unique_id: None,
                path: None,
                message: if test {
                    format!("Failed test {short}")
                } else {
                    String::new()
                },
            });
        }
        "Skipped" => {
            let skip = LogSkip {
                kind: kind.to_string(),
                name: node.name.to_string(),
                unique_id: None,
            };
            if !inv.skipped.contains(&skip) {
                inv.skipped.push(skip);
            }
        }
        _ => {}
    }
}

/// dbt Fusion's error line, `[error] [DbSyntaxInvalid (dbt1302)]: …` or (older releases)
/// `error: dbt1302: …`, → the message from the code on. Warnings are not errors.
fn fusion_error(line: &str) -> Option<&str> {
    if let Some(rest) = line.strip_prefix("[error] [") {
        let (name_code, _) = rest.split_once(")]:")?;
        name_code
            .contains("(dbt")
            .then_some(line.strip_prefix("[error] ")?)
    } else if let Some(rest) = line.strip_prefix("error: dbt") {
        rest.get(..4)?
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then_some(line.strip_prefix("error: ")?)
    } else if line.starts_with("dbt")
        && line
            .get(3..7)
            .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit()))
        && line.get(7..9) == Some(": ")
    {
        // Beta releases printed the code alone: `dbt0209: No function X`.
        Some(line)
    } else if line.starts_with('[') && line.contains(" (dbt") && line.contains(")]: ") {
        // dbt.log's form: the level is in the line's prefix, the code in brackets.
        Some(line)
    } else {
        None
    }
}

/// Gives a Fusion error to the node it is about (the file its `-->` line points to, or the
/// node its text names), else makes it the error that stopped the invocation.
fn apply_fusion_error(inv: &mut LogInvocation, _first: &str, text: &str) {
    let located = location_of(text);
    let body = text.trim().to_string();
    let target = inv.node_errors.iter_mut().find(|e| {
        located.as_ref().is_some_and(|(_, stem)| &e.name == stem)
            || text.contains(&format!(".{} ", e.name))
            || text.contains(&format!(".{}:", e.name))
    });
    if let Some(e) = target {
        if e.message.is_empty() || e.error_type == "Failure" {
            e.message = body;
            e.error_type = String::new();
            if e.path.is_none() {
                e.path = located.map(|(p, _)| p);
            }
        }
        return;
    }
    // The node the text names: `… for model model.shop.orders: …`, `… for node unit_test.…`,
    // or dbt's own header `Database Error in seed my_seed (…)` after the code.
    if let Some((resource_type, name, unique_id)) = node_named_by_fusion(text) {
        inv.node_errors.push(LogNodeError {
            error_type: String::new(),
            resource_type,
            name,
            unique_id,
            path: located.map(|(p, _)| p),
            message: body,
        });
        return;
    }
    if inv.fatal.is_none() {
        inv.fatal = Some(body);
    }
}

/// The node a Fusion error names: its type, name and (when written) unique_id.
fn node_named_by_fusion(text: &str) -> Option<(String, String, Option<String>)> {
    const TYPES: [&str; 6] = ["model", "snapshot", "seed", "test", "unit_test", "source"];
    for word in [
        " for model ",
        " for snapshot ",
        " for seed ",
        " for test ",
        " for node ",
    ] {
        let Some(at) = text.find(word) else { continue };
        let id = text[at + word.len()..]
            .split(|c: char| c.is_whitespace() || c == ':' || c == ',')
            .next()?;
        let mut parts = id.split('.');
        let kind = parts.next()?;
        if TYPES.contains(&kind) && id.matches('.').count() >= 2 {
            // `unit_test.<package>.<model>.<test>`; the others `<type>.<package>.<name>`.
            let at = if kind == "unit_test" { 3 } else { 2 };
            let name = id.split('.').nth(at).or(id.split('.').nth(2))?.to_string();
            return Some((kind.to_string(), name, Some(id.to_string())));
        }
    }
    // `[DbDriverFailed (dbt1308)]: Database Error in seed my_seed (…)`.
    let after_code = text.split_once("]: ").or_else(|| text.split_once(": "))?.1;
    let err = summary_error(after_code)?;
    Some((err.resource_type, err.name, None))
}

/// The file a Fusion error's `-->` line points to, and that file's stem (the node's name).
fn location_of(text: &str) -> Option<(String, String)> {
    text.lines().find_map(|l| {
        let path = l.trim_start().strip_prefix("--> ")?.trim();
        // `models\01 - staging\model.sql:1:8 (target\…)`: the path ends at `:line` or ` (`.
        let end = path
            .match_indices(':')
            .find(|(i, _)| path[i + 1..].starts_with(|c: char| c.is_ascii_digit()))
            .map(|(i, _)| i)
            .or_else(|| path.find(" ("))
            .unwrap_or(path.len());
        let path = &path[..end];
        if path.is_empty() {
            return None;
        }
        let stem = path.rsplit(['/', '\\']).next()?.split('.').next()?;
        Some((path.to_string(), stem.to_string()))
    })
}

/// dbt Fusion's summary, `Finished 'build' with 1 error for target 'dev' [1.3s]`, → `build`.
fn fusion_finished(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("Finished '")?;
    let (command, _) = rest.split_once('\'')?;
    (!command.is_empty() && !command.contains(' ')).then_some(command)
}

/// `3 of 9 ERROR creating sql table model main.fct_orders ... [ERROR in 0.04s]` → the failed
/// node, without its message (the end-of-run summary has it).
fn error_line(line: &str) -> Option<LogNodeError> {
    let at = line.find(" ERROR creating ")?;
    let head = &line[..at];
    if !head.contains(" of ") || !head.trim_start().starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let rest = &line[at + " ERROR creating ".len()..];
    let words: Vec<&str> = rest.split_whitespace().collect();
    let kinds = ["model", "seed", "snapshot"];
    let k = words.iter().position(|w| kinds.contains(w))?;
    let relation = words.get(k + 1)?.trim_end_matches('.');
    let relation = relation.split("..").next().unwrap_or(relation);
    let name = relation.rsplit('.').next().unwrap_or(relation);
    (!name.is_empty()).then(|| LogNodeError {
        error_type: String::new(),
        resource_type: words[k].to_string(),
        name: name.to_string(),
        unique_id: None,
        path: None,
        message: String::new(),
    })
}

/// `12 of 37 PASS not_null_x ....`, `3 of 37 OK created sql view model main.stg_orders ....`,
/// `5 of 9 FAIL 1 unique_x`, `7 of 14 SKIP relation main.x`, `2 of 9 ERROR creating sql table
/// model main.y` → the node and its status. `START`, `NO-OP` and anything else: `None`.
fn result_line(line: &str) -> Option<LogResult> {
    let mut words = line.split_whitespace();
    let (n, of, m) = (words.next()?, words.next()?, words.next()?);
    let digits = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit());
    if !(digits(n) && of == "of" && digits(m)) {
        return None;
    }
    let status = words.next()?;
    let rest: Vec<&str> = words.collect();
    let name_after = |i: usize| -> Option<String> {
        let w = rest.get(i)?.trim_end_matches('.');
        (!w.is_empty() && !w.starts_with('[')).then(|| w.to_string())
    };
    let relation = |kinds: &[&str]| -> Option<LogSkip> {
        let k = rest.iter().position(|w| kinds.contains(w))?;
        Some(LogSkip {
            kind: "relation".into(),
            name: name_after(k + 1)?,
            unique_id: None,
        })
    };
    let test = |i: usize| -> Option<LogSkip> {
        let name = name_after(i)?;
        let kind = if name.contains("::") {
            "unit_test"
        } else {
            "test"
        };
        Some(LogSkip {
            kind: kind.into(),
            name,
            unique_id: None,
        })
    };
    // `FAIL 3 name`, `WARN 1 name`: a count before the name.
    let counted = usize::from(rest.first().is_some_and(|w| digits(w)));
    let (node, status) = match status {
        "OK" => (relation(&["model", "file", "snapshot", "seed"])?, "success"),
        "PASS" => (test(0)?, "pass"),
        "FAIL" => (test(counted)?, "fail"),
        "WARN" => (test(counted)?, "warn"),
        "ERROR" if rest.first() == Some(&"creating") => {
            (relation(&["model", "file", "snapshot", "seed"])?, "error")
        }
        "ERROR" => (test(0)?, "error"),
        "SKIP" => (skip_line(line)?, "skipped"),
        _ => return None,
    };
    Some(LogResult {
        node,
        status: status.to_string(),
    })
}

/// `Batch 6 of 10 ERROR creating batch 2024-01-20 of main.refunds_daily ...` → the batch and
/// the relation.
fn batch_error_line(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix("Batch ")?;
    let (_, rest) = rest.split_once(" ERROR creating batch ")?;
    let (batch, rest) = rest.split_once(" of ")?;
    let relation = rest.split_whitespace().next()?.trim_end_matches('.');
    Some((
        batch.trim(),
        relation.split("..").next().unwrap_or(relation),
    ))
}

/// `7 of 14 SKIP relation main.int_customer_orders ....... [SKIP]` → the skipped node.
fn skip_line(line: &str) -> Option<LogSkip> {
    let at = line.find(" SKIP ")?;
    let head = &line[..at];
    // `N of M` before SKIP: a progress line, not a message that mentions SKIP.
    if !head.contains(" of ") || !head.trim_start().starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let mut words = line[at + " SKIP ".len()..].split_whitespace();
    let kind = words.next()?.to_string();
    let name = words.next()?.trim_end_matches('.').to_string();
    if name.is_empty() || name.starts_with('.') {
        return None;
    }
    Some(LogSkip {
        kind,
        name,
        unique_id: None,
    })
}

/// A summary block: `Database Error in model stg_orders (models/staging/stg_orders.sql)` or
/// `Failure in test not_null_orders_id (models/schema.yml)`, then the message lines.
pub(crate) fn summary_error(text: &str) -> Option<LogNodeError> {
    let (head, body) = match text.split_once('\n') {
        Some((h, b)) => (h.trim(), b),
        None => (text.trim(), ""),
    };
    let (error_type, rest) = if let Some(rest) = head.strip_prefix("Failure in ") {
        ("Failure".to_string(), rest)
    } else {
        let at = head.find(" in ")?;
        let kind = &head[..at];
        let ok = kind.ends_with("Error") && kind.len() <= 40 && !kind.contains(':');
        if !ok {
            return None;
        }
        (kind.to_string(), &head[at + 4..])
    };
    let (resource_type, rest) = rest.split_once(' ')?;
    const TYPES: [&str; 9] = [
        "model",
        "test",
        "seed",
        "snapshot",
        "unit_test",
        "source",
        "operation",
        "analysis",
        "sql_operation",
    ];
    if !TYPES.contains(&resource_type) {
        return None;
    }
    let (name, path) = match rest.split_once(" (") {
        Some((n, p)) => (n.trim(), Some(p.trim_end_matches(')').to_string())),
        None => (rest.trim(), None),
    };
    let message = dedent(body);
    Some(LogNodeError {
        error_type,
        resource_type: resource_type.to_string(),
        name: name.to_string(),
        unique_id: None,
        path,
        message: if message.is_empty() {
            head.to_string()
        } else {
            message
        },
    })
}

/// Removes the common indentation dbt adds to message lines, and trailing blank lines.
pub(crate) fn dedent(body: &str) -> String {
    let lines: Vec<&str> = body.lines().collect();
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out: Vec<&str> = lines
        .iter()
        .map(|l| {
            if l.len() >= indent {
                &l[indent..]
            } else {
                l.trim_start()
            }
        })
        .collect();
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    while out.first().is_some_and(|l| l.trim().is_empty()) {
        out.remove(0);
    }
    out.join("\n")
}

/// `dbt run --select x` → `run`.
fn command_of(line: &str) -> Option<String> {
    let mut words = line.split_whitespace();
    let first = words.next()?;
    if !first.ends_with("dbt") {
        return None;
    }
    const COMMANDS: [&str; 18] = [
        "run",
        "build",
        "test",
        "seed",
        "snapshot",
        "compile",
        "parse",
        "ls",
        "list",
        "docs",
        "debug",
        "deps",
        "source",
        "run-operation",
        "retry",
        "show",
        "clone",
        "clean",
    ];
    words.find(|w| COMMANDS.contains(w)).map(str::to_string)
}

/// `'which': 'run'` from the Python dict dbt logs its arguments as.
fn py_dict_value(line: &str, key: &str) -> Option<String> {
    let pat = format!("'{key}': ");
    let at = line.find(&pat)? + pat.len();
    let rest = &line[at..];
    let quote = rest.chars().next()?;
    if quote != '\'' && quote != '"' {
        return None;
    }
    let rest = &rest[1..];
    let end = rest.find(quote)?;
    Some(rest[..end].to_string()).filter(|s| !s.is_empty())
}
