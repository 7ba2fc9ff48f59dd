"""Incident pages: the filtered list, the detail page, entry and edit forms, status changes."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.wrappers import Response

from tracker.db import get_session, is_write_conflict
from tracker.forms.common import options
from tracker.forms.incidents import (
    CATEGORY_LABELS,
    CONFIDENCE_LABELS,
    CREDIBILITY_LABELS,
    FIGURE_QUALIFIER_LABELS,
    GROUP_LABELS,
    LOCATION_PRECISION_LABELS,
    PICKERS,
    PRECISION_LABELS,
    QUALIFIER_LABELS,
    STANCE_LABELS,
    STATUS_LABELS,
    IncidentForm,
    StatusForm,
    field_list,
    fill_from_incident,
    incident_data,
    record_id,
    when_text,
)
from tracker.forms.sources import ConfirmForm, RetractForm
from tracker.i18n import current_locale, localized
from tracker.models import (
    Actor,
    Agreement,
    Incident,
    IncidentSource,
    Place,
    Provision,
    Source,
    Status,
)
from tracker.permissions import requires
from tracker.queries.applicability import verdicts_of_incident
from tracker.queries.duplicates import likely_duplicates
from tracker.queries.history import (
    referenced_records,
    revisions_for,
    revisions_for_many,
    users_by_id,
)
from tracker.queries.incident_list import filter_choices, incident_page
from tracker.queries.incidents import (
    IncidentFilters,
    filter_errors,
    list_order,
)
from tracker.queries.search import ranked_page
from tracker.queries.visibility import incident_shown, link_shown
from tracker.rules import local_time
from tracker.rules.dates import DateInputError, parse_when
from tracker.rules.search_terms import highlight, parse_query
from tracker.rules.values import ascii_digits
from tracker.services import incidents as service
from tracker.services import places as places_service
from tracker.services.errors import ForbiddenError, InvalidInputError, StaleEditError
from tracker.views.common import (
    VERDICT_LABELS,
    audience,
    commit_write,
    is_analyst,
    public_history,
    signed_in_user,
    store_ready,
)
from tracker.views.lookup import ACTORS, PLACES, SOURCES, resolve_picker

bp = Blueprint("incidents", __name__, url_prefix="/incidents")

#: Service field names that the form shows under another field.
_ERROR_FIELDS = {
    **{field: f"{picker}-text" for picker, field in PICKERS.items()},
    "source_id": "source-text",
    "blames_actor_id": "blames-text",
}

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


def _tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["LOCAL_TIMEZONE"])


@bp.route("/")
@requires("viewer")
def index() -> str:
    args = request.args
    filters = IncidentFilters.from_args(args, public=audience().public)
    errors = filter_errors(args)
    size = int(current_app.config["PAGE_SIZE"])
    store_ready()
    base_args = filters.as_args()
    highlights: dict[int, Markup] = {}
    raw_after = args.get("after") or ""
    if filters.ranked:
        offset = int(raw_after[1:]) if raw_after[:1] == "r" and ascii_digits(raw_after[1:]) else 0
        after = (dt.date.min, offset) if offset else None
        incidents, verdicts, more = ranked_page(get_session(), filters, offset, size)
        next_args = {**base_args, "after": f"r{offset + size}"} if more else None
        query = parse_query(filters.text)
        for incident in incidents:
            text = localized(incident, "description")
            highlights[incident.id] = highlight(text, query, around=90)
    else:
        after = list_order(filters).read(raw_after)
        if raw_after and after is None:
            errors["after"] = _("The page key was not understood; showing the first page.")
        incidents, verdicts, next_key = incident_page(get_session(), filters, after, size)
        next_args = {**base_args, "after": next_key} if next_key else None
    agreements, actors = filter_choices(get_session(), current_locale())
    return render_template(
        "incidents/list.html",
        actors=actors,
        incidents=incidents,
        verdicts=verdicts,
        filters=filters,
        errors=errors,
        verdict=filters.verdict,
        agreements=agreements,
        next_args=next_args,
        first_args=base_args if after else None,
        highlights=highlights,
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


#: The id fields of incidents and source links, and what they point to (for the history).
REFERENCES = {
    "alleged_agreement_id": Agreement,
    "agreement_id": Agreement,
    "place_id": Place,
    "perpetrator_id": Actor,
    "target_actor_id": Actor,
    "claimed_target_id": Actor,
    "blames_actor_id": Actor,
    "source_id": Source,
    "incident_id": Incident,
}


def _field_labels() -> dict[str, Any]:
    """What the history calls each stored field of an incident and of a source link."""
    labels: dict[str, Any] = {
        "alleged_agreement_id": _l("Alleged agreement"),
        "agreement_id": _l("Alleged agreement"),
        "provisions": _l("Breached provisions"),
        "occurred_start": _l("Date"),
        "place_id": _l("Place"),
        "location_precision": _l("Location precision"),
        "perpetrator_id": _l("Alleged perpetrator"),
        "perpetrator_confidence": _l("Confidence in the attribution"),
        "target_actor_id": _l("Target"),
        "category": _l("Category"),
        "weapon": _l("Weapon"),
        "event_count": _l("Number of events"),
        "count_qualifier": _l("Count is"),
        "count_period_hours": _l("Over how many hours"),
        "description_en": _l("Description (English)"),
        "description_ar": _l("Description (Arabic)"),
        "claimed_justification": _l("Claimed justification"),
        "claimed_target_id": _l("Claimed target"),
        "status": _l("Status"),
        "status_reason": _l("Reason"),
        "source_id": _l("Source"),
        "credibility": _l("Credibility"),
        "blames_actor_id": _l("Blames"),
        "stance": _l("Stance"),
        "excerpt": _l("Excerpt"),
        "state": _l("Status"),
    }
    levels = {"low": _("Low"), "best": _("Best"), "high": _("High")}
    for group, label in GROUP_LABELS.items():
        for level, level_label in levels.items():
            labels[f"{group}_{level}"] = f"{label} ({level_label})"
    return labels


VALUE_LABELS: dict[str, dict[Any, Any]] = {
    "category": CATEGORY_LABELS,
    "location_precision": LOCATION_PRECISION_LABELS,
    "perpetrator_confidence": CONFIDENCE_LABELS,
    "count_qualifier": QUALIFIER_LABELS,
    "date_precision": PRECISION_LABELS,
    "status": STATUS_LABELS,
    "stance": STANCE_LABELS,
}


def _history(incident: Incident, *, with_links: bool, public: bool = False) -> dict[str, Any]:
    """The incident's revisions (with those of its source links for analysts), their authors,
    and the records their id fields name; ``public`` (for viewers): no authors, no user ids,
    no status reasons."""
    session = get_session()
    revisions = revisions_for(session, "incidents", incident.id)
    if with_links:
        link_ids = [link.id for link in incident.source_links]
        revisions += revisions_for_many(session, "incident_sources", link_ids)
    revisions.sort(key=lambda r: r.id, reverse=True)
    shown = public_history(revisions) if public else {"revisions": revisions}
    return {
        "users": users_by_id(session, revisions) if not public else {},
        **shown,
        "referenced": referenced_records(session, shown["revisions"], REFERENCES),
        "field_labels": _field_labels(),
        "value_labels": {k: {str(v): lbl for v, lbl in m.items()} for k, m in VALUE_LABELS.items()},
    }


@bp.route("/<int(max=2147483647):incident_id>")
@requires("viewer")
def detail(incident_id: int) -> str:
    incident = _visible_incident(incident_id)
    _load_source_links(incident)
    analyst = is_analyst()
    public = audience().public
    links = [link for link in incident.source_links if link_shown(link, link.source, public=public)]
    duplicates = [
        d
        for d in likely_duplicates(get_session(), incident)
        if incident_shown(d.incident, public=public)
    ]

    status_form = StatusForm(version=str(incident.version))
    store_ready()
    retract_form = RetractForm()
    # Two forms on one page: each reason box gets its own id, so each label focuses its box.
    for form, name in ((status_form, "status-reason"), (retract_form, "retract-reason")):
        form.reason.id = form.reason.label.field_id = name
    return render_template(
        "incidents/detail.html",
        incident=incident,
        when=when_text(incident, _tz()),
        links=links,
        judged=verdicts_of_incident(get_session(), incident),
        duplicates=duplicates,
        status_form=status_form,
        retract_form=retract_form,
        confirm_form=ConfirmForm(),
        analyst=analyst,
        **_history(incident, with_links=analyst, public=public),
    )


def _prepare(form: IncidentForm) -> None:
    """Fill the choices that depend on the database: agreements, and the provisions of the
    chosen one."""
    session = get_session()
    agreements = session.scalars(select(Agreement).order_by(Agreement.effective_from))
    form.alleged_agreement_id.choices = options(
        [("", _("— none —"))] + [(str(a.id), localized(a, "name")) for a in agreements]
    )
    chosen = record_id(form.alleged_agreement_id.data)
    provisions: list[Provision] = []
    if chosen is not None:
        provisions = list(
            session.scalars(
                select(Provision).where(Provision.agreement_id == chosen).order_by(Provision.code)
            )
        )
    form.provision_ids.choices = options(
        (p.id, f"{p.code}: {localized(p, 'title')}") for p in provisions
    )


def _resolve(form: IncidentForm) -> tuple[dict[str, int | None], bool]:
    """Resolve every picker: the ids found, and whether none needs the analyst's attention."""
    session = get_session()
    resolved: dict[str, int | None] = {}
    complete = True
    pickers = [(form[name], PLACES if name == "place" else ACTORS) for name in PICKERS]
    for entry in form.sources:
        pickers += [(entry.form.source, SOURCES), (entry.form.blames, ACTORS)]
    for field, (model, finder, hint) in pickers:
        found, ok = resolve_picker(session, field.form, model, finder, hint)
        resolved[field.name] = found
        complete = complete and ok
    return resolved, complete


