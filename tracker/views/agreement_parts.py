"""The parts of an agreement: adding and editing its parties, provisions and territories, each
through the one save path of the views."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from tracker.db import get_session
from tracker.forms.agreements import PartyEditForm, PartyForm, ProvisionForm, TerritoryForm
from tracker.forms.common import options
from tracker.models import Actor, Agreement, AgreementParty, Provision, Territory
from tracker.permissions import requires
from tracker.services import agreement_parts as parts_service
from tracker.views.common import (
    get_by_slug_or_404,
    get_or_404,
    save,
    signed_in_user,
    to_local,
    to_utc,
)


def _part_data(form: Any) -> dict[str, Any]:
    """The service's input from a part's form (a provision's deadline in UTC)."""
    data = dict(form.data)
    if "deadline" in data:
        data["deadline"] = to_utc(form.deadline.data)
    return data


def _save_part(
    agreement: Agreement, form: Any, write: Callable[..., object], record: Any, title: str
) -> str | Response:
    """Validate ``form``, call the service ``write(session, record, data, actor=...)``, and go
    back to the agreement; otherwise show the form with its messages."""
    if (
        form.validate_on_submit()
        and save(
            lambda db: write(db, record, _part_data(form), actor=signed_in_user()),
            _("Agreement saved."),
            form=form,
            category="info",
        ).committed
    ):
        return redirect(url_for("agreements.detail", slug=agreement.slug))
    return render_template("agreements/part_form.html", form=form, agreement=agreement, title=title)


@requires("analyst")
def new_party(slug: str) -> str | Response:
    form = PartyForm()
    actors = get_session().execute(select(Actor.id, Actor.name_en).order_by(Actor.name_en))
    form.actor_id.choices = options([(None, "—")] + [(row.id, row.name_en) for row in actors])
    agreement = get_by_slug_or_404(Agreement, slug)
    return _save_part(agreement, form, parts_service.add_party, agreement, _("Add a party"))


@requires("analyst")
def new_provision(slug: str) -> str | Response:
    form = ProvisionForm()
    agreement = get_by_slug_or_404(Agreement, slug)
    return _save_part(agreement, form, parts_service.add_provision, agreement, _("Add a provision"))


@requires("analyst")
def new_territory(slug: str) -> str | Response:
    form = TerritoryForm()
    agreement = get_by_slug_or_404(Agreement, slug)
    return _save_part(agreement, form, parts_service.add_territory, agreement, _("Add a territory"))


def _part_or_404(model: Any, slug: str, part_id: int) -> Any:
    part = get_or_404(model, part_id)
    if part.agreement.slug != slug:
        abort(404)
    return part


@requires("analyst")
def edit_party(slug: str, part_id: int) -> str | Response:
    party = _part_or_404(AgreementParty, slug, part_id)
    form = PartyEditForm(obj=party)
    return _save_part(party.agreement, form, parts_service.update_party, party, _("Edit a party"))


@requires("analyst")
def edit_provision(slug: str, part_id: int) -> str | Response:
    provision = _part_or_404(Provision, slug, part_id)
    if request.method == "POST":
        form = ProvisionForm()
    else:
        form = ProvisionForm(
            data={
                **{
                    k: getattr(provision, k)
                    for k in ("code", "title_en", "title_ar", "kind", "text")
                },
                "deadline": to_local(provision.deadline),
            }
        )
    return _save_part(
        provision.agreement,
        form,
        parts_service.update_provision,
        provision,
        _("Edit a provision"),
    )


@requires("analyst")
def edit_territory(slug: str, part_id: int) -> str | Response:
    territory = _part_or_404(Territory, slug, part_id)
    if request.method == "POST":
        form = TerritoryForm()
    else:
        form = TerritoryForm(
            data={
                "name_en": territory.name_en,
                "name_ar": territory.name_ar,
                "admin_pcodes": ", ".join(territory.admin_pcodes or []),
                "geometry": json.dumps(territory.geometry) if territory.geometry else "",
            }
        )
    return _save_part(
        territory.agreement,
        form,
        parts_service.update_territory,
        territory,
        _("Edit a territory"),
    )


#: The address of each part page under the agreement's, and its view (the endpoint is
#: ``agreements.<view name>``).
ROUTES = (
    ("/<slug>/parties/new", new_party),
    ("/<slug>/provisions/new", new_provision),
    ("/<slug>/territories/new", new_territory),
    ("/<slug>/parties/<int:part_id>/edit", edit_party),
    ("/<slug>/provisions/<int:part_id>/edit", edit_provision),
    ("/<slug>/territories/<int:part_id>/edit", edit_territory),
)


def add_routes(bp: Blueprint) -> None:
    """Serve the part pages from the agreements' blueprint ``bp``."""
    for rule, view in ROUTES:
        bp.add_url_rule(rule, view_func=view, methods=["GET", "POST"])
