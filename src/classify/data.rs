//! `data`: the data broke the SQL at run time — casts, division by zero, duplicates in a merge,
//! NOT NULL or unique constraints.
//!
//! # What it looks like
//! `Database Error in model fct_orders (models/marts/fct_orders.sql)`
//! `  division by zero`
//! `100038 (22018): Numeric value 'N/A' is not recognized`
//!
//! # Why dbt fails
//! The SQL is valid but a row it met is not: a text value that does not cast, a zero divisor,
//! a key that appears twice in a merge's source, a NULL into a NOT NULL column. It often starts
//! after a change in a source system, not in the dbt project.
//!
//! # What to do
//! Find the offending rows (run the compiled SQL without the failing expression, filter for the
//! value in the message), then guard the SQL (`TRY_CAST`/`SAFE_CAST`/`NULLIF(x, 0)`, deduplicate
//! before a merge) or fix the data upstream; add a test so it fails early next time.

use super::Rule;

pub(super) const RULES: &[Rule] = &[
    // Values too long for the aggregate's type (LISTAGG's 64K, STRING_AGG's 8,000 bytes).
    Rule::any(
        r"Result size exceeds LISTAGG limit[^\n]*|STRING_AGG aggregation result exceeded the limit of \d+ bytes[^\n]*",
    ),
    // A file's values that do not fit the declared types, or rows of the wrong width (a seed).
    Rule::any(
        r"data conversion error[^\n]*|Mismatch Type Error: Invalid type in column[^\n]*|incorrect number of fields for line[^\n]*|Error when sniffing file[^\n]*|not possible to automatically detect the CSV parsing dialect[^\n]*",
    ),
    // External files that disagree with the table's schema.
    Rule::any(
        r"Parquet column '(?P<column>[^']+)' has type \w+ which does not match the target cpp_type \w+",
    ),
    Rule::any(r"Array cannot have a null element[^\n]*"),
    // Redshift's internal error 8001, "Invalid input": a value the function cannot take.
    Rule::any(r"Invalid input[\s\S]{0,120}code:\s+8001[\s\S]{0,40}context:[^\n]*"),
    Rule::any(r"contains null values\. Not null constraint cannot be added[^\n]*"),
    Rule::any(r"division by zero|divide by zero[^\n]*|\[DIVIDE_BY_ZERO\][^\n]*|DIVISION_BY_ZERO"),
    Rule::any(r"invalid input syntax for (?:type )?\w+[^\n]*"),
    Rule::any(
        r#"null value in column "(?P<column>[^"]+)"(?: of relation "(?P<relation>[^"]+)")? violates not-null constraint"#,
    ),
    Rule::any(r#"duplicate key value violates unique constraint "(?P<object>[^"]+)""#),
    Rule::any(r"Cannot perform Merge as multiple source rows matched[^\n]*"),
    Rule::any(
        r"duplicate key value violates unique constraint[^\n]*|Violation of (?:PRIMARY KEY|UNIQUE KEY) constraint[^\n]*|Cannot insert duplicate key[^\n]*",
    ),
    Rule::any(
        r"value too long for type[^\n]*|String or binary data would be truncated[^\n]*|String '[^'\n]*' is too long[^\n]*",
    ),
    Rule::any(
        r"numeric field overflow|Arithmetic overflow error[^\n]*|\[ARITHMETIC_OVERFLOW\][^\n]*|NUMERIC_VALUE_OUT_OF_RANGE|Numeric value out of range|out of range for type \w+|Out of Range Error[^\n]*|value out of range[^\n]*|date/time field value out of range[^\n]*",
    ),
    Rule::any(
        r"Numeric value '[^'\n]*' is not recognized|(?:Timestamp|Date|Time|Boolean) '[^'\n]*' is not recognized|Can't parse '[^'\n]*' as[^\n]*",
    ),
    Rule::any(
        r"Duplicate row detected during DML action[^\n]*|UPDATE/MERGE must match at most one source row for each target row|MULTIPLE_SOURCE_ROW_MATCHING_TARGET_ROW_IN_MERGE[^\n]*|The MERGE statement attempted to UPDATE or DELETE the same row more than once",
    ),
    Rule::any(
        r"NULL result in a non-nullable column|Cannot insert the value NULL into column '(?P<column>[^']+)'[^\n]*|NOT_NULL_CONSTRAINT_VIOLATED[^\n]*",
    ),
    Rule::any(r"Constraint Error: NOT NULL constraint failed: (?P<relation>\w+)\.(?P<column>\w+)"),
    Rule::any(r"Constraint Error: (?:Duplicate key|PRIMARY KEY or UNIQUE constraint violat)[^\n]*"),
    Rule::any(
        r"Conversion Error: [^\n]*|Could not convert string[^\n]*|Invalid Input Error: Could not (?:convert|parse)[^\n]*",
    ),
    Rule::any(
        r"Bad (?:int64|double|bool|numeric|date|timestamp) value[^\n]*|Could not cast literal[^\n]*|Invalid (?:date|timestamp|datetime)(?: string)?:? '?[^\n]*|Failed to parse input string[^\n]*",
    ),
    Rule::any(
        r"\[CAST_INVALID_INPUT\][^\n]*|CANNOT_PARSE_TIMESTAMP[^\n]*|INVALID_CAST_ARGUMENT[^\n]*|Cannot cast '[^'\n]*' to[^\n]*|Conversion failed when converting[^\n]*|Error converting data type[^\n]*",
    ),
    Rule::any(r"Invalid digit, Value '[^'\n]*'[^\n]*|Overflow \(Long valid range[^\n]*"),
    Rule::any(
        r"violates check constraint[^\n]*|violates foreign key constraint[^\n]*|CHECK constraint[^\n]*violat[^\n]*",
    ),
    Rule::any(
        r"more than one row returned by a subquery used as an expression|Scalar subquery produced more than one element|Single-row subquery returns more than one row",
    ),
    Rule::any(
        r#"Failed to cast variant value[^\n]*|Cannot cast [A-Z]+\s*'[^'\n]*' to[^\n]*|NOT NULL constraint violated[^\n]*|InvariantViolationException[^\n]*|encountered unterminated string|Failed to convert current row[^\n]*|Invalid input: [^\n]*|Unmatched number of columns between table and file[^\n]*|Invalid (?:date|timestamp|datetime) value[^\n]*|Could not parse '[^'\n]*' as[^\n]*|malformed (?:CSV|JSON|record)[^\n]*"#,
    ),
    // Synapse serverless reading a file whose values the declared column type cannot hold.
    Rule::any(
        r"Column '(?P<column>[^']+)' of type '[^']+' is not compatible with external data type[^\n]*",
    ),
];

use super::fix::{FixContext, FixStep};
use crate::adapter::Family;

/// The value a conversion error quotes: Snowflake's `Numeric value 'N/A' is not recognized`,
/// `Timestamp '2024-01-05T10:00' is not recognized`, DuckDB's `Could not convert string '$3' to
/// INT32`, Postgres' `invalid input syntax for type integer: "12.5"`, BigQuery's `Bad int64
/// value: abc`.
fn quoted_value(message: &str) -> Option<String> {
    const BEFORE: [&str; 9] = [
        "value '",
        "string '",
        "Timestamp '",
        "Date '",
        "Time '",
        "Boolean '",
        "Can't parse '",
        "Could not parse '",
        "Cannot cast ",
    ];
    let quoted = BEFORE.iter().find_map(|b| {
        let (_, rest) = message.split_once(b)?;
        // `Cannot cast VARCHAR 'x' to …`: the type's name comes first.
        let rest = match *b {
            "Cannot cast " => rest
                .trim_start_matches(|c: char| c.is_ascii_uppercase() || c == ' ')
                .strip_prefix('\'')?,
            _ => rest,
        };
        rest.split_once('\'').map(|(v, _)| v.to_string())
    });
    let after = |label: &str, until: &[char]| {
        let (_, rest) = message.split_once(label)?;
        let rest = rest.trim_start().trim_start_matches('"');
        let end = rest.find(until).unwrap_or(rest.len());
        Some(rest[..end].to_string())
    };
    quoted
        .or_else(|| {
            let (_, rest) = message.split_once("invalid input syntax for type ")?;
            let (_, value) = rest.split_once(": \"")?;
            value.split_once('"').map(|(v, _)| v.to_string())
        })
        .or_else(|| {
            [
                "Bad int64 value: ",
                "Bad double value: ",
                "Bad numeric value: ",
            ]
            .iter()
            .find_map(|l| after(l, &[';', '\n', ' ']))
        })
        .filter(|v| v.chars().count() <= 80)
}

/// A remedy read from a value's shape.
#[derive(Debug, PartialEq)]
enum Shape {
    /// The value stands for a missing one (an empty string, `N/A`).
    Missing(String),
    /// Every value may be written this way (a currency sign, an ISO `T`): a lenient cast would
    /// null the column.
    Format(String),
}

/// What a value's shape says about a conversion that failed: a currency sign or a thousands
/// separator, an empty string or a written-out null, an ISO `T` or a missing part in a time,
/// a decimal cast to an integer. None when the shape says nothing (then it may be a few bad
/// rows, and a lenient cast is a fair remedy).
fn shape_remedy(value: &str, to_integer: bool, family: Family) -> Option<Shape> {
    let v = value.trim();
    let numeric_body = v
        .trim_start_matches(['$', '€', '£', '-', '+'])
        .replace(',', "");
    let numeric =
        !numeric_body.is_empty() && numeric_body.chars().all(|c| c.is_ascii_digit() || c == '.');
    if numeric && (v.starts_with(['$', '€', '£']) || v.contains(',')) {
        return Some(Shape::Format(format!(
            "it carries a currency sign or a thousands separator — strip them before the cast: \
             cast(replace(replace(col, '{}', ''), ',', '') as numeric)",
            v.chars()
                .next()
                .filter(|c| !c.is_ascii_digit())
                .unwrap_or('$')
        )));
    }
    if v.is_empty() {
        return Some(Shape::Missing(
            "it is an empty string — write nullif(col, '') inside the cast".into(),
        ));
    }
    let lower = v.to_ascii_lowercase();
    if ["n/a", "na", "null", "none", "nan", "-", "#n/a", "undefined"].contains(&lower.as_str()) {
        return Some(Shape::Missing(format!(
            "'{v}' stands for a missing value — write nullif(col, '{v}') inside the cast, or \
             turn it into NULL where the data is loaded"
        )));
    }
    if numeric && to_integer && v.contains('.') && !v.starts_with('.') {
        return Some(Shape::Format(
            "it has decimals and was cast to an integer — cast to a numeric/decimal type, or \
             round it first (cast(round(cast(col as numeric)) as integer))"
                .into(),
        ));
    }
    let date_like = v.len() >= 8
        && v.chars().filter(|c| c.is_ascii_digit()).count() >= 6
        && (v.contains('-') || v.contains('/') || v.contains(':'));
    if date_like {
        return Some(Shape::Format(format!(
            "it is a date or time in a format the default parser does not read — parse it with \
             its format written out: {}",
            parse_with_format(family)
        )));
    }
    None
}

fn parse_with_format(family: Family) -> &'static str {
    match family {
        Family::Snowflake => {
            "TO_TIMESTAMP(col, 'YYYY-MM-DD\"T\"HH24:MI') (or TO_DATE(col, 'DD/MM/YYYY'))"
        }
        Family::BigQuery => {
            "PARSE_TIMESTAMP('%Y-%m-%dT%H:%M', col) (or PARSE_DATE('%d/%m/%Y', col))"
        }
        Family::Postgres | Family::Redshift => {
            "to_timestamp(col, 'YYYY-MM-DD\"T\"HH24:MI') (or to_date(col, 'DD/MM/YYYY'))"
        }
        Family::DuckDb => "strptime(col, '%Y-%m-%dT%H:%M') (or '%d/%m/%Y')",
        Family::Spark => {
            "to_timestamp(col, \"yyyy-MM-dd'T'HH:mm\") (or to_date(col, 'dd/MM/yyyy'))"
        }
        Family::Trino => "date_parse(col, '%Y-%m-%dT%H:%i') (or '%d/%m/%Y')",
        Family::TSql => "CONVERT(datetime2, col, 126) for ISO 8601 (or style 103 for dd/mm/yyyy)",
        Family::ClickHouse => "parseDateTimeBestEffort(col) (or parseDateTime(col, '%d/%m/%Y'))",
        Family::Oracle => {
            "TO_TIMESTAMP(col, 'YYYY-MM-DD\"T\"HH24:MI') (or TO_DATE(col, 'DD/MM/YYYY'))"
        }
        _ => "the warehouse's to_timestamp/parse function with the format the values use",
    }
}

