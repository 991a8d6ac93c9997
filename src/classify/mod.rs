//! Failure classification: a message (and what is known of the node that printed it) → one of the
//! contract's categories, with the evidence the message names. One category a file; this module
//! holds the ordered matcher table that decides between them. Total: any text gets a category
//! (`other` at worst) and the raw message is never altered.

mod codes;
mod compilation;
mod connection;
mod contract;
mod data;
mod dependency;
mod fix;
mod fix_fusion;
mod freshness;
mod fusion_codes;
mod keywords;
mod missing_column;
mod missing_relation;
mod other;
mod permission;
mod resource;
mod schema_drift;
mod second_look;
mod sql_dialect;
mod sql_error;
mod stack;
mod test_failure;

use crate::prefix;
use std::sync::OnceLock;

use regex_lite::{Captures, Regex};
use serde::{Deserialize, Serialize};

pub use crate::adapter::Adapter;
use codes::{Code, Means};

pub use fix::{batch_window, fixes, FixContext, FixStep};

/// The contract's failure categories. The serialized names are stable identifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Permission,
    SqlDialect,
    MissingRelation,
    MissingColumn,
    SchemaDrift,
    Contract,
    TestFailure,
    Data,
    SqlError,
    Connection,
    Compilation,
    Dependency,
    Resource,
    /// A source's newest data is older than its freshness threshold (`dbt source freshness`).
    Freshness,
    Other,
}

impl Category {
    pub const ALL: [Category; 15] = [
        Category::Permission,
        Category::SqlDialect,
        Category::MissingRelation,
        Category::MissingColumn,
        Category::SchemaDrift,
        Category::Contract,
        Category::TestFailure,
        Category::Data,
        Category::SqlError,
        Category::Connection,
        Category::Compilation,
        Category::Dependency,
        Category::Resource,
        Category::Freshness,
        Category::Other,
    ];

    /// The stable identifier, as in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Permission => "permission",
            Category::SqlDialect => "sql_dialect",
            Category::MissingRelation => "missing_relation",
            Category::MissingColumn => "missing_column",
            Category::SchemaDrift => "schema_drift",
            Category::Contract => "contract",
            Category::TestFailure => "test_failure",
            Category::Data => "data",
            Category::SqlError => "sql_error",
            Category::Connection => "connection",
            Category::Compilation => "compilation",
            Category::Dependency => "dependency",
            Category::Resource => "resource",
            Category::Freshness => "freshness",
            Category::Other => "other",
        }
    }

    /// A short human name, e.g. "Missing column".
    pub fn label(self) -> &'static str {
        match self {
            Category::Permission => "Permission",
            Category::SqlDialect => "SQL dialect",
            Category::MissingRelation => "Missing relation",
            Category::MissingColumn => "Missing column",
            Category::SchemaDrift => "Incremental schema drift",
            Category::Contract => "Contract",
            Category::TestFailure => "Test failure",
            Category::Data => "Data error",
            Category::SqlError => "SQL error",
            Category::Connection => "Connection / profile",
            Category::Compilation => "Compilation",
            Category::Dependency => "Dependency",
            Category::Resource => "Resource limit",
            Category::Freshness => "Source freshness",
            Category::Other => "Other",
        }
    }
}

