"""Helpers shared by the views: service errors beside form fields, records or 404, history,
page links."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import SimpleNamespace
from typing import Any, TypeVar, cast

from flask import abort, flash
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from tracker import labels
from tracker.auth import current_record
from tracker.db import get_session, is_write_conflict
from tracker.i18n import lazy_labels
from tracker.models import Actor, Agreement, Base, Incident, Place, Source, User
from tracker.queries.history import referenced_records, revisions_for, users_by_id
from tracker.queries.visibility import Audience, public_fields
from tracker.services.errors import (
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    StaleEditError,
)
from tracker.services.report_store import ensure_all_built

M = TypeVar("M", bound=Base)

#: What pages call each verdict, by its stored value.
VERDICT_LABELS = lazy_labels(labels.VERDICT_LABELS)
T = TypeVar("T")


def show_errors(form: FlaskForm, error: InvalidInputError) -> None:
    """Put each message of ``error`` beside its field; flash those that name no field."""
    unplaced = []
    for name, message in error.errors.items():
        field = form._fields.get(name)
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            unplaced.append(message)
    if unplaced or not error.errors:
        flash(" ".join(unplaced) or str(error), "error")


def save_form(
    form: FlaskForm, write: Callable[[Session], T], success: str, category: str = "info"
) -> T | None:
    """Run the service write of a submitted form in the request's session: commit it, flash
    ``success`` and return what it returned; when the service refuses the input, roll back,
    put its messages beside the fields and return None."""
    session = get_session()
    try:
        result = write(session)
    except InvalidInputError as error:
        session.rollback()
        show_errors(form, error)
        return None
    session.commit()
    flash(success, category)
    return result


def commit_write(write: Callable[[], object], success: str) -> bool:
    """Run a service write in the request's session: commit it and flash ``success``; when a
    rule refuses it, roll back and flash why; when a record is missing, answer 404. Returns
    whether the write was committed."""
    session = get_session()
    try:
        write()
        session.commit()
    except NotFoundError:
        abort(404)
    except ForbiddenError:
        session.rollback()
        abort(403)
    except (InvalidInputError, StaleEditError) as error:
        session.rollback()
        flash(str(error), "error")
        return False
    except SQLAlchemyError as error:
        if not is_write_conflict(error):
            raise
        session.rollback()
        flash(_("Someone else saved this record at the same moment; nothing was written."), "error")
        return False
    flash(success, "success")
    return True


def get_or_404(model: type[M], record_id: Any) -> M:
    """The record of ``model`` with primary key ``record_id``, or a 404 page."""
    record = get_session().get(model, record_id)
    if record is None:
        abort(404)
    return record


def get_by_slug_or_404(model: type[M], slug: str) -> M:
    """The record of ``model`` whose ``slug`` is ``slug``, or a 404 page."""
    column = cast(Any, model).slug
    record: M | None = get_session().scalars(select(model).where(column == slug)).first()
    if record is None:
        abort(404)
    return record


def signed_in_user() -> User:
    """The signed-in user's record (views whose rule needs a role are never reached without
    one; a 403 page otherwise)."""
    user = current_record()
    if user is None:
        abort(403)
    return user


def field_labels(*forms: type[FlaskForm]) -> dict[str, str]:
    """Field name -> label (in the page's language) of the fields of ``forms``, so that the
    history says "Name in English" rather than ``name_en``."""
    labels: dict[str, str] = {}
    for form_class in forms:
        form = form_class(formdata=None, meta={"csrf": False})
        for name, field in form._fields.items():
            labels.setdefault(name, str(field.label.text))
    return labels


def public_history(revisions: list[Any]) -> dict[str, Any]:
    """What a viewer's history shows of ``revisions``: the changes of public fields, with no
    author (``users`` empty), newest first; a revision left with no public change is left
    out."""
    shown = []
    for revision in sorted(revisions, key=lambda r: r.id, reverse=True):
        changes = public_fields(revision.entity_type, revision.changes or {})
        if changes:
            shown.append(SimpleNamespace(**{**_revision_fields(revision), "changes": changes}))
    return {"revisions": shown, "users": {}, "public_history": True}


def _revision_fields(revision: Any) -> dict[str, Any]:
    return {
        "id": revision.id,
        "entity_type": revision.entity_type,
        "version": revision.version,
        "created_at": revision.created_at,
        "user_id": None,
        "snapshot": public_fields(revision.entity_type, revision.snapshot or {}),
    }


def history(*records: Base) -> dict[str, Any]:
    """``revisions`` (newest first, of all ``records`` together) and ``users`` (id -> user)
    for ``templates/_history.html``."""
    db_session = get_session()
    revisions = [
        revision
        for record in records
        for revision in revisions_for(db_session, type(record).__tablename__, record.id)  # type: ignore[attr-defined]
    ]
    revisions.sort(key=lambda r: r.id, reverse=True)
    if audience().public:
        return public_history(revisions)
    references: dict[str, Any] = dict(REFERENCES)
    if records:
        references["parent_id"] = type(records[0])
    return {
        "revisions": revisions,
        "users": users_by_id(db_session, revisions),
        "referenced": referenced_records(db_session, revisions, references),
    }


#: The id columns that revisions of agreements, their parts, places and actors hold, and the
#: records they name (``parent_id`` names a record of the page's own kind).
REFERENCES: dict[str, Any] = {
    "actor_id": Actor,
    "agreement_id": Agreement,
    "source_id": Source,
    "place_id": Place,
    "incident_id": Incident,
}


def page_links(
    args: Mapping[str, str], next_key: str | None
) -> tuple[dict[str, str] | None, dict[str, str] | None]:
    """The query arguments of the next page (None on the last page) and of the first page
    (None when already on it), keeping the list's filters and sort."""
    kept = {k: v for k, v in args.items() if k != "after" and v}
    first = kept if "after" in args else None
    following = {**kept, "after": next_key} if next_key else None
    return following, first


def store_ready() -> None:
    """Build the stored verdicts and report totals that are missing or stale, and commit them
    (pages that read the store call this first; reads never write)."""
    session = get_session()
    if ensure_all_built(session):
        session.commit()


def audience() -> Audience:
    """Whom the current page is for: what it may show is decided by
    :mod:`tracker.queries.visibility`."""
    return Audience.of(current_user.role if current_user.is_authenticated else None)


def is_analyst() -> bool:
    """Whether the signed-in user is an analyst or above (sees drafts and internal data)."""
    return bool(current_user.is_authenticated and current_user.record.has_role("analyst"))
