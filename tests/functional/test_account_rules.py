"""Accounts: common and personal passwords refused, confusable usernames refused, drafts
belong to their authors, and an edited verified incident goes back to review."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import csrf_token
from tests.functional.test_incidents import (
    World,
    form_data,
    load_incident,
    saved_id,
    sign_in,
    world,
)
from tracker.db import session_factory
from tracker.models import Revision, User
from tracker.rules.accounts import normalise_username, password_problem, username_skeleton

__all__ = ["world"]  # the fixture, imported for this module's tests
LoginAs = Callable[..., int]


def _create(client: FlaskClient, username: str, password: str, name: str = "") -> Any:
    token = csrf_token(client.get("/users/new").get_data(as_text=True))
    return client.post(
        "/users/new",
        data={
            "username": username,
            "display_name": name,
            "role": "analyst",
            "locale": "en",
            "password": password,
            "csrf_token": token,
        },
    )


def _users(database_url: str) -> int:
    with session_factory(database_url)() as db:
        return int(db.scalar(select(func.count()).select_from(User)) or 0)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("aaaaaaaaaa", "repeated or sequential"),
        ("1234567890", "most common"),
        ("password12", "most common"),
        ("Qwertyuiop!", "most common"),
        ("samira-haddad-77", "contain the user"),
        ("Samira Haddad", "contain the user"),
    ],
)
def test_an_easy_password_is_refused_beside_the_field(
    client: FlaskClient, login_as: LoginAs, database_url: str, password: str, message: str
) -> None:
    login_as("admin")
    before = _users(database_url)
    response = _create(client, "samira", password, name="Samira Haddad")
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _users(database_url) == before


def test_a_good_password_is_accepted() -> None:
    assert password_problem("seven brown owls at dusk", names=("samira", "Samira H")) is None


@pytest.mark.parametrize("username", ["аdmin", "Admin", "ADMIN", "ａｄｍｉｎ", "adm1n", "ad.min"])
def test_a_username_confusable_with_an_existing_one_is_refused(
    client: FlaskClient, login_as: LoginAs, database_url: str, username: str
) -> None:
    login_as("admin", username="admin")
    before = _users(database_url)
    response = _create(client, username, "seven brown owls at dusk")
    assert response.status_code in {200, 400}
    html = response.get_data(as_text=True)
    assert "too like the existing admin" in html or "Use letters" in html
    assert _users(database_url) == before
    assert username_skeleton(username) == username_skeleton("admin") or "." in username


def test_usernames_are_stored_normalised_and_signed_in_as_typed(
    app: Flask, client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    login_as("admin")
    response = _create(client, "Samira", "seven brown owls at dusk")
    assert response.status_code == 302
    with session_factory(database_url)() as db:
        assert db.scalar(select(User.username).where(User.username == "samira")) == "samira"
    assert normalise_username("ＳＡＭＩＲＡ") == "samira"
    other = app.test_client()
    token = csrf_token(other.get("/login").get_data(as_text=True))
    signed = other.post(
        "/login",
        data={"username": "SAMIRA", "password": "seven brown owls at dusk", "csrf_token": token},
    )
    assert signed.status_code == 302


def test_an_analyst_changes_only_their_own_drafts_and_a_reviewer_any(
    app: Flask, client: FlaskClient, login_as: LoginAs, world: World, database_url: str
) -> None:
    login_as("analyst")
    draft = saved_id(client.post("/incidents/new", data=form_data(client, status="draft")))
    other, _ = sign_in(app, database_url, "analyst", "other-analyst")
    assert other.get(f"/incidents/{draft}/edit").status_code == 403
    token = csrf_token(other.get("/incidents/").get_data(as_text=True) + _token_page(other))
    refused = other.post(
        f"/incidents/{draft}/retract", data={"reason": "not mine", "csrf_token": token}
    )
    assert refused.status_code == 403
    assert load_incident(database_url, draft).status == "draft"
    reviewer, _ = sign_in(app, database_url, "reviewer", "a-reviewer")
    url = f"/incidents/{draft}/edit"
    assert saved_id(reviewer.post(url, data=_edit(reviewer, url, weapon="mortar")))
    assert load_incident(database_url, draft).weapon == "mortar"
    mine = f"/incidents/{draft}/edit"
    assert client.get(mine).status_code == 200


def _edit(client: FlaskClient, url: str, **fields: Any) -> dict[str, Any]:
    data = form_data(client, url, **fields)
    page = client.get(url).get_data(as_text=True)
    data["version"] = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    return data


def _token_page(client: FlaskClient) -> str:
    return client.get("/account").get_data(as_text=True)


def test_editing_a_verified_incident_sends_it_back_to_review(
    app: Flask, client: FlaskClient, login_as: LoginAs, world: World, database_url: str
) -> None:
    login_as("analyst")
    incident_id = saved_id(client.post("/incidents/new", data=form_data(client)))
    reviewer, _ = sign_in(app, database_url, "reviewer", "verifier")
    page = reviewer.get(f"/incidents/{incident_id}").get_data(as_text=True)
    verified = reviewer.post(
        f"/incidents/{incident_id}/status",
        data={"status": "verified", "version": "1", "reason": "", "csrf_token": csrf_token(page)},
    )
    assert verified.status_code == 302
    assert load_incident(database_url, incident_id).status == "verified"
    url = f"/incidents/{incident_id}/edit"
    saved_id(client.post(url, data=_edit(client, url, weapon="artillery")))
    assert load_incident(database_url, incident_id).status == "submitted"
    with session_factory(database_url)() as db:
        last = db.scalars(
            select(Revision)
            .where(Revision.entity_type == "incidents", Revision.entity_id == incident_id)
            .order_by(Revision.id.desc())
        ).first()
        assert last is not None
        assert last.changes["status"] == ["verified", "submitted"]
    history = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert "Verified" in history
    assert "Submitted" in history
