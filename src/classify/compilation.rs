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
];

use super::fix::{FixContext, FixStep};

pub(super) fn fix(cx: &FixContext<'_>) -> Vec<FixStep> {
    let mut steps = vec![FixStep::say(
        "Open the file and line dbt names in the message and fix the Jinja or YAML there",
    )];
    let check = match cx.node_name {
        Some(n) if cx.resource_type.is_some_and(|r| r != "project") => {
            format!("dbt compile --select {n}{}", cx.target_flag())
        }
        _ => "dbt parse".to_string(),
    };
    steps.push(FixStep::run(
        "Check the fix without touching the warehouse",
        check,
    ));
    steps
}
