"""Warnings of likely duplicates on the incident page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask.testing import FlaskClient

from tests import factories
from tracker.db import session_factory

UTC = dt.UTC


def test_detail_page_warns_of_likely_duplicates(
    client: FlaskClient, login_as: Any, database_url: str
) -> None:
    with session_factory(database_url)() as session, session.begin():
        agreement = factories.make_agreement(session)
        town = factories.make_place(
            session, name_en="Kafr Nabudah", latitude=35.46, longitude=36.50
        )
        near = factories.make_place(session, name_en="Near hill", latitude=35.47, longitude=36.52)
        far = factories.make_place(session, name_en="Idlib", latitude=35.93, longitude=36.63)
        morning = dt.datetime(2019, 5, 22, 6, tzinfo=UTC)
        first = factories.make_incident(
            session, agreement=agreement, place=town, occurred_start=morning
        )
        same = factories.make_incident(
            session,
            agreement=agreement,
            place=town,
            category="air_strike",
            occurred_start=morning + dt.timedelta(hours=3),
        )
        nearby = factories.make_incident(
            session, place=near, occurred_start=morning + dt.timedelta(days=1)
        )
        distant = factories.make_incident(session, place=far, occurred_start=morning)
        other_kind = factories.make_incident(
            session, place=near, category="troop_build_up", occurred_start=morning
        )
        retracted = factories.make_incident(
            session, agreement=agreement, place=town, occurred_start=morning, status="retracted"
        )
        ids = [i.id for i in (first, same, nearby, distant, other_kind, retracted)]
    first_id, same_id, nearby_id, distant_id, other_kind_id, retracted_id = ids
    login_as("analyst")
    html = client.get(f"/incidents/{first_id}").get_data(as_text=True)
    warning = html[
        html.index("Possible duplicates") : html.index(
            "</section>", html.index("Possible duplicates")
        )
    ]
    assert f"/incidents/{same_id}" in warning
    assert "same agreement, place and day" in warning
    assert f"/incidents/{nearby_id}" in warning
    assert "km away" in warning
    for absent in (distant_id, other_kind_id, retracted_id):
        assert f'/incidents/{absent}"' not in warning


def test_no_warning_for_a_lone_incident(
    client: FlaskClient, login_as: Any, database_url: str
) -> None:
    with session_factory(database_url)() as session, session.begin():
        lone_id = factories.make_incident(session).id
    login_as("analyst")
    assert "Possible duplicates" not in client.get(f"/incidents/{lone_id}").get_data(as_text=True)