/// `3 days 4 hours`, `5 hours 2 minutes`, `40 seconds`: an age as people say it.
pub fn age_text(seconds: u64) -> String {
    let unit = |n: u64, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let (d, h, m) = (
        seconds / 86_400,
        seconds % 86_400 / 3_600,
        seconds % 3_600 / 60,
    );
    match (d, h, m) {
        (0, 0, 0) => unit(seconds, "second"),
        (0, 0, m) => unit(m, "minute"),
        (0, h, 0) => unit(h, "hour"),
        (0, h, m) => format!("{} {}", unit(h, "hour"), unit(m, "minute")),
        (d, 0, _) => unit(d, "day"),
        (d, h, _) => format!("{} {}", unit(d, "day"), unit(h, "hour")),
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a message names. Every key optional; values are as the message writes them, unquoted.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Evidence {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub function: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub privilege: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env_var: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<u32>,
    /// The error code the message carries, as written: a warehouse's own (`002003`,
    /// `ORA-00942`, `TABLE_OR_VIEW_NOT_FOUND`, `Code: 47`), else a SQLSTATE, else dbt Fusion's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Freshness: the newest `loaded_at_field` value dbt found, as it wrote it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_loaded_at: Option<String>,
    /// Freshness: how old that row was when dbt looked, in whole seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age_s: Option<u64>,
    /// Freshness: the threshold the source broke, as sources.yml spells it (`error_after 48 hour`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<String>,
}

impl Evidence {
    pub fn is_empty(&self) -> bool {
        *self == Evidence::default()
    }

    /// What the evidence names, as (label, value) for people, in the order they read best.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut v: Vec<(&'static str, String)> = [
            ("column", &self.column),
            ("object", &self.object),
            ("relation", &self.relation),
            ("function", &self.function),
            ("privilege", &self.privilege),
            ("role", &self.role),
            ("user", &self.user),
            ("env var", &self.env_var),
            ("profile", &self.profile),
            ("target", &self.target),
            ("newest row", &self.max_loaded_at),
            ("threshold", &self.threshold),
        ]
        .into_iter()
        .filter_map(|(k, val)| Some((k, val.clone()?)))
        .collect();
        if let Some(age) = self.age_s {
            v.push(("age", age_text(age)));
        }
        if let Some(l) = self.line {
            v.push(("line (as the warehouse counts)", l.to_string()));
        }
        v
    }
}

/// What is known about the node whose message is classified. All optional.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// The adapter from the manifest or the log.
    pub adapter: Option<&'a Adapter>,
    pub resource_type: Option<&'a str>,
    /// dbt's status for the node (`fail` for a failed test).
    pub status: Option<&'a str>,
    pub materialized: Option<&'a str>,
    pub on_schema_change: Option<&'a str>,
    pub contract_enforced: bool,
    /// The compiled SQL, when known: decides between readings (e.g. `dateadd(day, …)` on Postgres).
    pub compiled_code: Option<&'a str>,
}

/// The verdict on one message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Classification {
    pub category: Category,
    pub evidence: Evidence,
    /// The part of the message that chose the category.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    /// dbt's wrapper (`Database Error`, `Runtime Error`, `Compilation Error`, …), when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_type: Option<String>,
    /// The adapter the message's shape points to, when the context did not say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adapter: Option<Adapter>,
}

/// One entry of a category's matcher list: a regex (case-insensitive) whose named groups are
/// evidence keys, optionally only for some adapters or some contexts.
pub(crate) struct Rule {
    pub pattern: &'static str,
    /// Adapters the rule applies to (with their families: see [`Adapter::is_covered_by`]);
    /// empty for any. A message whose adapter is unknown matches all.
    pub adapters: &'static [Adapter],
    pub when: Option<fn(&Context<'_>, &str) -> bool>,
}

impl Rule {
    pub const fn any(pattern: &'static str) -> Rule {
        Rule {
            pattern,
            adapters: &[],
            when: None,
        }
    }

    pub const fn on(adapters: &'static [Adapter], pattern: &'static str) -> Rule {
        Rule {
            pattern,
            adapters,
            when: None,
        }
    }

    pub const fn when(pattern: &'static str, when: fn(&Context<'_>, &str) -> bool) -> Rule {
        Rule {
            pattern,
            adapters: &[],
            when: Some(when),
        }
    }
}

