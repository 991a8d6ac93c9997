//! Power BI semantic models read from committed, real-shaped inputs (`tests/powerbi/<case>/`: a
//! PBIP folder with TMDL, a `model.bim`, an admin scanner result) for the repository's own dbt
//! project, their sources extracted and matched against the real dbt fixtures' manifests.

use std::path::{Path, PathBuf};

use dbt_triage::artifacts::{InputFile, Manifest};
use dbt_triage::powerbi::{self, ModelMatch, PowerBi, PowerBiKind};

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// The case's files as `(path relative to tests/powerbi/<case>, bytes)`, sorted.
fn case(name: &str) -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/powerbi")
        .join(name);
    let mut paths = Vec::new();
    files_under(&root, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(&root).unwrap().display().to_string();
            (rel, std::fs::read(&p).unwrap())
        })
        .collect()
}

fn read_case(name: &str) -> PowerBi {
    let files = case(name);
    let pairs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    powerbi::read(&pairs)
}

fn manifest(story: &str) -> Manifest {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(story)
        .join("target/manifest.json");
    let bytes = std::fs::read(path).unwrap();
    let artifacts = dbt_triage::read(&[InputFile {
        name: "manifest.json",
        bytes: &bytes,
    }]);
    artifacts.manifest().cloned().unwrap()
}

/// One line per table source: what was extracted, or why not.
fn extraction(pbi: &PowerBi) -> String {
    let mut out = Vec::new();
    for m in &pbi.models {
        let reports: Vec<&str> = m.reports.iter().map(|r| r.name.as_str()).collect();
        out.push(format!(
            "{} ({:?}) reports: {}",
            m.name,
            m.origin,
            reports.join(", ")
        ));
        for t in &m.tables {
            for p in &t.partitions {
                for s in &p.sources {
                    let native = if s.native_query { " (native)" } else { "" };
                    out.push(format!(
                        "  {}: {} {}{native}",
                        t.name,
                        s.connector,
                        s.relation()
                    ));
                }
                for u in &p.unresolved {
                    let rel = u.relation.as_deref().unwrap_or("-");
                    out.push(format!("  {}: unresolved {rel}: {}", t.name, u.reason));
                }
                for o in &p.other_sources {
                    out.push(format!("  {}: other {o}", t.name));
                }
                if p.sources.is_empty() && p.unresolved.is_empty() && p.other_sources.is_empty() {
                    out.push(format!("  {}: {:?}, no source", t.name, p.kind));
                }
            }
        }
    }
    for i in &pbi.issues {
        out.push(format!("issue {}: {}", i.file, i.problem));
    }
    out.join("\n")
}

/// One line per matched or unmatched source.
fn matches(ms: &[ModelMatch]) -> String {
    let mut out = Vec::new();
    for m in ms {
        out.push(m.id.clone());
        for s in &m.matched {
            out.push(format!("  {} {} -> {}", s.table, s.relation, s.node));
        }
        for u in &m.unmatched {
            let rel = u.relation.as_deref().unwrap_or("-");
            out.push(format!("  {} {rel} UNMATCHED {}", u.table, u.reason));
        }
        for o in &m.other_sources {
            out.push(format!("  {} OTHER {}", o.table, o.connector));
        }
    }
    out.join("\n")
}

#[track_caller]
fn check(actual: &str, expected: &str) {
    let expected = expected.trim_matches('\n');
    if actual != expected {
        panic!("\n--- actual ---\n{actual}\n--- expected ---\n{expected}\n");
    }
}

#[test]
fn pbip_tmdl_sources() {
    check(
        &extraction(&read_case("pbip")),
        r#"
Shop Sales (Tmdl) reports: Shop Sales
  Budget: other File.Contents
  Calendar: Calculated, no source
  Customer Revenue: PostgreSQL.Database shop.main.customer_revenue
  Customers: Sql.Database shop.main.dim_customers
  Daily Revenue: GoogleBigQuery.Database shop.main.daily_revenue
  Legacy Orders: unresolved ?.dbo.orders: `LegacyDatabase` is not defined in this model (a parameter or query that is missing from the files given)
  Order Payments: Snowflake.Databases SHOP.MAIN.FCT_ORDERS (native)
  Order Payments: Snowflake.Databases SHOP.RAW.REFUNDS (native)
  Order Payments: Snowflake.Databases SHOP.main.int_order_payments (native)
  Orders: Snowflake.Databases SHOP.MAIN.FCT_ORDERS
  Revenue Targets: Snowflake.Databases SHOP.FINANCE.REVENUE_TARGETS
  Sessions: Databricks.Catalogs shop.main.fct_sessions
"#,
    );
}

