"""Agreements: list (filters, sort, pages), detail (parties, provisions, territories, sources,
successors, history), create, edit with optimistic locking, and adding parties, provisions and
territories."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select
from werkzeug.wrappers import Response

from tracker.db import get_session
from tracker.forms.agreements import (
    AGREEMENT_KIND_LABELS,
    PARTY_ROLE_LABELS,
    PROVISION_KIND_LABELS,
    AgreementForm,
    PartyEditForm,
    PartyForm,
    ProvisionForm,
    TerritoryForm,
)
from tracker.forms.common import options
from tracker.input_guard import answer_conflict
from tracker.models import (
    Actor,
    Agreement,
    AgreementParty,
    AgreementSource,
    IncidentVerdict,
    Provision,
    Territory,
)
from tracker.permissions import requires
from tracker.queries.incidents import IncidentFilters, count_incidents, verdicts_by_agreement
from tracker.queries.listing import SortOrder, sorted_page
from tracker.queries.visibility import source_shown
from tracker.rules.values import ascii_digits, parse_day
from tracker.services import agreements as agreement_service
from tracker.services.errors import InvalidInputError, StaleEditError
from tracker.views.common import (
    audience,
    field_labels,
    get_by_slug_or_404,
    get_or_404,
    history,
    page_links,
    save_form,
    show_errors,
    signed_in_user,
    store_ready,
)

bp = Blueprint("agreements", __name__, url_prefix="/agreements")

SORTS = {
    "effective": SortOrder(Agreement.effective_from, descending=True, is_time=True),
    "name": SortOrder(Agreement.name_en),
}


def _tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["LOCAL_TIMEZONE"])


def _to_utc(value: dt.datetime | None) -> dt.datetime | None:
    return value.replace(tzinfo=_tz()).astimezone(dt.UTC) if value else None


def _to_local(value: dt.datetime | None) -> dt.datetime | None:
    return value.astimezone(_tz()).replace(tzinfo=None) if value else None


def _listing(args: Any) -> tuple[Select[Any], dict[str, Any]]:
    kind = args.get("kind") if args.get("kind") in AGREEMENT_KIND_LABELS else None
    text = (args.get("q") or "").strip()
    statement = select(Agreement)
    if kind:
        statement = statement.where(Agreement.kind == kind)
    on_day = _day_or_none(args.get("on"))
    if on_day is not None:
        start = dt.datetime.combine(on_day, dt.time(), tzinfo=_tz())
        end = start + dt.timedelta(days=1)
        statement = statement.where(
            Agreement.effective_from < end,
            or_(Agreement.expires_at.is_(None), Agreement.expires_at > start),
        )
    if text:
        pattern = text.lower()
        statement = statement.where(
            or_(
                func.lower(Agreement.name_en).contains(pattern, autoescape=True),
                Agreement.name_ar.contains(text, autoescape=True),
                Agreement.slug.contains(pattern, autoescape=True),
            )
        )
    return statement, {"kind": kind, "q": text, "on": on_day}


def _day_or_none(raw: str | None) -> dt.date | None:
    return parse_day(raw)


@bp.route("/")
@requires("viewer")
def index() -> str:
    args = request.args
    statement, shown = _listing(args)
    sort = str(args.get("sort")) if args.get("sort") in SORTS else "effective"
    page = sorted_page(
        get_session(),
        statement,
        SORTS[sort],
        Agreement.id,
        args,
        int(current_app.config["PAGE_SIZE"]),
    )
    next_args, first_args = page_links(args, page.next_key)
    return render_template(
        "agreements/list.html",
        agreements=page.items,
        kinds=AGREEMENT_KIND_LABELS,
        sort=sort,
        next_args=next_args,
        first_args=first_args,
        **shown,
    )


def report_url(slug: str) -> str:
    """The agreement's report page (a plain path until the reports area exists)."""
    if "reports.report" in current_app.view_functions:
        return url_for("reports.report", slug=slug)
    return f"/agreements/{slug}/report"


