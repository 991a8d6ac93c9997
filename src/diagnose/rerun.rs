//! The commands a diagnosis prints: the rerun line of each problem, with the flags of the
//! invocation that every command must carry (`--target`, `--profiles-dir`, `--vars`, …), read
//! from run_results' `args` or the command line as typed.

use super::*;

/// The invocation's meaningful flags, rendered once: `--target`, a `--profiles-dir` dbt would not
/// find by itself, `--project-dir` and `--vars` as typed; cosmetic ones (`--no-use-colors`) are
/// left out. `--target-path` matters only to `dbt retry`, which reads the results from there.
#[derive(Debug, Clone, Default)]
pub(super) struct Flags {
    /// ` --target prod --profiles-dir . --vars '{…}'`, or empty.
    pub(super) common: String,
    /// ` --target-path …` when the results are not in `target/`.
    pub(super) target_path: String,
    /// dbt before 0.21 selected models of `run`/`test`/`compile` with `--models`.
    pub(super) models: bool,
    /// The invocation selected some nodes (`--select a b`), not the whole project: a rerun
    /// selects within it.
    pub(super) selected: bool,
}

pub(super) fn invocation_flags(
    args: Option<&crate::artifacts::run_results::RunArgs>,
    typed: Option<&str>,
    target: Option<&str>,
    dbt_version: Option<&str>,
) -> Flags {
    let mut common = String::new();
    if let Some(t) = target {
        common.push_str(&format!(" --target {t}"));
    }
    let typed_profiles = typed.and_then(|c| typed_flag(c, "--profiles-dir"));
    let profiles = typed_profiles.or_else(|| {
        let p = args?.profiles_dir.clone()?;
        let home = p.ends_with("/.dbt") || p.ends_with("\\.dbt") || p == "~/.dbt";
        // dbt ≥ 1.3 finds a profiles.yml in the current folder (the project's) by itself.
        let found_anyway = dbt_version.is_some_and(|v| version_at_least(v, 1, 3))
            && (p == "." || same_dir(args?.project_dir.as_deref(), &p));
        (!home && !found_anyway).then_some(p)
    });
    if let Some(p) = profiles {
        // The project's own folder reads best as `.`: reruns start there.
        let here = same_dir(args.and_then(|a| a.project_dir.as_deref()), &p);
        let p = if here { "." } else { p.as_str() };
        common.push_str(&format!(" --profiles-dir {}", shell_word(p)));
    }
    if let Some(p) = typed.and_then(|c| typed_flag(c, "--project-dir")) {
        common.push_str(&format!(" --project-dir {}", shell_word(&p)));
    }
    let vars = typed
        .and_then(|c| typed_flag(c, "--vars"))
        .or_else(|| args?.vars.clone());
    if let Some(v) = vars {
        common.push_str(&format!(" --vars '{}'", v.replace('\'', "'\\''")));
    }
    // `target`, `./target` or the project's own `target/` are where retry looks anyway.
    let project_target = args
        .and_then(|a| a.project_dir.as_deref())
        .map(|d| format!("{}/target", d.trim_end_matches(['/', '\\'])));
    let target_path = args
        .and_then(|a| a.target_path.as_deref())
        .filter(|p| {
            let p = p.trim_end_matches(['/', '\\']);
            !matches!(p, "target" | "./target") && project_target.as_deref() != Some(p)
        })
        .map(|p| format!(" --target-path {}", shell_word(p)))
        .unwrap_or_default();
    let selected = args.is_some_and(|a| {
        a.select
            .iter()
            .any(|s| !matches!(s.as_str(), "*" | "fqn:*" | "path:." | "+"))
    });
    Flags {
        common,
        target_path,
        models: dbt_version.is_some_and(|v| !version_at_least(v, 0, 21)),
        selected,
    }
}

/// Whether two folder paths name the same folder (a trailing separator aside).
pub(super) fn same_dir(a: Option<&str>, b: &str) -> bool {
    a.is_some_and(|a| a.trim_end_matches(['/', '\\']) == b.trim_end_matches(['/', '\\']))
}

/// The value after `flag` in a typed command line (`--target prod`, `--target=prod`), quotes
/// taken off.
pub(super) fn typed_flag(command: &str, flag: &str) -> Option<String> {
    let words = shell_words(command);
    let mut it = words.iter();
    while let Some(w) = it.next() {
        if w == flag {
            return it.next().cloned();
        }
        if let Some(v) = w.strip_prefix(flag).and_then(|r| r.strip_prefix('=')) {
            return Some(v.to_string());
        }
    }
    None
}

/// A command line split into words, honouring single and double quotes.
pub(super) fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                any = true;
            }
            (None, c) if c.is_whitespace() => {
                if any || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                any = false;
            }
            (None, c) => word.push(c),
        }
    }
    if any || !word.is_empty() {
        words.push(word);
    }
    words
}

/// A word as a shell reads it back: quoted when it has spaces or shell characters.
pub(super) fn shell_word(w: &str) -> String {
    if w.chars()
        .all(|c| c.is_ascii_alphanumeric() || "._-/:\\~@+=,".contains(c))
    {
        w.to_string()
    } else {
        format!("'{}'", w.replace('\'', "'\\''"))
    }
}

