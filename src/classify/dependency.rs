//! `dependency`: the DAG itself is broken — a ref/source to a node that does not exist, a cycle,
//! a package that is not installed or does not fit the dbt version.
//!
//! # What it looks like
//! `Compilation Error`
//! `  Model 'model.shop.int_customer_orders' (models/intermediate/int_customer_orders.sql) depends on a node named 'stg_custmers' which was not found`
//!
//! # Why dbt fails
//! dbt resolves every `ref()` and `source()` while parsing; a name that matches no enabled node
//! (a typo, a disabled or deleted model, a package not installed) stops the whole invocation.
//!
//! # What to do
//! Fix the name in the `ref()`/`source()` (dbt often suggests one), enable the node, or run
//! `dbt deps` to install the packages in `packages.yml`.

use super::{Context, Rule};

/// A name that does not import because two threads import one module at once is a race, not
/// the installation.
fn not_circular_import(_: &Context<'_>, message: &str) -> bool {
    !message.contains("circular import")
}

/// Before the connection rules: a missing adapter plugin and the package hub out of reach speak
/// of profiles and connections, but the fix is an install.
pub(super) const EARLY: &[Rule] = &[
    // The Python environment: an adapter that is not installed or does not import with the
    // dbt installed, pip's own verdict on their versions.
    Rule::any(r"No adapters available[^\n]*|Error importing adapter[^\n]*"),
    Rule::when(
        r"cannot import name '(?P<function>\w+)' from '(?P<object>[^']+)'",
        not_circular_import,
    ),
    Rule::any(
        r"[\w.-]+ [\w.]+ requires [\w.-]+[<>=!~][^\n]*, but you have [\w.-]+ [\w.]+ which is incompatible[^\n]*",
    ),
    // dbt Fusion's `deps` step: what failed while resolving packages is the install.
    Rule::any(r"Failed \[[^\]]*\] resolving packages[^\n]*"),
    Rule::any(r"Could not find adapter type (?P<object>\w+)"),
    Rule::any(r"External connection exception occurred[^\n]*hub\.getdbt\.com[^\n]*"),
];

