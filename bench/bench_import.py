"""Benchmark of ``import acled``: N synthetic ACLED rows (realistic name variation), with
checking and matching, against a raw load of the same rows in the same run: ``executemany``
of ``sqlite3`` on SQLite, ``COPY`` of psycopg on PostgreSQL (one table of the file's columns,
no checks, no matching). Prints both times, the ratio (raw time / import time: 1.0 means as
fast) and the import's peak resident memory.

Usage: ``python -m bench.bench_import [--rows 1000000] [--engine sqlite|postgresql ...]``.
"""

from __future__ import annotations

import argparse
import csv
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.acled_rows import write_acled_file
from tracker import migrate
from tracker.export.acled import COLUMNS

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = os.environ.get(
    "TRACKER_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1/test"
)
_RAW_TABLE = "CREATE TABLE raw_events ({})".format(", ".join(f'"{c}" TEXT' for c in COLUMNS))


def _raw_sqlite(path: Path, rows: Path) -> tuple[float, float]:
    started, cpu = time.perf_counter(), time.process_time()
    connection = sqlite3.connect(path)
    connection.execute(_RAW_TABLE)
    with rows.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        marks = ", ".join("?" for _ in COLUMNS)
        with connection:
            connection.executemany(f"INSERT INTO raw_events VALUES ({marks})", reader)
    connection.close()
    return time.perf_counter() - started, time.process_time() - cpu


def _raw_postgres(url: str, rows: Path) -> tuple[float, float]:
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(False)
    started, cpu = time.perf_counter(), time.process_time()
    with psycopg.connect(conninfo) as connection:
        connection.execute(_RAW_TABLE)
        copy_sql = "COPY raw_events FROM STDIN WITH (FORMAT csv, HEADER true)"
        with (
            connection.cursor() as cursor,
            rows.open("rb") as handle,
            cursor.copy(copy_sql) as copy,
        ):
            while block := handle.read(1 << 20):
                copy.write(block)
    return time.perf_counter() - started, time.process_time() - cpu


def _import(url: str, rows: Path, work: Path) -> tuple[float, float, float]:
    """Run ``manage.py import acled`` as a child; its time, CPU time and peak RSS in MB."""
    env = {**os.environ, "TRACKER_DATABASE_URL": url, "TRACKER_INSTANCE_PATH": str(work)}
    command = [sys.executable, str(ROOT / "manage.py"), "import", "acled", str(rows), "--quiet"]
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    output = child.stdout.read() if child.stdout else ""
    if status != 0:
        raise SystemExit(f"import failed: {output}")
    print("   ", output.splitlines()[0][:160])
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _postgres_database(name: str) -> str:
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(PG_ADMIN).set(database=name).render_as_string(False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--engine", action="append", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    engines = args.engine or ["sqlite", "postgresql"]
    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        work = Path(folder)
        rows = work / "acled.csv"
        write_acled_file(rows, args.rows)
        size = rows.stat().st_size / 1e6
        print(f"{args.rows:,} synthetic ACLED rows, {size:,.0f} MB")
        for engine in engines:
            if engine == "sqlite":
                raw, raw_cpu = _raw_sqlite(work / "raw.db", rows)
                url = f"sqlite:///{work / 'tracker.db'}"
            else:
                raw, raw_cpu = _raw_postgres(_postgres_database("bench_import_raw"), rows)
                url = _postgres_database("bench_import")
            migrate.upgrade(url)
            ours, ours_cpu, peak = _import(url, rows, work)
            reference = "executemany" if engine == "sqlite" else "COPY"
            print(
                f"{engine}: raw {reference} {raw:.1f} s ({args.rows / raw:,.0f} rows/s); "
                f"import acled {ours:.1f} s ({args.rows / ours:,.0f} rows/s); "
                f"ratio {raw / ours:.2f}x; peak memory {peak:,.0f} MB"
            )
            print(
                f"{engine}: client CPU seconds: raw {raw_cpu:.1f} s, import acled {ours_cpu:.1f} s "
                "(on a shared machine the wall-clock ratio also counts the waits for a core)"
            )
    print(f"reproduce: python -m bench.bench_import --rows {args.rows}")


if __name__ == "__main__":
    main()
