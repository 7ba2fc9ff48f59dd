"""The Export page: SQL dumps (reviewers and admins) and incident tables (everyone), streamed
as they are made; every one is public unless an admin asks for the full version (``full=1``),
and every export is recorded in the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from tracker.auth import current_record
from tracker.db import get_session
from tracker.export.incidents import EXTENSIONS, FORMATS, MEDIA_TYPES, export_lines
from tracker.export.sqldump import DIALECTS, SqlDump
from tracker.forms.incidents import STATUS_LABELS
from tracker.models import Agreement, Status
from tracker.permissions import requires
from tracker.queries.incidents import IncidentFilters, filter_errors
from tracker.queries.visibility import full_export
from tracker.services.exports import record_export
from tracker.views.common import audience, local_zone, signed_in_user

bp = Blueprint("exports", __name__, url_prefix="/exports")


def _role_at_least(role: str) -> bool:
    user = current_record()
    return bool(user and user.has_role(role))


def _public(asked_full: str | None) -> bool:
    """Whether an export is public: always, unless an admin asks for the full version."""
    return not full_export(audience(), asked_full == "1")


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")


@bp.route("/")
@requires("viewer")
def index() -> str:
    agreements = get_session().scalars(select(Agreement).order_by(Agreement.effective_from))
    return render_template(
        "exports/index.html",
        agreements=list(agreements),
        dialects=DIALECTS,
        formats=FORMATS,
        statuses=[s.value for s in Status],
        status_labels={str(k): v for k, v in STATUS_LABELS.items()},
        may_dump=_role_at_least("reviewer"),
        may_choose_full=_role_at_least("admin"),
    )


def _attachment(chunks: Iterator[bytes], mimetype: str, name: str) -> Response:
    """A download named ``name``, streamed as its ``chunks`` are made."""
    return Response(
        stream_with_context(chunks),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/sql", methods=["POST"])
@requires("reviewer")
def sql() -> BaseResponse:
    form = request.form
    if form.get("full") == "1" and not _role_at_least("admin"):
        abort(403)
    public = _public(form.get("full"))
    dialect = form.get("dialect", "sqlite")
    slugs = sorted(set(form.getlist("agreement")) - {""})
    session = get_session()
    known = set(session.scalars(select(Agreement.slug).where(Agreement.slug.in_(slugs))))
    if dialect not in DIALECTS or known != set(slugs):
        flash(_("Choose a dialect and existing agreements."), "error")
        return redirect(url_for("exports.index"))
    user = signed_in_user()
    dump = SqlDump(
        current_app.config["DATABASE_URL"],
        dialect=dialect,
        public=public,
        agreements=slugs,
        created_by=user.username,
    )
    scope = "public" if public else "full"
    record_export(
        session, "sql", {"dialect": dialect, "scope": scope, "agreements": slugs}, user=user
    )
    session.commit()
    name = f"ceasefire-tracker-{scope}-{dialect}-{_stamp()}.sql"
    return _attachment(dump.chunks(), "application/sql", name)


def _table(
    session: Session, filters: IncidentFilters, fmt: str, tz: ZoneInfo, meta: dict[str, Any]
) -> Iterator[bytes]:
    """The incidents table as it is sent; the read transaction ends as soon as it is sent."""
    try:
        for line in export_lines(session, filters, fmt, tz, meta):
            yield line.encode()
    finally:
        session.rollback()


@bp.route("/incidents.<fmt>")
@requires("viewer")
def incidents(fmt: str) -> BaseResponse:
    if fmt not in FORMATS:
        abort(404)
    args = request.args
    errors = filter_errors(args)
    if errors:
        for message in errors.values():
            flash(message, "error")
        return redirect(url_for("exports.index"))
    public = _public(args.get("full"))
    filters = IncidentFilters.from_args(args, public=public)
    user = signed_in_user()
    session = get_session()
    record_export(session, fmt, {"filters": filters.as_args(), "public": public}, user=user)
    session.commit()
    meta = {"filters": filters.as_args(), "public": public, "by": user.username}
    table = _table(session, filters, fmt, local_zone(), meta)
    return _attachment(table, MEDIA_TYPES[fmt], f"incidents-{_stamp()}.{EXTENSIONS[fmt]}")
