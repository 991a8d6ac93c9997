//! The `dbt-triage` binary as CI jobs use it: formats, folder arguments, exit codes, `classify`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dbt-triage"))
        .args(args)
        .current_dir(fixtures())
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

#[test]
fn a_failed_run_exits_1_with_the_problem_first() {
    let o = run(&["diagnose", "renamed_column"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[1],
        "1 problem (1 node failed), 3 nodes skipped, 2 Power BI reports affected"
    );
    assert_eq!(
        lines[3],
        "Problem 1 [missing_column] Column first_name does not exist in stg_customers"
    );
    assert!(
        text.contains("  rerun:    dbt run --select stg_customers+\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "3 skipped because of this: customer_revenue, dim_customers, int_customer_orders"
        ),
        "{text}"
    );
    let pbi = text
        .find("Affected Power BI reports:")
        .expect("a Power BI section");
    assert!(text[pbi..].contains("Customer 360") && text[pbi..].contains("Executive Revenue"));
}

#[test]
fn a_green_run_exits_0() {
    let o = run(&["diagnose", "all_green/target", "all_green/logs/dbt.log"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("The run succeeded: nothing failed."));
}

#[test]
fn json_follows_the_contract() {
    let o = run(&["diagnose", "--format", "json", "permission_denied"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(v["schema"], "dbt-triage.diagnosis.v1");
    assert_eq!(v["status"], "failed");
    assert_eq!(v["invocation"]["command"], "run");
    assert_eq!(v["invocation"]["adapter"], "postgres");
    let p = &v["problems"][0];
    assert_eq!(p["id"], 1);
    assert_eq!(p["category"], "permission");
    assert_eq!(p["evidence"]["object"], "raw");
    assert_eq!(
        p["roots"],
        serde_json::json!([
            "model.shop.stg_refunds",
            "model.shop.stg_sessions",
            "model.shop.stg_shipments"
        ])
    );
    assert_eq!(p["decided_by"], "permission denied for schema raw");
    assert!(p["fix"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["say"].is_string()));
    assert!(v.get("share_url").is_none());
    let skipped = v["skipped"].as_array().unwrap();
    assert!(skipped
        .iter()
        .all(|s| s["caused_by"].as_array().is_some_and(|c| !c.is_empty())));
    let pbi: Vec<&str> = v["exposures"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["tool"] == "powerbi" && e["affected"] == true)
        .map(|e| e["label"].as_str().unwrap())
        .collect();
    assert_eq!(pbi, ["Executive Revenue", "Finance KPIs"]);
}

#[test]
fn markdown_is_for_tickets() {
    let o = run(&["diagnose", "--format=markdown", "test_failure_build"]);
    assert_eq!(o.status.code(), Some(1));
    let md = stdout(&o);
    assert!(md.starts_with("## dbt run diagnosis\n"));
    assert!(
        md.contains("### 1. Test unique\\_stg\\_orders\\_order\\_id failed — `test_failure`"),
        "{md}"
    );
    assert!(
        md.contains("**Rerun:** `dbt build --select raw_orders+`"),
        "{md}"
    );
    assert!(
        md.contains("- [Executive Revenue](https://app.powerbi.com/"),
        "{md}"
    );
}

#[test]
fn a_log_alone_is_diagnosed() {
    let o = run(&["diagnose", "profile_typo/logs/dbt.log"]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    assert!(
        text.contains("Problem 1 [connection] Profile shop_analytics not found"),
        "{text}"
    );
    assert!(text.contains("$ dbt debug"), "{text}");
}

#[test]
fn unusable_inputs_exit_2_naming_the_file() {
    let o = run(&["diagnose", "renamed_column/target/manifest.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nothing to diagnose"), "{}", stderr(&o));

    let o = run(&["diagnose", "README.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("README.md: "), "{}", stderr(&o));

    let o = run(&["diagnose", "no/such/file.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no/such/file.json"), "{}", stderr(&o));

    let o = run(&["diagnose", "--format", "yaml", "renamed_column"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_bad_file_beside_good_ones_is_a_warning_not_a_failure() {
    let o = run(&["diagnose", "renamed_column", "README.md"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("[unreadable_input] README.md: "),
        "{}",
        stdout(&o)
    );
}

#[test]
fn classify_reads_json_lines() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dbt-triage"))
        .arg("classify")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(
            concat!(
                r#"{"message": "SQL compilation error: error line 3 at position 4\ninvalid identifier 'FIRST_NAME'", "adapter": "snowflake"}"#,
                "\n",
                "not json\n",
                r#"{"message": "column \"day\" does not exist\nLINE 2: dateadd(day, 1, order_date)", "adapter": "postgres"}"#,
                "\n",
                r#"{"nothing": 1}"#,
                "\n"
            )
            .as_bytes(),
        )
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = out
        .stdout
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["category"], "missing_column");
    assert_eq!(
        lines[0]["evidence"],
        serde_json::json!({"column": "FIRST_NAME", "line": 3, "position": 4})
    );
    assert_eq!(lines[0]["title"], "Column FIRST_NAME does not exist");
    assert_eq!(lines[1]["category"], "other");
    assert!(lines[1]["error"].as_str().unwrap().starts_with("not JSON"));
    assert_eq!(lines[2]["category"], "sql_dialect");
    assert_eq!(lines[2]["evidence"]["function"], "dateadd");
    assert_eq!(lines[2]["title"], "DATEADD is not PostgreSQL SQL");
    assert_eq!(lines[3]["category"], "other");
}

#[test]
fn share_base_puts_the_link_last() {
    let base = "https://wiki.example.internal/tools/dbt-triage/";
    let o = run(&["diagnose", "two_roots", "--share-base", base]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    let last = text.lines().last().unwrap();
    assert!(last.starts_with(&format!("{base}#d=")), "{last}");
    let back = dbt_triage::share::decode(last.split_once('#').unwrap().1).unwrap();
    assert_eq!(back.diagnosis.problems.len(), 2);

    let o = run(&[
        "diagnose",
        "two_roots",
        "--format",
        "markdown",
        "--share-base",
        base,
    ]);
    assert!(stdout(&o).lines().last().unwrap().starts_with(base));

    let o = run(&[
        "diagnose",
        "two_roots",
        "--format",
        "json",
        "--share-base",
        base,
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["share_url"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{base}#d=")));

    let o = run(&[
        "diagnose",
        "two_roots",
        "--share-base",
        "javascript:alert(1)",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn power_bi_models_matched_by_source_are_exposures() {
    let pbip = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/powerbi/pbip");
    let pbip = pbip.to_str().unwrap();
    let o = run(&["diagnose", "two_roots", pbip, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let exposures = v["exposures"].as_array().unwrap();
    let model = exposures
        .iter()
        .find(|e| e["kind"] == "semantic_model")
        .expect("the PBIP model is an exposure");
    assert_eq!(model["id"], "powerbi.semantic_model.Shop Sales");
    assert_eq!(model["label"], "Shop Sales");
    assert_eq!(model["tool"], "powerbi");
    assert_eq!(model["affected"], true);
    // Both roots feed it: fct_orders (Orders) and stg_sessions → fct_sessions (Sessions).
    assert_eq!(
        model["caused_by"],
        serde_json::json!(["model.shop.fct_orders", "model.shop.stg_sessions"])
    );
    let orders = model["matched_by"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["table"] == "Orders")
        .unwrap();
    assert_eq!(orders["node"], "model.shop.fct_orders");
    let report = exposures.iter().find(|e| e["kind"] == "report").unwrap();
    assert_eq!(report["label"], "Shop Sales");
    assert_eq!(report["affected"], true);
    let problem_breaks: Vec<&str> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["affected_exposures"].as_array().unwrap())
        .filter_map(|e| e.as_str())
        .collect();
    assert!(problem_breaks.contains(&"powerbi.semantic_model.Shop Sales"));
    let warning = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "unmatched_powerbi_source")
        .expect("unmatched sources are listed");
    assert!(warning["message"]
        .as_str()
        .unwrap()
        .contains("Revenue Targets reads SHOP.FINANCE.REVENUE_TARGETS"));

    // The same model on a green run: listed, not affected.
    let o = run(&["diagnose", "all_green", pbip, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let model = v["exposures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "semantic_model")
        .unwrap();
    assert_eq!(model["affected"], false);
}
