"""Records as the API returns them, with the field names of the exports; what a caller may not
see (confidential sources, internal columns) is left out as :mod:`tracker.queries.visibility`
decides."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.export.incidents import iso, linked_fields
from tracker.models import (
    Actor,
    Agreement,
    Incident,
    IncidentSource,
    IncidentVerdict,
    Place,
    Source,
)
from tracker.queries.visibility import is_shown, link_rows
from tracker.rules.applicability import VERDICT_OF_FINDING, Finding

_INCIDENT_COLUMNS = (
    "id", "ref", "alleged_agreement_id", "date_precision", "place_id", "location_precision",
    "perpetrator_id", "perpetrator_confidence", "target_actor_id", "category", "weapon",
    "event_count", "count_qualifier", "count_period_hours",
    "civilians_killed_low", "civilians_killed_best", "civilians_killed_high",
    "civilians_injured_low", "civilians_injured_best", "civilians_injured_high",
    "combatants_killed_low", "combatants_killed_best", "combatants_killed_high",
    "description_en", "description_ar", "claimed_justification", "status", "status_reason",
    "version",
)  # fmt: skip


def _links(session: Session, ids: list[int], *, public: bool) -> dict[int, list[dict[str, Any]]]:
    statement = (
        select(IncidentSource, Source)
        .join(Source, Source.id == IncidentSource.source_id)
        .where(IncidentSource.incident_id.in_(ids), link_rows(public=public))
        .order_by(IncidentSource.incident_id, IncidentSource.id)
    )
    found: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    for link, source in session.execute(statement):
        found[link.incident_id].append(
            {
                "source_id": source.id,
                "title": source.title,
                "publisher": source.publisher,
                "reliability": source.reliability,
                "is_confidential": source.is_confidential,
                "credibility": link.credibility,
                "stance": link.stance,
                "excerpt": link.excerpt,
                "state": link.state,
            }
        )
    return found


def _slugs(session: Session, ids: set[int]) -> dict[int, str]:
    """The slugs of the agreements ``ids``."""
    if not ids:
        return {}
    statement = select(Agreement.id, Agreement.slug).where(Agreement.id.in_(ids))
    return dict(session.execute(statement).all())


def _verdicts(
    session: Session, incidents: Sequence[Incident]
) -> tuple[dict[int, list[dict[str, Any]]], dict[int, str]]:
    """The stored verdicts of the incidents against every agreement they were judged under,
    by agreement slug, and the slugs of those agreements and of the alleged ones. The verdicts
    are read by their key alone (a join would let SQLite walk every verdict of an agreement),
    the slugs in one read apart."""
    rows = session.execute(
        select(
            IncidentVerdict.incident_id, IncidentVerdict.agreement_id, IncidentVerdict.finding
        ).where(IncidentVerdict.incident_id.in_([i.id for i in incidents]))
    ).all()
    alleged = {i.id: i.alleged_agreement_id for i in incidents}
    slugs = _slugs(session, {r[1] for r in rows} | {a for a in alleged.values() if a})
    found: dict[int, list[dict[str, Any]]] = {i.id: [] for i in incidents}
    for incident_id, agreement_id, finding in sorted(rows, key=lambda r: (r[0], slugs[r[1]])):
        found[incident_id].append(
            {
                "agreement": slugs[agreement_id],
                "verdict": str(VERDICT_OF_FINDING[Finding(finding)]),
                "alleged": alleged.get(incident_id) == agreement_id,
            }
        )
    return found, slugs


def incident_records(
    session: Session, incidents: Sequence[Incident], *, public: bool
) -> list[dict[str, Any]]:
    """The API records of ``incidents`` (loaded in a few queries), as a public audience
    (viewers) or the staff sees them."""
    if not incidents:
        return []
    ids = [i.id for i in incidents]
    links = _links(session, ids, public=public)
    names = [n for n in _INCIDENT_COLUMNS if is_shown("incidents", n, public=public)]
    verdicts, slugs = _verdicts(session, incidents)
    places = {
        row.id: row
        for row in session.execute(
            select(
                Place.id, Place.name_en, Place.name_ar, Place.admin1_name, Place.admin2_name,
                Place.admin3_name, Place.latitude, Place.longitude,
            ).where(Place.id.in_({i.place_id for i in incidents if i.place_id}))
        )
    }  # fmt: skip
    actor_ids = {
        a
        for i in incidents
        for a in (i.perpetrator_id, i.target_actor_id, i.claimed_target_id)
        if a is not None
    }
    actors = dict(
        session.execute(select(Actor.id, Actor.name_en).where(Actor.id.in_(actor_ids))).all()
    )
    records = []
    for incident in incidents:
        place = places.get(incident.place_id or 0)
        record: dict[str, Any] = {name: getattr(incident, name) for name in names}
        record.update(
            linked_fields(
                incident,
                agreement=slugs.get(incident.alleged_agreement_id or 0),
                place=place,
                actor=lambda actor_id: actors.get(actor_id or 0),
            ),
            sources=links[incident.id],
            verdicts=verdicts[incident.id],
        )
        records.append(record)
    return records


def source_record(source: Source, *, public: bool) -> dict[str, Any]:
    """The API record of a source, as a public audience (viewers) or the staff sees it."""
    record: dict[str, Any] = {
        name: getattr(source, name)
        for name in (
            "id", "ref", "kind", "title", "url", "publisher", "author", "language",
            "archive_url", "reliability", "is_confidential", "state", "version", "notes",
        )
        if is_shown("sources", name, public=public)
    }  # fmt: skip
    record["published_at"] = iso(source.published_at)
    return record


def actor_record(actor: Actor, parents: dict[int, str]) -> dict[str, Any]:
    """The API record of an actor (``parents``: slug by id)."""
    return {
        "id": actor.id,
        "slug": actor.slug,
        "name_en": actor.name_en,
        "name_ar": actor.name_ar,
        "aliases": list(actor.aliases or []),
        "kind": actor.kind,
        "parent": parents.get(actor.parent_id or 0),
        "country": actor.country,
    }


def place_record(place: Place) -> dict[str, Any]:
    """The API record of a place of the gazetteer."""
    record: dict[str, Any] = {
        name: getattr(place, name)
        for name in (
            "id", "slug", "name_en", "name_ar", "kind", "pcode",
            "admin1_name", "admin1_pcode", "admin2_name", "admin2_pcode",
            "admin3_name", "admin3_pcode", "latitude", "longitude",
        )
    }  # fmt: skip
    record["aliases"] = list(place.aliases or [])
    return record


def agreement_record(agreement: Agreement, *, full: bool) -> dict[str, Any]:
    """The API record of an agreement; ``full`` adds its parties, provisions and
    territories."""
    record: dict[str, Any] = {
        "id": agreement.id,
        "slug": agreement.slug,
        "name_en": agreement.name_en,
        "name_ar": agreement.name_ar,
        "kind": agreement.kind,
        "signed_on": iso(agreement.signed_on),
        "effective_from": iso(agreement.effective_from),
        "expires_at": iso(agreement.expires_at),
        "is_unilateral": agreement.is_unilateral,
        "parent": agreement.parent.slug if agreement.parent else None,
        "summary_en": agreement.summary_en,
        "summary_ar": agreement.summary_ar,
        "text_url": agreement.text_url,
    }
    if full:
        record["parties"] = [
            {"actor": party.actor.slug, "role": party.role} for party in agreement.parties
        ]
        record["provisions"] = [
            {
                "id": p.id,
                "code": p.code,
                "title_en": p.title_en,
                "title_ar": p.title_ar,
                "text": p.text,
                "kind": p.kind,
                "deadline": iso(p.deadline),
            }
            for p in agreement.provisions
        ]
        record["territories"] = [
            {
                "name_en": t.name_en,
                "name_ar": t.name_ar,
                "geometry": t.geometry,
                "admin_pcodes": t.admin_pcodes,
            }
            for t in agreement.territories
        ]
    return record
