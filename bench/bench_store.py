"""Benchmark of the report store (issue 9's figures): reports, incident page, writes, rebuilds
and the first report after a restore, on SQLite and PostgreSQL, in one run.

With the synthetic data set (7 agreements, three nested inside the Sochi zone, itself inside
the Astana zone; ``--incidents`` of them, 1,000,000 by default), on each engine:

1. the HTML and JSON report of the agreement whose report counts the most incidents, beside
   hand-written reads of its stored totals (see :mod:`bench.bench_report`); goal < 200 ms;
2. the incident page through the app, beside hand-written reads of what it shows (the
   incident, its sources, its verdicts with the agreements' names); goal < 30 ms;
3. adding one incident and editing one through the write services (``create_incident``,
   ``update_incident``), at a place and day that four agreements' lenses hold, beside the rows
   an add must write (the incident, its source link, its verdicts, its summary totals)
   written by hand in one committed transaction; goal < 100 ms;
4. ``manage.py db rebuild-reports`` of every agreement, beside a hand-written copy of the
   stored verdict rows into a scratch table; goal < 60 s on SQLite;
5. ``export sql``, ``import sql`` into an empty database (which runs ANALYZE and builds the
   store), then the first report of the largest agreement there against its steady report
   (the median of the next runs); goal: within 2x.

Every figure is printed with its reference and ratio, and the command that reproduces them.
"""

from __future__ import annotations

import argparse
import os
import random
import shlex
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bench.bench_report import (
    ADDED_REF,
    OUT,
    ReportFigures,
    build_stores,
    engine_name,
    machine_line,
    measure_report,
    median_ms,
    postgres_url,
    prepare,
    report_getter,
    report_sizes,
    signed_in_client,
    sqlite_url,
)
from tracker.db import engine_for, session_factory
from tracker.models import Incident, IncidentSource, IncidentVerdict
from tracker.services.incidents import create_incident, update_incident

ROOT = Path(__file__).resolve().parent.parent
#: The most agreements one write may touch in this benchmark (the issue's "up to 4").
TOUCHED = 4


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


# --- the incident page --------------------------------------------------------------------------


def page_incidents(url: str, agreement_id: int, count: int, seed: int) -> list[int]:
    """``count`` incidents drawn at random among those the agreement's lens holds."""
    rng = random.Random(seed)
    with Session(engine_for(url)) as session:
        low, high = session.execute(
            select(
                func.min(IncidentVerdict.incident_id), func.max(IncidentVerdict.incident_id)
            ).where(IncidentVerdict.agreement_id == agreement_id)
        ).one()
        drawn = sorted({rng.randint(low, high) for _ in range(count * 4)})
        ids = list(
            session.scalars(
                select(IncidentVerdict.incident_id).where(
                    IncidentVerdict.agreement_id == agreement_id,
                    IncidentVerdict.incident_id.in_(drawn),
                )
            )
        )
    rng.shuffle(ids)
    return ids[:count]


def page_reads(incident_id: int) -> list[str]:
    """What the incident page shows, read by hand: the incident with its place and actors, its
    sources, and its verdict against each agreement with the agreement's name."""
    i = int(incident_id)
    return [
        "SELECT i.*, p.name_en, p.name_ar, a.name_en, a.name_ar, t.name_en FROM incidents i "
        "LEFT JOIN places p ON p.id = i.place_id LEFT JOIN actors a ON a.id = i.perpetrator_id "
        f"LEFT JOIN actors t ON t.id = i.target_actor_id WHERE i.id = {i}",
        "SELECT l.*, s.title, s.publisher, s.reliability, s.is_confidential FROM "
        f"incident_sources l JOIN sources s ON s.id = l.source_id WHERE l.incident_id = {i}",
        "SELECT v.*, g.slug, g.name_en, g.name_ar FROM incident_verdicts v JOIN agreements g "
        f"ON g.id = v.agreement_id WHERE v.incident_id = {i} ORDER BY g.effective_from",
    ]


@dataclass(frozen=True)
class PageFigures:
    """The incident page's median and its reference's (ms), and the verdicts per page."""

    page: float
    reads: float
    verdicts: float