/// The ordered matcher table: the first rule that matches decides. Order encodes precedence:
/// dbt's own verdicts (test, contract, drift) before warehouse text they wrap; connection and
/// dependency before the generic wrappers; Snowflake's ambiguous "does not exist or not authorized"
/// before plain permission wording; specific SQL failures before generic syntax errors; the
/// generic "Compilation Error" wrapper last.
fn table() -> [(Category, &'static [Rule]); 22] {
    [
        (Category::Freshness, freshness::RULES),
        (Category::TestFailure, test_failure::RULES),
        (Category::Contract, contract::RULES),
        (Category::SchemaDrift, schema_drift::RULES),
        (Category::Dependency, dependency::EARLY),
        (Category::Other, other::EARLY),
        (Category::Permission, permission::EARLY),
        (Category::Resource, resource::FIRST),
        (Category::Connection, connection::RULES),
        (Category::Dependency, dependency::RULES),
        (Category::Resource, resource::EARLY),
        (Category::MissingRelation, missing_relation::AMBIGUOUS),
        (Category::Permission, permission::RULES),
        (Category::SqlDialect, sql_dialect::RULES),
        (Category::MissingColumn, missing_column::RULES),
        (Category::MissingRelation, missing_relation::RULES),
        (Category::Data, data::RULES),
        (Category::Resource, resource::RULES),
        (Category::SqlDialect, sql_dialect::SYNTAX),
        (Category::Other, other::RULES),
        (Category::SqlError, sql_error::RULES),
        (Category::Compilation, compilation::RULES),
    ]
}

struct Compiled {
    category: Category,
    regex: Regex,
    rule: &'static Rule,
}

/// Compiles the classifier's patterns now rather than on the first message (they are compiled
/// once per process). The web worker calls it before it says it is ready, while the user is
/// still choosing files: in wasm it is a noticeable part of a small project's analysis.
pub fn warm_up() {
    let _ = compiled();
    let _ = detect_adapter("");
    let _ = line_position("");
}

fn compiled() -> &'static [Compiled] {
    static RULES: OnceLock<Vec<Compiled>> = OnceLock::new();
    RULES.get_or_init(|| {
        table()
            .into_iter()
            .flat_map(|(category, rules)| {
                rules.iter().filter_map(move |rule| {
                    // A pattern that does not compile is a bug caught by the tests; never a panic here.
                    let regex = Regex::new(&format!("(?i){}", rule.pattern)).ok()?;
                    Some(Compiled {
                        category,
                        regex,
                        rule,
                    })
                })
            })
            .collect()
    })
}

/// Patterns in the table that do not compile (for the test suite).
pub fn broken_patterns() -> Vec<&'static str> {
    table()
        .into_iter()
        .flat_map(|(_, rules)| rules.iter())
        .filter(|r| Regex::new(&format!("(?i){}", r.pattern)).is_err())
        .map(|r| r.pattern)
        .collect()
}

/// How much of a message the matchers read. What decides a category is at its start; a message
/// can hold megabytes (a statement echoed back), and matching is linear in what it reads.
pub const MATCHED_PREFIX: usize = 16 * 1024;

/// Classifies one message, in layers, each more specific than the next:
///
/// 1. dbt's own structure: a test that ran and returned rows, dbt's own verdicts (contracts,
///    incremental schema changes), and dbt Fusion's error codes that decide on their own;
/// 2. the warehouse's error codes ([`codes`]), which decide or narrow the choice;
/// 3. the phrases of each category's rules, within what the codes and dbt's error type allow;
/// 4. what the code, or else dbt's error type, means on its own; `other` only when nothing spoke.
///
/// Total, and bounded in time by [`MATCHED_PREFIX`].
pub fn classify(message: &str, ctx: &Context<'_>) -> Classification {
    let message = prefix(message, MATCHED_PREFIX);
    let ctx = &Context {
        compiled_code: ctx.compiled_code.map(|c| prefix(c, 4 * MATCHED_PREFIX)),
        ..*ctx
    };
    let detected = detect_adapter(message);
    let adapter = ctx.adapter.cloned().or_else(|| detected.clone());
    let error_type = error_type(message);
    let found_codes = codes::read(message);
    let code = codes::deciding(&found_codes);
    let allowed = Allowed::new(code, error_type.as_deref(), &found_codes, message);
    let found = phrase(message, ctx, adapter.as_ref(), &allowed);
    let (category, mut evidence, decided_by) = match found {
        Some((cat, ev, quote)) => {
            let quote = quote.trim();
            let quote = (!quote.is_empty()).then(|| quote.to_string());
            (cat, ev, quote)
        }
        None => match allowed.fallback(code, error_type.as_deref(), message) {
            Some((cat, quote)) => (cat, Evidence::default(), Some(quote)),
            None => (Category::Other, Evidence::default(), None),
        },
    };
    // The most specific code the message carries, whether or not it decided.
    evidence.code = found_codes.first().map(|c| c.text.clone());
    let mut verdict = second_look::Verdict {
        category,
        evidence,
        decided_by,
    };
    second_look::apply(&mut verdict, message, ctx, adapter.as_ref(), &found_codes);
    let second_look::Verdict {
        category,
        mut evidence,
        decided_by,
    } = verdict;
    // The relation or object a message names is both: fill the other key.
    if matches!(category, Category::MissingRelation | Category::Permission)
        && evidence.object.is_none()
    {
        evidence.object.clone_from(&evidence.relation);
    }
    let (line, position) = line_position(message);
    evidence.line = evidence.line.or(line);
    evidence.position = evidence.position.or(position);
    let detected_adapter = if ctx.adapter.is_none() {
        detected
    } else {
        None
    };
    Classification {
        category,
        evidence,
        decided_by,
        error_type,
        adapter: detected_adapter,
    }
}

