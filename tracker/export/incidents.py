"""Incident records for the tabular exports, read through the shared incident filters.

Records are read in batches (``yield_per``) so an export never holds all incidents in memory;
agreements, actors and places are looked up from small per-export tables. Public records carry
only public fields and name only public sources, as :mod:`tracker.queries.visibility` decides."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ScalarResult, select
from sqlalchemy.orm import Session

from tracker.export.acled import acled_lines
from tracker.export.tables import csv_lines, geojson_lines, json_lines
from tracker.models import Actor, Agreement, Incident, IncidentSource, Place, Source
from tracker.queries.incidents import IncidentFilters, filtered
from tracker.queries.visibility import is_shown, link_rows

#: Fields of every record, in export order: the incident's columns keep their classification
#: (``status_reason`` is internal), the names looked up from public tables are public.
FIELDS = (
    "id", "ref", "alleged_agreement", "occurred_start", "occurred_end", "occurred_on",
    "date_precision", "place", "place_ar", "admin1", "admin2", "admin3", "latitude",
    "longitude", "location_precision", "perpetrator", "perpetrator_confidence", "target_actor",
    "category", "weapon", "event_count", "count_qualifier", "count_period_hours",
    "civilians_killed_low", "civilians_killed_best", "civilians_killed_high",
    "civilians_killed_qualifier",
    "civilians_injured_low", "civilians_injured_best", "civilians_injured_high",
    "civilians_injured_qualifier",
    "combatants_killed_low", "combatants_killed_best", "combatants_killed_high",
    "combatants_killed_qualifier",
    "description_en", "description_ar", "claimed_justification", "claimed_target", "status",
    "status_reason", "sources", "created_at", "updated_at",
)  # fmt: skip
#: Incidents read per batch.
BATCH = 1000


def fields(*, public: bool) -> tuple[str, ...]:
    """The record fields of a public or full export."""
    incident = Incident.__table__.c
    return tuple(f for f in FIELDS if f not in incident or is_shown("incidents", f, public=public))


def _source_names(session: Session, ids: list[int], *, public: bool) -> dict[int, list[str]]:
    query = (
        select(IncidentSource.incident_id, Source.publisher, Source.title)
        .join(Source, Source.id == IncidentSource.source_id)
        .where(IncidentSource.incident_id.in_(ids), link_rows(public=public))
        .order_by(IncidentSource.incident_id, IncidentSource.id)
    )
    names: dict[int, list[str]] = {}
    for incident_id, publisher, title in session.execute(query):
        names.setdefault(incident_id, []).append(publisher or title)
    return names


def incident_records(session: Session, filters: IncidentFilters) -> Iterator[dict[str, Any]]:
    """The incidents that pass ``filters``, oldest first, as plain records (dates as ISO text);
    keys starting with ``_`` are helpers for the ACLED layout, not exported fields."""
    public = filters.public
    shown = fields(public=public)
    agreements = {i: slug for i, slug in session.execute(select(Agreement.id, Agreement.slug))}
    actors = {a.id: a for a in session.scalars(select(Actor))}
    places = {p.id: p for p in session.scalars(select(Place))}
    query = (
        filtered(filters)
        .order_by(Incident.occurred_on, Incident.id)
        .execution_options(yield_per=BATCH)
    )
    incidents: ScalarResult[Incident] = session.scalars(query)
    for batch in incidents.partitions():
        sources = _source_names(session, [i.id for i in batch], public=public)
        for incident in batch:
            record = _record(incident, agreements, actors, places, sources.get(incident.id, []))
            yield {k: v for k, v in record.items() if k.startswith("_") or k in shown}


def iso(value: dt.date | dt.datetime | None) -> str | None:
    """A date or a moment (in UTC) as ISO 8601 text, as exports and the API write them."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    return value.isoformat() if value else None


def linked_fields(
    incident: Incident,
    *,
    agreement: str | None,
    place: Any | None,
    actor: Callable[[int | None], str | None],
) -> dict[str, Any]:
    """The fields of an incident's record that name the records it links to (the alleged
    agreement's slug, the place with its admin areas and point, the actors' names) and its
    dates as ISO text: the same names in every export and in the API. ``place`` is a place or
    a row with the same names."""
    return {
        "alleged_agreement": agreement,
        "occurred_start": iso(incident.occurred_start),
        "occurred_end": iso(incident.occurred_end),
        "occurred_on": iso(incident.occurred_on),
        "place": place.name_en if place else None,
        "place_ar": place.name_ar if place else None,
        "admin1": place.admin1_name if place else None,
        "admin2": place.admin2_name if place else None,
        "admin3": place.admin3_name if place else None,
        "latitude": place.latitude if place else None,
        "longitude": place.longitude if place else None,
        "perpetrator": actor(incident.perpetrator_id),
        "target_actor": actor(incident.target_actor_id),
        "claimed_target": actor(incident.claimed_target_id),
        "created_at": iso(incident.created_at),
        "updated_at": iso(incident.updated_at),
    }


def _record(
    incident: Incident,
    agreements: dict[int, str],
    actors: dict[int, Actor],
    places: dict[int, Place],
    sources: list[str],
) -> dict[str, Any]:
    place = places.get(incident.place_id) if incident.place_id else None

    def actor(actor_id: int | None) -> str | None:
        found = actors.get(actor_id) if actor_id else None
        return found.name_en if found else None

    record: dict[str, Any] = {
        name: getattr(incident, name, None) for name in FIELDS if hasattr(Incident, name)
    }
    record.update(
        linked_fields(
            incident,
            agreement=agreements.get(incident.alleged_agreement_id or 0),
            place=place,
            actor=actor,
        ),
        sources=sources,
        _perpetrator_kind=_kind(actors, incident.perpetrator_id),
        _target_kind=_kind(actors, incident.target_actor_id),
        _updated_epoch=int(incident.updated_at.timestamp()),
        _start=incident.occurred_start,
        _end=incident.occurred_end,
    )
    return record


def _kind(actors: dict[int, Actor], actor_id: int | None) -> str | None:
    found = actors.get(actor_id) if actor_id else None
    return found.kind if found else None


FORMATS = ("csv", "json", "geojson", "acled")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "geojson": "application/geo+json",
    "acled": "text/csv; charset=utf-8",
}
EXTENSIONS = {"csv": "csv", "json": "json", "geojson": "geojson", "acled": "acled.csv"}


def export_lines(
    session: Session, filters: IncidentFilters, fmt: str, tz: ZoneInfo, meta: dict[str, Any]
) -> Iterator[str]:
    """The incidents that pass ``filters`` in format ``fmt`` (one of :data:`FORMATS`).

    :raises ValueError: for an unknown format."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose {', '.join(FORMATS)}")
    records = incident_records(session, filters)
    names = fields(public=filters.public)
    if fmt == "csv":
        return csv_lines(records, names)
    if fmt == "json":
        return json_lines(records, names, meta)
    if fmt == "geojson":
        return geojson_lines(records, names, meta)
    return acled_lines(records, tz)
