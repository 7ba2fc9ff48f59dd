"""Every incident is judged against every agreement it may fall under: the reproductions of what
a recount of the reports found when an incident belonged to one agreement only."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import empty_all_tables
from tests.demo_data import demo_into
from tests.pages import listed_incident_ids
from tracker.db import session_factory
from tracker.models import Actor, Agreement, Incident, IncidentVerdict, Place, Provision, User
from tracker.services import incidents
from tracker.services.users import create_user

TZ = ZoneInfo("Asia/Damascus")
UTC = dt.UTC


@pytest.fixture
def demo(database_url: str) -> Iterator[str]:
    with session_factory(database_url)() as session, session.begin():
        demo_into(session)
    try:
        yield database_url
    finally:
        empty_all_tables(database_url)


def _id(session: Session, model: Any, slug: str) -> int:
    return int(session.scalars(select(model.id).where(model.slug == slug)).one())


def _government_attack(
    session: Session, when: str, alleged: str, category: str, **extra: Any
) -> Incident:
    """A submitted attack by Syrian government forces on Kafr Nabudah, entered through the
    incident service."""
    return incidents.create_incident(
        session,
        {
            "when": when,
            "alleged_agreement_id": _id(session, Agreement, alleged),
            "place_id": _id(session, Place, "kafr-nabudah"),
            "perpetrator_id": _id(session, Actor, "syrian-government-forces"),
            "category": category,
            "status": "submitted",
            **extra,
        },
        actor=None,
        tz=TZ,
    )


def _report(client: FlaskClient, slug: str, query: str = "") -> dict[str, Any]:
    response = client.get(f"/agreements/{slug}/report?format=json{query}")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    data: dict[str, Any] = response.get_json()
    return data


def _refs(database_url: str, ids: list[int]) -> set[str]:
    with session_factory(database_url)() as session:
        return set(session.scalars(select(Incident.ref).where(Incident.id.in_(ids))))


def _window(report: dict[str, Any], name: str) -> dict[str, Any]:
    return next(w for w in report["rates"][0]["windows"] if w["name"] == name)


def test_the_72_hour_truce_counts_the_kafr_nabudah_incidents_of_22_may_after_it(
    client: FlaskClient, login_as: Callable[[str], int], demo: str
) -> None:
    """Two verified incidents at Kafr Nabudah from 22 May 2019, filed under Sochi, lie in the
    truce's territory and start in its "after" window: the assault of that day counts there,
    the four days of bombardment that followed overrun the window and are counted as too
    imprecisely dated to place."""
    login_as("analyst")
    report = _report(client, "truce-2019-05-17")
    after = _window(report, "after")
    assert after["incidents"] >= 1
    assert report["rates"][0]["imprecise"] >= 1
    assert after["incidents"] + report["rates"][0]["imprecise"] >= 2
    assert after["violations"] == 0  # nothing after an agreement's expiry breaches it
    with session_factory(demo)() as session:
        truce = _id(session, Agreement, "truce-2019-05-17")
        judged = session.execute(
            select(Incident.ref, IncidentVerdict.territory_finding)
            .join(IncidentVerdict, IncidentVerdict.incident_id == Incident.id)
            .where(
                IncidentVerdict.agreement_id == truce, Incident.ref.in_(["DEMO-011", "DEMO-012"])
            )
        ).all()
    assert sorted(judged) == [("DEMO-011", 0), ("DEMO-012", 0)]


def test_the_astana_report_counts_the_incidents_filed_under_agreements_nested_in_it(
    client: FlaskClient, login_as: Callable[[str], int], demo: str
) -> None:
    login_as("analyst")
    report = _report(client, "astana-2017")
    counted = listed_incident_ids(client, "agreement=astana-2017")
    assert report["total"] == len(counted)
    refs = _refs(demo, counted)
    with session_factory(demo)() as session:
        alleged = {
            slug: set(
                session.scalars(
                    select(Incident.ref)
                    .join(Agreement, Agreement.id == Incident.alleged_agreement_id)
                    .where(Agreement.slug == slug)
                )
            )
            for slug in ("astana-2017", "sochi-2018", "truce-2019-05-17", "truce-2019-06-12")
        }
    assert {"DEMO-009", "DEMO-012", "DEMO-015"} <= refs  # filed under nested agreements
    assert len(refs - alleged["astana-2017"]) > len(refs & alleged["astana-2017"])
    assert "DEMO-017" not in refs  # Hmeimim, in Latakia: outside every Astana area


def test_the_sochi_before_row_counts_astana_incidents_in_the_zone(
    client: FlaskClient, login_as: Callable[[str], int], demo: str
) -> None:
    with session_factory(demo)() as session, session.begin():
        _government_attack(session, "2018-06-01 10:00", "astana-2017", "shelling")
    login_as("analyst")
    before = _window(_report(client, "sochi-2018"), "before")
    assert before["incidents"] >= 1
    assert before["bound"] >= 1
    assert before["violations"] == 0


def _reviewer(session: Session) -> User:
    return create_user(session, "reviewer-lens", "long enough password", "reviewer")


def test_rejected_incidents_are_never_counted_and_the_report_says_so(
    client: FlaskClient, login_as: Callable[[str], int], demo: str
) -> None:
    login_as("analyst")
    before = _report(client, "truce-2019-05-17")
    with session_factory(demo)() as session, session.begin():
        reviewer = _reviewer(session)
        made = _government_attack(session, "2019-05-19 11:00", "truce-2019-05-17", "air_strike")
        incidents.change_status(
            session, made.id, "rejected", made.version, actor=reviewer, reason="no source"
        )
    after = _report(client, "truce-2019-05-17")
    assert after["total"] == before["total"]
    assert after["left_out"].get("rejected", 0) == before["left_out"].get("rejected", 0) + 1
    violation = next(r for r in after["verdicts"] if r["key"] == "violation")
    assert sum(violation["by_status"].values()) == violation["incidents"]
    assert set(violation["by_status"]) == {"verified", "submitted", "disputed"}


@pytest.mark.parametrize("slug", ["astana-2017", "sochi-2018", "truce-2019-05-17"])
def test_the_verdict_filter_lists_exactly_the_incidents_the_report_counted(
    app: Flask, client: FlaskClient, login_as: Callable[[str], int], demo: str, slug: str
) -> None:
    app.config["PAGE_SIZE"] = 3  # several pages: no cap may cut the list
    login_as("analyst")
    report = _report(client, slug)
    for row in report["verdicts"]:
        listed = listed_incident_ids(client, f"agreement={slug}&verdict={row['key']}")
        assert len(listed) == len(set(listed)) == row["incidents"], row["key"]


def test_the_incident_page_shows_its_verdict_against_every_agreement_alleged_first(
    client: FlaskClient, login_as: Callable[[str], int], demo: str
) -> None:
    with session_factory(demo)() as session:
        incident = session.scalars(select(Incident).where(Incident.ref == "DEMO-009")).one()
    login_as("viewer")
    page = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    verdicts = page.split('<section class="verdicts">')[1].split("</section>")[0]
    names = re.findall(r"<summary><bdi>([^<]+)</bdi>", verdicts)
    assert names[0] == "72-hour truce of May 2019"
    assert "(alleged)" in verdicts.split("</summary>")[0]
    assert "Astana" in " ".join(names)
    assert len(names) >= 3


def test_a_pending_deadline_never_hides_a_ceasefire_breach_in_the_store(
    client: FlaskClient, login_as: Callable[[str], int], demo: str
) -> None:
    """Sochi, 15 November 2018, Kafr Nabudah, government shelling tagged SOCHI-1 (cease fire)
    and SOCHI-6 (roads open by the end of 2018): a violation of Sochi."""
    with session_factory(demo)() as session, session.begin():
        sochi = _id(session, Agreement, "sochi-2018")
        codes = {"SOCHI-1", "SOCHI-6"}
        provisions = session.scalars(
            select(Provision.id).where(Provision.agreement_id == sochi, Provision.code.in_(codes))
        ).all()
        made = _government_attack(
            session, "2018-11-15 10:00", "sochi-2018", "shelling", provision_ids=list(provisions)
        )
    login_as("analyst")
    violations = listed_incident_ids(client, "agreement=sochi-2018&verdict=violation")
    assert made.id in violations
