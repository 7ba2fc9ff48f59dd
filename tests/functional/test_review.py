"""The review queue: oldest first with the verdict at stake; claim, decide with a reason, go on
to the next; analysts see their drafts and what came back; nobody reviews their own entry."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask.testing import FlaskClient

from tests import factories
from tests.conftest import csrf_token
from tracker.db import session_factory
from tracker.models import Incident

UTC = dt.UTC


def _incidents(database_url: str, analyst_id: int, reviewer_id: int) -> dict[str, int]:
    """Three submitted incidents (entered on three days), one of them by the reviewer; a
    draft of the analyst's."""
    with session_factory(database_url)() as session, session.begin():
        agreement = factories.make_agreement(session)
        place = factories.make_place(session)
        ids = {}
        for name, day, author, status in (
            ("newer", 3, analyst_id, "submitted"),
            ("oldest", 1, analyst_id, "submitted"),
            ("own", 2, reviewer_id, "submitted"),
            ("draft", 4, analyst_id, "draft"),
        ):
            incident = factories.make_incident(
                session,
                agreement=agreement,
                place=place,
                status=status,
                created_by_id=author,
                created_at=dt.datetime(2019, 6, day, 8, tzinfo=UTC),
            )
            session.flush()
            ids[name] = incident.id
        return ids


def _post(client: FlaskClient, url: str, page: str, **data: str) -> Any:
    return client.post(url, data={"csrf_token": csrf_token(page), **data})


def _status(database_url: str, incident_id: int) -> tuple[str, str | None]:
    with session_factory(database_url)() as session:
        incident = session.get(Incident, incident_id)
        assert incident is not None
        return incident.status, incident.status_reason


def test_reviewer_works_through_the_queue_oldest_first_without_going_back_to_the_list(
    client: FlaskClient, login_as: Any, database_url: str
) -> None:
    from tests.conftest import create_user

    analyst = create_user(database_url, "amal", "analyst")
    reviewer = login_as("reviewer")
    ids = _incidents(database_url, analyst, reviewer)
    queue = client.get("/review/").get_data(as_text=True)
    waiting = queue[queue.index('id="waiting"') : queue.index('id="returned"')]
    listed = [int(n) for n in re.findall(r"/incidents/(\d+)\"", waiting)]
    assert listed == [ids["oldest"], ids["own"], ids["newer"]]
    assert "Violation" in waiting or "Outside scope" in waiting or "Indeterminate" in waiting
    assert "yours: another reviewer reviews it" in waiting

    claimed = _post(client, f"/review/{ids['oldest']}/claim", queue)
    assert claimed.status_code == 302
    page = client.get(claimed.location).get_data(as_text=True)
    assert "claimed by" in page
    refused = _post(
        client, f"/review/{ids['oldest']}/decide", page, decision="disputed", version="1"
    )
    assert _status(database_url, ids["oldest"])[0] == "submitted"
    assert refused.location.endswith(f"/review/{ids['oldest']}")
    page = client.get(refused.location).get_data(as_text=True)
    assert "Say why" in page
    decided = _post(
        client,
        f"/review/{ids['oldest']}/decide",
        page,
        decision="disputed",
        reason="The source contradicts the place.",
        version="1",
    )
    assert _status(database_url, ids["oldest"]) == ("disputed", "The source contradicts the place.")
    # straight on to the next one the reviewer may review: not their own entry
    assert decided.location.endswith(f"/review/{ids['newer']}")
    own = client.get(f"/review/{ids['own']}").get_data(as_text=True)
    assert "another reviewer must review it" in own
    forced = _post(client, f"/review/{ids['own']}/decide", own, decision="verified", version="1")
    assert _status(database_url, ids["own"])[0] == "submitted"
    assert forced.status_code == 302

    client.post("/logout", data={"csrf_token": csrf_token(own)})
    token = csrf_token(client.get("/login").get_data(as_text=True))
    client.post(
        "/login",
        data={"username": "amal", "password": "correct horse battery staple", "csrf_token": token},
    )
    mine = client.get("/review/").get_data(as_text=True)
    assert 'id="waiting"' not in mine
    returned = mine[mine.index('id="returned"') : mine.index('id="drafts"')]
    drafts = mine[mine.index('id="drafts"') :]
    assert f"/incidents/{ids['oldest']}" in returned
    assert "The source contradicts the place." in returned
    assert f"/incidents/{ids['draft']}" in drafts
    assert client.get(f"/review/{ids['newer']}").status_code == 403


def test_a_claimed_incident_is_not_decided_by_another_reviewer(
    client: FlaskClient, login_as: Any, database_url: str, app: Any
) -> None:
    from tests.conftest import create_user

    analyst = create_user(database_url, "amal", "analyst")
    first = create_user(database_url, "rami", "reviewer")
    second = login_as("reviewer")
    ids = _incidents(database_url, analyst, second)
    from tracker.models import User
    from tracker.services.review import claim_incident

    with session_factory(database_url)() as session, session.begin():
        user = session.get(User, first)
        assert user is not None
        claim_incident(session, ids["oldest"], actor=user)
    page = client.get(f"/review/{ids['oldest']}").get_data(as_text=True)
    _post(client, f"/review/{ids['oldest']}/decide", page, decision="verified", version="1")
    assert _status(database_url, ids["oldest"])[0] == "submitted"
    queue = client.get("/review/").get_data(as_text=True)
    assert "being reviewed by rami" in queue
