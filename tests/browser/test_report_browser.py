"""The report of the Sochi memorandum in Chromium: the chart has a bar per segment, the map a
point per mapped incident, nothing is blocked by the security policy, and print hides the
site's chrome."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tests.browser.conftest import LiveServer, playwright_api
from tracker.db import session_factory
from tracker.models import Agreement, Incident, IncidentVerdict, Place
from tracker.services.report_rebuild import ensure_all_built

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Page

pytestmark = pytest.mark.browser
expect = playwright_api().expect

SLUG = "sochi-2018"
TZ = ZoneInfo("Asia/Damascus")


def _expected(database_url: str) -> tuple[int, int]:
    """Bars (one per day or week and category with incidents) and mapped incidents of the
    internal report, counted from the incidents it counts (its stored verdicts)."""
    with session_factory(database_url)() as session, session.begin():
        ensure_all_built(session)
        agreement = session.scalars(select(Agreement).where(Agreement.slug == SLUG)).one()
        rows = session.execute(
            select(Incident.occurred_on, Incident.category, Place.latitude)
            .join(IncidentVerdict, IncidentVerdict.incident_id == Incident.id)
            .outerjoin(Place, Place.id == Incident.place_id)
            .where(
                IncidentVerdict.agreement_id == agreement.id,
                IncidentVerdict.in_report.is_(True),
                Incident.status.in_(["verified", "submitted", "disputed"]),
            )
        ).all()
        entry = agreement.effective_from.astimezone(TZ).date()
        expiry = agreement.expires_at.astimezone(TZ).date() if agreement.expires_at else entry
    days = [day for day, _category, _lat in rows]
    weekly = (max([expiry, *days]) - min([entry, *days])).days > 92

    def slot(day: dt.date) -> dt.date:
        return day - dt.timedelta(days=day.weekday()) if weekly else day

    bars = {(slot(day), category) for day, category, _lat in rows}
    mapped = sum(1 for _day, _category, lat in rows if lat is not None)
    return len(bars), mapped


def test_report_chart_and_map_show_every_bar_and_point(
    page: Page, live_server: LiveServer, login: Callable[[Page, str], str]
) -> None:
    errors: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            errors.append(message.text)

    page.on("console", keep)
    login(page, "analyst")
    bars, points = _expected(live_server.database_url)
    assert bars > 3
    assert points > 3
    response = page.goto(f"{live_server.url}/agreements/{SLUG}/report")
    assert response is not None
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sochi")
    expect(page.locator("svg.timeline rect.bar")).to_have_count(bars)
    dots = page.locator("svg.map circle.incident-point").count()
    clustered = page.locator("svg.map circle.incident-cluster, svg.map circle.incident-group")
    counts = clustered.evaluate_all("els => els.map(e => Number(e.dataset.count))")
    assert dots + sum(counts) == points  # a dot per incident, or a cluster with its count
    expect(page.locator("svg.map path.territory")).to_have_count(1)
    box = page.locator("svg.timeline").bounding_box()
    assert box is not None
    assert box["width"] > 300
    assert errors == []


def test_printed_report_hides_the_site_header_and_the_period_form(
    page: Page, live_server: LiveServer, login: Callable[[Page, str], str]
) -> None:
    login(page, "viewer")
    page.goto(f"{live_server.url}/agreements/{SLUG}/report")
    expect(page.locator("form.report-period")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("header.site")).to_be_hidden()
    expect(page.locator("form.report-period")).to_be_hidden()
    expect(page.locator("svg.timeline")).to_be_visible()