def _place_errors(form: IncidentForm, errors: dict[str, str], *, beside_others: bool) -> list[str]:
    """Put each service message beside its field (or, unless ``beside_others``, only beside
    fields without a message yet); return the messages that name no field."""
    fields = field_list(form)
    unplaced = []
    for key, message in errors.items():
        prefix, _sep, last = key.rpartition("-")
        field = fields.get(f"{prefix}{_sep}{_ERROR_FIELDS.get(last, last)}")
        if field is None:
            unplaced.append(message)
        elif beside_others or not field.errors:
            field.errors = [*field.errors, message]
    return unplaced


def _reading(form: IncidentForm) -> str | None:
    """How the date text was read (shown back beside the field), or None."""
    try:
        when = parse_when(form.when.data or "", _tz())
    except DateInputError:
        return None
    words = local_time.span_text(
        when.start, when.end, when.precision, "ar" if current_locale() == "ar" else "en", zone=_tz()
    )
    precision = PRECISION_LABELS.get(when.precision, when.precision)
    return str(_("Read as %(start)s (%(precision)s).", start=words, precision=precision))


def _add_place(form: IncidentForm) -> None:
    """Add the place described under the place picker to the gazetteer (its own transaction)
    and pick it; messages beside the fields when it cannot be added."""
    sub = form.new_place.form
    if not sub.validate():
        return
    session = get_session()
    name_en = (sub.name_en.data or "").strip() or (form.place.form.text.data or "").strip()
    pcode = (sub.pcode.data or "").strip().upper() or None
    data = {
        "slug": places_service.free_slug(session, name_en),
        "name_en": name_en,
        "name_ar": (sub.name_ar.data or "").strip() or None,
        "kind": "village",
        "pcode": pcode,
        "latitude": sub.latitude.data,
        "longitude": sub.longitude.data,
    }
    if pcode is None and (sub.latitude.data is None or sub.longitude.data is None):
        sub.latitude.errors = [_("Give the place's point (latitude and longitude) or its P-code.")]
        return
    try:
        place = places_service.create_place(session, data, actor=signed_in_user())
        session.flush()
    except InvalidInputError as error:
        session.rollback()
        for key, message in error.errors.items():
            field = sub._fields.get(key) or sub.name_en
            field.errors = [*field.errors, message]
        return
    session.commit()
    picker = form.place.form
    picker.selected.data = str(place.id)
    picker.text.data = localized(place, "name")
    picker.choice.choices = []
    for field in sub:
        field.data = None
    flash(_("Place %(name)s added to the gazetteer and chosen.", name=place.name_en), "success")


