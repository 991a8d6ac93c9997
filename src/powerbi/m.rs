//! Power Query (M) expressions → the warehouse tables they read. A small tolerant parser and an
//! abstract evaluator: it follows let-bound steps, parameters and shared queries of the model,
//! user functions, connector calls (`Snowflake.Databases`, `Sql.Database`, `PostgreSQL.Database`,
//! `GoogleBigQuery.Database`, `Databricks.Catalogs`, …), navigation steps (`{[Name=…,Kind=…]}`,
//! `{[Schema=…,Item=…]}`) and native SQL (`Value.NativeQuery`, `[Query=…]` options). Total: any
//! text gives a value; a name it cannot work out is kept as [`Unresolved`] with the reason, and
//! evaluation is bounded (depth and fuel), so no input loops or overflows the stack.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use crate::powerbi::{excerpt, sql, NamedExpression, SourceRef, Unresolved};

/// What one expression reads.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Extracted {
    pub sources: Vec<SourceRef>,
    /// Non-warehouse connectors the rows come from (`Excel.Workbook`, `Web.Contents`, …).
    pub other_sources: Vec<String>,
    pub unresolved: Vec<Unresolved>,
}

/// A model's named expressions (parameters, shared queries, functions), parsed once.
pub struct Scope {
    globals: HashMap<String, (Rc<str>, Rc<Expr>)>,
}

impl Scope {
    pub fn new(shared: &[NamedExpression]) -> Scope {
        let mut globals = HashMap::new();
        for e in shared {
            let text: Rc<str> = Rc::from(e.expression.as_str());
            let expr = parse(&text);
            globals.insert(e.name.clone(), (text, Rc::new(expr)));
        }
        Scope { globals }
    }
}

/// The tables an M expression reads, with the model's named expressions in scope.
pub fn extract(expression: &str, scope: &Scope) -> Extracted {
    let text: Rc<str> = Rc::from(expression);
    let expr = parse(&text);
    let ev = Eval {
        scope,
        global_cache: RefCell::new(HashMap::new()),
        fuel: Cell::new(200_000),
        depth: Cell::new(0),
    };
    let env = Rc::new(Env::root(text.clone()));
    let value = ev.eval(&expr, &env);
    let mut out = Extracted::default();
    let mut leaves = Vec::new();
    collect_leaves(&value, &mut leaves, 0);
    if leaves.is_empty() {
        if let Val::Unknown(Some(why)) = &value {
            out.unresolved.push(Unresolved {
                connector: None,
                relation: None,
                reason: why.clone(),
                expression_excerpt: excerpt(expression, 200),
            });
        }
    }
    for leaf in leaves {
        resolve_leaf(&leaf, &mut out);
    }
    out.sources.sort();
    out.sources.dedup();
    out.other_sources.sort();
    out.other_sources.dedup();
    out.unresolved.sort();
    out.unresolved.dedup();
    out
}

/// [`extract`] with a one-off scope, for callers holding only the named expressions.
pub fn extract_sources(expression: &str, shared: &[NamedExpression]) -> Extracted {
    extract(expression, &Scope::new(shared))
}

// ---------------------------------------------------------------------------------------------
// Tokens

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    /// `#"quoted identifier"`.
    Quoted(String),
    Text(String),
    Number,
    Punct(&'static str),
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    start: usize,
    end: usize,
}

const PUNCTS: [&str; 24] = [
    "...", "=>", "<=", ">=", "<>", "..", "??", "{", "}", "[", "]", "(", ")", ",", ";", "=", "&",
    "+", "-", "*", "/", "<", ">", "?",
];

