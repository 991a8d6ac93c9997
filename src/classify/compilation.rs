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
use super::stack::{self, Frame};

pub(super) fn fix(cx: &FixContext<'_>) -> Vec<FixStep> {
    let frames = stack::frames(cx.message);
    let mut steps = what_to_change(cx, &frames);
    steps.extend(check_step(cx, &frames));
    steps
}

/// What to change, from the most specific reading of the message to "open the file it names".
fn what_to_change(cx: &FixContext<'_>, frames: &[Frame<'_>]) -> Vec<FixStep> {
    let file = file_named(cx.message).or(cx.original_file);
    let at = cx
        .ev()
        .line
        .map(|l| format!(" (line {l})"))
        .unwrap_or_default();
    // Jinja says which block is open and which tags would close it.
    if let Some(block) = unclosed_block(cx.message) {
        let place = file.unwrap_or("the file");
        return vec![FixStep::say(format!(
            "{place} opens `{{% {block} %}}` and never closes it: add `{{% end{block} %}}` where the \
             conditional part ends (Jinja reached the end of the file{at} looking for it)"
        ))];
    }
    if let Some(column) = missing_result_column(cx.message) {
        // `results.columns['method']` on a run_query() result without that column.
        return vec![FixStep::say(format!(
            "{} reads column `{column}` from a run_query() result that has no such column: use \
             the name the query returns (dbt's hint about a missing macro or `dbt deps` does not \
             apply here)",
            file.unwrap_or("The model")
        ))];
    }
    if cx.message.contains("only supports languages") {
        return vec![FixStep::say(format!(
            "{} is a Python model, and its materialization on this adapter runs SQL only: write \
             it in SQL, or use a materialization (and an adapter version) that runs Python models",
            cx.node()
        ))];
    }
    if cx.message.contains("is not a valid method name") {
        return vec![FixStep::say(
            "A selector of the command (or of selectors.yml) uses a method dbt does not have — \
             `source:`, `tag:`, `path:`, `package:`, `config.…` are methods, `sources:` is not: \
             fix it, then check what it selects with `dbt ls --select …`",
        )];
    }
    if cx.message.contains("__mashumaro_from_dict__")
        || cx.message.contains("should be a dict instance")
    {
        return vec![FixStep::say(
            "A property in the project's YAML has the wrong shape for this dbt version (a value \
             where dbt expects a mapping, or the other way round): since dbt 1.9/1.10 some \
             properties moved under `config:` (freshness, meta, tags). Find the property the \
             message names in the YAML files and give it the shape the docs of this dbt version \
             show",
        )];
    }
    if let Some(step) = strategy_step(cx) {
        return vec![step];
    }
    if let Some(steps) = dispatch_step(cx) {
        return steps;
    }
    if let Some(steps) = not_the_projects_code(cx, frames) {
        return steps;
    }
    if let Some(steps) = in_a_macro(cx, frames) {
        return steps;
    }
    if let Some((problem, line)) = yaml_problem(cx.message) {
        let line = line.map_or(String::new(), |l| format!(" near line {l}"));
        let tabs = if problem.contains("tab") {
            " (YAML indents with spaces, never tabs)"
        } else {
            ""
        };
        return vec![FixStep::say(format!(
            "{} is not valid YAML{line}: {problem} — fix it there{tabs}",
            file.unwrap_or("The YAML file")
        ))];
    }
    if let Some(key) = cx
        .message
        .split_once("Additional properties are not allowed ('")
        .and_then(|(_, r)| r.split_once('\''))
        .map(|(k, _)| k)
    {
        return vec![FixStep::say(format!(
            "{} has a key this dbt does not know, `{key}`: remove it, fix its spelling, or move \
             a value of your own under `vars:` (dbt_project.yml) or `meta:` (a resource's config)",
            file.unwrap_or("The YAML file")
        ))];
    }
    if let Some(say) = schema_refusal(cx.message, file.unwrap_or("The YAML file")) {
        return vec![FixStep::say(say)];
    }
    if let Some(call) = ["source()", "ref()"]
        .into_iter()
        .find(|c| cx.message.contains(&format!("{c} takes")))
    {
        let form = if call == "source()" {
            "{{ source('source_name', 'table_name') }} — the source's name as in its YAML, then \
             the table's"
        } else {
            "{{ ref('model_name') }}, or {{ ref('package_name', 'model_name') }} for another \
             project's model"
        };
        return vec![FixStep::say(format!(
            "{}: {call} was called with the wrong number of arguments — write {form}",
            file.unwrap_or("The model")
        ))];
    }
    match file {
        Some(f) => vec![FixStep::say(format!(
            "Open {f}{at} and fix the Jinja or YAML there"
        ))],
        None => vec![FixStep::say(
            "The message names no file: `dbt parse` says which file fails to render or \
             parse — fix the Jinja or YAML there",
        )],
    }
}

