//! The warehouse a dbt project runs on, as a type. Parsed once from what dbt writes
//! (`metadata.adapter_type`, `Registered adapter: postgres=1.9.0`) or from a message's shape, and
//! spelled as dbt spells it when written. Unknown adapters are kept by name, never an error.
//!
//! Each fact about an adapter is a method here: its display name, its SQL family (whose
//! rules and fixes it shares), how it folds unquoted names and how it quotes them.

use serde::{Serialize, Serializer};

/// An adapter dbt runs on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Adapter {
    Snowflake,
    BigQuery,
    Postgres,
    Redshift,
    Databricks,
    Spark,
    DuckDb,
    MotherDuck,
    SqlServer,
    Fabric,
    Synapse,
    Trino,
    Athena,
    ClickHouse,
    Oracle,
    Materialize,
    /// An adapter this program has no rules of its own for, as dbt names it.
    Other(String),
}

/// The SQL dialect an adapter shares with others: rules and fixes are written per family, and an
/// adapter gets its family's unless it has its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    Snowflake,
    BigQuery,
    Postgres,
    Redshift,
    /// Databricks and Apache Spark (Spark SQL, Delta).
    Spark,
    /// DuckDB and MotherDuck.
    DuckDb,
    /// SQL Server, Microsoft Fabric's warehouse, Azure Synapse: T-SQL.
    TSql,
    /// Trino, Starburst, and Athena (engine v3 is Trino).
    Trino,
    ClickHouse,
    Oracle,
    Other,
}

impl Adapter {
    /// Every named adapter, in the order the documentation lists them.
    pub const NAMED: [Adapter; 16] = [
        Adapter::Snowflake,
        Adapter::BigQuery,
        Adapter::Postgres,
        Adapter::Redshift,
        Adapter::Databricks,
        Adapter::Spark,
        Adapter::DuckDb,
        Adapter::MotherDuck,
        Adapter::SqlServer,
        Adapter::Fabric,
        Adapter::Synapse,
        Adapter::Trino,
        Adapter::Athena,
        Adapter::ClickHouse,
        Adapter::Oracle,
        Adapter::Materialize,
    ];

    /// Reads an adapter's name as dbt writes it (`adapter_type`, the log's `Registered adapter`).
    /// Total: an empty name is `None`, an unknown one is kept as [`Adapter::Other`].
    pub fn parse(name: &str) -> Option<Adapter> {
        let name = name.trim().to_ascii_lowercase();
        let adapter = match name.as_str() {
            "" => return None,
            "snowflake" => Adapter::Snowflake,
            "bigquery" => Adapter::BigQuery,
            "postgres" | "postgresql" => Adapter::Postgres,
            "redshift" => Adapter::Redshift,
            "databricks" => Adapter::Databricks,
            "spark" => Adapter::Spark,
            "duckdb" => Adapter::DuckDb,
            "motherduck" => Adapter::MotherDuck,
            "sqlserver" | "sql server" | "mssql" => Adapter::SqlServer,
            "fabric" => Adapter::Fabric,
            "synapse" => Adapter::Synapse,
            "trino" | "starburst" => Adapter::Trino,
            "athena" => Adapter::Athena,
            "clickhouse" => Adapter::ClickHouse,
            "oracle" => Adapter::Oracle,
            "materialize" => Adapter::Materialize,
            _ => Adapter::Other(name),
        };
        Some(adapter)
    }

    /// One of the adapters this program has rules for (not [`Adapter::Other`]).
    pub fn is_named(&self) -> bool {
        !matches!(self, Adapter::Other(_))
    }

    /// The name as dbt spells it (`adapter_type`).
    pub fn as_str(&self) -> &str {
        match self {
            Adapter::Snowflake => "snowflake",
            Adapter::BigQuery => "bigquery",
            Adapter::Postgres => "postgres",
            Adapter::Redshift => "redshift",
            Adapter::Databricks => "databricks",
            Adapter::Spark => "spark",
            Adapter::DuckDb => "duckdb",
            Adapter::MotherDuck => "motherduck",
            Adapter::SqlServer => "sqlserver",
            Adapter::Fabric => "fabric",
            Adapter::Synapse => "synapse",
            Adapter::Trino => "trino",
            Adapter::Athena => "athena",
            Adapter::ClickHouse => "clickhouse",
            Adapter::Oracle => "oracle",
            Adapter::Materialize => "materialize",
            Adapter::Other(name) => name,
        }
    }

    /// The Python package that installs the adapter (`pip install dbt-clickhouse`). MotherDuck
    /// runs on dbt-duckdb; an adapter we do not know is guessed as `dbt-<type>`, dbt's convention.
    pub fn pip_package(&self) -> String {
        match self {
            Adapter::MotherDuck => "dbt-duckdb".to_string(),
            other => format!("dbt-{}", other.as_str()),
        }
    }

    /// The product's name, for people: `PostgreSQL`, `SQL Server`, …
    pub fn display_name(&self) -> &str {
        match self {
            Adapter::Snowflake => "Snowflake",
            Adapter::BigQuery => "BigQuery",
            Adapter::Postgres => "PostgreSQL",
            Adapter::Redshift => "Redshift",
            Adapter::Databricks => "Databricks",
            Adapter::Spark => "Spark",
            Adapter::DuckDb => "DuckDB",
            Adapter::MotherDuck => "MotherDuck",
            Adapter::SqlServer => "SQL Server",
            Adapter::Fabric => "Fabric",
            Adapter::Synapse => "Synapse",
            Adapter::Trino => "Trino",
            Adapter::Athena => "Athena",
            Adapter::ClickHouse => "ClickHouse",
            Adapter::Oracle => "Oracle",
            Adapter::Materialize => "Materialize",
            Adapter::Other(name) => name,
        }
    }