fn lex(text: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let at = |i: usize| chars.get(i).map(|c| c.1);
    let pos = |i: usize| chars.get(i).map(|c| c.0).unwrap_or(text.len());
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        let c = chars[i].1;
        let start = chars[i].0;
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == Some('/') {
            while i < n && chars[i].1 != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == Some('*') {
            i += 2;
            while i < n && !(chars[i].1 == '*' && at(i + 1) == Some('/')) {
                i += 1;
            }
            i = (i + 2).min(n);
        } else if c == '"' || (c == '#' && at(i + 1) == Some('"')) {
            let quoted = c == '#';
            i += if quoted { 2 } else { 1 };
            let mut raw = String::new();
            while i < n {
                if chars[i].1 == '"' {
                    if at(i + 1) == Some('"') {
                        raw.push('"');
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                raw.push(chars[i].1);
                i += 1;
            }
            let value = unescape(&raw);
            let tok = if quoted {
                Tok::Quoted(value)
            } else {
                Tok::Text(value)
            };
            out.push(Token {
                tok,
                start,
                end: pos(i),
            });
        } else if c.is_alphabetic()
            || c == '_'
            || (c == '#' && at(i + 1).is_some_and(|d| d.is_alphabetic()))
        {
            let mut word = String::new();
            word.push(c);
            i += 1;
            while i < n {
                let d = chars[i].1;
                let dotted = d == '.' && at(i + 1).is_some_and(|e| e.is_alphabetic() || e == '_');
                if d.is_alphanumeric() || d == '_' || dotted {
                    word.push(d);
                    i += 1;
                } else {
                    break;
                }
            }
            out.push(Token {
                tok: Tok::Ident(word),
                start,
                end: pos(i),
            });
        } else if c.is_ascii_digit() {
            while i < n
                && (chars[i].1.is_ascii_alphanumeric()
                    || (chars[i].1 == '.' && at(i + 1).is_some_and(|d| d.is_ascii_digit())))
            {
                i += 1;
            }
            out.push(Token {
                tok: Tok::Number,
                start,
                end: pos(i),
            });
        } else {
            let rest = &text[start..];
            match PUNCTS.iter().find(|p| rest.starts_with(**p)) {
                Some(p) => {
                    i += p.chars().count();
                    out.push(Token {
                        tok: Tok::Punct(p),
                        start,
                        end: pos(i),
                    });
                }
                // `@`, `!`, `#` alone and anything unknown: skipped.
                None => i += 1,
            }
        }
    }
    out
}

/// M's character escapes in text: `#(lf)`, `#(cr)`, `#(tab)`, `#(#)`, `#(0022)`, `#(cr,lf)`.
fn unescape(raw: &str) -> String {
    if !raw.contains("#(") {
        return raw.to_string();
    }
    let mut out = String::new();
    let mut rest = raw;
    while let Some(p) = rest.find("#(") {
        out.push_str(&rest[..p]);
        let after = &rest[p + 2..];
        let Some(close) = after.find(')') else {
            out.push_str(&rest[p..]);
            return out;
        };
        let mut decoded = String::new();
        let ok = after[..close].split(',').all(|code| {
            let code = code.trim();
            let c = match code {
                "cr" => Some('\r'),
                "lf" => Some('\n'),
                "tab" => Some('\t'),
                "#" => Some('#'),
                hex if (hex.len() == 4 || hex.len() == 8)
                    && hex.chars().all(|h| h.is_ascii_hexdigit()) =>
                {
                    u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
                }
                _ => None,
            };
            c.map(|c| decoded.push(c)).is_some()
        });
        if ok {
            out.push_str(&decoded);
        } else {
            out.push_str(&rest[p..p + 2 + close + 1]);
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------------------------------
// Syntax

#[derive(Debug)]
pub struct Expr {
    e: E,
    start: usize,
    end: usize,
}

#[derive(Debug)]
enum E {
    Let(Vec<(String, Rc<Expr>)>, Box<Expr>),
    Ref(String),
    Text(String),
    Null,
    Record(Vec<(String, Expr)>),
    List(Vec<Expr>),
    Item(Box<Expr>, Box<Expr>),
    Field(Box<Expr>, String),
    Call(Box<Expr>, Vec<Expr>),
    Concat(Vec<Expr>),
    Func(Vec<String>, Rc<Expr>),
    /// `if`/`try`/arithmetic: the table values of any part, text lost.
    Any(Vec<Expr>, &'static str),
    Unknown,
}

fn parse(text: &str) -> Expr {
    let toks = lex(text);
    let mut p = Parser {
        toks: &toks,
        pos: 0,
        depth: 0,
    };
    p.expr()
}

struct Parser<'a> {
    toks: &'a [Token],
    pos: usize,
    depth: usize,
}

const MAX_DEPTH: usize = 120;

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.tok)
    }
    fn peek_at(&self, k: usize) -> Option<&Tok> {
        self.toks.get(self.pos + k).map(|t| &t.tok)
    }
    fn is_punct(&self, p: &str) -> bool {
        matches!(self.peek(), Some(Tok::Punct(q)) if *q == p)
    }
    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(q)) if q == w)
    }
    fn start(&self) -> usize {
        self.toks
            .get(self.pos)
            .map(|t| t.start)
            .unwrap_or_else(|| self.prev_end())
    }
    fn prev_end(&self) -> usize {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.toks.get(i))
            .map(|t| t.end)
            .unwrap_or(0)
    }
    fn bump(&mut self) {
        if self.pos < self.toks.len() {
            self.pos += 1;
        }
    }
    fn eat_punct(&mut self, p: &str) -> bool {
        let yes = self.is_punct(p);
        if yes {
            self.bump();
        }
        yes
    }
    fn node(&self, e: E, start: usize) -> Expr {
        Expr {
            e,
            start,
            end: self.prev_end().max(start),
        }
    }

    fn expr(&mut self) -> Expr {
        let start = self.start();
        if self.depth > MAX_DEPTH {
            self.skip_to_end();
            return self.node(E::Unknown, start);
        }
        self.depth += 1;
        let e = self.expr_inner(start);
        self.depth -= 1;
        e
    }

    fn skip_to_end(&mut self) {
        self.pos = self.toks.len();
    }

    fn expr_inner(&mut self, start: usize) -> Expr {
        match self.peek() {
            Some(Tok::Ident(w)) if w == "let" => {
                self.bump();
                self.let_expr(start)
            }
            Some(Tok::Ident(w)) if w == "if" => {
                self.bump();
                let _condition = self.expr();
                let yes = if self.is_word("then") {
                    self.bump();
                    self.expr()
                } else {
                    self.node(E::Unknown, start)
                };
                let no = if self.is_word("else") {
                    self.bump();
                    self.expr()
                } else {
                    self.node(E::Unknown, start)
                };
                self.node(E::Any(vec![yes, no], "if"), start)
            }
            Some(Tok::Ident(w)) if w == "each" => {
                self.bump();
                let body = self.expr();
                self.node(E::Func(vec!["_".into()], Rc::new(body)), start)
            }
            Some(Tok::Ident(w)) if w == "try" => {
                self.bump();
                let a = self.expr();
                let mut parts = vec![a];
                if self.is_word("otherwise") || self.is_word("catch") {
                    self.bump();
                    parts.push(self.expr());
                }
                self.node(E::Any(parts, "try"), start)
            }
            Some(Tok::Ident(w)) if w == "error" => {
                self.bump();
                let _ = self.expr();
                self.node(E::Unknown, start)
            }
            Some(Tok::Punct("(")) if self.is_lambda() => self.lambda(start),
            _ => self.binary(start),
        }
    }

    fn let_expr(&mut self, start: usize) -> Expr {
        let mut bindings: Vec<(String, Rc<Expr>)> = Vec::new();
        loop {
            let before = self.pos;
            match self.peek() {
                None => break,
                Some(Tok::Ident(w)) if w == "in" => break,
                Some(Tok::Ident(name)) | Some(Tok::Quoted(name)) => {
                    let name = name.clone();
                    self.bump();
                    if !self.eat_punct("=") {
                        continue;
                    }
                    let value = self.expr();
                    bindings.push((name, Rc::new(value)));
                }
                Some(_) => self.bump(),
            }
            if self.eat_punct(",") || self.is_word("in") {
                continue;
            }
            // Something the parser does not follow: skip to the next binding.
            self.skip_binding_rest();
            if self.pos == before {
                self.bump();
            }
        }
        let body = if self.is_word("in") {
            self.bump();
            self.expr()
        } else {
            // A `let` without `in`: take the last step.
            let e = match bindings.last() {
                Some((name, _)) => E::Ref(name.clone()),
                None => E::Unknown,
            };
            self.node(e, start)
        };
        self.node(E::Let(bindings, Box::new(body)), start)
    }

    fn skip_binding_rest(&mut self) {
        let mut depth = 0usize;
        while let Some(t) = self.peek() {
            match t {
                Tok::Punct("(" | "[" | "{") => depth += 1,
                Tok::Punct(")" | "]" | "}") => depth = depth.saturating_sub(1),
                Tok::Punct(",") if depth == 0 => {
                    self.bump();
                    return;
                }
                Tok::Ident(w) if depth == 0 && w == "in" => return,
                _ => {}
            }
            self.bump();
        }
    }

    /// At `(`: whether a `=>` follows the matching `)` (optionally after `as type`).
    fn is_lambda(&self) -> bool {
        let mut depth = 0usize;
        let mut k = 0;
        while let Some(t) = self.peek_at(k) {
            match t {
                Tok::Punct("(") => depth += 1,
                Tok::Punct(")") => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            k += 1;
        }
        match self.peek_at(k + 1) {
            Some(Tok::Punct("=>")) => true,
            Some(Tok::Ident(w)) if w == "as" => {
                (k + 2..k + 6).any(|j| matches!(self.peek_at(j), Some(Tok::Punct("=>"))))
            }
            _ => false,
        }
    }

    fn lambda(&mut self, start: usize) -> Expr {
        self.bump(); // (
        let mut params = Vec::new();
        let mut expect_name = true;
        let mut depth = 0usize;
        while let Some(t) = self.peek() {
            match t {
                Tok::Punct("(") => depth += 1,
                Tok::Punct(")") if depth == 0 => {
                    self.bump();
                    break;
                }
                Tok::Punct(")") => depth -= 1,
                Tok::Punct(",") if depth == 0 => expect_name = true,
                Tok::Ident(w) if expect_name && w != "optional" => {
                    params.push(w.clone());
                    expect_name = false;
                }
                Tok::Quoted(w) if expect_name => {
                    params.push(w.clone());
                    expect_name = false;
                }
                _ => {}
            }
            self.bump();
        }
        while !self.is_punct("=>") && self.peek().is_some() {
            self.bump();
        }
        self.eat_punct("=>");
        let body = self.expr();
        self.node(E::Func(params, Rc::new(body)), start)
    }

    fn binary(&mut self, start: usize) -> Expr {
        let first = self.unary();
        let mut operands = vec![first];
        let mut ops: Vec<&str> = Vec::new();
        loop {
            let op: &str = match self.peek() {
                Some(Tok::Punct(p))
                    if [
                        "&", "+", "-", "*", "/", "=", "<>", "<", ">", "<=", ">=", "??",
                    ]
                    .contains(p) =>
                {
                    p
                }
                Some(Tok::Ident(w)) if w == "and" => "and",
                Some(Tok::Ident(w)) if w == "or" => "or",
                Some(Tok::Ident(w)) if w == "meta" => "meta",
                Some(Tok::Ident(w)) if w == "as" || w == "is" => {
                    self.bump();
                    self.type_expr();
                    continue;
                }
                _ => break,
            };
            self.bump();
            ops.push(op);
            operands.push(self.unary());
        }
        if ops.is_empty() {
            return operands
                .pop()
                .unwrap_or_else(|| self.node(E::Unknown, start));
        }
        // `x meta [...]`: the value is what comes before `meta`.
        let cut = ops.iter().position(|o| *o == "meta").unwrap_or(ops.len());
        operands.truncate(cut + 1);
        ops.truncate(cut);
        if ops.is_empty() {
            return operands
                .pop()
                .unwrap_or_else(|| self.node(E::Unknown, start));
        }
        if ops.iter().all(|o| *o == "&") {
            self.node(E::Concat(operands), start)
        } else if ops.iter().all(|o| *o == "??") {
            self.node(E::Any(operands, "??"), start)
        } else {
            self.node(E::Any(operands, "operator"), start)
        }
    }

    fn type_expr(&mut self) {
        if self.is_word("nullable") || self.is_word("type") {
            self.bump();
        }
        match self.peek() {
            Some(Tok::Ident(w)) if w == "table" || w == "function" => {
                self.bump();
                if self.is_punct("[") || self.is_punct("(") {
                    let _ = self.postfix();
                }
            }
            Some(Tok::Ident(_)) | Some(Tok::Quoted(_)) => self.bump(),
            Some(Tok::Punct("[" | "{")) => {
                let _ = self.primary();
            }
            _ => {}
        }
    }

    fn unary(&mut self) -> Expr {
        let start = self.start();
        if self.depth > MAX_DEPTH {
            self.skip_to_end();
            return self.node(E::Unknown, start);
        }
        match self.peek() {
            Some(Tok::Punct("-" | "+")) => {
                self.bump();
                self.depth += 1;
                let e = self.unary();
                self.depth -= 1;
                self.node(E::Any(vec![e], "sign"), start)
            }
            Some(Tok::Ident(w)) if w == "not" => {
                self.bump();
                self.depth += 1;
                let _ = self.unary();
                self.depth -= 1;
                self.node(E::Unknown, start)
            }
            Some(Tok::Ident(w)) if w == "type" => {
                self.bump();
                self.type_expr();
                self.node(E::Unknown, start)
            }
            Some(Tok::Ident(w)) if ["let", "if", "each", "try", "error"].contains(&w.as_str()) => {
                self.depth += 1;
                let e = self.expr();
                self.depth -= 1;
                e
            }
            _ => self.postfix(),
        }
    }

    fn postfix(&mut self) -> Expr {
        let start = self.start();
        let mut e = self.primary();
        loop {
            if self.is_punct("{") {
                self.bump();
                let sel = self.expr();
                self.eat_punct("}");
                self.eat_punct("?");
                e = self.node(E::Item(Box::new(e), Box::new(sel)), start);
            } else if self.is_punct("[") {
                self.bump();
                let name = self.field_name();
                if !self.eat_punct("]") {
                    // `x[[a],[b]]` projections and the like.
                    self.skip_group("[", "]");
                }
                self.eat_punct("?");
                e = self.node(E::Field(Box::new(e), name), start);
            } else if self.is_punct("(") {
                self.bump();
                let args = self.items(")");
                e = self.node(E::Call(Box::new(e), args), start);
            } else {
                return e;
            }
        }
    }

    /// Skips to the closer of a group whose opener was already consumed.
    fn skip_group(&mut self, open: &str, close: &str) {
        let mut depth = 1usize;
        while let Some(t) = self.peek() {
            if *t == Tok::Punct(leak(open)) {
                depth += 1;
            } else if *t == Tok::Punct(leak(close)) {
                depth -= 1;
                if depth == 0 {
                    self.bump();
                    return;
                }
            }
            self.bump();
        }
    }

    /// A generalized identifier: words up to `]`, `=` or `,` (`[Folder Path]`, `[Data]`).
    fn field_name(&mut self) -> String {
        let mut words = Vec::new();
        while let Some(t) = self.peek() {
            match t {
                Tok::Ident(w) | Tok::Quoted(w) | Tok::Text(w) => words.push(w.clone()),
                Tok::Punct("]" | "=" | ",") => break,
                Tok::Punct(_) | Tok::Number => break,
            }
            self.bump();
        }
        words.join(" ")
    }

    /// Comma-separated expressions up to `close` (consumed).
    fn items(&mut self, close: &'static str) -> Vec<Expr> {
        let mut out = Vec::new();
        loop {
            if self.peek().is_none() || self.eat_punct(close) {
                return out;
            }
            let before = self.pos;
            out.push(self.expr());
            if self.eat_punct("..") {
                out.push(self.expr());
            }
            if !self.eat_punct(",") && !self.is_punct(close) {
                // Unexpected token: skip it so the loop always moves.
                if self.pos == before || !self.is_punct(close) {
                    self.bump();
                }
            }
        }
    }

    fn primary(&mut self) -> Expr {
        let start = self.start();
        let Some(t) = self.peek().cloned() else {
            return self.node(E::Unknown, start);
        };
        match t {
            Tok::Text(s) => {
                self.bump();
                self.node(E::Text(s), start)
            }
            Tok::Number => {
                self.bump();
                self.node(E::Unknown, start)
            }
            Tok::Ident(w) if w == "null" => {
                self.bump();
                self.node(E::Null, start)
            }
            Tok::Ident(w)
                if [
                    "in",
                    "then",
                    "else",
                    "otherwise",
                    "catch",
                    "and",
                    "or",
                    "meta",
                ]
                .contains(&w.as_str()) =>
            {
                // A keyword where a value should be: leave it to the caller.
                self.node(E::Unknown, start)
            }
            Tok::Ident(w) if w == "true" || w == "false" => {
                self.bump();
                self.node(E::Unknown, start)
            }
            Tok::Ident(w) | Tok::Quoted(w) => {
                self.bump();
                self.node(E::Ref(w), start)
            }
            Tok::Punct("[") => {
                self.bump();
                self.record_or_field(start)
            }
            Tok::Punct("{") => {
                self.bump();
                let items = self.items("}");
                self.node(E::List(items), start)
            }
            Tok::Punct("(") => {
                self.bump();
                let e = self.expr();
                if !self.eat_punct(")") {
                    self.skip_group("(", ")");
                }
                e
            }
            Tok::Punct(")" | "]" | "}" | "," | ";") => self.node(E::Unknown, start),
            Tok::Punct(_) => {
                self.bump();
                self.node(E::Unknown, start)
            }
        }
    }

    /// After `[`: a record literal `[a = 1, b = 2]`, or `[Column]` on the implicit `_`.
    fn record_or_field(&mut self, start: usize) -> Expr {
        let mut fields = Vec::new();
        loop {
            if self.peek().is_none() || self.eat_punct("]") {
                break;
            }
            let before = self.pos;
            let name = self.field_name();
            if self.eat_punct("=") {
                let value = self.expr();
                fields.push((name, value));
                if !self.eat_punct(",") && !self.is_punct("]") && self.pos == before {
                    self.bump();
                }
            } else if fields.is_empty() && self.eat_punct("]") {
                let underscore = self.node(E::Ref("_".into()), start);
                return self.node(E::Field(Box::new(underscore), name), start);
            } else if !self.eat_punct(",") && !self.is_punct("]") {
                self.bump();
            }
            if self.pos == before {
                self.bump();
            }
        }
        self.node(E::Record(fields), start)
    }
}

