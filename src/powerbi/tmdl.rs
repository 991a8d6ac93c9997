//! TMDL (Tabular Model Definition Language) text → tables with their partitions, and named
//! expressions. Reads by indentation only what the source extraction needs: `table`,
//! `partition … = m|calculated|entity|…` with `mode:` and `source =` (inline, indented block or
//! ``` fenced), `refreshPolicy`'s `sourceExpression`, and `expression … =`. Multi-line DAX and
//! other blocks are skipped whole, so their text is never misread. Total: any text gives a value.

use crate::powerbi::{NamedExpression, PartitionKind};

/// What one TMDL file holds.
#[derive(Debug, Default)]
pub(crate) struct Doc {
    pub tables: Vec<DocTable>,
    pub expressions: Vec<NamedExpression>,
}

#[derive(Debug)]
pub(crate) struct DocTable {
    pub name: String,
    pub partitions: Vec<DocPartition>,
}

#[derive(Debug)]
pub(crate) struct DocPartition {
    pub name: Option<String>,
    pub kind: PartitionKind,
    pub mode: Option<String>,
    pub expression: Option<String>,
    pub entity_name: Option<String>,
    pub schema_name: Option<String>,
    pub expression_source: Option<String>,
}

struct Line<'a> {
    /// Leading whitespace in columns (a tab counts 4).
    indent: usize,
    text: &'a str,
    raw: &'a str,
}

fn lines(text: &str) -> Vec<Line<'_>> {
    text.trim_start_matches('\u{feff}')
        .lines()
        .map(|raw| {
            let mut indent = 0;
            for c in raw.chars() {
                match c {
                    '\t' => indent += 4,
                    ' ' => indent += 1,
                    _ => break,
                }
            }
            Line {
                indent,
                text: raw.trim(),
                raw,
            }
        })
        .collect()
}

/// Whether a text is TMDL: its first declaration is a TMDL object, and the rest looks like it.
pub(crate) fn looks_like_tmdl(text: &str) -> bool {
    let ls = lines(text);
    let mut decls = ls
        .iter()
        .filter(|l| !l.text.is_empty() && !l.text.starts_with("///"));
    let Some(first) = decls.next() else {
        return false;
    };
    let first_text = first
        .text
        .strip_prefix("createOrReplace")
        .map(str::trim)
        .unwrap_or(first.text);
    let first_text = if first_text.is_empty() {
        match decls.next() {
            Some(l) => l.text,
            None => return false,
        }
    } else {
        first_text
    };
    let (word, rest) = split_word(first_text);
    let declared = match word {
        "table" | "model" | "relationship" | "cultureInfo" | "role" | "perspective"
        | "dataSource" => !rest.is_empty() && !rest.contains(';'),
        "expression" => rest.contains('='),
        "database" => true,
        "ref" => rest.starts_with("table ") || rest.starts_with("expression "),
        _ => false,
    };
    if !declared {
        return false;
    }
    // The declaration is followed by TMDL properties or objects (or nothing: an empty object).
    let following: Vec<&Line> = ls
        .iter()
        .filter(|l| !l.text.is_empty() && !l.text.starts_with("///"))
        .skip(1)
        .take(20)
        .collect();
    following.is_empty()
        || following.iter().any(|l| {
            let (w, _) = split_word(l.text);
            l.indent > 0
                && (l.text.contains(": ")
                    || [
                        "column",
                        "measure",
                        "partition",
                        "annotation",
                        "lineageTag:",
                        "mode:",
                        "source",
                        "fromColumn:",
                        "toColumn:",
                        "culture:",
                        "compatibilityLevel:",
                        "queryGroup",
                        "hierarchy",
                        "linguisticMetadata",
                        "isHidden",
                        "perspectiveTable",
                        "perspectiveColumn",
                        "perspectiveMeasure",
                    ]
                    .contains(&w))
        })
        || following.iter().all(|l| {
            let (w, _) = split_word(l.text);
            [
                "table",
                "expression",
                "ref",
                "relationship",
                "model",
                "annotation",
            ]
            .contains(&w)
        })
}

fn split_word(s: &str) -> (&str, &str) {
    match s.find(char::is_whitespace) {
        Some(p) => (&s[..p], s[p..].trim()),
        None => (s, ""),
    }
}

/// `'Name with ''quotes'''` → `Name with 'quotes'`; bare names as they are.
pub(crate) fn unquote(name: &str) -> String {
    let n = name.trim();
    if n.len() >= 2 && n.starts_with('\'') && n.ends_with('\'') {
        n[1..n.len() - 1].replace("''", "'")
    } else if n.len() >= 2 && n.starts_with('"') && n.ends_with('"') {
        n[1..n.len() - 1].to_string()
    } else {
        n.to_string()
    }
}

/// Splits `Name = rest` at the first `=` outside single quotes.
fn split_assign(s: &str) -> (&str, Option<&str>) {
    let mut quoted = false;
    for (i, c) in s.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '=' if !quoted => return (s[..i].trim(), Some(s[i + 1..].trim())),
            _ => {}
        }
    }
    (s.trim(), None)
}

