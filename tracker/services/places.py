"""Writes of places (the gazetteer): create and edit, each with a revision and an audit
event."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Place, PlaceKind, User
from tracker.services.errors import InvalidInputError
from tracker.services.history import record_revision, snapshot
from tracker.services.report_store import invalidate

FIELDS = (
    "slug",
    "name_en",
    "name_ar",
    "aliases",
    "kind",
    "pcode",
    "admin1_name",
    "admin1_pcode",
    "admin2_name",
    "admin2_pcode",
    "admin3_name",
    "admin3_pcode",
    "latitude",
    "longitude",
)


def _check(session: Session, data: dict[str, Any], record: Place | None) -> None:
    errors: dict[str, str] = {}
    for column, message in (
        ("slug", _("Another place already has the short name %(value)s.", value=data.get("slug"))),
        ("pcode", _("Another place already has the P-code %(value)s.", value=data.get("pcode"))),
    ):
        value = data.get(column)
        if not value:
            continue
        taken = session.scalar(select(Place.id).where(getattr(Place, column) == value))
        if taken is not None and (record is None or taken != record.id):
            errors[column] = message
    if not (data.get("name_en") or "").strip():
        errors["name_en"] = _("An English name is required.")
    if data.get("kind") not in {k.value for k in PlaceKind}:
        errors["kind"] = _("Choose a kind from the list.")
    latitude, longitude = data.get("latitude"), data.get("longitude")
    if latitude is None or longitude is None:
        if (latitude is None) != (longitude is None):
            errors["longitude"] = _("Give both latitude and longitude, or neither.")
    elif not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        errors["latitude"] = _("The coordinates are outside the globe.")
    if errors:
        raise InvalidInputError("; ".join(errors.values()), errors)


def create_place(session: Session, data: dict[str, Any], *, actor: User) -> Place:
    """Create a place from ``data`` (the keys of ``FIELDS``).

    :raises InvalidInputError: for a taken slug or P-code, a missing name, an unknown kind or
        half a coordinate pair.
    """
    _check(session, data, None)
    record = Place(**{key: data.get(key) for key in FIELDS})
    record.aliases = list(data.get("aliases") or [])
    session.add(record)
    record_revision(session, record, user=actor, action="place.create")
    return record


def update_place(session: Session, record: Place, data: dict[str, Any], *, actor: User) -> Place:
    """Change ``record`` to ``data``; a revision lists the fields that changed.

    :raises InvalidInputError: as :func:`create_place`.
    """
    _check(session, data, record)
    before = snapshot(record)
    for key in FIELDS:
        value = data.get(key)
        setattr(record, key, list(value or []) if key == "aliases" else value)
    record_revision(session, record, user=actor, action="place.update", before=before)
    invalidate(session)  # verdicts of incidents there, against any agreement
    return record
