//! One test per failure story: artifacts written by real dbt (see `scripts/make-fixtures` and
//! `tests/fixtures/README.md`) → the exact diagnosis, in a compact form that names the status,
//! every problem's category, roots, key evidence and rerun command, the skipped nodes it caused,
//! the exposures it breaks, and the warnings.

use std::fmt::Write as _;
use std::path::Path;

use dbt_triage::diagnose::Diagnosis;
use dbt_triage::report::short;

mod common;
use common::diagnose;

/// Reads every file dbt left for a story (target/*.json, logs/dbt.log, console.txt).
fn load(story: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(story);
    let files = common::story_files(&dir);
    assert!(!files.is_empty(), "no fixture files in {}", dir.display());
    files
}

/// Reads some of the files dbt left for a story.
fn load_only(story: &str, rels: &[&str]) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(story);
    let files = common::read_some(&dir, rels);
    assert!(!files.is_empty(), "no fixture files in {}", dir.display());
    files
}

/// The diagnosis in a few lines: what a reviewer checks against the story.
fn compact(d: &Diagnosis) -> String {
    let mut o = String::new();
    let inv = &d.invocation;
    let status = serde_json::to_value(d.status).unwrap();
    writeln!(
        o,
        "{} {} {}",
        status.as_str().unwrap(),
        inv.command.as_deref().unwrap_or("-"),
        inv.adapter.as_ref().map_or("-", |a| a.as_str())
    )
    .unwrap();
    for p in &d.problems {
        let roots: Vec<&str> = p.roots.iter().map(|r| short(r)).collect();
        let ev = serde_json::to_value(&p.evidence).unwrap();
        let ev: Vec<String> = ev
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("{k}={}", v.as_str().map_or(v.to_string(), str::to_string)))
            .collect();
        writeln!(
            o,
            "#{} {} [{}] {{{}}}",
            p.id,
            p.category,
            roots.join(","),
            ev.join(",")
        )
        .unwrap();
        writeln!(o, "  rerun: {}", p.rerun).unwrap();
        if !p.skipped.is_empty() {
            let s: Vec<&str> = p.skipped.iter().map(|r| short(r)).collect();
            writeln!(o, "  skipped: {}", s.join(",")).unwrap();
        }
        if !p.affected_exposures.is_empty() {
            let s: Vec<&str> = p.affected_exposures.iter().map(|r| short(r)).collect();
            writeln!(o, "  breaks: {}", s.join(",")).unwrap();
        }
    }
    let orphans: Vec<&str> = d.unattributed_skipped().map(short).collect();
    if !orphans.is_empty() {
        writeln!(o, "orphans: {}", orphans.join(",")).unwrap();
    }
    if !d.stale.is_empty() {
        let s: Vec<String> = d
            .stale
            .iter()
            .map(|s| {
                let by: Vec<&str> = s.stale_because.iter().map(|b| short(b)).collect();
                format!("{}<{}", short(&s.node), by.join("+"))
            })
            .collect();
        writeln!(o, "stale: {}", s.join(",")).unwrap();
    }
    for w in &d.warned {
        let tested: Vec<&str> = w.tested.iter().map(|t| short(t)).collect();
        let risk: Vec<&str> = w.at_risk_exposures.iter().map(|e| short(e)).collect();
        writeln!(
            o,
            "warned {} tests={} failures={} at_risk={}",
            short(&w.node),
            tested.join(","),
            w.failures.map_or("-".to_string(), |f| f.to_string()),
            risk.join(",")
        )
        .unwrap();
    }
    let marked = |f: fn(&dbt_triage::diagnose::Exposure) -> bool| -> Vec<&str> {
        d.exposures
            .iter()
            .filter(|e| f(e))
            .map(|e| short(&e.id))
            .collect()
    };
    let stale_exposures = marked(|e| e.stale);
    if !stale_exposures.is_empty() {
        writeln!(o, "stale exposures: {}", stale_exposures.join(",")).unwrap();
    }
    let at_risk = marked(|e| e.at_risk);
    if !at_risk.is_empty() {
        writeln!(o, "at risk: {}", at_risk.join(",")).unwrap();
    }
    for w in &d.warnings {
        writeln!(o, "warn {}", w.code).unwrap();
    }
    o
}

#[track_caller]
fn check(story: &str, expected: &str) {
    check_files(story, &load(story), expected);
}

#[track_caller]
fn check_files(story: &str, files: &[(String, Vec<u8>)], expected: &str) {
    let d = diagnose(files);
    let got = compact(&d);
    let want: String = expected
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!("{}\n", l.strip_prefix("        ").unwrap_or(l)))
        .collect();
    assert_eq!(got, want, "story {story}:\n{got}");
}

