"""Sources: create, edit with optimistic locking, retract and restore, each with its history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tracker.config import DEFAULTS
from tracker.i18n import date_error_message
from tracker.models import RecordState, Reliability, Source, SourceKind, User
from tracker.rules.dates import DateInputError, parse_when
from tracker.services.errors import InvalidInputError, NotFoundError, StaleEditError
from tracker.services.history import record_revision, snapshot
from tracker.services.publishers import Publishers
from tracker.services.report_store import changing, citing

DEFAULT_TZ = ZoneInfo(str(DEFAULTS["LOCAL_TIMEZONE"]))

#: The fields of a source that analysts edit, with their longest allowed length.
SOURCE_FIELDS: dict[str, int] = {
    "kind": 30,
    "title": 500,
    "url": 2000,
    "publisher": 300,
    "author": 300,
    "language": 10,
    "published_at": 40,
    "archive_url": 2000,
    "reliability": 1,
    "is_confidential": 0,
    "notes": 100_000,
}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _web_address(value: str | None, field: str, errors: dict[str, str]) -> str | None:
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        errors[field] = _("Write a web address that starts with http:// or https://.")
    return value


def _moment(value: Any, tz: ZoneInfo, errors: dict[str, str]) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            return value.replace(tzinfo=tz)
        return value
    text = _text(value)
    if text is None:
        return None
    try:
        when = parse_when(text, tz)
    except DateInputError as exc:
        errors["published_at"] = date_error_message(exc)
        return None
    if when.precision not in {"time", "day"} or "/" in text:
        errors["published_at"] = _(
            "Give the publication day (2019-08-03) or time (2019-08-03 14:30)."
        )
        return None
    return when.start


def source_values(
    data: Mapping[str, Any], tz: ZoneInfo = DEFAULT_TZ
) -> tuple[dict[str, Any], dict[str, str]]:
    """The column values for a source from ``data``, and a message per field that is wrong."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for field, longest in SOURCE_FIELDS.items():
        if field in {"published_at", "is_confidential"}:
            continue
        text = _text(data.get(field))
        if text is not None and len(text) > longest:
            errors[field] = _("At most %(number)s characters.", number=longest)
        values[field] = text
    if values["kind"] not in {k.value for k in SourceKind}:
        errors["kind"] = _("Choose the kind of source.")
    if not values["title"]:
        errors["title"] = _("A title is required.")
    values["reliability"] = values["reliability"] or Reliability.F.value
    if values["reliability"] not in {r.value for r in Reliability}:
        errors["reliability"] = _("Choose a reliability grade from A to F.")
    values["url"] = _web_address(values["url"], "url", errors)
    values["archive_url"] = _web_address(values["archive_url"], "archive_url", errors)
    values["published_at"] = _moment(data.get("published_at"), tz, errors)
    values["is_confidential"] = bool(data.get("is_confidential"))
    return values, errors


def _origin_values(
    session: Session,
    data: Mapping[str, Any],
    values: dict[str, Any],
    errors: dict[str, str],
    source_id: int | None = None,
) -> None:
    """The publisher entity named by ``values["publisher"]`` and the source that carried
    this one (``data["carried_by_id"]``): a quote printed in an article is not independent of
    it. A chain of carriers is kept as its first source; a public source cannot be carried by
    a confidential one (public exports would lose the link)."""
    publisher = Publishers(session).resolve(values.get("publisher"))
    values["publisher_id"] = publisher.id if publisher else None
    carrier_id = data.get("carried_by_id") or None
    values["carried_by_id"] = None
    if carrier_id is None:
        return
    carrier = session.get(Source, carrier_id) if isinstance(carrier_id, int) else None
    while carrier is not None and carrier.carried_by_id is not None:
        carrier = session.get(Source, carrier.carried_by_id)
    if carrier is None:
        errors["carried_by_id"] = _("Choose the source that carried this one from the list.")
    elif carrier.id == source_id:
        errors["carried_by_id"] = _("A source cannot carry itself.")
    elif carrier.is_confidential and not values.get("is_confidential"):
        errors["carried_by_id"] = _(
            "A public source cannot be carried by a confidential one: mark it confidential too."
        )
    else:
        values["carried_by_id"] = carrier.id


def get_source(session: Session, source_id: int) -> Source:
    """The source with ``source_id``.

    :raises NotFoundError: when there is none.
    """
    source = session.get(Source, source_id)
    if source is None:
        raise NotFoundError(_("There is no source number %(number)s.", number=source_id))
    return source


