//! Error codes: the part of a message that stays the same across wordings, versions and
//! languages. Reads every code a message carries — Snowflake's six-digit numbers, `ORA-`
//! numbers, SQL Server's error numbers, Databricks/Spark error classes, ClickHouse's `Code: N`,
//! Trino/Athena error names, BigQuery's reasons, DuckDB's error kinds, SQLSTATEs and dbt Fusion's
//! `dbtNNNN` — and says what each means. Pure and total: text without a code gives no code.
//!
//! A code either decides a category (`Means::Is`), narrows the choice to a few that the phrases
//! then pick from (`Means::OneOf`, the first being the code's own reading when no phrase
//! matches), or says nothing (`Means::Nothing`: a wrapper like `HY000` or Fusion's adapter-error
//! code, whose text must be read). The tables are ours, written from the vendors' public error
//! lists; where a number's meaning was not certain it was left out rather than guessed, and the
//! SQLSTATE beside it (or the phrases) decide.

use std::sync::OnceLock;

use regex_lite::Regex;

use super::{fusion_codes, Category};
use Category::*;

/// What a code says about the category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Means {
    Is(Category),
    /// One of these, the phrases decide; the first when none matches.
    OneOf(&'static [Category]),
    /// This category unless a phrase says otherwise (dbt Fusion's codes, which its static
    /// analysis also raises for valid SQL it does not know).
    Prefer(Category),
    Nothing,
}

impl Means {
    /// The category the code gives on its own, if any.
    pub(crate) fn default_category(self) -> Option<Category> {
        match self {
            Means::Is(c) | Means::Prefer(c) => Some(c),
            Means::OneOf(cs) => cs.first().copied(),
            Means::Nothing => None,
        }
    }

    /// Whether a phrase of `category` may decide under this code.
    pub(crate) fn allows(self, category: Category) -> bool {
        match self {
            // "An internal error" is the weakest reading: any specific phrase wins over it.
            Means::Is(Other) => true,
            Means::Is(c) => c == category,
            Means::OneOf(cs) => cs.contains(&category),
            Means::Prefer(_) | Means::Nothing => true,
        }
    }
}

/// Which vendor's scheme a code belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Scheme {
    /// A warehouse's own code: the most specific.
    Warehouse,
    /// An ISO/ANSI SQLSTATE.
    SqlState,
    /// dbt Fusion's `dbtNNNN`.
    Fusion,
}

/// One code found in a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Code {
    /// As written (`002003`, `ORA-00942`, `TABLE_OR_VIEW_NOT_FOUND`, `Code: 47`, `dbt0209`).
    pub text: String,
    pub scheme: Scheme,
    pub means: Means,
}

/// Every code in the message, the most specific first: warehouse codes, then SQLSTATEs, then
/// dbt Fusion's.
pub(crate) fn read(message: &str) -> Vec<Code> {
    let mut codes = Vec::new();
    snowflake(message, &mut codes);
    oracle(message, &mut codes);
    sql_server(message, &mut codes);
    error_classes(message, &mut codes);
    clickhouse(message, &mut codes);
    trino(message, &mut codes);
    bigquery(message, &mut codes);
    aws(message, &mut codes);
    duckdb(message, &mut codes);
    sqlstates(message, &mut codes);
    fusion(message, &mut codes);
    codes.sort_by_key(|c| c.scheme);
    codes.dedup_by(|a, b| a.text == b.text);
    codes
}

/// The code that speaks for the message: the first that names a category, else the first that
/// says "internal error" (the weakest reading: a wrapper's `GENERIC_INTERNAL_ERROR` around a
/// specific code), else the first.
pub(crate) fn deciding(codes: &[Code]) -> Option<&Code> {
    let internal = |m: Means| matches!(m, Means::Is(Other) | Means::Prefer(Other));
    codes
        .iter()
        .find(|c| c.means != Means::Nothing && !internal(c.means))
        .or_else(|| codes.iter().find(|c| c.means != Means::Nothing))
        .or_else(|| codes.first())
}

