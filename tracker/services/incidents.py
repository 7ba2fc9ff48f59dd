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

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tracker.i18n import date_error_message
from tracker.models import (
    CASUALTY_GROUPS,
    Actor,
    Agreement,
    Category,
    Confidence,
    CountQualifier,
    DatePrecision,
    FigureQualifier,
    Incident,
    IncidentSource,
    LocationPrecision,
    Place,
    Provision,
    RecordState,
    Revision,
    Role,
    Source,
    Stance,
    Status,
    User,
)
from tracker.rules.dates import DateInputError, When, local_date, parse_when
from tracker.services.errors import ForbiddenError, InvalidInputError, NotFoundError, StaleEditError
from tracker.services.history import record_revision, snapshot
from tracker.services.publishers import Publishers
from tracker.services.report_store import changing
from tracker.services.sources import DEFAULT_TZ, source_values

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

CASUALTY_FIELDS = tuple(
    f"{g}_{level}" for g in CASUALTY_GROUPS for level in ("low", "best", "high")
)
_TEXT_LIMITS = {
    "weapon": 200,
    "description_en": 100_000,
    "description_ar": 100_000,
    "claimed_justification": 100_000,
    "ref": 120,
}
_CHOICES: dict[str, tuple[type[Any], str | None]] = {
    # field: (enumeration, value when left empty)
    "category": (Category, ""),
    "location_precision": (LocationPrecision, LocationPrecision.EXACT.value),
    "count_qualifier": (CountQualifier, CountQualifier.EXACT.value),
    **{
        f"{group}_qualifier": (FigureQualifier, FigureQualifier.EXACT.value)
        for group in CASUALTY_GROUPS
    },
    "perpetrator_confidence": (Confidence, None),
}
_ACTOR_FIELDS = ("perpetrator_id", "target_actor_id", "claimed_target_id")
MAX_COUNT = 1_000_000
#: The largest id an INTEGER column holds.
MAX_ID = 2_147_483_647
#: The fields whose text shows that a source row describes a new source.
_NEW_SOURCE_TEXT = ("title", "url", "publisher", "author", "published_at")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _number(value: Any, field: str, errors: dict[str, str]) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[field] = _("Write a whole number.")
        return None
    if number < 0:
        errors[field] = _("The number cannot be negative.")
    elif number > MAX_COUNT:
        errors[field] = _("The number is too large.")
    return number


def _get(session: Session, model: type[Any], record_id: Any) -> Any:
    """The record, or None for an unknown id or a value that is no id at all."""
    if isinstance(record_id, bool) or not isinstance(record_id, int):
        return None
    return session.get(model, record_id) if 0 < record_id <= MAX_ID else None


def _exists(session: Session, model: type[Any], record_id: Any) -> bool:
    return _get(session, model, record_id) is not None


def _when_values(
    session: Session, data: Mapping[str, Any], tz: ZoneInfo, errors: dict[str, str]
) -> dict[str, Any]:
    """The date columns from ``data["when"]`` (a relative date counts from the first cited
    source's publication day, and a :class:`When` is taken as read); a message in
    ``errors["when"]`` when it cannot be read."""
    given = data.get("when")
    if isinstance(given, When):
        return _date_columns(given, tz)
    text = _text(given)
    if text is None:
        errors["when"] = _("A date is required.")
        return {}
    try:
        when = parse_when(text, tz)
    except DateInputError as exc:
        relative = _relative(text, _reference_day(session, data, tz))
        if relative is None:
            errors["when"] = date_error_message(exc)
            return {}
        if relative == "":
            errors["when"] = _(
                "A relative date is counted from a source's publication date: cite a "
                "source with one, or write the date itself."
            )
            return {}
        try:
            when = parse_when(relative, tz)
        except DateInputError as relative_exc:
            errors["when"] = date_error_message(relative_exc)
            return {}
    return _date_columns(when, tz)


def _date_columns(when: When, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "occurred_start": when.start,
        "occurred_end": when.end,
        "occurred_on": local_date(when.start, tz),
        "date_precision": DatePrecision(when.precision).value,
    }