def _remember_spellings(form: IncidentForm, resolved: dict[str, int | None], user: Any) -> None:
    """Keep the spellings typed into pickers whose box "remember" is ticked as aliases of the
    places and actors chosen (in the save's transaction)."""
    session = get_session()
    pickers: list[tuple[Any, type[Place] | type[Actor]]] = [
        (form[name], Place if name == "place" else Actor) for name in PICKERS
    ]
    pickers += [(entry.form.blames, Actor) for entry in form.sources]
    for field, model in pickers:
        picker = field.form
        record_id_found = resolved.get(field.name)
        if not (picker.remember.data and picker.typed.data and record_id_found):
            continue
        record = session.get(model, record_id_found)
        if isinstance(record, Place | Actor):
            places_service.add_alias(session, record, picker.typed.data, actor=user)


def _render_form(form: IncidentForm, incident: Incident | None = None, **extra: Any) -> str:
    return render_template(
        "incidents/form.html", form=form, incident=incident, reading=_reading(form), **extra
    )


def _stale_form(form: IncidentForm, incident: Incident | None, error: Exception) -> tuple[str, int]:
    """The form again with the analyst's input, the stored values beside it and the reason,
    answering 409: someone saved the incident between this editor's read and write."""
    session = get_session()
    session.rollback()
    current = service.get_incident(session, incident.id) if incident else None
    if isinstance(error, StaleEditError):
        flash(str(error), "error")
    else:
        flash(
            _("Someone else saved this incident at the same moment; nothing was written."), "error"
        )
    form.version.data = str(current.version) if current else form.version.data
    stale_when = when_text(current, _tz()) if current else None
    return _render_form(form, incident, stale=current, stale_when=stale_when), 409


