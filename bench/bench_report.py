"""Benchmark of an agreement's report (HTML and JSON) against the same aggregates in raw SQL.

With 1,000,000 synthetic incidents over 5 agreements, the report of the agreement holding
about 200,000 of them is requested through the Flask test client (signed in as an analyst),
and the same aggregates are run as hand-written SQL, one query per aggregate, on the bare
DB-API connection in the same run. Medians and the ratio are printed with the command.
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
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, selectinload

from bench.synthetic import populate
from tracker import create_app, migrate
from tracker.db import engine_for, session_factory
from tracker.models import Agreement, AgreementParty, Incident, IncidentSource, User
from tracker.queries.report_verdicts import load_gazetteer, verdict_sql
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
        count = session.scalar(select(func.count()).select_from(Incident))
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


def signed_in_client(url: str) -> FlaskClient:
    """A test client of the app on ``url``, signed in as an analyst through the real form."""
    with session_factory(url)() as session, session.begin():
        if session.scalar(select(User.id).where(User.username == USERNAME)) is None:
            create_user(session, USERNAME, PASSWORD, "analyst")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-secret-key"})
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
            .group_by(Agreement.slug)
        ).all()
    slug, count = min(counts, key=lambda row: abs(row[1] - TARGET))
    return str(slug), int(count)


def hand_written(url: str, slug: str) -> list[str]:
    """The report's aggregates as plain SQL, one query per aggregate. The verdict is the same
    per-incident CASE the app uses (written out with its values); the rest is written by hand."""
    engine = engine_for(url)
    with Session(engine) as session:
        agreement = session.scalars(
            select(Agreement)
            .where(Agreement.slug == slug)
            .options(
                selectinload(Agreement.parties).selectinload(AgreementParty.actor),
                selectinload(Agreement.provisions),
                selectinload(Agreement.territories),
            )
        ).one()
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
    return {
        "engine": make_url(url).get_backend_name(),
        "slug": slug,
        "incidents": count,
        "html": median_ms(get(""), runs),
        "json": median_ms(get("?format=json"), runs),
        "sql": median_ms(run_raw(url, statements), runs),
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
        f"{'engine':<11}{'agreement':<26}{'incidents':>10}{'HTML ms':>10}{'JSON ms':>10}"
        f"{'SQL ms':>10}{'HTML/SQL':>10}{'JSON/SQL':>10}"
    )
    for r in results:
        print(
            f"{r['engine']:<11}{r['slug']:<26}{r['incidents']:>10,}{r['html']:>10.0f}"
            f"{r['json']:>10.0f}{r['sql']:>10.0f}{r['html'] / r['sql']:>10.2f}"
            f"{r['json'] / r['sql']:>10.2f}"
        )
    print(
        f"(SQL: the same aggregates hand-written, {results[0]['queries']} queries on the "
        "bare DB-API connection; goals: HTML median under 300 ms and within 2x of SQL)"
    )
    print(f"command: {command}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
