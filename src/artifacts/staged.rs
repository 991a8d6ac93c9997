//! Reading in two stages, for a caller with an answer to give before the biggest files are in:
//! the page shows the problem cards from run_results (or a log) while the manifest — most of the
//! bytes — is still being read, then the whole diagnosis. Each file is parsed once.
//!
//! The invariant: [`read_first`] of some of the files, then [`Staged::finish`] with the others
//! (each file under its position among all of them), gives exactly [`read`](super::read) of all
//! the files in their order — the same `Artifacts`, field for field, whatever the split.

use super::{read_one, Artifacts, InputFile, InputReport};

/// The first stage's artifacts, and what the second stage needs to put the rest in its place.
#[derive(Debug, Clone)]
pub struct Staged {
    /// What the first stage's files make on their own (Power BI files read, their issues last).
    artifacts: Artifacts,
    /// The position of the file each entry of `artifacts`' lists came from.
    at: Positions,
    /// The Power BI files, under their file's position: a model spans many files, so they are
    /// read together again when the second stage brings more of them.
    powerbi: PowerBiFiles,
    /// How many of `artifacts.inputs` (the last ones) are the Power BI files' issues.
    issues: usize,
}

/// The files of the first stage, each under its position among all the files (in that order),
/// read. A file whose
/// content is a manifest ([`recognize`](super::recognize) of its first bytes) is what a caller
/// usually leaves for [`Staged::finish`]; any split gives the same result in the end.
pub fn read_first(files: &[(usize, InputFile<'_>)]) -> Staged {
    let (artifacts, at, powerbi) = read_at(files);
    let mut out = Staged {
        artifacts,
        at,
        powerbi,
        issues: 0,
    };
    out.read_powerbi();
    out
}

impl Staged {
    /// What the first stage's files say on their own: a diagnosis from these has the failures,
    /// their messages, categories and fixes, but no lineage.
    pub fn artifacts(&self) -> &Artifacts {
        &self.artifacts
    }

    /// Earlier runs the page remembered (statuses only), for the history: kept by [`finish`].
    ///
    /// [`finish`]: Staged::finish
    pub fn remember(&mut self, runs: Vec<super::RunResults>) {
        self.artifacts.remembered = runs;
    }

    /// The rest of the files, each under its position among all of them (in that order), read and put in their
    /// place: the artifacts [`read`](super::read) gives for all the files in their order.
    pub fn finish(mut self, rest: &[(usize, InputFile<'_>)]) -> Artifacts {
        if rest.is_empty() {
            return self.artifacts;
        }
        let keep = self.artifacts.inputs.len() - self.issues;
        self.artifacts.inputs.truncate(keep);
        let (more, more_at, more_powerbi) = read_at(rest);
        let a = &mut self.artifacts;
        let at = &mut self.at;
        merge(
            &mut a.run_results,
            &mut at.run_results,
            more.run_results,
            more_at.run_results,
        );
        merge(
            &mut a.manifests,
            &mut at.manifests,
            more.manifests,
            more_at.manifests,
        );
        merge(&mut a.logs, &mut at.logs, more.logs, more_at.logs);
        merge(
            &mut a.sources,
            &mut at.sources,
            more.sources,
            more_at.sources,
        );
        merge(&mut a.inputs, &mut at.inputs, more.inputs, more_at.inputs);
        if more_powerbi.is_empty() {
            // The Power BI files are all in the first stage: what it read of them stands.
            let issues = powerbi_issues(&self.artifacts);
            self.artifacts.inputs.extend(issues);
        } else {
            let (mut files, mut at): (Vec<_>, Vec<_>) = std::mem::take(&mut self.powerbi)
                .into_iter()
                .map(|(i, n, b)| ((n, b), i))
                .unzip();
            let (more, more_at): (Vec<_>, Vec<_>) = more_powerbi
                .into_iter()
                .map(|(i, n, b)| ((n, b), i))
                .unzip();
            merge(&mut files, &mut at, more, more_at);
            self.powerbi = at
                .into_iter()
                .zip(files)
                .map(|(i, (n, b))| (i, n, b))
                .collect();
            self.read_powerbi();
        }
        self.artifacts
    }

    /// Reads the Power BI files together, as `read` does after the last file, and adds their
    /// issues at the end of the inputs.
    fn read_powerbi(&mut self) {
        if self.powerbi.is_empty() {
            self.issues = 0;
            return;
        }
        let pairs: Vec<(&str, &[u8])> = self
            .powerbi
            .iter()
            .map(|(_, n, b)| (n.as_str(), b.as_slice()))
            .collect();
        self.artifacts.powerbi = crate::powerbi::read(&pairs);
        let issues = powerbi_issues(&self.artifacts);
        self.issues = issues.len();
        self.artifacts.inputs.extend(issues);
    }
}

/// Power BI files under their file's position, with their names and bytes.
type PowerBiFiles = Vec<(usize, String, Vec<u8>)>;

/// The positions of the files the entries of an `Artifacts`' lists came from.
#[derive(Debug, Clone, Default)]
struct Positions {
    run_results: Vec<usize>,
    manifests: Vec<usize>,
    logs: Vec<usize>,
    sources: Vec<usize>,
    inputs: Vec<usize>,
}

/// Reads files one by one as `read` does, noting where each entry came from; the Power BI files
/// are collected, not read.
fn read_at(files: &[(usize, InputFile<'_>)]) -> (Artifacts, Positions, PowerBiFiles) {
    let mut out = Artifacts::default();
    let mut at = Positions::default();
    let mut powerbi = Vec::new();
    for (i, f) in files {
        let mut found = Vec::new();
        read_one(f, &mut out, &mut found);
        at.run_results.resize(out.run_results.len(), *i);
        at.manifests.resize(out.manifests.len(), *i);
        at.logs.resize(out.logs.len(), *i);
        at.sources.resize(out.sources.len(), *i);
        at.inputs.resize(out.inputs.len(), *i);
        powerbi.extend(found.into_iter().map(|(n, b)| (*i, n, b)));
    }
    (out, at, powerbi)
}

/// What `read` says about Power BI files it could not use.
fn powerbi_issues(a: &Artifacts) -> Vec<InputReport> {
    a.powerbi
        .issues
        .iter()
        .map(|issue| InputReport {
            name: issue.file.clone(),
            kind: super::InputKind::Unreadable,
            detail: String::new(),
            problem: Some(issue.problem.clone()),
        })
        .collect()
}

/// Merges `more` into `list` by file position (each sorted by it; the first stage's first on a
/// tie), keeping the positions alongside.
fn merge<T>(list: &mut Vec<T>, at: &mut Vec<usize>, more: Vec<T>, more_at: Vec<usize>) {
    if more.is_empty() {
        return;
    }
    let old = std::mem::take(list).into_iter().zip(std::mem::take(at));
    let mut new = more.into_iter().zip(more_at).peekable();
    for (item, i) in old {
        while let Some((m, j)) = new.next_if(|(_, j)| *j < i) {
            list.push(m);
            at.push(j);
        }
        list.push(item);
        at.push(i);
    }
    for (m, j) in new {
        list.push(m);
        at.push(j);
    }
}