/// The categories dbt itself decides (a failed test, a contract, an incremental model's
/// schema check): their rules read dbt's own words or the node's structure, and no warehouse code
/// overrules them.
fn is_dbt_verdict(c: Category) -> bool {
    matches!(
        c,
        Category::TestFailure | Category::Contract | Category::SchemaDrift | Category::Freshness
    )
}

/// Categories that only the warehouse reports: under dbt's `Compilation Error` or `Parsing
/// Error` (no SQL ran) their phrases need a warehouse's code or error beside them.
fn is_warehouse_runtime(c: Category) -> bool {
    matches!(
        c,
        Category::SqlError
            | Category::Data
            | Category::SqlDialect
            | Category::Resource
            | Category::MissingColumn
    )
}

/// What the codes and dbt's error type leave open for the phrases to decide.
struct Allowed {
    /// The deciding code's meaning, if a code was found.
    means: Option<Means>,
    /// No SQL ran (dbt's `Compilation Error`/`Parsing Error`, no warehouse code or error inside).
    before_sql: bool,
}

impl Allowed {
    fn new(code: Option<&Code>, error_type: Option<&str>, found: &[Code], message: &str) -> Self {
        let warehouse_spoke = found
            .iter()
            .any(|c| c.scheme != codes::Scheme::Fusion && c.means != Means::Nothing)
            || message.contains("Database Error");
        let before_sql =
            matches!(error_type, Some("Compilation Error" | "Parsing Error")) && !warehouse_spoke;
        Allowed {
            means: code.map(|c| c.means),
            before_sql,
        }
    }

    fn permits(&self, category: Category) -> bool {
        if is_dbt_verdict(category) {
            return true;
        }
        if self.before_sql && is_warehouse_runtime(category) {
            return false;
        }
        self.means.is_none_or(|m| m.allows(category))
    }

    /// The category when no phrase matched: the code's own reading, else dbt's error type.
    fn fallback(
        &self,
        code: Option<&Code>,
        error_type: Option<&str>,
        message: &str,
    ) -> Option<(Category, String)> {
        // "An internal error" is the weakest reading: dbt's error type and the words come first.
        // (A dbt Fusion code that says "internal" is Fusion's own verdict and stands.)
        let internal = code.filter(|c| {
            c.scheme != codes::Scheme::Fusion && c.means.default_category() == Some(Category::Other)
        });
        if let Some(code) = code.filter(|_| internal.is_none()) {
            // A code of several readings (`42000`, DuckDB's `Invalid Input Error`): the words
            // choose among them before the first is taken.
            if let Means::OneOf(readings) = code.means {
                if let Some((c, words)) =
                    keywords::vote(message).filter(|(c, _)| readings.contains(c))
                {
                    return Some((c, format!("{}, {words}", code.text)));
                }
            }
            if let Some(c) = code.means.default_category() {
                return Some((c, code.text.clone()));
            }
            if let Some(c) = codes::fusion_range(code) {
                return Some((c, code.text.clone()));
            }
        }
        let by_type = match error_type {
            Some("Compilation Error" | "Parsing Error" | "Validation Error") => {
                Some(Category::Compilation)
            }
            Some("Dependency Error") => Some(Category::Dependency),
            Some("Env Var Error") => Some(Category::Connection),
            Some("Contract Error") => Some(Category::Contract),
            _ => None,
        };
        if let (Some(c), Some(t)) = (by_type, error_type) {
            return Some((c, t.to_string()));
        }
        if let Some((c, words)) = keywords::vote(message).filter(|(c, _)| self.permits(*c)) {
            return Some((c, words));
        }
        if let Some(code) = code {
            if let Some(c) = codes::fusion_weak_range(code) {
                return Some((c, code.text.clone()));
            }
        }
        // The warehouse refused the statement, and said nothing more we can read.
        if error_type == Some("Database Error") {
            return Some((Category::SqlError, "Database Error".into()));
        }
        internal.map(|code| (Category::Other, code.text.clone()))
    }
}

