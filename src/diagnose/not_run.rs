//! When dbt stopped before running any node (a profile, credentials, Jinja or dependency error:
//! the log-only cases), nothing the invocation would have built was rebuilt. Which nodes those
//! are comes from the command line's `--select`/`--exclude` where they can be read, the whole
//! project otherwise; the exposures downstream of them keep the data of their last good build.
//!
//! The selection is read for the methods people type in an incident — names with graph
//! operators (`+orders`, `orders+2`, `@orders`), `source:`, `path:` (or a path), `package:`,
//! `resource_type:`, and `*` globs. Any other method (`tag:`, `config.`, `state:`, intersections
//! with `,`) cannot be resolved from the manifest we read, and the whole project is taken, saying so.

use rustc_hash::FxHashSet as HashSet;

use crate::artifacts::{LogInvocation, Manifest, Node};
use crate::vocab::ResourceType;

use super::{shell_words, Ctx};

/// What a run that stopped early did not rebuild.
pub(super) struct NotRun {
    /// The command as typed, or `dbt <command>`.
    pub command: String,
    /// How many nodes it would have built, the first of them by name, and what they are
    /// (`models`, `seeds`, …).
    pub nodes: usize,
    pub names: Vec<String>,
    pub kinds: &'static str,
    /// Exposure ids downstream of them, sorted.
    pub exposures: Vec<String>,
    /// Why the whole project was taken, when the selection could not be read.
    pub approximate: Option<String>,
}

/// `Some` when the invocation stopped before running any node of a command that builds nodes.
pub(super) fn nothing_ran(inv: Option<&LogInvocation>, ctx: &Ctx<'_>) -> Option<NotRun> {
    let inv = inv?;
    let ran_nothing = inv.fatal.is_some() && inv.ran.is_empty() && inv.node_errors.is_empty();
    let command = inv
        .command_or_guess()
        .unwrap_or_else(|| ctx.command.clone());
    let (kinds, kinds_text): (&[ResourceType], &str) = match command.as_str() {
        "run" => (&[ResourceType::Model], "models"),
        "seed" => (&[ResourceType::Seed], "seeds"),
        "snapshot" => (&[ResourceType::Snapshot], "snapshots"),
        "build" | "retry" => (
            &[
                ResourceType::Model,
                ResourceType::Seed,
                ResourceType::Snapshot,
            ],
            "models, seeds and snapshots",
        ),
        _ => return None,
    };
    if !ran_nothing {
        return None;
    }
    let typed = inv
        .command_line
        .clone()
        .unwrap_or_else(|| format!("dbt {command}"));
    let manifest = ctx.manifest;
    let (selected, approximate) = match manifest {
        Some(m) => selection(&typed, m, ctx),
        None => (HashSet::default(), None),
    };
    let built: Vec<&str> = selected
        .into_iter()
        .filter(|id| {
            manifest
                .and_then(|m| m.nodes.get(*id))
                .is_some_and(|n| kinds.contains(&n.resource_type))
        })
        .collect();
    let below = ctx.lineage.descendants_of_all(built.iter().copied());
    let mut names: Vec<String> = built
        .iter()
        .filter_map(|id| Some(manifest?.nodes.get(*id)?.name.clone()))
        .collect();
    names.sort();
    let mut exposures: Vec<String> = manifest
        .map(|m| {
            m.nodes
                .values()
                .filter(|n| {
                    n.resource_type == ResourceType::Exposure
                        && below.contains(n.unique_id.as_str())
                })
                .map(|n| n.unique_id.clone())
                .collect()
        })
        .unwrap_or_default();
    exposures.sort();
    Some(NotRun {
        command: typed,
        nodes: built.len(),
        names,
        kinds: kinds_text,
        exposures,
        approximate,
    })
}

/// The nodes the command line selects (ids), and why the whole project was taken instead when
/// it could not be read.
fn selection<'m>(
    typed: &str,
    m: &'m Manifest,
    ctx: &Ctx<'_>,
) -> (HashSet<&'m str>, Option<String>) {
    let words = shell_words(typed);
    let select = flag_values(&words, &["--select", "-s", "--models", "-m"]);
    let exclude = flag_values(&words, &["--exclude"]);
    let all = || {
        m.nodes
            .keys()
            .map(String::as_str)
            .collect::<HashSet<&str>>()
    };
    let mut chosen: HashSet<&str> = if select.is_empty() {
        all()
    } else {
        let mut set = HashSet::default();
        for s in &select {
            match resolve(s, m, ctx) {
                Some(ids) => set.extend(ids),
                None => return (all(), Some(format!("dbt-triage cannot resolve `{s}`"))),
            }
        }
        set
    };
    for s in &exclude {
        match resolve(s, m, ctx) {
            Some(ids) => {
                for id in ids {
                    chosen.remove(id);
                }
            }
            None => return (chosen, Some(format!("dbt-triage cannot resolve `{s}`"))),
        }
    }
    (chosen, None)
}

