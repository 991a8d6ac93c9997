//! Power BI semantic models → the warehouse tables they read → the dbt nodes that build them.
//! Pure and total: any bytes give a value; what cannot be read or resolved is kept with a reason,
//! never dropped, never a panic. No I/O: the caller hands in `(name, bytes)` pairs.
//!
//! ```text
//! (name, bytes) ──sniff──► PowerBiKind      what a file is, by its content
//! files ─────────read────► PowerBi          semantic models, their tables' sources, reports
//! PowerBi + Manifest ──match_sources──► Vec<ModelMatch>   per model: matched and unmatched
//! ```
//!
//! The public API: [`sniff`], [`read`], [`match_sources`] and the plain data they return.
//! Inputs read: PBIP TMDL (`<Name>.SemanticModel/definition/{model,expressions,tables/*}.tmdl`),
//! TMSL `model.bim`, the admin scanner's `getScanResult` JSON, and PBIP reports'
//! `definition.pbir` (which name their semantic model by path). A model's sources come from its
//! partitions' Power Query (M) expressions ([`m`]): connector navigation (Snowflake, SQL Server,
//! PostgreSQL, Redshift, BigQuery, Databricks, …), `Value.NativeQuery` SQL ([`sql`]), parameters and
//! shared queries, and Direct Lake `entity` partitions.

mod files;
pub mod m;
mod matching;
pub mod sql;
mod tmdl;

use serde::Serialize;

pub use files::{read, sniff};
pub use matching::match_sources;

/// What a file is, as far as Power BI goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PowerBiKind {
    /// A TMDL file of a PBIP semantic model (`model.tmdl`, `expressions.tmdl`, `tables/*.tmdl`, …).
    Tmdl,
    /// A TMSL `model.bim` (older PBIP, Tabular Editor, XMLA exports).
    ModelBim,
    /// The Power BI admin scanner's result (`workspaces[].datasets[]`, `workspaces[].reports[]`).
    Scanner,
    /// A PBIP report's `definition.pbir`, naming its semantic model.
    ReportDefinition,
}

/// Everything read from the Power BI files.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct PowerBi {
    pub models: Vec<SemanticModel>,
    /// Files that could not be used, or parts of them, in words that name the file.
    pub issues: Vec<FileIssue>,
}

/// A problem with one input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileIssue {
    pub file: String,
    pub problem: String,
}

/// Where a semantic model was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Tmdl,
    ModelBim,
    Scanner,
}

/// One semantic model (formerly "dataset").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SemanticModel {
    /// The `<Name>` of `<Name>.SemanticModel`, a model.bim's `name`, or the scanner's dataset name.
    pub name: String,
    /// The dataset id (scanner output, a model.bim's `id`).
    pub dataset_id: Option<String>,
    pub workspace: Option<Workspace>,
    pub origin: Origin,
    /// The files it was read from.
    pub files: Vec<String>,
    pub tables: Vec<Table>,
    /// Named expressions: parameters (`Database = "ANALYTICS" meta [IsParameterQuery=true]`) and
    /// shared queries, as written.
    pub expressions: Vec<NamedExpression>,
    /// Reports built on this model (scanner `datasetId`, PBIP `definition.pbir`).
    pub reports: Vec<Report>,
}

/// A Power BI workspace (scanner output).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Workspace {
    pub id: Option<String>,
    pub name: Option<String>,
}

/// A model-level named M expression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamedExpression {
    pub name: String,
    pub expression: String,
}

/// A report tied to a semantic model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub name: String,
    pub id: Option<String>,
    /// `https://app.powerbi.com/groups/<workspace>/reports/<id>` when both ids are known.
    pub url: Option<String>,
}

/// A table of the semantic model and where its rows come from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub name: String,
    pub partitions: Vec<Partition>,
}

