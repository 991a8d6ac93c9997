#!/usr/bin/env python3
"""Load the `raw` source tables (raw_data/<table>.csv) the way an EL tool would: every column text.

  load_raw.py duckdb  DB_FILE   DATA_DIR TABLE...   writes into DB_FILE (needs the duckdb module)
  load_raw.py postgres -        DATA_DIR TABLE...   prints SQL for psql (run it as a superuser)
"""
import csv
import os
import sys


def main():
    adapter, db, data_dir, tables = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    if adapter == "duckdb":
        import duckdb

        con = duckdb.connect(db)
        con.execute("create schema if not exists raw")
        for t in tables:
            with open(os.path.join(data_dir, t + ".csv"), newline="") as f:
                header, *rows = list(csv.reader(f))
            # CSV's empty field is a NULL, as COPY reads it for postgres
            rows = [[v if v != "" else None for v in row] for row in rows]
            cols = ", ".join(f"{c} varchar" for c in header)
            con.execute(f"drop table if exists raw.{t}")
            con.execute(f"create table raw.{t} ({cols})")
            marks = ", ".join("?" for _ in header)
            con.executemany(f"insert into raw.{t} values ({marks})", rows)
        con.close()
    elif adapter == "postgres":
        out = sys.stdout
        out.write("create schema if not exists raw;\n")
        for t in tables:
            path = os.path.join(data_dir, t + ".csv")
            with open(path, newline="") as f:
                header = next(csv.reader(f))
                body = f.read()
            cols = ", ".join(f"{c} text" for c in header)
            out.write(f"drop table if exists raw.{t};\ncreate table raw.{t} ({cols});\n")
            out.write(f"copy raw.{t} from stdin with (format csv);\n{body}")
            if not body.endswith("\n"):
                out.write("\n")
            out.write("\\.\n")
    else:
        sys.exit(f"unknown adapter {adapter}")


if __name__ == "__main__":
    main()
