"""The source pages: entry, locked edits, retraction, and confidential sources kept from viewers."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests import factories
from tests.conftest import TEST_PASSWORD, create_user, csrf_token
from tracker.db import session_factory
from tracker.models import IncidentSource, Source

CANARY_AUTHOR = "Canary Witness K17"
CANARY_URL = "https://canary.example/witness-k17"
CANARY_NOTES = "canary: met in Maarat al-Numan"


def new_source_data(
    client: FlaskClient, page: str = "/sources/new", **fields: str
) -> dict[str, str]:
    data = {
        "csrf_token": csrf_token(client.get(page).get_data(as_text=True)),
        "kind": "news_article",
        "title": "Idlib: the story of the agreements",
        "publisher": "Sasa Post",
        "language": "ar",
        "published_at": "2019-08-03",
        "reliability": "C",
    }
    return data | fields


def stored(database_url: str, source_id: int) -> Source:
    with session_factory(database_url)() as session:
        source = session.get(Source, source_id)
        assert source is not None
        return source


def created_id(response: Any) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)
    match = re.search(r"/sources/(\d+)$", response.location)
    assert match
    return int(match.group(1))


def test_analyst_adds_a_source_and_sees_it_listed(
    client: FlaskClient, login_as: Any, database_url: str
) -> None:
    login_as("analyst")
    source_id = created_id(client.post("/sources/new", data=new_source_data(client)))
    source = stored(database_url, source_id)
    assert (source.publisher, source.reliability, source.language) == ("Sasa Post", "C", "ar")
    assert source.published_at == dt.datetime(2019, 8, 2, 21, tzinfo=dt.UTC)
    listing = client.get("/sources/?q=sasa").get_data(as_text=True)
    assert f"/sources/{source_id}" in listing


def test_bad_source_input_is_refused_beside_the_field(
    client: FlaskClient, login_as: Any, database_url: str
) -> None:
    login_as("analyst")
    for fields, message in (
        ({"title": ""}, "This field is required."),
        ({"url": "javascript:alert(1)"}, "http://"),
        ({"published_at": "3 August"}, "is not a date"),
        ({"published_at": "2019-08"}, "publication day"),
        ({"reliability": "Z"}, "Not a valid choice"),
    ):
        response = client.post("/sources/new", data=new_source_data(client, **fields))
        assert response.status_code == 200, fields
        assert message in response.get_data(as_text=True), fields
    with session_factory(database_url)() as session:
        assert session.scalar(select(func.count()).select_from(Source)) == 0


def test_stale_source_edit_is_refused_with_both_versions(
    app: Flask, client: FlaskClient, login_as: Any, database_url: str
) -> None:
    login_as("analyst")
    source_id = created_id(client.post("/sources/new", data=new_source_data(client)))
    url = f"/sources/{source_id}/edit"
    mine = new_source_data(client, url, title="Retitled by me", version="1")
    other = app.test_client()
    create_user(database_url, "other-analyst", "analyst")
    token = csrf_token(other.get("/login").get_data(as_text=True))
    other.post(
        "/login",
        data={"username": "other-analyst", "password": TEST_PASSWORD, "csrf_token": token},
    )
    theirs = new_source_data(other, url, title="Retitled by them", version="1")
    created_id(other.post(url, data=theirs))
    refused = client.post(url, data=mine)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "Someone else saved this source" in html
    assert "Retitled by them" in html
    assert 'value="Retitled by me"' in html
    assert stored(database_url, source_id).title == "Retitled by them"


def test_source_retraction_needs_a_reason_and_can_be_undone(
    client: FlaskClient, login_as: Any, database_url: str
) -> None:
    login_as("analyst")
    source_id = created_id(client.post("/sources/new", data=new_source_data(client)))
    token = csrf_token(client.get(f"/sources/{source_id}").get_data(as_text=True))
    refused = client.post(f"/sources/{source_id}/retract", data={"csrf_token": token})
    assert "Give a reason" in client.get(refused.location).get_data(as_text=True)
    assert stored(database_url, source_id).state == "active"
    client.post(f"/sources/{source_id}/retract", data={"csrf_token": token, "reason": "fabricated"})
    source = stored(database_url, source_id)
    assert (source.state, source.retraction_reason) == ("retracted", "fabricated")
    assert f"/sources/{source_id}" not in client.get("/sources/").get_data(as_text=True)
    client.post(f"/sources/{source_id}/restore", data={"csrf_token": token})
    assert stored(database_url, source_id).state == "active"
    html = client.get(f"/sources/{source_id}").get_data(as_text=True)
    history = html[html.index('<section class="history">') :]
    assert re.search(
        r"<td data-field=\"state\">Status</td>\s*<td class=\"old\">retracted</td>", history
    )
    assert "fabricated" in history


def test_viewer_never_sees_a_confidential_source(
    app: Flask, client: FlaskClient, login_as: Any, database_url: str
) -> None:
    with session_factory(database_url)() as session, session.begin():
        witness = factories.make_source(
            session,
            kind="witness",
            title="Witness in Kafr Nabudah",
            author=CANARY_AUTHOR,
            url=CANARY_URL,
            notes=CANARY_NOTES,
            is_confidential=True,
        )
        public = factories.make_source(session, title="Public report", notes=CANARY_NOTES)
        incident = factories.make_incident(session)
        session.add_all(
            [
                IncidentSource(incident_id=incident.id, source_id=witness.id, credibility=2),
                IncidentSource(incident_id=incident.id, source_id=public.id, credibility=3),
            ]
        )
        session.flush()
        ids = (witness.id, public.id, incident.id)
    witness_id, public_id, incident_id = ids
    login_as("viewer")
    pages = [
        client.get("/sources/").get_data(as_text=True),
        client.get(f"/sources/{public_id}").get_data(as_text=True),
        client.get(f"/incidents/{incident_id}").get_data(as_text=True),
        client.get("/incidents/").get_data(as_text=True),
    ]
    assert "Public report" in pages[0]
    assert "Public report" in pages[2]
    for html in pages:
        for canary in (CANARY_AUTHOR, CANARY_URL, CANARY_NOTES, "Witness in Kafr Nabudah"):
            assert canary not in html
    assert client.get(f"/sources/{witness_id}").status_code == 404
    assert client.get("/sources/new").status_code == 403
    assert client.get("/lookup/sources?q=witness").status_code == 403


def test_analyst_sees_a_confidential_source_and_the_incidents_citing_it(
    client: FlaskClient, login_as: Any, database_url: str
) -> None:
    with session_factory(database_url)() as session, session.begin():
        witness = factories.make_source(
            session, kind="witness", title="Witness K17", author=CANARY_AUTHOR, is_confidential=True
        )
        incident = factories.make_incident(session)
        session.add(
            IncidentSource(
                incident_id=incident.id, source_id=witness.id, credibility=2, excerpt="I saw it"
            )
        )
        session.flush()
        witness_id, incident_id = witness.id, incident.id
    login_as("analyst")
    html = client.get(f"/sources/{witness_id}").get_data(as_text=True)
    assert CANARY_AUTHOR in html
    assert f"/incidents/{incident_id}" in html
    assert "I saw it" in html