@bp.route("/<slug>")
@requires("viewer")
def detail(slug: str) -> str:
    agreement = get_by_slug_or_404(Agreement, slug)
    db_session = get_session()
    public = audience().public
    sources = [
        link
        for link in db_session.scalars(
            select(AgreementSource)
            .where(AgreementSource.agreement_id == agreement.id)
            .order_by(AgreementSource.id)
        )
        # A viewer sees neither a confidential source nor a withdrawn one, nor what their
        # links claim or quote.
        if source_shown(link.source, public=public)
    ]
    children = list(
        db_session.scalars(
            select(Agreement)
            .where(Agreement.parent_id == agreement.id)
            .order_by(Agreement.effective_from)
        )
    )
    store_ready()
    incident_count = count_incidents(
        db_session, IncidentFilters(agreement=agreement.slug, public=public)
    )
    verdicts = verdicts_by_agreement(
        db_session, IncidentVerdict.agreement_id == agreement.id, public=public
    )
    return render_template(
        "agreements/detail.html",
        agreement=agreement,
        sources=sources,
        children=children,
        incident_count=incident_count,
        verdict_rows=verdicts,
        report_url=report_url(agreement.slug),
        kinds=AGREEMENT_KIND_LABELS,
        party_roles=PARTY_ROLE_LABELS,
        provision_kinds=PROVISION_KIND_LABELS,
        show_confidential=not public,
        local=_to_local,
        field_labels=field_labels(AgreementForm, PartyForm, ProvisionForm, TerritoryForm),
        value_labels={
            "kind": {**AGREEMENT_KIND_LABELS, **PROVISION_KIND_LABELS},
            "role": PARTY_ROLE_LABELS,
        },
        **history(agreement, *agreement.parties, *agreement.provisions, *agreement.territories),
    )


def _agreement_form(record: Agreement | None) -> AgreementForm:
    if request.method == "POST" or record is None:
        form = AgreementForm()
    else:
        values = {key: getattr(record, key) for key in agreement_service.FIELDS}
        values["effective_from"] = _to_local(record.effective_from)
        values["expires_at"] = _to_local(record.expires_at)
        form = AgreementForm(data={**values, "version": str(record.version)})
    others = select(Agreement.id, Agreement.name_en).order_by(Agreement.effective_from)
    if record is not None:
        others = others.where(Agreement.id != record.id)
    form.parent_id.choices = options(
        [(None, "—")] + [(r.id, r.name_en) for r in get_session().execute(others)]
    )
    return form


def _agreement_data(form: AgreementForm) -> dict[str, Any]:
    data = {key: getattr(form, key).data for key in agreement_service.FIELDS}
    data["effective_from"] = _to_utc(form.effective_from.data)
    data["expires_at"] = _to_utc(form.expires_at.data)
    return data


@bp.route("/new", methods=["GET", "POST"])
@requires("analyst")
def new() -> str | Response:
    form = _agreement_form(None)
    if form.validate_on_submit():
        agreement = save_form(
            form,
            lambda db: agreement_service.create_agreement(
                db, _agreement_data(form), actor=signed_in_user()
            ),
            _("Agreement saved."),
        )
        if agreement is not None:
            return redirect(url_for("agreements.detail", slug=agreement.slug))
    return render_template("agreements/form.html", form=form, agreement=None, stale=None)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@requires("analyst")
def edit(slug: str) -> str | Response:
    agreement = get_by_slug_or_404(Agreement, slug)
    form = _agreement_form(agreement)
    stale = None
    if form.validate_on_submit():
        db_session = get_session()
        version = int(form.version.data) if ascii_digits(form.version.data or "") else None
        try:
            agreement_service.update_agreement(
                db_session,
                agreement,
                _agreement_data(form),
                expected_version=version,
                actor=signed_in_user(),
            )
        except StaleEditError as error:
            db_session.rollback()
            stale = _stale_view(get_by_slug_or_404(Agreement, slug), form)
            form.version.data = str(stale["version"])
            flash(str(error), "error")
            answer_conflict()
        except InvalidInputError as error:
            db_session.rollback()
            show_errors(form, error)
        else:
            db_session.commit()
            flash(_("Agreement saved."), "info")
            return redirect(url_for("agreements.detail", slug=agreement.slug))
    return render_template("agreements/form.html", form=form, agreement=agreement, stale=stale)


