//! Fix guidance for dbt Fusion: the same failures, told in Fusion's terms. Fusion is one binary
//! with its adapters and drivers inside (no `pip install dbt-<adapter>`), it analyses the SQL
//! before anything runs (codes below 1000 are that static analysis, not the warehouse), and
//! `dbt-autofix` rewrites most of the dbt Core-only YAML and Jinja it refuses.

use super::{Category, FixContext, FixStep};

/// The Fusion code a message carries (`dbt0227` → 227), written `dbt0227`, `dbt227` or
/// `(dbt1005)`.
pub(super) fn code(message: &str) -> Option<u32> {
    let bytes = message.as_bytes();
    let mut from = 0;
    while let Some(at) = message[from..].find("dbt") {
        let start = from + at;
        let digits: String = message[start + 3..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let before_ok = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
        let after = start + 3 + digits.len();
        let after_ok = after >= bytes.len() || !bytes[after].is_ascii_alphanumeric();
        if before_ok && after_ok && (3..=4).contains(&digits.len()) {
            return digits.parse().ok();
        }
        from = start + 3;
    }
    None
}

/// Core's steps, rewritten where Fusion differs, and Fusion's own added.
pub(super) fn adapt(cx: &FixContext<'_>, steps: Vec<FixStep>) -> Vec<FixStep> {
    let category = cx.category.unwrap_or(Category::Other);
    let mut out: Vec<FixStep> = steps.into_iter().map(rewrite).collect();
    let deprecation = cx.message.to_ascii_lowercase().contains("deprecat");
    let static_analysis = code(cx.message).is_some_and(|c| c < 1000);
    // Turning the analysis off is for its false positives about SQL, never for a YAML or
    // config deprecation that happens to carry a low code.
    let about_sql = matches!(
        category,
        Category::SqlError
            | Category::SqlDialect
            | Category::MissingColumn
            | Category::MissingRelation
            | Category::Data
            | Category::SchemaDrift
            | Category::Contract
    );
    if static_analysis && about_sql && !deprecation {
        // Nothing reached the warehouse: the position is Fusion's.
        for step in &mut out {
            step.say = step
                .say
                .replace("the warehouse points", "Fusion points")
                .replace(
                    "The warehouse offers these",
                    "Fusion's analysis knows these columns",
                )
                .replace("The warehouse's closest name", "Fusion's closest name");
        }
        if !out.iter().any(|s| s.say.contains("static_analysis: off")) {
            out.push(static_analysis_step(cx));
        }
    }
    if cx.message.contains("ADBC") && driver_missing(cx.message) {
        out.insert(
            0,
            FixStep::run(
                "Fusion could not load the warehouse's ADBC driver: install its drivers ahead \
                 of the run (a CI image without network access to dbt's CDN needs them baked in)",
                "dbt system install-drivers",
            ),
        );
    }
    let autofix_code = code(cx.message).is_some_and(|c| AUTOFIX_CODES.contains(&c));
    if deprecation
        || (matches!(category, Category::Compilation | Category::Dependency) && autofix_code)
    {
        out.push(FixStep::run(
            "dbt-autofix rewrites most dbt Core-only YAML, config and Jinja that Fusion refuses \
             (and its `packages` command moves packages to Fusion-compatible versions): run it \
             in the project and review its diff",
            "uvx dbt-autofix deprecations",
        ));
    }
    out
}

/// The Fusion codes of what dbt-autofix rewrites: YAML and config Fusion reads more strictly
/// than Core (invalid configuration, serialisation, duplicate and unused config keys, a mangled
/// ref or source call) and packages (compatibility warnings, renamed, unpinned, mismatched).
/// Not a missing ref or source (1048), a disabled node, a cycle or a credential: autofix
/// rewrites none of those.
const AUTOFIX_CODES: [u32; 9] = [1005, 1013, 1059, 1060, 1065, 1069, 1076, 1077, 1080];

/// `pip install dbt-x`, `pip install --force-reinstall …`: Fusion has no pip packages.
fn rewrite(step: FixStep) -> FixStep {
    let pip = step
        .run
        .as_deref()
        .is_some_and(|r| r.starts_with("pip install"))
        || step.say.contains("pip install");
    if !pip {
        return step;
    }
    FixStep::run(
        "dbt Fusion ships its adapters inside the one binary (no dbt-<adapter> package to \
         install): update Fusion itself — installed with pip, Homebrew or winget, update it \
         there instead",
        "dbt system update",
    )
}

fn driver_missing(message: &str) -> bool {
    let lower = message.to_ascii_lowercase();
    lower.contains("driver")
        && [
            "not found",
            "failed to load",
            "could not load",
            "no such file",
            "cannot open",
        ]
        .iter()
        .any(|w| lower.contains(w))
}

fn static_analysis_step(cx: &FixContext<'_>) -> FixStep {
    let node = cx.node();
    FixStep::run(
        format!(
            "This came from Fusion's static analysis of the compiled SQL, before anything ran \
             on the warehouse: if the SQL is right for the warehouse and the analysis is wrong (a \
             function or type Fusion does not know yet), run {node} without it — and, to keep it \
             so, set static_analysis: off in {node}'s config"
        ),
        format!(
            "dbt build --select {node} --static-analysis off{}",
            cx.target_flag()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::code;

    #[test]
    fn reads_fusion_codes_as_written() {
        assert_eq!(code("error: dbt0227: No column x found"), Some(227));
        assert_eq!(
            code("[AuthenticationFailed (dbt1011)]: dbt was unable"),
            Some(1011)
        );
        assert_eq!(code("error: dbt227: No column"), Some(227));
        assert_eq!(code("models/dbt_orders.sql"), None);
        assert_eq!(code("dbt 1.8.0"), None);
        assert_eq!(code("dbt12345"), None);
    }

    /// dbt-autofix and `--static-analysis off` only where they act on the failure.
    #[test]
    fn fusion_remedies_only_where_they_apply() {
        use crate::classify::{fixes, Category, FixContext};
        let says = |category, message| {
            fixes(&FixContext {
                category: Some(category),
                message,
                node_name: Some("fct_orders"),
                ..FixContext::default()
            })
            .iter()
            .map(|s| format!("{} {}", s.say, s.run.as_deref().unwrap_or_default()))
            .collect::<Vec<_>>()
            .join("\n")
        };
        let missing_ref = says(
            Category::Compilation,
            "error: dbt1048: Model 'fct_orders' depends on a node named 'stg_order' which was not found",
        );
        assert!(!missing_ref.contains("dbt-autofix"), "{missing_ref}");
        let deprecated = says(
            Category::Compilation,
            "warning: dbt0102: Deprecated test config 'severity' at the top level",
        );
        assert!(deprecated.contains("dbt-autofix"), "{deprecated}");
        assert!(!deprecated.contains("static-analysis off"), "{deprecated}");
        let column = says(
            Category::MissingColumn,
            "error: dbt0227: No column amount found",
        );
        assert!(column.contains("static-analysis off"), "{column}");
    }
}
