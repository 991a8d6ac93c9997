//! dbt's macro call stack in an error: `> in macro X (path)`, `> called by model Y (path)`, and
//! who wrote the code the error was raised in.
//!
//! A Jinja error inside a materialization or an adapter's macro is not fixed in the model's
//! file: the fix is a version of dbt, the adapter or a package that go together. dbt prints the
//! stack innermost first; the names say a lot on their own (`materialization_table_default`,
//! `oracle__create_schema`, `statement`), and the path, looked up in the project and in
//! `dbt_packages/`, says the rest — so the fix prints that lookup instead of guessing.

use crate::Adapter;

/// One line of the stack: what kind of thing (`macro`, `model`, `operation`, …), its name and
/// the path dbt printed (relative to its own package).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Frame<'a> {
    pub kind: &'a str,
    pub name: &'a str,
    pub path: &'a str,
}

const KINDS: &[&str] = &[
    "macro",
    "model",
    "operation",
    "test",
    "snapshot",
    "seed",
    "analysis",
    "unit_test",
];

/// The frames in the order dbt printed them (the header's `Compilation Error in macro x (…)`
/// first when it names one). Written over `split` rather than a regex: the stack can be one line
/// (`> in macro a (p) > called by …`) or many, and only this shape is wanted.
pub(super) fn frames(message: &str) -> Vec<Frame<'_>> {
    let mut out = Vec::new();
    let mut rest = message;
    while let Some(at) = next_marker(rest) {
        let after = &rest[at..];
        let skip = if after.starts_with("in ") { 3 } else { 10 };
        let tail = &after[skip..];
        rest = tail;
        let Some((kind, tail)) = tail.split_once(' ') else {
            continue;
        };
        if !KINDS.contains(&kind) {
            continue;
        }
        let Some((name, tail)) = tail.split_once(" (") else {
            continue;
        };
        let Some((path, _)) = tail.split_once(')') else {
            continue;
        };
        let plain = |s: &str| !s.is_empty() && !s.contains(char::is_whitespace);
        if plain(name) && plain(path) && !path.contains('\n') {
            out.push(Frame { kind, name, path });
        }
    }
    out
}

/// The next `in ` or `called by ` that starts a word.
fn next_marker(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let starts_word = |i: usize| i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
    let mut best: Option<usize> = None;
    for marker in ["in ", "called by "] {
        let mut from = 0;
        while let Some(i) = s[from..].find(marker) {
            let i = from + i;
            if starts_word(i) {
                best = Some(best.map_or(i, |b| b.min(i)));
                break;
            }
            from = i + 1;
        }
    }
    best
}

/// Whose code a macro is, as far as its name tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Owner {
    /// A materialization (`materialization_table_bigquery`): dbt's (`_default`) or the adapter's,
    /// unless a package overrides it under the same name.
    Materialization { kind: String, adapter: String },
    /// A dispatched implementation (`oracle__create_schema`, `default__any_value`).
    Dispatched { adapter: String },
    /// One of dbt-core's own macros (`statement`, `run_query`, `create_schema`, …).
    Dbt,
    /// Nothing in the name says: the project's or a package's.
    Unknown,
}

/// dbt-core's global-project macros that errors are often raised in.
const DBT_MACROS: &[&str] = &[
    "statement",
    "run_query",
    "run_hooks",
    "create_schema",
    "drop_schema",
    "drop_relation",
    "create_table_as",
    "create_view_as",
    "get_create_table_as_sql",
    "get_create_view_as_sql",
    "get_columns_in_relation",
    "get_columns_in_query",
    "make_temp_relation",
    "load_relation",
    "persist_docs",
    "process_schema_changes",
    "check_for_schema_changes",
    "sync_column_schemas",
    "get_merge_sql",
    "get_delete_insert_merge_sql",
    "get_incremental_append_sql",
    "get_insert_overwrite_merge_sql",
    "snapshot_check_strategy",
    "snapshot_timestamp_strategy",
    "build_snapshot_table",
    "snapshot_staging_table",
    "generate_schema_name",
    "generate_database_name",
    "generate_alias_name",
    "get_test_sql",
    "get_unit_test_sql",
    "collect_freshness",
    "load_csv_rows",
    "create_csv_table",
];

pub(super) fn owner(macro_name: &str) -> Owner {
    if let Some(rest) = macro_name.strip_prefix("materialization_") {
        if let Some((kind, adapter)) = rest.rsplit_once('_') {
            let known =
                adapter == "default" || Adapter::parse(adapter).is_some_and(|a| a.is_named());
            if known {
                return Owner::Materialization {
                    kind: kind.to_string(),
                    adapter: adapter.to_string(),
                };
            }
        }
    }
    if let Some((prefix, _)) = macro_name.split_once("__") {
        let known = prefix == "default" || Adapter::parse(prefix).is_some_and(|a| a.is_named());
        if known {
            return Owner::Dispatched {
                adapter: prefix.to_string(),
            };
        }
    }
    if DBT_MACROS.contains(&macro_name) {
        return Owner::Dbt;
    }
    Owner::Unknown
}

