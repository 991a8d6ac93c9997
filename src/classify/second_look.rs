//! A second look at a verdict, once the phrases and the codes have spoken: the readings that a
//! phrase cannot make alone because they depend on the evidence it extracted, the node's
//! context or the SQL. Each is one small function, tried in order; each says in its comment the
//! trap it avoids.

use super::codes::Code;
use super::{
    contract, found_codes_allow, missing_column, sql_dialect, Category, Context, Evidence,
};
use crate::adapter::{Adapter, Family};
use regex_lite::Regex;
use std::sync::OnceLock;

/// What [`apply`] may change.
pub(super) struct Verdict {
    pub category: Category,
    pub evidence: Evidence,
    pub decided_by: Option<String>,
}

impl Verdict {
    fn change(&mut self, category: Category, why: impl Into<String>) {
        self.category = category;
        self.decided_by = Some(why.into());
    }
}

pub(super) fn apply(
    v: &mut Verdict,
    message: &str,
    ctx: &Context<'_>,
    adapter: Option<&Adapter>,
    codes: &[Code],
) {
    date_part_read_as_column(v, message, ctx);
    value_too_wide_for_contract(v, message, ctx);
    contract_column(v, message);
    string_in_double_quotes(v, message, ctx);
    rendered_null(v);
    boolean_literal_on_tsql(v, adapter);
    keyword_from_elsewhere(v, message, codes);
    postgres_builtin_misused(v);
    other_signatures_listed(v, message);
    compiled_not_run(v, message);
    generated_against_old_target(v, message, ctx);
}

/// Postgres/Redshift: `dateadd(day, 1, x)` reads `day` as a column.
fn date_part_read_as_column(v: &mut Verdict, message: &str, ctx: &Context<'_>) {
    if v.category != Category::MissingColumn {
        return;
    }
    if let Some((function, quote)) =
        sql_dialect::date_part_trap(v.evidence.column.as_deref(), message, ctx.compiled_code)
    {
        // `day` was never a column: the evidence is the function.
        v.evidence.column = None;
        v.evidence.function = Some(function);
        v.change(Category::SqlDialect, quote);
    }
}

/// A value that does not fit its column, in a model whose contract declares the columns'
/// types: the contract's type is narrower than what the model returns (dbt checks type names,
/// not sizes, so the warehouse refuses the insert instead).
fn value_too_wide_for_contract(v: &mut Verdict, message: &str, ctx: &Context<'_>) {
    if v.category != Category::Data || !ctx.contract_enforced {
        return;
    }
    let lower = message.to_ascii_lowercase();
    let too_wide = [
        "too long",
        "out of representable range",
        "out of range",
        "would be truncated",
    ]
    .iter()
    .any(|w| lower.contains(w));
    if too_wide {
        v.change(
            Category::Contract,
            "contract enforced, and a value does not fit its declared type",
        );
    }
}

/// A contract's first mismatched column is the evidence.
fn contract_column(v: &mut Verdict, message: &str) {
    if v.category == Category::Contract && v.evidence.column.is_none() {
        v.evidence.column = contract::mismatches(message)
            .into_iter()
            .next()
            .map(|m| m.column);
    }
}

/// A string written in double quotes is read as a column name.
fn string_in_double_quotes(v: &mut Verdict, message: &str, ctx: &Context<'_>) {
    if v.category != Category::MissingColumn {
        return;
    }
    if let Some(quote) = v
        .evidence
        .column
        .as_deref()
        .and_then(|c| missing_column::quoted_literal(c, message, ctx.compiled_code))
    {
        v.change(Category::SqlError, quote);
    }
}

/// Names that are no column: generated SQL rendered a null (`Invalid column name 'None'`).
fn rendered_null(v: &mut Verdict) {
    let null = v.evidence.column.as_deref().is_some_and(|c| {
        matches!(
            c.to_ascii_lowercase().as_str(),
            "none" | "undefined" | "nan"
        )
    });
    if v.category == Category::MissingColumn && null {
        v.category = Category::SqlError;
    }
}

/// T-SQL has no boolean literals: `Invalid column name 'True'` is `true` written for another
/// warehouse (often by a package), not a column that went missing.
fn boolean_literal_on_tsql(v: &mut Verdict, adapter: Option<&Adapter>) {
    let tsql = adapter.is_some_and(|a| a.family() == Family::TSql);
    let boolean = v
        .evidence
        .column
        .as_deref()
        .is_some_and(|c| c.eq_ignore_ascii_case("true") || c.eq_ignore_ascii_case("false"));
    if v.category == Category::MissingColumn && tsql && boolean {
        let word = v.evidence.column.take().unwrap_or_default();
        v.evidence.function = Some(word.to_ascii_uppercase());
        v.change(
            Category::SqlDialect,
            format!("'{word}' as a column: T-SQL has no boolean literals (use 1/0 or a BIT cast)"),
        );
    }
}

