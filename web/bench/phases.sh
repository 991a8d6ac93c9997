#!/usr/bin/env bash
# The worker's steps in wasm, one at a time (web/bench/phases): builds the crate for wasm32 with
# opt-level "z" (as web-release ships) and 3, wasm-bindgen --target nodejs, then runs each on the
# given sets in node, best of N. Output: a table and web/bench/out/phases.json.
#   web/bench/phases.sh [--runs N] DIR...     (PHASES_NODE_FLAGS="--no-liftoff" passes V8 flags to node)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export PATH="$HOME/.cargo/bin:$PATH"
runs=5
[ "${1:-}" = --runs ] && { runs=$2; shift 2; }
target="${CARGO_TARGET_DIR:-/tmp/dbt-triage-bench-phases-target}"
out="$here/out"; mkdir -p "$out"
cd "$here/phases"
for profile in release o3; do
  cargo build --quiet --target wasm32-unknown-unknown --profile "$profile" --target-dir "$target"
  wasm-bindgen --target nodejs --out-dir "$out/pkg-$profile" \
    "$target/wasm32-unknown-unknown/$profile/dbt_triage_bench_phases.wasm"
done
node --max-old-space-size=8192 "$here/phases-run.mjs" "$runs" "$out" "$@"