/// `The incremental strategy 'x' is not valid for …`: the strategies the adapter has.
fn strategy_step(cx: &FixContext<'_>) -> Option<FixStep> {
    let named = cx.ev().object;
    let lower = cx.message.to_ascii_lowercase();
    if !lower.contains("incremental strategy") {
        return None;
    }
    let strategy = named.map(|s| format!("`{s}` ")).unwrap_or_default();
    let adapter = cx.adapter();
    let known = match strategies(adapter) {
        Some(list) => format!(
            " — {} documents {list} in its current release (older releases have fewer)",
            adapter.pip_package()
        ),
        None => " — the adapter's documentation lists the ones it has".to_string(),
    };
    Some(FixStep::say(format!(
        "{strategy}is not an incremental strategy of this adapter: set the model's \
         `incremental_strategy` (in its config block or dbt_project.yml) to one it has{known}"
    )))
}

/// The incremental strategies an adapter's current release documents.
fn strategies(adapter: &crate::Adapter) -> Option<&'static str> {
    use crate::Adapter::*;
    Some(match adapter {
        ClickHouse => {
            "`append`, `delete_insert`, `insert_overwrite`, `microbatch` and `legacy` (the default)"
        }
        BigQuery => "`merge` (the default), `insert_overwrite` and `microbatch`",
        Snowflake => {
            "`merge` (the default), `append`, `delete+insert`, `insert_overwrite` and `microbatch`"
        }
        Postgres | Redshift => "`append` (the default), `merge`, `delete+insert` and `microbatch`",
        Databricks => {
            "`merge` (the default), `append`, `insert_overwrite`, `replace_where` and `microbatch`"
        }
        Spark => "`append` (the default), `insert_overwrite` and `merge`",
        _ => return None,
    })
}

/// `In dispatch: No macro named 'any_value' found` — Searched for: 'proj.sqlserver__any_value', …:
/// a package's macro has no implementation for this adapter. The search list says where dbt looked
/// first (the project), so an implementation there is found.
fn dispatch_step(cx: &FixContext<'_>) -> Option<Vec<FixStep>> {
    let (_, rest) = cx.message.split_once("In dispatch: No macro named '")?;
    let (name, rest) = rest.split_once('\'')?;
    let first = rest
        .split_once("Searched for: '")
        .and_then(|(_, r)| r.split_once('\''))
        .map(|(f, _)| f);
    let adapter = cx.adapter();
    let prefix = first
        .and_then(|f| f.split_once('.'))
        .and_then(|(_, m)| m.split_once("__"))
        .map(|(p, _)| p)
        .unwrap_or(adapter.as_str());
    let shim = match adapter.family() {
        crate::adapter::Family::TSql => Some("tsql_utils"),
        crate::adapter::Family::Spark => Some("spark_utils"),
        _ => None,
    };
    let mut say = format!(
        "A package calls `{name}` through dispatch, and nothing installed implements it for this \
         adapter: no `{prefix}__{name}` and no `default__{name}`. Write `{prefix}__{name}` in the \
         project's macros/ (dispatch looks in the project first), or align the package's version \
         with the adapter's"
    );
    if let Some(shim) = shim {
        say.push_str(&format!(
            ". For {} the `{shim}` package implements dbt_utils' macros: install it and put it \
             first in dbt_project.yml's `dispatch: [{{macro_namespace: dbt_utils, search_order: \
             ['{shim}', 'dbt_utils']}}]`",
            adapter.display_name()
        ));
    }
    Some(vec![FixStep::say(say)])
}

