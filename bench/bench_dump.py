"""Benchmark of SQL dumps at scale: ``export sql`` against ``sqlite3 DB .dump`` and
``pg_dump --inserts`` on the same data, in the same run.

Usage: ``python -m bench.bench_dump [--incidents 1000000] [--runs 1]``. The synthetic databases
are built once under ``bench/out/`` (``bench.synthetic.populate``) and reused. Each command runs
as a child process; its time and peak resident memory (``os.wait4``'s rusage) are printed with
the ratio of speeds (reference time / our time: 1.0 means as fast, 0.5 half as fast).
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.synthetic import populate
from tracker import migrate

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PG_ADMIN = os.environ.get(
    "TRACKER_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1/test"
)


#: Runs argv[2:] as its child and writes the child's peak RSS (kB) to the file argv[1]. Measuring
#: through this small process keeps the benchmark's own memory out of the child's figure (a
#: child created straight from a large process inherits that process's peak).
_RUSAGE_HELPER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def measure(command: Sequence[str], stdout: Path | None = None) -> tuple[float, float]:
    """Run ``command``; return its wall time in seconds and its peak RSS in MB."""
    report = OUT / "rusage.txt"
    sink = stdout.open("wb") if stdout else subprocess.DEVNULL
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-S", "-c", _RUSAGE_HELPER, str(report), *command],
        stdout=sink,
        cwd=ROOT,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if stdout:
        sink.close()  # type: ignore[union-attr]
    if result.returncode != 0:
        raise SystemExit(f"failed: {shlex.join(command)}")
    return elapsed, int(report.read_text()) / 1024


def sqlite_database(incidents: int) -> str:
    path = OUT / f"dump-{incidents}.db"
    url = f"sqlite:///{path}"
    if not path.exists():
        print(f"building {path} ...", flush=True)
        migrate.upgrade(url)
        populate(url, incidents, seed=0, progress=False)
    return url


def postgres_database(incidents: int) -> str:
    name = f"bench_dump_{incidents}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).scalar()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
    if not exists:
        print(f"building PostgreSQL database {name} ...", flush=True)
        migrate.upgrade(url)
        populate(url, incidents, seed=0, progress=False)
    return url


def compare(
    label: str, reference: list[str], ours: list[str], runs: int, ref_out: Path | None
) -> None:
    ref_times, our_times, ref_rss, our_rss = [], [], [], []
    for _ in range(runs):
        seconds, rss = measure(reference, ref_out)
        ref_times.append(seconds)
        ref_rss.append(rss)
        seconds, rss = measure(ours)
        our_times.append(seconds)
        our_rss.append(rss)
    ref_t, our_t = statistics.median(ref_times), statistics.median(our_times)
    print(f"\n{label}")
    print(f"  reference: {ref_t:7.2f} s  peak {max(ref_rss):7.1f} MB  $ {shlex.join(reference)}")
    print(f"  export:    {our_t:7.2f} s  peak {max(our_rss):7.1f} MB  $ {shlex.join(ours)}")
    print(f"  speed ratio (reference time / export time): {ref_t / our_t:.2f}x")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=1, help="runs of each command (median)")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    sqlite_url = sqlite_database(args.incidents)
    pg_url = postgres_database(args.incidents)
    python = sys.executable
    db_file = make_url(sqlite_url).database or ""
    print(f"{args.incidents:,} incidents; medians of {args.runs} run(s)")
    compare(
        "SQLite: sqlite-dialect export vs sqlite3 .dump",
        ["sqlite3", db_file, ".dump"],
        [python, "manage.py", "--database-url", sqlite_url, "export", "sql", "--quiet",
         "--dialect", "sqlite", "-o", str(OUT / "export-sqlite.sql")],
        args.runs,
        OUT / "sqlite3-dump.sql",
    )  # fmt: skip
    pg_name = make_url(pg_url).database or ""
    compare(
        "PostgreSQL: postgresql-dialect export vs pg_dump --inserts",
        ["pg_dump", "--inserts", "-h", "127.0.0.1", "-U", "postgres", "-f",
         str(OUT / "pg_dump-inserts.sql"), pg_name],
        [python, "manage.py", "--database-url", pg_url, "export", "sql", "--quiet",
         "--dialect", "postgresql", "-o", str(OUT / "export-postgresql.sql")],
        args.runs,
        None,
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
