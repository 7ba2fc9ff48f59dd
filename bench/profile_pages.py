"""Where each page's time goes: SQL, ORM loading, templates, session and sign-in bookkeeping.

Every request of a page is timed through the Flask test client, signed in as an analyst, with
clocks that nest: a statement run while a template renders counts as SQL, not as template.

- SQL: between SQLAlchemy's ``before_cursor_execute`` and ``after_cursor_execute`` events.
- ORM loading: inside :func:`sqlalchemy.orm.loading.instances` and while its result is
  iterated (rows fetched from the driver and turned into objects or tuples), SQL excluded.
- templates: between Flask's ``before_render_template`` and ``template_rendered`` signals.
- session bookkeeping: Flask-Login's user loader (the server-side session of the cookie's
  token, its user, the refresh of ``last_seen_at``).
- sign-in: checking the password and opening a session (``authenticate``, ``start_session``).
- rest: everything else (routing, Flask, forms, the view's own Python).

The page total is measured once more with the clocks off, as a reference for their cost, and
right before each page the reference page of ``bench/bare_flask.py`` (bare Flask, one ORM
query of 50 rows, Jinja) on the same database: each page's time is also printed as a ratio
to it, which stays comparable between runs on a busy machine.
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import os
import platform
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy.orm.loading
from flask import Flask, before_render_template, template_rendered
from flask.testing import FlaskClient
from sqlalchemy import event, select
from sqlalchemy.engine import make_url

from bench.bench_app import OUT, has_incidents, prepare_database
from tracker import auth
from tracker.app import create_app, freeze_startup_heap
from tracker.db import engine_for, session_factory
from tracker.models import User
from tracker.services import logins
from tracker.services import users as user_service

USERNAME = "profile-analyst"
PASSWORD = "quiet-lantern-2019"  # noqa: S105 (a local benchmark account)
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
INCIDENT_LINK = re.compile(r'href="/incidents/(\d+)"')
AGREEMENT_LINK = re.compile(r'href="/agreements/([a-z0-9-]+)"')
CATEGORIES = ("SQL", "ORM loading", "templates", "session", "sign-in")


class Clocks:
    """Nested stopwatches: each category gets the time spent in it minus the time of the
    categories started inside it."""

    def __init__(self) -> None:
        self.on = False
        self.stack: list[list[Any]] = []
        self.spent: Counter[str] = Counter()
        self.statements = 0

    def start(self, category: str) -> None:
        if self.on and category == "SQL":
            self.statements += 1
        if self.on:
            self.stack.append([category, time.perf_counter(), 0.0])

    def stop(self, category: str) -> None:
        if not self.on or not self.stack or self.stack[-1][0] != category:
            return
        name, started, inner = self.stack.pop()
        elapsed = time.perf_counter() - started
        self.spent[name] += elapsed - inner
        if self.stack:
            self.stack[-1][2] += elapsed

    def timed(self, category: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            self.start(category)
            try:
                return function(*args, **kwargs)
            finally:
                self.stop(category)

        return call

    def timed_chunks(self, chunks: Callable[[int | None], Iterator[Any]]) -> Callable[..., Any]:
        def timed(size: int | None) -> Iterator[Any]:
            rows = chunks(size)
            while True:
                self.start("ORM loading")
                try:
                    chunk = next(rows)
                except StopIteration:
                    return
                finally:
                    self.stop("ORM loading")
                yield chunk

        return timed


def instrument(app: Flask, url: str, clocks: Clocks) -> None:
    """Attach the clocks to the engine, the ORM, the templates and the sign-in code."""
    engine = engine_for(url)
    event.listen(engine, "before_cursor_execute", lambda *_a: clocks.start("SQL"))
    event.listen(engine, "after_cursor_execute", lambda *_a: clocks.stop("SQL"))
    event.listen(engine, "handle_error", lambda *_a: clocks.stop("SQL"))
    before_render_template.connect(lambda *_a, **_k: clocks.start("templates"), app, weak=False)
    template_rendered.connect(lambda *_a, **_k: clocks.stop("templates"), app, weak=False)

    instances = sqlalchemy.orm.loading.instances

    def timed_instances(cursor: Any, context: Any) -> Any:
        clocks.start("ORM loading")
        try:
            result = instances(cursor, context)
        finally:
            clocks.stop("ORM loading")
        if hasattr(result, "chunks") and not context.yield_per:
            result.chunks = clocks.timed_chunks(result.chunks)
            result.iterator = itertools.chain.from_iterable(  # type: ignore[attr-defined]
                result.chunks(None)
            )
        return result

    sqlalchemy.orm.loading.instances = timed_instances
    loader = auth.login_manager._user_callback
    auth.login_manager._user_callback = clocks.timed("session", loader)
    logins.authenticate = clocks.timed("sign-in", logins.authenticate)
    logins.start_session = clocks.timed("sign-in", logins.start_session)


def csrf(page: str) -> str:
    match = CSRF_FIELD.search(page)
    if match is None:
        raise SystemExit("the page has no CSRF token")
    return match.group(1)


def sign_in(client: FlaskClient) -> None:
    token = csrf(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"username": USERNAME, "password": PASSWORD, "csrf_token": token}
    )
    if response.status_code != 302:
        raise SystemExit(f"sign-in failed with status {response.status_code}")


@dataclass
class Page:
    """One kind of request: its name and a call that makes one request and checks it."""

    name: str
    request: Callable[[int], object]


def get(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"GET {path}: status {response.status_code}")
    return response.get_data(as_text=True)


def pages(app: Flask, client: FlaskClient, agreement: str | None) -> list[Page]:
    """The list, detail, form, report and sign-in pages, with their targets read from the
    app's own pages (the newest incidents, the first agreement listed unless one is named)."""
    listing = get(client, "/incidents/")
    ids = list(dict.fromkeys(INCIDENT_LINK.findall(listing)))
    if not ids:
        raise SystemExit("the incidents list shows no incident")
    listed = AGREEMENT_LINK.findall(get(client, "/agreements/"))
    slug = agreement or next(s for s in listed if s not in {"new", "compare"})
    get(client, f"/agreements/{slug}/report")  # builds the stored totals when they are missing
    print(f"the report is that of {slug}; the detail pages those of the newest incidents")

    def sign_in_request(_i: int) -> None:
        fresh = app.test_client()
        sign_in(fresh)

    return [
        Page("list /incidents/", lambda _i: get(client, "/incidents/")),
        Page(
            "detail /incidents/<id>",
            lambda i: get(client, f"/incidents/{ids[i % len(ids)]}"),
        ),
        Page("form /incidents/new", lambda _i: get(client, "/incidents/new")),
        Page(
            "report /agreements/<slug>/report",
            lambda _i: get(client, f"/agreements/{slug}/report"),
        ),
        Page("sign-in POST /login", sign_in_request),
    ]


