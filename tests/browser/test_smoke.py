"""The sign-in page in Chromium: it renders styled, its security policy blocks nothing it needs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import LiveServer, playwright_api

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Page

pytestmark = pytest.mark.browser
expect = playwright_api().expect


def _collect_console_errors(page: Page) -> list[str]:
    """Console errors and uncaught exceptions of ``page`` (CSP refusals are console errors); the
    browser's own request for /favicon.ico, which the app does not serve, is left out."""
    errors: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            errors.append(f"{message.text} ({message.location['url']})")

    page.on("console", keep)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_login_page_renders_with_its_stylesheet_and_no_console_error(
    page: Page, live_server: LiveServer
) -> None:
    errors = _collect_console_errors(page)
    response = page.goto(f"{live_server.url}/login")
    assert response is not None
    assert response.status == 200
    policy = response.headers["content-security-policy"]
    assert "object-src 'none'" in policy
    assert "base-uri 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"

    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_label("Username")).to_be_focused()
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    loaded_sheets = page.evaluate("document.styleSheets.length")
    assert loaded_sheets >= 1, "the stylesheet did not load"
    assert errors == [], f"console errors on the sign-in page: {errors}"


def test_wrong_password_is_refused_on_the_page(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Username").fill("nobody-here")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert page.url.endswith("/login")


def test_signed_in_analyst_sees_the_incidents_area_without_console_errors(
    page: Page, live_server: LiveServer, login: Callable[[Page, str], str]
) -> None:
    errors = _collect_console_errors(page)
    login(page, "analyst")
    page.get_by_role("navigation", name="Areas").get_by_role("link", name="Incidents").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Incidents")
    page.goto(f"{live_server.url}/incidents/new")
    expect(page.locator("form")).not_to_have_count(0)
    assert errors == [], f"console errors: {errors}"