#[test]
fn pbip_tmdl_matches_the_duckdb_project() {
    let pbi = read_case("pbip");
    check(
        &matches(&powerbi::match_sources(&pbi, &manifest("all_green"), None)),
        r#"
powerbi.semantic_model.Shop Sales
  Customer Revenue shop.main.customer_revenue -> model.shop.customer_revenue
  Customers shop.main.dim_customers -> model.shop.dim_customers
  Daily Revenue shop.main.daily_revenue -> model.shop.daily_revenue
  Order Payments SHOP.MAIN.FCT_ORDERS -> model.shop.fct_orders
  Order Payments SHOP.RAW.REFUNDS -> source.shop.raw.refunds
  Order Payments SHOP.main.int_order_payments -> model.shop.int_order_payments
  Orders SHOP.MAIN.FCT_ORDERS -> model.shop.fct_orders
  Sessions shop.main.fct_sessions -> model.shop.fct_sessions
  Legacy Orders ?.dbo.orders UNMATCHED `LegacyDatabase` is not defined in this model (a parameter or query that is missing from the files given)
  Revenue Targets SHOP.FINANCE.REVENUE_TARGETS UNMATCHED no model, seed, snapshot or source in the manifest is `SHOP.FINANCE.REVENUE_TARGETS`
  Budget OTHER File.Contents
"#,
    );
}

#[test]
fn model_bim_sources_and_postgres_matches() {
    let pbi = read_case("model_bim");
    check(
        &extraction(&pbi),
        r#"
Shop Finance (ModelBim) reports: 
  Customer Revenue: PostgreSQL.Database shop.analytics.customer_revenue (native)
  Customer Revenue: PostgreSQL.Database shop.analytics.dim_customers (native)
  Daily Revenue: AmazonRedshift.Database shop.analytics.daily_revenue
  Margin Targets: unresolved shop.?: the name depends on a condition: `if Db = "shop" then "finance.margin_targets" else "finance_dev.margin_targets"`
  Measures: Calculated, no source
  Orders: PostgreSQL.Database shop.analytics.fct_orders
  Orders: PostgreSQL.Database shop.analytics.fct_orders
  Sessions: DirectLake analytics.stg_sessions
  Shipments: Sql.Database shop.raw.shipments (native)
"#,
    );
    check(
        &matches(&powerbi::match_sources(
            &pbi,
            &manifest("dialect_function"),
            Some("postgres"),
        )),
        r#"
powerbi.semantic_model.Shop Finance
  Customer Revenue shop.analytics.customer_revenue -> model.shop.customer_revenue
  Customer Revenue shop.analytics.dim_customers -> model.shop.dim_customers
  Daily Revenue shop.analytics.daily_revenue -> model.shop.daily_revenue
  Orders shop.analytics.fct_orders -> model.shop.fct_orders
  Sessions analytics.stg_sessions -> model.shop.stg_sessions
  Shipments shop.raw.shipments -> source.shop.raw.shipments
  Margin Targets shop.? UNMATCHED the name depends on a condition: `if Db = "shop" then "finance.margin_targets" else "finance_dev.margin_targets"`
"#,
    );
    // The same model against the DuckDB run, whose models live in `main`: only the source matches.
    let duck = powerbi::match_sources(&pbi, &manifest("all_green"), None);
    let matched: Vec<&str> = duck[0].matched.iter().map(|m| m.node.as_str()).collect();
    assert_eq!(matched, ["source.shop.raw.shipments"]);
    assert_eq!(duck[0].unmatched.len(), 6);
}