/// The punctuation table's own `&'static str` for a group delimiter.
fn leak(p: &str) -> &'static str {
    PUNCTS.iter().find(|q| **q == p).copied().unwrap_or("")
}

// ---------------------------------------------------------------------------------------------
// Values

/// Marks the unknown parts of text built at refresh time (`"select * from " & Table`).
const HOLE: char = '\u{1}';

#[derive(Debug, Clone)]
enum Val {
    Text(String),
    /// Text with unknown parts (each a [`HOLE`]) and why the first one is unknown.
    Partial(String, String),
    Null,
    Record(Rc<Vec<(String, Val)>>),
    List(Rc<Vec<Val>>),
    Tables(Rc<Vec<Leaf>>),
    Func(Rc<FuncVal>),
    Unknown(Option<String>),
}

#[derive(Debug)]
struct FuncVal {
    params: Vec<String>,
    body: Rc<Expr>,
    env: Rc<Env>,
}

#[derive(Debug, Clone)]
enum Leaf {
    Nav(Nav),
    Native {
        connector: String,
        nav: Option<Nav>,
        sql: Val,
        excerpt: String,
    },
    Other(String),
}

#[derive(Debug, Clone)]
struct Nav {
    connector: String,
    args: Vec<Val>,
    steps: Vec<Val>,
    excerpt: String,
}

