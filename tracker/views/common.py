"""Helpers shared by the views: service errors beside form fields, records or 404, history,
page links."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, Generic, TypeVar, cast
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from tracker import labels
from tracker.auth import current_record
from tracker.db import get_session, is_write_conflict
from tracker.forms.common import field_list
from tracker.i18n import lazy_labels
from tracker.input_guard import answer_conflict
from tracker.models import Actor, Agreement, Base, Incident, Place, Source, User
from tracker.queries.history import referenced_records, revisions_for, users_by_id
from tracker.queries.visibility import Audience, public_fields
from tracker.services.errors import (
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    StaleEditError,
)
from tracker.services.report_rebuild import ensure_all_built

M = TypeVar("M", bound=Base)

#: What pages call each verdict, by its stored value.
VERDICT_LABELS = lazy_labels(labels.VERDICT_LABELS)
T = TypeVar("T")


def show_errors(
    form: FlaskForm,
    error: InvalidInputError,
    aliases: Mapping[str, str] | None = None,
    *,
    beside_form_messages: bool = True,
) -> None:
    """Put each message of ``error`` beside its field (a name in the page, subforms included;
    ``aliases`` renames the last part of a service's field name to the form's; unless
    ``beside_form_messages``, a field the form already marked keeps its own message alone),
    and flash that nothing was saved, with the messages that name no field."""
    fields = field_list(form)
    unplaced = []
    for key, message in error.errors.items():
        prefix, sep, last = key.rpartition("-")
        field = fields.get(f"{prefix}{sep}{(aliases or {}).get(last, last)}")
        if field is None:
            unplaced.append(message)
        elif beside_form_messages or not field.errors:
            field.errors = [*field.errors, message]
    placed = len(unplaced) < len(error.errors)
    lead = [_("Nothing was saved: correct the marked fields.")] if placed else []
    flash(" ".join([*lead, *unplaced]) or str(error), "error")


@dataclass(frozen=True)
class Saved(Generic[T]):
    """What :func:`save` did: ``record`` is what the write returned once committed; ``stale``
    says someone saved the record meanwhile (the page shows both versions, answering 409)."""

    record: T | None = None
    committed: bool = False
    stale: bool = False


def save(
    write: Callable[[Session], T],
    success: str | None,
    *,
    form: FlaskForm | None = None,
    aliases: Mapping[str, str] | None = None,
    category: str = "success",
) -> Saved[T]:
    """Run a service write in the request's session, commit it and flash ``success``; every
    refusal of the services gets the same answer on every page, after a rollback:

    - invalid input: the messages beside the fields of ``form`` (flashed without one);
    - a stale edit, or a write refused because another was saved at the same moment: the
      reason flashed, and the page shown again answers 409 (``Saved.stale``);
    - a record that does not exist: 404; a change the user may not make: 403.
    """
    session = get_session()
    try:
        result = write(session)
        session.commit()
    except (NotFoundError, ForbiddenError, InvalidInputError, StaleEditError) as error:
        session.rollback()
        return _refused(error, form, aliases)
    except SQLAlchemyError as error:
        if not is_write_conflict(error):
            raise
        session.rollback()
        return _conflict(
            _("Someone else saved this record at the same moment; nothing was written.")
        )
    if success:
        flash(success, category)
    return Saved(result, committed=True)


def _refused(
    error: NotFoundError | ForbiddenError | InvalidInputError | StaleEditError,
    form: FlaskForm | None,
    aliases: Mapping[str, str] | None,
) -> Saved[Any]:
    """The answer of :func:`save` to a write that the services refused with ``error``."""
    if isinstance(error, NotFoundError):
        abort(404)
    if isinstance(error, ForbiddenError):
        abort(403)
    if isinstance(error, StaleEditError):
        return _conflict(str(error))
    if form is not None:
        show_errors(form, error, aliases)
    else:
        flash(str(error), "error")
    return Saved()


def _conflict(message: str) -> Saved[Any]:
    """The answer of :func:`save` to a write that lost to another: the page shown again
    answers 409."""
    flash(message, "error")
    answer_conflict()
    return Saved(stale=True)


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


def local_zone() -> ZoneInfo:
    """The time zone in which pages show and read dates (``LOCAL_TIMEZONE``)."""
    return ZoneInfo(current_app.config["LOCAL_TIMEZONE"])


def to_utc(value: dt.datetime | None) -> dt.datetime | None:
    """A form's local date and time (naive, in :func:`local_zone`) as an aware UTC time."""
    return value.replace(tzinfo=local_zone()).astimezone(dt.UTC) if value else None


def to_local(value: dt.datetime | None) -> dt.datetime | None:
    """A stored time as a form shows it: naive, in :func:`local_zone`."""
    return value.astimezone(local_zone()).replace(tzinfo=None) if value else None


def audience() -> Audience:
    """Whom the current page is for: what it may show is decided by
    :mod:`tracker.queries.visibility`."""
    return Audience.of(current_user.role if current_user.is_authenticated else None)


def is_analyst() -> bool:
    """Whether the signed-in user is an analyst or above (sees drafts and internal data)."""
    return bool(current_user.is_authenticated and current_user.record.has_role("analyst"))