pub(super) const RULES: &[Rule] = &[
    // A package's dispatch found no implementation for this adapter, or the version installed no
    // longer ships the macro: the package (or its version) does not go with the project.
    Rule::any(
        r"In dispatch: No macro named '(?P<function>\w+)' found[\s\S]{0,40}Searched for:[^\n]*'(?:dbt_utils|dbt_expectations|dbt_date|audit_helper|codegen|fivetran_utils|spark_utils|tsql_utils|dbt_external_tables|elementary|dbt_artifacts|dbt_project_evaluator|metrics|athena_utils|trino_utils|dbt_constraints)\.",
    ),
    // An adapter (or a package) too old to implement a macro dbt or the project calls.
    Rule::any(
        r"(?P<function>\w+) macro not implemented for adapter[^\n]*|is not implemented for the (?:default|\w+) adapter[^\n]*",
    ),
    // dbt Fusion's errors point at the file: one in packages.yml is a package's.
    Rule::any(r"-->\s*(?:packages|dependencies)\.yml[^\n]*"),
    // `dbt deps` downloaded a package whose path holds no project.
    Rule::any(
        r"no dbt_project\.yml found at expected path [^\n]*(?:dbt-downloads|dbt_packages|dbt_modules)[^\n]*",
    ),
    Rule::any(
        r"depends on a (?:function|macro|model|exposure|saved query) named\s+'(?P<object>[^']+)'\s+which was not found",
    ),
    // A unit test of a model that is not in the DAG.
    Rule::any(
        r"Unit test '[^']+' references a model that does not exist[^\n]*|Unable to find model '(?P<object>[^']+)' for unit test[^\n]*",
    ),
    Rule::any(
        r"depends on (?:a )?source (?:named\s+)?'(?P<object>[^']+)'\s+which (?:was not found|is disabled)",
    ),
    // An adapter's own macro missing: the adapter packages (dbt-sqlserver on dbt-fabric, …) do
    // not go together.
    Rule::any(
        r"'(?P<function>(?:postgres|snowflake|bigquery|redshift|databricks|spark|duckdb|sqlserver|fabric|synapse|trino|athena|clickhouse|oracle|materialize)__\w+)' is undefined",
    ),
    Rule::any(
        r"depends on a node named '(?P<object>[^']+)'(?: with version '[^']+')? which (?:was not found|is disabled)",
    ),
    Rule::any(r"depends on a source named '(?P<object>[^']+)' which (?:was not found|is disabled)"),
    Rule::any(
        r"depends on a (?:node|source|metric|semantic model) named '(?P<object>[^']+)'[^\n]*",
    ),
    Rule::any(r"Found a cycle[^\n]*"),
    Rule::any(
        r"dbt found \d+ package\(s\) specified in packages\.yml, but only \d+ package\(s\) installed[^\n]*",
    ),
    Rule::any(r"Dependency Error[^\n]*"),
    Rule::any(
        r"Version error for package[^\n]*|Could not find a (?:matching|satisfactory) version[^\n]*|Package [^\n]* (?:was not found in the package index|not found)[^\n]*|requires dbt version[^\n]*|is not compatible with (?:your|this) version of dbt[^\n]*|incompatible dbt version[^\n]*",
    ),
    Rule::any(
        r"Error checking out spec[^\n]*|Could not (?:clone|checkout) [^\n]*|dbt deps[^\n]*failed|Failed to read package[^\n]*|PackageVersionNotFoundError[^\n]*|Could not find a matching compatible version for package[^\n]*",
    ),
    Rule::any(
        r"'(?P<object>dbt_utils|dbt_expectations|dbt_date|codegen|audit_helper|dbt_external_tables|elementary|metrics|fivetran_utils|spark_utils|tsql_utils|dbt_artifacts)' is undefined",
    ),
    Rule::any(r"No macro named '(?P<function>\w+)' found within namespace[^\n]*"),
    // Two nodes, macros or packages of one name: the project's (or a package's) own layout.
    Rule::any(
        r#"dbt found two (?:resources|models|macros|seeds|sources|nodes)[^\n]* (?:with the name|named|with the database relation)[^\n]*|Found duplicate (?:project|model|macro|seed|node|package)[^\n]*"#,
    ),
    // Installing packages: the hub, git, a local path.
    Rule::any(
        r"External connection exception occurred[^\n]*|Local package path does not exist[^\n]*|PackageDownloadFailed[^\n]*|Git clone failed[^\n]*|Invalid private package configuration[^\n]*|hub\.getdbt\.com[^\n]*|publication artifacts[^\n]*|packages\.yml[^\n]*(?:not found|invalid|could not)[^\n]*",
    ),
    Rule::any(
        r"cannot be referenced from dependency model[^\n]*|was unable to infer all dependencies[^\n]*|depends on a node named [‘'](?P<object>[^’']+)[’'] which was not found",
    ),
    // A macro or generic test of a package that is not installed (or of another version). dbt
    // ends every undefined-name error with "install package dependencies with dbt deps": that
    // alone says nothing.
    Rule::any(
        r#"[Rr]un "?dbt deps"?[^\n]*|'dict object' has no attribute 'test_\w+'[^\n]*|In adapter\.dispatch, got a string packages argument[^\n]*"#,
    ),
    // An extension, engine or adapter of a version that does not go with the rest.
    Rule::any(
        r"unsupported version of DuckDB[^\n]*|only supports DuckDB[^\n]*|Failed to download extension[^\n]*|Extension Autoloading Error[^\n]*|Only DuckLake versions[^\n]*|not yet supported by MotherDuck[^\n]*",
    ),
    // What `dbt deps` and the adapter plugins need on the machine: git, the adapter's package,
    // a Python module, a DuckDB extension.
    Rule::any(
        r#"Could not find command, ensure it is in the user's PATH: "git"|non-zero returncode running: \['[^']*\bgit'[^\n]*"#,
    ),
    Rule::any(r"Finished 'deps'\s+with \d+ errors?[^\n]*"),
    // A compiled driver whose system library is gone (psycopg2 without its libpq).
    Rule::any(r"Library not loaded: [^\n]*|dlopen\([^\n]*"),
    Rule::any(
        r"No module named '(?P<object>[^']+)'|Required module '(?P<object2>[^']+)' failed to import",
    ),
    Rule::any(
        r#"Extension "(?P<object>[^"]+)" (?:not found|could not be loaded)[^\n]*|Install it first using "INSTALL[^\n]*"#,
    ),
    // A package's macro renamed or removed in the version installed (`dbt_utils.surrogate_key` in
    // dbt_utils 1.0).
    Rule::any(
        r"`?(?P<function>[a-z]\w*\.[a-z]\w*)`? has been (?:replaced by|removed|renamed)[^\n]*",
    ),
    // The semantic layer: a metric or measure named that no node defines.
    Rule::any(r"does not exist but was referenced by (?:metric|saved query|semantic model)[^\n]*"),
    // Model governance: a ref to a private or protected model of another group or project.
    Rule::any(
        r"attempted to reference node \S+\s+which is not allowed because the referenced node is (?:private|protected)[^\n]*",
    ),
];

