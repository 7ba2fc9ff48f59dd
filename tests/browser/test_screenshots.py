"""Pictures of the home page, the review queue, a report, its map (over OCHA's admin
boundaries where the files are at hand) and the map a new place's point is picked on, in
English and Arabic, written to the folder named by ``TRACKER_SCREENSHOTS`` (skipped when it is
unset)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import LiveServer, playwright_api
from tests.conftest import SHARED
from tracker.db import session_factory
from tracker.services.reference_imports import import_boundaries

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
expect = playwright_api().expect
FOLDER = os.environ.get("TRACKER_SCREENSHOTS", "")
BOUNDARIES = SHARED / "research-data" / "boundaries"


@pytest.mark.skipif(not FOLDER, reason="set TRACKER_SCREENSHOTS to a folder to take pictures")
def test_screenshots_of_home_review_report_and_map_in_both_languages(
    page: Page, live_server: LiveServer, login: Callable[[Page, str], str]
) -> None:
    folder = Path(FOLDER)
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(BOUNDARIES.glob("syr_admbnda_adm[12]_*.geojson")):
        with session_factory(live_server.database_url)() as db, db.begin():
            import_boundaries(db, path, user=None, run_by="screenshots")
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, "reviewer")
    for language, button in (("en", None), ("ar", "العربية")):
        if button:
            page.goto(f"{live_server.url}/")
            page.get_by_role("button", name=button).click()
            expect(page.locator("html")).to_have_attribute("lang", "ar")
        page.goto(f"{live_server.url}/")
        page.screenshot(path=str(folder / f"home-{language}.png"), full_page=True)
        page.goto(f"{live_server.url}/review/")
        page.screenshot(path=str(folder / f"review-{language}.png"), full_page=True)
        page.goto(f"{live_server.url}/agreements/sochi-2018/report")
        expect(page.locator("svg.timeline")).to_be_visible()
        page.screenshot(path=str(folder / f"report-{language}.png"), full_page=False)
        page.locator("#timeline figure").screenshot(path=str(folder / f"timeline-{language}.png"))
        page.locator("#map figure").screenshot(path=str(folder / f"map-{language}.png"))
        page.goto(f"{live_server.url}/places/new")
        expect(page.locator(".pick-map svg")).to_be_visible()
        page.locator(".pick-map").screenshot(path=str(folder / f"pick-map-{language}.png"))
    assert len(list(folder.glob("*.png"))) >= 12
