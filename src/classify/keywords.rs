//! The last layer before `other`: when no rule's phrase matched and no code decided, the words
//! of the message vote. Each category has a short list of stems that people and warehouses use
//! for it ("timeout", "credential", "not supported"); the category whose stems weigh most wins,
//! and `decided_by` names the words. `other` is not among them: it is what no word points to. Deliberately coarse and hand-written (not learned from our
//! message set, so that it generalises to wordings we never saw); a message with none of the
//! words stays `other`.

use super::Category;
use Category::*;

/// The stems of each category and their weights. A stem matches at the start of a word
/// (so `connect` matches "connection", not "disconnected"), case-insensitively.
const STEMS: &[(Category, &[(&str, u8)])] = &[
    (
        Connection,
        &[
            ("connect", 2),
            ("authenticat", 3),
            ("login", 3),
            ("credential", 3),
            ("password", 3),
            ("token", 2),
            ("oauth", 3),
            ("ssl", 2),
            ("tls", 2),
            ("certificate", 2),
            ("handshake", 3),
            ("hostname", 2),
            ("host", 1),
            ("port", 1),
            ("driver", 2),
            ("odbc", 1),
            ("jdbc", 1),
            ("endpoint", 1),
            ("network", 2),
            ("unreachable", 3),
            ("refused", 2),
            ("profile", 2),
            ("profiles.yml", 3),
            ("keypair", 3),
            ("private key", 3),
            ("service principal", 3),
            ("dsn", 2),
            ("session", 1),
            ("account", 1),
            ("tenant", 2),
            ("sso", 2),
            ("mfa", 3),
        ],
    ),
    (
        Permission,
        &[
            ("permission", 3),
            ("denied", 3),
            ("forbidden", 3),
            ("not authorized", 3),
            ("unauthorized", 2),
            ("privilege", 3),
            ("insufficient", 2),
            ("grant", 2),
            ("not allowed to", 2),
            ("access", 1),
        ],
    ),
    (
        Resource,
        &[
            ("timeout", 3),
            ("timed out", 3),
            ("time limit", 3),
            ("memory", 3),
            ("oom", 3),
            ("quota", 3),
            ("exceeded", 2),
            ("throttl", 3),
            ("rate limit", 3),
            ("too many", 1),
            ("concurrent", 2),
            ("deadlock", 3),
            ("lock", 2),
            ("busy", 2),
            ("capacity", 2),
            ("resources", 2),
            ("slots", 2),
            ("cancel", 2),
            ("killed", 2),
            ("disk", 2),
            ("space", 1),
            ("retry", 1),
        ],
    ),
    (
        Dependency,
        &[
            ("package", 3),
            ("deps", 3),
            ("version", 2),
            ("install", 2),
            ("extension", 2),
            ("upgrade", 2),
            ("downgrade", 3),
            ("module", 1),
            ("import", 1),
            ("plugin", 2),
            ("cycle", 2),
            ("ref(", 2),
        ],
    ),
    (
        SqlDialect,
        &[
            ("not supported", 3),
            ("unsupported", 3),
            ("does not support", 3),
            ("doesn't support", 3),
            ("not implemented", 3),
            ("only supported", 2),
            ("not available in", 2),
            ("dialect", 3),
            ("feature", 1),
        ],
    ),
    (
        MissingRelation,
        &[
            ("no such table", 3),
            ("unknown table", 3),
            ("table not found", 3),
            ("non-existent", 2),
            ("not found", 2),
            ("does not exist", 2),
            ("doesn't exist", 2),
            ("table", 1),
            ("view", 1),
            ("schema", 1),
            ("database", 1),
            ("relation", 1),
            ("dataset", 1),
            ("catalog", 1),
            ("bucket", 1),
            ("file", 1),
        ],
    ),
    (
        MissingColumn,
        &[
            ("column", 1),
            ("identifier", 1),
            ("field", 1),
            ("cannot be resolved", 2),
            ("cannot resolve", 2),
            ("not found", 2),
            ("does not exist", 2),
            ("unknown", 1),
            ("unrecognized", 2),
            ("no such column", 3),
        ],
    ),
    (
        Data,
        &[
            ("cast", 2),
            ("convert", 2),
            ("conversion", 2),
            ("invalid value", 3),
            ("out of range", 3),
            ("overflow", 3),
            ("divide", 2),
            ("division", 2),
            ("duplicate", 2),
            ("null value", 3),
            ("not null", 2),
            ("constraint", 2),
            ("truncat", 2),
            ("malformed", 3),
            ("invalid date", 3),
            ("invalid timestamp", 3),
            ("invalid number", 3),
            ("bad data", 3),
            ("csv", 1),
            ("row", 1),
        ],
    ),
    (
        Compilation,
        &[
            ("jinja", 3),
            ("yaml", 3),
            ("yml", 2),
            ("macro", 2),
            ("template", 2),
            ("render", 2),
            ("undefined", 2),
            ("config", 2),
            ("compil", 2),
            ("parsing", 2),
        ],
    ),
    (
        SqlError,
        &[
            ("syntax", 3),
            ("ambiguous", 3),
            ("group by", 2),
            ("aggregate", 2),
            ("mismatched input", 3),
            ("expecting", 2),
            ("unexpected", 1),
            ("type mismatch", 2),
            ("incompatible type", 2),
            ("argument", 1),
            ("sql", 1),
            ("query", 1),
        ],
    ),
    (
        SchemaDrift,
        &[
            ("on_schema_change", 3),
            ("schema change", 3),
            ("incremental", 2),
        ],
    ),
    (Contract, &[("contract", 3)]),
];

