//! `sql_error`: the SQL is wrong in a way no other category covers — syntax, GROUP BY,
//! ambiguous names, type mismatches.
//!
//! # What it looks like
//! `Database Error in model fct_orders (models/marts/fct_orders.sql)`
//! `  syntax error at or near ")"`
//! `  column "orders.amount" must appear in the GROUP BY clause or be used in an aggregate function`
//!
//! # Why dbt fails
//! The compiled SQL does not parse or does not type-check on this warehouse. Jinja can produce
//! such SQL from valid-looking model code (a trailing comma from a loop, an empty `in ()`).
//!
//! # What to do
//! Open the compiled SQL (`target/compiled/…`, or the `target/run/…` statement the warehouse ran),
//! go to the line and position the warehouse names, fix the model, and rerun it.

use super::Rule;

pub(super) const RULES: &[Rule] = &[
    // The query's own mistakes: a type with no equality (json), an unqualified table where the
    // warehouse needs a dataset, the same output column twice, a CTE named as a table it reads.
    Rule::any(
        r"could not identify an (?:equality|ordering|comparison) operator for type[^\n]*|must be qualified with a dataset[^\n]*|Duplicate column names in the result are not supported[^\n]*|No matching signature for operator[^\n]*|has columns with duplicate name (?P<column>\w+)|column \x22(?P<column2>[^\x22]+)\x22 specified more than once|Invalid schema: multiple fields for name[^\n]*|illegal reference of a query name in WITH clause",
    ),
    // BigQuery: a script of only temporary functions.
    Rule::any(r"CREATE TEMPORARY FUNCTION statements must be followed by an actual query"),
    // A sort key must be a column of the result (`+sort: auto` read as a column name).
    Rule::any(r#"SORTKEY "?(?P<column>[^"\s]+)"? must be included in the select list"#),
    // ClickHouse: the table's ORDER BY key may not be Nullable.
    Rule::any(r"Sorting key contains nullable columns[^\n]*"),
    Rule::any(r"PARTITION BY expression must be[^\n]*"),
    Rule::any(
        r"improper (?:relation|qualified) name[^\n]*|cannot pass more than \d+ arguments to a function|cannot recognize input near[^\n]*|was specified multiple times for[^\n]*|COUNT field incorrect or syntax error[^\n]*|no viable alternative at input[^\n]*",
    ),
    Rule::any(
        r"Each GROUP BY expression must contain[^\n]*|cannot appear more than once in[^\n]*|is not appropriate here|such unique or primary key already exists[^\n]*|must be groupable[^\n]*|Column names in each view must be unique[^\n]*",
    ),
    // The object is there but of another kind (a view where a table was expected), or others
    // depend on it: the statement, often generated, does not fit what the warehouse holds.
    Rule::any(
        r#""?(?P<object>[\w$.]+)"? is not an? (?:view|table|materialized view|sequence)\b|Object found is of type '\w+', not specified type '\w+'"#,
    ),
    Rule::any(r#"column reference "(?P<column>[^"]+)" is ambiguous"#),
    Rule::any(r"ambiguous column name '?(?P<column>[^'\n]+)'?"),
    Rule::any(r"Column name '?(?P<column>[\w$]+)'? is ambiguous"),
    Rule::any(r"\[AMBIGUOUS_REFERENCE\][^\n]*|Ambiguous column name[^\n]*|ambiguous[^\n]*"),
    Rule::any(
        r#"must appear in the GROUP BY clause[^\n]*|is not a valid group by expression|neither grouped nor aggregated[^\n]*|\[MISSING_AGGREGATION\][^\n]*|not contained in either an aggregate function or the GROUP BY clause|must be an aggregate expression or appear in GROUP BY clause"#,
    ),
    Rule::any(
        r"syntax error at or near[^\n]*|syntax error at end of input|Syntax error:[^\n]*|syntax error line \d+ at position \d+[^\n]*|Parser Error:[^\n]*|\[PARSE_SYNTAX_ERROR\][^\n]*|Incorrect syntax near[^\n]*|mismatched input[^\n]*|unexpected '[^'\n]*'|SQL compilation error:\s+syntax error[^\n]*",
    ),
    Rule::any(
        r"is a table-function but it is used as a scalar function[^\n]*|could not be bound[^\n]*|Invalid cast from \w+ to \w+",
    ),
    Rule::any(
        r"zero-length delimited identifier[^\n]*|INSERT has more (?:expressions|target columns) than[^\n]*",
    ),
    Rule::any(
        r"operator does not exist[^\n]*|No operator matches[^\n]*|cannot be matched|argument of \w+ must be type[^\n]*|\[DATATYPE_MISMATCH[^\]]*\][^\n]*|Cannot (?:coerce|compare)[^\n]*|Type mismatch[^\n]*|cannot be cast to[^\n]*|Invalid data type[^\n]*",
    ),
    Rule::any(
        r"each (?:UNION|INTERSECT|EXCEPT) query must have the same number of columns|Queries in UNION ALL have mismatched column count[^\n]*|set operator (?:UNION|INTERSECT|EXCEPT)[^\n]*same number of columns|\[NUM_COLUMNS_MISMATCH\][^\n]*",
    ),
    // Generic wrappers (`SQL compilation error:`, DuckDB's `Binder Error:`, Spark's error
    // classes) are not here: their codes decide in `codes`, and their words say nothing more.
    Rule::any(r"SemanticException[^\n]*"),
    // Types that do not go together in the model's own SQL (not the data's values).
    Rule::any(
        r"Column \d+ in (?:UNION|INTERSECT|EXCEPT)(?: ALL| DISTINCT)? has incompatible types[^\n]*",
    ),
    Rule::any(r"Value has type \w+ which cannot be inserted into column (?P<column>\w+)[^\n]*"),
    Rule::any(r"failed to find conversion function from unknown to \w+"),
    Rule::any(r"(?:NUMERIC|DECIMAL) (?:scale|precision) \d+ must be between[^\n]*"),
    // BigQuery: a table that requires a partition filter, read without one.
    Rule::any(r"Cannot query over table '(?P<relation>[^']+)' without a filter[^\n]*"),
    Rule::any(r"CREATE TABLE columns must be named[^\n]*"),
];

use super::fix::{mentions, FixContext, FixStep};

/// The word of Snowflake's `invalid identifier '"perth"'` when it is one in lower case (a name
/// Snowflake would have folded to upper case unless created quoted).
fn quoted_string(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once("invalid identifier '\"")?;
    let (word, _) = rest.split_once("\"'")?;
    (word.chars().any(|c| c.is_ascii_lowercase()) && !word.chars().any(|c| c.is_ascii_uppercase()))
        .then_some(word)
}

pub(super) fn fix(cx: &FixContext<'_>) -> Vec<FixStep> {
    let node = cx.node();
    // Git's conflict markers left in the model: not SQL, not Jinja — an unfinished merge.
    let markers = [cx.compiled_code.unwrap_or_default(), cx.message]
        .iter()
        .any(|t| {
            t.lines()
                .any(|l| l.starts_with("<<<<<<<") || l.starts_with(">>>>>>>"))
        });
    if let Some(word) = rendered_null(cx.message) {
        let file = cx.original_file.unwrap_or("the model's file");
        return vec![FixStep::say(format!(
            "The SQL dbt sent has `{word}` where a name or a value belongs: a Jinja variable, a \
             var() or a macro argument in {file} (or a macro it calls) was empty when dbt \
             rendered it. Give it a value — `--vars`, the environment variable it reads, the \
             macro's argument — or a default (var('name', 'default'))"
        ))];
    }
    if markers {
        let file = cx.original_file.unwrap_or("the model's file");
        return vec![
            FixStep::say(format!(
                "{file} still holds git's merge-conflict markers (<<<<<<<, =======, >>>>>>>): keep \
                 the side you want, delete the three marker lines, and commit"
            )),
            FixStep::run(
                "Find every file the merge left so",
                "grep -rnE '^(<<<<<<<|=======|>>>>>>>)' models/ macros/ snapshots/ seeds/ tests/",
            ),
        ];
    }
    if let Some(kinds) = wrong_object_kind(cx.message) {
        return vec![
            FixStep::say(format!(
                "The warehouse holds {kinds}: the relation was made by another materialization \
                 (the model's `materialized` changed, or a package's or another tool's object has \
                 that name), and the statement dbt generated drops or reads it as the other kind. \
                 Drop the existing relation by hand with the statement for what it is (DROP VIEW / \
                 DROP TABLE / DROP MATERIALIZED VIEW), or rebuild {node} with --full-refresh; if \
                 it happens on every second run of an unchanged model, it is the adapter's \
                 materialization — check its issue tracker for your version"
            )),
            FixStep::run(
                format!("Rebuild {node} from scratch"),
                format!("dbt run --select {node} --full-refresh{}", cx.target_flag()),
            ),
        ];
    }
    // `invalid identifier '"perth"'`: a string written in double quotes, read as a name.
    if let Some(word) = quoted_string(cx.message) {
        return vec![FixStep::say(format!(
            "\"{word}\" in double quotes is a name (an identifier) here, not a string: write it in \
             single quotes, '{word}', in {}",
            cx.original_file.unwrap_or(node)
        ))];
    }
    if let Some(say) = known_mistake(cx.message, cx.original_file.unwrap_or(node)) {
        return vec![
            FixStep::say(say),
            FixStep::run(
                format!("Compile {node} to check the SQL dbt sends"),
                format!("dbt compile --select {node}{}", cx.target_flag()),
            ),
        ];
    }
    vec![
        FixStep::say(format!(
            "Fix the SQL of {node} where the warehouse points (the message names the token or the \
             expression); Jinja can produce invalid SQL from valid-looking code, so read the \
             compiled SQL, not only the model file"
        )),
        FixStep::run(
            format!("Compile {node} to check the SQL dbt sends"),
            format!("dbt compile --select {node}{}", cx.target_flag()),
        ),
    ]
}

/// `"x" is not a view` (Postgres, Redshift), `Object found is of type 'VIEW', not specified
/// type 'TABLE'` (Snowflake): what the warehouse holds against what the statement expected.
fn wrong_object_kind(message: &str) -> Option<String> {
    let re = regex_lite::Regex::new(
        r#"(?i)"?([\w$.]+)"? is not an? (view|table|materialized view|sequence)\b|Object found is of type '(\w+)', not specified type '(\w+)'"#,
    )
    .ok()?;
    let c = re.captures(message)?;
    Some(match (c.get(1), c.get(2), c.get(3), c.get(4)) {
        (Some(name), Some(kind), _, _) => {
            format!(
                "{} under that name, but not a {}",
                name.as_str(),
                kind.as_str()
            )
        }
        (_, _, Some(found), Some(wanted)) => format!(
            "a {} where the statement wants a {}",
            found.as_str().to_ascii_lowercase(),
            wanted.as_str().to_ascii_lowercase()
        ),
        _ => return None,
    })
}

/// A Python or JavaScript null rendered into the SQL as a name: `Invalid column name 'None'`,
/// `Referenced column "None" not found`, `from None.orders`.
fn rendered_null(message: &str) -> Option<&'static str> {
    ["None", "undefined"].into_iter().find(|word| {
        [
            format!("'{word}'"),
            format!("\"{word}\""),
            format!(" {word}."),
        ]
        .iter()
        .any(|quoted| message.contains(quoted.as_str()))
    })
}

/// The first name a message quotes after one of `labels` (`column reference "tags" is
/// ambiguous`, `Ambiguous column name 'database_id'`).
fn name_after<'m>(message: &'m str, labels: &[&str]) -> Option<&'m str> {
    labels.iter().find_map(|label| {
        let at = message.find(label)? + label.len();
        let rest = message[at..].trim_start();
        let quote = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\'' | '`'))?;
        let body = &rest[quote.len_utf8()..];
        body.split_once(quote)
            .map(|(name, _)| name)
            .filter(|n| !n.is_empty() && n.len() <= 120)
    })
}