def _stale_view(current: Agreement, form: AgreementForm) -> dict[str, Any]:
    """The stored values beside the user's for every field where they differ."""
    get_session().refresh(current)
    rows = []
    for key in agreement_service.FIELDS:
        stored = getattr(current, key)
        if key in {"effective_from", "expires_at"}:
            stored = _to_local(stored)
        mine = getattr(form, key).data
        if (stored or None) != (mine or None):
            rows.append({"label": getattr(form, key).label.text, "stored": stored, "mine": mine})
    return {"version": current.version, "rows": rows}


def _save_part(
    agreement: Agreement, form: Any, writer: Any, data: dict[str, Any] | None, title: str
) -> str | Response:
    """Validate ``form``, call ``writer(session, data, actor=...)``, commit and go back to the
    agreement; otherwise show the form with its messages."""
    if form.validate_on_submit():
        db_session = get_session()
        values = data if data is not None else form.data
        try:
            writer(db_session, values, actor=signed_in_user())
        except InvalidInputError as error:
            db_session.rollback()
            show_errors(form, error)
        except StaleEditError as error:
            db_session.rollback()
            flash(str(error), "error")
            answer_conflict()
        else:
            db_session.commit()
            flash(_("Agreement saved."), "info")
            return redirect(url_for("agreements.detail", slug=agreement.slug))
    return render_template("agreements/part_form.html", form=form, agreement=agreement, title=title)


@bp.route("/<slug>/parties/new", methods=["GET", "POST"])
@requires("analyst")
def new_party(slug: str) -> str | Response:
    form = PartyForm()
    actors = get_session().execute(select(Actor.id, Actor.name_en).order_by(Actor.name_en))
    form.actor_id.choices = options([(None, "—")] + [(row.id, row.name_en) for row in actors])
    agreement = get_by_slug_or_404(Agreement, slug)
    return _save_part(
        agreement,
        form,
        lambda db, data, actor: agreement_service.add_party(db, agreement, data, actor=actor),
        None,
        _("Add a party"),
    )


@bp.route("/<slug>/provisions/new", methods=["GET", "POST"])
@requires("analyst")
def new_provision(slug: str) -> str | Response:
    form = ProvisionForm()
    data = {**form.data, "deadline": _to_utc(form.deadline.data)} if form.is_submitted() else None
    agreement = get_by_slug_or_404(Agreement, slug)
    return _save_part(
        agreement,
        form,
        lambda db, data, actor: agreement_service.add_provision(db, agreement, data, actor=actor),
        data,
        _("Add a provision"),
    )


@bp.route("/<slug>/territories/new", methods=["GET", "POST"])
@requires("analyst")
def new_territory(slug: str) -> str | Response:
    form = TerritoryForm()
    agreement = get_by_slug_or_404(Agreement, slug)
    return _save_part(
        agreement,
        form,
        lambda db, data, actor: agreement_service.add_territory(db, agreement, data, actor=actor),
        None,
        _("Add a territory"),
    )


def _part_or_404(model: Any, slug: str, part_id: int) -> Any:
    part = get_or_404(model, part_id)
    if part.agreement.slug != slug:
        abort(404)
    return part


@bp.route("/<slug>/parties/<int:part_id>/edit", methods=["GET", "POST"])
@requires("analyst")
def edit_party(slug: str, part_id: int) -> str | Response:
    party = _part_or_404(AgreementParty, slug, part_id)
    form = PartyEditForm(obj=party)
    return _save_part(
        party.agreement,
        form,
        lambda db, data, actor: agreement_service.update_party(db, party, data, actor=actor),
        None,
        _("Edit a party"),
    )


@bp.route("/<slug>/provisions/<int:part_id>/edit", methods=["GET", "POST"])
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
                "deadline": _to_local(provision.deadline),
            }
        )
    data = {**form.data, "deadline": _to_utc(form.deadline.data)} if form.is_submitted() else None
    return _save_part(
        provision.agreement,
        form,
        lambda db, data, actor: agreement_service.update_provision(
            db, provision, data, actor=actor
        ),
        data,
        _("Edit a provision"),
    )


@bp.route("/<slug>/territories/<int:part_id>/edit", methods=["GET", "POST"])
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
        lambda db, data, actor: agreement_service.update_territory(
            db, territory, data, actor=actor
        ),
        None,
        _("Edit a territory"),
    )
