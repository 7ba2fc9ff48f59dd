"""Name lookups for the pickers: JSON suggestions for scripts, server-side resolution, and the
offline map a new place's point is picked on."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.exceptions import BadRequest
from werkzeug.wrappers import Response

from tracker.date_display import local_time_text
from tracker.db import get_session
from tracker.forms.common import options
from tracker.forms.incidents import PickerForm, picker_label
from tracker.i18n import current_locale, localized
from tracker.maps.base import layer
from tracker.maps.frame import Frame, fit
from tracker.maps.report import pick_map_svg
from tracker.models import Actor, Place, Provision, RecordState, Source
from tracker.permissions import requires
from tracker.queries.boundaries import BoundaryIndex, boundary_index, places_extent
from tracker.queries.lookup import Match, ranked
from tracker.queries.sources import find_sources
from tracker.rules.names import fold
from tracker.rules.values import parse_id

bp = Blueprint("lookup", __name__, url_prefix="/lookup")

MAX_QUERY = 200
Finder = Callable[[Session, str], list[Match]]


def _other_name(record: Any) -> str | None:
    """The record's name in the language the picker's label is not in."""
    label = picker_label(record)
    return next((n for n in (record.name_ar, record.name_en) if n and n != label), None)


def _place_hint(place: Place) -> str:
    parts = [_other_name(place), place.admin2_name, place.admin1_name, place.pcode]
    return " · ".join(p for p in parts if p)


def _actor_hint(actor: Actor) -> str:
    return " · ".join(p for p in (_other_name(actor), *(actor.aliases or [])[:3]) if p)


def _source_hint(source: Source) -> str:
    date = local_time_text(source.published_at, "date") if source.published_at else ""
    return " · ".join(p for p in (source.publisher, date) if p)


def _suggestions(matches: list[Match], hint: Callable[[Any], str]) -> Response:
    return jsonify(
        [
            {
                "id": m.record.id,
                "label": picker_label(m.record),
                "hint": hint(m.record),
                "guess": m.is_guess,
            }
            for m in matches
        ]
    )


def _query() -> str:
    return (request.args.get("q") or "").strip()[:MAX_QUERY]


@bp.route("/places")
@requires("analyst")
def places() -> Response:
    return _suggestions(ranked(get_session(), Place, _query(), limit=15), _place_hint)


@bp.route("/actors")
@requires("analyst")
def actors() -> Response:
    return _suggestions(ranked(get_session(), Actor, _query(), limit=15), _actor_hint)


@bp.route("/sources")
@requires("analyst")
def sources() -> Response:
    found = find_sources(get_session(), _query(), public=False, limit=15)
    return _suggestions([Match(f, 0.0) for f in found], _source_hint)


@bp.route("/provisions")
@requires("analyst")
def provisions() -> Response:
    agreement = parse_id(request.args.get("agreement"))
    if agreement is None:
        return jsonify([])
    rows = get_session().scalars(
        select(Provision).where(Provision.agreement_id == agreement).order_by(Provision.code)
    )
    return jsonify([{"id": p.id, "label": f"{p.code}: {localized(p, 'title')}"} for p in rows])


#: The pick map's size in pixels, and how many times a click may halve its span.
PICK_MAP_SIZE = (480, 360)
PICK_MAP_MAX_ZOOM = 8


def _number(name: str, low: float, high: float) -> float | None:
    """The query value ``name`` as a number within [low, high]; None when absent.

    :raises BadRequest: for any other value."""
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and low <= value <= high):
        raise BadRequest(
            _(
                "The parameter %(name)s must be a number from %(low)s to %(high)s.",
                name=name,
                low=low,
                high=high,
            )
        )
    return value


def _whole_frame(session: Session, index: BoundaryIndex) -> Frame | None:
    """The pick map's frame of everything loaded: the coarsest admin areas, else the
    gazetteer's places; None when there is nothing."""
    coarsest = min(index.levels, default=0)
    boxes = [a.box for a in index.areas.values() if a.level == coarsest]
    extent = places_extent(session)
    if extent is not None and not boxes:
        boxes = [extent]
    corners = [pt for w, s, e, n in boxes for pt in ((w, s), (e, n))]
    return fit(corners, *PICK_MAP_SIZE)