/// The first rule of the table that matches, among the categories allowed: its category, the
/// evidence its named groups captured and the text it matched.
fn phrase(
    message: &str,
    ctx: &Context<'_>,
    adapter: Option<&Adapter>,
    allowed: &Allowed,
) -> Option<(Category, Evidence, String)> {
    for c in compiled() {
        if !allowed.permits(c.category) {
            continue;
        }
        if let Some(a) = adapter {
            if !c.rule.adapters.is_empty() && !c.rule.adapters.iter().any(|l| a.is_covered_by(l)) {
                continue;
            }
        }
        if let Some(when) = c.rule.when {
            if !when(ctx, message) {
                continue;
            }
        }
        if let Some(caps) = c.regex.captures(message) {
            return Some((
                c.category,
                evidence_from(&c.regex, &caps),
                caps[0].to_string(),
            ));
        }
    }
    None
}

/// The first error code in the message that names a category in this classifier's tables, as
/// written (codes that only say "internal error" name none). A message with such a code is never
/// classified `other`.
pub fn known_code(message: &str) -> Option<String> {
    codes::read(prefix(message, MATCHED_PREFIX))
        .into_iter()
        .find(|c| {
            !matches!(
                c.means,
                Means::Nothing | Means::Is(Category::Other) | Means::Prefer(Category::Other)
            )
        })
        .map(|c| c.text)
}

/// Whether dbt's error type alone names a category (`Compilation Error` does; `Runtime Error`
/// and `Internal Error`, which dbt raises for anything, do not).
pub fn error_type_names_category(error_type: &str) -> bool {
    !matches!(error_type, "Runtime Error" | "Internal Error")
}

/// Whether the codes leave room for `category` (no code, or one that allows it).
pub(super) fn found_codes_allow(found: &[Code], category: Category) -> bool {
    codes::deciding(found).is_none_or(|c| c.means.allows(category))
}

fn evidence_from(re: &Regex, caps: &Captures<'_>) -> Evidence {
    let mut ev = Evidence::default();
    for name in re.capture_names().flatten() {
        let Some(m) = caps.name(name) else { continue };
        let value = clean_name(m.as_str());
        if value.is_empty() {
            continue;
        }
        // `object2`: the same slot in another branch of an alternation (a regex names a group once).
        let slot = match name.trim_end_matches(|c: char| c.is_ascii_digit()) {
            "object" => &mut ev.object,
            "relation" => &mut ev.relation,
            "column" => &mut ev.column,
            "function" => &mut ev.function,
            "privilege" => &mut ev.privilege,
            "role" => &mut ev.role,
            "user" => &mut ev.user,
            "env_var" => &mut ev.env_var,
            "profile" => &mut ev.profile,
            "target" => &mut ev.target,
            "line" => {
                ev.line = value.parse().ok();
                continue;
            }
            "position" => {
                ev.position = value.parse().ok();
                continue;
            }
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(value);
        }
    }
    ev
}

/// Strips the quotes warehouses put around names: `"a"."b"`, `` `a`.`b` ``, `[a].[b]`, `'a'`.
pub(crate) fn clean_name(s: &str) -> String {
    let s = s.trim().trim_end_matches(['.', ',', ';', ':']);
    s.chars()
        .filter(|c| !matches!(c, '"' | '`' | '[' | ']' | '\''))
        .collect::<String>()
        .trim()
        .to_string()
}

/// dbt's wrapper at the start of a message, e.g. `Database Error` in
/// `Database Error in model stg_orders (models/staging/stg_orders.sql)`.
pub fn error_type(message: &str) -> Option<String> {
    const WRAPPERS: [&str; 9] = [
        "Database Error",
        "Runtime Error",
        "Compilation Error",
        "Dependency Error",
        "Parsing Error",
        "Contract Error",
        "Internal Error",
        "Validation Error",
        "Env Var Error",
    ];
    let head = message.trim_start();
    for w in WRAPPERS {
        if head.starts_with(w) {
            return Some(w.to_string());
        }
    }
    // Messages from some versions put the wrapper on its own line after a summary.
    for line in message.lines().take(3) {
        let l = line.trim();
        if let Some(w) = WRAPPERS
            .iter()
            .find(|w| l == **w || l.starts_with(&format!("{w} in ")))
        {
            return Some(w.to_string());
        }
    }
    None
}

