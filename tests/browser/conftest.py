"""Browser fixtures: the real app on a free port, headless Chromium through Playwright, sign-in."""

from __future__ import annotations

import importlib.util
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from werkzeug.serving import make_server

from tests.conftest import IN_CI, TEST_PASSWORD
from tracker import migrate
from tracker.app import create_app
from tracker.db import engine_for, session_factory

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
#: How long a browser step may wait before the test fails, in milliseconds.
STEP_TIMEOUT_MS = 15_000


def browser_unavailable() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install -e '.[test]')"
    if not CHROMIUM.exists():
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    return None


def playwright_api() -> ModuleType:
    """``playwright.sync_api``; skips the calling test module (outside CI) or fails it (in CI)
    when Playwright or Chromium is missing. Call it at the top of every browser test module."""
    reason = browser_unavailable()
    if reason is not None:
        if IN_CI:
            pytest.fail(f"browser tests are mandatory in CI: {reason}", pytrace=False)
        pytest.skip(reason, allow_module_level=True)
    return importlib.import_module("playwright.sync_api")


@dataclass(frozen=True)
class LiveServer:
    """The address of the running app and of the database it uses."""

    url: str
    database_url: str


def _load_demo(database_url: str, timezone: str) -> None:
    if importlib.util.find_spec("tracker.demo.data") is None:
        return
    from tracker.demo.load import load_demo

    with session_factory(database_url)() as db_session, db_session.begin():
        load_demo(db_session, ZoneInfo(timezone))


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app on a migrated SQLite file with the demo data, served on 127.0.0.1 by a
    background thread (one server per xdist worker, each on its own free port)."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'tracker.db'}"
    migrate.upgrade(database_url)
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "browser-test-secret-key",
            "WTF_CSRF_ENABLED": True,
            "LOGIN_MAX_PER_ADDRESS": 10_000,
        }
    )
    _load_demo(database_url, app.config["LOCAL_TIMEZONE"])
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", database_url=database_url)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        engine_for(database_url).dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium driven by Playwright (never a downloaded browser)."""
    with playwright_api().sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies) and page, in English, closed after the test."""
    context = browser.new_context(locale="en-GB", timezone_id="Asia/Damascus")
    context.set_default_timeout(STEP_TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def login(live_server: LiveServer) -> Callable[[Page, str], str]:
    """Create a user of ``role`` in the live server's database and sign ``page`` in through the
    real sign-in form; return the username."""
    from tracker.services.users import create_user

    def sign_in(page: Page, role: str) -> str:
        username = f"{role}-{uuid.uuid4().hex[:8]}"
        with session_factory(live_server.database_url)() as db_session, db_session.begin():
            create_user(db_session, username, TEST_PASSWORD, role)
        page.goto(f"{live_server.url}/login")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.wait_for_url(lambda url: "/login" not in url)
        page.get_by_role("link", name=username, exact=True).wait_for()
        return username

    return sign_in