#[derive(Debug)]
struct Env {
    text: Rc<str>,
    bindings: Vec<(String, Rc<Expr>)>,
    values: Vec<(String, Val)>,
    cache: RefCell<HashMap<String, Val>>,
    parent: Option<Rc<Env>>,
}

impl Env {
    fn root(text: Rc<str>) -> Env {
        Env {
            text,
            bindings: Vec::new(),
            values: Vec::new(),
            cache: RefCell::new(HashMap::new()),
            parent: None,
        }
    }
}

struct Eval<'a> {
    scope: &'a Scope,
    global_cache: RefCell<HashMap<String, Val>>,
    fuel: Cell<u32>,
    depth: Cell<u32>,
}

/// Functions of M's standard library: they transform tables, so their result reads what their
/// arguments read.
const LIBRARY: [&str; 44] = [
    "Table",
    "List",
    "Text",
    "Number",
    "Date",
    "DateTime",
    "DateTimeZone",
    "Duration",
    "Time",
    "Record",
    "Value",
    "Splitter",
    "Combiner",
    "Replacer",
    "Comparer",
    "Expression",
    "Function",
    "Binary",
    "Lines",
    "Logical",
    "Byte",
    "Int8",
    "Int16",
    "Int32",
    "Int64",
    "Currency",
    "Percentage",
    "Character",
    "Uri",
    "Type",
    "Cube",
    "Diagnostics",
    "Error",
    "Precision",
    "Culture",
    "Occurrence",
    "Order",
    "JoinKind",
    "JoinAlgorithm",
    "MissingField",
    "QuoteStyle",
    "ExtraValues",
    "RoundingMode",
    "GroupKind",
];