/// The body of a multi-line value that starts after line `i`: a ``` fence, or the following
/// lines indented deeper than `deeper_than` (blank lines included, trailing ones dropped).
/// Returns the text, dedented, and the index of the first line after it.
fn block(ls: &[Line], i: usize, deeper_than: usize, fenced: bool) -> (String, usize) {
    let mut j = i + 1;
    let mut body: Vec<&Line> = Vec::new();
    if fenced {
        while j < ls.len() {
            if ls[j].text == "```" {
                j += 1;
                break;
            }
            body.push(&ls[j]);
            j += 1;
        }
    } else {
        while j < ls.len() && (ls[j].text.is_empty() || ls[j].indent > deeper_than) {
            body.push(&ls[j]);
            j += 1;
        }
        while body.last().is_some_and(|l| l.text.is_empty()) {
            body.pop();
            j -= 1;
        }
    }
    let min = body
        .iter()
        .filter(|l| !l.text.is_empty())
        .map(|l| l.indent)
        .min()
        .unwrap_or(0);
    let text = body
        .iter()
        .map(|l| dedent(l.raw, min))
        .collect::<Vec<_>>()
        .join("\n");
    (text, j)
}

/// Removes `cols` columns of leading whitespace.
fn dedent(raw: &str, cols: usize) -> &str {
    let mut seen = 0;
    for (i, c) in raw.char_indices() {
        if seen >= cols {
            return &raw[i..];
        }
        match c {
            '\t' => seen += 4,
            ' ' => seen += 1,
            _ => return &raw[i..],
        }
    }
    ""
}

/// A value after `=`: inline text, or the block below (fenced or indented deeper than `indent`).
fn value_after(ls: &[Line], i: usize, inline: &str, deeper_than: usize) -> (String, usize) {
    let inline = inline.trim();
    if inline == "```" || inline == "````" {
        return block(ls, i, 0, true);
    }
    if inline.is_empty() {
        return block(ls, i, deeper_than, false);
    }
    (inline.to_string(), i + 1)
}

pub(crate) fn parse(text: &str) -> Doc {
    let ls = lines(text);
    let mut doc = Doc::default();
    // The current table and its indentation.
    let mut table: Option<(usize, DocTable)> = None;
    let mut i = 0;
    while i < ls.len() {
        let line = &ls[i];
        if line.text.is_empty() || line.text.starts_with("///") || line.text.starts_with("//") {
            i += 1;
            continue;
        }
        if let Some((ti, _)) = &table {
            if line.indent <= *ti {
                if let Some((_, t)) = table.take() {
                    doc.tables.push(t);
                }
            }
        }
        let text = line
            .text
            .strip_prefix("createOrReplace")
            .map(str::trim)
            .unwrap_or(line.text);
        if text.is_empty() {
            i += 1;
            continue;
        }
        let (word, rest) = split_word(text);
        match word {
            "table" => {
                if let Some((_, t)) = table.take() {
                    doc.tables.push(t);
                }
                let (name, _) = split_assign(rest);
                table = Some((
                    line.indent,
                    DocTable {
                        name: unquote(name),
                        partitions: Vec::new(),
                    },
                ));
                i += 1;
            }
            "partition" if table.is_some() => {
                let (p, next) = partition(&ls, i, rest);
                if let Some((_, t)) = table.as_mut() {
                    t.partitions.push(p);
                }
                i = next;
            }
            "refreshPolicy" if table.is_some() => {
                let end = object_end(&ls, i);
                for j in i + 1..end {
                    let (w, r) = split_word(ls[j].text);
                    let w = w.trim_end_matches('=');
                    if w == "sourceExpression" {
                        let inline = r.trim_start_matches('=');
                        let (expr, _) = value_after(&ls, j, inline, ls[j].indent);
                        if let Some((_, t)) = table.as_mut() {
                            t.partitions.push(DocPartition {
                                name: None,
                                kind: PartitionKind::RefreshPolicy,
                                mode: None,
                                expression: Some(expr),
                                entity_name: None,
                                schema_name: None,
                                expression_source: None,
                            });
                        }
                    }
                }
                i = end;
            }
            "expression" => {
                let (name, value) = split_assign(rest);
                let (expr, next) = value_after(&ls, i, value.unwrap_or(""), line.indent + 4);
                doc.expressions.push(NamedExpression {
                    name: unquote(name),
                    expression: expr,
                });
                // Skip the expression's properties too.
                i = object_end(&ls, i).max(next);
            }
            _ => {
                // Another object or property; a multi-line value below it is skipped whole.
                let (_, value) = split_assign(text);
                match value {
                    Some(v) if v.is_empty() || v == "```" => {
                        let deeper = if is_object(word) {
                            line.indent + 4
                        } else {
                            line.indent
                        };
                        let (_, next) = value_after(&ls, i, v, deeper);
                        i = next.max(i + 1);
                    }
                    _ => i += 1,
                }
            }
        }
    }
    if let Some((_, t)) = table.take() {
        doc.tables.push(t);
    }
    doc
}

