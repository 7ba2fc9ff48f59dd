"""Server-side sessions: the cookie holds only a token; sign-out and password changes end
sessions on the server, so a replayed cookie is refused."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import TEST_PASSWORD, csrf_token
from tracker.db import session_factory
from tracker.models import UserSession

LoginAs = Callable[..., int]


def _post(client: FlaskClient, path: str, data: dict[str, str], form_page: str = "/account"):
    token = csrf_token(client.get(form_page).get_data(as_text=True))
    return client.post(path, data={**data, "csrf_token": token})


def _cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def test_session_row_is_opened_and_cookie_holds_no_user_id(
    client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    user_id = login_as("viewer")
    with session_factory(database_url)() as db:
        rows = db.scalars(select(UserSession).where(UserSession.user_id == user_id)).all()
    assert len(rows) == 1
    assert rows[0].ended_at is None
    assert rows[0].address == "127.0.0.1"
    assert len(rows[0].token_hash) == 64


def test_replayed_cookie_after_sign_out_is_refused(
    app: Flask, client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    user_id = login_as("viewer")
    stolen = _cookie(client)
    response = _post(client, "/logout", {}, form_page="/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302

    replay = app.test_client()
    replay.set_cookie("session", stolen)
    response = replay.get("/")
    assert response.status_code == 302
    assert response.location.startswith("/login")
    with session_factory(database_url)() as db:
        row = db.scalar(select(UserSession).where(UserSession.user_id == user_id))
        assert row is not None
        assert row.end_reason == "sign_out"


def test_password_change_ends_other_sessions_and_keeps_this_one(
    app: Flask, client: FlaskClient, login_as: LoginAs
) -> None:
    login_as("analyst", username="changer")
    other = app.test_client()
    token = csrf_token(other.get("/login").get_data(as_text=True))
    other.post(
        "/login", data={"username": "changer", "password": TEST_PASSWORD, "csrf_token": token}
    )
    assert other.get("/").status_code == 200

    new_password = "a much better passphrase"
    response = _post(
        client,
        "/account",
        {
            "current_password": TEST_PASSWORD,
            "new_password": new_password,
            "confirm_password": new_password,
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302

    fresh = app.test_client()
    token = csrf_token(fresh.get("/login").get_data(as_text=True))
    refused = fresh.post(
        "/login", data={"username": "changer", "password": TEST_PASSWORD, "csrf_token": token}
    )
    assert refused.status_code == 200
    accepted = fresh.post(
        "/login", data={"username": "changer", "password": new_password, "csrf_token": token}
    )
    assert accepted.status_code == 302


def test_wrong_current_password_is_shown_beside_the_field(
    client: FlaskClient, login_as: LoginAs
) -> None:
    login_as("viewer")
    response = _post(
        client,
        "/account",
        {
            "current_password": "not my password",
            "new_password": "whatever else 123",
            "confirm_password": "whatever else 123",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="current_password-errors"' in html
    assert "This is not your current password." in html


def test_deactivated_user_is_signed_out_at_the_next_request(
    app: Flask, client: FlaskClient, login_as: LoginAs
) -> None:
    victim_id = login_as("viewer", username="leaver")
    admin = app.test_client()
    from tests.conftest import create_user

    create_user(app.config["DATABASE_URL"], "boss", "admin")
    token = csrf_token(admin.get("/login").get_data(as_text=True))
    admin.post("/login", data={"username": "boss", "password": TEST_PASSWORD, "csrf_token": token})
    page = admin.get(f"/users/{victim_id}/edit").get_data(as_text=True)
    response = admin.post(
        f"/users/{victim_id}/edit",
        data={"role": "viewer", "display_name": "", "csrf_token": csrf_token(page)},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_user_signs_out_everywhere_else(app: Flask, client: FlaskClient, login_as: LoginAs) -> None:
    login_as("viewer", username="traveller")
    laptop = app.test_client()
    token = csrf_token(laptop.get("/login").get_data(as_text=True))
    credentials = {"username": "traveller", "password": TEST_PASSWORD, "csrf_token": token}
    laptop.post("/login", data=credentials)
    page = client.get("/account").get_data(as_text=True)
    assert "(this session)" in page
    response = client.post("/account/sessions/end", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert "1 other session ended." in client.get("/account").get_data(as_text=True)
    assert laptop.get("/").status_code == 302
    assert client.get("/").status_code == 200
