"""Incidents: create and edit with their source links, retract, restore and change status.

Status moves (``change_status``, reviewers and admins only)::

    draft -> submitted
    submitted -> verified | disputed | rejected | draft
    verified -> disputed | rejected
    disputed -> verified | rejected | submitted
    rejected -> submitted

``retracted`` is reached only through :func:`retract_incident` and left only through
:func:`restore_incident`, which puts back the status the incident had before. A reviewer never
verifies an incident they created: a second pair of eyes is the point of verification.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import (
    Incident,
    IncidentSource,
    RecordState,
    Revision,
    Role,
    Status,
    User,
)
from tracker.services.errors import ForbiddenError, InvalidInputError, NotFoundError, StaleEditError
from tracker.services.history import record_revision, snapshot
from tracker.services.incident_input import (
    clean_text,
    incident_values,
    link_values,
    raise_if_any,
)
from tracker.services.incident_records import attach_sources, provision_codes, save_revision
from tracker.services.report_store import changing
from tracker.services.sources import DEFAULT_TZ

#: Where a reviewer may move an incident from each status.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED}),
    Status.SUBMITTED: frozenset({Status.VERIFIED, Status.DISPUTED, Status.REJECTED, Status.DRAFT}),
    Status.VERIFIED: frozenset({Status.DISPUTED, Status.REJECTED}),
    Status.DISPUTED: frozenset({Status.VERIFIED, Status.REJECTED, Status.SUBMITTED}),
    Status.REJECTED: frozenset({Status.SUBMITTED}),
    Status.RETRACTED: frozenset(),
}

#: Statuses an analyst may give an incident when saving it.
ENTRY_STATUSES = (Status.DRAFT, Status.SUBMITTED)


def get_incident(session: Session, incident_id: int) -> Incident:
    """The incident with ``incident_id``.

    :raises NotFoundError: when there is none.
    """
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise NotFoundError(_("There is no incident number %(number)s.", number=incident_id))
    return incident


def create_incident(
    session: Session, data: Mapping[str, Any], *, actor: User | None, tz: ZoneInfo = DEFAULT_TZ
) -> Incident:
    """Create an incident with its breached provisions and source links (existing sources or
    new ones in ``data["sources"]``), and record the revisions.

    ``data`` holds column values (``alleged_agreement_id``, ``place_id``, ``category``, the casualty
    figures, ...), ``when`` (the date as analysts write it, read by
    :func:`tracker.rules.dates.parse_when` in ``tz``), ``provision_ids``, ``status`` (draft or
    submitted) and ``sources``: rows with ``source_id`` or ``new_source`` (source fields), plus
    ``credibility``, ``blames_actor_id``, ``stance`` and ``excerpt``.

    :raises InvalidInputError: with a message per wrong field; nothing is written.
    """
    values, provisions, errors = incident_values(session, data, tz)
    status = clean_text(data.get("status")) or Status.DRAFT.value
    if status not in {s.value for s in ENTRY_STATUSES}:
        errors["status"] = _("Save the incident as a draft or submit it.")
    links = link_values(session, data.get("sources") or (), tz, errors)
    raise_if_any(errors)
    with changing(session) as change:
        user_id = actor.id if actor else None
        incident = Incident(**values, status=status, created_by_id=user_id, updated_by_id=user_id)
        incident.provisions = provisions
        session.add(incident)
        save_revision(session, incident, actor=actor, action="incident.create", before=None)
        attach_sources(session, incident, links, actor)
        change.include(incident)
    return incident


def incident_errors(
    session: Session, data: Mapping[str, Any], *, tz: ZoneInfo = DEFAULT_TZ
) -> dict[str, str]:
    """The message per wrong field that :func:`create_incident` would give for ``data``,
    without writing anything (for a form that has other problems to show at the same time)."""
    _values, _provisions, errors = incident_values(session, data, tz)
    link_values(session, data.get("sources") or (), tz, errors)
    return errors


def may_change(incident: Incident, user: User | None) -> bool:
    """Whether ``user`` may edit or retract ``incident``: a draft belongs to its author until
    it is submitted; reviewers (and admins) may change anyone's. ``None`` (a command) may."""
    if user is None or incident.status != Status.DRAFT or user.has_role("reviewer"):
        return True
    return incident.created_by_id == user.id


def _check_owner(incident: Incident, user: User | None) -> None:
    if not may_change(incident, user):
        raise ForbiddenError(_("Only its author or a reviewer may change this draft."))


def _check_version(incident: Incident, expected_version: int) -> None:
    if incident.version != expected_version:
        raise StaleEditError(
            _(
                "Someone else saved this incident (now version %(current)s) after you opened "
                "version %(opened)s; nothing was written.",
                current=incident.version,
                opened=expected_version,
            ),
            incident.version,
        )


def update_incident(
    session: Session,
    incident_id: int,
    data: Mapping[str, Any],
    expected_version: int,
    *,
    actor: User | None,
    tz: ZoneInfo = DEFAULT_TZ,
) -> Incident:
    """Change an incident's fields and attach the sources in ``data["sources"]`` (as for
    :func:`create_incident`; links already there are kept).

    :raises NotFoundError: for an unknown incident.
    :raises StaleEditError: when it was saved since version ``expected_version``.
    :raises InvalidInputError: with a message per wrong field; nothing is written.
    :raises ForbiddenError: when ``actor`` may not change it (:func:`may_change`).

    A verified incident that is edited goes back to review (submitted).
    """
    incident = get_incident(session, incident_id)
    _check_owner(incident, actor)
    _check_version(incident, expected_version)
    if incident.status == Status.RETRACTED:
        raise InvalidInputError(_("Restore this incident before editing it."), {})
    values, provisions, errors = incident_values(session, data, tz)
    links = link_values(session, data.get("sources") or (), tz, errors)
    raise_if_any(errors)
    with changing(session, [incident.id]):
        before = snapshot(incident)
        before_codes = provision_codes(incident.provisions)
        for field, value in values.items():
            setattr(incident, field, value)
        if incident.status == Status.VERIFIED:
            # What was verified is no longer what is stored: it goes back to review.
            incident.status = Status.SUBMITTED.value
        incident.provisions = provisions
        incident.updated_by_id = actor.id if actor else None
        save_revision(
            session,
            incident,
            actor=actor,
            action="incident.update",
            before=before,
            before_codes=before_codes,
        )
        attach_sources(session, incident, links, actor)
    return incident


