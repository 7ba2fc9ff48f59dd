"""Actors: list (search by any name, kind filter, pages), detail with history, create, edit."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from tracker.db import get_session
from tracker.forms.actors import ACTOR_KIND_LABELS, ActorForm
from tracker.forms.agreements import PARTY_ROLE_LABELS
from tracker.forms.common import options
from tracker.models import Actor, AgreementParty, Incident
from tracker.permissions import requires
from tracker.queries.incidents import IncidentFilters, count_incidents, verdicts_by_agreement
from tracker.queries.lookup import find_actors
from tracker.services import actors as actor_service
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

bp = Blueprint("actors", __name__, url_prefix="/actors")

SORTS = catalogue_sorts(Actor)


@bp.route("/")
@requires("viewer")
def index() -> str:
    kind = request.args.get("kind")
    kind = kind if kind in ACTOR_KIND_LABELS else None
    listing = catalogue_list(
        Actor,
        find=find_actors,
        sorts=SORTS,
        conditions=[Actor.kind == kind] if kind else [],
        keep=lambda a: kind in (None, a.kind),
    )
    return render_template(
        "actors/list.html",
        actors=listing.rows,
        kinds=ACTOR_KIND_LABELS,
        kind=kind,
        **listing.context(),
    )


@bp.route("/<slug>")
@requires("viewer")
def detail(slug: str) -> str:
    actor = get_by_slug_or_404(Actor, slug)
    db_session = get_session()
    parties = db_session.scalars(
        select(AgreementParty)
        .where(AgreementParty.actor_id == actor.id)
        .order_by(AgreementParty.id)
    )
    store_ready()
    public = audience().public
    incident_count = count_incidents(
        db_session, IncidentFilters(perpetrator=actor.slug, public=public)
    )
    verdicts = verdicts_by_agreement(db_session, Incident.perpetrator_id == actor.id, public=public)
    return render_template(
        "actors/detail.html",
        actor=actor,
        parties=list(parties),
        incident_count=incident_count,
        verdict_rows=verdicts,
        kinds=ACTOR_KIND_LABELS,
        party_roles=PARTY_ROLE_LABELS,
        field_labels=field_labels(ActorForm),
        value_labels={"kind": ACTOR_KIND_LABELS},
        **history(actor),
    )


def _form(record: Actor | None) -> ActorForm:
    form = ActorForm(obj=record)
    others = select(Actor.id, Actor.name_en).order_by(Actor.name_en)
    if record is not None:
        others = others.where(Actor.id != record.id)
    form.parent_id.choices = options(
        [(None, "—")] + [(row.id, row.name_en) for row in get_session().execute(others)]
    )
    return form


def _data(form: ActorForm) -> dict[str, Any]:
    return {key: getattr(form, key).data for key in actor_service.FIELDS}


@bp.route("/new", methods=["GET", "POST"])
@requires("analyst")
def new() -> str | Response:
    form = _form(None)
    if form.validate_on_submit():
        saved = save(
            lambda db: actor_service.create_actor(db, _data(form), actor=signed_in_user()),
            _("Actor saved."),
            form=form,
            category="info",
        )
        if saved.record is not None:
            return redirect(url_for("actors.detail", slug=saved.record.slug))
    return render_template("actors/form.html", form=form, actor=None)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@requires("analyst")
def edit(slug: str) -> str | Response:
    actor = get_by_slug_or_404(Actor, slug)
    form = _form(actor)
    if (
        form.validate_on_submit()
        and save(
            lambda db: actor_service.update_actor(db, actor, _data(form), actor=signed_in_user()),
            _("Actor saved."),
            form=form,
            category="info",
        ).committed
    ):
        return redirect(url_for("actors.detail", slug=actor.slug))
    return render_template("actors/form.html", form=form, actor=actor)
