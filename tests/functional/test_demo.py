"""The demo data set loads once, on both engines, and the verdicts on it follow the rules."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import math
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from tests.conftest import SHARED
from tracker.db import engine_for
from tracker.demo.load import AUTHORS, dataset, load_demo
from tracker.models import (
    Actor,
    Agreement,
    AgreementParty,
    AgreementSource,
    AuditEvent,
    Incident,
    IncidentSource,
    IncidentVerdict,
    Place,
    Provision,
    Revision,
    Source,
    User,
)
from tracker.queries.applicability import assess_incident
from tracker.queries.incidents import IncidentFilters
from tracker.queries.search import ranked_incidents
from tracker.rules import geo
from tracker.rules.applicability import Verdict
from tracker.services.history import verify_audit_chain

TZ = ZoneInfo("Asia/Damascus")
DATA = dataset()
COUNTED = {
    Actor: len(DATA["actors"]),
    Place: len(DATA["places"]),
    Source: len(DATA["sources"]),
    Agreement: len(DATA["agreements"]),
    Incident: len(DATA["incidents"]),
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
        assert verify_audit_chain(session) is None


def test_demo_entries_have_revisions_audit_events_and_reviews_by_other_hands(
    demo: Session,
) -> None:
    analyst, reviewer = (
        demo.scalars(select(User).where(User.username == username)).one()
        for username, _label in AUTHORS.values()
    )
    assert not analyst.is_active
    assert not reviewer.is_active
    statuses = {item["ref"]: item["status"] for item in DATA["incidents"]}
    read = {
        item["ref"]: dt.datetime.fromisoformat(item["accessed_at"] or item["published_at"])
        for item in DATA["sources"]
    }
    entered = {
        item["ref"]: max(read[link["source"]] for link in item["sources"])
        for item in DATA["incidents"]
    }
    for found in demo.scalars(select(Incident).where(Incident.ref.in_(statuses))):
        history = list(
            demo.scalars(
                select(Revision)
                .where(Revision.entity_type == "incidents", Revision.entity_id == found.id)
                .order_by(Revision.id)
            )
        )
        events = set(
            demo.scalars(
                select(AuditEvent.action).where(
                    AuditEvent.entity_type == "incidents", AuditEvent.entity_id == found.id
                )
            )
        )
        assert found.created_by_id == analyst.id, found.ref
        assert history[0].user_id == analyst.id, found.ref
        assert history[0].created_at == entered[str(found.ref)], found.ref
        assert found.status == statuses[str(found.ref)], found.ref
        if found.status in {"draft", "submitted"}:
            assert [r.user_id for r in history] == [analyst.id], found.ref
            assert events == {"incident.create"}, found.ref
        else:
            assert [r.user_id for r in history] == [analyst.id, reviewer.id], found.ref
            assert found.reviewed_by_id == reviewer.id, found.ref
            assert history[1].created_at == entered[str(found.ref)] + dt.timedelta(days=1)
            assert events == {"incident.create", "incident.status"}, found.ref
        for link in found.source_links:
            assert (
                demo.scalar(
                    select(Revision.user_id).where(
                        Revision.entity_type == "incident_sources", Revision.entity_id == link.id
                    )
                )
                == analyst.id
            ), found.ref
    disputed = incident(demo, "DEMO-013")
    assert disputed.status == "disputed"
    assert disputed.status_reason is not None
    assert "HTS" in disputed.status_reason
    keys = {
        Actor: Actor.slug.in_(a["slug"] for a in DATA["actors"]),
        Place: Place.slug.in_(p["slug"] for p in DATA["places"]),
        Source: Source.ref.in_(s["ref"] for s in DATA["sources"]),
        Agreement: Agreement.slug.in_(a["slug"] for a in DATA["agreements"]),
    }
    for model, demo_rows in keys.items():
        table = model.__tablename__
        revised = select(Revision.entity_id).where(Revision.entity_type == table)
        rows = select(func.count()).select_from(model).where(demo_rows)
        assert demo.scalar(rows.where(model.id.not_in(revised))) == 0, table
        assert demo.scalar(rows) == len(DATA[table]), table
    assert demo.scalar(select(func.count()).select_from(IncidentVerdict)) > 0
    searched = ranked_incidents(demo, IncidentFilters(text="Hamamiyat"))
    assert "DEMO-021" in {str(found.ref) for found, _score in searched}
    assert verify_audit_chain(demo) is None


@pytest.fixture(scope="module")
def demo(database_url: str) -> Iterator[Session]:
    """The demo data set, loaded once for the tests of this module (they only read it) in a
    transaction rolled back after them."""
    with engine_for(database_url).connect() as conn:
        transaction = conn.begin()
        try:
            with Session(bind=conn, join_transaction_mode="create_savepoint") as db:
                load_demo(db, TZ)
                db.flush()
                yield db
        finally:
            transaction.rollback()


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


GAZETTEER = SHARED / "research-data" / "gazetteer" / "ocha_syr_locations_communities.csv"


def gazetteer() -> dict[str, dict[str, str]]:
    """The OCHA communities of Syria by P-code."""
    if not GAZETTEER.exists():
        pytest.skip(f"the OCHA gazetteer is not at {GAZETTEER}")
    with GAZETTEER.open(encoding="utf-8-sig", newline="") as handle:
        return {row["Location_Pcode"]: row for row in csv.DictReader(handle)}


def demo_place(slug: str) -> dict[str, Any]:
    return next(p for p in DATA["places"] if p["slug"] == slug)


def test_every_demo_community_matches_its_gazetteer_row() -> None:
    rows = gazetteer()
    for place in (p for p in DATA["places"] if p["pcode"]):
        row = rows[place["pcode"]]
        names = {place["name_en"], place["name_ar"], *place["aliases"]}
        assert {row["admin4Name_ar"], row["LocationName_ar"]} & names, place["slug"]
        assert place["admin3_pcode"] == row["admin3Pcode"], place["slug"]
        assert place["latitude"] == pytest.approx(float(row["Latitude_y"]), abs=1e-5)
        assert place["longitude"] == pytest.approx(float(row["Longitude_x"]), abs=1e-5)


def test_al_hawash_of_the_article_is_hawash_not_tal_hawash() -> None:
    """The article names al-Hawash (الهواش) among the villages taken in spring 2019 and Tal
    Hawash (تل هواش) apart; OCHA lists Hawash (الحواش) and Tal Hawash as two communities."""
    rows = gazetteer()
    [hawash] = [
        r
        for r in rows.values()
        if r["admin4Name_en"] == "Hawash" and r["admin3Name_en"] == "Madiq Castle"
    ]
    named = [p for p in DATA["places"] if "الهواش" in {p["name_ar"], *p["aliases"]}]
    assert [p["slug"] for p in named] == ["al-hawash"]
    assert named[0]["pcode"] == hawash["Location_Pcode"]
    for place in DATA["places"]:
        if {"Tal Hawash", "تل هواش"} & {place["name_en"], place["name_ar"], *place["aliases"]}:
            assert rows[place["pcode"]]["admin4Name_en"] == "Tal Hawash", place["slug"]


def band_sides() -> tuple[list[list[float]], list[list[float]]]:
    """The Sochi zone's ring runs along one edge of the band and back along the other."""
    sochi = next(a for a in DATA["agreements"] if a["slug"] == "sochi-2018")
    [territory] = sochi["territories"]
    [ring] = territory["geometry"]["coordinates"]
    assert ring[0] == ring[-1]
    points = ring[:-1]
    half = len(points) // 2
    assert len(points) == 2 * half
    return points[:half], points[half:]


