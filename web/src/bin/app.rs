//! The page's entry point.
fn main() {
    dbt_triage_web::run_app();
}
