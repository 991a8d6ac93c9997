//! manifest.json, schema v1–v12 and dbt Fusion's. Only the graph and the few fields the diagnosis
//! shows are read: `macros`, `docs`, column docs, metrics and the rest are skipped by serde while
//! parsing (never materialized), and every field is optional.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::artifacts::{lenient_string, version_of, Metadata};
use crate::vocab::ResourceType;

/// A node of the project as the manifest describes it: a model, seed, snapshot, test, unit test,
/// source, exposure or anything else with a unique_id.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Node {
    pub unique_id: String,
    /// `model`, `seed`, `snapshot`, `test`, `unit_test`, `source`, `exposure`, `analysis`, …
    pub resource_type: ResourceType,
    pub name: String,
    pub package_name: Option<String>,
    pub original_file_path: Option<String>,
    /// The path under the package's resource folder, as dbt uses it in `target/compiled/<pkg>/…`.
    pub path: Option<String>,
    pub database: Option<String>,
    pub schema: Option<String>,
    /// The table/view name: `alias` for models, seeds and snapshots, `identifier` for sources.
    pub alias: Option<String>,
    pub relation_name: Option<String>,
    pub materialized: Option<String>,
    pub on_schema_change: Option<String>,
    pub contract_enforced: bool,
    pub depends_on: Vec<String>,
    pub compiled_code: Option<String>,
    /// Tags, read for exposures only (they name BI tools); empty for other nodes, whose tags
    /// the diagnosis does not use and which are costly to read in big manifests.
    pub tags: Vec<String>,
    /// The model a test is attached to (manifest v10+).
    pub attached_node: Option<String>,
    /// The name of a source's source (`raw` in `source('raw', 'orders')`).
    pub source_name: Option<String>,
    /// A source's `loaded_at_field` (a column or an expression), for freshness.
    pub loaded_at_field: Option<String>,
    pub exposure: Option<ExposureInfo>,
    /// What a generic data test checks (`test_metadata`), for tests only.
    pub generic_test: Option<GenericTest>,
}

/// A generic data test's kind and arguments, as `test_metadata` holds them: `unique`,
/// `not_null`, `accepted_values` (with `values`), `relationships` (with `to` and `field`), or a
/// package's (`dbt_utils.expression_is_true`, its namespace apart).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GenericTest {
    pub name: String,
    pub namespace: Option<String>,
    pub column: Option<String>,
    /// `accepted_values`: the allowed values, as written in YAML.
    pub values: Vec<String>,
    /// `relationships`: the parent (`ref('customers')`) and its key column.
    pub to: Option<String>,
    pub field: Option<String>,
}

/// What an exposure says about itself.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExposureInfo {
    pub label: Option<String>,
    /// `dashboard`, `notebook`, `analysis`, `ml`, `application`.
    pub exposure_type: Option<String>,
    pub url: Option<String>,
    /// The owner's name (or, without a name, their email).
    pub owner: Option<String>,
    pub owner_email: Option<String>,
    pub maturity: Option<String>,
    /// `meta` flattened to `key=value` strings (keys and string values only), for recognizing tools.
    pub meta: Vec<(String, String)>,
}

/// A whole manifest.json, reduced to what the diagnosis uses.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Manifest {
    pub metadata: Metadata,
    pub schema_version: Option<u32>,
    /// Every node by unique_id: nodes, sources, exposures and unit tests together.
    pub nodes: BTreeMap<String, Node>,
    /// `parent_map` where the manifest has a non-empty one; else the graph comes from `depends_on`.
    pub parent_map: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize)]
struct Raw {
    #[serde(default)]
    metadata: Metadata,
    #[serde(default)]
    nodes: Entries<RawNode>,
    #[serde(default)]
    sources: Entries<RawNode>,
    #[serde(default)]
    exposures: Entries<RawExposure>,
    #[serde(default)]
    unit_tests: Entries<RawNode>,
    #[serde(default)]
    parent_map: Option<BTreeMap<String, Vec<String>>>,
}