pub(super) fn fix(cx: &FixContext<'_>) -> Vec<FixStep> {
    let lower = cx.message.to_ascii_lowercase();
    let a = cx.adapter();
    let mut steps = Vec::new();
    if lower.contains("division by zero")
        || lower.contains("divide by zero")
        || lower.contains("divide_by_zero")
    {
        steps.push(FixStep::run(
            "Guard the divisor: NULLIF turns a zero into NULL, so the row gets NULL instead of failing the model",
            "numerator / NULLIF(denominator, 0)",
        ));
    } else if lower.contains("duplicate row")
        || lower.contains("at most one source row")
        || lower.contains("multiple_source_row")
        || lower.contains("more than once")
        || lower.contains("multiple source rows matched")
        || lower.contains("matched more than one source row")
        || lower.contains("stable set of rows")
    {
        steps.push(FixStep::say(format!(
            "The merge's source has the same unique_key more than once: deduplicate in {} (e.g. \
             row_number() over (partition by the key order by a timestamp desc) = 1) and add a \
             unique test on the key",
            cx.node()
        )));
    } else if lower.contains("too long") || lower.contains("would be truncated") {
        // A wider value than the column holds: TRY_CAST would hide it as NULL.
        let col = cx
            .ev()
            .column
            .map(|c| format!("column {c}"))
            .unwrap_or_else(|| "a column".into());
        steps.push(FixStep::say(format!(
            "A value is longer than {col} of the target table holds (its size was set by an \
             earlier load or by the DDL): widen the column (or rebuild the table so that it takes \
             the size the SQL produces), or cut the value in {} with LEFT/SUBSTRING if the \
             extra characters do not matter",
            cx.node()
        )));
    } else if lower.contains("null")
        && (lower.contains("not-null")
            || lower.contains("non-nullable")
            || lower.contains("not null"))
    {
        let col = cx.ev().column.unwrap_or_else(|| "the column".into());
        steps.push(FixStep::say(format!(
            "Rows with NULL in {col} reached a NOT NULL column: filter or default them (COALESCE) \
             in the SQL, and add a not_null test upstream to catch it earlier"
        )));
    } else if lower.contains("duplicate key")
        || lower.contains("unique constraint")
        || lower.contains("primary key")
    {
        steps.push(FixStep::say(
            "A key appears twice: deduplicate before inserting and add a unique test on the key",
        ));
    } else if lower.contains("out of range for type integer")
        || lower.contains("out of range for type int")
        || lower.contains("arithmetic overflow error converting expression to data type int")
        || lower.contains("integer out of range")
    {
        steps.push(FixStep::say(format!(
            "A number grew past the 32-bit INTEGER range (about 2.1 billion): cast it to BIGINT in \
             {} (a sum, a count or an id that outgrew its type), and widen the table's column \
             if it exists already",
            cx.node()
        )));
    } else if let Some((view, file, excerpt, rows)) = cx.origin {
        if let Some(rows) = rows {
            steps.push(FixStep::run(
                "Find the rows whose value does not convert",
                rows.to_string(),
            ));
        }
        let try_cast = match a.family() {
            Family::BigQuery => "SAFE_CAST",
            _ => "TRY_CAST",
        };
        steps.push(FixStep::say(format!(
            "The cast that failed is not in {}'s SQL but in {view}, a view it reads ({}): `{excerpt}`. \
             Fix the rows where they come from, or write {try_cast} there — every value that does \
             not convert becomes NULL — and rebuild {view} and what reads it",
            cx.node(),
            file.unwrap_or("its model file")
        )));
    } else {
        if let Some(rows) = cx.rows_query {
            steps.push(FixStep::run(
                "Find the rows whose value does not convert",
                rows.to_string(),
            ));
        }
        let try_cast = match a.family() {
            Family::BigQuery => "SAFE_CAST(value AS type)",
            Family::ClickHouse => {
                "accurateCastOrNull(value, 'Type') (or toInt64OrNull, toDateOrNull, …)"
            }
            Family::Oracle => "CAST(value AS type DEFAULT NULL ON CONVERSION ERROR) (Oracle 12.2+)",
            Family::Postgres | Family::Redshift => {
                "a CASE that checks the value's pattern before CAST (PostgreSQL has no TRY_CAST)"
            }
            _ => "TRY_CAST(value AS type)",
        };
        let value = quoted_value(cx.message);
        let to_integer = lower.contains("int");
        let shape = value
            .as_deref()
            .and_then(|v| shape_remedy(v, to_integer, a.family()));
        match (value, shape) {
            (Some(value), Some(Shape::Missing(remedy))) => steps.push(FixStep::say(format!(
                "The value '{value}' did not convert: {remedy}"
            ))),
            (Some(value), Some(Shape::Format(remedy))) => steps.push(FixStep::say(format!(
                "The value '{value}' did not convert, and its shape says why: {remedy}. When \
                 every row is written this way, a lenient {try_cast} is no fix — it would turn \
                 the whole column into NULL"
            ))),
            (value, _) => {
                let which = value.map_or("the value the message quotes".to_string(), |v| {
                    format!("'{v}'")
                });
                steps.push(FixStep::say(format!(
                    "A value did not fit its type: find the rows with {which} and fix them where \
                     they come from. Only when a few rows are bad, convert leniently with \
                     {try_cast} (or dbt.safe_cast), which turns every value that does not \
                     convert into NULL"
                )));
            }
        }
    }
    steps.push(FixStep::say(
        "If the model's SQL did not change since its last good run, the data did: check what \
         arrived in its sources since then, and add a test on the source column that catches it \
         before this model",
    ));
    steps
}