@bp.route("/map")
@requires("analyst")
def pick_map() -> Response:
    """The admin boundaries (or the gazetteer's places) as an SVG map to click a point on:
    the whole of what is loaded, or ``zoom`` halvings of it around ``lon`` and ``lat`` with a
    cross on that point."""
    lon = _number("lon", -180, 180)
    lat = _number("lat", -90, 90)
    zoom = int(_number("zoom", 0, PICK_MAP_MAX_ZOOM) or 0)
    session = get_session()
    index = boundary_index(session)
    whole = _whole_frame(session, index)
    width, height = PICK_MAP_SIZE
    marker = (lon, lat) if lon is not None and lat is not None else None
    frame = whole
    if whole is not None and lon is not None and lat is not None and zoom:
        half = whole.width / whole.scale / 2 ** (zoom + 1)
        corners = [(lon - half, lat - half * 0.75), (lon + half, lat + half * 0.75)]
        frame = fit(corners, width, height)
    if frame is None:
        return Response("", 204)
    language = "ar" if current_locale() == "ar" else "en"
    svg = pick_map_svg(
        layer(session, index, frame, language), title=_("Map of places"), marker=marker
    )
    return Response(str(svg), mimetype="image/svg+xml")


def find_active_sources(session: Session, text: str) -> list[Match]:
    """Sources an analyst may cite, found by title."""
    return [Match(s, 0.0) for s in find_sources(session, text, public=False, limit=11)]


def _by_id(session: Session, model: type[Any], value: Any) -> Any:
    number = parse_id(value)
    if number is None:
        return None
    record = session.get(model, number)
    if isinstance(record, Source) and record.state != RecordState.ACTIVE:
        return None
    return record


def _names(record: Any) -> set[str]:
    names = [getattr(record, "title", None), getattr(record, "name_en", None)]
    names += [getattr(record, "name_ar", None), *(getattr(record, "aliases", None) or [])]
    return {fold(n) for n in names if n}


#: The longest name a picker searches for (its text field allows no more).
MAX_PICKER_TEXT = 300


def resolve_picker(
    session: Session,
    picker: PickerForm,
    model: type[Any],
    finder: Finder,
    hint: Callable[[Any], str],
) -> tuple[int | None, bool]:
    """The id the picker names, and whether it was resolved (empty text resolves to None).

    A choice made in a list wins, then a suggestion picked while typing, then a search
    (:func:`_search`).
    """
    text = (picker.text.data or "").strip()
    chosen = _by_id(session, model, picker.choice.data)
    if chosen is not None:
        return _take(picker, chosen)
    if not text:
        picker.selected.data = ""
        return None, True
    if len(text) > MAX_PICKER_TEXT:
        # Refused by the field's own length check: no search for it (a LIKE pattern that
        # long is too complex for SQLite and slow everywhere).
        picker.selected.data = ""
        return None, False
    selected = _by_id(session, model, picker.selected.data)
    if selected is not None and (fold(text) in _names(selected) or picker.typed.data):
        return _take(picker, selected)
    return _search(session, picker, text, finder, hint)


def _search(
    session: Session, picker: PickerForm, text: str, finder: Finder, hint: Callable[[Any], str]
) -> tuple[int | None, bool]:
    """Resolve the picker's ``text`` by a search: the one record with exactly that name, or
    the one match that is no guess, is taken; several matches put a choice list and a message
    on the picker ("did you mean" when all are guesses: the same sounds or a few typos); none,
    a message."""
    matches = finder(session, text)
    exact = [m.record for m in matches if fold(text) in _names(m.record)]
    strong = [m.record for m in matches if not m.is_guess]
    if len(exact) == 1 or (not exact and len(strong) == 1):
        return _take(picker, exact[0] if exact else strong[0])
    picker.selected.data = ""
    if not matches:
        picker.text.errors = [*picker.text.errors, _("Nothing matches this name.")]
        return None, False
    picker.choice.choices = options(
        (str(m.record.id), _choice_label(m.record, hint)) for m in matches[:10]
    )
    picker.typed.data = text
    if all(m.is_guess for m in matches):
        message = _("No record is called %(text)s. Did you mean:", text=text)
    else:
        message = _("Several records match: choose one below.")
    picker.text.errors = [*picker.text.errors, message]
    return None, False


def _choice_label(record: Any, hint: Callable[[Any], str]) -> str:
    return f"{picker_label(record)} ({hint(record)})" if hint(record) else picker_label(record)


def _take(picker: PickerForm, record: Any) -> tuple[int, bool]:
    picker.selected.data = str(record.id)
    picker.text.data = picker_label(record)
    picker.choice.data = ""
    picker.choice.choices = []
    return int(record.id), True


PLACES: tuple[type[Any], Finder, Callable[[Any], str]] = (
    Place,
    lambda s, t: ranked(s, Place, t, limit=11),
    _place_hint,
)
ACTORS: tuple[type[Any], Finder, Callable[[Any], str]] = (
    Actor,
    lambda s, t: ranked(s, Actor, t, limit=11),
    _actor_hint,
)
SOURCES: tuple[type[Any], Finder, Callable[[Any], str]] = (
    Source,
    find_active_sources,
    _source_hint,
)
