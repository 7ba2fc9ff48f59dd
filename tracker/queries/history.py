"""Revision history of a record, newest first, and the users who wrote it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Revision, User


def revisions_for(session: Session, entity_type: str, entity_id: int) -> list[Revision]:
    """The revisions of one record (``entity_type`` is its table name), newest first."""
    statement = (
        select(Revision)
        .where(Revision.entity_type == entity_type, Revision.entity_id == entity_id)
        .order_by(Revision.id.desc())
    )
    return list(session.scalars(statement))


def users_by_id(session: Session, revisions: Iterable[Revision]) -> dict[int, User]:
    """The users who wrote ``revisions`` or whom their changes name, by id (one query)."""
    revisions = list(revisions)
    ids = {r.user_id for r in revisions if r.user_id is not None}
    for revision in revisions:  # and the users that changes name (reviewed_by_id, ...)
        for field, pair in (revision.changes or {}).items():
            if field.endswith("_by_id"):
                ids.update(v for v in pair if isinstance(v, int))
    if not ids:
        return {}
    return {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))}


def revisions_for_many(session: Session, entity_type: str, entity_ids: list[int]) -> list[Revision]:
    """The revisions of several records of one kind, newest first."""
    if not entity_ids:
        return []
    statement = (
        select(Revision)
        .where(Revision.entity_type == entity_type, Revision.entity_id.in_(entity_ids))
        .order_by(Revision.id.desc())
    )
    return list(session.scalars(statement))


def referenced_records(
    session: Session, revisions: Iterable[Revision], fields: Mapping[str, Any]
) -> dict[str, dict[int, Any]]:
    """For each field in ``fields`` (a foreign key such as ``place_id``, with the model it
    points to), the records its old and new values in ``revisions`` name, by id."""
    wanted: dict[str, set[int]] = {field: set() for field in fields}
    for revision in revisions:
        for field, pair in (revision.changes or {}).items():
            if field in wanted:
                wanted[field].update(v for v in pair if isinstance(v, int))
    found: dict[str, dict[int, Any]] = {}
    for field, ids in wanted.items():
        model = fields[field]
        if ids:
            rows = session.scalars(select(model).where(model.id.in_(ids)))
            found[field] = {row.id: row for row in rows}
    return found
