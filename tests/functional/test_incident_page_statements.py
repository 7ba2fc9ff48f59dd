"""The incident page runs as many statements for an operations room of many factions, with
many likely duplicates around it, as for one of a single faction with one duplicate: no
statement per faction or per neighbouring incident."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import event

from tests import factories
from tracker.db import engine_for, session_factory
from tracker.models import Provision

UTC = dt.UTC
MORNING = dt.datetime(2019, 5, 22, 6, tzinfo=UTC)


def counted_get(client: FlaskClient, database_url: str, path: str) -> tuple[str, int]:
    """The page at ``path`` (which must answer 200) and how many statements it ran."""
    engine = engine_for(database_url)
    statements: list[str] = []

    def count(*_args: Any) -> None:
        statements.append("x")

    event.listen(engine, "before_cursor_execute", count)
    try:
        page = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert page.status_code == 200
    return page.get_data(as_text=True), len(statements)


def test_incident_page_statements_do_not_grow_with_factions_or_duplicates(
    client: FlaskClient, login_as: Any, database_url: str
) -> None:
    with session_factory(database_url)() as session, session.begin():
        agreement = factories.make_agreement(session)
        factories.add_party(session, agreement, factories.make_actor(session), "signatory")
        rooms = []
        for factions in (1, 12):
            room = factories.make_actor(session, kind="operations_room")
            for _ in range(factions):
                factories.make_actor(session, parent=room)
            rooms.append(room)
        town = factories.make_place(session, latitude=35.46, longitude=36.50)
        near = factories.make_place(session, latitude=35.47, longitude=36.52)
        small, large = (
            factories.make_incident(
                session, agreement=agreement, place=town, perpetrator=room, occurred_start=MORNING
            ).id
            for room in rooms
        )
    login_as("analyst")

    def measure(incident_id: int) -> int:
        page, statements = counted_get(client, database_url, f"/incidents/{incident_id}")
        assert "Possible duplicates" in page
        return statements

    measure(small)  # the first page may read what a process keeps
    one_faction = measure(small)
    assert measure(large) == one_faction
    with session_factory(database_url)() as session, session.begin():
        for hours in range(1, 11):
            factories.make_incident(
                session,
                agreement=agreement,
                place=near,
                occurred_start=MORNING + dt.timedelta(hours=hours),
            )
    assert measure(small) == one_faction
    assert measure(large) == one_faction


def test_incidents_list_statements_do_not_grow_with_its_rows(
    client: FlaskClient, login_as: Any, database_url: str
) -> None:
    """A page of 30 incidents, each with its own place, perpetrator (a faction of a room),
    alleged agreement and breached provision, runs as many statements as a page of one: the
    names it shows are loaded for the whole page at once."""
    with session_factory(database_url)() as session, session.begin():
        room = factories.make_actor(session, kind="operations_room")
        for n in range(30):
            agreement = factories.make_agreement(session)
            provision = Provision(
                agreement=agreement, code="1", title_en="Cease fire", kind="cease_fire"
            )
            session.add(provision)
            session.flush()
            factories.make_incident(
                session,
                alleged_agreement_id=agreement.id,
                place=factories.make_place(session),
                perpetrator=factories.make_actor(session, parent=room),
                provisions=[provision],
                occurred_start=MORNING - dt.timedelta(days=n),
            )
    login_as("analyst")

    def measure(size: int) -> int:
        client.application.config["PAGE_SIZE"] = size
        page, statements = counted_get(client, database_url, "/incidents/")
        assert page.count('<tr class="status-') == size
        return statements

    measure(1)  # the first page may read what a process keeps
    assert measure(30) == measure(1)
