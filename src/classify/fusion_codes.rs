//! dbt Fusion's error codes (`dbtNNNN`) → the contract's categories. Our own table, written from
//! the facts of the public dbt-fusion repository's error-code list, `crates/dbt-error/src/codes.rs`
//! with `crates/dbt-frontend-common/src/error/codes.rs` folded into it (github.com/dbt-labs/
//! dbt-fusion at commit 39a38d8c0363055749bb7f4c2ff6c1b5b01e0705 of 2026-05-17, Fusion
//! 2.0.0-preview.176; read 2026-12-01). Below 1000 static analysis of SQL, above it
//! parse/render/project/runtime errors. A code this table does not hold falls back on its range
//! (see `range_category`).
//!
//! Fusion prints a code as four digits: `dbt0209`, `dbt1501`. Older releases wrote
//! `error: dbt0209: …`; since mid-May 2026 the line reads `[error] [FunctionResolutionFailed
//! (dbt0209)]: …`. The analyser's own internal codes 900–907 reach the CLI as 9900–9907.
//!
//! The ranges, as that list lays them out:
//! - 101–199 SQL parsing and lint rules; 201–257 name and type resolution; 301–319 building the
//!   logical plan; 401–440 coarse-grained expression checks; 801–802 analyser limits; 892–894
//!   legacy errors.
//! - 1000–1099 general CLI errors (I/O, config, parsing, refs), including codes that mirror
//!   dbt-core warning events (1072–1099); 1100–1149 CLI flags, profile and env vars; 1150–1199
//!   project, manifest and packages; 1200–1249 network; 1250–1279 auth and credentials; 1300–1399
//!   the adapter and warehouse (1300–1308 follow the SQLSTATE class); 1400–1449 execution;
//!   1450–1460 serialisation; 1500–1599 Jinja; 1600–1699 node selection; 1700–1799 CLI option
//!   notices; 2000–2999 local execution; 3000–3499 SQL logic tests; 3500 lineage; 8995–8999
//!   catch-alls.
//! - 9000–9899 internal errors (bugs); 9900–9999 the analyser's internal errors.
//!
//! The categories are our judgement of what each code means. Where the code is a wrapper whose
//! text decides (a Jinja render failure carrying a warehouse error, SQLSTATE class 42, a driver
//! error), the entry says `None`. Numbers have been stable so far, names less so (renamed on
//! 2026-05-14, e.g. `DbSyntaxError` → `DbSyntaxInvalid`); 1074 is retired and 1154 meant an
//! unpinned-package warning before it meant a git failure.

use super::Category;

/// One known code: its number, a short description in our words, and the category it means.
pub(crate) struct FusionCode {
    pub code: u16,
    pub what: &'static str,
    /// `None` when the code alone does not decide (a generic wrapper such as an adapter error whose
    /// text must be read); the classifier then reads the text.
    pub category: Option<Category>,
}

/// The code as Fusion prints it, with our gloss: `dbt0209 (no such function (static analysis))`.
impl std::fmt::Display for FusionCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "dbt{:04} ({})", self.code, self.what)
    }
}

