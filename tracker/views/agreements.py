"""Agreements: list (filters, sort, pages), detail (parties, provisions, territories, sources,
successors, history), create, and edit with optimistic locking; the pages of their parts are in
:mod:`tracker.views.agreement_parts`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import (
    Blueprint,
    current_app,
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
    PartyForm,
    ProvisionForm,
    TerritoryForm,
)
from tracker.forms.common import options
from tracker.i18n import current_locale
from tracker.models import (
    Agreement,
    AgreementSource,
    IncidentVerdict,
)
from tracker.permissions import requires
from tracker.queries.display_names import admin_area_names
from tracker.queries.incidents import IncidentFilters, count_incidents, verdicts_by_agreement
from tracker.queries.listing import SortOrder, sorted_page
from tracker.queries.visibility import source_shown
from tracker.rules.values import parse_day, parse_id
from tracker.services import agreements as agreement_service
from tracker.views import agreement_parts
from tracker.views.common import (
    audience,
    field_labels,
    get_by_slug_or_404,
    history,
    local_zone,
    page_links,
    save,
    signed_in_user,
    store_ready,
    to_local,
    to_utc,
)

bp = Blueprint("agreements", __name__, url_prefix="/agreements")
agreement_parts.add_routes(bp)

SORTS = {
    "effective": SortOrder(Agreement.effective_from, descending=True, is_time=True),
    "name": SortOrder(Agreement.name_en),
}


def _listing(args: Any) -> tuple[Select[Any], dict[str, Any]]:
    kind = args.get("kind") if args.get("kind") in AGREEMENT_KIND_LABELS else None
    text = (args.get("q") or "").strip()
    statement = select(Agreement)
    if kind:
        statement = statement.where(Agreement.kind == kind)
    on_day = _day_or_none(args.get("on"))
    if on_day is not None:
        start = dt.datetime.combine(on_day, dt.time(), tzinfo=local_zone())
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


def _shown_sources(agreement: Agreement) -> list[AgreementSource]:
    """The agreement's sources a reader sees: a viewer sees neither a confidential source nor
    a withdrawn one, nor what their links claim or quote."""
    public = audience().public
    return [
        link
        for link in get_session().scalars(
            select(AgreementSource)
            .where(AgreementSource.agreement_id == agreement.id)
            .order_by(AgreementSource.id)
        )
        if source_shown(link.source, public=public)
    ]


def _successors(agreement: Agreement) -> list[Agreement]:
    return list(
        get_session().scalars(
            select(Agreement)
            .where(Agreement.parent_id == agreement.id)
            .order_by(Agreement.effective_from)
        )
    )


def _figures(agreement: Agreement) -> dict[str, Any]:
    """How many incidents allege a breach of the agreement, and its verdicts' rows."""
    store_ready()
    db_session = get_session()
    public = audience().public
    filters = IncidentFilters(agreement=agreement.slug, public=public)
    return {
        "incident_count": count_incidents(db_session, filters),
        "verdict_rows": verdicts_by_agreement(
            db_session, IncidentVerdict.agreement_id == agreement.id, public=public
        ),
    }


def _labels() -> dict[str, Any]:
    """The labels of the detail page's values and of its history's fields."""
    return {
        "kinds": AGREEMENT_KIND_LABELS,
        "party_roles": PARTY_ROLE_LABELS,
        "provision_kinds": PROVISION_KIND_LABELS,
        "field_labels": field_labels(AgreementForm, PartyForm, ProvisionForm, TerritoryForm),
        "value_labels": {
            "kind": {**AGREEMENT_KIND_LABELS, **PROVISION_KIND_LABELS},
            "role": PARTY_ROLE_LABELS,
        },
    }


@bp.route("/<slug>")
@requires("viewer")
def detail(slug: str) -> str:
    agreement = get_by_slug_or_404(Agreement, slug)
    return render_template(
        "agreements/detail.html",
        agreement=agreement,
        sources=_shown_sources(agreement),
        children=_successors(agreement),
        report_url=report_url(agreement.slug),
        area_names=admin_area_names(
            get_session(),
            [c for t in agreement.territories for c in t.admin_pcodes or []],
            "ar" if current_locale() == "ar" else "en",
        ),
        show_confidential=not audience().public,
        local=to_local,
        **_figures(agreement),
        **_labels(),
        **history(agreement, *agreement.parties, *agreement.provisions, *agreement.territories),
    )


def _agreement_form(record: Agreement | None) -> AgreementForm:
    if request.method == "POST" or record is None:
        form = AgreementForm()
    else:
        values = {key: getattr(record, key) for key in agreement_service.FIELDS}
        values["effective_from"] = to_local(record.effective_from)
        values["expires_at"] = to_local(record.expires_at)
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
    data["effective_from"] = to_utc(form.effective_from.data)
    data["expires_at"] = to_utc(form.expires_at.data)
    return data


@bp.route("/new", methods=["GET", "POST"])
@requires("analyst")
def new() -> str | Response:
    form = _agreement_form(None)
    if form.validate_on_submit():
        saved = save(
            lambda db: agreement_service.create_agreement(
                db, _agreement_data(form), actor=signed_in_user()
            ),
            _("Agreement saved."),
            form=form,
            category="info",
        )
        if saved.record is not None:
            return redirect(url_for("agreements.detail", slug=saved.record.slug))
    return render_template("agreements/form.html", form=form, agreement=None, stale=None)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@requires("analyst")
def edit(slug: str) -> str | Response:
    agreement = get_by_slug_or_404(Agreement, slug)
    form = _agreement_form(agreement)
    stale = None
    if form.validate_on_submit():
        version = parse_id(form.version.data)
        saved = save(
            lambda db: agreement_service.update_agreement(
                db, agreement, _agreement_data(form), expected_version=version,
                actor=signed_in_user(),
            ),
            _("Agreement saved."),
            form=form,
            category="info",
        )  # fmt: skip
        if saved.committed:
            return redirect(url_for("agreements.detail", slug=agreement.slug))
        if saved.stale:
            stale = _stale_view(get_by_slug_or_404(Agreement, slug), form)
            form.version.data = str(stale["version"])
    return render_template("agreements/form.html", form=form, agreement=agreement, stale=stale)


def _stale_view(current: Agreement, form: AgreementForm) -> dict[str, Any]:
    """The stored values beside the user's for every field where they differ."""
    get_session().refresh(current)
    rows = []
    for key in agreement_service.FIELDS:
        stored = getattr(current, key)
        if key in {"effective_from", "expires_at"}:
            stored = to_local(stored)
        mine = getattr(form, key).data
        if (stored or None) != (mine or None):
            rows.append({"label": getattr(form, key).label.text, "stored": stored, "mine": mine})
    return {"version": current.version, "rows": rows}