use regex_lite::Regex;

use super::fix::{FixContext, FixStep};
use crate::Adapter;

/// A compiled driver that cannot load a system library it was built against (`dlopen(…
/// _psycopg…so): Library not loaded: …/libpq.5.dylib`): the Python environment, not the project.
fn native_library(cx: &FixContext<'_>) -> Option<Vec<FixStep>> {
    let named = |pattern: &str| {
        Regex::new(pattern)
            .ok()?
            .captures(cx.message)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str())
    };
    // The library that is gone, else the module that could not load it.
    let library = named(r"Library not loaded: (\S+)").or_else(|| named(r"dlopen\((\S+?)[,)]"))?;
    let file = library.rsplit('/').next().unwrap_or(library);
    let psycopg = cx.message.contains("psycopg2");
    let mut steps = vec![FixStep::say(format!(
        "A compiled library in the Python environment dbt runs in cannot load {file}: the \
         package was built against a system library that was removed or upgraded since (a \
         Homebrew or OS update, an image change). Nothing in the project is wrong"
    ))];
    if psycopg {
        steps.push(FixStep::run(
            "Replace psycopg2 by the wheel that bundles its own libpq",
            "pip uninstall -y psycopg2 && pip install psycopg2-binary",
        ));
    } else {
        steps.push(FixStep::say(
            "Reinstall the package that owns it in a fresh virtualenv (pip install \
             --force-reinstall <package>), or install the system library it names",
        ));
    }
    steps.push(FixStep::run(
        "Check that dbt loads the adapter again",
        "dbt debug",
    ));
    Some(steps)
}

