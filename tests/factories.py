"""Builders of valid records for tests; each takes keyword overrides. Like the write services,
they keep the report store (:mod:`tracker.services.report_store`) current."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from sqlalchemy.orm import Session

from tracker.models import Actor, Agreement, AgreementParty, Incident, Place, Source
from tracker.services.publishers import Publishers
from tracker.services.report_store import changing, invalidate

_seq = itertools.count(1)
UTC = dt.UTC


def make_actor(session: Session, **overrides: Any) -> Actor:
    n = next(_seq)
    values: dict[str, Any] = {"slug": f"actor-{n}", "name_en": f"Actor {n}", "kind": "armed_group"}
    actor = Actor(**(values | overrides))
    session.add(actor)
    session.flush()
    return actor


def make_place(session: Session, **overrides: Any) -> Place:
    n = next(_seq)
    values: dict[str, Any] = {
        "slug": f"place-{n}",
        "name_en": f"Place {n}",
        "kind": "village",
        "latitude": 35.4,
        "longitude": 36.6,
    }
    place = Place(**(values | overrides))
    session.add(place)
    session.flush()
    return place


def make_agreement(session: Session, **overrides: Any) -> Agreement:
    n = next(_seq)
    values: dict[str, Any] = {
        "slug": f"agreement-{n}",
        "kind": "truce",
        "name_en": f"Agreement {n}",
        "effective_from": dt.datetime(2019, 5, 17, 21, tzinfo=UTC),
        "expires_at": dt.datetime(2019, 5, 20, 21, tzinfo=UTC),
    }
    agreement = Agreement(**(values | overrides))
    session.add(agreement)
    session.flush()
    return agreement


def add_party(session: Session, agreement: Agreement, actor: Actor, role: str) -> AgreementParty:
    party = AgreementParty(agreement=agreement, actor=actor, role=role)
    session.add(party)
    session.flush()
    invalidate(session, [agreement.id])
    return party


def make_source(session: Session, **overrides: Any) -> Source:
    n = next(_seq)
    values: dict[str, Any] = {"kind": "news_article", "title": f"Report {n}", "reliability": "C"}
    publisher = Publishers(session).resolve(overrides.get("publisher"))
    if publisher is not None:
        values["publisher_id"] = publisher.id
    source = Source(**(values | overrides))
    session.add(source)
    session.flush()
    return source


def make_incident(session: Session, **overrides: Any) -> Incident:
    start = overrides.pop("occurred_start", dt.datetime(2019, 5, 19, 9, tzinfo=UTC))
    values: dict[str, Any] = {
        "occurred_start": start,
        "occurred_end": overrides.pop("occurred_end", start),
        "occurred_on": start.date(),
        "date_precision": "time",
        "category": "shelling",
        "status": "submitted",
    }
    # ``agreement`` names the incident's alleged agreement
    if "agreement" in overrides:
        overrides["alleged_agreement"] = overrides.pop("agreement")
    if "agreement_id" in overrides:
        overrides["alleged_agreement_id"] = overrides.pop("agreement_id")
    if "alleged_agreement" not in overrides and "alleged_agreement_id" not in overrides:
        values["alleged_agreement"] = make_agreement(session)
    if "place" not in overrides and "place_id" not in overrides:
        values["place"] = make_place(session)
    with changing(session) as change:
        incident = Incident(**(values | overrides))
        session.add(incident)
        change.include(incident)
    return incident
