"""Benchmark of the largest agreement's report (HTML and JSON) beside hand-written reads of
what it reads from the report store.

Every agreement is a lens over all incidents: its report counts the incidents whose stored
verdict against it is in the report (:class:`tracker.models.IncidentVerdict`), and every
figure comes from its stored totals (:class:`tracker.models.ReportCell`). With the synthetic
data set (7 agreements, three nested inside the Sochi zone, itself inside the Astana zone),
the agreement whose report counts the most incidents (read from the store) is requested
through the Flask test client, signed in as an analyst. Two references run in the same
process on the bare DB-API connection:

- **totals**: hand-written reads of the agreement's stored totals, as the report reads them
  (the ``report_cells`` rows of the agreement and audience);
- **reads**: those totals, plus the incidents the report lists (newest, first outside scope,
  first indeterminate) with their sources, and the names of places and actors: all the data
  the report reads, so that the rest of its time is Python building and rendering it.

Then the report of the busiest calendar month of the agreement's record (goal under 200 ms)
and the incidents list filtered to the agreement's contested incidents (goal under 30 ms) are
timed the same way. Medians and ratios are printed with the command. ``bench.bench_store``
runs this with the other measures of the report store (writes, rebuilds, the first report
after a restore).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shlex
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bench.synthetic import AGREEMENTS, populate
from tracker import migrate
from tracker.app import create_app, freeze_startup_heap
from tracker.db import engine_for, session_factory
from tracker.models import Agreement, Incident, IncidentSource, ReportCell, User
from tracker.queries.report_cells import SUMMARY_MEASURES
from tracker.services.report_rebuild import ensure_all_built
from tracker.services.users import create_user

OUT = Path(__file__).resolve().parent / "out"
USERNAME = "bench-report-analyst"
PASSWORD = "quiet-harbour-2019"  # noqa: S105 (a local benchmark account)
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
#: Where benchmark databases are created on PostgreSQL (any database of the server).
PG_ADMIN = os.environ.get(
    "TRACKER_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
#: The refs of the incidents the benchmarks add, left out when checking a load.
ADDED_REF = "bench-added-"
#: What the report lists (see ``TABLE_LIMIT`` and ``REASON_LIST_LIMIT`` of the reports).
LISTED = 100


def sqlite_url(incidents: int, seed: int) -> str:
    """The default SQLite database of a load of ``incidents`` under ``bench/out/``."""
    return f"sqlite:///{OUT / f'lens-{incidents}-seed{seed}.db'}"


def postgres_url(name: str, *, fresh: bool = False) -> str:
    """The URL of the PostgreSQL database ``name`` on the server of :data:`PG_ADMIN`, created
    when missing (dropped first when ``fresh``)."""
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if fresh:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            exists = conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)


def engine_name(url: str) -> str:
    """``sqlite`` or ``postgresql``."""
    return make_url(url).get_backend_name()


def _not_added_here() -> Any:
    return func.coalesce(Incident.ref, "").not_like(f"{ADDED_REF}%")


def is_complete(url: str, incidents: int) -> bool:
    """Whether ``url`` holds a finished synthetic load of ``incidents`` incidents over the
    current synthetic agreements (its last table, the source links, is filled)."""
    if migrate.current_revision(url) is None:
        return False
    with Session(engine_for(url)) as session:
        count = session.scalar(select(func.count()).select_from(Incident).where(_not_added_here()))
        links = session.scalar(select(func.count()).select_from(IncidentSource))
        agreements = session.scalar(select(func.count()).select_from(Agreement))
    return count == incidents and (links or 0) > incidents and agreements == len(AGREEMENTS)


def prepare(url: str, incidents: int, seed: int) -> None:
    """Reuse a complete load at ``url`` (its schema upgraded to the current one); else load
    one into a fresh SQLite file, or into the PostgreSQL database dropped and created again."""
    if is_complete(url, incidents):
        print(f"reusing the loaded database {url}", file=sys.stderr)
        migrate.upgrade(url)
        return
    parsed = make_url(url)
    engine_for(url).dispose()
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{parsed.database}{suffix}").unlink(missing_ok=True)
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    elif parsed.database:
        postgres_url(parsed.database, fresh=True)
    print(f"loading {incidents:,} synthetic incidents into {url}", file=sys.stderr)
    populate(url, incidents, seed=seed)


def build_stores(url: str) -> float:
    """Build the report store of every agreement that lacks one; the seconds it took."""
    started = time.perf_counter()
    with session_factory(url)() as session, session.begin():
        built = ensure_all_built(session)
    if built:
        print(f"built the report store of {len(built)} agreement(s)", file=sys.stderr)
    return time.perf_counter() - started


def signed_in_client(url: str) -> FlaskClient:
    """A test client of the app on ``url``, signed in as an analyst through the real form."""
    with session_factory(url)() as session, session.begin():
        if session.scalar(select(User.id).where(User.username == USERNAME)) is None:
            create_user(session, USERNAME, PASSWORD, "analyst")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-secret-key"})
    freeze_startup_heap(app)  # as the production entry point tracker.wsgi does
    client = app.test_client()
    match = CSRF_FIELD.search(client.get("/login").get_data(as_text=True))
    if match is None:
        raise SystemExit("the sign-in page has no CSRF token")
    response = client.post(
        "/login", data={"username": USERNAME, "password": PASSWORD, "csrf_token": match.group(1)}
    )
    if response.status_code != 302:
        raise SystemExit(f"sign-in failed with status {response.status_code}")
    return client


def report_sizes(url: str) -> list[tuple[int, str, int]]:
    """Every agreement's id, slug and the incidents its (internal) report counts, read from
    the stored totals, largest first."""
    counted = func.coalesce(func.sum(ReportCell.incidents), 0)
    with Session(engine_for(url)) as session:
        rows = session.execute(
            select(Agreement.id, Agreement.slug, counted)
            .outerjoin(
                ReportCell,
                (ReportCell.agreement_id == Agreement.id)
                & (ReportCell.audience == "internal")
                & (ReportCell.part == "summary"),
            )
            .group_by(Agreement.id, Agreement.slug)
            .order_by(counted.desc(), Agreement.id)
        ).all()
    return [(int(i), str(slug), int(n)) for i, slug, n in rows]


def stored_totals(agreement_id: int) -> list[str]:
    """The report's reads of its stored totals, hand-written: the ``report_cells`` rows of the
    agreement and the internal audience (the summary with its measures, the other parts with
    theirs, the timeline by category and its imprecise date ranges)."""
    own = f"agreement_id = {int(agreement_id)} AND audience = 'internal'"
    keys = "part, finding, k1, k2"
    return [
        f"SELECT {keys}, {', '.join(SUMMARY_MEASURES)} FROM report_cells "
        f"WHERE {own} AND part = 'summary'",
        f"SELECT {keys}, incidents, violations, contested, indeterminate, outside_scope, "
        "sources, citations, independent, disputed, blamed_perpetrator FROM report_cells "
        f"WHERE {own} AND part IN "
        "('perpetrator', 'place', 'provision', 'span', 'grades', 'quality', 'blame')",
        f"SELECT {keys}, incidents FROM report_cells WHERE {own} AND part = 'day_category'",
        f"SELECT {keys}, incidents FROM report_cells WHERE {own} AND part = 'date_range'",
    ]


def stored_reads(agreement_id: int) -> list[str]:
    """All the data the report reads, hand-written: its stored totals, the incidents it lists
    with their sources, and the names of places and actors."""
    own = f"iv.agreement_id = {int(agreement_id)} AND iv.in_report = TRUE"
    counted = "i.status IN ('submitted', 'verified', 'disputed')"
    first = (
        "SELECT iv.incident_id FROM incident_verdicts iv JOIN incidents i "
        f"ON i.id = iv.incident_id WHERE {own} AND iv.finding = {{f}} AND {counted} "
        f"ORDER BY iv.occurred_on, iv.incident_id LIMIT {LISTED}"
    )
    newest = (
        "SELECT iv.incident_id FROM incident_verdicts iv JOIN incidents i "
        f"ON i.id = iv.incident_id WHERE {own} AND {counted} "
        f"ORDER BY iv.occurred_on DESC, iv.incident_id DESC LIMIT {LISTED}"
    )
    chosen = (
        f"SELECT incident_id FROM ({first.format(f=2)}) AS a UNION "
        f"SELECT incident_id FROM ({first.format(f=3)}) AS b UNION "
        f"SELECT incident_id FROM ({newest}) AS c"
    )
    return [
        *stored_totals(agreement_id),
        "SELECT id, name_en, name_ar, latitude, longitude, admin1_name, admin2_name FROM places",
        "SELECT id, slug, name_en, name_ar, parent_id FROM actors",
        "SELECT i.*, l.*, s.*, v.finding FROM incidents i "
        "LEFT JOIN incident_sources l ON l.incident_id = i.id "
        "LEFT JOIN sources s ON s.id = l.source_id "
        f"JOIN incident_verdicts v ON v.incident_id = i.id AND v.agreement_id = {agreement_id} "
        f"WHERE i.id IN ({chosen})",
    ]


def run_raw(url: str, statements: Sequence[str]) -> Callable[[], None]:
    """A function running ``statements`` on the bare DB-API connection, fetching every row."""
    raw: Any = engine_for(url).raw_connection()

    def run() -> None:
        cursor = raw.cursor()
        for statement in statements:
            cursor.execute(statement)
            cursor.fetchall()
        cursor.close()
        raw.rollback()

    return run


def median_ms(action: Callable[[], object], runs: int, warm_up: int = 1) -> float:
    """The median wall time of ``action`` over ``runs`` runs, after ``warm_up`` runs."""
    for _ in range(warm_up):
        action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def report_getter(client: FlaskClient, slug: str, query: str = "") -> Callable[[], None]:
    """A function requesting the report of ``slug`` (with ``query``), checking its status."""
    return page_getter(client, f"/agreements/{slug}/report{query}")


@dataclass(frozen=True)
class ReportFigures:
    """The report's medians and its references' (ms), on one engine."""

    engine: str
    slug: str
    incidents: int
    html: float
    json: float
    totals: float
    reads: float
    #: the busiest calendar month of its record ("YYYY-MM") and its report's HTML
    month: str
    month_html: float
    #: the incidents list filtered to the agreement's contested incidents
    verdict_list: float

    def lines(self) -> list[str]:
        return [
            f"{self.engine}: report of {self.slug} ({self.incidents:,} incidents counted)",
            f"  HTML report                        {self.html:9.1f} ms  "
            f"({self.html / self.totals:.1f}x the stored totals, "
            f"{self.html / self.reads:.1f}x all its reads)  goal < 200 ms: "
            f"{'met' if self.html < 200 else 'MISSED'}",
            f"  JSON report                        {self.json:9.1f} ms  "
            f"({self.json / self.totals:.1f}x the stored totals)",
            f"  HTML report of {self.month}             {self.month_html:9.1f} ms  "
            f"(its busiest month)  goal < 200 ms: {'met' if self.month_html < 200 else 'MISSED'}",
            f"  incidents list, contested only     {self.verdict_list:9.1f} ms  "
            f"(?agreement={self.slug}&verdict=contested)  goal < 30 ms: "
            f"{'met' if self.verdict_list < 30 else 'MISSED'}",
            f"  reference: its stored totals       {self.totals:9.1f} ms  "
            "(hand-written reads of its report_cells rows)",
            f"  reference: all its reads           {self.reads:9.1f} ms  "
            "(the totals, listed incidents with sources, places, actors)",
        ]


def busiest_month(url: str, agreement_id: int) -> str:
    """The calendar month ("YYYY-MM") of the agreement's record with the most incidents on its
    timeline, read from its stored day cells."""
    month = func.substr(ReportCell.k1, 1, 7)
    with session_factory(url)() as session:
        return str(
            session.scalars(
                select(month)
                .where(
                    ReportCell.agreement_id == agreement_id,
                    ReportCell.audience == "internal",
                    ReportCell.part == "day_category",
                )
                .group_by(month)
                .order_by(func.sum(ReportCell.incidents).desc(), month)
                .limit(1)
            ).one()
        )


def month_query(month: str) -> str:
    """The report's query string for the whole calendar month ``month`` ("YYYY-MM")."""
    first = dt.date.fromisoformat(f"{month}-01")
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return f"?from={first.isoformat()}&to={last.isoformat()}"