def _required_reason(reason: str | None) -> str:
    text = clean_text(reason)
    if text is None:
        raise InvalidInputError(_("Give a reason."), {"reason": _("A reason is required.")})
    return text


def retract_incident(
    session: Session, incident_id: int, reason: str, *, actor: User | None
) -> Incident:
    """Retract an incident: it stays stored, hidden from lists and reports, with ``reason``.

    :raises NotFoundError: for an unknown incident.
    :raises InvalidInputError: without a reason, or when it is already retracted.
    :raises ForbiddenError: when ``actor`` may not change it (:func:`may_change`).
    """
    incident = get_incident(session, incident_id)
    _check_owner(incident, actor)
    text = _required_reason(reason)
    if incident.status == Status.RETRACTED:
        raise InvalidInputError(_("This incident is already retracted."), {})
    _move(
        session,
        incident,
        Status.RETRACTED.value,
        text,
        actor=actor,
        action="incident.retract",
        details={"reason": text},
    )
    return incident


def _move(
    session: Session,
    incident: Incident,
    status: str,
    reason: str | None,
    *,
    actor: User | None,
    action: str,
    details: dict[str, Any] | None = None,
    reviewed: bool = False,
) -> None:
    """Give ``incident`` a new status (with the reason for it) and record the revision."""
    with changing(session, [incident.id]):
        before = snapshot(incident)
        incident.status = status
        incident.status_reason = reason
        incident.updated_by_id = actor.id if actor else None
        if reviewed and actor is not None:
            incident.reviewed_by_id = actor.id
        save_revision(
            session,
            incident,
            actor=actor,
            action=action,
            before=before,
            before_codes=provision_codes(incident.provisions),
            details=details,
        )


def _status_before_retraction(session: Session, incident: Incident) -> str:
    statuses = session.scalars(
        select(Revision.snapshot)
        .where(Revision.entity_type == "incidents", Revision.entity_id == incident.id)
        .order_by(Revision.id.desc())
    )
    for state in statuses:
        status = state.get("status")
        if status and status != Status.RETRACTED:
            return str(status)
    return Status.DRAFT.value


def restore_incident(session: Session, incident_id: int, *, actor: User | None) -> Incident:
    """Bring a retracted incident back with the status it had before.

    :raises NotFoundError: for an unknown incident.
    :raises InvalidInputError: when it is not retracted.
    """
    incident = get_incident(session, incident_id)
    if incident.status != Status.RETRACTED:
        raise InvalidInputError(_("This incident is not retracted."), {})
    status = _status_before_retraction(session, incident)
    _move(session, incident, status, None, actor=actor, action="incident.restore")
    return incident


def change_status(
    session: Session,
    incident_id: int,
    status: str,
    expected_version: int,
    *,
    actor: User,
    reason: str | None = None,
) -> Incident:
    """Move an incident to ``status`` (see the module's table); reviewers and admins only, and
    never to ``verified`` by the user who created it.

    :raises NotFoundError: for an unknown incident.
    :raises StaleEditError: when it was saved since version ``expected_version``.
    :raises InvalidInputError: for a move the table does not allow, a user below reviewer, or
        a reviewer verifying their own incident.
    """
    incident = get_incident(session, incident_id)
    _check_version(incident, expected_version)
    if not actor.has_role(Role.REVIEWER):
        raise InvalidInputError(
            _("Only reviewers change an incident's status."),
            {"status": _("Only reviewers change an incident's status.")},
        )
    if status not in TRANSITIONS.get(incident.status, frozenset()):
        message = _(
            "An incident cannot go from %(old)s to %(new)s.", old=incident.status, new=status
        )
        raise InvalidInputError(message, {"status": message})
    if status == Status.VERIFIED and incident.created_by_id == actor.id:
        message = _("You entered this incident: another reviewer must verify it.")
        raise InvalidInputError(message, {"status": message})
    _move(
        session,
        incident,
        status,
        clean_text(reason),
        actor=actor,
        action="incident.status",
        details={"status": status},
        reviewed=True,
    )
    return incident


def retract_link(
    session: Session, link_id: int, reason: str, *, actor: User | None
) -> IncidentSource:
    """Withdraw one source's link to an incident (kept, marked retracted, with ``reason``).

    :raises NotFoundError: for an unknown link.
    :raises InvalidInputError: without a reason, or when it is already retracted.
    """
    link = session.get(IncidentSource, link_id)
    if link is None:
        raise NotFoundError(_("There is no such source link."))
    text = _required_reason(reason)
    if link.state == RecordState.RETRACTED:
        raise InvalidInputError(_("This source link is already retracted."), {})
    with changing(session, [link.incident_id], rejudge=False):
        before = snapshot(link)
        link.state = RecordState.RETRACTED.value
        record_revision(
            session,
            link,
            user=actor,
            action="incident_source.retract",
            before=before,
            details={"reason": text, "incident_id": link.incident_id},
        )
    return link