pub(super) fn fix(cx: &FixContext<'_>) -> Vec<FixStep> {
    if let Some(steps) = native_library(cx) {
        return steps;
    }
    let ev = cx.ev();
    let lower = cx.message.to_ascii_lowercase();
    let mut steps = Vec::new();
    let adapter_macro = ev
        .function
        .as_deref()
        .and_then(|f| f.split_once("__"))
        .filter(|(prefix, _)| Adapter::parse(prefix).is_some());
    let function_named = Regex::new(r"depends on a (function|macro) named\s+'([^']+)'")
        .ok()
        .and_then(|re| re.captures(cx.message))
        .map(|c| (c[1].to_string(), c[2].to_string()));
    let missing_adapter =
        Regex::new(r"Could not find adapter type (\w+)|No module named '?dbt\.adapters\.(\w+)")
            .ok()
            .and_then(|re| re.captures(cx.message))
            .and_then(|c| c.get(1).or_else(|| c.get(2)))
            .map(|m| m.as_str().to_string());
    if let Some(name) = missing_adapter {
        // The profile's `type:` names an adapter whose package is not installed where dbt runs.
        let package = Adapter::parse(&name)
            .unwrap_or(Adapter::Other(name.clone()))
            .pip_package();
        steps.push(FixStep::run(
            format!(
                "The profile's target has type: {name}, and no {package} is installed in the \
                 environment dbt runs in (the job's virtualenv or image): install it at the \
                 version of your dbt-core"
            ),
            format!("pip install {package}"),
        ));
        steps.push(FixStep::run(
            "Check that dbt now finds the adapter and can connect",
            "dbt debug",
        ));
    } else if let Some((adapter, _)) = adapter_macro {
        // One adapter's package calls a macro another adapter package (its base) no longer has.
        steps.push(FixStep::say(format!(
            "A macro of the {adapter} adapter is missing: the installed adapter packages do not go \
             together (an adapter built on another, such as dbt-sqlserver on dbt-fabric, needs the \
             version it was released with). Install matching versions in the job's environment"
        )));
        steps.push(FixStep::run(
            "See which dbt and adapter versions are installed",
            "dbt --version",
        ));
    } else if let Some((kind, name)) = function_named {
        steps.push(FixStep::say(format!(
            "{} calls the {kind} `{name}`, which the project does not define (or dbt could not \
             resolve at parse time): check its name and that its file is in the project's \
             {}-paths",
            cx.node(),
            if kind == "function" {
                "function"
            } else {
                "macro"
            }
        )));
        steps.push(FixStep::run(
            "Check that the project parses again",
            "dbt parse",
        ));
    } else if let Some((name, package)) = duplicate_in_installed(cx.message) {
        // Two copies inside an installed adapter's own macros: its install is broken (files of
        // an old version left by an in-place upgrade) or it does not fit dbt-core.
        steps.push(FixStep::say(format!(
            "Both copies of `{name}` are inside {package}, an installed adapter package, not your \
             project: its install is broken (files of an old version left by an in-place upgrade) \
             or its version does not go with dbt-core. Reinstall the adapter cleanly, at a version \
             released for your dbt-core (pip install --force-reinstall {}==<version>)",
            package.replace('_', "-")
        )));
        steps.push(FixStep::run(
            "See which dbt and adapter versions are installed",
            "dbt --version",
        ));
    } else if let Some(version) = motherduck_duckdb(cx.message) {
        steps.push(FixStep::run(
            format!(
                "MotherDuck accepts only DuckDB {version} here: install that version of the duckdb \
                 Python package in the job's environment (and pin it there)"
            ),
            format!("pip install duckdb=={version}"),
        ));
    } else if lower.contains("not implemented for adapter")
        || lower.contains("is not implemented for the")
        || lower.contains("in dispatch: no macro named")
    {
        steps.push(FixStep::say(
            "The installed adapter or package has no implementation of this macro for this \
             warehouse: one of them is too old or too new for the other. Check the package's \
             supported adapters and dbt versions (its README or dbt_project.yml's \
             require-dbt-version), pin a version in packages.yml that supports this adapter, then \
             run dbt deps — or upgrade the adapter",
        ));
        steps.push(FixStep::run(
            "See which dbt and adapter versions are installed",
            "dbt --version",
        ));
    } else if lower.contains("found a cycle") {
        steps.push(FixStep::say(
            "The refs form a cycle (the message lists it): break it by moving the shared logic into \
             a new upstream model that both can ref",
        ));
    } else if lower.contains("packages.yml")
        || lower.contains("is undefined")
        || lower.contains("dbt deps")
        || lower.contains("package")
        || lower.contains("namespace")
    {
        steps.push(FixStep::run(
            "Install the packages listed in packages.yml (the job must run this before other dbt commands)",
            "dbt deps",
        ));
    } else if let Some(o) = &ev.object {
        match cx.suggestion {
            Some(s) => steps.push(FixStep::say(format!(
                "{} refers to `{o}`, which is not in the project: did you mean `{s}`? Fix the ref()/source() call",
                cx.node()
            ))),
            None => steps.push(FixStep::say(format!(
                "{} refers to `{o}`, which is not in the project (or is disabled): fix the name in \
                 the ref()/source() call, or enable/add the node",
                cx.node()
            ))),
        }
        steps.push(FixStep::run(
            "Check that the project parses again",
            "dbt parse".to_string(),
        ));
    }
    if steps.is_empty() {
        steps.push(FixStep::run(
            "Check that the project's graph parses",
            "dbt parse",
        ));
    }
    steps
}

/// `dbt found two macros named "spark__create_schema" in the project "dbt_spark"`, when that
/// project is an adapter's own macros package (dbt_<adapter>): the macro's name and the package.
fn duplicate_in_installed(message: &str) -> Option<(String, String)> {
    let re =
        Regex::new(r#"dbt found two macros named "(\w+)" in the project\s+"(dbt_(\w+))""#).ok()?;
    let c = re.captures(message)?;
    Adapter::parse(&c[3])
        .filter(|a| !matches!(a, Adapter::Other(_)))
        .map(|_| (c[1].to_string(), c[2].to_string()))
}

/// The DuckDB version MotherDuck's extension says it accepts.
fn motherduck_duckdb(message: &str) -> Option<String> {
    let re =
        Regex::new(r"MotherDuck currently only supports DuckDB v?(\d+\.\d+(?:\.\d+)?)").ok()?;
    re.captures(message).map(|c| c[1].to_string())
}
