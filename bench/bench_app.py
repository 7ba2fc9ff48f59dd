"""Benchmark of the incidents list (deep keyset pages) and detail page through the app."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import re
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bench.synthetic import populate
from tracker import migrate
from tracker.app import create_app, freeze_startup_heap
from tracker.db import engine_for, session_factory
from tracker.models import Agreement, Incident, IncidentSource, User
from tracker.queries.incidents import IncidentFilters, filtered, listed_incidents
from tracker.services.users import create_user

OUT = Path(__file__).resolve().parent / "out"
USERNAME = "bench-analyst"
PASSWORD = "quiet-harbour-2019"  # noqa: S105 (a local benchmark account)
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PAGE_SIZE = 50


@dataclass(frozen=True)
class Timing:
    """Response times of one kind of request, in milliseconds."""

    name: str
    times_ms: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.times_ms, n=100, method="inclusive")[94]

    def line(self) -> str:
        return (
            f"{self.name:<34} n={len(self.times_ms):<5} median {self.median:8.2f} ms"
            f"   p95 {self.p95:8.2f} ms"
        )


def _absent(url: str) -> bool:
    """Whether ``url`` names a SQLite file that does not exist (opening it would create it, or
    fail where its folder is missing, as ``bench/out/`` is on a fresh clone)."""
    parsed = make_url(url)
    return (
        parsed.get_backend_name() == "sqlite"
        and bool(parsed.database)
        and not Path(parsed.database or "").exists()
    )


def is_complete(url: str, incidents: int) -> bool:
    """Whether ``url`` holds a finished synthetic load of ``incidents`` incidents (its last
    table, the source links, is filled)."""
    if _absent(url) or migrate.current_revision(url) is None:
        return False
    with Session(engine_for(url)) as session:
        count = session.scalar(select(func.count()).select_from(Incident))
        links = session.scalar(select(func.count()).select_from(IncidentSource))
    return count == incidents and (links or 0) > incidents


def has_incidents(url: str) -> bool:
    """Whether the database at ``url`` has a schema with at least one incident."""
    if _absent(url) or migrate.current_revision(url) is None:
        return False
    with Session(engine_for(url)) as session:
        return session.scalar(select(Incident.id).limit(1)) is not None


def prepare_database(url: str, incidents: int, seed: int) -> None:
    """Reuse a complete load at ``url``; otherwise load one: into a fresh file on SQLite, into
    the given database elsewhere when it holds no incident yet."""
    if is_complete(url, incidents):
        print(f"reusing the loaded database {url}", file=sys.stderr)
        return
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        engine_for(url).dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{parsed.database}{suffix}").unlink(missing_ok=True)
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    elif has_incidents(url):
        raise SystemExit(
            f"{url} holds incidents but not a complete load of {incidents:,}: "
            "give an empty database"
        )
    print(f"loading {incidents:,} synthetic incidents into {url}", file=sys.stderr)
    started = time.perf_counter()
    populate(url, incidents, seed=seed)
    print(f"loaded in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def signed_in_client(url: str) -> FlaskClient:
    """A test client of the app on ``url``, signed in as an analyst through the real form."""
    with session_factory(url)() as session, session.begin():
        if session.scalar(select(User.id).where(User.username == USERNAME)) is None:
            create_user(session, USERNAME, PASSWORD, "analyst")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-secret-key"})
    freeze_startup_heap(app)  # as the production entry point tracker.wsgi does
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    match = CSRF_FIELD.search(page)
    if match is None:
        raise SystemExit("the sign-in page has no CSRF token")
    response = client.post(
        "/login", data={"username": USERNAME, "password": PASSWORD, "csrf_token": match.group(1)}
    )
    if response.status_code != 302:
        raise SystemExit(f"sign-in failed with status {response.status_code}")
    return client


@dataclass(frozen=True)
class Workload:
    """The requests to time: a list filter with deep page keys, and incidents to open."""

    filters: IncidentFilters
    page_keys: list[tuple[dt.date, int]]
    incident_ids: list[int]


def workload(url: str, rng: random.Random, count: int) -> Workload:
    """Filter the largest agreement over 240 days from a month after it took effect; take page
    keys from 5,000 to 100,000 rows deep (less on small data sets), and incidents of that
    agreement to open."""
    with Session(engine_for(url)) as session:
        per_agreement = func.count().label("n")
        agreement_id, _n = session.execute(
            select(Incident.alleged_agreement_id, per_agreement)
            .group_by(Incident.alleged_agreement_id)
            .order_by(per_agreement.desc())
            .limit(1)
        ).one()
        agreement = session.get_one(Agreement, agreement_id)
        last = _as_date(
            session.scalar(
                select(func.max(Incident.occurred_on)).where(
                    Incident.alleged_agreement_id == agreement_id
                )
            )
        )
        start = agreement.effective_from.date() + dt.timedelta(days=30)
        filters = IncidentFilters(
            alleged=agreement.slug,
            date_from=start,
            date_to=min(last, start + dt.timedelta(days=240)),
        )
        matching = session.scalar(select(func.count()).select_from(filtered(filters).subquery()))
        deepest = min(100_000, (matching or 0) - PAGE_SIZE - 1)
        if deepest <= 0:
            raise SystemExit(f"too few incidents ({matching}) match {filters} for a deep page")
        ordered = filtered(filters).order_by(Incident.occurred_on.desc(), Incident.id.desc())
        depths = range(min(5_000, deepest // 2), deepest, PAGE_SIZE)
        keys = []
        for depth in sorted(rng.sample(depths, k=min(count, 40, len(depths)))):
            row = session.execute(
                ordered.with_only_columns(Incident.occurred_on, Incident.id).offset(depth).limit(1)
            ).one()
            keys.append((_as_date(row[0]), int(row[1])))
        highest = session.scalar(select(func.max(Incident.id))) or 1
        ids = list(
            session.scalars(
                select(Incident.id)
                .where(Incident.id.in_([rng.randint(1, highest) for _ in range(count * 3)]))
                .where(Incident.alleged_agreement_id == agreement_id)
                .limit(count)
            )
        )
    return Workload(filters=filters, page_keys=keys, incident_ids=ids)


def _as_date(value: dt.date | str | None) -> dt.date:
    if value is None:
        raise SystemExit("the agreement has no dated incident")
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def timed(name: str, runs: int, call: Callable[[int], None], warm_up: int = 10) -> Timing:
    """Run ``call(i)`` ``warm_up`` times untimed, then ``runs`` times timed."""
    for i in range(warm_up):
        call(i)
    times = []
    for i in range(runs):
        started = time.perf_counter()
        call(i)
        times.append((time.perf_counter() - started) * 1000)
    return Timing(name, times)


def list_request(client: FlaskClient, work: Workload) -> Callable[[int], None]:
    args = work.filters.as_args()

    def call(i: int) -> None:
        day, number = work.page_keys[i % len(work.page_keys)]
        response = client.get("/incidents/", query_string={**args, "after": f"{day}_{number}"})
        page = response.get_data(as_text=True)
        rows = page.count('<tr class="status-')
        if response.status_code != 200 or rows != PAGE_SIZE:
            raise SystemExit(f"list page: status {response.status_code}, {rows} rows")

    return call


def detail_request(client: FlaskClient, work: Workload) -> Callable[[int], None]:
    def call(i: int) -> None:
        incident_id = work.incident_ids[i % len(work.incident_ids)]
        response = client.get(f"/incidents/{incident_id}")
        if response.status_code != 200:
            raise SystemExit(f"detail page of {incident_id}: status {response.status_code}")

    return call


def sql_reference(url: str, work: Workload) -> Callable[[int], None]:
    """The list page's query written by hand and run on the bare DB-API connection: the same
    filter, the page key folded into the one upper date bound, 51 rows."""
    connection = engine_for(url).raw_connection()
    p = "?" if isinstance(connection.driver_connection, sqlite3.Connection) else "%s"
    query = (
        "SELECT * FROM incidents WHERE alleged_agreement_id = "
        f"(SELECT id FROM agreements WHERE slug = {p})"
        f" AND occurred_on >= {p} AND occurred_on <= {p} AND status <> 'retracted'"
        f" AND (occurred_on < {p} OR (occurred_on = {p} AND id < {p}))"
        f" ORDER BY occurred_on DESC, id DESC LIMIT {PAGE_SIZE + 1}"
    )
    filters = work.filters
    if filters.date_from is None or filters.date_to is None:
        raise SystemExit("the reference query needs a date range")
    low, high = filters.date_from, filters.date_to

    def call(i: int) -> None:
        day, number = work.page_keys[i % len(work.page_keys)]
        cursor = connection.cursor()
        bound = min(high, day).isoformat()
        cursor.execute(query, (filters.alleged, low.isoformat(), bound, *[str(day)] * 2, number))
        if len(cursor.fetchall()) != PAGE_SIZE + 1:
            raise SystemExit("the reference query returned a short page")
        cursor.close()

    return call


def query_layer(url: str, work: Workload) -> Callable[[int], None]:
    """The list page's query as the app builds it (:func:`listed_incidents`), without the page."""
    session = Session(engine_for(url))

    def call(i: int) -> None:
        session.expunge_all()
        after = work.page_keys[i % len(work.page_keys)]
        rows = listed_incidents(session, work.filters, after=after, size=PAGE_SIZE).items
        if len(rows) != PAGE_SIZE:
            raise SystemExit("listed_incidents returned a short page")

    return call


