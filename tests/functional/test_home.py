"""The home page answers "what changed?": violations per agreement in force lately against the
month before, with a trend line; what waits for review; the user's recent work."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests import factories
from tests.functional.test_incidents import build_world
from tracker.db import session_factory
from tracker.models import Agreement, ImportRun, Incident
from tracker.queries.applicability import assess_incident
from tracker.rules.applicability import Verdict

TZ = ZoneInfo("Asia/Damascus")


def _row(page: str, name: str) -> list[int]:
    row = page[page.index(name) :]
    row = row[: row.index("</tr>")]
    return [int(n) for n in re.findall(r'<td class="num">(\d+)', row)]


def test_home_counts_violations_of_the_last_7_and_30_days_against_the_30_before(
    app: Flask, client: FlaskClient, login_as: Any, database_url: str
) -> None:
    world = build_world(database_url)
    user_id = login_as("analyst")
    today = dt.datetime.now(TZ).date()
    with session_factory(database_url)() as session, session.begin():
        for days_ago, actor in ((2, world.government), (5, world.nfl), (20, world.government)):
            for _n in range(2):
                start = dt.datetime.combine(
                    today - dt.timedelta(days=days_ago), dt.time(10), tzinfo=TZ
                ).astimezone(dt.UTC)
                factories.make_incident(
                    session,
                    agreement_id=world.agreement_id,
                    place_id=world.hamamiyat,
                    perpetrator_id=actor,
                    occurred_start=start,
                    occurred_on=today - dt.timedelta(days=days_ago),
                    created_by_id=user_id,
                )
        start = dt.datetime.combine(today - dt.timedelta(days=45), dt.time(10), tzinfo=TZ)
        factories.make_incident(
            session,
            agreement_id=world.agreement_id,
            place_id=world.hamamiyat,
            perpetrator_id=world.government,
            occurred_start=start.astimezone(dt.UTC),
            occurred_on=today - dt.timedelta(days=45),
        )
    with session_factory(database_url)() as session:
        agreement = session.get(Agreement, world.agreement_id)
        assert agreement is not None
        expected = {7: 0, 30: 0, 60: 0}
        for incident in session.scalars(select(Incident)):
            assessment = assess_incident(incident, agreement)
            if assessment.verdict != Verdict.VIOLATION:
                continue
            age = (today - incident.occurred_on).days
            for window in expected:
                if age < window:
                    expected[window] += 1
        name = agreement.name_en
    assert expected[7] > 0
    page = client.get("/").get_data(as_text=True)
    assert _row(page, name) == [expected[7], expected[30], expected[60] - expected[30]]
    section = page[page.index('id="in-force"') : page.index('id="review"')]
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="sparkline"' in section
    assert "7 incidents wait for review." in page
    assert "last violation: " in section
    recent = page[page.index('id="recent"') :]
    assert len(re.findall(r'href="/incidents/\d+"', recent[: recent.index("</section>")])) == 6
    imports = page[page.index('id="imports"') :]
    assert "No import yet." in imports[: imports.index("</section>")]


def test_viewers_see_the_trends_but_not_the_review_counts(
    app: Flask, client: FlaskClient, login_as: Any, database_url: str
) -> None:
    build_world(database_url)
    login_as("viewer")
    page = client.get("/").get_data(as_text=True)
    assert 'id="in-force"' in page
    assert 'id="review"' not in page


def test_the_last_imports_say_when_what_which_file_who_and_the_counts(
    client: FlaskClient, login_as: Any, database_url: str
) -> None:
    login_as("analyst")
    with session_factory(database_url)() as session, session.begin():
        session.add(
            ImportRun(
                kind="acled",
                file_name="syria-2022.csv",
                file_sha256="ab" * 32,
                run_by="analyst",
                options={"skip_invalid": False},
                rows_read=10,
                imported=6,
                updated=2,
                unchanged=1,
                rejected=1,
                started_at=dt.datetime(2022, 7, 1, 9, 0, tzinfo=dt.UTC),
            )
        )
    page = client.get("/").get_data(as_text=True)
    section = page[page.index('id="imports"') :]
    section = section[: section.index("</section>")]
    cells = re.findall(r"<td>(.*?)</td>", section)
    assert [re.sub(r"<[^>]+>", "", c) for c in cells[1:]] == [
        "ACLED events", "syria-2022.csv", "analyst", "10", "6", "2", "1", "1",
    ]  # fmt: skip
    assert "ab" * 32 not in section
    assert "skip_invalid" not in section