def _handle_form(form: IncidentForm, incident: Incident | None) -> str | Response | tuple[str, int]:
    """The shared POST handling of the new and edit pages."""
    _prepare(form)
    if form.add_source.data and request.method == "POST":
        if len(form.sources) < (form.sources.max_entries or 0):
            form.sources.append_entry()
        return _render_form(form, incident)
    if form.update_provisions.data and request.method == "POST":
        return _render_form(form, incident)
    if form.add_place.data and request.method == "POST":
        _add_place(form)
        return _render_form(form, incident)
    if request.method != "POST":
        return _render_form(form, incident)
    valid = form.validate_on_submit()
    resolved, complete = _resolve(form)
    session = get_session()
    data = incident_data(form, resolved)
    if not valid or not complete:
        problems = service.incident_errors(session, data, tz=_tz())
        _place_errors(form, problems, beside_others=False)
        flash(_("Nothing was saved: correct the marked fields."), "error")
        return _render_form(form, incident)
    user = signed_in_user()
    try:
        _remember_spellings(form, resolved, user)
        if incident is None:
            saved = service.create_incident(session, data, actor=user, tz=_tz())
        else:
            version = record_id(form.version.data) or 0
            saved = service.update_incident(
                session, incident.id, data, version, actor=user, tz=_tz()
            )
        session.commit()
    except InvalidInputError as error:
        session.rollback()
        unplaced = _place_errors(form, error.errors, beside_others=True)
        flash(" ".join([str(error), *unplaced]), "error")
        return _render_form(form, incident)
    except ForbiddenError:
        get_session().rollback()
        abort(403)
    except (StaleEditError, SQLAlchemyError) as error:
        if not isinstance(error, StaleEditError) and not is_write_conflict(error):
            raise
        return _stale_form(form, incident, error)
    flash(_("Incident %(number)s saved.", number=saved.id), "success")
    return redirect(url_for("incidents.detail", incident_id=saved.id))


