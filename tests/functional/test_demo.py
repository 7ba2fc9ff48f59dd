"""The demo data set loads once, on both engines, and the verdicts on it follow the rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.demo import data
from tracker.demo.load import load_demo
from tracker.models import (
    Actor,
    Agreement,
    AgreementParty,
    Incident,
    IncidentSource,
    Place,
    Provision,
    Source,
)
from tracker.queries.applicability import assess_incident
from tracker.rules.applicability import Verdict

TZ = ZoneInfo("Asia/Damascus")
COUNTED = {
    Actor: len(data.ACTORS),
    Place: len(data.PLACES),
    Source: len(data.SOURCES),
    Agreement: len(data.AGREEMENTS),
    Incident: len(data.INCIDENTS),
}


def row_counts(session: Session) -> dict[str, int]:
    models = (*COUNTED, AgreementParty, Provision, IncidentSource)
    return {
        m.__tablename__: session.scalar(select(func.count()).select_from(m)) or 0 for m in models
    }


def test_demo_load_twice_adds_nothing_the_second_time(
    run_cli: Callable[..., Any], database_url: str
) -> None:
    first = run_cli("demo", "load")
    assert first.exit_code == 0, first.output
    from tracker.db import session_factory

    with session_factory(database_url)() as session:
        after_first = row_counts(session)
    assert {m.__tablename__: n for m, n in COUNTED.items()}.items() <= after_first.items()
    second = run_cli("demo", "load")
    assert second.exit_code == 0, second.output
    assert "0 records added" in second.output
    with session_factory(database_url)() as session:
        assert row_counts(session) == after_first


@pytest.fixture
def demo(session: Session) -> Session:
    load_demo(session, TZ)
    session.flush()
    return session


def incident(session: Session, ref: str) -> Incident:
    found = session.scalar(select(Incident).where(Incident.ref == ref))
    assert found is not None, ref
    return found


def judged(session: Session, ref: str, slug: str | None = None) -> Any:
    """The rule's assessment of the incident ``ref`` against ``slug`` (by default its alleged
    agreement)."""
    found = incident(session, ref)
    agreement = (
        session.scalars(select(Agreement).where(Agreement.slug == slug)).one()
        if slug
        else found.alleged_agreement
    )
    assert agreement is not None
    return assess_incident(found, agreement)


def reason(session: Session, ref: str, test: str, slug: str | None = None) -> str:
    return " ".join(r.message for r in judged(session, ref, slug).reasons if r.test == test)


def verdict_of(session: Session, ref: str, slug: str | None = None) -> Verdict:
    return Verdict(judged(session, ref, slug).verdict)


def test_demo_has_the_agreements_and_slugs_the_product_promises(demo: Session) -> None:
    slugs = set(demo.scalars(select(Agreement.slug)))
    expected = {"astana-2017", "kafarya-fuah-2018", "sochi-2018", "truce-2019-05-17"}
    assert expected | {"truce-2019-06-12"} <= slugs
    sochi = demo.scalar(select(Agreement).where(Agreement.slug == "sochi-2018"))
    assert sochi is not None
    assert sochi.parent is not None
    assert sochi.parent.slug == "astana-2017"
    weapons = next(p for p in sochi.provisions if p.kind == "heavy_weapons_withdrawal")
    assert weapons.deadline is not None
    assert weapons.deadline.astimezone(TZ).date().isoformat() == "2018-10-10"


def test_demo_is_bilingual_and_keeps_a_confidential_witness(demo: Session) -> None:
    incidents = list(demo.scalars(select(Incident)))
    assert len(incidents) >= 12
    assert all(i.description_en and i.description_ar for i in incidents)
    witnesses = list(demo.scalars(select(Source).where(Source.is_confidential.is_(True))))
    assert any(w.kind == "witness" for w in witnesses)
    cited = set(demo.scalars(select(IncidentSource.source_id)))
    assert any(w.id in cited for w in witnesses)


def test_al_hamamiyat_is_one_aggregate_of_more_than_400_strikes_and_a_violation(
    demo: Session,
) -> None:
    strikes = incident(demo, "DEMO-021")
    assert (strikes.event_count, strikes.count_qualifier) == (400, "more_than")
    assert strikes.count_period_hours == 30
    assert verdict_of(demo, "DEMO-021") == Verdict.VIOLATION


def test_heavy_weapons_kept_past_the_sochi_deadline_is_a_non_attack_violation(
    demo: Session,
) -> None:
    breach = incident(demo, "DEMO-005")
    assert breach.category == "heavy_weapons_in_zone"
    assert verdict_of(demo, "DEMO-005") == Verdict.VIOLATION
    assert "the incident is after it" in reason(demo, "DEMO-005", "deadline")


def test_attack_on_a_turkish_observation_point_is_a_violation(demo: Session) -> None:
    attack = incident(demo, "DEMO-003")
    assert attack.category == "attack_on_monitoring_post"
    assert attack.place is not None
    assert attack.place.kind == "monitoring_post"
    assert verdict_of(demo, "DEMO-003") == Verdict.VIOLATION


def test_strike_claimed_to_target_hts_is_contested(demo: Session) -> None:
    assert verdict_of(demo, "DEMO-013") == Verdict.CONTESTED
    assert "Hayat Tahrir al-Sham" in reason(demo, "DEMO-013", "justification")


def test_month_precision_report_against_the_72_hour_truce_is_indeterminate(demo: Session) -> None:
    assert incident(demo, "DEMO-010").date_precision == "month"
    assert verdict_of(demo, "DEMO-010") == Verdict.INDETERMINATE
    assert "straddles" in reason(demo, "DEMO-010", "time")


def test_government_attack_during_the_russian_unilateral_truce_is_outside_its_scope(
    demo: Session,
) -> None:
    assert verdict_of(demo, "DEMO-016") == Verdict.OUTSIDE_SCOPE
    assert "binds only its announcer" in reason(demo, "DEMO-016", "perpetrator")


def test_rockets_on_hmeimim_are_outside_the_sochi_zone(demo: Session) -> None:
    assert verdict_of(demo, "DEMO-017") == Verdict.OUTSIDE_SCOPE
    assert "outside the agreement's territory" in reason(demo, "DEMO-017", "territory")


def test_operations_room_of_bound_and_excluded_factions_makes_its_attack_contested(
    demo: Session,
) -> None:
    assert verdict_of(demo, "DEMO-020") == Verdict.CONTESTED
    message = reason(demo, "DEMO-020", "perpetrator")
    assert "National Front for Liberation" in message
    assert "Hayat Tahrir al-Sham" in message


def test_both_sides_appear_as_perpetrators(demo: Session) -> None:
    perpetrators = {i.perpetrator.slug for i in demo.scalars(select(Incident)) if i.perpetrator}
    assert {"syrian-government-forces", "russian-forces"} <= perpetrators
    assert perpetrators & {"nfl", "jaish-al-izza", "ahrar-al-sharqiya", "al-fath-al-mubin"}


def test_demo_incidents_get_every_verdict_against_their_alleged_agreements(demo: Session) -> None:
    incidents = list(demo.scalars(select(Incident)))
    verdicts = {verdict_of(demo, str(i.ref)) for i in incidents if i.alleged_agreement}
    assert verdicts == set(Verdict)


@pytest.mark.parametrize(
    ("offset_minutes", "expected"),
    [
        (-1, Verdict.OUTSIDE_SCOPE),
        (0, Verdict.VIOLATION),
        (72 * 60 - 1, Verdict.VIOLATION),
        (72 * 60, Verdict.OUTSIDE_SCOPE),
    ],
)
def test_edges_of_the_demo_72_hour_truce(
    demo: Session, offset_minutes: int, expected: Verdict
) -> None:
    import datetime as dt

    from tracker.queries.applicability import agreement_facts, incident_facts
    from tracker.rules.applicability import assess

    truce = demo.scalar(select(Agreement).where(Agreement.slug == "truce-2019-05-17"))
    assert truce is not None
    assert truce.expires_at is not None
    assert truce.expires_at - truce.effective_from == dt.timedelta(hours=72)
    shelling = incident(demo, "DEMO-009")  # government shelling of Khan Shaykhun, 19 May 2019
    moment = truce.effective_from + dt.timedelta(minutes=offset_minutes)
    facts = agreement_facts(truce)
    timed = replace(
        incident_facts(shelling, facts.roles), start=moment, end=moment, precision="time"
    )
    result = assess(timed, facts)
    assert result.verdict == expected
    assert next(r for r in result.reasons if r.test == "time").message.startswith("the incident")