/// Connectors whose navigation names warehouse tables.
fn is_warehouse(name: &str) -> bool {
    const KNOWN: [&str; 14] = [
        "Snowflake.Databases",
        "Sql.Database",
        "Sql.Databases",
        "PostgreSQL.Database",
        "AmazonRedshift.Database",
        "GoogleBigQuery.Database",
        "GoogleBigQueryAad.Database",
        "Databricks.Catalogs",
        "Databricks.Contents",
        "DatabricksMultiCloud.Catalogs",
        "Odbc.DataSource",
        "OleDb.DataSource",
        "Lakehouse.Contents",
        "Fabric.Warehouse",
    ];
    KNOWN.contains(&name)
        || (name.contains('.')
            && (name.ends_with(".Database")
                || name.ends_with(".Databases")
                || name.ends_with(".Catalogs")))
}

impl Eval<'_> {
    fn eval(&self, expr: &Expr, env: &Rc<Env>) -> Val {
        let fuel = self.fuel.get();
        if fuel == 0 || self.depth.get() > 200 {
            return Val::Unknown(Some("the expression is too deeply nested to follow".into()));
        }
        self.fuel.set(fuel - 1);
        self.depth.set(self.depth.get() + 1);
        let v = self.eval_inner(expr, env);
        self.depth.set(self.depth.get() - 1);
        v
    }

    fn eval_inner(&self, expr: &Expr, env: &Rc<Env>) -> Val {
        match &expr.e {
            E::Text(s) => Val::Text(s.clone()),
            E::Null => Val::Null,
            E::Unknown => Val::Unknown(None),
            E::Ref(name) => self.lookup(name, env),
            E::Record(fields) => Val::Record(Rc::new(
                fields
                    .iter()
                    .map(|(k, v)| (k.clone(), self.eval(v, env)))
                    .collect(),
            )),
            E::List(items) => Val::List(Rc::new(items.iter().map(|i| self.eval(i, env)).collect())),
            E::Let(bindings, body) => {
                let inner = Rc::new(Env {
                    text: env.text.clone(),
                    bindings: bindings.clone(),
                    values: Vec::new(),
                    cache: RefCell::new(HashMap::new()),
                    parent: Some(env.clone()),
                });
                self.eval(body, &inner)
            }
            E::Func(params, body) => Val::Func(Rc::new(FuncVal {
                params: params.clone(),
                body: body.clone(),
                env: env.clone(),
            })),
            E::Concat(parts) => self.concat(parts, env),
            E::Any(parts, what) => {
                let vals: Vec<Val> = parts.iter().map(|p| self.eval(p, env)).collect();
                let mut leaves = Vec::new();
                for v in &vals {
                    collect_leaves(v, &mut leaves, 0);
                }
                if !leaves.is_empty() {
                    return Val::Tables(Rc::new(leaves));
                }
                match (*what, vals.as_slice()) {
                    ("sign", [v]) => v.clone(),
                    ("if", _) => Val::Unknown(Some(format!(
                        "the name depends on a condition: `{}`",
                        excerpt(slice(&env.text, expr.start, expr.end), 80)
                    ))),
                    // `a ?? b`: the first one that is known.
                    ("??", _) => vals
                        .iter()
                        .find(|v| matches!(v, Val::Text(_)))
                        .cloned()
                        .unwrap_or(Val::Unknown(None)),
                    _ => Val::Unknown(None),
                }
            }
            E::Field(target, name) => match self.eval(target, env) {
                Val::Record(fields) => fields
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
                    .unwrap_or(Val::Unknown(None)),
                t @ Val::Tables(_) => t,
                Val::Unknown(why) => Val::Unknown(why),
                _ => Val::Unknown(None),
            },
            E::Item(target, selector) => {
                let t = self.eval(target, env);
                let s = self.eval(selector, env);
                match t {
                    Val::Tables(leaves) => {
                        let step_excerpt = excerpt(slice(&env.text, expr.start, expr.end), 200);
                        Val::Tables(Rc::new(
                            leaves
                                .iter()
                                .map(|l| match l {
                                    Leaf::Nav(n) => {
                                        let mut n = n.clone();
                                        n.steps.push(s.clone());
                                        n.excerpt = step_excerpt.clone();
                                        Leaf::Nav(n)
                                    }
                                    other => other.clone(),
                                })
                                .collect(),
                        ))
                    }
                    Val::List(items) => {
                        let mut leaves = Vec::new();
                        for i in items.iter() {
                            collect_leaves(i, &mut leaves, 0);
                        }
                        if leaves.is_empty() {
                            Val::Unknown(None)
                        } else {
                            Val::Tables(Rc::new(leaves))
                        }
                    }
                    other => other,
                }
            }
            E::Call(func, args) => self.call(expr, func, args, env),
        }
    }

    fn concat(&self, parts: &[Expr], env: &Rc<Env>) -> Val {
        let mut text = String::new();
        let mut why: Option<String> = None;
        let mut leaves = Vec::new();
        for p in parts {
            match self.eval(p, env) {
                Val::Text(s) => text.push_str(&s),
                Val::Partial(s, w) => {
                    text.push_str(&s);
                    why.get_or_insert(w);
                }
                v @ (Val::Tables(_) | Val::List(_)) => collect_leaves(&v, &mut leaves, 0),
                other => {
                    text.push(HOLE);
                    let w = match other {
                        Val::Unknown(Some(w)) => w,
                        _ => format!(
                            "the name is built at refresh time from `{}`",
                            excerpt(slice(&env.text, p.start, p.end), 60)
                        ),
                    };
                    why.get_or_insert(w);
                }
            }
        }
        if !leaves.is_empty() {
            return Val::Tables(Rc::new(leaves));
        }
        match why {
            None => Val::Text(text),
            Some(w) => Val::Partial(text, w),
        }
    }

    fn lookup(&self, name: &str, env: &Rc<Env>) -> Val {
        let mut frame = Some(env.clone());
        while let Some(f) = frame {
            if let Some((_, v)) = f.values.iter().find(|(n, _)| n == name) {
                return v.clone();
            }
            if let Some((_, e)) = f.bindings.iter().find(|(n, _)| n == name) {
                if let Some(v) = f.cache.borrow().get(name) {
                    return v.clone();
                }
                let e = e.clone();
                f.cache.borrow_mut().insert(
                    name.to_string(),
                    Val::Unknown(Some(format!("`{name}` refers to itself"))),
                );
                let v = self.eval(&e, &f);
                f.cache.borrow_mut().insert(name.to_string(), v.clone());
                return v;
            }
            frame = f.parent.clone();
        }
        if let Some((text, e)) = self.scope.globals.get(name) {
            if let Some(v) = self.global_cache.borrow().get(name) {
                return v.clone();
            }
            self.global_cache.borrow_mut().insert(
                name.to_string(),
                Val::Unknown(Some(format!("`{name}` refers to itself"))),
            );
            let genv = Rc::new(Env::root(text.clone()));
            let v = self.eval(e, &genv);
            self.global_cache
                .borrow_mut()
                .insert(name.to_string(), v.clone());
            return v;
        }
        if name.contains('.') || name.starts_with('#') {
            // A library or connector function used as a value: resolved when called.
            return Val::Unknown(None);
        }
        Val::Unknown(Some(format!(
            "`{name}` is not defined in this model (a parameter or query that is missing from the files given)"
        )))
    }

    fn is_bound(&self, name: &str, env: &Rc<Env>) -> bool {
        let mut frame = Some(env.clone());
        while let Some(f) = frame {
            if f.values.iter().any(|(n, _)| n == name) || f.bindings.iter().any(|(n, _)| n == name)
            {
                return true;
            }
            frame = f.parent.clone();
        }
        self.scope.globals.contains_key(name)
    }

    fn call(&self, expr: &Expr, func: &Expr, args: &[Expr], env: &Rc<Env>) -> Val {
        let call_excerpt = || excerpt(slice(&env.text, expr.start, expr.end), 200);
        if let E::Ref(name) = &func.e {
            if !self.is_bound(name, env) {
                let vals: Vec<Val> = args.iter().map(|a| self.eval(a, env)).collect();
                return self.builtin(name, vals, call_excerpt());
            }
        }
        let f = self.eval(func, env);
        let vals: Vec<Val> = args.iter().map(|a| self.eval(a, env)).collect();
        match f {
            Val::Func(fv) => {
                let inner = Rc::new(Env {
                    text: fv.env.text.clone(),
                    bindings: Vec::new(),
                    values: fv
                        .params
                        .iter()
                        .enumerate()
                        .map(|(i, p)| (p.clone(), vals.get(i).cloned().unwrap_or(Val::Null)))
                        .collect(),
                    cache: RefCell::new(HashMap::new()),
                    parent: Some(fv.env.clone()),
                });
                self.eval(&fv.body, &inner)
            }
            _ => union(&vals).unwrap_or(Val::Unknown(None)),
        }
    }

    fn builtin(&self, name: &str, vals: Vec<Val>, call_excerpt: String) -> Val {
        if name == "Value.NativeQuery" {
            let target = vals.first().cloned().unwrap_or(Val::Null);
            let nav = first_nav(&target);
            let connector = nav
                .as_ref()
                .map(|n| n.connector.clone())
                .unwrap_or_else(|| name.to_string());
            return Val::Tables(Rc::new(vec![Leaf::Native {
                connector,
                nav,
                sql: vals.get(1).cloned().unwrap_or(Val::Null),
                excerpt: call_excerpt,
            }]));
        }
        if name == "Odbc.Query" || name == "OleDb.Query" {
            return Val::Tables(Rc::new(vec![Leaf::Native {
                connector: name.to_string(),
                nav: None,
                sql: vals.get(1).cloned().unwrap_or(Val::Null),
                excerpt: call_excerpt,
            }]));
        }
        if is_warehouse(name) {
            let query = vals.iter().rev().find_map(|v| match v {
                Val::Record(fields) => fields
                    .iter()
                    .find(|(k, _)| k == "Query")
                    .map(|(_, q)| q.clone())
                    .filter(|q| !matches!(q, Val::Null)),
                _ => None,
            });
            let nav = Nav {
                connector: name.to_string(),
                args: vals,
                steps: Vec::new(),
                excerpt: call_excerpt.clone(),
            };
            let leaf = match query {
                Some(sql) => Leaf::Native {
                    connector: name.to_string(),
                    nav: Some(nav),
                    sql,
                    excerpt: call_excerpt,
                },
                None => Leaf::Nav(nav),
            };
            return Val::Tables(Rc::new(vec![leaf]));
        }
        let namespace = name.split('.').next().unwrap_or("");
        if name.starts_with('#') || LIBRARY.contains(&namespace) {
            return union(&vals).unwrap_or(Val::Unknown(None));
        }
        if name.contains('.') {
            // Another connector (Excel.Workbook, Web.Contents, SharePoint.Files, …).
            return union(&vals)
                .unwrap_or_else(|| Val::Tables(Rc::new(vec![Leaf::Other(name.to_string())])));
        }
        Val::Unknown(Some(format!(
            "`{name}` is not defined in this model (a function or query that is missing from the files given)"
        )))
    }
}