def distance_to_line_km(point: list[float], line: list[list[float]]) -> float:
    """Haversine distance from ``point`` to the polyline, sampled every 50 m along it."""
    best = math.inf
    for a, b in itertools.pairwise(line):
        steps = max(1, math.ceil(geo.distance_km(a[0], a[1], b[0], b[1]) / 0.05))
        for i in range(steps + 1):
            lon = a[0] + (b[0] - a[0]) * i / steps
            lat = a[1] + (b[1] - a[1]) * i / steps
            best = min(best, geo.distance_km(point[0], point[1], lon, lat))
    return best


def test_sochi_demilitarised_zone_is_15_to_20_km_wide_all_along() -> None:
    one, other = band_sides()
    widths = [distance_to_line_km(p, other) for p in one]
    widths += [distance_to_line_km(p, one) for p in other]
    assert len(widths) >= 20  # measured across at every vertex of either edge
    assert min(widths) >= 15.0, min(widths)
    assert max(widths) <= 20.0, max(widths)
    # the caps at both ends cross the band too
    for a, b in ((one[0], other[-1]), (one[-1], other[0])):
        assert 15.0 <= geo.distance_km(a[0], a[1], b[0], b[1]) <= 20.0


def test_no_casualty_figure_that_no_excerpt_gives(demo: Session) -> None:
    """DEMO-011: the article says dozens were killed and wounded, not how many."""
    retaken = incident(demo, "DEMO-011")
    assert retaken.combatants_killed_low is None
    assert retaken.combatants_killed_best is None
    assert retaken.combatants_killed_high is None
    excerpts = " ".join(link.excerpt or "" for link in retaken.source_links)
    assert "العشرات" in excerpts  # "dozens", kept as the source's words
    for item in DATA["incidents"]:
        figures = [n for group in _CASUALTY_GROUPS for n in item.get(group) or () if n]
        texts = [link.get("excerpt") or "" for link in item["sources"]]
        for figure in figures:
            assert any(str(figure) in text for text in texts), (item["ref"], figure)


