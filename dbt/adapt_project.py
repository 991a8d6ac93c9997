#!/usr/bin/env python3
"""Make a copy of dbt/shop acceptable to an older dbt-core: adapt_project.py VERSION PROJECT_DIR.

The committed project is written for dbt-core 1.10. Older releases lack some of its features:
  < 1.10  generic-test `arguments:` blocks  -> arguments written at the test's top level
  < 1.8   `data_tests:` and unit tests      -> `tests:`, unit test file dropped
  < 1.5   model contracts and constraints   -> dropped
  < 1.3   exposure `label`                  -> dropped
  < 1.0   model-paths / seed-paths          -> source-paths / data-paths;
          DBT_SEND_ANONYMOUS_USAGE_STATS unknown -> `config: send_anonymous_usage_stats: false`
  < 0.20  exposure `tags` and `meta`        -> dropped
  < 1.2   threads: 4                        -> threads: 1 (early dbt-duckdb lost writes with threads)
Only line-level edits: the YAML keeps its layout.
"""
import os
import re
import sys


def ver(s):
    return tuple(int(x) for x in s.split(".")[:2])


def flatten_arguments(text):
    out, lines, i = [], text.splitlines(keepends=True), 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"^(\s*)arguments:\s*$", line)
        if not m:
            out.append(line)
            i += 1
            continue
        indent = len(m.group(1))
        i += 1
        while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent):
            out.append(lines[i][2:] if lines[i].strip() else lines[i])
            i += 1
    return "".join(out)


def drop_block(text, key):
    """Drop every `key:` line together with the lines indented under it."""
    out, lines, i = [], text.splitlines(keepends=True), 0
    while i < len(lines):
        m = re.match(r"^(\s*)" + re.escape(key) + r":", lines[i])
        if not m:
            out.append(lines[i])
            i += 1
            continue
        indent = len(m.group(1))
        i += 1
        while i < len(lines) and lines[i].strip() and len(lines[i]) - len(lines[i].lstrip()) > indent:
            i += 1
    return "".join(out)


def main():
    v, root = ver(sys.argv[1]), sys.argv[2]
    if v < (1, 8):
        unit = os.path.join(root, "models/marts/_unit_tests.yml")
        if os.path.exists(unit):
            os.remove(unit)
    if v < (1, 2):
        path = os.path.join(root, "profiles.yml")
        text = open(path).read().replace("threads: 4", "threads: 1")
        open(path, "w").write(text)
    if v < (1, 0):
        path = os.path.join(root, "dbt_project.yml")
        text = open(path).read().replace("model-paths:", "source-paths:").replace("seed-paths:", "data-paths:")
        open(path, "w").write(text)
        path = os.path.join(root, "profiles.yml")
        text = open(path).read() + "\nconfig:\n  send_anonymous_usage_stats: false\n"
        open(path, "w").write(text)
    for dirpath, _, files in os.walk(os.path.join(root, "models")):
        for name in files:
            if not name.endswith(".yml"):
                continue
            path = os.path.join(dirpath, name)
            text = orig = open(path).read()
            if v < (1, 10):
                text = flatten_arguments(text)
            if v < (1, 8):
                text = text.replace("data_tests:", "tests:")
            if v < (1, 5):
                text = drop_block(text, "config")  # only the contract lives in a models' config: block
                text = drop_block(text, "constraints")
            if v < (0, 20) and name == "exposures.yml":
                text = drop_block(text, "tags")
                text = drop_block(text, "meta")
            if v < (1, 3):
                text = re.sub(r"(?m)^\s*label:.*\n", "", text)
            if text != orig:
                open(path, "w").write(text)


if __name__ == "__main__":
    main()
