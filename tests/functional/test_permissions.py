"""Every route of the app has a rule, and every rule holds for every role and method: walks
``app.url_map`` x method x (anonymous, viewer, analyst, reviewer, admin)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.routing import Rule

from tests.conftest import TEST_PASSWORD, create_user, csrf_token
from tracker.db import session_factory
from tracker.models import AuditEvent, Revision
from tracker.permissions import allowed, rule_for, rules

LoginAs = Callable[..., int]
ROLES = (None, "viewer", "analyst", "reviewer", "admin")
SAMPLE_VALUES = {"integer": "999999", "path": "tracker.css", "default": "no-such-record"}


def _path(rule: Rule) -> str:
    """The rule's path with sample values for its arguments (records that do not exist: an
    allowed user gets 404, a refused one 403 before the record is looked for)."""
    values = {}
    for name, converter in rule._converters.items():
        kind = type(converter).__name__.removesuffix("Converter").lower()
        values[name] = SAMPLE_VALUES.get(kind, SAMPLE_VALUES["default"])
    return rule.build(values, append_unknown=False)[1]


def _writes(app: Flask) -> list[int | None]:
    """How many revisions and audit events are stored."""
    with session_factory(app.config["DATABASE_URL"])() as db:
        return [db.scalar(select(func.count()).select_from(m)) for m in (Revision, AuditEvent)]


def _walk(app: Flask):  # type: ignore[no-untyped-def]
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_every_endpoint_declares_a_rule(app: Flask) -> None:
    declared = rules(app)
    missing = sorted({r.endpoint for r in app.url_map.iter_rules()} - set(declared))
    assert missing == [], f"endpoints without a @requires rule: {missing}"
    for rule, method in _walk(app):
        assert rule_for(app, rule.endpoint, method) is not None, (rule.endpoint, method)


def test_endpoint_without_a_rule_is_refused(
    app: Flask, client: FlaskClient, login_as: LoginAs
) -> None:
    app.add_url_rule("/unruled", "unruled", lambda: "secret")
    assert "unruled" not in rules(app)
    login_as("admin")
    response = client.get("/unruled")
    assert response.status_code == 403
    assert "secret" not in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_every_route_follows_its_rule(
    app: Flask, client: FlaskClient, login_as: LoginAs, role: str | None
) -> None:
    if role is not None:
        login_as(role)
    before = _writes(app)
    checked = 0
    for rule, method in _walk(app):
        if rule.endpoint == "auth.logout":
            continue  # signing out mid-walk would change the role; tested on its own
        needed = rule_for(app, rule.endpoint, method)
        assert needed is not None
        path = _path(rule)
        response = client.open(path, method=method)
        where = f"{method} {path} as {role or 'anonymous'} (rule {needed})"
        assert response.status_code < 500, where
        if rule.endpoint.startswith("api.") and needed != "public":
            # the API takes personal tokens, never the session (tested in test_api.py)
            assert response.status_code == 401, where
        elif allowed(role, needed):
            assert response.status_code != 403, where
            assert not response.location or not response.location.startswith("/login"), where
        elif role is None:
            assert response.status_code == 302, where
            assert response.location.startswith("/login?next="), where
        else:
            assert response.status_code == 403, where
        checked += 1
    assert checked > 20
    assert _writes(app) == before, "a post without a CSRF token wrote something"


def test_refused_requests_get_the_error_page_in_the_layout(
    client: FlaskClient, login_as: LoginAs
) -> None:
    login_as("analyst")
    response = client.get("/users/")
    assert response.status_code == 403
    assert "Not allowed" in response.get_data(as_text=True)


def test_viewer_cannot_post_an_edit_form(client: FlaskClient, login_as: LoginAs) -> None:
    login_as("viewer")
    assert client.get("/actors/new").status_code == 403
    assert client.post("/actors/new", data={"name_en": "X"}).status_code == 403
    assert client.post("/agreements/new", data={"name_en": "X"}).status_code == 403


def test_analyst_cannot_open_admin_pages(client: FlaskClient, login_as: LoginAs) -> None:
    login_as("analyst")
    assert client.get("/users/").status_code == 403
    assert client.get("/users/new").status_code == 403
    assert client.get("/actors/new").status_code == 200


def test_signed_out_visitor_is_sent_to_sign_in_with_the_page_to_return_to(
    client: FlaskClient,
) -> None:
    response = client.get("/users/")
    assert response.status_code == 302
    assert response.location == "/login?next=/users/"
    assert client.get("/login").status_code == 200


def test_admin_opens_user_pages(client: FlaskClient, login_as: LoginAs) -> None:
    login_as("admin")
    assert client.get("/users/").status_code == 200
    assert client.get("/users/new").status_code == 200


def test_navigation_and_buttons_show_only_what_the_role_may_open(
    app: Flask, client: FlaskClient, login_as: LoginAs
) -> None:
    login_as("viewer")
    html = client.get("/actors/").get_data(as_text=True)
    assert 'href="/users/"' not in html
    assert 'href="/actors/new"' not in html
    admin = app.test_client()
    token = csrf_token(admin.get("/login").get_data(as_text=True))
    create_user(app.config["DATABASE_URL"], "navadmin", "admin")
    admin.post(
        "/login", data={"username": "navadmin", "password": TEST_PASSWORD, "csrf_token": token}
    )
    html = admin.get("/actors/").get_data(as_text=True)
    assert 'href="/users/"' in html
    assert 'href="/actors/new"' in html
