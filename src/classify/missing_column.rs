//! `missing_column`: a column the SQL reads does not exist — renamed or removed upstream.
//!
//! # What it looks like
//! `Runtime Error in model stg_customers (models/staging/stg_customers.sql)`
//! `  Binder Error: Referenced column "first_name" not found in FROM clause!`
//! `000904 (42000): SQL compilation error: error line 3 at position 4 invalid identifier 'FIRST_NAME'`
//!
//! # Why dbt fails
//! An upstream model, seed or loaded source renamed or dropped the column (often in the same
//! deploy), or the SQL has a typo. The warehouse names the column and usually where it was read.
//!
//! # What to do
//! Find the column's new name upstream (the model the relation comes from, or the source's
//! loader), update the SQL, and rebuild from the failed model: `dbt run --select <model>+`.

use super::Rule;

pub(super) const RULES: &[Rule] = &[
    Rule::any(r#"column (?P<relation>[\w$]+)\.(?P<column>[\w$]+) does not exist"#),
    Rule::any(r#"column "(?P<column>[^"]+)" of relation "(?P<relation>[^"]+)" does not exist"#),
    Rule::any(r#"column "(?P<column>[^"]+)" does not exist"#),
    Rule::any(r"invalid identifier '(?P<column>[^']+)'"),
    // Snowflake's 002004 says it without quotes: `Invalid identifier SALES_TERRITORY_KEY`.
    Rule::any(r"invalid identifier (?P<column>[A-Za-z_][\w$]*)\b"),
    Rule::any(r"Unrecognized name: (?P<column>[\w$]+)"),
    Rule::any(r"Name (?P<column>[\w$]+) not found inside (?P<relation>[\w$]+)"),
    Rule::any(r"\[UNRESOLVED_COLUMN(?:\.\w+)?\][^`\n]*`(?P<column>[^`]+)`"),
    Rule::any(r"cannot resolve '`?(?P<column>[^'`]+)`?' given input columns"),
    Rule::any(r#"Referenced column "(?P<column>[^"]+)" not found"#),
    Rule::any(r#"Table "(?P<relation>[^"]+)" does not have a column named "(?P<column>[^"]+)""#),
    Rule::any(
        r#"Values list "(?P<relation>[^"]+)" does not have a column named "(?P<column>[^"]+)""#,
    ),
    Rule::any(r#"does not have a column named "(?P<column>[^"]+)""#),
    Rule::any(r"Invalid column name '(?P<column>[^']+)'"),
    Rule::any(r"Column '(?P<column>[^']+)' cannot be resolved"),
    Rule::any(r"Column (?P<column>[\w$.`]+) (?:not found|does not exist|cannot be resolved)"),
    Rule::any(r"Unrecognized column[^\n]*"),
    // dbt Fusion's static analysis (dbt0227).
    Rule::any(r"No column (?P<column>[\w$.\x22]+) found"),
];

/// A string written in double quotes: where double quotes make an identifier (Snowflake,
/// Postgres, Redshift, DuckDB, Trino, Oracle), `where city = "perth"` asks for a column `perth`.
/// The message gives it away when it quotes the name with its double quotes and the name is in
/// lower case (Snowflake: `invalid identifier '"perth"'` — its own columns are upper case unless
/// created quoted), or the compiled SQL compares with it. Returns the quote that decided.
pub(super) fn quoted_literal(
    column: &str,
    message: &str,
    compiled: Option<&str>,
) -> Option<String> {
    let quoted = format!("\"{column}\"");
    if let Some(sql) = compiled {
        let compared = sql.lines().find(|l| {
            let l = l.trim();
            l.contains(&quoted)
                && [
                    format!("= {quoted}"),
                    format!("={quoted}"),
                    format!("<> {quoted}"),
                    format!("like {quoted}"),
                    format!("({quoted}"),
                    format!(", {quoted}"),
                ]
                .iter()
                .any(|shape| l.to_ascii_lowercase().contains(&shape.to_ascii_lowercase()))
        });
        if let Some(line) = compared {
            return Some(format!("{quoted} in `{}`", line.trim()));
        }
    }
    let in_message = format!("invalid identifier '{quoted}'");
    let lower_case = column.chars().any(|c| c.is_ascii_lowercase())
        && !column.chars().any(|c| c.is_ascii_uppercase());
    (message.contains(&in_message) && lower_case).then_some(in_message)
}

use super::fix::{FixContext, FixStep};

/// The columns the warehouse offers instead: DuckDB's `Candidate bindings: "a", "b"`, Postgres'
/// `Perhaps you meant to reference the column "t.a"`, BigQuery's `Did you mean a?`, Databricks'
/// `Did you mean one of the following? [`a`, `b`]`.
pub(super) fn suggestions(message: &str) -> Vec<String> {
    const MARKERS: [&str; 5] = [
        "Candidate bindings:",
        // dbt Fusion's static analysis: `No column X found. Available are T.A, T.B ..(and 29 more)`.
        "Available are",
        "Perhaps you meant to reference the column",
        "Did you mean one of the following?",
        "Did you mean",
    ];
    for m in MARKERS {
        let Some(at) = message.find(m) else { continue };
        let rest = &message[at + m.len()..];
        let line = rest.lines().next().unwrap_or_default().trim_start();
        // A bracketed list ends at its bracket; a sentence at `;` or BigQuery's ` at [l:c]`.
        // Fusion ends a long list with `..(and 29 more)`.
        let line = line.split("..(").next().unwrap_or(line);
        let line = match line.strip_prefix('[') {
            Some(list) => list.split(']').next().unwrap_or(list),
            None => line
                .split(" at [")
                .next()
                .unwrap_or(line)
                .split("; ")
                .next()
                .unwrap_or(line),
        };
        let names: Vec<String> = line
            .split(|c: char| c == ',' || c == ';' || c == '[' || c == ']' || c.is_whitespace())
            .map(|w| w.trim_matches(|c| matches!(c, '"' | '`' | '\'' | '?' | '.' | ')' | '(')))
            .filter(|w| {
                !w.is_empty()
                    && w.chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '`' | '$'))
            })
            .map(|w| w.replace('`', ""))
            .filter(|w| {
                !matches!(
                    w.to_ascii_lowercase().as_str(),
                    "or" | "and" | "the" | "column"
                )
            })
            .take(64)
            .collect();
        if !names.is_empty() {
            return names;
        }
    }
    Vec::new()
}

/// The column exists under the same name in another case: the warehouse folded an unquoted
/// name (Postgres to lower case, Snowflake to upper) and the column was created quoted — or the
/// SQL quotes a name the table holds folded. Read from the warehouse's suggestion, or from the
/// compiled SQL writing the name in another case.
fn case_folded(cx: &FixContext<'_>, column: &str, offered: &[String]) -> Option<FixStep> {
    let bare = |s: &str| s.rsplit('.').next().unwrap_or(s).to_string();
    let same_but_case = |other: &str| other != column && other.eq_ignore_ascii_case(column);
    let other = offered
        .iter()
        .map(|o| bare(o))
        .find(|o| same_but_case(o))
        .or_else(|| {
            cx.compiled_code?
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .find(|w| same_but_case(w))
                .map(str::to_string)
        })?;
    let quoted = format!("\"{other}\"");
    let folds = match cx.adapter().family() {
        crate::adapter::Family::Snowflake => "upper",
        _ => "lower",
    };
    Some(FixStep::say(format!(
        "{column} and {other} differ only in case: the warehouse folds unquoted names to {folds} \
         case, so a column created quoted keeps its case and must be written quoted — {quoted} in \
         {} — or rename it to the folded case where it is created (then no quoting is needed \
         anywhere)",
        cx.original_file.unwrap_or(cx.node())
    )))
}

/// Whether `new` could be `old` renamed: the warehouse's "closest name" is only a spelling
/// distance (`user_id` for `order_id`), so a rename is offered only when the two share a word
/// that says what they hold (`first_name` → `given_name`, `channel` → `utm_channel`), not only a
/// key's suffix.
fn could_be_renamed(old: &str, new: &str) -> bool {
    const SUFFIXES: [&str; 6] = ["id", "key", "pk", "fk", "sk", "code"];
    let words = |s: &str| -> Vec<String> {
        s.to_ascii_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty() && !SUFFIXES.contains(w))
            .map(str::to_string)
            .collect()
    };
    let (a, b) = (words(old), words(new));
    a.iter().any(|w| b.contains(w)) || old.eq_ignore_ascii_case(new) || a.is_empty() || b.is_empty()
}

pub(super) fn fix(cx: &FixContext<'_>) -> Vec<FixStep> {
    let ev = cx.ev();
    let column = ev.column.clone().unwrap_or_else(|| "the column".into());
    let mut steps = Vec::new();
    let mut offered = suggestions(cx.message);
    // A long list (Fusion names every column it knows): the three closest to the missing name.
    if offered.len() > 3 {
        let wanted = column.to_ascii_lowercase();
        offered.sort_by_key(|o| {
            let bare = o.rsplit('.').next().unwrap_or(o).to_ascii_lowercase();
            strsim::levenshtein(&bare, &wanted)
        });
        offered.truncate(3);
    }
    // A name the SQL already selects is no new name for the missing one.
    let unused: Vec<&String> = offered
        .iter()
        .filter(|o| {
            let bare = o.rsplit('.').next().unwrap_or(o);
            !cx.compiled_code.is_some_and(|sql| selects(sql, bare))
        })
        .collect();
    if let Some(step) = case_folded(cx, &column, &offered) {
        steps.push(step);
    }
    match (offered.is_empty(), unused.as_slice()) {
        _ if !steps.is_empty() => {}
        (true, _) => {}
        (false, [only]) if !could_be_renamed(&column, only.rsplit('.').next().unwrap_or(only)) => {
            steps.push(FixStep::say(format!(
                "The warehouse's closest name is {only}, another thing than {column} (they share \
                 no word but a suffix such as `_id`): {column} is not in what {} reads",
                cx.node()
            )));
        }
        (false, [only]) => {
            let bare = only.rsplit('.').next().unwrap_or(only);
            steps.push(FixStep::say(format!(
                "The warehouse's closest name is {only}, and the SQL does not select it yet: if \
                 {column} was renamed to it, write `{bare} as {column}` in {}",
                cx.original_file.unwrap_or(cx.node())
            )));
        }
        (false, []) => steps.push(FixStep::say(format!(
            "The warehouse's closest names ({}) are columns the SQL already selects: {column}'s \
             new name is not among them",
            offered.join(", ")
        ))),
        (false, several) => steps.push(FixStep::say(format!(
            "The warehouse offers these instead of {column}: {} — if {column} was renamed, the new \
             name is likely among them",
            several.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
        ))),
    }
    if cx.parents.is_empty() {
        steps.push(FixStep::say(format!(
            "Find where {column} went: check the columns of the relations {} reads, then update the SQL",
            cx.node()
        )));
    } else {
        let list = cx.parents.join(", ");
        let first = &cx.parents[0];
        if cx.seeds.contains(first) {
            steps.push(FixStep::say(format!(
                "{} reads {first}, a seed of this project (its CSV under seeds/): if the CSV's header \
                 changed, update the SQL of {} — or restore the header and reload the seed",
                cx.node(),
                cx.node()
            )));
            steps.push(FixStep::run(
                format!("Reload {first} after changing its CSV's columns"),
                format!(
                    "dbt seed --select {first} --full-refresh{}",
                    cx.target_flag()
                ),
            ));
        } else {
            steps.push(FixStep::say(format!(
                "{} reads {list}: check whether {column} was renamed or removed there (a recent \
                 change upstream, or the loader), then update the SQL of {}",
                cx.node(),
                cx.node()
            )));
        }
        // `dbt show --select <seed>` would reload the seed from its CSV: read the table instead.
        let show = match first.strip_prefix("source:") {
            Some(src) => {
                let (s, t) = src.split_once('.').unwrap_or((src, ""));
                format!("dbt show --inline \"select * from {{{{ source('{s}', '{t}') }}}}\" --limit 5{}", cx.target_flag())
            }
            None if cx.seeds.contains(first) => format!(
                "dbt show --inline \"select * from {{{{ ref('{first}') }}}}\" --limit 5{}",
                cx.target_flag()
            ),
            None => format!("dbt show --select {first} --limit 5{}", cx.target_flag()),
        };
        if cx.dbt_at_least(1, 5) {
            steps.push(FixStep::run(
                format!("See the columns {first} has now"),
                show,
            ));
        } else if let Some(query) = columns_query(cx, first) {
            // No `dbt show` before dbt 1.5: ask the warehouse's catalog.
            steps.push(FixStep::run(
                format!("See the columns {first} has now"),
                query,
            ));
        }
    }
    steps
}

/// The warehouse's catalog query for the columns of a parent's relation.
fn columns_query(cx: &FixContext<'_>, parent: &str) -> Option<String> {
    let (_, relation) = cx.parent_relations.iter().find(|(n, _)| n == parent)?;
    let p = super::fix::parts(relation);
    let (schema, table) = match p.as_slice() {
        [.., s, t] => (s.clone(), t.clone()),
        _ => return None,
    };
    use crate::adapter::Family;
    let (schema, table) = match cx.adapter().family() {
        Family::Snowflake | Family::Oracle => {
            (schema.to_ascii_uppercase(), table.to_ascii_uppercase())
        }
        _ => (schema, table),
    };
    Some(match cx.adapter().family() {
        Family::Oracle => format!(
            "select column_name from all_tab_columns where owner = '{schema}' and table_name = '{table}';"
        ),
        Family::BigQuery => format!(
            "select column_name from `{}`.INFORMATION_SCHEMA.COLUMNS where table_name = '{table}';",
            p[..p.len() - 1].join(".")
        ),
        _ => format!(
            "select column_name from information_schema.columns where table_schema = '{schema}' and table_name = '{table}';"
        ),
    })
}

/// Whether the SQL names `column` as a word (selected, or used) — case-insensitively.
fn selects(sql: &str, column: &str) -> bool {
    let sql = sql.to_ascii_lowercase();
    let column = column.to_ascii_lowercase();
    sql.match_indices(&column).any(|(i, m)| {
        let before = sql[..i].chars().next_back();
        let after = sql[i + m.len()..].chars().next();
        let edge = |c: Option<char>| c.is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'));
        edge(before) && edge(after)
    })
}

#[cfg(test)]
mod tests {
    use super::suggestions;

    #[track_caller]
    fn check(message: &str, expected: &[&str]) {
        assert_eq!(suggestions(message), expected);
    }

    #[test]
    fn a_name_in_another_case_is_quoting_not_a_rename() {
        use super::super::{Evidence, FixContext};
        let ev = Evidence {
            column: Some("userid".into()),
            ..Default::default()
        };
        let message = "ERROR: column \"userid\" does not exist\nHINT: Perhaps you meant to reference the column \"events.userId\".";
        let steps = super::fix(&FixContext {
            evidence: Some(&ev),
            message,
            ..FixContext::default()
        });
        assert!(
            steps[0].say.contains("differ only in case"),
            "{}",
            steps[0].say
        );
        assert!(steps[0].say.contains("\"userId\""), "{}", steps[0].say);
        assert!(!steps.iter().any(|s| s.say.contains("renamed to it")));
    }

    #[test]
    fn suggestions_as_each_warehouse_writes_them() {
        // Real messages: tests/fixtures/renamed_column (DuckDB), tests/messages dbx-001, pg-004.
        check(
            "Binder Error: Referenced column \"first_name\" not found in FROM clause!\nCandidate bindings: \"last_name\", \"given_name\", \"id\"",
            &["last_name", "given_name", "id"],
        );
        check(
            "[UNRESOLVED_COLUMN] A column or function parameter with name `id` cannot be resolved. Did you mean one of the following? [`source`.`customer_id`, `source`.`lifetime_spend`]; line 29 pos 8",
            &["source.customer_id", "source.lifetime_spend"],
        );
        check(
            "ERROR: column \"jobs_high_stress\" does not exist at character 68\nHINT: Perhaps you meant to reference the column \"neighborhood_census_blocks.pop_high_stress\".",
            &["neighborhood_census_blocks.pop_high_stress"],
        );
        check(
            "Unrecognized name: amount; Did you mean amount_usd? at [3:5]",
            &["amount_usd"],
        );
        check("invalid identifier 'FIRST_NAME'", &[]);
    }
}
