//! sources.json, what `dbt source freshness` writes: schema v1–v3 (`results`, dbt ≥ 0.19) and the
//! older map of sources (`sources`, dbt ≤ 0.18, with `state` for the status). Read leniently:
//! every field but the source's id is optional, unknown statuses are kept as written.

use serde::Deserialize;

use crate::artifacts::{lenient_string, version_of, Metadata};

/// One source's freshness, as dbt wrote it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SourceFreshness {
    pub unique_id: String,
    /// `pass`, `warn`, `error`, `runtime error` (the freshness query itself failed), or anything
    /// a newer dbt writes.
    pub status: String,
    pub max_loaded_at: Option<String>,
    pub snapshotted_at: Option<String>,
    /// How old the newest row was when dbt looked, in seconds.
    pub age_s: Option<f64>,
    pub warn_after: Option<Threshold>,
    pub error_after: Option<Threshold>,
    /// The database's message when the freshness query failed (`runtime error`).
    pub error: Option<String>,
}

/// A freshness threshold: `{"count": 48, "period": "hour"}`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Threshold {
    pub count: u64,
    pub period: String,
}

impl std::fmt::Display for Threshold {
    /// `48 hour`, as dbt's YAML spells it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.count, self.period)
    }
}

/// A whole sources.json.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sources {
    pub metadata: Metadata,
    pub schema_version: Option<u32>,
    pub results: Vec<SourceFreshness>,
}

impl SourceFreshness {
    pub fn is_error(&self) -> bool {
        self.status == "error"
    }

    pub fn is_warn(&self) -> bool {
        self.status == "warn"
    }

    /// The freshness query could not run: the database's error, not stale data.
    pub fn is_runtime_error(&self) -> bool {
        self.status == "runtime error"
    }

    /// The threshold the source's status broke: `error_after` for `error`, `warn_after` for `warn`.
    pub fn broken_threshold(&self) -> Option<&Threshold> {
        match self.status.as_str() {
            "error" => self.error_after.as_ref(),
            "warn" => self.warn_after.as_ref(),
            _ => None,
        }
    }
}

#[derive(Deserialize)]
struct Raw {
    #[serde(default)]
    metadata: Metadata,
    /// dbt ≤ 0.18 wrote `meta` where later versions write `metadata`.
    #[serde(default)]
    meta: Metadata,
    #[serde(default)]
    results: Vec<RawResult>,
    #[serde(default)]
    sources: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawResult {
    unique_id: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    status: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    state: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    max_loaded_at: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    snapshotted_at: Option<String>,
    max_loaded_at_time_ago_in_s: Option<f64>,
    criteria: Option<RawCriteria>,
    #[serde(deserialize_with = "lenient_string")]
    error: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawCriteria {
    warn_after: Option<RawThreshold>,
    error_after: Option<RawThreshold>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawThreshold {
    count: Option<u64>,
    #[serde(deserialize_with = "lenient_string")]
    period: Option<String>,
}

impl RawThreshold {
    /// dbt writes `{"count": null, "period": null}` for a threshold that is not set.
    fn into_threshold(self) -> Option<Threshold> {
        Some(Threshold {
            count: self.count?,
            period: self.period?,
        })
    }
}

impl RawResult {
    fn into_freshness(self, id: Option<String>) -> Option<SourceFreshness> {
        let criteria = self.criteria.unwrap_or_default();
        Some(SourceFreshness {
            unique_id: self.unique_id.or(id)?,
            status: self.status.or(self.state).unwrap_or_default(),
            max_loaded_at: self.max_loaded_at,
            snapshotted_at: self.snapshotted_at,
            age_s: self.max_loaded_at_time_ago_in_s,
            warn_after: criteria.warn_after.and_then(RawThreshold::into_threshold),
            error_after: criteria.error_after.and_then(RawThreshold::into_threshold),
            error: self.error,
        })
    }
}

/// Reads sources.json bytes. `Err` holds serde's reason, for the caller to put into words.
pub(crate) fn parse(bytes: &[u8]) -> Result<Sources, serde_json::Error> {
    let raw: Raw = serde_json::from_slice(bytes)?;
    let metadata = if raw.metadata == Metadata::default() {
        raw.meta
    } else {
        raw.metadata
    };
    let mut results: Vec<SourceFreshness> = raw
        .results
        .into_iter()
        .filter_map(|r| r.into_freshness(None))
        .collect();
    for (id, value) in raw.sources.unwrap_or_default() {
        if let Ok(r) = serde_json::from_value::<RawResult>(value) {
            results.extend(r.into_freshness(Some(id)));
        }
    }
    Ok(Sources {
        schema_version: version_of(metadata.dbt_schema_version.as_deref()),
        metadata,
        results,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_v3_results_with_their_thresholds() {
        let s = parse(
            br#"{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/sources/v3.json"},
                 "results": [{"unique_id": "source.p.raw.a", "status": "error",
                   "max_loaded_at": "2024-01-09T19:40:00+00:00", "max_loaded_at_time_ago_in_s": 90.5,
                   "criteria": {"warn_after": {"count": 24, "period": "hour"},
                                "error_after": {"count": 48, "period": "hour"}, "filter": null}},
                   {"unique_id": "source.p.raw.b", "status": "runtime error", "error": "no such column"}],
                 "elapsed_time": 0.1}"#,
        )
        .unwrap();
        assert_eq!(s.schema_version, Some(3));
        let a = &s.results[0];
        assert!(a.is_error());
        assert_eq!(a.broken_threshold().unwrap().to_string(), "48 hour");
        assert_eq!(a.age_s, Some(90.5));
        assert!(s.results[1].is_runtime_error());
        assert_eq!(s.results[1].error.as_deref(), Some("no such column"));
    }

    #[test]
    fn reads_the_old_map_of_sources_and_unset_thresholds() {
        let s = parse(
            br#"{"meta": {"generated_at": "2020-06-01T00:00:00Z"},
                 "sources": {"source.p.raw.a": {"state": "warn", "max_loaded_at": "2020-05-30",
                   "criteria": {"warn_after": {"count": 1, "period": "day"},
                                "error_after": {"count": null, "period": null}}}}}"#,
        )
        .unwrap();
        assert_eq!(
            s.metadata.generated_at.as_deref(),
            Some("2020-06-01T00:00:00Z")
        );
        let a = &s.results[0];
        assert_eq!(
            (a.unique_id.as_str(), a.is_warn()),
            ("source.p.raw.a", true)
        );
        assert_eq!(a.error_after, None);
        assert_eq!(a.broken_threshold().unwrap().to_string(), "1 day");
    }
}
