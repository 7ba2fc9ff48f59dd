"""Signing in: one answer for every refusal, account lockout, the per-address limit, password
rehashing, and safe redirects after sign-in."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import TEST_PASSWORD, create_user, csrf_token
from tracker.db import session_factory
from tracker.models import LoginAttempt, User
from tracker.views.auth import safe_next

REFUSAL = "Unknown username or wrong password"


def _sign_in(client: FlaskClient, username: str, password: str, query: str = ""):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    return client.post(
        f"/login{query}", data={"username": username, "password": password, "csrf_token": token}
    )


def _refusal_body(response) -> str:  # type: ignore[no-untyped-def]
    html = response.get_data(as_text=True)
    start = html.index('<p class="flash')
    return html[start : html.index("</p>", start)]


def test_unknown_user_wrong_password_and_locked_account_get_the_same_answer(
    app: Flask, client: FlaskClient, database_url: str
) -> None:
    app.config["LOGIN_MAX_FAILURES"] = 2
    create_user(database_url, "target", "analyst")
    unknown = _sign_in(client, "nobody-here", TEST_PASSWORD)
    wrong = _sign_in(client, "target", "wrong password 1")
    _sign_in(client, "target", "wrong password 2")  # locks the account
    locked = _sign_in(client, "target", TEST_PASSWORD)
    assert unknown.status_code == wrong.status_code == locked.status_code == 200
    assert REFUSAL in _refusal_body(unknown)
    assert _refusal_body(unknown) == _refusal_body(wrong) == _refusal_body(locked)
    assert client.get("/").status_code == 302


def test_account_unlocks_after_the_lock_time(
    app: Flask, client: FlaskClient, database_url: str
) -> None:
    app.config["LOGIN_MAX_FAILURES"] = 1
    create_user(database_url, "locked", "viewer")
    _sign_in(client, "locked", "wrong password")
    assert _sign_in(client, "locked", TEST_PASSWORD).status_code == 200
    with session_factory(database_url)() as db, db.begin():
        user = db.scalar(select(User).where(User.username == "locked"))
        assert user is not None
        assert user.locked_until is not None
        user.locked_until = user.locked_until.replace(year=2000)
    assert _sign_in(client, "locked", TEST_PASSWORD).status_code == 302


def test_one_address_is_limited_across_accounts(
    app: Flask, client: FlaskClient, database_url: str
) -> None:
    app.config["LOGIN_MAX_PER_ADDRESS"] = 3
    create_user(database_url, "innocent", "viewer")
    for n in range(3):
        _sign_in(client, f"guess-{n}", "password guess")
    response = _sign_in(client, "innocent", TEST_PASSWORD)
    assert REFUSAL in response.get_data(as_text=True)
    with session_factory(database_url)() as db:
        attempts = db.scalar(select(func.count(LoginAttempt.id)))
    assert attempts == 4


def test_hash_with_old_parameters_is_replaced_at_sign_in(
    client: FlaskClient, database_url: str
) -> None:
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(TEST_PASSWORD)
    user_id = create_user(database_url, "oldhash", "viewer")
    with session_factory(database_url)() as db, db.begin():
        user = db.get(User, user_id)
        assert user is not None
        user.password_hash = weak
    assert _sign_in(client, "oldhash", TEST_PASSWORD).status_code == 302
    with session_factory(database_url)() as db:
        stored = db.get(User, user_id)
        assert stored is not None
        assert stored.password_hash.startswith("$argon2id$")
        assert stored.password_hash != weak


def test_sign_in_follows_a_local_next_and_ignores_another_site(
    client: FlaskClient, database_url: str
) -> None:
    create_user(database_url, "nexter", "viewer")
    response = _sign_in(client, "nexter", TEST_PASSWORD, "?next=//evil.example/steal")
    assert response.location == "/"
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").get_data(as_text=True))})
    response = _sign_in(client, "nexter", TEST_PASSWORD, "?next=/agreements/")
    assert response.location == "/agreements/"


def test_safe_next_refuses_other_sites(app: Flask) -> None:
    with app.test_request_context("/"):
        for target in (
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "http:/evil.example",
            "javascript:alert(1)",
            "",
            None,
        ):
            assert safe_next(target) == "/", target
        assert safe_next("/incidents/?agreement=sochi") == "/incidents/?agreement=sochi"


def test_deactivated_user_cannot_sign_in(client: FlaskClient, database_url: str) -> None:
    user_id = create_user(database_url, "gone", "analyst")
    with session_factory(database_url)() as db, db.begin():
        user = db.get(User, user_id)
        assert user is not None
        user.is_active = False
    response = _sign_in(client, "gone", TEST_PASSWORD)
    assert REFUSAL in response.get_data(as_text=True)
