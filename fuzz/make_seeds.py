#!/usr/bin/env python3
"""Rebuilds the seed corpora (fuzz/corpus/<target>/) and companions (fuzz/companions/) from the
real fixtures in tests/fixtures/. Deterministic; run from anywhere:

    python3 fuzz/make_seeds.py

Manifests are 200-600 KB, too big for seeds: they are reduced to the keys the core reads (see
src/artifacts/manifest.rs) with the same shape dbt writes. Truncated pieces of the real files are
added so the fuzzer starts from the "file cut short" case too.
"""

import hashlib
import json
import shutil
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
ROOT = FUZZ.parent
FIX = ROOT / "tests" / "fixtures"
SEP = b"\0\0FILE\0\0"  # fuzz/src/lib.rs SEPARATOR

NODE_KEYS = {
    "unique_id", "resource_type", "name", "package_name", "original_file_path", "path",
    "database", "schema", "alias", "identifier", "relation_name", "source_name", "config",
    "depends_on", "compiled_code", "compiled_sql", "raw_code", "raw_sql", "tags",
    "attached_node", "label", "type", "url", "owner", "maturity", "meta", "model",
}
CONFIG_KEYS = {"materialized", "on_schema_change", "contract", "meta", "tags", "enabled"}


def reduce_node(n):
    out = {k: v for k, v in n.items() if k in NODE_KEYS}
    if isinstance(out.get("config"), dict):
        out["config"] = {k: v for k, v in out["config"].items() if k in CONFIG_KEYS}
    if isinstance(out.get("depends_on"), dict):
        out["depends_on"] = {"macros": [], "nodes": out["depends_on"].get("nodes", [])}
    return out


def reduce_manifest(path, keep=None):
    m = json.loads(path.read_bytes())
    out = {"metadata": m["metadata"]}
    for section in ("nodes", "sources", "exposures", "unit_tests"):
        if section in m:
            items = list(m[section].items())
            if keep is not None:
                items = items[:keep]
            out[section] = {k: reduce_node(v) for k, v in items}
    out["macros"] = {}
    if "parent_map" in m:
        ids = set()
        for s in ("nodes", "sources", "exposures", "unit_tests"):
            ids |= set(out.get(s, {}))
        out["parent_map"] = {k: v for k, v in m["parent_map"].items() if k in ids}
    return json.dumps(out).encode()


def write(target, data, seen):
    h = hashlib.sha1(data).hexdigest()[:16]
    if h in seen:
        return
    seen.add(h)
    d = FUZZ / "corpus" / target
    d.mkdir(parents=True, exist_ok=True)
    (d / f"seed-{h}").write_bytes(data)


def cuts(data, sizes=(1, 64, 512, 2048)):
    """Truncated pieces: the file cut at a few absolute sizes and at half."""
    out = [data[:n] for n in sizes if n < len(data)]
    out.append(data[: len(data) // 2])
    return out


def stories():
    return sorted(p for p in FIX.iterdir() if p.is_dir())


def main():
    for target in ("run_results", "manifest", "log", "classify", "pipeline"):
        shutil.rmtree(FUZZ / "corpus" / target, ignore_errors=True)
    comp = FUZZ / "companions"
    comp.mkdir(exist_ok=True)
    (comp / "manifest.json").write_bytes(reduce_manifest(FIX / "two_roots/target/manifest.json"))
    shutil.copy(FIX / "two_roots/target/run_results.json", comp / "run_results.json")

    seen = set()
    # run_results: every distinct real file (6-32 KB), and cuts of a few.
    for s in stories():
        rr = s / "target/run_results.json"
        if rr.exists():
            data = rr.read_bytes()
            write("run_results", data, seen)
            if s.name in ("renamed_column@dbt-0.19", "two_roots", "test_failure_build"):
                for c in cuts(data):
                    write("run_results", c, seen)

    # manifest: reduced real manifests across schema versions, a few nodes each, and cuts of the
    # real files' heads.
    for s in stories():
        m = s / "target/manifest.json"
        if not m.exists():
            continue
        if "@" in s.name or s.name in ("two_roots", "missing_relation_duckdb", "contract_mismatch",
                                       "incremental_drift", "test_failure_build"):
            write("manifest", reduce_manifest(m, keep=8), seen)
        if s.name in ("renamed_column@dbt-0.19", "renamed_column@dbt-1.8"):
            head = m.read_bytes()[:16384]
            for c in cuts(head, sizes=(64, 512, 4096)):
                write("manifest", c, seen)
    write("manifest", reduce_manifest(FIX / "two_roots/target/manifest.json"), seen)

    # log: console output (small, all), the smaller dbt.logs whole, heads of the big ones, and the
    # JSON-format log's head.
    for s in stories():
        c = s / "console.txt"
        if c.exists():
            write("log", c.read_bytes(), seen)
        lg = s / "logs/dbt.log"
        if lg.exists():
            data = lg.read_bytes()
            if len(data) <= 8192:
                write("log", data, seen)
            elif "@" not in s.name:
                write("log", data[-8192:], seen)
    js = (FIX / "renamed_column_jsonlog/logs/dbt.log").read_bytes()
    write("log", js[:12000], seen)
    write("log", js[-12000:], seen)
    for c in cuts((FIX / "bad_password/logs/dbt.log").read_bytes()):
        write("log", c, seen)

    # classify: the real error messages, one per file.
    for line in (ROOT / "tests/messages/messages.jsonl").read_text().splitlines():
        if line.strip():
            write("classify", json.loads(line)["message"].encode(), seen)

    # pipeline: run_results + manifest + log of one story, joined by the separator.
    for name in ("two_roots", "renamed_column@dbt-0.19", "renamed_column@dbt-1.5",
                 "test_failure_build", "missing_relation_duckdb", "contract_mismatch",
                 "bad_password", "stale_artifacts", "incremental_drift"):
        s = FIX / name
        parts = []
        rr = s / "target/run_results.json"
        parts.append(rr.read_bytes() if rr.exists() else b"")
        parts.append(reduce_manifest(s / "target/manifest.json", keep=12))
        parts.append((s / "console.txt").read_bytes())
        write("pipeline", SEP.join(parts), seen)
        write("pipeline", SEP.join(parts[:2]), seen)

    total = sum(f.stat().st_size for f in (FUZZ / "corpus").rglob("*") if f.is_file())
    print(f"{len(seen)} seeds, {total} bytes")


if __name__ == "__main__":
    main()
