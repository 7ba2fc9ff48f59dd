"""Places (the gazetteer): list (search by any name or transliteration, kind and governorate
filters, pages), detail with history, create, edit."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from tracker.db import get_session
from tracker.forms.places import PLACE_KIND_LABELS, PlaceForm
from tracker.models import Incident, Place
from tracker.permissions import requires
from tracker.queries.incidents import IncidentFilters, count_incidents, verdicts_by_agreement
from tracker.queries.lookup import find_places
from tracker.services import places as place_service
from tracker.views.catalogue import catalogue_list, catalogue_sorts
from tracker.views.common import (
    audience,
    field_labels,
    get_by_slug_or_404,
    history,
    save,
    signed_in_user,
    store_ready,
)

bp = Blueprint("places", __name__, url_prefix="/places")

SORTS = catalogue_sorts(Place)


@bp.route("/")
@requires("viewer")
def index() -> str:
    kind = request.args.get("kind")
    kind = kind if kind in PLACE_KIND_LABELS else None
    admin1 = (request.args.get("admin1") or "").strip() or None
    listing = catalogue_list(
        Place,
        find=find_places,
        sorts=SORTS,
        conditions=[
            *([Place.kind == kind] if kind else []),
            *([Place.admin1_name == admin1] if admin1 else []),
        ],
        keep=lambda p: kind in (None, p.kind) and admin1 in (None, p.admin1_name),
    )
    governorates = get_session().scalars(
        select(Place.admin1_name)
        .where(Place.admin1_name.is_not(None))
        .distinct()
        .order_by(Place.admin1_name)
    )
    return render_template(
        "places/list.html",
        places=listing.rows,
        kinds=PLACE_KIND_LABELS,
        kind=kind,
        admin1=admin1,
        governorates=list(governorates),
        **listing.context(),
    )


@bp.route("/<slug>")
@requires("viewer")
def detail(slug: str) -> str:
    place = get_by_slug_or_404(Place, slug)
    store_ready()
    public = audience().public
    db_session = get_session()
    incident_count = count_incidents(db_session, IncidentFilters(place_id=place.id, public=public))
    verdicts = verdicts_by_agreement(db_session, Incident.place_id == place.id, public=public)
    return render_template(
        "places/detail.html",
        place=place,
        incident_count=incident_count,
        verdict_rows=verdicts,
        kinds=PLACE_KIND_LABELS,
        field_labels=field_labels(PlaceForm),
        value_labels={"kind": PLACE_KIND_LABELS},
        **history(place),
    )


def _data(form: PlaceForm) -> dict[str, Any]:
    return {key: getattr(form, key).data for key in place_service.FIELDS}


@bp.route("/new", methods=["GET", "POST"])
@requires("analyst")
def new() -> str | Response:
    form = PlaceForm()
    if form.validate_on_submit():
        saved = save(
            lambda db: place_service.create_place(db, _data(form), actor=signed_in_user()),
            _("Place saved."),
            form=form,
            category="info",
        )
        if saved.record is not None:
            return redirect(url_for("places.detail", slug=saved.record.slug))
    return render_template("places/form.html", form=form, place=None)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@requires("analyst")
def edit(slug: str) -> str | Response:
    place = get_by_slug_or_404(Place, slug)
    form = PlaceForm(obj=place)
    if (
        form.validate_on_submit()
        and save(
            lambda db: place_service.update_place(db, place, _data(form), actor=signed_in_user()),
            _("Place saved."),
            form=form,
            category="info",
        ).committed
    ):
        return redirect(url_for("places.detail", slug=place.slug))
    return render_template("places/form.html", form=form, place=place)