/// The error was raised inside dbt's or an adapter's own macro (a materialization, a dispatched
/// `oracle__…`, `statement`): the model's file is not where the fix is.
fn not_the_projects_code(cx: &FixContext<'_>, frames: &[Frame<'_>]) -> Option<Vec<FixStep>> {
    let (frame, owner) = stack::builtin_frame(frames)?;
    let whose = stack::owner_words(&owner, frame.name);
    let model = frames
        .iter()
        .rev()
        .find(|f| f.kind != "macro" && f.kind != "operation")
        .map(|f| format!(" — {}'s own file is probably fine", f.name))
        .unwrap_or_default();
    let adapter = match &owner {
        stack::Owner::Materialization { adapter, .. } | stack::Owner::Dispatched { adapter }
            if adapter != "default" =>
        {
            crate::Adapter::parse(adapter)
        }
        _ => cx.adapter.cloned(),
    };
    let install = adapter.as_ref().map_or_else(
        || "the adapter release made for your dbt-core".to_string(),
        |a| format!("the {} release made for your dbt-core", a.pip_package()),
    );
    Some(vec![
        FixStep::say(format!(
            "The error was raised inside {whose} ({}), not in this project's SQL{model}. Such \
             errors come from versions that do not go together — dbt-core and the adapter, or a \
             package that overrides this macro under the same name",
            frame.path
        )),
        FixStep::run(
            "See whether the project or an installed package has that file (nothing printed: it \
             is the installed dbt's or adapter's own)",
            stack::where_is(frame.path),
        ),
        FixStep::say(format!(
            "A package's file: pin that package in packages.yml to a version made for your dbt, \
             then `dbt deps`. Otherwise compare `dbt --version` with the adapter's \
             compatibility notes and install {install}"
        )),
    ])
}

/// The error was raised in a macro of the project or a package: say which, with its words.
fn in_a_macro(cx: &FixContext<'_>, frames: &[Frame<'_>]) -> Option<Vec<FixStep>> {
    let frame = stack::innermost_macro(frames)?;
    let hook = stack::hook(frames)
        .map(|h| format!(", from the project's {h} hook in dbt_project.yml"))
        .unwrap_or_default();
    let lookup = FixStep::run(
        "See whether that file is the project's or an installed package's",
        stack::where_is(frame.path),
    );
    if let Some(name) = cx
        .ev()
        .function
        .filter(|_| cx.message.contains("is undefined"))
    {
        return Some(vec![
            FixStep::say(format!(
                "`{name}` is not defined where the macro {} ({}) uses it{hook}: a macro of a \
                 package called without its namespace (`package_name.{name}(…)`), a package not \
                 installed (`dbt deps`), a misspelt name, or a var or argument that was not \
                 passed",
                frame.name, frame.path
            )),
            lookup,
        ]);
    }
    // A macro's own `exceptions.raise_compiler_error(…)`: its text is the instruction.
    let said = raised_text(cx.message)?;
    let none = if said.contains("None") {
        ". A `None` there is usually a var or an argument that was not given (pass it with \
         `--vars '{name: value}'`, or set it under `vars:` in dbt_project.yml)"
    } else {
        ""
    };
    Some(vec![
        FixStep::say(format!(
            "The macro {} ({}){hook} stopped the run with its own message: \"{said}\" — do \
             what it asks{none}",
            frame.name, frame.path
        )),
        lookup,
    ])
}

/// The text between dbt's header and the stack, when it is a sentence of the project's rather
/// than Jinja's or Python's own words.
fn raised_text(message: &str) -> Option<&str> {
    let mut lines = message.lines().map(str::trim).filter(|l| !l.is_empty());
    let head = lines.next()?;
    if !head.contains("Compilation Error") {
        return None;
    }
    let said = lines.next()?;
    const JINJA: &[&str] = &[
        "is undefined",
        "has no attribute",
        "expected token",
        "unexpected",
        "argument",
        "unpack",
        "NoneType",
        "object is not",
        "not iterable",
        "Error",
        "> in ",
        "in macro",
    ];
    let words = said.split_whitespace().count();
    (words >= 3 && !JINJA.iter().any(|j| said.contains(j))).then_some(said)
}

