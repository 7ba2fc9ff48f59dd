"""Security headers on every response (error pages included), session cookie flags, no
outside assets."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import TEST_PASSWORD, create_user, csrf_token
from tracker.app import create_app
from tracker.security import content_security_policy, tile_origin

LoginAs = Callable[..., int]
EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _assert_headers(response) -> None:  # type: ignore[no-untyped-def]
    assert response.headers["Content-Security-Policy"] == EXPECTED_CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_headers_on_pages_redirects_and_error_pages(client: FlaskClient, login_as: LoginAs) -> None:
    _assert_headers(client.get("/login"))
    _assert_headers(client.get("/"))  # redirect to sign in
    _assert_headers(client.get("/static/tracker.css"))
    login_as("viewer")
    for path, code in (("/", 200), ("/no/such/page", 404), ("/users/", 403)):
        response = client.get(path)
        assert response.status_code == code
        _assert_headers(response)
    response = client.put("/login")
    assert response.status_code == 405
    assert "Method not allowed" in response.get_data(as_text=True)
    _assert_headers(response)


def test_server_error_page_has_headers_and_says_nothing_was_saved(
    app: Flask, client: FlaskClient
) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken() -> str:
        raise RuntimeError("boom")

    broken.__dict__["_tracker_rule"] = "public"
    app.add_url_rule("/broken", "broken", broken)
    app.extensions["tracker_rules"]["broken"] = "public"
    response = client.get("/broken")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "nothing was saved" in html
    assert "boom" not in html
    assert "Traceback" not in html
    _assert_headers(response)


def test_map_tile_host_is_allowed_for_images_only() -> None:
    policy = content_security_policy("https://{s}.tile.example.org/{z}/{x}/{y}.png")
    assert "img-src 'self' data: https://*.tile.example.org;" in policy
    assert "script-src 'self';" in policy
    assert tile_origin("javascript:alert(1)") is None
    assert tile_origin("https://bad.example'; script-src *") is None


def test_session_cookie_is_httponly_and_lax_and_secure_only_behind_tls(
    client: FlaskClient, database_url: str
) -> None:
    create_user(database_url, "cookies", "viewer")
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"username": "cookies", "password": TEST_PASSWORD, "csrf_token": token}
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie
    tls_app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "k", "BEHIND_TLS": True})
    assert tls_app.config["SESSION_COOKIE_SECURE"] is True
    tls_client = tls_app.test_client()
    response = tls_client.get("/login", base_url="https://tracker.example")
    assert "Secure" in response.headers["Set-Cookie"]


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.name)
def test_templates_load_nothing_from_elsewhere_and_have_no_inline_script(template: Path) -> None:
    html = template.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']https?://""", html), template
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), template
    assert not re.search(r"\son[a-z]+=", html), template
    assert not re.search(r"\sstyle=", html), template  # the CSP refuses inline styles
    assert "|safe" not in html.replace(" ", ""), template
