//! Power BI files → semantic models: sniffing by content, TMDL files grouped into one model per
//! `<Name>.SemanticModel` folder, `model.bim`, the admin scanner's JSON, PBIP `definition.pbir`
//! reports; then each partition's sources extracted. Total: a file that cannot be read becomes a
//! [`FileIssue`] naming it, never a panic; files that are not Power BI files are passed over.

use std::collections::BTreeMap;

use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer};

use crate::powerbi::m::{self, Scope};
use crate::powerbi::tmdl::{self, DocPartition};
use crate::powerbi::{
    excerpt, FileIssue, NamedExpression, Origin, Partition, PartitionKind, PowerBi, PowerBiKind,
    Report, SemanticModel, SourceRef, Table, Unresolved, Workspace,
};

/// What a file is, by its content (the name only helps place TMDL files in their model).
pub fn sniff(name: &str, bytes: &[u8]) -> Option<PowerBiKind> {
    let _ = name;
    let head = &bytes[..bytes.len().min(65_536)];
    let first = head
        .iter()
        .copied()
        .find(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF);
    if first == Some(b'{') {
        let has = |needle: &str| head.windows(needle.len()).any(|w| w == needle.as_bytes());
        if !(has("\"compatibilityLevel\"")
            || has("\"model\"")
            || has("\"workspaces\"")
            || has("\"datasetReference\""))
        {
            return None;
        }
        let Ok(probe) = serde_json::from_slice::<Probe>(bytes) else {
            // Broken JSON that says what it is: taken as that, so reading it names the problem.
            return if has("\"compatibilityLevel\"") && has("\"tables\"") {
                Some(PowerBiKind::ModelBim)
            } else if has("\"workspaces\"") && has("\"datasets\"") {
                Some(PowerBiKind::Scanner)
            } else if has("\"datasetReference\"") {
                Some(PowerBiKind::ReportDefinition)
            } else {
                None
            };
        };
        if probe.workspaces.as_ref().is_some_and(|w| {
            w.iter()
                .any(|w| w.datasets.is_some() || w.reports.is_some())
        }) {
            return Some(PowerBiKind::Scanner);
        }
        if probe
            .model
            .as_ref()
            .is_some_and(|m| m.tables.is_some() || m.expressions.is_some())
            || (probe.compatibility_level.is_some() && probe.model.is_some())
        {
            return Some(PowerBiKind::ModelBim);
        }
        if probe.dataset_reference.is_some() {
            return Some(PowerBiKind::ReportDefinition);
        }
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    tmdl::looks_like_tmdl(text).then_some(PowerBiKind::Tmdl)
}

#[derive(Deserialize)]
struct Probe {
    #[serde(default)]
    workspaces: Option<Vec<ProbeWorkspace>>,
    #[serde(default)]
    model: Option<ProbeModel>,
    #[serde(default, rename = "compatibilityLevel")]
    compatibility_level: Option<IgnoredAny>,
    #[serde(default, rename = "datasetReference")]
    dataset_reference: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct ProbeWorkspace {
    #[serde(default)]
    datasets: Option<IgnoredAny>,
    #[serde(default)]
    reports: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct ProbeModel {
    #[serde(default)]
    tables: Option<IgnoredAny>,
    #[serde(default)]
    expressions: Option<IgnoredAny>,
}

/// Reads every Power BI file among `files` (others are passed over) into semantic models.
pub fn read(files: &[(&str, &[u8])]) -> PowerBi {
    let mut out = PowerBi::default();
    // TMDL files by model folder: (display name, files, docs).
    let mut tmdl_models: BTreeMap<String, (String, bool, Vec<String>, Vec<tmdl::Doc>)> =
        BTreeMap::new();
    let mut pbirs: Vec<(String, Pbir)> = Vec::new();
    for (name, bytes) in files {
        let Some(kind) = sniff(name, bytes) else {
            continue;
        };
        let issue = |problem: String| FileIssue {
            file: name.to_string(),
            problem,
        };
        match kind {
            PowerBiKind::Tmdl => {
                let text = String::from_utf8_lossy(bytes);
                let doc = tmdl::parse(&text);
                let (key, model_name, named) = model_folder(name);
                let entry = tmdl_models
                    .entry(key)
                    .or_insert_with(|| (model_name, named, Vec::new(), Vec::new()));
                entry.2.push(name.to_string());
                entry.3.push(doc);
            }
            PowerBiKind::ModelBim => match serde_json::from_slice::<Bim>(bytes) {
                Ok(bim) => out.models.push(bim_model(name, bim)),
                Err(e) => out.issues.push(issue(format!(
                    "this model.bim could not be read ({e}); export it again from Power BI Desktop or Tabular Editor"
                ))),
            },
            PowerBiKind::Scanner => match serde_json::from_slice::<Scan>(bytes) {
                Ok(scan) => out.models.extend(scan_models(name, scan)),
                Err(e) => out.issues.push(issue(format!(
                    "this Power BI scanner result could not be read ({e}); save the whole getScanResult response"
                ))),
            },
            PowerBiKind::ReportDefinition => match serde_json::from_slice::<Pbir>(bytes) {
                Ok(p) => pbirs.push((name.to_string(), p)),
                Err(e) => out.issues.push(issue(format!("this definition.pbir could not be read ({e})"))),
            },
        }
    }
    for (_, (model_name, named, files, docs)) in tmdl_models {
        if !named {
            out.issues.push(FileIssue {
                file: files.first().cloned().unwrap_or_default(),
                problem: format!(
                    "these TMDL files are not inside a `<Name>.SemanticModel` folder, so the model's name is not known; it is called `{model_name}` — give the folder with its name"
                ),
            });
        }
        out.models.push(tmdl_model(model_name, files, docs));
    }
    attach_pbip_reports(&mut out, pbirs);
    out
}

/// The model folder of a TMDL file: (grouping key, model name, whether the name is real).
fn model_folder(path: &str) -> (String, String, bool) {
    let p = path.replace('\\', "/");
    let comps: Vec<&str> = p.split('/').collect();
    let dirs = &comps[..comps.len().saturating_sub(1)];
    for (i, c) in dirs.iter().enumerate().rev() {
        if let Some(name) = strip_model_suffix(c) {
            return (dirs[..=i].join("/"), name.to_string(), true);
        }
    }
    // No `<Name>.SemanticModel`: the folder holding `definition/`, or the file's folder.
    let key_dirs = match dirs.iter().rposition(|c| *c == "definition") {
        Some(i) => &dirs[..i],
        None => match dirs.last() {
            Some(&"tables") => &dirs[..dirs.len() - 1],
            _ => dirs,
        },
    };
    let key = key_dirs.join("/");
    let name = key_dirs
        .last()
        .filter(|n| !n.is_empty() && **n != "." && **n != "..")
        .map(|n| n.to_string())
        .unwrap_or_else(|| "SemanticModel".to_string());
    (key, name, false)
}

fn strip_model_suffix(folder: &str) -> Option<&str> {
    for suffix in [".SemanticModel", ".Dataset"] {
        if folder.len() > suffix.len() && folder.is_char_boundary(folder.len() - suffix.len()) {
            let (name, end) = folder.split_at(folder.len() - suffix.len());
            if end.eq_ignore_ascii_case(suffix) {
                return Some(name);
            }
        }
    }
    None
}

fn tmdl_model(name: String, files: Vec<String>, docs: Vec<tmdl::Doc>) -> SemanticModel {
    let mut expressions = Vec::new();
    let mut doc_tables = Vec::new();
    for d in docs {
        expressions.extend(d.expressions);
        doc_tables.extend(d.tables);
    }
    let scope = Scope::new(&expressions);
    let mut tables: Vec<Table> = doc_tables
        .into_iter()
        .map(|t| Table {
            name: t.name,
            partitions: t
                .partitions
                .into_iter()
                .map(|p| partition(p, &scope))
                .collect(),
        })
        .collect();
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    SemanticModel {
        name,
        dataset_id: None,
        workspace: None,
        origin: Origin::Tmdl,
        files,
        tables,
        expressions,
        reports: Vec::new(),
    }
}

/// A partition with its sources extracted.
fn partition(p: DocPartition, scope: &Scope) -> Partition {
    let mut out = Partition {
        name: p.name,
        kind: p.kind,
        mode: p.mode,
        expression: p.expression,
        sources: Vec::new(),
        other_sources: Vec::new(),
        unresolved: Vec::new(),
    };
    match p.kind {
        PartitionKind::M | PartitionKind::RefreshPolicy => {
            if let Some(e) = &out.expression {
                let x = m::extract(e, scope);
                out.sources = x.sources;
                out.other_sources = x.other_sources;
                out.unresolved = x.unresolved;
            }
        }
        PartitionKind::Query => {
            if let Some(e) = &out.expression {
                for t in crate::powerbi::sql::tables(e) {
                    let n = t.parts.len();
                    out.sources.push(SourceRef {
                        connector: "query".into(),
                        server: None,
                        database: (n >= 3).then(|| t.parts[n - 3].clone()),
                        schema: (n >= 2).then(|| t.parts[n - 2].clone()),
                        identifier: t.parts[n - 1].clone(),
                        native_query: true,
                        expression_excerpt: excerpt(e, 200),
                    });
                }
            }
        }
        PartitionKind::Entity => match p.entity_name {
            Some(entity) => {
                // Direct Lake reads a Delta table of a lakehouse or warehouse by schema and
                // name; the database is the Fabric item, which the expression source names only
                // by id, so the match goes by schema and name.
                let ex = format!(
                    "entityName: {entity}{}{}",
                    p.schema_name
                        .as_deref()
                        .map(|s| format!(", schemaName: {s}"))
                        .unwrap_or_default(),
                    p.expression_source
                        .as_deref()
                        .map(|s| format!(", expressionSource: {s}"))
                        .unwrap_or_default()
                );
                out.sources.push(SourceRef {
                    connector: "DirectLake".into(),
                    server: None,
                    database: None,
                    schema: p.schema_name,
                    identifier: entity,
                    native_query: false,
                    expression_excerpt: ex,
                });
            }
            None => out.unresolved.push(Unresolved {
                connector: Some("DirectLake".into()),
                relation: None,
                reason: "the entity partition names no `entityName`".into(),
                expression_excerpt: String::new(),
            }),
        },
        PartitionKind::Calculated | PartitionKind::Other => {}
    }
    out
}

// ---------------------------------------------------------------------------------------------
// model.bim

#[derive(Deserialize, Default)]
#[serde(default)]
struct Bim {
    #[serde(deserialize_with = "lenient")]
    name: Option<String>,
    #[serde(deserialize_with = "lenient")]
    id: Option<String>,
    model: BimModel,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct BimModel {
    tables: Vec<BimTable>,
    expressions: Vec<BimExpression>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct BimTable {
    #[serde(deserialize_with = "lenient")]
    name: Option<String>,
    partitions: Vec<BimPartition>,
    #[serde(rename = "refreshPolicy")]
    refresh_policy: Option<BimRefreshPolicy>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct BimRefreshPolicy {
    #[serde(rename = "sourceExpression", deserialize_with = "lines")]
    source_expression: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct BimPartition {
    #[serde(deserialize_with = "lenient")]
    name: Option<String>,
    #[serde(deserialize_with = "lenient")]
    mode: Option<String>,
    source: BimSource,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct BimSource {
    #[serde(rename = "type", deserialize_with = "lenient")]
    kind: Option<String>,
    #[serde(deserialize_with = "lines")]
    expression: Option<String>,
    #[serde(deserialize_with = "lines")]
    query: Option<String>,
    #[serde(rename = "entityName", deserialize_with = "lenient")]
    entity_name: Option<String>,
    #[serde(rename = "schemaName", deserialize_with = "lenient")]
    schema_name: Option<String>,
    #[serde(rename = "expressionSource", deserialize_with = "lenient")]
    expression_source: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct BimExpression {
    #[serde(deserialize_with = "lenient")]
    name: Option<String>,
    #[serde(deserialize_with = "lines")]
    expression: Option<String>,
}

/// A string, a number or a bool as text; anything else as absent.
fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    })
}

/// TMSL's multi-line text: a string or an array of lines.
fn lines<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Array(a) => Some(
            a.iter()
                .map(|l| l.as_str().unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        _ => None,
    })
}

fn named_expressions(list: Vec<BimExpression>) -> Vec<NamedExpression> {
    list.into_iter()
        .filter_map(|e| {
            Some(NamedExpression {
                name: e.name?,
                expression: e.expression.unwrap_or_default(),
            })
        })
        .collect()
}

fn bim_partition(p: BimPartition) -> DocPartition {
    let kind = match p
        .source
        .kind
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("m") => PartitionKind::M,
        Some("calculated") => PartitionKind::Calculated,
        Some("entity") => PartitionKind::Entity,
        Some("query") => PartitionKind::Query,
        // Older TMSL leaves `type` out of M partitions.
        None if p.source.expression.is_some() => PartitionKind::M,
        _ => PartitionKind::Other,
    };
    DocPartition {
        name: p.name,
        kind,
        mode: p.mode,
        expression: p.source.expression.or(p.source.query),
        entity_name: p.source.entity_name,
        schema_name: p.source.schema_name,
        expression_source: p.source.expression_source,
    }
}

fn bim_model(file: &str, bim: Bim) -> SemanticModel {
    let (_, folder_name, in_model_folder) = model_folder(file);
    // PBIP's model.bim carries a generic `name` ("SemanticModel"); the folder names the model.
    let name = if in_model_folder {
        folder_name
    } else {
        bim.name
            .filter(|n| !n.trim().is_empty())
            .unwrap_or(folder_name)
    };
    let expressions = named_expressions(bim.model.expressions);
    let scope = Scope::new(&expressions);
    let mut tables: Vec<Table> = bim
        .model
        .tables
        .into_iter()
        .map(|t| {
            let mut partitions: Vec<Partition> = t
                .partitions
                .into_iter()
                .map(|p| partition(bim_partition(p), &scope))
                .collect();
            if let Some(e) = t.refresh_policy.and_then(|r| r.source_expression) {
                partitions.push(partition(
                    DocPartition {
                        name: None,
                        kind: PartitionKind::RefreshPolicy,
                        mode: None,
                        expression: Some(e),
                        entity_name: None,
                        schema_name: None,
                        expression_source: None,
                    },
                    &scope,
                ));
            }
            Table {
                name: t.name.unwrap_or_default(),
                partitions,
            }
        })
        .collect();
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    SemanticModel {
        name,
        dataset_id: bim.id,
        workspace: None,
        origin: Origin::ModelBim,
        files: vec![file.to_string()],
        tables,
        expressions,
        reports: Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Scanner (admin API getScanResult)

#[derive(Deserialize, Default)]
#[serde(default)]
struct Scan {
    workspaces: Vec<ScanWorkspace>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ScanWorkspace {
    #[serde(deserialize_with = "lenient")]
    id: Option<String>,
    #[serde(deserialize_with = "lenient")]
    name: Option<String>,
    datasets: Vec<ScanDataset>,
    reports: Vec<ScanReport>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ScanDataset {
    #[serde(deserialize_with = "lenient")]
    id: Option<String>,
    #[serde(deserialize_with = "lenient")]
    name: Option<String>,
    tables: Vec<ScanTable>,
    expressions: Vec<BimExpression>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ScanTable {
    #[serde(deserialize_with = "lenient")]
    name: Option<String>,
    source: Vec<ScanSource>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ScanSource {
    #[serde(deserialize_with = "lines")]
    expression: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ScanReport {
    #[serde(deserialize_with = "lenient")]
    id: Option<String>,
    #[serde(deserialize_with = "lenient")]
    name: Option<String>,
    #[serde(rename = "datasetId", deserialize_with = "lenient")]
    dataset_id: Option<String>,
    #[serde(rename = "webUrl", deserialize_with = "lenient")]
    web_url: Option<String>,
}

fn scan_models(file: &str, scan: Scan) -> Vec<SemanticModel> {
    // Reports may live in another workspace than their dataset: tie them by dataset id.
    let mut reports: BTreeMap<String, Vec<Report>> = BTreeMap::new();
    for ws in &scan.workspaces {
        for r in &ws.reports {
            let Some(ds) = &r.dataset_id else { continue };
            let url = r.web_url.clone().or_else(|| match (&ws.id, &r.id) {
                (Some(w), Some(id)) => {
                    Some(format!("https://app.powerbi.com/groups/{w}/reports/{id}"))
                }
                _ => None,
            });
            reports
                .entry(ds.to_ascii_lowercase())
                .or_default()
                .push(Report {
                    name: r.name.clone().or_else(|| r.id.clone()).unwrap_or_default(),
                    id: r.id.clone(),
                    url,
                });
        }
    }
    let mut out = Vec::new();
    for ws in scan.workspaces {
        let workspace = Workspace {
            id: ws.id,
            name: ws.name,
        };
        for ds in ws.datasets {
            let expressions = named_expressions(ds.expressions);
            let scope = Scope::new(&expressions);
            let mut tables: Vec<Table> = ds
                .tables
                .into_iter()
                .map(|t| Table {
                    name: t.name.unwrap_or_default(),
                    partitions: t
                        .source
                        .into_iter()
                        .map(|s| {
                            partition(
                                DocPartition {
                                    name: None,
                                    kind: PartitionKind::M,
                                    mode: None,
                                    expression: s.expression,
                                    entity_name: None,
                                    schema_name: None,
                                    expression_source: None,
                                },
                                &scope,
                            )
                        })
                        .collect(),
                })
                .collect();
            tables.sort_by(|a, b| a.name.cmp(&b.name));
            let mut model_reports = ds
                .id
                .as_ref()
                .and_then(|id| reports.get(&id.to_ascii_lowercase()))
                .cloned()
                .unwrap_or_default();
            model_reports.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
            out.push(SemanticModel {
                name: ds.name.or_else(|| ds.id.clone()).unwrap_or_default(),
                dataset_id: ds.id,
                workspace: Some(workspace.clone()),
                origin: Origin::Scanner,
                files: vec![file.to_string()],
                tables,
                expressions,
                reports: model_reports,
            });
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// PBIP reports

#[derive(Deserialize, Default)]
#[serde(default)]
struct Pbir {
    #[serde(rename = "datasetReference")]
    dataset_reference: PbirReference,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PbirReference {
    #[serde(rename = "byPath")]
    by_path: Option<PbirPath>,
    #[serde(rename = "byConnection")]
    by_connection: Option<PbirConnection>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PbirPath {
    #[serde(deserialize_with = "lenient")]
    path: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PbirConnection {
    #[serde(rename = "connectionString", deserialize_with = "lenient")]
    connection_string: Option<String>,
    #[serde(rename = "pbiModelDatabaseName", deserialize_with = "lenient")]
    model_database_name: Option<String>,
}

/// Ties each PBIP report (`<Name>.Report/definition.pbir`) to the model it names.
fn attach_pbip_reports(out: &mut PowerBi, pbirs: Vec<(String, Pbir)>) {
    for (file, pbir) in pbirs {
        let p = file.replace('\\', "/");
        let report_name = p
            .split('/')
            .rev()
            .skip(1)
            .find_map(|c| c.strip_suffix(".Report"))
            .unwrap_or("report")
            .to_string();
        let reference = pbir.dataset_reference;
        let by_path = reference.by_path.and_then(|b| b.path).and_then(|path| {
            let path = path.replace('\\', "/");
            path.trim_end_matches('/')
                .rsplit('/')
                .next()
                .and_then(strip_model_suffix)
                .map(str::to_string)
        });
        // `Data Source=powerbi://…;Initial Catalog=Sales` names the model; Fabric's
        // `semanticmodelid=<guid>` and `pbiModelDatabaseName` give its id.
        let by_connection = reference.by_connection.and_then(|c| {
            let field = |key: &str| {
                c.connection_string.as_deref().and_then(|s| {
                    s.split(';').find_map(|kv| {
                        let (k, v) = kv.split_once('=')?;
                        k.trim()
                            .eq_ignore_ascii_case(key)
                            .then(|| v.trim().trim_matches('"').to_string())
                    })
                })
            };
            field("initial catalog")
                .or_else(|| field("semanticmodelid"))
                .or(c.model_database_name.clone())
        });
        let Some(target) = by_path.or(by_connection) else {
            out.issues.push(FileIssue {
                file,
                problem: "this report's definition.pbir names no semantic model".into(),
            });
            continue;
        };
        let report = Report {
            name: report_name,
            id: None,
            url: None,
        };
        match out
            .models
            .iter_mut()
            .find(|m| m.name == target || m.dataset_id.as_deref() == Some(target.as_str()))
        {
            Some(model) => {
                if !model.reports.contains(&report) {
                    model.reports.push(report);
                }
            }
            None => out.issues.push(FileIssue {
                file,
                problem: format!(
                    "this report is built on the semantic model `{target}` (a name or an id), which is not among the files given"
                ),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_folders() {
        assert_eq!(
            model_folder("x/Sales.SemanticModel/definition/tables/A.tmdl"),
            ("x/Sales.SemanticModel".into(), "Sales".into(), true)
        );
        assert_eq!(
            model_folder(r"C:\p\Old.Dataset\definition\model.tmdl"),
            ("C:/p/Old.Dataset".into(), "Old".into(), true)
        );
        assert_eq!(
            model_folder("repo/definition/tables/A.tmdl"),
            ("repo".into(), "repo".into(), false)
        );
        assert_eq!(
            model_folder("A.tmdl"),
            ("".into(), "SemanticModel".into(), false)
        );
    }

    #[test]
    fn sniff_by_content() {
        assert_eq!(
            sniff(
                "x",
                b"{\"compatibilityLevel\": 1550, \"model\": {\"tables\": []}}"
            ),
            Some(PowerBiKind::ModelBim)
        );
        assert_eq!(
            sniff("x", b"{\"workspaces\": [{\"datasets\": []}]}"),
            Some(PowerBiKind::Scanner)
        );
        assert_eq!(
            sniff("x", b"{\"version\": \"4.0\", \"datasetReference\": {}}"),
            Some(PowerBiKind::ReportDefinition)
        );
        assert_eq!(sniff("x", b"{\"metadata\": {}, \"nodes\": {}}"), None);
        assert_eq!(
            sniff("x", b"table Orders\n\tlineageTag: 1\n"),
            Some(PowerBiKind::Tmdl)
        );
        assert_eq!(sniff("x", b"\xff\xfe"), None);
        assert_eq!(sniff("x", b"{\"model\": "), None);
    }
}
