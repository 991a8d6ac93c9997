//! The tables a SQL query reads: every qualified name after `FROM` or `JOIN` (and in `FROM a, b`
//! lists), quoted (`"x"`, `[x]`, `` `x` ``) or not, skipping subqueries, CTE names, table
//! functions and the `FROM` of `EXTRACT(… FROM …)`. A scanner, not a SQL parser: it reads any
//! dialect well enough to name tables, and any text gives a list, never a panic.

/// One table name as the query writes it, parts unquoted (`db`, `schema`, `table`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlTable {
    pub parts: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum T {
    Word(String),
    /// A quoted identifier; BigQuery's `` `project.dataset.table` `` is split into parts.
    Quoted(Vec<String>),
    Str,
    Dot,
    Comma,
    Open,
    Close,
    Other,
}

const NOT_ALIAS: [&str; 40] = [
    "where",
    "join",
    "inner",
    "left",
    "right",
    "full",
    "cross",
    "outer",
    "on",
    "using",
    "group",
    "order",
    "having",
    "limit",
    "union",
    "except",
    "intersect",
    "minus",
    "qualify",
    "window",
    "natural",
    "sample",
    "tablesample",
    "pivot",
    "unpivot",
    "at",
    "before",
    "changes",
    "match_recognize",
    "offset",
    "fetch",
    "for",
    "with",
    "select",
    "lateral",
    "as",
    "start",
    "connect",
    "into",
    "straight_join",
];