#[cfg(test)]
mod tests {
    use super::{quoted_value, shape_remedy, Shape};
    use crate::adapter::Family;

    #[test]
    fn reads_the_value_a_conversion_error_quotes() {
        let cases = [
            (
                "100038 (22018): Numeric value 'N/A' is not recognized",
                "N/A",
            ),
            (
                "Timestamp '2024-01-05T10:00' is not recognized",
                "2024-01-05T10:00",
            ),
            (
                "Conversion Error: Could not convert string '$3.50' to INT32",
                "$3.50",
            ),
            ("invalid input syntax for type integer: \"12.5\"", "12.5"),
            ("Bad int64 value: abc; while reading", "abc"),
            ("Cannot cast VARCHAR 'x1' to INTEGER", "x1"),
        ];
        for (message, want) in cases {
            assert_eq!(quoted_value(message).as_deref(), Some(want), "{message}");
        }
        assert_eq!(quoted_value("division by zero"), None);
    }

    #[test]
    fn a_value_s_shape_names_the_systematic_remedy() {
        let said = |v| match shape_remedy(v, true, Family::Snowflake) {
            Some(Shape::Missing(s) | Shape::Format(s)) => s,
            None => String::new(),
        };
        assert!(said("$11.99").contains("replace("));
        assert!(said("1,204").contains("replace("));
        assert!(said("N/A").contains("nullif(col, 'N/A')"));
        assert!(said("12.5").contains("numeric"));
        assert!(said("2024-01-05T10:00").contains("TO_TIMESTAMP"));
        // Nothing in `abc` says why: a few bad rows, for all we know.
        assert_eq!(shape_remedy("abc", true, Family::Snowflake), None);
        // Decimals are the trouble only when the target is an integer.
        assert_eq!(shape_remedy("12.5", false, Family::Snowflake), None);
    }
}
