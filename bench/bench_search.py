"""Benchmark of full-text search and of the JSON API against the LIKE search it replaces.

The synthetic data set (``bench/synthetic.py``, 1,000,000 incidents by default) is loaded, the
search index built (``search rebuild``, timed) and the report stores built. Then, on each
engine, a 50-row page of ranked results is timed for four queries, each beside the LIKE
search over the stored name keys that the incidents list used before (its first 50 rows,
newest first; measured in the same run as the reference):

- a common word ("shelling": every shelling incident),
- a rare word (an incident reference number: one incident),
- an Arabic place name in a variant spelling (ta marbuta as ha, hamza dropped, a diacritic),
- a two-word phrase in quotes ("air strike").

Then the API's incidents page (50 rows, newest first) and the API report of the agreement with
the most incidents, through the Flask test client with a token. Medians of ``--runs`` runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import shlex
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import ColumnElement, Select, create_engine, delete, func, or_, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, aliased

from bench.bench_report import build_stores, prepare, report_sizes, signed_in_client
from tracker.app import create_app
from tracker.db import engine_for, session_factory
from tracker.models import Actor, ApiToken, Incident, Place, User
from tracker.queries.incidents import IncidentFilters, filtered
from tracker.queries.search import ranked_incidents
from tracker.rules.names import query_keys
from tracker.services.api_tokens import create_token
from tracker.services.search_index import rebuild
from tracker.services.users import create_user

OUT = Path(__file__).resolve().parent / "out"
USERNAME = "bench-search-analyst"
PASSWORD = "quiet-harbour-2019"  # noqa: S105 (a local benchmark account)


def like_condition(words: str) -> ColumnElement[bool]:
    """The LIKE search the incidents list used before full-text search (the reference)."""
    perpetrator = aliased(Actor)
    keys = query_keys(words.strip('"'))
    place_ids = select(Place.id).where(
        or_(*(Place.search_key.contains(k, autoescape=True) for k in keys))
    )
    actor_ids = select(perpetrator.id).where(
        or_(*(perpetrator.search_key.contains(k, autoescape=True) for k in keys))
    )
    return or_(
        *(Incident.search_key.contains(k, autoescape=True) for k in keys),
        Incident.place_id.in_(place_ids),
        Incident.perpetrator_id.in_(actor_ids),
    )


def _fetch_all(session: Session, query: Select[Any]) -> list[Any]:
    """Every row of ``query``, fetched (the timing counts reading them, not only the plan)."""
    return list(session.scalars(query).all())


def median_ms(action: Callable[[], object], runs: int) -> float:
    """The median wall time of ``action`` over ``runs`` runs, after one warm-up run."""
    action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def index_is_built(url: str) -> bool:
    """Whether the search index holds a row per incident."""
    with engine_for(url).connect() as conn:
        indexed = conn.scalar(text("SELECT count(*) FROM incident_fts"))
        incidents = conn.scalar(select(func.count()).select_from(Incident))
    return bool(indexed == incidents)


def build_index(url: str) -> float:
    """Build the search index (unless built), in seconds."""
    if index_is_built(url):
        return 0.0
    started = time.perf_counter()
    with engine_for(url).begin() as conn:
        rebuild(conn)
    return time.perf_counter() - started


def arabic_variant(name: str) -> str:
    """An Arabic name spelt another common way: ta marbuta as ha, hamza on alef dropped, alef
    maqsura as ya, a damma added after the first letter."""
    varied = name.replace("ة", "ه").replace("أ", "ا").replace("إ", "ا").replace("ى", "ي")
    return varied[:1] + "\u064f" + varied[1:]


def queries(url: str) -> dict[str, str]:
    """The four searches, picked from the loaded data."""
    with Session(engine_for(url)) as session:
        ref = session.scalar(
            select(Incident.ref)
            .where(Incident.ref.is_not(None))
            .order_by(Incident.id.desc())
            .limit(1)
        )
        place = session.scalar(
            select(Place.name_ar).where(Place.name_ar.like("%ة%")).order_by(Place.id).limit(1)
        ) or session.scalar(select(Place.name_ar).where(Place.name_ar.is_not(None)).limit(1))
    number = (ref or "0").rsplit("-", 1)[-1]
    return {
        "common word": "shelling",
        "rare word": number,
        "Arabic name, variant": arabic_variant(place or ""),
        "phrase": '"air strike"',
    }


def token_client(url: str) -> tuple[FlaskClient, dict[str, str]]:
    """A test client of the app and the header of an analyst's read token."""
    app = create_app({"DATABASE_URL": url, "TESTING": False})
    with session_factory(url)() as session, session.begin():
        user = session.scalar(select(User).where(User.username == USERNAME))
        if user is None:
            user = create_user(session, USERNAME, PASSWORD, "analyst")
        session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
        _token, secret = create_token(session, user, "bench", "read", 1, actor=user)
    app.config["API_RATE_LIMIT"] = 1_000_000
    return app.test_client(), {"Authorization": f"Bearer {secret}"}


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of ``url`` when it does not exist."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": parsed.database}
        )
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def bench_engine(url: str, incidents: int, seed: int, runs: int) -> dict[str, Any]:
    """Time the searches, the LIKE reference and the API on one database."""
    ensure_database(url)
    prepare(url, incidents, seed)
    indexed = build_index(url)
    built = build_stores(url)
    found: dict[str, Any] = {"engine": make_url(url).get_backend_name(), "indexed": indexed,
                             "built": built, "searches": []}  # fmt: skip
    for label, words in queries(url).items():
        with session_factory(url)() as session:
            filters = IncidentFilters(text=words)
            hits = session.scalar(select(func.count()).select_from(filtered(filters).subquery()))
            ranked = median_ms(partial(ranked_incidents, session, filters, size=50), runs)
            like_query = (
                select(Incident)
                .where(like_condition(words), Incident.status != "retracted")
                .order_by(Incident.occurred_on.desc(), Incident.id.desc())
                .limit(50)
            )
            like = median_ms(partial(_fetch_all, session, like_query), runs)
        found["searches"].append((label, words, hits, ranked, like))
    client, headers = token_client(url)
    _id, slug, count = report_sizes(url)[0]

    def get(path: str) -> Callable[[], None]:
        def fetch() -> None:
            response = client.get(path, headers=headers)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")

        return fetch

    found["api_page"] = median_ms(get("/api/v1/incidents?limit=50"), runs)
    found["api_search"] = median_ms(get("/api/v1/incidents?limit=50&q=shelling"), runs)
    found["api_report"] = median_ms(get(f"/api/v1/agreements/{slug}/report"), runs)
    page_client = signed_in_client(url)
    page_path = f"/agreements/{slug}/report?format=json"
    found["page_report"] = median_ms(lambda: page_client.get(page_path), runs)
    found["report_slug"], found["report_incidents"] = slug, count
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bench.bench_search [--incidents N] [--runs R] [--sqlite-url URL]
    [--postgres-url URL | --no-postgres]``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--incidents", type=int, default=1_000_000, help="incidents to load")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the data set")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per measure")
    parser.add_argument("--sqlite-url", help="SQLite database (default under bench/out/)")
    parser.add_argument(
        "--postgres-url",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/bench_search",
        help="PostgreSQL database (created empty beforehand; loaded on first run)",
    )
    parser.add_argument("--no-postgres", action="store_true", help="time SQLite only")
    args = parser.parse_args(argv)
    sqlite_url = args.sqlite_url or (
        f"sqlite:///{OUT / f'search-{args.incidents}-seed{args.seed}.db'}"
    )
    OUT.mkdir(exist_ok=True)
    urls = [sqlite_url] + ([] if args.no_postgres else [args.postgres_url])
    results = [bench_engine(url, args.incidents, args.seed, args.runs) for url in urls]
    command = "python -m bench.bench_search " + shlex.join(sys.argv[1:] if argv is None else argv)
    print(
        f"# search and API benchmark, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{args.incidents:,} incidents, medians of {args.runs} runs"
    )
    print(f"{'engine':<11}{'search':<24}{'matches':>10}{'ranked ms':>11}{'LIKE ms':>10}"
          f"{'LIKE/ranked':>12}")  # fmt: skip
    for r in results:
        for label, _words, hits, ranked, like in r["searches"]:
            print(
                f"{r['engine']:<11}{label:<24}{hits:>10,}{ranked:>11.1f}{like:>10.1f}"
                f"{like / ranked:>12.1f}"
            )
    for r in results:
        print(
            f"{r['engine']}: API incidents page {r['api_page']:.1f} ms, API search page "
            f"{r['api_search']:.1f} ms, API report of {r['report_slug']} "
            f"({r['report_incidents']:,} incidents) {r['api_report']:.0f} ms (the report page's "
            f"JSON download: {r['page_report']:.0f} ms); index built in "
            f"{r['indexed']:.0f} s, report stores in {r['built']:.0f} s (0: already built)"
        )
    print(
        "(ranked: a 50-row page of full-text results, best first; LIKE: the first 50 rows of "
        "the LIKE search it replaces; goals: ranked under 50 ms, API page under 50 ms, API "
        "report under 300 ms)"
    )
    print(f"command: {command}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
