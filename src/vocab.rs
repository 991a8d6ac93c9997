//! dbt's vocabulary: a node's resource type and a result's status, parsed once where the bytes are
//! read. Total: any string is a value — one dbt does not have yet is kept as `Other`, and every
//! value is written back exactly as it was read, so the JSON output is the string dbt wrote.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Defines a vocabulary enum: its known words, `Other(String)` for the rest, and the conversions
/// and serde impls that spell it as dbt does.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $word:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A word this version does not know (or an empty one), kept as it was read.
            Other(String),
        }

        impl $name {
            /// The word as dbt spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $word,)*
                    $name::Other(s) => s,
                }
            }

            /// The value of a word, as it is spelled (no case folding: the readers lowercase).
            pub fn parse(s: &str) -> $name {
                match s {
                    $($word => $name::$variant,)*
                    other => $name::Other(other.to_string()),
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> $name {
                $name::parse(s)
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> $name {
                match $name::parse(&s) {
                    $name::Other(_) => $name::Other(s),
                    known => known,
                }
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                match v {
                    $name::Other(s) => s,
                    known => known.as_str().to_string(),
                }
            }
        }

        impl Default for $name {
            /// The empty word: what a reader gives when the file says nothing.
            fn default() -> $name {
                $name::Other(String::new())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                String::deserialize(d).map($name::from)
            }
        }
    };
}

vocabulary! {
    /// What a node is: `resource_type` in the manifest, the first part of a unique_id.
    ResourceType {
        Model => "model",
        Seed => "seed",
        Snapshot => "snapshot",
        Test => "test",
        UnitTest => "unit_test",
        Source => "source",
        Exposure => "exposure",
        Analysis => "analysis",
        Operation => "operation",
        SemanticModel => "semantic_model",
        Metric => "metric",
        SavedQuery => "saved_query",
        SqlOperation => "sql_operation",
        Function => "function",
    }
}

vocabulary! {
    /// How a node's execution ended: `status` in run_results.json.
    ResultStatus {
        Success => "success",
        Error => "error",
        Fail => "fail",
        Warn => "warn",
        Skipped => "skipped",
        Pass => "pass",
        RuntimeError => "runtime error",
        PartialSuccess => "partial success",
        NoOp => "no-op",
        Reused => "reused",
    }
}

impl ResourceType {
    /// A data test or unit test, rather than something that builds a relation.
    pub fn is_test(&self) -> bool {
        matches!(self, ResourceType::Test | ResourceType::UnitTest)
    }

    /// A model, seed or snapshot: what `dbt run`, `seed` and `snapshot` build in the warehouse.
    pub fn builds_relation(&self) -> bool {
        matches!(
            self,
            ResourceType::Model | ResourceType::Seed | ResourceType::Snapshot
        )
    }

    /// Whether the manifest said nothing.
    pub fn is_empty(&self) -> bool {
        self.as_str().is_empty()
    }
}

impl ResultStatus {
    /// Whether the node's own execution went wrong: `error`, `fail`, `runtime error` or
    /// `partial success` (the contract's definition of a root).
    pub fn is_failure(&self) -> bool {
        matches!(
            self,
            ResultStatus::Error
                | ResultStatus::Fail
                | ResultStatus::RuntimeError
                | ResultStatus::PartialSuccess
        )
    }

    /// `success`, `pass` or `no-op`: the node ran, or had nothing to do, and nothing was wrong.
    pub fn is_passed(&self) -> bool {
        matches!(
            self,
            ResultStatus::Success | ResultStatus::Pass | ResultStatus::NoOp
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_type(word: &str, expected: ResourceType) {
        let parsed = ResourceType::from(word);
        assert_eq!(parsed, expected);
        assert_eq!(parsed.as_str(), word);
        let json = serde_json::to_string(&parsed).unwrap();
        assert_eq!(json, serde_json::to_string(word).unwrap());
        assert_eq!(
            serde_json::from_str::<ResourceType>(&json).unwrap(),
            expected
        );
        assert_eq!(String::from(parsed), word);
    }

    #[track_caller]
    fn check_status(word: &str, expected: ResultStatus) {
        let parsed = ResultStatus::from(word.to_string());
        assert_eq!(parsed, expected);
        assert_eq!(parsed.to_string(), word);
        let json = serde_json::to_string(&parsed).unwrap();
        assert_eq!(json, serde_json::to_string(word).unwrap());
        assert_eq!(
            serde_json::from_str::<ResultStatus>(&json).unwrap(),
            expected
        );
    }

    #[test]
    fn known_types() {
        check_type("model", ResourceType::Model);
        check_type("unit_test", ResourceType::UnitTest);
        check_type("semantic_model", ResourceType::SemanticModel);
        check_type("sql_operation", ResourceType::SqlOperation);
        check_type("function", ResourceType::Function);
    }

    #[test]
    fn unknown_types_are_kept() {
        check_type("macro", ResourceType::Other("macro".into()));
        check_type("Model", ResourceType::Other("Model".into()));
        check_type("", ResourceType::default());
    }

    #[test]
    fn known_statuses() {
        check_status("success", ResultStatus::Success);
        check_status("runtime error", ResultStatus::RuntimeError);
        check_status("partial success", ResultStatus::PartialSuccess);
        check_status("no-op", ResultStatus::NoOp);
        check_status("reused", ResultStatus::Reused);
    }

    #[test]
    fn unknown_statuses_are_kept() {
        check_status("cancelled", ResultStatus::Other("cancelled".into()));
        check_status("", ResultStatus::default());
    }

    #[test]
    fn facts() {
        assert!(ResourceType::UnitTest.is_test());
        assert!(!ResourceType::Model.is_test());
        assert!(ResourceType::Snapshot.builds_relation());
        assert!(!ResourceType::Source.builds_relation());
        assert!(ResultStatus::PartialSuccess.is_failure());
        assert!(!ResultStatus::Warn.is_failure());
        assert!(ResultStatus::NoOp.is_passed());
        assert!(!ResultStatus::Other("reused".into()).is_passed());
    }
}