/// What kind of partition a table has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PartitionKind {
    /// A Power Query (M) expression.
    M,
    /// A DAX calculated table: no warehouse source.
    Calculated,
    /// Direct Lake: a Delta table (`entityName`, `schemaName`) of a lakehouse or warehouse.
    Entity,
    /// A legacy provider query (`type: query`): SQL against a `dataSources` connection.
    Query,
    /// An incremental-refresh policy's `sourceExpression` (M).
    RefreshPolicy,
    /// Anything else (`policyRange`, `calculationGroup`, …).
    Other,
}

/// One partition and what was extracted from it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Partition {
    pub name: Option<String>,
    pub kind: PartitionKind,
    /// `import`, `directQuery`, `directLake`, `dual`, as written.
    pub mode: Option<String>,
    /// The expression as written (M, DAX or SQL).
    pub expression: Option<String>,
    pub sources: Vec<SourceRef>,
    /// Sources that reach the table but are not warehouse tables (files, web, SharePoint, …).
    pub other_sources: Vec<String>,
    pub unresolved: Vec<Unresolved>,
}

/// A warehouse table a partition reads.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SourceRef {
    /// The M function that connects: `Snowflake.Databases`, `Sql.Database`, `DirectLake`, …
    pub connector: String,
    /// The server/host/account argument, when it is literal.
    pub server: Option<String>,
    /// Database, catalog or project.
    pub database: Option<String>,
    /// Schema or dataset.
    pub schema: Option<String>,
    /// Table or view name.
    pub identifier: String,
    /// Whether the name came from a native SQL query rather than navigation.
    pub native_query: bool,
    /// The step of the expression that named the table, whitespace collapsed, at most 200 chars.
    pub expression_excerpt: String,
}

impl SourceRef {
    /// `database.schema.identifier`, skipping absent parts.
    pub fn relation(&self) -> String {
        [self.database.as_deref(), self.schema.as_deref()]
            .into_iter()
            .flatten()
            .chain([self.identifier.as_str()])
            .collect::<Vec<_>>()
            .join(".")
    }
}

/// A source that was found but could not be resolved to a table, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Unresolved {
    pub connector: Option<String>,
    /// What is known of the relation (`ANALYTICS.?.ORDERS`), if anything.
    pub relation: Option<String>,
    pub reason: String,
    pub expression_excerpt: String,
}

/// One semantic model matched against the manifest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelMatch {
    /// The semantic model's name.
    pub model: String,
    /// `powerbi.semantic_model.<name>`, the id its exposure entry takes.
    pub id: String,
    pub dataset_id: Option<String>,
    pub workspace: Option<Workspace>,
    /// Per table source, the dbt node that builds it.
    pub matched: Vec<SourceMatch>,
    /// Warehouse sources with no dbt node, or that could not be resolved.
    pub unmatched: Vec<UnmatchedSource>,
    /// Sources that are not warehouse tables (`Excel.Workbook`, `Web.Contents`, …), per table.
    pub other_sources: Vec<OtherSource>,
    pub reports: Vec<Report>,
}

/// A Power BI table's source and the dbt node whose relation it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SourceMatch {
    pub table: String,
    /// The relation as Power BI names it (`SHOP.MAIN.FCT_ORDERS`).
    pub relation: String,
    /// The node's unique_id.
    pub node: String,
}

/// A Power BI table's source that no dbt node matched.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct UnmatchedSource {
    pub table: String,
    pub relation: Option<String>,
    pub reason: String,
}

/// A non-warehouse source of a table.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct OtherSource {
    pub table: String,
    pub connector: String,
}

impl SemanticModel {
    /// The id its exposure entry takes: `powerbi.semantic_model.<name>`.
    pub fn exposure_id(&self) -> String {
        format!("powerbi.semantic_model.{}", self.name)
    }
}

/// Collapses whitespace and cuts to at most `max` characters (on a char boundary, with `…`).
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= max {
        return collapsed;
    }
    let mut out: String = collapsed.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}