_CASUALTY_GROUPS = ("civilians_killed", "civilians_injured", "combatants_killed")


def test_twelve_days_of_fighting_are_a_period_not_twelve_events(demo: Session) -> None:
    assault = incident(demo, "DEMO-007")
    assert assault.event_count is None
    assert assault.date_precision == "day"
    days = (assault.occurred_end - assault.occurred_start) / dt.timedelta(days=1)
    assert days >= 12


def test_no_incident_runs_past_its_latest_source(demo: Session) -> None:
    for found in demo.scalars(select(Incident)):
        published = [s.source.published_at for s in found.source_links if s.source.published_at]
        if not published:
            continue
        latest = max(published).astimezone(TZ).date() + dt.timedelta(days=1)
        assert found.occurred_end.astimezone(TZ).date() <= latest, found.ref
        assert found.occurred_end <= dt.datetime.combine(latest, dt.time(), TZ), found.ref
    rockets = incident(demo, "DEMO-017")
    assert rockets.occurred_end.astimezone(TZ) == dt.datetime(2019, 8, 4, tzinfo=TZ)


def agreement(session: Session, slug: str) -> Agreement:
    found = session.scalar(select(Agreement).where(Agreement.slug == slug))
    assert found is not None, slug
    return found


def roles(found: Agreement) -> dict[str, str]:
    return {party.actor.slug: party.role for party in found.parties}


def sources_of(found: Agreement) -> list[AgreementSource]:
    session = object_session(found)
    assert session is not None
    query = select(AgreementSource).where(AgreementSource.agreement_id == found.id)
    return list(session.scalars(query))


def claims(found: Agreement) -> dict[str, str]:
    return {link.source.ref: link.claim for link in sources_of(found)}


def test_june_2019_truce_binds_the_government_under_russian_turkish_mediation(
    demo: Session,
) -> None:
    truce = agreement(demo, "truce-2019-06-12")
    assert truce.is_unilateral is False
    held = roles(truce)
    assert held["russia"] == held["turkey"] == "guarantor"
    assert held["syrian-government"] == "bound"
    assert held["nfl"] == held["jaish-al-izza"] == "not_notified"
    ministry = claims(truce)["russian-mod-2019-06-12"]
    assert "mediation of Russia and Turkey" in ministry
    assert "government forces" in ministry


