"""The demo's reports read well: a contents bar whose anchors all lead somewhere, foldable
sections, a timeline with a date axis, a map legend, territories named, plain wording; the
favicon and the comparison page are one click away."""

from __future__ import annotations

import re
from collections.abc import Callable
from zoneinfo import ZoneInfo

from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.demo_data import demo_into
from tracker.db import session_factory
from tracker.models import Agreement, Incident, IncidentVerdict, Place, Territory

TZ = ZoneInfo("Asia/Damascus")


def _demo(database_url: str) -> list[str]:
    with session_factory(database_url)() as session, session.begin():
        demo_into(session)
        return list(session.scalars(select(Agreement.slug).order_by(Agreement.id)))


def test_every_demo_report_has_working_contents_and_foldable_sections(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    slugs = _demo(database_url)
    login_as("analyst")
    for slug in slugs:
        page = client.get(f"/agreements/{slug}/report").get_data(as_text=True)
        contents = page[page.index('<nav class="contents"') :]
        contents = contents[: contents.index("</nav>")]
        anchors = re.findall(r'href="#([^"]+)"', contents)
        assert len(anchors) >= 15
        for anchor in anchors:
            assert f'<section id="{anchor}"' in page, (slug, anchor)
        assert page.count("<details open><summary><h2>") == page.count("<section id=")
        assert "in 1 incidents" not in page
        assert "incidents in scope" not in page
        assert re.search(r"\d{4}-\d{2}-\d{2} \(month\)", page) is None
        timeline = page[page.index('class="chart timeline"') :]
        timeline = timeline[: timeline.index("</svg>")]
        assert len(re.findall(r'class="tick count"', timeline)) >= 2
        assert "violation" in page.lower()


def test_a_territory_given_as_admin_areas_is_named_not_shown_as_raw_pcodes(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    _demo(database_url)
    login_as("analyst")
    with session_factory(database_url)() as session:
        territory = next(
            t for t in session.scalars(select(Territory)) if not t.geometry and t.admin_pcodes
        )
        assert territory is not None
        slug = territory.agreement.slug
        codes = set(territory.admin_pcodes or [])
        known = {
            code
            for place in session.scalars(select(Place))
            for code in (place.admin1_pcode, place.admin2_pcode, place.admin3_pcode, place.pcode)
        }
    page = client.get(f"/agreements/{slug}/report").get_data(as_text=True)
    caption = page[page.index('<section id="map"') : page.index('<section id="rates"')]
    assert "administrative areas" in caption
    named = re.findall(r"<bdi>([^<]+)</bdi> <small dir=\"ltr\">\(([^)]+)\)</small>", caption)
    # every area the gazetteer knows is named, its code after the name
    assert {code for _name, code in named} == codes & known
    assert codes & known
    assert all(name != code for name, code in named)


def test_favicon_and_comparison_link(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.mimetype == "image/svg+xml"
    login_as("viewer")
    home = client.get("/").get_data(as_text=True)
    assert 'href="/reports/compare"' in home[home.index("<nav") : home.index("</nav>")]


def test_incidents_of_imprecise_date_are_drawn_over_their_range(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    _demo(database_url)
    login_as("analyst")
    slug = "sochi-2018"
    page = client.get(f"/agreements/{slug}/report").get_data(as_text=True)
    with session_factory(database_url)() as session:
        expected = session.scalar(
            select(func.count())
            .select_from(IncidentVerdict)
            .join(Incident, Incident.id == IncidentVerdict.incident_id)
            .join(Agreement, Agreement.id == IncidentVerdict.agreement_id)
            .where(
                Agreement.slug == slug,
                IncidentVerdict.in_report.is_(True),
                Incident.date_precision.in_(["week", "month", "year"]),
                Incident.status.in_(["verified", "submitted", "disputed"]),
            )
        )
    assert expected
    timeline = page[page.index('class="chart timeline"') :]
    timeline = timeline[: timeline.index("</svg>")]
    counts = [int(n) for n in re.findall(r'class="range"[^>]*data-count="(\d+)"', timeline)]
    assert sum(counts) == expected
