"""Incident pages: the filtered list, the detail page, entry and edit forms, status changes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.wrappers import Response

from tracker.db import get_session
from tracker.forms.incidents import (
    CATEGORY_LABELS,
    CONFIDENCE_LABELS,
    CREDIBILITY_LABELS,
    FIGURE_QUALIFIER_LABELS,
    GROUP_LABELS,
    LOCATION_PRECISION_LABELS,
    PRECISION_LABELS,
    QUALIFIER_LABELS,
    STANCE_LABELS,
    STATUS_LABELS,
    IncidentForm,
    StatusForm,
    fill_from_incident,
    when_text,
)
from tracker.forms.sources import ConfirmForm, RetractForm
from tracker.i18n import current_locale, localized
from tracker.models import (
    Incident,
    IncidentSource,
    Status,
)
from tracker.permissions import requires
from tracker.queries.applicability import verdicts_of_incident
from tracker.queries.duplicates import likely_duplicates
from tracker.queries.incident_list import filter_choices, incident_page
from tracker.queries.incidents import (
    IncidentFilters,
    filter_errors,
    list_order,
)
from tracker.queries.search import ranked_page
from tracker.queries.visibility import incident_shown, link_shown
from tracker.rules.search_terms import highlight, parse_query
from tracker.rules.values import ascii_digits, parse_id
from tracker.services import incidents as service
from tracker.views.common import (
    VERDICT_LABELS,
    audience,
    is_analyst,
    local_zone,
    save,
    signed_in_user,
    store_ready,
)
from tracker.views.incident_form import handle_form
from tracker.views.incident_history import incident_history

bp = Blueprint("incidents", __name__, url_prefix="/incidents")

LABELS: dict[str, dict[Any, Any]] = {
    "categories": CATEGORY_LABELS,
    "confidences": CONFIDENCE_LABELS,
    "credibilities": CREDIBILITY_LABELS,
    "groups": GROUP_LABELS,
    "location_precisions": LOCATION_PRECISION_LABELS,
    "precisions": PRECISION_LABELS,
    "qualifiers": QUALIFIER_LABELS,
    "figure_qualifiers": FIGURE_QUALIFIER_LABELS,
    "stances": STANCE_LABELS,
    "statuses": STATUS_LABELS,
}


#: The labels translated into each language, once per process: every page of incidents shows
#: hundreds of them, and translating a lazy string costs a catalogue look-up each time.
_TRANSLATED: dict[str, dict[str, Any]] = {}


@bp.context_processor
def _labels() -> dict[str, Any]:
    locale = current_locale()
    translated = _TRANSLATED.get(locale)
    if translated is None:
        translated = {
            "labels": {name: {k: str(v) for k, v in m.items()} for name, m in LABELS.items()},
            "verdict_labels": {value: str(label) for value, label in VERDICT_LABELS.items()},
        }
        _TRANSLATED[locale] = translated
    return translated


@dataclass(frozen=True)
class _Listing:
    """A page of the list: its incidents and their verdicts, the key of the next page, whether
    it is a later page, and the passages of the descriptions that match the search words."""

    incidents: list[Incident]
    verdicts: dict[int, Any]
    next_after: str | None
    later: bool
    highlights: dict[int, Markup]


def _ranked_listing(filters: IncidentFilters, raw_after: str, size: int) -> _Listing:
    offset = int(raw_after[1:]) if raw_after[:1] == "r" and ascii_digits(raw_after[1:]) else 0
    incidents, verdicts, more = ranked_page(get_session(), filters, offset, size)
    query = parse_query(filters.text)
    highlights = {
        incident.id: highlight(localized(incident, "description"), query, around=90)
        for incident in incidents
    }
    following = f"r{offset + size}" if more else None
    return _Listing(incidents, verdicts, following, bool(offset), highlights)


def _dated_listing(
    filters: IncidentFilters, raw_after: str, size: int, errors: dict[str, str]
) -> _Listing:
    after = list_order(filters).read(raw_after)
    if raw_after and after is None:
        errors["after"] = _("The page key was not understood; showing the first page.")
    incidents, verdicts, next_key = incident_page(get_session(), filters, after, size)
    return _Listing(incidents, verdicts, next_key, after is not None, {})


@bp.route("/")
@requires("viewer")
def index() -> str:
    args = request.args
    filters = IncidentFilters.from_args(args, public=audience().public)
    errors = filter_errors(args)
    size = int(current_app.config["PAGE_SIZE"])
    store_ready()
    raw_after = args.get("after") or ""
    if filters.ranked:
        page = _ranked_listing(filters, raw_after, size)
    else:
        page = _dated_listing(filters, raw_after, size, errors)
    base_args = filters.as_args()
    agreements, actors = filter_choices(get_session(), current_locale())
    return render_template(
        "incidents/list.html",
        actors=actors,
        incidents=page.incidents,
        verdicts=page.verdicts,
        filters=filters,
        errors=errors,
        verdict=filters.verdict,
        agreements=agreements,
        next_args={**base_args, "after": page.next_after} if page.next_after else None,
        first_args=base_args if page.later else None,
        highlights=page.highlights,
    )


def _visible_incident(incident_id: int) -> Incident:
    incident = get_session().get(Incident, incident_id)
    if incident is None:
        abort(404)
    if not incident_shown(incident, public=audience().public):
        abort(404)
    return incident


def _load_source_links(incident: Incident) -> None:
    """Load the incident's source links with their sources and whom they blame in one
    statement, rather than one statement per source."""
    links = get_session().scalars(
        select(IncidentSource)
        .where(IncidentSource.incident_id == incident.id)
        .options(joinedload(IncidentSource.source), joinedload(IncidentSource.blames_actor))
        .order_by(IncidentSource.id)
    )
    set_committed_value(incident, "source_links", list(links))


def _shown_links(incident: Incident, public: bool) -> list[IncidentSource]:
    """The incident's source links the page's audience sees."""
    return [link for link in incident.source_links if link_shown(link, link.source, public=public)]


def _shown_duplicates(incident: Incident, public: bool) -> list[Any]:
    return [
        d
        for d in likely_duplicates(get_session(), incident)
        if incident_shown(d.incident, public=public)
    ]


def _detail_forms(incident: Incident) -> dict[str, Any]:
    """The status, retraction and restore forms of the detail page."""
    status_form = StatusForm(version=str(incident.version))
    retract_form = RetractForm()
    # Two forms on one page: each reason box gets its own id, so each label focuses its box.
    for form, name in ((status_form, "status-reason"), (retract_form, "retract-reason")):
        form.reason.id = form.reason.label.field_id = name
    return {"status_form": status_form, "retract_form": retract_form, "confirm_form": ConfirmForm()}


@bp.route("/<int:incident_id>")
@requires("viewer")
def detail(incident_id: int) -> str:
    incident = _visible_incident(incident_id)
    _load_source_links(incident)
    analyst = is_analyst()
    public = audience().public
    store_ready()
    return render_template(
        "incidents/detail.html",
        incident=incident,
        when=when_text(incident, local_zone()),
        links=_shown_links(incident, public),
        judged=verdicts_of_incident(get_session(), incident),
        duplicates=_shown_duplicates(incident, public),
        analyst=analyst,
        **_detail_forms(incident),
        **incident_history(incident, with_links=analyst, public=public),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires("analyst")
def new() -> str | Response:
    return handle_form(IncidentForm(), None)


@bp.route("/<int:incident_id>/edit", methods=["GET", "POST"])
@requires("analyst")
def edit(incident_id: int) -> str | Response:
    incident = _visible_incident(incident_id)
    if not service.may_change(incident, signed_in_user()):
        abort(403)
    if incident.status == Status.RETRACTED:
        flash(_("Restore this incident before editing it."), "error")
        return redirect(url_for("incidents.detail", incident_id=incident_id))
    form = IncidentForm()
    if request.method == "GET":
        fill_from_incident(form, incident, local_zone())
    return handle_form(form, incident)


@bp.route("/<int:incident_id>/retract", methods=["GET", "POST"])
@requires("analyst")
def retract(incident_id: int) -> str | Response:
    incident = _visible_incident(incident_id)
    if not service.may_change(incident, signed_in_user()):
        abort(403)
    form = RetractForm()
    if form.validate_on_submit():
        save(
            lambda db: service.retract_incident(
                db, incident.id, form.reason.data or "", actor=signed_in_user()
            ),
            _("Incident %(number)s retracted.", number=incident_id),
        )
        return redirect(url_for("incidents.detail", incident_id=incident_id))
    return render_template("incidents/retract.html", incident=incident, form=form)


@bp.route("/<int:incident_id>/restore", methods=["POST"])
@requires("analyst")
def restore(incident_id: int) -> Response:
    form = ConfirmForm()
    if form.validate_on_submit():
        save(
            lambda db: service.restore_incident(db, incident_id, actor=signed_in_user()),
            _("Incident %(number)s restored.", number=incident_id),
        )
    return redirect(url_for("incidents.detail", incident_id=incident_id))


@bp.route("/<int:incident_id>/status", methods=["POST"])
@requires("reviewer")
def status(incident_id: int) -> Response:
    form = StatusForm()
    if form.validate_on_submit():
        version = parse_id(form.version.data) or 0
        save(
            lambda db: service.change_status(
                db,
                incident_id,
                form.status.data or "",
                version,
                actor=signed_in_user(),
                reason=form.reason.data,
            ),
            _("Status changed."),
        )
    else:
        flash(_("The status was not changed: choose a status."), "error")
    return redirect(url_for("incidents.detail", incident_id=incident_id))


@bp.route("/<int:incident_id>/sources/<int:link_id>/retract", methods=["POST"])
@requires("analyst")
def retract_link(incident_id: int, link_id: int) -> Response:
    form = RetractForm()
    link = get_session().get(IncidentSource, link_id)
    if link is None or link.incident_id != incident_id:
        abort(404)
    if not form.validate_on_submit():
        flash(_("Give a reason for withdrawing the source."), "error")
        return redirect(url_for("incidents.detail", incident_id=incident_id))
    save(
        lambda db: service.retract_link(
            db, link_id, form.reason.data or "", actor=signed_in_user()
        ),
        _("The source was withdrawn from this incident."),
    )
    return redirect(url_for("incidents.detail", incident_id=incident_id))
