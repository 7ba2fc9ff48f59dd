"""Every refusal of the services gets one answer: on the pages that save a form (invalid input
beside the fields, a stale edit answered 409 with both versions and the input kept, a missing
record 404, a forbidden change 403) and in the API (one problem per kind of refusal)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from werkzeug.exceptions import HTTPException

from tests.conftest import Tokens, bearer, csrf_token
from tests.factories import make_agreement, make_incident, make_source
from tracker.db import session_factory
from tracker.models import Agreement, Incident, Source
from tracker.services.errors import (
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    ServiceError,
    StaleEditError,
)
from tracker.views.common import save

REFUSED = "Nothing was saved: correct the marked fields."
AGREEMENT = {
    "name_en": "Sochi memorandum on Idlib",
    "slug": "sochi-2018",
    "kind": "demilitarized_zone",
    "signed_on": "2018-09-17",
    "effective_from": "2018-09-17T00:00",
    "expires_at": "",
    "parent_id": "None",
}
SOURCE = {"kind": "news_article", "title": "Bulletin", "reliability": "C"}
INCIDENT = {
    "when": "2019-05-22",
    "category": "shelling",
    "location_precision": "exact",
    "count_qualifier": "exact",
    "status": "submitted",
    "save": "Save",
}


@pytest.fixture
def records(app: Flask, database_url: str) -> dict[str, Any]:
    with session_factory(database_url)() as db, db.begin():
        agreement = make_agreement(db, **{k: AGREEMENT[k] for k in ("slug", "name_en", "kind")})
        source = make_source(db, title=SOURCE["title"])
        incident = make_incident(db, alleged_agreement=agreement)
        draft = make_incident(db, alleged_agreement=agreement, status="draft")
        return {
            "agreement": f"/agreements/{agreement.slug}/edit",
            "source": f"/sources/{source.id}/edit",
            "incident": f"/incidents/{incident.id}/edit",
            "source_id": source.id,
            "incident_id": incident.id,
            "draft_id": draft.id,
        }


def _post(client: FlaskClient, url: str, data: dict[str, str]) -> Any:
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


def _stored(database_url: str, model: type[Any], column: str) -> set[Any]:
    with session_factory(database_url)() as db:
        return {getattr(record, column) for record in db.query(model)}


def test_a_refusal_of_the_service_gets_the_same_answer_on_every_form(
    client: FlaskClient, login_as: Callable[..., int], records: dict[str, Any], database_url: str
) -> None:
    login_as("analyst")
    forms = (
        # page, valid fields, a field the service refuses, the field its message is beside,
        # the field the stale edit changes, the stored model and column
        (
            records["agreement"],
            AGREEMENT,
            {"expires_at": "2018-09-01T00:00"},
            "expires_at",
            "name_en",
            Agreement,
        ),
        (records["source"], SOURCE, {"url": "ftp://example.org/x"}, "url", "title", Source),
        (
            records["incident"],
            INCIDENT,
            {"civilians_killed_low": "9", "civilians_killed_best": "2"},
            "civilians_killed_best",
            "weapon",
            Incident,
        ),
    )
    for url, valid, bad, beside, changed, model in forms:
        refused = _post(client, url, {**valid, **bad, "version": "1"})
        html = refused.get_data(as_text=True)
        assert refused.status_code == 200, url
        assert REFUSED in html, url
        assert f'id="{beside}-errors"' in html, url

        assert (
            _post(client, url, {**valid, changed: "Saved first", "version": "1"}).status_code == 302
        )
        stale = _post(client, url, {**valid, changed: "Typed later", "version": "1"})
        html = stale.get_data(as_text=True)
        assert stale.status_code == 409, url
        assert "Someone else saved" in html, url
        assert 'value="Typed later"' in html, url  # the input kept
        assert "Saved first" in html, url  # beside the stored version
        assert 'name="version" type="hidden" value="2"' in html, (
            url
        )  # the next save is made against the stored version
        assert _stored(database_url, model, changed) >= {"Saved first"}
        assert "Typed later" not in _stored(database_url, model, changed)

    missing = 2_000_000_000
    for url in (f"/sources/{missing}/restore", f"/incidents/{missing}/restore"):
        token = csrf_token(client.get(records["source"]).get_data(as_text=True))
        assert client.post(url, data={"csrf_token": token}).status_code == 404, url


def test_the_save_helper_answers_each_kind_of_refusal_one_way(app: Flask) -> None:
    refusals: list[tuple[ServiceError, int | str]] = [
        (InvalidInputError("Refused.", {"title": "Too long."}), "refused"),
        (StaleEditError("Someone else saved this record.", 3), "stale"),
        (NotFoundError("There is no such record."), 404),
        (ForbiddenError("Not yours."), 403),
    ]
    for error, answer in refusals:

        def write(_db: Any, error: ServiceError = error) -> None:
            raise error

        with app.test_request_context("/", method="POST"):
            if isinstance(answer, int):
                with pytest.raises(HTTPException) as refusal:
                    save(write, "Saved.")
                assert refusal.value.code == answer, error
                continue
            saved = save(write, "Saved.")
            assert not saved.committed, error
            assert saved.stale == (answer == "stale"), error
            assert bool(g.get("stale_edit")) == (answer == "stale"), error


def test_the_api_answers_each_kind_of_refusal_with_one_problem(
    client: FlaskClient, token_for: Tokens, records: dict[str, Any], database_url: str
) -> None:
    headers = bearer(token_for("analyst"))
    incident = f"/api/v1/incidents/{records['incident_id']}"
    source = f"/api/v1/sources/{records['source_id']}"
    body = {"when": "2019-05-22", "category": "shelling"}
    cases = (
        # method, address, body, If-Match, status, member the problem carries
        ("put", incident, {**body, "place_id": 2_000_000_000}, '"1"', 422, "errors"),
        ("post", "/api/v1/sources", {**SOURCE, "url": "ftp://example.org/x"}, None, 422, "errors"),
        ("put", incident, body, '"7"', 412, "current_version"),
        ("put", source, SOURCE, '"7"', 412, "current_version"),
        ("put", "/api/v1/incidents/2000000000", body, '"1"', 404, "detail"),
        ("put", "/api/v1/sources/2000000000", SOURCE, '"1"', 404, "detail"),
        ("put", f"/api/v1/incidents/{records['draft_id']}", body, '"1"', 403, "detail"),
    )
    for method, url, data, version, status, member in cases:
        extra = {"If-Match": version} if version else {}
        response = getattr(client, method)(url, json=data, headers={**headers, **extra})
        assert response.status_code == status, (url, response.get_data(as_text=True))
        assert response.mimetype == "application/problem+json", url
        problem = response.json
        assert problem["status"] == status, url
        assert problem["type"].startswith("/api/v1/problems/"), url
        assert problem["instance"] == url, url
        assert problem["detail"], url
        assert member in problem, url
    with session_factory(database_url)() as db:
        assert db.get(Source, records["source_id"]).version == 1
        assert db.get(Incident, records["incident_id"]).version == 1