#[test]
fn warned_test() {
    // A green `dbt build` whose warn-level test found a row: success, exit 0, reports at risk.
    check(
        "warned_test",
        "
        success build duckdb
        warned assert_net_amount_not_negative tests=fct_orders failures=1 at_risk=executive_revenue,finance_kpis,order_forecast
        at risk: executive_revenue,finance_kpis,order_forecast
        ",
    );
}

#[test]
fn source_freshness() {
    // `dbt source freshness` (sessions error, refunds warn) then a green `dbt build` on that data.
    check(
        "source_freshness",
        "
        failed build duckdb
        #1 freshness [raw.sessions] {age_s=91350750,max_loaded_at=2024-01-09T19:40:00+00:00,relation=\"shop\".\"raw\".\"sessions\",threshold=error_after 48 hour}
          rerun: dbt source freshness --select source:raw.sessions && dbt build --select source:raw.sessions+
        stale: fct_sessions<raw.sessions,stg_sessions<raw.sessions
        stale exposures: web_traffic
        at risk: executive_revenue,finance_kpis,order_forecast
        warn freshness_warn
        ",
    );
    // sources.json alone: the freshness run is the diagnosis.
    let d = diagnose(&load_only("source_freshness", &["target/sources.json"]));
    assert_eq!(d.problems.len(), 1);
    assert_eq!(d.problems[0].roots, ["source.shop.raw.sessions"]);
    assert_eq!(serde_json::to_value(d.status).unwrap(), "failed");
}

/// The history story's runs `numbers` (each its target/ folder), the newest with its manifest.
fn history_runs(numbers: &[u32]) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for n in numbers {
        files.extend(load_only(
            "history",
            &[&format!("run{n}/target/run_results.json")],
        ));
    }
    files.extend(load_only("history", &["run5/target/manifest.json"]));
    files
}

/// The five nightly builds of the history story: errors, failures and skips of each.
#[track_caller]
fn assert_five_runs(d: &Diagnosis) {
    let counts: Vec<(usize, usize, usize)> = d
        .runs
        .iter()
        .map(|r| (r.counts.error, r.counts.fail, r.counts.skipped))
        .collect();
    assert_eq!(
        counts,
        [(0, 0, 0), (1, 0, 3), (1, 1, 18), (0, 0, 0), (0, 1, 15)]
    );
}

#[test]
fn history_of_five_runs() {
    // All five target/ folders and the log of all five: the newest is diagnosed, with history.
    let mut files = history_runs(&[1, 2, 3, 4, 5]);
    files.extend(load_only("history", &["logs/dbt.log"]));
    let d = diagnose(&files);
    assert_eq!(d.runs.len(), 5);
    assert_five_runs(&d);
    assert_eq!(d.invocation.invocation_id, d.runs[4].invocation_id);
    let [p] = &d.problems[..] else {
        panic!("one problem: {:?}", d.problems)
    };
    assert_eq!(short(&p.roots[0]), "accepted_values_stg_payments_payment_method__credit_card__coupon__bank_transfer__gift_card");
    let h = p.history.as_ref().expect("history");
    assert_eq!(h.state.as_str(), "flapping");
    assert_eq!((h.failed_in, h.ran_in), (2, 5));
    assert_eq!(h.first_failed_at, d.runs[2].generated_at);
    assert_eq!(h.last_passed_at, d.runs[3].generated_at);
    assert!(d.fixed.is_empty());
    assert!(!d.warnings.iter().any(|w| w.code == "multiple_run_results"));
    // Given in another order, the same runs say the same.
    let mut reversed = files.clone();
    reversed.reverse();
    assert_eq!(diagnose(&reversed).problems[0].history, p.history);
}

#[test]
fn history_as_of_an_earlier_run() {
    // Choosing run 3 among all five (and the log of all five) is diagnosing runs 1-3.
    let mut files = history_runs(&[1, 2, 3, 4, 5]);
    files.extend(load_only("history", &["logs/dbt.log"]));
    let inputs: Vec<dbt_triage::InputFile<'_>> = files
        .iter()
        .map(|(name, bytes)| dbt_triage::InputFile { name, bytes })
        .collect();
    let a = dbt_triage::read(&inputs);
    let timeline = dbt_triage::diagnose::history::timeline(&a);
    assert_eq!(timeline.len(), 5);
    let third = timeline[2].invocation_id.clone().unwrap();
    let earlier = a.as_of(&third).expect("run 3 is among the inputs");
    let d = dbt_triage::diagnose(&earlier, &dbt_triage::lineage(&earlier));
    assert_eq!(d.invocation.invocation_id.as_deref(), Some(third.as_str()));
    assert_eq!(d.runs.len(), 3);
    assert!(
        !d.warnings.iter().any(|w| w.code == "stale_artifacts"),
        "{:?}",
        d.warnings
    );
    // The same problems as runs 1-3 alone; the log adds its lines around each error, from run
    // 3's part of the log.
    let mut without_log = d.problems.clone();
    for p in &mut without_log {
        let e = p
            .log_excerpt
            .take()
            .expect("the log's lines around the error");
        assert!(e.lines[e.at].text.contains(" in "), "{:?}", e.lines[e.at]);
    }
    assert_eq!(without_log, diagnose(&history_runs(&[1, 2, 3])).problems);
    assert!(a.as_of("no-such-run").is_none());
}