/// The category the message's words point to, and the words, when they weigh at least 2 and
/// one of them means something alone (weight 2 or more: "table" and "view" together are no
/// missing table).
pub(crate) fn vote(message: &str) -> Option<(Category, String)> {
    let lower = words_of(message);
    let mut best: Option<(Category, u32, Vec<&str>)> = None;
    for (category, stems) in STEMS {
        let mut score = 0u32;
        let mut strong = false;
        let mut words = Vec::new();
        for (stem, weight) in *stems {
            if starts_a_word(&lower, stem) {
                score += u32::from(*weight);
                strong |= *weight >= 2;
                words.push(*stem);
            }
        }
        if strong && score >= 2 && best.as_ref().is_none_or(|b| score > b.1) {
            best = Some((*category, score, words));
        }
    }
    best.map(|(c, _, words)| (c, format!("words: {}", words.join(", "))))
}

/// The message's words, lower-cased, without what only names places or wraps the message:
/// Python traceback lines (`File "…/site-packages/…", line 3`), paths (a token with a slash),
/// dbt's own wrapper lines (`Database Error in model x (models/x.sql)`, `compiled code at …`),
/// a driver's bracketed tags (`[Microsoft][ODBC Driver 17 for SQL Server]`) and a server's
/// version (`(version 24.8.9.95 (official build))`). None of those says what went wrong.
fn words_of(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for line in message.lines() {
        let t = line.trim_start();
        if t.starts_with("File \"") || t.starts_with("Traceback") || is_dbt_wrapper(t) {
            continue;
        }
        // dbt Fusion wraps the warehouse's error in its own (`Failed to render SQL invalid
        // operation: AdapterError: …`): only what the warehouse said counts.
        let line = line.rfind("AdapterError:").map_or(line, |i| &line[i..]);
        let line = without_tags(line);
        for token in line.split_whitespace() {
            if !token.contains(['/', '\\']) {
                out.push_str(&token.to_ascii_lowercase());
                out.push(' ');
            }
        }
        out.push('\n');
    }
    out
}

/// A line dbt writes around every failure, whatever it is.
fn is_dbt_wrapper(line: &str) -> bool {
    const HEADS: [&str; 8] = [
        "Database Error",
        "Runtime Error",
        "Compilation Error",
        "Failure in ",
        "compiled code at",
        "compiled sql at",
        "Unhandled error while executing",
        "Encountered an error",
    ];
    HEADS.iter().any(|h| {
        line.get(..h.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(h))
    }) && !line.contains(':')
}

/// The line without bracketed tags (`[Microsoft]`, `[42000]`) and a `(version …)` note.
fn without_tags(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find(['[', '(']) {
        let close = if rest[open..].starts_with('[') {
            ']'
        } else {
            ')'
        };
        let inner_end = rest[open..].find(close).map(|i| open + i);
        let tag = inner_end.map(|end| &rest[open + 1..end]);
        let drop = tag.is_some_and(|t| {
            close == ']' && t.len() <= 60 || close == ')' && t.starts_with("version ")
        });
        out.push_str(&rest[..open]);
        match (drop, inner_end) {
            (true, Some(end)) => {
                // `(version 24.8 (official build))`: the inner parenthesis closes first.
                rest = rest[end + 1..].trim_start_matches(')');
                out.push(' ');
            }
            _ => {
                out.push_str(&rest[open..open + 1]);
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether `stem` occurs in `text` at the start of a word. An identifier is no word:
/// `not_null_orders_column` has no "column" in it.
fn starts_a_word(text: &str, stem: &str) -> bool {
    text.match_indices(stem).any(|(i, _)| {
        text[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_ascii_alphanumeric() && c != '_')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_vote() {
        assert_eq!(
            vote("The request timed out after 300 seconds").map(|v| v.0),
            Some(Resource)
        );
        assert_eq!(
            vote("Failed to refresh the OAuth token for the service principal").map(|v| v.0),
            Some(Connection)
        );
        assert_eq!(vote("no words here at all"), None);
        // A stem inside a word is not the word, nor inside an identifier.
        assert_eq!(vote("disconnected"), None);
        assert_eq!(
            vote("while executing test.shop.not_null_orders_column.19482e284e"),
            None
        );
        // A driver's tags and dbt's wrapper say nothing of the failure.
        assert_eq!(
            vote("Database Error in model x (models/x.sql)\n  ('42000', \"[42000] [Microsoft][ODBC Driver 18 for SQL Server][SQL Server]The ORDER BY clause is invalid\")"),
            None
        );
        assert_eq!(
            vote("Code: 15. DB::Exception: Column c specified more than once. (version 24.8.9.95 (official build))"),
            None
        );
        // Nouns alone are no missing table.
        assert_eq!(
            vote("CREATE TABLE columns must be named in this view"),
            None
        );
        assert_eq!(
            vote("Table default.x does not exist").map(|v| v.0),
            Some(MissingRelation)
        );
        assert_eq!(
            vote("column foo does not exist").map(|v| v.0),
            Some(MissingColumn)
        );
    }
}