def _incident_values(
    session: Session, data: Mapping[str, Any], tz: ZoneInfo
) -> tuple[dict[str, Any], list[Provision], dict[str, str]]:
    """Column values, breached provisions and a message per wrong field."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}

    agreement_id = data.get("alleged_agreement_id") or None
    if agreement_id is not None and not _exists(session, Agreement, agreement_id):
        errors["alleged_agreement_id"] = _("Choose an agreement from the list.")
    values["alleged_agreement_id"] = agreement_id

    provisions: list[Provision] = []
    provision_ids = list(data.get("provision_ids") or ())
    if any(_get(session, Provision, p) is None for p in provision_ids):
        errors["provision_ids"] = _("Choose provisions from the list.")
    elif provision_ids:
        provisions = list(session.scalars(select(Provision).where(Provision.id.in_(provision_ids))))
        if len(provisions) != len(set(provision_ids)):
            errors["provision_ids"] = _("Choose provisions from the list.")

    values.update(_when_values(session, data, tz, errors))

    place_id = data.get("place_id") or None
    if place_id is not None and not _exists(session, Place, place_id):
        errors["place_id"] = _("Choose a place from the gazetteer.")
    values["place_id"] = place_id
    for field in _ACTOR_FIELDS:
        actor_id = data.get(field) or None
        if actor_id is not None and not _exists(session, Actor, actor_id):
            errors[field] = _("Choose an actor from the list.")
        values[field] = actor_id

    for field, (kind, default) in _CHOICES.items():
        value = _text(data.get(field)) or default
        if value is not None and value not in {k.value for k in kind}:
            errors[field] = _("Choose one of the listed values.")
        values[field] = value

    for field, longest in _TEXT_LIMITS.items():
        text = _text(data.get(field))
        if text is not None and len(text) > longest:
            errors[field] = _("At most %(number)s characters.", number=longest)
        values[field] = text
    if not values["ref"]:
        values.pop("ref")

    for field in ("event_count", "count_period_hours", *CASUALTY_FIELDS):
        values[field] = _number(data.get(field), field, errors)
    for group in CASUALTY_GROUPS:
        low, best, high = (values[f"{group}_{level}"] for level in ("low", "best", "high"))
        present = [n for n in (low, best, high) if n is not None]
        if present != sorted(present):
            errors[f"{group}_best"] = _("The figures must run low ≤ best ≤ high.")
    if values["perpetrator_id"] is None and values["perpetrator_confidence"]:
        errors["perpetrator_confidence"] = _("Name the perpetrator the confidence is about.")
    return values, provisions, errors


_ORDINAL = r"(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?"
_RELATIVE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?:today|اليوم)$"), "today"),
    (re.compile(r"^(?:yesterday|أمس|امس|البارحة)$"), "yesterday"),
    (re.compile(r"^(\d{1,3})\s+days?\s+ago$"), "days_ago"),
    (re.compile(rf"^(?:on\s+)?{_ORDINAL}\s+of\s+last\s+month$"), "day_of_last_month"),
    (re.compile(rf"^(?:on\s+)?{_ORDINAL}\s+of\s+this\s+month$"), "day_of_this_month"),
    (re.compile(r"^last\s+week$"), "last_week"),
    (re.compile(r"^last\s+month$"), "last_month"),
]


def _month_before(day: dt.date) -> dt.date:
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def _relative(text: str, reference: dt.date | None) -> str | None:
    """``text`` as an absolute date counted from ``reference`` (the publication day of a
    cited source): None when it is no relative date, "" when it is one but there is no
    reference."""
    phrase = " ".join(text.casefold().split())
    for pattern, kind in _RELATIVE:
        match = pattern.match(phrase)
        if match is None:
            continue
        if reference is None:
            return ""
        if kind in {"today", "yesterday", "days_ago"}:
            back = {"today": 0, "yesterday": 1}.get(kind) or int(match.group(1))
            return (reference - dt.timedelta(days=back)).isoformat()
        if kind == "last_week":
            year, week, _day = (reference - dt.timedelta(days=7)).isocalendar()
            return f"{year}-W{week:02d}"
        if kind == "last_month":
            return f"{_month_before(reference):%Y-%m}"
        month = _month_before(reference) if kind == "day_of_last_month" else reference
        return f"{month:%Y-%m}-{int(match.group(1)):02d}"
    return None


def _reference_day(session: Session, data: Mapping[str, Any], tz: ZoneInfo) -> dt.date | None:
    """The local publication day of the first cited source that has one."""
    for row in data.get("sources") or ():
        source = _get(session, Source, row.get("source_id"))
        if source is not None and source.published_at is not None:
            return local_date(source.published_at, tz)
        published = _text((row.get("new_source") or {}).get("published_at"))
        if source is None and published:
            try:
                return local_date(parse_when(published, tz).start, tz)
            except DateInputError:
                continue
    return None


def _link_values(
    session: Session, rows: Sequence[Mapping[str, Any]], tz: ZoneInfo, errors: dict[str, str]
) -> list[tuple[Source | dict[str, Any], dict[str, Any]]]:
    """For each source row that is not empty: the existing source (or a new source's values)
    and the link's values. Errors are keyed ``sources-<row>-<field>``."""
    links: list[tuple[Source | dict[str, Any], dict[str, Any]]] = []
    seen: set[int] = set()
    for index, row in enumerate(rows):
        prefix = f"sources-{index}-"
        new = row.get("new_source") or {}
        has_new = any(_text(new.get(k)) for k in _NEW_SOURCE_TEXT)
        source_id = row.get("source_id") or None
        if source_id is None and not has_new:
            continue
        link: dict[str, Any] = {}
        credibility = _number(row.get("credibility"), prefix + "credibility", errors)
        if credibility is None or not 1 <= credibility <= 6:
            errors[prefix + "credibility"] = _("Grade the information from 1 to 6.")
        link["credibility"] = credibility
        stance = _text(row.get("stance")) or Stance.SUPPORTS.value
        if stance not in {s.value for s in Stance}:
            errors[prefix + "stance"] = _("Choose one of the listed values.")
        link["stance"] = stance
        blames = row.get("blames_actor_id") or None
        if blames is not None and not _exists(session, Actor, blames):
            errors[prefix + "blames_actor_id"] = _("Choose an actor from the list.")
        link["blames_actor_id"] = blames
        link["excerpt"] = _text(row.get("excerpt"))
        if source_id is not None:
            if has_new:
                errors[prefix + "source_id"] = _(
                    "Pick an existing source or describe a new one, not both."
                )
                continue
            source = _get(session, Source, source_id)
            if source is None:
                errors[prefix + "source_id"] = _("Choose a source from the list.")
                continue
            if source.id in seen:
                errors[prefix + "source_id"] = _("This source is already cited above.")
            seen.add(source.id)
            links.append((source, link))
        else:
            values, source_errors = source_values(new, tz)
            errors.update({prefix + k: v for k, v in source_errors.items()})
            links.append((values, link))
    return links


def _raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise InvalidInputError(_("Nothing was saved: correct the marked fields."), errors)


def _attach(
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


def _codes(provisions: Sequence[Provision]) -> list[str]:
    return sorted(p.code for p in provisions)


def _save(
    session: Session,
    incident: Incident,
    *,
    actor: User | None,
    action: str,
    before: dict[str, Any] | None,
    before_codes: list[str] | None = None,
    details: dict[str, Any] | None = None,
) -> Revision:
    codes = _codes(incident.provisions)
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
    values, provisions, errors = _incident_values(session, data, tz)
    status = _text(data.get("status")) or Status.DRAFT.value
    if status not in {s.value for s in ENTRY_STATUSES}:
        errors["status"] = _("Save the incident as a draft or submit it.")
    links = _link_values(session, data.get("sources") or (), tz, errors)
    _raise_if(errors)
    with changing(session) as change:
        user_id = actor.id if actor else None
        incident = Incident(**values, status=status, created_by_id=user_id, updated_by_id=user_id)
        incident.provisions = provisions
        session.add(incident)
        _save(session, incident, actor=actor, action="incident.create", before=None)
        _attach(session, incident, links, actor)
        change.include(incident)
    return incident


def incident_errors(
    session: Session, data: Mapping[str, Any], *, tz: ZoneInfo = DEFAULT_TZ
) -> dict[str, str]:
    """The message per wrong field that :func:`create_incident` would give for ``data``,
    without writing anything (for a form that has other problems to show at the same time)."""
    _values, _provisions, errors = _incident_values(session, data, tz)
    _link_values(session, data.get("sources") or (), tz, errors)
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
    values, provisions, errors = _incident_values(session, data, tz)
    links = _link_values(session, data.get("sources") or (), tz, errors)
    _raise_if(errors)
    with changing(session, [incident.id]):
        before = snapshot(incident)
        before_codes = _codes(incident.provisions)
        for field, value in values.items():
            setattr(incident, field, value)
        if incident.status == Status.VERIFIED:
            # What was verified is no longer what is stored: it goes back to review.
            incident.status = Status.SUBMITTED.value
        incident.provisions = provisions
        incident.updated_by_id = actor.id if actor else None
        _save(
            session,
            incident,
            actor=actor,
            action="incident.update",
            before=before,
            before_codes=before_codes,
        )
        _attach(session, incident, links, actor)
    return incident


def _required_reason(reason: str | None) -> str:
    text = _text(reason)
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
        _save(
            session,
            incident,
            actor=actor,
            action=action,
            before=before,
            before_codes=_codes(incident.provisions),
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
        _text(reason),
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
