"""Benchmark of an agreement's report (HTML and JSON) against the same aggregates in raw SQL.

With 1,000,000 synthetic incidents over 5 agreements, the report of the agreement holding
about 200,000 of them is requested through the Flask test client (signed in as an analyst).
Two references run in the same process on the bare DB-API connection:

- **SQL**: the report's aggregates hand-written over the incidents, one query per aggregate
  (what a report costs without the stored totals);
- **stored SQL**: hand-written reads of what the report reads (the stored totals, the listed
  incidents with their sources, the names of places and actors): the floor of the app's way.

The report store of every agreement is built first (timed), and the report is timed again
right after an incident is added through the write service (its totals are then kept
current, not rebuilt). Medians and ratios are printed with the command.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import re
import shlex
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bench.synthetic import populate
from tracker import migrate
from tracker.app import create_app, freeze_startup_heap
from tracker.db import engine_for, session_factory
from tracker.models import Agreement, Incident, IncidentSource, User
from tracker.queries.applicability import judged_agreements
from tracker.queries.report_verdicts import load_gazetteer, verdict_sql
from tracker.services.incidents import create_incident
from tracker.services.report_store import ensure_built
from tracker.services.users import create_user

OUT = Path(__file__).resolve().parent / "out"
USERNAME = "bench-report-analyst"
PASSWORD = "bench-password-2019"  # noqa: S105 (a local benchmark account)
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TARGET = 200_000


def is_complete(url: str, incidents: int) -> bool:
    """Whether ``url`` holds a finished synthetic load of ``incidents`` incidents."""
    if migrate.current_revision(url) is None:
        return False
    with Session(engine_for(url)) as session:
        count = session.scalar(select(func.count()).select_from(Incident).where(_not_added_here()))
        links = session.scalar(select(func.count()).select_from(IncidentSource))
    return count == incidents and (links or 0) > incidents


def prepare(url: str, incidents: int, seed: int) -> None:
    """Reuse a complete load at ``url``, else load one (a fresh file on SQLite; an empty
    database elsewhere)."""
    if is_complete(url, incidents):
        print(f"reusing the loaded database {url}", file=sys.stderr)
        return
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        engine_for(url).dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{parsed.database}{suffix}").unlink(missing_ok=True)
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    print(f"loading {incidents:,} synthetic incidents into {url}", file=sys.stderr)
    populate(url, incidents, seed=seed)


ADDED_REF = "bench-report-added-"


def _not_added_here() -> Any:
    """Leave out the incidents this benchmark adds (see :func:`add_incident`)."""
    return func.coalesce(Incident.ref, "").not_like(f"{ADDED_REF}%")


def build_stores(url: str) -> float:
    """Build the report store of every agreement that lacks one; the seconds it took."""
    started = time.perf_counter()
    with session_factory(url)() as session, session.begin():
        for agreement_id, slug in session.execute(select(Agreement.id, Agreement.slug)).all():
            if ensure_built(session, agreement_id):
                print(f"built the report store of {slug}", file=sys.stderr)
    return time.perf_counter() - started


def add_incident(url: str, slug: str) -> None:
    """Add one incident to ``slug`` through the write service (as the incident form does)."""
    with session_factory(url)() as session, session.begin():
        agreement = session.scalars(select(Agreement).where(Agreement.slug == slug)).one()
        day = agreement.effective_from.date() + dt.timedelta(days=2)
        create_incident(
            session,
            {
                "ref": f"{ADDED_REF}{uuid.uuid4().hex[:12]}",
                "when": day.isoformat(),
                "agreement_id": agreement.id,
                "category": "shelling",
                "status": "submitted",
            },
            actor=None,
        )


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


def pick_agreement(url: str) -> tuple[str, int]:
    """The agreement whose incident count is closest to 200,000, with that count."""
    with Session(engine_for(url)) as session:
        counts = session.execute(
            select(Agreement.slug, func.count(Incident.id))
            .join(Incident, Incident.agreement_id == Agreement.id)
            .where(_not_added_here())
            .group_by(Agreement.slug)
        ).all()
    slug, count = min(counts, key=lambda row: abs(row[1] - TARGET))
    return str(slug), int(count)


def hand_written(url: str, slug: str) -> list[str]:
    """The report's aggregates as plain SQL, one query per aggregate. The verdict is the same
    per-incident CASE the app uses (written out with its values); the rest is written by hand."""
    engine = engine_for(url)
    with Session(engine) as session:
        agreement = session.scalars(judged_agreements().where(Agreement.slug == slug)).one()
        verdict = verdict_sql(session, agreement, load_gazetteer(session))
        compiled = verdict.finding.compile(
            dialect=engine.dialect, compile_kwargs={"literal_binds": True}
        )
        agreement_id = agreement.id
    v = str(compiled)
    scope = f"incidents.agreement_id = {agreement_id} AND incidents.status <> 'retracted'"
    links = (
        "incident_sources l JOIN incidents ON incidents.id = l.incident_id "
        "JOIN sources s ON s.id = l.source_id"
    )
    active = "l.state = 'active' AND s.state = 'active'"
    casualties = ", ".join(
        f"sum(coalesce(incidents.{g}_low, incidents.{g}_best, 0)), "
        f"sum(coalesce(incidents.{g}_best, incidents.{g}_low, 0)), "
        f"sum(coalesce(incidents.{g}_high, incidents.{g}_best, incidents.{g}_low, 0))"
        for g in ("civilians_killed", "civilians_injured", "combatants_killed")
    )
    return [
        f"SELECT {v} AS v, incidents.category, incidents.status, count(*), {casualties}, "
        + "".join(
            f"sum(CASE WHEN incidents.count_qualifier = '{q}' "
            "THEN incidents.event_count ELSE 0 END), "
            for q in ("exact", "about", "at_least", "more_than")
        )
        + f"count(incidents.event_count) FROM incidents WHERE {scope} GROUP BY 1, 2, 3",
        f"SELECT {v} AS v, incidents.perpetrator_id, count(*) FROM incidents "
        f"WHERE {scope} GROUP BY 1, 2",
        f"SELECT {v} AS v, p.admin1_name, p.admin2_name, count(*) FROM incidents "
        f"LEFT JOIN places p ON p.id = incidents.place_id WHERE {scope} GROUP BY 1, 2, 3",
        f"SELECT {v} AS v, p.id, p.latitude, p.longitude, count(*) FROM incidents "
        f"JOIN places p ON p.id = incidents.place_id WHERE {scope} AND p.latitude IS NOT NULL "
        "GROUP BY 1, 2, 3, 4",
        f"SELECT {v} AS v, ip.provision_id, count(*) FROM incidents "
        f"JOIN incident_provisions ip ON ip.incident_id = incidents.id WHERE {scope} GROUP BY 1, 2",
        "SELECT incidents.occurred_on, incidents.category, count(*) FROM incidents "
        f"WHERE {scope} GROUP BY 1, 2",
        f"SELECT s.reliability, count(DISTINCT s.id), count(*) FROM {links} "
        f"WHERE {scope} AND {active} GROUP BY 1",
        "SELECT count(*), sum(CASE WHEN n >= 2 THEN 1 ELSE 0 END) FROM ("
        "SELECT l.incident_id, count(DISTINCT CASE WHEN l.stance = 'supports' THEN "
        "coalesce(nullif(lower(trim(s.publisher)), ''), '#' || CAST(s.id AS VARCHAR)) END) AS n "
        f"FROM {links} WHERE {scope} AND {active} GROUP BY l.incident_id) AS q",
        "SELECT l.blames_actor_id, count(DISTINCT l.incident_id), "
        "count(DISTINCT CASE WHEN d.sides > 1 THEN l.incident_id END), "
        "count(DISTINCT CASE WHEN l.blames_actor_id = incidents.perpetrator_id "
        "THEN l.incident_id END) "
        f"FROM {links} JOIN (SELECT l.incident_id, count(DISTINCT l.blames_actor_id) AS sides "
        f"FROM {links} WHERE {scope} AND {active} AND l.blames_actor_id IS NOT NULL "
        "GROUP BY l.incident_id) AS d ON d.incident_id = l.incident_id "
        f"WHERE {active} AND l.blames_actor_id IS NOT NULL GROUP BY l.blames_actor_id",
        f"SELECT id FROM (SELECT incidents.id, {v} AS v FROM incidents WHERE {scope}) AS q "
        "WHERE v IN (2, 3) ORDER BY id LIMIT 400",
        f"SELECT incidents.id FROM incidents WHERE {scope} "
        "ORDER BY incidents.occurred_on DESC, incidents.id DESC LIMIT 200",
    ]


def stored_reads(url: str, slug: str) -> list[str]:
    """What the report reads, hand-written: its stored totals, its listed incidents with their
    sources, and the names of places and actors."""
    with Session(engine_for(url)) as session:
        agreement_id = session.scalars(select(Agreement.id).where(Agreement.slug == slug)).one()
    own = f"agreement_id = {agreement_id}"
    measures = ", ".join(f"n{i}" for i in range(15))
    listed = (
        "SELECT iv.incident_id FROM incident_verdicts iv JOIN incidents i "
        f"ON i.id = iv.incident_id WHERE iv.{own} AND iv.finding = {{f}} "
        "AND i.status <> 'retracted' ORDER BY iv.occurred_on, iv.incident_id LIMIT 100"
    )
    newest = (
        f"SELECT id FROM incidents WHERE {own} AND status <> 'retracted' "
        "ORDER BY occurred_on DESC, id DESC LIMIT 100"
    )
    chosen = (
        f"SELECT incident_id FROM ({listed.format(f=2)}) AS a UNION "
        f"SELECT incident_id FROM ({listed.format(f=3)}) AS b UNION "
        f"SELECT id FROM ({newest}) AS c"
    )
    return [
        f"SELECT part, finding, k1, k2, {measures} FROM report_cells WHERE {own} "
        "AND audience = 'internal' AND part IN ('summary', 'perpetrator', 'place', "
        "'provision', 'day_category', 'span', 'grades', 'quality', 'blame')",
        "SELECT id, name_en, latitude, longitude, admin1_name, admin2_name FROM places",
        "SELECT id, slug, name_en, parent_id FROM actors",
        f"SELECT i.*, l.*, s.* FROM incidents i LEFT JOIN incident_sources l "
        "ON l.incident_id = i.id LEFT JOIN sources s ON s.id = l.source_id "
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


def median_ms(action: Callable[[], object], runs: int) -> float:
    """The median wall time of ``action`` over ``runs`` runs, after one warm-up run."""
    action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def bench_engine(url: str, incidents: int, seed: int, runs: int) -> dict[str, Any]:
    """Time the report and its hand-written SQL on one database."""
    prepare(url, incidents, seed)
    built = build_stores(url)
    slug, count = pick_agreement(url)
    client = signed_in_client(url)
    path = f"/agreements/{slug}/report"

    def get(query: str) -> Callable[[], None]:
        def fetch() -> None:
            response = client.get(path + query)
            if response.status_code != 200:
                raise SystemExit(f"{path}{query} answered {response.status_code}")

        return fetch

    statements = hand_written(url, slug)
    html = median_ms(get(""), runs)
    started = time.perf_counter()
    add_incident(url, slug)
    added = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    get("")()
    after_write = (time.perf_counter() - started) * 1000
    return {
        "engine": make_url(url).get_backend_name(),
        "slug": slug,
        "incidents": count,
        "built": built,
        "html": html,
        "json": median_ms(get("?format=json"), runs),
        "sql": median_ms(run_raw(url, statements), runs),
        "stored": median_ms(run_raw(url, stored_reads(url, slug)), runs),
        "added": added,
        "after_write": after_write,
        "queries": len(statements),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bench.bench_report [--incidents N] [--runs R] [--sqlite-url URL]
    [--postgres-url URL | --no-postgres]``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--incidents", type=int, default=1_000_000, help="incidents to load")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the data set")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measure")
    parser.add_argument("--sqlite-url", help="SQLite database (default under bench/out/)")
    parser.add_argument(
        "--postgres-url",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/bench_report",
        help="PostgreSQL database (created empty beforehand; loaded on first run)",
    )
    parser.add_argument("--no-postgres", action="store_true", help="time SQLite only")
    args = parser.parse_args(argv)
    sqlite_url = args.sqlite_url or (
        f"sqlite:///{OUT / f'synthetic-{args.incidents}-seed{args.seed}.db'}"
    )
    urls = [sqlite_url] + ([] if args.no_postgres else [args.postgres_url])
    results = [bench_engine(url, args.incidents, args.seed, args.runs) for url in urls]
    command = "python -m bench.bench_report " + shlex.join(sys.argv[1:] if argv is None else argv)
    print(
        f"# report benchmark, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, "
        f"{platform.python_implementation()} {platform.python_version()}, {args.runs} runs"
    )
    print(
        f"{'engine':<11}{'agreement':<26}{'incidents':>10}{'HTML ms':>9}{'JSON ms':>9}"
        f"{'SQL ms':>9}{'HTML/SQL':>9}{'stored':>8}{'HTML/st':>8}{'write':>7}{'next':>6}"
    )
    for r in results:
        print(
            f"{r['engine']:<11}{r['slug']:<26}{r['incidents']:>10,}{r['html']:>9.0f}"
            f"{r['json']:>9.0f}{r['sql']:>9.0f}{r['html'] / r['sql']:>9.2f}"
            f"{r['stored']:>8.1f}{r['html'] / r['stored']:>8.1f}{r['added']:>7.0f}"
            f"{r['after_write']:>6.0f}"
        )
    print(
        f"(SQL: the same aggregates hand-written over the incidents, {results[0]['queries']} "
        "queries; stored: hand-written reads of what the report reads; write: adding one "
        "incident through the service, next: the report right after it, in ms; goals: HTML "
        "median under 300 ms and within 2x of SQL)"
    )
    for r in results:
        print(f"report store of all agreements built on {r['engine']} in {r['built']:.1f} s")
    print(f"command: {command}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