#[test]
fn history_from_remembered_runs() {
    // Runs 1 and 2 remembered from earlier visits (statuses only), run 3 dropped now: the same
    // history as with all three files.
    let earlier = history_runs(&[1, 2]);
    let inputs: Vec<dbt_triage::InputFile<'_>> = earlier
        .iter()
        .map(|(name, bytes)| dbt_triage::InputFile { name, bytes })
        .collect();
    let records = dbt_triage::diagnose::history::records(&dbt_triage::read(&inputs));
    assert_eq!(records.len(), 2);
    // Through JSON, as the page keeps them.
    let json = serde_json::to_string(&records).unwrap();
    let records: Vec<dbt_triage::diagnose::history::RunRecord> =
        serde_json::from_str(&json).unwrap();
    let now = history_runs(&[3]);
    let inputs: Vec<dbt_triage::InputFile<'_>> = now
        .iter()
        .map(|(name, bytes)| dbt_triage::InputFile { name, bytes })
        .collect();
    let mut a = dbt_triage::read(&inputs);
    a.remembered = records.iter().map(|r| r.to_run_results()).collect();
    let d = dbt_triage::diagnose(&a, &dbt_triage::lineage(&a));
    let all = diagnose(&history_runs(&[1, 2, 3]));
    let histories = |d: &dbt_triage::diagnose::Diagnosis| -> Vec<_> {
        d.problems.iter().map(|p| p.history.clone()).collect()
    };
    assert_eq!(histories(&d), histories(&all));
    let remembered: Vec<bool> = d.runs.iter().map(|r| r.remembered).collect();
    assert_eq!(remembered, [true, true, false]);
    // A remembered run newer than the files is not history of theirs.
    let newer = history_runs(&[5]);
    let newer_inputs: Vec<dbt_triage::InputFile<'_>> = newer
        .iter()
        .map(|(name, bytes)| dbt_triage::InputFile { name, bytes })
        .collect();
    let five = dbt_triage::diagnose::history::records(&dbt_triage::read(&newer_inputs));
    let mut a = dbt_triage::read(&inputs);
    a.remembered = five.iter().map(|r| r.to_run_results()).collect();
    let d = dbt_triage::diagnose(&a, &dbt_triage::lineage(&a));
    assert!(d.runs.is_empty(), "{:?}", d.runs);
}

#[test]
fn history_from_one_log_of_five_invocations() {
    // dbt.log alone holds all five builds: their progress lines are the runs, in the log's order.
    for with_manifest in [false, true] {
        let mut files = load_only("history", &["logs/dbt.log"]);
        if with_manifest {
            files.extend(load_only("history", &["run5/target/manifest.json"]));
        }
        let d = diagnose(&files);
        assert_eq!(serde_json::to_value(d.status).unwrap(), "no_results");
        assert_five_runs(&d);
        let [p] = &d.problems[..] else {
            panic!("one problem: {:?}", d.problems)
        };
        let h = p.history.as_ref().expect("history");
        assert_eq!(
            (h.state.as_str(), h.failed_in, h.ran_in),
            ("flapping", 2, 5)
        );
        assert_eq!(h.last_passed_at, d.runs[3].generated_at);
    }
}

