//! Prints the invocations the log reader finds in a log (for looking at real logs).
fn main() {
    let path = std::env::args().nth(1).expect("a log file");
    let text = std::fs::read_to_string(path).expect("readable");
    for inv in dbt_triage::artifacts::log::parse(&text).invocations {
        println!(
            "{:?} {:?} {:?} errors={} fatal={:?}",
            inv.started_at,
            inv.dbt_version,
            inv.command,
            inv.node_errors.len(),
            inv.fatal
                .as_deref()
                .map(|f| f.lines().next().unwrap_or_default().to_string())
        );
    }
}
