#!/usr/bin/env python3
"""Execute the SQL statements a diagnosis tells the engineer to run, against the warehouse the
story's dbt run left behind, and say what each did (scripts/check-statements writes the answer to
tests/fixtures/<story>/statements.json, which tests/story_fixes.rs reads).

  run_statements.py duckdb   DB_FILE  < diagnosis.json
  run_statements.py postgres DSN      < diagnosis.json   (connects as the dbt user of the profile)

Which text of a fix step's `run` is a statement: the same rule as `sql_statements` in
tests/story_fixes.rs — lines up to one ending in `;`, whose first word is a SQL verb. Each runs
alone (a failed one does not stop the next) and is rolled back afterwards unless it changes the
schema on purpose (ALTER/GRANT/CREATE), as the engineer would run it.
"""
import json
import sys

VERBS = {"select", "with", "alter", "grant", "revoke", "create", "insert", "update", "delete",
         "show", "describe", "explain"}


def statements(run):
    out, cur = [], []
    for line in run.splitlines():
        cur.append(line)
        if line.rstrip().endswith(";"):
            text = "\n".join(cur).strip()
            cur = []
            words = text.split(None, 1)
            if words and words[0].lower() in VERBS:
                out.append(text)
    return out


def main():
    engine, target = sys.argv[1], sys.argv[2]
    diagnosis = json.load(sys.stdin)
    todo = []
    for p in diagnosis.get("problems", []):
        for step in p.get("fix", []):
            for s in statements(step.get("run") or ""):
                if s not in (t for t, _ in todo):
                    todo.append((s, p.get("category")))
    if engine == "duckdb":
        import duckdb

        con = duckdb.connect(target)
        run = lambda sql: con.execute(sql).fetchall()  # noqa: E731
    else:
        import psycopg2

        con = psycopg2.connect(target)
        con.autocommit = True

        def run(sql):
            with con.cursor() as cur:
                cur.execute(sql)
                return cur.fetchall() if cur.description else []

    results = []
    for sql, category in todo:
        try:
            rows = run(sql)
            results.append({"sql": sql, "category": category, "ok": True, "rows": len(rows),
                            "first_row": [str(v) for v in rows[0]] if rows else None})
        except Exception as e:  # the statement failed: that is the answer to record
            results.append({"sql": sql, "category": category, "ok": False,
                            "error": str(e).strip().splitlines()[0]})
    json.dump(results, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