/// The tables `sql` reads, in order of appearance, without repeats.
pub fn tables(sql: &str) -> Vec<SqlTable> {
    let toks = lex(sql);
    let ctes = cte_names(&toks);
    let mut out: Vec<SqlTable> = Vec::new();
    // For each open parenthesis: whether it holds a query (`(select …`).
    let mut parens: Vec<bool> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            T::Open => {
                let query = matches!(toks.get(i + 1), Some(T::Word(w)) if is_kw(w, "select") || is_kw(w, "with"));
                parens.push(query);
            }
            T::Close => {
                parens.pop();
            }
            T::Word(w)
                if (is_kw(w, "from") || is_kw(w, "join")) && parens.last().is_none_or(|q| *q) =>
            {
                let list = is_kw(w, "from");
                i = table_list(&toks, i + 1, list, &ctes, &mut out);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn is_kw(w: &str, kw: &str) -> bool {
    w.eq_ignore_ascii_case(kw)
}

/// Reads `name [AS alias] [, name [AS alias]]…` from `i`; returns where it stopped.
fn table_list(
    toks: &[T],
    mut i: usize,
    list: bool,
    ctes: &[String],
    out: &mut Vec<SqlTable>,
) -> usize {
    loop {
        // `FROM LATERAL …`, `FROM ONLY t` (Postgres).
        while matches!(toks.get(i), Some(T::Word(w)) if is_kw(w, "lateral") || is_kw(w, "only")) {
            i += 1;
        }
        let (parts, next) = qualified_name(toks, i);
        if parts.is_empty() {
            return i;
        }
        i = next;
        let is_call = matches!(toks.get(i), Some(T::Open));
        let cte = parts.len() == 1 && ctes.iter().any(|c| c.eq_ignore_ascii_case(&parts[0]));
        let stage = parts[0].starts_with('@');
        if !is_call && !cte && !stage {
            let t = SqlTable { parts };
            if !out.contains(&t) {
                out.push(t);
            }
        }
        if is_call {
            return i;
        }
        // An alias: `AS x` or a bare word that is not a keyword.
        if matches!(toks.get(i), Some(T::Word(w)) if is_kw(w, "as")) {
            i += 1;
            if matches!(toks.get(i), Some(T::Word(_) | T::Quoted(_))) {
                i += 1;
            }
        } else if let Some(T::Word(w)) = toks.get(i) {
            if !NOT_ALIAS.iter().any(|k| is_kw(w, k)) {
                i += 1;
            }
        } else if let Some(T::Quoted(_)) = toks.get(i) {
            i += 1;
        }
        if list && matches!(toks.get(i), Some(T::Comma)) {
            i += 1;
            continue;
        }
        return i;
    }
}

/// `a.b.c` with quoted or bare parts; empty when `i` holds no name.
fn qualified_name(toks: &[T], mut i: usize) -> (Vec<String>, usize) {
    let mut parts = Vec::new();
    loop {
        match toks.get(i) {
            Some(T::Word(w)) if parts.is_empty() && is_reserved_start(w) => return (parts, i),
            Some(T::Word(w)) => parts.push(w.clone()),
            Some(T::Quoted(q)) => parts.extend(q.iter().cloned()),
            _ => return (parts, i),
        }
        i += 1;
        if matches!(toks.get(i), Some(T::Dot)) {
            i += 1;
            // `db..table` (SQL Server's default schema): an empty part.
            while matches!(toks.get(i), Some(T::Dot)) {
                i += 1;
            }
            continue;
        }
        return (parts, i);
    }
}

fn is_reserved_start(w: &str) -> bool {
    [
        "select",
        "with",
        "values",
        "unnest",
        "table",
        "generate_series",
        "where",
        "on",
    ]
    .iter()
    .any(|k| is_kw(w, k))
}

/// Names defined by `WITH name AS (` / `, name AS (` / `name (cols) AS (`.
fn cte_names(toks: &[T]) -> Vec<String> {
    let mut out = Vec::new();
    for i in 0..toks.len() {
        let name = match &toks[i] {
            T::Word(w) => w.clone(),
            T::Quoted(q) if q.len() == 1 => q[0].clone(),
            _ => continue,
        };
        let before = i.checked_sub(1).and_then(|j| toks.get(j));
        let after_with = matches!(before, Some(T::Comma))
            || matches!(before, Some(T::Word(w)) if is_kw(w, "with") || is_kw(w, "recursive"));
        if !after_with {
            continue;
        }
        let mut j = i + 1;
        if matches!(toks.get(j), Some(T::Open)) {
            while j < toks.len() && toks[j] != T::Close {
                j += 1;
            }
            j += 1;
        }
        if matches!(toks.get(j), Some(T::Word(w)) if is_kw(w, "as"))
            && matches!(toks.get(j + 1), Some(T::Open))
        {
            out.push(name);
        }
    }
    out
}

fn lex(sql: &str) -> Vec<T> {
    let chars: Vec<char> = sql.chars().collect();
    let n = chars.len();
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < n && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i < n && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i = (i + 2).min(n);
        } else if c == '\'' {
            i += 1;
            while i < n {
                if chars[i] == '\'' {
                    if chars.get(i + 1) == Some(&'\'') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            i += 1;
            out.push(T::Str);
        } else if c == '"' || c == '`' || c == '[' {
            let close = match c {
                '[' => ']',
                q => q,
            };
            i += 1;
            let mut s = String::new();
            while i < n {
                if chars[i] == close {
                    if chars.get(i + 1) == Some(&close) && close != ']' {
                        s.push(close);
                        i += 2;
                        continue;
                    }
                    break;
                }
                s.push(chars[i]);
                i += 1;
            }
            i += 1;
            let parts = if c == '`' {
                s.split('.').map(str::to_string).collect()
            } else {
                vec![s]
            };
            out.push(T::Quoted(parts));
        } else if c.is_alphanumeric()
            || c == '_'
            || c == '@'
            || c == '$'
            || c == '#'
            || c == '\u{1}'
        {
            let mut s = String::new();
            while i < n
                && (chars[i].is_alphanumeric()
                    || matches!(chars[i], '_' | '@' | '$' | '#' | '\u{1}'))
            {
                s.push(chars[i]);
                i += 1;
            }
            out.push(T::Word(s));
        } else {
            out.push(match c {
                '.' => T::Dot,
                ',' => T::Comma,
                '(' => T::Open,
                ')' => T::Close,
                _ => T::Other,
            });
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(sql: &str, expected: &[&str]) {
        let got: Vec<String> = tables(sql).into_iter().map(|t| t.parts.join(".")).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn from_and_joins() {
        check(
            "select o.id, c.name from SHOP.MAIN.FCT_ORDERS o join \"SHOP\".\"MAIN\".\"dim_customers\" as c on c.id = o.cid left join [dbo].[x] on 1=1",
            &["SHOP.MAIN.FCT_ORDERS", "SHOP.MAIN.dim_customers", "dbo.x"],
        );
    }

    #[test]
    fn lists_subqueries_ctes_and_functions() {
        check(
            "with recent as (select * from main.fct_orders where extract(year from order_date) = 2024) \
             select * from recent, main.dim_customers d, (select 1 from raw.x) s, table(flatten(input => y)) f \
             join `proj.ds.daily_revenue` r using (id) -- from commented.out\n",
            &["main.fct_orders", "main.dim_customers", "raw.x", "proj.ds.daily_revenue"],
        );
    }

    #[test]
    fn garbage() {
        for s in [
            "",
            "from",
            "from (",
            "join .",
            "from \"",
            "from [",
            "from `a.`",
            "select from from from",
        ] {
            let _ = tables(s);
        }
    }
}
