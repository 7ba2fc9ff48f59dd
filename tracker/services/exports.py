"""Recording exports in the audit log: who exported what, when, with which options."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from tracker.models import AuditEvent, User
from tracker.services.history import audit


def record_export(
    session: Session, kind: str, options: dict[str, Any], *, user: User | None
) -> AuditEvent:
    """Append an ``export`` event (``kind``: ``sql`` or an incidents format) with its options
    to the audit log, in the caller's transaction."""
    return audit(session, "export", user=user, details={"kind": kind, **options})