fn regex(cell: &'static OnceLock<Option<Regex>>, pattern: &str) -> Option<&'static Regex> {
    cell.get_or_init(|| Regex::new(pattern).ok()).as_ref()
}

fn push(codes: &mut Vec<Code>, text: impl Into<String>, scheme: Scheme, means: Means) {
    codes.push(Code {
        text: text.into(),
        scheme,
        means,
    });
}

// ---------------------------------------------------------------------------------------------
// Snowflake: `002003 (42S02): SQL compilation error:` — a six-digit number, its SQLSTATE after it.

fn snowflake(message: &str, codes: &mut Vec<Code>) {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    // The Python connector's own errors (25xxxx) often come without a SQLSTATE: `250003: Failed
    // to get the response.`
    let Some(re) = regex(
        &RE,
        r"\b(\d{6}) \(([0-9A-Z]{5})\)|\(code (\d{6})\)|(?:^|[\s:])(25\d{4}): ",
    ) else {
        return;
    };
    for c in re.captures_iter(message) {
        let Some(number) = c.get(1).or_else(|| c.get(3)).or_else(|| c.get(4)) else {
            continue;
        };
        if let Some(means) = snowflake_number(number.as_str()) {
            push(codes, number.as_str(), Scheme::Warehouse, means);
        } else if let Some(state) = c.get(2) {
            // An unknown number: its SQLSTATE still speaks (read by `sqlstates`), and the number
            // is kept as the evidence.
            let means = sqlstate_means(state.as_str());
            push(codes, number.as_str(), Scheme::Warehouse, means);
        }
    }
}

fn snowflake_number(n: &str) -> Option<Means> {
    const MISSING_OR_DENIED: &[Category] = &[MissingRelation, Permission];
    const IDENTIFIER: &[Category] = &[MissingColumn, SchemaDrift, SqlError, SqlDialect];
    const SYNTAX: &[Category] = &[SqlError, SqlDialect];
    Some(match n {
        "002003" | "002043" => Means::OneOf(MISSING_OR_DENIED),
        // 002004: `Invalid identifier X` without quotes, under a syntax-error SQLSTATE (42601).
        "000904" | "002004" => Means::OneOf(IDENTIFIER),
        "001003" => Means::OneOf(SYNTAX),
        "002140" | "002141" => Means::OneOf(&[SqlDialect, SqlError]),
        "001044" => Means::OneOf(&[SqlError, SqlDialect]),
        "003001" | "003011" => Means::Is(Permission),
        "000606" | "090105" | "090106" => Means::Is(Connection),
        "390100" | "390101" | "390102" | "390114" | "390144" | "390318" | "250001" | "251005"
        | "250003" | "390420" => Means::Is(Connection),
        "100035" | "100037" | "100038" | "100040" | "100051" | "100069" | "100071" | "100072"
        | "100078" | "100090" | "100096" | "100183" => Means::Is(Data),
        // 001795: more expressions in one list than Snowflake takes (a seed's or an IN list's).
        "000630" | "000625" | "604" | "001795" => Means::Is(Resource),
        "002020" => Means::OneOf(&[SchemaDrift, SqlError]),
        "002151" => Means::OneOf(&[SqlDialect, SqlError, Data]),
        "002025" => Means::OneOf(&[Resource, SqlError]),
        "002028" => Means::Is(SqlError),
        "000002" => Means::OneOf(&[SqlDialect, SqlError]),
        "000603" => Means::Is(Other),
        // A type this table format or edition cannot hold (Iceberg's timestamp scale above 6).
        "091385" => Means::Prefer(SqlDialect),
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// Oracle: `ORA-00942: table or view does not exist`; python-oracledb's `DPY-6005: cannot connect`.

fn oracle(message: &str, codes: &mut Vec<Code>) {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = regex(&RE, r"\b(ORA|DPY|DPI|TNS)-(\d{4,5})\b") else {
        return;
    };
    for c in re.captures_iter(message) {
        let (Some(prefix), Some(number)) = (c.get(1), c.get(2)) else {
            continue;
        };
        let means = match prefix.as_str() {
            "ORA" => oracle_number(number.as_str().parse().unwrap_or(0)),
            // The python-oracledb driver's own errors are about connecting (DPY-4xxx, DPY-6xxx).
            "DPY" | "DPI" if number.as_str().starts_with(['4', '6']) => Means::Is(Connection),
            "TNS" => Means::Is(Connection),
            _ => Means::Nothing,
        };
        push(codes, &c[0], Scheme::Warehouse, means);
    }
}

fn oracle_number(n: u32) -> Means {
    const SYNTAX: &[Category] = &[SqlError, SqlDialect];
    match n {
        942 => Means::OneOf(&[MissingRelation, Permission]),
        4043 | 980 => Means::Is(MissingRelation),
        904 => Means::OneOf(&[MissingColumn, SchemaDrift, SqlError, SqlDialect]),
        1031 | 1950 | 1749 | 1720 | 990 | 1917 => Means::Is(Permission),
        1017 | 1005 | 28000 | 28001 | 1918 | 12154 | 12170 | 12505 | 12514 | 12541 | 12543
        | 3113 | 3114 | 3135 => Means::Is(Connection),
        900 | 901 | 903 | 905..=911 | 917 | 921 | 923 | 924 | 933 | 936 | 969 => {
            Means::OneOf(SYNTAX)
        }
        902 | 972 => Means::OneOf(&[SqlDialect, SqlError]),
        918 | 937 | 979 | 957 | 6550 | 32031 => Means::Is(SqlError),
        932 => Means::OneOf(&[SqlError, Data]),
        913 | 947 => Means::OneOf(&[SchemaDrift, SqlError]),
        1 | 1400 | 1407 | 1438 | 1476 | 1722 | 1830 | 1839 | 1840 | 1841 | 1843 | 1847 | 1858
        | 1861 | 2290 | 2291 | 2292 | 6502 | 12899 | 1427 | 30926 => Means::Is(Data),
        955 => Means::OneOf(&[Resource, SqlError]),
        54 | 60 | 1013 | 1555 | 1652..=1654 | 1536 | 4030 | 4031 | 4021 | 14452 | 30036 => {
            Means::Is(Resource)
        }
        600 | 7445 => Means::Is(Other),
        // Oracle numbers its messages by area; an unlisted number still says which.
        900..=999 | 1700..=1799 | 6550..=6599 | 14000..=14999 => {
            Means::OneOf(&[SqlError, SqlDialect, SchemaDrift, MissingColumn])
        }
        1400..=1499 | 1800..=1899 | 2290..=2299 => Means::Is(Data),
        // Materialized views and replication (ORA-12000…12099): what the object allows.
        12000..=12099 => Means::OneOf(&[SqlError, SqlDialect]),
        // TNS and the network (ORA-12150…12699); the rest of the 12000s are SQL and DDL.
        12150..=12699 => Means::Is(Connection),
        12100..=12999 => Means::OneOf(&[SqlError, SqlDialect]),
        4000..=4099 => Means::Is(Resource),
        _ => Means::Nothing,
    }
}

// ---------------------------------------------------------------------------------------------
// SQL Server, Fabric, Synapse: pyodbc's `… Invalid object name 'x'. (208) (SQLExecDirectW)`,
// `Msg 208, Level 16`, `(Microsoft SQL Server, Error: 18456)`.

fn sql_server(message: &str, codes: &mut Vec<Code>) {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = regex(
        &RE,
        r"\((\d{2,6})\) \(SQL\w+\)|\bMsg (\d{2,6}), Level \d+|SQL Server, Error: (\d{2,6})|\(Error (\d{2,6})\)|\bError (\d{2,6}), Level|\[ErrorCode = (\d{2,6})\]|\((\d{3,6})\)\s*$",
    ) else {
        return;
    };
    for c in re.captures_iter(message) {
        let Some(number) = (1..=7).find_map(|i| c.get(i)) else {
            continue;
        };
        let means = sql_server_number(number.as_str().parse().unwrap_or(0));
        // A bare `(NNN)` at the end of a line is only a code when it means something.
        if c.get(7).is_some() && means == Means::Nothing {
            continue;
        }
        push(codes, number.as_str(), Scheme::Warehouse, means);
    }
}

fn sql_server_number(n: u32) -> Means {
    const SYNTAX: &[Category] = &[SqlError, SqlDialect];
    const MISSING_OR_DENIED: &[Category] = &[MissingRelation, Permission];
    match n {
        208 => Means::Is(MissingRelation),
        2760 | 3701 | 15151 | 4902 | 15247 => Means::OneOf(MISSING_OR_DENIED),
        207 => Means::OneOf(&[MissingColumn, SchemaDrift, SqlError]),
        4104 => Means::OneOf(&[MissingColumn, SqlError]),
        229 | 230 | 262 | 297 | 300 | 916 | 2571 => Means::Is(Permission),
        18456 | 4060 | 40613 | 40615 | 40532 | 18452 | 10054 | 10060 | 10061 | 53 | 258 => {
            Means::Is(Connection)
        }
        102 | 156 | 170 | 319 | 1018 | 103010 => Means::OneOf(SYNTAX),
        195 => Means::OneOf(&[SqlDialect, SqlError]),
        4121 => Means::OneOf(&[SqlDialect, MissingColumn]),
        245 | 241 | 242 | 8114 | 8115 | 8134 | 8152 | 2628 | 2627 | 2601 | 515 | 547 | 220
        | 232 | 9809 => Means::Is(Data),
        1205 | 1222 | 701 | 9002 | 1105 | 24556 | 40544 | 40549 | 10928 | 10929 | 3960 => {
            Means::Is(Resource)
        }
        4506 | 8120 | 209 | 8156 | 1013 | 8155 | 6825 => Means::Is(SqlError),
        // "non-boolean type … near 'limit'": a clause of another warehouse, or a mistake.
        4145 => Means::OneOf(&[SqlError, SqlDialect]),
        213 | 110 | 120 | 121 => Means::OneOf(&[SchemaDrift, SqlError]),
        2714 => Means::OneOf(&[Resource, SqlError]),
        15868 | 24585 | 15814 => Means::OneOf(&[SqlDialect, SqlError]),
        // What Fabric or a Synapse dedicated pool cannot do: a columnstore index's types, a
        // type's precision it requires, T-SQL idioms the pool refuses.
        35343 | 24597 | 104473 | 15869 => Means::Is(SqlDialect),
        // A request over the server's fixed limits (2,100 parameters).
        8003 => Means::Is(Resource),
        _ => Means::Nothing,
    }
}

// ---------------------------------------------------------------------------------------------
// Databricks / Spark error classes: `[TABLE_OR_VIEW_NOT_FOUND]`, `[UNRESOLVED_COLUMN.WITH_SUGGESTION]`.

fn error_classes(message: &str, codes: &mut Vec<Code>) {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = regex(&RE, r"\[([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?:\.[A-Z0-9_]+)?)\]") else {
        return;
    };
    for c in re.captures_iter(message) {
        let class = &c[1];
        push(codes, class, Scheme::Warehouse, error_class(class));
    }
}

fn error_class(class: &str) -> Means {
    let main = class.split('.').next().unwrap_or(class);
    match main {
        "TABLE_OR_VIEW_NOT_FOUND"
        | "SCHEMA_NOT_FOUND"
        | "CATALOG_NOT_FOUND"
        | "DELTA_TABLE_NOT_FOUND"
        | "PATH_NOT_FOUND"
        | "NO_SUCH_CATALOG_EXCEPTION"
        | "DELTA_PATH_DOES_NOT_EXIST"
        | "VOLUME_NOT_FOUND"
        | "DELTA_MISSING_DELTA_TABLE" => Means::Is(MissingRelation),
        "UNRESOLVED_COLUMN"
        | "UNRESOLVED_FIELD"
        | "DELTA_MISSING_COLUMN"
        | "FIELD_NOT_FOUND"
        | "COLUMN_NOT_FOUND" => Means::OneOf(&[MissingColumn, SchemaDrift, SqlDialect, SqlError]),
        "DELTA_MERGE_UNRESOLVED_EXPRESSION" => Means::OneOf(&[SchemaDrift, MissingColumn]),
        "UNRESOLVED_ROUTINE" | "ROUTINE_NOT_FOUND" | "UNRESOLVED_FUNCTION" => {
            Means::OneOf(&[SqlDialect, SqlError])
        }
        "INSUFFICIENT_PERMISSIONS"
        | "PERMISSION_DENIED"
        | "UNAUTHORIZED_ACCESS"
        | "INSUFFICIENT_PRIVILEGES" => Means::Is(Permission),
        "PARSE_SYNTAX_ERROR" | "PARSE_EMPTY_STATEMENT" => Means::OneOf(&[SqlError, SqlDialect]),
        "CAST_INVALID_INPUT"
        | "CAST_OVERFLOW"
        | "DIVIDE_BY_ZERO"
        | "ARITHMETIC_OVERFLOW"
        | "NUMERIC_VALUE_OUT_OF_RANGE"
        | "INVALID_ARRAY_INDEX"
        | "CANNOT_PARSE_TIMESTAMP"
        | "INVALID_TYPED_LITERAL"
        | "DATETIME_OVERFLOW"
        | "INVALID_FRACTION_OF_SECOND"
        | "DELTA_MULTIPLE_SOURCE_ROW_MATCHING_TARGET_ROW_IN_MERGE"
        | "DELTA_NOT_NULL_CONSTRAINT_VIOLATED"
        | "DELTA_VIOLATE_CONSTRAINT_WITH_VALUES"
        | "NOT_NULL_ASSERT_VIOLATION"
        | "CANNOT_PARSE_JSON_FIELD"
        | "MALFORMED_RECORD_IN_PARSING"
        | "ROW_VALUE_IS_NULL" => Means::Is(Data),
        "DELTA_FAILED_TO_MERGE_FIELDS"
        | "DELTA_SCHEMA_CHANGED"
        | "_LEGACY_ERROR_TEMP_DELTA_0007"
        | "DELTA_METADATA_MISMATCH" => Means::OneOf(&[SchemaDrift, SqlError]),
        "INCOMPATIBLE_DATA_FOR_TABLE"
        | "INSERT_COLUMN_ARITY_MISMATCH"
        | "DELTA_INSERT_COLUMN_ARITY_MISMATCH"
        | "COLUMN_ALREADY_EXISTS" => Means::OneOf(&[SchemaDrift, SqlError]),
        "DELTA_CONCURRENT_APPEND"
        | "DELTA_CONCURRENT_DELETE_READ"
        | "DELTA_CONCURRENT_DELETE_DELETE"
        | "DELTA_METADATA_CHANGED"
        | "DELTA_PROTOCOL_CHANGED"
        | "DELTA_CONCURRENT_TRANSACTION"
        | "CONCURRENT_QUERY" => Means::Is(Resource),
        "MISSING_AGGREGATION"
        | "AMBIGUOUS_REFERENCE"
        | "AMBIGUOUS_COLUMN_OR_FIELD"
        | "NUM_COLUMNS_MISMATCH"
        | "GROUP_BY_AGGREGATE"
        | "MISSING_GROUP_BY"
        | "UNRESOLVED_ALL_IN_GROUP_BY"
        | "WRONG_NUM_ARGS"
        | "INVALID_PARAMETER_VALUE"
        | "AMBIGUOUS_REFERENCE_TO_FIELDS"
        | "COLUMN_ALREADY_EXISTS_IN_VIEW" => Means::Is(SqlError),
        "DATATYPE_MISMATCH" => Means::OneOf(&[SqlError, SqlDialect, Data]),
        "TABLE_OR_VIEW_ALREADY_EXISTS" | "SCHEMA_ALREADY_EXISTS" => {
            Means::OneOf(&[Resource, SqlError])
        }
        "UNSUPPORTED_FEATURE"
        | "UNSUPPORTED_DATATYPE"
        | "UNSUPPORTED_TYPE"
        | "NOT_SUPPORTED_COMMAND_WITHOUT_HIVE_SUPPORT"
        | "UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY"
        | "UNSUPPORTED_EXPR_FOR_WINDOW" => Means::OneOf(&[SqlDialect, SqlError]),
        "OPERATION_REQUIRES_UNITY_CATALOG"
        | "DELTA_INVALID_CHARACTERS_IN_COLUMN_NAMES"
        | "INVALID_COLUMN_NAME_AS_PATH"
        | "DELTA_NESTED_NOT_NULL_CONSTRAINT" => Means::Is(SqlDialect),
        // The compute the profile points at lacks Unity Catalog: a target to change.
        "UC_NOT_ENABLED" => Means::Is(Connection),
        // The profile names no Unity Catalog catalog and the workspace turned the Hive
        // metastore off: the target's `catalog` to set.
        "UC_HIVE_METASTORE_DISABLED_EXCEPTION" => Means::Is(Connection),
        // Usually a crash; sometimes capacity ("could not be scheduled … try again later"), which
        // a phrase reads.
        "INTERNAL_ERROR" => Means::Is(Other),
        _ => by_name(main),
    }
}

/// What an unknown code's name says (`…_NOT_FOUND`, `…PERMISSION…`), for the error-class and
/// error-name schemes, whose names are descriptive.
fn by_name(name: &str) -> Means {
    let has = |w: &str| name.contains(w);
    if has("NOT_FOUND") || has("DOES_NOT_EXIST") || has("UNKNOWN_") {
        if has("COLUMN") || has("FIELD") || has("IDENTIFIER") {
            Means::OneOf(&[MissingColumn, SchemaDrift, SqlError])
        } else if has("FUNCTION") || has("ROUTINE") {
            Means::OneOf(&[SqlDialect, SqlError])
        } else if has("USER") {
            Means::Is(Connection)
        } else {
            Means::OneOf(&[MissingRelation, Permission])
        }
    } else if has("PERMISSION") || has("ACCESS_DENIED") || has("UNAUTHORIZED") || has("PRIVILEGE") {
        Means::Is(Permission)
    } else if has("AUTHENTICATION") || has("CONNECTION") || has("LOGIN") {
        Means::Is(Connection)
    } else if has("CAST") || has("OVERFLOW") || has("DIVIDE_BY_ZERO") || has("DIVISION_BY_ZERO") {
        Means::OneOf(&[Data, SqlError])
    } else if has("SYNTAX") || has("PARSE_") {
        Means::OneOf(&[SqlError, SqlDialect])
    } else if has("UNSUPPORTED") || has("NOT_SUPPORTED") || has("NOT_IMPLEMENTED") {
        Means::OneOf(&[SqlDialect, SqlError])
    } else if has("CONCURRENT")
        || has("TIMEOUT")
        || has("TIME_LIMIT")
        || has("QUOTA")
        || has("MEMORY")
        || has("EXCEEDED")
        || has("TOO_MANY")
        || has("THROTTL")
        || has("DEADLOCK")
    {
        Means::Is(Resource)
    } else if has("INTERNAL") {
        Means::Is(Other)
    } else {
        Means::Nothing
    }
}

// ---------------------------------------------------------------------------------------------
// ClickHouse: `Code: 47. DB::Exception: Missing columns: 'x' … (UNKNOWN_IDENTIFIER)`.

fn clickhouse(message: &str, codes: &mut Vec<Code>) {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = regex(
        &RE,
        r"\bCode: (\d{1,4})[.,]\s*(?:DB::Exception|e\.displayText|[A-Z])|received ClickHouse error code (\d{1,4})",
    ) else {
        return;
    };
    for c in re.captures_iter(message) {
        let Some(digits) = c.get(1).or_else(|| c.get(2)) else {
            continue;
        };
        let number: u32 = digits.as_str().parse().unwrap_or(0);
        let means = clickhouse_number(number);
        push(codes, format!("Code: {number}"), Scheme::Warehouse, means);
    }
    if codes.iter().any(|c| c.text.starts_with("Code: ")) {
        return;
    }
    // Without `Code: N` (a server log line, a client that prints only the exception), the
    // exception's name in parentheses after the text still says which error it is.
    static NAME: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(name_re) = regex(
        &NAME,
        r"DB::Exception:[^\n]*?\(([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\)",
    ) else {
        return;
    };
    for c in name_re.captures_iter(message) {
        let name = &c[1];
        if let Some(number) = clickhouse_name(name) {
            push(codes, name, Scheme::Warehouse, clickhouse_number(number));
        }
    }
}

/// The numbers of ClickHouse's best-known exception names (`src/Common/ErrorCodes.cpp`).
fn clickhouse_name(name: &str) -> Option<u32> {
    Some(match name {
        "UNKNOWN_IDENTIFIER" => 47,
        "THERE_IS_NO_COLUMN" => 8,
        "NOT_FOUND_COLUMN_IN_BLOCK" => 10,
        "NO_SUCH_COLUMN_IN_TABLE" => 16,
        "UNKNOWN_TABLE" => 60,
        "UNKNOWN_DATABASE" => 81,
        "DATABASE_ALREADY_EXISTS" => 82,
        "TABLE_ALREADY_EXISTS" => 57,
        "UNKNOWN_FUNCTION" => 46,
        "SYNTAX_ERROR" => 62,
        "ILLEGAL_TYPE_OF_ARGUMENT" => 43,
        "NUMBER_OF_ARGUMENTS_DOESNT_MATCH" => 42,
        "TYPE_MISMATCH" => 53,
        "CANNOT_CONVERT_TYPE" => 70,
        "CANNOT_PARSE_TEXT" => 6,
        "CANNOT_PARSE_DATE" => 38,
        "CANNOT_PARSE_DATETIME" => 41,
        "CANNOT_PARSE_NUMBER" => 72,
        "CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN" => 349,
        "NOT_AN_AGGREGATE" => 215,
        "ILLEGAL_AGGREGATION" => 184,
        "NOT_IMPLEMENTED" => 48,
        "UNSUPPORTED_METHOD" => 1,
        "ACCESS_DENIED" => 497,
        "UNKNOWN_USER" => 192,
        "REQUIRED_PASSWORD" => 194,
        "AUTHENTICATION_FAILED" => 516,
        "MEMORY_LIMIT_EXCEEDED" => 241,
        "TIMEOUT_EXCEEDED" => 159,
        "TOO_MANY_SIMULTANEOUS_QUERIES" => 202,
        "LOGICAL_ERROR" => 49,
        _ => return None,
    })
}

fn clickhouse_number(n: u32) -> Means {
    const SYNTAX: &[Category] = &[SqlError, SqlDialect];
    match n {
        47 | 16 | 10 | 8 => Means::OneOf(&[MissingColumn, SchemaDrift, SqlError]),
        113 | 102 | 32 => Means::Is(Connection),
        59 => Means::Is(SqlError),
        373 => Means::Is(Resource),
        60 | 81 | 390 => Means::Is(MissingRelation),
        46 => Means::OneOf(&[SqlDialect, SqlError]),
        62 => Means::OneOf(SYNTAX),
        497 | 164 | 242 | 291 => Means::Is(Permission),
        516 | 192 | 194 | 210 | 209 | 279 | 519 => Means::Is(Connection),
        241 | 173 | 159 | 160 | 202 | 252 | 201 | 396 | 158 | 307 | 473 | 236 | 394 | 999 | 225
        | 341 | 439 | 3 => Means::Is(Resource),
        6 | 27 | 38 | 41 | 69 | 72 | 153 | 349 | 117 | 321 | 131 | 26 => Means::Is(Data),
        70 | 53 => Means::OneOf(&[SqlError, Data]),
        43 | 42 => Means::OneOf(&[SqlError, SqlDialect]),
        386 | 215 | 179 | 352 | 36 | 184 | 44 | 630 => Means::Is(SqlError),
        57 | 82 => Means::OneOf(&[Resource, SqlError]),
        48 | 1 | 344 | 50 => Means::OneOf(&[SqlDialect, SqlError]),
        20 => Means::OneOf(&[SchemaDrift, SqlError]),
        49 | 1000 => Means::Is(Other),
        _ => Means::Nothing,
    }
}

// ---------------------------------------------------------------------------------------------
// Trino, Starburst, Athena: `TrinoUserError(type=USER_ERROR, name=COLUMN_NOT_FOUND, …)`, and
// Athena's `HIVE_BAD_DATA: …` at the start of a line.

fn trino(message: &str, codes: &mut Vec<Code>) {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = regex(
        &RE,
        r"(?m)\b(?:name|errorName|error_name)=([A-Z][A-Z0-9_]+)|(?:^\s*|[Qq]uery: )(?:FAILED: )?([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+): ",
    ) else {
        return;
    };
    for c in re.captures_iter(message) {
        let (name, named) = match (c.get(1), c.get(2)) {
            (Some(n), _) => (n.as_str(), true),
            (None, Some(n)) => (n.as_str(), false),
            _ => continue,
        };
        let known = trino_name(name);
        // A line-start name is only a code when we know it (not any SHOUTED_WORDS: at a line's start).
        let means = match known {
            Some(m) => m,
            None if named => by_name(name),
            None => continue,
        };
        push(codes, name, Scheme::Warehouse, means);
    }
}

fn trino_name(name: &str) -> Option<Means> {
    Some(match name {
        // Athena's engine 2 reports semantic errors as SYNTAX_ERROR too: the text decides.
        "SYNTAX_ERROR" => Means::OneOf(&[
            SqlError,
            SqlDialect,
            MissingColumn,
            MissingRelation,
            Permission,
        ]),
        "COLUMN_NOT_FOUND" | "MISSING_COLUMN" => {
            Means::OneOf(&[MissingColumn, SchemaDrift, SqlError])
        }
        "TABLE_NOT_FOUND"
        | "SCHEMA_NOT_FOUND"
        | "CATALOG_NOT_FOUND"
        | "MISSING_TABLE"
        | "MISSING_SCHEMA"
        | "MISSING_CATALOG"
        | "HIVE_INVALID_METADATA" => Means::Is(MissingRelation),
        "FUNCTION_NOT_FOUND" | "MISSING_FUNCTION" => Means::OneOf(&[SqlDialect, SqlError]),
        "PERMISSION_DENIED" | "ACCESS_DENIED" => Means::Is(Permission),
        "NOT_SUPPORTED" | "HIVE_UNSUPPORTED_FORMAT" | "ICEBERG_INVALID_FORMAT_VERSION" => {
            Means::OneOf(&[SqlDialect, SqlError])
        }
        "TYPE_MISMATCH" | "FUNCTION_IMPLEMENTATION_MISSING" => {
            Means::OneOf(&[SqlError, SqlDialect])
        }
        "INVALID_CAST_ARGUMENT"
        | "DIVISION_BY_ZERO"
        | "NUMERIC_VALUE_OUT_OF_RANGE"
        | "HIVE_BAD_DATA"
        | "HIVE_CURSOR_ERROR"
        | "CONSTRAINT_VIOLATION"
        | "INVALID_LITERAL"
        | "HIVE_INVALID_PARTITION_VALUE" => Means::Is(Data),
        "INVALID_FUNCTION_ARGUMENT" => Means::OneOf(&[Data, SqlError]),
        "EXCEEDED_TIME_LIMIT"
        | "EXCEEDED_GLOBAL_MEMORY_LIMIT"
        | "EXCEEDED_LOCAL_MEMORY_LIMIT"
        | "EXCEEDED_CPU_LIMIT"
        | "EXCEEDED_SCAN_LIMIT"
        | "CLUSTER_OUT_OF_MEMORY"
        | "QUERY_QUEUE_FULL"
        | "ADMINISTRATIVELY_PREEMPTED"
        | "INSUFFICIENT_RESOURCES"
        | "ICEBERG_COMMIT_ERROR"
        | "HIVE_TOO_MANY_OPEN_PARTITIONS"
        | "QUERY_EXCEEDED"
        | "QUERY_HAS_TOO_MANY_STAGES"
        | "TOO_MANY_REQUESTS_FAILED"
        | "EXCEEDED_SPILL_LIMIT"
        | "STACK_OVERFLOW"
        | "QUERY_TEXT_TOO_LARGE" => Means::Is(Resource),
        "AMBIGUOUS_NAME"
        | "MISSING_COLUMN_NAME"
        | "DUPLICATE_COLUMN_NAME"
        | "EXPRESSION_NOT_AGGREGATE"
        | "MISSING_GROUP_BY"
        | "INVALID_COLUMN_REFERENCE"
        | "MISMATCHED_COLUMN_ALIASES"
        | "DUPLICATE_NAMED_QUERY"
        | "INVALID_WINDOW_FRAME"
        | "NESTED_AGGREGATION"
        | "INVALID_ARGUMENTS" => Means::Is(SqlError),
        "TABLE_ALREADY_EXISTS" | "SCHEMA_ALREADY_EXISTS" | "ALREADY_EXISTS" => {
            Means::OneOf(&[Resource, SqlError])
        }
        "HIVE_PARTITION_SCHEMA_MISMATCH" | "HIVE_PARTITION_MISMATCH" => {
            Means::OneOf(&[SchemaDrift, Data])
        }
        "GENERIC_INTERNAL_ERROR" => Means::Is(Other),
        "GENERIC_USER_ERROR" | "HIVE_METASTORE_ERROR" => Means::Nothing,
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// BigQuery: the reason Google's API gives (`…, invalidQuery`, `reason: notFound`).

fn bigquery(message: &str, codes: &mut Vec<Code>) {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = regex(
        &RE,
        r#"(?:, |reason[:=]\s*['"]?|"reason":\s*")(invalidQuery|notFound|accessDenied|quotaExceeded|rateLimitExceeded|resourcesExceeded|responseTooLarge|billingTierLimitExceeded|jobRateLimitExceeded|duplicate|invalid|backendError|internalError|timeout|jobBackendError|billingNotEnabled)\b"#,
    ) else {
        return;
    };
    for c in re.captures_iter(message) {
        let reason = &c[1];
        let means = match reason {
            "notFound" => Means::OneOf(&[MissingRelation, MissingColumn, Permission]),
            "accessDenied" | "billingNotEnabled" => Means::OneOf(&[Permission, MissingRelation]),
            "quotaExceeded"
            | "rateLimitExceeded"
            | "resourcesExceeded"
            | "responseTooLarge"
            | "billingTierLimitExceeded"
            | "jobRateLimitExceeded"
            | "timeout" => Means::Is(Resource),
            "duplicate" => Means::OneOf(&[Resource, SqlError]),
            "backendError" | "internalError" | "jobBackendError" => {
                Means::OneOf(&[Resource, Other])
            }
            _ => Means::Nothing,
        };
        push(codes, reason, Scheme::Warehouse, means);
    }
}

// ---------------------------------------------------------------------------------------------
// AWS's APIs (Athena, Glue, Redshift Data): `An error occurred (EntityNotFoundException) when
// calling the GetTable operation`, `TooManyRequestsException: …`.

fn aws(message: &str, codes: &mut Vec<Code>) {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = regex(
        &RE,
        r"An error occurred \((\w+)\) when calling|\b(\w+(?:Exception|ThrottlingException)): ",
    ) else {
        return;
    };
    for c in re.captures_iter(message) {
        let Some(name) = c.get(1).or_else(|| c.get(2)).map(|m| m.as_str()) else {
            continue;
        };
        let means = match name {
            "EntityNotFoundException"
            | "ResourceNotFoundException"
            | "NoSuchBucket"
            | "NoSuchKey" => Means::OneOf(&[MissingRelation, Permission]),
            "AccessDeniedException" | "AccessDenied" | "UnauthorizedOperation" => {
                Means::Is(Permission)
            }
            "TooManyRequestsException"
            | "ThrottlingException"
            | "LimitExceededException"
            | "ServiceQuotaExceededException"
            | "SlowDown" => Means::Is(Resource),
            "ExpiredTokenException"
            | "UnrecognizedClientException"
            | "InvalidClientTokenId"
            | "ExpiredToken" => Means::Is(Connection),
            // Python's and Java's own exceptions say nothing of the warehouse.
            _ if c.get(1).is_none() => continue,
            _ => Means::Nothing,
        };
        push(codes, name, Scheme::Warehouse, means);
    }
}

// ---------------------------------------------------------------------------------------------
// DuckDB / MotherDuck: the error kind in front of the message (`Binder Error: …`).

fn duckdb(message: &str, codes: &mut Vec<Code>) {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = regex(
        &RE,
        r"\b(Binder|Catalog|Conversion|Parser|Constraint|Out of Range|Invalid Input|IO|Out of Memory|Not implemented|Permission|Transaction|TransactionContext|Serialization|HTTP|Interrupt|INTERNAL|Invalid Configuration|Sequence|Invalid Type|Mismatch Type|Type Mismatch|Syntax|Extension Autoloading|Invalid) Error: ",
    ) else {
        return;
    };
    if let Some(c) = re.captures(message) {
        let kind = &c[1];
        let means = match kind {
            "Binder" => Means::OneOf(&[
                SqlError,
                MissingColumn,
                SqlDialect,
                SchemaDrift,
                Data,
                MissingRelation,
            ]),
            "Catalog" => Means::OneOf(&[
                MissingRelation,
                SqlDialect,
                MissingColumn,
                Permission,
                Resource,
                Connection,
                SqlError,
            ]),
            "Conversion" | "Out of Range" | "Constraint" | "Sequence" => Means::Is(Data),
            "Invalid Input" => Means::OneOf(&[Data, SqlError, Connection, SqlDialect, Dependency]),
            "Parser" | "Syntax" => Means::OneOf(&[SqlError, SqlDialect]),
            "IO" => Means::OneOf(&[Connection, MissingRelation, Resource, Permission]),
            "HTTP" => Means::OneOf(&[Connection, Permission, MissingRelation, Resource]),
            "Out of Memory" | "Transaction" | "TransactionContext" | "Serialization"
            | "Interrupt" => Means::Is(Resource),
            "Not implemented" => Means::OneOf(&[SqlDialect, SqlError, Dependency]),
            "Permission" => Means::OneOf(&[Permission, Connection]),
            "Invalid Configuration" => Means::OneOf(&[Connection, SqlError]),
            "Invalid Type" | "Mismatch Type" | "Type Mismatch" => {
                Means::OneOf(&[SqlError, Data, SqlDialect])
            }
            "INTERNAL" => Means::Is(Other),
            "Extension Autoloading" => Means::OneOf(&[Dependency, Connection]),
            _ => Means::Nothing,
        };
        push(codes, format!("{kind} Error"), Scheme::Warehouse, means);
    }
}

// ---------------------------------------------------------------------------------------------
// SQLSTATE: `(SQLSTATE: 42501)`, `SQLSTATE 42P01`, pyodbc's `('42S02', …` and `[42S02]`,
// redshift_connector's `'C': '42P01'`, and the one after Snowflake's number.

fn sqlstates(message: &str, codes: &mut Vec<Code>) {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = regex(
        &RE,
        r#"(?i:sqlstate)[:= \[]*['"]?([0-9A-Z]{5})\b|\d{6} \(([0-9A-Z]{5})\)|\('([0-9A-Z]{5})', |\[([0-9A-Z]{5})\]|'C': '([0-9A-Z]{5})'|\bSQL state \[?([0-9A-Z]{5})"#,
    ) else {
        return;
    };
    for c in re.captures_iter(message) {
        let Some(state) = (1..=6).find_map(|i| c.get(i)).map(|m| m.as_str()) else {
            continue;
        };
        if !looks_like_sqlstate(state) {
            continue;
        }
        push(codes, state, Scheme::SqlState, sqlstate_means(state));
    }
}

/// A SQLSTATE: five characters of digits and capitals, with at least two digits (so that
/// `[ERROR]`-like words are not read as one).
fn looks_like_sqlstate(s: &str) -> bool {
    s.len() == 5
        && s.bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
        && s.bytes().filter(u8::is_ascii_digit).count() >= 2
}

fn sqlstate_means(state: &str) -> Means {
    const COLUMN: &[Category] = &[MissingColumn, SchemaDrift, SqlDialect, SqlError];
    match state {
        "42501" | "42502" => Means::Is(Permission),
        // A relation of another warehouse's catalog (`pg_catalog.pg_roles` on Redshift) is a
        // dialect matter: its rule reads the name.
        "42P01" | "42S02" | "3F000" => Means::OneOf(&[MissingRelation, Permission, SqlDialect]),
        "42703" | "42S22" => Means::OneOf(COLUMN),
        "42883" | "42P13" => Means::OneOf(&[SqlDialect, SqlError]),
        "42601" | "42602" => Means::OneOf(&[SqlError, SqlDialect]),
        "42S01" | "42P07" | "42710" | "42P06" => Means::OneOf(&[Resource, SqlError]),
        "42804" | "42846" | "42725" | "42P18" | "42809" => {
            Means::OneOf(&[SqlError, SqlDialect, Data])
        }
        "42803" | "42702" | "42712" | "42P10" | "42611" => Means::Is(SqlError),
        "3D000" => Means::OneOf(&[MissingRelation, Connection]),
        "0A000" => Means::OneOf(&[SqlDialect, SqlError]),
        "40P01" | "40001" | "55P03" | "57014" => Means::Is(Resource),
        // "Invalid regular expression": the pattern the SQL wrote, or one from the data.
        "22000" | "22023" | "2201B" => Means::OneOf(&[Data, SqlError, SqlDialect]),
        "0AKUD" => Means::OneOf(&[SqlDialect, Permission]),
        // A unique violation, of the data or of Postgres' own catalog (two sessions creating one
        // name at once), which a phrase tells apart.
        "23505" => Means::OneOf(&[Data, Resource]),
        _ => match &state[..2] {
            "08" | "28" => Means::Is(Connection),
            "22" | "23" => Means::Is(Data),
            "53" | "54" => Means::Is(Resource),
            "57" => Means::OneOf(&[Resource, Connection]),
            "40" => Means::Is(Resource),
            // "Syntax error or access rule violation" (`42000`, ODBC's catch-all): the SQL,
            // unless the words say which part of it.
            "42" => Means::OneOf(&[
                SqlError,
                SqlDialect,
                MissingColumn,
                MissingRelation,
                Permission,
                SchemaDrift,
                Data,
                Resource,
            ]),
            _ => Means::Nothing,
        },
    }
}

// ---------------------------------------------------------------------------------------------
// dbt Fusion: `error: dbt0209: No function MY_UDF`.

fn fusion(message: &str, codes: &mut Vec<Code>) {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    // `error: dbt0209: …` (older releases) and `[error] [NoFunction (dbt0209)]: …` (newer);
    // a few messages print the number unpadded (`Error dbt227: …`).
    let Some(re) = regex(&RE, r"\bdbt(\d{3,4})(?::|\)\]:)") else {
        return;
    };
    for c in re.captures_iter(message) {
        let number: u16 = c[1].parse().unwrap_or(0);
        let means = fusion_codes::lookup(number)
            .and_then(|f| f.category)
            .map_or(Means::Nothing, Means::Prefer);
        push(codes, format!("dbt{}", &c[1]), Scheme::Fusion, means);
    }
}

/// A Fusion code's number (`dbt1005` → 1005).
fn fusion_number(code: &Code) -> Option<u16> {
    code.text.strip_prefix("dbt")?.parse().ok()
}

/// The category a Fusion code's range suggests when even the message's words did not vote.
pub(crate) fn fusion_weak_range(code: &Code) -> Option<Category> {
    fusion_number(code).and_then(fusion_codes::weak_range_category)
}

/// The category a Fusion code's range implies, when neither the table nor the text decides.
pub(crate) fn fusion_range(code: &Code) -> Option<Category> {
    fusion_number(code).and_then(fusion_codes::range_category)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(m: &str) -> Vec<(String, Option<Category>)> {
        read(m)
            .into_iter()
            .map(|c| (c.text, c.means.default_category()))
            .collect()
    }

    #[test]
    fn reads_each_scheme() {
        assert_eq!(
            codes("002003 (42S02): SQL compilation error:\nTable 'X' does not exist or not authorized."),
            [
                ("002003".to_string(), Some(MissingRelation)),
                ("42S02".to_string(), Some(MissingRelation))
            ]
        );
        assert_eq!(
            codes("ORA-00942: table or view does not exist"),
            [("ORA-00942".to_string(), Some(MissingRelation))]
        );
        assert_eq!(
            codes("[42S02] [Microsoft][ODBC Driver 17 for SQL Server][SQL Server]Invalid object name 'x'. (208) (SQLExecDirectW)"),
            [
                ("208".to_string(), Some(MissingRelation)),
                ("42S02".to_string(), Some(MissingRelation))
            ]
        );
        assert_eq!(
            codes("[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column cannot be resolved"),
            [(
                "UNRESOLVED_COLUMN.WITH_SUGGESTION".to_string(),
                Some(MissingColumn)
            )]
        );
        assert_eq!(
            codes("Code: 60. DB::Exception: Table default.x does not exist. (UNKNOWN_TABLE)"),
            [("Code: 60".to_string(), Some(MissingRelation))]
        );
        assert_eq!(
            codes("TrinoUserError(type=USER_ERROR, name=NOT_SUPPORTED, message=\"Timestamp precision (3) not supported for Iceberg.\")"),
            [("NOT_SUPPORTED".to_string(), Some(SqlDialect))]
        );
        assert_eq!(
            codes("googleapi: Error 400: Unrecognized name: x at [3:4], invalidQuery"),
            [("invalidQuery".to_string(), None)]
        );
        assert_eq!(
            codes("Conversion Error: Could not convert string 'n/a' to INT32"),
            [("Conversion Error".to_string(), Some(Data))]
        );
        assert_eq!(
            codes("Runtime Error\n  Database Error\n  (SQLSTATE: 42501) denied"),
            [("42501".to_string(), Some(Permission))]
        );
    }

    #[test]
    fn ignores_words_that_are_no_codes() {
        assert!(codes("[ERROR] something [Microsoft][ODBC Driver 17 for SQL Server]").is_empty());
        assert!(codes("WARNING: the model ran (123)").is_empty());
        assert!(codes("line 12, in NOTE_THIS: value").is_empty());
    }
}
