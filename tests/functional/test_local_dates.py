"""Every date a person reads is the local day: no page of the demo shows a day shifted to UTC."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.demo_data import demo_into
from tracker.db import session_factory
from tracker.models import Agreement, Incident, Provision, Source
from tracker.rules.local_time import MONTHS_EN, day_text

TZ = ZoneInfo("Asia/Damascus")
TAG = re.compile(r"<[^>]+>")
#: What people wrote (summaries, descriptions, excerpts, notes): their dates are theirs.
PROSE = re.compile(
    r'<(\w+) [^>]*class="[^"]*\bprose\b[^"]*"[^>]*>.*?</\1>|<blockquote.*?</blockquote>', re.S
)
#: A history cell: the value of a text field is prose too, a date is shown as a <time>.
HISTORY_TEXT = re.compile(r'<td class="(?:old|new)">.*?</td>', re.S)
ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
WORDS_DAY = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS_EN) + r") (\d{4})\b")
WORDS_RANGE = re.compile(r"\b(\d{1,2})–(\d{1,2}) (" + "|".join(MONTHS_EN) + r") (\d{4})\b")


def visible_days(page: str) -> set[dt.date]:
    """The days written in the page's text (ISO or in words), attributes and scripts aside."""
    page = PROSE.sub(" ", re.sub(r"<script.*?</script>", "", page, flags=re.S))
    page = HISTORY_TEXT.sub(lambda m: m.group(0) if "<time" in m.group(0) else " ", page)
    text = html.unescape(TAG.sub(" ", page))
    found = {dt.date(int(y), int(m), int(d)) for y, m, d in ISO_DAY.findall(text)}
    for day, month, year in WORDS_DAY.findall(text):
        found.add(dt.date(int(year), MONTHS_EN.index(month) + 1, int(day)))
    for first, last, month, year in WORDS_RANGE.findall(text):
        for day in (first, last):
            found.add(dt.date(int(year), MONTHS_EN.index(month) + 1, int(day)))
    return found


def local_days(start: dt.datetime, end: dt.datetime | None = None) -> set[dt.date]:
    first = start.astimezone(TZ).date()
    last = (end or start).astimezone(TZ).date()
    return {first + dt.timedelta(days=n) for n in range((last - first).days + 1)}


@pytest.fixture
def demo_pages(
    app: object, client: FlaskClient, database_url: str, login_as: Callable[[str], int]
) -> tuple[FlaskClient, dict[str, object]]:
    with session_factory(database_url)() as session, session.begin():
        demo_into(session)
    login_as("reviewer")
    with session_factory(database_url)() as session:
        records: dict[str, object] = {
            "agreements": list(session.scalars(select(Agreement))),
            "sources": list(session.scalars(select(Source))),
            "incidents": list(session.scalars(select(Incident))),
            "provisions": list(session.scalars(select(Provision))),
        }
        session.expunge_all()
    return client, records


def test_every_page_of_the_demo_shows_local_days_never_utc_ones(
    demo_pages: tuple[FlaskClient, dict[str, object]],
) -> None:
    client, records = demo_pages
    agreements: list[Agreement] = records["agreements"]  # type: ignore[assignment]
    sources: list[Source] = records["sources"]  # type: ignore[assignment]
    incidents: list[Incident] = records["incidents"]  # type: ignore[assignment]
    provisions: list[Provision] = records["provisions"]  # type: ignore[assignment]
    stored: list[dt.datetime] = [a.effective_from for a in agreements]
    stored += [a.expires_at for a in agreements if a.expires_at]
    stored += [s.published_at for s in sources if s.published_at]
    stored += [p.deadline for p in provisions if p.deadline]
    legit: set[dt.date] = {dt.datetime.now(TZ).date()}
    for moment in stored:
        legit |= local_days(moment)
    for incident in incidents:
        legit |= local_days(incident.occurred_start, incident.occurred_end)
    legit |= {a.signed_on for a in agreements if a.signed_on}
    shifted = {m.astimezone(dt.UTC).date() for m in stored} - legit
    assert shifted, "the demo has no record whose UTC day differs from its local day"

    pages = ["/", "/agreements/", "/sources/", "/incidents/"]
    pages += [f"/agreements/{a.slug}" for a in agreements]
    pages += [f"/agreements/{a.slug}/report" for a in agreements]
    pages += [f"/sources/{s.id}" for s in sources]
    pages += [f"/incidents/{i.id}" for i in incidents]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        wrong = visible_days(response.get_data(as_text=True)) & shifted
        assert not wrong, f"{path} shows UTC days {sorted(wrong)}"

    listed = client.get("/agreements/").get_data(as_text=True)
    for agreement in agreements:
        assert day_text(agreement.effective_from.astimezone(TZ).date()) in listed
        page = client.get(f"/agreements/{agreement.slug}").get_data(as_text=True)
        local = agreement.effective_from.astimezone(TZ)
        assert f"{day_text(local.date())} {local:%H:%M} Damascus" in page
    sources_page = client.get("/sources/").get_data(as_text=True)
    for source in sources:
        if source.published_at is not None:
            assert day_text(source.published_at.astimezone(TZ).date()) in sources_page


def test_verdict_reasons_and_report_windows_are_written_in_local_time(
    demo_pages: tuple[FlaskClient, dict[str, object]],
) -> None:
    client, records = demo_pages
    incidents: list[Incident] = records["incidents"]  # type: ignore[assignment]
    with_incidents = {i.alleged_agreement_id for i in incidents}
    truce = next(
        a
        for a in records["agreements"]  # type: ignore[attr-defined]
        if a.expires_at and a.id in with_incidents
    )
    local = truce.effective_from.astimezone(TZ)
    report = client.get(f"/agreements/{truce.slug}/report").get_data(as_text=True)
    assert f"{day_text(local.date())} {local:%H:%M} Damascus" in report
    assert " UTC</" not in report
    assert " UTC to " not in report
    incident = next(i for i in incidents if i.alleged_agreement_id == truce.id)
    page = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    assert "agreement&#39;s window" in page or "agreement's window" in page
    assert "UTC to" not in page
    assert f"{day_text(local.date())} {local:%H:%M} Damascus" in page