/// Sorted by code.
pub(crate) const FUSION_CODES: &[FusionCode] = &[
    FusionCode {
        code: 101,
        what: "SQL does not parse (syntax error)",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 102,
        what: "invalid SQL schema definition",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 103,
        what: "malformed expression",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 104,
        what: "dangling comma",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 105,
        what: "ambiguous column reference",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 106,
        what: "function name casing (lint rule)",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 107,
        what: "keyword casing (lint rule)",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 108,
        what: "boolean literal casing (lint rule)",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 109,
        what: "NULL literal casing (lint rule)",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 110,
        what: "type name casing (lint rule)",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 111,
        what: "statement must end with a semicolon (lint rule)",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 112,
        what: "inconsistent reference style (lint rule)",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 113,
        what: "prefer a CTE to a subquery (lint rule)",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 114,
        what: "join condition sides in the wrong order (lint rule)",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 115,
        what: "wildcard listed before single columns (lint rule)",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 116,
        what: "column must be qualified with its table (lint rule)",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 117,
        what: "identifier has a disallowed character (lint rule)",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 118,
        what: "unnecessary quoting (lint rule)",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 119,
        what: "unnecessary ELSE (lint rule)",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 120,
        what: "unnecessary CASE (lint rule)",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 121,
        what: "CTE defined but never used (lint rule)",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 122,
        what: "nested CASE (lint rule)",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 123,
        what: "DISTINCT written with parentheses (lint rule)",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 124,
        what: "blocked word used (lint rule)",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 125,
        what: "keyword used as an identifier (lint rule)",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 126,
        what: "implicit type coercion (lint rule)",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 127,
        what: "the linter itself failed",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 128,
        what: "substitution needs a table alias (lint rule)",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 129,
        what: "column name casing (lint rule)",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 130,
        what: "duplicate column name in the output",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 199,
        what: "PySpark plan could not be bound (catch-all)",
        category: None,
    },
    FusionCode {
        code: 201,
        what: "name could not be resolved (column, table or other)",
        category: None,
    },
    FusionCode {
        code: 202,
        what: "ambiguous name",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 203,
        what: "invalid UNNEST",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 204,
        what: "invalid literal",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 205,
        what: "invalid escape sequence",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 206,
        what: "invalid interval",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 207,
        what: "invalid property",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 208,
        what: "unknown variable",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 209,
        what: "no such function (static analysis)",
        category: Some(Category::SqlDialect),
    },
    FusionCode {
        code: 210,
        what: "no such table function (static analysis)",
        category: Some(Category::SqlDialect),
    },
    FusionCode {
        code: 211,
        what: "schemas do not match (query parts or declared columns)",
        category: None,
    },
    FusionCode {
        code: 212,
        what: "duplicate CTE name",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 213,
        what: "column neither grouped nor aggregated",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 214,
        what: "table not found (static analysis)",
        category: Some(Category::MissingRelation),
    },
    FusionCode {
        code: 215,
        what: "no table for a qualified wildcard (t.*)",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 216,
        what: "GROUP BY ordinal out of range",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 217,
        what: "invalid alias",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 218,
        what: "invalid HAVING clause",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 219,
        what: "column ordinal could not be resolved",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 220,
        what: "column alias list does not match the columns",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 221,
        what: "invalid table name",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 222,
        what: "invalid set operation (UNION and friends)",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 223,
        what: "invalid pattern recognition (MATCH_RECOGNIZE)",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 224,
        what: "invalid join condition",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 225,
        what: "table has no location (external table)",
        category: None,
    },
    FusionCode {
        code: 226,
        what: "array elements of different types",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 227,
        what: "no such column (static analysis)",
        category: Some(Category::MissingColumn),
    },
    FusionCode {
        code: 228,
        what: "incompatible types",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 229,
        what: "duplicate property",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 230,
        what: "illegal type",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 231,
        what: "invalid time unit",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 232,
        what: "regular expression could not be resolved",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 233,
        what: "GROUP BY item could not be resolved",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 234,
        what: "window name could not be resolved",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 235,
        what: "invalid struct",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 236,
        what: "unknown function language (UDF)",
        category: Some(Category::SqlDialect),
    },
    FusionCode {
        code: 237,
        what: "stage not found (Snowflake)",
        category: Some(Category::MissingRelation),
    },
    FusionCode {
        code: 238,
        what: "invalid boolean expression",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 239,
        what: "invalid PARTITION BY",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 240,
        what: "invalid stage name",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 241,
        what: "Snowflake lacks a time unit after INTERVAL",
        category: Some(Category::SqlDialect),
    },
    FusionCode {
        code: 242,
        what: "implicit column alias",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 243,
        what: "invalid schema name",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 244,
        what: "unknown data type (static analysis)",
        category: Some(Category::SqlDialect),
    },
    FusionCode {
        code: 245,
        what: "database (catalog) not found",
        category: Some(Category::MissingRelation),
    },
    FusionCode {
        code: 246,
        what: "schema not found",
        category: Some(Category::MissingRelation),
    },
    FusionCode {
        code: 247,
        what: "invalid schema; the CLI also uses it for bad YAML shape",
        category: None,
    },
    FusionCode {
        code: 248,
        what: "* with no input relation",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 249,
        what: "invalid GROUP BY clause",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 250,
        what: "invalid delimiter",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 251,
        what: "invalid CTE",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 252,
        what: "invalid subquery",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 253,
        what: "invalid COALESCE argument",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 254,
        what: "window function where none is allowed",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 255,
        what: "feature not supported (by the analyser, or by the CLI)",
        category: None,
    },
    FusionCode {
        code: 256,
        what: "argument must be a string literal",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 257,
        what: "invalid Databricks number format",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 301,
        what: "plan building failed: projection",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 302,
        what: "plan building failed: join",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 303,
        what: "plan building failed: aggregate",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 304,
        what: "plan building failed: set operation",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 305,
        what: "plan building failed: ORDER BY",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 306,
        what: "plan building failed: LIMIT",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 307,
        what: "plan building failed: CREATE VIEW",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 308,
        what: "plan building failed: CREATE TABLE",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 309,
        what: "plan building failed: CREATE INDEX",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 310,
        what: "plan building failed: INSERT INTO",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 311,
        what: "plan building failed: DISTINCT",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 312,
        what: "plan building failed: VALUES",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 313,
        what: "plan building failed: HAVING",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 314,
        what: "plan building failed: window",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 315,
        what: "plan building failed: table alias",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 316,
        what: "plan building failed: table scan",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 317,
        what: "plan building failed: filter",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 318,
        what: "plan building failed: recursive CTE",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 319,
        what: "plan building failed: QUALIFY",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 401,
        what: "invalid LIMIT target",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 402,
        what: "bad row count",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 403,
        what: "bad inline table (VALUES)",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 404,
        what: "bad query",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 405,
        what: "bad table function argument",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 406,
        what: "invalid predicate",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 407,
        what: "invalid comparison",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 408,
        what: "invalid BETWEEN",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 409,
        what: "invalid IN list",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 410,
        what: "invalid IN subquery",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 411,
        what: "invalid arithmetic",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 412,
        what: "invalid concatenation",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 413,
        what: "invalid value expression",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 414,
        what: "invalid LISTAGG",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 415,
        what: "invalid CASE",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 416,
        what: "invalid CAST",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 417,
        what: "invalid function call (arguments)",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 418,
        what: "invalid subscript",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 419,
        what: "invalid field access (dereference)",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 420,
        what: "invalid JSON_EXISTS",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 421,
        what: "invalid JSON_VALUE",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 422,
        what: "invalid JSON_QUERY",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 423,
        what: "invalid primary expression",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 424,
        what: "invalid JSON_OBJECT",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 425,
        what: "invalid qualified name",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 426,
        what: "invalid JSON_ARRAY",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 427,
        what: "invalid column reference; the CLI also uses it for seed config",
        category: None,
    },
    FusionCode {
        code: 428,
        what: "invalid SQL function",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 429,
        what: "invalid DECLARE",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 430,
        what: "invalid named argument",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 431,
        what: "invalid INSERT INTO",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 432,
        what: "invalid PIVOT, or a PIVOT form static analysis cannot handle",
        category: None,
    },
    FusionCode {
        code: 433,
        what: "invalid expression",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 434,
        what: "invalid COLLATE",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 435,
        what: "invalid regular expression",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 436,
        what: "invalid function name",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 437,
        what: "bad LATERAL VIEW",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 438,
        what: "invalid NAMED_STRUCT",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 439,
        what: "custom function binding failed",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 440,
        what: "invalid sample (TABLESAMPLE) specification",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 801,
        what: "SQL too large for the analyser (syntax tree size)",
        category: Some(Category::Resource),
    },
    FusionCode {
        code: 802,
        what: "recursion too deep for the analyser",
        category: Some(Category::Resource),
    },
    FusionCode {
        code: 892,
        what: "legacy binder error",
        category: None,
    },
    FusionCode {
        code: 893,
        what: "legacy parser error",
        category: None,
    },
    FusionCode {
        code: 894,
        what: "legacy DataFusion error",
        category: None,
    },
    FusionCode {
        code: 1000,
        what: "generic error (no specific code given)",
        category: None,
    },
    FusionCode {
        code: 1001,
        what: "I/O error",
        category: None,
    },
    FusionCode {
        code: 1002,
        what: "text encoding error",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1003,
        what: "file I/O error",
        category: None,
    },
    FusionCode {
        code: 1004,
        what: "cache error",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1005,
        what: "invalid configuration (project, YAML or adapter)",
        category: None,
    },
    FusionCode {
        code: 1006,
        what: "invalid path",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1007,
        what: "invalid argument",
        category: None,
    },
    FusionCode {
        code: 1008,
        what: "missing argument",
        category: None,
    },
    FusionCode {
        code: 1009,
        what: "schema inference failed",
        category: None,
    },
    FusionCode {
        code: 1010,
        what: "invalid table",
        category: None,
    },
    FusionCode {
        code: 1011,
        what: "authentication failed",
        category: Some(Category::Connection),
    },
    FusionCode {
        code: 1012,
        what: "missing classifiers",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1013,
        what: "could not read or write YAML/JSON (serialisation)",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1014,
        what: "remote execution error",
        category: None,
    },
    FusionCode {
        code: 1015,
        what: "execution error (Jinja or engine)",
        category: None,
    },
    FusionCode {
        code: 1016,
        what: "Arrow data error",
        category: None,
    },
    FusionCode {
        code: 1017,
        what: "Parquet error",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1018,
        what: "object store error",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1019,
        what: "logical plan error",
        category: None,
    },
    FusionCode {
        code: 1020,
        what: "resources exhausted",
        category: Some(Category::Resource),
    },
    FusionCode {
        code: 1021,
        what: "DataFusion error",
        category: None,
    },
    FusionCode {
        code: 1022,
        what: "dependency cycle",
        category: Some(Category::Dependency),
    },
    FusionCode {
        code: 1023,
        what: "unsupported file format",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1024,
        what: "file not found",
        category: None,
    },
    FusionCode {
        code: 1025,
        what: "table missing",
        category: Some(Category::MissingRelation),
    },
    FusionCode {
        code: 1026,
        what: "invalid or unsupported type",
        category: None,
    },
    FusionCode {
        code: 1027,
        what: "merge conflict",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1028,
        what: "missing source location",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1029,
        what: "too many rows",
        category: None,
    },
    FusionCode {
        code: 1030,
        what: "table has no provider",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1031,
        what: "ambiguous renaming specification",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1032,
        what: "undefined field",
        category: None,
    },
    FusionCode {
        code: 1033,
        what: "duplicate column names in a result",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 1034,
        what: "project file missing",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1035,
        what: "invalid environment",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1036,
        what: "duplicate environment",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1037,
        what: "unsupported workspace edition",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1038,
        what: "credentials error",
        category: Some(Category::Connection),
    },
    FusionCode {
        code: 1039,
        what: "lint check failed",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1040,
        what: "subprocess failed",
        category: None,
    },
    FusionCode {
        code: 1041,
        what: "formatter error",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1042,
        what: "function (UDF) definition error",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1043,
        what: "build error",
        category: None,
    },
    FusionCode {
        code: 1044,
        what: "function not implemented by the local engine",
        category: Some(Category::SqlDialect),
    },
    FusionCode {
        code: 1045,
        what: "no table found for a prefix",
        category: Some(Category::MissingRelation),
    },
    FusionCode {
        code: 1046,
        what: "ambiguous source schema",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1047,
        what: "plan not supported for local execution",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1048,
        what: "ref, source or other dependency not found",
        category: Some(Category::Dependency),
    },
    FusionCode {
        code: 1049,
        what: "unsupported file extension",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1050,
        what: "artifact skipped",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1051,
        what: "local database could not be created",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1052,
        what: "seed table could not be registered locally",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1053,
        what: "existing table could not be registered locally",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1054,
        what: "table could not be written locally",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1055,
        what: "existing table could not be looked up locally",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1056,
        what: "target directory missing",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1058,
        what: "column type in YAML differs from the one inferred",
        category: Some(Category::Contract),
    },
    FusionCode {
        code: 1059,
        what: "duplicate config key",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1060,
        what: "unused config key",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1061,
        what: "invalid CSV (seed) format",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1062,
        what: "ref, source or function that is disabled",
        category: Some(Category::Dependency),
    },
    FusionCode {
        code: 1063,
        what: "source is stale (freshness check failed)",
        category: None,
    },
    FusionCode {
        code: 1064,
        what: "disabled model used",
        category: Some(Category::Dependency),
    },
    FusionCode {
        code: 1065,
        what: "package issued compatibility warnings",
        category: Some(Category::Dependency),
    },
    FusionCode {
        code: 1066,
        what: "ref to a node private to another group",
        category: Some(Category::Dependency),
    },
    FusionCode {
        code: 1067,
        what: "execution failed (generic)",
        category: None,
    },
    FusionCode {
        code: 1068,
        what: "license error",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1069,
        what: "mangled ref() or source() call",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1070,
        what: "SQL syntax problem seen while introspecting",
        category: Some(Category::SqlError),
    },
    FusionCode {
        code: 1071,
        what: "warning raised from Jinja",
        category: None,
    },
    FusionCode {
        code: 1072,
        what: "reference to a deprecated model",
        category: Some(Category::Dependency),
    },
    FusionCode {
        code: 1073,
        what: "reference to a model soon to be deprecated",
        category: Some(Category::Dependency),
    },
    FusionCode {
        code: 1074,
        what: "Jinja log warning (retired number; older releases)",
        category: None,
    },
    FusionCode {
        code: 1075,
        what: "snapshot timestamp types do not match",
        category: None,
    },
    FusionCode {
        code: 1076,
        what: "package was renamed (redirect)",
        category: Some(Category::Dependency),
    },
    FusionCode {
        code: 1077,
        what: "package version not pinned",
        category: Some(Category::Dependency),
    },
    FusionCode {
        code: 1078,
        what: "invalid freshness config",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1079,
        what: "freshness metadata unavailable",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1080,
        what: "package version mismatch",
        category: Some(Category::Dependency),
    },
    FusionCode {
        code: 1081,
        what: "seed column_types names columns not in the CSV",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1082,
        what: "cache invalidated",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1083,
        what: "unexpected API response",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1084,
        what: "state path equals target path",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1085,
        what: "model past its deprecation date",
        category: Some(Category::Dependency),
    },
    FusionCode {
        code: 1086,
        what: "deprecated include/exclude in warn-error options",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1087,
        what: "node not found or disabled",
        category: Some(Category::Dependency),
    },
    FusionCode {
        code: 1088,
        what: "package update available",
        category: Some(Category::Dependency),
    },
    FusionCode {
        code: 1089,
        what: "YAML entry for a node that does not exist",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1090,
        what: "macro patch for a macro that does not exist",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1091,
        what: "invalid concurrent_batches config",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1092,
        what: "selection criteria match no nodes",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1093,
        what: "microbatch model has no event_time inputs",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1094,
        what: "breaking change to an unversioned contracted model",
        category: Some(Category::Contract),
    },
    FusionCode {
        code: 1095,
        what: "constraint not supported for the materialization",
        category: Some(Category::Contract),
    },
    FusionCode {
        code: 1096,
        what: "hub package deprecated",
        category: Some(Category::Dependency),
    },
    FusionCode {
        code: 1097,
        what: "unused resource config path",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1098,
        what: "package name scrubbed (deps)",
        category: Some(Category::Dependency),
    },
    FusionCode {
        code: 1099,
        what: "duplicate package (deps)",
        category: Some(Category::Dependency),
    },
    FusionCode {
        code: 1100,
        what: "invalid flag",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1101,
        what: "unsupported flag",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1102,
        what: "profile missing",
        category: Some(Category::Connection),
    },
    FusionCode {
        code: 1103,
        what: "profile invalid",
        category: Some(Category::Connection),
    },
    FusionCode {
        code: 1104,
        what: "environment variable missing",
        category: Some(Category::Connection),
    },
    FusionCode {
        code: 1105,
        what: "environment variable invalid",
        category: Some(Category::Connection),
    },
    FusionCode {
        code: 1106,
        what: "feature not supported by Fusion",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1107,
        what: "unknown command",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1108,
        what: "unknown CLI option",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1150,
        what: "manifest (state) could not be loaded",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1151,
        what: "package resolution failed",
        category: Some(Category::Dependency),
    },
    FusionCode {
        code: 1152,
        what: "package download failed",
        category: Some(Category::Dependency),
    },
    FusionCode {
        code: 1153,
        what: "profile could not be loaded",
        category: Some(Category::Connection),
    },
    FusionCode {
        code: 1154,
        what: "git operation failed (older releases: unpinned package)",
        category: Some(Category::Dependency),
    },
    FusionCode {
        code: 1155,
        what: "source table defined twice",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1156,
        what: "source has no tables",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1157,
        what: "legacy semantic model YAML",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1158,
        what: "package has no dbt_project.yml",
        category: Some(Category::Dependency),
    },
    FusionCode {
        code: 1159,
        what: "YAML validation failed",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1200,
        what: "network error",
        category: Some(Category::Connection),
    },
    FusionCode {
        code: 1201,
        what: "HTTP timeout",
        category: Some(Category::Connection),
    },
    FusionCode {
        code: 1202,
        what: "rate limited",
        category: Some(Category::Resource),
    },
    FusionCode {
        code: 1203,
        what: "HTTP error",
        category: Some(Category::Connection),
    },
    FusionCode {
        code: 1204,
        what: "dbt platform API error",
        category: Some(Category::Connection),
    },
    FusionCode {
        code: 1250,
        what: "authentication failed",
        category: Some(Category::Connection),
    },
    FusionCode {
        code: 1251,
        what: "credential missing",
        category: Some(Category::Connection),
    },
    FusionCode {
        code: 1252,
        what: "credential invalid",
        category: Some(Category::Connection),
    },
    FusionCode {
        code: 1253,
        what: "credential expired",
        category: Some(Category::Connection),
    },
    FusionCode {
        code: 1254,
        what: "permission denied (in this commit: git repository access)",
        category: None,
    },
    FusionCode {
        code: 1300,
        what: "warehouse connection failed (SQLSTATE 08)",
        category: Some(Category::Connection),
    },
    FusionCode {
        code: 1301,
        what: "warehouse auth failed (SQLSTATE 28, or driver Unauthorized)",
        category: None,
    },
    FusionCode {
        code: 1302,
        what: "warehouse rejected the SQL (SQLSTATE class 42)",
        category: None,
    },
    FusionCode {
        code: 1303,
        what: "warehouse resources exceeded (SQLSTATE 53)",
        category: Some(Category::Resource),
    },
    FusionCode {
        code: 1304,
        what: "warehouse unavailable or interrupted (SQLSTATE 57, 58)",
        category: None,
    },
    FusionCode {
        code: 1305,
        what: "transaction conflict or rollback (SQLSTATE 40)",
        category: None,
    },
    FusionCode {
        code: 1306,
        what: "object not found on the warehouse",
        category: Some(Category::MissingRelation),
    },
    FusionCode {
        code: 1307,
        what: "feature not supported by the warehouse (SQLSTATE 0A)",
        category: Some(Category::SqlDialect),
    },
    FusionCode {
        code: 1308,
        what: "warehouse driver error",
        category: None,
    },
    FusionCode {
        code: 1309,
        what: "replay data invalid",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1310,
        what: "replay data missing",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1400,
        what: "query planner failed",
        category: None,
    },
    FusionCode {
        code: 1401,
        what: "SQL execution failed",
        category: None,
    },
    FusionCode {
        code: 1402,
        what: "concurrency error",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1403,
        what: "task timed out",
        category: Some(Category::Resource),
    },
    FusionCode {
        code: 1404,
        what: "task cancelled",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1405,
        what: "SQL differs from the recording",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1406,
        what: "sidecar error",
        category: None,
    },
    FusionCode {
        code: 1407,
        what: "no results to show",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1408,
        what: "feature not supported by the sidecar",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1410,
        what: "run-cache service degraded",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1450,
        what: "invalid JSON",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1451,
        what: "invalid YAML",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1500,
        what: "unsupported value type in a macro",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1501,
        what: "Jinja render failed (wrapper)",
        category: None,
    },
    FusionCode {
        code: 1502,
        what: "Jinja syntax error",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1503,
        what: "variable not found in Jinja",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1504,
        what: "invalid seed value",
        category: Some(Category::Data),
    },
    FusionCode {
        code: 1505,
        what: "illegal use of a macro",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1506,
        what: "macro arguments differ from their YAML docs",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1507,
        what: "Jinja type check failed",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1508,
        what: "return at the top level of Jinja",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1600,
        what: "invalid selector",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1601,
        what: "nothing selected",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1602,
        what: "invalid column selector",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1700,
        what: "option no longer supported",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1701,
        what: "option not yet supported",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1702,
        what: "deprecated option",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 1703,
        what: "deprecated static_analysis value",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1704,
        what: "warn-error option not supported",
        category: Some(Category::Compilation),
    },
    FusionCode {
        code: 1705,
        what: "docs generate warning",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 2000,
        what: "local execution session error",
        category: None,
    },
    FusionCode {
        code: 2001,
        what: "dialect not supported for local execution",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 3000,
        what: "SQL logic test: parse error",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 3001,
        what: "SQL logic test: limits",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 3002,
        what: "SQL logic test: config",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 3003,
        what: "SQL logic test: database error",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 3500,
        what: "invalid lineage schema",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 8995,
        what: "operation cancelled",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 8996,
        what: "invalid options",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 8997,
        what: "invalid user input",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 8998,
        what: "invalid dialect",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 8999,
        what: "runtime error (generic)",
        category: None,
    },
    FusionCode {
        code: 9000,
        what: "internal: not supported",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 9001,
        what: "internal: unknown",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 9002,
        what: "internal: unexpected",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 9003,
        what: "internal: not implemented",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 9004,
        what: "internal: invalid table name",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 9005,
        what: "internal: COALESCE of only NULLs",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 9006,
        what: "internal: REPL exit signal",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 9007,
        what: "internal: exit-status signal",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 9010,
        what: "cache stale",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 9011,
        what: "no files changed",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 9900,
        what: "analyser internal: not supported",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 9901,
        what: "analyser internal: unknown",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 9902,
        what: "analyser internal: unexpected",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 9903,
        what: "analyser internal: not implemented",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 9904,
        what: "analyser internal: grammar (ANTLR) failure",
        category: Some(Category::Other),
    },
    FusionCode {
        code: 9905,
        what: "analyser internal: execution error",
        category: None,
    },
    FusionCode {
        code: 9906,
        what: "analyser internal: Jinja error",
        category: None,
    },
    FusionCode {
        code: 9907,
        what: "analyser internal: Jinja assertion failed",
        category: Some(Category::Other),
    },
];