/// How to check the fix: `dbt parse` only where parsing shows the failure. A hook, a
/// materialization or a macro that queries runs only with the command itself.
fn check_step(cx: &FixContext<'_>, frames: &[Frame<'_>]) -> Option<FixStep> {
    if let Some(hook) = stack::hook(frames) {
        return Some(FixStep::say(format!(
            "`dbt parse` does not run hooks: the {hook} hook runs again with the next `dbt run` \
             or `dbt build`, which shows whether it is fixed"
        )));
    }
    let model = frames
        .iter()
        .rev()
        .find(|f| matches!(f.kind, "model" | "snapshot" | "seed"))
        .map(|f| f.name)
        .or(cx
            .node_name
            .filter(|_| cx.resource_type.is_some_and(|r| r != "project")));
    let materializes = stack::builtin_frame(frames).is_some()
        || frames
            .iter()
            .any(|f| f.name.starts_with("materialization_"));
    let renders_at_run_time = cx.message.contains("run_query")
        || cx.message.contains("agate")
        || cx.message.contains("has no attribute");
    match model {
        Some(n) if materializes => {
            let command = if cx.command == "build" {
                "build"
            } else {
                "run"
            };
            Some(FixStep::run(
                format!(
                    "Check the fix by building {n} again (`dbt parse` and `dbt compile` do not \
                     run materializations or the adapter's macros)"
                ),
                format!("dbt {command} --select {n}{}", cx.target_flag()),
            ))
        }
        Some(n) if renders_at_run_time => Some(FixStep::run(
            format!("Compile {n} to check the fix (it runs its queries against the warehouse)"),
            format!("dbt compile --select {n}{}", cx.target_flag()),
        )),
        _ => Some(FixStep::run(
            "Check the fix without touching the warehouse",
            format!("dbt parse{}", cx.target_flag()),
        )),
    }
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
    let looks_like_path = |p: &str| {
        !p.contains(' ')
            && (p.contains('/')
                || p.contains('\\')
                || [".sql", ".yml", ".yaml", ".py", ".csv"]
                    .iter()
                    .any(|e| p.ends_with(e)))
    };
    for line in message.lines().map(str::trim) {
        // Jinja's stack (`> in macro x (macros/x.sql)`) names macros, not the failing file.
        if line.starts_with('>') {
            continue;
        }
        // `Compilation Error in model x (models/x.sql)`
        if let Some(path) = line
            .rsplit_once(" (")
            .and_then(|(head, rest)| head.contains(" in ").then_some(rest))
            .and_then(|rest| rest.strip_suffix(')'))
            .filter(|p| looks_like_path(p))
        {
            return Some(path);
        }
        // dbt Fusion: `  --> models/staging/schema.yml:12:5`, ``In file `models/x.yml`, …``
        if let Some(path) = line
            .strip_prefix("-->")
            .map(|rest| rest.trim().split(':').next().unwrap_or_default())
            .or_else(|| {
                line.split_once("In file `")
                    .and_then(|(_, rest)| rest.split_once('`'))
                    .map(|(p, _)| p)
            })
            .filter(|p| looks_like_path(p) && !p.starts_with("dbt_internal_packages"))
        {
            return Some(path);
        }
        // `Error reading retail: sources/sources.yml - Runtime Error`
        if let Some(path) = line
            .strip_prefix("Error reading ")
            .and_then(|rest| rest.split_once(": "))
            .and_then(|(_, after)| after.split(" - ").next())
            .filter(|p| looks_like_path(p))
        {
            return Some(path);
        }
    }
    [
        "dbt_project.yml",
        "packages.yml",
        "dependencies.yml",
        "selectors.yml",
    ]
    .into_iter()
    .find(|f| message.contains(f))
}

/// dbt's JSON-schema validation of a YAML file, as it words it: `at path ['name']: 'jaffle-shop'
/// does not match '^[^\\d\\W]\\w*$'`, `'name' is a required property`, `at path
/// ['tables'][0]['freshness']: … is not valid under any of the given schemas`, `None is not of
/// type 'array'`. The step names the key and the path.
fn schema_refusal(message: &str, file: &str) -> Option<String> {
    let path = message
        .split_once("at path ")
        .map(|(_, rest)| rest.split(": ").next().unwrap_or(rest).trim())
        .filter(|p| !p.is_empty() && *p != "[]")
        .map_or(String::new(), |p| format!(" at {p}"));
    if let Some((head, _)) = message.split_once(" is a required property") {
        let key = head.rsplit('\'').nth(1)?;
        return Some(format!(
            "{file} lacks `{key}:`{path}, which dbt requires there: add it"
        ));
    }
    if message.contains("at path ['name']") && message.contains("does not match") {
        let name = message
            .split_once("at path ['name']: '")
            .and_then(|(_, rest)| rest.split_once('\''))
            .map_or("the name", |(n, _)| n);
        return Some(format!(
            "The project's `name:` in dbt_project.yml, `{name}`, must be an identifier — letters, \
             digits and underscores, not starting with a digit: write `{}`",
            name.replace(['-', ' ', '.'], "_")
        ));
    }
    if let Some((head, kind)) = message.split_once(" is not of type '") {
        let kind = kind.split('\'').next().unwrap_or("another type");
        let value = head.rsplit(": ").next().unwrap_or(head).trim();
        let empty = value == "None" || value == "null";
        return Some(if empty {
            format!(
                "A key in {file}{path} is empty where dbt expects a {kind}: give it its entries, \
                 or remove the key"
            )
        } else {
            format!("In {file}{path}, {value} must be a {kind}: write it as one")
        });
    }
    if message.contains("is not valid under any of the given schemas") {
        return Some(format!(
            "The block{path} in {file} has none of the shapes dbt accepts there: compare its keys \
             and their values with the dbt docs for that property (a misspelt key, a value where \
             a list or a mapping belongs)"
        ));
    }
    None
}