def measure_page(url: str, client: FlaskClient, agreement_id: int, runs: int) -> PageFigures:
    """Open ``runs`` random incidents of the agreement's lens through the app, and read the
    same incidents by hand."""
    ids = page_incidents(url, agreement_id, runs, seed=runs)
    if not ids:
        raise SystemExit("no incident to open")
    turn = iter(range(10**9))

    def open_page() -> None:
        incident_id = ids[next(turn) % len(ids)]
        response = client.get(f"/incidents/{incident_id}")
        if response.status_code != 200:
            raise SystemExit(f"/incidents/{incident_id} answered {response.status_code}")

    raw: Any = engine_for(url).raw_connection()
    turn_reads = iter(range(10**9))

    def read() -> None:
        cursor = raw.cursor()
        for statement in page_reads(ids[next(turn_reads) % len(ids)]):
            cursor.execute(statement)
            cursor.fetchall()
        cursor.close()
        raw.rollback()

    with Session(engine_for(url)) as session:
        verdicts = session.scalar(select(func.count()).where(IncidentVerdict.incident_id.in_(ids)))
    figures = PageFigures(
        page=median_ms(open_page, len(ids), warm_up=5),
        reads=median_ms(read, len(ids), warm_up=5),
        verdicts=(verdicts or 0) / len(ids),
    )
    raw.close()
    return figures


# --- writes -------------------------------------------------------------------------------------


def _template(session: Session, smallest: list[int]) -> Incident:
    """An incident whose place and day the most agreements' lenses hold, up to
    :data:`TOUCHED` of them (the small agreements are searched, their incidents are few)."""
    per_incident = (
        select(IncidentVerdict.incident_id, func.count().label("n"))
        .group_by(IncidentVerdict.incident_id)
        .subquery()
    )
    chosen = session.execute(
        select(per_incident.c.incident_id, per_incident.c.n)
        .join(IncidentVerdict, IncidentVerdict.incident_id == per_incident.c.incident_id)
        .join(Incident, Incident.id == per_incident.c.incident_id)
        .where(
            IncidentVerdict.agreement_id.in_(smallest),
            per_incident.c.n <= TOUCHED,
            Incident.place_id.is_not(None),
            Incident.date_precision.in_(["day", "time"]),
        )
        .order_by(per_incident.c.n.desc(), per_incident.c.incident_id)
        .limit(1)
    ).first()
    if chosen is None:
        raise SystemExit("no incident to copy")
    return session.get_one(Incident, chosen[0])


def _data(template: Incident, alleged: int | None, category: str, source_id: int | None) -> Any:
    return {
        "ref": f"{ADDED_REF}{uuid.uuid4().hex[:12]}",
        "when": template.occurred_on.isoformat(),
        "alleged_agreement_id": alleged,
        "place_id": template.place_id,
        "perpetrator_id": template.perpetrator_id,
        "category": category,
        "status": "submitted",
        "civilians_killed_best": 1,
        "sources": [{"source_id": source_id, "credibility": 3, "stance": "supports"}]
        if source_id
        else [],
    }


@dataclass
class WriteFigures:
    """Medians of adding and editing one incident, their reference (ms) and what they touched."""

    add: float = 0.0
    edit: float = 0.0
    reference: float = 0.0
    touched_add: set[int] = field(default_factory=set)
    touched_edit: set[int] = field(default_factory=set)
    place_day: str = ""


def _verdict_agreements(session: Session, incident_id: int) -> set[int]:
    return set(
        session.scalars(
            select(IncidentVerdict.agreement_id).where(IncidentVerdict.incident_id == incident_id)
        )
    )


def measure_writes(url: str, runs: int) -> WriteFigures:
    """Add ``runs`` incidents and edit one ``runs`` times through the services, one
    transaction each; the edits swap its category and alleged agreement back and forth."""
    factory = session_factory(url)
    figures = WriteFigures()
    smallest = [agreement_id for agreement_id, _slug, _n in report_sizes(url)[-3:]]
    with factory() as session:
        template = _template(session, smallest)
        agreements = sorted(_verdict_agreements(session, template.id))
        source_id = session.scalar(
            select(IncidentSource.source_id).where(IncidentSource.incident_id == template.id)
        )
        figures.place_day = f"place {template.place_id} on {template.occurred_on}"
    first, other = agreements[0], agreements[-1]
    added: list[float] = []
    created_id = 0
    for _ in range(runs + 1):
        started = time.perf_counter()
        with factory() as session, session.begin():
            created = create_incident(
                session, _data(template, first, "shelling", source_id), actor=None
            )
        added.append(_ms(started))
        created_id = created.id
    with factory() as session:
        figures.touched_add = _verdict_agreements(session, created_id)
    edited: list[float] = []
    for n in range(runs + 1):
        with factory() as session:
            before = _verdict_agreements(session, created_id)
            version = session.get_one(Incident, created_id).version
        alleged, category = (other, "air_strike") if n % 2 == 0 else (first, "shelling")
        started = time.perf_counter()
        with factory() as session, session.begin():
            update_incident(
                session, created_id, _data(template, alleged, category, None), version, actor=None
            )
        edited.append(_ms(started))
        with factory() as session:
            figures.touched_edit |= before | _verdict_agreements(session, created_id)
    figures.add = statistics.median(added[1:])
    figures.edit = statistics.median(edited[1:])
    write, timed = hand_written_add(url, created_id)
    for _ in range(runs + 1):
        write()
    figures.reference = statistics.median(timed[1:])
    return figures


