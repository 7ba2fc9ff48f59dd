"""Writes of actors: create and edit, each with a revision and an audit event."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Actor, ActorKind, User
from tracker.services.errors import InvalidInputError
from tracker.services.history import record_revision, snapshot
from tracker.services.report_rebuild import invalidate

FIELDS = ("slug", "name_en", "name_ar", "aliases", "kind", "parent_id", "country")


def _check(session: Session, data: dict[str, Any], record: Actor | None) -> None:
    errors: dict[str, str] = {}
    slug = data.get("slug") or ""
    taken = session.scalar(select(Actor.id).where(Actor.slug == slug))
    if taken is not None and (record is None or taken != record.id):
        errors["slug"] = _("Another actor already has the short name %(slug)s.", slug=slug)
    if not (data.get("name_en") or "").strip():
        errors["name_en"] = _("An English name is required.")
    if data.get("kind") not in {k.value for k in ActorKind}:
        errors["kind"] = _("Choose a kind from the list.")
    parent_id = data.get("parent_id")
    if parent_id is not None:
        parent = session.get(Actor, parent_id)
        if parent is None:
            errors["parent_id"] = _("The chosen parent actor does not exist.")
        elif record is not None and record in parent.ancestry():
            errors["parent_id"] = _("An actor cannot be part of itself or of its own members.")
    if errors:
        raise InvalidInputError("; ".join(errors.values()), errors)


def create_actor(session: Session, data: dict[str, Any], *, actor: User | None) -> Actor:
    """Create an actor from ``data`` (the keys of ``FIELDS``).

    :raises InvalidInputError: for a taken slug, a missing name, an unknown kind or parent.
    """
    _check(session, data, None)
    record = Actor(**{key: data.get(key) for key in FIELDS})
    record.aliases = list(data.get("aliases") or [])
    session.add(record)
    record_revision(session, record, user=actor, action="actor.create")
    return record


def update_actor(session: Session, record: Actor, data: dict[str, Any], *, actor: User) -> Actor:
    """Change ``record`` to ``data``; a revision lists the fields that changed.

    :raises InvalidInputError: as :func:`create_actor`, and for a parent that would make a cycle.
    """
    _check(session, data, record)
    before = snapshot(record)
    for key in FIELDS:
        value = data.get(key)
        setattr(record, key, list(value or []) if key == "aliases" else value)
    record_revision(session, record, user=actor, action="actor.update", before=before)
    invalidate(session)  # verdicts of incidents by the actor, its units and coalitions
    return record
