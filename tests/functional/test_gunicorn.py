"""The production server: gunicorn with the project's configuration serves the app's pages."""

from __future__ import annotations

import http.cookiejar
import importlib.util
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import IN_CI, TEST_PASSWORD, create_user, csrf_token
from tracker import migrate

ROOT = Path(__file__).resolve().parent.parent.parent
ENGINES = pytest.mark.parametrize("empty_database_url", ["sqlite", "postgresql"], indirect=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback URL)
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer within 60 s:\n{log.read_text()}")


@pytest.fixture
def gunicorn_url(empty_database_url: str, tmp_path: Path) -> Iterator[str]:
    """The app on ``empty_database_url`` (migrated, with one analyst) served by gunicorn with
    ``gunicorn.conf.py`` and two workers on a free loopback port."""
    if importlib.util.find_spec("gunicorn") is None:
        reason = "gunicorn is not installed (pip install -e '.[server]')"
        if IN_CI:
            pytest.fail(f"the server test is mandatory in CI: {reason}")
        pytest.skip(reason)
    migrate.upgrade(empty_database_url)
    create_user(empty_database_url, "analyst-on-gunicorn", "analyst")
    port = free_port()
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": empty_database_url,
        "TRACKER_INSTANCE_PATH": str(tmp_path / "instance"),
        "TRACKER_SECRET_KEY": "gunicorn-test-key",
    }
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                str(ROOT / "gunicorn.conf.py"),
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                "2",
            ],
            cwd=tmp_path,  # the configuration names the app, not the working folder
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/login", server, log)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@ENGINES
def test_gunicorn_serves_signed_in_pages(gunicorn_url: str) -> None:
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with browser.open(f"{gunicorn_url}/login", timeout=10) as page:
        assert page.status == 200
        token = csrf_token(page.read().decode())
    form = urllib.parse.urlencode(
        {"username": "analyst-on-gunicorn", "password": TEST_PASSWORD, "csrf_token": token}
    ).encode()
    with browser.open(f"{gunicorn_url}/login", data=form, timeout=30) as signed_in:
        assert signed_in.status == 200
    with browser.open(f"{gunicorn_url}/incidents/", timeout=10) as listing:
        assert listing.status == 200
        assert "analyst-on-gunicorn" in listing.read().decode()


def _signed_in(url: str) -> urllib.request.OpenerDirector:
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with browser.open(f"{url}/login", timeout=10) as page:
        token = csrf_token(page.read().decode())
    form = {"username": "analyst-on-gunicorn", "password": TEST_PASSWORD, "csrf_token": token}
    with browser.open(f"{url}/login", data=urllib.parse.urlencode(form).encode(), timeout=30):
        return browser


def _post(
    browser: urllib.request.OpenerDirector, url: str, form: dict[str, str]
) -> tuple[int, str]:
    try:
        with browser.open(url, data=urllib.parse.urlencode(form).encode(), timeout=30) as done:
            return done.status, done.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode()


@ENGINES
def test_a_stale_edit_under_gunicorn_answers_409_with_both_versions_and_the_input_kept(
    gunicorn_url: str,
) -> None:
    first, second = _signed_in(gunicorn_url), _signed_in(gunicorn_url)
    with first.open(f"{gunicorn_url}/sources/new", timeout=10) as page:
        token = csrf_token(page.read().decode())
    fields = {"kind": "news_article", "title": "Opened by both", "reliability": "C"}
    status, body = _post(first, f"{gunicorn_url}/sources/new", {**fields, "csrf_token": token})
    assert status == 200, body[:300]
    source_id = int(re.search(r'href="/sources/(\d+)/edit"', body).group(1))  # type: ignore[union-attr]
    edit = f"{gunicorn_url}/sources/{source_id}/edit"
    opened = []
    for browser in (first, second):
        with browser.open(edit, timeout=10) as page:
            html = page.read().decode()
        version = re.search(r'name="version"[^>]*value="(\d+)"', html).group(1)  # type: ignore[union-attr]
        opened.append({**fields, "version": version, "csrf_token": csrf_token(html)})
    status, _body = _post(first, edit, {**opened[0], "title": "Saved first"})
    assert status == 200
    status, body = _post(second, edit, {**opened[1], "title": "Typed second"})
    assert status == 409
    assert "Saved first" in body  # the version saved in between
    assert 'value="Typed second"' in body  # what the second analyst typed, kept


@ENGINES
def test_the_load_script_counts_each_page_and_checks_every_acknowledged_write(
    gunicorn_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bench import load

    monkeypatch.setenv("BENCH_PASSWORD", TEST_PASSWORD)
    argv = ["--url", gunicorn_url, "--username", "analyst-on-gunicorn", "--analysts", "3"]
    code = load.main([*argv, "--minutes", "0.1", "--think", "0.05", "--seed", "3"])
    printed = capsys.readouterr().out
    assert code == 0, printed
    summary = re.search(
        r"3 analysts for [\d.]+ min, mean pause 0.05 s: [\d.]+ requests/s, (\d+)", printed
    )
    assert summary is not None, printed
    rows = re.findall(r"^  (sign-in|list|detail|form|report|write) +(\d+) ", printed, re.M)
    counts = {page: int(n) for page, n in rows}
    # every request of the run is in one page's row, and each analyst signed in once
    assert sum(counts.values()) == int(summary.group(1)), printed
    assert counts["sign-in"] == 3
    written = re.search(r"acknowledged writes: (\d+), lost: 0", printed)
    assert written is not None, printed
    assert int(written.group(1)) == counts.get("write", 0)
    assert "--think 0.05" in printed.splitlines()[-1]
