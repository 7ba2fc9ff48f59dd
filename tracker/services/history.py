"""Revision snapshots and the hash-chained audit log, written in the caller's transaction.

Appends to the chain are serialised, so that two transactions never chain to the same event:
on PostgreSQL by a transaction-scoped advisory lock, on SQLite by the database's write lock,
both taken before the last event is read and held until the transaction ends."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import false, func, inspect, select, update
from sqlalchemy.orm import Session

from tracker.models import AuditEvent, Base, Revision, User, utcnow

GENESIS_HASH = "0" * 64
#: The key of the PostgreSQL advisory lock held by a transaction appending to the audit chain.
AUDIT_CHAIN_LOCK = int.from_bytes(b"auditlog", "big")
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
    """Append an event to the audit log, chained to the previous event's hash; from here to
    the end of the transaction, other transactions wait before appending."""
    _lock_chain(session)
    prev = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    prev_hash = prev or GENESIS_HASH
    created = dt.datetime.now(dt.UTC)
    event = AuditEvent(
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        details=details or {},
        user_id=user.id if user else None,
        created_at=created,
        prev_hash=prev_hash,
    )
    event.hash = _event_hash(prev_hash, _payload(event))
    session.add(event)
    session.flush()
    return event


def _lock_chain(session: Session) -> None:
    """Hold the right to append to the chain until the transaction ends."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(AUDIT_CHAIN_LOCK))).all()
    elif dialect == "sqlite":
        # A write that changes no row takes SQLite's write lock (waiting for it as any write
        # does), so no other transaction can append between the read of the last event and
        # the commit.
        session.execute(
            update(AuditEvent)
            .where(false())
            .values(id=AuditEvent.id)
            .execution_options(synchronize_session=False)
        )


def _payload(event: Any) -> dict[str, Any]:
    return {
        "action": event.action,
        "entity_type": event.entity_type,
        "entity_id": event.entity_id,
        "details": event.details,
        "user_id": event.user_id,
        "created_at": event.created_at.isoformat(),
    }


@dataclass(frozen=True)
class BrokenLink:
    """The first event of the audit chain that does not follow from the events before it."""

    event_id: int
    previous_id: int | None
    content_altered: bool

    def describe(self) -> str:
        """Which event breaks the chain, and how."""
        if self.content_altered:
            return f"audit event {self.event_id}: its hash does not match its content"
        before = f"event {self.previous_id}" if self.previous_id else "the start of the chain"
        return (
            f"audit event {self.event_id}: it does not follow {before} (an event between them "
            "was removed, or one was chained to the same event)"
        )


#: Events read per round trip while verifying, and between two progress reports.
VERIFY_BATCH = 2000
#: The columns an event's hash covers, besides the previous event's hash.
_FIELDS = ("action", "entity_type", "entity_id", "details", "user_id", "created_at")


def verify_audit_chain(
    session: Session, *, progress: Callable[[int, int], None] | None = None
) -> BrokenLink | None:
    """Recompute the chain in order of ids; return the first event that does not match, or
    None. ``progress(done, total)`` is called after every batch of events found sound, and
    once at the end (``done``: the events before the broken one, if any)."""
    total = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    columns = [getattr(AuditEvent, name) for name in ("id", "prev_hash", "hash", *_FIELDS)]
    rows = session.execute(
        select(*columns).order_by(AuditEvent.id).execution_options(yield_per=VERIFY_BATCH)
    )
    prev_hash, prev_id, done = GENESIS_HASH, None, 0
    broken = None
    for event in rows:
        if event.prev_hash != prev_hash:
            broken = BrokenLink(event.id, prev_id, content_altered=False)
        elif event.hash != _event_hash(prev_hash, _payload(event)):
            broken = BrokenLink(event.id, prev_id, content_altered=True)
        if broken is not None:
            break
        prev_hash, prev_id, done = event.hash, event.id, done + 1
        if progress is not None and done % VERIFY_BATCH == 0:
            progress(done, total)
    if progress is not None:
        progress(done, total)
    return broken


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
