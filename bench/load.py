"""Simulated analysts against a running server: requests/s, p50/p95/p99 per page, errors, lost
writes; and the list page's requests/s as a ratio to a bare Flask page served the same way.

Each analyst signs in through the real form, then reads the incidents list (first pages, pages
of one agreement, next pages), incidents, the new-incident form and reports, without pause or,
with ``--think``, pausing between actions as people do while they read (each pause drawn from an
exponential distribution of that mean, capped at five times it). One action in ten is a write:
the new-incident form is loaded, its CSRF token read, and an incident with a unique marker
posted. After the run every acknowledged write (a redirect to the new incident) is opened again:
a write whose marker is missing is lost.

Only loopback servers are accepted, and the counts and durations are bounded. Example, with
the app and the reference each under gunicorn (see bench/README.md):

    python -m bench.load --url http://127.0.0.1:8000 --username bench-analyst \\
        --password-env BENCH_PASSWORD --analysts 20 --minutes 2 \\
        --reference http://127.0.0.1:8001
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import os
import random
import re
import socket
import sys
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

MAX_ANALYSTS = 100
MAX_MINUTES = 30
MAX_REFERENCE_SECONDS = 300
MAX_THINK_SECONDS = 60
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
INCIDENT_LINK = re.compile(r'href="/incidents/(\d+)"')
AGREEMENT_LINK = re.compile(r'href="/agreements/([a-z0-9-]+)"')
NEXT_LINK = re.compile(r'href="(/incidents/\?[^"]*after=[^"]+)"')
AGREEMENT_OPTION = re.compile(r'<option value="(\d+)"')
PAGES = ("sign-in", "list", "detail", "form", "report", "write")


def loopback_host(url: str) -> tuple[str, int]:
    """The host and port of ``url``; refuses anything that is not a loopback address."""
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise SystemExit(f"{url}: give an http:// URL of a server on this machine")
    port = parts.port or 80
    addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, port)}
    if not addresses or not all(ipaddress.ip_address(a).is_loopback for a in addresses):
        raise SystemExit(f"{url}: only loopback servers (127.0.0.1, ::1, localhost) are accepted")
    return parts.hostname, port


class Browser:
    """One analyst's connection and cookies."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(host, port, timeout=120)

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        """Status, body and Location of one request (one reconnect when the server closed the
        kept-alive connection)."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text, response.getheader("Location") or ""


@dataclass
class Results:
    """What every analyst saw, gathered under a lock."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    error_samples: list[str] = field(default_factory=list)
    acknowledged: list[tuple[int, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, page: str, seconds: float, ok: bool, note: str = "") -> None:
        with self.lock:
            self.times[page].append(seconds)
            if not ok:
                self.errors[page] += 1
                if len(self.error_samples) < 10:
                    self.error_samples.append(f"{page}: {note}")


@dataclass
class Analyst:
    """One simulated analyst: signs in, then reads and writes until the deadline."""

    host: str
    port: int
    username: str
    password: str
    results: Results
    deadline: float
    rng: random.Random
    think: float = 0.0
    incident_ids: list[str] = field(default_factory=list)
    slugs: list[str] = field(default_factory=list)
    next_page: str | None = None
    browser: Browser = field(init=False)

    def timed(
        self,
        page: str,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        expect: int = 200,
    ) -> tuple[int, str, str]:
        started = time.perf_counter()
        try:
            status, text, location = self.browser.request(method, path, form)
        except OSError as error:
            self.results.record(page, time.perf_counter() - started, False, f"{path}: {error}")
            return 0, "", ""
        ok = status == expect
        self.results.record(page, time.perf_counter() - started, ok, f"{path}: status {status}")
        return status, text, location

    def run(self) -> None:
        self.browser = Browser(self.host, self.port)
        if not self.sign_in():
            return
        _status, page, _ = self.browser.request("GET", "/agreements/")
        self.slugs = [
            s for s in dict.fromkeys(AGREEMENT_LINK.findall(page)) if s not in {"new", "compare"}
        ]
        while time.monotonic() < self.deadline:
            self.pause()
            roll = self.rng.random()
            if roll < 0.1:
                self.write()
            elif roll < 0.45:
                self.list_page()
            elif roll < 0.75 and self.incident_ids:
                self.timed("detail", "GET", f"/incidents/{self.rng.choice(self.incident_ids)}")
            elif roll < 0.85 and self.slugs:
                self.timed("report", "GET", f"/agreements/{self.rng.choice(self.slugs)}/report")
            elif roll < 0.85:
                self.list_page()
            else:
                self.timed("form", "GET", "/incidents/new")

    def pause(self) -> None:
        """Wait as an analyst reading the last page would (nothing without ``think``), never
        past the deadline."""
        if self.think > 0:
            wait = min(self.rng.expovariate(1 / self.think), 5 * self.think)
            time.sleep(max(0.0, min(wait, self.deadline - time.monotonic())))

    def sign_in(self) -> bool:
        _status, page, _ = self.browser.request("GET", "/login")
        token = CSRF_FIELD.search(page)
        if token is None:
            self.results.record("sign-in", 0.0, False, "no CSRF token on /login")
            return False
        form = {"username": self.username, "password": self.password, "csrf_token": token.group(1)}
        status, _text, _ = self.timed("sign-in", "POST", "/login", form, expect=302)
        return status == 302

    def list_page(self) -> None:
        if self.next_page and self.rng.random() < 0.5:
            path = self.next_page.replace("&amp;", "&")
        elif self.slugs and self.rng.random() < 0.5:
            path = f"/incidents/?agreement={self.rng.choice(self.slugs)}"
        else:
            path = "/incidents/"
        _status, page, _ = self.timed("list", "GET", path)
        ids = INCIDENT_LINK.findall(page)
        if ids:
            self.incident_ids = ids
        found = NEXT_LINK.search(page)
        self.next_page = found.group(1) if found else None

    def write(self) -> None:
        _status, page, _ = self.timed("form", "GET", "/incidents/new")
        token = CSRF_FIELD.search(page)
        if token is None:
            self.results.record("write", 0.0, False, "no CSRF token on /incidents/new")
            return
        select = page.split('name="agreement_id"', 1)[-1].split("</select>", 1)[0]
        agreements = AGREEMENT_OPTION.findall(select)
        marker = f"load-{uuid.uuid4().hex}"
        form = {
            "csrf_token": token.group(1),
            "when": f"2019-0{self.rng.randint(1, 9)}-{self.rng.randint(10, 28)}",
            "category": self.rng.choice(["shelling", "air_strike", "ground_assault"]),
            "location_precision": "exact",
            "count_qualifier": "exact",
            "status": "submitted",
            "description_en": f"Simulated report {marker}",
            "save": "Save",
        }
        if agreements:
            form["agreement_id"] = self.rng.choice(agreements)
        status, _text, location = self.timed("write", "POST", "/incidents/new", form, expect=302)
        found = re.search(r"/incidents/(\d+)", location)
        if status == 302 and found:
            with self.results.lock:
                self.results.acknowledged.append((int(found.group(1)), marker))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def lost_writes(
    host: str, port: int, username: str, password: str, written: list[tuple[int, str]]
) -> list[int]:
    """The acknowledged incidents whose page does not show their marker."""
    checker = Analyst(host, port, username, password, Results(), 0.0, random.Random(0))
    checker.browser = Browser(host, port)
    if not checker.sign_in():
        raise SystemExit("the check of the writes could not sign in")
    lost = []
    for incident_id, marker in written:
        status, page, _ = checker.browser.request("GET", f"/incidents/{incident_id}")
        if status != 200 or marker not in page:
            lost.append(incident_id)
    return lost


def hammer(
    host: str, port: int, path: str, clients: int, seconds: float, sign_in: tuple[str, str] | None
) -> tuple[float, list[float], int]:
    """``clients`` connections requesting ``path`` without pause for ``seconds``: requests/s,
    the response times, and the number of answers other than 200."""
    results = Results()
    deadline = time.monotonic() + seconds

    def client(index: int) -> None:
        analyst = Analyst(
            host, port, *(sign_in or ("", "")), results, deadline, random.Random(index)
        )
        analyst.browser = Browser(host, port)
        if sign_in and not analyst.sign_in():
            return
        while time.monotonic() < deadline:
            analyst.timed("page", "GET", path)

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    times = results.times["page"]
    return len(times) / elapsed, times, results.errors["page"]


def main(argv: Sequence[str] | None = None) -> int:
    """The command line; prints the figures and the command that reproduces them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--url",
        required=True,
        action="append",
        help="the app, e.g. http://127.0.0.1:8000; repeat it for several app processes on one "
        "database (the analysts are shared out among them)",
    )
    parser.add_argument("--username", required=True, help="an analyst account")
    parser.add_argument(
        "--password-env", default="BENCH_PASSWORD", help="variable holding its password"
    )
    parser.add_argument("--analysts", type=int, default=20, help=f"at most {MAX_ANALYSTS}")
    parser.add_argument("--minutes", type=float, default=2.0, help=f"at most {MAX_MINUTES}")
    parser.add_argument(
        "--reference", help="the bare Flask page (bench/bare_flask.py), e.g. http://127.0.0.1:8001"
    )
    parser.add_argument("--clients", type=int, default=8, help="clients of the ratio measurement")
    parser.add_argument(
        "--seconds", type=float, default=30.0, help="length of each ratio measurement"
    )
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean pause (s) of each analyst between actions; 0: no pause (the default)",
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if not 1 <= args.analysts <= MAX_ANALYSTS or not 0 < args.minutes <= MAX_MINUTES:
        raise SystemExit(f"give 1 to {MAX_ANALYSTS} analysts and at most {MAX_MINUTES} minutes")
    if not 1 <= args.clients <= MAX_ANALYSTS or not 0 < args.seconds <= MAX_REFERENCE_SECONDS:
        raise SystemExit(f"give 1 to {MAX_ANALYSTS} clients and at most {MAX_REFERENCE_SECONDS} s")
    if not 0 <= args.think <= MAX_THINK_SECONDS:
        raise SystemExit(f"give a pause of 0 to {MAX_THINK_SECONDS} s")
    password = os.environ.get(args.password_env)
    if not password:
        raise SystemExit(
            f"put the analyst's password in the environment variable {args.password_env}"
        )
    servers = [loopback_host(url) for url in args.url]
    host, port = servers[0]
    credentials = (args.username, password)

    load = os.getloadavg()[0]
    print(f"Load on {', '.join(args.url)} ({os.cpu_count()} cores, load average {load:.1f})")
    if args.reference:
        ref_host, ref_port = loopback_host(args.reference)
        ref_rate, ref_times, ref_errors = hammer(
            ref_host, ref_port, "/", args.clients, args.seconds, None
        )
        list_rate, list_times, list_errors = hammer(
            host, port, "/incidents/", args.clients, args.seconds, credentials
        )
        print(f"{args.clients} clients, {args.seconds:.0f} s each, no pause:")
        for name, rate, times, errors in (
            ("bare Flask page (50 rows, ORM, Jinja)", ref_rate, ref_times, ref_errors),
            ("our incidents list /incidents/", list_rate, list_times, list_errors),
        ):
            print(
                f"  {name:<40} {rate:7.1f} requests/s  p50 {percentile(times, 0.5) * 1000:6.0f} ms"
                f"  p99 {percentile(times, 0.99) * 1000:6.0f} ms  errors {errors}"
            )
        print(f"  list page / bare Flask page: {list_rate / ref_rate:.2f}x requests/s")

    results = Results()
    deadline = time.monotonic() + args.minutes * 60
    analysts = [
        Analyst(
            *servers[i % len(servers)],
            args.username,
            password,
            results,
            deadline,
            random.Random(args.seed * 1000 + i),
            args.think,
        )
        for i in range(args.analysts)
    ]
    started = time.monotonic()
    threads = [threading.Thread(target=a.run) for a in analysts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    total = sum(len(t) for t in results.times.values())
    pacing = f"mean pause {args.think:g} s" if args.think else "no pause"
    print(
        f"{args.analysts} analysts for {elapsed / 60:.1f} min, {pacing}: "
        f"{total / elapsed:.1f} requests/s, {total} requests"
    )
    print(f"  {'page':<8} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for page in PAGES:
        page_times = results.times.get(page)
        if not page_times:
            continue
        cells = " ".join(f"{percentile(page_times, q) * 1000:8.0f}" for q in (0.5, 0.95, 0.99))
        print(f"  {page:<8} {len(page_times):8} {cells} {results.errors.get(page, 0):7}")
    errors = sum(results.errors.values())
    lost = lost_writes(host, port, args.username, password, results.acknowledged)
    print(f"errors: {errors}; acknowledged writes: {len(results.acknowledged)}, lost: {len(lost)}")
    for sample in results.error_samples:
        print(f"  e.g. {sample}")
    if lost:
        print(f"  lost: incidents {lost[:20]}")
    command = (
        f"python -m bench.load {' '.join(f'--url {url}' for url in args.url)} "
        f"--username {args.username} "
        f"--password-env {args.password_env} --analysts {args.analysts} --minutes {args.minutes:g}"
    )
    if args.think:
        command += f" --think {args.think:g}"
    if args.reference:
        command += (
            f" --reference {args.reference} --clients {args.clients} --seconds {args.seconds:g}"
        )
    print(f"reproduce with: {command}")
    return 1 if errors or lost else 0


if __name__ == "__main__":
    sys.exit(main())