/// The innermost macro whose name says it is dbt's or an adapter's, when the error was raised in
/// one (the first macro frame is such a one, or every macro above it is too).
pub(super) fn builtin_frame<'a>(frames: &[Frame<'a>]) -> Option<(Frame<'a>, Owner)> {
    let first = frames.iter().find(|f| f.kind == "macro")?;
    let owner = owner(first.name);
    (owner != Owner::Unknown).then_some((*first, owner))
}

/// The first macro frame, whoever wrote it.
pub(super) fn innermost_macro<'a>(frames: &[Frame<'a>]) -> Option<Frame<'a>> {
    frames.iter().find(|f| f.kind == "macro").copied()
}

/// The hook the stack starts from, when it does (`operation shop-on-run-start-0 (./dbt_project.yml)`):
/// `on-run-start` or `on-run-end`.
pub(super) fn hook<'a>(frames: &[Frame<'a>]) -> Option<&'static str> {
    frames.iter().rev().find_map(|f| {
        if f.kind != "operation" {
            return None;
        }
        if f.name.contains("-on-run-start-") {
            Some("on-run-start")
        } else if f.name.contains("-on-run-end-") {
            Some("on-run-end")
        } else {
            None
        }
    })
}

/// A shell line that says where a macro file is: in the project, in an installed package, or
/// (nothing printed) inside the installed dbt or adapter.
pub(super) fn where_is(path: &str) -> String {
    let path = path.trim_start_matches("./");
    format!("ls {path} dbt_packages/*/{path} 2>/dev/null")
}

/// Words for an owner, for people: `dbt-core's table materialization`, `dbt-oracle's macro`.
pub(super) fn owner_words(owner: &Owner, name: &str) -> String {
    let package_of = |adapter: &str| match adapter {
        "default" => "dbt-core".to_string(),
        a => Adapter::parse(a).map_or_else(|| format!("dbt-{a}"), |a| a.pip_package()),
    };
    match owner {
        Owner::Materialization { kind, adapter } => {
            format!(
                "`{name}`, the {kind} materialization of {}",
                package_of(adapter)
            )
        }
        Owner::Dispatched { adapter } => format!("`{name}`, a macro of {}", package_of(adapter)),
        Owner::Dbt => format!("`{name}`, a macro of dbt-core"),
        Owner::Unknown => format!("`{name}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_of_a_many_line_stack() {
        let m = "Compilation Error in model rpt (models/rpt.sql)\n  'None' has no attribute 'get'\n\n  > in macro materialization_table_bigquery (macros/edr/materializations/model/table.sql)\n  > called by model rpt (models/rpt.sql)";
        let f = frames(m);
        assert_eq!(f.len(), 3, "{f:?}");
        assert_eq!(f[0].kind, "model");
        assert_eq!(f[1].name, "materialization_table_bigquery");
        assert_eq!(f[1].path, "macros/edr/materializations/model/table.sql");
        let (frame, owner) = builtin_frame(&f).unwrap();
        assert_eq!(frame.name, "materialization_table_bigquery");
        assert_eq!(
            owner,
            Owner::Materialization {
                kind: "table".into(),
                adapter: "bigquery".into()
            }
        );
    }

    #[test]
    fn frames_of_a_one_line_stack_with_a_hook() {
        let m = "Compilation Error in operation p-on-run-end-0 (./dbt_project.yml) 'x' is undefined > in macro apply_tags (macros/apply_tags.sql) > called by operation p-on-run-end-0 (./dbt_project.yml)";
        let f = frames(m);
        assert_eq!(f.len(), 3, "{f:?}");
        assert_eq!(hook(&f), Some("on-run-end"));
        assert_eq!(innermost_macro(&f).unwrap().name, "apply_tags");
        assert!(builtin_frame(&f).is_none());
    }

    #[test]
    fn owners_by_name() {
        assert_eq!(
            owner("oracle__create_schema"),
            Owner::Dispatched {
                adapter: "oracle".into()
            }
        );
        assert_eq!(owner("statement"), Owner::Dbt);
        assert_eq!(owner("validate_yyyymmdd"), Owner::Unknown);
        // A project's own double-underscore name is not an adapter's.
        assert_eq!(owner("my__helper"), Owner::Unknown);
        assert_eq!(
            owner_words(
                &owner("materialization_table_default"),
                "materialization_table_default"
            ),
            "`materialization_table_default`, the table materialization of dbt-core"
        );
        assert_eq!(
            where_is("./macros/x.sql"),
            "ls macros/x.sql dbt_packages/*/macros/x.sql 2>/dev/null"
        );
    }

    #[test]
    fn words_in_prose_are_no_frames() {
        assert!(frames("column in table orders (see docs) is missing").is_empty());
    }
}
