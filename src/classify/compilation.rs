//! `compilation`: Jinja, YAML or parse errors — dbt stopped before any SQL ran.
//!
//! # What it looks like
//! `Compilation Error in model stg_orders (models/staging/stg_orders.sql)`
//! `  expected token 'end of print statement', got 'order_date'`
//! `Parsing Error`
//! `  Invalid models config given in models/schema.yml @ models.stg_orders: …`
//!
//! # Why dbt fails
//! The project does not render: a Jinja syntax error, an undefined macro or variable, a YAML
//! file with a wrong key or indentation, a config dbt does not know. Parse errors stop the whole
//! invocation; per-model compilation errors fail only that model.
//!
//! # What to do
//! Open the file and line dbt names; run `dbt parse` (or `dbt compile --select <model>`) to
//! check the fix without touching the warehouse.

use super::Rule;

pub(super) const RULES: &[Rule] = &[
    // Two resources of one name in the project (a model and a seed, the same generic test
    // twice on a column): the project's YAML or file names. (Two macros of one name in an
    // installed package are a package matter: `dependency`.)
    Rule::any(
        r#"DuplicateResourceNameError[^\n]*|Found resources with the same name[^\n]*|dbt found two (?:tests|schema\.yml entries)[^\n]*"#,
    ),
    // YAML that does not parse (dbt shows PyYAML's own words under "Syntax error near line N").
    // The same words about profiles.yml are the profile's: the connection rules come first.
    Rule::when(
        r"Syntax error near line \d+\s*\n\s*-{5,}|while scanning a simple key[^\n]*|while parsing a (?:block|flow) (?:mapping|sequence|collection)[^\n]*|mapping values are not allowed here[^\n]*|found character '[^']*' that cannot start any token[^\n]*",
        not_a_profile,
    ),
    // The semantic manifest's validation: metrics, semantic models, saved queries.
    Rule::any(
        r"Invalid (?:metrics|semantic models?|saved quer(?:y|ies)|measures|dimensions|entities): [^\n]*",
    ),
    // dbt's parse-time warnings and deprecations, raised as errors (`--warn-error`) or pasted
    // as the failure: the project's YAML or names, not the warehouse.
    Rule::any(
        r"\[WARNING\]\[\w*Deprecation\][^\n]*|Deprecated functionality[^\n]*|Did not find matching node for patch with name[^\n]*|Starting in v\d+\.\d+, the 'name' of an? \w+ should contain only[^\n]*",
    ),
    // A unit test's fixture names a column the input does not have; the semantic layer's
    // validation; a relation name over Postgres' 63 characters, refused before any SQL.
    Rule::any(
        r"in unit test fixture for[^\n]*|Breaking issues found when checking semantics[^\n]*|is longer than 63 characters[^\n]*",
    ),
    // A Python model on a materialization that only takes SQL.
    Rule::any(r#"only supports languages \[[^\]]*\]; got "?\w+"?"#),
    // A selector's method misspelt (`sources:` for `source:`).
    Rule::any(r"'\w+' is not a valid method name"),
    // dbt could not read a YAML property into its config classes (a property in the wrong place).
    Rule::any(
        r"__mashumaro_from_dict__[^\n]*|Argument for [\w.]+ method should be a dict instance",
    ),
    // A seed's `column_types` naming a column the CSV lacks.
    Rule::any(r#""(?P<column>[^"]+)" does not match the name of any column in this table"#),
    Rule::any(r"must have a materialized value of[^\n]*"),
    Rule::any(r"Deprecated [^\n]*(?:detected|Please migrate)[^\n]*"),
    Rule::any(r"Required var '(?P<object>[^']+)' not found in config[^\n]*"),
    Rule::any(r"'(?P<function>\w+)' is undefined[^\n]*"),
    Rule::any(
        r"expected token[^\n]*|unexpected (?:end of template|'[^'\n]*')[^\n]*|Encountered unknown tag[^\n]*|TemplateSyntaxError[^\n]*|unexpected char[^\n]*",
    ),
    Rule::any(
        r"macro '[^'\n]*' takes no (?:keyword )?argument[^\n]*|takes (?:at most|exactly) \d+ arguments?[^\n]*|got an unexpected keyword argument[^\n]*|missing \d+ required positional argument[^\n]*",
    ),
    Rule::any(
        r"Parsing Error[^\n]*|Invalid (?:\w+ )?config given[^\n]*|while parsing[^\n]*|Error reading[^\n]*yml[^\n]*|YAML[^\n]*error[^\n]*|could not find expected ':'|mapping values are not allowed here|did not find expected key",
    ),
    Rule::any(r"Compilation Error[^\n]*"),
    Rule::any(r"Invalid value for on_schema_change[^\n]*|is not supported with CTE[^\n]*"),
    Rule::any(r"Additional properties are not allowed[^\n]*|at path \[[^\]]*\]:[^\n]*"),
    Rule::any(r"Reached EOF without finding a close tag[^\n]*"),
    Rule::any(
        r"Could not parse (?:partition|cluster|config)[^\n]*|test definition dictionary must have[^\n]*|has no fixture[^\n]*|Invalid (?:test|unit test|model|seed|snapshot) (?:config|definition)[^\n]*|YAML error[^\n]*",
    ),
    // YAML that dbt's JSON schema rejects (semantic models, properties).
    Rule::any(
        r"is not valid under any of the given schemas[^\n]*|Additional properties are not allowed[^\n]*|is a required property[^\n]*",
    ),
    // dbt Fusion's Jinja rendering.
    Rule::any(r"Failed to (?:render SQL|compile Jinja expression) syntax error[^\n]*"),
    // The command line: `--vars` that are no YAML, an unknown option.
    Rule::any(r"Invalid value for '--[\w-]+'[^\n]*"),
    // A model config the adapter rejects before any SQL runs.
    Rule::any(
        r"The incremental strategy '(?P<object>[^']+)' is not valid[^\n]*|Invalid incremental strategy[^\n]*|Cannot set database in spark[^\n]*",
    ),
];

use super::fix::{FixContext, FixStep};

pub(super) fn fix(cx: &FixContext<'_>) -> Vec<FixStep> {
    let file = file_named(cx.message).or(cx.original_file);
    let at = cx
        .ev()
        .line
        .map(|l| format!(" (line {l})"))
        .unwrap_or_default();
    let mut steps = Vec::new();
    // Jinja says which block is open and which tags would close it.
    if let Some(block) = unclosed_block(cx.message) {
        let place = file.unwrap_or("the file");
        steps.push(FixStep::say(format!(
            "{place} opens `{{% {block} %}}` and never closes it: add `{{% end{block} %}}` where the \
             conditional part ends (Jinja reached the end of the file{at} looking for it)"
        )));
    } else if let Some(column) = missing_result_column(cx.message) {
        // `results.columns['method']` on a run_query() result without that column.
        steps.push(FixStep::say(format!(
            "{} reads column `{column}` from a run_query() result that has no such column: use \
             the name the query returns (dbt's hint about a missing macro or `dbt deps` does not \
             apply here)",
            file.unwrap_or("The model")
        )));
    } else if cx.message.contains("only supports languages") {
        steps.push(FixStep::say(format!(
            "{} is a Python model, and its materialization on this adapter runs SQL only: write \
             it in SQL, or use a materialization (and an adapter version) that runs Python models",
            cx.node()
        )));
    } else if cx.message.contains("is not a valid method name") {
        steps.push(FixStep::say(
            "A selector of the command (or of selectors.yml) uses a method dbt does not have — \
             `source:`, `tag:`, `path:`, `package:`, `config.…` are methods, `sources:` is not: \
             fix it, then check what it selects with `dbt ls --select …`",
        ));
    } else if cx.message.contains("__mashumaro_from_dict__")
        || cx.message.contains("should be a dict instance")
    {
        steps.push(FixStep::say(
            "A property in the project's YAML has the wrong shape for this dbt version (a value \
             where dbt expects a mapping, or the other way round): since dbt 1.9/1.10 some \
             properties moved under `config:` (freshness, meta, tags). Find the property the \
             message names in the YAML files and give it the shape the docs of this dbt version \
             show",
        ));
    } else {
        match file {
            Some(f) => steps.push(FixStep::say(format!(
                "Open {f}{at} and fix the Jinja or YAML there"
            ))),
            None => steps.push(FixStep::say(
                "The message names no file: `dbt parse` says which file fails to render or \
                 parse — fix the Jinja or YAML there",
            )),
        }
    }
    // A template that does not render fails parsing: `dbt parse` checks it without the
    // warehouse. A node that renders only at run time (run_query, a macro) needs a compile.
    let renders_at_run_time = cx.message.contains("run_query")
        || cx.message.contains("agate")
        || cx.message.contains("has no attribute");
    let check = match cx.node_name {
        Some(n) if renders_at_run_time && cx.resource_type.is_some_and(|r| r != "project") => {
            FixStep::run(
                format!("Compile {n} to check the fix (it runs its queries against the warehouse)"),
                format!("dbt compile --select {n}{}", cx.target_flag()),
            )
        }
        _ => FixStep::run(
            "Check the fix without touching the warehouse",
            format!("dbt parse{}", cx.target_flag()),
        ),
    };
    steps.push(check);
    steps
}

/// `'agate.mapped_sequence.MappedSequence object' has no attribute 'method'` → `method`.
fn missing_result_column(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once("MappedSequence object' has no attribute '")?;
    rest.split_once('\'').map(|(c, _)| c)
}

/// `… The innermost block that needs to be closed is 'if'.` → `if`.
fn unclosed_block(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once("The innermost block that needs to be closed is '")?;
    let (block, _) = rest.split_once('\'')?;
    (!block.is_empty() && block.chars().all(|c| c.is_ascii_alphabetic())).then_some(block)
}

/// The file dbt names in its header: `Compilation Error in model x (models/x.sql)`.
fn file_named(message: &str) -> Option<&str> {
    let head = message.lines().next()?;
    let (_, rest) = head.rsplit_once(" (")?;
    let path = rest.strip_suffix(')')?;
    (path.contains('/') || path.contains('\\')).then_some(path)
}

/// The YAML dbt quotes is not profiles.yml: it names no such file and shows no profile keys
/// (`user:`, `password:`, `dbname:` …) in the lines around the error.
fn not_a_profile(_ctx: &super::Context<'_>, message: &str) -> bool {
    const PROFILE_KEYS: &[&str] = &[
        "user:",
        "password:",
        "dbname:",
        "host:",
        "port:",
        "threads:",
        "account:",
        "keyfile:",
        "method:",
        "warehouse:",
        "outputs:",
    ];
    !message.contains("profiles.yml")
        && !message.lines().any(|line| {
            let text = line.split_once('|').map_or(line, |(_, t)| t).trim_start();
            PROFILE_KEYS.iter().any(|k| text.starts_with(k))
        })
}
