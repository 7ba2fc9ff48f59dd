"""The incidents list in either order, page by page, and filtered by perpetrator."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.demo_data import demo_into
from tracker.db import session_factory
from tracker.models import Incident

ROW_DATE = re.compile(r'<a href="/incidents/(\d+)"><time datetime="(\d{4}-\d{2}-\d{2})"')


def load_demo_data(database_url: str) -> None:
    with session_factory(database_url)() as session, session.begin():
        demo_into(session)


def listed(client: FlaskClient, url: str) -> tuple[list[tuple[str, int]], str | None]:
    html = client.get(url).get_data(as_text=True)
    rows = [(day, int(number)) for number, day in ROW_DATE.findall(html)]
    following = re.search(r'href="(/incidents/\?[^"]*after=[^"]*)"', html)
    return rows, following.group(1).replace("&amp;", "&") if following else None


def test_oldest_first_pages_cover_every_incident_once_in_date_order(
    app: Flask, client: FlaskClient, login_as: object, database_url: str
) -> None:
    load_demo_data(database_url)
    app.config["PAGE_SIZE"] = 5
    login_as("analyst")  # type: ignore[operator]
    seen: list[tuple[str, int]] = []
    url: str | None = "/incidents/?order=oldest"
    while url:
        rows, url = listed(client, url)
        seen += rows
    with session_factory(database_url)() as session:
        stored = [
            (i.occurred_on.isoformat(), i.id)
            for i in session.scalars(select(Incident).where(Incident.status != "retracted"))
        ]
    assert seen == sorted(stored)


def test_newest_first_is_the_default_order(
    client: FlaskClient, login_as: object, database_url: str
) -> None:
    load_demo_data(database_url)
    login_as("analyst")  # type: ignore[operator]
    rows, _following = listed(client, "/incidents/")
    assert rows == sorted(rows, reverse=True)
    assert len(rows) > 10


def test_perpetrator_filter_is_offered_and_applied(
    client: FlaskClient, login_as: object, database_url: str
) -> None:
    load_demo_data(database_url)
    login_as("analyst")  # type: ignore[operator]
    page = client.get("/incidents/").get_data(as_text=True)
    assert '<option value="russian-forces">' in page
    rows, _following = listed(client, "/incidents/?perpetrator=russian-forces")
    with session_factory(database_url)() as session:
        expected = {
            i.id
            for i in session.scalars(select(Incident))
            if i.perpetrator is not None and i.perpetrator.slug == "russian-forces"
        }
    assert {number for _day, number in rows} == expected
    assert expected