/// A JSON object read as its entries in order: one allocation-light pass, no map inserts (the
/// nodes are sorted once at the end instead of inserted into a tree one by one).
struct Entries<T>(Vec<(String, T)>);

impl<T> Default for Entries<T> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Entries<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Visit<T> {
            type Value = Entries<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of nodes by unique_id")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Entries<T>, A::Error> {
                let mut v = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(entry) = map.next_entry::<String, T>()? {
                    v.push(entry);
                }
                Ok(Entries(v))
            }
            // `null` where an object was expected: no nodes.
            fn visit_unit<E>(self) -> Result<Entries<T>, E> {
                Ok(Entries(Vec::new()))
            }
        }
        d.deserialize_any(Visit(std::marker::PhantomData))
    }
}

/// A node of `nodes`, `sources` or `unit_tests`: only the fields the diagnosis uses. Everything
/// else (columns, descriptions, raw code, meta, checksums …) is skipped by serde unparsed.
#[derive(Deserialize, Default)]
#[serde(default)]
struct RawNode {
    unique_id: Option<String>,
    resource_type: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    name: Option<String>,
    package_name: Option<String>,
    original_file_path: Option<String>,
    path: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    database: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    schema: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    alias: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    identifier: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    relation_name: Option<String>,
    source_name: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    loaded_at_field: Option<String>,
    config: Option<RawConfig>,
    depends_on: Option<RawDependsOn>,
    #[serde(alias = "compiled_sql", deserialize_with = "lenient_string")]
    compiled_code: Option<String>,
    attached_node: Option<String>,
    // Unit tests name the model they test.
    #[serde(deserialize_with = "lenient_string")]
    model: Option<String>,
    test_metadata: Option<serde_json::Value>,
    #[serde(deserialize_with = "lenient_string")]
    column_name: Option<String>,
}

/// `test_metadata` read from its JSON value: a malformed one (hand-edited, a package's odd
/// kwargs) leaves the test without it rather than failing the manifest.
fn generic_test(meta: &serde_json::Value, node_column: Option<String>) -> Option<GenericTest> {
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    let kwargs = meta.get("kwargs");
    let arg = |key: &str| kwargs.and_then(|k| k.get(key)).and_then(text);
    let values = kwargs
        .and_then(|k| k.get("values"))
        .and_then(serde_json::Value::as_array)
        .map(|vs| vs.iter().filter_map(text).collect())
        .unwrap_or_default();
    Some(GenericTest {
        name: meta.get("name").and_then(text)?,
        namespace: meta.get("namespace").and_then(text),
        column: arg("column_name").or(node_column),
        values,
        to: arg("to"),
        field: arg("field"),
    })
}

