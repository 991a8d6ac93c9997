//! Prints a log with its orchestrator wrapper taken off (for looking at real logs).
fn main() {
    let path = std::env::args().nth(1).expect("a log file");
    let text = std::fs::read_to_string(path).expect("readable");
    print!("{}", dbt_triage::artifacts::unwrap::unwrap(&text));
}