/// The words after any of `flags` up to the next flag (`--select a b+ --target x` → `a`, `b+`),
/// and `--select=a`.
fn flag_values(words: &[String], flags: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut taking = false;
    for w in words {
        if w.starts_with('-') {
            taking = flags.contains(&w.as_str());
            if let Some((f, v)) = w.split_once('=') {
                if flags.contains(&f) {
                    out.push(v.to_string());
                }
                taking = false;
            }
        } else if taking {
            out.extend(w.split_whitespace().map(str::to_string));
        }
    }
    out
}

/// The nodes one selector names, with its graph operators; `None` for a method we cannot read.
fn resolve<'m>(selector: &str, m: &'m Manifest, ctx: &Ctx<'_>) -> Option<HashSet<&'m str>> {
    if selector.contains(',') {
        return None;
    }
    let (at, rest) = match selector.strip_prefix('@') {
        Some(r) => (true, r),
        None => (false, selector),
    };
    let (up, rest) = graph_prefix(rest);
    let (core, down) = graph_suffix(rest);
    let base: Vec<&'m Node> = m
        .nodes
        .values()
        .filter(|n| matches_method(core, n))
        .collect::<Vec<_>>();
    if base.is_empty() && !is_plain(core) {
        return None;
    }
    let mut out: HashSet<&'m str> = base.iter().map(|n| n.unique_id.as_str()).collect();
    let intern = |id: &str| m.nodes.get_key_value(id).map(|(k, _)| k.as_str());
    for n in &base {
        if down.is_some() || at {
            out.extend(
                ctx.lineage
                    .descendants(&n.unique_id)
                    .into_iter()
                    .filter_map(intern),
            );
        }
        if up.is_some() {
            out.extend(
                ctx.lineage
                    .ancestors(&n.unique_id)
                    .into_iter()
                    .filter_map(intern),
            );
        }
    }
    if at {
        // `@x`: x, its descendants, and their ancestors.
        let heads: Vec<&'m str> = out.iter().copied().collect();
        for h in heads {
            out.extend(ctx.lineage.ancestors(h).into_iter().filter_map(intern));
        }
    }
    Some(out)
}

/// `+x`, `2+x`: whether ancestors are selected (depth is not limited here: a wider set only
/// names more reports as not rebuilt, never fewer).
fn graph_prefix(s: &str) -> (Option<()>, &str) {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    match s[digits..].strip_prefix('+') {
        Some(rest) => (Some(()), rest),
        None => (None, s),
    }
}

fn graph_suffix(s: &str) -> (&str, Option<()>) {
    let digits = s.bytes().rev().take_while(u8::is_ascii_digit).count();
    match s[..s.len() - digits].strip_suffix('+') {
        Some(rest) => (rest, Some(())),
        None => (s, None),
    }
}

/// A name, a path or a glob: no method prefix we do not know.
fn is_plain(s: &str) -> bool {
    match s.split_once(':') {
        Some((method, _)) => matches!(
            method,
            "source" | "path" | "file" | "package" | "resource_type" | "fqn"
        ),
        None => true,
    }
}

fn matches_method(core: &str, n: &Node) -> bool {
    match core.split_once(':') {
        Some(("source", v)) => {
            n.resource_type == ResourceType::Source
                && match v.split_once('.') {
                    Some((src, table)) => {
                        n.source_name.as_deref() == Some(src) && glob(table, &n.name)
                    }
                    None => n.source_name.as_deref().is_some_and(|s| glob(v, s)),
                }
        }
        Some(("path" | "file", v)) => path_matches(v, n),
        Some(("package", v)) => n.package_name.as_deref() == Some(v),
        Some(("resource_type", v)) => n.resource_type == ResourceType::from(v),
        Some(("fqn", v)) => glob(v.rsplit('.').next().unwrap_or(v), &n.name),
        Some(_) => false,
        None if core.contains('/') || core.ends_with(".sql") => path_matches(core, n),
        None => n.resource_type != ResourceType::Source && glob(core, &n.name),
    }
}

fn path_matches(p: &str, n: &Node) -> bool {
    let p = p.trim_start_matches("./").trim_end_matches('/');
    n.original_file_path
        .as_deref()
        .is_some_and(|f| f == p || f.starts_with(&format!("{p}/")))
}

/// `*` matches any run of characters; everything else literally.
fn glob(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == name;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !name.starts_with(first) || !name[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &name[first.len()..name.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selector_words_and_graph_operators() {
        let words = shell_words("dbt run --select stg_orders+ '+fct_orders' --target prod -s x");
        assert_eq!(
            flag_values(&words, &["--select", "-s"]),
            ["stg_orders+", "+fct_orders", "x"]
        );
        assert_eq!(graph_suffix("orders+2"), ("orders", Some(())));
        assert_eq!(graph_prefix("3+orders"), (Some(()), "orders"));
        assert_eq!(graph_suffix("orders"), ("orders", None));
    }

    #[test]
    fn globs() {
        assert!(glob("stg_*", "stg_orders"));
        assert!(glob("*_orders", "stg_orders"));
        assert!(glob("s*o*s", "stg_orders"));
        assert!(!glob("fct_*", "stg_orders"));
        assert!(glob("orders", "orders"));
    }

    #[test]
    fn methods_we_cannot_read_say_so() {
        assert!(is_plain("path:models/staging"));
        assert!(!is_plain("tag:nightly"));
        assert!(!is_plain("state:modified"));
    }
}