/// A syntax error at a keyword this warehouse lacks is SQL from elsewhere.
fn keyword_from_elsewhere(v: &mut Verdict, message: &str, codes: &[Code]) {
    if v.category != Category::SqlError || !found_codes_allow(codes, Category::SqlDialect) {
        return;
    }
    if let Some((keyword, quote)) = sql_dialect::keyword_syntax_error(message) {
        v.evidence.function = Some(keyword);
        v.change(Category::SqlDialect, quote);
    }
}

/// A Postgres built-in called with the wrong argument types is the model's mistake, not a dialect.
fn postgres_builtin_misused(v: &mut Verdict) {
    let builtin = v.evidence.function.as_deref().is_some_and(|f| {
        f.strip_prefix("pg_catalog.")
            .is_some_and(|name| !sql_dialect::is_foreign_function(name))
    });
    if v.category == Category::SqlDialect && builtin {
        v.category = Category::SqlError;
    }
}

/// The warehouse has the function and lists the argument types it takes (DuckDB's `Candidate
/// functions:`, Trino's `Expected: is_nan(double)`, BigQuery's `Supported signature:`,
/// Snowflake's `Invalid argument types for function`): the call exists in this dialect, the
/// arguments given are of the wrong type — an error in the SQL, not SQL from another warehouse.
/// Date and time functions stay dialect: their argument types and orders are what warehouses
/// differ on most (BigQuery's `DATE_ADD` on a TIMESTAMP), as are the functions known to be
/// another warehouse's.
fn other_signatures_listed(v: &mut Verdict, message: &str) {
    if v.category != Category::SqlDialect {
        return;
    }
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = RE
        .get_or_init(|| {
            Regex::new(
                r"(?i)No function matches the given name and argument types '(?P<a>\w+)\((?s:.{0,300}?)Candidate functions|Unexpected parameters \([^)]*\) for function (?P<b>\w+)\. Expected|No matching signature for function (?P<c>[\w.]+)(?s:.{0,300}?)Supported signatures?:|Invalid argument types for function '(?P<d>[^']+)'",
            )
            .ok()
        })
        .as_ref()
    else {
        return;
    };
    let Some(found) = re.captures(message) else {
        return;
    };
    let Some(name) = ["a", "b", "c", "d"].iter().find_map(|g| found.name(g)) else {
        return;
    };
    let function = name.as_str().to_ascii_lowercase();
    let about_time = ["date", "time", "interval", "day", "month", "year", "week"]
        .iter()
        .any(|w| function.contains(w));
    if about_time || sql_dialect::is_foreign_function(&function) {
        return;
    }
    let quote = found.get(0).map_or("", |m| m.as_str()).to_string();
    v.change(Category::SqlError, quote);
}

/// The warehouse refused the statement while compiling it (Snowflake's `SQL compilation
/// error`, a literal in the SQL that does not cast): no row was read, so no value in the data is
/// to blame — the types or the literal written in the SQL are.
fn compiled_not_run(v: &mut Verdict, message: &str) {
    if v.category != Category::Data {
        return;
    }
    let lower = message.to_ascii_lowercase();
    let at_compile = [
        "sql compilation error",
        "could not cast literal",
        "is not supported for conversions from",
    ]
    .into_iter()
    .find(|w| lower.contains(w));
    // A check that reads the table's rows while compiling an ALTER (`contains null values. Not
    // null constraint cannot be added`) is about the data after all.
    let about_rows = lower.contains("null values") || lower.contains("duplicate");
    if let Some(words) = at_compile.filter(|_| !about_rows) {
        v.change(
            Category::SqlError,
            format!("{words}: refused before any row was read"),
        );
    }
}

/// A column missing from what dbt's own generated SQL reads of the existing table — a
/// snapshot's `snapshotted_data`, an incremental's `DBT_INTERNAL_DEST`, ClickHouse's
/// `__dbt_new_data` comparison — is the existing table out of step with the model, not a column
/// renamed upstream.
fn generated_against_old_target(v: &mut Verdict, message: &str, ctx: &Context<'_>) {
    if v.category != Category::MissingColumn {
        return;
    }
    let lower = message.to_ascii_lowercase();
    let mark = ["snapshotted_data", "__dbt_new_data", "dbt_internal_dest"]
        .into_iter()
        .find(|m| lower.contains(m));
    let kept_table = ctx.resource_type == Some("snapshot")
        || matches!(ctx.materialized, Some("incremental" | "snapshot"));
    if let Some(mark) = mark.filter(|_| kept_table || ctx.resource_type.is_none()) {
        v.change(
            Category::SchemaDrift,
            format!("the column is missing where dbt's SQL reads the existing table ({mark})"),
        );
    }
}
