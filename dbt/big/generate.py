#!/usr/bin/env python3
"""Generates a big layered dbt project (dbt-core 1.10, dbt-duckdb) for speed measurements.

    python3 dbt/big/generate.py MODELS OUTDIR [--seed N]

Writes OUTDIR/project/ (a dbt project) and OUTDIR/raw.sql (the raw source tables, run against
the duckdb file before dbt). Deterministic: the same MODELS and --seed give the same files.

Shape (see dbt/big/README.md):
  sources    raw.src_NNNN, one table a staging model, ten rows each;
  staging    15 % of the models, views, one source each;
  intermediate 45 %, tables, 1-4 refs to staging / earlier intermediate models, chosen with a
             bias towards the first ones (hubs, as in real projects: a few models feed many);
  marts      40 %, tables, 1-5 refs to intermediate / earlier marts;
  tests      unique + not_null on `id` for 90 % of the models, accepted_values on `status` for a
             third, relationships for a tenth of the others: about 2.2 tests a model;
  docs       a docs block per domain and per shared column, long descriptions on every model and
             column; a few macros used by the models;
  exposures  one per ~40 marts: most Power BI dashboards (https://app.powerbi.com/...), some
             Tableau, notebooks and ML models.
ONE failure: raw.src_0001's column `customer_id` is delivered as `customer_ref`, so stg_0001
(a hub: the first intermediate models all read it) fails with a binder error and `dbt build`
skips everything downstream of it.
"""

import argparse
import os
import random
import shutil

DOMAINS = [
    "sales", "finance", "marketing", "product", "logistics",
    "support", "hr", "inventory", "billing", "web",
]
STATUSES = ["placed", "shipped", "completed", "returned", "cancelled"]
COLUMNS = [
    ("id", "Surrogate key of the row; unique and never null."),
    ("customer_id", "The customer the row belongs to, as assigned by the CRM."),
    ("amount", "Amount in dollars, converted from cents with cents_to_dollars()."),
    ("status", "Lifecycle status of the record as reported by the source system."),
    ("updated_at", "When the source system last changed the row (UTC)."),
]
LOREM = (
    "This model is owned by the {domain} analytics team and refreshed every night by the "
    "orchestrator. It reads only upstream models of the same project and keeps one row per "
    "entity; downstream dashboards rely on its grain, so changes to its key must be announced "
    "in the data-platform channel at least one sprint ahead. Layer: {layer}; rank {rank}."
)


def biased(rng, n, power):
    """An index in [0, n) biased towards 0 (power > 1) — hubs at the front."""
    return min(n - 1, int(n * rng.random() ** power))


def build(models, seed):
    rng = random.Random(seed)
    n_stg = max(10, round(models * 0.15))
    n_int = max(10, round(models * 0.45))
    n_fct = models - n_stg - n_int
    nodes = []  # (name, layer, domain, parents)
    stg = [f"stg_{i:04d}" for i in range(1, n_stg + 1)]
    for i, s in enumerate(stg):
        nodes.append((s, "staging", DOMAINS[i % len(DOMAINS)], [f"src_{i + 1:04d}"]))
    ints = []
    for j in range(n_int):
        me = f"int_{j + 1:05d}"
        k = rng.choice([1, 2, 2, 3, 3, 4])
        parents = set()
        if j < 8:
            parents.add(stg[0])  # the first intermediates read the broken hub
        while len(parents) < k:
            if ints and rng.random() < 0.45:
                parents.add(ints[biased(rng, len(ints), 2.2)])
            else:
                parents.add(stg[biased(rng, len(stg), 1.6)])
        ints.append(me)
        nodes.append((me, "intermediate", DOMAINS[j % len(DOMAINS)], sorted(parents)))
    fcts = []
    for j in range(n_fct):
        me = f"fct_{j + 1:05d}"
        k = rng.choice([1, 2, 2, 3, 4, 5])
        parents = set()
        while len(parents) < k:
            if fcts and rng.random() < 0.25:
                parents.add(fcts[rng.randrange(len(fcts))])
            else:
                parents.add(ints[rng.randrange(len(ints))])
        fcts.append(me)
        nodes.append((me, "marts", DOMAINS[j % len(DOMAINS)], sorted(parents)))
    return nodes, stg, fcts


def downstream_count(nodes, root):
    children = {}
    for n, _, _, ps in nodes:
        for p in ps:
            children.setdefault(p, []).append(n)
    seen, stack = set(), [root]
    while stack:
        for c in children.get(stack.pop(), []):
            if c not in seen:
                seen.add(c)
                stack.append(c)
    return len(seen)