fn is_object(word: &str) -> bool {
    [
        "measure",
        "column",
        "calculationItem",
        "expression",
        "function",
        "calculationGroup",
        "formatStringDefinition",
        "detailRowsDefinition",
        "tablePermission",
        "columnPermission",
    ]
    .contains(&word)
}

/// The index after the object declared on line `i`: the first later non-blank line that is not
/// indented deeper.
fn object_end(ls: &[Line], i: usize) -> usize {
    let indent = ls[i].indent;
    let mut j = i + 1;
    while j < ls.len() && (ls[j].text.is_empty() || ls[j].indent > indent) {
        j += 1;
    }
    j
}

fn partition(ls: &[Line], i: usize, rest: &str) -> (DocPartition, usize) {
    let (name, kind) = split_assign(rest);
    let kind_word = kind.unwrap_or("").trim();
    let kind = match kind_word.to_ascii_lowercase().as_str() {
        "m" => PartitionKind::M,
        "calculated" => PartitionKind::Calculated,
        "entity" => PartitionKind::Entity,
        "query" => PartitionKind::Query,
        _ => PartitionKind::Other,
    };
    let mut p = DocPartition {
        name: Some(unquote(name)),
        kind,
        mode: None,
        expression: None,
        entity_name: None,
        schema_name: None,
        expression_source: None,
    };
    let end = object_end(ls, i);
    let mut j = i + 1;
    while j < end {
        let l = &ls[j];
        let (key, value) = match l.text.split_once(':') {
            Some((k, v)) if !k.contains(' ') && !k.contains('=') => (k.trim(), Some(v.trim())),
            _ => (l.text, None),
        };
        match (key, value) {
            ("mode", Some(v)) => p.mode = Some(v.to_string()),
            ("entityName", Some(v)) => p.entity_name = Some(unquote(v)),
            ("schemaName", Some(v)) => p.schema_name = Some(unquote(v)),
            ("expressionSource", Some(v)) => p.expression_source = Some(unquote(v)),
            (_, None) => {
                let (lhs, rhs) = split_assign(l.text);
                if let (true, Some(rhs)) = (lhs == "source" || lhs == "query", rhs) {
                    let (expr, next) = value_after(ls, j, rhs, l.indent);
                    p.expression = Some(expr);
                    j = next;
                    continue;
                }
                if let Some(rhs) = rhs.filter(|r| r.is_empty() || *r == "```") {
                    // Another multi-line property: skip it.
                    let (_, next) = value_after(ls, j, rhs, l.indent);
                    j = next.max(j + 1);
                    continue;
                }
            }
            _ => {}
        }
        j += 1;
    }
    (p, end.max(i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_with_m_partition_and_measure() {
        let doc = parse(
            "table 'Fact Orders'\n\tlineageTag: x\n\n\tmeasure Total =\n\t\t\tvar partition = 1\n\t\t\treturn partition\n\t\tformatString: 0\n\n\tpartition 'Fact Orders' = m\n\t\tmode: import\n\t\tsource =\n\t\t\t\tlet\n\t\t\t\t    Source = 1\n\t\t\t\tin\n\t\t\t\t    Source\n\n\tannotation PBI_ResultType = Table\n",
        );
        assert_eq!(doc.tables.len(), 1);
        let t = &doc.tables[0];
        assert_eq!(t.name, "Fact Orders");
        assert_eq!(t.partitions.len(), 1);
        assert_eq!(t.partitions[0].mode.as_deref(), Some("import"));
        assert_eq!(
            t.partitions[0].expression.as_deref(),
            Some("let\n    Source = 1\nin\n    Source")
        );
    }

    #[test]
    fn expressions_inline_and_block() {
        let doc = parse(
            "expression Database = \"SHOP\" meta [IsParameterQuery=true, Type=\"Text\"]\n\tlineageTag: a\n\nexpression 'Shared Q' =\n\t\tlet\n\t\t    S = 1\n\t\tin\n\t\t    S\n\tlineageTag: b\n",
        );
        let names: Vec<(&str, &str)> = doc
            .expressions
            .iter()
            .map(|e| (e.name.as_str(), e.expression.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                (
                    "Database",
                    "\"SHOP\" meta [IsParameterQuery=true, Type=\"Text\"]"
                ),
                ("Shared Q", "let\n    S = 1\nin\n    S"),
            ]
        );
    }

    #[test]
    fn sniffing() {
        assert!(looks_like_tmdl("model Model\n\tculture: en-US\n"));
        assert!(looks_like_tmdl("table X\n\tlineageTag: 1\n"));
        assert!(!looks_like_tmdl("table of contents\nchapter one\n"));
        assert!(!looks_like_tmdl("{\"a\": 1}"));
        assert!(!looks_like_tmdl(""));
    }
}
