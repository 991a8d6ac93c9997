//! The web worker's entry point: reads files and runs the core off the main thread.
fn main() {
    dbt_triage_web::worker::start();
}