/// The token a syntax error stops at: `syntax error at or near ";"`, `unexpected 'from'`,
/// `Incorrect syntax near ';'`, `near the keyword 'order'`.
fn stopped_at(message: &str) -> Option<String> {
    name_after(
        message,
        &[
            "at or near",
            "unexpected",
            "syntax near the keyword",
            "syntax near",
            "próxima a",
        ],
    )
    .map(str::to_ascii_lowercase)
}

/// SQL mistakes the warehouse's words identify, each with its usual rewrite, naming what the
/// message names. `file` is where to make it (the model's file, else its name).
fn known_mistake(message: &str, file: &str) -> Option<String> {
    let lower = message.to_ascii_lowercase();
    let says = |words: &[&str]| mentions(&lower, words);
    if says(&["ambiguous"]) && !says(&["catalog or schema"]) {
        let column = name_after(
            message,
            &[
                "column reference",
                "Ambiguous column name",
                "ambiguous column name",
                "Ambiguous reference to column name",
                "Column",
                "Reference",
                "Ambiguous column",
            ],
        );
        if let Some(c) = column.filter(|c| c.contains("dbt_unique_key") || c.contains("dbt_scd_id"))
        {
            return Some(format!(
                "`{c}` is a column dbt's snapshot SQL adds, and it came out twice: the snapshot's \
                 query already returns a column of that name (a `select *` over a table that holds \
                 dbt's snapshot columns, such as another snapshot). Select the source's columns \
                 explicitly, without the dbt_ ones, in {file}"
            ));
        }
        let which = column.map_or("A column".to_string(), |c| format!("`{c}`"));
        return Some(format!(
            "{which} exists in more than one of the tables the query joins: qualify it with its \
             table's alias (`o.{}`) wherever {file} uses it — SELECT, WHERE, JOIN, GROUP BY; with \
             `select *` over a join, list the columns instead",
            column.map_or("column", |c| c.rsplit('.').next().unwrap_or(c))
        ));
    }
    if says(&[
        "must appear in the group by",
        "neither grouped nor aggregated",
        "neither an aggregate nor in the group by",
        "not under aggregate function and not in group by",
        "must be an aggregate expression or appear in group by",
        "to the group by list",
    ]) {
        // BigQuery names it unquoted: `SELECT list expression references column day which …`.
        let bare = message
            .split_once("references column ")
            .and_then(|(_, rest)| rest.split_whitespace().next());
        let column = name_after(message, &["column", "Column"]).or(bare);
        let which = column.map_or("A column of the SELECT".to_string(), |c| format!("`{c}`"));
        return Some(format!(
            "{which} is selected without being grouped or aggregated: add it to GROUP BY in \
             {file}, or wrap it in an aggregate (max(…), any_value(…)) if one value per group is \
             enough"
        ));
    }
    match stopped_at(message).as_deref() {
        Some(";") => {
            return Some(format!(
                "{file} ends with `;` (or holds one): dbt wraps the model in its own statement \
                 (create … as (<your SQL>)), so a semicolon ends it early. Remove it — a model is \
                 one SELECT without a trailing semicolon"
            ))
        }
        Some("<!") | Some("<!--") => {
            return Some(format!(
                "{file} holds an HTML comment (`<!-- … -->`), which SQL does not know: write \
                 `-- …` or `/* … */`, or Jinja's `{{# … #}}`, which leaves nothing in the SQL"
            ))
        }
        Some("{") | Some("}") => {
            return Some(format!(
                "The SQL dbt sent still holds a brace: Jinja that was not rendered (a `{{ }}` \
                 inside a string or a comment, or in a file dbt does not render). Look for it in \
                 {file}'s compiled SQL"
            ))
        }
        Some("from") => {
            return Some(format!(
                "The query stops at FROM: as a rule a trailing comma after the last column of the \
                 SELECT list in {file} (or two commas with nothing between) — often left by a \
                 Jinja loop; `{{% if not loop.last %}},{{% endif %}}` puts commas only between"
            ))
        }
        Some(")") => {
            return Some(format!(
                "The query stops at a `)`: a trailing comma before it (the last column of a list \
                 or a CTE), or a parenthesis opened one time too many or too few, in {file}"
            ))
        }
        // T-SQL: `Incorrect syntax near the keyword 'order'` — an ORDER BY inside the view or
        // subquery dbt wraps the model in, which T-SQL refuses without TOP or OFFSET.
        Some("order") if lower.contains("near the keyword 'order'") => {
            return Some(format!(
                "dbt wraps {file}'s SELECT in a view or a subquery, where SQL Server, Fabric and \
                 Synapse refuse ORDER BY (without TOP or OFFSET): remove the ORDER BY from the \
                 model — order where the data is read"
            ))
        }
        Some(word) if RESERVED.contains(&word) => {
            return Some(format!(
                "`{word}` is a reserved word, so the warehouse read it as SQL where {file} uses it \
                 as a name: quote it as an identifier (\"{word}\", or `{word}` on BigQuery, \
                 Databricks and MySQL) or alias the column to another name"
            ))
        }
        _ => {}
    }
    if says(&[
        "requires order by in window specification",
        "missing window specification",
        "for window function",
        "inside another aggregate function",
        "aggregate function calls cannot contain window function",
        "window functions are not allowed",
    ]) {
        return Some(format!(
            "A window or aggregate function in {file} is used where SQL does not allow it: give \
             the window function its `over (partition by … order by …)`, and to aggregate the \
             result of a window (or of another aggregate), compute it in a CTE first and \
             aggregate that CTE"
        ));
    }
    if says(&["union", "set operator", "same number of columns"]) {
        return Some(format!(
            "The SELECTs that {file} combines (UNION, INTERSECT, EXCEPT) differ in the number or \
             the types of their columns: list the same columns in the same order in each branch, \
             and cast where the types differ (a NULL placeholder needs a cast too)"
        ));
    }
    if says(&[
        "specified multiple times",
        "specified more than once",
        "duplicate column",
        "duplicate alias",
        "columns with duplicate name",
        "multiple fields for name",
    ]) {
        return Some(format!(
            "Two columns of {file}'s result have the same name: alias one of them (`a.id as \
             a_id, b.id as b_id`) or drop it; with `select *` over a join, list the columns"
        ));
    }
    if says(&[
        "columns must be named",
        "missing column specification",
        "has no name",
        "no column name was specified",
        "invalid empty identifier",
        "zero-length delimited identifier",
    ]) {
        return Some(format!(
            "An expression in {file}'s SELECT has no name (or an empty quoted one): give it an \
             alias (`count(*) as n_orders`) — a table needs a name for every column"
        ));
    }
    if says(&[
        "subquery in from must have an alias",
        "must have its own alias",
    ]) {
        return Some(format!(
            "A subquery in {file}'s FROM has no alias: write `from (select …) as t`"
        ));
    }
    if says(&["without a filter over column(s)"]) {
        let column = name_after(message, &["without a filter over column(s)"]);
        return Some(format!(
            "The table requires a filter on its partition column{}: add `where` on it to the \
             query in {file} (for an incremental model, in the `is_incremental()` block too), or \
             read it through a model that filters",
            column.map_or(String::new(), |c| format!(" `{c}`"))
        ));
    }
    if says(&[
        "no operator matches",
        "cannot apply operator",
        "no matching signature for operator",
        "cannot be matched",
        "operator does not exist",
    ]) {
        return Some(format!(
            "{file} compares or combines two values of different types (the message names both): \
             cast one to the other's type — cast(x as varchar), cast(y as integer) — on the \
             side whose type is wrong, as a rule in the join or where condition it points at"
        ));
    }
    None
}