def sql_for(node):
    n, layer, domain, parents = node
    if layer == "staging":
        return (
            f"-- {domain}: staging of raw.{parents[0]}\n"
            f"select\n    id,\n    customer_id,\n    {{{{ cents_to_dollars('amount_cents') }}}} as amount,\n"
            f"    lower(status) as status,\n    updated_at\nfrom {{{{ source('raw', '{parents[0]}') }}}}\n"
        )
    ctes = ",\n".join(f"p{i} as (\n    select * from {{{{ ref('{p}') }}}}\n)" for i, p in enumerate(parents))
    amount = " + ".join(["p0.amount"] + [f"coalesce(p{i}.amount, 0)" for i in range(1, len(parents))])
    joins = "".join(f"\nleft join p{i} on p{i}.id = p0.id" for i in range(1, len(parents)))
    mat = "" if layer == "intermediate" else "{{ config(tags=['" + domain + "']) }}\n"
    return (
        f"{mat}-- {domain}: {layer} model over {len(parents)} upstream model(s)\nwith\n{ctes}\n\n"
        f"select\n    p0.id,\n    p0.customer_id,\n    {{{{ safe_round('{amount}') }}}} as amount,\n"
        f"    p0.status,\n    greatest(p0.updated_at{''.join(f', coalesce(p{i}.updated_at, p0.updated_at)' for i in range(1, len(parents)))}) as updated_at\n"
        f"from p0{joins}\n"
    )


