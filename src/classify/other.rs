//! `other`: failures no category covers — internal errors of the warehouse or dbt, a folder that
//! is not a dbt project. Listed so that their wording does not fall into a wrong category; the
//! raw message is always kept.
//!
//! # What it looks like
//! `[INTERNAL_ERROR] org.apache.spark.SparkException: [INTERNAL_ERROR] Unexpected table relation`
//! `fatal: Not a dbt project (or any of the parent directories). Missing dbt_project.yml file`
//!
//! # Why dbt fails
//! The warehouse or dbt itself failed in a way the SQL did not cause, or dbt was run outside the
//! project.
//!
//! # What to do
//! Rerun once; if it repeats, search the adapter's issue tracker for the message and report it
//! with the query id.

use super::{Adapter, Rule};

pub(super) const RULES: &[Rule] = &[
    // (A code inside the wrapper that names a category decides instead: `codes::deciding`
    // passes over "internal" readings, and that code does not allow `other`.)
    Rule::any(r"\[INTERNAL_ERROR\][^\n]*|GENERIC_INTERNAL_ERROR[^\n]*|Internal Error[^\n]*"),
    Rule::any(r"Not a dbt project[^\n]*"),
    // dbt Fusion's own crash; the operating system refusing a file dbt writes.
    Rule::any(r"panicked at [^\n]*|[^\n]*\(os error \d+\)"),
    // BigQuery could not fetch the failed job's own error (job lookup in another location).
    Rule::on(&[Adapter::BigQuery], r"Not found: Job [^\n]*"),
];