#[test]
fn scanner_sources_reports_and_matches() {
    let pbi = read_case("scanner");
    check(
        &extraction(&pbi),
        r#"
Shop Revenue (Scanner) reports: Customer 360, Executive Revenue
  Customer Revenue: Snowflake.Databases SHOP.MAIN.CUSTOMER_REVENUE
  Daily Revenue: Snowflake.Databases SHOP.MAIN.DAILY_REVENUE (native)
  Daily Revenue: Snowflake.Databases SHOP_ARCHIVE.MAIN.DAILY_REVENUE_2023 (native)
Customers (Scanner) reports: Churn Watch
  Customers: Sql.Database shop.main.dim_customers
Usage Metrics Report (Scanner) reports: 
"#,
    );
    check(
        &matches(&powerbi::match_sources(
            &pbi,
            &manifest("all_green"),
            Some("duckdb"),
        )),
        r#"
powerbi.semantic_model.Shop Revenue
  Customer Revenue SHOP.MAIN.CUSTOMER_REVENUE -> model.shop.customer_revenue
  Daily Revenue SHOP.MAIN.DAILY_REVENUE -> model.shop.daily_revenue
  Daily Revenue SHOP_ARCHIVE.MAIN.DAILY_REVENUE_2023 UNMATCHED no model, seed, snapshot or source in the manifest is `SHOP_ARCHIVE.MAIN.DAILY_REVENUE_2023`
powerbi.semantic_model.Customers
  Customers shop.main.dim_customers -> model.shop.dim_customers
powerbi.semantic_model.Usage Metrics Report
"#,
    );
    let revenue = &pbi.models[0];
    assert_eq!(
        revenue.dataset_id.as_deref(),
        Some("8e3a1c6b-2f4d-4b8e-a1c9-0d2e3f4a5b61")
    );
    assert_eq!(
        revenue.workspace.as_ref().and_then(|w| w.name.as_deref()),
        Some("Shop Analytics")
    );
    let urls: Vec<&str> = revenue
        .reports
        .iter()
        .filter_map(|r| r.url.as_deref())
        .collect();
    assert_eq!(
        urls,
        [
            "https://app.powerbi.com/groups/5f0b7a43-1c1e-4c35-9d7e-3b3f0a6d2a10/reports/c2a7f9e3-9b55-4b3a-8b1f-7d8e2f3a4b52",
            "https://app.powerbi.com/groups/5f0b7a43-1c1e-4c35-9d7e-3b3f0a6d2a10/reports/b1f6e8d2-8a44-4a2f-9a0e-6c7d1e2f3a41",
        ]
    );
}

#[test]
fn sniffing_by_content() {
    let mut kinds: Vec<(String, Option<PowerBiKind>)> = Vec::new();
    for c in ["pbip", "model_bim", "scanner"] {
        for (name, bytes) in case(c) {
            kinds.push((name.clone(), powerbi::sniff(&name, &bytes)));
        }
    }
    let tmdl = kinds
        .iter()
        .filter(|(_, k)| *k == Some(PowerBiKind::Tmdl))
        .count();
    assert_eq!(tmdl, 12, "{kinds:?}");
    assert!(kinds.contains(&("model.bim".into(), Some(PowerBiKind::ModelBim))));
    assert!(kinds.contains(&("scan_result.json".into(), Some(PowerBiKind::Scanner))));
    assert!(kinds.contains(&(
        "Shop Sales.Report/definition.pbir".into(),
        Some(PowerBiKind::ReportDefinition)
    )));
    // dbt's own files are not Power BI files.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/all_green");
    for f in [
        "target/manifest.json",
        "target/run_results.json",
        "logs/dbt.log",
        "console.txt",
    ] {
        let bytes = std::fs::read(root.join(f)).unwrap();
        assert_eq!(powerbi::sniff(f, &bytes), None, "{f}");
    }
}

#[test]
fn broken_inputs_are_named_never_a_panic() {
    let bim = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/powerbi/model_bim/model.bim"),
    )
    .unwrap();
    let truncated = &bim[..bim.len() / 2];
    let pbi = powerbi::read(&[
        ("broken/model.bim", truncated),
        ("x/Odd.SemanticModel/definition/tables/T.tmdl", b"table T\n\tpartition T = m\n\t\tsource =\n\t\t\tlet\n\t\t\t\tSource = Snowflake.Databases(\"a\", \"b\"){[Name=\n"),
        ("noise.bin", &[0xff, 0x00, 0x13, 0x37]),
        ("empty.tmdl", b""),
    ]);
    assert_eq!(pbi.issues.len(), 1, "{:?}", pbi.issues);
    assert_eq!(pbi.issues[0].file, "broken/model.bim");
    assert!(pbi.issues[0]
        .problem
        .starts_with("this model.bim could not be read"));
    // The truncated TMDL partition still gives a table, its source kept as unresolved.
    let odd = &pbi.models[0];
    assert_eq!(odd.name, "Odd");
    assert_eq!(odd.tables[0].partitions[0].sources.len(), 0);
    assert_eq!(odd.tables[0].partitions[0].unresolved.len(), 1);
    // Every prefix of every committed input reads without a panic.
    for c in ["pbip", "model_bim", "scanner"] {
        for (name, bytes) in case(c) {
            for end in (0..bytes.len()).step_by(97) {
                let _ = powerbi::read(&[(name.as_str(), &bytes[..end])]);
            }
        }
    }
}
