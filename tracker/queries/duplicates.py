"""Likely duplicates of an incident: the same event entered twice from different reports."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
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


def _nearby_places(place: Place) -> ColumnElement[bool]:
    """Places inside a box of :data:`NEARBY_KM` around ``place`` (refined by distance later)."""
    if place.latitude is None or place.longitude is None:
        return Incident.place_id == place.id
    dlat = NEARBY_KM / 111.0
    dlon = NEARBY_KM / (111.0 * max(math.cos(math.radians(place.latitude)), 0.01))
    return Incident.place_id.in_(
        select(Place.id).where(
            Place.latitude.between(place.latitude - dlat, place.latitude + dlat),
            Place.longitude.between(place.longitude - dlon, place.longitude + dlon),
        )
    )


def likely_duplicates(session: Session, incident: Incident, *, limit: int = 10) -> list[Duplicate]:
    """Incidents (not retracted) with the same agreement, place and day as ``incident``, or of
    the same category within a day and within :data:`NEARBY_KM` of its place. The database
    narrows the candidates; the exact distance is checked here."""
    day = incident.occurred_on
    place: Place | None = incident.place
    base = (
        select(Incident)
        .options(joinedload(Incident.place))
        .where(Incident.id != incident.id, Incident.status != Status.RETRACTED)
        .order_by(Incident.occurred_on, Incident.id)
        .limit(limit * 5)
    )
    candidates: dict[int, Incident] = {}
    if incident.place_id is not None:
        same_spot = base.where(
            Incident.alleged_agreement_id == incident.alleged_agreement_id,
            Incident.occurred_on == day,
            Incident.place_id == incident.place_id,
        )
        candidates.update((i.id, i) for i in session.scalars(same_spot))
    if place is not None:
        nearby = base.where(
            Incident.occurred_on.between(day - dt.timedelta(days=1), day + dt.timedelta(days=1)),
            Incident.category == incident.category,
            _nearby_places(place),
        )
        candidates.update((i.id, i) for i in session.scalars(nearby))
    found: list[Duplicate] = []
    for other in sorted(candidates.values(), key=lambda i: (i.occurred_on, i.id)):
        if (
            other.alleged_agreement_id == incident.alleged_agreement_id
            and other.place_id == incident.place_id
            and other.occurred_on == day
        ):
            found.append(Duplicate(other, "same_agreement_place_date"))
            continue
        if place is None or other.place is None:
            continue
        if other.place_id == place.id:
            found.append(Duplicate(other, "same_category_nearby", 0.0))
            continue
        coordinates = (place.longitude, place.latitude, other.place.longitude, other.place.latitude)
        if any(c is None for c in coordinates):
            continue
        distance = distance_km(*(float(c) for c in coordinates if c is not None))
        if distance <= NEARBY_KM:
            found.append(Duplicate(other, "same_category_nearby", round(distance, 1)))
    return found[:limit]
