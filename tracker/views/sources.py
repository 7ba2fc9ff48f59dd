"""Source pages: list, detail with the incidents citing the source, entry, edit, retraction."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tracker.db import get_session
from tracker.forms.incidents import (
    CREDIBILITY_LABELS,
    STANCE_LABELS,
    STATUS_LABELS,
    record_id,
)
from tracker.forms.sources import (
    RELIABILITY_LABELS,
    SOURCE_KIND_LABELS,
    ConfirmForm,
    RetractForm,
    SourceForm,
    source_data,
)
from tracker.input_guard import answer_conflict
from tracker.models import Source
from tracker.permissions import requires
from tracker.queries.history import revisions_for, users_by_id
from tracker.queries.sources import SOURCE_ORDER, citing_incidents, source_page
from tracker.queries.visibility import incident_shown, link_shown, source_shown
from tracker.services import sources as service
from tracker.services.errors import InvalidInputError, StaleEditError
from tracker.views.common import (
    audience,
    commit_write,
    is_analyst,
    save_form,
    show_errors,
    signed_in_user,
)

bp = Blueprint("sources", __name__, url_prefix="/sources")


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {
        "kind_labels": SOURCE_KIND_LABELS,
        "reliability_labels": RELIABILITY_LABELS,
        "credibility_labels": CREDIBILITY_LABELS,
        "stance_labels": STANCE_LABELS,
        "status_labels": STATUS_LABELS,
    }


def _tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["LOCAL_TIMEZONE"])


def _visible_source(source_id: int) -> Source:
    """The source, or a 404 page for a viewer asking for a confidential or retracted one."""
    source = get_session().get(Source, source_id)
    if source is None:
        abort(404)
    if not source_shown(source, public=audience().public):
        abort(404)
    return source


@bp.route("/")
@requires("viewer")
def index() -> str:
    analyst = is_analyst()
    after = SOURCE_ORDER.read(request.args.get("after"))
    page = source_page(
        get_session(),
        query=request.args.get("q"),
        public=audience().public,
        retracted=request.args.get("retracted") == "1",
        after=after,
        size=int(current_app.config["PAGE_SIZE"]),
    )
    base = {k: v for k, v in request.args.items() if k in {"q", "retracted"} and v}
    next_args = {**base, "after": page.next_key} if page.next_key else None
    return render_template(
        "sources/list.html",
        sources=page.items,
        analyst=analyst,
        next_args=next_args,
        first_args=base if after else None,
    )


@bp.route("/<int(max=2147483647):source_id>")
@requires("viewer")
def detail(source_id: int) -> str:
    source = _visible_source(source_id)
    analyst = is_analyst()
    public = audience().public
    citations = [
        (link, incident)
        for link, incident in citing_incidents(get_session(), source.id)
        if incident_shown(incident, public=public) and link_shown(link, source, public=public)
    ]
    revisions = revisions_for(get_session(), "sources", source.id) if analyst else []
    form = SourceForm(formdata=None)
    field_labels = {field.name: field.label.text for field in form}
    field_labels.update(state=_("Status"), retraction_reason=_("Reason"))
    return render_template(
        "sources/detail.html",
        source=source,
        citations=citations,
        analyst=analyst,
        revisions=revisions,
        users=users_by_id(get_session(), revisions),
        field_labels=field_labels,
        value_labels={
            "kind": {str(k): v for k, v in SOURCE_KIND_LABELS.items()},
            "reliability": {str(k): v for k, v in RELIABILITY_LABELS.items()},
        },
        retract_form=RetractForm(),
        confirm_form=ConfirmForm(),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires("analyst")
def new() -> str | Response:
    form = SourceForm()
    if form.validate_on_submit():
        source = save_form(
            form,
            lambda db: service.create_source(
                db, source_data(form), actor=signed_in_user(), tz=_tz()
            ),
            _("Source saved."),
            "success",
        )
        if source is not None:
            return redirect(url_for("sources.detail", source_id=source.id))
    return render_template("sources/form.html", form=form, source=None)


def _fill(form: SourceForm, source: Source) -> None:
    for name in ("kind", "title", "url", "publisher", "author", "language"):
        form[name].data = getattr(source, name)
    form.archive_url.data = source.archive_url
    form.notes.data = source.notes
    form.reliability.data = source.reliability
    form.is_confidential.data = source.is_confidential
    published = source.published_at
    form.published_at.data = (
        published.astimezone(_tz()).strftime("%Y-%m-%d %H:%M") if published else ""
    )
    form.version.data = str(source.version)


@bp.route("/<int(max=2147483647):source_id>/edit", methods=["GET", "POST"])
@requires("analyst")
def edit(source_id: int) -> str | Response:
    source = _visible_source(source_id)
    form = SourceForm()
    if request.method == "GET":
        _fill(form, source)
    elif form.validate_on_submit():
        session = get_session()
        version = record_id(form.version.data) or 0
        try:
            service.update_source(
                session, source.id, source_data(form), version, actor=signed_in_user(), tz=_tz()
            )
        except InvalidInputError as error:
            session.rollback()
            show_errors(form, error)
        except StaleEditError as error:
            session.rollback()
            current = service.get_source(session, source_id)
            flash(str(error), "error")
            form.version.data = str(current.version)
            answer_conflict()
            return render_template("sources/form.html", form=form, source=current, stale=current)
        else:
            session.commit()
            flash(_("Source saved."), "success")
            return redirect(url_for("sources.detail", source_id=source.id))
    return render_template("sources/form.html", form=form, source=source)


@bp.route("/<int(max=2147483647):source_id>/retract", methods=["POST"])
@requires("analyst")
def retract(source_id: int) -> Response:
    form = RetractForm()
    session = get_session()
    if not form.validate_on_submit():
        flash(_("Give a reason for the retraction."), "error")
        return redirect(url_for("sources.detail", source_id=source_id))
    commit_write(
        lambda: service.retract_source(
            session, source_id, form.reason.data or "", actor=signed_in_user()
        ),
        _("Source retracted."),
    )
    return redirect(url_for("sources.detail", source_id=source_id))


@bp.route("/<int(max=2147483647):source_id>/restore", methods=["POST"])
@requires("analyst")
def restore(source_id: int) -> Response:
    form = ConfirmForm()
    if form.validate_on_submit():
        commit_write(
            lambda: service.restore_source(get_session(), source_id, actor=signed_in_user()),
            _("Source restored."),
        )
    return redirect(url_for("sources.detail", source_id=source_id))