/// Reserved words people use as column names (not the ones a syntax error stops at for other
/// reasons: `select`, `end`, `case` point at a missing comma or parenthesis as often).
const RESERVED: [&str; 9] = [
    "group", "order", "values", "user", "default", "window", "range", "rows", "check",
];

#[cfg(test)]
mod tests {
    use super::known_mistake;

    /// Real messages from tests/messages (tuning set): pg-203, bq-217, pg-614, sf-005, sf-330,
    /// mssql-455, spark-301, sf-1008.
    #[test]
    fn the_mistake_the_words_name_gets_its_rewrite() {
        let said = |m: &str| known_mistake(m, "models/x.sql").unwrap_or_default();
        assert!(said("column reference \"tags\" is ambiguous").contains("`o.tags`"));
        assert!(said("SELECT list expression references column day which is neither grouped nor aggregated at [15:5]").contains("`day`"));
        assert!(said(
            "syntax error at or near \";\" LINE 16: \"dbt_local_proj\".\"sales\".\"customer\";"
        )
        .contains("semicolon"));
        assert!(said("001003 (42000): SQL compilation error: syntax error line 14 at position 4 unexpected 'from'.").contains("trailing comma"));
        assert!(
            said("syntax error line 5 at position 33 unexpected 'group'.")
                .contains("reserved word")
        );
        assert!(
            said("[SQL Server]Incorrect syntax near the keyword 'order'.").contains("ORDER BY")
        );
        assert!(said("Reference 'snapshotted_data.dbt_unique_key' is ambiguous, could be: snapshotted_data.dbt_unique_key").contains("snapshot"));
        assert!(said("invalid number of result columns for set operator input branches, expected 6, got 7 in branch 2").contains("same columns"));
        // Nothing known: the general step stays.
        assert_eq!(
            known_mistake("Syntax error: Unexpected keyword LIMIT at [4:3]", "x"),
            None
        );
    }
}