def profile(page: Page, clocks: Clocks, runs: int) -> tuple[float, float, dict[str, float]]:
    """The median page time with the clocks off and on, and the median time per category
    (and, under ``statements``, the median number of SQL statements; under ``cpu``, the median
    CPU time of this process with the clocks off: what a busy machine disturbs least)."""
    for i in range(3):
        page.request(i)
    clocks.on = False
    plain = []
    cpu = []
    for i in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        page.request(i)
        plain.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    clocks.on = True
    totals = []
    per_category: dict[str, list[float]] = {
        name: [] for name in (*CATEGORIES, "rest", "statements")
    }
    for i in range(runs):
        clocks.spent.clear()
        clocks.statements = 0
        started = time.perf_counter()
        page.request(i)
        total = time.perf_counter() - started
        totals.append(total)
        for name in CATEGORIES:
            per_category[name].append(clocks.spent[name])
        per_category["rest"].append(total - sum(clocks.spent[name] for name in CATEGORIES))
        per_category["statements"].append(clocks.statements)
    clocks.on = False
    medians = {name: float(statistics.median(values)) for name, values in per_category.items()}
    medians["cpu"] = statistics.median(cpu)
    return statistics.median(plain), statistics.median(totals), medians


def reference_page(url: str) -> Page:
    """The bare Flask page of the load benchmark, in this process, on the same database."""
    os.environ["TRACKER_DATABASE_URL"] = url
    bare = importlib.import_module("bench.bare_flask")
    client = bare.app.test_client()
    return Page("bare Flask reference", lambda _i: client.get("/").status_code == 200 or None)


def median_time(page: Page, runs: int) -> float:
    for i in range(3):
        page.request(i)
    times = []
    for i in range(runs):
        started = time.perf_counter()
        page.request(i)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: Sequence[str] | None = None) -> int:
    """The command line; prints the figures and the command that reproduces them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100_000, help="incidents to load")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic data")
    parser.add_argument("--url", help="database URL (default: a SQLite file under bench/out/)")
    parser.add_argument("--agreement", help="slug of the agreement whose report is profiled")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument(
        "--pages", default="list,detail,form,report,sign-in", help="which pages, comma-separated"
    )
    args = parser.parse_args(argv)
    url = args.url or f"sqlite:///{OUT / f'synthetic-{args.incidents}-seed{args.seed}.db'}"
    if not (args.url and has_incidents(url)):  # a given database with data is used as it is
        prepare_database(url, args.incidents, args.seed)
    with session_factory(url)() as session, session.begin():
        if session.scalar(select(User.id).where(User.username == USERNAME)) is None:
            user_service.create_user(session, USERNAME, PASSWORD, "analyst")

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-secret-key"})
    freeze_startup_heap(app)
    clocks = Clocks()
    instrument(app, url, clocks)
    client = app.test_client()
    sign_in(client)
    engine = make_url(url).get_backend_name()
    print(f"Where each page's time goes ({args.incidents:,} incidents, {engine})")
    print(
        f"python {platform.python_version()}, {os.cpu_count()} cores "
        f"(load average {os.getloadavg()[0]:.1f}), Flask test client signed in as an analyst; "
        f"medians of {args.requests} requests, in ms; total and cpu with the clocks off"
    )
    header = f"{'page':<32} {'total':>7} {'cpu':>7} {'clocked':>8} " + " ".join(
        f"{name:>11}" for name in (*CATEGORIES, "rest")
    )
    header += "  statements  x reference"
    print(header)
    chosen = pages(app, client, args.agreement)
    reference = reference_page(url)
    wanted = set(args.pages.split(","))
    for page in [p for p in chosen if p.name.split()[0] in wanted]:
        bare = median_time(reference, args.requests)
        plain, clocked, parts = profile(page, clocks, args.requests)
        cells = " ".join(f"{parts[name] * 1000:11.1f}" for name in (*CATEGORIES, "rest"))
        statements = parts["statements"]
        print(
            f"{page.name:<32} {plain * 1000:7.1f} {parts['cpu'] * 1000:7.1f} "
            f"{clocked * 1000:8.1f} {cells} "
            f"{statements:11.0f} {plain / bare:11.1f}x"
        )
    print(f"reference: the bare Flask page, {bare * 1000:.1f} ms (last measurement)")
    command = f"python -m bench.profile_pages --incidents {args.incidents} --seed {args.seed}"
    command += f" --requests {args.requests} --pages {args.pages}"
    if args.url:
        command += f" --url {args.url}"
    if args.agreement:
        command += f" --agreement {args.agreement}"
    print(f"reproduce with: {command}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
