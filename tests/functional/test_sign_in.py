"""Signing in: pages need a signed-in user; the form needs its CSRF token."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.conftest import TEST_PASSWORD, create_user, csrf_token


def test_signed_out_visitor_is_sent_to_the_sign_in_page(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=/")


def test_viewer_signs_in_and_sees_the_agreements(client: FlaskClient, login_as: object) -> None:
    login_as("viewer")  # type: ignore[operator]
    response = client.get("/")
    assert response.status_code == 200
    assert "<h2>Agreements</h2>" in response.get_data(as_text=True)


def test_sign_in_without_csrf_token_is_refused(client: FlaskClient, database_url: str) -> None:
    create_user(database_url, "nocsrf", "viewer")
    response = client.post("/login", data={"username": "nocsrf", "password": TEST_PASSWORD})
    assert response.status_code in (200, 400)
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused(client: FlaskClient, database_url: str) -> None:
    create_user(database_url, "wrongpw", "viewer")
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"username": "wrongpw", "password": "not it at all", "csrf_token": token}
    )
    assert "wrong password" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302
