"""An analyst's day in Chromium: enter the al-Hamamiyat incident in Arabic with two sources, find
it by an English transliteration, edit it, read its history, then read the page in Arabic."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from sqlalchemy.orm import Session

from tests.browser.conftest import LiveServer, playwright_api
from tests.factories import make_agreement, make_place
from tracker.db import session_factory
from tracker.models import Provision, Territory
from tracker.queries.lookup import find_places
from tracker.rules.names import fold

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page, Route

pytestmark = pytest.mark.browser
expect = playwright_api().expect

PLACE_AR = "الحماميات"
DESCRIPTION_AR = (
    "هجوم للمعارضة على بلدة الحماميات وتلتها في ريف حماة الشمالي، تبعته تسع محاولات فاشلة "
    "لاستعادتها، في معركة استمرت أكثر من ثلاثين ساعة شنت خلالها أكثر من 400 غارة جوية."
)
DESCRIPTION_EN = (
    "Opposition attack on al-Hamamiyat town and hill (north Hama); nine failed counter-attacks "
    "and more than 400 air strikes in a battle of more than 30 hours."
)
SOURCES = (
    {
        "Kind": "News article",
        "Title": "ساسة بوست: إدلب، حكاية الاتفاقات التي لم توقف القتال",
        "Publisher": "ساسة بوست",
        "Published": "2019-08-03",
        "Reliability": "C: fairly reliable",
        "Credibility of the information": "2: probably true",
        "Quoted excerpt": "أكثر من 400 غارة جوية خلال 30 ساعة",
    },
    {
        "Kind": "Official statement",
        "Title": "تصريح النقيب ناجي مصطفى، المتحدث باسم الجبهة الوطنية للتحرير",
        "Publisher": "الجبهة الوطنية للتحرير",
        "Published": "2019-07-11",
        "Reliability": "D: not usually reliable",
        "Credibility of the information": "3: possibly true",
        "Quoted excerpt": "تسع محاولات فاشلة لاستعادة البلدة",
    },
)
SELECTS = ("Kind", "Reliability", "Credibility of the information")


def _prepare_records(database_url: str) -> str:
    """An agreement in force on 10 July 2019 over Hama, and the al-Hamamiyat place unless the
    demo data already has it; return the agreement's English name."""
    tag = uuid.uuid4().hex[:6]
    name = f"Sochi memorandum on Idlib ({tag})"
    with session_factory(database_url)() as session, session.begin():
        agreement = make_agreement(
            session,
            slug=f"sochi-{tag}",
            kind="demilitarized_zone",
            name_en=name,
            name_ar=f"مذكرة سوتشي حول إدلب ({tag})",
            effective_from=dt.datetime(2018, 9, 17, 21, tzinfo=dt.UTC),
            expires_at=None,
        )
        session.add_all(
            [
                Provision(
                    agreement=agreement,
                    code="1",
                    kind="cease_fire",
                    title_en="Ceasefire in the zone",
                    title_ar="وقف إطلاق النار في المنطقة",
                ),
                Territory(agreement=agreement, name_en="Hama", admin_pcodes=["SY05"]),
            ]
        )
        if not _place_exists(session, PLACE_AR):
            make_place(
                session,
                slug=f"al-hamamiyat-{tag}",
                name_en="al-Hamamiyat",
                name_ar=PLACE_AR,
                aliases=["Hamamiyat", "Hmamiyat"],
                kind="town",
                admin1_name="Hama",
                admin1_pcode="SY05",
                latitude=35.363,
                longitude=36.598,
            )
    return name


def _place_exists(session: Session, name: str) -> bool:
    return any(
        fold(name) in {fold(p.name_ar or ""), fold(p.name_en)} for p in find_places(session, name)
    )


def _fill_source(row: Locator, values: dict[str, str]) -> None:
    row.get_by_text("or a new source").click()
    for label, value in values.items():
        field = row.get_by_label(label, exact=True)
        if label in SELECTS:
            field.select_option(label=value)
        else:
            field.fill(value)
    row.get_by_label("Language", exact=True).fill("ar")