def test_government_attack_on_tell_malah_during_the_june_truce_is_a_violation(
    demo: Session,
) -> None:
    assert verdict_of(demo, "DEMO-016") == Verdict.VIOLATION
    assert "is bound" in reason(demo, "DEMO-016", "perpetrator")


def test_31_august_2019_truce_is_a_unilateral_government_ceasefire(demo: Session) -> None:
    truce = agreement(demo, "idlib-truce-2019-08-31")
    assert truce.is_unilateral is True
    assert roles(truce) == {"syrian-government": "signatory"}
    assert truce.effective_from == dt.datetime(2019, 8, 31, 6, tzinfo=TZ)
    statement = next(
        s.source for s in sources_of(truce) if s.source.ref == "russian-mod-2019-08-30"
    )
    assert statement.published_at is not None
    assert statement.published_at.astimezone(TZ).date() == dt.date(2019, 8, 30)
    assert "unilaterally" in claims(truce)["russian-mod-2019-08-30"]


def test_conditional_ceasefire_of_1_to_5_august_2019(demo: Session) -> None:
    truce = agreement(demo, "truce-2019-08-01")
    assert truce.parent is not None
    assert truce.parent.slug == "sochi-2018"
    assert truce.is_unilateral is True
    assert roles(truce) == {"syrian-government": "signatory"}
    assert truce.signed_on == dt.date(2019, 8, 1)
    assert truce.effective_from.astimezone(TZ).date() <= dt.date(2019, 8, 2)
    assert truce.expires_at is not None
    assert truce.expires_at.astimezone(TZ).date() == dt.date(2019, 8, 5)
    seventy_two = agreement(demo, "truce-2019-05-17")
    assert [t.admin_pcodes for t in truce.territories] == [
        t.admin_pcodes for t in seventy_two.territories
    ]
    assert "Sochi" in " ".join(p.text for p in truce.provisions)
    announced = {
        link.source.published_at.astimezone(TZ).date()
        for link in sources_of(truce)
        if link.source.published_at and link.source.kind == "official_statement"
    }
    assert announced == {dt.date(2019, 8, 1), dt.date(2019, 8, 5)}
    assert all(link.source.publisher for link in sources_of(truce))


#: The places the demo puts inside the demilitarised zone: those of the incidents it judges
#: there and the villages of the spring 2019 offensive (al-Tuba, west of the Ghab, is not).
IN_THE_ZONE = (
    "kafr-nabudah",
    "al-hamamiyat",
    "al-hamamiyat-hill",
    "tell-malah",
    "al-jubayn",
    "kabani",
    "qalat-al-madiq",
    "khan-shaykhun",
    "morek",
    "turkish-op-9-morek",
    "turkish-op-sher-mughar",
    "al-jabriyah",
    "al-hawash",
    "al-huwayz",
    "al-karkat",
    "bab-al-taqa",
    "al-janabira",
    "tell-othman",
    "al-qasabiyah",
    "al-humayrat",
    "hardana",
    "qiratah",
)


def test_the_zone_still_holds_the_places_the_demo_puts_in_it(demo: Session) -> None:
    sochi = agreement(demo, "sochi-2018")
    [territory] = sochi.territories
    assert territory.geometry is not None
    for place in demo.scalars(select(Place).where(Place.slug.in_(IN_THE_ZONE))):
        assert place.longitude is not None
        assert place.latitude is not None
        assert geo.contains(territory.geometry, place.longitude, place.latitude), place.slug
    # incidents placed "near" a town are judged inside only when the town is 5 km from the edge
    for ref in ("DEMO-005", "DEMO-006", "DEMO-007", "DEMO-009"):
        assert incident(demo, ref).location_precision == "near"
        assert "the place lies within" in reason(demo, ref, "territory", "sochi-2018")
    assert verdict_of(demo, "DEMO-016", "sochi-2018") == Verdict.VIOLATION