fn slice(text: &str, start: usize, end: usize) -> &str {
    text.get(start..end.max(start)).unwrap_or("")
}

/// The table leaves among values (lists flattened), as one value, or `None` when there are none.
fn union(vals: &[Val]) -> Option<Val> {
    let mut leaves = Vec::new();
    for v in vals {
        collect_leaves(v, &mut leaves, 0);
    }
    (!leaves.is_empty()).then(|| Val::Tables(Rc::new(leaves)))
}

fn collect_leaves(v: &Val, out: &mut Vec<Leaf>, depth: usize) {
    if depth > 32 || out.len() > 10_000 {
        return;
    }
    match v {
        Val::Tables(l) => out.extend(l.iter().cloned()),
        Val::List(items) => {
            for i in items.iter() {
                collect_leaves(i, out, depth + 1);
            }
        }
        _ => {}
    }
}

fn first_nav(v: &Val) -> Option<Nav> {
    let mut leaves = Vec::new();
    collect_leaves(v, &mut leaves, 0);
    leaves.into_iter().find_map(|l| match l {
        Leaf::Nav(n) => Some(n),
        _ => None,
    })
}

// ---------------------------------------------------------------------------------------------
// Leaves → sources

/// A name as navigation gives it: known text, or why not.
#[derive(Debug, Clone)]
enum Name {
    Known(String),
    Unknown(String),
}

