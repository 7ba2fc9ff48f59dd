"""User administration: list, create, change role, deactivate (never delete), reset password;
every act in the audit log."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import TEST_PASSWORD, create_user, csrf_token
from tracker.db import session_factory
from tracker.models import AuditEvent, User
from tracker.services.history import verify_audit_chain

LoginAs = Callable[..., int]
NEW_USER = {
    "username": "rania",
    "display_name": "Rania K.",
    "role": "analyst",
    "locale": "ar",
    "password": "a long initial password",
}


def _post_form(client: FlaskClient, path: str, data: dict[str, str]):
    token = csrf_token(client.get(path).get_data(as_text=True))
    return client.post(path, data={**data, "csrf_token": token})


def _user(database_url: str, username: str) -> User:
    with session_factory(database_url)() as db:
        user = db.scalar(select(User).where(User.username == username))
        assert user is not None
        return user


def _sign_in(app: Flask, username: str, password: str) -> FlaskClient:
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    return client


def test_admin_creates_a_user_who_signs_in_in_arabic(
    app: Flask, client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    login_as("admin")
    response = _post_form(client, "/users/new", NEW_USER)
    assert response.status_code == 302
    user = _user(database_url, "rania")
    assert user.role == "analyst"
    assert user.locale == "ar"
    assert "rania" in client.get("/users/").get_data(as_text=True)
    rania = _sign_in(app, "rania", NEW_USER["password"])
    html = rania.get("/").get_data(as_text=True)
    assert 'lang="ar" dir="rtl"' in html


def test_short_password_and_taken_username_are_shown_beside_the_fields(
    client: FlaskClient, login_as: LoginAs
) -> None:
    login_as("admin", username="chief")
    response = _post_form(
        client, "/users/new", {**NEW_USER, "username": "chief", "password": "short"}
    )
    html = response.get_data(as_text=True)
    assert 'id="username-errors"' in html
    assert 'id="password-errors"' in html
    assert "at least 10 characters" in html


def test_admin_changes_role_and_deactivates_without_deleting(
    app: Flask, client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    login_as("admin")
    _post_form(client, "/users/new", NEW_USER)
    user_id = _user(database_url, "rania").id
    response = _post_form(
        client,
        f"/users/{user_id}/edit",
        {"display_name": "Rania K.", "role": "reviewer", "is_active": "y"},
    )
    assert response.status_code == 302
    assert _user(database_url, "rania").role == "reviewer"
    _post_form(client, f"/users/{user_id}/edit", {"display_name": "Rania K.", "role": "reviewer"})
    assert _user(database_url, "rania").is_active is False
    assert "deactivated" in client.get("/users/").get_data(as_text=True)
    refused = _sign_in(app, "rania", NEW_USER["password"])
    assert refused.get("/").status_code == 302
    with session_factory(database_url)() as db:
        actions = db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions.count("user.update") == 2
        assert verify_audit_chain(db) is None


def test_admin_cannot_demote_or_deactivate_themselves(
    client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    admin_id = login_as("admin")
    response = _post_form(client, f"/users/{admin_id}/edit", {"display_name": "", "role": "viewer"})
    html = response.get_data(as_text=True)
    assert "You cannot take away your own administration rights." in html
    assert "You cannot deactivate your own account." in html
    with session_factory(database_url)() as db:
        me = db.get(User, admin_id)
        assert me is not None
        assert me.role == "admin"


def test_reset_password_ends_sessions_and_lifts_the_lock(
    app: Flask, client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    login_as("admin")
    user_id = create_user(database_url, "forgetful", "viewer")
    theirs = _sign_in(app, "forgetful", TEST_PASSWORD)
    assert theirs.get("/").status_code == 200
    response = _post_form(client, f"/users/{user_id}/password", {"password": "brand new password"})
    assert response.status_code == 302
    assert theirs.get("/").status_code == 302
    assert _sign_in(app, "forgetful", "brand new password").get("/").status_code == 200


def test_demo_load_with_users_creates_one_account_per_role(
    app: Flask, run_cli: Callable[..., object]
) -> None:
    result = run_cli("demo", "load", "--with-users", "--demo-password", "demo password 2019")
    output = result.output  # type: ignore[attr-defined]
    assert "demo accounts created: admin, analyst, reviewer, viewer" in output
    assert "demo password 2019" not in output
    for role in ("viewer", "analyst", "reviewer", "admin"):
        client = _sign_in(app, role, "demo password 2019")
        assert client.get("/").status_code == 200, role
    again = run_cli("demo", "load", "--with-users")
    assert "already exist" in again.output  # type: ignore[attr-defined]


def test_demo_load_with_users_prints_a_random_password_once(
    app: Flask, run_cli: Callable[..., object]
) -> None:
    output = run_cli("demo", "load", "--with-users").output  # type: ignore[attr-defined]
    password = output.split("their password (shown once): ")[1].strip()
    assert len(password) >= 12
    assert _sign_in(app, "admin", password).get("/users/").status_code == 200