def hand_written_add(url: str, model_id: int) -> tuple[Callable[[], None], list[float]]:
    """The rows that adding an incident like ``model_id`` must write, by hand on the bare
    DB-API connection, in one committed transaction: a copy of its row, its source links and
    its verdicts, and one more incident in the summary totals of each agreement it falls under
    (each call's rows are taken away again afterwards, untimed); the times (ms) are added to
    the list returned with it."""
    columns = ", ".join(c.name for c in Incident.__table__.columns if c.name not in {"id", "ref"})
    links = ", ".join(
        c.name for c in IncidentSource.__table__.columns if c.name not in {"id", "incident_id"}
    )
    verdicts = ", ".join(
        c.name for c in IncidentVerdict.__table__.columns if c.name != "incident_id"
    )
    raw: Any = engine_for(url).raw_connection()
    m = int(model_id)
    totals = (
        "UPDATE report_cells SET incidents = incidents + {step} WHERE audience = 'internal' "
        "AND part = 'summary' AND (agreement_id, finding, k1, k2) IN (SELECT v.agreement_id, "
        "v.finding, i.category, i.status FROM incident_verdicts v JOIN incidents i "
        f"ON i.id = v.incident_id WHERE v.incident_id = {m} AND v.in_report)"
    )

    def write() -> None:
        started = time.perf_counter()
        cursor = raw.cursor()
        cursor.execute(
            f"INSERT INTO incidents ({columns}) SELECT {columns} FROM incidents WHERE id = {m} "
            "RETURNING id"
        )
        new = int(cursor.fetchone()[0])
        cursor.execute(
            f"INSERT INTO incident_sources (incident_id, {links}) SELECT {new}, {links} "
            f"FROM incident_sources WHERE incident_id = {m}"
        )
        cursor.execute(
            f"INSERT INTO incident_verdicts (incident_id, {verdicts}) SELECT {new}, {verdicts} "
            f"FROM incident_verdicts WHERE incident_id = {m}"
        )
        cursor.execute(totals.format(step=1))
        raw.commit()
        timed.append((time.perf_counter() - started) * 1000)
        for table, column in (
            ("incident_verdicts", "incident_id"),
            ("incident_sources", "incident_id"),
            ("incidents", "id"),
        ):
            cursor.execute(f"DELETE FROM {table} WHERE {column} = {new}")
        cursor.execute(totals.format(step=-1))
        raw.commit()
        cursor.close()

    timed: list[float] = []
    return write, timed


# --- rebuilding and restoring -------------------------------------------------------------------


#: Settings given to the PostgreSQL sessions of the commands that build the store
#: (``--pg-build-setting``), through libpq's ``PGOPTIONS``.
BUILD_SETTINGS: list[str] = []


def manage(url: str, *args: str) -> tuple[float, str]:
    """Run ``manage.py --database-url URL ARGS``; its seconds and standard error."""
    command = [sys.executable, "manage.py", "--database-url", url, *args]
    env = dict(os.environ)
    if BUILD_SETTINGS and engine_name(url) == "postgresql":
        env["PGOPTIONS"] = " ".join(f"-c {setting}" for setting in BUILD_SETTINGS)
    started = time.perf_counter()
    with subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    ) as process:
        assert process.stderr is not None
        assert process.stdout is not None
        errors = []
        for line in process.stderr:  # shown as it comes: a rebuild can take minutes
            errors.append(line)
            print(f"    {line.rstrip()}", file=sys.stderr, flush=True)
        output = process.stdout.read()
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"failed: {shlex.join(command)}\n{output}{''.join(errors)}")
    return elapsed, "".join(errors)


@dataclass(frozen=True)
class RebuildFigures:
    """``db rebuild-reports`` (s), its per-agreement lines, and the copy of its rows (s)."""

    seconds: float
    lines: list[str]
    verdicts: int
    copy: float