impl Name {
    fn of(v: &Val, what: &str) -> Name {
        match v {
            Val::Text(s) => Name::Known(s.clone()),
            Val::Partial(_, why) => Name::Unknown(why.clone()),
            Val::Unknown(Some(why)) => Name::Unknown(why.clone()),
            _ => Name::Unknown(format!("the {what} name is not a literal")),
        }
    }
    fn show(n: &Option<Name>) -> String {
        match n {
            Some(Name::Known(s)) => s.clone(),
            _ => "?".into(),
        }
    }
}

#[derive(Debug, Default)]
struct Path {
    server: Option<Name>,
    database: Option<Name>,
    schema: Option<Name>,
    identifier: Option<Name>,
}

#[derive(Clone, Copy, PartialEq)]
enum Level {
    Database,
    Schema,
    Table,
    NotWarehouse,
}

fn level_of_kind(kind: &str) -> Option<Level> {
    match kind.to_ascii_lowercase().as_str() {
        "database" | "catalog" | "project" => Some(Level::Database),
        "schema" | "dataset" => Some(Level::Schema),
        "table" | "view" | "function" | "materializedview" | "materialized view"
        | "dynamictable" | "dynamic table" | "externaltable" | "cube" => Some(Level::Table),
        "sheet" | "definedname" | "folder" | "file" => Some(Level::NotWarehouse),
        _ => None,
    }
}

fn record_field<'v>(fields: &'v [(String, Val)], names: &[&str]) -> Option<&'v Val> {
    names.iter().find_map(|n| {
        fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v)
    })
}

/// Walks a navigation: connector arguments, then each `{[...]}` step. Names without a `Kind`
/// fill the missing levels from the table upwards for a table (`{[Name="s"]}{[Name="t"]}` on
/// Redshift is schema and table), but from the database down for the target of a native query
/// (`Snowflake.Databases(…){[Name="SHOP"]}` is a database).
fn nav_path(nav: &Nav, top_down: bool) -> Path {
    let mut path = Path::default();
    let arg = |i: usize| nav.args.get(i);
    let c = nav.connector.as_str();
    path.server = arg(0)
        .filter(|v| !matches!(v, Val::Record(_)))
        .map(|v| Name::of(v, "server"));
    // The database some connectors take as their second argument.
    let db_arg =
        matches!(
            c,
            "Sql.Database" | "PostgreSQL.Database" | "AmazonRedshift.Database" | "MySQL.Database"
        ) || (c.ends_with(".Database") && !c.starts_with("GoogleBigQuery") && nav.args.len() >= 2);
    if db_arg {
        if let Some(v) = arg(1).filter(|v| !matches!(v, Val::Record(_) | Val::Null)) {
            path.database = Some(Name::of(v, "database"));
        }
    }
    if c.starts_with("GoogleBigQuery") {
        path.server = None;
    }
    // Databricks' `[Catalog="main"]` option names the catalog.
    let catalog_option = nav.args.iter().find_map(|v| match v {
        Val::Record(f) => record_field(f, &["Catalog"])
            .filter(|v| matches!(v, Val::Text(_)))
            .cloned(),
        _ => None,
    });
    let mut positional: Vec<Name> = Vec::new();
    let mut explicit_db: Option<Name> = None;
    for step in &nav.steps {
        let Val::Record(fields) = step else {
            positional.push(Name::Unknown(
                "a navigation step picks by position, not by name".into(),
            ));
            continue;
        };
        let kind = record_field(fields, &["Kind", "ItemKind"]).and_then(|k| match k {
            Val::Text(s) => level_of_kind(s),
            _ => None,
        });
        let schema = record_field(fields, &["Schema"]);
        let item = record_field(fields, &["Item"]);
        let name = record_field(fields, &["Name", "Id"]);
        if let Some(s) = schema {
            path.schema = Some(Name::of(s, "schema"));
            if let Some(i) = item.or(name) {
                path.identifier = Some(Name::of(i, "table"));
            }
            continue;
        }
        let Some(v) = name.or(item) else {
            // `{[workspaceId=…]}`, `{[lakehouseId=…]}`: containers that are not part of the name.
            continue;
        };
        let n = Name::of(v, "navigation");
        match kind {
            Some(Level::Database) => explicit_db = Some(n),
            Some(Level::Schema) => path.schema = Some(n),
            Some(Level::Table) => path.identifier = Some(n),
            Some(Level::NotWarehouse) => return Path::default(),
            None => positional.push(n),
        }
    }
    // Names without a kind fill the missing levels from the table upwards.
    let mut slots: Vec<&mut Option<Name>> = Vec::new();
    if explicit_db.is_none() && path.database.is_none() {
        slots.push(&mut path.database);
    }
    if path.schema.is_none() {
        slots.push(&mut path.schema);
    }
    if path.identifier.is_none() {
        slots.push(&mut path.identifier);
    }
    if top_down {
        for (slot, n) in slots.into_iter().zip(positional) {
            *slot = Some(n);
        }
    } else {
        for (slot, n) in slots.into_iter().rev().zip(positional.into_iter().rev()) {
            *slot = Some(n);
        }
    }
    if let Some(db) = explicit_db {
        path.database = Some(db);
    }
    if path.database.is_none() {
        path.database = catalog_option.map(|v| Name::of(&v, "catalog"));
    }
    path
}

fn known(n: &Option<Name>) -> Option<String> {
    match n {
        Some(Name::Known(s)) => Some(s.clone()),
        _ => None,
    }
}

fn unknown_reason(parts: &[&Option<Name>]) -> Option<String> {
    parts.iter().find_map(|p| match p {
        Some(Name::Unknown(why)) => Some(why.clone()),
        _ => None,
    })
}

