#!/usr/bin/env python3
"""Folds `perf script` output (perf record --call-graph dwarf of the bench example's --loop mode)
into: the share of samples per dbt_triage function (innermost one on the stack, offsets dropped),
split by what the leaf was doing (serde_json, compare, alloc, free, copy, hash), and per phase.

    perf record --call-graph dwarf,32768 -F 999 -o perf.data \
        target-with-debuginfo/release/examples/bench --loop 20 DIR
    perf script -i perf.data | python3 bench/perf-fold.py
"""
import collections
import re
import sys

PHASES = [
    ("drop", re.compile(r"drop_in_place<\(dbt_triage::artifacts::Artifacts")),
    ("read manifest", re.compile(r"dbt_triage::artifacts::manifest::parse")),
    ("read run_results", re.compile(r"dbt_triage::artifacts::run_results::parse")),
    ("read (other)", re.compile(r"dbt_triage::artifacts::read")),
    ("lineage", re.compile(r"dbt_triage::graph::lineage")),
    ("diagnose", re.compile(r"dbt_triage::diagnose::diagnose")),
    ("diagnose_files (other)", re.compile(r"dbt_triage::diagnose_files")),
]


def leaf_kind(leaf):
    for kind, words in [
        ("compare", ("memcmp", "cmp", "Ord")),
        ("free", ("free", "drop")),
        ("alloc", ("malloc", "alloc", "realloc")),
        ("copy", ("memmove", "memcpy")),
        ("serde_json", ("serde_json",)),
        ("hash", ("Hash", "sip", "hash")),
        ("kernel", ("page_fault", "_irq", "clear_page")),
    ]:
        if any(w in leaf for w in words):
            return kind
    return "other"


def main():
    text = sys.stdin.read()
    per_fn = collections.Counter()
    per_fn_kind = collections.Counter()
    per_phase = collections.Counter()
    total = 0
    for sample in text.split("\n\n"):
        frames = []
        for line in sample.strip().split("\n")[1:]:
            m = re.match(r"\s*[0-9a-f]+ (.*) \(", line)
            if m:
                frames.append(re.sub(r"\+0x[0-9a-f]+$", "", m.group(1)))
        if not frames:
            continue
        total += 1
        fn = next(
            (f for f in frames if "dbt_triage::" in f and "_::<impl" not in f and "drop_in_place" not in f),
            "(outside dbt_triage: loading files, bench)",
        )
        if any("drop_in_place" in f and "dbt_triage" in f for f in frames):
            fn = "(drop of artifacts / lineage / diagnosis)"
        fn = re.sub(r"::\{\{closure\}\}", "", fn)
        kind = leaf_kind(frames[0])
        per_fn[fn] += 1
        per_fn_kind[(fn, kind)] += 1
        joined = "\n".join(frames)
        phase = next((p for p, rx in PHASES if rx.search(joined)), "outside diagnose_files")
        per_phase[phase] += 1
    print(f"{total} samples")
    print("\nby phase:")
    for p, n in per_phase.most_common():
        print(f"  {100 * n / total:5.1f}%  {p}")
    print("\nby innermost dbt_triage function (leaf kinds):")
    for fn, n in per_fn.most_common(25):
        kinds = ", ".join(
            f"{k} {100 * c / total:.1f}"
            for (f, k), c in per_fn_kind.most_common()
            if f == fn and c / total >= 0.003
        )
        print(f"  {100 * n / total:5.1f}%  {fn}\n           {kinds}")


if __name__ == "__main__":
    main()