def measure_rebuild(url: str) -> RebuildFigures:
    """Rebuild every agreement's store with the command line; copy the verdicts by hand."""
    engine_for(url).dispose()
    seconds, errors = manage(url, "db", "rebuild-reports")
    raw: Any = engine_for(url).raw_connection()
    cursor = raw.cursor()
    cursor.execute("SELECT count(*) FROM incident_verdicts")
    verdicts = int(cursor.fetchone()[0])
    started = time.perf_counter()
    cursor.execute("CREATE TEMPORARY TABLE bench_copy AS SELECT * FROM incident_verdicts")
    raw.commit()
    copy = time.perf_counter() - started
    cursor.execute("DROP TABLE bench_copy")
    raw.commit()
    cursor.close()
    raw.close()
    return RebuildFigures(seconds, [line for line in errors.splitlines() if line], verdicts, copy)


@dataclass(frozen=True)
class RestoreFigures:
    """Export and import (s), then the first and steady report on the restored copy (ms)."""

    export: float
    restore: float
    first: float
    steady: float
    size_mb: float


def given_postgres_url(url: str) -> str:
    """``url`` with its database created when missing, on the server of ``url``."""
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": parsed.database}
            )
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    finally:
        admin.dispose()
    return url


def restored_url(url: str) -> str:
    """An empty database beside ``url`` to restore its dump into."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        target = path.with_name(f"{path.stem}-restored.db")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{target}"
    return postgres_url(f"{parsed.database}_restored", fresh=True)


def measure_restore(url: str, slug: str, runs: int) -> RestoreFigures:
    """``export sql`` of ``url``, ``import sql`` into an empty database, then the report of
    ``slug`` there: the first one (the app warmed on the smallest agreement's report), and the
    median of the next ``runs``."""
    engine = engine_name(url)
    dump = OUT / f"{make_url(url).database and Path(make_url(url).database or '').stem}.sql"
    export, _ = manage(url, "export", "sql", "--quiet", "--dialect", engine, "-o", str(dump))
    target = restored_url(url)
    restore, _ = manage(target, "import", "sql", str(dump), "--quiet")
    client = signed_in_client(target)
    smallest = report_sizes(target)[-1][1]
    report_getter(client, smallest)()
    fetch = report_getter(client, slug)
    started = time.perf_counter()
    fetch()
    first = _ms(started)
    steady = median_ms(fetch, runs, warm_up=0)
    engine_for(target).dispose()
    size = dump.stat().st_size / 2**20
    dump.unlink()
    Path(f"{dump}.manifest.json").unlink(missing_ok=True)
    if engine == "postgresql":
        postgres_url(make_url(target).database or "", fresh=True)
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{make_url(target).database}{suffix}").unlink(missing_ok=True)
    return RestoreFigures(export, restore, first, steady, size)


# --- the run ------------------------------------------------------------------------------------


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def page_lines(p: PageFigures) -> list[str]:
    return [
        f"  incident page (GET /incidents/<id>){p.page:9.1f} ms  "
        f"({p.page / p.reads:.1f}x its reads, {p.verdicts:.1f} verdicts a page)  "
        f"goal < 30 ms: {_verdict(p.page < 30)}",
        f"  reference: the page's reads        {p.reads:9.1f} ms  "
        "(incident, places, actors, sources, verdicts with agreements)",
    ]


def write_lines(w: WriteFigures) -> list[str]:
    return [
        f"  add one incident (service)         {w.add:9.1f} ms  "
        f"({w.add / w.reference:.1f}x its rows by hand; touches {len(w.touched_add)} "
        f"agreements)  goal < 100 ms: {_verdict(w.add < 100)}",
        f"  edit one incident (service)        {w.edit:9.1f} ms  "
        f"({w.edit / w.reference:.1f}x the add by hand; touches {len(w.touched_edit)} "
        f"agreements)  goal < 100 ms: {_verdict(w.edit < 100)}",
        f"  reference: the add's rows by hand  {w.reference:9.2f} ms  ({w.place_day})",
    ]


def rebuild_lines(b: RebuildFigures, engine: str) -> list[str]:
    goal = f"goal < 60 s: {_verdict(b.seconds < 60)}" if engine == "sqlite" else "(goal on SQLite)"
    return [
        f"  db rebuild-reports (7 agreements)  {b.seconds:9.1f} s   "
        f"({b.seconds / b.copy:.0f}x copying its {b.verdicts:,} verdict rows)  {goal}",
        *(f"    {line.strip()}" for line in b.lines),
        f"  reference: copy of the verdicts    {b.copy:9.1f} s",
    ]


def restore_lines(s: RestoreFigures) -> list[str]:
    return [
        f"  export sql                         {s.export:9.1f} s   ({s.size_mb:,.0f} MB)",
        f"  import sql (ANALYZE, store built)  {s.restore:9.1f} s",
        f"  first report after import sql      {s.first:9.1f} ms  "
        f"({s.first / s.steady:.2f}x the steady one)  goal within 2x: "
        f"{_verdict(s.first <= 2 * s.steady)}",
        f"  reference: steady report there     {s.steady:9.1f} ms",
    ]


def _show(lines: list[str]) -> None:
    """Print figures on standard error as soon as they are measured (a long run that is
    stopped keeps what it measured)."""
    print("\n".join(lines), file=sys.stderr, flush=True)


@dataclass(frozen=True)
class EngineFigures:
    """Everything measured on one engine."""

    engine: str
    report: ReportFigures | None
    page: PageFigures | None
    writes: WriteFigures | None
    rebuild: RebuildFigures | None
    restore: RestoreFigures | None

    def lines(self) -> list[str]:
        return [
            *(self.report.lines() if self.report else []),
            *(page_lines(self.page) if self.page else []),
            *(write_lines(self.writes) if self.writes else []),
            *(rebuild_lines(self.rebuild, self.engine) if self.rebuild else []),
            *(restore_lines(self.restore) if self.restore else []),
        ]


#: What the benchmark can measure, in the order it measures them.
MEASURES = ("rebuild", "report", "page", "writes", "restore")


def bench_engine(
    url: str, incidents: int, seed: int, runs: int, measures: Sequence[str] = MEASURES
) -> EngineFigures:
    """Load (or reuse) ``url`` and measure on it what ``measures`` names (without
    ``rebuild``, the stores that are missing are built first, untimed)."""
    prepare(url, incidents, seed)
    engine = engine_name(url)
    rebuild = report = page = writes = restore = None
    if "rebuild" in measures:
        rebuild = measure_rebuild(url)  # builds the store of the fresh load
        _show([f"{engine}:", *rebuild_lines(rebuild, engine)])
    else:
        build_stores(url)
        _show([f"{engine}:"])
    if {"report", "page", "restore"} & set(measures):
        report = measure_report(url, runs)
        _show(report.lines())
    if "page" in measures:
        agreement_id = report_sizes(url)[0][0]
        page = measure_page(url, signed_in_client(url), agreement_id, runs * 5)
        _show(page_lines(page))
    if "writes" in measures:
        writes = measure_writes(url, runs)
        _show(write_lines(writes))
    if "restore" in measures and report is not None:
        restore = measure_restore(url, report.slug, runs)
        _show(restore_lines(restore))
    engine_for(url).dispose()
    return EngineFigures(engine, report, page, writes, rebuild, restore)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bench.bench_store [--incidents N] [--runs R] [--no-postgres]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=1_000_000, help="incidents to load")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the data set")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per measure")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument(
        "--postgres-url",
        help="PostgreSQL database (created when missing, loaded when it holds no complete "
        "load; default: bench_lens_<N>_seed<S> on the server of TRACKER_BENCH_POSTGRES_URL)",
    )
    parser.add_argument(
        "--pg-build-setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a PostgreSQL setting for the commands that build the store (rebuild-reports, "
        "import sql), e.g. enable_nestloop=off; repeatable",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=MEASURES,
        help="measure only this (repeatable; the report is measured whenever the page or the "
        "restore is); by default everything",
    )
    args = parser.parse_args(argv)
    BUILD_SETTINGS[:] = args.pg_build_setting
    OUT.mkdir(parents=True, exist_ok=True)
    urls = [] if args.no_sqlite else [sqlite_url(args.incidents, args.seed)]
    if not args.no_postgres:
        urls.append(
            given_postgres_url(args.postgres_url)
            if args.postgres_url
            else postgres_url(f"bench_lens_{args.incidents}_seed{args.seed}")
        )
    results: list[EngineFigures] = []
    for url in urls:
        results.append(
            bench_engine(url, args.incidents, args.seed, args.runs, args.only or MEASURES)
        )
    print(machine_line(args.runs) + f", {args.incidents:,} synthetic incidents")
    if BUILD_SETTINGS and not args.no_postgres:
        print(f"PostgreSQL store builds ran with: {', '.join(BUILD_SETTINGS)}")
    for figures in results:
        print("\n".join(figures.lines()))
    command = "python -m bench.bench_store " + shlex.join(sys.argv[1:] if argv is None else argv)
    print(f"reproduce with: {command}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
