"""Likely duplicates of an incident: the same event entered twice from different reports."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session, joinedload

from tracker.models import Incident, Place, Status
from tracker.rules.geo import distance_km

#: How far apart two incidents of the same category may be to count as one event, in km.
NEARBY_KM = 5.0


@dataclass(frozen=True)
class Duplicate:
    """Another incident that may report the same event, and why it looks like one."""

    incident: Incident
    reason: str  # "same_agreement_place_date" or "same_category_nearby"
    distance_km: float | None = None


def _nearby_places(session: Session, place: Place) -> ColumnElement[bool]:
    """Places inside a box of :data:`NEARBY_KM` around ``place`` (refined by distance later),
    read once (on ``ix_places_latitude_longitude``)."""
    if place.latitude is None or place.longitude is None:
        return Incident.place_id == place.id
    dlat = NEARBY_KM / 111.0
    dlon = NEARBY_KM / (111.0 * max(math.cos(math.radians(place.latitude)), 0.01))
    inside = session.scalars(
        select(Place.id).where(
            Place.latitude.between(place.latitude - dlat, place.latitude + dlat),
            Place.longitude.between(place.longitude - dlon, place.longitude + dlon),
        )
    )
    return Incident.place_id.in_(list(inside))


def likely_duplicates(session: Session, incident: Incident, *, limit: int = 10) -> list[Duplicate]:
    """Incidents (not retracted) with the same agreement, place and day as ``incident``, or of
    the same category within a day and within :data:`NEARBY_KM` of its place. The database
    narrows the candidates (their keys and their places' coordinates only), seeking each
    place's days and category on ``ix_incidents_place_id_occurred_on``; the exact distance is
    checked here, and only the incidents found are loaded."""
    day = incident.occurred_on
    place: Place | None = incident.place
    base: Select[int, int | None, int | None, float | None, float | None] = (
        select(
            Incident.id,
            Incident.alleged_agreement_id,
            Incident.place_id,
            Place.latitude,
            Place.longitude,
        )
        .outerjoin(Place, Place.id == Incident.place_id)
        .where(Incident.id != incident.id, Incident.status != Status.RETRACTED)
        .order_by(Incident.occurred_on, Incident.id)
        .limit(limit * 5)
    )
    candidates: dict[int, tuple[dt.date, int | None, int | None, float | None, float | None]] = {}
    if incident.place_id is not None:
        same_spot = base.add_columns(Incident.occurred_on).where(
            Incident.place_id == incident.place_id,
            Incident.occurred_on == day,
            Incident.alleged_agreement_id == incident.alleged_agreement_id,
        )
        candidates.update((row[0], (row[5], *row[1:5])) for row in session.execute(same_spot))
    if place is not None:
        nearby = base.add_columns(Incident.occurred_on).where(
            _nearby_places(session, place),
            Incident.occurred_on.between(day - dt.timedelta(days=1), day + dt.timedelta(days=1)),
            Incident.category == incident.category,
        )
        candidates.update((row[0], (row[5], *row[1:5])) for row in session.execute(nearby))
    found: list[tuple[int, str, float | None]] = []
    for other_id in sorted(candidates, key=lambda i: (candidates[i][0], i)):
        occurred_on, alleged, place_id, latitude, longitude = candidates[other_id]
        if (
            alleged == incident.alleged_agreement_id
            and place_id == incident.place_id
            and occurred_on == day
        ):
            found.append((other_id, "same_agreement_place_date", None))
            continue
        if place is None or place_id is None:
            continue
        if place_id == place.id:
            found.append((other_id, "same_category_nearby", 0.0))
            continue
        coordinates = (place.longitude, place.latitude, longitude, latitude)
        if any(c is None for c in coordinates):
            continue
        distance = distance_km(*(float(c) for c in coordinates if c is not None))
        if distance <= NEARBY_KM:
            found.append((other_id, "same_category_nearby", round(distance, 1)))
    found = found[:limit]
    if not found:
        return []
    loaded = {
        other.id: other
        for other in session.scalars(
            select(Incident)
            .options(joinedload(Incident.place))
            .where(Incident.id.in_([other_id for other_id, _reason, _km in found]))
        )
    }
    return [Duplicate(loaded[other_id], reason, km) for other_id, reason, km in found]
