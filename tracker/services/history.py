"""Revision snapshots and the hash-chained audit log, written in the caller's transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from tracker.models import AuditEvent, Base, Revision, User, utcnow

GENESIS_HASH = "0" * 64
#: The key of ``session.info`` that holds the moment revisions are dated at (:func:`dated`).
_REVISION_DATE = "revision_date"


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def snapshot(record: Base) -> dict[str, Any]:
    """The record's column values as JSON-ready data."""
    mapper = inspect(type(record))
    return {attr.key: _plain(getattr(record, attr.key)) for attr in mapper.column_attrs}


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, Any]:
    """``{field: [old, new]}`` for every field whose value differs (bookkeeping excluded)."""
    skip = {"version", "updated_at", "updated_by_id", "search_key"}
    before = before or {}
    return {
        key: [before.get(key), value]
        for key, value in after.items()
        if key not in skip and before.get(key) != value
    }


def _event_hash(prev_hash: str, payload: dict[str, Any]) -> str:
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def audit(
    session: Session,
    action: str,
    *,
    user: User | None,
    entity_type: str | None = None,
    entity_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an event to the audit log, chained to the previous event's hash."""
    prev = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    prev_hash = prev or GENESIS_HASH
    created = dt.datetime.now(dt.UTC)
    payload = {
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "details": details or {},
        "user_id": user.id if user else None,
        "created_at": created.isoformat(),
    }
    event = AuditEvent(
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        details=details or {},
        user_id=user.id if user else None,
        created_at=created,
        prev_hash=prev_hash,
        hash=_event_hash(prev_hash, payload),
    )
    session.add(event)
    session.flush()
    return event


def verify_audit_chain(session: Session) -> int | None:
    """Recompute the chain; return the id of the first event that does not match, or None."""
    prev_hash = GENESIS_HASH
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        payload = {
            "action": event.action,
            "entity_type": event.entity_type,
            "entity_id": event.entity_id,
            "details": event.details,
            "user_id": event.user_id,
            "created_at": event.created_at.isoformat(),
        }
        if event.prev_hash != prev_hash or event.hash != _event_hash(prev_hash, payload):
            return event.id
        prev_hash = event.hash
    return None


@contextmanager
def dated(session: Session, moment: dt.datetime) -> Iterator[None]:
    """Date the revisions written inside the block at ``moment`` instead of now: records
    entered from a data set that says when they were entered (the demo's). Audit events keep
    the time they are written."""
    session.info[_REVISION_DATE] = moment
    try:
        yield
    finally:
        del session.info[_REVISION_DATE]


def record_revision(
    session: Session,
    record: Base,
    *,
    user: User | None,
    action: str,
    before: dict[str, Any] | None = None,
    details: dict[str, Any] | None = None,
) -> Revision:
    """Flush ``record``, then store its full snapshot, the fields changed since ``before``, and
    an audit event, all in the caller's transaction."""
    session.flush()
    after = snapshot(record)
    entity_type = type(record).__tablename__
    revision = Revision(
        entity_type=entity_type,
        entity_id=after["id"],
        version=after.get("version") or 1,
        snapshot=after,
        changes=changed_fields(before, after),
        user_id=user.id if user else None,
        created_at=session.info.get(_REVISION_DATE) or utcnow(),
    )
    session.add(revision)
    audit(
        session,
        action,
        user=user,
        entity_type=entity_type,
        entity_id=after["id"],
        details={**(details or {}), "fields": sorted(revision.changes)},
    )
    return revision