/// An exposure: few per project, so its `meta` is read too (to recognize BI tools).
#[derive(Deserialize, Default)]
#[serde(default)]
struct RawExposure {
    unique_id: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    name: Option<String>,
    package_name: Option<String>,
    original_file_path: Option<String>,
    depends_on: Option<RawDependsOn>,
    tags: Option<Tags>,
    config: Option<RawExposureConfig>,
    #[serde(deserialize_with = "lenient_string")]
    label: Option<String>,
    #[serde(rename = "type", deserialize_with = "lenient_string")]
    exposure_type: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    url: Option<String>,
    owner: Option<RawOwner>,
    #[serde(deserialize_with = "lenient_string")]
    maturity: Option<String>,
    meta: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawConfig {
    #[serde(deserialize_with = "lenient_string")]
    materialized: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    on_schema_change: Option<String>,
    contract: Option<RawContract>,
    /// dbt ≥ 1.10 keeps a source's `loaded_at_field` in its config too.
    #[serde(deserialize_with = "lenient_string")]
    loaded_at_field: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawExposureConfig {
    meta: Option<serde_json::Map<String, serde_json::Value>>,
    tags: Option<Tags>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawContract {
    enforced: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawDependsOn {
    nodes: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawOwner {
    name: Option<String>,
    email: Option<String>,
}

/// `tags` is a list in the manifest but a single string in some hand-written YAML that dbt kept.
#[derive(Deserialize)]
#[serde(untagged)]
enum Tags {
    List(Vec<serde_json::Value>),
    One(String),
}

impl Tags {
    fn into_vec(self) -> Vec<String> {
        match self {
            Tags::One(s) => vec![s],
            Tags::List(v) => v
                .into_iter()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect(),
        }
    }
}

/// Reads manifest.json bytes. `Err` holds serde's reason, for the caller to put into words.
pub(crate) fn parse(bytes: &[u8]) -> Result<Manifest, serde_json::Error> {
    let raw: Raw = serde_json::from_slice(bytes)?;
    let schema_version = version_of(raw.metadata.dbt_schema_version.as_deref());
    let mut all: Vec<Node> = Vec::with_capacity(
        raw.nodes.0.len() + raw.sources.0.len() + raw.unit_tests.0.len() + raw.exposures.0.len(),
    );
    for (kind, map) in [
        ("", raw.nodes),
        ("source", raw.sources),
        ("unit_test", raw.unit_tests),
    ] {
        all.extend(
            map.0
                .into_iter()
                .map(|(key, node)| convert(key, node, kind)),
        );
    }
    all.extend(
        raw.exposures
            .0
            .into_iter()
            .map(|(key, e)| convert_exposure(key, e)),
    );
    // Sorted once, the tree is built in bulk; a unique_id given twice keeps its last node.
    all.sort_by(|a, b| a.unique_id.cmp(&b.unique_id));
    let mut nodes: BTreeMap<String, Node> =
        all.into_iter().map(|n| (n.unique_id.clone(), n)).collect();
    link_unit_tests(&mut nodes);
    let parent_map = raw
        .parent_map
        .filter(|m| m.values().any(|v| !v.is_empty()))
        .unwrap_or_default();
    Ok(Manifest {
        metadata: raw.metadata,
        schema_version,
        nodes,
        parent_map,
    })
}

fn convert(key: String, raw: RawNode, default_type: &str) -> Node {
    let unique_id = raw.unique_id.unwrap_or(key);
    let resource_type = ResourceType::from(
        raw.resource_type
            .unwrap_or_else(|| default_type.to_string())
            .to_ascii_lowercase(),
    );
    let name = raw.name.unwrap_or_else(|| name_from_id(&unique_id));
    let (materialized, on_schema_change, contract_enforced, config_loaded_at) = match raw.config {
        Some(c) => (
            c.materialized,
            c.on_schema_change,
            c.contract.is_some_and(|c| c.enforced),
            c.loaded_at_field,
        ),
        None => (None, None, false, None),
    };
    let mut attached_node = raw.attached_node;
    if resource_type == ResourceType::UnitTest {
        // Resolved from a name to a unique_id in `link_unit_tests`.
        attached_node = attached_node.or(raw.model);
    }
    Node {
        unique_id,
        resource_type,
        name,
        package_name: raw.package_name,
        original_file_path: raw.original_file_path,
        path: raw.path,
        database: raw.database,
        schema: raw.schema,
        alias: raw.alias.or(raw.identifier),
        relation_name: raw.relation_name,
        materialized,
        on_schema_change,
        contract_enforced,
        depends_on: sorted(raw.depends_on),
        compiled_code: raw.compiled_code,
        attached_node,
        source_name: raw.source_name,
        loaded_at_field: raw.loaded_at_field.or(config_loaded_at),
        tags: Vec::new(),
        exposure: None,
        generic_test: raw
            .test_metadata
            .as_ref()
            .and_then(|t| generic_test(t, raw.column_name)),
    }
}

fn convert_exposure(key: String, raw: RawExposure) -> Node {
    let unique_id = raw.unique_id.unwrap_or(key);
    let name = raw.name.unwrap_or_else(|| name_from_id(&unique_id));
    let (config_meta, config_tags) = match raw.config {
        Some(c) => (c.meta, c.tags),
        None => (None, None),
    };
    let mut meta = Vec::new();
    for map in [raw.meta.as_ref(), config_meta.as_ref()]
        .into_iter()
        .flatten()
    {
        flatten_meta("", map, &mut meta);
    }
    Node {
        unique_id,
        resource_type: ResourceType::Exposure,
        name,
        package_name: raw.package_name,
        original_file_path: raw.original_file_path,
        depends_on: sorted(raw.depends_on),
        tags: merge_tags(raw.tags, config_tags),
        exposure: Some(ExposureInfo {
            label: raw.label.filter(|l| !l.trim().is_empty()),
            exposure_type: raw.exposure_type,
            url: raw.url.filter(|u| !u.trim().is_empty()),
            owner: raw
                .owner
                .as_ref()
                .and_then(|o| o.name.clone().or_else(|| o.email.clone())),
            owner_email: raw.owner.and_then(|o| o.email),
            maturity: raw.maturity,
            meta,
        }),
        ..Node::default()
    }
}

/// The unique_id's last part is the name: `model.shop.orders` → `orders`.
fn name_from_id(id: &str) -> String {
    id.rsplit('.').next().unwrap_or_default().to_string()
}

fn sorted(d: Option<RawDependsOn>) -> Vec<String> {
    let mut v = d.map(|d| d.nodes).unwrap_or_default();
    v.sort();
    v.dedup();
    v
}

fn merge_tags(tags: Option<Tags>, config_tags: Option<Tags>) -> Vec<String> {
    let mut out = tags.map(Tags::into_vec).unwrap_or_default();
    for t in config_tags.map(Tags::into_vec).unwrap_or_default() {
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

impl Node {
    /// The name dbt's `--select` takes for this node.
    pub fn selector_name(&self) -> &str {
        &self.name
    }

    /// Where dbt writes this node's SQL under `target/compiled/` and `target/run/`:
    /// `<package>/<sql file>`, or for tests defined in YAML `<package>/<yaml file>/<test>.sql`.
    pub fn target_file(&self) -> Option<String> {
        let pkg = self.package_name.as_deref().unwrap_or("");
        let file = self.original_file_path.as_deref()?;
        if file.ends_with(".sql") {
            Some(format!("{pkg}/{file}"))
        } else {
            let leaf = self.path.as_deref()?.rsplit('/').next()?;
            Some(format!("{pkg}/{file}/{leaf}"))
        }
    }

    /// Whether this node is a data test or unit test rather than something that builds a relation.
    pub fn is_test(&self) -> bool {
        self.resource_type.is_test()
    }
}

/// Unit tests name their model by name (`model: orders`); point `attached_node` at its unique_id.
fn link_unit_tests(nodes: &mut BTreeMap<String, Node>) {
    let fixes: Vec<(String, String)> = nodes
        .values()
        .filter(|n| n.resource_type == ResourceType::UnitTest)
        .filter_map(|n| {
            let model = n.attached_node.as_deref()?;
            if nodes.contains_key(model) {
                return None;
            }
            let found = n
                .depends_on
                .iter()
                .find(|d| d.rsplit('.').next() == Some(model))
                .cloned()
                .or_else(|| {
                    nodes
                        .values()
                        .find(|m| m.resource_type == ResourceType::Model && m.name == model)
                        .map(|m| m.unique_id.clone())
                })?;
            Some((n.unique_id.clone(), found))
        })
        .collect();
    for (id, model) in fixes {
        if let Some(n) = nodes.get_mut(&id) {
            n.attached_node = Some(model);
        }
    }
}

fn flatten_meta(
    prefix: &str,
    map: &serde_json::Map<String, serde_json::Value>,
    out: &mut Vec<(String, String)>,
) {
    for (k, v) in map {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            serde_json::Value::String(s) => out.push((key, s.clone())),
            serde_json::Value::Bool(true) => out.push((key, "true".into())),
            serde_json::Value::Object(m) if out.len() < 256 => flatten_meta(&key, m, out),
            serde_json::Value::Array(a) => {
                for s in a.iter().filter_map(|x| x.as_str()) {
                    out.push((key.clone(), s.to_string()));
                }
            }
            _ => {}
        }
    }
}