    /// The dialect family whose rules and fixes this adapter shares.
    pub fn family(&self) -> Family {
        match self {
            Adapter::Snowflake => Family::Snowflake,
            Adapter::BigQuery => Family::BigQuery,
            Adapter::Postgres | Adapter::Materialize => Family::Postgres,
            Adapter::Redshift => Family::Redshift,
            Adapter::Databricks | Adapter::Spark => Family::Spark,
            Adapter::DuckDb | Adapter::MotherDuck => Family::DuckDb,
            Adapter::SqlServer | Adapter::Fabric | Adapter::Synapse => Family::TSql,
            Adapter::Trino | Adapter::Athena => Family::Trino,
            Adapter::ClickHouse => Family::ClickHouse,
            Adapter::Oracle => Family::Oracle,
            Adapter::Other(_) => Family::Other,
        }
    }

    /// Whether a failure's messages written by `other` could come from this adapter: the same
    /// family (MotherDuck speaks DuckDB's errors, Fabric SQL Server's), or Redshift and PostgreSQL,
    /// whose drivers print the same shapes.
    pub fn could_be(&self, other: &Adapter) -> bool {
        let pg_like = |f: Family| matches!(f, Family::Postgres | Family::Redshift);
        self.family() == other.family()
            || (pg_like(self.family()) && pg_like(other.family()))
            || matches!(self, Adapter::Other(_))
            || matches!(other, Adapter::Other(_))
    }

    /// Whether a rule written for `listed` applies to this adapter: the same adapter, or the
    /// adapter that names this one's family (a rule for SQL Server applies to Fabric and Synapse).
    pub fn is_covered_by(&self, listed: &Adapter) -> bool {
        self == listed || (listed.family() == self.family() && listed.family_head())
    }

    /// Whether this adapter stands for its whole family in rule lists.
    fn family_head(&self) -> bool {
        matches!(
            self,
            Adapter::Snowflake
                | Adapter::BigQuery
                | Adapter::Postgres
                | Adapter::Redshift
                | Adapter::Databricks
                | Adapter::DuckDb
                | Adapter::SqlServer
                | Adapter::Trino
                | Adapter::ClickHouse
                | Adapter::Oracle
        )
    }

    /// How the warehouse folds an unquoted name: Snowflake and Oracle to upper case, the
    /// Postgres family and Redshift to lower case, the others keep or ignore case.
    pub fn folds_to(&self) -> Folding {
        match self.family() {
            Family::Snowflake | Family::Oracle => Folding::Upper,
            Family::Postgres | Family::Redshift | Family::DuckDb | Family::Trino => Folding::Lower,
            _ => Folding::Insensitive,
        }
    }

    /// Quotes a name for this warehouse when it needs quoting (odd characters, or a case that
    /// unquoted would fold away).
    pub fn quote(&self, name: &str) -> String {
        let plain = name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
            && !name.starts_with(|c: char| c.is_ascii_digit());
        let folded = match self.folds_to() {
            Folding::Upper => name.chars().all(|c| !c.is_ascii_lowercase()),
            Folding::Lower => name.chars().all(|c| !c.is_ascii_uppercase()),
            Folding::Insensitive => true,
        };
        if plain && folded {
            return name.to_string();
        }
        match self.family() {
            Family::BigQuery | Family::Spark | Family::ClickHouse => format!("`{name}`"),
            Family::TSql => format!("[{name}]"),
            _ => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }
}

/// How unquoted names are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folding {
    Upper,
    Lower,
    Insensitive,
}

impl std::fmt::Display for Adapter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Adapter {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Adapter {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Ok(Adapter::parse(&name).unwrap_or(Adapter::Other(name)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for a in Adapter::NAMED {
            assert_eq!(Adapter::parse(a.as_str()), Some(a.clone()), "{a}");
        }
        assert_eq!(Adapter::parse("Starburst"), Some(Adapter::Trino));
        assert_eq!(
            Adapter::parse("exasol"),
            Some(Adapter::Other("exasol".into()))
        );
        assert_eq!(Adapter::parse("  "), None);
    }

    #[test]
    fn family_rules_cover_members_only() {
        assert!(Adapter::Fabric.is_covered_by(&Adapter::SqlServer));
        assert!(!Adapter::SqlServer.is_covered_by(&Adapter::Fabric));
        assert!(Adapter::MotherDuck.is_covered_by(&Adapter::DuckDb));
        assert!(Adapter::Spark.is_covered_by(&Adapter::Databricks));
        assert!(Adapter::Athena.is_covered_by(&Adapter::Trino));
        assert!(!Adapter::Redshift.is_covered_by(&Adapter::Postgres));
        assert!(!Adapter::Other("x".into()).is_covered_by(&Adapter::Other("y".into())));
    }

    #[test]
    fn quoting_follows_folding() {
        assert_eq!(Adapter::Snowflake.quote("ORDERS"), "ORDERS");
        assert_eq!(Adapter::Snowflake.quote("orders"), "\"orders\"");
        assert_eq!(Adapter::Postgres.quote("Orders"), "\"Orders\"");
        assert_eq!(Adapter::BigQuery.quote("my-project"), "`my-project`");
        assert_eq!(Adapter::Fabric.quote("Order Lines"), "[Order Lines]");
        assert_eq!(Adapter::Oracle.quote("orders"), "\"orders\"");
    }
}