/// What PyYAML said under dbt's `Raw Error:` (`found a tab character that violates
/// indentation`), and the line dbt points at (`Syntax error near line 9`).
fn yaml_problem(message: &str) -> Option<(String, Option<&str>)> {
    let (_, raw) = message.split_once("Raw Error:")?;
    let problem = raw
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty() && !l.starts_with('-') && !l.starts_with("in \""))?
        .to_string();
    let line = message
        .split_once("Syntax error near line ")
        .and_then(|(_, r)| r.split(|c: char| !c.is_ascii_digit()).next())
        .filter(|n| !n.is_empty());
    Some((problem, line))
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

#[cfg(test)]
mod file_tests {
    use super::{file_named, yaml_problem};

    /// Real messages from tests/messages (tuning set): core-506, core-484, ch-426.
    #[test]
    fn the_key_dbt_s_validation_names() {
        let said = |m: &str| super::schema_refusal(m, "models/x.yml").unwrap_or_default();
        assert!(said(
            "Runtime Error at path ['name']: 'jaffle-shop' does not match '^[^\\d\\W]\\w*$'"
        )
        .contains("`jaffle_shop`"));
        let required = said("'is_partition' is a required property in file `models/sm.yml` at path `semantic_models[0].dimensions[0]`");
        assert!(required.contains("`is_partition:`"), "{required}");
        let shapes = said("- at path ['tables'][0]['freshness']: {'loaded_at_': 1} is not valid under any of the given schemas");
        assert!(shapes.contains("['tables'][0]['freshness']"), "{shapes}");
        assert!(said("at path ['sources']: None is not of type 'array'").contains("empty"));
    }

    #[test]
    fn the_file_fusion_points_at() {
        assert_eq!(
            super::file_named("error: dbt1060: Ignored unexpected key `foo`\n  --> models/staging/schema.yml:12:5"),
            Some("models/staging/schema.yml")
        );
        assert_eq!(
            super::file_named("dbt1005: In file `dbt_project.yml`, field `name` is required."),
            Some("dbt_project.yml")
        );
    }

    #[test]
    fn the_file_dbt_names_wherever_its_line_is() {
        let m = "Encountered an error:\nCompilation Error in model a (models\\staging\\a.sql)\n  x is undefined\n\n  > in macro m (macros/m.sql)";
        assert_eq!(file_named(m), Some("models\\staging\\a.sql"));
        let m = "Parsing Error\n  Error reading shop: models/schema.yml - Runtime Error\n    Syntax error near line 3";
        assert_eq!(file_named(m), Some("models/schema.yml"));
        assert_eq!(
            file_named("Runtime Error\n  dbt_project.yml does not parse to a dictionary"),
            Some("dbt_project.yml")
        );
        // A macro frame is not the failing file.
        assert_eq!(file_named("boom\n  > in macro m (macros/m.sql)"), None);
    }

    #[test]
    fn pyyaml_s_words_and_dbt_s_line() {
        let m = "Syntax error near line 12\n  Raw Error:\n  ------\n  mapping values are not allowed here\n    in \"<unicode string>\", line 12, column 9";
        assert_eq!(
            yaml_problem(m),
            Some((
                "mapping values are not allowed here".to_string(),
                Some("12")
            ))
        );
        assert_eq!(yaml_problem("Compilation Error in model a"), None);
    }
}