/// The adapter a message's shape points to.
pub fn detect_adapter(message: &str) -> Option<Adapter> {
    // What names the warehouse is at the start; a message can hold megabytes.
    let message = prefix(message, MATCHED_PREFIX);
    static SHAPES: OnceLock<Vec<(Adapter, Regex)>> = OnceLock::new();
    let shapes = SHAPES.get_or_init(|| {
        [
            (Adapter::ClickHouse, r"DB::Exception|\bCode: \d+\. |ClickHouse|clickhouse"),
            (Adapter::Oracle, r"\bORA-\d{5}\b|\bDPY-\d{4}\b|Oracle|oracledb"),
            (Adapter::MotherDuck, r"MotherDuck|motherduck|\bmd:"),
            (Adapter::Snowflake, r"SQL compilation error|\b\d{6} \([0-9A-Z]{5}\):|Snowflake|does not exist or not authorized"),
            (Adapter::BigQuery, r"BigQuery|Unrecognized name:|Not found: (?:Table|Dataset)|Access Denied: (?:Table|Dataset|Project)|bigquery\.|googleapis\.com|at \[\d+:\d+\]"),
            (Adapter::Athena, r"\bAthena\b|athena|HIVE_[A-Z_]+:|ICEBERG_[A-Z_]+:"),
            (Adapter::Databricks, r"\[[A-Z][A-Z_]{4,}(?:\.[A-Z_]+)?\]|AnalysisException|Databricks|SQLSTATE: [0-9A-Z]{5}"),
            (Adapter::Spark, r"org\.apache\.spark|pyspark|Spark SQL|Thrift"),
            (Adapter::DuckDb, r"\b(?:Binder|Catalog|Parser|Conversion|Constraint|Out of Range|Invalid Input|IO) Error:|DuckDB|duckdb"),
            (Adapter::Fabric, r"Microsoft Fabric|Fabric Data Warehouse|fabric\.microsoft\.com|datawarehouse\.fabric"),
            (Adapter::Synapse, r"Synapse|sql\.azuresynapse\.net"),
            (Adapter::SqlServer, r"Invalid (?:column|object) name '|SQL Server|pyodbc|\(Msg \d+\)|Incorrect syntax near|\[SQLSTATE \w+\]|ODBC Driver"),
            (Adapter::Trino, r"TrinoUserError|Trino|TrinoQueryError|io\.trino|Starburst"),
            (Adapter::Redshift, r"Redshift|redshift_connector|Invalid digit, Value"),
            (Adapter::Postgres, r"\bLINE \d+:|psycopg2?|HINT:|PostgreSQL|postgres"),
        ]
        .into_iter()
        .filter_map(|(a, p)| Regex::new(p).ok().map(|r| (a, r)))
        .collect()
    });
    shapes
        .iter()
        .find(|(_, re)| re.is_match(message))
        .map(|(a, _)| a.clone())
}

