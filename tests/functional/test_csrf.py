"""CSRF on every form, with CSRF on in the tests: a post whose token is missing or expired
shows the same form again with everything typed, a clear message, and writes nothing."""

from __future__ import annotations

import time
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import csrf_token
from tracker.db import session_factory
from tracker.models import Actor, User

LoginAs = Callable[..., int]
MESSAGE = "nothing was saved"
ACTOR = {
    "name_en": "Jaish al-Izza",
    "name_ar": "جيش العزة",
    "slug": "jaish-al-izza",
    "aliases": "Jaysh al-Izzah\nArmy of Glory",
    "kind": "armed_group",
    "parent_id": "None",
    "country": "SY",
}


def _count(database_url: str, model: type) -> int:
    with session_factory(database_url)() as db:
        return db.scalar(select(func.count()).select_from(model)) or 0


def _assert_kept(html: str) -> None:
    assert MESSAGE in html
    assert 'value="Jaish al-Izza"' in html
    assert 'value="جيش العزة"' in html
    assert "Jaysh al-Izzah\nArmy of Glory" in html
    assert 'value="SY"' in html


def test_missing_token_re_renders_the_form_with_the_input_and_writes_nothing(
    client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    login_as("analyst")
    response = client.post("/actors/new", data=ACTOR)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    _assert_kept(html)
    assert csrf_token(html)  # a fresh token to submit again with
    assert _count(database_url, Actor) == 0

    again = client.post("/actors/new", data={**ACTOR, "csrf_token": csrf_token(html)})
    assert again.status_code == 302
    assert _count(database_url, Actor) == 1


def test_expired_token_re_renders_the_form_and_writes_nothing(
    app: Flask, client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    login_as("analyst")
    token = csrf_token(client.get("/actors/new").get_data(as_text=True))
    app.config["WTF_CSRF_TIME_LIMIT"] = 1
    time.sleep(2.1)
    response = client.post("/actors/new", data={**ACTOR, "csrf_token": token})
    assert response.status_code == 400
    _assert_kept(response.get_data(as_text=True))
    assert _count(database_url, Actor) == 0


def test_token_of_another_session_is_refused_on_the_admin_form(
    app: Flask, client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    login_as("admin")
    foreign = csrf_token(app.test_client().get("/login").get_data(as_text=True))
    users_before = _count(database_url, User)
    response = client.post(
        "/users/new",
        data={
            "username": "newcomer",
            "display_name": "New Comer",
            "role": "analyst",
            "locale": "ar",
            "password": "long enough password",
            "csrf_token": foreign,
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'value="newcomer"' in html
    assert 'value="New Comer"' in html
    assert MESSAGE in html
    assert _count(database_url, User) == users_before


def test_sign_out_without_token_keeps_the_session(client: FlaskClient, login_as: LoginAs) -> None:
    login_as("viewer")
    response = client.post("/logout")
    assert response.status_code == 400
    assert MESSAGE in response.get_data(as_text=True)
    assert client.get("/").status_code == 200


def test_sign_in_form_keeps_the_username_when_the_token_is_missing(client: FlaskClient) -> None:
    response = client.post("/login", data={"username": "typed-name", "password": "x" * 12})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'value="typed-name"' in html
    assert MESSAGE in html
