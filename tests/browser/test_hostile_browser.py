"""Stored payloads in Chromium: on the pages and in the report file nothing runs, nothing is
injected and nothing navigates."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from tests.browser.conftest import LiveServer
from tests.functional.test_hostile_text import _store_payloads
from tests.hostile import injected

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
SLUG = "hostile-browser"
#: Elements a payload would create; the pages never draw them from data.
INJECTED = (
    "[class^=x], iframe, object, embed, base, math, "
    "meta[http-equiv]:not([http-equiv='Content-Security-Policy']), "
    "link[href*='evil'], form[action*='evil'], [onerror], [onload], [ontoggle]"
)


def _watch(page: Page) -> list[str]:
    events: list[str] = []
    page.on("dialog", lambda dialog: (events.append(f"dialog {dialog.message}"), dialog.dismiss()))
    page.on(
        "console",
        lambda message: (
            events.append(f"console {message.text}")
            if message.type == "error" and "favicon" not in message.location["url"]
            else None
        ),
    )
    return events


def _check(page: Page, url: str, events: list[str]) -> None:
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, url
    page.wait_for_timeout(300)  # a meta refresh of 0 s or a handler would have fired by now
    assert page.url.split("#")[0] == url, f"{url} navigated to {page.url}"
    assert events == [], (url, events)
    found = page.eval_on_selector_all(INJECTED, "nodes => nodes.map(n => n.outerHTML)")
    assert found == [], (url, found)
    assert injected(page.content()) == [], url


def test_stored_payloads_run_nothing_on_pages_and_in_the_report_file(
    page: Page, live_server: LiveServer, login: Callable[[Page, str], str], tmp_path: Path
) -> None:
    ids = _store_payloads(live_server.database_url, slug=SLUG)
    events = _watch(page)
    login(page, "analyst")
    base = live_server.url
    report = f"{base}/agreements/{SLUG}/report"
    for url in (
        f"{base}/agreements/{SLUG}",
        report,
        f"{report}?stack=perpetrator",
        f"{base}/incidents/",
        f"{base}/incidents/{ids['incidents'][1]}",
        f"{base}/incidents/{ids['incidents'][2]}/edit",
        f"{base}/actors/{ids['actors'][3]}",
        f"{base}/places/{ids['places'][2]}",
        f"{base}/sources/{ids['sources'][1]}",
    ):
        _check(page, url, events)

    from tracker.cli import cli

    output = tmp_path / "report.html"
    result = CliRunner().invoke(
        cli,
        ["report", SLUG, "--format", "html", "-o", str(output)],
        env={
            "TRACKER_DATABASE_URL": live_server.database_url,
            "TRACKER_INSTANCE_PATH": str(tmp_path / "instance"),
        },
    )
    assert result.exit_code == 0, result.output
    _check(page, output.as_uri(), events)