/// The command a rerun uses: the invocation's, when it is one that builds nodes.
pub(super) fn rerun_command(command: Option<&str>) -> &str {
    match command {
        Some(c @ ("run" | "build" | "test" | "seed" | "snapshot")) => c,
        Some("retry") | None => "build",
        Some(_) => "build",
    }
}

pub(super) fn target_flag(ctx: &Ctx<'_>) -> String {
    ctx.flags.common.clone()
}

/// `--select`, or `--models` for `run`/`test`/`compile` before dbt 0.21.
pub(super) fn select_word(ctx: &Ctx<'_>, command: &str) -> &'static str {
    if ctx.flags.models && matches!(command, "run" | "test" | "compile") {
        "--models"
    } else {
        "--select"
    }
}

/// The command that rebuilds the roots and their skipped descendants after the fix.
pub(super) fn rerun(members: &[&Root<'_>], ctx: &Ctx<'_>, skipped: &[String]) -> String {
    let t = target_flag(ctx);
    let cmd = ctx.command.as_str();
    let s = select_word(ctx, cmd);
    // Every root in one installed package: the package is the selection.
    let packages: BTreeSet<&str> = members
        .iter()
        .filter_map(|r| installed_package(r, ctx))
        .collect();
    if packages.len() == 1 && members.iter().all(|r| installed_package(r, ctx).is_some()) {
        let p = packages.into_iter().next().unwrap_or_default();
        return format!("dbt {cmd} {s} package:{p}{t}");
    }
    // Tests of one source (all reading the relation that is missing): the source selects them.
    if let Some(m) = ctx.manifest {
        let tested_sources: BTreeSet<String> = members
            .iter()
            .flat_map(|r| ctx.lineage.parents(&r.id))
            .filter_map(|p| m.nodes.get(p))
            .filter(|n| n.resource_type == ResourceType::Source)
            .filter_map(|n| Some(format!("source:{}.{}", n.source_name.as_deref()?, n.name)))
            .collect();
        let all_tests = members
            .iter()
            .all(|r| r.resource_type == ResourceType::Test);
        if cmd == "test" && all_tests && members.len() > 1 && tested_sources.len() == 1 {
            let src = tested_sources.into_iter().next().unwrap_or_default();
            return format!("dbt {cmd} {s} {src}{t}");
        }
    }
    // The invocation selected a few nodes: rebuild those of them this problem stopped — its
    // roots and what they skipped (a build runs their tests along) — and nothing beyond.
    if ctx.flags.selected {
        let mut names: BTreeSet<String> = members
            .iter()
            .map(|r| {
                let is_test = r.resource_type.is_test();
                let tested = (is_test && cmd != "test")
                    .then(|| tested_name(r, ctx))
                    .flatten();
                tested.unwrap_or_else(|| r.name.clone())
            })
            .collect();
        for id in skipped {
            let node = ctx.manifest.and_then(|m| m.nodes.get(id));
            let is_test = node.is_some_and(Node::is_test) || id.starts_with("test.");
            if !(is_test && cmd == "build") {
                names.insert(name_of(id, node));
            }
        }
        if names.len() <= 20 {
            let names: Vec<String> = names.into_iter().collect();
            return format!("dbt {cmd} {s} {}{t}", names.join(" "));
        }
    }
    let mut selectors: BTreeSet<String> = BTreeSet::new();
    for r in members {
        let is_test = r.resource_type.is_test();
        if is_test && cmd != "test" {
            // Rebuild what the test tests, the test itself comes along, then what it skipped.
            let tested = tested_name(r, ctx);
            // A model built from seeds alone gets its data from their CSVs: reload them too.
            let seeds_only = r
                .node
                .and_then(|n| n.attached_node.as_deref())
                .and_then(|t| {
                    let parents = ctx.lineage.parents(t);
                    let seeds = parent_seeds(t, ctx);
                    (!parents.is_empty() && seeds.len() == parents.len()).then_some(seeds)
                });
            match (tested, seeds_only) {
                (Some(_), Some(seeds)) => {
                    for seed in seeds {
                        selectors.insert(format!("{seed}+"));
                    }
                }
                (Some(t), None) => {
                    selectors.insert(format!("{t}+"));
                }
                (None, _) => {
                    selectors.insert(r.name.clone());
                }
            };
        } else if is_test || cmd == "seed" || cmd == "snapshot" {
            selectors.insert(r.name.clone());
        } else {
            selectors.insert(format!("{}+", r.name));
        }
    }
    let sel = selectors.into_iter().collect::<Vec<_>>().join(" ");
    // Schema drift is fixed on the table (or its config) first: the rerun is the plain one; the
    // destructive `--full-refresh` is a fix step with its cost, not the default.
    format!("dbt {cmd} {s} {sel}{t}")
}

/// After the loader caught up: check the sources again, then rebuild what reads them.
pub(super) fn freshness_rerun(members: &[&Root<'_>], ctx: &Ctx<'_>) -> String {
    let t = target_flag(ctx);
    let sources: Vec<String> = members
        .iter()
        .map(|r| format!("source:{}", r.name))
        .collect();
    let cmd = match ctx.command.as_str() {
        "build" | "run" => ctx.command.as_str(),
        _ => "build",
    };
    format!(
        "dbt source freshness --select {}{t} && dbt {cmd} --select {}{t}",
        sources.join(" "),
        sources
            .iter()
            .map(|s| format!("{s}+"))
            .collect::<Vec<_>>()
            .join(" ")
    )
}