/// The category a code's range implies when the table has no entry (or its entry says `None`).
/// `None` for ranges that mix categories (general CLI errors, the adapter, execution) and for
/// numbers outside every range: there only the text can decide.
pub(crate) fn range_category(code: u16) -> Option<Category> {
    match code {
        // Static analysis of SQL: parsing, resolution, plan building, expression checks.
        100..=799 => Some(Category::SqlError),
        // The analyser's internal errors, were they ever shown unshifted.
        900..=999 => Some(Category::Other),
        // Network, then auth and credentials.
        1200..=1279 => Some(Category::Connection),
        // Serialisation (JSON/YAML), then Jinja.
        1450..=1599 => Some(Category::Compilation),
        // Node selection, CLI option notices.
        1600..=1799 => Some(Category::Other),
        // Local execution, SQL logic tests, lineage.
        2000..=3999 => Some(Category::Other),
        // Internal errors, the CLI's and the analyser's.
        9000..=9999 => Some(Category::Other),
        _ => None,
    }
}

/// The last resort for a code in a range of mixed meanings, taken only when its words did not
/// vote: the general CLI errors from 1005 on (1005–1099) are mostly config, YAML and parsing
/// errors; 1000 (generic) and the I/O errors below 1005 say nothing.
pub(crate) fn weak_range_category(code: u16) -> Option<Category> {
    matches!(code, 1005..=1099).then_some(Category::Compilation)
}