@bp.route("/new", methods=["GET", "POST"])
@requires("analyst")
def new() -> str | Response | tuple[str, int]:
    return _handle_form(IncidentForm(), None)


@bp.route("/<int(max=2147483647):incident_id>/edit", methods=["GET", "POST"])
@requires("analyst")
def edit(incident_id: int) -> str | Response | tuple[str, int]:
    incident = _visible_incident(incident_id)
    if not service.may_change(incident, signed_in_user()):
        abort(403)
    if incident.status == Status.RETRACTED:
        flash(_("Restore this incident before editing it."), "error")
        return redirect(url_for("incidents.detail", incident_id=incident_id))
    form = IncidentForm()
    if request.method == "GET":
        fill_from_incident(form, incident, _tz())
    return _handle_form(form, incident)


@bp.route("/<int(max=2147483647):incident_id>/retract", methods=["GET", "POST"])
@requires("analyst")
def retract(incident_id: int) -> str | Response:
    incident = _visible_incident(incident_id)
    if not service.may_change(incident, signed_in_user()):
        abort(403)
    form = RetractForm()
    if form.validate_on_submit():
        commit_write(
            lambda: service.retract_incident(
                get_session(), incident.id, form.reason.data or "", actor=signed_in_user()
            ),
            _("Incident %(number)s retracted.", number=incident_id),
        )
        return redirect(url_for("incidents.detail", incident_id=incident_id))
    return render_template("incidents/retract.html", incident=incident, form=form)


@bp.route("/<int(max=2147483647):incident_id>/restore", methods=["POST"])
@requires("analyst")
def restore(incident_id: int) -> Response:
    form = ConfirmForm()
    if form.validate_on_submit():
        commit_write(
            lambda: service.restore_incident(get_session(), incident_id, actor=signed_in_user()),
            _("Incident %(number)s restored.", number=incident_id),
        )
    return redirect(url_for("incidents.detail", incident_id=incident_id))


@bp.route("/<int(max=2147483647):incident_id>/status", methods=["POST"])
@requires("reviewer")
def status(incident_id: int) -> Response:
    form = StatusForm()
    if form.validate_on_submit():
        version = record_id(form.version.data) or 0
        commit_write(
            lambda: service.change_status(
                get_session(),
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


@bp.route(
    "/<int(max=2147483647):incident_id>/sources/<int(max=2147483647):link_id>/retract",
    methods=["POST"],
)
@requires("analyst")
def retract_link(incident_id: int, link_id: int) -> Response:
    form = RetractForm()
    session = get_session()
    link = session.get(IncidentSource, link_id)
    if link is None or link.incident_id != incident_id:
        abort(404)
    if not form.validate_on_submit():
        flash(_("Give a reason for withdrawing the source."), "error")
        return redirect(url_for("incidents.detail", incident_id=incident_id))
    commit_write(
        lambda: service.retract_link(
            session, link_id, form.reason.data or "", actor=signed_in_user()
        ),
        _("The source was withdrawn from this incident."),
    )
    return redirect(url_for("incidents.detail", incident_id=incident_id))
