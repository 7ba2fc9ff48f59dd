"""The incident entry and edit form: its choices, the pickers, a place added on the way, and the
save through the one save path of the views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from tracker.db import get_session
from tracker.forms.common import options
from tracker.forms.incidents import (
    PICKERS,
    PRECISION_LABELS,
    IncidentForm,
    incident_data,
    when_text,
)
from tracker.i18n import current_locale, localized
from tracker.models import (
    Actor,
    Agreement,
    Incident,
    Place,
    Provision,
)
from tracker.rules import local_time
from tracker.rules.dates import DateInputError, parse_when
from tracker.rules.values import parse_id
from tracker.services import incidents as service
from tracker.services import places as places_service
from tracker.services.errors import InvalidInputError
from tracker.views.common import (
    local_zone,
    save,
    show_errors,
    signed_in_user,
)
from tracker.views.lookup import ACTORS, PLACES, SOURCES, resolve_picker

#: Service field names that the form shows under another field.
_ERROR_FIELDS = {
    **{field: f"{picker}-text" for picker, field in PICKERS.items()},
    "source_id": "source-text",
    "blames_actor_id": "blames-text",
}


def _prepare(form: IncidentForm) -> None:
    """Fill the choices that depend on the database: agreements, and the provisions of the
    chosen one."""
    session = get_session()
    agreements = session.scalars(select(Agreement).order_by(Agreement.effective_from))
    form.alleged_agreement_id.choices = options(
        [("", _("— none —"))] + [(str(a.id), localized(a, "name")) for a in agreements]
    )
    chosen = parse_id(form.alleged_agreement_id.data)
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


def _reading(form: IncidentForm) -> str | None:
    """How the date text was read (shown back beside the field), or None."""
    try:
        when = parse_when(form.when.data or "", local_zone())
    except DateInputError:
        return None
    words = local_time.span_text(
        when.start,
        when.end,
        when.precision,
        "ar" if current_locale() == "ar" else "en",
        zone=local_zone(),
    )
    precision = PRECISION_LABELS.get(when.precision, when.precision)
    return str(_("Read as %(start)s (%(precision)s).", start=words, precision=precision))


def _new_place_data(form: IncidentForm) -> dict[str, Any] | None:
    """The fields of the place described under the place picker, as the service takes them;
    None, with a message beside the latitude, when it has neither a point nor a P-code."""
    sub = form.new_place.form
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
        return None
    return data


def _pick_new_place(form: IncidentForm, place: Place) -> None:
    """Choose the place just added in the place picker and empty the fields that described it."""
    picker = form.place.form
    picker.selected.data = str(place.id)
    picker.text.data = localized(place, "name")
    picker.choice.choices = []
    for field in form.new_place.form:
        field.data = None
    flash(_("Place %(name)s added to the gazetteer and chosen.", name=place.name_en), "success")


def _add_place(form: IncidentForm) -> None:
    """Add the place described under the place picker to the gazetteer (its own transaction)
    and pick it; messages beside the fields when it cannot be added."""
    sub = form.new_place.form
    if not sub.validate():
        return
    data = _new_place_data(form)
    if data is None:
        return
    # the service's fields the subform lacks (the short name) are shown under the English name
    aliases = {
        key: f"new_place-{key if key in sub._fields else 'name_en'}"
        for key in places_service.FIELDS
    }
    saved = save(
        lambda db: places_service.create_place(db, data, actor=signed_in_user()),
        None,
        form=form,
        aliases=aliases,
    )
    if saved.record is not None:
        _pick_new_place(form, saved.record)


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


def _stale_form(form: IncidentForm, incident: Incident | None) -> str:
    """The form again with the analyst's input and the stored values beside it (the answer is
    409: someone saved the incident between this editor's read and write)."""
    current = service.get_incident(get_session(), incident.id) if incident else None
    form.version.data = str(current.version) if current else form.version.data
    stale_when = when_text(current, local_zone()) if current else None
    return _render_form(form, incident, stale=current, stale_when=stale_when)


def _refuse_form(
    form: IncidentForm, resolved: dict[str, int | None], incident: Incident | None
) -> str:
    """The form again with its own messages and those the service would give."""
    problems = service.incident_errors(
        get_session(), incident_data(form, resolved), tz=local_zone()
    )
    show_errors(
        form,
        InvalidInputError(_("Nothing was saved: correct the marked fields."), problems),
        _ERROR_FIELDS,
        beside_form_messages=False,
    )
    return _render_form(form, incident)


def _write(
    form: IncidentForm, incident: Incident | None, resolved: dict[str, int | None]
) -> Callable[[Session], Incident]:
    """The service write of the form: create ``incident`` or update it."""
    user = signed_in_user()
    data = incident_data(form, resolved)

    def write(db: Session) -> Incident:
        _remember_spellings(form, resolved, user)
        if incident is None:
            return service.create_incident(db, data, actor=user, tz=local_zone())
        version = parse_id(form.version.data) or 0
        return service.update_incident(db, incident.id, data, version, actor=user, tz=local_zone())

    return write


def handle_form(form: IncidentForm, incident: Incident | None) -> str | Response:
    """The shared handling of the new and edit pages: the buttons that change the form, then
    the save."""
    _prepare(form)
    if request.method != "POST":
        return _render_form(form, incident)
    if form.add_source.data:
        if len(form.sources) < (form.sources.max_entries or 0):
            form.sources.append_entry()
        return _render_form(form, incident)
    if form.add_place.data:
        _add_place(form)
        return _render_form(form, incident)
    if form.update_provisions.data:
        return _render_form(form, incident)
    valid = form.validate_on_submit()
    resolved, complete = _resolve(form)
    if not valid or not complete:
        return _refuse_form(form, resolved, incident)
    saved = save(_write(form, incident, resolved), None, form=form, aliases=_ERROR_FIELDS)
    if saved.stale:
        return _stale_form(form, incident)
    if saved.record is None:
        return _render_form(form, incident)
    flash(_("Incident %(number)s saved.", number=saved.record.id), "success")
    return redirect(url_for("incidents.detail", incident_id=saved.record.id))