def _record_values(
    session: Session, data: Mapping[str, Any], errors: dict[str, str]
) -> dict[str, Any]:
    """The source's key in a data set (``ref``, unique) and when it was read (``accessed_at``,
    a time-zone-aware datetime)."""
    ref = _text(data.get("ref"))
    if ref is not None and len(ref) > 120:
        errors["ref"] = _("At most %(number)s characters.", number=120)
    elif ref is not None and session.scalar(select(Source.id).where(Source.ref == ref)):
        errors["ref"] = _("Another source already has the reference %(ref)s.", ref=ref)
    return {"ref": ref, "accessed_at": data.get("accessed_at")}


def create_source(
    session: Session, data: Mapping[str, Any], *, actor: User | None, tz: ZoneInfo = DEFAULT_TZ
) -> Source:
    """Create a source from ``data`` and record its first revision; besides the fields an
    analyst edits, ``data`` may give the source's ``ref`` and ``accessed_at`` (a data set's).

    :raises InvalidInputError: with a message per wrong field.
    """
    values, errors = source_values(data, tz)
    _origin_values(session, data, values, errors)
    values.update(_record_values(session, data, errors))
    if errors:
        raise InvalidInputError(_("The source was not saved."), errors)
    source = Source(**values, created_by_id=actor.id if actor else None)
    session.add(source)
    record_revision(session, source, user=actor, action="source.create")
    return source


def _check_version(record: Source, expected_version: int) -> None:
    if record.version != expected_version:
        raise StaleEditError(
            _(
                "Someone else saved this source (now version %(current)s) after you opened "
                "version %(opened)s; nothing was written.",
                current=record.version,
                opened=expected_version,
            ),
            record.version,
        )


def _save(
    session: Session,
    source: Source,
    before: dict[str, Any],
    *,
    actor: User | None,
    action: str,
    details: dict[str, Any] | None = None,
) -> None:
    try:
        record_revision(session, source, user=actor, action=action, before=before, details=details)
    except StaleDataError as exc:
        raise StaleEditError(
            _("Someone else saved this source at the same moment; nothing was written."),
            source.version,
        ) from exc


def update_source(
    session: Session,
    source_id: int,
    data: Mapping[str, Any],
    expected_version: int,
    *,
    actor: User | None,
    tz: ZoneInfo = DEFAULT_TZ,
) -> Source:
    """Change a source, refusing the edit when it was saved since version ``expected_version``.

    :raises NotFoundError: for an unknown source.
    :raises StaleEditError: when the source changed since the editor opened it.
    :raises InvalidInputError: with a message per wrong field.
    """
    source = get_source(session, source_id)
    _check_version(source, expected_version)
    values, errors = source_values(data, tz)
    _origin_values(session, data, values, errors, source.id)
    if errors:
        raise InvalidInputError(_("The source was not saved."), errors)
    with changing(session, citing(session, source.id), rejudge=False):
        before = snapshot(source)
        for field, value in values.items():
            setattr(source, field, value)
        _save(session, source, before, actor=actor, action="source.update")
    return source


def retract_source(session: Session, source_id: int, reason: str, *, actor: User | None) -> Source:
    """Retract a source (it stays stored and linked, marked retracted with ``reason``).

    :raises NotFoundError: for an unknown source.
    :raises InvalidInputError: without a reason, or when it is already retracted.
    """
    source = get_source(session, source_id)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInputError(
            _("Give a reason for the retraction."), {"reason": _("A reason is required.")}
        )
    if source.state == RecordState.RETRACTED:
        raise InvalidInputError(
            _("This source is already retracted."), {"reason": _("Already retracted.")}
        )
    with changing(session, citing(session, source.id), rejudge=False):
        before = snapshot(source)
        source.state = RecordState.RETRACTED.value
        source.retraction_reason = reason
        _save(
            session,
            source,
            before,
            actor=actor,
            action="source.retract",
            details={"reason": reason},
        )
    return source


def restore_source(session: Session, source_id: int, *, actor: User | None) -> Source:
    """Bring a retracted source back.

    :raises NotFoundError: for an unknown source.
    :raises InvalidInputError: when it is not retracted.
    """
    source = get_source(session, source_id)
    if source.state != RecordState.RETRACTED:
        raise InvalidInputError(_("This source is not retracted."), {})
    with changing(session, citing(session, source.id), rejudge=False):
        before = snapshot(source)
        source.state = RecordState.ACTIVE.value
        source.retraction_reason = None
        _save(session, source, before, actor=actor, action="source.restore")
    return source