/// Looks a code up (binary search).
pub(crate) fn lookup(code: u16) -> Option<&'static FusionCode> {
    FUSION_CODES
        .binary_search_by_key(&code, |entry| entry.code)
        .ok()
        .and_then(|index| FUSION_CODES.get(index))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_unique() {
        for pair in FUSION_CODES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} then {}",
                pair[0].code,
                pair[1].code
            );
        }
    }

    #[test]
    fn every_entry_is_well_formed() {
        for entry in FUSION_CODES {
            assert!((101..=9999).contains(&entry.code), "{}", entry.code);
            assert!(!entry.what.trim().is_empty(), "{}", entry.code);
            assert!(entry.what.len() <= 80, "{}", entry.code);
        }
    }

    #[test]
    fn every_entry_is_found() {
        for entry in FUSION_CODES {
            let found = lookup(entry.code).map(|found| found.code);
            assert_eq!(found, Some(entry.code));
        }
    }

    #[test]
    fn holds_the_whole_list() {
        assert_eq!(FUSION_CODES.len(), 351);
        assert_eq!(FUSION_CODES.first().map(|entry| entry.code), Some(101));
        assert_eq!(FUSION_CODES.last().map(|entry| entry.code), Some(9907));
    }

    #[test]
    fn spot_checks() {
        let category = |code: u16| lookup(code).and_then(|entry| entry.category);
        assert_eq!(category(209), Some(Category::SqlDialect));
        assert_eq!(category(214), Some(Category::MissingRelation));
        assert_eq!(category(227), Some(Category::MissingColumn));
        assert_eq!(category(1048), Some(Category::Dependency));
        assert_eq!(category(1104), Some(Category::Connection));
        assert_eq!(category(1303), Some(Category::Resource));
        assert_eq!(category(1502), Some(Category::Compilation));
        assert_eq!(category(1094), Some(Category::Contract));
        // Wrappers: the code is known, but the text must decide.
        for wrapper in [1000, 1005, 1302, 1308, 1401, 1501] {
            assert!(lookup(wrapper).is_some(), "{wrapper}");
            assert_eq!(category(wrapper), None, "{wrapper}");
        }
    }

    #[test]
    fn displays_as_fusion_prints_it() {
        let shown = lookup(209).map(|entry| entry.to_string());
        assert_eq!(
            shown.as_deref(),
            Some("dbt0209 (no such function (static analysis))")
        );
    }

    #[test]
    fn unknown_codes_fall_back_on_their_range() {
        assert!(lookup(1057).is_none());
        assert!(lookup(0).is_none());
        assert_eq!(range_category(258), Some(Category::SqlError));
        assert_eq!(range_category(1230), Some(Category::Connection));
        assert_eq!(range_category(1599), Some(Category::Compilation));
        assert_eq!(range_category(9500), Some(Category::Other));
        assert_eq!(range_category(1057), None);
        assert_eq!(range_category(1399), None);
        assert_eq!(range_category(0), None);
        assert_eq!(range_category(u16::MAX), None);
    }
}