def page_getter(client: FlaskClient, path: str) -> Callable[[], None]:
    """A function requesting ``path``, checking its status."""

    def fetch() -> None:
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")

    return fetch


def measure_report(url: str, runs: int) -> ReportFigures:
    """Time the largest agreement's report and its references on one loaded, built database,
    then the report of its busiest month and its contested incidents in the list."""
    agreement_id, slug, count = report_sizes(url)[0]
    client = signed_in_client(url)
    month = busiest_month(url, agreement_id)
    return ReportFigures(
        engine=engine_name(url),
        slug=slug,
        incidents=count,
        html=median_ms(report_getter(client, slug), runs),
        json=median_ms(report_getter(client, slug, "?format=json"), runs),
        totals=median_ms(run_raw(url, stored_totals(agreement_id)), runs),
        reads=median_ms(run_raw(url, stored_reads(agreement_id)), runs),
        month=month,
        month_html=median_ms(report_getter(client, slug, month_query(month)), runs),
        verdict_list=median_ms(
            page_getter(client, f"/incidents/?agreement={slug}&verdict=contested"), runs
        ),
    )


def machine_line(runs: int) -> str:
    """Python, SQLite, cores and load: what the figures were measured on."""
    import sqlite3

    return (
        f"# {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {platform.python_implementation()} "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}, {os.cpu_count()} cores "
        f"(load average {os.getloadavg()[0]:.1f}), medians of {runs} runs"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bench.bench_report [--incidents N] [--runs R] [--no-postgres]
    [--postgres-database NAME]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=1_000_000, help="incidents to load")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the data set")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per measure")
    parser.add_argument("--no-postgres", action="store_true", help="time SQLite only")
    parser.add_argument(
        "--postgres-database",
        help="the PostgreSQL database to load and time, created when missing "
        "(default: bench_lens_<incidents>_seed<seed>)",
    )
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    urls = [sqlite_url(args.incidents, args.seed)]
    if not args.no_postgres:
        name = args.postgres_database or f"bench_lens_{args.incidents}_seed{args.seed}"
        urls.append(postgres_url(name))
    results = []
    for url in urls:
        prepare(url, args.incidents, args.seed)
        build_stores(url)
        results.append(measure_report(url, args.runs))
    print(machine_line(args.runs))
    for figures in results:
        print("\n".join(figures.lines()))
    command = "python -m bench.bench_report " + shlex.join(sys.argv[1:] if argv is None else argv)
    print(f"reproduce with: {command}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
