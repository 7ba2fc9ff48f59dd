"""Writes of agreements: every change writes a revision, and a stale edit is refused
(optimistic locking). Their parties, provisions and territories: :mod:`.agreement_parts`."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tracker.models import Agreement, AgreementKind, User
from tracker.services.errors import InvalidInputError, StaleEditError
from tracker.services.history import record_revision, snapshot
from tracker.services.report_rebuild import invalidate

FIELDS = (
    "slug",
    "kind",
    "name_en",
    "name_ar",
    "signed_on",
    "effective_from",
    "expires_at",
    "is_unilateral",
    "parent_id",
    "summary_en",
    "summary_ar",
    "text_url",
    "pax_id",
)


def _check(session: Session, data: dict[str, Any], record: Agreement | None) -> None:
    errors: dict[str, str] = {}
    slug = data.get("slug") or ""
    taken = session.scalar(select(Agreement.id).where(Agreement.slug == slug))
    if taken is not None and (record is None or taken != record.id):
        errors["slug"] = _("Another agreement already has the short name %(slug)s.", slug=slug)
    if not (data.get("name_en") or "").strip():
        errors["name_en"] = _("An English name is required.")
    if data.get("kind") not in {k.value for k in AgreementKind}:
        errors["kind"] = _("Choose a kind from the list.")
    start, end = data.get("effective_from"), data.get("expires_at")
    if start is None:
        errors["effective_from"] = _("Enter the date and time it took effect.")
    elif end is not None and end <= start:
        errors["expires_at"] = _("The end must come after the start.")
    text_url = data.get("text_url")
    if text_url and not str(text_url).lower().startswith(("http://", "https://")):
        errors["text_url"] = _("Write a web address that starts with http:// or https://.")
    parent_id = data.get("parent_id")
    if parent_id is not None:
        parent = session.get(Agreement, parent_id)
        if parent is None:
            errors["parent_id"] = _("The chosen parent agreement does not exist.")
        elif record is not None and _is_ancestor(record, parent):
            errors["parent_id"] = _("An agreement cannot stand on itself or on its own successors.")
    if errors:
        raise InvalidInputError("; ".join(errors.values()), errors)


def _is_ancestor(record: Agreement, candidate: Agreement) -> bool:
    node: Agreement | None = candidate
    seen: set[int] = set()
    while node is not None and node.id not in seen:
        if node.id == record.id:
            return True
        seen.add(node.id)
        node = node.parent
    return False


def create_agreement(session: Session, data: dict[str, Any], *, actor: User | None) -> Agreement:
    """Create an agreement from ``data`` (the keys of ``FIELDS``; times time-zone-aware).

    :raises InvalidInputError: for a taken slug, a missing name or start, an end before the
        start, an unknown kind or parent.
    """
    _check(session, data, None)
    record = Agreement(**{key: data.get(key) for key in FIELDS})
    record.is_unilateral = bool(data.get("is_unilateral"))
    session.add(record)
    record_revision(session, record, user=actor, action="agreement.create")
    return record


def update_agreement(
    session: Session,
    record: Agreement,
    data: dict[str, Any],
    *,
    expected_version: int | None,
    actor: User,
) -> Agreement:
    """Change ``record`` to ``data`` when nobody saved it since version ``expected_version``
    was read; a revision lists the fields that changed.

    :raises StaleEditError: when the stored version is newer; nothing is written.
    :raises InvalidInputError: as :func:`create_agreement`, and for a parent making a cycle.
    """
    if expected_version is None or expected_version != record.version:
        raise StaleEditError(
            _("Someone else saved this agreement after you opened it; nothing was saved."),
            current_version=record.version,
        )
    _check(session, data, record)
    before = snapshot(record)
    for key in FIELDS:
        setattr(record, key, data.get(key))
    record.is_unilateral = bool(data.get("is_unilateral"))
    try:
        record_revision(session, record, user=actor, action="agreement.update", before=before)
    except StaleDataError as exc:  # saved by another request between our read and our write
        raise StaleEditError(
            _("Someone else saved this agreement after you opened it; nothing was saved."),
            current_version=expected_version + 1,
        ) from exc
    invalidate(session, [record.id])
    return record