def test_analyst_enters_finds_edits_and_reads_the_hamamiyat_incident_in_both_languages(
    page: Page, live_server: LiveServer, login: Callable[[Page, str], str]
) -> None:
    agreement = _prepare_records(live_server.database_url)
    username = login(page, "analyst")

    page.goto(f"{live_server.url}/incidents/new")
    page.get_by_label("Alleged agreement", exact=True).select_option(label=agreement)
    page.get_by_label("1: Ceasefire in the zone").check()
    page.get_by_label("Date", exact=True).fill("2019-07-10/2019-07-11")
    page.get_by_label("Place", exact=True).fill(PLACE_AR)
    page.get_by_label("Category", exact=True).select_option(label="Air strike")
    page.get_by_label("Count is", exact=True).select_option(label="more than")
    page.get_by_label("Number of events", exact=True).fill("400")
    page.get_by_label("Over how many hours", exact=True).fill("30")
    page.get_by_label("Description (Arabic)", exact=True).fill(DESCRIPTION_AR)
    for number, values in enumerate(SOURCES, start=1):
        _fill_source(page.get_by_role("group", name=f"Source {number}", exact=True), values)
    page.get_by_role("button", name="Save", exact=True).click()

    page.wait_for_url(re.compile(r"/incidents/\d+"))
    incident_id = int(re.search(r"/incidents/(\d+)", page.url).group(1))  # type: ignore[union-attr]
    expect(page.get_by_role("status")).to_contain_text(f"Incident {incident_id} saved")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Air strike")
    expect(page.get_by_role("paragraph").filter(has_text=DESCRIPTION_AR)).to_be_visible()
    expect(page.get_by_text("more than 400 in 30 hours")).to_be_visible()
    expect(page.get_by_text("1: Ceasefire in the zone")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Applicability"))).to_be_visible()
    for values in SOURCES:
        expect(page.get_by_role("link", name=values["Title"])).to_be_visible()

    page.goto(f"{live_server.url}/incidents/")
    page.get_by_role("search").get_by_label("Search").fill("Hamamiyat")
    page.get_by_role("button", name="Filter", exact=True).click()
    page.wait_for_url(re.compile(r"q=Hamamiyat"))
    page.locator(f'a[href="/incidents/{incident_id}"]').click()

    page.get_by_role("link", name="Edit", exact=True).click()
    page.wait_for_url(re.compile(rf"/incidents/{incident_id}/edit"))
    expect(page.get_by_label("Description (Arabic)", exact=True)).to_have_value(DESCRIPTION_AR)
    page.get_by_label("Description (English)", exact=True).fill(DESCRIPTION_EN)
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(rf"/incidents/{incident_id}(\?|$)"))
    expect(page.get_by_role("paragraph").filter(has_text=DESCRIPTION_EN)).to_be_visible()

    history = page.locator("section.history")
    expect(history.get_by_role("heading", name="History")).to_be_visible()
    change = history.get_by_role("row").filter(has_text="Description (English)")
    expect(change).to_have_count(1)
    expect(change).to_contain_text(DESCRIPTION_EN)
    expect(history).to_contain_text(username)

    page.get_by_role("button", name="العربية").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.get_by_role("button", name="English")).to_be_visible()
    expect(page.get_by_role("paragraph").filter(has_text=DESCRIPTION_AR)).to_be_visible()
    page.reload()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")


def test_a_late_answer_does_not_list_another_agreements_provisions(
    page: Page, live_server: LiveServer, login: Callable[[Page, str], str]
) -> None:
    """The analyst picks one agreement, then another; the first one's provisions arrive last and
    must not be offered under the second."""
    login(page, "analyst")
    held: list[Route] = []

    def hold(route: Route) -> None:
        held.append(route)

    page.route("**/lookup/provisions*", hold)
    page.goto(f"{live_server.url}/incidents/new")
    choice = page.get_by_label("Alleged agreement", exact=True)
    names = [
        text.strip()
        for text in choice.locator("option").all_inner_texts()
        if text.strip() and not text.strip().startswith("—")
    ]
    first, second = names[0], names[1]
    choice.select_option(label=first)
    choice.select_option(label=second)
    for _ in range(50):
        if len(held) == 2:
            break
        page.wait_for_timeout(100)
    older, newer = held
    with page.expect_response(lambda response: response.request == newer.request) as answer:
        newer.continue_()
    wanted = [item["label"] for item in answer.value.json()]
    assert wanted
    expect(page.locator("#provision_ids label")).to_have_text(wanted)
    with page.expect_response(lambda response: response.request == older.request):
        older.continue_()
    page.wait_for_timeout(200)
    expect(page.locator("#provision_ids label")).to_have_text(wanted)