def yml_for(group, rng):
    out = ["version: 2", "", "models:"]
    for n, layer, domain, parents in group:
        out.append(f"  - name: {n}")
        out.append("    description: >")
        out.append("      {{ doc('domain_" + domain + "') }}")
        out.append("      " + LOREM.format(domain=domain, layer=layer, rank=n.split("_")[1]))
        out.append("    meta:")
        out.append(f"      owner: {domain}-analytics@example.com")
        out.append(f"      layer: {layer}")
        out.append("    columns:")
        r = rng.random()
        for col, desc in COLUMNS:
            out.append(f"      - name: {col}")
            out.append("        description: \"{{ doc('col_" + col + "') }} " + desc + "\"")
            tests = []
            if col == "id" and r < 0.9:
                tests = ["unique", "not_null"]
            if col == "status" and r < 0.33:
                tests.append(
                    "accepted_values:\n              arguments:\n                values: ["
                    + ", ".join(f"'{s}'" for s in STATUSES) + "]"
                )
            if col == "customer_id" and r < 0.1 and layer != "staging":
                tests.append(
                    "relationships:\n              arguments:\n                to: ref('"
                    + parents[0] + "')\n                field: customer_id"
                )
            if tests:
                out.append("        data_tests:")
                out.extend("          - " + t for t in tests)
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("models", type=int)
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=20240601)
    a = ap.parse_args()
    rng = random.Random(a.seed + 1)
    nodes, stg, fcts = build(a.models, a.seed)
    proj = os.path.join(a.outdir, "project")
    shutil.rmtree(proj, ignore_errors=True)
    os.makedirs(proj)

    def write(rel, text):
        path = os.path.join(proj, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)

    write("dbt_project.yml", f"""name: big
version: "1.0.0"
config-version: 2
profile: big

models:
  big:
    staging:
      +materialized: view
    intermediate:
      +materialized: table
    marts:
      +materialized: table
""")
    write("profiles.yml", """big:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: big.duckdb
      schema: main
      threads: 2
""")
    write("macros/cents_to_dollars.sql", """{% macro cents_to_dollars(column_name) -%}
    cast({{ column_name }} as numeric(16, 2)) / 100
{%- endmacro %}
""")
    write("macros/safe_round.sql", """{% macro safe_round(expression, digits=2) -%}
    round(cast({{ expression }} as double), {{ digits }})
{%- endmacro %}
""")
    write("macros/generate_schema_name.sql", """{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ target.schema if custom_schema_name is none else custom_schema_name | trim }}
{%- endmacro %}
""")
    write("macros/audit_columns.sql", """{% macro audit_columns() -%}
    current_timestamp as _loaded_at, '{{ invocation_id }}' as _invocation_id
{%- endmacro %}
""")
    docs = []
    for d in DOMAINS:
        docs.append(f"{{% docs domain_{d} %}}\n# {d.title()} domain\n\n"
                    + (f"Models of the {d} domain. They follow the staging → intermediate → marts "
                       "convention: staging models rename and cast, intermediate ones join, marts are "
                       "what the BI tools read. Questions go to the domain's analytics team.\n") * 3
                    + "{% enddocs %}\n")
    for c, desc in COLUMNS:
        docs.append(f"{{% docs col_{c} %}}\n{desc}\n{{% enddocs %}}\n")
    write("models/docs.md", "\n".join(docs))

    n_src = len(stg)
    src = ["version: 2", "", "sources:", "  - name: raw",
           "    description: Tables written by the loader.", "    schema: raw", "    tables:"]
    for i in range(1, n_src + 1):
        src += [f"      - name: src_{i:04d}",
                f"        description: Raw extract {i} of the {DOMAINS[(i - 1) % len(DOMAINS)]} system."]
    write("models/staging/_sources.yml", "\n".join(src) + "\n")

    by_dir = {}
    for node in nodes:
        n, layer, domain, _ = node
        write(f"models/{layer}/{domain}/{n}.sql", sql_for(node))
        by_dir.setdefault((layer, domain), []).append(node)
    for (layer, domain), group in sorted(by_dir.items()):
        write(f"models/{layer}/{domain}/_{domain}_{layer}.yml", yml_for(group, rng))

    exp = ["version: 2", "", "exposures:"]
    n_exp = max(5, len(fcts) // 40)
    for e in range(n_exp):
        kind = ["powerbi", "powerbi", "powerbi", "tableau", "notebook", "ml"][e % 6]
        deps = sorted({fcts[rng.randrange(len(fcts))] for _ in range(rng.choice([1, 2, 3, 4]))})
        exp.append(f"  - name: exposure_{e + 1:04d}")
        exp.append(f"    label: {DOMAINS[e % len(DOMAINS)].title()} report {e + 1}")
        if kind == "powerbi":
            g = rng.getrandbits(128)
            r = rng.getrandbits(128)
            gid = f"{g:032x}"
            rid = f"{r:032x}"
            fmt = lambda h: f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
            exp += ["    type: dashboard", "    maturity: high",
                    f"    url: https://app.powerbi.com/groups/{fmt(gid)}/reports/{fmt(rid)}/ReportSection",
                    "    tags: ['powerbi']", "    meta:", "      tool: powerbi",
                    f"      workspace: {DOMAINS[e % len(DOMAINS)].title()} Analytics"]
        elif kind == "tableau":
            exp += ["    type: dashboard", "    maturity: medium",
                    f"    url: https://tableau.example.com/views/report_{e + 1}/Overview"]
        elif kind == "notebook":
            exp += ["    type: notebook", "    maturity: low"]
        else:
            exp += ["    type: ml", "    maturity: medium"]
        exp.append(f"    description: Report {e + 1}, read by the {DOMAINS[e % len(DOMAINS)]} team.")
        exp.append("    depends_on:")
        exp += [f"      - ref('{d}')" for d in deps]
        exp += ["    owner:", f"      name: {DOMAINS[e % len(DOMAINS)].title()} Analytics",
                f"      email: {DOMAINS[e % len(DOMAINS)]}-analytics@example.com"]
    write("models/exposures.yml", "\n".join(exp) + "\n")

    # The raw tables: ten rows each; src_0001 delivers customer_id as customer_ref (the failure).
    raw = ["create schema if not exists raw;"]
    for i in range(1, n_src + 1):
        cust = "customer_ref" if i == 1 else "customer_id"
        raw.append(
            f"create or replace table raw.src_{i:04d} as select range + 1 as id, "
            f"(range * 7 + {i}) % 100 as {cust}, range * 1234 as amount_cents, "
            f"['{STATUSES[0]}','{STATUSES[1]}','{STATUSES[2]}'][range % 3 + 1] as status, "
            f"timestamp '2024-06-01' + to_hours(range) as updated_at from range(10);"
        )
    with open(os.path.join(a.outdir, "raw.sql"), "w") as f:
        f.write("\n".join(raw) + "\n")

    down = downstream_count(nodes, stg[0])
    print(f"generated {len(nodes)} models ({len(stg)} staging, {len(nodes) - len(stg) - len(fcts)} "
          f"intermediate, {len(fcts)} marts), {n_src} sources, {n_exp} exposures; "
          f"stg_0001 (the failure) has {down} downstream models")


if __name__ == "__main__":
    main()
