"""Load the demo data set into a database; records already present (by slug or ref) are kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.demo import data
from tracker.models import (
    Actor,
    Agreement,
    AgreementParty,
    AgreementSource,
    Base,
    Incident,
    IncidentSource,
    Place,
    Provision,
    Source,
    Territory,
    User,
)
from tracker.rules.dates import local_date, parse_when
from tracker.services.history import audit, record_revision
from tracker.services.publishers import Publishers
from tracker.services.report_store import invalidate

M = TypeVar("M", bound=Base)


def _moment(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _existing(session: Session, model: type[M], key: str, values: Iterable[str]) -> dict[str, M]:
    column = getattr(model, key)
    rows = session.scalars(select(model).where(column.in_(list(values))))
    return {getattr(row, key): row for row in rows}


def _load_actors(session: Session) -> int:
    actors = _existing(session, Actor, "slug", (a["slug"] for a in data.ACTORS))
    added = 0
    for item in data.ACTORS:
        if item["slug"] in actors:
            continue
        fields = {k: v for k, v in item.items() if k != "parent"}
        actors[item["slug"]] = Actor(**fields)
        session.add(actors[item["slug"]])
        added += 1
    for item in data.ACTORS:
        if item.get("parent") and actors[item["slug"]].parent is None:
            actors[item["slug"]].parent = actors[item["parent"]]
    session.flush()
    return added


def _load_simple(session: Session, model: type[M], key: str, items: list[dict[str, Any]]) -> int:
    present = _existing(session, model, key, (i[key] for i in items))
    added = 0
    for item in items:
        if item[key] in present:
            continue
        fields = dict(item)
        for name in ("published_at", "accessed_at"):
            if name in fields:
                fields[name] = _moment(fields[name])
        session.add(model(**fields))
        added += 1
    session.flush()
    return added


def _load_sources(session: Session) -> int:
    """The demo's sources, each with its publisher entity and the source that carried it."""
    items = [{k: v for k, v in item.items() if k != "carried_by"} for item in data.SOURCES]
    added = _load_simple(session, Source, "ref", items)
    sources = _by(session, Source, "ref")
    publishers = Publishers(session)
    for item in data.SOURCES:
        source = sources[item["ref"]]
        if source.publisher_id is None and source.publisher:
            found = publishers.resolve(source.publisher)
            source.publisher_id = found.id if found else None
        if item.get("carried_by") and source.carried_by_id is None:
            source.carried_by_id = sources[item["carried_by"]].id
    session.flush()
    return added


def _by(session: Session, model: type[M], key: str) -> dict[str, M]:
    return {getattr(row, key): row for row in session.scalars(select(model))}


def _load_agreements(session: Session, user: User | None) -> int:
    present = _existing(session, Agreement, "slug", (a["slug"] for a in data.AGREEMENTS))
    actors = _by(session, Actor, "slug")
    sources = _by(session, Source, "ref")
    added = 0
    for item in data.AGREEMENTS:
        if item["slug"] in present:
            continue
        nested = ("parties", "provisions", "territories", "sources", "parent")
        fields = {k: v for k, v in item.items() if k not in nested}
        fields["signed_on"] = (
            dt.date.fromisoformat(item["signed_on"]) if item["signed_on"] else None
        )
        fields["effective_from"] = _moment(item["effective_from"])
        fields["expires_at"] = _moment(item.get("expires_at"))
        agreement = Agreement(**fields)
        if item.get("parent"):
            agreement.parent = present[item["parent"]]
        for party in item.get("parties", []):
            agreement.parties.append(
                AgreementParty(
                    actor=actors[party["actor"]], role=party["role"], note=party.get("note")
                )
            )
        for provision in item.get("provisions", []):
            values = dict(provision)
            values["deadline"] = _moment(provision.get("deadline"))
            agreement.provisions.append(Provision(**values))
        for territory in item.get("territories", []):
            agreement.territories.append(Territory(**territory))
        session.add(agreement)
        session.flush()
        for link in item.get("sources", []):
            session.add(
                AgreementSource(
                    agreement_id=agreement.id,
                    source_id=sources[link["source"]].id,
                    claim=link["claim"],
                    stance=link.get("stance", "supports"),
                    excerpt=link.get("excerpt"),
                )
            )
        record_revision(session, agreement, user=user, action="agreement.create")
        present[item["slug"]] = agreement
        added += 1
    return added


_CASUALTIES = ("civilians_killed", "civilians_injured", "combatants_killed")
_INCIDENT_REFS = (
    "agreement",
    "provisions",
    "when",
    "place",
    "perpetrator",
    "target_actor",
    "claimed_target",
    "sources",
    *_CASUALTIES,
)


def _load_incidents(session: Session, tz: ZoneInfo, user: User | None) -> int:
    present = _existing(session, Incident, "ref", (i["ref"] for i in data.INCIDENTS))
    actors = _by(session, Actor, "slug")
    places = _by(session, Place, "slug")
    agreements = _by(session, Agreement, "slug")
    sources = _by(session, Source, "ref")
    added = 0
    for item in data.INCIDENTS:
        if item["ref"] in present:
            continue
        when = parse_when(item["when"], tz)
        fields = {k: v for k, v in item.items() if k not in _INCIDENT_REFS}
        for group in _CASUALTIES:
            low, best, high = item.get(group) or (None, None, None)
            fields.update({f"{group}_low": low, f"{group}_best": best, f"{group}_high": high})
        agreement = agreements[item["agreement"]]
        incident = Incident(
            **fields,
            alleged_agreement=agreement,
            occurred_start=when.start,
            occurred_end=when.end,
            occurred_on=local_date(when.start, tz),
            date_precision=when.precision,
            place=places[item["place"]],
            perpetrator=actors.get(item.get("perpetrator") or ""),
            target_actor=actors.get(item.get("target_actor") or ""),
            claimed_target=actors.get(item.get("claimed_target") or ""),
            created_by_id=user.id if user else None,
        )
        codes = set(item.get("provisions", []))
        incident.provisions = [p for p in agreement.provisions if p.code in codes]
        session.add(incident)
        session.flush()
        for link in item.get("sources", []):
            session.add(
                IncidentSource(
                    incident_id=incident.id,
                    source=sources[link["source"]],
                    credibility=link["credibility"],
                    blames_actor=actors.get(link.get("blames") or ""),
                    stance=link.get("stance", "supports"),
                    excerpt=link.get("excerpt"),
                )
            )
        record_revision(session, incident, user=user, action="incident.create")
        added += 1
    return added


def load_demo(
    session: Session,
    tz: ZoneInfo,
    *,
    user: User | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Add the demo records that are not yet in the database; return how many of each were added.

    Everything happens in the caller's transaction; nothing is committed here.
    """
    steps: list[tuple[str, Callable[[], int]]] = [
        ("actors", lambda: _load_actors(session)),
        ("places", lambda: _load_simple(session, Place, "slug", data.PLACES)),
        ("sources", lambda: _load_sources(session)),
        ("agreements", lambda: _load_agreements(session, user)),
        ("incidents", lambda: _load_incidents(session, tz, user)),
    ]
    counts: dict[str, int] = {}
    for name, step in steps:
        counts[name] = step()
        if progress is not None:
            progress(name, counts[name])
    if any(counts.values()):
        invalidate(session)  # reports count the new records from their next request on
    audit(session, "demo.load", user=user, details={"added": counts})
    return counts