#[test]
fn history_recurring_and_new() {
    let d = diagnose(&history_runs(&[1, 2, 3]));
    let states: Vec<(String, &str, usize, usize)> = d
        .problems
        .iter()
        .map(|p| {
            let h = p.history.as_ref().unwrap();
            (
                short(&p.roots[0]).to_string(),
                h.state.as_str(),
                h.failed_in,
                h.ran_in,
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            ("accepted_values_stg_payments_payment_method__credit_card__coupon__bank_transfer__gift_card".to_string(), "new", 1, 3),
            ("stg_sessions".to_string(), "recurring", 2, 3),
        ]
    );
    let sessions = &d.problems[1];
    let h = sessions.history.as_ref().unwrap();
    assert_eq!(h.first_failed_at, d.runs[1].generated_at);
    assert_eq!(h.last_passed_at, d.runs[0].generated_at);
}

#[test]
fn history_fixed() {
    let d = diagnose(&history_runs(&[1, 2, 3, 4]));
    assert!(d.problems.is_empty());
    let fixed: Vec<&str> = d.fixed.iter().map(|f| short(f)).collect();
    assert_eq!(
        fixed,
        ["stg_sessions", "accepted_values_stg_payments_payment_method__credit_card__coupon__bank_transfer__gift_card"]
    );
    assert_eq!(
        dbt_triage::report::summary(&d),
        "The run succeeded: nothing failed, 2 nodes fixed since the run before."
    );
    // Run 5 against run 4 alone: what the payments test skipped again is newly skipped.
    let d = diagnose(&history_runs(&[4, 5]));
    assert_eq!(d.newly_skipped.len(), 15);
    assert_eq!(
        d.problems[0].history.as_ref().unwrap().state.as_str(),
        "new"
    );
}

#[test]
fn microbatch() {
    // A microbatch model's batch of 2024-01-20 failed: the error comes from the log (run_results
    // says only `PARTIAL SUCCESS (9/10)`), the rerun is that window.
    check(
        "microbatch",
        "
        failed run duckdb
        #1 data [refunds_daily] {code=Conversion Error,line=17}
          rerun: dbt run --select refunds_daily --event-time-start 2024-01-20 --event-time-end 2024-01-21
        ",
    );
    let d = diagnose(&load("microbatch"));
    let p = &d.problems[0];
    assert!(p.message.starts_with("PARTIAL SUCCESS (9/10) — batch 2024-01-20 failed:\nRuntime Error\nConversion Error: Could not convert string 'n/a' to INT32"), "{}", p.message);
    assert!(
        p.fix[0].say.contains("9 of its 10 batches were built"),
        "{}",
        p.fix[0].say
    );
    assert!(p.fix.iter().any(|f| f.run.as_deref() == Some("dbt retry")));
}

#[test]
fn all_green() {
    check(
        "all_green",
        r#"
        success build duckdb
        "#,
    );
}

#[test]
fn bad_password() {
    check(
        "bad_password",
        r#"
        no_results run postgres
        #1 connection [] {user=transformer}
          rerun: dbt debug --target pg && dbt run --target pg
        stale exposures: customer_360,executive_revenue,finance_kpis,order_forecast,web_traffic
        warn nothing_ran
        "#,
    );
}

#[test]
fn bad_password_with_a_selection() {
    // The same log, had the job selected `stg_sessions+`: only what reads sessions stays stale.
    let mut files = load("bad_password");
    for (name, bytes) in &mut files {
        if name.ends_with("dbt.log") {
            let text = String::from_utf8_lossy(bytes).replace(
                "'invocation_command': 'dbt run --target pg'",
                "'invocation_command': 'dbt run --target pg --select stg_sessions+'",
            );
            *bytes = text.into_bytes();
        }
    }
    let d = diagnose(&files);
    let stale: Vec<&str> = d
        .exposures
        .iter()
        .filter(|e| e.stale)
        .map(|e| short(&e.id))
        .collect();
    assert_eq!(stale, ["web_traffic"]);
    let w = d.warnings.iter().find(|w| w.code == "nothing_ran").unwrap();
    assert!(
        w.message.contains(
            "`dbt run --target pg --select stg_sessions+` rebuilt none of the 2 models it selects"
        ),
        "{}",
        w.message
    );
}

#[test]
fn compile_error_runtime() {
    check(
        "compile_error_runtime",
        r#"
        failed run duckdb
        #1 compilation [payment_method_totals] {}
          rerun: dbt run --select payment_method_totals+
        "#,
    );
}

#[test]
fn contract_mismatch() {
    check(
        "contract_mismatch",
        r#"
        failed run duckdb
        #1 contract [customer_revenue] {column=lifetime_revenue}
          rerun: dbt run --select customer_revenue+
          breaks: executive_revenue
        "#,
    );
}

#[test]
fn dialect_function() {
    check(
        "dialect_function",
        r#"
        failed run postgres
        #1 sql_dialect [fct_orders] {function=dateadd,line=21}
          rerun: dbt run --select fct_orders+ --target pg
          skipped: daily_revenue
          breaks: executive_revenue,finance_kpis,order_forecast
        "#,
    );
}

#[test]
fn dialect_function_duckdb() {
    check(
        "dialect_function_duckdb",
        r#"
        failed run duckdb
        #1 sql_dialect [fct_orders] {code=Catalog Error,function=dateadd,line=19}
          rerun: dbt run --select fct_orders+
          skipped: daily_revenue
          breaks: executive_revenue,finance_kpis,order_forecast
        "#,
    );
}

#[test]
fn env_var_missing() {
    check(
        "env_var_missing",
        r#"
        no_results run -
        #1 connection [] {env_var=SHOP_DUCKDB_PATH}
          rerun: dbt debug && dbt run
        warn nothing_ran
        "#,
    );
}

#[test]
fn incremental_drift() {
    check(
        "incremental_drift",
        r#"
        failed run duckdb
        #1 schema_drift [orders_incremental] {}
          rerun: dbt run --select orders_incremental+
          breaks: order_forecast
        "#,
    );
}

#[test]
fn jinja_error() {
    check(
        "jinja_error",
        r#"
        no_results run duckdb
        #1 compilation [int_order_payments] {line=14}
          rerun: dbt run
        warn nothing_ran
        "#,
    );
}

#[test]
fn missing_ref() {
    check(
        "missing_ref",
        r#"
        no_results run duckdb
        #1 dependency [int_customer_orders] {object=stg_custmers}
          rerun: dbt run
        warn nothing_ran
        "#,
    );
}

#[test]
fn missing_relation() {
    check(
        "missing_relation",
        r#"
        failed run postgres
        #1 missing_relation [stg_refunds,stg_shipments] {line=12,object=raw.refunds,relation=raw.refunds}
          rerun: dbt run --select stg_refunds+ stg_shipments+ --target pg
          skipped: daily_revenue,fct_orders,int_order_payments
          breaks: executive_revenue,finance_kpis,order_forecast
        "#,
    );
}

#[test]
fn missing_relation_duckdb() {
    check(
        "missing_relation_duckdb",
        r#"
        failed run duckdb
        #1 missing_relation [stg_refunds,stg_shipments] {code=Catalog Error,line=10,object=shop.raw.refunds,relation=refunds}
          rerun: dbt run --select stg_refunds+ stg_shipments+
          skipped: daily_revenue,fct_orders,int_order_payments
          breaks: executive_revenue,finance_kpis,order_forecast
        "#,
    );
}

#[test]
fn permission_denied() {
    check(
        "permission_denied",
        r#"
        failed run postgres
        #1 permission [stg_refunds,stg_sessions,stg_shipments] {line=12,object=raw}
          rerun: dbt run --select stg_refunds+ stg_sessions+ stg_shipments+ --target pg
          skipped: daily_revenue,fct_orders,fct_sessions,int_order_payments
          breaks: executive_revenue,finance_kpis,order_forecast,web_traffic
        "#,
    );
}

#[test]
fn permission_denied_create() {
    check(
        "permission_denied_create",
        r#"
        failed run postgres
        #1 permission [stg_customers,stg_orders,stg_payments,stg_refunds,stg_sessions,stg_shipments] {object=analytics}
          rerun: dbt run --select stg_customers+ stg_orders+ stg_payments+ stg_refunds+ stg_sessions+ stg_shipments+ --target pg
          skipped: customer_revenue,daily_revenue,dim_customers,fct_orders,fct_sessions,int_customer_orders,int_order_payments,orders_incremental
          breaks: customer_360,executive_revenue,finance_kpis,order_forecast,web_traffic
        "#,
    );
}

#[test]
fn profile_typo() {
    check(
        "profile_typo",
        r#"
        no_results run -
        #1 connection [] {profile=shop_analytics}
          rerun: dbt debug && dbt run
        warn nothing_ran
        "#,
    );
}

#[test]
fn renamed_column() {
    check(
        "renamed_column",
        r#"
        failed run duckdb
        #1 missing_column [stg_customers] {code=Binder Error,column=first_name,line=7}
          rerun: dbt run --select stg_customers+
          skipped: customer_revenue,dim_customers,int_customer_orders
          breaks: customer_360,executive_revenue
        "#,
    );
}

#[test]
fn renamed_column_dbt_0_19() {
    check(
        "renamed_column@dbt-0.19",
        r#"
        failed run postgres
        #1 missing_column [stg_customers] {column=first_name,line=6}
          rerun: dbt run --models stg_customers+ --target pg --profiles-dir .
          skipped: customer_revenue,dim_customers,int_customer_orders
          breaks: customer_360,executive_revenue
        "#,
    );
}

#[test]
fn renamed_column_dbt_0_20() {
    check(
        "renamed_column@dbt-0.20",
        r#"
        failed run postgres
        #1 missing_column [stg_customers] {column=first_name,line=6}
          rerun: dbt run --models stg_customers+ --target pg --profiles-dir /tmp/dbt-triage-fixtures/renamed_column@dbt-0.20/shop
          skipped: customer_revenue,dim_customers,int_customer_orders
          breaks: customer_360,executive_revenue
        "#,
    );
}

#[test]
fn renamed_column_dbt_0_21() {
    check(
        "renamed_column@dbt-0.21",
        r#"
        failed run postgres
        #1 missing_column [stg_customers] {column=first_name,line=6}
          rerun: dbt run --select stg_customers+ --target pg --profiles-dir /tmp/dbt-triage-fixtures/renamed_column@dbt-0.21/shop
          skipped: customer_revenue,dim_customers,int_customer_orders
          breaks: customer_360,executive_revenue
        "#,
    );
}

#[test]
fn renamed_column_dbt_1_0() {
    check(
        "renamed_column@dbt-1.0",
        r#"
        failed run duckdb
        #1 missing_column [stg_customers] {code=Binder Error,column=first_name,line=6}
          rerun: dbt run --select stg_customers+ --profiles-dir /tmp/dbt-triage-fixtures/renamed_column@dbt-1.0/shop
          skipped: customer_revenue,dim_customers,int_customer_orders
          breaks: customer_360,executive_revenue
        "#,
    );
}

#[test]
fn renamed_column_dbt_1_1() {
    check(
        "renamed_column@dbt-1.1",
        r#"
        failed run duckdb
        #1 missing_column [stg_customers] {code=Binder Error,column=first_name,line=6}
          rerun: dbt run --select stg_customers+ --profiles-dir /tmp/dbt-triage-fixtures/renamed_column@dbt-1.1/shop
          skipped: customer_revenue,dim_customers,int_customer_orders
          breaks: customer_360,executive_revenue
        "#,
    );
}

#[test]
fn renamed_column_dbt_1_2() {
    check(
        "renamed_column@dbt-1.2",
        r#"
        failed run duckdb
        #1 missing_column [stg_customers] {code=Binder Error,column=first_name}
          rerun: dbt run --select stg_customers+ --profiles-dir /tmp/dbt-triage-fixtures/renamed_column@dbt-1.2/shop
          skipped: customer_revenue,dim_customers,int_customer_orders
          breaks: customer_360,executive_revenue
        "#,
    );
}

#[test]
fn renamed_column_dbt_1_3() {
    check(
        "renamed_column@dbt-1.3",
        r#"
        failed run duckdb
        #1 missing_column [stg_customers] {code=Binder Error,column=first_name}
          rerun: dbt run --select stg_customers+ --profiles-dir /tmp/dbt-triage-fixtures/renamed_column@dbt-1.3/shop
          skipped: customer_revenue,dim_customers,int_customer_orders
          breaks: customer_360,executive_revenue
        "#,
    );
}

#[test]
fn renamed_column_dbt_1_4() {
    check(
        "renamed_column@dbt-1.4",
        r#"
        failed run duckdb
        #1 missing_column [stg_customers] {code=Binder Error,column=first_name}
          rerun: dbt run --select stg_customers+ --profiles-dir /tmp/dbt-triage-fixtures/renamed_column@dbt-1.4/shop
          skipped: customer_revenue,dim_customers,int_customer_orders
          breaks: customer_360,executive_revenue
        "#,
    );
}

#[test]
fn renamed_column_dbt_1_5() {
    check(
        "renamed_column@dbt-1.5",
        r#"
        failed run duckdb
        #1 missing_column [stg_customers] {code=Binder Error,column=first_name}
          rerun: dbt run --select stg_customers+
          skipped: customer_revenue,dim_customers,int_customer_orders
          breaks: customer_360,executive_revenue
        "#,
    );
}

#[test]
fn renamed_column_dbt_1_6() {
    check(
        "renamed_column@dbt-1.6",
        r#"
        failed run duckdb
        #1 missing_column [stg_customers] {code=Binder Error,column=first_name}
          rerun: dbt run --select stg_customers+
          skipped: customer_revenue,dim_customers,int_customer_orders
          breaks: customer_360,executive_revenue
        "#,
    );
}

#[test]
fn renamed_column_dbt_1_7() {
    check(
        "renamed_column@dbt-1.7",
        r#"
        failed run duckdb
        #1 missing_column [stg_customers] {code=Binder Error,column=first_name}
          rerun: dbt run --select stg_customers+
          skipped: customer_revenue,dim_customers,int_customer_orders
          breaks: customer_360,executive_revenue
        "#,
    );
}

#[test]
fn renamed_column_dbt_1_8() {
    check(
        "renamed_column@dbt-1.8",
        r#"
        failed run duckdb
        #1 missing_column [stg_customers] {code=Binder Error,column=first_name,line=7}
          rerun: dbt run --select stg_customers+
          skipped: customer_revenue,dim_customers,int_customer_orders
          breaks: customer_360,executive_revenue
        "#,
    );
}

#[test]
fn renamed_column_jsonlog() {
    check(
        "renamed_column_jsonlog",
        r#"
        failed run duckdb
        #1 missing_column [stg_customers] {code=Binder Error,column=first_name,line=7}
          rerun: dbt run --select stg_customers+
          skipped: customer_revenue,dim_customers,int_customer_orders
          breaks: customer_360,executive_revenue
        "#,
    );
}

#[test]
fn stale_artifacts() {
    check(
        "stale_artifacts",
        r#"
        no_results run duckdb
        #1 dependency [int_customer_orders] {object=stg_custmers}
          rerun: dbt run
        stale exposures: customer_360,executive_revenue,finance_kpis,order_forecast,web_traffic
        warn stale_artifacts
        warn nothing_ran
        "#,
    );
}

#[test]
fn test_failure_build() {
    check(
        "test_failure_build",
        r#"
        failed build duckdb
        #1 test_failure [unique_stg_orders_order_id] {}
          rerun: dbt build --select raw_orders+
          skipped: customer_360,executive_revenue,finance_kpis,order_forecast,customer_revenue,daily_revenue,dim_customers,fct_orders,int_customer_orders,int_order_payments,orders_incremental,assert_net_amount_not_negative,not_null_fct_orders_order_id,unique_dim_customers_customer_id,unique_fct_orders_order_id,dim_customers_segments
          breaks: customer_360,executive_revenue,finance_kpis,order_forecast
        "#,
    );
}

#[test]
fn test_failure_build_dbt_1_5() {
    check(
        "test_failure_build@dbt-1.5",
        r#"
        failed build duckdb
        #1 test_failure [unique_stg_orders_order_id] {}
          rerun: dbt build --select raw_orders+
          skipped: customer_revenue,daily_revenue,dim_customers,fct_orders,int_customer_orders,int_order_payments,orders_incremental,assert_net_amount_not_negative,not_null_fct_orders_order_id,unique_dim_customers_customer_id,unique_fct_orders_order_id
          breaks: customer_360,executive_revenue,finance_kpis,order_forecast
        "#,
    );
}

#[test]
fn test_failure_build_dbt_1_7() {
    check(
        "test_failure_build@dbt-1.7",
        r#"
        failed build duckdb
        #1 test_failure [unique_stg_orders_order_id] {}
          rerun: dbt build --select raw_orders+
          skipped: customer_revenue,daily_revenue,dim_customers,fct_orders,int_customer_orders,int_order_payments,orders_incremental,assert_net_amount_not_negative,not_null_fct_orders_order_id,unique_dim_customers_customer_id,unique_fct_orders_order_id
          breaks: customer_360,executive_revenue,finance_kpis,order_forecast
        "#,
    );
}

#[test]
fn test_failure_build_dbt_1_8() {
    check(
        "test_failure_build@dbt-1.8",
        r#"
        failed build duckdb
        #1 test_failure [unique_stg_orders_order_id] {}
          rerun: dbt build --select raw_orders+
          skipped: customer_revenue,daily_revenue,dim_customers,fct_orders,int_customer_orders,int_order_payments,orders_incremental,assert_net_amount_not_negative,not_null_fct_orders_order_id,unique_dim_customers_customer_id,unique_fct_orders_order_id,dim_customers_segments
          breaks: customer_360,executive_revenue,finance_kpis,order_forecast
        "#,
    );
}

#[test]
fn two_roots() {
    check(
        "two_roots",
        r#"
        failed run duckdb
        #1 data [fct_orders] {code=Conversion Error,line=15}
          rerun: dbt run --select stg_refunds+
          skipped: daily_revenue
          breaks: executive_revenue,finance_kpis,order_forecast
        #2 missing_column [stg_sessions] {code=Binder Error,column=channel,line=9}
          rerun: dbt run --select stg_sessions+
          skipped: fct_sessions
          breaks: web_traffic
        "#,
    );
}

#[test]
fn two_roots_dbt_1_5() {
    check(
        "two_roots@dbt-1.5",
        r#"
        failed run duckdb
        #1 data [fct_orders] {code=Conversion Error}
          rerun: dbt run --select fct_orders+
          skipped: daily_revenue
          breaks: executive_revenue,finance_kpis,order_forecast
        #2 missing_column [stg_sessions] {code=Binder Error,column=channel}
          rerun: dbt run --select stg_sessions+
          skipped: fct_sessions
          breaks: web_traffic
        "#,
    );
}

#[test]
fn two_roots_dbt_1_7() {
    check(
        "two_roots@dbt-1.7",
        r#"
        failed run duckdb
        #1 data [fct_orders] {code=Conversion Error}
          rerun: dbt run --select fct_orders+
          skipped: daily_revenue
          breaks: executive_revenue,finance_kpis,order_forecast
        #2 missing_column [stg_sessions] {code=Binder Error,column=channel}
          rerun: dbt run --select stg_sessions+
          skipped: fct_sessions
          breaks: web_traffic
        "#,
    );
}

#[test]
fn two_roots_dbt_1_8() {
    check(
        "two_roots@dbt-1.8",
        r#"
        failed run duckdb
        #1 data [fct_orders] {code=Conversion Error,line=15}
          rerun: dbt run --select fct_orders+
          skipped: daily_revenue
          breaks: executive_revenue,finance_kpis,order_forecast
        #2 missing_column [stg_sessions] {code=Binder Error,column=channel,line=9}
          rerun: dbt run --select stg_sessions+
          skipped: fct_sessions
          breaks: web_traffic
        "#,
    );
}

// The same runs when only the console output was kept (a CI log), with and without the manifest.

#[test]
fn renamed_column_console_only() {
    check_files(
        "renamed_column",
        &load_only("renamed_column", &["console.txt"]),
        r#"
        no_results - duckdb
        #1 missing_column [stg_customers] {code=Binder Error,column=first_name,line=7}
          rerun: dbt run --select stg_customers+
        orphans: customer_revenue,dim_customers,int_customer_orders
        warn missing_manifest
        "#,
    );
}

#[test]
fn renamed_column_console_and_manifest() {
    check_files(
        "renamed_column",
        &load_only("renamed_column", &["console.txt", "target/manifest.json"]),
        r#"
        no_results - duckdb
        #1 missing_column [stg_customers] {code=Binder Error,column=first_name,line=7}
          rerun: dbt run --select stg_customers+
          skipped: customer_revenue,dim_customers,int_customer_orders
          breaks: customer_360,executive_revenue
        "#,
    );
}

#[test]
fn test_failure_build_console_and_manifest() {
    check_files(
        "test_failure_build",
        &load_only(
            "test_failure_build",
            &["console.txt", "target/manifest.json"],
        ),
        r#"
        no_results - duckdb
        #1 test_failure [unique_stg_orders_order_id] {}
          rerun: dbt build --select raw_orders+
          skipped: customer_360,executive_revenue,finance_kpis,order_forecast,customer_revenue,daily_revenue,dim_customers,fct_orders,int_customer_orders,int_order_payments,orders_incremental,assert_net_amount_not_negative,not_null_fct_orders_order_id,unique_dim_customers_customer_id,unique_fct_orders_order_id,dim_customers_segments
          breaks: customer_360,executive_revenue,finance_kpis,order_forecast
        "#,
    );
}

#[test]
fn renamed_column_json_log_and_manifest() {
    check_files(
        "renamed_column_jsonlog",
        &load_only(
            "renamed_column_jsonlog",
            &["console.txt", "target/manifest.json"],
        ),
        r#"
        no_results - duckdb
        #1 missing_column [stg_customers] {code=Binder Error,column=first_name,line=7}
          rerun: dbt run --select stg_customers+
          skipped: customer_revenue,dim_customers,int_customer_orders
          breaks: customer_360,executive_revenue
        "#,
    );
}

/// Whom to tell: the owners of the exposures a problem breaks, as the manifest declares them,
/// in the JSON, the terminal text and the Markdown.
#[test]
fn owners_of_broken_exposures_are_named() {
    let d = diagnose(&load("renamed_column"));
    let p = &d.problems[0];
    let owners: Vec<String> = p.notify.iter().map(|o| o.display()).collect();
    assert_eq!(
        owners,
        [
            "Finance Analytics <finance-analytics@example.com>",
            "Sales Ops <sales-ops@example.com>"
        ]
    );
    let e = d
        .exposures
        .iter()
        .find(|e| e.id.ends_with(".executive_revenue"))
        .expect("the exposure");
    assert_eq!(
        e.owner_email.as_deref(),
        Some("finance-analytics@example.com")
    );
    let text = dbt_triage::report::text::render(&d);
    assert!(
        text.contains("  notify:   Finance Analytics <finance-analytics@example.com>, Sales Ops"),
        "{text}"
    );
    let md = dbt_triage::report::markdown::render(&d);
    assert!(
        md.contains(
            "**Notify:** Finance Analytics (`finance-analytics@example.com`), Sales Ops (`sales-ops@example.com`)"
        ),
        "{md}"
    );
    // The skipped nodes are named, and our own backticks stay code spans.
    assert!(
        md.contains("3 nodes were skipped because of this: `customer_revenue`"),
        "{md}"
    );
    assert!(!md.contains("\\`"), "escaped backticks in\n{md}");
}

/// The log panel's lines: the failed node's own (dbt runs four threads that interleave), from
/// the statement it sent to the warehouse's error, with the error's first line marked.
#[test]
fn log_excerpt_shows_the_nodes_statement_and_its_error() {
    let d = common::diagnose(&load("renamed_column"));
    let e = d.problems[0].log_excerpt.as_ref().expect("an excerpt");
    // dbt's header of the error, with the warehouse's words right below it.
    let at = &e.lines[e.at].text;
    assert!(at.contains("Runtime Error in model stg_customers"), "{at}");
    assert!(
        e.lines[e.at + 1]
            .text
            .contains("Referenced column \"first_name\" not found"),
        "{:?}",
        e.lines[e.at + 1]
    );
    let before: Vec<&str> = e.lines[..e.at].iter().map(|l| l.text.as_str()).collect();
    assert!(
        before
            .iter()
            .any(|l| l.contains("create view \"shop\".\"main\".\"stg_customers__dbt_tmp\"")),
        "{before:#?}"
    );
    // Only this node's thread, in order.
    let tags: std::collections::BTreeSet<&str> = e
        .lines
        .iter()
        .filter_map(|l| l.text.split_once("[Thread-").map(|(_, t)| &t[..1]))
        .collect();
    assert_eq!(tags.len(), 1, "{tags:?}");
    assert!(e.lines.windows(2).all(|w| w[0].number < w[1].number));
    // A run without its log has none.
    let files = load_only(
        "renamed_column",
        &["target/run_results.json", "target/manifest.json"],
    );
    assert!(common::diagnose(&files).problems[0].log_excerpt.is_none());
}