/// The line and position a warehouse names, as it counts them in the statement it ran.
pub fn line_position(message: &str) -> (Option<u32>, Option<u32>) {
    static SHAPES: OnceLock<Vec<Regex>> = OnceLock::new();
    let shapes = SHAPES.get_or_init(|| {
        [
            // Snowflake: `syntax error line 3 at position 12`, `error line 3 at position 12`.
            r"(?i)\bline (?P<line>\d+) at position (?P<position>\d+)",
            // BigQuery: `at [3:12]`.
            r"at \[(?P<line>\d+):(?P<position>\d+)\]",
            // Databricks/Spark: `(line 3, pos 12)`, `; line 3 pos 12`; Hive `line 5:26`.
            r"(?i)\bline (?P<line>\d+),? pos (?P<position>\d+)\b",
            // YAML: `line 5, column 12`.
            r"(?i)\bline (?P<line>\d+), column (?P<position>\d+)\b",
            // Trino: `line 3:12: `.
            r"(?i)\bline (?P<line>\d+):(?P<position>\d+)\b",
            // Postgres/Redshift/DuckDB: `LINE 3: …`.
            r"\bLINE (?P<line>\d+):",
            // SQL Server: `(Msg 207, Level 16, State 1, Line 3)` or `Line 3`.
            r"\bLine (?P<line>\d+)\b",
            // Postgres server logs and psql: `at character 68`, `Position: 343`.
            r"\bat character (?P<position>\d+)\b",
            r"\bPosition: (?P<position>\d+)\b",
            // dbt/Jinja/YAML: `near line 5`, `(searched from line 1)`, `line 14`.
            r"(?i)\b(?:near|from) line (?P<line>\d+)\b",
            r"(?m)^\s*line (?P<line>\d+)\s*$",
        ]
        .into_iter()
        .filter_map(|p| Regex::new(p).ok())
        .collect()
    });
    for re in shapes {
        if let Some(c) = re.captures(message) {
            let line = c.name("line").and_then(|m| m.as_str().parse().ok());
            let pos = c.name("position").and_then(|m| m.as_str().parse().ok());
            return (line, pos);
        }
    }
    (None, None)
}

/// A context test: the node is an incremental model (or the message talks about its target).
pub(crate) fn is_incremental(ctx: &Context<'_>, _message: &str) -> bool {
    ctx.materialized == Some("incremental")
}

#[cfg(test)]
mod tests {
    use super::{classify, Category, Context};

    // Real messages (tests/messages, round 5): sf-508 and pg-612. Their text alone reads as
    // `data` and `missing_column`; the node's context decides.
    const TOO_LONG: &str = "Database Error in model foo (models/foo.sql)\n  100078 (22000): DML operation to table DB.SCH.FOO failed on column C1 with error: String 'aa' is too long and would be truncated";
    const SEED_COLUMN: &str = "Database Error in seed city_region (seeds/city_region.csv)\n  column \"regin\" of relation \"city_region\" does not exist";

    #[test]
    fn a_value_too_wide_for_an_enforced_contract_is_the_contract() {
        let plain = classify(TOO_LONG, &Context::default());
        assert_eq!(plain.category, Category::Data);
        let contracted = classify(
            TOO_LONG,
            &Context {
                contract_enforced: true,
                ..Context::default()
            },
        );
        assert_eq!(contracted.category, Category::Contract);
        assert!(contracted.decided_by.unwrap().contains("contract"));
    }

    #[test]
    fn a_seed_missing_a_column_is_its_table_out_of_date() {
        let got = classify(SEED_COLUMN, &Context::default());
        assert_eq!(got.category, Category::SchemaDrift);
        assert_eq!(got.evidence.column.as_deref(), Some("regin"));
        // The same words about a model are a missing column.
        let model = SEED_COLUMN.replace("in seed city_region", "in model city_region");
        assert_eq!(
            classify(&model, &Context::default()).category,
            Category::MissingColumn
        );
    }

    #[test]
    fn a_function_that_lists_its_signatures_exists_here() {
        // tests/messages trino-202 and bq-430: the warehouse has the function, the arguments
        // are of the wrong type.
        let trino = "TrinoUserError(type=USER_ERROR, name=FUNCTION_NOT_FOUND, message=\"line 2:124: Unexpected parameters (date) for function is_nan. Expected: is_nan(double), is_nan(real)\")";
        let got = classify(trino, &Context::default());
        assert_eq!(got.category, Category::SqlError);
        assert!(got.decided_by.unwrap().contains("is_nan"));
        let bigquery = "No matching signature for function JSON_EXTRACT_SCALAR for argument types: ARRAY<STRING>, STRING. Supported signature: JSON_EXTRACT_SCALAR(STRING, [STRING]) at [16:5]";
        assert_eq!(
            classify(bigquery, &Context::default()).category,
            Category::SqlError
        );
        // A date function's signatures are what warehouses differ on: still the dialect.
        let date = bigquery.replace("JSON_EXTRACT_SCALAR", "DATE_ADD");
        assert_eq!(
            classify(&date, &Context::default()).category,
            Category::SqlDialect
        );
    }
}