fn resolve_leaf(leaf: &Leaf, out: &mut Extracted) {
    match leaf {
        Leaf::Other(c) => out.other_sources.push(c.clone()),
        Leaf::Nav(nav) => {
            let path = nav_path(nav, false);
            let relation = format!(
                "{}.{}.{}",
                Name::show(&path.database),
                Name::show(&path.schema),
                Name::show(&path.identifier)
            );
            if let Some(why) = unknown_reason(&[&path.database, &path.schema, &path.identifier]) {
                out.unresolved.push(Unresolved {
                    connector: Some(nav.connector.clone()),
                    relation: Some(relation),
                    reason: why,
                    expression_excerpt: nav.excerpt.clone(),
                });
                return;
            }
            match known(&path.identifier) {
                Some(identifier) => out.sources.push(SourceRef {
                    connector: nav.connector.clone(),
                    server: known(&path.server),
                    database: known(&path.database),
                    schema: known(&path.schema),
                    identifier,
                    native_query: false,
                    expression_excerpt: nav.excerpt.clone(),
                }),
                None if nav.steps.is_empty()
                    && path.database.is_none()
                    && path.schema.is_none() =>
                {
                    out.unresolved.push(Unresolved {
                        connector: Some(nav.connector.clone()),
                        relation: None,
                        reason: format!(
                            "`{}` connects but the expression names no table",
                            nav.connector
                        ),
                        expression_excerpt: nav.excerpt.clone(),
                    })
                }
                None => out.unresolved.push(Unresolved {
                    connector: Some(nav.connector.clone()),
                    relation: Some(relation),
                    reason:
                        "the navigation stops above table level (a database or schema, not a table)"
                            .into(),
                    expression_excerpt: nav.excerpt.clone(),
                }),
            }
        }
        Leaf::Native {
            connector,
            nav,
            sql,
            excerpt: ex,
        } => {
            let path = nav.as_ref().map(|n| nav_path(n, true)).unwrap_or_default();
            let (text, why) = match sql {
                Val::Text(s) => (s.clone(), None),
                Val::Partial(s, w) => (s.clone(), Some(w.clone())),
                Val::Unknown(Some(w)) => {
                    out.unresolved.push(Unresolved {
                        connector: Some(connector.clone()),
                        relation: None,
                        reason: format!("the native query's text is not known: {w}"),
                        expression_excerpt: ex.clone(),
                    });
                    return;
                }
                _ => {
                    out.unresolved.push(Unresolved {
                        connector: Some(connector.clone()),
                        relation: None,
                        reason: "the native query's text is not a literal".into(),
                        expression_excerpt: ex.clone(),
                    });
                    return;
                }
            };
            let tables = sql::tables(&text);
            if tables.is_empty() {
                out.unresolved.push(Unresolved {
                    connector: Some(connector.clone()),
                    relation: None,
                    reason: match &why {
                        Some(w) => format!(
                            "the native query names no table that is known before refresh: {w}"
                        ),
                        None => "the native query names no table".into(),
                    },
                    expression_excerpt: ex.clone(),
                });
            }
            for t in tables {
                let parts = t.parts;
                let n = parts.len();
                let identifier = parts[n - 1].clone();
                let schema = (n >= 2).then(|| parts[n - 2].clone());
                let database = (n >= 3).then(|| parts[n - 3].clone());
                let schema = schema.or_else(|| known(&path.schema));
                let database =
                    database.or_else(|| if n <= 2 { known(&path.database) } else { None });
                let all = [
                    database.as_deref(),
                    schema.as_deref(),
                    Some(identifier.as_str()),
                ];
                if all.iter().flatten().any(|p| p.contains(HOLE)) {
                    out.unresolved.push(Unresolved {
                        connector: Some(connector.clone()),
                        relation: Some(
                            all.iter()
                                .flatten()
                                .map(|p| p.replace(HOLE, "?"))
                                .collect::<Vec<_>>()
                                .join("."),
                        ),
                        reason: why
                            .clone()
                            .unwrap_or_else(|| "the table name is built at refresh time".into()),
                        expression_excerpt: ex.clone(),
                    });
                    continue;
                }
                out.sources.push(SourceRef {
                    connector: connector.clone(),
                    server: known(&path.server),
                    database,
                    schema,
                    identifier,
                    native_query: true,
                    expression_excerpt: ex.clone(),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(e: &Extracted) -> Vec<String> {
        e.sources.iter().map(|s| s.relation()).collect()
    }

    #[track_caller]
    fn check(m: &str, expected: &[&str]) {
        let e = extract_sources(m, &[]);
        assert_eq!(rel(&e), expected, "{e:#?}");
    }

    #[test]
    fn snowflake_inline_navigation() {
        check(
            r#"Snowflake.Databases("acct.snowflakecomputing.com","WH"){[Name="DB",Kind="Database"]}[Data]{[Name="S",Kind="Schema"]}[Data]{[Name="T",Kind="Table"]}[Data]"#,
            &["DB.S.T"],
        );
    }

    #[test]
    fn sql_database_schema_item() {
        check(
            "let\n    Source = Sql.Database(\"srv\", \"db\"),\n    t = Source{[Schema=\"dbo\",Item=\"T\"]}[Data],\n    #\"Renamed\" = Table.RenameColumns(t, {{\"a\", \"b\"}})\nin\n    #\"Renamed\"",
            &["db.dbo.T"],
        );
    }

    #[test]
    fn escapes_and_native_query() {
        check(
            r#"Value.NativeQuery(Sql.Database("s", "db"), "select *#(lf)from dbo.a#(lf)join ""x"".b on 1=1", null, [EnableFolding=true])"#,
            &["db.dbo.a", "db.x.b"],
        );
    }

    #[test]
    fn unknown_parameter_is_kept_with_a_reason() {
        let e = extract_sources(
            r#"Snowflake.Databases(S, W){[Name=Database]}[Data]{[Name="S"]}[Data]{[Name="T"]}[Data]"#,
            &[],
        );
        assert!(e.sources.is_empty());
        assert_eq!(e.unresolved.len(), 1);
        assert!(
            e.unresolved[0].reason.contains("`Database` is not defined"),
            "{e:?}"
        );
        assert_eq!(e.unresolved[0].relation.as_deref(), Some("?.S.T"));
    }

    #[test]
    fn garbage_never_panics() {
        for m in [
            "",
            "let",
            "let in",
            "(((((",
            "{[",
            "#\"",
            "\"",
            "a{b}[c](d)",
            "let a = a in a",
            "(x) => x",
            "each",
            "if then else",
            "try otherwise",
            "#(",
            "[a=]",
            "]]]}}})))",
            "let f = (x) => f(x) in f(1)",
            "Sql.Database(",
            "x meta",
            "Value.NativeQuery(",
        ] {
            let _ = extract_sources(m, &[]);
        }
        let deep = "(".repeat(10_000) + &")".repeat(10_000);
        let _ = extract_sources(&deep, &[]);
        let deep_list = "{".repeat(10_000);
        let _ = extract_sources(&deep_list, &[]);
    }
}
