//! dbt-triage's core: why did a dbt run fail, and what does it break?
//!
//! ```text
//! dropped bytes ──► artifacts ──► lineage ──► diagnosis ──► reports
//! ```
//!
//! Each arrow is one plain function: [`artifacts::read`], [`graph::lineage`],
//! [`diagnose::diagnose`], and the printers in [`report`]. The core knows nothing about the
//! browser or the file system: no web-sys, no I/O, no clock. It is total — any bytes give a value,
//! broken input is part of the result, never a panic.
//!
//! A caller with an answer to give before the manifest is read (the page) reads in two stages:
//! [`artifacts::read_first`] of the other files, diagnosed as they are (the failures, their
//! messages, categories, fixes and rerun commands), then [`artifacts::Staged::finish`] with the
//! manifest — which gives exactly what [`read`] of all the files gives, so the second diagnosis is
//! the one-stage diagnosis (`tests/answer_first.rs`).

pub mod adapter;
pub mod artifacts;
pub mod classify;
pub mod diagnose;
pub mod graph;
pub mod layout;
pub mod powerbi;
pub mod report;
pub mod share;
pub mod view;
pub mod vocab;

pub use adapter::Adapter;

/// The first `max` bytes of `s`, cut on a character boundary (what the classifier reads of a
/// long message, a kept log line, a shortened message in a share link).
pub(crate) fn prefix(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}
pub use artifacts::{read, Artifacts, InputFile};
pub use classify::{classify, Category};
pub use diagnose::{diagnose, Diagnosis};
pub use graph::{lineage, Lineage};
pub use vocab::{ResourceType, ResultStatus};

/// The whole pipeline for callers that need only the diagnosis: files → diagnosis.
pub fn diagnose_files(files: &[InputFile<'_>]) -> (Artifacts, Diagnosis) {
    let artifacts = read(files);
    let lineage = lineage(&artifacts);
    let diagnosis = diagnose(&artifacts, &lineage);
    (artifacts, diagnosis)
}
