"""Revision history (full snapshots) and the hash-chained audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, created_at, internal, intpk


class Revision(Base):
    """One saved state of a record, with the fields that changed from the previous state."""

    __tablename__ = "revisions"
    __table_args__ = (Index("ix_revisions_entity", "entity_type", "entity_id", "version"),)

    id: Mapped[intpk] = mapped_column(info=internal())
    entity_type: Mapped[str] = mapped_column(String(40), info=internal())
    entity_id: Mapped[int] = mapped_column(Integer, info=internal())
    version: Mapped[int] = mapped_column(Integer, info=internal())
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, info=internal())
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, info=internal())
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), info=internal()
    )
    created_at: Mapped[created_at] = mapped_column(info=internal())


class AuditEvent(Base):
    """One action in the audit log; each event's hash covers the previous one's."""

    __tablename__ = "audit_events"

    id: Mapped[intpk] = mapped_column(info=internal())
    action: Mapped[str] = mapped_column(String(60), info=internal())
    entity_type: Mapped[str | None] = mapped_column(String(40), info=internal())
    entity_id: Mapped[int | None] = mapped_column(Integer, info=internal())
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, info=internal())
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), info=internal()
    )
    created_at: Mapped[created_at] = mapped_column(info=internal())
    prev_hash: Mapped[str] = mapped_column(String(64), info=internal())
    hash: Mapped[str] = mapped_column(String(64), unique=True, info=internal())
