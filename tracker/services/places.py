"""Writes of places (the gazetteer): create and edit, each with a revision and an audit
event; another spelling kept as an alias of a place or an actor."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Actor, Place, PlaceKind, User
from tracker.rules.names import fold
from tracker.services.errors import InvalidInputError
from tracker.services.history import record_revision, snapshot
from tracker.services.report_rebuild import invalidate

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


def free_slug(session: Session, name: str) -> str:
    """A short name for a new place called ``name`` that no place has yet."""
    base = "-".join(fold(name).encode("ascii", "ignore").decode().split())[:100] or "place"
    slug, number = base, 1
    while session.scalar(select(Place.id).where(Place.slug == slug)) is not None:
        number += 1
        slug = f"{base}-{number}"
    return slug


def create_place(session: Session, data: dict[str, Any], *, actor: User | None) -> Place:
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


def add_alias(session: Session, record: Place | Actor, alias: str, *, actor: User) -> bool:
    """Keep ``alias`` as another name of a place or an actor (a spelling an analyst typed),
    with a revision; False when the record already answers to it.

    :raises InvalidInputError: for an empty or over-long alias.
    """
    text = " ".join((alias or "").split())
    if not text or len(text) > 300:
        raise InvalidInputError(_("An alias is 1 to 300 characters long."), {})
    known = [record.name_en, record.name_ar, *(record.aliases or [])]
    if fold(text) in {fold(name) for name in known if name}:
        return False
    before = snapshot(record)
    record.aliases = [*(record.aliases or []), text]
    kind = "place" if isinstance(record, Place) else "actor"
    record_revision(session, record, user=actor, action=f"{kind}.alias", before=before)
    if isinstance(record, Actor):
        invalidate(session)  # an actor's names decide claims against excluded parties
    return True
