"""Entering an incident from an Arabic news line with the keyboard alone, in one attempt.

The line: "قصفت قوات النظام بلدة الحميميات ... صباح 17 أيار 2019 ..." (government forces
shelled the town of al-Hamamiyat on the morning of 17 May 2019). The news spells the town
الحميميات; the gazetteer has الحماميات. The analyst tabs from field to field, types what the
news says, picks suggestions with the arrow keys and Enter, and presses Enter to save.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select

from tests.browser.conftest import LiveServer, playwright_api
from tracker.db import session_factory
from tracker.models import Incident

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page, Request

pytestmark = pytest.mark.browser
expect = playwright_api().expect


def tab_to(page: Page, target: Locator, limit: int = 250) -> None:
    """Press Tab until ``target`` has the focus (the keyboard's way to a field)."""
    for _press in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")


def pick_suggestion(page: Page, field: Locator, text: str, expected: str) -> None:
    """Type ``text`` into a picker, walk to the first suggestion with the arrow key, take it
    with Enter."""
    tab_to(page, field)
    page.keyboard.type(text)
    listbox = page.locator(f"#{field.get_attribute('aria-controls')}")
    expect(listbox.get_by_role("option").first).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(field).to_have_value(expected)


def test_keyboard_only_entry_of_the_hamamiyat_shelling_saves_with_enter_in_one_attempt(
    page: Page, live_server: LiveServer, login: Callable[[Page, str], str]
) -> None:
    login(page, "analyst")
    posts: list[str] = []

    def count_posts(request: Request) -> None:
        if request.method == "POST" and "/incidents/" in request.url:
            posts.append(request.url)

    page.on("request", count_posts)
    page.goto(f"{live_server.url}/incidents/new")

    agreement = page.get_by_label("Alleged agreement", exact=True)
    tab_to(page, agreement)
    page.keyboard.type("Sochi memorandum")
    expect(agreement.locator("option:checked")).to_have_text(re.compile("^Sochi memorandum"))

    tab_to(page, page.get_by_label("Date", exact=True))
    page.keyboard.type("صباح 17 أيار 2019")

    place = page.get_by_role("combobox", name="Place", exact=True)
    pick_suggestion(page, place, "الحميميات", "al-Hamamiyat")
    expect(page.locator(".picker .remember").first).to_be_visible()  # keep the news spelling?

    tab_to(page, page.get_by_label("Category", exact=True))
    page.keyboard.type("Shelling")

    perpetrator = page.get_by_role("combobox", name="Alleged perpetrator", exact=True)
    pick_suggestion(page, perpetrator, "قوات النظام", "Syrian government forces")

    first, second = (page.get_by_role("group", name=f"Source {n}", exact=True) for n in (1, 2))
    pick_suggestion(
        page,
        first.get_by_role("combobox", name="Existing source", exact=True),
        "القصة الكاملة",
        "إدلب «من التحرير إلى التدمير».. القصة الكاملة لمدينة استعصت على الأسد وحلفائه",
    )
    source = second.get_by_role("combobox", name="Existing source", exact=True)
    tab_to(page, source)
    page.keyboard.type("Memorandum on the creation")
    expect(
        page.locator(f"#{source.get_attribute('aria-controls')} [role=option]").first
    ).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # takes the suggestion
    page.keyboard.press("Enter")  # saves the form

    page.wait_for_url(re.compile(r"/incidents/\d+$"))
    incident_id = int(page.url.rsplit("/", 1)[1])
    assert len(posts) == 1, posts  # one attempt
    expect(page.get_by_role("status")).to_contain_text(f"Incident {incident_id} saved")
    record = page.locator("dl.record")
    expect(record).to_contain_text("17 May 2019 05:00–12:00 Damascus")
    expect(page.get_by_role("heading", level=1)).to_contain_text("al-Hamamiyat")

    with session_factory(live_server.database_url)() as session:
        incident = session.scalars(select(Incident).where(Incident.id == incident_id)).one()
        assert incident.occurred_on.isoformat() == "2019-05-17"
        assert incident.date_precision == "time"
        assert len(incident.source_links) == 2
        slug = incident.alleged_agreement.slug if incident.alleged_agreement else None
    assert slug == "sochi-2018"
    page.goto(f"{live_server.url}/agreements/{slug}/report")
    expect(page.locator(f'table.incident-table a[href="/incidents/{incident_id}"]')).to_have_count(
        1
    )