def main(argv: Sequence[str] | None = None) -> int:
    """The command line; prints the figures and the command that reproduces them."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--incidents", type=int, default=1_000_000, help="incidents to load")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic data")
    parser.add_argument(
        "--url",
        help="database URL (default: a SQLite file under bench/out/, reused when complete)",
    )
    parser.add_argument("--requests", type=int, default=300, help="timed requests of each kind")
    args = parser.parse_args(argv)
    url = args.url or f"sqlite:///{OUT / f'synthetic-{args.incidents}-seed{args.seed}.db'}"
    prepare_database(url, args.incidents, args.seed)

    rng = random.Random(args.seed)
    work = workload(url, rng, args.requests)
    client = signed_in_client(url)
    results = [
        timed("SQL reference: list query", args.requests, sql_reference(url, work)),
        timed("listed_incidents() query (ORM)", args.requests, query_layer(url, work)),
        timed("GET /incidents/ (deep keyset page)", args.requests, list_request(client, work)),
        timed("GET /incidents/<id>", args.requests, detail_request(client, work)),
    ]
    reference, _query, listing, detail = results

    engine = make_url(url).get_backend_name()
    print()
    print(f"Incidents list and detail through the app ({args.incidents:,} incidents, {engine})")
    version = f", sqlite {sqlite3.sqlite_version}" if engine == "sqlite" else ""
    print(
        f"python {platform.python_version()}{version}, {os.cpu_count()} cores "
        f"(load average {os.getloadavg()[0]:.1f}), Flask test client signed in as an analyst"
    )
    print(
        f"list filter: alleged={work.filters.alleged} from={work.filters.date_from} "
        f"to={work.filters.date_to}, {len(work.page_keys)} page keys up to 100,000 rows deep"
    )
    for timing in results:
        print(timing.line())
    print(f"list page / SQL reference (medians): {listing.median / reference.median:.1f}x")
    goals = ((listing, 50.0), (detail, 30.0))
    for timing, goal in goals:
        verdict = "meets" if timing.median < goal else "MISSES"
        print(f"{timing.name}: median {verdict} the goal of {goal:.0f} ms")
    command = f"python -m bench.bench_app --incidents {args.incidents} --seed {args.seed}"
    command += f" --requests {args.requests}"
    if args.url:
        command += f" --url {args.url}"
    print(f"reproduce with: {command}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
