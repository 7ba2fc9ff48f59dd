"""The JSON API: tokens, roles and scopes, visibility of confidential data, pages, writes with
optimistic locking and audit, problem details, and the account page that issues tokens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import Tokens, bearer, csrf_token
from tests.factories import make_agreement, make_incident, make_place, make_source
from tracker.api.schemas import validator
from tracker.db import session_factory
from tracker.models import ApiToken, AuditEvent, Incident, IncidentSource, Revision
from tracker.permissions import allowed, rule_for
from tracker.services.api_tokens import digest

ROLES = ("viewer", "analyst", "reviewer", "admin")
CANARY = "Canary7Confidential"


@pytest.fixture
def world(app: Flask, database_url: str) -> dict[str, int]:
    """An agreement, a place, a public incident citing an open and a confidential source, a
    draft incident: the canary is in everything only analysts may see."""
    with session_factory(database_url)() as db, db.begin():
        agreement = make_agreement(db, slug="truce-2019")
        place = make_place(db, name_en="Kafr Nabudah", aliases=["Kafranbouda"])
        public = make_incident(
            db, agreement=agreement, place=place, description_en="Shelling of the market."
        )
        draft = make_incident(
            db, agreement=agreement, status="draft", description_en=f"Draft {CANARY}"
        )
        open_source = make_source(db, title="Open bulletin")
        secret = make_source(db, title=f"Informant {CANARY}", is_confidential=True,
                             notes=CANARY)  # fmt: skip
        db.add_all(
            [
                IncidentSource(incident_id=public.id, source_id=open_source.id, excerpt="open"),
                IncidentSource(incident_id=public.id, source_id=secret.id, excerpt=CANARY),
            ]
        )
        return {
            "public": public.id,
            "draft": draft.id,
            "open_source": open_source.id,
            "secret": secret.id,
            "place": place.id,
        }


def test_requests_without_a_token_get_a_problem(client: FlaskClient, world: dict[str, int]) -> None:
    response = client.get("/api/v1/incidents")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.json is not None
    assert response.json["status"] == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_session_cookie_is_refused(
    client: FlaskClient, login_as: Callable[[str], int], world: dict[str, int]
) -> None:
    login_as("admin")
    assert client.get("/incidents/").status_code == 200
    response = client.get("/api/v1/incidents")
    assert response.status_code == 401
    assert "session" in response.json["detail"]  # type: ignore[index]


def test_revoked_expired_and_unknown_tokens_are_refused(
    client: FlaskClient, token_for: Tokens, world: dict[str, int]
) -> None:
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    for secret in (
        token_for("admin", revoked_at=past),
        token_for("admin", expires_at=past),
        "ctk_" + "x" * 43,
    ):
        response = client.get("/api/v1/incidents", headers=bearer(secret))
        assert response.status_code == 401, secret


def test_a_read_only_token_cannot_write(
    client: FlaskClient, token_for: Tokens, world: dict[str, int]
) -> None:
    secret = token_for("admin", scope="read")
    assert client.get("/api/v1/incidents", headers=bearer(secret)).status_code == 200
    response = client.post(
        "/api/v1/sources", json={"kind": "news_article", "title": "X"}, headers=bearer(secret)
    )
    assert response.status_code == 403
    assert "read" in response.json["detail"]  # type: ignore[index]


def test_a_viewer_token_cannot_write_whatever_its_scope(
    client: FlaskClient, token_for: Tokens, world: dict[str, int]
) -> None:
    response = client.post(
        "/api/v1/sources",
        json={"kind": "news_article", "title": "X"},
        headers=bearer(token_for("viewer")),
    )
    assert response.status_code == 403


def test_tokens_are_stored_hashed(database_url: str, token_for: Tokens) -> None:
    secret = token_for("analyst")
    with session_factory(database_url)() as db:
        stored = db.scalars(select(ApiToken.token_hash)).all()
    assert digest(secret) in stored
    assert secret not in stored


def test_requests_over_the_rate_limit_are_refused(
    app: Flask, client: FlaskClient, token_for: Tokens, world: dict[str, int]
) -> None:
    app.config["API_RATE_LIMIT"] = 3
    secret = token_for("viewer")
    codes = [client.get("/api/v1/actors", headers=bearer(secret)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    other = token_for("viewer")
    assert client.get("/api/v1/actors", headers=bearer(other)).status_code == 200


def _every_get(world: dict[str, int]) -> list[str]:
    return [
        "/api/v1/incidents",
        "/api/v1/incidents?retracted=1&status=draft",
        f"/api/v1/incidents?q={CANARY}",
        f"/api/v1/incidents/{world['public']}",
        f"/api/v1/incidents/{world['draft']}",
        "/api/v1/sources",
        f"/api/v1/sources?q={CANARY}",
        f"/api/v1/sources/{world['open_source']}",
        f"/api/v1/sources/{world['secret']}",
        "/api/v1/agreements",
        "/api/v1/agreements/truce-2019",
        "/api/v1/agreements/truce-2019/report",
        "/api/v1/agreements/truce-2019/report?public=1",
        "/api/v1/actors",
        "/api/v1/places",
        "/api/v1/openapi.json",
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_endpoint_shows_the_canary_only_to_those_who_may_see_it(
    app: Flask, client: FlaskClient, token_for: Tokens, world: dict[str, int], role: str
) -> None:
    secret = token_for(role, scope="read")
    routes = {str(r) for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")}
    assert len(routes) >= 10
    seen = False
    for path in _every_get(world):
        response = client.get(path, headers=bearer(secret))
        assert response.status_code in {200, 404}, (path, response.get_data(as_text=True))
        body = response.get_data(as_text=True)
        public_version = path.endswith("public=1")
        if role == "viewer" or public_version:
            assert CANARY not in body, (role, path)
        else:
            seen = seen or CANARY in body
    assert seen == (role != "viewer")


def test_incident_carries_visible_sources_verdicts_and_an_etag(
    client: FlaskClient, token_for: Tokens, world: dict[str, int]
) -> None:
    response = client.get(
        f"/api/v1/incidents/{world['public']}", headers=bearer(token_for("viewer"))
    )
    assert response.status_code == 200
    body = response.json
    assert body is not None
    assert [s["source_id"] for s in body["sources"]] == [world["open_source"]]
    assert body["alleged_agreement"] == "truce-2019"
    assert response.headers["ETag"] == f'"{body["version"]}"'
    assert not list(validator("Incident").iter_errors(body))


def test_lists_are_keyset_pages_with_next_links(
    client: FlaskClient, token_for: Tokens, database_url: str, world: dict[str, int]
) -> None:
    with session_factory(database_url)() as db, db.begin():
        for day in range(1, 6):
            make_incident(db, occurred_start=dt.datetime(2019, 6, day, tzinfo=dt.UTC))
    headers = bearer(token_for("analyst"))
    seen: list[int] = []
    url: str | None = "/api/v1/incidents?limit=2"
    while url:
        page = client.get(url, headers=headers).json
        assert page is not None
        seen += [i["id"] for i in page["items"]]
        url = page["next"]
    with session_factory(database_url)() as db:
        total = db.scalar(
            select(func.count()).select_from(Incident).where(Incident.status != "retracted")
        )
    assert len(seen) == len(set(seen)) == total


def test_search_through_the_api_is_ranked_and_highlighted(
    client: FlaskClient, token_for: Tokens, world: dict[str, int]
) -> None:
    page = client.get("/api/v1/incidents?q=shelled", headers=bearer(token_for("viewer"))).json
    assert page is not None
    assert [i["id"] for i in page["items"]] == [world["public"]]
    assert "<mark>Shelling</mark>" in page["items"][0]["highlight"]
    by_place = client.get("/api/v1/incidents?q=Kafr+Nabouda", headers=bearer(token_for("viewer")))
    assert [i["id"] for i in by_place.json["items"]] == [world["public"]]  # type: ignore[index]


def test_writing_a_source_uses_the_service_with_locking_and_audit(
    client: FlaskClient, token_for: Tokens, database_url: str, world: dict[str, int]
) -> None:
    headers = bearer(token_for("analyst"))
    created = client.post(
        "/api/v1/sources", json={"kind": "ngo_report", "title": "Field note"}, headers=headers
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    location, etag = created.headers["Location"], created.headers["ETag"]
    body = {"kind": "ngo_report", "title": "Field note, corrected"}
    assert client.put(location, json=body, headers=headers).status_code == 428
    saved = client.put(location, json=body, headers={**headers, "If-Match": etag})
    assert saved.status_code == 200
    stale = client.put(location, json=body, headers={**headers, "If-Match": etag})
    assert stale.status_code == 412
    assert stale.json["current_version"] == saved.json["version"]  # type: ignore[index]
    with session_factory(database_url)() as db:
        source_id = created.json["id"]  # type: ignore[index]
        revisions = db.scalar(
            select(func.count()).where(
                Revision.entity_type == "sources", Revision.entity_id == source_id
            )
        )
        assert revisions == 2


def test_writing_an_incident_validates_and_audits(
    client: FlaskClient, token_for: Tokens, database_url: str, world: dict[str, int]
) -> None:
    headers = bearer(token_for("analyst"))
    bad = client.post(
        "/api/v1/incidents", json={"when": "2019-05-22", "category": "nonsense"}, headers=headers
    )
    assert bad.status_code == 422
    assert "category" in bad.json["errors"]  # type: ignore[index]
    unknown_place = client.post(
        "/api/v1/incidents",
        json={"when": "2019-05-22", "category": "shelling", "place_id": 999999},
        headers=headers,
    )
    assert unknown_place.status_code == 422
    assert "place_id" in unknown_place.json["errors"]  # type: ignore[index]
    created = client.post(
        "/api/v1/incidents",
        json={
            "when": "2019-05-22",
            "category": "air_strike",
            "place_id": world["place"],
            "description_en": "Barrel bombs",
            "status": "submitted",
            "sources": [{"source_id": world["open_source"], "credibility": 2}],
        },
        headers=headers,
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    body = created.json
    assert body is not None
    assert body["sources"][0]["credibility"] == 2
    assert not list(validator("Incident").iter_errors(body))
    with session_factory(database_url)() as db:
        assert db.scalar(
            select(func.count()).where(
                AuditEvent.entity_type == "incidents", AuditEvent.entity_id == body["id"]
            )
        )
    found = client.get("/api/v1/incidents?q=barrel", headers=headers).json
    assert [i["id"] for i in found["items"]] == [body["id"]]  # type: ignore[index]


def test_bad_parameters_and_unknown_paths_are_problems(
    client: FlaskClient, token_for: Tokens, world: dict[str, int]
) -> None:
    headers = bearer(token_for("viewer"))
    for path, status in (
        ("/api/v1/incidents?from=yesterday", 400),
        ("/api/v1/incidents?limit=0", 400),
        ("/api/v1/incidents?after=garbage", 400),
        ("/api/v1/incidents/999999", 404),
        ("/api/v1/nothing", 404),
        ("/api/v1/agreements/none/report", 404),
    ):
        response = client.get(path, headers=headers)
        assert response.status_code == status, path
        assert response.mimetype == "application/problem+json", path


def test_account_page_creates_a_token_shown_once_and_revokes_it(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str, world: dict[str, int]
) -> None:
    login_as("analyst")
    page = client.get("/account/tokens/").get_data(as_text=True)
    response = client.post(
        "/account/tokens/",
        data={"csrf_token": csrf_token(page), "name": "notebook", "scope": "read", "days": "30"},
    )
    html = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    secret = html.split('<code id="new-token">')[1].split("</code>")[0]
    assert secret.startswith("ctk_")
    assert secret not in client.get("/account/tokens/").get_data(as_text=True)
    assert client.get("/api/v1/actors", headers=bearer(secret)).status_code == 200
    with session_factory(database_url)() as db:
        token_id = db.scalar(select(ApiToken.id).where(ApiToken.token_hash == digest(secret)))
    page = client.get("/account/tokens/").get_data(as_text=True)
    client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(page)})
    assert client.get("/api/v1/actors", headers=bearer(secret)).status_code == 401


def test_openapi_document_is_served_and_rendered_offline(client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").json
    assert doc is not None
    assert doc["openapi"].startswith("3.1")
    assert "/incidents/{incident_id}" in doc["paths"]
    html = client.get("/api/v1/docs").get_data(as_text=True)
    assert "GET /api/v1/incidents" in html
    assert "http://" not in html.replace("http://localhost", "")
    assert "https://" not in html.replace("https://json-schema.org", "")


@pytest.mark.parametrize("role", ROLES)
def test_every_api_route_follows_its_rule_with_a_token(
    app: Flask, client: FlaskClient, token_for: Tokens, role: str
) -> None:
    headers = bearer(token_for(role, scope="write"))
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            needed = rule_for(app, rule.endpoint, method)
            assert needed is not None
            path = rule.build(dict.fromkeys(rule.arguments, "999999"), append_unknown=False)[1]
            response = client.open(path, method=method, headers=headers, json={})
            where = f"{method} {path} as {role} (rule {needed})"
            assert response.status_code < 500, where
            if allowed(role, needed):
                assert response.status_code not in {401, 403}, where
            else:
                assert response.status_code == 403, where
            checked += 1
    assert checked >= 14


def test_an_admin_revokes_another_users_token_on_the_users_page(
    client: FlaskClient, login_as: Callable[[str], int], token_for: Tokens, database_url: str
) -> None:
    secret = token_for("analyst")
    with session_factory(database_url)() as db:
        token = db.scalars(select(ApiToken).where(ApiToken.token_hash == digest(secret))).one()
    login_as("admin")
    page = client.get(f"/users/{token.user_id}/edit").get_data(as_text=True)
    assert token.prefix in page
    assert secret not in page
    response = client.post(
        f"/account/tokens/{token.id}/revoke", data={"csrf_token": csrf_token(page)}
    )
    assert response.location.endswith(f"/users/{token.user_id}/edit")
    assert client.get("/api/v1/actors", headers=bearer(secret)).status_code == 401


def test_a_user_cannot_revoke_another_users_token(
    client: FlaskClient, login_as: Callable[[str], int], token_for: Tokens, database_url: str
) -> None:
    secret = token_for("analyst")
    with session_factory(database_url)() as db:
        token_id = db.scalar(select(ApiToken.id).where(ApiToken.token_hash == digest(secret)))
    login_as("reviewer")
    page = client.get("/account/tokens/").get_data(as_text=True)
    client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(page)})
    assert client.get("/api/v1/actors", headers=bearer(secret)).status_code == 200


def test_an_incident_carries_its_verdict_against_every_agreement_that_may_hold_it(
    client: FlaskClient, token_for: Tokens, database_url: str
) -> None:
    from tracker.services.report_rebuild import ensure_all_built

    start = dt.datetime(2019, 5, 19, 9, tzinfo=dt.UTC)
    with session_factory(database_url)() as db, db.begin():
        alleged = make_agreement(db, slug="alleged-truce")
        make_agreement(db, slug="other-truce")
        incident = make_incident(db, agreement=alleged, occurred_start=start)
        ensure_all_built(db)
        incident_id = incident.id
    body = client.get(f"/api/v1/incidents/{incident_id}", headers=bearer(token_for("viewer"))).json
    assert body is not None
    verdicts = {v["agreement"]: v for v in body["verdicts"]}
    assert verdicts["alleged-truce"]["alleged"] is True
    assert body["alleged_agreement"] == "alleged-truce"
    assert all(not v["alleged"] for slug, v in verdicts.items() if slug != "alleged-truce")
    assert not list(validator("Incident").iter_errors(body))
