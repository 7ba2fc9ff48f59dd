"""The rows an incident's write leaves besides the incident: its revision (with the codes of
its breached provisions) and its source links, with the new sources they cite."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tracker.models import Incident, IncidentSource, Provision, RecordState, Revision, Source, User
from tracker.services.errors import StaleEditError
from tracker.services.history import record_revision, snapshot
from tracker.services.publishers import Publishers


def attach_sources(
    session: Session,
    incident: Incident,
    links: list[tuple[Source | dict[str, Any], dict[str, Any]]],
    actor: User | None,
) -> None:
    """Create the new sources and link every source to ``incident``; a retracted link to the
    same source comes back with the new values."""
    existing = {link.source_id: link for link in incident.source_links}
    for source_or_values, values in links:
        if isinstance(source_or_values, Source):
            source = source_or_values
        else:
            publisher = Publishers(session).resolve(source_or_values.get("publisher"))
            source = Source(
                **source_or_values,
                publisher_id=publisher.id if publisher else None,
                created_by_id=actor.id if actor else None,
            )
            session.add(source)
            record_revision(session, source, user=actor, action="source.create")
        link = existing.get(source.id)
        if link is not None and link.state == RecordState.ACTIVE:
            continue
        before = snapshot(link) if link is not None else None
        if link is None:
            link = IncidentSource(incident_id=incident.id, source_id=source.id)
            session.add(link)
            incident.source_links.append(link)
        for field, value in values.items():
            setattr(link, field, value)
        link.state = RecordState.ACTIVE.value
        record_revision(session, link, user=actor, action="incident_source.attach", before=before)


def provision_codes(provisions: Sequence[Provision]) -> list[str]:
    """The codes of ``provisions``, sorted (as revisions record them)."""
    return sorted(p.code for p in provisions)


def save_revision(
    session: Session,
    incident: Incident,
    *,
    actor: User | None,
    action: str,
    before: dict[str, Any] | None,
    before_codes: list[str] | None = None,
    details: dict[str, Any] | None = None,
) -> Revision:
    """Record the revision of ``incident`` with the codes of its breached provisions (and
    their change since ``before_codes``).

    :raises StaleEditError: when another write saved the incident at the same moment."""
    codes = provision_codes(incident.provisions)
    # Read before the flush: after a failed flush the session must be rolled back before any
    # attribute can be read again.
    opened_version = incident.version or 0
    try:
        revision = record_revision(
            session, incident, user=actor, action=action, before=before, details=details
        )
    except StaleDataError as exc:
        raise StaleEditError(
            _("Someone else saved this incident at the same moment; nothing was written."),
            opened_version,
        ) from exc
    revision.snapshot = {**revision.snapshot, "provisions": codes}
    if (before_codes or []) != codes:
        revision.changes = {**revision.changes, "provisions": [before_codes, codes]}
    return revision
